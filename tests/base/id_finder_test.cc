#include "base/id_finder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "base/cpr_mask.h"
#include "base/danish_ids.h"

namespace intake {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;
using ::testing::Contains;
using ::testing::HasSubstr;
using Verdict = CprCheck::Verdict;

// A fixed "today" so that the future-date cases do not drift.
const year_month_day kToday{year{2025}, month{6}, day{15}};

IdFinderOptions Options(std::vector<std::string> no_check_digit_dates = {},
                        year_month_day today = kToday) {
  IdFinderOptions options;
  options.no_check_digit_dates = std::move(no_check_digit_dates);
  options.today = today;
  return options;
}

std::vector<IdFinding> Find(const std::string& text, const IdFinderOptions& options = Options()) {
  return FindIdentityNumbers(text, options);
}

// ---- generated numbers (no real person's number is written down here) ----

// The CPR weighted sum of DOMAIN.md section 5 (weights 4,3,2,7,6,5,4,3,2,1).
int CprWeightedSum(const std::string& ten_digits) {
  const int weights[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += (ten_digits[i] - '0') * weights[i];
  return sum;
}

// "DDMMYY" + digit 7 + a three-digit tail chosen so that modulus 11 holds (want_ok) or
// fails. The tail starts at 234 so the serials look like ordinary ones.
std::string MakeCpr(const std::string& ddmmyy, char digit7 = '2', bool want_ok = true) {
  for (int tail = 234; tail < 1234; ++tail) {
    char serial[4];
    std::snprintf(serial, sizeof(serial), "%03d", tail % 1000);
    const std::string number = ddmmyy + digit7 + serial;
    if ((CprWeightedSum(number) % 11 == 0) == want_ok) return number;
  }
  ADD_FAILURE() << "no serial found";
  return "";
}

// "DDMMYY-SSSS" for ten digits.
std::string Dashed(const std::string& cpr) { return cpr.substr(0, 6) + "-" + cpr.substr(6); }

// Seven digits completed with the CVR check digit (weights 2,7,6,5,4,3,2,1).
std::string MakeCvr(const std::string& seven) {
  const int weights[7] = {2, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (int i = 0; i < 7; ++i) sum += (seven[i] - '0') * weights[i];
  const int check = (11 - sum % 11) % 11;
  if (check == 10) {
    ADD_FAILURE() << "no check digit for this prefix";
    return "";
  }
  return seven + static_cast<char>('0' + check);
}

// "12 34 56 78" for eight digits.
std::string Pairs(const std::string& eight) {
  return eight.substr(0, 2) + " " + eight.substr(2, 2) + " " + eight.substr(4, 2) + " " +
         eight.substr(6, 2);
}

const std::string kCpr = MakeCpr("150687");                     // modulus 11 holds
const std::string kCprFailing = MakeCpr("150687", '2', false);  // modulus 11 fails
const std::string kCvr = "13748136";                            // DOMAIN.md's example
const std::string kPhone = MakeCvr("2030405");  // a phone-like number that passes CVR

bool HasDigit(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- every accepted writing of a CPR number ----

struct WritingCase {
  const char* name;
  std::string written;
  bool broken = false;
};

void PrintTo(const WritingCase& c, std::ostream* os) { *os << c.name; }

class CprWritingTest : public ::testing::TestWithParam<WritingCase> {};

TEST_P(CprWritingTest, FindsTheNumberWithOffsetsOfTheOriginalText) {
  const WritingCase& c = GetParam();
  const std::string prefix = "Ansøger – CPR-nr.: ";
  const std::string text = prefix + c.written + " bor på Åvej.";
  const auto findings = Find(text);
  ASSERT_EQ(findings.size(), 1u);
  const IdFinding& f = findings[0];
  EXPECT_EQ(f.kind, IdKind::kCpr);
  EXPECT_EQ(f.digits, kCpr);
  EXPECT_EQ(f.begin, prefix.size());
  EXPECT_EQ(f.end, prefix.size() + c.written.size());
  EXPECT_EQ(f.verdict, Verdict::kValid);
  EXPECT_EQ(f.broken_across_lines, c.broken);
  EXPECT_EQ(f.cue, "CPR-nr.");
  EXPECT_GE(f.score, kIdFindingLikely);
}

const std::string kD6 = kCpr.substr(0, 6);
const std::string kS4 = kCpr.substr(6);
const std::string kSpacedDate =
    kCpr.substr(0, 2) + " " + kCpr.substr(2, 2) + " " + kCpr.substr(4, 2);
const std::string kNbspDate =
    kCpr.substr(0, 2) + "\u00a0" + kCpr.substr(2, 2) + "\u00a0" + kCpr.substr(4, 2);

INSTANTIATE_TEST_SUITE_P(
    Writings, CprWritingTest,
    ::testing::Values(WritingCase{"dash", kD6 + "-" + kS4}, WritingCase{"ten_digits", kCpr},
                      WritingCase{"space", kD6 + " " + kS4}, WritingCase{"slash", kD6 + "/" + kS4},
                      WritingCase{"dot", kD6 + "." + kS4},
                      WritingCase{"space_dash_space", kD6 + " - " + kS4},
                      WritingCase{"spaced_pairs_dash", kSpacedDate + "-" + kS4},
                      WritingCase{"spaced_pairs_space", kSpacedDate + " " + kS4},
                      WritingCase{"no_break_spaced_pairs", kNbspDate + "\u00a0" + kS4},
                      WritingCase{"en_dash", kD6 + "\u2013" + kS4},
                      WritingCase{"non_breaking_hyphen", kD6 + "\u2011" + kS4},
                      WritingCase{"minus_sign", kD6 + "\u2212" + kS4},
                      WritingCase{"no_break_space", kD6 + "\u00a0" + kS4},
                      WritingCase{"thin_space", kD6 + "\u2009" + kS4},
                      WritingCase{"narrow_no_break_space", kD6 + "\u202f" + kS4},
                      WritingCase{"tab", kD6 + "\t" + kS4},
                      WritingCase{"hyphen_at_line_end", kD6 + "-\n" + kS4, true},
                      WritingCase{"line_break_between_date_and_serial", kD6 + "\n" + kS4, true},
                      WritingCase{"hyphen_and_crlf", kD6 + "-\r\n" + kS4, true},
                      WritingCase{"hyphen_and_indented_line", kD6 + "-\n    " + kS4, true},
                      WritingCase{"unicode_dash_at_line_end", kD6 + "\u2010\n" + kS4, true}),
    [](const ::testing::TestParamInfo<WritingCase>& p) { return std::string(p.param.name); });

TEST(IdFinder, DoesNotJoinANumberBrokenInsideTheDate) {
  EXPECT_TRUE(Find("CPR-nr.: " + kCpr.substr(0, 4) + "\n" + kCpr.substr(4)).empty());
  EXPECT_TRUE(Find("CPR-nr.: " + kCpr.substr(0, 2) + "\n" + kCpr.substr(2, 4) + "-" + kS4).empty());
}

TEST(IdFinder, FindsSeveralNumbersInTextOrder) {
  const std::string text = "CVR-nr. " + kCvr + "\nCPR-nr. " + Dashed(kCpr) + " og født " +
                           Dashed(MakeCpr("010203", '4'));
  const auto findings = Find(text);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].kind, IdKind::kCvr);
  EXPECT_EQ(findings[1].kind, IdKind::kCpr);
  EXPECT_EQ(findings[2].kind, IdKind::kCpr);
  EXPECT_EQ(findings[2].digits, MakeCpr("010203", '4'));
  for (size_t i = 1; i < findings.size(); ++i) {
    EXPECT_LE(findings[i - 1].end, findings[i].begin);
  }
}

// ---- century rule and dates ----

struct CenturyCase {
  int yy;
  char digit7;
  int expected_year;
};

// DOMAIN.md section 5: 4 and 9 give 20xx up to YY 36 and 19xx from 37; 5-8 give 20xx up to
// YY 57 and 18xx from 58. With "today" in 2060 every one of them is a past date.
TEST(IdFinder, AppliesTheCenturyRuleAtItsBoundaries) {
  const std::vector<CenturyCase> cases = {
      {36, '4', 2036}, {37, '4', 1937}, {36, '9', 2036}, {37, '9', 1937},
      {57, '5', 2057}, {58, '5', 1858}, {57, '6', 2057}, {58, '6', 1858},
      {57, '7', 2057}, {58, '7', 1858}, {57, '8', 2057}, {58, '8', 1858},
  };
  const year_month_day late_today{year{2060}, month{6}, day{15}};
  for (const CenturyCase& c : cases) {
    SCOPED_TRACE(testing::Message() << "YY " << c.yy << ", digit 7 = " << c.digit7);
    char ddmmyy[8];
    std::snprintf(ddmmyy, sizeof(ddmmyy), "1103%02d", c.yy);
    const std::string cpr = MakeCpr(ddmmyy, c.digit7);
    const auto findings = Find("CPR-nr.: " + Dashed(cpr), Options({}, late_today));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].digits, cpr);
    const CprCheck check = CheckCpr(findings[0].digits, {}, late_today);
    EXPECT_EQ(check.year, c.expected_year);
    // With today in 2025, the 20xx readings of 36 and 57 are birth dates in the future.
    EXPECT_EQ(Find("CPR-nr.: " + Dashed(cpr)).size(), c.expected_year <= 2025 ? 1u : 0u);
  }
}

