#include "ocr/barcode.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace intake::ocr {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr double kMmPerInch = 25.4;
constexpr char kDanishPayload[] = "Sag 2024-0815 æøå ÆØÅ";

int Px(double mm, int dpi) { return static_cast<int>(std::lround(mm * dpi / kMmPerInch)); }

// A white A4 page, 8 bpp, at `dpi`.
PixPtr WhiteA4(int dpi) {
  PixPtr page(pixCreate(Px(210, dpi), Px(297, dpi), 8));
  pixSetAll(page.get());
  pixSetResolution(page.get(), dpi, dpi);
  return page;
}

// Draws `text` as a `format` symbol (zxing's own writer, no quiet zone) with its top-left
// corner at (x, y), `module` pixels per module; linear codes get bars `bar_height` high.
// Returns the box drawn.
PixelBox Draw(PIX* page, const std::string& format, const std::string& text, int module, int x,
              int y, int bar_height = 0) {
  ZXing::BarcodeFormat f = ZXing::BarcodeFormatFromString(format);
  ZXing::BitMatrix m = ZXing::MultiFormatWriter(f)
                           .setMargin(0)
                           .setEncoding(ZXing::CharacterSet::UTF8)
                           .encode(text, 0, 0);
  const bool linear = m.height() == 1;
  const int rows = linear ? 1 : m.height();
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < m.width(); ++c) {
      if (!m.get(c, r)) continue;
      BoxPtr box(boxCreate(x + c * module, y + r * module, module, linear ? bar_height : module));
      pixClearInRect(page, box.get());
    }
  }
  return PixelBox{x, y, m.width() * module, linear ? bar_height : m.height() * module};
}

// Fills `area` with lines of text-like marks: letter-sized cells holding random vertical,
// horizontal and diagonal strokes, in words separated by spaces. Vertical strokes in a row
// look like bars to a linear-code reader, so this also tests for false finds.
void TextNoise(PIX* page, const PixelBox& area, int dpi, unsigned seed) {
  std::mt19937 rng(seed);
  const int cell_w = Px(2.0, dpi), cell_h = Px(3.0, dpi), line_h = Px(5.5, dpi);
  const int stroke = std::max(1, Px(0.3, dpi));
  std::uniform_int_distribution<int> word_len(1, 9), kind(0, 5);
  for (int y = area.y; y + cell_h <= area.y + area.height; y += line_h) {
    int x = area.x;
    while (x + cell_w <= area.x + area.width) {
      const int n = word_len(rng);
      for (int i = 0; i < n && x + cell_w <= area.x + area.width; ++i, x += cell_w) {
        for (int s = 0; s < 3; ++s) {
          const int k = kind(rng);
          BoxPtr b;
          if (k <= 2) {  // vertical stroke
            b.reset(boxCreate(x + k * cell_w / 3, y, stroke, cell_h));
          } else if (k <= 4) {  // horizontal stroke
            b.reset(boxCreate(x, y + (k - 3) * cell_h / 2, cell_w * 3 / 4, stroke));
          } else {  // a dot
            b.reset(boxCreate(x + cell_w / 3, y + cell_h / 3, 2 * stroke, 2 * stroke));
          }
          pixClearInRect(page, b.get());
        }
      }
      x += cell_w;  // space between words
    }
  }
}

// Random black specks, 1-3 pixels, on about 2 % of the page.
void Speckle(PIX* page, unsigned seed) {
  std::mt19937 rng(seed);
  const int w = pixGetWidth(page), h = pixGetHeight(page);
  std::uniform_int_distribution<int> xs(0, w - 4), ys(0, h - 4), size(1, 3);
  for (int i = 0; i < w * h / 200; ++i) {
    const int s = size(rng);
    BoxPtr b(boxCreate(xs(rng), ys(rng), s, s));
    pixClearInRect(page, b.get());
  }
}

std::vector<Barcode> Detect(const PIX* page, const BarcodeOptions& options = {}) {
  Result<std::vector<Barcode>> r = DetectBarcodes(page, options);
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return r.has_value() ? *r : std::vector<Barcode>{};
}

