// journal_bench: fills a journal with generated Danish documents and measures full-text
// search latency and database bytes per document (issue #6; bench/README.md).
//
//   journal_bench [--documents 1000000] [--cases N/10] [--queries 200] [--commits 300]
//                 [--seed 1]
//                 [--db bench/out/journal_bench.sqlite3] [--out bench/out/journal_bench.json]
//                 [--reuse] [--optimize] [--keep]
//
// 1. Generation (skipped with --reuse when the database was made with the same --documents,
//    --cases and --seed): cases with KK-style references, 5 % restricted to an access group;
//    documents with titles built from pools ("Klage over afgørelse om boligstøtte", "Brev fra
//    borger af 11. januar 2026 om hjemmehjælp"), half with a short description, and OCR text
//    of letter length (1.5–3 KB: sender, address, date, "Vedr.:", paragraphs from Danish
//    sentence pools with names, addresses, amounts, dates and case numbers, "Med venlig
//    hilsen"); 70 % of the letters on a case come from its citizen, whose surname is the
//    case's own (CitizenName: rare words, as citizens' names are). 1 % are drafts not on a case.
//    Deterministic for a seed. Loaded with prepared statements, one transaction per 10,000
//    documents and PRAGMA synchronous=OFF during the load only (the station runs with
//    synchronous=FULL); each document_text row goes in before its documents row (foreign keys
//    deferred inside the transaction), so the schema's triggers index every document once.
// 2. Queries, chosen from the index itself (fts5vocab) by document frequency df:
//    one-word common (1 %–10 % of documents), one-word rare (2–100 documents), one-word
//    very common (≥ 30 %, reported separately: it shows the rank window), two words from one
//    document (each in 0.2 %–10 %), prefixes (4–6 letters of a common word, then *), phrases
//    (2–3 consecutive words of a document's OCR text, at least one of them in 0.2 %–10 %).
//    Function words, which Search refuses as whole queries, are not chosen.
// 3. Each query runs through storage::Search as a caseworker (not all_access, one access
//    group) with limit 20 and snippets, on one connection, after one warm-up pass.
// 4. Bytes per document: the database file (after a WAL checkpoint) ÷ documents, and per
//    table and index (dbstat).
//
// 5. Commit time per document, excluding the PDF write (--commits, default 300, 0 to skip):
//    MeasureCommits, through Journal::Journalise; it adds documents, so a later --reuse
//    regenerates the journal.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "bench/bench_data.h"
#include "storage/database.h"
#include "storage/index_maintenance.h"
#include "storage/journal.h"
#include "storage/schema.h"
#include "storage/search.h"

