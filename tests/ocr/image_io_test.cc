#include "ocr/image_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

// clang-format off
#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>
// clang-format on

#include "base/log.h"
#include "tests/support/temp_dir.h"

// Fixtures are made here, at test time: PNGs with libpng, TIFFs with libtiff, JPEGs with
// libjpeg (so that bit depth, colour type, compression, resolution and markers are exactly
// what each test names), some with Leptonica's writers, and damaged or oversized files by
// editing those bytes or writing headers by hand.

namespace intake::ocr {
namespace {

using testing::ScopedTempDir;

// ---------------------------------------------------------------------------------------
// Writers

struct PngSpec {
  int width = 1;
  int height = 1;
  int bit_depth = 8;
  int color_type = PNG_COLOR_TYPE_GRAY;
  bool interlaced = false;
  std::vector<png_color> palette;
  std::vector<uint8_t> palette_alpha;  // tRNS for palette images
  std::optional<png_color_16> transparent;
  std::optional<std::pair<uint32_t, uint32_t>> pixels_per_metre;  // pHYs
  std::vector<std::vector<uint8_t>> rows;  // as stored (16-bit samples big-endian)
};

void AppendToString(png_structp png, png_bytep data, size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}

void EncodePngInto(const PngSpec& spec, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) std::abort();  // a bug in the test's fixture
  png_set_write_fn(png, out, AppendToString, nullptr);
  png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type,
               spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) {
    png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  }
  if (!spec.palette_alpha.empty()) {
    png_set_tRNS(png, info, spec.palette_alpha.data(), static_cast<int>(spec.palette_alpha.size()),
                 nullptr);
  }
  if (spec.transparent) {
    png_color_16 c = *spec.transparent;
    png_set_tRNS(png, info, nullptr, 0, &c);
  }
  if (spec.pixels_per_metre) {
    png_set_pHYs(png, info, spec.pixels_per_metre->first, spec.pixels_per_metre->second,
                 PNG_RESOLUTION_METER);
  }
  png_write_info(png, info);
  std::vector<png_bytep> rows;
  for (const auto& r : spec.rows) rows.push_back(const_cast<png_bytep>(r.data()));
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
}

std::string EncodePng(const PngSpec& spec) {
  std::string out;
  EncodePngInto(spec, &out);
  return out;
}

// A PNG whose rows hold `channels` 8-bit samples per pixel, filled by `sample(x, y, c)`.
PngSpec Png8(int width, int height, int color_type,
             const std::function<uint8_t(int, int, int)>& sample) {
  PngSpec spec;
  spec.width = width;
  spec.height = height;
  spec.color_type = color_type;
  const int channels = color_type == PNG_COLOR_TYPE_GRAY         ? 1
                       : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                       : color_type == PNG_COLOR_TYPE_RGB        ? 3
                       : color_type == PNG_COLOR_TYPE_RGBA       ? 4
                                                                 : 1;
  for (int y = 0; y < height; ++y) {
    std::vector<uint8_t> row;
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) row.push_back(sample(x, y, c));
    }
    spec.rows.push_back(row);
  }
  return spec;
}

// Packs `value(x, y)` (0 .. 2^bits - 1) into rows of `bits`-bit samples, MSB first.
std::vector<std::vector<uint8_t>> PackRows(int width, int height, int bits,
                                           const std::function<unsigned(int, int)>& value) {
  std::vector<std::vector<uint8_t>> rows;
  for (int y = 0; y < height; ++y) {
    std::vector<uint8_t> row((width * bits + 7) / 8, 0);
    for (int x = 0; x < width; ++x) {
      const int bit = x * bits;
      row[bit / 8] |= static_cast<uint8_t>(value(x, y) << (8 - bits - bit % 8));
    }
    rows.push_back(row);
  }
  return rows;
}

struct TiffPageSpec {
  int width = 1;
  int height = 1;
  int bps = 8;
  int spp = 1;
  int photometric = PHOTOMETRIC_MINISBLACK;
  int compression = COMPRESSION_NONE;
  std::vector<std::vector<uint8_t>> rows;  // scanlines as TIFF stores them (native 16-bit)
  std::string raw_strip;  // if set: the page's only strip, written as is (compressed data)
  float xres = 0;
  float yres = 0;
  int resunit = RESUNIT_INCH;
  int orientation = 0;  // 0 = tag not written
  std::vector<uint16_t> cmap_r, cmap_g, cmap_b;
  int extra_sample = -1;  // an EXTRASAMPLE_* for the last sample, or -1
};

void WriteTiff(const std::string& path, const std::vector<TiffPageSpec>& pages) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  for (const TiffPageSpec& p : pages) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(p.width));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(p.height));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, p.bps);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, p.spp);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, p.compression);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, p.photometric);
    if (p.compression == COMPRESSION_JPEG) {
      TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 95);
      if (p.photometric == PHOTOMETRIC_YCBCR) {
        TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
      }
    }
    if (p.extra_sample >= 0) {
      const uint16_t type = static_cast<uint16_t>(p.extra_sample);
      TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &type);
    }
    if (p.xres > 0) TIFFSetField(tif, TIFFTAG_XRESOLUTION, p.xres);
    if (p.yres > 0) TIFFSetField(tif, TIFFTAG_YRESOLUTION, p.yres);
    if (p.xres > 0 || p.yres > 0) TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, p.resunit);
    if (p.orientation > 0) TIFFSetField(tif, TIFFTAG_ORIENTATION, p.orientation);
    if (!p.cmap_r.empty()) {
      TIFFSetField(tif, TIFFTAG_COLORMAP, p.cmap_r.data(), p.cmap_g.data(), p.cmap_b.data());
    }
    if (!p.raw_strip.empty()) {
      TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, static_cast<uint32_t>(p.height));
      ASSERT_GE(TIFFWriteRawStrip(tif, 0, const_cast<char*>(p.raw_strip.data()),
                                  static_cast<tmsize_t>(p.raw_strip.size())),
                0);
    } else {
      TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, p.compression == COMPRESSION_JPEG ? 16u : 8u);
      for (int y = 0; y < p.height; ++y) {
        ASSERT_GE(TIFFWriteScanline(tif, const_cast<uint8_t*>(p.rows[y].data()), y, 0), 0);
      }
    }
    ASSERT_NE(TIFFWriteDirectory(tif), 0);
  }
  TIFFClose(tif);
}

// The raw (compressed) bytes of the first strip of the first page of the TIFF at `path`.
std::string RawStrip(const std::string& path) {
  TIFF* tif = TIFFOpen(path.c_str(), "r");
  if (tif == nullptr) return "";
  std::string raw(static_cast<size_t>(TIFFRawStripSize(tif, 0)), '\0');
  TIFFReadRawStrip(tif, 0, raw.data(), static_cast<tmsize_t>(raw.size()));
  TIFFClose(tif);
  return raw;
}

// File offsets of the directories (IFDs) of the TIFF at `path`.
std::vector<uint64_t> DirectoryOffsets(const std::string& path) {
  std::vector<uint64_t> offsets;
  TIFF* tif = TIFFOpen(path.c_str(), "r");
  if (tif == nullptr) return offsets;
  do {
    offsets.push_back(TIFFCurrentDirOffset(tif));
  } while (TIFFReadDirectory(tif) != 0);
  TIFFClose(tif);
  return offsets;
}

// Grey 8-bit scanlines for a page whose pixel (x, y) is `value(x, y)`.
std::vector<std::vector<uint8_t>> GreyRows(int width, int height,
                                           const std::function<uint8_t(int, int)>& value) {
  std::vector<std::vector<uint8_t>> rows;
  for (int y = 0; y < height; ++y) {
    std::vector<uint8_t> row;
    for (int x = 0; x < width; ++x) row.push_back(value(x, y));
    rows.push_back(row);
  }
  return rows;
}

struct JpegSpec {
  int width = 1;
  int height = 1;
  int components = 3;
  J_COLOR_SPACE in_space = JCS_RGB;
  std::vector<uint8_t> pixels;  // interleaved samples, rows top to bottom
  bool jfif = true;
  int density_unit = 0;  // 0 none, 1 dpi, 2 dots per cm
  int x_density = 1;
  int y_density = 1;
  std::optional<bool> adobe_marker;  // unset: libjpeg's default for the colour space
  std::string app1;                  // written as an APP1 marker (Exif)
};

