// The archive of paper originals through the web API (web/api_archive.cc): locations and
// boxes built through the API, an original placed, found, moved with its box, lent,
// returned and overdue; labels and contents lists as PDF; bad input refused with a Danish
// message; roles (the post room may place, a caseworker may only read); a restricted case's
// original as unknown as a missing one; every change audited under the logged-in user.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "base/danish_ids.h"
#include "storage/archive.h"
#include "storage/journal.h"
#include "tests/web/web_fixture.h"

namespace intake::web {
namespace {

using nlohmann::json;
using storage::Role;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char kBox[] = "K-2026-0345";
constexpr const char kShelfPath[] = "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3";

std::string DaysFromToday(int days) {
  const std::chrono::year_month_day d{std::chrono::sys_days{LocalToday()} +
                                      std::chrono::days{days}};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

class ApiArchiveTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    AddUser("arkivar", Role::kArchivist);
    AddUser("post", Role::kPostRoom);
    AddUser("sagsbeh", Role::kCaseworker);
    AddUser("boern", Role::kCaseworker, {"born"});
    std::lock_guard<std::mutex> hold(state().lock);
    open_case_ = AddCase("27.24.00-G01-5-19", false);
    secret_case_ = AddCase("27.24.00-G01-5-20", true);
  }

  int64_t AddCase(const std::string& reference, bool restricted) {
    storage::NewCase c;
    c.system = "SBSYS";
    c.reference = reference;
    c.title = restricted ? "Børnesag" : "Byggesag om carport på Hegnsvej 4";
    c.restricted = restricted;
    if (restricted) c.access_group = "born";
    auto r = state().journal->AddCase(c, storage::Actor{"test"});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? r->id : 0;
  }

  // A journalised paper document whose original is to be kept (not yet placed).
  int64_t Journalise(const std::string& title, int64_t case_id) {
    std::lock_guard<std::mutex> hold(state().lock);
    storage::NewDocument d;
    d.case_id = case_id;
    d.title = title;
    d.doc_type = "brev";
    d.received_date = "2026-11-25";
    d.pages = {storage::DocumentPage{1, 1, false, 0, 0, 90.0, ""}};
    d.ocr_text = "Kære kommune. " + title;
    d.original = storage::OriginalDisposition{};
    auto r = state().journal->Journalise(d, "%PDF-" + title, storage::Actor{"test"});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? r->id : 0;
  }

  // Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 and Hylde 4, box K-2026-0345 on Hylde 3,
  // through the API, as the archivist; codes typed in lower case as a scanner may.
  void BuildTree(const TestSession& s) {
    struct Spec {
      const char* kind;
      const char* name;
      const char* barcode;
      const char* in;
    };
    for (const Spec& spec :
         {Spec{"sted", "Rådhuset", "rh", ""}, Spec{"rum", "Kælderarkiv", "rh-k", "rh"},
          Spec{"reol", "Reol 12", "rh-k-r12", "rh-k"},
          Spec{"hylde", "Hylde 3", "rh-k-r12-h3", "rh-k-r12"},
          Spec{"shelf", "Hylde 4", "rh-k-r12-h4", "rh-k-r12"}}) {
      json body{{"kind", spec.kind}, {"name", spec.name}, {"barcode", spec.barcode}};
      if (spec.in[0] != '\0') body["in"] = spec.in;
      TestReply r = Post(&s, "/api/archive/locations", body);
      ASSERT_EQ(r.status, 201) << r.body;
    }
    TestReply box =
        Post(&s, "/api/archive/boxes", {{"barcode", "k-2026-0345 \r\n"}, {"in", "RH-K-R12-H3"}});
    ASSERT_EQ(box.status, 201) << box.body;
  }

  TestReply Place(const TestSession& s, int64_t doc, const std::string& box = kBox) {
    return Post(&s, "/api/archive/place", {{"document", doc}, {"box", box}});
  }

  std::string AuditActor(const std::string& entity, int64_t id, const std::string& action) {
    std::lock_guard<std::mutex> hold(state().lock);
    auto history = state().journal->History(entity, std::to_string(id));
    EXPECT_TRUE(history) << history.error().ToString();
    if (!history) return "";
    for (const storage::HistoryEntry& e : *history) {
      if (e.action == action) return e.actor;
    }
    return "";
  }

