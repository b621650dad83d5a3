// The SQLite backend of storage/journal.h. One connection (the writer), prepared statements
// cached for its lifetime, BEGIN IMMEDIATE transactions around every change, each change
// and its audit entry committed together. Format and crash ordering: storage/SCHEMA.md.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "base/cpr_mask.h"
#include "base/danish_date.h"
#include "base/log.h"
#include "base/sha256.h"
#include "storage/anchor_writer.h"
#include "storage/audit_log.h"
#include "storage/database.h"
#include "storage/file_store.h"
#include "storage/index_maintenance.h"
#include "storage/journal.h"
#include "storage/party_crypto.h"
#include "storage/schema.h"
#include "storage/sql_util.h"
#include "storage/sqlite_archive.h"
#include "storage/sqlite_users.h"

namespace intake::storage {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxTitleBytes = 1000;
constexpr size_t kMaxFieldBytes = 200;
constexpr size_t kMaxDescriptionBytes = 10000;
constexpr size_t kMaxReasonBytes = 1000;
constexpr size_t kMaxOverrideRefs = 100;

// ---- SQL (each text is prepared once per connection) ----

#define CASE_COLUMNS                                                                         \
  "id, system, reference, reference_norm, title, status, kle_subject, kle_facet, caseworker, " \
  "unit, restricted, access_group, created"
#define DOC_COLUMNS                                                                           \
  "id, case_id, doc_number, title, description, direction, doc_type, letter_date, "          \
  "received_date, journal_date, state, batch_id, page_count, pdf_sha256, idempotency_key, " \
  "created"
#define PARTY_COLUMNS "id, kind, name, id_hmac, id_sealed, created"

constexpr const char kSelectCaseById[] = "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1";
constexpr const char kSelectCaseByRef[] =
    "SELECT " CASE_COLUMNS " FROM cases WHERE system = ?1 AND reference_norm = ?2";
constexpr const char kSelectCasesByRefAnySystem[] =
    "SELECT " CASE_COLUMNS " FROM cases WHERE reference_norm = ?1 ORDER BY system";
constexpr const char kListCases[] =
    "SELECT " CASE_COLUMNS " FROM cases WHERE (?1 IS NULL OR status = ?1) "
    "AND (?2 IS NULL OR system = ?2) ORDER BY system, reference_norm";
constexpr const char kInsertCase[] =
    "INSERT INTO cases (system, reference, reference_norm, title, status, kle_subject, "
    "kle_facet, caseworker, unit, restricted, access_group, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr const char kUpdateCaseStatus[] = "UPDATE cases SET status = ?2 WHERE id = ?1";

constexpr const char kSelectPartyById[] = "SELECT " PARTY_COLUMNS " FROM parties WHERE id = ?1";
constexpr const char kSelectPartyByHmac[] =
    "SELECT " PARTY_COLUMNS " FROM parties WHERE id_hmac = ?1";
constexpr const char kInsertParty[] =
    "INSERT INTO parties (kind, name, id_hmac, id_sealed, created) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char kInsertCaseParty[] =
    "INSERT OR IGNORE INTO case_parties (case_id, party_id, role) VALUES (?1, ?2, ?3)";
constexpr const char kPartiesOfCase[] =
    "SELECT p.id, p.kind, p.name, p.id_hmac, p.id_sealed, p.created, cp.role "
    "FROM case_parties cp JOIN parties p ON p.id = cp.party_id WHERE cp.case_id = ?1 "
    "ORDER BY cp.rowid";
constexpr const char kOpenCasesOfParty[] =
    "SELECT DISTINCT c.id FROM case_parties cp JOIN cases c ON c.id = cp.case_id "
    "WHERE cp.party_id = ?1 AND c.status = 'open' ORDER BY c.system, c.reference_norm";
constexpr const char kSelectMeta[] = "SELECT value FROM meta WHERE key = ?1";
constexpr const char kInsertMeta[] = "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)";

constexpr const char kSelectBatch[] =
    "SELECT id, name, channel, operator, received_date, created FROM batches WHERE id = ?1";
constexpr const char kInsertBatch[] =
    "INSERT INTO batches (id, name, channel, operator, received_date, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr const char kSelectDocById[] = "SELECT " DOC_COLUMNS " FROM documents WHERE id = ?1";
constexpr const char kSelectDocByKey[] =
    "SELECT " DOC_COLUMNS " FROM documents WHERE idempotency_key = ?1";
constexpr const char kSelectDocsOfCase[] =
    "SELECT " DOC_COLUMNS " FROM documents WHERE case_id = ?1 ORDER BY doc_number, id";
// Above every number on the case, including those whose documents were re-filed away
// (schema.cc, version 5): a number is never given twice.
constexpr const char kNextDocNumber[] =
    "SELECT max((SELECT COALESCE(MAX(doc_number), 0) FROM documents WHERE case_id = ?1), "
    "(SELECT COALESCE(MAX(from_number), 0) FROM document_moves WHERE from_case_id = ?1)) + 1";
constexpr const char kInsertFile[] =
    "INSERT OR IGNORE INTO files (sha256, size, kind, created) VALUES (?1, ?2, 'pdf', ?3)";
constexpr const char kNextDocumentId[] = "SELECT COALESCE(MAX(id), 0) + 1 FROM documents";
constexpr const char kDeferForeignKeys[] = "PRAGMA defer_foreign_keys = ON";
constexpr const char kInsertDocument[] =
    "INSERT INTO documents (case_id, doc_number, title, description, direction, doc_type, "
    "letter_date, received_date, journal_date, state, batch_id, page_count, pdf_sha256, "
    "idempotency_key, created, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'journalised', "
    "?10, ?11, ?12, ?13, ?9, ?14)";
constexpr const char kInsertPage[] =
    "INSERT INTO pages (document_id, page_no, batch_seq, blank, orientation, skew, confidence, "
    "analysis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char kInsertText[] =
    "INSERT INTO document_text (document_id, ocr_text) VALUES (?1, ?2)";
constexpr const char kSelectPages[] =
    "SELECT page_no, batch_seq, blank, orientation, skew, confidence, analysis FROM pages "
    "WHERE document_id = ?1 ORDER BY page_no";
constexpr const char kSelectText[] = "SELECT ocr_text FROM document_text WHERE document_id = ?1";
constexpr const char kFileReferenced[] =
    "SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = ?1) "
    "OR EXISTS (SELECT 1 FROM documents WHERE pdf_sha256 = ?1)";
constexpr const char kFileRegistered[] = "SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = ?1)";
constexpr const char kAuditCount[] = "SELECT count(*) FROM audit_log";
constexpr const char kMoveDocument[] =
    "UPDATE documents SET case_id = ?2, doc_number = ?3 WHERE id = ?1";
constexpr const char kInsertMove[] =
    "INSERT INTO document_moves (document_id, from_case_id, from_number, to_case_id, "
    "to_number, reason, actor, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char kSelectMoves[] =
    "SELECT id, document_id, from_case_id, from_number, to_case_id, to_number, reason, actor, "
    "time FROM document_moves WHERE document_id = ?1 ORDER BY id";
constexpr const char kSelectJournalisedSince[] =
    "SELECT d.id, d.case_id, d.doc_number, d.title, d.description, d.direction, d.doc_type, "
    "d.letter_date, d.received_date, d.journal_date, d.state, d.batch_id, d.page_count, "
    "d.pdf_sha256, d.idempotency_key, d.created, c.restricted, c.access_group FROM documents d "
    "JOIN cases c ON c.id = d.case_id "
    "WHERE d.state = 'journalised' AND d.journal_date >= ?1 ORDER BY d.journal_date, d.id";
constexpr const char kSelectMovesSince[] =
    "SELECT id, document_id, from_case_id, from_number, to_case_id, to_number, reason, actor, "
    "time FROM document_moves WHERE time >= ?1 ORDER BY time DESC, id DESC";
constexpr const char kJournalisedPerActorDay[] =
    "SELECT actor, date(time, 'localtime') AS day, count(*) FROM audit_log "
    "WHERE action = 'document.journalise' AND time >= ?1 GROUP BY day, actor ORDER BY day, actor";
constexpr const char kInsertNote[] =
    "INSERT INTO case_notes (case_id, document_id, time, actor, text) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char kSelectNotes[] =
    "SELECT id, case_id, document_id, time, actor, text FROM case_notes WHERE case_id = ?1 "
    "ORDER BY id";

constexpr const char kPartyKeyCheck[] = "party_key_check";

// ---- validation ----

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// A required or optional text field: valid UTF-8, within `max_bytes`, and (when
// `no_cpr`) without a CPR-like number (DOMAIN.md section 5: none in titles).
Status CheckText(std::string_view field, std::string_view value, bool required,
                 size_t max_bytes, bool no_cpr = true) {
  if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Invalid(std::string(field) + " mangler");
  }
  if (!IsValidUtf8(value)) {
    return Invalid(std::string(field) + " er ikke gyldig UTF-8-tekst");
  }
  if (value.size() > max_bytes) {
    return Invalid(std::string(field) + " er for lang (" + std::to_string(value.size()) +
                   " byte, højst " + std::to_string(max_bytes) + ")");
  }
  if (no_cpr && ContainsCprLike(value)) {
    return Invalid(std::string(field) +
                   " indeholder noget, der ligner et CPR-nummer; CPR-numre må ikke stå i "
                   "titler, navne og sagsnumre — fjern det");
  }
  return OkStatus();
}

