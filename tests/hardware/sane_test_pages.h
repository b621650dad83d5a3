// Synthetic page images for the tests of the project's SANE backend, written with
// Leptonica: A4 pages with a uniform marker block whose grey value names the page, so a
// test can tell which page arrived at any resolution (the inside of a uniform block stays
// exact under scaling).
#ifndef INTAKE_TESTS_HARDWARE_SANE_TEST_PAGES_H_
#define INTAKE_TESTS_HARDWARE_SANE_TEST_PAGES_H_

#include <leptonica/allheaders.h>

#include <cmath>
#include <memory>
#include <string>

namespace intake::testing {

struct LeptPixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using TestPix = std::unique_ptr<PIX, LeptPixDeleter>;

// Paper tone of the synthetic pages (not 255, so a generated blank back is told apart).
inline constexpr int kPaperGrey = 250;
// The marker block: 20..40 mm from the left and from the top.
inline constexpr double kMarkerFromMm = 20.0;
inline constexpr double kMarkerToMm = 40.0;
inline constexpr double kMarkerProbeMm = 30.0;

inline int MmToPx(double mm, int dpi) { return static_cast<int>(std::lround(mm / 25.4 * dpi)); }

// Marker grey of sheet `sheet` (1-based): fronts 10 + 8 * sheet, backs 4 more.
inline int FrontCode(int sheet) { return 10 + 8 * sheet; }
inline int BackCode(int sheet) { return 14 + 8 * sheet; }

// An 8-bit grey A4 page at `dpi` with the marker block in grey `code`. `write_dpi` false:
// the PNG has no resolution (pHYs), so the backend assumes 300 dpi.
inline bool WriteMarkerPage(const std::string& path, int dpi, int code, bool write_dpi = true) {
  const int w = MmToPx(210, dpi);
  const int h = MmToPx(297, dpi);
  TestPix pix(pixCreate(w, h, 8));
  if (!pix) return false;
  pixSetAllArbitrary(pix.get(), kPaperGrey);
  const int from = MmToPx(kMarkerFromMm, dpi);
  const int to = MmToPx(kMarkerToMm, dpi);
  for (int y = from; y < to; ++y) {
    for (int x = from; x < to; ++x) pixSetPixel(pix.get(), x, y, static_cast<l_uint32>(code));
  }
  if (write_dpi) pixSetResolution(pix.get(), dpi, dpi);
  return pixWrite(path.c_str(), pix.get(), IFF_PNG) == 0;
}

}  // namespace intake::testing

#endif  // INTAKE_TESTS_HARDWARE_SANE_TEST_PAGES_H_
