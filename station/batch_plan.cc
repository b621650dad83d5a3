#include "station/batch_plan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

#include "base/atomic_file.h"
#include "base/danish_case.h"
#include "base/danish_date.h"
#include "base/working_days.h"

namespace intake::station {
namespace {

using nlohmann::json;

// The first `count` non-empty lines of a page's text.
std::vector<std::string> FirstLines(std::string_view text, size_t count) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size() && lines.size() < count) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool StartsWithWord(const std::string& lower_line, std::string_view word) {
  const size_t first = lower_line.find_first_not_of(" \t");
  if (first == std::string::npos) return false;
  return lower_line.compare(first, word.size(), word) == 0;
}

std::string Lower(std::string_view text) { return LowerDanish(text); }

}  // namespace

std::string_view PageRoleName(PageRole role) {
  switch (role) {
    case PageRole::kDocument: return "document";
    case PageRole::kSeparator: return "separator";
    case PageRole::kCover: return "cover";
    case PageRole::kRemoved: return "removed";
  }
  return "document";
}

namespace {
std::optional<PageRole> ParsePageRole(std::string_view name) {
  for (PageRole r : {PageRole::kDocument, PageRole::kSeparator, PageRole::kCover,
                     PageRole::kRemoved}) {
    if (PageRoleName(r) == name) return r;
  }
  return std::nullopt;
}
}  // namespace

std::string NowIsoUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::pair<int, int>> PrintedPageNumber(std::string_view text) {
  // "Side 2 af 3", "side 2/3", "Side 2 (3)"; OCR may drop the space.
  static const std::regex kPage(R"((?:^|[^A-Za-z])[Ss]ide\s*(\d{1,2})\s*(?:af|/|\()\s*(\d{1,2}))");
  std::cmatch m;
  const std::string copy(text);
  if (!std::regex_search(copy.c_str(), m, kPage)) return std::nullopt;
  const int k = std::stoi(m[1].str());
  const int n = std::stoi(m[2].str());
  if (k < 1 || n < 1 || k > n) return std::nullopt;
  return std::make_pair(k, n);
}

std::optional<std::string> LetterStartReason(std::string_view text) {
  if (auto number = PrintedPageNumber(text)) {
    if (number->first == 1) return "sidenummer »Side 1 af " + std::to_string(number->second) + "«";
    return std::nullopt;
  }
  const std::vector<std::string> lines = FirstLines(text, 18);
  bool date = false;
  bool subject = false;
  bool salutation = false;
  DateOptions options;
  options.reference = LocalToday();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string lower = Lower(lines[i]);
    if (i < 14 && !FindDates(lines[i], options).empty()) date = true;
    for (std::string_view marker : {"vedr.", "vedr:", "vedrørende", "ang.", "angående", "emne:",
                                    "om:"}) {
      if (StartsWithWord(lower, marker)) subject = true;
    }
    for (std::string_view greeting : {"kære ", "til ", "att.", "hej "}) {
      if (StartsWithWord(lower, greeting)) salutation = true;
    }
  }
  if (date && subject) return "brevhoved med dato og emnelinje";
  if (date && salutation) return "brevhoved med dato og hilsen";
  return std::nullopt;
}

const PlanPage* BatchPlan::FindPage(int seq) const {
  for (const PlanPage& p : pages) {
    if (p.seq == seq) return &p;
  }
  return nullptr;
}

PlanPage* BatchPlan::FindPage(int seq) {
  return const_cast<PlanPage*>(static_cast<const BatchPlan*>(this)->FindPage(seq));
}

const PlanDocument* BatchPlan::FindDocument(int number) const {
  for (const PlanDocument& d : documents) {
    if (d.number == number) return &d;
  }
  return nullptr;
}

PlanDocument* BatchPlan::FindDocument(int number) {
  return const_cast<PlanDocument*>(static_cast<const BatchPlan*>(this)->FindDocument(number));
}

PlanDocument* BatchPlan::DocumentOfPage(int seq) {
  for (PlanDocument& d : documents) {
    if (std::find(d.pages.begin(), d.pages.end(), seq) != d.pages.end()) return &d;
  }
  return nullptr;
}

int BatchPlan::TextPages(const PlanDocument& doc) const {
  int n = 0;
  for (int seq : doc.pages) {
    const PlanPage* p = FindPage(seq);
    if (p != nullptr && !p->blank) ++n;
  }
  return n;
}

