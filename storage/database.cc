#include "storage/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cassert>
#include <string>

namespace intake::storage {

void SqliteDeleter::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void StatementDeleter::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Error Database::FromSqlite(int rc, std::string_view context) const {
  const std::string detail = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  std::string message = std::string(context) + " (" + path_ + "): ";
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ErrorCode::kUnavailable;
      message += "databasen er optaget af en anden proces; prøv igen om lidt";
      break;
    case SQLITE_FULL:
      code = ErrorCode::kIOError;
      message += "der er ikke mere plads på disken";
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = ErrorCode::kIOError;
      message += "databasen kan ikke læses eller skrives (" + detail + ")";
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ErrorCode::kCorruption;
      message += "databasefilen er beskadiget eller ikke en SQLite-database (" + detail +
                 "); gendan den fra sikkerhedskopien";
      break;
    case SQLITE_CONSTRAINT:
      code = ErrorCode::kAlreadyExists;
      message += detail;
      break;
    default:
      message += detail;
      break;
  }
  return Error(code, message);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const DatabaseOptions& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqlitePtr db(raw);
  std::unique_ptr<Database> database(new Database(std::move(db), path));
  if (rc != SQLITE_OK) return database->FromSqlite(rc, "kan ikke åbne journalen");
  sqlite3_extended_result_codes(database->handle(), 1);
  sqlite3_busy_timeout(database->handle(), options.busy_timeout_ms);
  // A file that is not a database fails here, on the first read.
  if (!options.read_only) {
    INTAKE_RETURN_IF_ERROR(database->Execute("PRAGMA journal_mode=WAL"));
  }
  INTAKE_RETURN_IF_ERROR(
      database->Execute("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-" +
                        std::to_string(std::max(1, options.cache_mib) * 1024)));
  return database;
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw,
                                    nullptr);
  if (rc != SQLITE_OK) {
    // A syntax error is a programmer error; a damaged or locked database is not.
    assert((rc & 0xFF) != SQLITE_ERROR && "malformed SQL");
    return FromSqlite(rc, "forespørgslen kunne ikke forberedes");
  }
  return Statement(this, StatementPtr(raw));
}

Status Database::Execute(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
  if (error != nullptr) sqlite3_free(error);
  if (rc != SQLITE_OK) return FromSqlite(rc, "journalen kunne ikke opdateres");
  return OkStatus();
}

int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }
int Database::Changes() const { return sqlite3_changes(db_.get()); }

Result<std::vector<std::string>> Database::IntegrityCheck() {
  std::vector<std::string> problems;
  INTAKE_ASSIGN_OR_RETURN(Statement integrity, Prepare("PRAGMA integrity_check"));
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(bool row, integrity.Step());
    if (!row) break;
    const std::string line = integrity.Text(0);
    if (line != "ok") problems.push_back(line);
  }
  INTAKE_ASSIGN_OR_RETURN(Statement fk, Prepare("PRAGMA foreign_key_check"));
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(bool row, fk.Step());
    if (!row) break;
    problems.push_back("fremmednøgle brudt i tabellen " + fk.Text(0) + " (række " +
                       std::to_string(fk.Int(1)) + ")");
  }
  return problems;
}

Statement& Statement::Bind(int index, int64_t value) {
  [[maybe_unused]] const int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  assert(rc == SQLITE_OK);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  [[maybe_unused]] const int rc = sqlite3_bind_double(stmt_.get(), index, value);
  assert(rc == SQLITE_OK);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  [[maybe_unused]] const int rc = sqlite3_bind_text(
      stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  assert(rc == SQLITE_OK);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  [[maybe_unused]] const int rc = sqlite3_bind_blob(
      stmt_.get(), index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  assert(rc == SQLITE_OK);
  return *this;
}

Statement& Statement::BindNull(int index) {
  [[maybe_unused]] const int rc = sqlite3_bind_null(stmt_.get(), index);
  assert(rc == SQLITE_OK);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->FromSqlite(rc, "journalen kunne ikke læses eller skrives");
}

Status Statement::Run() {
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return OkStatus();
  }
}

Status Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  return OkStatus();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
double Statement::Real(int column) const { return sqlite3_column_double(stmt_.get(), column); }
std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int n = sqlite3_column_bytes(stmt_.get(), column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(n))
              : std::string();
}
std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

Transaction::~Transaction() {
  if (active_) (void)db_.Execute("ROLLBACK");
}

Status Transaction::Begin() {
  assert(!active_);
  INTAKE_RETURN_IF_ERROR(db_.Execute("BEGIN IMMEDIATE"));
  active_ = true;
  return OkStatus();
}

Status Transaction::Commit() {
  assert(active_);
  INTAKE_RETURN_IF_ERROR(db_.Execute("COMMIT"));
  active_ = false;
  return OkStatus();
}

}  // namespace intake::storage
