// Preprocessing stages on generated pages of known skew and orientation, and on the real
// scan linn.png from ../shared/testdata (turned and skewed by known amounts).
#include "ocr/preprocess.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "ocr/ocr_engine.h"

namespace intake::ocr {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kDpi = 300;
constexpr int kA4Width = 2480;
constexpr int kA4Height = 3508;

std::chrono::steady_clock::time_point Later() {
  return std::chrono::steady_clock::now() + std::chrono::seconds(60);
}

PixPtr LoadLinn() {
  const std::string path = std::string(INTAKE_SHARED_DIR) + "/testdata/scans/linn.png";
  PixPtr pix(pixRead(path.c_str()));
  EXPECT_NE(pix, nullptr) << "cannot read " << path;
  return PixPtr(pixConvertTo8(pix.get(), 0));
}

// A grey A4 page of the given paper tone.
PixPtr Paper(int tone = 255, int width = kA4Width, int height = kA4Height) {
  PixPtr pix(pixCreate(width, height, 8));
  pixSetAllArbitrary(pix.get(), static_cast<l_uint32>(tone));
  return pix;
}

// Draws `text` in black with Leptonica's built-in bitmap font onto an 8 bpp page; size 10
// is about 12 pt print at 300 dpi. (x, y) is the start of the baseline.
void DrawText(PIX* page, const std::string& text, int x, int y, int font_size = 10) {
  L_BMF* bmf = bmfCreate(nullptr, font_size);
  ASSERT_NE(bmf, nullptr);
  PixPtr layer(pixCreate(pixGetWidth(page), pixGetHeight(page), 1));
  pixSetTextline(layer.get(), bmf, text.c_str(), 1, x, y, nullptr, nullptr);
  bmfDestroy(&bmf);
  pixSetMasked(page, layer.get(), 0);
}

PageImage Page(PixPtr pix, int dpi = kDpi) {
  PageImage page;
  page.pix = std::move(pix);
  page.dpi = dpi;
  page.source = "test.png";
  return page;
}

// Rotates an 8 bpp page's content counter-clockwise by `degrees`, keeping the size.
PixPtr SkewCounterClockwise(const PIX* pix, double degrees) {
  return PixPtr(pixRotate(const_cast<PIX*>(pix), static_cast<float>(-degrees * kPi / 180.0),
                          L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
}

class DeskewTest : public ::testing::TestWithParam<double> {};

// The issue asks for ±10° at 0.1° accuracy on text pages.
TEST_P(DeskewTest, FindsKnownSkewOfARealScanWithinATenthOfADegree) {
  const double skew = GetParam();
  PixPtr linn = LoadLinn();
  ASSERT_NE(linn, nullptr);
  PixPtr baseline_bin = Binarize(linn.get());
  const SkewResult baseline = DetectSkew(baseline_bin.get(), kDpi, 12.0);  // the scan's own tilt
  PixPtr skewed = SkewCounterClockwise(linn.get(), skew);
  PixPtr bin = Binarize(skewed.get());
  SkewResult found = DetectSkew(bin.get(), kDpi, 12.0);
  ASSERT_TRUE(found.found) << "confidence " << found.confidence;
  EXPECT_NEAR(found.degrees - baseline.degrees, skew, 0.1);
}

INSTANTIATE_TEST_SUITE_P(Angles, DeskewTest,
                         ::testing::Values(-10.0, -7.5, -4.5, -1.3, -0.3, 0.0, 0.4, 2.2, 5.0,
                                           9.5));

TEST(PreparePage, StraightensASkewedPageSoItsTextIsLevel) {
  PixPtr linn = LoadLinn();
  PixPtr skewed = SkewCounterClockwise(linn.get(), 4.0);
  Result<PreparedPage> p = PreparePage(Page(std::move(skewed)), {}, nullptr, Later());
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_TRUE(p->skew_corrected);
  EXPECT_NEAR(p->skew.degrees, 4.0, 0.15);
  // After correction the page measures level.
  SkewResult after = DetectSkew(p->binary.get(), kDpi, 12.0);
  EXPECT_NEAR(after.degrees, 0.0, 0.1);
  EXPECT_EQ(pixGetWidth(p->gray.get()), pixGetWidth(linn.get()));  // size kept
}

class OrientationTest : public ::testing::TestWithParam<int> {};

TEST_P(OrientationTest, TurnsARealScanUprightFromEveryQuarterTurn) {
  const int upright_rotation = GetParam();  // clockwise turn that makes the page upright
  PixPtr linn = LoadLinn();
  // Turn the upright page counter-clockwise by the same amount.
  PixPtr turned = RotateClockwise(linn.get(), (360 - upright_rotation) % 360);
  Result<PreparedPage> p = PreparePage(Page(std::move(turned)), {}, nullptr, Later());
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_TRUE(p->orientation.decided);
  EXPECT_EQ(p->orientation.degrees, upright_rotation);
  EXPECT_EQ(pixGetWidth(p->gray.get()), pixGetWidth(linn.get()));
  EXPECT_EQ(pixGetHeight(p->gray.get()), pixGetHeight(linn.get()));
}

INSTANTIATE_TEST_SUITE_P(QuarterTurns, OrientationTest, ::testing::Values(0, 90, 180, 270));

TEST(PreparePage, TurnsAndStraightensASidewaysSkewedPage) {
  PixPtr linn = LoadLinn();
  PixPtr skewed = SkewCounterClockwise(linn.get(), -3.0);
  PixPtr turned = RotateClockwise(skewed.get(), 90);  // needs 270 to be upright
  Result<PreparedPage> p = PreparePage(Page(std::move(turned)), {}, nullptr, Later());
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->orientation.decided);
  EXPECT_EQ(p->orientation.degrees, 270);
  EXPECT_NEAR(p->skew.degrees, -3.0, 0.15);
}

TEST(PreparePage, LeavesAPageWithTooLittleTextUnrotatedWithoutOcr) {
  PixPtr page = Paper(245);
  DrawText(page.get(), "Se venligst vedlagte.", 600, 1600);
  PixPtr upside_down = RotateClockwise(page.get(), 180);
  Result<PreparedPage> p = PreparePage(Page(std::move(upside_down)), {}, nullptr, Later());
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->blank.blank);
  EXPECT_FALSE(p->orientation.decided);
  EXPECT_EQ(p->orientation.degrees, 0);
}

// Stands in for Tesseract reading upright text: confident only when the image is wider
// than tall and its largest mark (the marker block drawn before the words) is at the left.
class MarkerEngine : public OcrEngine {
 public:
  Result<OcrResult> Recognize(const PIX* image, int,
                              std::chrono::steady_clock::time_point) override {
    ++calls;
    PIX* p = const_cast<PIX*>(image);
    const int h = pixGetHeight(p), w = pixGetWidth(p);
    BoxaPtr boxes(pixConnCompBB(p, 8));
    int best_area = 0, best_cx = 0;
    for (int i = 0; i < boxaGetCount(boxes.get()); ++i) {
      l_int32 x, y, bw, bh;
      boxaGetBoxGeometry(boxes.get(), i, &x, &y, &bw, &bh);
      if (bw * bh > best_area) {
        best_area = bw * bh;
        best_cx = x + bw / 2;
      }
    }
    OcrResult r;
    r.mean_confidence = (w > h && best_cx < w / 3) ? 91.0f : 35.0f;
    r.words.push_back(OcrWord{"vedlagte", {0, 0, 10, 10}, r.mean_confidence, 0});
    return r;
  }
  std::string Describe() const override { return "marker fake"; }
  int calls = 0;
};

PixPtr MarkedLine() {
  PixPtr page = Paper(255, 1400, 500);
  BoxPtr marker(boxCreate(100, 170, 45, 45));  // letter-sized, next to the words
  pixSetInRectArbitrary(page.get(), marker.get(), 0);
  DrawText(page.get(), "Se venligst vedlagte.", 165, 215, 8);
  return page;
}

TEST(DetectOrientationByOcr, PicksTheRotationOcrReadsClearlyBest) {
  PixPtr upside_down = RotateClockwise(MarkedLine().get(), 180);
  PixPtr bin = Binarize(upside_down.get());
  MarkerEngine engine;
  OrientationResult r = DetectOrientationByOcr(bin.get(), kDpi, engine, Later(), {0, 2});
  EXPECT_EQ(engine.calls, 2);
  EXPECT_TRUE(r.decided);
  EXPECT_EQ(r.degrees, 180);
  EXPECT_EQ(r.method, "ocr");
}

TEST(DetectOrientationByOcr, ReadsOnlyTheTurnsThatKeepALongRunOfLettersLevel) {
  PixPtr sideways = RotateClockwise(MarkedLine().get(), 90);  // upright after 270
  PixPtr bin = Binarize(sideways.get());
  MarkerEngine engine;
  OrientationResult r = DetectOrientationByOcr(bin.get(), kDpi, engine, Later(), {0, 1, 2, 3});
  EXPECT_EQ(engine.calls, 2);  // the run is tall: only 90 and 270 are read
  EXPECT_TRUE(r.decided);
  EXPECT_EQ(r.degrees, 270);
}

TEST(DetectOrientationByOcr, StaysUndecidedWhenNoRotationIsClearlyBetter) {
  class FlatEngine : public OcrEngine {
   public:
    Result<OcrResult> Recognize(const PIX*, int, std::chrono::steady_clock::time_point) override {
      OcrResult r;
      r.mean_confidence = 70;
      r.words.push_back(OcrWord{"ordet", {0, 0, 5, 5}, 70, 0});
      return r;
    }
    std::string Describe() const override { return "flat"; }
  } engine;
  PixPtr page = Paper(255, 800, 600);
  DrawText(page.get(), "Tak", 100, 200);
  PixPtr bin = Binarize(page.get());
  OrientationResult r = DetectOrientationByOcr(bin.get(), kDpi, engine, Later(), {0, 1, 2, 3});
  EXPECT_FALSE(r.decided);
}

TEST(DetectOrientationByOcr, RespectsAnExpiredDeadlineByStayingUndecided) {
  class DeadlineEngine : public OcrEngine {
   public:
    Result<OcrResult> Recognize(const PIX*, int,
                                std::chrono::steady_clock::time_point deadline) override {
      if (std::chrono::steady_clock::now() > deadline) {
        return Error(ErrorCode::kCancelled, "tidsgrænsen er overskredet");
      }
      OcrResult r;
      r.mean_confidence = 95;
      return r;
    }
    std::string Describe() const override { return "deadline"; }
  } engine;
  PixPtr page = Paper(255, 800, 600);
  DrawText(page.get(), "Tak", 100, 200);
  PixPtr bin = Binarize(page.get());
  OrientationResult r = DetectOrientationByOcr(bin.get(), kDpi, engine,
                                               std::chrono::steady_clock::now() -
                                                   std::chrono::seconds(1),
                                               {0, 2});
  EXPECT_FALSE(r.decided);
}

// ---- blank pages ----

PixPtr BleedThrough(int paper_tone, double strength) {
  // The mirrored back of a real printed page, faint, on toned paper.
  PixPtr linn = LoadLinn();
  PixPtr mirrored(pixFlipLR(nullptr, linn.get()));
  PixPtr page = Paper(paper_tone, pixGetWidth(linn.get()), pixGetHeight(linn.get()));
  const int w = pixGetWidth(page.get()), h = pixGetHeight(page.get());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      l_uint32 v = 0;
      pixGetPixel(mirrored.get(), x, y, &v);
      const int darkening = static_cast<int>((255 - static_cast<int>(v)) * strength);
      pixSetPixel(page.get(), x, y, static_cast<l_uint32>(std::max(0, paper_tone - darkening)));
    }
  }
  return PixPtr(pixAddGaussianNoise(page.get(), 4.0f));
}

