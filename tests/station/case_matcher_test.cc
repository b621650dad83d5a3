// Case proposals and the party cross-check (station/case_matcher.h) against a real SQLite
// journal in a temporary directory, with synthetic CPR and CVR numbers.
#include "station/case_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "base/cpr_mask.h"
#include "base/danish_ids.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using storage::CaseStatus;
using storage::PartyKind;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// A CPR number born on `ddmmyy` (19xx) that passes modulus 11: the first serial from
// `first` on that does. Synthetic: whether it was ever issued does not matter here.
std::string ValidCpr(const std::string& ddmmyy, int first) {
  for (int serial = first; serial < 4000; ++serial) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d", serial);
    const std::string number = ddmmyy + buffer;
    if (CheckCpr(number, {}).verdict == CprCheck::Verdict::kValid) return number;
  }
  ADD_FAILURE() << "no valid serial for " << ddmmyy;
  return "";
}

// A CVR number starting with the seven digits `prefix` that passes the check.
std::string ValidCvr(const std::string& prefix) {
  for (char last = '0'; last <= '9'; ++last) {
    if (CheckCvr(prefix + last)) return prefix + last;
  }
  return ValidCvr(std::to_string(std::stoi(prefix) + 1));
}

// "DDMMYY-SSSS".
std::string Written(const std::string& cpr) { return cpr.substr(0, 6) + "-" + cpr.substr(6); }

class CaseMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::JournalOptions o;
    o.database_path = dir_.Sub("data/journal.sqlite3");
    o.file_store_dir = dir_.Sub("data/files");
    o.key_file = dir_.Sub("data/keys/party.key");
    o.anchor_file = dir_.Sub("data/audit.anchor");
    o.idle_maintenance_ms = 0;
    auto j = storage::OpenSqliteJournal(o);
    ASSERT_TRUE(j) << j.error().ToString();
    journal_ = std::move(*j);
    auto m = CaseMatcher::Create(config_);
    ASSERT_TRUE(m) << m.error().ToString();
    matcher_ = std::make_unique<CaseMatcher>(std::move(*m));
  }

  // A case with parties given as (kind, name, number).
  int64_t AddCase(const std::string& system, const std::string& reference,
                  const std::vector<storage::NewCaseParty>& parties = {},
                  CaseStatus status = CaseStatus::kOpen) {
    storage::NewCase c;
    c.system = system;
    c.reference = reference;
    c.title = "Ansøgning om boligstøtte, " + reference;
    c.status = status;
    auto r = journal_->AddCaseWithParties(c, parties, actor_);
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? r->id : 0;
  }

  static storage::NewCaseParty Person(const std::string& name, const std::string& cpr) {
    return storage::NewCaseParty{PartyKind::kPerson, name, cpr, "part"};
  }
  static storage::NewCaseParty Company(const std::string& name, const std::string& cvr) {
    return storage::NewCaseParty{PartyKind::kCompany, name, cvr, "part"};
  }

  CaseProposal Propose(const std::string& text, const std::optional<CoverCase>& cover = {}) {
    auto p = matcher_->Propose(text, cover, *journal_, everyone_);
    EXPECT_TRUE(p) << p.error().ToString();
    if (!p) return {};
    Remember(*p);
    return *p;
  }

  PartyCheck Check(const std::string& text, int64_t case_id) {
    auto c = matcher_->CheckParties(text, case_id, *journal_, everyone_);
    EXPECT_TRUE(c) << c.error().ToString();
    if (!c) return {};
    Remember(*c);
    return *c;
  }

  static const CaseCandidate* CandidateFor(const CaseProposal& p, int64_t case_id) {
    for (const CaseCandidate& c : p.candidates) {
      if (c.case_id == case_id) return &c;
    }
    return nullptr;
  }

  static std::string Joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  }

  // Every text the matcher produced in this test, for the personal-data check.
  void Remember(const CaseProposal& p) {
    for (const std::string& w : p.warnings) said_.push_back(w);
    for (const CaseCandidate& c : p.candidates) {
      for (const std::string& r : c.reasons) said_.push_back(r);
    }
  }
  void Remember(const PartyCheck& c) {
    for (const std::string& s : c.matched) said_.push_back(s);
    for (const std::string& s : c.messages) said_.push_back(s);
    for (const PartyMismatch& m : c.mismatches) {
      said_.push_back(m.reason);
      said_.push_back(m.masked);
    }
  }

  testing::ScopedTempDir dir_;
  config::Config config_ = config::Defaults();
  std::unique_ptr<storage::Journal> journal_;
  std::unique_ptr<CaseMatcher> matcher_;
  storage::Actor actor_{"anna"};
  storage::Viewer everyone_ = storage::Viewer::Everyone("anna");
  std::vector<std::string> said_;

  const std::string mette_ = ValidCpr("150785", 1000);
  const std::string ole_ = ValidCpr("220391", 1000);
  const std::string stranger_ = ValidCpr("030472", 2000);
  const std::string cvr_ = ValidCvr("1374813");
  const std::string other_cvr_ = ValidCvr("2512345");
};

