#include "config/loader.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <system_error>
#include <filesystem>

#include <toml++/toml.h>

#include "config/pattern.h"

namespace intake::config {
namespace {

// Larger files are refused before parsing; a station.toml is a few kilobytes.
constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;

std::string_view TypeNameDa(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "tekst";
    case toml::node_type::integer: return "heltal";
    case toml::node_type::floating_point: return "decimaltal";
    case toml::node_type::boolean: return "sand/falsk";
    case toml::node_type::date: return "dato";
    case toml::node_type::time: return "klokkeslæt";
    case toml::node_type::date_time: return "dato og tid";
    case toml::node_type::array: return "liste";
    case toml::node_type::table: return "tabel";
    case toml::node_type::none: break;
  }
  return "ukendt";
}

// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string JoinKey(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Renders a scalar node for a message ("\"300\"", "300.5", "true").
std::string Describe(const toml::node& node) {
  std::ostringstream out;
  if (auto s = node.value<std::string>(); s && node.is_string()) return Quote(*s);
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (node.is_floating_point()) {
    out << *node.value<double>();
    return out.str();
  }
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  return std::string(TypeNameDa(node.type()));
}

class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}

  void Add(const toml::source_region& where, std::string key, std::string message,
           std::string fix) {
    ConfigIssue issue;
    issue.file = file_;
    issue.line = static_cast<int>(where.begin.line);
    issue.column = static_cast<int>(where.begin.column);
    issue.key = std::move(key);
    issue.message = std::move(message);
    issue.fix = std::move(fix);
    issues_.push_back(std::move(issue));
  }

  bool HasIssueUnder(std::string_view prefix) const {
    return std::any_of(issues_.begin(), issues_.end(),
                       [&](const ConfigIssue& i) { return i.key.rfind(prefix, 0) == 0; });
  }

  std::vector<ConfigIssue> TakeIssues() {
    std::stable_sort(issues_.begin(), issues_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return std::move(issues_);
  }

 private:
  std::string file_;
  std::vector<ConfigIssue> issues_;
};

// Reads the keys of one table, records type and range problems, and reports the keys
// nobody asked for as unknown.
class SectionReader {
 public:
  SectionReader(const toml::table& table, std::string path, Checker& checker)
      : table_(table), path_(std::move(path)), checker_(checker) {}

  void String(std::string_view key, std::string* out, std::string_view example,
              const std::function<std::optional<std::string>(const std::string&)>& validate =
                  nullptr) {
    const toml::node* node = Take(key);
    if (node == nullptr) return;
    if (!node->is_string()) {
      WrongType(key, *node, "tekst", std::string(key) + " = " + std::string(example));
      return;
    }
    std::string value = *node->value<std::string>();
    if (validate) {
      if (auto problem = validate(value)) {
        checker_.Add(node->source(), JoinKey(path_, key), *problem,
                     "skriv fx " + std::string(key) + " = " + std::string(example));
        return;
      }
    }
    *out = std::move(value);
  }

  void Int(std::string_view key, int* out, int min, int max, std::string_view unit) {
    const toml::node* node = Take(key);
    if (node == nullptr) return;
    const std::string example = std::string(key) + " = " + std::to_string(*out);
    if (!node->is_integer()) {
      std::string fix = "skriv et heltal uden anførselstegn, fx " + example;
      WrongType(key, *node, "heltal", fix);
      return;
    }
    const int64_t value = *node->value<int64_t>();
    if (value < min || value > max) {
      checker_.Add(node->source(), JoinKey(path_, key),
                   std::to_string(value) + " ligger uden for det tilladte område " +
                       std::to_string(min) + "–" + std::to_string(max) + " " +
                       std::string(unit),
                   "vælg en værdi mellem " + std::to_string(min) + " og " +
                       std::to_string(max) + ", fx " + example);
      return;
    }
    *out = static_cast<int>(value);
  }