BlankResult BlankOf(PixPtr gray) {
  Result<PreparedPage> p = PreparePage(Page(std::move(gray)), {}, nullptr, Later());
  EXPECT_TRUE(p);
  return p ? p->blank : BlankResult{};
}

TEST(BlankDetection, PureWhitePageIsBlank) { EXPECT_TRUE(BlankOf(Paper(255)).blank); }

TEST(BlankDetection, TonedNoisyPaperIsBlank) {
  PixPtr page = Paper(228);
  EXPECT_TRUE(BlankOf(PixPtr(pixAddGaussianNoise(page.get(), 8.0f))).blank);
}

TEST(BlankDetection, DuplexBackWithBleedThroughIsBlank) {
  EXPECT_TRUE(BlankOf(BleedThrough(238, 0.15)).blank);
}

TEST(BlankDetection, DustAndPunchHolesOnABackAreBlank) {
  PixPtr page = Paper(245);
  // Two punch holes near the left edge (6 mm, dark scanner lid behind them).
  for (int cy : {1400, 2350}) {
    for (int y = -35; y <= 35; ++y) {
      for (int x = -35; x <= 35; ++x) {
        if (x * x + y * y <= 35 * 35) pixSetPixel(page.get(), 140 + x, cy + y, 20);
      }
    }
  }
  // A few specks of dust.
  pixSetPixel(page.get(), 1200, 900, 0);
  BoxPtr speck(boxCreate(1500, 2000, 4, 3));
  pixSetInRectArbitrary(page.get(), speck.get(), 30);
  EXPECT_TRUE(BlankOf(std::move(page)).blank);
}

