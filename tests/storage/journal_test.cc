// The SQLite journal in-process: cases, parties, batches, journalising, access, integrity.
#include "storage/journal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "base/sha256.h"
#include "storage/database.h"
#include "storage/search.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kCpr[] = "0101901234";
constexpr char kCprWritten[] = "010190-1234";

class JournalTest : public ::testing::Test {
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

  std::unique_ptr<Journal> Open(const JournalOptions* options = nullptr) {
    auto j = OpenSqliteJournal(options ? *options : Options());
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  CaseRecord AddCase(const std::string& reference, CaseStatus status = CaseStatus::kOpen,
                     const std::string& system = "SBSYS") {
    NewCase c;
    c.system = system;
    c.reference = reference;
    c.title = "Byggesag om carport på Hegnsvej 4";
    c.status = status;
    auto r = journal_->AddCase(c, actor_);
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : CaseRecord{};
  }

  NewDocument Doc(int64_t case_id, const std::string& title = "Ansøgning om byggetilladelse") {
    NewDocument d;
    d.case_id = case_id;
    d.title = title;
    d.direction = Direction::kIn;
    d.received_date = "2026-11-25";
    d.pages = {DocumentPage{1, 1, false, 0, 0.5, 91.0, R"({"words":12})"},
               DocumentPage{2, 2, true, 90, 0, std::nullopt, ""}};
    d.ocr_text = "Kære kommune, jeg søger om tilladelse til en carport.";
    return d;
  }

  int64_t Count(const std::string& sql) {
    auto db = Database::Open(Options().database_path);
    EXPECT_TRUE(db);
    auto s = (*db)->Prepare(sql);
    EXPECT_TRUE(s);
    EXPECT_TRUE(*s->Step());
    return s->Int(0);
  }

  // Every byte of the database, its WAL and shared-memory files.
  std::string DatabaseBytes() const {
    std::string all;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      all += testing::ReadFile(Options().database_path + suffix);
    }
    return all;
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Journal> journal_;
  Actor actor_{"anna"};
  Viewer everyone_ = Viewer::Everyone("anna");
};

// ---- cases ----

TEST_F(JournalTest, AddsACaseAndFindsItByAnyWritingOfItsReference) {
  const CaseRecord c = AddCase("27.24.00-G01-5-19");
  EXPECT_GT(c.id, 0);
  EXPECT_EQ(c.status, CaseStatus::kOpen);
  for (const char* written : {"27.24.00-G01-5-19", " 27.24.00-g01-5-19 ",
                              "27.24.00\u2010G01\u20105\u201019"}) {
    auto found = journal_->FindCaseByReference("SBSYS", written, everyone_);
    ASSERT_TRUE(found) << written << ": " << found.error().ToString();
    EXPECT_EQ(found->id, c.id);
  }
  auto any_system = journal_->FindCaseByReference("", "27.24.00-G01-5-19", everyone_);
  ASSERT_TRUE(any_system);
  EXPECT_EQ(any_system->system, "SBSYS");
}

TEST_F(JournalTest, ADuplicateReferenceInTheSameSystemIsRefused) {
  const CaseRecord c = AddCase("27.24.00-G01-5-19");
  NewCase again;
  again.system = "sbsys";
  again.reference = "27.24.00-g01-5-19";
  again.title = "En anden titel på samme sag";
  auto r = journal_->AddCase(again, actor_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_THAT(r.error().message(), HasSubstr("findes allerede"));
  EXPECT_THAT(r.error().message(), HasSubstr("id " + std::to_string(c.id)));
}

TEST_F(JournalTest, TheSameReferenceInTwoSystemsIsAmbiguousWithoutTheSystem) {
  AddCase("2024-0123456", CaseStatus::kOpen, "KK");
  AddCase("2024-0123456", CaseStatus::kOpen, "WORKZONE");
  auto r = journal_->FindCaseByReference("", "2024-0123456", everyone_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(r.error().message(), HasSubstr("KK, WORKZONE"));
  EXPECT_TRUE(journal_->FindCaseByReference("kk", "2024-0123456", everyone_));
}

TEST_F(JournalTest, AnUnknownReferenceIsNotFound) {
  auto r = journal_->FindCaseByReference("SBSYS", "99.99.99-G01-1-20", everyone_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(r.error().message(), HasSubstr("99.99.99-G01-1-20"));
}

TEST_F(JournalTest, BadCaseFieldsAreRefusedNamingTheField) {
  struct Bad {
    NewCase c;
    const char* field;
  };
  NewCase ok;
  ok.system = "SBSYS";
  ok.reference = "01.02.03-G01-1-24";
  ok.title = "Tilsyn med hegn mod naboskel";
  std::vector<Bad> bad;
  bad.push_back({ok, "sagsnummeret"});
  bad.back().c.reference = "  ";
  bad.push_back({ok, "titel"});
  bad.back().c.title = "";
  bad.push_back({ok, "systemet"});
  bad.back().c.system = "";
  bad.push_back({ok, "KLE-emnet"});
  bad.back().c.kle_subject = "1.2.3";
  bad.push_back({ok, "handlingsfacetten"});
  bad.back().c.kle_facet = "g1";
  bad.push_back({ok, "CPR"});
  bad.back().c.title = "Sag om borger 010190-1234";
  bad.push_back({ok, "UTF-8"});
  bad.back().c.title = "Bolig\xf8tte til borger";  // Latin-1 'ø'
  for (const Bad& b : bad) {
    auto r = journal_->AddCase(b.c, actor_);
    ASSERT_FALSE(r) << b.field;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << b.field;
    EXPECT_THAT(r.error().message(), HasSubstr(b.field));
    EXPECT_THAT(r.error().message(), ::testing::Not(HasSubstr("0101")));
  }
  NewCase facet = ok;
  facet.kle_subject = "01.02.03";
  facet.kle_facet = "Ø30";
  EXPECT_TRUE(journal_->AddCase(facet, actor_));
}

TEST_F(JournalTest, StatusChangesAreAuditedWithBeforeAndAfter) {
  const CaseRecord c = AddCase("27.24.00-G01-5-19");
  auto closed = journal_->UpdateCaseStatus(c.id, CaseStatus::kClosed, Actor{"bo"});
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status, CaseStatus::kClosed);
  // Unchanged: no entry.
  ASSERT_TRUE(journal_->UpdateCaseStatus(c.id, CaseStatus::kClosed, Actor{"bo"}));
  auto history = journal_->History("case", std::to_string(c.id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "case.add");
  EXPECT_EQ((*history)[0].actor, "anna");
  EXPECT_EQ((*history)[1].action, "case.status");
  EXPECT_EQ((*history)[1].actor, "bo");
  EXPECT_EQ(nlohmann::json::parse(*(*history)[1].before)["status"], "open");
  EXPECT_EQ(nlohmann::json::parse(*(*history)[1].after)["status"], "closed");
  auto unknown = journal_->UpdateCaseStatus(9999, CaseStatus::kOpen, actor_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
}

TEST_F(JournalTest, ListCasesFiltersByStatusAndSystem) {
  AddCase("01.01.01-G01-1-24");
  AddCase("01.01.01-G01-2-24", CaseStatus::kClosed);
  AddCase("2024-0000001", CaseStatus::kOpen, "KK");
  auto all = journal_->ListCases({}, everyone_);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  CaseFilter open;
  open.status = CaseStatus::kOpen;
  EXPECT_EQ(journal_->ListCases(open, everyone_)->size(), 2u);
  CaseFilter kk;
  kk.system = "KK";
  auto kk_cases = journal_->ListCases(kk, everyone_);
  ASSERT_EQ(kk_cases->size(), 1u);
  EXPECT_EQ(kk_cases->front().reference, "2024-0000001");
  CaseFilter limited;
  limited.limit = 2;
  EXPECT_EQ(journal_->ListCases(limited, everyone_)->size(), 2u);
}

TEST_F(JournalTest, ARestrictedCaseIsVisibleOnlyToItsGroup) {
  NewCase c;
  c.system = "SBSYS";
  c.reference = "29.03.06-K02-1-24";
  c.title = "Klage over afgørelse om tilskud";
  c.restricted = true;
  c.access_group = "borgerservice-ledelse";
  auto added = journal_->AddCase(c, actor_);
  ASSERT_TRUE(added);
  const Viewer outsider{"bo", {"post"}, false};
  const Viewer insider{"carl", {"post", "borgerservice-ledelse"}, false};
  EXPECT_EQ(journal_->ListCases({}, outsider)->size(), 0u);
  EXPECT_EQ(journal_->ListCases({}, insider)->size(), 1u);
  auto hidden = journal_->GetCase(added->id, outsider);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(journal_->FindCaseByReference("SBSYS", c.reference, outsider));
  EXPECT_TRUE(journal_->FindCaseByReference("SBSYS", c.reference, insider));
  auto doc = journal_->Journalise(Doc(added->id), "%PDF-hemmelig", actor_);
  ASSERT_TRUE(doc);
  EXPECT_FALSE(journal_->GetDocument(doc->id, outsider));
  EXPECT_FALSE(journal_->ListDocuments(added->id, outsider));
  EXPECT_TRUE(journal_->GetDocument(doc->id, insider));
}

// ---- parties ----

TEST_F(JournalTest, TheSameNumberIsTheSamePartyHoweverItIsWritten) {
  auto a = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCprWritten, actor_);
  ASSERT_TRUE(a) << a.error().ToString();
  auto b = journal_->AddParty(PartyKind::kPerson, "Jens Peter Hansen", " 010190 1234", actor_);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(b->name, "Jens Hansen");
  auto other = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", "0101901235", actor_);
  ASSERT_TRUE(other);
  EXPECT_NE(other->id, a->id);
  EXPECT_EQ(Count("SELECT count(*) FROM parties"), 2);
}

TEST_F(JournalTest, APartyIsFoundByNumberAndShownMasked) {
  auto added = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCpr, actor_);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->masked_number, "010190-XXXX");
  ASSERT_TRUE(added->number_ref);
  EXPECT_EQ(added->number_ref->size(), 16u);
  auto found = journal_->FindPartyByNumber(kCprWritten);
  ASSERT_TRUE(found) << found.error().ToString();
  EXPECT_EQ(found->id, added->id);
  EXPECT_EQ(found->masked_number, "010190-XXXX");
  auto company = journal_->AddParty(PartyKind::kCompany, "Tømrer ApS", "13748136", actor_);
  ASSERT_TRUE(company);
  EXPECT_EQ(company->masked_number, "13748136");
  EXPECT_EQ(journal_->FindPartyByNumber("13 74 81 36")->id, company->id);
  auto missing = journal_->FindPartyByNumber("0202901234");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message(), ::testing::Not(HasSubstr("0202")));
  auto no_number = journal_->AddParty(PartyKind::kPerson, "Ukendt afsender", std::nullopt, actor_);
  ASSERT_TRUE(no_number);
  EXPECT_FALSE(no_number->masked_number);
}

TEST_F(JournalTest, MalformedNumbersAreRefusedWithoutQuotingThem) {
  for (const char* bad : {"010190-123", "0101901234567", "13748136x"}) {
    auto r = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", bad, actor_);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), ::testing::Not(HasSubstr("0101")));
    EXPECT_THAT(r.error().message(), ::testing::Not(HasSubstr("1374")));
  }
  auto cvr_as_person = journal_->AddParty(PartyKind::kPerson, "X", "13748136", actor_);
  EXPECT_FALSE(cvr_as_person);
  auto find = journal_->FindPartyByNumber("12345");
  ASSERT_FALSE(find);
  EXPECT_EQ(find.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(JournalTest, ThePlainNumberAppearsNowhereInTheDatabaseNorTheAuditLog) {
  const CaseRecord c = AddCase("27.24.00-G01-5-19");
  auto p = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCprWritten, actor_);
  ASSERT_TRUE(p);
  ASSERT_TRUE(journal_->LinkParty(c.id, p->id, "part", actor_));
  ASSERT_TRUE(journal_->FindPartyByNumber(kCpr));
  ASSERT_TRUE(journal_->PartiesOf(c.id, everyone_));
  ASSERT_TRUE(journal_->RevealPartyNumber(p->id, "partshøring, sagsbehandler bad om det",
                                          actor_));
  const std::string bytes = DatabaseBytes();
  ASSERT_FALSE(bytes.empty());
  for (const std::string& form :
       {std::string(kCpr), std::string(kCprWritten), std::string("010190")}) {
    EXPECT_EQ(bytes.find(form), std::string::npos) << form;
  }
  // Nor in the audit entries' text, nor in the anchor.
  auto history = journal_->History("party", std::to_string(p->id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);  // party.add, party.reveal
  for (const HistoryEntry& e : *history) {
    EXPECT_EQ(e.after.value_or("").find("010190"), std::string::npos) << *e.after;
  }
  EXPECT_EQ(testing::ReadFile(Options().anchor_file).find("010190"), std::string::npos);
}

TEST_F(JournalTest, RevealingANumberNeedsAReasonAndIsAudited) {
  auto p = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCpr, actor_);
  ASSERT_TRUE(p);
  auto no_reason = journal_->RevealPartyNumber(p->id, " ", actor_);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code(), ErrorCode::kInvalidArgument);
  auto revealed = journal_->RevealPartyNumber(p->id, "opslag i CPR-registret", Actor{"carl"});
  ASSERT_TRUE(revealed);
  EXPECT_EQ(*revealed, kCpr);
  auto history = journal_->History("party", std::to_string(p->id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->back().action, "party.reveal");
  EXPECT_EQ(history->back().actor, "carl");
  EXPECT_THAT(*history->back().after, HasSubstr("opslag i CPR-registret"));
  auto none = journal_->AddParty(PartyKind::kPerson, "Uden nummer", std::nullopt, actor_);
  ASSERT_TRUE(none);
  auto nothing = journal_->RevealPartyNumber(none->id, "test", actor_);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code(), ErrorCode::kNotFound);
}

TEST_F(JournalTest, PartiesAreLinkedInRolesAndTheirOpenCasesFound) {
  const CaseRecord open1 = AddCase("01.01.01-G01-1-24");
  const CaseRecord open2 = AddCase("01.01.01-G01-2-24");
  const CaseRecord closed = AddCase("01.01.01-G01-3-24", CaseStatus::kClosed);
  auto p = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCpr, actor_);
  ASSERT_TRUE(p);
  for (int64_t id : {open1.id, open2.id, closed.id}) {
    ASSERT_TRUE(journal_->LinkParty(id, p->id, "part", actor_));
  }
  ASSERT_TRUE(journal_->LinkParty(open1.id, p->id, "klager", actor_));
  ASSERT_TRUE(journal_->LinkParty(open1.id, p->id, "klager", actor_));  // again: no change
  auto parties = journal_->PartiesOf(open1.id, everyone_);
  ASSERT_TRUE(parties);
  ASSERT_EQ(parties->size(), 2u);
  EXPECT_EQ((*parties)[0].role, "part");
  EXPECT_EQ((*parties)[1].role, "klager");
  EXPECT_EQ((*parties)[0].party.masked_number, "010190-XXXX");
  auto open = journal_->OpenCasesOfParty(p->id, everyone_);
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].id, open1.id);
  EXPECT_EQ((*open)[1].id, open2.id);
  auto history = journal_->History("case", std::to_string(open1.id));
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 3u);  // case.add, party.link part, party.link klager
  EXPECT_FALSE(journal_->LinkParty(9999, p->id, "part", actor_));
  EXPECT_FALSE(journal_->LinkParty(open1.id, 9999, "part", actor_));
}