  int64_t open_case_ = 0;
  int64_t secret_case_ = 0;
};

TEST_F(ApiArchiveTest, BuildsTheTreeWithNormalisedCodesAndListsItWithBoxCounts) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  TestReply tree = Get(&a, "/api/archive/locations");
  ASSERT_EQ(tree.status, 200) << tree.body;
  ASSERT_EQ(tree.json["locations"].size(), 1u);
  const json& site = tree.json["locations"][0];
  EXPECT_EQ(site["barcode"], "RH");
  EXPECT_EQ(site["kind"], "site");
  const json& unit = site["children"][0]["children"][0];
  EXPECT_EQ(unit["name"], "Reol 12");
  ASSERT_EQ(unit["children"].size(), 2u);
  const json& shelf3 = unit["children"][0];
  EXPECT_EQ(shelf3["barcode"], "RH-K-R12-H3");
  ASSERT_EQ(shelf3["children"].size(), 1u);
  EXPECT_EQ(shelf3["children"][0]["barcode"], kBox);
  EXPECT_EQ(shelf3["children"][0]["name"], std::string("Kasse ") + kBox);
  EXPECT_EQ(shelf3["children"][0]["originals"], 0);
  EXPECT_TRUE(shelf3["originals"].is_null());

  TestReply in = Get(&a, "/api/archive/locations?in=rh-k-r12");
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.json["in"]["barcode"], "RH-K-R12");
  EXPECT_EQ(in.json["locations"].size(), 2u);

  TestReply show = Get(&a, "/api/archive/locations/rh-k-r12-h3");
  ASSERT_EQ(show.status, 200) << show.body;
  EXPECT_EQ(show.json["path_text"], kShelfPath);
  EXPECT_EQ(show.json["children"][0]["barcode"], kBox);
}

TEST_F(ApiArchiveTest, CreatesSeveralBoxesWithGeneratedCodes) {
  TestSession a = Login("arkivar");
  TestReply r = Post(&a, "/api/archive/boxes", {{"count", 3}});
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(r.json.size(), 3u);
  for (const json& box : r.json) {
    EXPECT_EQ(box["kind"], "box");
    EXPECT_THAT(box["barcode"].get<std::string>(), HasSubstr("K-"));
    EXPECT_TRUE(box["parent_id"].is_null());
  }
  EXPECT_NE(r.json[0]["barcode"], r.json[1]["barcode"]);
}

TEST_F(ApiArchiveTest, PlaceThenWhereShowsThePathAsTheCommandLinePrintsIt) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Ansøgning om byggetilladelse", open_case_);
  TestReply unplaced = Get(&a, "/api/archive/unplaced");
  ASSERT_EQ(unplaced.status, 200) << unplaced.body;
  ASSERT_EQ(unplaced.json.size(), 1u);
  EXPECT_EQ(unplaced.json[0]["document_id"], doc);

  TestReply placed = Place(a, doc, "k-2026-0345");
  ASSERT_EQ(placed.status, 200) << placed.body;
  const std::string path = std::string(kShelfPath) + " › Kasse " + kBox;
  EXPECT_EQ(placed.json["state"], "stored");
  EXPECT_EQ(placed.json["path_text"], path);
  EXPECT_THAT(placed.json["message"].get<std::string>(),
              HasSubstr("originalen er placeret i " + path));

  TestReply where = Get(&a, "/api/archive/where/" + std::to_string(doc));
  ASSERT_EQ(where.status, 200) << where.body;
  EXPECT_EQ(where.json["subject"], "document");
  EXPECT_EQ(where.json["state"], "stored");
  EXPECT_EQ(where.json["path_text"], path);
  EXPECT_EQ(where.json["text"], "Original opbevares: " + path);
  EXPECT_EQ(where.json["path"].size(), 5u);

  TestReply contents = Get(&a, std::string("/api/archive/boxes/") + kBox + "/contents");
  ASSERT_EQ(contents.status, 200) << contents.body;
  ASSERT_EQ(contents.json["originals"].size(), 1u);
  EXPECT_EQ(contents.json["originals"][0]["document_id"], doc);
  EXPECT_EQ(contents.json["originals"][0]["title"], "Ansøgning om byggetilladelse");
  EXPECT_EQ(Get(&a, "/api/archive/unplaced").json.size(), 0u);

  TestReply by_code = Get(&a, "/api/archive/where/k-2026-0345");
  ASSERT_EQ(by_code.status, 200) << by_code.body;
  EXPECT_EQ(by_code.json["subject"], "location");
  EXPECT_EQ(by_code.json["originals"], 1);
  EXPECT_THAT(by_code.json["text"].get<std::string>(), HasSubstr("Hylde 3; 1 original"));
}

