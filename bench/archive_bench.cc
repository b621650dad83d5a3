// archive_bench: "where is the original of this document?" on a large journal (issue #8;
// bench/README.md). Fills a journal with documents and a realistic physical archive, then
// measures Archive::Where, Contents and Loans, the API's event commits, and a peer: the
// spreadsheet register archives keep today, exported as CSV and scanned line by line.
//
//   archive_bench [--documents 1000000] [--boxes 50000] [--queries 1000] [--api-events 200]
//                 [--seed 1] [--db bench/out/archive_bench.sqlite3]
//                 [--out bench/out/archive_bench.json] [--reuse] [--keep]
//
// 1. Generation (skipped with --reuse when the database was made with the same
//    --documents, --boxes and --seed and no API events were added since):
//    - the journal: cases as in journal_bench (bench_data.h: KK references, 5 % restricted)
//      and documents, 1 % drafts, with titles and a short OCR text (this is not a search
//      bench), loaded with direct SQL through the schema's own triggers, 10,000 documents a
//      transaction, PRAGMA synchronous=OFF during the load only;
//    - the archive, with direct SQL in the columns the implementation writes
//      (storage/schema.cc, version 6): three sites, a remote store and the city archive;
//      nine rooms; shelving units of five shelves; --boxes / 20 shelves (a fifth of them in
//      the remote store, empty at first); --boxes boxes ("K-<year>-<nnnn>"), filled in
//      journalising order. Of the journalised documents 40 % are kept in a box (disposition
//      "keep" with the box, at journalising), 0.5 % pending in a box, 1 % to keep but not
//      yet placed, 2 % returned to the sender, 0.3 % approved for destruction (half of
//      them destroyed later); the rest came in electronically. 5 % of the boxes are moved
//      once or twice (mostly to the remote store); 1 % of the originals in boxes are lent
//      (half returned), 0.2 % of the boxes are lent (half returned); 0.1 % of the oldest
//      boxes are handed over to the city archive. Events are inserted in time order, up to
//      yesterday. No audit entries are written for the bulk-loaded rows, so the audit chain
//      does not cover them and this program never calls VerifyAudit.
// 2. Queries (the journal API, storage/journal.h, on the station's own connection): after a
//    warm-up pass, Archive::Where for --queries documents drawn from a mix (stored, in a
//    moved box, lent, loan returned, in a lent box, handed over, awaiting placement,
//    returned to sender, destroyed, no original), as an all-access viewer and as a
//    caseworker restricted to one access group; every answer is checked against the
//    generator's own model. Then Contents(box) for random boxes, Loans(overdue today) and
//    Loans(all), and Unplaced.
// 3. The peer, on the same data in the same run: the register as a CSV file (one row per
//    original with document, case, box, shelf, room and site; one row per box move or
//    handover), answering "where is document X" by reading the file with std::getline and
//    scanning it to the end (a later row may move the box).
// 4. Bytes per event and per location (dbstat), the database's size.
// 5. --api-events N each of Place, Move, Lend and Return through the Archive API
//    (synchronous=FULL, audited), timed one by one; afterwards Where is checked for them.
//    They change the database: a later --reuse regenerates it (use --api-events 0 --keep
//    to keep a reusable one).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_data.h"
#include "storage/archive.h"
#include "storage/database.h"
#include "storage/index_maintenance.h"
#include "storage/journal.h"
#include "storage/schema.h"

namespace {

namespace st = intake::storage;
using intake::bench::CaseReference;
using intake::bench::CitizenName;
using intake::bench::Clock;
using intake::bench::FileSize;
using intake::bench::Fill;
using intake::bench::Gen;
using intake::bench::IsoDate;
using intake::bench::kDepartments;
using intake::bench::kDocTypes;
using intake::bench::kFirstDay;
using intake::bench::kFirstNames;
using intake::bench::kLastNames;
using intake::bench::kTitleTemplates;
using intake::bench::kTopics;
using intake::bench::MetaValue;
using intake::bench::Percentile;
using intake::bench::Seconds;
using intake::bench::ThreadCpuSeconds;
using st::Database;
using st::LocationKind;
using st::Statement;

struct Args {
  int64_t documents = 1000000;
  int64_t boxes = 50000;
  int queries = 1000;
  int api_events = 200;
  uint64_t seed = 1;
  std::string db = "bench/out/archive_bench.sqlite3";
  std::string out = "bench/out/archive_bench.json";
  bool reuse = false;
  bool keep = false;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "archive_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Check(intake::Result<T> r, const char* what) {
  if (!r) Die(std::string(what) + ": " + r.error().ToString());
  return std::move(*r);
}
void Check(intake::Status s, const char* what) {
  if (!s) Die(std::string(what) + ": " + s.error().ToString());
}

// ---- per-document facts, deterministic for (document, seed) ----

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
int64_t CaseOf(int64_t doc, int64_t cases, uint64_t seed) {
  return 1 + static_cast<int64_t>(Mix(static_cast<uint64_t>(doc) ^ (seed << 40)) %
                                  static_cast<uint64_t>(cases));
}
bool IsDraft(int64_t doc, uint64_t seed) {
  return Mix(static_cast<uint64_t>(doc) * 3 + seed) % 100 == 0;
}
// Documents arrive evenly from 2019-01-01 to `end_day`, in id order.
int64_t DayOf(int64_t doc, int64_t documents, int64_t end_day) {
  return kFirstDay + (doc - 1) * (end_day - kFirstDay) / std::max<int64_t>(1, documents);
}
std::string IsoTime(int64_t day, int second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", IsoDate(day).c_str(), second / 3600,
                second / 60 % 60, second % 60);
  return buf;
}

// ---- the archive's plan: locations, documents' fates and events ----

enum class Fate : uint8_t {
  kNone,              // no paper original (came in electronically), or a draft
  kStored,            // disposition keep, in a box
  kPendingStored,     // disposition pending, in a box
  kAwaiting,          // disposition keep, not placed
  kReturnedToSender,  // disposition return
  kApproved,          // disposition destroy (approved), not destroyed yet
  kDestroyed,
};

enum Loan : uint8_t { kNoLoan = 0, kLentNow = 1, kLentReturned = 2 };

struct DocFate {
  int32_t box = -1;  // index into Plan::boxes
  Fate fate = Fate::kNone;
  uint8_t loan = kNoLoan;
};

struct Location {
  LocationKind kind;
  std::string barcode;
  std::string name;
  int32_t parent;  // index into Plan::locations, -1 for none
  int64_t day;
  int second;
};

struct Box {
  int32_t location = 0;  // index into Plan::locations
  int32_t shelf = 0;     // where it is now (index into locations)
  int moves = 0;
  uint8_t loan = kNoLoan;
  bool transferred = false;
  int64_t first_doc = 0;  // 0: empty
  int64_t docs = 0;
};

// One archive_events row. Strings are made when it is inserted, from `value`.
struct Event {
  int64_t day = 0;
  int second = 0;
  st::ArchiveAction action = st::ArchiveAction::kCreate;
  int64_t document = 0;   // 0: none
  int32_t location = -1;  // index into locations, -1: none
  int32_t target = -1;
  bool places = false;
  std::optional<st::Disposition> disposition;
  int64_t due_day = 0;  // lend
  uint64_t value = 0;   // borrower, approval, method, reference
};

struct Plan {
  int64_t end_day = 0;
  std::vector<Location> locations;
  std::vector<int32_t> onsite_shelves, offsite_shelves;
  int32_t city_archive = -1;
  std::vector<Box> boxes;
  std::vector<DocFate> docs;  // by document id
  std::vector<Event> events;  // in time order
  std::map<std::string, int64_t> counts;
};

const std::vector<std::string> kActors = {"anna", "bo", "karin", "mads", "lene"};

std::string Borrower(uint64_t v) {
  return kFirstNames[v % kFirstNames.size()] + " " +
         kLastNames[v / kFirstNames.size() % kLastNames.size()] + ", " +
         kDepartments[v / kFirstNames.size() / kLastNames.size() % kDepartments.size()];
}
std::string Approval(int64_t day, uint64_t v) {
  return "AR-" + IsoDate(day).substr(0, 4) + "-" + std::to_string(1 + v % 300);
}

// Whether an event says where its subject is (archive_events.places; the newest such event
// of a subject gives its place: target_id, or none), as storage/sqlite_archive.cc writes
// it: a location's creation always (its parent, or none), a disposition with a place or a
// return to the sender (the original leaves the archive), place, move, handover and
// destruction always; loans never.
bool PlacesOf(const Event& e) {
  switch (e.action) {
    case st::ArchiveAction::kCreate:
      return true;
    case st::ArchiveAction::kDisposition:
      return e.target >= 0 || e.disposition == st::Disposition::kReturnToSender;
    case st::ArchiveAction::kPlace:
    case st::ArchiveAction::kMove:
    case st::ArchiveAction::kTransfer:
    case st::ArchiveAction::kDestroy:
      return true;
    case st::ArchiveAction::kLend:
    case st::ArchiveAction::kReturn:
      return false;
  }
  return false;
}

