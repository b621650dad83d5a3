// The cases routes (web/routes.h): the case list and case view (`station case list|show`),
// a document with its history and its PDF (`station doc show`), full-text search
// (`station search`) and re-filing (`station refile`). Every read goes through the
// journal with the caller's Viewer, so a restricted case the caller may not read, its
// documents and their PDFs answer 404 exactly like missing ones, and search leaves them
// out.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/cpr_mask.h"
#include "station/journal_access.h"
#include "storage/journal.h"
#include "storage/search.h"
#include "web/routes.h"

namespace intake::web {
namespace {

using nlohmann::json;

constexpr int kDefaultCaseLimit = 50;
constexpr int kMaxCaseLimit = 500;

// A query-string number in [min, max]; `fallback` when absent or empty.
Result<int> QueryInt(const ApiRequest& req, const std::string& key, int fallback, int min,
                     int max) {
  const std::string text = req.Query(key);
  if (text.empty()) return fallback;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Error(ErrorCode::kInvalidArgument, "\"" + key + "\" skal være et heltal fra " +
                                                  std::to_string(min) + " til " +
                                                  std::to_string(max));
  }
  return value;
}

// An optional integer field of a JSON body in [min, max].
Result<int> BodyInt(const json& body, const std::string& field, int fallback, int min, int max) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    return Error(ErrorCode::kInvalidArgument, "feltet \"" + field + "\" skal være et heltal fra " +
                                                  std::to_string(min) + " til " +
                                                  std::to_string(max));
  }
  return static_cast<int>(it->get<int64_t>());
}

// Lower case for ASCII and the Danish letters (UTF-8), for the case list's filter.
std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // Æ Ø Å (C3 86, C3 98, C3 85) -> æ ø å (C3 A6, C3 B8, C3 A5).
    if (c == 0xC3 && i + 1 < text.size()) {
      const unsigned char d = static_cast<unsigned char>(text[i + 1]);
      out += static_cast<char>(c);
      out += static_cast<char>(d >= 0x80 && d <= 0x9E && d != 0x97 ? d + 0x20 : d);
      ++i;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

bool CaseMatches(const storage::CaseRecord& c, const std::string& folded_q) {
  if (folded_q.empty()) return true;
  for (const std::string* field : {&c.reference, &c.reference_norm, &c.title, &c.system}) {
    if (Fold(*field).find(folded_q) != std::string::npos) return true;
  }
  return Fold(c.system + " " + c.reference).find(folded_q) != std::string::npos;
}

json CaseListJson(const storage::CaseRecord& c) {
  json j = station::CaseToJson(c);
  j["status_danish"] = std::string(storage::CaseStatusDanish(c.status));
  return j;
}

// The document as the case view lists it: its metadata, Danish labels and where the
// paper original is.
json DocumentRowJson(const storage::DocumentRecord& d, const storage::Whereabouts& where) {
  json j = station::DocumentToJson(d, /*full=*/false);
  j["title"] = MaskCpr(d.title);
  j["direction_danish"] = std::string(storage::DirectionDanish(d.direction));
  j["original"] = station::WhereaboutsToJson(where);
  j["original_line"] = where.Line();
  j["pdf_url"] = "/api/documents/" + std::to_string(d.id) + "/pdf";
  return j;
}

json MoveJson(const storage::DocumentMove& m) {
  return json{{"id", m.id},
              {"document_id", m.document_id},
              {"from_case_id", m.from_case_id},
              {"from_doc_number", m.from_doc_number},
              {"to_case_id", m.to_case_id},
              {"to_doc_number", m.to_doc_number},
              {"reason", MaskCpr(m.reason)},
              {"actor", m.actor},
              {"time", m.time}};
}

// One audit entry as a line for the document's history: "2026-11-25T10:00:00Z anna:
// journaliseret".
std::string ActionDanish(const std::string& action) {
  if (action == "document.journalise") return "journaliseret";
  if (action == "document.refile") return "omjournaliseret";
  return action;
}

json HistoryJson(const storage::HistoryEntry& e) {
  return json{{"id", e.id},
              {"time", e.time},
              {"actor", e.actor},
              {"action", e.action},
              {"line", e.time + " " + e.actor + ": " + ActionDanish(e.action)}};
}

// The snippet as parts for the browser to mark (SplitSnippet), each CPR-masked. A CPR
// number split across a hit's edges would escape a per-part mask, so when the parts
// together still hold one, the snippet is given as one masked part without marks.
json SnippetPartsJson(const std::string& snippet) {
  json parts = json::array();
  std::string joined;
  for (const storage::SnippetPart& part : storage::SplitSnippet(snippet)) {
    const std::string text = MaskCpr(part.text);
    joined += text;
    parts.push_back({{"text", text}, {"hit", part.hit}});
  }
  if (ContainsCprLike(joined)) {
    std::string plain;
    for (const storage::SnippetPart& part : storage::SplitSnippet(snippet)) plain += part.text;
    parts = json::array({{{"text", MaskCpr(plain)}, {"hit", false}}});
  }
  return parts;
}

Result<std::string> ReadPdf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(ErrorCode::kIOError,
                 "dokumentets PDF-fil kan ikke læses i dokumentlageret; kør station db check");
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return Error(ErrorCode::kIOError,
                 "dokumentets PDF-fil kan ikke læses helt i dokumentlageret; kør station db check");
  }
  return bytes;
}

