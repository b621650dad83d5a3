// The archive of paper originals in the browser (web/routes.h): the same operations as
// `station archive …` (station/archive_command.cc) on the same library calls
// (storage/archive.h), answering with the same JSON as its --json (station/archive_views.h,
// station/journal_access.h), and labels and contents lists as PDF
// (station/archive_labels.h).
//
// Everyone logged in may read, within their case access: an original on a restricted case
// the caller may not see is "not found", exactly as Archive::Where answers, and loans of
// such originals are left out of the loan lists. Changes are the archivist's (and the
// administrator's); placing an original into a box is also the post room's, who box the
// originals after journalising. Every change is audited under the logged-in user.
//
// Two kinds of subject, as on the command line: a document, given by its id in the journal
// (a JSON number or a string of digits), and a location, given by its barcode (always with a
// letter, so never a document id or a CPR number; lower case and a hand scanner's trailing
// Enter are accepted).
#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "base/danish_date.h"
#include "base/danish_ids.h"
#include "station/archive_labels.h"
#include "station/archive_views.h"
#include "station/journal_access.h"
#include "storage/archive.h"
#include "web/routes.h"

namespace intake::web {
namespace {

using nlohmann::json;
using storage::Archive;
using storage::ArchiveItem;
using storage::LocationKind;
using storage::LocationRecord;
using storage::Role;

using station::kMaxBoxesAtOnce;
using station::kRecentEvents;

// The answer to a change of an original: where it is now (as `archive where --json`), its
// label and the Danish sentence the UI shows.
ApiReply OriginalChanged(const storage::Whereabouts& w, const std::string& label,
                         const std::string& message) {
  json j = station::WhereaboutsToJson(w);
  j["label"] = label;
  j["message"] = message;
  return ApiReply::Json(j);
}
// Labels in one PDF from /api/archive/labels.pdf.
constexpr size_t kMaxLabelsAtOnce = 200;

const std::vector<Role> kArchivists = {Role::kArchivist};
const std::vector<Role> kPlacers = {Role::kArchivist, Role::kPostRoom};

std::string Trimmed(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Archive& ArchiveOf(StationState& state) { return state.journal->archive(); }
const storage::Viewer& ViewerOf(const ApiRequest& req) { return req.principal->viewer; }
const storage::Actor& ActorOf(const ApiRequest& req) { return req.principal->actor; }

// A barcode typed or scanned into `field`: normalised (upper case, trimmed) and checked as
// the archive checks it. "." and ".." are refused as parts of a code: a code is also a
// path segment of this API and must never read as a step up.
Result<std::string> CodeFrom(const std::string& text, const std::string& field) {
  const std::string code = storage::NormaliseBarcode(text);
  if (code.find("..") != std::string::npos || code == "." || code.rfind("./", 0) == 0 ||
      code.find("/./") != std::string::npos ||
      (code.size() >= 2 && code.compare(code.size() - 2, 2, "/.") == 0)) {
    return Error(ErrorCode::kInvalidArgument,
                 field + ": '" + Trimmed(text) +
                     "' er ingen stregkode fra arkivet (\".\" og \"..\" må ikke være en del af "
                     "koden); scan eller skriv koden fra kassens eller stedets etiket");
  }
  Status valid = storage::CheckBarcode(code);
  if (!valid) return valid.error().WithContext(field + " '" + Trimmed(text) + "'");
  return code;
}

// A required barcode field of the body.
Result<std::string> RequiredCode(const json& body, const std::string& field) {
  INTAKE_ASSIGN_OR_RETURN(std::string text, RequiredString(body, field));
  return CodeFrom(text, field);
}

// A document id from text: digits only; a barcode gets a message saying it is one.
Result<int64_t> DocumentFromText(const std::string& text, const std::string& field) {
  const std::string t = Trimmed(text);
  if (AllDigits(t) && t.size() <= 15) {
    const int64_t id = std::stoll(t);
    if (id > 0) return id;
  }
  const std::string code = storage::NormaliseBarcode(t);
  if (!code.empty() && storage::CheckBarcode(code)) {
    return Error(ErrorCode::kInvalidArgument,
                 field + ": '" + code +
                     "' er en stregkode, ikke et dokument; skriv dokumentets nummer i journalen "
                     "(kun cifre, som sagens dokumentliste viser det)");
  }
  return Error(ErrorCode::kInvalidArgument,
               field + ": '" + t +
                   "' er ikke et dokumentnummer; skriv dokumentets nummer i journalen (kun "
                   "cifre, fx 17)");
}

// A required document field: a positive JSON integer or a string of digits.
Result<int64_t> RequiredDocument(const json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it != body.end() && it->is_number_integer()) {
    const int64_t id = it->get<int64_t>();
    if (id > 0) return id;
    return Error(ErrorCode::kInvalidArgument,
                 field + " skal være et dokumentnummer større end 0 (dokumentets id i journalen)");
  }
  if (it != body.end() && it->is_string()) return DocumentFromText(it->get<std::string>(), field);
  return Error(ErrorCode::kInvalidArgument,
               field + " mangler: angiv dokumentets nummer i journalen (kun cifre)");
}

// A document or a location: all digits is a document, anything else must be a barcode.
Result<ArchiveItem> SubjectFromText(const std::string& text, const std::string& field) {
  const std::string t = Trimmed(text);
  if (AllDigits(t)) {
    INTAKE_ASSIGN_OR_RETURN(int64_t id, DocumentFromText(t, field));
    return ArchiveItem::Document(id);
  }
  Result<std::string> code = CodeFrom(t, field);
  if (!code) {
    return Error(ErrorCode::kInvalidArgument,
                 code.error().message() +
                     "; skriv et dokumentnummer (kun cifre) eller stregkoden fra kassens eller "
                     "stedets etiket");
  }
  return ArchiveItem::Location(*code);
}

Result<ArchiveItem> RequiredSubject(const json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it != body.end() && it->is_number_integer()) {
    INTAKE_ASSIGN_OR_RETURN(int64_t id, RequiredDocument(body, field));
    return ArchiveItem::Document(id);
  }
  if (it != body.end() && it->is_string()) return SubjectFromText(it->get<std::string>(), field);
  return Error(ErrorCode::kInvalidArgument,
               field +
                   " mangler: angiv et dokumentnummer eller en kasses eller et steds "
                   "stregkode");
}

// A date typed in a field ("2026-12-01", "1.12.2026", "1. december 2026") as YYYY-MM-DD.
Result<std::string> DateFrom(const std::string& text, const std::string& field) {
  DateOptions options;
  options.reference = LocalToday();
  Result<FoundDate> date = ParseDate(text, options);
  if (!date) return date.error().WithContext(field);
  return date->Iso();
}

std::string Today() { return station::IsoDay(LocalToday()); }

// Whether the viewer may see the document (its case is not restricted from them).
bool MaySee(StationState& state, const storage::Viewer& viewer, int64_t document_id) {
  return static_cast<bool>(state.journal->GetDocument(document_id, viewer));
}

// Loans of originals the viewer may not see are left out (a box's loan is shown).
std::vector<storage::Loan> VisibleLoans(StationState& state, const storage::Viewer& viewer,
                                        std::vector<storage::Loan> loans) {
  std::vector<storage::Loan> visible;
  for (storage::Loan& l : loans) {
    if (l.document_id && !MaySee(state, viewer, *l.document_id)) continue;
    visible.push_back(std::move(l));
  }
  return visible;
}

// The document's Danish label; not found when the caller may not see it. Used before every
// change to an original, so a restricted one is as unknown to a change as to a question.
Result<std::string> LabelOf(StationState& state, const ApiRequest& req, int64_t document_id) {
  return station::DocumentLabel(*state.journal, ViewerOf(req), document_id);
}

// "Reol 12 (reol, L-000003)".
std::string LocationLabel(const LocationRecord& r) {
  return r.name + " (" + std::string(storage::LocationKindDanish(r.kind)) + ", " + r.barcode + ")";
}

// Where a location stands, as `station archive` writes it.
std::string PlaceText(const LocationRecord& r, const std::vector<LocationRecord>& path) {
  if (path.size() > 1) return station::ArchivePathNames({path.begin(), path.end() - 1});
  if (r.kind == LocationKind::kBox || r.kind == LocationKind::kFolder) return "ikke placeret";
  return "øverste niveau";
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// ---- questions about a location ----

Result<json> LocationView(StationState& state, const ApiRequest& req, const std::string& code) {
  Archive& archive = ArchiveOf(state);
  INTAKE_ASSIGN_OR_RETURN(LocationRecord r, archive.FindLocation(code));
  INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(r.id));
  INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> children, archive.Children(r.id));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> contents,
                          archive.Contents(r.barcode, ViewerOf(req)));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::ArchiveEvent> events,
                          archive.History(ArchiveItem::Location(r.barcode), ViewerOf(req)));
  json j = station::LocationShowToJson(r, path, children, contents.size(), events, kRecentEvents);
  // The one line `station archive lookup` prints (without the barcode in front).
  std::string text =
      std::string(storage::LocationKindDanish(r.kind)) + " »" + r.name + "«, " + PlaceText(r, path);
  std::string inside;
  if (r.kind == LocationKind::kBox || r.kind == LocationKind::kFolder || !contents.empty()) {
    inside = Plural(contents.size(), "original", "originaler");
  }
  if (!children.empty()) {
    inside += (inside.empty() ? "" : ", ") +
              Plural(children.size(), "sted eller kasse", "steder og kasser");
  }
  if (!inside.empty()) text += "; " + inside;
  if (r.loan) text += ", " + station::ArchiveLoanText(*r.loan);
  if (r.transferred) text += ", afleveret til stadsarkivet";
  j["subject"] = "location";
  j["text"] = r.barcode + ": " + text;
  return j;
}

