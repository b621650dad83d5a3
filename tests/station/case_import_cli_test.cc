// `station case import FILE` in-process, on a temporary home directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "config/loader.h"
#include "station/cli.h"
#include "station/exit_code.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CaseImportCliTest : public ::testing::Test {
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

  int Import(const std::string& name, const std::string& content,
             std::vector<std::string> extra = {}) {
    const std::string path = home_.Sub(name);
    testing::WriteFile(path, content);
    std::vector<std::string> args = {"case", "import", path};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  }
  std::vector<std::string> References() {
    EXPECT_EQ(RunCli({"case", "list", "--json"}), kExitOk);
    std::vector<std::string> refs;
    for (const auto& c : nlohmann::json::parse(out_.str())) refs.push_back(c["reference"]);
    return refs;
  }

  testing::ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CaseImportCliTest, ImportsEveryValidRowWithItsParty) {
  ASSERT_EQ(Import("sager.csv",
                   "system;sagsnummer;titel;status;cpr;partsnavn\n"
                   "SBSYS;27.24.00-G01-5-19;Byggesag om carport på Hegnsvej 4;åben;"
                   "070761-4285;Jens Hansen\n"
                   "SBSYS;27.24.00-G01-6-19;Byggesag om udestue på Hegnsvej 6;lukket;;\n"),
            kExitOk)
      << out_.str() << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("2 oprettet"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("4285")));
  EXPECT_EQ(References(), (std::vector<std::string>{"27.24.00-G01-5-19", "27.24.00-G01-6-19"}));
  ASSERT_EQ(RunCli({"case", "show", "27.24.00-G01-5-19"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Jens Hansen (person, 070761-XXXX), part"));
}

TEST_F(CaseImportCliTest, ReimportingSkipsKnownCasesAndTakesOverAChangedStatus) {
  const std::string header = "system;sagsnummer;titel;status\n";
  ASSERT_EQ(Import("a.csv", header + "SBSYS;27.24.00-G01-5-19;Byggesag om carport;åben\n"),
            kExitOk);
  ASSERT_EQ(Import("a.csv", header + "SBSYS;27.24.00-G01-5-19;Byggesag om carport;lukket\n"),
            kExitOk)
      << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("status ændret fra åben til lukket"));
  ASSERT_EQ(Import("a.csv", header + "SBSYS;27.24.00-G01-5-19;Byggesag om carport;lukket\n"),
            kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("uændret"));
}

TEST_F(CaseImportCliTest, BadRowsAreReportedByLineAndTheValidOnesKept) {
  const int code = Import(
      "sager.csv",
      "system;sagsnummer;titel;cpr;partsnavn\n"
      "SBSYS;27.24.00-G01-5-19;Byggesag om carport på Hegnsvej 4;;\n"   // line 2: ok
      "SBSYS;27.24.00-G01-5-19;Samme sag igen;;\n"                       // 3: duplicate
      "SBSYS;27.24.00-G01-7-19;Byggesag om garage;320190-1234;Ida\n"     // 4: invalid CPR
      "SBSYS;;Sag uden nummer;;\n"                                       // 5: missing
      "SBSYS;27.24.00-G01-8-19;Byggesag om skur ved Søvej 2;;\n");       // 6: ok
  EXPECT_EQ(code, kExitInput) << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("linje 3: FEJL"));
  EXPECT_THAT(out_.str(), HasSubstr("linje 4: FEJL"));
  EXPECT_THAT(out_.str(), HasSubstr("linje 5: FEJL"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("320190-1234")));
  EXPECT_THAT(out_.str(), HasSubstr("2 oprettet"));
  EXPECT_THAT(out_.str(), HasSubstr("3 rækker med fejl"));
  EXPECT_THAT(err_.str(), HasSubstr("de gyldige rækker er gemt"));
  EXPECT_EQ(References(), (std::vector<std::string>{"27.24.00-G01-5-19", "27.24.00-G01-8-19"}));
}

TEST_F(CaseImportCliTest, AWrongDelimiterOrMissingColumnsFailTheFileClearly) {
  EXPECT_EQ(Import("pipes.csv",
                   "system|sagsnummer|titel\nSBSYS|27.24.00-G01-5-19|Byggesag om carport\n"),
            kExitInput);
  EXPECT_THAT(out_.str(), HasSubstr("FEJL"));
  EXPECT_EQ(Import("columns.csv", "system;titel\nSBSYS;Byggesag om carport\n"), kExitInput);
  EXPECT_THAT(out_.str(), HasSubstr("FEJL"));
  EXPECT_EQ(References().size(), 0u);
}

TEST_F(CaseImportCliTest, ALatin1FileIsReadAsSuch) {
  // "Byggesag på Søvej" in Latin-1 / Windows-1252.
  ASSERT_EQ(Import("latin1.csv",
                   "system;sagsnummer;titel\n"
                   "SBSYS;27.24.00-G01-5-19;Byggesag p\xe5 S\xf8vej 2 med tilbygning\n"),
            kExitOk)
      << out_.str();
  ASSERT_EQ(RunCli({"case", "show", "27.24.00-G01-5-19"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Byggesag på Søvej 2 med tilbygning"));
}

TEST_F(CaseImportCliTest, JsonRowsAreReportedByElement) {
  EXPECT_EQ(Import("sager.json",
                   R"([{"system":"SBSYS","reference":"27.24.00-G01-5-19","title":"Byggesag om carport"},
                       {"system":"SBSYS","title":"Uden sagsnummer"}])",
                   {"--json"}),
            kExitInput);
  const auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["created"], 1);
  EXPECT_EQ(j["failed_rows"], 1);
  bool element_2 = false;
  for (const auto& r : j["rows"]) element_2 |= r["row"] == 2 && r["outcome"] == "error";
  EXPECT_TRUE(element_2) << j.dump(2);
}

TEST_F(CaseImportCliTest, AMissingFileIsAnInputError) {
  EXPECT_EQ(RunCli({"case", "import", home_.Sub("findes-ikke.csv")}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("findes ikke"));
}

}  // namespace
}  // namespace intake::station
