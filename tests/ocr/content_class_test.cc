// Which pages are archived bilevel (text), grey or colour.
#include "ocr/content_class.h"

#include <gtest/gtest.h>

#include <string>

namespace intake::ocr {
namespace {

const std::string kScans = std::string(INTAKE_SHARED_DIR) + "/testdata/scans/";

PixPtr Gray(const std::string& path) {
  PixPtr pix(pixRead(path.c_str()));
  EXPECT_NE(pix, nullptr) << path;
  return PixPtr(pixConvertTo8(pix.get(), 0));
}

PixPtr WhitePage(int depth) {
  PixPtr pix(pixCreate(2480, 3508, depth));
  pixSetAllArbitrary(pix.get(), depth == 32 ? 0xfafafa00 : 250);
  return pix;
}

TEST(ClassifyContent, ARealTextScanIsText) {
  PixPtr linn = Gray(kScans + "linn.png");
  EXPECT_EQ(ClassifyContent(linn.get(), nullptr, 300, false).content, PageContent::kText);
}

TEST(ClassifyContent, AGreyScanDeliveredAsRgbIsNotColour) {
  PixPtr linn = Gray(kScans + "linn.png");
  PixPtr rgb(pixConvertTo32(linn.get()));
  const ContentClassification c = ClassifyContent(linn.get(), rgb.get(), 300, false);
  EXPECT_EQ(c.content, PageContent::kText);
  EXPECT_EQ(c.color_fraction, 0);
}

TEST(ClassifyContent, AStampOnlyPageInGreyInkIsText) {
  PixPtr stamp = Gray(std::string(INTAKE_TEST_PAGES_DIR) + "/p012.png");
  EXPECT_EQ(ClassifyContent(stamp.get(), nullptr, 300, false).content, PageContent::kText);
}

TEST(ClassifyContent, APhotographOnALetterMakesItAGreyImagePage) {
  PixPtr page = WhitePage(8);
  // A 5 × 4 cm photograph: a smooth gradient of mid tones.
  for (int y = 1000; y < 1000 + 472; ++y) {
    for (int x = 600; x < 600 + 590; ++x) {
      pixSetPixel(page.get(), x, y, static_cast<l_uint32>(70 + (x - 600) * 120 / 590));
    }
  }
  const ContentClassification c = ClassifyContent(page.get(), nullptr, 300, false);
  EXPECT_EQ(c.content, PageContent::kGrayImage);
  EXPECT_GT(c.tone_fraction, 0.01);
}

TEST(ClassifyContent, ABlueSignatureMakesItAColourPage) {
  PixPtr rgb = WhitePage(32);
  // A 5 cm scribble of 0.5 mm strokes.
  for (int i = 0; i < 10; ++i) {
    pixRenderLineArb(rgb.get(), 1000 + i * 60, 2500 - (i % 2) * 120, 1060 + i * 60,
                     2380 + (i % 2) * 120, 6, 20, 40, 200);
  }
  PixPtr gray(pixConvertRGBToLuminance(rgb.get()));
  const ContentClassification c = ClassifyContent(gray.get(), rgb.get(), 300, false);
  EXPECT_EQ(c.content, PageContent::kColorImage);
}

TEST(ClassifyContent, TheRealColourIllustrationIsColour) {
  PixPtr map(pixRead((kScans + "baiona.png").c_str()));
  ASSERT_NE(map, nullptr);
  PixPtr rgb(pixConvertTo32(map.get()));
  PixPtr gray(pixConvertRGBToLuminance(rgb.get()));
  EXPECT_EQ(ClassifyContent(gray.get(), rgb.get(), 150, false).content,
            PageContent::kColorImage);
}

TEST(ClassifyContent, BilevelInputIsAlwaysText) {
  PixPtr page = WhitePage(8);
  BoxPtr photo(boxCreate(100, 100, 1500, 1500));
  pixSetInRectArbitrary(page.get(), photo.get(), 128);
  EXPECT_EQ(ClassifyContent(page.get(), nullptr, 300, true).content, PageContent::kText);
}

}  // namespace
}  // namespace intake::ocr