// ---- the cover sheet ----

TEST_F(CaseMatcherTest, CoverSheetResolvingToOneCaseIsProposedWithFullConfidence) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal p =
      Propose("Kære kommune\nJeg skriver om min sag.", CoverCase{"SBSYS", "27.24.00-g01-5-19"});
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_EQ(p.candidates[0].case_id, id);
  EXPECT_DOUBLE_EQ(p.candidates[0].confidence, 1.0);
  EXPECT_THAT(p.candidates[0].reasons, Contains("forside: sag SBSYS 27.24.00-G01-5-19"));
  EXPECT_EQ(p.candidates[0].status, CaseStatus::kOpen);
  EXPECT_EQ(p.proposed_case_id, id);
  EXPECT_TRUE(p.warnings.empty()) << Joined(p.warnings);
}

TEST_F(CaseMatcherTest, UnknownCoverReferenceIsAWarningAndNothingIsProposed) {
  AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal p = Propose("Kære kommune", CoverCase{"SBSYS", "27.24.00-G01-6-19"});
  EXPECT_TRUE(p.candidates.empty());
  EXPECT_FALSE(p.proposed_case_id);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_THAT(p.warnings[0], AllOf(HasSubstr("27.24.00-G01-6-19"), HasSubstr("findes ikke")));
}

TEST_F(CaseMatcherTest, UnknownCoverBlocksTheProposalEvenWhenTheTextNamesACase) {
  const int64_t id = AddCase("KK", "2024-0123456");
  const CaseProposal p =
      Propose("Jeres sagsnr.: 2024-0123456", CoverCase{"SBSYS", "27.24.00-G01-6-19"});
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_EQ(p.candidates[0].case_id, id);
  EXPECT_FALSE(p.proposed_case_id);
  EXPECT_THAT(Joined(p.warnings), HasSubstr("Forsidens sag SBSYS 27.24.00-G01-6-19"));
}

TEST_F(CaseMatcherTest, CoverOfARestrictedCaseTheViewerMayNotSeeIsUnknown) {
  storage::NewCase c;
  c.system = "SBSYS";
  c.reference = "27.24.00-G01-5-19";
  c.title = "Børnesag med adgangsbegrænsning";
  c.restricted = true;
  c.access_group = "familieafdelingen";
  ASSERT_TRUE(journal_->AddCase(c, actor_));
  const storage::Viewer outsider{"bo", {"borgerservice"}, false};
  auto p = matcher_->Propose("", CoverCase{"SBSYS", "27.24.00-G01-5-19"}, *journal_, outsider);
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_TRUE(p->candidates.empty());
  EXPECT_FALSE(p->proposed_case_id);
  EXPECT_THAT(Joined(p->warnings), HasSubstr("findes ikke"));
}

// ---- references in the text ----

TEST_F(CaseMatcherTest, ReferenceAfterACueIsProposed) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal p = Propose("Vedr. ansøgning\nJeres sagsnr. 27.24.00-G01-5-19\n");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_DOUBLE_EQ(p.candidates[0].confidence, CaseMatcher::kReferenceWithCue);
  EXPECT_THAT(Joined(p.candidates[0].reasons),
              AllOf(HasSubstr("sagsnr."), HasSubstr("SBSYS 27.24.00-G01-5-19")));
  EXPECT_EQ(p.proposed_case_id, id);
}

