#include "base/id_finder.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "base/danish_case.h"

namespace intake {
namespace {

// ---- scores (the table in the header comment) ----

constexpr double kCprCheckedBase = 0.6;    // modulus 11 holds, or a listed exception date
constexpr double kCprDoubtfulBase = 0.3;   // modulus 11 fails
constexpr double kCprDashBonus = 0.05;     // written DDMMYY-SSSS
constexpr double kCprPlainPenalty = 0.05;  // ten digits, no separator
constexpr double kCprCueBonus = 0.35;
constexpr double kCvrBase = 0.25;
constexpr double kCvrSpacedBase = 0.15;  // "20 30 40 50" is how phone numbers are written
constexpr double kCvrWithCue = 0.9;
constexpr double kPerCorrection = 0.1;
constexpr double kLineBreakPenalty = 0.05;
constexpr double kTouchingLettersPenalty = 0.2;

// ---- cue placement ----

constexpr size_t kCueWindow = 60;        // how far back a cue is looked for, same line
constexpr size_t kCueNearGap = 25;       // a cue this close may be on the line before
constexpr size_t kDelimiterWindow = 80;  // where a touching bracket must be closed

// ---- normalisation ----

// The text with dashes, spaces and line breaks normalised (header comment). Character i of
// `text` came from the original bytes [origin[i], origin[i + 1]); origin has one entry more
// than `text`, the original size.
struct NormalText {
  std::string text;
  std::string lower;  // `text` with ASCII letters and Æ Ø Å in lower case, for cues
  std::vector<size_t> origin;
};

unsigned char Byte(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }

NormalText Normalise(std::string_view in) {
  NormalText n;
  n.text.reserve(in.size());
  n.origin.reserve(in.size() + 1);
  size_t pos = 0;
  const auto push = [&](char c, size_t length) {
    n.text += c;
    n.origin.push_back(pos);
    pos += length;
  };
  while (pos < in.size()) {
    const unsigned char c = Byte(in, pos);
    const size_t left = in.size() - pos;
    if (c == '\r') {
      push('\n', left >= 2 && in[pos + 1] == '\n' ? 2 : 1);
    } else if (c == '\n' || c == '\v' || c == '\f') {
      push('\n', 1);
    } else if (c == '\t') {
      push(' ', 1);
    } else if (c == 0xC2 && left >= 2 && Byte(in, pos + 1) == 0xA0) {
      push(' ', 2);  // no-break space
    } else if (c == 0xE2 && left >= 3) {
      const unsigned char c1 = Byte(in, pos + 1);
      const unsigned char c2 = Byte(in, pos + 2);
      if (c1 == 0x80 && (c2 == 0x89 || c2 == 0xAF)) {
        push(' ', 3);  // thin space, narrow no-break space (the spaces cpr_mask.cc knows)
      } else if ((c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95) || (c1 == 0x88 && c2 == 0x92)) {
        push('-', 3);  // hyphen .. horizontal bar, minus sign
      } else {
        push(static_cast<char>(c), 1);
      }
    } else {
      push(static_cast<char>(c), 1);
    }
  }
  n.origin.push_back(in.size());

  n.lower = LowerDanish(n.text);
  return n;
}

// ---- character classes (on normalised text) ----

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The digit an OCR confusion stands for (cpr_mask.cc's set), or '\0'.
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
    default:
      return '\0';
  }
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// True for the lead byte of a two-byte UTF-8 letter: Latin-1 letters (U+00C0..U+00FF but
// × and ÷), Latin Extended, IPA, Greek, Cyrillic (U+0100..U+04FF).
bool IsLetterLead(unsigned char lead, unsigned char next) {
  if (lead == 0xC3) return next >= 0x80 && next <= 0xBF && next != 0x97 && next != 0xB7;
  return lead >= 0xC4 && lead <= 0xD3 && next >= 0x80 && next <= 0xBF;
}

// True if a letter starts at `i` (ASCII or a two-byte UTF-8 letter). False past the end.
bool LetterStartsAt(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  if (IsAsciiLetter(s[i])) return true;
  return i + 1 < s.size() && IsLetterLead(Byte(s, i), Byte(s, i + 1));
}

// True if a letter ends just before `i`. False at the start.
bool LetterEndsAt(std::string_view s, size_t i) {
  if (i == 0) return false;
  if (IsAsciiLetter(s[i - 1])) return true;
  return i >= 2 && IsLetterLead(Byte(s, i - 2), Byte(s, i - 1));
}

// True if the character at `i` is a lone OCR lookalike that would lengthen a number it
// touches: a lookalike letter with no other letter on its far side ("l0101901234", but not
// "CPRl..." nor a table border "|").
bool ExtendsDigitRun(std::string_view s, size_t i, bool towards_start) {
  if (i >= s.size() || s[i] == '|' || LookalikeDigit(s[i]) == '\0') return false;
  return towards_start ? !LetterEndsAt(s, i) : !LetterStartsAt(s, i + 1);
}

// ---- candidates ----

struct Candidate {
  IdKind kind = IdKind::kCpr;
  size_t begin = 0;  // in the normalised text
  size_t end = 0;
  std::string digits;
  int corrections = 0;
  bool line_break = false;
  bool spaced = false;  // pairs of the date (CPR) or of the number (CVR) spaced
  char separator = 0;   // CPR: '\0' none, '-', '/', '.', ' ', '\n' (bare line break)
};

// Reads `count` digits or lookalikes at `pos` into `c`; returns the position after them.
std::optional<size_t> ReadDigits(std::string_view s, size_t pos, int count, Candidate& c) {
  for (int k = 0; k < count; ++k, ++pos) {
    if (pos >= s.size()) return std::nullopt;
    if (IsDigit(s[pos])) {
      c.digits += s[pos];
    } else if (const char d = LookalikeDigit(s[pos]); d != '\0') {
      c.digits += d;
      ++c.corrections;
    } else {
      return std::nullopt;
    }
  }
  return pos;
}

// Reads `count` pairs with an optional single space before each pair but the first.
std::optional<size_t> ReadPairs(std::string_view s, size_t pos, int count, Candidate& c) {
  for (int pair = 0; pair < count; ++pair) {
    if (pair > 0 && pos < s.size() && s[pos] == ' ') {
      c.spaced = true;
      ++pos;
    }
    const auto next = ReadDigits(s, pos, 2, c);
    if (!next) return std::nullopt;
    pos = *next;
  }
  return pos;
}

size_t SkipSpaces(std::string_view s, size_t pos, size_t at_most) {
  for (size_t k = 0; k < at_most && pos < s.size() && s[pos] == ' '; ++k) ++pos;
  return pos;
}

// The separator between date and serial at `pos`; returns the position of the serial.
// One line: none, "-", "/", ".", " ", " - ". Across a line end: an optional hyphen at the
// end of the line, then the line break and the next line's indentation.
size_t ReadSeparator(std::string_view s, size_t pos, Candidate& c) {
  size_t q = SkipSpaces(s, pos, 2);
  const bool hyphen = q < s.size() && s[q] == '-';
  if (hyphen) q = SkipSpaces(s, q + 1, 2);
  if (q < s.size() && s[q] == '\n') {
    c.line_break = true;
    c.separator = hyphen ? '-' : '\n';
    return SkipSpaces(s, q + 1, 8);
  }
  if (pos + 2 < s.size() && s[pos] == ' ' && s[pos + 1] == '-' && s[pos + 2] == ' ') {
    c.separator = '-';
    return pos + 3;
  }
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '/' || s[pos] == '.' || s[pos] == ' ')) {
    c.separator = s[pos];
    return pos + 1;
  }
  return pos;
}

