#include "hardware/folder_source.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

// clang-format off
#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>
// clang-format on

#include "tests/support/temp_dir.h"

// Fixtures are made here, at test time: PNGs with libpng, JPEGs with libjpeg, TIFFs with
// libtiff, PDFs written by hand (a few objects and an exact cross-reference table), and
// damaged or half-written files by cutting those bytes. No external program runs here
// (tests/hardware/folder_source_tools_test.cc has the ones that use poppler-utils, qpdf
// and img2pdf). The watcher's quiet period is 150 ms in these tests.

namespace intake::hardware {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::ScopedTempDir;
using testing::WriteFile;
using Ms = std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr Ms kQuiet{150};
// Generous upper bound for "is offered soon" on a loaded machine; only reached on failure.
constexpr Ms kPatience{5000};

// ---------------------------------------------------------------------------------------
// Fixture writers

void AppendToString(png_structp png, png_bytep data, size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
void FlushNothing(png_structp) {}

// An 8-bit grey PNG, `width` × `height`, filled with `value`.
std::string MakePng(int width = 40, int height = 30, uint8_t value = 200) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) std::abort();  // a bug in the fixture
  png_set_write_fn(png, &out, AppendToString, FlushNothing);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  std::vector<uint8_t> row(static_cast<size_t>(width), value);
  for (int y = 0; y < height; ++y) png_write_row(png, row.data());
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

// A baseline grey JPEG with varying content (so the scan data is not trivially short).
std::string MakeJpeg(int width = 64, int height = 48) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;  // NOLINT: libjpeg's type
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<uint8_t> row(static_cast<size_t>(width));
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < width; ++x) {
      row[static_cast<size_t>(x)] = static_cast<uint8_t>((x * 7 + cinfo.next_scanline * 13) & 0xff);
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

// A grey TIFF with `pages` directories, written with libtiff.
void WriteTiff(const std::string& path, int pages, int width = 32, int height = 24) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  std::vector<uint8_t> row(static_cast<size_t>(width));
  for (int p = 0; p < pages; ++p) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(width));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(height));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 8u);
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    TIFFSetField(tif, TIFFTAG_PAGENUMBER, static_cast<uint16_t>(p), static_cast<uint16_t>(pages));
    for (int y = 0; y < height; ++y) {
      std::fill(row.begin(), row.end(), static_cast<uint8_t>(p * 40 + y));
      ASSERT_GE(TIFFWriteScanline(tif, row.data(), static_cast<uint32_t>(y), 0), 0);
    }
    ASSERT_NE(TIFFWriteDirectory(tif), 0);
  }
  TIFFClose(tif);
}

// A little-endian TIFF written by hand whose only directory comes first (at offset 8) and
// points to a 100-byte strip at offset 200: cut the file before 300 bytes and the
// directory is intact while the pixels are missing.
std::string MakeTiffWithDirectoryFirst() {
  std::string b;
  auto u16 = [&](uint16_t v) {
    b.push_back(static_cast<char>(v & 0xff));
    b.push_back(static_cast<char>(v >> 8));
  };
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto entry = [&](uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
    u16(tag);
    u16(type);
    u32(count);
    if (type == 3) {  // SHORT: left-justified in the value field
      u16(static_cast<uint16_t>(value));
      u16(0);
    } else {
      u32(value);
    }
  };
  b = std::string("II*\0", 4);
  u32(8);
  u16(8);                 // entries, in tag order
  entry(256, 3, 1, 10);   // ImageWidth
  entry(257, 3, 1, 10);   // ImageLength
  entry(258, 3, 1, 8);    // BitsPerSample
  entry(259, 3, 1, 1);    // Compression: none
  entry(262, 3, 1, 1);    // Photometric: min-is-black
  entry(273, 4, 1, 200);  // StripOffsets
  entry(278, 3, 1, 10);   // RowsPerStrip
  entry(279, 4, 1, 100);  // StripByteCounts
  u32(0);                 // no next directory
  b.resize(300, '\x80');
  return b;
}

// A PDF written by hand: one page per entry, each with a MediaBox of width × height
// points, an optional /Rotate and a content stream.
struct PdfPage {
  double width = 216;
  double height = 144;
  std::string content;
  int rotate = 0;
};

std::string MakePdf(const std::vector<PdfPage>& pages) {
  std::vector<std::string> objects;
  std::string kids;
  for (size_t i = 0; i < pages.size(); ++i) kids += std::to_string(3 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) +
                    " >>");
  for (size_t i = 0; i < pages.size(); ++i) {
    const PdfPage& p = pages[i];
    char box[128];
    std::snprintf(box, sizeof box, "[0 0 %g %g]", p.width, p.height);
    std::string page = "<< /Type /Page /Parent 2 0 R /MediaBox " + std::string(box) +
                       " /Contents " + std::to_string(4 + 2 * i) + " 0 R";
    if (p.rotate != 0) page += " /Rotate " + std::to_string(p.rotate);
    objects.push_back(page + " >>");
    objects.push_back("<< /Length " + std::to_string(p.content.size()) + " >>\nstream\n" +
                      p.content + "\nendstream");
  }
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// Content streams: a red and a mid-grey rectangle (x 20-120, y 20-70 points).
const std::string kRedRect = "1 0 0 rg 20 20 100 50 re f";
const std::string kGreyRect = "0.5 g 20 20 100 50 re f";

// What `fn` writes to file descriptor 2 (stderr).
std::string CaptureStderr(const std::function<void()>& fn) {
  std::fflush(stderr);
  FILE* sink = std::tmpfile();
  if (sink == nullptr) std::abort();
  const int saved = ::dup(2);
  ::dup2(::fileno(sink), 2);
  fn();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::string text;
  std::rewind(sink);
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, sink)) > 0) text.append(buf, n);
  std::fclose(sink);
  return text;
}

