// What the journal commands (case, doc, audit, db) share: opening the journal named by the
// configuration, who the command acts as (the audit log's actor) and reads as (access to
// restricted cases), and the records as JSON.
//
// Thread-safety: used by one command on the main thread.
#ifndef INTAKE_STATION_JOURNAL_ACCESS_H_
#define INTAKE_STATION_JOURNAL_ACCESS_H_

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/result.h"
#include "config/config.h"
#include "station/command_context.h"
#include "storage/journal.h"
#include "storage/users.h"

namespace intake::station {

struct JournalSession {
  config::Config config;
  std::unique_ptr<storage::Journal> journal;
  // --actor, else the operating-system user name.
  storage::Actor actor;
  // The operating-system user and its groups; all cases for root.
  storage::Viewer viewer;
};

// The journal's files from the configuration: journal.database, journal.file_store,
// <station.data_dir>/keys/party.key and <station.data_dir>/audit.anchor.
storage::JournalOptions JournalOptionsFor(const config::Config& config);

// Loads the configuration, works out actor and viewer and opens the journal (creating it
// on first use). Orphans swept at open are reported on ctx.err.
Result<JournalSession> OpenJournalSession(CommandContext& ctx);

// A user of the web UI as `station user show --json` and GET /api/me give it (never the
// password hash).
nlohmann::json UserToJson(const storage::UserRecord& u);
nlohmann::json CaseToJson(const storage::CaseRecord& c);
nlohmann::json PartyToJson(const storage::CaseParty& p);
// Without pages and text unless `full`.
nlohmann::json DocumentToJson(const storage::DocumentRecord& d, bool full);
// A loan of an original or a box (storage/archive.h).
nlohmann::json LoanToJson(const storage::Loan& l);
// Where a document's paper original is (storage/archive.h): state, disposition, the
// Danish description, the path of locations (id, kind, barcode, name) and any loan.
nlohmann::json WhereaboutsToJson(const storage::Whereabouts& w);

}  // namespace intake::station

#endif  // INTAKE_STATION_JOURNAL_ACCESS_H_