// An optional date field of the search: ÅÅÅÅ-MM-DD or absent/empty.
Result<std::optional<std::string>> DateField(const json& body, const std::string& field) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field));
  if (value && value->empty()) value.reset();
  if (value && !storage::IsIsoDate(*value)) {
    return Error(ErrorCode::kInvalidArgument,
                 "\"" + field + "\" skal være en gyldig dato skrevet ÅÅÅÅ-MM-DD, fx 2026-01-11");
  }
  return value;
}

Result<std::optional<std::string>> NonEmptyField(const json& body, const std::string& field) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field));
  if (value && value->find_first_not_of(" \t") == std::string::npos) value.reset();
  return value;
}

Result<ApiReply> ListCasesHandler(StationState& state, const ApiRequest& req) {
  const std::string q = req.Query("q");
  if (ContainsCprLike(q)) {
    return Error(ErrorCode::kInvalidArgument,
                 "\"q\" ligner et CPR-nummer, og CPR-numre må ikke stå i en adresse; find "
                 "sagen på sagsnummer eller titel, eller brug søgningen");
  }
  storage::CaseFilter filter;
  const std::string status = req.Query("status");
  if (!status.empty()) {
    filter.status = storage::ParseCaseStatus(status);
    if (!filter.status) {
      return Error(ErrorCode::kInvalidArgument,
                   "\"status\" '" + status + "' er ukendt; brug open, dormant eller closed");
    }
  }
  INTAKE_ASSIGN_OR_RETURN(int limit, QueryInt(req, "limit", kDefaultCaseLimit, 1, kMaxCaseLimit));
  INTAKE_ASSIGN_OR_RETURN(int offset, QueryInt(req, "offset", 0, 0, 1000000));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::CaseRecord> cases,
                          state.journal->ListCases(filter, req.principal->viewer));
  const std::string folded = Fold(q);
  std::vector<const storage::CaseRecord*> matching;
  for (const storage::CaseRecord& c : cases) {
    if (CaseMatches(c, folded)) matching.push_back(&c);
  }
  json list = json::array();
  for (size_t i = static_cast<size_t>(offset);
       i < matching.size() && list.size() < static_cast<size_t>(limit); ++i) {
    list.push_back(CaseListJson(*matching[i]));
  }
  return ApiReply::Json(json{{"cases", std::move(list)},
                             {"total", matching.size()},
                             {"limit", limit},
                             {"offset", offset}});
}

Result<ApiReply> ShowCaseHandler(StationState& state, const ApiRequest& req) {
  INTAKE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.Param("id"), "sagens id"));
  storage::Journal& journal = *state.journal;
  const storage::Viewer& viewer = req.principal->viewer;
  INTAKE_ASSIGN_OR_RETURN(storage::CaseRecord c, journal.GetCase(id, viewer));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::CaseParty> parties, journal.PartiesOf(id, viewer));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::DocumentRecord> docs,
                          journal.ListDocuments(id, viewer));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::CaseNote> notes, journal.CaseNotes(id, viewer));
  json j = CaseListJson(c);
  j["parties"] = json::array();
  for (const storage::CaseParty& p : parties) {
    json party = station::PartyToJson(p);
    party["kind_danish"] = std::string(storage::PartyKindDanish(p.party.kind));
    j["parties"].push_back(std::move(party));
  }
  j["documents"] = json::array();
  for (const storage::DocumentRecord& d : docs) {
    INTAKE_ASSIGN_OR_RETURN(storage::Whereabouts where, journal.archive().Where(d.id, viewer));
    j["documents"].push_back(DocumentRowJson(d, where));
  }
  j["notes"] = json::array();
  for (const storage::CaseNote& n : notes) {
    j["notes"].push_back(json{{"id", n.id},
                              {"document_id", n.document_id ? json(*n.document_id) : json()},
                              {"time", n.time},
                              {"actor", n.actor},
                              {"text", MaskCpr(n.text)}});
  }
  return ApiReply::Json(j);
}