Status CheckOptionalText(std::string_view field, const std::optional<std::string>& value,
                         size_t max_bytes) {
  return value ? CheckText(field, *value, false, max_bytes) : OkStatus();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "NN.NN.NN"
bool IsKleSubject(std::string_view s) {
  return s.size() == 8 && IsDigit(s[0]) && IsDigit(s[1]) && s[2] == '.' && IsDigit(s[3]) &&
         IsDigit(s[4]) && s[5] == '.' && IsDigit(s[6]) && IsDigit(s[7]);
}

// A capital letter (A-Z, Æ, Ø, Å) and two digits.
bool IsKleFacet(std::string_view s) {
  size_t letter = 0;
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') {
    letter = 1;
  } else if (s.starts_with("Æ") || s.starts_with("Ø") || s.starts_with("Å")) {
    letter = 2;
  }
  return letter > 0 && s.size() == letter + 2 && IsDigit(s[letter]) && IsDigit(s[letter + 1]);
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::optional<std::string> TrimOptional(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  std::string t = Trim(*s);
  if (t.empty()) return std::nullopt;
  return t;
}

// 16 lower-case hex digits: a number reference (PartyRecord::number_ref).
bool IsNumberRef(std::string_view s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(),
                                       [](char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); });
}

// The kind of party number its digit count says: 10 a CPR, 8 a CVR. kInvalidArgument
// naming the count, never the number.
Result<PartyNumberKind> NumberKindOf(std::string_view number) {
  size_t digits = 0;
  for (char c : number) digits += IsDigit(c) ? 1 : 0;
  if (digits == 10) return PartyNumberKind::kCpr;
  if (digits == 8) return PartyNumberKind::kCvr;
  return Invalid(
      "nummeret skal være et CPR-nummer (10 cifre) eller et CVR-nummer (8 cifre), "
      "men har " +
      std::to_string(digits) + " cifre");
}

// Today's date where the station is (its local time zone), YYYY-MM-DD: the date a user
// reads in a note.
std::string LocalDateIso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

// ---- JSON for the audit log ----