// True if the number may end before `end`: no digit or lone lookalike follows.
bool EndsThere(std::string_view s, size_t end) {
  return end >= s.size() || (!IsDigit(s[end]) && !ExtendsDigitRun(s, end, false));
}

// A CPR-shaped number starting at `start` (a real digit), not yet validated.
std::optional<Candidate> MatchCpr(std::string_view s, size_t start) {
  Candidate c;
  c.kind = IdKind::kCpr;
  c.begin = start;
  auto pos = ReadPairs(s, start, 3, c);
  if (!pos) return std::nullopt;
  // OCR confusions only in a date written as one token: "1B 01 90" is not a date.
  if (c.spaced && c.corrections > 0) return std::nullopt;
  pos = ReadDigits(s, ReadSeparator(s, *pos, c), 4, c);
  if (!pos) return std::nullopt;
  c.end = *pos;
  if (c.corrections > 2 || !IsDigit(s[c.end - 1]) || !EndsThere(s, c.end)) return std::nullopt;
  return c;
}

// A CVR-shaped number starting at `start` (a real digit), not yet validated.
std::optional<Candidate> MatchCvr(std::string_view s, size_t start) {
  Candidate c;
  c.kind = IdKind::kCvr;
  c.begin = start;
  const auto pos = ReadPairs(s, start, 4, c);
  if (!pos) return std::nullopt;
  c.end = *pos;
  if (c.corrections > 1 || (c.spaced && c.corrections > 0)) return std::nullopt;
  if (!IsDigit(s[c.end - 1]) || !EndsThere(s, c.end)) return std::nullopt;
  return c;
}

