#include "hardware/folder_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>
#include <set>
#include <utility>

// clang-format off
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page.h>
#include <poppler-page-renderer.h>
#include <tiffio.h>
// clang-format on

#include "base/atomic_file.h"
#include "base/cpr_mask.h"
#include "base/log.h"

namespace intake::hardware {
namespace {

// What to tell a person about a file the station cannot use.
constexpr std::string_view kResendAdvice =
    "scan papiret igen, eller bed afsenderen om en ny kopi af filen";

// Most pages a TIFF may have (a sanity limit against looping directory chains).
constexpr int kMaxTiffPages = 10000;

// ---------------------------------------------------------------------------------------
// Names and small file helpers

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base.empty() ? std::string("(uden navn)") : std::string(base);
}

// The name used in messages and ScannedPage::source.
std::string DisplayName(std::string_view path) { return MaskCpr(BaseName(path)); }

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// The names in directory `dir` for which IsIgnoredFileName is false, in directory order.
// `label` names the directory in messages ("mappen /x", "indbakken /x").
Result<std::vector<std::string>> ListDirectory(const std::string& dir, const std::string& label) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) {
    return Error(ErrorCode::kIOError, FromErrno(label + " kan ikke læses", errno).message());
  }
  std::vector<std::string> names;
  for (;;) {
    errno = 0;  // readdir signals an error only through errno
    const dirent* ent = ::readdir(d.get());
    if (ent == nullptr) {
      if (errno != 0) {
        return Error(ErrorCode::kIOError, FromErrno(label + " kan ikke læses", errno).message());
      }
      return names;
    }
    if (!IsIgnoredFileName(ent->d_name)) names.emplace_back(ent->d_name);
  }
}

// Closes a file descriptor at scope end.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  // Gives up ownership.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

struct OpenedFile {
  UniqueFd fd;
  int64_t size = 0;
};

// Opens a regular file for reading. O_NONBLOCK so that a FIFO in an inbox cannot block.
Result<OpenedFile> OpenRegularFile(const std::string& path, const std::string& name) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    const int e = errno;
    if (e == ENOENT) return Error(ErrorCode::kNotFound, "filen " + name + " findes ikke");
    return FromErrno("filen " + name + " kan ikke åbnes", e);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return FromErrno("filen " + name + " kan ikke læses", errno);
  if (S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument,
                 name + " er en mappe, ikke en fil; vælg en PNG-, TIFF-, JPEG- eller PDF-fil");
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument,
                 name + " er ikke en almindelig fil; vælg en PNG-, TIFF-, JPEG- eller PDF-fil");
  }
  return OpenedFile{std::move(fd), static_cast<int64_t>(st.st_size)};
}

// Up to `count` bytes from `offset` (fewer at the end of the file).
Result<std::string> ReadAt(const OpenedFile& file, int64_t offset, size_t count,
                           const std::string& name) {
  std::string out(count, '\0');
  size_t done = 0;
  while (done < count) {
    const ssize_t n = ::pread(file.fd.get(), out.data() + done, count - done,
                              static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0) {
      if (errno == EINTR) continue;
      return FromErrno("filen " + name + " kan ikke læses", errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

uint32_t Be32(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(b[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3]));
}

uint32_t Be16(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(b[at])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1]));
}

// ---------------------------------------------------------------------------------------
// Messages about file content

Error Incomplete(const std::string& name, std::string_view format, std::string_view detail) {
  return Error(ErrorCode::kInvalidArgument, name + " kan ikke bruges: " + std::string(format) +
                                                "-filen er ufuldstændig (" + std::string(detail) +
                                                "); den er måske ikke skrevet færdig; " +
                                                std::string(kResendAdvice));
}

Error Damaged(const std::string& name, std::string_view format, std::string_view detail) {
  return Error(ErrorCode::kInvalidArgument, name + " kan ikke bruges: " + std::string(format) +
                                                "-filen er beskadiget (" + std::string(detail) +
                                                "); " + std::string(kResendAdvice));
}

// ---------------------------------------------------------------------------------------
// Structure checks, one per format

Status CheckPng(const OpenedFile& file, const std::string& name) {
  int64_t offset = 8;
  bool first = true;
  for (;;) {
    INTAKE_ASSIGN_OR_RETURN(const std::string head, ReadAt(file, offset, 8, name));
    if (head.size() < 8) return Incomplete(name, "PNG", "slutmarkeringen IEND mangler");
    const uint32_t length = Be32(head, 0);
    const std::string type = head.substr(4, 4);
    if (length > 0x7fffffffu) return Damaged(name, "PNG", "ugyldig bloklængde");
    if (first && type != "IHDR") return Damaged(name, "PNG", "IHDR-blokken mangler");
    first = false;
    const int64_t end = offset + 12 + static_cast<int64_t>(length);
    if (end > file.size) return Incomplete(name, "PNG", "filen slutter midt i en blok");
    if (type == "IEND") return OkStatus();
    offset = end;
  }
}

Status CheckJpeg(const OpenedFile& file, const std::string& name) {
  // Walks the marker segments up to the start of scan (SOS), then looks for the
  // end-of-image marker near the end of the file. In entropy-coded data every 0xFF byte is
  // followed by 0x00 or a restart marker, so FF D9 there is the real end; segments before
  // SOS (where an EXIF thumbnail keeps its own FF D9) are skipped.
  int64_t offset = 2;
  int64_t scan_start = -1;
  while (scan_start < 0) {
    INTAKE_ASSIGN_OR_RETURN(const std::string m, ReadAt(file, offset, 4, name));
    if (m.size() < 2) return Incomplete(name, "JPEG", "billeddata mangler");
    if (static_cast<uint8_t>(m[0]) != 0xFF) return Damaged(name, "JPEG", "ugyldig markør");
    const uint8_t code = static_cast<uint8_t>(m[1]);
    if (code == 0xFF) {  // fill byte
      offset += 1;
      continue;
    }
    if (code == 0xD8 || code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
      offset += 2;
      continue;
    }
    if (code == 0xD9) return Damaged(name, "JPEG", "filen slutter før billeddata");
    if (m.size() < 4) return Incomplete(name, "JPEG", "filen slutter midt i en markør");
    const uint32_t length = Be16(m, 2);
    if (length < 2) return Damaged(name, "JPEG", "ugyldig segmentlængde");
    const int64_t end = offset + 2 + length;
    if (end > file.size) return Incomplete(name, "JPEG", "filen slutter midt i et segment");
    if (code == 0xDA) scan_start = end;
    offset = end;
  }
  const int64_t from = std::max<int64_t>(scan_start, file.size - 4096);
  INTAKE_ASSIGN_OR_RETURN(const std::string tail,
                          ReadAt(file, from, static_cast<size_t>(file.size - from), name));
  if (tail.find("\xFF\xD9") == std::string::npos) {
    return Incomplete(name, "JPEG", "slutmarkeringen mangler");
  }
  return OkStatus();
}

