// Roles, user-name and password rules and the CSRF comparison (storage/users.h).
#include "storage/users.h"

#include <sodium.h>

#include <algorithm>
#include <iterator>

#include "base/cpr_mask.h"

namespace intake::storage {
namespace {

constexpr size_t kMinPasswordBytes = 10;
constexpr size_t kMaxPasswordBytes = 256;
constexpr size_t kMinUsername = 2;
constexpr size_t kMaxUsername = 64;

// The most common passwords of at least kMinPasswordBytes bytes in Danish and English
// leak lists, and the season-year and municipality patterns Danish help desks see most.
// Compared in lower case.
constexpr std::string_view kCommonPasswords[] = {
    "password123",  "password1234",  "password12",    "password!1",     "passw0rd123",
    "p@ssw0rd123",  "p@ssword123",   "kodeord123",    "kodeord1234",    "kodeordet1",
    "adgangskode",  "adgangskode1",  "adgangskode12", "adgangskode123", "sommer2024",
    "sommer2025",   "sommer2026",    "sommer2027",    "vinter2024",     "vinter2025",
    "vinter2026",   "vinter2027",    "foraar2026",    "efteraar2026",   "efterår2026",
    "forår2026",    "summer2026",    "winter2026",    "velkommen1",     "velkommen12",
    "velkommen123", "velkommen2026", "welcome123",    "welcome2026",    "hemmelig123",
    "hemmeligt1",   "letmein123",    "iloveyou12",    "administrator",  "admin12345",
    "admin123456",  "changeme123",   "danmark123",    "danmark2026",    "kommune123",
    "kommunen123",  "københavn1",    "1234567890",    "0123456789",     "12345678910",
    "1q2w3e4r5t",   "qwertyuiop",    "qwerty1234",    "qwerty12345",    "asdfghjkl1",
    "abcdefghij",   "abc1234567",    "football12",
};

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPostRoom:
      return "post_room";
    case Role::kArchivist:
      return "archivist";
    case Role::kCaseworker:
      return "caseworker";
    case Role::kManager:
      return "manager";
    case Role::kAdministrator:
      return "administrator";
  }
  return "post_room";
}

std::string_view RoleDanish(Role role) {
  switch (role) {
    case Role::kPostRoom:
      return "postrum";
    case Role::kArchivist:
      return "arkivar";
    case Role::kCaseworker:
      return "sagsbehandler";
    case Role::kManager:
      return "leder";
    case Role::kAdministrator:
      return "administrator";
  }
  return "postrum";
}

std::optional<Role> ParseRole(std::string_view text) {
  std::string t = AsciiLower(text);
  std::replace(t.begin(), t.end(), '-', '_');
  if (t == "post") return Role::kPostRoom;
  for (Role r : {Role::kPostRoom, Role::kArchivist, Role::kCaseworker, Role::kManager,
                 Role::kAdministrator}) {
    if (t == RoleName(r) || t == RoleDanish(r)) return r;
  }
  if (t == "postroom") return Role::kPostRoom;
  return std::nullopt;
}

std::string RoleChoices() { return "postrum, arkivar, sagsbehandler, leder, administrator"; }

Viewer ViewerFor(const UserRecord& user) { return Viewer{user.username, user.groups, false}; }

Result<std::string> NormaliseUsername(std::string_view username) {
  const std::string name = AsciiLower(username);
  if (name.size() < kMinUsername || name.size() > kMaxUsername) {
    return Error(ErrorCode::kInvalidArgument, "brugernavnet skal være " +
                                                  std::to_string(kMinUsername) + "-" +
                                                  std::to_string(kMaxUsername) + " tegn langt");
  }
  const bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  if (!allowed) {
    return Error(ErrorCode::kInvalidArgument,
                 "brugernavnet »" + std::string(username) +
                     "« må kun indeholde a-z, 0-9, punktum, understreg og bindestreg (ingen "
                     "æ, ø, å eller mellemrum)");
  }
  if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9'))) {
    return Error(ErrorCode::kInvalidArgument,
                 "brugernavnet skal begynde med et bogstav eller et ciffer");
  }
  if (ContainsCprLike(name)) {
    return Error(ErrorCode::kInvalidArgument,
                 "brugernavnet ligner et CPR-nummer; vælg et navn uden CPR-nummer");
  }
  return name;
}

Status CheckPasswordRules(std::string_view username, std::string_view password) {
  if (password.size() < kMinPasswordBytes) {
    return Error(ErrorCode::kInvalidArgument, "adgangskoden er for kort: brug mindst " +
                                                  std::to_string(kMinPasswordBytes) +
                                                  " tegn (gerne en sætning af flere ord)");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Error(ErrorCode::kInvalidArgument,
                 "adgangskoden er for lang: højst " + std::to_string(kMaxPasswordBytes) + " byte");
  }
  const std::string lower = AsciiLower(password);
  if (lower == AsciiLower(username)) {
    return Error(ErrorCode::kInvalidArgument,
                 "adgangskoden må ikke være det samme som brugernavnet");
  }
  if (std::all_of(password.begin(), password.end(),
                  [&](char c) { return c == password.front(); })) {
    return Error(ErrorCode::kInvalidArgument,
                 "adgangskoden må ikke være ét tegn gentaget; vælg en anden");
  }
  if (std::find(std::begin(kCommonPasswords), std::end(kCommonPasswords), lower) !=
      std::end(kCommonPasswords)) {
    return Error(ErrorCode::kInvalidArgument,
                 "adgangskoden er blandt de mest brugte og gættes let; vælg en anden");
  }
  return OkStatus();
}

bool CsrfMatches(const Session& session, std::string_view token) {
  if (token.empty() || session.csrf_token.empty() || token.size() != session.csrf_token.size()) {
    return false;
  }
  return sodium_memcmp(token.data(), session.csrf_token.data(), token.size()) == 0;
}

}  // namespace intake::storage
