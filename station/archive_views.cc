#include "station/archive_views.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "station/journal_access.h"

namespace intake::station {
namespace {

using nlohmann::json;
using storage::LocationKind;
using storage::LocationRecord;

json Opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json OptId(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::optional<std::chrono::sys_days> DayOf(std::string_view iso) {
  if (iso.size() < 10) return std::nullopt;
  const std::string head(iso.substr(0, 10));
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(head.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

}  // namespace

std::string IsoDay(std::chrono::year_month_day day) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return buf;
}

int DaysBetween(std::string_view from, std::string_view to) {
  const auto a = DayOf(from), b = DayOf(to);
  if (!a || !b) return 0;
  return static_cast<int>((*b - *a).count());
}

std::string ArchivePathNames(const std::vector<LocationRecord>& path) {
  std::string text;
  for (const LocationRecord& r : path) text += (text.empty() ? "" : " › ") + r.name;
  return text;
}

std::string ArchiveLoanText(const storage::Loan& loan) {
  return "udlånt til " + loan.borrower + " til " + loan.due_date + " (siden " +
         loan.since.substr(0, 10) + ", af " + loan.actor + ")";
}

std::string FolderLabel(storage::Archive& archive, int64_t folder_id) {
  auto folder = archive.GetLocation(folder_id);
  return folder ? folder->name + " (" + folder->barcode + ")"
                : "mappe " + std::to_string(folder_id);
}

Result<std::string> DocumentLabel(storage::Journal& journal, const storage::Viewer& viewer,
                                  int64_t document_id) {
  INTAKE_ASSIGN_OR_RETURN(storage::DocumentRecord doc, journal.GetDocument(document_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(storage::CaseRecord c, journal.GetCase(doc.case_id, viewer));
  return "Dokument " + std::to_string(doc.id) + " »" + doc.title + "« (nr. " +
         std::to_string(doc.doc_number) + " på sag " + c.system + " " + c.reference + ")";
}

json LocationToJson(const LocationRecord& r) {
  return json{{"id", r.id},
              {"kind", std::string(storage::LocationKindName(r.kind))},
              {"kind_danish", std::string(storage::LocationKindDanish(r.kind))},
              {"barcode", r.barcode},
              {"name", r.name},
              {"note", Opt(r.note)},
              {"created", r.created},
              {"parent_id", OptId(r.parent_id)},
              {"loan", r.loan ? LoanToJson(*r.loan) : json(nullptr)},
              {"transferred", r.transferred}};
}

json LocationPathToJson(const std::vector<LocationRecord>& path) {
  json list = json::array();
  for (const LocationRecord& r : path) {
    list.push_back(json{{"id", r.id},
                        {"kind", std::string(storage::LocationKindName(r.kind))},
                        {"barcode", r.barcode},
                        {"name", r.name}});
  }
  return list;
}

json StoredOriginalToJson(const storage::StoredOriginal& s) {
  return json{{"document_id", s.document_id},
              {"case_id", s.case_id},
              {"case_system", s.case_system},
              {"case_reference", s.case_reference},
              {"doc_number", s.doc_number},
              {"title", s.title},
              {"received_date", Opt(s.received_date)},
              {"folder_id", OptId(s.folder_id)},
              {"loan", s.loan ? LoanToJson(*s.loan) : json(nullptr)}};
}

json ArchiveEventToJson(const storage::ArchiveEvent& e) {
  return json{
      {"id", e.id},
      {"time", e.time},
      {"actor", e.actor},
      {"action", std::string(storage::ArchiveActionName(e.action))},
      {"document_id", OptId(e.document_id)},
      {"location_id", OptId(e.location_id)},
      {"target_id", OptId(e.target_id)},
      {"disposition",
       e.disposition ? json(std::string(storage::DispositionName(*e.disposition))) : json(nullptr)},
      {"borrower", Opt(e.borrower)},
      {"due_date", Opt(e.due_date)},
      {"approval_ref", Opt(e.approval_ref)},
      {"approval_date", Opt(e.approval_date)},
      {"method", Opt(e.method)},
      {"reference", Opt(e.reference)},
      {"note", Opt(e.note)},
      {"summary", e.summary}};
}

json LoansToJson(const std::vector<storage::Loan>& loans, const std::string& on) {
  json list = json::array();
  for (const storage::Loan& l : loans) {
    json j = LoanToJson(l);
    j["overdue_days"] = std::max(0, DaysBetween(l.due_date, on));
    list.push_back(std::move(j));
  }
  return list;
}

json LocationShowToJson(const LocationRecord& r, const std::vector<LocationRecord>& path,
                        const std::vector<LocationRecord>& children, size_t originals,
                        const std::vector<storage::ArchiveEvent>& events, size_t recent) {
  const size_t first_recent = events.size() > recent ? events.size() - recent : 0;
  json j = LocationToJson(r);
  j["path"] = LocationPathToJson(path);
  j["path_text"] = ArchivePathNames(path);
  j["children"] = json::array();
  for (const LocationRecord& c : children) j["children"].push_back(LocationToJson(c));
  j["originals"] = originals;
  j["events_total"] = events.size();
  j["recent_events"] = json::array();
  for (size_t i = first_recent; i < events.size(); ++i) {
    j["recent_events"].push_back(ArchiveEventToJson(events[i]));
  }
  return j;
}

json BoxContentsToJson(const LocationRecord& box, const std::vector<LocationRecord>& path,
                       const std::vector<storage::StoredOriginal>& contents) {
  json j{{"location", LocationToJson(box)},
         {"path", LocationPathToJson(path)},
         {"originals", json::array()}};
  for (const storage::StoredOriginal& s : contents) {
    j["originals"].push_back(StoredOriginalToJson(s));
  }
  return j;
}

Result<std::optional<size_t>> CountOriginals(storage::Archive& archive,
                                             const storage::Viewer& viewer,
                                             const LocationRecord& r) {
  if (r.kind != LocationKind::kBox && r.kind != LocationKind::kFolder) {
    return std::optional<size_t>();
  }
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> contents,
                          archive.Contents(r.barcode, viewer));
  return std::optional<size_t>(contents.size());
}

Result<LocationTreeNode> BuildLocationTree(storage::Archive& archive, const storage::Viewer& viewer,
                                           LocationRecord r) {
  LocationTreeNode node;
  INTAKE_ASSIGN_OR_RETURN(node.originals, CountOriginals(archive, viewer, r));
  INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> children, archive.Children(r.id));
  node.record = std::move(r);
  for (LocationRecord& child : children) {
    INTAKE_ASSIGN_OR_RETURN(LocationTreeNode sub,
                            BuildLocationTree(archive, viewer, std::move(child)));
    node.children.push_back(std::move(sub));
  }
  return node;
}

json LocationTreeToJson(const LocationTreeNode& node) {
  json j = LocationToJson(node.record);
  j["originals"] = node.originals ? json(*node.originals) : json(nullptr);
  j["children"] = json::array();
  for (const LocationTreeNode& child : node.children) {
    j["children"].push_back(LocationTreeToJson(child));
  }
  return j;
}

json LocationListToJson(const LocationRecord* in, const std::vector<LocationRecord>& in_path,
                        const std::vector<LocationTreeNode>& trees) {
  json j{{"in", in != nullptr ? LocationToJson(*in) : json(nullptr)},
         {"path", LocationPathToJson(in_path)},
         {"locations", json::array()}};
  for (const LocationTreeNode& t : trees) j["locations"].push_back(LocationTreeToJson(t));
  return j;
}

LabelSpec LocationLabelSpec(const LocationRecord& r, const std::vector<LocationRecord>& path) {
  LabelSpec spec;
  spec.barcode = r.barcode;
  spec.kind = std::string(storage::LocationKindDanish(r.kind));
  spec.name = r.name;
  if (path.size() > 1) spec.path_text = ArchivePathNames({path.begin(), path.end() - 1});
  return spec;
}

std::vector<ContentsEntry> ContentsEntriesFor(
    storage::Archive& archive, const std::vector<storage::StoredOriginal>& contents) {
  std::map<int64_t, std::string> folders;
  std::vector<ContentsEntry> entries;
  for (const storage::StoredOriginal& s : contents) {
    ContentsEntry e;
    e.case_ref = s.case_system + " " + s.case_reference;
    e.doc_number = s.doc_number;
    e.document_id = s.document_id;
    e.title = s.title;
    e.received_date = s.received_date.value_or("");
    if (s.folder_id) {
      auto it = folders.find(*s.folder_id);
      if (it == folders.end()) {
        it = folders.emplace(*s.folder_id, FolderLabel(archive, *s.folder_id)).first;
      }
      e.note = "i mappen " + it->second;
    }
    if (s.loan) e.note += (e.note.empty() ? "" : "; ") + ArchiveLoanText(*s.loan);
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace intake::station