TEST(IdFinder, FutureBirthDatesAreNotFindings) {
  EXPECT_TRUE(Find("CPR-nr.: " + Dashed(MakeCpr("010130", '4'))).empty());   // 2030
  EXPECT_TRUE(Find("CPR-nr.: " + Dashed(MakeCpr("160625", '4'))).empty());   // tomorrow
  EXPECT_EQ(Find("CPR-nr.: " + Dashed(MakeCpr("150625", '4'))).size(), 1u);  // today
}

TEST(IdFinder, ImpossibleDatesAreNotFindings) {
  for (const char* ddmmyy : {"310290", "300290", "000190", "320190", "011390", "010090"}) {
    SCOPED_TRACE(ddmmyy);
    EXPECT_TRUE(Find("CPR-nr.: " + Dashed(MakeCpr(ddmmyy))).empty());
  }
  // 29 February: 1901 was no leap year, 2000 was.
  EXPECT_TRUE(Find("CPR-nr.: " + Dashed(MakeCpr("290201", '2'))).empty());
  EXPECT_EQ(Find("CPR-nr.: " + Dashed(MakeCpr("290200", '4'))).size(), 1u);
}

// ---- modulus 11 ----

TEST(IdFinder, FailingCheckDigitLowersTheScoreButStillFindsTheNumber) {
  for (const std::string& prefix : std::vector<std::string>{"Vedr. ", "CPR-nr. "}) {
    SCOPED_TRACE(prefix);
    const auto ok = Find(prefix + Dashed(kCpr));
    const auto failing = Find(prefix + Dashed(kCprFailing));
    ASSERT_EQ(ok.size(), 1u);
    ASSERT_EQ(failing.size(), 1u);
    EXPECT_EQ(failing[0].digits, kCprFailing);
    EXPECT_EQ(failing[0].verdict, Verdict::kDoubtful);
    EXPECT_LT(failing[0].score, ok[0].score);
    EXPECT_GT(failing[0].score, 0.0);
    EXPECT_THAT(failing[0].reasons,
                Contains("kontrolcifferet passer ikke (kan være et nyt personnummer)"));
  }
  // Without a cue a doubtful number is not one the document names; with a cue it is.
  EXPECT_LT(Find("Vedr. " + Dashed(kCprFailing))[0].score, kIdFindingLikely);
  EXPECT_GE(Find("CPR-nr. " + Dashed(kCprFailing))[0].score, kIdFindingLikely);
}