Result<ApiReply> LabelsPdf(StationState& state, const std::vector<std::string>& codes,
                           std::optional<station::LabelFormat> format, const std::string& name) {
  Archive& archive = ArchiveOf(state);
  std::vector<station::LabelSpec> labels;
  std::optional<station::LabelFormat> chosen = format;
  for (const std::string& code : codes) {
    INTAKE_ASSIGN_OR_RETURN(LocationRecord r, archive.FindLocation(code));
    INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(r.id));
    labels.push_back(station::LocationLabelSpec(r, path));
    if (!chosen) {
      chosen = r.kind == LocationKind::kBox || r.kind == LocationKind::kFolder
                   ? station::LabelFormat::kBox
                   : station::LabelFormat::kShelf;
    }
  }
  Result<std::string> pdf =
      station::MakeLocationLabels(labels, chosen.value_or(station::LabelFormat::kShelf));
  if (!pdf) return pdf.error().WithContext("ingen etiketter lavet");
  return ApiReply::Bytes(std::move(*pdf), "application/pdf", name);
}

Result<std::optional<station::LabelFormat>> FormatFrom(const std::string& text) {
  const std::string t = Trimmed(text);
  if (t.empty()) return std::optional<station::LabelFormat>();
  if (t == "box" || t == "kasse") return std::optional(station::LabelFormat::kBox);
  if (t == "shelf" || t == "hylde") return std::optional(station::LabelFormat::kShelf);
  return Error(ErrorCode::kInvalidArgument,
               "format '" + t +
                   "' er ukendt; brug box (kasseetiketter, 2 pr. side) eller shelf "
                   "(hyldeetiketter, 7 pr. side)");
}

