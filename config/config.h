// The station's configuration: plain structs, one per section of station.toml.
//
// Every field states its default and unit. An empty path means "derived from
// station.data_dir" (see ResolveDefaults in config/loader.h). The station runs with no
// configuration file at all on these defaults.
//
// Thread-safety: plain values; share a const Config freely between threads.
#ifndef INTAKE_CONFIG_CONFIG_H_
#define INTAKE_CONFIG_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

namespace intake::config {

// [station]
struct StationSection {
  // Identifies this station in the audit log and in batch names. Default: the host name.
  // Letters, digits, '.', '_' and '-', at most 64 characters.
  std::string id;
  // Where the journal and the document store live. Absolute path or "~/...". Default:
  // $XDG_DATA_HOME/intake-station (normally ~/.local/share/intake-station).
  std::string data_dir;
  // Minimum level written to the log: debug, info, warning or error. Default: info.
  std::string log_level = "info";
  // A JSON-lines log file in addition to stderr. Default: "" (stderr only).
  std::string log_file;
  // The scan-to-folder directory: network scanners drop one folder (or file) per batch
  // here, and the web UI picks them up ("Hent fra scan-mappe"). Absolute path or "~/...".
  // Default: <data_dir>/scan-to-folder (created on first use).
  std::string scan_folder;

  bool operator==(const StationSection&) const = default;
};

// [journal]
struct JournalSection {
  // Storage backend. Default and (for now) only value: "sqlite".
  std::string backend = "sqlite";
  // SQLite database file. Default: <data_dir>/journal.sqlite3.
  std::string database;
  // Content-addressed store of journalised PDF/A files. Default: <data_dir>/files.
  std::string file_store;
  // How long a writer waits for a locked database, in milliseconds, 0..600000.
  // Default: 5000.
  int busy_timeout_ms = 5000;

  bool operator==(const JournalSection&) const = default;
};

// [ocr]
struct OcrSection {
  // Tesseract languages joined by '+', e.g. "dan" or "dan+eng". Default: "dan".
  std::string languages = "dan";
  // OCR worker threads, 0..64; 0 means one per CPU core. Default: 0.
  int workers = 0;
  // Upper bound on pages held in memory by the page pipeline, 2..1024 pages. Default: 8
  // (enough to keep the workers of a 2–4 core PC busy; each grey A4 page at 300 dpi is
  // about 10 MB while processed).
  int max_pages_in_memory = 8;
  // Time allowed for OCR of one page before it is recorded as failed, 5..3600 seconds.
  // Default: 180.
  int page_timeout_s = 180;

  bool operator==(const OcrSection&) const = default;
};

// [pdf]: how page images are stored in the PDF/A documents.
enum class ImageMode { kAuto, kBilevel, kGray, kColor };
enum class PhotoEncoding { kJpeg, kLossless };

std::string_view ImageModeName(ImageMode mode);          // "auto", "bilevel", "gray", "color"
std::string_view PhotoEncodingName(PhotoEncoding enc);   // "jpeg", "lossless"

struct PdfSection {
  // auto: each page by its content (text → bilevel CCITT G4; photographs, drawings → grey;
  // colour → colour). bilevel, gray or color force one kind for every page. Default: auto.
  ImageMode image_mode = ImageMode::kAuto;
  // How grey and colour images are compressed: jpeg (lossy, small) or lossless (Flate).
  // Default: jpeg.
  PhotoEncoding photo_encoding = PhotoEncoding::kJpeg;
  // JPEG quality, 20..95. Default: 75.
  int jpeg_quality = 75;
  // Grey and colour images are stored at no more than this resolution, 75..600 dpi;
  // text pages keep the scan resolution. Default: 200.
  int photo_dpi = 200;

  bool operator==(const PdfSection&) const = default;
};

enum class ScanSource { kFlatbed, kFeeder, kDuplex };
enum class ScanMode { kLineart, kGray, kColor };

std::string_view ScanSourceName(ScanSource source);  // "flatbed", "feeder", "duplex"
std::string_view ScanModeName(ScanMode mode);        // "lineart", "gray", "color"

// [scanner.profiles.NAME]
struct ScannerProfile {
  // Profile name: lower-case letters, digits, '_' and '-'.
  std::string name;
  // SANE device name (e.g. "fujitsu:fi-7160:1234"); "" means the first device found.
  // Default: "".
  std::string device;
  // Paper source: flatbed, feeder or duplex. Default: feeder.
  ScanSource source = ScanSource::kFeeder;
  // Colour mode: lineart (1 bit), gray (8 bit) or color (24 bit). Default: gray.
  ScanMode mode = ScanMode::kGray;
  // Scan resolution in dots per inch, 75..1200. Default: 300.
  int dpi = 300;