  template <typename T>
  void Enum(std::string_view key, T* out,
            std::initializer_list<std::pair<std::string_view, T>> choices) {
    const toml::node* node = Take(key);
    if (node == nullptr) return;
    std::string names;
    for (const auto& [name, v] : choices) {
      if (!names.empty()) names += ", ";
      names += Quote(name);
    }
    if (!node->is_string()) {
      WrongType(key, *node, "tekst", "skriv en af " + names);
      return;
    }
    const std::string value = *node->value<std::string>();
    for (const auto& [name, v] : choices) {
      if (value == name) {
        *out = v;
        return;
      }
    }
    checker_.Add(node->source(), JoinKey(path_, key),
                 Quote(value) + " er ikke en gyldig værdi", "skriv en af " + names);
  }

  // A list of strings; `validate` checks one element and returns a problem or nullopt.
  // TOML dates are accepted as strings in YYYY-MM-DD form.
  void StringList(std::string_view key, std::vector<std::string>* out,
                  const std::function<std::optional<std::string>(const std::string&)>& validate =
                      nullptr) {
    const toml::node* node = Take(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      WrongType(key, *node, "liste af tekster",
                std::string(key) + " = [\"...\", \"...\"]");
      return;
    }
    std::vector<std::string> values;
    bool ok = true;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string element_key = JoinKey(path_, key) + "[" + std::to_string(i) + "]";
      std::string value;
      if (element.is_string()) {
        value = *element.value<std::string>();
      } else if (element.is_date()) {
        std::ostringstream text;
        text << *element.value<toml::date>();
        value = text.str();
      } else {
        checker_.Add(element.source(), element_key,
                     "forventede tekst, fandt " + std::string(TypeNameDa(element.type())),
                     "sæt elementet i anførselstegn");
        ok = false;
        continue;
      }
      if (validate) {
        if (auto problem = validate(value)) {
          checker_.Add(element.source(), element_key, *problem, "ret eller fjern elementet");
          ok = false;
          continue;
        }
      }
      values.push_back(std::move(value));
    }
    if (ok) *out = std::move(values);
  }

  // A sub-table; nullptr if absent (or of the wrong type, which is reported).
  const toml::table* Table(std::string_view key) {
    const toml::node* node = Take(key);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) {
      WrongType(key, *node, "tabel", "skriv en sektion [" + JoinKey(path_, key) + "]");
      return nullptr;
    }
    return node->as_table();
  }

  // Reports every key that no call above asked for.
  void Finish() {
    for (const auto& [key, node] : table_) {
      const std::string name(key.str());
      if (known_.count(name) != 0) continue;
      std::string best;
      size_t best_distance = 3;
      for (const auto& k : known_) {
        const size_t d = EditDistance(name, k);
        if (d < best_distance) {
          best_distance = d;
          best = k;
        }
      }
      std::string allowed;
      for (const auto& k : known_) {
        if (!allowed.empty()) allowed += ", ";
        allowed += k;
      }
      std::string fix = best.empty()
                            ? "fjern nøglen; tilladte nøgler her er: " + allowed
                            : "mente du " + Quote(best) + "? Tilladte nøgler her er: " + allowed;
      if (known_.empty()) fix = "fjern nøglen; her er ingen nøgler tilladt";
      checker_.Add(key.source(), JoinKey(path_, name), "ukendt nøgle " + Quote(name), fix);
    }
  }

  const std::string& path() const { return path_; }
  bool Has(std::string_view key) const { return table_.contains(key); }

 private:
  const toml::node* Take(std::string_view key) {
    known_.insert(std::string(key));
    return table_.get(key);
  }

  void WrongType(std::string_view key, const toml::node& node, std::string_view expected,
                 std::string fix) {
    checker_.Add(node.source(), JoinKey(path_, key),
                 "forventede " + std::string(expected) + ", fandt " +
                     std::string(TypeNameDa(node.type())) +
                     (node.is_table() || node.is_array() ? "" : " " + Describe(node)),
                 std::move(fix));
  }

  const toml::table& table_;
  std::string path_;
  Checker& checker_;
  std::set<std::string> known_;
};

