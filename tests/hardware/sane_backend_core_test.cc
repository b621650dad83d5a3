// The logic of the project's SANE backend (hardware/sane_backend) in-process, without
// libsane: intake.conf, the page folder's sheets, the frame layout and rendering, and the
// device's state machine. The same backend through Debian's libsane and scanimage is
// tested in sane_backend_test.cc.
#include <gtest/gtest.h>
#include <sane/sane.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "hardware/sane_backend/backend_config.h"
#include "hardware/sane_backend/page_source.h"
#include "hardware/sane_backend/scan_device.h"
#include "tests/hardware/sane_test_pages.h"
#include "tests/support/temp_dir.h"

namespace intake::hardware::sane_backend {
namespace {

using intake::testing::BackCode;
using intake::testing::FrontCode;
using intake::testing::MmToPx;
using intake::testing::ScopedTempDir;
using intake::testing::WriteFile;
using intake::testing::WriteMarkerPage;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- intake.conf ----

TEST(IntakeConfTest, ParsesEveryKeyOfADeviceBlock) {
  const BackendConfig config = ParseBackendConfig(
      "# comment\n"
      "device demo\n"
      "  pages /data/pages   # the folder\n"
      "  pace 60\n"
      "  jam_at_sheet 3\n"
      "  cover_open_at_sheet 4\n"
      "  io_error_at_sheet 5\n"
      "  fault_at start\n"
      "  busy yes\n"
      "  empty off\n"
      "  start_sheet 2\n"
      "device other\n"
      "  pages \"/with space/p\"\n",
      "/etc/x/intake.conf");
  ASSERT_TRUE(config.errors.empty()) << config.errors.front();
  ASSERT_EQ(config.devices.size(), 2u);
  const DeviceConfig& d = config.devices[0];
  EXPECT_EQ(d.name, "demo");
  EXPECT_EQ(d.pages_dir, "/data/pages");
  EXPECT_EQ(d.pace_ppm, 60);
  EXPECT_EQ(d.jam_at_sheet, 3);
  EXPECT_EQ(d.cover_open_at_sheet, 4);
  EXPECT_EQ(d.io_error_at_sheet, 5);
  EXPECT_EQ(d.fault_at, FaultPlace::kStart);
  EXPECT_TRUE(d.busy);
  EXPECT_FALSE(d.empty);
  EXPECT_EQ(d.start_sheet, 2);
  EXPECT_EQ(config.devices[1].name, "other");
  EXPECT_EQ(config.devices[1].pages_dir, "/with space/p");
}

TEST(IntakeConfTest, AbsentKeysTakeTheirDocumentedDefaults) {
  const BackendConfig config = ParseBackendConfig("device d\npages /p\n", "/c/intake.conf");
  ASSERT_TRUE(config.errors.empty());
  const DeviceConfig& d = config.devices.at(0);
  EXPECT_EQ(d.pace_ppm, 0);
  EXPECT_EQ(d.jam_at_sheet, 0);
  EXPECT_EQ(d.cover_open_at_sheet, 0);
  EXPECT_EQ(d.io_error_at_sheet, 0);
  EXPECT_EQ(d.fault_at, FaultPlace::kRead);
  EXPECT_FALSE(d.busy);
  EXPECT_FALSE(d.empty);
  EXPECT_EQ(d.start_sheet, 1);
}

TEST(IntakeConfTest, RelativePagesFolderIsTakenFromTheConfigFolder) {
  const BackendConfig config = ParseBackendConfig("device d\npages demo-pages\n", "/c/intake.conf");
  ASSERT_TRUE(config.errors.empty());
  EXPECT_EQ(config.devices.at(0).pages_dir, "/c/demo-pages");
}

TEST(IntakeConfTest, HashInsideAValueIsKeptAndAfterABlankIsAComment) {
  const BackendConfig config =
      ParseBackendConfig("device d\npages /scan#2 # comment\n", "/c/intake.conf");
  ASSERT_TRUE(config.errors.empty());
  EXPECT_EQ(config.devices.at(0).pages_dir, "/scan#2");
}

struct BadConfigCase {
  const char* name;
  const char* text;
  const char* expected;  // part of the message, besides the line reference
  int line;
};

class IntakeConfBadInputTest : public ::testing::TestWithParam<BadConfigCase> {};

TEST_P(IntakeConfBadInputTest, ReportsFileLineAndWhatIsWrong) {
  const BadConfigCase& c = GetParam();
  const BackendConfig config = ParseBackendConfig(c.text, "/c/intake.conf");
  ASSERT_EQ(config.errors.size(), 1u) << c.text;
  const std::string& message = config.errors[0];
  EXPECT_TRUE(Contains(message, "/c/intake.conf:" + std::to_string(c.line) + ":")) << message;
  EXPECT_TRUE(Contains(message, c.expected)) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IntakeConfBadInputTest,
    ::testing::Values(
        BadConfigCase{"UnknownKey", "device d\npages /p\njam_at_shet 3\n", "'jam_at_shet'", 3},
        BadConfigCase{"KeyBeforeDevice", "pages /p\ndevice d\npages /p\n", "'pages'", 1},
        BadConfigCase{"NotANumber", "device d\npages /p\npace fast\n", "'fast'", 3},
        BadConfigCase{"NegativeSheet", "device d\npages /p\njam_at_sheet -1\n", "'-1'", 3},
        BadConfigCase{"PaceTooHigh", "device d\npages /p\npace 100000\n", "6000", 3},
        BadConfigCase{"StartSheetZero", "device d\npages /p\nstart_sheet 0\n", "'0'", 3},
        BadConfigCase{"TrailingGarbage", "device d\npages /p\npace 60x\n", "'60x'", 3},
        BadConfigCase{"BadBool", "device d\npages /p\nbusy maybe\n", "'maybe'", 3},
        BadConfigCase{"BadFaultPlace", "device d\npages /p\nfault_at open\n", "'open'", 3},
        BadConfigCase{"BadDeviceName", "device a/b\n", "'a/b'", 1},
        BadConfigCase{"DuplicateDevice", "device d\npages /p\ndevice d\npages /q\n", "'d'", 3},
        BadConfigCase{"DeviceWithoutPages", "device d\npace 5\n", "'pages", 1},
        BadConfigCase{"EmptyPagesValue", "device d\npages\n", "'pages'", 2}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

class ConfigDirsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("SANE_CONFIG_DIR");
    had_ = old != nullptr;
    if (had_) old_ = old;
  }
  void TearDown() override {
    if (had_) {
      setenv("SANE_CONFIG_DIR", old_.c_str(), 1);
    } else {
      unsetenv("SANE_CONFIG_DIR");
    }
  }
  bool had_ = false;
  std::string old_;
};

TEST_F(ConfigDirsTest, FollowsSaneConfigDirLikeLibsane) {
  unsetenv("SANE_CONFIG_DIR");
  EXPECT_EQ(ConfigDirs(), (std::vector<std::string>{".", "/etc/sane.d"}));
  setenv("SANE_CONFIG_DIR", "/a:/b", 1);
  EXPECT_EQ(ConfigDirs(), (std::vector<std::string>{"/a", "/b"}));
  setenv("SANE_CONFIG_DIR", "/a:", 1);  // trailing colon: the defaults after it
  EXPECT_EQ(ConfigDirs(), (std::vector<std::string>{"/a", ".", "/etc/sane.d"}));
}

TEST_F(ConfigDirsTest, MissingIntakeConfNamesTheFoldersSearched) {
  ScopedTempDir dir;
  setenv("SANE_CONFIG_DIR", dir.path().c_str(), 1);
  const BackendConfig config = LoadBackendConfig();
  EXPECT_TRUE(config.path.empty());
  ASSERT_EQ(config.errors.size(), 1u);
  EXPECT_TRUE(Contains(config.errors[0], dir.path())) << config.errors[0];
  EXPECT_TRUE(Contains(config.errors[0], "intake.conf")) << config.errors[0];
}

// ---- the page folder ----

TEST(ListSheetsTest, SortsFrontsByNameAndPairsBacksByName) {
  ScopedTempDir dir;
  for (const char* name : {"b.png", "a.png", "a-back.png", "c.pnm", "c-BACK.png"}) {
    ASSERT_TRUE(WriteMarkerPage(dir.Sub(name), 20, 100));
  }
  WriteFile(dir.Sub("manifest.json"), "{}");
  WriteFile(dir.Sub(".hidden.png"), "x");
  const SheetListing listing = ListSheets(dir.path());
  ASSERT_TRUE(listing.errors.empty()) << listing.errors.front();
  ASSERT_EQ(listing.sheets.size(), 3u);
  EXPECT_EQ(listing.sheets[0].number, 1);
  EXPECT_EQ(listing.sheets[0].front, dir.Sub("a.png"));
  EXPECT_EQ(listing.sheets[0].back, dir.Sub("a-back.png"));
  EXPECT_EQ(listing.sheets[1].front, dir.Sub("b.png"));
  EXPECT_EQ(listing.sheets[1].back, "");
  EXPECT_EQ(listing.sheets[2].front, dir.Sub("c.pnm"));
  EXPECT_EQ(listing.sheets[2].back, dir.Sub("c-BACK.png"));
}

TEST(ListSheetsTest, BackWithoutFrontIsAnErrorNamingTheFile) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteMarkerPage(dir.Sub("001.png"), 20, 100));
  ASSERT_TRUE(WriteMarkerPage(dir.Sub("002-back.png"), 20, 100));
  const SheetListing listing = ListSheets(dir.path());
  ASSERT_EQ(listing.errors.size(), 1u);
  EXPECT_TRUE(Contains(listing.errors[0], "002-back.png")) << listing.errors[0];
}

