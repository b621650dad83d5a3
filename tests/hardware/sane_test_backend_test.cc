// SaneScanner on the real libsane with SANE's `test` backend (Debian's libsane1), through
// a private SANE_CONFIG_DIR created here (never /etc/sane.d). Each scenario runs
// build/tests/sane_probe in its own process with a hard timeout and one retry, because
// the test backend sometimes deadlocks after a cancel or an injected fault (SANE.md
// section 6.2). Small resolutions and few pages keep the whole file to a few seconds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kProbeTimeoutS = 20;
constexpr int kDpi = 50;
constexpr double kAreaMm = 200.0;  // the test backend's whole scan area is 200 x 200 mm

class SaneTestBackendTest : public ::testing::Test {
 protected:
  SaneTestBackendTest() {
    testing::WriteFile(dir_.Sub("dll.conf"), "test\n");
    // Keys of test.conf differ from the option names; always set the resolution, or
    // pages shrink to 1x1 pixel and some modes hang (SANE.md section 6.2).
    testing::WriteFile(dir_.Sub("test.conf"),
                       "number_of_devices 2\n"
                       "resolution 50.0\n"
                       "mode Gray\n"
                       "depth 8\n");
  }

  // Runs sane_probe with `args`; on a timeout (a deadlocked test backend) runs it once
  // more. Returns the parsed JSON (null on failure, with the test failed).
  json Probe(std::vector<std::string> args) {
    args.insert(args.begin(), SANE_PROBE_BINARY);
    for (int attempt = 1; attempt <= 2; ++attempt) {
      const testing::CommandResult r =
          testing::RunCommand(args, {{"SANE_CONFIG_DIR", dir_.path()}}, kProbeTimeoutS);
      if (r.timed_out) {
        std::cerr << "sane_probe timed out (attempt " << attempt << "), stderr:\n" << r.err;
        continue;
      }
      EXPECT_EQ(r.exit_code, 0) << r.err;
      json out = json::parse(r.out, nullptr, false);
      EXPECT_FALSE(out.is_discarded()) << "not JSON: " << r.out << "\n" << r.err;
      last_stderr_ = r.err;
      return out;
    }
    ADD_FAILURE() << "sane_probe hung twice";
    return json();
  }

  json Scan(std::vector<std::string> args) {
    args.insert(args.begin(), {"scan", "--device", "test:0", "--dpi", std::to_string(kDpi)});
    return Probe(args);
  }

  static void ExpectWholeArea(const json& page) {
    const double expected = kAreaMm / 25.4 * kDpi;
    EXPECT_NEAR(page["width"].get<double>(), expected, 1.0) << page;
    EXPECT_NEAR(page["height"].get<double>(), expected, 1.0) << page;
    EXPECT_EQ(page["dpi"], kDpi);
  }

  testing::ScopedTempDir dir_;
  std::string last_stderr_;
};

TEST_F(SaneTestBackendTest, ListsTheTestBackendsDevices) {
  const json out = Probe({"list"});
  ASSERT_TRUE(out.contains("devices")) << out;
  ASSERT_EQ(out["devices"].size(), 2u);
  EXPECT_EQ(out["devices"][0]["name"], "test:0");
  EXPECT_EQ(out["devices"][1]["name"], "test:1");
  EXPECT_EQ(out["devices"][0]["vendor"], "Noname");
  EXPECT_EQ(out["devices"][0]["model"], "frontend-tester");
  EXPECT_EQ(out["devices"][0]["type"], "virtual device");
}

TEST_F(SaneTestBackendTest, FeederBatchInGrayGivesTenWholePagesThenEnds) {
  const json out = Scan({"--mode", "gray", "--set", "test-picture=Solid white"});
  ASSERT_EQ(out["batches"].size(), 1u) << out;
  const json& batch = out["batches"][0];
  EXPECT_TRUE(batch["error"].is_null()) << batch["error"];
  ASSERT_EQ(batch["pages"].size(), 10u);  // the test backend's feeder holds 10 sheets
  for (size_t i = 0; i < 10; ++i) {
    const json& p = batch["pages"][i];
    EXPECT_EQ(p["sheet"], i + 1);
    EXPECT_EQ(p["side"], "front");
    EXPECT_EQ(p["depth"], 8);
    EXPECT_EQ(p["channels"], 1);
    EXPECT_EQ(p["bytes_per_line"], p["width"]);
    EXPECT_EQ(p["mean"], 255.0);  // white is 255 in grey
    ExpectWholeArea(p);
  }
  EXPECT_EQ(batch["fault_info"]["last_complete_sheet"], 10);
}