Status CheckPdfEnd(const OpenedFile& file, const std::string& name) {
  const int64_t from = std::max<int64_t>(0, file.size - 1024);
  INTAKE_ASSIGN_OR_RETURN(const std::string tail,
                          ReadAt(file, from, static_cast<size_t>(file.size - from), name));
  if (tail.find("%%EOF") == std::string::npos) {
    return Incomplete(name, "PDF", "slutmarkeringen %%EOF mangler");
  }
  return OkStatus();
}

// libtiff messages of one handle, collected instead of printed (libtiff 4.5 per-handle
// handlers; the process-wide handlers, which ocr/ may have set, are left alone).
struct TiffMessages {
  std::string first_error;
};

std::string FormatV(const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

int OnTiffError(TIFF*, void* user_data, const char* module, const char* fmt, va_list ap) {
  try {
    auto* messages = static_cast<TiffMessages*>(user_data);
    const std::string text = std::string(module != nullptr ? module : "") + ": " + FormatV(fmt, ap);
    log::Debug("libtiff: " + text);
    if (messages->first_error.empty()) messages->first_error = text;
  } catch (...) {  // libtiff is C: nothing may unwind into it.
  }
  return 1;  // handled: not passed on to the process-wide handler
}

int OnTiffWarning(TIFF*, void*, const char* module, const char* fmt, va_list ap) {
  try {
    log::Debug(std::string("libtiff: ") + (module != nullptr ? module : "") + ": " +
               FormatV(fmt, ap));
  } catch (...) {
  }
  return 1;
}

struct TiffCloser {
  void operator()(TIFF* tif) const { TIFFClose(tif); }
};

// Counts the directories (pages) of a TIFF and checks that each one's strips or tiles lie
// within the file.
Result<int> CountTiffPages(const std::string& path, const std::string& name, int64_t size) {
  TiffMessages messages;
  TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
  if (opts == nullptr) {
    return Error(ErrorCode::kUnavailable, name + " kan ikke læses: der er ikke hukommelse nok");
  }
  TIFFOpenOptionsSetErrorHandlerExtR(opts, &OnTiffError, &messages);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, &OnTiffWarning, &messages);
  TIFFOpenOptionsSetMaxSingleMemAlloc(opts, 256 * 1024 * 1024);
  // "m": no memory mapping (a file that shrinks under a mapping would kill the process).
  std::unique_ptr<TIFF, TiffCloser> tif(TIFFOpenExt(path.c_str(), "rm", opts));
  TIFFOpenOptionsFree(opts);
  if (!tif) {
    return Damaged(name, "TIFF",
                   messages.first_error.empty() ? "filhovedet kan ikke læses"
                                                : "libtiff: " + messages.first_error);
  }
  int pages = 0;
  do {
    ++pages;
    if (pages > kMaxTiffPages) {
      return Error(ErrorCode::kInvalidArgument,
                   name + " kan ikke bruges: TIFF-filen har mere end " +
                       std::to_string(kMaxTiffPages) + " sider; del den op i flere filer");
    }
    if (!messages.first_error.empty()) {
      return Damaged(name, "TIFF",
                     "side " + std::to_string(pages) + ": libtiff: " + messages.first_error);
    }
    const uint32_t striles =
        TIFFIsTiled(tif.get()) ? TIFFNumberOfTiles(tif.get()) : TIFFNumberOfStrips(tif.get());
    if (striles == 0) {
      return Damaged(name, "TIFF", "side " + std::to_string(pages) + " har ingen billeddata");
    }
    for (uint32_t s = 0; s < striles; ++s) {
      int err_offset = 0;
      int err_count = 0;
      const uint64_t offset = TIFFGetStrileOffsetWithErr(tif.get(), s, &err_offset);
      const uint64_t count = TIFFGetStrileByteCountWithErr(tif.get(), s, &err_count);
      if (err_offset != 0 || err_count != 0) {
        return Damaged(name, "TIFF",
                       "side " + std::to_string(pages) + ": billeddataenes placering mangler");
      }
      if (offset == 0 && count == 0) continue;  // a sparse (absent) tile
      if (offset == 0 || offset > static_cast<uint64_t>(size) ||
          count > static_cast<uint64_t>(size) - offset) {
        return Incomplete(
            name, "TIFF",
            "billeddata for side " + std::to_string(pages) + " ligger efter filens slutning");
      }
    }
  } while (TIFFReadDirectory(tif.get()) == 1);
  if (!messages.first_error.empty()) {
    return Damaged(name, "TIFF",
                   "sidefortegnelsen efter side " + std::to_string(pages) +
                       ": libtiff: " + messages.first_error);
  }
  return pages;
}

// A few other formats people send, for a message that says what the file is.
std::string OtherFormat(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("GIF87a") || starts("GIF89a")) return "GIF";
  if (starts("BM")) return "BMP";
  if (starts("PK\x03\x04")) return "ZIP (eller Word/Excel)";
  if (starts("\xD0\xCF\x11\xE0")) return "Office";
  if (starts("%!PS")) return "PostScript";
  if (starts("RIFF") && head.size() >= 12 && head.substr(8, 4) == "WEBP") return "WebP";
  if (starts("{\\rtf")) return "RTF";
  return "";
}

