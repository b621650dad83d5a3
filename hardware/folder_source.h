// The folder source: pages that arrive as files rather than from a SANE device.
//
// Two uses share this file:
//   - scan-to-folder: a network scanner (or a person) drops files into an inbox folder;
//     FolderWatcher (below) offers each file once it is complete and, when the caller says
//     the batch holding its pages is durably stored, moves it to inbox/done/; a file the
//     station cannot use goes to inbox/failed/ with a reason file beside it;
//   - file import (`station import FILE...|DIR`): FolderSource, a Scanner whose sessions
//     yield the pages of the given files in order.
//
// Content is recognised by its first bytes, never by the file name: PNG, TIFF (every
// directory of a multi-page TIFF is a page), JPEG and PDF. Image files are not decoded
// here (the image loader lives in ocr/, which hardware/ may not use): their pages are
// FilePages for the station to decode. PDF pages are rasterised here with poppler-cpp at
// the batch's resolution into RawFrames (8-bit grey, or 8-bit RGB when the page has
// colour; see PdfRasterizer).
//
// Nothing here ever deletes an input file. Files only move, by atomic rename within the
// inbox's file system, and the directories are flushed (fsync) after each move.
//
// Thread-safety: the free functions may be called from any thread. A FolderWatcher, a
// FolderSession and a PdfRasterizer are each used by one thread at a time (the station's
// acquire thread), except FolderSession::Cancel(), which any thread may call. FolderSource
// itself holds only its path list and may be shared.
#ifndef INTAKE_HARDWARE_FOLDER_SOURCE_H_
#define INTAKE_HARDWARE_FOLDER_SOURCE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "hardware/scanner.h"

namespace poppler {
class document;
}  // namespace poppler

namespace intake::hardware {

// ---------------------------------------------------------------------------------------
// File content

enum class FileFormat { kPng, kTiff, kJpeg, kPdf };

// "PNG", "TIFF", "JPEG", "PDF".
std::string_view FileFormatName(FileFormat format);

struct FileContent {
  FileFormat format = FileFormat::kPng;
  int page_count = 1;  // TIFF directories, PDF pages; 1 for PNG and JPEG
};

// Recognises the format of the file at `path` by its magic bytes and checks, without
// decoding pixels, that the file is whole: a PNG's chunks run from IHDR to IEND within the
// file, a JPEG has its end-of-image marker after the scan data, every TIFF directory and
// every strip or tile it points to lies within the file, a PDF ends with %%EOF. A
// half-written file therefore fails here.
// Errors (messages in Danish, naming the file by its base name and saying what to do):
// kNotFound (no such file), kIOError (cannot be read), kInvalidArgument (empty, a
// directory or other non-regular file, not PNG/TIFF/JPEG/PDF, incomplete or damaged).
Result<FileFormat> DetectFileFormat(const std::string& path);

// DetectFileFormat plus the page count: TIFF directories counted with libtiff (more than
// 10000 is refused), PDF pages by opening the document with poppler, which also refuses
// damaged, password-protected and page-less PDFs (kInvalidArgument). libtiff and poppler
// messages go to the debug log, never to stderr.
Result<FileContent> InspectFile(const std::string& path);

// Names that are never taken from an inbox or a directory import: hidden files (".x"),
// editor and transfer temporaries ("~x", "x.part", "x.tmp", "x.filepart", "x.crdownload",
// "x.partial"; the suffixes in any case) and the Windows folder files "Thumbs.db" and
// "desktop.ini" (any case), which SMB clients leave in shared folders. Writers that use
// temporary names rename the file to its final name when it is complete, which the watcher
// sees as a file moved in.
bool IsIgnoredFileName(std::string_view name);

// Natural order for file names, as a file manager shows them: runs of digits compare by
// their value ("side2.png" before "side10.png"), everything else byte by byte; names that
// compare equal this way ("a01", "a1") fall back to plain byte order, so the order is total.
bool NaturalLess(std::string_view a, std::string_view b);

// ---------------------------------------------------------------------------------------
// PDF rasterisation

// One PDF opened with poppler-cpp, rendered page by page (one page in memory at a time).
//
// A page is rendered at `dpi` in both directions (antialiased, white paper), so it is
// width_pt × dpi / 72 by height_pt × dpi / 72 pixels, each rounded to the nearest whole
// pixel (poppler's rule; .5 rounds up), with the crop box turned by the page's /Rotate.
// The result is 8-bit grey (channels 1, 0 = black) unless the page has colour, then 8-bit
// RGB (channels 3): a pixel counts as coloured when its largest and smallest channel
// differ by more than 24 levels, and the page is colour when at least 1 in 1000 pixels is
// coloured. That keeps neutral scans grey (colour noise of a scanner stays well below 24
// levels) and keeps a stamp, a signature in blue ink or yellowed paper in colour. Grey is
// luminance (0.299 R + 0.587 G + 0.114 B).
//
// Thread-safety: one thread at a time. The station rasterises on its acquire thread only;
// several rasterizers in parallel threads were not tested.
class PdfRasterizer {
 public:
  // Resolution limits for RenderPage, dots per inch.
  static constexpr int kMinDpi = 50;
  static constexpr int kMaxDpi = 1200;
  // Largest rendered page, checked from the page size before rendering (as the image
  // loader's defaults, ocr/image_io.h): 30000 pixels a side, 150 million pixels.
  static constexpr int kMaxDimension = 30000;
  static constexpr int64_t kMaxPixels = 150'000'000;

