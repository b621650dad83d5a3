// Journal: the station's system of record — cases, parties, intake batches and the
// documents journalised on cases — behind a backend-neutral interface. SQLite is the
// embedded backend (OpenSqliteJournal); a PostgreSQL backend for many stations can
// implement the same interface. Nothing in this header depends on SQLite.
//
// Promises every backend keeps:
//   - every change is recorded in the hash-chained audit log (who, when, what, before and
//     after) in the same transaction as the change itself;
//   - a registration is complete or absent: a journalised document's PDF is durable in the
//     file store before its row commits, and a file without a row is an orphan that the
//     next exclusive open sweeps into <file_store>/orphans/ and reports;
//   - CPR and CVR numbers are never stored, logged or returned in plain text, except by the
//     explicit and audited RevealPartyNumber;
//   - a received date, once recorded, does not change;
//   - a running number is given once on a case: a document re-filed to another case
//     (Refile) leaves its number taken, a DocumentMove and a note on the old case;
//   - reads honour case access restrictions (Viewer): a restricted case the viewer may not
//     see is reported as not found.
// The on-disk format and the crash-ordering argument are in storage/SCHEMA.md.
//
// Thread-safety: a Journal is used by one thread at a time (it owns one writer
// connection). Several Journals — in one process or in several — may use the same
// database and store at once; writers are serialised by the database.
#ifndef INTAKE_STORAGE_JOURNAL_H_
#define INTAKE_STORAGE_JOURNAL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/archive.h"
#include "storage/search.h"
#include "storage/users.h"
#include "storage/viewer.h"