// The format by the magic bytes; nullopt for anything else. `truncated` is set when the
// file is a prefix of a known signature.
std::optional<FileFormat> FormatFromMagic(std::string_view head, bool* truncated) {
  struct Magic {
    std::string_view bytes;
    FileFormat format;
  };
  static constexpr Magic kMagics[] = {
      {std::string_view("\x89PNG\r\n\x1a\n", 8), FileFormat::kPng},
      {std::string_view("II*\0", 4), FileFormat::kTiff},
      {std::string_view("MM\0*", 4), FileFormat::kTiff},
      {std::string_view("II+\0", 4), FileFormat::kTiff},  // BigTIFF
      {std::string_view("MM\0+", 4), FileFormat::kTiff},
      {std::string_view("\xFF\xD8\xFF", 3), FileFormat::kJpeg},
      {std::string_view("%PDF-", 5), FileFormat::kPdf},
  };
  *truncated = false;
  for (const Magic& m : kMagics) {
    if (head.size() >= m.bytes.size()) {
      if (head.substr(0, m.bytes.size()) == m.bytes) return m.format;
    } else if (!head.empty() && m.bytes.substr(0, head.size()) == head) {
      *truncated = true;
    }
  }
  // PDF allows bytes before the header (ISO 32000-1, annex H.3 note 1: within 1024).
  if (head.find("%PDF-") != std::string_view::npos) return FileFormat::kPdf;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// poppler

void PopplerMessage(const std::string& text, void*) {
  try {
    log::Debug("poppler: " + text);
  } catch (...) {
  }
}

// poppler-cpp prints its messages to stderr unless told otherwise; route them (process-
// wide, once: only this file uses poppler) to the debug log.
void RoutePopplerMessagesOnce() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(&PopplerMessage, nullptr); });
}

struct Examined {
  FileContent content;
  std::unique_ptr<PdfRasterizer> pdf;  // set for PDFs when asked for
};

// Format, completeness and (optionally) page count of one file.
Result<Examined> Examine(const std::string& path, bool count_pages) {
  const std::string name = DisplayName(path);
  INTAKE_ASSIGN_OR_RETURN(const OpenedFile file, OpenRegularFile(path, name));
  if (file.size == 0) {
    return Error(
        ErrorCode::kInvalidArgument,
        name + " er tom (0 byte); den er måske ikke skrevet færdig; " + std::string(kResendAdvice));
  }
  INTAKE_ASSIGN_OR_RETURN(const std::string head, ReadAt(file, 0, 1024, name));
  bool truncated = false;
  const std::optional<FileFormat> format = FormatFromMagic(head, &truncated);
  if (!format) {
    if (truncated) return Incomplete(name, "billed", "filen er kun få byte lang");
    const std::string other = OtherFormat(head);
    return Error(ErrorCode::kInvalidArgument,
                 name + " kan ikke bruges: den er " +
                     (other.empty() ? std::string("ikke i et understøttet format")
                                    : "en " + other + "-fil") +
                     "; stationen tager PNG, TIFF, JPEG og PDF (formatet afgøres af indholdet, "
                     "ikke af filnavnet); gem eller scan dokumentet i et af dem");
  }
  Examined out;
  out.content.format = *format;
  out.content.page_count = 1;
  switch (*format) {
    case FileFormat::kPng:
      INTAKE_RETURN_IF_ERROR(CheckPng(file, name));
      break;
    case FileFormat::kJpeg:
      INTAKE_RETURN_IF_ERROR(CheckJpeg(file, name));
      break;
    case FileFormat::kTiff: {
      INTAKE_ASSIGN_OR_RETURN(out.content.page_count, CountTiffPages(path, name, file.size));
      break;
    }
    case FileFormat::kPdf:
      INTAKE_RETURN_IF_ERROR(CheckPdfEnd(file, name));
      if (count_pages) {
        INTAKE_ASSIGN_OR_RETURN(out.pdf, PdfRasterizer::Open(path));
        out.content.page_count = out.pdf->page_count();
      }
      break;
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Content

std::string_view FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kPng:
      return "PNG";
    case FileFormat::kTiff:
      return "TIFF";
    case FileFormat::kJpeg:
      return "JPEG";
    case FileFormat::kPdf:
      return "PDF";
  }
  return "?";
}

Result<FileFormat> DetectFileFormat(const std::string& path) {
  INTAKE_ASSIGN_OR_RETURN(const Examined e, Examine(path, /*count_pages=*/false));
  return e.content.format;
}

Result<FileContent> InspectFile(const std::string& path) {
  INTAKE_ASSIGN_OR_RETURN(const Examined e, Examine(path, /*count_pages=*/true));
  return e.content;
}

bool IsIgnoredFileName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.front() == '~') return true;
  const std::string lower = LowerAscii(name);
  for (std::string_view suffix : {".part", ".tmp", ".filepart", ".crdownload", ".partial"}) {
    if (EndsWith(lower, suffix)) return true;
  }
  return lower == "thumbs.db" || lower == "desktop.ini";
}

bool NaturalLess(std::string_view a, std::string_view b) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      size_t ai = i;
      size_t bj = j;
      while (ai < a.size() && a[ai] == '0') ++ai;
      while (bj < b.size() && b[bj] == '0') ++bj;
      size_t ae = ai;
      size_t be = bj;
      while (ae < a.size() && is_digit(a[ae])) ++ae;
      while (be < b.size() && is_digit(b[be])) ++be;
      if (ae - ai != be - bj) return ae - ai < be - bj;  // fewer significant digits: smaller
      const int cmp = a.substr(ai, ae - ai).compare(b.substr(bj, be - bj));
      if (cmp != 0) return cmp < 0;
      i = ae;
      j = be;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  const bool a_done = i == a.size();
  const bool b_done = j == b.size();
  if (a_done != b_done) return a_done;
  return a < b;  // equal by value ("a01", "a1"): byte order
}

// ---------------------------------------------------------------------------------------
// PdfRasterizer

PdfRasterizer::PdfRasterizer(std::string name, std::unique_ptr<poppler::document> doc,
                             int page_count)
    : name_(std::move(name)), doc_(std::move(doc)), page_count_(page_count) {}

PdfRasterizer::~PdfRasterizer() = default;