TEST_F(JournalTest, AMissingKeyFileIsNotReplacedWhileNumbersAreSealed) {
  ASSERT_TRUE(journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCpr, actor_));
  journal_.reset();
  fs::rename(Options().key_file, Options().key_file + ".gone");
  journal_ = Open();
  auto r = journal_->FindPartyByNumber(kCpr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(r.error().message(), HasSubstr("mangler"));
  EXPECT_FALSE(fs::exists(Options().key_file));
  // A different key is noticed as well.
  journal_.reset();
  {
    std::ofstream key(Options().key_file, std::ios::binary);
    key << std::string(32, 'k');
  }
  fs::permissions(Options().key_file, fs::perms::owner_read | fs::perms::owner_write);
  journal_ = Open();
  auto wrong = journal_->FindPartyByNumber(kCpr);
  ASSERT_FALSE(wrong);
  EXPECT_THAT(wrong.error().message(), HasSubstr("passer ikke"));
  // The right key back: it works again.
  journal_.reset();
  fs::rename(Options().key_file + ".gone", Options().key_file);
  journal_ = Open();
  EXPECT_TRUE(journal_->FindPartyByNumber(kCpr));
}

// ---- batches ----

TEST_F(JournalTest, ABatchsReceivedDateIsImmutable) {
  IntakeBatch b{"20261126-080000-ab12", "Morgenpost", "post", "anna", "2026-11-25", ""};
  auto recorded = journal_->RecordBatch(b, actor_);
  ASSERT_TRUE(recorded) << recorded.error().ToString();
  EXPECT_FALSE(recorded->created.empty());
  EXPECT_TRUE(journal_->RecordBatch(b, actor_));  // the same again: fine
  b.received_date = "2026-11-26";
  auto changed = journal_->RecordBatch(b, actor_);
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(changed.error().message(), HasSubstr("2026-11-25"));
  EXPECT_EQ(journal_->GetBatch(b.id)->received_date, "2026-11-25");
  EXPECT_EQ(journal_->History("batch", b.id)->size(), 1u);
}

