// The JSON of `station batch list --json` and `station batch show --json`, shared with the
// web API (web/api_batches.cc) so both say the same about a batch.
//
// Thread-safety: pure functions over their arguments; the spool calls follow
// storage::PageSpool's rules (one thread per batch).
#ifndef INTAKE_STATION_BATCH_JSON_H_
#define INTAKE_STATION_BATCH_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "station/batch_journal.h"
#include "storage/page_spool.h"

namespace intake::station {

// Waiting longer than this many whole working days since the received date is late
// (DOMAIN.md section 10: the queue-age alarm, "one working day").
inline constexpr int kMaxWaitingWorkingDays = 1;

// "modtaget i dag eller i går", "venter 3 arbejdsdage".
std::string WaitingText(int days);

// A prepared batch: pages (with their thumbnail paths, made when missing), documents with
// their case candidates, proposal, title, party check and warnings, the batch's warnings
// and the plan's edit history.
nlohmann::json BatchJson(const storage::PageSpool& spool, const PreparedBatch& batch);

// One entry of the batch list: name, received date, pages, documents (open), waiting
// working days and whether it is late; {"batch", "error"} when the batch cannot be read.
// nullopt for a batch whose documents are all journalised, unless `all`.
std::optional<nlohmann::json> BatchListEntry(const storage::PageSpool& spool,
                                             const std::string& batch_id, bool all);

}  // namespace intake::station

#endif  // INTAKE_STATION_BATCH_JSON_H_