TEST(IdFinder, ExceptionDateFromTheOptionsIsNotLowered) {
  const std::string without_check = MakeCpr("010190", '2', false);
  const std::string with_check = MakeCpr("010190", '2', true);
  const auto listed = Find("Vedr. " + Dashed(without_check), Options({"1990-01-01"}));
  const auto reference = Find("Vedr. " + Dashed(with_check), Options({"1990-01-01"}));
  const auto unlisted = Find("Vedr. " + Dashed(without_check), Options({"1991-01-01"}));
  ASSERT_EQ(listed.size(), 1u);
  ASSERT_EQ(reference.size(), 1u);
  ASSERT_EQ(unlisted.size(), 1u);
  EXPECT_EQ(listed[0].verdict, Verdict::kValidWithoutCheckDigit);
  EXPECT_DOUBLE_EQ(listed[0].score, reference[0].score);
  EXPECT_GE(listed[0].score, kIdFindingLikely);
  EXPECT_EQ(unlisted[0].verdict, Verdict::kDoubtful);
  EXPECT_LT(unlisted[0].score, listed[0].score);
}

// ---- cues ----

struct CueCase {
  const char* name;
  std::string before;  // the text before the number
  std::string cue;     // the cue as written, as it should be reported
};

void PrintTo(const CueCase& c, std::ostream* os) { *os << c.name; }