TEST_F(JournalTest, ABatchNeedsARealDateAndItsFields) {
  for (const char* date : {"2026-02-30", "25-11-2026", "2026-13-01", ""}) {
    auto r = journal_->RecordBatch({"b1", "", "post", "anna", date, ""}, actor_);
    ASSERT_FALSE(r) << date;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(), HasSubstr("modtagelsesdatoen"));
  }
  EXPECT_FALSE(journal_->RecordBatch({"b1", "", "", "anna", "2026-11-25", ""}, actor_));
  EXPECT_FALSE(journal_->RecordBatch({"b1", "", "post", "", "2026-11-25", ""}, actor_));
  EXPECT_TRUE(journal_->RecordBatch({"b1", "", "post", "anna", "2024-02-29", ""}, actor_));
  auto unknown = journal_->GetBatch("nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
}

// ---- journalising ----

TEST_F(JournalTest, RunningNumbersCountPerCase) {
  const CaseRecord a = AddCase("01.01.01-G01-1-24");
  const CaseRecord b = AddCase("01.01.01-G01-2-24");
  std::vector<int64_t> numbers_a, numbers_b;
  for (int i = 0; i < 3; ++i) {
    auto da = journal_->Journalise(Doc(a.id), "%PDF-a" + std::to_string(i), actor_);
    ASSERT_TRUE(da) << da.error().ToString();
    numbers_a.push_back(da->doc_number);
    if (i < 2) {
      auto db = journal_->Journalise(Doc(b.id), "%PDF-b" + std::to_string(i), actor_);
      ASSERT_TRUE(db);
      numbers_b.push_back(db->doc_number);
    }
  }
  EXPECT_EQ(numbers_a, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(numbers_b, (std::vector<int64_t>{1, 2}));
  auto listed = journal_->ListDocuments(a.id, everyone_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ(listed->back().doc_number, 3);
}

TEST_F(JournalTest, AJournalisedDocumentIsCompleteWithItsFileInTheStore) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  const std::string pdf = "%PDF-1.7\n" + std::string(5000, 'x');
  auto doc = journal_->Journalise(Doc(c.id), pdf, actor_);
  ASSERT_TRUE(doc) << doc.error().ToString();
  EXPECT_EQ(doc->pdf_sha256, Sha256Hex(pdf));
  EXPECT_EQ(doc->state, "journalised");
  EXPECT_EQ(doc->page_count, 2);
  EXPECT_FALSE(doc->existing);
  const std::string path = journal_->PdfPath(doc->pdf_sha256);
  EXPECT_EQ(testing::ReadFile(path), pdf);
  auto read = journal_->GetDocument(doc->id, everyone_);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, "Ansøgning om byggetilladelse");
  EXPECT_EQ(read->received_date, "2026-11-25");
  ASSERT_EQ(read->pages.size(), 2u);
  EXPECT_EQ(read->pages[0].analysis_json, R"({"words":12})");
  EXPECT_EQ(read->pages[0].confidence, 91.0);
  EXPECT_EQ(read->pages[1].blank, true);
  EXPECT_EQ(read->pages[1].orientation, 90);
  EXPECT_FALSE(read->pages[1].confidence);
  EXPECT_EQ(read->ocr_text, "Kære kommune, jeg søger om tilladelse til en carport.");
  EXPECT_EQ(Count("SELECT count(*) FROM files"), 1);
  // The audit entry names the file and the text by their hashes.
  auto history = journal_->History("document", std::to_string(doc->id));
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  const auto after = nlohmann::json::parse(*history->front().after);
  EXPECT_EQ(after["pdf_sha256"], doc->pdf_sha256);
  EXPECT_EQ(after["ocr_text_sha256"], Sha256Hex(read->ocr_text));
  EXPECT_EQ(after["doc_number"], 1);
  // Searchable at once by its text and its title, the index in step with the rows, and the
  // long words in the vocabulary (schema version 3's triggers).
  EXPECT_EQ(Count("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'carport'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH "
                  "'byggetilladelse'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM search_terms WHERE term IN ('carport', 'tilladelse', "
                  "'byggetilladelse')"),
            3);
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
}