std::vector<std::string> ListNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Runs `fn` in a child process as user and group `nobody` (when the tests run as root,
// whom permissions do not stop) and expects it to return true. Used for permission tests.
void ExpectAsUnprivilegedUser(const std::function<bool()>& fn) {
  EXPECT_EXIT(
      {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(2);
        std::_Exit(fn() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// ---------------------------------------------------------------------------------------
// Names

TEST(FileNameTest, NaturalOrderComparesNumbersByValue) {
  const std::vector<std::pair<std::string, std::string>> less = {
      {"side2.png", "side10.png"},
      {"a.png", "b.png"},
      {"scan9", "scan10"},
      {"x", "x1"},
      {"a01", "a1"},
      {"a1b", "a01c"},
      {"2026-01-05", "2026-1-6"},
      {"A.png", "a.png"},
      {"side 2", "side 12"},
      {"007", "8"},
      {"p1.pdf", "p1.png"},
  };
  for (const auto& [a, b] : less) {
    EXPECT_TRUE(NaturalLess(a, b)) << a << " < " << b;
    EXPECT_FALSE(NaturalLess(b, a)) << b << " !< " << a;
  }
  EXPECT_FALSE(NaturalLess("same", "same"));
  std::vector<std::string> names = {"s10.tif", "s1.tif", "s2.tif", "s01.tif", "s20.tif"};
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return NaturalLess(a, b); });
  EXPECT_EQ(names, (std::vector<std::string>{"s01.tif", "s1.tif", "s2.tif", "s10.tif", "s20.tif"}));
}

TEST(FileNameTest, HiddenAndTemporaryNamesAreIgnored) {
  for (const char* name :
       {".hidden.png", "~scan.pdf", "scan.pdf.part", "scan.PART", "x.tmp", "y.TMP", "z.filepart",
        "d.crdownload", "e.partial", "Thumbs.db", "desktop.ini", ".", ".."}) {
    EXPECT_TRUE(IsIgnoredFileName(name)) << name;
  }
  for (const char* name : {"scan.pdf", "scan.png", "part", "tmp.pdf", "a~b.png", "scan.part2"}) {
    EXPECT_FALSE(IsIgnoredFileName(name)) << name;
  }
}

// ---------------------------------------------------------------------------------------
// Content recognition and completeness

class ContentTest : public ::testing::Test {
 protected:
  std::string Put(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.Sub(name);
    WriteFile(path, bytes);
    return path;
  }
  ScopedTempDir dir_;
};

TEST_F(ContentTest, RecognisesEachFormatByContentNotByName) {
  WriteTiff(dir_.Sub("really-a-tiff.png"), 1);
  const std::map<std::string, FileFormat> cases = {
      {Put("really-a-png.pdf", MakePng()), FileFormat::kPng},
      {Put("really-a-jpeg.tif", MakeJpeg()), FileFormat::kJpeg},
      {dir_.Sub("really-a-tiff.png"), FileFormat::kTiff},
      {Put("really-a-pdf", MakePdf({PdfPage{216, 144, kGreyRect}})), FileFormat::kPdf},
  };
  for (const auto& [path, format] : cases) {
    const Result<FileFormat> got = DetectFileFormat(path);
    ASSERT_TRUE(got) << path << ": " << got.error().ToString();
    EXPECT_EQ(*got, format) << path;
  }
}

TEST_F(ContentTest, TextFileNamedPngIsRejectedNamingTheFileAndTheAcceptedFormats) {
  const Result<FileFormat> got = DetectFileFormat(Put("brev.png", "Kære kommune,\nhermed ...\n"));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(got.error().message(), HasSubstr("brev.png"));
  EXPECT_THAT(got.error().message(), HasSubstr("PNG, TIFF, JPEG og PDF"));
}

TEST_F(ContentTest, OtherKnownFormatIsNamedInTheMessage) {
  const Result<FileFormat> got = DetectFileFormat(Put("scan.png", "GIF89a\x01\x00\x01\x00"));
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error().message(), HasSubstr("GIF"));
}

TEST_F(ContentTest, EmptyFileIsRejected) {
  const Result<FileFormat> got = DetectFileFormat(Put("tom.pdf", ""));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(got.error().message(), HasSubstr("tom.pdf er tom"));
}

TEST_F(ContentTest, HalfWrittenPngIsIncomplete) {
  const std::string png = MakePng(200, 200, 17);
  for (size_t cut : {size_t{4}, size_t{20}, png.size() / 2, png.size() - 12, png.size() - 1}) {
    const Result<FileFormat> got = DetectFileFormat(Put("halv.png", png.substr(0, cut)));
    ASSERT_FALSE(got) << "cut at " << cut;
    EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(got.error().message(), HasSubstr("halv.png"));
    EXPECT_THAT(got.error().message(), HasSubstr("ufuldstændig")) << "cut at " << cut;
  }
}

TEST_F(ContentTest, PngWithoutHeaderChunkIsDamaged) {
  std::string png = MakePng();
  png.replace(12, 4, "JUNK");  // the first chunk's type
  const Result<FileFormat> got = DetectFileFormat(Put("skadet.png", png));
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error().message(), HasSubstr("beskadiget"));
}

TEST_F(ContentTest, HalfWrittenJpegIsIncomplete) {
  const std::string jpeg = MakeJpeg(400, 300);
  for (size_t cut : {size_t{2}, size_t{30}, jpeg.size() / 2, jpeg.size() - 2}) {
    const Result<FileFormat> got = DetectFileFormat(Put("halv.jpg", jpeg.substr(0, cut)));
    ASSERT_FALSE(got) << "cut at " << cut;
    EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(got.error().message(), HasSubstr("ufuldstændig")) << "cut at " << cut;
  }
  // Padding after the end-of-image marker, as some devices write, is accepted.
  EXPECT_TRUE(DetectFileFormat(Put("polstret.jpg", jpeg + std::string(100, '\0'))));
}

TEST_F(ContentTest, MultiPageTiffCountsItsPages) {
  WriteTiff(dir_.Sub("tre.tif"), 3);
  const Result<FileContent> got = InspectFile(dir_.Sub("tre.tif"));
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ(got->format, FileFormat::kTiff);
  EXPECT_EQ(got->page_count, 3);
}

TEST_F(ContentTest, TruncatedMultiPageTiffIsRejectedWithoutPrintingToStderr) {
  WriteTiff(dir_.Sub("hel.tif"), 3, 200, 200);
  const std::string tiff = ReadFile(dir_.Sub("hel.tif"));
  const std::string path = Put("halv.tif", tiff.substr(0, tiff.size() * 2 / 3));
  std::optional<Result<FileContent>> got;
  const std::string err = CaptureStderr([&] { got.emplace(InspectFile(path)); });
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(got->error().message(), HasSubstr("halv.tif"));
  EXPECT_EQ(err, "");
}

TEST_F(ContentTest, TiffWhosePixelsLieBeyondTheEndIsIncomplete) {
  const std::string tiff = MakeTiffWithDirectoryFirst();
  ASSERT_TRUE(DetectFileFormat(Put("hel.tif", tiff))) << "the fixture itself is whole";
  const Result<FileFormat> got = DetectFileFormat(Put("kort.tif", tiff.substr(0, 250)));
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error().message(), HasSubstr("ufuldstændig"));
  EXPECT_THAT(got.error().message(), HasSubstr("side 1"));
}

TEST_F(ContentTest, TiffHeaderPointingNowhereIsDamaged) {
  std::string tiff = MakeTiffWithDirectoryFirst();
  tiff[4] = '\xF0';  // first directory offset far beyond the end
  tiff[5] = '\xFF';
  std::optional<Result<FileFormat>> got;
  const std::string err =
      CaptureStderr([&] { got.emplace(DetectFileFormat(Put("skadet.tif", tiff))); });
  ASSERT_FALSE(*got);
  EXPECT_THAT(got->error().message(), HasSubstr("skadet.tif"));
  EXPECT_EQ(err, "");
}

TEST_F(ContentTest, HalfWrittenPdfIsIncomplete) {
  const std::string pdf = MakePdf({PdfPage{216, 144, kGreyRect}});
  const Result<FileFormat> got = DetectFileFormat(Put("halv.pdf", pdf.substr(0, pdf.size() / 2)));
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error().message(), HasSubstr("ufuldstændig"));
  EXPECT_THAT(got.error().message(), HasSubstr("%%EOF"));
}

