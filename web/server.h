// WebServer: `station serve`'s HTTP server (cpp-httplib) for the browser UI and its JSON
// API (web/API.md).
//
//   - static files of the UI (web/ui/, embedded in the program at build time) at / ;
//   - the API under /api/, routed by web/router.h; every route but login needs the session
//     cookie, and every change also the session's CSRF token (X-CSRF-Token header);
//   - request bodies are JSON (Content-Type: application/json) of at most
//     ServerOptions::max_body_bytes; larger bodies are refused with 413;
//   - answers carry security headers (Content-Security-Policy 'self', nosniff, no
//     framing by other sites, no referrer) and API answers are never cached;
//   - one log line per request (method, path with CPR numbers masked, status, time).
//
// Thread-safety: Start/Stop from one thread; requests run on the server's worker threads,
// serialised on StationState::lock (see web/station_state.h).
#ifndef INTAKE_WEB_SERVER_H_
#define INTAKE_WEB_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "base/result.h"
#include "web/router.h"
#include "web/station_state.h"

namespace intake::web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  // Largest request body. JSON requests are small; uploads of scans go through the
  // scan-to-folder directory, not the browser.
  size_t max_body_bytes = 1 << 20;
  int threads = 8;
  // Adds "Secure" to the session cookie (when the station is behind an HTTPS proxy).
  bool secure_cookie = false;
};

// The session cookie's name.
inline constexpr const char* kSessionCookie = "intake_session";
// The header that carries the CSRF token on every change.
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

class WebServer {
 public:
  // Builds the router with every route group. `state` must outlive the server.
  WebServer(StationState& state, ServerOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds the address; returns the port (useful with port 0). kUnavailable naming the
  // address when it cannot be bound (in use, no permission).
  Result<int> Bind();
  // Serves until Stop; call after Bind. Blocks.
  void Serve();
  // Bind, then Serve on a thread of its own (tests).
  Result<int> StartInBackground();
  void Stop();

  const Router& router() const { return router_; }

 private:
  struct Impl;
  StationState& state_;
  ServerOptions options_;
  Router router_;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace intake::web

#endif  // INTAKE_WEB_SERVER_H_