TEST(BlankDetection, PageWithOnlyOneShortLineIsNotBlank) {
  PixPtr page = Paper(245);
  DrawText(page.get(), "Se venligst vedlagte.", 600, 1600, 8);
  BlankResult r = BlankOf(std::move(page));
  EXPECT_FALSE(r.blank) << "marks " << r.marks << " largest " << r.largest_mark_px;
}

TEST(BlankDetection, PageWithOnlyASignatureIsNotBlank) {
  PixPtr page = Paper(250);
  // A scribble: a few connected pen strokes, 4 cm wide.
  const int pts[][2] = {{1000, 2500}, {1100, 2440}, {1160, 2520}, {1230, 2430},
                        {1300, 2510}, {1380, 2460}, {1470, 2500}};
  for (size_t i = 0; i + 1 < std::size(pts); ++i) {
    PixPtr stroke(pixCreate(kA4Width, kA4Height, 1));
    pixRenderLine(stroke.get(), pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1], 5,
                  L_SET_PIXELS);
    pixSetMasked(page.get(), stroke.get(), 40);
  }
  EXPECT_FALSE(BlankOf(std::move(page)).blank);
}

TEST(PreparePage, DoesNotDeskewASignatureOnlyPage) {
  PixPtr page = Paper(250);
  const int pts[][2] = {{1000, 2500}, {1100, 2400}, {1160, 2520}, {1230, 2430}, {1300, 2510}};
  for (size_t i = 0; i + 1 < std::size(pts); ++i) {
    PixPtr stroke(pixCreate(kA4Width, kA4Height, 1));
    pixRenderLine(stroke.get(), pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1], 5,
                  L_SET_PIXELS);
    pixSetMasked(page.get(), stroke.get(), 40);
  }
  Result<PreparedPage> p = PreparePage(Page(std::move(page)), {}, nullptr, Later());
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->skew.found);
  EXPECT_FALSE(p->skew_corrected);
  EXPECT_FALSE(p->orientation.decided);
}

