// Full-text search: the query language, Danish letters, ranking, snippets, filters, access
// restrictions and hostile input, on a small journal filled with SQL.
#include "storage/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/schema.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

struct Doc {
  int64_t id;
  int64_t case_id;  // 0: a draft not on a case
  std::string title;
  std::string ocr;
  std::string received = "2026-01-15";
  std::string doc_type = "brev";
  std::optional<std::string> description = std::nullopt;
  bool draft = false;
};

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.Sub("journal.sqlite3"));
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
    auto migrated = MigrateToCurrent(*db_);
    ASSERT_TRUE(migrated) << migrated.error().ToString();
  }

  void AddCase(int64_t id, const std::string& reference, bool restricted = false,
               std::optional<std::string> group = std::nullopt) {
    auto st = db_->Prepare(
        "INSERT INTO cases (id, system, reference, reference_norm, title, restricted, "
        "access_group, created) VALUES (?1, 'KK', ?2, ?2, 'Sag', ?3, ?4, '2026-01-01T00:00:00Z')");
    ASSERT_TRUE(st);
    ASSERT_TRUE(
        st->Bind(1, id).Bind(2, reference).Bind(3, restricted ? 1 : 0).Bind(4, group).Run());
  }

  // Inserts the document, then its OCR text, as the journal does.
  void AddDocument(const Doc& d) {
    auto st = db_->Prepare(
        "INSERT INTO documents (id, case_id, doc_number, title, description, direction, "
        "doc_type, received_date, journal_date, state, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5, 'in', ?6, ?7, ?8, ?9, '2026-01-15T09:00:00Z')");
    ASSERT_TRUE(st);
    st->Bind(1, d.id);
    if (d.case_id == 0) {
      st->BindNull(2);
    } else {
      st->Bind(2, d.case_id);
    }
    if (d.draft) {
      st->BindNull(3).BindNull(8).Bind(9, "draft");
    } else {
      st->Bind(3, d.id).Bind(8, d.received + "T10:00:00Z").Bind(9, "journalised");
    }
    st->Bind(4, d.title).Bind(5, d.description).Bind(6, d.doc_type).Bind(7, d.received);
    ASSERT_TRUE(st->Run());
    auto text = db_->Prepare("INSERT INTO document_text (document_id, ocr_text) VALUES (?1, ?2)");
    ASSERT_TRUE(text);
    ASSERT_TRUE(text->Bind(1, d.id).Bind(2, d.ocr).Run());
  }

  Result<SearchResults> Run(const std::string& text, Viewer viewer = AllAccess()) {
    SearchQuery q;
    q.text = text;
    return Search(*db_, q, viewer);
  }

  Result<SearchResults> Run(const std::string& text, int limit) {
    SearchQuery q;
    q.text = text;
    q.limit = limit;
    return Search(*db_, q, AllAccess());
  }

  // The document ids found for `text`, best first; fails the test on an error.
  std::vector<int64_t> Ids(const std::string& text, Viewer viewer = AllAccess()) {
    auto r = Run(text, std::move(viewer));
    EXPECT_TRUE(r) << text << ": " << r.error().ToString();
    std::vector<int64_t> ids;
    if (r) {
      for (const SearchHit& h : r->hits) ids.push_back(h.document_id);
    }
    return ids;
  }
  std::vector<int64_t> Ids(const SearchQuery& q, Viewer viewer = AllAccess()) {
    auto r = Search(*db_, q, viewer);
    EXPECT_TRUE(r) << q.text << ": " << r.error().ToString();
    std::vector<int64_t> ids;
    if (r) {
      for (const SearchHit& h : r->hits) ids.push_back(h.document_id);
    }
    return ids;
  }

  static Viewer AllAccess() { return Viewer{"postrum", {}, true}; }
  static Viewer Caseworker(std::vector<std::string> groups = {}) {
    return Viewer{"sagsbehandler", std::move(groups), false};
  }

  // A journal of letters on two open cases.
  void AddLetters() {
    AddCase(1, "2024-0123456");
    AddCase(2, "27.24.00-G01-5-19");
    AddDocument({1, 1, "Klage over afgørelse om boligstøtte",
                 "Kære kommune. Jeg klager over jeres afgørelse om boligstøtte af 3. januar. "
                 "Med venlig hilsen Jens Østergård, Blåbærvej 3, 2300 København S",
                 "2026-01-10", "klage"});
    AddDocument({2, 1, "Brev fra borger af 11. januar 2026 om husleje",
                 "Ostergard er et andet navn end Østergård. Vi plukkede blåbær og et æble. "
                 "Boligen er for dyr, og min bolig skal sælges.",
                 "2026-01-12", "brev"});
    AddDocument({3, 2, "Ansøgning om handicapbil",
                 "Jeg søger om støtte til en bil. Afgørelse over klage kommer senere.",
                 "2026-02-01", "ansøgning"});
    AddDocument({4, 2, "Lægeerklæring vedrørende hjemmehjælp",
                 "Patienten har brug for hjemmehjælp to gange om ugen. Afslag er ikke rimeligt.",
                 "2026-02-20", "lægeerklæring"});
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SearchTest, OneWordFindsTheDocumentsContainingIt) {
  AddLetters();
  EXPECT_THAT(Ids("hjemmehjælp"), ElementsAre(4));
  EXPECT_THAT(Ids("afgørelse"), UnorderedElementsAre(1, 3));
  EXPECT_THAT(Ids("vindmølle"), ElementsAre());
}

TEST_F(SearchTest, TwoWordsMustBothOccur) {
  AddLetters();
  EXPECT_THAT(Ids("afgørelse bil"), ElementsAre(3));
  EXPECT_THAT(Ids("boligstøtte handicapbil"), ElementsAre());
}

