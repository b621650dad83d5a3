// The cases, documents and search routes (web/api_cases.cc): the case list and view with
// masked parties and the originals' places, a document with its history, its PDF bytes,
// full-text search with marked snippets and filters, re-filing audited under the logged-in
// user, and restricted cases invisible (404, absent from list and search) to users outside
// their group.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/journal.h"
#include "tests/web/web_fixture.h"

namespace intake::web {
namespace {

using storage::Role;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPdf[] = "%PDF-1.7\n% intake test document\n";

class ApiCasesTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    if (HasFatalFailure()) return;
    std::lock_guard<std::mutex> hold(state().lock);
    storage::Journal& j = *state().journal;
    const storage::Actor actor{"opsaetning"};
    storage::NewCase a;
    a.system = "SBSYS";
    a.reference = "27.24.00-G01-1-26";
    a.title = "Byggetilladelse carport Vestergade 4";
    auto case_a =
        j.AddCaseWithParties(a,
                             {storage::NewCaseParty{storage::PartyKind::kPerson, "Åse Ørsted",
                                                    "010190-1238", "ansøger"}},
                             actor);
    ASSERT_TRUE(case_a) << case_a.error().ToString();
    case_a_ = case_a->id;

    storage::NewCase b;
    b.system = "SBSYS";
    b.reference = "27.24.00-G01-2-26";
    b.title = "Klage over naboens hegn";
    auto case_b = j.AddCase(b, actor);
    ASSERT_TRUE(case_b) << case_b.error().ToString();
    case_b_ = case_b->id;

    storage::NewCase r;
    r.system = "SBSYS";
    r.reference = "28.00.00-A00-9-26";
    r.title = "Anbringelse fortrolig";
    r.restricted = true;
    r.access_group = "boern";
    auto case_r = j.AddCase(r, actor);
    ASSERT_TRUE(case_r) << case_r.error().ToString();
    case_r_ = case_r->id;

    doc_carport_ = Journalise(case_a_, "Ansøgning om carport", "ansøgning", "2026-03-02",
                              "Kære kommune, jeg søger om tilladelse til en carport i skel.");
    doc_hegn_ = Journalise(case_b_, "Klage over hegn", "klage", "2026-05-10",
                           "Naboens hegn er for højt og skygger for min carport.");
    doc_notat_ = Journalise(case_a_, "Notat fra besigtigelse", "notat", "2026-06-20",
                            "Besigtigelse af grunden; carport placeret korrekt.");
    doc_secret_ = Journalise(case_r_, "Underretning", "brev", "2026-04-01",
                             "Fortrolig underretning om barnet og en carport.");
  }

  int64_t Journalise(int64_t case_id, const std::string& title, const std::string& type,
                     const std::string& received, const std::string& text) {
    storage::NewDocument d;
    d.case_id = case_id;
    d.title = title;
    d.doc_type = type;
    d.direction = storage::Direction::kIn;
    d.received_date = received;
    d.pages = {storage::DocumentPage{1, 1, false, 0, 0.0, 90.0, ""}};
    d.ocr_text = text;
    auto doc = state().journal->Journalise(d, std::string(kPdf) + title, storage::Actor{"ida"});
    EXPECT_TRUE(doc) << doc.error().ToString();
    return doc ? doc->id : 0;
  }

  TestReply Search(const TestSession& s, const nlohmann::json& body) {
    return Post(&s, "/api/search", body);
  }

  static std::vector<int64_t> HitIds(const TestReply& r) {
    std::vector<int64_t> ids;
    for (const auto& h : r.json["hits"]) ids.push_back(h["document_id"].get<int64_t>());
    return ids;
  }

  static bool ListHasCase(const TestReply& r, int64_t id) {
    for (const auto& c : r.json["cases"]) {
      if (c["id"] == id) return true;
    }
    return false;
  }

  int64_t case_a_ = 0, case_b_ = 0, case_r_ = 0;
  int64_t doc_carport_ = 0, doc_hegn_ = 0, doc_notat_ = 0, doc_secret_ = 0;
};

