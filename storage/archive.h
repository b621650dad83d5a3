// Archive: the registry of paper originals kept after scanning (issue #8). It answers
// "where is the original of this document?" and keeps the history of every original and
// every storage location: placed, moved, lent, returned, transferred, destroyed.
//
// The model:
//   - Locations form a tree: a site (or a remote store, or the city archive) at the top,
//     then building, room, shelving unit, shelf, box and folder, each with a unique
//     barcode and a name. A location's kind says what it may sit in (MayContain). Boxes
//     and folders may also be unplaced (not yet on a shelf).
//   - A journalised paper document has a disposition, chosen when it is journalised
//     (NewDocument::original): keep the original, return it to the sender, destruction
//     approved (with the approval's reference and date; only for document types the
//     configuration allows), or pending a decision. A document without one has no paper
//     original registered (it came in electronically).
//   - Everything that happens is an ArchiveEvent, appended and never changed (SQLite
//     triggers refuse UPDATE and DELETE) and recorded in the journal's hash-chained audit
//     log in the same transaction. A location's place, a document's box, loans and
//     whether something was destroyed or handed over are derived from the events.
//   - An original is in its box; a box is wherever the box was last moved. Lending a box
//     lends its contents; something on loan cannot be lent again, moved or placed until
//     it is returned. After a transfer to the city archive ("afleveret") nothing in it
//     changes any more; after destruction the document's original is gone for good.
//
// Barcodes are what hand scanners type and labels carry: 1 to 32 characters from A-Z,
// 0-9 and "-._/", with at least one letter (so a barcode is never mistaken for a document
// id or a CPR number), compared in upper case. Boxes get "K-<year>-<nnnn>" and other
// locations "L-<nnnnnn>" unless the archivist gives one.
//
// Thread-safety: like the Journal it belongs to (Journal::archive()): one thread at a time.
#ifndef INTAKE_STORAGE_ARCHIVE_H_
#define INTAKE_STORAGE_ARCHIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/viewer.h"

