// The SQLite archive registry (storage/sqlite_archive.h).
#include "storage/sqlite_archive.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "base/cpr_mask.h"
#include "base/danish_ids.h"
#include "storage/journal.h"

namespace intake::storage {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxFieldBytes = 200;
constexpr size_t kMaxNoteBytes = 1000;
// Deeper than any real hierarchy (site ... folder is 7); guards the walk up the tree.
constexpr int kMaxDepth = 32;

#define LOCATION_COLUMNS "id, kind, barcode, name, note, created"
#define EVENT_COLUMNS                                                                   \
  "id, time, actor, action, document_id, location_id, target_id, places, disposition, " \
  "borrower, due_date, approval_ref, approval_date, method, reference, note"

constexpr const char kSelectLocationById[] =
    "SELECT " LOCATION_COLUMNS " FROM archive_locations WHERE id = ?1";
constexpr const char kSelectLocationByBarcode[] =
    "SELECT " LOCATION_COLUMNS " FROM archive_locations WHERE barcode = ?1";
constexpr const char kInsertLocation[] =
    "INSERT INTO archive_locations (kind, barcode, name, note, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char kBarcodesLike[] =
    "SELECT barcode FROM archive_locations WHERE barcode LIKE ?1";
constexpr const char kMaxLocationId[] = "SELECT COALESCE(MAX(id), 0) FROM archive_locations";
constexpr const char kPlaceOfLocation[] =
    "SELECT target_id FROM archive_events WHERE location_id = ?1 AND places = 1 "
    "ORDER BY id DESC LIMIT 1";
constexpr const char kLoanEventOfDocument[] =
    "SELECT " EVENT_COLUMNS
    " FROM archive_events WHERE document_id = ?1 "
    "AND action IN ('lend', 'return') ORDER BY id DESC LIMIT 1";
constexpr const char kLoanEventOfLocation[] =
    "SELECT " EVENT_COLUMNS
    " FROM archive_events WHERE location_id = ?1 "
    "AND action IN ('lend', 'return') ORDER BY id DESC LIMIT 1";
constexpr const char kEventsOfDocument[] =
    "SELECT " EVENT_COLUMNS " FROM archive_events WHERE document_id = ?1 ORDER BY id";
constexpr const char kEventsAboutLocation[] =
    "SELECT " EVENT_COLUMNS
    " FROM archive_events WHERE location_id = ?1 "
    "UNION SELECT " EVENT_COLUMNS " FROM archive_events WHERE target_id = ?1 ORDER BY 1";
constexpr const char kInsertEvent[] =
    "INSERT INTO archive_events (time, actor, action, document_id, location_id, target_id, "
    "places, disposition, borrower, due_date, approval_ref, approval_date, method, reference, "
    "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr const char kDocumentAccess[] =
    "SELECT d.doc_type, c.restricted, c.access_group FROM documents d "
    "JOIN cases c ON c.id = d.case_id WHERE d.id = ?1";
constexpr const char kDocumentListing[] =
    "SELECT d.id, d.case_id, c.system, c.reference, d.doc_number, d.title, d.received_date, "
    "c.restricted, c.access_group FROM documents d JOIN cases c ON c.id = d.case_id "
    "WHERE d.id = ?1";
// The subjects whose newest placing event puts them in ?1.
constexpr const char kLocationsIn[] =
    "SELECT e.location_id FROM archive_events e WHERE e.target_id = ?1 "
    "AND e.location_id IS NOT NULL AND e.id = (SELECT max(x.id) FROM archive_events x "
    "WHERE x.location_id = e.location_id AND x.places = 1)";
constexpr const char kDocumentsIn[] =
    "SELECT DISTINCT e.document_id FROM archive_events e WHERE e.target_id = ?1 "
    "AND e.document_id IS NOT NULL AND e.id = (SELECT max(x.id) FROM archive_events x "
    "WHERE x.document_id = e.document_id AND x.places = 1)";
constexpr const char kTopLocations[] =
    "SELECT l.id FROM archive_locations l WHERE (SELECT x.target_id FROM archive_events x "
    "WHERE x.location_id = l.id AND x.places = 1 ORDER BY x.id DESC LIMIT 1) IS NULL";
// Lend events with no later lend or return of the same subject.
constexpr const char kOpenLoans[] =
    "SELECT " EVENT_COLUMNS
    " FROM archive_events l WHERE l.action = 'lend' "
    "AND (?1 IS NULL OR l.due_date < ?1) AND NOT EXISTS (SELECT 1 FROM archive_events r "
    "WHERE ((l.document_id IS NOT NULL AND r.document_id = l.document_id) OR "
    "(l.location_id IS NOT NULL AND r.location_id = l.location_id)) AND r.id > l.id "
    "AND r.action IN ('lend', 'return')) ORDER BY l.due_date, l.id";
// Documents with a disposition to keep (or pending, or destruction approved) chosen without
// a place, whose newest placing event (if any) puts them nowhere: only they can be awaiting
// placement (the partial index archive_events_unplaced holds exactly those events).
constexpr const char kUnplacedCandidates[] =
    "SELECT DISTINCT e.document_id FROM archive_events e WHERE e.action = 'disposition' "
    "AND e.target_id IS NULL AND e.disposition <> 'return' AND (SELECT x.target_id FROM "
    "archive_events x WHERE x.document_id = e.document_id "
    "AND x.places = 1 ORDER BY x.id DESC LIMIT 1) IS NULL ORDER BY e.document_id";

Json OptJson(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }
Json OptJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A free-text field: present, not blank (when required), bounded, UTF-8 without control
// characters and without a CPR-like number. The message names `field` and never quotes it.
Status CheckText(std::string_view field, const std::string& value, size_t max_bytes) {
  if (IsBlank(value)) {
    return Error(ErrorCode::kInvalidArgument, std::string(field) + " mangler");
  }
  if (value.size() > max_bytes) {
    return Error(ErrorCode::kInvalidArgument, std::string(field) + " er for lang (højst " +
                                                  std::to_string(max_bytes) + " byte)");
  }
  if (!IsCleanUtf8(value, /*allow_tab=*/true)) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string(field) + " er ikke gyldig UTF-8-tekst eller indeholder styretegn");
  }
  if (ContainsCprLike(value)) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string(field) + " ligner et CPR-nummer; skriv det uden CPR-nummer");
  }
  return OkStatus();
}

Status CheckOptionalText(std::string_view field, const std::optional<std::string>& value,
                         size_t max_bytes) {
  if (!value) return OkStatus();
  return CheckText(field, *value, max_bytes);
}

std::string TodayIso() {
  const std::chrono::year_month_day today = LocalToday();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  return buf;
}

std::string DocumentName(int64_t id) { return "dokument " + std::to_string(id); }

std::string Label(const LocationRecord& l) {
  return std::string(LocationKindDanish(l.kind)) + " " + l.barcode;
}

