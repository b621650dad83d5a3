// PagePipeline: processes scanned pages in parallel and hands them back in page order.
//
// A producer (a scanner loop, a file reader) submits pages one at a time while earlier
// pages are being processed; a consumer takes the results in submission order with
// Next(). Workers (default: one per core) each own one OcrEngine and run, per page:
// preprocessing (ocr/preprocess.h) → barcode detection → OCR (skipped on blank pages).
//
// Memory is bounded: Submit blocks while `max_pages_in_memory` pages are inside the
// pipeline (queued, in work, or finished but not yet taken by Next), so a fast scanner
// or a 200-page file never piles pages up in memory.
//
// Errors on one page (an OCR timeout, a Leptonica failure) are recorded on that page and
// the others continue (soft errors); the caller decides what a failed page means.
//
// Thread-safety: Submit/SubmitFailed/Close may be called from one producer thread and
// Next from one consumer thread concurrently; Cancel and progress from any thread. The
// producer and the consumer must not be the same thread unless it never submits more
// than max_pages_in_memory pages before calling Next.
#ifndef INTAKE_OCR_PIPELINE_H_
#define INTAKE_OCR_PIPELINE_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "base/result.h"
#include "ocr/barcode.h"
#include "ocr/ocr_engine.h"
#include "ocr/page_image.h"
#include "ocr/preprocess.h"

namespace intake::ocr {

struct PipelineOptions {
  // Worker threads, each with its own OCR engine; 0 = one per CPU core.
  int workers = 0;
  // Pages inside the pipeline at most (see above), at least 2.
  int max_pages_in_memory = 8;
  // Time allowed for one page (preprocessing and OCR) before it is recorded as failed.
  std::chrono::milliseconds page_timeout{std::chrono::seconds(180)};
  PreprocessOptions preprocess;
  bool detect_barcodes = true;
  // Keep the prepared images in the results (needed to write the PDF); false drops them
  // as soon as the page is analysed.
  bool keep_images = true;
  // Added to the nice value of each worker thread (Linux schedules threads one by one), so
  // that a thread feeding the pipeline from a scanner always gets the CPU first and the
  // scanner never waits for OCR. 0 leaves the workers at the caller's priority.
  int worker_nice = 0;
};

struct StageTimings {
  double preprocess_ms = 0;
  double barcodes_ms = 0;
  double ocr_ms = 0;
};

// Everything the pipeline found out about one page.
struct PageAnalysis {
  int index = 0;  // 0-based submission order
  std::string source;
  int source_page = 1;
  int dpi = 0;
  bool dpi_assumed = false;
  OrientationResult orientation;
  SkewResult skew;
  bool skew_corrected = false;
  BlankResult blank;
  ContentClassification content;
  std::vector<Barcode> barcodes;  // in the coordinates of the prepared (upright) page
  // OCR words and lines in the coordinates of the prepared page; absent for blank pages
  // and pages whose OCR failed.
  std::optional<OcrResult> ocr;
  std::string ocr_engine;
  // Set when the page could not be loaded or processed; the message names the page.
  std::optional<Error> error;
  StageTimings timings;
};

struct ProcessedPage {
  PageAnalysis analysis;
  PreparedPage images;  // empty if keep_images is false or the page failed
};

struct PipelineProgress {
  int submitted = 0;
  int processed = 0;  // finished by a worker (successfully or not)
  int delivered = 0;  // taken by Next
  int failed = 0;
};

using OcrEngineFactory = std::function<Result<std::unique_ptr<OcrEngine>>()>;

class PagePipeline {
 public:
  // Creates the engines (one per worker; the first failure is returned, e.g. a missing
  // language pack) and starts the workers.
  static Result<std::unique_ptr<PagePipeline>> Start(const PipelineOptions& options,
                                                     const OcrEngineFactory& make_engine);
  ~PagePipeline();  // cancels and joins the workers
  PagePipeline(const PagePipeline&) = delete;
  PagePipeline& operator=(const PagePipeline&) = delete;

  // Queues `page`; blocks while the pipeline is full. Returns the page's index, or
  // kCancelled after Cancel, kFailedPrecondition after Close.
  Result<int> Submit(PageImage page);
  // Records a page that could not even be loaded, so numbering and order hold and the
  // consumer sees the error in its place. Never blocks on capacity.
  int SubmitFailed(std::string source, int source_page, Error error);
  // No more pages will be submitted.
  void Close();
  // The next page in submission order, waiting for it if needed; nullopt once Close was
  // called and every page was delivered, or after Cancel.
  std::optional<ProcessedPage> Next();
  // Stops: queued pages are dropped, pages in work finish, Next returns nullopt.
  void Cancel();

  PipelineProgress progress() const;
  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  struct Job {
    int index;
    PageImage page;
  };

  explicit PagePipeline(const PipelineOptions& options);
  void WorkerLoop(OcrEngine* engine);
  ProcessedPage Process(Job job, OcrEngine* engine) const;

  const PipelineOptions options_;
  std::vector<std::unique_ptr<OcrEngine>> engines_;
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // jobs queued, or stopping
  std::condition_variable space_cv_;  // room for another page
  std::condition_variable done_cv_;   // a result arrived
  std::deque<Job> queue_;             // GUARDED_BY(mu_), oldest first
  std::map<int, ProcessedPage> done_; // GUARDED_BY(mu_), finished, not yet delivered
  int next_index_ = 0;                // GUARDED_BY(mu_)
  int next_delivery_ = 0;             // GUARDED_BY(mu_)
  bool closed_ = false;               // GUARDED_BY(mu_)
  bool cancelled_ = false;            // GUARDED_BY(mu_)
  PipelineProgress progress_;         // GUARDED_BY(mu_)
};

}  // namespace intake::ocr

#endif  // INTAKE_OCR_PIPELINE_H_
