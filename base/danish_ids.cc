#include "base/danish_ids.h"

#include <cassert>
#include <cstdio>
#include <ctime>

#include "base/cpr_mask.h"

namespace intake {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int DigitAt(std::string_view s, size_t i) { return s[i] - '0'; }

// Length of a whitespace character at `pos` (ASCII space or tab, U+00A0, U+2009, U+202F),
// or 0.
size_t WhitespaceAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xC2 && pos + 1 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0xA0) {
    return 2;
  }
  if (c == 0xE2 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[pos + 2]);
    if (c2 == 0x89 || c2 == 0xAF) return 3;
  }
  return 0;
}

// True if `s` is exactly one CPR separator: '-', ' ', U+00A0, U+2010..U+2015, U+2212.
bool IsCprSeparator(std::string_view s) {
  if (s == "-" || s == " " || s == "\u00a0" || s == "\u2212") return true;
  if (s.size() == 3 && static_cast<unsigned char>(s[0]) == 0xE2 &&
      static_cast<unsigned char>(s[1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[2]);
    return c2 >= 0x90 && c2 <= 0x95;
  }
  return false;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The ten digits of a well-formed CPR number, or "".
std::string CprDigits(std::string_view number) {
  number = TrimWhitespace(number);
  if (number.size() == 10 && AllDigits(number)) return std::string(number);
  if (number.size() < 11) return "";
  const std::string_view date = number.substr(0, 6);
  const std::string_view serial = number.substr(number.size() - 4);
  const std::string_view separator = number.substr(6, number.size() - 10);
  if (!AllDigits(date) || !AllDigits(serial) || !IsCprSeparator(separator)) return "";
  std::string digits(date);
  digits += serial;
  return digits;
}

std::string IsoDate(int year, int month, int day) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", year, month, day);
  return buffer;
}

}  // namespace

std::chrono::year_month_day LocalToday() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return std::chrono::year_month_day{std::chrono::year{local.tm_year + 1900},
                                     std::chrono::month{static_cast<unsigned>(local.tm_mon + 1)},
                                     std::chrono::day{static_cast<unsigned>(local.tm_mday)}};
}

int CprBirthYear(int yy, int digit7) {
  assert(yy >= 0 && yy <= 99);
  assert(digit7 >= 0 && digit7 <= 9);
  if (digit7 <= 3) return 1900 + yy;
  if (digit7 == 4 || digit7 == 9) return (yy <= 36 ? 2000 : 1900) + yy;
  // Digits 5..8.
  return (yy <= 57 ? 2000 : 1800) + yy;
}

CprCheck CheckCpr(std::string_view number, const std::vector<std::string>& no_check_digit_dates,
                  std::chrono::year_month_day today) {
  CprCheck check;
  check.digits = CprDigits(number);
  if (check.digits.empty()) return check;
  check.well_formed = true;
  const std::string_view d = check.digits;

  check.day = DigitAt(d, 0) * 10 + DigitAt(d, 1);
  check.month = DigitAt(d, 2) * 10 + DigitAt(d, 3);
  check.year = CprBirthYear(DigitAt(d, 4) * 10 + DigitAt(d, 5), DigitAt(d, 6));
  check.sex = DigitAt(d, 9) % 2 == 1 ? CprCheck::Sex::kMale : CprCheck::Sex::kFemale;

  static constexpr int kWeights[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) sum += DigitAt(d, i) * kWeights[i];
  check.modulus11_ok = sum % 11 == 0;

  const std::chrono::year_month_day birth{std::chrono::year{check.year},
                                          std::chrono::month{static_cast<unsigned>(check.month)},
                                          std::chrono::day{static_cast<unsigned>(check.day)}};
  if (birth.ok()) {
    if (birth > today) {
      check.in_future = true;
    } else {
      check.valid_date = true;
    }
  }
  const std::string iso = IsoDate(check.year, check.month, check.day);
  for (const std::string& listed : no_check_digit_dates) {
    if (TrimWhitespace(listed) == iso) {
      check.exception_date = true;
      break;
    }
  }

  if (!check.valid_date) {
    check.verdict = CprCheck::Verdict::kInvalid;
  } else if (check.modulus11_ok) {
    check.verdict = CprCheck::Verdict::kValid;
  } else if (check.exception_date) {
    check.verdict = CprCheck::Verdict::kValidWithoutCheckDigit;
  } else {
    check.verdict = CprCheck::Verdict::kDoubtful;
  }
  return check;
}

std::string NormaliseDigits(std::string_view text) {
  std::string digits;
  size_t pos = 0;
  while (pos < text.size()) {
    if (IsDigit(text[pos])) {
      digits += text[pos];
      ++pos;
      continue;
    }
    const size_t space = WhitespaceAt(text, pos);
    if (space == 0) return "";
    pos += space;
  }
  return digits;
}

bool CheckCvr(std::string_view number) {
  const std::string digits = NormaliseDigits(number);
  if (digits.size() != 8 || digits[0] == '0') return false;
  static constexpr int kWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += DigitAt(digits, i) * kWeights[i];
  return sum % 11 == 0;
}

std::string CprBirthDateMasked(std::string_view number) {
  const std::string digits = CprDigits(number);
  if (digits.empty()) return std::string(kCprMask);
  return digits.substr(0, 6) + "-XXXX";
}

}  // namespace intake
