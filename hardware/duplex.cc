#include "hardware/duplex.h"

#include <string>
#include <utility>

namespace intake::hardware {

Result<std::vector<ScannedPage>> InterleaveDuplexPasses(std::vector<ScannedPage> fronts,
                                                        std::vector<ScannedPage> backs,
                                                        BackOrder order) {
  if (fronts.size() != backs.size()) {
    return Error(ErrorCode::kInvalidArgument,
                 "forsiderne og bagsiderne passer ikke sammen: " + std::to_string(fronts.size()) +
                     " forsider, men " + std::to_string(backs.size()) +
                     " bagsider. Tæl arkene, og scan den side af bunken, der mangler ark, igen.");
  }
  const size_t n = fronts.size();
  const int first_sheet = n == 0 ? 1 : fronts.front().sheet;
  std::vector<ScannedPage> out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    const int sheet = first_sheet + static_cast<int>(i);
    ScannedPage& front = fronts[i];
    ScannedPage& back = backs[order == BackOrder::kReversed ? n - 1 - i : i];
    front.sheet = sheet;
    front.side = Side::kFront;
    back.sheet = sheet;
    back.side = Side::kBack;
    out.push_back(std::move(front));
    out.push_back(std::move(back));
  }
  return out;
}

}  // namespace intake::hardware