TEST(ListSheetsTest, TwoFrontsWithTheSameNameAreAnError) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteMarkerPage(dir.Sub("001.png"), 20, 100));
  ASSERT_TRUE(WriteMarkerPage(dir.Sub("001.tif"), 20, 100));
  const SheetListing listing = ListSheets(dir.path());
  ASSERT_EQ(listing.errors.size(), 1u);
  EXPECT_TRUE(Contains(listing.errors[0], "001.tif")) << listing.errors[0];
}

TEST(ListSheetsTest, UnreadableImageIsAnErrorNamingTheFile) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteMarkerPage(dir.Sub("001.png"), 20, 100));
  WriteFile(dir.Sub("002.png"), "this is not a PNG");
  const SheetListing listing = ListSheets(dir.path());
  ASSERT_EQ(listing.errors.size(), 1u);
  EXPECT_TRUE(Contains(listing.errors[0], dir.Sub("002.png"))) << listing.errors[0];
}

TEST(ListSheetsTest, MissingFolderIsAnErrorNamingTheFolder) {
  ScopedTempDir dir;
  const SheetListing listing = ListSheets(dir.Sub("nowhere"));
  ASSERT_EQ(listing.errors.size(), 1u);
  EXPECT_TRUE(Contains(listing.errors[0], dir.Sub("nowhere"))) << listing.errors[0];
}