Result<ApiReply> ShowDocumentHandler(StationState& state, const ApiRequest& req) {
  INTAKE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.Param("id"), "dokumentets id"));
  storage::Journal& journal = *state.journal;
  const storage::Viewer& viewer = req.principal->viewer;
  INTAKE_ASSIGN_OR_RETURN(storage::DocumentRecord doc, journal.GetDocument(id, viewer));
  INTAKE_ASSIGN_OR_RETURN(storage::CaseRecord c, journal.GetCase(doc.case_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(storage::Whereabouts where, journal.archive().Where(doc.id, viewer));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::HistoryEntry> history,
                          journal.History("document", std::to_string(doc.id)));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::DocumentMove> moves, journal.MovesOf(doc.id));
  // As `station doc show --json`, the OCR text masked; the server's file path is left out
  // (the browser gets the PDF from pdf_url).
  doc.ocr_text = MaskCpr(doc.ocr_text);
  json j = station::DocumentToJson(doc, /*full=*/true);
  j["title"] = MaskCpr(doc.title);
  j["direction_danish"] = std::string(storage::DirectionDanish(doc.direction));
  j["case"] = CaseListJson(c);
  j["original"] = station::WhereaboutsToJson(where);
  j["original_line"] = where.Line();
  j["pdf_url"] = "/api/documents/" + std::to_string(doc.id) + "/pdf";
  j["history"] = json::array();
  for (const storage::HistoryEntry& e : history) j["history"].push_back(HistoryJson(e));
  j["moves"] = json::array();
  for (const storage::DocumentMove& m : moves) j["moves"].push_back(MoveJson(m));
  return ApiReply::Json(j);
}

Result<ApiReply> DocumentPdfHandler(StationState& state, const ApiRequest& req) {
  INTAKE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.Param("id"), "dokumentets id"));
  INTAKE_ASSIGN_OR_RETURN(storage::DocumentRecord doc,
                          state.journal->GetDocument(id, req.principal->viewer));
  // The path comes from the stored hash, never from the request.
  INTAKE_ASSIGN_OR_RETURN(std::string bytes, ReadPdf(state.journal->PdfPath(doc.pdf_sha256)));
  return ApiReply::Bytes(std::move(bytes), "application/pdf",
                         "dokument-" + std::to_string(doc.id) + ".pdf");
}

Result<ApiReply> SearchHandler(StationState& state, const ApiRequest& req) {
  INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
  storage::SearchQuery query;
  INTAKE_ASSIGN_OR_RETURN(query.text, RequiredString(body, "query"));
  INTAKE_ASSIGN_OR_RETURN(query.case_reference, NonEmptyField(body, "case"));
  INTAKE_ASSIGN_OR_RETURN(query.from, DateField(body, "from"));
  INTAKE_ASSIGN_OR_RETURN(query.to, DateField(body, "to"));
  INTAKE_ASSIGN_OR_RETURN(query.doc_type, NonEmptyField(body, "doc_type"));
  INTAKE_ASSIGN_OR_RETURN(query.limit, BodyInt(body, "limit", 20, 1, 100));
  INTAKE_ASSIGN_OR_RETURN(query.offset,
                          BodyInt(body, "offset", 0, 0, storage::kRankWindow - query.limit));
  if (query.from && query.to && *query.from > *query.to) {
    return Error(ErrorCode::kInvalidArgument, "\"from\" (" + *query.from +
                                                  ") ligger efter \"to\" (" + *query.to +
                                                  "); byt om på datoerne");
  }
  INTAKE_ASSIGN_OR_RETURN(storage::SearchResults results,
                          state.journal->Search(query, req.principal->viewer));
  json hits = json::array();
  for (const storage::SearchHit& h : results.hits) {
    hits.push_back(json{{"document_id", h.document_id},
                        {"case_id", h.case_id},
                        {"case_reference", h.case_reference},
                        {"doc_number", h.doc_number},
                        {"title", MaskCpr(h.title)},
                        {"received_date", h.received_date},
                        {"snippet_parts", SnippetPartsJson(h.snippet)},
                        {"rank", h.rank},
                        {"pdf_url", "/api/documents/" + std::to_string(h.document_id) + "/pdf"}});
  }
  return ApiReply::Json(json{{"total", results.total},
                             {"total_exact", results.total_exact},
                             {"limit", query.limit},
                             {"offset", query.offset},
                             {"hits", std::move(hits)}});
}

