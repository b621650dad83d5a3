// `station user ...`: the users of the web UI (storage/users.h) at the command line: add,
// list, show, passwd, role, groups, disable, enable. Whoever may run the station on the
// journal's data directory may manage users, so `station user add NAVN --role
// administrator` is how the first administrator is made (and how one is recovered).
//
// A password is never an argument (it would show in the process list and the shell
// history): it is typed twice at the terminal without echo, or read from the first line of
// standard input with --password-stdin (for scripts and tests).
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "base/masked_ostream.h"
#include "station/command_context.h"
#include "station/journal_access.h"
#include "station/masked_command.h"
#include "storage/users.h"

namespace intake::station {
namespace {

using nlohmann::json;
using storage::Role;
using storage::UserRecord;

struct UserOptions {
  std::string name;
  std::string role;
  std::string display_name;
  std::vector<std::string> groups;
  bool password_stdin = false;
  bool json = false;
};

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// Overwrites a password in memory once it is no longer needed.
void Wipe(std::string& s) {
  volatile char* p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = '\0';
  s.clear();
}

Result<Role> RoleArgument(const std::string& text) {
  const std::optional<Role> role = storage::ParseRole(text);
  if (!role) {
    return Error(ErrorCode::kInvalidArgument,
                 "ukendt rolle »" + text + "«; vælg en af " + storage::RoleChoices());
  }
  return *role;
}

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) (void)::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

Result<std::string> ReadLine(const char* what) {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return Error(ErrorCode::kInvalidArgument, std::string(what) + " mangler: intet at læse");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: the first line of standard input with --password-stdin, else typed
// twice at the terminal without echo.
Result<std::string> ReadNewPassword(CommandContext& ctx, const UserOptions& o,
                                    const std::string& username) {
  if (o.password_stdin) {
    INTAKE_ASSIGN_OR_RETURN(std::string password,
                            ReadLine("adgangskoden (første linje på standardinput)"));
    if (password.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "adgangskoden på standardinput er tom; skriv den på første linje");
    }
    return password;
  }
  if (::isatty(STDIN_FILENO) == 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "adgangskoden skal tastes på en terminal; brug --password-stdin for at læse "
                 "den fra standardinput");
  }
  std::string first, second;
  {
    EchoOff quiet;
    ctx.err << "Ny adgangskode for " << username << ": " << std::flush;
    Result<std::string> a = ReadLine("adgangskoden");
    ctx.err << "\nGentag adgangskoden: " << std::flush;
    Result<std::string> b = a ? ReadLine("adgangskoden") : Result<std::string>(a.error());
    ctx.err << "\n";
    if (!a) return a.error();
    if (!b) return b.error();
    first = std::move(*a);
    second = std::move(*b);
  }
  const bool same = first == second;
  Wipe(second);
  if (!same) {
    Wipe(first);
    return Error(ErrorCode::kInvalidArgument, "de to adgangskoder er ikke ens; prøv igen");
  }
  return first;
}

ExitCode Add(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  auto role = RoleArgument(o.role);
  if (!role) return ctx.Fail(role.error());
  // The name and password rules are checked before the journal opens and the password is
  // asked for, so a typo is reported at once.
  auto username = storage::NormaliseUsername(o.name);
  if (!username) return ctx.Fail(username.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  if (session->journal->users().GetUser(*username)) {
    return ctx.Fail(
        Error(ErrorCode::kAlreadyExists, "brugernavnet »" + *username + "« er optaget"));
  }
  auto password = ReadNewPassword(ctx, o, *username);
  if (!password) return ctx.Fail(password.error());
  storage::NewUser u;
  u.username = *username;
  u.display_name = o.display_name;
  u.role = *role;
  u.groups = o.groups;
  u.password = std::move(*password);
  auto added = session->journal->users().AddUser(u, session->actor);
  Wipe(u.password);
  Wipe(*password);
  if (!added) return ctx.Fail(added.error());
  out << "Bruger " << added->username << " (" << storage::RoleDanish(added->role)
      << ") er oprettet.\n";
  return kExitOk;
}

ExitCode List(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto users = session->journal->users().ListUsers();
  if (!users) return ctx.Fail(users.error());
  if (o.json) {
    json all = json::array();
    for (const UserRecord& u : *users) all.push_back(UserToJson(u));
    out << Dump(json{{"users", all}}) << "\n";
    return kExitOk;
  }
  if (users->empty()) {
    out << "Ingen brugere. Opret den første administrator med: station user add NAVN --role "
           "administrator\n";
    return kExitOk;
  }
  for (const UserRecord& u : *users) {
    out << u.username << "  " << storage::RoleDanish(u.role) << "  " << u.display_name;
    if (!u.groups.empty()) {
      out << "  grupper:";
      for (const std::string& g : u.groups) out << " " << g;
    }
    if (u.disabled) out << "  (spærret)";
    out << "\n";
  }
  return kExitOk;
}

ExitCode Show(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  storage::UserStore& users = session->journal->users();
  auto u = users.GetUser(o.name);
  if (!u) return ctx.Fail(u.error());
  auto sessions = users.SessionsOf(u->username);
  if (!sessions) return ctx.Fail(sessions.error());
  if (o.json) {
    json j = UserToJson(*u);
    j["active_sessions"] = sessions->size();
    out << Dump(j) << "\n";
    return kExitOk;
  }
  out << "Bruger:          " << u->username << "\n"
      << "Navn:            " << u->display_name << "\n"
      << "Rolle:           " << storage::RoleDanish(u->role) << "\n"
      << "Adgangsgrupper:  ";
  if (u->groups.empty()) out << "(ingen)";
  for (size_t i = 0; i < u->groups.size(); ++i) out << (i > 0 ? ", " : "") << u->groups[i];
  out << "\n"
      << "Status:          " << (u->disabled ? "spærret" : "aktiv") << "\n"
      << "Oprettet:        " << u->created << "\n"
      << "Kode skiftet:    " << u->password_changed << "\n"
      << "Aktive sessioner: " << sessions->size() << "\n";
  return kExitOk;
}

ExitCode Passwd(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto u = session->journal->users().GetUser(o.name);
  if (!u) return ctx.Fail(u.error());
  auto password = ReadNewPassword(ctx, o, u->username);
  if (!password) return ctx.Fail(password.error());
  auto changed = session->journal->users().SetPassword(u->username, *password, session->actor);
  Wipe(*password);
  if (!changed) return ctx.Fail(changed.error());
  out << "Adgangskoden for " << changed->username
      << " er skiftet; brugerens sessioner er afsluttet.\n";
  return kExitOk;
}

ExitCode SetRole(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  auto role = RoleArgument(o.role);
  if (!role) return ctx.Fail(role.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto changed = session->journal->users().SetRole(o.name, *role, session->actor);
  if (!changed) return ctx.Fail(changed.error());
  out << changed->username << " har nu rollen " << storage::RoleDanish(changed->role) << ".\n";
  return kExitOk;
}

ExitCode SetGroups(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto changed = session->journal->users().SetGroups(o.name, o.groups, session->actor);
  if (!changed) return ctx.Fail(changed.error());
  out << changed->username << " er nu i ";
  if (changed->groups.empty()) out << "ingen adgangsgrupper";
  for (size_t i = 0; i < changed->groups.size(); ++i) {
    out << (i > 0 ? ", " : "") << changed->groups[i];
  }
  out << ".\n";
  return kExitOk;
}

ExitCode SetDisabled(CommandContext& ctx, std::ostream& out, const UserOptions& o, bool disabled) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto changed = session->journal->users().SetDisabled(o.name, disabled, session->actor);
  if (!changed) return ctx.Fail(changed.error());
  out << changed->username
      << (disabled ? " er spærret; brugerens sessioner er afsluttet.\n" : " er genåbnet.\n");
  return kExitOk;
}

ExitCode Disable(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  return SetDisabled(ctx, out, o, true);
}
ExitCode Enable(CommandContext& ctx, std::ostream& out, const UserOptions& o) {
  return SetDisabled(ctx, out, o, false);
}

}  // namespace

