// The users of the web UI (storage/users.h, issue #9) on the SQLite journal: users, roles
// and groups, password rules, Argon2id hashes, login with throttling across an injected
// clock, sessions with idle and absolute expiry, CSRF tokens, logout, and the audit log.
#include "storage/users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "storage/database.h"
#include "storage/journal.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr const char kPassword[] = "korrekt hest batteri";
constexpr const char kAddress[] = "10.0.0.7";

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 25 November 2026, 08:00 UTC.
    now_ = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + 8h;
    journal_ = Open();
    ASSERT_NE(journal_, nullptr);
  }

  JournalOptions Options() {
    JournalOptions o;
    o.database_path = dir_.Sub("data/journal.sqlite3");
    o.file_store_dir = dir_.Sub("data/files");
    o.key_file = dir_.Sub("data/keys/party.key");
    o.anchor_file = dir_.Sub("data/audit.anchor");
    o.users.pwhash_opslimit = 1;     // crypto_pwhash_OPSLIMIT_MIN: fast tests
    o.users.pwhash_memlimit = 8192;  // crypto_pwhash_MEMLIMIT_MIN
    o.users.clock = [this] { return now_; };
    return o;
  }

  std::unique_ptr<Journal> Open() { return Open(Options()); }
  std::unique_ptr<Journal> Open(const JournalOptions& o) {
    auto j = OpenSqliteJournal(o);
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  UserStore& users() { return journal_->users(); }

  UserRecord Add(const std::string& name, Role role = Role::kPostRoom,
                 std::vector<std::string> groups = {}) {
    NewUser u;
    u.username = name;
    u.role = role;
    u.groups = std::move(groups);
    u.password = kPassword;
    auto r = users().AddUser(u, admin_);
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : UserRecord{};
  }

  Result<LoginResult> Login(const std::string& name, const std::string& password = kPassword,
                            const std::string& address = kAddress) {
    return users().Login(name, password, address);
  }

  // One value of the database, read on a connection of its own.
  std::string Query(const std::string& sql) {
    auto db = Database::Open(Options().database_path);
    EXPECT_TRUE(db);
    auto s = (*db)->Prepare(sql);
    EXPECT_TRUE(s);
    auto row = s->Step();
    return row && *row ? s->Text(0) : "";
  }

  std::vector<std::string> Actions() {
    auto db = Database::Open(Options().database_path);
    std::vector<std::string> actions;
    auto s = (*db)->Prepare("SELECT action FROM audit_log ORDER BY id");
    while (true) {
      auto row = s->Step();
      if (!row || !*row) break;
      actions.push_back(s->Text(0));
    }
    return actions;
  }

  testing::ScopedTempDir dir_;
  std::chrono::system_clock::time_point now_;
  Actor admin_{"admin"};
  std::unique_ptr<Journal> journal_;
};