BatchPlan ProposeSplit(const std::string& batch_id, const std::vector<PageFacts>& pages) {
  BatchPlan plan;
  plan.batch_id = batch_id;
  PlanDocument* current = nullptr;
  // After a sheet, blank pages are the sheet's back until the first non-blank page.
  std::optional<PageRole> sheet_back;
  // Blank pages before any document (a batch starting with a blank back).
  std::vector<int> pending_blanks;
  auto start_document = [&](std::string reason) {
    PlanDocument doc;
    doc.number = static_cast<int>(plan.documents.size()) + 1;
    doc.start_reason = std::move(reason);
    doc.pages = std::move(pending_blanks);
    pending_blanks.clear();
    plan.documents.push_back(std::move(doc));
    current = &plan.documents.back();
  };
  bool current_has_text = false;

  for (const PageFacts& f : pages) {
    PlanPage page;
    page.seq = f.seq;
    page.blank = f.blank;
    page.failed = f.failed;
    if (f.sheet_kind == PageFacts::Sheet::kSeparator) {
      page.role = PageRole::kSeparator;
      plan.pages.push_back(page);
      current = nullptr;
      sheet_back = PageRole::kSeparator;
      continue;
    }
    if (f.sheet_kind == PageFacts::Sheet::kCover) {
      page.role = PageRole::kCover;
      plan.pages.push_back(page);
      start_document("forside for sag " + f.cover_reference);
      current->cover_system = f.cover_system;
      current->cover_reference = f.cover_reference;
      current->cover_doc_type = f.cover_doc_type;
      current_has_text = false;
      sheet_back = PageRole::kCover;
      continue;
    }
    if (f.blank && !f.failed) {
      if (sheet_back) {
        page.role = *sheet_back;  // the back of the sheet
        plan.pages.push_back(page);
        continue;
      }
      plan.pages.push_back(page);
      if (current != nullptr) {
        current->pages.push_back(f.seq);
      } else {
        pending_blanks.push_back(f.seq);
      }
      continue;
    }
    sheet_back.reset();
    plan.pages.push_back(page);
    if (current == nullptr) {
      start_document(plan.documents.empty() ? "første side i batchen" : "efter skilleark");
      current_has_text = false;
    } else if (current_has_text && !f.failed) {
      if (std::optional<std::string> reason = LetterStartReason(f.text)) {
        start_document("nyt brev: " + *reason);
        current_has_text = false;
      }
    }
    current->pages.push_back(f.seq);
    if (!f.failed) current_has_text = true;
    if (f.failed) {
      current->warnings.push_back("side " + std::to_string(f.seq) +
                                  " kunne ikke behandles; kontrollér den før journalisering");
    }
  }
  // Blank pages with no document at all (a batch of blank pages) stay as pages of a
  // document of their own, flagged, rather than disappear.
  if (!pending_blanks.empty()) {
    start_document("kun blanke sider");
    current->warnings.push_back("dokumentet består kun af blanke sider");
  }
  return plan;
}

void Renumber(BatchPlan& plan) {
  plan.documents.erase(std::remove_if(plan.documents.begin(), plan.documents.end(),
                                      [](const PlanDocument& d) { return d.pages.empty(); }),
                       plan.documents.end());
  for (size_t i = 0; i < plan.documents.size(); ++i) {
    plan.documents[i].number = static_cast<int>(i) + 1;
  }
}

namespace {

Error NoDocument(int doc) {
  return Error(ErrorCode::kNotFound, "dokument " + std::to_string(doc) +
                                         " findes ikke i batchen; se 'station batch show'");
}

Error NoPage(int seq) {
  return Error(ErrorCode::kNotFound,
               "side " + std::to_string(seq) + " findes ikke i batchen; se 'station batch show'");
}

Error Journalised(const PlanDocument& d) {
  return Error(ErrorCode::kFailedPrecondition,
               "dokument " + std::to_string(d.number) +
                   " er allerede journaliseret og kan ikke ændres; brug 'station refile' for "
                   "at flytte det");
}

void Record(BatchPlan& plan, const std::string& actor, std::string action, std::string detail) {
  plan.history.push_back({NowIsoUtc(), actor, std::move(action), std::move(detail)});
}

// Clears what the proposer derived, so that it is proposed again for the new pages.
void Invalidate(PlanDocument& d) {
  d.candidates.clear();
  d.proposed_case_id.reset();
  d.suggested_title.clear();
  d.title_problems.clear();
  d.party_blocked = false;
  d.party_messages.clear();
  d.party_refs.clear();
  d.case_warnings.clear();
}

}  // namespace

