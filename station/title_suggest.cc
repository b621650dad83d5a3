#include "station/title_suggest.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "base/cpr_mask.h"
#include "base/danish_case.h"

namespace intake::station {
namespace {

// ---------------------------------------------------------------------------------------
// Characters. Letters are ASCII or the two-byte UTF-8 Latin-1 letters (Æ Ø Å É Ü ...).

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

enum class LetterCase { kNone, kUpper, kLower };

LetterCase CaseAt(std::string_view s, size_t i) {
  if (i >= s.size()) return LetterCase::kNone;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c >= 'A' && c <= 'Z') return LetterCase::kUpper;
  if (c >= 'a' && c <= 'z') return LetterCase::kLower;
  if (c == 0xC3 && i + 1 < s.size()) {
    const unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0x9E && d != 0x97) return LetterCase::kUpper;
    if (d >= 0x9F && d <= 0xBF && d != 0xB7) return LetterCase::kLower;
  }
  return LetterCase::kNone;
}

// Bytes of the character at s[i] (1 for ASCII and invalid bytes).
size_t CharLength(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, s.size() - i);
}

// A byte that continues a word: ASCII letters and digits, and every non-ASCII byte.
bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || IsDigit(c) || u >= 0x80;
}

size_t Characters(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

void SetCaseAt(std::string& s, size_t i, LetterCase to) {
  const LetterCase from = CaseAt(s, i);
  if (from == LetterCase::kNone || from == to) return;
  const size_t at = static_cast<unsigned char>(s[i]) == 0xC3 ? i + 1 : i;
  s[at] = static_cast<char>(to == LetterCase::kLower ? s[at] + 0x20 : s[at] - 0x20);
}

bool HasLower(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (CaseAt(s, i) == LetterCase::kLower) return true;
  }
  return false;
}

bool HasDigitIn(std::string_view s) { return std::any_of(s.begin(), s.end(), IsDigit); }

std::string Quoted(std::string_view s) { return "«" + MaskCpr(s) + "»"; }

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

std::string_view TrimChars(std::string_view s, std::string_view chars) {
  while (!s.empty() && Contains(chars, s.substr(0, 1))) s.remove_prefix(1);
  while (!s.empty() && Contains(chars, s.substr(s.size() - 1))) s.remove_suffix(1);
  return s;
}

// True if `low` starts with `word` and the word ends there. A word ending in punctuation
// ("ref.", "bilag:") needs no boundary after it.
bool StartsWithWord(std::string_view low, std::string_view word) {
  if (low.substr(0, word.size()) != word) return false;
  if (low.size() == word.size() || !IsWordByte(word.back())) return true;
  return !IsWordByte(low[word.size()]);
}

struct Token {
  std::string_view text;
  size_t begin;
  size_t end() const { return begin + text.size(); }
};

std::vector<Token> Tokens(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > b) out.push_back(Token{s.substr(b, i - b), b});
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Lines: the text split at line breaks (CR LF, CR, LF, FF, VT), runs of spaces, tabs,
// no-break and thin spaces collapsed to one space, trimmed.

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string cur;
  bool space = false;
  const auto flush = [&] {
    lines.push_back(cur);
    cur.clear();
    space = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      flush();
      continue;
    }
    if (c == '\n' || c == '\f' || c == '\v') {
      flush();
      continue;
    }
    size_t blank = 0;
    if (c == ' ' || c == '\t') {
      blank = 1;
    } else if (text.substr(i, 2) == "\xC2\xA0") {
      blank = 2;
    } else if (text.substr(i, 3) == "\xE2\x80\x89" || text.substr(i, 3) == "\xE2\x80\xAF") {
      blank = 3;
    }
    if (blank > 0) {
      space = !cur.empty();
      i += blank - 1;
      continue;
    }
    if (space) cur += ' ';
    space = false;
    cur += c;
  }
  flush();
  return lines;
}

// Appends the next line of a subject or a name, joining a word broken at the line end:
// "bolig-" + "støtte" -> "boligstøtte"; "CPR-" + "nummer" keeps the hyphen (a capital or a
// digit before it: a compound with an acronym); "bolig-" + "og erhverv" keeps "bolig- og".
void AppendLine(std::string& out, std::string_view next) {
  if (out.empty()) {
    out = std::string(next);
    return;
  }
  if (out.size() >= 2 && out.back() == '-' && CaseAt(next, 0) == LetterCase::kLower) {
    size_t prev = out.size() - 2;
    while (prev > 0 && (static_cast<unsigned char>(out[prev]) & 0xC0) == 0x80) --prev;
    const LetterCase before = CaseAt(out, prev);
    const std::string first = LowerDanish(Tokens(next).front().text);
    if (before == LetterCase::kLower && first != "og" && first != "eller") {
      out.pop_back();
      out += next;
      return;
    }
    if (before == LetterCase::kUpper || IsDigit(out[prev])) {
      out += next;
      return;
    }
  }
  out += ' ';
  out += next;
}

// ---------------------------------------------------------------------------------------
// Markers (DOMAIN.md section 7).

struct SubjectStart {
  std::string rest;   // the text after the marker
  bool firm = false;  // with a colon or an abbreviation dot: surely a marker
};

std::optional<SubjectStart> SubjectMarker(std::string_view line) {
  static constexpr std::string_view kMarkers[] = {"vedrørende", "angående", "vedr",
                                                  "ang",        "emne",     "om"};
  const std::string low = LowerDanish(line);
  for (std::string_view marker : kMarkers) {
    if (!StartsWithWord(low, marker)) continue;
    size_t i = marker.size();
    const auto skip_spaces = [&] {
      while (i < low.size() && low[i] == ' ') ++i;
    };
    bool dot = false;
    bool colon = false;
    skip_spaces();
    if (i < low.size() && (low[i] == '.' || low[i] == ',')) {
      dot = true;
      ++i;
    }
    skip_spaces();
    if (i < low.size() && low[i] == ':') {
      colon = true;
      ++i;
    }
    skip_spaces();
    // "Om" opens many sentences; only "Om:" is a marker. A dot after a full word is the end
    // of a sentence, not a marker ("Angående." alone is not a subject).
    if (marker == "om" && !colon) return std::nullopt;
    const bool abbreviation = marker == "vedr" || marker == "ang";
    if (dot && !colon && !abbreviation) return std::nullopt;
    return SubjectStart{std::string(line.substr(i)), colon || (dot && abbreviation)};
  }
  return std::nullopt;
}

// Closing phrases after which the sender's name follows.
constexpr std::string_view kClosings[] = {"med venlig hilsen",
                                          "med venlige hilsner",
                                          "med venlige hilsener",
                                          "venlig hilsen",
                                          "venlige hilsner",
                                          "de bedste hilsner",
                                          "bedste hilsner",
                                          "kærlig hilsen",
                                          "mange hilsner",
                                          "hilsen",
                                          "m.v.h.",
                                          "m.v.h",
                                          "mvh",
                                          "vh"};