// True if every side of `actual` is within `tol` pixels of `expected`'s.
::testing::AssertionResult BoxNear(const PixelBox& actual, const PixelBox& expected, int tol) {
  const int d[] = {actual.x - expected.x, actual.y - expected.y,
                   actual.x + actual.width - expected.x - expected.width,
                   actual.y + actual.height - expected.y - expected.height};
  for (int v : d) {
    if (std::abs(v) > tol) {
      return ::testing::AssertionFailure()
             << "box (" << actual.x << "," << actual.y << " " << actual.width << "x"
             << actual.height << ") is not within " << tol << " px of (" << expected.x << ","
             << expected.y << " " << expected.width << "x" << expected.height << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

const Barcode* FindText(const std::vector<Barcode>& found, const std::string& text) {
  for (const Barcode& b : found) {
    if (b.text == text) return &b;
  }
  return nullptr;
}

// The box `b` on a page `w` x `h` after pixRotateOrth(page, quads) (quarter turns clockwise).
PixelBox TurnBox(const PixelBox& b, int w, int h, int quads) {
  switch (quads) {
    case 1:
      return {h - b.y - b.height, b.x, b.height, b.width};
    case 2:
      return {w - b.x - b.width, h - b.y - b.height, b.width, b.height};
    case 3:
      return {b.y, w - b.x - b.width, b.height, b.width};
    default:
      return b;
  }
}

// The bounding box of `b` after pixRotate(page, degrees) about the page centre.
PixelBox SkewBox(const PixelBox& b, int w, int h, double degrees) {
  const double a = degrees * M_PI / 180, cx = w / 2.0, cy = h / 2.0;
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (auto [px, py] : {std::pair(b.x, b.y), std::pair(b.x + b.width, b.y),
                        std::pair(b.x, b.y + b.height), std::pair(b.x + b.width, b.y + b.height)}) {
    const double x = cx + (px - cx) * std::cos(a) - (py - cy) * std::sin(a);
    const double y = cy + (px - cx) * std::sin(a) + (py - cy) * std::cos(a);
    x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
  }
  return {static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0),
          static_cast<int>(y1 - y0)};
}

// Draws a linear code turned 90 degrees clockwise (bars horizontal, read top to bottom)
// with its top-left corner at (x, y). Returns the box drawn.
PixelBox DrawTurned(PIX* page, const std::string& format, const std::string& text, int module,
                    int x, int y, int bar_height) {
  ZXing::BitMatrix m = ZXing::MultiFormatWriter(ZXing::BarcodeFormatFromString(format))
                           .setMargin(0)
                           .encode(text, 0, 0);
  for (int c = 0; c < m.width(); ++c) {
    if (!m.get(c, 0)) continue;
    BoxPtr box(boxCreate(x, y + c * module, bar_height, module));
    pixClearInRect(page, box.get());
  }
  return PixelBox{x, y, bar_height, m.width() * module};
}

// A 300-dpi A4 page with text-like marks, a QR code (Danish payload) at the top right and a
// Code 128 at the bottom left, each with a quiet zone of at least 4 mm.
struct TestPage {
  PixPtr pix;
  PixelBox qr, code128;
};
TestPage QrAndCode128Page(int dpi = 300) {
  TestPage p{WhiteA4(dpi), {}, {}};
  const int w = pixGetWidth(p.pix.get()), h = pixGetHeight(p.pix.get());
  TextNoise(p.pix.get(), {Px(20, dpi), Px(60, dpi), w - Px(40, dpi), Px(180, dpi)}, dpi, 7);
  p.qr = Draw(p.pix.get(), "QRCode", kDanishPayload, Px(0.42, dpi), Px(160, dpi), Px(15, dpi));
  p.code128 = Draw(p.pix.get(), "Code128", "PATCH-T 0042", Px(0.34, dpi), Px(20, dpi),
                   h - Px(40, dpi), Px(15, dpi));
  return p;
}

TEST(DetectBarcodes, ReadsQrCodeWithDanishLettersAndItsCorners) {
  TestPage page = QrAndCode128Page();
  std::vector<Barcode> found = Detect(page.pix.get());
  const Barcode* qr = FindText(found, kDanishPayload);
  ASSERT_NE(qr, nullptr) << "found " << found.size();
  EXPECT_EQ(qr->format, "QRCode");
  EXPECT_TRUE(BoxNear(qr->bounds, page.qr, 4));
  // An upright QR code: corners clockwise from the top left.
  EXPECT_NEAR(qr->corners[0].x, page.qr.x, 4);
  EXPECT_NEAR(qr->corners[0].y, page.qr.y, 4);
  EXPECT_NEAR(qr->corners[2].x, page.qr.x + page.qr.width, 4);
  EXPECT_NEAR(qr->corners[2].y, page.qr.y + page.qr.height, 4);
}

TEST(DetectBarcodes, ReadsCode128AndReportsTheFullHeightOfItsBars) {
  TestPage page = QrAndCode128Page();
  std::vector<Barcode> found = Detect(page.pix.get());
  const Barcode* code = FindText(found, "PATCH-T 0042");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->format, "Code128");
  EXPECT_TRUE(BoxNear(code->bounds, page.code128, 4));
}

TEST(DetectBarcodes, ReportsTwoDifferentCodesOnOnePageSortedTopToBottom) {
  TestPage page = QrAndCode128Page();
  std::vector<Barcode> found = Detect(page.pix.get());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].format, "QRCode");
  EXPECT_TRUE(BoxNear(found[0].bounds, page.qr, 4));
  EXPECT_EQ(found[1].format, "Code128");
  EXPECT_TRUE(BoxNear(found[1].bounds, page.code128, 4));
}

