// BatchPlan: how an intake batch's pages become documents, proposed by the station and
// corrected by the operator before journalising (issue #7).
//
// The plan lives beside the batch's pages as <batch dir>/plan.json, rewritten atomically on
// every change. Pages are never deleted: a page the operator removes stays in the plan
// with its reason (and its file stays in the spool), separator and cover sheets stay as
// sheets, and every edit is recorded in the plan's history with who and when.
//
// ProposeSplit reads the pages in order:
//   - a separator sheet ends the current document and is not part of any document;
//   - a cover sheet ends the current document and starts the next one, naming its case;
//   - a blank page (a duplex back) stays with the document it belongs to, flagged blank;
//     a blank back of a sheet stays with the sheet;
//   - any other page continues the current document unless it looks like the first page
//     of a new letter: "Side 1 af N", or, without a page number saying otherwise, a
//     letter's opening (a date line together with a subject marker or a salutation) in its
//     first lines. "Side 2 af N" always continues.
// The edits (split, merge, move, rotate, remove, restore) keep every page in exactly one
// place and refuse to touch a document that is already journalised.
//
// Thread-safety: plain values; callers serialise access to one batch's plan.
#ifndef INTAKE_STATION_BATCH_PLAN_H_
#define INTAKE_STATION_BATCH_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake::station {

enum class PageRole {
  kDocument,   // a page of a document (text, image or a blank back)
  kSeparator,  // a separator sheet (or its blank back)
  kCover,      // a cover sheet (or its blank back)
  kRemoved,    // removed by the operator (kept, with the reason)
};
std::string_view PageRoleName(PageRole role);  // "document", "separator", "cover", "removed"

// What the page pipeline found out about one spooled page, as the split needs it.
struct PageFacts {
  int seq = 0;
  int sheet = 0;
  std::string side;  // "front", "back" or "" (imported files)
  bool blank = false;
  bool failed = false;  // the pipeline could not process it
  enum class Sheet { kNone, kSeparator, kCover } sheet_kind = Sheet::kNone;
  std::string cover_system;  // for kCover
  std::string cover_reference;
  std::string cover_doc_type;
  std::string text;  // OCR text, "" for none
  int orientation = 0;  // degrees the pipeline turned the page
};

struct PlanPage {
  int seq = 0;
  PageRole role = PageRole::kDocument;
  bool blank = false;
  bool failed = false;
  int rotation = 0;            // extra clockwise turn ordered by the operator: 0, 90, 180, 270
  std::string removed_reason;  // for kRemoved
};

struct CaseChoice {
  int64_t case_id = 0;
  std::string system;
  std::string reference;
  std::string title;
  std::string status;  // "open", "dormant", "closed"
  double confidence = 0;
  std::vector<std::string> reasons;  // Danish
};

struct PlanDocument {
  int number = 0;             // 1-based in the batch
  std::vector<int> pages;     // spool seqs in document order (blank backs included)
  std::string start_reason;   // Danish: why a document starts here
  // From a cover sheet.
  std::string cover_system;
  std::string cover_reference;
  std::string cover_doc_type;
  // Filled by the proposer (station/batch_proposer.h).
  std::vector<CaseChoice> candidates;
  std::optional<int64_t> proposed_case_id;
  std::string suggested_title;
  std::vector<std::string> title_problems;  // Danish
  std::string doc_type;
  std::string sender;
  std::optional<std::string> letter_date;  // ISO
  bool party_blocked = false;
  std::vector<std::string> party_messages;  // Danish
  std::vector<std::string> party_refs;      // keyed references of mismatching numbers
  std::vector<std::string> warnings;        // Danish, from the split (pages)
  std::vector<std::string> case_warnings;   // Danish, from the case proposal
  // Set once journalised: then the document is fixed.
  std::optional<int64_t> journal_document_id;
  std::optional<int64_t> journal_case_id;
  std::string journal_title;
};

struct PlanEdit {
  std::string time;    // ISO 8601 UTC
  std::string actor;
  std::string action;  // "split", "merge", "move", "rotate", "remove", "restore", "journal"
  std::string detail;  // Danish
};

struct BatchPlan {
  std::string batch_id;
  std::vector<PlanPage> pages;          // every page of the batch, by seq
  std::vector<PlanDocument> documents;  // by number
  std::vector<PlanEdit> history;

  const PlanPage* FindPage(int seq) const;
  PlanPage* FindPage(int seq);
  PlanDocument* FindDocument(int number);
  const PlanDocument* FindDocument(int number) const;
  // The document holding page `seq`, or null (sheets, removed pages).
  PlanDocument* DocumentOfPage(int seq);
  // Non-blank pages of a document.
  int TextPages(const PlanDocument& doc) const;
};

// The station's proposal for a batch's pages (in seq order).
BatchPlan ProposeSplit(const std::string& batch_id, const std::vector<PageFacts>& pages);

// True when `text` (a page's OCR text) opens a new letter, with the Danish reason.
std::optional<std::string> LetterStartReason(std::string_view text);
// The "Side k af n" page number of a page, if printed: {k, n}.
std::optional<std::pair<int, int>> PrintedPageNumber(std::string_view text);

// ---- edits: each refuses (kInvalidArgument/kFailedPrecondition, Danish, naming the page or
// document) what it cannot do and then changes nothing. `actor` goes into the history. ----

// Splits document `doc` before its page `seq`: that page and those after it become a new
// document right after it.
Status SplitBefore(BatchPlan& plan, int doc, int seq, const std::string& actor);
// Joins document `doc` with the next one.
Status MergeWithNext(BatchPlan& plan, int doc, const std::string& actor);
// Moves page `seq` into document `to_doc` at `position` (1-based; 0 = at the end).
Status MovePage(BatchPlan& plan, int seq, int to_doc, int position, const std::string& actor);
// Turns page `seq` by `degrees` (90, 180 or 270) clockwise.
Status RotatePage(BatchPlan& plan, int seq, int degrees, const std::string& actor);
// Removes page `seq` from its document (kept in the plan with `reason`, required).
Status RemovePage(BatchPlan& plan, int seq, const std::string& reason, const std::string& actor);
// Puts a removed page back at the end of document `to_doc`.
Status RestorePage(BatchPlan& plan, int seq, int to_doc, const std::string& actor);

// Documents are renumbered 1..n after an edit; empty documents disappear.
void Renumber(BatchPlan& plan);

// JSON (plan.json). Parse errors name `source` (the file) and what is wrong.
std::string PlanToJson(const BatchPlan& plan);
Result<BatchPlan> PlanFromJson(std::string_view json, const std::string& source);

// <batch dir>/plan.json; Load gives kNotFound when the batch has no plan yet.
Result<BatchPlan> LoadPlan(const std::string& batch_dir);
Status SavePlan(const std::string& batch_dir, const BatchPlan& plan);

// "2026-11-27T05:31:12Z".
std::string NowIsoUtc();

}  // namespace intake::station

#endif  // INTAKE_STATION_BATCH_PLAN_H_