Result<std::unique_ptr<PdfRasterizer>> PdfRasterizer::Open(const std::string& path) {
  RoutePopplerMessagesOnce();
  const std::string name = DisplayName(path);
  // For clear messages about missing or unreadable files (poppler only says "null").
  INTAKE_RETURN_IF_ERROR(OpenRegularFile(path, name));
  std::unique_ptr<poppler::document> doc;
  try {
    doc.reset(poppler::document::load_from_file(path));
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::kUnavailable,
                 name + " kan ikke åbnes: der er ikke hukommelse nok; prøv igen senere");
  }
  if (!doc) {
    return Damaged(name, "PDF", "poppler kan ikke åbne dokumentet");
  }
  // Checked before anything else: poppler-cpp 22.12 crashes on pages() of a locked
  // document.
  if (doc->is_locked()) {
    return Error(ErrorCode::kInvalidArgument,
                 name +
                     " kan ikke bruges: PDF-filen er beskyttet med en adgangskode; bed "
                     "afsenderen om en kopi uden adgangskode");
  }
  const int pages = doc->pages();
  if (pages <= 0) {
    return Error(
        ErrorCode::kInvalidArgument,
        name + " kan ikke bruges: PDF-filen har ingen sider; " + std::string(kResendAdvice));
  }
  if (!poppler::page_renderer::can_render()) {
    return Error(ErrorCode::kUnavailable,
                 name +
                     " kan ikke rasteriseres: poppler er bygget uden tegnemotor; installér "
                     "Debians libpoppler-cpp0v5");
  }
  return std::unique_ptr<PdfRasterizer>(new PdfRasterizer(name, std::move(doc), pages));
}

Result<RawFrame> PdfRasterizer::RenderPage(int index, int dpi) const {
  assert(index >= 0 && index < page_count_);
  const std::string label =
      "side " + std::to_string(index + 1) + " af " + std::to_string(page_count_) + " i " + name_;
  if (dpi < kMinDpi || dpi > kMaxDpi) {
    return Error(ErrorCode::kInvalidArgument,
                 label + " kan ikke rasteriseres ved " + std::to_string(dpi) +
                     " dpi; vælg en opløsning mellem " + std::to_string(kMinDpi) + " og " +
                     std::to_string(kMaxDpi) + " dpi");
  }
  try {
    const std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (!page) return Damaged(name_, "PDF", "side " + std::to_string(index + 1) + " mangler");
    const poppler::rectf box = page->page_rect(poppler::crop_box);
    double w_pt = box.width();
    double h_pt = box.height();
    const poppler::page::orientation_enum turn = page->orientation();
    if (turn == poppler::page::landscape || turn == poppler::page::seascape) {
      std::swap(w_pt, h_pt);
    }
    if (!(w_pt > 0 && h_pt > 0)) {
      return Damaged(name_, "PDF", "side " + std::to_string(index + 1) + " har ingen størrelse");
    }
    // The size before rendering (rounded up, one pixel more than poppler at most), so a
    // poster-sized page is refused without allocating it.
    const double w_px = std::ceil(w_pt * dpi / 72.0);
    const double h_px = std::ceil(h_pt * dpi / 72.0);
    if (w_px > kMaxDimension || h_px > kMaxDimension || w_px * h_px > kMaxPixels) {
      return Error(ErrorCode::kInvalidArgument,
                   label + " er for stor til at rasterisere ved " + std::to_string(dpi) + " dpi (" +
                       std::to_string(static_cast<int64_t>(w_px)) + " × " +
                       std::to_string(static_cast<int64_t>(h_px)) + " pixel; grænsen er " +
                       std::to_string(kMaxDimension) + " pixel pr. side og " +
                       std::to_string(kMaxPixels / 1'000'000) +
                       " millioner pixel); vælg en lavere opløsning");
    }
    poppler::page_renderer renderer;
    renderer.set_render_hints(poppler::page_renderer::antialiasing |
                              poppler::page_renderer::text_antialiasing);
    renderer.set_image_format(poppler::image::format_rgb24);
    const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid() || image.format() != poppler::image::format_rgb24 || image.width() <= 0 ||
        image.height() <= 0) {
      return Damaged(name_, "PDF", "side " + std::to_string(index + 1) + " kan ikke tegnes");
    }
    const int width = image.width();
    const int height = image.height();
    const int stride = image.bytes_per_row();
    const auto* data = reinterpret_cast<const uint8_t*>(image.const_data());

    // Colour or grey (see the header): stop counting once the page is known to be colour.
    const int64_t needed = std::max<int64_t>(1, static_cast<int64_t>(width) * height / 1000);
    int64_t coloured = 0;
    for (int y = 0; y < height && coloured < needed; ++y) {
      const uint8_t* row = data + static_cast<size_t>(y) * stride;
      for (int x = 0; x < width; ++x) {
        const uint8_t r = row[3 * x];
        const uint8_t g = row[3 * x + 1];
        const uint8_t b = row[3 * x + 2];
        const int spread = std::max({r, g, b}) - std::min({r, g, b});
        if (spread > 24) ++coloured;
      }
    }
    RawFrame frame;
    frame.width = width;
    frame.height = height;
    frame.depth = 8;
    if (coloured >= needed) {
      frame.channels = 3;
      frame.bytes_per_line = width * 3;
      frame.pixels.resize(static_cast<size_t>(frame.bytes_per_line) * height);
      for (int y = 0; y < height; ++y) {
        std::memcpy(frame.pixels.data() + static_cast<size_t>(y) * frame.bytes_per_line,
                    data + static_cast<size_t>(y) * stride, static_cast<size_t>(width) * 3);
      }
    } else {
      frame.channels = 1;
      frame.bytes_per_line = width;
      frame.pixels.resize(static_cast<size_t>(width) * height);
      for (int y = 0; y < height; ++y) {
        const uint8_t* row = data + static_cast<size_t>(y) * stride;
        uint8_t* out = frame.pixels.data() + static_cast<size_t>(y) * width;
        for (int x = 0; x < width; ++x) {
          const int luma =
              (299 * row[3 * x] + 587 * row[3 * x + 1] + 114 * row[3 * x + 2] + 500) / 1000;
          out[x] = static_cast<uint8_t>(luma);
        }
      }
    }
    return frame;
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::kUnavailable, label +
                                              " kan ikke rasteriseres: der er ikke hukommelse "
                                              "nok; vælg en lavere opløsning eller prøv igen");
  }
}

// ---------------------------------------------------------------------------------------
// FolderSession

FolderSession::FolderSession(std::vector<std::string> paths, int dpi, int first_sheet)
    : paths_(std::move(paths)), dpi_(dpi), next_sheet_(first_sheet), first_sheet_(first_sheet) {}

FolderSession::~FolderSession() = default;

