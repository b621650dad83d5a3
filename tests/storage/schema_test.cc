// Schema versions: a new journal, migration from every earlier version, refusal of newer.
// Version 5's re-filing tables are append-only.
#include "storage/schema.h"

#include <gtest/gtest.h>

#include "storage/search.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

std::unique_ptr<Database> Open(const std::string& path) {
  auto db = Database::Open(path);
  EXPECT_TRUE(db) << db.error().ToString();
  return db ? std::move(*db) : nullptr;
}

// A database as version `version` of the code left it. Its triggers call the search
// functions that every journal connection registers.
void BuildVersion(Database& db, int version) {
  ASSERT_TRUE(RegisterSearchFunctions(db));
  for (const Migration& m : Migrations()) {
    if (m.to <= version) {
      ASSERT_TRUE(db.Execute(m.sql)) << m.to;
    }
  }
  auto set = db.Prepare(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?1), "
      "('compatible_version', ?1)");
  ASSERT_TRUE(set);
  ASSERT_TRUE(set->Bind(1, std::to_string(version)).Run());
}

TEST(Schema, ANewDatabaseGetsTheCurrentVersion) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  auto before = MigrateToCurrent(*db);
  ASSERT_TRUE(before) << before.error().ToString();
  EXPECT_EQ(*before, 0);
  EXPECT_EQ(SchemaVersionOf(*db).value_or(-1), kSchemaVersion);
  // Idempotent: opening again changes nothing.
  EXPECT_EQ(MigrateToCurrent(*db).value_or(-1), kSchemaVersion);
}

// The plan SQLite chooses for `sql`, all of EXPLAIN QUERY PLAN's detail lines joined.
std::string PlanOf(Database& db, const std::string& sql) {
  auto plan = db.Prepare("EXPLAIN QUERY PLAN " + sql);
  EXPECT_TRUE(plan);
  std::string out;
  while (plan && plan->Step().value_or(false)) out += plan->Text(3) + "\n";
  return out;
}

TEST(Schema, TheDashboardsPeriodQueriesUseVersion8sIndexes) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  ASSERT_TRUE(RegisterSearchFunctions(*db));
  ASSERT_TRUE(MigrateToCurrent(*db));
  const std::string documents =
      PlanOf(*db,
             "SELECT d.id FROM documents d JOIN cases c ON c.id = d.case_id "
             "WHERE d.state = 'journalised' AND d.journal_date >= '2026-01-01' "
             "ORDER BY d.journal_date, d.id");
  EXPECT_NE(documents.find("documents_by_journal_date"), std::string::npos) << documents;
  const std::string audit =
      PlanOf(*db,
             "SELECT actor, count(*) FROM audit_log WHERE action = 'document.journalise' "
             "AND time >= '2026-01-01' GROUP BY actor");
  EXPECT_NE(audit.find("audit_log_by_action_time"), std::string::npos) << audit;
}

// `sql` is refused with a message containing `says`.
void ExpectNoChange(Database& db, const std::string& sql, const std::string& says) {
  Status refused = db.Execute(sql);
  ASSERT_FALSE(refused) << sql;
  EXPECT_NE(refused.error().message().find(says), std::string::npos)
      << sql << ": " << refused.error().message();
}

class MigrationTest : public ::testing::TestWithParam<int> {};