// ---- cues ----

enum class Role { kNone, kRaises, kLowers };

struct Cue {
  std::string_view text;  // lower case, as matched against NormalText::lower
  Role cpr;
  Role cvr;
  size_t max_gap = 0;  // if not 0: at most this many spaces or hyphens before the number
};

constexpr Role kUp = Role::kRaises;
constexpr Role kDown = Role::kLowers;

constexpr std::array kCues = {
    // CPR
    Cue{"cpr", kUp, kDown},
    Cue{"cpr-nr.", kUp, kDown},
    Cue{"cpr-nr", kUp, kDown},
    Cue{"cpr.nr.", kUp, kDown},
    Cue{"cpr.nr", kUp, kDown},
    Cue{"cpr nr.", kUp, kDown},
    Cue{"cpr nr", kUp, kDown},
    Cue{"cprnr.", kUp, kDown},
    Cue{"cprnr", kUp, kDown},
    Cue{"cpr-nummer", kUp, kDown},
    Cue{"cpr nummer", kUp, kDown},
    Cue{"cprnummer", kUp, kDown},
    Cue{"personnummer", kUp, kDown},
    Cue{"personnr.", kUp, kDown},
    Cue{"personnr", kUp, kDown},
    Cue{"pers.nr.", kUp, kDown},
    Cue{"pers.nr", kUp, kDown},
    Cue{"pers. nr.", kUp, kDown},
    Cue{"pers nr.", kUp, kDown},
    Cue{"født", kUp, kDown},
    // CVR
    Cue{"cvr", kDown, kUp},
    Cue{"cvr-nr.", kDown, kUp},
    Cue{"cvr-nr", kDown, kUp},
    Cue{"cvr.nr.", kDown, kUp},
    Cue{"cvr.nr", kDown, kUp},
    Cue{"cvr nr.", kDown, kUp},
    Cue{"cvr nr", kDown, kUp},
    Cue{"cvrnr.", kDown, kUp},
    Cue{"cvrnr", kDown, kUp},
    Cue{"cvr-nummer", kDown, kUp},
    Cue{"cvr nummer", kDown, kUp},
    Cue{"cvrnummer", kDown, kUp},
    Cue{"se-nr.", kDown, kUp},
    Cue{"se-nr", kDown, kUp},
    Cue{"se nr.", kDown, kUp},
    Cue{"se.nr.", kDown, kUp},
    Cue{"se-nummer", kDown, kUp},
    Cue{"momsnr.", kDown, kUp},
    Cue{"moms-nr.", kDown, kUp},
    Cue{"momsnummer", kDown, kUp},
    Cue{"dk", Role::kNone, kUp, 1},  // VAT form "DK13748136", "DK-13748136"
    // Other numbers that look alike: phones, bank accounts, invoices, references.
    Cue{"tlf", kDown, kDown},
    Cue{"tlf.", kDown, kDown},
    Cue{"tlf.nr.", kDown, kDown},
    Cue{"tlfnr.", kDown, kDown},
    Cue{"telefon", kDown, kDown},
    Cue{"telefonnr.", kDown, kDown},
    Cue{"telefonnummer", kDown, kDown},
    Cue{"mobil", kDown, kDown},
    Cue{"mobilnr.", kDown, kDown},
    Cue{"mobilnummer", kDown, kDown},
    Cue{"mob.", kDown, kDown},
    Cue{"fax", kDown, kDown},
    Cue{"reg.nr.", kDown, kDown},
    Cue{"reg.nr", kDown, kDown},
    Cue{"reg. nr.", kDown, kDown},
    Cue{"regnr.", kDown, kDown},
    Cue{"regnr", kDown, kDown},
    Cue{"reg-nr.", kDown, kDown},
    Cue{"registreringsnummer", kDown, kDown},
    Cue{"kontonr.", kDown, kDown},
    Cue{"kontonr", kDown, kDown},
    Cue{"konto nr.", kDown, kDown},
    Cue{"konto-nr.", kDown, kDown},
    Cue{"kontonummer", kDown, kDown},
    Cue{"konto", kDown, kDown},
    Cue{"fakturanr.", kDown, kDown},
    Cue{"fakturanr", kDown, kDown},
    Cue{"faktura nr.", kDown, kDown},
    Cue{"fakturanummer", kDown, kDown},
    Cue{"kundenr.", kDown, kDown},
    Cue{"kundenr", kDown, kDown},
    Cue{"kunde nr.", kDown, kDown},
    Cue{"kundenummer", kDown, kDown},
    Cue{"ordrenr.", kDown, kDown},
    Cue{"ordrenummer", kDown, kDown},
    Cue{"bilagsnr.", kDown, kDown},
    Cue{"ean", kDown, kDown},
    Cue{"ean-nr.", kDown, kDown},
    Cue{"ean nr.", kDown, kDown},
    Cue{"eannr.", kDown, kDown},
    Cue{"ean-nummer", kDown, kDown},
    Cue{"sagsnr.", kDown, kDown},
    Cue{"sagsnr", kDown, kDown},
    Cue{"sags nr.", kDown, kDown},
    Cue{"sagsnummer", kDown, kDown},
    Cue{"j.nr.", kDown, kDown},
    Cue{"j.nr", kDown, kDown},
    Cue{"j. nr.", kDown, kDown},
    Cue{"jnr.", kDown, kDown},
    Cue{"jnr", kDown, kDown},
    Cue{"journalnr.", kDown, kDown},
    Cue{"journalnummer", kDown, kDown},
    Cue{"p-nr.", kDown, kDown},
    Cue{"p-nr", kDown, kDown},
    Cue{"p.nr.", kDown, kDown},
    Cue{"pnr.", kDown, kDown},
    Cue{"pnr", kDown, kDown},
    Cue{"p-nummer", kDown, kDown},
};

