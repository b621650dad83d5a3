// The hash-chained audit log: appending, the anchor, and detection of every kind of
// tampering done behind the station's back (a raw SQLite connection, triggers dropped).
#include "storage/audit_log.h"

#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "storage/schema.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(DbPath());
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(MigrateToCurrent(*db_));
    log_ = std::make_unique<AuditLog>(*db_, AnchorPath());
  }

  std::string DbPath() const { return dir_.Sub("journal.sqlite3"); }
  std::string AnchorPath() const { return dir_.Sub("journal.anchor"); }

  // Appends `n` entries, each in its own transaction, anchoring after each commit.
  void AppendEntries(int n) {
    for (int i = 0; i < n; ++i) {
      Transaction t(*db_);
      ASSERT_TRUE(t.Begin());
      AuditEntry e{"anna", "case.add", "case", std::to_string(i + 1), std::nullopt,
                   R"({"title":"Sag )" + std::to_string(i + 1) + R"( om \"hegn\"\nlinje 2"})"};
      auto r = log_->Append(e);
      ASSERT_TRUE(r) << r.error().ToString();
      ASSERT_TRUE(t.Commit());
      ASSERT_TRUE(log_->WriteAnchor());
    }
  }

  // Runs `sql` through a second, raw connection with the protecting triggers dropped.
  void Tamper(const std::string& sql) {
    auto raw = Database::Open(DbPath());
    ASSERT_TRUE(raw);
    ASSERT_TRUE((*raw)->Execute("DROP TRIGGER IF EXISTS audit_log_no_update;"
                                "DROP TRIGGER IF EXISTS audit_log_no_delete;"));
    ASSERT_TRUE((*raw)->Execute(sql)) << sql;
  }

  // The stored time and prev_hash of entry `id`. The statement ends here: a statement left
  // mid-step would pin db_'s WAL read snapshot and hide a later tampering from Verify().
  std::pair<std::string, std::string> TimeAndPrevHashOf(int64_t id) {
    auto row = db_->Prepare("SELECT time, prev_hash FROM audit_log WHERE id = ?1");
    EXPECT_TRUE(row);
    if (!row) return {};
    row->Bind(1, id);
    auto found = row->Step();
    EXPECT_TRUE(found && *found) << "entry " << id;
    if (!found || !*found) return {};
    return {row->Text(0), row->Text(1)};
  }

  AuditVerification Verify() {
    auto v = log_->Verify();
    EXPECT_TRUE(v) << v.error().ToString();
    return v ? *v : AuditVerification{};
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, AnIntactChainVerifies) {
  AppendEntries(5);
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.entries, 5);
  EXPECT_TRUE(v.problems.empty());
}

TEST_F(AuditLogTest, TheFirstEntryLinksToZerosAndEachNextToItsPredecessor) {
  AppendEntries(3);
  auto s = db_->Prepare("SELECT id, prev_hash, hash FROM audit_log ORDER BY id");
  ASSERT_TRUE(s);
  std::string prev(64, '0');
  int64_t expected = 1;
  while (*s->Step()) {
    EXPECT_EQ(s->Int(0), expected++);
    EXPECT_EQ(s->Text(1), prev);
    prev = s->Text(2);
  }
  EXPECT_EQ(testing::ReadFile(AnchorPath()), "3 " + prev + "\n");
}

TEST_F(AuditLogTest, TheHashCoversEveryField) {
  const AuditEntry base{"anna", "case.add", "case", "1", std::nullopt, "{}"};
  const std::string h = AuditHash(std::string(64, '0'), 1, "t", base);
  EXPECT_NE(h, AuditHash(std::string(64, '1'), 1, "t", base));
  EXPECT_NE(h, AuditHash(std::string(64, '0'), 2, "t", base));
  EXPECT_NE(h, AuditHash(std::string(64, '0'), 1, "u", base));
  for (int field = 0; field < 6; ++field) {
    AuditEntry e = base;
    switch (field) {
      case 0: e.actor = "bo"; break;
      case 1: e.action = "case.status"; break;
      case 2: e.entity = "party"; break;
      case 3: e.entity_id = "2"; break;
      case 4: e.before = "{}"; break;
      case 5: e.after = std::nullopt; break;
    }
    EXPECT_NE(h, AuditHash(std::string(64, '0'), 1, "t", e)) << field;
  }
  // A null and the text "null" are different.
  AuditEntry null_text = base;
  null_text.before = "null";
  EXPECT_NE(h, AuditHash(std::string(64, '0'), 1, "t", null_text));
}

TEST_F(AuditLogTest, AnEditedEntryIsReportedByItsId) {
  AppendEntries(5);
  Tamper(R"(UPDATE audit_log SET after = '{"title":"Noget andet"}' WHERE id = 3)");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("post 3 er ændret")));
  EXPECT_EQ(v.problems.size(), 1u) << ::testing::PrintToString(v.problems);
}

