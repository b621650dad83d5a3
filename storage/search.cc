#include "storage/search.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "storage/database.h"
#include "storage/journal.h"

namespace intake::storage {
namespace {

// ---- UTF-8 ----

// Decodes the code point at s[*i] and advances *i; false for invalid UTF-8 (overlong forms,
// surrogates, code points above U+10FFFF, truncated sequences).
bool DecodeUtf8(std::string_view s, size_t* i, char32_t* cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  int len = 0;
  char32_t c = 0;
  if (b0 < 0x80) {
    *cp = b0;
    ++*i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    c = b0 & 0x07;
  } else {
    return false;
  }
  if (*i + static_cast<size_t>(len) > s.size()) return false;
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(*i + static_cast<size_t>(k));
    if ((b & 0xC0) != 0x80) return false;
    c = (c << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
  *cp = c;
  *i += static_cast<size_t>(len);
  return true;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// The precomposed Latin-1 letter for `base` followed by the combining mark `mark`, or 0.
// Keyboards and some systems (macOS file names, copied PDF text) give "å" as "a" + U+030A;
// the index holds the precomposed letters that OCR produces, and unicode61 would split the
// decomposed form into two tokens.
char32_t Compose(char32_t base, char32_t mark) {
  struct Entry {
    char base;
    char32_t mark;
    char32_t upper;
  };
  static constexpr std::array<Entry, 27> kTable = {{
      {'A', 0x300, 0xC0}, {'A', 0x301, 0xC1}, {'A', 0x302, 0xC2}, {'A', 0x303, 0xC3},
      {'A', 0x308, 0xC4}, {'A', 0x30A, 0xC5}, {'C', 0x327, 0xC7}, {'E', 0x300, 0xC8},
      {'E', 0x301, 0xC9}, {'E', 0x302, 0xCA}, {'E', 0x308, 0xCB}, {'I', 0x300, 0xCC},
      {'I', 0x301, 0xCD}, {'I', 0x302, 0xCE}, {'I', 0x308, 0xCF}, {'N', 0x303, 0xD1},
      {'O', 0x300, 0xD2}, {'O', 0x301, 0xD3}, {'O', 0x302, 0xD4}, {'O', 0x303, 0xD5},
      {'O', 0x308, 0xD6}, {'U', 0x300, 0xD9}, {'U', 0x301, 0xDA}, {'U', 0x302, 0xDB},
      {'U', 0x308, 0xDC}, {'Y', 0x301, 0xDD}, {'Y', 0x308, 0},
  }};
  const bool lower = base >= 'a' && base <= 'z';
  const char32_t upper_base = lower ? base - 0x20 : base;
  for (const Entry& e : kTable) {
    if (static_cast<char32_t>(e.base) != upper_base || e.mark != mark) continue;
    if (e.upper == 0) return lower ? 0xFF : 0;  // ÿ has a lower-case form only in Latin-1
    return lower ? e.upper + 0x20 : e.upper;
  }
  return 0;
}

// The query as valid UTF-8 with control characters turned into spaces and decomposed
// Latin-1 letters composed; the number of characters in *chars. nullopt: not UTF-8.
std::optional<std::string> CleanQuery(std::string_view text, size_t* chars) {
  std::vector<char32_t> cps;
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    if (!DecodeUtf8(text, &i, &c)) return std::nullopt;
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) c = ' ';
    if (!cps.empty() && c >= 0x300 && c <= 0x36F) {
      if (const char32_t composed = Compose(cps.back(), c)) {
        cps.back() = composed;
        continue;
      }
    }
    cps.push_back(c);
  }
  *chars = cps.size();
  std::string out;
  out.reserve(text.size());
  for (char32_t c : cps) AppendUtf8(c, &out);
  return out;
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// ---- the index's tokenizer ----

// unicode61 with the options of documents_fts (storage/schema.cc, version 2), reached
// through the FTS5 C API, so the query is split and case-folded exactly as the index was.
// The connection's FTS5 API (owned by the connection).
Result<fts5_api*> Fts5Api(Database& db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &raw, nullptr);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) return db.FromSqlite(rc, "søgeindekset (FTS5) er ikke tilgængeligt");
  sqlite3_bind_pointer(stmt.get(), 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW || api == nullptr) {
    return db.FromSqlite(rc, "søgeindekset (FTS5) er ikke tilgængeligt");
  }
  return api;
}

class QueryTokenizer {
 public:
  static Result<QueryTokenizer> Create(Database& db) {
    INTAKE_ASSIGN_OR_RETURN(fts5_api * api, Fts5Api(db));
    QueryTokenizer t;
    void* user_data = nullptr;
    int rc = api->xFindTokenizer(api, "unicode61", &user_data, &t.module_);
    if (rc != SQLITE_OK) return db.FromSqlite(rc, "søgeindeksets ordopdeler mangler");
    static const char* kArgs[] = {"remove_diacritics", "0"};
    Fts5Tokenizer* tok = nullptr;
    rc = t.module_.xCreate(user_data, kArgs, 2, &tok);
    if (rc != SQLITE_OK) return db.FromSqlite(rc, "søgeindeksets ordopdeler kunne ikke startes");
    t.tokenizer_ = tok;
    return t;
  }

  QueryTokenizer(QueryTokenizer&& other) noexcept
      : module_(other.module_), tokenizer_(std::exchange(other.tokenizer_, nullptr)) {}
  QueryTokenizer(const QueryTokenizer&) = delete;
  QueryTokenizer& operator=(const QueryTokenizer&) = delete;
  QueryTokenizer& operator=(QueryTokenizer&&) = delete;
  ~QueryTokenizer() {
    if (tokenizer_ != nullptr) module_.xDelete(tokenizer_);
  }

  // The folded tokens of `text` (empty for punctuation only).
  std::vector<std::string> Tokens(std::string_view text) const {
    std::vector<std::string> tokens;
    if (text.empty()) return tokens;
    module_.xTokenize(tokenizer_, &tokens, FTS5_TOKENIZE_QUERY, text.data(),
                      static_cast<int>(text.size()), &QueryTokenizer::OnToken);
    return tokens;
  }