// Regression test: one zxing read returning two linear codes with the same payload hits an
// assert in Debian's zxing-cpp 1.4.0 and aborts the process (this test binary would die).
TEST(DetectBarcodes, ReadsTwoCode128WithTheSamePayloadWithoutAborting) {
  PixPtr page = WhiteA4(300);
  PixelBox top = Draw(page.get(), "Code128", "SEPARATOR", 4, 300, 500, 150);
  PixelBox bottom = Draw(page.get(), "Code128", "SEPARATOR", 4, 300, 2800, 150);
  PixelBox right = Draw(page.get(), "Code128", "SEPARATOR", 4, 1400, 500, 150);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 3u);
  EXPECT_TRUE(BoxNear(found[0].bounds, top, 4));
  EXPECT_TRUE(BoxNear(found[1].bounds, right, 4));
  EXPECT_TRUE(BoxNear(found[2].bounds, bottom, 4));
  for (const Barcode& b : found) EXPECT_EQ(b.text, "SEPARATOR");
}

TEST(DetectBarcodes, ReadsTwoQrCodesWithTheSamePayloadAsTwoSymbols) {
  PixPtr page = WhiteA4(300);
  PixelBox a = Draw(page.get(), "QRCode", "SKILLEARK", 5, 200, 200);
  PixelBox b = Draw(page.get(), "QRCode", "SKILLEARK", 5, 1800, 3000);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_TRUE(BoxNear(found[0].bounds, a, 4));
  EXPECT_TRUE(BoxNear(found[1].bounds, b, 4));
}

// zxing-cpp 1.4.0 alone finds a DataMatrix only at the image centre (zxing-cpp #189).
TEST(DetectBarcodes, ReadsDataMatrixNearThePageCorner) {
  PixPtr page = WhiteA4(300);
  TextNoise(page.get(), {100, 600, 2280, 2700}, 300, 3);
  // 12 pixels (two modules) from the top and right edges: the decode window runs off the
  // page there and is padded with white.
  PixelBox dm = Draw(page.get(), "DataMatrix", "DM-2024/0815", 6, 2480 - 12 - 84, 12);
  ASSERT_EQ(dm.width, 84);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].format, "DataMatrix");
  EXPECT_EQ(found[0].text, "DM-2024/0815");
  EXPECT_TRUE(BoxNear(found[0].bounds, dm, 3));
}