TEST_F(CaseMatcherTest, ReferenceWithoutACueIsLowerButStillProposed) {
  const int64_t id = AddCase("KK", "2024-0123456");
  const CaseProposal p = Propose("Om 2024-0123456 skriver jeg følgende.");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_DOUBLE_EQ(p.candidates[0].confidence, CaseMatcher::kReference);
  EXPECT_LT(p.candidates[0].confidence, CaseMatcher::kReferenceWithCue);
  EXPECT_EQ(p.proposed_case_id, id);
}

TEST_F(CaseMatcherTest, ReferenceNeedingOcrRepairIsLowerAndOnlyAProposalToConfirm) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal p = Propose("Jeres sagsnr. 27.24.OO-G0l-5-19\n");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_EQ(p.candidates[0].case_id, id);
  EXPECT_LT(p.candidates[0].confidence, CaseMatcher::kReferenceWithCue);
  EXPECT_LT(p.candidates[0].confidence, CaseMatcher::kProposeAtLeast);
  EXPECT_THAT(Joined(p.candidates[0].reasons),
              AllOf(HasSubstr("27.24.OO-G0l-5-19"), HasSubstr("OCR"), HasSubstr("bekræft")));
  EXPECT_FALSE(p.proposed_case_id);
}

TEST_F(CaseMatcherTest, ReferenceUnknownToTheJournalIsAWarningNamingIt) {
  AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal p = Propose("Deres j.nr. 2024-0999999 og igen 2024-0999999.");
  EXPECT_TRUE(p.candidates.empty());
  EXPECT_FALSE(p.proposed_case_id);
  ASSERT_EQ(p.warnings.size(), 1u) << Joined(p.warnings);
  EXPECT_THAT(p.warnings[0], AllOf(HasSubstr("2024-0999999"), HasSubstr("findes ikke")));
}

TEST_F(CaseMatcherTest, ReferenceNamedTwiceCountsOnce) {
  AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal p =
      Propose("Sagsnr. 27.24.00-G01-5-19\n...\nMed henvisning til 27.24.00-G01-5-19.");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_DOUBLE_EQ(p.candidates[0].confidence, CaseMatcher::kReferenceWithCue);
  EXPECT_EQ(p.candidates[0].reasons.size(), 1u);
}

TEST_F(CaseMatcherTest, ReferenceInSeveralSystemsListsEveryOneAndProposesNone) {
  config_.case_numbers.push_back({"WZ", R"(20\d{2}-\d{7})", ""});
  auto m = CaseMatcher::Create(config_);
  ASSERT_TRUE(m);
  matcher_ = std::make_unique<CaseMatcher>(std::move(*m));
  const int64_t kk = AddCase("KK", "2024-0123456");
  const int64_t wz = AddCase("WZ", "2024-0123456");
  const CaseProposal p = Propose("Sagsnr.: 2024-0123456");
  ASSERT_EQ(p.candidates.size(), 2u);
  EXPECT_NE(CandidateFor(p, kk), nullptr);
  EXPECT_NE(CandidateFor(p, wz), nullptr);
  EXPECT_DOUBLE_EQ(p.candidates[0].confidence, p.candidates[1].confidence);
  EXPECT_FALSE(p.proposed_case_id);
}

TEST_F(CaseMatcherTest, CoverWithoutSystemInSeveralSystemsListsEveryOne) {
  const int64_t kk = AddCase("KK", "2024-0123456");
  const int64_t sbsys = AddCase("SBSYS", "2024-0123456");
  const CaseProposal p = Propose("", CoverCase{"", "2024-0123456"});
  ASSERT_EQ(p.candidates.size(), 2u);
  EXPECT_NE(CandidateFor(p, kk), nullptr);
  EXPECT_NE(CandidateFor(p, sbsys), nullptr);
  EXPECT_FALSE(p.proposed_case_id);
  EXPECT_THAT(Joined(p.warnings), HasSubstr("flere systemer"));
}

