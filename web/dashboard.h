// The manager dashboard's figures (GET /api/dashboard, web/api_dashboard.cc): intake
// batches waiting to be journalised by working days since their received date (DOMAIN.md
// section 10, item 4: more than one working day is late, as `station batch list` says),
// title-quality findings on recently journalised documents (station/title_check.h),
// re-filings and documents journalised per operator and day.
//
// "Today" is a parameter, so the ages can be tested against fixed dates; the route passes
// the local date.
//
// Thread-safety: uses the journal and the spool, so the caller holds StationState::lock.
#ifndef INTAKE_WEB_DASHBOARD_H_
#define INTAKE_WEB_DASHBOARD_H_

#include <chrono>
#include <nlohmann/json.hpp>

#include "base/result.h"
#include "storage/viewer.h"
#include "web/station_state.h"

namespace intake::web {

// A batch that has waited more working days than this is late (the same rule as
// `station batch list`).
inline constexpr int kMaxWaitingWorkingDays = 1;

struct DashboardOptions {
  std::chrono::year_month_day today;
  int days = 30;          // the period of the title, re-filing and throughput figures
  int examples = 5;       // title examples per finding
  int latest_moves = 10;  // re-filings listed
};

// The dashboard as JSON (web/API.md, GET /api/dashboard): "waiting", "titles",
// "refilings", "throughput". Reads only what `viewer` may see for titles and re-filings;
// the counts of waiting batches and of throughput name no case.
Result<nlohmann::json> DashboardJson(StationState& state, const storage::Viewer& viewer,
                                     const DashboardOptions& options);

}  // namespace intake::web

#endif  // INTAKE_WEB_DASHBOARD_H_