std::optional<ArchiveAction> ParseAction(std::string_view name) {
  for (ArchiveAction a :
       {ArchiveAction::kCreate, ArchiveAction::kDisposition, ArchiveAction::kPlace,
        ArchiveAction::kMove, ArchiveAction::kLend, ArchiveAction::kReturn,
        ArchiveAction::kTransfer, ArchiveAction::kDestroy}) {
    if (ArchiveActionName(a) == name) return a;
  }
  return std::nullopt;
}

std::optional<int64_t> OptionalInt(Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return s.Int(column);
}

// The status of a result whose value is not needed.
template <typename T>
Status Discard(const Result<T>& r) {
  if (!r) return r.error();
  return OkStatus();
}

Error LoanRefusal(const Loan& loan, std::string_view what) {
  return Error(ErrorCode::kFailedPrecondition,
               loan.subject + " er udlånt til " + loan.borrower + " (til " + loan.due_date + "); " +
                   std::string(what) + " kan først ske, når " + loan.subject +
                   " er leveret tilbage (station archive return)");
}

}  // namespace

SqliteArchive::SqliteArchive(ArchiveHost host, DestructionPolicy policy)
    : host_(std::move(host)), policy_(std::move(policy)) {
  for (std::string& t : policy_.document_types) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
}

// ---- reading ----

Result<std::optional<LocationRecord>> SqliteArchive::LocationRow(int64_t id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSelectLocationById));
  s->Bind(1, id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) return std::optional<LocationRecord>();
  LocationRecord l;
  l.id = s->Int(0);
  const std::optional<LocationKind> kind = ParseLocationKind(s->Text(1));
  if (!kind) {
    return Error(ErrorCode::kCorruption,
                 "arkivplacering " + std::to_string(id) + " har en ukendt art");
  }
  l.kind = *kind;
  l.barcode = s->Text(2);
  l.name = s->Text(3);
  l.note = s->OptionalText(4);
  l.created = s->Text(5);
  return std::optional<LocationRecord>(std::move(l));
}

Result<std::optional<int64_t>> SqliteArchive::PlaceOfLocation(int64_t id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kPlaceOfLocation));
  s->Bind(1, id);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) return std::optional<int64_t>();
  return OptionalInt(*s, 0);
}

Result<std::optional<Loan>> SqliteArchive::OpenLoanOf(const ArchiveItem& subject) {
  const bool document = subject.document_id.has_value();
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s,
                          host_.cache->Get(document ? kLoanEventOfDocument : kLoanEventOfLocation));
  if (document) {
    s->Bind(1, *subject.document_id);
  } else {
    INTAKE_ASSIGN_OR_RETURN(const LocationRecord l, ResolveBarcode(*subject.barcode));
    s->Bind(1, l.id);
  }
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) return std::optional<Loan>();
  INTAKE_ASSIGN_OR_RETURN(const ArchiveEvent e, ReadEvent(*s));
  if (e.action != ArchiveAction::kLend) return std::optional<Loan>();
  Loan loan;
  loan.event_id = e.id;
  loan.document_id = e.document_id;
  loan.location_id = e.location_id;
  loan.borrower = e.borrower.value_or("");
  loan.due_date = e.due_date.value_or("");
  loan.since = e.time;
  loan.actor = e.actor;
  if (e.document_id) {
    loan.subject = DocumentName(*e.document_id);
  } else {
    loan.subject = LocationLabel(*e.location_id);
  }
  return std::optional<Loan>(std::move(loan));
}

std::string SqliteArchive::LocationLabel(int64_t id) {
  auto row = LocationRow(id);
  if (row && *row) return Label(**row);
  return "placering " + std::to_string(id);
}

Status SqliteArchive::Complete(LocationRecord& l) {
  INTAKE_ASSIGN_OR_RETURN(l.parent_id, PlaceOfLocation(l.id));
  INTAKE_ASSIGN_OR_RETURN(l.loan, OpenLoanOf(ArchiveItem::Location(l.barcode)));
  l.transferred = l.kind == LocationKind::kCityArchive;
  std::optional<int64_t> up = l.parent_id;
  for (int depth = 0; up && depth < kMaxDepth && !l.transferred; ++depth) {
    INTAKE_ASSIGN_OR_RETURN(std::optional<LocationRecord> p, LocationRow(*up));
    if (!p) break;
    l.transferred = p->kind == LocationKind::kCityArchive;
    INTAKE_ASSIGN_OR_RETURN(up, PlaceOfLocation(p->id));
  }
  return OkStatus();
}

Result<LocationRecord> SqliteArchive::ResolveBarcode(std::string_view barcode) {
  const std::string code = NormaliseBarcode(barcode);
  INTAKE_RETURN_IF_ERROR(CheckBarcode(code));
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSelectLocationByBarcode));
  s->Bind(1, code);
  INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) {
    return Error(ErrorCode::kNotFound,
                 "stregkoden " + code +
                     " kendes ikke i arkivet; se placeringerne med 'station archive location "
                     "list', eller opret den med 'station archive location add' / 'box create'");
  }
  const int64_t id = s->Int(0);
  INTAKE_ASSIGN_OR_RETURN(std::optional<LocationRecord> l, LocationRow(id));
  return std::move(*l);
}

Result<LocationRecord> SqliteArchive::FindLocation(std::string_view barcode) {
  INTAKE_ASSIGN_OR_RETURN(LocationRecord l, ResolveBarcode(barcode));
  INTAKE_RETURN_IF_ERROR(Complete(l));
  return l;
}

Result<LocationRecord> SqliteArchive::GetLocation(int64_t id) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<LocationRecord> l, LocationRow(id));
  if (!l) {
    return Error(ErrorCode::kNotFound, "arkivplacering " + std::to_string(id) + " findes ikke");
  }
  INTAKE_RETURN_IF_ERROR(Complete(*l));
  return std::move(*l);
}

Result<std::vector<LocationRecord>> SqliteArchive::Chain(int64_t id) {
  std::vector<LocationRecord> chain;
  std::optional<int64_t> at = id;
  std::set<int64_t> seen;
  while (at) {
    if (!seen.insert(*at).second || static_cast<int>(chain.size()) >= kMaxDepth) {
      return Error(ErrorCode::kCorruption,
                   "arkivets placeringer danner en løkke ved placering " + std::to_string(*at));
    }
    INTAKE_ASSIGN_OR_RETURN(std::optional<LocationRecord> l, LocationRow(*at));
    if (!l) {
      return Error(ErrorCode::kCorruption, "arkivplacering " + std::to_string(*at) + " mangler");
    }
    INTAKE_ASSIGN_OR_RETURN(l->parent_id, PlaceOfLocation(l->id));
    INTAKE_ASSIGN_OR_RETURN(l->loan, OpenLoanOf(ArchiveItem::Location(l->barcode)));
    at = l->parent_id;
    chain.push_back(std::move(*l));
  }
  std::reverse(chain.begin(), chain.end());
  bool transferred = false;
  for (LocationRecord& l : chain) {
    transferred = transferred || l.kind == LocationKind::kCityArchive;
    l.transferred = transferred;
  }
  return chain;
}

