// PageImage: one scanned page as it arrives from a scanner or a file, before processing.
//
// Thread-safety: a value owning its PIX exclusively; move it between threads.
#ifndef INTAKE_OCR_PAGE_IMAGE_H_
#define INTAKE_OCR_PAGE_IMAGE_H_

#include <string>

#include "ocr/leptonica_handles.h"

namespace intake::ocr {

struct PageImage {
  // 1 bpp (1 = black), 8 bpp grey (0 = black) or 32 bpp RGB; never colour-mapped, never
  // with an alpha channel, never 2, 4 or 16 bpp (the loaders normalise).
  PixPtr pix;
  // Resolution in dots per inch. Equal in x and y (a loader resamples otherwise).
  int dpi = 0;
  // True if the source carried no resolution and `dpi` is the caller's stated value.
  bool dpi_assumed = false;
  // Where the page came from, for messages: a file name (never a path holding a CPR
  // number) or a scanner batch name.
  std::string source;
  // 1-based page number within the source (multi-page TIFF, PDF, scanner batch).
  int source_page = 1;
};

}  // namespace intake::ocr

#endif  // INTAKE_OCR_PAGE_IMAGE_H_