Json OptJson(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json CaseJson(const CaseRecord& c) {
  return Json{{"system", c.system},
              {"reference", c.reference},
              {"title", c.title},
              {"status", CaseStatusName(c.status)},
              {"kle_subject", OptJson(c.kle_subject)},
              {"kle_facet", OptJson(c.kle_facet)},
              {"caseworker", OptJson(c.caseworker)},
              {"unit", OptJson(c.unit)},
              {"restricted", c.restricted},
              {"access_group", OptJson(c.access_group)}};
}

Json PartyJson(const PartyRecord& p) {
  // Never the number: the truncated keyed HMAC correlates entries without it.
  return Json{{"kind", PartyKindName(p.kind)},
              {"name", p.name},
              {"number_ref", OptJson(p.number_ref)}};
}

Json BatchJson(const IntakeBatch& b) {
  return Json{{"name", b.name},
              {"channel", b.channel},
              {"operator", b.operator_name},
              {"received_date", b.received_date}};
}

Json DocumentJson(const DocumentRecord& d, const std::string& text_sha256) {
  return Json{{"case_id", d.case_id},
              {"doc_number", d.doc_number},
              {"title", d.title},
              {"description", OptJson(d.description)},
              {"direction", DirectionName(d.direction)},
              {"doc_type", OptJson(d.doc_type)},
              {"letter_date", OptJson(d.letter_date)},
              {"received_date", OptJson(d.received_date)},
              {"journal_date", d.journal_date},
              {"batch_id", OptJson(d.batch_id)},
              {"page_count", d.page_count},
              {"pdf_sha256", d.pdf_sha256},
              {"ocr_text_sha256", text_sha256},
              {"idempotency_key", OptJson(d.idempotency_key)}};
}

bool CanSee(const Viewer& viewer, const CaseRecord& c) {
  if (!c.restricted || viewer.all_access) return true;
  return c.access_group &&
         std::find(viewer.groups.begin(), viewer.groups.end(), *c.access_group) !=
             viewer.groups.end();
}

std::string CaseName(const CaseRecord& c) { return c.system + " " + c.reference; }

Error CaseNotFound(int64_t id) {
  return Error(ErrorCode::kNotFound, "sag nr. " + std::to_string(id) + " findes ikke");
}

// ---- row readers ----

CaseRecord ReadCase(Statement& s) {
  CaseRecord c;
  c.id = s.Int(0);
  c.system = s.Text(1);
  c.reference = s.Text(2);
  c.reference_norm = s.Text(3);
  c.title = s.Text(4);
  c.status = ParseCaseStatus(s.Text(5)).value_or(CaseStatus::kOpen);
  c.kle_subject = s.OptionalText(6);
  c.kle_facet = s.OptionalText(7);
  c.caseworker = s.OptionalText(8);
  c.unit = s.OptionalText(9);
  c.restricted = s.Int(10) != 0;
  c.access_group = s.OptionalText(11);
  c.created = s.Text(12);
  return c;
}

DocumentRecord ReadDocument(Statement& s) {
  DocumentRecord d;
  d.id = s.Int(0);
  d.case_id = s.Int(1);
  d.doc_number = s.Int(2);
  d.title = s.Text(3);
  d.description = s.OptionalText(4);
  d.direction = ParseDirection(s.Text(5)).value_or(Direction::kIn);
  d.doc_type = s.OptionalText(6);
  d.letter_date = s.OptionalText(7);
  d.received_date = s.OptionalText(8);
  d.journal_date = s.Text(9);
  d.state = s.Text(10);
  d.batch_id = s.OptionalText(11);
  d.page_count = static_cast<int>(s.Int(12));
  d.pdf_sha256 = s.Text(13);
  d.idempotency_key = s.OptionalText(14);
  d.created = s.Text(15);
  return d;
}

IntakeBatch ReadBatch(Statement& s) {
  IntakeBatch b;
  b.id = s.Text(0);
  b.name = s.OptionalText(1).value_or("");
  b.channel = s.Text(2);
  b.operator_name = s.Text(3);
  b.received_date = s.Text(4);
  b.created = s.Text(5);
  return b;
}

std::string ParentDir(const std::string& path) {
  const std::filesystem::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

struct SealedNumber {
  std::string hmac;
  std::string sealed;
};

// A case as it will be stored: trimmed, normalised and validated.
Result<CaseRecord> ValidateCase(const NewCase& given) {
  CaseRecord c;
  c.system = UpperAscii(Trim(given.system));
  c.reference = Trim(given.reference);
  c.reference_norm = NormaliseCaseReference(c.reference);
  c.title = Trim(given.title);
  c.status = given.status;
  c.kle_subject = TrimOptional(given.kle_subject);
  c.kle_facet = TrimOptional(given.kle_facet);
  c.caseworker = TrimOptional(given.caseworker);
  c.unit = TrimOptional(given.unit);
  c.restricted = given.restricted;
  c.access_group = TrimOptional(given.access_group);

  INTAKE_RETURN_IF_ERROR(CheckText("systemet", c.system, true, 64));
  if (c.system.find_first_of(" \t") != std::string::npos) {
    return Invalid("systemet '" + c.system + "' må ikke indeholde mellemrum");
  }
  INTAKE_RETURN_IF_ERROR(CheckText("sagsnummeret", c.reference, true, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckText("sagens titel", c.title, true, kMaxTitleBytes));
  if (c.kle_subject && !IsKleSubject(*c.kle_subject)) {
    return Invalid("KLE-emnet '" + *c.kle_subject + "' skal skrives NN.NN.NN, fx 27.24.00");
  }
  if (c.kle_facet && !IsKleFacet(*c.kle_facet)) {
    return Invalid("handlingsfacetten '" + *c.kle_facet +
                   "' skal være et stort bogstav og to cifre, fx G01");
  }
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("sagsbehandleren", c.caseworker, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("enheden", c.unit, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("adgangsgruppen", c.access_group, kMaxFieldBytes));
  return c;
}

class SqliteJournal final : public Journal {
 public:
  static Result<std::unique_ptr<Journal>> Open(const JournalOptions& options);

  Result<CaseRecord> AddCase(const NewCase& c, const Actor& actor) override;
  Result<CaseRecord> AddCaseWithParties(const NewCase& c, const std::vector<NewCaseParty>& parties,
                                        const Actor& actor) override;
  Result<CaseRecord> UpdateCaseStatus(int64_t case_id, CaseStatus status,
                                      const Actor& actor) override;
  Result<CaseRecord> GetCase(int64_t case_id, const Viewer& viewer) override;
  Result<CaseRecord> FindCaseByReference(std::string_view system, std::string_view reference,
                                         const Viewer& viewer) override;
  Result<std::vector<CaseRecord>> ListCases(const CaseFilter& filter,
                                            const Viewer& viewer) override;

  Result<PartyRecord> AddParty(PartyKind kind, std::string_view name,
                               std::optional<std::string_view> number,
                               const Actor& actor) override;
  Result<PartyRecord> FindPartyByNumber(std::string_view number) override;
  Result<std::string> NumberRef(std::string_view number) override;
  Result<PartyRecord> GetParty(int64_t party_id) override;
  Result<std::string> RevealPartyNumber(int64_t party_id, std::string_view reason,
                                        const Actor& actor) override;
  Status LinkParty(int64_t case_id, int64_t party_id, std::string_view role,
                   const Actor& actor) override;
  Result<std::vector<CaseParty>> PartiesOf(int64_t case_id, const Viewer& viewer) override;
  Result<std::vector<CaseRecord>> OpenCasesOfParty(int64_t party_id,
                                                   const Viewer& viewer) override;

  Result<IntakeBatch> RecordBatch(const IntakeBatch& batch, const Actor& actor) override;
  Result<IntakeBatch> GetBatch(std::string_view batch_id) override;

  Result<DocumentRecord> Journalise(const NewDocument& doc, std::string_view pdf_bytes,
                                    const Actor& actor) override;
  Result<DocumentRecord> JournaliseFile(const NewDocument& doc, const std::string& pdf_path,
                                        const Actor& actor) override;
  Result<DocumentRecord> GetDocument(int64_t document_id, const Viewer& viewer) override;
  Result<std::vector<DocumentRecord>> ListDocuments(int64_t case_id,
                                                    const Viewer& viewer) override;
  std::string PdfPath(const std::string& sha256) const override { return store_.Path(sha256); }

  Result<DocumentRecord> Refile(int64_t document_id, int64_t to_case_id, std::string_view reason,
                                const Actor& actor) override;
  Result<std::vector<CaseNote>> CaseNotes(int64_t case_id, const Viewer& viewer) override;
  Result<std::vector<DocumentMove>> MovesOf(int64_t document_id) override;

  Result<std::vector<DocumentRecord>> JournalisedSince(std::string_view since,
                                                       const Viewer& viewer) override;
  Result<std::vector<DocumentMove>> MovesSince(std::string_view since) override;
  Result<std::vector<ActorDayCount>> JournalisedPerActorDay(std::string_view since) override;

  Result<AuditReport> VerifyAudit() override;
  Result<std::vector<HistoryEntry>> History(std::string_view entity,
                                            std::string_view entity_id) override;
  Result<IntegrityReport> IntegrityCheck() override;
  Result<SearchResults> Search(const SearchQuery& query, const Viewer& viewer) override {
    return storage::Search(*db_, query, viewer);
  }
  Result<SweepReport> SweepOrphans() override;
  const SweepReport& SweepAtOpen() const override { return sweep_at_open_; }
  Archive& archive() override { return *archive_; }
  UserStore& users() override { return *users_; }

 private:
  SqliteJournal(JournalOptions options, std::unique_ptr<Database> db, FileStore store)
      : options_(std::move(options)),
        db_(std::move(db)),
        store_(std::move(store)),
        cache_(*db_),
        audit_(*db_, options_.anchor_file),
        anchor_writer_(options_.anchor_file, std::chrono::milliseconds(options_.anchor_delay_ms)) {
    ArchiveHost host;
    host.db = db_.get();
    host.cache = &cache_;
    host.in_transaction = [this](const std::function<Status()>& body) -> Status {
      Result<bool> done = InTransaction<bool>([&]() -> Result<bool> {
        INTAKE_RETURN_IF_ERROR(body());
        return true;
      });
      if (!done) return done.error();
      return OkStatus();
    };
    host.audit = [this](const Actor& actor, std::string action, std::string entity, std::string id,
                        std::optional<std::string> before, std::optional<std::string> after) {
      return Audit(actor, std::move(action), std::move(entity), std::move(id), std::move(before),
                   std::move(after));
    };
    users_ = std::make_unique<SqliteUsers>(host, options_.users);
    archive_ = std::make_unique<SqliteArchive>(std::move(host), options_.destruction);
  }

  // Runs `body` in a BEGIN IMMEDIATE transaction; commits when it succeeds, then hands the
  // newest audit entry to the anchor writer if the body appended to the audit log.
  template <typename T, typename Body>
  Result<T> InTransaction(Body&& body);
  Status Audit(const Actor& actor, std::string action, std::string entity, std::string id,
               std::optional<std::string> before, std::optional<std::string> after);
  void CrashPoint(std::string_view point) const {
    if (options_.crash_point_for_tests) options_.crash_point_for_tests(point);
  }

  Result<std::optional<CaseRecord>> LoadCase(int64_t case_id);
  // The pieces of the changes, run inside an open transaction.
  Result<CaseRecord> InsertCase(const CaseRecord& c, const Actor& actor);
  Result<PartyRecord> InsertOrFindParty(PartyKind kind, const std::string& name,
                                        const std::optional<SealedNumber>& number,
                                        const Actor& actor);
  Result<bool> InsertLink(int64_t case_id, const PartyRecord& party, const std::string& role,
                          const Actor& actor);
  // The HMAC and sealed form of a number (validated for `kind`), or nullopt without one.
  Result<std::optional<SealedNumber>> SealNumber(PartyKind kind,
                                                 std::optional<std::string_view> number);
  Result<PartyRecord> ReadParty(Statement& s);
  Result<std::optional<DocumentRecord>> LoadDocumentByKey(const std::string& key);
  Result<DocumentRecord> LoadDocumentFull(int64_t document_id);
  // The document's row (without pages and text). kNotFound for an unknown id.
  Result<DocumentRecord> LoadDocumentRow(int64_t document_id);
  // The next running number on a case (SCHEMA.md: never one given before).
  Result<int64_t> NextDocNumber(int64_t case_id);
  // The crypto, loading (or creating) the key and checking it against the journal.
  Result<const PartyCrypto*> Crypto();
  Status CheckOpenCase(const CaseRecord& c) const;
  // Validates `doc` and works out its received date; `doc` is the caller's copy.
  Status PrepareDocument(NewDocument& doc);
  Result<DocumentRecord> JournaliseStored(const NewDocument& doc, const std::string& sha256,
                                          int64_t size, const Actor& actor);
  template <typename Put>
  Result<DocumentRecord> JournaliseWith(const NewDocument& doc, const Actor& actor, Put&& put);

  JournalOptions options_;
  std::unique_ptr<Database> db_;
  FileStore store_;
  StatementCache cache_;  // after db_: destroyed before it
  AuditLog audit_;
  std::optional<PartyCrypto> crypto_;
  std::optional<AuditAnchor> audited_;  // the entry the open transaction appended last
  AnchorWriter anchor_writer_;
  SweepReport sweep_at_open_;
  std::unique_ptr<IndexMaintainer> maintainer_;  // null when idle_maintenance_ms is 0
  std::unique_ptr<SqliteArchive> archive_;       // borrows db_, cache_ and the audit log
  std::unique_ptr<SqliteUsers> users_;           // borrows db_, cache_ and the audit log
};

Result<std::unique_ptr<Journal>> SqliteJournal::Open(const JournalOptions& given) {
  JournalOptions options = given;
  assert(!options.database_path.empty() && !options.file_store_dir.empty());
  const std::string data_dir = ParentDir(options.database_path);
  if (options.key_file.empty()) options.key_file = data_dir + "/keys/party.key";
  if (options.anchor_file.empty()) options.anchor_file = options.database_path + ".anchor";

  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return Error(ErrorCode::kIOError,
                   FromErrno("kan ikke oprette mappen " + data_dir + " til journalen",
                             ec.value()).message());
    }
    ::chmod(data_dir.c_str(), 0750);
  }
  DatabaseOptions db_options;
  db_options.busy_timeout_ms = options.busy_timeout_ms;
  INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                          Database::Open(options.database_path, db_options));
  {
    auto migrated = MigrateToCurrent(*db);
    if (!migrated) return migrated.error();
  }
  INTAKE_ASSIGN_OR_RETURN(FileStore store, FileStore::Open(options.file_store_dir));
  std::unique_ptr<SqliteJournal> journal(
      new SqliteJournal(std::move(options), std::move(db), std::move(store)));

  // Catch the anchor up after a crash between a commit and its anchor write. A missing
  // anchor is created only for an empty log: for a non-empty one its absence is evidence
  // that `station audit verify` must see.
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement count, journal->cache_.Get(kAuditCount));
    INTAKE_ASSIGN_OR_RETURN(const bool row, count->Step());
    const int64_t entries = row ? count->Int(0) : 0;
    const bool anchor_exists = std::filesystem::exists(journal->options_.anchor_file, ec);
    if (anchor_exists || entries == 0) {
      Status anchored = journal->audit_.WriteAnchor();
      if (!anchored) log::Warning(anchored.error().message());
    } else {
      log::Warning("revisionsankeret " + journal->options_.anchor_file +
                   " mangler; kør 'station audit verify'");
    }
  }
  if (journal->options_.sweep_at_open) {
    INTAKE_ASSIGN_OR_RETURN(journal->sweep_at_open_, journal->SweepOrphans());
  }
  if (journal->options_.idle_maintenance_ms > 0) {
    journal->maintainer_ = std::make_unique<IndexMaintainer>(
        journal->options_.database_path,
        std::chrono::milliseconds(journal->options_.idle_maintenance_ms),
        journal->options_.busy_timeout_ms);
  }
  return std::unique_ptr<Journal>(std::move(journal));
}

template <typename T, typename Body>
Result<T> SqliteJournal::InTransaction(Body&& body) {
  Transaction transaction(*db_);
  INTAKE_RETURN_IF_ERROR(transaction.Begin());
  audited_.reset();
  Result<T> result = body();
  if (!result) return result;  // rolled back by the Transaction
  CrashPoint("before_commit");
  INTAKE_RETURN_IF_ERROR(transaction.Commit());
  CrashPoint("committed");
  if (maintainer_) maintainer_->NotifyCommit();
  // The change is committed; a failed anchor write only delays the anchor (the next
  // commit or open catches it up), so the writer logs it and the caller is not told.
  if (audited_) anchor_writer_.Publish(*audited_);
  return result;
}

Status SqliteJournal::Audit(const Actor& actor, std::string action, std::string entity,
                            std::string id, std::optional<std::string> before,
                            std::optional<std::string> after) {
  AuditEntry entry{actor.name,         std::move(action), std::move(entity), std::move(id),
                   std::move(before), std::move(after)};
  INTAKE_ASSIGN_OR_RETURN(const AuditRecord record, audit_.Append(entry));
  audited_ = AuditAnchor{record.id, record.hash};
  return OkStatus();
}

