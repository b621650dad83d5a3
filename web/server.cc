#include "web/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <exception>
#include <utility>

#include "base/cpr_mask.h"
#include "base/log.h"
#include "web/assets.h"
#include "web/routes.h"

namespace intake::web {
namespace {

std::optional<Method> ToMethod(const std::string& m) {
  if (m == "GET" || m == "HEAD") return Method::kGet;
  if (m == "POST") return Method::kPost;
  if (m == "PUT") return Method::kPut;
  if (m == "DELETE") return Method::kDelete;
  return std::nullopt;
}

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const size_t end = std::min(header.find(';', pos), header.size());
    const std::string pair = header.substr(pos, end - pos);
    const size_t eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    pos = end + 1;
  }
  return "";
}

void SetSecurityHeaders(httplib::Response& res, bool api) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data: blob:; object-src 'self'; "
                 "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "SAMEORIGIN");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", api ? "no-store" : "no-cache");
}

void WriteError(httplib::Response& res, int status, std::string_view code,
                const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", {{"code", code}, {"message", MaskCpr(message)}}}}.dump(),
                  "application/json; charset=utf-8");
}

}  // namespace

struct WebServer::Impl {
  httplib::Server http;
  int port = 0;
};

WebServer::WebServer(StationState& state, ServerOptions options)
    : state_(state), options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  state_.secure_cookie = options_.secure_cookie;
  AddSessionRoutes(router_, state_);
  AddBatchRoutes(router_, state_);
  AddCaseRoutes(router_, state_);
  AddArchiveRoutes(router_, state_);
  AddDashboardRoutes(router_, state_);
  AddScanRoutes(router_, state_);

  httplib::Server& http = impl_->http;
  http.set_payload_max_length(options_.max_body_bytes);
  const int threads = options_.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_keep_alive_max_count(100);
  // No Nagle delay: httplib writes the headers and the body of an answer separately, and
  // with Nagle the body waits for the client's delayed ACK of the headers (40 ms on Linux).
  // Accepted sockets inherit TCP_NODELAY from the listening socket on Linux.
  http.set_socket_options([](socket_t sock) {
    httplib::default_socket_options(sock);
    int yes = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });
  http.set_read_timeout(30, 0);
  http.set_write_timeout(60, 0);

  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    const bool api = req.path.rfind("/api/", 0) == 0;
    SetSecurityHeaders(res, api);
    if (!api) {
      const Asset* asset = FindAsset(req.path);
      if (asset == nullptr || (req.method != "GET" && req.method != "HEAD")) {
        res.status = 404;
        res.set_content("Siden findes ikke.", "text/plain; charset=utf-8");
      } else {
        res.set_content(std::string(asset->body), std::string(asset->content_type));
      }
      return;
    }
    std::optional<Method> method = ToMethod(req.method);
    ApiRequest request;
    const Route* route = nullptr;
    if (method) {
      request.method = *method;
      route = router_.Match(*method, req.path, &request.params);
    }
    if (route == nullptr) {
      if (router_.PathExists(req.path)) {
        WriteError(res, 405, "method_not_allowed",
                   "metoden " + req.method + " er ikke tilladt her");
      } else {
        WriteError(res, 404, "not_found", "API-adressen findes ikke");
      }
      return;
    }
    request.path = req.path;
    for (const auto& [k, v] : req.params) request.query.emplace(k, v);
    request.body = req.body;
    request.content_type = req.get_header_value("Content-Type");
    request.remote_address = req.remote_addr;

    std::unique_lock<std::mutex> lock(state_.lock);
    Principal principal;
    if (!route->is_public) {
      const std::string token = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
      if (token.empty()) {
        WriteError(res, 401, "unauthenticated", "log ind for at bruge stationen");
        return;
      }
      Result<storage::AuthenticatedSession> auth = state_.journal->users().Authenticate(token);
      if (!auth) {
        WriteError(res, 401, "unauthenticated", "sessionen er udløbet eller ugyldig; log ind igen");
        return;
      }
      principal.user = std::move(auth->user);
      principal.session = std::move(auth->session);
      principal.viewer = storage::ViewerFor(principal.user);
      principal.actor = storage::Actor{principal.user.username};
      if (request.method != Method::kGet &&
          !storage::CsrfMatches(principal.session, req.get_header_value(kCsrfHeader))) {
        WriteError(res, 403, "csrf",
                   "ændringen mangler sessionens CSRF-nøgle; genindlæs siden og prøv igen");
        return;
      }
      if (!HasRole(principal, route->roles)) {
        WriteError(res, 403, "permission_denied",
                   "din rolle (" + std::string(storage::RoleDanish(principal.user.role)) +
                       ") må ikke dette");
        return;
      }
      request.principal = &principal;
      request.session_token = token;
    }
    if (route->locks_itself) lock.unlock();

    Result<ApiReply> reply = Error(ErrorCode::kInternal, "ingen svar");
    try {
      reply = route->handler(request);
    } catch (const std::exception& e) {
      LOG(kError) << "web: " << req.method << " " << req.path << ": " << e.what();
      reply = Error(ErrorCode::kInternal, "intern fejl i stationen; se stationens log");
    }
    if (lock.owns_lock()) lock.unlock();
    if (reply) {
      res.status = reply->status;
      for (const auto& [k, v] : reply->headers) res.set_header(k, v);
      res.set_content(std::move(reply->body), reply->content_type);
    } else {
      res.status = HttpStatusFor(reply.error());
      res.set_content(ErrorJson(reply.error()).dump(), "application/json; charset=utf-8");
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    LOG(kDebug) << "web: " << req.method << " " << req.path << " " << res.status << " "
                << static_cast<int>(ms) << " ms";
  };
  for (const char* pattern : {"/.*", "/"}) {
    http.Get(pattern, dispatch);
    http.Post(pattern, dispatch);
    http.Put(pattern, dispatch);
    http.Delete(pattern, dispatch);
  }
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // httplib's own refusals (413 for an oversize body, 400 for a bad request line).
    if (res.status == 413) {
      SetSecurityHeaders(res, true);
      WriteError(res, 413, "payload_too_large",
                 "forespørgslen er for stor; send mindre data ad gangen");
    } else if (res.body.empty() && res.status >= 400) {
      SetSecurityHeaders(res, req.path.rfind("/api/", 0) == 0);
      WriteError(res, res.status, "bad_request", "forespørgslen kunne ikke læses");
    }
  });
}

WebServer::~WebServer() { Stop(); }

Result<int> WebServer::Bind() {
  const int port =
      options_.port == 0
          ? impl_->http.bind_to_any_port(options_.host)
          : (impl_->http.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port <= 0) {
    return Error(ErrorCode::kUnavailable,
                 "kan ikke lytte på " + options_.host + ":" + std::to_string(options_.port) +
                     " (er adressen i brug? vælg en anden med --listen VÆRT:PORT)");
  }
  impl_->port = port;
  return port;
}

void WebServer::Serve() { impl_->http.listen_after_bind(); }

Result<int> WebServer::StartInBackground() {
  INTAKE_ASSIGN_OR_RETURN(int port, Bind());
  thread_ = std::thread([this] { Serve(); });
  // Serve() sets is_running once it accepts; requests sent before then would wait in the
  // listen queue anyway, so this only keeps Stop() from racing a server not yet running.
  for (int i = 0; i < 500 && !impl_->http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return port;
}

void WebServer::Stop() {
  if (impl_) impl_->http.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace intake::web
