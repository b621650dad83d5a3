#include "storage/case_import.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "base/cpr_mask.h"
#include "config/pattern.h"

namespace intake::storage {
namespace {

using Severity = RowError::Severity;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// ---------------------------------------------------------------------------------------
// Columns

enum class Field {
  kSystem,
  kReference,
  kTitle,
  kStatus,
  kKleSubject,
  kKleFacet,
  kCaseworker,
  kUnit,
  kRestricted,
  kAccessGroup,
  kPartyCpr,
  kPartyCvr,
  kPartyName,
  kPartyRole,
  kPartyKind,
  kCount,
};
constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

struct FieldSpec {
  Field field;
  std::string_view name;                  // canonical (English) column name
  std::vector<std::string_view> aliases;  // normalised keys (NormaliseKey)
};

const std::vector<FieldSpec>& FieldSpecs() {
  static const std::vector<FieldSpec> specs = {
      {Field::kSystem, "system", {"system", "esdh", "esdh_system", "fagsystem"}},
      {Field::kReference,
       "reference",
       {"reference", "ref", "sagsnummer", "sagsnr", "sag_nr", "case_number", "journalnummer",
        "j_nr", "jnr"}},
      {Field::kTitle, "title", {"title", "titel", "sagstitel"}},
      {Field::kStatus, "status", {"status", "sagsstatus"}},
      {Field::kKleSubject, "kle_subject", {"kle", "kle_subject", "emne", "kle_emne", "emnenummer"}},
      {Field::kKleFacet, "kle_facet", {"facet", "kle_facet", "handlingsfacet"}},
      {Field::kCaseworker, "caseworker", {"caseworker", "sagsbehandler", "ansvarlig"}},
      {Field::kUnit, "unit", {"unit", "enhed", "afdeling"}},
      {Field::kRestricted, "restricted", {"restricted", "beskyttet", "er_beskyttet", "fortrolig"}},
      {Field::kAccessGroup, "access_group", {"access_group", "adgangsgruppe", "sikkerhedsgruppe"}},
      {Field::kPartyCpr,
       "party_cpr",
       {"party_cpr", "cpr", "cpr_nr", "cprnr", "personnummer", "part_cpr"}},
      {Field::kPartyCvr, "party_cvr", {"party_cvr", "cvr", "cvr_nr", "cvrnr", "part_cvr"}},
      {Field::kPartyName, "party_name", {"party_name", "partsnavn", "part_navn", "navn"}},
      {Field::kPartyRole, "party_role", {"party_role", "rolle", "partsrolle", "part_rolle"}},
      {Field::kPartyKind, "party_kind", {"party_kind", "partstype", "part_type"}},
  };
  return specs;
}

std::string_view FieldName(Field field) { return FieldSpecs()[static_cast<size_t>(field)].name; }

std::optional<Field> FieldForKey(std::string_view normalised_key) {
  static const std::unordered_map<std::string_view, Field> by_alias = [] {
    std::unordered_map<std::string_view, Field> map;
    for (const FieldSpec& spec : FieldSpecs()) {
      for (std::string_view alias : spec.aliases) map.emplace(alias, spec.field);
    }
    return map;
  }();
  const auto it = by_alias.find(normalised_key);
  if (it == by_alias.end()) return std::nullopt;
  return it->second;
}

// The members of a party object in JSON.
enum class PartyField { kKind, kName, kCpr, kCvr, kRole, kCount };
constexpr size_t kPartyFieldCount = static_cast<size_t>(PartyField::kCount);
constexpr std::array<std::string_view, kPartyFieldCount> kPartyFieldNames = {"kind", "name", "cpr",
                                                                             "cvr", "role"};

std::optional<PartyField> PartyFieldForKey(std::string_view normalised_key) {
  static const std::unordered_map<std::string_view, PartyField> by_alias = {
      {"kind", PartyField::kKind},        {"type", PartyField::kKind},
      {"partstype", PartyField::kKind},   {"part_type", PartyField::kKind},
      {"name", PartyField::kName},        {"navn", PartyField::kName},
      {"partsnavn", PartyField::kName},   {"cpr", PartyField::kCpr},
      {"cpr_nr", PartyField::kCpr},       {"cprnr", PartyField::kCpr},
      {"personnummer", PartyField::kCpr}, {"cvr", PartyField::kCvr},
      {"cvr_nr", PartyField::kCvr},       {"cvrnr", PartyField::kCvr},
      {"role", PartyField::kRole},        {"rolle", PartyField::kRole},
      {"partsrolle", PartyField::kRole},
  };
  const auto it = by_alias.find(normalised_key);
  if (it == by_alias.end()) return std::nullopt;
  return it->second;
}

// ---------------------------------------------------------------------------------------
// Text helpers (UTF-8)

// Lower-cases ASCII letters and the Latin-1 capitals (À..Þ except ×), which covers Æ Ø Å.
std::string LowerDanish(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      const auto c1 = static_cast<unsigned char>(out[i + 1]);
      if (c1 >= 0x80 && c1 <= 0x9E && c1 != 0x97) out[i + 1] = static_cast<char>(c1 + 0x20);
      ++i;
    }
  }
  return out;
}

// Upper-cases ASCII letters and the Latin-1 small letters à..þ except ÷ (so æ ø å).
std::string UpperDanish(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'a' && c <= 'z') {
      out[i] = static_cast<char>(c - 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      const auto c1 = static_cast<unsigned char>(out[i + 1]);
      if (c1 >= 0xA0 && c1 <= 0xBE && c1 != 0xB7) out[i + 1] = static_cast<char>(c1 - 0x20);
      ++i;
    }
  }
  return out;
}

bool IsSpaceOrControl(unsigned char c) { return c <= 0x20 || c == 0x7F; }

// Collapses runs of whitespace and control characters (line breaks inside quoted CSV
// fields included) into one space and trims the ends.
std::string CleanValue(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char ch : s) {
    if (IsSpaceOrControl(static_cast<unsigned char>(ch))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += ch;
  }
  return out;
}

