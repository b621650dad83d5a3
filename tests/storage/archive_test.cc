// The archive registry of paper originals (storage/archive.h, issue #8) on the SQLite
// journal: locations, dispositions, placing, moving, lending, transfer and destruction,
// derived state after every step, history across restarts, and bad input refused without
// any change.
#include "storage/archive.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "base/danish_ids.h"
#include "storage/database.h"
#include "storage/journal.h"
#include "storage/schema.h"
#include "storage/search.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using State = Whereabouts::State;

std::string DaysFromToday(int days) {
  const auto day = std::chrono::sys_days(LocalToday()) + std::chrono::days(days);
  const std::chrono::year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = Open();
    ASSERT_NE(journal_, nullptr);
    NewCase c;
    c.system = "SBSYS";
    c.reference = "27.24.00-G01-5-26";
    c.title = "Byggesag om carport på Hegnsvej 4";
    auto r = journal_->AddCase(c, actor_);
    ASSERT_TRUE(r) << r.error().ToString();
    case_ = *r;
  }

  JournalOptions Options() const {
    JournalOptions o;
    o.database_path = dir_.Sub("data/journal.sqlite3");
    o.file_store_dir = dir_.Sub("data/files");
    o.key_file = dir_.Sub("data/keys/party.key");
    o.anchor_file = dir_.Sub("data/audit.anchor");
    o.destruction.document_types = {"Kopi", "brev"};
    return o;
  }

  std::unique_ptr<Journal> Open() {
    auto j = OpenSqliteJournal(Options());
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  Archive& archive() { return journal_->archive(); }

  Result<DocumentRecord> TryJournalise(const std::string& title,
                                       std::optional<OriginalDisposition> original,
                                       std::optional<std::string> doc_type = "brev",
                                       std::optional<int64_t> case_id = std::nullopt) {
    NewDocument d;
    d.case_id = case_id.value_or(case_.id);
    d.title = title;
    d.doc_type = doc_type;
    d.received_date = "2026-11-25";
    d.pages = {DocumentPage{1, 1, false, 0, 0, 90.0, ""}};
    d.ocr_text = "Kære kommune. " + title;
    d.original = std::move(original);
    return journal_->Journalise(d, "%PDF-" + title, actor_);
  }

  int64_t Journalise(const std::string& title,
                     std::optional<OriginalDisposition> original = OriginalDisposition{},
                     std::optional<std::string> doc_type = "brev") {
    auto d = TryJournalise(title, std::move(original), std::move(doc_type));
    EXPECT_TRUE(d) << d.error().ToString();
    return d ? d->id : 0;
  }

  LocationRecord Add(LocationKind kind, const std::string& name, const std::string& barcode,
                     std::optional<std::string> parent = std::nullopt) {
    NewLocation n;
    n.kind = kind;
    n.name = name;
    n.barcode = barcode;
    n.parent_barcode = std::move(parent);
    auto l = archive().AddLocation(n, actor_);
    EXPECT_TRUE(l) << l.error().ToString();
    return l ? *l : LocationRecord{};
  }

  // The usual tree: Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 and Hylde 4, a box on
  // Hylde 3 and the city archive.
  void BuildTree() {
    Add(LocationKind::kSite, "Rådhuset", "RH");
    Add(LocationKind::kRoom, "Kælderarkiv", "RH-K", "RH");
    Add(LocationKind::kUnit, "Reol 12", "RH-K-R12", "RH-K");
    Add(LocationKind::kShelf, "Hylde 3", "RH-K-R12-H3", "RH-K-R12");
    Add(LocationKind::kShelf, "Hylde 4", "RH-K-R12-H4", "RH-K-R12");
    Add(LocationKind::kBox, "", "K-2026-0345", "RH-K-R12-H3");
    Add(LocationKind::kCityArchive, "Københavns Stadsarkiv", "KSA");
  }

  Whereabouts Where(int64_t doc) {
    auto w = archive().Where(doc, everyone_);
    EXPECT_TRUE(w) << w.error().ToString();
    return w ? *w : Whereabouts{};
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
  int64_t Events() { return Count("SELECT count(*) FROM archive_events"); }

  static OriginalDisposition KeepIn(const std::string& box) {
    OriginalDisposition d;
    d.location_barcode = box;
    return d;
  }

  testing::ScopedTempDir dir_;
  std::unique_ptr<Journal> journal_;
  CaseRecord case_;
  Actor actor_{"anna"};
  Viewer everyone_ = Viewer::Everyone("anna");
};

// ---- names and barcodes ----

TEST(ArchiveNamesTest, KindsParseInEnglishAndDanishAndNestOnlyDownwards) {
  EXPECT_EQ(ParseLocationKind("Reol"), LocationKind::kUnit);
  EXPECT_EQ(ParseLocationKind("shelf"), LocationKind::kShelf);
  EXPECT_EQ(ParseLocationKind("stadsarkiv"), LocationKind::kCityArchive);
  EXPECT_EQ(ParseLocationKind("skab"), std::nullopt);
  EXPECT_TRUE(MayContain(LocationKind::kShelf, LocationKind::kBox));
  EXPECT_TRUE(MayContain(LocationKind::kBox, LocationKind::kFolder));
  EXPECT_TRUE(MayContain(LocationKind::kCityArchive, LocationKind::kBox));
  EXPECT_FALSE(MayContain(LocationKind::kBox, LocationKind::kShelf));
  EXPECT_FALSE(MayContain(LocationKind::kBox, LocationKind::kBox));
  EXPECT_FALSE(MayContain(LocationKind::kSite, LocationKind::kOffsite));
  EXPECT_TRUE(MayBeUnplaced(LocationKind::kBox));
  EXPECT_FALSE(MayBeUnplaced(LocationKind::kShelf));
}

TEST(ArchiveNamesTest, BarcodesAreUpperCasedAndMustHoldALetterAndNoCpr) {
  EXPECT_EQ(NormaliseBarcode("  k-2026-0345\n"), "K-2026-0345");
  EXPECT_TRUE(CheckBarcode("K-2026-0345"));
  EXPECT_FALSE(CheckBarcode(""));
  EXPECT_FALSE(CheckBarcode("12345"));
  EXPECT_FALSE(CheckBarcode("K 12"));
  EXPECT_FALSE(CheckBarcode("KÆLDER"));
  EXPECT_FALSE(CheckBarcode(std::string(33, 'A')));
  const Status cpr = CheckBarcode("X-010190-1234");
  ASSERT_FALSE(cpr);
  EXPECT_THAT(cpr.error().message(), Not(HasSubstr("010190")));
}

TEST(ArchiveNamesTest, DispositionsParseFromTheDanishWords) {
  EXPECT_EQ(ParseDisposition("opbevar"), Disposition::kKeep);
  EXPECT_EQ(ParseDisposition("returnér"), Disposition::kReturnToSender);
  EXPECT_EQ(ParseDisposition("destroy"), Disposition::kDestructionApproved);
  EXPECT_EQ(ParseDisposition("afvent"), Disposition::kPending);
  EXPECT_EQ(ParseDisposition("smid ud"), std::nullopt);
}

// ---- the lifecycle ----

TEST_F(ArchiveTest, WhereAnswersCorrectlyAfterEveryStepOfTheLifecycle) {
  BuildTree();
  const int64_t doc = Journalise("Klage over byggetilladelse", KeepIn("k-2026-0345"));

  Whereabouts w = Where(doc);
  EXPECT_EQ(w.state, State::kStored);
  EXPECT_EQ(w.PathText(), "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 › Kasse K-2026-0345");
  EXPECT_EQ(w.Describe(), w.PathText());

  // The box moves with its contents.
  auto moved = archive().Move("K-2026-0345", "RH-K-R12-H4", "hylde 3 fuld", actor_);
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(Where(doc).PathText(),
            "Rådhuset › Kælderarkiv › Reol 12 › Hylde 4 › Kasse K-2026-0345");

  // The original alone is lent and returned.
  auto loan =
      archive().Lend(ArchiveItem::Document(doc),
                     LendRequest{"Jens Hansen, Borgerservice", DaysFromToday(7), {}}, actor_);
  ASSERT_TRUE(loan) << loan.error().ToString();
  w = Where(doc);
  EXPECT_EQ(w.state, State::kOnLoan);
  EXPECT_THAT(w.Describe(),
              HasSubstr("udlånt til Jens Hansen, Borgerservice til " + DaysFromToday(7)));
  EXPECT_THAT(w.Describe(), HasSubstr("hører til i Rådhuset"));
  ASSERT_TRUE(archive().Return(ArchiveItem::Document(doc), std::nullopt, actor_));
  EXPECT_EQ(Where(doc).state, State::kStored);

  // The whole box is lent: its original is on loan with it, and is returned with it.
  ASSERT_TRUE(archive().Lend(ArchiveItem::Location("K-2026-0345"),
                             LendRequest{"Byggesagsafdelingen", DaysFromToday(14), {}}, actor_));
  w = Where(doc);
  EXPECT_EQ(w.state, State::kOnLoan);
  ASSERT_TRUE(w.loan);
  EXPECT_EQ(w.loan->subject, "kasse K-2026-0345");
  auto single = archive().Return(ArchiveItem::Document(doc), std::nullopt, actor_);
  ASSERT_FALSE(single);
  EXPECT_THAT(single.error().message(), HasSubstr("returnér hele kasse K-2026-0345"));
  ASSERT_TRUE(archive().Return(ArchiveItem::Location("K-2026-0345"), std::nullopt, actor_));
  EXPECT_EQ(Where(doc).state, State::kStored);

  // Transfer to the city archive: handed over, frozen.
  auto transferred =
      archive().Transfer(ArchiveItem::Location("K-2026-0345"), "KSA", "Afl. 2026/14", actor_);
  ASSERT_TRUE(transferred) << transferred.error().ToString();
  w = Where(doc);
  EXPECT_EQ(w.state, State::kTransferred);
  EXPECT_THAT(w.Describe(), HasSubstr("afleveret til Københavns Stadsarkiv › Kasse K-2026-0345"));
  const int64_t before = Events();
  EXPECT_EQ(archive().Move("K-2026-0345", "RH-K-R12-H3", std::nullopt, actor_).error().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(archive().Place(doc, "RH-K-R12-H3", std::nullopt, actor_).error().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(archive()
                .Lend(ArchiveItem::Document(doc), LendRequest{"X", DaysFromToday(1), {}}, actor_)
                .error()
                .code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Events(), before);
}

TEST_F(ArchiveTest, HistorySurvivesARestartAndTheAuditChainVerifies) {
  BuildTree();
  const int64_t doc = Journalise("Lægeerklæring", KeepIn("K-2026-0345"));
  ASSERT_TRUE(archive().Move("K-2026-0345", "RH-K-R12-H4", std::nullopt, actor_));
  ASSERT_TRUE(archive().Lend(ArchiveItem::Document(doc),
                             LendRequest{"Jens Hansen", DaysFromToday(3), {}}, actor_));
  journal_.reset();
  journal_ = Open();
  ASSERT_NE(journal_, nullptr);

  auto history = archive().History(ArchiveItem::Document(doc), everyone_);
  ASSERT_TRUE(history) << history.error().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, ArchiveAction::kDisposition);
  EXPECT_THAT((*history)[0].summary, HasSubstr("placeret i kasse K-2026-0345"));
  EXPECT_EQ((*history)[1].action, ArchiveAction::kLend);
  EXPECT_THAT((*history)[1].summary, HasSubstr("udlånt til Jens Hansen"));

  auto box = archive().History(ArchiveItem::Location("K-2026-0345"), everyone_);
  ASSERT_TRUE(box) << box.error().ToString();
  std::vector<ArchiveAction> actions;
  for (const ArchiveEvent& e : *box) actions.push_back(e.action);
  EXPECT_THAT(actions, ElementsAre(ArchiveAction::kCreate, ArchiveAction::kDisposition,
                                   ArchiveAction::kMove));
  EXPECT_EQ(Where(doc).state, State::kOnLoan);

  auto audit = journal_->VerifyAudit();
  ASSERT_TRUE(audit) << audit.error().ToString();
  EXPECT_TRUE(audit->ok) << ::testing::PrintToString(audit->problems);
  auto entries = journal_->History("original", std::to_string(doc));
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].action, "archive.lend");
}

