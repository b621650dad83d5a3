// Validation of Danish identity numbers: CPR (personnummer) and CVR (company number),
// following DOMAIN.md section 5.
//
// CPR: ten digits DDMMYY-SSSS; the century comes from digit 7 and YY; the birth date must
// be a real date not after "today". Modulus 11 is a confidence signal, never a rejection:
// numbers without a valid check digit have been issued since 2007 (almost only for
// 1 January), and the list of those birth dates is configuration (config::CprSection).
// CVR: eight digits whose modulus-11 check is mandatory (every CVR number passes it).
//
// These functions never log or keep the number. Callers must not put a CPR number into
// logs or error messages (base/cpr_mask.h).
//
// Thread-safety: pure functions.
#ifndef INTAKE_BASE_DANISH_IDS_H_
#define INTAKE_BASE_DANISH_IDS_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace intake {

// The result of checking one CPR number. Fields after `well_formed` are meaningful only
// when it is true; date fields only when `valid_date` is true or `in_future` is true.
struct CprCheck {
  enum class Verdict {
    kValid,                   // a real past date and modulus 11 holds
    kValidWithoutCheckDigit,  // modulus 11 fails, but the date is on the exception list
    kDoubtful,                // modulus 11 fails and the date is not listed: confirm it
    kInvalid,                 // not ten digits, or not a real past or present birth date
  };
  enum class Sex { kUnknown, kMale, kFemale };

  bool well_formed = false;  // "DDMMYY-SSSS", "DDMMYYSSSS" or "DDMMYY SSSS"
  std::string digits;        // the ten digits when well_formed; personal data, never log
  bool valid_date = false;   // a real calendar date under the century rule, not in the future
  bool in_future = false;    // a real date, but after `today`
  int year = 0;              // full year by the century rule (1858..2057)
  int month = 0;
  int day = 0;
  bool modulus11_ok = false;    // weights 4,3,2,7,6,5,4,3,2,1, sum divisible by 11
  bool exception_date = false;  // the birth date is on the no-check-digit list
  Sex sex = Sex::kUnknown;      // last digit odd: male, even: female
  Verdict verdict = Verdict::kInvalid;
};

// Today's date in the local time zone (the default "today" of CheckCpr).
std::chrono::year_month_day LocalToday();

// The full birth year of a CPR number from YY (0..99) and digit 7 (0..9), by the table of
// DOMAIN.md section 5 (digit 7 0-3: 19xx; 4 and 9: 20xx for YY <= 36, else 19xx; 5-8: 20xx
// for YY <= 57, else 18xx).
// REQUIRES: 0 <= yy <= 99, 0 <= digit7 <= 9.
int CprBirthYear(int yy, int digit7);

// Checks `number`. Accepted forms, with surrounding whitespace ignored: "DDMMYY-SSSS",
// "DDMMYYSSSS" and "DDMMYY SSSS"; the separator may also be a Unicode dash (U+2010..U+2015,
// U+2212) or a no-break space. Anything else (letters, other lengths, spaces elsewhere)
// is not well formed. `no_check_digit_dates` holds dates as "YYYY-MM-DD" (entries in
// another form never match).
CprCheck CheckCpr(std::string_view number, const std::vector<std::string>& no_check_digit_dates,
                  std::chrono::year_month_day today = LocalToday());

// True if `number` is a CVR number: eight digits, spaces allowed (and ignored), not
// starting with 0 (CVR numbers are issued from 10000000 upwards), and the weighted sum
// (weights 2,7,6,5,4,3,2,1) divisible by 11. Example: "13748136".
bool CheckCvr(std::string_view number);

// The digits of `text` with whitespace removed (ASCII space and tab, U+00A0, U+2009,
// U+202F). Returns "" if `text` holds any other character besides digits and whitespace.
std::string NormaliseDigits(std::string_view text);

// "DDMMYY-XXXX" for a well-formed CPR number: hides serial and sex for display, but is
// still personal data (DOMAIN.md section 5); show it only where that is allowed and never
// log it. Returns kCprMask ("XXXXXX-XXXX") if `number` is not well formed.
std::string CprBirthDateMasked(std::string_view number);

}  // namespace intake

#endif  // INTAKE_BASE_DANISH_IDS_H_
