// The project's SANE backend (build/lib/sane/libsane-intake.so.1) through Debian's libsane,
// its dll loader and scanimage, as the station and the demo use it. Every SANE session runs
// in a child process (sane_driver, scanimage) with a private SANE_CONFIG_DIR (only our
// dll.conf, SANE.md section 1), LD_LIBRARY_PATH on the backend's folder and a hard
// timeout, so a hang fails one test instead of stalling the suite.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/hardware/sane_test_pages.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake::testing {
namespace {

using Json = nlohmann::json;

constexpr int kPageDpi = 100;  // the synthetic pages
constexpr int kTimeoutS = 60;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class SaneBackendTest : public ::testing::Test {
 protected:
  SaneBackendTest() {
    WriteFile(dir_.Sub("dll.conf"), "intake\n");
    pages_ = dir_.Sub("pages");
    std::filesystem::create_directory(pages_);
    std::filesystem::create_directory(dir_.Sub("out"));
  }

  // `sheets` synthetic sheets at 100 dpi; the sheets in `backs` get a back file.
  void MakeSheets(int sheets, const std::vector<int>& backs = {}) {
    for (int s = 1; s <= sheets; ++s) {
      ASSERT_TRUE(WriteMarkerPage(SheetPath(s, false), kPageDpi, FrontCode(s)));
      if (std::find(backs.begin(), backs.end(), s) != backs.end()) {
        ASSERT_TRUE(WriteMarkerPage(SheetPath(s, true), kPageDpi, BackCode(s)));
      }
    }
  }
  std::string SheetPath(int sheet, bool back) const {
    char name[32];
    std::snprintf(name, sizeof name, "/%03d%s.png", sheet, back ? "-back" : "");
    return pages_ + name;
  }

  // intake.conf with device "demo" on the pages folder and `extra` lines.
  void WriteConf(const std::string& extra = "") {
    WriteFile(dir_.Sub("intake.conf"), "device demo\n  pages " + pages_ + "\n" + extra);
  }

  std::map<std::string, std::string> Env() const {
    return {{"SANE_CONFIG_DIR", dir_.path()},
            {"LD_LIBRARY_PATH", SANE_BACKEND_DIR},
            {"SANE_DEBUG_DLL", ""},
            {"SANE_DEBUG_INTAKE", ""}};
  }

  // Runs sane_driver with `args`; its JSON (null on failure, with a test failure).
  Json Driver(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {SANE_DRIVER};
    argv.insert(argv.end(), args.begin(), args.end());
    std::map<std::string, std::string> full = Env();
    for (const auto& [k, v] : env) full[k] = v;
    last_ = RunCommand(argv, full, kTimeoutS);
    EXPECT_FALSE(last_.timed_out) << "sane_driver hung; stderr: " << last_.err;
    EXPECT_EQ(last_.exit_code, 0) << last_.err;
    const Json out = Json::parse(last_.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(out.is_discarded()) << "stdout: " << last_.out << "\nstderr: " << last_.err;
    return out.is_discarded() ? Json() : out;
  }

  // A scan of intake:demo with options; pages dumped into out/.
  Json Scan(const std::vector<std::string>& options) {
    std::vector<std::string> args = {"scan", "intake:demo", "--dump", dir_.Sub("out")};
    for (const auto& o : options) {
      args.push_back("--set");
      args.push_back(o);
    }
    return Driver(args);
  }

  // The grey value of a dumped 8-bit grey page at (x_mm, y_mm) from its top left corner.
  static int GreyAt(const Json& page, int dpi, double x_mm, double y_mm) {
    const std::string data = ReadFile(page["file"].get<std::string>());
    const size_t offset =
        static_cast<size_t>(MmToPx(y_mm, dpi)) * page["bytes_per_line"].get<size_t>() +
        static_cast<size_t>(MmToPx(x_mm, dpi));
    if (offset >= data.size()) return -1;
    return static_cast<unsigned char>(data[offset]);
  }
  static int Marker(const Json& page, int dpi) {
    return GreyAt(page, dpi, kMarkerProbeMm, kMarkerProbeMm);
  }
  static std::vector<int> Markers(const Json& scan, int dpi) {
    std::vector<int> markers;
    for (const auto& page : scan["pages"]) markers.push_back(Marker(page, dpi));
    return markers;
  }

  ScopedTempDir dir_;
  std::string pages_;
  CommandResult last_;
};

// ---- devices and options ----

TEST_F(SaneBackendTest, ListsConfiguredDevicesWithVendorModelAndType) {
  MakeSheets(1);
  WriteFile(dir_.Sub("intake.conf"),
            "device demo\n  pages " + pages_ + "\ndevice second\n  pages " + pages_ + "\n");
  const Json out = Driver({"list"});
  ASSERT_EQ(out["devices"].size(), 2u) << out.dump();
  EXPECT_EQ(out["devices"][0]["name"], "intake:demo");
  EXPECT_EQ(out["devices"][1]["name"], "intake:second");
  for (const auto& d : out["devices"]) {
    EXPECT_EQ(d["vendor"], "Intake");
    EXPECT_EQ(d["model"], "Demo-scanner");
    EXPECT_EQ(d["type"], "sheetfed scanner");
  }
}

TEST_F(SaneBackendTest, DescribesOptionsWithTypesUnitsConstraintsAndA4Defaults) {
  MakeSheets(1);
  WriteConf();
  const Json out = Driver({"options", "intake:demo"});
  ASSERT_EQ(out["open"], "GOOD") << last_.err;
  EXPECT_EQ(out["count_status"], "GOOD");
  EXPECT_EQ(out["options"][0]["type"], "int");  // option 0: the count
  EXPECT_EQ(out["count"].get<size_t>(), out["options"].size());
  EXPECT_TRUE(out["descriptor_past_end_is_null"].get<bool>());
  std::map<std::string, Json> by_name;
  int groups = 0;
  for (const auto& o : out["options"]) {
    if (o["type"] == "group")
      ++groups;
    else
      by_name[o["name"].get<std::string>()] = o;
  }
  EXPECT_EQ(groups, 2);
  const Json& mode = by_name.at("mode");
  EXPECT_EQ(mode["type"], "string");
  EXPECT_EQ(mode["constraint"]["values"], Json({"Lineart", "Gray", "Color"}));
  EXPECT_GE(mode["size"].get<int>(), 8);  // "Lineart" and its NUL
  const Json& source = by_name.at("source");
  EXPECT_EQ(source["constraint"]["values"], Json({"Flatbed", "ADF Front", "ADF Duplex"}));
  const Json& resolution = by_name.at("resolution");
  EXPECT_EQ(resolution["type"], "int");
  EXPECT_EQ(resolution["unit"], "dpi");
  EXPECT_EQ(resolution["constraint"]["type"], "range");
  EXPECT_EQ(resolution["constraint"]["min"], 75);
  EXPECT_EQ(resolution["constraint"]["max"], 600);
  for (const char* name : {"tl-x", "tl-y", "br-x", "br-y"}) {
    const Json& g = by_name.at(name);
    EXPECT_EQ(g["type"], "fixed") << name;
    EXPECT_EQ(g["unit"], "mm") << name;
    EXPECT_EQ(g["constraint"]["min"], 0.0) << name;
  }
  EXPECT_DOUBLE_EQ(by_name.at("br-x")["constraint"]["max"].get<double>(), 210.0);
  EXPECT_DOUBLE_EQ(by_name.at("br-y")["constraint"]["max"].get<double>(), 297.0);
  EXPECT_EQ(out["values"]["mode"], "Gray");
  EXPECT_EQ(out["values"]["source"], "ADF Front");
  EXPECT_EQ(out["values"]["resolution"], 300);
  EXPECT_DOUBLE_EQ(out["values"]["br-x"].get<double>(), 210.0);
  EXPECT_DOUBLE_EQ(out["values"]["br-y"].get<double>(), 297.0);
  EXPECT_EQ(out["parameters"]["pixels_per_line"], 2480);  // A4 at 300 dpi
  EXPECT_EQ(out["parameters"]["lines"], 3508);
  EXPECT_EQ(out["parameters"]["depth"], 8);
}

// ---- batches ----

TEST_F(SaneBackendTest, SimplexBatchDeliversEveryFrontInOrderThenNoDocs) {
  MakeSheets(4, {2, 3});
  WriteConf();
  const Json out = Driver({"scan", "intake:demo", "--dump", dir_.Sub("out"), "--chunk", "5000",
                           "--set", "resolution=100", "--set", "source=ADF Front"});
  ASSERT_EQ(out["pages"].size(), 4u) << out.dump();
  EXPECT_EQ(Markers(out, 100),
            (std::vector<int>{FrontCode(1), FrontCode(2), FrontCode(3), FrontCode(4)}));
  for (const auto& page : out["pages"]) {
    EXPECT_EQ(page["status"], "EOF");
    EXPECT_EQ(page["format"], "GRAY");
    EXPECT_TRUE(page["last_frame"].get<bool>());
    EXPECT_EQ(page["pixels_per_line"], 827);
    EXPECT_EQ(page["bytes_per_line"], 827);
    EXPECT_EQ(page["lines"], 1169);
    EXPECT_EQ(page["bytes"], 827 * 1169);
    EXPECT_LE(page["max_read"].get<int>(), 5000);  // chunks of at most max_length
  }
  EXPECT_EQ(out["end"], "NO_DOCS");
  EXPECT_EQ(out["end_at"], "start");
  EXPECT_EQ(out["start_after_end"], "NO_DOCS");
}

TEST_F(SaneBackendTest, DuplexBatchAlternatesFrontAndBackWithBlankBacksForMissingFiles) {
  MakeSheets(3, {2});
  WriteConf();
  const Json out = Scan({"resolution=100", "source=ADF Duplex"});
  ASSERT_EQ(out["pages"].size(), 6u) << out.dump();
  EXPECT_EQ(Markers(out, 100),
            (std::vector<int>{FrontCode(1), 255, FrontCode(2), BackCode(2), FrontCode(3), 255}));
  EXPECT_EQ(out["end"], "NO_DOCS");
}

TEST_F(SaneBackendTest, FlatbedScansTheNextSheetsFrontAtEachStart) {
  MakeSheets(2, {1});
  WriteConf();
  const Json out = Scan({"resolution=100", "source=Flatbed"});
  EXPECT_EQ(Markers(out, 100), (std::vector<int>{FrontCode(1), FrontCode(2)}));
  EXPECT_EQ(out["end"], "NO_DOCS");
}

TEST_F(SaneBackendTest, RealLetterInGreyAtItsOwnResolutionEqualsTheSourceImage) {
  const std::string letter = std::string(INTAKE_TEST_PAGES_DIR) + "/p001.png";
  std::filesystem::create_symlink(letter, pages_ + "/001.png");
  WriteConf();
  const Json out = Scan({"resolution=300", "mode=Gray"});
  ASSERT_EQ(out["pages"].size(), 1u) << out.dump();
  TestPix source(pixRead(letter.c_str()));
  ASSERT_TRUE(source);
  ASSERT_EQ(pixGetDepth(source.get()), 8);
  const Json& page = out["pages"][0];
  ASSERT_EQ(page["pixels_per_line"].get<int>(), static_cast<int>(pixGetWidth(source.get())));
  ASSERT_EQ(page["lines"].get<int>(), static_cast<int>(pixGetHeight(source.get())));
  const std::string data = ReadFile(page["file"].get<std::string>());
  const int w = page["pixels_per_line"], h = page["lines"];
  long differing = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      l_uint32 v = 0;
      pixGetPixel(source.get(), x, y, &v);
      differing += static_cast<unsigned char>(data[static_cast<size_t>(y) * w + x]) != v;
    }
  }
  EXPECT_EQ(differing, 0);
}

