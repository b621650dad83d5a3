// The paper of the project's SANE backend: the sheets of a folder of page images, and each
// page rendered as the scanner delivers it (mode, resolution, scan area).
//
// Naming (README.md): image files (.png .tif .tiff .jpg .jpeg .pnm .pbm .pgm .ppm) sorted
// by file name are the sheets, in order; a file whose name without extension ends in
// "-back" is the back of the sheet whose front has the name without "-back"
// ("007-back.png" is the back of "007.png"). A sheet without a back file has a blank
// (paper white) back. Other files (manifest.json, README) are ignored.
//
// Plain functions; thread-safe (Leptonica calls on objects owned by the call).
#ifndef INTAKE_HARDWARE_SANE_BACKEND_PAGE_SOURCE_H_
#define INTAKE_HARDWARE_SANE_BACKEND_PAGE_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace intake::hardware::sane_backend {

struct Sheet {
  int number = 0;     // 1-based position in the folder
  std::string front;  // path of the front image
  std::string back;   // path of the back image; empty: a blank back
};

struct SheetListing {
  std::vector<Sheet> sheets;
  // "FILE: what is wrong; what to do" (Danish): unreadable images, backs without a front,
  // two fronts with the same name, a folder that cannot be read.
  std::vector<std::string> errors;
};

// Lists the sheets of `dir` and checks every image's header (format and size), so a bad
// file is reported when the device is opened rather than in the middle of a batch.
SheetListing ListSheets(const std::string& dir);

enum class ColorMode { kLineart, kGray, kColor };

// The scan area in millimetres from the top left corner of the paper.
struct ScanArea {
  double left_mm = 0;
  double top_mm = 0;
  double right_mm = 210;
  double bottom_mm = 297;
};

// The frame as SANE describes it, and where it lies on the page in pixels.
struct FrameLayout {
  ColorMode mode = ColorMode::kGray;
  int dpi = 300;
  int pixels_per_line = 0;
  int lines = 0;
  int offset_x = 0;  // pixel column of the page at the frame's left edge
  int offset_y = 0;  // pixel row of the page at the frame's top edge
  int depth = 8;     // 1 (lineart) or 8
  int channels = 1;  // 1 (gray, lineart) or 3 (RGB)
  int bytes_per_line = 0;
  int64_t total_bytes() const { return int64_t{bytes_per_line} * lines; }
};

// The frame of `area` at `dpi`; pixels_per_line and lines are 0 when the area is empty.
FrameLayout MakeFrameLayout(ColorMode mode, int dpi, const ScanArea& area);

// Renders the image at `path` (empty: a blank white page) into `out` as `layout` says:
// scaled from the image's own resolution (300 dpi when the file has none) to layout.dpi,
// cut to the scan area, paper white outside the image; grey 0 = black; RGB interleaved;
// lineart MSB first with 1 = black (grey below 128). Returns "" on success, else a message
// naming the file (Danish).
std::string RenderPage(const std::string& path, const FrameLayout& layout,
                       std::vector<uint8_t>* out);

}  // namespace intake::hardware::sane_backend

#endif  // INTAKE_HARDWARE_SANE_BACKEND_PAGE_SOURCE_H_
