// OcrEngine: recognises the text on one page image.
//
// Implementations: TesseractEngine (ocr/tesseract_engine.h), NullOcrEngine (no text, for
// runs without OCR), and fakes in tests. One engine per worker thread; an engine is not
// thread-safe and is used by one thread at a time.
#ifndef INTAKE_OCR_OCR_ENGINE_H_
#define INTAKE_OCR_OCR_ENGINE_H_

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"
#include "ocr/leptonica_handles.h"

namespace intake::ocr {

// An axis-aligned box in pixels of the image given to the engine; (0,0) is top left.
struct PixelBox {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const PixelBox&) const = default;
};

struct OcrWord {
  std::string text;  // UTF-8
  PixelBox box;
  float confidence = 0;  // 0..100
  int line = 0;          // index into OcrResult::lines
};

struct OcrLine {
  PixelBox box;
  // The baseline from (x1, y1) to (x2, y2), in pixels; y grows downwards.
  int baseline_x1 = 0, baseline_y1 = 0, baseline_x2 = 0, baseline_y2 = 0;
  int first_word = 0;  // words [first_word, first_word + word_count) of OcrResult::words
  int word_count = 0;
  int paragraph = 0;  // lines of one paragraph share the number; reading order
};

struct OcrResult {
  std::vector<OcrWord> words;  // in reading order
  std::vector<OcrLine> lines;  // in reading order
  // Mean word confidence 0..100 (Tesseract's MeanTextConf); 0 when there are no words.
  float mean_confidence = 0;
  // The page text in reading order: words separated by spaces, lines by '\n',
  // paragraphs by an empty line.
  std::string text;
};

class OcrEngine {
 public:
  virtual ~OcrEngine() = default;

  // Recognises `image` (1 or 8 bpp, upright and deskewed) scanned at `dpi`.
  // Returns the words and lines, or kCancelled when `deadline` passes first (the page is
  // then recorded as failed; the batch continues), or kInternal when the engine fails.
  // Does not take ownership of `image`.
  virtual Result<OcrResult> Recognize(const PIX* image, int dpi,
                                      std::chrono::steady_clock::time_point deadline) = 0;

  // "Tesseract 5.3.0 (dan)" or "ingen OCR"; recorded with every page.
  virtual std::string Describe() const = 0;
};

}  // namespace intake::ocr

#endif  // INTAKE_OCR_OCR_ENGINE_H_