bool IsNameChar(char c, bool allow_upper) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         (allow_upper && ((c >= 'A' && c <= 'Z') || c == '.'));
}

std::optional<std::string> CheckStationId(const std::string& id) {
  if (id.empty() || id.size() > 64 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return IsNameChar(c, true); })) {
    return std::string("stations-id skal være 1–64 tegn: bogstaver a–z, cifre, '.', '_' og '-'");
  }
  return std::nullopt;
}

std::optional<std::string> CheckPath(const std::string& path) {
  if (path.empty()) return std::nullopt;  // default
  if (path[0] == '/' || path.rfind("~/", 0) == 0) return std::nullopt;
  return std::string("stien ") + Quote(path) + " er ikke absolut (skal begynde med / eller ~/)";
}

std::optional<std::string> CheckLanguages(const std::string& langs) {
  // "dan", "dan+eng"; Tesseract model names are lower case letters, digits and '_'.
  bool ok = !langs.empty() && langs.front() != '+' && langs.back() != '+' &&
            langs.find("++") == std::string::npos;
  for (char c : langs) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '+');
  }
  if (!ok) return std::string("sprog skrives som Tesseract-navne adskilt af '+', fx \"dan+eng\"");
  return std::nullopt;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<std::string> CheckIsoDate(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      text[4] != '-' || text[7] != '-') {
    return Quote(text) + " er ikke en dato på formen ÅÅÅÅ-MM-DD";
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0)) {
    return Quote(text) + " er ikke en gyldig dato";
  }
  return std::nullopt;
}

void ReadStation(SectionReader& r, StationSection& s) {
  r.String("id", &s.id, "\"postrum-1\"", CheckStationId);
  r.String("data_dir", &s.data_dir, "\"/var/lib/intake-station\"", CheckPath);
  r.String("log_level", &s.log_level, "\"info\"", [](const std::string& v) -> std::optional<std::string> {
    if (v == "debug" || v == "info" || v == "warning" || v == "error") return std::nullopt;
    return Quote(v) + " er ikke et logniveau (debug, info, warning, error)";
  });
  r.String("log_file", &s.log_file, "\"/var/log/intake-station/station.log\"", CheckPath);
  r.String("scan_folder", &s.scan_folder, "\"/srv/scan-to-folder\"", CheckPath);
  r.Finish();
}

void ReadJournal(SectionReader& r, JournalSection& j) {
  r.String("backend", &j.backend, "\"sqlite\"", [](const std::string& v) -> std::optional<std::string> {
    if (v == "sqlite") return std::nullopt;
    if (v == "postgresql") return std::string("PostgreSQL understøttes endnu ikke");
    return Quote(v) + " er ikke et kendt lager (kun \"sqlite\")";
  });
  r.String("database", &j.database, "\"/var/lib/intake-station/journal.sqlite3\"", CheckPath);
  r.String("file_store", &j.file_store, "\"/var/lib/intake-station/files\"", CheckPath);
  r.Int("busy_timeout_ms", &j.busy_timeout_ms, 0, 600000, "millisekunder");
  r.Finish();
}

void ReadOcr(SectionReader& r, OcrSection& o) {
  r.String("languages", &o.languages, "\"dan\"", CheckLanguages);
  r.Int("workers", &o.workers, 0, 64, "tråde (0 = én pr. kerne)");
  r.Int("max_pages_in_memory", &o.max_pages_in_memory, 2, 1024, "sider");
  r.Int("page_timeout_s", &o.page_timeout_s, 5, 3600, "sekunder");
  r.Finish();
}

void ReadPdf(SectionReader& r, PdfSection& p) {
  r.Enum<ImageMode>("image_mode", &p.image_mode,
                    {{"auto", ImageMode::kAuto},
                     {"bilevel", ImageMode::kBilevel},
                     {"gray", ImageMode::kGray},
                     {"color", ImageMode::kColor}});
  r.Enum<PhotoEncoding>("photo_encoding", &p.photo_encoding,
                        {{"jpeg", PhotoEncoding::kJpeg}, {"lossless", PhotoEncoding::kLossless}});
  r.Int("jpeg_quality", &p.jpeg_quality, 20, 95, "(JPEG-kvalitet)");
  r.Int("photo_dpi", &p.photo_dpi, 75, 600, "dpi");
  r.Finish();
}

