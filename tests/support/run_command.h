// Runs a program as a child process and captures its exit code, stdout and stderr.
// Used by integration and end-to-end tests that exercise build/bin/station as a user would.
#ifndef INTAKE_TESTS_SUPPORT_RUN_COMMAND_H_
#define INTAKE_TESTS_SUPPORT_RUN_COMMAND_H_

#include <map>
#include <string>
#include <vector>

namespace intake::testing {

struct CommandResult {
  int exit_code = -1;  // the exit status, or 128 + signal number
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Runs argv[0] with `argv`; `env` entries are set (or, with an empty value, removed) on
// top of the current environment. Kills the child after `timeout_s` seconds.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {},
                         int timeout_s = 60, const std::string& stdin_text = "");

}  // namespace intake::testing

#endif  // INTAKE_TESTS_SUPPORT_RUN_COMMAND_H_
