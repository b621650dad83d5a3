// Schema versions: a new journal, migration from every earlier version, refusal of newer.
#include "storage/schema.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

std::unique_ptr<Database> Open(const std::string& path) {
  auto db = Database::Open(path);
  EXPECT_TRUE(db) << db.error().ToString();
  return db ? std::move(*db) : nullptr;
}

// A database as version `version` of the code left it.
void BuildVersion(Database& db, int version) {
  for (const Migration& m : Migrations()) {
    if (m.to <= version) {
      ASSERT_TRUE(db.Execute(m.sql)) << m.to;
    }
  }
  auto set = db.Prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?1), "
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
  auto doc = db->Prepare("SELECT title FROM documents WHERE id = 7");
  ASSERT_TRUE(doc && *doc->Step());
  EXPECT_EQ(doc->Text(0), "Klage over afslag på boligstøtte");
}

INSTANTIATE_TEST_SUITE_P(Versions, MigrationTest, ::testing::Range(1, kSchemaVersion));

TEST(Schema, ANewerDatabaseThisCodeCannotUseIsRefusedClearly) {
  testing::ScopedTempDir dir;
  auto db = Open(dir.Sub("j.sqlite3"));
  BuildVersion(*db, kSchemaVersion);
  ASSERT_TRUE(db->Execute("UPDATE meta SET value = '9' WHERE key IN "
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
  ASSERT_TRUE(db->Execute(
      "INSERT INTO batches (id, channel, operator, received_date, created) "
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
  EXPECT_FALSE(db->Execute("INSERT INTO documents (title, direction, state, created) "
                           "VALUES ('x', 'in', 'journalised', 't')"));
}

}  // namespace
}  // namespace intake::storage