void ReadProfile(SectionReader& r, ScannerProfile& p) {
  r.String("device", &p.device, "\"fujitsu:fi-7160:12345\"");
  r.Enum<ScanSource>("source", &p.source,
                     {{"flatbed", ScanSource::kFlatbed},
                      {"feeder", ScanSource::kFeeder},
                      {"duplex", ScanSource::kDuplex}});
  r.Enum<ScanMode>("mode", &p.mode,
                   {{"lineart", ScanMode::kLineart},
                    {"gray", ScanMode::kGray},
                    {"color", ScanMode::kColor}});
  r.Int("dpi", &p.dpi, 75, 1200, "dpi");
  r.Finish();
}

void ReadScanner(SectionReader& r, ScannerSection& s, Checker& checker) {
  const bool default_given = r.Has("default_profile");
  r.String("default_profile", &s.default_profile, "\"standard\"");
  if (const toml::table* profiles = r.Table("profiles")) {
    if (profiles->empty()) {
      checker.Add(profiles->source(), r.path() + ".profiles", "der er ingen scannerprofiler",
                  "definér mindst én profil under [scanner.profiles.NAVN] eller fjern "
                  "[scanner.profiles] for at bruge standardprofilerne");
    }
    std::vector<std::pair<int, ScannerProfile>> parsed;  // with their line, to keep file order
    int first_line = 0;
    for (const auto& [key, node] : *profiles) {
      const std::string name(key.str());
      const std::string path = r.path() + ".profiles." + name;
      if (name.empty() || !std::all_of(name.begin(), name.end(),
                                       [](char c) { return IsNameChar(c, false); })) {
        checker.Add(key.source(), path, "ugyldigt profilnavn " + Quote(name),
                    "brug små bogstaver a–z, cifre, '_' og '-', fx [scanner.profiles.post]");
        continue;
      }
      if (!node.is_table()) {
        checker.Add(node.source(), path, "en profil skal være en tabel",
                    "skriv en sektion [" + path + "] med device, source, mode og dpi");
        continue;
      }
      ScannerProfile profile;
      profile.name = name;
      SectionReader pr(*node.as_table(), path, checker);
      ReadProfile(pr, profile);
      // Without an explicit default, the first profile in the file is the default (the
      // table itself is sorted by name, so compare source lines).
      const int line = static_cast<int>(key.source().begin.line);
      if (!default_given && (first_line == 0 || line < first_line)) {
        first_line = line;
        s.default_profile = name;
      }
      parsed.emplace_back(line, std::move(profile));
    }
    std::stable_sort(parsed.begin(), parsed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    s.profiles.clear();
    for (auto& [line, profile] : parsed) s.profiles.push_back(std::move(profile));
  }
  r.Finish();
}

void ReadCaseNumbers(const toml::table& table, const std::string& path, Checker& checker,
                     std::vector<CaseNumberPattern>& out) {
  std::vector<std::pair<int, CaseNumberPattern>> parsed;  // with their line: file order
  for (const auto& [key, node] : table) {
    const std::string system(key.str());
    const std::string sys_path = path + "." + system;
    // System names may hold Danish letters ("ØKO"); only ASCII punctuation is limited.
    if (system.empty() || system.size() > 64 ||
        !std::all_of(system.begin(), system.end(), [](char c) {
          return static_cast<unsigned char>(c) >= 0x80 || (IsNameChar(c, true) && c != '.');
        })) {
      checker.Add(key.source(), sys_path, "ugyldigt systemnavn " + Quote(system),
                  "brug bogstaver, cifre, '_' og '-', fx [case_numbers.SBSYS]");
      continue;
    }
    if (!node.is_table()) {
      checker.Add(node.source(), sys_path, "et sagsnummersystem skal være en tabel",
                  "skriv en sektion [" + sys_path + "] med pattern og example");
      continue;
    }
    CaseNumberPattern pattern;
    pattern.system = system;
    SectionReader r(*node.as_table(), sys_path, checker);
    r.String("pattern", &pattern.pattern, "'\\d{4}-\\d{7}'");
    r.String("example", &pattern.example, "\"2024-0123456\"");
    r.Finish();
    const toml::node* pattern_node = node.as_table()->get("pattern");
    if (pattern_node == nullptr) {
      checker.Add(node.source(), sys_path + ".pattern", "nøglen pattern mangler",
                  "angiv et regulært udtryk, fx pattern = '\\d{4}-\\d{7}'");
      continue;
    }
    if (!pattern_node->is_string()) continue;  // already reported
    auto compiled = Pattern::Compile(pattern.pattern);
    if (!compiled) {
      checker.Add(pattern_node->source(), sys_path + ".pattern", compiled.error().message(),
                  "ret udtrykket (PCRE2-syntaks; skriv det i enkelte anførselstegn '...', så "
                  "\\d ikke skal dobbeltes)");
      continue;
    }
    if (!pattern.example.empty() && !compiled->FullMatch(pattern.example)) {
      const toml::node* example_node = node.as_table()->get("example");
      checker.Add(example_node->source(), sys_path + ".example",
                  "eksemplet " + Quote(pattern.example) + " passer ikke til mønsteret",
                  "ret mønsteret eller eksemplet, så de stemmer overens");
      continue;
    }
    parsed.emplace_back(static_cast<int>(key.source().begin.line), std::move(pattern));
  }
  std::stable_sort(parsed.begin(), parsed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out.clear();
  for (auto& [line, pattern] : parsed) out.push_back(std::move(pattern));
}

void ReadTitles(SectionReader& r, TitleRules& t) {
  r.Int("min_length", &t.min_length, 5, 100, "tegn");
  r.Int("max_length", &t.max_length, 40, 1000, "tegn");
  auto non_empty = [](const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return std::string("tom tekst");
    return std::nullopt;
  };
  r.StringList("vague", &t.vague, non_empty);
  r.StringList("accepted_abbreviations", &t.accepted_abbreviations, non_empty);
  r.StringList("chat_shorthand", &t.chat_shorthand, non_empty);
  r.StringList("strip_prefixes", &t.strip_prefixes, non_empty);
  r.Finish();
}

void ReadCpr(SectionReader& r, CprSection& c) {
  r.StringList("no_check_digit_dates", &c.no_check_digit_dates, CheckIsoDate);
  r.Finish();
}

void ReadArchive(SectionReader& r, ArchiveSection& a) {
  r.StringList("destruction_types", &a.destruction_types,
               [](const std::string& v) -> std::optional<std::string> {
                 if (v.find_first_not_of(" \t") == std::string::npos) {
                   return std::string("tom dokumenttype");
                 }
                 return std::nullopt;
               });
  r.String("default_disposition", &a.default_disposition, "\"keep\"",
           [](const std::string& v) -> std::optional<std::string> {
             if (v == "keep" || v == "pending") return std::nullopt;
             return std::string("skal være \"keep\" eller \"pending\"");
           });
  r.Finish();
}

// Checks that involve more than one key.
void CheckCrossFields(const toml::table& root, const Config& c, Checker& checker) {
  if (c.titles.min_length > c.titles.max_length) {
    const toml::node* n = root.at_path("titles.min_length").node();
    checker.Add(n ? n->source() : toml::source_region{}, "titles.min_length",
                "min_length (" + std::to_string(c.titles.min_length) +
                    ") er større end max_length (" + std::to_string(c.titles.max_length) + ")",
                "gør min_length mindre end max_length");
  }
  // A profile with errors is left out, so its absence is not a second error.
  if (FindProfile(c, c.scanner.default_profile) == nullptr &&
      !checker.HasIssueUnder("scanner.profiles")) {
    const toml::node* n = root.at_path("scanner.default_profile").node();
    std::string names;
    for (const auto& p : c.scanner.profiles) names += (names.empty() ? "" : ", ") + p.name;
    checker.Add(n ? n->source() : toml::source_region{}, "scanner.default_profile",
                "profilen " + Quote(c.scanner.default_profile) + " findes ikke",
                names.empty() ? "definér mindst én profil under [scanner.profiles.NAVN]"
                              : "brug en af profilerne: " + names);
  }
}

std::string TomlString(std::string_view s) {
  // Literal strings keep regular expressions readable; fall back to basic strings.
  if (s.find('\'') == std::string_view::npos && s.find('\n') == std::string_view::npos &&
      std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return "'" + std::string(s) + "'";
  }
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A key as written in a table header: bare if possible, else quoted.
std::string TomlKey(std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  });
  return bare ? std::string(key) : TomlString(key);  // quoted keys may be literal strings
}

std::string TomlList(const std::vector<std::string>& values) {
  std::string out = "[";
  size_t line_len = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    std::string item = TomlString(values[i]);
    if (line_len + item.size() > 76) {
      out += "\n  ";
      line_len = 2;
    }
    out += item;
    line_len += item.size();
    if (i + 1 < values.size()) {
      out += ", ";
      line_len += 2;
    }
  }
  return out + "]";
}

}  // namespace