TEST_F(JournalTest, TheSameIdempotencyKeyReturnsTheFirstDocumentAndWritesNothing) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  NewDocument d = Doc(c.id);
  d.idempotency_key = "batch-1:1-2";
  auto first = journal_->Journalise(d, "%PDF-first", actor_);
  ASSERT_TRUE(first);
  const int64_t audit_before = Count("SELECT count(*) FROM audit_log");
  d.title = "Et andet forsøg med samme sider";
  auto second = journal_->Journalise(d, "%PDF-second", actor_);
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_TRUE(second->existing);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->title, first->title);
  EXPECT_EQ(second->pages.size(), 2u);
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit_before);
  EXPECT_FALSE(fs::exists(journal_->PdfPath(Sha256Hex("%PDF-second"))));
}

TEST_F(JournalTest, ClosedAndDormantCasesAreRefusedInDanish) {
  for (CaseStatus status : {CaseStatus::kClosed, CaseStatus::kDormant}) {
    const CaseRecord c = AddCase(status == CaseStatus::kClosed ? "01.01.01-G01-8-24"
                                                               : "01.01.01-G01-9-24",
                                 status);
    auto r = journal_->Journalise(Doc(c.id), "%PDF-x", actor_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
    EXPECT_THAT(r.error().message(), HasSubstr(std::string(CaseStatusDanish(status))));
    EXPECT_THAT(r.error().message(), HasSubstr("kan ikke journaliseres"));
  }
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 0);
  // Nothing was written to the store either.
  EXPECT_FALSE(fs::exists(journal_->PdfPath(Sha256Hex("%PDF-x"))));
}

