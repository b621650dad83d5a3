#include "station/page_raster.h"

#include <cmath>
#include <cstring>

namespace intake::station {
namespace {

PIX* Mutable(const PIX* p) { return const_cast<PIX*>(p); }

int Scale(int v, double f) { return static_cast<int>(std::lround(v * f)); }

std::vector<pdf::TextLine> TextLayer(const ocr::OcrResult& ocr, double f) {
  std::vector<pdf::TextLine> lines;
  lines.reserve(ocr.lines.size());
  for (const ocr::OcrLine& l : ocr.lines) {
    pdf::TextLine line;
    line.baseline_x1 = Scale(l.baseline_x1, f);
    line.baseline_y1 = Scale(l.baseline_y1, f);
    line.baseline_x2 = Scale(l.baseline_x2, f);
    line.baseline_y2 = Scale(l.baseline_y2, f);
    for (int i = l.first_word; i < l.first_word + l.word_count; ++i) {
      const ocr::OcrWord& w = ocr.words[static_cast<size_t>(i)];
      line.words.push_back(pdf::TextWord{w.text, Scale(w.box.x, f), Scale(w.box.y, f),
                                         Scale(w.box.width, f), Scale(w.box.height, f)});
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

Result<pdf::PageRaster> RasterFromPix(const PIX* pix, int dpi) {
  pdf::PageRaster r;
  const int depth = pixGetDepth(Mutable(pix));
  r.width = pixGetWidth(Mutable(pix));
  r.height = pixGetHeight(Mutable(pix));
  r.dpi = dpi;
  const int wpl = pixGetWpl(Mutable(pix));
  const l_uint32* data = pixGetData(Mutable(pix));
  switch (depth) {
    case 1:
    case 8: {
      r.kind = depth == 1 ? pdf::PageRaster::Kind::kBilevel : pdf::PageRaster::Kind::kGray;
      r.stride = depth == 1 ? (r.width + 7) / 8 : r.width;
      r.pixels.resize(static_cast<size_t>(r.stride) * r.height);
      // Leptonica keeps rows as 32-bit words in host order with the first pixel in the
      // most significant byte; read byte by byte through its accessors.
      for (int y = 0; y < r.height; ++y) {
        const l_uint32* line = data + static_cast<size_t>(y) * wpl;
        uint8_t* out = r.pixels.data() + static_cast<size_t>(y) * r.stride;
        for (int i = 0; i < r.stride; ++i) out[i] = static_cast<uint8_t>(GET_DATA_BYTE(line, i));
      }
      return r;
    }
    case 32: {
      r.kind = pdf::PageRaster::Kind::kRgb;
      r.stride = r.width * 3;
      r.pixels.resize(static_cast<size_t>(r.stride) * r.height);
      for (int y = 0; y < r.height; ++y) {
        const l_uint32* line = data + static_cast<size_t>(y) * wpl;
        uint8_t* out = r.pixels.data() + static_cast<size_t>(y) * r.stride;
        for (int x = 0; x < r.width; ++x) {
          l_int32 red, green, blue;
          extractRGBValues(line[x], &red, &green, &blue);
          out[3 * x] = static_cast<uint8_t>(red);
          out[3 * x + 1] = static_cast<uint8_t>(green);
          out[3 * x + 2] = static_cast<uint8_t>(blue);
        }
      }
      return r;
    }
    default:
      return Error(ErrorCode::kInvalidArgument,
                   "billedet har en farvedybde der ikke kan gemmes (" + std::to_string(depth) +
                       " bit)");
  }
}

Result<pdf::PageContent> BuildPdfPage(const ocr::ProcessedPage& page,
                                      const config::PdfSection& settings) {
  const ocr::PreparedPage& images = page.images;
  if (images.gray == nullptr || images.binary == nullptr) {
    return Error(ErrorCode::kInternal, "siden har intet billede at gemme");
  }
  ocr::PageContent content = page.analysis.content.content;
  switch (settings.image_mode) {
    case config::ImageMode::kAuto: break;
    case config::ImageMode::kBilevel: content = ocr::PageContent::kText; break;
    case config::ImageMode::kGray: content = ocr::PageContent::kGrayImage; break;
    case config::ImageMode::kColor:
      content = images.color ? ocr::PageContent::kColorImage : ocr::PageContent::kGrayImage;
      break;
  }
  if (content == ocr::PageContent::kColorImage && images.color == nullptr) {
    content = ocr::PageContent::kGrayImage;
  }

  pdf::PageContent out;
  double f = 1.0;  // raster pixels per prepared-page pixel
  const int dpi = images.dpi;
  if (content == ocr::PageContent::kText) {
    INTAKE_ASSIGN_OR_RETURN(out.image, RasterFromPix(images.binary.get(), dpi));
    out.encoding = pdf::ImageEncoding::kCcittG4;
  } else {
    const PIX* source =
        content == ocr::PageContent::kColorImage ? images.color.get() : images.gray.get();
    ocr::PixPtr scaled;
    int out_dpi = dpi;
    if (dpi > settings.photo_dpi) {
      f = static_cast<double>(settings.photo_dpi) / dpi;
      scaled.reset(pixScaleAreaMap(Mutable(source), static_cast<float>(f), static_cast<float>(f)));
      if (!scaled) return Error(ErrorCode::kInternal, "kunne ikke nedskalere sidens billede");
      source = scaled.get();
      out_dpi = settings.photo_dpi;
    }
    INTAKE_ASSIGN_OR_RETURN(out.image, RasterFromPix(source, out_dpi));
    // The page keeps its size in points: the scaled raster's own dpi says so; the words
    // follow the raster's pixels.
    f = static_cast<double>(out.image.width) / pixGetWidth(images.gray.get());
    out.encoding = settings.photo_encoding == config::PhotoEncoding::kJpeg
                       ? pdf::ImageEncoding::kJpeg
                       : pdf::ImageEncoding::kFlate;
    out.jpeg_quality = settings.jpeg_quality;
  }
  if (page.analysis.ocr) out.lines = TextLayer(*page.analysis.ocr, f);
  return out;
}

}  // namespace intake::station
