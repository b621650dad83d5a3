// The spool of scanned pages: durable pages, faults and resumption, crash leftovers.
#include "storage/page_spool.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/cpr_mask.h"
#include "base/sha256.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

SpooledPage Page(int sheet, const char* side) {
  SpooledPage p;
  p.sheet = sheet;
  p.side = side;
  p.source = "intake:demo";
  p.dpi = 300;
  return p;
}

class PageSpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spool = PageSpool::Open(dir_.Sub("spool"));
    ASSERT_TRUE(spool);
    spool_.emplace(std::move(*spool));
    auto id = spool_->CreateBatch({"Morgenpost", "scanner", "intake:demo", "anna", "2026-11-26"});
    ASSERT_TRUE(id) << id.error().ToString();
    batch_ = *id;
  }
  testing::ScopedTempDir dir_;
  std::optional<PageSpool> spool_;
  std::string batch_;
};

TEST_F(PageSpoolTest, StoresPagesDurablyInArrivalOrder) {
  for (int sheet = 1; sheet <= 3; ++sheet) {
    ASSERT_TRUE(spool_->AddPage(batch_, Page(sheet, "front"), "forside " + std::to_string(sheet), "png"));
    ASSERT_TRUE(spool_->AddPage(batch_, Page(sheet, "back"), "bagside " + std::to_string(sheet), "png"));
  }
  auto r = spool_->Load(batch_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->info.name, "Morgenpost");
  EXPECT_EQ(r->info.received_date, "2026-11-26");
  ASSERT_EQ(r->pages.size(), 6u);
  for (size_t i = 0; i < r->pages.size(); ++i) {
    const SpooledPage& p = r->pages[i];
    EXPECT_EQ(p.seq, static_cast<int>(i) + 1);
    EXPECT_EQ(p.sheet, static_cast<int>(i / 2) + 1);
    EXPECT_EQ(p.side, i % 2 ? "back" : "front");
    EXPECT_EQ(Sha256OfFile(spool_->PathOf(batch_, p.file)).value_or(""), p.sha256);
  }
  EXPECT_EQ(r->next_sheet(), 4);
  EXPECT_TRUE(r->problems.empty());
}

TEST_F(PageSpoolTest, AJamAndAResumeKeepEverySheetSideExactlyOnce) {
  ASSERT_TRUE(spool_->AddPage(batch_, Page(1, "front"), "1f", "png"));
  ASSERT_TRUE(spool_->AddPage(batch_, Page(1, "back"), "1b", "png"));
  ASSERT_TRUE(spool_->AddPage(batch_, Page(2, "front"), "2f", "png"));  // the back jammed
  ASSERT_TRUE(spool_->RecordFault(batch_, {"jammed", "Papirstop ved ark 2", 1, 2}));
  auto broken = spool_->Load(batch_);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->next_sheet(), 2);
  ASSERT_TRUE(spool_->RecordResume(batch_, 2));
  ASSERT_TRUE(spool_->AddPage(batch_, Page(2, "front"), "2f igen", "png"));
  ASSERT_TRUE(spool_->AddPage(batch_, Page(2, "back"), "2b", "png"));
  ASSERT_TRUE(spool_->Close(batch_));
  auto r = spool_->Load(batch_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->pages.size(), 4u);
  EXPECT_EQ(r->pages[2].sheet, 2);
  EXPECT_EQ(r->pages[2].seq, 4);  // the rescanned front
  ASSERT_EQ(r->superseded.size(), 1u);
  EXPECT_EQ(r->superseded[0].seq, 3);
  EXPECT_TRUE(std::filesystem::exists(spool_->PathOf(batch_, r->superseded[0].file)));
  EXPECT_TRUE(r->closed);
  EXPECT_EQ(r->faults.size(), 1u);
  EXPECT_EQ(r->next_sheet(), 3);
}

TEST_F(PageSpoolTest, ATornLastEventLineIsSkippedAndReported) {
  ASSERT_TRUE(spool_->AddPage(batch_, Page(1, "front"), "1f", "png"));
  std::ofstream(spool_->BatchDir(batch_) + "/events.log", std::ios::app) << "{\"event\":\"pa";
  auto r = spool_->Load(batch_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pages.size(), 1u);
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].find("delvist"), std::string::npos);
}

