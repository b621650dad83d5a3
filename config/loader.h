// Reading, checking and printing station.toml.
//
// ParseConfig reports every problem it finds, not only the first: unknown keys (with a
// suggestion), wrong types, values out of range, patterns that do not compile. Each
// problem names the file, line, column and key and says how to fix it, in Danish.
// A TOML syntax error stops parsing, so it is reported alone.
//
// Thread-safety: pure functions, except ResolveDefaults' use of the Environment given.
#ifndef INTAKE_CONFIG_LOADER_H_
#define INTAKE_CONFIG_LOADER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace intake::config {

struct ConfigIssue {
  std::string file;  // as given by the caller
  int line = 0;      // 1-based; 0 when the problem has no place in the file
  int column = 0;
  std::string key;      // dotted path, e.g. "scanner.profiles.post.dpi"
  std::string message;  // what is wrong
  std::string fix;      // what to do

  // "station.toml:12:1: scanner.profiles.post.dpi: <message> Løsning: <fix>"
  std::string ToString() const;
};

struct ParseOutcome {
  // Set when there are no issues.
  std::optional<Config> config;
  std::vector<ConfigIssue> issues;
};

// Parses TOML text. `source_name` is used in issues and stored in Config::source.
ParseOutcome ParseConfig(std::string_view toml_text, std::string_view source_name);

// Reads and parses a file. A missing or unreadable file is one issue with line 0.
ParseOutcome LoadConfigFile(const std::string& path);

// The process environment, as far as the configuration depends on it (a test seam).
struct Environment {
  std::string home;             // $HOME
  std::string xdg_data_home;    // $XDG_DATA_HOME, may be empty
  std::string xdg_config_home;  // $XDG_CONFIG_HOME, may be empty
  std::string hostname;
  std::string config_override;  // $STATION_CONFIG, may be empty

  static Environment FromProcess();
};

// Fills in what the defaults derive from the environment: station.id (host name),
// station.data_dir (XDG data home), journal.database and journal.file_store (under the
// data directory); expands a leading "~/" in every path.
void ResolveDefaults(Config& config, const Environment& env);

// Which file the station reads when no --config is given: $STATION_CONFIG, else
// $XDG_CONFIG_HOME/intake-station/station.toml, else /etc/intake-station/station.toml,
// the first that exists; nullopt means the embedded defaults.
std::optional<std::string> FindConfigFile(const Environment& env);

// The effective configuration as TOML, every field with its unit and default as a
// comment. Parsing the output gives back the same configuration.
std::string ToToml(const Config& config);

}  // namespace intake::config

#endif  // INTAKE_CONFIG_LOADER_H_