  // A token with the bytes of `text` it came from.
  struct Span {
    std::string token;
    size_t begin;
    size_t end;
  };
  std::vector<Span> Spans(std::string_view text) const {
    std::vector<Span> spans;
    if (text.empty()) return spans;
    module_.xTokenize(tokenizer_, &spans, FTS5_TOKENIZE_DOCUMENT, text.data(),
                      static_cast<int>(text.size()), &QueryTokenizer::OnSpan);
    return spans;
  }

 private:
  QueryTokenizer() = default;
  static int OnToken(void* ctx, int /*flags*/, const char* token, int n, int /*start*/,
                     int /*end*/) {
    static_cast<std::vector<std::string>*>(ctx)->emplace_back(token, static_cast<size_t>(n));
    return SQLITE_OK;
  }
  static int OnSpan(void* ctx, int /*flags*/, const char* token, int n, int start, int end) {
    static_cast<std::vector<Span>*>(ctx)->push_back(Span{std::string(token, static_cast<size_t>(n)),
                                                         static_cast<size_t>(start),
                                                         static_cast<size_t>(end)});
    return SQLITE_OK;
  }

  fts5_tokenizer module_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

// ---- the vocabulary of long words ----

// intake_terms(text, ...): the distinct index tokens of its arguments longer than
// kPrefixIndexChars characters, as a JSON array, for the triggers that keep search_terms
// (schema version 3). NULL arguments are skipped.
constexpr size_t kPrefixIndexChars = 4;  // documents_fts: prefix = '2 3 4'

void IntakeTerms(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* tokenizer = static_cast<QueryTokenizer*>(sqlite3_user_data(ctx));
  std::unordered_set<std::string> seen;
  nlohmann::json terms = nlohmann::json::array();
  for (int i = 0; i < argc; ++i) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
    if (text == nullptr) continue;
    const std::string_view view(text, static_cast<size_t>(sqlite3_value_bytes(argv[i])));
    for (std::string& token : tokenizer->Tokens(view)) {
      if (CountChars(token) <= kPrefixIndexChars) continue;
      if (seen.insert(token).second) terms.push_back(std::move(token));
    }
  }
  const std::string out = terms.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  sqlite3_result_text(ctx, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

// The separator of the two words of a pair in search_pairs (schema version 4); unicode61
// splits words at it, so no word of documents_fts contains one.
constexpr char kPairJoin = '_';

// The pair tokens of `tokens`: "t0_t1", "t1_t2", ... (none for fewer than two).
std::vector<std::string> Pairs(const std::vector<std::string>& tokens) {
  std::vector<std::string> pairs;
  for (size_t k = 1; k < tokens.size(); ++k) {
    pairs.push_back(tokens[k - 1] + kPairJoin + tokens[k]);
  }
  return pairs;
}

// intake_pairs(text): every two adjacent index tokens of `text` as one word "first_second",
// separated by spaces, for search_pairs (schema version 4); NULL for NULL.
void IntakePairs(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* tokenizer = static_cast<QueryTokenizer*>(sqlite3_user_data(ctx));
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const std::string_view view(text == nullptr ? "" : text,
                              static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  std::string out;
  out.reserve(view.size() * 2);
  const std::vector<std::string> tokens = tokenizer->Tokens(view);
  for (size_t k = 1; k < tokens.size(); ++k) {
    if (k > 1) out += ' ';
    out += tokens[k - 1];
    out += kPairJoin;
    out += tokens[k];
  }
  sqlite3_result_text(ctx, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void DeleteTokenizer(void* p) { delete static_cast<QueryTokenizer*>(p); }

// ---- ranking ----

// intake_rank(documents_fts, w_title, w_description, w_text, df): Okapi BM25 exactly as
// FTS5's bm25() computes it (k1 = 1.2, b = 0.75; a phrase's frequency is its hits weighted
// by column; the document's length is all its columns' tokens), except that each phrase's
// document frequency comes from the caller: `df` is a blob of doubles, one per positive
// phrase in FTS5's phrase order (RankStatistics). bm25() counts every phrase's matches in
// the whole index on each query; on a million documents that pass alone took longer than
// the search's latency budget for phrases of common words (bench/journal_bench.cc).
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;

// Per query (one statement), computed at the first row.
struct RankStatistics {
  double average_length = 1;
  std::vector<double> idf;        // per phrase; 0 for the exclusions (they never hit a match)
  std::vector<double> frequency;  // per phrase, for the current row (kept to avoid allocating)
};

void DeleteRankStatistics(void* p) { delete static_cast<RankStatistics*>(p); }

void IntakeRank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
                sqlite3_value** argv) {
  if (argc != 4) {
    sqlite3_result_error(ctx, "intake_rank: expects 3 column weights and a df blob", -1);
    return;
  }
  auto* stats = static_cast<RankStatistics*>(api->xGetAuxdata(fts, 0));
  if (stats == nullptr) {
    auto fresh = std::make_unique<RankStatistics>();
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    const double n = static_cast<double>(std::max<sqlite3_int64>(rows, 1));
    fresh->average_length = std::max(1.0, static_cast<double>(tokens) / n);
    const int phrases = api->xPhraseCount(fts);
    const int bytes = sqlite3_value_bytes(argv[3]);
    const auto* blob = static_cast<const unsigned char*>(sqlite3_value_blob(argv[3]));
    const int given = blob == nullptr ? 0 : bytes / static_cast<int>(sizeof(double));
    fresh->idf.assign(static_cast<size_t>(phrases), 0.0);
    for (int i = 0; i < phrases && i < given; ++i) {
      double df = 0;
      std::memcpy(&df, blob + static_cast<size_t>(i) * sizeof(double), sizeof(double));
      df = std::clamp(df, 0.0, n);
      // As bm25(): log((N - df + 0.5) / (df + 0.5)), at least 1e-6 for very common words.
      fresh->idf[static_cast<size_t>(i)] = std::max(1e-6, std::log((n - df + 0.5) / (df + 0.5)));
    }
    stats = fresh.release();
    rc = api->xSetAuxdata(fts, stats, &DeleteRankStatistics);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  std::array<double, 3> weight{};
  for (size_t c = 0; c < weight.size(); ++c) {
    weight[c] = sqlite3_value_double(argv[c]);
  }
  int hits = 0;
  int rc = api->xInstCount(fts, &hits);
  int length = 0;
  if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  std::vector<double>& frequency = stats->frequency;
  frequency.assign(stats->idf.size(), 0.0);
  for (int k = 0; k < hits; ++k) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, k, &phrase, &column, &offset);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    if (phrase >= 0 && static_cast<size_t>(phrase) < frequency.size() && column >= 0 &&
        static_cast<size_t>(column) < weight.size()) {
      frequency[static_cast<size_t>(phrase)] += weight[static_cast<size_t>(column)];
    }
  }
  const double norm =
      kBm25K1 * (1 - kBm25B + kBm25B * static_cast<double>(length) / stats->average_length);
  double score = 0;
  for (size_t i = 0; i < frequency.size(); ++i) {
    score += stats->idf[i] * frequency[i] * (kBm25K1 + 1) / (frequency[i] + norm);
  }
  sqlite3_result_double(ctx, -score);  // as bm25(): lower is better
}

// Registers intake_rank on the connection once.
Status EnsureRankFunction(Database& db) {
  sqlite3_stmt* raw = nullptr;
  const int probe = sqlite3_prepare_v2(
      db.handle(), "SELECT intake_rank(documents_fts) FROM documents_fts WHERE 0", -1, &raw,
      nullptr);
  StatementPtr stmt(raw);
  if (probe == SQLITE_OK) return OkStatus();
  INTAKE_ASSIGN_OR_RETURN(fts5_api * api, Fts5Api(db));
  const int rc = api->xCreateFunction(api, "intake_rank", nullptr, &IntakeRank, nullptr);
  if (rc != SQLITE_OK) return db.FromSqlite(rc, "søgningens rangordning kunne ikke oprettes");
  return OkStatus();
}

// How many documents match the FTS5 expression `expr`, estimated from its newest
// kEstimateSample matches: exact when there are no more; else the sample's share of the
// rowids it spans, times the journal's documents (rowids are dense: documents are never
// renumbered). Matches spread over time make it right on average; a word that became
// common only lately is overestimated and so weighs a little less.
constexpr int kEstimateSample = 500;

// The full-text tables a query runs on (storage/schema.cc).
constexpr std::string_view kWordTable = "documents_fts";
constexpr std::string_view kPairTable = "search_pairs";

// `sql` with every "$T" replaced by `table`.
std::string WithTable(std::string_view sql, std::string_view table) {
  std::string out;
  for (size_t k = 0; k < sql.size(); ++k) {
    if (sql[k] == '$' && k + 1 < sql.size() && sql[k + 1] == 'T') {
      out += table;
      ++k;
    } else {
      out += sql[k];
    }
  }
  return out;
}

Result<double> EstimateMatches(Database& db, std::string_view table, const std::string& expr,
                               int64_t newest) {
  INTAKE_ASSIGN_OR_RETURN(
      Statement st, db.Prepare(WithTable("SELECT count(*), min(rowid) FROM (SELECT rowid FROM $T "
                                         "WHERE $T MATCH ?1 ORDER BY rowid DESC LIMIT ?2)",
                                         table)));
  st.Bind(1, expr).Bind(2, kEstimateSample);
  INTAKE_ASSIGN_OR_RETURN(const bool row, st.Step());
  if (!row) return 0.0;
  const int64_t found = st.Int(0);
  if (found < kEstimateSample || st.IsNull(1)) return static_cast<double>(found);
  const int64_t span = std::max<int64_t>(1, newest - st.Int(1) + 1);
  return static_cast<double>(found) * static_cast<double>(newest) / static_cast<double>(span);
}

// The df blob for intake_rank: per positive phrase, the smallest estimate of its words
// (a phrase matches at most where its rarest word does).
Result<std::string> PhraseFrequencies(Database& db, std::string_view table,
                                      const std::vector<std::vector<std::string>>& phrases) {
  INTAKE_ASSIGN_OR_RETURN(Statement last, db.Prepare("SELECT max(id) FROM documents"));
  INTAKE_ASSIGN_OR_RETURN(const bool any, last.Step());
  const int64_t newest = any && !last.IsNull(0) ? last.Int(0) : 0;
  std::string blob;
  std::unordered_map<std::string, double> known;
  for (const std::vector<std::string>& words : phrases) {
    double df = -1;
    for (const std::string& word : words) {
      auto found = known.find(word);
      if (found == known.end()) {
        INTAKE_ASSIGN_OR_RETURN(const double estimate, EstimateMatches(db, table, word, newest));
        found = known.emplace(word, estimate).first;
      }
      df = df < 0 ? found->second : std::min(df, found->second);
    }
    df = std::max(df, 0.0);
    char bytes[sizeof(double)];
    std::memcpy(bytes, &df, sizeof(double));
    blob.append(bytes, sizeof(double));
  }
  return blob;
}

// ---- the query language ----

struct Item {
  std::string text;  // as typed, without quotes, '-' and trailing '*'
  bool quoted = false;
  bool prefix = false;
  bool negated = false;
  std::vector<std::string> tokens;
};

bool IsSpace(char c) { return c == ' '; }  // CleanQuery made every control character a space

std::string Quoted(std::string_view text) { return "«" + std::string(text) + "»"; }

// FTS5's operator words. Written in capitals, a user means them as operators, which this
// query language does not have; searching them as words would silently find nothing.
bool IsOperatorWord(std::string_view word) {
  return word == "AND" || word == "OR" || word == "NOT" || word == "NEAR";
}

Error LoneMinus() {
  return Error(ErrorCode::kInvalidArgument,
               "tegnet «-» står alene i søgningen; skriv det lige foran det ord, der ikke må "
               "forekomme (fx -afslag), eller fjern det");
}

Error MisplacedStar(std::string_view word) {
  if (word.find_first_not_of("-*") == std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "stjernen «*» står alene i søgningen; skriv den lige efter begyndelsen af et "
                 "ord (fx bolig*), eller fjern den");
  }
  return Error(ErrorCode::kInvalidArgument,
               "stjernen i " + Quoted(word) +
                   " skal stå sidst i ordet, efter mindst 2 bogstaver (fx bolig*)");
}

// Splits the cleaned query into words, quoted phrases, exclusions and prefixes. Refuses
// (kInvalidArgument, Danish) what a user cannot have meant: an unbalanced quote, a '-' or
// '*' without a word, a '*' inside or before a word, an FTS5 operator word in capitals.
Result<std::vector<Item>> SplitItems(std::string_view s) {
  const size_t quotes = static_cast<size_t>(std::count(s.begin(), s.end(), '"'));
  if (quotes % 2 != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "søgningen har et anførselstegn (\") uden et afsluttende; sæt anførselstegn "
                 "om begge ender af udtrykket (fx \"klage over afgørelse\"), eller fjern det");
  }
  std::vector<Item> items;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    if (IsSpace(s[i])) {
      ++i;
      continue;
    }
    Item item;
    if (s[i] == '-') {
      if (i + 1 >= n || IsSpace(s[i + 1])) return LoneMinus();
      item.negated = true;
      ++i;
    }
    if (s[i] == '"') {
      const size_t close = s.find('"', i + 1);
      assert(close != std::string_view::npos);  // the quotes are balanced
      item.text = std::string(s.substr(i + 1, close - i - 1));
      item.quoted = true;
      i = close + 1;
      while (i < n && s[i] == '*') {
        item.prefix = true;
        ++i;
      }
    } else {
      size_t end = i;
      while (end < n && !IsSpace(s[end]) && s[end] != '"') ++end;
      const std::string_view typed = s.substr(i, end - i);
      std::string_view word = typed;
      while (!word.empty() && word.back() == '*') {
        item.prefix = true;
        word.remove_suffix(1);
      }
      if (word.empty() && item.prefix) return MisplacedStar(item.negated ? "-*" : "*");
      if (word.find('*') != std::string_view::npos) return MisplacedStar(typed);
      if (!item.negated && !item.prefix && IsOperatorWord(word)) {
        return Error(ErrorCode::kInvalidArgument,
                     Quoted(word) +
                         " kan ikke bruges som operator her: alle ord i søgningen skal findes, "
                         "og -ord udelukker et ord; fjern " +
                         Quoted(word) + ", eller sæt det i anførselstegn (\"" + std::string(word) +
                         "\") for at søge efter ordet");
      }
      item.text = std::string(word);
      i = end;
    }
    items.push_back(std::move(item));
  }
  return items;
}

// Danish function words (the Snowball project's Danish stop-word list): left out of a
// query as loose words, because they occur in nearly every letter and only slow the
// search down.
const std::unordered_set<std::string>& StopWords() {
  static const std::unordered_set<std::string> kWords = {
      "og",    "i",     "jeg",    "det",   "at",   "en",    "den",   "til",   "er",     "som",
      "på",    "de",    "med",    "han",   "af",   "for",   "ikke",  "der",   "var",    "mig",
      "sig",   "men",   "et",     "har",   "om",   "vi",    "min",   "havde", "ham",    "hun",
      "nu",    "over",  "da",     "fra",   "du",   "ud",    "sin",   "dem",   "os",     "op",
      "man",   "hans",  "hvor",   "eller", "hvad", "skal",  "selv",  "her",   "alle",   "vil",
      "blev",  "kunne", "ind",    "når",   "være", "dog",   "noget", "ville", "jo",     "deres",
      "efter", "ned",   "skulle", "denne", "end",  "dette", "mit",   "også",  "under",  "have",
      "dig",   "anden", "hende",  "mine",  "alt",  "meget", "sit",   "sine",  "vor",    "mod",
      "disse", "hvis",  "din",    "nogle", "hos",  "blive", "mange", "ad",    "bliver", "hendes",
      "været", "thi",   "jer",    "sådan",
  };
  return kWords;
}

// A quoted FTS5 string of `tokens` (a phrase when more than one), '*' for a prefix.
std::string FtsPhrase(const Item& item) {
  std::string out = "\"";
  for (size_t k = 0; k < item.tokens.size(); ++k) {
    if (k > 0) out += ' ';
    for (char c : item.tokens[k]) {
      if (c == '"') out += '"';  // unicode61 never yields one; escaped all the same
      out += c;
    }
  }
  out += '"';
  if (item.prefix) out += '*';
  return out;
}

// The FTS5 expression of a query, and for each of its positive phrases (numbered as FTS5
// numbers them: in the order of the expression, exclusions last) the single-word
// expressions whose match counts estimate the phrase's (EstimatePhraseMatches).
struct Translation {
  std::string expr;
  std::vector<std::vector<std::string>> phrase_words;
  bool long_prefix = false;  // a prefix of more than 4 letters (no prefix index answers it)
  // The same query on search_pairs, when each of its items (wanted or excluded) is a phrase
  // of two or more words without '*': it finds exactly the same documents there, reading
  // only the lists of the pairs. Empty otherwise. Its phrases estimate themselves.
  std::string pair_expr;
  std::vector<std::vector<std::string>> pair_phrase_words;
  // The words of the wanted items, for snippets made here (OwnSnippet); `prefix`: a word
  // that matches every word beginning with it.
  struct Mark {
    std::string token;
    bool prefix;
  };
  std::vector<Mark> marks;
};

// The first `n` characters of UTF-8 `s`.
std::string FirstChars(std::string_view s, size_t n) {
  size_t i = 0, chars = 0;
  while (i < s.size() && chars < n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  return std::string(s.substr(0, i));
}

// The single-word FTS5 expressions standing in for `item` when its matches are estimated:
// each word quoted; a prefix cut to at most 4 characters, which the index's prefix indexes
// answer without merging the lists of every word that begins with it.
std::vector<std::string> EstimateWords(const Item& item) {
  std::vector<std::string> words;
  for (size_t k = 0; k < item.tokens.size(); ++k) {
    Item one;
    const bool last = k + 1 == item.tokens.size();
    one.prefix = last && item.prefix;
    one.tokens = {one.prefix ? FirstChars(item.tokens[k], 4) : item.tokens[k]};
    words.push_back(FtsPhrase(one));
  }
  return words;
}

// The words of the vocabulary that begin with a prefix, or nullopt to leave the prefix to
// FTS5 (too many words, or no vocabulary at hand).
using PrefixExpander =
    std::function<Result<std::optional<std::vector<std::string>>>(const std::string& prefix)>;

// At most this many words replace a prefix; with more, FTS5 merges their lists itself.
constexpr int kMaxPrefixWords = 50;

// `item` (a phrase, possibly with a prefix as its last word) as FTS5 phrases: one, or, for
// a prefix longer than the prefix indexes that `expand` resolves, one per word it stands
// for. `*unexpanded` is set when such a prefix stays a prefix.
Result<std::vector<std::string>> ItemPhrases(const Item& item, const PrefixExpander* expand,
                                             bool* unexpanded) {
  if (!item.prefix || CountChars(item.tokens.back()) <= kPrefixIndexChars) {
    return std::vector<std::string>{FtsPhrase(item)};
  }
  std::optional<std::vector<std::string>> words;
  if (expand != nullptr) {
    INTAKE_ASSIGN_OR_RETURN(words, (*expand)(item.tokens.back()));
  }
  if (!words || words->empty()) {
    // No vocabulary, too many words, or none at all (then FTS5 finds nothing, quickly).
    if (!words) *unexpanded = true;
    return std::vector<std::string>{FtsPhrase(item)};
  }
  std::vector<std::string> phrases;
  for (const std::string& word : *words) {
    Item one = item;
    one.prefix = false;
    one.tokens.back() = word;
    phrases.push_back(FtsPhrase(one));
  }
  return phrases;
}

// `item`, a phrase of two or more words without '*', as the phrase of its word pairs in
// search_pairs: "a b c" is "a_b b_c" there.
std::string PairPhrase(const Item& item) {
  Item pairs;
  pairs.tokens = Pairs(item.tokens);
  return FtsPhrase(pairs);
}

std::string Joined(const std::vector<std::string>& phrases) {
  if (phrases.size() == 1) return phrases[0];
  std::string out = "(";
  for (size_t k = 0; k < phrases.size(); ++k) out += (k > 0 ? " OR " : "") + phrases[k];
  return out + ")";
}

Result<Translation> Translate(const QueryTokenizer& tokenizer, std::string_view text,
                              const PrefixExpander* expand = nullptr) {
  size_t chars = 0;
  std::optional<std::string> clean = CleanQuery(text, &chars);
  if (!clean) {
    return Error(ErrorCode::kInvalidArgument,
                 "søgningen indeholder ugyldige tegn (ikke UTF-8); skriv den igen");
  }
  if (chars > kMaxQueryChars) {
    return Error(ErrorCode::kInvalidArgument, "søgningen er for lang (" + std::to_string(chars) +
                                                  " tegn; højst " + std::to_string(kMaxQueryChars) +
                                                  "); brug færre og mere sigende ord");
  }
  INTAKE_ASSIGN_OR_RETURN(std::vector<Item> items, SplitItems(*clean));
  std::vector<Item> kept;
  for (Item& item : items) {
    item.tokens = tokenizer.Tokens(item.text);
    if (item.tokens.empty()) continue;  // punctuation only: "-", "*", "(", "&" ...
    if (item.prefix && CountChars(item.tokens.back()) < 2) {
      return Error(ErrorCode::kInvalidArgument,
                   "søgeordet " + Quoted(item.text + "*") +
                       " er for kort: skriv mindst 2 bogstaver før stjernen (fx bo*)");
    }
    kept.push_back(std::move(item));
  }
  if (static_cast<int>(kept.size()) > kMaxQueryTerms) {
    return Error(ErrorCode::kInvalidArgument, "søgningen har for mange ord (" +
                                                  std::to_string(kept.size()) + "; højst " +
                                                  std::to_string(kMaxQueryTerms) + ")");
  }
  const auto is_stop_word = [](const Item& item) {
    return !item.quoted && !item.prefix && !item.negated && item.tokens.size() == 1 &&
           StopWords().count(item.tokens[0]) > 0;
  };
  std::vector<const Item*> positive, negative;
  std::string stop_words;
  for (const Item& item : kept) {
    if (item.negated) {
      negative.push_back(&item);
    } else if (is_stop_word(item)) {
      stop_words += (stop_words.empty() ? "" : " ") + item.tokens[0];
    } else {
      positive.push_back(&item);
    }
  }
  if (positive.empty()) {
    if (!stop_words.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "søgningen " + Quoted(stop_words) +
                       " består kun af almindelige småord; tilføj et mere sigende ord, eller "
                       "sæt ordet i anførselstegn (fx \"" +
                       stop_words.substr(0, stop_words.find(' ')) +
                       "\") for at søge efter det alligevel");
    }
    if (!negative.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "søgningen har kun udelukkede ord (-ord); skriv mindst ét ord, der skal "
                   "findes");
    }
    return Error(ErrorCode::kInvalidArgument,
                 "søgningen er tom; skriv et eller flere ord, fx boligstøtte eller "
                 "\"klage over afgørelse\"");
  }
  Translation t;
  std::string& expr = t.expr;
  for (const Item* item : positive) {
    for (size_t k = 0; k < item->tokens.size(); ++k) {
      t.marks.push_back({item->tokens[k], item->prefix && k + 1 == item->tokens.size()});
    }
  }
  for (size_t k = 0; k < positive.size(); ++k) {
    if (k > 0) expr += " AND ";
    INTAKE_ASSIGN_OR_RETURN(const std::vector<std::string> phrases,
                            ItemPhrases(*positive[k], expand, &t.long_prefix));
    expr += Joined(phrases);
    // FTS5 numbers every phrase of an OR group; each gets the item's estimate.
    t.phrase_words.insert(t.phrase_words.end(), phrases.size(), EstimateWords(*positive[k]));
  }
  if (!negative.empty()) {
    std::string excluded;
    for (size_t k = 0; k < negative.size(); ++k) {
      if (k > 0) excluded += " OR ";
      INTAKE_ASSIGN_OR_RETURN(const std::vector<std::string> phrases,
                              ItemPhrases(*negative[k], expand, &t.long_prefix));
      excluded += Joined(phrases);
    }
    expr = "(" + expr + ") NOT (" + excluded + ")";
  }
  const auto pairable = [](const Item* item) { return item->tokens.size() >= 2 && !item->prefix; };
  if (std::all_of(positive.begin(), positive.end(), pairable) &&
      std::all_of(negative.begin(), negative.end(), pairable)) {
    for (size_t k = 0; k < positive.size(); ++k) {
      const std::string phrase = PairPhrase(*positive[k]);
      t.pair_expr += (k > 0 ? " AND " : "") + phrase;
      t.pair_phrase_words.push_back({phrase});
    }
    if (!negative.empty()) {
      std::string excluded;
      for (size_t k = 0; k < negative.size(); ++k) {
        excluded += (k > 0 ? " OR " : "") + PairPhrase(*negative[k]);
      }
      t.pair_expr = "(" + t.pair_expr + ") NOT (" + excluded + ")";
    }
  }
  return t;
}

