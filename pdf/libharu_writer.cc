// PdfAWriter on libharu 2.3.0 (PDFA.md). What libharu does and what is done here:
//
// - libharu: header %PDF-1.7 with its binary comment, xref, trailer, page tree, content
//   streams (Flate), images (CCITT G4 through its own encoder, DCT passed through), the
//   TrueType subset with WinAnsiEncoding, the Info dates.
// - here, through the exported object API, because libharu 2.3.0 gets them wrong for
//   PDF/A-2b (PDFA.md section 2): the XMP metadata stream (never
//   HPDF_PDFA_SetPDFAConformance: /SubType typo, no escaping, part 1 only, 'Z' dates
//   break it), the sRGB output intent, the trailer /ID (never HPDF_PDFA_GenerateID: equal
//   within a second), the Info text strings (UTF-16BE, so no encoder is involved), the
//   font's /ToUnicode CMap and the 1-bit/8-bit Flate image streams.
//
// The output intent's profile is /usr/share/color/icc/sRGB.icc from icc-profiles-free,
// under the zlib licence (/usr/share/doc/icc-profiles-free/copyright: "Files: ... sRGB.icc
// ... License: Zlib"), so it may be embedded in and shipped with every PDF. The station
// only references the installed file; the repository holds no copy.
#include <hpdf.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "pdf/glyphless_font.h"
#include "pdf/hpdf_handles.h"
#include "pdf/jpeg_encoder.h"
#include "pdf/pdfa_writer.h"
#include "pdf/text_layer.h"
#include "pdf/truetype.h"
#include "pdf/xmp.h"

namespace intake::pdf {
namespace {

constexpr char kOutputConditionIdentifier[] = "sRGB IEC61966-2.1";
constexpr char kTextEncoding[] = "WinAnsiEncoding";
constexpr int kMinDpi = 10;
constexpr int kMaxDpi = 4800;
constexpr int kMaxJpegSide = 65500;               // libjpeg's limit
constexpr uint64_t kMaxRasterBytes = 0x7FFFFFFF;  // libharu counts bytes in 32 bits
constexpr size_t kMaxPdfStringBytes = 32767;      // PDF/A-2 6.1.13
constexpr size_t kIdBytes = 16;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

Error Unavailable(const std::string& message) { return Error(ErrorCode::kUnavailable, message); }

// kUnavailable naming the file unless `path` is a regular file that can be opened.
Status CheckReadableFile(const std::string& path, const std::string& what,
                         const std::string& advice) {
  std::error_code ec;
  int e = 0;
  if (!std::filesystem::exists(path, ec)) {
    e = ENOENT;
  } else if (std::filesystem::is_directory(path, ec)) {
    e = EISDIR;
  } else {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) e = errno != 0 ? errno : EACCES;
  }
  if (e == 0) return OkStatus();
  return Unavailable(FromErrno(what + " " + path + " kan ikke åbnes", e).message() + "; " + advice);
}

// The whole file, or a kUnavailable error naming it.
Result<std::string> ReadWholeFile(const std::string& path, const std::string& what,
                                  const std::string& advice) {
  INTAKE_RETURN_IF_ERROR(CheckReadableFile(path, what, advice));
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return Unavailable(FromErrno(what + " " + path + " kan ikke læses", EIO).message() + "; " +
                       advice);
  }
  return data;
}

uint32_t BigEndian32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

// PDF/A-2 6.2.3: the output intent's profile is an ICC profile of class mntr or prtr; an
// sRGB intent needs the RGB colour space with three components.
Status CheckIccProfile(const std::string& path, const std::string& icc) {
  const std::string advice = "installér pakken icc-profiles-free eller ret stien til sRGB.icc";
  if (icc.size() < 132 || icc.compare(36, 4, "acsp") != 0 || BigEndian32(icc, 0) != icc.size()) {
    return Unavailable("ICC-profilen " + path + " er ikke en gyldig ICC-profil; " + advice);
  }
  const std::string profile_class = icc.substr(12, 4);
  const std::string colour_space = icc.substr(16, 4);
  if ((profile_class != "mntr" && profile_class != "prtr") || colour_space != "RGB ") {
    return Unavailable("ICC-profilen " + path + " har klassen '" + profile_class +
                       "' og farverummet '" + colour_space +
                       "'; PDF/A-uddatahensigten kræver en RGB-profil af klassen 'mntr' eller "
                       "'prtr'; " +
                       advice);
  }
  return OkStatus();
}

