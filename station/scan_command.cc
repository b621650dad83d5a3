// `station devices`, `station scan` and `station import`: pages from a scanner or from
// files into a durable intake batch (storage/page_spool.h) and through the page pipeline
// (station/intake_run.h).
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <regex>
#include <thread>

#include "base/atomic_file.h"
#include "base/log.h"
#include "hardware/folder_source.h"
#include "hardware/sane_scanner.h"
#include "station/command_context.h"
#include "station/intake_run.h"
#include "station/interrupt.h"
#include "station/pipeline_setup.h"

namespace intake::station {
namespace {

struct ScanOptions {
  std::string profile;
  std::string device;
  std::string source;
  std::string mode;
  int dpi = 0;
  std::string batch_name;
  std::string resume;
  std::string received;
  std::string operator_name;
  std::string json_report;
  bool no_ocr = false;
  bool json_devices = false;
  std::vector<std::string> inputs;  // import
  std::string watch;                // import --watch INBOX
};

std::string OsUser() {
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "ukendt";
}

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// The received date: YYYY-MM-DD, a real date, not in the future (post received earlier may
// be back-dated, never forward-dated).
Result<std::string> CheckReceivedDate(const std::string& text) {
  if (text.empty()) return Today();
  static const std::regex kIso(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, kIso)) {
    return Error(ErrorCode::kInvalidArgument,
                 "modtagelsesdatoen \"" + text + "\" skal skrives ÅÅÅÅ-MM-DD, fx 2026-11-26");
  }
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = 12;
  std::tm check = tm;
  if (std::mktime(&check) == -1 || check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon) {
    return Error(ErrorCode::kInvalidArgument, "modtagelsesdatoen " + text + " findes ikke");
  }
  if (text > Today()) {
    return Error(ErrorCode::kInvalidArgument,
                 "modtagelsesdatoen " + text + " ligger i fremtiden; brug dagens dato eller en "
                 "tidligere");
  }
  return text;
}

Result<hardware::ScanSettings> SettingsFor(const config::Config& cfg, const ScanOptions& o) {
  const std::string profile_name = o.profile.empty() ? cfg.scanner.default_profile : o.profile;
  const config::ScannerProfile* profile = config::FindProfile(cfg, profile_name);
  if (profile == nullptr) {
    std::string names;
    for (const auto& p : cfg.scanner.profiles) names += (names.empty() ? "" : ", ") + p.name;
    return Error(ErrorCode::kInvalidArgument,
                 "scannerprofilen \"" + profile_name + "\" findes ikke; vælg en af: " + names);
  }
  hardware::ScanSettings s;
  s.device = o.device.empty() ? profile->device : o.device;
  s.source = profile->source;
  s.mode = profile->mode;
  s.dpi = o.dpi > 0 ? o.dpi : profile->dpi;
  if (!o.source.empty()) {
    if (o.source == "flatbed") s.source = config::ScanSource::kFlatbed;
    else if (o.source == "feeder") s.source = config::ScanSource::kFeeder;
    else if (o.source == "duplex") s.source = config::ScanSource::kDuplex;
  }
  if (!o.mode.empty()) {
    if (o.mode == "lineart") s.mode = config::ScanMode::kLineart;
    else if (o.mode == "gray") s.mode = config::ScanMode::kGray;
    else if (o.mode == "color") s.mode = config::ScanMode::kColor;
  }
  return s;
}

nlohmann::json SummaryJson(const IntakeSummary& s) {
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& q : s.samples) {
    samples.push_back({{"seconds", q.seconds},
                       {"scanned", q.scanned},
                       {"processed", q.processed},
                       {"waiting", q.waiting},
                       {"spilled", q.spilled}});
  }
  return {{"batch", s.batch_id},
          {"sheets", s.sheets},
          {"pages_scanned", s.pages_scanned},
          {"pages_processed", s.pages_processed},
          {"pages_failed", s.pages_failed},
          {"pages_blank", s.pages_blank},
          {"pages_spilled", s.pages_spilled},
          {"seconds", s.seconds},
          {"fault", s.fault ? nlohmann::json(s.fault->message()) : nlohmann::json(nullptr)},
          {"reload_from_sheet", s.fault ? s.fault_info.reload_from_sheet : 0},
          {"bad_files", s.bad_files},
          {"samples", samples}};
}

