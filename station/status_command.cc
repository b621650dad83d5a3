// `station status`: what the station is, where its data lives, and what it can do.
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <filesystem>
#include <ostream>
#include <thread>

#include "base/log.h"
#include "hardware/library_info.h"
#include "ocr/library_info.h"
#include "pdf/library_info.h"
#include "station/command_context.h"
#include "station/config_json.h"
#include "station/version.h"
#include "storage/library_info.h"

namespace intake::station {
namespace {

// Creates `dir` (and parents, mode 0750) if missing and checks that it is writable.
Status EnsureWritableDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Always a data error (exit 5), whatever errno says: the station cannot keep its data.
  if (ec) {
    return Error(ErrorCode::kIOError,
                 FromErrno("kan ikke oprette datamappen " + dir, ec.value()).message());
  }
  ::chmod(dir.c_str(), 0750);
  if (::access(dir.c_str(), W_OK) != 0) {
    return Error(ErrorCode::kIOError,
                 FromErrno("datamappen " + dir + " er ikke skrivbar", errno).message());
  }
  return OkStatus();
}

int EffectiveWorkers(const config::Config& cfg) {
  if (cfg.ocr.workers > 0) return cfg.ocr.workers;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ExitCode ShowStatus(CommandContext& ctx, bool json) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());
  const config::Config& c = *cfg;

  Status data_dir = EnsureWritableDirectory(c.station.data_dir);
  std::error_code ec;
  const bool journal_exists = std::filesystem::exists(c.journal.database, ec);

  if (json) {
    ctx.out << nlohmann::json{
                   {"version", kStationVersion},
                   {"station_id", c.station.id},
                   {"config_source", c.source.empty() ? "defaults" : c.source},
                   {"data_dir", c.station.data_dir},
                   {"data_dir_writable", data_dir.has_value()},
                   {"journal", {{"path", c.journal.database}, {"exists", journal_exists}}},
                   {"ocr_workers", EffectiveWorkers(c)},
                   {"libraries",
                    {{"ocr", ocr::LibraryVersions()},
                     {"pdf", pdf::LibraryVersions()},
                     {"storage", storage::LibraryVersions()},
                     {"hardware", hardware::LibraryVersions()}}},
                   {"config", ConfigToJson(c)}}
                   .dump(2)
            << "\n";
  } else {
    auto& o = ctx.out;
    o << "Intake-station " << kStationVersion << "\n\n";
    o << "  Station:        " << c.station.id << "\n";
    o << "  Konfiguration:  " << (c.source.empty() ? "indbyggede standardværdier" : c.source)
      << "\n";
    o << "  Datamappe:      " << c.station.data_dir
      << (data_dir.has_value() ? " (skrivbar)" : " (IKKE skrivbar)") << "\n";
    o << "  Journal:        " << c.journal.database
      << (journal_exists ? "" : " (oprettes ved første journalisering)") << "\n";
    o << "  Dokumentlager:  " << c.journal.file_store << "\n";
    o << "  OCR:            sprog " << c.ocr.languages << ", " << EffectiveWorkers(c)
      << " arbejdstråde\n";
    o << "  Scannerprofiler:";
    for (const auto& p : c.scanner.profiles) {
      o << "\n    " << (p.name == c.scanner.default_profile ? "* " : "  ") << p.name << ": "
        << config::ScanSourceName(p.source) << ", " << config::ScanModeName(p.mode) << ", "
        << p.dpi << " dpi" << (p.device.empty() ? "" : ", enhed " + p.device);
    }
    o << "\n  Sagsnumre:      ";
    for (size_t i = 0; i < c.case_numbers.size(); ++i) {
      o << (i ? ", " : "") << c.case_numbers[i].system << " (fx "
        << c.case_numbers[i].example << ")";
    }
    o << "\n  Biblioteker:    " << ocr::LibraryVersions() << "; " << pdf::LibraryVersions()
      << "; " << storage::LibraryVersions() << "; " << hardware::LibraryVersions() << "\n\n";
    o << "Se 'station --help' for kommandoerne.\n";
  }
  if (!data_dir) return ctx.Fail(data_dir.error());
  log::Debug("status vist for station " + c.station.id);
  return kExitOk;
}

}  // namespace

void AddStatusCommand(CLI::App& app, CommandContext& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd =
      app.add_subcommand("status", "Vis stationens tilstand, datamappe og biblioteker");
  cmd->add_flag("--json", *json, "Skriv tilstanden som JSON");
  cmd->callback([&ctx, json] { ctx.action = [&ctx, json] { return ShowStatus(ctx, *json); }; });
}

}  // namespace intake::station