// ---- cases ----

Result<std::optional<CaseRecord>> SqliteJournal::LoadCase(int64_t case_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectCaseById));
  s->Bind(1, case_id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) return std::optional<CaseRecord>();
  return std::optional<CaseRecord>(ReadCase(*s));
}

Result<CaseRecord> SqliteJournal::InsertCase(const CaseRecord& c, const Actor& actor) {
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectCaseByRef));
    s->Bind(1, c.system).Bind(2, c.reference_norm);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (row) {
      const CaseRecord existing = ReadCase(*s);
      return Error(ErrorCode::kAlreadyExists,
                   "sagen " + CaseName(existing) + " findes allerede (id " +
                       std::to_string(existing.id) + ", titel '" + existing.title + "')");
    }
  }
  CaseRecord record = c;
  record.created = UtcNowIso();
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertCase));
    s->Bind(1, record.system)
        .Bind(2, record.reference)
        .Bind(3, record.reference_norm)
        .Bind(4, record.title)
        .Bind(5, CaseStatusName(record.status))
        .Bind(6, record.kle_subject)
        .Bind(7, record.kle_facet)
        .Bind(8, record.caseworker)
        .Bind(9, record.unit)
        .Bind(10, record.restricted ? 1 : 0)
        .Bind(11, record.access_group)
        .Bind(12, record.created);
    INTAKE_RETURN_IF_ERROR(s->Run());
  }
  record.id = db_->LastInsertId();
  INTAKE_RETURN_IF_ERROR(Audit(actor, "case.add", "case", std::to_string(record.id),
                               std::nullopt, Dump(CaseJson(record))));
  return record;
}

Result<CaseRecord> SqliteJournal::AddCase(const NewCase& given, const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(const CaseRecord c, ValidateCase(given));
  return InTransaction<CaseRecord>([&]() { return InsertCase(c, actor); });
}

Result<CaseRecord> SqliteJournal::AddCaseWithParties(const NewCase& given,
                                                     const std::vector<NewCaseParty>& parties,
                                                     const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(const CaseRecord c, ValidateCase(given));
  struct Prepared {
    PartyKind kind;
    std::string name;
    std::optional<SealedNumber> number;
    std::string role;
  };
  std::vector<Prepared> prepared;
  for (const NewCaseParty& p : parties) {
    Prepared one{p.kind, Trim(p.name), std::nullopt, Trim(p.role)};
    INTAKE_RETURN_IF_ERROR(CheckText("partens navn", one.name, true, kMaxFieldBytes));
    INTAKE_RETURN_IF_ERROR(CheckText("rollen", one.role, true, kMaxFieldBytes));
    std::optional<std::string_view> number;
    if (p.number) number = *p.number;
    INTAKE_ASSIGN_OR_RETURN(one.number, SealNumber(p.kind, number));
    prepared.push_back(std::move(one));
  }
  return InTransaction<CaseRecord>([&]() -> Result<CaseRecord> {
    INTAKE_ASSIGN_OR_RETURN(CaseRecord record, InsertCase(c, actor));
    for (const Prepared& p : prepared) {
      INTAKE_ASSIGN_OR_RETURN(PartyRecord party,
                              InsertOrFindParty(p.kind, p.name, p.number, actor));
      INTAKE_RETURN_IF_ERROR(InsertLink(record.id, party, p.role, actor));
    }
    return record;
  });
}

Result<CaseRecord> SqliteJournal::UpdateCaseStatus(int64_t case_id, CaseStatus status,
                                                   const Actor& actor) {
  return InTransaction<CaseRecord>([&]() -> Result<CaseRecord> {
    INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> before, LoadCase(case_id));
    if (!before) return CaseNotFound(case_id);
    if (before->status == status) return *before;
    CaseRecord after = *before;
    after.status = status;
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kUpdateCaseStatus));
      s->Bind(1, case_id).Bind(2, CaseStatusName(status));
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    INTAKE_RETURN_IF_ERROR(Audit(actor, "case.status", "case", std::to_string(case_id),
                                 Dump(CaseJson(*before)), Dump(CaseJson(after))));
    return after;
  });
}

Result<CaseRecord> SqliteJournal::GetCase(int64_t case_id, const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, LoadCase(case_id));
  if (!c || !CanSee(viewer, *c)) return CaseNotFound(case_id);
  return *c;
}

Result<CaseRecord> SqliteJournal::FindCaseByReference(std::string_view system,
                                                      std::string_view reference,
                                                      const Viewer& viewer) {
  const std::string norm = NormaliseCaseReference(reference);
  const std::string sys = UpperAscii(Trim(system));
  std::vector<CaseRecord> found;
  if (sys.empty()) {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectCasesByRefAnySystem));
    s->Bind(1, norm);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      CaseRecord c = ReadCase(*s);
      if (CanSee(viewer, c)) found.push_back(std::move(c));
    }
  } else {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectCaseByRef));
    s->Bind(1, sys).Bind(2, norm);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (row) {
      CaseRecord c = ReadCase(*s);
      if (CanSee(viewer, c)) found.push_back(std::move(c));
    }
  }
  if (found.empty()) {
    return Error(ErrorCode::kNotFound, "sagen " + (sys.empty() ? "" : sys + " ") +
                                           std::string(Trim(reference)) + " findes ikke");
  }
  if (found.size() > 1) {
    std::string systems;
    for (const auto& c : found) systems += (systems.empty() ? "" : ", ") + c.system;
    return Error(ErrorCode::kFailedPrecondition,
                 "sagsnummeret " + std::string(Trim(reference)) + " findes i flere systemer (" +
                     systems + "); angiv systemet");
  }
  return std::move(found.front());
}

Result<std::vector<CaseRecord>> SqliteJournal::ListCases(const CaseFilter& filter,
                                                         const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kListCases));
  if (filter.status) s->Bind(1, CaseStatusName(*filter.status));
  if (filter.system) s->Bind(2, UpperAscii(Trim(*filter.system)));
  std::vector<CaseRecord> out;
  for (;;) {
    if (filter.limit > 0 && static_cast<int>(out.size()) >= filter.limit) break;
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    CaseRecord c = ReadCase(*s);
    if (CanSee(viewer, c)) out.push_back(std::move(c));
  }
  return out;
}

// ---- parties ----

Result<const PartyCrypto*> SqliteJournal::Crypto() {
  if (crypto_) return &*crypto_;
  std::optional<std::string> stored_check;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectMeta));
    s->Bind(1, kPartyKeyCheck);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (row) stored_check = s->Text(0);
  }
  // With numbers already sealed, a missing key must not be replaced by a new one: every
  // lookup would then silently find nothing.
  auto loaded = PartyCrypto::Load(options_.key_file, /*create=*/!stored_check);
  if (!loaded) {
    if (loaded.error().code() == ErrorCode::kNotFound) {
      return Error(ErrorCode::kFailedPrecondition,
                   "nøglefilen " + options_.key_file +
                       " mangler, men journalen har krypterede CPR/CVR-numre; gendan "
                       "nøglefilen fra sikkerhedskopien");
    }
    return loaded.error();
  }
  const std::string check = loaded->KeyCheck();
  if (stored_check && *stored_check != check) {
    return Error(ErrorCode::kFailedPrecondition,
                 "nøglefilen " + options_.key_file +
                     " passer ikke til journalen (en anden nøgle); gendan den rigtige "
                     "nøglefil fra sikkerhedskopien");
  }
  if (!stored_check) {
    // Usually outside any transaction; inside one (a party read during a change) the
    // record joins it.
    const bool own_transaction = sqlite3_get_autocommit(db_->handle()) != 0;
    Transaction transaction(*db_);
    if (own_transaction) INTAKE_RETURN_IF_ERROR(transaction.Begin());
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertMeta));
      s->Bind(1, kPartyKeyCheck).Bind(2, check);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    {
      // Another process may have recorded its key first.
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectMeta));
      s->Bind(1, kPartyKeyCheck);
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row || s->Text(0) != check) {
        return Error(ErrorCode::kFailedPrecondition,
                     "nøglefilen " + options_.key_file +
                         " passer ikke til journalen (en anden nøgle); gendan den rigtige "
                         "nøglefil fra sikkerhedskopien");
      }
    }
    if (own_transaction) INTAKE_RETURN_IF_ERROR(transaction.Commit());
  }
  crypto_.emplace(std::move(*loaded));
  return &*crypto_;
}

Result<PartyRecord> SqliteJournal::ReadParty(Statement& s) {
  PartyRecord p;
  p.id = s.Int(0);
  p.kind = s.Text(1) == "company" ? PartyKind::kCompany : PartyKind::kPerson;
  p.name = s.Text(2);
  if (!s.IsNull(3)) p.number_ref = s.Text(3).substr(0, 16);
  if (!s.IsNull(4)) {
    const std::string sealed = s.Text(4);
    INTAKE_ASSIGN_OR_RETURN(const PartyCrypto* crypto, Crypto());
    INTAKE_ASSIGN_OR_RETURN(const std::string digits, crypto->Open(sealed));
    p.masked_number = MaskPartyNumber(
        digits, p.kind == PartyKind::kPerson ? PartyNumberKind::kCpr : PartyNumberKind::kCvr);
  }
  p.created = s.Text(5);
  return p;
}