// ---- routes ----

void AddReadRoutes(Router& router, StationState& state) {
  router.Add(Route{
      Method::kGet,
      "/api/archive/locations",
      {},
      false,
      false,
      "Stedernes træ med kasser og antal originaler (som 'station archive location list "
      "--json'); ?in=KODE viser kun det der står i det sted",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        Archive& archive = ArchiveOf(state);
        std::optional<LocationRecord> root;
        std::vector<LocationRecord> root_path;
        const std::string in = req.Query("in");
        if (!in.empty()) {
          INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(in, "in"));
          INTAKE_ASSIGN_OR_RETURN(root, archive.FindLocation(code));
          INTAKE_ASSIGN_OR_RETURN(root_path, archive.PathOf(root->id));
        }
        INTAKE_ASSIGN_OR_RETURN(
            std::vector<LocationRecord> top,
            archive.Children(root ? std::optional<int64_t>(root->id) : std::nullopt));
        std::vector<station::LocationTreeNode> trees;
        for (LocationRecord& r : top) {
          INTAKE_ASSIGN_OR_RETURN(station::LocationTreeNode tree,
                                  station::BuildLocationTree(archive, ViewerOf(req), std::move(r)));
          trees.push_back(std::move(tree));
        }
        return ApiReply::Json(
            station::LocationListToJson(root ? &*root : nullptr, root_path, trees));
      }});

  router.Add(Route{Method::kGet,
                   "/api/archive/locations/{code}",
                   {},
                   false,
                   false,
                   "Et sted eller en kasse: sti, indhold, udlån og seneste hændelser (som "
                   "'station archive location show --json')",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(req.Param("code"), "kode"));
                     INTAKE_ASSIGN_OR_RETURN(json j, LocationView(state, req, code));
                     return ApiReply::Json(j);
                   }});

  router.Add(Route{Method::kGet,
                   "/api/archive/lookup/{code}",
                   {},
                   false,
                   false,
                   "Slå en stregkode op (håndscanner): hvad det er, hvor det står og hvad der er "
                   "i det; 'text' er linjen fra 'station archive lookup'",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(std::string code,
                                             CodeFrom(req.Param("code"), "stregkode"));
                     INTAKE_ASSIGN_OR_RETURN(json j, LocationView(state, req, code));
                     return ApiReply::Json(j);
                   }});

  router.Add(Route{
      Method::kGet,
      "/api/archive/boxes/{code}/contents",
      {},
      false,
      false,
      "Originalerne i en kasse (som 'station archive box contents --json'); originaler på sager "
      "du ikke har adgang til er udeladt",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(req.Param("code"), "kasse"));
        Archive& archive = ArchiveOf(state);
        INTAKE_ASSIGN_OR_RETURN(LocationRecord r, archive.FindLocation(code));
        INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(r.id));
        INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> contents,
                                archive.Contents(r.barcode, ViewerOf(req)));
        return ApiReply::Json(station::BoxContentsToJson(r, path, contents));
      }});

  router.Add(Route{
      Method::kGet,
      "/api/archive/boxes/{code}/contents.pdf",
      {},
      false,
      false,
      "Kassens indholdsliste som PDF (A4, til at lægge i kassen), som 'station archive box "
      "contents --pdf'",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(req.Param("code"), "kasse"));
        Archive& archive = ArchiveOf(state);
        INTAKE_ASSIGN_OR_RETURN(LocationRecord r, archive.FindLocation(code));
        INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(r.id));
        INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> contents,
                                archive.Contents(r.barcode, ViewerOf(req)));
        Result<std::string> pdf = station::MakeContentsList(
            station::LocationLabelSpec(r, path), station::ContentsEntriesFor(archive, contents),
            LongDanishDate(Today()));
        if (!pdf) return pdf.error().WithContext("indholdslisten er ikke lavet");
        return ApiReply::Bytes(std::move(*pdf), "application/pdf", "indhold-" + r.barcode + ".pdf");
      }});

  router.Add(Route{Method::kGet,
                   "/api/archive/locations/{code}/label.pdf",
                   {},
                   false,
                   false,
                   "Etiket til et sted eller en kasse som PDF (kasser: 2 pr. A4-side, andre "
                   "steder: hyldeetiketter 7 pr. side; ?format=box|shelf vælger selv)",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(req.Param("code"), "kode"));
                     INTAKE_ASSIGN_OR_RETURN(std::optional<station::LabelFormat> format,
                                             FormatFrom(req.Query("format")));
                     return LabelsPdf(state, {code}, format, "etiket-" + code + ".pdf");
                   }});

  router.Add(Route{
      Method::kGet,
      "/api/archive/boxes/{code}/label.pdf",
      {},
      false,
      false,
      "Kasseetiket som PDF (2 pr. A4-side), som 'station archive box label'",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(req.Param("code"), "kasse"));
        return LabelsPdf(state, {code}, station::LabelFormat::kBox, "etiket-" + code + ".pdf");
      }});

  router.Add(Route{
      Method::kGet,
      "/api/archive/labels.pdf",
      {},
      false,
      false,
      "Flere etiketter i én PDF: ?codes=KODE,KODE… og ?format=box (kasser) eller shelf (hylder)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        std::vector<std::string> codes;
        std::stringstream list(req.Query("codes"));
        std::string part;
        while (std::getline(list, part, ',')) {
          if (Trimmed(part).empty()) continue;
          INTAKE_ASSIGN_OR_RETURN(std::string code, CodeFrom(part, "codes"));
          codes.push_back(code);
        }
        if (codes.empty()) {
          return Error(ErrorCode::kInvalidArgument,
                       "codes mangler: angiv stregkoderne adskilt af komma, fx "
                       "?codes=K-2026-0001,K-2026-0002");
        }
        if (codes.size() > kMaxLabelsAtOnce) {
          return Error(ErrorCode::kInvalidArgument, "codes: højst " +
                                                        std::to_string(kMaxLabelsAtOnce) +
                                                        " etiketter ad gangen; del listen op");
        }
        INTAKE_ASSIGN_OR_RETURN(std::optional<station::LabelFormat> format,
                                FormatFrom(req.Query("format")));
        return LabelsPdf(state, codes, format, "etiketter.pdf");
      }});

  router.Add(Route{
      Method::kGet,
      "/api/archive/where/{subject}",
      {},
      false,
      false,
      "Hvor er originalen? Et dokumentnummer giver placeringen (som 'station archive where "
      "--json', 'text' som dens første linje); en stregkode giver stedet eller kassen",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(ArchiveItem item,
                                SubjectFromText(req.Param("subject"), "dokument eller stregkode"));
        if (item.barcode) {
          INTAKE_ASSIGN_OR_RETURN(json j, LocationView(state, req, *item.barcode));
          return ApiReply::Json(j);
        }
        INTAKE_ASSIGN_OR_RETURN(std::string label, LabelOf(state, req, *item.document_id));
        INTAKE_ASSIGN_OR_RETURN(storage::Whereabouts w,
                                ArchiveOf(state).Where(*item.document_id, ViewerOf(req)));
        json j = station::WhereaboutsToJson(w);
        j["subject"] = "document";
        j["label"] = label;
        j["text"] = "Original opbevares: " + w.Describe();
        return ApiReply::Json(j);
      }});

  router.Add(Route{Method::kGet,
                   "/api/archive/history/{subject}",
                   {},
                   false,
                   false,
                   "Alt der er sket med en original (dokumentnummer) eller et sted/en kasse "
                   "(stregkode), ældst først (som 'station archive history --json')",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(
                         ArchiveItem item,
                         SubjectFromText(req.Param("subject"), "dokument eller stregkode"));
                     if (item.document_id) {
                       INTAKE_RETURN_IF_ERROR(LabelOf(state, req, *item.document_id));
                     }
                     INTAKE_ASSIGN_OR_RETURN(std::vector<storage::ArchiveEvent> events,
                                             ArchiveOf(state).History(item, ViewerOf(req)));
                     json list = json::array();
                     for (const auto& e : events) list.push_back(station::ArchiveEventToJson(e));
                     return ApiReply::Json(list);
                   }});

  router.Add(
      Route{Method::kGet,
            "/api/archive/overdue",
            {},
            false,
            false,
            "Udlån der skulle være afleveret (som 'station archive overdue --json'); ?on=DATO "
            "(standard: i dag)",
            [&state](const ApiRequest& req) -> Result<ApiReply> {
              std::string on = Today();
              if (!req.Query("on").empty()) {
                INTAKE_ASSIGN_OR_RETURN(on, DateFrom(req.Query("on"), "on"));
              }
              INTAKE_ASSIGN_OR_RETURN(std::vector<storage::Loan> loans, ArchiveOf(state).Loans(on));
              loans = VisibleLoans(state, ViewerOf(req), std::move(loans));
              return ApiReply::Json(json{{"on", on}, {"loans", station::LoansToJson(loans, on)}});
            }});

  router.Add(Route{Method::kGet,
                   "/api/archive/loans",
                   {},
                   false,
                   false,
                   "Alle udlån der ikke er afleveret, ældste frist først (som 'station archive "
                   "loans --json')",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(std::vector<storage::Loan> loans,
                                             ArchiveOf(state).Loans(std::nullopt));
                     loans = VisibleLoans(state, ViewerOf(req), std::move(loans));
                     return ApiReply::Json(station::LoansToJson(loans, Today()));
                   }});

  router.Add(Route{Method::kGet,
                   "/api/archive/unplaced",
                   {},
                   false,
                   false,
                   "Originaler der skal opbevares, men endnu ikke ligger i en kasse (som "
                   "'station archive unplaced --json')",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> originals,
                                             ArchiveOf(state).Unplaced(ViewerOf(req)));
                     json list = json::array();
                     for (const auto& s : originals) {
                       list.push_back(station::StoredOriginalToJson(s));
                     }
                     return ApiReply::Json(list);
                   }});
}

