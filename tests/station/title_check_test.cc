// The title-quality check (DOMAIN.md section 8) with the embedded default rules.
#include "station/title_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake::station {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const config::TitleRules& Rules() {
  static const config::TitleRules rules = config::Defaults().titles;
  return rules;
}

std::vector<TitleRule> RulesBroken(const std::string& title, const TitleContext& context = {}) {
  std::vector<TitleRule> out;
  for (const TitleProblem& p : CheckTitle(title, Rules(), context).problems) out.push_back(p.rule);
  return out;
}

TEST(TitleCheck, TellingTitlesPass) {
  for (const std::string title : {
           "Brev fra Mette Jensen af 11. januar 2026 om klage over afslag på boligstøtte",
           "Lægeerklæring fra Hvidovre Hospital af 3.2.2026 vedr. hjemmehjælp",
           "Ansøgning om tilskud til briller, ca. 4.500 kr., jf. servicelovens § 100",
           "Klage over afgørelse om handicapbil, j.nr. 27.24.00-G01-5-19",
           "Partshøring af Jens A. Hansen om nedsættelse af boligstøtte",
           "Indsigelse mod byggetilladelse til carport på Hegnsvej 4, bl.a. om skel",
           "Foto af fugtskade i køkken, fx ved vinduet",
       }) {
    const TitleCheck check = CheckTitle(title, Rules());
    EXPECT_TRUE(check.accepted()) << title << ": "
                                  << (check.problems.empty() ? "" : check.problems[0].message);
    EXPECT_EQ(check.title, title);
  }
}

TEST(TitleCheck, VagueTitlesAreRefusedWithAnExample) {
  for (const std::string title :
       {"Brev", "Borgerbrev", "Diverse", "Scannet dokument", "Brev fra borger", "Klage",
        "Ansøgning", "BREV", "Brev af 11. januar 2026", "Klage fra borgeren",
        "Henvendelse fra borger af 3.1.26", "Notat.", "Diverse - 2026-01-11"}) {
    const TitleCheck check = CheckTitle(title, Rules());
    ASSERT_FALSE(check.accepted()) << title;
    bool vague = false;
    for (const TitleProblem& p : check.problems) {
      if (p.rule == TitleRule::kVague) {
        vague = true;
        EXPECT_THAT(p.message, HasSubstr("siger ikke, hvad dokumentet handler om"));
        EXPECT_THAT(p.message, HasSubstr("fx «Brev fra"));
      }
    }
    EXPECT_TRUE(vague) << title;
  }
  // A vague word with content is not vague.
  EXPECT_THAT(RulesBroken("Klage over afslag på boligstøtte"),
              Not(testing::Contains(TitleRule::kVague)));
}

TEST(TitleCheck, HomeMadeAbbreviationsAreRefusedAndStandardOnesPass) {
  for (const std::string word : {"henv.", "sagsb.", "ans.", "bev.", "borg.", "afg.", "beh."}) {
    const std::string title = "Brev fra Jens Hansen om " + word + " af boligstøtte";
    EXPECT_THAT(RulesBroken(title), testing::ElementsAre(TitleRule::kHomeMadeAbbreviation))
        << title;
  }
  for (const std::string word : {"ca.", "f.eks.", "fx", "hhv.", "m.fl.", "bl.a.", "kr.", "j.nr.",
                                 "mht.", "mv.", "pga.", "vedr.", "evt.", "EU", "CPR"}) {
    const std::string title = "Brev fra Jens Hansen om boligstøtte " + word + " husleje";
    EXPECT_TRUE(RulesBroken(title).empty()) << title;
  }
  // The final full stop is punctuation; a person's initial is not an abbreviation.
  EXPECT_TRUE(RulesBroken("Brev fra Jens Hansen om hegn.").empty());
  EXPECT_TRUE(RulesBroken("Brev fra Jens A. Hansen om hegnet").empty());
}

TEST(TitleCheck, AbbreviationsWithoutTheirDotsAreRefusedNamingTheRightForm) {
  for (const auto& [word, proper] : std::vector<std::pair<std::string, std::string>>{
           {"vedr", "vedr."}, {"ang", "ang."}, {"bla", "bl.a."}, {"evt", "evt."}}) {
    const TitleCheck check =
        CheckTitle("Brev fra Jens Hansen " + word + " boligstøtte og husleje", Rules());
    ASSERT_EQ(check.problems.size(), 1u) << word;
    EXPECT_EQ(check.problems[0].rule, TitleRule::kMissingDot);
    EXPECT_THAT(check.problems[0].message, HasSubstr("skrives «" + proper + "»"));
  }
}