Status FolderSession::OpenNextFile() {
  assert(!current_ && next_file_ < paths_.size());
  const std::string& path = paths_[next_file_++];
  Result<Examined> examined = Examine(path, /*count_pages=*/true);
  if (!examined) {
    failed_.push_back(FailedFile{path, examined.error(), 0});
    LOG(kDebug) << "import: " << DisplayName(path) << " springes over: " << examined.error();
    return examined.error();
  }
  current_ =
      ImportedFile{path, examined->content.format, examined->content.page_count, next_sheet_};
  current_name_ = DisplayName(path);
  next_page_ = 0;
  pdf_ = std::move(examined->pdf);
  return OkStatus();
}

Error FolderSession::FailCurrent(Error error) {
  assert(current_);
  failed_.push_back(FailedFile{current_->path, error, next_page_});
  LOG(kDebug) << "import: " << current_name_ << " afbrudt efter " << next_page_
              << " side(r): " << error;
  current_.reset();
  pdf_.reset();
  return error;
}

Result<std::optional<ScannedPage>> FolderSession::NextPage() {
  if (cancelled_.load()) {
    return Error(ErrorCode::kCancelled, "importen af filerne blev afbrudt");
  }
  if (!current_) {
    if (next_file_ >= paths_.size()) return std::optional<ScannedPage>();
    INTAKE_RETURN_IF_ERROR(OpenNextFile());
  }
  ScannedPage page;
  page.sheet = next_sheet_;
  page.side = Side::kFront;
  page.source = current_name_;
  if (current_->format == FileFormat::kPdf) {
    Result<RawFrame> frame = pdf_->RenderPage(next_page_, dpi_);
    if (!frame) return FailCurrent(frame.error());
    page.content = std::move(*frame);
    page.dpi = dpi_;
  } else {
    page.content = FilePage{current_->path, next_page_};
    page.dpi = 0;
  }
  ++next_page_;
  ++next_sheet_;
  if (next_page_ == current_->page_count) {
    delivered_.push_back(*current_);
    current_.reset();
    pdf_.reset();
  }
  return std::optional<ScannedPage>(std::move(page));
}

ScanFaultInfo FolderSession::fault_info() const {
  return ScanFaultInfo{next_sheet_ - 1, next_sheet_};
}

void FolderSession::Cancel() { cancelled_.store(true); }

// ---------------------------------------------------------------------------------------
// FolderSource

Result<std::vector<DeviceInfo>> FolderSource::ListDevices() {
  return std::vector<DeviceInfo>{DeviceInfo{std::string(kDeviceName), "intake-station",
                                            "filimport og scan til mappe", "folder"}};
}

Result<std::unique_ptr<ScanSession>> FolderSource::StartBatch(const ScanSettings& settings) {
  return Result<std::unique_ptr<ScanSession>>(StartImport(settings));
}

Result<std::unique_ptr<FolderSession>> FolderSource::StartImport(
    const ScanSettings& settings) const {
  if (settings.device.empty() || settings.device == kDeviceName) {
    return Import(paths_, settings);
  }
  return Import({settings.device}, settings);
}

Result<std::vector<std::string>> FolderSource::ExpandPaths(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "der er ikke angivet nogen filer eller mapper at importere");
  }
  std::vector<std::string> files;
  std::set<std::pair<dev_t, ino_t>> seen;
  auto add = [&](const std::string& file, const struct stat& st) {
    if (seen.insert({st.st_dev, st.st_ino}).second) files.push_back(file);
  };
  for (const std::string& path : paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      const int e = errno;
      if (e == ENOENT) {
        return Error(ErrorCode::kNotFound,
                     path + " findes ikke; ret stien til filen eller mappen, der skal importeres");
      }
      return FromErrno(path + " kan ikke læses", e);
    }
    if (S_ISREG(st.st_mode)) {
      add(path, st);
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      return Error(ErrorCode::kInvalidArgument,
                   path +
                       " er hverken en almindelig fil eller en mappe; angiv billed- eller "
                       "PDF-filer eller en mappe med dem");
    }
    INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(path, "mappen " + path));
    std::sort(names.begin(), names.end(),
              [](const std::string& a, const std::string& b) { return NaturalLess(a, b); });
    for (const std::string& name : names) {
      const std::string file = JoinPath(path, name);
      struct stat fst {};  // regular files only, symbolic links followed
      if (::stat(file.c_str(), &fst) == 0 && S_ISREG(fst.st_mode)) add(file, fst);
    }
  }
  if (files.empty()) {
    const std::string where =
        paths.size() == 1 ? "mappen " + paths.front() : std::string("de angivne mapper");
    return Error(ErrorCode::kInvalidArgument,
                 where +
                     " indeholder ingen filer at importere (undermapper som done/ og "
                     "failed/ og skjulte eller midlertidige filer medtages ikke)");
  }
  return files;
}

Result<std::unique_ptr<FolderSession>> FolderSource::Import(const std::vector<std::string>& paths,
                                                            const ScanSettings& settings) {
  if (settings.dpi < PdfRasterizer::kMinDpi || settings.dpi > PdfRasterizer::kMaxDpi) {
    return Error(ErrorCode::kInvalidArgument, "opløsningen " + std::to_string(settings.dpi) +
                                                  " dpi kan ikke bruges til import; vælg mellem " +
                                                  std::to_string(PdfRasterizer::kMinDpi) + " og " +
                                                  std::to_string(PdfRasterizer::kMaxDpi) + " dpi");
  }
  if (settings.first_sheet < 1) {
    return Error(ErrorCode::kInvalidArgument, "det første arks nummer skal være mindst 1, ikke " +
                                                  std::to_string(settings.first_sheet));
  }
  INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> files, ExpandPaths(paths));
  return std::make_unique<FolderSession>(std::move(files), settings.dpi, settings.first_sheet);
}

// ---------------------------------------------------------------------------------------
// FolderWatcher