namespace intake::storage {

struct Actor;

enum class LocationKind {
  kSite,         // a site or building complex: "Rådhuset"
  kBuilding,     // "Bygning B"
  kRoom,         // "Kælderarkiv"
  kUnit,         // a shelving unit: "Reol 12"
  kShelf,        // "Hylde 3"
  kBox,          // an archive box: "Kasse K-2026-0345"
  kFolder,       // a folder in a box
  kOffsite,      // a remote store ("Fjernarkivet, Hedehusene"); top level like a site
  kCityArchive,  // the city archive (stadsarkivet); what is transferred there is handed over
};
// "site", "building", "room", "unit", "shelf", "box", "folder", "offsite", "city_archive".
std::string_view LocationKindName(LocationKind kind);
// "sted", "bygning", "rum", "reol", "hylde", "kasse", "mappe", "fjernarkiv", "stadsarkiv".
std::string_view LocationKindDanish(LocationKind kind);
// Accepts the stored names and the Danish ones (any case); nullopt otherwise.
std::optional<LocationKind> ParseLocationKind(std::string_view text);
// Whether a location of kind `child` may sit directly in one of kind `parent`: a kind
// sits in any kind above it in the order site/offsite/city archive > building > room >
// unit > shelf > box > folder. Sites, remote stores and the city archive sit nowhere.
bool MayContain(LocationKind parent, LocationKind child);
// Whether a location of this kind may be without a place (the top-level kinds, and boxes
// and folders not yet put on a shelf).
bool MayBeUnplaced(LocationKind kind);

// The barcode as compared and stored: trimmed, ASCII letters in upper case. Does not
// validate.
std::string NormaliseBarcode(std::string_view barcode);
// OkStatus for a valid (normalised) barcode; kInvalidArgument saying what is wrong
// otherwise (never quoting a CPR-like number).
Status CheckBarcode(std::string_view normalised);

// A loan: of a document's original, or of a box (and so of everything in it).
struct Loan {
  int64_t event_id = 0;  // the lend event
  std::optional<int64_t> document_id;  // a document's original, or
  std::optional<int64_t> location_id;  // a box or folder
  std::string subject;                 // Danish: "dokument 17" or "kasse K-2026-0345"
  std::string borrower;
  std::string due_date;  // YYYY-MM-DD
  std::string since;     // ISO 8601 UTC
  std::string actor;     // who lent it out
};

struct LocationRecord {
  int64_t id = 0;
  LocationKind kind = LocationKind::kBox;
  std::string barcode;  // normalised
  std::string name;     // "Reol 12"; a box created without a name is "Kasse <barcode>"
  std::optional<std::string> note;
  std::string created;  // ISO 8601 UTC
  // Derived from the events:
  std::optional<int64_t> parent_id;  // where it is now; nullopt when unplaced or top level
  std::optional<Loan> loan;          // its own loan, when lent out
  bool transferred = false;          // it or a location it is in was handed over
};

struct NewLocation {
  LocationKind kind = LocationKind::kBox;
  std::string name;  // required, except for boxes ("Kasse <barcode>")
  std::optional<std::string> barcode;  // generated when absent
  std::optional<std::string> parent_barcode;  // where it is; required unless MayBeUnplaced
  std::optional<std::string> note;
};

enum class Disposition {
  kKeep,                 // the original is kept (in a box or location)
  kReturnToSender,       // the original went back to the sender
  kDestructionApproved,  // may be destroyed: approval reference and date required
  kPending,              // no decision yet; the original is kept meanwhile
};
// "keep", "return", "destroy", "pending".
std::string_view DispositionName(Disposition d);
// "opbevares", "returneret til afsender", "destruktion godkendt", "afventer beslutning".
std::string_view DispositionDanish(Disposition d);
// Accepts the stored names and the Danish words ("opbevar", "returnér"/"returner",
// "destruér"/"destruer", "afvent"); nullopt otherwise.
std::optional<Disposition> ParseDisposition(std::string_view text);

// A disposition as chosen at journalising (NewDocument::original) or changed later.
struct OriginalDisposition {
  Disposition disposition = Disposition::kKeep;
  // kKeep and kPending: the box or location to put the original in now (optional: an
  // original to keep that is not yet placed waits in Archive::Unplaced()).
  std::optional<std::string> location_barcode;
  // kDestructionApproved: both required (the approval's reference, e.g. a journal number
  // or a decision's id, and its date YYYY-MM-DD, not in the future).
  std::optional<std::string> approval_ref;
  std::optional<std::string> approval_date;
  std::optional<std::string> note;
};

// What the registry knows about one document's original.
struct Whereabouts {
  enum class State {
    kNoOriginal,           // no paper original registered
    kAwaitingPlacement,    // to be kept (or pending) but not yet in a box
    kStored,               // in its box or location
    kOnLoan,               // lent out (itself, or the box it is in)
    kReturnedToSender,
    kTransferred,          // handed over to the city archive
    kDestroyed,
  };
  int64_t document_id = 0;
  std::optional<Disposition> disposition;
  State state = State::kNoOriginal;
  // Where it is (or, on loan, where it belongs): the chain of locations, the top first,
  // its own box or location last. Empty when it has no place.
  std::vector<LocationRecord> path;
  std::optional<Loan> loan;  // the document's own loan or its box's
  std::optional<std::string> approval_ref;   // kDestructionApproved, kDestroyed
  std::optional<std::string> approval_date;
  std::optional<std::string> since;  // ISO 8601 UTC of the event that made the state

