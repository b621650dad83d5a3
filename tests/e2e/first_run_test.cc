// A new installation: the station runs with no configuration file on its embedded
// defaults, creates its data directory under the XDG data home, and its printed
// configuration is a valid starting point for station.toml (what `make run` shows).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake {
namespace {

using ::testing::HasSubstr;
using testing::RunCommand;

TEST(FirstRun, RunsOnEmbeddedDefaultsAndWritesUnderXdgDataHome) {
  testing::ScopedTempDir home;
  const std::map<std::string, std::string> env = {{"HOME", home.path()},
                                                  {"XDG_DATA_HOME", home.Sub("xdg-data")},
                                                  {"XDG_CONFIG_HOME", ""},
                                                  {"STATION_CONFIG", ""}};
  auto status = RunCommand({STATION_BINARY, "status", "--json"}, env);
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto j = nlohmann::json::parse(status.out);
  EXPECT_EQ(j["config_source"], "defaults");
  EXPECT_EQ(j["data_dir"], home.Sub("xdg-data/intake-station"));
  EXPECT_TRUE(std::filesystem::is_directory(home.Sub("xdg-data/intake-station")));
  EXPECT_EQ(j["journal"]["path"], home.Sub("xdg-data/intake-station/journal.sqlite3"));

  // The printed defaults become the operator's station.toml, which the station accepts
  // and then reads instead of the defaults.
  auto show = RunCommand({STATION_BINARY, "config", "show"}, env);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  testing::WriteFile(home.Sub(".config/intake-station/station.toml"), show.out);
  auto check = RunCommand(
      {STATION_BINARY, "config", "check", home.Sub(".config/intake-station/station.toml")}, env);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  auto again = RunCommand({STATION_BINARY, "status", "--json"}, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["config_source"],
            home.Sub(".config/intake-station/station.toml"));
}

}  // namespace
}  // namespace intake
