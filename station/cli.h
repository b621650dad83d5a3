// The station command line: parses arguments, runs one command, returns an exit code
// (station/exit_code.h). main() is a thin wrapper around RealMain.
//
// Thread-safety: Run is called once per process (or once per test); it installs the
// log configuration for the process.
#ifndef INTAKE_STATION_CLI_H_
#define INTAKE_STATION_CLI_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "config/loader.h"

namespace CLI {
class App;
}

namespace intake::station {

struct CommandContext;

// Adds a command family that lives above station/ (such as web/'s `station serve`).
using CommandAdder = void (*)(CLI::App& app, CommandContext& ctx);

// Runs the command line `args` (args[0] is the program name), writing normal output to
// `out` and messages to `err`. `extra` adds the command families of modules above
// station/. Never throws; an unexpected exception is reported and becomes kExitInternal.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const config::Environment& env, const std::vector<CommandAdder>& extra = {});

// Run() on the process's arguments, std::cout, std::cerr and environment, with signal
// handlers installed.
int RealMain(int argc, char** argv, const std::vector<CommandAdder>& extra = {});

// The version line printed by --version: "station 0.1.0" followed by the library lines.
std::string VersionText();

}  // namespace intake::station

#endif  // INTAKE_STATION_CLI_H_