std::string Id(int64_t id) { return std::to_string(id); }

// ---- GET /api/cases ----

TEST_F(ApiCasesTest, CaseListShowsTheReadableCasesWithTotalAndFiltersByNumberOrTitle) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply all = Get(&s, "/api/cases");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json["total"], 2);
  EXPECT_TRUE(ListHasCase(all, case_a_));
  EXPECT_TRUE(ListHasCase(all, case_b_));
  EXPECT_EQ(all.json["cases"][0]["reference"], "27.24.00-G01-1-26");
  EXPECT_EQ(all.json["cases"][0]["status_danish"], "åben");

  TestReply by_title = Get(&s, "/api/cases?q=HEGN");
  ASSERT_EQ(by_title.status, 200) << by_title.body;
  ASSERT_EQ(by_title.json["cases"].size(), 1u);
  EXPECT_EQ(by_title.json["cases"][0]["id"], case_b_);

  TestReply by_number = Get(&s, "/api/cases?q=G01-1-26");
  ASSERT_EQ(by_number.json["cases"].size(), 1u);
  EXPECT_EQ(by_number.json["cases"][0]["id"], case_a_);

  TestReply danish = Get(&s, "/api/cases?q=%C3%A5%20ingen");  // "å ingen": nothing
  EXPECT_EQ(danish.json["total"], 0);
}

TEST_F(ApiCasesTest, CaseListPagesWithLimitAndOffsetAndFiltersByStatus) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply first = Get(&s, "/api/cases?limit=1&offset=0");
  TestReply second = Get(&s, "/api/cases?limit=1&offset=1");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json["cases"].size(), 1u);
  ASSERT_EQ(second.json["cases"].size(), 1u);
  EXPECT_EQ(first.json["total"], 2);
  EXPECT_NE(first.json["cases"][0]["id"], second.json["cases"][0]["id"]);
  EXPECT_EQ(Get(&s, "/api/cases?status=closed").json["total"], 0);
  EXPECT_EQ(Get(&s, "/api/cases?status=%C3%A5ben").json["total"], 2);  // "åben"
}

TEST_F(ApiCasesTest, CaseListRefusesACprLikeQueryAndBadNumbers) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply cpr = Get(&s, "/api/cases?q=010190-1238");
  EXPECT_EQ(cpr.status, 400);
  EXPECT_THAT(cpr.json["error"]["message"].get<std::string>(), HasSubstr("CPR"));
  EXPECT_THAT(cpr.body, Not(HasSubstr("1238")));
  EXPECT_EQ(Get(&s, "/api/cases?limit=0").status, 400);
  EXPECT_EQ(Get(&s, "/api/cases?limit=abc").status, 400);
  EXPECT_EQ(Get(&s, "/api/cases?offset=-1").status, 400);
  TestReply status = Get(&s, "/api/cases?status=slettet");
  EXPECT_EQ(status.status, 400);
  EXPECT_THAT(status.json["error"]["message"].get<std::string>(), HasSubstr("status"));
}

TEST_F(ApiCasesTest, EveryRouteNeedsALogin) {
  EXPECT_EQ(Get(nullptr, "/api/cases").status, 401);
  EXPECT_EQ(Get(nullptr, "/api/cases/" + Id(case_a_)).status, 401);
  EXPECT_EQ(Get(nullptr, "/api/documents/" + Id(doc_carport_)).status, 401);
  TestReply pdf = Get(nullptr, "/api/documents/" + Id(doc_carport_) + "/pdf");
  EXPECT_EQ(pdf.status, 401);
  EXPECT_THAT(pdf.body, Not(HasSubstr("%PDF")));
  EXPECT_EQ(Post(nullptr, "/api/search", {{"query", "carport"}}).status, 401);
  EXPECT_EQ(Post(nullptr, "/api/documents/" + Id(doc_carport_) + "/refile",
                 {{"to", "27.24.00-G01-2-26"}, {"reason", "forkert sag"}})
                .status,
            401);
}

