// Re-filing (omjournalisering), case notes, the party-check override and number references
// in the SQLite journal (storage/journal.h; DOMAIN.md section 10, items 1 and 7; issue #7).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/danish_date.h"
#include "storage/database.h"
#include "storage/journal.h"
#include "storage/schema.h"
#include "storage/search.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

constexpr char kCpr[] = "0101901234";

// Today's local date as YYYY-MM-DD.
std::string LocalDateForTest() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

class RefileTest : public ::testing::Test {
 protected:
  void SetUp() override { journal_ = Open(); }

  JournalOptions Options() const {
    JournalOptions o;
    o.database_path = dir_.Sub("data/journal.sqlite3");
    o.file_store_dir = dir_.Sub("data/files");
    o.key_file = dir_.Sub("data/keys/party.key");
    o.anchor_file = dir_.Sub("data/audit.anchor");
    return o;
  }

  std::unique_ptr<Journal> Open() {
    auto j = OpenSqliteJournal(Options());
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  CaseRecord AddCase(const std::string& reference, CaseStatus status = CaseStatus::kOpen) {
    NewCase c;
    c.system = "SBSYS";
    c.reference = reference;
    c.title = "Byggesag om carport på Hegnsvej 4";
    c.status = status;
    auto r = journal_->AddCase(c, actor_);
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : CaseRecord{};
  }

  NewDocument Doc(int64_t case_id, const std::string& title,
                  const std::string& text = "Kære kommune, jeg søger om en carport.") {
    NewDocument d;
    d.case_id = case_id;
    d.title = title;
    d.direction = Direction::kIn;
    d.received_date = "2026-11-25";
    d.pages = {DocumentPage{1, 1, false, 0, 0, 90.0, ""}};
    d.ocr_text = text;
    return d;
  }

  DocumentRecord Journalise(int64_t case_id, const std::string& title,
                            const std::string& text = "Kære kommune, jeg søger om en carport.") {
    auto d = journal_->Journalise(Doc(case_id, title, text), "%PDF-" + title, actor_);
    EXPECT_TRUE(d) << d.error().ToString();
    return d ? *d : DocumentRecord{};
  }

  // The documents of a case as "number:id" pairs, in order.
  std::vector<std::string> Numbers(int64_t case_id) {
    std::vector<std::string> out;
    auto docs = journal_->ListDocuments(case_id, everyone_);
    EXPECT_TRUE(docs) << docs.error().ToString();
    if (!docs) return out;
    for (const DocumentRecord& d : *docs) {
      out.push_back(std::to_string(d.doc_number) + ":" + std::to_string(d.id));
    }
    return out;
  }

  static std::string Pair(int64_t number, int64_t id) {
    return std::to_string(number) + ":" + std::to_string(id);
  }

  // A statement run on a connection of its own, behind the journal's back.
  void RawSql(const std::string& sql) {
    auto raw = Database::Open(Options().database_path);
    ASSERT_TRUE(raw) << raw.error().ToString();
    ASSERT_TRUE(RegisterSearchFunctions(**raw));
    Status run = (*raw)->Execute(sql);
    ASSERT_TRUE(run) << run.error().ToString();
  }

  int64_t Count(const std::string& sql) {
    auto raw = Database::Open(Options().database_path);
    EXPECT_TRUE(raw);
    if (!raw) return -1;
    auto s = (*raw)->Prepare(sql);
    EXPECT_TRUE(s);
    if (!s) return -1;
    auto row = s->Step();
    EXPECT_TRUE(row && *row);
    return s->Int(0);
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Journal> journal_;
  Actor actor_{"anna"};
  Viewer everyone_ = Viewer::Everyone("anna");
};

// ---- re-filing ----

TEST_F(RefileTest, RefilingMovesTheDocumentToTheNextNumberOnTheTarget) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord a1 = Journalise(from.id, "Ansøgning om byggetilladelse");
  const DocumentRecord a2 = Journalise(from.id, "Klage over naboens hæk");
  const DocumentRecord a3 = Journalise(from.id, "Tegninger af carporten");
  const DocumentRecord b1 = Journalise(to.id, "Brev fra Mette Jensen om hækken");

  auto moved =
      journal_->Refile(a2.id, to.id, "Klagen angår naboens sag, ikke carporten", Actor{"bo"});
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(moved->id, a2.id);
  EXPECT_EQ(moved->case_id, to.id);
  EXPECT_EQ(moved->doc_number, 2);
  // The document is the same: title, file, pages and text go with it.
  EXPECT_EQ(moved->title, a2.title);
  EXPECT_EQ(moved->pdf_sha256, a2.pdf_sha256);
  EXPECT_EQ(moved->ocr_text, a2.ocr_text);
  EXPECT_EQ(moved->pages.size(), a2.pages.size());

  EXPECT_EQ(Numbers(from.id), (std::vector<std::string>{Pair(1, a1.id), Pair(3, a3.id)}));
  EXPECT_EQ(Numbers(to.id), (std::vector<std::string>{Pair(1, b1.id), Pair(2, a2.id)}));
  auto got = journal_->GetDocument(a2.id, everyone_);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->case_id, to.id);
  EXPECT_EQ(got->doc_number, 2);