TEST_F(ContentTest, DamagedPdfIsRejectedWithoutPrintingToStderr) {
  const std::string path = Put("skadet.pdf", "%PDF-1.4\nher er ingen objekter\n%%EOF\n");
  std::optional<Result<FileContent>> got;
  const std::string err = CaptureStderr([&] { got.emplace(InspectFile(path)); });
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(got->error().message(), HasSubstr("skadet.pdf"));
  EXPECT_THAT(got->error().message(), HasSubstr("beskadiget"));
  EXPECT_EQ(err, "");
}

TEST_F(ContentTest, PdfWithoutPagesIsRejected) {
  const Result<FileContent> got = InspectFile(Put("tom.pdf", MakePdf({})));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(got.error().message(), HasSubstr("tom.pdf"));
  EXPECT_THAT(got.error().message(), HasSubstr("ingen sider"));
}

TEST_F(ContentTest, MissingFileIsNotFound) {
  const Result<FileFormat> got = DetectFileFormat(dir_.Sub("findes-ikke.png"));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(got.error().message(), HasSubstr("findes-ikke.png"));
}

TEST_F(ContentTest, DirectoryAndFifoAreNotFiles) {
  fs::create_directory(dir_.Sub("mappe.png"));
  ASSERT_EQ(::mkfifo(dir_.Sub("fifo.png").c_str(), 0600), 0);
  for (const char* name : {"mappe.png", "fifo.png"}) {
    const Result<FileFormat> got = DetectFileFormat(dir_.Sub(name));  // must not block
    ASSERT_FALSE(got) << name;
    EXPECT_EQ(got.error().code(), ErrorCode::kInvalidArgument) << name;
  }
}

TEST_F(ContentTest, UnreadableFileIsAnIoError) {
  const std::string path = Put("hemmelig.png", MakePng());
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ExpectAsUnprivilegedUser([&] {
    const Result<FileFormat> got = DetectFileFormat(path);
    return !got && got.error().code() == ErrorCode::kIOError &&
           got.error().message().find("hemmelig.png") != std::string::npos &&
           got.error().message().find("adgang nægtet") != std::string::npos;
  });
}

// ---------------------------------------------------------------------------------------
// PDF rasterisation

class PdfRasterizerTest : public ::testing::Test {
 protected:
  std::unique_ptr<PdfRasterizer> OpenPdf(const std::vector<PdfPage>& pages) {
    const std::string path = dir_.Sub("doc.pdf");
    WriteFile(path, MakePdf(pages));
    Result<std::unique_ptr<PdfRasterizer>> pdf = PdfRasterizer::Open(path);
    EXPECT_TRUE(pdf) << pdf.error().ToString();
    return pdf ? std::move(*pdf) : nullptr;
  }
  ScopedTempDir dir_;
};

TEST_F(PdfRasterizerTest, PageIsRenderedAtTheRequestedResolution) {
  auto pdf = OpenPdf({PdfPage{216, 144, kGreyRect}});
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->page_count(), 1);
  for (int dpi : {72, 150, 300}) {
    const Result<RawFrame> frame = pdf->RenderPage(0, dpi);
    ASSERT_TRUE(frame) << frame.error().ToString();
    EXPECT_EQ(frame->width, 216 * dpi / 72) << dpi;  // 3 × 2 inches
    EXPECT_EQ(frame->height, 144 * dpi / 72) << dpi;
    EXPECT_EQ(frame->depth, 8);
    EXPECT_EQ(frame->bytes_per_line, frame->width * frame->channels);
    EXPECT_EQ(frame->pixels.size(),
              static_cast<size_t>(frame->bytes_per_line) * static_cast<size_t>(frame->height));
  }
}

TEST_F(PdfRasterizerTest, FractionalPageSizeRoundsToTheNearestPixel) {
  auto pdf = OpenPdf({PdfPage{100.5, 70.2, kGreyRect}, PdfPage{50.4, 30.7, kGreyRect}});
  ASSERT_TRUE(pdf);
  const std::vector<std::pair<int, int>> expected = {{101, 70}, {50, 31}};
  for (int i = 0; i < 2; ++i) {
    const Result<RawFrame> frame = pdf->RenderPage(i, 72);
    ASSERT_TRUE(frame);
    EXPECT_EQ(std::make_pair(frame->width, frame->height), expected[static_cast<size_t>(i)]);
  }
}

TEST_F(PdfRasterizerTest, GreyPageBecomesEightBitGreyWithItsTones) {
  auto pdf = OpenPdf({PdfPage{216, 144, kGreyRect}});
  ASSERT_TRUE(pdf);
  const Result<RawFrame> frame = pdf->RenderPage(0, 150);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->channels, 1);
  auto at = [&](double x_pt, double y_pt) {  // PDF coordinates, origin bottom left
    const int x = static_cast<int>(x_pt * 150 / 72);
    const int y = static_cast<int>((144 - y_pt) * 150 / 72);
    return static_cast<int>(frame->pixels[static_cast<size_t>(y) * frame->bytes_per_line + x]);
  };
  EXPECT_NEAR(at(70, 45), 128, 2);  // inside the 0.5 grey rectangle
  EXPECT_EQ(at(5, 5), 255);         // white paper
  EXPECT_EQ(at(200, 130), 255);
}

TEST_F(PdfRasterizerTest, ColourPageBecomesRgbWithItsColours) {
  auto pdf = OpenPdf({PdfPage{216, 144, kRedRect}});
  ASSERT_TRUE(pdf);
  const Result<RawFrame> frame = pdf->RenderPage(0, 150);
  ASSERT_TRUE(frame);
  ASSERT_EQ(frame->channels, 3);
  auto rgb = [&](double x_pt, double y_pt) {
    const size_t x = static_cast<size_t>(x_pt * 150 / 72);
    const size_t y = static_cast<size_t>((144 - y_pt) * 150 / 72);
    const uint8_t* p = &frame->pixels[y * static_cast<size_t>(frame->bytes_per_line) + 3 * x];
    return std::vector<int>{p[0], p[1], p[2]};
  };
  EXPECT_EQ(rgb(70, 45), (std::vector<int>{255, 0, 0}));  // R, G, B order
  EXPECT_EQ(rgb(5, 5), (std::vector<int>{255, 255, 255}));
}

TEST_F(PdfRasterizerTest, SpeckOfColourBelowOnePerMilleStaysGrey) {
  // A 1 × 1 point red dot on a 216 × 144 point page: about 0.003 % of the pixels.
  auto pdf = OpenPdf({PdfPage{216, 144, kGreyRect + " 1 0 0 rg 150 100 1 1 re f"}});
  ASSERT_TRUE(pdf);
  const Result<RawFrame> frame = pdf->RenderPage(0, 150);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->channels, 1);
}

TEST_F(PdfRasterizerTest, RotatedPageHasItsTurnedSize) {
  auto pdf = OpenPdf({PdfPage{216, 144, kGreyRect, 90}});
  ASSERT_TRUE(pdf);
  const Result<RawFrame> frame = pdf->RenderPage(0, 150);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->width, 300);
  EXPECT_EQ(frame->height, 450);
}