std::string EncodeJpeg(const JpegSpec& spec) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);  // errors exit(): a bug in the test's fixture
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = spec.width;
  cinfo.image_height = spec.height;
  cinfo.input_components = spec.components;
  cinfo.in_color_space = spec.in_space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  cinfo.write_JFIF_header = spec.jfif ? TRUE : FALSE;
  cinfo.density_unit = static_cast<UINT8>(spec.density_unit);
  cinfo.X_density = static_cast<UINT16>(spec.x_density);
  cinfo.Y_density = static_cast<UINT16>(spec.y_density);
  if (spec.adobe_marker) cinfo.write_Adobe_marker = *spec.adobe_marker ? TRUE : FALSE;
  jpeg_start_compress(&cinfo, TRUE);
  if (!spec.app1.empty()) {
    jpeg_write_marker(&cinfo, JPEG_APP0 + 1, reinterpret_cast<const JOCTET*>(spec.app1.data()),
                      static_cast<unsigned>(spec.app1.size()));
  }
  const size_t stride = static_cast<size_t>(spec.width) * spec.components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(spec.pixels.data() + cinfo.next_scanline * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  std::free(buffer);
  return out;
}

JpegSpec Jpeg(int width, int height, int components, J_COLOR_SPACE space,
              const std::function<uint8_t(int, int, int)>& sample) {
  JpegSpec spec;
  spec.width = width;
  spec.height = height;
  spec.components = components;
  spec.in_space = space;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < components; ++c) spec.pixels.push_back(sample(x, y, c));
    }
  }
  return spec;
}

std::string LeptonicaBytes(l_uint8* data, size_t size) {
  LeptBytes owner(data);
  return std::string(reinterpret_cast<char*>(data), size);
}

// A 1 bpp test page: white with a black frame and a black block in the top-left quarter.
PixPtr BilevelPattern(int width, int height) {
  PixPtr pix(pixCreate(width, height, 1));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool frame = x == 0 || y == 0 || x == width - 1 || y == height - 1;
      const bool block = x < width / 4 && y < height / 4;
      if (frame || block) pixSetPixel(pix.get(), x, y, 1);
    }
  }
  return pix;
}

// ---------------------------------------------------------------------------------------
// Reading helpers

Result<PageImage> LoadSingle(const std::string& bytes, const std::string& name = "scan.png",
                             const ImageLoadOptions& options = {}) {
  auto reader = ImageFileReader::FromMemory(bytes, name, options);
  if (!reader) return reader.error();
  EXPECT_EQ(reader->page_count(), 1);
  return reader->ReadPage(0);
}

l_uint32 Pixel(const PageImage& page, int x, int y) {
  l_uint32 v = 0;
  pixGetPixel(page.pix.get(), x, y, &v);
  return v;
}

struct Rgb {
  int r, g, b;
};
Rgb RgbAt(const PageImage& page, int x, int y) {
  Rgb c{};
  pixGetRGBPixel(page.pix.get(), x, y, &c.r, &c.g, &c.b);
  return c;
}

int Width(const PageImage& p) { return pixGetWidth(p.pix.get()); }
int Height(const PageImage& p) { return pixGetHeight(p.pix.get()); }
int Depth(const PageImage& p) { return pixGetDepth(p.pix.get()); }

// Checks what PageImage promises about every page.
void ExpectNormalised(const PageImage& page) {
  ASSERT_TRUE(page.pix);
  const int d = Depth(page);
  EXPECT_TRUE(d == 1 || d == 8 || d == 32) << d;
  EXPECT_EQ(pixGetColormap(page.pix.get()), nullptr);
  if (d == 32) {
    EXPECT_EQ(pixGetSpp(page.pix.get()), 3);
  }
  EXPECT_GE(page.dpi, 50);
  l_int32 xres = 0, yres = 0;
  pixGetResolution(page.pix.get(), &xres, &yres);
  EXPECT_EQ(xres, page.dpi);
  EXPECT_EQ(yres, page.dpi);
}

class MemorySink : public log::Sink {
 public:
  void Write(const log::Record& r) override { lines.push_back(r.text); }
  std::vector<std::string> lines;
};

class ImageIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    memory_ = std::make_shared<MemorySink>();
    log::SetSinks({memory_});
    log::SetMinLevel(log::Level::kDebug);
  }
  void TearDown() override {
    log::SetSinks({log::MakeStderrSink()});
    log::SetMinLevel(log::Level::kInfo);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.Sub(name);
    testing::WriteFile(path, bytes);
    return path;
  }

  ScopedTempDir dir_;
  std::shared_ptr<MemorySink> memory_;
};

// ---------------------------------------------------------------------------------------
// PNG: bit depths and colour types

TEST_F(ImageIoTest, OneBitGreyPngStaysOneBppWithBlackAsOne) {
  PngSpec spec;
  spec.width = 13;  // not a multiple of 8: the row padding must not turn black
  spec.height = 3;
  spec.bit_depth = 1;
  spec.rows = PackRows(13, 3, 1, [](int x, int) { return x == 5 ? 0u : 1u; });  // PNG: 0 = black
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 1);
  EXPECT_EQ(Pixel(*page, 5, 1), 1u);
  EXPECT_EQ(Pixel(*page, 4, 1), 0u);
  l_int32 black = 0;
  pixCountPixels(page->pix.get(), &black, nullptr);
  EXPECT_EQ(black, 3);
}

TEST_F(ImageIoTest, EightBitGreyPngKeepsItsValues) {
  auto page =
      LoadSingle(EncodePng(Png8(256, 2, PNG_COLOR_TYPE_GRAY, [](int x, int, int) { return x; })));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);
  for (int x : {0, 1, 77, 128, 255}) EXPECT_EQ(Pixel(*page, x, 1), static_cast<l_uint32>(x));
}

TEST_F(ImageIoTest, SixteenBitGreyPngBecomesEightBit) {
  PngSpec spec;
  spec.width = 3;
  spec.bit_depth = 16;
  spec.rows = {{0x00, 0x00, 0x80, 0x80, 0xff, 0xff}};  // 0, 32896, 65535
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);
  EXPECT_EQ(Pixel(*page, 0, 0), 0u);
  EXPECT_EQ(Pixel(*page, 1, 0), 128u);
  EXPECT_EQ(Pixel(*page, 2, 0), 255u);
}

TEST_F(ImageIoTest, TwoAndFourBitGreyPngsAreScaledToEightBit) {
  for (int bits : {2, 4}) {
    PngSpec spec;
    spec.width = 4;
    spec.bit_depth = bits;
    const unsigned max = (1u << bits) - 1;
    spec.rows = PackRows(4, 1, bits, [max](int x, int) { return x == 0 ? 0u : x == 1 ? 1u : max; });
    auto page = LoadSingle(EncodePng(spec));
    ASSERT_TRUE(page) << page.error().message();
    ExpectNormalised(*page);
    EXPECT_EQ(Depth(*page), 8);
    EXPECT_EQ(Pixel(*page, 0, 0), 0u);
    EXPECT_EQ(Pixel(*page, 1, 0), 255u / max) << bits;
    EXPECT_EQ(Pixel(*page, 2, 0), 255u);
  }
}

TEST_F(ImageIoTest, RgbPngBecomesThirtyTwoBppWithItsColours) {
  auto page = LoadSingle(EncodePng(Png8(3, 1, PNG_COLOR_TYPE_RGB, [](int x, int, int c) {
    return static_cast<uint8_t>(x == c ? 200 : 10);
  })));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 32);
  const Rgb red = RgbAt(*page, 0, 0), blue = RgbAt(*page, 2, 0);
  EXPECT_EQ(red.r, 200);
  EXPECT_EQ(red.g, 10);
  EXPECT_EQ(blue.b, 200);
  EXPECT_EQ(blue.r, 10);
}

TEST_F(ImageIoTest, RgbaPngIsCompositedOverWhite) {
  // x = 0: opaque red; x = 1: fully transparent red; x = 2: half-transparent black.
  auto page = LoadSingle(EncodePng(Png8(3, 1, PNG_COLOR_TYPE_RGBA, [](int x, int, int c) {
    if (c == 3) return static_cast<uint8_t>(x == 0 ? 255 : x == 1 ? 0 : 128);
    if (x == 2) return static_cast<uint8_t>(0);
    return static_cast<uint8_t>(c == 0 ? 255 : 0);
  })));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 32);
  const Rgb opaque = RgbAt(*page, 0, 0), clear = RgbAt(*page, 1, 0), half = RgbAt(*page, 2, 0);
  EXPECT_EQ(opaque.r, 255);
  EXPECT_EQ(opaque.g, 0);
  EXPECT_EQ(clear.g, 255);
  EXPECT_EQ(clear.b, 255);
  EXPECT_NEAR(half.r, 127, 1);
}