// The location `locations` and `boxes` register, from the body's name, note, barcode, in.
Result<storage::NewLocation> NewLocationFrom(LocationKind kind, const json& body) {
  storage::NewLocation location;
  location.kind = kind;
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "name"));
  location.name = Trimmed(name.value_or(""));
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> note, OptionalString(body, "note"));
  location.note = NonBlank(note);
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> barcode, OptionalString(body, "barcode"));
  if (NonBlank(barcode)) {
    INTAKE_ASSIGN_OR_RETURN(location.barcode, CodeFrom(*barcode, "barcode"));
  }
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> in, OptionalString(body, "in"));
  if (NonBlank(in)) {
    INTAKE_ASSIGN_OR_RETURN(location.parent_barcode, CodeFrom(*in, "in"));
  }
  return location;
}

Result<std::optional<std::string>> NoteOf(const json& body) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> note, OptionalString(body, "note"));
  return NonBlank(note);
}

void AddLocationChangeRoutes(Router& router, StationState& state) {
  router.Add(Route{
      Method::kPost, "/api/archive/locations", kArchivists, false, false,
      "Registrér et sted: {kind (sted, bygning, rum, reol, hylde, kasse, mappe, fjernarkiv, "
      "stadsarkiv), name, barcode?, in?, note?} → stedet med sti (som 'station archive "
      "location add --json')",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::string kind_text, RequiredString(body, "kind"));
        const std::optional<LocationKind> kind = storage::ParseLocationKind(Trimmed(kind_text));
        if (!kind) {
          return Error(ErrorCode::kInvalidArgument,
                       "kind '" + kind_text +
                           "' er ukendt; brug sted, bygning, rum, reol, hylde, kasse, mappe, "
                           "fjernarkiv eller stadsarkiv");
        }
        INTAKE_ASSIGN_OR_RETURN(storage::NewLocation location, NewLocationFrom(*kind, body));
        Archive& archive = ArchiveOf(state);
        INTAKE_ASSIGN_OR_RETURN(LocationRecord added, archive.AddLocation(location, ActorOf(req)));
        INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(added.id));
        json j = station::LocationToJson(added);
        j["path"] = station::LocationPathToJson(path);
        return ApiReply::Json(j, 201);
      }});

  router.Add(Route{
      Method::kPost, "/api/archive/boxes", kArchivists, false, false,
      "Opret kasser: {barcode?, name?, in?, count? (1-200), note?} → kasserne (som 'station "
      "archive box create --json')",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        int64_t count = 1;
        if (body.contains("count") && !body["count"].is_null()) {
          INTAKE_ASSIGN_OR_RETURN(count, RequiredInt(body, "count"));
        }
        if (count < 1 || count > kMaxBoxesAtOnce) {
          return Error(ErrorCode::kInvalidArgument,
                       "count " + std::to_string(count) + " er uden for 1-" +
                           std::to_string(kMaxBoxesAtOnce) + "; opret højst " +
                           std::to_string(kMaxBoxesAtOnce) + " kasser ad gangen");
        }
        INTAKE_ASSIGN_OR_RETURN(storage::NewLocation box,
                                NewLocationFrom(LocationKind::kBox, body));
        if (count > 1 && (box.barcode || !box.name.empty())) {
          return Error(ErrorCode::kInvalidArgument,
                       "barcode og name gælder én kasse; udelad dem med count " +
                           std::to_string(count) +
                           " (kasserne får hver sin stregkode K-ÅÅÅÅ-NNNN)");
        }
        Archive& archive = ArchiveOf(state);
        json list = json::array();
        for (int64_t i = 0; i < count; ++i) {
          Result<LocationRecord> added = archive.AddLocation(box, ActorOf(req));
          if (!added) {
            if (i == 0) return added.error();
            return added.error().WithContext("fejl efter " +
                                             Plural(static_cast<size_t>(i), "kasse", "kasser") +
                                             " (de er oprettet)");
          }
          list.push_back(station::LocationToJson(*added));
        }
        return ApiReply::Json(list, 201);
      }});

  router.Add(Route{
      Method::kPost, "/api/archive/move", kArchivists, false, false,
      "Flyt en kasse eller et sted med alt indhold: {subject (stregkode), to (stregkode), "
      "note?} → stedet, dets sti og en besked",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(std::string code, RequiredCode(body, "subject"));
        INTAKE_ASSIGN_OR_RETURN(std::string to, RequiredCode(body, "to"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> note, NoteOf(body));
        Archive& archive = ArchiveOf(state);
        INTAKE_ASSIGN_OR_RETURN(LocationRecord before, archive.FindLocation(code));
        INTAKE_ASSIGN_OR_RETURN(LocationRecord target, archive.FindLocation(to));
        std::string message;
        LocationRecord moved = before;
        if (before.parent_id && *before.parent_id == target.id) {
          message = LocationLabel(before) + " står allerede i " + LocationLabel(target) +
                    "; intet ændret.";
        } else {
          Result<LocationRecord> done = archive.Move(code, to, note, ActorOf(req));
          if (!done) return done.error().WithContext(before.barcode + " er ikke flyttet");
          moved = std::move(*done);
        }
        INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(moved.id));
        if (message.empty()) {
          INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> contents,
                                  archive.Contents(moved.barcode, ViewerOf(req)));
          message = LocationLabel(moved) + " er flyttet til " + PlaceText(moved, path);
          if (!contents.empty()) {
            message += "; " + Plural(contents.size(), "original", "originaler") + " fulgte med";
          }
          message += ".";
        }
        json j = station::LocationToJson(moved);
        j["path"] = station::LocationPathToJson(path);
        j["path_text"] = station::ArchivePathNames(path);
        j["message"] = message;
        return ApiReply::Json(j);
      }});
}