namespace intake::storage {

enum class CaseStatus { kOpen, kDormant, kClosed };
// "open", "dormant", "closed" (as stored).
std::string_view CaseStatusName(CaseStatus status);
// "åben", "hvilende", "lukket".
std::string_view CaseStatusDanish(CaseStatus status);
// Accepts the stored names and the Danish ones; nullopt otherwise.
std::optional<CaseStatus> ParseCaseStatus(std::string_view text);

enum class PartyKind { kPerson, kCompany };
std::string_view PartyKindName(PartyKind kind);    // "person", "company"
std::string_view PartyKindDanish(PartyKind kind);  // "person", "virksomhed"

enum class Direction { kIn, kOut, kInternal };
std::string_view DirectionName(Direction direction);    // "in", "out", "internal"
std::string_view DirectionDanish(Direction direction);  // "indgående", "udgående", "internt"
// Accepts the stored names and the Danish ones; nullopt otherwise.
std::optional<Direction> ParseDirection(std::string_view text);

// A case reference as compared for uniqueness and lookups: surrounding white space
// removed, inner runs of white space as one space, Unicode dashes as '-', letters in
// upper case (including æ ø å). "27.24.00-g01-5-19 " and "27.24.00‐G01‐5‐19" are one
// reference. The reference itself is opaque (DOMAIN.md section 3); no format is assumed.
std::string NormaliseCaseReference(std::string_view reference);

// True for a real calendar date written YYYY-MM-DD.
bool IsIsoDate(std::string_view text);

// Who makes a change (the audit log's actor): a user or operator name, never a CPR.
struct Actor {
  std::string name;
};


struct NewCase {
  std::string system;     // the ESDH system, e.g. "SBSYS"; required
  std::string reference;  // as the ESDH writes it; required, unique per system
  std::string title;      // required
  CaseStatus status = CaseStatus::kOpen;
  std::optional<std::string> kle_subject;  // "NN.NN.NN"
  std::optional<std::string> kle_facet;    // "G01", "Ø30"
  std::optional<std::string> caseworker;
  std::optional<std::string> unit;
  bool restricted = false;
  // Who may see a restricted case; a restricted case without a group is visible only to
  // all-access viewers.
  std::optional<std::string> access_group;
};

struct CaseRecord {
  int64_t id = 0;
  std::string system;
  std::string reference;
  std::string reference_norm;
  std::string title;
  CaseStatus status = CaseStatus::kOpen;
  std::optional<std::string> kle_subject;
  std::optional<std::string> kle_facet;
  std::optional<std::string> caseworker;
  std::optional<std::string> unit;
  bool restricted = false;
  std::optional<std::string> access_group;
  std::string created;  // ISO 8601 UTC
};

// A party to add together with a case (AddCaseWithParties).
struct NewCaseParty {
  PartyKind kind = PartyKind::kPerson;
  std::string name;
  std::optional<std::string> number;  // a CPR or CVR in any usual writing; never logged
  std::string role = "part";
};

struct CaseFilter {
  std::optional<CaseStatus> status;
  std::optional<std::string> system;
  int limit = 0;  // 0: no limit
};

// A party as the journal shows it: never the plain number.
struct PartyRecord {
  int64_t id = 0;
  PartyKind kind = PartyKind::kPerson;
  std::string name;
  // A person's CPR as "DDMMYY-XXXX"; a company's CVR in full (CVR numbers are public).
  // nullopt when the party was recorded without a number.
  std::optional<std::string> masked_number;
  // The first 16 hex digits of the keyed HMAC: correlates entries (audit log, reports)
  // without the number. nullopt without a number.
  std::optional<std::string> number_ref;
  std::string created;
};

struct CaseParty {
  PartyRecord party;
  std::string role;  // "part", "ansøger", "klager", "værge" ...
};

// An intake batch: the spool's batch id and the post-opening date that becomes the
// received date of its documents.
struct IntakeBatch {
  std::string id;             // the spool batch id; required
  std::string name;           // may be ""
  std::string channel;        // "post", "scanner", "folder", "import" ...; required
  std::string operator_name;  // required
  std::string received_date;  // YYYY-MM-DD; required; immutable once recorded
  std::string created;        // set by the journal
};

// One page of a document, as analysed (ocr/ page analysis).
struct DocumentPage {
  int page_no = 0;                 // 1-based within the document
  std::optional<int> batch_seq;    // the page in its spool batch
  bool blank = false;
  int orientation = 0;             // degrees turned to make it upright
  double skew = 0;                 // degrees corrected
  std::optional<double> confidence;
  std::string analysis_json;       // the page analysis as JSON ("" for none)
};

struct NewDocument {
  int64_t case_id = 0;
  std::string title;  // required
  std::optional<std::string> description;
  Direction direction = Direction::kIn;
  std::optional<std::string> doc_type;     // "brev", "ansøgning", "klage", "notat" ...
  std::optional<std::string> letter_date;  // YYYY-MM-DD
  // The intake batch; its received date becomes the document's. An incoming document
  // needs a batch or an explicit received date.
  std::optional<std::string> batch_id;
  std::optional<std::string> received_date;  // YYYY-MM-DD; must equal the batch's if both
  std::vector<DocumentPage> pages;           // page_no 1..n in order
  std::string ocr_text;
  // The same key journalised again returns the first document and writes nothing (a
  // retried commit, the same batch pages twice). Recommended: batch id + page range.
  std::optional<std::string> idempotency_key;
  // The party-check override (DOMAIN.md section 10, item 1): the document names CPR or
  // CVR numbers that are not parties of its case, and an operator journalises it anyway.
  // `party_override_refs` are the number references (Journal::NumberRef, 16 hex digits,
  // never the numbers) of those numbers; they need a non-blank reason. Reason and refs go
  // into the document's audit entry ("party_override" in its after-JSON). A reason without
  // refs records an operator's confirmation without a party match.
  std::optional<std::string> party_override_reason;
  std::vector<std::string> party_override_refs;
  // What happens to the paper original (storage/archive.h), recorded in the same
  // transaction with the same checks as Archive::SetDisposition: a destruction needs an
  // approval and a document type the policy allows; a location must exist. nullopt: no
  // paper original (the document came in electronically).
  std::optional<OriginalDisposition> original;
};

struct DocumentRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t doc_number = 0;  // the running number on its case: 1, 2, 3 ...
  std::string title;
  std::optional<std::string> description;
  Direction direction = Direction::kIn;
  std::optional<std::string> doc_type;
  std::optional<std::string> letter_date;
  std::optional<std::string> received_date;
  std::string journal_date;  // ISO 8601 UTC
  std::string state;         // "journalised"
  std::optional<std::string> batch_id;
  int page_count = 0;
  std::string pdf_sha256;
  std::optional<std::string> idempotency_key;
  std::string created;
  // Filled by GetDocument (and Journalise); empty in ListDocuments.
  std::vector<DocumentPage> pages;
  std::string ocr_text;
  // True when Journalise found the idempotency key and returned the earlier document.
  bool existing = false;
};

