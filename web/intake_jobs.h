// IntakeJobs: the web UI's background intake jobs. A job runs what `station scan` and
// `station import` run (station/intake_run.h): the pages from a scanner or from the
// scan-to-folder directory are stored durably in the spool first, then go through the page
// pipeline; at the end the station's proposal is made (station::PrepareBatch), so the batch
// is ready in the post room. A job may then finish with more work under the journal lock
// (the caseworker's digitising journalises its document).
//
// The browser polls the progress (GET /api/jobs/{id}): pages scanned, processed, failed,
// the state (running, done, failed with the operator's Danish message, e.g. a paper jam;
// the pages before it are kept) and the batch id.
//
// One scan at a time per device: Start refuses a job whose device is busy (kDeviceBusy).
//
// Thread-safety: every method may be called from any thread. A job's thread takes
// StationState::lock only around its journal calls and the batch's proposal; the spool is
// used without it for the job's own batch (storage/page_spool.h allows different batches
// from different threads). The destructor cancels running jobs and joins their threads;
// it must run before the StationState's journal and spool are destroyed.
#ifndef INTAKE_WEB_INTAKE_JOBS_H_
#define INTAKE_WEB_INTAKE_JOBS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "hardware/scanner.h"
#include "ocr/pipeline.h"
#include "storage/journal.h"
#include "storage/viewer.h"

namespace intake::web {

struct StationState;

enum class JobKind { kScan, kImport, kDigitise };
enum class JobState { kRunning, kDone, kFailed };

std::string_view JobKindName(JobKind kind);     // "scan", "import", "digitise"
std::string_view JobStateName(JobState state);  // "running", "done", "failed"

struct JobProgress {
  int64_t id = 0;
  JobKind kind = JobKind::kScan;
  JobState state = JobState::kRunning;
  std::string user;    // who started it
  std::string source;  // the device, or the scan folder's entry
  std::string batch_id;
  std::string started;  // ISO 8601 UTC
  int pages_scanned = 0;
  int pages_processed = 0;
  int pages_failed = 0;
  // True once the proposal is made and the batch can be opened in the post room.
  bool batch_ready = false;
  // Danish: the fault that ended the scan, or why the job's result was refused.
  std::string message;
  // After a fault: the sheets up to last_complete_sheet are kept; reload from the next.
  int last_complete_sheet = 0;
  int reload_from_sheet = 0;
  // What the job's finisher returned (digitising: the journalised document), or null.
  nlohmann::json result;
};

// {"id", "kind", "state", "user", "source", "batch", "started", "pages_scanned",
//  "pages_processed", "pages_failed", "batch_ready", "message", "last_complete_sheet",
//  "reload_from_sheet", "result"}.
nlohmann::json JobToJson(const JobProgress& job);

// Makes the scanner a job scans from. Default: hardware::SaneScanner. Tests inject a
// hardware::FakeScanner. The job keeps its scanner alive while it runs.
using ScannerFactory = std::function<std::shared_ptr<hardware::Scanner>()>;

// Runs on the job's thread with StationState::lock held, after the batch's proposal. Its
// value becomes JobProgress::result; its error ends the job as failed with its message
// (the pages stay in the spool as a batch).
using JobFinisher = std::function<Result<nlohmann::json>(const std::string& batch_id)>;

struct JobSpec {
  JobKind kind = JobKind::kScan;
  std::string user;
  // Whose view of the journal the proposal uses, and who the audit log records.
  storage::Viewer viewer;
  storage::Actor actor;
  std::string source;
  // Only one running job per non-empty key (the scanner's device name).
  std::string device_key;
  // The batch, already created in the spool.
  std::string batch_id;
  // Opens the session on the job's thread (a scanner's StartBatch, a folder import).
  std::function<Result<std::unique_ptr<hardware::ScanSession>>()> open;
  // Imports: a file that cannot be read is listed and the rest goes on.
  bool file_errors_continue = false;
  JobFinisher finish;  // optional
  // Called on the job's thread at the end, without the lock: whether any page was stored.
  std::function<void(bool stored)> after;
};

class IntakeJobs {
 public:
  explicit IntakeJobs(StationState& state);
  ~IntakeJobs();
  IntakeJobs(const IntakeJobs&) = delete;
  IntakeJobs& operator=(const IntakeJobs&) = delete;

  void SetScannerFactory(ScannerFactory factory);
  // The OCR engines the jobs use; default: Tesseract for the configured languages.
  void SetEngineFactory(ocr::OcrEngineFactory factory);
  std::shared_ptr<hardware::Scanner> MakeScanner() const;

  // Starts a job on a thread of its own; its id. kDeviceBusy (Danish, naming the device)
  // when a job on the same device key is running.
  Result<int64_t> Start(JobSpec spec);
  // True when a running job holds `device_key`.
  bool DeviceBusy(const std::string& device_key) const;

  std::optional<JobProgress> Get(int64_t id) const;
  // Every job since the server started, newest first.
  std::vector<JobProgress> List() const;

 private:
  struct Job;
  void Run(Job& job);

  StationState& state_;
  mutable std::mutex mutex_;
  ScannerFactory scanner_factory_;                // GUARDED_BY(mutex_)
  ocr::OcrEngineFactory engine_factory_;          // GUARDED_BY(mutex_)
  std::map<int64_t, std::unique_ptr<Job>> jobs_;  // GUARDED_BY(mutex_)
  std::set<std::string> busy_devices_;            // GUARDED_BY(mutex_)
  int64_t next_id_ = 1;                           // GUARDED_BY(mutex_)
  bool stopping_ = false;                         // GUARDED_BY(mutex_)
};

}  // namespace intake::web

#endif  // INTAKE_WEB_INTAKE_JOBS_H_