TEST(ListSheetsTest, EmptyFolderHasNoSheetsAndNoError) {
  ScopedTempDir dir;
  const SheetListing listing = ListSheets(dir.path());
  EXPECT_TRUE(listing.errors.empty());
  EXPECT_TRUE(listing.sheets.empty());
}

// ---- frames ----

TEST(FrameLayoutTest, A4At300DpiIsTheUsualScanSizeInEveryMode) {
  const ScanArea a4;
  const FrameLayout gray = MakeFrameLayout(ColorMode::kGray, 300, a4);
  EXPECT_EQ(gray.pixels_per_line, 2480);
  EXPECT_EQ(gray.lines, 3508);
  EXPECT_EQ(gray.bytes_per_line, 2480);
  EXPECT_EQ(gray.depth, 8);
  const FrameLayout lineart = MakeFrameLayout(ColorMode::kLineart, 300, a4);
  EXPECT_EQ(lineart.bytes_per_line, 310);
  EXPECT_EQ(lineart.depth, 1);
  const FrameLayout color = MakeFrameLayout(ColorMode::kColor, 300, a4);
  EXPECT_EQ(color.bytes_per_line, 3 * 2480);
  EXPECT_EQ(color.channels, 3);
}

TEST(FrameLayoutTest, LineartRowsRoundUpToWholeBytes) {
  ScanArea area;
  area.right_mm = 25.4 * 9 / 100;  // 9 pixels at 100 dpi
  const FrameLayout layout = MakeFrameLayout(ColorMode::kLineart, 100, area);
  EXPECT_EQ(layout.pixels_per_line, 9);
  EXPECT_EQ(layout.bytes_per_line, 2);
}

TEST(FrameLayoutTest, InvertedAreaIsEmpty) {
  ScanArea area;
  area.left_mm = 100;
  area.right_mm = 50;
  EXPECT_EQ(MakeFrameLayout(ColorMode::kGray, 100, area).pixels_per_line, 0);
}

TEST(RenderPageTest, BlankPageIsPaperWhiteInEveryMode) {
  for (ColorMode mode : {ColorMode::kLineart, ColorMode::kGray, ColorMode::kColor}) {
    const FrameLayout layout = MakeFrameLayout(mode, 50, ScanArea());
    std::vector<uint8_t> out;
    ASSERT_EQ(RenderPage("", layout, &out), "");
    ASSERT_EQ(out.size(), static_cast<size_t>(layout.total_bytes()));
    const uint8_t white = mode == ColorMode::kLineart ? 0 : 255;
    EXPECT_EQ(std::count(out.begin(), out.end(), white), static_cast<long>(out.size()));
  }
}

