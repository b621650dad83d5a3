#include "station/batch_json.h"

#include "base/working_days.h"
#include "station/batch_plan.h"
#include "station/thumbnails.h"

namespace intake::station {

using nlohmann::json;

std::string WaitingText(int days) {
  if (days <= 0) return "modtaget i dag eller i går";
  return "venter " + std::to_string(days) + (days == 1 ? " arbejdsdag" : " arbejdsdage");
}

namespace {

json CandidateJson(const CaseChoice& c) {
  return {{"case_id", c.case_id}, {"system", c.system}, {"reference", c.reference},
          {"title", c.title},     {"status", c.status}, {"confidence", c.confidence},
          {"reasons", c.reasons}};
}

}  // namespace

json BatchJson(const storage::PageSpool& spool, const PreparedBatch& b) {
  json pages = json::array();
  for (const storage::SpooledPage& sp : b.record.pages) {
    const PlanPage* p = b.plan.FindPage(sp.seq);
    json page = {{"seq", sp.seq},
                 {"sheet", sp.sheet},
                 {"side", sp.side},
                 {"file", spool.PathOf(b.record.id, sp.file)}};
    if (p != nullptr) {
      page["role"] = PageRoleName(p->role);
      page["blank"] = p->blank;
      page["failed"] = p->failed;
      page["rotation"] = p->rotation;
      if (p->role == PageRole::kRemoved) page["removed_reason"] = p->removed_reason;
      Result<std::string> thumb = EnsureThumbnail(spool, b.record.id, sp, b.Turn(sp.seq));
      page["thumbnail"] = thumb ? json(*thumb) : json(nullptr);
      if (!thumb) page["thumbnail_error"] = thumb.error().message();
    }
    pages.push_back(std::move(page));
  }
  json documents = json::array();
  for (const PlanDocument& d : b.plan.documents) {
    json candidates = json::array();
    for (const CaseChoice& c : d.candidates) candidates.push_back(CandidateJson(c));
    json proposed = nullptr;
    for (const CaseChoice& c : d.candidates) {
      if (d.proposed_case_id && c.case_id == *d.proposed_case_id) proposed = CandidateJson(c);
    }
    documents.push_back(
        {{"number", d.number},
         {"id", b.record.id + ":" + std::to_string(d.number)},
         {"pages", d.pages},
         {"text_pages", b.plan.TextPages(d)},
         {"start_reason", d.start_reason},
         {"cover", d.cover_reference.empty() ? json(nullptr)
                                             : json{{"system", d.cover_system},
                                                    {"reference", d.cover_reference},
                                                    {"doc_type", d.cover_doc_type}}},
         {"candidates", candidates},
         {"proposed_case", proposed},
         {"suggested_title", d.suggested_title},
         {"title_problems", d.title_problems},
         {"doc_type", d.doc_type},
         {"sender", d.sender},
         {"letter_date", d.letter_date ? json(*d.letter_date) : json(nullptr)},
         {"party_blocked", d.party_blocked},
         {"party_messages", d.party_messages},
         {"warnings",
          [&] {
            std::vector<std::string> all = d.warnings;
            all.insert(all.end(), d.case_warnings.begin(), d.case_warnings.end());
            return all;
          }()},
         {"journal", d.journal_document_id ? json{{"document_id", *d.journal_document_id},
                                                  {"case_id", d.journal_case_id.value_or(0)},
                                                  {"title", d.journal_title}}
                                           : json(nullptr)}});
  }
  json history = json::array();
  for (const PlanEdit& e : b.plan.history) {
    history.push_back(
        {{"time", e.time}, {"actor", e.actor}, {"action", e.action}, {"detail", e.detail}});
  }
  json warnings = json::array();
  if (b.documents_open > 0 && b.waiting_working_days > kMaxWaitingWorkingDays) {
    warnings.push_back("batchen har ventet " + std::to_string(b.waiting_working_days) +
                       " arbejdsdage siden modtagelsen; post skal journaliseres senest "
                       "arbejdsdagen efter");
  }
  for (const std::string& p : b.record.problems) warnings.push_back(p);
  return {{"batch", b.record.id},
          {"name", b.record.info.name},
          {"channel", b.record.info.channel},
          {"operator", b.record.info.operator_name},
          {"received_date", b.record.info.received_date},
          {"created", b.record.created},
          {"waiting_working_days", b.waiting_working_days},
          {"documents_open", b.documents_open},
          {"pages", pages},
          {"documents", documents},
          {"warnings", warnings},
          {"history", history}};
}

std::optional<json> BatchListEntry(const storage::PageSpool& spool, const std::string& id,
                                   bool all) {
  auto record = spool.Load(id);
  if (!record) return json{{"batch", id}, {"error", record.error().message()}};
  auto plan = LoadPlan(spool.BatchDir(id));
  int documents = 0, open = 0;
  if (plan) {
    documents = static_cast<int>(plan->documents.size());
    for (const PlanDocument& d : plan->documents) open += d.journal_document_id ? 0 : 1;
  }
  if (!all && plan && open == 0 && documents > 0) return std::nullopt;
  const auto received = ParseIsoDay(record->info.received_date);
  const int waiting = received.ok() ? WorkingDaysBetween(received, LocalToday()) : 0;
  const bool late = (!plan || open > 0) && waiting > kMaxWaitingWorkingDays;
  return json{{"batch", id},
              {"name", record->info.name},
              {"received_date", record->info.received_date},
              {"pages", record->pages.size()},
              {"proposed", static_cast<bool>(plan)},
              {"documents", documents},
              {"documents_open", plan ? open : -1},
              {"waiting_working_days", waiting},
              {"late", late}};
}

}  // namespace intake::station
