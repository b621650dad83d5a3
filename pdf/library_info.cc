#include "pdf/library_info.h"

#include <hpdf.h>

namespace intake::pdf {

std::string LibraryVersions() { return std::string("libharu ") + HPDF_GetVersion(); }

}  // namespace intake::pdf