TEST_F(ImageIoTest, GreyAlphaPngIsCompositedOverWhiteToGrey) {
  auto page = LoadSingle(EncodePng(Png8(2, 1, PNG_COLOR_TYPE_GRAY_ALPHA, [](int x, int, int c) {
    return static_cast<uint8_t>(c == 0 ? 0 : x == 0 ? 255 : 0);  // black, opaque / clear
  })));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);
  EXPECT_EQ(Pixel(*page, 0, 0), 0u);
  EXPECT_EQ(Pixel(*page, 1, 0), 255u);
}

TEST_F(ImageIoTest, GreyPngWithTransparentColourIsCompositedOverWhite) {
  PngSpec spec = Png8(2, 1, PNG_COLOR_TYPE_GRAY, [](int x, int, int) { return x == 0 ? 0 : 50; });
  png_color_16 transparent{};
  transparent.gray = 50;
  spec.transparent = transparent;
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Pixel(*page, 0, 0), 0u);
  EXPECT_EQ(Pixel(*page, 1, 0), 255u);
}

TEST_F(ImageIoTest, GreyPalettePngBecomesEightBitGrey) {
  PngSpec spec;
  spec.width = 3;
  spec.bit_depth = 4;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.palette = {{0, 0, 0}, {128, 128, 128}, {255, 255, 255}};
  spec.rows = PackRows(3, 1, 4, [](int x, int) { return static_cast<unsigned>(x); });
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);
  EXPECT_EQ(Pixel(*page, 0, 0), 0u);
  EXPECT_EQ(Pixel(*page, 1, 0), 128u);
  EXPECT_EQ(Pixel(*page, 2, 0), 255u);
}

TEST_F(ImageIoTest, ColourPalettePngBecomesRgb) {
  PngSpec spec;
  spec.width = 2;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.palette = {{255, 255, 255}, {200, 30, 40}};
  spec.rows = {{0, 1}};
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 32);
  const Rgb c = RgbAt(*page, 1, 0);
  EXPECT_EQ(c.r, 200);
  EXPECT_EQ(c.g, 30);
  EXPECT_EQ(c.b, 40);
}

TEST_F(ImageIoTest, BlackAndWhitePalettePngStaysOneBppWhicheverIndexIsBlack) {
  for (bool black_first : {true, false}) {
    PngSpec spec;
    spec.width = 4;
    spec.bit_depth = 1;
    spec.color_type = PNG_COLOR_TYPE_PALETTE;
    const png_color black{0, 0, 0}, white{255, 255, 255};
    spec.palette =
        black_first ? std::vector<png_color>{black, white} : std::vector<png_color>{white, black};
    const unsigned black_index = black_first ? 0 : 1;
    spec.rows =
        PackRows(4, 1, 1, [&](int x, int) { return x == 2 ? black_index : 1 - black_index; });
    auto page = LoadSingle(EncodePng(spec));
    ASSERT_TRUE(page) << page.error().message();
    ExpectNormalised(*page);
    EXPECT_EQ(Depth(*page), 1);
    EXPECT_EQ(Pixel(*page, 2, 0), 1u) << black_first;
    EXPECT_EQ(Pixel(*page, 1, 0), 0u) << black_first;
  }
}

TEST_F(ImageIoTest, PalettePngTransparencyIsCompositedOverWhite) {
  PngSpec spec;
  spec.width = 2;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  spec.palette = {{0, 0, 0}, {0, 0, 0}};
  spec.palette_alpha = {255, 0};  // index 1: transparent black
  spec.rows = {{0, 1}};
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);  // grey: a palette with transparency is not two-colour bilevel
  EXPECT_EQ(Pixel(*page, 0, 0), 0u);
  EXPECT_EQ(Pixel(*page, 1, 0), 255u);
}

TEST_F(ImageIoTest, InterlacedPngLoadsLikeItsPlainTwin) {
  PngSpec spec = Png8(37, 23, PNG_COLOR_TYPE_GRAY,
                      [](int x, int y, int) { return static_cast<uint8_t>(x * 7 + y * 3); });
  auto plain = LoadSingle(EncodePng(spec));
  spec.interlaced = true;
  auto interlaced = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(plain) << plain.error().message();
  ASSERT_TRUE(interlaced) << interlaced.error().message();
  l_int32 same = 0;
  pixEqual(plain->pix.get(), interlaced->pix.get(), &same);
  EXPECT_TRUE(same);
}

TEST_F(ImageIoTest, LeptonicaWrittenOneBppPngRoundTripsExactly) {
  PixPtr original = BilevelPattern(101, 57);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixWriteMemPng(&data, &size, original.get(), 0.0f), 0);
  auto page = LoadSingle(LeptonicaBytes(data, size));
  ASSERT_TRUE(page) << page.error().message();
  ASSERT_EQ(Depth(*page), 1);
  l_int32 same = 0;
  pixEqual(original.get(), page->pix.get(), &same);
  EXPECT_TRUE(same);
}

// ---------------------------------------------------------------------------------------
// TIFF: compressions, bit depths, photometric interpretations

TEST_F(ImageIoTest, G4TiffFromLeptonicaKeepsBlackAsOne) {
  PixPtr original = BilevelPattern(203, 111);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(pixWriteMemTiff(&data, &size, original.get(), IFF_TIFF_G4), 0);
  auto page = LoadSingle(LeptonicaBytes(data, size), "fax.tif");
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  ASSERT_EQ(Depth(*page), 1);
  l_int32 same = 0;
  pixEqual(original.get(), page->pix.get(), &same);
  EXPECT_TRUE(same);
}

TEST_F(ImageIoTest, MinIsBlackAndMinIsWhiteBilevelTiffsBothKeepBlackAsOne) {
  for (int photometric : {PHOTOMETRIC_MINISBLACK, PHOTOMETRIC_MINISWHITE}) {
    TiffPageSpec p;
    p.width = 10;
    p.height = 2;
    p.bps = 1;
    p.photometric = photometric;
    p.compression = COMPRESSION_PACKBITS;
    const unsigned black = photometric == PHOTOMETRIC_MINISBLACK ? 0 : 1;
    p.rows = PackRows(10, 2, 1, [&](int x, int) { return x == 3 ? black : 1 - black; });
    const std::string path = dir_.Sub("bilevel.tif");
    WriteTiff(path, {p});
    auto reader = ImageFileReader::Open(path);
    ASSERT_TRUE(reader) << reader.error().message();
    auto page = reader->ReadPage(0);
    ASSERT_TRUE(page) << page.error().message();
    ExpectNormalised(*page);
    EXPECT_EQ(Depth(*page), 1);
    EXPECT_EQ(Pixel(*page, 3, 1), 1u) << photometric;
    l_int32 count = 0;
    pixCountPixels(page->pix.get(), &count, nullptr);
    EXPECT_EQ(count, 2) << photometric;
  }
}

TEST_F(ImageIoTest, GreyTiffLoadsWithEveryCommonCompression) {
  for (int compression :
       {COMPRESSION_NONE, COMPRESSION_LZW, COMPRESSION_ADOBE_DEFLATE, COMPRESSION_PACKBITS}) {
    TiffPageSpec p;
    p.width = 64;
    p.height = 20;
    p.compression = compression;
    p.rows = GreyRows(64, 20, [](int x, int y) { return static_cast<uint8_t>(x * 4 + y); });
    const std::string path = dir_.Sub("grey.tif");
    WriteTiff(path, {p});
    auto reader = ImageFileReader::Open(path);
    ASSERT_TRUE(reader) << reader.error().message();
    auto page = reader->ReadPage(0);
    ASSERT_TRUE(page) << compression << ": " << page.error().message();
    ExpectNormalised(*page);
    EXPECT_EQ(Depth(*page), 8);
    EXPECT_EQ(Pixel(*page, 10, 5), 45u) << compression;
    EXPECT_EQ(Pixel(*page, 63, 19), 271u % 256) << compression;
  }
}

