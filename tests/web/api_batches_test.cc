// The post room's API (web/api_batches.cc) over a real socket: a batch is put in the spool
// as an intake leaves it (page images and their analyses), then listed, shown, edited,
// checked and journalised (with the real page pipeline, hence Tesseract: integration).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/danish_ids.h"
#include "ocr/leptonica_handles.h"
#include "station/intake_run.h"
#include "storage/archive.h"
#include "tests/web/web_fixture.h"

namespace intake::web {
namespace {

using nlohmann::json;
using storage::Role;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOpenCase[] = "27.24.00-G01-5-19";
constexpr char kSecretCase[] = "29.03.06-K02-1-24";

std::string TodayIso() {
  const std::chrono::year_month_day d = LocalToday();
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return text;
}

// A grey A4 page at 100 dpi with a few dark bars where a letter's lines would be.
std::string PagePng(int bars) {
  ocr::PixPtr pix(pixCreate(827, 1169, 8));
  pixSetAll(pix.get());
  for (int i = 0; i < bars; ++i) {
    BOX* box = boxCreate(80, 120 + i * 40, 500 - (i % 3) * 60, 14);
    pixClearInRect(pix.get(), box);
    boxDestroy(&box);
  }
  Result<std::string> png = station::EncodePng(pix.get());
  EXPECT_TRUE(png) << png.error().ToString();
  return png ? *png : std::string();
}

std::string Letter(const std::string& reference, const std::string& subject, int page, int of) {
  return "Side " + std::to_string(page) + " af " + std::to_string(of) +
         "\nAarhus, den 11. november 2026\nVedr.: " + subject + "\nJeres sagsnr.: " + reference +
         "\nKære kommune\nJeg skriver om " + subject + ".\n";
}

class ApiBatchesTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    if (HasFatalFailure()) return;
    AddUser("ida", Role::kPostRoom);
    AddUser("bo", Role::kCaseworker, {"boern"});
    AddUser("lene", Role::kManager);
    AddUser("arne", Role::kArchivist);
    std::lock_guard<std::mutex> hold(state().lock);
    storage::Journal& journal = *state().journal;
    storage::NewCase open;
    open.system = "SBSYS";
    open.reference = kOpenCase;
    open.title = "Boligstøtte til Mette Jensen";
    ASSERT_TRUE(journal.AddCase(open, storage::Actor{"test"}));
    storage::NewCase secret;
    secret.system = "SBSYS";
    secret.reference = kSecretCase;
    secret.title = "Underretning om barn";
    secret.restricted = true;
    secret.access_group = "boern";
    ASSERT_TRUE(journal.AddCase(secret, storage::Actor{"test"}));
    storage::NewLocation site;
    site.kind = storage::LocationKind::kSite;
    site.name = "Rådhuset";
    site.barcode = "RH";
    ASSERT_TRUE(journal.archive().AddLocation(site, storage::Actor{"test"}));
    storage::NewLocation box;
    box.kind = storage::LocationKind::kBox;
    box.barcode = "K-0001";
    box.parent_barcode = "RH";
    ASSERT_TRUE(journal.archive().AddLocation(box, storage::Actor{"test"}));
  }

  // A batch in the spool with its pages analysed: `texts` one OCR text per page.
  std::string MakeBatch(const std::vector<std::string>& texts,
                        const std::string& channel = "import") {
    std::lock_guard<std::mutex> hold(state().lock);
    storage::PageSpool& spool = *state().spool;
    storage::BatchInfo info;
    info.name = "Morgenpost";
    info.channel = channel;
    info.operator_name = "ida";
    info.received_date = TodayIso();
    Result<std::string> id = spool.CreateBatch(info);
    EXPECT_TRUE(id) << id.error().ToString();
    if (!id) return "";
    for (size_t i = 0; i < texts.size(); ++i) {
      storage::SpooledPage page;
      page.sheet = static_cast<int>(i) + 1;
      page.side = "front";
      page.source = "test";
      page.dpi = 100;
      Result<storage::SpooledPage> added =
          spool.AddPage(*id, page, PagePng(3 + static_cast<int>(i)), "png");
      EXPECT_TRUE(added) << added.error().ToString();
      if (!added) return "";
      if (channel == "import") {
        const json analysis = {{"seq", added->seq},
                               {"blank", false},
                               {"text", texts[i]},
                               {"orientation", {{"degrees", 0}}},
                               {"barcodes", json::array()}};
        EXPECT_TRUE(spool.SaveAnalysis(*id, added->seq, analysis.dump()));
      }
    }
    return *id;
  }