TEST_F(ArchiveTest, EventsCannotBeChangedOrDeleted) {
  BuildTree();
  auto raw = Database::Open(Options().database_path);
  ASSERT_TRUE(raw);
  EXPECT_FALSE((*raw)->Execute("UPDATE archive_events SET target_id = NULL"));
  EXPECT_FALSE((*raw)->Execute("DELETE FROM archive_events"));
  EXPECT_FALSE((*raw)->Execute("UPDATE archive_locations SET name = 'x'"));
  EXPECT_FALSE((*raw)->Execute("DELETE FROM archive_locations"));
  EXPECT_EQ(Count("SELECT count(*) FROM archive_locations"), 7);
}

TEST_F(ArchiveTest, OverdueLoansAreThoseDueBeforeTheDateAndNotReturned) {
  BuildTree();
  const int64_t a = Journalise("Brev A", KeepIn("K-2026-0345"));
  const int64_t b = Journalise("Brev B", KeepIn("K-2026-0345"));
  const int64_t c = Journalise("Brev C", KeepIn("K-2026-0345"));
  ASSERT_TRUE(
      archive().Lend(ArchiveItem::Document(a), LendRequest{"Anne", DaysFromToday(2), {}}, actor_));
  ASSERT_TRUE(
      archive().Lend(ArchiveItem::Document(b), LendRequest{"Bo", DaysFromToday(20), {}}, actor_));
  ASSERT_TRUE(
      archive().Lend(ArchiveItem::Document(c), LendRequest{"Cai", DaysFromToday(0), {}}, actor_));
  ASSERT_TRUE(archive().Return(ArchiveItem::Document(c), std::nullopt, actor_));

  auto all = archive().Loans(std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].borrower, "Anne");  // due first

  auto overdue = archive().Loans(DaysFromToday(10));
  ASSERT_TRUE(overdue);
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].document_id, a);
  auto none = archive().Loans(DaysFromToday(1));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(archive().Loans("1. december").error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ArchiveTest, DestructionIsRefusedWithoutApprovalOrForATypeThePolicyDoesNotAllow) {
  BuildTree();
  // At journalising: no approval, then a type not allowed; nothing is journalised.
  OriginalDisposition destroy;
  destroy.disposition = Disposition::kDestructionApproved;
  auto refused = TryJournalise("Kopi af skøde", destroy, "kopi");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message(), HasSubstr("kræver en godkendelse"));
  destroy.approval_ref = "AR-2026-17";
  destroy.approval_date = "2026-11-02";
  auto wrong_type = TryJournalise("Skøde", destroy, "skøde");
  ASSERT_FALSE(wrong_type);
  EXPECT_THAT(wrong_type.error().message(), HasSubstr("arkivreglerne ikke tillader"));
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 0);

  // Kept first; destroying needs the approved disposition; then destroyed for good.
  const int64_t doc = Journalise("Kopi af skøde", KeepIn("K-2026-0345"), "Kopi");
  auto early = archive().Destroy(doc, "makulering", std::nullopt, actor_);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(early.error().message(), HasSubstr("ingen godkendt destruktion"));
  EXPECT_EQ(Where(doc).state, State::kStored);

  auto approved = archive().SetDisposition(doc, destroy, actor_);
  ASSERT_TRUE(approved) << approved.error().ToString();
  EXPECT_EQ(approved->state, State::kStored);
  EXPECT_THAT(approved->Describe(), HasSubstr("destruktion godkendt, AR-2026-17"));
  auto destroyed = archive().Destroy(doc, "makulering", std::nullopt, actor_);
  ASSERT_TRUE(destroyed) << destroyed.error().ToString();
  EXPECT_EQ(destroyed->state, State::kDestroyed);
  EXPECT_THAT(destroyed->Describe(), HasSubstr("(godkendelse AR-2026-17)"));
  auto contents = archive().Contents("K-2026-0345", everyone_);
  ASSERT_TRUE(contents);
  EXPECT_TRUE(contents->empty());
}

