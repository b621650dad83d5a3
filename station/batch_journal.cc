#include "station/batch_journal.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/atomic_file.h"
#include "base/cpr_mask.h"
#include "base/danish_case.h"
#include "base/danish_date.h"
#include "base/log.h"
#include "base/sha256.h"
#include "base/working_days.h"
#include "ocr/image_io.h"
#include "ocr/pipeline.h"
#include "ocr/preprocess.h"
#include "pdf/pdfa_writer.h"
#include "station/case_matcher.h"
#include "station/page_raster.h"
#include "station/pipeline_setup.h"
#include "station/sheets.h"
#include "station/title_check.h"
#include "station/title_suggest.h"

namespace intake::station {
namespace {

using nlohmann::json;

std::string DocName(const std::string& batch_id, int number) {
  return "dokument " + std::to_string(number) + " i batch " + batch_id;
}

// The OCR text of a document: its pages' texts in order, blank pages left out.
std::string DocumentText(const PreparedBatch& batch, const PlanDocument& doc) {
  std::string text;
  for (int seq : doc.pages) {
    auto it = batch.texts.find(seq);
    if (it == batch.texts.end() || it->second.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text += it->second;
  }
  return text;
}

DateOptions DatesFor(const storage::BatchRecord& record) {
  DateOptions options;
  options.reference = ParseIsoDay(record.info.received_date);
  if (!options.reference.ok()) options.reference = LocalToday();
  return options;
}

// Fills the case, party and title proposal of one open document.
Status Propose(BatchContext& ctx, const CaseMatcher& matcher, PreparedBatch& batch,
               PlanDocument& doc) {
  const std::string text = DocumentText(batch, doc);
  std::optional<CoverCase> cover;
  if (!doc.cover_reference.empty()) cover = CoverCase{doc.cover_system, doc.cover_reference};
  Result<CaseProposal> proposal = matcher.Propose(text, cover, ctx.journal, ctx.viewer);
  if (!proposal) return proposal.error();
  doc.candidates.clear();
  for (const CaseCandidate& c : proposal->candidates) {
    doc.candidates.push_back({c.case_id, c.system, c.reference, c.title,
                              std::string(storage::CaseStatusName(c.status)), c.confidence,
                              c.reasons});
  }
  doc.proposed_case_id = proposal->proposed_case_id;
  doc.case_warnings = proposal->warnings;

  doc.party_blocked = false;
  doc.party_messages.clear();
  doc.party_refs.clear();
  // The party check against the proposed case, so that a mismatch shows before anyone
  // journalises (without a proposal the operator's choice is checked when journalising).
  std::optional<int64_t> checked = doc.proposed_case_id;
  if (checked) {
    Result<PartyCheck> parties = matcher.CheckParties(text, *checked, ctx.journal, ctx.viewer);
    if (!parties) return parties.error();
    doc.party_blocked = parties->blocked;
    doc.party_messages = parties->messages;
    for (const std::string& m : parties->matched) doc.party_messages.push_back(m);
    for (const PartyMismatch& m : parties->mismatches) {
      if (m.number_ref) doc.party_refs.push_back(*m.number_ref);
    }
  }

  const LetterFacts facts = ReadLetterFacts(text, DatesFor(batch.record));
  TitleSuggestion suggestion = SuggestTitle(facts, ctx.config.titles);
  if (!doc.cover_doc_type.empty() && facts.doc_type == "Brev") {
    // The cover sheet's document type is the caseworker's word for it.
    LetterFacts typed = facts;
    typed.doc_type = doc.cover_doc_type;
    typed.doc_type[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(typed.doc_type[0])));
    suggestion = SuggestTitle(typed, ctx.config.titles);
  }
  doc.suggested_title = suggestion.title;
  doc.title_problems.clear();
  for (const TitleProblem& p : suggestion.check.problems) doc.title_problems.push_back(p.message);
  doc.doc_type = suggestion.facts.doc_type;
  doc.sender = suggestion.facts.sender;
  doc.letter_date = suggestion.facts.letter_date;
  return OkStatus();
}

}  // namespace

int PreparedBatch::Turn(int seq) const {
  int turn = 0;
  if (auto it = intake_turn.find(seq); it != intake_turn.end()) turn += it->second;
  if (const PlanPage* p = plan.FindPage(seq); p != nullptr) turn += p->rotation;
  return ((turn % 360) + 360) % 360;
}

std::string DocumentKey(const storage::BatchRecord& record, const std::vector<int>& seqs) {
  // By content: the same pages imported again (a second import of the same file) are the
  // same document, whatever batch they arrived in.
  std::string pages;
  for (int seq : seqs) {
    for (const storage::SpooledPage& p : record.pages) {
      if (p.seq != seq) continue;
      pages += p.sha256 + "#" + std::to_string(p.file_page) + ";";
    }
  }
  return "pages:" + Sha256Hex(pages);
}

std::vector<PageFacts> ReadPageFacts(const storage::PageSpool& spool,
                                     const storage::BatchRecord& record,
                                     std::map<int, std::string>* texts,
                                     std::map<int, std::string>* analysis_json) {
  std::vector<PageFacts> facts;
  for (const storage::SpooledPage& page : record.pages) {
    PageFacts f;
    f.seq = page.seq;
    f.sheet = page.sheet;
    f.side = page.side;
    std::optional<std::string> saved = spool.LoadAnalysis(record.id, page.seq);
    json a = saved ? json::parse(*saved, nullptr, false) : json();
    if (!saved || a.is_discarded() || !a.is_object()) {
      f.failed = true;
      facts.push_back(std::move(f));
      continue;
    }
    if (analysis_json != nullptr) (*analysis_json)[page.seq] = *saved;
    f.failed = a.contains("error") && !a["error"].is_null();
    f.blank = a.value("blank", false);
    f.text = a.value("text", "");
    if (a.contains("orientation")) f.orientation = a["orientation"].value("degrees", 0);
    std::vector<ocr::Barcode> codes;
    for (const json& b : a.value("barcodes", json::array())) {
      ocr::Barcode code;
      code.format = b.value("format", "");
      code.text = b.value("text", "");
      codes.push_back(std::move(code));
    }
    Result<std::optional<SheetPayload>> sheet = FindSheet(codes);
    if (!sheet) {
      log::Warning("batch " + record.id + ", side " + std::to_string(page.seq) +
                   ": et stationsark kunne ikke læses: " + sheet.error().message());
    } else if (*sheet) {
      if ((*sheet)->kind == SheetPayload::Kind::kSeparator) {
        f.sheet_kind = PageFacts::Sheet::kSeparator;
      } else {
        f.sheet_kind = PageFacts::Sheet::kCover;
        f.cover_system = (*sheet)->system;
        f.cover_reference = (*sheet)->reference;
        f.cover_doc_type = (*sheet)->doc_type;
      }
      f.blank = false;
    }
    if (texts != nullptr) (*texts)[page.seq] = f.text;
    facts.push_back(std::move(f));
  }
  return facts;
}

Result<PreparedBatch> PrepareBatch(BatchContext& ctx, const std::string& batch_id,
                                   bool repropose) {
  Result<storage::BatchRecord> record = ctx.spool.Load(batch_id);
  if (!record) return record.error();
  PreparedBatch batch;
  batch.record = std::move(*record);
  std::vector<PageFacts> facts =
      ReadPageFacts(ctx.spool, batch.record, &batch.texts, &batch.analysis_json);
  for (const PageFacts& f : facts) batch.intake_turn[f.seq] = f.orientation;
  const std::string dir = ctx.spool.BatchDir(batch_id);
  Result<BatchPlan> plan = LoadPlan(dir);
  bool changed = false;
  if (!plan) {
    if (plan.error().code() != ErrorCode::kNotFound) return plan.error();
    batch.plan = ProposeSplit(batch_id, facts);
    changed = true;
  } else {
    batch.plan = std::move(*plan);
  }

  // The batch in the journal: its received date is fixed from here on.
  storage::IntakeBatch journal_batch;
  journal_batch.id = batch_id;
  journal_batch.name = batch.record.info.name;
  journal_batch.channel = batch.record.info.channel.empty() ? "import" : batch.record.info.channel;
  journal_batch.operator_name =
      batch.record.info.operator_name.empty() ? ctx.actor.name : batch.record.info.operator_name;
  journal_batch.received_date = batch.record.info.received_date;
  Result<storage::IntakeBatch> recorded = ctx.journal.RecordBatch(journal_batch, ctx.actor);
  if (!recorded) return recorded.error();

  Result<CaseMatcher> matcher = CaseMatcher::Create(ctx.config);
  if (!matcher) return matcher.error();
  for (PlanDocument& doc : batch.plan.documents) {
    if (doc.journal_document_id) continue;
    const bool missing = doc.candidates.empty() && doc.suggested_title.empty();
    if (!missing && !repropose) continue;
    Status proposed = Propose(ctx, *matcher, batch, doc);
    if (!proposed) return proposed.error().WithContext(DocName(batch_id, doc.number));
    changed = true;
  }
  if (changed) {
    Status saved = SavePlan(dir, batch.plan);
    if (!saved) return saved.error();
  }
  for (const PlanDocument& doc : batch.plan.documents) {
    if (!doc.journal_document_id) ++batch.documents_open;
  }
  const auto received = ParseIsoDay(batch.record.info.received_date);
  if (received.ok()) batch.waiting_working_days = WorkingDaysBetween(received, LocalToday());
  return batch;
}

namespace {

// The document's pages through the page pipeline again (orientation as decided at intake
// plus the operator's turn), into a PDF/A. Returns the PDF bytes and the pages.
struct BuiltPdf {
  std::string bytes;
  std::vector<storage::DocumentPage> pages;
  bool image_only = true;
};

Result<BuiltPdf> BuildDocumentPdf(BatchContext& ctx, const PreparedBatch& batch,
                                  const PlanDocument& doc, const pdf::DocumentInfo& info,
                                  const PageProgress& progress) {
  const std::string name = DocName(batch.record.id, doc.number);
  std::vector<const storage::SpooledPage*> spooled;
  for (int seq : doc.pages) {
    auto it = std::find_if(batch.record.pages.begin(), batch.record.pages.end(),
                           [&](const storage::SpooledPage& p) { return p.seq == seq; });
    if (it == batch.record.pages.end()) {
      return Error(ErrorCode::kCorruption,
                   name + ": side " + std::to_string(seq) + " findes ikke i spoolen");
    }
    spooled.push_back(&*it);
  }

  ocr::PipelineOptions popts;
  popts.workers = ctx.config.ocr.workers;
  popts.max_pages_in_memory = ctx.config.ocr.max_pages_in_memory;
  popts.page_timeout = std::chrono::seconds(ctx.config.ocr.page_timeout_s);
  popts.keep_images = true;
  popts.detect_barcodes = false;
  popts.preprocess.detect_orientation = false;
  auto pipeline =
      ocr::PagePipeline::Start(popts, MakeEngineFactory(ctx.config.ocr.languages, false));
  if (!pipeline) return pipeline.error();
  ocr::PagePipeline& pipe = **pipeline;

  std::thread feeder([&] {
    for (size_t i = 0; i < spooled.size(); ++i) {
      const storage::SpooledPage& sp = *spooled[i];
      const std::string page_name = "side " + std::to_string(sp.seq);
      auto reader = ocr::ImageFileReader::Open(ctx.spool.PathOf(batch.record.id, sp.file));
      Result<ocr::PageImage> page =
          reader ? reader->ReadPage(sp.file_page) : Result<ocr::PageImage>(reader.error());
      if (!page) {
        pipe.SubmitFailed(page_name, static_cast<int>(i) + 1, page.error());
        continue;
      }
      if (sp.dpi > 0 && page->dpi_assumed) page->dpi = sp.dpi;
      const int turn = batch.Turn(sp.seq);
      if (turn != 0) {
        ocr::PixPtr turned = ocr::RotateClockwise(page->pix.get(), turn);
        if (turned) page->pix = std::move(turned);
      }
      page->source = page_name;
      page->source_page = static_cast<int>(i) + 1;
      if (!pipe.Submit(std::move(*page))) break;
    }
    pipe.Close();
  });

  auto writer = pdf::PdfAWriter::Create({});
  if (!writer) {
    pipe.Cancel();
    feeder.join();
    return writer.error();
  }
  BuiltPdf built;
  std::optional<Error> failure;
  int done = 0;
  while (std::optional<ocr::ProcessedPage> page = pipe.Next()) {
    const size_t index = static_cast<size_t>(done);
    ++done;
    if (failure) continue;
    if (page->analysis.error) {
      failure = page->analysis.error->WithContext(name);
      pipe.Cancel();
      continue;
    }
    Result<pdf::PageContent> content = BuildPdfPage(*page, ctx.config.pdf);
    Status added = content ? (*writer)->AddPage(*content) : Status(content.error());
    if (!added) {
      failure = added.error().WithContext(name + ", side " + std::to_string(done));
      pipe.Cancel();
      continue;
    }
    const ocr::PageAnalysis& a = page->analysis;
    storage::DocumentPage dp;
    dp.page_no = done;
    dp.batch_seq = spooled[index]->seq;
    const PlanPage* plan_page = batch.plan.FindPage(spooled[index]->seq);
    dp.blank = a.blank.blank || (plan_page != nullptr && plan_page->blank);
    auto analysis = batch.analysis_json.find(spooled[index]->seq);
    if (analysis != batch.analysis_json.end()) dp.analysis_json = analysis->second;
    dp.orientation = batch.Turn(spooled[index]->seq);
    dp.skew = a.skew.degrees;
    if (a.ocr) {
      dp.confidence = a.ocr->mean_confidence;
      if (!a.ocr->words.empty()) built.image_only = false;
    }
    built.pages.push_back(std::move(dp));
    if (progress) progress(done, static_cast<int>(spooled.size()));
  }
  feeder.join();
  if (failure) return *failure;
  if (built.pages.size() != spooled.size()) {
    return Error(ErrorCode::kCancelled, name + ": afbrudt før alle sider var behandlet");
  }
  Result<std::string> bytes = (*writer)->Finish(info);
  if (!bytes) return bytes.error();
  built.bytes = std::move(*bytes);
  return built;
}

Result<storage::CaseRecord> ChooseCase(BatchContext& ctx, const PlanDocument& doc,
                                       const JournalRequest& request) {
  if (request.case_reference) {
    return ctx.journal.FindCaseByReference(request.system.value_or(""), *request.case_reference,
                                           ctx.viewer);
  }
  if (!doc.proposed_case_id) {
    std::string listed;
    for (const CaseChoice& c : doc.candidates) {
      listed += "\n  " + c.system + " " + c.reference + " (" +
                std::to_string(static_cast<int>(c.confidence * 100 + 0.5)) + " %): " +
                (c.reasons.empty() ? std::string() : c.reasons.front());
    }
    return Error(ErrorCode::kFailedPrecondition,
                 std::string("stationen har ingen sikker sag at foreslå") +
                     (listed.empty() ? std::string(" (ingen kandidater)")
                                     : std::string("; kandidater:") + listed) +
                     "\nAngiv sagen med --case SAGSNR.");
  }
  return ctx.journal.GetCase(*doc.proposed_case_id, ctx.viewer);
}

}  // namespace

Result<JournalOutcome> JournaliseBatchDocument(BatchContext& ctx, PreparedBatch& batch,
                                               const JournalRequest& request,
                                               const PageProgress& progress) {
  const std::string name = DocName(batch.record.id, request.document);
  PlanDocument* doc = batch.plan.FindDocument(request.document);
  if (doc == nullptr) {
    return Error(ErrorCode::kNotFound, name + " findes ikke; se 'station batch show " +
                                           batch.record.id + "'");
  }
  if (doc->journal_document_id) {
    Result<storage::DocumentRecord> earlier =
        ctx.journal.GetDocument(*doc->journal_document_id, ctx.viewer);
    if (!earlier) return earlier.error();
    Result<storage::CaseRecord> c = ctx.journal.GetCase(earlier->case_id, ctx.viewer);
    if (!c) return c.error();
    std::string original;
    if (auto where = ctx.journal.archive().Where(earlier->id, ctx.viewer)) {
      original = where->Line();
    }
    return JournalOutcome{*earlier, *c, true, {}, original};
  }
  if (batch.plan.TextPages(*doc) == 0 && doc->pages.empty()) {
    return Error(ErrorCode::kFailedPrecondition, name + " har ingen sider");
  }

  if (!request.case_reference && doc->party_blocked) {
    std::string message = name + ": journalisering blokeret af partskontrollen.";
    for (const std::string& m : doc->party_messages) message += "\n  " + m;
    message += "\nVælg den rigtige sag med --case, eller tilsidesæt med --case SAGSNR "
               "--override-party \"BEGRUNDELSE\" (begrundelsen revisionslogges).";
    return Error(ErrorCode::kFailedPrecondition, message);
  }
  Result<storage::CaseRecord> target = ChooseCase(ctx, *doc, request);
  if (!target) return target.error().WithContext(name);
  if (target->status != storage::CaseStatus::kOpen) {
    return Error(ErrorCode::kFailedPrecondition,
                 name + ": sag " + target->reference + " er " +
                     std::string(storage::CaseStatusDanish(target->status)) +
                     "; lukkede og hvilende sager modtager ingen dokumenter. Genåbn sagen i "
                     "ESDH-systemet eller vælg en anden sag");
  }

  // The party cross-check against the chosen case.
  Result<CaseMatcher> matcher = CaseMatcher::Create(ctx.config);
  if (!matcher) return matcher.error();
  const std::string text = DocumentText(batch, *doc);
  Result<PartyCheck> parties = matcher->CheckParties(text, target->id, ctx.journal, ctx.viewer);
  if (!parties) return parties.error().WithContext(name);
  std::vector<std::string> warnings;
  std::vector<std::string> override_refs;
  if (parties->blocked) {
    const bool reason_given = request.party_override_reason &&
                              request.party_override_reason->find_first_not_of(" \t\r\n") !=
                                  std::string::npos;
    if (!reason_given) {
      std::string message = name + ": journalisering blokeret af partskontrollen.";
      for (const std::string& m : parties->messages) message += "\n  " + m;
      message += "\nVælg den rigtige sag med --case, eller tilsidesæt med "
                 "--override-party \"BEGRUNDELSE\" (begrundelsen revisionslogges).";
      return Error(ErrorCode::kFailedPrecondition, message);
    }
    for (const PartyMismatch& m : parties->mismatches) {
      if (m.number_ref) override_refs.push_back(*m.number_ref);
    }
    warnings.push_back("partskontrollen er tilsidesat: " + *request.party_override_reason);
  } else if (parties->matched.empty() && !request.case_reference && doc->cover_reference.empty()) {
    warnings.push_back("ingen part i brevet kunne bekræftes mod sagen; kontrollér sagen");
  }

  // The title.
  const std::string title = request.title.value_or(doc->suggested_title);
  TitleContext title_context;
  title_context.description = request.description.value_or("");
  title_context.image_only = batch.plan.TextPages(*doc) > 0 && DocumentText(batch, *doc).empty();
  const TitleCheck check = CheckTitle(title, ctx.config.titles, title_context);
  if (!check.accepted()) {
    std::string message = name + ": titlen »" + check.title + "« kan ikke bruges:";
    for (const TitleProblem& p : check.problems) message += "\n  " + p.message;
    message += "\nAngiv en sigende titel med --title";
    if (!doc->suggested_title.empty() && request.title) {
      message += " (stationens forslag: »" + doc->suggested_title + "«)";
    }
    return Error(ErrorCode::kFailedPrecondition, message);
  }

  // The PDF/A with the journal metadata in it.
  pdf::DocumentInfo info;
  info.title = check.title;
  info.author = doc->sender;
  info.subject = request.description.value_or("");
  info.keywords = "sag " + target->system + " " + target->reference + "; modtaget " +
                  batch.record.info.received_date + "; batch " + batch.record.id;
  if (doc->letter_date) info.keywords += "; brevdato " + *doc->letter_date;
  Result<BuiltPdf> built = BuildDocumentPdf(ctx, batch, *doc, info, progress);
  if (!built) return built.error();

  storage::NewDocument nd;
  nd.case_id = target->id;
  nd.title = check.title;
  nd.description = request.description;
  nd.direction = request.direction;
  nd.doc_type = request.doc_type ? request.doc_type
                                 : (doc->doc_type.empty() ? std::nullopt
                                                          : std::optional(LowerDanish(doc->doc_type)));
  nd.letter_date = doc->letter_date;
  nd.batch_id = batch.record.id;
  nd.pages = std::move(built->pages);
  nd.ocr_text = text;
  nd.idempotency_key = DocumentKey(batch.record, doc->pages);
  if (parties->blocked) {
    nd.party_override_reason = request.party_override_reason;
    nd.party_override_refs = override_refs;
  }
  // A scanned document always has a paper original; unless the operator chose, it gets
  // the configured default (keep, to be placed), never destruction.
  if (request.original) {
    nd.original = request.original;
  } else {
    storage::OriginalDisposition keep;
    keep.disposition = ctx.config.archive.default_disposition == "pending"
                           ? storage::Disposition::kPending
                           : storage::Disposition::kKeep;
    nd.original = keep;
  }
  Result<storage::DocumentRecord> record = ctx.journal.Journalise(nd, built->bytes, ctx.actor);
  if (!record) return record.error().WithContext(name);

  doc->journal_document_id = record->id;
  doc->journal_case_id = target->id;
  doc->journal_title = record->title;
  batch.plan.history.push_back({NowIsoUtc(), ctx.actor.name, "journal",
                                "dokument " + std::to_string(doc->number) +
                                    " journaliseret på sag " + target->reference + " som nr. " +
                                    std::to_string(record->doc_number)});
  Status saved = SavePlan(ctx.spool.BatchDir(batch.record.id), batch.plan);
  if (!saved) {
    // The journal holds the document; the plan catches up on the next run through the
    // idempotency key.
    warnings.push_back("planen kunne ikke gemmes: " + saved.error().message());
  }
  --batch.documents_open;
  std::string original;
  if (auto where = ctx.journal.archive().Where(record->id, ctx.viewer)) {
    original = where->Line();
  }
  return JournalOutcome{*record, *target, record->existing, warnings, original};
}

}  // namespace intake::station