TEST_F(SearchTest, PrefixFindsLongerWords) {
  AddLetters();
  // bolig* finds boligstøtte (1), boligen and bolig (2); not "Blåbærvej".
  EXPECT_THAT(Ids("bolig*"), UnorderedElementsAre(1, 2));
  EXPECT_THAT(Ids("BOLIGST*"), ElementsAre(1));
  EXPECT_THAT(Ids("hjemmehj*"), ElementsAre(4));
}

TEST_F(SearchTest, PhraseNeedsTheWordsInOrder) {
  AddLetters();
  EXPECT_THAT(Ids("\"klage over afgørelse\""), ElementsAre(1));
  EXPECT_THAT(Ids("\"afgørelse over klage\""), ElementsAre(3));
  EXPECT_THAT(Ids("\"klage over afg\"*"), ElementsAre(1));
}

TEST_F(SearchTest, MinusExcludesDocuments) {
  AddLetters();
  EXPECT_THAT(Ids("afgørelse -bil"), ElementsAre(1));
  EXPECT_THAT(Ids("afgørelse -\"venlig hilsen\""), ElementsAre(3));
  EXPECT_THAT(Ids("afgørelse -bolig*"), ElementsAre(3));
}

TEST_F(SearchTest, DanishLettersMatchAsTypedAndAreNotFolded) {
  AddLetters();
  EXPECT_THAT(Ids("Østergård"), UnorderedElementsAre(1, 2));
  EXPECT_THAT(Ids("østergård"), UnorderedElementsAre(1, 2));
  EXPECT_THAT(Ids("ØSTERGÅRD"), UnorderedElementsAre(1, 2));
  // 'ø' is not 'o' and 'å' is not 'a': only the letter that writes "Ostergard".
  EXPECT_THAT(Ids("ostergard"), ElementsAre(2));
  EXPECT_THAT(Ids("blåbær"), ElementsAre(2));  // "Blåbærvej" is another word
  EXPECT_THAT(Ids("blabaer"), ElementsAre());
  EXPECT_THAT(Ids("æble"), ElementsAre(2));
  EXPECT_THAT(Ids("ÆBLE"), ElementsAre(2));
  EXPECT_THAT(Ids("aeble"), ElementsAre());
  EXPECT_THAT(Ids("blåbær*"), UnorderedElementsAre(1, 2));  // Blåbærvej too
}

TEST_F(SearchTest, DecomposedDanishLettersMatchTheStoredOnes) {
  AddLetters();
  // "blåbær" with å typed as a + COMBINING RING ABOVE (U+030A), as some systems send it.
  EXPECT_THAT(Ids("bla\xCC\x8A"
                  "bær"),
              ElementsAre(2));
  EXPECT_THAT(Ids("Østerga\xCC\x8A"
                  "rd"),
              UnorderedElementsAre(1, 2));
}

TEST_F(SearchTest, TitleHitRanksAboveOcrTextHit) {
  AddCase(1, "2024-0000001");
  // The newer document mentions the word only in its OCR text, twice.
  AddDocument(
      {1, 1, "Ansøgning om ledsageordning", "Jeg søger om ledsagelse til lægen.", "2026-01-01"});
  AddDocument({2, 1, "Brev fra borger af 2. januar 2026 om transport",
               "Jeg har brug for en ledsageordning, fordi jeg ikke kan køre selv. "
               "En ledsageordning vil hjælpe mig meget med at komme ud.",
               "2026-01-02"});
  auto r = Run("ledsageordning");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 2u);
  EXPECT_EQ(r->hits[0].document_id, 1);
  EXPECT_EQ(r->hits[1].document_id, 2);
  EXPECT_GT(r->hits[0].rank, r->hits[1].rank);
}

// FTS5's own bm25() on `table` for `expr`, by document id (the score negated, as
// SearchHit::rank).
std::map<int64_t, double> Bm25(Database& db, const std::string& expr,
                               const std::string& table = "documents_fts") {
  std::map<int64_t, double> scores;
  auto st = db.Prepare("SELECT rowid, bm25(" + table + ", 10.0, 5.0, 1.0) FROM " + table +
                       " WHERE " + table + " MATCH ?1");
  EXPECT_TRUE(st);
  if (!st) return scores;
  st->Bind(1, expr);
  while (true) {
    auto row = st->Step();
    EXPECT_TRUE(row);
    if (!row || !*row) break;
    scores[st->Int(0)] = -st->Real(1);
  }
  return scores;
}

TEST_F(SearchTest, RankIsFts5Bm25WhenEveryWordHasFewMatches) {
  AddCase(1, "2024-0000001");
  for (int64_t id = 1; id <= 60; ++id) {
    std::string ocr = "Kære kommune. ";
    for (int64_t k = 0; k < id % 4; ++k) ocr += "Min ledsageordning er vigtig. ";
    if (id % 3 == 0) ocr += "Jeg klager over afgørelsen om transport. ";
    ocr += std::string(static_cast<size_t>(id % 7) * 10, 'x') + " slut";
    AddDocument({id, 1, id % 5 == 0 ? "Klage over ledsageordning" : "Brev fra borger", ocr});
  }
  for (const std::string query : {"ledsageordning", "ledsageordning transport", "klag*"}) {
    auto r = Run(query, 50);
    ASSERT_TRUE(r) << r.error().ToString();
    ASSERT_FALSE(r->hits.empty()) << query;
    const std::map<int64_t, double> expected = Bm25(*db_, r->fts_query);
    for (const SearchHit& hit : r->hits) {
      ASSERT_EQ(expected.count(hit.document_id), 1u) << query;
      EXPECT_NEAR(hit.rank, expected.at(hit.document_id), 1e-9) << query << " " << hit.document_id;
    }
  }
}