TEST_F(ImageIoTest, G3FaxTiffAt204By98DpiIsResampledToSquare204Dpi) {
  TiffPageSpec p;
  p.width = 1728;  // a fax line
  p.height = 100;
  p.bps = 1;
  p.photometric = PHOTOMETRIC_MINISWHITE;
  p.compression = COMPRESSION_CCITTFAX3;
  p.xres = 204;
  p.yres = 98;
  p.rows = PackRows(1728, 100, 1, [](int x, int y) { return (x < 100 && y < 50) ? 1u : 0u; });
  const std::string path = dir_.Sub("fax.tif");
  WriteTiff(path, {p});
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 1);
  EXPECT_EQ(page->dpi, 204);
  EXPECT_FALSE(page->dpi_assumed);
  EXPECT_EQ(Width(*page), 1728);
  EXPECT_EQ(Height(*page), 208);  // 100 * 204 / 98, rounded
  // The black block (top 50 rows) now covers about 104 rows.
  EXPECT_EQ(Pixel(*page, 50, 100), 1u);
  EXPECT_EQ(Pixel(*page, 50, 110), 0u);
}

TEST_F(ImageIoTest, JpegCompressedTiffLoadsAsRgb) {
  TiffPageSpec p;
  p.width = 32;
  p.height = 32;
  p.spp = 3;
  p.photometric = PHOTOMETRIC_YCBCR;
  p.compression = COMPRESSION_JPEG;
  for (int y = 0; y < 32; ++y) {
    std::vector<uint8_t> row;
    for (int x = 0; x < 32; ++x) {
      const bool left = x < 16;
      row.insert(row.end(), {static_cast<uint8_t>(left ? 220 : 20), 30,
                             static_cast<uint8_t>(left ? 30 : 220)});
    }
    p.rows.push_back(row);
  }
  const std::string path = dir_.Sub("jpeg.tif");
  WriteTiff(path, {p});
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 32);
  const Rgb left = RgbAt(*page, 4, 4), right = RgbAt(*page, 28, 28);
  EXPECT_NEAR(left.r, 220, 12);
  EXPECT_NEAR(left.b, 30, 12);
  EXPECT_NEAR(right.b, 220, 12);
  EXPECT_NEAR(right.r, 20, 12);
}

TEST_F(ImageIoTest, SixteenBitGreyTiffBecomesEightBit) {
  TiffPageSpec p;
  p.width = 3;
  p.bps = 16;
  std::vector<uint8_t> row(6);
  const uint16_t values[] = {0, 32896, 65535};
  std::memcpy(row.data(), values, 6);  // native order, as TIFFWriteScanline wants
  p.rows = {row};
  const std::string path = dir_.Sub("grey16.tif");
  WriteTiff(path, {p});
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);
  EXPECT_EQ(Pixel(*page, 0, 0), 0u);
  EXPECT_EQ(Pixel(*page, 1, 0), 128u);
  EXPECT_EQ(Pixel(*page, 2, 0), 255u);
}

TEST_F(ImageIoTest, MinIsWhiteGreyTiffIsInverted) {
  TiffPageSpec p;
  p.width = 2;
  p.photometric = PHOTOMETRIC_MINISWHITE;
  p.rows = {{0, 255}};  // white, black
  const std::string path = dir_.Sub("miniswhite.tif");
  WriteTiff(path, {p});
  auto page = ImageFileReader::Open(path)->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(Pixel(*page, 0, 0), 255u);
  EXPECT_EQ(Pixel(*page, 1, 0), 0u);
}

TEST_F(ImageIoTest, RgbAndRgbaTiffsLoadAsRgbWithAlphaOverWhite) {
  TiffPageSpec rgb;
  rgb.width = 2;
  rgb.spp = 3;
  rgb.photometric = PHOTOMETRIC_RGB;
  rgb.compression = COMPRESSION_LZW;
  rgb.rows = {{200, 10, 20, 0, 0, 255}};
  TiffPageSpec rgba = rgb;
  rgba.spp = 4;
  rgba.extra_sample = EXTRASAMPLE_UNASSALPHA;
  rgba.rows = {{200, 10, 20, 255, 0, 0, 0, 0}};  // opaque colour, transparent black
  const std::string path = dir_.Sub("rgb.tif");
  WriteTiff(path, {rgb, rgba});
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ(reader->page_count(), 2);
  auto first = reader->ReadPage(0);
  auto second = reader->ReadPage(1);
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_TRUE(second) << second.error().message();
  ExpectNormalised(*first);
  ExpectNormalised(*second);
  EXPECT_EQ(RgbAt(*first, 0, 0).r, 200);
  EXPECT_EQ(RgbAt(*first, 1, 0).b, 255);
  EXPECT_EQ(RgbAt(*second, 0, 0).g, 10);
  const Rgb clear = RgbAt(*second, 1, 0);
  EXPECT_EQ(clear.r, 255);
  EXPECT_EQ(clear.g, 255);
}

TEST_F(ImageIoTest, PaletteTiffsBecomeBilevelGreyOrRgbByTheirColours) {
  TiffPageSpec bw;  // 1-bit palette: white, black
  bw.width = 8;
  bw.bps = 1;
  bw.photometric = PHOTOMETRIC_PALETTE;
  bw.cmap_r = bw.cmap_g = bw.cmap_b = {65535, 0};
  bw.rows = {{0x10}};   // pixel 3 is index 1 (black)
  TiffPageSpec colour;  // 8-bit palette with a colour
  colour.width = 2;
  colour.bps = 8;
  colour.photometric = PHOTOMETRIC_PALETTE;
  colour.cmap_r.assign(256, 0);
  colour.cmap_g.assign(256, 0);
  colour.cmap_b.assign(256, 0);
  colour.cmap_r[7] = 65535;
  colour.rows = {{7, 0}};
  const std::string path = dir_.Sub("palette.tif");
  WriteTiff(path, {bw, colour});
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  auto first = reader->ReadPage(0);
  auto second = reader->ReadPage(1);
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(Depth(*first), 1);
  EXPECT_EQ(Pixel(*first, 3, 0), 1u);
  EXPECT_EQ(Pixel(*first, 2, 0), 0u);
  EXPECT_EQ(Depth(*second), 32);
  EXPECT_EQ(RgbAt(*second, 0, 0).r, 255);
  EXPECT_EQ(RgbAt(*second, 1, 0).r, 0);
}

TEST_F(ImageIoTest, TiffResolutionInCentimetresIsConvertedToDpi) {
  TiffPageSpec p;
  p.rows = {{0}};
  p.xres = p.yres = 118.11f;  // dots per cm = 300 dpi
  p.resunit = RESUNIT_CENTIMETER;
  const std::string path = dir_.Sub("cm.tif");
  WriteTiff(path, {p});
  auto page = ImageFileReader::Open(path)->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->dpi, 300);
  EXPECT_FALSE(page->dpi_assumed);
}

TEST_F(ImageIoTest, TiffOrientationIsApplied) {
  TiffPageSpec p;
  p.width = 3;
  p.height = 2;
  p.orientation = ORIENTATION_BOTRIGHT;  // stored rotated by 180 degrees
  p.rows = {{10, 20, 30}, {40, 50, 60}};
  const std::string path = dir_.Sub("rotated.tif");
  WriteTiff(path, {p});
  auto page = ImageFileReader::Open(path)->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(Pixel(*page, 0, 0), 60u);
  EXPECT_EQ(Pixel(*page, 2, 1), 10u);
}

// Five pages of widths 41..45, so each page shows which one it is.
std::vector<TiffPageSpec> FivePages(int compression) {
  std::vector<TiffPageSpec> pages;
  for (int i = 0; i < 5; ++i) {
    TiffPageSpec p;
    p.width = 41 + i;
    p.height = 30;
    p.compression = compression;
    p.rows = GreyRows(p.width, 30, [i](int x, int) { return static_cast<uint8_t>(x + i); });
    pages.push_back(p);
  }
  return pages;
}

TEST_F(ImageIoTest, MultiPageTiffReadsEachPageOnDemandWithItsNumber) {
  const std::string path = dir_.Sub("five.tif");
  WriteTiff(path, FivePages(COMPRESSION_LZW));
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(reader->page_count(), 5);
  EXPECT_EQ(reader->format_name(), "TIFF");
  for (int i : {3, 0, 4, 1, 2}) {  // any order
    auto page = reader->ReadPage(i);
    ASSERT_TRUE(page) << page.error().message();
    EXPECT_EQ(Width(*page), 41 + i);
    EXPECT_EQ(page->source_page, i + 1);
    EXPECT_EQ(page->source, "five.tif");
  }
}

