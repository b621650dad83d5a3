// build/bin/station run as a separate process, as an operator or a script runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake {
namespace {

using ::testing::HasSubstr;
using testing::RunCommand;

class StationBinaryTest : public ::testing::Test {
 protected:
  testing::CommandResult Station(std::vector<std::string> args) {
    args.insert(args.begin(), STATION_BINARY);
    return RunCommand(args, {{"HOME", home_.path()},
                             {"XDG_DATA_HOME", ""},
                             {"XDG_CONFIG_HOME", ""},
                             {"STATION_CONFIG", ""}});
  }
  testing::ScopedTempDir home_;
};

TEST_F(StationBinaryTest, VersionAndHelpExitZero) {
  auto v = Station({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_THAT(v.out, HasSubstr("station 0."));
  auto h = Station({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_THAT(h.out, HasSubstr("KOMMANDO"));
}

TEST_F(StationBinaryTest, ThreeConfigErrorsGiveThreeLinesAndExitThree) {
  const std::string path = home_.Sub("station.toml");
  testing::WriteFile(path,
                     "[station]\n"
                     "id = \"postrum\"\n"
                     "[scanner.profiles.post]\n"
                     "source = \"duplex\"\n"
                     "dpii = 300\n"          // misspelled key, line 5
                     "mode = 8\n"            // wrong type, line 6
                     "[scanner.profiles.foto]\n"
                     "dpi = 4800\n");        // out of range, line 8
  auto r = Station({"config", "check", path});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr(path + ":5:1: scanner.profiles.post.dpii: ukendt nøgle"));
  EXPECT_THAT(r.err, HasSubstr("mente du \"dpi\""));
  EXPECT_THAT(r.err, HasSubstr(path + ":6:8: scanner.profiles.post.mode: forventede tekst"));
  EXPECT_THAT(r.err, HasSubstr(path + ":8:7: scanner.profiles.foto.dpi: 4800 ligger uden for"));
  EXPECT_THAT(r.err, HasSubstr("3 fejl"));
}

TEST_F(StationBinaryTest, StationConfigEnvironmentVariableIsHonoured) {
  testing::WriteFile(home_.Sub("env.toml"), "[ocr]\nworkers = 7\n");
  auto r = RunCommand({STATION_BINARY, "config", "show"},
                      {{"HOME", home_.path()}, {"STATION_CONFIG", home_.Sub("env.toml")}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("workers = 7"));
}

TEST_F(StationBinaryTest, UnknownCommandIsAUsageError) {
  auto r = Station({"scan-everything"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("station --help"));
}

}  // namespace
}  // namespace intake