// A column or member name in comparable form: lower case, spaces, '-', '.' and '/' as
// single '_', no '_' at the ends.
std::string NormaliseKey(std::string_view name) {
  const std::string lower = LowerDanish(CleanValue(name));
  std::string out;
  for (char ch : lower) {
    if (ch == ' ' || ch == '-' || ch == '.' || ch == '/' || ch == '_') {
      if (!out.empty() && out.back() != '_') out += '_';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// `value` for a message: quoted, CPR-like numbers masked, at most 60 characters.
std::string Quote(std::string_view value) {
  std::string shown = MaskCpr(value);
  if (shown.size() > 60) {
    size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "...";
  }
  return "'" + shown + "'";
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Encoding

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence at `pos` (1..4), or 0 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceAt(std::string_view s, size_t pos) {
  auto at = [&](size_t i) -> int {
    return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : -1;
  };
  auto cont = [&](size_t i) { return at(i) >= 0x80 && at(i) <= 0xBF; };
  const int c = at(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return at(1) >= 0xA0 && at(1) <= 0xBF && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return at(1) >= 0x80 && at(1) <= 0x9F && cont(2) ? 3 : 0;
  if (c == 0xF0) return at(1) >= 0x90 && at(1) <= 0xBF && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return at(1) >= 0x80 && at(1) <= 0x8F && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Windows-1252 0x80..0x9F; 0 where the code page leaves the byte undefined.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string FromWindows1252(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else if (c < 0xA0) {
      const char32_t cp = kCp1252High[c - 0x80];
      AppendUtf8(out, cp == 0 ? 0xFFFD : cp);
    } else {
      AppendUtf8(out, c);
    }
  }
  return out;
}

std::string FromUtf16(std::string_view s, bool little_endian) {
  std::string out;
  out.reserve(s.size());
  auto unit = [&](size_t i) -> char32_t {
    const auto a = static_cast<unsigned char>(s[i]);
    const auto b = static_cast<unsigned char>(s[i + 1]);
    return little_endian ? (b << 8 | a) : (a << 8 | b);
  };
  size_t i = 0;
  for (; i + 1 < s.size(); i += 2) {
    const char32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < s.size()) {
      const char32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    AppendUtf8(out, u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u);
  }
  if (i < s.size()) AppendUtf8(out, 0xFFFD);  // an odd last byte
  return out;
}

// Decodes a file that is mostly Windows-1252 but also holds valid UTF-8 multi-byte
// sequences (rows appended in another editor, or two exports pasted together). A line
// that is valid UTF-8 and has a multi-byte sequence was written as UTF-8: read as
// Windows-1252 it would silently become mojibake ("Ã¸" for "ø"), so its multi-byte
// sequences become U+FFFD and the fields holding them are reported row by row. Danish
// text in Windows-1252 is almost never valid UTF-8 (a letter such as 0xE6 'æ' followed
// by an ASCII byte is not), so the other lines are converted as Windows-1252.
std::string FromMixedWindows1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    end = end == std::string_view::npos ? bytes.size() : end + 1;
    const std::string_view line = bytes.substr(start, end - start);
    bool valid = true;
    bool has_multibyte = false;
    for (size_t pos = 0; pos < line.size();) {
      const size_t n = Utf8SequenceAt(line, pos);
      if (n == 0) {
        valid = false;
        break;
      }
      if (n > 1) has_multibyte = true;
      pos += n;
    }
    if (valid && has_multibyte) {
      for (size_t pos = 0; pos < line.size();) {
        const size_t n = Utf8SequenceAt(line, pos);
        if (n > 1) {
          out += kReplacement;
        } else {
          out += line[pos];
        }
        pos += n;
      }
    } else {
      out += FromWindows1252(line);
    }
    start = end;
  }
  return out;
}

struct Decoded {
  std::string text;      // UTF-8
  std::string encoding;  // as CaseListParse::detected_encoding
  std::string problem;   // a whole-file problem (message), or ""
};

Decoded Decode(std::string_view bytes, std::string_view file_name) {
  Decoded d;
  const std::string name = Quote(file_name);
  if (bytes.size() >= 2 && bytes.substr(0, 2) == "\xFF\xFE") {
    d.text = FromUtf16(bytes.substr(2), true);
    d.encoding = "UTF-16LE";
    return d;
  }
  if (bytes.size() >= 2 && bytes.substr(0, 2) == "\xFE\xFF") {
    d.text = FromUtf16(bytes.substr(2), false);
    d.encoding = "UTF-16BE";
    return d;
  }
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    d.problem = "Filen " + name +
                " er et Excel-regneark (.xlsx) eller et andet zip-arkiv, ikke CSV eller JSON. "
                "Åbn den i Excel, og gem den som \"CSV UTF-8 (kommasepareret)\".";
    return d;
  }
  if (bytes.substr(0, 4) == "\xD0\xCF\x11\xE0") {
    d.problem = "Filen " + name +
                " er et ældre Excel-regneark (.xls), ikke CSV eller JSON. Åbn den i Excel, "
                "og gem den som \"CSV UTF-8 (kommasepareret)\".";
    return d;
  }
  if (bytes.find('\0') != std::string_view::npos) {
    d.problem = "Filen " + name +
                " indeholder binære data (NUL-tegn) og er hverken CSV eller JSON i UTF-8 eller "
                "Windows-1252 (UTF-16 kan kun læses med byte-order-mark). Eksportér "
                "sagslisten fra ESDH'et som CSV eller JSON i UTF-8.";
    return d;
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);

  size_t multibyte = 0;
  size_t invalid = 0;
  for (size_t pos = 0; pos < bytes.size();) {
    const size_t n = Utf8SequenceAt(bytes, pos);
    if (n == 0) {
      ++invalid;
      ++pos;
    } else {
      if (n > 1) ++multibyte;
      pos += n;
    }
  }
  if (invalid == 0 || (multibyte > 0 && multibyte >= invalid)) {
    d.encoding = "UTF-8";
    if (invalid == 0) {
      d.text = std::string(bytes);
    } else {
      // Damaged bytes become U+FFFD; the fields holding them are reported row by row.
      d.text.reserve(bytes.size() + 2 * invalid);
      for (size_t pos = 0; pos < bytes.size();) {
        const size_t n = Utf8SequenceAt(bytes, pos);
        if (n == 0) {
          d.text += kReplacement;
          ++pos;
        } else {
          d.text.append(bytes.substr(pos, n));
          pos += n;
        }
      }
    }
  } else {
    d.encoding = "Windows-1252";
    if (multibyte == 0) {
      d.text = FromWindows1252(bytes);
    } else {
      d.text = FromMixedWindows1252(bytes);
    }
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// Rows shared by CSV and JSON, and their validation

struct RawValue {
  bool present = false;   // the column exists (CSV) or the member is set (JSON)
  bool unusable = false;  // of the wrong JSON type (already reported)
  std::string value;      // cleaned
  std::string column;     // canonical, for RowError::column
  std::string where;      // "kolonnen 'Sagsnr'" / "feltet 'titel'", for messages
};

struct RawParty {
  std::array<RawValue, kPartyFieldCount> values;
  const RawValue& operator[](PartyField f) const { return values[static_cast<size_t>(f)]; }
  RawValue& operator[](PartyField f) { return values[static_cast<size_t>(f)]; }
};

struct RawRow {
  int row = 0;
  std::array<RawValue, kFieldCount> values;
  std::vector<RawParty> parties;
  std::vector<RowError> problems;  // found while reading (wrong JSON types ...)
  const RawValue& operator[](Field f) const { return values[static_cast<size_t>(f)]; }
  RawValue& operator[](Field f) { return values[static_cast<size_t>(f)]; }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsKleSubject(std::string_view s) {
  return s.size() == 8 && IsDigit(s[0]) && IsDigit(s[1]) && s[2] == '.' && IsDigit(s[3]) &&
         IsDigit(s[4]) && s[5] == '.' && IsDigit(s[6]) && IsDigit(s[7]);
}

// [A-ZÆØÅ]\d{2} on an upper-cased value.
bool IsKleFacet(std::string_view s) {
  size_t letter = 0;
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') {
    letter = 1;
  } else if (s.substr(0, 2) == "Æ" || s.substr(0, 2) == "Ø" || s.substr(0, 2) == "Å") {
    letter = 2;
  }
  return letter > 0 && s.size() == letter + 2 && IsDigit(s[letter]) && IsDigit(s[letter + 1]);
}

std::optional<std::string> StatusFor(std::string_view value) {
  const std::string v = LowerDanish(value);
  if (v.empty() || v == "open" || v == "åben" || v == "aaben" || v == "aktiv") return "open";
  if (v == "dormant" || v == "hvilende") return "dormant";
  if (v == "closed" || v == "lukket" || v == "afsluttet") return "closed";
  return std::nullopt;
}

std::optional<bool> BoolFor(std::string_view value) {
  const std::string v = LowerDanish(value);
  if (v.empty() || v == "nej" || v == "no" || v == "false" || v == "falsk" || v == "0") {
    return false;
  }
  if (v == "ja" || v == "yes" || v == "true" || v == "sand" || v == "1" || v == "x") return true;
  return std::nullopt;
}

std::optional<std::string> PartyKindFor(std::string_view value) {
  const std::string v = LowerDanish(value);
  if (v == "person" || v == "borger" || v == "privatperson") return "person";
  if (v == "company" || v == "virksomhed" || v == "firma" || v == "organisation") {
    return "company";
  }
  return std::nullopt;
}

std::string ReferenceKey(std::string_view system, std::string_view reference) {
  std::string key = LowerDanish(system);
  key += '\x1f';
  key += reference;
  return key;
}

struct CompiledSystem {
  std::string system;
  std::optional<config::Pattern> pattern;  // nullopt when the pattern does not compile
  std::string example;
};

class RowValidator {
 public:
  RowValidator(const CaseListOptions& options, CaseListParse* out) : options_(options), out_(out) {
    for (const config::CaseNumberPattern& cn : options.case_numbers) {
      CompiledSystem compiled{cn.system, std::nullopt, cn.example};
      Result<config::Pattern> pattern = config::Pattern::Compile(cn.pattern);
      if (pattern.has_value()) {
        compiled.pattern = std::move(*pattern);
      } else {
        out_->errors.push_back(
            {0, "system",
             "Mønstret for sagsnumre i " + Quote(cn.system) + " ([case_numbers." + cn.system +
                 "] i station.toml) kan ikke bruges: " + pattern.error().message() +
                 ". Sagsnumrene for dette system kontrolleres ikke; ret mønstret.",
             Severity::kWarning});
      }
      systems_.push_back(std::move(compiled));
    }
  }

  void Validate(const RawRow& raw) {
    problems_ = raw.problems;
    has_error_ = false;
    for (const RowError& p : problems_) {
      if (p.severity == Severity::kError) has_error_ = true;
    }
    row_ = raw.row;

    ParsedCase parsed;
    parsed.row = raw.row;

    // Unreadable characters first: the other checks would only repeat them.
    std::array<bool, kFieldCount> unreadable{};
    // Party columns are checked with their party.
    for (size_t i = 0; i < static_cast<size_t>(Field::kPartyCpr); ++i) {
      unreadable[i] = CheckReadable(raw.values[i]);
    }

    const RawValue& system = raw[Field::kSystem];
    const RawValue& reference = raw[Field::kReference];
    const RawValue& title = raw[Field::kTitle];
    if (!unreadable[static_cast<size_t>(Field::kSystem)]) {
      if (system.value.empty()) {
        Fail(system, Capital(system.where) + Missing(system) +
                         ". Angiv ESDH-systemet, sagen kommer fra (fx SBSYS).");
      }
      parsed.system = system.value;
    }
    if (!unreadable[static_cast<size_t>(Field::kReference)]) {
      if (reference.value.empty()) {
        Fail(reference, Capital(reference.where) + Missing(reference) +
                            ". Angiv sagens sagsnummer fra ESDH'et.");
      }
      parsed.reference = reference.value;
    }
    if (!unreadable[static_cast<size_t>(Field::kTitle)]) {
      if (title.value.empty()) {
        Fail(title, Capital(title.where) + Missing(title) + ". Angiv sagens titel.");
      }
      parsed.title = title.value;
    }
    for (Field f : {Field::kTitle, Field::kCaseworker, Field::kUnit, Field::kAccessGroup}) {
      if (!unreadable[static_cast<size_t>(f)]) CheckNoCpr(raw[f]);
    }

    CheckSystemAndReference(system, reference, &parsed);

    const RawValue& status = raw[Field::kStatus];
    if (!unreadable[static_cast<size_t>(Field::kStatus)]) {
      if (std::optional<std::string> s = StatusFor(status.value)) {
        parsed.status = *s;
      } else {
        Fail(status, "Status " + Quote(status.value) + " i " + status.where +
                         " er ukendt. Brug open, dormant eller closed (åben, hvilende, lukket).");
      }
    }
    const RawValue& kle = raw[Field::kKleSubject];
    if (!unreadable[static_cast<size_t>(Field::kKleSubject)] && !kle.value.empty()) {
      if (IsKleSubject(kle.value)) {
        parsed.kle_subject = kle.value;
      } else {
        Fail(kle, "KLE-emnet " + Quote(kle.value) + " i " + kle.where +
                      " har ikke formen NN.NN.NN (fx 27.24.00; sager på gruppeniveau: "
                      "NN.NN.00). Ret emnenummeret.");
      }
    }
    const RawValue& facet = raw[Field::kKleFacet];
    if (!unreadable[static_cast<size_t>(Field::kKleFacet)] && !facet.value.empty()) {
      const std::string upper = UpperDanish(facet.value);
      if (IsKleFacet(upper)) {
        parsed.kle_facet = upper;
      } else {
        Fail(facet, "Handlingsfacetten " + Quote(facet.value) + " i " + facet.where +
                        " har ikke formen bogstav og to cifre (fx G01, K02 eller Ø30). Ret "
                        "facetten.");
      }
    }
    const RawValue& restricted = raw[Field::kRestricted];
    if (!unreadable[static_cast<size_t>(Field::kRestricted)]) {
      if (std::optional<bool> b = BoolFor(restricted.value)) {
        parsed.restricted = *b;
      } else {
        Fail(restricted, "Værdien " + Quote(restricted.value) + " i " + restricted.where +
                             " er hverken ja eller nej. Skriv ja eller nej (eller true/false).");
      }
    }
    parsed.caseworker = raw[Field::kCaseworker].value;
    parsed.unit = raw[Field::kUnit].value;
    parsed.access_group = raw[Field::kAccessGroup].value;

    for (const RawParty& party : raw.parties) CheckParty(party, &parsed);

    for (RowError& p : problems_) out_->errors.push_back(std::move(p));
    if (!has_error_) out_->rows.push_back(std::move(parsed));
  }

 private:
  static std::string Capital(std::string_view where) {
    std::string s(where);
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 32);
    return s;
  }

  static const char* Missing(const RawValue& v) { return v.present ? " er tom" : " mangler"; }

  void Fail(const RawValue& v, std::string message) {
    problems_.push_back({row_, v.column, std::move(message), Severity::kError});
    has_error_ = true;
  }
  void Warn(const RawValue& v, std::string message) {
    problems_.push_back({row_, v.column, std::move(message), Severity::kWarning});
  }

  // Free text must not hold a CPR number (DOMAIN.md section 5: not in titles ...).
  void CheckNoCpr(const RawValue& v) {
    if (!ContainsCprLike(v.value)) return;
    Fail(v, Capital(v.where) +
                " indeholder noget, der ligner et CPR-nummer. CPR-numre må kun stå i "
                "partens CPR-felt; ret værdien i ESDH'et, og eksportér igen.");
  }

  // Reports a value holding U+FFFD; returns true if it did, or if the value was unusable
  // for another reason reported already.
  bool CheckReadable(const RawValue& v) {
    if (v.unusable) return true;
    if (v.value.find(kReplacement) == std::string::npos) return false;
    Fail(v, Capital(v.where) +
                " indeholder tegn, der ikke kan læses (bytes, der ikke er gyldig UTF-8, en "
                "blanding af UTF-8 og Windows-1252/Latin-1 i samme fil, eller tegn, der gik "
                "tabt ved en tidligere konvertering). Gem sagslisten igen som UTF-8, og "
                "kontrollér værdien.");
    return true;
  }

  void CheckSystemAndReference(const RawValue& system, const RawValue& reference,
                               ParsedCase* parsed) {
    if (parsed->system.empty() || parsed->reference.empty()) return;
    if (!systems_.empty()) {
      const std::string lower = LowerDanish(parsed->system);
      const CompiledSystem* match = nullptr;
      for (const CompiledSystem& s : systems_) {
        if (LowerDanish(s.system) == lower) match = &s;
      }
      if (match == nullptr) {
        if (warned_systems_.insert(lower).second) {
          Warn(system, "Systemet " + Quote(parsed->system) +
                           " har intet mønster for sagsnumre i station.toml ([case_numbers." +
                           MaskCpr(parsed->system) +
                           "]), så sagsnumrene fra det kontrolleres ikke. Tilføj mønstret, "
                           "eller ret systemets navn (kendte: " +
                           KnownSystems() + ").");
        }
      } else {
        parsed->system = match->system;
        if (match->pattern.has_value() && !match->pattern->FullMatch(parsed->reference)) {
          std::string message = "Sagsnummeret " + Quote(parsed->reference) + " i " +
                                reference.where + " passer ikke til formatet for " + match->system;
          if (!match->example.empty()) message += " (fx " + match->example + ")";
          message += ". Ret sagsnummeret, eller ret systemet i " + system.where + ".";
          Fail(reference, std::move(message));
        }
      }
    }
    const auto [it, inserted] =
        first_row_.emplace(ReferenceKey(parsed->system, parsed->reference), row_);
    if (!inserted) {
      Fail(reference, "Sagsnummeret " + Quote(parsed->reference) + " står allerede i række " +
                          std::to_string(it->second) +
                          ". Hver sag må kun stå én gang i listen; fjern den ene række, eller "
                          "ret sagsnummeret.");
    }
  }

  std::string KnownSystems() const {
    std::vector<std::string> names;
    for (const CompiledSystem& s : systems_) names.push_back(s.system);
    return JoinNames(names);
  }

  void CheckParty(const RawParty& party, ParsedCase* parsed) {
    bool any = false;
    bool unreadable = false;
    for (const RawValue& v : party.values) {
      if (!v.value.empty()) any = true;
      if (CheckReadable(v)) unreadable = true;
    }
    if (!any || unreadable) return;
    const size_t errors_before = problems_.size();
    CheckNoCpr(party[PartyField::kName]);
    CheckNoCpr(party[PartyField::kRole]);
    if (problems_.size() != errors_before) return;

    const RawValue& kind = party[PartyField::kKind];
    const RawValue& name = party[PartyField::kName];
    const RawValue& cpr = party[PartyField::kCpr];
    const RawValue& cvr = party[PartyField::kCvr];
    const RawValue& role = party[PartyField::kRole];
    ParsedParty out;
    out.name = name.value;
    out.role = role.value;
    if (!kind.value.empty()) {
      if (std::optional<std::string> k = PartyKindFor(kind.value)) {
        out.kind = *k;
      } else {
        Fail(kind, "Partstypen " + Quote(kind.value) + " i " + kind.where +
                       " er ukendt. Brug person eller virksomhed (person eller company).");
        return;
      }
    }
    if (!cpr.value.empty() && !cvr.value.empty()) {
      Fail(cpr, "Parten har både et CPR-nummer (" + cpr.where + ") og et CVR-nummer (" + cvr.where +
                    "). En part er enten en person (CPR) eller en virksomhed (CVR); udfyld kun "
                    "det ene.");
      return;
    }
    if (!cpr.value.empty()) {
      const CprCheck check = CheckCpr(cpr.value, options_.no_check_digit_dates, options_.today);
      if (!check.well_formed) {
        Fail(cpr, "CPR-nummeret i " + cpr.where +
                      " har ikke formen DDMMÅÅ-SSSS (ti cifre, evt. med bindestreg eller "
                      "mellemrum efter de seks første). Ret nummeret.");
        return;
      }
      if (check.in_future) {
        Fail(cpr, "CPR-nummeret i " + cpr.where +
                      " har en fødselsdato, der ligger efter i dag (århundredet følger af det "
                      "7. ciffer). Ret nummeret.");
        return;
      }
      if (!check.valid_date) {
        Fail(cpr, "CPR-nummeret i " + cpr.where +
                      " indeholder ikke en gyldig fødselsdato (DDMMÅÅ: dag, måned, år). Ret "
                      "nummeret.");
        return;
      }
      if (check.verdict == CprCheck::Verdict::kDoubtful) {
        out.needs_confirmation = true;
        Warn(cpr, "CPR-nummeret i " + cpr.where +
                      " består ikke modulus 11-kontrollen, og fødselsdatoen står ikke på listen "
                      "over datoer uden kontrolciffer (cpr.no_check_digit_dates). Sagen er "
                      "indlæst, men kontrollér nummeret i CPR, før der journaliseres på den.");
      }
      if (out.kind == "company") {
        Fail(kind, "Parten er angivet som virksomhed i " + kind.where +
                       ", men har et CPR-nummer i " + cpr.where +
                       ". Ret partstypen til person, eller angiv et CVR-nummer.");
        return;
      }
      out.kind = "person";
      out.number = check.digits;
    } else if (!cvr.value.empty()) {
      if (!CheckCvr(cvr.value)) {
        Fail(cvr, "CVR-nummeret i " + cvr.where +
                      " er ugyldigt: det skal være otte cifre (mellemrum er tilladt), og "
                      "kontrolcifferet (modulus 11) skal passe. Ret nummeret, fx efter cvr.dk.");
        return;
      }
      if (out.kind == "person") {
        Fail(kind, "Parten er angivet som person i " + kind.where + ", men har et CVR-nummer i " +
                       cvr.where + ". Ret partstypen til virksomhed, eller angiv et CPR-nummer.");
        return;
      }
      out.kind = "company";
      out.number = NormaliseDigits(cvr.value);
    } else if (out.kind.empty()) {
      const RawValue& about = name.value.empty() ? role : name;
      Fail(about, "Parten i " + about.where +
                      " har hverken CPR-nummer, CVR-nummer eller partstype. Udfyld CPR- eller "
                      "CVR-nummeret, eller angiv partstypen (person eller virksomhed).");
      return;
    }
    if (name.value.empty() && out.number.empty()) {
      const RawValue& about = role.value.empty() ? kind : role;
      Fail(about, "Parten i " + about.where +
                      " har hverken navn eller CPR- eller CVR-nummer. Udfyld partens navn "
                      "eller nummer, eller fjern parten.");
      return;
    }
    parsed->parties.push_back(std::move(out));
  }

  const CaseListOptions& options_;
  CaseListParse* out_;
  std::vector<CompiledSystem> systems_;
  std::unordered_map<std::string, int> first_row_;  // reference key -> row
  std::set<std::string> warned_systems_;
  std::vector<RowError> problems_;
  bool has_error_ = false;
  int row_ = 0;
};

// ---------------------------------------------------------------------------------------
// CSV

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }

// Consumes one line break ("\r\n", "\n" or "\r") at `pos`.
size_t SkipLineBreak(std::string_view text, size_t pos) {
  if (pos < text.size() && text[pos] == '\r') {
    ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
  } else if (pos < text.size() && text[pos] == '\n') {
    ++pos;
  }
  return pos;
}

struct Record {
  int line = 0;  // where it starts
  std::vector<std::string> fields;
  std::string problem;  // a quoting problem (message), or ""
  bool Blank() const {
    return std::all_of(fields.begin(), fields.end(),
                       [](const std::string& f) { return CleanValue(f).empty(); });
  }
};

// Reads RFC 4180 records. A field starting with '"' (after spaces) is quoted: doubled
// quotes are one quote; delimiters and line breaks inside are data. A quote inside an
// unquoted field is data. An unterminated quote is reported on its record and reading
// resumes on the line after the quote, so one stray quote costs one row, not the file.
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  bool AtEnd() const { return pos_ >= text_.size(); }

  Record Next() {
    Record record;
    record.line = line_;
    std::string field;
    bool field_start = true;
    while (true) {
      if (pos_ >= text_.size()) {
        record.fields.push_back(std::move(field));
        return record;
      }
      if (field_start) {
        field_start = false;
        size_t p = pos_;
        while (p < text_.size() && text_[p] == ' ' && delimiter_ != ' ') ++p;
        if (p < text_.size() && text_[p] == '"') {
          if (!ReadQuoted(p, &field, &record)) return record;
          continue;
        }
      }
      const char c = text_[pos_];
      if (c == delimiter_) {
        record.fields.push_back(std::move(field));
        field.clear();
        field_start = true;
        ++pos_;
      } else if (IsLineBreak(c)) {
        pos_ = SkipLineBreak(text_, pos_);
        ++line_;
        record.fields.push_back(std::move(field));
        return record;
      } else {
        field += c;
        ++pos_;
      }
    }
  }

 private:
  // Reads a quoted field whose opening quote is at `quote`. Returns false if the record
  // ends here because of a problem (already recorded and the reader moved on).
  bool ReadQuoted(size_t quote, std::string* field, Record* record) {
    const int quote_line = line_;
    size_t p = quote + 1;
    int line = line_;
    bool closed = false;
    while (p < text_.size()) {
      const char c = text_[p];
      if (c == '"') {
        if (p + 1 < text_.size() && text_[p + 1] == '"') {
          *field += '"';
          p += 2;
          continue;
        }
        closed = true;
        ++p;
        break;
      }
      if (c == '\n' || (c == '\r' && (p + 1 >= text_.size() || text_[p + 1] != '\n'))) ++line;
      *field += c;
      ++p;
    }
    if (!closed) {
      record->problem =
          "Et anførselstegn (\") i linje " + std::to_string(quote_line) +
          " bliver aldrig lukket. Luk feltet med \", eller skriv anførselstegn i en værdi "
          "som \"\" inde i et felt i anførselstegn.";
      // Resume on the line after the opening quote.
      size_t eol = text_.find_first_of("\r\n", quote);
      pos_ = eol == std::string_view::npos ? text_.size() : SkipLineBreak(text_, eol);
      line_ = quote_line + 1;
      return false;
    }
    pos_ = p;
    line_ = line;
    while (pos_ < text_.size() && text_[pos_] == ' ' && delimiter_ != ' ') ++pos_;
    if (pos_ < text_.size() && text_[pos_] != delimiter_ && !IsLineBreak(text_[pos_])) {
      record->problem = "Der står tekst efter et afsluttende anførselstegn (\") i linje " +
                        std::to_string(line_) +
                        ". Sæt hele værdien i anførselstegn, og skriv anførselstegn inde i "
                        "den som \"\".";
      // Keep the rest of the field as data so the field count stays meaningful.
      while (pos_ < text_.size() && text_[pos_] != delimiter_ && !IsLineBreak(text_[pos_])) {
        *field += text_[pos_++];
      }
    }
    return true;
  }

  std::string_view text_;
  char delimiter_;
  size_t pos_ = 0;
  int line_ = 1;
};

std::string DelimiterName(char delimiter) {
  switch (delimiter) {
    case ';':
      return "semikolon (;)";
    case ',':
      return "komma (,)";
    case '\t':
      return "tabulator";
    case '|':
      return "lodret streg (|)";
    default:
      return std::string("'") + delimiter + "'";
  }
}

// The delimiter of the header line starting at `start`: the most frequent of ';', '\t' and
// ',' outside quotes (ties in that order); ';' if none occurs.
char DetectDelimiter(std::string_view text, size_t start) {
  int semicolons = 0;
  int tabs = 0;
  int commas = 0;
  bool quoted = false;
  for (size_t p = start; p < text.size(); ++p) {
    const char c = text[p];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (IsLineBreak(c)) break;
      if (c == ';') ++semicolons;
      if (c == '\t') ++tabs;
      if (c == ',') ++commas;
    }
  }
  if (semicolons >= tabs && semicolons >= commas && semicolons > 0) return ';';
  if (tabs >= commas && tabs > 0) return '\t';
  if (commas > 0) return ',';
  return ';';
}

