// Separator and cover sheets: pages the station prints, which the post-room operator lays
// into a stack of post before scanning, and which the station recognises again on the
// scanned pages by their QR code (issue #7).
//
//  - A separator sheet ("SKILLEARK") says: a new document starts after this sheet.
//  - A cover sheet ("FORSIDE") says the same and names the case the document belongs to.
// Neither sheet is journalised.
//
// The QR payload, version 1. ASCII only, case-sensitive, fields separated by one space:
//
//   INTAKE-SHEET/1 SEP
//   INTAKE-SHEET/1 COVER sys=<system> ref=<reference>[ type=<document type>]
//
// - "INTAKE-SHEET/" is the prefix; text not starting with it exactly is not ours (a
//   foreign barcode on a letter) and is ignored. The number after it is the version; a
//   station reads only the versions it knows (1).
// - SEP has no fields. COVER has the fields sys (the ESDH system, e.g. SBSYS), ref (the
//   case reference as the ESDH system writes it) and, optionally, type (the document
//   type). The station writes them in that order; a reader accepts any order, but each
//   key once, no other keys, and no empty value.
// - Values are percent-encoded UTF-8 (RFC 3986): the unreserved characters A-Z a-z 0-9
//   - . _ ~ stand for themselves, every other byte is written %XX (upper-case hex when
//   written; either case read), so "Ansøgning om tilskud" is "Ans%C3%B8gning%20om%20tilskud".
//   A decoded value must be UTF-8 without control characters.
// - A payload is at most kMaxSheetPayloadLength characters.
// - A payload never carries a CPR number: MakeCoverSheet refuses fields holding a CPR-like
//   number (base/cpr_mask.h), and ParseSheetPayload refuses such a payload as well.
//
// Thread-safety: pure functions (the sheet makers create their own PDF writer).
#ifndef INTAKE_STATION_SHEETS_H_
#define INTAKE_STATION_SHEETS_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ocr/barcode.h"

namespace intake::station {

inline constexpr std::string_view kSheetPayloadPrefix = "INTAKE-SHEET/";
inline constexpr int kSheetPayloadVersion = 1;
// Longest payload written or read, in characters (bytes: the payload is ASCII).
inline constexpr size_t kMaxSheetPayloadLength = 256;

struct SheetPayload {
  enum class Kind { kSeparator, kCover };
  Kind kind = Kind::kSeparator;
  // Cover sheets only (empty on a separator): UTF-8, decoded.
  std::string system;     // the ESDH system, e.g. "SBSYS"; required on a cover
  std::string reference;  // the case reference as the ESDH writes it; required on a cover
  std::string doc_type;   // the document type; optional ("" = none)

  bool operator==(const SheetPayload&) const = default;
};

// The payload text of `payload` (format above). A separator's fields are not written; a
// cover's empty doc_type is left out. Does not check lengths or CPR numbers (the sheet
// makers do). REQUIRES: a cover has a non-empty system and reference.
std::string EncodeSheetPayload(const SheetPayload& payload);

// Reads a barcode's text. Returns nullopt for text that does not start with
// kSheetPayloadPrefix (not a station sheet), the payload for a well-formed one, and
// kInvalidArgument (Danish, saying what is wrong) for our prefix with malformed content:
// an unknown version or kind, a field on a separator, a missing sys or ref, an unknown or
// repeated key, an empty value, a bad %-escape or a character that should have been
// escaped, non-ASCII text, a value that is not UTF-8 or holds a control character or a
// CPR-like number, or a payload over kMaxSheetPayloadLength. The message never quotes a
// decoded value.
Result<std::optional<SheetPayload>> ParseSheetPayload(std::string_view text);

// The station sheet on a page, from the page's barcodes (ocr::DetectBarcodes). The rule:
// only QR codes are considered (the station prints no other symbology), and of those only
// the ones with our prefix. Returns nullopt when there is none (a letter page, also one
// with foreign barcodes); the payload when all of ours agree (the same code found twice
// counts once); kInvalidArgument when one of ours is malformed (ParseSheetPayload's error
// with the code's number on the page) or when two different payloads are on one page
// (e.g. a cover sheet stacked onto a separator): the page needs a person to look at it.
Result<std::optional<SheetPayload>> FindSheet(const std::vector<ocr::Barcode>& barcodes);

// How the sheets are printed.
struct SheetOptions {
  // TrueType font of the visible text (pdf::WriterOptions::font); fonts-dejavu-core.
  std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  // sRGB profile for the PDF/A output intent (pdf::WriterOptions::icc_profile).
  std::string icc_profile = "/usr/share/color/icc/sRGB.icc";
  // The printed date on the sheet (local time) and the PDF's creation date. Default: now.
  std::chrono::system_clock::time_point printed = std::chrono::system_clock::now();
};

// What a cover sheet shows. UTF-8.
struct CoverSheetInfo {
  std::string system;      // required, at most kMaxSheetSystemLength characters
  std::string reference;   // required, at most kMaxSheetReferenceLength characters
  std::string case_title;  // printed only (not in the QR code); long titles are shortened
  std::string doc_type;    // optional, at most kMaxSheetDocTypeLength characters
};

inline constexpr int kMaxSeparatorSheets = 500;
inline constexpr size_t kMaxSheetSystemLength = 32;     // characters
inline constexpr size_t kMaxSheetReferenceLength = 64;  // characters
inline constexpr size_t kMaxSheetDocTypeLength = 80;    // characters

// The sheet pages: A4 at 300 dpi, a white bilevel raster (CCITT G4) with the QR code
// (error correction Q, modules of at least 0.5 mm, about 50 mm wide, top centre, quiet
// zone kept white) and visible Danish text in `options.font`.

// `count` identical separator sheets ("SKILLEARK", "Ark N af M") as one PDF/A-2b file.
// Errors: kInvalidArgument for a count outside 1..kMaxSeparatorSheets; kUnavailable when
// the font or the ICC profile is missing; kInternal when the QR or PDF writer fails.
Result<std::string> MakeSeparatorSheets(int count, const SheetOptions& options = {});

// One cover sheet ("FORSIDE": system, case reference large, case title, document type,
// printed date, instruction) as a PDF/A-2b file. Errors: kInvalidArgument (Danish, naming
// the field, never quoting a number) for an empty system or reference, a field over its
// length limit or holding a control character, a CPR-like number in the system, the
// reference, the document type or the case title, or a payload over
// kMaxSheetPayloadLength; otherwise as MakeSeparatorSheets.
Result<std::string> MakeCoverSheet(const CoverSheetInfo& info, const SheetOptions& options = {});

}  // namespace intake::station

#endif  // INTAKE_STATION_SHEETS_H_