Result<std::vector<LocationRecord>> SqliteArchive::PathOf(int64_t location_id) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<LocationRecord> l, LocationRow(location_id));
  if (!l) {
    return Error(ErrorCode::kNotFound,
                 "arkivplacering " + std::to_string(location_id) + " findes ikke");
  }
  return Chain(location_id);
}

Result<std::vector<LocationRecord>> SqliteArchive::Children(std::optional<int64_t> parent) {
  std::vector<int64_t> ids;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s,
                            host_.cache->Get(parent ? kLocationsIn : kTopLocations));
    if (parent) s->Bind(1, *parent);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      ids.push_back(s->Int(0));
    }
  }
  std::vector<LocationRecord> out;
  for (const int64_t id : ids) {
    INTAKE_ASSIGN_OR_RETURN(LocationRecord l, GetLocation(id));
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(), [](const LocationRecord& a, const LocationRecord& b) {
    if (a.kind != b.kind) return static_cast<int>(a.kind) < static_cast<int>(b.kind);
    if (a.name != b.name) return a.name < b.name;
    return a.id < b.id;
  });
  return out;
}

Result<std::vector<int64_t>> SqliteArchive::Descendants(int64_t id) {
  std::vector<int64_t> out;
  std::vector<int64_t> todo{id};
  std::set<int64_t> seen{id};
  while (!todo.empty()) {
    const int64_t at = todo.back();
    todo.pop_back();
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kLocationsIn));
    s->Bind(1, at);
    std::vector<int64_t> found;
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      found.push_back(s->Int(0));
    }
    for (const int64_t child : found) {
      if (!seen.insert(child).second) continue;
      out.push_back(child);
      todo.push_back(child);
    }
  }
  return out;
}

Result<ArchiveEvent> SqliteArchive::ReadEvent(Statement& s) {
  ArchiveEvent e;
  e.id = s.Int(0);
  e.time = s.Text(1);
  e.actor = s.Text(2);
  const std::optional<ArchiveAction> action = ParseAction(s.Text(3));
  if (!action) {
    return Error(ErrorCode::kCorruption,
                 "arkivhændelse " + std::to_string(e.id) + " har en ukendt handling");
  }
  e.action = *action;
  e.document_id = OptionalInt(s, 4);
  e.location_id = OptionalInt(s, 5);
  e.target_id = OptionalInt(s, 6);
  if (const std::optional<std::string> d = s.OptionalText(8)) e.disposition = ParseDisposition(*d);
  e.borrower = s.OptionalText(9);
  e.due_date = s.OptionalText(10);
  e.approval_ref = s.OptionalText(11);
  e.approval_date = s.OptionalText(12);
  e.method = s.OptionalText(13);
  e.reference = s.OptionalText(14);
  e.note = s.OptionalText(15);
  return e;
}

Result<SqliteArchive::OriginalFacts> SqliteArchive::Facts(int64_t document_id,
                                                          const Viewer* viewer) {
  OriginalFacts f;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kDocumentAccess));
    s->Bind(1, document_id);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    bool visible = row;
    if (row && viewer != nullptr && s->Int(1) != 0 && !viewer->all_access) {
      const std::optional<std::string> group = s->OptionalText(2);
      visible = group && std::find(viewer->groups.begin(), viewer->groups.end(), *group) !=
                             viewer->groups.end();
    }
    if (!visible) {
      return Error(ErrorCode::kNotFound, DocumentName(document_id) +
                                             " findes ikke i journalen; se dokumentets id "
                                             "med 'station case show SAGSNR'");
    }
    f.doc_type = s->OptionalText(0);
  }
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kEventsOfDocument));
  s->Bind(1, document_id);
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) break;
    INTAKE_ASSIGN_OR_RETURN(ArchiveEvent e, ReadEvent(*s));
    const bool places = s->Int(7) != 0;
    f.archived = true;
    switch (e.action) {
      case ArchiveAction::kDisposition:
      case ArchiveAction::kPlace:
        if (e.disposition) f.disposition = e.disposition;
        if (e.action == ArchiveAction::kDisposition) {
          f.approval_ref = e.approval_ref;
          f.approval_date = e.approval_date;
        }
        break;
      case ArchiveAction::kDestroy:
        f.destroyed = true;
        if (e.approval_ref) f.approval_ref = e.approval_ref;
        if (e.approval_date) f.approval_date = e.approval_date;
        break;
      case ArchiveAction::kLend:
        f.loan = Loan{e.id,
                      e.document_id,
                      std::nullopt,
                      DocumentName(document_id),
                      e.borrower.value_or(""),
                      e.due_date.value_or(""),
                      e.time,
                      e.actor};
        break;
      case ArchiveAction::kReturn:
        f.loan.reset();
        break;
      default:
        break;
    }
    if (places) {
      f.place = e.target_id;
      f.since = e.time;
    } else if (e.action == ArchiveAction::kDisposition) {
      f.since = e.time;
    }
  }
  return f;
}

Result<Whereabouts> SqliteArchive::Derive(int64_t document_id, const OriginalFacts& f) {
  Whereabouts w;
  w.document_id = document_id;
  w.disposition = f.disposition;
  w.approval_ref = f.approval_ref;
  w.approval_date = f.approval_date;
  w.since = f.since;
  if (f.place) {
    INTAKE_ASSIGN_OR_RETURN(w.path, Chain(*f.place));
  }
  if (f.destroyed) {
    w.state = Whereabouts::State::kDestroyed;
    w.path.clear();
    return w;
  }
  if (!f.disposition) {
    w.state = Whereabouts::State::kNoOriginal;
    return w;
  }
  if (!f.place) {
    w.state = *f.disposition == Disposition::kReturnToSender
                  ? Whereabouts::State::kReturnedToSender
                  : Whereabouts::State::kAwaitingPlacement;
    return w;
  }
  if (!w.path.empty() && w.path.back().transferred) {
    w.state = Whereabouts::State::kTransferred;
    return w;
  }
  w.loan = f.loan;
  for (auto it = w.path.rbegin(); !w.loan && it != w.path.rend(); ++it) {
    if (it->loan) w.loan = it->loan;
  }
  w.state = w.loan ? Whereabouts::State::kOnLoan : Whereabouts::State::kStored;
  return w;
}

Result<Whereabouts> SqliteArchive::Where(int64_t document_id, const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(document_id, &viewer));
  return Derive(document_id, f);
}

