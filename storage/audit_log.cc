#include "storage/audit_log.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/atomic_file.h"
#include "base/sha256.h"
#include "storage/sql_util.h"

namespace intake::storage {
namespace {

const std::string kZeroHash(64, '0');

// The canonical string form (SCHEMA.md "Audit log"): a double-quoted string in which '"'
// and '\' are escaped with a backslash and every byte below 0x20 is written as \u00xx
// (lower-case hex); every other byte is copied as it is. Fixed here on purpose, not shared
// with a JSON library whose output could change: changing it breaks every stored hash.
void AppendCanonicalString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

void AppendCanonicalOptional(std::string& out, const std::optional<std::string>& text) {
  if (text) {
    AppendCanonicalString(out, *text);
  } else {
    out += "null";
  }
}

// Parses "<id> <hash>\n"; nullopt if malformed.
std::optional<AuditAnchor> ParseAnchor(const std::string& text) {
  std::istringstream in(text);
  AuditAnchor anchor;
  std::string rest;
  if (!(in >> anchor.id >> anchor.hash) || anchor.id < 0 || anchor.hash.size() != 64 ||
      (in >> rest)) {
    return std::nullopt;
  }
  return anchor;
}

// The anchor file's content: nullopt when the file does not exist; an Error when it cannot
// be read.
Result<std::optional<std::string>> ReadAnchorFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::optional<std::string>();
    return Error(ErrorCode::kIOError, "kan ikke læse revisionsankeret " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

// An exclusive flock on "<anchor>.lock" for the read-compare-write of the anchor, so two
// processes committing at once never move the anchor backwards.
class AnchorLock {
 public:
  static Result<AnchorLock> Take(const std::string& anchor_path) {
    const std::string path = anchor_path + ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
      return Error(ErrorCode::kIOError, FromErrno("kan ikke åbne " + path, errno).message());
    }
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Error(ErrorCode::kIOError, FromErrno("kan ikke låse " + path, err).message());
    }
    return AnchorLock(fd);
  }
  AnchorLock(AnchorLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  AnchorLock(const AnchorLock&) = delete;
  AnchorLock& operator=(const AnchorLock&) = delete;
  AnchorLock& operator=(AnchorLock&&) = delete;
  ~AnchorLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit AnchorLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

std::string AuditHash(const std::string& prev_hash, int64_t id, const std::string& time,
                      const AuditEntry& entry) {
  std::string canonical;
  canonical.reserve(256 + (entry.before ? entry.before->size() : 0) +
                    (entry.after ? entry.after->size() : 0));
  canonical += '[';
  AppendCanonicalString(canonical, prev_hash);
  canonical += ',';
  canonical += std::to_string(id);
  for (const std::string* field :
       {&time, &entry.actor, &entry.action, &entry.entity, &entry.entity_id}) {
    canonical += ',';
    AppendCanonicalString(canonical, *field);
  }
  canonical += ',';
  AppendCanonicalOptional(canonical, entry.before);
  canonical += ',';
  AppendCanonicalOptional(canonical, entry.after);
  canonical += ']';
  return Sha256Hex(canonical);
}

AuditLog::AuditLog(Database& db, std::string anchor_path)
    : db_(db), anchor_path_(std::move(anchor_path)) {}

Result<AuditRecord> AuditLog::Append(const AuditEntry& entry) {
  // The entry must commit together with the change it records.
  assert(sqlite3_get_autocommit(db_.handle()) == 0 && "AuditLog::Append outside a transaction");
  assert(!entry.actor.empty() && !entry.action.empty() && !entry.entity.empty());
  if (!last_) {
    INTAKE_ASSIGN_OR_RETURN(Statement last,
                            db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
    last_.emplace(std::move(last));
    INTAKE_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO audit_log (id, time, actor, action, entity, entity_id, "
                    "before, after, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                    "?9, ?10)"));
    insert_.emplace(std::move(insert));
  }
  AuditRecord record;
  record.entry = entry;
  record.time = UtcNowIso();
  {
    ScopedStatement last(&*last_);
    INTAKE_ASSIGN_OR_RETURN(const bool any, last->Step());
    record.id = any ? last->Int(0) + 1 : 1;
    record.prev_hash = any ? last->Text(1) : kZeroHash;
  }
  record.hash = AuditHash(record.prev_hash, record.id, record.time, entry);
  ScopedStatement insert(&*insert_);
  insert->Bind(1, record.id)
      .Bind(2, record.time)
      .Bind(3, entry.actor)
      .Bind(4, entry.action)
      .Bind(5, entry.entity)
      .Bind(6, entry.entity_id)
      .Bind(7, entry.before)
      .Bind(8, entry.after)
      .Bind(9, record.prev_hash)
      .Bind(10, record.hash);
  INTAKE_RETURN_IF_ERROR(insert->Run());
  return record;
}

Result<AuditAnchor> AuditLog::Newest() {
  INTAKE_ASSIGN_OR_RETURN(Statement last,
                          db_.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  INTAKE_ASSIGN_OR_RETURN(const bool any, last.Step());
  if (!any) return AuditAnchor{0, kZeroHash};
  return AuditAnchor{last.Int(0), last.Text(1)};
}

Status AuditLog::WriteAnchor() {
  INTAKE_ASSIGN_OR_RETURN(const AuditAnchor newest, Newest());
  return WriteAnchorFile(anchor_path_, newest);
}

Status WriteAnchorFile(const std::string& path, const AuditAnchor& newest) {
  INTAKE_ASSIGN_OR_RETURN(AnchorLock lock, AnchorLock::Take(path));
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> current, ReadAnchorFile(path));
  if (current) {
    // Another process may already have anchored a newer entry: never move backwards.
    const std::optional<AuditAnchor> existing = ParseAnchor(*current);
    if (existing && existing->id >= newest.id) return OkStatus();
  }
  const std::string line = std::to_string(newest.id) + " " + newest.hash + "\n";
  return WriteFileAtomically(path, line, 0640);
}

Result<AuditVerification> AuditLog::Verify() {
  AuditVerification result;
  std::optional<AuditAnchor> anchor;
  bool anchor_missing = false;
  {
    INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> text, ReadAnchorFile(anchor_path_));
    if (!text) {
      anchor_missing = true;
    } else {
      anchor = ParseAnchor(*text);
      if (!anchor) {
        result.problems.push_back("revisionsankeret " + anchor_path_ +
                                  " er ulæseligt; de nyeste poster kan ikke kontrolleres");
      }
    }
  }

  INTAKE_ASSIGN_OR_RETURN(
      Statement rows,
      db_.Prepare("SELECT id, time, actor, action, entity, entity_id, before, after, "
                  "prev_hash, hash FROM audit_log ORDER BY id"));
  int64_t expected_id = 1;
  int64_t last_id = 0;
  std::string expected_prev = kZeroHash;
  std::optional<std::string> hash_at_anchor;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) break;
    ++result.entries;
    AuditRecord r;
    r.id = rows.Int(0);
    r.time = rows.Text(1);
    r.entry.actor = rows.Text(2);
    r.entry.action = rows.Text(3);
    r.entry.entity = rows.Text(4);
    r.entry.entity_id = rows.Text(5);
    r.entry.before = rows.OptionalText(6);
    r.entry.after = rows.OptionalText(7);
    r.prev_hash = rows.Text(8);
    r.hash = rows.Text(9);

    const std::string post = "post " + std::to_string(r.id);
    bool gap = false;
    if (r.id > expected_id) {
      gap = true;
      result.problems.push_back(
          r.id == expected_id + 1
              ? "post " + std::to_string(expected_id) + " mangler (slettet)"
              : "post " + std::to_string(expected_id) + "–" + std::to_string(r.id - 1) +
                    " mangler (slettet)");
    }
    if (AuditHash(r.prev_hash, r.id, r.time, r.entry) != r.hash) {
      result.problems.push_back(post + " er ændret: indholdet passer ikke med dens hash");
    }
    if (!gap && r.prev_hash != expected_prev) {
      result.problems.push_back(
          post + ": kæden er brudt: den henviser ikke til " +
          (r.id == 1 ? std::string("kædens start") : "post " + std::to_string(r.id - 1)) +
          " (slettet, indsat eller flyttet post)");
    }
    if (anchor && r.id == anchor->id) hash_at_anchor = r.hash;
    expected_prev = r.hash;
    expected_id = r.id + 1;
    last_id = r.id;
  }

