// Version of the PDF library the station is linked against, for --version and status.
#ifndef INTAKE_PDF_LIBRARY_INFO_H_
#define INTAKE_PDF_LIBRARY_INFO_H_

#include <string>

namespace intake::pdf {

// "libharu 2.3.0", read from the library at run time.
std::string LibraryVersions();

}  // namespace intake::pdf

#endif  // INTAKE_PDF_LIBRARY_INFO_H_