// One re-filing (omjournalisering) of a document: from its place on one case to the next
// running number on another. The number it had stays taken on the old case.
struct DocumentMove {
  int64_t id = 0;
  int64_t document_id = 0;
  int64_t from_case_id = 0;
  int64_t from_doc_number = 0;
  int64_t to_case_id = 0;
  int64_t to_doc_number = 0;
  std::string reason;
  std::string actor;
  std::string time;  // ISO 8601 UTC
};

// A note on a case, written by the journal (a re-filing leaves one on the old case).
struct CaseNote {
  int64_t id = 0;
  int64_t case_id = 0;
  std::optional<int64_t> document_id;  // the document the note is about, if any
  std::string time;                    // ISO 8601 UTC
  std::string actor;
  std::string text;  // Danish
};

// Documents journalised by one actor on one day (the manager's throughput figures).
struct ActorDayCount {
  std::string actor;
  std::string day;  // YYYY-MM-DD, local time
  int64_t documents = 0;
};

// One audit log entry, for history views.
struct HistoryEntry {
  int64_t id = 0;
  std::string time;
  std::string actor;
  std::string action;
  std::string entity;
  std::string entity_id;
  std::optional<std::string> before;  // JSON
  std::optional<std::string> after;   // JSON
};

struct AuditReport {
  bool ok = true;
  int64_t entries = 0;
  std::vector<std::string> problems;  // Danish, each naming the entry
};

struct IntegrityReport {
  // Damage: database pages, broken foreign keys, missing or altered files, gaps in the
  // running numbers ... Each line in Danish, naming the table, document or file.
  std::vector<std::string> problems;
  // Files in the store that no row refers to (relative paths); not damage, but reported.
  std::vector<std::string> orphans;
  int64_t documents_checked = 0;
  int64_t files_checked = 0;
  bool ok() const { return problems.empty(); }
};

struct SweepReport {
  // Orphans moved: "<old relative path> -> orphans/<name>".
  std::vector<std::string> moved;
  // The sweep needs the store to itself; when another process has it open it is skipped.
  bool skipped = false;
};

struct JournalOptions {
  std::string database_path;  // required
  int busy_timeout_ms = 5000;
  std::string file_store_dir;  // required
  // The CPR/CVR key (storage/party_crypto.h); created on first use. Default: <dir of
  // database_path>/keys/party.key.
  std::string key_file;
  // The audit anchor (storage/audit_log.h). Default: <database_path>.anchor.
  std::string anchor_file;
  // Write the audit anchor at most this long after a commit, on a thread of its own, so a
  // burst of commits costs one anchor write (storage/anchor_writer.h); 0: write it inside
  // every commit. Closing the journal and VerifyAudit write what is pending.
  int anchor_delay_ms = 1000;
  // Sweep orphans while opening (skipped when other processes use the store).
  bool sweep_at_open = true;
  // Merge the search index on a thread of its own once no commit has come for this long
  // (storage/index_maintenance.h); 0: never (FTS5's crisis merges still bound the index).
  int idle_maintenance_ms = 500;
  // Which originals may be destroyed (storage/archive.h). Default: none.
  DestructionPolicy destruction;
  // Sessions, login throttling and password hashing cost (storage/users.h).
  UserOptions users;
  // Test seam: called at named points of Journalise ("file_stored", "before_commit",
  // "committed"), so a crash test can kill the process exactly there.
  std::function<void(std::string_view point)> crash_point_for_tests;
};

class Journal {
 public:
  virtual ~Journal() = default;

  // ---- cases ----
  // Adds a case. kAlreadyExists when the system already has the (normalised) reference;
  // kInvalidArgument naming the field for a missing or malformed one.
  virtual Result<CaseRecord> AddCase(const NewCase& c, const Actor& actor) = 0;
  // Adds a case with its parties (each added, or found by its number) and their links in
  // one transaction: all or nothing. Errors as AddCase, AddParty and LinkParty.
  virtual Result<CaseRecord> AddCaseWithParties(const NewCase& c,
                                                const std::vector<NewCaseParty>& parties,
                                                const Actor& actor) = 0;
  // Sets the status (audited with before and after; no entry when unchanged).
  // kNotFound for an unknown case.
  virtual Result<CaseRecord> UpdateCaseStatus(int64_t case_id, CaseStatus status,
                                              const Actor& actor) = 0;
  virtual Result<CaseRecord> GetCase(int64_t case_id, const Viewer& viewer) = 0;
  // `system` "" searches every system; kFailedPrecondition when the reference exists in
  // several (naming them), kNotFound when in none visible to `viewer`.
  virtual Result<CaseRecord> FindCaseByReference(std::string_view system,
                                                 std::string_view reference,
                                                 const Viewer& viewer) = 0;
  // Ordered by system and reference.
  virtual Result<std::vector<CaseRecord>> ListCases(const CaseFilter& filter,
                                                    const Viewer& viewer) = 0;