  // Opens the PDF at `path`. Errors: kNotFound, kIOError, kInvalidArgument (not a PDF,
  // damaged, protected by a password, no pages), kUnavailable (poppler built without a
  // renderer). Messages are in Danish and name the file by its base name.
  static Result<std::unique_ptr<PdfRasterizer>> Open(const std::string& path);

  ~PdfRasterizer();
  PdfRasterizer(const PdfRasterizer&) = delete;
  PdfRasterizer& operator=(const PdfRasterizer&) = delete;

  int page_count() const { return page_count_; }

  // Renders page `index` (0-based) at `dpi`. Errors: kInvalidArgument (dpi outside
  // kMinDpi..kMaxDpi, a page too large for the limits above, a page poppler cannot
  // render), kUnavailable (out of memory). The message names the page and the file.
  // REQUIRES: 0 <= index < page_count().
  Result<RawFrame> RenderPage(int index, int dpi) const;

 private:
  PdfRasterizer(std::string name, std::unique_ptr<poppler::document> doc, int page_count);

  std::string name_;  // base name, CPR-masked, for messages
  std::unique_ptr<poppler::document> doc_;
  int page_count_ = 0;
};

// ---------------------------------------------------------------------------------------
// File import: FolderSource and its sessions

// A file all of whose pages a FolderSession has returned.
struct ImportedFile {
  std::string path;
  FileFormat format = FileFormat::kPng;
  int page_count = 0;
  int first_sheet = 0;  // sheet number of its first page
};

// A file the session could not use, and why.
struct FailedFile {
  std::string path;
  Error error;
  // Pages of this file returned before the error. Nearly always 0: a file is inspected
  // whole before its first page is returned; only a PDF page that fails to render after
  // earlier pages rendered leaves a number above 0. The caller decides whether to keep
  // those pages; the file is not an ImportedFile either way.
  int pages_delivered = 0;
};

// The pages of a list of files, in order.
//
// NextPage contract (which differs from a SANE session's in one point): an error other
// than kCancelled concerns exactly one file, recorded as failed_files().back(); the
// session has already moved on, and the next NextPage call continues with the next file.
// So a batch never stops for one bad file; the caller collects the errors and the files
// (e.g. to move them to failed/). Codes: kInvalidArgument (content unusable: unknown
// format, incomplete, damaged, password, no pages), kNotFound (the file disappeared),
// kIOError (cannot be read), kUnavailable (out of memory rendering a PDF page). After
// Cancel(), NextPage returns kCancelled from then on. nullopt ends the batch, also when
// every file failed (an empty list is refused by FolderSource, so a session always has at
// least one file).
//
// Pages: every page is its own sheet (side kFront), numbered consecutively from
// ScanSettings::first_sheet across all files; a failed file uses no sheet numbers.
// ScannedPage::source is the file's base name (CPR-masked). PNG, JPEG and TIFF pages are
// FilePage{path, page_index} with dpi 0 (the loader reads the file's resolution); PDF
// pages are RawFrames rendered at ScanSettings::dpi, with that dpi.
//
// delivered_files() lists, in order, the files whose pages were all returned: only those
// may be moved to done/ (FolderWatcher::MarkDone), and only after the batch holding their
// pages is durably stored.
class FolderSession : public ScanSession {
 public:
  // Use FolderSource::Import.
  FolderSession(std::vector<std::string> paths, int dpi, int first_sheet);
  ~FolderSession() override;