TEST_F(SaneTestBackendTest, FeederBatchInColourGivesInterleavedRgbPages) {
  const json out = Scan({"--mode", "color"});
  const json& batch = out["batches"][0];
  EXPECT_TRUE(batch["error"].is_null()) << batch["error"];
  ASSERT_EQ(batch["pages"].size(), 10u);
  for (const json& p : batch["pages"]) {
    EXPECT_EQ(p["channels"], 3);
    EXPECT_EQ(p["depth"], 8);
    EXPECT_EQ(p["bytes_per_line"], 3 * p["width"].get<int>());
    ExpectWholeArea(p);
  }
}

TEST_F(SaneTestBackendTest, FeederBatchInLineartGivesPackedOneBitBlackPages) {
  // The test backend has no lineart mode: grey at depth 1. Its default picture is black.
  const json out = Scan({"--mode", "lineart"});
  const json& batch = out["batches"][0];
  EXPECT_TRUE(batch["error"].is_null()) << batch["error"];
  ASSERT_EQ(batch["pages"].size(), 10u);
  for (const json& p : batch["pages"]) {
    EXPECT_EQ(p["depth"], 1);
    EXPECT_EQ(p["bytes_per_line"], (p["width"].get<int>() + 7) / 8);
    EXPECT_EQ(p["black_fraction"], 1.0);  // 1 = black
    ExpectWholeArea(p);
  }
}

TEST_F(SaneTestBackendTest, ThreePassInGbrOrderGivesTheSamePixelsAsSinglePass) {
  const json single =
      Scan({"--mode", "color", "--set", "test-picture=Color pattern", "--max-pages", "2"});
  const json three = Scan({"--mode", "color", "--set", "test-picture=Color pattern", "--set",
                           "three-pass=yes", "--set", "three-pass-order=GBR", "--max-pages", "2"});
  ASSERT_EQ(single["batches"][0]["pages"].size(), 2u) << single;
  ASSERT_EQ(three["batches"][0]["pages"].size(), 2u) << three;
  for (size_t i = 0; i < 2; ++i) {
    const json& a = single["batches"][0]["pages"][i];
    const json& b = three["batches"][0]["pages"][i];
    EXPECT_EQ(b["channels"], 3);
    EXPECT_EQ(a["width"], b["width"]);
    EXPECT_EQ(a["height"], b["height"]);
    EXPECT_EQ(a["fnv"], b["fnv"]) << "three-pass frames assembled in the wrong order";
  }
}

TEST_F(SaneTestBackendTest, SixteenBitGrayHasTwoBytesPerSample) {
  const json out = Scan({"--mode", "gray", "--set", "depth=16", "--set", "test-picture=Solid white",
                         "--max-pages", "2"});
  const json& pages = out["batches"][0]["pages"];
  ASSERT_EQ(pages.size(), 2u) << out;
  for (const json& p : pages) {
    EXPECT_EQ(p["depth"], 16);
    EXPECT_EQ(p["bytes_per_line"], 2 * p["width"].get<int>());
    EXPECT_EQ(p["mean"], 65535.0);  // host order: white is 0xFFFF however it is read
  }
}

TEST_F(SaneTestBackendTest, HandScannerPageOfUnknownLengthIsReadToTheEnd) {
  const json out = Scan({"--source", "flatbed", "--set", "hand-scanner=yes"});
  const json& pages = out["batches"][0]["pages"];
  ASSERT_EQ(pages.size(), 1u) << out;
  // A hand scanner is 11 cm wide; its length is unknown (lines == -1) until EOF.
  EXPECT_NEAR(pages[0]["width"].get<double>(), 110.0 / 25.4 * kDpi, 1.0);
  EXPECT_GT(pages[0]["height"].get<int>(), 0);
  EXPECT_EQ(pages[0]["bytes"], pages[0]["width"].get<int>() * pages[0]["height"].get<int>());
}

struct InjectedFault {
  const char* status;
  const char* code;
  const char* text;
};

class SaneTestBackendFaultTest : public SaneTestBackendTest,
                                 public ::testing::WithParamInterface<InjectedFault> {};

TEST_P(SaneTestBackendFaultTest, FaultOnThirdSheetKeepsTheFirstTwo) {
  const json out =
      Scan({"--mode", "gray", "--fault-at-page", std::string("3=") + GetParam().status});
  ASSERT_EQ(out["batches"].size(), 1u) << out;
  const json& batch = out["batches"][0];
  ASSERT_EQ(batch["pages"].size(), 2u) << batch;
  EXPECT_EQ(batch["pages"][1]["sheet"], 2);
  ASSERT_TRUE(batch["error"].is_object()) << batch;
  EXPECT_EQ(batch["error"]["code"], GetParam().code);
  EXPECT_THAT(batch["error"]["message"].get<std::string>(), HasSubstr(GetParam().text));
  EXPECT_EQ(batch["fault_info"]["last_complete_sheet"], 2);
  EXPECT_EQ(batch["fault_info"]["reload_from_sheet"], 3);
}