namespace {

constexpr uint32_t kWatchMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
                                IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF |
                                IN_ONLYDIR | IN_EXCL_UNLINK;

bool SameFile(const IncomingFile& a, const IncomingFile& b) {
  return a.size == b.size && a.mtime_ns == b.mtime_ns && a.device == b.device && a.inode == b.inode;
}

IncomingFile FromStat(const std::string& inbox, const std::string& name, const struct stat& st) {
  IncomingFile f;
  f.path = JoinPath(inbox, name);
  f.name = name;
  f.size = static_cast<int64_t>(st.st_size);
  f.mtime_ns = MtimeNs(st);
  f.device = static_cast<uint64_t>(st.st_dev);
  f.inode = static_cast<uint64_t>(st.st_ino);
  return f;
}

// "scan.pdf", 2 -> "scan_2.pdf"; "scan" -> "scan_2".
std::string NumberedName(const std::string& name, int n) {
  const size_t dot = name.find_last_of('.');
  const std::string suffix = "_" + std::to_string(n);
  if (dot == std::string::npos || dot == 0) return name + suffix;
  return name.substr(0, dot) + suffix + name.substr(dot);
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 || errno != ENOENT;
}

// rename(2) that never replaces an existing target: renameat2 with RENAME_NOREPLACE, or,
// on file systems without it, a check followed by rename (only the station writes to
// done/ and failed/). Returns 0 or an errno value.
int RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  const int e = errno;
  if (e != EINVAL && e != ENOSYS) return e;
  if (Exists(to)) return EEXIST;
  return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

std::string LocalTimeNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", &tm);
  return buf;
}

Status MakeSubdirectory(const std::string& dir, bool* created) {
  *created = false;
  if (::mkdir(dir.c_str(), 0777) == 0) {
    *created = true;
    return OkStatus();
  }
  const int e = errno;
  if (e != EEXIST) {
    return Error(ErrorCode::kIOError,
                 FromErrno("mappen " + dir +
                               " kan ikke oprettes; giv stationen skriveadgang til "
                               "indbakken",
                           e)
                     .message());
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument,
                 dir +
                     " findes, men er ikke en mappe; flyt filen væk, så stationen kan oprette "
                     "mappen");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Error(ErrorCode::kIOError, FromErrno("stationen kan ikke skrive i mappen " + dir +
                                                    "; giv brugeren skriveadgang",
                                                errno)
                                          .message());
  }
  return OkStatus();
}

}  // namespace

FolderWatcher::FolderWatcher(std::string inbox, int inotify_fd, FolderWatcherOptions options)
    : inbox_(std::move(inbox)), fd_(inotify_fd), options_(options) {}

FolderWatcher::~FolderWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<FolderWatcher>> FolderWatcher::Open(const std::string& inbox_path,
                                                           const FolderWatcherOptions& options) {
  if (options.quiet_period.count() < 0 || options.rescan_interval.count() < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "indbakkens ventetid og genlæsningsinterval må ikke være negative");
  }
  std::string inbox = inbox_path;
  while (inbox.size() > 1 && inbox.back() == '/') inbox.pop_back();
  if (inbox.empty()) {
    return Error(ErrorCode::kInvalidArgument, "der er ikke angivet nogen indbakke (mappe)");
  }
  struct stat st {};
  if (::stat(inbox.c_str(), &st) != 0) {
    const int e = errno;
    if (e == ENOENT) {
      return Error(ErrorCode::kNotFound,
                   "indbakken " + inbox + " findes ikke; opret mappen, eller ret stien");
    }
    return Error(ErrorCode::kIOError,
                 FromErrno("indbakken " + inbox + " kan ikke læses", e).message());
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument,
                 "indbakken " + inbox + " er ikke en mappe; angiv en mappe");
  }
  if (::access(inbox.c_str(), R_OK | W_OK | X_OK) != 0) {
    return Error(ErrorCode::kIOError,
                 FromErrno("stationen kan ikke læse og skrive i indbakken " + inbox +
                               "; giv brugeren læse- og skriveadgang til mappen",
                           errno)
                     .message());
  }
  bool created_done = false;
  bool created_failed = false;
  INTAKE_RETURN_IF_ERROR(MakeSubdirectory(JoinPath(inbox, std::string(kDoneDir)), &created_done));
  INTAKE_RETURN_IF_ERROR(
      MakeSubdirectory(JoinPath(inbox, std::string(kFailedDir)), &created_failed));
  if (created_done || created_failed) INTAKE_RETURN_IF_ERROR(SyncDirectory(inbox));

  UniqueFd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (fd.get() < 0) {
    const int e = errno;
    if (e == EMFILE || e == ENFILE || e == ENOMEM) {
      return Error(ErrorCode::kUnavailable,
                   "indbakken " + inbox +
                       " kan ikke overvåges: systemets grænse for inotify-instanser er nået "
                       "(fs.inotify.max_user_instances); luk andre programmer eller hæv grænsen");
    }
    return FromErrno("indbakken " + inbox + " kan ikke overvåges", e);
  }
  // The watch comes before the listing, so no file can arrive unseen between the two.
  if (::inotify_add_watch(fd.get(), inbox.c_str(), kWatchMask) < 0) {
    const int e = errno;
    if (e == ENOSPC) {
      return Error(ErrorCode::kUnavailable,
                   "indbakken " + inbox +
                       " kan ikke overvåges: systemets grænse for overvågede mapper er nået "
                       "(fs.inotify.max_user_watches); hæv grænsen");
    }
    return Error(ErrorCode::kIOError,
                 FromErrno("indbakken " + inbox + " kan ikke overvåges", e).message());
  }
  std::unique_ptr<FolderWatcher> watcher(new FolderWatcher(inbox, -1, options));
  watcher->fd_ = fd.release();
  INTAKE_RETURN_IF_ERROR(watcher->Rescan(/*events_lost=*/false));
  return watcher;
}