// ---- filters ----

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[k] < '0' || s[k] > '9') return false;
  }
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = std::stoi(std::string(s.substr(5, 2)));
  const int day = std::stoi(std::string(s.substr(8, 2)));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

Status CheckFilters(const SearchQuery& q) {
  const auto check_date = [](const std::optional<std::string>& d, const char* field) -> Status {
    if (d && !IsDate(*d)) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string(field) + " " + Quoted(*d) +
                       " er ikke en gyldig dato; skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-11");
    }
    return OkStatus();
  };
  INTAKE_RETURN_IF_ERROR(check_date(q.from, "fra-datoen"));
  INTAKE_RETURN_IF_ERROR(check_date(q.to, "til-datoen"));
  if (q.from && q.to && *q.from > *q.to) {
    return Error(ErrorCode::kInvalidArgument,
                 "fra-datoen " + *q.from + " ligger efter til-datoen " + *q.to + "; byt om på dem");
  }
  if (q.limit < 1 || q.limit > kMaxLimit) {
    return Error(ErrorCode::kInvalidArgument, "antallet af resultater skal være mellem 1 og " +
                                                  std::to_string(kMaxLimit) + ", ikke " +
                                                  std::to_string(q.limit));
  }
  if (q.offset < 0 || q.offset > kRankWindow - q.limit) {
    return Error(ErrorCode::kInvalidArgument, "der kan højst bladres til resultat nr. " +
                                                  std::to_string(kRankWindow) + " (forskydning " +
                                                  std::to_string(q.offset) +
                                                  "); gør søgningen mere præcis i stedet");
  }
  if (q.doc_type && Trim(*q.doc_type).empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "dokumenttypen er tom; angiv en type som brev, klage eller ansøgning");
  }
  if (q.case_reference && Trim(*q.case_reference).empty()) {
    return Error(ErrorCode::kInvalidArgument, "sagsnummeret er tomt; angiv fx 2024-0123456");
  }
  return OkStatus();
}

