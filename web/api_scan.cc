// Intake from the browser: scanners and profiles, scans and scan-to-folder pick-up as
// background jobs (web/intake_jobs.h) with their progress, and the caseworker's digitising
// of a special paper document straight onto one of their own cases (web/routes.h).
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>
#include <system_error>

#include "base/danish_ids.h"
#include "base/log.h"
#include "hardware/folder_source.h"
#include "station/archive_views.h"
#include "station/batch_journal.h"
#include "station/batch_plan.h"
#include "station/journal_access.h"
#include "station/title_check.h"
#include "storage/archive.h"
#include "web/intake_jobs.h"
#include "web/routes.h"

namespace intake::web {
namespace {

namespace fs = std::filesystem;
using storage::Role;

constexpr const char kImportedDir[] = ".imported";

// The received date of a new batch: today's local date, ÅÅÅÅ-MM-DD.
std::string Today() { return station::IsoDay(LocalToday()); }

ApiReply Forbidden(const std::string& message) {
  return ApiReply::Json(nlohmann::json{{"error", {{"code", "forbidden"}, {"message", message}}}},
                        403);
}

// The scan-to-folder directory, created on first use.
Result<std::string> ScanFolder(const StationState& state) {
  const std::string& dir = state.config.station.scan_folder;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return Error(ErrorCode::kIOError, "scan-mappen " + dir + " kan ikke oprettes: " + ec.message() +
                                          "; ret station.scan_folder");
  }
  return dir;
}

std::string ModifiedIso(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "";
  std::tm tm{};
  gmtime_r(&st.st_mtime, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A name directly in the scan folder: one path component, not hidden, no NUL, and (after
// resolving symbolic links) still inside the folder. kInvalidArgument naming the field,
// kNotFound when there is no such entry.
Result<fs::path> ScanFolderEntry(const std::string& folder_dir, const std::string& name) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidArgument,
                 "feltet \"folder\" " + why + "; vælg en mappe fra listen over scan-mappen");
  };
  if (name.empty()) return bad("er tomt");
  if (name.find('\0') != std::string::npos) return bad("indeholder et NUL-tegn");
  if (name.find('/') != std::string::npos) return bad("må kun være ét navn, uden '/'");
  if (name == "." || name == "..") return bad("må ikke være \".\" eller \"..\"");
  if (name[0] == '.') return bad("må ikke være et skjult navn (begynder med '.')");
  if (hardware::IsIgnoredFileName(name)) return bad("er en midlertidig fil eller systemfil");
  const fs::path entry = fs::path(folder_dir) / name;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(entry, ec))) {
    return Error(ErrorCode::kNotFound, "\"" + name + "\" findes ikke i scan-mappen");
  }
  const fs::path base = fs::canonical(folder_dir, ec);
  if (ec) return Error(ErrorCode::kIOError, "scan-mappen kan ikke læses: " + ec.message());
  const fs::path resolved = fs::canonical(entry, ec);
  if (ec) return Error(ErrorCode::kNotFound, "\"" + name + "\" findes ikke i scan-mappen");
  if (resolved.parent_path() != base) {
    return bad("peger uden for scan-mappen (symbolsk link)");
  }
  return entry;
}

// Moves `from` to `to_dir`/name, adding "-2", "-3" ... when the name is taken there.
Result<fs::path> MoveAside(const fs::path& from, const fs::path& to_dir) {
  std::error_code ec;
  fs::create_directories(to_dir, ec);
  const std::string name = from.filename().string();
  fs::path target = to_dir / name;
  for (int n = 2; fs::exists(fs::symlink_status(target, ec)); ++n) {
    target = to_dir / (name + "-" + std::to_string(n));
  }
  fs::rename(from, target, ec);
  if (ec) {
    return Error(ErrorCode::kIOError,
                 "\"" + name + "\" kunne ikke flyttes i scan-mappen: " + ec.message());
  }
  return target;
}