  Result<std::optional<ScannedPage>> NextPage() override;
  // last_complete_sheet: the last sheet returned (first_sheet - 1 before any page);
  // reload_from_sheet: the one after it.
  ScanFaultInfo fault_info() const override;
  void Cancel() override;

  // The batch's files, in the order their pages come.
  const std::vector<std::string>& files() const { return paths_; }
  const std::vector<ImportedFile>& delivered_files() const { return delivered_; }
  const std::vector<FailedFile>& failed_files() const { return failed_; }

 private:
  // Inspects paths_[next_file_] and makes it the current file; on failure records it and
  // moves past it.
  Status OpenNextFile();
  // Records the current file as failed with `error` and moves to the next file.
  Error FailCurrent(Error error);

  std::vector<std::string> paths_;
  int dpi_;
  int next_sheet_;
  int first_sheet_;
  std::atomic<bool> cancelled_{false};

  size_t next_file_ = 0;                 // index into paths_ of the next file to open
  std::optional<ImportedFile> current_;  // the open file, pages pending
  std::string current_name_;             // its base name, masked
  int next_page_ = 0;                    // next page index in the current file
  std::unique_ptr<PdfRasterizer> pdf_;   // the current file's document, if a PDF

  std::vector<ImportedFile> delivered_;
  std::vector<FailedFile> failed_;
};

// A Scanner over files: `station import FILE...|DIR`.
//
// ListDevices() returns one device, kDeviceName ("folder", type "folder").
// StartBatch(settings) imports settings.device: a file or a directory path; "" or
// kDeviceName mean the paths given to the constructor (write "./folder" for a directory
// literally called "folder"). A directory contributes its regular files, non-recursively
// (so done/ and failed/ and every other subdirectory are skipped), in NaturalLess order,
// without ignored names (IsIgnoredFileName). Files named explicitly are taken whatever
// their name. A file named twice (also through a directory or another path to the same
// inode) is imported once, at its first place.
class FolderSource : public Scanner {
 public:
  static constexpr std::string_view kDeviceName = "folder";

  FolderSource() = default;
  // `paths`: files and directories, imported in this order.
  explicit FolderSource(std::vector<std::string> paths) : paths_(std::move(paths)) {}

  Result<std::vector<DeviceInfo>> ListDevices() override;
  Result<std::unique_ptr<ScanSession>> StartBatch(const ScanSettings& settings) override;

  // As StartBatch, returning the concrete session (for delivered_files and failed_files).
  Result<std::unique_ptr<FolderSession>> StartImport(const ScanSettings& settings) const;

