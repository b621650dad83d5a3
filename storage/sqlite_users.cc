// The SQLite user store (storage/sqlite_users.h).
#include "storage/sqlite_users.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "base/cpr_mask.h"
#include "base/sha256.h"
#include "storage/journal.h"

namespace intake::storage {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr size_t kMaxDisplayNameBytes = 200;
constexpr size_t kMaxGroupBytes = 64;
constexpr size_t kMaxGroups = 100;
constexpr size_t kMaxAddressBytes = 100;
// Longer input is not hashed at all at login (it cannot be a valid password).
constexpr size_t kMaxLoginPasswordBytes = 1024;
constexpr size_t kTokenBytes = 32;

#define USER_COLUMNS \
  "id, username, display_name, role, groups, disabled, created, password_changed, password_hash"
#define SESSION_COLUMNS \
  "id, user_id, csrf_token, remote_address, created, last_seen, absolute_expires"

constexpr const char kUserByName[] = "SELECT " USER_COLUMNS " FROM users WHERE username = ?1";
constexpr const char kUserById[] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1";
constexpr const char kListUsers[] = "SELECT " USER_COLUMNS " FROM users ORDER BY username";
constexpr const char kInsertUser[] =
    "INSERT INTO users (username, display_name, role, groups, password_hash, disabled, created, "
    "password_changed) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)";
constexpr const char kSetPassword[] =
    "UPDATE users SET password_hash = ?2, password_changed = ?3 WHERE id = ?1";
constexpr const char kRehash[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
constexpr const char kSetRole[] = "UPDATE users SET role = ?2 WHERE id = ?1";
constexpr const char kSetGroups[] = "UPDATE users SET groups = ?2 WHERE id = ?1";
constexpr const char kSetDisabled[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
constexpr const char kOtherAdministrators[] =
    "SELECT count(*) FROM users WHERE role = 'administrator' AND disabled = 0 AND id <> ?1";
constexpr const char kInsertFailure[] =
    "INSERT INTO login_failures (time, name_hash, remote_address) VALUES (?1, ?2, ?3)";
constexpr const char kNthFailureOfName[] =
    "SELECT time FROM login_failures WHERE name_hash = ?1 AND time > ?2 "
    "ORDER BY time DESC LIMIT 1 OFFSET ?3";
constexpr const char kNthFailureOfAddress[] =
    "SELECT time FROM login_failures WHERE remote_address = ?1 AND time > ?2 "
    "ORDER BY time DESC LIMIT 1 OFFSET ?3";
constexpr const char kClearFailuresOfName[] = "DELETE FROM login_failures WHERE name_hash = ?1";
constexpr const char kPruneFailures[] = "DELETE FROM login_failures WHERE time <= ?1";
constexpr const char kInsertSession[] =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, remote_address, created, last_seen, "
    "absolute_expires) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)";
constexpr const char kSessionByHash[] =
    "SELECT " SESSION_COLUMNS " FROM sessions WHERE token_hash = ?1";
constexpr const char kSessionsOfUser[] =
    "SELECT " SESSION_COLUMNS " FROM sessions WHERE user_id = ?1 ORDER BY id";
constexpr const char kTouchSession[] = "UPDATE sessions SET last_seen = ?2 WHERE id = ?1";
constexpr const char kDeleteSession[] = "DELETE FROM sessions WHERE id = ?1";
constexpr const char kDeleteSessionsOfUser[] = "DELETE FROM sessions WHERE user_id = ?1";
constexpr const char kPruneSessions[] =
    "DELETE FROM sessions WHERE absolute_expires <= ?1 OR last_seen <= ?2";

// ISO 8601 UTC with milliseconds, as UtcNowIso writes it (so stored times compare as text).
std::string Iso(Clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count() % 1000));
  return buf;
}

// The inverse of Iso; the epoch for text it did not write.
Clock::time_point ParseIso(const std::string& text) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6) {
    return Clock::time_point{};
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return Clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Result<std::string> CheckDisplayName(const std::string& display_name, const std::string& username) {
  if (IsBlank(display_name)) return username;
  if (display_name.size() > kMaxDisplayNameBytes) {
    return Error(ErrorCode::kInvalidArgument, "visningsnavnet er for langt (højst " +
                                                  std::to_string(kMaxDisplayNameBytes) + " byte)");
  }
  if (!IsCleanUtf8(display_name)) {
    return Error(ErrorCode::kInvalidArgument,
                 "visningsnavnet er ikke gyldig UTF-8-tekst eller indeholder styretegn");
  }
  if (ContainsCprLike(display_name)) {
    return Error(ErrorCode::kInvalidArgument,
                 "visningsnavnet ligner et CPR-nummer; skriv navnet uden CPR-nummer");
  }
  return display_name;
}

// Sorted, without duplicates; each group 1-64 bytes of UTF-8 without spaces, control
// characters or a CPR-like number.
Result<std::vector<std::string>> CheckGroups(const std::vector<std::string>& groups) {
  if (groups.size() > kMaxGroups) {
    return Error(ErrorCode::kInvalidArgument,
                 "for mange adgangsgrupper (højst " + std::to_string(kMaxGroups) + ")");
  }
  std::set<std::string> unique;
  for (const std::string& g : groups) {
    if (g.empty() || g.size() > kMaxGroupBytes) {
      return Error(ErrorCode::kInvalidArgument,
                   "en adgangsgruppe skal være 1-" + std::to_string(kMaxGroupBytes) + " byte lang");
    }
    if (!IsCleanUtf8(g) || g.find(' ') != std::string::npos || g.find(',') != std::string::npos) {
      return Error(ErrorCode::kInvalidArgument,
                   "adgangsgruppen »" + g + "« må ikke indeholde mellemrum, komma eller styretegn");
    }
    if (ContainsCprLike(g)) {
      return Error(ErrorCode::kInvalidArgument, "en adgangsgruppe ligner et CPR-nummer");
    }
    unique.insert(g);
  }
  return std::vector<std::string>(unique.begin(), unique.end());
}

Json UserJson(const UserRecord& u) {
  return Json{{"username", u.username},
              {"display_name", u.display_name},
              {"role", std::string(RoleName(u.role))},
              {"groups", u.groups},
              {"disabled", u.disabled}};
}

Result<std::string> RandomHex(size_t bytes) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium kunne ikke initialiseres");
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  sodium_memzero(raw.data(), raw.size());
  hex.pop_back();  // the terminating NUL
  return hex;
}