  auto moves = journal_->MovesOf(a2.id);
  ASSERT_TRUE(moves) << moves.error().ToString();
  ASSERT_EQ(moves->size(), 1u);
  const DocumentMove& m = moves->front();
  EXPECT_EQ(m.document_id, a2.id);
  EXPECT_EQ(m.from_case_id, from.id);
  EXPECT_EQ(m.from_doc_number, 2);
  EXPECT_EQ(m.to_case_id, to.id);
  EXPECT_EQ(m.to_doc_number, 2);
  EXPECT_EQ(m.reason, "Klagen angår naboens sag, ikke carporten");
  EXPECT_EQ(m.actor, "bo");
  EXPECT_FALSE(m.time.empty());
  auto unmoved = journal_->MovesOf(a1.id);
  ASSERT_TRUE(unmoved);
  EXPECT_TRUE(unmoved->empty());
}

TEST_F(RefileTest, TheOldCaseKeepsANoteNamingTheTargetTheReasonAndWho) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("27.24.00-G01-5-19");
  Journalise(from.id, "Ansøgning om byggetilladelse");
  Journalise(from.id, "Ansøgning om byggetilladelse, bilag");
  const DocumentRecord d = Journalise(from.id, "Klage over afslag på boligstøtte");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "  Forkert sag: klagen hører til boligstøttesagen ",
                               Actor{"bo"}));
  auto notes = journal_->CaseNotes(from.id, everyone_);
  ASSERT_TRUE(notes) << notes.error().ToString();
  ASSERT_EQ(notes->size(), 1u);
  const CaseNote& n = notes->front();
  EXPECT_EQ(n.case_id, from.id);
  EXPECT_EQ(n.document_id, d.id);
  EXPECT_EQ(n.actor, "bo");
  EXPECT_FALSE(n.time.empty());
  EXPECT_THAT(n.text, HasSubstr("Dokument nr. 3 »Klage over afslag på boligstøtte« er "
                                "omjournaliseret til sag SBSYS 27.24.00-G01-5-19 den "));
  EXPECT_THAT(n.text, HasSubstr(" af bo. Begrundelse: Forkert sag: klagen hører til "
                                "boligstøttesagen"));
  // The date as a Danish reader writes it, in the station's time zone.
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char today[64];
  std::snprintf(today, sizeof today, "%04d-%02d-%02d", local.tm_year + 1900, local.tm_mon + 1,
                local.tm_mday);
  ASSERT_FALSE(LongDanishDate(today).empty());
  EXPECT_THAT(n.text, HasSubstr(" den " + LongDanishDate(today) + " af bo."));
  // The target has no note; its document list shows the document instead.
  auto target_notes = journal_->CaseNotes(to.id, everyone_);
  ASSERT_TRUE(target_notes);
  EXPECT_TRUE(target_notes->empty());
  auto unknown = journal_->CaseNotes(9999, everyone_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
}

TEST_F(RefileTest, TheNoteOnARestrictedCaseIsHiddenFromOtherViewers) {
  NewCase secret;
  secret.system = "SBSYS";
  secret.reference = "29.09.00-G01-1-24";
  secret.title = "Underretning om bekymring for et barn";
  secret.restricted = true;
  secret.access_group = "børn";
  auto from = journal_->AddCase(secret, actor_);
  ASSERT_TRUE(from);
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord d = Journalise(from->id, "Brev om byggetilladelse til carport");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "Hører til byggesagen", actor_));
  auto hidden = journal_->CaseNotes(from->id, Viewer{"carl", {"byg"}, false});
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code(), ErrorCode::kNotFound);
  auto shown = journal_->CaseNotes(from->id, Viewer{"dorte", {"børn"}, false});
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->size(), 1u);
}

