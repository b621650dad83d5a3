// From an intake batch in the spool to journalised documents (issue #7): the proposal
// (split, case, party check, title) and journalising one proposed document.
//
//   PrepareBatch      reads the pages' analyses, proposes the split when the batch has no
//                     plan yet, and fills the case, party and title proposal of every
//                     document not yet journalised; the plan is saved in the batch folder.
//   JournaliseBatchDocument
//                     builds the document's PDF/A from its spooled pages (turned as the
//                     intake and the operator decided), checks case, party and title, and
//                     journalises it. Idempotent: the plan and the journal's idempotency key
//                     (the pages' contents) make a repeated call return the same document.
//
// Safeguards (DOMAIN.md section 10): without an explicit case the proposal is used only
// when it is clear (one candidate ahead, not in conflict); a document naming a CPR or CVR
// number that is not a party of the case is refused unless an override reason is given
// (recorded in the audit log); closed and dormant cases accept nothing; the title must
// pass the title check; the received date comes from the batch.
//
// Thread-safety: one call at a time per batch.
#ifndef INTAKE_STATION_BATCH_JOURNAL_H_
#define INTAKE_STATION_BATCH_JOURNAL_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "station/batch_plan.h"
#include "storage/journal.h"
#include "storage/page_spool.h"

namespace intake::station {

struct BatchContext {
  const config::Config& config;
  storage::PageSpool& spool;
  storage::Journal& journal;
  storage::Viewer viewer;
  storage::Actor actor;
};

struct PreparedBatch {
  storage::BatchRecord record;
  BatchPlan plan;
  std::map<int, std::string> texts;  // seq -> OCR text
  std::map<int, std::string> analysis_json;  // seq -> the saved page analysis
  std::map<int, int> intake_turn;            // seq -> degrees the intake turned the page
  // Working days the batch has waited since its received date (timeliness).
  int waiting_working_days = 0;
  int documents_open = 0;  // not yet journalised

  // Degrees clockwise that make page `seq` upright as the document shows it: the intake's
  // turn plus the operator's.
  int Turn(int seq) const;
};

// Reads the batch and its page analyses; creates the plan if there is none; proposes what
// is missing; saves the plan. `repropose` proposes again for every open document (after
// new cases were added to the journal). kNotFound for an unknown batch.
Result<PreparedBatch> PrepareBatch(BatchContext& ctx, const std::string& batch_id,
                                   bool repropose = false);

// The page facts of a batch from its saved analyses (sheets recognised by their QR code).
// A page without analysis counts as failed.
std::vector<PageFacts> ReadPageFacts(const storage::PageSpool& spool,
                                     const storage::BatchRecord& record,
                                     std::map<int, std::string>* texts,
                                     std::map<int, std::string>* analysis_json);

struct JournalRequest {
  std::string batch_id;
  int document = 0;  // plan document number
  std::optional<std::string> case_reference;  // explicit case; else the clear proposal
  std::optional<std::string> system;
  std::optional<std::string> title;  // else the suggested title
  std::optional<std::string> description;
  std::optional<std::string> doc_type;
  storage::Direction direction = storage::Direction::kIn;
  std::optional<std::string> party_override_reason;
  // What happens to the paper original (storage/archive.h); nullopt: the configured
  // default (archive.default_disposition), not yet placed.
  std::optional<storage::OriginalDisposition> original;
};

struct JournalOutcome {
  storage::DocumentRecord document;
  storage::CaseRecord case_record;
  bool existing = false;  // journalised earlier; nothing new written
  std::vector<std::string> warnings;
  // Where the paper original is, in Danish (storage::Whereabouts::Line); "" when the
  // archive could not say.
  std::string original;
};

// Called with (pages done, pages in the document) while the PDF is built.
using PageProgress = std::function<void(int, int)>;

// Journalises one document of a prepared batch. Errors (Danish, naming batch and
// document): kNotFound (batch, document or case), kFailedPrecondition (no clear case
// proposal, party mismatch without override, closed case, title refused, a page that
// could not be processed), kInvalidArgument (bad request fields).
Result<JournalOutcome> JournaliseBatchDocument(BatchContext& ctx, PreparedBatch& batch,
                                               const JournalRequest& request,
                                               const PageProgress& progress = {});

// The idempotency key of a document made of these spool pages: a hash of the pages'
// contents (file hash and page within the file), so the same pages imported twice are
// journalised once.
std::string DocumentKey(const storage::BatchRecord& record, const std::vector<int>& seqs);

}  // namespace intake::station

#endif  // INTAKE_STATION_BATCH_JOURNAL_H_