TEST_F(ArchiveTest, ReturnToSenderLeavesTheArchiveAndPendingWaitsForAPlace) {
  BuildTree();
  OriginalDisposition returned;
  returned.disposition = Disposition::kReturnToSender;
  const int64_t a = Journalise("Pas", returned);
  EXPECT_EQ(Where(a).state, State::kReturnedToSender);
  EXPECT_THAT(Where(a).Describe(), HasSubstr("returneret til afsender"));
  auto place = archive().Place(a, "K-2026-0345", std::nullopt, actor_);
  ASSERT_FALSE(place);
  EXPECT_THAT(place.error().message(), HasSubstr("dispose " + std::to_string(a)));

  const int64_t b = Journalise("Tegning af carport", OriginalDisposition{});
  const int64_t c = Journalise("Mail fra borger", std::nullopt);
  EXPECT_EQ(Where(b).state, State::kAwaitingPlacement);
  EXPECT_EQ(Where(c).state, State::kNoOriginal);
  auto unplaced = archive().Unplaced(everyone_);
  ASSERT_TRUE(unplaced);
  ASSERT_EQ(unplaced->size(), 1u);
  EXPECT_EQ((*unplaced)[0].document_id, b);
  ASSERT_TRUE(archive().Place(b, "K-2026-0345", std::nullopt, actor_));
  unplaced = archive().Unplaced(everyone_);
  ASSERT_TRUE(unplaced);
  EXPECT_TRUE(unplaced->empty());
  // Placing an original with no disposition makes it one to keep.
  auto placed = archive().Place(c, "K-2026-0345", std::nullopt, actor_);
  ASSERT_TRUE(placed) << placed.error().ToString();
  EXPECT_EQ(placed->disposition, Disposition::kKeep);
}