bool FolderWatcher::Track(const std::string& name, bool open) {
  struct stat st {};
  auto it = entries_.find(name);
  if (::lstat(JoinPath(inbox_, name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    if (it != entries_.end()) {
      if (it->second.in_flight) {
        it->second.changed = true;
      } else {
        entries_.erase(it);
      }
    }
    return false;
  }
  // A file that appears with more than one link was linked in (link(2)), not created to
  // be written: no close event will come for it.
  if (open && it == entries_.end() && st.st_nlink > 1) open = false;
  if (it == entries_.end()) {
    Entry entry;
    entry.arrival = next_arrival_++;
    it = entries_.emplace(name, entry).first;
  }
  Entry& e = it->second;
  e.open = open;
  e.last_change = Clock::now();
  if (e.in_flight) {
    e.changed = true;  // keeps the offered identity in `snapshot` for the caller's checks
  } else {
    e.snapshot = FromStat(inbox_, name, st);
  }
  return true;
}

void FolderWatcher::OnEvent(uint32_t mask, const std::string& name) {
  if ((mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED)) != 0) {
    if (!fatal_) {
      fatal_ = Error(ErrorCode::kNotFound,
                     "indbakken " + inbox_ +
                         " er slettet, flyttet eller afmonteret; genopret mappen og start "
                         "overvågningen igen");
    }
    return;
  }
  if (name.empty() || (mask & IN_ISDIR) != 0 || IsIgnoredFileName(name)) return;
  auto it = entries_.find(name);
  if ((mask & (IN_DELETE | IN_MOVED_FROM)) != 0) {
    if (it == entries_.end()) return;
    if (it->second.in_flight) {
      it->second.changed = true;
    } else {
      entries_.erase(it);
    }
    return;
  }
  if ((mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0) {
    Track(name, /*open=*/false);
    return;
  }
  if ((mask & IN_CREATE) != 0) {
    Track(name, /*open=*/true);
    return;
  }
  if ((mask & IN_MODIFY) != 0) {
    if (it == entries_.end()) {
      Track(name, /*open=*/true);
      return;
    }
    it->second.open = true;
    it->second.last_change = Clock::now();
    if (it->second.in_flight) it->second.changed = true;
  }
}

Status FolderWatcher::ReadEvents() {
  alignas(struct inotify_event) char buf[16384];
  bool overflow = false;
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      return Error(ErrorCode::kIOError,
                   FromErrno("overvågningen af indbakken " + inbox_ + " svigter", errno).message());
    }
    if (n == 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* ev = reinterpret_cast<const struct inotify_event*>(buf + at);
      std::string name;
      if (ev->len > 0) name.assign(ev->name, strnlen(ev->name, ev->len));
      if ((ev->mask & IN_Q_OVERFLOW) != 0) {
        overflow = true;
      } else {
        OnEvent(ev->mask, name);
      }
      at += static_cast<ssize_t>(sizeof(struct inotify_event) + ev->len);
    }
  }
  if (overflow) {
    log::Warning("indbakken " + inbox_ + ": for mange hændelser på én gang; mappen læses igen");
    return Rescan(/*events_lost=*/true);
  }
  return OkStatus();
}

Status FolderWatcher::Rescan(bool events_lost) {
  INTAKE_ASSIGN_OR_RETURN(const std::vector<std::string> names,
                          ListDirectory(inbox_, "indbakken " + inbox_));
  struct Found {
    int64_t mtime_ns;
    std::string name;
  };
  std::vector<Found> found;
  for (const std::string& name : names) {
    struct stat st {};
    if (::lstat(JoinPath(inbox_, name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    found.push_back(Found{MtimeNs(st), name});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.mtime_ns != b.mtime_ns ? a.mtime_ns < b.mtime_ns : a.name < b.name;
  });
  std::set<std::string> present;
  for (const Found& f : found) present.insert(f.name);
  // Waiting files that vanished without an event (network file systems) are forgotten;
  // files in flight are left to the check when they are settled.
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.in_flight && present.count(it->first) == 0) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  for (const Found& f : found) {
    auto it = entries_.find(f.name);
    if (it == entries_.end()) {
      Track(f.name, /*open=*/false);  // writer unknown: only the quiet period protects it
    } else if (events_lost && !it->second.in_flight) {
      Track(f.name, /*open=*/false);
    }
  }
  next_rescan_ = options_.rescan_interval.count() > 0 ? Clock::now() + options_.rescan_interval
                                                      : Clock::time_point::max();
  return OkStatus();
}

Result<std::optional<IncomingFile>> FolderWatcher::Next(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + std::max(timeout, std::chrono::milliseconds(0));
  for (;;) {
    if (fatal_) return *fatal_;
    INTAKE_RETURN_IF_ERROR(ReadEvents());
    if (fatal_) return *fatal_;
    Clock::time_point now = Clock::now();
    if (now >= next_rescan_) INTAKE_RETURN_IF_ERROR(Rescan(/*events_lost=*/false));

    // Files quiet for long enough, oldest arrival first.
    std::vector<std::pair<uint64_t, std::string>> ready;
    for (const auto& [name, e] : entries_) {
      if (!e.in_flight && !e.open && now - e.last_change >= options_.quiet_period) {
        ready.emplace_back(e.arrival, name);
      }
    }
    std::sort(ready.begin(), ready.end());
    for (const auto& [arrival, name] : ready) {
      Entry& e = entries_.at(name);
      struct stat st {};
      if (::lstat(JoinPath(inbox_, name).c_str(), &st) != 0) {
        if (errno == ENOENT) {
          entries_.erase(name);
        } else {
          e.last_change = now;  // try again after another quiet period
        }
        continue;
      }
      if (!S_ISREG(st.st_mode)) {
        entries_.erase(name);
        continue;
      }
      const IncomingFile current = FromStat(inbox_, name, st);
      if (!SameFile(current, e.snapshot)) {  // changed without an event we saw
        e.snapshot = current;
        e.last_change = now;
        continue;
      }
      e.in_flight = true;
      e.changed = false;
      LOG(kDebug) << "indbakke " << inbox_ << ": " << name << " er klar (" << current.size
                  << " byte)";
      return std::optional<IncomingFile>(current);
    }

    if (now >= deadline) return std::optional<IncomingFile>();
    Clock::time_point wake = std::min(deadline, next_rescan_);
    for (const auto& [name, e] : entries_) {
      if (!e.in_flight && !e.open) wake = std::min(wake, e.last_change + options_.quiet_period);
    }
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - now);
    struct pollfd pfd {
      fd_, POLLIN, 0
    };
    const int rc =
        ::poll(&pfd, 1, static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 24 * 3600 * 1000)));
    if (rc < 0 && errno != EINTR) {
      return Error(ErrorCode::kIOError,
                   FromErrno("overvågningen af indbakken " + inbox_ + " svigter", errno).message());
    }
  }
}

