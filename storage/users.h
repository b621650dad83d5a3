// UserStore: the station's users, their roles and access groups, their passwords and their
// login sessions, behind a backend-neutral interface. The SQLite backend lives inside the
// SQLite journal (Journal::users(), storage/sqlite_users.h): users, sessions and login
// failures are tables of the journal's database, and every change is in the journal's
// hash-chained audit log in the same transaction as the change.
//
// Made for a web UI (`station serve`) and the `station user` command line:
//   - Login(username, password, remote address) checks the password, the throttle and the
//     user's state and creates a session; the session token is returned once, hex-encoded,
//     for a cookie (only its SHA-256 is stored, so a copy of the database opens no session);
//   - Authenticate(token) finds the session of a cookie and its user, refreshing last_seen
//     and refusing an expired session or a disabled user;
//   - CsrfMatches(session, token) compares a request's CSRF token with the session's in
//     constant time;
//   - Logout(token) ends one session; a password change and disabling a user end all of the
//     user's sessions.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str). The default cost is
// libsodium's INTERACTIVE level (2 passes over 64 MiB, about 0.1 s on the station's
// hardware): a login is interactive and a station serves a post room of a few dozen users,
// so a login must answer within a fraction of a second and several may arrive at once
// without exhausting memory; MODERATE (256 MiB, ~0.7 s) or SENSITIVE (1 GiB, several
// seconds) would make every login wait and let a handful of concurrent logins take
// gigabytes. INTERACTIVE is libsodium's recommendation for online logins, and the login
// throttle below bounds online guessing anyway. A stored hash of another cost is replaced
// at the next successful login (crypto_pwhash_str_needs_rehash).
//
// Login throttling is stored in the database, so it holds across processes and restarts:
// after UserOptions::max_failures_per_user failed logins for one user name, or
// max_failures_per_address from one remote address, within UserOptions::throttle_window,
// further attempts are refused without checking the password until enough failures have
// aged out of the window. A successful login clears its user name's failures (not its
// address's). Refused attempts are not counted, so an attacker cannot extend a lock-out
// forever; the address limit stops one address from locking out many users quickly.
//
// Error codes the web server maps to HTTP responses:
//   Login: kInvalidArgument with kLoginFailedMessage for an unknown user or a wrong
//     password (the same message and about the same time, so it does not reveal whether
//     the user exists); kUnavailable "for mange mislykkede forsøg; prøv igen om N
//     minutter" when throttled; kFailedPrecondition for a disabled user (only after the
//     right password).
//   Authenticate: kNotFound for a malformed, unknown, expired or ended session token or a
//     disabled user.
//
// Thread-safety: as the journal: one thread at a time. Several processes may use the
// same database; the throttle and the sessions are shared through it.
#ifndef INTAKE_STORAGE_USERS_H_
#define INTAKE_STORAGE_USERS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/viewer.h"

namespace intake::storage {

struct Actor;

enum class Role { kPostRoom, kArchivist, kCaseworker, kManager, kAdministrator };
// "post_room", "archivist", "caseworker", "manager", "administrator" (as stored).
std::string_view RoleName(Role role);
// "postrum", "arkivar", "sagsbehandler", "leder", "administrator".
std::string_view RoleDanish(Role role);
// Accepts the Danish and the English names in any letter case ("Arkivar", "archivist",
// "post-room"); nullopt otherwise.
std::optional<Role> ParseRole(std::string_view text);
// The Danish names, for messages and help: "postrum, arkivar, sagsbehandler, leder,
// administrator".
std::string RoleChoices();

// The Danish message of a failed login (unknown user or wrong password alike).
inline constexpr std::string_view kLoginFailedMessage = "forkert brugernavn eller adgangskode";

struct NewUser {
  // 2-64 characters of a-z 0-9 . _ - (upper-case letters are accepted and stored in lower
  // case); unique whatever the letter case; never CPR-like.
  std::string username;
  // Shown in the UI and the audit log's context; "" means the user name. At most 200 bytes
  // of UTF-8, no CPR-like number.
  std::string display_name;
  Role role = Role::kPostRoom;
  // Access groups for restricted cases (storage/viewer.h); duplicates are dropped.
  std::vector<std::string> groups;
  // Checked by CheckPasswordRules; never stored, logged or echoed.
  std::string password;
};

struct UserRecord {
  int64_t id = 0;
  std::string username;  // lower case
  std::string display_name;
  Role role = Role::kPostRoom;
  std::vector<std::string> groups;  // sorted
  bool disabled = false;
  std::string created;           // ISO 8601 UTC
  std::string password_changed;  // ISO 8601 UTC
};

// What the user may read: their name and groups, never all cases.
Viewer ViewerFor(const UserRecord& user);

// A login session. The token itself is not here: it exists only in the caller's cookie.
struct Session {
  int64_t id = 0;
  int64_t user_id = 0;
  // 64 hex digits; embed it in pages and compare it with CsrfMatches on every change.
  std::string csrf_token;
  std::string remote_address;
  std::string created;    // ISO 8601 UTC
  std::string last_seen;  // ISO 8601 UTC
  // When it ends unless used before: the earlier of last_seen + idle timeout and the
  // absolute end. ISO 8601 UTC.
  std::string expires;
  std::string absolute_expires;  // created + absolute lifetime; ISO 8601 UTC
};

struct LoginResult {
  // The session token, 64 hex digits (32 random bytes): give it to the client once (an
  // HttpOnly, SameSite=Strict cookie); it is not stored and cannot be recovered.
  std::string token;
  Session session;
  UserRecord user;
};

struct AuthenticatedSession {
  UserRecord user;
  Session session;
};

struct UserOptions {
  // A session unused for this long ends. Default 1 hour: the journal holds personal data
  // (a forgotten, unlocked browser should not stay logged in for a day), while a post-room
  // or archive worker's lunch break or meeting does not log them out mid-batch.
  std::chrono::minutes idle_timeout{60};
  // A session ends this long after login however busy. Default 10 hours: one working day
  // including overtime; everyone logs in once each morning.
  std::chrono::minutes absolute_lifetime{10 * 60};
  // Authenticate writes last_seen only when the stored one is older than this, so a page
  // with many requests costs one write a minute, not one per request. Default 60 s.
  std::chrono::seconds touch_interval{60};
  // Login throttling (see the header comment). Defaults 5, 20 and 15 minutes.
  int max_failures_per_user = 5;
  int max_failures_per_address = 20;
  std::chrono::minutes throttle_window{15};
  // Argon2id cost; 0 means libsodium's INTERACTIVE level (see the header comment). Tests
  // use crypto_pwhash_OPSLIMIT_MIN (1) and MEMLIMIT_MIN (8192) to stay fast.
  uint64_t pwhash_opslimit = 0;
  size_t pwhash_memlimit = 0;
  // The clock; default std::chrono::system_clock::now. Tests inject one and never sleep.
  std::function<std::chrono::system_clock::time_point()> clock;
};

// Checks a new password: 10-256 bytes, not the user name (in any letter case), not one of
// the most common passwords (Danish and English), not one character repeated.
// kInvalidArgument with a Danish message that never contains the password.
Status CheckPasswordRules(std::string_view username, std::string_view password);

// Checks a user name (NewUser::username); returns it in lower case. kInvalidArgument with a
// Danish message naming the rule (and never quoting a CPR-like name).
Result<std::string> NormaliseUsername(std::string_view username);

// True when `token` is the session's CSRF token: compared in constant time; false for an
// empty token or one of another length.
bool CsrfMatches(const Session& session, std::string_view token);

class UserStore {
 public:
  virtual ~UserStore() = default;

