// The archive registry's records (storage/archive.h) as `station archive … --json` writes
// them and as the web API answers (web/api_archive.cc), plus what both need to print labels
// and contents lists (station/archive_labels.h) and to name things in Danish. One place, so
// the command line and the browser show the same JSON and the same text.
//
// Thread-safety: pure functions, except those taking an Archive or a Journal, which use it
// as that object allows (one thread at a time).
#ifndef INTAKE_STATION_ARCHIVE_VIEWS_H_
#define INTAKE_STATION_ARCHIVE_VIEWS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "station/archive_labels.h"
#include "storage/archive.h"
#include "storage/journal.h"

namespace intake::station {

// Most boxes created at once (`station archive box create --count`, POST
// /api/archive/boxes): a pallet of archive boxes.
inline constexpr int kMaxBoxesAtOnce = 200;
// Events shown with a location (`location show`, GET /api/archive/locations/{code}); all of
// them: `history`.
inline constexpr size_t kRecentEvents = 5;

// ---- dates ----

// "2026-12-01".
std::string IsoDay(std::chrono::year_month_day day);
// Whole days from `from` to `to` (both starting YYYY-MM-DD); 0 when either is not a date.
int DaysBetween(std::string_view from, std::string_view to);

// ---- text ----

// "Rådhuset › Kælderarkiv › Reol 12" (the names, the top first).
std::string ArchivePathNames(const std::vector<storage::LocationRecord>& path);
// "udlånt til Jens Hansen til 2026-12-01 (siden 2026-11-27, af anna)".
std::string ArchiveLoanText(const storage::Loan& loan);
// "Mappe 2 (L-000031)", or "mappe 31" when the folder cannot be read.
std::string FolderLabel(storage::Archive& archive, int64_t folder_id);
// "Dokument 17 »Ansøgning om byggetilladelse« (nr. 1 på sag SBSYS 27.24.00-G01-5-19)".
// kNotFound for an unknown document or one on a case the viewer may not see.
Result<std::string> DocumentLabel(storage::Journal& journal, const storage::Viewer& viewer,
                                  int64_t document_id);

// ---- JSON ----

// id, kind, kind_danish, barcode, name, note, created, parent_id, loan, transferred.
nlohmann::json LocationToJson(const storage::LocationRecord& r);
// [{id, kind, barcode, name}], the top first.
nlohmann::json LocationPathToJson(const std::vector<storage::LocationRecord>& path);
// document_id, case_id, case_system, case_reference, doc_number, title, received_date,
// folder_id, loan.
nlohmann::json StoredOriginalToJson(const storage::StoredOriginal& s);
// id, time, actor, action, document_id, location_id, target_id, disposition, borrower,
// due_date, approval_ref, approval_date, method, reference, note, summary.
nlohmann::json ArchiveEventToJson(const storage::ArchiveEvent& e);
// The loans (LoanToJson) each with "overdue_days" as of `on` (YYYY-MM-DD; 0 when not late).
nlohmann::json LoansToJson(const std::vector<storage::Loan>& loans, const std::string& on);
// `location show`: the location, its path and path_text, the locations directly in it,
// the number of originals in it, the number of events and the last `recent` of them.
nlohmann::json LocationShowToJson(const storage::LocationRecord& r,
                                  const std::vector<storage::LocationRecord>& path,
                                  const std::vector<storage::LocationRecord>& children,
                                  size_t originals,
                                  const std::vector<storage::ArchiveEvent>& events, size_t recent);

// `box contents`: {"location", "path", "originals"}.
nlohmann::json BoxContentsToJson(const storage::LocationRecord& box,
                                 const std::vector<storage::LocationRecord>& path,
                                 const std::vector<storage::StoredOriginal>& contents);

// ---- the tree ----

struct LocationTreeNode {
  storage::LocationRecord record;
  std::optional<size_t> originals;  // boxes and folders: the originals the viewer may see
  std::vector<LocationTreeNode> children;
};

// The number of originals in a box or folder (those the viewer may see); nullopt for other
// kinds of location.
Result<std::optional<size_t>> CountOriginals(storage::Archive& archive,
                                             const storage::Viewer& viewer,
                                             const storage::LocationRecord& r);
// `r` and everything in it.
Result<LocationTreeNode> BuildLocationTree(storage::Archive& archive, const storage::Viewer& viewer,
                                           storage::LocationRecord r);
// LocationToJson with "originals" (a number or null) and "children" (nodes).
nlohmann::json LocationTreeToJson(const LocationTreeNode& node);
// `location list`: {"in": the location listed (null: everything), "path": its path,
// "locations": the trees in it}.
nlohmann::json LocationListToJson(const storage::LocationRecord* in,
                                  const std::vector<storage::LocationRecord>& in_path,
                                  const std::vector<LocationTreeNode>& trees);

// ---- labels and contents lists ----

// What a location's label shows: its barcode, Danish kind, name and where it stands (its
// path without itself).
LabelSpec LocationLabelSpec(const storage::LocationRecord& r,
                            const std::vector<storage::LocationRecord>& path);
// The rows of a box's contents list: case, number, id, title, received date, and a note
// naming the folder it is in and its loan.
std::vector<ContentsEntry> ContentsEntriesFor(storage::Archive& archive,
                                              const std::vector<storage::StoredOriginal>& contents);

}  // namespace intake::station

#endif  // INTAKE_STATION_ARCHIVE_VIEWS_H_