// The ids of the cases with `reference` that `viewer` may see, as a JSON array; kNotFound
// when there are none (a restricted case the viewer may not see is not admitted to exist).
// The reference is matched as written and through the journal's normalisation
// (NormaliseCaseReference: letter case, dashes and spaces as the journal stores them).
Result<std::string> VisibleCaseIds(Database& db, const std::string& reference,
                                   const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(Statement st,
                          db.Prepare("SELECT id, restricted, access_group FROM cases "
                                     "WHERE reference = ?1 OR reference_norm = ?2 ORDER BY id"));
  st.Bind(1, reference).Bind(2, NormaliseCaseReference(reference));
  nlohmann::json ids = nlohmann::json::array();
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const bool restricted = st.Int(1) != 0;
    const std::optional<std::string> group = st.OptionalText(2);
    const bool member = group && std::find(viewer.groups.begin(), viewer.groups.end(), *group) !=
                                     viewer.groups.end();
    if (!restricted || viewer.all_access || member) ids.push_back(st.Int(0));
  }
  if (ids.empty()) {
    return Error(ErrorCode::kNotFound, "sagen " + Quoted(reference) +
                                           " findes ikke i journalen, eller du har ikke "
                                           "adgang til den; kontrollér sagsnummeret");
  }
  return ids.dump();
}

