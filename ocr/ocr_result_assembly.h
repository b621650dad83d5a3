// Assembly of an OcrResult from the lines and words an OCR engine reports, in reading order.
//
// Pure functions without any OCR library, so the rules (which words are dropped, how lines
// and paragraphs are numbered, how the page text is joined) are tested without Tesseract.
//
// Thread-safety: stateless; call from any thread.
#ifndef INTAKE_OCR_OCR_RESULT_ASSEMBLY_H_
#define INTAKE_OCR_OCR_RESULT_ASSEMBLY_H_

#include <string>
#include <string_view>
#include <vector>

#include "ocr/ocr_engine.h"

namespace intake::ocr {

// One word as the engine reports it.
struct RecognizedWord {
  std::string text;  // UTF-8; may be empty or only whitespace (then it is dropped)
  PixelBox box;
  float confidence = 0;  // nominally 0..100; clamped
};

// One text line as the engine reports it, with its words left to right.
struct RecognizedLine {
  PixelBox box;
  int baseline_x1 = 0, baseline_y1 = 0, baseline_x2 = 0, baseline_y2 = 0;
  // Any number that is equal for the lines of one paragraph and different for lines of
  // different paragraphs; consecutive lines with equal numbers form one paragraph.
  int paragraph = 0;
  std::vector<RecognizedWord> words;
};

// True if `text` is empty or consists only of whitespace: ASCII whitespace, U+00A0 (no-break
// space), U+2000..U+200B (typographic spaces, zero width space), U+202F, U+205F, U+3000
// and U+FEFF. Invalid UTF-8 counts as text (it is not whitespace).
bool IsBlankText(std::string_view text);

// What counts as noise rather than text (used when a NoiseFilter is given).
struct NoiseFilter {
  // A word of only punctuation or symbols (no letter or digit) below this confidence is a
  // speck or a stroke read as ".", "'" or "|": dropped. 0..100; default 50.
  float min_symbol_word_confidence = 50;
  // A line whose words' mean confidence is below this is not text (a signature, a
  // scribble, a drawing read as letters): dropped. 0..100; default 40.
  float min_line_confidence = 40;
};

// Builds the OcrResult from `lines` given in reading order:
// - with `noise`, noise words and lines are dropped first (see NoiseFilter);
// - words whose text IsBlankText() are dropped, and lines left without words are dropped;
// - lines and paragraphs are renumbered 0, 1, 2 ... in order; a new paragraph starts where
//   RecognizedLine::paragraph changes from one kept line to the next;
// - confidences are clamped to 0..100; `mean_confidence` (the engine's page mean) is
//   clamped to 0..100 and set to 0 when no word is kept;
// - text joins words with ' ', lines with '\n' and paragraphs with "\n\n" (no trailing
//   newline; "" when no word is kept).
OcrResult AssembleOcrResult(std::vector<RecognizedLine> lines, float mean_confidence,
                            const NoiseFilter* noise = nullptr);

}  // namespace intake::ocr

#endif  // INTAKE_OCR_OCR_RESULT_ASSEMBLY_H_