  // ---- users ----
  // Adds a user with a hashed password ("user.add", without the hash). kAlreadyExists
  // when the name is taken (in any letter case); kInvalidArgument naming the field for a
  // bad user name, display name, group or password.
  virtual Result<UserRecord> AddUser(const NewUser& user, const Actor& actor) = 0;
  // By name in any letter case. kNotFound naming the user.
  virtual Result<UserRecord> GetUser(std::string_view username) = 0;
  virtual Result<UserRecord> GetUserById(int64_t id) = 0;
  // Ordered by user name.
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  // Sets a new password (CheckPasswordRules) and ends all of the user's sessions
  // ("user.password" with the number of sessions ended). kNotFound; kInvalidArgument.
  virtual Result<UserRecord> SetPassword(std::string_view username, std::string_view password,
                                         const Actor& actor) = 0;
  // "user.role" with before and after; no entry when unchanged. kFailedPrecondition when
  // it would leave no enabled administrator.
  virtual Result<UserRecord> SetRole(std::string_view username, Role role, const Actor& actor) = 0;
  // Replaces the access groups ("user.groups"); no entry when unchanged.
  virtual Result<UserRecord> SetGroups(std::string_view username,
                                       const std::vector<std::string>& groups,
                                       const Actor& actor) = 0;
  // Disables ("user.disable", ending all sessions) or enables ("user.enable") a user; no
  // entry when unchanged. kFailedPrecondition when disabling the last enabled
  // administrator.
  virtual Result<UserRecord> SetDisabled(std::string_view username, bool disabled,
                                         const Actor& actor) = 0;
  // True when at least one enabled administrator exists (`station serve` refuses to start
  // without one and tells how to create one: `station user add NAVN --role administrator`).
  virtual Result<bool> HasAdministrator() = 0;

  // ---- sessions ----
  // Checks the throttle, the password and the user, then creates a session
  // ("session.login"); a failure is counted and audited ("session.login_failed": the user
  // when it exists, never the typed name of an unknown one, never the password). Errors:
  // see the header comment.
  virtual Result<LoginResult> Login(std::string_view username, std::string_view password,
                                    std::string_view remote_address) = 0;
  // The session of `token` and its user; refreshes last_seen (at most every
  // touch_interval). An expired session is removed. kNotFound: see the header comment.
  virtual Result<AuthenticatedSession> Authenticate(std::string_view token) = 0;
  // Ends the session of `token` ("session.logout"). kNotFound when there is none.
  virtual Status Logout(std::string_view token) = 0;
  // Ends every session of the user ("session.logout" with reason "all"); returns how many.
  // kNotFound for an unknown user.
  virtual Result<int> LogoutAll(std::string_view username, const Actor& actor) = 0;
  // The user's sessions that have not expired, oldest first.
  virtual Result<std::vector<Session>> SessionsOf(std::string_view username) = 0;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_USERS_H_