TEST_F(PdfRasterizerTest, EveryPageOfAMultiPageDocumentRendersOnItsOwn) {
  auto pdf = OpenPdf(
      {PdfPage{216, 144, kGreyRect}, PdfPage{144, 216, kRedRect}, PdfPage{72, 72, kGreyRect}});
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->page_count(), 3);
  const std::vector<std::vector<int>> expected = {{450, 300, 1}, {300, 450, 3}, {150, 150, 1}};
  for (int i = 0; i < 3; ++i) {
    const Result<RawFrame> frame = pdf->RenderPage(i, 150);
    ASSERT_TRUE(frame) << i;
    EXPECT_EQ((std::vector<int>{frame->width, frame->height, frame->channels}),
              expected[static_cast<size_t>(i)])
        << "page " << i + 1;
  }
}

TEST_F(PdfRasterizerTest, ResolutionOutsideTheLimitsIsRefused) {
  auto pdf = OpenPdf({PdfPage{216, 144, kGreyRect}});
  ASSERT_TRUE(pdf);
  for (int dpi : {0, PdfRasterizer::kMinDpi - 1, PdfRasterizer::kMaxDpi + 1, -300}) {
    const Result<RawFrame> frame = pdf->RenderPage(0, dpi);
    ASSERT_FALSE(frame) << dpi;
    EXPECT_EQ(frame.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(frame.error().message(), HasSubstr("doc.pdf"));
  }
}

TEST_F(PdfRasterizerTest, HugePageIsRefusedBeforeRendering) {
  // 200 × 200 inches (the largest page PDF allows) would be 60000 pixels a side at 300 dpi.
  auto pdf = OpenPdf({PdfPage{14400, 14400, kGreyRect}});
  ASSERT_TRUE(pdf);
  const auto start = SteadyClock::now();
  const Result<RawFrame> frame = pdf->RenderPage(0, 300);
  ASSERT_FALSE(frame);
  EXPECT_LT(SteadyClock::now() - start, Ms(1000));
  EXPECT_EQ(frame.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(frame.error().message(), HasSubstr("side 1 af 1 i doc.pdf er for stor"));
  EXPECT_THAT(frame.error().message(), HasSubstr("60000"));
}

TEST_F(PdfRasterizerTest, NonPdfAndMissingFilesAreClearErrors) {
  WriteFile(dir_.Sub("tekst.pdf"), "ikke en pdf\n");
  std::optional<Result<std::unique_ptr<PdfRasterizer>>> got;
  const std::string err =
      CaptureStderr([&] { got.emplace(PdfRasterizer::Open(dir_.Sub("tekst.pdf"))); });
  ASSERT_FALSE(*got);
  EXPECT_EQ(got->error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(got->error().message(), HasSubstr("tekst.pdf"));
  EXPECT_EQ(err, "");

  const auto missing = PdfRasterizer::Open(dir_.Sub("væk.pdf"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("væk.pdf"));
}

// ---------------------------------------------------------------------------------------
// File import

class FolderSourceTest : public ::testing::Test {
 protected:
  std::string Put(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.Sub(name);
    WriteFile(path, bytes);
    return path;
  }

  // Every page (or error) of the session, as "source#index@sheet" for file pages,
  // "source:WxHxC@sheet" for rendered pages and "error:<code>:<message>" for errors.
  static std::vector<std::string> Drain(FolderSession& session) {
    std::vector<std::string> out;
    for (int guard = 0; guard < 1000; ++guard) {
      Result<std::optional<ScannedPage>> page = session.NextPage();
      if (!page) {
        out.push_back("error:" + std::string(ErrorCodeName(page.error().code())) + ":" +
                      page.error().message());
        continue;
      }
      if (!page->has_value()) return out;
      const ScannedPage& p = **page;
      if (const auto* file = std::get_if<FilePage>(&p.content)) {
        out.push_back(p.source + "#" + std::to_string(file->page_index) + "@" +
                      std::to_string(p.sheet));
      } else {
        const auto& frame = std::get<RawFrame>(p.content);
        out.push_back(p.source + ":" + std::to_string(frame.width) + "x" +
                      std::to_string(frame.height) + "x" + std::to_string(frame.channels) + "@" +
                      std::to_string(p.sheet));
      }
    }
    ADD_FAILURE() << "the session never ended";
    return out;
  }

  static ScanSettings Settings(int dpi = 150, int first_sheet = 1) {
    ScanSettings s;
    s.dpi = dpi;
    s.first_sheet = first_sheet;
    return s;
  }

  ScopedTempDir dir_;
};

TEST_F(FolderSourceTest, ListsOneFolderDevice) {
  FolderSource source;
  const Result<std::vector<DeviceInfo>> devices = source.ListDevices();
  ASSERT_TRUE(devices);
  ASSERT_EQ(devices->size(), 1u);
  EXPECT_EQ(devices->front().name, "folder");
  EXPECT_EQ(devices->front().type, "folder");
}

TEST_F(FolderSourceTest, DirectoryIsImportedInNaturalOrderSkippingSubfoldersAndHiddenFiles) {
  Put("side10.png", MakePng());
  Put("side2.jpg", MakeJpeg());
  Put("side1.png", MakePng());
  Put(".skjult.png", MakePng());
  Put("ikke-færdig.png.part", MakePng());
  Put("done/gammel.png", MakePng());
  Put("failed/afvist.png", MakePng());
  FolderSource source;
  ScanSettings settings = Settings();
  settings.device = dir_.path();
  Result<std::unique_ptr<FolderSession>> session = source.StartImport(settings);
  ASSERT_TRUE(session) << session.error().ToString();
  EXPECT_EQ(Drain(**session),
            (std::vector<std::string>{"side1.png#0@1", "side2.jpg#0@2", "side10.png#0@3"}));
  std::vector<std::string> delivered;
  for (const ImportedFile& f : (*session)->delivered_files()) delivered.push_back(f.path);
  EXPECT_EQ(delivered, (std::vector<std::string>{dir_.Sub("side1.png"), dir_.Sub("side2.jpg"),
                                                 dir_.Sub("side10.png")}));
  EXPECT_TRUE((*session)->failed_files().empty());
}

TEST_F(FolderSourceTest, FilePagesCarryThePathAndNoResolution) {
  const std::string path = Put("a.png", MakePng());
  auto session = FolderSource::Import({path}, Settings());
  ASSERT_TRUE(session);
  const Result<std::optional<ScannedPage>> page = (*session)->NextPage();
  ASSERT_TRUE(page && page->has_value());
  const auto* file = std::get_if<FilePage>(&(*page)->content);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->path, path);
  EXPECT_EQ(file->page_index, 0);
  EXPECT_EQ((*page)->dpi, 0);
  EXPECT_EQ((*page)->side, Side::kFront);
  EXPECT_EQ((*page)->source, "a.png");
}

TEST_F(FolderSourceTest, MultiPageTiffYieldsOneFilePagePerPage) {
  WriteTiff(dir_.Sub("fire.tif"), 4);
  auto session = FolderSource::Import({dir_.Sub("fire.tif")}, Settings());
  ASSERT_TRUE(session);
  EXPECT_EQ(Drain(**session), (std::vector<std::string>{"fire.tif#0@1", "fire.tif#1@2",
                                                        "fire.tif#2@3", "fire.tif#3@4"}));
  ASSERT_EQ((*session)->delivered_files().size(), 1u);
  EXPECT_EQ((*session)->delivered_files()[0].page_count, 4);
  EXPECT_EQ((*session)->delivered_files()[0].first_sheet, 1);
  EXPECT_EQ((*session)->delivered_files()[0].format, FileFormat::kTiff);
}

TEST_F(FolderSourceTest, PdfPagesAreRenderedAtTheBatchResolution) {
  Put("brev.pdf", MakePdf({PdfPage{216, 144, kGreyRect}, PdfPage{216, 144, kRedRect}}));
  for (int dpi : {150, 300}) {
    auto session = FolderSource::Import({dir_.Sub("brev.pdf")}, Settings(dpi));
    ASSERT_TRUE(session);
    const std::string w = std::to_string(3 * dpi);
    const std::string h = std::to_string(2 * dpi);
    EXPECT_EQ(Drain(**session), (std::vector<std::string>{"brev.pdf:" + w + "x" + h + "x1@1",
                                                          "brev.pdf:" + w + "x" + h + "x3@2"}));
  }
  auto session = FolderSource::Import({dir_.Sub("brev.pdf")}, Settings(200));
  ASSERT_TRUE(session);
  const auto page = (*session)->NextPage();
  ASSERT_TRUE(page && page->has_value());
  EXPECT_EQ((*page)->dpi, 200);
}

// The station must learn which file was bad and go on with the rest of the batch.
TEST_F(FolderSourceTest, BadFilesAreReportedOneByOneAndTheBatchContinues) {
  Put("1-god.png", MakePng());
  Put("2-tekst.png", "bare tekst\n");
  Put("3-skadet.pdf", "%PDF-1.4\nskrald\n%%EOF\n");
  Put("4-halv.png", MakePng().substr(0, 40));
  WriteTiff(dir_.Sub("5-god.tif"), 2);
  auto session = FolderSource::Import({dir_.path()}, Settings());
  ASSERT_TRUE(session);
  const std::vector<std::string> got = Drain(**session);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], "1-god.png#0@1");
  EXPECT_THAT(got[1], HasSubstr("error:invalid_argument:2-tekst.png"));
  EXPECT_THAT(got[2], HasSubstr("error:invalid_argument:3-skadet.pdf"));
  EXPECT_THAT(got[3], HasSubstr("error:invalid_argument:4-halv.png"));
  EXPECT_EQ(got[4], "5-god.tif#0@2");  // a failed file uses no sheet number
  EXPECT_EQ(got[5], "5-god.tif#1@3");

  const auto& failed = (*session)->failed_files();
  ASSERT_EQ(failed.size(), 3u);
  EXPECT_EQ(failed[0].path, dir_.Sub("2-tekst.png"));
  EXPECT_EQ(failed[1].path, dir_.Sub("3-skadet.pdf"));
  EXPECT_EQ(failed[2].path, dir_.Sub("4-halv.png"));
  for (const FailedFile& f : failed) {
    EXPECT_EQ(f.pages_delivered, 0);
    EXPECT_EQ(f.error.code(), ErrorCode::kInvalidArgument);
  }
  ASSERT_EQ((*session)->delivered_files().size(), 2u);
  EXPECT_EQ((*session)->delivered_files()[0].path, dir_.Sub("1-god.png"));
  EXPECT_EQ((*session)->delivered_files()[1].path, dir_.Sub("5-god.tif"));
  EXPECT_EQ((*session)->delivered_files()[1].first_sheet, 2);
}

TEST_F(FolderSourceTest, FaultInfoPointsAfterTheLastPageReturned) {
  Put("a.png", MakePng());
  Put("b.png", "ikke et billede");
  auto session = FolderSource::Import({dir_.Sub("a.png"), dir_.Sub("b.png")}, Settings(150, 7));
  ASSERT_TRUE(session);
  EXPECT_EQ((*session)->fault_info().last_complete_sheet, 6);
  ASSERT_TRUE((*session)->NextPage());
  EXPECT_FALSE((*session)->NextPage());
  EXPECT_EQ((*session)->fault_info().last_complete_sheet, 7);
  EXPECT_EQ((*session)->fault_info().reload_from_sheet, 8);
}

TEST_F(FolderSourceTest, FileThatDisappearsBeforeItsTurnIsReportedNotSkippedSilently) {
  Put("a.png", MakePng());
  Put("b.png", MakePng());
  auto session = FolderSource::Import({dir_.path()}, Settings());
  ASSERT_TRUE(session);
  ASSERT_TRUE((*session)->NextPage());
  fs::rename(dir_.Sub("b.png"), dir_.Sub("flyttet.bak"));  // moved away by someone else
  const auto page = (*session)->NextPage();
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(page.error().message(), HasSubstr("b.png"));
  const auto end = (*session)->NextPage();
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->has_value());
}