// 16 random bytes for the trailer /ID (getrandom, else /dev/urandom).
Result<std::string> RandomId() {
  std::string id(kIdBytes, '\0');
  size_t have = 0;
  while (have < id.size()) {
    const ssize_t n = getrandom(id.data() + have, id.size() - have, 0);
    if (n > 0) {
      have += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  if (have == id.size()) return id;
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  if (urandom.read(id.data(), static_cast<std::streamsize>(id.size()))) return id;
  return Error(ErrorCode::kUnavailable,
               "der kan ikke hentes tilfældige tal til PDF-filens id (getrandom og "
               "/dev/urandom fejlede); kontrollér systemet");
}

size_t RowBytes(const PageRaster& r) {
  switch (r.kind) {
    case PageRaster::Kind::kBilevel:
      return (static_cast<size_t>(r.width) + 7) / 8;
    case PageRaster::Kind::kGray:
      return static_cast<size_t>(r.width);
    case PageRaster::Kind::kRgb:
      return static_cast<size_t>(r.width) * 3;
  }
  return 0;
}

const char* KindName(PageRaster::Kind kind) {
  switch (kind) {
    case PageRaster::Kind::kBilevel:
      return "sort-hvid (1 bit)";
    case PageRaster::Kind::kGray:
      return "gråtoner (8 bit)";
    case PageRaster::Kind::kRgb:
      return "farve (RGB)";
  }
  return "ukendt";
}

// Everything about a page that can be checked without libharu. `where` is "side N".
Status ValidatePage(const PageContent& page, const std::string& where) {
  const PageRaster& r = page.image;
  const auto invalid = [&](const std::string& what) {
    return Error(ErrorCode::kInvalidArgument, where + ": " + what);
  };
  if (r.kind != PageRaster::Kind::kBilevel && r.kind != PageRaster::Kind::kGray &&
      r.kind != PageRaster::Kind::kRgb) {
    return invalid("sidebilledets type er ukendt; brug sort-hvid, gråtoner eller farve");
  }
  if (r.width <= 0 || r.height <= 0) {
    return invalid("sidebilledet er tomt (" + std::to_string(r.width) + " x " +
                   std::to_string(r.height) + " px); scan siden igen");
  }
  if (r.dpi < kMinDpi || r.dpi > kMaxDpi) {
    return invalid("opløsningen " + std::to_string(r.dpi) + " dpi ligger uden for " +
                   std::to_string(kMinDpi) + "-" + std::to_string(kMaxDpi) +
                   " dpi; angiv scannerens opløsning");
  }
  const double w_pt = r.width * 72.0 / r.dpi;
  const double h_pt = r.height * 72.0 / r.dpi;
  if (w_pt < HPDF_MIN_PAGE_SIZE || h_pt < HPDF_MIN_PAGE_SIZE || w_pt > HPDF_MAX_PAGE_SIZE ||
      h_pt > HPDF_MAX_PAGE_SIZE) {
    return invalid("siden bliver " + Num(w_pt) + " x " + Num(h_pt) + " punkter (" +
                   std::to_string(r.width) + " x " + std::to_string(r.height) + " px ved " +
                   std::to_string(r.dpi) +
                   " dpi); PDF tillader 3-14400 punkter pr. side, så "
                   "kontrollér opløsningen");
  }
  const size_t row = RowBytes(r);
  if (r.stride < 0 || static_cast<size_t>(r.stride) < row) {
    return invalid("rækkelængden (stride) er " + std::to_string(r.stride) +
                   " byte, men en række af " + std::to_string(r.width) + " px " + KindName(r.kind) +
                   " fylder " + std::to_string(row) + " byte");
  }
  const uint64_t needed = static_cast<uint64_t>(r.stride) * static_cast<uint64_t>(r.height);
  if (needed > kMaxRasterBytes) {
    return invalid("sidebilledet fylder " + std::to_string(needed) +
                   " byte, mere end de 2 GiB en side må fylde; scan med lavere opløsning");
  }
  if (r.pixels.size() < needed) {
    return invalid("billeddata er for korte: " + std::to_string(r.pixels.size()) + " byte, men " +
                   std::to_string(r.height) + " rækker af " + std::to_string(r.stride) +
                   " byte kræver " + std::to_string(needed));
  }
  switch (page.encoding) {
    case ImageEncoding::kCcittG4:
      if (r.kind != PageRaster::Kind::kBilevel) {
        return invalid(std::string("CCITT G4 kan kun gemme sort-hvide sider (1 bit), ikke ") +
                       KindName(r.kind) + "; brug JPEG eller Flate");
      }
      break;
    case ImageEncoding::kJpeg:
      if (r.kind == PageRaster::Kind::kBilevel) {
        return invalid("JPEG kan ikke gemme sort-hvide sider (1 bit); brug CCITT G4 eller Flate");
      }
      if (page.jpeg_quality < 1 || page.jpeg_quality > 100) {
        return invalid("JPEG-kvaliteten " + std::to_string(page.jpeg_quality) +
                       " ligger uden for 1-100");
      }
      if (r.width > kMaxJpegSide || r.height > kMaxJpegSide) {
        return invalid("JPEG tillader højst " + std::to_string(kMaxJpegSide) +
                       " px pr. side af billedet; brug Flate eller lavere opløsning");
      }
      break;
    case ImageEncoding::kFlate:
      break;
    default:
      return invalid("billedkomprimeringen er ukendt; brug CCITT G4, Flate eller JPEG");
  }
  return OkStatus();
}

// The visible texts of a page, checked before libharu builds anything. `font_file` says
// whether the writer embeds a real font (WriterOptions::font). `where` is "side N".
Status ValidateVisibleTexts(const PageContent& page, bool font_file, const std::string& where) {
  if (page.texts.empty()) return OkStatus();
  if (!font_file) {
    return Error(ErrorCode::kInvalidArgument,
                 where +
                     ": synlig tekst kræver en skrifttypefil (WriterOptions::font, fx "
                     "DejaVuSans.ttf); tekstlagets indbyggede skrifttype har kun kasseformede "
                     "tegn");
  }
  const double w_pt = page.image.width * 72.0 / page.image.dpi;
  const double h_pt = page.image.height * 72.0 / page.image.dpi;
  for (size_t i = 0; i < page.texts.size(); ++i) {
    const VisibleText& t = page.texts[i];
    const std::string what = where + ": synlig tekst nr. " + std::to_string(i + 1);
    if (Utf8ToCp1252(t.text).empty()) {
      return Error(ErrorCode::kInvalidArgument, what + " er tom; angiv en tekst eller udelad den");
    }
    if (!(t.size_pt > 0 && t.size_pt <= kMaxFontSize)) {
      return Error(ErrorCode::kInvalidArgument, what + " har skriftstørrelsen " + Num(t.size_pt) +
                                                    " punkter; den skal være over 0 og højst " +
                                                    Num(kMaxFontSize));
    }
    if (!(t.x_pt >= 0 && t.x_pt <= w_pt && t.y_pt >= 0 && t.y_pt <= h_pt)) {
      return Error(ErrorCode::kInvalidArgument, what + " begynder i (" + Num(t.x_pt) + ", " +
                                                    Num(t.y_pt) + ") punkter, uden for siden på " +
                                                    Num(w_pt) + " x " + Num(h_pt) + " punkter");
    }
  }
  return OkStatus();
}

// The Info text entries and the XMP fields they mirror.
struct InfoText {
  const char* key;
  const char* field;  // Danish, for messages
  const std::string* value;
};
std::vector<InfoText> InfoTexts(const XmpFields& xmp) {
  return {
      {"Title", "titlen", &xmp.title},
      {"Author", "afsenderen", &xmp.author},
      {"Subject", "emnet", &xmp.subject},
      {"Keywords", "nøgleordene", &xmp.keywords},
      {"Creator", "programnavnet", &xmp.creator_tool},
      {"Producer", "producenten", &xmp.producer},
  };
}

Result<XmpFields> PrepareMetadata(const DocumentInfo& info);

class LibharuWriter final : public PdfAWriter {
 public:
  static Result<std::unique_ptr<PdfAWriter>> Make(const WriterOptions& options);

  Status AddPage(const PageContent& page) override;
  Result<std::string> Finish(const DocumentInfo& info) override;
  int page_count() const override { return page_count_; }

 private:
  explicit LibharuWriter(HpdfDocument doc) : doc_(std::move(doc)) {}

  HPDF_Doc doc() const { return doc_.get(); }
  // The error of a failed libharu call; the document is unusable from now on.
  Error Failed(const std::string& context, HPDF_STATUS status = HPDF_OK);
  Status Check(HPDF_STATUS status, const std::string& context) {
    if (status == HPDF_OK) return OkStatus();
    return Failed(context, status);
  }
  Status Usable(const char* operation) const;

  Status SetUpDocument();
  Status AddOutputIntent(const std::string& icc);
  Status LoadFont(const std::string& path);
  Result<HPDF_Image> LoadImage(const PageContent& page, const std::string& where);
  Result<HPDF_Image> LoadFlateImage(const PageRaster& r, const std::string& where);
  Result<HPDF_Font> TextFont();
  Status DrawText(HPDF_Page page, const std::vector<PlacedWord>& words, const std::string& where);
  Status DrawVisibleText(HPDF_Page page, const std::vector<VisibleText>& texts,
                         double page_height_pt, const std::string& where);
  Status WriteInfoAndXmp(const XmpFields& xmp);
  Status WriteId();
  Result<std::string> SaveToMemory();

  HpdfDocument doc_;
  std::string font_name_;            // as registered by HPDF_LoadTTFontFromFile
  HPDF_FontDef font_def_ = nullptr;  // owned by the document
  HPDF_Encoder encoder_ = nullptr;   // WinAnsiEncoding, owned by the document
  HPDF_Font font_ = nullptr;         // created for the first page with text
  int page_count_ = 0;
  bool finished_ = false;
  bool broken_ = false;
  bool font_file_ = false;  // WriterOptions::font named a file: visible text is allowed
};

Error LibharuWriter::Failed(const std::string& context, HPDF_STATUS status) {
  broken_ = true;
  return doc_.LastError(context, status);
}

Status LibharuWriter::Usable(const char* operation) const {
  if (finished_) {
    return Error(ErrorCode::kFailedPrecondition,
                 std::string("PDF-dokumentet er allerede afsluttet; ") + operation +
                     " kræver et nyt dokument");
  }
  if (broken_) {
    return Error(ErrorCode::kFailedPrecondition,
                 std::string("PDF-dokumentet kan ikke bruges efter en tidligere fejl i "
                             "libharu; ") +
                     operation + " kræver et nyt dokument");
  }
  return OkStatus();
}

Result<std::unique_ptr<PdfAWriter>> LibharuWriter::Make(const WriterOptions& options) {
  // The profile is read and checked before anything is allocated.
  INTAKE_ASSIGN_OR_RETURN(
      const std::string icc,
      ReadWholeFile(options.icc_profile, "ICC-profilen",
                    "installér pakken icc-profiles-free eller ret stien til sRGB.icc"));
  INTAKE_RETURN_IF_ERROR(CheckIccProfile(options.icc_profile, icc));
  INTAKE_ASSIGN_OR_RETURN(HpdfDocument doc, HpdfDocument::New());
  std::unique_ptr<LibharuWriter> writer(new LibharuWriter(std::move(doc)));
  INTAKE_RETURN_IF_ERROR(writer->SetUpDocument());
  INTAKE_RETURN_IF_ERROR(writer->AddOutputIntent(icc));
  INTAKE_RETURN_IF_ERROR(writer->LoadFont(options.font));
  writer->font_file_ = !options.font.empty();
  return std::unique_ptr<PdfAWriter>(std::move(writer));
}

Status LibharuWriter::SetUpDocument() {
  doc()->pdf_version = HPDF_VER_17;  // default 1.3; PDF/A-2 is based on PDF 1.7
  // Before any font or image is loaded: the mode is copied into each stream on creation.
  return Check(HPDF_SetCompressionMode(doc(), HPDF_COMP_ALL),
               "PDF-komprimeringen kan ikke slås til");
}

// Catalog /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile icc >>],
// written by hand (HPDF_PDFA_AppendOutputIntents would also do; this avoids its
// "DestOutputProfile " key with a trailing space, defect 7).
Status LibharuWriter::AddOutputIntent(const std::string& icc) {
  const std::string ctx = "PDF/A-uddatahensigten (sRGB) kan ikke skrives";
  HPDF_Dict profile = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
  if (profile == nullptr) return Failed(ctx);
  profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddNumber(profile, "N", 3), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(profile, "Alternate", "DeviceRGB"), ctx));
  INTAKE_RETURN_IF_ERROR(
      Check(HPDF_Stream_Write(profile->stream, reinterpret_cast<const HPDF_BYTE*>(icc.data()),
                              static_cast<HPDF_UINT>(icc.size())),
            ctx));

  HPDF_Dict intent = HPDF_Dict_New(doc()->mmgr);
  if (intent == nullptr) return Failed(ctx);
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Xref_Add(doc()->xref, intent), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"), ctx));
  for (const char* key : {"OutputConditionIdentifier", "Info"}) {
    HPDF_String s = HPDF_String_New(doc()->mmgr, kOutputConditionIdentifier, nullptr);
    if (s == nullptr) return Failed(ctx);
    INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_Add(intent, key, s), ctx));
  }
  HPDF_String registry = HPDF_String_New(doc()->mmgr, "http://www.color.org", nullptr);
  if (registry == nullptr) return Failed(ctx);
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_Add(intent, "RegistryName", registry), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_Add(intent, "DestOutputProfile", profile), ctx));

  HPDF_Array intents = HPDF_Array_New(doc()->mmgr);
  if (intents == nullptr) return Failed(ctx);
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Array_Add(intents, intent), ctx));
  return Check(HPDF_Dict_Add(doc()->catalog, "OutputIntents", intents), ctx);
}