TEST_F(JournalTest, AnIncomingDocumentTakesItsBatchsReceivedDate) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  ASSERT_TRUE(journal_->RecordBatch({"b1", "", "post", "anna", "2026-11-20", ""}, actor_));
  NewDocument d = Doc(c.id);
  d.received_date.reset();
  d.batch_id = "b1";
  auto doc = journal_->Journalise(d, "%PDF-1", actor_);
  ASSERT_TRUE(doc) << doc.error().ToString();
  EXPECT_EQ(doc->received_date, "2026-11-20");
  d.received_date = "2026-11-21";
  auto mismatch = journal_->Journalise(d, "%PDF-2", actor_);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code(), ErrorCode::kFailedPrecondition);
  d.received_date.reset();
  d.batch_id = "nope";
  auto unknown_batch = journal_->Journalise(d, "%PDF-3", actor_);
  ASSERT_FALSE(unknown_batch);
  EXPECT_EQ(unknown_batch.error().code(), ErrorCode::kNotFound);
  d.batch_id.reset();
  auto no_date = journal_->Journalise(d, "%PDF-4", actor_);
  ASSERT_FALSE(no_date);
  EXPECT_THAT(no_date.error().message(), HasSubstr("modtagelsesdato"));
  d.direction = Direction::kOut;  // outgoing post needs none
  EXPECT_TRUE(journal_->Journalise(d, "%PDF-5", actor_));
}

