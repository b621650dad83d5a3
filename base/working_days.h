// Danish working days: the queue-age rule of DOMAIN.md section 10 ("scanned but not
// journalised for more than one working day").
//
// A working day is Monday to Friday that is not a Danish public holiday (helligdag):
// nytårsdag (1 January), skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi
// himmelfartsdag, pinsedag, 2. pinsedag, juledag and 2. juledag; store bededag until 2023
// (abolished from 2024). Days that public offices usually close although they are not
// holidays by law are configuration for the caller: grundlovsdag (5 June), juleaften
// (24 December) and nytårsaftensdag (31 December) are included when `office_closing_days`
// is set (the default), as municipal offices close on them.
//
// Thread-safety: pure functions.
#ifndef INTAKE_BASE_WORKING_DAYS_H_
#define INTAKE_BASE_WORKING_DAYS_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/danish_ids.h"  // LocalToday

namespace intake {

struct WorkingDayOptions {
  bool office_closing_days = true;
};

// Easter Sunday of `year` (Gregorian calendar).
std::chrono::year_month_day EasterSunday(std::chrono::year year);

// The Danish name of the holiday on `day` ("langfredag"), or "" on an ordinary day
// (weekends are not named).
std::string HolidayName(std::chrono::year_month_day day, const WorkingDayOptions& options = {});

bool IsWorkingDay(std::chrono::year_month_day day, const WorkingDayOptions& options = {});

// Working days that have ended after `from` and up to `to`: the days d with
// from < d < to that are working days. Received Friday and still waiting on Monday is 0
// full working days; still waiting on Tuesday is 1 (Monday has passed). 0 when to <= from.
int WorkingDaysBetween(std::chrono::year_month_day from, std::chrono::year_month_day to,
                       const WorkingDayOptions& options = {});

// Parses "YYYY-MM-DD"; !ok() when it is not a valid date.
std::chrono::year_month_day ParseIsoDay(std::string_view iso);

}  // namespace intake

#endif  // INTAKE_BASE_WORKING_DAYS_H_