TEST_F(RefileTest, HistoryShowsTheOldAndTheNewPlaceAndTheCaseItsNote) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "Hører til nabosagen", Actor{"bo"}));
  auto history = journal_->History("document", std::to_string(d.id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "document.journalise");
  const HistoryEntry& e = (*history)[1];
  EXPECT_EQ(e.action, "document.refile");
  EXPECT_EQ(e.actor, "bo");
  ASSERT_TRUE(e.before && e.after);
  const Json before = Json::parse(*e.before);
  const Json after = Json::parse(*e.after);
  EXPECT_EQ(before["case_id"], from.id);
  EXPECT_EQ(before["case"], "SBSYS 01.01.01-G01-1-24");
  EXPECT_EQ(before["doc_number"], 1);
  EXPECT_EQ(after["case_id"], to.id);
  EXPECT_EQ(after["case"], "SBSYS 01.01.01-G01-2-24");
  EXPECT_EQ(after["doc_number"], 1);
  EXPECT_EQ(after["reason"], "Hører til nabosagen");
  auto case_history = journal_->History("case", std::to_string(from.id));
  ASSERT_TRUE(case_history);
  ASSERT_FALSE(case_history->empty());
  EXPECT_EQ(case_history->back().action, "case.note");
  EXPECT_THAT(*case_history->back().after, HasSubstr("omjournaliseret til sag SBSYS"));
}

TEST_F(RefileTest, RefilingToAClosedDormantOrTheSameCaseIsRefusedAndChangesNothing) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord closed = AddCase("01.01.01-G01-2-24", CaseStatus::kClosed);
  const CaseRecord dormant = AddCase("01.01.01-G01-3-24", CaseStatus::kDormant);
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  const int64_t audit_before = Count("SELECT count(*) FROM audit_log");
  struct Refused {
    int64_t target;
    const char* says;
  };
  for (const Refused& r : {Refused{closed.id, "er lukket"}, Refused{dormant.id, "er hvilende"},
                           Refused{from.id, "ligger allerede på sagen"}}) {
    auto refused = journal_->Refile(d.id, r.target, "Hører til en anden sag", actor_);
    ASSERT_FALSE(refused) << r.says;
    EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition) << r.says;
    EXPECT_THAT(refused.error().message(), HasSubstr(r.says));
  }
  EXPECT_EQ(Numbers(from.id), std::vector<std::string>{Pair(1, d.id)});
  EXPECT_TRUE(Numbers(closed.id).empty());
  EXPECT_TRUE(Numbers(dormant.id).empty());
  EXPECT_TRUE(journal_->MovesOf(d.id)->empty());
  EXPECT_TRUE(journal_->CaseNotes(from.id, everyone_)->empty());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit_before);
}

TEST_F(RefileTest, ABlankReasonOrOneWithACprNumberIsRefusedNamingTheField) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  for (const char* reason : {"", "   ", "\t\n"}) {
    auto r = journal_->Refile(d.id, to.id, reason, actor_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("begrundelsen for omjournaliseringen mangler"));
  }
  auto cpr = journal_->Refile(d.id, to.id, "Borgeren med 010190-1234 har en anden sag", actor_);
  ASSERT_FALSE(cpr);
  EXPECT_EQ(cpr.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(cpr.error().message(), HasSubstr("begrundelsen for omjournaliseringen"));
  EXPECT_THAT(cpr.error().message(), Not(HasSubstr("010190")));
  EXPECT_EQ(Numbers(from.id), std::vector<std::string>{Pair(1, d.id)});
}