// Other delimiters found in `text` (a header or a record read as one field).
std::vector<char> OtherDelimitersIn(std::string_view text, char delimiter) {
  std::vector<char> found;
  for (char candidate : {';', ',', '\t', '|'}) {
    if (candidate != delimiter && text.find(candidate) != std::string_view::npos) {
      found.push_back(candidate);
    }
  }
  return found;
}

void ParseCsv(const std::string& text, std::string_view file_name, const CaseListOptions& options,
              CaseListParse* out) {
  // The header is the first line with something on it.
  size_t start = 0;
  while (start < text.size()) {
    size_t eol = text.find_first_of("\r\n", start);
    if (eol == std::string::npos) eol = text.size();
    if (!CleanValue(std::string_view(text).substr(start, eol - start)).empty()) break;
    start = SkipLineBreak(text, eol);
  }
  if (start >= text.size()) {
    out->errors.push_back({0, "",
                           "Filen " + Quote(file_name) +
                               " er tom. Eksportér sagslisten igen med en overskriftsrække "
                               "(system, reference, title ...) og en række pr. sag."});
    return;
  }
  const char delimiter = DetectDelimiter(text, start);
  out->detected_format = std::string("csv") + delimiter;

  CsvReader reader(text, delimiter);
  Record header;
  do {
    header = reader.Next();
  } while (header.problem.empty() && header.Blank() && !reader.AtEnd());

  struct Column {
    std::string label;  // as written in the file
    std::optional<Field> field;
  };
  std::vector<Column> columns;
  for (const std::string& cell : header.fields) {
    columns.push_back({CleanValue(cell), FieldForKey(NormaliseKey(cell))});
  }
  // Trailing unnamed columns (a delimiter at the end of the header) are not columns.
  while (!columns.empty() && columns.back().label.empty()) columns.pop_back();

  std::vector<std::string> found;
  for (const Column& c : columns) found.push_back(Quote(c.label.empty() ? "(uden navn)" : c.label));

  if (!header.problem.empty()) {
    out->errors.push_back({header.line, "", "Overskriftsrækken kan ikke læses: " + header.problem});
    return;
  }
  std::array<int, kFieldCount> column_of;
  column_of.fill(-1);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].field) continue;
    const size_t f = static_cast<size_t>(*columns[i].field);
    if (column_of[f] >= 0) {
      out->errors.push_back({header.line, std::string(FieldName(*columns[i].field)),
                             "Kolonnerne " + Quote(columns[column_of[f]].label) + " og " +
                                 Quote(columns[i].label) + " betyder begge " +
                                 std::string(FieldName(*columns[i].field)) +
                                 ". Fjern den ene kolonne, eller omdøb den, så den ikke bruges."});
      return;
    }
    column_of[f] = static_cast<int>(i);
  }
  std::vector<std::string> missing;
  for (Field f : {Field::kSystem, Field::kReference, Field::kTitle}) {
    if (column_of[static_cast<size_t>(f)] < 0) missing.emplace_back(FieldName(f));
  }
  if (!missing.empty()) {
    std::string message =
        (missing.size() == 1 ? "Den påkrævede kolonne " : "De påkrævede kolonner ") +
        JoinNames(missing) + " mangler i overskriftsrækken. Fundne kolonner: " + JoinNames(found) +
        ".";
    std::vector<char> others;
    for (const Column& c : columns) {
      for (char d : OtherDelimitersIn(c.label, delimiter)) {
        if (std::find(others.begin(), others.end(), d) == others.end()) others.push_back(d);
      }
    }
    if (!others.empty()) {
      message += columns.size() == 1 ? " Overskriften blev læst som én kolonne, der indeholder "
                                     : " Kolonnenavnene indeholder ";
      message += DelimiterName(others[0]) + ": filen bruger vist " + DelimiterName(others[0]) +
                 " som skilletegn, eller overskriften står i anførselstegn. Gem filen som CSV "
                 "med semikolon, komma eller tabulator mellem kolonnerne og uden anførselstegn "
                 "om hele linjen.";
    } else {
      message +=
          " Tilføj kolonnerne (på engelsk eller dansk, fx sagsnr og titel), eller ret "
          "deres navne.";
    }
    out->errors.push_back({header.line, missing[0], std::move(message)});
    return;
  }
  std::vector<std::string> ignored;
  for (const Column& c : columns) {
    if (!c.field) ignored.push_back(Quote(c.label.empty() ? "(uden navn)" : c.label));
  }
  if (!ignored.empty()) {
    out->errors.push_back(
        {header.line, "",
         (ignored.size() == 1 ? "Kolonnen " : "Kolonnerne ") + JoinNames(ignored) +
             " kendes ikke og ignoreres. Kendte kolonner: system, reference, title, status, "
             "kle_subject, kle_facet, caseworker, unit, restricted, access_group, party_cpr, "
             "party_cvr, party_name, party_role, party_kind (eller de danske navne). Ret "
             "navnet, hvis kolonnen skulle have været med.",
         Severity::kWarning});
  }

  const bool has_party = column_of[static_cast<size_t>(Field::kPartyCpr)] >= 0 ||
                         column_of[static_cast<size_t>(Field::kPartyCvr)] >= 0 ||
                         column_of[static_cast<size_t>(Field::kPartyName)] >= 0 ||
                         column_of[static_cast<size_t>(Field::kPartyRole)] >= 0 ||
                         column_of[static_cast<size_t>(Field::kPartyKind)] >= 0;
  RowValidator validator(options, out);
  int data_rows = 0;
  while (!reader.AtEnd()) {
    Record record = reader.Next();
    if (record.problem.empty() && record.Blank()) continue;
    ++data_rows;
    if (!record.problem.empty()) {
      out->errors.push_back({record.line, "", record.problem});
      continue;
    }
    if (record.fields.size() < columns.size()) {
      std::string message = "Rækken har " + std::to_string(record.fields.size()) +
                            (record.fields.size() == 1 ? " felt" : " felter") +
                            ", men overskriften har " + std::to_string(columns.size()) +
                            " kolonner.";
      const std::vector<char> others = record.fields.size() == 1
                                           ? OtherDelimitersIn(record.fields[0], delimiter)
                                           : std::vector<char>{};
      if (!others.empty()) {
        message += " Rækken ser ud til at bruge " + DelimiterName(others[0]) +
                   " som skilletegn, men overskriften bruger " + DelimiterName(delimiter) +
                   ". Brug det samme skilletegn i hele filen.";
      } else {
        message +=
            " Udfyld de manglende felter (tomme felter skal stadig have deres "
            "skilletegn), eller sæt værdier med linjeskift i anførselstegn.";
      }
      out->errors.push_back({record.line, "", std::move(message)});
      continue;
    }
    bool extra = false;
    for (size_t i = columns.size(); i < record.fields.size(); ++i) {
      if (!CleanValue(record.fields[i]).empty()) extra = true;
    }
    if (extra) {
      out->errors.push_back(
          {record.line, "",
           "Rækken har " + std::to_string(record.fields.size()) + " felter, men overskriften har " +
               std::to_string(columns.size()) + " kolonner. En værdi indeholder vist et " +
               DelimiterName(delimiter) +
               " uden at stå i anførselstegn; sæt værdien i anførselstegn (\"...\")."});
      continue;
    }

    RawRow raw;
    raw.row = record.line;
    for (size_t f = 0; f < kFieldCount; ++f) {
      RawValue& v = raw.values[f];
      v.column = std::string(FieldName(static_cast<Field>(f)));
      const int c = column_of[f];
      if (c < 0) {
        v.where = "kolonnen " + v.column;
        continue;
      }
      v.present = true;
      v.value = CleanValue(record.fields[static_cast<size_t>(c)]);
      v.where = "kolonnen " + Quote(columns[static_cast<size_t>(c)].label);
    }
    if (has_party) {
      RawParty party;
      party[PartyField::kKind] = raw[Field::kPartyKind];
      party[PartyField::kName] = raw[Field::kPartyName];
      party[PartyField::kCpr] = raw[Field::kPartyCpr];
      party[PartyField::kCvr] = raw[Field::kPartyCvr];
      party[PartyField::kRole] = raw[Field::kPartyRole];
      raw.parties.push_back(std::move(party));
    }
    validator.Validate(raw);
  }
  if (data_rows == 0) {
    out->errors.push_back({header.line, "",
                           "Filen " + Quote(file_name) +
                               " har en overskriftsrække, men ingen sager. Eksportér "
                               "sagslisten igen med en række pr. sag.",
                           Severity::kWarning});
  }
}