// Runs one batch and prints progress and the summary. Returns the exit code.
ExitCode RunAndReport(CommandContext& ctx, hardware::ScanSession& session,
                      storage::PageSpool& spool, const std::string& batch_id,
                      const IntakeOptions& options, const std::string& json_report,
                      bool no_ocr) {
  auto last_line = std::chrono::steady_clock::now();
  auto on_page = [&](const ocr::PageAnalysis&, const IntakeSummary& s) {
    const auto now = std::chrono::steady_clock::now();
    const std::string line = "Batch " + batch_id + ": " + std::to_string(s.pages_scanned) +
                             " sider scannet, " + std::to_string(s.pages_processed) +
                             " behandlet";
    if (ctx.interactive) {
      ctx.err << "\r" << line << "\x1b[K" << std::flush;
    } else if (now - last_line > std::chrono::seconds(5)) {
      ctx.err << line << "\n";
      last_line = now;
    }
  };
  Result<IntakeSummary> summary = RunIntake(session, spool, batch_id, options, on_page);
  if (ctx.interactive) ctx.err << "\n";
  if (!summary) {
    ctx.err << "fejl: " << summary.error().message() << "\n"
            << "De sider, der nåede at blive gemt, ligger i " << spool.BatchDir(batch_id)
            << ".\n";
    return ExitCodeFor(summary.error()) == kExitInput ? kExitData : ExitCodeFor(summary.error());
  }
  const IntakeSummary& s = *summary;
  if (!json_report.empty()) {
    Status written = WriteFileAtomically(json_report, SummaryJson(s).dump(2) + "\n");
    if (!written) ctx.err << "advarsel: " << written.error().message() << "\n";
  }
  ctx.out << "Batch " << batch_id << ": " << s.sheets << " ark, " << s.pages_scanned
          << " sider gemt, " << s.pages_processed << " behandlet (" << s.pages_blank
          << " blanke, " << s.pages_failed << " med fejl).\n";
  ctx.out << "Siderne ligger i " << spool.BatchDir(batch_id) << ".\n";
  for (const auto& bad : s.bad_files) ctx.err << "kunne ikke læses: " << bad << "\n";
  if (s.fault) {
    if (s.fault->code() == ErrorCode::kCancelled) {
      ctx.err << "Scanningen blev afbrudt. Fortsæt fra ark " << s.fault_info.reload_from_sheet
              << " med: station scan --resume " << batch_id << "\n";
      return kExitInterrupted;
    }
    ctx.err << "SCANNERFEJL: " << s.fault->message() << "\n";
    if (s.pages_scanned == 0 && s.fault_info.last_complete_sheet == 0) {
      ctx.err << "Ingen sider blev scannet. Ret fejlen og scan igen (batchen " << batch_id
              << " er tom).\n";
    } else {
      ctx.err << "Siderne til og med ark " << s.fault_info.last_complete_sheet
              << " er gemt. Læg arkene fra ark " << s.fault_info.reload_from_sheet
              << " i fremføreren og fortsæt med: station scan --resume " << batch_id << "\n";
    }
    return kExitDevice;
  }
  if (!no_ocr && s.pages_processed > 0) {
    // The documents, cases and titles the station proposes (station batch show).
    if (ProposeAfterIntake(ctx, batch_id) != kExitOk && s.bad_files.empty() &&
        s.pages_failed == 0) {
      return kExitDegraded;
    }
  }
  if (!s.bad_files.empty() || s.pages_failed > 0) return kExitInput;
  return kExitOk;
}

Result<storage::PageSpool> OpenSpool(const config::Config& cfg) {
  return storage::PageSpool::Open(cfg.station.data_dir + "/spool");
}

ExitCode Devices(CommandContext& ctx, const ScanOptions& o) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());
  hardware::SaneScanner scanner;
  auto devices = scanner.ListDevices();
  if (!devices) return ctx.Fail(devices.error());
  if (o.json_devices) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : *devices) {
      list.push_back({{"name", d.name}, {"vendor", d.vendor}, {"model", d.model}, {"type", d.type}});
    }
    ctx.out << list.dump(2) << "\n";
  } else if (devices->empty()) {
    ctx.out << "Ingen scannere fundet. Kontrollér at scanneren er tændt og tilsluttet, og at "
               "SANE kender den (scanimage -L).\n";
  } else {
    for (const auto& d : *devices) {
      ctx.out << d.name << "  " << d.vendor << " " << d.model << " (" << d.type << ")\n";
    }
  }
  return kExitOk;
}

