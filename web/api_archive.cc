// The archive routes (web/routes.h).
#include "web/routes.h"

namespace intake::web {

void AddArchiveRoutes(Router& /*router*/, StationState& /*state*/) {}

}  // namespace intake::web