constexpr size_t kLongestCue = [] {
  size_t longest = 0;
  for (const Cue& cue : kCues) longest = std::max(longest, cue.text.size());
  return longest;
}();

struct FoundCue {
  size_t begin = 0;
  size_t end = 0;
  Role role = Role::kNone;
};

// True if the cue at [begin, end) stands as a whole word.
bool WholeWord(std::string_view lower, size_t begin, size_t end) {
  if (begin > 0 && (IsDigit(lower[begin - 1]) || LetterEndsAt(lower, begin))) return false;
  // A digit may follow ("CPR0101901234"); a letter may not, unless the cue ends in '.'.
  return lower[end - 1] == '.' || !LetterStartsAt(lower, end);
}

// True if a cue ending at `end` may refer to a number starting at `number`.
bool GapAllows(std::string_view s, size_t end, size_t number, const Cue& cue) {
  const std::string_view gap = s.substr(end, number - end);
  if (cue.max_gap != 0) {
    return gap.size() <= cue.max_gap && gap.find_first_not_of(" -") == std::string_view::npos;
  }
  if (std::any_of(gap.begin(), gap.end(), IsDigit)) return false;
  const size_t breaks = static_cast<size_t>(std::count(gap.begin(), gap.end(), '\n'));
  if (breaks > 1) return false;
  return gap.size() <= kCueNearGap || (breaks == 0 && gap.size() <= kCueWindow);
}