Result<std::vector<StoredOriginal>> SqliteArchive::OriginalsIn(
    const std::vector<int64_t>& containers, const Viewer& viewer) {
  std::vector<std::pair<int64_t, int64_t>> found;  // (document, container)
  for (const int64_t container : containers) {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kDocumentsIn));
    s->Bind(1, container);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      found.emplace_back(s->Int(0), container);
    }
  }
  std::vector<StoredOriginal> out;
  for (const auto& [doc, container] : found) {
    StoredOriginal o;
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kDocumentListing));
      s->Bind(1, doc);
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) continue;
      if (s->Int(7) != 0 && !viewer.all_access) {
        const std::optional<std::string> group = s->OptionalText(8);
        if (!group ||
            std::find(viewer.groups.begin(), viewer.groups.end(), *group) == viewer.groups.end()) {
          continue;
        }
      }
      o.document_id = s->Int(0);
      o.case_id = s->Int(1);
      o.case_system = s->Text(2);
      o.case_reference = s->Text(3);
      o.doc_number = s->Int(4);
      o.title = s->Text(5);
      o.received_date = s->OptionalText(6);
    }
    if (container != containers.front()) o.folder_id = container;
    INTAKE_ASSIGN_OR_RETURN(o.loan, OpenLoanOf(ArchiveItem::Document(doc)));
    out.push_back(std::move(o));
  }
  std::sort(out.begin(), out.end(), [](const StoredOriginal& a, const StoredOriginal& b) {
    if (a.case_system != b.case_system) return a.case_system < b.case_system;
    if (a.case_reference != b.case_reference) return a.case_reference < b.case_reference;
    if (a.doc_number != b.doc_number) return a.doc_number < b.doc_number;
    return a.document_id < b.document_id;
  });
  return out;
}

Result<std::vector<StoredOriginal>> SqliteArchive::Contents(std::string_view barcode,
                                                            const Viewer& viewer) {
  INTAKE_ASSIGN_OR_RETURN(const LocationRecord l, ResolveBarcode(barcode));
  INTAKE_ASSIGN_OR_RETURN(std::vector<int64_t> containers, Descendants(l.id));
  containers.insert(containers.begin(), l.id);
  return OriginalsIn(containers, viewer);
}

Result<std::vector<Loan>> SqliteArchive::Loans(std::optional<std::string> overdue_on) {
  if (overdue_on && !IsIsoDate(*overdue_on)) {
    return Error(ErrorCode::kInvalidArgument,
                 "datoen for forfaldne lån skal skrives ÅÅÅÅ-MM-DD, fx 2026-12-01");
  }
  std::vector<ArchiveEvent> lends;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kOpenLoans));
    if (overdue_on) s->Bind(1, *overdue_on);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      INTAKE_ASSIGN_OR_RETURN(ArchiveEvent e, ReadEvent(*s));
      lends.push_back(std::move(e));
    }
  }
  std::vector<Loan> out;
  for (const ArchiveEvent& e : lends) {
    Loan loan{e.id,
              e.document_id,
              e.location_id,
              e.document_id ? DocumentName(*e.document_id) : LocationLabel(*e.location_id),
              e.borrower.value_or(""),
              e.due_date.value_or(""),
              e.time,
              e.actor};
    out.push_back(std::move(loan));
  }
  return out;
}

Result<std::vector<StoredOriginal>> SqliteArchive::Unplaced(const Viewer& viewer) {
  std::vector<int64_t> candidates;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kUnplacedCandidates));
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      candidates.push_back(s->Int(0));
    }
  }
  std::vector<StoredOriginal> out;
  for (const int64_t doc : candidates) {
    auto facts = Facts(doc, &viewer);
    if (!facts) {
      if (facts.error().code() == ErrorCode::kNotFound) continue;  // not for this viewer
      return facts.error();
    }
    INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(doc, *facts));
    if (w.state != Whereabouts::State::kAwaitingPlacement) continue;
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kDocumentListing));
    s->Bind(1, doc);
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    if (!row) continue;
    StoredOriginal o;
    o.document_id = s->Int(0);
    o.case_id = s->Int(1);
    o.case_system = s->Text(2);
    o.case_reference = s->Text(3);
    o.doc_number = s->Int(4);
    o.title = s->Text(5);
    o.received_date = s->OptionalText(6);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<ArchiveEvent>> SqliteArchive::History(const ArchiveItem& item,
                                                         const Viewer& viewer) {
  std::vector<ArchiveEvent> events;
  if (item.document_id) {
    INTAKE_RETURN_IF_ERROR(Discard(Facts(*item.document_id, &viewer)));
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kEventsOfDocument));
    s->Bind(1, *item.document_id);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      INTAKE_ASSIGN_OR_RETURN(ArchiveEvent e, ReadEvent(*s));
      events.push_back(std::move(e));
    }
  } else {
    INTAKE_ASSIGN_OR_RETURN(const LocationRecord l, ResolveBarcode(item.barcode.value_or("")));
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kEventsAboutLocation));
    s->Bind(1, l.id);
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      INTAKE_ASSIGN_OR_RETURN(ArchiveEvent e, ReadEvent(*s));
      events.push_back(std::move(e));
    }
  }
  // Danish one-liners.
  std::map<int64_t, std::string> labels;
  auto label = [&](int64_t id) -> const std::string& {
    auto it = labels.find(id);
    if (it == labels.end()) it = labels.emplace(id, LocationLabel(id)).first;
    return it->second;
  };
  for (ArchiveEvent& e : events) {
    std::string time = e.time.substr(0, 16);
    if (time.size() > 10) time[10] = ' ';
    std::string what = e.document_id ? DocumentName(*e.document_id) : label(*e.location_id);
    std::string text =
        time + " " + e.actor + ": " + what + " " + std::string(ArchiveActionDanish(e.action));
    switch (e.action) {
      case ArchiveAction::kDisposition:
        if (e.disposition) text += " " + std::string(DispositionDanish(*e.disposition));
        if (e.approval_ref)
          text += " (godkendelse " + *e.approval_ref + " af " + e.approval_date.value_or("?") + ")";
        if (e.target_id) text += ", placeret i " + label(*e.target_id);
        break;
      case ArchiveAction::kCreate:
        if (e.target_id) text += " i " + label(*e.target_id);
        break;
      case ArchiveAction::kPlace:
      case ArchiveAction::kMove:
        text += e.target_id ? " til " + label(*e.target_id) : std::string(" (uden placering)");
        break;
      case ArchiveAction::kTransfer:
        if (e.target_id) text += " til " + label(*e.target_id);
        if (e.reference) text += " (afleveringsreference " + *e.reference + ")";
        break;
      case ArchiveAction::kLend:
        text += " til " + e.borrower.value_or("?") + ", skal tilbage senest " +
                e.due_date.value_or("?");
        break;
      case ArchiveAction::kReturn:
        break;
      case ArchiveAction::kDestroy:
        if (e.method) text += " ved " + *e.method;
        if (e.approval_ref) text += " (godkendelse " + *e.approval_ref + ")";
        break;
    }
    if (e.note) text += ". Note: " + *e.note;
    e.summary = MaskCpr(text);
  }
  return events;
}

