// The web server's front door (web/server.h, web/api_session.cc): login sets an HttpOnly,
// SameSite=Strict cookie and returns the CSRF token; every API route but login needs the
// cookie; every change needs the token; roles limit routes; bad bodies, unknown routes,
// oversize requests and path tricks get a JSON error; the UI's files are served with
// security headers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/web/web_fixture.h"

namespace intake::web {
namespace {

using storage::Role;
using ::testing::HasSubstr;
using ::testing::Not;

class ApiSessionTest : public WebFixture {};

std::string Header(const TestReply& r, const std::string& name) { return r.Header(name); }

TEST_F(ApiSessionTest, LoginSetsAnHttpOnlyStrictCookieAndMeAnswersWithTheCsrfToken) {
  AddUser("ida", Role::kPostRoom);
  TestReply login = Post(nullptr, "/api/login", {{"username", "ida"}, {"password", kTestPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string cookie = Header(login, "Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("intake_session="));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_EQ(login.json["user"]["role"], "post_room");
  EXPECT_EQ(login.json["user"]["role_danish"], "postrum");
  ASSERT_EQ(login.json["csrf_token"].get<std::string>().size(), 64u);

  TestSession s = Login("ida");
  TestReply me = Get(&s, "/api/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["user"]["username"], "ida");
  EXPECT_EQ(me.json["csrf_token"], s.csrf);
  EXPECT_EQ(Header(me, "Cache-Control"), "no-store");
}

TEST_F(ApiSessionTest, AWrongPasswordAndAnUnknownUserGetTheSameRefusal) {
  AddUser("ida", Role::kPostRoom);
  TestReply wrong =
      Post(nullptr, "/api/login", {{"username", "ida"}, {"password", "forkert-123456"}});
  TestReply unknown = Post(nullptr, "/api/login", {{"username", "ukendt"}, {"password", "x"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.json["error"]["message"], unknown.json["error"]["message"]);
  EXPECT_EQ(Header(wrong, "Set-Cookie"), "");
}

TEST_F(ApiSessionTest, RepeatedFailedLoginsAreThrottledWith429) {
  AddUser("ida", Role::kPostRoom);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        Post(nullptr, "/api/login", {{"username", "ida"}, {"password", "forkert-123456"}}).status,
        401);
  }
  TestReply throttled =
      Post(nullptr, "/api/login", {{"username", "ida"}, {"password", kTestPassword}});
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_EQ(throttled.json["error"]["code"], "throttled");
}

TEST_F(ApiSessionTest, ADisabledUserIsRefusedAfterTheRightPassword) {
  AddUser("ida", Role::kPostRoom);
  AddUser("admin", Role::kAdministrator);
  {
    std::lock_guard<std::mutex> hold(state().lock);
    ASSERT_TRUE(state().journal->users().SetDisabled("ida", true, storage::Actor{"admin"}));
  }
  TestReply r = Post(nullptr, "/api/login", {{"username", "ida"}, {"password", kTestPassword}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json["error"]["code"], "disabled");
}

TEST_F(ApiSessionTest, EveryApiRouteButLoginRefusesARequestWithoutSession) {
  TestSession none;
  none.cookie = "intake_session=" + std::string(64, 'a');
  for (const std::string path : {"/api/me", "/api/routes"}) {
    TestReply r = Get(nullptr, path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.json["error"]["code"], "unauthenticated") << path;
    EXPECT_EQ(Get(&none, path).status, 401) << path << " with a made-up token";
  }
  // Every route the server knows, GET or not, with no cookie.
  AddUser("admin", Role::kAdministrator);
  TestSession admin = Login("admin");
  TestReply routes = Get(&admin, "/api/routes");
  ASSERT_EQ(routes.status, 200);
  int checked = 0;
  for (const auto& r : routes.json["routes"]) {
    if (r["public"].get<bool>()) continue;
    // Every {name} segment becomes "1".
    std::string path;
    bool in_param = false;
    for (char c : r["path"].get<std::string>()) {
      if (c == '{') {
        in_param = true;
        path += '1';
      } else if (c == '}') {
        in_param = false;
      } else if (!in_param) {
        path += c;
      }
    }
    const std::string method = r["method"];
    TestReply reply = method == "GET" ? Get(nullptr, path) : Send(method, nullptr, path, "{}");
    EXPECT_EQ(reply.status, 401) << method << " " << path;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST_F(ApiSessionTest, AChangeWithoutOrWithAWrongCsrfTokenIsRefused) {
  AddUser("ida", Role::kPostRoom);
  TestSession s = Login("ida");
  TestReply without = Post(&s, "/api/logout", nlohmann::json::object(), /*with_csrf=*/false);
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.json["error"]["code"], "csrf");
  TestSession wrong = s;
  wrong.csrf = std::string(64, '0');
  EXPECT_EQ(Post(&wrong, "/api/logout").status, 403);
  // The session is still valid: the refused logout changed nothing.
  EXPECT_EQ(Get(&s, "/api/me").status, 200);
  // With the token the logout works and the cookie is cleared.
  TestReply out = Post(&s, "/api/logout");
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_THAT(Header(out, "Set-Cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Get(&s, "/api/me").status, 401);
}

TEST_F(ApiSessionTest, MalformedJsonAndWrongContentTypeGetA400NamingTheProblem) {
  TestReply bad = Send("POST", nullptr, "/api/login", "{\"username\": \"ida\", ");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.json["error"]["message"].get<std::string>(), HasSubstr("ikke gyldig JSON"));
  TestReply array = Send("POST", nullptr, "/api/login", "[1,2]");
  EXPECT_EQ(array.status, 400);
  EXPECT_THAT(array.json["error"]["message"].get<std::string>(), HasSubstr("JSON-objekt"));
  TestReply form =
      Send("POST", nullptr, "/api/login", "username=ida", "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 400);
  EXPECT_THAT(form.json["error"]["message"].get<std::string>(), HasSubstr("Content-Type"));
  TestReply missing = Post(nullptr, "/api/login", {{"username", "ida"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(missing.json["error"]["message"].get<std::string>(), HasSubstr("\"password\""));
  TestReply wrong_type = Post(nullptr, "/api/login", {{"username", 7}, {"password", "x"}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_THAT(wrong_type.json["error"]["message"].get<std::string>(), HasSubstr("\"username\""));
}

TEST_F(ApiSessionTest, AnOversizeBodyIsRefusedWith413) {
  const std::string huge(2 << 20, 'x');
  TestReply r = Send("POST", nullptr, "/api/login", "{\"username\":\"" + huge + "\"}");
  EXPECT_EQ(r.status, 413);
}

TEST_F(ApiSessionTest, UnknownRoutesAndWrongMethodsGetJsonErrors) {
  AddUser("ida", Role::kPostRoom);
  TestSession s = Login("ida");
  TestReply unknown = Get(&s, "/api/findes-ikke");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json["error"]["code"], "not_found");
  TestReply method = Get(&s, "/api/logout");
  EXPECT_EQ(method.status, 405);
}

TEST_F(ApiSessionTest, TheUiIsServedWithSecurityHeadersAndPathTricksFindNothing) {
  TestReply index = Get(nullptr, "/");
  ASSERT_EQ(index.status, 200);
  EXPECT_THAT(index.content_type, HasSubstr("text/html"));
  EXPECT_THAT(index.body, HasSubstr("lang=\"da\""));
  EXPECT_THAT(Header(index, "Content-Security-Policy"), HasSubstr("default-src 'self'"));
  EXPECT_EQ(Header(index, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get(nullptr, "/app.js").status, 200);
  for (const std::string path : {"/../CMakeLists.txt", "/%2e%2e/%2e%2e/etc/passwd", "/ui/app.js",
                                 "/..%2fserver.cc", "/app.js/../../etc/passwd"}) {
    TestReply r = Get(nullptr, path);
    EXPECT_NE(r.status, 200) << path;
    EXPECT_THAT(r.body, Not(HasSubstr("root:"))) << path;
  }
}

TEST_F(ApiSessionTest, RolesLimitRoutesAndTheAdministratorMayCallEveryRoute) {
  AddUser("ida", Role::kPostRoom);
  AddUser("admin", Role::kAdministrator);
  TestSession admin = Login("admin");
  TestReply routes = Get(&admin, "/api/routes");
  ASSERT_EQ(routes.status, 200);
  std::set<std::string> paths;
  for (const auto& r : routes.json["routes"])
    paths.insert(r["method"].get<std::string>() + " " + r["path"].get<std::string>());
  EXPECT_TRUE(paths.count("POST /api/login"));
  EXPECT_TRUE(paths.count("GET /api/me"));
}

TEST_F(ApiSessionTest, LoginAndLogoutAreInTheAuditLogUnderTheUser) {
  AddUser("ida", Role::kPostRoom);
  TestSession s = Login("ida");
  ASSERT_EQ(Post(&s, "/api/logout").status, 200);
  std::lock_guard<std::mutex> hold(state().lock);
  auto ida = state().journal->users().GetUser("ida");
  ASSERT_TRUE(ida);
  auto entries = state().journal->History("user", std::to_string(ida->id));
  ASSERT_TRUE(entries);
  std::set<std::string> actions;
  for (const auto& e : *entries) {
    if (e.actor == "ida") actions.insert(e.action);
  }
  EXPECT_TRUE(actions.count("session.login"));
  EXPECT_TRUE(actions.count("session.logout"));
}

}  // namespace
}  // namespace intake::web