TEST(DetectBarcodes, ReadsRectangularDataMatrix) {
  PixPtr page = WhiteA4(300);
  TextNoise(page.get(), {100, 100, 2280, 2400}, 300, 4);
  // zxing's writer picks the 8 x 32 rectangular symbol for this payload.
  PixelBox dm = Draw(page.get(), "DataMatrix", "DM-ABC-123", 5, 1600, 2900);
  ASSERT_GT(dm.width, 3 * dm.height);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].format, "DataMatrix");
  EXPECT_EQ(found[0].text, "DM-ABC-123");
  EXPECT_TRUE(BoxNear(found[0].bounds, dm, 3));
}

// A separator sheet with one big symbol: its decode window is read reduced.
TEST(DetectBarcodes, ReadsLargeDataMatrixOnA600DpiSheet) {
  PixPtr page = WhiteA4(600);
  PixelBox dm = Draw(page.get(), "DataMatrix", "SKILLEARK", Px(4, 600), 1800, 2500);
  ASSERT_GT(dm.width, 1200);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "SKILLEARK");
  EXPECT_TRUE(BoxNear(found[0].bounds, dm, 8));
}

TEST(DetectBarcodes, ReadsAztecNearThePageEdge) {
  PixPtr page = WhiteA4(300);
  PixelBox az = Draw(page.get(), "Aztec", "AZTEC 42", 6, 150, 3100);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].format, "Aztec");
  EXPECT_EQ(found[0].text, "AZTEC 42");
  EXPECT_TRUE(BoxNear(found[0].bounds, az, 3));
}

TEST(DetectBarcodes, ReadsEan13WithItsCheckDigit) {
  PixPtr page = WhiteA4(300);
  PixelBox ean = Draw(page.get(), "EAN-13", "590123412345", 4, 1500, 3200, 200);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].format, "EAN-13");
  EXPECT_EQ(found[0].text, "5901234123457");
  EXPECT_TRUE(BoxNear(found[0].bounds, ean, 4));
}

class TurnedPage : public ::testing::TestWithParam<int> {};

TEST_P(TurnedPage, ReadsQrCode128AndDataMatrixAtTheirTurnedPlaces) {
  const int quads = GetParam();
  TestPage page = QrAndCode128Page();
  PixelBox dm = Draw(page.pix.get(), "DataMatrix", "DM-TURN", 6, 1200, 3250);
  const int w = pixGetWidth(page.pix.get()), h = pixGetHeight(page.pix.get());
  PixPtr turned(pixRotateOrth(page.pix.get(), quads));
  std::vector<Barcode> found = Detect(turned.get());
  const Barcode* qr = FindText(found, kDanishPayload);
  const Barcode* code = FindText(found, "PATCH-T 0042");
  const Barcode* matrix = FindText(found, "DM-TURN");
  ASSERT_NE(qr, nullptr);
  ASSERT_NE(code, nullptr);
  ASSERT_NE(matrix, nullptr);
  EXPECT_EQ(found.size(), 3u);
  EXPECT_TRUE(BoxNear(qr->bounds, TurnBox(page.qr, w, h, quads), 4));
  EXPECT_TRUE(BoxNear(code->bounds, TurnBox(page.code128, w, h, quads), 5));
  EXPECT_TRUE(BoxNear(matrix->bounds, TurnBox(dm, w, h, quads), 4));
}

INSTANTIATE_TEST_SUITE_P(QuarterTurns, TurnedPage, ::testing::Values(1, 2, 3),
                         [](const auto& p) { return std::to_string(p.param * 90) + "Degrees"; });

class SkewedPage : public ::testing::TestWithParam<double> {};

