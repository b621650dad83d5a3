#include "station/journal_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "base/cpr_mask.h"

namespace intake::station {
namespace {

std::string OsUserName() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "uid-" + std::to_string(::geteuid());
}

std::vector<std::string> OsGroupNames(const std::string& user) {
  std::vector<std::string> names;
  const passwd* pw = ::getpwuid(::geteuid());
  const gid_t primary = pw != nullptr ? pw->pw_gid : ::getegid();
  int count = 64;
  std::vector<gid_t> groups(static_cast<size_t>(count));
  if (::getgrouplist(user.c_str(), primary, groups.data(), &count) < 0) {
    groups.resize(static_cast<size_t>(count));
    if (::getgrouplist(user.c_str(), primary, groups.data(), &count) < 0) count = 0;
  }
  groups.resize(static_cast<size_t>(count));
  for (gid_t gid : groups) {
    if (const group* g = ::getgrgid(gid); g != nullptr && g->gr_name != nullptr) {
      names.emplace_back(g->gr_name);
    }
  }
  return names;
}

nlohmann::json Opt(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

}  // namespace

storage::JournalOptions JournalOptionsFor(const config::Config& config) {
  storage::JournalOptions o;
  o.database_path = config.journal.database;
  o.file_store_dir = config.journal.file_store;
  o.busy_timeout_ms = config.journal.busy_timeout_ms;
  o.key_file = config.station.data_dir + "/keys/party.key";
  o.destruction.document_types = config.archive.destruction_types;
  o.anchor_file = config.station.data_dir + "/audit.anchor";
  return o;
}

Result<JournalSession> OpenJournalSession(CommandContext& ctx) {
  INTAKE_ASSIGN_OR_RETURN(config::Config cfg, ctx.LoadConfig());
  if (cfg.journal.backend != "sqlite") {
    return Error(ErrorCode::kInvalidArgument, "journal.backend = \"" + cfg.journal.backend +
                                                  "\" understøttes ikke; brug \"sqlite\"");
  }
  JournalSession session;
  const std::string os_user = OsUserName();
  session.actor.name = ctx.actor.empty() ? os_user : ctx.actor;
  if (session.actor.name.find_first_not_of(" \t") == std::string::npos ||
      ContainsCprLike(session.actor.name)) {
    return Error(ErrorCode::kInvalidArgument,
                 "--actor skal være et bruger- eller operatørnavn (ikke tomt, intet CPR-nummer)");
  }
  session.viewer.user = os_user;
  session.viewer.groups = OsGroupNames(os_user);
  session.viewer.all_access = ::geteuid() == 0;
  INTAKE_ASSIGN_OR_RETURN(session.journal, storage::OpenSqliteJournal(JournalOptionsFor(cfg)));
  for (const std::string& moved : session.journal->SweepAtOpen().moved) {
    ctx.err << "advarsel: fil uden journalpost flyttet i dokumentlageret: " << moved << "\n";
  }
  session.config = std::move(cfg);
  return session;
}

nlohmann::json UserToJson(const storage::UserRecord& u) {
  return nlohmann::json{{"id", u.id},
                        {"username", u.username},
                        {"display_name", u.display_name},
                        {"role", std::string(storage::RoleName(u.role))},
                        {"role_danish", std::string(storage::RoleDanish(u.role))},
                        {"groups", u.groups},
                        {"disabled", u.disabled},
                        {"created", u.created},
                        {"password_changed", u.password_changed}};
}

nlohmann::json CaseToJson(const storage::CaseRecord& c) {
  return nlohmann::json{{"id", c.id},
                        {"system", c.system},
                        {"reference", c.reference},
                        {"title", c.title},
                        {"status", std::string(storage::CaseStatusName(c.status))},
                        {"kle_subject", Opt(c.kle_subject)},
                        {"kle_facet", Opt(c.kle_facet)},
                        {"caseworker", Opt(c.caseworker)},
                        {"unit", Opt(c.unit)},
                        {"restricted", c.restricted},
                        {"access_group", Opt(c.access_group)},
                        {"created", c.created}};
}

nlohmann::json PartyToJson(const storage::CaseParty& p) {
  return nlohmann::json{{"id", p.party.id},
                        {"kind", std::string(storage::PartyKindName(p.party.kind))},
                        {"name", p.party.name},
                        {"number_masked", Opt(p.party.masked_number)},
                        {"role", p.role}};
}

nlohmann::json LoanToJson(const storage::Loan& l) {
  auto id = [](const std::optional<int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  return {{"event_id", l.event_id},
          {"document_id", id(l.document_id)},
          {"location_id", id(l.location_id)},
          {"subject", l.subject},
          {"borrower", l.borrower},
          {"due_date", l.due_date},
          {"since", l.since},
          {"actor", l.actor}};
}

nlohmann::json WhereaboutsToJson(const storage::Whereabouts& w) {
  nlohmann::json path = nlohmann::json::array();
  for (const storage::LocationRecord& l : w.path) {
    path.push_back({{"id", l.id},
                    {"kind", std::string(storage::LocationKindName(l.kind))},
                    {"barcode", l.barcode},
                    {"name", l.name}});
  }
  return {{"document_id", w.document_id},
          {"disposition",
           w.disposition ? nlohmann::json(std::string(storage::DispositionName(*w.disposition)))
                         : nlohmann::json(nullptr)},
          {"state", std::string(storage::WhereaboutsStateName(w.state))},
          {"description", w.Describe()},
          {"path_text", w.PathText()},
          {"path", std::move(path)},
          {"loan", w.loan ? LoanToJson(*w.loan) : nlohmann::json(nullptr)},
          {"approval_ref", Opt(w.approval_ref)},
          {"approval_date", Opt(w.approval_date)},
          {"since", Opt(w.since)}};
}

nlohmann::json DocumentToJson(const storage::DocumentRecord& d, bool full) {
  nlohmann::json j{{"id", d.id},
                   {"case_id", d.case_id},
                   {"doc_number", d.doc_number},
                   {"title", d.title},
                   {"description", Opt(d.description)},
                   {"direction", std::string(storage::DirectionName(d.direction))},
                   {"doc_type", Opt(d.doc_type)},
                   {"letter_date", Opt(d.letter_date)},
                   {"received_date", Opt(d.received_date)},
                   {"journal_date", d.journal_date},
                   {"state", d.state},
                   {"batch_id", Opt(d.batch_id)},
                   {"page_count", d.page_count},
                   {"pdf_sha256", d.pdf_sha256}};
  if (full) {
    nlohmann::json pages = nlohmann::json::array();
    for (const auto& p : d.pages) {
      nlohmann::json page{{"page_no", p.page_no},
                          {"batch_seq", p.batch_seq ? nlohmann::json(*p.batch_seq) : nullptr},
                          {"blank", p.blank},
                          {"orientation", p.orientation},
                          {"skew", p.skew},
                          {"confidence", p.confidence ? nlohmann::json(*p.confidence) : nullptr}};
      page["analysis"] = p.analysis_json.empty()
                             ? nlohmann::json(nullptr)
                             : nlohmann::json::parse(p.analysis_json, nullptr, false);
      pages.push_back(std::move(page));
    }
    j["pages"] = std::move(pages);
    j["ocr_text"] = d.ocr_text;
  }
  return j;
}

}  // namespace intake::station
