// Danish dates in letters, stamps and typed fields (DOMAIN.md section 6), to ISO YYYY-MM-DD.
//
// Day first, always. The forms:
//
//   den 11. januar 2012   d. 11. jan. 2012   onsdag den 11. januar 2012   11 JAN. 2012
//   MODTAGET 13 JAN. 2012   11.01.2012   11.1.12   11-01-2012   11/1-2012   11/1 2012
//   Kbh. d. 11/1-2012   Modt. 13.01.12   2012-01-11
//
// Month names and their abbreviations (januar … december; jan, feb, mar, apr, maj, jun, jul,
// aug, sep, sept, okt, nov, dec) and weekdays (mandag … søndag) in any letter case, as
// stamps and OCR write them. A two-digit year takes the century that puts it within 90
// years before and 10 years after the reference date (normally the scan or post-opening
// date), not a fixed pivot. Years outside 1850–2150 are not taken as dates.
//
// An impossible date (31. februar, 30.02.2026, month 13, day 0) is never a date: FindDates
// skips it and ParseDate refuses it with a Danish message saying why. A date after the
// reference date or more than `old_years` before it is a date with a warning flag; a
// weekday that does not match the date ("torsdag den 11. januar 2012") is flagged too.
//
// Thread-safety: pure functions.
#ifndef INTAKE_BASE_DANISH_DATE_H_
#define INTAKE_BASE_DANISH_DATE_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake {

struct DateOptions {
  // The day the text is read against: the two-digit-year window and the warnings.
  std::chrono::year_month_day reference;
  // A date further back than this is flagged `old`.
  int old_years = 10;
};

struct FoundDate {
  int year = 0;
  int month = 0;
  int day = 0;
  size_t begin = 0;  // byte offsets in the text: the date with its weekday and "den"/"d."
  size_t end = 0;
  bool two_digit_year = false;
  bool future = false;            // after the reference date
  bool old = false;               // more than old_years before the reference date
  bool weekday_mismatch = false;  // a weekday was written and the date falls on another
  std::string Iso() const;        // "YYYY-MM-DD"
  std::string Long() const;       // "11. januar 2012", as titles write it
};

// Every date in `text` (OCR text of a letter, a stamp), in the order they occur.
std::vector<FoundDate> FindDates(std::string_view text, const DateOptions& options);

// `text` as one date, as typed into a field or on the command line ("11.1.26", "11. januar
// 2026", "2026-01-11"); words around it such as a weekday, "den" or "modtaget" are allowed,
// other digits are not. kInvalidArgument with a Danish message naming the text and saying
// what to write: not a date, an impossible date (naming why), or more than one date.
Result<FoundDate> ParseDate(std::string_view text, const DateOptions& options);

// "11. januar 2012" for an ISO date "2012-01-11"; "" if `iso` is not a valid ISO date.
std::string LongDanishDate(std::string_view iso);

}  // namespace intake

#endif  // INTAKE_BASE_DANISH_DATE_H_
