#include "hardware/sane_backend/page_source.h"

#include <leptonica/allheaders.h>
#include <strings.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <system_error>

namespace intake::hardware::sane_backend {
namespace {

// The backend may use only base/ and config/, so it keeps its own small Leptonica owner
// (the same shape as ocr/leptonica_handles.h).
struct PixDeleter {
  void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

constexpr int kMaxSide = 30000;   // pixels; larger images are refused from the header
constexpr int kAssumedDpi = 300;  // for files without a resolution
constexpr int kLineartThreshold = 128;

bool IsImageName(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  const std::string ext = name.substr(dot + 1);
  for (const char* known : {"png", "tif", "tiff", "jpg", "jpeg", "pnm", "pbm", "pgm", "ppm"}) {
    if (strcasecmp(ext.c_str(), known) == 0) return true;
  }
  return false;
}

// The name without extension, and whether it ends in "-back" (then without it).
std::string SheetKey(const std::string& name, bool* is_back) {
  std::string stem = name.substr(0, name.rfind('.'));
  constexpr std::string_view kBack = "-back";
  *is_back = stem.size() > kBack.size() &&
             strcasecmp(stem.c_str() + stem.size() - kBack.size(), kBack.data()) == 0;
  if (*is_back) stem.resize(stem.size() - kBack.size());
  return stem;
}

std::string CheckHeader(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {  // also a symbolic link whose target is gone
    return path + ": filen findes ikke (peger den på en fil, der ikke er lavet endnu?)";
  }
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (pixReadHeader(path.c_str(), &format, &w, &h, &bps, &spp, &iscmap) != 0) {
    return path + ": billedet kan ikke læses (ukendt eller beskadiget format); " +
           "erstat filen eller fjern den fra mappen";
  }
  if (w <= 0 || h <= 0 || w > kMaxSide || h > kMaxSide) {
    return path + ": billedet er " + std::to_string(w) + " x " + std::to_string(h) +
           " punkter; højst " + std::to_string(kMaxSide) + " på hver led";
  }
  return "";
}

int Round(double v) { return static_cast<int>(std::lround(v)); }

}  // namespace

SheetListing ListSheets(const std::string& dir) {
  namespace fs = std::filesystem;
  SheetListing listing;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    listing.errors.push_back(dir + ": mappen med sidebilleder findes ikke; ret 'pages' i " +
                             "intake.conf");
    return listing;
  }
  std::vector<std::string> names;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !IsImageName(name)) continue;
    names.push_back(name);
  }
  if (ec) {
    listing.errors.push_back(dir + ": mappen kan ikke læses (" + ec.message() + ")");
    return listing;
  }
  std::sort(names.begin(), names.end());

  std::map<std::string, std::string> fronts;  // key -> file name
  std::map<std::string, std::string> backs;
  for (const auto& name : names) {
    bool is_back = false;
    const std::string key = SheetKey(name, &is_back);
    auto& table = is_back ? backs : fronts;
    auto [pos, inserted] = table.emplace(key, name);
    if (!inserted) {
      listing.errors.push_back(dir + "/" + name + ": " + pos->second +
                               " har samme arknavn; omdøb en af dem");
    }
  }
  for (const auto& [key, name] : backs) {
    if (fronts.count(key) == 0) {
      listing.errors.push_back(dir + "/" + name + ": bagsiden har ingen forside (" + key +
                               ".*); omdøb eller fjern den");
    }
  }
  int number = 0;
  for (const auto& [key, name] : fronts) {  // std::map: sorted by key
    Sheet sheet;
    sheet.number = ++number;
    sheet.front = dir + "/" + name;
    if (auto back = backs.find(key); back != backs.end()) sheet.back = dir + "/" + back->second;
    for (const std::string* path : {&sheet.front, &sheet.back}) {
      if (path->empty()) continue;
      if (std::string error = CheckHeader(*path); !error.empty()) {
        listing.errors.push_back(std::move(error));
      }
    }
    listing.sheets.push_back(std::move(sheet));
  }
  return listing;
}