TEST_F(FolderSourceTest, ExplicitListKeepsItsOrderAndImportsEachFileOnce) {
  Put("b.png", MakePng());
  Put("a.png", MakePng());
  Put("c.png", MakePng());
  fs::create_symlink(dir_.Sub("a.png"), dir_.Sub("link-til-a.png"));
  FolderSource source({dir_.Sub("c.png"), dir_.Sub("a.png"), dir_.Sub("link-til-a.png"),
                       dir_.Sub("b.png"), dir_.Sub("c.png")});
  for (const std::string& device : {std::string(), std::string(FolderSource::kDeviceName)}) {
    ScanSettings settings = Settings();
    settings.device = device;
    Result<std::unique_ptr<ScanSession>> session = source.StartBatch(settings);
    ASSERT_TRUE(session) << session.error().ToString();
    std::vector<std::string> sources;
    for (;;) {
      auto page = (*session)->NextPage();
      ASSERT_TRUE(page);
      if (!page->has_value()) break;
      sources.push_back((*page)->source);
    }
    EXPECT_EQ(sources, (std::vector<std::string>{"c.png", "a.png", "b.png"}));
  }
}

TEST_F(FolderSourceTest, SheetNumbersStartAtTheBatchsFirstSheet) {
  WriteTiff(dir_.Sub("to.tif"), 2);
  auto session = FolderSource::Import({dir_.Sub("to.tif")}, Settings(150, 12));
  ASSERT_TRUE(session);
  EXPECT_EQ(Drain(**session), (std::vector<std::string>{"to.tif#0@12", "to.tif#1@13"}));
}

TEST_F(FolderSourceTest, CancelStopsTheSessionForGood) {
  Put("a.png", MakePng());
  Put("b.png", MakePng());
  auto session = FolderSource::Import({dir_.path()}, Settings());
  ASSERT_TRUE(session);
  ASSERT_TRUE((*session)->NextPage());
  std::thread([&] { (*session)->Cancel(); }).join();
  for (int i = 0; i < 2; ++i) {
    const auto page = (*session)->NextPage();
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code(), ErrorCode::kCancelled);
  }
  EXPECT_EQ((*session)->delivered_files().size(), 1u);
}

