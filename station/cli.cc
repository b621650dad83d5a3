#include "station/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <new>

#include "base/log.h"
#include "base/masked_ostream.h"
#include "hardware/library_info.h"
#include "ocr/library_info.h"
#include "pdf/library_info.h"
#include "station/command_context.h"
#include "station/interrupt.h"
#include "station/version.h"
#include "storage/library_info.h"

namespace intake::station {
namespace {

// Danish labels for CLI11's help screens.
std::shared_ptr<CLI::Formatter> DanishFormatter() {
  auto f = std::make_shared<CLI::Formatter>();
  f->label("Usage", "Brug");
  f->label("OPTIONS", "TILVALG");
  f->label("SUBCOMMAND", "KOMMANDO");
  f->label("SUBCOMMANDS", "KOMMANDOER");
  f->label("REQUIRED", "PÅKRÆVET");
  f->label("Positionals", "Argumenter");
  f->label("TEXT", "TEKST");
  f->label("INT", "HELTAL");
  f->label("FILE", "FIL");
  f->label("Needs", "Kræver");
  f->label("Excludes", "Udelukker");
  f->column_width(34);
  return f;
}

// A Danish message for CLI11's parse errors; the option names stay as CLI11 gives them.
std::string DanishParseMessage(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    return "uventede argumenter (" + what + ")";
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    return "et påkrævet argument mangler (" + what + ")";
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr ||
      dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {
    return "ugyldig værdi (" + what + ")";
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    return "forkert antal værdier (" + what + ")";
  }
  return "ugyldig kommandolinje (" + what + ")";
}

}  // namespace

std::string VersionText() {
  return std::string("station ") + kStationVersion + " (intake-station)\n" +
         ocr::LibraryVersions() + "; " + pdf::LibraryVersions() + "; " +
         storage::LibraryVersions() + "; " + hardware::LibraryVersions();
}

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& raw_err,
        const config::Environment& env, const std::vector<CommandAdder>& extra) {
  // Messages to the operator never show a CPR number, whatever produced them.
  MaskedOstream err(raw_err);
  try {
    CommandContext ctx{out, err, env, &raw_err == &std::cerr && isatty(STDERR_FILENO) != 0,
                       {}, {}, {}, {}};
    CLI::App app{
        "Scanning- og journaliseringsstation til kommunal sagsbehandling.\n"
        "Scanner post, renser og OCR-læser siderne, gemmer dem som søgbar PDF/A og\n"
        "journaliserer dem på den rigtige sag.",
        "station"};
    app.formatter(DanishFormatter());
    app.option_defaults()->group("Tilvalg");
    app.set_help_flag("-h,--help", "Vis denne hjælp og afslut");
    app.set_version_flag("--version", VersionText(), "Vis versionen og afslut");
    app.add_option("--config", ctx.config_path,
                   "Konfigurationsfil (standard: $STATION_CONFIG, "
                   "~/.config/intake-station/station.toml, /etc/intake-station/station.toml "
                   "eller de indbyggede standardværdier)")
        ->type_name("FIL");
    app.add_option("--log-level", ctx.log_level, "Logniveau: debug, info, warning, error")
        ->check(CLI::IsMember({"debug", "info", "warning", "error"}))
        ->type_name("NIVEAU");
    app.add_option("--actor", ctx.actor,
                   "Navnet i revisionsloggen for ændringer (standard: brugernavnet)")
        ->type_name("NAVN");
    app.require_subcommand(1);
    app.footer(
        "Afslutningskoder: 0 ok, 1 intern fejl, 2 forkert brug, 3 fejl i input, 4 enhed "
        "utilgængelig, 5 datafejl, 6 udført med advarsel, 130 afbrudt.");

    AddStatusCommand(app, ctx);
    AddAnalyzeCommand(app, ctx);
    AddConvertCommand(app, ctx);
    AddScanCommands(app, ctx);
    AddConfigCommands(app, ctx);
    AddCaseCommands(app, ctx);
    AddDocCommands(app, ctx);
    AddAuditCommands(app, ctx);
    AddDbCommands(app, ctx);
    AddSearchCommand(app, ctx);
    AddBatchCommands(app, ctx);
    AddSheetCommands(app, ctx);
    AddArchiveCommands(app, ctx);
    AddUserCommands(app, ctx);
    for (CommandAdder add : extra) add(app, ctx);
    // Danish group names at every level (nested commands such as `case import` get
    // CLI11's English "Options" and "Subcommands" otherwise).
    std::function<void(CLI::App&)> localise = [&](CLI::App& parent) {
      for (CLI::App* sub : parent.get_subcommands({})) {
        sub->group("Kommandoer");
        if (CLI::Option* help = sub->get_help_ptr()) help->group("Tilvalg");
        localise(*sub);
      }
    };
    localise(app);

    std::vector<std::string> reversed(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
    try {
      app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
      out << app.help();
      return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
      out << app.help("", CLI::AppFormatMode::All);
      return kExitOk;
    } catch (const CLI::CallForVersion& e) {
      out << e.what() << "\n";
      return kExitOk;
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return kExitOk;
      err << "fejl: " << DanishParseMessage(e) << "\n"
          << "Se 'station --help' eller 'station KOMMANDO --help'.\n";
      return kExitUsage;
    }
    if (!ctx.action) {
      err << "fejl: ingen kommando valgt. Se 'station --help'.\n";
      return kExitUsage;
    }
    const ExitCode code = ctx.action();
    if (code == kExitOk && InterruptRequested()) return kExitInterrupted;
    return code;
  } catch (const std::bad_alloc&) {
    err << "fejl: ikke nok hukommelse\n";
    log::Error("ikke nok hukommelse");
    return kExitInternal;
  } catch (const std::exception& e) {
    err << "intern fejl: " << e.what() << "\n";
    log::Error(std::string("intern fejl: ") + e.what());
    return kExitInternal;
  } catch (...) {
    err << "intern fejl: ukendt undtagelse\n";
    return kExitInternal;
  }
}

int RealMain(int argc, char** argv, const std::vector<CommandAdder>& extra) {
  InstallInterruptHandlers();
  std::vector<std::string> args(argv, argv + argc);
  return Run(args, std::cout, std::cerr, config::Environment::FromProcess(), extra);
}

}  // namespace intake::station
