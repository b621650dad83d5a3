// Separator and cover sheets as printed and scanned again: the PDF from MakeCoverSheet and
// MakeSeparatorSheets rasterised with poppler-cpp at 200 and 300 dpi (also turned upside
// down and slightly skewed), its barcodes read with ocr::DetectBarcodes, and FindSheet must
// give back the payload. The PDF checked with pdftotext, pdffonts, qpdf and
// scripts/pdfa_check.py, and `station sheets` run in-process on a temporary journal.
// Integration tests: real rendering and external programs.
#include <ZXing/ReadBarcode.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "config/loader.h"
#include "ocr/barcode.h"
#include "ocr/leptonica_handles.h"
#include "station/cli.h"
#include "station/exit_code.h"
#include "station/sheets.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunCommand;
using testing::ScopedTempDir;

constexpr double kPi = 3.14159265358979323846;

// Page `index` of `pdf` rendered by poppler at `dpi` as an 8-bit grey PIX (as a scanner
// in grey mode delivers it), or null.
ocr::PixPtr Rasterise(const std::string& pdf, int index, int dpi) {
  std::vector<char> bytes(pdf.begin(), pdf.end());
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc || index >= doc->pages()) return nullptr;
  std::unique_ptr<poppler::page> page(doc->create_page(index));
  poppler::page_renderer renderer;
  renderer.set_render_hints(poppler::page_renderer::antialiasing |
                            poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_rgb24);
  const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  if (!image.is_valid()) return nullptr;
  ocr::PixPtr pix(pixCreate(image.width(), image.height(), 8));
  pixSetResolution(pix.get(), dpi, dpi);
  const auto* data = reinterpret_cast<const unsigned char*>(image.const_data());
  for (int y = 0; y < image.height(); ++y) {
    const unsigned char* row = data + static_cast<size_t>(y) * image.bytes_per_row();
    for (int x = 0; x < image.width(); ++x) {
      const int luma = (299 * row[3 * x] + 587 * row[3 * x + 1] + 114 * row[3 * x + 2]) / 1000;
      pixSetPixel(pix.get(), x, y, static_cast<l_uint32>(luma));
    }
  }
  return pix;
}

// What FindSheet makes of the barcodes on `page`.
Result<std::optional<SheetPayload>> SheetOn(const PIX* page, int dpi) {
  ocr::BarcodeOptions options;
  options.dpi = dpi;
  auto codes = ocr::DetectBarcodes(page, options);
  if (!codes) return codes.error();
  return FindSheet(*codes);
}

// The payload read back from page `index` of `pdf` at `dpi`, turned by `degrees`
// (counter-clockwise; 180 = upside down), or the error.
Result<std::optional<SheetPayload>> ReadBack(const std::string& pdf, int index, int dpi,
                                             double degrees) {
  ocr::PixPtr page = Rasterise(pdf, index, dpi);
  if (!page) return Error(ErrorCode::kInternal, "poppler could not render the page");
  if (degrees == 180) {
    page.reset(pixRotate180(nullptr, page.get()));
  } else if (degrees != 0) {
    page.reset(pixRotate(page.get(), static_cast<float>(degrees * kPi / 180), L_ROTATE_AREA_MAP,
                         L_BRING_IN_WHITE, 0, 0));
  }
  return SheetOn(page.get(), dpi);
}

SheetOptions FixedDate() {
  SheetOptions options;
  using namespace std::chrono;
  options.printed = sys_days{year{2026} / 11 / 26} + hours{12};
  return options;
}

const CoverSheetInfo kCover{"SBSYS", "27.24.00-G01-5-19",
                            "Byggesag om carport på Hegnsvej 4, Ærøskøbing",
                            "Ansøgning om tilladelse"};

class SheetRoundTrip : public ::testing::TestWithParam<std::tuple<int, double>> {};

