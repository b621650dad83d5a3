// RAII owners for Leptonica objects. Move-only, no logic.
//
// Leptonica reference counts are not atomic: never pixClone() a PIX that another thread
// may also clone or destroy. Hand pages between threads by moving the PixPtr (or with
// pixCopy), never by sharing.
#ifndef INTAKE_OCR_LEPTONICA_HANDLES_H_
#define INTAKE_OCR_LEPTONICA_HANDLES_H_

#include <leptonica/allheaders.h>

#include <memory>

namespace intake::ocr {

struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
struct BoxDeleter {
  void operator()(BOX* b) const { boxDestroy(&b); }
};
struct BoxaDeleter {
  void operator()(BOXA* b) const { boxaDestroy(&b); }
};
struct PixaDeleter {
  void operator()(PIXA* p) const { pixaDestroy(&p); }
};
struct NumaDeleter {
  void operator()(NUMA* n) const { numaDestroy(&n); }
};
struct LeptBytesDeleter {  // buffers Leptonica allocates (pixWriteMem ...)
  void operator()(l_uint8* p) const { lept_free(p); }
};

using PixPtr = std::unique_ptr<PIX, PixDeleter>;
using BoxPtr = std::unique_ptr<BOX, BoxDeleter>;
using BoxaPtr = std::unique_ptr<BOXA, BoxaDeleter>;
using PixaPtr = std::unique_ptr<PIXA, PixaDeleter>;
using NumaPtr = std::unique_ptr<NUMA, NumaDeleter>;
using LeptBytes = std::unique_ptr<l_uint8, LeptBytesDeleter>;

}  // namespace intake::ocr

#endif  // INTAKE_OCR_LEPTONICA_HANDLES_H_