Status SqliteArchive::CheckIntegrity(std::vector<std::string>& problems) {
  std::vector<int64_t> ids;
  {
    INTAKE_ASSIGN_OR_RETURN(Statement all,
                            host_.db->Prepare("SELECT id FROM archive_locations ORDER BY id"));
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, all.Step());
      if (!row) break;
      ids.push_back(all.Int(0));
    }
  }
  for (const int64_t id : ids) {
    auto chain = Chain(id);
    if (!chain) {
      problems.push_back("arkivet: " + chain.error().message());
      continue;
    }
    for (size_t i = 1; i < chain->size(); ++i) {
      const LocationRecord& parent = (*chain)[i - 1];
      const LocationRecord& child = (*chain)[i];
      if (!MayContain(parent.kind, child.kind)) {
        problems.push_back("arkivet: " + Label(child) + " står i " + Label(parent) + ", hvor en " +
                           std::string(LocationKindDanish(child.kind)) + " ikke kan stå");
      }
    }
  }
  INTAKE_ASSIGN_OR_RETURN(
      Statement dangling,
      host_.db->Prepare(
          "SELECT e.id FROM archive_events e WHERE (e.document_id IS NOT NULL AND NOT EXISTS "
          "(SELECT 1 FROM documents d WHERE d.id = e.document_id)) OR (e.location_id IS NOT "
          "NULL AND NOT EXISTS (SELECT 1 FROM archive_locations l WHERE l.id = e.location_id)) "
          "OR (e.target_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM archive_locations l "
          "WHERE l.id = e.target_id)) ORDER BY e.id"));
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, dangling.Step());
    if (!row) break;
    problems.push_back("arkivet: hændelse " + std::to_string(dangling.Int(0)) +
                       " henviser til et dokument eller en placering, der ikke findes");
  }
  return OkStatus();
}

// ---- writing ----

Result<int64_t> SqliteArchive::Append(const NewEvent& e, const Actor& actor) {
  const std::string time = UtcNowIso();
  int64_t id = 0;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kInsertEvent));
    s->Bind(1, time).Bind(2, actor.name).Bind(3, ArchiveActionName(e.action));
    if (e.document_id) s->Bind(4, *e.document_id);
    if (e.location_id) s->Bind(5, *e.location_id);
    if (e.target_id) s->Bind(6, *e.target_id);
    s->Bind(7, e.places ? 1 : 0);
    if (e.disposition) s->Bind(8, DispositionName(*e.disposition));
    s->Bind(9, e.borrower)
        .Bind(10, e.due_date)
        .Bind(11, e.approval_ref)
        .Bind(12, e.approval_date)
        .Bind(13, e.method)
        .Bind(14, e.reference)
        .Bind(15, e.note);
    INTAKE_RETURN_IF_ERROR(s->Run());
    id = host_.db->LastInsertId();
  }
  Json after{{"event", id},
             {"action", ArchiveActionName(e.action)},
             {"target_id", OptJson(e.target_id)},
             {"places", e.places},
             {"disposition", e.disposition ? Json(DispositionName(*e.disposition)) : Json()},
             {"borrower", OptJson(e.borrower)},
             {"due_date", OptJson(e.due_date)},
             {"approval_ref", OptJson(e.approval_ref)},
             {"approval_date", OptJson(e.approval_date)},
             {"method", OptJson(e.method)},
             {"reference", OptJson(e.reference)},
             {"note", OptJson(e.note)}};
  if (e.target_id) {
    INTAKE_ASSIGN_OR_RETURN(std::optional<LocationRecord> t, LocationRow(*e.target_id));
    if (t) after["target_barcode"] = t->barcode;
  }
  const bool document = e.document_id.has_value();
  INTAKE_RETURN_IF_ERROR(host_.audit(actor, "archive." + std::string(ArchiveActionName(e.action)),
                                     document ? "original" : "location",
                                     std::to_string(document ? *e.document_id : *e.location_id),
                                     std::nullopt, Dump(after)));
  return id;
}

Result<std::string> SqliteArchive::GenerateBarcode(LocationKind kind) {
  if (kind == LocationKind::kBox) {
    const std::string year = TodayIso().substr(0, 4);
    const std::string prefix = "K-" + year + "-";
    int64_t highest = 0;
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kBarcodesLike));
    s->Bind(1, prefix + "%");
    for (;;) {
      INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
      if (!row) break;
      const std::string code = s->Text(0);
      const std::string tail = code.substr(prefix.size());
      if (tail.empty() || tail.size() > 9 ||
          tail.find_first_not_of("0123456789") != std::string::npos) {
        continue;
      }
      highest = std::max<int64_t>(highest, std::stoll(tail));
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%04lld", prefix.c_str(), static_cast<long long>(highest + 1));
    return std::string(buf);
  }
  int64_t next = 1;
  {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kMaxLocationId));
    INTAKE_ASSIGN_OR_RETURN(const bool row, s->Step());
    next = (row ? s->Int(0) : 0) + 1;
  }
  for (;; ++next) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "L-%06lld", static_cast<long long>(next));
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement taken, host_.cache->Get(kSelectLocationByBarcode));
    taken->Bind(1, std::string(buf));
    INTAKE_ASSIGN_OR_RETURN(const bool exists, taken->Step());
    if (!exists) return std::string(buf);
  }
}

Status SqliteArchive::CheckTargetUsable(const std::vector<LocationRecord>& chain) {
  const LocationRecord& target = chain.back();
  if (target.transferred) {
    return Error(ErrorCode::kFailedPrecondition,
                 Label(target) + " er afleveret til stadsarkivet; der kan ikke lægges mere i den");
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (it->loan) return LoanRefusal(*it->loan, "at lægge noget i " + Label(target));
  }
  return OkStatus();
}

Result<std::optional<Loan>> SqliteArchive::LoanInside(int64_t id) {
  INTAKE_ASSIGN_OR_RETURN(const std::vector<Loan> loans, Loans(std::nullopt));
  for (const Loan& loan : loans) {
    std::optional<int64_t> start;
    if (loan.document_id) {
      INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(*loan.document_id, nullptr));
      start = f.place;
    } else {
      if (*loan.location_id == id) continue;  // its own loan, not something inside
      start = loan.location_id;
    }
    std::set<int64_t> seen;
    for (std::optional<int64_t> at = start; at && seen.insert(*at).second;) {
      if (*at == id) return std::optional<Loan>(loan);
      INTAKE_ASSIGN_OR_RETURN(at, PlaceOfLocation(*at));
    }
  }
  return std::optional<Loan>();
}

