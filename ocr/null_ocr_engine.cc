#include "ocr/null_ocr_engine.h"

namespace intake::ocr {

Result<OcrResult> NullOcrEngine::Recognize(const PIX* /*image*/, int /*dpi*/,
                                           std::chrono::steady_clock::time_point /*deadline*/) {
  return OcrResult{};
}

std::string NullOcrEngine::Describe() const { return "ingen OCR"; }

}  // namespace intake::ocr
