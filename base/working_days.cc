#include "base/working_days.h"

namespace intake {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day Plus(year_month_day d, int n) { return year_month_day{sys_days{d} + days{n}}; }

}  // namespace

year_month_day EasterSunday(year y) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = static_cast<int>(y) % 19;
  const int b = static_cast<int>(y) / 100;
  const int c = static_cast<int>(y) % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month_number = (h + l - 7 * m + 114) / 31;
  const int day_number = (h + l - 7 * m + 114) % 31 + 1;
  return year_month_day{y, month{static_cast<unsigned>(month_number)},
                        day{static_cast<unsigned>(day_number)}};
}

std::string HolidayName(year_month_day d, const WorkingDayOptions& options) {
  const unsigned mo = static_cast<unsigned>(d.month());
  const unsigned da = static_cast<unsigned>(d.day());
  if (mo == 1 && da == 1) return "nytårsdag";
  if (mo == 12 && da == 25) return "juledag";
  if (mo == 12 && da == 26) return "2. juledag";
  if (options.office_closing_days) {
    if (mo == 6 && da == 5) return "grundlovsdag";
    if (mo == 12 && da == 24) return "juleaften";
    if (mo == 12 && da == 31) return "nytårsaftensdag";
  }
  const sys_days easter{EasterSunday(d.year())};
  const int offset = static_cast<int>((sys_days{d} - easter).count());
  switch (offset) {
    case -3: return "skærtorsdag";
    case -2: return "langfredag";
    case 0: return "påskedag";
    case 1: return "2. påskedag";
    case 26:
      if (static_cast<int>(d.year()) <= 2023) return "store bededag";
      break;
    case 39: return "Kristi himmelfartsdag";
    case 49: return "pinsedag";
    case 50: return "2. pinsedag";
    default: break;
  }
  return "";
}

bool IsWorkingDay(year_month_day d, const WorkingDayOptions& options) {
  const std::chrono::weekday wd{sys_days{d}};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  return HolidayName(d, options).empty();
}

int WorkingDaysBetween(year_month_day from, year_month_day to,
                       const WorkingDayOptions& options) {
  int count = 0;
  for (year_month_day d = Plus(from, 1); sys_days{d} < sys_days{to}; d = Plus(d, 1)) {
    if (IsWorkingDay(d, options)) ++count;
  }
  return count;
}

year_month_day ParseIsoDay(std::string_view iso) {
  auto digits = [&](size_t from, size_t n, int& out) {
    out = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (i >= iso.size() || iso[i] < '0' || iso[i] > '9') return false;
      out = out * 10 + (iso[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !digits(0, 4, y) ||
      !digits(5, 2, m) || !digits(8, 2, d)) {
    return year_month_day{year{0}, month{0}, day{0}};
  }
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
}

}  // namespace intake