TEST_F(RefileTest, AnUnknownDocumentOrCaseIsNotFound) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  auto no_doc = journal_->Refile(9999, from.id, "Forkert sag", actor_);
  ASSERT_FALSE(no_doc);
  EXPECT_EQ(no_doc.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(no_doc.error().message(), HasSubstr("9999"));
  auto no_case = journal_->Refile(d.id, 9999, "Forkert sag", actor_);
  ASSERT_FALSE(no_case);
  EXPECT_EQ(no_case.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(no_case.error().message(), HasSubstr("9999"));
  auto no_moves = journal_->MovesOf(9999);
  ASSERT_FALSE(no_moves);
  EXPECT_EQ(no_moves.error().code(), ErrorCode::kNotFound);
}

TEST_F(RefileTest, ADocumentNotYetJournalisedIsNotRefiled) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  RawSql(
      "INSERT INTO documents (id, case_id, title, direction, created) "
      "VALUES (50, " +
      std::to_string(from.id) + ", 'Kladde til et brev', 'in', 't')");
  auto r = journal_->Refile(50, to.id, "Hører til byggesagen", actor_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(r.error().message(), HasSubstr("er ikke journaliseret"));
}

TEST_F(RefileTest, AMovedAwayNumberIsNeverGivenToAnotherDocument) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord a1 = Journalise(from.id, "Ansøgning om byggetilladelse");
  const DocumentRecord a2 = Journalise(from.id, "Klage over naboens hæk");
  ASSERT_TRUE(journal_->Refile(a2.id, to.id, "Hører til nabosagen", actor_));
  // Number 2 was the newest on the old case; it stays taken.
  const DocumentRecord a3 = Journalise(from.id, "Tegninger af carporten");
  EXPECT_EQ(a3.doc_number, 3);
  EXPECT_EQ(Numbers(from.id), (std::vector<std::string>{Pair(1, a1.id), Pair(3, a3.id)}));
}

TEST_F(RefileTest, ADocumentRefiledBackGetsANewNumberAndBothMovesAreKept) {
  const CaseRecord a = AddCase("01.01.01-G01-1-24");
  const CaseRecord b = AddCase("01.01.01-G01-2-24");
  const DocumentRecord d = Journalise(a.id, "Klage over naboens hæk");
  ASSERT_TRUE(journal_->Refile(d.id, b.id, "Hører til nabosagen", actor_));
  auto back = journal_->Refile(d.id, a.id, "Fejl: den hørte til alligevel", Actor{"bo"});
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->case_id, a.id);
  EXPECT_EQ(back->doc_number, 2);
  auto moves = journal_->MovesOf(d.id);
  ASSERT_TRUE(moves);
  ASSERT_EQ(moves->size(), 2u);
  EXPECT_EQ((*moves)[0].from_case_id, a.id);
  EXPECT_EQ((*moves)[0].to_case_id, b.id);
  EXPECT_EQ((*moves)[1].from_case_id, b.id);
  EXPECT_EQ((*moves)[1].from_doc_number, 1);
  EXPECT_EQ((*moves)[1].to_case_id, a.id);
  EXPECT_EQ((*moves)[1].to_doc_number, 2);
  EXPECT_EQ(journal_->CaseNotes(a.id, everyone_)->size(), 1u);
  EXPECT_EQ(journal_->CaseNotes(b.id, everyone_)->size(), 1u);
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
}

TEST_F(RefileTest, TheIntegrityCheckAcceptsAMovedAwayNumberAndStillFindsARealGap) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  Journalise(from.id, "Ansøgning om byggetilladelse");
  const DocumentRecord a2 = Journalise(from.id, "Klage over naboens hæk");
  const DocumentRecord a3 = Journalise(from.id, "Tegninger af carporten");
  Journalise(to.id, "Brev fra Mette Jensen om hækken");
  ASSERT_TRUE(journal_->Refile(a2.id, to.id, "Hører til nabosagen", actor_));
  {
    auto report = journal_->IntegrityCheck();
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
    EXPECT_EQ(report->documents_checked, 4);
  }
  // A real gap on the old case: its last document renumbered from 3 to 5.
  RawSql("UPDATE documents SET doc_number = 5 WHERE id = " + std::to_string(a3.id));
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  ASSERT_FALSE(report->ok());
  ASSERT_EQ(report->problems.size(), 1u) << ::testing::PrintToString(report->problems);
  EXPECT_THAT(report->problems[0], HasSubstr("sag " + std::to_string(from.id) + ": "));
  EXPECT_THAT(report->problems[0], HasSubstr("huller"));
  EXPECT_THAT(report->problems[0], HasSubstr("1 omjournaliseret"));
}

TEST_F(RefileTest, TheIntegrityCheckFindsADocumentWhereNoRefilingPutIt) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const CaseRecord third = AddCase("01.01.01-G01-3-24");
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "Hører til nabosagen", actor_));
  // Moved behind the journal's back, without a trace.
  RawSql("UPDATE documents SET case_id = " + std::to_string(third.id) +
         " WHERE id = " + std::to_string(d.id));
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_THAT(
      ::testing::PrintToString(report->problems),
      HasSubstr("dokument " + std::to_string(d.id) + " ligger på sag " + std::to_string(third.id)));
}

