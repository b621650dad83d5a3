// From pipeline results to PDF pages: pixels copied exactly, the image kind chosen by
// content or configuration, and the text layer kept on the image's coordinates.
#include "station/page_raster.h"

#include <gtest/gtest.h>

namespace intake::station {
namespace {

TEST(RasterFromPix, CopiesBilevelRowsMostSignificantBitFirstWithOneAsBlack) {
  ocr::PixPtr pix(pixCreate(20, 3, 1));
  pixSetPixel(pix.get(), 0, 0, 1);
  pixSetPixel(pix.get(), 9, 1, 1);
  pixSetPixel(pix.get(), 19, 2, 1);
  Result<pdf::PageRaster> r = RasterFromPix(pix.get(), 300);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, pdf::PageRaster::Kind::kBilevel);
  EXPECT_EQ(r->stride, 3);
  EXPECT_EQ(r->pixels[0], 0x80);
  EXPECT_EQ(r->pixels[3 + 1], 0x40);
  EXPECT_EQ(r->pixels[6 + 2] & 0xF0, 0x10);
}

TEST(RasterFromPix, CopiesGreyAndColourValues) {
  ocr::PixPtr gray(pixCreate(5, 2, 8));
  pixSetPixel(gray.get(), 4, 1, 77);
  Result<pdf::PageRaster> g = RasterFromPix(gray.get(), 200);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->kind, pdf::PageRaster::Kind::kGray);
  EXPECT_EQ(g->dpi, 200);
  EXPECT_EQ(g->pixels[5 + 4], 77);

  ocr::PixPtr rgb(pixCreate(2, 1, 32));
  l_uint32 value = 0;
  composeRGBPixel(10, 20, 30, &value);
  pixSetPixel(rgb.get(), 1, 0, value);
  Result<pdf::PageRaster> c = RasterFromPix(rgb.get(), 300);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, pdf::PageRaster::Kind::kRgb);
  EXPECT_EQ(c->pixels[3], 10);
  EXPECT_EQ(c->pixels[4], 20);
  EXPECT_EQ(c->pixels[5], 30);
}

TEST(RasterFromPix, RefusesOtherDepths) {
  ocr::PixPtr pix(pixCreate(4, 4, 16));
  EXPECT_FALSE(RasterFromPix(pix.get(), 300));
}

ocr::ProcessedPage Processed(ocr::PageContent content, bool with_color) {
  ocr::ProcessedPage p;
  p.images.dpi = 300;
  p.images.gray.reset(pixCreate(600, 300, 8));
  pixSetAllArbitrary(p.images.gray.get(), 255);
  p.images.binary.reset(pixCreate(600, 300, 1));
  if (with_color) {
    p.images.color.reset(pixCreate(600, 300, 32));
    pixSetAllArbitrary(p.images.color.get(), 0xffffff00);
  }
  p.analysis.content.content = content;
  ocr::OcrResult ocr;
  ocr.words.push_back(ocr::OcrWord{"Kære", {30, 60, 90, 30}, 95, 0});
  ocr.words.push_back(ocr::OcrWord{"Jens", {150, 60, 90, 30}, 95, 0});
  ocr::OcrLine line;
  line.box = {30, 60, 210, 30};
  line.baseline_x1 = 30;
  line.baseline_y1 = 90;
  line.baseline_x2 = 240;
  line.baseline_y2 = 90;
  line.first_word = 0;
  line.word_count = 2;
  ocr.lines.push_back(line);
  p.analysis.ocr = ocr;
  return p;
}

TEST(BuildPdfPage, TextPagesAreBilevelG4AtTheScanResolution) {
  Result<pdf::PageContent> c = BuildPdfPage(Processed(ocr::PageContent::kText, false), {});
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->encoding, pdf::ImageEncoding::kCcittG4);
  EXPECT_EQ(c->image.kind, pdf::PageRaster::Kind::kBilevel);
  EXPECT_EQ(c->image.dpi, 300);
  ASSERT_EQ(c->lines.size(), 1u);
  ASSERT_EQ(c->lines[0].words.size(), 2u);
  EXPECT_EQ(c->lines[0].words[1].text, "Jens");
  EXPECT_EQ(c->lines[0].words[1].x, 150);
  EXPECT_EQ(c->lines[0].baseline_y1, 90);
}

TEST(BuildPdfPage, ColourPagesAreScaledToThePhotoResolutionWithTheirWords) {
  config::PdfSection settings;  // photo_dpi 200, jpeg 75
  Result<pdf::PageContent> c = BuildPdfPage(Processed(ocr::PageContent::kColorImage, true),
                                            settings);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->encoding, pdf::ImageEncoding::kJpeg);
  EXPECT_EQ(c->jpeg_quality, 75);
  EXPECT_EQ(c->image.kind, pdf::PageRaster::Kind::kRgb);
  EXPECT_EQ(c->image.dpi, 200);
  EXPECT_EQ(c->image.width, 400);
  EXPECT_EQ(c->lines[0].words[1].x, 100);  // 150 at 300 dpi
  EXPECT_EQ(c->lines[0].baseline_y1, 60);
}

TEST(BuildPdfPage, ConfigurationCanForceBilevelOrLosslessGrey) {
  config::PdfSection bilevel;
  bilevel.image_mode = config::ImageMode::kBilevel;
  Result<pdf::PageContent> b = BuildPdfPage(Processed(ocr::PageContent::kColorImage, true),
                                            bilevel);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->encoding, pdf::ImageEncoding::kCcittG4);

  config::PdfSection lossless_gray;
  lossless_gray.image_mode = config::ImageMode::kGray;
  lossless_gray.photo_encoding = config::PhotoEncoding::kLossless;
  Result<pdf::PageContent> g = BuildPdfPage(Processed(ocr::PageContent::kText, false),
                                            lossless_gray);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->encoding, pdf::ImageEncoding::kFlate);
  EXPECT_EQ(g->image.kind, pdf::PageRaster::Kind::kGray);
}

TEST(BuildPdfPage, AColourModeOnAGreyScanFallsBackToGrey) {
  config::PdfSection color;
  color.image_mode = config::ImageMode::kColor;
  Result<pdf::PageContent> c = BuildPdfPage(Processed(ocr::PageContent::kText, false), color);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->image.kind, pdf::PageRaster::Kind::kGray);
}

TEST(BuildPdfPage, APageWithoutImagesIsAnInternalError) {
  ocr::ProcessedPage empty;
  EXPECT_FALSE(BuildPdfPage(empty, {}));
}

}  // namespace
}  // namespace intake::station