TEST_P(SheetRoundTrip, CoverSheetQrGivesBackTheSamePayload) {
  const auto [dpi, degrees] = GetParam();
  auto pdf = MakeCoverSheet(kCover, FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  auto sheet = ReadBack(*pdf, 0, dpi, degrees);
  ASSERT_TRUE(sheet) << sheet.error().ToString();
  ASSERT_TRUE(sheet->has_value()) << "no sheet found at " << dpi << " dpi, " << degrees << "°";
  SheetPayload expected;
  expected.kind = SheetPayload::Kind::kCover;
  expected.system = kCover.system;
  expected.reference = kCover.reference;
  expected.doc_type = kCover.doc_type;
  EXPECT_EQ(**sheet, expected);
}

TEST_P(SheetRoundTrip, SeparatorSheetQrGivesBackTheSeparatorOnEveryPage) {
  const auto [dpi, degrees] = GetParam();
  auto pdf = MakeSeparatorSheets(2, FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  for (int page = 0; page < 2; ++page) {
    auto sheet = ReadBack(*pdf, page, dpi, degrees);
    ASSERT_TRUE(sheet) << sheet.error().ToString();
    ASSERT_TRUE(sheet->has_value()) << "page " << page + 1 << " at " << dpi << " dpi";
    EXPECT_EQ((*sheet)->kind, SheetPayload::Kind::kSeparator);
  }
}

// Upright and upside down at the scan resolutions, and a sheet fed at a slant (3 degrees
// either way, more than a feeder's usual skew).
INSTANTIATE_TEST_SUITE_P(ScanResolutionsAndTurns, SheetRoundTrip,
                         ::testing::Values(std::make_tuple(300, 0.0), std::make_tuple(200, 0.0),
                                           std::make_tuple(300, 180.0), std::make_tuple(200, 180.0),
                                           std::make_tuple(200, 3.0), std::make_tuple(300, -3.0)));

TEST(SheetRenderTest, QrModulesAreAtLeastHalfAMillimetreAndTheCodeSitsTopCentre) {
  for (const bool cover : {true, false}) {
    auto pdf = cover ? MakeCoverSheet(kCover, FixedDate()) : MakeSeparatorSheets(1, FixedDate());
    ASSERT_TRUE(pdf) << pdf.error().ToString();
    ocr::PixPtr page = Rasterise(*pdf, 0, 300);
    ASSERT_TRUE(page);
    auto codes = ocr::DetectBarcodes(page.get());
    ASSERT_TRUE(codes) << codes.error().ToString();
    ASSERT_EQ(codes->size(), 1u);
    const ocr::PixelBox box = (*codes)[0].bounds;
    const int page_w = static_cast<int>(pixGetWidth(page.get()));
    const int page_h = static_cast<int>(pixGetHeight(page.get()));
    // Centred within a few pixels, in the top quarter of the page.
    EXPECT_NEAR(box.x + box.width / 2.0, page_w / 2.0, 10);
    EXPECT_LT(box.y + box.height, page_h / 4);
    // The top edge of the top-left finder pattern is one black run of 7 modules.
    const int y = box.y + 2;
    int x0 = box.x + 2, x1 = box.x + 2;
    const auto dark = [&](int x) {
      l_uint32 v = 255;
      pixGetPixel(page.get(), x, y, &v);
      return v < 128;
    };
    ASSERT_TRUE(dark(x0));
    while (x0 > 0 && dark(x0 - 1)) --x0;
    while (x1 + 1 < page_w && dark(x1 + 1)) ++x1;
    const double module_mm = (x1 - x0 + 1) / 7.0 * 25.4 / 300;
    EXPECT_GE(module_mm, 0.5) << (cover ? "cover" : "separator");
    RecordProperty(cover ? "cover_module_mm" : "separator_module_mm", std::to_string(module_mm));
    std::printf("%s: QR %d px wide (%.1f mm), module %.2f mm\n", cover ? "cover" : "separator",
                box.width, box.width * 25.4 / 300, module_mm);
  }
}

TEST(SheetRenderTest, QrCodeUsesErrorCorrectionMOrHigher) {
  auto pdf = MakeCoverSheet(kCover, FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  ocr::PixPtr page = Rasterise(*pdf, 0, 300);
  ASSERT_TRUE(page);
  const int w = static_cast<int>(pixGetWidth(page.get()));
  const int h = static_cast<int>(pixGetHeight(page.get()));
  std::vector<uint8_t> grey(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      l_uint32 v = 0;
      pixGetPixel(page.get(), x, y, &v);
      grey[static_cast<size_t>(y) * w + x] = static_cast<uint8_t>(v);
    }
  }
  const ZXing::Result r =
      ZXing::ReadBarcode(ZXing::ImageView(grey.data(), w, h, ZXing::ImageFormat::Lum),
                         ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
  ASSERT_TRUE(r.isValid());
  EXPECT_THAT(r.ecLevel(), AnyOf("M", "Q", "H"));
  std::printf("error correction level %s\n", r.ecLevel().c_str());
}

TEST(SheetRenderTest, AForeignQrCodeOnATestPageIsNoSheet) {
  // Page 13 of the generated test pages carries a QR code with another payload
  // (scripts/pagegen.py); it is read, but it is not a station sheet.
  const std::string page_path = std::string(INTAKE_TEST_PAGES_DIR) + "/p013.png";
  ocr::PixPtr page(pixRead(page_path.c_str()));
  ASSERT_TRUE(page) << page_path;
  auto codes = ocr::DetectBarcodes(page.get());
  ASSERT_TRUE(codes) << codes.error().ToString();
  bool has_qr = false;
  for (const auto& c : *codes) has_qr |= c.format == "QRCode";
  ASSERT_TRUE(has_qr) << "the test page should carry a QR code";
  auto sheet = FindSheet(*codes);
  ASSERT_TRUE(sheet) << sheet.error().ToString();
  EXPECT_FALSE(sheet->has_value());
}

// ---------------------------------------------------------------------------------------
// The PDF with independent tools

class SheetPdfTest : public ::testing::Test {
 protected:
  std::string Save(const std::string& name, const std::string& pdf) {
    const std::string path = dir_.Sub(name);
    testing::WriteFile(path, pdf);
    return path;
  }
  static testing::CommandResult Run(const std::vector<std::string>& argv) {
    return RunCommand(argv, {}, 120);
  }
  ScopedTempDir dir_;
};

TEST_F(SheetPdfTest, CoverSheetShowsItsDanishTextToPdftotext) {
  auto pdf = MakeCoverSheet(kCover, FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  const std::string path = Save("forside.pdf", *pdf);
  auto text = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* expected :
       {"FORSIDE", "Sag i SBSYS", "27.24.00-G01-5-19", "Byggesag om carport på Hegnsvej 4,",
        "Ærøskøbing", "Dokumenttype:", "Ansøgning om tilladelse",
        "Læg arket foran brevet. Arket journaliseres ikke.", "Printet 26. november 2026"}) {
    EXPECT_THAT(text.out, HasSubstr(expected));
  }
}

TEST_F(SheetPdfTest, SeparatorSheetsShowTheirNumberAndInstruction) {
  auto pdf = MakeSeparatorSheets(3, FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  const std::string path = Save("skilleark.pdf", *pdf);
  auto text = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("SKILLEARK"));
  EXPECT_THAT(text.out, HasSubstr("Læg arket foran brevet. Arket journaliseres ikke."));
  EXPECT_THAT(text.out, HasSubstr("ark 1 af 3"));
  EXPECT_THAT(text.out, HasSubstr("ark 3 af 3"));
  auto info = Run({"/usr/bin/pdfinfo", path});
  EXPECT_THAT(info.out, HasSubstr("Pages:           3"));
  EXPECT_TRUE(std::regex_search(info.out,
                                std::regex("Page size:\\s+595\\.2\\d* x 841\\.9\\d* pts \\(A4\\)")))
      << info.out;
}

TEST_F(SheetPdfTest, SheetsAreValidPdfAWithTheFontEmbedded) {
  auto cover = MakeCoverSheet(kCover, FixedDate());
  ASSERT_TRUE(cover) << cover.error().ToString();
  auto separators = MakeSeparatorSheets(2, FixedDate());
  ASSERT_TRUE(separators) << separators.error().ToString();
  for (const auto& [name, bytes] :
       {std::make_pair("forside.pdf", *cover), std::make_pair("skilleark.pdf", *separators)}) {
    const std::string path = Save(name, bytes);
    EXPECT_EQ(Run({"/usr/bin/qpdf", "--check", path}).exit_code, 0) << name;
    auto check =
        Run({"/usr/bin/python3", std::string(INTAKE_SOURCE_DIR) + "/scripts/pdfa_check.py", path});
    EXPECT_EQ(check.exit_code, 0) << name << ": " << check.out << check.err;
    auto fonts = Run({"/usr/bin/pdffonts", path});
    EXPECT_TRUE(std::regex_search(
        fonts.out, std::regex("[A-Z]{6}\\+DejaVuSans\\S*\\s+TrueType\\s+WinAnsi\\s+yes yes yes ")))
        << name << ": " << fonts.out;
    auto meta = Run({"/usr/bin/pdfinfo", "-meta", path});
    EXPECT_THAT(meta.out, HasSubstr("<pdfaid:part>2</pdfaid:part>")) << name;
  }
}

// ---------------------------------------------------------------------------------------
// `station sheets` in-process, on a temporary home directory (journal in its default place)

class SheetsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.home = home_.path();
    env_.hostname = "testvaert";
  }

  int RunCli(std::vector<std::string> args) {
    args.insert(args.begin(), "station");
    out_.str("");
    err_.str("");
    return station::Run(args, out_, err_, env_);
  }

  int AddCase(const std::string& reference, const std::string& status = "open") {
    return RunCli({"case", "add", "--system", "SBSYS", "--reference", reference, "--title",
                   "Byggesag om carport på Hegnsvej 4", "--status", status});
  }

  ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(SheetsCliTest, CoverForAKnownOpenCaseWritesAPdfShowingReferenceAndTitle) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk) << err_.str();
  const std::string out = home_.Sub("forside.pdf");
  ASSERT_EQ(
      RunCli({"sheets", "cover", "--case", "27.24.00-g01-5-19", "--type", "Klage", "--out", out}),
      kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Forside til sag SBSYS 27.24.00-G01-5-19 skrevet til " + out));
  auto text = RunCommand({"/usr/bin/pdftotext", "-enc", "UTF-8", out, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("27.24.00-G01-5-19"));
  EXPECT_THAT(text.out, HasSubstr("Byggesag om carport på Hegnsvej 4"));
  EXPECT_THAT(text.out, HasSubstr("Klage"));
  // The case as the journal writes it is in the QR code, whatever the spelling on the
  // command line.
  auto sheet = ReadBack(testing::ReadFile(out), 0, 200, 0);
  ASSERT_TRUE(sheet) << sheet.error().ToString();
  ASSERT_TRUE(sheet->has_value());
  EXPECT_EQ((*sheet)->reference, "27.24.00-G01-5-19");
  EXPECT_EQ((*sheet)->system, "SBSYS");
  EXPECT_EQ((*sheet)->doc_type, "Klage");
}

TEST_F(SheetsCliTest, CoverForAnUnknownCaseIsRefusedAndWritesNothing) {
  ASSERT_EQ(AddCase("27.24.00-G01-5-19"), kExitOk) << err_.str();
  const std::string out = home_.Sub("forside.pdf");
  EXPECT_EQ(RunCli({"sheets", "cover", "--case", "99.99.99-A00-1-26", "--out", out}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("forsiden kan ikke udskrives"));
  EXPECT_THAT(err_.str(), HasSubstr("99.99.99-A00-1-26 findes ikke"));
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SheetsCliTest, CoverForAClosedOrDormantCaseIsRefusedInDanish) {
  ASSERT_EQ(AddCase("27.24.00-G01-6-19", "closed"), kExitOk) << err_.str();
  ASSERT_EQ(AddCase("27.24.00-G01-7-19", "dormant"), kExitOk) << err_.str();
  const std::string out = home_.Sub("forside.pdf");
  EXPECT_EQ(RunCli({"sheets", "cover", "--case", "27.24.00-G01-6-19", "--out", out}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("sagen SBSYS 27.24.00-G01-6-19 er lukket"));
  EXPECT_EQ(RunCli({"sheets", "cover", "--case", "27.24.00-G01-7-19", "--out", out}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("er hvilende og modtager ikke dokumenter"));
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(SheetsCliTest, SeparatorWritesTheRequestedNumberOfSheets) {
  const std::string out = home_.Sub("skilleark.pdf");
  ASSERT_EQ(RunCli({"sheets", "separator", "--count", "4", "--out", out}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("4 skilleark skrevet til " + out));
  auto info = RunCommand({"/usr/bin/pdfinfo", out});
  EXPECT_THAT(info.out, HasSubstr("Pages:           4"));
  EXPECT_EQ(RunCli({"sheets", "separator", "--count", "0", "--out", out}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("antallet af skilleark er 0"));
}

TEST_F(SheetsCliTest, AnUnwritableOutputIsADataErrorNamingThePath) {
  const std::string out = home_.Sub("mangler/skilleark.pdf");
  EXPECT_EQ(RunCli({"sheets", "separator", "--out", out}), kExitData);
  EXPECT_THAT(err_.str(), HasSubstr(out));
}

TEST_F(SheetsCliTest, OutIsRequired) {
  EXPECT_EQ(RunCli({"sheets", "separator"}), kExitUsage);
  EXPECT_EQ(RunCli({"sheets", "cover", "--case", "X"}), kExitUsage);
}

}  // namespace
}  // namespace intake::station