TEST_F(SaneBackendTest, LineartIsTheSourceThresholdedMsbFirstWithOneForBlack) {
  const std::string letter = std::string(INTAKE_TEST_PAGES_DIR) + "/p001.png";
  std::filesystem::create_symlink(letter, pages_ + "/001.png");
  WriteConf();
  const Json out = Scan({"resolution=300", "mode=Lineart"});
  ASSERT_EQ(out["pages"].size(), 1u) << out.dump();
  const Json& page = out["pages"][0];
  EXPECT_EQ(page["format"], "GRAY");
  EXPECT_EQ(page["depth"], 1);
  EXPECT_EQ(page["bytes_per_line"], (2480 + 7) / 8);
  TestPix source(pixRead(letter.c_str()));
  ASSERT_TRUE(source);
  const std::string data = ReadFile(page["file"].get<std::string>());
  const int bpl = page["bytes_per_line"];
  long differing = 0, black = 0;
  for (int y = 0; y < 3508; ++y) {
    for (int x = 0; x < 2480; ++x) {
      l_uint32 v = 0;
      pixGetPixel(source.get(), x, y, &v);
      const int byte = static_cast<unsigned char>(data[static_cast<size_t>(y) * bpl + x / 8]);
      const bool bit = (byte >> (7 - x % 8)) & 1;
      differing += bit != (v < 128);
      black += bit;
    }
  }
  EXPECT_EQ(differing, 0);
  EXPECT_GT(black, 10000);  // the letter has text
}