  // "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 › Kasse K-2026-0345".
  std::string PathText() const;
  // One line in Danish for case and document views and `station archive where`:
  // "Rådhuset › … › Kasse K-2026-0345", "udlånt til Jens Hansen (Borgerservice) til
  // 2026-12-01; hører til i Rådhuset › …", "returneret til afsender 2026-11-27",
  // "afventer placering", "destrueret 2026-12-03 (godkendelse AR-2026-17)", "ingen
  // papiroriginal registreret" ...
  std::string Describe() const;
  // The line case and document views show: "Original opbevares: <Describe()>" while the
  // archive holds it (stored, on loan, awaiting placement), "Original: <Describe()>"
  // otherwise (returned, handed over, destroyed, none).
  std::string Line() const;
};
// "no_original", "awaiting_placement", "stored", "on_loan", "returned_to_sender",
// "transferred", "destroyed" (for JSON output).
std::string_view WhereaboutsStateName(Whereabouts::State state);

enum class ArchiveAction {
  kCreate,       // a location was registered (target: where it was put)
  kDisposition,  // a document's disposition was chosen or changed (target: where placed)
  kPlace,        // a document's original was put in a box or location (target)
  kMove,         // a location was moved (target: its new place)
  kLend,
  kReturn,
  kTransfer,     // handed over to the city archive (target: the city archive location)
  kDestroy,      // a document's original was destroyed
};
// "create", "disposition", "place", "move", "lend", "return", "transfer", "destroy".
std::string_view ArchiveActionName(ArchiveAction action);
// "oprettet", "disposition", "placeret", "flyttet", "udlånt", "returneret", "afleveret",
// "destrueret".
std::string_view ArchiveActionDanish(ArchiveAction action);

struct ArchiveEvent {
  int64_t id = 0;
  std::string time;  // ISO 8601 UTC
  std::string actor;
  ArchiveAction action = ArchiveAction::kCreate;
  std::optional<int64_t> document_id;  // the subject: a document's original, or
  std::optional<int64_t> location_id;  // a location
  std::optional<int64_t> target_id;    // where it was put (create, disposition, place,
                                       // move, transfer)
  std::optional<Disposition> disposition;
  std::optional<std::string> borrower;       // lend
  std::optional<std::string> due_date;       // lend
  std::optional<std::string> approval_ref;   // disposition (destruction), destroy
  std::optional<std::string> approval_date;  // disposition (destruction), destroy
  std::optional<std::string> method;         // destroy: "makulering", "destruktion" ...
  std::optional<std::string> reference;      // transfer: the handover's reference
  std::optional<std::string> note;
  // Danish one-liner for history views: "2026-11-27 10:02 anna: flyttet til Hylde 3 (L-000012)".
  std::string summary;
};

// An original in a box (or in a folder in it), for contents lists.
struct StoredOriginal {
  int64_t document_id = 0;
  int64_t case_id = 0;
  std::string case_system;
  std::string case_reference;
  int64_t doc_number = 0;
  std::string title;
  std::optional<std::string> received_date;
  std::optional<int64_t> folder_id;  // set when it is in a folder inside the box
  std::optional<Loan> loan;          // when the original itself is lent out
};

// What may be destroyed: only originals whose document type is listed (compared in lower
// case). Empty: no destruction at all (the default, until the archive rules are set).
struct DestructionPolicy {
  std::vector<std::string> document_types;
};

// Optional arguments of a lend.
struct LendRequest {
  std::string borrower;  // required: a name, a unit ("Jens Hansen, Borgerservice")
  std::string due_date;  // required: YYYY-MM-DD, today or later
  std::optional<std::string> note;
};

// The item of a lend or a return, a history or a transfer: a document's original or a
// location given by its barcode.
struct ArchiveItem {
  std::optional<int64_t> document_id;
  std::optional<std::string> barcode;
  static ArchiveItem Document(int64_t id) { return ArchiveItem{id, std::nullopt}; }
  static ArchiveItem Location(std::string code) { return ArchiveItem{std::nullopt, std::move(code)}; }
};

class Archive {
 public:
  virtual ~Archive() = default;

  // ---- locations ----
  // Registers a location. kAlreadyExists for a barcode in use; kInvalidArgument naming
  // the field for a bad kind/parent combination (MayContain), a missing name or a bad
  // barcode; kNotFound for an unknown parent; kFailedPrecondition for a parent that was
  // handed over.
  virtual Result<LocationRecord> AddLocation(const NewLocation& location, const Actor& actor) = 0;
  // kNotFound for an unknown barcode (the message names it and says how to list them).
  virtual Result<LocationRecord> FindLocation(std::string_view barcode) = 0;
  virtual Result<LocationRecord> GetLocation(int64_t id) = 0;
  // The locations directly in `parent` (nullopt: the top level and unplaced boxes and
  // folders), ordered by kind and name.
  virtual Result<std::vector<LocationRecord>> Children(std::optional<int64_t> parent) = 0;
  // The chain from the top down to the location itself.
  virtual Result<std::vector<LocationRecord>> PathOf(int64_t location_id) = 0;
  // Moves a location (typically a box) with everything in it. kInvalidArgument for a
  // move into itself or anything inside it, or a kind that may not sit there;
  // kFailedPrecondition when it (or something in it) is on loan, or it was handed over;
  // kNotFound for an unknown barcode. Moving it where it already is changes nothing.
  virtual Result<LocationRecord> Move(std::string_view barcode, std::string_view to_barcode,
                                     std::optional<std::string> note, const Actor& actor) = 0;

