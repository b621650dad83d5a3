// The web API's routing, independent of the HTTP library: a route is a method, a path
// pattern with {name} segments, the roles that may call it and a handler from an
// ApiRequest to a Result<ApiReply>. web/server.cc adapts cpp-httplib to this; the API
// files (web/api_*.cc) only see these types, so they compile without the HTTP library's
// header and can be tested through the router as well as over a socket.
//
// Errors are the project's Error (base/error.h); the server maps them to HTTP statuses
// with HttpStatusFor and to a JSON body {"error": {"code", "message"}} with a Danish,
// CPR-masked message.
//
// Thread-safety: routes are added before the server starts; afterwards Match is const and
// may be called from any thread.
#ifndef INTAKE_WEB_ROUTER_H_
#define INTAKE_WEB_ROUTER_H_

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "storage/journal.h"
#include "storage/users.h"
#include "storage/viewer.h"

namespace intake::web {

enum class Method { kGet, kPost, kPut, kDelete };
std::string_view MethodName(Method method);

// Who is calling: the logged-in user, their session, what they may read and the name the
// audit log records for their changes.
struct Principal {
  storage::UserRecord user;
  storage::Session session;
  storage::Viewer viewer;
  storage::Actor actor;
};

struct ApiRequest {
  Method method = Method::kGet;
  std::string path;                               // decoded, without the query
  std::map<std::string, std::string> params;      // the {name} segments of the pattern
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::string body;
  std::string content_type;
  std::string remote_address;
  // The logged-in caller; null only for public routes (login, the static UI).
  const Principal* principal = nullptr;
  // The session cookie's token (for logout); "" on public routes.
  std::string session_token;

  // The first value of query parameter `key`, or `fallback`.
  std::string Query(const std::string& key, const std::string& fallback = "") const;
  // The path segment {key}; REQUIRES: the pattern has it.
  const std::string& Param(const std::string& key) const;
  // The body as a JSON object. kInvalidArgument "forespørgslens indhold er ikke gyldig
  // JSON …" (with the parser's position) for malformed JSON, for a body that is not an
  // object, or for a content type other than application/json.
  Result<nlohmann::json> JsonBody() const;
};

struct ApiReply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static ApiReply Json(const nlohmann::json& value, int status = 200);
  // Bytes of another type, e.g. a PDF or a PNG; `inline_name` (no path, no CPR) becomes
  // Content-Disposition: inline; filename="…" when not empty.
  static ApiReply Bytes(std::string body, std::string content_type,
                        const std::string& inline_name = "");
};

using Handler = std::function<Result<ApiReply>(const ApiRequest&)>;

struct Route {
  Method method = Method::kGet;
  std::string pattern;  // "/api/cases/{id}"
  // Roles that may call the route; empty: every logged-in user. Administrators may call
  // every route.
  std::vector<storage::Role> roles;
  // Public routes need no session (login, the UI's static files). Every other route
  // needs a valid session cookie, and every change (any method but GET) also the
  // session's CSRF token in the X-CSRF-Token header.
  bool is_public = false;
  // Routes run under the station's journal lock unless they take it themselves (long
  // work such as a scan, which must not hold up every other request).
  bool locks_itself = false;
  // One line for the API reference (GET /api/routes and web/API.md).
  std::string summary;
  Handler handler;
};

class Router {
 public:
  // REQUIRES: no other route has the same method and pattern.
  void Add(Route route);
  // The route for a method and a decoded path, filling `params`; nullptr when none. A
  // pattern segment {name} matches one non-empty segment.
  const Route* Match(Method method, const std::string& path,
                     std::map<std::string, std::string>* params) const;
  // True when some route has this path with another method (405 rather than 404).
  bool PathExists(const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The HTTP status of an error: invalid argument 400, not found 404, already exists 409,
// failed precondition 409, cancelled 409, unavailable 503, device busy 409, device error
// 502, I/O error, corruption and internal 500.
int HttpStatusFor(const Error& error);
// {"error": {"code": "not_found", "message": "…"}}, the message CPR-masked.
nlohmann::json ErrorJson(const Error& error);

// Convenience for handlers: true when the principal has one of `roles` (or is an
// administrator).
bool HasRole(const Principal& principal, const std::vector<storage::Role>& roles);

// Reads an optional string field: nullopt when absent or null; kInvalidArgument naming
// the field when it is there but not a string.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body,
                                                  const std::string& field);
// A required string field: kInvalidArgument naming the field when absent or not a string.
Result<std::string> RequiredString(const nlohmann::json& body, const std::string& field);
// A required integer field (JSON number without fraction).
Result<int64_t> RequiredInt(const nlohmann::json& body, const std::string& field);
// The text without surrounding blanks, or nullopt when absent or blank.
std::optional<std::string> NonBlank(const std::optional<std::string>& text);
// What happens to the paper original, from the body's optional object
// "original": {"disposition": keep|return|pending|destroy, "box"?, "approval"?,
// "approval_date"?}; nullopt when absent or empty (the configured default applies). An
// approval without a disposition means destroy. kInvalidArgument naming the field.
Result<std::optional<storage::OriginalDisposition>> OptionalOriginal(const nlohmann::json& body);
// A path segment or query value that must be a positive integer id; kInvalidArgument
// naming `what` otherwise.
Result<int64_t> ParseId(const std::string& text, const std::string& what);

}  // namespace intake::web

#endif  // INTAKE_WEB_ROUTER_H_