TEST(RolesTest, ParsesDanishAndEnglishNamesInAnyCase) {
  EXPECT_EQ(ParseRole("postrum"), Role::kPostRoom);
  EXPECT_EQ(ParseRole("post_room"), Role::kPostRoom);
  EXPECT_EQ(ParseRole("Post-Room"), Role::kPostRoom);
  EXPECT_EQ(ParseRole("Arkivar"), Role::kArchivist);
  EXPECT_EQ(ParseRole("archivist"), Role::kArchivist);
  EXPECT_EQ(ParseRole("sagsbehandler"), Role::kCaseworker);
  EXPECT_EQ(ParseRole("caseworker"), Role::kCaseworker);
  EXPECT_EQ(ParseRole("LEDER"), Role::kManager);
  EXPECT_EQ(ParseRole("manager"), Role::kManager);
  EXPECT_EQ(ParseRole("administrator"), Role::kAdministrator);
  EXPECT_EQ(ParseRole("admin"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  for (Role r : {Role::kPostRoom, Role::kArchivist, Role::kCaseworker, Role::kManager,
                 Role::kAdministrator}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
    EXPECT_EQ(ParseRole(RoleDanish(r)), r);
  }
}

TEST(PasswordRulesTest, RefusesWeakPasswordsWithoutEchoingThem) {
  const struct {
    const char* password;
    const char* says;
  } cases[] = {
      {"kort1234", "for kort"},
      {"anna.jensen", "samme som brugernavnet"},
      {"ANNA.JENSEN", "samme som brugernavnet"},
      {"Sommer2026", "mest brugte"},
      {"password123", "mest brugte"},
      {"kodeord123", "mest brugte"},
      {"1234567890", "mest brugte"},
      {"zzzzzzzzzzzz", "ét tegn gentaget"},
  };
  for (const auto& c : cases) {
    Status s = CheckPasswordRules("anna.jensen", c.password);
    ASSERT_FALSE(s) << c.password;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(s.error().message(), HasSubstr(c.says)) << c.password;
    EXPECT_THAT(s.error().message(), Not(HasSubstr(c.password)));
  }
  Status too_long = CheckPasswordRules("anna", std::string(257, 'x') + "y");
  ASSERT_FALSE(too_long);
  EXPECT_THAT(too_long.error().message(), HasSubstr("for lang"));
  EXPECT_TRUE(CheckPasswordRules("anna", "korrekt hest batteri"));
  EXPECT_TRUE(CheckPasswordRules("anna", std::string(255, 'x') + "y"));
}

TEST(UsernameTest, AcceptsTheAllowedCharactersAndLowersTheCase) {
  EXPECT_EQ(NormaliseUsername("Anna.Jensen").value_or(""), "anna.jensen");
  EXPECT_EQ(NormaliseUsername("ab").value_or(""), "ab");
  EXPECT_EQ(NormaliseUsername("post_rum-2").value_or(""), "post_rum-2");
  const struct {
    std::string name;
    const char* says;
  } bad[] = {
      {"a", "2-64 tegn"},
      {std::string(65, 'a'), "2-64 tegn"},
      {"anna jensen", "må kun indeholde"},
      {"søren", "må kun indeholde"},
      {"anna@kommune.dk", "må kun indeholde"},
      {"-anna", "begynde med"},
      {"0101901234", "CPR-nummer"},
      {"", "2-64 tegn"},
  };
  for (const auto& b : bad) {
    auto r = NormaliseUsername(b.name);
    ASSERT_FALSE(r) << b.name;
    EXPECT_THAT(r.error().message(), HasSubstr(b.says)) << b.name;
    EXPECT_THAT(r.error().message(), Not(HasSubstr("0101901234")));
  }
}

TEST_F(UsersTest, AddsAndListsUsersWithRolesAndGroups) {
  NewUser u;
  u.username = "Anna.Jensen";
  u.display_name = "Anna Jensen";
  u.role = Role::kCaseworker;
  u.groups = {"boern-familie", "jobcenter", "boern-familie"};
  u.password = kPassword;
  auto added = users().AddUser(u, admin_);
  ASSERT_TRUE(added) << added.error().ToString();
  EXPECT_EQ(added->username, "anna.jensen");
  EXPECT_EQ(added->display_name, "Anna Jensen");
  EXPECT_EQ(added->role, Role::kCaseworker);
  EXPECT_EQ(added->groups, (std::vector<std::string>{"boern-familie", "jobcenter"}));
  EXPECT_FALSE(added->disabled);
  EXPECT_EQ(added->created, "2026-11-25T08:00:00.000Z");
  EXPECT_EQ(added->password_changed, added->created);
  Add("bo");

  auto list = users().ListUsers();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].username, "anna.jensen");
  EXPECT_EQ((*list)[1].username, "bo");
  EXPECT_EQ((*list)[1].display_name, "bo");  // defaults to the user name

  auto found = users().GetUser("ANNA.jensen");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, added->id);
  const Viewer v = ViewerFor(*found);
  EXPECT_EQ(v.user, "anna.jensen");
  EXPECT_EQ(v.groups, added->groups);
  EXPECT_FALSE(v.all_access);

  auto missing = users().GetUser("carl");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("carl"));
}

TEST_F(UsersTest, RefusesADuplicateNameInAnyLetterCase) {
  Add("anna");
  NewUser u;
  u.username = "ANNA";
  u.password = "en helt anden kode";
  auto dup = users().AddUser(u, admin_);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_THAT(dup.error().message(), HasSubstr("optaget"));
  EXPECT_EQ(users().ListUsers()->size(), 1u);
}

