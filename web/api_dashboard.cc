// The dashboard routes (web/routes.h) and the figures behind them (web/dashboard.h).
#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/cpr_mask.h"
#include "base/danish_ids.h"
#include "base/working_days.h"
#include "station/batch_plan.h"
#include "station/title_check.h"
#include "web/dashboard.h"
#include "web/routes.h"

namespace intake::web {
namespace {

using nlohmann::json;

std::string IsoDay(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::chrono::year_month_day AddDays(std::chrono::year_month_day d, int days) {
  return std::chrono::year_month_day(std::chrono::sys_days(d) + std::chrono::days(days));
}

// Danish headings of the title findings, in the order of station::TitleRule.
constexpr std::array<station::TitleRule, 10> kRules = {
    station::TitleRule::kTooShort,   station::TitleRule::kTooLong,
    station::TitleRule::kVague,      station::TitleRule::kNoWords,
    station::TitleRule::kFileName,   station::TitleRule::kHomeMadeAbbreviation,
    station::TitleRule::kMissingDot, station::TitleRule::kChatShorthand,
    station::TitleRule::kCprNumber,  station::TitleRule::kDescriptionRequired};

std::string RuleDanish(station::TitleRule rule) {
  switch (rule) {
    case station::TitleRule::kTooShort:
      return "For kort";
    case station::TitleRule::kTooLong:
      return "For lang";
    case station::TitleRule::kVague:
      return "Intetsigende titel";
    case station::TitleRule::kNoWords:
      return "Ingen ord";
    case station::TitleRule::kFileName:
      return "Filnavn som titel";
    case station::TitleRule::kHomeMadeAbbreviation:
      return "Hjemmelavet forkortelse";
    case station::TitleRule::kMissingDot:
      return "Forkortelse uden punktum";
    case station::TitleRule::kChatShorthand:
      return "Chatsprog";
    case station::TitleRule::kCprNumber:
      return "CPR-nummer i titlen";
    case station::TitleRule::kDescriptionRequired:
      return "Beskrivelse mangler";
  }
  return "";
}

// Batches in the spool with documents not yet journalised, by working days waited.
Result<json> WaitingJson(StationState& state, std::chrono::year_month_day today) {
  if (!state.spool) return json{{"batches", 0}, {"by_age", json::array()}};
  INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> ids, state.spool->ListBatches());
  struct Age {
    int batches = 0;
    int documents = 0;
    int pages = 0;
  };
  std::map<int, Age> ages;
  json late = json::array();
  int batches = 0, documents = 0, late_batches = 0, late_documents = 0, unreadable = 0;
  for (const std::string& id : ids) {
    Result<storage::BatchRecord> record = state.spool->Load(id);
    if (!record) {
      ++unreadable;
      continue;
    }
    Result<station::BatchPlan> plan = station::LoadPlan(state.spool->BatchDir(id));
    int open = 0;
    if (plan) {
      for (const station::PlanDocument& d : plan->documents) open += d.journal_document_id ? 0 : 1;
      if (open == 0 && !plan->documents.empty()) continue;  // all journalised
    }
    const auto received = ParseIsoDay(record->info.received_date);
    const int waiting = received.ok() ? WorkingDaysBetween(received, today) : 0;
    Age& age = ages[waiting];
    ++age.batches;
    age.documents += open;
    age.pages += static_cast<int>(record->pages.size());
    ++batches;
    documents += open;
    if (waiting > kMaxWaitingWorkingDays) {
      ++late_batches;
      late_documents += open;
      late.push_back({{"batch", id},
                      {"name", MaskCpr(record->info.name)},
                      {"received_date", record->info.received_date},
                      {"working_days", waiting},
                      {"documents_open", plan ? open : -1},
                      {"pages", record->pages.size()}});
    }
  }
  std::stable_sort(late.begin(), late.end(), [](const json& a, const json& b) {
    return a["working_days"].get<int>() > b["working_days"].get<int>();
  });
  json by_age = json::array();
  for (const auto& [days, age] : ages) {
    by_age.push_back({{"working_days", days},
                      {"batches", age.batches},
                      {"documents", age.documents},
                      {"pages", age.pages},
                      {"late", days > kMaxWaitingWorkingDays}});
  }
  return json{{"max_working_days", kMaxWaitingWorkingDays},
              {"batches", batches},
              {"documents", documents},
              {"late_batches", late_batches},
              {"late_documents", late_documents},
              {"unreadable_batches", unreadable},
              {"by_age", by_age},
              {"late", late}};
}

// "SBSYS 27.24.00-G01-5-19", or "" when the case cannot be read.
std::string CaseName(storage::Journal& journal, const storage::Viewer& viewer, int64_t case_id,
                     std::map<int64_t, std::string>& cache) {
  auto it = cache.find(case_id);
  if (it != cache.end()) return it->second;
  Result<storage::CaseRecord> c = journal.GetCase(case_id, viewer);
  std::string name = c ? c->system + " " + c->reference : "";
  cache.emplace(case_id, name);
  return name;
}

Result<json> TitlesJson(StationState& state, const storage::Viewer& viewer,
                        const DashboardOptions& options, const std::string& since,
                        std::map<int64_t, std::string>& cases) {
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::DocumentRecord> docs,
                          state.journal->JournalisedSince(since, viewer));
  std::map<station::TitleRule, int> counts;
  std::map<station::TitleRule, json> examples;
  int flagged = 0;
  // Newest first, so the examples are the latest.
  for (auto it = docs.rbegin(); it != docs.rend(); ++it) {
    station::TitleContext context;
    context.description = it->description.value_or("");
    const station::TitleCheck check = station::CheckTitle(it->title, state.config.titles, context);
    if (check.problems.empty()) continue;
    ++flagged;
    std::set<station::TitleRule> seen;
    for (const station::TitleProblem& p : check.problems) {
      if (!seen.insert(p.rule).second) continue;
      ++counts[p.rule];
      json& list = examples[p.rule];
      if (list.is_null()) list = json::array();
      if (static_cast<int>(list.size()) < options.examples) {
        list.push_back({{"document_id", it->id},
                        {"case", CaseName(*state.journal, viewer, it->case_id, cases)},
                        {"number", it->doc_number},
                        {"title", MaskCpr(it->title)},
                        {"journal_date", it->journal_date},
                        {"message", MaskCpr(p.message)}});
      }
    }
  }
  json findings = json::array();
  for (station::TitleRule rule : kRules) {
    auto c = counts.find(rule);
    if (c == counts.end()) continue;
    findings.push_back({{"rule", std::string(station::TitleRuleName(rule))},
                        {"label", RuleDanish(rule)},
                        {"documents", c->second},
                        {"examples", examples[rule]}});
  }
  std::stable_sort(findings.begin(), findings.end(), [](const json& a, const json& b) {
    return a["documents"].get<int>() > b["documents"].get<int>();
  });
  return json{{"checked", docs.size()}, {"flagged", flagged}, {"findings", findings}};
}

Result<json> RefilingsJson(StationState& state, const storage::Viewer& viewer,
                           const DashboardOptions& options, const std::string& since,
                           std::map<int64_t, std::string>& cases) {
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::DocumentMove> moves,
                          state.journal->MovesSince(since));
  json latest = json::array();
  std::map<std::string, int> per_actor;
  int count = 0;
  for (const storage::DocumentMove& m : moves) {
    const std::string from = CaseName(*state.journal, viewer, m.from_case_id, cases);
    const std::string to = CaseName(*state.journal, viewer, m.to_case_id, cases);
    if (from.empty() || to.empty()) continue;  // a case the viewer may not read
    ++count;
    ++per_actor[m.actor];
    if (static_cast<int>(latest.size()) < options.latest_moves) {
      latest.push_back({{"document_id", m.document_id},
                        {"from_case", from},
                        {"from_number", m.from_doc_number},
                        {"to_case", to},
                        {"to_number", m.to_doc_number},
                        {"reason", MaskCpr(m.reason)},
                        {"actor", m.actor},
                        {"time", m.time}});
    }
  }
  json by_actor = json::array();
  for (const auto& [actor, n] : per_actor) by_actor.push_back({{"actor", actor}, {"count", n}});
  return json{{"count", count}, {"by_actor", by_actor}, {"latest", latest}};
}