Status SplitBefore(BatchPlan& plan, int doc, int seq, const std::string& actor) {
  PlanDocument* d = plan.FindDocument(doc);
  if (d == nullptr) return NoDocument(doc);
  if (d->journal_document_id) return Journalised(*d);
  auto at = std::find(d->pages.begin(), d->pages.end(), seq);
  if (at == d->pages.end()) {
    return Error(ErrorCode::kInvalidArgument, "side " + std::to_string(seq) +
                                                  " hører ikke til dokument " +
                                                  std::to_string(doc));
  }
  if (at == d->pages.begin()) {
    return Error(ErrorCode::kInvalidArgument,
                 "side " + std::to_string(seq) + " er allerede første side i dokument " +
                     std::to_string(doc));
  }
  PlanDocument tail;
  tail.pages.assign(at, d->pages.end());
  tail.start_reason = "delt af " + actor;
  d->pages.erase(at, d->pages.end());
  Invalidate(*d);
  const size_t index = static_cast<size_t>(d - plan.documents.data());
  plan.documents.insert(plan.documents.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                        std::move(tail));
  Renumber(plan);
  Record(plan, actor, "split",
         "dokument " + std::to_string(doc) + " delt før side " + std::to_string(seq));
  return OkStatus();
}

Status MergeWithNext(BatchPlan& plan, int doc, const std::string& actor) {
  PlanDocument* d = plan.FindDocument(doc);
  if (d == nullptr) return NoDocument(doc);
  PlanDocument* next = plan.FindDocument(doc + 1);
  if (next == nullptr) {
    return Error(ErrorCode::kInvalidArgument,
                 "dokument " + std::to_string(doc) + " er det sidste; der er intet at lægge "
                                                     "sammen med");
  }
  if (d->journal_document_id) return Journalised(*d);
  if (next->journal_document_id) return Journalised(*next);
  d->pages.insert(d->pages.end(), next->pages.begin(), next->pages.end());
  d->warnings.insert(d->warnings.end(), next->warnings.begin(), next->warnings.end());
  next->pages.clear();
  Invalidate(*d);
  Renumber(plan);
  Record(plan, actor, "merge",
         "dokument " + std::to_string(doc) + " og " + std::to_string(doc + 1) + " lagt sammen");
  return OkStatus();
}

Status MovePage(BatchPlan& plan, int seq, int to_doc, int position, const std::string& actor) {
  if (plan.FindPage(seq) == nullptr) return NoPage(seq);
  PlanDocument* target = plan.FindDocument(to_doc);
  if (target == nullptr) return NoDocument(to_doc);
  if (target->journal_document_id) return Journalised(*target);
  PlanDocument* from = plan.DocumentOfPage(seq);
  if (from == nullptr) {
    return Error(ErrorCode::kInvalidArgument,
                 "side " + std::to_string(seq) +
                     " er ikke en side i et dokument (skilleark, forside eller fjernet); brug "
                     "'station batch restore' for en fjernet side");
  }
  if (from->journal_document_id) return Journalised(*from);
  if (position < 0 ||
      position > static_cast<int>(target->pages.size()) + (from == target ? 0 : 1)) {
    return Error(ErrorCode::kInvalidArgument,
                 "position " + std::to_string(position) + " findes ikke i dokument " +
                     std::to_string(to_doc) + " (1 til " +
                     std::to_string(target->pages.size() + 1) + ", 0 for sidst)");
  }
  from->pages.erase(std::find(from->pages.begin(), from->pages.end(), seq));
  const auto insert_at = position == 0 || position > static_cast<int>(target->pages.size())
                             ? target->pages.end()
                             : target->pages.begin() + (position - 1);
  target->pages.insert(insert_at, seq);
  Invalidate(*from);
  Invalidate(*target);
  Record(plan, actor, "move",
         "side " + std::to_string(seq) + " flyttet til dokument " + std::to_string(to_doc));
  Renumber(plan);
  return OkStatus();
}

Status RotatePage(BatchPlan& plan, int seq, int degrees, const std::string& actor) {
  PlanPage* page = plan.FindPage(seq);
  if (page == nullptr) return NoPage(seq);
  if (degrees != 90 && degrees != 180 && degrees != 270) {
    return Error(ErrorCode::kInvalidArgument,
                 "en side kan drejes 90, 180 eller 270 grader, ikke " + std::to_string(degrees));
  }
  if (PlanDocument* d = plan.DocumentOfPage(seq); d != nullptr && d->journal_document_id) {
    return Journalised(*d);
  }
  page->rotation = (page->rotation + degrees) % 360;
  Record(plan, actor, "rotate",
         "side " + std::to_string(seq) + " drejet " + std::to_string(degrees) + " grader");
  return OkStatus();
}