TEST_F(ImageIoTest, MultiPageTiffWithBrokenMiddlePageReportsItByNumberAndLoadsTheOthers) {
  std::vector<TiffPageSpec> pages = FivePages(COMPRESSION_ADOBE_DEFLATE);
  pages[2].raw_strip = std::string(200, '\xa7');  // not a zlib stream
  const std::string path = dir_.Sub("scan.tif");
  WriteTiff(path, pages);
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ(reader->page_count(), 5);
  for (int i = 0; i < 5; ++i) {
    auto page = reader->ReadPage(i);
    if (i == 2) {
      ASSERT_FALSE(page);
      EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(page.error().message().find("side 3 af 5 i scan.tif kan ikke læses"),
                std::string::npos)
          << page.error().message();
    } else {
      ASSERT_TRUE(page) << i << ": " << page.error().message();
      EXPECT_EQ(Width(*page), 41 + i);
      EXPECT_EQ(Pixel(*page, 5, 5), static_cast<l_uint32>(5 + i));
    }
  }
}

TEST_F(ImageIoTest, TruncatedG4PageFailsInsteadOfComingBackPaddedWithWhite) {
  TiffPageSpec p;
  p.width = 800;
  p.height = 600;
  p.bps = 1;
  p.photometric = PHOTOMETRIC_MINISWHITE;
  p.compression = COMPRESSION_CCITTFAX4;
  p.rows = PackRows(800, 600, 1, [](int x, int y) { return ((x / 7 + y / 5) % 3 == 0) ? 1u : 0u; });
  const std::string whole = dir_.Sub("whole.tif");
  WriteTiff(whole, {p});
  const std::string raw = RawStrip(whole);
  ASSERT_GT(raw.size(), 100u);
  p.raw_strip = raw.substr(0, raw.size() / 2);
  const std::string cut = dir_.Sub("cut.tif");
  WriteTiff(cut, {p});
  auto reader = ImageFileReader::Open(cut);
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(page.error().message().find("cut.tif kan ikke læses"), std::string::npos)
      << page.error().message();
}

TEST_F(ImageIoTest, TruncatedMultiPageTiffLoadsTheCompletePagesAndReportsTheRest) {
  const std::string path = dir_.Sub("long.tif");
  WriteTiff(path, FivePages(COMPRESSION_NONE));
  const std::vector<uint64_t> ifds = DirectoryOffsets(path);
  ASSERT_EQ(ifds.size(), 5u);
  // libtiff writes each page's pixels before its directory: cut inside page 3's pixels.
  const std::string bytes = testing::ReadFile(path);
  const std::string cut = Write("cut.tif", bytes.substr(0, (ifds[1] + ifds[2]) / 2));
  auto reader = ImageFileReader::Open(cut);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ(reader->page_count(), 3);  // two whole pages, one standing for the missing rest
  EXPECT_TRUE(reader->ReadPage(0));
  EXPECT_TRUE(reader->ReadPage(1));
  auto rest = reader->ReadPage(2);
  ASSERT_FALSE(rest);
  EXPECT_NE(rest.error().message().find("side 3 af 3 i cut.tif kan ikke læses"), std::string::npos)
      << rest.error().message();
  EXPECT_NE(rest.error().message().find("efter side 2"), std::string::npos);
}

TEST_F(ImageIoTest, TiffWhoseNextDirectoryPointsOutsideTheFileReportsTheMissingPages) {
  const std::string path = dir_.Sub("chain.tif");
  WriteTiff(path, FivePages(COMPRESSION_NONE));
  const std::vector<uint64_t> ifds = DirectoryOffsets(path);
  ASSERT_EQ(ifds.size(), 5u);
  std::string bytes = testing::ReadFile(path);
  // Classic little-endian TIFF: entry count (2 bytes), 12 bytes per entry, next offset.
  const uint64_t second = ifds[1];
  const uint16_t entries = static_cast<uint16_t>(static_cast<uint8_t>(bytes[second]) |
                                                 static_cast<uint8_t>(bytes[second + 1]) << 8);
  const uint32_t far = 0x7ffffff0;
  std::memcpy(&bytes[second + 2 + entries * 12u], &far, 4);
  auto reader = ImageFileReader::FromMemory(bytes, "chain.tif");
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ(reader->page_count(), 3);
  EXPECT_TRUE(reader->ReadPage(0));
  EXPECT_TRUE(reader->ReadPage(1));
  EXPECT_FALSE(reader->ReadPage(2));
}

TEST_F(ImageIoTest, TiffPageWithBrokenDirectoryIsReportedAndTheOthersLoad) {
  const std::string path = dir_.Sub("dir.tif");
  WriteTiff(path, FivePages(COMPRESSION_NONE));
  const std::vector<uint64_t> ifds = DirectoryOffsets(path);
  ASSERT_EQ(ifds.size(), 5u);
  std::string bytes = testing::ReadFile(path);
  // Page 4 loses its ImageWidth: the first entry's tag (256) becomes an unknown one.
  ASSERT_EQ(static_cast<uint8_t>(bytes[ifds[3] + 2]), 0x00);
  ASSERT_EQ(static_cast<uint8_t>(bytes[ifds[3] + 3]), 0x01);
  bytes[ifds[3] + 2] = '\xfe';
  bytes[ifds[3] + 3] = '\xfe';
  auto reader = ImageFileReader::FromMemory(bytes, "dir.tif");
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ(reader->page_count(), 5);
  for (int i = 0; i < 5; ++i) {
    auto page = reader->ReadPage(i);
    if (i == 3) {
      ASSERT_FALSE(page);
      EXPECT_NE(page.error().message().find("side 4 af 5 i dir.tif kan ikke læses"),
                std::string::npos)
          << page.error().message();
    } else {
      ASSERT_TRUE(page) << i << ": " << page.error().message();
      EXPECT_EQ(Width(*page), 41 + i);
    }
  }
}