// ---------------------------------------------------------------------------------------
// JSON

using nlohmann::json;

// The line and column nlohmann reports in `what` ("... at line 3, column 5: ..."), or
// values computed from `byte` (1-based, nlohmann's position after the offending
// character) when the text has none.
std::pair<int, int> JsonErrorPosition(const std::string& text, const std::string& what,
                                      size_t byte) {
  const size_t at = what.find("at line ");
  if (at != std::string::npos) {
    int line = 0;
    int column = 0;
    if (std::sscanf(what.c_str() + at, "at line %d, column %d", &line, &column) == 2) {
      return {line, column};
    }
  }
  int line = 1;
  int column = 0;
  for (size_t i = 0; i < text.size() && i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// nlohmann's explanation without its prefix and without the echo of the text read
// ("; last read: '...'"), which could hold part of a CPR number.
std::string JsonErrorDetail(const std::string& what) {
  std::string detail = what;
  const size_t colon = detail.find(": ");
  if (colon != std::string::npos) detail = detail.substr(colon + 2);
  const size_t last_read = detail.find("; last read");
  if (last_read != std::string::npos) detail = detail.substr(0, last_read);
  return detail;
}

// Reads one member value. Strings are cleaned; null is absent; booleans only where
// `allow_bool`; anything else is a problem on the row.
RawValue JsonValue(const json& value, const std::string& column, const std::string& key,
                   bool allow_bool, bool identity_number, RawRow* raw) {
  RawValue v;
  v.column = column;
  v.where = "feltet " + Quote(key);
  if (value.is_null()) return v;
  v.present = true;
  if (value.is_string()) {
    v.value = CleanValue(value.get_ref<const std::string&>());
  } else if (value.is_boolean() && allow_bool) {
    v.value = value.get<bool>() ? "true" : "false";
  } else {
    v.unusable = true;
    std::string message = "Feltet " + Quote(key) + " skal være tekst i anførselstegn";
    if (identity_number && value.is_number()) {
      message += " (som tal mister nummeret foranstillede nuller)";
    }
    message += ", fx \"...\". Ret værdien.";
    raw->problems.push_back({raw->row, column, std::move(message), Severity::kError});
  }
  return v;
}

void ParseJson(const std::string& text, std::string_view file_name, const CaseListOptions& options,
               CaseListParse* out) {
  out->detected_format = "json";
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    const auto [line, column] = JsonErrorPosition(text, e.what(), e.byte);
    out->errors.push_back({0, "",
                           "JSON-filen " + Quote(file_name) + " kan ikke læses: fejl i linje " +
                               std::to_string(line) + ", kolonne " + std::to_string(column) + " (" +
                               JsonErrorDetail(e.what()) +
                               "). Ret filen der, fx et manglende komma, anførselstegn eller "
                               "en manglende klamme."});
    return;
  } catch (const std::exception& e) {
    out->errors.push_back({0, "",
                           "JSON-filen " + Quote(file_name) + " kan ikke læses (" +
                               JsonErrorDetail(e.what()) + "). Eksportér sagslisten igen."});
    return;
  }

  const json* list = &document;
  if (document.is_object()) {
    list = nullptr;
    for (const auto& [key, value] : document.items()) {
      const std::string k = NormaliseKey(key);
      if ((k == "cases" || k == "sager") && value.is_array()) list = &value;
    }
  }
  if (list == nullptr || !list->is_array()) {
    out->errors.push_back({0, "",
                           "JSON-filen " + Quote(file_name) +
                               " skal indeholde en liste af sager: [ {\"system\": ..., "
                               "\"reference\": ..., \"title\": ...}, ... ] (eller et objekt "
                               "med listen under \"cases\"). Ret filens opbygning."});
    return;
  }
  if (list->empty()) {
    out->errors.push_back(
        {0, "",
         "JSON-filen " + Quote(file_name) + " indeholder ingen sager. Eksportér sagslisten igen.",
         Severity::kWarning});
    return;
  }

  RowValidator validator(options, out);
  std::map<std::string, int> unknown_keys;  // key -> first element
  for (size_t index = 0; index < list->size(); ++index) {
    const json& element = (*list)[index];
    RawRow raw;
    raw.row = static_cast<int>(index) + 1;
    for (size_t f = 0; f < kFieldCount; ++f) {
      raw.values[f].column = std::string(FieldName(static_cast<Field>(f)));
      raw.values[f].where = "feltet " + raw.values[f].column;
    }
    if (!element.is_object()) {
      out->errors.push_back({raw.row, "",
                             "Element " + std::to_string(raw.row) +
                                 " i listen er ikke et objekt ({...}). Hver sag skal være et "
                                 "objekt med felterne system, reference og title."});
      continue;
    }
    bool has_flat_party = false;
    for (const auto& [key, value] : element.items()) {
      const std::string k = NormaliseKey(key);
      if (k == "parties" || k == "parter") {
        if (value.is_null()) continue;
        if (!value.is_array()) {
          raw.problems.push_back({raw.row, "parties",
                                  "Feltet " + Quote(key) +
                                      " skal være en liste af parter: [ {\"kind\": ..., "
                                      "\"name\": ..., \"cpr\": ...}, ... ]. Ret feltet.",
                                  Severity::kError});
          continue;
        }
        for (size_t p = 0; p < value.size(); ++p) {
          const std::string column = "parties[" + std::to_string(p + 1) + "]";
          const std::string label = key + "[" + std::to_string(p + 1) + "]";
          const json& party_json = value[p];
          RawParty party;
          for (size_t f = 0; f < kPartyFieldCount; ++f) {
            party.values[f].column = column + "." + std::string(kPartyFieldNames[f]);
            party.values[f].where =
                "feltet " + Quote(label + "." + std::string(kPartyFieldNames[f]));
          }
          if (!party_json.is_object()) {
            raw.problems.push_back({raw.row, column,
                                    "Part " + std::to_string(p + 1) + " i feltet " + Quote(key) +
                                        " er ikke et objekt ({\"kind\": ..., \"name\": ..., "
                                        "\"cpr\": ...}). Ret parten.",
                                    Severity::kError});
            continue;
          }
          for (const auto& [party_key, party_value] : party_json.items()) {
            const std::optional<PartyField> pf = PartyFieldForKey(NormaliseKey(party_key));
            const std::string where_key = label + "." + party_key;
            if (!pf) {
              const std::string shown = "parties." + party_key;
              if (unknown_keys.emplace(shown, raw.row).second) {
                out->errors.push_back(
                    {raw.row, column,
                     "Feltet " + Quote(where_key) +
                         " kendes ikke for en part og ignoreres (også i senere elementer). "
                         "Kendte felter: kind, name, cpr, cvr, role (partstype, navn, rolle).",
                     Severity::kWarning});
              }
              continue;
            }
            const size_t i = static_cast<size_t>(*pf);
            party.values[i] = JsonValue(party_value, party.values[i].column, where_key, false,
                                        *pf == PartyField::kCpr || *pf == PartyField::kCvr, &raw);
          }
          raw.parties.push_back(std::move(party));
        }
        continue;
      }
      const std::optional<Field> field = FieldForKey(k);
      if (!field) {
        if (unknown_keys.emplace(key, raw.row).second) {
          out->errors.push_back(
              {raw.row, "",
               "Feltet " + Quote(key) +
                   " kendes ikke og ignoreres (også i senere elementer). Kendte felter: "
                   "system, reference, title, status, kle_subject, kle_facet, caseworker, "
                   "unit, restricted, access_group, parties (eller de danske navne).",
               Severity::kWarning});
        }
        continue;
      }
      const size_t f = static_cast<size_t>(*field);
      raw.values[f] = JsonValue(value, raw.values[f].column, key, *field == Field::kRestricted,
                                *field == Field::kPartyCpr || *field == Field::kPartyCvr, &raw);
      if (*field >= Field::kPartyCpr) has_flat_party = true;
    }
    if (has_flat_party) {
      RawParty party;
      party[PartyField::kKind] = raw[Field::kPartyKind];
      party[PartyField::kName] = raw[Field::kPartyName];
      party[PartyField::kCpr] = raw[Field::kPartyCpr];
      party[PartyField::kCvr] = raw[Field::kPartyCvr];
      party[PartyField::kRole] = raw[Field::kPartyRole];
      raw.parties.insert(raw.parties.begin(), std::move(party));
    }
    validator.Validate(raw);
  }
}

bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '[' || c == '{';
  }
  return false;
}