Result<LocationRecord> SqliteArchive::AddLocation(const NewLocation& given, const Actor& actor) {
  NewLocation n = given;
  if (IsBlank(n.name)) {
    if (n.kind != LocationKind::kBox) {
      return Error(ErrorCode::kInvalidArgument,
                   "placeringen mangler et navn (fx \"Reol 12\"); angiv --name");
    }
    n.name.clear();
  } else {
    INTAKE_RETURN_IF_ERROR(CheckText("placeringens navn", n.name, kMaxFieldBytes));
  }
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", n.note, kMaxNoteBytes));
  std::optional<std::string> code;
  if (n.barcode) {
    code = NormaliseBarcode(*n.barcode);
    INTAKE_RETURN_IF_ERROR(CheckBarcode(*code));
  }
  std::optional<LocationRecord> parent;
  std::vector<LocationRecord> parent_chain;
  if (n.parent_barcode) {
    INTAKE_ASSIGN_OR_RETURN(parent, ResolveBarcode(*n.parent_barcode));
    if (!MayContain(parent->kind, n.kind)) {
      return Error(ErrorCode::kInvalidArgument,
                   "en " + std::string(LocationKindDanish(n.kind)) + " kan ikke placeres i " +
                       Label(*parent) + " (en " + std::string(LocationKindDanish(parent->kind)) +
                       ")");
    }
    INTAKE_ASSIGN_OR_RETURN(parent_chain, Chain(parent->id));
    if (parent->kind == LocationKind::kCityArchive || parent_chain.back().transferred) {
      return Error(ErrorCode::kFailedPrecondition,
                   Label(*parent) +
                       " hører til stadsarkivet; brug 'station archive transfer' for at "
                       "aflevere en kasse dertil");
    }
  } else if (!MayBeUnplaced(n.kind)) {
    return Error(ErrorCode::kInvalidArgument,
                 "en " + std::string(LocationKindDanish(n.kind)) +
                     " skal placeres i en anden placering; angiv --in STREGKODE");
  }

  LocationRecord out;
  const Status added = host_.in_transaction([&]() -> Status {
    std::string barcode;
    if (code) {
      barcode = *code;
    } else {
      INTAKE_ASSIGN_OR_RETURN(barcode, GenerateBarcode(n.kind));
    }
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSelectLocationByBarcode));
      s->Bind(1, barcode);
      INTAKE_ASSIGN_OR_RETURN(const bool exists, s->Step());
      if (exists) {
        return Error(ErrorCode::kAlreadyExists, "stregkoden " + barcode + " er allerede brugt af " +
                                                    LocationLabel(s->Int(0)) +
                                                    "; vælg en anden, eller udelad --barcode");
      }
    }
    out.kind = n.kind;
    out.barcode = barcode;
    out.name = n.name.empty() ? "Kasse " + barcode : n.name;
    out.note = n.note;
    out.created = UtcNowIso();
    {
      INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kInsertLocation));
      s->Bind(1, LocationKindName(out.kind))
          .Bind(2, out.barcode)
          .Bind(3, out.name)
          .Bind(4, out.note)
          .Bind(5, out.created);
      INTAKE_RETURN_IF_ERROR(s->Run());
      out.id = host_.db->LastInsertId();
    }
    if (parent) out.parent_id = parent->id;
    NewEvent e;
    e.action = ArchiveAction::kCreate;
    e.location_id = out.id;
    e.target_id = out.parent_id;
    e.places = true;
    return Discard(Append(e, actor));
  });
  if (!added) return added.error();
  return out;
}

Result<LocationRecord> SqliteArchive::Move(std::string_view barcode, std::string_view to_barcode,
                                           std::optional<std::string> note, const Actor& actor) {
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", note, kMaxNoteBytes));
  INTAKE_ASSIGN_OR_RETURN(LocationRecord l, FindLocation(barcode));
  INTAKE_ASSIGN_OR_RETURN(const LocationRecord to, ResolveBarcode(to_barcode));
  if (l.id == to.id) {
    return Error(ErrorCode::kInvalidArgument,
                 Label(l) + " kan ikke flyttes ind i sig selv; angiv en anden placering med --to");
  }
  INTAKE_ASSIGN_OR_RETURN(const std::vector<LocationRecord> to_chain, Chain(to.id));
  for (const LocationRecord& up : to_chain) {
    if (up.id == l.id) {
      return Error(ErrorCode::kInvalidArgument, Label(l) + " kan ikke flyttes ind i " + Label(to) +
                                                    ", som ligger i " + Label(l) +
                                                    " selv; angiv en placering uden for den");
    }
  }
  if (to.kind == LocationKind::kCityArchive || to_chain.back().transferred) {
    return Error(ErrorCode::kInvalidArgument,
                 Label(to) +
                     " hører til stadsarkivet; en aflevering registreres med "
                     "'station archive transfer " +
                     l.barcode + " --to " + to.barcode + " --reference REF'");
  }
  if (!MayContain(to.kind, l.kind)) {
    return Error(ErrorCode::kInvalidArgument, "en " + std::string(LocationKindDanish(l.kind)) +
                                                  " kan ikke stå i " + Label(to) + " (en " +
                                                  std::string(LocationKindDanish(to.kind)) + ")");
  }
  if (l.transferred) {
    return Error(ErrorCode::kFailedPrecondition,
                 Label(l) + " er afleveret til stadsarkivet og kan ikke flyttes");
  }
  if (l.loan) return LoanRefusal(*l.loan, "flytning");
  INTAKE_RETURN_IF_ERROR(CheckTargetUsable(to_chain));
  if (l.parent_id == to.id) return l;  // already there
  INTAKE_RETURN_IF_ERROR(host_.in_transaction([&]() -> Status {
    NewEvent e;
    e.action = ArchiveAction::kMove;
    e.location_id = l.id;
    e.target_id = to.id;
    e.places = true;
    e.note = note;
    return Discard(Append(e, actor));
  }));
  return FindLocation(l.barcode);
}

Status SqliteArchive::CheckOriginalMayChange(int64_t document_id, const Whereabouts& w,
                                             std::string_view what) {
  const std::string doc = DocumentName(document_id);
  switch (w.state) {
    case Whereabouts::State::kDestroyed:
      return Error(ErrorCode::kFailedPrecondition, "originalen til " + doc + " er destrueret; " +
                                                       std::string(what) + " er ikke mulig");
    case Whereabouts::State::kTransferred:
      return Error(ErrorCode::kFailedPrecondition, "originalen til " + doc +
                                                       " er afleveret til stadsarkivet; " +
                                                       std::string(what) + " er ikke mulig");
    case Whereabouts::State::kOnLoan:
      return LoanRefusal(*w.loan, what);
    default:
      return OkStatus();
  }
}