TEST_F(SearchTest, RankOfAWordWithManyMatchesStaysCloseToBm25) {
  // More matches than the estimate samples: the count is estimated from the newest ones.
  AddCase(1, "2024-0000001");
  ASSERT_TRUE(db_->Execute("BEGIN"));
  for (int64_t id = 1; id <= 3000; ++id) {
    std::string ocr = id % 2 == 0 ? "boligstøtte og husleje" : "husleje";
    if (id % 3 == 0) ocr += " boligstøtte igen";
    AddDocument({id, 1, "Brev", ocr});
  }
  ASSERT_TRUE(db_->Execute("COMMIT"));
  auto r = Run("boligstøtte husleje", 20);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 20u);
  const std::map<int64_t, double> expected = Bm25(*db_, r->fts_query);
  for (const SearchHit& hit : r->hits) {
    EXPECT_NEAR(hit.rank, expected.at(hit.document_id),
                0.01 * std::abs(expected.at(hit.document_id)))
        << hit.document_id;
  }
}

// The ids FTS5 itself finds for `expr`, ascending.
std::vector<int64_t> Fts5Ids(Database& db, const std::string& expr) {
  std::vector<int64_t> ids;
  auto st =
      db.Prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1 ORDER BY rowid");
  EXPECT_TRUE(st);
  if (!st) return ids;
  st->Bind(1, expr);
  while (true) {
    auto row = st->Step();
    if (!row || !*row) break;
    ids.push_back(st->Int(0));
  }
  return ids;
}

std::vector<int64_t> Sorted(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(SearchTest, ALongPrefixIsSearchedAsItsWordsAndFindsWhatFts5Finds) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Ansøgning om boligstøtte", "Vedr. boligstøtten for 2026"});
  AddDocument({2, 1, "Brev", "Boligsikring og boligstøtte"});
  AddDocument({3, 1, "Boligsikring", "Intet om det andet"});
  AddDocument({4, 1, "Klage", "Bolig og ældrepleje"});
  auto r = Run("boligst*", 50);
  ASSERT_TRUE(r) << r.error().ToString();
  // The vocabulary resolved the prefix into its words.
  EXPECT_EQ(r->fts_query, "(\"boligstøtte\" OR \"boligstøtten\")");
  std::vector<int64_t> ids;
  for (const SearchHit& hit : r->hits) ids.push_back(hit.document_id);
  EXPECT_EQ(Sorted(ids), Fts5Ids(*db_, "\"boligst\"*"));
  EXPECT_THAT(Sorted(ids), ElementsAre(1, 2));
  // Snippets mark the words the prefix stood for.
  for (const SearchHit& hit : r->hits) EXPECT_THAT(hit.snippet, HasSubstr(std::string(kHitStart)));
  // Excluded the same way; a prefix no word has finds nothing.
  EXPECT_THAT(Ids("bolig* -boligsi*"), UnorderedElementsAre(1, 4));
  EXPECT_TRUE(Ids("boligxyz*").empty());
  // A phrase whose last word is a long prefix.
  EXPECT_THAT(Ids("\"vedr boligstøt\"*"), ElementsAre(1));
}

TEST_F(SearchTest, PhraseQueriesRunOnThePairIndexAndFindWhatFts5Finds) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Klage over afgørelsen", "Jeg har klaget over afgørelsen om boligstøtte."});
  // All the words, and both pairs of the phrase, but not as one run of three words.
  AddDocument({2, 1, "Brev", "Klage over noget. Over afgørelsen siger jeg intet."});
  // The phrase split between the title and the text: no column holds it.
  AddDocument({3, 1, "Vi modtog en klage over", "afgørelsen kom i går"});
  AddDocument({4, 1, "Brev", "Jeg bor på Blåbærvej og har en klage over afgørelsen."});
  AddDocument({5, 1, "Brev", "Jeg har ingen klage. Jeg bor på Blåbærvej."});
  for (const std::string query :
       {"\"klage over afgørelsen\"", "\"over afgørelsen\"", "\"jeg har\"",
        "\"bor på blåbærvej\" \"klage over\"", "\"jeg bor\" -\"klage over\"",
        "\"jeg har\" -\"bor på\"", "\"KLAGE over\"", "\"e-mail adresse\""}) {
    auto r = Run(query, 50);
    ASSERT_TRUE(r) << query << ": " << r.error().ToString();
    EXPECT_FALSE(r->pair_query.empty()) << query;
    std::vector<int64_t> ids;
    for (const SearchHit& hit : r->hits) ids.push_back(hit.document_id);
    EXPECT_EQ(Sorted(ids), Fts5Ids(*db_, r->fts_query)) << query << " as " << r->pair_query;
  }
  EXPECT_THAT(Ids("\"klage over afgørelsen\""), UnorderedElementsAre(1, 4));
  EXPECT_THAT(Ids("\"jeg bor\" -\"klage over\""), ElementsAre(5));
  EXPECT_EQ(Run("\"klage over afgørelsen\"")->pair_query, "\"klage_over over_afgørelsen\"");
}

TEST_F(SearchTest, QueriesWithLooseWordsOrPrefixesStayOnTheWordIndex) {
  AddLetters();
  for (const std::string query : {"klage \"over afgørelse\"", "\"klage over afg\"*", "\"klage\"",
                                  "\"klage over\" -bil", "afgørelse"}) {
    auto r = Run(query);
    ASSERT_TRUE(r) << query << ": " << r.error().ToString();
    EXPECT_EQ(r->pair_query, "") << query;
  }
  EXPECT_THAT(Ids("klage \"over afgørelse\""), ElementsAre(1));
}