TEST_P(SkewedPage, ReadsQrAndCode128RoughlyWhereTheyWere) {
  const double degrees = GetParam();
  TestPage page = QrAndCode128Page();
  const int w = pixGetWidth(page.pix.get()), h = pixGetHeight(page.pix.get());
  PixPtr skewed(pixRotate(page.pix.get(), static_cast<float>(degrees * M_PI / 180),
                          L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  std::vector<Barcode> found = Detect(skewed.get());
  const Barcode* qr = FindText(found, kDanishPayload);
  const Barcode* code = FindText(found, "PATCH-T 0042");
  ASSERT_NE(qr, nullptr);
  ASSERT_NE(code, nullptr);
  EXPECT_TRUE(BoxNear(qr->bounds, SkewBox(page.qr, w, h, degrees), 6));
  // A linear code's box is measured along rows, so for a skewed code it lies inside the
  // box around the turned bars, centred on it, rather than equal to it.
  const PixelBox turned = SkewBox(page.code128, w, h, degrees);
  const PixelBox& box = code->bounds;
  EXPECT_NEAR(box.x + box.width / 2, turned.x + turned.width / 2, 6);
  EXPECT_NEAR(box.y + box.height / 2, turned.y + turned.height / 2, 6);
  EXPECT_GE(box.x, turned.x - 3);
  EXPECT_GE(box.y, turned.y - 3);
  EXPECT_LE(box.x + box.width, turned.x + turned.width + 3);
  EXPECT_LE(box.y + box.height, turned.y + turned.height + 3);
  EXPECT_GE(box.width, page.code128.width - 12);
}

INSTANTIATE_TEST_SUITE_P(FewDegrees, SkewedPage, ::testing::Values(-4.0, -1.5, 2.0, 5.0),
                         [](const auto& p) {
                           std::string name = std::to_string(static_cast<int>(p.param * 10));
                           std::replace(name.begin(), name.end(), '-', 'm');
                           return "Tenths" + name;
                         });

class Resolution : public ::testing::TestWithParam<int> {};

TEST_P(Resolution, ReadsTheSamePrintedCodesAtThisResolution) {
  const int dpi = GetParam();
  TestPage page = QrAndCode128Page(dpi);
  std::vector<Barcode> found = Detect(page.pix.get());
  ASSERT_EQ(found.size(), 2u);
  const int tol = std::max(3, 4 * dpi / 300);
  EXPECT_EQ(found[0].text, kDanishPayload);
  EXPECT_TRUE(BoxNear(found[0].bounds, page.qr, tol));
  EXPECT_EQ(found[1].text, "PATCH-T 0042");
  EXPECT_TRUE(BoxNear(found[1].bounds, page.code128, tol));
}

INSTANTIATE_TEST_SUITE_P(Dpi, Resolution, ::testing::Values(150, 300, 600),
                         [](const auto& p) { return std::to_string(p.param) + "Dpi"; });

TEST(DetectBarcodes, NativePassReadsModulesTooNarrowForTheReducedCopy) {
  PixPtr page = WhiteA4(300);
  // 2-pixel modules at 300 dpi (0.17 mm): 1.3 pixels in the 200-dpi copy. The turned
  // code is out of reach of the full-resolution row scan too.
  const std::string url = "https://example.dk/sag/2024-0815?id=1234567890";
  PixelBox qr = Draw(page.get(), "QRCode", url, 2, 1000, 1000);
  PixelBox turned = DrawTurned(page.get(), "Code128", "ASN00042", 2, 1000, 2000, 120);
  BarcodeOptions options;
  options.native_pass = true;
  std::vector<Barcode> found = Detect(page.get(), options);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, url);
  EXPECT_TRUE(BoxNear(found[0].bounds, qr, 2));
  EXPECT_EQ(found[1].text, "ASN00042");
  EXPECT_TRUE(BoxNear(found[1].bounds, turned, 3));
  // The contrast that makes native_pass worth its time.
  EXPECT_THAT(Detect(page.get()), IsEmpty());
}

TEST(DetectBarcodes, CoarseDpiZeroSearchesAtFullResolution) {
  PixPtr page = WhiteA4(300);
  const std::string url = "https://example.dk/sag/2024-0815?id=1234567890";
  PixelBox qr = Draw(page.get(), "QRCode", url, 2, 1000, 1000);
  BarcodeOptions options;
  options.coarse_dpi = 0;
  std::vector<Barcode> found = Detect(page.get(), options);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(BoxNear(found[0].bounds, qr, 2));
}

// 0.17-mm bars (2 pixels at 300 dpi), blurred as by a soft scanner: the 200-dpi copy
// smears them; the rows of the full-resolution page still read.
TEST(DetectBarcodes, ReadsBlurredVeryNarrowCode128ByScanningFullResolutionRows) {
  PixPtr page = WhiteA4(300);
  TextNoise(page.get(), {100, 100, 2280, 2800}, 300, 8);
  PixelBox code = Draw(page.get(), "Code128", "ASN00042", 2, 800, 3100, 120);
  PixPtr blurred(pixBlockconv(page.get(), 1, 1));
  std::vector<Barcode> found = Detect(blurred.get());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "ASN00042");
  EXPECT_TRUE(BoxNear(found[0].bounds, code, 4));
  // The contrast that makes native_linear_rows worth its time.
  BarcodeOptions reduced_only;
  reduced_only.native_linear_rows = false;
  EXPECT_THAT(Detect(blurred.get(), reduced_only), IsEmpty());
}

