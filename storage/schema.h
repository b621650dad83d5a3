// The journal's schema and its migrations (storage/SCHEMA.md describes every table).
//
// The database knows its version (meta.schema_version) and the oldest version of the
// code that can still use it (meta.compatible_version). Opening an older database
// migrates it forward in one transaction; a database from newer code that this code
// cannot use is refused with a clear message.
//
// Thread-safety: call on the thread that owns the Database.
#ifndef INTAKE_STORAGE_SCHEMA_H_
#define INTAKE_STORAGE_SCHEMA_H_

#include <string>
#include <vector>

#include "base/result.h"
#include "storage/database.h"

namespace intake::storage {

// The version this code writes.
inline constexpr int kSchemaVersion = 8;

// One step from version `to - 1` to `to`: SQL run inside the migration transaction.
struct Migration {
  int to;
  const char* sql;
};

// Every migration, in order (the first creates version 1 from an empty database).
const std::vector<Migration>& Migrations();

// Brings `db` to kSchemaVersion: creates it when empty, migrates older versions in one
// transaction, refuses newer ones it cannot use (kFailedPrecondition naming both versions).
// Returns the version the database had before (0 for a new one).
Result<int> MigrateToCurrent(Database& db);

// meta.schema_version, or 0 for an empty database.
Result<int> SchemaVersionOf(Database& db);

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_SCHEMA_H_