TEST_F(FolderSourceTest, EmptyFolderIsAClearError) {
  fs::create_directory(dir_.Sub("tom"));
  fs::create_directory(dir_.Sub("tom/done"));
  Put("tom/.skjult", "x");
  const auto session = FolderSource::Import({dir_.Sub("tom")}, Settings());
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(session.error().message(), HasSubstr("mappen " + dir_.Sub("tom")));
  EXPECT_THAT(session.error().message(), HasSubstr("ingen filer"));
}

TEST_F(FolderSourceTest, MissingFolderOrFileIsAClearError) {
  Put("a.png", MakePng());
  for (const auto& paths : std::vector<std::vector<std::string>>{
           {dir_.Sub("findes-ikke")}, {dir_.Sub("a.png"), dir_.Sub("mangler.pdf")}}) {
    const auto session = FolderSource::Import(paths, Settings());
    ASSERT_FALSE(session);
    EXPECT_EQ(session.error().code(), ErrorCode::kNotFound);
    EXPECT_THAT(session.error().message(), HasSubstr(paths.back()));
    EXPECT_THAT(session.error().message(), HasSubstr("findes ikke"));
  }
}

TEST_F(FolderSourceTest, NoPathsAndBadSettingsAreRefused) {
  Put("a.png", MakePng());
  FolderSource nothing;
  EXPECT_FALSE(nothing.StartBatch(Settings()));
  for (const ScanSettings& s : {Settings(10), Settings(5000), Settings(300, 0)}) {
    const auto session = FolderSource::Import({dir_.Sub("a.png")}, s);
    ASSERT_FALSE(session);
    EXPECT_EQ(session.error().code(), ErrorCode::kInvalidArgument);
  }
  ASSERT_EQ(::mkfifo(dir_.Sub("fifo").c_str(), 0600), 0);
  const auto fifo = FolderSource::Import({dir_.Sub("fifo")}, Settings());
  ASSERT_FALSE(fifo);
  EXPECT_THAT(fifo.error().message(), HasSubstr("hverken en almindelig fil eller en mappe"));
}

TEST_F(FolderSourceTest, UnreadableFolderIsAClearError) {
  Put("låst/a.png", MakePng());
  ASSERT_EQ(::chmod(dir_.Sub("låst").c_str(), 0), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  const std::string locked = dir_.Sub("låst");
  ExpectAsUnprivilegedUser([&] {
    const auto session = FolderSource::Import({locked}, ScanSettings{});
    return !session && session.error().code() == ErrorCode::kIOError &&
           session.error().message().find(locked) != std::string::npos;
  });
  ::chmod(locked.c_str(), 0755);
}

// ---------------------------------------------------------------------------------------
// Scan-to-folder

class FolderWatcherTest : public ::testing::Test {
 protected:
  FolderWatcherTest() : inbox_(dir_.Sub("indbakke")) { fs::create_directory(inbox_); }

  std::unique_ptr<FolderWatcher> Watch() {
    FolderWatcherOptions options;
    options.quiet_period = kQuiet;
    Result<std::unique_ptr<FolderWatcher>> w = FolderWatcher::Open(inbox_, options);
    EXPECT_TRUE(w) << w.error().ToString();
    return w ? std::move(*w) : nullptr;
  }

  // The next file within kPatience, or nullopt.
  static std::optional<IncomingFile> NextSoon(FolderWatcher& w) {
    Result<std::optional<IncomingFile>> f = w.Next(kPatience);
    EXPECT_TRUE(f) << f.error().ToString();
    return f ? *f : std::nullopt;
  }

  // Asserts that nothing is offered for `span`.
  static void ExpectNothingFor(FolderWatcher& w, Ms span) {
    Result<std::optional<IncomingFile>> f = w.Next(span);
    ASSERT_TRUE(f) << f.error().ToString();
    EXPECT_FALSE(f->has_value()) << "offered too early: " << (*f)->name;
  }

  std::string In(const std::string& name) const { return inbox_ + "/" + name; }

  ScopedTempDir dir_;
  std::string inbox_;
};

// Regression scenario of issue #5: "files appearing slowly".
TEST_F(FolderWatcherTest, FileWrittenSlowlyIsOfferedOnlyAfterItIsClosedAndQuiet) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  std::atomic<bool> closed{false};
  SteadyClock::time_point closed_at;
  const std::string chunk(64 * 1024, 'x');
  // Pauses longer than the quiet period: only the open file keeps it from being taken.
  std::thread writer([&] {
    const int fd = ::open(In("langsom.pdf").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(::write(fd, chunk.data(), chunk.size()), static_cast<ssize_t>(chunk.size()));
      std::this_thread::sleep_for(kQuiet + Ms(100));
    }
    closed_at = SteadyClock::now();
    ::close(fd);
    closed = true;
  });
  std::optional<IncomingFile> file;
  while (!file) {
    Result<std::optional<IncomingFile>> f = watcher->Next(Ms(50));
    ASSERT_TRUE(f);
    if (f->has_value()) {
      ASSERT_TRUE(closed.load()) << "offered while still being written";
      file = *f;
    } else if (closed && SteadyClock::now() - closed_at > kPatience) {
      break;
    }
  }
  const auto offered_at = SteadyClock::now();
  writer.join();
  ASSERT_TRUE(file);
  EXPECT_EQ(file->name, "langsom.pdf");
  EXPECT_EQ(file->size, static_cast<int64_t>(4 * chunk.size()));
  EXPECT_EQ(file->path, In("langsom.pdf"));
  EXPECT_GE(offered_at - closed_at, kQuiet);
}

TEST_F(FolderWatcherTest, FileStillOpenForWritingIsNotTaken) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const int fd = ::open(In("åben.png").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const std::string png = MakePng();
  ASSERT_EQ(::write(fd, png.data(), png.size()), static_cast<ssize_t>(png.size()));
  ExpectNothingFor(*watcher, kQuiet * 4);
  ::close(fd);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->name, "åben.png");
}

// SMB and FTP servers may close a file and open it again during one transfer.
TEST_F(FolderWatcherTest, WriterThatReopensWithinTheQuietPeriodIsWaitedFor) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  WriteFile(In("smb.pdf"), "første del ");
  std::this_thread::sleep_for(kQuiet / 3);
  SteadyClock::time_point last_close;
  {
    const int fd = ::open(In("smb.pdf").c_str(), O_WRONLY | O_APPEND);
    ASSERT_GE(fd, 0);
    std::this_thread::sleep_for(kQuiet * 2);  // open again, longer than the quiet period
    ASSERT_EQ(::write(fd, "anden del", 9), 9);
    last_close = SteadyClock::now();
    ::close(fd);
  }
  const auto file = NextSoon(*watcher);
  const auto offered_at = SteadyClock::now();
  ASSERT_TRUE(file);
  EXPECT_EQ(file->size, static_cast<int64_t>(std::string("første del anden del").size()));
  EXPECT_GE(offered_at - last_close, kQuiet);
}

TEST_F(FolderWatcherTest, FileMovedInIsTaken) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  WriteFile(In("scan.pdf.part"), "%PDF-1.4 ...");  // a temporary name: ignored
  WriteFile(dir_.Sub("udenfor.png"), MakePng());
  ExpectNothingFor(*watcher, kQuiet * 2);
  fs::rename(In("scan.pdf.part"), In("scan.pdf"));
  fs::rename(dir_.Sub("udenfor.png"), In("flyttet.png"));
  const auto first = NextSoon(*watcher);
  const auto second = NextSoon(*watcher);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->name, "scan.pdf");
  EXPECT_EQ(second->name, "flyttet.png");
}

