#include "hardware/library_info.h"

#include <sane/sane.h>

namespace intake::hardware {

std::string LibraryVersions() {
  return "SANE API " + std::to_string(SANE_CURRENT_MAJOR) + "." +
         std::to_string(SANE_CURRENT_MINOR);
}

}  // namespace intake::hardware