TEST_F(UsersTest, RefusesBadInputWithoutAddingOrEchoingThePassword) {
  NewUser u;
  u.username = "anna";
  u.password = "kodeord123";
  auto common = users().AddUser(u, admin_);
  ASSERT_FALSE(common);
  EXPECT_THAT(common.error().message(), Not(HasSubstr("kodeord123")));
  u.password = "anna";
  EXPECT_FALSE(users().AddUser(u, admin_));
  u.password = kPassword;
  u.display_name = "Anna 010190-1234";
  auto cpr = users().AddUser(u, admin_);
  ASSERT_FALSE(cpr);
  EXPECT_THAT(cpr.error().message(), HasSubstr("visningsnavnet"));
  u.display_name = "Anna";
  u.groups = {"to ord"};
  auto group = users().AddUser(u, admin_);
  ASSERT_FALSE(group);
  EXPECT_THAT(group.error().message(), HasSubstr("adgangsgruppen"));
  EXPECT_TRUE(users().ListUsers()->empty());
}

TEST_F(UsersTest, LoginCreatesASessionThatAuthenticates) {
  const UserRecord anna = Add("anna", Role::kArchivist, {"arkiv"});
  auto login = Login("Anna");
  ASSERT_TRUE(login) << login.error().ToString();
  EXPECT_EQ(login->token.size(), 64u);
  EXPECT_EQ(login->token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(login->session.csrf_token.size(), 64u);
  EXPECT_NE(login->session.csrf_token, login->token);
  EXPECT_EQ(login->user.id, anna.id);
  EXPECT_EQ(login->session.remote_address, kAddress);
  EXPECT_EQ(login->session.created, "2026-11-25T08:00:00.000Z");
  EXPECT_EQ(login->session.expires, "2026-11-25T09:00:00.000Z");  // one idle hour
  EXPECT_EQ(login->session.absolute_expires, "2026-11-25T18:00:00.000Z");

  auto auth = users().Authenticate(login->token);
  ASSERT_TRUE(auth) << auth.error().ToString();
  EXPECT_EQ(auth->user.username, "anna");
  EXPECT_EQ(auth->user.role, Role::kArchivist);
  EXPECT_EQ(auth->session.id, login->session.id);
  EXPECT_EQ(auth->session.csrf_token, login->session.csrf_token);

  // Two logins are two sessions with their own tokens.
  auto second = Login("anna");
  ASSERT_TRUE(second);
  EXPECT_NE(second->token, login->token);
  EXPECT_NE(second->session.csrf_token, login->session.csrf_token);
  EXPECT_EQ(users().SessionsOf("anna")->size(), 2u);
}

TEST_F(UsersTest, WrongPasswordAndUnknownUserGiveTheSameMessage) {
  Add("anna");
  auto wrong = Login("anna", "forkert kodeord her");
  auto unknown = Login("nobody", kPassword);
  auto malformed = Login("ikke et navn", kPassword);
  for (const auto* r : {&wrong, &unknown, &malformed}) {
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r->error().message(), kLoginFailedMessage);
  }
  EXPECT_THAT(wrong.error().message(), Not(HasSubstr("forkert kodeord her")));
}

TEST_F(UsersTest, ThrottlesAUserAfterFiveFailuresUntilTheWindowPasses) {
  Add("anna");
  for (int i = 0; i < 5; ++i) {
    auto r = Login("anna", "forkert kodeord her");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message(), kLoginFailedMessage) << i;
    now_ += 1min;
  }
  // 5 failures at 08:00-08:04; now 08:05. Even the right password is refused.
  auto refused = Login("anna");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().message(), "for mange mislykkede forsøg; prøv igen om 10 minutter");
  // Another user name from another address is not affected.
  Add("bo");
  EXPECT_TRUE(Login("bo", kPassword, "10.0.0.8"));
  // The same name in another letter case is the same name.
  EXPECT_FALSE(Login("ANNA", kPassword, "10.0.0.9"));
  // 08:14:30: still refused, one minute left; refusals are not counted.
  now_ += 9min + 30s;
  auto last = Login("anna");
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().message(), "for mange mislykkede forsøg; prøv igen om 1 minut");
  // 08:15:00: the first failure has left the window.
  now_ += 30s;
  auto ok = Login("anna");
  EXPECT_TRUE(ok) << ok.error().ToString();
}