// The closing phrase at the start of `line`, or "".
std::string_view ClosingAt(std::string_view line) {
  const std::string low = LowerDanish(line);
  for (std::string_view c : kClosings) {
    if (StartsWithWord(low, c)) return line.substr(0, c.size());
  }
  return {};
}

// A line that opens another part of a letter: a reference, a number, an identity, the
// salutation, a closing, contact details. Ends a subject; never a name or a subject.
bool IsMarkerLine(std::string_view line) {
  static constexpr std::string_view kCues[] = {"deres ref",
                                               "deres j.nr",
                                               "deres jnr",
                                               "deres sagsnr",
                                               "deres brev",
                                               "jeres ref",
                                               "jeres j.nr",
                                               "jeres jnr",
                                               "jeres sagsnr",
                                               "jeres brev",
                                               "vores ref",
                                               "vor ref",
                                               "vor j.nr",
                                               "vores j.nr",
                                               "vores sagsnr",
                                               "ref.",
                                               "ref:",
                                               "sagsnr",
                                               "sags nr",
                                               "sagsnummer",
                                               "j.nr",
                                               "j. nr",
                                               "jnr",
                                               "journalnr",
                                               "journalnummer",
                                               "dok.nr",
                                               "dok. nr",
                                               "aktnr",
                                               "kommunens sagsnr",
                                               "cpr",
                                               "personnummer",
                                               "pers.nr",
                                               "cvr",
                                               "se-nr",
                                               "p-nr",
                                               "kopi til",
                                               "bilag",
                                               "vedlagt:",
                                               "kære",
                                               "hej",
                                               "dato",
                                               "tlf",
                                               "telefon",
                                               "mobil",
                                               "e-mail",
                                               "email",
                                               "mail:",
                                               "att.",
                                               "att:",
                                               "afsender:",
                                               "sendt:",
                                               "fra:",
                                               "til:"};
  if (SubjectMarker(line) || !ClosingAt(line).empty()) return true;
  const std::string low = LowerDanish(line);
  if (std::any_of(std::begin(kCues), std::end(kCues),
                  [&](std::string_view cue) { return StartsWithWord(low, cue); })) {
    return true;
  }
  // Any other field label: one word and a colon ("Patient: Tove Rasmussen", "Barn: ...").
  const size_t start = line.find_first_not_of(" \t");
  const size_t colon = line.find(':');
  if (start == std::string_view::npos || colon == std::string_view::npos || colon <= start ||
      colon - start > 24) {
    return false;
  }
  const std::string_view label = line.substr(start, colon - start);
  // Date fields ("Fakturadato:") are where a letter's date is read, not labels to skip.
  return label.find_first_of(" \t0123456789") == std::string_view::npos &&
         LowerDanish(label).find("dato") == std::string::npos;
}

bool IsSalutation(std::string_view line) {
  const std::string low = LowerDanish(line);
  return StartsWithWord(low, "kære") || StartsWithWord(low, "hej") ||
         StartsWithWord(low, "til rette vedkommende") || StartsWithWord(low, "goddag");
}

// ---------------------------------------------------------------------------------------
// Names.

bool IsNameWord(std::string_view w) {
  if (w.empty() || CaseAt(w, 0) != LetterCase::kUpper) return false;
  for (size_t i = 0; i < w.size(); i += CharLength(w, i)) {
    if (w[i] == '-' || w[i] == '\'') continue;
    if (CaseAt(w, i) == LetterCase::kNone) return false;
  }
  return w.back() != '-';
}

bool IsInitial(std::string_view w) {
  return w.size() >= 2 && w.back() == '.' && CaseAt(w, 0) == LetterCase::kUpper &&
         CharLength(w, 0) == w.size() - 1;
}

// Words that never make up a name line (lower case).
bool IsNonNameWord(std::string_view low) {
  static constexpr std::string_view kWords[] = {
      "kære",          "med",         "venlig",     "venlige",   "hilsen", "hilsner",
      "mvh",           "vedr",        "vedrørende", "angående",  "emne",   "dato",
      "side",          "tlf",         "telefon",    "mobil",     "mail",   "e-mail",
      "email",         "kopi",        "bilag",      "til",       "fra",    "att",
      "borgerservice", "jobcenter",   "klage",      "ansøgning", "brev",   "hermed",
      "jeg",           "vi",          "det",        "den",       "der",    "tak",
      "venligst",      "underskrift", "cpr",        "cvr",       "hej",    "lægeerklæring",
      "faktura",       "adresse"};
  return std::find(std::begin(kWords), std::end(kWords), low) != std::end(kWords);
}