TEST(RenderPageTest, TruncatedImageIsAnErrorNamingTheFile) {
  ScopedTempDir dir;
  ASSERT_TRUE(WriteMarkerPage(dir.Sub("p.png"), 100, 100));
  const std::string bytes = intake::testing::ReadFile(dir.Sub("p.png"));
  WriteFile(dir.Sub("p.png"), bytes.substr(0, bytes.size() / 2));
  std::vector<uint8_t> out;
  const std::string error =
      RenderPage(dir.Sub("p.png"), MakeFrameLayout(ColorMode::kGray, 100, ScanArea()), &out);
  EXPECT_TRUE(Contains(error, dir.Sub("p.png"))) << error;
}

// ---- the device ----

class ScanDeviceTest : public ::testing::Test {
 protected:
  // `sheets` sheets at 20 dpi; sheets listed in `backs` get a back file.
  void MakePages(int sheets, std::vector<int> backs = {}) {
    for (int s = 1; s <= sheets; ++s) {
      char name[32];
      std::snprintf(name, sizeof name, "%03d.png", s);
      ASSERT_TRUE(WriteMarkerPage(dir_.Sub(name), 20, FrontCode(s)));
      if (std::find(backs.begin(), backs.end(), s) != backs.end()) {
        std::snprintf(name, sizeof name, "%03d-back.png", s);
        ASSERT_TRUE(WriteMarkerPage(dir_.Sub(name), 20, BackCode(s)));
      }
    }
  }
  std::unique_ptr<ScanDevice> Open(DeviceConfig config = {}) {
    config.name = "t";
    config.pages_dir = dir_.path();
    SheetListing listing = ListSheets(dir_.path());
    EXPECT_TRUE(listing.errors.empty());
    auto device = std::make_unique<ScanDevice>(config, std::move(listing.sheets), &options_);
    SetString(*device, kOptSource, source_);
    SANE_Int dpi = 75;  // the smallest, for speed
    EXPECT_EQ(device->Control(kOptResolution, SANE_ACTION_SET_VALUE, &dpi, nullptr),
              SANE_STATUS_GOOD);
    return device;
  }
  static SANE_Status SetString(ScanDevice& device, SANE_Int option, const std::string& value) {
    std::vector<char> buf(value.begin(), value.end());
    buf.push_back('\0');
    return device.Control(option, SANE_ACTION_SET_VALUE, buf.data(), nullptr);
  }
  // Reads one page to its end; the status that ended it, the data in `out`.
  static SANE_Status ReadPage(ScanDevice& device, std::vector<uint8_t>* out) {
    out->clear();
    SANE_Byte buf[4096];
    for (;;) {
      SANE_Int len = 0;
      const SANE_Status s = device.Read(buf, sizeof buf, &len);
      if (s != SANE_STATUS_GOOD) return s;
      out->insert(out->end(), buf, buf + len);
    }
  }
  // The marker grey of a page read at the options' resolution (75 dpi after clamping).
  int Marker(const std::vector<uint8_t>& page) const {
    const int px = MmToPx(intake::testing::kMarkerProbeMm, options_.resolution);
    const int bpl = MmToPx(210, options_.resolution);
    return page.at(static_cast<size_t>(px) * bpl + px);
  }

  ScopedTempDir dir_;
  OptionValues options_;
  std::string source_ = "ADF Front";
};

TEST_F(ScanDeviceTest, DuplexFeedsFrontThenBackWithBlankBacksThenNoDocs) {
  MakePages(2, {2});
  source_ = "ADF Duplex";
  auto device = Open();
  std::vector<int> markers;
  std::vector<uint8_t> page;
  while (device->Start() == SANE_STATUS_GOOD) {
    ASSERT_EQ(ReadPage(*device, &page), SANE_STATUS_EOF);
    markers.push_back(Marker(page));
  }
  EXPECT_EQ(markers, (std::vector<int>{FrontCode(1), 255, FrontCode(2), BackCode(2)}));
  EXPECT_EQ(device->Start(), SANE_STATUS_NO_DOCS);
}

TEST_F(ScanDeviceTest, StartSheetLeavesOutTheSheetsBefore) {
  MakePages(3);
  DeviceConfig config;
  config.start_sheet = 3;
  auto device = Open(config);
  std::vector<uint8_t> page;
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  ASSERT_EQ(ReadPage(*device, &page), SANE_STATUS_EOF);
  EXPECT_EQ(Marker(page), FrontCode(3));
  EXPECT_EQ(device->Start(), SANE_STATUS_NO_DOCS);
}