ExitCode Scan(CommandContext& ctx, const ScanOptions& o) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());
  auto settings = SettingsFor(*cfg, o);
  if (!settings) return ctx.Fail(settings.error());
  auto spool = OpenSpool(*cfg);
  if (!spool) return ctx.Fail(spool.error());

  std::string batch_id;
  if (!o.resume.empty()) {
    auto record = spool->Load(o.resume);
    if (!record) return ctx.Fail(record.error());
    batch_id = o.resume;
    settings->first_sheet = record->next_sheet();
    Status resumed = spool->RecordResume(batch_id, settings->first_sheet);
    if (!resumed) return ctx.Fail(resumed.error());
    ctx.err << "Fortsætter batch " << batch_id << " fra ark " << settings->first_sheet << ".\n";
  } else {
    auto received = CheckReceivedDate(o.received);
    if (!received) return ctx.Fail(received.error());
    auto id = spool->CreateBatch({o.batch_name, "scanner", settings->device,
                                  o.operator_name.empty() ? OsUser() : o.operator_name,
                                  *received});
    if (!id) return ctx.Fail(id.error());
    batch_id = *id;
  }

  hardware::SaneScanner scanner;
  auto session = scanner.StartBatch(*settings);
  if (!session) {
    if (o.resume.empty()) {
      // Nothing was scanned: the empty batch folder stays as a trace of the attempt.
      log::Info("batch " + batch_id + " startede ikke: " + session.error().message());
    }
    return ctx.Fail(session.error());
  }
  return RunAndReport(ctx, **session, *spool, batch_id, IntakeOptionsFor(*cfg, o.no_ocr),
                      o.json_report, o.no_ocr);
}

ExitCode Import(CommandContext& ctx, const ScanOptions& o) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());
  auto spool = OpenSpool(*cfg);
  if (!spool) return ctx.Fail(spool.error());
  auto received = CheckReceivedDate(o.received);
  if (!received) return ctx.Fail(received.error());
  const std::string who = o.operator_name.empty() ? OsUser() : o.operator_name;
  IntakeOptions options = IntakeOptionsFor(*cfg, o.no_ocr);
  options.file_errors_continue = true;

  if (!o.watch.empty()) {
    // Scan-to-folder: each complete file from the network scanner becomes a batch; the
    // file leaves the inbox (to done/) only once its pages are durably stored, and an
    // unreadable file goes to failed/ with its reason.
    auto watcher = hardware::FolderWatcher::Open(o.watch, {});
    if (!watcher) return ctx.Fail(watcher.error());
    ctx.err << "Overvåger " << o.watch << " (Ctrl-C for at stoppe).\n";
    while (!InterruptRequested()) {
      auto incoming = (*watcher)->Next(std::chrono::milliseconds(500));
      if (!incoming) return ctx.Fail(incoming.error());
      if (!*incoming) continue;
      const hardware::IncomingFile& file = **incoming;
      hardware::ScanSettings settings;
      if (const config::ScannerProfile* p =
              config::FindProfile(*cfg, cfg->scanner.default_profile)) {
        settings.dpi = p->dpi;
      }
      if (o.dpi > 0) settings.dpi = o.dpi;
      auto session = hardware::FolderSource::Import({file.path}, settings);
      if (!session) {
        Status moved = (*watcher)->MarkFailed(file, session.error().message());
        if (!moved) ctx.err << "advarsel: " << moved.error().message() << "\n";
        continue;
      }
      auto id = spool->CreateBatch({o.batch_name, "folder", o.watch, who, *received});
      if (!id) {
        (*watcher)->Release(file);
        return ctx.Fail(id.error());
      }
      const ExitCode code = RunAndReport(ctx, **session, *spool, *id, options, "", o.no_ocr);
      const bool stored = code == kExitOk || code == kExitInput;
      const auto& delivered = (*session)->delivered_files();
      const auto& failed = (*session)->failed_files();
      Status moved = OkStatus();
      if (stored && std::any_of(delivered.begin(), delivered.end(),
                                [&](const auto& f) { return f.path == file.path; })) {
        moved = (*watcher)->MarkDone(file);
      } else if (!failed.empty()) {
        moved = (*watcher)->MarkFailed(file, failed.back().error.message());
      } else {
        (*watcher)->Release(file);  // not stored (spool error, cancel): offered again later
      }
      if (!moved) ctx.err << "advarsel: " << moved.error().message() << "\n";
      if (code == kExitInterrupted || code == kExitData) return code;
    }
    return kExitInterrupted;
  }

  auto expanded = hardware::FolderSource::ExpandPaths(o.inputs);
  if (!expanded) return ctx.Fail(expanded.error());
  hardware::ScanSettings settings;
  if (const config::ScannerProfile* p = config::FindProfile(*cfg, cfg->scanner.default_profile)) {
    settings.dpi = p->dpi;
  }
  if (o.dpi > 0) settings.dpi = o.dpi;
  auto session = hardware::FolderSource::Import(*expanded, settings);
  if (!session) return ctx.Fail(session.error());
  auto id = spool->CreateBatch({o.batch_name, "import", "", who, *received});
  if (!id) return ctx.Fail(id.error());
  return RunAndReport(ctx, **session, *spool, *id, options, o.json_report, o.no_ocr);
}

}  // namespace

void AddScanCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<ScanOptions>();

  CLI::App* devices = app.add_subcommand("devices", "Vis de scannere SANE kan finde");
  devices->add_flag("--json", opts->json_devices, "Skriv listen som JSON");
  devices->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Devices(ctx, *opts); }; });

  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--batch", opts->batch_name, "Et navn til batchen, fx \"Morgenpost\"")
        ->type_name("NAVN");
    cmd->add_option("--received", opts->received,
                    "Modtagelsesdato (postens åbningsdato), ÅÅÅÅ-MM-DD; standard: i dag")
        ->type_name("DATO");
    cmd->add_option("--operator", opts->operator_name, "Hvem scanner (standard: brugernavnet)")
        ->type_name("NAVN");
    cmd->add_option("--json", opts->json_report, "Skriv et resumé med kø-målinger som JSON")
        ->type_name("FIL");
    cmd->add_flag("--no-ocr", opts->no_ocr, "Uden OCR (kun billedbehandling)");
  };

  CLI::App* scan = app.add_subcommand(
      "scan", "Scan en bunke fra scanneren ind i en batch (siderne gemmes straks på disken)");
  scan->add_option("--profile", opts->profile, "Scannerprofil fra station.toml")
      ->type_name("PROFIL");
  scan->add_option("--device", opts->device, "SANE-enhed, fx intake:demo")->type_name("ENHED");
  scan->add_option("--source", opts->source, "flatbed, feeder eller duplex")
      ->check(CLI::IsMember({"flatbed", "feeder", "duplex"}))
      ->type_name("KILDE");
  scan->add_option("--mode", opts->mode, "lineart, gray eller color")
      ->check(CLI::IsMember({"lineart", "gray", "color"}))
      ->type_name("TILSTAND");
  scan->add_option("--dpi", opts->dpi, "Opløsning")->check(CLI::Range(75, 1200))->type_name("N");
  scan->add_option("--resume", opts->resume,
                   "Fortsæt en batch efter en scannerfejl (papirstop, åbent låg)")
      ->type_name("BATCH");
  common(scan);
  scan->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Scan(ctx, *opts); }; });

  CLI::App* import = app.add_subcommand(
      "import", "Indlæs filer (PNG, TIFF, JPEG, PDF) eller en mappe som en batch");
  import->add_option("INPUT", opts->inputs, "Filer eller mapper");
  import->add_option("--dpi", opts->dpi, "Opløsning for PDF-sider (standard: profilens)")
      ->check(CLI::Range(50, 1200))
      ->type_name("N");
  import->add_option("--watch", opts->watch,
                     "Overvåg en indbakke-mappe fra netværksscannere (scan-to-folder)")
      ->type_name("MAPPE");
  common(import);
  import->callback([&ctx, opts] {
    if (opts->inputs.empty() && opts->watch.empty()) {
      throw CLI::ValidationError("INPUT", "angiv filer eller mapper, eller --watch MAPPE");
    }
    ctx.action = [&ctx, opts] { return Import(ctx, *opts); };
  });
}

}  // namespace intake::station