Result<config::ScanSource> ParseSource(const std::string& text) {
  if (text == "flatbed") return config::ScanSource::kFlatbed;
  if (text == "feeder") return config::ScanSource::kFeeder;
  if (text == "duplex") return config::ScanSource::kDuplex;
  return Error(ErrorCode::kInvalidArgument,
               "feltet \"source\" skal være flatbed, feeder eller duplex, ikke \"" + text + "\"");
}

Result<config::ScanMode> ParseMode(const std::string& text) {
  if (text == "color" || text == "colour") return config::ScanMode::kColor;
  if (text == "gray" || text == "grey") return config::ScanMode::kGray;
  if (text == "lineart" || text == "bw") return config::ScanMode::kLineart;
  return Error(ErrorCode::kInvalidArgument,
               "feltet \"mode\" skal være color, gray eller lineart, ikke \"" + text + "\"");
}

nlohmann::json ProfileJson(const config::ScannerProfile& p) {
  return {{"name", p.name},
          {"device", p.device},
          {"source", std::string(config::ScanSourceName(p.source))},
          {"mode", std::string(config::ScanModeName(p.mode))},
          {"dpi", p.dpi}};
}

// The scan settings from a request: the profile (or the default), then device, source and
// mode when given.
Result<hardware::ScanSettings> SettingsFrom(const config::Config& cfg, const nlohmann::json& body,
                                            bool source_required) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> profile_name, OptionalString(body, "profile"));
  const std::string name = profile_name.value_or(cfg.scanner.default_profile);
  const config::ScannerProfile* profile = config::FindProfile(cfg, name);
  if (profile == nullptr) {
    std::string names;
    for (const auto& p : cfg.scanner.profiles) names += (names.empty() ? "" : ", ") + p.name;
    return Error(ErrorCode::kInvalidArgument, "feltet \"profile\": scannerprofilen \"" + name +
                                                  "\" findes ikke; vælg en af: " + names);
  }
  hardware::ScanSettings s;
  s.device = profile->device;
  s.source = profile->source;
  s.mode = profile->mode;
  s.dpi = profile->dpi;
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> device, OptionalString(body, "device"));
  if (device && !device->empty()) s.device = *device;
  std::optional<std::string> source;
  if (source_required) {
    INTAKE_ASSIGN_OR_RETURN(std::string required, RequiredString(body, "source"));
    source = required;
  } else {
    INTAKE_ASSIGN_OR_RETURN(source, OptionalString(body, "source"));
  }
  if (source) {
    INTAKE_ASSIGN_OR_RETURN(s.source, ParseSource(*source));
  }
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> mode, OptionalString(body, "mode"));
  if (mode) {
    INTAKE_ASSIGN_OR_RETURN(s.mode, ParseMode(*mode));
  }
  return s;
}

std::string DeviceKey(const hardware::ScanSettings& s) {
  return s.device.empty() ? "(første scanner)" : s.device;
}

IntakeJobs& Jobs(StationState& state) { return *state.jobs; }

// Whether `principal` may see job `job` (a caseworker's digitising is their own).
bool MaySee(const Principal& principal, const JobProgress& job) {
  return job.kind != JobKind::kDigitise || job.user == principal.user.username ||
         principal.user.role == Role::kAdministrator;
}

// A job that scans `batch_id` from the scanner of `settings` for `who`: one at a time per
// device (the device key), the scanner made by the jobs' factory.
JobSpec ScannerJob(StationState& state, JobKind kind, const Principal& who,
                   const hardware::ScanSettings& settings, const std::string& batch_id) {
  std::shared_ptr<hardware::Scanner> scanner = Jobs(state).MakeScanner();
  JobSpec spec;
  spec.kind = kind;
  spec.user = who.user.username;
  spec.viewer = who.viewer;
  spec.actor = who.actor;
  spec.source = DeviceKey(settings);
  spec.device_key = spec.source;
  spec.batch_id = batch_id;
  spec.open = [scanner, settings]() { return scanner->StartBatch(settings); };
  return spec;
}