namespace {

using intake::bench::CaseReference;
using intake::bench::CitizenName;
using intake::bench::Clock;
using intake::bench::FileSize;
using intake::bench::Fill;
using intake::bench::Gen;
using intake::bench::IsoDate;
using intake::bench::kCities;
using intake::bench::kDepartments;
using intake::bench::kDocTypes;
using intake::bench::kFirstDay;
using intake::bench::kFirstNames;
using intake::bench::kLastDay;
using intake::bench::kLastNames;
using intake::bench::kStreetHeads;
using intake::bench::kStreetTails;
using intake::bench::kTitleTemplates;
using intake::bench::kTopics;
using intake::bench::LongDate;
using intake::bench::MetaValue;
using intake::bench::Percentile;
using intake::bench::Seconds;
using intake::bench::ThreadCpuSeconds;
using intake::storage::Database;
using intake::storage::Statement;

struct Args {
  int64_t documents = 1000000;
  int64_t cases = 0;  // 0: documents / 10
  int queries = 200;
  int commits = 300;
  uint64_t seed = 1;
  std::string db = "bench/out/journal_bench.sqlite3";
  std::string out = "bench/out/journal_bench.json";
  bool reuse = false;
  bool optimize = false;
  bool keep = false;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "journal_bench: %s\n", what.c_str());
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

// ---- pools (the shared ones are in bench/bench_data.h) ----
const std::vector<std::string> kGreetings = {"Kære kommune", "Til rette vedkommende",
                                             "Kære sagsbehandler", "Hej", "Att.: Borgerservice"};
// {T} topic, {N} a name, {A} an amount, {D} a date, {S} an address, {C} a city, {W} a
// number of weeks, {R} a case reference, {K} a child's first name, {P} a phone number.
const std::vector<std::string> kSentences = {
    "Jeg skriver til jer angående min sag om {T}, som jeg søgte om den {D}.",
    "Jeg har endnu ikke modtaget svar på min ansøgning om {T}, og jeg har nu ventet i {W} uger.",
    "Jeg er uenig i jeres afgørelse af {D}, fordi I ikke har taget hensyn til mit helbred.",
    "Min læge, {N}, har skrevet en erklæring, som jeg vedlægger dette brev.",
    "Jeg bor på {S}, {C}, sammen med min datter {K}, der går i 4. klasse.",
    "Min husleje er steget til {A} kr. om måneden, og jeg kan ikke længere betale den.",
    "Jeg har tidligere haft kontakt med {N} fra jeres afdeling, som sagde, at jeg skulle skrive.",
    "Vedlagt er kopi af lønsedler for de seneste tre måneder samt min lejekontrakt.",
    "Jeg beder om at få aktindsigt i alle dokumenter i min sag med sagsnummer {R}.",
    "Efter min operation den {D} har jeg haft svært ved at klare rengøring og indkøb selv.",
    "Min nabo på {S} har fældet et træ, der stod på skellet, uden at spørge først.",
    "Jeg vil gerne klage over den måde, min sag er blevet behandlet på.",
    "Det fremgår af afgørelsen, at I har lagt vægt på oplysninger, som ikke er korrekte.",
    "Jeg har modtaget et brev om tilbagebetaling af {A} kr., som jeg ikke forstår.",
    "Kan I oplyse, hvornår jeg kan forvente en afgørelse i sagen?",
    "Jeg har været sygemeldt siden {D} og er fortsat under behandling på hospitalet.",
    "Min søn {K} har brug for støtte i skolen, og skolens psykolog anbefaler specialundervisning.",
    "Jeg er flyttet fra {S} til en ny adresse i {C} og beder jer rette mine oplysninger.",
    "Som aftalt i telefonen den {D} sender jeg hermed de manglende bilag.",
    "Jeg kan kontaktes på telefon {P} alle hverdage mellem kl. 9 og 15.",
    "Det er meget vigtigt for mig, at sagen bliver afgjort inden udgangen af måneden.",
    "Jeg har søgt om {T} flere gange, men har fået afslag hver gang.",
    "Min ægtefælle {N} er død i foråret, og min økonomi har ændret sig væsentligt.",
    "Jeg er pensionist og har en indtægt på {A} kr. før skat om året.",
    "Lægen vurderer, at min funktionsevne er varigt nedsat, og at jeg ikke kan arbejde.",
    "Jeg har brug for hjælp til bad og påklædning om morgenen.",
    "Vores ejendom på {S} er vurderet til {A} kr., hvilket vi mener er alt for højt.",
    "Der er rotter i gården bag {S}, og udlejer reagerer ikke på vores henvendelser.",
    "Vi ønsker at bygge en carport på 36 m² og vedlægger tegninger og situationsplan.",
    "Jeg beder om, at afgørelsen bliver sendt til min advokat, {N}.",
    "Ifølge loven skal I træffe afgørelse inden for en rimelig tid.",
    "Jeg har ikke fået partshøring, før I traf afgørelse, og det mener jeg er en fejl.",
    "Beløbet på {A} kr. blev trukket fra min konto den {D} uden varsel.",
    "Min datter {K} har fået plads i en børnehave langt fra vores bopæl i {C}.",
    "Jeg er blevet tilbudt et fleksjob hos en virksomhed i {C} på 12 timer om ugen.",
    "Jeg har ikke råd til tandbehandlingen, som ifølge tandlægen koster {A} kr.",
    "Vi har fået en regning på affaldsgebyr på {A} kr., selv om huset har stået tomt.",
    "Jeg vedlægger udskrift fra min journal på hospitalet samt en erklæring fra speciallægen.",
    "Det er over {W} uger siden, jeg sidst hørte fra jer.",
    "Jeg håber, at I vil se på sagen igen og give mig medhold.",
    "Hjemmehjælperen kommer ofte for sent og har flere gange glemt at give mig medicin.",
    "Jeg er enlig forsørger og har tre børn på henholdsvis 4, 9 og 12 år.",
    "Skolen har oplyst, at {K} ikke kan få plads i SFO, før der er ledige pladser.",
    "Vi søger om dispensation, fordi tilbygningen vil overskride byggelinjen med 40 cm.",
    "Jeg anmoder om, at sagen genoptages, da der er kommet nye oplysninger.",
    "Min bil er nødvendig for, at jeg kan komme til behandling to gange om ugen.",
    "Jeg har boet i lejligheden på {S} i {W} år og ønsker ikke at flytte.",
    "Jeg bekræfter hermed, at oplysningerne i skemaet er korrekte.",
    "Pengene bør efter min opfattelse udbetales med tilbagevirkende kraft fra {D}.",
    "Jeg har talt med {N} i Borgerservice, der henviste mig til at skrive til jer.",
};

// `citizen`: the case's citizen (CitizenName), who writes most letters on the case; empty
// for a draft not on a case.
std::string Letter(Gen& g, const std::string& topic, int64_t day, const std::string& reference,
                   const std::string& citizen) {
  const size_t target = static_cast<size_t>(g.Uniform(1500, 3000));
  const std::string sender =
      !citizen.empty() && g.Real() < 0.7 ? citizen : g.Pick(kFirstNames) + " " + g.Pick(kLastNames);
  std::string s;
  s.reserve(target + 400);
  const std::string city = g.Pick(kCities);
  s += sender + "\n" + g.Pick(kStreetHeads) + g.Pick(kStreetTails) + " " +
       std::to_string(g.Uniform(1, 180)) + "\n" + city + "\n\n";
  s += city.substr(5) + ", den " + LongDate(day) + "\n\n";
  s += "Kommunen\n" + g.Pick(kDepartments) + "\n\n";
  s += "Vedr.: " + topic + (g.Real() < 0.5 ? " – sagsnr. " + reference : "") + "\n\n";
  s += g.Pick(kGreetings) + "\n\n";
  int in_paragraph = 0;
  while (s.size() < target) {
    s += Fill(g.Pick(kSentences), g, topic, day, reference);
    if (++in_paragraph >= g.Uniform(2, 5)) {
      s += "\n\n";
      in_paragraph = 0;
    } else {
      s += ' ';
    }
  }
  s += "\n\nMed venlig hilsen\n\n" + sender + "\n";
  return s;
}

void Generate(Database& db, const Args& a, int64_t cases) {
  Gen g(a.seed);
  const auto started = Clock::now();
  Check(db.Execute("PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576"), "pragma");
  // Bulk load: FTS5 keeps up to 128 MB of pending index data in memory before writing a
  // segment (default 1 MB: a small segment every few hundred documents, each merged again
  // and again). Restored to the default below, so the measured commits run like a station's.
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
      Check(db.Prepare("INSERT INTO documents (id, case_id, doc_number, title, description, "
                       "direction, doc_type, "
                       "letter_date, received_date, journal_date, state, page_count, pdf_sha256, "
                       "idempotency_key, created) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
            "prepare documents");
  constexpr int64_t kBatch = 10000;
  int64_t text_bytes = 0;
  for (int64_t first = 1; first <= a.documents; first += kBatch) {
    intake::storage::Transaction t(db);
    Check(t.Begin(), "begin");
    // The OCR text goes in before its document (the trigger on documents then indexes the
    // text with the title in one step); the foreign key is checked at COMMIT.
    Check(db.Execute("PRAGMA defer_foreign_keys=ON"), "defer foreign keys");
    const int64_t last = std::min(a.documents, first + kBatch - 1);
    for (int64_t id = first; id <= last; ++id) {
      const double progress = static_cast<double>(id) / static_cast<double>(a.documents);
      const int64_t received =
          kFirstDay + static_cast<int64_t>(progress * static_cast<double>(kLastDay - kFirstDay)) -
          g.Uniform(0, 10);
      const int64_t letter = received - g.Uniform(1, 6);
      const bool draft = g.Real() < 0.01;
      const int64_t case_id = draft ? 0 : g.Uniform(1, cases);
      const std::string reference = draft ? "" : CaseReference(case_id);
      const std::string& topic = kTopics[g.Zipf(kTopics.size())];
      std::string title = g.Pick(kTitleTemplates);
      title = Fill(title, g, topic, letter, reference);
      const std::string ocr =
          Letter(g, topic, letter, reference, draft ? "" : CitizenName(case_id));
      text_bytes += static_cast<int64_t>(ocr.size());

      Check(text.Reset(), "reset");
      text.Bind(1, id).Bind(2, ocr);
      Check(text.Run(), "insert text");

      Check(doc.Reset(), "reset");
      doc.Bind(1, id);
      if (draft) {
        doc.BindNull(2).BindNull(3);
      } else {
        doc.Bind(2, case_id).Bind(3, ++next_number[static_cast<size_t>(case_id)]);
      }
      doc.Bind(4, title);
      if (g.Real() < 0.5) {
        doc.Bind(5, "Modtaget med almindelig post, " + std::to_string(g.Uniform(1, 6)) + " sider" +
                        (g.Real() < 0.4 ? ", med bilag" : ""));
      } else {
        doc.BindNull(5);
      }
      const double dir = g.Real();
      doc.Bind(6, dir < 0.7    ? "in"
                  : dir < 0.95 ? "out"
                               : "internal")
          .Bind(7, g.Pick(kDocTypes))
          .Bind(8, IsoDate(letter))
          .Bind(9, IsoDate(received));
      if (draft) {
        doc.BindNull(10).Bind(11, "draft");
      } else {
        doc.Bind(10, IsoDate(received) + "T10:15:00Z").Bind(11, "journalised");
      }
      doc.Bind(12, g.Uniform(1, 4))
          .Bind(13, g.Hex(64))
          .Bind(14, g.Hex(64))
          .Bind(15, IsoDate(received) + "T09:00:00Z");
      Check(doc.Run(), "insert document");
    }
    Check(t.Commit(), "commit documents");
    if ((last % 50000) == 0 || last == a.documents) {
      const double s = Seconds(Clock::now() - started);
      std::fprintf(stderr, "  %lld documents, %.0f s, %.0f documents/s\n",
                   static_cast<long long>(last), s, static_cast<double>(last) / s);
    }
  }
  std::fprintf(stderr, "  OCR text: %.0f bytes per document on average\n",
               static_cast<double>(text_bytes) / static_cast<double>(a.documents));
  for (const std::string table : {"documents_fts", "search_pairs"}) {
    Check(
        db.Execute("INSERT INTO " + table + " (" + table + ", rank) VALUES ('hashsize', 1048576)"),
        "fts hashsize");
  }
  Check(db.Execute("PRAGMA synchronous=FULL"), "pragma");
  auto set = Check(db.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES "
                              "('bench.documents', ?1), ('bench.cases', ?2), ('bench.seed', ?3), "
                              "('bench.generation_seconds', ?4), ('bench.text_bytes', ?5)"),
                   "prepare meta");
  set.Bind(1, std::to_string(a.documents))
      .Bind(2, std::to_string(cases))
      .Bind(3, std::to_string(a.seed))
      .Bind(4, std::to_string(Seconds(Clock::now() - started)))
      .Bind(5, std::to_string(text_bytes));
  Check(set.Run(), "meta");
}

// ---- commit time per document ----

// Commits `n` documents one by one the way the journal writes one (until the journal core,
// storage/journal.h, is merged, this is its SQL-level stand-in): in one BEGIN IMMEDIATE
// transaction with synchronous=FULL, the case looked up by reference, the next document
// number on the case, the OCR text, the document row (the triggers index it for search),
// one pages row per page with its analysis JSON, and an audit entry hash-chained with
// SHA-256 to the previous one. The PDF write is excluded, as the target says. Returns the
// milliseconds per document, from BEGIN to the end of COMMIT; the text is generated
// before the clock starts.
// Commit time per document through the journal API (storage/journal.h), as the station
// journalises: case lookup, running number, document, text, pages, hash-chained audit row
// and the search index, in one transaction with synchronous=FULL. The PDF write is
// excluded: every measured document carries the same small PDF, stored once before the
// clock starts, so the content-addressed store finds it present and writes nothing.
struct CommitTimes {
  std::vector<double> wall_ms;  // per commit
  std::vector<double> cpu_ms;   // the calling thread's CPU time per commit
};

CommitTimes MeasureCommits(const Args& a, int64_t cases, int n) {
  namespace st = intake::storage;
  Gen g(a.seed + 13);
  st::JournalOptions options;
  options.database_path = a.db;
  options.file_store_dir = a.db + ".files";
  options.key_file = a.db + ".key";
  options.anchor_file = a.db + ".anchor";
  auto journal = st::OpenSqliteJournal(options);
  if (!journal) Die("journal: " + journal.error().message());
  const st::Actor actor{"bench"};
  const st::Viewer everyone = st::Viewer::Everyone("bench");
  const std::string pdf = "%PDF-1.7\n% journal_bench: the one PDF of the measured commits\n";
  auto make = [&](int64_t case_id) {
    st::NewDocument d;
    d.case_id = case_id;
    const std::string& topic = kTopics[g.Zipf(kTopics.size())];
    const std::string reference = CaseReference(case_id);
    d.title = Fill(g.Pick(kTitleTemplates), g, topic, kLastDay - 3, reference);
    d.doc_type = "brev";
    d.letter_date = IsoDate(kLastDay - 3);
    d.received_date = IsoDate(kLastDay);
    d.ocr_text = Letter(g, topic, kLastDay - 3, reference, CitizenName(case_id));
    const int64_t pages = g.Uniform(1, 4);
    for (int p = 1; p <= pages; ++p) {
      d.pages.push_back(st::DocumentPage{p, p, false, 0, 0.4, 91.5, R"({"words":250})"});
    }
    return d;
  };
  // An open case (the journal refuses closed ones): the case numbered `case_number`, else
  // the next open one.
  auto find = [&](int64_t case_number) {
    for (int64_t k = 0; k < cases; ++k) {
      const int64_t number = (case_number - 1 + k) % cases + 1;
      auto c = (*journal)->FindCaseByReference("KK", CaseReference(number), everyone);
      if (!c) Die("case " + CaseReference(number) + ": " + c.error().message());
      if (c->status == st::CaseStatus::kOpen) return c->id;
    }
    Die("no open case");
    return int64_t{0};
  };
  // Not measured: the PDF's first (and only) write.
  if (auto first = (*journal)->Journalise(make(find(1)), pdf, actor); !first) {
    Die("journalise: " + first.error().message());
  }
  CommitTimes times;
  for (int k = 0; k < n; ++k) {
    const int64_t case_number = g.Uniform(1, cases);
    // The letter is generated before the clock starts; the case lookup is timed.
    const st::NewDocument d = make(find(case_number));
    const auto t0 = Clock::now();
    const double c0 = ThreadCpuSeconds();
    const int64_t case_id = find(case_number);
    if (case_id != d.case_id) Die("case lookup changed");
    auto doc = (*journal)->Journalise(d, pdf, actor);
    const double c1 = ThreadCpuSeconds();
    const auto t1 = Clock::now();
    if (!doc) Die("journalise: " + doc.error().message());
    times.wall_ms.push_back(Seconds(t1 - t0) * 1000.0);
    times.cpu_ms.push_back((c1 - c0) * 1000.0);
  }
  return times;
}

// ---- queries ----

struct Term {
  std::string term;
  int64_t df;
};

bool Alphabetic(const std::string& t) {
  for (unsigned char c : t) {
    if (c >= '0' && c <= '9') return false;
  }
  return t.size() >= 4;
}

struct QuerySets {
  std::map<std::string, std::vector<std::string>> by_kind;
  std::map<std::string, std::string> df_note;
};

QuerySets ChooseQueries(Database& db, const Args& a, int64_t docs) {
  Gen g(a.seed + 7);
  Check(db.Execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
                   "USING fts5vocab(main, documents_fts, row)"),
        "fts5vocab");
  std::vector<Term> terms;
  Statement v = Check(db.Prepare("SELECT term, doc FROM temp.vocab"), "vocab");
  for (;;) {
    if (!Check(v.Step(), "vocab")) break;
    Term t{v.Text(0), v.Int(1)};
    if (Alphabetic(t.term)) terms.push_back(std::move(t));
  }
  // Only words a user could search for alone (function words are refused as queries).
  terms.erase(std::remove_if(terms.begin(), terms.end(),
                             [&](const Term& t) {
                               return !intake::storage::TranslateQuery(db, t.term).has_value();
                             }),
              terms.end());
  std::fprintf(stderr, "  %zu alphabetic terms of 4+ bytes in the index\n", terms.size());
  const auto band = [&](double lo, double hi) {
    std::vector<std::string> out;
    for (const Term& t : terms) {
      const double f = static_cast<double>(t.df) / static_cast<double>(docs);
      if (f >= lo && f <= hi) out.push_back(t.term);
    }
    return out;
  };
  const std::vector<std::string> common = band(0.01, 0.10);
  const std::vector<std::string> very_common = band(0.30, 1.0);
  std::vector<std::string> rare;
  for (const Term& t : terms) {
    if (t.df >= 2 && t.df <= 100) rare.push_back(t.term);
  }
  const std::vector<std::string> medium = band(0.002, 0.10);
  std::set<std::string> medium_set(medium.begin(), medium.end());