Result<json> ThroughputJson(StationState& state, const DashboardOptions& options,
                            const std::string& since) {
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::ActorDayCount> rows,
                          state.journal->JournalisedPerActorDay(since));
  std::vector<std::string> days;
  std::map<std::string, size_t> day_index;
  for (int i = options.days - 1; i >= 0; --i) {
    days.push_back(IsoDay(AddDays(options.today, -i)));
    day_index[days.back()] = days.size() - 1;
  }
  std::map<std::string, std::vector<int64_t>> per_actor;
  std::vector<int64_t> per_day(days.size(), 0);
  int64_t total = 0;
  for (const storage::ActorDayCount& r : rows) {
    auto d = day_index.find(r.day);
    if (d == day_index.end()) continue;
    std::vector<int64_t>& counts = per_actor[r.actor];
    if (counts.empty()) counts.assign(days.size(), 0);
    counts[d->second] += r.documents;
    per_day[d->second] += r.documents;
    total += r.documents;
  }
  json operators = json::array();
  for (const auto& [actor, counts] : per_actor) {
    int64_t sum = 0;
    for (int64_t c : counts) sum += c;
    operators.push_back({{"actor", actor}, {"total", sum}, {"per_day", counts}});
  }
  std::stable_sort(operators.begin(), operators.end(), [](const json& a, const json& b) {
    return a["total"].get<int64_t>() > b["total"].get<int64_t>();
  });
  return json{{"days", days}, {"per_day", per_day}, {"total", total}, {"operators", operators}};
}

}  // namespace