TEST_F(ApiArchiveTest, MovingTheBoxMakesWhereFollowAndABoxCannotGoIntoItself) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Tegninger", open_case_);
  ASSERT_EQ(Place(a, doc).status, 200);
  TestReply moved = Post(&a, "/api/archive/move", {{"subject", kBox}, {"to", "rh-k-r12-h4"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_THAT(moved.json["message"].get<std::string>(), HasSubstr("1 original fulgte med"));
  TestReply where = Get(&a, "/api/archive/where/" + std::to_string(doc));
  EXPECT_EQ(where.json["path_text"],
            std::string("Rådhuset › Kælderarkiv › Reol 12 › Hylde 4 › Kasse ") + kBox);

  TestReply itself = Post(&a, "/api/archive/move", {{"subject", kBox}, {"to", kBox}});
  EXPECT_EQ(itself.status, 400) << itself.body;
  TestReply into_child = Post(&a, "/api/archive/move", {{"subject", "RH-K"}, {"to", "RH-K-R12"}});
  EXPECT_EQ(into_child.status, 400) << into_child.body;
  EXPECT_EQ(Get(&a, "/api/archive/where/" + std::to_string(doc)).json["path_text"],
            where.json["path_text"]);
}

TEST_F(ApiArchiveTest, LendReturnAndOverdueLoans) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Skema", open_case_);
  ASSERT_EQ(Place(a, doc).status, 200);
  const std::string due = DaysFromToday(3);
  TestReply lent = Post(
      &a, "/api/archive/lend",
      {{"subject", std::to_string(doc)}, {"borrower", "Jens Hansen, Borgerservice"}, {"due", due}});
  ASSERT_EQ(lent.status, 200) << lent.body;
  EXPECT_EQ(lent.json["borrower"], "Jens Hansen, Borgerservice");
  EXPECT_EQ(lent.json["due_date"], due);
  EXPECT_EQ(Get(&a, "/api/archive/where/" + std::to_string(doc)).json["state"], "on_loan");

  TestReply again =
      Post(&a, "/api/archive/lend", {{"subject", doc}, {"borrower", "Anden"}, {"due", due}});
  EXPECT_EQ(again.status, 409) << again.body;

  TestReply loans = Get(&a, "/api/archive/loans");
  ASSERT_EQ(loans.status, 200) << loans.body;
  ASSERT_EQ(loans.json.size(), 1u);
  EXPECT_EQ(loans.json[0]["document_id"], doc);
  EXPECT_EQ(loans.json[0]["overdue_days"], 0);
  TestReply today = Get(&a, "/api/archive/overdue");
  ASSERT_EQ(today.status, 200) << today.body;
  EXPECT_EQ(today.json["loans"].size(), 0u);
  TestReply later = Get(&a, "/api/archive/overdue?on=" + DaysFromToday(10));
  ASSERT_EQ(later.status, 200) << later.body;
  ASSERT_EQ(later.json["loans"].size(), 1u);
  EXPECT_EQ(later.json["loans"][0]["overdue_days"], 7);
  EXPECT_EQ(Get(&a, "/api/archive/overdue?on=ikke-en-dato").status, 400);

  TestReply returned = Post(&a, "/api/archive/return", {{"subject", doc}});
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(returned.json["days_late"], 0);
  EXPECT_THAT(returned.json["message"].get<std::string>(), HasSubstr("Returneret"));
  EXPECT_EQ(Get(&a, "/api/archive/loans").json.size(), 0u);
  EXPECT_EQ(Get(&a, "/api/archive/where/" + std::to_string(doc)).json["state"], "stored");
  EXPECT_EQ(Post(&a, "/api/archive/return", {{"subject", doc}}).status, 409);

  TestReply past = Post(&a, "/api/archive/lend",
                        {{"subject", kBox}, {"borrower", "Jens"}, {"due", DaysFromToday(-1)}});
  EXPECT_EQ(past.status, 400) << past.body;
  TestReply box = Post(&a, "/api/archive/lend",
                       {{"subject", "k-2026-0345"}, {"borrower", "Jens"}, {"due", due}});
  ASSERT_EQ(box.status, 200) << box.body;
  EXPECT_EQ(Get(&a, "/api/archive/loans").json[0]["location_id"].is_number(), true);
}

TEST_F(ApiArchiveTest, LabelsAndContentsListsArePdf) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  ASSERT_EQ(Place(a, Journalise("Skema", open_case_)).status, 200);
  for (const std::string& path :
       {std::string("/api/archive/locations/rh-k-r12-h3/label.pdf"),
        std::string("/api/archive/locations/") + kBox + "/label.pdf?format=shelf",
        std::string("/api/archive/boxes/") + kBox + "/label.pdf",
        std::string("/api/archive/boxes/") + kBox + "/contents.pdf",
        std::string("/api/archive/labels.pdf?codes=rh-k-r12-h3,RH-K-R12-H4&format=shelf")}) {
    TestReply r = Get(&a, path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/pdf") << path;
    EXPECT_EQ(r.body.rfind("%PDF", 0), 0u) << path;
  }
  EXPECT_EQ(Get(&a, "/api/archive/boxes/K-9999-0001/contents.pdf").status, 404);
  EXPECT_EQ(Get(&a, "/api/archive/labels.pdf").status, 400);
  EXPECT_EQ(Get(&a, "/api/archive/labels.pdf?codes=RH&format=plakat").status, 400);
}

TEST_F(ApiArchiveTest, RefusesBadInputWithADanishMessageAndChangesNothing) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Skema", open_case_);

  TestReply malformed = Send("POST", &a, "/api/archive/place", "{\"document\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.json["error"]["message"].get<std::string>(), HasSubstr("JSON"));
  EXPECT_EQ(Post(&a, "/api/archive/place", {{"box", kBox}}).status, 400);
  TestReply typed = Post(&a, "/api/archive/place", {{"document", true}, {"box", kBox}});
  EXPECT_EQ(typed.status, 400);
  EXPECT_THAT(typed.json["error"]["message"].get<std::string>(), HasSubstr("document"));
  TestReply code_as_doc = Post(&a, "/api/archive/place", {{"document", "RH"}, {"box", kBox}});
  EXPECT_EQ(code_as_doc.status, 400);
  EXPECT_THAT(code_as_doc.json["error"]["message"].get<std::string>(), HasSubstr("stregkode"));
  TestReply zero = Post(&a, "/api/archive/place", {{"document", 0}, {"box", kBox}});
  EXPECT_EQ(zero.status, 400);

  TestReply unknown = Place(a, doc, "K-9999-0001");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Get(&a, "/api/archive/where/K-9999-0001").status, 404);
  EXPECT_EQ(Get(&a, "/api/archive/where/999999").status, 404);
  EXPECT_EQ(Get(&a, "/api/archive/where/%21%21").status, 400);

  TestReply duplicate = Post(
      &a, "/api/archive/locations",
      {{"kind", "hylde"}, {"name", "Hylde 5"}, {"barcode", "rh-k-r12-h3"}, {"in", "RH-K-R12"}});
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  TestReply traversal =
      Post(&a, "/api/archive/locations",
           {{"kind", "hylde"}, {"name", "Hylde 6"}, {"barcode", "../ETC"}, {"in", "RH-K-R12"}});
  EXPECT_EQ(traversal.status, 400) << traversal.body;
  EXPECT_THAT(traversal.json["error"]["message"].get<std::string>(), HasSubstr(".."));
  EXPECT_EQ(Post(&a, "/api/archive/move", {{"subject", "A/../RH"}, {"to", "RH"}}).status, 400);
  EXPECT_NE(Get(&a, "/api/archive/locations/..%2F..%2Fetc").status, 200);
  EXPECT_EQ(Get(&a, "/api/archive/locations/x..y").status, 400);

  TestReply kind = Post(&a, "/api/archive/locations", {{"kind", "skab"}, {"name", "Skab"}});
  EXPECT_EQ(kind.status, 400);
  EXPECT_THAT(kind.json["error"]["message"].get<std::string>(), HasSubstr("kind"));
  EXPECT_EQ(Post(&a, "/api/archive/boxes", {{"count", 0}}).status, 400);
  EXPECT_EQ(Post(&a, "/api/archive/boxes", {{"count", "tre"}}).status, 400);
  EXPECT_EQ(Post(&a, "/api/archive/lend", {{"subject", doc}, {"borrower", "Jens"}}).status, 400);
  EXPECT_EQ(
      Post(&a, "/api/archive/lend", {{"subject", doc}, {"borrower", "Jens"}, {"due", "31.02.2030"}})
          .status,
      400);
  EXPECT_EQ(Post(&a, "/api/archive/dispose", {{"document", doc}, {"disposition", "brænd"}}).status,
            400);

  // Nothing above changed the archive: the original still waits, the tree is as built.
  EXPECT_EQ(Get(&a, "/api/archive/unplaced").json.size(), 1u);
  EXPECT_EQ(Get(&a, "/api/archive/locations/RH-K-R12").json["children"].size(), 2u);
}