  // ---- originals ----
  // Records or changes a journalised document's disposition (with the same checks as at
  // journalising). kInvalidArgument for a destruction without approval reference or date,
  // or a type the policy does not allow; kFailedPrecondition when the original was
  // destroyed, handed over or is on loan; kNotFound for an unknown document or location.
  virtual Result<Whereabouts> SetDisposition(int64_t document_id, const OriginalDisposition& d,
                                             const Actor& actor) = 0;
  // Puts a document's original into a box, folder or other location (also moving it from
  // one box to another). A document without a disposition gets kKeep. kFailedPrecondition
  // when it was destroyed, returned to the sender, handed over, is on loan, or the target
  // is on loan or was handed over.
  virtual Result<Whereabouts> Place(int64_t document_id, std::string_view barcode,
                                    std::optional<std::string> note, const Actor& actor) = 0;
  // Lends out a document's original or a box/folder with its contents.
  // kFailedPrecondition when it (or the box it is in, or something in the box) is on loan
  // already, has no place, or was handed over or destroyed; kInvalidArgument for a blank
  // borrower or a bad or past due date.
  virtual Result<Loan> Lend(const ArchiveItem& item, const LendRequest& request,
                            const Actor& actor) = 0;
  // Ends the item's loan. kFailedPrecondition when it is not on loan (a document lent as
  // part of its box is returned with the box).
  virtual Result<Loan> Return(const ArchiveItem& item, std::optional<std::string> note,
                              const Actor& actor) = 0;
  // Hands a box, folder or other location (with its contents) or a single original over to
  // the city archive location `to_barcode` (kind kCityArchive), with the handover's
  // reference. Nothing in it changes after. kInvalidArgument when the target is not the
  // city archive or the reference is blank; kFailedPrecondition when on loan.
  virtual Result<std::vector<LocationRecord>> Transfer(const ArchiveItem& item,
                                                       std::string_view to_barcode,
                                                       std::string_view reference,
                                                       const Actor& actor) = 0;
  // Records the destruction of a document's original: its disposition must be
  // kDestructionApproved (with an approval), and it must not be on loan or handed over.
  // kInvalidArgument for a blank method.
  virtual Result<Whereabouts> Destroy(int64_t document_id, std::string_view method,
                                      std::optional<std::string> note, const Actor& actor) = 0;

  // ---- questions ----
  // Where the document's original is. kNotFound for an unknown document or one on a case
  // the viewer may not see.
  virtual Result<Whereabouts> Where(int64_t document_id, const Viewer& viewer) = 0;
  // The originals in a box or location (including those in its folders), by case and
  // running number; those on restricted cases the viewer may not see are left out.
  virtual Result<std::vector<StoredOriginal>> Contents(std::string_view barcode,
                                                       const Viewer& viewer) = 0;
  // Loans not returned, the oldest due first; `overdue_on` (YYYY-MM-DD) keeps only those
  // due before that date.
  virtual Result<std::vector<Loan>> Loans(std::optional<std::string> overdue_on) = 0;
  // Originals to keep (or pending) without a place, oldest first.
  virtual Result<std::vector<StoredOriginal>> Unplaced(const Viewer& viewer) = 0;
  // The events about a document's original or a location, oldest first. kNotFound for an
  // unknown document (or one the viewer may not see) or barcode.
  virtual Result<std::vector<ArchiveEvent>> History(const ArchiveItem& item,
                                                    const Viewer& viewer) = 0;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_ARCHIVE_H_