Result<ApiReply> Accepted(int64_t job, const std::string& batch) {
  return ApiReply::Json(nlohmann::json{{"job", job}, {"batch", batch}}, 202);
}

// The case of a digitising request: {"case": id} or {"case": "reference"}, as `viewer`
// may see it.
Result<storage::CaseRecord> CaseFrom(StationState& state, const nlohmann::json& body,
                                     const storage::Viewer& viewer) {
  const auto it = body.find("case");
  if (it == body.end() || it->is_null()) {
    return Error(ErrorCode::kInvalidArgument, "feltet \"case\" mangler; vælg en af dine sager");
  }
  if (it->is_number_integer()) return state.journal->GetCase(it->get<int64_t>(), viewer);
  if (it->is_string())
    return state.journal->FindCaseByReference("", it->get<std::string>(), viewer);
  return Error(ErrorCode::kInvalidArgument,
               "feltet \"case\" skal være sagens id (heltal) eller sagsnummer (tekst)");
}

// Journalises the digitised batch as one document on `case_record`. Runs under the lock.
Result<nlohmann::json> JournaliseDigitised(StationState& state, const storage::Viewer& viewer,
                                           const storage::Actor& actor,
                                           const storage::CaseRecord& case_record,
                                           const std::string& title,
                                           const std::optional<std::string>& description,
                                           const storage::OriginalDisposition& original,
                                           const std::string& batch_id) {
  station::BatchContext ctx{state.config, *state.spool, *state.journal, viewer, actor};
  INTAKE_ASSIGN_OR_RETURN(station::PreparedBatch batch, station::PrepareBatch(ctx, batch_id));
  if (batch.plan.documents.empty()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "batch " + batch_id + " har ingen sider med indhold; scan dokumentet igen");
  }
  // One special document: every page belongs to it, whatever the split proposed.
  while (batch.plan.documents.size() > 1) {
    INTAKE_RETURN_IF_ERROR(
        station::MergeWithNext(batch.plan, batch.plan.documents.front().number, actor.name));
  }
  INTAKE_RETURN_IF_ERROR(station::SavePlan(state.spool->BatchDir(batch_id), batch.plan));
  station::JournalRequest request;
  request.batch_id = batch_id;
  request.document = batch.plan.documents.front().number;
  request.case_reference = case_record.reference;
  request.system = case_record.system;
  request.title = title;
  request.description = description;
  request.original = original;
  INTAKE_ASSIGN_OR_RETURN(station::JournalOutcome outcome,
                          station::JournaliseBatchDocument(ctx, batch, request));
  nlohmann::json warnings = nlohmann::json::array();
  for (const std::string& w : outcome.warnings) warnings.push_back(w);
  return nlohmann::json{{"document", station::DocumentToJson(outcome.document, false)},
                        {"case", station::CaseToJson(outcome.case_record)},
                        {"existing", outcome.existing},
                        {"original", outcome.original},
                        {"warnings", warnings},
                        {"batch", batch_id}};
}

}  // namespace

