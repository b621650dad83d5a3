// `station serve [--listen VÆRT:PORT]`: the browser UI and its JSON API (web/server.h).
#ifndef INTAKE_WEB_SERVE_COMMAND_H_
#define INTAKE_WEB_SERVE_COMMAND_H_

#include <string>

#include "base/result.h"
#include "station/command_context.h"

namespace CLI {
class App;
}

namespace intake::web {

void AddServeCommand(CLI::App& app, station::CommandContext& ctx);

struct ListenAddress {
  std::string host;
  int port = 0;
};

// "127.0.0.1:8080", "[::1]:8080", ":8080" (localhost) or "8080". kInvalidArgument naming
// --listen for anything else or a port outside 1-65535.
Result<ListenAddress> ParseListen(const std::string& text);

}  // namespace intake::web

#endif  // INTAKE_WEB_SERVE_COMMAND_H_
