// `station sheets separator|cover`: prints separator and cover sheets as PDF/A files
// (station/sheets.h). A cover sheet names a case of the journal, open for documents.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "base/atomic_file.h"
#include "station/command_context.h"
#include "station/journal_access.h"
#include "station/sheets.h"

namespace intake::station {
namespace {

struct SheetsOptions {
  int count = 1;
  std::string reference;
  std::string system;
  std::string doc_type;
  std::string out;
};

ExitCode Separator(CommandContext& ctx, const SheetsOptions& opts) {
  auto pdf = MakeSeparatorSheets(opts.count);
  if (!pdf) return ctx.Fail(pdf.error());
  Status written = WriteFileAtomically(opts.out, *pdf);
  if (!written) return ctx.Fail(written.error());
  ctx.out << (opts.count == 1 ? std::string("Skilleark")
                              : std::to_string(opts.count) + " skilleark")
          << " skrevet til " << opts.out << "\n";
  return kExitOk;
}

ExitCode Cover(CommandContext& ctx, const SheetsOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto found = session->journal->FindCaseByReference(opts.system, opts.reference, session->viewer);
  if (!found) {
    return ctx.Fail(found.error().WithContext("forsiden kan ikke udskrives"));
  }
  const storage::CaseRecord& c = *found;
  if (c.status != storage::CaseStatus::kOpen) {
    return ctx.Fail(Error(ErrorCode::kFailedPrecondition,
                          "forsiden kan ikke udskrives: sagen " + c.system + " " + c.reference +
                              " er " + std::string(storage::CaseStatusDanish(c.status)) +
                              " og modtager ikke dokumenter; genåbn sagen i ESDH-systemet "
                              "(og i journalen) eller vælg en åben sag"));
  }
  CoverSheetInfo info;
  info.system = c.system;
  info.reference = c.reference;
  info.case_title = c.title;
  info.doc_type = opts.doc_type;
  auto pdf = MakeCoverSheet(info);
  if (!pdf) return ctx.Fail(pdf.error());
  Status written = WriteFileAtomically(opts.out, *pdf);
  if (!written) return ctx.Fail(written.error());
  ctx.out << "Forside til sag " << c.system << " " << c.reference << " skrevet til " << opts.out
          << "\n";
  return kExitOk;
}

}  // namespace

void AddSheetCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<SheetsOptions>();
  CLI::App* cmd =
      app.add_subcommand("sheets", "Skilleark og forsider med QR-kode til udskrivning (PDF/A)");
  cmd->require_subcommand(1);

  CLI::App* separator = cmd->add_subcommand(
      "separator", "Skilleark: et nyt dokument begynder efter arket (journaliseres ikke)");
  separator
      ->add_option("--count", opts->count,
                   "Antal skilleark (1-" + std::to_string(kMaxSeparatorSheets) + ", standard: 1)")
      ->type_name("N");
  separator->add_option("--out", opts->out, "PDF-filen der skrives")->required()->type_name("FIL");
  separator->callback(
      [&ctx, opts] { ctx.action = [&ctx, opts] { return Separator(ctx, *opts); }; });

  CLI::App* cover = cmd->add_subcommand(
      "cover", "Forside: dokumentet efter arket hører til sagen (journaliseres ikke)");
  cover->add_option("--case", opts->reference, "Sagsnummeret (sagen skal være åben)")
      ->required()
      ->type_name("SAGSNR");
  cover->add_option("--system", opts->system, "ESDH-systemet, når sagsnummeret findes i flere")
      ->type_name("SYSTEM");
  cover->add_option("--type", opts->doc_type, "Dokumenttypen, fx Ansøgning (valgfri)")
      ->type_name("TYPE");
  cover->add_option("--out", opts->out, "PDF-filen der skrives")->required()->type_name("FIL");
  cover->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Cover(ctx, *opts); }; });
}

}  // namespace intake::station