  if (anchor_missing && result.entries > 0) {
    result.problems.push_back("revisionsankeret " + anchor_path_ +
                              " mangler; de nyeste poster kan ikke kontrolleres");
  }
  if (anchor && anchor->id > 0) {
    if (anchor->id > last_id) {
      result.problems.push_back(
          "de nyeste poster mangler: ankeret nævner post " + std::to_string(anchor->id) +
          ", men loggen slutter ved post " + std::to_string(last_id));
    } else if (hash_at_anchor && *hash_at_anchor != anchor->hash) {
      result.problems.push_back("post " + std::to_string(anchor->id) +
                                " passer ikke med revisionsankeret (ændret eller erstattet)");
    }
  }
  result.ok = result.problems.empty();
  return result;
}

Result<std::vector<AuditRecord>> AuditLog::History(const std::string& entity,
                                                   const std::string& entity_id) {
  INTAKE_ASSIGN_OR_RETURN(
      Statement rows,
      db_.Prepare("SELECT id, time, actor, action, before, after, prev_hash, hash "
                  "FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY id"));
  rows.Bind(1, entity).Bind(2, entity_id);
  std::vector<AuditRecord> out;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) break;
    AuditRecord r;
    r.id = rows.Int(0);
    r.time = rows.Text(1);
    r.entry.actor = rows.Text(2);
    r.entry.action = rows.Text(3);
    r.entry.entity = entity;
    r.entry.entity_id = entity_id;
    r.entry.before = rows.OptionalText(4);
    r.entry.after = rows.OptionalText(5);
    r.prev_hash = rows.Text(6);
    r.hash = rows.Text(7);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace intake::storage