TEST_F(FolderWatcherTest, HiddenTemporaryAndNonRegularEntriesAreNeverOffered) {
  WriteFile(In(".skjult.png"), MakePng());
  WriteFile(In("~lås.pdf"), "x");
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  WriteFile(In("halv.tmp"), "x");
  WriteFile(In("Thumbs.db"), "x");
  fs::create_directory(In("undermappe"));
  fs::create_symlink(dir_.Sub("et-sted"), In("link.png"));
  ASSERT_EQ(::mkfifo(In("fifo.png").c_str(), 0600), 0);
  ExpectNothingFor(*watcher, kQuiet * 3);
}

TEST_F(FolderWatcherTest, FilesAreOfferedInArrivalOrderNotNameOrder) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  for (const char* name : {"c.png", "a.png", "b.png"}) WriteFile(In(name), MakePng());
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    const auto f = NextSoon(*watcher);
    ASSERT_TRUE(f);
    order.push_back(f->name);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"c.png", "a.png", "b.png"}));
}

TEST_F(FolderWatcherTest, FilesAlreadyInTheInboxAreOfferedOldestFirst) {
  const std::map<std::string, int> age_s = {{"ny.png", 10}, {"ældst.png", 300}, {"midt.png", 60}};
  for (const auto& [name, age] : age_s) {
    WriteFile(In(name), MakePng());
    const auto when = fs::file_time_type::clock::now() - std::chrono::seconds(age);
    fs::last_write_time(In(name), when);
  }
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) {
    const auto f = NextSoon(*watcher);
    ASSERT_TRUE(f);
    order.push_back(f->name);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"ældst.png", "midt.png", "ny.png"}));
}

// Regression scenario of issue #5: "a restart in the middle of a batch".
TEST_F(FolderWatcherTest, RestartInTheMiddleOfABatchOffersEveryUnsettledFileAgain) {
  for (const char* name : {"1.png", "2.png", "3.png"}) WriteFile(In(name), MakePng());
  {
    auto first_run = Watch();
    ASSERT_TRUE(first_run);
    const auto one = NextSoon(*first_run);
    ASSERT_TRUE(one);
    EXPECT_EQ(one->name, "1.png");
    ASSERT_TRUE(first_run->MarkDone(*one));  // its batch was stored
    const auto two = NextSoon(*first_run);
    ASSERT_TRUE(two);
    EXPECT_EQ(two->name, "2.png");
    // The process stops here: 2.png was being processed, 3.png not yet offered.
  }
  auto second_run = Watch();
  ASSERT_TRUE(second_run);
  std::set<std::string> offered;
  for (int i = 0; i < 2; ++i) {
    const auto f = NextSoon(*second_run);
    ASSERT_TRUE(f);
    offered.insert(f->name);
  }
  EXPECT_EQ(offered, (std::set<std::string>{"2.png", "3.png"}));
  ExpectNothingFor(*second_run, kQuiet * 2);  // 1.png is in done/, not offered again
  EXPECT_EQ(ListNames(inbox_ + "/done"), (std::vector<std::string>{"1.png"}));
}

TEST_F(FolderWatcherTest, MarkDoneMovesTheFileToDoneAndNumbersANameClash) {
  WriteFile(In("done/scan.png"), "tidligere scan");
  WriteFile(In("done/scan_2.png"), "endnu en tidligere");
  const std::string png = MakePng();
  WriteFile(In("scan.png"), png);
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  ASSERT_TRUE(watcher->MarkDone(*file));
  EXPECT_FALSE(fs::exists(In("scan.png")));
  EXPECT_EQ(ReadFile(In("done/scan_3.png")), png);
  EXPECT_EQ(ReadFile(In("done/scan.png")), "tidligere scan");  // nothing overwritten
  EXPECT_EQ(ReadFile(In("done/scan_2.png")), "endnu en tidligere");
  ExpectNothingFor(*watcher, kQuiet * 2);  // the move out is not a new arrival
}

TEST_F(FolderWatcherTest, MarkFailedMovesTheFileAndWritesADanishReasonWithTheTime) {
  WriteFile(In("failed/brev.txt"), "tidligere afvist");
  WriteFile(In("brev.txt"), "Kære kommune");
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  // What the station does: classify, then reject with the classifier's message.
  const Result<FileFormat> format = DetectFileFormat(file->path);
  ASSERT_FALSE(format);
  ASSERT_TRUE(watcher->MarkFailed(*file, format.error().message()));
  EXPECT_FALSE(fs::exists(In("brev.txt")));
  EXPECT_EQ(ReadFile(In("failed/brev_2.txt")), "Kære kommune");
  EXPECT_EQ(ReadFile(In("failed/brev.txt")), "tidligere afvist");
  const std::string reason = ReadFile(In("failed/brev_2.txt.reason.txt"));
  EXPECT_THAT(reason, HasSubstr("Filen \"brev.txt\" blev afvist"));
  EXPECT_THAT(reason, HasSubstr("Årsag: " + format.error().message()));
  EXPECT_THAT(reason, HasSubstr("PNG, TIFF, JPEG og PDF"));
  EXPECT_TRUE(std::regex_search(reason, std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4})")))
      << reason;
  EXPECT_EQ(ListNames(inbox_ + "/failed"),
            (std::vector<std::string>{"brev.txt", "brev_2.txt", "brev_2.txt.reason.txt"}));
}

TEST_F(FolderWatcherTest, FileChangedWhileBeingProcessedIsReportedAndOfferedAgain) {
  WriteFile(In("ændret.png"), "første udgave");
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  WriteFile(In("ændret.png"), "anden og længere udgave");  // rewritten by the scanner
  EXPECT_FALSE(watcher->CheckUnchanged(*file));
  const Status done = watcher->MarkDone(*file);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(done.error().message(), HasSubstr("ændret.png"));
  EXPECT_TRUE(fs::exists(In("ændret.png")));
  EXPECT_TRUE(ListNames(inbox_ + "/done").empty());
  const auto again = NextSoon(*watcher);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->name, "ændret.png");
  EXPECT_EQ(again->size, static_cast<int64_t>(std::string("anden og længere udgave").size()));
  EXPECT_TRUE(watcher->MarkDone(*again));
}

TEST_F(FolderWatcherTest, FileReplacedByRenameWhileBeingProcessedIsNotMovedUnseen) {
  WriteFile(In("scan.pdf"), "gammel");
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  WriteFile(dir_.Sub("ny.pdf"), "ny udgave");
  fs::rename(dir_.Sub("ny.pdf"), In("scan.pdf"));
  const Status failed = watcher->MarkFailed(*file, "skadet");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(ListNames(inbox_ + "/failed").empty());
  const auto again = NextSoon(*watcher);
  ASSERT_TRUE(again);
  EXPECT_EQ(ReadFile(again->path), "ny udgave");
}