std::string ConfigIssue::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!key.empty()) out += key + ": ";
  out += message + ".";
  if (!fix.empty()) out += " Løsning: " + fix + ".";
  return out;
}

ParseOutcome ParseConfig(std::string_view toml_text, std::string_view source_name) {
  ParseOutcome outcome;
  Checker checker{std::string(source_name)};
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    checker.Add(e.source(), "", "ugyldig TOML: " + std::string(e.description()),
                "ret syntaksen på den angivne linje (se https://toml.io)");
    outcome.issues = checker.TakeIssues();
    return outcome;
  }

  Config config = Defaults();
  config.source = std::string(source_name);
  SectionReader top(root, "", checker);
  if (const toml::table* t = top.Table("station")) {
    SectionReader r(*t, "station", checker);
    ReadStation(r, config.station);
  }
  if (const toml::table* t = top.Table("journal")) {
    SectionReader r(*t, "journal", checker);
    ReadJournal(r, config.journal);
  }
  if (const toml::table* t = top.Table("ocr")) {
    SectionReader r(*t, "ocr", checker);
    ReadOcr(r, config.ocr);
  }
  if (const toml::table* t = top.Table("pdf")) {
    SectionReader r(*t, "pdf", checker);
    ReadPdf(r, config.pdf);
  }
  if (const toml::table* t = top.Table("scanner")) {
    SectionReader r(*t, "scanner", checker);
    ReadScanner(r, config.scanner, checker);
  }
  if (const toml::table* t = top.Table("case_numbers")) {
    ReadCaseNumbers(*t, "case_numbers", checker, config.case_numbers);
  }
  if (const toml::table* t = top.Table("titles")) {
    SectionReader r(*t, "titles", checker);
    ReadTitles(r, config.titles);
  }
  if (const toml::table* t = top.Table("cpr")) {
    SectionReader r(*t, "cpr", checker);
    ReadCpr(r, config.cpr);
  }
  if (const toml::table* t = top.Table("archive")) {
    SectionReader r(*t, "archive", checker);
    ReadArchive(r, config.archive);
  }
  top.Finish();
  CheckCrossFields(root, config, checker);

  outcome.issues = checker.TakeIssues();
  if (outcome.issues.empty()) outcome.config = std::move(config);
  return outcome;
}

