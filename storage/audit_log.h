// AuditLog: the append-only, hash-chained record of every change to the journal.
//
// Each entry holds who, when, what (action, entity, id) and the state before and after
// (JSON), plus prev_hash (the previous entry's hash) and hash = SHA-256 over prev_hash and
// the entry's fields in a fixed canonical form (storage/SCHEMA.md). Verify() walks the
// chain and detects an altered entry (its hash does not match), a deleted or inserted one
// (a gap in ids or a broken prev_hash link) and reordering. Deleting the newest entries
// leaves a shorter valid chain, so the newest (id, hash) is also kept in an anchor file
// outside the database; Verify compares it. The journal writes the anchor shortly after
// its commits (storage/anchor_writer.h) and catches it up when it opens.
//
// Entries are appended inside the caller's transaction (the change and its audit entry
// commit together or not at all). SQLite triggers refuse UPDATE and DELETE on the table.
//
// Thread-safety: use on the thread that owns the Database.
#ifndef INTAKE_STORAGE_AUDIT_LOG_H_
#define INTAKE_STORAGE_AUDIT_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/database.h"

namespace intake::storage {

struct AuditEntry {
  std::string actor;      // user or operator name; never a CPR number
  std::string action;     // "case.add", "document.journalise", "party.link", ...
  std::string entity;     // "case", "document", "party", "batch", "location" ...
  std::string entity_id;
  std::optional<std::string> before;  // JSON
  std::optional<std::string> after;   // JSON
};

struct AuditRecord {
  int64_t id = 0;
  std::string time;  // ISO 8601 UTC
  AuditEntry entry;
  std::string prev_hash;
  std::string hash;
};

// The newest entry of the chain as the anchor file holds it: "<id> <hash>\n".
struct AuditAnchor {
  int64_t id = 0;
  std::string hash;  // lower-case hex SHA-256; 64 zeros for an empty log
};

// Writes `newest` to the anchor file at `path`, atomically and durably, unless the file
// already names an entry at least as new (another process may have anchored a later
// commit: the anchor never moves backwards). Holds an flock on "<path>.lock" meanwhile.
Status WriteAnchorFile(const std::string& path, const AuditAnchor& newest);

struct AuditVerification {
  bool ok = true;
  int64_t entries = 0;
  // One line per problem: "post 17 er ændret", "post 18 mangler", ...
  std::vector<std::string> problems;
};

class AuditLog {
 public:
  // `anchor_path`: the file outside the database holding the newest (id, hash).
  AuditLog(Database& db, std::string anchor_path);

  // Appends `entry`. REQUIRES: a transaction is open on the database; call
  // WriteAnchor() after it has committed.
  Result<AuditRecord> Append(const AuditEntry& entry);

  // The newest entry in the database (id 0 and the zero hash for an empty log).
  Result<AuditAnchor> Newest();

  // Writes the newest (id, hash) in the database to the anchor file (WriteAnchorFile).
  Status WriteAnchor();

  // Checks the whole chain and the anchor.
  Result<AuditVerification> Verify();

  // The entries about one entity, oldest first (for history views).
  Result<std::vector<AuditRecord>> History(const std::string& entity,
                                           const std::string& entity_id);

 private:
  Database& db_;
  std::string anchor_path_;
  // Prepared once, reused by every Append (the journal's commit path).
  std::optional<Statement> last_;
  std::optional<Statement> insert_;
};

// The hash of an entry: lower-case hex SHA-256 of the canonical form (SCHEMA.md).
std::string AuditHash(const std::string& prev_hash, int64_t id, const std::string& time,
                      const AuditEntry& entry);

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_AUDIT_LOG_H_
