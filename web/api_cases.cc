// The cases routes (web/routes.h).
#include "web/routes.h"

namespace intake::web {

void AddCaseRoutes(Router& /*router*/, StationState& /*state*/) {}

}  // namespace intake::web
