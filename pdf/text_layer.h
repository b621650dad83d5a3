// The invisible OCR text layer as pure functions (PDFA.md section 4): UTF-8 to the
// Windows-1252 codes of the WinAnsiEncoding text font, the ToUnicode CMap of those codes,
// and the placement of each word on its box (font size, horizontal stretch, baseline).
//
// No libharu here: the writer (libharu_writer.cc) passes the font's width measure in.
// Thread-safety: pure functions.
#ifndef INTAKE_PDF_TEXT_LAYER_H_
#define INTAKE_PDF_TEXT_LAYER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "pdf/pdfa_writer.h"

namespace intake::pdf {

// The Unicode character of a Windows-1252 byte, or 0 for the five codes Windows-1252
// leaves undefined (0x81 0x8D 0x8F 0x90 0x9D). Bytes below 0x80 are ASCII.
char32_t Cp1252ToUnicode(unsigned char byte);

// True for the codes the text layer may show: 0x20-0x7E and 0x80-0xFF except the five
// undefined ones (they map to .notdef, forbidden by PDF/A-2 6.2.11.8).
bool IsShowableCp1252(unsigned char byte);

// Converts UTF-8 to showable Windows-1252 bytes. Characters in Windows-1252 map directly
// (æ ø å Æ Ø Å, Latin-1, € „ “ ” – — …); a letter followed by a combining accent is
// composed first (a + U+030A becomes å); the rest is transliterated where a plain form
// exists (ligatures ﬁ → fi, Latin Extended-A letters to their base letter ł → l, other
// dashes → '-', typographic spaces → ' ', fullwidth ASCII → ASCII), and zero-width
// characters and stray combining accents are dropped. Whitespace controls become ' ';
// everything else, including invalid UTF-8, becomes '?'. Independent of the locale.
std::string Utf8ToCp1252(std::string_view utf8);

// A ToUnicode CMap mapping every showable code 0x20-0xFF to its Unicode character, for
// the text font's /ToUnicode stream (robust copy and paste).
std::string BuildToUnicodeCMap();

// One word of the text layer, ready for the content stream:
//   BT 3 Tr /F font_size Tf  a b c d e f Tm (text) Tj ... ET
struct PlacedWord {
  std::string text;      // Windows-1252 bytes; a trailing space unless last on its line
  double font_size = 0;  // points, 0 < font_size <= kMaxFontSize
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;  // text matrix, origin on the baseline
  int line_index = 0;                               // index into the lines given to PlaceWords
  int word_index = 0;                               // index into that line's words
};

// libharu's largest font size (HPDF_MAX_FONTSIZE).
inline constexpr double kMaxFontSize = 600;
// Baselines flatter than this are made horizontal (as Tesseract's PDF renderer does).
inline constexpr double kFlattenSlope = 0.005;

// The advance width of Windows-1252 text in the text font at size 1000 (glyph units).
using TextWidthFn = std::function<double(const std::string& cp1252)>;

// Places the words of `lines` (reading order) on a page of `width_px` x `height_px` pixels
// at `dpi`. Per line: the font size is the largest height of a word above the baseline
// (baseline - word top), in points; slopes below kFlattenSlope are flattened to the mean
// baseline height. Per word: the origin is the left edge of its box on the baseline, and
// the horizontal stretch makes the word's natural width (without the trailing space)
// fill the box. Words whose text converts to nothing are left out.
// Errors: kInvalidArgument (Danish, naming line and word) for a word box that is empty
// or lies outside the page. REQUIRES: width_px, height_px, dpi > 0.
Result<std::vector<PlacedWord>> PlaceWords(const std::vector<TextLine>& lines, int width_px,
                                           int height_px, int dpi, const TextWidthFn& width);

}  // namespace intake::pdf

#endif  // INTAKE_PDF_TEXT_LAYER_H_