TEST_F(SaneBackendTest, ColorDeliversInterleavedRgbOfTheSource) {
  const int w = MmToPx(210, kPageDpi), h = MmToPx(297, kPageDpi);
  TestPix rgb(pixCreate(w, h, 32));
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      l_uint32 pixel = 0;
      composeRGBPixel(x % 256, y % 256, (x * 7 + y * 3) % 256, &pixel);
      pixSetPixel(rgb.get(), x, y, pixel);
    }
  }
  pixSetResolution(rgb.get(), kPageDpi, kPageDpi);
  ASSERT_EQ(pixWrite((pages_ + "/001.png").c_str(), rgb.get(), IFF_PNG), 0);
  WriteConf();
  const Json out = Scan({"resolution=100", "mode=Color"});
  ASSERT_EQ(out["pages"].size(), 1u) << out.dump();
  const Json& page = out["pages"][0];
  EXPECT_EQ(page["format"], "RGB");
  EXPECT_EQ(page["depth"], 8);
  EXPECT_EQ(page["bytes_per_line"], 3 * w);
  const std::string data = ReadFile(page["file"].get<std::string>());
  ASSERT_EQ(data.size(), static_cast<size_t>(3 * w * h));
  long differing = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const auto* p = reinterpret_cast<const unsigned char*>(data.data()) +
                      (static_cast<size_t>(y) * w + x) * 3;
      differing += p[0] != x % 256 || p[1] != y % 256 || p[2] != (x * 7 + y * 3) % 256;
    }
  }
  EXPECT_EQ(differing, 0);
}

