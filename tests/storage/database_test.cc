// The SQLite connection wrapper: settings, transactions, error translation.
#include "storage/database.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.Sub("j.sqlite3"));
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Execute(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES parent(id));"));
  }
  int64_t Count(const char* table) {
    auto s = db_->Prepare(std::string("SELECT count(*) FROM ") + table);
    EXPECT_TRUE(s);
    EXPECT_TRUE(*s->Step());
    return s->Int(0);
  }
  testing::ScopedTempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(DatabaseTest, UsesWriteAheadLoggingAndEnforcesForeignKeys) {
  auto mode = db_->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode && *mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
  auto insert = db_->Prepare("INSERT INTO child (parent) VALUES (?)");
  ASSERT_TRUE(insert);
  Status s = insert->Bind(1, 42).Run();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kAlreadyExists);  // a constraint, named as such
  EXPECT_NE(s.error().message().find("j.sqlite3"), std::string::npos);
}

TEST_F(DatabaseTest, ATransactionRollsBackUnlessCommitted) {
  {
    Transaction t(*db_);
    ASSERT_TRUE(t.Begin());
    ASSERT_TRUE(db_->Execute("INSERT INTO parent (id) VALUES (1)"));
  }  // no commit
  EXPECT_EQ(Count("parent"), 0);
  {
    Transaction t(*db_);
    ASSERT_TRUE(t.Begin());
    ASSERT_TRUE(db_->Execute("INSERT INTO parent (id) VALUES (2)"));
    ASSERT_TRUE(t.Commit());
  }
  EXPECT_EQ(Count("parent"), 1);
}

TEST_F(DatabaseTest, StatementsBindAndReadEveryType) {
  ASSERT_TRUE(db_->Execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)"));
  auto insert = db_->Prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->Bind(1, int64_t{1} << 40).Bind(2, 2.5).Bind(3, "blåbær").BindNull(4).Run());
  auto select = db_->Prepare("SELECT i, r, s, n FROM t");
  ASSERT_TRUE(select && *select->Step());
  EXPECT_EQ(select->Int(0), int64_t{1} << 40);
  EXPECT_EQ(select->Real(1), 2.5);
  EXPECT_EQ(select->Text(2), "blåbær");
  EXPECT_FALSE(select->OptionalText(3));
  EXPECT_FALSE(*select->Step());
}

TEST_F(DatabaseTest, IntegrityCheckFindsNothingOnAHealthyDatabase) {
  auto problems = db_->IntegrityCheck();
  ASSERT_TRUE(problems);
  EXPECT_TRUE(problems->empty());
}

TEST(DatabaseOpen, AFileThatIsNotADatabaseIsReportedAsDamaged) {
  testing::ScopedTempDir dir;
  testing::WriteFile(dir.Sub("x.sqlite3"), std::string(4096, 'x'));
  auto db = Database::Open(dir.Sub("x.sqlite3"));
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(db.error().message().find("x.sqlite3"), std::string::npos);
}

TEST(DatabaseOpen, AMissingFolderIsAnIoError) {
  auto db = Database::Open("/proc/ingen-mappe/j.sqlite3");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kIOError);
}

TEST(DatabaseOpen, ASecondWriterWaitsThenReportsBusy) {
  testing::ScopedTempDir dir;
  auto a = Database::Open(dir.Sub("j.sqlite3"));
  DatabaseOptions quick;
  quick.busy_timeout_ms = 50;
  auto b = Database::Open(dir.Sub("j.sqlite3"), quick);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->Execute("CREATE TABLE t (x)"));
  Transaction hold(**a);
  ASSERT_TRUE(hold.Begin());
  Transaction second(**b);
  Status s = second.Begin();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace intake::storage