Status RemovePage(BatchPlan& plan, int seq, const std::string& reason, const std::string& actor) {
  PlanPage* page = plan.FindPage(seq);
  if (page == nullptr) return NoPage(seq);
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "en side fjernes kun med en begrundelse (--reason), fx \"dobbeltscannet\"");
  }
  if (page->role == PageRole::kRemoved) {
    return Error(ErrorCode::kFailedPrecondition,
                 "side " + std::to_string(seq) + " er allerede fjernet");
  }
  PlanDocument* d = plan.DocumentOfPage(seq);
  if (d != nullptr) {
    if (d->journal_document_id) return Journalised(*d);
    d->pages.erase(std::find(d->pages.begin(), d->pages.end(), seq));
    Invalidate(*d);
  }
  page->role = PageRole::kRemoved;
  page->removed_reason = reason;
  Renumber(plan);
  Record(plan, actor, "remove", "side " + std::to_string(seq) + " fjernet: " + reason);
  return OkStatus();
}

Status RestorePage(BatchPlan& plan, int seq, int to_doc, const std::string& actor) {
  PlanPage* page = plan.FindPage(seq);
  if (page == nullptr) return NoPage(seq);
  if (page->role != PageRole::kRemoved) {
    return Error(ErrorCode::kFailedPrecondition,
                 "side " + std::to_string(seq) + " er ikke fjernet");
  }
  PlanDocument* target = plan.FindDocument(to_doc);
  if (target == nullptr) return NoDocument(to_doc);
  if (target->journal_document_id) return Journalised(*target);
  target->pages.push_back(seq);
  page->role = PageRole::kDocument;
  page->removed_reason.clear();
  Invalidate(*target);
  Record(plan, actor, "restore",
         "side " + std::to_string(seq) + " lagt tilbage i dokument " + std::to_string(to_doc));
  return OkStatus();
}

// ---- JSON ----

