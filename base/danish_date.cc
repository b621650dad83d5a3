#include "base/danish_date.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <regex>

#include "base/danish_case.h"

namespace intake {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr int kFirstYear = 1850;
constexpr int kLastYear = 2150;

constexpr std::array<const char*, 12> kMonthNames = {
    "januar", "februar", "marts",     "april",   "maj",      "juni",
    "juli",   "august",  "september", "oktober", "november", "december"};

// Weekdays by std::chrono::weekday's encoding (0 = Sunday).
constexpr std::array<const char*, 7> kWeekdays = {"søndag",  "mandag", "tirsdag", "onsdag",
                                                  "torsdag", "fredag", "lørdag"};

// The month (1..12) of a lower-case month name or abbreviation, or 0.
int MonthOf(std::string_view word) {
  for (size_t k = 0; k < kMonthNames.size(); ++k) {
    const std::string_view name = kMonthNames[k];
    if (word == name || (word.size() == 3 && name.substr(0, 3) == word)) {
      return static_cast<int>(k) + 1;
    }
  }
  return word == "sept" ? 9 : 0;
}

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// One syntactic date in the text, possibly impossible.
struct Candidate {
  FoundDate date;
  std::string problem;  // Danish, why it is not a real date; empty when it is one
};

int FullYear(int yy, int reference_year) {
  int y = reference_year / 100 * 100 + yy;
  if (y > reference_year + 10) y -= 100;
  if (y <= reference_year - 90) y += 100;
  return y;
}

void Check(Candidate& c) {
  FoundDate& d = c.date;
  if (d.year < kFirstYear || d.year > kLastYear) {
    c.problem = "året " + std::to_string(d.year) + " ligger uden for " +
                std::to_string(kFirstYear) + "–" + std::to_string(kLastYear);
  } else if (d.month < 1 || d.month > 12) {
    c.problem = "der er ingen måned nr. " + std::to_string(d.month);
  } else if (d.day < 1 || d.day > DaysIn(d.year, d.month)) {
    c.problem = std::string(kMonthNames[static_cast<size_t>(d.month - 1)]) + " " +
                std::to_string(d.year) + " har " + std::to_string(DaysIn(d.year, d.month)) +
                " dage, ikke en " + std::to_string(d.day) + ".";
    if (d.day < 1) c.problem = "der er ingen dag nr. " + std::to_string(d.day);
  }
}

bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80;
}

// Moves `begin` back over "den" or "d." and a weekday before them (with an optional comma),
// and flags a weekday that does not match the date.
void TakeLeadingWords(const std::string& low, Candidate& c) {
  size_t b = c.date.begin;
  const auto skip_space = [&](size_t at) {
    while (at > 0 && (low[at - 1] == ' ' || low[at - 1] == '\t' || low[at - 1] == ',')) --at;
    return at;
  };
  const auto ends_with_word = [&](size_t at, std::string_view word) {
    if (at < word.size() || low.compare(at - word.size(), word.size(), word) != 0) return false;
    const size_t start = at - word.size();
    return start == 0 || !IsWordByte(low[start - 1]);
  };
  size_t at = skip_space(b);
  if (ends_with_word(at, "den")) {
    b = at - 3;
  } else if (ends_with_word(at, "d.")) {
    b = at - 2;
  }
  at = skip_space(b);
  for (size_t k = 0; k < kWeekdays.size(); ++k) {
    if (ends_with_word(at, kWeekdays[k])) {
      b = at - std::string_view(kWeekdays[k]).size();
      if (c.problem.empty()) {
        const std::chrono::weekday actual{
            sys_days{year(c.date.year) / month(static_cast<unsigned>(c.date.month)) /
                     day(static_cast<unsigned>(c.date.day))}};
        c.date.weekday_mismatch = actual.c_encoding() != k;
      }
      break;
    }
  }
  c.date.begin = b;
}