// An anonymous in-memory file (memfd) holding `data`, closed on destruction. libharu
// 2.3.0 loads TrueType fonts only from a path: /proc/self/fd/N names the memory file.
class MemoryFile {
 public:
  static std::optional<MemoryFile> Create(const std::string& data) {
    const int fd = memfd_create("intake-text-font", MFD_CLOEXEC);
    if (fd < 0) return std::nullopt;
    MemoryFile file(fd);
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return std::nullopt;
      done += static_cast<size_t>(n);
    }
    return file;
  }
  MemoryFile(MemoryFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  MemoryFile& operator=(MemoryFile&&) = delete;
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() {
    if (fd_ >= 0) close(fd_);
  }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  explicit MemoryFile(int fd) : fd_(fd) {}
  int fd_;
};

// Registers the TrueType font for embedding and checks that it has a glyph for every
// character the text layer can show (a missing one would be .notdef, PDF/A-2 6.2.11.8).
// The font goes to libharu without its glyph names (truetype.h), which halves its size in
// every document; when that rewrite does not apply, the file is loaded as it is. The
// font object itself is made for the first page with text (TextFont), so documents
// without text carry no font.
Status LibharuWriter::LoadFont(const std::string& path) {
  const std::string shown_name = path.empty() ? std::string("tekstlagets skrifttype") : path;
  const std::string ctx = "skrifttypen " + shown_name + " kan ikke indlæses";
  std::string font_bytes;
  if (path.empty()) {
    font_bytes = BuildGlyphlessFont();  // the default: tiny, invisible anyway (Tr 3)
  } else {
    INTAKE_ASSIGN_OR_RETURN(
        const std::string file,
        ReadWholeFile(path, "skrifttypen",
                      "installér pakken fonts-dejavu-core eller ret stien til DejaVuSans.ttf"));
    font_bytes = WithoutGlyphNames(file).value_or(std::string());
  }
  std::optional<MemoryFile> memory =
      font_bytes.empty() ? std::optional<MemoryFile>() : MemoryFile::Create(font_bytes);
  if (memory && access(memory->path().c_str(), R_OK) != 0) memory.reset();  // no /proc
  // Without a memory file: the built-in font goes through a temporary file (unlinked once
  // loaded); a font file from disk is loaded as it is.
  std::optional<std::string> temp_path;
  if (!memory && path.empty()) {
    char tmpl[] = "/tmp/intake-font-XXXXXX";
    const int fd = mkstemp(tmpl);
    if (fd < 0 || write(fd, font_bytes.data(), font_bytes.size()) !=
                      static_cast<ssize_t>(font_bytes.size())) {
      if (fd >= 0) {
        close(fd);
        unlink(tmpl);
      }
      return Unavailable("tekstlagets skrifttype kan ikke skrives til en midlertidig fil");
    }
    close(fd);
    temp_path = tmpl;
  } else if (!memory && !font_bytes.empty()) {
    log::Warning("tekstlagets skrifttype indlejres med glyfnavne (hukommelsesfil fejlede: " +
                 std::string(std::strerror(errno)) + "); PDF-filerne bliver ca. 28 KB større");
  }
  // libharu keeps its own FILE* open on the font for embedding at save time, so the
  // memory file may be closed (and the temporary file unlinked) after the load.
  const std::string load_path = memory ? memory->path() : temp_path ? *temp_path : path;
  const char* name = HPDF_LoadTTFontFromFile(doc(), load_path.c_str(), HPDF_TRUE);
  if (temp_path) unlink(temp_path->c_str());
  if (name == nullptr) {
    broken_ = true;
    const Error e = doc_.LastError(ctx);
    return Unavailable(e.message());
  }
  font_name_ = name;
  font_def_ = HPDF_GetFontDef(doc(), name);
  if (font_def_ == nullptr) return Failed(ctx);
  encoder_ = HPDF_GetEncoder(doc(), kTextEncoding);
  if (encoder_ == nullptr) return Failed(ctx);
  std::string missing;
  for (unsigned code = 0x20; code <= 0xFF; ++code) {
    if (!IsShowableCp1252(static_cast<unsigned char>(code))) continue;
    const HPDF_UNICODE u = HPDF_Encoder_GetUnicode(encoder_, static_cast<HPDF_UINT16>(code));
    if (HPDF_TTFontDef_GetGlyphid(font_def_, u) == 0) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%sU+%04X", missing.empty() ? "" : " ",
                    static_cast<unsigned>(u));
      missing += buf;
    }
  }
  if (!missing.empty()) {
    return Unavailable("skrifttypen " + shown_name + " mangler tegn som tekstlaget skal kunne vise (" +
                       missing + "); brug DejaVuSans.ttf fra pakken fonts-dejavu-core");
  }
  return OkStatus();
}