ParseOutcome LoadConfigFile(const std::string& path) {
  ParseOutcome outcome;
  auto fail = [&](std::string message, std::string fix) {
    ConfigIssue issue;
    issue.file = path;
    issue.message = std::move(message);
    issue.fix = std::move(fix);
    outcome.issues.push_back(std::move(issue));
    return outcome;
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return fail("filen findes ikke", "angiv stien til en eksisterende station.toml");
  }
  if (std::filesystem::is_directory(status)) {
    return fail("stien er en mappe, ikke en fil", "angiv stien til station.toml i mappen");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxConfigBytes) {
    return fail("filen er for stor (" + std::to_string(size) + " byte, højst " +
                    std::to_string(kMaxConfigBytes) + ")",
                "kontrollér at det er den rigtige fil");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("filen kan ikke læses", "kontrollér filens rettigheder");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail("læsefejl", "kontrollér filen og disken");
  return ParseConfig(text.str(), path);
}

Environment Environment::FromProcess() {
  Environment env;
  auto get = [](const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
  };
  env.home = get("HOME");
  env.xdg_data_home = get("XDG_DATA_HOME");
  env.xdg_config_home = get("XDG_CONFIG_HOME");
  env.config_override = get("STATION_CONFIG");
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) env.hostname = host;
  return env;
}