TEST_F(ScanDeviceTest, ReadFaultComesAfterHalfThePageAndStaysUntilClose) {
  MakePages(3);
  DeviceConfig config;
  config.jam_at_sheet = 2;
  auto device = Open(config);
  std::vector<uint8_t> page;
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  ASSERT_EQ(ReadPage(*device, &page), SANE_STATUS_EOF);
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  EXPECT_EQ(ReadPage(*device, &page), SANE_STATUS_JAMMED);
  const FrameLayout layout = MakeFrameLayout(ColorMode::kGray, options_.resolution, ScanArea());
  EXPECT_EQ(page.size(), static_cast<size_t>(layout.lines / 2) * layout.bytes_per_line);
  EXPECT_EQ(device->Start(), SANE_STATUS_JAMMED);
  SANE_Byte buf[16];
  SANE_Int len = 0;
  EXPECT_EQ(device->Read(buf, sizeof buf, &len), SANE_STATUS_JAMMED);
}

TEST_F(ScanDeviceTest, CoverOpenWinsOverAJamAtTheSameSheet) {
  MakePages(1);
  DeviceConfig config;
  config.jam_at_sheet = 1;
  config.cover_open_at_sheet = 1;
  config.fault_at = FaultPlace::kStart;
  auto device = Open(config);
  EXPECT_EQ(device->Start(), SANE_STATUS_COVER_OPEN);
}

TEST_F(ScanDeviceTest, OptionsAreRefusedWhileAPageIsReadAndAcceptedAfterCancel) {
  MakePages(2);
  auto device = Open();
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  EXPECT_EQ(SetString(*device, kOptMode, "Color"), SANE_STATUS_INVAL);
  device->Cancel();
  EXPECT_EQ(SetString(*device, kOptMode, "Color"), SANE_STATUS_GOOD);
  SANE_Parameters p{};
  ASSERT_EQ(device->GetParameters(&p), SANE_STATUS_GOOD);
  EXPECT_EQ(p.format, SANE_FRAME_RGB);
}

TEST_F(ScanDeviceTest, SwitchingToSimplexAfterAFrontSkipsThatSheetsBack) {
  MakePages(2, {1});
  source_ = "ADF Duplex";
  auto device = Open();
  std::vector<uint8_t> page;
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  ASSERT_EQ(ReadPage(*device, &page), SANE_STATUS_EOF);
  ASSERT_EQ(SetString(*device, kOptSource, "ADF Front"), SANE_STATUS_GOOD);
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  ASSERT_EQ(ReadPage(*device, &page), SANE_STATUS_EOF);
  EXPECT_EQ(Marker(page), FrontCode(2));
}

TEST_F(ScanDeviceTest, ResolutionOutsideTheRangeIsClampedAndReportedInexact) {
  MakePages(1);
  auto device = Open();
  SANE_Int dpi = 20;
  SANE_Int info = 0;
  ASSERT_EQ(device->Control(kOptResolution, SANE_ACTION_SET_VALUE, &dpi, &info), SANE_STATUS_GOOD);
  EXPECT_NE(info & SANE_INFO_INEXACT, 0);
  EXPECT_NE(info & SANE_INFO_RELOAD_PARAMS, 0);
  ASSERT_EQ(device->Control(kOptResolution, SANE_ACTION_GET_VALUE, &dpi, nullptr),
            SANE_STATUS_GOOD);
  EXPECT_EQ(dpi, 75);
}

TEST_F(ScanDeviceTest, CancelFromAnotherThreadEndsAPacedReadPromptly) {
  MakePages(1);
  DeviceConfig config;
  config.pace_ppm = 1;  // one page a minute
  auto device = Open(config);
  ASSERT_EQ(device->Start(), SANE_STATUS_GOOD);
  const auto t0 = std::chrono::steady_clock::now();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    device->Cancel();
  });
  std::vector<uint8_t> page;
  const SANE_Status status = ReadPage(*device, &page);
  canceller.join();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(status, SANE_STATUS_CANCELLED);
  EXPECT_LT(elapsed, std::chrono::seconds(20));  // far less than the page's minute
  SANE_Byte buf[16];
  SANE_Int len = 0;
  EXPECT_EQ(device->Read(buf, sizeof buf, &len), SANE_STATUS_CANCELLED);
}

}  // namespace
}  // namespace intake::hardware::sane_backend