TEST_F(SaneBackendTest, ScalesPagesFromTheirOwnResolutionAndAssumes300WithoutOne) {
  ASSERT_TRUE(WriteMarkerPage(pages_ + "/001.png", kPageDpi, 60));
  ASSERT_TRUE(WriteMarkerPage(pages_ + "/002.png", 300, 90, /*write_dpi=*/false));
  WriteConf();
  const Json out = Scan({"resolution=200"});
  ASSERT_EQ(out["pages"].size(), 2u) << out.dump();
  for (const auto& page : out["pages"]) {
    EXPECT_EQ(page["pixels_per_line"], 1654);
    EXPECT_EQ(page["lines"], 2339);
  }
  EXPECT_EQ(Markers(out, 200), (std::vector<int>{60, 90}));
  // The block's edges land at the same millimetres.
  for (const auto& page : out["pages"]) {
    EXPECT_EQ(GreyAt(page, 200, 19, 30), kPaperGrey);
    EXPECT_EQ(GreyAt(page, 200, 41, 30), kPaperGrey);
    EXPECT_NE(GreyAt(page, 200, 21, 30), kPaperGrey);
    EXPECT_NE(GreyAt(page, 200, 30, 39), kPaperGrey);
  }
}

TEST_F(SaneBackendTest, GeometryCutsTheScanAreaFromThePage) {
  MakeSheets(1);
  WriteConf();
  const Json out = Scan({"resolution=100", "tl-x=10", "tl-y=20", "br-x=110", "br-y=120"});
  ASSERT_EQ(out["pages"].size(), 1u) << out.dump();
  const Json& page = out["pages"][0];
  EXPECT_EQ(page["pixels_per_line"], 394);  // 100 mm at 100 dpi
  EXPECT_EQ(page["lines"], 394);
  EXPECT_EQ(GreyAt(page, 100, kMarkerProbeMm - 10, kMarkerProbeMm - 20), FrontCode(1));
  EXPECT_EQ(GreyAt(page, 100, 5, 5), kPaperGrey);
}

TEST_F(SaneBackendTest, PaceOf60PagesAMinuteSpreadsPagesOverAboutASecondEach) {
  MakeSheets(3);
  WriteConf("  pace 60\n");
  const Json out = Scan({"resolution=75"});
  ASSERT_EQ(out["pages"].size(), 3u) << out.dump();
  const double first_start = out["pages"][0]["start_ms"].get<double>();
  const double last_end = out["pages"][2]["end_ms"].get<double>();
  const double expected_ms = 3 * 1000.0;
  std::printf("[ MEASURED ] 3 pages at pace 60: %.0f ms (expected about %.0f ms)\n",
              last_end - first_start, expected_ms);
  EXPECT_GE(last_end - first_start, 0.5 * expected_ms);
}