  bool operator==(const ScannerProfile&) const = default;
};

// [scanner]
struct ScannerSection {
  // The profile used when none is named. Must exist in `profiles`. Default: "standard".
  std::string default_profile = "standard";
  // Default: "standard" (feeder, duplex, gray, 300 dpi) and "foto" (flatbed, color,
  // 300 dpi). Profiles given in the file replace the defaults entirely.
  std::vector<ScannerProfile> profiles;

  bool operator==(const ScannerSection&) const = default;
};

// [case_numbers.SYSTEM]: how the case references of one ESDH system look.
struct CaseNumberPattern {
  // The ESDH system, e.g. "SBSYS". Letters, digits, '_' and '-'.
  std::string system;
  // A PCRE2 regular expression (UTF-8) matching one whole case reference.
  std::string pattern;
  // An example reference; must match `pattern`. Default: "" (not checked).
  std::string example;

  bool operator==(const CaseNumberPattern&) const = default;
};

// [titles]: the title-quality rules (DOMAIN.md section 8).
struct TitleRules {
  // Shortest acceptable title, in characters, 5..100. Default: 15.
  int min_length = 15;
  // Longest acceptable title, in characters, 40..1000. Default: 250.
  int max_length = 250;
  // Titles that say nothing on their own (compared case-insensitively after trimming
  // dates and punctuation). Default: DOMAIN.md's list ("Brev", "Borgerbrev", ...).
  std::vector<std::string> vague;
  // Abbreviations that are standard Danish and pass ("ca.", "f.eks.", ...).
  std::vector<std::string> accepted_abbreviations;
  // Chat shorthand that is refused ("mvh", "pls", "asap", ...).
  std::vector<std::string> chat_shorthand;
  // E-mail prefixes stripped from titles ("SV:", "VS:", "Re:", "Fwd:", "AW:").
  std::vector<std::string> strip_prefixes;

  bool operator==(const TitleRules&) const = default;
};

// [cpr]
struct CprSection {
  // Birth dates (YYYY-MM-DD) for which CPR numbers without a valid modulus-11 check digit
  // are issued (cpr.dk, "Personnumre uden kontrolciffer"). Default: cpr.dk's list of
  // 10 May 2023.
  std::vector<std::string> no_check_digit_dates;

  bool operator==(const CprSection&) const = default;
};

// [archive]: the registry of paper originals (storage/archive.h, issue #8).
struct ArchiveSection {
  // Document types whose paper originals may be destroyed after scanning, given an
  // approval's reference and date (DOMAIN.md: no destruction without authority). Compared
  // case-insensitively. Default: none, so nothing is destroyed until the archive rules
  // are written down here.
  std::vector<std::string> destruction_types;
  // What happens to a scanned paper original unless the operator chooses at journalising:
  // "keep" (kept; placed in a box now or later) or "pending" (a decision is due). Default:
  // "keep".
  std::string default_disposition = "keep";

  bool operator==(const ArchiveSection&) const = default;
};

struct Config {
  StationSection station;
  JournalSection journal;
  OcrSection ocr;
  PdfSection pdf;
  ScannerSection scanner;
  std::vector<CaseNumberPattern> case_numbers;  // Default: SBSYS and KK (DOMAIN.md §3).
  TitleRules titles;
  CprSection cpr;
  ArchiveSection archive;

  // Where this configuration came from: a file path, or "" for the embedded defaults.
  std::string source;

  bool operator==(const Config&) const = default;
};

// The embedded defaults, before ResolveDefaults fills in host-dependent values.
Config Defaults();

// The profile called `name`, or nullptr.
const ScannerProfile* FindProfile(const Config& config, std::string_view name);

}  // namespace intake::config

#endif  // INTAKE_CONFIG_CONFIG_H_