TEST_F(ImageIoTest, CorruptTiffStructureIsRefusedNamingTheFile) {
  // A valid header whose first directory lies beyond the end of the file.
  const std::string bytes("II*\0\x00\x10\x00\x00garbage!", 16);
  auto reader = ImageFileReader::FromMemory(bytes, "/some/where/broken.tif");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(reader.error().message().find("broken.tif kan ikke læses"), std::string::npos)
      << reader.error().message();
  EXPECT_EQ(reader.error().message().find("/some/where"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// JPEG

TEST_F(ImageIoTest, GreyJpegLoadsAsEightBitGrey) {
  auto page = LoadSingle(
      EncodeJpeg(Jpeg(16, 16, 1, JCS_GRAYSCALE,
                      [](int x, int, int) { return static_cast<uint8_t>(x < 8 ? 30 : 220); })),
      "grey.jpg");
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 8);
  EXPECT_NEAR(static_cast<int>(Pixel(*page, 2, 2)), 30, 6);
  EXPECT_NEAR(static_cast<int>(Pixel(*page, 13, 13)), 220, 6);
}

TEST_F(ImageIoTest, RgbJpegLoadsAsRgb) {
  auto page = LoadSingle(
      EncodeJpeg(Jpeg(16, 16, 3, JCS_RGB,
                      [](int, int, int c) { return static_cast<uint8_t>(c == 1 ? 180 : 40); })),
      "colour.jpg");
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Depth(*page), 32);
  const Rgb c = RgbAt(*page, 8, 8);
  EXPECT_NEAR(c.g, 180, 8);
  EXPECT_NEAR(c.r, 40, 8);
}

// Four 8-pixel-wide columns: red, green, blue, black, as CMYK ink amounts (0-255).
JpegSpec CmykColumns(bool inverted) {
  static const uint8_t ink[4][4] = {
      {0, 255, 255, 0}, {255, 0, 255, 0}, {255, 255, 0, 0}, {0, 0, 0, 255}};
  return Jpeg(32, 8, 4, JCS_CMYK, [inverted](int x, int, int c) {
    const uint8_t v = ink[x / 8][c];
    return static_cast<uint8_t>(inverted ? 255 - v : v);
  });
}

void ExpectRedGreenBlueBlack(const PageImage& page) {
  ExpectNormalised(page);
  ASSERT_EQ(Depth(page), 32);
  const Rgb red = RgbAt(page, 4, 4), green = RgbAt(page, 12, 4), blue = RgbAt(page, 20, 4),
            black = RgbAt(page, 28, 4);
  EXPECT_GT(red.r, 230);
  EXPECT_LT(red.g, 25);
  EXPECT_LT(red.b, 25);
  EXPECT_GT(green.g, 230);
  EXPECT_LT(green.r, 25);
  EXPECT_GT(blue.b, 230);
  EXPECT_LT(blue.g, 25);
  EXPECT_LT(black.r + black.g + black.b, 60);
}

TEST_F(ImageIoTest, AdobeInvertedCmykJpegGetsTheRightColours) {
  JpegSpec spec = CmykColumns(/*inverted=*/true);  // as Photoshop (and PIL) store CMYK
  spec.adobe_marker = true;
  auto page = LoadSingle(EncodeJpeg(spec), "cmyk.jpg");
  ASSERT_TRUE(page) << page.error().message();
  ExpectRedGreenBlueBlack(*page);
}

TEST_F(ImageIoTest, PlainCmykJpegWithoutAdobeMarkerGetsTheRightColours) {
  JpegSpec spec = CmykColumns(/*inverted=*/false);
  spec.adobe_marker = false;
  auto page = LoadSingle(EncodeJpeg(spec), "cmyk.jpg");
  ASSERT_TRUE(page) << page.error().message();
  ExpectRedGreenBlueBlack(*page);
}

TEST_F(ImageIoTest, JpegJfifDensityGivesTheResolution) {
  JpegSpec spec = Jpeg(8, 8, 1, JCS_GRAYSCALE, [](int, int, int) { return 128; });
  spec.density_unit = 1;
  spec.x_density = spec.y_density = 200;
  auto dpi = LoadSingle(EncodeJpeg(spec), "a.jpg");
  spec.density_unit = 2;
  spec.x_density = spec.y_density = 118;  // dots per cm
  auto dpcm = LoadSingle(EncodeJpeg(spec), "b.jpg");
  ASSERT_TRUE(dpi) << dpi.error().message();
  ASSERT_TRUE(dpcm) << dpcm.error().message();
  EXPECT_EQ(dpi->dpi, 200);
  EXPECT_FALSE(dpi->dpi_assumed);
  EXPECT_EQ(dpcm->dpi, 300);  // 118 * 2.54 = 299.7
}

std::string ExifWithResolution(uint32_t dpi) {
  std::string e("Exif\0\0", 6);
  auto u16 = [&](uint16_t v) { e.append(reinterpret_cast<const char*>(&v), 2); };
  auto u32 = [&](uint32_t v) { e.append(reinterpret_cast<const char*>(&v), 4); };
  e += "II";
  u16(42);
  u32(8);
  u16(3);  // entries
  const uint32_t rationals = 8 + 2 + 3 * 12 + 4;
  u16(0x011a), u16(5), u32(1), u32(rationals);
  u16(0x011b), u16(5), u32(1), u32(rationals + 8);
  u16(0x0128), u16(3), u32(1), u32(2);  // inches
  u32(0);                               // no next IFD
  u32(dpi), u32(1), u32(dpi), u32(1);
  return e;
}

TEST_F(ImageIoTest, JpegExifResolutionIsUsedWithoutJfifDensity) {
  JpegSpec spec = Jpeg(8, 8, 3, JCS_RGB, [](int, int, int) { return 128; });
  spec.jfif = false;
  spec.app1 = ExifWithResolution(400);
  auto page = LoadSingle(EncodeJpeg(spec), "camera.jpg");
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->dpi, 400);
  EXPECT_FALSE(page->dpi_assumed);
}

TEST_F(ImageIoTest, JpegWithoutDensityUsesTheAssumedResolution) {
  JpegSpec spec = Jpeg(8, 8, 1, JCS_GRAYSCALE, [](int, int, int) { return 128; });
  spec.density_unit = 0;  // JFIF aspect ratio only
  ImageLoadOptions options;
  options.assumed_dpi = 150;
  auto page = LoadSingle(EncodeJpeg(spec), "a.jpg", options);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->dpi, 150);
  EXPECT_TRUE(page->dpi_assumed);
}

// ---------------------------------------------------------------------------------------
// Resolution

PngSpec SmallGreyPng() {
  return Png8(10, 10, PNG_COLOR_TYPE_GRAY, [](int x, int y, int) { return x * 10 + y; });
}

TEST_F(ImageIoTest, PngPhysResolutionIsRead) {
  PngSpec spec = SmallGreyPng();
  spec.pixels_per_metre = {{11811, 11811}};  // 300 dpi
  auto page = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->dpi, 300);
  EXPECT_FALSE(page->dpi_assumed);
}

TEST_F(ImageIoTest, PngWithoutResolutionUsesTheAssumedOne) {
  ImageLoadOptions options;
  options.assumed_dpi = 200;
  auto page = LoadSingle(EncodePng(SmallGreyPng()), "scan.png", options);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->dpi, 200);
  EXPECT_TRUE(page->dpi_assumed);
  ExpectNormalised(*page);
}

TEST_F(ImageIoTest, NonsenseResolutionIsReplacedByTheAssumedOne) {
  for (uint32_t ppm : {1u, 394u /* 10 dpi */, 196850u /* 5000 dpi */}) {
    PngSpec spec = SmallGreyPng();
    spec.pixels_per_metre = {{ppm, ppm}};
    auto page = LoadSingle(EncodePng(spec));
    ASSERT_TRUE(page) << page.error().message();
    EXPECT_EQ(page->dpi, 300) << ppm;
    EXPECT_TRUE(page->dpi_assumed) << ppm;
  }
}

TEST_F(ImageIoTest, NonSquareResolutionIsResampledAlongTheCoarserAxis) {
  PngSpec spec = SmallGreyPng();
  spec.pixels_per_metre = {{7874, 3937}};  // 200 x 100 dpi: y is coarser
  auto tall = LoadSingle(EncodePng(spec));
  spec.pixels_per_metre = {{3937, 7874}};  // 100 x 200 dpi: x is coarser
  auto wide = LoadSingle(EncodePng(spec));
  ASSERT_TRUE(tall) << tall.error().message();
  ASSERT_TRUE(wide) << wide.error().message();
  EXPECT_EQ(tall->dpi, 200);
  EXPECT_EQ(Width(*tall), 10);
  EXPECT_EQ(Height(*tall), 20);
  EXPECT_EQ(wide->dpi, 200);
  EXPECT_EQ(Width(*wide), 20);
  EXPECT_EQ(Height(*wide), 10);
  ExpectNormalised(*tall);
  ExpectNormalised(*wide);
}

// ---------------------------------------------------------------------------------------
// Bad input

TEST_F(ImageIoTest, EmptyFileIsRefusedNamingIt) {
  auto reader = ImageFileReader::Open(Write("empty.png", ""));
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(reader.error().message().find("empty.png er tom"), std::string::npos)
      << reader.error().message();
}

TEST_F(ImageIoTest, TruncatedPngIsRefusedAsTruncatedNotReturnedHalfDecoded) {
  const std::string png = EncodePng(Png8(300, 300, PNG_COLOR_TYPE_GRAY, [](int x, int y, int) {
    return static_cast<uint8_t>((x * 31) ^ (y * 17));
  }));
  for (size_t keep : {png.size() / 2, png.size() - 12 /* without IEND */, size_t{40}}) {
    auto page = LoadSingle(png.substr(0, keep), "half.png");
    ASSERT_FALSE(page) << keep;
    EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(page.error().message().find("half.png kan ikke læses: filen er afkortet"),
              std::string::npos)
        << page.error().message();
  }
}

TEST_F(ImageIoTest, PngWithCorruptImageDataIsRefused) {
  std::string png = EncodePng(Png8(100, 100, PNG_COLOR_TYPE_GRAY,
                                   [](int x, int y, int) { return static_cast<uint8_t>(x ^ y); }));
  const size_t idat = png.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (size_t i = idat + 20; i < idat + 40; ++i) png[i] = static_cast<char>(png[i] ^ 0x5a);
  auto page = LoadSingle(png, "bad.png");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(page.error().message().find("bad.png kan ikke læses: billeddata er beskadiget"),
            std::string::npos)
      << page.error().message();
}

TEST_F(ImageIoTest, TruncatedJpegIsRefusedNotFilledWithGrey) {
  const std::string jpeg = EncodeJpeg(Jpeg(200, 200, 3, JCS_RGB, [](int x, int y, int c) {
    return static_cast<uint8_t>(x * 3 + y * 5 + c * 40);
  }));
  for (size_t keep : {jpeg.size() * 6 / 10, jpeg.size() - 2 /* without EOI */, size_t{100}}) {
    auto page = LoadSingle(jpeg.substr(0, keep), "half.jpg");
    ASSERT_FALSE(page) << keep;
    EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(page.error().message().find("half.jpg kan ikke læses: filen er afkortet"),
              std::string::npos)
        << page.error().message();
  }
}