void AddOriginalChangeRoutes(Router& router, StationState& state) {
  router.Add(Route{Method::kPost, "/api/archive/place", kPlacers, false, false,
                   "Læg et dokuments original i en kasse: {document, box (stregkode), note?} → "
                   "placeringen (som 'station archive where --json') og en besked",
                   [&state](const ApiRequest& req) -> Result<ApiReply> {
                     INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
                     INTAKE_ASSIGN_OR_RETURN(int64_t id, RequiredDocument(body, "document"));
                     INTAKE_ASSIGN_OR_RETURN(std::string box, RequiredCode(body, "box"));
                     INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> note, NoteOf(body));
                     INTAKE_ASSIGN_OR_RETURN(std::string label, LabelOf(state, req, id));
                     Result<storage::Whereabouts> w =
                         ArchiveOf(state).Place(id, box, note, ActorOf(req));
                     if (!w) return w.error().WithContext("originalen er ikke placeret");
                     return OriginalChanged(
                         *w, label, label + ": originalen er placeret i " + w->PathText() + ".");
                   }});

  router.Add(Route{
      Method::kPost, "/api/archive/lend", kArchivists, false, false,
      "Lån en original (dokumentnummer) eller en kasse (stregkode) ud: {subject, borrower, due "
      "(ÅÅÅÅ-MM-DD, i dag eller senere), note?} → udlånet",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(ArchiveItem item, RequiredSubject(body, "subject"));
        INTAKE_ASSIGN_OR_RETURN(std::string borrower, RequiredString(body, "borrower"));
        INTAKE_ASSIGN_OR_RETURN(std::string due_text, RequiredString(body, "due"));
        INTAKE_ASSIGN_OR_RETURN(std::string due, DateFrom(due_text, "due"));
        storage::LendRequest request;
        request.borrower = Trimmed(borrower);
        request.due_date = due;
        INTAKE_ASSIGN_OR_RETURN(request.note, NoteOf(body));
        if (item.document_id) {
          INTAKE_RETURN_IF_ERROR(LabelOf(state, req, *item.document_id));
        }
        Result<storage::Loan> loan = ArchiveOf(state).Lend(item, request, ActorOf(req));
        if (!loan) return loan.error().WithContext("intet er udlånt");
        json j = station::LoanToJson(*loan);
        j["message"] = "Udlånt: " + loan->subject + " til " + loan->borrower +
                       "; afleveres senest " + LongDanishDate(loan->due_date) + " (" +
                       loan->due_date + ").";
        return ApiReply::Json(j);
      }});

  router.Add(
      Route{Method::kPost, "/api/archive/return", kArchivists, false, false,
            "Registrér at et udlån er kommet tilbage: {subject (dokumentnummer eller stregkode), "
            "note?} → udlånet med days_late",
            [&state](const ApiRequest& req) -> Result<ApiReply> {
              INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
              INTAKE_ASSIGN_OR_RETURN(ArchiveItem item, RequiredSubject(body, "subject"));
              INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> note, NoteOf(body));
              if (item.document_id) {
                INTAKE_RETURN_IF_ERROR(LabelOf(state, req, *item.document_id));
              }
              INTAKE_ASSIGN_OR_RETURN(storage::Loan loan,
                                      ArchiveOf(state).Return(item, note, ActorOf(req)));
              const int late = std::max(0, station::DaysBetween(loan.due_date, Today()));
              json j = station::LoanToJson(loan);
              j["days_late"] = late;
              std::string message = "Returneret: " + loan.subject + " (udlånt til " +
                                    loan.borrower + " siden " + loan.since.substr(0, 10) + ")";
              if (late > 0)
                message += ", " + Plural(static_cast<size_t>(late), "dag", "dage") + " for sent";
              j["message"] = message + ".";
              return ApiReply::Json(j);
            }});

  router.Add(Route{
      Method::kPost, "/api/archive/dispose", kArchivists, false, false,
      "Bestem hvad der sker med originalen: {document, disposition (keep, return, destroy, "
      "pending), box?, approval?, approval_date?, note?} → placeringen",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(int64_t id, RequiredDocument(body, "document"));
        INTAKE_ASSIGN_OR_RETURN(std::string d_text, RequiredString(body, "disposition"));
        const std::optional<storage::Disposition> d = storage::ParseDisposition(Trimmed(d_text));
        if (!d) {
          return Error(ErrorCode::kInvalidArgument,
                       "disposition '" + d_text +
                           "' er ukendt; brug keep, return, destroy eller pending (opbevar, "
                           "returnér, destruér, afvent)");
        }
        storage::OriginalDisposition disposition;
        disposition.disposition = *d;
        INTAKE_ASSIGN_OR_RETURN(disposition.note, NoteOf(body));
        const bool keeps =
            *d == storage::Disposition::kKeep || *d == storage::Disposition::kPending;
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> box, OptionalString(body, "box"));
        if (NonBlank(box)) {
          if (!keeps) {
            return Error(ErrorCode::kInvalidArgument,
                         "box gælder kun disposition keep eller pending: en original der "
                         "returneres eller destrueres lægges ikke i en kasse");
          }
          INTAKE_ASSIGN_OR_RETURN(disposition.location_barcode, CodeFrom(*box, "box"));
        }
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> approval,
                                OptionalString(body, "approval"));
        INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> approval_date,
                                OptionalString(body, "approval_date"));
        if (*d != storage::Disposition::kDestructionApproved &&
            (NonBlank(approval) || NonBlank(approval_date))) {
          return Error(ErrorCode::kInvalidArgument,
                       "approval og approval_date gælder kun disposition destroy");
        }
        disposition.approval_ref = NonBlank(approval);
        if (NonBlank(approval_date)) {
          INTAKE_ASSIGN_OR_RETURN(disposition.approval_date,
                                  DateFrom(*approval_date, "approval_date"));
        }
        INTAKE_ASSIGN_OR_RETURN(std::string label, LabelOf(state, req, id));
        Result<storage::Whereabouts> w =
            ArchiveOf(state).SetDisposition(id, disposition, ActorOf(req));
        if (!w) return w.error().WithContext("dispositionen er ikke ændret");
        return OriginalChanged(*w, label,
                               label + ": " + std::string(storage::DispositionDanish(*d)) + ".");
      }});

  router.Add(
      Route{Method::kPost, "/api/archive/destroy", kArchivists, false, false,
            "Registrér at en original er destrueret (kræver godkendt destruktion): {document, "
            "method, note?} → placeringen",
            [&state](const ApiRequest& req) -> Result<ApiReply> {
              INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
              INTAKE_ASSIGN_OR_RETURN(int64_t id, RequiredDocument(body, "document"));
              INTAKE_ASSIGN_OR_RETURN(std::string method, RequiredString(body, "method"));
              INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> note, NoteOf(body));
              INTAKE_ASSIGN_OR_RETURN(std::string label, LabelOf(state, req, id));
              Result<storage::Whereabouts> w =
                  ArchiveOf(state).Destroy(id, Trimmed(method), note, ActorOf(req));
              if (!w) return w.error().WithContext("destruktionen er ikke registreret");
              return OriginalChanged(
                  *w, label, label + ": originalen er destrueret (" + Trimmed(method) + ").");
            }});

  router.Add(Route{
      Method::kPost, "/api/archive/transfer", kArchivists, false, false,
      "Aflever en original (dokumentnummer) eller en kasse (stregkode) til stadsarkivet, "
      "endeligt: {subject, to (stadsarkivets stregkode), reference}",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
        INTAKE_ASSIGN_OR_RETURN(ArchiveItem item, RequiredSubject(body, "subject"));
        INTAKE_ASSIGN_OR_RETURN(std::string to, RequiredCode(body, "to"));
        INTAKE_ASSIGN_OR_RETURN(std::string reference, RequiredString(body, "reference"));
        std::string subject;
        if (item.document_id) {
          INTAKE_ASSIGN_OR_RETURN(subject, LabelOf(state, req, *item.document_id));
        }
        Archive& archive = ArchiveOf(state);
        INTAKE_ASSIGN_OR_RETURN(LocationRecord target, archive.FindLocation(to));
        Result<std::vector<LocationRecord>> handed =
            archive.Transfer(item, to, Trimmed(reference), ActorOf(req));
        if (!handed) return handed.error().WithContext("intet er afleveret");
        if (subject.empty() && !handed->empty()) subject = LocationLabel(handed->back());
        return ApiReply::Json(json{
            {"path", station::LocationPathToJson(*handed)},
            {"to", station::LocationToJson(target)},
            {"reference", Trimmed(reference)},
            {"message", subject + " er afleveret til " + LocationLabel(target) + " med reference " +
                            Trimmed(reference) + "; det afleverede ændres ikke mere."}});
      }});
}

}  // namespace

void AddArchiveRoutes(Router& router, StationState& state) {
  AddReadRoutes(router, state);
  AddLocationChangeRoutes(router, state);
  AddOriginalChangeRoutes(router, state);
}

}  // namespace intake::web