// ---- CPR and CVR numbers ----

TEST_F(CaseMatcherTest, CprLeadsToThePartysSingleOpenCase) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  AddCase("SBSYS", "27.24.00-G01-6-19", {Person("Mette Jensen", mette_)}, CaseStatus::kClosed);
  const CaseProposal p = Propose("Mette Jensen\nCPR-nr.: " + Written(mette_) + "\n");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_EQ(p.candidates[0].case_id, id);
  EXPECT_DOUBLE_EQ(p.candidates[0].confidence, CaseMatcher::kPartyOnlyCase);
  EXPECT_THAT(Joined(p.candidates[0].reasons),
              HasSubstr("CPR-nr. i brevet (" + mette_.substr(0, 6) + "-XXXX)"));
  // A number alone is not enough to file on (DOMAIN.md section 10.1).
  EXPECT_FALSE(p.proposed_case_id);
}

TEST_F(CaseMatcherTest, CprOfAPartyWithTwoOpenCasesListsBothAndProposesNone) {
  const int64_t a = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const int64_t b = AddCase("KK", "2024-0123456", {Person("Mette Jensen", mette_)});
  const CaseProposal p = Propose("CPR-nr. " + Written(mette_));
  ASSERT_EQ(p.candidates.size(), 2u);
  ASSERT_NE(CandidateFor(p, a), nullptr);
  ASSERT_NE(CandidateFor(p, b), nullptr);
  EXPECT_DOUBLE_EQ(CandidateFor(p, a)->confidence, CaseMatcher::kPartyOneOfSeveral);
  EXPECT_DOUBLE_EQ(CandidateFor(p, b)->confidence, CaseMatcher::kPartyOneOfSeveral);
  EXPECT_FALSE(p.proposed_case_id);
  EXPECT_THAT(Joined(p.warnings), HasSubstr("2 åbne sager"));
}

TEST_F(CaseMatcherTest, NumbersAloneNeverProposeEvenWhenTheyAgree) {
  const int64_t id =
      AddCase("KK", "2024-0123456", {Person("Mette Jensen", mette_), Person("Ole Hansen", ole_)});
  const CaseProposal p =
      Propose("CPR-nr. " + Written(mette_) + "\nog CPR-nr. " + Written(ole_) + "\n");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_EQ(p.candidates[0].case_id, id);
  EXPECT_GE(p.candidates[0].confidence, CaseMatcher::kProposeAtLeast);
  EXPECT_EQ(p.candidates[0].reasons.size(), 2u);
  EXPECT_FALSE(p.proposed_case_id);
}

TEST_F(CaseMatcherTest, CvrLeadsToTheCompanysCase) {
  const int64_t id = AddCase("KK", "2024-0123456", {Company("Byg & Bo ApS", cvr_)});
  const CaseProposal p = Propose("Byg & Bo ApS, CVR-nr. " + cvr_ + "\nVedr. byggeri");
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_EQ(p.candidates[0].case_id, id);
  EXPECT_THAT(Joined(p.candidates[0].reasons), HasSubstr("CVR-nr. i brevet (" + cvr_ + ")"));
}

TEST_F(CaseMatcherTest, NumberUnknownToTheJournalIsANote) {
  AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const CaseProposal p = Propose("CPR-nr. " + Written(stranger_));
  EXPECT_TRUE(p.candidates.empty());
  EXPECT_FALSE(p.proposed_case_id);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_THAT(p.warnings[0], AllOf(HasSubstr(stranger_.substr(0, 6) + "-XXXX"),
                                   HasSubstr("findes ikke som part")));
}

TEST_F(CaseMatcherTest, NumberWithANegativeCueIsNotEvidence) {
  AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const CaseProposal p = Propose("Kontonr. " + mette_ + "\n");
  EXPECT_TRUE(p.candidates.empty());
  EXPECT_TRUE(p.warnings.empty()) << Joined(p.warnings);
}

// ---- combining ----