// ---- faults ----

struct FaultCase {
  const char* key;
  const char* place;
  const char* status;
};

class SaneBackendFaultTest : public SaneBackendTest,
                             public ::testing::WithParamInterface<FaultCase> {};

TEST_P(SaneBackendFaultTest, FaultAtSheet3KeepsSheets1And2CompleteAndStaysUntilClose) {
  const FaultCase& c = GetParam();
  MakeSheets(4, {1});
  WriteConf(std::string("  ") + c.key + " 3\n  fault_at " + c.place + "\n");
  const Json out = Scan({"resolution=75", "source=ADF Duplex"});
  const std::string place = c.place;
  ASSERT_EQ(out["pages"].size(), place == "start" ? 4u : 5u) << out.dump();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out["pages"][i]["status"], "EOF");
  EXPECT_EQ(Markers(out, 75).at(2), FrontCode(2));
  EXPECT_EQ(out["end"], c.status);
  EXPECT_EQ(out["end_at"], c.place);
  if (place == "read") {
    const Json& broken = out["pages"][4];
    EXPECT_EQ(broken["status"], c.status);
    EXPECT_EQ(broken["bytes"].get<int>(),
              broken["lines"].get<int>() / 2 * broken["bytes_per_line"].get<int>());
  }
  EXPECT_EQ(out["start_after_end"], c.status);
}

INSTANTIATE_TEST_SUITE_P(Faults, SaneBackendFaultTest,
                         ::testing::Values(FaultCase{"jam_at_sheet", "start", "JAMMED"},
                                           FaultCase{"jam_at_sheet", "read", "JAMMED"},
                                           FaultCase{"cover_open_at_sheet", "start", "COVER_OPEN"},
                                           FaultCase{"cover_open_at_sheet", "read", "COVER_OPEN"},
                                           FaultCase{"io_error_at_sheet", "start", "IO_ERROR"},
                                           FaultCase{"io_error_at_sheet", "read", "IO_ERROR"}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.status) + "_at_" +
                                  param_info.param.place;
                         });

TEST_F(SaneBackendTest, JamThenResumeFromStartSheetDeliversEveryPageExactlyOnce) {
  MakeSheets(5, {1, 3, 5});
  WriteConf("  jam_at_sheet 3\n");
  const Json first = Scan({"resolution=75", "source=ADF Duplex"});
  EXPECT_EQ(first["end"], "JAMMED");
  std::vector<int> received;
  for (const auto& page : first["pages"]) {
    if (page["status"] == "EOF") received.push_back(Marker(page, 75));
  }
  ASSERT_EQ(received, (std::vector<int>{FrontCode(1), BackCode(1), FrontCode(2), 255}));

  // The operator clears the jam and reloads the stack from sheet 3.
  WriteConf("  start_sheet 3\n");
  const Json resumed = Scan({"resolution=75", "source=ADF Duplex"});
  EXPECT_EQ(resumed["end"], "NO_DOCS");
  for (const auto& page : resumed["pages"]) received.push_back(Marker(page, 75));
  EXPECT_EQ(received,
            (std::vector<int>{FrontCode(1), BackCode(1), FrontCode(2), 255, FrontCode(3),
                              BackCode(3), FrontCode(4), 255, FrontCode(5), BackCode(5)}));
}

TEST_F(SaneBackendTest, EmptyFeederReturnsNoDocsAtTheFirstStart) {
  MakeSheets(2);
  WriteConf("  empty true\n");
  const Json out = Scan({});
  EXPECT_EQ(out["pages"].size(), 0u);
  EXPECT_EQ(out["end"], "NO_DOCS");
  EXPECT_EQ(out["end_at"], "start");
}

TEST_F(SaneBackendTest, StartSheetPastTheLastSheetIsAnEmptyFeeder) {
  MakeSheets(2);
  WriteConf("  start_sheet 3\n");
  const Json out = Scan({});
  EXPECT_EQ(out["pages"].size(), 0u);
  EXPECT_EQ(out["end"], "NO_DOCS");
}