TEST_F(SearchTest, APhraseIsRankedOnThePairIndexAsBm25AndSnippetsMarkItsWords) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Brev", "Her står der noget om klage over afgørelsen, én gang."});
  AddDocument({2, 1, "Klage over afgørelsen", "Brevet handler om noget andet."});
  AddDocument({3, 1, "Brev", "klage over afgørelsen og igen klage over afgørelsen"});
  auto r = Run("\"klage over afgørelsen\"", 50);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 3u);
  // The title hit first (weight 10), then the text with two hits.
  EXPECT_EQ(r->hits[0].document_id, 2);
  EXPECT_EQ(r->hits[1].document_id, 3);
  const std::map<int64_t, double> expected = Bm25(*db_, r->pair_query, "search_pairs");
  for (const SearchHit& hit : r->hits) {
    EXPECT_NEAR(hit.rank, expected.at(hit.document_id), 1e-9) << hit.document_id;
  }
  // Snippets come from the word index: the phrase is marked as one hit.
  for (const SearchHit& hit : r->hits) {
    if (hit.document_id == 2) continue;  // its text has no hit: the title stands in
    const std::string marked = MarkHits(hit.snippet, "[", "]");
    EXPECT_THAT(marked, HasSubstr("[klage over afgørelsen]")) << marked;
  }
}

TEST_F(SearchTest, TheVocabularyFollowsNewTitlesAndTexts) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Brev", "intet særligt"});
  EXPECT_TRUE(Ids("ældrepl*").empty());
  ASSERT_TRUE(db_->Execute("UPDATE documents SET title = 'Klage over ældreplejen' WHERE id = 1"));
  EXPECT_THAT(Ids("ældrepl*"), ElementsAre(1));
  ASSERT_TRUE(db_->Execute(
      "UPDATE document_text SET ocr_text = 'hjemmehjælpen kom ikke' WHERE document_id = 1"));
  EXPECT_THAT(Ids("hjemmehj*"), ElementsAre(1));
}

TEST_F(SearchTest, APrefixOfVeryManyWordsIsLeftToFts5) {
  AddCase(1, "2024-0000001");
  for (int64_t id = 1; id <= 60; ++id) {
    const std::string word = "kommune" + std::string(1, static_cast<char>('a' + id / 26)) +
                             std::string(1, static_cast<char>('a' + id % 26));
    AddDocument({id, 1, "Brev", "Om " + word});
  }
  auto r = Run("kommune*", 100);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->fts_query, "\"kommune\"*");
  EXPECT_EQ(r->hits.size(), 60u);
  for (const SearchHit& hit : r->hits) {
    // Snippets made without FTS5 (OwnSnippet) mark each document's own word.
    const std::string word = "kommune" +
                             std::string(1, static_cast<char>('a' + hit.document_id / 26)) +
                             std::string(1, static_cast<char>('a' + hit.document_id % 26));
    EXPECT_EQ(MarkHits(hit.snippet, "[", "]"), "Om [" + word + "]");
  }
}

TEST_F(SearchTest, SnippetsOfAPrefixLeftToFts5ShowTheHitsInALongTextOrTheTitle) {
  AddCase(1, "2024-0000001");
  for (int64_t id = 1; id <= 55; ++id) {
    const std::string word = "kommune" + std::string(1, static_cast<char>('a' + id / 26)) +
                             std::string(1, static_cast<char>('a' + id % 26));
    AddDocument({id, 1, "Brev", "Om " + word});
  }
  std::string long_text;
  for (int k = 0; k < 40; ++k) long_text += "ord" + std::to_string(k) + " ";
  long_text += "Kommunens svar kom i går. ";
  for (int k = 40; k < 80; ++k) long_text += "ord" + std::to_string(k) + " ";
  AddDocument({100, 1, "Brev", long_text});
  AddDocument({101, 1, "Klage over kommunens afgørelse", "Intet om det her."});
  auto r = Run("kommune*", 100);
  ASSERT_TRUE(r) << r.error().ToString();
  std::map<int64_t, std::string> marked;
  for (const SearchHit& hit : r->hits) marked[hit.document_id] = MarkHits(hit.snippet, "[", "]");
  ASSERT_EQ(marked.count(100), 1u);
  // Twelve words, from three before the hit.
  EXPECT_EQ(marked[100], "…ord37 ord38 ord39 [Kommunens] svar kom i går. ord40 ord41 ord42 ord43…");
  ASSERT_EQ(marked.count(101), 1u);
  EXPECT_EQ(marked[101], "Klage over [kommunens] afgørelse");
}

TEST_F(SearchTest, DescriptionHitRanksAboveOcrTextHit) {
  AddCase(1, "2024-0000001");
  Doc a{1, 1, "Brev fra borger om transport", "Intet om det her.", "2026-01-01"};
  a.description = "Vedlagt kørselsregnskab";
  AddDocument(a);
  AddDocument(
      {2, 1, "Brev fra borger om transport", "Mit kørselsregnskab er vedlagt.", "2026-01-02"});
  EXPECT_THAT(Ids("kørselsregnskab"), ElementsAre(1, 2));
}

