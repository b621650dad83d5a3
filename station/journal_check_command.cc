// `station doc show ID`, `station audit verify` and `station db check`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "base/cpr_mask.h"
#include "station/command_context.h"
#include "station/journal_access.h"

namespace intake::station {
namespace {

using nlohmann::json;

struct CheckOptions {
  int64_t document_id = 0;
  bool json = false;
  bool text = false;
};

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

ExitCode ShowDocument(CommandContext& ctx, const CheckOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  storage::Journal& journal = *session->journal;
  auto doc = journal.GetDocument(opts.document_id, session->viewer);
  if (!doc) return ctx.Fail(doc.error());
  auto c = journal.GetCase(doc->case_id, session->viewer);
  if (!c) return ctx.Fail(c.error());
  // OCR text can hold CPR numbers from the letter itself: shown masked here, like
  // everything else the station prints (DOMAIN.md section 5).
  doc->ocr_text = MaskCpr(doc->ocr_text);
  auto original = journal.archive().Where(doc->id, session->viewer);
  if (!original) return ctx.Fail(original.error());
  if (opts.json) {
    json j = DocumentToJson(*doc, true);
    j["case"] = CaseToJson(*c);
    j["original"] = WhereaboutsToJson(*original);
    j["pdf_path"] = journal.PdfPath(doc->pdf_sha256);
    ctx.out << Dump(j) << "\n";
    return kExitOk;
  }
  auto& o = ctx.out;
  o << "Dokument " << doc->id << ": nr. " << doc->doc_number << " på sag " << c->system << " "
    << c->reference << "\n";
  o << "  Titel:          " << doc->title << "\n";
  if (doc->description) o << "  Beskrivelse:    " << *doc->description << "\n";
  o << "  Retning:        " << storage::DirectionDanish(doc->direction) << "\n";
  if (doc->doc_type) o << "  Type:           " << *doc->doc_type << "\n";
  if (doc->letter_date) o << "  Brevdato:       " << *doc->letter_date << "\n";
  if (doc->received_date) o << "  Modtaget:       " << *doc->received_date << "\n";
  o << "  Journaliseret:  " << doc->journal_date << "\n";
  if (doc->batch_id) o << "  Batch:          " << *doc->batch_id << "\n";
  o << "  " << original->Line() << "\n";
  o << "  PDF:            " << journal.PdfPath(doc->pdf_sha256) << "\n";
  o << "  SHA-256:        " << doc->pdf_sha256 << "\n";
  o << "  Sider:          " << doc->page_count << "\n";
  for (const auto& p : doc->pages) {
    o << "    side " << p.page_no << (p.blank ? ": blank" : "");
    if (p.orientation != 0) o << ", drejet " << p.orientation << "°";
    if (p.confidence) o << ", OCR-sikkerhed " << static_cast<int>(*p.confidence + 0.5);
    o << "\n";
  }
  o << "  OCR-tekst:      " << doc->ocr_text.size() << " byte"
    << (opts.text ? "" : " (vis den med --text)") << "\n";
  if (opts.text) o << "\n" << doc->ocr_text << "\n";
  return kExitOk;
}

ExitCode VerifyAudit(CommandContext& ctx, const CheckOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto report = session->journal->VerifyAudit();
  if (!report) return ctx.Fail(report.error());
  if (opts.json) {
    ctx.out << Dump(json{{"ok", report->ok},
                         {"entries", report->entries},
                         {"problems", report->problems}})
            << "\n";
  } else if (report->ok) {
    ctx.out << "Revisionsloggen er intakt: " << report->entries
            << (report->entries == 1 ? " post" : " poster")
            << ", kæden og ankeret passer.\n";
  } else {
    for (const auto& p : report->problems) ctx.out << "  " << p << "\n";
  }
  if (report->ok) return kExitOk;
  ctx.err << "fejl: revisionsloggen er ikke intakt (" << report->problems.size()
          << (report->problems.size() == 1 ? " problem" : " problemer")
          << "); journalen kan være ændret uden om stationen. Gem databasen og ankerfilen "
             "uændret og kontakt IT-sikkerhed.\n";
  return kExitData;
}

ExitCode CheckDatabase(CommandContext& ctx, const CheckOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto report = session->journal->IntegrityCheck();
  if (!report) return ctx.Fail(report.error());
  const auto& moved = session->journal->SweepAtOpen().moved;
  if (opts.json) {
    ctx.out << Dump(json{{"ok", report->ok()},
                         {"documents_checked", report->documents_checked},
                         {"files_checked", report->files_checked},
                         {"problems", report->problems},
                         {"orphans", report->orphans},
                         {"orphans_moved", moved}})
            << "\n";
  } else {
    for (const auto& p : report->problems) ctx.out << "  " << p << "\n";
    for (const auto& o : report->orphans) {
      ctx.out << "  fil uden journalpost (flyttes ved næste start uden andre brugere): " << o
              << "\n";
    }
    if (report->ok()) {
      ctx.out << "Journalen er i orden: " << report->documents_checked << " dokumenter og "
              << report->files_checked << " filer kontrolleret"
              << (moved.empty() ? "" : ", " + std::to_string(moved.size()) +
                                           " filer uden journalpost flyttet til orphans/")
              << ".\n";
    }
  }
  if (report->ok()) return kExitOk;
  ctx.err << "fejl: journalen har " << report->problems.size()
          << (report->problems.size() == 1 ? " problem" : " problemer")
          << "; gendan de berørte filer eller databasen fra sikkerhedskopien.\n";
  return kExitData;
}

}  // namespace

void AddDocCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("doc", "Journaliserede dokumenter");
  cmd->require_subcommand(1);
  CLI::App* show = cmd->add_subcommand("show", "Vis et dokument med sider og PDF-fil");
  show->add_option("ID", opts->document_id, "Dokumentets id")->required()->check(
      CLI::PositiveNumber);
  show->add_flag("--json", opts->json, "Skriv dokumentet som JSON (med sideanalyser og tekst)");
  show->add_flag("--text", opts->text, "Vis også OCR-teksten (CPR-numre maskeret)");
  show->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return ShowDocument(ctx, *opts); }; });
}

void AddAuditCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "Revisionsloggen");
  cmd->require_subcommand(1);
  CLI::App* verify = cmd->add_subcommand(
      "verify", "Kontrollér at ingen post i revisionsloggen er ændret, slettet eller flyttet");
  verify->add_flag("--json", opts->json, "Skriv resultatet som JSON");
  verify->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return VerifyAudit(ctx, *opts); }; });
}

void AddDbCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("db", "Journalens database og dokumentlager");
  cmd->require_subcommand(1);
  CLI::App* check = cmd->add_subcommand(
      "check", "Integritetskontrol: databasen, hver PDF-fil og dens SHA-256, løbenumre");
  check->add_flag("--json", opts->json, "Skriv resultatet som JSON");
  check->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return CheckDatabase(ctx, *opts); }; });
}

}  // namespace intake::station