TEST_F(SaneBackendTest, BusyDeviceRefusesToOpen) {
  MakeSheets(1);
  WriteConf("  busy true\n");
  const Json out = Scan({});
  EXPECT_EQ(out["open"], "DEVICE_BUSY");
}

TEST_F(SaneBackendTest, CancelMidPageMakesReadsCancelledAndTheNextStartFeedsTheNextPage) {
  MakeSheets(2);
  WriteConf("  pace 6\n");  // ten seconds a page: the cancel must not wait for it
  const Json out = Driver({"scan", "intake:demo", "--set", "resolution=75", "--chunk", "4096",
                           "--cancel-after-bytes", "4096", "--start-after-cancel"});
  ASSERT_EQ(out["pages"].size(), 1u) << out.dump();
  EXPECT_EQ(out["pages"][0]["status"], "CANCELLED");
  EXPECT_EQ(out["after_cancel"], Json({"CANCELLED", "CANCELLED"}));
  EXPECT_EQ(out["start_after_cancel"], "GOOD");
  EXPECT_LT(out["elapsed_ms"].get<double>(), 9000.0);
}

TEST_F(SaneBackendTest, OddCallOrdersReturnSaneStatusesAndNeverCrash) {
  MakeSheets(4);
  WriteConf();
  const Json out = Driver({"calls", "intake:demo"});
  const Json& s = out["steps"];
  ASSERT_EQ(s["open"], "GOOD") << last_.err;
  EXPECT_EQ(s["open_twice"], "DEVICE_BUSY");
  EXPECT_EQ(s["read_before_start"], "INVAL");
  EXPECT_EQ(s["read_before_start_len"], 0);
  EXPECT_TRUE(s["descriptor_minus_one_is_null"].get<bool>());
  EXPECT_TRUE(s["descriptor_count_is_null"].get<bool>());
  EXPECT_EQ(s["get_option_past_end"], "INVAL");
  EXPECT_EQ(s["get_group"], "INVAL");
  EXPECT_EQ(s["set_count"], "INVAL");
  EXPECT_EQ(s["get_null_value"], "INVAL");
  EXPECT_EQ(s["set_auto_resolution"], "INVAL");
  EXPECT_EQ(s["set_mode_bogus"], "INVAL");
  EXPECT_EQ(s["set_mode_lowercase"], "GOOD");
  EXPECT_TRUE(s["set_mode_lowercase_inexact"].get<bool>());
  EXPECT_EQ(s["mode_after_lowercase"], "Gray");
  EXPECT_EQ(s["set_resolution_huge"], "GOOD");
  EXPECT_TRUE(s["set_resolution_huge_inexact"].get<bool>());
  EXPECT_EQ(s["resolution_after_huge"], 600);
  EXPECT_TRUE(s["set_resolution_reload_params"].get<bool>());
  EXPECT_EQ(s["start"], "GOOD");
  EXPECT_EQ(s["set_mode_during_scan"], "INVAL");
  EXPECT_EQ(s["set_tl_x_during_scan"], "INVAL");
  EXPECT_EQ(s["read_chunk"], "GOOD");
  EXPECT_EQ(s["set_io_mode_blocking"], "GOOD");
  EXPECT_EQ(s["set_io_mode_non_blocking"], "UNSUPPORTED");
  EXPECT_EQ(s["get_select_fd"], "UNSUPPORTED");
  EXPECT_EQ(s["read_after_cancel"], "CANCELLED");
  EXPECT_EQ(s["read_after_cancel_again"], "CANCELLED");
  EXPECT_EQ(s["set_mode_after_cancel"], "GOOD");
  EXPECT_EQ(s["start_after_cancel"], "GOOD");
  EXPECT_EQ(s["read_to_end"], "EOF");
  EXPECT_EQ(s["bytes_second_page"], 827 * 1169);
  EXPECT_EQ(s["read_after_eof"], "EOF");
  EXPECT_EQ(s["set_mode_between_pages"], "GOOD");
  EXPECT_EQ(s["start_abandoning_nothing"], "GOOD");
  EXPECT_EQ(s["start_abandoning_unread_page"], "GOOD");
  EXPECT_EQ(s["read_zero_length"], "INVAL");
  EXPECT_EQ(s["start_with_empty_area"], "INVAL");
  EXPECT_EQ(s["start_mid_page_then_close"], "GOOD");
  EXPECT_EQ(s["reopen"], "GOOD");
  EXPECT_EQ(s["resolution_after_reopen"], 100) << "options survive close and open";
  EXPECT_EQ(s["init_again"], "GOOD");
  EXPECT_EQ(s["open_after_exit"], "GOOD");
  EXPECT_EQ(s["resolution_after_exit"], 300) << "options reset after sane_exit";
  EXPECT_EQ(s["open_unknown_device"], "INVAL");
}

