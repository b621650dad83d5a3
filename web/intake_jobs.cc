#include "web/intake_jobs.h"

#include <thread>
#include <utility>

#include "base/log.h"
#include "hardware/sane_scanner.h"
#include "station/batch_journal.h"
#include "station/batch_plan.h"
#include "station/intake_run.h"
#include "station/journal_access.h"
#include "web/router.h"
#include "web/station_state.h"

namespace intake::web {

struct IntakeJobs::Job {
  JobSpec spec;
  JobProgress progress;                      // GUARDED_BY(IntakeJobs::mutex_)
  hardware::ScanSession* session = nullptr;  // GUARDED_BY(IntakeJobs::mutex_): while open
  bool cancelled = false;                    // GUARDED_BY(IntakeJobs::mutex_)
  std::thread thread;
};

std::string_view JobKindName(JobKind kind) {
  switch (kind) {
    case JobKind::kScan:
      return "scan";
    case JobKind::kImport:
      return "import";
    case JobKind::kDigitise:
      return "digitise";
  }
  return "scan";
}

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
  }
  return "running";
}

nlohmann::json JobToJson(const JobProgress& job) {
  return nlohmann::json{{"id", job.id},
                        {"kind", std::string(JobKindName(job.kind))},
                        {"state", std::string(JobStateName(job.state))},
                        {"user", job.user},
                        {"source", job.source},
                        {"batch", job.batch_id},
                        {"started", job.started},
                        {"pages_scanned", job.pages_scanned},
                        {"pages_processed", job.pages_processed},
                        {"pages_failed", job.pages_failed},
                        {"batch_ready", job.batch_ready},
                        {"message", job.message},
                        {"last_complete_sheet", job.last_complete_sheet},
                        {"reload_from_sheet", job.reload_from_sheet},
                        {"result", job.result}};
}

IntakeJobs::IntakeJobs(StationState& state)
    : state_(state), scanner_factory_([] { return std::make_shared<hardware::SaneScanner>(); }) {}

IntakeJobs::~IntakeJobs() {
  std::vector<Job*> running;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& entry : jobs_) {
      Job* job = entry.second.get();
      job->cancelled = true;
      if (job->session != nullptr) job->session->Cancel();
      running.push_back(job);
    }
  }
  for (Job* job : running) {
    if (job->thread.joinable()) job->thread.join();
  }
}

void IntakeJobs::SetScannerFactory(ScannerFactory factory) {
  std::lock_guard lock(mutex_);
  scanner_factory_ = std::move(factory);
}

void IntakeJobs::SetEngineFactory(ocr::OcrEngineFactory factory) {
  std::lock_guard lock(mutex_);
  engine_factory_ = std::move(factory);
}

std::shared_ptr<hardware::Scanner> IntakeJobs::MakeScanner() const {
  ScannerFactory factory;
  {
    std::lock_guard lock(mutex_);
    factory = scanner_factory_;
  }
  return factory();
}

bool IntakeJobs::DeviceBusy(const std::string& device_key) const {
  std::lock_guard lock(mutex_);
  return busy_devices_.count(device_key) > 0;
}

Result<int64_t> IntakeJobs::Start(JobSpec spec) {
  std::lock_guard lock(mutex_);
  if (stopping_) return Error(ErrorCode::kUnavailable, "stationen er ved at stoppe");
  if (!spec.device_key.empty() && busy_devices_.count(spec.device_key) > 0) {
    return Error(ErrorCode::kDeviceBusy,
                 "scanneren " + spec.device_key + " scanner allerede; vent til den er færdig");
  }
  if (!spec.device_key.empty()) busy_devices_.insert(spec.device_key);
  auto job = std::make_unique<Job>();
  const int64_t id = next_id_++;
  job->progress.id = id;
  job->progress.kind = spec.kind;
  job->progress.user = spec.user;
  job->progress.source = spec.source;
  job->progress.batch_id = spec.batch_id;
  job->progress.started = station::NowIsoUtc();
  job->spec = std::move(spec);
  Job& ref = *job;
  jobs_.emplace(id, std::move(job));
  ref.thread = std::thread([this, &ref] { Run(ref); });
  return id;
}

std::optional<JobProgress> IntakeJobs::Get(int64_t id) const {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second->progress;
}