bool IsRoleWord(std::string_view low) {
  static constexpr std::string_view kRoles[] = {
      "advokat",        "læge",      "overlæge",     "speciallæge",   "dr.",      "direktør",
      "sagsbehandler",  "tandlæge",  "ergoterapeut", "fysioterapeut", "psykolog", "socialrådgiver",
      "afdelingsleder", "konsulent", "bestyrelsen",  "bestyrelse",    "formand",  "kasserer"};
  if (std::find(std::begin(kRoles), std::end(kRoles), low) != std::end(kRoles)) return true;
  // "Reservelæge", "Distriktssygeplejerske", "Fysioterapeut", "Socialrådgiver".
  for (std::string_view suffix : {"læge", "sygeplejerske", "terapeut", "rådgiver"}) {
    if (low.size() > suffix.size() &&
        low.compare(low.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

// "Mette Jensen", "Jens A. Hansen", "Anne-Marie Holm-Nielsen", "METTE JENSEN" (written
// "Mette Jensen"); a single word only when `allow_single`. Role words before a name
// ("Advokat Hans Hansen") are dropped.
std::optional<std::string> PersonName(std::string_view line, bool allow_single) {
  line = TrimChars(line, " ,;");
  if (line.empty() || HasDigitIn(line) || Contains(line, "@") || Characters(line) > 60) {
    return std::nullopt;
  }
  std::vector<std::string_view> words;
  for (const Token& t : Tokens(line)) words.push_back(t.text);
  if (words.size() >= 3 && IsRoleWord(LowerDanish(words.front()))) words.erase(words.begin());
  for (std::string_view w : words) {
    if (IsRoleWord(LowerDanish(w))) return std::nullopt;
  }
  if (words.empty() || words.size() > 6 || (words.size() == 1 && !allow_single)) {
    return std::nullopt;
  }
  static constexpr std::string_view kParticles[] = {"von", "van", "de", "la", "le",
                                                    "og",  "&",   "af", "du"};
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string low = LowerDanish(words[k]);
    if (IsNonNameWord(TrimChars(low, ".:,"))) return std::nullopt;
    const bool edge = k == 0 || k + 1 == words.size();
    if (IsNameWord(words[k])) continue;
    if (!edge && IsInitial(words[k])) continue;
    if (!edge &&
        std::find(std::begin(kParticles), std::end(kParticles), low) != std::end(kParticles))
      continue;
    return std::nullopt;
  }
  if (words.size() == 1 && Characters(words[0]) < 2) return std::nullopt;
  std::string name;
  const bool capitals = !HasLower(line);
  for (std::string_view w : words) {
    std::string word(w);
    if (capitals && !IsInitial(w) && Characters(w) > 1) {
      word = LowerDanish(w);
      for (size_t i = 0; i < word.size(); i += CharLength(word, i)) {
        if (i == 0 || word[i - 1] == '-') SetCaseAt(word, i, LetterCase::kUpper);
      }
    }
    name += (name.empty() ? "" : " ") + word;
  }
  return name;
}

// "Jensens VVS ApS", "Advokatfirmaet Hansen & Co", "Hvidovre Hospital": a legal form, or an
// organisation word with no digits.
std::optional<std::string> CompanyName(std::string_view line) {
  line = TrimChars(line, " ,;:");
  if (line.empty() || Contains(line, "@") || Characters(line) > 80) return std::nullopt;
  if (CaseAt(line, 0) != LetterCase::kUpper && !IsDigit(line[0])) return std::nullopt;
  if (ContainsCprLike(line)) return std::nullopt;
  static constexpr std::string_view kForms[] = {"aps",  "a/s",      "i/s",  "ivs",
                                                "p/s",  "k/s",      "amba", "a.m.b.a.",
                                                "smba", "s.m.b.a.", "fmba", "f.m.b.a."};
  static constexpr std::string_view kOrganisations[] = {
      "hospital",       "hospitalet",     "sygehus",
      "klinik",         "klinikken",      "lægehus",
      "lægehuset",      "lægepraksis",    "lægerne",
      "advokatfirma",   "advokatfirmaet", "advokater",
      "forsikring",     "boligforening",  "boligselskab",
      "boligselskabet", "ejerforening",   "andelsboligforening",
      "revision",       "bank",           "banken",
      "fagforening",    "a-kasse",        "kommune",
      "styrelsen",      "region",         "apotek",
      "tandklinik",     "skole",          "skolen",
      "børnehave",      "vuggestue"};
  const std::vector<Token> words = Tokens(line);
  if (words.size() == 1 && IsRoleWord(LowerDanish(line))) return std::nullopt;  // "Bestyrelsen"
  bool form = false;
  bool organisation = false;
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string low = LowerDanish(TrimChars(words[k].text, ",;:()"));
    if (k > 0 && std::find(std::begin(kForms), std::end(kForms), low) != std::end(kForms))
      form = true;
    if (k > 0 && (low == "&" || low == "og") && k + 1 < words.size()) {
      const std::string after = LowerDanish(words[k + 1].text);
      if (after == "co." || after == "co" || after == "søn" || after == "sønner") form = true;
    }
    for (std::string_view org : kOrganisations) {
      if (Contains(low, org)) organisation = true;
    }
  }
  // A sentence that mentions a company ("Jeg har købt den hos Jensens VVS ApS") is not a
  // name: most words of a name are capitalised.
  size_t capitalised = 0;
  for (const Token& w : words) {
    capitalised +=
        CaseAt(w.text, 0) == LetterCase::kUpper || IsDigit(w.text[0]) || w.text[0] == '&';
  }
  if (capitalised * 2 <= words.size() || (line.back() == '.' && !form)) return std::nullopt;
  if (form || (organisation && !HasDigitIn(line) && words.size() <= 6)) return std::string(line);
  return std::nullopt;
}

bool IsReceivingAuthority(std::string_view line) {
  const std::string low = LowerDanish(line);
  for (std::string_view w : {"kommune", "jobcenter", "borgerservice", "forvaltning",
                             "ydelsesservice", "udbetaling danmark", "ankestyrelsen"}) {
    if (Contains(low, w)) return true;
  }
  return StartsWithWord(low, "til") || StartsWithWord(low, "att");
}

// ---------------------------------------------------------------------------------------
// Dates.

struct DatedLine {
  FoundDate date;
  size_t line = 0;
};

// True if the line holds only the date with a place before it ("Aarhus, den 11. januar
// 2026", "Kbh. d. 11/1-2026", "Dato: 11.01.2026", "11. januar 2026").
bool IsPlaceAndDateLine(std::string_view line, size_t begin, size_t end) {
  const std::string_view after = TrimChars(line.substr(end), " .");
  if (!after.empty()) return false;
  std::string_view before = TrimChars(line.substr(0, begin), " ,:");
  if (before.empty()) return true;
  const std::string low = LowerDanish(before);
  if (low == "dato" || low == "date") return true;
  const std::vector<Token> words = Tokens(before);
  if (words.size() > 4) return false;
  for (const Token& w : words) {
    const std::string_view bare = TrimChars(w.text, ".,");
    if (bare.empty() || HasDigitIn(bare)) return false;
    if (CaseAt(bare, 0) != LetterCase::kUpper) return false;
  }
  return true;
}

bool IsExcludedDate(const std::vector<std::string>& lines, size_t index, size_t column) {
  const std::string low = LowerDanish(lines[index]);
  const std::string_view head = std::string_view(low).substr(0, column);
  static constexpr std::string_view kCues[] = {
      "modtaget",      "modt.",   "modt ",   "indgået", "indkommet",   "received",
      "journaliseret", "scannet", "stempel", "født",    "fødselsdato", "frist",
      "senest",        "udløber", "indtil",  "gyldig",  "forfald"};
  for (std::string_view cue : kCues) {
    if (Contains(head, cue)) return true;
  }
  if (IsMarkerLine(lines[index]) && !StartsWithWord(low, "dato")) return true;
  // A stamp split over two lines: "MODTAGET" above the date.
  for (size_t k = index; k-- > 0;) {
    if (lines[k].empty()) continue;
    const std::string above = LowerDanish(TrimChars(lines[k], " .:"));
    return above == "modtaget" || above == "modt" || above == "indgået" || above == "indkommet";
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Subject cleaning.

constexpr std::string_view kNumberCues[] = {
    "kommunens sagsnr.", "deres j.nr.", "deres jnr.",   "deres ref.",  "deres sagsnr.",
    "vores ref.",        "vor ref.",    "vor j.nr.",    "vores j.nr.", "vores sagsnr.",
    "journalnummer",     "journalnr.",  "sagsnummer",   "sagsnr.",     "sagsnr",
    "sag nr.",           "j.nr.",       "j.nr",         "jnr.",        "jnr",
    "dok.nr.",           "aktnr.",      "ref.",         "cpr-nummer",  "cpr-nr.",
    "cpr.nr.",           "cpr nr.",     "personnummer", "pers.nr.",    "cpr",
    "cvr-nr.",           "cvr",         "se-nr.",       "p-nr."};

// Words left dangling at the end of a subject when a number after them was removed.
bool IsDanglingWord(std::string_view low, bool after_removal) {
  static constexpr std::string_view kAlways[] = {
      "i",   "på",  "om",    "af",   "til",   "for",  "med",  "og",  "eller",
      "fra", "mod", "under", "over", "vedr.", "vedr", "ang.", "ang", "samt",
      "den", "d.",  "ved",   "hos",  "efter", "-",    "–",    "jf."};
  static constexpr std::string_view kCueWords[] = {
      "sag",     "sagen",  "nr.", "nr",      "ref.",         "j.nr.",      "jnr.",
      "sagsnr.", "sagsnr", "cpr", "cpr-nr.", "personnummer", "sagsnummer", "journalnr."};
  if (std::find(std::begin(kAlways), std::end(kAlways), low) != std::end(kAlways)) return true;
  return after_removal &&
         std::find(std::begin(kCueWords), std::end(kCueWords), low) != std::end(kCueWords);
}

// Dots of these abbreviations stay at the end of a subject.
bool KeepsFinalDot(std::string_view low) {
  static constexpr std::string_view kAbbreviations[] = {
      "mv.",  "m.v.", "osv.", "m.fl.",  "bl.a.", "ca.",  "inkl.", "ekskl.", "etc.", "nr.",
      "stk.", "pkt.", "jf.",  "f.eks.", "kr.",   "pga.", "mht.",  "hhv.",   "evt.", "m.m."};
  return std::find(std::begin(kAbbreviations), std::end(kAbbreviations), low) !=
         std::end(kAbbreviations);
}

// A case or reference number: digits with separators ("27.24.00-G01-5-19", "2024-0123456",
// "12/3456"), or a run of seven or more digits. Not an amount ("4.500", "1.250.000,50"),
// not a span of years ("2025-2026").
bool IsReferenceLike(std::string_view word) {
  word = TrimChars(word, "()[]«»\",;:");
  while (!word.empty() && word.back() == '.') word.remove_suffix(1);
  size_t digits = 0;
  size_t separators = 0;
  for (char c : word) {
    if (IsDigit(c)) {
      ++digits;
    } else if (c == '.' || c == '-' || c == '/') {
      ++separators;
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      return false;
    }
  }
  if (digits >= 7 && separators == 0) return digits == word.size();
  if (digits < 4 || separators == 0) return false;
  // An amount: groups of three digits after dots, maybe a decimal comma (already trimmed).
  {
    size_t i = 0;
    while (i < word.size() && IsDigit(word[i])) ++i;
    bool amount = i >= 1 && i <= 3 && i < word.size();
    while (amount && i < word.size()) {
      amount = word[i] == '.' && i + 4 <= word.size() && IsDigit(word[i + 1]) &&
               IsDigit(word[i + 2]) && IsDigit(word[i + 3]);
      i += 4;
    }
    if (amount) return false;
  }
  // Years: "2025-2026", "2025/26".
  if ((word.size() == 9 || word.size() == 7) && (word[4] == '-' || word[4] == '/') &&
      std::all_of(word.begin(), word.begin() + 4, IsDigit) &&
      std::all_of(word.begin() + 5, word.end(), IsDigit)) {
    return false;
  }
  return true;
}

// What is left of a removed word: its opening brackets and closing punctuation, so the
// punctuation cleanup can drop "( )" and a comma before it.
std::string Residue(std::string_view word) {
  std::string lead;
  std::string tail;
  size_t b = 0;
  while (b < word.size() && Contains("([", word.substr(b, 1))) lead += word[b++];
  size_t e = word.size();
  while (e > b && Contains(")],;", word.substr(e - 1, 1))) --e;
  tail = std::string(word.substr(e));
  return lead + tail;
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// Drops empty brackets, spaces before punctuation, doubled commas and dangling words and
// punctuation at either end.
std::string TidyPunctuation(std::string s, bool after_removal) {
  for (bool changed = true; changed;) {
    const std::string before = s;
    ReplaceAll(s, "( )", "");
    ReplaceAll(s, "()", "");
    ReplaceAll(s, "[ ]", "");
    ReplaceAll(s, "[]", "");
    ReplaceAll(s, "  ", " ");
    ReplaceAll(s, " ,", ",");
    ReplaceAll(s, " ;", ";");
    ReplaceAll(s, " )", ")");
    ReplaceAll(s, "( ", "(");
    ReplaceAll(s, ",,", ",");
    ReplaceAll(s, ",;", ",");
    ReplaceAll(s, ";,", ";");
    changed = s != before;
  }
  std::string_view v = TrimChars(s, " ,;:-/");
  // Dangling words at the end ("afslag i sag" once the number is gone), and "–" dashes.
  for (bool changed = true; changed && !v.empty();) {
    changed = false;
    v = TrimChars(v, " ,;:-/");
    if (v.size() >= 3 && v.substr(v.size() - 3) == "–") {
      v.remove_suffix(3);
      changed = true;
      continue;
    }
    if (v.size() >= 3 && v.substr(0, 3) == "–") {
      v.remove_prefix(3);
      changed = true;
      continue;
    }
    const size_t space = v.rfind(' ');
    const std::string_view last = space == std::string_view::npos ? v : v.substr(space + 1);
    if (IsDanglingWord(LowerDanish(last), after_removal)) {
      v = space == std::string_view::npos ? std::string_view() : v.substr(0, space);
      changed = true;
    }
  }
  std::string out(v);
  // A final full stop is punctuation unless it belongs to an abbreviation; "!" goes too.
  while (!out.empty() && (out.back() == '.' || out.back() == '!')) {
    const size_t space = out.rfind(' ');
    const std::string last = LowerDanish(space == std::string::npos ? out : out.substr(space + 1));
    if (out.back() == '.' && KeepsFinalDot(last)) break;
    out.pop_back();
  }
  return std::string(TrimChars(out, " ,;:"));
}

struct CleanedSubject {
  std::string text;
  bool cpr_removed = false;
  bool reference_removed = false;
  bool prefix_removed = false;
};

CleanedSubject CleanSubject(std::string_view raw, const DateOptions& dates) {
  CleanedSubject out;
  std::string s = MaskCpr(raw);
  out.cpr_removed = s != raw;
  const std::vector<FoundDate> in_dates = FindDates(s, dates);
  const std::vector<Token> tokens = Tokens(s);
  const auto in_date = [&](const Token& t) {
    // The token's core (without brackets and commas) lies inside a date: "3.12.2025",
    // "januar"; "27.24.00-G01-5-19" merely holds something date-shaped ("01-5-19").
    const std::string_view core = TrimChars(t.text, "()[],;:");
    const size_t b = t.begin + static_cast<size_t>(core.data() - t.text.data());
    return std::any_of(in_dates.begin(), in_dates.end(), [&](const FoundDate& d) {
      return b >= d.begin && b + core.size() <= d.end + 1;
    });
  };

  std::vector<std::string> kept;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (in_date(t)) {
      kept.emplace_back(t.text);
      continue;
    }
    // A number cue and the number after it.
    size_t lead = 0;
    while (lead < t.text.size() && (t.text[lead] == '(' || t.text[lead] == '[')) ++lead;
    const std::string rest = LowerDanish(std::string_view(s).substr(t.begin + lead));
    bool removed = false;
    for (std::string_view cue : kNumberCues) {
      if (!StartsWithWord(rest, cue)) continue;
      // The number: in the token that ends the cue ("Sagsnr.:27.24"), or in the next one
      // (after a lone ":").
      const size_t cue_end = t.begin + lead + cue.size();
      size_t last = k;
      while (last + 1 < tokens.size() && tokens[last].end() < cue_end) ++last;
      const auto is_number = [&](std::string_view w) {
        return HasDigitIn(w) || Contains(w, std::string_view(kCprMask).substr(0, 6));
      };
      const Token& end_token = tokens[last];
      bool found = end_token.end() > cue_end &&
                   is_number(std::string_view(s).substr(cue_end, end_token.end() - cue_end));
      if (!found) {
        size_t next = last + 1;
        if (next < tokens.size() && TrimChars(tokens[next].text, ":").empty()) ++next;
        if (next < tokens.size() && is_number(tokens[next].text)) {
          found = true;
          last = next;
        }
      }
      if (!found) break;
      std::string residue = Residue(t.text);
      if (last != k) residue += Residue(tokens[last].text);
      if (!residue.empty()) kept.push_back(residue);
      if (!Contains(cue, "cpr") && !Contains(cue, "person")) out.reference_removed = true;
      k = last;
      removed = true;
      break;
    }
    if (removed) continue;
    if (Contains(t.text, std::string_view(kCprMask).substr(0, 6))) {
      const std::string residue = Residue(t.text);
      if (!residue.empty()) kept.push_back(residue);
      continue;
    }
    if (IsReferenceLike(t.text)) {
      out.reference_removed = true;
      const std::string residue = Residue(t.text);
      if (!residue.empty()) kept.push_back(residue);
      continue;
    }
    kept.emplace_back(t.text);
  }
  std::string joined;
  for (const std::string& w : kept) joined += (joined.empty() ? "" : " ") + w;
  // E-mail prefixes ("SV: VS: Klage ...").
  for (bool stripped = true; stripped;) {
    stripped = false;
    const std::string low = LowerDanish(joined);
    for (std::string_view prefix : {"sv:", "vs:", "re:", "fwd:", "fw:", "aw:", "wg:"}) {
      if (low.compare(0, prefix.size(), prefix) == 0) {
        joined = std::string(TrimChars(std::string_view(joined).substr(prefix.size()), " "));
        out.prefix_removed = true;
        stripped = true;
      }
    }
  }
  out.text = TidyPunctuation(joined, out.cpr_removed || out.reference_removed);
  bool letter = false;
  for (size_t i = 0; i < out.text.size() && !letter; ++i) {
    letter = CaseAt(out.text, i) != LetterCase::kNone;
  }
  if (!letter) out.text.clear();  // only digits and punctuation: no subject
  return out;
}

// Lower-cases the first letter, unless the subject is a name or an acronym: a word with two
// capitals ("BBR", "SU-lån"), followed by a capitalised word ("Aarhus Kommunes afgørelse"),
// or written capitalised inside a sentence elsewhere in the letter and never in lower case.
// A subject written all in capitals is lower-cased whole.
void LowerFirstLetter(std::string& subject, const std::vector<std::string>& lines,
                      size_t skip_begin, size_t skip_end) {
  if (subject.empty() || CaseAt(subject, 0) != LetterCase::kUpper) return;
  const std::vector<Token> words = Tokens(subject);
  if (!HasLower(subject)) {
    if (words.size() >= 2) subject = LowerDanish(subject);
    return;
  }
  const std::string_view first = TrimChars(words[0].text, ",.;:");
  size_t capitals = 0;
  for (size_t i = 0; i < first.size(); i += CharLength(first, i)) {
    capitals += CaseAt(first, i) == LetterCase::kUpper;
  }
  if (capitals >= 2) return;
  if (words.size() >= 2 && CaseAt(words[1].text, 0) == LetterCase::kUpper) return;
  // The same word elsewhere, not at the start of a line or a sentence.
  bool capitalised = false;
  bool lower = false;
  const std::string low_first = LowerDanish(first);
  for (size_t k = 0; k < lines.size(); ++k) {
    if (k >= skip_begin && k < skip_end) continue;  // the subject's own lines
    const std::string& line = lines[k];
    const std::string low = LowerDanish(line);
    for (size_t at = low.find(low_first); at != std::string::npos;
         at = low.find(low_first, at + 1)) {
      const size_t end = at + low_first.size();
      if (at == 0 || IsWordByte(low[at - 1]) || (end < low.size() && IsWordByte(low[end]))) {
        continue;
      }
      size_t p = at - 1;
      while (p > 0 && low[p] == ' ') --p;
      if (Contains(".!?:«\"", low.substr(p, 1))) continue;
      (CaseAt(line, at) == LetterCase::kUpper ? capitalised : lower) = true;
    }
  }
  if (capitalised && !lower) return;
  SetCaseAt(subject, 0, LetterCase::kLower);
}

// ---------------------------------------------------------------------------------------
// Document types.

struct TypeCue {
  std::string_view phrase;  // lower case; a final '*' matches any word ending
  std::string_view type;
  bool heading_only;  // in the letter's text, only in its top third (a document's name)
};

constexpr TypeCue kTypeCues[] = {
    {"partshøringssvar*", "Partshøringssvar", false},
    {"svar på partshøring*", "Partshøringssvar", false},
    {"bemærkninger til partshøring*", "Partshøringssvar", false},
    {"partshøring*", "Partshøringssvar", false},
    {"høringssvar*", "Høringssvar", false},
    {"anke", "Anke", false},
    {"anken", "Anke", false},
    {"anker", "Anke", false},
    {"ankeskrivelse*", "Anke", false},
    {"indsigelse*", "Indsigelse", false},
    {"gør indsigelse", "Indsigelse", false},
    {"klage", "Klage", false},
    {"klagen", "Klage", false},
    {"klager", "Klage", false},
    {"klageskrivelse*", "Klage", false},
    {"opsigelse*", "Opsigelse", false},
    {"opsiger", "Opsigelse", false},
    {"ansøgning", "Ansøgning", false},
    {"ansøgningen", "Ansøgning", false},
    {"ansøgningsskema*", "Ansøgning", false},
    {"ansøger om", "Ansøgning", false},
    {"ansøge om", "Ansøgning", false},
    {"søger om", "Ansøgning", false},
    {"søge om", "Ansøgning", false},
    {"anmodning*", "Anmodning", false},
    {"anmoder om", "Anmodning", false},
    {"aktindsigt*", "Anmodning", false},
    {"lægeerklæring*", "Lægeerklæring", true},
    {"speciallægeerklæring*", "Lægeerklæring", true},
    {"lægeattest*", "Lægeerklæring", true},
    {"statusattest*", "Lægeerklæring", true},
    {"faktura*", "Faktura", true},
    {"regning", "Faktura", true},
    {"kvittering*", "Kvittering", true},
    {"fuldmagt*", "Fuldmagt", true},
    {"samtykkeerklæring*", "Samtykkeerklæring", true},
    {"erklæring om samtykke", "Samtykkeerklæring", true},
    {"tilbud", "Tilbud", true},
    {"tilbuddet", "Tilbud", true},
    {"kontoudtog*", "Kontoudtog", true},
    {"lønseddel", "Lønseddel", true},
    {"lønsedler", "Lønseddel", true},
    {"lejekontrakt*", "Lejekontrakt", true},
    {"opholdsbevis*", "Dokumentation", true},
    {"dokumentation for", "Dokumentation", true},
    {"indkaldelse*", "Indkaldelse", true},
    {"epikrise*", "Epikrise", true},
};

struct TypeMatch {
  const TypeCue* cue = nullptr;
  size_t at = 0;
  std::string as_written;
};

// The earliest type cue in `line` (a later cue at the same place loses).
std::optional<TypeMatch> FirstTypeCue(std::string_view line, bool heading) {
  const std::string low = LowerDanish(line);
  std::optional<TypeMatch> best;
  for (const TypeCue& cue : kTypeCues) {
    if (cue.heading_only && !heading) continue;
    const bool prefix = cue.phrase.back() == '*';
    const std::string_view phrase =
        prefix ? cue.phrase.substr(0, cue.phrase.size() - 1) : cue.phrase;
    for (size_t at = low.find(phrase); at != std::string::npos; at = low.find(phrase, at + 1)) {
      if (at > 0 && IsWordByte(low[at - 1])) continue;
      size_t end = at + phrase.size();
      if (!prefix && end < low.size() && IsWordByte(low[end])) continue;
      while (prefix && end < low.size() && IsWordByte(low[end])) ++end;
      if (!best || at < best->at) {
        best = TypeMatch{&cue, at, std::string(line.substr(at, end - at))};
      }
      break;
    }
  }
  return best;
}

// The letter's lines and where its parts are.
struct Letter {
  std::vector<std::string> lines;
  std::vector<bool> in_top;       // in the top third (non-empty lines, at least six)
  std::optional<size_t> closing;  // the last "Med venlig hilsen" line
  size_t body_end = 0;            // the closing, or the end
};

Letter SplitLetter(std::string_view text) {
  Letter letter;
  letter.lines = Lines(text);
  const std::vector<std::string>& lines = letter.lines;
  size_t non_empty = 0;
  for (const std::string& l : lines) non_empty += !l.empty();
  const size_t top_lines = std::max<size_t>(6, (non_empty + 2) / 3);
  letter.in_top.assign(lines.size(), false);
  for (size_t k = 0, seen = 0; k < lines.size(); ++k) {
    if (lines[k].empty()) continue;
    letter.in_top[k] = seen < top_lines;
    ++seen;
  }
  for (size_t k = lines.size(); k-- > 0;) {
    if (!ClosingAt(lines[k]).empty()) {
      letter.closing = k;
      break;
    }
  }
  letter.body_end = letter.closing.value_or(lines.size());
  return letter;
}

struct SubjectText {
  std::string raw;                   // as written, lines joined
  std::optional<size_t> first_line;  // where it starts
  size_t end_line = 0;               // one past its last line
  std::string source;                // Danish, for the reason
};

// The subject line (the first firm marker, else the first loose one) with its continuation
// lines, else a heading right above the salutation.
SubjectText FindSubject(const Letter& letter) {
  const std::vector<std::string>& lines = letter.lines;
  SubjectText out;
  std::optional<size_t> loose;
  for (size_t k = 0; k < letter.body_end; ++k) {
    const std::optional<SubjectStart> start = SubjectMarker(lines[k]);
    if (!start) continue;
    if (start->firm) {
      out.first_line = k;
      break;
    }
    if (!loose) loose = k;
  }
  if (!out.first_line) out.first_line = loose;
  if (out.first_line) {
    const std::string& line = lines[*out.first_line];
    out.raw = SubjectMarker(line)->rest;
    out.source = "emnelinjen " + Quoted(line.substr(0, line.size() - out.raw.size()));
    size_t k = *out.first_line + 1;
    // "Vedr.:" alone: the subject is on the next line (a blank line between is allowed).
    if (out.raw.empty()) {
      while (k < lines.size() && k < *out.first_line + 3 && lines[k].empty()) ++k;
      if (k < lines.size() && !lines[k].empty() && !IsMarkerLine(lines[k])) out.raw = lines[k++];
    }
    // Continuation lines: not empty, not another marker, at most three lines in all.
    for (int more = 0; more < 2 && !out.raw.empty() && k < lines.size(); ++more, ++k) {
      const std::string& next = lines[k];
      if (next.empty() || IsMarkerLine(next) || IsSalutation(next)) break;
      AppendLine(out.raw, next);
    }
    out.end_line = k;
    return out;
  }
  // A heading right above the salutation, with blank lines around it: short, no digits, not
  // a name, not a sentence.
  for (size_t k = 0; k < letter.body_end; ++k) {
    if (!IsSalutation(lines[k])) continue;
    size_t h = k;
    while (h > 0 && lines[h - 1].empty()) --h;
    if (h == 0 || h == k) break;  // no blank line between: an address block, not a heading
    const std::string& heading = lines[h - 1];
    const size_t words = Tokens(heading).size();
    const bool above_is_blank = h < 2 || lines[h - 2].empty();
    if (above_is_blank && words >= 2 && words <= 14 && !HasDigitIn(heading) &&
        !IsMarkerLine(heading) && heading.back() != ',' && heading.back() != '.' &&
        !PersonName(heading, false) && !CompanyName(heading)) {
      out.raw = heading;
      out.first_line = h - 1;
      out.end_line = h;
      out.source = "overskriften over " + Quoted(Tokens(lines[k]).front().text) + " …";
    }
    break;
  }
  return out;
}

// The document type: from the subject first, then from the text above the closing.
std::string ReadDocType(const Letter& letter, std::string_view subject, std::string* reason) {
  if (std::optional<TypeMatch> m = FirstTypeCue(subject, true)) {
    const std::string type(m->cue->type);
    *reason = "dokumenttype " + Quoted(type) + " fra ordet " + Quoted(m->as_written) + " i emnet";
    return type;
  }
  for (size_t k = 0; k < letter.body_end; ++k) {
    const std::string low = LowerDanish(letter.lines[k]);
    if (StartsWithWord(low, "bilag") || StartsWithWord(low, "vedlagt") ||
        StartsWithWord(low, "kopi til")) {
      continue;  // names of enclosures, not of the letter
    }
    if (std::optional<TypeMatch> m = FirstTypeCue(letter.lines[k], letter.in_top[k])) {
      const std::string type(m->cue->type);
      *reason = "dokumenttype " + Quoted(type) + " fra ordet " + Quoted(m->as_written) +
                (m->cue->heading_only ? " øverst i brevet" : " i brevets tekst");
      return type;
    }
  }
  *reason =
      "dokumenttype «Brev»: ingen ord i brevet siger, at det er fx en klage eller en ansøgning";
  return "Brev";
}

// A "Fra:" or "Afsender:" line (a printed e-mail, a form).
std::optional<std::string> SenderFromLine(const Letter& letter, std::string* reason) {
  for (const std::string& line : letter.lines) {
    const std::string low = LowerDanish(line);
    for (std::string_view cue : {"fra:", "afsender:"}) {
      if (low.compare(0, cue.size(), cue) != 0) continue;
      std::string_view rest = TrimChars(std::string_view(line).substr(cue.size()), " ");
      rest = rest.substr(0, std::min(rest.find('<'), rest.find(',')));
      std::optional<std::string> name = PersonName(rest, false);
      if (!name) name = CompanyName(rest);
      if (name) {
        *reason = "afsender fra linjen " + Quoted(line.substr(0, cue.size()));
        return name;
      }
    }
  }
  return std::nullopt;
}

// The signature block after the closing: a company line wins over the person signing.
std::optional<std::string> SenderAfterClosing(const Letter& letter, std::string* reason) {
  if (!letter.closing) return std::nullopt;
  const std::vector<std::string>& lines = letter.lines;
  const std::string& line = lines[*letter.closing];
  const std::string_view phrase = ClosingAt(line);
  const std::string_view rest = TrimChars(std::string_view(line).substr(phrase.size()), " .,:-");
  std::optional<std::string> person;
  std::optional<std::string> company;
  if (!rest.empty()) {
    company = CompanyName(rest);
    if (!company) person = PersonName(rest, true);
  }
  int looked = 0;
  for (size_t k = *letter.closing + 1; k < lines.size() && looked < 5 && !company; ++k) {
    if (lines[k].empty()) continue;
    ++looked;
    if (IsSalutation(lines[k]) || SubjectMarker(lines[k])) break;
    if ((company = CompanyName(lines[k]))) break;
    if (!person) {
      person = PersonName(lines[k], looked == 1);
      if (person) continue;
    }
    // An address or contact line ends the signature block.
    if (HasDigitIn(lines[k]) || Contains(lines[k], "@")) break;
  }
  std::optional<std::string> name = company ? company : person;
  if (name) *reason = "afsender fra linjen efter " + Quoted(phrase);
  return name;
}

// The first line of the first address block above the subject that is not the receiving
// authority's.
std::optional<std::string> SenderFromLetterhead(const Letter& letter,
                                                std::optional<size_t> subject_line,
                                                std::string* reason) {
  const std::vector<std::string>& lines = letter.lines;
  size_t k = 0;
  for (int block = 0; block < 3 && k < lines.size(); ++block) {
    while (k < lines.size() && lines[k].empty()) ++k;
    if (k >= lines.size() || (subject_line && k >= *subject_line) || IsMarkerLine(lines[k]) ||
        IsSalutation(lines[k])) {
      break;
    }
    const size_t first = k;
    bool authority = false;
    while (k < lines.size() && !lines[k].empty()) authority |= IsReceivingAuthority(lines[k++]);
    if (authority) continue;
    std::optional<std::string> name = CompanyName(lines[first]);
    if (!name) name = PersonName(lines[first], false);
    if (name) {
      *reason = "afsender fra brevhovedets første linje";
      return name;
    }
  }
  return std::nullopt;
}

std::string ReadSender(const Letter& letter, std::optional<size_t> subject_line,
                       std::string* reason) {
  std::optional<std::string> name = SenderFromLine(letter, reason);
  if (!name) name = SenderAfterClosing(letter, reason);
  if (!name) name = SenderFromLetterhead(letter, subject_line, reason);
  if (name) return *name;
  *reason = letter.closing
                ? "ingen afsender: linjerne efter " +
                      Quoted(ClosingAt(letter.lines[*letter.closing])) + " ligner ikke et navn"
                : "ingen afsender: brevet har ingen hilsen (fx «Med venlig hilsen») og "
                  "intet navn i brevhovedet";
  return "";
}

// The letter date: a place-and-date line (2 points) in the top third (1 point) wins; at
// least one point is needed. Stamps, birth dates, deadlines and dates on marker lines are
// never it.
std::optional<std::string> ReadLetterDate(const Letter& letter, const DateOptions& dates,
                                          std::string* reason) {
  const std::vector<std::string>& lines = letter.lines;
  std::string joined;
  std::vector<size_t> starts;
  for (const std::string& l : lines) {
    starts.push_back(joined.size());
    joined += l;
    joined += '\n';
  }
  std::optional<DatedLine> best;
  int best_score = 0;
  bool best_place = false;
  std::vector<std::string> skipped;
  for (const FoundDate& d : FindDates(joined, dates)) {
    const size_t line = static_cast<size_t>(
        std::upper_bound(starts.begin(), starts.end(), d.begin) - starts.begin() - 1);
    const size_t column = d.begin - starts[line];
    const size_t column_end = std::min(d.end - starts[line], lines[line].size());
    if (IsExcludedDate(lines, line, column)) {
      if (skipped.size() < 2) skipped.push_back(Quoted(lines[line]));
      continue;
    }
    const bool place = IsPlaceAndDateLine(lines[line], column, column_end);
    // A date inside a sentence ("... stoppet min pension den 1. januar 2026.") is the
    // body's, even near the top: the top point needs a short line.
    const size_t other_words = Tokens(lines[line].substr(0, column)).size() +
                               Tokens(lines[line].substr(column_end)).size();
    const bool short_line = other_words <= 5;
    const int score = (place ? 2 : 0) + (letter.in_top[line] && short_line ? 1 : 0);
    if (score > best_score) {
      best = DatedLine{d, line};
      best_score = score;
      best_place = place;
    }
  }
  if (best) {
    *reason = "brevdato " + best->date.Long() + " fra linjen " + Quoted(lines[best->line]) +
              (best_place ? " (sted og dato)" : " (første dato øverst i brevet)");
    if (best->date.future) *reason += "; datoen ligger efter modtagelsen: kontrollér den";
    if (best->date.weekday_mismatch) *reason += "; ugedagen passer ikke til datoen";
  } else {
    *reason =
        "ingen brevdato: ingen dato på en linje med sted og dato eller på en kort linje øverst "
        "i brevet";
  }
  if (!skipped.empty()) {
    *reason += "; ikke brevdatoen: ";
    for (size_t k = 0; k < skipped.size(); ++k) *reason += (k ? ", " : "") + skipped[k];
    *reason += " (modtagelsesstempel, fødselsdato, frist eller henvisning)";
  }
  if (!best) return std::nullopt;
  return best->date.Iso();
}

}  // namespace

LetterFacts ReadLetterFacts(std::string_view text, const DateOptions& dates) {
  LetterFacts facts;
  const Letter letter = SplitLetter(text);
  const SubjectText subject = FindSubject(letter);
  const CleanedSubject cleaned = CleanSubject(subject.raw, dates);
  facts.subject = cleaned.text;
  LowerFirstLetter(facts.subject, letter.lines, subject.first_line.value_or(0), subject.end_line);

  std::string reason;
  facts.doc_type = ReadDocType(letter, cleaned.text, &reason);
  facts.reasons.push_back(reason);
  facts.sender = ReadSender(letter, subject.first_line, &reason);
  facts.reasons.push_back(reason);
  facts.letter_date = ReadLetterDate(letter, dates, &reason);
  facts.reasons.push_back(reason);

  if (!facts.subject.empty()) {
    reason = "emne fra " + subject.source;
    if (cleaned.cpr_removed) reason += "; CPR-nummer fjernet";
    if (cleaned.reference_removed) reason += "; sags- eller referencenummer fjernet";
    if (cleaned.prefix_removed) reason += "; e-mail-præfiks fjernet";
  } else if (subject.first_line) {
    reason = "intet emne: " + subject.source + " er tom, når numre og tegn er fjernet";
  } else {
    reason = "intet emne: ingen emnelinje (Vedr., Angående, Emne …) i brevet";
  }
  facts.reasons.push_back(reason);
  return facts;
}

namespace {

// `text` cut at the last word boundary within `budget` characters, dangling words dropped.
std::string CutAtWord(std::string_view text, size_t budget) {
  if (Characters(text) <= budget) return std::string(text);
  size_t chars = 0;
  size_t last_space = std::string_view::npos;
  for (size_t i = 0; i < text.size(); i += CharLength(text, i)) {
    if (chars == budget) {
      if (text[i] == ' ') last_space = i;  // the word before ends exactly at the budget
      break;
    }
    if (text[i] == ' ') last_space = i;
    ++chars;
  }
  if (last_space == std::string_view::npos) return "";
  return TidyPunctuation(std::string(text.substr(0, last_space)), false);
}

// The subject without the type word it starts with: "klage over afslag" for a Klage is
// "afslag"; "klage" alone is "".
std::string WithoutTypeWord(const std::string& subject, const std::string& type) {
  const std::vector<Token> words = Tokens(subject);
  if (words.empty()) return subject;
  const std::string first = LowerDanish(TrimChars(words[0].text, ",.;:"));
  const std::string t = LowerDanish(type);
  // The type word, inflected ("klagen"), or its stem ("partshøring" of "Partshøringssvar").
  const bool stem = first.size() >= 6 && t.compare(0, first.size(), first) == 0;
  if (first != t && first != t + "n" && first != t + "en" && !stem) return subject;
  if (words.size() == 1) return "";
  static constexpr std::string_view kLinks[] = {"om",   "over", "vedrørende", "vedr.", "angående",
                                                "ang.", "mod",  "på",         "af"};
  const std::string second = LowerDanish(words[1].text);
  if (std::find(std::begin(kLinks), std::end(kLinks), second) == std::end(kLinks)) return subject;
  if (words.size() == 2) return "";
  return std::string(TrimChars(std::string_view(subject).substr(words[2].begin), " "));
}

}  // namespace

TitleSuggestion SuggestTitle(const LetterFacts& facts, const config::TitleRules& rules) {
  TitleSuggestion s;
  s.facts = facts;
  std::string type(TrimChars(facts.doc_type, " "));
  if (type.empty()) type = "Brev";
  if (ContainsCprLike(type)) type = "Brev";
  SetCaseAt(type, 0, LetterCase::kUpper);

  std::string sender(TrimChars(facts.sender, " "));
  if (ContainsCprLike(sender)) {
    sender.clear();
    s.notes.push_back("afsenderen er udeladt, fordi den indeholder et CPR-nummer");
  }
  std::string date;
  if (facts.letter_date) {
    date = LongDanishDate(*facts.letter_date);
    if (date.empty()) s.notes.push_back("brevdatoen er ikke en gyldig dato og er udeladt");
  }
  std::string subject = WithoutTypeWord(std::string(TrimChars(facts.subject, " ")), type);
  if (ContainsCprLike(subject)) {
    subject.clear();
    s.notes.push_back("emnet er udeladt, fordi det indeholder et CPR-nummer");
  }

  const size_t max = static_cast<size_t>(std::max(rules.max_length, 1));
  const auto head = [&] {
    std::string h = type;
    if (!sender.empty()) h += " fra " + sender;
    if (!date.empty()) h += " af " + date;
    return h;
  };
  if (Characters(head()) > max && !sender.empty()) {
    const size_t others = Characters(head()) - Characters(sender);
    sender = others < max ? CutAtWord(sender, max - others) : "";
    s.notes.push_back("afsenderens navn er forkortet, så titlen ikke bliver for lang");
  }
  std::string title = head();
  if (!subject.empty()) {
    const size_t room = Characters(title) + 4 < max ? max - Characters(title) - 4 : 0;
    if (Characters(subject) > room) {
      const std::string cut = CutAtWord(subject, room);
      if (Characters(cut) >= 8) {
        s.notes.push_back("emnet er forkortet ved et ordskel, så titlen højst har " +
                          std::to_string(max) + " tegn; resten hører hjemme i beskrivelsen");
        subject = cut;
      } else {
        s.notes.push_back("emnet er udeladt, fordi titlen ellers bliver længere end " +
                          std::to_string(max) + " tegn");
        subject.clear();
      }
    }
    if (!subject.empty()) title += " om " + subject;
  }
  // Nothing CPR-like may reach a title, whatever the facts held.
  if (ContainsCprLike(title)) {
    title = type;
    s.notes.push_back("titlen er skåret ned til dokumenttypen, fordi den indeholdt et CPR-nummer");
  }
  s.title = title;
  s.check = CheckTitle(title, rules);
  return s;
}

}  // namespace intake::station