void AddScanRoutes(Router& router, StationState& state) {
  if (!state.jobs) state.jobs = std::make_unique<IntakeJobs>(state);
  const std::vector<Role> intake_roles = {Role::kPostRoom, Role::kCaseworker};

  router.Add(Route{
      Method::kGet, "/api/scanners", intake_roles, false, /*locks_itself=*/true,
      "Scannere (som 'station devices') og de konfigurerede scannerprofiler, kilder og "
      "farvetilstande",
      [&state](const ApiRequest&) -> Result<ApiReply> {
        nlohmann::json devices = nlohmann::json::array();
        nlohmann::json device_error = nullptr;
        Result<std::vector<hardware::DeviceInfo>> listed = Jobs(state).MakeScanner()->ListDevices();
        if (listed) {
          for (const auto& d : *listed) {
            devices.push_back(
                {{"name", d.name}, {"vendor", d.vendor}, {"model", d.model}, {"type", d.type}});
          }
        } else {
          device_error = listed.error().message();
        }
        nlohmann::json profiles = nlohmann::json::array();
        for (const auto& p : state.config.scanner.profiles) profiles.push_back(ProfileJson(p));
        return ApiReply::Json(
            nlohmann::json{{"devices", devices},
                           {"device_error", device_error},
                           {"profiles", profiles},
                           {"default_profile", state.config.scanner.default_profile},
                           {"sources", {"flatbed", "feeder", "duplex"}},
                           {"modes", {"color", "gray", "lineart"}}});
      }});

  router.Add(Route{
      Method::kPost,
      "/api/scans",
      {Role::kPostRoom},
      false,
      /*locks_itself=*/true,
      "Start en scanning i baggrunden: {device, profile?, source?, mode?, batch_name?} → "
      "{job, batch}; én scanning ad gangen pr. scanner (409)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(nlohmann::json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(hardware::ScanSettings settings,
                                SettingsFrom(state.config, body, false));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> name,
                                OptionalString(body, "batch_name"));
        const std::string key = DeviceKey(settings);
        if (Jobs(state).DeviceBusy(key)) {
          return Error(ErrorCode::kDeviceBusy,
                       "scanneren " + key + " scanner allerede; vent til den er færdig");
        }
        const Principal& who = *req.principal;
        std::string batch_id;
        {
          std::lock_guard lock(state.lock);
          INTAKE_ASSIGN_OR_RETURN(
              batch_id, state.spool->CreateBatch({name.value_or(""), "scanner", settings.device,
                                                  who.user.username, Today()}));
        }
        JobSpec spec = ScannerJob(state, JobKind::kScan, who, settings, batch_id);
        INTAKE_ASSIGN_OR_RETURN(int64_t job, Jobs(state).Start(std::move(spec)));
        return Accepted(job, batch_id);
      }});

  router.Add(
      Route{Method::kGet,
            "/api/inbox",
            {Role::kPostRoom},
            false,
            /*locks_itself=*/true,
            "Mapper og filer der venter i scan-to-folder-mappen (station.scan_folder)",
            [&state](const ApiRequest&) -> Result<ApiReply> {
              INTAKE_ASSIGN_OR_RETURN(std::string dir, ScanFolder(state));
              std::vector<std::string> names;
              std::error_code ec;
              for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
                const std::string name = it->path().filename().string();
                if (name.empty() || name[0] == '.' || hardware::IsIgnoredFileName(name)) continue;
                names.push_back(name);
              }
              if (ec)
                return Error(ErrorCode::kIOError, "scan-mappen kan ikke læses: " + ec.message());
              std::sort(names.begin(), names.end(), hardware::NaturalLess);
              nlohmann::json list = nlohmann::json::array();
              for (const std::string& name : names) {
                const fs::path path = fs::path(dir) / name;
                const bool folder = fs::is_directory(path, ec);
                int files = folder ? 0 : 1;
                if (folder) {
                  for (fs::directory_iterator f(path, ec), end; !ec && f != end; f.increment(ec)) {
                    const std::string n = f->path().filename().string();
                    if (f->is_regular_file(ec) && !hardware::IsIgnoredFileName(n)) ++files;
                  }
                }
                list.push_back({{"name", name},
                                {"kind", folder ? "folder" : "file"},
                                {"files", files},
                                {"modified", ModifiedIso(path)}});
              }
              return ApiReply::Json(nlohmann::json{{"folder", dir}, {"entries", list}});
            }});

  router.Add(Route{
      Method::kPost,
      "/api/imports",
      {Role::kPostRoom},
      false,
      /*locks_itself=*/true,
      "Hent en mappe (eller fil) fra scan-mappen som batch i baggrunden: {folder, "
      "batch_name?} → {job, batch}; mappen flyttes til .imported/",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(nlohmann::json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::string folder, RequiredString(body, "folder"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> name,
                                OptionalString(body, "batch_name"));
        const Principal& who = *req.principal;
        std::lock_guard lock(state.lock);  // the claim of the folder and the new batch
        INTAKE_ASSIGN_OR_RETURN(std::string dir, ScanFolder(state));
        INTAKE_ASSIGN_OR_RETURN(fs::path entry, ScanFolderEntry(dir, folder));
        // Claimed at once: moved out of the listing, so it is not picked up twice.
        INTAKE_ASSIGN_OR_RETURN(fs::path claimed, MoveAside(entry, fs::path(dir) / kImportedDir));
        auto put_back = [claimed, entry] {
          std::error_code ec;
          if (!fs::exists(fs::symlink_status(entry, ec))) fs::rename(claimed, entry, ec);
          if (ec) log::Warning("kunne ikke lægge " + entry.filename().string() + " tilbage");
        };
        Result<std::vector<std::string>> files = hardware::FolderSource::ExpandPaths({claimed});
        if (!files) {
          put_back();
          return Error(files.error().code(), "\"" + folder + "\": " + files.error().message());
        }
        hardware::ScanSettings settings;
        if (const config::ScannerProfile* p =
                config::FindProfile(state.config, state.config.scanner.default_profile)) {
          settings.dpi = p->dpi;
        }
        Result<std::string> batch_id = state.spool->CreateBatch(
            {name.value_or(folder), "folder", folder, who.user.username, Today()});
        if (!batch_id) {
          put_back();
          return batch_id.error();
        }
        JobSpec spec;
        spec.kind = JobKind::kImport;
        spec.user = who.user.username;
        spec.viewer = who.viewer;
        spec.actor = who.actor;
        spec.source = folder;
        spec.batch_id = *batch_id;
        spec.file_errors_continue = true;
        spec.open = [paths = *files, settings]() -> Result<std::unique_ptr<hardware::ScanSession>> {
          INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<hardware::FolderSession> session,
                                  hardware::FolderSource::Import(paths, settings));
          return std::unique_ptr<hardware::ScanSession>(std::move(session));
        };
        spec.after = [put_back](bool stored) {
          if (!stored) put_back();  // nothing taken: offered again
        };
        Result<int64_t> job = Jobs(state).Start(std::move(spec));
        if (!job) {
          put_back();
          return job.error();
        }
        return Accepted(*job, *batch_id);
      }});

  router.Add(Route{Method::kGet,
                   "/api/jobs",
                   {},
                   false,
                   /*locks_itself=*/true,
                   "Indlæsningsjob (scanninger, hentninger, digitaliseringer) med fremdrift, "
                   "nyeste først",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     nlohmann::json list = nlohmann::json::array();
                     for (const JobProgress& j : Jobs(state).List()) {
                       if (MaySee(*req.principal, j)) list.push_back(JobToJson(j));
                     }
                     return ApiReply::Json(nlohmann::json{{"jobs", list}});
                   }});

  router.Add(Route{Method::kGet,
                   "/api/jobs/{id}",
                   {},
                   false,
                   /*locks_itself=*/true,
                   "Et indlæsningsjobs fremdrift: sider scannet, behandlet, fejlet, tilstand, "
                   "fejlmeddelelse, batch og resultat",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.Param("id"), "job-id"));
                     std::optional<JobProgress> job = Jobs(state).Get(id);
                     if (!job || !MaySee(*req.principal, *job)) {
                       return Error(ErrorCode::kNotFound,
                                    "job " + std::to_string(id) + " findes ikke");
                     }
                     return ApiReply::Json(JobToJson(*job));
                   }});

  router.Add(Route{Method::kGet,
                   "/api/digitise/cases",
                   {Role::kCaseworker},
                   false,
                   false,
                   "Den indloggede sagsbehandlers egne åbne sager (til digitalisering)",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     storage::CaseFilter filter;
                     filter.status = storage::CaseStatus::kOpen;
                     INTAKE_ASSIGN_OR_RETURN(
                         std::vector<storage::CaseRecord> cases,
                         state.journal->ListCases(filter, req.principal->viewer));
                     nlohmann::json list = nlohmann::json::array();
                     for (const storage::CaseRecord& c : cases) {
                       if (c.caseworker == req.principal->user.username)
                         list.push_back(station::CaseToJson(c));
                     }
                     return ApiReply::Json(nlohmann::json{{"cases", list}});
                   }});

  router.Add(Route{
      Method::kPost,
      "/api/digitise",
      {Role::kCaseworker},
      false,
      /*locks_itself=*/true,
      "Digitalisér et særligt papirdokument direkte på en af dine egne sager: {case, title, "
      "description?, source, mode, original: {disposition, box?}, device?, profile?} → {job, "
      "batch}; journaliseres når scanningen slutter (beskrivelse kræves uden tekst)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(nlohmann::json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::string title, RequiredString(body, "title"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> description,
                                OptionalString(body, "description"));
        if (description && description->find_first_not_of(" \t\r\n") == std::string::npos) {
          description.reset();
        }
        INTAKE_ASSIGN_OR_RETURN(hardware::ScanSettings settings,
                                SettingsFrom(state.config, body, true));
        if (!body.contains("mode")) {
          return Error(ErrorCode::kInvalidArgument,
                       "feltet \"mode\" mangler; vælg color til fotografier og tegninger, ellers "
                       "gray");
        }
        INTAKE_ASSIGN_OR_RETURN(std::optional<storage::OriginalDisposition> chosen,
                                OptionalOriginal(body));
        if (!chosen) {
          return Error(ErrorCode::kInvalidArgument,
                       "feltet \"original\" mangler; angiv hvad der sker med papiroriginalen, "
                       "fx {\"disposition\": \"keep\"}");
        }
        const storage::OriginalDisposition original = *chosen;
        // The title rules now, before the paper goes through the scanner; whether the pages
        // carry text (and so whether a description is required) is known after the scan.
        const station::TitleCheck check = station::CheckTitle(title, state.config.titles);
        if (!check.accepted()) {
          return Error(ErrorCode::kInvalidArgument,
                       "feltet \"title\": " + check.problems.front().message);
        }
        const Principal& who = *req.principal;
        const std::string key = DeviceKey(settings);
        if (Jobs(state).DeviceBusy(key)) {
          return Error(ErrorCode::kDeviceBusy,
                       "scanneren " + key + " scanner allerede; vent til den er færdig");
        }
        storage::CaseRecord case_record;
        std::string batch_id;
        {
          std::lock_guard lock(state.lock);
          INTAKE_ASSIGN_OR_RETURN(case_record, CaseFrom(state, body, who.viewer));
          if (case_record.caseworker != who.user.username) {
            return Forbidden("sag " + case_record.reference +
                             " er ikke din; du kan kun digitalisere til dine egne sager");
          }
          if (case_record.status != storage::CaseStatus::kOpen) {
            return Error(ErrorCode::kFailedPrecondition,
                         "sag " + case_record.reference + " er ikke åben; vælg en åben sag");
          }
          INTAKE_ASSIGN_OR_RETURN(
              batch_id, state.spool->CreateBatch({"Digitaliseret: " + check.title, "scanner",
                                                  settings.device, who.user.username, Today()}));
        }
        JobSpec spec = ScannerJob(state, JobKind::kDigitise, who, settings, batch_id);
        StationState* st = &state;
        spec.finish = [st, viewer = who.viewer, actor = who.actor, case_record, title = check.title,
                       description, original](const std::string& batch) -> Result<nlohmann::json> {
          return JournaliseDigitised(*st, viewer, actor, case_record, title, description, original,
                                     batch);
        };
        INTAKE_ASSIGN_OR_RETURN(int64_t job, Jobs(state).Start(std::move(spec)));
        return Accepted(job, batch_id);
      }});
}

}  // namespace intake::web