  // ---- parties ----
  // Adds a party, or returns the existing one with the same number (the same person is
  // one party). `number` is a CPR for kPerson, a CVR for kCompany, in any usual writing
  // ("010190-1234", "13 74 81 36"). kInvalidArgument for a malformed number, never
  // quoting it.
  virtual Result<PartyRecord> AddParty(PartyKind kind, std::string_view name,
                                       std::optional<std::string_view> number,
                                       const Actor& actor) = 0;
  // The party with this CPR (10 digits) or CVR (8 digits). kNotFound when none.
  virtual Result<PartyRecord> FindPartyByNumber(std::string_view number) = 0;
  // The number reference of a CPR (10 digits) or CVR (8 digits) in any usual writing: the
  // same 16 hex digits as PartyRecord::number_ref of a party with that number, whether or
  // not there is one. Stores nothing about the number (the key file is created on first
  // use, as for AddParty). kInvalidArgument for a malformed number, never quoting it.
  virtual Result<std::string> NumberRef(std::string_view number) = 0;
  virtual Result<PartyRecord> GetParty(int64_t party_id) = 0;
  // The plain number, for authorised use; the reveal is audited with `reason`.
  // kInvalidArgument without a reason; kNotFound for an unknown party or one without a
  // number.
  virtual Result<std::string> RevealPartyNumber(int64_t party_id, std::string_view reason,
                                                const Actor& actor) = 0;
  // Links a party to a case in a role; linking again in the same role changes nothing.
  virtual Status LinkParty(int64_t case_id, int64_t party_id, std::string_view role,
                           const Actor& actor) = 0;
  virtual Result<std::vector<CaseParty>> PartiesOf(int64_t case_id, const Viewer& viewer) = 0;
  virtual Result<std::vector<CaseRecord>> OpenCasesOfParty(int64_t party_id,
                                                           const Viewer& viewer) = 0;

  // ---- intake batches ----
  // Records a batch. Recording it again with the same received date returns the stored
  // batch; a different date is refused (kFailedPrecondition): the received date is
  // immutable.
  virtual Result<IntakeBatch> RecordBatch(const IntakeBatch& batch, const Actor& actor) = 0;
  virtual Result<IntakeBatch> GetBatch(std::string_view batch_id) = 0;

  // ---- documents ----
  // Journalises a document on its case with the next running number, its pages, OCR text
  // and audit entry in one transaction, after its PDF (`pdf_bytes`) is durable in the file
  // store. Refused with kFailedPrecondition for a closed or dormant case; kNotFound for an
  // unknown case or batch; kInvalidArgument naming the field for bad input, including
  // party_override_refs without a reason or a ref that is not 16 hex digits. With a known
  // idempotency key returns the earlier document (existing = true) and writes nothing.
  virtual Result<DocumentRecord> Journalise(const NewDocument& doc, std::string_view pdf_bytes,
                                            const Actor& actor) = 0;
  // The same, with the finished PDF at `pdf_path` (streamed into the store).
  virtual Result<DocumentRecord> JournaliseFile(const NewDocument& doc,
                                                const std::string& pdf_path,
                                                const Actor& actor) = 0;
  // With pages and OCR text. kNotFound for an unknown id or a case the viewer may not see.
  virtual Result<DocumentRecord> GetDocument(int64_t document_id, const Viewer& viewer) = 0;
  // The case's documents by running number, without pages and text.
  virtual Result<std::vector<DocumentRecord>> ListDocuments(int64_t case_id,
                                                            const Viewer& viewer) = 0;
  // Where the stored PDF with this SHA-256 lives.
  virtual std::string PdfPath(const std::string& sha256) const = 0;