std::vector<JobProgress> IntakeJobs::List() const {
  std::lock_guard lock(mutex_);
  std::vector<JobProgress> list;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) list.push_back(it->second->progress);
  return list;
}

void IntakeJobs::Run(Job& job) {
  const std::string& batch_id = job.spec.batch_id;
  auto fail = [&](const std::string& message) {
    std::lock_guard lock(mutex_);
    job.progress.state = JobState::kFailed;
    job.progress.message = message;
  };
  bool stored = false;
  bool scanned_ok = false;
  {
    Result<std::unique_ptr<hardware::ScanSession>> session = job.spec.open();
    if (!session) {
      log::Info("batch " + batch_id + " startede ikke: " + session.error().message());
      fail(session.error().message());
    } else {
      station::IntakeOptions options;
      {
        std::lock_guard lock(mutex_);
        job.session = session->get();
        if (job.cancelled) (*session)->Cancel();
        options = station::IntakeOptionsFor(state_.config, false);
        if (engine_factory_) options.engine_factory = engine_factory_;
      }
      options.file_errors_continue = job.spec.file_errors_continue;
      auto on_page = [&](const ocr::PageAnalysis&, const station::IntakeSummary& s) {
        std::lock_guard lock(mutex_);
        job.progress.pages_scanned = s.pages_scanned;
        job.progress.pages_processed = s.pages_processed;
        job.progress.pages_failed = s.pages_failed;
      };
      Result<station::IntakeSummary> summary =
          station::RunIntake(**session, *state_.spool, batch_id, options, on_page);
      {
        std::lock_guard lock(mutex_);
        job.session = nullptr;
      }
      session->reset();
      if (!summary) {
        fail(summary.error().message() + "; de sider, der nåede at blive gemt, ligger i batch " +
             batch_id);
      } else {
        const station::IntakeSummary& s = *summary;
        stored = s.pages_scanned > 0;
        std::lock_guard lock(mutex_);
        job.progress.pages_scanned = s.pages_scanned;
        job.progress.pages_processed = s.pages_processed;
        job.progress.pages_failed = s.pages_failed;
        if (s.fault) {
          job.progress.state = JobState::kFailed;
          job.progress.message = s.fault->message();
          job.progress.last_complete_sheet = s.fault_info.last_complete_sheet;
          job.progress.reload_from_sheet = s.fault_info.reload_from_sheet;
        } else if (s.pages_scanned == 0) {
          job.progress.state = JobState::kFailed;
          job.progress.message = s.bad_files.empty()
                                     ? "ingen sider blev indlæst"
                                     : "ingen sider blev indlæst: " + s.bad_files.front();
        } else {
          scanned_ok = true;
          if (!s.bad_files.empty()) {
            job.progress.message = "kunne ikke læses: " + s.bad_files.front();
          }
        }
      }
    }
  }

  bool cancelled = false;
  {
    std::lock_guard lock(mutex_);
    cancelled = job.cancelled;
  }
  // The proposal, so the post room shows the batch ready: also after a fault, for the
  // pages kept before it.
  if (stored && !cancelled) {
    std::lock_guard station_lock(state_.lock);
    station::BatchContext ctx{state_.config, *state_.spool, *state_.journal, job.spec.viewer,
                              job.spec.actor};
    Result<station::PreparedBatch> prepared = station::PrepareBatch(ctx, batch_id);
    if (!prepared) {
      log::Warning("intet forslag til batch " + batch_id + ": " + prepared.error().message());
    }
    {
      std::lock_guard lock(mutex_);
      job.progress.batch_ready = true;
    }
    if (scanned_ok && job.spec.finish) {
      Result<nlohmann::json> result = job.spec.finish(batch_id);
      std::lock_guard lock(mutex_);
      if (result) {
        job.progress.result = std::move(*result);
      } else {
        job.progress.state = JobState::kFailed;
        job.progress.message = result.error().message();
        job.progress.result =
            nlohmann::json{{"refused", ErrorJson(result.error())["error"]}, {"batch", batch_id}};
      }
    }
  }
  if (job.spec.after) job.spec.after(stored);
  std::lock_guard lock(mutex_);
  if (job.progress.state == JobState::kRunning) job.progress.state = JobState::kDone;
  if (!job.spec.device_key.empty()) busy_devices_.erase(job.spec.device_key);
}

}  // namespace intake::web
