// The Danish date parser against DOMAIN.md section 6: every listed form, the two-digit-year
// window, impossible dates refused, weekdays checked, and numbers that are not dates.
#include "base/danish_date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using ::testing::HasSubstr;

DateOptions At(int y, unsigned m, unsigned d) {
  DateOptions o;
  o.reference = year(y) / month(m) / day(d);
  return o;
}

const DateOptions kScanDay = At(2026, 11, 27);

std::vector<std::string> IsoDates(const std::string& text, const DateOptions& o = kScanDay) {
  std::vector<std::string> out;
  for (const FoundDate& d : FindDates(text, o)) out.push_back(d.Iso());
  return out;
}

std::string ParsedIso(const std::string& text, const DateOptions& o = kScanDay) {
  auto r = ParseDate(text, o);
  EXPECT_TRUE(r) << text << ": " << r.error().message();
  return r ? r->Iso() : "";
}

TEST(DanishDate, EveryFormOfTheDomainGuideIsParsed) {
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"den 11. januar 2012", "2012-01-11"},
      {"d. 11. jan. 2012", "2012-01-11"},
      {"onsdag den 11. januar 2012", "2012-01-11"},
      {"Kbh. d. 11/1-2012", "2012-01-11"},
      {"11.01.2012", "2012-01-11"},
      {"11.1.12", "2012-01-11"},
      {"11-01-2012", "2012-01-11"},
      {"11/1 2012", "2012-01-11"},
      {"2012-01-11", "2012-01-11"},
      {"MODTAGET 13 JAN. 2012", "2012-01-13"},
      {"Modt. 13.01.12", "2012-01-13"},
      {"11/01/2012", "2012-01-11"},
      {"d.11.01.2012", "2012-01-11"},
      {"1. maj 2025", "2025-05-01"},
      {"3. marts 2024", "2024-03-03"},
      {"3 mar 2024", "2024-03-03"},
      {"30. sept. 2023", "2023-09-30"},
      {"30. sep 2023", "2023-09-30"},
      {"24. december 2019", "2019-12-24"},
      {"LØRDAG DEN 2. NOVEMBER 2024", "2024-11-02"},
  };
  for (const auto& [text, iso] : forms) {
    EXPECT_EQ(IsoDates(text), std::vector<std::string>{iso}) << text;
    EXPECT_EQ(ParsedIso(text), iso) << text;
  }
}

TEST(DanishDate, EveryMonthNameAndAbbreviationIsKnown) {
  const std::vector<std::string> full = {"januar",    "februar", "marts",    "april",
                                         "maj",       "juni",    "juli",     "august",
                                         "september", "oktober", "november", "december"};
  for (size_t k = 0; k < full.size(); ++k) {
    const std::string iso =
        std::string("2025-") + (k + 1 < 10 ? "0" : "") + std::to_string(k + 1) + "-05";
    EXPECT_EQ(ParsedIso("5. " + full[k] + " 2025"), iso) << full[k];
    EXPECT_EQ(ParsedIso("5. " + full[k].substr(0, 3) + ". 2025"), iso) << full[k];
  }
}

TEST(DanishDate, TwoDigitYearsFallInAWindowAroundTheReferenceDate) {
  // Reference 2026: from 1937 to 2036.
  EXPECT_EQ(ParsedIso("1.1.36"), "2036-01-01");
  EXPECT_EQ(ParsedIso("1.1.37"), "1937-01-01");
  EXPECT_EQ(ParsedIso("1.1.99"), "1999-01-01");
  EXPECT_EQ(ParsedIso("1.1.00"), "2000-01-01");
  // The window moves with the reference, unlike a fixed pivot.
  EXPECT_EQ(ParsedIso("1.1.40", At(2035, 6, 1)), "2040-01-01");
  EXPECT_EQ(ParsedIso("1.1.40", At(2026, 6, 1)), "1940-01-01");
  auto r = ParseDate("11.1.12", kScanDay);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->two_digit_year);
}

TEST(DanishDate, ImpossibleDatesAreRefusedSayingWhy) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"31. februar 2026", "februar 2026 har 28 dage"},
      {"29.02.2026", "februar 2026 har 28 dage"},
      {"31.04.2026", "april 2026 har 30 dage"},
      {"30.13.2026", "ingen måned nr. 13"},
      {"0.1.2026", "ingen dag nr. 0"},
      {"2026-02-30", "februar 2026 har 28 dage"},
      {"11.01.1700", "uden for"},
  };
  for (const auto& [text, why] : bad) {
    auto r = ParseDate(text, kScanDay);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("«" + text + "»")) << text;
    EXPECT_THAT(r.error().message(), HasSubstr(why)) << r.error().message();
    EXPECT_TRUE(IsoDates("Brevet er dateret " + text + ".").empty()) << text;
  }
  EXPECT_EQ(ParsedIso("29.02.2024"), "2024-02-29");  // a leap year
  EXPECT_EQ(ParsedIso("29. februar 2000"), "2000-02-29");
  EXPECT_FALSE(ParseDate("29. februar 1900", kScanDay));  // not a leap year
}