// The nearest cue before the number at `number` that says something about `kind`.
std::optional<FoundCue> NearestCue(const NormalText& n, size_t number, IdKind kind) {
  const std::string_view lower = n.lower;
  // Back as far as a cue may start (its gap at most kCueWindow) and over at most one line
  // break.
  size_t start = number;
  int breaks = 0;
  while (start > 0 && number - start < kCueWindow + kLongestCue) {
    if (lower[start - 1] == '\n' && ++breaks > 1) break;
    --start;
  }
  std::optional<FoundCue> nearest;
  for (size_t p = start; p < number;) {
    // Every cue starts with a letter, so only the start of a word can hold one.
    if (p > start && (IsDigit(lower[p - 1]) || LetterEndsAt(lower, p))) {
      ++p;
      continue;
    }
    const Cue* best = nullptr;
    for (const Cue& cue : kCues) {
      const Role role = kind == IdKind::kCpr ? cue.cpr : cue.cvr;
      if (role == Role::kNone || cue.text[0] != lower[p] || cue.text.size() > number - p) {
        continue;
      }
      if (lower.compare(p, cue.text.size(), cue.text) != 0) continue;
      if (!WholeWord(lower, p, p + cue.text.size())) continue;
      // "dk" ending a domain ("kommune.dk 20304050") is no VAT prefix.
      if (cue.text == "dk" && p > 0 && (lower[p - 1] == '.' || lower[p - 1] == '@')) continue;
      if (!GapAllows(lower, p + cue.text.size(), number, cue)) continue;
      if (best == nullptr || cue.text.size() > best->text.size()) best = &cue;
    }
    if (best == nullptr) {
      ++p;
      continue;
    }
    nearest = FoundCue{p, p + best->text.size(), kind == IdKind::kCpr ? best->cpr : best->cvr};
    p += best->text.size();
  }
  return nearest;
}

// ---- context ----

// Bracket and quote pairs; Danish quotes »like this« as well as «this».
struct DelimiterPair {
  std::string_view open;
  std::string_view close;
};
constexpr std::array kDelimiters = {
    DelimiterPair{"(", ")"},           DelimiterPair{"[", "]"},
    DelimiterPair{"{", "}"},           DelimiterPair{"<", ">"},
    DelimiterPair{"\"", "\""},         DelimiterPair{"\u00ab", "\u00bb"},
    DelimiterPair{"\u00bb", "\u00ab"}, DelimiterPair{"\u201c", "\u201d"},
    DelimiterPair{"\u201e", "\u201c"}, DelimiterPair{"\u201d", "\u201d"},
};

bool IsTouchingSymbol(char c) { return c == '+' || c == '-' || c == '!' || c == '#' || c == '%'; }

bool IsJoiner(char c) { return c == '.' || c == ',' || c == '/' || c == ':'; }

// The score being built and its reasons; Zero() sets it to 0 whatever else is added.
struct Scoring {
  double score = 0.0;
  bool zero = false;
  std::vector<std::string>* reasons = nullptr;

