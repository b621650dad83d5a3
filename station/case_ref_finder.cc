#include "station/case_ref_finder.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/danish_case.h"

namespace intake::station {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The digit an OCR lookalike stands for, or 0.
char LookalikeDigit(char c) {
  switch (c) {
    case 'O':
    case 'o':
    case 'D':
      return '0';
    case 'I':
    case 'l':
    case '|':
      return '1';
    case 'S':
      return '5';
    case 'B':
      return '8';
    case 'Z':
      return '2';
    default:
      return 0;
  }
}

bool IsSeparator(char c) { return c == '.' || c == '-' || c == '/'; }

// Length of a whitespace character at `i` (ASCII, or U+00A0), or 0.
size_t SpaceAt(std::string_view s, size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    return 2;
  }
  return 0;
}

// `word` with typographic dashes as '-'; `*repairs` counts them.
std::string AsciiDashes(std::string_view word, int* repairs) {
  std::string out;
  for (size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c == 0xE2 && i + 2 < word.size()) {
      const auto c1 = static_cast<unsigned char>(word[i + 1]);
      const auto c2 = static_cast<unsigned char>(word[i + 2]);
      if ((c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95) || (c1 == 0x88 && c2 == 0x92)) {
        out += '-';
        ++*repairs;
        i += 2;
        continue;
      }
    }
    out += word[i];
  }
  return out;
}

// Repairs the lookalikes in each mostly-digit part of `word` (see the header).
std::string RepairParts(const std::string& word, int* repairs) {
  std::string out = word;
  const auto real_digits = std::count_if(word.begin(), word.end(), IsDigit);
  const auto separators = std::count_if(word.begin(), word.end(), IsSeparator);
  const bool word_mostly_digits =
      2 * real_digits >= static_cast<long>(word.size()) - static_cast<long>(separators);
  size_t b = 0;
  while (b <= out.size()) {
    size_t e = b;
    while (e < out.size() && !IsSeparator(out[e])) ++e;
    size_t from = b;
    // A facet: a letter, then a mostly-digit rest ("G01", "g0l").
    if (e - b >= 2 && IsAsciiLetter(out[b])) {
      int rest_digits = 0;
      for (size_t k = b + 1; k < e; ++k) rest_digits += IsDigit(out[k]);
      if (rest_digits > 0 && 2 * rest_digits >= static_cast<int>(e - b - 1) &&
          !LookalikeDigit(out[b])) {
        if (out[b] >= 'a' && out[b] <= 'z') {
          out[b] = static_cast<char>(out[b] - 'a' + 'A');
          ++*repairs;
        }
        from = b + 1;
      }
    }
    int digits = 0;
    bool only_digit_like = true;
    for (size_t k = from; k < e; ++k) {
      digits += IsDigit(out[k]);
      only_digit_like = only_digit_like && (IsDigit(out[k]) || LookalikeDigit(out[k]) != 0);
    }
    // Mostly digits, or only lookalikes in a word that is mostly digits ("27.24.OO-...").
    if (e > from && ((digits > 0 && 2 * digits >= static_cast<int>(e - from)) ||
                     (only_digit_like && word_mostly_digits))) {
      for (size_t k = from; k < e; ++k) {
        if (const char d = LookalikeDigit(out[k]); d != 0) {
          out[k] = d;
          ++*repairs;
        }
      }
    }
    b = e + 1;
  }
  return out;
}

// Number cues (DOMAIN.md section 7), lower case, longest first.
constexpr std::array<std::string_view, 16> kCues = {"kommunens sagsnr.",
                                                    "journalnummer",
                                                    "deres j.nr.",
                                                    "vores j.nr.",
                                                    "journalnr.",
                                                    "sagsnummer",
                                                    "deres ref.",
                                                    "vores ref.",
                                                    "vor j.nr.",
                                                    "sagsnr.",
                                                    "dok.nr.",
                                                    "aktnr.",
                                                    "j.nr.",
                                                    "jnr.",
                                                    "ref.",
                                                    "sag"};

// The cue right before `begin` (spaces and a colon between), as written, or "".
std::string CueBefore(std::string_view text, const std::string& low, size_t begin) {
  size_t at = begin;
  while (at > 0 && (low[at - 1] == ' ' || low[at - 1] == '\t' || low[at - 1] == ':')) --at;
  for (std::string_view cue : kCues) {
    if (at < cue.size() || low.compare(at - cue.size(), cue.size(), cue) != 0) continue;
    const size_t start = at - cue.size();
    if (start > 0 &&
        (IsAsciiLetter(low[start - 1]) || static_cast<unsigned char>(low[start - 1]) >= 0x80)) {
      continue;  // "forsag" is not "sag"
    }
    return std::string(text.substr(start, cue.size()));
  }
  return "";
}

}  // namespace

Result<CaseRefFinder> CaseRefFinder::Create(
    const std::vector<config::CaseNumberPattern>& patterns) {
  std::vector<System> systems;
  for (const config::CaseNumberPattern& p : patterns) {
    auto compiled = config::Pattern::Compile(p.pattern);
    if (!compiled) {
      return compiled.error().WithContext("sagsnummermønsteret for " + p.system);
    }
    systems.push_back(System{p.system, std::move(*compiled)});
  }
  return CaseRefFinder(std::move(systems));
}

std::vector<CaseRefFinding> CaseRefFinder::Find(std::string_view text) const {
  std::vector<CaseRefFinding> found;
  const std::string low = LowerDanish(text);
  size_t i = 0;
  while (i < text.size()) {
    if (const size_t space = SpaceAt(text, i); space > 0) {
      i += space;
      continue;
    }
    size_t b = i;
    while (i < text.size() && SpaceAt(text, i) == 0) ++i;
    size_t e = i;
    // Punctuation around the word is not part of the reference.
    while (b < e && (text[b] == '(' || text[b] == '"' || text[b] == '\'')) ++b;
    while (e > b &&
           (text[e - 1] == '.' || text[e - 1] == ',' || text[e - 1] == ';' || text[e - 1] == ':' ||
            text[e - 1] == ')' || text[e - 1] == '"' || text[e - 1] == '\'')) {
      --e;
    }
    const std::string_view word = text.substr(b, e - b);
    if (std::count_if(word.begin(), word.end(), IsDigit) < 3) continue;
    int dash_repairs = 0;
    const std::string written = AsciiDashes(word, &dash_repairs);
    int part_repairs = 0;
    const std::string repaired = RepairParts(written, &part_repairs);
    for (const System& system : systems_) {
      std::string matched;
      int repairs = 0;
      if (system.pattern.FullMatch(written)) {
        matched = written;
        repairs = dash_repairs;
      } else if (part_repairs > 0 && system.pattern.FullMatch(repaired)) {
        matched = repaired;
        repairs = dash_repairs + part_repairs;
      } else {
        continue;
      }
      CaseRefFinding f;
      f.system = system.name;
      f.reference = std::move(matched);
      f.as_written = std::string(word);
      f.begin = b;
      f.end = e;
      f.repairs = repairs;
      f.cue = CueBefore(text, low, b);
      found.push_back(std::move(f));
    }
  }
  return found;
}

}  // namespace intake::station