TEST_F(CaseMatcherTest, CoverAndReferenceAgreeingRaiseTheConfidence) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19");
  const CaseProposal alone = Propose("Jeres sagsnr. 27.24.00-G01-5-19");
  const CaseProposal both =
      Propose("Jeres sagsnr. 27.24.00-G01-5-19", CoverCase{"SBSYS", "27.24.00-G01-5-19"});
  ASSERT_EQ(alone.candidates.size(), 1u);
  ASSERT_EQ(both.candidates.size(), 1u);
  EXPECT_GT(both.candidates[0].confidence, alone.candidates[0].confidence);
  EXPECT_EQ(both.candidates[0].reasons.size(), 2u);
  EXPECT_EQ(both.proposed_case_id, id);
  EXPECT_TRUE(both.warnings.empty()) << Joined(both.warnings);
}

TEST_F(CaseMatcherTest, ReferenceWithoutCueAndTheMatchingPartyRaiseEachOther) {
  const int64_t id = AddCase("KK", "2024-0123456", {Person("Mette Jensen", mette_)});
  const CaseProposal p = Propose("Om 2024-0123456.\nCPR-nr. " + Written(mette_));
  ASSERT_EQ(p.candidates.size(), 1u);
  EXPECT_GT(p.candidates[0].confidence, CaseMatcher::kReference);
  EXPECT_EQ(p.candidates[0].reasons.size(), 2u);
  EXPECT_EQ(p.proposed_case_id, id);
}

TEST_F(CaseMatcherTest, CoverAndReferenceDisagreeingWarnAndProposeNothing) {
  const int64_t a = AddCase("SBSYS", "27.24.00-G01-5-19");
  const int64_t b = AddCase("KK", "2024-0123456");
  const CaseProposal p =
      Propose("Jeres sagsnr. 2024-0123456", CoverCase{"SBSYS", "27.24.00-G01-5-19"});
  ASSERT_EQ(p.candidates.size(), 2u);
  EXPECT_LT(CandidateFor(p, a)->confidence, CaseMatcher::kCover);
  EXPECT_LT(CandidateFor(p, b)->confidence, CaseMatcher::kReferenceWithCue);
  EXPECT_FALSE(p.proposed_case_id);
  EXPECT_THAT(Joined(p.warnings), AllOf(HasSubstr("Forsiden peger på sag SBSYS 27.24.00-G01-5-19"),
                                        HasSubstr("KK 2024-0123456")));
}

TEST_F(CaseMatcherTest, ReferenceToACaseWhoseNumberBelongsToAnotherCasesPartyConflicts) {
  const int64_t a = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const int64_t b = AddCase("KK", "2024-0123456", {Person("Ole Hansen", ole_)});
  const CaseProposal p = Propose("Jeres sagsnr. 27.24.00-G01-5-19\nCPR-nr. " + Written(ole_));
  ASSERT_NE(CandidateFor(p, a), nullptr);
  ASSERT_NE(CandidateFor(p, b), nullptr);
  EXPECT_LT(CandidateFor(p, a)->confidence, CaseMatcher::kReferenceWithCue);
  EXPECT_FALSE(p.proposed_case_id);
  EXPECT_THAT(Joined(p.warnings), AllOf(HasSubstr("(" + ole_.substr(0, 6) +
                                                  "-XXXX) tilhører ikke en part i sag "
                                                  "SBSYS 27.24.00-G01-5-19"),
                                        HasSubstr("KK 2024-0123456")));
}

TEST_F(CaseMatcherTest, ClosedOrDormantCaseIsListedWithAWarningButNeverProposed) {
  for (CaseStatus status : {CaseStatus::kClosed, CaseStatus::kDormant}) {
    const std::string ref = status == CaseStatus::kClosed ? "2024-0000001" : "2024-0000002";
    const int64_t id = AddCase("KK", ref, {}, status);
    const CaseProposal p = Propose("Jeres sagsnr. " + ref, CoverCase{"KK", ref});
    ASSERT_EQ(p.candidates.size(), 1u);
    EXPECT_EQ(p.candidates[0].case_id, id);
    EXPECT_EQ(p.candidates[0].status, status);
    EXPECT_FALSE(p.proposed_case_id);
    EXPECT_THAT(Joined(p.warnings), HasSubstr("modtager ingen dokumenter"));
  }
  const CaseProposal closed = Propose("Sagsnr. 2024-0000001");
  EXPECT_THAT(Joined(closed.warnings), HasSubstr("sagen er lukket; lukkede sager modtager "
                                                 "ingen dokumenter"));
}

