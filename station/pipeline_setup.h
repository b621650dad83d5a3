// What the commands that run the page pipeline share: the OCR engine factory for the
// chosen languages (or none), and feeding image files into a running pipeline.
//
// Thread-safety: MakeEngineFactory is pure; FeedFiles runs on the caller's (feeder) thread.
#ifndef INTAKE_STATION_PIPELINE_SETUP_H_
#define INTAKE_STATION_PIPELINE_SETUP_H_

#include <string>
#include <vector>

#include "ocr/image_io.h"
#include "ocr/pipeline.h"

namespace intake::station {

// Tesseract engines for `languages` ("dan", "dan+eng" ...), or engines that recognise
// nothing when `no_ocr` (image processing only).
ocr::OcrEngineFactory MakeEngineFactory(const std::string& languages, bool no_ocr);

// Submits every page of every file in order; a file or page that cannot be read is
// submitted as failed under its name, so the results keep their places. Stops early on
// Ctrl-C (cancelling the pipeline) or when the pipeline is cancelled; closes it otherwise.
void FeedFiles(ocr::PagePipeline& pipe, const std::vector<std::string>& paths,
               const ocr::ImageLoadOptions& load);

}  // namespace intake::station

#endif  // INTAKE_STATION_PIPELINE_SETUP_H_