class CprPositiveCueTest : public ::testing::TestWithParam<CueCase> {};

TEST_P(CprPositiveCueTest, RaisesTheScoreAboveLikely) {
  const CueCase& c = GetParam();
  // A doubtful number written as ten digits is under the threshold without a cue.
  for (const std::string& number : {kCprFailing, kCpr}) {
    const auto bare = Find("Vedr. " + number);
    const auto cued = Find(c.before + number);
    ASSERT_EQ(bare.size(), 1u);
    ASSERT_EQ(cued.size(), 1u);
    EXPECT_EQ(cued[0].cue, c.cue);
    EXPECT_EQ(cued[0].cue_effect, CueEffect::kRaises);
    EXPECT_GT(cued[0].score, bare[0].score);
    EXPECT_GE(cued[0].score, kIdFindingLikely);
    EXPECT_THAT(cued[0].reasons, Contains("efter «" + c.cue + "»"));
  }
  EXPECT_LT(Find("Vedr. " + kCprFailing)[0].score, kIdFindingLikely);
}

INSTANTIATE_TEST_SUITE_P(
    Cues, CprPositiveCueTest,
    ::testing::Values(CueCase{"CPR", "CPR ", "CPR"}, CueCase{"CPR_nr", "CPR-nr. ", "CPR-nr."},
                      CueCase{"CPR_nr_colon", "Ansøgers CPR-nr.: ", "CPR-nr."},
                      CueCase{"Cpr_nr_dotted", "Cpr.nr. ", "Cpr.nr."},
                      CueCase{"lower_case_without_dot", "cpr nr: ", "cpr nr"},
                      CueCase{"upper_case_nummer", "CPR-NUMMER: ", "CPR-NUMMER"},
                      CueCase{"Personnummer", "Personnummer: ", "Personnummer"},
                      CueCase{"Pers_nr", "Pers.nr. ", "Pers.nr."},
                      CueCase{"foedt", "født ", "født"}, CueCase{"FOEDT", "FØDT ", "FØDT"},
                      CueCase{"glued_to_the_number", "CPR", "CPR"},
                      CueCase{"on_the_line_before", "CPR-nr.:\n", "CPR-nr."},
                      CueCase{"on_the_line_before_crlf", "CPR:\r\n", "CPR"},
                      CueCase{"far_on_the_same_line",
                              "Personnummer (se vedlagte kopi af kortet): ", "Personnummer"}),
    [](const ::testing::TestParamInfo<CueCase>& p) { return std::string(p.param.name); });

TEST(IdFinder, CueTooFarAwayOrBeforeAnotherNumberDoesNotCount) {
  const auto far =
      Find("CPR\n\nSom aftalt i telefonen i sidste uge sender jeg hermed nummeret " + Dashed(kCpr));
  ASSERT_EQ(far.size(), 1u);
  EXPECT_EQ(far[0].cue, "");
  EXPECT_EQ(far[0].cue_effect, CueEffect::kNone);
  // "Tlf." belongs to the phone number, not to the CPR number after it.
  const auto after_phone = Find("Tlf. 33 12 34 56, ansøger " + Dashed(kCpr));
  ASSERT_EQ(after_phone.size(), 1u);
  EXPECT_EQ(after_phone[0].cue, "");
  EXPECT_GE(after_phone[0].score, kIdFindingLikely);
}

TEST(IdFinder, CuesMatchOnlyWholeWords) {
  // "Kontoret" is not "Konto", "Mobilepay" not "Mobil", "tlfx" not "Tlf".
  for (const std::string& before :
       std::vector<std::string>{"Kontoret har modtaget ", "Mobilepay ", "tlfx "}) {
    SCOPED_TRACE(before);
    const auto findings = Find(before + Dashed(kCpr));
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].cue_effect, CueEffect::kNone);
    EXPECT_GE(findings[0].score, kIdFindingLikely);
  }
  // "Decpr" is not "CPR": the number stays as ambiguous as without it.
  const auto glued = Find("Decpr " + kCprFailing);
  ASSERT_EQ(glued.size(), 1u);
  EXPECT_EQ(glued[0].cue_effect, CueEffect::kNone);
}