// A session token as the client sends it: 64 hex digits; lower case, or nullopt.
std::optional<std::string> TokenOf(std::string_view token) {
  if (token.size() != kTokenBytes * 2) return std::nullopt;
  std::string t(token);
  for (char& c : t) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return t;
}

// The throttle's key for a typed user name: never the name itself (it may be a password
// typed into the wrong field).
std::string NameHash(std::string_view typed) {
  std::string lower(typed);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Sha256Hex("login-name:" + lower);
}

Error SessionNotFound() {
  return Error(ErrorCode::kNotFound, "sessionen findes ikke eller er udløbet; log ind igen");
}

Error UserNotFound(std::string_view username) {
  return Error(ErrorCode::kNotFound,
               "brugeren »" + std::string(username) + "« findes ikke (se `station user list`)");
}

}  // namespace

SqliteUsers::SqliteUsers(UsersHost host, UserOptions options)
    : host_(std::move(host)),
      options_(std::move(options)),
      opslimit_(options_.pwhash_opslimit != 0 ? options_.pwhash_opslimit
                                              : crypto_pwhash_OPSLIMIT_INTERACTIVE),
      memlimit_(options_.pwhash_memlimit != 0 ? options_.pwhash_memlimit
                                              : crypto_pwhash_MEMLIMIT_INTERACTIVE) {}

SqliteUsers::TimePoint SqliteUsers::Now() const {
  return options_.clock ? options_.clock() : Clock::now();
}

// ---- rows ----