Result<ApiReply> RefileHandler(StationState& state, const ApiRequest& req) {
  INTAKE_ASSIGN_OR_RETURN(int64_t id, ParseId(req.Param("id"), "dokumentets id"));
  INTAKE_ASSIGN_OR_RETURN(json body, req.JsonBody());
  INTAKE_ASSIGN_OR_RETURN(std::string to, RequiredString(body, "to"));
  INTAKE_ASSIGN_OR_RETURN(std::string reason, RequiredString(body, "reason"));
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> system, OptionalString(body, "system"));
  storage::Journal& journal = *state.journal;
  const storage::Viewer& viewer = req.principal->viewer;
  // The same steps as `station refile`: the target as the user may see it, the document
  // and its case likewise, then the journal's Refile (audited under the user).
  INTAKE_ASSIGN_OR_RETURN(storage::CaseRecord target,
                          journal.FindCaseByReference(system.value_or(""), to, viewer));
  INTAKE_ASSIGN_OR_RETURN(storage::DocumentRecord before, journal.GetDocument(id, viewer));
  INTAKE_ASSIGN_OR_RETURN(storage::CaseRecord old_case, journal.GetCase(before.case_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(storage::DocumentRecord moved,
                          journal.Refile(id, target.id, reason, req.principal->actor));
  std::ostringstream message;
  message << "Dokument " << moved.id << " »" << MaskCpr(moved.title) << "« er flyttet fra sag "
          << old_case.reference << " (nr. " << before.doc_number << ") til sag " << target.reference
          << " (nr. " << moved.doc_number << ").";
  return ApiReply::Json(json{{"document", station::DocumentToJson(moved, false)},
                             {"from_case", CaseListJson(old_case)},
                             {"to_case", CaseListJson(target)},
                             {"message", message.str()}});
}

}  // namespace

void AddCaseRoutes(Router& router, StationState& state) {
  using storage::Role;
  router.Add(Route{Method::kGet,
                   "/api/cases",
                   {},
                   false,
                   false,
                   "Sagerne brugeren må se (fortrolige kun for deres gruppe); ?q= sagsnummer "
                   "eller titel (aldrig CPR), ?status=open|dormant|closed, ?limit=, ?offset=",
                   [&state](const ApiRequest& req) { return ListCasesHandler(state, req); }});
  router.Add(Route{Method::kGet,
                   "/api/cases/{id}",
                   {},
                   false,
                   false,
                   "En sag med parter (CPR/CVR maskeret), dokumenter med originalens placering "
                   "og sagens noter",
                   [&state](const ApiRequest& req) { return ShowCaseHandler(state, req); }});
  router.Add(Route{Method::kGet,
                   "/api/documents/{id}",
                   {},
                   false,
                   false,
                   "Et dokument som station doc show --json: metadata, sider, OCR-tekst "
                   "(maskeret), originalens placering, historik og omjournaliseringer",
                   [&state](const ApiRequest& req) { return ShowDocumentHandler(state, req); }});
  router.Add(Route{Method::kGet,
                   "/api/documents/{id}/pdf",
                   {},
                   false,
                   false,
                   "Dokumentets PDF/A-fil (vises i browseren)",
                   [&state](const ApiRequest& req) { return DocumentPdfHandler(state, req); }});
  router.Add(Route{Method::kPost,
                   "/api/search",
                   {},
                   false,
                   false,
                   "Fritekstsøgning: {query, case?, from?, to? (ÅÅÅÅ-MM-DD), doc_type?, limit?, "
                   "offset?} → træf med uddrag (snippet_parts med hit-markering) og antal",
                   [&state](const ApiRequest& req) { return SearchHandler(state, req); }});
  router.Add(Route{Method::kPost,
                   "/api/documents/{id}/refile",
                   {Role::kCaseworker, Role::kManager},
                   false,
                   false,
                   "Omjournalisér et dokument: {to (sagsnummer), reason, system?}; den gamle "
                   "sag får en note, og flytningen revideres under brugeren",
                   [&state](const ApiRequest& req) { return RefileHandler(state, req); }});
}

}  // namespace intake::web