// The text font with WinAnsiEncoding and a /ToUnicode CMap (libharu keeps the key).
Result<HPDF_Font> LibharuWriter::TextFont() {
  if (font_ != nullptr) return font_;
  const std::string ctx = "tekstlagets skrifttype kan ikke oprettes";
  HPDF_Font font = HPDF_GetFont(doc(), font_name_.c_str(), kTextEncoding);
  if (font == nullptr) return Failed(ctx);
  HPDF_Dict cmap = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
  if (cmap == nullptr) return Failed(ctx);
  cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  const std::string text = BuildToUnicodeCMap();
  INTAKE_RETURN_IF_ERROR(
      Check(HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                              static_cast<HPDF_UINT>(text.size())),
            ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_Add(font, "ToUnicode", cmap), ctx));
  font_ = font;
  return font_;
}

// A Flate image stream written row by row from the raster (any stride). Bilevel rows are
// inverted: the raster has 1 = black, DeviceGray 1 bit has 0 = black. Written by hand
// because HPDF_LoadRawImageFromMem wants packed rows and sizes 1-bit images without the
// padding at the end of each row (width * height / 8).
Result<HPDF_Image> LibharuWriter::LoadFlateImage(const PageRaster& r, const std::string& where) {
  const std::string ctx = where + ": sidebilledet kan ikke gemmes (Flate)";
  HPDF_Dict image = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
  if (image == nullptr) return Failed(ctx);
  image->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
  image->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  const bool bilevel = r.kind == PageRaster::Kind::kBilevel;
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(image, "Type", "XObject"), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(image, "Subtype", "Image"), ctx));
  INTAKE_RETURN_IF_ERROR(
      Check(HPDF_Dict_AddName(image, "ColorSpace",
                              r.kind == PageRaster::Kind::kRgb ? "DeviceRGB" : "DeviceGray"),
            ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddNumber(image, "Width", r.width), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddNumber(image, "Height", r.height), ctx));
  INTAKE_RETURN_IF_ERROR(
      Check(HPDF_Dict_AddNumber(image, "BitsPerComponent", bilevel ? 1 : 8), ctx));
  const size_t row_bytes = RowBytes(r);
  std::vector<HPDF_BYTE> row(row_bytes);
  for (int y = 0; y < r.height; ++y) {
    const uint8_t* src = r.pixels.data() + static_cast<size_t>(y) * r.stride;
    const HPDF_BYTE* out = src;
    if (bilevel) {
      for (size_t i = 0; i < row_bytes; ++i) row[i] = static_cast<HPDF_BYTE>(~src[i]);
      out = row.data();
    }
    INTAKE_RETURN_IF_ERROR(
        Check(HPDF_Stream_Write(image->stream, out, static_cast<HPDF_UINT>(row_bytes)), ctx));
  }
  return image;
}