// ---- SQL ----

// The viewer's matches, newest first, at most ?9 of them (kRankWindow), ranked by bm25;
// the total and one page of the ranking with the documents' fields. Always one row with
// the total, even when the page is empty.
// "$T": the full-text table (kWordTable or kPairTable; WithTable).
constexpr const char kSearchSql[] = R"sql(
WITH m AS MATERIALIZED (
  SELECT f.rowid AS id, intake_rank($T, 10.0, 5.0, 1.0, ?12) AS score
  FROM $T f
  JOIN documents d ON d.id = f.rowid
  LEFT JOIN cases c ON c.id = d.case_id
  WHERE $T MATCH ?1
    AND (?2 OR d.state = 'journalised')
    AND (CASE WHEN d.case_id IS NULL THEN ?3
              ELSE ?3 OR c.restricted = 0
                   OR c.access_group IN (SELECT value FROM json_each(?4)) END)
    AND (?5 IS NULL OR d.case_id IN (SELECT value FROM json_each(?5)))
    AND (?6 IS NULL OR d.received_date >= ?6)
    AND (?7 IS NULL OR d.received_date <= ?7)
    AND (?8 IS NULL OR d.doc_type = ?8)
  ORDER BY f.rowid DESC
  LIMIT ?9),
n AS (SELECT count(*) AS total FROM m),
page AS (SELECT id, score FROM m ORDER BY score, id DESC LIMIT ?10 OFFSET ?11)
SELECT n.total, page.id, page.score, d.case_id, c.reference, d.title, d.received_date,
       d.doc_number