TEST_F(SearchTest, SnippetMarksTheHitInTheOcrText) {
  AddLetters();
  auto r = Run("blåbær");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 1u);
  const std::string& snippet = r->hits[0].snippet;
  EXPECT_THAT(snippet, HasSubstr(std::string(kHitStart) + "blåbær" + std::string(kHitEnd)));
  EXPECT_THAT(MarkHits(snippet, "«", "»"), HasSubstr("plukkede «blåbær» og"));
  EXPECT_THAT(snippet, Not(HasSubstr("\n")));
  std::vector<SnippetPart> parts = SplitSnippet(snippet);
  const auto hit = std::find_if(parts.begin(), parts.end(), [](auto& p) { return p.hit; });
  ASSERT_NE(hit, parts.end());
  EXPECT_EQ(hit->text, "blåbær");
  // The snippet is a fragment of about a dozen words, not the whole letter.
  EXPECT_LT(std::count(snippet.begin(), snippet.end(), ' '), 16);
}

TEST_F(SearchTest, EveryHitOfAPrefixQueryHasASnippetOfItsOwnText) {
  AddLetters();
  auto r = Run("bolig*");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 2u);
  for (const SearchHit& h : r->hits) {
    const std::string marked = MarkHits(h.snippet, "[", "]");
    if (h.document_id == 1) {
      EXPECT_THAT(marked, HasSubstr("om [boligstøtte]")) << marked;
    } else {
      EXPECT_EQ(h.document_id, 2);
      EXPECT_THAT(marked, HasSubstr("[Boligen] er for dyr")) << marked;
      EXPECT_THAT(marked, Not(HasSubstr("boligstøtte"))) << marked;
    }
  }
}

TEST_F(SearchTest, SnippetFallsBackToTheTitleWhenTheTextHasNoHit) {
  AddLetters();
  auto r = Run("lægeerklæring");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(MarkHits(r->hits[0].snippet, "[", "]"), "[Lægeerklæring] vedrørende hjemmehjælp");
}

TEST_F(SearchTest, HitCarriesTheDocumentAndCaseFields) {
  AddLetters();
  auto r = Run("handicapbil");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->hits.size(), 1u);
  const SearchHit& h = r->hits[0];
  EXPECT_EQ(h.document_id, 3);
  EXPECT_EQ(h.case_id, 2);
  EXPECT_EQ(h.case_reference, "27.24.00-G01-5-19");
  EXPECT_EQ(h.title, "Ansøgning om handicapbil");
  EXPECT_EQ(h.received_date, "2026-02-01");
  EXPECT_EQ(h.doc_number, 3);
  EXPECT_EQ(r->total, 1);
  EXPECT_TRUE(r->total_exact);
}

TEST_F(SearchTest, FiltersByCaseReference) {
  AddLetters();
  SearchQuery q;
  q.text = "afgørelse";
  q.case_reference = "27.24.00-G01-5-19";
  EXPECT_THAT(Ids(q), ElementsAre(3));
  q.case_reference = " 2024-0123456 ";
  EXPECT_THAT(Ids(q), ElementsAre(1));
  // Written another way: letter case and a typographic dash, normalised as the journal does.
  q.case_reference = "27.24.00\u2013g01-5-19";
  EXPECT_THAT(Ids(q), ElementsAre(3));
}

TEST_F(SearchTest, UnknownCaseReferenceIsNotFound) {
  AddLetters();
  SearchQuery q;
  q.text = "afgørelse";
  q.case_reference = "2099-9999999";
  auto r = Search(*db_, q, AllAccess());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(r.error().message(), HasSubstr("2099-9999999"));
}

TEST_F(SearchTest, FiltersByReceivedDateInclusive) {
  AddLetters();
  SearchQuery q;
  q.text = "\"er\"";  // in documents 2 and 4
  q.from = "2026-01-12";
  q.to = "2026-02-20";
  EXPECT_THAT(Ids(q), UnorderedElementsAre(2, 4));
  q.from = "2026-01-13";
  EXPECT_THAT(Ids(q), ElementsAre(4));
  q.from.reset();
  q.to = "2026-01-12";
  EXPECT_THAT(Ids(q), ElementsAre(2));
}

TEST_F(SearchTest, RefusesBadDates) {
  AddLetters();
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"2026-13-01", "2026-12-31"},
           {"2026-02-29", "2026-03-01"},  // 2026 is not a leap year
           {"11-01-2026", "2026-12-31"},
           {"2026-01-01", "i morgen"},
           {"2026-03-01", "2026-02-01"}}) {
    SearchQuery q;
    q.text = "afgørelse";
    q.from = from;
    q.to = to;
    auto r = Search(*db_, q, AllAccess());
    ASSERT_FALSE(r) << from << " " << to;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("dato"));
  }
  SearchQuery leap;
  leap.text = "afgørelse";
  leap.from = "2024-02-29";
  EXPECT_TRUE(Search(*db_, leap, AllAccess()));
}

TEST_F(SearchTest, FiltersByDocumentType) {
  AddLetters();
  SearchQuery q;
  q.text = "\"er\"";
  q.doc_type = "lægeerklæring";
  EXPECT_THAT(Ids(q), ElementsAre(4));
  q.doc_type = "brev";
  EXPECT_THAT(Ids(q), ElementsAre(2));
}

TEST_F(SearchTest, RestrictedCaseIsHiddenFromOutsidersAlsoInTheTotal) {
  AddCase(1, "2024-0000001");
  AddCase(2, "2024-0000002", /*restricted=*/true, "børn-og-unge");
  AddDocument({1, 1, "Underretning om skolegang", "Bekymring for skolegang."});
  AddDocument({2, 2, "Underretning om barn", "Bekymring for barnets trivsel."});
  AddDocument({3, 2, "Børnefaglig undersøgelse", "Bekymring fra skolen."});

  auto outsider = Run("bekymring", Caseworker({"jobcenter"}));
  ASSERT_TRUE(outsider) << outsider.error().ToString();
  ASSERT_EQ(outsider->hits.size(), 1u);
  EXPECT_EQ(outsider->hits[0].document_id, 1);
  EXPECT_EQ(outsider->total, 1);

  auto member = Run("bekymring", Caseworker({"jobcenter", "børn-og-unge"}));
  ASSERT_TRUE(member) << member.error().ToString();
  EXPECT_EQ(member->hits.size(), 3u);
  EXPECT_EQ(member->total, 3);

  EXPECT_THAT(Ids("bekymring", AllAccess()), UnorderedElementsAre(1, 2, 3));
}