TEST(DanishDate, NumbersThatAreNotDatesAreNotFound) {
  for (const std::string text : {
           "Tlf. 12 34 56 78",
           "Beløbet er 1.250.000 kr.",
           "CPR-nr. 110112-1234",
           "Mødet er kl. 10.30",
           "Reg.nr. 1234 kontonr. 0001234567",
           "Side 1/2",
           "KLE 27.24.00-G01",
           "Sagsnr. 2024-0123456",
           "Der kom 11/1 20 stk.",
           "Version 2.1.12.5",
       }) {
    EXPECT_TRUE(IsoDates(text).empty())
        << text << " gave " << ::testing::PrintToString(IsoDates(text));
  }
}

TEST(DanishDate, FindsEveryDateInALetterWithItsWordsAndPosition) {
  const std::string letter =
      "København, onsdag den 11. januar 2012\n\nVedr.: Jeres afgørelse af 3.1.12\n"
      "Jeg har ringet d. 9/1-2012 og igen 10.01.2012.\nMODTAGET 13 JAN. 2012";
  const std::vector<FoundDate> found = FindDates(letter, kScanDay);
  ASSERT_EQ(found.size(), 5u);
  EXPECT_EQ(found[0].Iso(), "2012-01-11");
  EXPECT_EQ(letter.substr(found[0].begin, found[0].end - found[0].begin),
            "onsdag den 11. januar 2012");
  EXPECT_FALSE(found[0].weekday_mismatch);
  EXPECT_EQ(found[1].Iso(), "2012-01-03");
  EXPECT_EQ(found[2].Iso(), "2012-01-09");
  EXPECT_EQ(letter.substr(found[2].begin, found[2].end - found[2].begin), "d. 9/1-2012");
  EXPECT_EQ(found[3].Iso(), "2012-01-10");
  EXPECT_EQ(found[4].Iso(), "2012-01-13");
}

TEST(DanishDate, AWeekdayThatDoesNotMatchTheDateIsFlagged) {
  auto right = ParseDate("onsdag den 11. januar 2012", kScanDay);
  ASSERT_TRUE(right);
  EXPECT_FALSE(right->weekday_mismatch);
  auto wrong = ParseDate("torsdag den 11. januar 2012", kScanDay);
  ASSERT_TRUE(wrong);
  EXPECT_TRUE(wrong->weekday_mismatch);
  EXPECT_EQ(wrong->Iso(), "2012-01-11");
  auto søndag = ParseDate("Søndag, d. 1. december 2024", kScanDay);
  ASSERT_TRUE(søndag);
  EXPECT_FALSE(søndag->weekday_mismatch);
}

TEST(DanishDate, FutureAndVeryOldDatesAreFlagged) {
  auto future = ParseDate("28.11.2026", kScanDay);
  ASSERT_TRUE(future);
  EXPECT_TRUE(future->future);
  auto today = ParseDate("27.11.2026", kScanDay);
  ASSERT_TRUE(today);
  EXPECT_FALSE(today->future);
  EXPECT_FALSE(today->old);
  auto old = ParseDate("26.11.2016", kScanDay);
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->old);
  auto not_old = ParseDate("27.11.2016", kScanDay);
  ASSERT_TRUE(not_old);
  EXPECT_FALSE(not_old->old);
}

TEST(DanishDate, ParseRefusesTextThatIsNotExactlyOneDate) {
  for (const std::string text : {"", "hej", "i morgen", "11. januar", "januar 2026"}) {
    auto r = ParseDate(text, kScanDay);
    ASSERT_FALSE(r) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("er ikke en dato")) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("11.01.2026")) << "says what to write";
  }
  auto two = ParseDate("1.1.2026 og 2.1.2026", kScanDay);
  ASSERT_FALSE(two);
  EXPECT_THAT(two.error().message(), HasSubstr("mere end én dato"));
  auto extra = ParseDate("11.01.2026 kl. 10", kScanDay);
  ASSERT_FALSE(extra);
  EXPECT_THAT(extra.error().message(), HasSubstr("ikke kun en dato"));
}

TEST(DanishDate, LongFormIsHowTitlesWriteADate) {
  EXPECT_EQ(LongDanishDate("2026-01-11"), "11. januar 2026");
  EXPECT_EQ(LongDanishDate("2025-05-01"), "1. maj 2025");
  EXPECT_EQ(LongDanishDate("2026-02-30"), "");
  EXPECT_EQ(LongDanishDate("11.01.2026"), "");
  EXPECT_EQ(ParseDate("d. 11/1-26", kScanDay)->Long(), "11. januar 2026");
}

}  // namespace
}  // namespace intake
