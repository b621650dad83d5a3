// Writing the audit anchor off the commit path.
//
// The anchor file (storage/audit_log.h) names the newest audit entry so that deleting the
// newest entries is detected. Writing it durably takes two flushes (the file, then its
// directory); done inside every commit they doubled the commit time on a journal of a
// million documents (bench/journal_bench.cc). AnchorWriter takes the newest (id, hash)
// after each commit and writes it on a thread of its own at most `delay` later, so a burst
// of commits costs one anchor write. It writes what is pending when it is destroyed and on
// Flush(). A crash inside the delay leaves the anchor behind the chain, which is not
// tampering (Verify accepts an anchor that names an older entry of the chain) and which the
// journal catches up when it next opens, as after a crash between a commit and its anchor.
//
// With a delay of 0 Publish() writes at once on the caller's thread (no thread is started).
//
// Thread-safety: Publish and Flush may be called from any thread.
#ifndef INTAKE_STORAGE_ANCHOR_WRITER_H_
#define INTAKE_STORAGE_ANCHOR_WRITER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/result.h"
#include "storage/audit_log.h"

namespace intake::storage {

class AnchorWriter {
 public:
  AnchorWriter(std::string anchor_path, std::chrono::milliseconds delay);
  ~AnchorWriter();  // writes what is pending, then joins the thread
  AnchorWriter(const AnchorWriter&) = delete;
  AnchorWriter& operator=(const AnchorWriter&) = delete;

  // `newest` has committed: anchor it within the delay. A failed write is logged as a
  // warning and retried with the next Publish or Flush.
  void Publish(const AuditAnchor& newest);

  // Writes what is pending now, on the caller's thread.
  Status Flush();

  // Anchor writes done so far (for tests).
  int writes() const;

 private:
  void Run();
  // Takes what is pending (under mu_) and writes it; puts it back if the write fails.
  Status WritePending();

  const std::string anchor_path_;
  const std::chrono::milliseconds delay_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<AuditAnchor> pending_;  // guarded by mu_
  bool stopping_ = false;               // guarded by mu_
  int writes_ = 0;                      // guarded by mu_
  std::mutex write_mu_;                 // one file write at a time
  std::thread thread_;                  // last: starts after the members above exist
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_ANCHOR_WRITER_H_