// ---- GET /api/cases/{id} ----

TEST_F(ApiCasesTest, CaseViewHasMaskedPartiesAndTheDocumentOverview) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply r = Get(&s, "/api/cases/" + Id(case_a_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["reference"], "27.24.00-G01-1-26");
  EXPECT_EQ(r.json["title"], "Byggetilladelse carport Vestergade 4");
  ASSERT_EQ(r.json["parties"].size(), 1u);
  EXPECT_EQ(r.json["parties"][0]["name"], "Åse Ørsted");
  EXPECT_EQ(r.json["parties"][0]["number_masked"], "010190-XXXX");
  EXPECT_EQ(r.json["parties"][0]["role"], "ansøger");
  EXPECT_THAT(r.body, Not(HasSubstr("1238")));

  ASSERT_EQ(r.json["documents"].size(), 2u);
  const auto& first = r.json["documents"][0];
  EXPECT_EQ(first["id"], doc_carport_);
  EXPECT_EQ(first["doc_number"], 1);
  EXPECT_EQ(first["title"], "Ansøgning om carport");
  EXPECT_EQ(first["received_date"], "2026-03-02");
  EXPECT_EQ(first["direction"], "in");
  EXPECT_EQ(first["direction_danish"], "indgående");
  EXPECT_EQ(first["page_count"], 1);
  EXPECT_EQ(first["doc_type"], "ansøgning");
  EXPECT_EQ(first["original"]["state"], "no_original");
  EXPECT_FALSE(first["original_line"].get<std::string>().empty());
  EXPECT_EQ(first["pdf_url"], "/api/documents/" + Id(doc_carport_) + "/pdf");
  EXPECT_EQ(r.json["documents"][1]["doc_number"], 2);
  EXPECT_TRUE(r.json["notes"].is_array());
}

TEST_F(ApiCasesTest, CaseViewRefusesBadIdsAndAnswers404ForAnUnknownCase) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply abc = Get(&s, "/api/cases/abc");
  EXPECT_EQ(abc.status, 400);
  EXPECT_THAT(abc.json["error"]["message"].get<std::string>(), HasSubstr("id"));
  EXPECT_EQ(Get(&s, "/api/cases/-3").status, 400);
  EXPECT_EQ(Get(&s, "/api/cases/0").status, 400);
  EXPECT_EQ(Get(&s, "/api/cases/99999").status, 404);
  TestReply traversal = Get(&s, "/api/cases/../1");
  EXPECT_NE(traversal.status, 200);
  EXPECT_GE(traversal.status, 400);
}

// ---- GET /api/documents/{id} and its PDF ----

TEST_F(ApiCasesTest, DocumentShowsMetadataWhereaboutsAndHistory) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply r = Get(&s, "/api/documents/" + Id(doc_hegn_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["id"], doc_hegn_);
  EXPECT_EQ(r.json["title"], "Klage over hegn");
  EXPECT_EQ(r.json["doc_type"], "klage");
  EXPECT_EQ(r.json["case"]["reference"], "27.24.00-G01-2-26");
  EXPECT_EQ(r.json["ocr_text"], "Naboens hegn er for højt og skygger for min carport.");
  ASSERT_EQ(r.json["pages"].size(), 1u);
  EXPECT_EQ(r.json["original"]["state"], "no_original");
  ASSERT_GE(r.json["history"].size(), 1u);
  EXPECT_EQ(r.json["history"][0]["action"], "document.journalise");
  EXPECT_EQ(r.json["history"][0]["actor"], "ida");
  EXPECT_THAT(r.json["history"][0]["line"].get<std::string>(), HasSubstr("journaliseret"));
  EXPECT_TRUE(r.json["moves"].empty());
  EXPECT_FALSE(r.json.contains("pdf_path"));  // no server paths to the browser
}