Status SqliteArchive::CheckDisposition(int64_t document_id,
                                       const std::optional<std::string>& doc_type,
                                       const OriginalDisposition& d,
                                       std::optional<LocationRecord>* target) {
  const std::string doc = DocumentName(document_id);
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", d.note, kMaxNoteBytes));
  if (d.disposition == Disposition::kDestructionApproved) {
    if (!d.approval_ref || IsBlank(*d.approval_ref)) {
      return Error(ErrorCode::kInvalidArgument,
                   "destruktion af originalen til " + doc +
                       " kræver en godkendelse: angiv godkendelsens reference (--approval) og "
                       "dato (--approval-date)");
    }
    INTAKE_RETURN_IF_ERROR(CheckText("godkendelsens reference", *d.approval_ref, kMaxFieldBytes));
    if (!d.approval_date || !IsIsoDate(*d.approval_date)) {
      return Error(ErrorCode::kInvalidArgument,
                   "destruktion af originalen til " + doc +
                       " kræver godkendelsens dato som ÅÅÅÅ-MM-DD (--approval-date)");
    }
    if (*d.approval_date > TodayIso()) {
      return Error(ErrorCode::kInvalidArgument,
                   "godkendelsens dato " + *d.approval_date + " ligger i fremtiden");
    }
    std::string type = doc_type.value_or("");
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool allowed =
        !type.empty() && std::find(policy_.document_types.begin(), policy_.document_types.end(),
                                   type) != policy_.document_types.end();
    if (!allowed) {
      std::string why = type.empty() ? " har ingen dokumenttype" : " er af typen \"" + type + "\"";
      return Error(ErrorCode::kInvalidArgument,
                   doc + why +
                       ", som arkivreglerne ikke tillader at destruere (archive.destruction_types "
                       "i konfigurationen); vælg at opbevare originalen");
    }
  } else if (d.approval_ref || d.approval_date) {
    return Error(ErrorCode::kInvalidArgument,
                 "en godkendelse (--approval, --approval-date) hører kun til dispositionen "
                 "destruktion");
  }
  if (d.location_barcode) {
    if (d.disposition == Disposition::kReturnToSender) {
      return Error(ErrorCode::kInvalidArgument,
                   "en original der returneres til afsender, placeres ikke i arkivet; udelad "
                   "--box");
    }
    INTAKE_ASSIGN_OR_RETURN(LocationRecord t, ResolveBarcode(*d.location_barcode));
    INTAKE_ASSIGN_OR_RETURN(const std::vector<LocationRecord> chain, Chain(t.id));
    INTAKE_RETURN_IF_ERROR(CheckTargetUsable(chain));
    if (t.kind == LocationKind::kCityArchive) {
      return Error(ErrorCode::kInvalidArgument,
                   Label(t) +
                       " er stadsarkivet; en aflevering registreres med 'station archive "
                       "transfer'");
    }
    *target = std::move(t);
  }
  return OkStatus();
}

Status SqliteArchive::AppendDisposition(int64_t document_id, const OriginalDisposition& d,
                                        const std::optional<LocationRecord>& target,
                                        const Actor& actor) {
  NewEvent e;
  e.action = ArchiveAction::kDisposition;
  e.document_id = document_id;
  e.disposition = d.disposition;
  if (target) {
    e.target_id = target->id;
    e.places = true;
  } else if (d.disposition == Disposition::kReturnToSender) {
    e.places = true;  // it leaves the archive
  }
  if (d.disposition == Disposition::kDestructionApproved) {
    e.approval_ref = d.approval_ref;
    e.approval_date = d.approval_date;
  }
  e.note = d.note;
  return Discard(Append(e, actor));
}

Status SqliteArchive::RecordAtJournalising(int64_t document_id,
                                           const std::optional<std::string>& doc_type,
                                           const OriginalDisposition& d, const Actor& actor) {
  std::optional<LocationRecord> target;
  INTAKE_RETURN_IF_ERROR(CheckDisposition(document_id, doc_type, d, &target));
  return AppendDisposition(document_id, d, target, actor);
}

Result<Whereabouts> SqliteArchive::SetDisposition(int64_t document_id, const OriginalDisposition& d,
                                                  const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(document_id, nullptr));
  INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(document_id, f));
  INTAKE_RETURN_IF_ERROR(CheckOriginalMayChange(document_id, w, "en ny disposition"));
  std::optional<LocationRecord> target;
  INTAKE_RETURN_IF_ERROR(CheckDisposition(document_id, f.doc_type, d, &target));
  INTAKE_RETURN_IF_ERROR(host_.in_transaction(
      [&]() -> Status { return AppendDisposition(document_id, d, target, actor); }));
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts now, Facts(document_id, nullptr));
  return Derive(document_id, now);
}

Result<Whereabouts> SqliteArchive::Place(int64_t document_id, std::string_view barcode,
                                         std::optional<std::string> note, const Actor& actor) {
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", note, kMaxNoteBytes));
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(document_id, nullptr));
  INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(document_id, f));
  INTAKE_RETURN_IF_ERROR(CheckOriginalMayChange(document_id, w, "placering"));
  if (w.state == Whereabouts::State::kReturnedToSender) {
    return Error(ErrorCode::kFailedPrecondition,
                 "originalen til " + DocumentName(document_id) +
                     " er returneret til afsender; kommer den tilbage, så registrér det med "
                     "'station archive dispose " +
                     std::to_string(document_id) + " --disposition keep --box " +
                     NormaliseBarcode(barcode) + "'");
  }
  INTAKE_ASSIGN_OR_RETURN(const LocationRecord target, ResolveBarcode(barcode));
  INTAKE_ASSIGN_OR_RETURN(const std::vector<LocationRecord> chain, Chain(target.id));
  if (target.kind == LocationKind::kCityArchive || chain.back().transferred) {
    return Error(ErrorCode::kInvalidArgument,
                 Label(target) +
                     " hører til stadsarkivet; en aflevering registreres med "
                     "'station archive transfer'");
  }
  INTAKE_RETURN_IF_ERROR(CheckTargetUsable(chain));
  if (f.place == target.id) return w;  // already there
  INTAKE_RETURN_IF_ERROR(host_.in_transaction([&]() -> Status {
    NewEvent e;
    e.action = ArchiveAction::kPlace;
    e.document_id = document_id;
    e.target_id = target.id;
    e.places = true;
    if (!f.disposition) e.disposition = Disposition::kKeep;
    e.note = note;
    return Discard(Append(e, actor));
  }));
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts now, Facts(document_id, nullptr));
  return Derive(document_id, now);
}

Result<Loan> SqliteArchive::Lend(const ArchiveItem& item, const LendRequest& request,
                                 const Actor& actor) {
  INTAKE_RETURN_IF_ERROR(CheckText("låneren", request.borrower, kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", request.note, kMaxNoteBytes));
  if (!IsIsoDate(request.due_date)) {
    return Error(ErrorCode::kInvalidArgument,
                 "afleveringsdatoen skal skrives ÅÅÅÅ-MM-DD, fx 2026-12-15 (--due)");
  }
  if (request.due_date < TodayIso()) {
    return Error(ErrorCode::kInvalidArgument,
                 "afleveringsdatoen " + request.due_date + " er allerede passeret");
  }
  NewEvent e;
  e.action = ArchiveAction::kLend;
  e.borrower = request.borrower;
  e.due_date = request.due_date;
  e.note = request.note;
  std::string subject;
  if (item.document_id) {
    INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(*item.document_id, nullptr));
    INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(*item.document_id, f));
    INTAKE_RETURN_IF_ERROR(CheckOriginalMayChange(*item.document_id, w, "udlån"));
    if (w.state != Whereabouts::State::kStored) {
      return Error(ErrorCode::kFailedPrecondition, "originalen til " +
                                                       DocumentName(*item.document_id) +
                                                       " kan ikke udlånes: " + w.Describe());
    }
    e.document_id = item.document_id;
    subject = DocumentName(*item.document_id);
  } else {
    INTAKE_ASSIGN_OR_RETURN(const LocationRecord l, FindLocation(item.barcode.value_or("")));
    if (l.kind != LocationKind::kBox && l.kind != LocationKind::kFolder) {
      return Error(ErrorCode::kInvalidArgument,
                   Label(l) + " kan ikke udlånes; kun kasser, mapper og enkelte originaler");
    }
    if (l.transferred) {
      return Error(ErrorCode::kFailedPrecondition,
                   Label(l) + " er afleveret til stadsarkivet og kan ikke udlånes");
    }
    INTAKE_ASSIGN_OR_RETURN(const std::vector<LocationRecord> chain, Chain(l.id));
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (it->loan) return LoanRefusal(*it->loan, "udlån af " + Label(l));
    }
    INTAKE_ASSIGN_OR_RETURN(const std::optional<Loan> inside, LoanInside(l.id));
    if (inside) return LoanRefusal(*inside, "udlån af hele " + Label(l));
    e.location_id = l.id;
    subject = Label(l);
  }
  int64_t id = 0;
  INTAKE_RETURN_IF_ERROR(host_.in_transaction([&]() -> Status {
    INTAKE_ASSIGN_OR_RETURN(id, Append(e, actor));
    return OkStatus();
  }));
  return Loan{id,          e.document_id,    e.location_id,
              subject,     request.borrower, request.due_date,
              UtcNowIso(), actor.name};
}