TEST_F(PageSpoolTest, AnOrphanPageFileIsReportedAndItsNumberNotReused) {
  ASSERT_TRUE(spool_->AddPage(batch_, Page(1, "front"), "1f", "png"));
  testing::WriteFile(spool_->PathOf(batch_, "000002.png"), "efterladt");  // crash leftover
  auto next = spool_->AddPage(batch_, Page(1, "back"), "1b", "png");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->seq, 3);
  auto r = spool_->Load(batch_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].find("000002.png"), std::string::npos);
  EXPECT_EQ(testing::ReadFile(spool_->PathOf(batch_, "000002.png")), "efterladt");
}

TEST_F(PageSpoolTest, ImportedFilesAreStoredOnceAndTheirPagesReferToThem) {
  auto name = spool_->AddFile(batch_, "multi-page tiff bytes", "tif");
  ASSERT_TRUE(name);
  auto again = spool_->AddFile(batch_, "multi-page tiff bytes", "tif");
  ASSERT_TRUE(again);
  EXPECT_EQ(*name, *again);
  for (int i = 0; i < 3; ++i) {
    SpooledPage p = Page(0, "front");
    p.file = *name;
    p.file_page = i;
    ASSERT_TRUE(spool_->AddPageOfFile(batch_, p));
  }
  ASSERT_TRUE(spool_->RecordSourceDone(batch_, "/indbakke/post.tif"));
  auto r = spool_->Load(batch_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->pages.size(), 3u);
  EXPECT_EQ(r->pages[2].file_page, 2);
  EXPECT_EQ(r->sources_done, std::vector<std::string>{"/indbakke/post.tif"});
  SpooledPage escape = Page(0, "front");
  escape.file = "../../etc/passwd";
  EXPECT_FALSE(spool_->AddPageOfFile(batch_, escape));
}

TEST_F(PageSpoolTest, BatchIdsNeverHaveTheShapeOfACprNumber) {
  // "HHMMSS-NNNN" with a decimal suffix would be masked in every log line and message.
  for (int i = 0; i < 300; ++i) {
    auto id = spool_->CreateBatch({"", "import", "", "anna", "2026-11-26"});
    ASSERT_TRUE(id);
    EXPECT_EQ(MaskCpr(*id), *id);
  }
}

TEST_F(PageSpoolTest, AnalysisIsStoredBesideThePage) {
  ASSERT_TRUE(spool_->SaveAnalysis(batch_, 1, "{\"blank\":false}"));
  EXPECT_EQ(spool_->LoadAnalysis(batch_, 1).value_or(""), "{\"blank\":false}");
  EXPECT_FALSE(spool_->LoadAnalysis(batch_, 2));
}

TEST_F(PageSpoolTest, UnknownAndDamagedBatchesAreClearErrors) {
  EXPECT_EQ(spool_->Load("20200101-000000-0000").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(spool_->Load("../etc").error().code(), ErrorCode::kNotFound);
  testing::WriteFile(spool_->BatchDir(batch_) + "/batch.json", "{ikke json");
  EXPECT_EQ(spool_->Load(batch_).error().code(), ErrorCode::kCorruption);
}

TEST_F(PageSpoolTest, ListsBatchesOldestFirst) {
  auto second = spool_->CreateBatch({});
  ASSERT_TRUE(second);
  auto ids = spool_->ListBatches();
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_LE((*ids)[0], (*ids)[1]);
}

// A writer killed (SIGKILL) at arbitrary moments: whatever the spool recorded is there and
// intact; nothing is recorded that is not on disk.
TEST_F(PageSpoolTest, AWriterKilledAtAnyMomentLeavesOnlyCompleteRecordedPages) {
  for (int round = 0; round < 12; ++round) {
    auto id = spool_->CreateBatch({});
    ASSERT_TRUE(id);
    const pid_t pid = fork();
    if (pid == 0) {
      auto spool = PageSpool::Open(dir_.Sub("spool"));
      for (int i = 0;; ++i) {
        (void)spool->AddPage(*id, Page(i / 2 + 1, i % 2 ? "back" : "front"),
                             std::string(20000 + i, static_cast<char>('a' + i % 26)), "png");
      }
    }
    usleep(static_cast<useconds_t>(3000 + round * 4000));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    auto r = spool_->Load(*id);
    ASSERT_TRUE(r) << r.error().ToString();
    for (const SpooledPage& p : r->pages) {
      auto sha = Sha256OfFile(spool_->PathOf(*id, p.file));
      ASSERT_TRUE(sha) << p.file;
      EXPECT_EQ(*sha, p.sha256) << p.file;
    }
    for (size_t i = 0; i < r->pages.size(); ++i) EXPECT_EQ(r->pages[i].seq, static_cast<int>(i) + 1);
  }
}

}  // namespace
}  // namespace intake::storage