Status FolderWatcher::CheckUnchanged(const IncomingFile& file) const {
  struct stat st {};
  if (::lstat(file.path.c_str(), &st) != 0) {
    const int e = errno;
    if (e == ENOENT) {
      return Error(ErrorCode::kNotFound,
                   file.name + " er forsvundet fra indbakken " + inbox_ +
                       ", mens den blev behandlet; find ud af, hvem der har flyttet eller slettet "
                       "den");
    }
    return Error(ErrorCode::kIOError,
                 FromErrno(file.name + " i indbakken kan ikke læses", e).message());
  }
  if (!SameFile(FromStat(inbox_, file.name, st), file)) {
    return Error(ErrorCode::kFailedPrecondition,
                 file.name +
                     " er blevet ændret, mens den blev behandlet; den behandles igen, "
                     "når den er skrevet færdig");
  }
  return OkStatus();
}

Status FolderWatcher::CheckInFlight(const IncomingFile& file) {
  INTAKE_RETURN_IF_ERROR(ReadEvents());
  auto it = entries_.find(file.name);
  if (it == entries_.end() || !it->second.in_flight || !SameFile(it->second.snapshot, file)) {
    return Error(ErrorCode::kFailedPrecondition,
                 file.name + " er ikke udleveret af denne overvågning af indbakken " + inbox_ +
                     "; filen bliver i indbakken");
  }
  Status st = CheckUnchanged(file);
  if (st && it->second.changed) {
    st = Error(ErrorCode::kFailedPrecondition,
               file.name +
                   " er blevet skrevet til, mens den blev behandlet; den behandles "
                   "igen, når den er skrevet færdig");
  }
  if (!st) {
    it->second.in_flight = false;
    it->second.changed = false;
    // Offered again once quiet, if it is still a file; forgotten if it is gone.
    Track(file.name, it->second.open);
    LOG(kWarning) << "indbakke " << inbox_ << ": " << st.error();
  }
  return st;
}

Result<std::string> FolderWatcher::MoveOut(
    const IncomingFile& file, const std::string& dir, std::string_view also_free_suffix,
    const std::function<Status(const std::string&)>& before_move) {
  for (int n = 1; n < 100000; ++n) {
    const std::string target = n == 1 ? file.name : NumberedName(file.name, n);
    const std::string to = JoinPath(dir, target);
    if (Exists(to) || (!also_free_suffix.empty() && Exists(to + std::string(also_free_suffix)))) {
      continue;
    }
    INTAKE_RETURN_IF_ERROR(before_move(target));
    const int rc = RenameNoReplace(file.path, to);
    if (rc == EEXIST) continue;  // taken meanwhile: the next number
    if (rc != 0) {
      return Error(rc == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIOError,
                   FromErrno(file.name + " kan ikke flyttes til " + dir, rc).message());
    }
    // A file renamed over the offered one between the check and the rename would have
    // moved instead: verify, and put a stranger back where it came from.
    struct stat st {};
    if (::lstat(to.c_str(), &st) != 0 || !SameFile(FromStat(dir, target, st), file)) {
      std::string back = file.path;
      for (int k = 2; RenameNoReplace(to, back) == EEXIST && k < 100000; ++k) {
        back = JoinPath(inbox_, NumberedName(file.name, k));
      }
      return Error(ErrorCode::kFailedPrecondition,
                   file.name +
                       " blev udskiftet, mens den blev behandlet; den nye fil er lagt "
                       "tilbage i indbakken og behandles igen");
    }
    INTAKE_RETURN_IF_ERROR(SyncDirectory(dir));
    INTAKE_RETURN_IF_ERROR(SyncDirectory(inbox_));
    return target;
  }
  return Error(ErrorCode::kAlreadyExists,
               "der er ikke et ledigt navn til " + file.name + " i " + dir + "; ryd op i mappen");
}

Error FolderWatcher::AfterFailedMove(const IncomingFile& file, const Error& error) {
  auto it = entries_.find(file.name);
  if (it == entries_.end()) return error;
  if (error.code() == ErrorCode::kIOError && CheckUnchanged(file)) {
    return error;  // still there as offered: in flight, the caller may try again
  }
  // Moved after all (a flush failed), changed, replaced or gone: forgotten if no file is
  // there any more, otherwise offered again once quiet.
  it->second.in_flight = false;
  it->second.changed = false;
  Track(file.name, it->second.open);
  return error;
}

Status FolderWatcher::MarkDone(const IncomingFile& file) {
  INTAKE_RETURN_IF_ERROR(CheckInFlight(file));
  Result<std::string> moved =
      MoveOut(file, done_dir(), "", [](const std::string&) { return OkStatus(); });
  if (!moved) return AfterFailedMove(file, moved.error());
  entries_.erase(file.name);
  LOG(kInfo) << "indbakke " << inbox_ << ": " << file.name << " er gemt og flyttet til " << kDoneDir
             << "/" << *moved;
  return OkStatus();
}

Status FolderWatcher::MarkFailed(const IncomingFile& file, std::string_view reason) {
  INTAKE_RETURN_IF_ERROR(CheckInFlight(file));
  const std::string failed = failed_dir();
  const std::string when = LocalTimeNow();
  const std::string why(reason.empty() ? std::string_view("(ingen årsag angivet)") : reason);
  auto write_reason = [&](const std::string& target) -> Status {
    const std::string text = "Filen \"" + file.name + "\" blev afvist af intake-stationen " + when +
                             ".\n\nÅrsag: " + why + "\n\nFilen er flyttet hertil (som \"" + target +
                             "\") fra indbakken " + inbox_ +
                             " og er ikke behandlet. Ret filen, eller scan papiret igen, og læg "
                             "den nye fil i indbakken.\n";
    return WriteFileAtomically(JoinPath(failed, target + ".reason.txt"), MaskCpr(text), 0644);
  };
  Result<std::string> moved = MoveOut(file, failed, ".reason.txt", write_reason);
  if (!moved) return AfterFailedMove(file, moved.error());
  entries_.erase(file.name);
  LOG(kWarning) << "indbakke " << inbox_ << ": " << file.name << " er afvist og flyttet til "
                << kFailedDir << "/" << *moved << ": " << why;
  return OkStatus();
}

void FolderWatcher::Release(const IncomingFile& file) {
  auto it = entries_.find(file.name);
  if (it == entries_.end() || !it->second.in_flight) return;
  it->second.in_flight = false;
  it->second.changed = false;
  Track(file.name, it->second.open);
}

}  // namespace intake::hardware