TEST_F(ImageIoTest, JpegWithAMarkerInsideItsScanDataIsRefused) {
  std::string jpeg = EncodeJpeg(Jpeg(200, 200, 3, JCS_RGB, [](int x, int y, int c) {
    return static_cast<uint8_t>(x * 3 + y * 5 + c * 40);
  }));
  const size_t scan = jpeg.find("\xff\xda");  // start of scan
  ASSERT_NE(scan, std::string::npos);
  const size_t middle = scan + (jpeg.size() - scan) / 2;
  jpeg[middle] = '\xff';
  jpeg[middle + 1] = '\xd9';  // an end-of-image marker in the middle of the pixels
  auto page = LoadSingle(jpeg, "damaged.jpg");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(page.error().message().find("damaged.jpg kan ikke læses: billeddata er beskadiget"),
            std::string::npos)
      << page.error().message();
}

TEST_F(ImageIoTest, FormatIsRecognisedByContentNotByFileName) {
  const std::string png_named_jpg = Write("photo.jpg", EncodePng(SmallGreyPng()));
  const std::string jpeg_named_tif =
      Write("scan.tif", EncodeJpeg(Jpeg(8, 8, 1, JCS_GRAYSCALE, [](int, int, int) { return 9; })));
  auto png = ImageFileReader::Open(png_named_jpg);
  auto jpeg = ImageFileReader::Open(jpeg_named_tif);
  ASSERT_TRUE(png) << png.error().message();
  ASSERT_TRUE(jpeg) << jpeg.error().message();
  EXPECT_EQ(png->format_name(), "PNG");
  EXPECT_EQ(jpeg->format_name(), "JPEG");
  EXPECT_TRUE(png->ReadPage(0));
  EXPECT_TRUE(jpeg->ReadPage(0));
}

TEST_F(ImageIoTest, UnknownContentIsRefusedListingTheAcceptedFormats) {
  auto text = ImageFileReader::FromMemory("Kære kommune, ...", "brev.png");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(text.error().message().find("brev.png"), std::string::npos);
  EXPECT_NE(text.error().message().find("PNG, TIFF og JPEG"), std::string::npos)
      << text.error().message();
  auto gif = ImageFileReader::FromMemory("GIF89a\x01\x00\x01\x00", "scan.tif");
  ASSERT_FALSE(gif);
  EXPECT_NE(gif.error().message().find("GIF"), std::string::npos) << gif.error().message();
}

TEST_F(ImageIoTest, FileCutInsideItsSignatureIsReportedAsTruncated) {
  auto reader = ImageFileReader::FromMemory(std::string("\x89PNG\r", 5), "stump.png");
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message().find("afkortet"), std::string::npos)
      << reader.error().message();
}

TEST_F(ImageIoTest, OneByOnePixelImagesLoad) {
  auto png =
      LoadSingle(EncodePng(Png8(1, 1, PNG_COLOR_TYPE_GRAY, [](int, int, int) { return 7; })));
  auto jpeg =
      LoadSingle(EncodeJpeg(Jpeg(1, 1, 3, JCS_RGB, [](int, int, int) { return 200; })), "dot.jpg");
  TiffPageSpec p;
  p.bps = 1;
  p.photometric = PHOTOMETRIC_MINISWHITE;
  p.compression = COMPRESSION_CCITTFAX4;
  p.rows = {{0x80}};
  const std::string path = dir_.Sub("dot.tif");
  WriteTiff(path, {p});
  auto tiff = ImageFileReader::Open(path)->ReadPage(0);
  for (const auto* page : {&png, &jpeg, &tiff}) {
    ASSERT_TRUE(*page) << (*page).error().message();
    ExpectNormalised(**page);
    EXPECT_EQ(Width(**page), 1);
    EXPECT_EQ(Height(**page), 1);
  }
  EXPECT_EQ(Pixel(*png, 0, 0), 7u);
  EXPECT_EQ(Pixel(*tiff, 0, 0), 1u);
}

// ---------------------------------------------------------------------------------------
// Oversized pages are refused from the header, before pixel memory is allocated.

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  return be32(static_cast<uint32_t>(data.size())) + type + data + be32(Crc32(type + data));
}

// A PNG whose header claims width x height 8-bit grey pixels, followed by a tiny IDAT.
std::string HugePngHeader(uint32_t width, uint32_t height) {
  std::string ihdr;
  for (uint32_t v : {width, height}) {
    ihdr += {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
             static_cast<char>(v)};
  }
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);
  const std::string empty_zlib("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  return std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) +
         PngChunk("IDAT", empty_zlib) + PngChunk("IEND", "");
}

// A little-endian TIFF whose one directory claims width x height 8-bit grey pixels.
std::string HugeTiffHeader(uint32_t width, uint32_t height) {
  std::string t("II*\0", 4);
  auto u16 = [&](uint16_t v) { t.append(reinterpret_cast<const char*>(&v), 2); };
  auto u32 = [&](uint32_t v) { t.append(reinterpret_cast<const char*>(&v), 4); };
  auto entry = [&](uint16_t tag, uint16_t type, uint32_t value) {
    u16(tag), u16(type), u32(1), u32(value);
  };
  u32(8);
  const uint16_t count = 8;
  const uint32_t data_at = 8 + 2 + count * 12 + 4;
  u16(count);
  entry(256, 4, width);
  entry(257, 4, height);
  entry(258, 3, 8);        // BitsPerSample
  entry(259, 3, 1);        // no compression
  entry(262, 3, 1);        // MinIsBlack
  entry(273, 4, data_at);  // StripOffsets
  entry(278, 4, height);   // RowsPerStrip
  entry(279, 4, 16);       // StripByteCounts
  u32(0);
  t.append(16, '\0');
  return t;
}

std::string HugeJpegHeader(uint16_t width, uint16_t height) {
  std::string jpeg = EncodeJpeg(Jpeg(16, 16, 1, JCS_GRAYSCALE, [](int, int, int) { return 1; }));
  const size_t sof = jpeg.find("\xff\xc0");
  if (sof == std::string::npos) return "";
  jpeg[sof + 5] = static_cast<char>(height >> 8);
  jpeg[sof + 6] = static_cast<char>(height);
  jpeg[sof + 7] = static_cast<char>(width >> 8);
  jpeg[sof + 8] = static_cast<char>(width);
  return jpeg;
}

// Records the largest pixel buffer Leptonica allocates while alive.
class PixAllocationProbe {
 public:
  PixAllocationProbe() {
    largest_ = 0;
    setPixMemoryManager(&Allocate, &Free);
  }
  ~PixAllocationProbe() { setPixMemoryManager(&std::malloc, &std::free); }
  PixAllocationProbe(const PixAllocationProbe&) = delete;
  PixAllocationProbe& operator=(const PixAllocationProbe&) = delete;
  size_t largest() const { return largest_; }