  // The import of `paths` (files and directories, expanded as described above) with the
  // dpi and first sheet of `settings` (its device, source and mode are not used; PDF pages
  // are grey or colour by content, see PdfRasterizer). Errors, before any page:
  // kNotFound (a path does not exist), kIOError (a directory cannot be listed),
  // kInvalidArgument (no paths, a path that is neither a file nor a directory, no files
  // at all, dpi outside PdfRasterizer::kMinDpi..kMaxDpi, first_sheet < 1). The files
  // themselves are inspected one by one as the session reaches them.
  static Result<std::unique_ptr<FolderSession>> Import(const std::vector<std::string>& paths,
                                                       const ScanSettings& settings);

  // The files `paths` expand to, in import order (see the class comment).
  static Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

 private:
  std::vector<std::string> paths_;
};

// ---------------------------------------------------------------------------------------
// Scan-to-folder: FolderWatcher

struct FolderWatcherOptions {
  // How long a file must stay unchanged (same size and modification time, no write
  // events) after it was closed by its writer or moved in, before it is offered. SMB and
  // FTP servers may close a file and open it again while a scan is still being
  // transferred, so a close alone does not prove the file complete. Milliseconds, at
  // least 0; default 2000.
  std::chrono::milliseconds quiet_period{2000};
  // How often the inbox is listed in addition to inotify, to catch files inotify cannot
  // report (an inbox on a network file system written by another machine). The listing
  // is also made at start and after an inotify queue overflow. Milliseconds; 0 = only
  // then; default 30000.
  std::chrono::milliseconds rescan_interval{30000};
};

// A complete file in the inbox, as offered by FolderWatcher::Next. The identity fields
// tell whether the file is still the one that was offered.
struct IncomingFile {
  std::string path;  // inbox + "/" + name
  std::string name;  // the file name in the inbox
  int64_t size = 0;
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  uint64_t device = 0;
  uint64_t inode = 0;
};

// Watches an inbox folder for files written by network scanners (scan-to-folder) and
// offers each complete file once.
//
// A file is complete when its writer closed it after writing (inotify IN_CLOSE_WRITE) or
// it was moved in (IN_MOVED_TO), and it then stayed unchanged for the quiet period. A
// file that is written again after a close is open again until its next close. Files
// present when the watcher starts (left by a previous run, e.g. one that stopped in the
// middle of a batch) are offered too, after the quiet period, in order of modification
// time; the writer of such a file is unknown, so only the quiet period protects it. Names
// for which IsIgnoredFileName holds, subdirectories, symbolic links and other non-regular
// files are never offered.
//
// An offered file is "in flight" until the caller settles it: MarkDone once the batch
// holding its pages is durably stored, MarkFailed when its content cannot be used, or
// Release to have it offered again later. A file left in flight when the process ends
// stays in the inbox and is offered again by the next watcher. If a file in flight is
// written to, replaced or removed, settling it reports that (kFailedPrecondition or
// kNotFound) instead of moving it, and a file that is still there is offered again; it is
// never lost and never moved unseen.
//
// Layout: inbox/done/ holds consumed files under their own names (with "_2", "_3" ...
// before the extension if the name is taken); inbox/failed/ holds rejected files and,
// beside each, "<name>.reason.txt" (Danish, with the time). Both are created at Open.
// Nothing is ever deleted.
//
// Thread-safety: one thread at a time (see the top of this file).
class FolderWatcher {
 public:
  static constexpr std::string_view kDoneDir = "done";
  static constexpr std::string_view kFailedDir = "failed";

  // Starts watching `inbox`, creating inbox/done/ and inbox/failed/ if needed; the files
  // already in the inbox become candidates. Errors: kNotFound (no inbox), kInvalidArgument
  // (not a directory, or done/ or failed/ exists but is not a directory; negative
  // options), kIOError (cannot be read or written, e.g. permissions), kUnavailable (the
  // system's inotify limits are reached). Messages name the folder and say what to do.
  static Result<std::unique_ptr<FolderWatcher>> Open(const std::string& inbox,
                                                     const FolderWatcherOptions& options = {});

  ~FolderWatcher();
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

