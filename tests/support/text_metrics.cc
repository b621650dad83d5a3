#include "tests/support/text_metrics.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace intake::testing {
namespace {

// Code points of `text`; an invalid byte becomes U+FFFD on its own.
std::u32string Decode(std::string_view text) {
  std::u32string out;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<uint8_t>(text[i]);
    int extra = -1;
    char32_t cp = lead;
    if (lead < 0x80) {
      extra = 0;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      cp = lead & 0x07;
    }
    bool ok = extra >= 0 && text.size() - i > static_cast<size_t>(extra);
    for (int k = 1; ok && k <= extra; ++k) {
      const auto b = static_cast<uint8_t>(text[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (!ok) {
      out.push_back(U'\uFFFD');
      ++i;
    } else {
      out.push_back(cp);
      i += 1 + extra;
    }
  }
  return out;
}

}  // namespace

std::string NormalizeWhitespace(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

double CharacterErrorRate(std::string_view reference, std::string_view hypothesis) {
  const std::u32string ref = Decode(NormalizeWhitespace(reference));
  const std::u32string hyp = Decode(NormalizeWhitespace(hypothesis));
  if (ref.empty()) return hyp.empty() ? 0.0 : 1.0;
  // Levenshtein distance with one row of the table.
  std::vector<size_t> row(hyp.size() + 1);
  for (size_t j = 0; j <= hyp.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= ref.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= hyp.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (ref[i - 1] != hyp[j - 1])});
      diagonal = above;
    }
  }
  return static_cast<double>(row[hyp.size()]) / static_cast<double>(ref.size());
}

}  // namespace intake::testing