  // Two letters on the open case (the first of two pages) and one on the restricted case.
  std::string MorningPost() {
    return MakeBatch({Letter(kOpenCase, "afslag på boligstøtte", 1, 2),
                      Letter(kOpenCase, "afslag på boligstøtte", 2, 2),
                      Letter(kSecretCase, "bekymring for et barn", 1, 1),
                      Letter(kOpenCase, "klage over sagsbehandlingstiden", 1, 1)});
  }

  static const json* Document(const json& batch, int number) {
    for (const json& d : batch["documents"]) {
      if (d["number"] == number) return &d;
    }
    return nullptr;
  }
};

TEST_F(ApiBatchesTest, TheListShowsTheWaitingBatchWithPagesAndState) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  TestReply list = Get(&ida, "/api/batches");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["batches"].size(), 1u);
  const json& b = list.json["batches"][0];
  EXPECT_EQ(b["batch"], id);
  EXPECT_EQ(b["name"], "Morgenpost");
  EXPECT_EQ(b["pages"], 4);
  EXPECT_EQ(b["proposed"], false);
  EXPECT_EQ(b["state"], "ikke foreslået");
  EXPECT_EQ(b["waiting_working_days"], 0);
  EXPECT_EQ(b["intake"]["running"], false);

  ASSERT_EQ(Get(&ida, "/api/batches/" + id).status, 200);
  list = Get(&ida, "/api/batches");
  EXPECT_EQ(list.json["batches"][0]["state"], "venter");
  EXPECT_EQ(list.json["batches"][0]["documents_open"], 3);
}

TEST_F(ApiBatchesTest, ShowProposesTheCaseWithReasonsAndGivesPageUrlsNotServerPaths) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  TestReply show = Get(&ida, "/api/batches/" + id);
  ASSERT_EQ(show.status, 200) << show.body;
  EXPECT_EQ(show.json["batch"], id);
  EXPECT_EQ(show.json["intake"]["running"], false);
  ASSERT_EQ(show.json["pages"].size(), 4u);
  const json& page = show.json["pages"][0];
  EXPECT_EQ(page["thumbnail_url"], "/api/batches/" + id + "/pages/1/thumbnail");
  EXPECT_EQ(page["image_url"], "/api/batches/" + id + "/pages/1/image");
  EXPECT_FALSE(page.contains("file"));
  EXPECT_THAT(show.body, Not(HasSubstr(home())));
  ASSERT_EQ(show.json["documents"].size(), 3u);
  const json* first = Document(show.json, 1);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ((*first)["pages"], json::array({1, 2}));
  ASSERT_TRUE((*first)["proposed_case"].is_object()) << first->dump(2);
  EXPECT_EQ((*first)["proposed_case"]["reference"], kOpenCase);
  EXPECT_FALSE((*first)["proposed_case"]["reasons"].empty());
  EXPECT_FALSE((*first)["suggested_title"].get<std::string>().empty());
  EXPECT_TRUE((*first)["warnings"].is_array());
  EXPECT_TRUE(show.json["warnings"].is_array());
}

TEST_F(ApiBatchesTest, ThumbnailAndImageArePngs) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  for (const std::string what : {"thumbnail", "image"}) {
    TestReply r = Get(&ida, "/api/batches/" + id + "/pages/2/" + what);
    ASSERT_EQ(r.status, 200) << what << ": " << r.body;
    EXPECT_EQ(r.content_type, "image/png");
    ASSERT_GT(r.body.size(), 8u);
    EXPECT_EQ(r.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << what;
  }
}

TEST_F(ApiBatchesTest, BadBatchIdsAndPagesAreRefusedWithoutTouchingFiles) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  EXPECT_EQ(Get(&ida, "/api/batches/20990101-000000-dead").status, 404);
  EXPECT_EQ(Get(&ida, "/api/batches/..%2F..%2Fetc/pages/1/image").status, 404);
  EXPECT_EQ(Get(&ida, "/api/batches/..").status, 404);
  EXPECT_EQ(Get(&ida, "/api/batches/" + id + "..").status, 404);
  TestReply out_of_range = Get(&ida, "/api/batches/" + id + "/pages/99/thumbnail");
  EXPECT_EQ(out_of_range.status, 404);
  EXPECT_THAT(out_of_range.json["error"]["message"].get<std::string>(),
              HasSubstr("side 99 findes ikke"));
  EXPECT_EQ(Get(&ida, "/api/batches/" + id + "/pages/abc/image").status, 400);
  EXPECT_EQ(Get(&ida, "/api/batches/" + id + "/pages/-1/image").status, 400);
  EXPECT_EQ(Get(&ida, "/api/batches/" + id + "/pages/..%2F000001.json/image").status, 404);
}

