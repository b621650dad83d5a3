// The batches routes (web/routes.h).
#include "web/routes.h"

namespace intake::web {

void AddBatchRoutes(Router& /*router*/, StationState& /*state*/) {}

}  // namespace intake::web
