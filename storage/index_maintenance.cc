#include "storage/index_maintenance.h"

#include <sqlite3.h>

#include <utility>
#include <vector>

#include "base/log.h"
#include "storage/database.h"

namespace intake::storage {

Result<MergeReport> MergeSearchIndex(Database& db, std::chrono::milliseconds budget,
                                     const std::function<bool()>& stop,
                                     const std::function<void()>& on_step) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  MergeReport report;
  // Both full-text tables of the journal (schema versions 3 and 4), a step of each in turn.
  struct Table {
    std::string step;
    bool done = false;
  };
  std::vector<Table> tables;
  for (const char* name : {"documents_fts", "search_pairs"}) {
    INTAKE_ASSIGN_OR_RETURN(
        Statement exists,
        db.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1"));
    exists.Bind(1, name);
    INTAKE_ASSIGN_OR_RETURN(const bool row, exists.Step());
    if (!row || exists.Int(0) == 0) continue;
    tables.push_back(Table{std::string("INSERT INTO ") + name + " (" + name +
                               ", rank) VALUES ('merge', " + std::to_string(kMergeStepPages) + ")",
                           false});
  }
  report.done = tables.empty();
  while (!report.done && Clock::now() - started < budget && !(stop && stop())) {
    report.done = true;
    for (Table& table : tables) {
      if (table.done || Clock::now() - started >= budget || (stop && stop())) {
        report.done = report.done && table.done;
        continue;
      }
      // FTS5: a 'merge' that changes fewer than 2 rows found nothing to merge.
      const int before = sqlite3_total_changes(db.handle());
      {
        Transaction t(db);
        INTAKE_RETURN_IF_ERROR(t.Begin());
        INTAKE_RETURN_IF_ERROR(db.Execute(table.step));
        INTAKE_RETURN_IF_ERROR(t.Commit());
      }
      if (sqlite3_total_changes(db.handle()) - before < 2) {
        table.done = true;
      } else {
        ++report.steps;
        if (on_step) on_step();
      }
      report.done = report.done && table.done;
    }
  }
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report;
}

IndexMaintainer::IndexMaintainer(std::string database_path, std::chrono::milliseconds idle,
                                 int busy_timeout_ms)
    : database_path_(std::move(database_path)),
      idle_(idle),
      busy_timeout_ms_(busy_timeout_ms),
      thread_([this] { Run(); }) {}

IndexMaintainer::~IndexMaintainer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void IndexMaintainer::NotifyCommit() {
  commits_.fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
    last_commit_ = std::chrono::steady_clock::now();
  }
  cv_.notify_all();
}

void IndexMaintainer::Run() {
  std::unique_ptr<Database> db;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || pending_; });
    if (stopping_) return;
    // Idle: no commit for idle_.
    const auto quiet_until = last_commit_ + idle_;
    if (std::chrono::steady_clock::now() < quiet_until) {
      cv_.wait_until(lock, quiet_until, [&] { return stopping_; });
      continue;  // re-check: a commit may have moved last_commit_
    }
    pending_ = false;
    const uint64_t commits_seen = commits_.load();
    lock.unlock();
    if (!db) {
      DatabaseOptions options;
      options.busy_timeout_ms = busy_timeout_ms_;
      options.create = false;
      options.cache_mib = 8;
      auto opened = Database::Open(database_path_, options);
      if (!opened) {
        log::Warning("søgeindekset kan ikke vedligeholdes: " + opened.error().message());
      } else {
        db = std::move(*opened);
      }
    }
    if (db) {
      // Stop at the next commit or when asked to; a long backlog continues after the
      // next idle period.
      auto merged = MergeSearchIndex(
          *db, std::chrono::seconds(10),
          [&] {
            if (commits_.load() != commits_seen) return true;
            std::lock_guard<std::mutex> guard(mu_);
            return stopping_;
          },
          [&] { steps_.fetch_add(1); });
      if (!merged) {
        log::Warning("vedligeholdelse af søgeindekset mislykkedes: " + merged.error().message());
      } else {
        if (!merged->done) {
          std::lock_guard<std::mutex> guard(mu_);
          pending_ = true;  // more to do after the next idle period
        }
      }
    }
    lock.lock();
  }
}

}  // namespace intake::storage