bool EndsWithJson(std::string_view file_name) {
  if (file_name.size() < 5) return false;
  return LowerDanish(file_name.substr(file_name.size() - 5)) == ".json";
}

}  // namespace

CaseListParse ParseCaseList(std::string_view bytes, std::string_view file_name,
                            const std::vector<std::string>& no_check_digit_dates) {
  CaseListOptions options;
  options.no_check_digit_dates = no_check_digit_dates;
  return ParseCaseList(bytes, file_name, options);
}

CaseListParse ParseCaseList(std::string_view bytes, std::string_view file_name,
                            const CaseListOptions& options) {
  CaseListParse out;
  if (bytes.empty()) {
    out.errors.push_back({0, "",
                          "Filen " + Quote(file_name) +
                              " er tom (0 bytes). Eksportér sagslisten fra ESDH'et igen som "
                              "CSV eller JSON."});
    return out;
  }
  Decoded decoded = Decode(bytes, file_name);
  out.detected_encoding = decoded.encoding;
  if (!decoded.problem.empty()) {
    out.errors.push_back({0, "", std::move(decoded.problem)});
  } else if (EndsWithJson(file_name) || LooksLikeJson(decoded.text)) {
    ParseJson(decoded.text, file_name, options, &out);
  } else {
    ParseCsv(decoded.text, file_name, options, &out);
  }
  // Every message is built without CPR numbers; masking again guards against an echo
  // that slipped through (a header name, a file name, a library's text).
  for (RowError& e : out.errors) {
    e.message = MaskCpr(e.message);
    e.column = MaskCpr(e.column);
  }
  return out;
}

int CountErrors(const CaseListParse& parse) {
  return static_cast<int>(
      std::count_if(parse.errors.begin(), parse.errors.end(),
                    [](const RowError& e) { return e.severity == RowError::Severity::kError; }));
}

}  // namespace intake::storage