TEST_F(FolderWatcherTest, FileThatDisappearedWhileBeingProcessedIsReported) {
  WriteFile(In("væk.png"), MakePng());
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  fs::rename(In("væk.png"), dir_.Sub("et-andet-sted.png"));
  const Status done = watcher->MarkDone(*file);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(done.error().message(), HasSubstr("væk.png er forsvundet"));
  EXPECT_TRUE(ListNames(inbox_ + "/done").empty());
}

TEST_F(FolderWatcherTest, ReleasedFileIsOfferedAgain) {
  WriteFile(In("igen.png"), MakePng());
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  const auto file = NextSoon(*watcher);
  ASSERT_TRUE(file);
  ExpectNothingFor(*watcher, kQuiet * 2);  // in flight: not offered twice
  watcher->Release(*file);
  const auto again = NextSoon(*watcher);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->name, "igen.png");
}

TEST_F(FolderWatcherTest, SettlingAFileThatWasNotOfferedIsRefused) {
  WriteFile(In("fremmed.png"), MakePng());
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  IncomingFile stranger;
  stranger.name = "fremmed.png";
  stranger.path = In("fremmed.png");
  const Status done = watcher->MarkDone(stranger);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(In("fremmed.png")));
}

TEST_F(FolderWatcherTest, NothingIsEverDeleted) {
  for (const char* name : {"a.png", "b.png", "c.png", "d.png"}) WriteFile(In(name), MakePng());
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  std::vector<IncomingFile> files;
  for (int i = 0; i < 4; ++i) {
    const auto f = NextSoon(*watcher);
    ASSERT_TRUE(f);
    files.push_back(*f);
  }
  ASSERT_TRUE(watcher->MarkDone(files[0]));
  ASSERT_TRUE(watcher->MarkFailed(files[1], "test"));
  watcher->Release(files[2]);
  size_t count = 0;
  for (const auto& e : fs::recursive_directory_iterator(inbox_)) {
    const std::string path = e.path().string();
    const bool reason = path.size() > 11 && path.compare(path.size() - 11, 11, ".reason.txt") == 0;
    if (e.is_regular_file() && !reason) ++count;
  }
  EXPECT_EQ(count, 4u);
}

TEST_F(FolderWatcherTest, InboxRemovedWhileWatchingIsReportedOnEveryCall) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  fs::rename(inbox_, dir_.Sub("flyttet-indbakke"));
  for (int i = 0; i < 2; ++i) {
    const auto f = watcher->Next(kPatience);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code(), ErrorCode::kNotFound);
    EXPECT_THAT(f.error().message(), HasSubstr(inbox_));
  }
}

TEST_F(FolderWatcherTest, OpenCreatesDoneAndFailed) {
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  EXPECT_TRUE(fs::is_directory(In("done")));
  EXPECT_TRUE(fs::is_directory(In("failed")));
  EXPECT_EQ(watcher->done_dir(), In("done"));
  EXPECT_EQ(watcher->failed_dir(), In("failed"));
}

TEST_F(FolderWatcherTest, MissingInboxIsAClearError) {
  const auto w = FolderWatcher::Open(dir_.Sub("ingen-indbakke"));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(w.error().message(), HasSubstr("indbakken " + dir_.Sub("ingen-indbakke")));
  EXPECT_THAT(w.error().message(), HasSubstr("opret mappen"));
}

TEST_F(FolderWatcherTest, InboxOrDoneThatIsAFileIsRefused) {
  WriteFile(dir_.Sub("fil"), "x");
  const auto file_inbox = FolderWatcher::Open(dir_.Sub("fil"));
  ASSERT_FALSE(file_inbox);
  EXPECT_EQ(file_inbox.error().code(), ErrorCode::kInvalidArgument);

  WriteFile(In("done"), "en fil ved navn done");
  const auto w = FolderWatcher::Open(inbox_);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(w.error().message(), HasSubstr(In("done")));
  EXPECT_THAT(w.error().message(), HasSubstr("ikke en mappe"));
}

TEST_F(FolderWatcherTest, NegativeOptionsAreRefused) {
  FolderWatcherOptions options;
  options.quiet_period = Ms(-1);
  const auto w = FolderWatcher::Open(inbox_, options);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(FolderWatcherTest, InboxWithoutWritePermissionIsAClearError) {
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(inbox_.c_str(), 0555), 0);
  const std::string inbox = inbox_;
  ExpectAsUnprivilegedUser([&] {
    const auto w = FolderWatcher::Open(inbox);
    return !w && w.error().code() == ErrorCode::kIOError &&
           w.error().message().find(inbox) != std::string::npos &&
           w.error().message().find("adgang nægtet") != std::string::npos;
  });
}

// The whole scan-to-folder flow as the station runs it: offer, import, store, settle.
TEST_F(FolderWatcherTest, BatchFromTheInboxIsSettledOnlyAfterItsPagesAreStored) {
  WriteTiff(In("scan1.tif"), 2);
  WriteFile(In("scan2.pdf"), "%PDF-1.7\nafbrudt overførsel");
  WriteFile(In("scan3.pdf"), MakePdf({PdfPage{216, 144, kGreyRect}}));
  auto watcher = Watch();
  ASSERT_TRUE(watcher);
  std::vector<IncomingFile> batch;
  for (int i = 0; i < 3; ++i) {
    const auto f = NextSoon(*watcher);
    ASSERT_TRUE(f);
    batch.push_back(*f);
  }
  std::vector<std::string> paths;
  for (const IncomingFile& f : batch) paths.push_back(f.path);
  ScanSettings settings;
  settings.dpi = 100;
  auto session = FolderSource::Import(paths, settings);
  ASSERT_TRUE(session);
  int pages = 0;
  for (;;) {
    const auto page = (*session)->NextPage();
    if (!page) continue;  // one bad file; the rest of the batch goes on
    if (!page->has_value()) break;
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  // Before storage nothing has moved.
  EXPECT_EQ(ListNames(inbox_),
            (std::vector<std::string>{"done", "failed", "scan1.tif", "scan2.pdf", "scan3.pdf"}));
  // ... the batch is stored durably here ...
  for (const ImportedFile& done : (*session)->delivered_files()) {
    for (const IncomingFile& f : batch) {
      if (f.path == done.path) {
        ASSERT_TRUE(watcher->MarkDone(f));
      }
    }
  }
  for (const FailedFile& bad : (*session)->failed_files()) {
    for (const IncomingFile& f : batch) {
      if (f.path == bad.path) {
        ASSERT_TRUE(watcher->MarkFailed(f, bad.error.message()));
      }
    }
  }
  EXPECT_EQ(ListNames(inbox_), (std::vector<std::string>{"done", "failed"}));
  EXPECT_EQ(ListNames(inbox_ + "/done"), (std::vector<std::string>{"scan1.tif", "scan3.pdf"}));
  EXPECT_EQ(ListNames(inbox_ + "/failed"),
            (std::vector<std::string>{"scan2.pdf", "scan2.pdf.reason.txt"}));
  EXPECT_THAT(ReadFile(In("failed/scan2.pdf.reason.txt")), HasSubstr("ufuldstændig"));
}

}  // namespace
}  // namespace intake::hardware