TEST_F(ApiBatchesTest, EditsChangeThePlanAndRecordTheLoggedInUser) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  const std::string base = "/api/batches/" + id;
  ASSERT_EQ(Get(&ida, base).status, 200);

  TestReply split = Post(&ida, base + "/split", {{"before_page", 2}});
  ASSERT_EQ(split.status, 200) << split.body;
  EXPECT_EQ(split.json["documents"].size(), 4u);
  EXPECT_EQ((*Document(split.json, 2))["pages"], json::array({2}));
  EXPECT_EQ(split.json["history"].back()["actor"], "ida");
  EXPECT_EQ(split.json["history"].back()["action"], "split");
  EXPECT_FALSE(split.json["detail"].get<std::string>().empty());

  TestReply merge = Post(&ida, base + "/merge", {{"document", 1}});
  ASSERT_EQ(merge.status, 200) << merge.body;
  EXPECT_EQ((*Document(merge.json, 1))["pages"], json::array({1, 2}));

  TestReply move = Post(&ida, base + "/move", {{"page", 4}, {"to_document", 1}, {"position", 1}});
  ASSERT_EQ(move.status, 200) << move.body;
  EXPECT_EQ((*Document(move.json, 1))["pages"], json::array({4, 1, 2}));

  TestReply rotate = Post(&ida, base + "/rotate", {{"page", 1}, {"degrees", 180}});
  ASSERT_EQ(rotate.status, 200) << rotate.body;
  EXPECT_EQ(rotate.json["pages"][0]["rotation"], 180);

  TestReply remove = Post(&ida, base + "/remove", {{"page", 4}, {"reason", "dobbeltscannet"}});
  ASSERT_EQ(remove.status, 200) << remove.body;
  EXPECT_EQ(remove.json["pages"][3]["role"], "removed");
  EXPECT_EQ(remove.json["pages"][3]["removed_reason"], "dobbeltscannet");

  TestReply restore = Post(&ida, base + "/restore", {{"page", 4}});
  ASSERT_EQ(restore.status, 200) << restore.body;
  EXPECT_EQ(restore.json["pages"][3]["role"], "document");
  for (const std::string action : {"merge", "move", "rotate", "remove", "restore"}) {
    bool found = false;
    for (const json& e : restore.json["history"]) {
      if (e["action"] == action && e["actor"] == "ida") found = true;
    }
    EXPECT_TRUE(found) << action;
  }
}

TEST_F(ApiBatchesTest, EditsRefuseBadInputNamingTheField) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  const std::string base = "/api/batches/" + id;
  TestReply degrees = Post(&ida, base + "/rotate", {{"page", 1}, {"degrees", 45}});
  EXPECT_EQ(degrees.status, 400);
  EXPECT_THAT(degrees.json["error"]["message"].get<std::string>(), HasSubstr("\"degrees\""));
  TestReply page = Post(&ida, base + "/rotate", {{"page", 9}, {"degrees", 90}});
  EXPECT_EQ(page.status, 400);
  EXPECT_THAT(page.json["error"]["message"].get<std::string>(), HasSubstr("side 9 findes ikke"));
  EXPECT_EQ(Post(&ida, base + "/rotate", {{"page", "1"}, {"degrees", 90}}).status, 400);
  EXPECT_EQ(Post(&ida, base + "/merge", json::object()).status, 400);
  EXPECT_EQ(Post(&ida, base + "/merge", {{"document", 0}}).status, 400);
  EXPECT_EQ(Post(&ida, base + "/move", {{"page", 1}, {"to_document", 1}, {"position", -3}}).status,
            400);
  TestReply malformed = Send("POST", &ida, base + "/split", "{\"before_page\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.json["error"]["message"].get<std::string>(), HasSubstr("JSON"));
  EXPECT_EQ(Post(&ida, "/api/batches/ukendt/merge", {{"document", 1}}).status, 404);
}