TEST_F(ApiArchiveTest, WithoutASessionEveryRouteAnswers401) {
  for (const std::string path : {"/api/archive/locations", "/api/archive/loans",
                                 "/api/archive/where/1", "/api/archive/overdue"}) {
    EXPECT_EQ(Get(nullptr, path).status, 401) << path;
  }
  EXPECT_EQ(Post(nullptr, "/api/archive/place", {{"document", 1}, {"box", kBox}}).status, 401);
  EXPECT_EQ(Post(nullptr, "/api/archive/locations", {{"kind", "sted"}, {"name", "X"}}).status, 401);
}

TEST_F(ApiArchiveTest, ACaseworkerMayReadButNotChangeTheArchive) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Skema", open_case_);
  ASSERT_EQ(Place(a, doc).status, 200);
  TestSession c = Login("sagsbeh");
  EXPECT_EQ(Get(&c, "/api/archive/locations").status, 200);
  EXPECT_EQ(Get(&c, "/api/archive/where/" + std::to_string(doc)).status, 200);
  EXPECT_EQ(Get(&c, std::string("/api/archive/boxes/") + kBox + "/contents").status, 200);
  EXPECT_EQ(Get(&c, "/api/archive/loans").status, 200);
  EXPECT_EQ(Post(&c, "/api/archive/locations", {{"kind", "sted"}, {"name", "Skur"}}).status, 403);
  EXPECT_EQ(Post(&c, "/api/archive/boxes", json::object()).status, 403);
  EXPECT_EQ(Place(c, doc, "K-2026-0345").status, 403);
  EXPECT_EQ(Post(&c, "/api/archive/move", {{"subject", kBox}, {"to", "RH-K-R12-H4"}}).status, 403);
  EXPECT_EQ(Post(&c, "/api/archive/lend",
                 {{"subject", doc}, {"borrower", "Jens"}, {"due", DaysFromToday(2)}})
                .status,
            403);
  EXPECT_EQ(Post(&c, "/api/archive/return", {{"subject", doc}}).status, 403);
  EXPECT_EQ(Get(&c, "/api/archive/where/" + std::to_string(doc)).json["path"].size(), 5u);
}

