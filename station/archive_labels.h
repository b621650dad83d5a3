// Archive labels and contents lists (issue #8): the PDFs an archivist prints to mark the
// physical archive's boxes and shelves, and the list of originals put into a box. They are
// made from plain data (the caller looks the locations and originals up in the archive
// registry, storage/archive.h); nothing here touches the journal.
//
// Every label and every contents-list page carries its barcode twice, both symbols with
// exactly the barcode text as payload, so a hand scanner types exactly the barcode and a
// scanned page is read back by ocr::DetectBarcodes to the same location:
//   - Code 128, for hand scanners: bars of kCode128ModuleMm (4 pixels of the 300-dpi page
//     raster, 0.34 mm; 2.7 pixels in a 200-dpi scan, so 200 and 300 dpi scans both read
//     it), a quiet zone of kCode128QuietModules modules on each side (ISO/IEC 15417 asks
//     for 10), bars at least 9 mm high;
//   - a QR code (error correction Q, modules of at least 0.5 mm, quiet zone 4 modules),
//     for phone cameras and the station's own page reader;
// plus the barcode in human-readable text, the location's kind and name large, and its
// path ("Rådhuset › Kælderarkiv › Reol 12 › Hylde 3").
//
// Sizes (A4 sheets, cut apart along the dashed lines printed between labels):
//   - Box labels: two per A4 page, each A5 landscape (210 x 148.5 mm). The end of an
//     archive box is read from a few metres down an aisle, so the name is set at up to
//     36 pt, and a 32-character Code 128 (about 139 mm with its quiet zones at 0.34 mm
//     modules) must fit across the label: A6 (105 mm) is too narrow for that.
//   - Shelf labels: seven strips per A4 page, each 190 x 39.5 mm, for shelf edges: low
//     enough for a shelf's front edge, wide enough for the longest Code 128 beside the
//     QR code.
// Contents lists are A4 portrait: the box's label data and both symbols at the top of
// every page, then a table of the originals (case, no., document id, title, received date,
// with the note under the title), kContentsRowsPerPage rows a page, and "Side x af y" and
// the printed date at the foot of every page.
//
// All pages are PDF/A-2b (pdf::PdfAWriter): a white bilevel 300-dpi raster (CCITT G4)
// holding the symbols and rules, and the text drawn with the embedded TrueType font
// (DejaVu Sans: æ ø å and "›" render, and pdftotext finds the text).
//
// Thread-safety: pure functions (each call creates its own PDF writer).
#ifndef INTAKE_STATION_ARCHIVE_LABELS_H_
#define INTAKE_STATION_ARCHIVE_LABELS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake::station {

// What a label shows. UTF-8.
struct LabelSpec {
  // The payload of both symbols and the text under the bars: 1 to kMaxLabelBarcodeLength
  // printable ASCII characters, no space at either end (the archive's own rules,
  // storage/archive.h CheckBarcode, are stricter; the caller applies them).
  std::string barcode;
  std::string kind;       // the Danish kind: "kasse", "hylde", "reol" ...; required
  std::string name;       // "Hylde 3", "Kasse K-2026-0345"; required
  std::string path_text;  // where it is: "Rådhuset › Kælderarkiv › Reol 12"; may be empty
};

enum class LabelFormat {
  kBox,    // two A5 landscape labels per A4 page
  kShelf,  // seven 190 x 39.5 mm strips per A4 page
};

// One original in a contents list. UTF-8; CPR-like numbers are masked and control
// characters (tabs, line breaks) shown as spaces when printed.
struct ContentsEntry {
  std::string case_ref;       // the case reference, "27.24.00-G01-5-19"
  int64_t doc_number = 0;     // the running number on the case
  int64_t document_id = 0;    // the journal's document id
  std::string title;          // wrapped to two lines, then shortened with "…"
  std::string received_date;  // YYYY-MM-DD, or empty
  std::string note;           // optional; shown under the title when present
};

// How labels and lists are printed.
struct LabelOptions {
  // TrueType font of the text (pdf::WriterOptions::font); fonts-dejavu-core.
  std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  // sRGB profile for the PDF/A output intent (pdf::WriterOptions::icc_profile).
  std::string icc_profile = "/usr/share/color/icc/sRGB.icc";
  // The PDF's creation date. Default: now.
  std::chrono::system_clock::time_point created = std::chrono::system_clock::now();
};

inline constexpr size_t kMaxLabelBarcodeLength = 32;  // characters
inline constexpr size_t kMaxLabels = 1000;            // labels in one PDF
inline constexpr size_t kMaxContentsEntries = 10000;  // originals in one contents list
inline constexpr int kBoxLabelsPerPage = 2;
inline constexpr int kShelfLabelsPerPage = 7;
inline constexpr int kContentsRowsPerPage = 24;
inline constexpr double kCode128ModuleMm = 4 * 25.4 / 300;  // 0.34 mm
inline constexpr int kCode128QuietModules = 12;

// The labels in `format`, in the given order (page by page, top to bottom), as a PDF/A-2b
// file. Errors: kInvalidArgument (Danish, naming the label by its number, 1 = the first,
// never quoting a CPR-like number) for an empty list, more than kMaxLabels labels, a
// barcode that is empty, longer than kMaxLabelBarcodeLength, not printable ASCII, has a
// space at either end or holds a CPR-like number, an empty kind or name, or text that is
// not UTF-8 or holds a control character; kUnavailable when the font or the ICC profile is
// missing; kInternal when the barcode or PDF writer fails.
Result<std::string> MakeLocationLabels(const std::vector<LabelSpec>& labels, LabelFormat format,
                                       const LabelOptions& options = {});

// The contents list of `box` as a PDF/A-2b file: `entries` in the given order,
// kContentsRowsPerPage a page (at least one page: an empty box says so), with
// "Printet <printed_date>" on every page. Errors: as MakeLocationLabels for `box` (named
// "kassen"), kInvalidArgument for more than kMaxContentsEntries entries, an empty or
// over-long printed date, or entry text that is not UTF-8 (naming the entry's number).
Result<std::string> MakeContentsList(const LabelSpec& box,
                                     const std::vector<ContentsEntry>& entries,
                                     std::string_view printed_date,
                                     const LabelOptions& options = {});

}  // namespace intake::station

#endif  // INTAKE_STATION_ARCHIVE_LABELS_H_
