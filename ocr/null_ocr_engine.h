// NullOcrEngine: an OcrEngine that recognises nothing, for stations that run without OCR
// (the PDF then holds only the page images).
//
// Thread-safety: stateless; one instance may even be shared between threads.
#ifndef INTAKE_OCR_NULL_OCR_ENGINE_H_
#define INTAKE_OCR_NULL_OCR_ENGINE_H_

#include <chrono>
#include <string>

#include "ocr/ocr_engine.h"

namespace intake::ocr {

class NullOcrEngine final : public OcrEngine {
 public:
  // Returns an empty OcrResult (no words, no lines, mean_confidence 0, text "") at once,
  // whatever the image and deadline.
  Result<OcrResult> Recognize(const PIX* image, int dpi,
                              std::chrono::steady_clock::time_point deadline) override;

  // "ingen OCR".
  std::string Describe() const override;
};

}  // namespace intake::ocr

#endif  // INTAKE_OCR_NULL_OCR_ENGINE_H_
