#include "ocr/pipeline.h"

#include <algorithm>
#include <cmath>
#include <new>

#include <leptonica/allheaders.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"

namespace intake::ocr {
namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string PageName(const PageImage& page) {
  return "side " + std::to_string(page.source_page) + " i " + page.source;
}

void ScaleBox(PixelBox& b, double f) {
  b.x = static_cast<int>(std::lround(b.x * f));
  b.y = static_cast<int>(std::lround(b.y * f));
  b.width = static_cast<int>(std::lround(b.width * f));
  b.height = static_cast<int>(std::lround(b.height * f));
}

// Maps OCR coordinates from a scaled-down OCR image back to the prepared page.
void ScaleOcrResult(OcrResult& r, double f) {
  for (OcrWord& w : r.words) ScaleBox(w.box, f);
  for (OcrLine& l : r.lines) {
    ScaleBox(l.box, f);
    l.baseline_x1 = static_cast<int>(std::lround(l.baseline_x1 * f));
    l.baseline_y1 = static_cast<int>(std::lround(l.baseline_y1 * f));
    l.baseline_x2 = static_cast<int>(std::lround(l.baseline_x2 * f));
    l.baseline_y2 = static_cast<int>(std::lround(l.baseline_y2 * f));
  }
}

}  // namespace

PagePipeline::PagePipeline(const PipelineOptions& options) : options_(options) {}

Result<std::unique_ptr<PagePipeline>> PagePipeline::Start(const PipelineOptions& options,
                                                          const OcrEngineFactory& make_engine) {
  // Leptonica's own warnings ("max found at sweep edge" ...) are expected on some pages and
  // mean nothing to an operator; the pipeline reports what matters itself.
  setMsgSeverity(L_SEVERITY_ERROR);
  PipelineOptions opts = options;
  if (opts.workers <= 0) {
    opts.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  opts.max_pages_in_memory = std::max(2, opts.max_pages_in_memory);
  std::unique_ptr<PagePipeline> pipeline(new PagePipeline(opts));
  for (int i = 0; i < opts.workers; ++i) {
    INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<OcrEngine> engine, make_engine());
    pipeline->engines_.push_back(std::move(engine));
  }
  for (auto& engine : pipeline->engines_) {
    pipeline->threads_.emplace_back(&PagePipeline::WorkerLoop, pipeline.get(), engine.get());
  }
  return pipeline;
}

PagePipeline::~PagePipeline() {
  Cancel();
  for (auto& t : threads_) t.join();
}

Result<int> PagePipeline::Submit(PageImage page) {
  std::unique_lock lock(mu_);
  space_cv_.wait(lock, [&] {
    return cancelled_ || next_index_ - next_delivery_ < options_.max_pages_in_memory;
  });
  if (cancelled_) return Error(ErrorCode::kCancelled, "behandlingen af siderne blev afbrudt");
  if (closed_) return Error(ErrorCode::kFailedPrecondition, "der kan ikke tilføjes flere sider");
  const int index = next_index_++;
  queue_.push_back(Job{index, std::move(page)});
  ++progress_.submitted;
  work_cv_.notify_one();
  return index;
}

int PagePipeline::SubmitFailed(std::string source, int source_page, Error error) {
  std::lock_guard lock(mu_);
  const int index = next_index_++;
  ProcessedPage failed;
  failed.analysis.index = index;
  failed.analysis.source = std::move(source);
  failed.analysis.source_page = source_page;
  failed.analysis.error = std::move(error);
  done_.emplace(index, std::move(failed));
  ++progress_.submitted;
  ++progress_.processed;
  ++progress_.failed;
  done_cv_.notify_all();
  return index;
}

void PagePipeline::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  done_cv_.notify_all();
  work_cv_.notify_all();
}

void PagePipeline::Cancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  queue_.clear();
  work_cv_.notify_all();
  space_cv_.notify_all();
  done_cv_.notify_all();
}

