#include "pdf/jpeg_encoder.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

// clang-format off
#include <jpeglib.h>
// clang-format on

#include "tests/pdf/pdf_test_pages.h"

namespace intake::pdf {
namespace {

struct Decoded {
  int width = 0, height = 0, components = 0, density_unit = 0, x_density = 0;
  bool progressive = true;
  std::vector<uint8_t> pixels;  // packed rows
};

// Test-only decoder: libjpeg's default error handler ends the process on a broken file,
// which fails the test loudly.
Decoded Decode(const std::string& jpeg) {
  Decoded d;
  jpeg_decompress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(jpeg.data()),
               static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(&cinfo, TRUE);
  d.progressive = cinfo.progressive_mode;
  d.density_unit = cinfo.density_unit;
  d.x_density = cinfo.X_density;
  jpeg_start_decompress(&cinfo);
  d.width = static_cast<int>(cinfo.output_width);
  d.height = static_cast<int>(cinfo.output_height);
  d.components = cinfo.output_components;
  d.pixels.resize(static_cast<size_t>(d.width) * d.height * d.components);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row =
        d.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * d.width * d.components;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return d;
}

PageRaster SmallPage() {
  testpages::TextStyle style;
  style.left = 20;
  style.top = 100;
  auto page = testpages::MakeTextPage({{"Blåbær", "grød"}}, style, 400, 300, 200);
  testpages::FillRect(&page.raster, 20, 200, 120, 280);  // a solid black block
  return page.raster;
}

bool HasMarker(const std::string& jpeg, unsigned char marker) {
  for (size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (static_cast<unsigned char>(jpeg[i]) == 0xFF &&
        static_cast<unsigned char>(jpeg[i + 1]) == marker)
      return true;
  }
  return false;
}

TEST(JpegEncoderTest, GreyRasterBecomesBaselineGreyJpegWithItsResolution) {
  const PageRaster grey = testpages::ToGray(SmallPage());
  auto jpeg = EncodeJpeg(grey, 75);
  ASSERT_TRUE(jpeg) << jpeg.error().ToString();
  EXPECT_TRUE(HasMarker(*jpeg, 0xC0));   // SOF0: baseline
  EXPECT_FALSE(HasMarker(*jpeg, 0xC2));  // no progressive frame
  const Decoded d = Decode(*jpeg);
  EXPECT_EQ(d.width, 400);
  EXPECT_EQ(d.height, 300);
  EXPECT_EQ(d.components, 1);
  EXPECT_FALSE(d.progressive);
  EXPECT_EQ(d.density_unit, 1);
  EXPECT_EQ(d.x_density, 200);
  // inside the black block and on white paper
  EXPECT_LT(d.pixels[240 * 400 + 70], 40);
  EXPECT_GT(d.pixels[20 * 400 + 5], 215);
}

TEST(JpegEncoderTest, RgbRasterWithPaddedRowsKeepsItsColours) {
  const PageRaster rgb = testpages::ToRgb(SmallPage());  // stride = 3 * width + 5
  auto jpeg = EncodeJpeg(rgb, 90);
  ASSERT_TRUE(jpeg) << jpeg.error().ToString();
  const Decoded d = Decode(*jpeg);
  ASSERT_EQ(d.components, 3);
  ASSERT_EQ(d.width, 400);
  const uint8_t* black = &d.pixels[(240 * 400 + 70) * 3];
  EXPECT_LT(black[0] + black[1] + black[2], 90);
  const uint8_t* paper = &d.pixels[(10 * 400 + 5) * 3];  // red 255, green and blue near 255
  EXPECT_GT(paper[0], 230);
  EXPECT_GT(paper[1], 220);
}

TEST(JpegEncoderTest, LowerQualityMakesSmallerFiles) {
  const PageRaster grey = testpages::ToGray(SmallPage());
  auto low = EncodeJpeg(grey, 20);
  auto high = EncodeJpeg(grey, 95);
  ASSERT_TRUE(low);
  ASSERT_TRUE(high);
  EXPECT_LT(low->size(), high->size());
}

}  // namespace
}  // namespace intake::pdf