TEST_F(ArchiveTest, ContentsIncludeFoldersAndHideRestrictedCases) {
  BuildTree();
  Add(LocationKind::kFolder, "Mappe A", "K-2026-0345-A", "K-2026-0345");
  NewCase secret;
  secret.system = "SBSYS";
  secret.reference = "29.09.00-G01-1-26";
  secret.title = "Børnesag";
  secret.restricted = true;
  secret.access_group = "born";
  auto s = journal_->AddCase(secret, actor_);
  ASSERT_TRUE(s);
  const int64_t open = Journalise("Ansøgning om carport", KeepIn("K-2026-0345"));
  const int64_t in_folder = Journalise("Tegning", KeepIn("K-2026-0345-A"));
  auto hidden = TryJournalise("Underretning", KeepIn("K-2026-0345"), "brev", s->id);
  ASSERT_TRUE(hidden) << hidden.error().ToString();

  auto all = archive().Contents("K-2026-0345", everyone_);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  const Viewer caseworker{"bo", {"byg"}, false};
  auto visible = archive().Contents("K-2026-0345", caseworker);
  ASSERT_TRUE(visible);
  std::vector<int64_t> ids;
  for (const StoredOriginal& o : *visible) ids.push_back(o.document_id);
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre(open, in_folder));
  EXPECT_EQ(archive().Where(hidden->id, caseworker).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Where(in_folder).PathText(),
            "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 › Kasse K-2026-0345 › Mappe A");

  auto children = archive().Children(std::nullopt);
  ASSERT_TRUE(children);
  ASSERT_EQ(children->size(), 2u);  // Rådhuset and the city archive
  EXPECT_EQ((*children)[0].name, "Rådhuset");
  auto path = archive().PathOf(archive().FindLocation("k-2026-0345-a")->id);
  ASSERT_TRUE(path);
  EXPECT_EQ(path->size(), 6u);
}