INSTANTIATE_TEST_SUITE_P(
    ReadReturnValue, SaneTestBackendFaultTest,
    ::testing::Values(
        InjectedFault{"SANE_STATUS_JAMMED", "device_error",
                      "Papirstop ved ark 3. Fjern papiret, læg arkene fra ark 3 i fremføreren "
                      "igen og fortsæt."},
        InjectedFault{"SANE_STATUS_COVER_OPEN", "device_error",
                      "Låget eller fremføreren er åben (ved ark 3)"},
        InjectedFault{"SANE_STATUS_IO_ERROR", "device_error", "ved ark 3 (I/O-fejl)"},
        InjectedFault{"SANE_STATUS_DEVICE_BUSY", "device_busy",
                      "Scanneren bruges af et andet program"}),
    [](const ::testing::TestParamInfo<InjectedFault>& param_info) {
      std::string name = std::string(param_info.param.status).substr(12);
      name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
      return name;
    });

TEST_F(SaneTestBackendTest, NoDocumentsOnThirdSheetEndsTheBatchNormally) {
  const json out = Scan({"--mode", "gray", "--fault-at-page", "3=SANE_STATUS_NO_DOCS"});
  const json& batch = out["batches"][0];
  EXPECT_TRUE(batch["error"].is_null()) << batch;
  EXPECT_EQ(batch["pages"].size(), 2u);
}

TEST_F(SaneTestBackendTest, ResumeAfterJamStartsAtTheSheetToReload) {
  const json out = Scan({"--mode", "gray", "--fault-at-page", "3=SANE_STATUS_JAMMED", "--resume",
                         "--max-pages", "3"});
  ASSERT_EQ(out["batches"].size(), 2u) << out;
  EXPECT_EQ(out["batches"][0]["pages"].size(), 2u);
  const json& resumed = out["batches"][1];
  EXPECT_TRUE(resumed["error"].is_null()) << resumed;
  ASSERT_EQ(resumed["pages"].size(), 3u);
  EXPECT_EQ(resumed["pages"][0]["sheet"], 3);
  EXPECT_EQ(resumed["pages"][2]["sheet"], 5);
}

TEST_F(SaneTestBackendTest, CancelInTheMiddleOfAPageKeepsEarlierPages) {
  const json out = Scan({"--mode", "gray", "--cancel-mid-page", "2"});
  const json& batch = out["batches"][0];
  ASSERT_EQ(batch["pages"].size(), 1u) << batch;
  ASSERT_TRUE(batch["error"].is_object());
  EXPECT_EQ(batch["error"]["code"], "cancelled");
  EXPECT_THAT(batch["error"]["message"].get<std::string>(), HasSubstr("afbrudt ved ark 2"));
  EXPECT_EQ(batch["fault_info"]["reload_from_sheet"], 2);
}

TEST_F(SaneTestBackendTest, SlowDeviceStillDeliversWholePages) {
  const json fast = Scan({"--mode", "gray", "--max-pages", "2"});
  const json slow = Scan({"--mode", "gray", "--max-pages", "2", "--set", "read-delay=yes", "--set",
                          "read-delay-duration=100000"});
  ASSERT_EQ(slow["batches"][0]["pages"].size(), 2u) << slow;
  EXPECT_TRUE(slow["batches"][0]["error"].is_null());
  EXPECT_EQ(slow["batches"][0]["pages"][1]["fnv"], fast["batches"][0]["pages"][1]["fnv"]);
  const int fast_ms = fast["elapsed_ms"].get<int>();
  const int slow_ms = slow["elapsed_ms"].get<int>();
  std::cout << "two pages: " << fast_ms << " ms; with a 100 ms read delay: " << slow_ms << " ms\n";
  // Loosely: at least one delayed buffer per page.
  EXPECT_GE(slow_ms, 200);
  EXPECT_GT(slow_ms, fast_ms);
}

TEST_F(SaneTestBackendTest, SourceTheDeviceLacksIsRefusedNamingItsSources) {
  const json out = Scan({"--source", "duplex"});
  ASSERT_TRUE(out["batches"][0].contains("start_error")) << out;
  const json& e = out["batches"][0]["start_error"];
  EXPECT_EQ(e["code"], "invalid_argument");
  EXPECT_THAT(e["message"].get<std::string>(),
              HasSubstr("\"Flatbed\", \"Automatic Document Feeder\""));
}

TEST_F(SaneTestBackendTest, UnknownDeviceIsNotFound) {
  const json out = Probe({"scan", "--device", "test:9"});
  ASSERT_TRUE(out["batches"][0].contains("start_error")) << out;
  EXPECT_EQ(out["batches"][0]["start_error"]["code"], "not_found");
  EXPECT_THAT(out["batches"][0]["start_error"]["message"].get<std::string>(), HasSubstr("test:9"));
}

}  // namespace
}  // namespace intake