std::vector<Candidate> Candidates(std::string_view text, const DateOptions& options) {
  const std::string low = LowerDanish(text);
  const int reference_year = static_cast<int>(options.reference.year());
  std::vector<Candidate> out;
  const auto year_of = [&](const std::string& digits, bool* two_digit) {
    *two_digit = digits.size() == 2;
    const int value = std::stoi(digits);
    return *two_digit ? FullYear(value, reference_year) : value;
  };

  // "11. januar 2012", "13 JAN. 12", "11.jan.2012".
  static const std::regex kNamed(
      R"((^|[^0-9a-z])(\d{1,2})\.?[ \t]*(januar|februar|marts|april|maj|juni|juli|august|)"
      R"(september|oktober|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec))"
      R"(\.?(?![a-z])[ \t]*,?[ \t]*(\d{4}|\d{2})(?![0-9]))");
  for (auto it = std::sregex_iterator(low.begin(), low.end(), kNamed); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    Candidate c;
    c.date.day = std::stoi(m[2].str());
    c.date.month = MonthOf(m[3].str());
    c.date.year = year_of(m[4].str(), &c.date.two_digit_year);
    c.date.begin = static_cast<size_t>(m.position(2));
    c.date.end = static_cast<size_t>(m.position(4) + m.length(4));
    out.push_back(std::move(c));
  }
  // "11.01.2012", "11.1.12", "11-01-2012", "11/1-2012", "11/1 2012" (a space only before a
  // four-digit year: "11/1 20" is more often a count than a date).
  static const std::regex kNumeric(
      R"((^|[^0-9.,/-]|[a-z]\.)(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}|\d{2})|[ \t]+(\d{4})))"
      R"((?![0-9]|[.,/-][0-9]))");
  for (auto it = std::sregex_iterator(low.begin(), low.end(), kNumeric);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const int year_group = m[4].matched ? 4 : 5;
    Candidate c;
    c.date.day = std::stoi(m[2].str());
    c.date.month = std::stoi(m[3].str());
    c.date.year = year_of(m[year_group].str(), &c.date.two_digit_year);
    c.date.begin = static_cast<size_t>(m.position(2));
    c.date.end = static_cast<size_t>(m.position(year_group) + m.length(year_group));
    out.push_back(std::move(c));
  }
  // "2012-01-11".
  static const std::regex kIso(R"((^|[^0-9.,/-]|[a-z]\.)(\d{4})-(\d{1,2})-(\d{1,2})(?![0-9]))");
  for (auto it = std::sregex_iterator(low.begin(), low.end(), kIso); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    Candidate c;
    c.date.year = std::stoi(m[2].str());
    c.date.month = std::stoi(m[3].str());
    c.date.day = std::stoi(m[4].str());
    c.date.begin = static_cast<size_t>(m.position(2));
    c.date.end = static_cast<size_t>(m.position(4) + m.length(4));
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.date.begin < b.date.begin; });
  // Overlapping matches: the first one wins.
  std::vector<Candidate> kept;
  for (Candidate& c : out) {
    if (!kept.empty() && c.date.begin < kept.back().date.end) continue;
    kept.push_back(std::move(c));
  }
  const sys_days reference{options.reference};
  // For 29 February and a year without it, sys_days counts on into 1 March.
  const sys_days old_limit{
      year_month_day{options.reference.year() - std::chrono::years(options.old_years),
                     options.reference.month(), options.reference.day()}};
  for (Candidate& c : kept) {
    Check(c);
    TakeLeadingWords(low, c);
    if (!c.problem.empty()) continue;
    const sys_days when{year(c.date.year) / month(static_cast<unsigned>(c.date.month)) /
                        day(static_cast<unsigned>(c.date.day))};
    c.date.future = when > reference;
    c.date.old = when < old_limit;
  }
  return kept;
}

std::string Quoted(std::string_view text) { return "«" + std::string(text) + "»"; }

constexpr const char kHowToWrite[] =
    "skriv den fx som 11. januar 2026, 11.01.2026 eller 2026-01-11";

}  // namespace

std::string FoundDate::Iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string FoundDate::Long() const {
  if (month < 1 || month > 12) return Iso();
  return std::to_string(day) + ". " + kMonthNames[static_cast<size_t>(month - 1)] + " " +
         std::to_string(year);
}

std::vector<FoundDate> FindDates(std::string_view text, const DateOptions& options) {
  std::vector<FoundDate> found;
  for (Candidate& c : Candidates(text, options)) {
    if (c.problem.empty()) found.push_back(c.date);
  }
  return found;
}

Result<FoundDate> ParseDate(std::string_view text, const DateOptions& options) {
  const std::vector<Candidate> candidates = Candidates(text, options);
  if (candidates.empty()) {
    return Error(ErrorCode::kInvalidArgument, Quoted(text) + " er ikke en dato; " + kHowToWrite);
  }
  if (candidates.size() > 1) {
    return Error(ErrorCode::kInvalidArgument,
                 Quoted(text) + " indeholder mere end én dato; skriv kun én");
  }
  const Candidate& c = candidates.front();
  if (!c.problem.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 Quoted(text) + " er ikke en gyldig dato: " + c.problem);
  }
  // Other digits around the date mean something else was written ("11.01.2026 kl. 10").
  for (size_t i = 0; i < text.size(); ++i) {
    if ((i < c.date.begin || i >= c.date.end) && text[i] >= '0' && text[i] <= '9') {
      return Error(ErrorCode::kInvalidArgument,
                   Quoted(text) + " er ikke kun en dato; " + kHowToWrite);
    }
  }
  return c.date;
}

std::string LongDanishDate(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return "";
  for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (iso[k] < '0' || iso[k] > '9') return "";
  }
  Candidate c;
  c.date.year = std::stoi(std::string(iso.substr(0, 4)));
  c.date.month = std::stoi(std::string(iso.substr(5, 2)));
  c.date.day = std::stoi(std::string(iso.substr(8, 2)));
  Check(c);
  return c.problem.empty() ? c.date.Long() : "";
}

}  // namespace intake
