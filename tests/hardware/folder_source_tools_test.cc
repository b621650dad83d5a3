// The folder source against independent tools: page sizes of the real scans from
// `pdfinfo` (poppler-utils), a password-protected PDF made with `qpdf --encrypt`, a PDF
// made from a known image with `img2pdf`, and the page count of a multi-page TIFF as the
// station's image loader (ocr/image_io.h) sees it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

// clang-format off
#include <png.h>
// clang-format on

#include "hardware/folder_source.h"
#include "ocr/image_io.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake::hardware {
namespace {

using ::testing::HasSubstr;
using testing::RunCommand;
using testing::ScopedTempDir;

const std::string kScans = INTAKE_SHARED_DIR "/testdata/scans";

struct PdfinfoPage {
  double width_pt = 0;
  double height_pt = 0;
  int rotation = 0;
};

// Page sizes and rotations as pdfinfo reports them.
std::vector<PdfinfoPage> PdfinfoPages(const std::string& pdf) {
  const auto run = RunCommand({"/usr/bin/pdfinfo", "-f", "1", "-l", "9999", pdf});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<PdfinfoPage> pages;
  const std::regex size(R"(Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts)");
  const std::regex rot(R"(Page\s+(\d+) rot:\s+(\d+))");
  for (std::sregex_iterator it(run.out.begin(), run.out.end(), size), end; it != end; ++it) {
    pages.push_back(PdfinfoPage{std::stod((*it)[2]), std::stod((*it)[3]), 0});
  }
  for (std::sregex_iterator it(run.out.begin(), run.out.end(), rot), end; it != end; ++it) {
    const size_t index = std::stoul((*it)[1]) - 1;
    if (index < pages.size()) pages[index].rotation = std::stoi((*it)[2]);
  }
  return pages;
}

// pixels = points × dpi / 72, to the nearest pixel, with the page turned by its rotation.
void ExpectSize(const RawFrame& frame, const PdfinfoPage& page, int dpi, const std::string& what) {
  double w = page.width_pt * dpi / 72.0;
  double h = page.height_pt * dpi / 72.0;
  if (page.rotation % 180 != 0) std::swap(w, h);
  EXPECT_LE(std::abs(frame.width - w), 0.5 + 1e-6)
      << what << ": width " << frame.width << " for " << w;
  EXPECT_LE(std::abs(frame.height - h), 0.5 + 1e-6)
      << what << ": height " << frame.height << " for " << h;
}

TEST(FolderSourceToolsTest, GreyScanIsRasterisedGreyAtThePdfinfoSize) {
  const std::string pdf = kScans + "/francais.pdf";
  const auto info = PdfinfoPages(pdf);
  ASSERT_EQ(info.size(), 1u);
  auto r = PdfRasterizer::Open(pdf);
  ASSERT_TRUE(r) << r.error().ToString();
  for (int dpi : {150, 300}) {
    const auto frame = (*r)->RenderPage(0, dpi);
    ASSERT_TRUE(frame) << frame.error().ToString();
    ExpectSize(*frame, info[0], dpi, "francais.pdf");
    EXPECT_EQ(frame->channels, 1);
    // Text on paper: both ink and paper are there.
    int dark = 0;
    int light = 0;
    for (uint8_t v : frame->pixels) {
      dark += v < 80;
      light += v > 200;
    }
    EXPECT_GT(dark, 0);
    EXPECT_GT(light, static_cast<int>(frame->pixels.size() / 2));
  }
}

TEST(FolderSourceToolsTest, ColourScanIsRasterisedInColourAtThePdfinfoSize) {
  const std::string pdf = kScans + "/c02-22.pdf";
  const auto info = PdfinfoPages(pdf);
  ASSERT_EQ(info.size(), 1u);
  auto r = PdfRasterizer::Open(pdf);
  ASSERT_TRUE(r);
  for (int dpi : {150, 300}) {
    const auto frame = (*r)->RenderPage(0, dpi);
    ASSERT_TRUE(frame);
    ExpectSize(*frame, info[0], dpi, "c02-22.pdf");
    EXPECT_EQ(frame->channels, 3);
    EXPECT_EQ(frame->bytes_per_line, frame->width * 3);
  }
}

TEST(FolderSourceToolsTest, FourPagePdfIsImportedPageByPageAtEachPagesSize) {
  const std::string pdf = kScans + "/cardinal.pdf";
  const auto info = PdfinfoPages(pdf);
  ASSERT_EQ(info.size(), 4u);
  ScanSettings settings;
  settings.dpi = 100;
  auto session = FolderSource::Import({pdf}, settings);
  ASSERT_TRUE(session);
  for (size_t i = 0; i < info.size(); ++i) {
    const auto page = (*session)->NextPage();
    ASSERT_TRUE(page && page->has_value()) << i;
    EXPECT_EQ((*page)->sheet, static_cast<int>(i) + 1);
    EXPECT_EQ((*page)->dpi, 100);
    EXPECT_EQ((*page)->source, "cardinal.pdf");
    ExpectSize(std::get<RawFrame>((*page)->content), info[i], 100,
               "cardinal.pdf page " + std::to_string(i + 1));
  }
  const auto end = (*session)->NextPage();
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
  ASSERT_EQ((*session)->delivered_files().size(), 1u);
  EXPECT_EQ((*session)->delivered_files()[0].page_count, 4);
}

TEST(FolderSourceToolsTest, PasswordProtectedPdfIsRefusedWithAClearMessage) {
  ScopedTempDir dir;
  const std::string locked = dir.Sub("låst.pdf");
  const auto run = RunCommand({"/usr/bin/qpdf", "--encrypt", "bruger", "ejer", "256", "--",
                               kScans + "/francais.pdf", locked});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto content = InspectFile(locked);
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(content.error().message(), HasSubstr("låst.pdf"));
  EXPECT_THAT(content.error().message(), HasSubstr("adgangskode"));
}

// Encryption with only an owner password (restrictions, no password to open) is common
// in PDFs from public bodies; such a document opens and renders.
TEST(FolderSourceToolsTest, PdfWithOnlyAnOwnerPasswordIsRendered) {
  ScopedTempDir dir;
  const std::string restricted = dir.Sub("begrænset.pdf");
  const auto run = RunCommand({"/usr/bin/qpdf", "--encrypt", "", "ejer", "256", "--print=none",
                               "--", kScans + "/francais.pdf", restricted});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto r = PdfRasterizer::Open(restricted);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_TRUE((*r)->RenderPage(0, 100));
}

void AppendToString(png_structp png, png_bytep data, size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
void FlushNothing(png_structp) {}

// A PNG with a resolution (pHYs), grey or RGB, from `pixels` (rows of width × channels).
std::string EncodePng(int width, int height, int channels, int dpi,
                      const std::vector<uint8_t>& pixels) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) std::abort();
  png_set_write_fn(png, &out, AppendToString, FlushNothing);
  png_set_IHDR(png, info, width, height, 8,
               channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  const auto ppm = static_cast<png_uint_32>(std::lround(dpi / 0.0254));
  png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  for (int y = 0; y < height; ++y) {
    png_write_row(png, pixels.data() + static_cast<size_t>(y) * width * channels);
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

// img2pdf embeds a PNG losslessly and sizes the page from its resolution, so rendering the
// page at that resolution must give back the image.
TEST(FolderSourceToolsTest, PdfFromAKnownImageRendersBackToThatImage) {
  ScopedTempDir dir;
  constexpr int kW = 240;
  constexpr int kH = 160;
  constexpr int kDpi = 120;
  for (int channels : {1, 3}) {
    std::vector<uint8_t> pixels(static_cast<size_t>(kW) * kH * channels);
    for (int y = 0; y < kH; ++y) {
      for (int x = 0; x < kW; ++x) {
        for (int c = 0; c < channels; ++c) {
          // Broad bands (so resampling edges do not matter), a different one per channel.
          const int band = c == 0 ? x / 40 : c == 1 ? y / 40 : (x + y) / 80;
          pixels[(static_cast<size_t>(y) * kW + x) * channels + c] =
              static_cast<uint8_t>(40 + band * 35);
        }
      }
    }
    const std::string png = dir.Sub("kilde" + std::to_string(channels) + ".png");
    const std::string pdf = dir.Sub("kilde" + std::to_string(channels) + ".pdf");
    testing::WriteFile(png, EncodePng(kW, kH, channels, kDpi, pixels));
    const auto run = RunCommand({"/usr/bin/img2pdf", "-o", pdf, png});
    ASSERT_EQ(run.exit_code, 0) << run.err;

    auto r = PdfRasterizer::Open(pdf);
    ASSERT_TRUE(r) << r.error().ToString();
    const auto frame = (*r)->RenderPage(0, kDpi);
    ASSERT_TRUE(frame);
    ASSERT_EQ(frame->width, kW);
    ASSERT_EQ(frame->height, kH);
    ASSERT_EQ(frame->channels, channels);
    // Compared away from the band edges, which the renderer may smooth by a pixel.
    auto flat = [&](int x, int y) {
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          const int nx = std::clamp(x + dx, 0, kW - 1);
          const int ny = std::clamp(y + dy, 0, kH - 1);
          for (int c = 0; c < channels; ++c) {
            if (pixels[(static_cast<size_t>(ny) * kW + nx) * channels + c] !=
                pixels[(static_cast<size_t>(y) * kW + x) * channels + c]) {
              return false;
            }
          }
        }
      }
      return true;
    };
    int worst = 0;
    int compared = 0;
    for (int y = 0; y < kH; ++y) {
      for (int x = 0; x < kW; ++x) {
        if (!flat(x, y)) continue;
        ++compared;
        for (int c = 0; c < channels; ++c) {
          const size_t i = (static_cast<size_t>(y) * kW + x) * channels + c;
          const int got = frame->pixels[static_cast<size_t>(y) * frame->bytes_per_line +
                                        static_cast<size_t>(x) * channels + c];
          worst = std::max(worst, std::abs(got - pixels[i]));
        }
      }
    }
    EXPECT_GT(compared, kW * kH / 2);
    EXPECT_LE(worst, 2) << channels << " channel(s)";
  }
}

// The FilePages of a multi-page TIFF must be the pages the station's loader reads.
TEST(FolderSourceToolsTest, TiffPagesAreThoseTheImageLoaderReads) {
  const std::string tiff = INTAKE_TEST_PAGES_DIR "/all.tif";
  auto session = FolderSource::Import({tiff}, ScanSettings{});
  ASSERT_TRUE(session) << session.error().ToString();
  std::vector<FilePage> pages;
  for (;;) {
    const auto page = (*session)->NextPage();
    ASSERT_TRUE(page) << page.error().ToString();
    if (!page->has_value()) break;
    pages.push_back(std::get<FilePage>((*page)->content));
  }
  const auto reader = ocr::ImageFileReader::Open(tiff);
  ASSERT_TRUE(reader) << reader.error().ToString();
  ASSERT_GT(pages.size(), 1u);
  EXPECT_EQ(static_cast<int>(pages.size()), reader->page_count());
  const auto last = reader->ReadPage(pages.back().page_index);
  EXPECT_TRUE(last) << last.error().ToString();
}

}  // namespace
}  // namespace intake::hardware
