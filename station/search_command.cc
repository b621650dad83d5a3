// `station search QUERY...`: full-text search in the journal (storage/search.h), for the
// user running the command (restricted cases only for their groups).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "base/cpr_mask.h"
#include "station/command_context.h"
#include "station/journal_access.h"

namespace intake::station {
namespace {

using nlohmann::json;

struct SearchOptions {
  std::vector<std::string> words;
  std::string case_reference;
  std::string from;
  std::string to;
  std::string doc_type;
  int limit = 20;
  int offset = 0;
  bool drafts = false;
  bool json = false;
};

// OCR text may hold CPR numbers from the letters themselves: snippets are masked like
// everything else the station prints.
std::string Snippet(const std::string& snippet, bool terminal) {
  return MaskCpr(terminal ? storage::MarkHits(snippet, "\x1b[1m", "\x1b[0m")
                          : storage::MarkHits(snippet, "»", "«"));
}

ExitCode Search(CommandContext& ctx, const SearchOptions& opts) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  storage::SearchQuery query;
  for (const auto& w : opts.words) query.text += (query.text.empty() ? "" : " ") + w;
  if (!opts.case_reference.empty()) query.case_reference = opts.case_reference;
  if (!opts.from.empty()) query.from = opts.from;
  if (!opts.to.empty()) query.to = opts.to;
  if (!opts.doc_type.empty()) query.doc_type = opts.doc_type;
  query.limit = opts.limit;
  query.offset = opts.offset;
  query.include_drafts = opts.drafts;
  auto results = session->journal->Search(query, session->viewer);
  if (!results) return ctx.Fail(results.error());

  if (opts.json) {
    json hits = json::array();
    for (const auto& h : results->hits) {
      json parts = json::array();
      for (const auto& part : storage::SplitSnippet(h.snippet)) {
        parts.push_back({{"text", MaskCpr(part.text)}, {"hit", part.hit}});
      }
      hits.push_back({{"document_id", h.document_id},
                      {"case_reference", h.case_reference},
                      {"doc_number", h.doc_number},
                      {"title", h.title},
                      {"received_date", h.received_date},
                      {"snippet", Snippet(h.snippet, false)},
                      {"snippet_parts", parts},
                      {"rank", h.rank}});
    }
    ctx.out << json{{"query", query.text},
                    {"total", results->total},
                    {"total_exact", results->total_exact},
                    {"hits", hits}}
                   .dump(2, ' ', false, json::error_handler_t::replace)
            << "\n";
    return kExitOk;
  }
  auto& o = ctx.out;
  if (results->hits.empty()) {
    o << "Ingen dokumenter fundet for: " << query.text << "\n";
    return kExitOk;
  }
  o << (results->total_exact ? "" : "mindst ") << results->total
    << (results->total == 1 ? " dokument fundet" : " dokumenter fundet");
  if (results->total > static_cast<int64_t>(results->hits.size())) {
    o << ", viser " << opts.offset + 1 << "–" << opts.offset + results->hits.size();
  }
  o << ":\n\n";
  for (const auto& h : results->hits) {
    o << "Dokument " << h.document_id;
    if (!h.case_reference.empty()) o << "  sag " << h.case_reference << " nr. " << h.doc_number;
    else o << "  (kladde, ikke på en sag)";
    if (!h.received_date.empty()) o << "  modtaget " << h.received_date;
    o << "\n  " << h.title << "\n  " << Snippet(h.snippet, ctx.interactive) << "\n\n";
  }
  if (!results->total_exact) {
    o << "Der er flere træf end der rangeres; indsnævr søgningen med flere ord, --case eller "
         "--from/--to.\n";
  }
  return kExitOk;
}

}  // namespace

void AddSearchCommand(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<SearchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "search",
      "Søg i journalens dokumenter (titel, beskrivelse, OCR-tekst). Ord: alle skal findes; "
      "ord*: begyndelse; \"flere ord\": udtryk; -ord: uden");
  cmd->add_option("SØGNING", opts->words, "Søgeord, udtryk i anførselstegn, ord* eller -ord")
      ->required()
      ->type_name("ORD");
  cmd->add_option("--case", opts->case_reference, "Kun dokumenter på denne sag")
      ->type_name("SAG");
  cmd->add_option("--from", opts->from, "Modtaget fra og med, ÅÅÅÅ-MM-DD")->type_name("DATO");
  cmd->add_option("--to", opts->to, "Modtaget til og med, ÅÅÅÅ-MM-DD")->type_name("DATO");
  cmd->add_option("--type", opts->doc_type, "Kun denne dokumenttype")->type_name("TYPE");
  cmd->add_option("--limit", opts->limit, "Højst så mange træf")
      ->check(CLI::Range(1, 1000))
      ->type_name("N");
  cmd->add_option("--offset", opts->offset, "Spring så mange træf over")
      ->check(CLI::Range(0, storage::kRankWindow))
      ->type_name("N");
  cmd->add_flag("--drafts", opts->drafts, "Medtag kladder, der endnu ikke er journaliseret");
  cmd->add_flag("--json", opts->json, "Skriv træffene som JSON");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Search(ctx, *opts); }; });
}

}  // namespace intake::station