TEST_F(ApiArchiveTest, ThePostRoomMayPlaceOriginalsButNotLendOrMove) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Skema", open_case_);
  TestSession p = Login("post");
  TestReply placed = Place(p, doc);
  ASSERT_EQ(placed.status, 200) << placed.body;
  EXPECT_EQ(placed.json["state"], "stored");
  EXPECT_EQ(Post(&p, "/api/archive/move", {{"subject", kBox}, {"to", "RH-K-R12-H4"}}).status, 403);
  EXPECT_EQ(Post(&p, "/api/archive/lend",
                 {{"subject", doc}, {"borrower", "Jens"}, {"due", DaysFromToday(2)}})
                .status,
            403);
}

TEST_F(ApiArchiveTest, ARestrictedCasesOriginalIsNotFoundWithoutTheGroup) {
  AddUser("arkivb", Role::kArchivist, {"born"});
  TestSession keeper = Login("arkivb");
  BuildTree(keeper);
  const int64_t secret = Journalise("Underretning", secret_case_);
  ASSERT_EQ(Place(keeper, secret).status, 200);
  ASSERT_EQ(Post(&keeper, "/api/archive/lend",
                 {{"subject", secret}, {"borrower", "Jens"}, {"due", DaysFromToday(2)}})
                .status,
            200);

  TestSession c = Login("sagsbeh");
  TestReply hidden = Get(&c, "/api/archive/where/" + std::to_string(secret));
  TestReply missing = Get(&c, "/api/archive/where/999999");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.json["error"]["code"], missing.json["error"]["code"]);
  EXPECT_THAT(hidden.json["error"]["message"].get<std::string>(), HasSubstr("findes ikke"));
  EXPECT_EQ(Get(&c, "/api/archive/history/" + std::to_string(secret)).status, 404);
  EXPECT_EQ(
      Get(&c, std::string("/api/archive/boxes/") + kBox + "/contents").json["originals"].size(),
      0u);
  EXPECT_EQ(Get(&c, "/api/archive/loans").json.size(), 0u);
  EXPECT_THAT(Get(&c, "/api/archive/loans").body, Not(HasSubstr("Jens")));

  // An archivist without the group cannot change it either: it does not exist for them.
  TestSession a = Login("arkivar");
  EXPECT_EQ(Post(&a, "/api/archive/return", {{"subject", secret}}).status, 404);
  EXPECT_EQ(Place(a, secret, "RH-K-R12-H4").status, 404);

  TestSession b = Login("boern");
  TestReply seen = Get(&b, "/api/archive/where/" + std::to_string(secret));
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json["state"], "on_loan");
  EXPECT_EQ(Get(&b, "/api/archive/loans").json.size(), 1u);
}

