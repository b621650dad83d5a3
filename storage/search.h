// Full-text search over the journal's documents: titles, descriptions and OCR text, through
// the FTS5 index documents_fts and its index of word pairs search_pairs (storage/schema.cc,
// versions 2 to 4).
//
// The query language for users:
//
//   bolig klage        words are ANDed: documents containing both
//   bolig*             a prefix: bolig, boligen, boligstøtte ... (at least 2 letters before *)
//   "klage over"       a phrase: the words next to each other, in this order
//   "klage over afg"*  a phrase whose last word is a prefix
//   -afslag            excludes documents containing the word (also -"et udtryk")
//
// Matching is case-insensitive ("ÆBLE" finds "æble") and keeps Danish letters as typed:
// 'ø' is not 'o', 'å' is not 'a' or 'aa' (the index does not fold diacritics). A word
// containing punctuation ("27.24.00-G01", "j.nr.") is searched as the phrase of its parts.
//
// The user's text never reaches FTS5 as syntax: it is split into words by the index's own
// tokenizer and every word or phrase is quoted, so no input can produce an FTS5 syntax
// error or change the query's structure. Column filters ("title:"), parentheses, "^", "+"
// and other punctuation have no special meaning: they separate words, like a space. Input
// that can only be a mistake is refused with kInvalidArgument and a Danish message saying
// what to do: an odd number of quotes (an unclosed phrase), a '-' or '*' that stands alone,
// a '*' before or inside a word, and the FTS5 operator words AND, OR, NOT and NEAR written
// in capitals (quoted, or in lower case, they are searched as words: "and" is a duck).
//
// Loose words that are very common Danish function words ("og", "i", "at", "om" ...) are
// left out when the query has other words; a query of only such words (or only exclusions,
// or no words at all) is refused with kInvalidArgument. Put a function word in quotes to
// search for it anyway ("om").
//
// Ranking: BM25 with column weights title 10, description 5, OCR text 1 (FTS5's formula);
// among equal scores the newer document (higher id) first. A phrase's document frequency is
// counted when it has at most 500 matches and otherwise estimated from the rowids its newest
// 500 matches span (a phrase of several words takes its rarest word's figure, or on the
// pair index its own; a prefix of more than 4 letters, its first 4 letters'), instead of FTS5's
// bm25() counting every match in the index on each query. To bound the time a very common word
// takes, the ranking and the total count consider the newest kRankWindow matching documents the
// viewer may see; SearchResults::total_exact says whether that window held all matches. A document
// outside the window is found by narrowing the search (more words, --case, a date range). The
// window's size is the latency budget: ranking and the access check cost about 6 us per match on a
// journal of a million documents, and with 5,000 the p95 of two-word, prefix and phrase queries
// exceeded 50 ms there (bench/journal_bench.cc).
//
// Phrases: a query whose every item (wanted or excluded) is a phrase of two or more words
// without '*' runs on search_pairs, where each two adjacent words of a column are one token
// ("klage over afgørelsen" is the phrase "klage_over over_afgørelsen" there): the same
// documents, found without reading the positions of common words in every document that
// has them all (140 ms for "horsens jeg har" on a million documents). It is ranked there
// with the same formula; a document's length counts its pairs, one fewer than its words per
// column. Queries that mix phrases with loose words or prefixes run on documents_fts.
//
// Prefixes: 2–4 letters are answered by the index's prefix indexes; a longer prefix is
// replaced by the OR of the words in the vocabulary search_terms that begin with it (at
// most 50; with more, FTS5 merges their lists itself), because FTS5 otherwise reads and
// merges the whole lists of every such word before returning the first match (140 ms for
// "kommu*" on a million documents).
//
// Snippets: about 12 words around the hits, from the OCR text when it contains a hit (the
// title is shown anyway), else from the best column; every hit is wrapped in kHitStart and
// kHitEnd (the ASCII control characters STX and ETX, which never occur in OCR text or
// titles), so a terminal, JSON or HTML layer can mark hits unambiguously (MarkHits,
// SplitSnippet). Whitespace runs in a snippet are collapsed to one space.
//
// Access: documents on a case with restricted = 1 are found only by viewers with
// all_access or in the case's access_group; the hits and the total both respect this.
// Drafts (state 'draft', not yet journalised) are left out unless include_drafts is set;
// a draft not yet on a case is found only by all_access viewers (the post room).
//
// Thread-safety: Search uses the Database it is given, on the thread that owns it.
#ifndef INTAKE_STORAGE_SEARCH_H_
#define INTAKE_STORAGE_SEARCH_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/viewer.h"