TEST_F(JournalTest, BadDocumentInputIsRefusedNamingTheField) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  auto unknown = journal_->Journalise(Doc(9999), "%PDF", actor_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  NewDocument d = Doc(c.id);
  d.title = " ";
  EXPECT_THAT(journal_->Journalise(d, "%PDF", actor_).error().message(), HasSubstr("titel"));
  d = Doc(c.id);
  d.letter_date = "2026-11-31";
  EXPECT_THAT(journal_->Journalise(d, "%PDF", actor_).error().message(), HasSubstr("brevdatoen"));
  d = Doc(c.id);
  d.pages[1].page_no = 5;
  EXPECT_THAT(journal_->Journalise(d, "%PDF", actor_).error().message(), HasSubstr("side 2"));
  d = Doc(c.id);
  d.pages[0].analysis_json = "{not json";
  EXPECT_THAT(journal_->Journalise(d, "%PDF", actor_).error().message(), HasSubstr("JSON"));
  d = Doc(c.id);
  d.ocr_text = "bad \xff bytes";
  EXPECT_THAT(journal_->Journalise(d, "%PDF", actor_).error().message(), HasSubstr("UTF-8"));
  EXPECT_THAT(journal_->Journalise(Doc(c.id), "", actor_).error().message(), HasSubstr("tom"));
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 0);
  auto no_doc = journal_->GetDocument(4711, everyone_);
  ASSERT_FALSE(no_doc);
  EXPECT_EQ(no_doc.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(no_doc.error().message(), HasSubstr("4711"));
}

TEST_F(JournalTest, JournaliseFileStreamsAFinishedPdf) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  const std::string path = dir_.Sub("out.pdf");
  const std::string pdf = "%PDF-1.7\n" + std::string(200000, 'y');
  testing::WriteFile(path, pdf);
  auto doc = journal_->JournaliseFile(Doc(c.id), path, actor_);
  ASSERT_TRUE(doc) << doc.error().ToString();
  EXPECT_EQ(doc->pdf_sha256, Sha256Hex(pdf));
  EXPECT_EQ(Count("SELECT size FROM files"), static_cast<int64_t>(pdf.size()));
  auto missing = journal_->JournaliseFile(Doc(c.id), dir_.Sub("missing.pdf"), actor_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST_F(JournalTest, TwoConnectionsJournalisingAtOnceGetDistinctNumbers) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  constexpr int kPerWriter = 25;
  std::vector<int64_t> numbers[2];
  std::string errors[2];
  auto writer = [&](int w) {
    auto j = OpenSqliteJournal(Options());
    if (!j) {
      errors[w] = j.error().ToString();
      return;
    }
    for (int i = 0; i < kPerWriter; ++i) {
      auto d = (*j)->Journalise(Doc(c.id), "%PDF-" + std::to_string(w) + "-" + std::to_string(i),
                                Actor{"writer" + std::to_string(w)});
      if (!d) {
        errors[w] = d.error().ToString();
        return;
      }
      numbers[w].push_back(d->doc_number);
    }
  };
  std::thread t0(writer, 0), t1(writer, 1);
  t0.join();
  t1.join();
  ASSERT_EQ(errors[0], "");
  ASSERT_EQ(errors[1], "");
  std::set<int64_t> all(numbers[0].begin(), numbers[0].end());
  all.insert(numbers[1].begin(), numbers[1].end());
  EXPECT_EQ(all.size(), 2u * kPerWriter);
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 2 * kPerWriter);
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
}

// ---- audit, integrity, orphans, damage ----

TEST_F(JournalTest, EveryChangeIsInAnIntactAuditChain) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  auto p = journal_->AddParty(PartyKind::kPerson, "Jens Hansen", kCpr, actor_);
  ASSERT_TRUE(p);
  ASSERT_TRUE(journal_->LinkParty(c.id, p->id, "part", actor_));
  ASSERT_TRUE(journal_->RecordBatch({"b1", "", "post", "anna", "2026-11-20", ""}, actor_));
  ASSERT_TRUE(journal_->Journalise(Doc(c.id), "%PDF-1", actor_));
  ASSERT_TRUE(journal_->UpdateCaseStatus(c.id, CaseStatus::kDormant, actor_));
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
  EXPECT_EQ(audit->entries, 6);
}

