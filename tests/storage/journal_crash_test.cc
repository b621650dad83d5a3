// Crash safety of the journal with real processes: a writer is killed with SIGKILL at many
// moments (random delays) and at each named point of Journalise; afterwards every
// registration is complete or absent, no half-written file is in the store, the integrity
// check passes and the audit chain verifies. Also: two writer processes at once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "base/sha256.h"
#include "storage/journal.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

namespace fs = std::filesystem;

class JournalCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto j = OpenSqliteJournal(Options());
    ASSERT_TRUE(j) << j.error().ToString();
    NewCase c;
    c.system = "SBSYS";
    c.reference = "27.24.00-G01-5-19";
    c.title = "Byggesag om carport på Hegnsvej 4";
    auto added = (*j)->AddCase(c, Actor{"test"});
    ASSERT_TRUE(added);
    case_id_ = added->id;
    // A party with a CPR, so the key and its check exist before the crashes.
    ASSERT_TRUE((*j)->AddParty(PartyKind::kPerson, "Jens Hansen", "0101901234", Actor{"test"}));
  }

  JournalOptions Options() const {
    JournalOptions o;
    o.database_path = dir_.Sub("data/journal.sqlite3");
    o.file_store_dir = dir_.Sub("data/files");
    o.key_file = dir_.Sub("data/keys/party.key");
    o.anchor_file = dir_.Sub("data/audit.anchor");
    return o;
  }

  static NewDocument Doc(int64_t case_id, const std::string& key) {
    NewDocument d;
    d.case_id = case_id;
    d.title = "Ansøgning om byggetilladelse " + key;
    d.direction = Direction::kIn;
    d.received_date = "2026-11-25";
    d.pages = {DocumentPage{1, 1, false, 0, 0.2, 90.0, R"({"words":40})"},
               DocumentPage{2, 2, false, 0, 0.0, 88.0, R"({"words":35})"}};
    d.ocr_text = "Kære kommune, vedlagt tegninger til carporten. " + key;
    d.idempotency_key = key;
    return d;
  }

  // Random bytes of a plausible PDF size (20–200 kB).
  static std::string RandomPdf(std::mt19937& rng) {
    std::string bytes = "%PDF-1.7\n";
    bytes.resize(20000 + rng() % 180000);
    for (size_t i = 9; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng());
    return bytes;
  }

  // In a child process: opens the journal and journalises until killed (or `limit`
  // documents are done, then exits 0). Never returns.
  [[noreturn]] void WriterProcess(const std::string& tag, int limit,
                                  std::function<void(std::string_view)> crash_point) {
    JournalOptions o = Options();
    o.crash_point_for_tests = std::move(crash_point);
    auto j = OpenSqliteJournal(o);
    if (!j) _exit(3);
    std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(tag)));
    for (int i = 0; limit == 0 || i < limit; ++i) {
      auto d = (*j)->Journalise(Doc(case_id_, tag + "-" + std::to_string(i)), RandomPdf(rng),
                                Actor{"writer-" + tag});
      if (!d) _exit(4);
    }
    _exit(0);
  }

  // Reopens the journal as the next start would and checks everything the crash test
  // promises. Returns the number of journalised documents.
  int64_t CheckAfterCrash(const std::string& round) {
    SCOPED_TRACE(round);
    auto j = OpenSqliteJournal(Options());
    EXPECT_TRUE(j) << j.error().ToString();
    if (!j) return 0;
    Journal& journal = **j;
    swept_ += static_cast<int64_t>(journal.SweepAtOpen().moved.size());
    EXPECT_FALSE(journal.SweepAtOpen().skipped);
    // No temporary or half-written file is left outside orphans/.
    EXPECT_TRUE(fs::is_empty(Options().file_store_dir + "/tmp"));
    auto report = journal.IntegrityCheck();
    EXPECT_TRUE(report) << report.error().ToString();
    if (report) {
      EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
      EXPECT_TRUE(report->orphans.empty()) << ::testing::PrintToString(report->orphans);
    }
    auto audit = journal.VerifyAudit();
    EXPECT_TRUE(audit && audit->ok) << (audit ? ::testing::PrintToString(audit->problems) : "");
    // Every registration is complete: its file matches its hash, its pages and text are
    // there, and its audit entry exists.
    const Viewer all = Viewer::Everyone("test");
    auto docs = journal.ListDocuments(case_id_, all);
    EXPECT_TRUE(docs);
    if (!docs) return 0;
    int64_t expected_number = 1;
    for (const DocumentRecord& listed : *docs) {
      EXPECT_EQ(listed.doc_number, expected_number++);
      auto d = journal.GetDocument(listed.id, all);
      EXPECT_TRUE(d);
      if (!d) continue;
      EXPECT_EQ(d->pages.size(), 2u);
      EXPECT_THAT(d->ocr_text, ::testing::HasSubstr(*d->idempotency_key));
      auto file = Sha256OfFile(journal.PdfPath(d->pdf_sha256));
      EXPECT_TRUE(file && *file == d->pdf_sha256) << d->id;
      auto history = journal.History("document", std::to_string(d->id));
      EXPECT_TRUE(history && history->size() == 1u) << d->id;
    }
    return static_cast<int64_t>(docs->size());
  }

  // Forks a writer; kills it after `delay` (if still running); returns how it ended.
  int RunAndKill(const std::string& tag, std::chrono::microseconds delay,
                 std::function<void(std::string_view)> crash_point = nullptr) {
    const pid_t pid = fork();
    if (pid == 0) WriterProcess(tag, 0, std::move(crash_point));
    EXPECT_GT(pid, 0);
    if (delay.count() > 0) {
      std::this_thread::sleep_for(delay);
      ::kill(pid, SIGKILL);
    }
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    return status;
  }

  testing::ScopedTempDir dir_;
  int64_t case_id_ = 0;
  int64_t swept_ = 0;
};

