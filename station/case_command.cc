// `station case add|list|show`: the journal's cases. (`case import` comes with the case-list
// parser, storage/case_import.h, which is not on this branch.)
#include <CLI/CLI.hpp>
#include <cctype>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "config/pattern.h"
#include "station/command_context.h"
#include "station/journal_access.h"

namespace intake::station {
namespace {

using nlohmann::json;

struct CaseOptions {
  // add
  std::string system;
  std::string reference;
  std::string title;
  std::string status = "open";
  std::string kle;
  std::string facet;
  std::string caseworker;
  std::string unit;
  bool restricted = false;
  std::string group;
  std::string party_cpr;
  std::string party_cvr;
  std::string party_name;
  std::string role = "part";
  // list, show
  std::string filter_status;
  std::string filter_system;
  bool json = false;
};

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// A number given as "-" is read from the first line of standard input, so it never shows in
// the process list or the shell history.
Result<std::string> NumberArgument(const std::string& value, const char* option) {
  if (value != "-") return value;
  std::string line;
  if (!std::getline(std::cin, line)) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string(option) + " - venter et nummer på standardinput, men fik intet");
  }
  return line;
}

// The reference must match the configured pattern of its system, when there is one.
Status CheckReferenceFormat(const config::Config& cfg, const std::string& system,
                            const std::string& reference) {
  for (const auto& p : cfg.case_numbers) {
    std::string a = p.system, b = system;
    for (auto* s : {&a, &b}) {
      for (char& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (a != b) continue;
    auto pattern = config::Pattern::Compile(p.pattern);
    if (!pattern) return pattern.error();
    // Also accepted in its normalised form (upper case, ASCII dashes, single spaces): the
    // journal treats both writings as one reference.
    if (!pattern->FullMatch(reference) &&
        !pattern->FullMatch(storage::NormaliseCaseReference(reference))) {
      return Error(ErrorCode::kInvalidArgument,
                   "sagsnummeret '" + reference + "' har ikke formatet for " + p.system +
                       (p.example.empty() ? "" : " (fx " + p.example + ")") +
                       "; ret det, eller ret case_numbers." + p.system + ".pattern");
    }
  }
  return OkStatus();
}

std::string CaseLine(const storage::CaseRecord& c) {
  std::string line = c.system + " " + c.reference + "  [" +
                     std::string(storage::CaseStatusDanish(c.status)) + "]  " + c.title;
  if (c.restricted) line += "  (fortrolig)";
  return line;
}

ExitCode Add(CommandContext& ctx, const CaseOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  storage::NewCase c;
  c.system = opts.system;
  c.reference = opts.reference;
  c.title = opts.title;
  const auto status = storage::ParseCaseStatus(opts.status);
  if (!status) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "--status '" + opts.status + "' er ukendt; brug open, dormant eller "
                                                       "closed (åben, hvilende, lukket)"));
  }
  c.status = *status;
  c.kle_subject = NonEmpty(opts.kle);
  c.kle_facet = NonEmpty(opts.facet);
  c.caseworker = NonEmpty(opts.caseworker);
  c.unit = NonEmpty(opts.unit);
  c.restricted = opts.restricted;
  c.access_group = NonEmpty(opts.group);
  Status format = CheckReferenceFormat(session->config, opts.system, opts.reference);
  if (!format) return ctx.Fail(format.error());

  std::vector<storage::NewCaseParty> parties;
  if (!opts.party_cpr.empty() || !opts.party_cvr.empty()) {
    if (opts.party_name.empty()) {
      return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                            "--party-name mangler: en part skal have et navn"));
    }
    storage::NewCaseParty p;
    p.kind = opts.party_cpr.empty() ? storage::PartyKind::kCompany : storage::PartyKind::kPerson;
    auto number = NumberArgument(opts.party_cpr.empty() ? opts.party_cvr : opts.party_cpr,
                                 opts.party_cpr.empty() ? "--party-cvr" : "--party-cpr");
    if (!number) return ctx.Fail(number.error());
    p.number = *number;
    p.name = opts.party_name;
    p.role = opts.role;
    parties.push_back(std::move(p));
  } else if (!opts.party_name.empty()) {
    parties.push_back(storage::NewCaseParty{storage::PartyKind::kPerson, opts.party_name,
                                            std::nullopt, opts.role});
  }

  auto added = session->journal->AddCaseWithParties(c, parties, session->actor);
  if (!added) return ctx.Fail(added.error());
  auto linked = session->journal->PartiesOf(added->id, storage::Viewer::Everyone("station"));
  if (!linked) return ctx.Fail(linked.error());
  if (opts.json) {
    json j = CaseToJson(*added);
    j["parties"] = json::array();
    for (const auto& p : *linked) j["parties"].push_back(PartyToJson(p));
    ctx.out << Dump(j) << "\n";
  } else {
    ctx.out << "Sag oprettet: " << CaseLine(*added) << " (id " << added->id << ")\n";
    for (const auto& p : *linked) {
      ctx.out << "  Part: " << p.party.name
              << (p.party.masked_number ? " (" + *p.party.masked_number + ")" : "") << ", "
              << p.role << "\n";
    }
  }
  return kExitOk;
}