Result<HPDF_Image> LibharuWriter::LoadImage(const PageContent& page, const std::string& where) {
  const PageRaster& r = page.image;
  switch (page.encoding) {
    case ImageEncoding::kCcittG4: {
      // libharu's G4 encoder (from libtiff) reads MSB-first rows with 1 = black, which is
      // the PageRaster layout; black_is1 only writes /BlackIs1, so it stays false (true
      // would invert the page). Compression mode HPDF_COMP_IMAGE makes it CCITTFaxDecode.
      // libharu 2.3.0 dereferences the image before checking it for NULL on failure; the
      // only failures left after ValidatePage are allocation failures.
      HPDF_Image image = HPDF_Image_LoadRaw1BitImageFromMem(
          doc(), r.pixels.data(), static_cast<HPDF_UINT>(r.width), static_cast<HPDF_UINT>(r.height),
          static_cast<HPDF_UINT>(r.stride),
          /*black_is1=*/HPDF_FALSE, /*top_is_first=*/HPDF_TRUE);
      if (image == nullptr) return Failed(where + ": sidebilledet kan ikke gemmes (CCITT G4)");
      return image;
    }
    case ImageEncoding::kJpeg: {
      INTAKE_ASSIGN_OR_RETURN(const std::string jpeg, EncodeJpeg(r, page.jpeg_quality));
      HPDF_Image image =
          HPDF_LoadJpegImageFromMem(doc(), reinterpret_cast<const HPDF_BYTE*>(jpeg.data()),
                                    static_cast<HPDF_UINT>(jpeg.size()));
      if (image == nullptr) return Failed(where + ": sidebilledet kan ikke gemmes (JPEG)");
      return image;
    }
    case ImageEncoding::kFlate:
      return LoadFlateImage(r, where);
  }
  return Error(ErrorCode::kInvalidArgument, where + ": billedkomprimeringen er ukendt");
}