TEST_F(ApiArchiveTest, ChangesAreAuditedUnderTheLoggedInUser) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t doc = Journalise("Skema", open_case_);
  TestSession p = Login("post");
  ASSERT_EQ(Place(p, doc).status, 200);
  TestReply box = Get(&a, std::string("/api/archive/locations/") + kBox);
  ASSERT_EQ(box.status, 200);
  const int64_t box_id = box.json["id"].get<int64_t>();
  ASSERT_EQ(Post(&a, "/api/archive/move", {{"subject", kBox}, {"to", "RH-K-R12-H4"}}).status, 200);

  EXPECT_EQ(AuditActor("location", box_id, "archive.create"), "arkivar");
  EXPECT_EQ(AuditActor("location", box_id, "archive.move"), "arkivar");
  EXPECT_EQ(AuditActor("original", doc, "archive.place"), "post");

  TestReply history = Get(&a, "/api/archive/history/" + std::to_string(doc));
  ASSERT_EQ(history.status, 200) << history.body;
  ASSERT_FALSE(history.json.empty());
  EXPECT_EQ(history.json.back()["action"], "place");
  EXPECT_EQ(history.json.back()["actor"], "post");
}

TEST_F(ApiArchiveTest, DisposeAndTransferToTheCityArchive) {
  TestSession a = Login("arkivar");
  BuildTree(a);
  const int64_t kept = Journalise("Skema", open_case_);
  const int64_t sent_back = Journalise("Pas", open_case_);
  ASSERT_EQ(Place(a, kept).status, 200);
  TestReply back =
      Post(&a, "/api/archive/dispose", {{"document", sent_back}, {"disposition", "return"}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json["state"], "returned_to_sender");
  EXPECT_EQ(Post(&a, "/api/archive/dispose",
                 {{"document", kept}, {"disposition", "return"}, {"box", kBox}})
                .status,
            400);
  // No document types may be destroyed by default.
  EXPECT_EQ(Post(&a, "/api/archive/dispose",
                 {{"document", kept},
                  {"disposition", "destroy"},
                  {"approval", "AR-2026-17"},
                  {"approval_date", DaysFromToday(0)}})
                .status,
            400);
  EXPECT_EQ(Post(&a, "/api/archive/destroy", {{"document", kept}, {"method", "makulering"}}).status,
            409);

  ASSERT_EQ(Post(&a, "/api/archive/locations",
                 {{"kind", "stadsarkiv"}, {"name", "Stadsarkivet"}, {"barcode", "KSA"}})
                .status,
            201);
  EXPECT_EQ(
      Post(&a, "/api/archive/transfer", {{"subject", kBox}, {"to", "RH"}, {"reference", "A-1"}})
          .status,
      400);
  TestReply handed = Post(&a, "/api/archive/transfer",
                          {{"subject", kBox}, {"to", "ksa"}, {"reference", "AFL-2026-3"}});
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_THAT(handed.json["message"].get<std::string>(), HasSubstr("AFL-2026-3"));
  EXPECT_EQ(Get(&a, "/api/archive/where/" + std::to_string(kept)).json["state"], "transferred");
  EXPECT_EQ(Post(&a, "/api/archive/move", {{"subject", kBox}, {"to", "RH-K-R12-H4"}}).status, 409);
}

}  // namespace
}  // namespace intake::web
