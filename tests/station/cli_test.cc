// The command line in-process: parsing, exit codes and output of each command.
#include "station/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

#include "station/exit_code.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using ::testing::HasSubstr;

class CliTest : public ::testing::Test {
 protected:
  int RunCli(std::vector<std::string> args) {
    args.insert(args.begin(), "station");
    out_.str("");
    err_.str("");
    return station::Run(args, out_, err_, env_);
  }

  void SetUp() override {
    env_.home = home_.path();
    env_.hostname = "testvaert";
  }

  testing::ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, HelpListsCommandsInDanishAndExitsOk) {
  EXPECT_EQ(RunCli({"--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Brug:"));
  EXPECT_THAT(out_.str(), HasSubstr("config"));
  EXPECT_THAT(out_.str(), HasSubstr("status"));
  EXPECT_THAT(out_.str(), HasSubstr("Afslutningskoder"));
}

TEST_F(CliTest, SubcommandHelpWorks) {
  EXPECT_EQ(RunCli({"config", "check", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("FILE"));
}

TEST_F(CliTest, VersionNamesTheStationAndItsLibraries) {
  EXPECT_EQ(RunCli({"--version"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("station 0."));
  EXPECT_THAT(out_.str(), HasSubstr("Tesseract"));
  EXPECT_THAT(out_.str(), HasSubstr("libharu"));
  EXPECT_THAT(out_.str(), HasSubstr("SQLite"));
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCli({}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("station --help"));
  EXPECT_EQ(RunCli({"--no-such-option", "status"}), kExitUsage);
  EXPECT_EQ(RunCli({"frobnicate"}), kExitUsage);
  EXPECT_EQ(RunCli({"config", "check"}), kExitUsage);  // FILE missing
  EXPECT_EQ(RunCli({"--log-level", "loud", "status"}), kExitUsage);
}

TEST_F(CliTest, ConfigCheckAcceptsAValidFile) {
  testing::WriteFile(home_.Sub("ok.toml"), "[ocr]\nworkers = 2\n");
  EXPECT_EQ(RunCli({"config", "check", home_.Sub("ok.toml")}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("konfigurationen er gyldig"));
}

TEST_F(CliTest, ConfigCheckReportsEveryErrorWithInputExitCode) {
  const std::string path = home_.Sub("station.toml");
  testing::WriteFile(path,
                     "[ocr]\nworkers = \"two\"\n\n[scanner.profiles.post]\nsorce = "
                     "\"duplex\"\ndpi = 5000\n");
  EXPECT_EQ(RunCli({"config", "check", path}), kExitInput);
  const std::string err = err_.str();
  EXPECT_THAT(err, HasSubstr(path + ":2:"));
  EXPECT_THAT(err, HasSubstr(path + ":5:"));
  EXPECT_THAT(err, HasSubstr(path + ":6:"));
  EXPECT_THAT(err, HasSubstr("3 fejl"));
}

TEST_F(CliTest, ConfigCheckJsonListsIssues) {
  const std::string path = home_.Sub("station.toml");
  testing::WriteFile(path, "[ocr]\nworkers = 100\n");
  EXPECT_EQ(RunCli({"config", "check", "--json", path}), kExitInput);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_FALSE(j["ok"].get<bool>());
  ASSERT_EQ(j["issues"].size(), 1u);
  EXPECT_EQ(j["issues"][0]["line"], 2);
  EXPECT_EQ(j["issues"][0]["key"], "ocr.workers");
}

TEST_F(CliTest, ConfigCheckReportsAnOcrLanguageThatIsNotInstalled) {
  const std::string path = home_.Sub("station.toml");
  testing::WriteFile(path, "[ocr]\nlanguages = \"dan+xyz\"\n");
  EXPECT_EQ(RunCli({"config", "check", path}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("ocr.languages"));
  EXPECT_THAT(err_.str(), HasSubstr("tesseract-ocr-xyz"));
}

TEST_F(CliTest, ConfigCheckOfMissingFileIsAnInputError) {
  EXPECT_EQ(RunCli({"config", "check", home_.Sub("missing.toml")}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("filen findes ikke"));
}

TEST_F(CliTest, ConfigShowPrintsEffectiveDefaultsThatCheckAccepts) {
  EXPECT_EQ(RunCli({"config", "show"}), kExitOk);
  const std::string shown = out_.str();
  EXPECT_THAT(shown, HasSubstr("indbyggede standardværdier"));
  EXPECT_THAT(shown, HasSubstr("data_dir = '" + home_.path() + "/.local/share/intake-station'"));
  EXPECT_THAT(shown, HasSubstr("id = 'testvaert'"));
  testing::WriteFile(home_.Sub("shown.toml"), shown);
  EXPECT_EQ(RunCli({"config", "check", home_.Sub("shown.toml")}), kExitOk) << err_.str();
}

TEST_F(CliTest, ConfigShowJsonUsesTheGivenFile) {
  testing::WriteFile(home_.Sub("c.toml"), "[ocr]\nlanguages = \"dan+eng\"\n");
  EXPECT_EQ(RunCli({"--config", home_.Sub("c.toml"), "config", "show", "--json"}), kExitOk);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["ocr"]["languages"], "dan+eng");
  EXPECT_EQ(j["source"], home_.Sub("c.toml"));
}

TEST_F(CliTest, BadConfigFileStopsOtherCommandsWithInputError) {
  testing::WriteFile(home_.Sub("bad.toml"), "[ocr]\nworkers = \"x\"\n");
  EXPECT_EQ(RunCli({"--config", home_.Sub("bad.toml"), "status"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("bad.toml:2:"));
  EXPECT_THAT(err_.str(), HasSubstr("station config check"));
}

TEST_F(CliTest, StatusCreatesTheDataDirectory) {
  EXPECT_EQ(RunCli({"status"}), kExitOk) << err_.str();
  const std::string data_dir = home_.path() + "/.local/share/intake-station";
  EXPECT_TRUE(std::filesystem::is_directory(data_dir));
  EXPECT_THAT(out_.str(), HasSubstr(data_dir + " (skrivbar)"));
  EXPECT_EQ(RunCli({"status", "--json"}), kExitOk);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["data_dir"], data_dir);
  EXPECT_TRUE(j["data_dir_writable"].get<bool>());
}

TEST_F(CliTest, StatusReportsAnUnwritableDataDirectoryAsDataError) {
  testing::WriteFile(home_.Sub("c.toml"), "[station]\ndata_dir = \"/proc/intake\"\n");
  EXPECT_EQ(RunCli({"--config", home_.Sub("c.toml"), "status"}), kExitData);
  EXPECT_THAT(err_.str(), HasSubstr("/proc/intake"));
}

TEST_F(CliTest, ErrorStreamMasksCprNumbers) {
  testing::WriteFile(home_.Sub("c.toml"), "[station]\nlog_level = \"0101901234\"\n");
  EXPECT_EQ(RunCli({"config", "check", home_.Sub("c.toml")}), kExitInput);
  EXPECT_THAT(err_.str(), ::testing::Not(HasSubstr("0101901234")));
  EXPECT_THAT(err_.str(), HasSubstr("XXXXXX-XXXX"));
}

}  // namespace
}  // namespace intake::station