 private:
  static void* Allocate(size_t n) {
    size_t seen = largest_.load();
    while (n > seen && !largest_.compare_exchange_weak(seen, n)) {
    }
    return std::malloc(n);
  }
  static void Free(void* p) { std::free(p); }
  static std::atomic<size_t> largest_;
};
std::atomic<size_t> PixAllocationProbe::largest_{0};

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void ExpectRefusedCheaply(const std::string& bytes, const std::string& name) {
  ASSERT_FALSE(bytes.empty());
  const long rss_before = PeakRssKb();
  const auto start = std::chrono::steady_clock::now();
  PixAllocationProbe probe;
  auto reader = ImageFileReader::FromMemory(bytes, name);
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(page.error().message().find(name + " kan ikke indlæses: billedet er for stort"),
            std::string::npos)
      << page.error().message();
  EXPECT_EQ(probe.largest(), 0u) << "a pixel buffer was allocated";
  EXPECT_LT(PeakRssKb() - rss_before, 64 * 1024) << "peak memory grew";
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

TEST_F(ImageIoTest, AllocationProbeSeesTheBufferOfANormalPage) {
  // Guards the tests below: the probe does see Leptonica's pixel allocations.
  PixAllocationProbe probe;
  auto page =
      LoadSingle(EncodePng(Png8(1000, 1000, PNG_COLOR_TYPE_GRAY, [](int, int, int) { return 0; })));
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_GE(probe.largest(), 1000u * 1000u);
}

TEST_F(ImageIoTest, HugePngHeaderIsRefusedBeforeAllocating) {
  ExpectRefusedCheaply(HugePngHeader(100000, 100000), "huge.png");
}

TEST_F(ImageIoTest, HugeTiffHeaderIsRefusedBeforeAllocating) {
  ExpectRefusedCheaply(HugeTiffHeader(100000, 100000), "huge.tif");
}

TEST_F(ImageIoTest, HugeJpegHeaderIsRefusedBeforeAllocating) {
  ExpectRefusedCheaply(HugeJpegHeader(60000, 60000), "huge.jpg");
}

TEST_F(ImageIoTest, PageWithinSideLimitButOverPixelLimitIsRefused) {
  // 29000 x 29000 is under 30000 per side but 841 million pixels.
  ExpectRefusedCheaply(HugePngHeader(29000, 29000), "wide.png");
}

TEST_F(ImageIoTest, SidesBeyondTheLibrariesOwnLimitsAreReportedAsTooLarge) {
  ExpectRefusedCheaply(HugePngHeader(2'000'000, 10), "long.png");  // libpng: 1 million
  ExpectRefusedCheaply(HugeJpegHeader(65535, 10), "long.jpg");     // libjpeg: 65500
}

TEST_F(ImageIoTest, PageThatResamplingWouldMakeTooLargeIsRefused) {
  TiffPageSpec p;
  p.width = 100;
  p.height = 100;
  p.xres = 2400;
  p.yres = 50;  // y would be scaled by 48 to 4800 rows
  p.rows = GreyRows(100, 100, [](int, int) { return 0; });
  const std::string path = dir_.Sub("stretched.tif");
  WriteTiff(path, {p});
  ImageLoadOptions options;
  options.max_dimension = 4000;
  auto page = ImageFileReader::Open(path, options)->ReadPage(0);
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().message().find("efter udligning af opløsningen 2400 × 50 dpi"),
            std::string::npos)
      << page.error().message();
}

TEST_F(ImageIoTest, FileOverTheSizeLimitIsRefusedBeforeReading) {
  // A sparse 600 MB file: reading it would take seconds and 600 MB of memory.
  const std::string path = dir_.Sub("enorm.tif");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 600'000'000), 0);
  ::close(fd);
  const long rss_before = PeakRssKb();
  const auto start = std::chrono::steady_clock::now();
  auto reader = ImageFileReader::Open(path);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(reader.error().message().find("enorm.tif kan ikke indlæses: filen er for stor (600 MB"),
            std::string::npos)
      << reader.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_LT(PeakRssKb() - rss_before, 64 * 1024);
}

TEST_F(ImageIoTest, NonexistentPathIsNotFound) {
  auto reader = ImageFileReader::Open(dir_.Sub("mangler.png"));
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(reader.error().message().find("mangler.png findes ikke"), std::string::npos)
      << reader.error().message();
  EXPECT_EQ(reader.error().message().find(dir_.path()), std::string::npos);
}

TEST_F(ImageIoTest, DirectoryPathIsRefused) {
  const std::string path = dir_.Sub("scanninger");
  testing::WriteFile(path + "/x", "");
  auto reader = ImageFileReader::Open(path + "/");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(reader.error().message().find("scanninger er en mappe"), std::string::npos)
      << reader.error().message();
}

TEST_F(ImageIoTest, AssumedResolutionOutsideTheSaneRangeIsRefused) {
  ImageLoadOptions options;
  options.assumed_dpi = 10;
  auto reader = ImageFileReader::FromMemory(EncodePng(SmallGreyPng()), "a.png", options);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code(), ErrorCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------
// Privacy and library output

TEST_F(ImageIoTest, CprNumberInFileNameNeverReachesMessagesOrPages) {
  const std::string cpr = "010190-1234";
  const std::string bytes = EncodePng(SmallGreyPng());
  auto broken = LoadSingle(bytes.substr(0, bytes.size() / 2), "brev " + cpr + ".png");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message().find(cpr), std::string::npos) << broken.error().message();
  auto page = LoadSingle(bytes, "/data/" + cpr + "/brev " + cpr + ".png");
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->source.find(cpr), std::string::npos) << page->source;
  for (const std::string& line : memory_->lines) EXPECT_EQ(line.find(cpr), std::string::npos);
}

// Captures everything written to file descriptor 2 while alive.
class StderrCapture {
 public:
  explicit StderrCapture(const std::string& path) {
    std::fflush(stderr);
    saved_ = dup(2);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() {
    std::fflush(stderr);
    dup2(saved_, 2);
    ::close(saved_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

 private:
  int saved_;
};

TEST_F(ImageIoTest, LibraryMessagesGoToTheLogNotToStderr) {
  const std::string captured = dir_.Sub("stderr.txt");
  {
    StderrCapture capture(captured);
    const std::string png = EncodePng(SmallGreyPng());
    EXPECT_FALSE(LoadSingle(png.substr(0, png.size() - 20), "a.png"));
    const std::string jpeg =
        EncodeJpeg(Jpeg(64, 64, 3, JCS_RGB, [](int x, int, int) { return x; }));
    EXPECT_FALSE(LoadSingle(jpeg.substr(0, jpeg.size() / 2), "b.jpg"));
    std::vector<TiffPageSpec> pages = FivePages(COMPRESSION_ADOBE_DEFLATE);
    pages[1].raw_strip = "not zlib";
    WriteTiff(dir_.Sub("c.tif"), pages);
    auto reader = ImageFileReader::Open(dir_.Sub("c.tif"));
    ASSERT_TRUE(reader);
    EXPECT_FALSE(reader->ReadPage(1));
    // Leptonica's own complaint, through the handler the reader installed.
    EXPECT_EQ(pixGetDepth(nullptr), 0);
  }
  EXPECT_EQ(testing::ReadFile(captured), "");
  bool libtiff = false, leptonica = false;
  for (const std::string& line : memory_->lines) {
    libtiff = libtiff || line.find("libtiff") != std::string::npos;
    leptonica = leptonica || line.find("Leptonica") != std::string::npos;
  }
  EXPECT_TRUE(libtiff);
  EXPECT_TRUE(leptonica);
}

// ---------------------------------------------------------------------------------------
// Threads

TEST_F(ImageIoTest, PagesOfOneReaderCanBeReadFromSeveralThreadsAtOnce) {
  const std::string path = dir_.Sub("five.tif");
  WriteTiff(path, FivePages(COMPRESSION_LZW));
  auto reader = ImageFileReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&reader, &wrong, t] {
      for (int round = 0; round < 10; ++round) {
        const int i = (t + round) % 5;
        auto page = reader->ReadPage(i);
        if (!page || pixGetWidth(page->pix.get()) != 41 + i) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------------------------------
// Real scans (tests/../shared/testdata/scans, see its README)

TEST_F(ImageIoTest, RealScanLinnLoadsAsOneBppPageWithAssumedResolution) {
  auto reader = ImageFileReader::Open(INTAKE_SHARED_DIR "/testdata/scans/linn.png");
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Width(*page), 2550);
  EXPECT_EQ(Height(*page), 3300);
  EXPECT_EQ(Depth(*page), 1);  // a black-and-white palette PNG
  EXPECT_EQ(page->dpi, 300);   // the file states none; 300 is the default assumption
  EXPECT_TRUE(page->dpi_assumed);
  EXPECT_EQ(page->source, "linn.png");
  // Printed text on white: a few percent black, not the inverse.
  l_int32 black = 0;
  pixCountPixels(page->pix.get(), &black, nullptr);
  const double share = static_cast<double>(black) / (2550.0 * 3300.0);
  EXPECT_GT(share, 0.005);
  EXPECT_LT(share, 0.25);
}

TEST_F(ImageIoTest, RealScanTypewriterLoadsAtItsFullSize) {
  ImageLoadOptions options;
  options.assumed_dpi = 400;
  auto reader = ImageFileReader::Open(INTAKE_SHARED_DIR "/testdata/scans/typewriter.png", options);
  ASSERT_TRUE(reader) << reader.error().message();
  auto page = reader->ReadPage(0);
  ASSERT_TRUE(page) << page.error().message();
  ExpectNormalised(*page);
  EXPECT_EQ(Width(*page), 4000);
  EXPECT_EQ(Height(*page), 2864);
  EXPECT_EQ(Depth(*page), 1);
  EXPECT_EQ(page->dpi, 400);
  EXPECT_TRUE(page->dpi_assumed);
  l_int32 black = 0;
  pixCountPixels(page->pix.get(), &black, nullptr);
  EXPECT_LT(static_cast<double>(black) / (4000.0 * 2864.0), 0.25);
}

}  // namespace
}  // namespace intake::ocr
