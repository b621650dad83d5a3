// `station case import FILE`: a case list exported from the ESDH (CSV or JSON, parsed by
// storage/case_import.h) into the journal. Each row is one transaction (the case with its
// parties, all or nothing); a bad row is reported by its line and column and the valid
// rows are kept. A case that exists already is left as it is, except that a changed status
// is taken over (audited). Exit 3 when any row failed.
//
// NOT BUILT YET: needs storage/case_import.h (branch wip-caseimport). Wiring it in is
// described at the top of tests/station/case_import_cli_test.cc.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include "station/command_context.h"
#include "station/journal_access.h"
#include "storage/case_import.h"

namespace intake::station {
namespace {

using nlohmann::json;

constexpr std::uintmax_t kMaxImportBytes = 200u * 1024 * 1024;

struct ImportOptions {
  std::string file;
  bool json = false;
};

struct RowReport {
  int row = 0;
  std::string outcome;  // "created", "updated", "unchanged", "error", "warning"
  std::string column;
  std::string message;
};

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

Result<std::string> ReadImportFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Error(ErrorCode::kNotFound, "filen " + path + " findes ikke");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Error(ErrorCode::kInvalidArgument, path + " er en mappe, ikke en sagsliste");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxImportBytes) {
    return Error(ErrorCode::kInvalidArgument,
                 "filen " + path + " er for stor (" + std::to_string(size / (1024 * 1024)) +
                     " MB, højst 200 MB); del den op");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kInvalidArgument, "filen " + path + " kan ikke læses");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

storage::NewCase ToNewCase(const storage::ParsedCase& row) {
  storage::NewCase c;
  c.system = row.system;
  c.reference = row.reference;
  c.title = row.title;
  c.status = storage::ParseCaseStatus(row.status).value_or(storage::CaseStatus::kOpen);
  c.kle_subject = NonEmpty(row.kle_subject);
  c.kle_facet = NonEmpty(row.kle_facet);
  c.caseworker = NonEmpty(row.caseworker);
  c.unit = NonEmpty(row.unit);
  c.restricted = row.restricted;
  c.access_group = NonEmpty(row.access_group);
  return c;
}

std::vector<storage::NewCaseParty> ToParties(const storage::ParsedCase& row) {
  std::vector<storage::NewCaseParty> parties;
  for (const auto& p : row.parties) {
    if (p.name.empty() && p.number.empty()) continue;
    storage::NewCaseParty party;
    party.kind = p.kind == "company" ? storage::PartyKind::kCompany : storage::PartyKind::kPerson;
    party.name = p.name.empty() ? "(uden navn)" : p.name;
    if (!p.number.empty()) party.number = p.number;
    party.role = p.role.empty() ? "part" : p.role;
    parties.push_back(std::move(party));
  }
  return parties;
}

// One valid row into the journal.
RowReport ImportRow(JournalSession& session, const storage::ParsedCase& row) {
  RowReport report{row.row, "created", "", ""};
  const storage::NewCase c = ToNewCase(row);
  auto added = session.journal->AddCaseWithParties(c, ToParties(row), session.actor);
  if (added) {
    report.message = "sagen " + added->system + " " + added->reference + " er oprettet";
    return report;
  }
  if (added.error().code() != ErrorCode::kAlreadyExists) {
    report.outcome = "error";
    report.message = added.error().message();
    return report;
  }
  // Already in the journal: take over a changed status, leave the rest.
  const storage::Viewer all = storage::Viewer::Everyone(session.actor.name);
  auto existing = session.journal->FindCaseByReference(c.system, c.reference, all);
  if (!existing) {
    report.outcome = "error";
    report.message = existing.error().message();
    return report;
  }
  const std::string name = existing->system + " " + existing->reference;
  if (existing->status != c.status) {
    auto updated = session.journal->UpdateCaseStatus(existing->id, c.status, session.actor);
    if (!updated) {
      report.outcome = "error";
      report.message = updated.error().message();
      return report;
    }
    report.outcome = "updated";
    report.message = "sagen " + name + " findes; status ændret fra " +
                     std::string(storage::CaseStatusDanish(existing->status)) + " til " +
                     std::string(storage::CaseStatusDanish(c.status));
    return report;
  }
  report.outcome = "unchanged";
  report.message = "sagen " + name + " findes allerede og er uændret";
  if (existing->title != c.title) {
    report.message += " (titlen i filen afviger; journalens titel er beholdt)";
  }
  return report;
}

std::string Where(const storage::CaseListParse& parse, int row) {
  if (row == 0) return "filen";
  return (parse.detected_format == "json" ? "element " : "linje ") + std::to_string(row);
}

ExitCode Import(CommandContext& ctx, const ImportOptions& opts) {
  auto bytes = ReadImportFile(opts.file);
  if (!bytes) return ctx.Fail(bytes.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());

  storage::CaseListOptions parse_options;
  parse_options.no_check_digit_dates = session->config.cpr.no_check_digit_dates;
  parse_options.case_numbers = session->config.case_numbers;
  const storage::CaseListParse parse =
      storage::ParseCaseList(*bytes, std::filesystem::path(opts.file).filename().string(),
                             parse_options);

  std::vector<RowReport> reports;
  for (const auto& e : parse.errors) {
    const bool error = e.severity == storage::RowError::Severity::kError;
    reports.push_back({e.row, error ? "error" : "warning", e.column, e.message});
  }
  for (const auto& row : parse.rows) {
    reports.push_back(ImportRow(*session, row));
    for (const auto& p : row.parties) {
      if (p.needs_confirmation) {
        reports.push_back({row.row, "warning", "party_cpr",
                           "CPR-nummeret for " + (p.name.empty() ? "parten" : p.name) +
                               " har ikke et gyldigt kontrolciffer; bekræft det i CPR"});
      }
    }
  }
  std::stable_sort(reports.begin(), reports.end(),
                   [](const RowReport& a, const RowReport& b) { return a.row < b.row; });

  int created = 0, updated = 0, unchanged = 0, warnings = 0;
  std::set<int> failed_rows;
  for (const auto& r : reports) {
    if (r.outcome == "created") ++created;
    if (r.outcome == "updated") ++updated;
    if (r.outcome == "unchanged") ++unchanged;
    if (r.outcome == "warning") ++warnings;
    if (r.outcome == "error") failed_rows.insert(r.row);
  }
  const int failed = static_cast<int>(failed_rows.size());

  if (opts.json) {
    json rows = json::array();
    for (const auto& r : reports) {
      rows.push_back(json{{"row", r.row},
                          {"outcome", r.outcome},
                          {"column", r.column.empty() ? json(nullptr) : json(r.column)},
                          {"message", r.message}});
    }
    ctx.out << json{{"file", opts.file},
                    {"format", parse.detected_format},
                    {"encoding", parse.detected_encoding},
                    {"created", created},
                    {"updated", updated},
                    {"unchanged", unchanged},
                    {"failed_rows", failed},
                    {"warnings", warnings},
                    {"rows", rows}}
                   .dump(2, ' ', false, json::error_handler_t::replace)
            << "\n";
  } else {
    for (const auto& r : reports) {
      const char* label = r.outcome == "error"     ? "FEJL"
                          : r.outcome == "warning" ? "advarsel"
                                                   : "ok";
      ctx.out << opts.file << ": " << Where(parse, r.row) << ": " << label << ": "
              << (r.column.empty() ? "" : "kolonne " + r.column + ": ") << r.message << "\n";
    }
    ctx.out << "Import af " << opts.file << " (" << parse.detected_format << ", "
            << parse.detected_encoding << "): " << created << " oprettet, " << updated
            << " opdateret, " << unchanged << " uændrede, " << failed
            << (failed == 1 ? " række" : " rækker") << " med fejl, " << warnings
            << (warnings == 1 ? " advarsel" : " advarsler") << ".\n";
  }
  if (failed == 0) return kExitOk;
  ctx.err << "fejl: " << failed << (failed == 1 ? " række" : " rækker") << " i " << opts.file
          << " blev ikke importeret (se rapporten); de gyldige rækker er gemt. Ret filen og "
             "importér den igen: allerede importerede sager springes over.\n";
  return kExitInput;
}

}  // namespace

void AddCaseImportCommand(CLI::App& case_cmd, CommandContext& ctx) {
  auto opts = std::make_shared<ImportOptions>();
  CLI::App* cmd = case_cmd.add_subcommand(
      "import", "Importér en sagsliste fra ESDH-systemet (CSV eller JSON) med rapport pr. række");
  cmd->add_option("FILE", opts->file, "Sagslisten (.csv eller .json)")->required();
  cmd->add_flag("--json", opts->json, "Skriv rapporten som JSON");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Import(ctx, *opts); }; });
}

}  // namespace intake::station