TEST_F(JournalTest, TheAnchorFollowsTheNewestCommitByCloseSoDeletedNewestEntriesAreFound) {
  // The anchor is written off the commit path (anchor_delay_ms); a long delay shows that
  // closing the journal writes what is pending.
  JournalOptions options = Options();
  options.anchor_delay_ms = 60000;
  journal_.reset();
  journal_ = Open(&options);
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(journal_->Journalise(Doc(c.id), "%PDF-" + std::to_string(i), actor_));
  }
  const int64_t entries = Count("SELECT count(*) FROM audit_log");
  // Verifying in the same process anchors this process's commits first.
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
  EXPECT_EQ(testing::ReadFile(options.anchor_file).substr(0, std::to_string(entries).size() + 1),
            std::to_string(entries) + " ");
  ASSERT_TRUE(journal_->Journalise(Doc(c.id), "%PDF-last", actor_));
  journal_.reset();
  {
    auto raw = Database::Open(options.database_path);
    ASSERT_TRUE(raw);
    ASSERT_TRUE(
        (*raw)->Execute("DROP TRIGGER audit_log_no_delete;"
                        "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"));
  }
  journal_ = Open(&options);
  audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_FALSE(audit->ok);
  EXPECT_THAT(audit->problems, ::testing::Contains(HasSubstr("de nyeste poster mangler")));
}

TEST_F(JournalTest, TamperingBehindTheJournalsBackIsDetected) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(journal_->Journalise(Doc(c.id), "%PDF-" + std::to_string(i), actor_));
  }
  {
    auto raw = Database::Open(Options().database_path);
    ASSERT_TRUE(raw);
    ASSERT_TRUE((*raw)->Execute("DROP TRIGGER audit_log_no_update;"
                                "UPDATE audit_log SET actor = 'mallory' WHERE id = 2"));
  }
  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit);
  EXPECT_FALSE(audit->ok);
  EXPECT_THAT(audit->problems, ::testing::Contains(HasSubstr("post 2 er ændret")));
}

TEST_F(JournalTest, AHealthyJournalPassesTheIntegrityCheck) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(journal_->Journalise(Doc(c.id), "%PDF-" + std::to_string(i), actor_));
  }
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_TRUE(report->orphans.empty());
  EXPECT_EQ(report->documents_checked, 3);
  EXPECT_EQ(report->files_checked, 3);
}

TEST_F(JournalTest, TheIntegrityCheckReportsASearchIndexOutOfStepWithTheDocuments) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  auto d = journal_->Journalise(Doc(c.id), "%PDF-1", actor_);
  ASSERT_TRUE(d);
  {
    // A text changed behind the triggers' back: the index still holds the old words (the
    // pair index follows the change, so only documents_fts is out of step).
    auto raw = Database::Open(Options().database_path);
    ASSERT_TRUE(raw);
    ASSERT_TRUE(RegisterSearchFunctions(**raw));
    ASSERT_TRUE(
        (*raw)->Execute("DROP TRIGGER document_text_fts_au; DROP TRIGGER document_text_terms_au; "
                        "UPDATE document_text SET ocr_text = 'noget helt andet'"));
  }
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_FALSE(report->ok());
  EXPECT_THAT(::testing::PrintToString(report->problems),
              HasSubstr("søgeindekset documents_fts passer ikke med dokumenterne"));
  EXPECT_THAT(::testing::PrintToString(report->problems),
              ::testing::Not(HasSubstr("søgeindekset search_pairs")));
}

TEST_F(JournalTest, TheIntegrityCheckReportsMissingAndAlteredFilesAndNumberGaps) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  std::vector<DocumentRecord> docs;
  for (int i = 0; i < 3; ++i) {
    auto d = journal_->Journalise(Doc(c.id), "%PDF-" + std::to_string(i), actor_);
    ASSERT_TRUE(d);
    docs.push_back(*d);
  }
  const std::string altered = journal_->PdfPath(docs[0].pdf_sha256);
  fs::permissions(altered, fs::perms::owner_write, fs::perm_options::add);
  testing::WriteFile(altered, "changed");
  fs::remove(journal_->PdfPath(docs[1].pdf_sha256));
  {
    auto raw = Database::Open(Options().database_path);
    ASSERT_TRUE(raw);
    ASSERT_TRUE(RegisterSearchFunctions(**raw));
    ASSERT_TRUE((*raw)->Execute("PRAGMA foreign_keys=OFF; DELETE FROM pages WHERE document_id = " +
                                std::to_string(docs[2].id) + "; DELETE FROM document_text; "
                                "UPDATE documents SET doc_number = 7 "
                                "WHERE id = " + std::to_string(docs[2].id)));
  }
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok());
  const std::string all = ::testing::PrintToString(report->problems);
  EXPECT_THAT(all, HasSubstr("dokument " + std::to_string(docs[0].id)));
  EXPECT_THAT(all, HasSubstr("beskadiget"));
  EXPECT_THAT(all, HasSubstr("mangler i dokumentlageret"));
  EXPECT_THAT(all, HasSubstr("sidetallet"));
  EXPECT_THAT(all, HasSubstr("OCR-teksten mangler"));
  EXPECT_THAT(all, HasSubstr("huller"));
}