FrameLayout MakeFrameLayout(ColorMode mode, int dpi, const ScanArea& area) {
  FrameLayout layout;
  layout.mode = mode;
  layout.dpi = dpi;
  const double px_per_mm = dpi / 25.4;
  layout.offset_x = Round(area.left_mm * px_per_mm);
  layout.offset_y = Round(area.top_mm * px_per_mm);
  layout.pixels_per_line = std::max(0, Round((area.right_mm - area.left_mm) * px_per_mm));
  layout.lines = std::max(0, Round((area.bottom_mm - area.top_mm) * px_per_mm));
  layout.depth = mode == ColorMode::kLineart ? 1 : 8;
  layout.channels = mode == ColorMode::kColor ? 3 : 1;
  layout.bytes_per_line = mode == ColorMode::kLineart ? (layout.pixels_per_line + 7) / 8
                                                      : layout.pixels_per_line * layout.channels;
  return layout;
}

std::string RenderPage(const std::string& path, const FrameLayout& layout,
                       std::vector<uint8_t>* out) {
  const bool lineart = layout.mode == ColorMode::kLineart;
  const bool color = layout.mode == ColorMode::kColor;
  // Paper white: 255 in grey and colour, bit 0 in lineart.
  out->assign(static_cast<size_t>(layout.total_bytes()), lineart ? 0 : 255);
  if (path.empty()) return "";

  PixPtr original(pixRead(path.c_str()));
  if (!original) {
    return path + ": billedet kan ikke indlæses (beskadiget fil?); erstat filen";
  }
  if (pixGetWidth(original.get()) > kMaxSide || pixGetHeight(original.get()) > kMaxSide) {
    return path + ": billedet er for stort";
  }
  int xres = pixGetXRes(original.get());
  int yres = pixGetYRes(original.get());
  if (xres <= 0) xres = yres > 0 ? yres : kAssumedDpi;
  if (yres <= 0) yres = xres;

  PixPtr converted(color ? pixConvertTo32(original.get()) : pixConvertTo8(original.get(), 0));
  if (!converted) return path + ": billedets farveformat understøttes ikke";
  original.reset();
  const double sx = static_cast<double>(layout.dpi) / xres;
  const double sy = static_cast<double>(layout.dpi) / yres;
  PixPtr page;
  if (std::abs(sx - 1) < 1e-9 && std::abs(sy - 1) < 1e-9) {
    page = std::move(converted);
  } else {
    page.reset(pixScaleGeneral(converted.get(), static_cast<l_float32>(sx),
                               static_cast<l_float32>(sy), 0.0f, 0));
    if (!page)
      return path + ": billedet kan ikke skaleres til " + std::to_string(layout.dpi) + " dpi";
  }

  const int w = static_cast<int>(pixGetWidth(page.get()));
  const int h = static_cast<int>(pixGetHeight(page.get()));
  const l_uint32* data = pixGetData(page.get());
  const int wpl = pixGetWpl(page.get());
  // Columns of the frame that the page covers: [x_begin, x_end).
  const int x_begin = std::clamp(-layout.offset_x, 0, layout.pixels_per_line);
  const int x_end = std::clamp(w - layout.offset_x, x_begin, layout.pixels_per_line);
  for (int y = 0; y < layout.lines; ++y) {
    const int src_y = y + layout.offset_y;
    if (src_y < 0 || src_y >= h) continue;
    const l_uint32* line = data + static_cast<ptrdiff_t>(src_y) * wpl;
    uint8_t* row = out->data() + static_cast<ptrdiff_t>(y) * layout.bytes_per_line;
    for (int x = x_begin; x < x_end; ++x) {
      const int src_x = x + layout.offset_x;
      if (color) {
        const l_uint32 pixel = line[src_x];
        row[3 * x] = static_cast<uint8_t>((pixel >> L_RED_SHIFT) & 0xff);
        row[3 * x + 1] = static_cast<uint8_t>((pixel >> L_GREEN_SHIFT) & 0xff);
        row[3 * x + 2] = static_cast<uint8_t>((pixel >> L_BLUE_SHIFT) & 0xff);
      } else {
        const auto grey = static_cast<uint8_t>(GET_DATA_BYTE(line, src_x));
        if (!lineart) {
          row[x] = grey;
        } else if (grey < kLineartThreshold) {
          row[x >> 3] = static_cast<uint8_t>(row[x >> 3] | (0x80 >> (x & 7)));
        }
      }
    }
  }
  return "";
}

}  // namespace intake::hardware::sane_backend