Status LibharuWriter::DrawText(HPDF_Page page, const std::vector<PlacedWord>& words,
                               const std::string& where) {
  const std::string ctx = where + ": tekstlaget kan ikke skrives";
  INTAKE_ASSIGN_OR_RETURN(HPDF_Font font, TextFont());
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_BeginText(page), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE), ctx));
  double size = -1;
  for (const PlacedWord& w : words) {
    if (w.font_size != size) {
      size = w.font_size;
      INTAKE_RETURN_IF_ERROR(
          Check(HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(size)), ctx));
    }
    INTAKE_RETURN_IF_ERROR(Check(
        HPDF_Page_SetTextMatrix(page, static_cast<HPDF_REAL>(w.a), static_cast<HPDF_REAL>(w.b),
                                static_cast<HPDF_REAL>(w.c), static_cast<HPDF_REAL>(w.d),
                                static_cast<HPDF_REAL>(w.e), static_cast<HPDF_REAL>(w.f)),
        ctx));
    INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_ShowText(page, w.text.c_str()), ctx));
  }
  return Check(HPDF_Page_EndText(page), ctx);
}

// Visible text: black fill (DeviceGray, as the page images), rendering mode 0, the same
// embedded font and ToUnicode map as the text layer. Checked by ValidateVisibleTexts.
Status LibharuWriter::DrawVisibleText(HPDF_Page page, const std::vector<VisibleText>& texts,
                                      double page_height_pt, const std::string& where) {
  const std::string ctx = where + ": den synlige tekst kan ikke skrives";
  INTAKE_ASSIGN_OR_RETURN(HPDF_Font font, TextFont());
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_SetGrayFill(page, 0), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_BeginText(page), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_SetTextRenderingMode(page, HPDF_FILL), ctx));
  for (const VisibleText& t : texts) {
    const std::string text = Utf8ToCp1252(t.text);
    INTAKE_RETURN_IF_ERROR(
        Check(HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(t.size_pt)), ctx));
    INTAKE_RETURN_IF_ERROR(
        Check(HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, static_cast<HPDF_REAL>(t.x_pt),
                                      static_cast<HPDF_REAL>(page_height_pt - t.y_pt)),
              ctx));
    INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_ShowText(page, text.c_str()), ctx));
  }
  return Check(HPDF_Page_EndText(page), ctx);
}