TEST_F(RefileTest, ARefilingSurvivesReopeningTheJournalAndKeepsTheAuditChainIntact) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "Hører til nabosagen", actor_));
  journal_.reset();
  journal_ = Open();
  ASSERT_TRUE(journal_);
  EXPECT_TRUE(Numbers(from.id).empty());
  EXPECT_EQ(Numbers(to.id), std::vector<std::string>{Pair(1, d.id)});
  EXPECT_EQ(journal_->MovesOf(d.id)->size(), 1u);
  EXPECT_EQ(journal_->CaseNotes(from.id, everyone_)->size(), 1u);
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
  // case.add twice, document.journalise, document.refile, case.note.
  EXPECT_EQ(audit->entries, 5);
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
}

TEST_F(RefileTest, AFailureHalfwayThroughRefilingLeavesNothingChanged) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  const DocumentRecord d = Journalise(from.id, "Klage over naboens hæk");
  const int64_t audit_before = Count("SELECT count(*) FROM audit_log");
  // The note is written after the document moved and its move was recorded.
  RawSql(
      "CREATE TRIGGER fail_note BEFORE INSERT ON case_notes "
      "BEGIN SELECT RAISE(ABORT, 'injiceret fejl'); END");
  auto failed = journal_->Refile(d.id, to.id, "Hører til nabosagen", actor_);
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message(), HasSubstr("injiceret fejl"));
  EXPECT_EQ(Numbers(from.id), std::vector<std::string>{Pair(1, d.id)});
  EXPECT_TRUE(Numbers(to.id).empty());
  EXPECT_EQ(Count("SELECT count(*) FROM document_moves"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit_before);
  RawSql("DROP TRIGGER fail_note");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "Hører til nabosagen", actor_));
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
}

TEST_F(RefileTest, SearchFindsTheMovedDocumentUnderItsNewCase) {
  const CaseRecord from = AddCase("01.01.01-G01-1-24");
  const CaseRecord to = AddCase("01.01.01-G01-2-24");
  Journalise(from.id, "Ansøgning om byggetilladelse");
  const DocumentRecord d =
      Journalise(from.id, "Klage over naboens hæk", "Hækken er over to meter høj, ligusterhæk.");
  ASSERT_TRUE(journal_->Refile(d.id, to.id, "Hører til nabosagen", actor_));
  SearchQuery q;
  q.text = "ligusterhæk";
  q.case_reference = to.reference;
  auto on_new = journal_->Search(q, everyone_);
  ASSERT_TRUE(on_new) << on_new.error().ToString();
  ASSERT_EQ(on_new->hits.size(), 1u);
  EXPECT_EQ(on_new->hits[0].document_id, d.id);
  EXPECT_EQ(on_new->hits[0].case_id, to.id);
  EXPECT_EQ(on_new->hits[0].case_reference, to.reference);
  EXPECT_EQ(on_new->hits[0].doc_number, 1);
  q.case_reference = from.reference;
  auto on_old = journal_->Search(q, everyone_);
  ASSERT_TRUE(on_old);
  EXPECT_TRUE(on_old->hits.empty());
  // A phrase runs on the pair index: the same answer.
  q.text = "\"to meter\"";
  q.case_reference = to.reference;
  auto phrase = journal_->Search(q, everyone_);
  ASSERT_TRUE(phrase);
  ASSERT_FALSE(phrase->pair_query.empty());
  ASSERT_EQ(phrase->hits.size(), 1u);
  EXPECT_EQ(phrase->hits[0].document_id, d.id);
}

// ---- the party-check override ----

TEST_F(RefileTest, OverrideRefsWithoutAReasonAreRefused) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  auto ref = journal_->NumberRef(kCpr);
  ASSERT_TRUE(ref);
  for (const std::optional<std::string>& reason :
       {std::optional<std::string>(), std::optional<std::string>(""),
        std::optional<std::string>("  ")}) {
    NewDocument doc = Doc(c.id, "Brev fra Jens Hansen om carporten");
    doc.party_override_refs = {*ref};
    doc.party_override_reason = reason;
    auto r = journal_->Journalise(doc, "%PDF-x", actor_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(),
                HasSubstr("begrundelsen for at tilsidesætte partskontrollen mangler"));
  }
  EXPECT_TRUE(Numbers(c.id).empty());
}