// Regression test: upright codes found at full resolution are found again in the reduced
// copy; that must not end the reduced copy's search before the turned code is read.
TEST(DetectBarcodes, ReadsTurnedLinearCodeAfterUprightOnesFoundAtBothScales) {
  PixPtr page = WhiteA4(300);
  PixelBox a = Draw(page.get(), "Code128", "OPRET-A", 4, 300, 300, 150);
  PixelBox b = Draw(page.get(), "Code39", "OPRET-B", 4, 300, 800, 150);
  PixelBox turned = DrawTurned(page.get(), "Code128", "DREJET-C", 4, 1800, 1500, 150);
  std::vector<Barcode> found = Detect(page.get());
  ASSERT_EQ(found.size(), 3u);
  ASSERT_NE(FindText(found, "OPRET-A"), nullptr);
  ASSERT_NE(FindText(found, "OPRET-B"), nullptr);
  const Barcode* c = FindText(found, "DREJET-C");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(BoxNear(FindText(found, "OPRET-A")->bounds, a, 4));
  EXPECT_TRUE(BoxNear(FindText(found, "OPRET-B")->bounds, b, 4));
  EXPECT_TRUE(BoxNear(c->bounds, turned, 5));
}

TEST(DetectBarcodes, FindsNothingOnARealTextScan) {
  PixPtr scan(pixRead(INTAKE_SHARED_DIR "/testdata/scans/linn.png"));
  ASSERT_NE(scan, nullptr);
  EXPECT_THAT(Detect(scan.get()), IsEmpty());
  BarcodeOptions native;
  native.native_pass = true;
  EXPECT_THAT(Detect(scan.get(), native), IsEmpty());
}

TEST(DetectBarcodes, FindsNothingOnTextLikeMarks) {
  PixPtr page = WhiteA4(300);
  TextNoise(page.get(), {100, 100, 2280, 3300}, 300, 11);
  EXPECT_THAT(Detect(page.get()), IsEmpty());
}

TEST(DetectBarcodes, FindsNothingOnSpeckleNoise) {
  PixPtr page = WhiteA4(300);
  Speckle(page.get(), 5);
  EXPECT_THAT(Detect(page.get()), IsEmpty());
}

TEST(DetectBarcodes, ReadsOneBitPerPixelPage) {
  TestPage page = QrAndCode128Page();
  PixPtr binary(pixThresholdToBinary(page.pix.get(), 128));
  ASSERT_EQ(pixGetDepth(binary.get()), 1);
  std::vector<Barcode> found = Detect(binary.get());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, kDanishPayload);
  EXPECT_TRUE(BoxNear(found[0].bounds, page.qr, 4));
  EXPECT_EQ(found[1].text, "PATCH-T 0042");
}

TEST(DetectBarcodes, ReadsRgbPage) {
  TestPage page = QrAndCode128Page();
  PixPtr rgb(pixConvert8To32(page.pix.get()));
  ASSERT_EQ(pixGetDepth(rgb.get()), 32);
  std::vector<Barcode> found = Detect(rgb.get());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, kDanishPayload);
}

