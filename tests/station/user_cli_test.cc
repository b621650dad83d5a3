// `station user ...` in-process on a temporary home directory (issue #9): adding users with
// the password on standard input, list and show as JSON, passwd, role, groups, disable and
// enable, and bad input refused with the documented exit code and a Danish message that
// never echoes a password.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/loader.h"
#include "station/cli.h"
#include "station/exit_code.h"
#include "station/journal_access.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char kPassword[] = "korrekt hest batteri";

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.home = home_.path();
    env_.hostname = "testvaert";
  }

  // Runs `station user ARGS...` with `input` on standard input.
  int User(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"station", "--actor", "it-drift", "user"});
    out_.str("");
    err_.str("");
    std::istringstream in(input);
    std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
    const int code = station::Run(args, out_, err_, env_);
    std::cin.rdbuf(saved);
    std::cin.clear();
    return code;
  }

  json UserJson(std::vector<std::string> args) {
    args.push_back("--json");
    EXPECT_EQ(User(args), kExitOk) << err_.str();
    return json::parse(out_.str(), nullptr, false);
  }

  int AddUser(const std::string& name, const std::string& role,
              const std::string& password = kPassword) {
    return User({"add", name, "--role", role, "--password-stdin"}, password + "\n");
  }

  std::unique_ptr<storage::Journal> OpenJournal() {
    config::Config cfg = config::Defaults();
    config::ResolveDefaults(cfg, env_);
    auto j = storage::OpenSqliteJournal(JournalOptionsFor(cfg));
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  testing::ScopedTempDir home_;
  config::Environment env_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(UserCliTest, AddsTheFirstAdministratorWithThePasswordFromStdin) {
  ASSERT_EQ(User({"list"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("station user add NAVN --role administrator"));

  ASSERT_EQ(User({"add", "Root", "--role", "administrator", "--name", "Ida Drift", "--group", "it",
                  "--password-stdin"},
                 std::string(kPassword) + "\r\n"),
            kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Bruger root (administrator) er oprettet"));
  EXPECT_THAT(out_.str() + err_.str(), Not(HasSubstr(kPassword)));

  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  EXPECT_TRUE(journal->users().HasAdministrator().value_or(false));
  auto login = journal->users().Login("root", kPassword, "127.0.0.1");
  EXPECT_TRUE(login) << login.error().ToString();
  auto history = journal->History("user", std::to_string(login->user.id));
  ASSERT_TRUE(history);
  ASSERT_FALSE(history->empty());
  EXPECT_EQ((*history)[0].action, "user.add");
  EXPECT_EQ((*history)[0].actor, "it-drift");
}

TEST_F(UserCliTest, ListsAndShowsUsersAsJson) {
  ASSERT_EQ(AddUser("anna", "sagsbehandler"), kExitOk) << err_.str();
  ASSERT_EQ(User({"add", "bo", "--role", "archivist", "--group", "arkiv", "--group", "byg",
                  "--password-stdin"},
                 std::string(kPassword) + "\n"),
            kExitOk)
      << err_.str();
  json list = UserJson({"list"});
  ASSERT_EQ(list["users"].size(), 2u);
  EXPECT_EQ(list["users"][0]["username"], "anna");
  EXPECT_EQ(list["users"][0]["role"], "caseworker");
  EXPECT_EQ(list["users"][0]["role_danish"], "sagsbehandler");
  EXPECT_EQ(list["users"][1]["groups"], json::array({"arkiv", "byg"}));
  EXPECT_FALSE(list["users"][1].contains("password_hash"));

  json bo = UserJson({"show", "BO"});
  EXPECT_EQ(bo["username"], "bo");
  EXPECT_EQ(bo["role"], "archivist");
  EXPECT_EQ(bo["disabled"], false);
  EXPECT_EQ(bo["active_sessions"], 0);

  ASSERT_EQ(User({"list"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("bo  arkivar  bo  grupper: arkiv byg"));
  ASSERT_EQ(User({"show", "anna"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Rolle:           sagsbehandler"));
}

TEST_F(UserCliTest, PasswdChangesThePasswordAndEndsSessions) {
  ASSERT_EQ(AddUser("anna", "postrum"), kExitOk) << err_.str();
  std::string token;
  {
    auto journal = OpenJournal();
    auto login = journal->users().Login("anna", kPassword, "127.0.0.1");
    ASSERT_TRUE(login);
    token = login->token;
  }
  ASSERT_EQ(User({"passwd", "anna", "--password-stdin"}, "en ny og lang kode\n"), kExitOk)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("sessioner er afsluttet"));
  auto journal = OpenJournal();
  EXPECT_FALSE(journal->users().Authenticate(token));
  EXPECT_FALSE(journal->users().Login("anna", kPassword, "127.0.0.1"));
  EXPECT_TRUE(journal->users().Login("anna", "en ny og lang kode", "127.0.0.1"));
}

TEST_F(UserCliTest, ChangesRoleGroupsAndDisabledState) {
  ASSERT_EQ(AddUser("root", "administrator"), kExitOk) << err_.str();
  ASSERT_EQ(AddUser("anna", "postrum"), kExitOk) << err_.str();
  ASSERT_EQ(User({"role", "anna", "leder"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("anna har nu rollen leder"));
  ASSERT_EQ(User({"groups", "anna", "ledelse", "jobcenter"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("jobcenter, ledelse"));
  ASSERT_EQ(User({"disable", "anna"}), kExitOk) << err_.str();
  json anna = UserJson({"show", "anna"});
  EXPECT_EQ(anna["role"], "manager");
  EXPECT_EQ(anna["groups"], json::array({"jobcenter", "ledelse"}));
  EXPECT_EQ(anna["disabled"], true);
  ASSERT_EQ(User({"list"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("(spærret)"));
  ASSERT_EQ(User({"enable", "anna"}), kExitOk) << err_.str();
  EXPECT_EQ(UserJson({"show", "anna"})["disabled"], false);
  ASSERT_EQ(User({"groups", "anna"}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("ingen adgangsgrupper"));

  auto journal = OpenJournal();
  auto report = journal->VerifyAudit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
}

TEST_F(UserCliTest, RefusesBadInputWithExitCodesAndDanishMessages) {
  ASSERT_EQ(AddUser("root", "administrator"), kExitOk) << err_.str();

  EXPECT_EQ(AddUser("anna", "chef"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("ukendt rolle »chef«"));
  EXPECT_THAT(err_.str(), HasSubstr("sagsbehandler"));

  EXPECT_EQ(AddUser("anna jensen", "postrum"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("må kun indeholde"));

  EXPECT_EQ(AddUser("anna", "postrum", "sommer2026"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("mest brugte"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("sommer2026")));

  EXPECT_EQ(AddUser("anna", "postrum", "kort"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("for kort"));

  EXPECT_EQ(AddUser("ROOT", "postrum"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("optaget"));

  EXPECT_EQ(User({"add", "anna", "--role", "postrum", "--password-stdin"}, ""), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("standardinput"));

  EXPECT_EQ(User({"add", "anna", "--password-stdin"}, std::string(kPassword) + "\n"), kExitUsage);

  EXPECT_EQ(User({"show", "carl"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("brugeren »carl« findes ikke"));

  EXPECT_EQ(User({"role", "carl", "leder"}), kExitInput);
  EXPECT_EQ(User({"groups", "root", "to ord"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("adgangsgruppen"));

  EXPECT_EQ(User({"disable", "root"}), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("eneste aktive administrator"));

  EXPECT_EQ(User({"list", "--json"}), kExitOk);
  EXPECT_EQ(json::parse(out_.str())["users"].size(), 1u);
}

TEST_F(UserCliTest, AsksForTheTerminalOrPasswordStdin) {
  if (::isatty(STDIN_FILENO) != 0) GTEST_SKIP() << "standard input is a terminal here";
  EXPECT_EQ(User({"add", "anna", "--role", "postrum"}, std::string(kPassword) + "\n"), kExitInput);
  EXPECT_THAT(err_.str(), HasSubstr("brug --password-stdin"));
  EXPECT_EQ(User({"list", "--json"}), kExitOk);
  EXPECT_TRUE(json::parse(out_.str())["users"].empty());
}

}  // namespace
}  // namespace intake::station