TEST_P(MigrationTest, EveryEarlierVersionMigratesWithItsDocumentsSearchable) {
  const int version = GetParam();
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  BuildVersion(*db, version);
  ASSERT_TRUE(db->Execute(
      "INSERT INTO cases (id, system, reference, reference_norm, title, created) "
      "VALUES (1, 'KK', '2024-0123456', '2024-0123456', 'Boligstøtte', '2026-01-01T00:00:00Z');"
      "INSERT INTO documents (id, case_id, title, direction, created) "
      "VALUES (7, 1, 'Klage over afslag på boligstøtte', 'in', '2026-01-02T00:00:00Z');"
      "INSERT INTO document_text (document_id, ocr_text) VALUES (7, 'Kære kommune, blåbærgrød');"));
  auto before = MigrateToCurrent(*db);
  ASSERT_TRUE(before) << before.error().ToString();
  EXPECT_EQ(*before, version);
  EXPECT_EQ(SchemaVersionOf(*db).value_or(-1), kSchemaVersion);
  auto hit = db->Prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?");
  ASSERT_TRUE(hit);
  ASSERT_TRUE(*hit->Bind(1, "blåbærgrød").Step());
  EXPECT_EQ(hit->Int(0), 7);
  // The pair index (version 4) holds the documents journalised before it existed.
  auto pair = db->Prepare("SELECT rowid FROM search_pairs WHERE search_pairs MATCH ?");
  ASSERT_TRUE(pair);
  ASSERT_TRUE(*pair->Bind(1, "\"klage_over over_afslag\"").Step());
  EXPECT_EQ(pair->Int(0), 7);
  EXPECT_TRUE(
      db->Execute("INSERT INTO search_pairs (search_pairs, rank) VALUES ('integrity-check', 1)"));
  auto doc = db->Prepare("SELECT title FROM documents WHERE id = 7");
  ASSERT_TRUE(doc && *doc->Step());
  EXPECT_EQ(doc->Text(0), "Klage over afslag på boligstøtte");
}

TEST_P(MigrationTest, EveryEarlierVersionGainsTheAppendOnlyRefilingTables) {
  const int version = GetParam();
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  BuildVersion(*db, version);
  ASSERT_TRUE(db->Execute(
      "INSERT INTO cases (id, system, reference, reference_norm, title, created) VALUES "
      "(1, 'KK', '2024-0000001', '2024-0000001', 'Boligstøtte', '2026-01-01T00:00:00Z'),"
      "(2, 'KK', '2024-0000002', '2024-0000002', 'Byggesag', '2026-01-01T00:00:00Z');"
      "INSERT INTO documents (id, case_id, doc_number, title, direction, created) "
      "VALUES (7, 1, 1, 'Tegning af carporten', 'in', '2026-01-02T00:00:00Z');"));
  ASSERT_TRUE(MigrateToCurrent(*db));
  // Version 5: a document moved from case 1 to case 2, its trace on case 1.
  ASSERT_TRUE(db->Execute(
      "UPDATE documents SET case_id = 2, doc_number = 1 WHERE id = 7;"
      "INSERT INTO document_moves (document_id, from_case_id, from_number, to_case_id, "
      "to_number, reason, actor, time) VALUES (7, 1, 1, 2, 1, 'byggesagen', 'anna', 't');"
      "INSERT INTO case_notes (case_id, document_id, time, actor, text) "
      "VALUES (1, 7, 't', 'anna', 'Dokument nr. 1 er omjournaliseret')"));
  ExpectNoChange(*db, "UPDATE document_moves SET reason = 'x'", "kan ikke ændres");
  ExpectNoChange(*db, "DELETE FROM document_moves", "kan ikke slettes");
  ExpectNoChange(*db, "UPDATE case_notes SET text = 'x'", "kan ikke ændres");
  ExpectNoChange(*db, "DELETE FROM case_notes", "kan ikke slettes");
  // A number leaves a case once, and a move goes to another case.
  EXPECT_FALSE(
      db->Execute("INSERT INTO document_moves (document_id, from_case_id, from_number, to_case_id, "
                  "to_number, reason, actor, time) VALUES (7, 1, 1, 2, 2, 'igen', 'anna', 't')"));
  EXPECT_FALSE(db->Execute(
      "INSERT INTO document_moves (document_id, from_case_id, from_number, to_case_id, "
      "to_number, reason, actor, time) VALUES (7, 2, 1, 2, 2, 'samme sag', 'anna', 't')"));
  // Moving a document touches neither search index.
  for (const std::string table : {"documents_fts", "search_pairs"}) {
    EXPECT_TRUE(db->Execute("INSERT INTO " + table + " (" + table +
                            ", rank) VALUES ('integrity-check', 1)"))
        << table;
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, MigrationTest, ::testing::Range(1, kSchemaVersion));

TEST(Schema, ANewerDatabaseThisCodeCannotUseIsRefusedClearly) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  BuildVersion(*db, kSchemaVersion);
  ASSERT_TRUE(
      db->Execute("UPDATE meta SET value = '9' WHERE key IN "
                  "('schema_version', 'compatible_version')"));
  auto r = MigrateToCurrent(*db);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("skemaversion 9"), std::string::npos);
  EXPECT_NE(r.error().message().find("opdatér stationen"), std::string::npos);
}

