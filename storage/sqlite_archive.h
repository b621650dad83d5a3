// SqliteArchive: the SQLite backend of storage/archive.h, internal to storage/. It lives
// inside the SQLite journal (Journal::archive()) and borrows the journal's connection, its
// statement cache, its write transactions and its audit log, so an archive event and its
// audit entry commit together, and a disposition chosen at journalising commits with the
// document (RecordAtJournalising, called inside the journal's open transaction).
//
// Tables (schema.cc, version 6): archive_locations (immutable rows) and archive_events
// (append-only). Everything current is derived from the events:
//   - the place of a subject (a document's original or a location) is the target of its
//     newest event with places = 1 (none when that target is NULL);
//   - a loan is open while the subject's newest lend/return event is a lend;
//   - a document's disposition is its newest disposition (or place) event's;
//   - something is handed over when its place chain reaches a city archive location.
//
// Thread-safety: as the journal: one thread at a time.
#ifndef INTAKE_STORAGE_SQLITE_ARCHIVE_H_
#define INTAKE_STORAGE_SQLITE_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/archive.h"
#include "storage/database.h"
#include "storage/sql_util.h"

namespace intake::storage {

struct Actor;

// What the archive borrows from the journal that owns it.
struct ArchiveHost {
  Database* db = nullptr;
  StatementCache* cache = nullptr;
  // Runs `body` in one of the journal's write transactions: commits when it succeeds and
  // anchors the audit log after.
  std::function<Status(const std::function<Status()>& body)> in_transaction;
  // Appends an audit entry inside the open transaction.
  std::function<Status(const Actor& actor, std::string action, std::string entity, std::string id,
                       std::optional<std::string> before, std::optional<std::string> after)>
      audit;
};

class SqliteArchive final : public Archive {
 public:
  SqliteArchive(ArchiveHost host, DestructionPolicy policy);

  Result<LocationRecord> AddLocation(const NewLocation& location, const Actor& actor) override;
  Result<LocationRecord> FindLocation(std::string_view barcode) override;
  Result<LocationRecord> GetLocation(int64_t id) override;
  Result<std::vector<LocationRecord>> Children(std::optional<int64_t> parent) override;
  Result<std::vector<LocationRecord>> PathOf(int64_t location_id) override;
  Result<LocationRecord> Move(std::string_view barcode, std::string_view to_barcode,
                              std::optional<std::string> note, const Actor& actor) override;

  Result<Whereabouts> SetDisposition(int64_t document_id, const OriginalDisposition& d,
                                     const Actor& actor) override;
  Result<Whereabouts> Place(int64_t document_id, std::string_view barcode,
                            std::optional<std::string> note, const Actor& actor) override;
  Result<Loan> Lend(const ArchiveItem& item, const LendRequest& request,
                    const Actor& actor) override;
  Result<Loan> Return(const ArchiveItem& item, std::optional<std::string> note,
                      const Actor& actor) override;
  Result<std::vector<LocationRecord>> Transfer(const ArchiveItem& item, std::string_view to_barcode,
                                               std::string_view reference,
                                               const Actor& actor) override;
  Result<Whereabouts> Destroy(int64_t document_id, std::string_view method,
                              std::optional<std::string> note, const Actor& actor) override;

  Result<Whereabouts> Where(int64_t document_id, const Viewer& viewer) override;
  Result<std::vector<StoredOriginal>> Contents(std::string_view barcode,
                                               const Viewer& viewer) override;
  Result<std::vector<Loan>> Loans(std::optional<std::string> overdue_on) override;
  Result<std::vector<StoredOriginal>> Unplaced(const Viewer& viewer) override;
  Result<std::vector<ArchiveEvent>> History(const ArchiveItem& item, const Viewer& viewer) override;

  // Records the disposition chosen when the document was journalised. REQUIRES: the
  // journal's transaction that inserts the document is open.
  Status RecordAtJournalising(int64_t document_id, const std::optional<std::string>& doc_type,
                              const OriginalDisposition& d, const Actor& actor);

 private:
  // A document's original as its events tell it.
  struct OriginalFacts {
    bool archived = false;  // any event at all
    std::optional<Disposition> disposition;
    std::optional<std::string> approval_ref;
    std::optional<std::string> approval_date;
    std::optional<int64_t> place;  // the newest placing event's target
    bool destroyed = false;
    std::optional<Loan> loan;  // its own open loan
    std::optional<std::string> since;
    std::optional<std::string> doc_type;
  };
  // One event to append (the subject and its fields).
  struct NewEvent {
    ArchiveAction action = ArchiveAction::kCreate;
    std::optional<int64_t> document_id;
    std::optional<int64_t> location_id;
    std::optional<int64_t> target_id;
    bool places = false;
    std::optional<Disposition> disposition;
    std::optional<std::string> borrower, due_date, approval_ref, approval_date, method, reference,
        note;
  };

  Result<std::optional<LocationRecord>> LocationRow(int64_t id);
  Result<LocationRecord> ResolveBarcode(std::string_view barcode);
  // Fills parent, loan and transferred.
  Status Complete(LocationRecord& l);
  Result<std::optional<int64_t>> PlaceOfLocation(int64_t id);
  Result<std::optional<Loan>> OpenLoanOf(const ArchiveItem& subject);
  // The chain from the top down to `id` (completed records).
  Result<std::vector<LocationRecord>> Chain(int64_t id);
  // Every location inside `id` (folders in a box ...), not `id` itself.
  Result<std::vector<int64_t>> Descendants(int64_t id);
  // kNotFound for an unknown document; when `viewer` is given also for one it may not see.
  Result<OriginalFacts> Facts(int64_t document_id, const Viewer* viewer);
  Result<Whereabouts> Derive(int64_t document_id, const OriginalFacts& facts);
  // kFailedPrecondition when the original can no longer change (destroyed, handed over) or
  // is on loan; `what` names the operation in the message.
  Status CheckOriginalMayChange(int64_t document_id, const Whereabouts& w, std::string_view what);
  // A location something may be put into now: not on loan (nor anything it is in), not
  // handed over, not the city archive itself.
  Status CheckTargetUsable(const std::vector<LocationRecord>& chain);
  // Any open loan of something inside location `id` (documents and locations).
  Result<std::optional<Loan>> LoanInside(int64_t id);
  Status CheckDisposition(int64_t document_id, const std::optional<std::string>& doc_type,
                          const OriginalDisposition& d, std::optional<LocationRecord>* target);
  Status AppendDisposition(int64_t document_id, const OriginalDisposition& d,
                           const std::optional<LocationRecord>& target, const Actor& actor);
  // Appends the event and its audit entry. REQUIRES: an open transaction.
  Result<int64_t> Append(const NewEvent& e, const Actor& actor);
  Result<std::string> GenerateBarcode(LocationKind kind);
  Result<ArchiveEvent> ReadEvent(Statement& s);
  Result<std::vector<StoredOriginal>> OriginalsIn(const std::vector<int64_t>& containers,
                                                  const Viewer& viewer);
  std::string LocationLabel(int64_t id);

  ArchiveHost host_;
  DestructionPolicy policy_;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_SQLITE_ARCHIVE_H_