TEST_F(AuditLogTest, AnEditedEntryWithARecomputedHashBreaksTheNextLink) {
  AppendEntries(4);
  // The attacker recomputes entry 2's hash; entry 3 still names the old one.
  const auto [time, prev_hash] = TimeAndPrevHashOf(2);
  AuditEntry forged{"anna", "case.add", "case", "2", std::nullopt, R"({"title":"Forfalsket"})"};
  const std::string hash = AuditHash(prev_hash, 2, time, forged);
  Tamper("UPDATE audit_log SET after = '{\"title\":\"Forfalsket\"}', hash = '" + hash +
         "' WHERE id = 2");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("post 3: kæden er brudt")));
}

TEST_F(AuditLogTest, ADeletedMiddleEntryIsReported) {
  AppendEntries(5);
  Tamper("DELETE FROM audit_log WHERE id = 3");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("post 3 mangler")));
  EXPECT_EQ(v.entries, 4);
}

TEST_F(AuditLogTest, SwappedEntriesAreReported) {
  AppendEntries(5);
  Tamper("UPDATE audit_log SET id = 100 WHERE id = 2;"
         "UPDATE audit_log SET id = 2 WHERE id = 4;"
         "UPDATE audit_log SET id = 4 WHERE id = 100;");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("post 2 er ændret")));
  EXPECT_THAT(v.problems, Contains(HasSubstr("post 4 er ændret")));
}

TEST_F(AuditLogTest, DeletingTheNewestEntriesIsCaughtByTheAnchor) {
  AppendEntries(5);
  Tamper("DELETE FROM audit_log WHERE id >= 4");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("ankeret nævner post 5")));
  EXPECT_THAT(v.problems, Contains(HasSubstr("slutter ved post 3")));
}

TEST_F(AuditLogTest, AReplacedNewestEntryIsCaughtByTheAnchor) {
  AppendEntries(3);
  // Replace entry 3 by a consistent forgery: its own hash and link are right.
  const auto [time, prev_hash] = TimeAndPrevHashOf(3);
  AuditEntry forged{"bo", "case.add", "case", "3", std::nullopt, "{}"};
  const std::string hash = AuditHash(prev_hash, 3, time, forged);
  Tamper("UPDATE audit_log SET actor = 'bo', after = '{}', hash = '" + hash + "' WHERE id = 3");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("post 3 passer ikke med revisionsankeret")));
}

TEST_F(AuditLogTest, AMissingOrUnreadableAnchorIsReported) {
  AppendEntries(2);
  ASSERT_EQ(std::remove(AnchorPath().c_str()), 0);
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("mangler")));
  testing::WriteFile(AnchorPath(), "garbage\n");
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_THAT(v.problems, Contains(HasSubstr("ulæseligt")));
}

TEST_F(AuditLogTest, AnAnchorBehindTheChainIsAcceptedAndNeverMovesBackwards) {
  AppendEntries(2);
  const std::string anchor_at_2 = testing::ReadFile(AnchorPath());
  {
    Transaction t(*db_);
    ASSERT_TRUE(t.Begin());
    ASSERT_TRUE(log_->Append({"anna", "x", "case", "1", std::nullopt, "{}"}));
    ASSERT_TRUE(t.Commit());
  }
  // A crash before WriteAnchor: the anchor is behind, which is not tampering.
  EXPECT_TRUE(Verify().ok);
  // Writing an older anchor over a newer one does nothing.
  ASSERT_TRUE(log_->WriteAnchor());
  const std::string anchor_at_3 = testing::ReadFile(AnchorPath());
  EXPECT_EQ(anchor_at_3.substr(0, 2), "3 ");
  testing::WriteFile(AnchorPath(), "9 " + std::string(64, 'f') + "\n");
  ASSERT_TRUE(log_->WriteAnchor());
  EXPECT_EQ(testing::ReadFile(AnchorPath()).substr(0, 2), "9 ");
  EXPECT_NE(anchor_at_2, anchor_at_3);
}

TEST_F(AuditLogTest, TheTriggersRefuseChangesThroughSql) {
  AppendEntries(1);
  EXPECT_FALSE(db_->Execute("UPDATE audit_log SET actor = 'x'"));
  EXPECT_FALSE(db_->Execute("DELETE FROM audit_log"));
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditLogTest, HistoryListsTheEntriesOfOneEntityOldestFirst) {
  AppendEntries(3);
  {
    Transaction t(*db_);
    ASSERT_TRUE(t.Begin());
    ASSERT_TRUE(log_->Append({"bo", "case.status", "case", "2", R"({"status":"open"})",
                              R"({"status":"closed"})"}));
    ASSERT_TRUE(t.Commit());
  }
  auto h = log_->History("case", "2");
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].entry.action, "case.add");
  EXPECT_EQ((*h)[1].entry.action, "case.status");
  EXPECT_EQ((*h)[1].entry.actor, "bo");
  EXPECT_EQ((*h)[1].entry.before, R"({"status":"open"})");
  EXPECT_LT((*h)[0].id, (*h)[1].id);
}

TEST_F(AuditLogTest, AnEmptyLogVerifiesWithOrWithoutAnAnchor) {
  EXPECT_TRUE(Verify().ok);
  ASSERT_TRUE(log_->WriteAnchor());
  EXPECT_EQ(testing::ReadFile(AnchorPath()), "0 " + std::string(64, '0') + "\n");
  EXPECT_TRUE(Verify().ok);
}

}  // namespace
}  // namespace intake::storage