struct NegativeCase {
  const char* name;
  std::string text;
  IdKind kind;
  std::string cue;
};

void PrintTo(const NegativeCase& c, std::ostream* os) { *os << c.name; }

class NegativeCueTest : public ::testing::TestWithParam<NegativeCase> {};

TEST_P(NegativeCueTest, BringsTheScoreUnderLikely) {
  const NegativeCase& c = GetParam();
  const auto findings = Find(c.text);
  ASSERT_EQ(findings.size(), 1u);
  const IdFinding& f = findings[0];
  EXPECT_EQ(f.kind, c.kind);
  EXPECT_EQ(f.cue, c.cue);
  EXPECT_EQ(f.cue_effect, CueEffect::kLowers);
  EXPECT_LT(f.score, kIdFindingLikely);
  EXPECT_LE(f.score, 0.05);
  EXPECT_THAT(f.reasons, Contains("står efter «" + c.cue + "»"));
}

INSTANTIATE_TEST_SUITE_P(
    Cues, NegativeCueTest,
    ::testing::Values(
        NegativeCase{"phone", "Tlf. " + kPhone, IdKind::kCvr, "Tlf."},
        NegativeCase{"phone_upper_case", "TLF " + kPhone, IdKind::kCvr, "TLF"},
        NegativeCase{"telephone", "Telefon: " + kPhone, IdKind::kCvr, "Telefon"},
        NegativeCase{"mobile_in_pairs", "Mobil: " + Pairs(kPhone), IdKind::kCvr, "Mobil"},
        NegativeCase{"bank_account", "Reg.nr. 1234 Kontonr. " + kCpr, IdKind::kCpr, "Kontonr."},
        NegativeCase{"account", "Konto " + kCpr, IdKind::kCpr, "Konto"},
        NegativeCase{"invoice", "Fakturanr. " + kCpr, IdKind::kCpr, "Fakturanr."},
        NegativeCase{"customer", "Kundenr.: " + Dashed(kCpr), IdKind::kCpr, "Kundenr."},
        NegativeCase{"ean", "EAN " + kCpr, IdKind::kCpr, "EAN"},
        NegativeCase{"case_number", "Sagsnr. " + Dashed(kCpr), IdKind::kCpr, "Sagsnr."},
        NegativeCase{"journal_number", "J.nr. " + Dashed(kCpr), IdKind::kCpr, "J.nr."},
        NegativeCase{"journal_number_short", "Jnr. " + kCpr, IdKind::kCpr, "Jnr."},
        NegativeCase{"production_unit", "P-nr. " + kCpr, IdKind::kCpr, "P-nr."},
        NegativeCase{"production_unit_next_line", "P-nr.:\n" + kCpr, IdKind::kCpr, "P-nr."},
        NegativeCase{"cvr_before_cpr_shape", "CVR " + kCpr, IdKind::kCpr, "CVR"},
        NegativeCase{"cpr_before_cvr_shape", "CPR " + kCvr, IdKind::kCvr, "CPR"}),
    [](const ::testing::TestParamInfo<NegativeCase>& p) { return std::string(p.param.name); });

// ---- neighbours, symbols, delimiters ----

struct ZeroCase {
  const char* name;
  std::string text;
  std::string reason;  // a part of the reason
};

void PrintTo(const ZeroCase& c, std::ostream* os) { *os << c.name; }

class ZeroContextTest : public ::testing::TestWithParam<ZeroCase> {};

TEST_P(ZeroContextTest, SetsTheScoreToZeroEvenAfterAPositiveCue) {
  const ZeroCase& c = GetParam();
  const auto findings = Find(c.text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].score, 0.0);
  EXPECT_THAT(findings[0].reasons, Contains(HasSubstr(c.reason)));
}