Result<std::optional<SqliteUsers::StoredUser>> SqliteUsers::ReadUser(Statement& s) {
  INTAKE_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<StoredUser>();
  StoredUser u;
  u.user.id = s.Int(0);
  u.user.username = s.Text(1);
  u.user.display_name = s.Text(2);
  const std::optional<Role> role = ParseRole(s.Text(3));
  if (!role) {
    return Error(ErrorCode::kCorruption,
                 "brugeren " + u.user.username + " har en ukendt rolle i journalen");
  }
  u.user.role = *role;
  const Json groups = Json::parse(s.Text(4), nullptr, false);
  if (!groups.is_array()) {
    return Error(ErrorCode::kCorruption,
                 "brugeren " + u.user.username + " har en ulæselig gruppeliste i journalen");
  }
  for (const Json& g : groups) {
    if (g.is_string()) u.user.groups.push_back(g.get<std::string>());
  }
  u.user.disabled = s.Int(5) != 0;
  u.user.created = s.Text(6);
  u.user.password_changed = s.Text(7);
  u.password_hash = s.Text(8);
  return std::optional<StoredUser>(std::move(u));
}

Result<std::optional<SqliteUsers::StoredUser>> SqliteUsers::LoadByName(std::string_view username) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kUserByName));
  s->Bind(1, username);
  return ReadUser(*s);
}

Result<std::optional<SqliteUsers::StoredUser>> SqliteUsers::LoadById(int64_t id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kUserById));
  s->Bind(1, id);
  return ReadUser(*s);
}

Result<SqliteUsers::StoredUser> SqliteUsers::Require(std::string_view username) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<StoredUser> u, LoadByName(username));
  if (!u) return UserNotFound(username);
  return std::move(*u);
}

Status SqliteUsers::AuditUser(const Actor& actor, const char* action, const UserRecord& user,
                              std::optional<std::string> before, std::optional<std::string> after) {
  return host_.audit(actor, action, "user", std::to_string(user.id), std::move(before),
                     std::move(after));
}

// ---- passwords ----

Result<std::string> SqliteUsers::Hash(std::string_view password) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium kunne ikke initialiseres");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), opslimit_, memlimit_) != 0) {
    return Error(ErrorCode::kUnavailable,
                 "der var ikke hukommelse nok til at beregne adgangskodens hash; prøv igen");
  }
  return std::string(out);
}

Result<bool> SqliteUsers::Verify(const std::optional<StoredUser>& user, std::string_view password) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium kunne ikke initialiseres");
  if (password.size() > kMaxLoginPasswordBytes) return false;
  if (!user) {
    if (!dummy_hash_) {
      INTAKE_ASSIGN_OR_RETURN(std::string random, RandomHex(16));
      INTAKE_ASSIGN_OR_RETURN(dummy_hash_, Hash(random));
    }
    // The result is always a refusal; only the time spent matters.
    if (crypto_pwhash_str_verify(dummy_hash_->c_str(), password.data(), password.size()) == 0) {
      return false;
    }
    return false;
  }
  return crypto_pwhash_str_verify(user->password_hash.c_str(), password.data(), password.size()) ==
         0;
}

// ---- users ----

Result<UserRecord> SqliteUsers::AddUser(const NewUser& given, const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(const std::string username, NormaliseUsername(given.username));
  INTAKE_ASSIGN_OR_RETURN(const std::string display_name,
                          CheckDisplayName(given.display_name, username));
  INTAKE_ASSIGN_OR_RETURN(const std::vector<std::string> groups, CheckGroups(given.groups));
  INTAKE_RETURN_IF_ERROR(CheckPasswordRules(username, given.password));
  {
    INTAKE_ASSIGN_OR_RETURN(std::optional<StoredUser> existing, LoadByName(username));
    if (existing) {
      return Error(ErrorCode::kAlreadyExists, "brugernavnet »" + username + "« er optaget");
    }
  }
  INTAKE_ASSIGN_OR_RETURN(const std::string hash, Hash(given.password));
  UserRecord user;
  user.username = username;
  user.display_name = display_name;
  user.role = given.role;
  user.groups = groups;
  user.created = user.password_changed = Iso(Now());
  if (Status done = host_.in_transaction([&]() -> Status {
        INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kInsertUser));
        Status inserted = s->Bind(1, user.username)
                              .Bind(2, user.display_name)
                              .Bind(3, RoleName(user.role))
                              .Bind(4, Dump(Json(user.groups)))
                              .Bind(5, hash)
                              .Bind(6, user.created)
                              .Run();
        if (!inserted) {
          // Another process added the name between the check and the insert.
          if (inserted.error().message().find("UNIQUE") != std::string::npos) {
            return Error(ErrorCode::kAlreadyExists, "brugernavnet »" + username + "« er optaget");
          }
          return inserted.error();
        }
        user.id = host_.db->LastInsertId();
        return AuditUser(actor, "user.add", user, std::nullopt, Dump(UserJson(user)));
      });
      !done)
    return done.error();
  return user;
}