Result<std::optional<SealedNumber>> SqliteJournal::SealNumber(
    PartyKind kind, std::optional<std::string_view> number) {
  if (!number) return std::optional<SealedNumber>();
  INTAKE_ASSIGN_OR_RETURN(
      const std::string digits,
      NormalisePartyNumber(*number, kind == PartyKind::kPerson ? PartyNumberKind::kCpr
                                                               : PartyNumberKind::kCvr));
  INTAKE_ASSIGN_OR_RETURN(const PartyCrypto* crypto, Crypto());
  return std::optional<SealedNumber>(SealedNumber{crypto->Hmac(digits), crypto->Seal(digits)});
}

Result<PartyRecord> SqliteJournal::InsertOrFindParty(PartyKind kind, const std::string& name,
                                                     const std::optional<SealedNumber>& number,
                                                     const Actor& actor) {
  if (number) {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectPartyByHmac));
    s->Bind(1, number->hmac);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (row) return ReadParty(*s);  // the same number is the same party
  }
  const std::string created = UtcNowIso();
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertParty));
    s->Bind(1, PartyKindName(kind)).Bind(2, name).Bind(5, created);
    if (number) {
      s->Bind(3, number->hmac).BindBlob(4, number->sealed);
    }
    INTAKE_RETURN_IF_ERROR(s->Run());
  }
  const int64_t id = db_->LastInsertId();
  INTAKE_ASSIGN_OR_RETURN(PartyRecord party, GetParty(id));
  INTAKE_RETURN_IF_ERROR(Audit(actor, "party.add", "party", std::to_string(id), std::nullopt,
                               Dump(PartyJson(party))));
  return party;
}

Result<PartyRecord> SqliteJournal::AddParty(PartyKind kind, std::string_view name,
                                            std::optional<std::string_view> number,
                                            const Actor& actor) {
  const std::string clean_name = Trim(name);
  INTAKE_RETURN_IF_ERROR(CheckText("partens navn", clean_name, true, kMaxFieldBytes));
  INTAKE_ASSIGN_OR_RETURN(const std::optional<SealedNumber> sealed, SealNumber(kind, number));
  return InTransaction<PartyRecord>(
      [&]() { return InsertOrFindParty(kind, clean_name, sealed, actor); });
}

Result<PartyRecord> SqliteJournal::FindPartyByNumber(std::string_view number) {
  INTAKE_ASSIGN_OR_RETURN(const PartyNumberKind kind, NumberKindOf(number));
  INTAKE_ASSIGN_OR_RETURN(const std::string normal, NormalisePartyNumber(number, kind));
  INTAKE_ASSIGN_OR_RETURN(const PartyCrypto* crypto, Crypto());
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectPartyByHmac));
  s->Bind(1, crypto->Hmac(normal));
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) {
    return Error(ErrorCode::kNotFound,
                 std::string("der er ingen part med det ") +
                     (kind == PartyNumberKind::kCpr ? "CPR-nummer" : "CVR-nummer"));
  }
  return ReadParty(*s);
}

Result<std::string> SqliteJournal::NumberRef(std::string_view number) {
  INTAKE_ASSIGN_OR_RETURN(const PartyNumberKind kind, NumberKindOf(number));
  INTAKE_ASSIGN_OR_RETURN(const std::string normal, NormalisePartyNumber(number, kind));
  INTAKE_ASSIGN_OR_RETURN(const PartyCrypto* crypto, Crypto());
  // As ReadParty shortens parties.id_hmac into PartyRecord::number_ref.
  return crypto->Hmac(normal).substr(0, 16);
}

Result<PartyRecord> SqliteJournal::GetParty(int64_t party_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectPartyById));
  s->Bind(1, party_id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) {
    return Error(ErrorCode::kNotFound, "part nr. " + std::to_string(party_id) + " findes ikke");
  }
  return ReadParty(*s);
}

Result<std::string> SqliteJournal::RevealPartyNumber(int64_t party_id, std::string_view reason,
                                                     const Actor& actor) {
  const std::string why = Trim(reason);
  INTAKE_RETURN_IF_ERROR(CheckText("begrundelsen for at vise nummeret", why, true,
                                   kMaxFieldBytes));
  INTAKE_ASSIGN_OR_RETURN(const PartyCrypto* crypto, Crypto());
  return InTransaction<std::string>([&]() -> Result<std::string> {
    std::string sealed;
    PartyRecord party;
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectPartyById));
      s->Bind(1, party_id);
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) {
        return Error(ErrorCode::kNotFound,
                     "part nr. " + std::to_string(party_id) + " findes ikke");
      }
      if (s->IsNull(4)) {
        return Error(ErrorCode::kNotFound,
                     "part nr. " + std::to_string(party_id) + " har intet CPR/CVR-nummer");
      }
      sealed = s->Text(4);
      INTAKE_ASSIGN_OR_RETURN(party, ReadParty(*s));
    }
    INTAKE_ASSIGN_OR_RETURN(std::string digits, crypto->Open(sealed));
    INTAKE_RETURN_IF_ERROR(Audit(actor, "party.reveal", "party", std::to_string(party_id),
                                 std::nullopt,
                                 Dump(Json{{"number_ref", OptJson(party.number_ref)},
                                           {"reason", why}})));
    return digits;
  });
}

Result<bool> SqliteJournal::InsertLink(int64_t case_id, const PartyRecord& party,
                                       const std::string& role, const Actor& actor) {
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertCaseParty));
    s->Bind(1, case_id).Bind(2, party.id).Bind(3, role);
    INTAKE_RETURN_IF_ERROR(s->Run());
  }
  if (db_->Changes() == 0) return false;  // linked before in this role
  Json after = PartyJson(party);
  after["party_id"] = party.id;
  after["role"] = role;
  INTAKE_RETURN_IF_ERROR(Audit(actor, "party.link", "case", std::to_string(case_id),
                               std::nullopt, Dump(after)));
  return true;
}

Status SqliteJournal::LinkParty(int64_t case_id, int64_t party_id, std::string_view role,
                                const Actor& actor) {
  const std::string clean_role = Trim(role);
  INTAKE_RETURN_IF_ERROR(CheckText("rollen", clean_role, true, kMaxFieldBytes));
  auto linked = InTransaction<bool>([&]() -> Result<bool> {
    INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, LoadCase(case_id));
    if (!c) return CaseNotFound(case_id);
    INTAKE_ASSIGN_OR_RETURN(PartyRecord party, GetParty(party_id));
    return InsertLink(case_id, party, clean_role, actor);
  });
  if (!linked) return linked.error();
  return OkStatus();
}

Result<std::vector<CaseParty>> SqliteJournal::PartiesOf(int64_t case_id, const Viewer& viewer) {
  INTAKE_RETURN_IF_ERROR(GetCase(case_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kPartiesOfCase));
  s->Bind(1, case_id);
  std::vector<CaseParty> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    CaseParty cp;
    INTAKE_ASSIGN_OR_RETURN(cp.party, ReadParty(*s));
    cp.role = s->Text(6);
    out.push_back(std::move(cp));
  }
  return out;
}

Result<std::vector<CaseRecord>> SqliteJournal::OpenCasesOfParty(int64_t party_id,
                                                                const Viewer& viewer) {
  std::vector<int64_t> ids;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kOpenCasesOfParty));
    s->Bind(1, party_id);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      ids.push_back(s->Int(0));
    }
  }
  std::vector<CaseRecord> out;
  for (int64_t id : ids) {
    INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, LoadCase(id));
    if (c && CanSee(viewer, *c)) out.push_back(std::move(*c));
  }
  return out;
}

// ---- batches ----

Result<IntakeBatch> SqliteJournal::RecordBatch(const IntakeBatch& given, const Actor& actor) {
  IntakeBatch batch = given;
  batch.id = Trim(batch.id);
  batch.name = Trim(batch.name);
  batch.channel = Trim(batch.channel);
  batch.operator_name = Trim(batch.operator_name);
  INTAKE_RETURN_IF_ERROR(CheckText("batchens id", batch.id, true, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckText("batchens navn", batch.name, false, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckText("batchens kanal", batch.channel, true, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckText("batchens operatør", batch.operator_name, true,
                                   kMaxFieldBytes));
  if (!IsIsoDate(batch.received_date)) {
    return Invalid("modtagelsesdatoen '" + batch.received_date + "' for batch " + batch.id +
                   " skal være en gyldig dato skrevet ÅÅÅÅ-MM-DD");
  }
  return InTransaction<IntakeBatch>([&]() -> Result<IntakeBatch> {
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectBatch));
      s->Bind(1, batch.id);
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (row) {
        IntakeBatch existing = ReadBatch(*s);
        if (existing.received_date != batch.received_date) {
          return Error(ErrorCode::kFailedPrecondition,
                       "modtagelsesdatoen for batch " + batch.id + " er registreret som " +
                           existing.received_date + " og kan ikke ændres til " +
                           batch.received_date);
        }
        return existing;
      }
    }
    batch.created = UtcNowIso();
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertBatch));
      s->Bind(1, batch.id)
          .Bind(2, batch.name)
          .Bind(3, batch.channel)
          .Bind(4, batch.operator_name)
          .Bind(5, batch.received_date)
          .Bind(6, batch.created);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    INTAKE_RETURN_IF_ERROR(Audit(actor, "batch.add", "batch", batch.id, std::nullopt,
                                 Dump(BatchJson(batch))));
    return batch;
  });
}

Result<IntakeBatch> SqliteJournal::GetBatch(std::string_view batch_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectBatch));
  s->Bind(1, batch_id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) {
    return Error(ErrorCode::kNotFound, "batch " + std::string(batch_id) + " findes ikke");
  }
  return ReadBatch(*s);
}

// ---- documents ----