  void Add(double delta, std::string reason) {
    score += delta;
    reasons->push_back(std::move(reason));
  }
  void Zero(std::string reason) {
    zero = true;
    reasons->push_back(std::move(reason));
  }
};

// A delimiter touching the number that is not closed after it (opened before it) within
// kDelimiterWindow: Danish reason, or "".
std::string UnbalancedDelimiter(std::string_view s, size_t begin, size_t end) {
  const std::string_view before = s.substr(0, begin);
  const std::string_view after = s.substr(end);
  const std::string_view look_after = after.substr(0, kDelimiterWindow);
  const std::string_view look_before =
      before.substr(before.size() - std::min(before.size(), kDelimiterWindow));
  std::string_view open_touching;
  bool open_closed = false;
  std::string_view close_touching;
  bool close_opened = false;
  for (const DelimiterPair& pair : kDelimiters) {
    if (before.ends_with(pair.open)) {
      open_touching = pair.open;
      if (look_after.find(pair.close) != std::string_view::npos) open_closed = true;
    }
    if (after.starts_with(pair.close)) {
      close_touching = pair.close;
      if (look_before.find(pair.open) != std::string_view::npos) close_opened = true;
    }
  }
  if (!open_touching.empty() && !open_closed) {
    return "«" + std::string(open_touching) + "» lige før tallet lukkes ikke";
  }
  if (!close_touching.empty() && !close_opened) {
    return "«" + std::string(close_touching) + "» lige efter tallet er ikke åbnet før tallet";
  }
  return "";
}

std::string CountWord(int count) {
  switch (count) {
    case 1:
      return "et";
    case 2:
      return "to";
    default:
      return "flere";
  }
}

