#include "base/working_days.h"

#include <gtest/gtest.h>

namespace intake {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day D(int y, unsigned m, unsigned d) { return year_month_day{year{y}, month{m}, day{d}}; }

TEST(WorkingDaysTest, EasterSundayMatchesKnownYears) {
  EXPECT_EQ(EasterSunday(year{2024}), D(2024, 3, 31));
  EXPECT_EQ(EasterSunday(year{2025}), D(2025, 4, 20));
  EXPECT_EQ(EasterSunday(year{2026}), D(2026, 4, 5));
  EXPECT_EQ(EasterSunday(year{2038}), D(2038, 4, 25));  // the latest possible date
  EXPECT_EQ(EasterSunday(year{2285}), D(2285, 3, 22));  // the earliest possible date
}

TEST(WorkingDaysTest, MovableHolidaysOf2026AreNamed) {
  EXPECT_EQ(HolidayName(D(2026, 4, 2)), "skærtorsdag");
  EXPECT_EQ(HolidayName(D(2026, 4, 3)), "langfredag");
  EXPECT_EQ(HolidayName(D(2026, 4, 6)), "2. påskedag");
  EXPECT_EQ(HolidayName(D(2026, 5, 14)), "Kristi himmelfartsdag");
  EXPECT_EQ(HolidayName(D(2026, 5, 25)), "2. pinsedag");
  EXPECT_EQ(HolidayName(D(2026, 4, 7)), "");
}

TEST(WorkingDaysTest, StoreBededagIsAHolidayOnlyUntil2023) {
  EXPECT_EQ(HolidayName(D(2023, 5, 5)), "store bededag");
  EXPECT_TRUE(IsWorkingDay(D(2024, 4, 26)));  // the Friday it would have been
}

TEST(WorkingDaysTest, OfficeClosingDaysAreOptional) {
  EXPECT_FALSE(IsWorkingDay(D(2026, 6, 5)));  // grundlovsdag, a Friday
  EXPECT_TRUE(IsWorkingDay(D(2026, 6, 5), {.office_closing_days = false}));
  EXPECT_FALSE(IsWorkingDay(D(2026, 12, 24)));
}

TEST(WorkingDaysTest, WeekendsAreNotWorkingDays) {
  EXPECT_FALSE(IsWorkingDay(D(2026, 11, 28)));  // Saturday
  EXPECT_FALSE(IsWorkingDay(D(2026, 11, 29)));  // Sunday
  EXPECT_TRUE(IsWorkingDay(D(2026, 11, 27)));   // Friday
}

TEST(WorkingDaysTest, CountsOnlyWholeWorkingDaysBetween) {
  EXPECT_EQ(WorkingDaysBetween(D(2026, 11, 27), D(2026, 11, 27)), 0);  // same day
  EXPECT_EQ(WorkingDaysBetween(D(2026, 11, 26), D(2026, 11, 27)), 0);  // next day
  EXPECT_EQ(WorkingDaysBetween(D(2026, 11, 26), D(2026, 11, 30)), 1);  // Thu → Mon: Friday
  EXPECT_EQ(WorkingDaysBetween(D(2026, 11, 27), D(2026, 11, 30)), 0);  // Fri → Mon
  EXPECT_EQ(WorkingDaysBetween(D(2026, 11, 27), D(2026, 12, 1)), 1);   // Fri → Tue
  // Over Easter 2026: Wednesday 1 April to Tuesday 7 April has no working day between.
  EXPECT_EQ(WorkingDaysBetween(D(2026, 4, 1), D(2026, 4, 7)), 0);
  EXPECT_EQ(WorkingDaysBetween(D(2026, 11, 30), D(2026, 11, 20)), 0);  // backwards
}

TEST(WorkingDaysTest, ParseIsoDayRefusesMalformedText) {
  EXPECT_EQ(ParseIsoDay("2026-11-27"), D(2026, 11, 27));
  EXPECT_FALSE(ParseIsoDay("2026-02-30").ok());
  EXPECT_FALSE(ParseIsoDay("27-11-2026").ok());
  EXPECT_FALSE(ParseIsoDay("2026-1-7").ok());
  EXPECT_FALSE(ParseIsoDay("").ok());
}

}  // namespace
}  // namespace intake
