#include "web/serve_command.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <chrono>
#include <memory>
#include <ostream>
#include <thread>

#include "station/interrupt.h"
#include "station/journal_access.h"
#include "web/server.h"

namespace intake::web {

Result<ListenAddress> ParseListen(const std::string& text) {
  ListenAddress out{"127.0.0.1", 0};
  std::string port_text = text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find("]:");
    if (close == std::string::npos) {
      return Error(ErrorCode::kInvalidArgument, "--listen: skriv en IPv6-adresse som [::1]:8080");
    }
    out.host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (const size_t colon = text.rfind(':'); colon != std::string::npos) {
    if (colon > 0) out.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  int port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535 ||
      out.host.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "--listen \"" + text + "\" er ikke VÆRT:PORT (fx 127.0.0.1:8080)");
  }
  out.port = port;
  return out;
}

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  bool secure_cookie = false;
  int threads = 8;
};

station::ExitCode RunServe(station::CommandContext& ctx, const ServeOptions& opts) {
  Result<ListenAddress> address = ParseListen(opts.listen);
  if (!address) return ctx.Fail(address.error());
  Result<station::JournalSession> session = station::OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Result<bool> has_admin = session->journal->users().HasAdministrator();
  if (!has_admin) return ctx.Fail(has_admin.error());
  if (!*has_admin) {
    return ctx.Fail(Error(ErrorCode::kFailedPrecondition,
                          "stationen har ingen administrator endnu; opret den første med "
                          "'station user add NAVN --role administrator' og start igen"));
  }
  StationState state;
  state.config = session->config;
  state.env = ctx.env;
  state.journal = std::move(session->journal);
  Result<storage::PageSpool> spool =
      storage::PageSpool::Open(state.config.station.data_dir + "/spool");
  if (!spool) return ctx.Fail(spool.error());
  state.spool = std::make_unique<storage::PageSpool>(std::move(*spool));

  ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.secure_cookie = opts.secure_cookie;
  options.threads = opts.threads;
  WebServer server(state, options);
  Result<int> port = server.StartInBackground();
  if (!port) return ctx.Fail(port.error());
  const std::string host =
      address->host.find(':') != std::string::npos ? "[" + address->host + "]" : address->host;
  ctx.out << "Stationen kører på http://" << host << ":" << *port << "/  (stop med Ctrl-C)"
          << std::endl;
  while (!station::InterruptRequested()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  server.Stop();
  ctx.out << "Stationen er stoppet." << std::endl;
  return station::kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, station::CommandContext& ctx) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Start web-brugerfladen (postrum, arkiv, sagsbehandler, leder) og dens API");
  cmd->add_option("--listen", opts->listen, "Adresse og port (standard 127.0.0.1:8080)")
      ->type_name("VÆRT:PORT");
  cmd->add_flag("--secure-cookie", opts->secure_cookie,
                "Sessionscookien kun over HTTPS (bag en HTTPS-proxy)");
  cmd->add_option("--threads", opts->threads, "Antal samtidige forespørgsler (standard 8)")
      ->check(CLI::Range(1, 64))
      ->type_name("ANTAL");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return RunServe(ctx, *opts); }; });
}

}  // namespace intake::web