TEST_F(ApiCasesTest, DocumentPdfIsTheStoredBytesInlineWithASafeName) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply r = Get(&s, "/api/documents/" + Id(doc_carport_) + "/pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(r.body.rfind("%PDF", 0), 0u);
  EXPECT_EQ(r.body, std::string(kPdf) + "Ansøgning om carport");
  const std::string disposition = r.Header("Content-Disposition");
  EXPECT_EQ(disposition, "inline; filename=\"dokument-" + Id(doc_carport_) + ".pdf\"");
  EXPECT_THAT(disposition, Not(HasSubstr("carport")));
}

TEST_F(ApiCasesTest, DocumentRoutesRefuseBadIdsAndUnknownDocuments) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  EXPECT_EQ(Get(&s, "/api/documents/abc").status, 400);
  EXPECT_EQ(Get(&s, "/api/documents/abc/pdf").status, 400);
  EXPECT_EQ(Get(&s, "/api/documents/1x/pdf").status, 400);
  EXPECT_EQ(Get(&s, "/api/documents/99999").status, 404);
  EXPECT_EQ(Get(&s, "/api/documents/99999/pdf").status, 404);
  for (const std::string path :
       {"/api/documents/../1/pdf", "/api/documents/..%2F1/pdf", "/api/documents/%2e%2e/pdf"}) {
    TestReply r = Get(&s, path);
    EXPECT_GE(r.status, 400) << path;
    EXPECT_THAT(r.body, Not(HasSubstr("%PDF"))) << path;
  }
}

// ---- restricted cases ----

TEST_F(ApiCasesTest, RestrictedCaseIsInvisibleWithoutTheGroupAndVisibleWithIt) {
  AddUser("sara", Role::kCaseworker);
  AddUser("bo", Role::kCaseworker, {"boern"});
  TestSession outsider = Login("sara");
  TestSession member = Login("bo");

  // Outside the group: exactly like a missing case.
  TestReply missing = Get(&outsider, "/api/cases/99999");
  TestReply hidden = Get(&outsider, "/api/cases/" + Id(case_r_));
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.json["error"]["code"], missing.json["error"]["code"]);
  EXPECT_THAT(hidden.body, Not(HasSubstr("Anbringelse")));
  EXPECT_EQ(Get(&outsider, "/api/documents/" + Id(doc_secret_)).status, 404);
  TestReply pdf = Get(&outsider, "/api/documents/" + Id(doc_secret_) + "/pdf");
  EXPECT_EQ(pdf.status, 404);
  EXPECT_THAT(pdf.body, Not(HasSubstr("%PDF")));
  EXPECT_FALSE(ListHasCase(Get(&outsider, "/api/cases"), case_r_));
  EXPECT_EQ(Get(&outsider, "/api/cases?q=Anbringelse").json["total"], 0);
  TestReply outside_search = Search(outsider, {{"query", "carport"}});
  ASSERT_EQ(outside_search.status, 200) << outside_search.body;
  EXPECT_THAT(HitIds(outside_search), Not(::testing::Contains(doc_secret_)));
  EXPECT_EQ(outside_search.json["total"], 3);
  EXPECT_EQ(Search(outsider, {{"query", "underretning"}}).json["total"], 0);
  EXPECT_EQ(Search(outsider, {{"query", "carport"}, {"case", "28.00.00-A00-9-26"}}).status, 404);

  // In the group: all of it.
  TestReply shown = Get(&member, "/api/cases/" + Id(case_r_));
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json["restricted"], true);
  ASSERT_EQ(shown.json["documents"].size(), 1u);
  EXPECT_EQ(Get(&member, "/api/documents/" + Id(doc_secret_)).status, 200);
  EXPECT_EQ(Get(&member, "/api/documents/" + Id(doc_secret_) + "/pdf").status, 200);
  EXPECT_TRUE(ListHasCase(Get(&member, "/api/cases"), case_r_));
  TestReply inside_search = Search(member, {{"query", "carport"}});
  EXPECT_THAT(HitIds(inside_search), ::testing::Contains(doc_secret_));
  EXPECT_EQ(inside_search.json["total"], 4);
}