TEST_F(RefileTest, OverrideRefsMustBeRefsNeverNumbersAndAreNotQuoted) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  for (const std::string& bad :
       {std::string(kCpr), std::string("010190-1234"), std::string("ABCDEF0123456789"),
        std::string("0123456789abcdeg"), std::string("0123")}) {
    NewDocument doc = Doc(c.id, "Brev fra Jens Hansen om carporten");
    doc.party_override_reason = "Jens Hansen er værge for ansøgeren";
    doc.party_override_refs = {bad};
    auto r = journal_->Journalise(doc, "%PDF-x", actor_);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("nummerreference nr. 1"));
    EXPECT_THAT(r.error().message(), Not(HasSubstr(bad)));
  }
  NewDocument cpr_reason = Doc(c.id, "Brev fra Jens Hansen om carporten");
  cpr_reason.party_override_reason = "0101901234 er værge";
  auto r = journal_->Journalise(cpr_reason, "%PDF-x", actor_);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("partskontrollen"));
  EXPECT_THAT(r.error().message(), Not(HasSubstr("0101901234")));
  EXPECT_TRUE(Numbers(c.id).empty());
}

TEST_F(RefileTest, TheOverrideReasonAndRefsAreInTheDocumentsAuditEntry) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  auto ref1 = journal_->NumberRef(kCpr);
  auto ref2 = journal_->NumberRef("13 74 81 36");
  ASSERT_TRUE(ref1 && ref2);
  NewDocument doc = Doc(c.id, "Brev fra Jens Hansen om carporten");
  doc.party_override_reason = "  Jens Hansen er værge for ansøgeren; firmaet er entreprenøren ";
  doc.party_override_refs = {*ref1, *ref2, *ref1};
  auto d = journal_->Journalise(doc, "%PDF-override", Actor{"bo"});
  ASSERT_TRUE(d) << d.error().ToString();
  auto history = journal_->History("document", std::to_string(d->id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].action, "document.journalise");
  EXPECT_EQ((*history)[0].actor, "bo");
  const Json after = Json::parse((*history)[0].after.value_or("{}"));
  ASSERT_TRUE(after.contains("party_override")) << after.dump();
  EXPECT_EQ(after["party_override"]["reason"],
            "Jens Hansen er værge for ansøgeren; firmaet er entreprenøren");
  EXPECT_EQ(after["party_override"]["refs"], (Json::array({*ref1, *ref2})));
  // Never the numbers themselves.
  EXPECT_THAT(*(*history)[0].after, Not(HasSubstr("010190")));
  EXPECT_THAT(*(*history)[0].after, Not(HasSubstr("13748136")));
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok);
  // A document journalised without an override has no such key.
  auto plain = journal_->Journalise(Doc(c.id, "Ansøgning om byggetilladelse"), "%PDF-p", actor_);
  ASSERT_TRUE(plain);
  auto plain_history = journal_->History("document", std::to_string(plain->id));
  ASSERT_TRUE(plain_history && plain_history->size() == 1u);
  EXPECT_FALSE(Json::parse(*(*plain_history)[0].after).contains("party_override"));
}

// ---- number references ----

TEST_F(RefileTest, NumberRefEqualsThePartysRefHoweverTheNumberIsWritten) {
  auto p = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCpr, actor_);
  ASSERT_TRUE(p);
  ASSERT_TRUE(p->number_ref);
  for (const char* written : {"0101901234", "010190-1234", " 01 01 90 1234 ", "010190/1234"}) {
    auto ref = journal_->NumberRef(written);
    ASSERT_TRUE(ref) << ref.error().ToString();
    EXPECT_EQ(*ref, *p->number_ref);
  }
  auto company = journal_->AddParty(PartyKind::kCompany, "Carport ApS", "13748136", actor_);
  ASSERT_TRUE(company && company->number_ref);
  auto cvr = journal_->NumberRef("13 74 81 36");
  ASSERT_TRUE(cvr);
  EXPECT_EQ(*cvr, *company->number_ref);
  EXPECT_EQ(cvr->size(), 16u);
  EXPECT_NE(*cvr, *p->number_ref);
}

