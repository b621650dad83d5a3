// BindMasked: makes a CLI11 subcommand run a handler whose standard output passes through
// MaskedOstream, for commands that print free text typed by people (names, notes,
// borrowers), where a CPR number must never show.
//
// Thread-safety: used while the command line is set up, on one thread.
#ifndef INTAKE_STATION_MASKED_COMMAND_H_
#define INTAKE_STATION_MASKED_COMMAND_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "base/masked_ostream.h"
#include "station/command_context.h"
#include "station/exit_code.h"

namespace intake::station {

// When `cmd` is chosen, the command's action runs `handler(ctx, masked_out, *options)`.
template <typename Options>
void BindMasked(CLI::App* cmd, CommandContext& ctx, const std::shared_ptr<Options>& options,
                ExitCode (*handler)(CommandContext&, std::ostream&, const Options&)) {
  cmd->callback([&ctx, options, handler] {
    ctx.action = [&ctx, options, handler] {
      MaskedOstream out(ctx.out);
      return handler(ctx, out, *options);
    };
  });
}

}  // namespace intake::station

#endif  // INTAKE_STATION_MASKED_COMMAND_H_