// ---- POST /api/search ----

TEST_F(ApiCasesTest, SearchFindsAWordOfTheTextWithAMarkedSnippet) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply r = Search(s, {{"query", "skygger"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["total"], 1);
  EXPECT_EQ(r.json["total_exact"], true);
  ASSERT_EQ(r.json["hits"].size(), 1u);
  const auto& hit = r.json["hits"][0];
  EXPECT_EQ(hit["document_id"], doc_hegn_);
  EXPECT_EQ(hit["case_id"], case_b_);
  EXPECT_EQ(hit["case_reference"], "27.24.00-G01-2-26");
  EXPECT_EQ(hit["doc_number"], 1);
  EXPECT_EQ(hit["title"], "Klage over hegn");
  EXPECT_EQ(hit["received_date"], "2026-05-10");
  std::string marked, plain;
  for (const auto& part : hit["snippet_parts"]) {
    plain += part["text"].get<std::string>();
    if (part["hit"].get<bool>()) marked += part["text"].get<std::string>();
  }
  EXPECT_EQ(marked, "skygger");
  EXPECT_THAT(plain, HasSubstr("hegn er for højt og skygger"));
  EXPECT_THAT(r.body, Not(HasSubstr("\\u0002")));
}

TEST_F(ApiCasesTest, SearchSnippetMasksACprNumberEvenWhenItIsTheHit) {
  {
    std::lock_guard<std::mutex> hold(state().lock);
    Journalise(case_b_, "Brev med personnummer", "brev", "2026-07-01",
               "Vedr. personnummer 010190-1238 og hegnet mod vejen.");
  }
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  for (const char* q : {"personnummer", "010190"}) {
    TestReply r = Search(s, {{"query", q}});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json["hits"].size(), 1u) << q;
    EXPECT_THAT(r.body, Not(HasSubstr("1238"))) << q;
    EXPECT_THAT(r.body, HasSubstr("XXXXXX-XXXX")) << q;
  }
}

TEST_F(ApiCasesTest, SearchFiltersByCaseDatesAndTypeNarrowTheResults) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  ASSERT_EQ(Search(s, {{"query", "carport"}}).json["total"], 3);

  TestReply by_case = Search(s, {{"query", "carport"}, {"case", "27.24.00-G01-1-26"}});
  ASSERT_EQ(by_case.status, 200) << by_case.body;
  EXPECT_THAT(HitIds(by_case), ::testing::UnorderedElementsAre(doc_carport_, doc_notat_));

  TestReply by_dates =
      Search(s, {{"query", "carport"}, {"from", "2026-04-01"}, {"to", "2026-05-31"}});
  ASSERT_EQ(by_dates.status, 200) << by_dates.body;
  EXPECT_THAT(HitIds(by_dates), ::testing::ElementsAre(doc_hegn_));

  TestReply from_only = Search(s, {{"query", "carport"}, {"from", "2026-06-01"}});
  EXPECT_THAT(HitIds(from_only), ::testing::ElementsAre(doc_notat_));

  TestReply by_type = Search(s, {{"query", "carport"}, {"doc_type", "notat"}});
  ASSERT_EQ(by_type.status, 200) << by_type.body;
  EXPECT_THAT(HitIds(by_type), ::testing::ElementsAre(doc_notat_));

  TestReply empty_filters =
      Search(s, {{"query", "carport"}, {"case", ""}, {"from", ""}, {"doc_type", nullptr}});
  EXPECT_EQ(empty_filters.json["total"], 3);
}