void ResolveDefaults(Config& config, const Environment& env) {
  const std::string home = env.home.empty() ? "/tmp" : env.home;
  auto expand = [&](std::string& path) {
    if (path.rfind("~/", 0) == 0) path = home + path.substr(1);
  };
  if (config.station.id.empty()) {
    std::string id;
    for (char c : env.hostname) {
      if (IsNameChar(c, true)) id += c;
    }
    if (id.size() > 64) id.resize(64);
    config.station.id = id.empty() ? "station" : id;
  }
  if (config.station.data_dir.empty()) {
    // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
    const std::string base = (!env.xdg_data_home.empty() && env.xdg_data_home[0] == '/')
                                 ? env.xdg_data_home
                                 : home + "/.local/share";
    config.station.data_dir = base + "/intake-station";
  }
  expand(config.station.data_dir);
  expand(config.station.log_file);
  if (config.station.scan_folder.empty()) {
    config.station.scan_folder = config.station.data_dir + "/scan-to-folder";
  }
  expand(config.station.scan_folder);
  if (config.journal.database.empty()) {
    config.journal.database = config.station.data_dir + "/journal.sqlite3";
  }
  if (config.journal.file_store.empty()) {
    config.journal.file_store = config.station.data_dir + "/files";
  }
  expand(config.journal.database);
  expand(config.journal.file_store);
}

std::optional<std::string> FindConfigFile(const Environment& env) {
  if (!env.config_override.empty()) return env.config_override;
  std::error_code ec;
  const std::string xdg = (!env.xdg_config_home.empty() && env.xdg_config_home[0] == '/')
                              ? env.xdg_config_home
                              : (env.home.empty() ? "" : env.home + "/.config");
  if (!xdg.empty()) {
    const std::string candidate = xdg + "/intake-station/station.toml";
    if (std::filesystem::exists(candidate, ec)) return candidate;
  }
  const std::string system_wide = "/etc/intake-station/station.toml";
  if (std::filesystem::exists(system_wide, ec)) return system_wide;
  return std::nullopt;
}