  // ---- re-filing (omjournalisering) and case notes ----
  // Moves a journalised document to `to_case_id`, where it gets the next running number,
  // in one transaction: the document's new place, a DocumentMove row, a note on the old
  // case ("Dokument nr. 3 »titel« er omjournaliseret til sag SBSYS 27.24.00-G01-5-19 den
  // 25. november 2026 af anna. Begrundelse: ...") and the audit entries ("document.refile"
  // with the old and new place as before and after; "case.note" on the old case). The old
  // number stays taken on the old case: it is never given to another document. The old
  // case may have any status; the target must be open.
  // Returns the document as it is now. kInvalidArgument for a blank reason (or one with
  // a CPR-like number); kNotFound for an unknown document or case; kFailedPrecondition
  // when the target is closed or dormant, is the document's own case, or the document is
  // not journalised.
  virtual Result<DocumentRecord> Refile(int64_t document_id, int64_t to_case_id,
                                        std::string_view reason, const Actor& actor) = 0;
  // The notes on a case, oldest first. kNotFound for an unknown case or one the viewer may
  // not see.
  virtual Result<std::vector<CaseNote>> CaseNotes(int64_t case_id, const Viewer& viewer) = 0;
  // The re-filing history of a document, oldest first (empty when never moved). kNotFound
  // for an unknown document.
  virtual Result<std::vector<DocumentMove>> MovesOf(int64_t document_id) = 0;

  // ---- figures for the manager's dashboard (read-only) ----
  // Documents journalised at or after `since` (ISO 8601 UTC, e.g. "2026-11-01T00:00:00Z")
  // on cases `viewer` may see, oldest first, without pages and text.
  virtual Result<std::vector<DocumentRecord>> JournalisedSince(std::string_view since,
                                                               const Viewer& viewer) = 0;
  // Re-filings at or after `since` (ISO 8601 UTC), newest first, on every case: the caller
  // shows only those whose cases its viewer may see.
  virtual Result<std::vector<DocumentMove>> MovesSince(std::string_view since) = 0;
  // Documents journalised per actor and local day at or after `since` (ISO 8601 UTC), from
  // the audit log's "document.journalise" entries; ordered by day, then actor.
  virtual Result<std::vector<ActorDayCount>> JournalisedPerActorDay(std::string_view since) = 0;

  // ---- audit and integrity ----
  // Walks the audit chain and compares the anchor (storage/audit_log.h).
  virtual Result<AuditReport> VerifyAudit() = 0;
  // The audit entries about one entity ("case", "party", "batch", "document"), oldest
  // first.
  virtual Result<std::vector<HistoryEntry>> History(std::string_view entity,
                                                    std::string_view entity_id) = 0;
  // The database's own integrity check and foreign keys; every document's file present in
  // the store with the right hash; every stored file referenced (orphans listed);
  // running numbers without gaps (a number whose document was re-filed to another case
  // counts as taken); every document where its last re-filing put it; page counts. An
  // Error only when the check cannot run.
  virtual Result<IntegrityReport> IntegrityCheck() = 0;

  // ---- search ----
  // Full-text search over titles, descriptions and OCR text for `viewer` (storage/search.h:
  // the query language, ranking, snippets, access). Errors as storage::Search.
  virtual Result<SearchResults> Search(const SearchQuery& query, const Viewer& viewer) = 0;
  // Moves files no row refers to (and temporary files of interrupted writes) into
  // <file_store>/orphans/, when no other process has the store open.
  virtual Result<SweepReport> SweepOrphans() = 0;
  // What the sweep at open did.
  virtual const SweepReport& SweepAtOpen() const = 0;

  // ---- the archive of paper originals ----
  // The registry of where kept originals are (storage/archive.h), on the same database
  // and audit log; valid as long as the journal.
  virtual Archive& archive() = 0;

  // ---- users and sessions ----
  // The users of the web UI, their passwords and sessions (storage/users.h), on the same
  // database and audit log; valid as long as the journal.
  virtual UserStore& users() = 0;
};

// Opens (creating if needed) the SQLite journal: the database with WAL, foreign keys and
// the busy timeout, migrated to the current schema (storage/schema.h); the file store;
// then sweeps orphans (unless disabled) and catches up the audit anchor.
// kCorruption with a clear message for a damaged database file; kFailedPrecondition for a
// database from a newer station; kIOError when a file or folder cannot be used.
Result<std::unique_ptr<Journal>> OpenSqliteJournal(const JournalOptions& options);

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_JOURNAL_H_