namespace {

json CaseChoiceJson(const CaseChoice& c) {
  return {{"case_id", c.case_id},     {"system", c.system},
          {"reference", c.reference}, {"title", c.title},
          {"status", c.status},       {"confidence", c.confidence},
          {"reasons", c.reasons}};
}

template <typename T>
json Optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

std::string PlanToJson(const BatchPlan& plan) {
  json pages = json::array();
  for (const PlanPage& p : plan.pages) {
    json page = {{"seq", p.seq},
                 {"role", PageRoleName(p.role)},
                 {"blank", p.blank},
                 {"failed", p.failed},
                 {"rotation", p.rotation}};
    if (p.role == PageRole::kRemoved) page["removed_reason"] = p.removed_reason;
    pages.push_back(std::move(page));
  }
  json documents = json::array();
  for (const PlanDocument& d : plan.documents) {
    json candidates = json::array();
    for (const CaseChoice& c : d.candidates) candidates.push_back(CaseChoiceJson(c));
    documents.push_back({{"number", d.number},
                         {"pages", d.pages},
                         {"start_reason", d.start_reason},
                         {"cover",
                          {{"system", d.cover_system},
                           {"reference", d.cover_reference},
                           {"doc_type", d.cover_doc_type}}},
                         {"candidates", candidates},
                         {"proposed_case_id", Optional(d.proposed_case_id)},
                         {"suggested_title", d.suggested_title},
                         {"title_problems", d.title_problems},
                         {"doc_type", d.doc_type},
                         {"sender", d.sender},
                         {"letter_date", Optional(d.letter_date)},
                         {"party_blocked", d.party_blocked},
                         {"party_messages", d.party_messages},
                         {"party_refs", d.party_refs},
                         {"warnings", d.warnings},
                         {"case_warnings", d.case_warnings},
                         {"journal_document_id", Optional(d.journal_document_id)},
                         {"journal_case_id", Optional(d.journal_case_id)},
                         {"journal_title", d.journal_title}});
  }
  json history = json::array();
  for (const PlanEdit& e : plan.history) {
    history.push_back(
        {{"time", e.time}, {"actor", e.actor}, {"action", e.action}, {"detail", e.detail}});
  }
  return json{{"format", 1},
              {"batch", plan.batch_id},
              {"pages", pages},
              {"documents", documents},
              {"history", history}}
             .dump(2) +
         "\n";
}

Result<BatchPlan> PlanFromJson(std::string_view text, const std::string& source) {
  auto bad = [&](const std::string& what) {
    return Error(ErrorCode::kCorruption,
                 source + ": " + what +
                     "; filen er beskadiget. Sidernes filer ligger urørt i batchmappen; slet "
                     "plan.json for at få et nyt forslag");
  };
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("ikke gyldig JSON");
  try {
    if (j.value("format", 0) != 1) return bad("ukendt format");
    BatchPlan plan;
    plan.batch_id = j.at("batch").get<std::string>();
    for (const json& p : j.at("pages")) {
      PlanPage page;
      page.seq = p.at("seq").get<int>();
      auto role = ParsePageRole(p.at("role").get<std::string>());
      if (!role) return bad("ukendt siderolle for side " + std::to_string(page.seq));
      page.role = *role;
      page.blank = p.at("blank").get<bool>();
      page.failed = p.value("failed", false);
      page.rotation = p.value("rotation", 0);
      page.removed_reason = p.value("removed_reason", "");
      plan.pages.push_back(page);
    }
    for (const json& d : j.at("documents")) {
      PlanDocument doc;
      doc.number = d.at("number").get<int>();
      doc.pages = d.at("pages").get<std::vector<int>>();
      doc.start_reason = d.value("start_reason", "");
      if (d.contains("cover")) {
        doc.cover_system = d["cover"].value("system", "");
        doc.cover_reference = d["cover"].value("reference", "");
        doc.cover_doc_type = d["cover"].value("doc_type", "");
      }
      for (const json& c : d.value("candidates", json::array())) {
        CaseChoice choice;
        choice.case_id = c.at("case_id").get<int64_t>();
        choice.system = c.value("system", "");
        choice.reference = c.value("reference", "");
        choice.title = c.value("title", "");
        choice.status = c.value("status", "");
        choice.confidence = c.value("confidence", 0.0);
        choice.reasons = c.value("reasons", std::vector<std::string>{});
        doc.candidates.push_back(std::move(choice));
      }
      if (d.contains("proposed_case_id") && !d["proposed_case_id"].is_null()) {
        doc.proposed_case_id = d["proposed_case_id"].get<int64_t>();
      }
      doc.suggested_title = d.value("suggested_title", "");
      doc.title_problems = d.value("title_problems", std::vector<std::string>{});
      doc.doc_type = d.value("doc_type", "");
      doc.sender = d.value("sender", "");
      if (d.contains("letter_date") && !d["letter_date"].is_null()) {
        doc.letter_date = d["letter_date"].get<std::string>();
      }
      doc.party_blocked = d.value("party_blocked", false);
      doc.party_messages = d.value("party_messages", std::vector<std::string>{});
      doc.party_refs = d.value("party_refs", std::vector<std::string>{});
      doc.warnings = d.value("warnings", std::vector<std::string>{});
      doc.case_warnings = d.value("case_warnings", std::vector<std::string>{});
      if (d.contains("journal_document_id") && !d["journal_document_id"].is_null()) {
        doc.journal_document_id = d["journal_document_id"].get<int64_t>();
      }
      if (d.contains("journal_case_id") && !d["journal_case_id"].is_null()) {
        doc.journal_case_id = d["journal_case_id"].get<int64_t>();
      }
      doc.journal_title = d.value("journal_title", "");
      plan.documents.push_back(std::move(doc));
    }
    for (const json& e : j.value("history", json::array())) {
      plan.history.push_back({e.value("time", ""), e.value("actor", ""), e.value("action", ""),
                              e.value("detail", "")});
    }
    // Every document page must be a known page, in one document only.
    std::vector<int> seen;
    for (const PlanDocument& d : plan.documents) {
      for (int seq : d.pages) {
        if (plan.FindPage(seq) == nullptr) {
          return bad("dokument " + std::to_string(d.number) + " nævner en ukendt side " +
                     std::to_string(seq));
        }
        if (std::find(seen.begin(), seen.end(), seq) != seen.end()) {
          return bad("side " + std::to_string(seq) + " står i to dokumenter");
        }
        seen.push_back(seq);
      }
    }
    return plan;
  } catch (const json::exception& e) {
    return bad(std::string("et felt mangler eller har forkert type (") + e.what() + ")");
  }
}

Result<BatchPlan> LoadPlan(const std::string& batch_dir) {
  const std::string path = batch_dir + "/plan.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, path + " findes ikke");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return PlanFromJson(buffer.str(), path);
}

Status SavePlan(const std::string& batch_dir, const BatchPlan& plan) {
  return WriteFileAtomically(batch_dir + "/plan.json", PlanToJson(plan));
}

}  // namespace intake::station
