// Merging the search index outside the commits: commits leave segments unmerged, a merge
// run (or the idle maintainer) merges them, and searches find the same documents after.
#include "storage/index_maintenance.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.h"
#include "storage/schema.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

class IndexMaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(path_);
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(MigrateToCurrent(*db_));
    ASSERT_TRUE(db_->Execute(
        "INSERT INTO cases (id, system, reference, reference_norm, title, created) "
        "VALUES (1, 'KK', '2024-0000001', '2024-0000001', 'Sag', '2026-01-01T00:00:00Z')"));
  }

  // `n` documents, each in a transaction of its own, as the journal commits them.
  void Commit(int n) {
    for (int k = 0; k < n; ++k) {
      const int64_t id = ++last_id_;
      auto doc = db_->Prepare(
          "INSERT INTO documents (id, case_id, title, direction, created) "
          "VALUES (?1, 1, ?2, 'in', 't')");
      ASSERT_TRUE(doc);
      ASSERT_TRUE(doc->Bind(1, id).Bind(2, "Brev nummer " + std::to_string(id)).Run());
      auto text = db_->Prepare("INSERT INTO document_text (document_id, ocr_text) VALUES (?1, ?2)");
      ASSERT_TRUE(text);
      ASSERT_TRUE(text->Bind(1, id)
                      .Bind(2, std::string(id % 2 == 0 ? "boligstøtte" : "hjemmehjælp") +
                                   " ansøgning ord" + std::to_string(id))
                      .Run());
    }
  }

  int64_t Scalar(const std::string& sql) {
    auto st = db_->Prepare(sql);
    EXPECT_TRUE(st);
    if (!st) return -1;
    auto row = st->Step();
    EXPECT_TRUE(row && *row);
    return row && *row ? st->Int(0) : -1;
  }

  int64_t IndexRows() { return Scalar("SELECT count(*) FROM documents_fts_data"); }
  int64_t Found(const std::string& query) {
    return Scalar("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH '" + query + "'");
  }
  void ExpectIndexIntact() {
    EXPECT_TRUE(db_->Execute(
        "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)"));
  }

  testing::ScopedTempDir dir_;
  std::string path_ = dir_.Sub("journal.sqlite3");
  std::unique_ptr<Database> db_;
  int64_t last_id_ = 0;
};

TEST_F(IndexMaintenanceTest, CommitsDoNotMergeTheIndex) {
  EXPECT_EQ(Scalar("SELECT v FROM documents_fts_config WHERE k = 'automerge'"), 0);
  EXPECT_EQ(Scalar("SELECT v FROM documents_fts_config WHERE k = 'crisismerge'"), 64);
  Commit(10);
  const int64_t after_ten = IndexRows();
  Commit(5);
  // Every commit adds a segment of its own; nothing was merged away.
  EXPECT_GE(IndexRows(), after_ten + 5);
}

TEST_F(IndexMaintenanceTest, AMergeRunLeavesFewerIndexRowsAndTheSameMatches) {
  Commit(60);
  const int64_t before = IndexRows();
  const int64_t bolig = Found("boligstøtte"), ord7 = Found("ord7");
  ASSERT_EQ(bolig, 30);
  ASSERT_EQ(ord7, 1);
  auto merged = MergeSearchIndex(*db_, std::chrono::seconds(30));
  ASSERT_TRUE(merged) << merged.error().ToString();
  EXPECT_GT(merged->steps, 0);
  EXPECT_TRUE(merged->done);
  EXPECT_LT(IndexRows(), before);
  EXPECT_EQ(Found("boligstøtte"), bolig);
  EXPECT_EQ(Found("ord7"), ord7);
  ExpectIndexIntact();
  // Nothing left: a second run finds no work.
  auto again = MergeSearchIndex(*db_, std::chrono::seconds(30));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->steps, 0);
  EXPECT_TRUE(again->done);
}

TEST_F(IndexMaintenanceTest, AMergeRunStopsWhenAsked) {
  Commit(30);
  auto merged = MergeSearchIndex(*db_, std::chrono::seconds(30), [] { return true; });
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->steps, 0);
  EXPECT_FALSE(merged->done);
}

TEST_F(IndexMaintenanceTest, TheMaintainerMergesOnceTheJournalIsIdle) {
  Commit(60);
  const int64_t before = IndexRows();
  {
    IndexMaintainer maintainer(path_, std::chrono::milliseconds(20), 5000);
    maintainer.NotifyCommit();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    // Both: a step shows in the index as it commits, and in steps() just after.
    while ((IndexRows() >= before || maintainer.steps() == 0) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GT(maintainer.steps(), 0);
  }  // stops and joins
  EXPECT_LT(IndexRows(), before);
  EXPECT_EQ(Found("boligstøtte"), 30);
  ExpectIndexIntact();
}

TEST_F(IndexMaintenanceTest, AMaintainerForAMissingJournalOnlyWarns) {
  IndexMaintainer maintainer(dir_.Sub("nowhere/journal.sqlite3"), std::chrono::milliseconds(1),
                             100);
  maintainer.NotifyCommit();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(maintainer.steps(), 0);
}  // and is stopped cleanly

}  // namespace
}  // namespace intake::storage
