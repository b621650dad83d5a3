#include "base/cpr_mask.h"

#include <cstddef>
#include <optional>

namespace intake {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Characters OCR commonly produces in place of a digit.
bool IsDigitLookalike(char c) {
  switch (c) {
    case 'O': case 'o': case 'D': case 'I': case 'l': case '|': case 'S': case 'B':
      return true;
    default:
      return false;
  }
}

// A character that may belong to a longer number, so a CPR cannot start or end next to it.
bool IsNumberChar(char c) { return IsAsciiDigit(c); }

// Length of a space-like character at `pos` (ASCII space or tab, U+00A0, U+2009, U+202F),
// or 0.
size_t SpaceAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xC2 && pos + 1 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0xA0) {
    return 2;
  }
  if (c == 0xE2 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[pos + 2]);
    if (c2 == 0x89 || c2 == 0xAF) return 3;  // thin space, narrow no-break space
  }
  return 0;
}

// Length of a delimiter at `pos` ('-', '/', '.', U+2010..U+2015, U+2212), or 0.
size_t DelimiterAt(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == '-' || c == '/' || c == '.') return 1;
  if (c == 0xE2 && pos + 2 < s.size()) {
    const auto c1 = static_cast<unsigned char>(s[pos + 1]);
    const auto c2 = static_cast<unsigned char>(s[pos + 2]);
    if (c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95) return 3;  // hyphen .. horizontal bar
    if (c1 == 0x88 && c2 == 0x92) return 3;                 // minus sign
  }
  return 0;
}

struct Digits {
  size_t pos;
  int real;  // how many were true digits (the rest were lookalikes)
};

// Reads `count` digit-like characters at `pos`; returns the position after them.
std::optional<Digits> ReadDigits(std::string_view s, size_t pos, int count) {
  int real = 0;
  for (int i = 0; i < count; ++i, ++pos) {
    if (pos >= s.size()) return std::nullopt;
    if (IsAsciiDigit(s[pos])) {
      ++real;
    } else if (!IsDigitLookalike(s[pos])) {
      return std::nullopt;
    }
  }
  return Digits{pos, real};
}

// If a CPR-like number starts at `start`, returns the position just after it.
std::optional<size_t> MatchAt(std::string_view s, size_t start) {
  int real = 0;
  size_t pos = start;
  // DD MM YY with an optional single space between the pairs.
  for (int pair = 0; pair < 3; ++pair) {
    if (pair > 0) pos += SpaceAt(s, pos);
    auto d = ReadDigits(s, pos, 2);
    if (!d) return std::nullopt;
    real += d->real;
    pos = d->pos;
  }
  // Optional separator: spaces and at most one delimiter, e.g. "-", " - ", "/", ". ", and
  // at most one line break with its indentation, where OCR broke the number between the
  // date and the serial ("010190-\n1234").
  size_t sep_end = pos;
  bool line_break = false;
  const auto gap = [&](size_t at) {
    at += SpaceAt(s, at);
    if (!line_break && at < s.size() && (s[at] == '\n' || s[at] == '\r')) {
      line_break = true;
      at += (s[at] == '\r' && at + 1 < s.size() && s[at + 1] == '\n') ? 2 : 1;
      for (int k = 0; k < 8; ++k) {
        const size_t space = SpaceAt(s, at);
        if (space == 0) break;
        at += space;
      }
    }
    return at;
  };
  sep_end = gap(sep_end);
  sep_end += DelimiterAt(s, sep_end);
  sep_end = gap(sep_end);
  auto serial = ReadDigits(s, sep_end, 4);
  if (!serial) return std::nullopt;
  real += serial->real;
  pos = serial->pos;
  if (real < 8) return std::nullopt;
  // The first and the last character must be real digits, so words such as "SOS" or
  // "lOl" next to a number are not swallowed.
  if (!IsAsciiDigit(s[start]) || !IsAsciiDigit(s[pos - 1])) return std::nullopt;
  if (pos < s.size() && IsNumberChar(s[pos])) return std::nullopt;
  return pos;
}

template <typename OnMatch>
void ForEachMatch(std::string_view s, OnMatch on_match) {
  size_t i = 0;
  while (i < s.size()) {
    if (IsAsciiDigit(s[i]) && (i == 0 || !IsNumberChar(s[i - 1]))) {
      if (auto end = MatchAt(s, i)) {
        if (!on_match(i, *end)) return;
        i = *end;
        continue;
      }
      // Skip the rest of this run of digits: a CPR cannot start inside it.
      while (i < s.size() && IsAsciiDigit(s[i])) ++i;
      continue;
    }
    ++i;
  }
}

}  // namespace

std::string MaskCpr(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;
  ForEachMatch(text, [&](size_t begin, size_t end) {
    out.append(text.substr(copied, begin - copied));
    out.append(kCprMask);
    copied = end;
    return true;
  });
  out.append(text.substr(copied));
  return out;
}

bool ContainsCprLike(std::string_view text) {
  bool found = false;
  ForEachMatch(text, [&](size_t, size_t) {
    found = true;
    return false;
  });
  return found;
}

}  // namespace intake
