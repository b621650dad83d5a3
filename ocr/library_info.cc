#include "ocr/library_info.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <memory>

namespace intake::ocr {
namespace {
struct LeptFree {
  void operator()(char* p) const { lept_free(p); }
};
}  // namespace

std::string LibraryVersions() {
  std::string out = "Tesseract ";
  out += tesseract::TessBaseAPI::Version();
  // getLeptonicaVersion() returns "leptonica-1.82.0", allocated; the caller frees it.
  std::unique_ptr<char, LeptFree> lept(getLeptonicaVersion());
  std::string lept_version = lept ? lept.get() : "?";
  const std::string prefix = "leptonica-";
  if (lept_version.rfind(prefix, 0) == 0) lept_version.erase(0, prefix.size());
  out += ", Leptonica " + lept_version;
  return out;
}

}  // namespace intake::ocr