TEST_F(SearchTest, RestrictedCaseFilterIsNotFoundForOutsiders) {
  AddCase(2, "2024-0000002", /*restricted=*/true, "børn-og-unge");
  AddDocument({2, 2, "Underretning om barn", "Bekymring for barnets trivsel."});
  SearchQuery q;
  q.text = "bekymring";
  q.case_reference = "2024-0000002";
  auto outsider = Search(*db_, q, Caseworker());
  ASSERT_FALSE(outsider);
  EXPECT_EQ(outsider.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(Ids(q, Caseworker({"børn-og-unge"})), ElementsAre(2));
}

TEST_F(SearchTest, RestrictedCaseWithoutGroupIsForAllAccessOnly) {
  AddCase(1, "2024-0000001", /*restricted=*/true);
  AddDocument({1, 1, "Personalesag", "Advarsel til medarbejder."});
  EXPECT_THAT(Ids("advarsel", Caseworker({""})), ElementsAre());
  EXPECT_THAT(Ids("advarsel", AllAccess()), ElementsAre(1));
}

TEST_F(SearchTest, DraftsAreLeftOutUnlessAskedFor) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Klage over parkeringsafgift", "Parkeringsafgift klage."});
  Doc on_case{2, 1, "Klage over parkeringsafgift igen", "Parkeringsafgift klage igen."};
  on_case.draft = true;
  AddDocument(on_case);
  Doc loose{3, 0, "Ukendt afsender om parkeringsafgift", "Parkeringsafgift."};
  loose.draft = true;
  AddDocument(loose);

  EXPECT_THAT(Ids("parkeringsafgift"), ElementsAre(1));
  SearchQuery q;
  q.text = "parkeringsafgift";
  q.include_drafts = true;
  EXPECT_THAT(Ids(q, AllAccess()), UnorderedElementsAre(1, 2, 3));
  // A draft not yet on a case is the post room's: caseworkers see drafts on cases only.
  EXPECT_THAT(Ids(q, Caseworker()), UnorderedElementsAre(1, 2));
  auto r = Search(*db_, q, AllAccess());
  ASSERT_TRUE(r);
  for (const SearchHit& h : r->hits) {
    if (h.document_id == 3) {
      EXPECT_EQ(h.case_id, 0);
      EXPECT_EQ(h.case_reference, "");
      EXPECT_EQ(h.doc_number, 0);
    }
  }
}

TEST_F(SearchTest, LimitAndOffsetPageThroughTheRanking) {
  AddCase(1, "2024-0000001");
  for (int i = 1; i <= 7; ++i) {
    AddDocument({i, 1, "Rykker nummer " + std::to_string(i), "Rykker for svar."});
  }
  SearchQuery q;
  q.text = "rykker";
  q.limit = 3;
  auto first = Search(*db_, q, AllAccess());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->hits.size(), 3u);
  EXPECT_EQ(first->total, 7);
  q.offset = 6;
  auto last = Search(*db_, q, AllAccess());
  ASSERT_TRUE(last);
  EXPECT_EQ(last->hits.size(), 1u);
  EXPECT_EQ(last->total, 7);
  q.offset = 9;
  auto beyond = Search(*db_, q, AllAccess());
  ASSERT_TRUE(beyond);
  EXPECT_TRUE(beyond->hits.empty());
  EXPECT_EQ(beyond->total, 7);  // the total also when the page is empty
}

TEST_F(SearchTest, ManyMatchesAreRankedWithinTheNewestWindowAndTheTotalSaysSo) {
  AddCase(1, "2024-0000001");
  ASSERT_TRUE(db_->Execute("BEGIN"));
  // The oldest document has the word in its title (the best score); the rest only in the text.
  AddDocument({1, 1, "Rykker", "Rykker."});
  for (int i = 2; i <= kRankWindow + 10; ++i) {
    AddDocument({i, 1, "Brev nummer " + std::to_string(i), "Dette er en rykker for svar."});
  }
  ASSERT_TRUE(db_->Execute("COMMIT"));
  auto r = Run("rykker");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->total, kRankWindow);
  EXPECT_FALSE(r->total_exact);
  ASSERT_EQ(r->hits.size(), 20u);
  for (const SearchHit& h : r->hits) EXPECT_GT(h.document_id, 10) << "outside the window";
  // Narrowed to the old documents, the title hit is found and ranked first.
  auto narrowed = Run("rykker -svar");
  ASSERT_TRUE(narrowed) << narrowed.error().ToString();
  EXPECT_TRUE(narrowed->total_exact);
  ASSERT_EQ(narrowed->hits.size(), 1u);
  EXPECT_EQ(narrowed->hits[0].document_id, 1);
}