INSTANTIATE_TEST_SUITE_P(
    Context, ZeroContextTest,
    ::testing::Values(
        ZeroCase{"account_after_branch", "Overføres til 1234 " + kCpr, "lige før"},
        ZeroCase{"number_after", "CPR-nr. " + Dashed(kCpr) + " 12", "lige efter"},
        ZeroCase{"cvr_number_after", "CVR-nr. " + kCvr + " 12", "lige efter"},
        ZeroCase{"country_code", "+45 " + kPhone, "lige før"},
        ZeroCase{"decimal_comma", "CPR 3," + kCpr, "hænger sammen"},
        ZeroCase{"slash_number", "CPR " + Dashed(kCpr) + "/2", "hænger sammen"},
        ZeroCase{"plus", "CPR +" + kCpr, "«+»"}, ZeroCase{"hash", "CPR #" + kCpr, "«#»"},
        ZeroCase{"percent", "CPR " + kCpr + "%", "«%»"},
        ZeroCase{"exclamation", "CPR " + kCpr + "!", "«!»"},
        ZeroCase{"minus_after", "CPR " + Dashed(kCpr) + "-", "«-»"},
        ZeroCase{"unicode_minus_before", "CPR \u2212" + kCpr, "«-»"},
        ZeroCase{"open_bracket_never_closed", "CPR (" + Dashed(kCpr) + " og mere", "«(»"},
        ZeroCase{"angle_bracket", "CPR <" + Dashed(kCpr), "«<»"},
        ZeroCase{"closing_bracket_never_opened", "CPR-nr. " + Dashed(kCpr) + ")", "«)»"}),
    [](const ::testing::TestParamInfo<ZeroCase>& p) { return std::string(p.param.name); });

TEST(IdFinder, BalancedBracketsAndQuotesKeepTheScore) {
  for (const std::string& text : std::vector<std::string>{
           "(CPR-nr. " + Dashed(kCpr) + ")", "(født " + Dashed(kCpr) + ")",
           "CPR: »" + Dashed(kCpr) + "«", "CPR: \"" + Dashed(kCpr) + "\"",
           "{\"cpr\": \"" + kCpr + "\"}", "(ansøger, CPR-nr.\n" + Dashed(kCpr) + ")"}) {
    SCOPED_TRACE(text);
    const auto findings = Find(text);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_GE(findings[0].score, kIdFindingLikely);
  }
}

TEST(IdFinder, LettersTouchingTheNumberLowerTheScore) {
  const auto clean = Find("Vedr. " + Dashed(kCpr) + " i dag");
  const auto touching = Find("Vedr. " + Dashed(kCpr) + "kr i dag");
  ASSERT_EQ(clean.size(), 1u);
  ASSERT_EQ(touching.size(), 1u);
  EXPECT_LT(touching[0].score, clean[0].score);
  EXPECT_THAT(touching[0].reasons, Contains("bogstaver står helt op ad tallet"));
}

// ---- digit runs and OCR confusions ----

TEST(IdFinder, NumberInsideALongerDigitRunIsNotAFinding) {
  for (const std::string& text : std::vector<std::string>{
           "CPR 1" + kCpr, "CPR " + kCpr + "5", "CPR 99" + Dashed(kCpr), "CVR 9" + kCvr,
           "CVR " + kCvr + "0", "CPR l" + kCpr, "CPR " + kCpr + "l", "CVR " + kCvr + "O."}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(Find(text).empty());
  }
}

TEST(IdFinder, ReadsOcrConfusionsInsideADigitDominatedNumber) {
  const std::string cpr = MakeCpr("010190");  // digits 3 and 6 are '0', digit 4 is '1'
  struct OcrCase {
    std::string written;
    int corrections;
  };
  const OcrCase cases[] = {
      {"01O19O-" + cpr.substr(6), 2},  // O for 0, twice
      {"010l90" + cpr.substr(6), 1},   // l for 1, no separator
  };
  const std::string prefix = "Født i Århus — CPR: ";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.written);
    const std::string text = prefix + c.written + " — tak";
    const auto findings = Find(text);
    ASSERT_EQ(findings.size(), 1u);
    const IdFinding& f = findings[0];
    EXPECT_EQ(f.digits, cpr);
    EXPECT_EQ(f.ocr_corrections, c.corrections);
    EXPECT_EQ(f.begin, prefix.size());
    EXPECT_EQ(f.end, prefix.size() + c.written.size());
    EXPECT_EQ(text.substr(f.begin, f.end - f.begin), c.written);
    EXPECT_GE(f.score, kIdFindingLikely);
  }
  const auto two = Find(prefix + "01O19O-" + cpr.substr(6));
  ASSERT_EQ(two.size(), 1u);
  EXPECT_THAT(two[0].reasons, Contains("to tegn er læst som cifre (OCR-fejl)"));
  // S for 5 and B for 8: "1S06B7" is 150687.
  const auto s_and_b = Find("CPR " + std::string("1S06") + "B7" + kCpr.substr(6));
  ASSERT_EQ(s_and_b.size(), 1u);
  EXPECT_EQ(s_and_b[0].digits, kCpr);
}