TEST(DetectBarcodes, ReadsColormappedPagesOfTwoAndEightBits) {
  TestPage page = QrAndCode128Page();
  PixPtr small(pixConvertGrayToColormap(page.pix.get()));  // few greys: 2 bpp
  PixPtr full(pixConvertGrayToColormap8(page.pix.get(), 8));
  for (PIX* mapped : {small.get(), full.get()}) {
    ASSERT_NE(pixGetColormap(mapped), nullptr);
    std::vector<Barcode> found = Detect(mapped);
    ASSERT_EQ(found.size(), 2u) << pixGetDepth(mapped) << " bpp";
    EXPECT_EQ(found[0].text, kDanishPayload);
  }
}

TEST(DetectBarcodes, LeavesTheCallersImageUnchanged) {
  TestPage page = QrAndCode128Page();
  PixPtr before(pixCopy(nullptr, page.pix.get()));
  ASSERT_FALSE(Detect(page.pix.get()).empty());
  l_int32 same = 0;
  pixEqual(before.get(), page.pix.get(), &same);
  EXPECT_TRUE(same);
  EXPECT_EQ(pixGetRefcount(page.pix.get()), 1);
}

TEST(DetectBarcodes, FormatsOptionLimitsTheSearch) {
  TestPage page = QrAndCode128Page();
  BarcodeOptions options;
  options.formats = {"code128"};
  EXPECT_THAT(Detect(page.pix.get(), options), ElementsAre(Field(&Barcode::format, "Code128")));
  options.formats = {"QRCode", "EAN-13"};
  EXPECT_THAT(Detect(page.pix.get(), options), ElementsAre(Field(&Barcode::format, "QRCode")));
}

TEST(DetectBarcodes, ReturnsEmptyListForTinyImages) {
  for (int side : {1, 7}) {
    for (int depth : {1, 8, 32}) {
      PixPtr tiny(pixCreate(side, side, depth));
      Result<std::vector<Barcode>> r = DetectBarcodes(tiny.get());
      ASSERT_TRUE(r.has_value()) << side << "px, " << depth << " bpp";
      EXPECT_THAT(*r, IsEmpty());
    }
  }
  PixPtr line(pixCreate(3000, 1, 8));
  Result<std::vector<Barcode>> r = DetectBarcodes(line.get());
  ASSERT_TRUE(r.has_value());
  EXPECT_THAT(*r, IsEmpty());
}

TEST(DetectBarcodes, ReturnsEmptyListForABlankPage) {
  PixPtr page = WhiteA4(300);
  EXPECT_THAT(Detect(page.get()), IsEmpty());
  PixPtr black(pixCreate(1000, 1000, 8));  // all zero: black
  EXPECT_THAT(Detect(black.get()), IsEmpty());
}

TEST(DetectBarcodes, RefusesUnsupportedDepthsWithInvalidArgument) {
  for (int depth : {2, 4, 16}) {
    PixPtr pix(pixCreate(100, 100, depth));
    Result<std::vector<Barcode>> r = DetectBarcodes(pix.get());
    ASSERT_FALSE(r.has_value()) << depth;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), ::testing::HasSubstr(std::to_string(depth) + " bit"));
  }
}

TEST(DetectBarcodes, RefusesUnknownFormatNameAndListsTheKnownOnes) {
  PixPtr page = WhiteA4(150);
  BarcodeOptions options;
  options.formats = {"QRCode", "Stregkode"};
  Result<std::vector<Barcode>> r = DetectBarcodes(page.get(), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), ::testing::HasSubstr("'Stregkode'"));
  EXPECT_THAT(r.error().message(), ::testing::HasSubstr("Code128"));
}

TEST(DetectBarcodes, RefusesResolutionsOutOfRange) {
  PixPtr page = WhiteA4(150);
  for (auto [dpi, coarse] : {std::pair(-1, 200), std::pair(49, 200), std::pair(4801, 200),
                             std::pair(300, -5), std::pair(300, 20), std::pair(300, 1201)}) {
    BarcodeOptions options;
    options.dpi = dpi;
    options.coarse_dpi = coarse;
    Result<std::vector<Barcode>> r = DetectBarcodes(page.get(), options);
    ASSERT_FALSE(r.has_value()) << dpi << " " << coarse;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), ::testing::HasSubstr("dpi"));
  }
}

