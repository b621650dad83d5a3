#include "base/danish_ids.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "config/config.h"

namespace intake {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;
using Verdict = CprCheck::Verdict;

// A fixed "today" so that the future-date cases do not drift.
const year_month_day kToday{year{2025}, month{6}, day{15}};

const std::vector<std::string> kNoExceptions;

// The modulus-11 sum written straight from DOMAIN.md section 5, to build failing and
// passing numbers for the tables below.
int CprWeightedSum(const std::string& ten_digits) {
  const int weights[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += (ten_digits[i] - '0') * weights[i];
  return sum;
}

// "DDMMYY" + digit 7 + a serial completed so that modulus 11 holds (want_ok) or fails.
std::string CprWith(const std::string& ddmmyy, char digit7, bool want_ok) {
  for (int tail = 0; tail < 1000; ++tail) {
    char serial[4];
    std::snprintf(serial, sizeof(serial), "%03d", tail);
    const std::string number = ddmmyy + digit7 + serial;
    if ((CprWeightedSum(number) % 11 == 0) == want_ok) return number;
  }
  ADD_FAILURE() << "no serial found";
  return "";
}

// ---- century rule ----

struct CenturyCase {
  const char* digits7;  // the digit-7 values of one group of the table
  int yy;
  int expected_year;
};

void PrintTo(const CenturyCase& c, std::ostream* os) {
  *os << "digit7 in " << c.digits7 << ", YY " << c.yy;
}

class CprCenturyTest : public ::testing::TestWithParam<CenturyCase> {};

TEST_P(CprCenturyTest, GivesTheYearOfDomainTable) {
  const CenturyCase& c = GetParam();
  for (const char* d7 = c.digits7; *d7 != '\0'; ++d7) {
    EXPECT_EQ(CprBirthYear(c.yy, *d7 - '0'), c.expected_year) << "digit 7 = " << *d7;
    char ddmmyy[8];
    std::snprintf(ddmmyy, sizeof(ddmmyy), "0101%02d", c.yy);
    const CprCheck check = CheckCpr(CprWith(ddmmyy, *d7, true), kNoExceptions, kToday);
    ASSERT_TRUE(check.well_formed);
    EXPECT_EQ(check.year, c.expected_year) << "digit 7 = " << *d7;
    // 1 January of a year after 2025 has not happened yet.
    EXPECT_EQ(check.in_future, c.expected_year > 2025) << "digit 7 = " << *d7;
    EXPECT_EQ(check.valid_date, c.expected_year <= 2025) << "digit 7 = " << *d7;
  }
}

// DOMAIN.md section 5: 0-3 always 19xx; 4 and 9: 20xx up to YY 36, then 19xx; 5-8: 20xx up
// to YY 57, then 18xx. os2datascanner puts "...37 9xxx" in 2037; it belongs in 1937.
INSTANTIATE_TEST_SUITE_P(
    Boundaries, CprCenturyTest,
    ::testing::Values(
        CenturyCase{"0123", 0, 1900}, CenturyCase{"0123", 36, 1936}, CenturyCase{"0123", 37, 1937},
        CenturyCase{"0123", 57, 1957}, CenturyCase{"0123", 58, 1958}, CenturyCase{"0123", 99, 1999},
        CenturyCase{"4", 0, 2000}, CenturyCase{"4", 36, 2036}, CenturyCase{"4", 37, 1937},
        CenturyCase{"4", 57, 1957}, CenturyCase{"4", 58, 1958}, CenturyCase{"4", 99, 1999},
        CenturyCase{"9", 0, 2000}, CenturyCase{"9", 36, 2036}, CenturyCase{"9", 37, 1937},
        CenturyCase{"9", 57, 1957}, CenturyCase{"9", 58, 1958}, CenturyCase{"9", 99, 1999},
        CenturyCase{"5678", 0, 2000}, CenturyCase{"5678", 36, 2036}, CenturyCase{"5678", 37, 2037},
        CenturyCase{"5678", 57, 2057}, CenturyCase{"5678", 58, 1858},
        CenturyCase{"5678", 99, 1899}));

// Regression guard for the os2datascanner off-by-one (DOMAIN.md section 5).
TEST(CprCheckTest, PutsYear37WithDigit9In1937NotIn2037) {
  const CprCheck check = CheckCpr(CprWith("150637", '9', true), kNoExceptions, kToday);
  EXPECT_EQ(check.year, 1937);
  EXPECT_TRUE(check.valid_date);
  EXPECT_EQ(check.verdict, Verdict::kValid);
}

// ---- dates ----

struct DateCase {
  const char* name;
  std::string ddmmyy;
  char digit7;
  bool valid_date;
  bool in_future;
};

void PrintTo(const DateCase& c, std::ostream* os) { *os << c.name; }

class CprDateTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(CprDateTest, AcceptsOnlyRealPastDates) {
  const DateCase& c = GetParam();
  // The check digit must not matter for the date verdict: try both.
  for (bool mod11 : {true, false}) {
    const CprCheck check = CheckCpr(CprWith(c.ddmmyy, c.digit7, mod11), kNoExceptions, kToday);
    ASSERT_TRUE(check.well_formed) << c.name;
    EXPECT_EQ(check.valid_date, c.valid_date) << c.name;
    EXPECT_EQ(check.in_future, c.in_future) << c.name;
    if (!c.valid_date) {
      EXPECT_EQ(check.verdict, Verdict::kInvalid) << c.name;
    } else {
      EXPECT_EQ(check.verdict, mod11 ? Verdict::kValid : Verdict::kDoubtful) << c.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CprDateTest,
    ::testing::Values(DateCase{"ordinary", "150690", '1', true, false},
                      DateCase{"31 February", "310290", '1', false, false},
                      DateCase{"30 February", "300290", '1', false, false},
                      DateCase{"day 00", "000190", '1', false, false},
                      DateCase{"day 32", "320190", '1', false, false},
                      DateCase{"31 April", "310490", '1', false, false},
                      DateCase{"month 00", "010090", '1', false, false},
                      DateCase{"month 13", "011390", '1', false, false},
                      DateCase{"29 Feb 1900 is not a leap day", "290200", '2', false, false},
                      DateCase{"29 Feb 2000 is a leap day (digit 4)", "290200", '4', true, false},
                      DateCase{"29 Feb 2000 is a leap day (digit 9)", "290200", '9', true, false},
                      DateCase{"29 Feb 2000 is a leap day (digit 6)", "290200", '6', true, false},
                      DateCase{"29 Feb 1904", "290204", '0', true, false},
                      DateCase{"29 Feb 1901", "290201", '0', false, false},
                      DateCase{"29 Feb 1896 (digit 5)", "290296", '5', true, false},
                      DateCase{"29 Feb 1897 (digit 5)", "290297", '5', false, false},
                      DateCase{"today", "150625", '4', true, false},
                      DateCase{"tomorrow", "160625", '4', false, true},
                      DateCase{"next year", "010126", '4', false, true},
                      DateCase{"year 2036", "311236", '9', false, true},
                      DateCase{"31 Dec 1999", "311299", '3', true, false}),
    [](const ::testing::TestParamInfo<DateCase>& p) {
      std::string name;
      for (const char* s = p.param.name; *s != '\0'; ++s) {
        name += std::isalnum(static_cast<unsigned char>(*s)) ? *s : '_';
      }
      return name;
    });

// ---- modulus 11 and the no-check-digit dates ----

TEST(CprCheckTest, HandComputedNumbersPassModulus11) {
  // Weighted sums (weights 4,3,2,7,6,5,4,3,2,1) worked out outside the code under test.
  struct Known {
    const char* number;
    int year;
    CprCheck::Sex sex;
  };
  for (const Known& k : {Known{"010190-1238", 1990, CprCheck::Sex::kFemale},   // 88
                         Known{"111111-1185", 1911, CprCheck::Sex::kMale},     // 55
                         Known{"290200-4001", 2000, CprCheck::Sex::kMale},     // 66
                         Known{"070761-4005", 1961, CprCheck::Sex::kMale},     // 132
                         Known{"010100-5003", 2000, CprCheck::Sex::kMale}}) {  // 33
    const CprCheck check = CheckCpr(k.number, kNoExceptions, kToday);
    EXPECT_TRUE(check.modulus11_ok) << k.number;
    EXPECT_EQ(check.verdict, Verdict::kValid) << k.number;
    EXPECT_EQ(check.year, k.year) << k.number;
    EXPECT_EQ(check.sex, k.sex) << k.number;
  }
}

TEST(CprCheckTest, FailingModulus11IsDoubtfulNotInvalid) {
  const CprCheck check = CheckCpr("010190-1239", kNoExceptions, kToday);
  EXPECT_TRUE(check.well_formed);
  EXPECT_TRUE(check.valid_date);
  EXPECT_FALSE(check.modulus11_ok);
  EXPECT_FALSE(check.exception_date);
  EXPECT_EQ(check.verdict, Verdict::kDoubtful);
}

TEST(CprCheckTest, EveryDateOfTheConfiguredListAcceptsANumberWithoutCheckDigit) {
  const std::vector<std::string> dates = config::Defaults().cpr.no_check_digit_dates;
  // cpr.dk's list of 10 May 2023, as DOMAIN.md section 5 gives it.
  const std::vector<int> listed = {1960, 1962, 1964, 1965, 1966, 1967, 1969, 1970, 1974,
                                   1975, 1978, 1980, 1981, 1982, 1983, 1984, 1985, 1986,
                                   1987, 1988, 1989, 1990, 1991, 1992, 1994, 1995};
  for (int y : listed) {
    char ddmmyy[8];
    std::snprintf(ddmmyy, sizeof(ddmmyy), "0101%02d", y % 100);
    const CprCheck failing = CheckCpr(CprWith(ddmmyy, '2', false), dates, kToday);
    EXPECT_TRUE(failing.exception_date) << y;
    EXPECT_EQ(failing.verdict, Verdict::kValidWithoutCheckDigit) << y;
    const CprCheck passing = CheckCpr(CprWith(ddmmyy, '2', true), dates, kToday);
    EXPECT_TRUE(passing.exception_date) << y;
    EXPECT_EQ(passing.verdict, Verdict::kValid) << y;
  }
  for (int y : {1961, 1963, 1968, 1971, 1979, 1993, 1996}) {
    char ddmmyy[8];
    std::snprintf(ddmmyy, sizeof(ddmmyy), "0101%02d", y % 100);
    const CprCheck failing = CheckCpr(CprWith(ddmmyy, '2', false), dates, kToday);
    EXPECT_FALSE(failing.exception_date) << y;
    EXPECT_EQ(failing.verdict, Verdict::kDoubtful) << y;
  }
}

TEST(CprCheckTest, ListedYearButOtherDayIsDoubtful) {
  const std::vector<std::string> dates = config::Defaults().cpr.no_check_digit_dates;
  const CprCheck check = CheckCpr(CprWith("020160", '2', false), dates, kToday);
  EXPECT_FALSE(check.exception_date);
  EXPECT_EQ(check.verdict, Verdict::kDoubtful);
}

TEST(CprCheckTest, ExceptionListIsConfigurationNotBuiltIn) {
  const std::string number = CprWith("010161", '2', false);  // 1961: not on cpr.dk's list
  EXPECT_EQ(CheckCpr(number, kNoExceptions, kToday).verdict, Verdict::kDoubtful);
  EXPECT_EQ(CheckCpr(number, {"1961-01-01"}, kToday).verdict, Verdict::kValidWithoutCheckDigit);
  EXPECT_EQ(CheckCpr(number, {"  1961-01-01 "}, kToday).verdict, Verdict::kValidWithoutCheckDigit);
  // A date in another notation never matches.
  EXPECT_EQ(CheckCpr(number, {"01-01-1961"}, kToday).verdict, Verdict::kDoubtful);
}

TEST(CprCheckTest, ExceptionDateDoesNotRescueAnImpossibleDate) {
  const CprCheck check = CheckCpr(CprWith("320160", '2', false), {"1960-01-32"}, kToday);
  EXPECT_EQ(check.verdict, Verdict::kInvalid);
}

// ---- formats ----

struct FormatCase {
  const char* name;
  std::string input;
  bool well_formed;
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }

class CprFormatTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(CprFormatTest, AcceptsTheThreeWrittenFormsOnly) {
  const FormatCase& c = GetParam();
  const CprCheck check = CheckCpr(c.input, kNoExceptions, kToday);
  EXPECT_EQ(check.well_formed, c.well_formed) << c.name;
  if (c.well_formed) {
    EXPECT_EQ(check.digits, "0101901238") << c.name;
    EXPECT_EQ(check.verdict, Verdict::kValid) << c.name;
  } else {
    EXPECT_EQ(check.verdict, Verdict::kInvalid) << c.name;
    EXPECT_TRUE(check.digits.empty()) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CprFormatTest,
    ::testing::Values(
        FormatCase{"dash", "010190-1238", true}, FormatCase{"plain", "0101901238", true},
        FormatCase{"space", "010190 1238", true},
        FormatCase{"surrounding whitespace", "  010190-1238\t", true},
        FormatCase{"en dash", "010190\u20131238", true},
        FormatCase{"hyphen U+2010", "010190\u20101238", true},
        FormatCase{"minus sign", "010190\u22121238", true},
        FormatCase{"no-break space", "010190\u00a01238", true},
        FormatCase{"nine digits", "010190123", false},
        FormatCase{"eleven digits", "01019012380", false},
        FormatCase{"nine digits with dash", "010190-123", false},
        FormatCase{"eleven digits with dash", "010190-12380", false},
        FormatCase{"dash in the wrong place", "01019-01238", false},
        FormatCase{"two dashes", "010190--1238", false},
        FormatCase{"two spaces", "010190  1238", false},
        FormatCase{"spaced pairs", "01 01 90 1238", false},
        FormatCase{"slash", "010190/1238", false}, FormatCase{"dot", "010190.1238", false},
        FormatCase{"letter O", "01O190-1238", false}, FormatCase{"letters", "abcdef-ghij", false},
        FormatCase{"full-width digits", "\uff10\uff11\uff10\uff11\uff19\uff10-1238", false},
        FormatCase{"empty", "", false}, FormatCase{"only dash", "-", false}),
    [](const ::testing::TestParamInfo<FormatCase>& p) {
      std::string name;
      for (const char* s = p.param.name; *s != '\0'; ++s) {
        name += std::isalnum(static_cast<unsigned char>(*s)) ? *s : '_';
      }
      return name;
    });

TEST(CprCheckTest, SexFollowsTheLastDigit) {
  EXPECT_EQ(CheckCpr("111111-1185", kNoExceptions, kToday).sex, CprCheck::Sex::kMale);
  EXPECT_EQ(CheckCpr("010190-1238", kNoExceptions, kToday).sex, CprCheck::Sex::kFemale);
  // Also for a doubtful number: the sex does not depend on the check digit.
  EXPECT_EQ(CheckCpr("010190-1239", kNoExceptions, kToday).sex, CprCheck::Sex::kMale);
  EXPECT_EQ(CheckCpr("garbage", kNoExceptions, kToday).sex, CprCheck::Sex::kUnknown);
}

TEST(CprCheckTest, DefaultTodayIsTheLocalDate) {
  // A number born 1 January 2000 is in the past whenever this test runs.
  EXPECT_TRUE(CheckCpr("010100-5003", kNoExceptions).valid_date);
  EXPECT_TRUE(LocalToday().ok());
  EXPECT_GE(static_cast<int>(LocalToday().year()), 2024);
}

TEST(CprBirthDateMaskedTest, HidesSerialAndRefusesGarbage) {
  EXPECT_EQ(CprBirthDateMasked("010190-1238"), "010190-XXXX");
  EXPECT_EQ(CprBirthDateMasked("0101901238"), "010190-XXXX");
  EXPECT_EQ(CprBirthDateMasked("010190 1238"), "010190-XXXX");
  EXPECT_EQ(CprBirthDateMasked("01019012"), "XXXXXX-XXXX");
  EXPECT_EQ(CprBirthDateMasked("hello"), "XXXXXX-XXXX");
}

// ---- CVR ----

struct CvrCase {
  const char* name;
  std::string input;
  bool valid;
};

void PrintTo(const CvrCase& c, std::ostream* os) { *os << c.name; }

class CvrTest : public ::testing::TestWithParam<CvrCase> {};

TEST_P(CvrTest, RequiresEightDigitsAndModulus11) {
  EXPECT_EQ(CheckCvr(GetParam().input), GetParam().valid) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CvrTest,
    ::testing::Values(
        // erhvervsstyrelsen.dk's example: 1·2+3·7+7·6+4·5+8·4+1·3+3·2+6·1 = 132 = 12·11.
        CvrCase{"erhvervsstyrelsen example", "13748136", true},
        CvrCase{"with spaces", "13 74 81 36", true},
        CvrCase{"surrounding spaces", " 13748136 ", true},
        CvrCase{"no-break spaces", "13\u00a074\u00a081\u00a036", true},
        CvrCase{"check digit off by one", "13748137", false},
        CvrCase{"two digits swapped", "31748136", false}, CvrCase{"seven digits", "1374813", false},
        CvrCase{"nine digits", "137481360", false}, CvrCase{"dashes", "13-74-81-36", false},
        CvrCase{"DK prefix", "DK13748136", false}, CvrCase{"letter", "1374813a", false},
        CvrCase{"all zeros", "00000000", false}, CvrCase{"empty", "", false}),
    [](const ::testing::TestParamInfo<CvrCase>& p) {
      std::string name;
      for (const char* s = p.param.name; *s != '\0'; ++s) {
        name += std::isalnum(static_cast<unsigned char>(*s)) ? *s : '_';
      }
      return name;
    });

TEST(NormaliseDigitsTest, RemovesWhitespaceAndRefusesOtherCharacters) {
  EXPECT_EQ(NormaliseDigits("12 34\t56\u00a078\u2009"), "12345678");
  EXPECT_EQ(NormaliseDigits(""), "");
  EXPECT_EQ(NormaliseDigits("12-34"), "");
  EXPECT_EQ(NormaliseDigits("12a34"), "");
  EXPECT_EQ(NormaliseDigits("\u00e6"), "");
}

}  // namespace
}  // namespace intake