TEST_F(CaseMatcherTest, EmptyOrGarbageTextProposesNothing) {
  AddCase("SBSYS", "27.24.00-G01-5-19");
  const std::string garbage("\xff\xfe\x00\x01 27.\xe2\x80 \xc3", 12);
  for (const std::string& text : {std::string(), garbage, std::string(5000, '9')}) {
    const CaseProposal p = Propose(text);
    EXPECT_TRUE(p.candidates.empty());
    EXPECT_FALSE(p.proposed_case_id);
  }
}

TEST_F(CaseMatcherTest, BadCaseNumberPatternIsRefusedNamingTheSystem) {
  config::Config bad = config::Defaults();
  bad.case_numbers.push_back({"WZ", "(unclosed", ""});
  auto m = CaseMatcher::Create(bad);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(m.error().message(), HasSubstr("WZ"));
}

// ---- the party cross-check ----

TEST_F(CaseMatcherTest, PartyOfTheCaseMatches) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const PartyCheck c = Check("Fra Mette Jensen, CPR-nr. " + Written(mette_), id);
  EXPECT_FALSE(c.blocked);
  EXPECT_TRUE(c.mismatches.empty());
  ASSERT_EQ(c.matched.size(), 1u);
  EXPECT_THAT(c.matched[0],
              AllOf(HasSubstr(mette_.substr(0, 6) + "-XXXX"), HasSubstr("Mette Jensen")));
  EXPECT_TRUE(c.messages.empty()) << Joined(c.messages);
}

TEST_F(CaseMatcherTest, CprOfAStrangerBlocksWithTheMaskedNumberOnly) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  AddCase("KK", "2024-0123456", {Person("Ole Hansen", ole_)});
  // Unknown to the journal, and a party of another case only.
  for (const std::string& cpr : {stranger_, ole_}) {
    const PartyCheck c =
        Check("Mette Jensen, CPR-nr. " + Written(mette_) + "\nom CPR-nr. " + Written(cpr), id);
    EXPECT_TRUE(c.blocked);
    EXPECT_EQ(c.matched.size(), 1u);
    ASSERT_EQ(c.mismatches.size(), 1u);
    EXPECT_EQ(c.mismatches[0].kind, PartyKind::kPerson);
    EXPECT_EQ(c.mismatches[0].masked, cpr.substr(0, 6) + "-XXXX");
    // Known or not, the number has its keyed reference (for an audited override).
    ASSERT_TRUE(c.mismatches[0].number_ref.has_value());
    EXPECT_EQ(c.mismatches[0].number_ref->size(), 16u);
    EXPECT_EQ(*c.mismatches[0].number_ref, *journal_->NumberRef(cpr));
    EXPECT_GE(c.mismatches[0].score, kIdFindingLikely);
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0], "Brevet nævner CPR-nr. " + cpr.substr(0, 6) +
                                 "-XXXX, som ikke er part i sag 27.24.00-G01-5-19. "
                                 "Journalisering er blokeret; vælg den rigtige sag eller "
                                 "tilsidesæt med en skriftlig begrundelse.");
    for (const std::string& s : said_) {
      EXPECT_THAT(s, AllOf(Not(HasSubstr(cpr)), Not(HasSubstr(Written(cpr)))));
    }
  }
}

TEST_F(CaseMatcherTest, CompanyPartyMatchesByCvrAndAnotherCompanyBlocks) {
  const int64_t id = AddCase("KK", "2024-0123456", {Company("Byg & Bo ApS", cvr_)});
  const PartyCheck ok = Check("Byg & Bo ApS\nCVR-nr. " + cvr_, id);
  EXPECT_FALSE(ok.blocked);
  ASSERT_EQ(ok.matched.size(), 1u);
  EXPECT_THAT(ok.matched[0], AllOf(HasSubstr(cvr_), HasSubstr("Byg & Bo ApS")));

  const PartyCheck other = Check("Andet Firma A/S\nCVR-nr. " + other_cvr_, id);
  EXPECT_TRUE(other.blocked);
  ASSERT_EQ(other.mismatches.size(), 1u);
  EXPECT_EQ(other.mismatches[0].kind, PartyKind::kCompany);
  EXPECT_EQ(other.mismatches[0].masked, other_cvr_);
  EXPECT_THAT(Joined(other.messages), HasSubstr("CVR-nr. " + other_cvr_ + ", som ikke er part"));
}