Result<Loan> SqliteArchive::Return(const ArchiveItem& item, std::optional<std::string> note,
                                   const Actor& actor) {
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", note, kMaxNoteBytes));
  NewEvent e;
  e.action = ArchiveAction::kReturn;
  e.note = note;
  std::optional<Loan> loan;
  if (item.document_id) {
    INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(*item.document_id, nullptr));
    loan = f.loan;
    if (!loan) {
      INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(*item.document_id, f));
      if (w.loan) {
        return Error(ErrorCode::kFailedPrecondition,
                     "originalen til " + DocumentName(*item.document_id) + " er udlånt med " +
                         w.loan->subject + "; returnér hele " + w.loan->subject);
      }
      return Error(ErrorCode::kFailedPrecondition,
                   "originalen til " + DocumentName(*item.document_id) + " er ikke udlånt");
    }
    e.document_id = item.document_id;
  } else {
    INTAKE_ASSIGN_OR_RETURN(const LocationRecord l, FindLocation(item.barcode.value_or("")));
    loan = l.loan;
    if (!loan) {
      return Error(ErrorCode::kFailedPrecondition, Label(l) + " er ikke udlånt");
    }
    e.location_id = l.id;
  }
  INTAKE_RETURN_IF_ERROR(
      host_.in_transaction([&]() -> Status { return Discard(Append(e, actor)); }));
  return *loan;
}

Result<std::vector<LocationRecord>> SqliteArchive::Transfer(const ArchiveItem& item,
                                                            std::string_view to_barcode,
                                                            std::string_view reference,
                                                            const Actor& actor) {
  INTAKE_RETURN_IF_ERROR(
      CheckText("afleveringens reference", std::string(reference), kMaxFieldBytes));
  INTAKE_ASSIGN_OR_RETURN(const LocationRecord to, ResolveBarcode(to_barcode));
  if (to.kind != LocationKind::kCityArchive) {
    return Error(ErrorCode::kInvalidArgument,
                 Label(to) +
                     " er ikke stadsarkivet; en aflevering går til en placering af "
                     "arten stadsarkiv (en flytning registreres med 'station archive "
                     "move')");
  }
  NewEvent e;
  e.action = ArchiveAction::kTransfer;
  e.target_id = to.id;
  e.places = true;
  e.reference = std::string(reference);
  if (item.document_id) {
    INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(*item.document_id, nullptr));
    INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(*item.document_id, f));
    INTAKE_RETURN_IF_ERROR(CheckOriginalMayChange(*item.document_id, w, "aflevering"));
    if (w.state != Whereabouts::State::kStored &&
        w.state != Whereabouts::State::kAwaitingPlacement) {
      return Error(ErrorCode::kFailedPrecondition, "originalen til " +
                                                       DocumentName(*item.document_id) +
                                                       " kan ikke afleveres: " + w.Describe());
    }
    e.document_id = item.document_id;
  } else {
    INTAKE_ASSIGN_OR_RETURN(const LocationRecord l, FindLocation(item.barcode.value_or("")));
    if (l.kind == LocationKind::kCityArchive || l.kind == LocationKind::kSite ||
        l.kind == LocationKind::kOffsite) {
      return Error(ErrorCode::kInvalidArgument,
                   Label(l) +
                       " kan ikke afleveres; aflevér kasserne, reolerne eller rummene i "
                       "den");
    }
    if (l.transferred) {
      return Error(ErrorCode::kFailedPrecondition, Label(l) + " er allerede afleveret");
    }
    if (l.loan) return LoanRefusal(*l.loan, "aflevering");
    INTAKE_ASSIGN_OR_RETURN(const std::optional<Loan> inside, LoanInside(l.id));
    if (inside) return LoanRefusal(*inside, "aflevering af " + Label(l));
    e.location_id = l.id;
  }
  INTAKE_RETURN_IF_ERROR(
      host_.in_transaction([&]() -> Status { return Discard(Append(e, actor)); }));
  if (item.document_id) return Chain(to.id);
  INTAKE_ASSIGN_OR_RETURN(const LocationRecord moved, ResolveBarcode(*item.barcode));
  return Chain(moved.id);
}

Result<Whereabouts> SqliteArchive::Destroy(int64_t document_id, std::string_view method,
                                           std::optional<std::string> note, const Actor& actor) {
  INTAKE_RETURN_IF_ERROR(CheckText("destruktionsmetoden", std::string(method), kMaxFieldBytes));
  INTAKE_RETURN_IF_ERROR(CheckOptionalText("noten", note, kMaxNoteBytes));
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts f, Facts(document_id, nullptr));
  INTAKE_ASSIGN_OR_RETURN(const Whereabouts w, Derive(document_id, f));
  INTAKE_RETURN_IF_ERROR(CheckOriginalMayChange(document_id, w, "destruktion"));
  if (f.disposition != Disposition::kDestructionApproved || !f.approval_ref) {
    return Error(ErrorCode::kFailedPrecondition,
                 "originalen til " + DocumentName(document_id) +
                     " må ikke destrueres: der er ingen godkendt destruktion (disposition: " +
                     (f.disposition ? std::string(DispositionDanish(*f.disposition))
                                    : std::string("ingen")) +
                     "); registrér først godkendelsen med 'station archive dispose " +
                     std::to_string(document_id) +
                     " --disposition destroy --approval REF --approval-date DATO'");
  }
  INTAKE_RETURN_IF_ERROR(host_.in_transaction([&]() -> Status {
    NewEvent e;
    e.action = ArchiveAction::kDestroy;
    e.document_id = document_id;
    e.places = true;
    e.method = std::string(method);
    e.approval_ref = f.approval_ref;
    e.approval_date = f.approval_date;
    e.note = note;
    return Discard(Append(e, actor));
  }));
  INTAKE_ASSIGN_OR_RETURN(const OriginalFacts now, Facts(document_id, nullptr));
  return Derive(document_id, now);
}

}  // namespace intake::storage