TEST_F(JournalTest, OrphanFilesAreSweptAtTheNextOpenAndReported) {
  journal_.reset();
  // What a crash between the file write and the commit leaves: a stored file no row
  // names, and a temporary file of a write that was cut off.
  const std::string data = "%PDF-orphan";
  const std::string sha = Sha256Hex(data);
  const std::string orphan = Options().file_store_dir + "/" + sha.substr(0, 2) + "/" +
                             sha.substr(2, 2) + "/" + sha + ".pdf";
  testing::WriteFile(orphan, data);
  testing::WriteFile(Options().file_store_dir + "/tmp/put-Xy12ab", "half a pdf");
  journal_ = Open();
  const SweepReport& sweep = journal_->SweepAtOpen();
  EXPECT_FALSE(sweep.skipped);
  ASSERT_EQ(sweep.moved.size(), 2u) << ::testing::PrintToString(sweep.moved);
  const std::string moved = ::testing::PrintToString(sweep.moved);
  EXPECT_THAT(moved, HasSubstr("orphans/" + sha + ".pdf"));
  EXPECT_THAT(moved, HasSubstr("orphans/put-Xy12ab"));
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_TRUE(fs::exists(Options().file_store_dir + "/orphans/" + sha + ".pdf"));
  auto report = journal_->IntegrityCheck();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
  EXPECT_TRUE(report->orphans.empty());
}

TEST_F(JournalTest, TheSweepWaitsWhileAnotherJournalHasTheStoreOpen) {
  const std::string tmp = Options().file_store_dir + "/tmp/put-busy01";
  testing::WriteFile(tmp, "being written by someone");
  auto second = Open();
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->SweepAtOpen().skipped);
  EXPECT_TRUE(fs::exists(tmp));
  auto check = second->IntegrityCheck();
  ASSERT_TRUE(check);
  EXPECT_THAT(check->orphans, ::testing::Contains("tmp/put-busy01"));
  second.reset();
  auto sweep = journal_->SweepOrphans();
  ASSERT_TRUE(sweep);
  EXPECT_FALSE(sweep->skipped);
  EXPECT_EQ(sweep->moved.size(), 1u);
}

TEST_F(JournalTest, ADamagedDatabaseFileIsReportedClearlyAtOpen) {
  const CaseRecord c = AddCase("01.01.01-G01-1-24");
  ASSERT_TRUE(journal_->Journalise(Doc(c.id), "%PDF-1", actor_));
  journal_.reset();
  {
    // Checkpoint the WAL into the file, then overwrite the header.
    auto db = Database::Open(Options().database_path);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE"));
  }
  {
    std::fstream f(Options().database_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f << std::string(100, '\x5a');
  }
  auto r = OpenSqliteJournal(Options());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_THAT(r.error().message(), HasSubstr(Options().database_path));
  EXPECT_THAT(r.error().message(), HasSubstr("beskadiget"));
  EXPECT_THAT(r.error().message(), HasSubstr("sikkerhedskopien"));
}

TEST_F(JournalTest, ADatabaseFromANewerStationIsRefusedAtOpen) {
  journal_.reset();
  {
    auto db = Database::Open(Options().database_path);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Execute("UPDATE meta SET value = '99' WHERE key IN "
                               "('schema_version', 'compatible_version')"));
  }
  auto r = OpenSqliteJournal(Options());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(r.error().message(), HasSubstr("opdatér stationen"));
}

TEST(CaseReference, NormalisationIgnoresCaseSpacingAndDashKinds) {
  EXPECT_EQ(NormaliseCaseReference(" 27.24.00-g01-5-19 "), "27.24.00-G01-5-19");
  EXPECT_EQ(NormaliseCaseReference("ØU  397/2005"), "ØU 397/2005");
  EXPECT_EQ(NormaliseCaseReference("øu 397/2005"), "ØU 397/2005");
  EXPECT_EQ(NormaliseCaseReference("2024\u20130123456"), "2024-0123456");
  EXPECT_EQ(NormaliseCaseReference("15/34881\u00a0"), "15/34881");
}

TEST(IsoDate, AcceptsRealDatesOnly) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_TRUE(IsIsoDate("2026-12-31"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2026-04-31"));
  EXPECT_FALSE(IsIsoDate("2026-00-10"));
  EXPECT_FALSE(IsIsoDate("26-11-2026"));
  EXPECT_FALSE(IsIsoDate("2026-1-1"));
  EXPECT_FALSE(IsIsoDate("2026-11-2x"));
}

}  // namespace
}  // namespace intake::storage
