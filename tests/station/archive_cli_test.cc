// `station archive ...` in-process, on a temporary home directory: locations and boxes, an
// original's whole life (placed, moved with its box, lent and returned, overdue, handed over
// to the city archive), the answers of `where` after every step, JSON output, and bad input
// that must be refused with a Danish message naming the item and change nothing.
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/danish_ids.h"
#include "config/loader.h"
#include "ocr/leptonica_handles.h"
#include "station/cli.h"
#include "station/exit_code.h"
#include "station/journal_access.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kCase = "27.24.00-G01-5-19";

// Today plus `days` as YYYY-MM-DD (loans must be due today or later).
std::string DaysFromToday(int days) {
  const std::chrono::year_month_day d{std::chrono::sys_days{LocalToday()} +
                                      std::chrono::days{days}};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// The number of pages poppler finds in the PDF at `path`; -1 if it cannot be read.
int PdfPages(const std::string& path) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  return doc ? doc->pages() : -1;
}

// Page `index` of the PDF at `path` rendered at `dpi` (as a scanner would see the printed
// page) and saved as PNG at `png`.
bool RenderPage(const std::string& path, int index, int dpi, const std::string& png) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (!doc || index >= doc->pages()) return false;
  std::unique_ptr<poppler::page> page(doc->create_page(index));
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_rgb24);
  const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  return image.is_valid() && image.save(png, "png", dpi);
}

class ArchiveCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.home = home_.path();
    env_.hostname = "testvaert";
    ASSERT_EQ(RunCli({"case", "add", "--system", "SBSYS", "--reference", kCase, "--title",
                      "Byggesag om carport på Hegnsvej 4"}),
              kExitOk)
        << err_.str();
  }

  int RunCli(std::vector<std::string> args) {
    args.insert(args.begin(), "station");
    out_.str("");
    err_.str("");
    return station::Run(args, out_, err_, env_);
  }

  int Archive(std::vector<std::string> args) {
    args.insert(args.begin(), "archive");
    return RunCli(std::move(args));
  }

  json ArchiveJson(std::vector<std::string> args) {
    args.push_back("--json");
    const int code = Archive(args);
    EXPECT_EQ(code, kExitOk) << err_.str();
    return json::parse(out_.str(), nullptr, false);
  }

  config::Config Config() const {
    config::Config cfg = config::Defaults();
    config::ResolveDefaults(cfg, env_);
    return cfg;
  }

  // Journalises a document directly (no OCR), with the given paper original or none.
  int64_t Journalise(const std::string& title, std::optional<storage::OriginalDisposition> original,
                     std::optional<std::string> doc_type = std::nullopt,
                     storage::DestructionPolicy policy = {}) {
    storage::JournalOptions options = JournalOptionsFor(Config());
    options.destruction = std::move(policy);
    auto journal = storage::OpenSqliteJournal(options);
    EXPECT_TRUE(journal) << journal.error().ToString();
    if (!journal) return 0;
    auto c = (*journal)->FindCaseByReference("SBSYS", kCase, storage::Viewer::Everyone("t"));
    EXPECT_TRUE(c);
    if (!c) return 0;
    storage::NewDocument d;
    d.case_id = c->id;
    d.title = title;
    d.doc_type = std::move(doc_type);
    d.received_date = "2026-11-25";
    d.pages = {storage::DocumentPage{1, 1, false, 0, 0.0, 92.0, R"({"words":9})"}};
    d.ocr_text = title;
    d.original = std::move(original);
    auto doc = (*journal)->Journalise(d, "%PDF-1.7 " + title, storage::Actor{"test"});
    EXPECT_TRUE(doc) << doc.error().ToString();
    return doc ? doc->id : 0;
  }

  int64_t JournaliseKept(const std::string& title) {
    return Journalise(title, storage::OriginalDisposition{});
  }

  // `archive where DOC --json`.
  json Where(int64_t id) { return ArchiveJson({"where", std::to_string(id)}); }

  // `archive history ITEM --json`: the actions, oldest first. For a location, only what
  // happened to the location itself (not the originals placed in it).
  std::vector<std::string> Actions(const std::string& item) {
    std::vector<std::string> actions;
    const bool location = item.find_first_not_of("0123456789") != std::string::npos;
    const json id = location ? ArchiveJson({"location", "show", item})["id"] : json(nullptr);
    for (const json& e : ArchiveJson({"history", item})) {
      if (location && e["location_id"] != id) continue;
      actions.push_back(e["action"].get<std::string>());
    }
    return actions;
  }

  // Site RH › room KA › unit R12 › shelves H3 and H4, box K-TEST-1 on H3.
  void MakeTree() {
    ASSERT_EQ(
        Archive({"location", "add", "--kind", "sted", "--name", "Rådhuset", "--barcode", "RH"}),
        kExitOk)
        << err_.str();
    ASSERT_EQ(Archive({"location", "add", "--kind", "rum", "--name", "Kælderarkiv", "--in", "rh",
                       "--barcode", "KA"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(Archive({"location", "add", "--kind", "unit", "--name", "Reol 12", "--in", "KA",
                       "--barcode", "R12"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(Archive({"location", "add", "--kind", "hylde", "--name", "Hylde 3", "--in", "r12",
                       "--barcode", "H3"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(Archive({"location", "add", "--kind", "shelf", "--name", "Hylde 4", "--in", "R12",
                       "--barcode", "H4"}),
              kExitOk)
        << err_.str();
    ASSERT_EQ(Archive({"box", "create", "--in", "h3", "--barcode", "k-test-1"}), kExitOk)
        << err_.str();
  }

  testing::ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ArchiveCliTest, TheWholeLifecycleOfAnOriginalAndItsBox) {
  MakeTree();
  EXPECT_THAT(out_.str(), HasSubstr("Kasse oprettet: K-TEST-1"));
  EXPECT_THAT(out_.str(), HasSubstr("Rådhuset › Kælderarkiv › Reol 12 › Hylde 3"));
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  ASSERT_GT(doc, 0);
  const std::string id = std::to_string(doc);

  // Kept but not yet in a box.
  EXPECT_EQ(Where(doc)["state"], "awaiting_placement");
  ASSERT_EQ(Archive({"where", id}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Original opbevares: "));
  EXPECT_THAT(out_.str(), HasSubstr("Ansøgning om byggetilladelse"));
  json unplaced = ArchiveJson({"unplaced"});
  ASSERT_EQ(unplaced.size(), 1u);
  EXPECT_EQ(unplaced[0]["document_id"], doc);

  // Placed: the whole path, top first.
  ASSERT_EQ(Archive({"place", id, "--box", "k-test-1\n"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(),
              HasSubstr("placeret i Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 › Kasse K-TEST-1"));
  ASSERT_EQ(Archive({"where", id}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Original opbevares: Rådhuset › Kælderarkiv › Reol 12 › "
                                    "Hylde 3 › Kasse K-TEST-1"));
  json w = Where(doc);
  EXPECT_EQ(w["state"], "stored");
  EXPECT_EQ(w["disposition"], "keep");
  ASSERT_EQ(w["path"].size(), 5u);
  EXPECT_EQ(w["path"][0]["barcode"], "RH");
  EXPECT_EQ(w["path"][4]["barcode"], "K-TEST-1");
  EXPECT_TRUE(ArchiveJson({"unplaced"}).empty());

  json contents = ArchiveJson({"box", "contents", "K-TEST-1"});
  ASSERT_EQ(contents["originals"].size(), 1u);
  EXPECT_EQ(contents["originals"][0]["document_id"], doc);
  EXPECT_EQ(contents["originals"][0]["case_reference"], kCase);
  ASSERT_EQ(Archive({"box", "contents", "K-TEST-1"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("SBSYS 27.24.00-G01-5-19 nr. 1  Ansøgning om byggetilladelse"));
  EXPECT_THAT(out_.str(), HasSubstr("1 original."));

  // The tree, as text and as JSON.
  ASSERT_EQ(Archive({"location", "list"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Rådhuset (sted, RH)"));
  EXPECT_THAT(out_.str(), HasSubstr("└─ Kasse K-TEST-1 (kasse, K-TEST-1): 1 original"));
  json tree = ArchiveJson({"location", "list", "--in", "r12"});
  EXPECT_EQ(tree["in"]["barcode"], "R12");
  ASSERT_EQ(tree["locations"].size(), 2u);
  json shelf3 =
      tree["locations"][0]["barcode"] == "H3" ? tree["locations"][0] : tree["locations"][1];
  ASSERT_EQ(shelf3["children"].size(), 1u);
  EXPECT_EQ(shelf3["children"][0]["barcode"], "K-TEST-1");
  EXPECT_EQ(shelf3["children"][0]["originals"], 1);

  // The box moves with its contents.
  ASSERT_EQ(Archive({"move", "K-TEST-1", "--to", "h4"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("1 original fulgte med"));
  ASSERT_EQ(Archive({"where", id}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Reol 12 › Hylde 4 › Kasse K-TEST-1"));
  json shown = ArchiveJson({"location", "show", "k-test-1"});
  EXPECT_EQ(shown["path_text"], "Rådhuset › Kælderarkiv › Reol 12 › Hylde 4 › Kasse K-TEST-1");
  EXPECT_EQ(shown["originals"], 1);
  ASSERT_EQ(Archive({"location", "show", "H4"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Sti:            Rådhuset › Kælderarkiv › Reol 12 › Hylde 4"));
  EXPECT_THAT(out_.str(), HasSubstr("Kasse K-TEST-1 (kasse, K-TEST-1)"));

  // Lending the box lends the original in it.
  const std::string due = DaysFromToday(14);
  ASSERT_EQ(Archive({"lend", "K-TEST-1", "--to", "Jens Hansen, Borgerservice", "--due", due}),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Udlånt: "));
  w = Where(doc);
  EXPECT_EQ(w["state"], "on_loan");
  EXPECT_EQ(w["loan"]["borrower"], "Jens Hansen, Borgerservice");
  EXPECT_EQ(w["loan"]["due_date"], due);
  ASSERT_EQ(Archive({"where", id}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Jens Hansen"));
  json loans = ArchiveJson({"loans"});
  ASSERT_EQ(loans.size(), 1u);
  EXPECT_EQ(loans[0]["overdue_days"], 0);

  // Overdue: none today, six days over on the due date plus six.
  ASSERT_EQ(Archive({"overdue"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Ingen udlån er over tid"));
  ASSERT_EQ(Archive({"overdue", "--on", DaysFromToday(20)}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Jens Hansen, Borgerservice"));
  EXPECT_THAT(out_.str(), HasSubstr("6 dage over tid"));
  json overdue = ArchiveJson({"overdue", "--on", DaysFromToday(20)});
  EXPECT_EQ(overdue["on"], DaysFromToday(20));
  ASSERT_EQ(overdue["loans"].size(), 1u);
  EXPECT_EQ(overdue["loans"][0]["overdue_days"], 6);

  ASSERT_EQ(Archive({"return", "k-test-1"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Returneret: "));
  EXPECT_EQ(Where(doc)["state"], "stored");
  ASSERT_EQ(Archive({"loans"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Intet er udlånt."));

  // The original alone.
  ASSERT_EQ(Archive({"lend", id, "--to", "Bo Berg", "--due", due}), kExitOk) << err_.str();
  EXPECT_EQ(Where(doc)["loan"]["document_id"], doc);
  ASSERT_EQ(Archive({"return", id, "--note", "tilbage i kassen"}), kExitOk) << err_.str();
  EXPECT_EQ(Where(doc)["state"], "stored");

  // Handed over to the city archive: nothing changes after.
  ASSERT_EQ(Archive({"location", "add", "--kind", "stadsarkiv", "--name", "Københavns Stadsarkiv",
                     "--barcode", "KSA"}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(Archive({"transfer", "K-TEST-1", "--to", "ksa", "--reference", "AFL-2026-1"}), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Kasse K-TEST-1 (kasse, K-TEST-1) er afleveret til Københavns "
                                    "Stadsarkiv (stadsarkiv, KSA) med reference AFL-2026-1"));
  EXPECT_EQ(Where(doc)["state"], "transferred");
  EXPECT_EQ(Archive({"move", "K-TEST-1", "--to", "H3"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("K-TEST-1"));
  EXPECT_EQ(Where(doc)["state"], "transferred");

  // History, oldest first, as text and JSON; the audit chain verifies.
  const std::vector<std::string> doc_actions = Actions(id);
  ASSERT_FALSE(doc_actions.empty());
  EXPECT_EQ(doc_actions.back() == "lend" || doc_actions.back() == "return" ||
                doc_actions.back() == "transfer",
            true);
  EXPECT_NE(std::find(doc_actions.begin(), doc_actions.end(), "place"), doc_actions.end());
  const std::vector<std::string> box_actions = Actions("K-TEST-1");
  const std::vector<std::string> expected = {"create", "move", "lend", "return", "transfer"};
  EXPECT_EQ(box_actions, expected);
  ASSERT_EQ(Archive({"history", "k-test-1"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Historik for Kasse K-TEST-1 (kasse, K-TEST-1):"));
  EXPECT_THAT(out_.str(), HasSubstr("Jens Hansen"));
  ASSERT_EQ(Archive({"history", id}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Historik for Dokument " + id +
                                    " »Ansøgning om "
                                    "byggetilladelse« (nr. 1 på sag SBSYS " +
                                    kCase + ")"));
  ASSERT_EQ(RunCli({"audit", "verify"}), kExitOk) << err_.str() << out_.str();
}

TEST_F(ArchiveCliTest, BoxCreateMakesSeveralUnplacedBoxesAndPrintsTheirBarcodes) {
  json boxes = ArchiveJson({"box", "create", "--count", "3"});
  ASSERT_EQ(boxes.size(), 3u);
  ASSERT_EQ(Archive({"location", "list"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Ikke placeret:"));
  for (const json& b : boxes) {
    EXPECT_EQ(b["kind"], "box");
    EXPECT_EQ(b["parent_id"], nullptr);
    EXPECT_THAT(out_.str(), HasSubstr(b["barcode"].get<std::string>()));
  }
  ASSERT_EQ(Archive({"box", "create", "--count", "2"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("2 kasser oprettet"));
  EXPECT_EQ(Archive({"box", "create", "--count", "0"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--count 0"));
  EXPECT_EQ(Archive({"box", "create", "--count", "2", "--barcode", "K-X"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--barcode"));
}

TEST_F(ArchiveCliTest, AnEmptyArchiveSaysHowToStart) {
  ASSERT_EQ(Archive({"location", "list"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("station archive location add"));
  EXPECT_EQ(ArchiveJson({"location", "list"})["locations"].size(), 0u);
  ASSERT_EQ(Archive({"unplaced"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Ingen originaler venter"));
}

TEST_F(ArchiveCliTest, UnknownAndDuplicateBarcodesAreRefusedAndChangeNothing) {
  MakeTree();
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  const std::string id = std::to_string(doc);
  ASSERT_EQ(Archive({"place", id, "--box", "K-TEST-1"}), kExitOk) << err_.str();
  const json before = Where(doc);

  EXPECT_EQ(Archive({"place", id, "--box", "nope-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("NOPE-1"));
  EXPECT_EQ(Archive({"location", "show", "nope-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("NOPE-1"));
  EXPECT_EQ(Archive({"move", "K-TEST-1", "--to", "NOPE-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("NOPE-1"));
  EXPECT_EQ(Archive({"lookup", "nope-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("NOPE-1"));

  EXPECT_EQ(
      Archive({"location", "add", "--kind", "sted", "--name", "Biblioteket", "--barcode", "rh"}),
      kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("RH"));
  EXPECT_EQ(Archive({"box", "create", "--barcode", "K-TEST-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("K-TEST-1"));

  EXPECT_EQ(Where(doc), before);
  json tree = ArchiveJson({"location", "list"});
  ASSERT_EQ(tree["locations"].size(), 1u);  // only Rådhuset: no second site, no new box
  EXPECT_EQ(tree["locations"][0]["name"], "Rådhuset");
}

TEST_F(ArchiveCliTest, MovingALocationIntoItselfOrItsOwnChildIsRefused) {
  MakeTree();
  ASSERT_EQ(Archive({"location", "add", "--kind", "mappe", "--name", "Mappe A", "--in", "K-TEST-1",
                     "--barcode", "M-1"}),
            kExitOk)
      << err_.str();
  const json before = ArchiveJson({"location", "show", "R12"});
  EXPECT_EQ(Archive({"move", "R12", "--to", "r12"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("R12"));
  EXPECT_EQ(Archive({"move", "R12", "--to", "H3"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("R12"));
  EXPECT_EQ(Archive({"move", "K-TEST-1", "--to", "M-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("K-TEST-1"));
  EXPECT_EQ(ArchiveJson({"location", "show", "R12"}), before);
  EXPECT_EQ(ArchiveJson({"location", "show", "K-TEST-1"})["path_text"],
            "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 › Kasse K-TEST-1");
  // Moving where it already is changes nothing and says so.
  ASSERT_EQ(Archive({"move", "K-TEST-1", "--to", "H3"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("står allerede i Hylde 3"));
  EXPECT_EQ(Actions("K-TEST-1"), std::vector<std::string>{"create"});
}

TEST_F(ArchiveCliTest, LendingSomethingAlreadyLentIsRefused) {
  MakeTree();
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  const std::string id = std::to_string(doc);
  ASSERT_EQ(Archive({"place", id, "--box", "K-TEST-1"}), kExitOk) << err_.str();
  const std::string due = DaysFromToday(7);
  ASSERT_EQ(Archive({"lend", "K-TEST-1", "--to", "Jens Hansen", "--due", due}), kExitOk)
      << err_.str();
  EXPECT_EQ(Archive({"lend", "K-TEST-1", "--to", "Bo Berg", "--due", due}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("K-TEST-1"));
  EXPECT_EQ(Archive({"lend", id, "--to", "Bo Berg", "--due", due}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("fejl: "));
  // Neither the box nor its original may move while lent.
  EXPECT_EQ(Archive({"move", "K-TEST-1", "--to", "H4"}), kExitInput);
  json loans = ArchiveJson({"loans"});
  ASSERT_EQ(loans.size(), 1u);
  EXPECT_EQ(loans[0]["borrower"], "Jens Hansen");
  EXPECT_EQ(Where(doc)["loan"]["borrower"], "Jens Hansen");
  // Returning what is not lent is refused too.
  EXPECT_EQ(Archive({"return", id}), kExitInput);
  EXPECT_EQ(Actions("K-TEST-1"), (std::vector<std::string>{"create", "lend"}));
}

TEST_F(ArchiveCliTest, DestructionNeedsAnApprovalAndADestroyedOriginalCannotBePlaced) {
  MakeTree();
  const int64_t kept = JournaliseKept("Ansøgning om byggetilladelse");
  const std::string id = std::to_string(kept);
  ASSERT_EQ(Archive({"place", id, "--box", "K-TEST-1"}), kExitOk) << err_.str();
  const json before = Where(kept);

  // No approval; an approval for a type the (default, empty) policy does not allow.
  EXPECT_EQ(Archive({"dispose", id, "--disposition", "destroy"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("dispositionen er ikke ændret"));
  EXPECT_EQ(Archive({"dispose", id, "--disposition", "destroy", "--approval", "AR-2026-17",
                     "--approval-date", DaysFromToday(0)}),
            kExitInput);
  EXPECT_EQ(Archive({"destroy", id, "--method", "makulering"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("destruktionen er ikke registreret"));
  EXPECT_EQ(Archive({"dispose", id, "--disposition", "opbevar", "--approval", "AR-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--approval"));
  EXPECT_EQ(Archive({"dispose", id, "--disposition", "slet"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--disposition 'slet' er ukendt"));
  EXPECT_EQ(Where(kept), before);

  // A copy whose type the policy allows, with its approval, is destroyed; then it can no
  // longer be placed.
  storage::OriginalDisposition approved;
  approved.disposition = storage::Disposition::kDestructionApproved;
  approved.approval_ref = "AR-2026-17";
  approved.approval_date = DaysFromToday(0);
  const int64_t copy =
      Journalise("Kopi af skøde", approved, "kopi", storage::DestructionPolicy{{"kopi"}});
  ASSERT_GT(copy, 0);
  const std::string copy_id = std::to_string(copy);
  ASSERT_EQ(Archive({"destroy", copy_id, "--method", "makulering"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("originalen er destrueret (makulering)"));
  EXPECT_EQ(Where(copy)["state"], "destroyed");
  const auto actions = Actions(copy_id);
  EXPECT_EQ(Archive({"place", copy_id, "--box", "K-TEST-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("originalen er ikke placeret"));
  EXPECT_EQ(Where(copy)["state"], "destroyed");
  EXPECT_EQ(Actions(copy_id), actions);
  EXPECT_EQ(ArchiveJson({"box", "contents", "K-TEST-1"})["originals"].size(), 1u);
}

TEST_F(ArchiveCliTest, BadDatesKindsAndItemsAreInputErrorsInDanish) {
  MakeTree();
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  const std::string id = std::to_string(doc);
  ASSERT_EQ(Archive({"place", id, "--box", "K-TEST-1"}), kExitOk) << err_.str();

  EXPECT_EQ(Archive({"lend", id, "--to", "Bo Berg", "--due", "2026-02-30"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--due"));
  EXPECT_EQ(Archive({"lend", id, "--to", "Bo Berg", "--due", "snart"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--due"));
  EXPECT_EQ(Archive({"overdue", "--on", "i morgen"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--on"));

  EXPECT_EQ(Archive({"location", "add", "--kind", "lagerhal", "--name", "Lager"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("--kind 'lagerhal' er ukendt"));
  EXPECT_THAT(err_.str(), HasSubstr("hylde"));

  // DOC must be a document id; DOC|CODE a document id or a barcode.
  EXPECT_EQ(Archive({"where", "dok 17"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("'dok 17' er ikke et dokument-id"));
  EXPECT_EQ(Archive({"where", "k-test-1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("'K-TEST-1' er en stregkode"));
  EXPECT_EQ(Archive({"where", "0"}), kExitInput);
  EXPECT_EQ(Archive({"lend", "dok 17", "--to", "Bo Berg", "--due", DaysFromToday(3)}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("'dok 17' er hverken et dokument-id"));
  EXPECT_EQ(Archive({"history", "kasse#1"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("kasse#1"));
  EXPECT_EQ(Archive({"where", "4711"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("4711"));

  // A CPR number typed by mistake is never echoed.
  EXPECT_EQ(Archive({"lend", "010190-1234", "--to", "Bo Berg", "--due", DaysFromToday(3)}),
            kExitInput);
  EXPECT_THAT(err_.str(), Not(HasSubstr("010190-1234")));
  EXPECT_EQ(Archive({"where", "0101901234"}), kExitInput);
  EXPECT_THAT(err_.str(), Not(HasSubstr("0101901234")));

  EXPECT_EQ(Where(doc)["state"], "stored");
  EXPECT_TRUE(ArchiveJson({"loans"}).empty());
  EXPECT_EQ(Archive({"lend", id, "--to", "Bo Berg"}), kExitUsage);  // --due missing
}

TEST_F(ArchiveCliTest, LookupFindsABarcodeTypedByAHandScanner) {
  MakeTree();
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  ASSERT_EQ(Archive({"place", std::to_string(doc), "--box", "K-TEST-1"}), kExitOk);
  ASSERT_EQ(Archive({"lookup", "k-test-1\r\n"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("K-TEST-1: kasse »Kasse K-TEST-1«"));
  EXPECT_THAT(out_.str(), HasSubstr("Rådhuset › Kælderarkiv › Reol 12 › Hylde 3"));
  EXPECT_THAT(out_.str(), HasSubstr("1 original"));

  // One code per line from standard input, as a scanner types them.
  std::istringstream input("r12\r\n\nNOPE-2\nh3\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  const int code = Archive({"lookup"});
  std::cin.rdbuf(saved);
  EXPECT_EQ(code, kExitInput);
  EXPECT_THAT(out_.str(), HasSubstr("R12: reol »Reol 12«"));
  EXPECT_THAT(out_.str(), HasSubstr("H3: hylde »Hylde 3«"));
  EXPECT_THAT(err_.str(), HasSubstr("NOPE-2"));
}

TEST_F(ArchiveCliTest, LookupReadsTheBarcodeFromAScannedImage) {
  MakeTree();
  // A Code 128 symbol of "K-TEST-1" on a white 300-dpi page, saved as PNG.
  ZXing::BitMatrix m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128)
                           .setMargin(0)
                           .encode(std::string("K-TEST-1"), 0, 0);
  const int module = 4, bar_height = 150, x0 = 200, y0 = 300;
  ocr::PixPtr page(pixCreate(1200, 800, 1));
  ASSERT_NE(page, nullptr);
  pixSetResolution(page.get(), 300, 300);
  for (int c = 0; c < m.width(); ++c) {
    if (!m.get(c, 0)) continue;
    ocr::BoxPtr bar(boxCreate(x0 + c * module, y0, module, bar_height));
    pixSetInRect(page.get(), bar.get());
  }
  const std::string png = home_.Sub("etiket.png");
  ASSERT_EQ(pixWrite(png.c_str(), page.get(), IFF_PNG), 0);

  ASSERT_EQ(Archive({"lookup", "--image", png}), kExitOk) << err_.str() << out_.str();
  EXPECT_THAT(out_.str(), HasSubstr("K-TEST-1: kasse »Kasse K-TEST-1«"));

  // A page without any barcode is an input error naming the file.
  ocr::PixPtr blank(pixCreate(1200, 800, 1));
  const std::string empty = home_.Sub("tom.png");
  ASSERT_EQ(pixWrite(empty.c_str(), blank.get(), IFF_PNG), 0);
  EXPECT_EQ(Archive({"lookup", "--image", empty}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("tom.png"));
  EXPECT_THAT(err_.str(), HasSubstr("ingen stregkoder"));
  EXPECT_EQ(Archive({"lookup", "K-TEST-1", "--image", png}), kExitUsage);
}

TEST_F(ArchiveCliTest, LabelsAndContentsListsAreWrittenAsPdfAndALabelReadsBackToItsBox) {
  MakeTree();
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  ASSERT_EQ(Archive({"place", std::to_string(doc), "--box", "K-TEST-1"}), kExitOk);

  const std::string shelves = home_.Sub("hylder.pdf");
  ASSERT_EQ(Archive({"location", "label", "h3", "H4", "r12", "--out", shelves}), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("3 hyldeetiketter (1 A4-side"));
  EXPECT_EQ(testing::ReadFile(shelves).rfind("%PDF-", 0), 0u);
  EXPECT_EQ(PdfPages(shelves), 1);

  json more = ArchiveJson({"box", "create", "--count", "2"});
  ASSERT_EQ(more.size(), 2u);
  const std::string boxes = home_.Sub("kasser.pdf");
  ASSERT_EQ(
      Archive({"box", "label", "K-TEST-1", more[0]["barcode"], more[1]["barcode"], "--out", boxes}),
      kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("3 kasseetiketter (2 A4-sider"));
  EXPECT_EQ(testing::ReadFile(boxes).rfind("%PDF-", 0), 0u);
  EXPECT_EQ(PdfPages(boxes), 2);

  const std::string list = home_.Sub("indhold.pdf");
  ASSERT_EQ(Archive({"box", "contents", "k-test-1", "--pdf", list}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Ansøgning om byggetilladelse"));
  EXPECT_THAT(err_.str(), HasSubstr("skrevet til " + list));
  EXPECT_EQ(testing::ReadFile(list).rfind("%PDF-", 0), 0u);
  EXPECT_EQ(PdfPages(list), 1);

  // The printed box label, scanned at 300 dpi, finds its box again.
  const std::string png = home_.Sub("kasser-side1.png");
  ASSERT_TRUE(RenderPage(boxes, 0, 300, png));
  ASSERT_EQ(Archive({"lookup", "--image", png}), kExitOk) << err_.str() << out_.str();
  const std::string found = out_.str();
  EXPECT_THAT(found, HasSubstr("K-TEST-1: kasse »Kasse K-TEST-1«, Rådhuset › Kælderarkiv"));
  EXPECT_THAT(found, HasSubstr(more[0]["barcode"].get<std::string>() + ": kasse"));
  // Both symbols of a label (Code 128 and QR) make one line.
  EXPECT_EQ(found.find("K-TEST-1: kasse"), found.rfind("K-TEST-1: kasse")) << found;
  EXPECT_THAT(found, HasSubstr("Code128"));

  // An unknown code writes nothing.
  const std::string none = home_.Sub("ingen.pdf");
  EXPECT_EQ(Archive({"box", "label", "K-TEST-1", "NOPE-1", "--out", none}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("NOPE-1"));
  EXPECT_FALSE(fs::exists(none));
  EXPECT_EQ(Archive({"location", "label", "H3"}), kExitUsage);  // --out missing
}

TEST_F(ArchiveCliTest, HistorySurvivesAReopenAndTheAuditLogVerifies) {
  MakeTree();
  const int64_t doc = JournaliseKept("Ansøgning om byggetilladelse");
  const std::string id = std::to_string(doc);
  ASSERT_EQ(Archive({"place", id, "--box", "K-TEST-1", "--note", "første placering"}), kExitOk);
  ASSERT_EQ(Archive({"move", "K-TEST-1", "--to", "H4", "--note", "hylde 3 er fuld"}), kExitOk);
  // Every command is its own process-like run with its own journal session.
  ASSERT_EQ(Archive({"history", "K-TEST-1", "--json"}), kExitOk);
  const json events = json::parse(out_.str());
  json move;
  for (const json& e : events) {
    if (e["action"] == "move") move = e;
  }
  ASSERT_TRUE(move.is_object()) << events.dump();
  EXPECT_EQ(move["note"], "hylde 3 er fuld");
  EXPECT_THAT(move["summary"].get<std::string>(), HasSubstr("H4"));
  EXPECT_EQ(Actions("K-TEST-1"), (std::vector<std::string>{"create", "move"}));
  ASSERT_EQ(RunCli({"audit", "verify"}), kExitOk) << err_.str() << out_.str();
}

}  // namespace
}  // namespace intake::station