TEST(IdFinder, DoesNotReadTooManyOrEdgeOrSpacedConfusions) {
  const std::string cpr = MakeCpr("010190");
  for (const std::string& text : std::vector<std::string>{
           "CPR O1O19O-" + cpr.substr(6),           // 7 of 10 real digits
           "CPR O10190-" + cpr.substr(6),           // first character not a digit
           "CPR 010190-" + cpr.substr(6, 3) + "l",  // last character not a digit
           "CPR 01 O1 90-" + cpr.substr(6),         // lookalike in spaced pairs
           "CPR 0l0l9O" + cpr.substr(6),            // 7 of 10
       }) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(Find(text).empty());
  }
}

// ---- CVR ----

TEST(IdFinder, CvrWithCueIsLikely) {
  for (const std::string& before :
       std::vector<std::string>{"CVR ", "CVR-nr. ", "CVR-nr.: ", "cvr nr ", "SE-nr. ", "Moms-nr. ",
                                "DK", "DK-", "DK "}) {
    SCOPED_TRACE(before);
    for (const std::string& written : {kCvr, Pairs(kCvr)}) {
      const auto findings = Find("Firma ApS, " + before + written + ".");
      ASSERT_EQ(findings.size(), 1u);
      const IdFinding& f = findings[0];
      EXPECT_EQ(f.kind, IdKind::kCvr);
      EXPECT_EQ(f.digits, kCvr);
      EXPECT_EQ(f.begin, std::string("Firma ApS, ").size() + before.size());
      EXPECT_EQ(f.end, f.begin + written.size());
      EXPECT_EQ(f.cue_effect, CueEffect::kRaises);
      EXPECT_GE(f.score, kIdFindingLikely);
    }
  }
}

TEST(IdFinder, CvrWithoutCueIsFoundButUnlikely) {
  for (const std::string& written : {kCvr, Pairs(kCvr), kPhone}) {
    SCOPED_TRACE(written);
    const auto findings = Find("Ring venligst på " + written + " efter kl. fire.");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].kind, IdKind::kCvr);
    EXPECT_EQ(findings[0].cue_effect, CueEffect::kNone);
    EXPECT_LT(findings[0].score, kIdFindingLikely);
    EXPECT_GT(findings[0].score, 0.0);
    EXPECT_THAT(findings[0].reasons,
                Contains("otte cifre uden «CVR» foran kan også være et telefonnummer"));
  }
}

TEST(IdFinder, CvrWithWrongCheckDigitIsNotFound) {
  std::string wrong = kCvr;
  wrong[7] = '7';
  for (const std::string& text :
       std::vector<std::string>{"CVR-nr. " + wrong, "CVR-nr. " + Pairs(wrong),
                                "CVR " + MakeCvr("0374813"),  // CVR numbers never start with 0
                                "Tlf. 20 30 40 50"}) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(Find(text).empty());
  }
}

TEST(IdFinder, DomainEndingInDkIsNoVatPrefix) {
  const auto findings = Find("Se www.kommune.dk " + kPhone);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].cue_effect, CueEffect::kNone);
  EXPECT_LT(findings[0].score, kIdFindingLikely);
}

TEST(IdFinder, ReadsOneOcrConfusionInACvr) {
  const auto findings = Find("CVR-nr. 1374B136");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].digits, kCvr);
  EXPECT_EQ(findings[0].ocr_corrections, 1);
  EXPECT_TRUE(Find("CVR-nr. 1374BlS6").empty());  // three of eight
}

// ---- reasons ----