namespace intake::storage {

class Database;

// The hit markers in SearchHit::snippet.
inline constexpr std::string_view kHitStart = "\x02";
inline constexpr std::string_view kHitEnd = "\x03";

// At most this many matches are ranked and counted (the newest ones).
inline constexpr int kRankWindow = 2000;
// Limits on a query; longer or larger ones are refused with kInvalidArgument.
inline constexpr size_t kMaxQueryChars = 500;
inline constexpr int kMaxQueryTerms = 32;
inline constexpr int kMaxLimit = 1000;

struct SearchQuery {
  std::string text;                           // in the query language above
  std::optional<std::string> case_reference;  // cases.reference or cases.reference_norm
  std::optional<std::string> from, to;        // received date YYYY-MM-DD, inclusive
  std::optional<std::string> doc_type;        // documents.doc_type, exactly
  int limit = 20;                             // 1..kMaxLimit
  int offset = 0;                             // 0..kRankWindow - limit
  bool include_drafts = false;                // also documents not yet journalised
};


struct SearchHit {
  int64_t document_id = 0;
  int64_t case_id = 0;         // 0 for a draft not yet on a case
  std::string case_reference;  // "" for a draft not yet on a case
  std::string title;
  std::string received_date;  // YYYY-MM-DD, or "" when not recorded
  int doc_number = 0;         // 0 for a draft
  std::string snippet;        // hits wrapped in kHitStart ... kHitEnd
  double rank = 0;            // the bm25 score negated: higher is better
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best first
  int64_t total = 0;            // matches the viewer may see (at most kRankWindow)
  bool total_exact = true;      // false: there are at least `total` matches
  // The query as an FTS5 expression over documents_fts (for logs and tests). A query of
  // phrases only runs as the equivalent expression over the pair index, pair_query.
  std::string fts_query;
  std::string pair_query;  // empty when the query ran on documents_fts
};

// Runs `query` for `viewer`. kInvalidArgument (Danish message naming the field) for an
// empty or only-function-word query, a query refused by the rules above, a bad date, a too long
// query or bad limits; kNotFound for a case reference that does not exist or that the viewer may
// not see; kIOError, kCorruption or kUnavailable from the database.
Result<SearchResults> Search(Database& db, const SearchQuery& query, const Viewer& viewer);

// Registers the SQL functions the search schema and Search use on `db`: intake_terms (the
// triggers that keep the vocabulary search_terms call it, so every connection that writes
// documents needs it; MigrateToCurrent registers it) and the ranking function.
Status RegisterSearchFunctions(Database& db);

// The FTS5 expression for the user's query text, as Search would run it; the same errors.
// REQUIRES: `db` has the documents_fts table's tokenizer (any SQLite with FTS5).
Result<std::string> TranslateQuery(Database& db, std::string_view text);

// `snippet` with kHitStart/kHitEnd replaced by `open` and `close`.
std::string MarkHits(std::string_view snippet, std::string_view open, std::string_view close);

// `snippet` as alternating parts: text outside and inside the hit markers.
struct SnippetPart {
  std::string text;
  bool hit = false;
};
std::vector<SnippetPart> SplitSnippet(std::string_view snippet);

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_SEARCH_H_