Result<UserRecord> SqliteUsers::GetUser(std::string_view username) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  return u.user;
}

Result<UserRecord> SqliteUsers::GetUserById(int64_t id) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<StoredUser> u, LoadById(id));
  if (!u) return Error(ErrorCode::kNotFound, "bruger " + std::to_string(id) + " findes ikke");
  return u->user;
}

Result<std::vector<UserRecord>> SqliteUsers::ListUsers() {
  std::vector<UserRecord> users;
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kListUsers));
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(std::optional<StoredUser> u, ReadUser(*s));
    if (!u) break;
    users.push_back(std::move(u->user));
  }
  return users;
}

Result<int> SqliteUsers::EndSessions(int64_t user_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kDeleteSessionsOfUser));
  INTAKE_RETURN_IF_ERROR(s->Bind(1, user_id).Run());
  return host_.db->Changes();
}

Result<int64_t> SqliteUsers::OtherAdministrators(int64_t user_id) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kOtherAdministrators));
  s->Bind(1, user_id);
  INTAKE_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->Int(0) : 0;
}

Result<UserRecord> SqliteUsers::SetPassword(std::string_view username, std::string_view password,
                                            const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  INTAKE_RETURN_IF_ERROR(CheckPasswordRules(u.user.username, password));
  INTAKE_ASSIGN_OR_RETURN(const std::string hash, Hash(password));
  const std::string now = Iso(Now());
  if (Status done = host_.in_transaction([&]() -> Status {
        INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSetPassword));
        INTAKE_RETURN_IF_ERROR(s->Bind(1, u.user.id).Bind(2, hash).Bind(3, now).Run());
        INTAKE_ASSIGN_OR_RETURN(const int ended, EndSessions(u.user.id));
        return AuditUser(actor, "user.password", u.user, std::nullopt,
                         Dump(Json{{"password_changed", now}, {"sessions_ended", ended}}));
      });
      !done)
    return done.error();
  u.user.password_changed = now;
  return u.user;
}

Result<UserRecord> SqliteUsers::SetRole(std::string_view username, Role role, const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  if (u.user.role == role) return u.user;
  const UserRecord before = u.user;
  u.user.role = role;
  if (Status done = host_.in_transaction([&]() -> Status {
        if (before.role == Role::kAdministrator && !before.disabled) {
          INTAKE_ASSIGN_OR_RETURN(const int64_t others, OtherAdministrators(before.id));
          if (others == 0) {
            return Error(ErrorCode::kFailedPrecondition,
                         before.username +
                             " er den eneste aktive administrator; opret først en anden "
                             "(station user add NAVN --role administrator)");
          }
        }
        INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSetRole));
        INTAKE_RETURN_IF_ERROR(s->Bind(1, u.user.id).Bind(2, RoleName(role)).Run());
        return AuditUser(actor, "user.role", u.user, Dump(Json{{"role", RoleName(before.role)}}),
                         Dump(Json{{"role", RoleName(role)}}));
      });
      !done)
    return done.error();
  return u.user;
}

Result<UserRecord> SqliteUsers::SetGroups(std::string_view username,
                                          const std::vector<std::string>& groups,
                                          const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  INTAKE_ASSIGN_OR_RETURN(const std::vector<std::string> checked, CheckGroups(groups));
  if (checked == u.user.groups) return u.user;
  const std::vector<std::string> before = u.user.groups;
  u.user.groups = checked;
  if (Status done = host_.in_transaction([&]() -> Status {
        INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSetGroups));
        INTAKE_RETURN_IF_ERROR(s->Bind(1, u.user.id).Bind(2, Dump(Json(checked))).Run());
        return AuditUser(actor, "user.groups", u.user, Dump(Json{{"groups", before}}),
                         Dump(Json{{"groups", checked}}));
      });
      !done)
    return done.error();
  return u.user;
}

