// `station convert` as a user runs it: the generated test pages (a multi-page TIFF) into
// one PDF/A-2b, checked with independent tools (qpdf, poppler-utils, the PDF/A checker),
// and the guarantee that a failed conversion leaves no file behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_metrics.h"

namespace intake {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

const std::string kPages = INTAKE_TEST_PAGES_DIR;

class ConvertTest : public ::testing::Test {
 protected:
  testing::CommandResult Station(std::vector<std::string> args) {
    args.insert(args.begin(), STATION_BINARY);
    return testing::RunCommand(args,
                               {{"HOME", home_.path()}, {"XDG_CONFIG_HOME", ""},
                                {"XDG_DATA_HOME", ""}, {"STATION_CONFIG", ""}},
                               300);
  }
  static testing::CommandResult Tool(std::vector<std::string> args) {
    return testing::RunCommand(args, {}, 120);
  }
  testing::ScopedTempDir home_;
};

TEST_F(ConvertTest, TestPagesBecomeOneValidSearchablePdfA2b) {
  const std::string out = home_.Sub("post.pdf");
  const std::string report = home_.Sub("rapport.json");
  auto r = Station({"convert", kPages + "/all.tif", "-o", out, "--json", report});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("15 sider"));

  // Independent structural checks.
  EXPECT_EQ(Tool({"/usr/bin/qpdf", "--check", out}).exit_code, 0);
  auto check = Tool({"/usr/bin/python3", std::string(INTAKE_SOURCE_DIR) + "/scripts/pdfa_check.py",
                     out});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  auto meta = Tool({"/usr/bin/pdfinfo", "-meta", out});
  EXPECT_THAT(meta.out, HasSubstr("<pdfaid:part>2</pdfaid:part>"));
  EXPECT_THAT(meta.out, HasSubstr("<pdfaid:conformance>B</pdfaid:conformance>"));
  EXPECT_THAT(meta.out, ::testing::Not(HasSubstr("Unknown Metadata type")));
  auto info = Tool({"/usr/bin/pdfinfo", out});
  EXPECT_THAT(info.out, HasSubstr("Pages:           15"));
  EXPECT_THAT(info.out, HasSubstr("Title:           post"));
  auto fonts = Tool({"/usr/bin/pdffonts", out});
  EXPECT_THAT(fonts.out, ::testing::Not(HasSubstr(" no ")));  // every font embedded

  // Text pages are stored as CCITT G4 bilevel images.
  auto images = Tool({"/usr/bin/pdfimages", "-list", out});
  EXPECT_THAT(images.out, HasSubstr("ccitt"));

  // Every letter's text layer reads back as the ground truth says, page by page.
  std::ifstream manifest_file(kPages + "/manifest.json");
  const json truth = json::parse(manifest_file)["pages"];
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i]["kind"] != "letter") continue;
    const std::string n = std::to_string(i + 1);
    auto text = Tool({"/usr/bin/pdftotext", "-raw", "-enc", "UTF-8", "-f", n, "-l", n, out, "-"});
    EXPECT_LE(testing::CharacterErrorRate(truth[i]["text"].get<std::string>(), text.out), 0.03)
        << "page " << n << ":\n" << text.out;
  }

  const json rep = json::parse(testing::ReadFile(report));
  EXPECT_TRUE(rep["ok"].get<bool>());
  ASSERT_EQ(rep["pages"].size(), 15u);
  EXPECT_EQ(rep["pages"][0]["pdf_encoding"], "ccitt_g4");
  EXPECT_EQ(rep["bytes"], std::filesystem::file_size(out));
}

TEST_F(ConvertTest, ABadPageLeavesNoFileAndNamesThePage) {
  const std::string out = home_.Sub("dokument.pdf");
  testing::WriteFile(out, "den gamle fil");
  testing::WriteFile(home_.Sub("beskadiget.png"), "\x89PNG\r\n\x1a\nskrammel");
  auto r = Station({"convert", kPages + "/p001.png", home_.Sub("beskadiget.png"), "-o", out,
                    "--no-ocr"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("beskadiget.png"));
  EXPECT_THAT(r.err, HasSubstr("Ingen PDF skrevet"));
  EXPECT_EQ(testing::ReadFile(out), "den gamle fil");  // untouched
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(home_.path())) {
    files += e.path().filename().string().find(".tmp") != std::string::npos ? 100 : 1;
  }
  EXPECT_LT(files, 100);  // no temporary file left
}

TEST_F(ConvertTest, RefusesAnOutputThatIsNotAPdfOrInAMissingFolder) {
  auto wrong = Station({"convert", kPages + "/p008.png", "-o", home_.Sub("x.tif")});
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_THAT(wrong.err, HasSubstr(".pdf"));
  auto missing = Station({"convert", kPages + "/p008.png", "-o", home_.Sub("findes/ikke.pdf")});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(home_.Sub("findes")));
}

TEST_F(ConvertTest, AColourPageIsStoredAsColourJpegAtThePhotoResolution) {
  const std::string out = home_.Sub("kort.pdf");
  auto r = Station({"convert", std::string(INTAKE_SHARED_DIR) + "/testdata/scans/baiona.png",
                    "-o", out, "--dpi", "300", "--no-ocr"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto images = Tool({"/usr/bin/pdfimages", "-list", out});
  EXPECT_THAT(images.out, HasSubstr("jpeg"));
  EXPECT_THAT(images.out, HasSubstr("rgb"));
  EXPECT_THAT(images.out, HasSubstr(" 200   200 "));  // x-ppi and y-ppi
  auto check = Tool({"/usr/bin/python3", std::string(INTAKE_SOURCE_DIR) + "/scripts/pdfa_check.py",
                     out});
  EXPECT_EQ(check.exit_code, 0) << check.out;
}

}  // namespace
}  // namespace intake