std::optional<ProcessedPage> PagePipeline::Next() {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] {
    return cancelled_ || done_.count(next_delivery_) != 0 ||
           (closed_ && next_delivery_ == next_index_);
  });
  if (cancelled_) return std::nullopt;
  auto it = done_.find(next_delivery_);
  if (it == done_.end()) return std::nullopt;  // closed and drained
  ProcessedPage page = std::move(it->second);
  done_.erase(it);
  ++next_delivery_;
  ++progress_.delivered;
  space_cv_.notify_all();
  return page;
}

PipelineProgress PagePipeline::progress() const {
  std::lock_guard lock(mu_);
  return progress_;
}

void PagePipeline::WorkerLoop(OcrEngine* engine) {
  if (options_.worker_nice > 0) {
    // Per thread on Linux. Failure only costs the scanner thread some priority.
    const pid_t tid = static_cast<pid_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    if (errno == 0 &&
        ::setpriority(PRIO_PROCESS, static_cast<id_t>(tid), current + options_.worker_nice) != 0) {
      log::Debug("pipeline: cannot lower a worker's priority");
    }
  }
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return cancelled_ || closed_ || !queue_.empty(); });
      if (cancelled_ || (queue_.empty() && closed_)) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    const int index = job.index;
    ProcessedPage result = Process(std::move(job), engine);
    std::lock_guard lock(mu_);
    ++progress_.processed;
    if (result.analysis.error) ++progress_.failed;
    done_.emplace(index, std::move(result));
    done_cv_.notify_all();
  }
}

ProcessedPage PagePipeline::Process(Job job, OcrEngine* engine) const {
  ProcessedPage out;
  PageAnalysis& a = out.analysis;
  a.index = job.index;
  a.source = job.page.source;
  a.source_page = job.page.source_page;
  a.dpi = job.page.dpi;
  a.dpi_assumed = job.page.dpi_assumed;
  a.ocr_engine = engine->Describe();
  const std::string name = PageName(job.page);
  const Clock::time_point deadline = Clock::now() + options_.page_timeout;

  try {
    PreprocessOptions pre = options_.preprocess;
    pre.page_index = job.index;
    Clock::time_point t = Clock::now();
    Result<PreparedPage> prepared = PreparePage(job.page, pre, engine, deadline);
    a.timings.preprocess_ms = MillisecondsSince(t);
    job.page.pix.reset();  // the original is no longer needed
    if (!prepared) {
      a.error = prepared.error().WithContext(name);
      return out;
    }
    PreparedPage& p = *prepared;
    a.orientation = p.orientation;
    a.skew = p.skew;
    a.skew_corrected = p.skew_corrected;
    a.blank = p.blank;
    a.content = p.content;

    if (options_.detect_barcodes) {
      t = Clock::now();
      Result<std::vector<Barcode>> codes = DetectBarcodes(p.gray.get());
      a.timings.barcodes_ms = MillisecondsSince(t);
      if (codes) {
        a.barcodes = std::move(*codes);
      } else {
        LOG(kWarning) << name << ": stregkodelæsning fejlede: " << codes.error().message();
      }
    }

    if (!p.blank.blank) {
      t = Clock::now();
      // OCR at no more than the OCR resolution: finer scans only cost time.
      const int ocr_dpi = options_.preprocess.ocr_dpi;
      const PIX* ocr_image = p.binary.get();
      PixPtr scaled;
      double back = 1.0;
      if (p.dpi > ocr_dpi * 1.15) {
        const float f = static_cast<float>(ocr_dpi) / static_cast<float>(p.dpi);
        scaled.reset(pixScaleToGray(p.binary.get(), f));
        if (scaled) {
          ocr_image = scaled.get();
          back = static_cast<double>(p.dpi) / ocr_dpi;
        }
      }
      Result<OcrResult> text =
          engine->Recognize(ocr_image, scaled ? ocr_dpi : p.dpi, deadline);
      a.timings.ocr_ms = MillisecondsSince(t);
      if (text) {
        if (back != 1.0) ScaleOcrResult(*text, back);
        a.ocr = std::move(*text);
      } else {
        a.error = text.error().WithContext(name);
      }
    }
    if (options_.keep_images) out.images = std::move(p);
  } catch (const std::bad_alloc&) {
    a.error = Error(ErrorCode::kInternal, name + ": ikke nok hukommelse");
  }
  return out;
}

}  // namespace intake::ocr
