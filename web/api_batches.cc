// The post room's routes (web/routes.h): the batches waiting, one batch with its proposal,
// page images, the edits of the split, the title check and journalising, as `station batch
// list|show|split|merge|move|rotate|remove|restore|journal` and `station journal BATCH:NR`
// do (station/batch_command.cc), with the same library calls (station/batch_journal.h,
// station/batch_plan.h, station/batch_json.h).
//
// A batch whose intake is still running (a scan adding pages, the page pipeline still
// analysing) is shown with its pages only: proposing then would fix the split before the
// last pages arrived, so the proposal, the edits and journalising wait until it is done.
#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ocr/image_io.h"
#include "ocr/leptonica_handles.h"
#include "ocr/preprocess.h"
#include "station/batch_journal.h"
#include "station/batch_json.h"
#include "station/batch_plan.h"
#include "station/intake_run.h"
#include "station/journal_access.h"
#include "station/thumbnails.h"
#include "station/title_check.h"
#include "storage/archive.h"
#include "web/intake_jobs.h"
#include "web/routes.h"

namespace intake::web {
namespace {

using nlohmann::json;
using storage::Role;

// Who works in the post room: reading batches also for managers (oversight); changing
// and journalising for the post room and caseworkers (and administrators).
const std::vector<Role> kReaders = {Role::kPostRoom, Role::kCaseworker, Role::kManager};
const std::vector<Role> kWorkers = {Role::kPostRoom, Role::kCaseworker};

// An intake without a new page or analysis for this long is no longer running (a crashed
// scan must not lock its batch for ever).
constexpr auto kIntakeQuiet = std::chrono::seconds(120);
// The large page image: at most this wide (a 300-dpi A4 page is 2480 pixels).
constexpr int kViewWidth = 1400;

station::BatchContext ContextFor(StationState& state, const ApiRequest& req) {
  return station::BatchContext{state.config, *state.spool, *state.journal, req.principal->viewer,
                               req.principal->actor};
}

// The batch id of the path, checked: one path component of the spool's own alphabet and a
// batch the spool knows. kNotFound otherwise (also for "../x": no path leaves the spool).
Result<storage::BatchRecord> LoadBatch(const StationState& state, const std::string& id) {
  const bool plain = !id.empty() && id.size() <= 100 && id != "." && id != ".." &&
                     std::all_of(id.begin(), id.end(),
                                 [](char c) {
                                   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                          (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                                          c == '.';
                                 }) &&
                     id.find("..") == std::string::npos;
  const Error missing(ErrorCode::kNotFound,
                      "batchen findes ikke; vælg en batch fra listen over batches");
  if (!plain) return missing;
  Result<std::vector<std::string>> ids = state.spool->ListBatches();
  if (!ids) return ids.error();
  if (std::find(ids->begin(), ids->end(), id) == ids->end()) return missing;
  Result<storage::BatchRecord> record = state.spool->Load(id);
  if (!record && record.error().code() == ErrorCode::kNotFound) return missing;
  return record;
}

// The page {seq} of the path: an integer that is one of the batch's pages.
Result<const storage::SpooledPage*> FindPage(const storage::BatchRecord& record,
                                             const std::string& text) {
  INTAKE_ASSIGN_OR_RETURN(int64_t seq, ParseId(text, "siden"));
  for (const storage::SpooledPage& p : record.pages) {
    if (p.seq == seq) return &p;
  }
  return Error(ErrorCode::kNotFound, "side " + std::to_string(seq) + " findes ikke i batch " +
                                         record.id + " (siderne er 1-" +
                                         std::to_string(record.pages.size()) + ")");
}

struct IntakeState {
  bool running = false;
  int pages = 0;
  int analysed = 0;
};

// Whether pages may still arrive: a page without its analysis, or a scan not closed (nor
// broken off by a fault), with activity in the batch folder within kIntakeQuiet.
IntakeState IntakeOf(const StationState& state, const storage::BatchRecord& record) {
  namespace fs = std::filesystem;
  IntakeState s;
  s.pages = static_cast<int>(record.pages.size());
  const std::string dir = state.spool->BatchDir(record.id);
  std::error_code ec;
  fs::file_time_type latest = fs::last_write_time(dir + "/events.log", ec);
  if (ec) latest = fs::file_time_type::min();
  for (const storage::SpooledPage& p : record.pages) {
    char name[32];
    std::snprintf(name, sizeof name, "/%06d.json", p.seq);
    std::error_code page_ec;
    const fs::file_time_type t = fs::last_write_time(dir + name, page_ec);
    if (page_ec) continue;
    ++s.analysed;
    latest = std::max(latest, t);
  }
  const bool scanning =
      record.info.channel == "scanner" && !record.closed && !record.reload_from_sheet;
  const bool recent = latest != fs::file_time_type::min() &&
                      fs::file_time_type::clock::now() - latest < kIntakeQuiet;
  s.running = (s.analysed < s.pages || scanning) && recent;
  // A job of this server knows exactly: running until its proposal is made. The guess
  // above remains for batches that another process (`station scan`) is filling.
  if (state.jobs) {
    for (const JobProgress& job : state.jobs->List()) {
      if (job.batch_id != record.id) continue;
      s.running = job.state == JobState::kRunning && !job.batch_ready;
      break;  // newest first
    }
  }
  return s;
}

json IntakeJson(const IntakeState& s) {
  return {{"running", s.running}, {"pages", s.pages}, {"pages_analysed", s.analysed}};
}

Status RefuseWhileRunning(const StationState& state, const storage::BatchRecord& record) {
  if (IntakeOf(state, record).running) {
    return Error(
        ErrorCode::kFailedPrecondition,
        "batch " + record.id + " indlæses stadig; vent til alle sider er scannet og behandlet");
  }
  return {};
}

std::string PageUrl(const std::string& batch, int seq, const char* what) {
  return "/api/batches/" + batch + "/pages/" + std::to_string(seq) + "/" + what;
}

// True when `viewer` may read case `case_id` (restricted cases of other groups are not).
bool CanSee(StationState& state, const storage::Viewer& viewer, int64_t case_id) {
  return static_cast<bool>(state.journal->GetCase(case_id, viewer));
}

// Drops from `lines` those naming one of `references`.
json WithoutReferences(const json& lines, const std::set<std::string>& references) {
  json kept = json::array();
  for (const json& line : lines) {
    const std::string text = line.is_string() ? line.get<std::string>() : "";
    const bool names = std::any_of(references.begin(), references.end(), [&](const auto& r) {
      return text.find(r) != std::string::npos;
    });
    if (!names) kept.push_back(line);
  }
  return kept;
}

// `station batch show --json` for the browser: page URLs instead of server paths, and
// every case the caller may not read left out as if it did not exist (candidates, the
// proposal, the warnings naming it, a journalised document's title).
json ApiBatchJson(StationState& state, const ApiRequest& req, const station::PreparedBatch& batch) {
  json j = station::BatchJson(*state.spool, batch);
  const storage::Viewer& viewer = req.principal->viewer;
  for (json& page : j["pages"]) {
    const int seq = page["seq"].get<int>();
    page.erase("file");
    page.erase("thumbnail");
    page.erase("thumbnail_error");
    page["thumbnail_url"] = PageUrl(batch.record.id, seq, "thumbnail");
    page["image_url"] = PageUrl(batch.record.id, seq, "image");
  }
  for (json& doc : j["documents"]) {
    std::set<std::string> hidden;
    json candidates = json::array();
    for (const json& c : doc["candidates"]) {
      if (CanSee(state, viewer, c["case_id"].get<int64_t>())) {
        candidates.push_back(c);
      } else {
        hidden.insert(c["reference"].get<std::string>());
      }
    }
    doc["candidates"] = candidates;
    if (doc["proposed_case"].is_object() &&
        hidden.count(doc["proposed_case"]["reference"].get<std::string>()) > 0) {
      doc["proposed_case"] = nullptr;
    }
    if (!hidden.empty()) {
      doc["warnings"] = WithoutReferences(doc["warnings"], hidden);
      doc["party_messages"] = WithoutReferences(doc["party_messages"], hidden);
    }
    if (doc["journal"].is_object()) {
      const int64_t case_id = doc["journal"]["case_id"].get<int64_t>();
      const int64_t document_id = doc["journal"]["document_id"].get<int64_t>();
      Result<storage::CaseRecord> c = state.journal->GetCase(case_id, viewer);
      Result<storage::DocumentRecord> d = state.journal->GetDocument(document_id, viewer);
      if (c && d) {
        doc["journal"]["doc_number"] = d->doc_number;
        doc["journal"]["case_reference"] = c->reference;
      } else {
        doc["journal"] = json{{"restricted", true}};
      }
    }
  }
  j["intake"] = IntakeJson(IntakeOf(state, batch.record));
  return j;
}

// The batch while its intake runs: the pages so far, no proposal yet.
json RunningBatchJson(const StationState& state, const storage::BatchRecord& record,
                      const IntakeState& intake) {
  json pages = json::array();
  for (const storage::SpooledPage& p : record.pages) {
    pages.push_back({{"seq", p.seq},
                     {"sheet", p.sheet},
                     {"side", p.side},
                     {"analysed", state.spool->LoadAnalysis(record.id, p.seq).has_value()},
                     {"thumbnail_url", PageUrl(record.id, p.seq, "thumbnail")},
                     {"image_url", PageUrl(record.id, p.seq, "image")}});
  }
  return {{"batch", record.id},
          {"name", record.info.name},
          {"channel", record.info.channel},
          {"operator", record.info.operator_name},
          {"received_date", record.info.received_date},
          {"created", record.created},
          {"pages", pages},
          {"documents", json::array()},
          {"warnings", record.problems},
          {"history", json::array()},
          {"intake", IntakeJson(intake)}};
}

// Degrees the page is shown turned: the intake's turn plus the operator's (from the plan
// when there is one; nothing is proposed or saved here).
int TurnOf(const StationState& state, const storage::BatchRecord& record, int seq) {
  int turn = 0;
  if (std::optional<std::string> saved = state.spool->LoadAnalysis(record.id, seq)) {
    const json a = json::parse(*saved, nullptr, false);
    if (a.is_object() && a.contains("orientation") && a["orientation"].is_object()) {
      turn = a["orientation"].value("degrees", 0);
    }
  }
  if (Result<station::BatchPlan> plan = station::LoadPlan(state.spool->BatchDir(record.id))) {
    if (const station::PlanPage* p = plan->FindPage(seq)) turn += p->rotation;
  }
  return ((turn % 360) + 360) % 360;
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return Error(ErrorCode::kIOError, "billedet kan ikke læses; prøv igen");
  }
  std::string bytes;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) bytes.append(buffer, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error(ErrorCode::kIOError, "billedet kan ikke læses; prøv igen");
  return bytes;
}

// The page as a PNG at most kViewWidth wide, turned as the document will show it.
Result<std::string> PageImagePng(const StationState& state, const storage::BatchRecord& record,
                                 const storage::SpooledPage& page) {
  const std::string what = "side " + std::to_string(page.seq);
  auto reader = ocr::ImageFileReader::Open(state.spool->PathOf(record.id, page.file));
  if (!reader) return reader.error().WithContext(what);
  Result<ocr::PageImage> image = reader->ReadPage(page.file_page);
  if (!image) return image.error().WithContext(what);
  ocr::PixPtr pix = std::move(image->pix);
  const int width = static_cast<int>(pixGetWidth(pix.get()));
  if (width > kViewWidth) {
    const float factor = static_cast<float>(kViewWidth) / static_cast<float>(width);
    ocr::PixPtr small(pixGetDepth(pix.get()) == 1 ? pixScaleToGray(pix.get(), factor)
                                                  : pixScale(pix.get(), factor, factor));
    if (!small) return Error(ErrorCode::kInternal, what + " kunne ikke skaleres");
    pix = std::move(small);
  }
  const int turn = TurnOf(state, record, page.seq);
  if (turn != 0) {
    ocr::PixPtr turned = ocr::RotateClockwise(pix.get(), turn);
    if (turned) pix = std::move(turned);
  }
  return station::EncodePng(pix.get());
}

// An optional integer field: nullopt when absent or null.
Result<std::optional<int64_t>> OptionalInt(const json& body, const std::string& field) {
  if (!body.contains(field) || body[field].is_null()) return std::optional<int64_t>();
  INTAKE_ASSIGN_OR_RETURN(int64_t value, RequiredInt(body, field));
  return std::optional<int64_t>(value);
}

// An error answer naming the field the user must change.
ApiReply FieldError(const Error& error, const std::string& field) {
  json body = ErrorJson(error);
  body["error"]["field"] = field;
  return ApiReply::Json(body, HttpStatusFor(error));
}

// Which field a refusal of JournaliseBatchDocument is about (its messages are the
// library's own, station/batch_journal.cc).
std::string FieldOf(const Error& error, bool case_given) {
  const std::string& m = error.message();
  if (m.find("titlen") != std::string::npos) return "title";
  if (m.find("partskontrollen") != std::string::npos) {
    return case_given ? "override_party_reason" : "case";
  }
  if (m.find("beskrivelse") != std::string::npos) return "description";
  if (m.find("kasse") != std::string::npos || m.find("placering") != std::string::npos ||
      m.find("destruktion") != std::string::npos || m.find("original") != std::string::npos) {
    return "original";
  }
  if (m.find("sag") != std::string::npos) return "case";
  return "";
}

json OutcomeJson(const std::string& id, const station::JournalOutcome& r) {
  return {{"id", id},
          {"existing", r.existing},
          {"document", station::DocumentToJson(r.document, false)},
          {"case", station::CaseToJson(r.case_record)},
          {"original", r.original},
          {"warnings", r.warnings}};
}

// Applies one plan edit as `station batch split|merge|...` does, then proposes again for
// what changed; answers the batch as GET /api/batches/{id} plus the edit's description.
Result<ApiReply> Edit(StationState& state, const ApiRequest& req,
                      const std::function<Status(station::BatchPlan&, const std::string&,
                                                 const storage::BatchRecord&)>& edit) {
  INTAKE_ASSIGN_OR_RETURN(storage::BatchRecord record, LoadBatch(state, req.Param("id")));
  INTAKE_RETURN_IF_ERROR(RefuseWhileRunning(state, record));
  station::BatchContext ctx = ContextFor(state, req);
  INTAKE_ASSIGN_OR_RETURN(station::PreparedBatch batch, station::PrepareBatch(ctx, record.id));
  INTAKE_RETURN_IF_ERROR(edit(batch.plan, req.principal->actor.name, record));
  INTAKE_RETURN_IF_ERROR(station::SavePlan(state.spool->BatchDir(record.id), batch.plan));
  INTAKE_ASSIGN_OR_RETURN(station::PreparedBatch again, station::PrepareBatch(ctx, record.id));
  json j = ApiBatchJson(state, req, again);
  j["detail"] = again.plan.history.empty() ? "" : again.plan.history.back().detail;
  return ApiReply::Json(j);
}

// A page of the batch from the body's `field`.
Result<int> BodyPage(const json& body, const std::string& field,
                     const storage::BatchRecord& record) {
  INTAKE_ASSIGN_OR_RETURN(int64_t seq, RequiredInt(body, field));
  for (const storage::SpooledPage& p : record.pages) {
    if (p.seq == seq) return static_cast<int>(seq);
  }
  return Error(ErrorCode::kInvalidArgument,
               "feltet \"" + field + "\": side " + std::to_string(seq) + " findes ikke i batch " +
                   record.id + " (siderne er 1-" + std::to_string(record.pages.size()) + ")");
}

Result<int> BodyDocument(const json& body, const std::string& field) {
  INTAKE_ASSIGN_OR_RETURN(int64_t n, RequiredInt(body, field));
  if (n < 1 || n > 100000) {
    return Error(ErrorCode::kInvalidArgument,
                 "feltet \"" + field + "\" skal være et dokumentnummer fra 1 og op");
  }
  return static_cast<int>(n);
}

}  // namespace

void AddBatchRoutes(Router& router, StationState& state) {
  router.Add(
      Route{Method::kGet, "/api/batches", kReaders, false, false,
            "Batches der venter på journalisering: navn, modtagelsesdato, sider, åbne dokumenter, "
            "ventetid i arbejdsdage og om indlæsningen stadig kører (?all=1: også færdige)",
            [&state](const ApiRequest& req) -> Result<ApiReply> {
              const bool all = req.Query("all") == "1" || req.Query("all") == "true";
              INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> ids, state.spool->ListBatches());
              json list = json::array();
              for (const std::string& id : ids) {
                std::optional<json> entry = station::BatchListEntry(*state.spool, id, all);
                if (!entry) continue;
                if (Result<storage::BatchRecord> record = state.spool->Load(id)) {
                  const IntakeState intake = IntakeOf(state, *record);
                  (*entry)["intake"] = IntakeJson(intake);
                  (*entry)["state"] = intake.running                      ? "indlæses"
                                      : !(*entry)["proposed"].get<bool>() ? "ikke foreslået"
                                      : (*entry)["documents_open"].get<int>() == 0 ? "journaliseret"
                                                                                   : "venter";
                } else {
                  (*entry)["state"] = "fejl";
                }
                list.push_back(std::move(*entry));
              }
              return ApiReply::Json(json{{"batches", list}});
            }});

