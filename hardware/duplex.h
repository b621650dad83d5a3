// Two-pass duplex for flatbed or simplex-feeder offices (SANE.md section 5): the operator
// scans the fronts of a stack, turns the stack over and scans the backs. Turning the stack
// reverses it, so the backs arrive last sheet first. InterleaveDuplexPasses pairs them up
// into the order a duplex scanner delivers: front 1, back 1, front 2, back 2 ...
//
// Pure functions; thread-safe.
#ifndef INTAKE_HARDWARE_DUPLEX_H_
#define INTAKE_HARDWARE_DUPLEX_H_

#include <vector>

#include "base/result.h"
#include "hardware/scanner.h"

namespace intake::hardware {

enum class BackOrder {
  kReversed,  // the turned stack: the first back belongs to the last sheet (default)
  kSameOrder  // the backs were scanned in sheet order (e.g. re-sorted by hand)
};

// Returns front 1, back 1, front 2, back 2 ... Sheets are numbered from the first front's
// sheet number (1 for a fresh batch); each page gets its sheet and side. Error
// (kInvalidArgument) when the passes hold different numbers of pages; the message names
// both counts and what to do. Two empty passes give an empty list.
Result<std::vector<ScannedPage>> InterleaveDuplexPasses(std::vector<ScannedPage> fronts,
                                                        std::vector<ScannedPage> backs,
                                                        BackOrder order = BackOrder::kReversed);

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_DUPLEX_H_