TEST_F(CaseMatcherTest, ClosedOrDormantTargetBlocks) {
  const int64_t closed =
      AddCase("KK", "2024-0000001", {Person("Mette Jensen", mette_)}, CaseStatus::kClosed);
  const int64_t dormant =
      AddCase("KK", "2024-0000002", {Person("Mette Jensen", mette_)}, CaseStatus::kDormant);
  const PartyCheck c = Check("CPR-nr. " + Written(mette_), closed);
  EXPECT_TRUE(c.blocked);
  EXPECT_TRUE(c.mismatches.empty());
  EXPECT_EQ(c.matched.size(), 1u);
  EXPECT_THAT(Joined(c.messages), HasSubstr("sagen er lukket"));
  const PartyCheck d = Check("CPR-nr. " + Written(mette_), dormant);
  EXPECT_TRUE(d.blocked);
  EXPECT_THAT(Joined(d.messages), HasSubstr("sagen er hvilende"));
}

TEST_F(CaseMatcherTest, DocumentWithoutNumbersIsNotBlockedButThePartyIsUnconfirmed) {
  const int64_t id = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const PartyCheck c = Check("Kære kommune\nJeg klager over afgørelsen.\nTlf. 12 34 56 78", id);
  EXPECT_FALSE(c.blocked);
  EXPECT_TRUE(c.matched.empty());
  EXPECT_TRUE(c.mismatches.empty());
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_THAT(c.messages[0], AllOf(HasSubstr("kan ikke bekræftes"), HasSubstr("bekræft")));
}

TEST_F(CaseMatcherTest, CheckOfAnUnknownCaseIsNotFound) {
  auto c = matcher_->CheckParties("CPR-nr. " + Written(mette_), 4711, *journal_, everyone_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::kNotFound);
}

// ---- personal data ----

TEST_F(CaseMatcherTest, NoReasonWarningOrMessageHoldsACprNumber) {
  const int64_t a = AddCase("SBSYS", "27.24.00-G01-5-19", {Person("Mette Jensen", mette_)});
  const int64_t b =
      AddCase("KK", "2024-0123456", {Person("Ole Hansen", ole_), Person("Mette Jensen", mette_)});
  AddCase("KK", "2024-0000001", {Person("Ole Hansen", ole_)}, CaseStatus::kClosed);
  const std::vector<std::string> texts = {
      "CPR-nr. " + Written(mette_),
      "CPR: " + mette_ + "\nCPR-nr. " + Written(ole_) + "\ncpr " + Written(stranger_),
      "Jeres sagsnr. 27.24.00-G01-5-19\nPersonnummer " + Written(ole_),
      "Sagsnr. 2024-0000001 og 2024-0999999, født " + Written(stranger_),
      "Jeres sagsnr. 27.24.OO-G01-5-19, CPR-nr.\n" + Written(stranger_),
  };
  for (const std::string& text : texts) {
    Propose(text);
    Propose(text, CoverCase{"KK", "2024-0123456"});
    Propose(text, CoverCase{"", "2024-9999999"});
    Check(text, a);
    Check(text, b);
  }
  ASSERT_GT(said_.size(), 20u);
  const std::regex ten_digits("[0-9]{10}");
  for (const std::string& s : said_) {
    EXPECT_FALSE(std::regex_search(s, ten_digits)) << s;
    EXPECT_FALSE(ContainsCprLike(s)) << s;
    for (const std::string& cpr : {mette_, ole_, stranger_}) {
      EXPECT_THAT(s, Not(HasSubstr(cpr.substr(6)))) << "a serial number leaked";
    }
  }
}

}  // namespace
}  // namespace intake::station
