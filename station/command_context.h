// What every command needs: output streams, the environment, the global options, and
// the effective configuration on demand.
#ifndef INTAKE_STATION_COMMAND_CONTEXT_H_
#define INTAKE_STATION_COMMAND_CONTEXT_H_

#include <functional>
#include <iosfwd>
#include <string>

#include "base/result.h"
#include "config/loader.h"
#include "station/exit_code.h"

namespace CLI {
class App;
}

namespace intake::station {

struct CommandContext {
  std::ostream& out;
  std::ostream& err;
  config::Environment env;
  // True when `err` is a terminal: progress is then shown as one updating line.
  bool interactive = false;

  // Global options.
  std::string config_path;  // --config; empty: FindConfigFile()
  std::string log_level;    // --log-level; empty: station.log_level
  std::string actor;        // --actor; empty: the operating-system user (journal commands)

  // The command chosen on the command line; set by the subcommand's callback.
  std::function<ExitCode()> action;

  // Loads the effective configuration (the --config file, else FindConfigFile, else the
  // embedded defaults), resolves derived paths and applies the log settings. On a bad
  // configuration prints every issue to `err` and returns kInvalidArgument.
  Result<config::Config> LoadConfig();

  // Prints `error` to `err` as "fejl: <message>" and returns its exit code.
  ExitCode Fail(const Error& error);
};

// Each command family adds its subcommands to `app`; their callbacks set ctx.action.
void AddConfigCommands(CLI::App& app, CommandContext& ctx);
void AddStatusCommand(CLI::App& app, CommandContext& ctx);
void AddAnalyzeCommand(CLI::App& app, CommandContext& ctx);
void AddConvertCommand(CLI::App& app, CommandContext& ctx);
void AddScanCommands(CLI::App& app, CommandContext& ctx);
void AddCaseCommands(CLI::App& app, CommandContext& ctx);
// `station case import FILE`, added under the `case` command.
void AddCaseImportCommand(CLI::App& case_cmd, CommandContext& ctx);
void AddDocCommands(CLI::App& app, CommandContext& ctx);
void AddAuditCommands(CLI::App& app, CommandContext& ctx);
void AddDbCommands(CLI::App& app, CommandContext& ctx);
void AddSearchCommand(CLI::App& app, CommandContext& ctx);
// `station batch ...`, `station journal` and `station refile` (station/batch_command.cc).
void AddBatchCommands(CLI::App& app, CommandContext& ctx);
// After `station scan` or `station import`: the proposal for the new batch (split, cases,
// titles), printed briefly. kExitDegraded when it could not be made (the pages are kept).
ExitCode ProposeAfterIntake(CommandContext& ctx, const std::string& batch_id);
// `station sheets separator|cover`: separator and cover sheets (station/sheets.h).
void AddSheetCommands(CLI::App& app, CommandContext& ctx);
// `station archive ...`: the registry of paper originals (station/archive_command.cc).
void AddArchiveCommands(CLI::App& app, CommandContext& ctx);
// `station user ...`: the users of the web UI (station/user_command.cc).
void AddUserCommands(CLI::App& app, CommandContext& ctx);

}  // namespace intake::station

#endif  // INTAKE_STATION_COMMAND_CONTEXT_H_