TEST_F(RefileTest, NumberRefOfANumberWithoutAPartyStoresNothing) {
  const int64_t audit_before = Count("SELECT count(*) FROM audit_log");
  auto ref = journal_->NumberRef("020285-4321");
  ASSERT_TRUE(ref) << ref.error().ToString();
  EXPECT_EQ(ref->size(), 16u);
  EXPECT_EQ(*journal_->NumberRef("0202854321"), *ref);
  EXPECT_EQ(Count("SELECT count(*) FROM parties"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit_before);
  auto later = journal_->AddParty(PartyKind::kPerson, "Mette Jensen", "0202854321", actor_);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->number_ref, *ref);
}

TEST_F(RefileTest, NumberRefRefusesMalformedInputWithoutEchoingIt) {
  for (const std::string& bad :
       {std::string(""), std::string("12345"), std::string("01019012345"),
        std::string("0101901234a"), std::string("1374813x6"), std::string("0101 90 12 3")}) {
    auto r = journal_->NumberRef(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << bad;
    if (!bad.empty()) {
      EXPECT_THAT(r.error().message(), Not(HasSubstr(bad)));
    }
    EXPECT_THAT(r.error().message(), Not(HasSubstr("0101901")));
    EXPECT_THAT(r.error().message(), Not(HasSubstr("1374813")));
  }
}

// ---- a journal from before version 5 ----

TEST_F(RefileTest, AJournalFromVersion4IsMigratedAndItsDocumentsCanBeRefiled) {
  journal_.reset();
  testing::ScopedTempDir old_dir;
  JournalOptions options = Options();
  options.database_path = old_dir.Sub("journal.sqlite3");
  options.file_store_dir = old_dir.Sub("data/files");
  options.key_file = old_dir.Sub("data/keys/party.key");
  options.anchor_file = old_dir.Sub("data/audit.anchor");
  {
    auto db = Database::Open(options.database_path);
    ASSERT_TRUE(db) << db.error().ToString();
    ASSERT_TRUE(RegisterSearchFunctions(**db));
    for (const Migration& m : Migrations()) {
      if (m.to <= 4) {
        ASSERT_TRUE((*db)->Execute(m.sql)) << m.to;
      }
    }
    ASSERT_TRUE((*db)->Execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', '4'), "
        "('compatible_version', '4');"
        "INSERT INTO cases (id, system, reference, reference_norm, title, created) VALUES "
        "(1, 'KK', '2024-0000001', '2024-0000001', 'Boligstøtte', '2026-01-01T00:00:00Z'),"
        "(2, 'KK', '2024-0000002', '2024-0000002', 'Byggesag', '2026-01-01T00:00:00Z');"
        "INSERT INTO documents (id, case_id, doc_number, title, direction, journal_date, state, "
        "page_count, created) VALUES (1, 1, 1, 'Ansøgning om boligstøtte', 'in', "
        "'2026-01-02T00:00:00Z', 'journalised', 0, '2026-01-02T00:00:00Z'),"
        "(2, 1, 2, 'Tegning af carporten', 'in', '2026-01-02T00:00:00Z', 'journalised', 0, "
        "'2026-01-02T00:00:00Z');"
        "INSERT INTO document_text (document_id, ocr_text) VALUES (1, 'boligstøtte'), "
        "(2, 'carport')"));
  }
  auto opened = OpenSqliteJournal(options);
  ASSERT_TRUE(opened) << opened.error().ToString();
  std::unique_ptr<Journal> journal = std::move(*opened);
  {
    auto db = Database::Open(options.database_path);
    ASSERT_TRUE(db);
    EXPECT_EQ(SchemaVersionOf(**db).value_or(-1), kSchemaVersion);
  }
  auto moved = journal->Refile(2, 2, "Tegningen hører til byggesagen", actor_);
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(moved->case_id, 2);
  EXPECT_EQ(moved->doc_number, 1);
  auto notes = journal->CaseNotes(1, everyone_);
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_THAT(notes->front().text, HasSubstr("Dokument nr. 2 »Tegning af carporten«"));
  SearchQuery q;
  q.text = "carport";
  q.case_reference = "2024-0000002";
  auto found = journal->Search(q, everyone_);
  ASSERT_TRUE(found) << found.error().ToString();
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].document_id, 2);
}

// ---- the dashboard's read-only figures (Journal::MovesSince, JournalisedSince,
// JournalisedPerActorDay) ----

