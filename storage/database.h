// Database: a SQLite connection used the way the journal needs it — WAL, foreign keys, a
// busy timeout, prepared statements only, and transactions that roll back unless
// committed (Chromium sql/transaction.h). RAII owners for sqlite3* and sqlite3_stmt*.
//
// Errors from SQLite are translated once, by FromSqlite: a malformed SQL string is a bug
// (assert); a locked, full, damaged or unreadable database is an Error (kUnavailable,
// kIOError, kCorruption ...), with a Danish message naming the database file.
//
// Thread-safety: a Database and its statements belong to one thread at a time (the
// journal's single writer connection).
#ifndef INTAKE_STORAGE_DATABASE_H_
#define INTAKE_STORAGE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace intake::storage {

struct SqliteDeleter {
  void operator()(sqlite3* db) const;
};
struct StatementDeleter {
  void operator()(sqlite3_stmt* stmt) const;
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteDeleter>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

class Database;

// A prepared statement. Bind parameters by 1-based index; Step until it returns false.
class Statement {
 public:
  Statement(Database* db, StatementPtr stmt) : db_(db), stmt_(std::move(stmt)) {}

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::string>& text);

  // Runs one step: true when a row is available, false when done; an Error for a
  // constraint violation, a locked or damaged database.
  Result<bool> Step();
  // Runs to completion (for statements without rows).
  Status Run();
  Status Reset();

  int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  bool IsNull(int column) const;

 private:
  Database* db_;
  StatementPtr stmt_;
};

struct DatabaseOptions {
  int busy_timeout_ms = 5000;
  // SQLite's page cache for this connection. SQLite's default (2 MB) makes every search
  // and commit on a journal of a million documents re-read the upper levels of its B-trees
  // from the operating system (bench/journal_bench.cc measured it).
  int cache_mib = 64;
  bool read_only = false;
  bool create = true;
};

class Database {
 public:
  // Opens (or creates) the database at `path` with WAL, foreign keys on and the busy
  // timeout. kCorruption for a file that is not a SQLite database; kIOError when the file
  // cannot be opened.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const DatabaseOptions& options = {});

  // REQUIRES: `sql` is valid SQL (a programmer error otherwise, asserted in debug builds;
  // kInternal in release builds).
  Result<Statement> Prepare(std::string_view sql);
  // Runs one or more statements without parameters.
  Status Execute(std::string_view sql);

  int64_t LastInsertId() const;
  int Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_.get(); }

  // Translates SQLite result `rc` (with the connection's error message) into an Error
  // whose message starts with `context`.
  Error FromSqlite(int rc, std::string_view context) const;

  // `PRAGMA integrity_check` and `foreign_key_check`: every problem found, or none.
  Result<std::vector<std::string>> IntegrityCheck();

 private:
  Database(SqlitePtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
  SqlitePtr db_;
  std::string path_;
};

// A transaction that rolls back when destroyed unless Commit() succeeded. BEGIN IMMEDIATE:
// the write lock is taken at the start, so a second writer waits (busy timeout) instead of
// failing halfway.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  Database& db_;
  bool active_ = false;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_DATABASE_H_