TEST(IdFinder, ReasonsAreDanishAndNeverContainDigits) {
  const std::string text = "CPR-nr.: " + Dashed(kCpr) + "\nTlf. " + kPhone + "\nVedr. " +
                           kCprFailing + "\nKonto " + kCpr + "\n1234 " + kCpr + " og " + "01O19O-" +
                           MakeCpr("010190").substr(6) + "\nCVR " + kCvr + "\nFørst " +
                           Pairs(kCvr) + " #" + kCpr;
  const auto findings = Find(text);
  ASSERT_GE(findings.size(), 8u);
  for (const IdFinding& f : findings) {
    EXPECT_FALSE(f.reasons.empty());
    EXPECT_FALSE(HasDigit(f.cue)) << f.cue;
    for (const std::string& reason : f.reasons) {
      EXPECT_FALSE(HasDigit(reason)) << reason;
    }
  }
  EXPECT_THAT(findings[0].reasons, Contains("efter «CPR-nr.»"));
  EXPECT_THAT(findings[1].reasons, Contains("står efter «Tlf.»"));
}

// ---- bad input ----

TEST(IdFinder, GarbageAndInvalidUtf8GiveNoFindings) {
  for (const std::string& text : std::vector<std::string>{
           std::string(), std::string("\xff\xfe\xfd"), std::string("\xe2\x80"), std::string("\xe2"),
           std::string("\xc2"), std::string("\xc3"), std::string("CPR-nr.: \xe2\x80\x93\xc2"),
           std::string("\0\0\0", 3), std::string(1000, '9'), std::string(1000, '-'),
           std::string(1000, '\n'), std::string("12 34 56 78 90 12 34 56 78 90")}) {
    EXPECT_TRUE(Find(text).empty());
  }
}

TEST(IdFinder, InvalidUtf8AroundANumberKeepsItsOffsets) {
  const std::string prefix = "\xff\xc3 CPR \xe2\x80";
  const std::string text = prefix + " " + Dashed(kCpr) + "\xe2\x80";
  const auto findings = Find(text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].begin, prefix.size() + 1);
  EXPECT_EQ(findings[0].end, text.size() - 2);
}

// Random text from fragments that matter to the finder: the result must always be
// consistent, and every CPR finding on one line is masked by MaskCpr (base/cpr_mask.h).
TEST(IdFinder, RandomTextGivesConsistentFindingsMaskedByMaskCpr) {
  const std::vector<std::string> fragments = {
      "0",     "1",        "2",  "3",  "5",  "7",      "9",      " ",      " ",    "-",      "/",
      ".",     ",",        "\n", "\r", "\t", "\u2013", "\u00a0", "\u2009", "\xe2", "\xc2",   "\xff",
      "O",     "l",        "|",  "S",  "B",  "CPR ",   "Tlf. ",  "(",      ")",    "\u00bb", "+",
      "født ", "CVR-nr. ", "a",  kCpr, kCvr, kD6,      kS4,      kPhone};
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, fragments.size() - 1);
  std::uniform_int_distribution<int> length(0, 60);
  int total = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int k = length(random); k > 0; --k) text += fragments[pick(random)];
    const auto findings = Find(text);
    size_t previous_end = 0;
    for (const IdFinding& f : findings) {
      ++total;
      ASSERT_LT(f.begin, f.end);
      ASSERT_LE(f.end, text.size());
      EXPECT_LE(previous_end, f.begin);
      previous_end = f.end;
      EXPECT_GE(f.score, 0.0);
      EXPECT_LE(f.score, 1.0);
      for (const std::string& reason : f.reasons) EXPECT_FALSE(HasDigit(reason));
      if (f.kind == IdKind::kCpr) {
        ASSERT_EQ(f.digits.size(), 10u);
        const CprCheck check = CheckCpr(f.digits, {}, kToday);
        EXPECT_EQ(check.verdict, f.verdict);
        EXPECT_NE(f.verdict, Verdict::kInvalid);
        if (!f.broken_across_lines) {
          EXPECT_EQ(MaskCpr(text.substr(f.begin, f.end - f.begin)), kCprMask);
        }
      } else {
        ASSERT_EQ(f.digits.size(), 8u);
        EXPECT_TRUE(CheckCvr(f.digits));
      }
    }
  }
  // The fragments make findings common; a finder that finds nothing would pass vacuously.
  EXPECT_GT(total, 100);
}

}  // namespace
}  // namespace intake