void AddUserCommands(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<UserOptions>();
  CLI::App* cmd = app.add_subcommand(
      "user", "Brugere af webgrænsefladen: opret, vis, adgangskode, rolle, grupper, spærring");
  cmd->require_subcommand(1);
  cmd->footer("Roller: " + storage::RoleChoices() +
              " (også på engelsk: post_room, archivist, caseworker, manager). Adgangskoden "
              "tastes to gange uden ekko, eller læses fra første linje på standardinput med "
              "--password-stdin.");

  CLI::App* add = cmd->add_subcommand("add", "Opret en bruger (også den første administrator)");
  add->add_option("NAVN", o->name, "Brugernavnet: 2-64 tegn af a-z, 0-9, . _ -")->required();
  add->add_option("--role", o->role, "Rollen: " + storage::RoleChoices())
      ->required()
      ->type_name("ROLLE");
  add->add_option("--name", o->display_name, "Visningsnavnet, fx \"Anna Jensen\"")
      ->type_name("TEKST");
  add->add_option("--group", o->groups, "En adgangsgruppe til fortrolige sager (kan gentages)")
      ->type_name("GRUPPE");
  add->add_flag("--password-stdin", o->password_stdin,
                "Læs adgangskoden fra første linje på standardinput");
  BindMasked(add, ctx, o, Add);

  CLI::App* list = cmd->add_subcommand("list", "Vis alle brugere");
  list->add_flag("--json", o->json, "Skriv brugerne som JSON");
  BindMasked(list, ctx, o, List);

  CLI::App* show = cmd->add_subcommand("show", "Vis en bruger");
  show->add_option("NAVN", o->name, "Brugernavnet")->required();
  show->add_flag("--json", o->json, "Skriv brugeren som JSON");
  BindMasked(show, ctx, o, Show);

  CLI::App* passwd =
      cmd->add_subcommand("passwd", "Skift en brugers adgangskode (afslutter brugerens sessioner)");
  passwd->add_option("NAVN", o->name, "Brugernavnet")->required();
  passwd->add_flag("--password-stdin", o->password_stdin,
                   "Læs adgangskoden fra første linje på standardinput");
  BindMasked(passwd, ctx, o, Passwd);

  CLI::App* role = cmd->add_subcommand("role", "Giv en bruger en anden rolle");
  role->add_option("NAVN", o->name, "Brugernavnet")->required();
  role->add_option("ROLLE", o->role, "Den nye rolle: " + storage::RoleChoices())->required();
  BindMasked(role, ctx, o, SetRole);

  CLI::App* groups = cmd->add_subcommand(
      "groups", "Sæt en brugers adgangsgrupper (erstatter dem; ingen grupper fjerner alle)");
  groups->add_option("NAVN", o->name, "Brugernavnet")->required();
  groups->add_option("GRUPPE", o->groups, "Adgangsgrupperne");
  BindMasked(groups, ctx, o, SetGroups);

  CLI::App* disable =
      cmd->add_subcommand("disable", "Spær en bruger (afslutter brugerens sessioner)");
  disable->add_option("NAVN", o->name, "Brugernavnet")->required();
  BindMasked(disable, ctx, o, Disable);

  CLI::App* enable = cmd->add_subcommand("enable", "Genåbn en spærret bruger");
  enable->add_option("NAVN", o->name, "Brugernavnet")->required();
  BindMasked(enable, ctx, o, Enable);
}

}  // namespace intake::station