FROM n
LEFT JOIN page ON 1
LEFT JOIN documents d ON d.id = page.id
LEFT JOIN cases c ON c.id = d.case_id
ORDER BY page.score, page.id DESC
)sql";

// Snippets of the page's documents, from the OCR text and from the best column: one index
// lookup per hit (FTS5 seeks each word's list to the id). A query with a prefix that the
// prefix indexes do not answer (more than 4 letters, more words than PrefixExpander takes)
// gets its snippets from kSnippetTextsSql and OwnSnippet instead.
constexpr const char kSnippetByIdSql[] =
    "SELECT rowid, "
    "snippet(documents_fts, 2, char(2), char(3), '…', 12), "
    "snippet(documents_fts, -1, char(2), char(3), '…', 12) "
    "FROM documents_fts WHERE documents_fts MATCH ?1 "
    "AND rowid IN (SELECT value FROM json_each(?2))";
constexpr const char kSnippetTextsSql[] =
    "SELECT d.id, d.title, d.description, t.ocr_text FROM documents d "
    "LEFT JOIN document_text t ON t.document_id = d.id "
    "WHERE d.id IN (SELECT value FROM json_each(?1))";

std::string CollapseSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Words around the hits that a snippet shows (as snippet()'s last argument above).
constexpr size_t kSnippetTokens = 12;

// A snippet of `text` made here rather than by FTS5's snippet(): about kSnippetTokens
// tokens around the most hits of `marks`, each hit wrapped in kHitStart and kHitEnd, "…"
// where the text goes on. "" when no token of `text` is a hit. Used when the query has a
// prefix that no prefix index answers: FTS5 would merge the lists of all its words once
// more to make the snippets (about 25 ms on a million documents).
std::string OwnSnippet(const QueryTokenizer& tokenizer, std::string_view text,
                       const std::vector<Translation::Mark>& marks) {
  const std::vector<QueryTokenizer::Span> spans = tokenizer.Spans(text);
  std::vector<bool> hit(spans.size(), false);
  for (size_t k = 0; k < spans.size(); ++k) {
    for (const Translation::Mark& m : marks) {
      const std::string& token = spans[k].token;
      if (m.prefix ? token.compare(0, m.token.size(), m.token) == 0 : token == m.token) {
        hit[k] = true;
        break;
      }
    }
  }
  // The window with the most hits, starting a few words before one of them.
  size_t best_start = 0;
  int best_hits = 0;
  for (size_t k = 0; k < spans.size(); ++k) {
    if (!hit[k]) continue;
    const size_t start = k >= 3 ? k - 3 : 0;
    int hits = 0;
    for (size_t j = start; j < spans.size() && j < start + kSnippetTokens; ++j) hits += hit[j];
    if (hits > best_hits) {
      best_hits = hits;
      best_start = start;
    }
  }
  if (best_hits == 0) return "";
  const size_t end = std::min(spans.size(), best_start + kSnippetTokens);
  std::string out = best_start > 0 ? "…" : "";
  size_t at = spans[best_start].begin;
  for (size_t k = best_start; k < end; ++k) {
    out.append(text.substr(at, spans[k].begin - at));
    if (hit[k]) out += kHitStart;
    out.append(text.substr(spans[k].begin, spans[k].end - spans[k].begin));
    if (hit[k]) out += kHitEnd;
    at = spans[k].end;
  }
  if (end < spans.size()) out += "…";
  return out;
}

}  // namespace