  router.Add(Route{
      Method::kGet, "/api/batches/{id}", kReaders, false, false,
      "Én batch som 'station batch show --json': sider med miniaturer, dokumenter med "
      "foreslået sag, begrundelser, kandidater, titelforslag og advarsler; mens "
      "indlæsningen kører kun siderne (intake.running). ?repropose=1 foreslår igen",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(storage::BatchRecord record, LoadBatch(state, req.Param("id")));
        const IntakeState intake = IntakeOf(state, record);
        if (intake.running) return ApiReply::Json(RunningBatchJson(state, record, intake));
        station::BatchContext ctx = ContextFor(state, req);
        const bool repropose = req.Query("repropose") == "1" && HasRole(*req.principal, kWorkers);
        INTAKE_ASSIGN_OR_RETURN(station::PreparedBatch batch,
                                station::PrepareBatch(ctx, record.id, repropose));
        return ApiReply::Json(ApiBatchJson(state, req, batch));
      }});

  router.Add(Route{
      Method::kGet, "/api/batches/{id}/pages/{seq}/thumbnail", kReaders, false, false,
      "Miniature af en side (PNG, ca. 200 punkter bred, drejet som i dokumentet)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(storage::BatchRecord record, LoadBatch(state, req.Param("id")));
        INTAKE_ASSIGN_OR_RETURN(const storage::SpooledPage* page,
                                FindPage(record, req.Param("seq")));
        INTAKE_ASSIGN_OR_RETURN(std::string path,
                                station::EnsureThumbnail(*state.spool, record.id, *page,
                                                         TurnOf(state, record, page->seq)));
        INTAKE_ASSIGN_OR_RETURN(std::string png, ReadFileBytes(path));
        ApiReply reply = ApiReply::Bytes(std::move(png), "image/png");
        reply.headers.emplace_back("Cache-Control", "private, no-cache");
        return reply;
      }});

  router.Add(Route{Method::kGet, "/api/batches/{id}/pages/{seq}/image", kReaders, false, false,
                   "Siden i stor udgave (PNG, højst 1400 punkter bred, drejet som i dokumentet)",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(storage::BatchRecord record,
                                             LoadBatch(state, req.Param("id")));
                     INTAKE_ASSIGN_OR_RETURN(const storage::SpooledPage* page,
                                             FindPage(record, req.Param("seq")));
                     INTAKE_ASSIGN_OR_RETURN(std::string png, PageImagePng(state, record, *page));
                     return ApiReply::Bytes(std::move(png), "image/png");
                   }});

  router.Add(Route{
      Method::kPost, "/api/batches/{id}/split", kWorkers, false, false,
      "Del et dokument før en side: {before_page, document?} (som 'station batch split')",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        return Edit(
            state, req,
            [&body](station::BatchPlan& plan, const std::string& who,
                    const storage::BatchRecord& record) -> Status {
              INTAKE_ASSIGN_OR_RETURN(int seq, BodyPage(body, "before_page", record));
              INTAKE_ASSIGN_OR_RETURN(std::optional<int64_t> doc, OptionalInt(body, "document"));
              int number = doc ? static_cast<int>(*doc) : 0;
              if (!doc) {
                const station::PlanDocument* holder = plan.DocumentOfPage(seq);
                if (holder == nullptr) {
                  return Error(ErrorCode::kInvalidArgument, "feltet \"before_page\": side " +
                                                                std::to_string(seq) +
                                                                " hører ikke til noget dokument");
                }
                number = holder->number;
              }
              return station::SplitBefore(plan, number, seq, who);
            });
      }});

  router.Add(Route{Method::kPost, "/api/batches/{id}/merge", kWorkers, false, false,
                   "Læg et dokument sammen med det næste: {document} (som 'station batch merge')",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
                     INTAKE_ASSIGN_OR_RETURN(int doc, BodyDocument(body, "document"));
                     return Edit(state, req,
                                 [doc](station::BatchPlan& plan, const std::string& who,
                                       const storage::BatchRecord&) {
                                   return station::MergeWithNext(plan, doc, who);
                                 });
                   }});

  router.Add(Route{
      Method::kPost, "/api/batches/{id}/move", kWorkers, false, false,
      "Flyt en side: {page, to_document, position?} (1 = først, 0 = sidst; som 'station "
      "batch move')",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(int to, BodyDocument(body, "to_document"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<int64_t> position, OptionalInt(body, "position"));
        if (position && (*position < 0 || *position > 100000)) {
          return Error(ErrorCode::kInvalidArgument,
                       "feltet \"position\" skal være 0 (sidst) eller en placering fra 1");
        }
        return Edit(state, req,
                    [&body, to, position](station::BatchPlan& plan, const std::string& who,
                                          const storage::BatchRecord& record) -> Status {
                      INTAKE_ASSIGN_OR_RETURN(int seq, BodyPage(body, "page", record));
                      return station::MovePage(plan, seq, to,
                                               static_cast<int>(position.value_or(0)), who);
                    });
      }});

  router.Add(Route{
      Method::kPost, "/api/batches/{id}/rotate", kWorkers, false, false,
      "Drej en side: {page, degrees} med uret, 90, 180 eller 270 (som 'station batch rotate')",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(int64_t degrees, RequiredInt(body, "degrees"));
        if (degrees != 90 && degrees != 180 && degrees != 270) {
          return Error(ErrorCode::kInvalidArgument,
                       "feltet \"degrees\" skal være 90, 180 eller 270 (grader med uret), ikke " +
                           std::to_string(degrees));
        }
        return Edit(state, req,
                    [&body, degrees](station::BatchPlan& plan, const std::string& who,
                                     const storage::BatchRecord& record) -> Status {
                      INTAKE_ASSIGN_OR_RETURN(int seq, BodyPage(body, "page", record));
                      return station::RotatePage(plan, seq, static_cast<int>(degrees), who);
                    });
      }});

  router.Add(Route{
      Method::kPost, "/api/batches/{id}/remove", kWorkers, false, false,
      "Tag en side ud af sit dokument: {page, reason} (siden bevares; som 'station batch "
      "remove')",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> reason, OptionalString(body, "reason"));
        const std::string why = NonBlank(reason).value_or("fjernet i postrummet");
        return Edit(state, req,
                    [&body, why](station::BatchPlan& plan, const std::string& who,
                                 const storage::BatchRecord& record) -> Status {
                      INTAKE_ASSIGN_OR_RETURN(int seq, BodyPage(body, "page", record));
                      return station::RemovePage(plan, seq, why, who);
                    });
      }});

  router.Add(
      Route{Method::kPost, "/api/batches/{id}/restore", kWorkers, false, false,
            "Læg en fjernet side tilbage: {page, to_document?} (standard: dokumentet før siden; "
            "som 'station batch restore')",
            [&state](const ApiRequest& req) -> Result<ApiReply> {
              INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
              INTAKE_ASSIGN_OR_RETURN(std::optional<int64_t> to, OptionalInt(body, "to_document"));
              return Edit(state, req,
                          [&body, to](station::BatchPlan& plan, const std::string& who,
                                      const storage::BatchRecord& record) -> Status {
                            INTAKE_ASSIGN_OR_RETURN(int seq, BodyPage(body, "page", record));
                            int target = to ? static_cast<int>(*to) : 0;
                            if (!to) {
                              // The document holding the nearest earlier page, else the first.
                              for (const station::PlanDocument& d : plan.documents) {
                                for (int p : d.pages) {
                                  if (p < seq) target = d.number;
                                }
                              }
                              if (target == 0 && !plan.documents.empty()) target = 1;
                            }
                            return station::RestorePage(plan, seq, target, who);
                          });
            }});

  router.Add(Route{
      Method::kPost,
      "/api/title-check",
      {},
      false,
      false,
      "Titelkontrollen: {title, doc_type?, description?, image_only?} → den rensede titel, "
      "ændringer og "
      "eventuelle fund på dansk",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::string title, RequiredString(body, "title"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> description,
                                OptionalString(body, "description"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> doc_type,
                                OptionalString(body, "doc_type"));
        station::TitleContext context;
        context.description = description.value_or("");
        // Photographs and drawings must be described (DOMAIN.md section 8).
        const std::string type = doc_type.value_or("");
        context.image_only =
            type == "foto" || type == "fotografi" || type == "tegning" || type == "billede";
        if (body.contains("image_only") && body["image_only"].is_boolean()) {
          context.image_only = body["image_only"].get<bool>();
        }
        const station::TitleCheck check = station::CheckTitle(title, state.config.titles, context);
        json problems = json::array();
        for (const station::TitleProblem& p : check.problems) {
          problems.push_back(
              {{"rule", std::string(station::TitleRuleName(p.rule))}, {"message", p.message}});
        }
        return ApiReply::Json(
            json{{"ok", check.accepted()},
                 {"title", check.title},
                 {"changes", check.changes},
                 {"problems", problems},
                 {"message", check.accepted() ? "Titlen er god" : check.problems.front().message}});
      }});

  router.Add(Route{
      Method::kPost, "/api/batches/{id}/documents/{n}/journal", kWorkers, false, false,
      "Journalisér ét dokument (som 'station journal BATCH:NR'): {case?, system?, title?, "
      "description?, doc_type?, direction?, override_party_reason?, original?: "
      "{disposition: keep|return|pending|destroy, box?, approval?, approval_date?}}; en "
      "afvisning nævner feltet (error.field)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(storage::BatchRecord record, LoadBatch(state, req.Param("id")));
        INTAKE_ASSIGN_OR_RETURN(int64_t n, ParseId(req.Param("n"), "dokumentnummeret"));
        station::JournalRequest request;
        request.batch_id = record.id;
        request.document = static_cast<int>(std::min<int64_t>(n, 1000000));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> case_ref, OptionalString(body, "case"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> system, OptionalString(body, "system"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> title, OptionalString(body, "title"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> description,
                                OptionalString(body, "description"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> doc_type,
                                OptionalString(body, "doc_type"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> direction,
                                OptionalString(body, "direction"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> override_reason,
                                OptionalString(body, "override_party_reason"));
        Result<std::optional<storage::OriginalDisposition>> original = OptionalOriginal(body);
        if (!original) return FieldError(original.error(), "original");
        request.case_reference = NonBlank(case_ref);
        request.system = NonBlank(system);
        request.title = NonBlank(title);
        request.description = NonBlank(description);
        request.doc_type = NonBlank(doc_type);
        request.party_override_reason = NonBlank(override_reason);
        request.original = *original;
        if (NonBlank(direction)) {
          const std::optional<storage::Direction> parsed = storage::ParseDirection(*direction);
          if (!parsed) {
            return FieldError(Error(ErrorCode::kInvalidArgument,
                                    "feltet \"direction\" skal være in (indgående), out "
                                    "(udgående) eller internal (internt), ikke \"" +
                                        *direction + "\""),
                              "direction");
          }
          request.direction = *parsed;
        }
        INTAKE_RETURN_IF_ERROR(RefuseWhileRunning(state, record));
        station::BatchContext ctx = ContextFor(state, req);
        INTAKE_ASSIGN_OR_RETURN(station::PreparedBatch batch,
                                station::PrepareBatch(ctx, record.id));
        const std::string id = record.id + ":" + std::to_string(request.document);
        Result<station::JournalOutcome> outcome =
            station::JournaliseBatchDocument(ctx, batch, request);
        if (!outcome) {
          if (outcome.error().code() == ErrorCode::kNotFound &&
              batch.plan.FindDocument(request.document) == nullptr) {
            return outcome.error();
          }
          const std::string field = FieldOf(outcome.error(), request.case_reference.has_value());
          if (field.empty()) return outcome.error();
          return FieldError(outcome.error(), field);
        }
        return ApiReply::Json(OutcomeJson(id, *outcome));
      }});

  router.Add(Route{
      Method::kPost, "/api/batches/{id}/journal", kWorkers, false, false,
      "Journalisér alle dokumenter med et sikkert forslag (som 'station batch journal'): "
      "{original?: {disposition: keep|return|pending, box?}}; svarer med de journaliserede og "
      "dem der kræver en afgørelse, med begrundelsen",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(storage::BatchRecord record, LoadBatch(state, req.Param("id")));
        Result<std::optional<storage::OriginalDisposition>> original = OptionalOriginal(body);
        if (!original) return FieldError(original.error(), "original");
        if (*original && (*original)->disposition == storage::Disposition::kDestructionApproved) {
          return FieldError(Error(ErrorCode::kInvalidArgument,
                                  "destruktion godkendes for ét dokument ad gangen: "
                                  "journalisér dokumentet for sig med originalen »destroy«"),
                            "original");
        }
        INTAKE_RETURN_IF_ERROR(RefuseWhileRunning(state, record));
        station::BatchContext ctx = ContextFor(state, req);
        INTAKE_ASSIGN_OR_RETURN(station::PreparedBatch batch,
                                station::PrepareBatch(ctx, record.id));
        json done = json::array();
        json left = json::array();
        const int total = static_cast<int>(batch.plan.documents.size());
        for (int n = 1; n <= total; ++n) {
          const station::PlanDocument* planned = batch.plan.FindDocument(n);
          if (planned != nullptr && planned->journal_document_id) continue;
          station::JournalRequest request;
          request.batch_id = record.id;
          request.document = n;
          request.original = *original;
          const std::string id = record.id + ":" + std::to_string(n);
          Result<station::JournalOutcome> outcome =
              station::JournaliseBatchDocument(ctx, batch, request);
          if (outcome) {
            done.push_back(OutcomeJson(id, *outcome));
            continue;
          }
          const ErrorCode code = outcome.error().code();
          if (code == ErrorCode::kCorruption || code == ErrorCode::kInternal ||
              code == ErrorCode::kIOError) {
            return outcome.error();
          }
          left.push_back({{"id", id},
                          {"document", n},
                          {"field", FieldOf(outcome.error(), false)},
                          {"message", ErrorJson(outcome.error())["error"]["message"]}});
        }
        return ApiReply::Json(json{{"batch", record.id},
                                   {"journalised", done},
                                   {"left", left},
                                   {"documents_open", batch.documents_open}});
      }});
}

}  // namespace intake::web