TEST(Schema, ANewerDatabaseThatDeclaresThisCodeCompatibleIsUsed) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  BuildVersion(*db, kSchemaVersion);
  ASSERT_TRUE(db->Execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'"));
  EXPECT_EQ(MigrateToCurrent(*db).value_or(-1), 9);
}

TEST(Schema, TheReceivedDateAndTheAuditLogCannotBeChanged) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  ASSERT_TRUE(MigrateToCurrent(*db));
  ASSERT_TRUE(
      db->Execute("INSERT INTO batches (id, channel, operator, received_date, created) "
                  "VALUES ('b', 'post', 'anna', '2026-11-25', '2026-11-26T08:00:00Z');"
                  "INSERT INTO audit_log (time, actor, action, entity, entity_id, prev_hash, hash) "
                  "VALUES ('t', 'a', 'x', 'y', '1', '0', 'h')"));
  Status date = db->Execute("UPDATE batches SET received_date = '2026-11-26' WHERE id = 'b'");
  ASSERT_FALSE(date);
  EXPECT_NE(date.error().message().find("modtagelsesdatoen kan ikke ændres"), std::string::npos);
  EXPECT_TRUE(db->Execute("UPDATE batches SET name = 'Morgenpost' WHERE id = 'b'"));
  EXPECT_FALSE(db->Execute("UPDATE audit_log SET actor = 'b'"));
  EXPECT_FALSE(db->Execute("DELETE FROM audit_log"));
}

TEST(Schema, AJournalisedDocumentNeedsACaseANumberAndAJournalDate) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  ASSERT_TRUE(MigrateToCurrent(*db));
  EXPECT_FALSE(
      db->Execute("INSERT INTO documents (title, direction, state, created) "
                  "VALUES ('x', 'in', 'journalised', 't')"));
}

// The rowids documents_fts finds for `query`, ascending.
std::vector<int64_t> Found(Database& db, const std::string& query) {
  std::vector<int64_t> ids;
  auto st =
      db.Prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1 ORDER BY rowid");
  EXPECT_TRUE(st);
  if (!st) return ids;
  st->Bind(1, query);
  while (true) {
    auto row = st->Step();
    EXPECT_TRUE(row);
    if (!row || !*row) break;
    ids.push_back(st->Int(0));
  }
  return ids;
}

// FTS5's own check that each index holds exactly what its content (the views over
// documents and document_text) says; rank 1 compares with the content rows.
void ExpectIndexMatchesContent(Database& db, const std::string& after) {
  for (const std::string table : {"documents_fts", "search_pairs"}) {
    Status check =
        db.Execute("INSERT INTO " + table + " (" + table + ", rank) VALUES ('integrity-check', 1)");
    EXPECT_TRUE(check) << table << " after " << after << ": "
                       << (check ? "" : check.error().ToString());
  }
}

