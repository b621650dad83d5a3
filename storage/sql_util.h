// Small helpers of the SQLite journal backend: a cache of prepared statements that are
// reset after each use, and the UTC timestamps written to the journal.
//
// Thread-safety: like Database, one thread at a time.
#ifndef INTAKE_STORAGE_SQL_UTIL_H_
#define INTAKE_STORAGE_SQL_UTIL_H_

#include <map>
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/database.h"

namespace intake::storage {

// The current time as ISO 8601 UTC with milliseconds: "2026-11-26T15:58:29.123Z".
std::string UtcNowIso();

// Valid UTF-8: no stray, truncated or overlong sequence, no surrogate, nothing above
// U+10FFFF. The check of every text field the SQLite backends store.
bool IsValidUtf8(std::string_view s);
// Valid UTF-8 without control characters (C0 and DEL); `allow_tab` lets '\t' through.
bool IsCleanUtf8(std::string_view s, bool allow_tab = false);
// Empty or only white space.
bool IsBlank(std::string_view s);

// A statement borrowed from a StatementCache. It is reset (and its bindings cleared) when
// the borrow ends, so a half-read SELECT never keeps a read snapshot open on the
// connection (which would make a later BEGIN IMMEDIATE fail with a stale snapshot).
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement* statement) : statement_(statement) {}
  ~ScopedStatement() {
    if (statement_ != nullptr) (void)statement_->Reset();
  }
  ScopedStatement(ScopedStatement&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  ScopedStatement& operator=(ScopedStatement&&) = delete;

  Statement& operator*() { return *statement_; }
  Statement* operator->() { return statement_; }

 private:
  Statement* statement_;
};

// Prepares each SQL text once per connection. REQUIRES: `db` outlives the cache.
class StatementCache {
 public:
  explicit StatementCache(Database& db) : db_(db) {}

  // The prepared statement for `sql` (a string literal: the cache keys on its address).
  Result<ScopedStatement> Get(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      INTAKE_ASSIGN_OR_RETURN(Statement statement, db_.Prepare(sql));
      it = cache_.emplace(sql, std::move(statement)).first;
    }
    (void)it->second.Reset();
    return ScopedStatement(&it->second);
  }

 private:
  Database& db_;
  std::map<const char*, Statement> cache_;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_SQL_UTIL_H_