Result<UserRecord> SqliteUsers::SetDisabled(std::string_view username, bool disabled,
                                            const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  if (u.user.disabled == disabled) return u.user;
  u.user.disabled = disabled;
  if (Status done = host_.in_transaction([&]() -> Status {
        if (disabled && u.user.role == Role::kAdministrator) {
          INTAKE_ASSIGN_OR_RETURN(const int64_t others, OtherAdministrators(u.user.id));
          if (others == 0) {
            return Error(ErrorCode::kFailedPrecondition,
                         u.user.username +
                             " er den eneste aktive administrator og kan ikke spærres; opret først "
                             "en anden (station user add NAVN --role administrator)");
          }
        }
        INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSetDisabled));
        INTAKE_RETURN_IF_ERROR(s->Bind(1, u.user.id).Bind(2, disabled ? 1 : 0).Run());
        int ended = 0;
        if (disabled) {
          INTAKE_ASSIGN_OR_RETURN(ended, EndSessions(u.user.id));
        }
        Json after{{"disabled", disabled}};
        if (disabled) after["sessions_ended"] = ended;
        return AuditUser(actor, disabled ? "user.disable" : "user.enable", u.user,
                         Dump(Json{{"disabled", !disabled}}), Dump(after));
      });
      !done)
    return done.error();
  return u.user;
}

Result<bool> SqliteUsers::HasAdministrator() {
  INTAKE_ASSIGN_OR_RETURN(const int64_t admins, OtherAdministrators(0));
  return admins > 0;
}

// ---- throttle ----

Result<std::optional<SqliteUsers::TimePoint>> SqliteUsers::NthNewestFailure(const char* sql,
                                                                            const std::string& key,
                                                                            TimePoint since,
                                                                            int n) {
  if (n <= 0) return std::optional<TimePoint>(since);
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(sql));
  s->Bind(1, key).Bind(2, Iso(since)).Bind(3, n - 1);
  INTAKE_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<TimePoint>();
  return std::optional<TimePoint>(ParseIso(s->Text(0)));
}

Result<std::optional<int64_t>> SqliteUsers::ThrottleWait(TimePoint now,
                                                         const std::string& name_hash,
                                                         const std::string& address) {
  const TimePoint since = now - options_.throttle_window;
  std::optional<TimePoint> until;
  INTAKE_ASSIGN_OR_RETURN(
      std::optional<TimePoint> by_name,
      NthNewestFailure(kNthFailureOfName, name_hash, since, options_.max_failures_per_user));
  if (by_name) until = *by_name + options_.throttle_window;
  INTAKE_ASSIGN_OR_RETURN(
      std::optional<TimePoint> by_address,
      NthNewestFailure(kNthFailureOfAddress, address, since, options_.max_failures_per_address));
  if (by_address) {
    const TimePoint t = *by_address + options_.throttle_window;
    if (!until || t > *until) until = t;
  }
  if (!until || *until <= now) return std::optional<int64_t>();
  const auto wait = std::chrono::ceil<std::chrono::minutes>(*until - now).count();
  return std::optional<int64_t>(std::max<int64_t>(1, wait));
}

Status SqliteUsers::RecordFailure(TimePoint now, const std::string& name_hash,
                                  const std::string& address, const std::optional<StoredUser>& user,
                                  std::string_view reason) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kInsertFailure));
  INTAKE_RETURN_IF_ERROR(s->Bind(1, Iso(now)).Bind(2, name_hash).Bind(3, address).Run());
  Json after{{"remote_address", address}, {"reason", reason}};
  // The audit log is permanent: an unknown name is not written (it may be a password
  // typed into the name field).
  if (!user)
    return host_.audit(Actor{"ukendt"}, "session.login_failed", "user", "", std::nullopt,
                       Dump(after));
  return AuditUser(Actor{user->user.username}, "session.login_failed", user->user, std::nullopt,
                   Dump(after));
}

// ---- sessions ----