TEST_F(SearchTest, RefusesBadLimits) {
  AddLetters();
  for (auto [limit, offset] : std::vector<std::pair<int, int>>{
           {0, 0}, {-1, 0}, {kMaxLimit + 1, 0}, {20, -1}, {20, kRankWindow}}) {
    SearchQuery q;
    q.text = "afgørelse";
    q.limit = limit;
    q.offset = offset;
    auto r = Search(*db_, q, AllAccess());
    ASSERT_FALSE(r) << limit << " " << offset;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST_F(SearchTest, RefusesEmptyQueries) {
  AddLetters();
  for (const std::string text : {"", "   ", "\t\n", "\"\"", "\" \"", "()", "«»", "…", "\"...\""}) {
    auto r = Run(text);
    ASSERT_FALSE(r) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("søgningen er tom"));
  }
}

TEST_F(SearchTest, RefusesOnlyFunctionWordsButSearchesThemQuoted) {
  AddLetters();
  auto r = Run("og i at");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("almindelige småord"));
  // With another word, the function words are left out rather than required.
  EXPECT_THAT(Ids("bil og i"), ElementsAre(3));
  // Quoted, a function word is searched.
  EXPECT_THAT(Ids("\"om\""), UnorderedElementsAre(1, 2, 3, 4));
}

TEST_F(SearchTest, RefusesOnlyExclusions) {
  AddLetters();
  auto r = Run("-bil -bolig");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("udelukkede"));
}

TEST_F(SearchTest, RefusesOneLetterPrefix) {
  AddLetters();
  auto r = Run("b*");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("b*"));
  auto danish = Run("ø*");
  ASSERT_FALSE(danish);
  EXPECT_EQ(danish.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(Ids("bo*"), UnorderedElementsAre(1, 2));
}

TEST_F(SearchTest, RefusesTooLongQuery) {
  AddLetters();
  std::string text;
  while (text.size() < 10 * 1024) text += "bolig ";
  auto r = Run(text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("for lang"));
}

TEST_F(SearchTest, RefusesTooManyWords) {
  AddLetters();
  std::string text;
  for (int i = 0; i < kMaxQueryTerms + 1; ++i) text += "ord" + std::to_string(i) + " ";
  auto r = Run(text);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("for mange ord"));
}

TEST_F(SearchTest, RefusesInvalidUtf8) {
  AddLetters();
  for (const std::string& text : {std::string("bolig\xC3"), std::string("\xFF\xFE"),
                                  std::string("\xED\xA0\x80"),  // a surrogate
                                  std::string("\xC0\xAF")}) {   // an overlong '/'
    auto r = Run(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("UTF-8"));
  }
}

// No input may reach FTS5 as syntax: every one of these gives results or a clean
// kInvalidArgument, never a database error.
TEST_F(SearchTest, HostileInputNeverGivesAnFtsSyntaxError) {
  AddLetters();
  const std::vector<std::string> inputs = {"\"",
                                           "*",
                                           "NEAR(",
                                           "NEAR(bolig klage, 2)",
                                           "title:",
                                           "title:bolig",
                                           "ocr_text : klage",
                                           "{title description}: bolig",
                                           "AND OR",
                                           "AND",
                                           "OR",
                                           "NOT",
                                           "NOT bolig",
                                           "bolig NOT",
                                           "bolig AND",
                                           "(bolig",
                                           "bolig)",
                                           ")(",
                                           "\"unbalanced quote",
                                           "bolig\"",
                                           "bolig\"klage",
                                           "^bolig",
                                           "bolig +",
                                           "+bolig",
                                           "bolig*klage",
                                           "bo**",
                                           "\"*\"",
                                           "-\"",
                                           "--bolig",
                                           "***",
                                           "-",
                                           "'; DROP TABLE documents; --",
                                           "bolig'); DROP TABLE documents; --",
                                           "\\\"",
                                           "\x01\x02\x03 bolig \x7f",
                                           std::string("bolig\0klage", 11),
                                           "\xC2\x85 bolig",
                                           "bolig\u00A0klage",
                                           "\u201Cklage over\u201D",
                                           "»klage«",
                                           "😀 bolig 😀",
                                           "\"\"\"",
                                           "col:",
                                           ":",
                                           "-:-",
                                           "\"bolig\" \"",
                                           "a\"b\"c\"d",
                                           "\"ø\"",
                                           "NEAR",
                                           "NEAR/3",
                                           "bolig^",
                                           "  -  bolig  ",
                                           "27.24.00-G01-5-19",
                                           "j.nr.",
                                           "2024-0123456*",
                                           "%",
                                           "_"};
  for (const std::string& text : inputs) {
    auto r = Run(text);
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument)
          << "'" << text << "': " << r.error().ToString();
      EXPECT_THAT(r.error().message(), Not(HasSubstr("fts5")));
      EXPECT_THAT(r.error().message(), Not(HasSubstr("syntax")));
    }
  }
  // The table is still there.
  EXPECT_THAT(Ids("handicapbil"), ElementsAre(3));
}

TEST_F(SearchTest, OperatorWordsAreSearchedWhenQuotedOrInLowerCase) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Notat om NEAR-projektet", "Projektet NEAR og vejen OR 7."});
  AddDocument({2, 1, "Notat om vejen", "Intet projekt her."});
  EXPECT_THAT(Ids("\"NEAR\""), ElementsAre(1));
  EXPECT_THAT(Ids("near"), ElementsAre(1));
  EXPECT_THAT(Ids("vejen \"OR\""), ElementsAre(1));
  EXPECT_THAT(Ids("NEAR(projektet"), ElementsAre(1));  // not the operator word alone
}

TEST_F(SearchTest, RefusesUnbalancedQuotes) {
  AddLetters();
  for (const std::string text : {"\"klage over afgørelse", "klage over afgørelse\"", "bolig\"klage",
                                 "\"\"\"", "\"bolig\" \"", "-\"", "\"", "a\"b\"c\"d"}) {
    auto r = Run(text);
    ASSERT_FALSE(r) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("anførselstegn (\") uden et afsluttende"));
  }
  // Balanced, the same words are a phrase.
  EXPECT_THAT(Ids("\"klage over afgørelse\""), ElementsAre(1));
}