Status LibharuWriter::AddPage(const PageContent& content) {
  INTAKE_RETURN_IF_ERROR(Usable("en ny side"));
  const std::string where = "side " + std::to_string(page_count_ + 1);
  INTAKE_RETURN_IF_ERROR(ValidatePage(content, where));
  INTAKE_RETURN_IF_ERROR(ValidateVisibleTexts(content, font_file_, where));
  const PageRaster& r = content.image;
  // Measured with the font definition and libharu's WinAnsi table, exactly as libharu
  // computes the /Widths the viewer uses; this creates no PDF object yet.
  const TextWidthFn width = [this](const std::string& text) {
    double sum = 0;
    for (unsigned char b : text) {
      sum += HPDF_TTFontDef_GetCharWidth(font_def_, HPDF_Encoder_GetUnicode(encoder_, b));
    }
    return sum;
  };
  auto placed = PlaceWords(content.lines, r.width, r.height, r.dpi, width);
  if (!placed) return placed.error().WithContext(where);

  // From here on libharu builds objects; a failure leaves the document unusable.
  INTAKE_ASSIGN_OR_RETURN(HPDF_Image image, LoadImage(content, where));
  const std::string ctx = where + ": siden kan ikke oprettes";
  HPDF_Page page = HPDF_AddPage(doc());
  if (page == nullptr) return Failed(ctx);
  const double w_pt = r.width * 72.0 / r.dpi;
  const double h_pt = r.height * 72.0 / r.dpi;
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(w_pt)), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(h_pt)), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Page_DrawImage(page, image, 0, 0, static_cast<HPDF_REAL>(w_pt),
                                                   static_cast<HPDF_REAL>(h_pt)),
                               ctx));
  if (!content.texts.empty()) {
    INTAKE_RETURN_IF_ERROR(DrawVisibleText(page, content.texts, h_pt, where));
  }
  if (!placed->empty()) INTAKE_RETURN_IF_ERROR(DrawText(page, *placed, where));
  ++page_count_;
  return OkStatus();
}

// The metadata of `info` as written to both Info and XMP: sanitised texts, one instant.
// Checked before anything is written. Errors: kInvalidArgument for a field too long for a
// PDF string or a date outside the years 1-9999.
Result<XmpFields> PrepareMetadata(const DocumentInfo& info) {
  XmpFields xmp;
  INTAKE_ASSIGN_OR_RETURN(xmp.date, ToPdfDate(info.created));
  xmp.title = SanitizeMetadataText(info.title);
  xmp.author = SanitizeMetadataText(info.author);
  xmp.subject = SanitizeMetadataText(info.subject);
  xmp.keywords = SanitizeMetadataText(info.keywords);
  xmp.creator_tool = SanitizeMetadataText(info.creator);
  xmp.producer = std::string("intake-station (libharu ") + HPDF_GetVersion() + ")";
  for (const InfoText& t : InfoTexts(xmp)) {
    if (Utf8ToPdfTextString(*t.value).size() > kMaxPdfStringBytes) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string("dokumentets metadata: ") + t.field +
                       " er for lang (PDF/A tillader 32767 byte, ca. 16000 tegn); forkort den");
    }
  }
  return xmp;
}

