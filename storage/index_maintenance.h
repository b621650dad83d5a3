// Merging the search index outside the commits that write it.
//
// FTS5 writes each transaction's new index entries as a small segment and, by default,
// merges segments inside the same transaction ("automerge"): every 64 pages written it
// merges 64 pages per level of the index. On a journal of a million documents that made
// about one commit in ten take 50-150 ms instead of 3 (bench/journal_bench.cc). Schema
// version 3 turns automerge off; the journal merges in small steps of its own, each its own
// short write transaction, when nobody has journalised for a while (IndexMaintainer).
// FTS5's crisis merge (64 segments on one level, schema version 3) still bounds the index
// if maintenance never runs, so searches stay correct and only slower without it.
#ifndef INTAKE_STORAGE_INDEX_MAINTENANCE_H_
#define INTAKE_STORAGE_INDEX_MAINTENANCE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"

namespace intake::storage {

class Database;

// Pages of index one merge step writes: a few milliseconds of work, so a commit that
// arrives meanwhile waits no longer than that for the write lock.
inline constexpr int kMergeStepPages = 64;

struct MergeReport {
  int steps = 0;       // merge steps that did work
  bool done = false;   // no level of the index has enough segments left to merge
  double seconds = 0;  // wall time spent
};

// Merges the search indexes of `db` (documents_fts and search_pairs) in steps of kMergeStepPages
// (FTS5 'merge', segments on levels with at least 4 of them, as automerge would), each step its own
// transaction, until there is nothing left to merge, `budget` is spent or `stop()` returns true
// (checked between steps). Errors from the database (kUnavailable when another writer holds the
// lock past the busy timeout).
// `on_step`, when given, is called after each step that did work (for progress counters).
Result<MergeReport> MergeSearchIndex(Database& db, std::chrono::milliseconds budget,
                                     const std::function<bool()>& stop = {},
                                     const std::function<void()>& on_step = {});

// A thread that merges the search index of the journal at `database_path` on a connection
// of its own once the journal has been idle for `idle` after a commit, and stops merging
// at the next commit. Errors are logged (as warnings), never raised: maintenance only
// keeps searches fast.
class IndexMaintainer {
 public:
  IndexMaintainer(std::string database_path, std::chrono::milliseconds idle, int busy_timeout_ms);
  ~IndexMaintainer();  // stops the thread (after the step in progress) and joins it
  IndexMaintainer(const IndexMaintainer&) = delete;
  IndexMaintainer& operator=(const IndexMaintainer&) = delete;

  // Called after every commit that may have written to the index.
  void NotifyCommit();

  // Merge steps done so far, counted as each one commits (for tests and logs).
  int steps() const { return steps_.load(); }

 private:
  void Run();

  const std::string database_path_;
  const std::chrono::milliseconds idle_;
  const int busy_timeout_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                                // guarded by mu_
  bool pending_ = false;                                 // a commit since the last merge
  std::chrono::steady_clock::time_point last_commit_{};  // guarded by mu_
  std::atomic<uint64_t> commits_{0};
  std::atomic<int> steps_{0};
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_INDEX_MAINTENANCE_H_