IdFinding Score(const NormalText& n, const Candidate& c, CprCheck::Verdict verdict) {
  const std::string_view s = n.text;
  IdFinding f;
  f.kind = c.kind;
  f.digits = c.digits;
  f.begin = n.origin[c.begin];
  f.end = n.origin[c.end];
  f.verdict = verdict;
  f.ocr_corrections = c.corrections;
  f.broken_across_lines = c.line_break;
  Scoring sc;
  sc.reasons = &f.reasons;

  if (c.kind == IdKind::kCpr) {
    switch (verdict) {
      case CprCheck::Verdict::kValidWithoutCheckDigit:
        sc.Add(kCprCheckedBase,
               "kontrolcifferet passer ikke, men fødselsdatoen er på listen over "
               "personnumre uden kontrolciffer");
        break;
      case CprCheck::Verdict::kDoubtful:
        sc.Add(kCprDoubtfulBase, "kontrolcifferet passer ikke (kan være et nyt personnummer)");
        break;
      default:
        sc.Add(kCprCheckedBase, "en gyldig fødselsdato, og kontrolcifferet passer");
        break;
    }
    if (c.separator == '-') {
      sc.Add(kCprDashBonus, "skrevet som personnumre skrives, med bindestreg");
    } else if (c.separator == '\0' && !c.spaced) {
      sc.Add(-kCprPlainPenalty, "ti cifre i træk uden bindestreg");
    }
  } else {
    sc.Add(c.spaced ? kCvrSpacedBase : kCvrBase, "kontrolcifferet for et CVR-nummer passer");
  }

  const std::optional<FoundCue> cue = NearestCue(n, c.begin, c.kind);
  if (cue) {
    f.cue = std::string(s.substr(cue->begin, cue->end - cue->begin));
    if (cue->role == Role::kRaises) {
      f.cue_effect = CueEffect::kRaises;
      if (c.kind == IdKind::kCpr) {
        sc.Add(kCprCueBonus, "efter «" + f.cue + "»");
      } else {
        sc.score = kCvrWithCue;
        f.reasons.push_back("efter «" + f.cue + "»");
      }
    } else {
      f.cue_effect = CueEffect::kLowers;
      sc.Zero("står efter «" + f.cue + "»");
    }
  } else if (c.kind == IdKind::kCpr) {
    f.reasons.push_back("intet «CPR» eller lignende foran");
  } else {
    f.reasons.push_back("otte cifre uden «CVR» foran kan også være et telefonnummer");
  }

  if (c.corrections > 0) {
    sc.Add(-kPerCorrection * c.corrections,
           CountWord(c.corrections) + (c.corrections == 1 ? " tegn er læst som ciffer (OCR-fejl)"
                                                          : " tegn er læst som cifre (OCR-fejl)"));
  }
  if (c.line_break) sc.Add(-kLineBreakPenalty, "tallet er delt over to linjer");
  const bool cue_touches = cue && cue->end == c.begin;
  if ((LetterEndsAt(s, c.begin) && !cue_touches) || LetterStartsAt(s, c.end)) {
    sc.Add(-kTouchingLettersPenalty, "bogstaver står helt op ad tallet");
  }

  // Neighbouring numbers: only spaces between, or joined by '.', ',', '/', ':'.
  size_t j = c.begin;
  while (j > 0 && s[j - 1] == ' ') --j;
  if (j < c.begin && j > 0 && IsDigit(s[j - 1])) sc.Zero("et andet tal står lige før");
  j = c.end;
  while (j < s.size() && s[j] == ' ') ++j;
  if (j > c.end && j < s.size() && IsDigit(s[j])) sc.Zero("et andet tal står lige efter");
  if ((c.begin >= 2 && IsJoiner(s[c.begin - 1]) && IsDigit(s[c.begin - 2])) ||
      (c.end + 1 < s.size() && IsJoiner(s[c.end]) && IsDigit(s[c.end + 1]))) {
    sc.Zero("tallet hænger sammen med et andet tal");
  }

  // Symbols touching it; a hyphen joining a cue ("DK-13748136") is part of the cue.
  if (c.begin > 0 && IsTouchingSymbol(s[c.begin - 1]) &&
      !(cue && s[c.begin - 1] == '-' && cue->end == c.begin - 1)) {
    sc.Zero(std::string("tegnet «") + s[c.begin - 1] + "» står op ad tallet");
  }
  if (c.end < s.size() && IsTouchingSymbol(s[c.end])) {
    sc.Zero(std::string("tegnet «") + s[c.end] + "» står op ad tallet");
  }
  if (std::string unbalanced = UnbalancedDelimiter(s, c.begin, c.end); !unbalanced.empty()) {
    sc.Zero(std::move(unbalanced));
  }

  f.score = sc.zero ? 0.0 : std::clamp(sc.score, 0.0, 1.0);
  return f;
}

}  // namespace

std::vector<IdFinding> FindIdentityNumbers(std::string_view text, const IdFinderOptions& options) {
  std::vector<IdFinding> findings;
  const NormalText n = Normalise(text);
  const std::string_view s = n.text;
  size_t i = 0;
  while (i < s.size()) {
    const bool starts_number =
        IsDigit(s[i]) && (i == 0 || (!IsDigit(s[i - 1]) && !ExtendsDigitRun(s, i - 1, true)));
    if (!starts_number) {
      ++i;
      continue;
    }
    // After a finding, go on after it; after a shape that is no finding (an impossible
    // date, a failing CVR check), go on inside it: "12 01 01 90 1234" holds a CPR number
    // after an eight-digit group.
    if (const auto cpr = MatchCpr(s, i)) {
      const CprCheck check = CheckCpr(cpr->digits, options.no_check_digit_dates, options.today);
      if (check.verdict != CprCheck::Verdict::kInvalid) {
        findings.push_back(Score(n, *cpr, check.verdict));
        i = cpr->end;
        continue;
      }
    }
    if (const auto cvr = MatchCvr(s, i); cvr && CheckCvr(cvr->digits)) {
      findings.push_back(Score(n, *cvr, CprCheck::Verdict::kValid));
      i = cvr->end;
      continue;
    }
    ++i;
  }
  return findings;
}

}  // namespace intake