Status SqliteJournal::CheckOpenCase(const CaseRecord& c) const {
  if (c.status == CaseStatus::kOpen) return OkStatus();
  return Error(ErrorCode::kFailedPrecondition,
               "sagen " + CaseName(c) + " er " + std::string(CaseStatusDanish(c.status)) +
                   "; der kan ikke journaliseres på den. Genåbn sagen i " + c.system +
                   " eller opret en ny sag");
}

Status SqliteJournal::PrepareDocument(NewDocument& doc) {
  if (doc.case_id <= 0) return Invalid("dokumentet mangler en sag");
  doc.title = Trim(doc.title);
  INTAKE_RETURN_IF_ERROR(CheckText("dokumentets titel", doc.title, true, kMaxTitleBytes));
  doc.description = TrimOptional(doc.description);
  INTAKE_RETURN_IF_ERROR(
      CheckOptionalText("dokumentets beskrivelse", doc.description, kMaxDescriptionBytes));
  doc.doc_type = TrimOptional(doc.doc_type);
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("dokumenttypen", doc.doc_type, kMaxFieldBytes));
  for (const auto* date : {&doc.letter_date, &doc.received_date}) {
    if (*date && !IsIsoDate(**date)) {
      return Invalid(std::string(date == &doc.letter_date ? "brevdatoen" : "modtagelsesdatoen") +
                     " '" + **date + "' skal være en gyldig dato skrevet ÅÅÅÅ-MM-DD");
    }
  }
  if (!IsValidUtf8(doc.ocr_text)) return Invalid("OCR-teksten er ikke gyldig UTF-8-tekst");
  if (doc.idempotency_key) {
    INTAKE_RETURN_IF_ERROR(CheckText("idempotensnøglen", *doc.idempotency_key, true,
                                     kMaxFieldBytes, /*no_cpr=*/false));
  }
  // The party-check override: refs only with a reason, and refs, never numbers. Neither
  // the reason's nor a ref's text is quoted in a message (a caller's mistake may have put a
  // CPR number there).
  doc.party_override_reason = TrimOptional(doc.party_override_reason);
  if (doc.party_override_reason) {
    INTAKE_RETURN_IF_ERROR(CheckText("begrundelsen for at tilsidesætte partskontrollen",
                                     *doc.party_override_reason, true, kMaxReasonBytes));
  }
  if (!doc.party_override_refs.empty()) {
    if (!doc.party_override_reason) {
      return Invalid(
          "begrundelsen for at tilsidesætte partskontrollen mangler: dokumentet nævner " +
          std::to_string(doc.party_override_refs.size()) +
          " CPR/CVR-nummer/numre, der ikke er parter på sagen; skriv hvorfor det "
          "alligevel hører til sagen, eller vælg den rigtige sag");
    }
    if (doc.party_override_refs.size() > kMaxOverrideRefs) {
      return Invalid("partskontrollen kan højst tilsidesættes for " +
                     std::to_string(kMaxOverrideRefs) + " numre pr. dokument, men fik " +
                     std::to_string(doc.party_override_refs.size()));
    }
    std::vector<std::string> refs;
    for (size_t i = 0; i < doc.party_override_refs.size(); ++i) {
      const std::string ref = Trim(doc.party_override_refs[i]);
      if (!IsNumberRef(ref)) {
        return Invalid("nummerreference nr. " + std::to_string(i + 1) +
                       " til partskontrollen er ikke 16 hexcifre; angiv referencen fra "
                       "NumberRef (PartyRecord.number_ref), aldrig selve CPR/CVR-nummeret");
      }
      if (std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(ref);
    }
    doc.party_override_refs = std::move(refs);
  }
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    DocumentPage& page = doc.pages[i];
    const int want = static_cast<int>(i) + 1;
    if (page.page_no == 0) page.page_no = want;
    if (page.page_no != want) {
      return Invalid("side " + std::to_string(i + 1) + " har sidenummer " +
                     std::to_string(page.page_no) + "; siderne skal være nummereret 1, 2, 3 …");
    }
    if (!page.analysis_json.empty() && !Json::accept(page.analysis_json)) {
      return Invalid("sideanalysen for side " + std::to_string(want) + " er ikke gyldig JSON");
    }
  }
  if (doc.batch_id) {
    INTAKE_ASSIGN_OR_RETURN(IntakeBatch batch, GetBatch(*doc.batch_id));
    if (doc.received_date && *doc.received_date != batch.received_date) {
      return Error(ErrorCode::kFailedPrecondition,
                   "modtagelsesdatoen " + *doc.received_date + " passer ikke med batch " +
                       batch.id + ", som er modtaget " + batch.received_date);
    }
    doc.received_date = batch.received_date;
  }
  if (doc.direction == Direction::kIn && !doc.received_date) {
    return Invalid("et indgående dokument skal have en modtagelsesdato (fra batchen)");
  }
  return OkStatus();
}

Result<std::optional<DocumentRecord>> SqliteJournal::LoadDocumentByKey(const std::string& key) {
  int64_t id = 0;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectDocByKey));
    s->Bind(1, key);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) return std::optional<DocumentRecord>();
    id = s->Int(0);
  }
  INTAKE_ASSIGN_OR_RETURN(DocumentRecord doc, LoadDocumentFull(id));
  doc.existing = true;
  return std::optional<DocumentRecord>(std::move(doc));
}

Result<DocumentRecord> SqliteJournal::LoadDocumentRow(int64_t document_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectDocById));
  s->Bind(1, document_id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) {
    return Error(ErrorCode::kNotFound,
                 "dokument nr. " + std::to_string(document_id) + " findes ikke");
  }
  return ReadDocument(*s);
}

Result<int64_t> SqliteJournal::NextDocNumber(int64_t case_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kNextDocNumber));
  s->Bind(1, case_id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  return row ? s->Int(0) : int64_t{1};
}

Result<DocumentRecord> SqliteJournal::LoadDocumentFull(int64_t document_id) {
  INTAKE_ASSIGN_OR_RETURN(DocumentRecord doc, LoadDocumentRow(document_id));
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectPages));
    s->Bind(1, document_id);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      DocumentPage page;
      page.page_no = static_cast<int>(s->Int(0));
      if (!s->IsNull(1)) page.batch_seq = static_cast<int>(s->Int(1));
      page.blank = s->Int(2) != 0;
      page.orientation = static_cast<int>(s->Int(3));
      page.skew = s->Real(4);
      if (!s->IsNull(5)) page.confidence = s->Real(5);
      page.analysis_json = s->OptionalText(6).value_or("");
      doc.pages.push_back(std::move(page));
    }
  }
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectText));
    s->Bind(1, document_id);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (row) doc.ocr_text = s->Text(0);
  }
  return doc;
}

template <typename Put>
Result<DocumentRecord> SqliteJournal::JournaliseWith(const NewDocument& given,
                                                     const Actor& actor, Put&& put) {
  NewDocument doc = given;
  INTAKE_RETURN_IF_ERROR(PrepareDocument(doc));
  // A known key: the earlier document, nothing written (not even the file).
  if (doc.idempotency_key) {
    INTAKE_ASSIGN_OR_RETURN(std::optional<DocumentRecord> existing,
                            LoadDocumentByKey(*doc.idempotency_key));
    if (existing) return std::move(*existing);
  }
  {
    INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, LoadCase(doc.case_id));
    if (!c) return CaseNotFound(doc.case_id);
    INTAKE_RETURN_IF_ERROR(CheckOpenCase(*c));
  }
  // The file is durable before the row that names it commits (SCHEMA.md, "Crash safety").
  INTAKE_ASSIGN_OR_RETURN(const std::string sha256, put());
  CrashPoint("file_stored");
  struct stat st;
  const int64_t size =
      ::stat(store_.Path(sha256).c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
  return JournaliseStored(doc, sha256, size, actor);
}