TEST_F(RefileTest, MovesSinceListsRefilingsNewestFirstAndNoneBeforeTheGivenTime) {
  const CaseRecord a = AddCase("27.24.00-G01-1-26");
  const CaseRecord b = AddCase("27.24.00-G01-2-26");
  const DocumentRecord first = Journalise(a.id, "Brev fra Mette Jensen om carport");
  const DocumentRecord second = Journalise(a.id, "Brev fra Ole Hansen om carport");
  ASSERT_TRUE(journal_->Refile(first.id, b.id, "Forkert sag", actor_));
  ASSERT_TRUE(journal_->Refile(second.id, b.id, "Også forkert", actor_));

  auto moves = journal_->MovesSince("2000-01-01T00:00:00Z");
  ASSERT_TRUE(moves) << moves.error().ToString();
  ASSERT_EQ(moves->size(), 2u);
  EXPECT_EQ((*moves)[0].document_id, second.id);
  EXPECT_EQ((*moves)[0].reason, "Også forkert");
  EXPECT_EQ((*moves)[1].document_id, first.id);
  EXPECT_EQ((*moves)[1].from_case_id, a.id);
  EXPECT_EQ((*moves)[1].to_case_id, b.id);

  auto later = journal_->MovesSince("9999-01-01T00:00:00Z");
  ASSERT_TRUE(later) << later.error().ToString();
  EXPECT_TRUE(later->empty());
}

TEST_F(RefileTest, JournalisedSinceLeavesOutCasesTheViewerMayNotSee) {
  const CaseRecord open = AddCase("27.24.00-G01-1-26");
  NewCase c;
  c.system = "SBSYS";
  c.reference = "27.24.00-G01-9-26";
  c.title = "Fortrolig sag";
  c.restricted = true;
  c.access_group = "familie-følsom";
  auto secret = journal_->AddCase(c, actor_);
  ASSERT_TRUE(secret) << secret.error().ToString();
  const DocumentRecord visible = Journalise(open.id, "Brev fra Mette Jensen om carport");
  const DocumentRecord hidden = Journalise(secret->id, "Brev fra Ole Hansen om familien");

  auto all = journal_->JournalisedSince("2000-01-01", everyone_);
  ASSERT_TRUE(all) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, visible.id);
  EXPECT_EQ((*all)[1].id, hidden.id);
  EXPECT_EQ((*all)[1].title, "Brev fra Ole Hansen om familien");

  auto outsider = journal_->JournalisedSince("2000-01-01", Viewer{"lene", {"jobcenter"}, false});
  ASSERT_TRUE(outsider) << outsider.error().ToString();
  ASSERT_EQ(outsider->size(), 1u);
  EXPECT_EQ((*outsider)[0].id, visible.id);
  auto member = journal_->JournalisedSince("2000-01-01", Viewer{"lene", {"familie-følsom"}, false});
  ASSERT_TRUE(member) << member.error().ToString();
  EXPECT_EQ(member->size(), 2u);

  auto none = journal_->JournalisedSince("9999-01-01", everyone_);
  ASSERT_TRUE(none) << none.error().ToString();
  EXPECT_TRUE(none->empty());
}

TEST_F(RefileTest, JournalisedPerActorDayCountsTheAuditLogsJournalisingsByActor) {
  const CaseRecord a = AddCase("27.24.00-G01-1-26");
  Journalise(a.id, "Brev fra Mette Jensen om carport");
  Journalise(a.id, "Brev fra Ole Hansen om carport");
  auto d = journal_->Journalise(Doc(a.id, "Brev fra Eva Berg om carport"), "%PDF-eva", Actor{"bo"});
  ASSERT_TRUE(d) << d.error().ToString();
  // A re-filing is no journalising.
  const CaseRecord b = AddCase("27.24.00-G01-2-26");
  ASSERT_TRUE(journal_->Refile(d->id, b.id, "Forkert sag", actor_));

  auto rows = journal_->JournalisedPerActorDay("2000-01-01T00:00:00Z");
  ASSERT_TRUE(rows) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].actor, "anna");  // the fixture's actor; by day, then actor
  int64_t total = 0;
  for (const ActorDayCount& r : *rows) {
    EXPECT_EQ(r.day, LocalDateForTest());
    total += r.documents;
    EXPECT_EQ(r.documents, r.actor == "bo" ? 1 : 2) << r.actor;
  }
  EXPECT_EQ(total, 3);

  auto none = journal_->JournalisedPerActorDay("9999-01-01T00:00:00Z");
  ASSERT_TRUE(none) << none.error().ToString();
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace intake::storage
