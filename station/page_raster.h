// From the page pipeline's results (Leptonica images, OCR words) to what the PDF writer
// takes (plain rasters, positioned words): the one place where ocr/ and pdf/ meet.
#ifndef INTAKE_STATION_PAGE_RASTER_H_
#define INTAKE_STATION_PAGE_RASTER_H_

#include "base/result.h"
#include "config/config.h"
#include "ocr/pipeline.h"
#include "pdf/pdfa_writer.h"

namespace intake::station {

// Copies a 1, 8 or 32 bpp image into a raster (1 bpp stays 1 = black; 32 bpp becomes RGB).
// kInvalidArgument for other depths.
Result<pdf::PageRaster> RasterFromPix(const PIX* pix, int dpi);

// The PDF page for a processed page: the image chosen by content (or forced by
// `settings.image_mode`), grey and colour images scaled down to `settings.photo_dpi`, and
// the OCR words as the text layer in the image's coordinates.
Result<pdf::PageContent> BuildPdfPage(const ocr::ProcessedPage& page,
                                      const config::PdfSection& settings);

}  // namespace intake::station

#endif  // INTAKE_STATION_PAGE_RASTER_H_