  QuerySets q;
  const auto draw = [&](const std::vector<std::string>& pool, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n && !pool.empty(); ++i) out.push_back(g.Pick(pool));
    return out;
  };
  q.by_kind["one word, common"] = draw(common, a.queries);
  q.by_kind["one word, rare"] = draw(rare, a.queries);
  q.by_kind["one word, very common"] = draw(very_common, a.queries);
  for (std::string& t : draw(common, a.queries)) {
    const size_t chars = static_cast<size_t>(g.Uniform(4, 6));
    // Cut after `chars` characters (UTF-8 aware).
    size_t pos = 0, n = 0;
    while (pos < t.size() && n < chars) {
      ++pos;
      while (pos < t.size() && (static_cast<unsigned char>(t[pos]) & 0xC0) == 0x80) ++pos;
      ++n;
    }
    q.by_kind["prefix"].push_back(t.substr(0, pos) + "*");
  }
  // Two words and phrases from random documents' text.
  Statement text =
      Check(db.Prepare("SELECT ocr_text FROM document_text WHERE document_id = ?1"), "text");
  int guard = 0;
  while ((static_cast<int>(q.by_kind["two words"].size()) < a.queries ||
          static_cast<int>(q.by_kind["phrase"].size()) < a.queries) &&
         ++guard < a.queries * 100) {
    Check(text.Reset(), "reset");
    text.Bind(1, g.Uniform(1, docs));
    if (!Check(text.Step(), "text")) continue;
    std::vector<std::string> words;
    std::string cur;
    for (char c : text.Text(0) + " ") {
      const unsigned char u = static_cast<unsigned char>(c);
      if (u >= 0x80 || std::isalpha(u)) {
        cur += static_cast<char>(u >= 0x80 ? c : std::tolower(u));
      } else {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      }
    }
    if (words.size() < 10) continue;
    if (static_cast<int>(q.by_kind["two words"].size()) < a.queries) {
      std::vector<std::string> mids;
      for (const std::string& w : words) {
        if (medium_set.count(w)) mids.push_back(w);
      }
      if (mids.size() >= 2) {
        const std::string& w1 = g.Pick(mids);
        const std::string& w2 = g.Pick(mids);
        if (w1 != w2) q.by_kind["two words"].push_back(w1 + " " + w2);
      }
    }
    if (static_cast<int>(q.by_kind["phrase"].size()) < a.queries) {
      const size_t len = static_cast<size_t>(g.Uniform(2, 3));
      const size_t at = static_cast<size_t>(g.Uniform(0, static_cast<int64_t>(words.size() - len)));
      std::string p = "\"";
      bool telling = false;  // at least one word a user would look for, not only "jeg har"
      for (size_t k = 0; k < len; ++k) {
        p += (k ? " " : "") + words[at + k];
        telling = telling || medium_set.count(words[at + k]) > 0;
      }
      if (telling) q.by_kind["phrase"].push_back(p + "\"");
    }
  }
  q.df_note["one word, common"] = "df 1-10 % (" + std::to_string(common.size()) + " terms)";
  q.df_note["one word, rare"] = "df 2-100 documents (" + std::to_string(rare.size()) + " terms)";
  q.df_note["one word, very common"] =
      "df >= 30 % (" + std::to_string(very_common.size()) + " terms)";
  q.df_note["two words"] = "two words of one document, each df 0.2-10 %";
  q.df_note["prefix"] = "4-6 letters of a df 1-10 % word, then *";
  q.df_note["phrase"] = "2-3 consecutive words of a document, one of them df 0.2-10 %";
  return q;
}