void SqliteUsers::SetExpiry(Session& s) const {
  const TimePoint idle_end = ParseIso(s.last_seen) + options_.idle_timeout;
  const TimePoint absolute_end = ParseIso(s.absolute_expires);
  s.expires = Iso(std::min(idle_end, absolute_end));
}

bool SqliteUsers::Expired(const Session& s, TimePoint now) const {
  return now >= ParseIso(s.expires);
}

Session SqliteUsers::ReadSession(Statement& s) const {
  Session session;
  session.id = s.Int(0);
  session.user_id = s.Int(1);
  session.csrf_token = s.Text(2);
  session.remote_address = s.Text(3);
  session.created = s.Text(4);
  session.last_seen = s.Text(5);
  session.absolute_expires = s.Text(6);
  SetExpiry(session);
  return session;
}

Result<std::optional<Session>> SqliteUsers::SessionByTokenHash(const std::string& token_hash) {
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSessionByHash));
  s->Bind(1, token_hash);
  INTAKE_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Session>();
  return std::optional<Session>(ReadSession(*s));
}

Result<LoginResult> SqliteUsers::Login(std::string_view username, std::string_view password,
                                       std::string_view remote_address) {
  const TimePoint now = Now();
  std::string address = IsBlank(remote_address) ? "ukendt" : std::string(remote_address);
  if (address.size() > kMaxAddressBytes || !IsCleanUtf8(address)) address = "ugyldig";
  const std::string name_hash = NameHash(username);

  auto throttled = [](int64_t minutes) {
    return Error(ErrorCode::kUnavailable, "for mange mislykkede forsøg; prøv igen om " +
                                              std::to_string(minutes) +
                                              (minutes == 1 ? " minut" : " minutter"));
  };
  {
    INTAKE_ASSIGN_OR_RETURN(std::optional<int64_t> wait, ThrottleWait(now, name_hash, address));
    if (wait) return throttled(*wait);
  }
  // Only a well-formed name can be a user; any other is looked up as nobody.
  std::optional<StoredUser> user;
  if (Result<std::string> name = NormaliseUsername(username); name) {
    INTAKE_ASSIGN_OR_RETURN(user, LoadByName(*name));
  }
  INTAKE_ASSIGN_OR_RETURN(const bool verified, Verify(user, password));
  if (!verified || user->user.disabled) {
    const char* reason = !user ? "unknown_user" : !verified ? "wrong_password" : "disabled";
    if (Status done = host_.in_transaction(
            [&]() { return RecordFailure(now, name_hash, address, user, reason); });
        !done)
      return done.error();
    if (verified) {
      return Error(ErrorCode::kFailedPrecondition, "brugeren er spærret; kontakt en administrator");
    }
    return Error(ErrorCode::kInvalidArgument, std::string(kLoginFailedMessage));
  }

  // The right password: rehash at today's cost if needed, outside the transaction.
  std::optional<std::string> rehashed;
  if (crypto_pwhash_str_needs_rehash(user->password_hash.c_str(), opslimit_, memlimit_) != 0) {
    INTAKE_ASSIGN_OR_RETURN(rehashed, Hash(password));
  }
  INTAKE_ASSIGN_OR_RETURN(std::string token, RandomHex(kTokenBytes));
  INTAKE_ASSIGN_OR_RETURN(std::string csrf, RandomHex(kTokenBytes));
  LoginResult result;
  result.user = user->user;
  Session& session = result.session;
  session.user_id = user->user.id;
  session.csrf_token = csrf;
  session.remote_address = address;
  session.created = session.last_seen = Iso(now);
  session.absolute_expires = Iso(now + options_.absolute_lifetime);
  SetExpiry(session);
  const Actor actor{user->user.username};

  if (Status done = host_.in_transaction([&]() -> Status {
        // Checked again under the write lock: another process may have counted failures since.
        INTAKE_ASSIGN_OR_RETURN(std::optional<int64_t> wait, ThrottleWait(now, name_hash, address));
        if (wait) return throttled(*wait);
        {
          INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kClearFailuresOfName));
          INTAKE_RETURN_IF_ERROR(s->Bind(1, name_hash).Run());
        }
        {
          INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kPruneFailures));
          INTAKE_RETURN_IF_ERROR(s->Bind(1, Iso(now - options_.throttle_window)).Run());
        }
        {
          INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kPruneSessions));
          INTAKE_RETURN_IF_ERROR(
              s->Bind(1, Iso(now)).Bind(2, Iso(now - options_.idle_timeout)).Run());
        }
        if (rehashed) {
          INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kRehash));
          INTAKE_RETURN_IF_ERROR(s->Bind(1, user->user.id).Bind(2, *rehashed).Run());
          INTAKE_RETURN_IF_ERROR(AuditUser(actor, "user.rehash", user->user, std::nullopt,
                                           Dump(Json{{"reason", "cost_changed"}})));
        }
        INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kInsertSession));
        INTAKE_RETURN_IF_ERROR(s->Bind(1, Sha256Hex(token))
                                   .Bind(2, session.user_id)
                                   .Bind(3, session.csrf_token)
                                   .Bind(4, session.remote_address)
                                   .Bind(5, session.created)
                                   .Bind(6, session.absolute_expires)
                                   .Run());
        session.id = host_.db->LastInsertId();
        return AuditUser(actor, "session.login", user->user, std::nullopt,
                         Dump(Json{{"session", session.id}, {"remote_address", address}}));
      });
      !done)
    return done.error();
  result.token = std::move(token);
  return result;
}

