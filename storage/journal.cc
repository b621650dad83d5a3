// The backend-neutral parts of storage/journal.h: names, reference normalisation, dates.
#include "storage/journal.h"

namespace intake::storage {
namespace {

// Length of a space-like character at `pos`: ASCII white space, U+00A0, U+2009, U+202F.
size_t SpaceAt(std::string_view s, size_t pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && pos + 1 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0xA0) {
    return 2;
  }
  if (c == 0xE2 && pos + 2 < s.size() && static_cast<unsigned char>(s[pos + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[pos + 2]);
    if (c2 == 0x89 || c2 == 0xAF) return 3;
  }
  return 0;
}

// Length of a Unicode dash at `pos` (U+2010..U+2015, U+2212), or 0.
size_t DashAt(std::string_view s, size_t pos) {
  if (pos + 2 >= s.size() || static_cast<unsigned char>(s[pos]) != 0xE2) return 0;
  const auto c1 = static_cast<unsigned char>(s[pos + 1]);
  const auto c2 = static_cast<unsigned char>(s[pos + 2]);
  if (c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95) return 3;
  if (c1 == 0x88 && c2 == 0x92) return 3;
  return 0;
}

}  // namespace

std::string_view CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kOpen: return "open";
    case CaseStatus::kDormant: return "dormant";
    case CaseStatus::kClosed: return "closed";
  }
  return "open";
}

std::string_view CaseStatusDanish(CaseStatus status) {
  switch (status) {
    case CaseStatus::kOpen: return "åben";
    case CaseStatus::kDormant: return "hvilende";
    case CaseStatus::kClosed: return "lukket";
  }
  return "åben";
}

std::optional<CaseStatus> ParseCaseStatus(std::string_view text) {
  if (text == "open" || text == "åben" || text == "aaben") return CaseStatus::kOpen;
  if (text == "dormant" || text == "hvilende") return CaseStatus::kDormant;
  if (text == "closed" || text == "lukket") return CaseStatus::kClosed;
  return std::nullopt;
}

std::string_view PartyKindName(PartyKind kind) {
  return kind == PartyKind::kPerson ? "person" : "company";
}

std::string_view PartyKindDanish(PartyKind kind) {
  return kind == PartyKind::kPerson ? "person" : "virksomhed";
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kIn: return "in";
    case Direction::kOut: return "out";
    case Direction::kInternal: return "internal";
  }
  return "in";
}

std::string_view DirectionDanish(Direction direction) {
  switch (direction) {
    case Direction::kIn: return "indgående";
    case Direction::kOut: return "udgående";
    case Direction::kInternal: return "internt";
  }
  return "indgående";
}

std::optional<Direction> ParseDirection(std::string_view text) {
  if (text == "in" || text == "indgående" || text == "ind") return Direction::kIn;
  if (text == "out" || text == "udgående" || text == "ud") return Direction::kOut;
  if (text == "internal" || text == "internt" || text == "intern") return Direction::kInternal;
  return std::nullopt;
}

std::string NormaliseCaseReference(std::string_view reference) {
  std::string out;
  out.reserve(reference.size());
  bool pending_space = false;
  for (size_t pos = 0; pos < reference.size();) {
    if (const size_t n = SpaceAt(reference, pos); n > 0) {
      pending_space = !out.empty();
      pos += n;
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (const size_t n = DashAt(reference, pos); n > 0) {
      out += '-';
      pos += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(reference[pos]);
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
      ++pos;
    } else if (c == 0xC3 && pos + 1 < reference.size()) {
      // Latin-1 supplement small letters U+00E0..U+00FE (æ ø å ...) to capitals, except
      // U+00F7 (division sign).
      auto c1 = static_cast<unsigned char>(reference[pos + 1]);
      if (c1 >= 0xA0 && c1 <= 0xBE && c1 != 0xB7) c1 = static_cast<unsigned char>(c1 - 0x20);
      out += static_cast<char>(c);
      out += static_cast<char>(c1);
      pos += 2;
    } else {
      out += static_cast<char>(c);
      ++pos;
    }
  }
  return out;
}

bool IsIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (size_t k = 0; k < lengths[i]; ++k) {
      const char c = text[starts[i] + k];
      if (c < '0' || c > '9') return false;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const int year = parts[0], month = parts[1], day = parts[2];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max_day = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= max_day;
}

}  // namespace intake::storage