TEST_F(SearchTest, RefusesLoneMinus) {
  AddLetters();
  for (const std::string text : {"-", "- -", "bolig -", "  -  bolig  ", "bolig - klage"}) {
    auto r = Run(text);
    ASSERT_FALSE(r) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("«-» står alene"));
  }
  EXPECT_THAT(Ids("afgørelse -bil"), ElementsAre(1));
}

TEST_F(SearchTest, RefusesStarAloneOrNotAtTheEndOfAWord) {
  AddLetters();
  for (const std::string text : {"*", "***", "-*", "bolig *", "bolig \"klage\" **"}) {
    auto r = Run(text);
    ASSERT_FALSE(r) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("«*» står alene"));
  }
  for (const std::string text : {"*bolig", "bolig*klage", "bo*lig*", "-*bolig"}) {
    auto r = Run(text);
    ASSERT_FALSE(r) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("skal stå sidst i ordet"));
  }
  EXPECT_THAT(Ids("bo**"), UnorderedElementsAre(1, 2));
}

TEST_F(SearchTest, RefusesOperatorWordsInCapitals) {
  AddLetters();
  for (const std::string text : {"AND", "OR", "NOT", "NEAR", "bolig OR klage", "NOT bolig",
                                 "bolig AND", "AND OR", "bolig NOT klage"}) {
    auto r = Run(text);
    ASSERT_FALSE(r) << "'" << text << "'";
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_THAT(r.error().message(), HasSubstr("kan ikke bruges som operator"));
    EXPECT_THAT(r.error().message(), HasSubstr("anførselstegn"));
  }
  auto r = Run("bolig OR klage");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("«OR»"));
}

TEST_F(SearchTest, WordWithPunctuationIsSearchedAsAPhraseOfItsParts) {
  AddLetters();
  AddDocument({5, 1, "Notat", "Sagen har j.nr. 27.24.00-G01-5-19 hos kommunen."});
  EXPECT_THAT(Ids("27.24.00-G01-5-19"), ElementsAre(5));
  EXPECT_THAT(Ids("G01-5"), ElementsAre(5));
}

TEST_F(SearchTest, TranslatesToQuotedFtsExpression) {
  // The translation is the contract that keeps user text out of FTS5 syntax.
  auto expr = TranslateQuery(*db_, "Bolig* \"klage over\" -afslag NEAR( title:x");
  ASSERT_TRUE(expr) << expr.error().ToString();
  EXPECT_EQ(*expr, "(\"bolig\"* AND \"klage over\" AND \"near\" AND \"title x\") NOT (\"afslag\")");
}

TEST_F(SearchTest, QuotesInTheInputCannotBreakOutOfAPhrase) {
  // An attempt to close the phrase and add FTS5 operators or a column filter: the inner
  // text becomes a phrase of its words.
  auto expr = TranslateQuery(*db_, "klage\" OR title:* OR \"afslag");
  ASSERT_TRUE(expr) << expr.error().ToString();
  EXPECT_EQ(*expr, "\"klage\" AND \"or title or\" AND \"afslag\"");
  auto sql = TranslateQuery(*db_, "bolig'); DROP TABLE documents; --");
  ASSERT_TRUE(sql) << sql.error().ToString();
  EXPECT_EQ(*sql, "\"bolig\" AND \"drop\" AND \"table\" AND \"documents\"");
}

// Every expression Search runs has the shape of the translation: quoted strings, '*', AND,
// and one NOT (... OR ...) group; nothing a user typed stands outside quotes.
TEST_F(SearchTest, EveryAcceptedInputTranslatesToQuotedStringsOnly) {
  const std::regex quoted("\"([^\"]|\"\")*\"");
  const std::regex shape(
      "^(Q\\*?( AND Q\\*?)*|\\(Q\\*?( AND Q\\*?)*\\) NOT \\(Q\\*?( OR Q\\*?)*\\))$");
  const std::vector<std::string> inputs = {"bolig",
                                           "bolig*",
                                           "\"klage over\"*",
                                           "a\"b\"c",
                                           "title:bolig",
                                           "{title}: bolig",
                                           "bolig^",
                                           "+bolig",
                                           "(bolig)",
                                           "NEAR(bolig, 2)",
                                           "bolig -klage -\"et udtryk\"",
                                           "j.nr. 27.24.00-G01",
                                           "\"\" bolig",
                                           "😀 bolig",
                                           "bolig\u00A0klage",
                                           "--bolig klage",
                                           "x\" OR \"y",
                                           "\"'\" bolig",
                                           "and or not near"};
  for (const std::string& text : inputs) {
    auto expr = TranslateQuery(*db_, text);
    ASSERT_TRUE(expr) << "'" << text << "': " << expr.error().ToString();
    const std::string reduced = std::regex_replace(*expr, quoted, "Q");
    EXPECT_TRUE(std::regex_match(reduced, shape)) << "'" << text << "' -> " << *expr;
  }
}

TEST_F(SearchTest, DocumentTextAddedLaterIsSearchable) {
  AddCase(1, "2024-0000001");
  AddDocument({1, 1, "Brev", "Første tekst."});
  auto update = db_->Prepare("UPDATE document_text SET ocr_text = ?1 WHERE document_id = 1");
  ASSERT_TRUE(update);
  ASSERT_TRUE(update->Bind(1, "Rettet tekst om vinterbeboelse.").Run());
  EXPECT_THAT(Ids("vinterbeboelse"), ElementsAre(1));
  EXPECT_THAT(Ids("første"), ElementsAre());
}

}  // namespace
}  // namespace intake::storage