TEST(BlankDetection, PageWithOnlyAStampIsNotBlank) {
  PixPtr page = Paper(250);
  PixPtr stamp(pixCreate(kA4Width, kA4Height, 1));
  BoxPtr frame(boxCreate(1500, 300, 600, 220));
  pixRenderBox(stamp.get(), frame.get(), 6, L_SET_PIXELS);
  pixSetMasked(page.get(), stamp.get(), 90);
  DrawText(page.get(), "MODTAGET", 1560, 420, 12);
  EXPECT_FALSE(BlankOf(std::move(page)).blank);
}

TEST(BlankDetection, BlankPagesAreNeitherRotatedNorDeskewed) {
  Result<PreparedPage> p = PreparePage(Page(Paper(240)), {}, nullptr, Later());
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->blank.blank);
  EXPECT_FALSE(p->orientation.decided);
  EXPECT_FALSE(p->skew_corrected);
  ASSERT_NE(p->gray, nullptr);  // flagged, never dropped: the images are still there
  ASSERT_NE(p->binary, nullptr);
}

// ---- border and speckles ----

TEST(RemoveScannerBorder, WhitensDarkBedStripsButKeepsTextNearTheEdge) {
  PixPtr page = Paper(240);
  // A black scanner-bed strip along the left edge and a dark wedge at the top.
  BoxPtr strip(boxCreate(0, 0, 90, kA4Height));
  pixSetInRectArbitrary(page.get(), strip.get(), 15);
  for (int x = 0; x < kA4Width; ++x) {
    const int depth = 60 - x * 60 / kA4Width;
    BoxPtr col(boxCreate(x, 0, 1, depth));
    if (depth > 0) pixSetInRectArbitrary(page.get(), col.get(), 30);
  }
  DrawText(page.get(), "Kant", 130, 400);
  int cleared = 0;
  PixPtr out = RemoveScannerBorder(page.get(), kDpi, &cleared);
  EXPECT_GT(cleared, 90 * kA4Height);
  l_uint32 v = 0;
  pixGetPixel(out.get(), 40, 1700, &v);
  EXPECT_EQ(v, 255u);
  pixGetPixel(out.get(), 100, 20, &v);
  EXPECT_EQ(v, 255u);
  // The word near the edge is still there.
  PixPtr bin = Binarize(out.get());
  BoxPtr word(boxCreate(120, 330, 400, 140));
  l_int32 ink = 0;
  pixCountPixelsInRect(bin.get(), word.get(), &ink, nullptr);
  EXPECT_GT(ink, 200);
}