// ---- bad configuration: an error at sane_open, a note on stderr, never a crash ----

TEST_F(SaneBackendTest, MissingPagesFolderFailsOpenAndNamesTheFolder) {
  WriteFile(dir_.Sub("intake.conf"), "device demo\n  pages " + dir_.Sub("nowhere") + "\n");
  const Json out = Scan({});
  EXPECT_EQ(out["open"], "INVAL");
  EXPECT_TRUE(Contains(last_.err, dir_.Sub("nowhere"))) << last_.err;
  EXPECT_FALSE(Contains(last_.out, "[sane-intake]")) << "backend notes belong on stderr";
}

TEST_F(SaneBackendTest, UnreadableImageFailsOpenAndNamesTheFile) {
  MakeSheets(1);
  WriteFile(pages_ + "/002.png", "not a png at all");
  WriteConf();
  const Json out = Scan({});
  EXPECT_EQ(out["open"], "INVAL");
  EXPECT_TRUE(Contains(last_.err, pages_ + "/002.png")) << last_.err;
}

TEST_F(SaneBackendTest, TruncatedImageFailsItsStartWithIoErrorAndNamesTheFile) {
  MakeSheets(2);
  const std::string bytes = ReadFile(SheetPath(2, false));
  WriteFile(SheetPath(2, false), bytes.substr(0, bytes.size() / 2));
  WriteConf();
  const Json out = Scan({"resolution=75"});
  EXPECT_EQ(out["open"], "GOOD") << last_.err;  // the header is intact
  EXPECT_EQ(out["pages"].size(), 1u);
  EXPECT_EQ(out["end"], "IO_ERROR");
  EXPECT_TRUE(Contains(last_.err, SheetPath(2, false))) << last_.err;
}

TEST_F(SaneBackendTest, UnknownKeyFailsOpenAndNamesLineAndKey) {
  MakeSheets(1);
  WriteConf("  jam_at_shet 2\n");
  const Json out = Scan({});
  EXPECT_EQ(out["open"], "INVAL");
  EXPECT_TRUE(Contains(last_.err, "intake.conf:3:")) << last_.err;
  EXPECT_TRUE(Contains(last_.err, "jam_at_shet")) << last_.err;
}

TEST_F(SaneBackendTest, MissingIntakeConfListsNoDeviceAndFailsOpen) {
  const Json list = Driver({"list"});
  EXPECT_EQ(list["devices"].size(), 0u);
  const Json out = Scan({});
  EXPECT_EQ(out["open"], "INVAL");
  EXPECT_TRUE(Contains(last_.err, "intake.conf")) << last_.err;
}

// ---- how libsane finds the backend ----

// libsane's dll backend reads LD_LIBRARY_PATH with getenv when it loads a backend and
// dlopen()s DIR/libsane-intake.so.1 by full path, so setting the variable inside the
// process before sane_init is enough; the dynamic linker's start-up copy does not matter.
TEST_F(SaneBackendTest, DllLoaderFindsTheBackendWhenLdLibraryPathIsSetInsideTheProcess) {
  MakeSheets(1);
  WriteConf();
  const Json without = Driver({"list"}, {{"LD_LIBRARY_PATH", ""}});
  EXPECT_EQ(without["devices"].size(), 0u) << "found without LD_LIBRARY_PATH?";
  const Json with = Driver({"--setenv", std::string("LD_LIBRARY_PATH=") + SANE_BACKEND_DIR, "list"},
                           {{"LD_LIBRARY_PATH", ""}});
  ASSERT_EQ(with["devices"].size(), 1u) << last_.err;
  EXPECT_EQ(with["devices"][0]["name"], "intake:demo");
}