Result<DocumentRecord> SqliteJournal::JournaliseStored(const NewDocument& doc,
                                                       const std::string& sha256, int64_t size,
                                                       const Actor& actor) {
  return InTransaction<DocumentRecord>([&]() -> Result<DocumentRecord> {
    // Checked again under the write lock: another writer may have closed the case or
    // journalised the same key since.
    if (doc.idempotency_key) {
      INTAKE_ASSIGN_OR_RETURN(std::optional<DocumentRecord> existing,
                              LoadDocumentByKey(*doc.idempotency_key));
      if (existing) return std::move(*existing);
    }
    INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, LoadCase(doc.case_id));
    if (!c) return CaseNotFound(doc.case_id);
    INTAKE_RETURN_IF_ERROR(CheckOpenCase(*c));

    DocumentRecord d;
    d.case_id = doc.case_id;
    d.title = doc.title;
    d.description = doc.description;
    d.direction = doc.direction;
    d.doc_type = doc.doc_type;
    d.letter_date = doc.letter_date;
    d.received_date = doc.received_date;
    d.journal_date = UtcNowIso();
    d.created = d.journal_date;
    d.state = "journalised";
    d.batch_id = doc.batch_id;
    d.page_count = static_cast<int>(doc.pages.size());
    d.pdf_sha256 = sha256;
    d.idempotency_key = doc.idempotency_key;
    d.pages = doc.pages;
    d.ocr_text = doc.ocr_text;
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertFile));
      s->Bind(1, sha256).Bind(2, size).Bind(3, d.journal_date);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    INTAKE_ASSIGN_OR_RETURN(d.doc_number, NextDocNumber(d.case_id));
    // The text goes in before its document (the foreign key is checked at COMMIT), so the
    // search index takes title and text in one insert instead of indexing the title, then
    // removing it and indexing both (schema.cc, version 3 triggers).
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kNextDocumentId));
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      d.id = row ? s->Int(0) : 1;
    }
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kDeferForeignKeys));
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertText));
      s->Bind(1, d.id).Bind(2, d.ocr_text);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertDocument));
      s->Bind(1, d.case_id)
          .Bind(2, d.doc_number)
          .Bind(3, d.title)
          .Bind(4, d.description)
          .Bind(5, DirectionName(d.direction))
          .Bind(6, d.doc_type)
          .Bind(7, d.letter_date)
          .Bind(8, d.received_date)
          .Bind(9, d.journal_date)
          .Bind(10, d.batch_id)
          .Bind(11, d.page_count)
          .Bind(12, d.pdf_sha256)
          .Bind(13, d.idempotency_key)
          .Bind(14, d.id);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    for (const DocumentPage& page : doc.pages) {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertPage));
      s->Bind(1, d.id)
          .Bind(2, page.page_no)
          .Bind(4, page.blank ? 1 : 0)
          .Bind(5, page.orientation)
          .Bind(6, page.skew);
      if (page.batch_seq) s->Bind(3, *page.batch_seq);
      if (page.confidence) s->Bind(7, *page.confidence);
      if (!page.analysis_json.empty()) s->Bind(8, page.analysis_json);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    Json after = DocumentJson(d, Sha256Hex(d.ocr_text));
    if (doc.party_override_reason) {
      // In the tamper-evident log: who let which numbers through, and why.
      after["party_override"] =
          Json{{"reason", *doc.party_override_reason}, {"refs", doc.party_override_refs}};
    }
    INTAKE_RETURN_IF_ERROR(Audit(actor, "document.journalise", "document", std::to_string(d.id),
                                 std::nullopt, Dump(after)));
    if (doc.original) {
      // The original's disposition commits with the document, or neither does.
      INTAKE_RETURN_IF_ERROR(
          archive_->RecordAtJournalising(d.id, d.doc_type, *doc.original, actor));
    }
    return d;
  });
}

Result<DocumentRecord> SqliteJournal::Journalise(const NewDocument& doc,
                                                 std::string_view pdf_bytes,
                                                 const Actor& actor) {
  if (pdf_bytes.empty()) return Invalid("PDF-filen til dokumentet er tom");
  return JournaliseWith(doc, actor, [&] { return store_.Put(pdf_bytes); });
}

Result<DocumentRecord> SqliteJournal::JournaliseFile(const NewDocument& doc,
                                                     const std::string& pdf_path,
                                                     const Actor& actor) {
  std::error_code ec;
  if (std::filesystem::exists(pdf_path, ec) && std::filesystem::file_size(pdf_path, ec) == 0) {
    return Invalid("PDF-filen " + pdf_path + " er tom");
  }
  return JournaliseWith(doc, actor, [&] { return store_.PutFile(pdf_path); });
}

Result<DocumentRecord> SqliteJournal::GetDocument(int64_t document_id, const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(DocumentRecord doc, LoadDocumentFull(document_id));
  INTAKE_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, LoadCase(doc.case_id));
  if (c && !CanSee(viewer, *c)) {
    return Error(ErrorCode::kNotFound,
                 "dokument nr. " + std::to_string(document_id) + " findes ikke");
  }
  return doc;
}

Result<std::vector<DocumentRecord>> SqliteJournal::ListDocuments(int64_t case_id,
                                                                 const Viewer& viewer) {
  INTAKE_RETURN_IF_ERROR(GetCase(case_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectDocsOfCase));
  s->Bind(1, case_id);
  std::vector<DocumentRecord> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    out.push_back(ReadDocument(*s));
  }
  return out;
}

// ---- re-filing and case notes ----

Result<DocumentRecord> SqliteJournal::Refile(int64_t document_id, int64_t to_case_id,
                                             std::string_view reason, const Actor& actor) {
  const std::string why = Trim(reason);
  INTAKE_RETURN_IF_ERROR(
      CheckText("begrundelsen for omjournaliseringen", why, true, kMaxReasonBytes));
  return InTransaction<DocumentRecord>([&]() -> Result<DocumentRecord> {
    // Read under the write lock: another writer may have moved the document or closed the
    // target since the caller looked.
    INTAKE_ASSIGN_OR_RETURN(const DocumentRecord doc, LoadDocumentRow(document_id));
    const std::string doc_name = "dokument nr. " + std::to_string(document_id);
    if (doc.state != "journalised") {
      return Error(ErrorCode::kFailedPrecondition,
                   doc_name +
                       " er ikke journaliseret; kun journaliserede dokumenter kan "
                       "omjournaliseres");
    }
    INTAKE_ASSIGN_OR_RETURN(const std::optional<CaseRecord> from, LoadCase(doc.case_id));
    if (!from) return CaseNotFound(doc.case_id);
    INTAKE_ASSIGN_OR_RETURN(const std::optional<CaseRecord> to, LoadCase(to_case_id));
    if (!to) return CaseNotFound(to_case_id);
    if (to->id == from->id) {
      return Error(ErrorCode::kFailedPrecondition,
                   doc_name + " ligger allerede på sagen " + CaseName(*to) +
                       "; vælg den sag, det skal omjournaliseres til");
    }
    if (to->status != CaseStatus::kOpen) {
      return Error(ErrorCode::kFailedPrecondition,
                   "sagen " + CaseName(*to) + " er " + std::string(CaseStatusDanish(to->status)) +
                       "; " + doc_name + " kan ikke omjournaliseres til den. Genåbn sagen i " +
                       to->system + " eller vælg en åben sag");
    }
    const std::string now = UtcNowIso();
    INTAKE_ASSIGN_OR_RETURN(const int64_t new_number, NextDocNumber(to->id));
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kMoveDocument));
      s->Bind(1, document_id).Bind(2, to->id).Bind(3, new_number);
      INTAKE_RETURN_IF_ERROR(s->Run());
    }
    int64_t move_id = 0;
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertMove));
      s->Bind(1, document_id)
          .Bind(2, from->id)
          .Bind(3, doc.doc_number)
          .Bind(4, to->id)
          .Bind(5, new_number)
          .Bind(6, why)
          .Bind(7, actor.name)
          .Bind(8, now);
      INTAKE_RETURN_IF_ERROR(s->Run());
      move_id = db_->LastInsertId();
    }
    // The trace on the old case, in words a caseworker reads there.
    const std::string text = "Dokument nr. " + std::to_string(doc.doc_number) + " »" + doc.title +
                             "« er omjournaliseret til sag " + CaseName(*to) + " den " +
                             LongDanishDate(LocalDateIso()) + " af " + actor.name +
                             ". Begrundelse: " + why;
    int64_t note_id = 0;
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kInsertNote));
      s->Bind(1, from->id).Bind(2, document_id).Bind(3, now).Bind(4, actor.name).Bind(5, text);
      INTAKE_RETURN_IF_ERROR(s->Run());
      note_id = db_->LastInsertId();
    }
    const Json before{
        {"case_id", from->id}, {"case", CaseName(*from)}, {"doc_number", doc.doc_number}};
    const Json after{{"case_id", to->id},
                     {"case", CaseName(*to)},
                     {"doc_number", new_number},
                     {"reason", why},
                     {"move_id", move_id}};
    INTAKE_RETURN_IF_ERROR(Audit(actor, "document.refile", "document", std::to_string(document_id),
                                 Dump(before), Dump(after)));
    INTAKE_RETURN_IF_ERROR(
        Audit(actor, "case.note", "case", std::to_string(from->id), std::nullopt,
              Dump(Json{{"note_id", note_id}, {"document_id", document_id}, {"text", text}})));
    return LoadDocumentFull(document_id);
  });
}

Result<std::vector<CaseNote>> SqliteJournal::CaseNotes(int64_t case_id, const Viewer& viewer) {
  INTAKE_RETURN_IF_ERROR(GetCase(case_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectNotes));
  s->Bind(1, case_id);
  std::vector<CaseNote> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    CaseNote note;
    note.id = s->Int(0);
    note.case_id = s->Int(1);
    if (!s->IsNull(2)) note.document_id = s->Int(2);
    note.time = s->Text(3);
    note.actor = s->Text(4);
    note.text = s->Text(5);
    out.push_back(std::move(note));
  }
  return out;
}

// A row of kSelectMoves or kSelectMovesSince (the same columns).
DocumentMove ReadMove(const Statement& s) {
  DocumentMove m;
  m.id = s.Int(0);
  m.document_id = s.Int(1);
  m.from_case_id = s.Int(2);
  m.from_doc_number = s.Int(3);
  m.to_case_id = s.Int(4);
  m.to_doc_number = s.Int(5);
  m.reason = s.Text(6);
  m.actor = s.Text(7);
  m.time = s.Text(8);
  return m;
}

Result<std::vector<DocumentMove>> SqliteJournal::MovesOf(int64_t document_id) {
  INTAKE_RETURN_IF_ERROR(LoadDocumentRow(document_id));
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectMoves));
  s->Bind(1, document_id);
  std::vector<DocumentMove> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    out.push_back(ReadMove(*s));
  }
  return out;
}

// ---- figures for the manager's dashboard ----

Result<std::vector<DocumentRecord>> SqliteJournal::JournalisedSince(std::string_view since,
                                                                    const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectJournalisedSince));
  s->Bind(1, since);
  std::vector<DocumentRecord> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    CaseRecord access;
    access.restricted = s->Int(16) != 0;
    access.access_group = s->OptionalText(17);
    if (CanSee(viewer, access)) out.push_back(ReadDocument(*s));
  }
  return out;
}