Status RegisterSearchFunctions(Database& db) {
  INTAKE_ASSIGN_OR_RETURN(QueryTokenizer tokenizer, QueryTokenizer::Create(db));
  auto owned = std::make_unique<QueryTokenizer>(std::move(tokenizer));
  const int rc = sqlite3_create_function_v2(db.handle(), "intake_terms", -1,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, owned.get(),
                                            &IntakeTerms, nullptr, nullptr, &DeleteTokenizer);
  // On failure SQLite has already called DeleteTokenizer.
  owned.release();
  if (rc != SQLITE_OK) return db.FromSqlite(rc, "søgeindeksets ordliste kunne ikke oprettes");
  INTAKE_ASSIGN_OR_RETURN(QueryTokenizer pair_tokenizer, QueryTokenizer::Create(db));
  auto pair_owned = std::make_unique<QueryTokenizer>(std::move(pair_tokenizer));
  const int pair_rc = sqlite3_create_function_v2(
      db.handle(), "intake_pairs", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, pair_owned.get(),
      &IntakePairs, nullptr, nullptr, &DeleteTokenizer);
  pair_owned.release();
  if (pair_rc != SQLITE_OK) {
    return db.FromSqlite(pair_rc, "søgeindeksets ordpar kunne ikke oprettes");
  }
  return EnsureRankFunction(db);
}

Result<std::string> TranslateQuery(Database& db, std::string_view text) {
  INTAKE_ASSIGN_OR_RETURN(QueryTokenizer tokenizer, QueryTokenizer::Create(db));
  INTAKE_ASSIGN_OR_RETURN(Translation t, Translate(tokenizer, text));
  return std::move(t.expr);
}

