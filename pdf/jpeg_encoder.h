// Baseline JPEG encoding of grey and RGB page rasters with libjpeg(-turbo), for pages
// stored as ImageEncoding::kJpeg (passed through to the PDF as DCTDecode).
//
// Thread-safety: a pure function; libjpeg keeps its state in the call.
#ifndef INTAKE_PDF_JPEG_ENCODER_H_
#define INTAKE_PDF_JPEG_ENCODER_H_

#include <string>

#include "base/result.h"
#include "pdf/pdfa_writer.h"

namespace intake::pdf {

// Encodes `raster` (kGray: one component; kRgb: three, YCbCr 4:2:0) as a baseline
// (sequential, non-progressive) JFIF file at `quality` (1..100) with its dpi recorded.
// REQUIRES: the raster is consistent (sizes, stride, pixel count) and not bilevel, and
// no side exceeds 65500 pixels (libjpeg's limit); the caller checks these.
// Errors: kInternal when libjpeg fails.
Result<std::string> EncodeJpeg(const PageRaster& raster, int quality);

}  // namespace intake::pdf

#endif  // INTAKE_PDF_JPEG_ENCODER_H_
