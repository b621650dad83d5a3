// Page preprocessing: scanner-bed border removal, binarisation, speckle removal, blank-page
// detection, orientation detection and deskew, with Leptonica.
//
// Each stage is a small free function on Leptonica images so it can be tested alone;
// PreparePage runs them in order:
//   grey → border removal → binarise + despeckle → blank? → line direction (quarter turn)
//   → deskew → up/down (half turn)
// A blank page is flagged and left unrotated (never dropped). A page whose orientation is
// uncertain is left as it is (decided = false); it is never rotated on a guess.
//
// Conventions (shared with the page generator and the benchmark):
//   orientation degrees: the CLOCKWISE rotation (0, 90, 180, 270) that makes the page
//     upright.
//   skew degrees: after orientation, the text is rotated COUNTER-clockwise by this angle
//     relative to horizontal; deskewing rotates the page clockwise by the same angle.
//
// Thread-safety: all functions are reentrant; they never share Leptonica objects.
#ifndef INTAKE_OCR_PREPROCESS_H_
#define INTAKE_OCR_PREPROCESS_H_

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"
#include "ocr/content_class.h"
#include "ocr/leptonica_handles.h"
#include "ocr/page_image.h"

namespace intake::ocr {

class OcrEngine;

struct PreprocessOptions {
  // Largest skew searched for, in degrees either way. Default 12 (the page must be
  // straightened within ±10°).
  double max_skew_degrees = 12.0;
  // Skews smaller than this are left alone (rotating costs sharpness), degrees.
  double min_skew_to_correct = 0.05;
  // Resolution the OCR image is scaled down to when the scan is finer, dpi.
  int ocr_dpi = 300;
  // Turn the page upright (quarter turns and upside down). Off when the orientation is
  // already known, e.g. a page journalised after intake, turned as the intake decided and
  // the operator corrected.
  bool detect_orientation = true;
  // When set, every intermediate image of the page is written there as
  // NNNNNN_<stage>.png (NNNNNN = page_index + 1) for inspection.
  std::string debug_dir;
  int page_index = 0;
};

struct OrientationResult {
  int degrees = 0;          // clockwise rotation to upright: 0, 90, 180 or 270
  float confidence = 0;     // the deciding method's score; higher is surer
  bool decided = false;     // false: uncertain, page left as it was
  std::string method;       // "layout" (Leptonica text statistics), "ocr", "none",
                            // "given" (detection off)
};

struct SkewResult {
  double degrees = 0;       // counter-clockwise skew of the text (see the conventions)
  double confidence = 0;    // Leptonica's score; < 2 means no reliable text lines
  bool found = false;
};

struct BlankResult {
  bool blank = false;
  double ink_fraction = 0;  // dark pixels in the inner page after cleaning, 0..1
  int marks = 0;            // components of at least 1 mm in the inner page
  int largest_mark_px = 0;  // extent of the largest component, pixels
};

// What preprocessing made of a page. All images share the page's upright, deskewed
// geometry.
struct PreparedPage {
  PixPtr gray;    // 8 bpp, border removed, upright, deskewed, at the scan resolution
  PixPtr binary;  // 1 bpp (1 = black), despeckled, same geometry as `gray`
  PixPtr color;   // 32 bpp, upright and deskewed; only for colour pages, else null
  int dpi = 0;
  OrientationResult orientation;
  SkewResult skew;
  bool skew_corrected = false;
  BlankResult blank;
  int border_pixels_cleared = 0;
  int speckles_removed = 0;
  // Text (archive bilevel), grey image or colour image (archive continuous tone).
  ContentClassification content;
};

// 8 bpp grey copy of a 1, 8 or 32 bpp image.
PixPtr ToGray(const PIX* image);

// Paints the dark scanner-bed areas that touch the image edge white. Returns the cleaned
// copy; `*cleared` receives the number of pixels painted.
PixPtr RemoveScannerBorder(const PIX* gray, int dpi, int* cleared);

// Background-normalised threshold to 1 bpp: paper tone, shading and light show-through
// become white. The threshold applies after normalising the background to 200; the
// default (170) keeps light stamp ink and thin typewriter strokes whole.
PixPtr Binarize(const PIX* gray);
PixPtr Binarize(const PIX* gray, int threshold);

// Removes specks from a 1 bpp image: marks of at most ~0.2 mm everywhere, and dots of up
// to ~0.6 mm that have no other mark within 1 mm (dust; the dot of an i stays).
PixPtr RemoveSpeckles(const PIX* binary, int dpi, int* removed);

// Conservative blank test on a cleaned 1 bpp page: a page with only a signature, a stamp
// or one short line is not blank; paper tone, show-through, dust and punch holes are.
BlankResult DetectBlank(const PIX* binary, int dpi);

// Skew of the text lines of an upright 1 bpp page, searched within ±max_degrees, from
// the letter-sized marks only (barcodes, rules, logos and signatures do not count).
SkewResult DetectSkew(const PIX* binary, int dpi, double max_degrees);

struct LineDirection {
  bool known = false;     // false: too little text to tell
  bool vertical = false;  // lines run top to bottom: the page lies on its side
  float confidence = 0;
};

// Whether the text lines of a 1 bpp page run across or down the page.
LineDirection DetectLineDirection(const PIX* binary, int dpi);

// For a 1 bpp page with horizontal, level lines: 0 (upright) or 180 (upside down), from
// Leptonica's ascender/descender statistics; when those are not decisive and `engine` is
// given, from OCR confidence of both rotations on the text area. `deadline` bounds OCR.
OrientationResult DetectUpDown(const PIX* binary, int dpi, OcrEngine* engine,
                               std::chrono::steady_clock::time_point deadline);

// Decides among the clockwise `quarter_turns` (0..3) by OCR of the page's text area: the
// best must reach a clear confidence and beat the next by a margin, else undecided.
OrientationResult DetectOrientationByOcr(const PIX* binary, int dpi, OcrEngine& engine,
                                         std::chrono::steady_clock::time_point deadline,
                                         const std::vector<int>& quarter_turns);

// Rotates clockwise by 0, 90, 180 or 270 degrees (lossless).
PixPtr RotateClockwise(const PIX* image, int degrees);

// Rotates clockwise by `degrees` (any small angle) about the centre, keeping the size and
// bringing in white.
PixPtr RotateSmall(const PIX* image, double degrees);

// Runs every stage on `page`. `engine` (may be null) helps orientation on pages with few
// characters. Errors: kInvalidArgument for an image of an unsupported depth, kInternal when
// Leptonica fails.
Result<PreparedPage> PreparePage(const PageImage& page, const PreprocessOptions& options,
                                 OcrEngine* engine,
                                 std::chrono::steady_clock::time_point deadline);

}  // namespace intake::ocr

#endif  // INTAKE_OCR_PREPROCESS_H_