std::string ToToml(const Config& c) {
  std::ostringstream o;
  auto line = [&](std::string_view key, const std::string& value, std::string_view comment) {
    std::string text = std::string(key) + " = " + value;
    if (text.size() < 44) text.resize(44, ' ');
    o << text << "  # " << comment << "\n";
  };
  o << "# Effektiv konfiguration for intake-station.\n"
    << "# Kilde: " << (c.source.empty() ? "indbyggede standardværdier" : c.source) << "\n\n";
  o << "[station]\n";
  line("id", TomlString(c.station.id), "stationens navn i revisionsloggen; standard: værtsnavnet");
  line("data_dir", TomlString(c.station.data_dir),
       "journal og dokumentlager; standard: $XDG_DATA_HOME/intake-station");
  line("log_level", TomlString(c.station.log_level), "debug|info|warning|error; standard: info");
  line("log_file", TomlString(c.station.log_file), "JSON-linjer; standard: \"\" (kun stderr)");
  line("scan_folder", TomlString(c.station.scan_folder),
       "scan-to-folder-mappen; standard: <data_dir>/scan-to-folder");
  o << "\n[journal]\n";
  line("backend", TomlString(c.journal.backend), "standard: sqlite");
  line("database", TomlString(c.journal.database), "standard: <data_dir>/journal.sqlite3");
  line("file_store", TomlString(c.journal.file_store), "standard: <data_dir>/files");
  line("busy_timeout_ms", std::to_string(c.journal.busy_timeout_ms),
       "millisekunder, 0–600000; standard: 5000");
  o << "\n[ocr]\n";
  line("languages", TomlString(c.ocr.languages), "Tesseract-sprog adskilt af +; standard: dan");
  line("workers", std::to_string(c.ocr.workers), "tråde, 0–64, 0 = én pr. kerne; standard: 0");
  line("max_pages_in_memory", std::to_string(c.ocr.max_pages_in_memory),
       "sider, 2–1024; standard: 8");
  line("page_timeout_s", std::to_string(c.ocr.page_timeout_s),
       "sekunder pr. side, 5–3600; standard: 180");
  o << "\n[pdf]\n";
  line("image_mode", TomlString(ImageModeName(c.pdf.image_mode)),
       "auto|bilevel|gray|color; standard: auto (efter sidens indhold)");
  line("photo_encoding", TomlString(PhotoEncodingName(c.pdf.photo_encoding)),
       "jpeg|lossless for grå- og farvebilleder; standard: jpeg");
  line("jpeg_quality", std::to_string(c.pdf.jpeg_quality), "20–95; standard: 75");
  line("photo_dpi", std::to_string(c.pdf.photo_dpi),
       "dpi for grå- og farvebilleder, 75–600; standard: 200");
  o << "\n[scanner]\n";
  line("default_profile", TomlString(c.scanner.default_profile), "standard: standard");
  for (const auto& p : c.scanner.profiles) {
    o << "\n[scanner.profiles." << TomlKey(p.name) << "]\n";
    line("device", TomlString(p.device), "SANE-enhed; \"\" = den første fundne");
    line("source", TomlString(ScanSourceName(p.source)), "flatbed|feeder|duplex");
    line("mode", TomlString(ScanModeName(p.mode)), "lineart|gray|color");
    line("dpi", std::to_string(p.dpi), "dpi, 75–1200; standard: 300");
  }
  for (const auto& cn : c.case_numbers) {
    o << "\n[case_numbers." << TomlKey(cn.system) << "]\n";
    line("pattern", TomlString(cn.pattern), "PCRE2, hele sagsnummeret");
    line("example", TomlString(cn.example), "skal passe til mønsteret");
  }
  o << "\n[titles]\n";
  line("min_length", std::to_string(c.titles.min_length), "tegn, 5–100; standard: 15");
  line("max_length", std::to_string(c.titles.max_length), "tegn, 40–1000; standard: 250");
  o << "vague = " << TomlList(c.titles.vague) << "\n";
  o << "accepted_abbreviations = " << TomlList(c.titles.accepted_abbreviations) << "\n";
  o << "chat_shorthand = " << TomlList(c.titles.chat_shorthand) << "\n";
  o << "strip_prefixes = " << TomlList(c.titles.strip_prefixes) << "\n";
  o << "\n[cpr]\n";
  o << "# Fødselsdatoer med CPR-numre uden kontrolciffer (cpr.dk, 10. maj 2023)\n";
  o << "no_check_digit_dates = " << TomlList(c.cpr.no_check_digit_dates) << "\n";
  o << "\n[archive]\n";
  o << "# Dokumenttyper hvis papiroriginal må destrueres med en godkendelse\n";
  o << "destruction_types = " << TomlList(c.archive.destruction_types) << "\n";
  line("default_disposition", TomlString(c.archive.default_disposition),
       "keep|pending; standard: keep");
  return o.str();
}

}  // namespace intake::config
