// The API's route groups, one file each (web/api_*.cc). Each adds its routes to the
// router; the handlers keep a reference to the station state, which outlives the server.
// The API reference (web/API.md) lists every route with its roles and its summary.
#ifndef INTAKE_WEB_ROUTES_H_
#define INTAKE_WEB_ROUTES_H_

#include "web/router.h"
#include "web/station_state.h"

namespace intake::web {

// POST /api/login, POST /api/logout, GET /api/me, GET /api/routes (web/api_session.cc).
void AddSessionRoutes(Router& router, StationState& state);
// Scanners and profiles, scans and scan-to-folder pick-up as background jobs with their
// progress, and the caseworker's digitising onto their own case (web/api_scan.cc).
void AddScanRoutes(Router& router, StationState& state);
// Scanner profiles, scans, scan-to-folder pick-up, batches, pages, proposals, edits,
// title check and journalising (web/api_batches.cc).
void AddBatchRoutes(Router& router, StationState& state);
// Cases, documents, their PDFs, full-text search and the caseworker's own digitising
// (web/api_cases.cc).
void AddCaseRoutes(Router& router, StationState& state);
// The archive of paper originals: locations, boxes, place/move/lend/return, loans,
// labels (web/api_archive.cc).
void AddArchiveRoutes(Router& router, StationState& state);
// The manager dashboard: backlog by age, title findings, re-filings, throughput
// (web/api_dashboard.cc).
void AddDashboardRoutes(Router& router, StationState& state);

}  // namespace intake::web

#endif  // INTAKE_WEB_ROUTES_H_