Result<json> DashboardJson(StationState& state, const storage::Viewer& viewer,
                           const DashboardOptions& options) {
  // One day more than the period, in UTC: the local days are cut out of it.
  const std::string since = IsoDay(AddDays(options.today, -options.days)) + "T00:00:00Z";
  const std::string first_day = IsoDay(AddDays(options.today, -(options.days - 1)));
  std::map<int64_t, std::string> cases;
  INTAKE_ASSIGN_OR_RETURN(json waiting, WaitingJson(state, options.today));
  INTAKE_ASSIGN_OR_RETURN(json titles, TitlesJson(state, viewer, options, first_day, cases));
  INTAKE_ASSIGN_OR_RETURN(json refilings, RefilingsJson(state, viewer, options, first_day, cases));
  INTAKE_ASSIGN_OR_RETURN(json throughput, ThroughputJson(state, options, since));
  return json{{"today", IsoDay(options.today)},
              {"days", options.days},
              {"from", first_day},
              {"waiting", waiting},
              {"titles", titles},
              {"refilings", refilings},
              {"throughput", throughput}};
}

void AddDashboardRoutes(Router& router, StationState& state) {
  router.Add(Route{
      Method::kGet,
      "/api/dashboard",
      {storage::Role::kManager},
      false,
      false,
      "Ledelsens overblik: batches der venter efter alder i arbejdsdage, titelkvalitet, "
      "omjournaliseringer og gennemløb pr. operatør (?dage=1..366, standard 30)",
      [&state](const ApiRequest& req) -> Result<ApiReply> {
        DashboardOptions options;
        options.today = LocalToday();
        const std::string days = req.Query("dage");
        if (!days.empty()) {
          INTAKE_ASSIGN_OR_RETURN(const int64_t n, ParseId(days, "dage"));
          if (n > 366) {
            return Error(ErrorCode::kInvalidArgument,
                         "dage skal være et helt tal fra 1 til 366, ikke " + days);
          }
          options.days = static_cast<int>(n);
        }
        INTAKE_ASSIGN_OR_RETURN(json figures, DashboardJson(state, req.principal->viewer, options));
        return ApiReply::Json(figures);
      }});
}

}  // namespace intake::web
