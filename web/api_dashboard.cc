// The dashboard routes (web/routes.h).
#include "web/routes.h"

namespace intake::web {

void AddDashboardRoutes(Router& /*router*/, StationState& /*state*/) {}

}  // namespace intake::web