TEST_F(ApiCasesTest, SearchPagesWithLimitAndOffset) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  std::vector<int64_t> seen;
  for (int offset = 0; offset < 3; ++offset) {
    TestReply page = Search(s, {{"query", "carport"}, {"limit", 1}, {"offset", offset}});
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.json["total"], 3);
    ASSERT_EQ(page.json["hits"].size(), 1u);
    seen.push_back(page.json["hits"][0]["document_id"].get<int64_t>());
  }
  EXPECT_THAT(seen, ::testing::UnorderedElementsAre(doc_carport_, doc_hegn_, doc_notat_));
  EXPECT_TRUE(Search(s, {{"query", "carport"}, {"limit", 2}, {"offset", 3}}).json["hits"].empty());
}

TEST_F(ApiCasesTest, SearchRefusesBadInputNamingTheField) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply malformed = Send("POST", &s, "/api/search", "{\"query\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.json["error"]["message"].get<std::string>(), HasSubstr("JSON"));
  EXPECT_EQ(Send("POST", &s, "/api/search", "query=carport", "text/plain").status, 400);

  TestReply missing = Search(s, nlohmann::json::object());
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(missing.json["error"]["message"].get<std::string>(), HasSubstr("query"));
  EXPECT_EQ(Search(s, {{"query", 12}}).status, 400);

  TestReply bad_from = Search(s, {{"query", "carport"}, {"from", "2.3.2026"}});
  EXPECT_EQ(bad_from.status, 400);
  EXPECT_THAT(bad_from.json["error"]["message"].get<std::string>(), HasSubstr("\"from\""));
  EXPECT_THAT(bad_from.json["error"]["message"].get<std::string>(), HasSubstr("ÅÅÅÅ-MM-DD"));
  TestReply bad_to = Search(s, {{"query", "carport"}, {"to", "2026-02-30"}});
  EXPECT_EQ(bad_to.status, 400);
  EXPECT_THAT(bad_to.json["error"]["message"].get<std::string>(), HasSubstr("\"to\""));
  EXPECT_EQ(Search(s, {{"query", "carport"}, {"from", "2026-06-01"}, {"to", "2026-01-01"}}).status,
            400);
  EXPECT_EQ(Search(s, {{"query", "carport"}, {"limit", 0}}).status, 400);
  EXPECT_EQ(Search(s, {{"query", "carport"}, {"limit", "5"}}).status, 400);
  EXPECT_EQ(Search(s, {{"query", "carport"}, {"offset", -1}}).status, 400);
  EXPECT_EQ(Search(s, {{"query", "carport"}, {"case", 7}}).status, 400);
  EXPECT_EQ(Search(s, {{"query", "\"uafsluttet"}}).status, 400);
  EXPECT_EQ(Search(s, {{"query", "   "}}).status, 400);
  EXPECT_EQ(Search(s, {{"query", "carport"}, {"case", "99.99.99-X00-0-00"}}).status, 404);
}

// ---- POST /api/documents/{id}/refile ----

