// PageSpool: the durable store of scanned pages between the scanner and the journal.
//
// Paper is the one thing that cannot be scanned twice, so every page is on disk, flushed,
// before anything else happens to it (OCR, splitting, journalising), and stays there until
// the journal holds it. The spool is a folder per intake batch under <data_dir>/spool:
//
//   <batch id>/batch.json        what the batch is (written once, atomically)
//   <batch id>/events.log        append-only JSON lines, each flushed (fsync) when written:
//                                pages, faults, resumptions, source files done, closing
//   <batch id>/000001.png ...    page images (or copies of imported files), written aside,
//                                flushed and renamed into place BEFORE their event line
//   <batch id>/000001.json ...   the page analysis, once the page pipeline is done
//
// A crash at any point leaves either a page with its event, or a page file without one
// (an orphan, reported by Load), never an event without its file. A torn last line of
// events.log (a crash while appending) is ignored and reported. Format: storage/SPOOL.md.
//
// Thread-safety: one PageSpool may be used from several threads for different batches;
// calls for one batch must come from one thread at a time.
#ifndef INTAKE_STORAGE_PAGE_SPOOL_H_
#define INTAKE_STORAGE_PAGE_SPOOL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake::storage {

struct BatchInfo {
  std::string name;           // the operator's name for it ("Morgenpost 26/11"), may be ""
  std::string channel;        // "scanner", "folder", "import"
  std::string device;         // SANE device or folder path
  std::string operator_name;  // who ran it
  std::string received_date;  // YYYY-MM-DD: the post-opening date (drives the received date)
};

struct SpooledPage {
  int seq = 0;            // 1-based, the order of arrival in the batch
  int sheet = 0;          // 1-based sheet number (0 for imported files without sheets)
  std::string side;       // "front" or "back"
  std::string file;       // file name inside the batch folder
  int file_page = 0;      // 0-based page within `file` (multi-page TIFF, PDF)
  std::string sha256;     // of `file`
  std::string source;     // device or original file name, for messages
  int dpi = 0;            // 0: as the file says
};

struct SpoolFault {
  std::string code;     // "jammed", "cover_open", "io_error", ...
  std::string message;  // the operator message
  int last_complete_sheet = 0;
  int reload_from_sheet = 0;
};

struct BatchRecord {
  std::string id;
  BatchInfo info;
  std::string created;  // ISO 8601 UTC
  std::vector<SpooledPage> pages;    // the batch's pages, each sheet side exactly once
  // Pages of sheets the operator reloaded after a fault (scanned again), kept on disk.
  std::vector<SpooledPage> superseded;
  std::vector<SpoolFault> faults;    // in order
  // Set while the batch stands broken off after a fault (no resumption yet).
  std::optional<int> reload_from_sheet;
  std::vector<int> resumed_at;       // first sheets of resumed scans
  std::vector<std::string> sources_done;  // imported files whose pages are all stored
  bool closed = false;               // scanning finished normally
  std::vector<std::string> problems; // orphan files, a torn last event line ...

  // The sheet a resumed scan continues at (after the last complete sheet).
  int next_sheet() const;
};

class PageSpool {
 public:
  // Opens (creating if needed) the spool folder `root`.
  static Result<PageSpool> Open(std::string root);

  // Creates a new batch; returns its id (e.g. "20261126-153012-4f2a").
  Result<std::string> CreateBatch(const BatchInfo& info);

  // Stores one page image durably and records it; returns the record. `extension` is the
  // file type without dot ("png", "tif", "pdf").
  Result<SpooledPage> AddPage(const std::string& batch, SpooledPage page,
                              std::string_view bytes, std::string_view extension);

  // Stores a whole file (e.g. an imported multi-page TIFF) once; returns its name in the
  // batch folder. Pages referring to it are then added with AddPageOfFile, which hashes
  // the file unless the page's sha256 is already given (the caller hashed the bytes).
  Result<std::string> AddFile(const std::string& batch, std::string_view bytes,
                              std::string_view extension);
  Result<SpooledPage> AddPageOfFile(const std::string& batch, SpooledPage page);

  Status RecordFault(const std::string& batch, const SpoolFault& fault);
  Status RecordResume(const std::string& batch, int first_sheet);
  Status RecordSourceDone(const std::string& batch, const std::string& source);
  Status Close(const std::string& batch);

  // Stores the analysis of page `seq` (JSON text) beside the page.
  Status SaveAnalysis(const std::string& batch, int seq, std::string_view json);
  std::optional<std::string> LoadAnalysis(const std::string& batch, int seq) const;

  // Replays the batch's events. kNotFound for an unknown batch; kCorruption when
  // batch.json is unreadable.
  Result<BatchRecord> Load(const std::string& batch) const;
  Result<std::vector<std::string>> ListBatches() const;

  std::string BatchDir(const std::string& batch) const { return root_ + "/" + batch; }
  std::string PathOf(const std::string& batch, const std::string& file) const {
    return BatchDir(batch) + "/" + file;
  }
  const std::string& root() const { return root_; }

 private:
  explicit PageSpool(std::string root) : root_(std::move(root)) {}
  Status Append(const std::string& batch, std::string_view json_line);
  Result<int> NextSeq(const std::string& batch) const;

  std::string root_;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_PAGE_SPOOL_H_
