// PdfAWriter: writes a searchable PDF/A-2b document, one scanned page image per page with
// an invisible OCR text layer, on libharu 2.3.0 (see ../shared/docs/PDFA.md).
//
// The pdf module knows nothing of OCR engines or Leptonica: callers hand it plain page
// rasters and positioned words (the station converts from ocr/ types).
//
// Thread-safety: a writer is used by one thread (the coordinator); distinct writers are
// independent.
#ifndef INTAKE_PDF_PDFA_WRITER_H_
#define INTAKE_PDF_PDFA_WRITER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace intake::pdf {

// A page image as raw rows, top row first.
struct PageRaster {
  enum class Kind {
    kBilevel,  // 1 bit per pixel, most significant bit first, 1 = black
    kGray,     // 8 bits per pixel, 0 = black
    kRgb,      // 3 bytes per pixel, R G B
  };
  Kind kind = Kind::kGray;
  int width = 0;   // pixels
  int height = 0;  // pixels
  int dpi = 300;   // resolution in both directions; sets the page size
  int stride = 0;  // bytes per row (at least the packed row length)
  std::vector<uint8_t> pixels;  // height * stride bytes
};

// How a page image is stored in the PDF. Never lossy JBIG2.
enum class ImageEncoding {
  kCcittG4,  // bilevel only: CCITT Group 4 (lossless)
  kFlate,    // lossless (bilevel, grey or colour)
  kJpeg,     // grey or colour, lossy, `jpeg_quality`
};

// One OCR word in the coordinates of the page raster (pixels, y downwards).
struct TextWord {
  std::string text;  // UTF-8; characters outside Windows-1252 become '?'
  int x = 0, y = 0, width = 0, height = 0;  // the word's box
};

// One OCR line: its words left to right and its baseline.
struct TextLine {
  std::vector<TextWord> words;
  // Baseline from (x1, y1) to (x2, y2) in pixels; y downwards.
  int baseline_x1 = 0, baseline_y1 = 0, baseline_x2 = 0, baseline_y2 = 0;
};

// Text painted on the page (normal rendering mode, black), such as the labels of a
// separator or cover sheet the station prints. It is drawn above the page image with the
// writer's embedded TrueType font (WriterOptions::font), so pdftotext finds it as well.
struct VisibleText {
  std::string text;  // UTF-8, the Windows-1252 range; other characters become '?'
  // Start of the baseline in points from the page's top-left corner, y downwards.
  double x_pt = 0, y_pt = 0;
  double size_pt = 12;  // font size in points, 0 < size_pt <= 600
};

struct PageContent {
  PageRaster image;
  ImageEncoding encoding = ImageEncoding::kCcittG4;
  int jpeg_quality = 75;  // 1..100, for kJpeg
  // The invisible text layer, in reading order. Empty for blank and image-only pages.
  std::vector<TextLine> lines;
  // Visible text, drawn in this order. Needs a font file: a writer on the built-in
  // box-glyph font (WriterOptions::font == "") refuses it.
  std::vector<VisibleText> texts;
};

// Document information, written to both the Info dictionary and the XMP metadata.
struct DocumentInfo {
  std::string title;     // dc:title
  std::string author;    // dc:creator (the sender)
  std::string subject;   // dc:description
  std::string keywords;  // pdf:Keywords
  std::string creator = "intake-station";  // xmp:CreatorTool
  // CreationDate, ModDate, xmp:CreateDate/ModifyDate/MetadataDate. Default: now.
  std::chrono::system_clock::time_point created = std::chrono::system_clock::now();
};

struct WriterOptions {
  // sRGB ICC profile for the output intent (icc-profiles-free).
  std::string icc_profile = "/usr/share/color/icc/sRGB.icc";
  // TrueType font for the text layer, embedded as a subset. "" (the default) means the
  // built-in box-glyph font (pdf/glyphless_font.h, about 1 KB per document); a path such
  // as /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf embeds that font instead (about
  // 25–28 KB per document). Visible text (PageContent::texts) needs such a font file:
  // the box glyphs are not meant to be seen.
  std::string font;
};

class PdfAWriter {
 public:
  // Fails with kUnavailable when the ICC profile or the font cannot be loaded.
  static Result<std::unique_ptr<PdfAWriter>> Create(const WriterOptions& options = {});
  virtual ~PdfAWriter() = default;

  // Adds a page. Errors: kInvalidArgument for an inconsistent raster (sizes, stride,
  // encoding not possible for the kind), for visible text (PageContent::texts) on a writer
  // without a font file (WriterOptions::font == ""), and for a visible text that is empty,
  // has a size outside 0-600 pt or starts outside the page; kInternal when libharu fails.
  virtual Status AddPage(const PageContent& page) = 0;

  // Completes the document with `info` and returns the whole PDF file. The caller writes
  // it (atomically) and may hash it. Requires at least one page (kFailedPrecondition);
  // may be called once.
  virtual Result<std::string> Finish(const DocumentInfo& info) = 0;

  virtual int page_count() const = 0;
};

}  // namespace intake::pdf

#endif  // INTAKE_PDF_PDFA_WRITER_H_