// Info (UTF-16BE text strings, dates with '+' 0:0) and the XMP packet, from the same
// prepared values.
Status LibharuWriter::WriteInfoAndXmp(const XmpFields& xmp) {
  const std::string ctx = "dokumentets metadata kan ikke skrives";
  HPDF_Date d{};
  d.year = xmp.date.year;
  d.month = xmp.date.month;
  d.day = xmp.date.day;
  d.hour = xmp.date.hour;
  d.minutes = xmp.date.minute;
  d.seconds = xmp.date.second;
  d.ind = '+';  // UTC as +00'00'; 'Z' breaks libharu 2.3.0 (PDFA.md defect 2)
  d.off_hour = 0;
  d.off_minutes = 0;

  INTAKE_RETURN_IF_ERROR(Check(HPDF_SetInfoDateAttr(doc(), HPDF_INFO_CREATION_DATE, d), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_SetInfoDateAttr(doc(), HPDF_INFO_MOD_DATE, d), ctx));
  if (doc()->info == nullptr) return Failed(ctx, HPDF_INVALID_OBJECT);
  for (const InfoText& t : InfoTexts(xmp)) {
    if (t.value->empty()) continue;
    std::string bytes = Utf8ToPdfTextString(*t.value);  // HPDF_Binary_New copies it
    HPDF_Binary value = HPDF_Binary_New(doc()->mmgr, reinterpret_cast<HPDF_BYTE*>(bytes.data()),
                                        static_cast<HPDF_UINT>(bytes.size()));
    if (value == nullptr) return Failed(ctx);
    INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_Add(doc()->info, t.key, value), ctx));
  }

  const std::string packet = BuildXmpPacket(xmp);
  HPDF_Dict metadata = HPDF_DictStream_New(doc()->mmgr, doc()->xref);
  if (metadata == nullptr) return Failed(ctx);
  metadata->filter = HPDF_STREAM_FILTER_NONE;  // readable without decoding
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(metadata, "Type", "Metadata"), ctx));
  INTAKE_RETURN_IF_ERROR(Check(HPDF_Dict_AddName(metadata, "Subtype", "XML"), ctx));
  INTAKE_RETURN_IF_ERROR(
      Check(HPDF_Stream_Write(metadata->stream, reinterpret_cast<const HPDF_BYTE*>(packet.data()),
                              static_cast<HPDF_UINT>(packet.size())),
            ctx));
  return Check(HPDF_Dict_Add(doc()->catalog, "Metadata", metadata), ctx);
}

// Trailer /ID [<16 random bytes> <the same>]: unique per document, unlike
// HPDF_PDFA_GenerateID (PDFA.md defect 6).
Status LibharuWriter::WriteId() {
  const std::string ctx = "PDF-filens id kan ikke skrives";
  INTAKE_ASSIGN_OR_RETURN(std::string id, RandomId());  // HPDF_Binary_New copies it
  HPDF_Array ids = HPDF_Array_New(doc()->mmgr);
  if (ids == nullptr) return Failed(ctx);
  for (int i = 0; i < 2; ++i) {
    HPDF_Binary part = HPDF_Binary_New(doc()->mmgr, reinterpret_cast<HPDF_BYTE*>(id.data()),
                                       static_cast<HPDF_UINT>(id.size()));
    if (part == nullptr) return Failed(ctx);
    INTAKE_RETURN_IF_ERROR(Check(HPDF_Array_Add(ids, part), ctx));
  }
  return Check(HPDF_Dict_Add(doc()->trailer, "ID", ids), ctx);
}

Result<std::string> LibharuWriter::SaveToMemory() {
  const std::string ctx = "PDF-filen kan ikke dannes";
  INTAKE_RETURN_IF_ERROR(Check(HPDF_SaveToStream(doc()), ctx));
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc());
  std::string out(size, '\0');
  HPDF_UINT32 got = size;
  const HPDF_STATUS st = HPDF_ReadFromStream(doc(), reinterpret_cast<HPDF_BYTE*>(out.data()), &got);
  if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) return Failed(ctx, st);
  // Postconditions (PDFA.md 6.1): the 1.7 header with its binary comment, %%EOF at the end.
  static constexpr char kHeader[] = "%PDF-1.7\n%";
  static constexpr char kTrailer[] = "%%EOF\n";
  if (out.size() < 64 || out.compare(0, sizeof kHeader - 1, kHeader) != 0 ||
      out.compare(out.size() - (sizeof kTrailer - 1), sizeof kTrailer - 1, kTrailer) != 0) {
    broken_ = true;
    return Error(ErrorCode::kInternal,
                 ctx + ": libharu skrev ikke en fuldstændig PDF 1.7-fil; rapportér fejlen");
  }
  return out;
}

Result<std::string> LibharuWriter::Finish(const DocumentInfo& info) {
  INTAKE_RETURN_IF_ERROR(Usable("afslutning"));
  if (page_count_ == 0) {
    return Error(ErrorCode::kFailedPrecondition,
                 "PDF-dokumentet har ingen sider; tilføj mindst én side før det afsluttes");
  }
  INTAKE_ASSIGN_OR_RETURN(const XmpFields metadata, PrepareMetadata(info));
  finished_ = true;  // once, also when libharu fails below
  INTAKE_RETURN_IF_ERROR(WriteInfoAndXmp(metadata));
  INTAKE_RETURN_IF_ERROR(WriteId());
  return SaveToMemory();
}

}  // namespace

Result<std::unique_ptr<PdfAWriter>> PdfAWriter::Create(const WriterOptions& options) {
  return LibharuWriter::Make(options);
}

}  // namespace intake::pdf