int Usage() {
  std::fprintf(stderr,
               "usage: journal_bench [--documents N] [--cases N] [--queries N] [--seed N] "
               "[--commits N] [--db FILE] [--out FILE] [--reuse] [--optimize] [--keep]\n");
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
    } else if (s == "--cases") {
      a.cases = std::atoll(value().c_str());
    } else if (s == "--queries") {
      a.queries = std::atoi(value().c_str());
    } else if (s == "--commits") {
      a.commits = std::atoi(value().c_str());
    } else if (s == "--seed") {
      a.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (s == "--db") {
      a.db = value();
    } else if (s == "--out") {
      a.out = value();
    } else if (s == "--reuse") {
      a.reuse = true;
    } else if (s == "--optimize") {
      a.optimize = true;
    } else if (s == "--keep") {
      a.keep = true;
    } else {
      return Usage();
    }
  }
  if (a.documents < 10 || a.queries < 1 || a.commits < 0) return Usage();
  const int64_t cases = a.cases > 0 ? a.cases : std::max<int64_t>(1, a.documents / 10);
  std::filesystem::create_directories(std::filesystem::path(a.db).parent_path().empty()
                                          ? "."
                                          : std::filesystem::path(a.db).parent_path());

  nlohmann::json report;
  bool reused = false;
  if (a.reuse && std::filesystem::exists(a.db)) {
    auto db = Check(Database::Open(a.db), "open");
    reused = MetaValue(*db, "bench.documents") == std::to_string(a.documents) &&
             MetaValue(*db, "bench.cases") == std::to_string(cases) &&
             MetaValue(*db, "bench.seed") == std::to_string(a.seed) &&
             MetaValue(*db, "bench.commits").empty();
  }
  if (!reused) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(a.db + suffix);
  }
  auto db = Check(Database::Open(a.db), "open");
  {
    // A journal generated by an older version is migrated first (timed: a real station
    // upgrading a large journal waits this long once).
    const auto t0 = Clock::now();
    const int from = Check(intake::storage::MigrateToCurrent(*db), "migrate");
    if (from != 0 && from != intake::storage::kSchemaVersion) {
      report["migrated_from_version"] = from;
      report["migration_seconds"] = Seconds(Clock::now() - t0);
      std::fprintf(stderr, "  migrated from schema version %d to %d: %.1f s\n", from,
                   intake::storage::kSchemaVersion, Seconds(Clock::now() - t0));
    }
  }
  if (!reused) {
    std::fprintf(stderr, "generating %lld documents on %lld cases (seed %llu) in %s\n",
                 static_cast<long long>(a.documents), static_cast<long long>(cases),
                 static_cast<unsigned long long>(a.seed), a.db.c_str());
    Generate(*db, a, cases);
  } else {
    std::fprintf(stderr, "reusing %s\n", a.db.c_str());
  }
  {
    // What the station's idle maintenance does after a load (storage/index_maintenance.h);
    // nothing when an earlier run already merged this journal.
    const auto m = Check(intake::storage::MergeSearchIndex(*db, std::chrono::hours(2)), "merge");
    if (m.steps > 0) {
      std::fprintf(stderr, "  search index merged: %d steps of %d pages, %.0f s\n", m.steps,
                   intake::storage::kMergeStepPages, m.seconds);
      Check(db->Execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                        "('bench.merge_after_load_seconds', '" +
                        std::to_string(m.seconds) + "'), ('bench.merge_after_load_steps', '" +
                        std::to_string(m.steps) + "')"),
            "meta");
    }
    report["merge_after_load_seconds"] =
        std::atof(MetaValue(*db, "bench.merge_after_load_seconds").c_str());
    report["merge_after_load_steps"] =
        std::atoi(MetaValue(*db, "bench.merge_after_load_steps").c_str());
  }
  const double generation_s = std::atof(MetaValue(*db, "bench.generation_seconds").c_str());
  const double text_bytes = std::atof(MetaValue(*db, "bench.text_bytes").c_str());

  if (a.optimize) {
    const auto t0 = Clock::now();
    Check(db->Execute("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')"), "optimize");
    report["optimize_seconds"] = Seconds(Clock::now() - t0);
    std::fprintf(stderr, "  FTS optimize: %.0f s\n", Seconds(Clock::now() - t0));
  }
  Check(db->Execute("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
  int64_t fts_segments = 0;
  {
    Statement st = Check(db->Prepare("SELECT count(*) FROM documents_fts_data"), "segments");
    if (Check(st.Step(), "segments")) fts_segments = st.Int(0);
  }

  // ---- bytes per document ----
  const int64_t file_bytes = FileSize(a.db) + FileSize(a.db + "-wal");
  // Pages on the free list (left by a migration that dropped a table) are not counted as
  // used: the file keeps them until a VACUUM and reuses them for new rows.
  int64_t free_bytes = 0;
  {
    Statement st = Check(db->Prepare("SELECT (SELECT freelist_count FROM pragma_freelist_count) * "
                                     "(SELECT page_size FROM pragma_page_size)"),
                         "freelist");
    if (Check(st.Step(), "freelist")) free_bytes = st.Int(0);
  }
  const int64_t used_bytes = file_bytes - free_bytes;
  nlohmann::json tables = nlohmann::json::object();
  {
    const auto t0 = Clock::now();
    auto st =
        db->Prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC");
    if (st) {
      for (;;) {
        auto row = st->Step();
        if (!row || !*row) break;
        tables[st->Text(0)] = static_cast<double>(st->Int(1)) / static_cast<double>(a.documents);
      }
    }
    std::fprintf(stderr, "  dbstat: %.0f s\n", Seconds(Clock::now() - t0));
  }

  // ---- search latency ----
  std::fprintf(stderr, "choosing queries from the index vocabulary\n");
  const auto tq = Clock::now();
  QuerySets sets = ChooseQueries(*db, a, a.documents);
  std::fprintf(stderr, "  %.0f s\n", Seconds(Clock::now() - tq));

  intake::storage::Viewer viewer{"bench", {"jobcenter-følsom"}, false};
  const std::vector<std::string> kinds = {"one word, common", "one word, rare",
                                          "two words",        "prefix",
                                          "phrase",           "one word, very common"};
  nlohmann::json latency = nlohmann::json::object();
  std::printf("\n=== journal_bench: %lld documents on %lld cases (seed %llu) ===\n\n",
              static_cast<long long>(a.documents), static_cast<long long>(cases),
              static_cast<unsigned long long>(a.seed));
  std::printf("%-24s %7s %9s %9s %9s %9s %9s %8s %8s  %s\n", "query kind", "queries", "p50 ms",
              "p95 ms", "max ms", "cpu p50", "cpu p95", "hits/q", "total/q", "p95 <= 50 ms");
  std::printf("%s\n", std::string(118, '-').c_str());
  for (const std::string& kind : kinds) {
    const std::vector<std::string>& queries = sets.by_kind[kind];
    if (queries.empty()) continue;
    double cpu_ms = 0;
    const auto run = [&](const std::string& text, double* ms, int64_t* hits, int64_t* total) {
      intake::storage::SearchQuery q;
      q.text = text;
      q.limit = 20;
      const double c0 = ThreadCpuSeconds();
      const auto t0 = Clock::now();
      auto r = intake::storage::Search(*db, q, viewer);
      *ms = Seconds(Clock::now() - t0) * 1000.0;
      cpu_ms = (ThreadCpuSeconds() - c0) * 1000.0;
      if (!r) {
        std::fprintf(stderr, "  query %s: %s\n", text.c_str(), r.error().ToString().c_str());
        *hits = *total = 0;
        return false;
      }
      *hits = static_cast<int64_t>(r->hits.size());
      *total = r->total;
      return true;
    };
    double ms = 0;
    int64_t hits = 0, total = 0;
    for (const std::string& text : queries) run(text, &ms, &hits, &total);  // warm-up
    std::vector<double> times, cpu_times;
    int64_t sum_hits = 0, sum_total = 0, failed = 0, capped = 0;
    nlohmann::json samples = nlohmann::json::array();
    std::vector<int64_t> totals;
    for (const std::string& text : queries) {
      if (!run(text, &ms, &hits, &total)) ++failed;
      times.push_back(ms);
      totals.push_back(total);
      cpu_times.push_back(cpu_ms);
      sum_hits += hits;
      sum_total += total;
      capped += total >= intake::storage::kRankWindow;
      if (samples.size() < 5) samples.push_back({{"query", text}, {"ms", ms}, {"total", total}});
    }
    const double p50 = Percentile(times, 0.50), p95 = Percentile(times, 0.95);
    const double mx = *std::max_element(times.begin(), times.end());
    const double n = static_cast<double>(times.size());
    const double cpu50 = Percentile(cpu_times, 0.50), cpu95 = Percentile(cpu_times, 0.95);
    // The slowest queries of the kind, to see what the p95 is made of.
    std::vector<size_t> order(times.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return times[x] > times[y]; });
    nlohmann::json slowest = nlohmann::json::array();
    for (size_t k = 0; k < order.size() && k < 10; ++k) {
      slowest.push_back(
          {{"query", queries[order[k]]}, {"ms", times[order[k]]}, {"total", totals[order[k]]}});
    }
    const bool counted = kind != "one word, very common";
    std::printf("%-24s %7zu %9.2f %9.2f %9.2f %9.2f %9.2f %8.1f %8.0f  %s\n", kind.c_str(),
                times.size(), p50, p95, mx, cpu50, cpu95, static_cast<double>(sum_hits) / n,
                static_cast<double>(sum_total) / n,
                counted ? (p95 <= 50.0 ? "PASS" : "FAIL") : "(informative)");
    latency[kind] = {{"queries", times.size()},
                     {"selection", sets.df_note[kind]},
                     {"p50_ms", p50},
                     {"p95_ms", p95},
                     {"max_ms", mx},
                     {"cpu_p50_ms", cpu50},
                     {"cpu_p95_ms", cpu95},
                     {"mean_hits", static_cast<double>(sum_hits) / n},
                     {"mean_total", static_cast<double>(sum_total) / n},
                     {"total_at_rank_window", capped},
                     {"failed", failed},
                     {"examples", samples},
                     {"slowest", slowest}};
  }
  std::printf("\n");

  // The peer: FTS5 used directly with the same expression (storage::TranslateQuery, a long
  // prefix left to FTS5), ranked by its own bm25() over every match, 20 rows with a snippet,
  // without the access filter. The first kPeerQueries queries of each kind, once each (the
  // index is warm from the runs above).
  constexpr size_t kPeerQueries = 50;
  std::printf("peer: FTS5 directly (MATCH, ORDER BY bm25() over all matches, LIMIT 20, snippet)\n");
  std::printf("%-24s %7s %9s %9s %9s  %s\n", "query kind", "queries", "p50 ms", "p95 ms", "max ms",
              "station p95 / peer p95");
  std::printf("%s\n", std::string(90, '-').c_str());
  Statement peer =
      Check(db->Prepare("SELECT rowid, snippet(documents_fts, 2, char(2), char(3), '…', 12) "
                        "FROM documents_fts WHERE documents_fts MATCH ?1 "
                        "ORDER BY bm25(documents_fts, 10.0, 5.0, 1.0) LIMIT 20"),
            "peer");
  for (const std::string& kind : kinds) {
    const std::vector<std::string>& queries = sets.by_kind[kind];
    if (queries.empty() || !latency.contains(kind)) continue;
    std::vector<double> times;
    for (size_t k = 0; k < queries.size() && k < kPeerQueries; ++k) {
      auto expr = intake::storage::TranslateQuery(*db, queries[k]);
      if (!expr) continue;
      const auto t0 = Clock::now();
      Check(peer.Reset(), "peer reset");
      peer.Bind(1, *expr);
      while (Check(peer.Step(), "peer step")) {
      }
      times.push_back(Seconds(Clock::now() - t0) * 1000.0);
    }
    if (times.empty()) continue;
    const double p50 = Percentile(times, 0.50), p95 = Percentile(times, 0.95);
    const double mx = *std::max_element(times.begin(), times.end());
    const double ours = latency[kind]["p95_ms"].get<double>();
    std::printf("%-24s %7zu %9.2f %9.2f %9.2f  %.2f\n", kind.c_str(), times.size(), p50, p95, mx,
                ours / p95);
    latency[kind]["peer"] = {{"what", "FTS5 MATCH ORDER BY bm25() LIMIT 20 with snippet"},
                             {"queries", times.size()},
                             {"p50_ms", p50},
                             {"p95_ms", p95},
                             {"max_ms", mx},
                             {"station_p95_over_peer_p95", ours / p95}};
  }
  std::printf("\n");
  std::printf(
      "database bytes per document     %10.0f  (%.2f GB in use; file %.2f GB with %.2f GB "
      "free pages; %lld FTS data rows)\n",
      static_cast<double>(used_bytes) / static_cast<double>(a.documents),
      static_cast<double>(used_bytes) / 1e9, static_cast<double>(file_bytes) / 1e9,
      static_cast<double>(free_bytes) / 1e9, static_cast<long long>(fts_segments));
  std::printf("OCR text bytes per document     %10.0f\n",
              text_bytes / static_cast<double>(a.documents));
  for (const auto& [name, per_doc] : tables.items()) {
    if (per_doc.get<double>() >= 1.0) {
      std::printf("  %-29s %10.0f\n", name.c_str(), per_doc.get<double>());
    }
  }
  if (generation_s > 0) {
    std::printf("generation                      %10.0f s  (%.0f documents/s, bulk load)\n",
                generation_s, static_cast<double>(a.documents) / generation_s);
  }
  nlohmann::json commit = nullptr;
  if (a.commits > 0) {
    // Marks the generated journal as changed (a later --reuse regenerates it), then leaves
    // the database to the journal's own connection.
    Check(db->Execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench.commits', '" +
                      std::to_string(a.commits) + "')"),
          "meta");
    db.reset();
    const CommitTimes times = MeasureCommits(a, cases, a.commits);
    const std::vector<double>& ms = times.wall_ms;
    const double cpu50 = Percentile(times.cpu_ms, 0.50), cpu95 = Percentile(times.cpu_ms, 0.95);
    const double p50 = Percentile(ms, 0.50), p95 = Percentile(ms, 0.95);
    const double mx = *std::max_element(ms.begin(), ms.end());
    std::printf(
        "journal commit per document     p50 %.2f ms, p95 %.2f ms, max %.2f ms over %d "
        "commits  %s\n",
        p50, p95, mx, a.commits, p95 <= 5.0 ? "PASS (p95 <= 5 ms)" : "FAIL (p95 > 5 ms)");
    std::printf("  CPU time of the committing thread p50 %.2f ms, p95 %.2f ms (the rest: waits "
                "for the disk and other threads)\n",
                cpu50, cpu95);
    std::printf(
        "  (Journal::Journalise with the case lookup: number, text, document, pages, search\n"
        "   index, hash-chained audit row; synchronous=FULL, one transaction each; no PDF write)\n");
    // The merge work the commits left for the idle maintenance.
    db = Check(Database::Open(a.db), "reopen");
    const auto m = Check(intake::storage::MergeSearchIndex(*db, std::chrono::hours(1)), "merge");
    std::printf(
        "  merge left for idle maintenance after %d commits: %d steps of %d pages, %.2f s\n",
        a.commits, m.steps, intake::storage::kMergeStepPages, m.seconds);
    commit = {{"commits", a.commits},
              {"p50_ms", p50},
              {"p95_ms", p95},
              {"max_ms", mx},
              {"ms", ms},
              {"cpu_ms", times.cpu_ms},
              {"cpu_p50_ms", cpu50},
              {"cpu_p95_ms", cpu95},
              {"merge_after_commits_steps", m.steps},
              {"merge_after_commits_seconds", m.seconds},
              {"method",
               "Journal::Journalise (storage/journal.h), PDF already stored; search "
               "index merged afterwards (idle maintenance)"}};
  }

  report["documents"] = a.documents;
  report["cases"] = cases;
  report["seed"] = a.seed;
  report["queries_per_kind"] = a.queries;
  report["reused_database"] = reused;
  report["optimized"] = a.optimize;
  report["generation_seconds"] = generation_s;
  report["ocr_text_bytes_per_document"] = text_bytes / static_cast<double>(a.documents);
  report["database_file_bytes"] = file_bytes;
  report["database_free_bytes"] = free_bytes;
  report["database_bytes"] = used_bytes;
  report["database_bytes_per_document"] =
      static_cast<double>(used_bytes) / static_cast<double>(a.documents);
  report["bytes_per_document_by_table"] = tables;
  report["fts_data_rows"] = fts_segments;
  report["search_latency"] = latency;
  report["viewer"] = {{"all_access", false}, {"groups", viewer.groups}};
  report["limit"] = 20;
  report["rank_window"] = intake::storage::kRankWindow;
  report["commit_ms_per_document"] = commit;
  std::filesystem::create_directories(std::filesystem::path(a.out).parent_path().empty()
                                          ? "."
                                          : std::filesystem::path(a.out).parent_path());
  std::ofstream(a.out) << report.dump(2) << "\n";
  std::printf("\nwritten: %s\n", a.out.c_str());
  db.reset();
  if (!a.keep && !a.reuse) {
    for (const char* suffix : {"", "-wal", "-shm", ".key", ".anchor"}) {
      std::filesystem::remove(a.db + suffix);
    }
    std::filesystem::remove_all(a.db + ".files");
  }
  return 0;
}
