// SqliteUsers: the SQLite backend of storage/users.h, internal to storage/. It lives inside
// the SQLite journal (Journal::users()) and borrows the journal's connection, statement
// cache, write transactions and audit log exactly as the archive does (ArchiveHost), so a
// change and its audit entry commit together.
//
// Tables (schema.cc, version 7): users, sessions (a session's token only as its SHA-256)
// and login_failures (for the throttle; the typed user name only as a SHA-256, since a
// password typed into the name field must not be kept). Sessions and login failures are
// operational state, not records: expired ones are removed without an audit entry.
//
// Password hashing (Argon2id, slow on purpose) runs outside any transaction, so a login
// never holds the journal's write lock while it hashes.
//
// Thread-safety: as the journal: one thread at a time.
#ifndef INTAKE_STORAGE_SQLITE_USERS_H_
#define INTAKE_STORAGE_SQLITE_USERS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/sqlite_archive.h"
#include "storage/users.h"

namespace intake::storage {

// The user store borrows the same things from the journal as the archive.
using UsersHost = ArchiveHost;

class SqliteUsers final : public UserStore {
 public:
  SqliteUsers(UsersHost host, UserOptions options);

  Result<UserRecord> AddUser(const NewUser& user, const Actor& actor) override;
  Result<UserRecord> GetUser(std::string_view username) override;
  Result<UserRecord> GetUserById(int64_t id) override;
  Result<std::vector<UserRecord>> ListUsers() override;
  Result<UserRecord> SetPassword(std::string_view username, std::string_view password,
                                 const Actor& actor) override;
  Result<UserRecord> SetRole(std::string_view username, Role role, const Actor& actor) override;
  Result<UserRecord> SetGroups(std::string_view username, const std::vector<std::string>& groups,
                               const Actor& actor) override;
  Result<UserRecord> SetDisabled(std::string_view username, bool disabled,
                                 const Actor& actor) override;
  Result<bool> HasAdministrator() override;

  Result<LoginResult> Login(std::string_view username, std::string_view password,
                            std::string_view remote_address) override;
  Result<AuthenticatedSession> Authenticate(std::string_view token) override;
  Status Logout(std::string_view token) override;
  Result<int> LogoutAll(std::string_view username, const Actor& actor) override;
  Result<std::vector<Session>> SessionsOf(std::string_view username) override;

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  // A user row with its password hash.
  struct StoredUser {
    UserRecord user;
    std::string password_hash;
  };

  TimePoint Now() const;
  Result<std::optional<StoredUser>> LoadByName(std::string_view username);
  Result<std::optional<StoredUser>> LoadById(int64_t id);
  Result<StoredUser> Require(std::string_view username);
  Result<std::optional<StoredUser>> ReadUser(Statement& s);
  // The Argon2id hash of `password` at the configured cost.
  Result<std::string> Hash(std::string_view password);
  // Verifies against the stored hash, or against a dummy hash when there is no user, so an
  // unknown user takes as long as a wrong password.
  Result<bool> Verify(const std::optional<StoredUser>& user, std::string_view password);
  // How many whole minutes (at least 1) until a login for `name_hash` from `address` is
  // allowed again; nullopt when it is allowed now.
  Result<std::optional<int64_t>> ThrottleWait(TimePoint now, const std::string& name_hash,
                                              const std::string& address);
  Result<std::optional<TimePoint>> NthNewestFailure(const char* sql, const std::string& key,
                                                    TimePoint since, int n);
  // Counts the failure and audits it. REQUIRES: an open transaction.
  Status RecordFailure(TimePoint now, const std::string& name_hash, const std::string& address,
                       const std::optional<StoredUser>& user, std::string_view reason);
  // Removes the user's sessions; returns how many. REQUIRES: an open transaction.
  Result<int> EndSessions(int64_t user_id);
  // Enabled administrators other than `user_id`.
  Result<int64_t> OtherAdministrators(int64_t user_id);
  Result<std::optional<Session>> SessionByTokenHash(const std::string& token_hash);
  Session ReadSession(Statement& s) const;
  bool Expired(const Session& s, TimePoint now) const;
  // Fills Session::expires from last_seen and the absolute end.
  void SetExpiry(Session& s) const;
  Status AuditUser(const Actor& actor, const char* action, const UserRecord& user,
                   std::optional<std::string> before, std::optional<std::string> after);

  UsersHost host_;
  UserOptions options_;
  unsigned long long opslimit_;
  size_t memlimit_;
  std::optional<std::string> dummy_hash_;  // computed at the first login of an unknown user
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_SQLITE_USERS_H_