TEST_F(ApiBatchesTest, TitleCheckAcceptsAGoodTitleAndExplainsARefusalInDanish) {
  TestSession ida = Login("ida");
  TestReply good = Post(&ida, "/api/title-check",
                        {{"title",
                          "Klage fra Mette Jensen af 11. november 2026 over afslag på "
                          "boligstøtte"}});
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.json["ok"], true);
  EXPECT_EQ(good.json["message"], "Titlen er god");
  TestReply vague = Post(&ida, "/api/title-check", {{"title", "Brev"}});
  ASSERT_EQ(vague.status, 200) << vague.body;
  EXPECT_EQ(vague.json["ok"], false);
  ASSERT_FALSE(vague.json["problems"].empty());
  EXPECT_FALSE(vague.json["message"].get<std::string>().empty());
  EXPECT_NE(vague.json["message"], "Titlen er god");
  TestReply photo =
      Post(&ida, "/api/title-check",
           {{"title", "Foto af skaden på carporten på Hegnsvej 4"}, {"doc_type", "foto"}});
  EXPECT_EQ(photo.json["ok"], false);
  EXPECT_EQ(Post(&ida, "/api/title-check", {{"title", 7}}).status, 400);
  EXPECT_EQ(Post(&ida, "/api/title-check", json::object()).status, 400);
}

TEST_F(ApiBatchesTest, JournalisesOneDocumentIntoABoxAndAnotherPendingUnderTheUser) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  const std::string base = "/api/batches/" + id;
  ASSERT_EQ(Get(&ida, base).status, 200);
  TestReply kept = Post(&ida, base + "/documents/1/journal",
                        {{"title",
                          "Klage fra Mette Jensen af 11. november 2026 over afslag "
                          "på boligstøtte"},
                         {"doc_type", "klage"},
                         {"direction", "in"},
                         {"original", {{"disposition", "keep"}, {"box", "K-0001"}}}});
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json["case"]["reference"], kOpenCase);
  EXPECT_EQ(kept.json["existing"], false);
  EXPECT_THAT(kept.json["original"].get<std::string>(), HasSubstr("K-0001"));
  const int64_t doc_id = kept.json["document"]["id"].get<int64_t>();
  EXPECT_GT(kept.json["document"]["doc_number"].get<int64_t>(), 0);

  TestReply pending = Post(&ida, base + "/documents/3/journal",
                           {{"case", kOpenCase},
                            {"title",
                             "Klage fra Mette Jensen af 11. november 2026 over "
                             "sagsbehandlingstiden"},
                            {"original", {{"disposition", "pending"}}}});
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_THAT(pending.json["original"].get<std::string>(), HasSubstr("fventer"));

  // Again: the same document, nothing new.
  TestReply again = Post(&ida, base + "/documents/1/journal", json::object());
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json["existing"], true);
  EXPECT_EQ(again.json["document"]["id"], doc_id);

  std::lock_guard<std::mutex> hold(state().lock);
  auto history = state().journal->History("document", std::to_string(doc_id));
  ASSERT_TRUE(history) << history.error().ToString();
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->front().actor, "ida");
}