Plan MakePlan(const Args& a, int64_t cases, int64_t end_day) {
  (void)cases;
  Plan p;
  p.end_day = end_day;
  Gen g(a.seed + 101);
  const auto work_second = [&] { return static_cast<int>(8 * 3600 + g.Uniform(0, 8 * 3600 - 1)); };
  const auto add_event = [&](Event e) {
    e.places = PlacesOf(e);
    p.events.push_back(e);
  };
  const auto add_location = [&](LocationKind kind, std::string barcode, std::string name,
                                int32_t parent, int64_t day) {
    const int32_t index = static_cast<int32_t>(p.locations.size());
    if (barcode.empty()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "L-%06d", index + 1);
      barcode = buf;
    }
    const int second = work_second();
    p.locations.push_back({kind, barcode, std::move(name), parent, day, second});
    Event e;
    e.day = day;
    e.second = second;
    e.action = st::ArchiveAction::kCreate;
    e.location = index;
    e.target = parent;
    add_event(e);
    ++p.counts["locations." + std::string(st::LocationKindName(kind))];
    return index;
  };

  // Sites and rooms; a fifth of the shelving in the remote store.
  const int64_t setup_day = kFirstDay - 30;
  struct SiteRooms {
    LocationKind kind;
    const char* name;
    std::vector<const char*> rooms;
  };
  const std::vector<SiteRooms> sites = {
      {LocationKind::kSite, "Rådhuset", {"Kælderarkiv", "Arkivrum, 2. sal", "Depot"}},
      {LocationKind::kSite, "Jobcenteret", {"Arkivet", "Kælder"}},
      {LocationKind::kSite, "Teknisk Forvaltning", {"Byggesagsarkiv", "Kælderrum"}},
      {LocationKind::kOffsite, "Fjernarkivet, Hedehusene", {"Hal A", "Hal B"}}};
  std::vector<int32_t> onsite_rooms, offsite_rooms;
  for (const SiteRooms& s : sites) {
    const int32_t site = add_location(s.kind, "", s.name, -1, setup_day);
    for (const char* room : s.rooms) {
      const int32_t r = add_location(LocationKind::kRoom, "", room, site, setup_day);
      (s.kind == LocationKind::kOffsite ? offsite_rooms : onsite_rooms).push_back(r);
    }
  }
  p.city_archive =
      add_location(LocationKind::kCityArchive, "STADSARKIVET", "Stadsarkivet", -1, setup_day);
  const int64_t shelves = std::max<int64_t>(10, a.boxes / 20);
  const int64_t units = (shelves + 4) / 5;
  const int64_t offsite_units = std::max<int64_t>(1, units / 5);
  std::map<int32_t, int> units_in_room;
  for (int64_t u = 0; u < units; ++u) {
    const bool offsite = u >= units - offsite_units;
    const std::vector<int32_t>& rooms = offsite ? offsite_rooms : onsite_rooms;
    const int32_t room = rooms[static_cast<size_t>(u) % rooms.size()];
    const int32_t unit = add_location(
        LocationKind::kUnit, "", "Reol " + std::to_string(++units_in_room[room]), room, setup_day);
    for (int k = 1; k <= 5 && static_cast<int64_t>(p.onsite_shelves.size() +
                                                   p.offsite_shelves.size()) < shelves;
         ++k) {
      const int32_t shelf =
          add_location(LocationKind::kShelf, "", "Hylde " + std::to_string(k), unit, setup_day);
      (offsite ? p.offsite_shelves : p.onsite_shelves).push_back(shelf);
    }
  }

  // Documents' fates, in journalising order.
  p.docs.assign(static_cast<size_t>(a.documents) + 1, DocFate{});
  int64_t in_boxes = 0;
  for (int64_t d = 1; d <= a.documents; ++d) {
    if (IsDraft(d, a.seed)) continue;
    const double r = g.Real();
    Fate f = Fate::kNone;
    if (r < 0.40) {
      f = Fate::kStored;
    } else if (r < 0.405) {
      f = Fate::kPendingStored;
    } else if (r < 0.415) {
      f = Fate::kAwaiting;
    } else if (r < 0.435) {
      f = Fate::kReturnedToSender;
    } else if (r < 0.438) {
      f = Fate::kApproved;
    }
    p.docs[static_cast<size_t>(d)].fate = f;
    in_boxes += f == Fate::kStored || f == Fate::kPendingStored;
  }
  // Boxes filled one after the other, created the day before their first original.
  p.boxes.assign(static_cast<size_t>(a.boxes), Box{});
  {
    int64_t k = 0;
    for (int64_t d = 1; d <= a.documents; ++d) {
      DocFate& f = p.docs[static_cast<size_t>(d)];
      if (f.fate != Fate::kStored && f.fate != Fate::kPendingStored) continue;
      const int64_t b = std::min(a.boxes - 1, k++ * a.boxes / std::max<int64_t>(1, in_boxes));
      f.box = static_cast<int32_t>(b);
      Box& box = p.boxes[static_cast<size_t>(b)];
      if (box.first_doc == 0) box.first_doc = d;
      ++box.docs;
    }
  }
  std::map<std::string, int> boxes_in_year;
  for (int64_t b = 0; b < a.boxes; ++b) {
    Box& box = p.boxes[static_cast<size_t>(b)];
    const int64_t day = box.first_doc
                            ? DayOf(box.first_doc, a.documents, end_day) - g.Uniform(1, 3)
                            : kFirstDay + b * (end_day - kFirstDay) / std::max<int64_t>(1, a.boxes);
    const int32_t shelf = p.onsite_shelves[static_cast<size_t>(
        b * static_cast<int64_t>(p.onsite_shelves.size()) / a.boxes)];
    const std::string year = IsoDate(day).substr(0, 4);
    char code[32];
    std::snprintf(code, sizeof code, "K-%s-%04d", year.c_str(), ++boxes_in_year[year]);
    box.location = add_location(LocationKind::kBox, code, std::string("Kasse ") + code, shelf, day);
    box.shelf = shelf;
  }

  // Dispositions at journalising (with the box for originals kept there), and what
  // happened to the originals approved for destruction.
  for (int64_t d = 1; d <= a.documents; ++d) {
    DocFate& f = p.docs[static_cast<size_t>(d)];
    if (f.fate == Fate::kNone) continue;
    Event e;
    e.day = DayOf(d, a.documents, end_day);
    e.second = work_second();
    e.action = st::ArchiveAction::kDisposition;
    e.document = d;
    switch (f.fate) {
      case Fate::kStored:
        e.disposition = st::Disposition::kKeep;
        e.target = p.boxes[static_cast<size_t>(f.box)].location;
        break;
      case Fate::kPendingStored:
        e.disposition = st::Disposition::kPending;
        e.target = p.boxes[static_cast<size_t>(f.box)].location;
        break;
      case Fate::kAwaiting:
        e.disposition = st::Disposition::kKeep;
        break;
      case Fate::kReturnedToSender:
        e.disposition = st::Disposition::kReturnToSender;
        break;
      case Fate::kApproved:
      case Fate::kDestroyed:
        e.disposition = st::Disposition::kDestructionApproved;
        e.value = g.Next();
        e.due_day = e.day - g.Uniform(0, 30);  // the approval's date
        break;
      case Fate::kNone:
        break;
    }
    add_event(e);
    if (f.fate == Fate::kApproved) {
      const int64_t day = e.day + g.Uniform(30, 365);
      if (day < end_day) {
        f.fate = Fate::kDestroyed;
        Event x = e;
        x.day = day;
        x.second = work_second();
        x.action = st::ArchiveAction::kDestroy;
        x.disposition.reset();
        add_event(x);
      }
    }
  }

  // Handovers: 0.1 % of the boxes, among the oldest tenth, in 2025 or later.
  const int64_t handover_from = std::max<int64_t>(kFirstDay + 2191, end_day - 600);  // 2025
  for (int64_t n = 0; n < std::max<int64_t>(1, a.boxes / 1000); ++n) {
    Box& box = p.boxes[static_cast<size_t>(g.Uniform(0, std::max<int64_t>(0, a.boxes / 10 - 1)))];
    if (box.transferred) continue;
    box.transferred = true;
    Event e;
    e.day = std::min(end_day - 30, handover_from + g.Uniform(0, 300));
    e.second = work_second();
    e.action = st::ArchiveAction::kTransfer;
    e.location = box.location;
    e.target = p.city_archive;
    e.value = g.Next();
    add_event(e);
    box.shelf = p.city_archive;
    ++p.counts["boxes.transferred"];
  }
  // Moves: 5 % of the boxes, once or twice, mostly to the remote store, at least 150 days
  // before the end (so no move falls into a loan).
  const int64_t moves_until = end_day - 150;
  for (int64_t n = 0; n < a.boxes / 20; ++n) {
    Box& box = p.boxes[static_cast<size_t>(g.Uniform(0, a.boxes - 1))];
    const int64_t created = p.locations[static_cast<size_t>(box.location)].day;
    if (box.transferred || box.moves > 0 || created + 30 >= moves_until) continue;
    const int times = g.Real() < 0.6 ? 1 : 2;
    int64_t day = created + 30;
    for (int m = 0; m < times && day < moves_until; ++m) {
      day = g.Uniform(day + 1, moves_until);
      const std::vector<int32_t>& pool =
          g.Real() < 0.7 && !p.offsite_shelves.empty() ? p.offsite_shelves : p.onsite_shelves;
      int32_t to = pool[static_cast<size_t>(g.Uniform(0, static_cast<int64_t>(pool.size()) - 1))];
      if (to == box.shelf) continue;
      Event e;
      e.day = day;
      e.second = work_second();
      e.action = st::ArchiveAction::kMove;
      e.location = box.location;
      e.target = to;
      add_event(e);
      box.shelf = to;
      ++box.moves;
      ++p.counts["moves"];
    }
    if (box.moves > 0) ++p.counts["boxes.moved"];
  }
  // Loans in the last 120 days: lend, and for half of them the return.
  // Returns false when the subject came too late for a loan.
  const auto lend = [&](int64_t document, int32_t location, int64_t earliest, bool returned) {
    Event e;
    e.day = std::max(earliest + 1, end_day - g.Uniform(5, 120));
    if (e.day >= end_day) return false;
    e.second = work_second();
    e.action = st::ArchiveAction::kLend;
    e.document = document;
    e.location = location;
    e.due_day = e.day + g.Uniform(14, 60);
    e.value = g.Next();
    add_event(e);
    if (returned) {
      Event r;
      r.day = std::min(end_day, e.day + g.Uniform(1, e.due_day - e.day + 10));
      r.second = work_second();
      r.action = st::ArchiveAction::kReturn;
      r.document = document;
      r.location = location;
      add_event(r);
    }
    return true;
  };
  for (int64_t n = 0; n < std::max<int64_t>(1, a.boxes / 500); ++n) {
    Box& box = p.boxes[static_cast<size_t>(g.Uniform(0, a.boxes - 1))];
    if (box.transferred || box.loan != kNoLoan || box.docs == 0) continue;
    const bool returned = g.Real() < 0.5;
    if (!lend(0, box.location, p.locations[static_cast<size_t>(box.location)].day, returned)) {
      continue;
    }
    box.loan = returned ? kLentReturned : kLentNow;
    ++p.counts[returned ? "box_loans.returned" : "box_loans.open"];
  }
  for (int64_t d = 1; d <= a.documents; ++d) {
    DocFate& f = p.docs[static_cast<size_t>(d)];
    if (f.box < 0) continue;
    const Box& box = p.boxes[static_cast<size_t>(f.box)];
    if (box.transferred || box.loan != kNoLoan || g.Real() >= 0.01) continue;
    const bool returned = g.Real() < 0.5;
    if (!lend(d, -1, DayOf(d, a.documents, end_day), returned)) continue;
    f.loan = returned ? kLentReturned : kLentNow;
    ++p.counts[returned ? "document_loans.returned" : "document_loans.open"];
  }

  std::stable_sort(p.events.begin(), p.events.end(), [](const Event& x, const Event& y) {
    return x.day != y.day ? x.day < y.day : x.second < y.second;
  });
  for (const Event& e : p.events)
    ++p.counts["events." + std::string(st::ArchiveActionName(e.action))];
  for (size_t d = 1; d < p.docs.size(); ++d) {
    static const char* const kFateNames[] = {"none",     "stored",   "pending_stored", "awaiting",
                                             "returned", "approved", "destroyed"};
    ++p.counts[std::string("documents.") + kFateNames[static_cast<int>(p.docs[d].fate)]];
  }
  return p;
}