  // Waits up to `timeout` for a complete file and returns it (now in flight); files that
  // became complete earlier come first, and among those the one that arrived first.
  // nullopt when none is complete within the timeout (0: do not wait). Errors:
  // kNotFound when the inbox itself was removed, moved or unmounted (every later call
  // returns the same error; open a new watcher), kIOError when inotify cannot be read.
  Result<std::optional<IncomingFile>> Next(std::chrono::milliseconds timeout);

  // OK if `file` is still in the inbox unchanged (same inode, size and modification
  // time). kNotFound if it is gone, kFailedPrecondition if it changed. Does not settle it.
  Status CheckUnchanged(const IncomingFile& file) const;

  // Moves the in-flight `file` to done/ (atomic rename, then both directories flushed).
  // Call only once every page of the file is durably stored. Errors: kFailedPrecondition
  // (the file changed while being processed: it stays in the inbox and is offered again;
  // or it is not in flight with this watcher), kNotFound (it disappeared), kIOError (the
  // rename or flush failed; the file is then still in the inbox, in flight).
  Status MarkDone(const IncomingFile& file);

  // Moves the in-flight `file` to failed/ and writes "<name>.reason.txt" beside it, with
  // `reason` (Danish, for the person who will look at the file), the time and what to do.
  // The reason file is written (and flushed) before the file moves, so a rejected file
  // always has its reason. Errors as MarkDone.
  Status MarkFailed(const IncomingFile& file, std::string_view reason);

  // Gives an in-flight file back: it is offered again after the quiet period (e.g. after
  // storing its batch failed and should be retried). Unknown files are ignored.
  void Release(const IncomingFile& file);

  const std::string& inbox() const { return inbox_; }
  std::string done_dir() const { return inbox_ + "/" + std::string(kDoneDir); }
  std::string failed_dir() const { return inbox_ + "/" + std::string(kFailedDir); }

 private:
  using Clock = std::chrono::steady_clock;

  // What the watcher knows about one name in the inbox.
  struct Entry {
    uint64_t arrival = 0;    // order of first sight
    bool in_flight = false;  // offered by Next, not yet settled
    bool open = false;       // being written: created or modified, not closed since
    bool changed = false;    // in flight and touched since it was offered
    Clock::time_point last_change;
    IncomingFile snapshot;  // identity at the last stat
  };

  FolderWatcher(std::string inbox, int inotify_fd, FolderWatcherOptions options);

  Status ReadEvents();
  void OnEvent(uint32_t mask, const std::string& name);
  // Lists the inbox: new files become candidates, vanished waiting ones are forgotten;
  // with `events_lost` (queue overflow) every waiting file starts its quiet period anew.
  Status Rescan(bool events_lost);
  // Adds or refreshes `name` as a waiting candidate; false if it is not a file to take.
  bool Track(const std::string& name, bool open);
  // Checks the in-flight entry for `file` before settling it; on a change puts it back
  // into waiting (or forgets it if it is gone) and returns the error.
  Status CheckInFlight(const IncomingFile& file);
  // Renames inbox/name into `dir` under a free name (with `also_free_suffix`, a name whose
  // "<name><suffix>" is free as well), verifies that what moved is `file`, flushes both
  // directories; returns the final name. `before_move` runs with the chosen name first.
  Result<std::string> MoveOut(const IncomingFile& file, const std::string& dir,
                              std::string_view also_free_suffix,
                              const std::function<Status(const std::string&)>& before_move);

  // After MoveOut failed with `error`: keeps the file in flight if it is still in the
  // inbox unchanged and the error was an I/O error (the caller may retry), otherwise puts
  // it back to waiting or forgets it. Returns `error`.
  Error AfterFailedMove(const IncomingFile& file, const Error& error);

  std::string inbox_;
  int fd_ = -1;  // inotify
  FolderWatcherOptions options_;
  std::map<std::string, Entry> entries_;
  uint64_t next_arrival_ = 1;
  Clock::time_point next_rescan_;
  std::optional<Error> fatal_;  // the inbox is gone
};

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_FOLDER_SOURCE_H_
