// Version of the database library the station is linked against, for --version and status.
#ifndef INTAKE_STORAGE_LIBRARY_INFO_H_
#define INTAKE_STORAGE_LIBRARY_INFO_H_

#include <string>

namespace intake::storage {

// "SQLite 3.40.1", read from the library at run time.
std::string LibraryVersions();

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_LIBRARY_INFO_H_
