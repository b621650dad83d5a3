// Versions of the OCR libraries the station is linked against, for --version and status.
#ifndef INTAKE_OCR_LIBRARY_INFO_H_
#define INTAKE_OCR_LIBRARY_INFO_H_

#include <string>

namespace intake::ocr {

// "Tesseract 5.3.0, Leptonica 1.82.0", read from the libraries at run time.
std::string LibraryVersions();

}  // namespace intake::ocr

#endif  // INTAKE_OCR_LIBRARY_INFO_H_
