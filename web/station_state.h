// What the web server's handlers share: the configuration, the journal (with its archive
// and users), the page spool and the lock that serialises them.
//
// The journal and the spool are used by one thread at a time (storage/journal.h). The
// server runs requests on a thread pool, so every route runs under `lock` unless it says
// it takes the lock itself (Route::locks_itself: a scan, which must not hold up the other
// screens for minutes, takes it only around its journal and spool calls).
//
// Thread-safety: the members are set before the server starts and not replaced; use them
// only while holding `lock`.
#ifndef INTAKE_WEB_STATION_STATE_H_
#define INTAKE_WEB_STATION_STATE_H_

#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "config/loader.h"
#include "storage/journal.h"
#include "storage/page_spool.h"
#include "web/intake_jobs.h"

namespace intake::web {

struct StationState {
  config::Config config;
  config::Environment env;
  std::unique_ptr<storage::Journal> journal;
  std::unique_ptr<storage::PageSpool> spool;  // <data_dir>/spool
  std::mutex lock;
  // Adds "Secure" to the session cookie (ServerOptions::secure_cookie).
  bool secure_cookie = false;
  // The background scans and imports (web/intake_jobs.h), made by AddScanRoutes; declared
  // last so that it is destroyed first: its destructor stops and joins the running jobs
  // while the journal and the spool still exist. Thread-safe on its own (no `lock`).
  std::unique_ptr<IntakeJobs> jobs;
};

}  // namespace intake::web

#endif  // INTAKE_WEB_STATION_STATE_H_
