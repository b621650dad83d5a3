// Case references in OCR text (station/case_ref_finder.h) with the default SBSYS and KK
// patterns: as written, with OCR confusions repaired, with their cue, and what is not one.
#include "station/case_ref_finder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake::station {
namespace {

using ::testing::HasSubstr;

CaseRefFinder DefaultFinder() {
  auto finder = CaseRefFinder::Create(config::Defaults().case_numbers);
  EXPECT_TRUE(finder) << finder.error().message();
  return std::move(*finder);
}

std::vector<std::string> References(const std::string& text) {
  std::vector<std::string> out;
  for (const CaseRefFinding& f : DefaultFinder().Find(text))
    out.push_back(f.system + " " + f.reference);
  return out;
}

TEST(CaseRefFinder, FindsReferencesAsWrittenWithTheirCueAndPosition) {
  const std::string text =
      "Vedr.: Deres j.nr.: 27.24.00-G01-5-19 og kommunens sagsnr. 2024-0123456.\n";
  const std::vector<CaseRefFinding> found = DefaultFinder().Find(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].system, "SBSYS");
  EXPECT_EQ(found[0].reference, "27.24.00-G01-5-19");
  EXPECT_EQ(found[0].repairs, 0);
  EXPECT_EQ(found[0].cue, "Deres j.nr.");
  EXPECT_EQ(text.substr(found[0].begin, found[0].end - found[0].begin), "27.24.00-G01-5-19");
  EXPECT_EQ(found[1].system, "KK");
  EXPECT_EQ(found[1].reference, "2024-0123456");
  EXPECT_EQ(found[1].cue, "kommunens sagsnr.");
  EXPECT_EQ(text.substr(found[1].begin, found[1].end - found[1].begin), "2024-0123456");
}

TEST(CaseRefFinder, RepairsOcrConfusionsAndCountsTheRepairs) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"27.24.OO-G01-5-19", "SBSYS 27.24.00-G01-5-19"},  // O for 0
      {"27.24.00-g0l-5-19", "SBSYS 27.24.00-G01-5-19"},  // lower-case facet, l for 1
      {"27.2B.00-G01-S-19", "SBSYS 27.28.00-G01-5-19"},  // B for 8, S for 5
      {"2O24-Ol23456", "KK 2024-0123456"},               // O and l
      {"2024\u20130123456", "KK 2024-0123456"},          // an en dash
      {"2024\u22120I23456", "KK 2024-0123456"},          // a minus sign and I for 1
  };
  for (const auto& [written, expected] : cases) {
    const std::vector<CaseRefFinding> found = DefaultFinder().Find("Sagsnr. " + written + ".");
    ASSERT_EQ(found.size(), 1u) << written;
    EXPECT_EQ(found[0].system + " " + found[0].reference, expected) << written;
    EXPECT_GT(found[0].repairs, 0) << written;
    EXPECT_EQ(found[0].as_written, written);
  }
}

TEST(CaseRefFinder, NumbersThatAreNotCaseReferencesAreNotFound) {
  for (const std::string text :
       {"Tlf. 12 34 56 78", "den 11.01.2012", "CPR-nr. 010190-1234", "Beløb 1.250.000 kr.",
        "27.24.00-G01", "2024-012345", "12024-0123456", "2024-01234567", "27.24.00-G01-5-199",
        "Reg.nr. 1234 konto 0001234567", "OOOO-OOOOOOO"}) {
    EXPECT_TRUE(References(text).empty())
        << text << ": " << ::testing::PrintToString(References(text));
  }
}

TEST(CaseRefFinder, AWordMatchingTwoSystemsIsListedForBoth) {
  std::vector<config::CaseNumberPattern> patterns = config::Defaults().case_numbers;
  patterns.push_back({"ACADRE", R"(\d{4}-\d{7})", "2024-0123456"});
  auto finder = CaseRefFinder::Create(patterns);
  ASSERT_TRUE(finder);
  const std::vector<CaseRefFinding> found = finder->Find("j.nr. 2024-0123456");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].system, "KK");
  EXPECT_EQ(found[1].system, "ACADRE");
}

TEST(CaseRefFinder, ABadPatternIsRefusedNamingTheSystem) {
  auto finder = CaseRefFinder::Create({{"ESDH1", "\\d{2}(\\.\\d{2}", ""}});
  ASSERT_FALSE(finder);
  EXPECT_EQ(finder.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(finder.error().message(), HasSubstr("ESDH1"));
}

TEST(CaseRefFinder, EmptyAndGarbageTextGiveNothing) {
  EXPECT_TRUE(References("").empty());
  EXPECT_TRUE(References("\xff\xfe\x80 123 \xC3").empty());
  EXPECT_TRUE(References("- - . / 2024- -0123456").empty());
}

}  // namespace
}  // namespace intake::station
