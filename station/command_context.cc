#include "station/command_context.h"

#include <ostream>

#include "base/log.h"

namespace intake::station {

Result<config::Config> CommandContext::LoadConfig() {
  std::optional<std::string> path;
  if (!config_path.empty()) {
    path = config_path;
  } else {
    path = config::FindConfigFile(env);
  }
  config::Config cfg;
  if (path) {
    config::ParseOutcome outcome = config::LoadConfigFile(*path);
    if (!outcome.config) {
      for (const auto& issue : outcome.issues) err << issue.ToString() << "\n";
      return Error(ErrorCode::kInvalidArgument,
                   "konfigurationen i " + *path + " har " +
                       std::to_string(outcome.issues.size()) +
                       " fejl; ret dem (se 'station config check " + *path + "')");
    }
    cfg = std::move(*outcome.config);
  } else {
    cfg = config::Defaults();
  }
  config::ResolveDefaults(cfg, env);

  const std::string level_name = log_level.empty() ? cfg.station.log_level : log_level;
  if (auto level = log::ParseLevel(level_name)) log::SetMinLevel(*level);
  if (!cfg.station.log_file.empty()) {
    auto sink = log::MakeFileSink(cfg.station.log_file);
    if (!sink) return sink.error();
    log::AddSink(std::move(*sink));
  }
  return cfg;
}

ExitCode CommandContext::Fail(const Error& error) {
  err << "fejl: " << error.message() << "\n";
  log::Debug(error.ToString());
  return ExitCodeFor(error);
}

}  // namespace intake::station