// ---- generation ----

void GenerateJournal(Database& db, const Args& a, int64_t cases, int64_t end_day) {
  Gen g(a.seed);
  Check(db.Execute("PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576"), "pragma");
  for (const std::string table : {"documents_fts", "search_pairs"}) {
    Check(db.Execute("INSERT INTO " + table + " (" + table +
                     ", rank) VALUES ('hashsize', 134217728)"),
          "fts hashsize");
  }
  Check(intake::bench::InsertCases(db, g, cases), "cases");
  std::vector<int> next_number(static_cast<size_t>(cases) + 1, 0);
  Statement text =
      Check(db.Prepare("INSERT INTO document_text (document_id, ocr_text) VALUES (?1, ?2)"),
            "prepare text");
  Statement doc =
      Check(db.Prepare("INSERT INTO documents (id, case_id, doc_number, title, direction, "
                       "doc_type, letter_date, received_date, journal_date, state, page_count, "
                       "pdf_sha256, idempotency_key, created) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
            "prepare documents");
  const auto started = Clock::now();
  constexpr int64_t kBatch = 10000;
  for (int64_t first = 1; first <= a.documents; first += kBatch) {
    st::Transaction t(db);
    Check(t.Begin(), "begin");
    Check(db.Execute("PRAGMA defer_foreign_keys=ON"), "defer foreign keys");
    const int64_t last = std::min(a.documents, first + kBatch - 1);
    for (int64_t id = first; id <= last; ++id) {
      const int64_t received = DayOf(id, a.documents, end_day);
      const int64_t letter = received - g.Uniform(1, 6);
      const bool draft = IsDraft(id, a.seed);
      const int64_t case_id = CaseOf(id, cases, a.seed);
      const std::string reference = CaseReference(case_id);
      const std::string& topic = kTopics[g.Zipf(kTopics.size())];
      const std::string title = Fill(g.Pick(kTitleTemplates), g, topic, letter, reference);
      Check(text.Reset(), "reset");
      text.Bind(1, id).Bind(2, title + "\n" + CitizenName(case_id) + "\nVedr.: " + topic +
                                   " – sagsnr. " + reference + "\n");
      Check(text.Run(), "insert text");
      Check(doc.Reset(), "reset");
      doc.Bind(1, id);
      if (draft) {
        doc.BindNull(2).BindNull(3);
      } else {
        doc.Bind(2, case_id).Bind(3, ++next_number[static_cast<size_t>(case_id)]);
      }
      doc.Bind(4, title)
          .Bind(5, g.Real() < 0.8 ? "in" : "out")
          .Bind(6, g.Pick(kDocTypes))
          .Bind(7, IsoDate(letter))
          .Bind(8, IsoDate(received));
      if (draft) {
        doc.BindNull(9).Bind(10, "draft");
      } else {
        doc.Bind(9, IsoDate(received) + "T10:15:00Z").Bind(10, "journalised");
      }
      doc.Bind(11, g.Uniform(1, 4))
          .Bind(12, g.Hex(64))
          .Bind(13, g.Hex(64))
          .Bind(14, IsoDate(received) + "T09:00:00Z");
      Check(doc.Run(), "insert document");
    }
    Check(t.Commit(), "commit documents");
    if ((last % 100000) == 0 || last == a.documents) {
      const double s = Seconds(Clock::now() - started);
      std::fprintf(stderr, "  %lld documents, %.0f s, %.0f documents/s\n",
                   static_cast<long long>(last), s, static_cast<double>(last) / s);
    }
  }
  for (const std::string table : {"documents_fts", "search_pairs"}) {
    Check(
        db.Execute("INSERT INTO " + table + " (" + table + ", rank) VALUES ('hashsize', 1048576)"),
        "fts hashsize");
  }
}

void InsertArchive(Database& db, const Plan& p) {
  {
    st::Transaction t(db);
    Check(t.Begin(), "begin");
    Statement ins = Check(db.Prepare("INSERT INTO archive_locations (id, kind, barcode, name, "
                                     "note, created) VALUES (?1, ?2, ?3, ?4, NULL, ?5)"),
                          "prepare locations");
    for (size_t i = 0; i < p.locations.size(); ++i) {
      const Location& l = p.locations[i];
      Check(ins.Reset(), "reset");
      ins.Bind(1, static_cast<int64_t>(i + 1))
          .Bind(2, st::LocationKindName(l.kind))
          .Bind(3, l.barcode)
          .Bind(4, l.name)
          .Bind(5, IsoTime(l.day, l.second));
      Check(ins.Run(), "insert location");
    }
    Check(t.Commit(), "commit locations");
  }
  Statement ins = Check(
      db.Prepare("INSERT INTO archive_events (id, time, actor, action, document_id, location_id, "
                 "target_id, places, disposition, borrower, due_date, approval_ref, "
                 "approval_date, method, reference, note) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, NULL)"),
      "prepare events");
  constexpr size_t kBatch = 50000;
  for (size_t first = 0; first < p.events.size(); first += kBatch) {
    st::Transaction t(db);
    Check(t.Begin(), "begin");
    for (size_t i = first; i < std::min(p.events.size(), first + kBatch); ++i) {
      const Event& e = p.events[i];
      Check(ins.Reset(), "reset");
      ins.Bind(1, static_cast<int64_t>(i + 1))
          .Bind(2, IsoTime(e.day, e.second))
          .Bind(3, kActors[Mix(i) % kActors.size()])
          .Bind(4, st::ArchiveActionName(e.action));
      if (e.document) {
        ins.Bind(5, e.document).BindNull(6);
      } else {
        ins.BindNull(5).Bind(6, static_cast<int64_t>(e.location + 1));
      }
      if (e.target >= 0) {
        ins.Bind(7, static_cast<int64_t>(e.target + 1));
      } else {
        ins.BindNull(7);
      }
      ins.Bind(8, e.places ? 1 : 0);
      if (e.disposition) {
        ins.Bind(9, st::DispositionName(*e.disposition));
      } else {
        ins.BindNull(9);
      }
      for (int k = 10; k <= 15; ++k) ins.BindNull(k);
      const bool approval = e.disposition == st::Disposition::kDestructionApproved ||
                            e.action == st::ArchiveAction::kDestroy;
      if (e.action == st::ArchiveAction::kLend) {
        ins.Bind(10, Borrower(e.value)).Bind(11, IsoDate(e.due_day));
      }
      if (approval) ins.Bind(12, Approval(e.due_day, e.value)).Bind(13, IsoDate(e.due_day));
      if (e.action == st::ArchiveAction::kDestroy) ins.Bind(14, "makulering");
      if (e.action == st::ArchiveAction::kTransfer) {
        ins.Bind(15, "AFL-" + IsoDate(e.day).substr(0, 4) + "-" + std::to_string(e.value % 40 + 1));
      }
      Check(ins.Run(), "insert event");
    }
    Check(t.Commit(), "commit events");
  }
}

// ---- the peer: the register as a CSV file ----

// The place columns of a row: shelf barcode; "Reol 12 / Hylde 3"; room; site.
std::string PlaceColumns(const Plan& p, int32_t where) {
  const Location& l = p.locations[static_cast<size_t>(where)];
  if (l.kind != LocationKind::kShelf) return ";;;" + l.name;
  const Location& unit = p.locations[static_cast<size_t>(l.parent)];
  const Location& room = p.locations[static_cast<size_t>(unit.parent)];
  const Location& site = p.locations[static_cast<size_t>(room.parent)];
  return l.barcode + ";" + unit.name + " / " + l.name + ";" + room.name + ";" + site.name;
}

// Writes the register the way an archive keeps it today: a spreadsheet, one row per
// original as registered (with its box and the box's place at that time), one row per box
// move or handover, in the order they happened, exported as CSV (semicolons, as a Danish
// spreadsheet writes it). Returns the number of rows.
int64_t WriteRegister(const Plan& p, int64_t cases, uint64_t seed, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "type;dokument;sag;kasse;hylde_stregkode;hylde;rum;sted;status\n";
  int64_t rows = 0;
  std::vector<int32_t> shelf_of(p.locations.size(), -1);  // a box's place as events go
  for (size_t i = 0; i < p.locations.size(); ++i) shelf_of[i] = p.locations[i].parent;
  for (const Event& e : p.events) {
    using A = st::ArchiveAction;
    if (e.action == A::kDisposition) {
      std::string status(st::DispositionDanish(*e.disposition));
      std::string place = ";;;";  // shelf barcode, shelf, room, site
      std::string box;
      if (e.target >= 0) {
        box = p.locations[static_cast<size_t>(e.target)].barcode;
        place = PlaceColumns(p, shelf_of[static_cast<size_t>(e.target)]);
      } else if (*e.disposition == st::Disposition::kKeep) {
        status = "afventer placering";
      }
      out << "dokument;" << e.document << ";KK " << CaseReference(CaseOf(e.document, cases, seed))
          << ";" << box << ";" << place << ";" << status << "\n";
      ++rows;
    } else if (e.action == A::kDestroy) {
      out << "dokument;" << e.document << ";KK " << CaseReference(CaseOf(e.document, cases, seed))
          << ";;;;;;destrueret\n";
      ++rows;
    } else if (e.action == A::kMove || e.action == A::kTransfer) {
      shelf_of[static_cast<size_t>(e.location)] = e.target;
      out << (e.action == A::kMove ? "flytning" : "aflevering") << ";;;"
          << p.locations[static_cast<size_t>(e.location)].barcode << ";"
          << PlaceColumns(p, e.target) << ";" << (e.action == A::kMove ? "" : "afleveret") << "\n";
      ++rows;
    }
  }
  return rows;
}

struct PeerAnswer {
  bool found = false;
  std::string box, shelf_barcode, shelf, room, site, status;
};

// "Where is document X?" from the register: read it line by line to the end, take the
// original's newest row, then every later move or handover of its box.
PeerAnswer PeerWhere(const std::string& path, int64_t document) {
  PeerAnswer answer;
  std::ifstream in(path, std::ios::binary);
  const std::string wanted = std::to_string(document);
  std::string line;
  std::vector<std::string_view> f;
  while (std::getline(in, line)) {
    f.clear();
    size_t start = 0;
    for (;;) {
      const size_t semi = line.find(';', start);
      f.emplace_back(std::string_view(line).substr(start, semi - start));
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    if (f.size() < 9) continue;
    const bool doc_row = f[0] == "dokument" && f[1] == wanted;
    const bool box_row =
        answer.found && !answer.box.empty() && f[0] != "dokument" && f[3] == answer.box;
    if (!doc_row && !box_row) continue;
    if (doc_row) {
      answer.found = true;
      answer.box = f[3];
      answer.status = f[8];
    }
    answer.shelf_barcode = f[4];
    answer.shelf = f[5];
    answer.room = f[6];
    answer.site = f[7];
    if (box_row && !f[8].empty()) answer.status = f[8];
  }
  return answer;
}

// ---- what the model expects Where to say ----

enum class Category {
  kStored,
  kMovedBox,
  kOnLoan,
  kLoanReturned,
  kInLentBox,
  kTransferred,
  kAwaiting,
  kReturnedToSender,
  kDestroyed,
  kNoOriginal,
  kCount
};
const char* const kCategoryNames[] = {"stored",
                                      "stored, box moved",
                                      "on loan",
                                      "loan returned",
                                      "in a lent box",
                                      "handed over",
                                      "awaiting placement",
                                      "returned to sender",
                                      "destroyed",
                                      "no original"};
// Share of the queries per category (the rest: stored).
const double kCategoryShare[] = {0, 0.10, 0.08, 0.05, 0.04, 0.02, 0.04, 0.03, 0.02, 0.25};

std::optional<Category> CategoryOf(const Plan& p, int64_t d) {
  const DocFate& f = p.docs[static_cast<size_t>(d)];
  switch (f.fate) {
    case Fate::kNone:
      return std::nullopt;  // drafts and never-archived documents: chosen separately
    case Fate::kAwaiting:
      return Category::kAwaiting;
    case Fate::kReturnedToSender:
      return Category::kReturnedToSender;
    case Fate::kDestroyed:
      return Category::kDestroyed;
    case Fate::kApproved:
      return std::nullopt;
    case Fate::kStored:
    case Fate::kPendingStored:
      break;
  }
  const Box& box = p.boxes[static_cast<size_t>(f.box)];
  if (box.transferred) return Category::kTransferred;
  if (f.loan == kLentNow) return Category::kOnLoan;
  if (box.loan == kLentNow) return Category::kInLentBox;
  if (f.loan == kLentReturned) return Category::kLoanReturned;
  if (box.moves > 0) return Category::kMovedBox;
  return Category::kStored;
}

st::Whereabouts::State ExpectedState(Category c) {
  using S = st::Whereabouts::State;
  switch (c) {
    case Category::kOnLoan:
    case Category::kInLentBox:
      return S::kOnLoan;
    case Category::kTransferred:
      return S::kTransferred;
    case Category::kAwaiting:
      return S::kAwaitingPlacement;
    case Category::kReturnedToSender:
      return S::kReturnedToSender;
    case Category::kDestroyed:
      return S::kDestroyed;
    case Category::kNoOriginal:
      return S::kNoOriginal;
    default:
      return S::kStored;
  }
}

// "" when the answer agrees with the model, else what is wrong.
std::string CheckAnswer(const Plan& p, int64_t d, Category c, const st::Whereabouts& w) {
  if (w.document_id != d) return "document id " + std::to_string(w.document_id);
  if (w.state != ExpectedState(c)) {
    return "state " + std::to_string(static_cast<int>(w.state)) + ", expected " +
           std::to_string(static_cast<int>(ExpectedState(c))) + " (" + w.Describe() + ")";
  }
  const DocFate& f = p.docs[static_cast<size_t>(d)];
  if (f.box < 0 || c == Category::kTransferred) return "";
  const Box& box = p.boxes[static_cast<size_t>(f.box)];
  const std::string& box_code = p.locations[static_cast<size_t>(box.location)].barcode;
  const std::string& shelf_code = p.locations[static_cast<size_t>(box.shelf)].barcode;
  if (w.path.size() < 2 || w.path.back().barcode != box_code ||
      w.path[w.path.size() - 2].barcode != shelf_code) {
    return "path \"" + w.PathText() + "\", expected box " + box_code + " on " + shelf_code;
  }
  if (w.path.size() != 5) return "path of " + std::to_string(w.path.size()) + " locations";
  return "";
}

struct Stats {
  std::vector<double> ms, cpu_ms;
  void Add(double wall, double cpu) {
    ms.push_back(wall);
    cpu_ms.push_back(cpu);
  }
  double Max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
  double CpuMax() const {
    return cpu_ms.empty() ? 0 : *std::max_element(cpu_ms.begin(), cpu_ms.end());
  }
  nlohmann::json Json() const {
    return {{"n", ms.size()},
            {"p50_ms", Percentile(ms, 0.50)},
            {"p95_ms", Percentile(ms, 0.95)},
            {"p99_ms", Percentile(ms, 0.99)},
            {"max_ms", Max()},
            {"cpu_p50_ms", Percentile(cpu_ms, 0.50)},
            {"cpu_p95_ms", Percentile(cpu_ms, 0.95)},
            {"cpu_p99_ms", Percentile(cpu_ms, 0.99)},
            {"cpu_max_ms", CpuMax()}};
  }
};

// Runs `f` once, timing wall and thread CPU time in milliseconds.
template <typename F>
auto Timed(Stats* stats, F&& f) {
  const double c0 = ThreadCpuSeconds();
  const auto t0 = Clock::now();
  auto r = f();
  const double wall = Seconds(Clock::now() - t0) * 1000.0;
  stats->Add(wall, (ThreadCpuSeconds() - c0) * 1000.0);
  return r;
}

int Usage() {
  std::fprintf(stderr,
               "usage: archive_bench [--documents N] [--boxes N] [--queries N] [--api-events N] "
               "[--seed N] [--db FILE] [--out FILE] [--reuse] [--keep]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(Usage());
      return argv[++i];
    };
    if (s == "--documents") {
      a.documents = std::atoll(value().c_str());
    } else if (s == "--boxes") {
      a.boxes = std::atoll(value().c_str());
    } else if (s == "--queries") {
      a.queries = std::atoi(value().c_str());
    } else if (s == "--api-events") {
      a.api_events = std::atoi(value().c_str());
    } else if (s == "--seed") {
      a.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (s == "--db") {
      a.db = value();
    } else if (s == "--out") {
      a.out = value();
    } else if (s == "--reuse") {
      a.reuse = true;
    } else if (s == "--keep") {
      a.keep = true;
    } else {
      return Usage();
    }
  }
  if (a.documents < 1000 || a.boxes < 20 || a.boxes > a.documents || a.queries < 10 ||
      a.api_events < 0) {
    return Usage();
  }
  const int64_t cases = std::max<int64_t>(1, a.documents / 10);
  const auto parent_of = [](const std::string& path) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
  };
  std::filesystem::create_directories(parent_of(a.db));
  std::filesystem::create_directories(parent_of(a.out));
  const std::string register_csv = a.db + ".register.csv";
  nlohmann::json report;

  // ---- generation, or reuse ----
  int64_t end_day = intake::bench::Today() - 1;
  bool reused = false;
  if (a.reuse && std::filesystem::exists(a.db)) {
    auto db = Check(Database::Open(a.db), "open");
    reused = MetaValue(*db, "bench.archive.documents") == std::to_string(a.documents) &&
             MetaValue(*db, "bench.archive.boxes") == std::to_string(a.boxes) &&
             MetaValue(*db, "bench.archive.seed") == std::to_string(a.seed) &&
             MetaValue(*db, "bench.archive.api_events").empty();
    if (reused) end_day = std::atoll(MetaValue(*db, "bench.archive.end_day").c_str());
  }
  if (!reused) {
    for (const char* suffix : {"", "-wal", "-shm", ".key", ".anchor"}) {
      std::filesystem::remove(a.db + suffix);
    }
    std::filesystem::remove_all(a.db + ".files");
  }
  const auto tp = Clock::now();
  const Plan plan = MakePlan(a, cases, end_day);
  const double plan_s = Seconds(Clock::now() - tp);
  auto db = Check(Database::Open(a.db), "open");
  Check(st::MigrateToCurrent(*db), "migrate");
  if (!reused) {
    std::fprintf(stderr, "generating %lld documents on %lld cases, %lld boxes (seed %llu) in %s\n",
                 static_cast<long long>(a.documents), static_cast<long long>(cases),
                 static_cast<long long>(a.boxes), static_cast<unsigned long long>(a.seed),
                 a.db.c_str());
    const auto t0 = Clock::now();
    GenerateJournal(*db, a, cases, end_day);
    const double journal_s = Seconds(Clock::now() - t0);
    const auto t1 = Clock::now();
    InsertArchive(*db, plan);
    const double archive_s = Seconds(Clock::now() - t1);
    std::fprintf(stderr, "  journal %.0f s, archive (%zu locations, %zu events) %.1f s\n",
                 journal_s, plan.locations.size(), plan.events.size(), archive_s);
    Check(db->Execute("PRAGMA synchronous=FULL"), "pragma");
    const auto m = Check(st::MergeSearchIndex(*db, std::chrono::hours(2)), "merge");
    std::fprintf(stderr, "  search index merged: %d steps, %.0f s\n", m.steps, m.seconds);
    auto set = Check(db->Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES "
                                 "('bench.archive.documents', ?1), ('bench.archive.boxes', ?2), "
                                 "('bench.archive.seed', ?3), ('bench.archive.end_day', ?4), "
                                 "('bench.archive.journal_seconds', ?5), "
                                 "('bench.archive.archive_seconds', ?6), "
                                 "('bench.archive.merge_seconds', ?7)"),
                     "prepare meta");
    set.Bind(1, std::to_string(a.documents))
        .Bind(2, std::to_string(a.boxes))
        .Bind(3, std::to_string(a.seed))
        .Bind(4, std::to_string(end_day))
        .Bind(5, std::to_string(journal_s))
        .Bind(6, std::to_string(archive_s))
        .Bind(7, std::to_string(m.seconds));
    Check(set.Run(), "meta");
  } else {
    std::fprintf(stderr, "reusing %s\n", a.db.c_str());
  }
  Check(db->Execute("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
  const double journal_s = std::atof(MetaValue(*db, "bench.archive.journal_seconds").c_str());
  const double archive_s = std::atof(MetaValue(*db, "bench.archive.archive_seconds").c_str());
  const double merge_s = std::atof(MetaValue(*db, "bench.archive.merge_seconds").c_str());

  // ---- bytes ----
  const int64_t file_bytes = FileSize(a.db) + FileSize(a.db + "-wal");
  int64_t events = 0, locations = 0;
  {
    Statement c = Check(db->Prepare("SELECT (SELECT count(*) FROM archive_events), "
                                    "(SELECT count(*) FROM archive_locations)"),
                        "count");
    if (Check(c.Step(), "count")) {
      events = c.Int(0);
      locations = c.Int(1);
    }
  }
  nlohmann::json tables = nlohmann::json::object();
  int64_t event_bytes = 0, location_bytes = 0;
  {
    // Only the archive's tables and indexes (dbstat's name constraint: no full scan).
    Statement names = Check(db->Prepare("SELECT name, tbl_name FROM sqlite_master WHERE "
                                        "tbl_name IN ('archive_events', 'archive_locations') "
                                        "AND type IN ('table', 'index')"),
                            "names");
    std::vector<std::pair<std::string, std::string>> objects;
    while (Check(names.Step(), "names")) objects.emplace_back(names.Text(0), names.Text(1));
    Statement size = Check(db->Prepare("SELECT sum(pgsize) FROM dbstat WHERE name = ?1"), "dbstat");
    for (const auto& [name, table] : objects) {
      Check(size.Reset(), "reset");
      size.Bind(1, name);
      const int64_t bytes = Check(size.Step(), "dbstat") ? size.Int(0) : 0;
      tables[name] = bytes;
      (table == "archive_events" ? event_bytes : location_bytes) += bytes;
    }
  }

  // ---- the register (peer) ----
  const int64_t register_rows = WriteRegister(plan, cases, a.seed, register_csv);
  const int64_t register_bytes = FileSize(register_csv);
  db.reset();

  // ---- the journal, as the station opens it ----
  st::JournalOptions options;
  options.database_path = a.db;
  options.file_store_dir = a.db + ".files";
  options.key_file = a.db + ".key";
  options.anchor_file = a.db + ".anchor";
  const auto t_open = Clock::now();
  auto journal = st::OpenSqliteJournal(options);
  if (!journal) Die("journal: " + journal.error().ToString());
  const double open_s = Seconds(Clock::now() - t_open);
  st::Archive& archive = (*journal)->archive();

  // The queries: a mix of documents by category, in random order.
  Gen g(a.seed + 202);
  std::vector<std::vector<int64_t>> by_category(static_cast<size_t>(Category::kCount));
  for (int64_t d = 1; d <= a.documents; ++d) {
    if (auto c = CategoryOf(plan, d)) {
      by_category[static_cast<size_t>(*c)].push_back(d);
    } else if (plan.docs[static_cast<size_t>(d)].fate == Fate::kNone && !IsDraft(d, a.seed)) {
      by_category[static_cast<size_t>(Category::kNoOriginal)].push_back(d);
    }
  }
  struct Query {
    int64_t document;
    Category category;
  };
  std::vector<Query> queries;
  for (size_t c = 1; c < static_cast<size_t>(Category::kCount); ++c) {
    const auto n = static_cast<int64_t>(kCategoryShare[c] * a.queries + 0.5);
    for (int64_t k = 0; k < n && !by_category[c].empty(); ++k) {
      queries.push_back({g.Pick(by_category[c]), static_cast<Category>(c)});
    }
  }
  while (static_cast<int>(queries.size()) < a.queries) {
    queries.push_back({g.Pick(by_category[0]), Category::kStored});
  }
  for (size_t k = queries.size(); k > 1; --k) {
    std::swap(queries[k - 1],
              queries[static_cast<size_t>(g.Uniform(0, static_cast<int64_t>(k) - 1))]);
  }

  const st::Viewer everyone = st::Viewer::Everyone("arkivar");
  const st::Viewer caseworker{"sagsbehandler", {"jobcenter-følsom"}, false};
  nlohmann::json where_report = nlohmann::json::object();
  std::printf(
      "\n=== archive_bench: %lld documents on %lld cases, %lld boxes, %lld locations, "
      "%lld events (seed %llu) ===\n\n",
      static_cast<long long>(a.documents), static_cast<long long>(cases),
      static_cast<long long>(a.boxes), static_cast<long long>(locations),
      static_cast<long long>(events), static_cast<unsigned long long>(a.seed));
  std::printf("%-34s %7s %8s %8s %8s %8s %8s  %s\n", "question", "n", "p50 ms", "p95 ms", "p99 ms",
              "max ms", "cpu p99", "answers");
  std::printf("%s\n", std::string(100, '-').c_str());
  Stats where_all;
  for (const auto& [label, viewer] :
       {std::pair<const char*, const st::Viewer*>{"all_access", &everyone},
        std::pair<const char*, const st::Viewer*>{"restricted", &caseworker}}) {
    for (const Query& q : queries) (void)archive.Where(q.document, *viewer);  // warm-up
    Stats all;
    std::vector<Stats> per(static_cast<size_t>(Category::kCount));
    int64_t wrong = 0, not_found = 0, failed = 0;
    nlohmann::json wrong_examples = nlohmann::json::array();
    for (const Query& q : queries) {
      Stats one;
      auto w = Timed(&one, [&] { return archive.Where(q.document, *viewer); });
      all.Add(one.ms[0], one.cpu_ms[0]);
      per[static_cast<size_t>(q.category)].Add(one.ms[0], one.cpu_ms[0]);
      if (!w) {
        if (w.error().code() == intake::ErrorCode::kNotFound && !viewer->all_access) {
          ++not_found;  // a restricted case the caseworker may not see
        } else {
          ++failed;
          if (wrong_examples.size() < 10) {
            wrong_examples.push_back({{"document", q.document},
                                      {"category", kCategoryNames[static_cast<int>(q.category)]},
                                      {"error", w.error().ToString()}});
          }
        }
        continue;
      }
      const std::string problem = CheckAnswer(plan, q.document, q.category, *w);
      if (!problem.empty()) {
        ++wrong;
        if (wrong_examples.size() < 10) {
          wrong_examples.push_back({{"document", q.document},
                                    {"category", kCategoryNames[static_cast<int>(q.category)]},
                                    {"problem", problem}});
        }
      }
    }
    nlohmann::json j = all.Json();
    j["wrong"] = wrong;
    j["failed"] = failed;
    j["not_found_restricted"] = not_found;
    j["problems"] = wrong_examples;
    nlohmann::json cats = nlohmann::json::object();
    for (size_t c = 0; c < per.size(); ++c) {
      if (!per[c].ms.empty()) cats[kCategoryNames[c]] = per[c].Json();
    }
    j["by_category"] = cats;
    where_report[label] = j;
    char answers[96];
    std::snprintf(
        answers, sizeof answers, "%lld wrong, %lld failed%s", static_cast<long long>(wrong),
        static_cast<long long>(failed),
        viewer->all_access ? "" : (", " + std::to_string(not_found) + " not visible").c_str());
    std::printf(
        "%-34s %7zu %8.3f %8.3f %8.3f %8.3f %8.3f  %s\n",
        (std::string("where, ") + (viewer->all_access ? "all access" : "caseworker")).c_str(),
        all.ms.size(), Percentile(all.ms, 0.5), Percentile(all.ms, 0.95), Percentile(all.ms, 0.99),
        all.Max(), Percentile(all.cpu_ms, 0.99), answers);
    if (viewer->all_access) {
      where_all = all;
      for (size_t c = 0; c < per.size(); ++c) {
        if (per[c].ms.empty()) continue;
        std::printf("  %-32s %7zu %8.3f %8.3f %8.3f %8.3f %8.3f\n", kCategoryNames[c],
                    per[c].ms.size(), Percentile(per[c].ms, 0.5), Percentile(per[c].ms, 0.95),
                    Percentile(per[c].ms, 0.99), per[c].Max(), Percentile(per[c].cpu_ms, 0.99));
      }
    }
  }

  // Contents of random boxes, loans, unplaced.
  Stats contents;
  int64_t contents_originals = 0, contents_wrong = 0;
  {
    std::vector<const Box*> boxes;
    for (int k = 0; k < std::min(200, a.queries); ++k) {
      boxes.push_back(&plan.boxes[static_cast<size_t>(g.Uniform(0, a.boxes - 1))]);
    }
    const auto code = [&](const Box* b) -> const std::string& {
      return plan.locations[static_cast<size_t>(b->location)].barcode;
    };
    for (const Box* b : boxes) (void)archive.Contents(code(b), everyone);
    for (const Box* b : boxes) {
      auto r = Timed(&contents, [&] { return archive.Contents(code(b), everyone); });
      if (!r) Die("contents " + code(b) + ": " + r.error().ToString());
      contents_originals += static_cast<int64_t>(r->size());
      contents_wrong += static_cast<int64_t>(r->size()) != b->docs;
    }
  }
  // What the model says the loan lists hold.
  size_t expected_loans = 0, expected_overdue = 0, expected_unplaced = 0;
  for (const Event& e : plan.events) {
    if (e.action != st::ArchiveAction::kLend) continue;
    const bool open = e.document
                          ? plan.docs[static_cast<size_t>(e.document)].loan == kLentNow
                          : std::any_of(plan.boxes.begin(), plan.boxes.end(), [&](const Box& b) {
                              return b.location == e.location && b.loan == kLentNow;
                            });
    expected_loans += open;
    expected_overdue += open && e.due_day < intake::bench::Today();
  }
  // Originals approved for destruction but not destroyed are kept meanwhile: Unplaced
  // lists them with those awaiting placement.
  for (const DocFate& f : plan.docs) {
    expected_unplaced += f.fate == Fate::kAwaiting || f.fate == Fate::kApproved;
  }
  const std::string today = IsoDate(intake::bench::Today());
  Stats overdue, all_loans, unplaced;
  size_t overdue_n = 0, loans_n = 0, unplaced_n = 0;
  for (int k = 0; k < 21; ++k) {
    Stats* s1 = k == 0 ? nullptr : &overdue;  // the first run warms up
    Stats scratch;
    auto r = Timed(s1 ? s1 : &scratch, [&] { return archive.Loans(today); });
    if (!r) Die("loans: " + r.error().ToString());
    overdue_n = r->size();
    auto r2 = Timed(k == 0 ? &scratch : &all_loans, [&] { return archive.Loans(std::nullopt); });
    if (!r2) Die("loans: " + r2.error().ToString());
    loans_n = r2->size();
  }
  for (int k = 0; k < 6; ++k) {
    Stats scratch;
    auto r = Timed(k == 0 ? &scratch : &unplaced, [&] { return archive.Unplaced(everyone); });
    if (!r) Die("unplaced: " + r.error().ToString());
    unplaced_n = r->size();
  }
  const auto print_row = [](const std::string& what, const Stats& s, const std::string& note) {
    std::printf("%-34s %7zu %8.3f %8.3f %8.3f %8.3f %8.3f  %s\n", what.c_str(), s.ms.size(),
                Percentile(s.ms, 0.5), Percentile(s.ms, 0.95), Percentile(s.ms, 0.99), s.Max(),
                Percentile(s.cpu_ms, 0.99), note.c_str());
  };
  print_row("contents of a box", contents,
            std::to_string(contents_originals /
                           std::max<int64_t>(1, static_cast<int64_t>(contents.ms.size()))) +
                " originals per box, " + std::to_string(contents_wrong) + " wrong counts");
  print_row("loans overdue on " + today, overdue,
            std::to_string(overdue_n) + " loans (model: " + std::to_string(expected_overdue) + ")");
  print_row("loans, all", all_loans,
            std::to_string(loans_n) + " loans (model: " + std::to_string(expected_loans) + ")");
  print_row("unplaced originals", unplaced,
            std::to_string(unplaced_n) + " (model: " + std::to_string(expected_unplaced) + ")");

  // ---- the peer ----
  const size_t peer_n = std::min<size_t>(100, queries.size());
  Stats peer;
  int64_t peer_agree = 0, peer_checked = 0;
  nlohmann::json peer_problems = nlohmann::json::array();
  (void)PeerWhere(register_csv, queries[0].document);  // the file into the page cache
  for (size_t k = 0; k < peer_n; ++k) {
    const Query& q = queries[k];
    const PeerAnswer ans = Timed(&peer, [&] { return PeerWhere(register_csv, q.document); });
    const DocFate& f = plan.docs[static_cast<size_t>(q.document)];
    if (f.box < 0) continue;
    ++peer_checked;
    const Box& box = plan.boxes[static_cast<size_t>(f.box)];
    const bool ok = ans.found &&
                    ans.box == plan.locations[static_cast<size_t>(box.location)].barcode &&
                    (box.transferred ||
                     ans.shelf_barcode == plan.locations[static_cast<size_t>(box.shelf)].barcode);
    peer_agree += ok;
    if (!ok && peer_problems.size() < 5) {
      peer_problems.push_back(
          {{"document", q.document}, {"box", ans.box}, {"shelf", ans.shelf_barcode}});
    }
  }
  // The station on the same questions as the peer (the all-access run, in query order).
  const std::vector<double> same(where_all.ms.begin(),
                                 where_all.ms.begin() + static_cast<std::ptrdiff_t>(peer_n));
  const double ratio50 = Percentile(same, 0.5) / Percentile(peer.ms, 0.5);
  const double ratio95 = Percentile(same, 0.95) / Percentile(peer.ms, 0.95);
  std::printf("\npeer: the register as CSV (%lld rows, %.1f MB), std::getline scan to the end\n",
              static_cast<long long>(register_rows), static_cast<double>(register_bytes) / 1e6);
  print_row("where, peer", peer,
            std::to_string(peer_agree) + "/" + std::to_string(peer_checked) + " boxed agree");
  std::printf(
      "%-34s p50 %.5f, p95 %.5f on the same %zu questions (peer / station: %.0f x at "
      "p50)\n",
      "station / peer", ratio50, ratio95, peer_n, 1.0 / ratio50);

  // ---- API events ----
  nlohmann::json api = nullptr;
  if (a.api_events > 0) {
    // Marks the database as changed: a later --reuse regenerates it.
    {
      auto mdb = Check(Database::Open(a.db), "open");
      Check(mdb->Execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                         "('bench.archive.api_events', '" +
                         std::to_string(a.api_events) + "')"),
            "meta");
    }
    const st::Actor actor{"arkivar"};
    std::vector<int64_t> place_docs, lend_docs;
    std::vector<int32_t> place_boxes, move_boxes, move_shelves;
    const auto usable_box = [&](const Box& b) { return !b.transferred && b.loan != kLentNow; };
    std::vector<bool> box_taken(plan.boxes.size(), false);
    for (size_t guard = 0; static_cast<int>(place_docs.size()) < a.api_events && guard < 1000000;
         ++guard) {
      const int64_t d = g.Pick(by_category[static_cast<size_t>(Category::kNoOriginal)]);
      if (std::find(place_docs.begin(), place_docs.end(), d) != place_docs.end()) continue;
      int32_t b = static_cast<int32_t>(g.Uniform(0, a.boxes - 1));
      while (!usable_box(plan.boxes[static_cast<size_t>(b)]))
        b = (b + 1) % static_cast<int32_t>(a.boxes);
      place_docs.push_back(d);
      place_boxes.push_back(b);
    }
    // Boxes without anything on loan in them, moved to another shelf.
    std::vector<bool> has_lent_doc(plan.boxes.size(), false);
    for (const DocFate& f : plan.docs) {
      if (f.box >= 0 && f.loan == kLentNow) has_lent_doc[static_cast<size_t>(f.box)] = true;
    }
    for (size_t guard = 0; static_cast<int>(move_boxes.size()) < a.api_events && guard < 1000000;
         ++guard) {
      const auto b = static_cast<int32_t>(g.Uniform(0, a.boxes - 1));
      if (box_taken[static_cast<size_t>(b)] || !usable_box(plan.boxes[static_cast<size_t>(b)]) ||
          has_lent_doc[static_cast<size_t>(b)]) {
        continue;
      }
      const std::vector<int32_t>& pool =
          g.Real() < 0.5 ? plan.offsite_shelves : plan.onsite_shelves;
      const int32_t to =
          pool[static_cast<size_t>(g.Uniform(0, static_cast<int64_t>(pool.size()) - 1))];
      if (to == plan.boxes[static_cast<size_t>(b)].shelf) continue;
      box_taken[static_cast<size_t>(b)] = true;
      move_boxes.push_back(b);
      move_shelves.push_back(to);
    }
    for (size_t guard = 0; static_cast<int>(lend_docs.size()) < a.api_events && guard < 1000000;
         ++guard) {
      const int64_t d = g.Pick(by_category[static_cast<size_t>(Category::kStored)]);
      if (std::find(lend_docs.begin(), lend_docs.end(), d) == lend_docs.end())
        lend_docs.push_back(d);
    }
    Stats place_t, move_t, lend_t, return_t;
    int64_t place_failed = 0, move_failed = 0, lend_failed = 0, return_failed = 0;
    nlohmann::json errors = nlohmann::json::array();
    const auto note_error = [&](const char* what, const intake::Error& e) {
      if (errors.size() < 10) errors.push_back(std::string(what) + ": " + e.ToString());
    };
    const std::string due = IsoDate(intake::bench::Today() + 30);
    for (size_t k = 0; k < place_docs.size(); ++k) {
      const std::string& box =
          plan.locations[static_cast<size_t>(
                             plan.boxes[static_cast<size_t>(place_boxes[k])].location)]
              .barcode;
      auto r =
          Timed(&place_t, [&] { return archive.Place(place_docs[k], box, std::nullopt, actor); });
      if (!r) {
        ++place_failed;
        note_error("place", r.error());
      }
    }
    for (size_t k = 0; k < move_boxes.size(); ++k) {
      const std::string& box =
          plan.locations[static_cast<size_t>(
                             plan.boxes[static_cast<size_t>(move_boxes[k])].location)]
              .barcode;
      const std::string& shelf = plan.locations[static_cast<size_t>(move_shelves[k])].barcode;
      auto r = Timed(&move_t, [&] { return archive.Move(box, shelf, std::nullopt, actor); });
      if (!r) {
        ++move_failed;
        note_error("move", r.error());
      }
    }
    for (const int64_t d : lend_docs) {
      st::LendRequest req;
      req.borrower = Borrower(static_cast<uint64_t>(d));
      req.due_date = due;
      auto r =
          Timed(&lend_t, [&] { return archive.Lend(st::ArchiveItem::Document(d), req, actor); });
      if (!r) {
        ++lend_failed;
        note_error("lend", r.error());
      }
    }
    for (const int64_t d : lend_docs) {
      auto r = Timed(&return_t, [&] {
        return archive.Return(st::ArchiveItem::Document(d), std::nullopt, actor);
      });
      if (!r) {
        ++return_failed;
        note_error("return", r.error());
      }
    }
    // Where after the API events: the placed originals in their boxes (on the box's shelf,
    // which may have been moved since), the returned ones stored again.
    int64_t api_wrong = 0;
    std::vector<int32_t> shelf_now(plan.boxes.size());
    for (size_t b = 0; b < plan.boxes.size(); ++b) shelf_now[b] = plan.boxes[b].shelf;
    for (size_t k = 0; k < move_boxes.size(); ++k) {
      shelf_now[static_cast<size_t>(move_boxes[k])] = move_shelves[k];
    }
    const auto expect_in = [&](int64_t d, int32_t b) {
      auto w = archive.Where(d, everyone);
      const auto& box_loc =
          plan.locations[static_cast<size_t>(plan.boxes[static_cast<size_t>(b)].location)];
      const auto& shelf_loc =
          plan.locations[static_cast<size_t>(shelf_now[static_cast<size_t>(b)])];
      if (!w || w->state != st::Whereabouts::State::kStored || w->path.size() < 2 ||
          w->path.back().barcode != box_loc.barcode ||
          w->path[w->path.size() - 2].barcode != shelf_loc.barcode) {
        ++api_wrong;
        if (errors.size() < 10) {
          errors.push_back("where " + std::to_string(d) + ": " +
                           (w ? w->Describe() : w.error().ToString()) + ", expected " +
                           box_loc.barcode + " on " + shelf_loc.barcode);
        }
      }
    };
    for (size_t k = 0; k < place_docs.size(); ++k) expect_in(place_docs[k], place_boxes[k]);
    for (const int64_t d : lend_docs) expect_in(d, plan.docs[static_cast<size_t>(d)].box);
    const auto api_row = [&](const char* what, const Stats& s, int64_t failed) {
      print_row(std::string("API ") + what, s, failed ? std::to_string(failed) + " failed" : "");
      nlohmann::json j = s.Json();
      j["failed"] = failed;
      return j;
    };
    std::printf("\nevents through the Archive API (synchronous=FULL, audit entry each)\n");
    api = {{"place", api_row("place", place_t, place_failed)},
           {"move", api_row("move", move_t, move_failed)},
           {"lend", api_row("lend", lend_t, lend_failed)},
           {"return", api_row("return", return_t, return_failed)},
           {"where_checked_after", place_docs.size() + lend_docs.size()},
           {"where_wrong_after", api_wrong},
           {"errors", errors}};
    std::printf("  where afterwards: %lld of %zu wrong\n", static_cast<long long>(api_wrong),
                place_docs.size() + lend_docs.size());
    for (const auto& e : errors) std::printf("  %s\n", e.get<std::string>().c_str());
  }
  journal->reset();

  // ---- bytes ----
  const double per_event =
      static_cast<double>(event_bytes) / static_cast<double>(std::max<int64_t>(1, events));
  const double per_location =
      static_cast<double>(location_bytes) / static_cast<double>(std::max<int64_t>(1, locations));
  std::printf(
      "\nbytes per archive event     %8.1f  (archive_events and its indexes, %lld events)\n",
      per_event, static_cast<long long>(events));
  std::printf(
      "bytes per location          %8.1f  (archive_locations and its barcode index, %lld)\n",
      per_location, static_cast<long long>(locations));
  for (const auto& [name, bytes] : tables.items()) {
    std::printf("  %-36s %8.2f MB\n", name.c_str(), bytes.get<double>() / 1e6);
  }
  std::printf("database                    %8.2f GB  (%.0f bytes per document; archive %.1f MB)\n",
              static_cast<double>(file_bytes) / 1e9,
              static_cast<double>(file_bytes) / static_cast<double>(a.documents),
              static_cast<double>(event_bytes + location_bytes) / 1e6);
  if (journal_s > 0) {
    std::printf(
        "generation                  journal %.0f s, archive %.1f s, index merge %.0f s; "
        "journal opened in %.2f s\n",
        journal_s, archive_s, merge_s, open_s);
  }
  // The target (issue #8): where answers within 10 ms, judged on the p99 of both viewers;
  // the maximum is printed beside it (on a shared machine it includes preemption: compare
  // the thread's CPU time).
  const double p99 = std::max(where_report["all_access"]["p99_ms"].get<double>(),
                              where_report["restricted"]["p99_ms"].get<double>());
  const double max_ms = std::max(where_report["all_access"]["max_ms"].get<double>(),
                                 where_report["restricted"]["max_ms"].get<double>());
  const double cpu_max = std::max(where_report["all_access"]["cpu_max_ms"].get<double>(),
                                  where_report["restricted"]["cpu_max_ms"].get<double>());
  std::printf("\nwhere, both viewers: p99 %.3f ms, max %.3f ms (thread CPU time max %.3f ms): %s\n",
              p99, max_ms, cpu_max, p99 <= 10.0 ? "PASS (p99 <= 10 ms)" : "FAIL (p99 > 10 ms)");

  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [k, v] : plan.counts) counts[k] = v;
  report["documents"] = a.documents;
  report["cases"] = cases;
  report["boxes"] = a.boxes;
  report["seed"] = a.seed;
  report["history_until"] = IsoDate(end_day);
  report["reused_database"] = reused;
  report["archive"] = counts;
  report["locations"] = locations;
  report["events"] = events;
  report["generation_seconds"] = {{"journal", journal_s},
                                  {"archive", archive_s},
                                  {"search_index_merge", merge_s},
                                  {"plan", plan_s}};
  report["journal_open_seconds"] = open_s;
  report["where_latency"] = where_report;
  report["where_queries"] = a.queries;
  report["viewers"] = {{"all_access", {{"user", everyone.user}, {"all_access", true}}},
                       {"restricted", {{"user", caseworker.user}, {"groups", caseworker.groups}}}};
  report["contents_latency"] = contents.Json();
  report["contents_latency"]["wrong_counts"] = contents_wrong;
  report["contents_latency"]["originals_per_box"] =
      static_cast<double>(contents_originals) /
      static_cast<double>(std::max<size_t>(1, contents.ms.size()));
  report["loans_overdue_latency"] = overdue.Json();
  report["loans_overdue_latency"]["loans"] = overdue_n;
  report["loans_overdue_latency"]["model_loans"] = expected_overdue;
  report["loans_overdue_latency"]["overdue_on"] = today;
  report["loans_all_latency"] = all_loans.Json();
  report["loans_all_latency"]["loans"] = loans_n;
  report["loans_all_latency"]["model_loans"] = expected_loans;
  report["unplaced_latency"] = unplaced.Json();
  report["unplaced_latency"]["originals"] = unplaced_n;
  report["unplaced_latency"]["model_originals"] = expected_unplaced;
  report["peer"] = peer.Json();
  report["peer"]["what"] =
      "the register as CSV (one row per original, one per box move or handover), read with "
      "std::getline and scanned to the end for each question";
  report["peer"]["file"] = register_csv;
  report["peer"]["rows"] = register_rows;
  report["peer"]["bytes"] = register_bytes;
  report["peer"]["boxed_answers_checked"] = peer_checked;
  report["peer"]["boxed_answers_agree"] = peer_agree;
  report["peer"]["problems"] = peer_problems;
  report["station_over_peer"] = {{"p50", ratio50},
                                 {"p95", ratio95},
                                 {"questions", peer_n},
                                 {"station_p50_ms", Percentile(same, 0.5)},
                                 {"station_p95_ms", Percentile(same, 0.95)}};
  report["api_event_ms"] = api;
  report["database_bytes"] = file_bytes;
  report["database_bytes_per_document"] =
      static_cast<double>(file_bytes) / static_cast<double>(a.documents);
  report["archive_bytes_by_object"] = tables;
  report["bytes_per_event"] = per_event;
  report["bytes_per_location"] = per_location;
  std::ofstream(a.out) << report.dump(2) << "\n";
  std::printf("written: %s\n", a.out.c_str());
  if (!a.keep && !a.reuse) {
    for (const char* suffix : {"", "-wal", "-shm", ".key", ".anchor", ".register.csv"}) {
      std::filesystem::remove(a.db + suffix);
    }
    std::filesystem::remove_all(a.db + ".files");
  }
  return 0;
}