TEST(DetectBarcodes, DefaultFormatsAreZxingNamesWithoutMaxiCodeAndMicroQr) {
  std::vector<std::string> names = DefaultBarcodeFormats();
  EXPECT_THAT(names, ::testing::IsSupersetOf({"QRCode", "DataMatrix", "Aztec", "PDF417", "Code128",
                                              "Code39", "EAN-13", "ITF"}));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("MaxiCode")));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("MicroQRCode")));
}

TEST(DetectBarcodes, ConcurrentCallsOnSeparatePagesAgree) {
  TestPage a = QrAndCode128Page();
  PixPtr b = WhiteA4(300);
  Draw(b.get(), "DataMatrix", "TRÅD-2", 6, 300, 300);
  Draw(b.get(), "Code128", "TRAAD-2", 4, 300, 3000, 150);
  std::vector<Barcode> alone_a = Detect(a.pix.get()), alone_b = Detect(b.get());
  std::vector<Barcode> together_a, together_b;
  std::thread ta([&] {
    for (int i = 0; i < 3; ++i) together_a = Detect(a.pix.get());
  });
  std::thread tb([&] {
    for (int i = 0; i < 3; ++i) together_b = Detect(b.get());
  });
  ta.join();
  tb.join();
  ASSERT_EQ(alone_a.size(), 2u);
  ASSERT_EQ(alone_b.size(), 2u);
  ASSERT_EQ(together_a.size(), alone_a.size());
  ASSERT_EQ(together_b.size(), alone_b.size());
  for (size_t i = 0; i < alone_a.size(); ++i) EXPECT_EQ(together_a[i].text, alone_a[i].text);
  for (size_t i = 0; i < alone_b.size(); ++i) EXPECT_EQ(together_b[i].text, alone_b[i].text);
  EXPECT_EQ(alone_b[0].text, "TRÅD-2");
}

// Timing, not a check: run with --gtest_also_run_disabled_tests --gtest_filter='*Timing*'.
TEST(DetectBarcodes, DISABLED_TimingPerA4Page) {
  PixPtr linn(pixRead(INTAKE_SHARED_DIR "/testdata/scans/linn.png"));
  ASSERT_NE(linn, nullptr);
  PixPtr linn_grey(pixConvertTo8(linn.get(), 0));
  TestPage qr300 = QrAndCode128Page(300);
  PixPtr qr_only = WhiteA4(300);
  TextNoise(qr_only.get(), {240, 700, 2000, 2500}, 300, 9);
  Draw(qr_only.get(), "QRCode", kDanishPayload, 5, 1900, 180);
  TestPage qr600 = QrAndCode128Page(600);
  TestPage qr150 = QrAndCode128Page(150);
  struct Case {
    const char* name;
    PIX* pix;
  } cases[] = {{"linn.png 300 dpi text, 1 bpp", linn.get()},
               {"linn.png 300 dpi text, 8 bpp", linn_grey.get()},
               {"A4 300 dpi text + QR, 8 bpp", qr_only.get()},
               {"A4 300 dpi text + QR + Code128", qr300.pix.get()},
               {"A4 600 dpi text + QR + Code128", qr600.pix.get()},
               {"A4 150 dpi text + QR + Code128", qr150.pix.get()}};
  BarcodeOptions defaults, native;
  native.native_pass = true;
  for (const Case& c : cases) {
    for (const BarcodeOptions* options : {&defaults, &native}) {
      std::vector<double> wall, cpu;
      size_t n = 0;
      for (int i = 0; i < 9; ++i) {
        timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        auto t0 = std::chrono::steady_clock::now();
        n = Detect(c.pix, *options).size();
        wall.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        cpu.push_back((c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6);
      }
      std::sort(wall.begin(), wall.end());
      std::sort(cpu.begin(), cpu.end());
      std::printf("%-34s %-7s found %zu  wall min %6.1f median %6.1f ms  cpu median %6.1f ms\n",
                  c.name, options->native_pass ? "native" : "default", n, wall.front(),
                  wall[wall.size() / 2], cpu[cpu.size() / 2]);
    }
  }
}

}  // namespace
}  // namespace intake::ocr
