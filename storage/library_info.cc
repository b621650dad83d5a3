#include "storage/library_info.h"

#include <sqlite3.h>

namespace intake::storage {

std::string LibraryVersions() { return std::string("SQLite ") + sqlite3_libversion(); }

}  // namespace intake::storage
