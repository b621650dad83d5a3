// Login, logout, who am I, and the list of routes (web/routes.h).
#include <string>

#include "station/journal_access.h"
#include "storage/users.h"
#include "web/routes.h"
#include "web/server.h"

namespace intake::web {
namespace {

std::string SessionCookie(const std::string& token, bool secure, bool clear) {
  std::string cookie = std::string(kSessionCookie) + "=" + (clear ? "" : token) +
                       "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) cookie += "; Max-Age=0";
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

void AddSessionRoutes(Router& router, StationState& state) {
  router.Add(Route{
      Method::kPost,
      "/api/login",
      {},
      /*is_public=*/true,
      false,
      "Log ind: {username, password} → brugeren og sessionens CSRF-nøgle; sætter "
      "sessionscookien (HttpOnly, SameSite=Strict)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(nlohmann::json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::string username, RequiredString(body, "username"));
        INTAKE_ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
        Result<storage::LoginResult> login =
            state.journal->users().Login(username, password, req.remote_address);
        if (!login) {
          const Error& e = login.error();
          const int status = e.code() == ErrorCode::kUnavailable          ? 429
                             : e.code() == ErrorCode::kFailedPrecondition ? 403
                                                                          : 401;
          const std::string code = status == 429   ? "throttled"
                                   : status == 403 ? "disabled"
                                                   : "login_failed";
          return ApiReply::Json(
              nlohmann::json{{"error", {{"code", code}, {"message", e.message()}}}}, status);
        }
        ApiReply reply = ApiReply::Json(nlohmann::json{{"user", station::UserToJson(login->user)},
                                                       {"csrf_token", login->session.csrf_token}});
        reply.headers.emplace_back("Set-Cookie",
                                   SessionCookie(login->token, state.secure_cookie, false));
        return reply;
      }});
  router.Add(Route{Method::kPost,
                   "/api/logout",
                   {},
                   false,
                   false,
                   "Log ud: afslutter sessionen og sletter cookien",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_RETURN_IF_ERROR(state.journal->users().Logout(req.session_token));
                     ApiReply reply = ApiReply::Json(nlohmann::json{{"logged_out", true}});
                     reply.headers.emplace_back("Set-Cookie",
                                                SessionCookie("", state.secure_cookie, true));
                     return reply;
                   }});
  router.Add(Route{Method::kGet,
                   "/api/me",
                   {},
                   false,
                   false,
                   "Den indloggede bruger, rolle, adgangsgrupper og sessionens CSRF-nøgle",
                   [](const ApiRequest& req) -> Result<ApiReply> {
                     return ApiReply::Json(
                         nlohmann::json{{"user", station::UserToJson(req.principal->user)},
                                        {"csrf_token", req.principal->session.csrf_token},
                                        {"session_expires", req.principal->session.expires}});
                   }});
  const Router* routes = &router;
  router.Add(Route{Method::kGet,
                   "/api/routes",
                   {},
                   false,
                   false,
                   "API'ets ruter med metode, roller og beskrivelse",
                   [routes](const ApiRequest&) -> Result<ApiReply> {
                     nlohmann::json list = nlohmann::json::array();
                     for (const Route& r : routes->routes()) {
                       nlohmann::json roles = nlohmann::json::array();
                       for (storage::Role role : r.roles) {
                         roles.push_back(std::string(storage::RoleName(role)));
                       }
                       list.push_back({{"method", std::string(MethodName(r.method))},
                                       {"path", r.pattern},
                                       {"public", r.is_public},
                                       {"roles", roles},
                                       {"summary", r.summary}});
                     }
                     return ApiReply::Json(nlohmann::json{{"routes", list}});
                   }});
}

}  // namespace intake::web
