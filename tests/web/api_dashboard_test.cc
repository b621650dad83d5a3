// The manager dashboard (web/api_dashboard.cc, web/dashboard.h): batches waiting by working
// days since their received date with the late ones marked, title findings on journalised
// documents (CPR-masked examples, restricted cases left out), re-filings, documents
// journalised per operator and day; only managers (and administrators) may see it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "base/danish_ids.h"
#include "station/batch_plan.h"
#include "station/title_check.h"
#include "storage/page_spool.h"
#include "tests/web/web_fixture.h"
#include "web/dashboard.h"

namespace intake::web {
namespace {

using nlohmann::json;
using storage::Role;
using ::testing::HasSubstr;

// Titles whose findings the test knows: checked as a precondition in each test.
constexpr char kGoodTitle1[] =
    "Brev fra Mette Jensen af 11. januar 2026 om klage over afslag på boligstøtte";
constexpr char kGoodTitle2[] = "Ansøgning fra Ole Hansen af 3. marts 2026 om tilskud til briller";
constexpr char kVagueTitle[] = "Diverse";
constexpr char kFileNameTitle[] = "IMG_1234";

std::string Today() {
  const auto d = LocalToday();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

class ApiDashboardTest : public WebFixture {
 protected:
  storage::CaseRecord AddCase(const std::string& reference, bool restricted = false) {
    std::lock_guard<std::mutex> hold(state().lock);
    storage::NewCase c;
    c.system = "SBSYS";
    c.reference = reference;
    c.title = "Sag om boligstøtte";
    c.restricted = restricted;
    if (restricted) c.access_group = "familie-følsom";
    auto r = state().journal->AddCase(c, storage::Actor{"test"});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : storage::CaseRecord{};
  }

  storage::DocumentRecord Journalise(int64_t case_id, const std::string& title,
                                     const std::string& actor) {
    std::lock_guard<std::mutex> hold(state().lock);
    storage::NewDocument d;
    d.case_id = case_id;
    d.title = title;
    d.received_date = "2026-11-20";
    d.pages = {storage::DocumentPage{1, 1, false, 0, 0, 90.0, ""}};
    d.ocr_text = "Kære kommune";
    auto r = state().journal->Journalise(d, "%PDF-" + title + actor, storage::Actor{actor});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : storage::DocumentRecord{};
  }

  // A spool batch received on `received` with `pages` pages and, when `documents` > 0, a
  // plan of that many documents of which the first `journalised` are journalised.
  void AddBatch(const std::string& name, const std::string& received, int pages, int documents,
                int journalised) {
    std::lock_guard<std::mutex> hold(state().lock);
    auto id =
        state().spool->CreateBatch(storage::BatchInfo{name, "scanner", "test:0", "ida", received});
    ASSERT_TRUE(id) << id.error().ToString();
    for (int i = 1; i <= pages; ++i) {
      storage::SpooledPage p;
      p.sheet = i;
      p.side = "front";
      auto added = state().spool->AddPage(*id, p, "png-bytes-" + std::to_string(i), "png");
      ASSERT_TRUE(added) << added.error().ToString();
    }
    if (documents == 0) return;
    station::BatchPlan plan;
    plan.batch_id = *id;
    for (int n = 1; n <= documents; ++n) {
      station::PlanDocument d;
      d.number = n;
      if (n <= journalised) d.journal_document_id = 1000 + n;
      plan.documents.push_back(d);
    }
    ASSERT_TRUE(station::SavePlan(state().spool->BatchDir(*id), plan));
  }

  json Figures(std::chrono::year_month_day today, int days = 30) {
    std::lock_guard<std::mutex> hold(state().lock);
    DashboardOptions options;
    options.today = today;
    options.days = days;
    auto figures = DashboardJson(state(), storage::Viewer::Everyone("leder"), options);
    EXPECT_TRUE(figures) << figures.error().ToString();
    return figures ? *figures : json();
  }

  // The title check's findings for `title` as rule names (precondition of the tests).
  static std::vector<std::string> Rules(const std::string& title) {
    std::vector<std::string> out;
    for (const auto& p : station::CheckTitle(title, config::Defaults().titles).problems) {
      out.emplace_back(station::TitleRuleName(p.rule));
    }
    return out;
  }
};

TEST_F(ApiDashboardTest, GroupsWaitingBatchesByWorkingDaysAndMarksThoseOlderThanOneAsLate) {
  // Thursday 26 November 2026. Received Wednesday: 0 working days have passed; Tuesday: 1
  // (Wednesday); Friday the 20th: 3 (Monday to Wednesday), late.
  AddBatch("Morgenpost torsdag", "2026-11-26", 1, 2, 0);
  AddBatch("Morgenpost onsdag", "2026-11-25", 2, 0, 0);  // not yet proposed
  AddBatch("Morgenpost tirsdag", "2026-11-24", 3, 3, 1);
  AddBatch("Morgenpost fredag", "2026-11-20", 4, 1, 0);
  AddBatch("Færdig torsdag", "2026-11-19", 5, 2, 2);  // all journalised: not waiting

  const json f = Figures(std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::November,
                                                     std::chrono::day{26}});
  const json& w = f["waiting"];
  EXPECT_EQ(f["today"], "2026-11-26");
  EXPECT_EQ(w["max_working_days"], 1);
  EXPECT_EQ(w["batches"], 4);
  EXPECT_EQ(w["documents"], 2 + 0 + 2 + 1);
  EXPECT_EQ(w["late_batches"], 1);
  EXPECT_EQ(w["late_documents"], 1);
  ASSERT_EQ(w["by_age"].size(), 3u) << w.dump();
  EXPECT_EQ(
      w["by_age"][0],
      (json{{"working_days", 0}, {"batches", 2}, {"documents", 2}, {"pages", 3}, {"late", false}}));
  EXPECT_EQ(
      w["by_age"][1],
      (json{{"working_days", 1}, {"batches", 1}, {"documents", 2}, {"pages", 3}, {"late", false}}));
  EXPECT_EQ(
      w["by_age"][2],
      (json{{"working_days", 3}, {"batches", 1}, {"documents", 1}, {"pages", 4}, {"late", true}}));
  ASSERT_EQ(w["late"].size(), 1u);
  EXPECT_EQ(w["late"][0]["name"], "Morgenpost fredag");
  EXPECT_EQ(w["late"][0]["received_date"], "2026-11-20");
  EXPECT_EQ(w["late"][0]["working_days"], 3);
  EXPECT_EQ(w["late"][0]["documents_open"], 1);
}

TEST_F(ApiDashboardTest, CountsAHolidayAsNoWorkingDay) {
  // Received Tuesday 23 December 2025; on Monday 29 December no working day has passed:
  // the 24th is an office closing day, the 25th and 26th are holidays, then the weekend.
  AddBatch("Julepost", "2025-12-23", 1, 1, 0);
  const json f = Figures(std::chrono::year_month_day{std::chrono::year{2025}, std::chrono::December,
                                                     std::chrono::day{29}});
  ASSERT_EQ(f["waiting"]["by_age"].size(), 1u);
  EXPECT_EQ(f["waiting"]["by_age"][0]["working_days"], 0);
  EXPECT_EQ(f["waiting"]["late_batches"], 0);
}

TEST_F(ApiDashboardTest, ReportsTitleFindingsRefilingsAndThroughputOfTheLoggedInManager) {
  ASSERT_TRUE(Rules(kGoodTitle1).empty());
  ASSERT_TRUE(Rules(kGoodTitle2).empty());
  // "Diverse" is both too short and vague: one document, two findings.
  ASSERT_EQ(Rules(kVagueTitle), (std::vector<std::string>{"for_kort", "intetsigende"}));
  ASSERT_EQ(Rules(kFileNameTitle), (std::vector<std::string>{"for_kort", "filnavn"}));
  const std::string file_rule = "filnavn";

  const storage::CaseRecord a = AddCase("27.24.00-G01-1-26");
  const storage::CaseRecord b = AddCase("27.24.00-G01-2-26");
  const storage::CaseRecord secret = AddCase("27.24.00-G01-3-26", /*restricted=*/true);
  Journalise(a.id, kGoodTitle1, "anna");
  Journalise(a.id, kVagueTitle, "anna");
  const storage::DocumentRecord moved = Journalise(a.id, kGoodTitle2, "anna");
  Journalise(b.id, kFileNameTitle, "bo");
  Journalise(b.id, kGoodTitle1, "bo");       // (the journal refuses a title with a CPR number)
  Journalise(secret.id, kVagueTitle, "bo");  // on a case the manager may not read
  {
    std::lock_guard<std::mutex> hold(state().lock);
    auto r = state().journal->Refile(moved.id, b.id, "Forkert sag: borgeren har sagen 2-26",
                                     storage::Actor{"carl"});
    ASSERT_TRUE(r) << r.error().ToString();
  }

  AddUser("lene", Role::kManager);
  TestSession s = Login("lene");
  TestReply r = Get(&s, "/api/dashboard?dage=7");
  ASSERT_EQ(r.status, 200) << r.body;
  const json& f = r.json;
  EXPECT_EQ(f["today"], Today());
  EXPECT_EQ(f["days"], 7);

  const json& t = f["titles"];
  EXPECT_EQ(t["checked"], 5);  // the restricted case's document is left out
  EXPECT_EQ(t["flagged"], 2);
  ASSERT_EQ(t["findings"].size(), 3u) << t.dump();
  EXPECT_EQ(t["findings"][0]["rule"], "for_kort");  // the most frequent first
  std::map<std::string, json> by_rule;
  for (const json& finding : t["findings"]) by_rule[finding["rule"]] = finding;
  ASSERT_TRUE(by_rule.count("intetsigende"));
  const json& vague = by_rule["intetsigende"];
  EXPECT_EQ(vague["documents"], 1);
  EXPECT_EQ(vague["label"], "Intetsigende titel");
  ASSERT_EQ(vague["examples"].size(), 1u);
  EXPECT_EQ(vague["examples"][0]["title"], kVagueTitle);
  EXPECT_EQ(vague["examples"][0]["case"], "SBSYS 27.24.00-G01-1-26");
  EXPECT_EQ(vague["examples"][0]["number"], 2);
  EXPECT_FALSE(vague["examples"][0]["message"].get<std::string>().empty());
  EXPECT_EQ(by_rule["for_kort"]["documents"], 2);
  EXPECT_EQ(by_rule["for_kort"]["label"], "For kort");
  EXPECT_EQ(by_rule[file_rule]["documents"], 1);
  EXPECT_EQ(by_rule[file_rule]["examples"][0]["title"], kFileNameTitle);
  EXPECT_EQ(by_rule[file_rule]["examples"][0]["number"], 1);
  EXPECT_EQ(by_rule[file_rule]["examples"][0]["case"], "SBSYS 27.24.00-G01-2-26");

  const json& m = f["refilings"];
  EXPECT_EQ(m["count"], 1);
  EXPECT_EQ(m["by_actor"], (json::array({{{"actor", "carl"}, {"count", 1}}})));
  ASSERT_EQ(m["latest"].size(), 1u);
  EXPECT_EQ(m["latest"][0]["document_id"], moved.id);
  EXPECT_EQ(m["latest"][0]["from_case"], "SBSYS 27.24.00-G01-1-26");
  EXPECT_EQ(m["latest"][0]["from_number"], 3);
  EXPECT_EQ(m["latest"][0]["to_case"], "SBSYS 27.24.00-G01-2-26");
  EXPECT_EQ(m["latest"][0]["to_number"], 3);
  EXPECT_EQ(m["latest"][0]["actor"], "carl");
  EXPECT_EQ(m["latest"][0]["reason"], "Forkert sag: borgeren har sagen 2-26");

  const json& p = f["throughput"];
  ASSERT_EQ(p["days"].size(), 7u);
  EXPECT_EQ(p["days"][6], Today());
  EXPECT_EQ(p["total"], 6);  // every journalised document counts, whatever its case
  EXPECT_EQ(p["per_day"][6], 6);
  EXPECT_EQ(p["per_day"][0], 0);
  ASSERT_EQ(p["operators"].size(), 2u);
  EXPECT_EQ(p["operators"][0]["actor"], "anna");  // 3 each: by name
  EXPECT_EQ(p["operators"][0]["total"], 3);
  EXPECT_EQ(p["operators"][0]["per_day"][6], 3);
  EXPECT_EQ(p["operators"][1]["actor"], "bo");
  EXPECT_EQ(p["operators"][1]["total"], 3);
}

TEST_F(ApiDashboardTest, AnEmptyStationAnswersWithZeros) {
  AddUser("lene", Role::kManager);
  TestSession s = Login("lene");
  TestReply r = Get(&s, "/api/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["days"], 30);
  EXPECT_EQ(r.json["waiting"]["batches"], 0);
  EXPECT_TRUE(r.json["waiting"]["by_age"].empty());
  EXPECT_EQ(r.json["titles"]["checked"], 0);
  EXPECT_TRUE(r.json["titles"]["findings"].empty());
  EXPECT_EQ(r.json["refilings"]["count"], 0);
  EXPECT_EQ(r.json["throughput"]["total"], 0);
  EXPECT_EQ(r.json["throughput"]["days"].size(), 30u);
}

TEST_F(ApiDashboardTest, AnAdministratorMaySeeTheDashboard) {
  AddUser("root", Role::kAdministrator);
  TestSession s = Login("root");
  EXPECT_EQ(Get(&s, "/api/dashboard").status, 200);
}

TEST_F(ApiDashboardTest, RefusesAPeriodThatIsNotOneTo366Days) {
  AddUser("lene", Role::kManager);
  TestSession s = Login("lene");
  for (const std::string bad : {"0", "-3", "abc", "367", "7.5", "1e3"}) {
    TestReply r = Get(&s, "/api/dashboard?dage=" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_THAT(r.json["error"]["message"].get<std::string>(), HasSubstr("dage")) << bad;
  }
}

TEST_F(ApiDashboardTest, RefusesWithoutASession) {
  TestReply r = Get(nullptr, "/api/dashboard");
  EXPECT_EQ(r.status, 401) << r.body;
}

TEST_F(ApiDashboardTest, RefusesThePostRoomAndCaseworkers) {
  AddUser("ida", Role::kPostRoom);
  AddUser("sara", Role::kCaseworker);
  for (const std::string name : {"ida", "sara"}) {
    TestSession s = Login(name);
    TestReply r = Get(&s, "/api/dashboard");
    EXPECT_EQ(r.status, 403) << name << ": " << r.body;
  }
}

}  // namespace
}  // namespace intake::web