Result<AuthenticatedSession> SqliteUsers::Authenticate(std::string_view token) {
  const std::optional<std::string> t = TokenOf(token);
  if (!t) return SessionNotFound();
  INTAKE_ASSIGN_OR_RETURN(std::optional<Session> session, SessionByTokenHash(Sha256Hex(*t)));
  const TimePoint now = Now();
  if (!session || Expired(*session, now)) return SessionNotFound();
  INTAKE_ASSIGN_OR_RETURN(std::optional<StoredUser> user, LoadById(session->user_id));
  if (!user || user->user.disabled) return SessionNotFound();
  if (now - ParseIso(session->last_seen) >= options_.touch_interval) {
    // Not audited: using a session changes no record.
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kTouchSession));
    session->last_seen = Iso(now);
    INTAKE_RETURN_IF_ERROR(s->Bind(1, session->id).Bind(2, session->last_seen).Run());
    SetExpiry(*session);
  }
  return AuthenticatedSession{std::move(user->user), std::move(*session)};
}

Status SqliteUsers::Logout(std::string_view token) {
  const std::optional<std::string> t = TokenOf(token);
  if (!t) return SessionNotFound();
  INTAKE_ASSIGN_OR_RETURN(std::optional<Session> session, SessionByTokenHash(Sha256Hex(*t)));
  if (!session) return SessionNotFound();
  INTAKE_ASSIGN_OR_RETURN(std::optional<StoredUser> user, LoadById(session->user_id));
  if (!user) return SessionNotFound();
  return host_.in_transaction([&]() -> Status {
    INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kDeleteSession));
    INTAKE_RETURN_IF_ERROR(s->Bind(1, session->id).Run());
    return AuditUser(Actor{user->user.username}, "session.logout", user->user, std::nullopt,
                     Dump(Json{{"session", session->id}, {"reason", "logout"}}));
  });
}

Result<int> SqliteUsers::LogoutAll(std::string_view username, const Actor& actor) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  int ended = 0;
  if (Status done = host_.in_transaction([&]() -> Status {
        INTAKE_ASSIGN_OR_RETURN(ended, EndSessions(u.user.id));
        return AuditUser(actor, "session.logout", u.user, std::nullopt,
                         Dump(Json{{"reason", "all"}, {"sessions_ended", ended}}));
      });
      !done)
    return done.error();
  return ended;
}

Result<std::vector<Session>> SqliteUsers::SessionsOf(std::string_view username) {
  INTAKE_ASSIGN_OR_RETURN(StoredUser u, Require(username));
  const TimePoint now = Now();
  std::vector<Session> sessions;
  INTAKE_ASSIGN_OR_RETURN(ScopedStatement s, host_.cache->Get(kSessionsOfUser));
  s->Bind(1, u.user.id);
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Session session = ReadSession(*s);
    if (!Expired(session, now)) sessions.push_back(std::move(session));
  }
  return sessions;
}

}  // namespace intake::storage