TEST(RemoveSpeckles, RemovesSpecksAndLoneDotsButKeepsTheDotOfAnI) {
  PixPtr bin(pixCreate(600, 400, 1));
  for (int i = 0; i < 40; ++i) pixSetPixel(bin.get(), 10 + i * 13, 50, 1);  // 1 px specks
  BoxPtr two(boxCreate(300, 300, 2, 2));
  pixSetInRectArbitrary(bin.get(), two.get(), 1);
  BoxPtr stem(boxCreate(100, 200, 6, 30));  // the stem of an i at 10 pt ...
  pixSetInRectArbitrary(bin.get(), stem.get(), 1);
  BoxPtr i_dot(boxCreate(100, 188, 6, 6));  // ... and its dot, 0.5 mm above
  pixSetInRectArbitrary(bin.get(), i_dot.get(), 1);
  BoxPtr lone_dot(boxCreate(450, 150, 6, 6));  // dust: no mark within 1 mm
  pixSetInRectArbitrary(bin.get(), lone_dot.get(), 1);
  int removed = 0;
  PixPtr out = RemoveSpeckles(bin.get(), kDpi, &removed);
  EXPECT_EQ(removed, 40 + 4 + 36);
  l_int32 left = 0;
  pixCountPixels(out.get(), &left, nullptr);
  EXPECT_EQ(left, 6 * 30 + 36);
  l_uint32 v = 1;
  pixGetPixel(out.get(), 102, 190, &v);
  EXPECT_EQ(v, 1u);  // the i keeps its dot
}

TEST(PreparePage, KeepsColourForColourPagesInTheSameGeometry) {
  PixPtr linn = LoadLinn();
  PixPtr color(pixConvertTo32(linn.get()));
  // A red stamp makes it a colour page.
  BoxPtr stamp(boxCreate(1800, 200, 400, 200));
  pixSetInRectArbitrary(color.get(), stamp.get(), 0xd0202000);
  PixPtr turned = RotateClockwise(color.get(), 180);
  Result<PreparedPage> p = PreparePage(Page(std::move(turned)), {}, nullptr, Later());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->content.content, PageContent::kColorImage);
  ASSERT_NE(p->color, nullptr);
  EXPECT_EQ(pixGetDepth(p->color.get()), 32);
  EXPECT_EQ(pixGetWidth(p->color.get()), pixGetWidth(p->gray.get()));
  EXPECT_EQ(p->orientation.degrees, 180);
}

TEST(PreparePage, DropsTheColourImageOfAGreyPageScannedInColour) {
  PixPtr linn = LoadLinn();
  PixPtr color(pixConvertTo32(linn.get()));
  Result<PreparedPage> p = PreparePage(Page(std::move(color)), {}, nullptr, Later());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->content.content, PageContent::kText);
  EXPECT_EQ(p->color, nullptr);
}

TEST(PreparePage, RejectsAnImageOfUnsupportedDepth) {
  PixPtr two_bit(pixCreate(100, 100, 2));
  Result<PreparedPage> p = PreparePage(Page(std::move(two_bit)), {}, nullptr, Later());
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message().find("test.png"), std::string::npos);
}

}  // namespace
}  // namespace intake::ocr