TEST_F(SaneBackendTest, LibraryExportsOnlyTheThirteenSaneEntryPoints) {
  const CommandResult nm =
      RunCommand({"/usr/bin/nm", "-D", "--defined-only", SANE_BACKEND_FILE}, {}, kTimeoutS);
  ASSERT_EQ(nm.exit_code, 0) << nm.err;
  std::set<std::string> symbols;
  std::istringstream lines(nm.out);
  std::string address, type, name;
  while (lines >> address >> type >> name) symbols.insert(name);
  const std::set<std::string> expected = {
      "sane_intake_init",           "sane_intake_exit",
      "sane_intake_get_devices",    "sane_intake_open",
      "sane_intake_close",          "sane_intake_get_option_descriptor",
      "sane_intake_control_option", "sane_intake_get_parameters",
      "sane_intake_start",          "sane_intake_read",
      "sane_intake_cancel",         "sane_intake_set_io_mode",
      "sane_intake_get_select_fd"};
  EXPECT_EQ(symbols, expected);
}

// ---- scanimage (sane-utils) ----

TEST_F(SaneBackendTest, ScanimageListsTheDeviceAndWritesEveryPageOfADuplexBatch) {
  MakeSheets(3, {2});
  WriteConf();
  const CommandResult list = RunCommand({"/usr/bin/scanimage", "-L"}, Env(), kTimeoutS);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "intake:demo")) << list.out;
  const CommandResult scan =
      RunCommand({"/usr/bin/scanimage", "-d", "intake:demo", "--source", "ADF Duplex", "--mode",
                  "Gray", "--resolution", "150", "--batch=" + dir_.Sub("out") + "/out%d.pnm"},
                 Env(), kTimeoutS);
  EXPECT_FALSE(scan.timed_out);
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  EXPECT_TRUE(Contains(scan.err, "Document feeder out of documents")) << scan.err;
  for (int i = 1; i <= 6; ++i) {
    const std::string pnm = ReadFile(dir_.Sub("out") + "/out" + std::to_string(i) + ".pnm");
    EXPECT_EQ(pnm.rfind("P5\n", 0), 0u) << "page " << i;
    EXPECT_TRUE(Contains(pnm, "1240 1754")) << "page " << i;  // A4 at 150 dpi
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("out") + "/out7.pnm"));
}

TEST_F(SaneBackendTest, ScanimageStopsWithDocumentFeederJammedAfterTheFirstSheet) {
  MakeSheets(3);
  WriteConf("  jam_at_sheet 2\n");
  const CommandResult scan =
      RunCommand({"/usr/bin/scanimage", "-d", "intake:demo", "--source", "ADF Duplex", "--mode",
                  "Gray", "--resolution", "75", "--batch=" + dir_.Sub("out") + "/out%d.pnm"},
                 Env(), kTimeoutS);
  EXPECT_EQ(scan.exit_code, 6) << scan.err;  // SANE_STATUS_JAMMED
  EXPECT_TRUE(Contains(scan.err, "Document feeder jammed")) << scan.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("out") + "/out1.pnm"));
  EXPECT_TRUE(std::filesystem::exists(dir_.Sub("out") + "/out2.pnm"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("out") + "/out3.pnm"));
}

// ---- the demo scanner of the build ----

TEST(SaneDemoScannerTest, WrapperScriptRunsCommandsWithTheBuildsPrivateConfiguration) {
  EXPECT_EQ(ReadFile(std::string(INTAKE_BUILD_DIR) + "/sane/dll.conf").find("\nintake\n") !=
                std::string::npos,
            true);
  const std::string script = std::string(INTAKE_SOURCE_DIR) + "/scripts/with-demo-scanner.sh";
  const std::map<std::string, std::string> env = {
      {"INTAKE_BUILD_DIR", INTAKE_BUILD_DIR}, {"SANE_CONFIG_DIR", ""}, {"LD_LIBRARY_PATH", ""}};
  const CommandResult list = RunCommand({"/bin/bash", script, "scanimage", "-L"}, env, kTimeoutS);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(Contains(list.out, "intake:demo")) << list.out << list.err;
  // Two real letters from the demo pages at the demo's 60 pages a minute.
  const CommandResult scan = RunCommand({"/bin/bash", script, SANE_DRIVER, "scan", "intake:demo",
                                         "--max-pages", "2", "--set", "resolution=75"},
                                        env, kTimeoutS);
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  const Json out = Json::parse(scan.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << scan.out << scan.err;
  ASSERT_EQ(out["pages"].size(), 2u) << out.dump() << scan.err;
  for (const auto& page : out["pages"]) EXPECT_EQ(page["status"], "EOF");
}

}  // namespace
}  // namespace intake::testing