Result<SearchResults> Search(Database& db, const SearchQuery& query, const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(QueryTokenizer tokenizer, QueryTokenizer::Create(db));
  INTAKE_ASSIGN_OR_RETURN(Statement vocabulary,
                          db.Prepare("SELECT term FROM search_terms WHERE term >= ?1 AND "
                                     "term < ?1 || char(1114111) ORDER BY term LIMIT ?2"));
  const PrefixExpander expand =
      [&](const std::string& prefix) -> Result<std::optional<std::vector<std::string>>> {
    INTAKE_RETURN_IF_ERROR(vocabulary.Reset());
    vocabulary.Bind(1, prefix).Bind(2, kMaxPrefixWords + 1);
    std::vector<std::string> words;
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, vocabulary.Step());
      if (!row) break;
      words.push_back(vocabulary.Text(0));
    }
    using Words = std::optional<std::vector<std::string>>;
    if (static_cast<int>(words.size()) > kMaxPrefixWords) return Words();
    return Words(std::move(words));
  };
  INTAKE_ASSIGN_OR_RETURN(Translation translation, Translate(tokenizer, query.text, &expand));
  const std::string& expr = translation.expr;
  INTAKE_RETURN_IF_ERROR(CheckFilters(query));
  INTAKE_RETURN_IF_ERROR(EnsureRankFunction(db));
  std::optional<std::string> case_ids;
  if (query.case_reference) {
    INTAKE_ASSIGN_OR_RETURN(case_ids, VisibleCaseIds(db, Trim(*query.case_reference), viewer));
  }
  std::optional<std::string> doc_type;
  if (query.doc_type) doc_type = Trim(*query.doc_type);

  SearchResults results;
  results.fts_query = expr;
  // Phrases only: matched and ranked on the pair index; snippets still come from the words.
  const bool on_pairs = !translation.pair_expr.empty();
  const std::string_view table = on_pairs ? kPairTable : kWordTable;
  results.pair_query = translation.pair_expr;
  INTAKE_ASSIGN_OR_RETURN(
      const std::string frequencies,
      PhraseFrequencies(db, table,
                        on_pairs ? translation.pair_phrase_words : translation.phrase_words));
  INTAKE_ASSIGN_OR_RETURN(Statement st, db.Prepare(WithTable(kSearchSql, table)));
  st.Bind(1, on_pairs ? translation.pair_expr : expr)
      .Bind(2, query.include_drafts ? 1 : 0)
      .Bind(3, viewer.all_access ? 1 : 0)
      .Bind(4, nlohmann::json(viewer.groups)
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
      .Bind(5, case_ids)
      .Bind(6, query.from)
      .Bind(7, query.to)
      .Bind(8, doc_type)
      .Bind(9, kRankWindow)
      .Bind(10, query.limit)
      .Bind(11, query.offset)
      .BindBlob(12, frequencies);
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    results.total = st.Int(0);
    if (st.IsNull(1)) continue;  // the total only: the page is empty
    SearchHit hit;
    hit.document_id = st.Int(1);
    hit.rank = -st.Real(2);
    hit.case_id = st.IsNull(3) ? 0 : st.Int(3);
    hit.case_reference = st.Text(4);
    hit.title = st.Text(5);
    hit.received_date = st.Text(6);
    hit.doc_number = st.IsNull(7) ? 0 : static_cast<int>(st.Int(7));
    results.hits.push_back(std::move(hit));
  }
  results.total_exact = results.total < kRankWindow;

  if (results.hits.empty()) return results;
  nlohmann::json ids = nlohmann::json::array();
  for (const SearchHit& hit : results.hits) ids.push_back(hit.document_id);
  std::unordered_map<int64_t, std::string> snippets;
  if (translation.long_prefix) {
    // From the text, the title or the description, in that order: the first with a hit.
    INTAKE_ASSIGN_OR_RETURN(Statement texts, db.Prepare(kSnippetTextsSql));
    texts.Bind(1, ids.dump());
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(bool row, texts.Step());
      if (!row) break;
      for (int column : {3, 1, 2}) {
        if (texts.IsNull(column)) continue;
        std::string snippet = OwnSnippet(tokenizer, texts.Text(column), translation.marks);
        if (!snippet.empty()) {
          snippets[texts.Int(0)] = std::move(snippet);
          break;
        }
      }
    }
  } else {
    INTAKE_ASSIGN_OR_RETURN(Statement snip, db.Prepare(kSnippetByIdSql));
    snip.Bind(1, expr).Bind(2, ids.dump());
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(bool row, snip.Step());
      if (!row) break;
      const std::string from_text = snip.Text(1);
      snippets[snip.Int(0)] =
          from_text.find(kHitStart) != std::string::npos ? from_text : snip.Text(2);
    }
  }
  for (SearchHit& hit : results.hits) {
    auto found = snippets.find(hit.document_id);
    const std::string& chosen =
        found == snippets.end() || found->second.empty() ? hit.title : found->second;
    hit.snippet = CollapseSpace(chosen);
  }
  return results;
}

std::string MarkHits(std::string_view snippet, std::string_view open, std::string_view close) {
  std::string out;
  out.reserve(snippet.size() + 16);
  for (char c : snippet) {
    if (c == kHitStart[0]) {
      out += open;
    } else if (c == kHitEnd[0]) {
      out += close;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<SnippetPart> SplitSnippet(std::string_view snippet) {
  std::vector<SnippetPart> parts;
  SnippetPart current;
  for (char c : snippet) {
    if (c == kHitStart[0] || c == kHitEnd[0]) {
      if (!current.text.empty()) parts.push_back(current);
      current = SnippetPart{"", c == kHitStart[0]};
      continue;
    }
    current.text += c;
  }
  if (!current.text.empty()) parts.push_back(current);
  return parts;
}

}  // namespace intake::storage