TEST_F(ApiCasesTest, RefileMovesTheDocumentAndIsAuditedUnderTheLoggedInUser) {
  AddUser("sara", Role::kCaseworker);
  TestSession s = Login("sara");
  TestReply r = Post(&s, "/api/documents/" + Id(doc_notat_) + "/refile",
                     {{"to", "27.24.00-G01-2-26"}, {"reason", "Hører til klagesagen"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["document"]["case_id"], case_b_);
  EXPECT_EQ(r.json["document"]["doc_number"], 2);
  EXPECT_EQ(r.json["from_case"]["id"], case_a_);
  EXPECT_EQ(r.json["to_case"]["id"], case_b_);
  EXPECT_THAT(r.json["message"].get<std::string>(), HasSubstr("27.24.00-G01-2-26"));

  {
    std::lock_guard<std::mutex> hold(state().lock);
    auto history = state().journal->History("document", Id(doc_notat_));
    ASSERT_TRUE(history);
    ASSERT_FALSE(history->empty());
    EXPECT_EQ(history->back().action, "document.refile");
    EXPECT_EQ(history->back().actor, "sara");
  }
  TestReply doc = Get(&s, "/api/documents/" + Id(doc_notat_));
  ASSERT_EQ(doc.json["moves"].size(), 1u);
  EXPECT_EQ(doc.json["moves"][0]["actor"], "sara");
  EXPECT_EQ(doc.json["moves"][0]["reason"], "Hører til klagesagen");
  EXPECT_EQ(doc.json["history"].back()["action"], "document.refile");

  TestReply old_case = Get(&s, "/api/cases/" + Id(case_a_));
  ASSERT_EQ(old_case.json["notes"].size(), 1u);
  EXPECT_EQ(old_case.json["notes"][0]["actor"], "sara");
  EXPECT_THAT(old_case.json["notes"][0]["text"].get<std::string>(), HasSubstr("omjournaliseret"));
  EXPECT_EQ(old_case.json["documents"].size(), 1u);
  EXPECT_EQ(Get(&s, "/api/cases/" + Id(case_b_)).json["documents"].size(), 2u);
}

TEST_F(ApiCasesTest, RefileIsForCaseworkersAndManagersOnly) {
  AddUser("ida", Role::kPostRoom);
  AddUser("arne", Role::kArchivist);
  AddUser("mia", Role::kManager);
  const nlohmann::json body{{"to", "27.24.00-G01-2-26"}, {"reason", "forkert sag"}};
  TestSession post_room = Login("ida");
  TestReply refused = Post(&post_room, "/api/documents/" + Id(doc_notat_) + "/refile", body);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json["error"]["code"], "permission_denied");
  TestSession archivist = Login("arne");
  EXPECT_EQ(Post(&archivist, "/api/documents/" + Id(doc_notat_) + "/refile", body).status, 403);
  TestSession manager = Login("mia");
  EXPECT_EQ(Post(&manager, "/api/documents/" + Id(doc_notat_) + "/refile", body).status, 200);
  // The post room may still read and search.
  EXPECT_EQ(Get(&post_room, "/api/cases").status, 200);
}

TEST_F(ApiCasesTest, RefileRefusesBadInput) {
  AddUser("sara", Role::kCaseworker);
  AddUser("bo", Role::kCaseworker, {"boern"});
  TestSession s = Login("sara");
  const std::string path = "/api/documents/" + Id(doc_notat_) + "/refile";
  EXPECT_EQ(Send("POST", &s, path, "{not json").status, 400);
  TestReply no_reason = Post(&s, path, {{"to", "27.24.00-G01-2-26"}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_THAT(no_reason.json["error"]["message"].get<std::string>(), HasSubstr("reason"));
  EXPECT_EQ(Post(&s, path, {{"to", "27.24.00-G01-2-26"}, {"reason", "   "}}).status, 400);
  EXPECT_EQ(Post(&s, path, {{"to", 5}, {"reason", "x"}}).status, 400);
  EXPECT_EQ(Post(&s, path, {{"to", "99.99.99"}, {"reason", "forkert sag"}}).status, 404);
  EXPECT_EQ(Post(&s, path, {{"to", "27.24.00-G01-1-26"}, {"reason", "samme sag"}}).status, 409);
  EXPECT_EQ(Post(&s, "/api/documents/abc/refile", {{"to", "x"}, {"reason", "y"}}).status, 400);
  // Without the CSRF token: refused before anything changes.
  EXPECT_EQ(Post(&s, path, {{"to", "27.24.00-G01-2-26"}, {"reason", "x"}}, false).status, 403);
  // A restricted document or target the user may not see: not found.
  EXPECT_EQ(Post(&s, "/api/documents/" + Id(doc_secret_) + "/refile",
                 {{"to", "27.24.00-G01-2-26"}, {"reason", "forkert sag"}})
                .status,
            404);
  EXPECT_EQ(Post(&s, path, {{"to", "28.00.00-A00-9-26"}, {"reason", "forkert sag"}}).status, 404);
  TestReply still = Get(&s, "/api/documents/" + Id(doc_notat_));
  EXPECT_EQ(still.json["case_id"], case_a_);
}

}  // namespace
}  // namespace intake::web
