// The station's exit codes: a stable, documented interface (README, "Exit codes").
// Scripts and the post-room tooling depend on these numbers; never renumber them.
#ifndef INTAKE_STATION_EXIT_CODE_H_
#define INTAKE_STATION_EXIT_CODE_H_

#include <string_view>

#include "base/error.h"

namespace intake::station {

enum ExitCode : int {
  kExitOk = 0,           // success
  kExitInternal = 1,     // a bug or an unexpected failure; report it
  kExitUsage = 2,        // the command line is wrong (unknown option, missing argument)
  kExitInput = 3,        // bad input: configuration, file, page, field or reference
  kExitDevice = 4,       // a scanner or another needed resource is unavailable or failed
  kExitData = 5,         // the station's own data (journal, store) cannot be read or written,
                         // or is damaged
  kExitDegraded = 6,     // the work was done but a check failed (e.g. PDF/A validation);
                         // the output is kept
  kExitInterrupted = 130,  // stopped by Ctrl-C / SIGINT / SIGTERM
};

// The exit code for an operation that failed with `error`.
ExitCode ExitCodeFor(const Error& error);

// "ok", "internal", "usage", "input", "device", "data", "degraded", "interrupted".
std::string_view ExitCodeName(ExitCode code);

}  // namespace intake::station

#endif  // INTAKE_STATION_EXIT_CODE_H_