TEST_F(JournalCrashTest, KilledAtThirtyDifferentMomentsEveryRegistrationIsCompleteOrAbsent) {
  int64_t documents = 0;
  for (int round = 0; round < 30; ++round) {
    // From 1 ms (still opening) to about 400 ms (several documents in), spread unevenly
    // so the kill lands in different phases of a commit.
    const auto delay = std::chrono::microseconds(1000 + (round * 104729) % 400000);
    // Appended, not "r" + to_string(): g++ 12 at -O3 warns falsely (-Wrestrict, GCC PR
    // 105651) on a one-letter literal plus a string.
    std::string tag = "r";
    tag += std::to_string(round);
    const int status = RunAndKill(tag, delay);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer ended on its own with status " << status;
    const int64_t now = CheckAfterCrash("round " + std::to_string(round));
    EXPECT_GE(now, documents);
    documents = now;
    if (HasFailure()) break;
  }
  RecordProperty("documents", std::to_string(documents));
  RecordProperty("orphans_swept", std::to_string(swept_));
  EXPECT_GT(documents, 0) << "no writer got as far as a commit; the delays are too short";
  // The next journalising works and continues the numbering.
  auto j = OpenSqliteJournal(Options());
  ASSERT_TRUE(j);
  auto next = (*j)->Journalise(Doc(case_id_, "after"), "%PDF-after", Actor{"test"});
  ASSERT_TRUE(next) << next.error().ToString();
  EXPECT_EQ(next->doc_number, documents + 1);
}

struct PointCase {
  const char* point;
  int nth;               // killed at the nth document's point
  bool document_exists;  // whether that document is registered afterwards
};

class JournalCrashPointTest : public JournalCrashTest,
                              public ::testing::WithParamInterface<PointCase> {};

TEST_P(JournalCrashPointTest, KilledExactlyAtAPointLeavesACompleteOrAbsentDocument) {
  const PointCase& pc = GetParam();
  const std::string target = pc.point;
  const int nth = pc.nth;
  int seen = 0;
  const int status = RunAndKill("p", std::chrono::microseconds(0), [&](std::string_view point) {
    if (point == target && ++seen == nth) ::raise(SIGKILL);
  });
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  const int64_t documents = CheckAfterCrash(target);
  EXPECT_EQ(documents, pc.document_exists ? nth : nth - 1);
  // A file written before the crash but never registered was swept into orphans/.
  if (target == "file_stored" || target == "before_commit") {
    EXPECT_EQ(swept_, 1);
  } else {
    EXPECT_EQ(swept_, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Points, JournalCrashPointTest,
    ::testing::Values(PointCase{"file_stored", 1, false}, PointCase{"file_stored", 3, false},
                      PointCase{"before_commit", 1, false}, PointCase{"before_commit", 4, false},
                      PointCase{"committed", 1, true}, PointCase{"committed", 3, true}),
    [](const ::testing::TestParamInfo<PointCase>& param_info) {
      return std::string(param_info.param.point) + "_" + std::to_string(param_info.param.nth);
    });

TEST_F(JournalCrashTest, TwoWriterProcessesGetDistinctRunningNumbers) {
  constexpr int kPerWriter = 15;
  pid_t pids[2];
  for (int w = 0; w < 2; ++w) {
    pids[w] = fork();
    if (pids[w] == 0) WriterProcess("w" + std::to_string(w), kPerWriter, nullptr);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  auto j = OpenSqliteJournal(Options());
  ASSERT_TRUE(j);
  auto docs = (*j)->ListDocuments(case_id_, Viewer::Everyone("test"));
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 2u * kPerWriter);
  std::set<int64_t> numbers;
  for (const auto& d : *docs) numbers.insert(d.doc_number);
  EXPECT_EQ(numbers.size(), 2u * kPerWriter);
  EXPECT_EQ(*numbers.rbegin(), 2 * kPerWriter);
  auto audit = (*j)->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
  auto report = (*j)->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
}

}  // namespace
}  // namespace intake::storage
