// The scanner API the station is built against, for --version and status.
#ifndef INTAKE_HARDWARE_LIBRARY_INFO_H_
#define INTAKE_HARDWARE_LIBRARY_INFO_H_

#include <string>

namespace intake::hardware {

// "SANE API 1.1" from the installed sane.h. (libsane's run-time version code is not
// reliable on Debian 12, see SANE.md section 1, and reading it requires sane_init.)
std::string LibraryVersions();

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_LIBRARY_INFO_H_
