// `station analyze` as a user runs it, on the generated test pages (scripts/pagegen.py,
// tests preset: a multi-page TIFF of letters at known skew and orientation, blank backs,
// hard non-blank pages and barcode sheets) compared with their ground truth.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_metrics.h"

namespace intake {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class AnalyzeTest : public ::testing::Test {
 protected:
  testing::CommandResult Station(std::vector<std::string> args) {
    args.insert(args.begin(), STATION_BINARY);
    return testing::RunCommand(args,
                               {{"HOME", home_.path()}, {"XDG_CONFIG_HOME", ""},
                                {"XDG_DATA_HOME", ""}, {"STATION_CONFIG", ""}},
                               300);
  }
  static json Manifest() {
    std::ifstream in(std::string(INTAKE_TEST_PAGES_DIR) + "/manifest.json");
    return json::parse(in);
  }
  testing::ScopedTempDir home_;
};

TEST_F(AnalyzeTest, MultiPageTiffComesOutUprightStraightAndReadAsTheGroundTruthSays) {
  const json truth = Manifest()["pages"];
  auto r = Station({"analyze", "--json", "--jobs", "2",
                    std::string(INTAKE_TEST_PAGES_DIR) + "/all.tif"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  const json& pages = out["pages"];
  ASSERT_EQ(pages.size(), truth.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    const json& t = truth[i];
    const json& p = pages[i];
    const std::string kind = t["kind"];
    SCOPED_TRACE("page " + std::to_string(i + 1) + " (" + kind + ")");
    EXPECT_EQ(p["source"], "all.tif");
    EXPECT_EQ(p["source_page"], i + 1);
    EXPECT_TRUE(p["error"].is_null());
    EXPECT_EQ(p["blank"], t["blank"]);
    const bool has_text = !t["text"].get<std::string>().empty();
    if (has_text) {
      EXPECT_EQ(p["orientation"]["degrees"], t["orientation"]);
    } else {
      EXPECT_EQ(p["orientation"]["degrees"], 0);  // nothing to read: never turned
    }
    if (kind == "letter") {
      EXPECT_NEAR(p["skew_degrees"].get<double>(), t["skew_degrees"].get<double>(), 0.15);
      EXPECT_LE(testing::CharacterErrorRate(t["text"].get<std::string>(),
                                            p["text"].get<std::string>()),
                0.03)
          << p["text"];
    }
    if (t["blank"].get<bool>()) {
      EXPECT_EQ(p["text"], "");
    }
    std::vector<std::string> want, got;
    for (const auto& b : t["barcodes"]) want.push_back(b["text"]);
    for (const auto& b : p["barcodes"]) got.push_back(b["text"]);
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(out["summary"]["pages"], truth.size());
  EXPECT_EQ(out["summary"]["failed"], 0);
}

TEST_F(AnalyzeTest, BadFilesAreReportedByNameWhileTheOtherPagesAreAnalysed) {
  testing::WriteFile(home_.Sub("tom.png"), "");
  testing::WriteFile(home_.Sub("halv.png"), "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00");
  auto r = Station({"analyze", "--json", "--no-ocr", home_.Sub("tom.png"),
                    std::string(INTAKE_TEST_PAGES_DIR) + "/p008.png", home_.Sub("halv.png"),
                    home_.Sub("findes-ikke.tif")});
  EXPECT_EQ(r.exit_code, 3);
  const json out = json::parse(r.out);
  ASSERT_EQ(out["pages"].size(), 4u);
  EXPECT_THAT(out["pages"][0]["error"].get<std::string>(), HasSubstr("tom.png"));
  EXPECT_TRUE(out["pages"][1]["error"].is_null());
  EXPECT_TRUE(out["pages"][1]["blank"].get<bool>());
  EXPECT_THAT(out["pages"][2]["error"].get<std::string>(), HasSubstr("halv.png"));
  EXPECT_THAT(out["pages"][3]["error"].get<std::string>(), HasSubstr("findes-ikke.tif"));
  EXPECT_THAT(r.err, HasSubstr("3 sider kunne ikke behandles"));
}

TEST_F(AnalyzeTest, HumanReadableSummaryNamesEveryFindingInDanish) {
  auto r = Station({"analyze", std::string(INTAKE_TEST_PAGES_DIR) + "/p010.png",
                    std::string(INTAKE_TEST_PAGES_DIR) + "/p013.png"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Side 1 af 2 — p010.png, side 1 (300 dpi)"));
  EXPECT_THAT(r.out, HasSubstr("Orientering: vendt 180° med uret"));
  EXPECT_THAT(r.out, HasSubstr("Tak for hjælpen"));
  EXPECT_THAT(r.out, HasSubstr("QRCode \"INTAKE:SEP:1\""));
  EXPECT_THAT(r.out, HasSubstr("2 sider analyseret"));
}

TEST_F(AnalyzeTest, MissingLanguagePackIsADeviceErrorNamingThePackage) {
  auto r = Station({"analyze", "--lang", "xyz", std::string(INTAKE_TEST_PAGES_DIR) + "/p008.png"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.err, HasSubstr("tesseract-ocr-xyz"));
}

}  // namespace
}  // namespace intake