Result<std::vector<DocumentMove>> SqliteJournal::MovesSince(std::string_view since) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kSelectMovesSince));
  s->Bind(1, since);
  std::vector<DocumentMove> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    out.push_back(ReadMove(*s));
  }
  return out;
}

Result<std::vector<ActorDayCount>> SqliteJournal::JournalisedPerActorDay(std::string_view since) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kJournalisedPerActorDay));
  s->Bind(1, since);
  std::vector<ActorDayCount> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    out.push_back(ActorDayCount{s->Text(0), s->Text(1), s->Int(2)});
  }
  return out;
}

// ---- audit and integrity ----

Result<AuditReport> SqliteJournal::VerifyAudit() {
  // This process's own commits are anchored before the anchor is compared.
  INTAKE_RETURN_IF_ERROR(anchor_writer_.Flush());
  INTAKE_ASSIGN_OR_RETURN(AuditVerification v, audit_.Verify());
  return AuditReport{v.ok, v.entries, std::move(v.problems)};
}

Result<std::vector<HistoryEntry>> SqliteJournal::History(std::string_view entity,
                                                         std::string_view entity_id) {
  INTAKE_ASSIGN_OR_RETURN(std::vector<AuditRecord> records,
                          audit_.History(std::string(entity), std::string(entity_id)));
  std::vector<HistoryEntry> out;
  out.reserve(records.size());
  for (auto& r : records) {
    out.push_back(HistoryEntry{r.id, std::move(r.time), std::move(r.entry.actor),
                               std::move(r.entry.action), std::move(r.entry.entity),
                               std::move(r.entry.entity_id), std::move(r.entry.before),
                               std::move(r.entry.after)});
  }
  return out;
}

Result<IntegrityReport> SqliteJournal::IntegrityCheck() {
  IntegrityReport report;
  INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> db_problems, db_->IntegrityCheck());
  for (auto& p : db_problems) report.problems.push_back("databasen: " + p);
  // The search indexes against the rows they were built from (schema.cc, versions 3, 4).
  for (const std::string name : {"documents_fts", "search_pairs"}) {
    if (Status fts = db_->Execute("INSERT INTO " + name + " (" + name +
                                  ", rank) VALUES ('integrity-check', 1)");
        !fts) {
      report.problems.push_back("søgeindekset " + name + " passer ikke med dokumenterne (" +
                                fts.error().message() + "); genopbyg det med: INSERT INTO " + name +
                                " (" + name + ") VALUES ('rebuild')");
    }
  }

  // The archive of originals: its tree of places (storage/sqlite_archive.h).
  INTAKE_RETURN_IF_ERROR(archive_->CheckIntegrity(report.problems));

  // Every journalised document: complete (pages, text), its file registered and intact.
  {
    INTAKE_ASSIGN_OR_RETURN(
        Statement docs,
        db_->Prepare("SELECT d.id, d.case_id, d.doc_number, d.pdf_sha256, d.page_count, "
                     "(SELECT count(*) FROM pages p WHERE p.document_id = d.id), "
                     "EXISTS (SELECT 1 FROM document_text t WHERE t.document_id = d.id), "
                     "EXISTS (SELECT 1 FROM files f WHERE f.sha256 = d.pdf_sha256), d.state "
                     "FROM documents d ORDER BY d.id"));
    std::set<std::string> verified;
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, docs.Step());
      if (!row) break;
      ++report.documents_checked;
      const std::string name = "dokument " + std::to_string(docs.Int(0)) + " (sag " +
                               std::to_string(docs.Int(1)) + ", nr. " +
                               std::to_string(docs.Int(2)) + ")";
      if (docs.Text(8) != "journalised") continue;
      if (docs.Int(4) != docs.Int(5)) {
        report.problems.push_back(name + ": " + std::to_string(docs.Int(5)) +
                                  " sider registreret, men sidetallet er " +
                                  std::to_string(docs.Int(4)));
      }
      if (docs.Int(6) == 0) report.problems.push_back(name + ": OCR-teksten mangler");
      const std::string sha = docs.Text(3);
      if (!IsSha256Hex(sha)) {
        report.problems.push_back(name + ": har ingen gyldig SHA-256 for sin PDF-fil");
        continue;
      }
      if (docs.Int(7) == 0) {
        report.problems.push_back(name + ": PDF-filen " + sha +
                                  " er ikke registreret i tabellen files");
      }
      if (!verified.insert(sha).second) continue;
      ++report.files_checked;
      Status ok = store_.Verify(sha);
      if (!ok) report.problems.push_back(name + ": " + ok.error().message());
    }
  }
  // Running numbers 1..n on every case, without gaps or repeats; a number whose document
  // was re-filed to another case is taken (document_moves, schema version 5).
  {
    INTAKE_ASSIGN_OR_RETURN(
        Statement gaps,
        db_->Prepare("SELECT case_id, count(*), count(DISTINCT n), max(n), min(n), sum(moved) "
                     "FROM (SELECT case_id, doc_number AS n, 0 AS moved FROM documents "
                     "      WHERE state = 'journalised' "
                     "      UNION ALL "
                     "      SELECT from_case_id, from_number, 1 FROM document_moves) "
                     "GROUP BY case_id "
                     "HAVING count(*) != max(n) OR min(n) != 1 OR count(DISTINCT n) != count(*) "
                     "ORDER BY case_id"));
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, gaps.Step());
      if (!row) break;
      const int64_t count = gaps.Int(1);
      const int64_t distinct = gaps.Int(2);
      const int64_t moved = gaps.Int(5);
      const bool repeats = distinct != count;
      const bool holes = distinct != gaps.Int(3) || gaps.Int(4) != 1;
      const std::string what =
          holes && repeats ? "huller og gentagelser" : (repeats ? "gentagelser" : "huller");
      report.problems.push_back(
          "sag " + std::to_string(gaps.Int(0)) + ": dokumentnumrene har " + what + " (" +
          std::to_string(count - moved) + " dokumenter" +
          (moved > 0 ? " og " + std::to_string(moved) + " omjournaliseret til andre sager" : "") +
          ", numre " + std::to_string(gaps.Int(4)) + "–" + std::to_string(gaps.Int(3)) + ")");
    }
  }
  // Every re-filed document where its last re-filing put it.
  {
    INTAKE_ASSIGN_OR_RETURN(
        Statement moves,
        db_->Prepare("SELECT m.document_id, m.to_case_id, m.to_number, d.case_id, d.doc_number "
                     "FROM document_moves m JOIN documents d ON d.id = m.document_id "
                     "WHERE m.id = (SELECT max(id) FROM document_moves "
                     "              WHERE document_id = m.document_id) "
                     "AND (d.case_id IS NOT m.to_case_id OR d.doc_number IS NOT m.to_number) "
                     "ORDER BY m.document_id"));
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, moves.Step());
      if (!row) break;
      report.problems.push_back(
          "dokument " + std::to_string(moves.Int(0)) + " ligger på sag " +
          std::to_string(moves.Int(3)) + " som nr. " + std::to_string(moves.Int(4)) +
          ", men dets seneste omjournalisering satte det på sag " + std::to_string(moves.Int(1)) +
          " som nr. " + std::to_string(moves.Int(2)));
    }
  }
  // Registered files that are gone from the store.
  {
    INTAKE_ASSIGN_OR_RETURN(Statement files, db_->Prepare("SELECT sha256 FROM files"));
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, files.Step());
      if (!row) break;
      const std::string sha = files.Text(0);
      if (!IsSha256Hex(sha) || !store_.Has(sha)) {
        report.problems.push_back("filen " + sha + " er registreret, men mangler i "
                                  "dokumentlageret " + store_.dir());
      }
    }
  }
  // Stored files no row refers to.
  INTAKE_ASSIGN_OR_RETURN(FileStore::Listing listing, store_.List());
  for (const std::string& sha : listing.files) {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kFileReferenced));
    s->Bind(1, sha);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row || s->Int(0) == 0) report.orphans.push_back(FileStore::RelativePath(sha));
  }
  for (auto& stray : listing.stray) report.orphans.push_back(std::move(stray));
  return report;
}

Result<SweepReport> SqliteJournal::SweepOrphans() {
  SweepReport report;
  INTAKE_ASSIGN_OR_RETURN(const bool exclusive, store_.TryLockExclusive());
  if (!exclusive) {
    report.skipped = true;
    return report;
  }
  // Only this process has the store open now: nothing is being written.
  Status swept = [&]() -> Status {
    INTAKE_ASSIGN_OR_RETURN(FileStore::Listing listing, store_.List());
    std::vector<std::string> orphans;
    for (const std::string& sha : listing.files) {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, cache_.Get(kFileReferenced));
      s->Bind(1, sha);
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row || s->Int(0) == 0) orphans.push_back(FileStore::RelativePath(sha));
    }
    for (auto& stray : listing.stray) orphans.push_back(std::move(stray));
    for (const std::string& relative : orphans) {
      INTAKE_ASSIGN_OR_RETURN(const std::string moved, store_.MoveToOrphans(relative));
      report.moved.push_back(relative + " -> " + moved);
      log::Warning("dokumentlageret " + store_.dir() + ": fil uden journalpost flyttet: " +
                   relative + " -> " + moved);
    }
    return OkStatus();
  }();
  Status shared = store_.LockShared();
  INTAKE_RETURN_IF_ERROR(swept);
  INTAKE_RETURN_IF_ERROR(shared);
  return report;
}

}  // namespace

Result<std::unique_ptr<Journal>> OpenSqliteJournal(const JournalOptions& options) {
  return SqliteJournal::Open(options);
}

}  // namespace intake::storage