ExitCode List(CommandContext& ctx, const CaseOptions& opts) {
  storage::CaseFilter filter;
  if (!opts.filter_status.empty()) {
    filter.status = storage::ParseCaseStatus(opts.filter_status);
    if (!filter.status) {
      return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                            "--status '" + opts.filter_status +
                                "' er ukendt; brug open, dormant eller closed"));
    }
  }
  filter.system = NonEmpty(opts.filter_system);
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto cases = session->journal->ListCases(filter, session->viewer);
  if (!cases) return ctx.Fail(cases.error());
  if (opts.json) {
    json list = json::array();
    for (const auto& c : *cases) list.push_back(CaseToJson(c));
    ctx.out << Dump(list) << "\n";
  } else if (cases->empty()) {
    ctx.out << "Ingen sager.\n";
  } else {
    for (const auto& c : *cases) ctx.out << CaseLine(c) << "\n";
    ctx.out << cases->size() << (cases->size() == 1 ? " sag.\n" : " sager.\n");
  }
  return kExitOk;
}

ExitCode Show(CommandContext& ctx, const CaseOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  storage::Journal& journal = *session->journal;
  auto c = journal.FindCaseByReference(opts.filter_system, opts.reference, session->viewer);
  if (!c) return ctx.Fail(c.error());
  auto parties = journal.PartiesOf(c->id, session->viewer);
  if (!parties) return ctx.Fail(parties.error());
  auto docs = journal.ListDocuments(c->id, session->viewer);
  if (!docs) return ctx.Fail(docs.error());
  // Where each paper original is (storage/archive.h).
  std::map<int64_t, storage::Whereabouts> originals;
  for (const auto& d : *docs) {
    auto where = journal.archive().Where(d.id, session->viewer);
    if (!where) return ctx.Fail(where.error());
    originals[d.id] = std::move(*where);
  }
  if (opts.json) {
    json j = CaseToJson(*c);
    j["parties"] = json::array();
    for (const auto& p : *parties) j["parties"].push_back(PartyToJson(p));
    j["documents"] = json::array();
    for (const auto& d : *docs) {
      json doc = DocumentToJson(d, false);
      doc["original"] = WhereaboutsToJson(originals[d.id]);
      j["documents"].push_back(std::move(doc));
    }
    ctx.out << Dump(j) << "\n";
    return kExitOk;
  }
  auto& o = ctx.out;
  o << "Sag " << c->system << " " << c->reference << " (id " << c->id << ")\n";
  o << "  Titel:          " << c->title << "\n";
  o << "  Status:         " << storage::CaseStatusDanish(c->status) << "\n";
  if (c->kle_subject || c->kle_facet) {
    o << "  KLE:            " << c->kle_subject.value_or("") << " " << c->kle_facet.value_or("")
      << "\n";
  }
  if (c->caseworker) o << "  Sagsbehandler:  " << *c->caseworker << "\n";
  if (c->unit) o << "  Enhed:          " << *c->unit << "\n";
  if (c->restricted) {
    o << "  Adgang:         fortrolig"
      << (c->access_group ? ", gruppen " + *c->access_group : std::string()) << "\n";
  }
  o << "  Oprettet:       " << c->created << "\n";
  o << "  Parter:";
  if (parties->empty()) o << "         ingen";
  o << "\n";
  for (const auto& p : *parties) {
    o << "    " << p.party.name << " (" << storage::PartyKindDanish(p.party.kind)
      << (p.party.masked_number ? ", " + *p.party.masked_number : std::string()) << "), "
      << p.role << "\n";
  }
  o << "  Dokumenter:";
  if (docs->empty()) o << "     ingen";
  o << "\n";
  for (const auto& d : *docs) {
    o << "    " << d.doc_number << ". " << d.title << "  ("
      << storage::DirectionDanish(d.direction) << ", " << d.page_count
      << (d.page_count == 1 ? " side" : " sider")
      << (d.received_date ? ", modtaget " + *d.received_date : std::string())
      << ", journaliseret " << d.journal_date.substr(0, 10) << ", dokument-id " << d.id
      << ")\n";
    const storage::Whereabouts& w = originals[d.id];
    if (w.state != storage::Whereabouts::State::kNoOriginal) {
      o << "       " << w.Line() << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void AddCaseCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<CaseOptions>();
  CLI::App* cmd = app.add_subcommand("case", "Sager i journalen: opret, vis, list");
  cmd->require_subcommand(1);

  CLI::App* add = cmd->add_subcommand("add", "Opret en sag (evt. med én part)");
  add->add_option("--system", opts->system, "ESDH-systemet, fx SBSYS")->required()
      ->type_name("SYSTEM");
  add->add_option("--reference", opts->reference, "Sagsnummeret som ESDH-systemet skriver det")
      ->required()
      ->type_name("SAGSNR");
  add->add_option("--title", opts->title, "Sagens titel")->required()->type_name("TITEL");
  add->add_option("--status", opts->status, "open, dormant eller closed (standard: open)")
      ->type_name("STATUS");
  add->add_option("--kle", opts->kle, "KLE-emne NN.NN.NN")->type_name("EMNE");
  add->add_option("--facet", opts->facet, "Handlingsfacet, fx G01")->type_name("FACET");
  add->add_option("--caseworker", opts->caseworker, "Sagsbehandler")->type_name("NAVN");
  add->add_option("--unit", opts->unit, "Enhed")->type_name("ENHED");
  add->add_flag("--restricted", opts->restricted,
                "Fortrolig sag: kun synlig for --group (uden gruppe kun for administratorer)");
  add->add_option("--group", opts->group, "Adgangsgruppen for en fortrolig sag")
      ->type_name("GRUPPE");
  auto* cpr = add->add_option("--party-cpr", opts->party_cpr,
                              "Partens CPR-nummer ('-' læser det fra standardinput)")
                  ->type_name("NUMMER");
  auto* cvr = add->add_option("--party-cvr", opts->party_cvr,
                              "Partens CVR-nummer ('-' læser det fra standardinput)")
                  ->type_name("NUMMER");
  cpr->excludes(cvr);
  add->add_option("--party-name", opts->party_name, "Partens navn")->type_name("NAVN");
  add->add_option("--role", opts->role, "Partens rolle (standard: part)")->type_name("ROLLE");
  add->add_flag("--json", opts->json, "Skriv sagen som JSON");
  add->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Add(ctx, *opts); }; });

  CLI::App* list = cmd->add_subcommand("list", "List sagerne (fortrolige kun for deres gruppe)");
  list->add_option("--status", opts->filter_status, "Kun sager med denne status")
      ->type_name("STATUS");
  list->add_option("--system", opts->filter_system, "Kun sager fra dette system")
      ->type_name("SYSTEM");
  list->add_flag("--json", opts->json, "Skriv sagerne som JSON");
  list->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return List(ctx, *opts); }; });

  CLI::App* show = cmd->add_subcommand("show", "Vis en sag med parter (maskeret) og dokumenter");
  show->add_option("REF", opts->reference, "Sagsnummeret")->required();
  show->add_option("--system", opts->filter_system,
                   "ESDH-systemet, når sagsnummeret findes i flere")
      ->type_name("SYSTEM");
  show->add_flag("--json", opts->json, "Skriv sagen som JSON");
  show->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Show(ctx, *opts); }; });
  AddCaseImportCommand(*cmd, ctx);
}

}  // namespace intake::station