TEST(TitleCheck, ChatShorthandIsRefused) {
  EXPECT_THAT(RulesBroken("Mail fra Jens Hansen om boligstøtte, mvh"),
              testing::ElementsAre(TitleRule::kChatShorthand));
  EXPECT_THAT(RulesBroken("Svar på partshøring ASAP om boligstøtte"),
              testing::ElementsAre(TitleRule::kChatShorthand));
}

TEST(TitleCheck, EmailPrefixesAndFileExtensionsAreStrippedAndNoted) {
  const TitleCheck check =
      CheckTitle("SV: VS: Fwd:  Klage over afslag på boligstøtte.pdf", Rules());
  EXPECT_EQ(check.title, "Klage over afslag på boligstøtte");
  EXPECT_TRUE(check.accepted());
  ASSERT_EQ(check.changes.size(), 4u);
  EXPECT_THAT(check.changes[0], HasSubstr("«SV:» fjernet"));
  EXPECT_THAT(check.changes[3], HasSubstr("filendelsen «.pdf» fjernet"));
}

TEST(TitleCheck, FileNamesDigitsAndDatesAloneAreRefused) {
  for (const std::string title :
       {"IMG_1234", "Scan_20240111_0001", "scan0001.pdf", "DSC01234.JPG", "Dokument 17"}) {
    EXPECT_THAT(RulesBroken(title), testing::Contains(TitleRule::kFileName)) << title;
  }
  for (const std::string title :
       {"2026-01-11", "11. januar 2026", "2024-0123456 11.01.2026", "27.24.00-G01 - 12"}) {
    EXPECT_THAT(RulesBroken(title), testing::Contains(TitleRule::kNoWords)) << title;
  }
}

TEST(TitleCheck, ACprNumberInTheTitleIsRefusedWithoutQuotingIt) {
  for (const std::string title :
       {"Brev fra Jens Hansen 010190-1234 om boligstøtte", "Klage, cpr 0101901234, over afslag"}) {
    const TitleCheck check = CheckTitle(title, Rules());
    ASSERT_EQ(check.problems.size(), 1u) << title;
    EXPECT_EQ(check.problems[0].rule, TitleRule::kCprNumber);
    EXPECT_THAT(check.problems[0].message, Not(HasSubstr("010190")));
    EXPECT_THAT(check.problems[0].message, Not(HasSubstr("1234")));
  }
}

TEST(TitleCheck, LengthLimitsComeFromTheRules) {
  EXPECT_THAT(RulesBroken("Hegn og skel"), testing::Contains(TitleRule::kTooShort));
  const std::string long_title = "Klage over afslag på boligstøtte " + std::string(300, 'x');
  EXPECT_THAT(RulesBroken(long_title), testing::Contains(TitleRule::kTooLong));
  config::TitleRules strict = Rules();
  strict.min_length = 40;
  EXPECT_FALSE(CheckTitle("Klage over afslag på boligstøtte", strict).accepted());
  // Characters, not bytes: æ ø å count once.
  strict.min_length = 10;
  EXPECT_TRUE(CheckTitle("Æblehøstår", strict).accepted());
}

TEST(TitleCheck, AnImageOnlyDocumentNeedsADescription) {
  TitleContext photo;
  photo.image_only = true;
  EXPECT_THAT(RulesBroken("Foto af fugtskade i køkkenet på Hegnsvej 4", photo),
              testing::ElementsAre(TitleRule::kDescriptionRequired));
  photo.description = "Sort skimmel under vinduet, ca. 1 m²";
  EXPECT_TRUE(RulesBroken("Foto af fugtskade i køkkenet på Hegnsvej 4", photo).empty());
  photo.description = "   ";
  EXPECT_FALSE(RulesBroken("Foto af fugtskade i køkkenet på Hegnsvej 4", photo).empty());
}

TEST(TitleCheck, EveryRuleHasAStableName) {
  EXPECT_EQ(TitleRuleName(TitleRule::kVague), "intetsigende");
  EXPECT_EQ(TitleRuleName(TitleRule::kCprNumber), "cpr_nummer");
  EXPECT_EQ(TitleRuleName(TitleRule::kDescriptionRequired), "beskrivelse_mangler");
}

}  // namespace
}  // namespace intake::station