TEST_F(UsersTest, ThrottlesAnAddressAfterTwentyFailuresAcrossUserNames) {
  Add("anna");
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(Login("gaet" + std::to_string(i), "forkert kodeord her"));
  }
  auto refused = Login("anna");
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("for mange mislykkede forsøg"));
  EXPECT_TRUE(Login("anna", kPassword, "10.0.0.8"));  // another address
  now_ += 15min;
  EXPECT_TRUE(Login("anna"));
}

TEST_F(UsersTest, ThrottleHoldsAcrossProcessesAndReopening) {
  Add("anna");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Login("anna", "forkert kodeord her"));
  journal_.reset();
  journal_ = Open();
  auto refused = Login("anna");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);
}

TEST_F(UsersTest, ASuccessfulLoginClearsTheUserNamesFailures) {
  Add("anna");
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(Login("anna", "forkert kodeord her"));
  EXPECT_TRUE(Login("anna"));
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(Login("anna", "forkert kodeord her"));
  EXPECT_TRUE(Login("anna"));
}

TEST_F(UsersTest, SessionEndsAfterTheIdleTimeoutUnlessUsed) {
  Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  now_ += 50min;
  auto used = users().Authenticate(login->token);
  ASSERT_TRUE(used);
  EXPECT_EQ(used->session.last_seen, "2026-11-25T08:50:00.000Z");
  EXPECT_EQ(used->session.expires, "2026-11-25T09:50:00.000Z");
  now_ += 59min;
  EXPECT_TRUE(users().Authenticate(login->token));
  now_ += 60min;
  auto expired = users().Authenticate(login->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(expired.error().message(), HasSubstr("log ind igen"));
}

TEST_F(UsersTest, AuthenticateWritesLastSeenAtMostOncePerTouchInterval) {
  Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  now_ += 30s;
  EXPECT_EQ(users().Authenticate(login->token)->session.last_seen, "2026-11-25T08:00:00.000Z");
  now_ += 30s;
  EXPECT_EQ(users().Authenticate(login->token)->session.last_seen, "2026-11-25T08:01:00.000Z");
}

TEST_F(UsersTest, SessionEndsAtItsAbsoluteLifetimeEvenWhenUsed) {
  Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  for (int i = 0; i < 19; ++i) {
    now_ += 30min;
    ASSERT_TRUE(users().Authenticate(login->token)) << i;
  }
  now_ += 30min;  // 18:00
  EXPECT_FALSE(users().Authenticate(login->token));
  EXPECT_TRUE(users().SessionsOf("anna")->empty());
}

TEST_F(UsersTest, AuthenticateRefusesMalformedAndUnknownTokens) {
  Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  std::string upper = login->token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(users().Authenticate(upper));  // hex in either case
  for (const std::string& bad :
       {std::string(), std::string("abc"), std::string(64, 'g'), std::string(64, '0'),
        login->token + "0", login->session.csrf_token}) {
    auto r = users().Authenticate(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  }
}

TEST_F(UsersTest, LogoutEndsOnlyThatSession) {
  Add("anna");
  auto first = Login("anna");
  auto second = Login("anna");
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(users().Logout(first->token));
  EXPECT_FALSE(users().Authenticate(first->token));
  EXPECT_TRUE(users().Authenticate(second->token));
  Status again = users().Logout(first->token);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kNotFound);
}

TEST_F(UsersTest, PasswordChangeEndsEverySessionAndTheOldPassword) {
  Add("anna");
  auto first = Login("anna");
  auto second = Login("anna");
  ASSERT_TRUE(first && second);
  now_ += 1h;
  auto changed = users().SetPassword("anna", "en ny og lang kode", admin_);
  ASSERT_TRUE(changed) << changed.error().ToString();
  EXPECT_EQ(changed->password_changed, "2026-11-25T09:00:00.000Z");
  EXPECT_FALSE(users().Authenticate(first->token));
  EXPECT_FALSE(users().Authenticate(second->token));
  EXPECT_FALSE(Login("anna"));
  EXPECT_TRUE(Login("anna", "en ny og lang kode"));
  auto weak = users().SetPassword("anna", "sommer2026", admin_);
  ASSERT_FALSE(weak);
  EXPECT_THAT(weak.error().message(), Not(HasSubstr("sommer2026")));
}

TEST_F(UsersTest, DisablingEndsSessionsAndRefusesLoginUntilEnabled) {
  Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  auto disabled = users().SetDisabled("anna", true, admin_);
  ASSERT_TRUE(disabled);
  EXPECT_TRUE(disabled->disabled);
  EXPECT_FALSE(users().Authenticate(login->token));
  // The wrong password gets the usual message; only the right one learns of the block.
  EXPECT_EQ(Login("anna", "forkert kodeord her").error().message(), kLoginFailedMessage);
  auto refused = Login("anna");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(refused.error().message(), HasSubstr("spærret"));
  ASSERT_TRUE(users().SetDisabled("anna", false, admin_));
  EXPECT_TRUE(Login("anna"));
}

TEST_F(UsersTest, LogoutAllEndsEverySessionOfTheUser) {
  Add("anna");
  Add("bo");
  auto a1 = Login("anna");
  auto a2 = Login("anna");
  auto b = Login("bo");
  ASSERT_TRUE(a1 && a2 && b);
  EXPECT_EQ(users().LogoutAll("anna", admin_).value_or(-1), 2);
  EXPECT_FALSE(users().Authenticate(a1->token));
  EXPECT_FALSE(users().Authenticate(a2->token));
  EXPECT_TRUE(users().Authenticate(b->token));
}

TEST_F(UsersTest, CsrfTokenMatchesOnlyItself) {
  Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  const Session& s = login->session;
  EXPECT_TRUE(CsrfMatches(s, s.csrf_token));
  EXPECT_FALSE(CsrfMatches(s, ""));
  EXPECT_FALSE(CsrfMatches(s, login->token));
  std::string flipped = s.csrf_token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(CsrfMatches(s, flipped));
  EXPECT_FALSE(CsrfMatches(s, s.csrf_token.substr(0, 63)));
  EXPECT_FALSE(CsrfMatches(Session{}, ""));
}

TEST_F(UsersTest, StoresAnArgon2idHashAndNeverThePasswordTokenOrTypedName) {
  const UserRecord anna = Add("anna");
  auto login = Login("anna");
  ASSERT_TRUE(login);
  EXPECT_FALSE(Login("min-kode-i-navnefeltet", "forkert kodeord her"));
  const std::string hash = Query("SELECT password_hash FROM users WHERE username = 'anna'");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_THAT(hash, Not(HasSubstr(kPassword)));
  EXPECT_EQ(Query("SELECT count(*) FROM sessions WHERE token_hash = '" + login->token + "'"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM sessions"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM login_failures WHERE name_hash LIKE '%navnefelt%'"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log WHERE coalesce(after, '') LIKE '%navnefelt%' "
                  "OR coalesce(after, '') LIKE '%" +
                  login->token +
                  "%' OR coalesce(after, '') "
                  "LIKE '%argon2%' OR coalesce(after, '') LIKE '%hest%'"),
            "0");
  // The raw database file holds neither the password nor the token.
  journal_.reset();
  const std::string raw = testing::ReadFile(Options().database_path) +
                          testing::ReadFile(Options().database_path + "-wal");
  EXPECT_EQ(raw.find(kPassword), std::string::npos);
  EXPECT_EQ(raw.find(login->token), std::string::npos);
  EXPECT_EQ(raw.find("min-kode-i-navnefeltet"), std::string::npos);
  (void)anna;
}

TEST_F(UsersTest, HashesAtTheInteractiveCostByDefault) {
  JournalOptions o = Options();
  o.users.pwhash_opslimit = 0;
  o.users.pwhash_memlimit = 0;
  journal_.reset();
  journal_ = Open(o);
  Add("anna");
  const std::string hash = Query("SELECT password_hash FROM users WHERE username = 'anna'");
  // crypto_pwhash_OPSLIMIT_INTERACTIVE = 2, MEMLIMIT_INTERACTIVE = 64 MiB.
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(Login("anna"));
  EXPECT_FALSE(Login("anna", "forkert kodeord her"));
}

TEST_F(UsersTest, RehashesAtLoginWhenTheCostHasChanged) {
  Add("anna");
  const std::string before = Query("SELECT password_hash FROM users");
  JournalOptions o = Options();
  o.users.pwhash_opslimit = 2;
  journal_.reset();
  journal_ = Open(o);
  ASSERT_TRUE(Login("anna"));
  const std::string after = Query("SELECT password_hash FROM users");
  EXPECT_NE(after, before);
  EXPECT_THAT(after, HasSubstr("t=2"));
  EXPECT_THAT(Actions(), ::testing::Contains("user.rehash"));
  ASSERT_TRUE(Login("anna"));
  EXPECT_EQ(Query("SELECT password_hash FROM users"), after);  // once only
}

TEST_F(UsersTest, NeverLeavesTheStationWithoutAnEnabledAdministrator) {
  EXPECT_FALSE(users().HasAdministrator().value_or(true));
  Add("root", Role::kAdministrator);
  EXPECT_TRUE(users().HasAdministrator().value_or(false));
  auto demote = users().SetRole("root", Role::kManager, admin_);
  ASSERT_FALSE(demote);
  EXPECT_EQ(demote.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(demote.error().message(), HasSubstr("station user add"));
  auto disable = users().SetDisabled("root", true, admin_);
  ASSERT_FALSE(disable);
  EXPECT_EQ(disable.error().code(), ErrorCode::kFailedPrecondition);
  Add("chef", Role::kAdministrator);
  EXPECT_TRUE(users().SetDisabled("root", true, admin_));
  EXPECT_TRUE(users().HasAdministrator().value_or(false));
}

TEST_F(UsersTest, AuditsEveryChangeAndTheChainVerifies) {
  Add("anna", Role::kPostRoom);
  ASSERT_TRUE(users().SetRole("anna", Role::kArchivist, admin_));
  ASSERT_TRUE(users().SetRole("anna", Role::kArchivist, admin_));  // unchanged: no entry
  ASSERT_TRUE(users().SetGroups("anna", {"arkiv"}, admin_));
  ASSERT_TRUE(users().SetPassword("anna", "en ny og lang kode", admin_));
  auto login = Login("anna", "en ny og lang kode");
  ASSERT_TRUE(login);
  EXPECT_FALSE(Login("anna", "forkert kodeord her"));
  EXPECT_FALSE(Login("nobody", "forkert kodeord her"));
  ASSERT_TRUE(users().Logout(login->token));
  ASSERT_TRUE(users().SetDisabled("anna", true, admin_));
  ASSERT_TRUE(users().SetDisabled("anna", false, admin_));
  EXPECT_THAT(Actions(), ::testing::ElementsAre("user.add", "user.role", "user.groups",
                                                "user.password", "session.login",
                                                "session.login_failed", "session.login_failed",
                                                "session.logout", "user.disable", "user.enable"));
  auto report = journal_->VerifyAudit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->entries, 10);

  const std::string id = std::to_string(users().GetUser("anna")->id);
  auto history = journal_->History("user", id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 9u);
  EXPECT_EQ((*history)[1].before.value_or(""), "{\"role\":\"post_room\"}");
  EXPECT_EQ((*history)[1].after.value_or(""), "{\"role\":\"archivist\"}");
  EXPECT_EQ((*history)[1].actor, "admin");
  EXPECT_EQ((*history)[4].actor, "anna");
  EXPECT_THAT((*history)[5].after.value_or(""), HasSubstr("wrong_password"));
  // The unknown name is not in the log.
  EXPECT_EQ(Query("SELECT entity_id || actor || after FROM audit_log WHERE id = 7"),
            "ukendt{\"reason\":\"unknown_user\",\"remote_address\":\"10.0.0.7\"}");
}

TEST_F(UsersTest, UsersAndSessionsSurviveReopening) {
  Add("anna", Role::kManager, {"ledelse"});
  auto login = Login("anna");
  ASSERT_TRUE(login);
  journal_.reset();
  journal_ = Open();
  auto anna = users().GetUser("anna");
  ASSERT_TRUE(anna);
  EXPECT_EQ(anna->role, Role::kManager);
  EXPECT_EQ(anna->groups, std::vector<std::string>{"ledelse"});
  auto auth = users().Authenticate(login->token);
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->session.csrf_token, login->session.csrf_token);
  EXPECT_TRUE(Login("anna"));
  EXPECT_TRUE(journal_->VerifyAudit()->ok);
}

}  // namespace
}  // namespace intake::storage
