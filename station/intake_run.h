// IntakeRun: one intake batch from a scanner or a folder through the durable spool into
// the page pipeline. Shared by `station scan` and `station import`.
//
//   scanner thread:  NextPage → store durably in the spool → hand over (pixels, or only a
//                    reference once too many pages wait: "spilled", read back from disk)
//   feeder thread:   hand-overs → page pipeline (blocks when the pipeline is full; the
//                    scanner thread never does)
//   calling thread:  pipeline results in page order → analysis saved beside each page,
//                    progress
//
// Scanning therefore never waits for OCR, memory stays bounded, and every page is on disk
// before anything else happens to it. A scanner fault ends the scan: the pages before it
// are kept and processed, the spool records where it broke off, and the summary carries
// the operator message.
//
// Thread-safety: Run is called from one thread; it starts and joins its own threads.
#ifndef INTAKE_STATION_INTAKE_RUN_H_
#define INTAKE_STATION_INTAKE_RUN_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "hardware/scanner.h"
#include "ocr/image_io.h"
#include "ocr/pipeline.h"
#include "storage/page_spool.h"

namespace intake::station {

struct IntakeOptions {
  ocr::PipelineOptions pipeline;
  ocr::OcrEngineFactory engine_factory;
  // Pages held in memory between the scanner and the pipeline before further pages are
  // only kept on disk (and read back when the pipeline has room).
  int max_waiting_in_memory = 8;
  // For pages without a resolution of their own (files without one).
  int assumed_dpi = 300;
  // Imports: an error from the session other than a cancel concerns one file only (see
  // hardware::FolderSession); it is listed in bad_files and the batch goes on. A scanner's
  // error always ends the scan.
  bool file_errors_continue = false;
};

// The options `station scan`, `station import` and the web UI's intake jobs run with: the
// configured OCR workers, memory bound and page timeout, and Tesseract for the configured
// languages (engines that recognise nothing when `no_ocr`).
IntakeOptions IntakeOptionsFor(const config::Config& cfg, bool no_ocr);

// One sample of the queue for the throughput measurement.
struct QueueSample {
  double seconds = 0;   // since the start
  int scanned = 0;      // pages stored in the spool
  int processed = 0;    // pages through the pipeline
  int waiting = 0;      // scanned but not yet taken by the pipeline
  int spilled = 0;      // of all scanned pages, how many were read back from disk
};

struct IntakeSummary {
  std::string batch_id;
  int pages_scanned = 0;
  int pages_processed = 0;
  int pages_failed = 0;      // pages the pipeline could not process (kept in the spool)
  int pages_blank = 0;
  int pages_spilled = 0;
  int sheets = 0;
  std::optional<Error> fault;  // the scanner fault that ended the scan
  hardware::ScanFaultInfo fault_info;
  std::vector<std::string> bad_files;  // imports: files that could not be read
  std::vector<QueueSample> samples;
  double seconds = 0;
};

// Called on the calling thread after each processed page.
using PageCallback = std::function<void(const ocr::PageAnalysis&, const IntakeSummary&)>;

// Runs the batch `batch_id` (already created in `spool`) from `session` to the end of the
// feeder, a fault or a cancel. Errors: the spool cannot be written (kIOError: the scan is
// stopped at once, nothing stored is lost), or the pipeline cannot start.
Result<IntakeSummary> RunIntake(hardware::ScanSession& session, storage::PageSpool& spool,
                                const std::string& batch_id, const IntakeOptions& options,
                                const PageCallback& on_page);

// The page image of a device frame (1 bpp stays 1 bpp; 16-bit samples become 8-bit).
Result<ocr::PageImage> FrameToPageImage(const hardware::RawFrame& frame, int dpi,
                                        const std::string& source, int page_number);

// Lossless PNG bytes of a page image for the spool (fast compression).
Result<std::string> EncodePng(const PIX* pix);

}  // namespace intake::station

#endif  // INTAKE_STATION_INTAKE_RUN_H_