TEST_F(ApiBatchesTest, AVagueTitleIsRefusedWithTheDanishMessageAndTheField) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  TestReply r = Post(&ida, "/api/batches/" + id + "/documents/1/journal", {{"title", "Brev"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json["error"]["field"], "title");
  EXPECT_THAT(r.json["error"]["message"].get<std::string>(), HasSubstr("titlen »Brev«"));
  TestReply direction =
      Post(&ida, "/api/batches/" + id + "/documents/1/journal", {{"direction", "sidelæns"}});
  EXPECT_EQ(direction.status, 400);
  EXPECT_EQ(direction.json["error"]["field"], "direction");
  TestReply original = Post(&ida, "/api/batches/" + id + "/documents/1/journal",
                            {{"original", {{"disposition", "brænd"}}}});
  EXPECT_EQ(original.status, 400);
  EXPECT_EQ(original.json["error"]["field"], "original");
  EXPECT_EQ(Post(&ida, "/api/batches/" + id + "/documents/9/journal", json::object()).status, 404);
  EXPECT_EQ(Post(&ida, "/api/batches/" + id + "/documents/x/journal", json::object()).status, 400);
}

TEST_F(ApiBatchesTest, JournalAllFilesTheClearProposalsAndListsTheRestWithReasons) {
  const std::string id = MorningPost();
  TestSession ida = Login("ida");
  TestReply r =
      Post(&ida, "/api/batches/" + id + "/journal", {{"original", {{"disposition", "pending"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  // The letter on the restricted case has no clear case for ida.
  ASSERT_FALSE(r.json["left"].empty()) << r.body;
  bool secret_left = false;
  for (const json& l : r.json["left"]) {
    EXPECT_FALSE(l["message"].get<std::string>().empty());
    if (l["document"] == 2) secret_left = true;
  }
  EXPECT_TRUE(secret_left) << r.body;
  EXPECT_FALSE(r.json["journalised"].empty()) << r.body;
  for (const json& d : r.json["journalised"]) EXPECT_EQ(d["case"]["reference"], kOpenCase);
  EXPECT_THAT(r.body, Not(HasSubstr(kSecretCase)));
  EXPECT_EQ(
      Post(&ida, "/api/batches/" + id + "/journal", {{"original", {{"disposition", "destroy"}}}})
          .status,
      400);
}

TEST_F(ApiBatchesTest, ARestrictedCaseIsNeitherProposedNorShownToAUserWithoutTheGroup) {
  const std::string id = MorningPost();
  TestSession bo = Login("bo");
  TestReply seen = Get(&bo, "/api/batches/" + id);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_THAT(seen.body, HasSubstr(kSecretCase));  // bo has the group

  TestSession ida = Login("ida");
  TestReply hidden = Get(&ida, "/api/batches/" + id);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_THAT(hidden.body, Not(HasSubstr(kSecretCase)));
  EXPECT_THAT(hidden.body, Not(HasSubstr("Underretning om barn")));
  const json* secret = Document(hidden.json, 2);
  ASSERT_NE(secret, nullptr);
  EXPECT_TRUE((*secret)["proposed_case"].is_null());
  TestReply refused =
      Post(&ida, "/api/batches/" + id + "/documents/2/journal",
           {{"case", kSecretCase}, {"title", "Bekymringsbrev af 11. november 2026 om et barn"}});
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_THAT(refused.json["error"]["message"].get<std::string>(), HasSubstr("findes ikke"));
}

TEST_F(ApiBatchesTest, LoginIsRequiredAndRolesLimitChanges) {
  const std::string id = MorningPost();
  EXPECT_EQ(Get(nullptr, "/api/batches").status, 401);
  EXPECT_EQ(Get(nullptr, "/api/batches/" + id + "/pages/1/image").status, 401);
  EXPECT_EQ(Post(nullptr, "/api/title-check", {{"title", "Brev"}}).status, 401);
  TestSession arne = Login("arne");
  EXPECT_EQ(Get(&arne, "/api/batches").status, 403);
  EXPECT_EQ(Get(&arne, "/api/batches/" + id).status, 403);
  EXPECT_EQ(Post(&arne, "/api/batches/" + id + "/journal").status, 403);
  TestSession lene = Login("lene");
  EXPECT_EQ(Get(&lene, "/api/batches").status, 200);
  EXPECT_EQ(Post(&lene, "/api/batches/" + id + "/merge", {{"document", 1}}).status, 403);
  EXPECT_EQ(Post(&lene, "/api/batches/" + id + "/documents/1/journal").status, 403);
  TestSession ida = Login("ida");
  EXPECT_EQ(Post(&ida, "/api/batches/" + id + "/merge", {{"document", 1}}, false).status, 403);
}

TEST_F(ApiBatchesTest, ARunningScanShowsItsPagesAndWaitsWithProposalAndEdits) {
  const std::string id = MakeBatch({"", ""}, "scanner");
  TestSession ida = Login("ida");
  TestReply show = Get(&ida, "/api/batches/" + id);
  ASSERT_EQ(show.status, 200) << show.body;
  EXPECT_EQ(show.json["intake"]["running"], true);
  EXPECT_EQ(show.json["intake"]["pages"], 2);
  EXPECT_EQ(show.json["pages"].size(), 2u);
  EXPECT_TRUE(show.json["documents"].empty());
  EXPECT_EQ(Get(&ida, "/api/batches/" + id + "/pages/1/thumbnail").status, 200);
  TestReply edit = Post(&ida, "/api/batches/" + id + "/rotate", {{"page", 1}, {"degrees", 90}});
  EXPECT_EQ(edit.status, 409);
  EXPECT_THAT(edit.json["error"]["message"].get<std::string>(), HasSubstr("indlæses stadig"));
  TestReply list = Get(&ida, "/api/batches");
  EXPECT_EQ(list.json["batches"][0]["state"], "indlæses");
}

}  // namespace
}  // namespace intake::web