TEST_F(ArchiveTest, BoxesGetGeneratedBarcodesAndDefaultNames) {
  NewLocation box;
  box.kind = LocationKind::kBox;
  auto first = archive().AddLocation(box, actor_);
  auto second = archive().AddLocation(box, actor_);
  ASSERT_TRUE(first && second);
  const std::string year = DaysFromToday(0).substr(0, 4);
  EXPECT_EQ(first->barcode, "K-" + year + "-0001");
  EXPECT_EQ(second->barcode, "K-" + year + "-0002");
  EXPECT_EQ(first->name, "Kasse " + first->barcode);
  NewLocation site;
  site.kind = LocationKind::kSite;
  site.name = "Rådhuset";
  auto s = archive().AddLocation(site, actor_);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->barcode, "L-000003");
}

// ---- bad input: a clear error and no change ----

TEST_F(ArchiveTest, UnknownAndDuplicateBarcodesAreRefusedWithoutChange) {
  BuildTree();
  const int64_t doc = Journalise("Brev", KeepIn("K-2026-0345"));
  const int64_t before = Events();
  auto unknown = archive().Place(doc, "K-2026-9999", std::nullopt, actor_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(unknown.error().message(), HasSubstr("K-2026-9999"));
  EXPECT_THAT(unknown.error().message(), HasSubstr("station archive location list"));

  NewLocation dup;
  dup.kind = LocationKind::kBox;
  dup.barcode = "k-2026-0345";
  auto again = archive().AddLocation(dup, actor_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_THAT(again.error().message(), HasSubstr("allerede brugt af kasse K-2026-0345"));

  auto journalised = TryJournalise("Brev til ukendt kasse", KeepIn("K-2026-0999"));
  ASSERT_FALSE(journalised);
  EXPECT_EQ(journalised.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 1);
  EXPECT_EQ(Events(), before);
  EXPECT_EQ(Where(doc).state, State::kStored);
}

TEST_F(ArchiveTest, MovingABoxIntoItselfOrItsOwnFolderIsRefused) {
  BuildTree();
  Add(LocationKind::kFolder, "Mappe A", "K-2026-0345-A", "K-2026-0345");
  const int64_t before = Events();
  auto self = archive().Move("K-2026-0345", "K-2026-0345", std::nullopt, actor_);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(self.error().message(), HasSubstr("ind i sig selv"));
  auto child = archive().Move("K-2026-0345", "K-2026-0345-A", std::nullopt, actor_);
  ASSERT_FALSE(child);
  EXPECT_THAT(child.error().message(), HasSubstr("som ligger i kasse K-2026-0345 selv"));
  auto shelf_up = archive().Move("RH-K-R12", "RH-K-R12-H3", std::nullopt, actor_);
  ASSERT_FALSE(shelf_up);
  EXPECT_THAT(shelf_up.error().message(), HasSubstr("som ligger i reol RH-K-R12 selv"));
  auto kind = archive().Move("RH-K-R12-H4", "K-2026-0345", std::nullopt, actor_);
  ASSERT_FALSE(kind);
  EXPECT_THAT(kind.error().message(), HasSubstr("en hylde kan ikke stå i kasse K-2026-0345"));
  EXPECT_EQ(Events(), before);
  EXPECT_EQ(archive().FindLocation("K-2026-0345")->parent_id,
            archive().FindLocation("RH-K-R12-H3")->id);
}

TEST_F(ArchiveTest, LendingSomethingAlreadyLentIsRefused) {
  BuildTree();
  const int64_t doc = Journalise("Brev", KeepIn("K-2026-0345"));
  ASSERT_TRUE(archive().Lend(ArchiveItem::Document(doc), LendRequest{"Anne", DaysFromToday(5), {}},
                             actor_));
  const int64_t before = Events();
  auto twice =
      archive().Lend(ArchiveItem::Document(doc), LendRequest{"Bo", DaysFromToday(5), {}}, actor_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(twice.error().message(), HasSubstr("er udlånt til Anne"));
  // Nor the box while something in it is out, nor a move of a lent box.
  auto box = archive().Lend(ArchiveItem::Location("K-2026-0345"),
                            LendRequest{"Bo", DaysFromToday(5), {}}, actor_);
  ASSERT_FALSE(box);
  EXPECT_THAT(box.error().message(), HasSubstr("dokument " + std::to_string(doc)));
  auto past = archive().Lend(ArchiveItem::Location("K-2026-0345"),
                             LendRequest{"Bo", "2020-01-01", {}}, actor_);
  ASSERT_FALSE(past);
  EXPECT_THAT(past.error().message(), HasSubstr("allerede passeret"));
  auto nobody = archive().Lend(ArchiveItem::Location("K-2026-0345"),
                               LendRequest{"  ", DaysFromToday(5), {}}, actor_);
  ASSERT_FALSE(nobody);
  EXPECT_THAT(nobody.error().message(), HasSubstr("låneren mangler"));
  auto not_lent = archive().Return(ArchiveItem::Location("K-2026-0345"), std::nullopt, actor_);
  ASSERT_FALSE(not_lent);
  EXPECT_THAT(not_lent.error().message(), HasSubstr("er ikke udlånt"));
  EXPECT_EQ(Events(), before);

  ASSERT_TRUE(archive().Return(ArchiveItem::Document(doc), std::nullopt, actor_));
  ASSERT_TRUE(archive().Lend(ArchiveItem::Location("K-2026-0345"),
                             LendRequest{"Bo", DaysFromToday(5), {}}, actor_));
  auto move = archive().Move("K-2026-0345", "RH-K-R12-H4", std::nullopt, actor_);
  ASSERT_FALSE(move);
  EXPECT_THAT(move.error().message(), HasSubstr("kasse K-2026-0345 er udlånt til Bo"));
  const int64_t other = Journalise("Andet brev", OriginalDisposition{});
  auto into_lent = archive().Place(other, "K-2026-0345", std::nullopt, actor_);
  ASSERT_FALSE(into_lent);
  EXPECT_EQ(into_lent.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(ArchiveTest, PlacingADestroyedOriginalIsRefused) {
  BuildTree();
  OriginalDisposition destroy;
  destroy.disposition = Disposition::kDestructionApproved;
  destroy.approval_ref = "AR-2026-17";
  destroy.approval_date = "2026-11-02";
  const int64_t doc = Journalise("Kopi af lønseddel", destroy, "kopi");
  ASSERT_TRUE(archive().Destroy(doc, "makulering", std::nullopt, actor_));
  const int64_t before = Events();
  auto place = archive().Place(doc, "K-2026-0345", std::nullopt, actor_);
  ASSERT_FALSE(place);
  EXPECT_EQ(place.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(place.error().message(), HasSubstr("er destrueret"));
  auto keep = archive().SetDisposition(doc, OriginalDisposition{}, actor_);
  ASSERT_FALSE(keep);
  EXPECT_EQ(Events(), before);
  EXPECT_EQ(Where(doc).state, State::kDestroyed);
}

TEST_F(ArchiveTest, LocationsMustSitInAKindAboveThem) {
  BuildTree();
  NewLocation shelf;
  shelf.kind = LocationKind::kShelf;
  shelf.name = "Hylde 9";
  auto floating = archive().AddLocation(shelf, actor_);
  ASSERT_FALSE(floating);
  EXPECT_THAT(floating.error().message(), HasSubstr("angiv --in"));
  shelf.parent_barcode = "K-2026-0345";
  auto in_box = archive().AddLocation(shelf, actor_);
  ASSERT_FALSE(in_box);
  EXPECT_THAT(in_box.error().message(), HasSubstr("kan ikke placeres i kasse K-2026-0345"));
  NewLocation nameless;
  nameless.kind = LocationKind::kRoom;
  nameless.parent_barcode = "RH";
  EXPECT_THAT(archive().AddLocation(nameless, actor_).error().message(), HasSubstr("--name"));
  NewLocation cpr;
  cpr.kind = LocationKind::kRoom;
  cpr.parent_barcode = "RH";
  cpr.name = "Rum for 010190-1234";
  auto masked = archive().AddLocation(cpr, actor_);
  ASSERT_FALSE(masked);
  EXPECT_THAT(masked.error().message(), Not(HasSubstr("010190-1234")));
  EXPECT_EQ(Count("SELECT count(*) FROM archive_locations"), 7);
}

TEST_F(ArchiveTest, ATransferGoesOnlyToTheCityArchiveWithAReference) {
  BuildTree();
  auto not_city =
      archive().Transfer(ArchiveItem::Location("K-2026-0345"), "RH-K-R12-H4", "Afl. 1", actor_);
  ASSERT_FALSE(not_city);
  EXPECT_THAT(not_city.error().message(), HasSubstr("er ikke stadsarkivet"));
  auto no_ref = archive().Transfer(ArchiveItem::Location("K-2026-0345"), "KSA", " ", actor_);
  ASSERT_FALSE(no_ref);
  auto move = archive().Move("K-2026-0345", "KSA", std::nullopt, actor_);
  ASSERT_FALSE(move);
  EXPECT_THAT(move.error().message(), HasSubstr("station archive transfer K-2026-0345"));
  const int64_t doc = Journalise("Brev", OriginalDisposition{});
  auto single = archive().Transfer(ArchiveItem::Document(doc), "KSA", "Afl. 2", actor_);
  ASSERT_TRUE(single) << single.error().ToString();
  EXPECT_EQ(Where(doc).state, State::kTransferred);
}

}  // namespace
}  // namespace intake::storage