TEST(Schema, TheSearchIndexFollowsEveryChangeOfADocumentAndItsText) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  ASSERT_TRUE(MigrateToCurrent(*db));
  ASSERT_TRUE(db->Execute(
      "INSERT INTO cases (id, system, reference, reference_norm, title, created) "
      "VALUES (1, 'KK', '2024-0123456', '2024-0123456', 'Boligstøtte', '2026-01-01T00:00:00Z')"));
  // The station's order: the document, then its text.
  ASSERT_TRUE(db->Execute(
      "INSERT INTO documents (id, case_id, title, direction, created) "
      "VALUES (1, 1, 'Klage over afslag', 'in', 't');"
      "INSERT INTO document_text (document_id, ocr_text) VALUES (1, 'blåbærgrød og rødgrød')"));
  ExpectIndexMatchesContent(*db, "document, then text");
  EXPECT_EQ(Found(*db, "blåbærgrød"), std::vector<int64_t>{1});
  EXPECT_EQ(Found(*db, "klage"), std::vector<int64_t>{1});
  // A bulk load's order: the text first (foreign keys deferred), then the document.
  ASSERT_TRUE(db->Execute(
      "BEGIN; PRAGMA defer_foreign_keys=ON;"
      "INSERT INTO document_text (document_id, ocr_text) VALUES (2, 'æblekage med flødeskum');"
      "INSERT INTO documents (id, case_id, title, description, direction, created) "
      "VALUES (2, 1, 'Ansøgning om hjælp', 'to sider', 'in', 't'); COMMIT"));
  ExpectIndexMatchesContent(*db, "text, then document");
  EXPECT_EQ(Found(*db, "æblekage"), std::vector<int64_t>{2});
  // A new title and description: the old words are gone, the text stays found.
  ASSERT_TRUE(
      db->Execute("UPDATE documents SET title = 'Indsigelse mod afgørelse', description = 'bilag' "
                  "WHERE id = 1"));
  ExpectIndexMatchesContent(*db, "title changed");
  EXPECT_TRUE(Found(*db, "klage").empty());
  EXPECT_EQ(Found(*db, "indsigelse"), std::vector<int64_t>{1});
  EXPECT_EQ(Found(*db, "blåbærgrød"), std::vector<int64_t>{1});
  // A corrected text replaces the old one.
  ASSERT_TRUE(
      db->Execute("UPDATE document_text SET ocr_text = 'rettet tekst' WHERE document_id = 1"));
  ExpectIndexMatchesContent(*db, "text changed");
  EXPECT_TRUE(Found(*db, "blåbærgrød").empty());
  EXPECT_EQ(Found(*db, "rettet"), std::vector<int64_t>{1});
  EXPECT_EQ(Found(*db, "indsigelse"), std::vector<int64_t>{1});
  // Text removed: the title is still found. Then the document removed: nothing is.
  ASSERT_TRUE(db->Execute("DELETE FROM document_text WHERE document_id = 2"));
  ExpectIndexMatchesContent(*db, "text deleted");
  EXPECT_TRUE(Found(*db, "æblekage").empty());
  EXPECT_EQ(Found(*db, "ansøgning"), std::vector<int64_t>{2});
  ASSERT_TRUE(db->Execute("DELETE FROM documents WHERE id = 2"));
  ExpectIndexMatchesContent(*db, "document deleted");
  EXPECT_TRUE(Found(*db, "ansøgning").empty());
  // The OCR text is stored once: search_content is a view, not a copy.
  auto kind = db->Prepare("SELECT type FROM sqlite_master WHERE name = 'search_content'");
  ASSERT_TRUE(kind && *kind->Step());
  EXPECT_EQ(kind->Text(0), "view");
}

TEST(Schema, AnIndexBuiltUnderVersion2StaysValidAfterTheMigration) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  BuildVersion(*db, 2);
  ASSERT_TRUE(db->Execute(
      "INSERT INTO cases (id, system, reference, reference_norm, title, created) "
      "VALUES (1, 'KK', '2024-0123456', '2024-0123456', 'Boligstøtte', '2026-01-01T00:00:00Z');"
      "INSERT INTO documents (id, case_id, title, direction, created) "
      "VALUES (1, 1, 'Klage over afslag', 'in', 't');"
      "INSERT INTO document_text (document_id, ocr_text) VALUES (1, 'blåbærgrød');"
      "INSERT INTO documents (id, case_id, title, direction, created) "
      "VALUES (2, 1, 'Uden tekst', 'in', 't')"));
  ASSERT_TRUE(MigrateToCurrent(*db));
  ExpectIndexMatchesContent(*db, "after the migration");
  // The vocabulary of long words was filled from the index.
  auto terms = db->Prepare(
      "SELECT group_concat(term, ' ') FROM (SELECT term FROM search_terms "
      "ORDER BY term)");
  ASSERT_TRUE(terms && *terms->Step());
  EXPECT_EQ(terms->Text(0), "afslag blåbærgrød klage tekst");
  ASSERT_TRUE(
      db->Execute("UPDATE document_text SET ocr_text = 'ny tekst' WHERE document_id = 1;"
                  "INSERT INTO document_text (document_id, ocr_text) VALUES (2, 'sen tekst')"));
  ExpectIndexMatchesContent(*db, "changes after the migration");
  EXPECT_TRUE(Found(*db, "blåbærgrød").empty());
  EXPECT_EQ(Found(*db, "sen"), std::vector<int64_t>{2});
}

}  // namespace
}  // namespace intake::storage
