#include "ocr/image_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <optional>
#include <utility>
#include <vector>

// clang-format off
// jpeglib.h needs FILE and size_t declared first (<cstdio>, <cstddef> above).
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <tiffio.h>
// clang-format on

#include "base/cpr_mask.h"
#include "base/log.h"
#include "ocr/leptonica_handles.h"

// Decoding strategy.
//
// PNG, JPEG and TIFF are decoded with libpng, libjpeg and libtiff directly (not through
// Leptonica's readers) because only the libraries' own hooks tell whether a page decoded
// completely: libjpeg fills a truncated scan with grey and merely warns, libtiff's fax
// decoder warns "Premature EOF" and pads the page with white. The rule is the same for all
// three: a library error anywhere, or a warning while pixels are decoded (listed
// exceptions aside), fails the page; warnings about metadata are logged at debug level.
// Rows are converted into the output PIX as they are decoded, so a page needs its PIX plus
// about one row of scratch memory (interlaced PNGs need one image-sized buffer).
//
// libpng and libjpeg report errors by longjmp. The functions that call setjmp
// (DecodePngUnsafe, DecodeJpegUnsafe) hold no C++ object with a destructor; all their
// state lives in a struct owned by the caller, whose destructor frees the library handles.

namespace intake::ocr {
namespace {

constexpr double kMinSaneDpi = 50;
constexpr double kMaxSaneDpi = 2400;
constexpr char kFixAdvice[] = "scan siden igen eller hent en ny kopi af filen";

// ---------------------------------------------------------------------------------------
// Library message routing

void LeptonicaMessage(const char* text) {
  try {
    std::string line(text != nullptr ? text : "");
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    log::Debug("Leptonica: " + line);
  } catch (...) {  // Leptonica is C: nothing may unwind into it.
  }
}

std::string FormatV(const char* fmt, va_list ap) {
  char buf[1024];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

// libtiff's process-wide handlers, used only for messages without a TIFF handle (each
// handle opened here has its own handlers, see TiffSession).
void TiffGlobalMessage(const char* module, const char* fmt, va_list ap) {
  try {
    log::Debug(std::string("libtiff: ") + (module != nullptr ? module : "") + ": " +
               FormatV(fmt, ap));
  } catch (...) {
  }
}

void RouteLibraryMessagesOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    leptSetStderrHandler(LeptonicaMessage);
    TIFFSetErrorHandler(TiffGlobalMessage);
    TIFFSetWarningHandler(TiffGlobalMessage);
  });
}

// ---------------------------------------------------------------------------------------
// Names, messages

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base.empty() ? std::string("(uden navn)") : std::string(base);
}

// What a message is about: "scan.png" or "side 3 af 5 i scan.tif".
struct PageRef {
  const std::string* name = nullptr;
  int page = 1;   // 1-based
  int count = 1;  // pages in the file

  std::string Label() const {
    if (count <= 1) return *name;
    return "side " + std::to_string(page) + " af " + std::to_string(count) + " i " + *name;
  }
};

// What went wrong while decoding, as the decoders see it.
enum class Damage { kTruncated, kCorrupt, kUnsupported };

Error PageError(const PageRef& ref, Damage damage, const std::string& detail) {
  std::string reason;
  switch (damage) {
    case Damage::kTruncated:
      reason = "filen er afkortet (den slutter midt i billedet); " + std::string(kFixAdvice);
      break;
    case Damage::kCorrupt:
      reason = "billeddata er beskadiget; " + std::string(kFixAdvice);
      break;
    case Damage::kUnsupported:
      reason =
          "denne slags billede understøttes ikke; gem siden som PNG, TIFF eller JPEG i "
          "sort-hvid, gråtoner eller farver (RGB)";
      break;
  }
  std::string message = ref.Label() + " kan ikke læses: " + reason;
  if (!detail.empty()) message += " (teknisk: " + detail + ")";
  return Error(ErrorCode::kInvalidArgument, message);
}

// `width`, `height`: the page's size if known, else 0.
Error OutOfMemory(const PageRef& ref, int64_t width = 0, int64_t height = 0) {
  std::string what = "der er ikke hukommelse nok";
  if (width > 0 && height > 0) {
    what +=
        " til et billede på " + std::to_string(width) + " × " + std::to_string(height) + " pixel";
  }
  return Error(ErrorCode::kUnavailable, ref.Label() + " kan ikke indlæses: " + what +
                                            "; luk andre programmer eller prøv igen senere");
}

std::string Megabytes(int64_t bytes) { return std::to_string((bytes + 500'000) / 1'000'000); }

// ---------------------------------------------------------------------------------------
// Format detection

struct Detected {
  std::optional<ImageFormat> format;
  std::string other;  // name of a recognised but unsupported format
  bool truncated_signature = false;
};

bool StartsWith(std::string_view data, std::string_view magic) {
  return data.size() >= magic.size() && data.substr(0, magic.size()) == magic;
}

Detected DetectFormat(std::string_view data) {
  using namespace std::string_view_literals;
  struct Known {
    std::string_view magic;
    std::optional<ImageFormat> format;
    const char* name;
  };
  static const Known kKnown[] = {
      {"\x89PNG\r\n\x1a\n"sv, ImageFormat::kPng, "PNG"},
      {"\xff\xd8\xff"sv, ImageFormat::kJpeg, "JPEG"},
      {"II*\0"sv, ImageFormat::kTiff, "TIFF"},
      {"MM\0*"sv, ImageFormat::kTiff, "TIFF"},
      {"II+\0"sv, ImageFormat::kTiff, "TIFF"},  // BigTIFF
      {"MM\0+"sv, ImageFormat::kTiff, "TIFF"},
      {"%PDF"sv, std::nullopt, "PDF"},
      {"GIF8"sv, std::nullopt, "GIF"},
      {"\0\0\0\x0cjP  \r\n\x87\n"sv, std::nullopt, "JPEG 2000"},
      {"\xff\x4f\xff\x51"sv, std::nullopt, "JPEG 2000"},
      {"II\xbc"sv, std::nullopt, "JPEG XR"},
      {"PK\x03\x04"sv, std::nullopt, "ZIP"},
  };
  Detected d;
  for (const Known& k : kKnown) {
    if (StartsWith(data, k.magic)) {
      d.format = k.format;
      if (!k.format) d.other = k.name;
      return d;
    }
  }
  if (data.size() >= 14 && data.substr(0, 2) == "BM"sv && data.substr(6, 4) == "\0\0\0\0"sv) {
    d.other = "BMP";
    return d;
  }
  if (data.size() >= 12 && data.substr(0, 4) == "RIFF"sv && data.substr(8, 4) == "WEBP"sv) {
    d.other = "WebP";
    return d;
  }
  if (data.size() >= 12 && data.substr(4, 4) == "ftyp"sv) {
    const std::string_view brand = data.substr(8, 4);
    if (brand == "heic"sv || brand == "heix"sv || brand == "mif1"sv || brand == "avif"sv) {
      d.other = brand == "avif"sv ? "AVIF" : "HEIF";
      return d;
    }
  }
  // A file shorter than a supported signature that begins like one was cut short.
  for (const Known& k : kKnown) {
    if (k.format && data.size() < k.magic.size() && k.magic.substr(0, data.size()) == data) {
      d.truncated_signature = true;
    }
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// Resolution and size: decided from the header, before any pixel memory exists.

struct PagePlan {
  int width = 0;  // as stored
  int height = 0;
  int dpi = 0;
  bool dpi_assumed = false;
  float scale_x = 1;  // resampling to square resolution; at most one of them is > 1
  float scale_y = 1;
};

bool SaneDpi(double dpi) { return dpi >= kMinSaneDpi - 0.5 && dpi < kMaxSaneDpi + 0.5; }

std::string DpiText(double dpi) {
  if (!(dpi > 0) || dpi > 1e9) return "?";
  return std::to_string(std::lround(dpi));
}

// `xdpi`, `ydpi`: the resolution the file states, or <= 0 (or NaN) when it states none.
Result<PagePlan> PlanPage(const PageRef& ref, int64_t width, int64_t height, double xdpi,
                          double ydpi, const ImageLoadOptions& options) {
  if (width <= 0 || height <= 0) {
    return PageError(
        ref, Damage::kCorrupt,
        "billedet har ingen pixel: " + std::to_string(width) + " × " + std::to_string(height));
  }
  PagePlan plan;
  const bool has_x = xdpi > 0;
  const bool has_y = ydpi > 0;
  if (!has_x && !has_y) {
    plan.dpi = options.assumed_dpi;
    plan.dpi_assumed = true;
  } else {
    const double x = has_x ? xdpi : ydpi;
    const double y = has_y ? ydpi : xdpi;
    if (!SaneDpi(x) || !SaneDpi(y)) {
      log::Debug(ref.Label() + ": den angivne opløsning " + DpiText(x) + " × " + DpiText(y) +
                 " dpi er urimelig; bruger " + std::to_string(options.assumed_dpi) + " dpi");
      plan.dpi = options.assumed_dpi;
      plan.dpi_assumed = true;
    } else {
      const long xi = std::lround(x);
      const long yi = std::lround(y);
      plan.dpi = static_cast<int>(std::max(xi, yi));
      if (xi > yi) plan.scale_y = static_cast<float>(xi) / static_cast<float>(yi);
      if (yi > xi) plan.scale_x = static_cast<float>(yi) / static_cast<float>(xi);
    }
  }
  // The size the page will have after resampling (Leptonica rounds the same way).
  const int64_t out_w = static_cast<int64_t>(plan.scale_x * static_cast<double>(width) + 0.5);
  const int64_t out_h = static_cast<int64_t>(plan.scale_y * static_cast<double>(height) + 0.5);
  if (out_w > options.max_dimension || out_h > options.max_dimension ||
      out_w * out_h > options.max_pixels) {
    std::string size = std::to_string(width) + " × " + std::to_string(height) + " pixel";
    if (out_w != width || out_h != height) {
      size += " (" + std::to_string(out_w) + " × " + std::to_string(out_h) +
              " efter udligning af opløsningen " + DpiText(xdpi) + " × " + DpiText(ydpi) + " dpi)";
    }
    return Error(ErrorCode::kInvalidArgument,
                 ref.Label() + " kan ikke indlæses: billedet er for stort: " + size +
                     "; grænsen er " + std::to_string(options.max_dimension) +
                     " pixel på hver led og " + std::to_string(options.max_pixels / 1'000'000) +
                     " mio. pixel pr. side; scan siden med lavere opløsning");
  }
  plan.width = static_cast<int>(width);
  plan.height = static_cast<int>(height);
  return plan;
}

// ---------------------------------------------------------------------------------------
// Output pages and row conversion

enum class PageKind { kBilevel, kGrey, kRgb };

int DepthOf(PageKind kind) {
  switch (kind) {
    case PageKind::kBilevel:
      return 1;
    case PageKind::kGrey:
      return 8;
    case PageKind::kRgb:
      return 32;
  }
  return 8;
}

PixPtr NewPix(const PagePlan& plan, PageKind kind) {
  // pixCreate zero-fills and, for 32 bpp, sets 3 samples per pixel (no alpha).
  return PixPtr(pixCreate(plan.width, plan.height, DepthOf(kind)));
}

inline uint8_t OverWhite(unsigned value, unsigned alpha) {
  return static_cast<uint8_t>((value * alpha + 255u * (255u - alpha) + 127u) / 255u);
}

inline l_uint32 RgbWord(unsigned r, unsigned g, unsigned b) {
  return (static_cast<l_uint32>(r) << L_RED_SHIFT) | (static_cast<l_uint32>(g) << L_GREEN_SHIFT) |
         (static_cast<l_uint32>(b) << L_BLUE_SHIFT);
}

l_uint32* PixRow(PIX* pix, int y) {
  return pixGetData(pix) + static_cast<size_t>(y) * pixGetWpl(pix);
}

// `bits`: one row of 1-bit samples, most significant bit first, padded to whole bytes.
// With `zero_is_black` the bits are inverted so that 1 = black in the PIX.
void PutBitsRow(PIX* pix, int y, const uint8_t* bits, bool zero_is_black) {
  l_uint32* line = PixRow(pix, y);
  const int bytes = (pixGetWidth(pix) + 7) / 8;
  const uint8_t flip = zero_is_black ? 0xff : 0x00;
  for (int i = 0; i < bytes; ++i) SET_DATA_BYTE(line, i, bits[i] ^ flip);
}

// `samples`: 8-bit grey, with `channels` == 2 followed by alpha for each pixel.
void PutGreyRow(PIX* pix, int y, const uint8_t* samples, int channels, bool invert) {
  l_uint32* line = PixRow(pix, y);
  const int w = pixGetWidth(pix);
  for (int x = 0; x < w; ++x) {
    unsigned v = samples[x * channels];
    if (invert) v = 255 - v;
    if (channels == 2) v = OverWhite(v, samples[x * 2 + 1]);
    SET_DATA_BYTE(line, x, v);
  }
}

// `samples`: 8-bit R, G, B, with `channels` == 4 followed by (unassociated) alpha.
void PutRgbRow(PIX* pix, int y, const uint8_t* samples, int channels) {
  l_uint32* line = PixRow(pix, y);
  const int w = pixGetWidth(pix);
  for (int x = 0; x < w; ++x) {
    const uint8_t* p = samples + static_cast<size_t>(x) * channels;
    if (channels == 4) {
      line[x] = RgbWord(OverWhite(p[0], p[3]), OverWhite(p[1], p[3]), OverWhite(p[2], p[3]));
    } else {
      line[x] = RgbWord(p[0], p[1], p[2]);
    }
  }
}

struct PaletteEntry {
  uint8_t r = 0, g = 0, b = 0, a = 255;
};

// A colour map resolved for the output: which kind of page it makes and each index's
// value in it (0/1 for bilevel, grey level, or an RGB word). Transparency is composited
// over white; indices beyond the palette are black, as libpng treats them.
struct PaletteMap {
  PageKind kind = PageKind::kRgb;
  std::array<l_uint32, 256> value{};
};

PaletteMap MakePaletteMap(const std::vector<PaletteEntry>& entries, int bits_per_index) {
  std::vector<PaletteEntry> flat;
  bool all_grey = true;
  bool black_and_white = true;
  for (const PaletteEntry& e : entries) {
    const PaletteEntry f{OverWhite(e.r, e.a), OverWhite(e.g, e.a), OverWhite(e.b, e.a), 255};
    all_grey = all_grey && f.r == f.g && f.g == f.b;
    black_and_white = black_and_white && all_grey && (f.r == 0 || f.r == 255);
    flat.push_back(f);
  }
  PaletteMap map;
  map.kind = (bits_per_index == 1 && black_and_white) ? PageKind::kBilevel
             : all_grey                               ? PageKind::kGrey
                                                      : PageKind::kRgb;
  for (size_t i = 0; i < map.value.size(); ++i) {
    const PaletteEntry f = i < flat.size() ? flat[i] : PaletteEntry{0, 0, 0, 255};
    switch (map.kind) {
      case PageKind::kBilevel:
        map.value[i] = f.r == 0 ? 1 : 0;
        break;
      case PageKind::kGrey:
        map.value[i] = f.r;
        break;
      case PageKind::kRgb:
        map.value[i] = RgbWord(f.r, f.g, f.b);
        break;
    }
  }
  return map;
}

// For a bilevel map of a 1-bit palette whose two entries differ, the rows can be copied as
// bits: returns whether index 0 is black (the bits must be inverted). nullopt otherwise.
std::optional<bool> PackedBitsZeroIsBlack(const PaletteMap& map, int bits_per_index) {
  if (map.kind != PageKind::kBilevel || bits_per_index != 1 || map.value[0] == map.value[1]) {
    return std::nullopt;
  }
  return map.value[0] == 1;
}

// `indices`: one byte per pixel.
void PutIndexRow(PIX* pix, int y, const uint8_t* indices, const PaletteMap& map) {
  l_uint32* line = PixRow(pix, y);
  const int w = pixGetWidth(pix);
  for (int x = 0; x < w; ++x) {
    const l_uint32 v = map.value[indices[x]];
    switch (map.kind) {
      case PageKind::kBilevel:
        if (v != 0) SET_DATA_BIT(line, x);
        break;
      case PageKind::kGrey:
        SET_DATA_BYTE(line, x, v);
        break;
      case PageKind::kRgb:
        line[x] = v;
        break;
    }
  }
}

// Unpacks `count` samples of `bits` (1, 2, 4, 8 or 16, native byte order) into one byte
// each: raw values for 1-8 bits, 16-bit values scaled to 0-255.
void UnpackSamples(const uint8_t* src, int count, int bits, uint8_t* dst) {
  switch (bits) {
    case 8:
      std::memcpy(dst, src, static_cast<size_t>(count));
      break;
    case 16:
      for (int i = 0; i < count; ++i) {
        uint16_t v;
        std::memcpy(&v, src + 2 * i, 2);
        dst[i] = static_cast<uint8_t>((v + 128u) / 257u);
      }
      break;
    default: {
      const int per_byte = 8 / bits;
      const unsigned mask = (1u << bits) - 1;
      for (int i = 0; i < count; ++i) {
        const int shift = 8 - bits * (i % per_byte + 1);
        dst[i] = static_cast<uint8_t>((src[i / per_byte] >> shift) & mask);
      }
    }
  }
}

// Resamples to square resolution, applies the TIFF orientation and wraps up the page.
// `orientation` is a TIFF Orientation value (1 = top left, as stored).
Result<PageImage> FinishPage(const PageRef& ref, PixPtr pix, const PagePlan& plan,
                             int orientation = 1) {
  pixSetPadBits(pix.get(), 0);
  if (plan.scale_x != 1 || plan.scale_y != 1) {
    // No sharpening: the page keeps the scanner's pixel values.
    PixPtr scaled(pixScaleGeneral(pix.get(), plan.scale_x, plan.scale_y, 0.0f, 0));
    if (!scaled) return OutOfMemory(ref, plan.width, plan.height);
    pix = std::move(scaled);
  }
  PIX* oriented = nullptr;
  switch (orientation) {
    case 2:
      oriented = pixFlipLR(nullptr, pix.get());
      break;
    case 3:
      oriented = pixRotate180(nullptr, pix.get());
      break;
    case 4:
      oriented = pixFlipTB(nullptr, pix.get());
      break;
    case 5: {  // transpose
      PixPtr r(pixRotate90(pix.get(), 1));
      if (r) oriented = pixFlipLR(nullptr, r.get());
      break;
    }
    case 6:
      oriented = pixRotate90(pix.get(), 1);
      break;
    case 7: {  // transverse
      PixPtr r(pixRotate90(pix.get(), 1));
      if (r) oriented = pixFlipTB(nullptr, r.get());
      break;
    }
    case 8:
      oriented = pixRotate90(pix.get(), -1);
      break;
    default:
      break;
  }
  if (orientation >= 2 && orientation <= 8) {
    if (oriented == nullptr) return OutOfMemory(ref, plan.width, plan.height);
    pix.reset(oriented);
  }
  pixSetResolution(pix.get(), plan.dpi, plan.dpi);
  const int depth = pixGetDepth(pix.get());
  assert(depth == 1 || depth == 8 || depth == 32);
  assert(pixGetColormap(pix.get()) == nullptr);
  assert(depth != 32 || pixGetSpp(pix.get()) == 3);
  (void)depth;
  PageImage page;
  page.pix = std::move(pix);
  page.dpi = plan.dpi;
  page.dpi_assumed = plan.dpi_assumed;
  page.source = *ref.name;
  page.source_page = ref.page;
  return page;
}

// Everything the decoders share for one page.
struct DecodeContext {
  std::string_view data;
  PageRef ref;
  const ImageLoadOptions* options = nullptr;
};

// ---------------------------------------------------------------------------------------
// PNG (libpng)

struct PngState {
  explicit PngState(const DecodeContext& c) : ctx(c) {}
  ~PngState() {
    if (png != nullptr) png_destroy_read_struct(&png, &info, nullptr);
  }
  PngState(const PngState&) = delete;
  PngState& operator=(const PngState&) = delete;

  const DecodeContext& ctx;
  png_structp png = nullptr;
  png_infop info = nullptr;
  size_t pos = 0;
  bool hit_end = false;
  char error[256] = "";

  // From the header.
  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  double xdpi = 0, ydpi = 0;
  bool has_trns = false;

  // Decisions and output.
  std::optional<Error> refusal;  // set when the page is refused without a library error
  PagePlan plan;
  PageKind kind = PageKind::kGrey;
  bool packed_bits = false;   // rows are 1 bit per pixel, copied as they are
  bool zero_is_black = true;  // ... and inverted
  bool indexed = false;       // rows are palette indices, one byte each
  PaletteMap palette;
  int channels = 1;
  size_t rowbytes = 0;
  std::vector<uint8_t> rows;
  PixPtr pix;
};

void PngError(png_structp png, png_const_charp message) {
  auto* st = static_cast<PngState*>(png_get_error_ptr(png));
  if (st->error[0] == '\0') std::snprintf(st->error, sizeof st->error, "%s", message);
  png_longjmp(png, 1);
}

void PngWarning(png_structp png, png_const_charp message) {
  auto* st = static_cast<PngState*>(png_get_error_ptr(png));
  try {
    log::Debug(st->ctx.ref.Label() + ": libpng: " + message);
  } catch (...) {
  }
}

void PngRead(png_structp png, png_bytep out, size_t length) {
  auto* st = static_cast<PngState*>(png_get_io_ptr(png));
  if (length > st->ctx.data.size() - st->pos) {
    st->hit_end = true;
    png_error(png, "unexpected end of file");
  }
  std::memcpy(out, st->ctx.data.data() + st->pos, length);
  st->pos += length;
}

// Called after png_read_info: decides the output and refuses oversized pages. No libpng
// call here may fail.
bool PngPlan(PngState* st) {
  png_structp png = st->png;
  png_infop info = st->info;
  png_uint_32 xppu = 0, yppu = 0;
  int unit = 0;
  if (png_get_pHYs(png, info, &xppu, &yppu, &unit) != 0 && unit == PNG_RESOLUTION_METER) {
    st->xdpi = xppu * 0.0254;
    st->ydpi = yppu * 0.0254;
  }
  auto plan = PlanPage(st->ctx.ref, st->width, st->height, st->xdpi, st->ydpi, *st->ctx.options);
  if (!plan) {
    st->refusal = plan.error();
    return false;
  }
  st->plan = *plan;
  st->has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  if (st->color_type == PNG_COLOR_TYPE_PALETTE) {
    png_colorp colors = nullptr;
    int num_colors = 0;
    png_bytep trans = nullptr;
    int num_trans = 0;
    png_get_PLTE(png, info, &colors, &num_colors);
    if (st->has_trns) png_get_tRNS(png, info, &trans, &num_trans, nullptr);
    std::vector<PaletteEntry> entries;
    for (int i = 0; i < num_colors; ++i) {
      entries.push_back({colors[i].red, colors[i].green, colors[i].blue,
                         static_cast<uint8_t>(i < num_trans ? trans[i] : 255)});
    }
    st->palette = MakePaletteMap(entries, st->bit_depth);
    st->kind = st->palette.kind;
    if (auto zero_is_black = PackedBitsZeroIsBlack(st->palette, st->bit_depth)) {
      st->packed_bits = true;  // the common 1-bit black-and-white scan: no per-pixel lookup
      st->zero_is_black = *zero_is_black;
    } else {
      st->indexed = true;
    }
  } else if (st->color_type == PNG_COLOR_TYPE_GRAY && st->bit_depth == 1 && !st->has_trns) {
    st->kind = PageKind::kBilevel;
    st->packed_bits = true;
    st->zero_is_black = true;
  } else if (st->color_type == PNG_COLOR_TYPE_GRAY || st->color_type == PNG_COLOR_TYPE_GRAY_ALPHA) {
    st->kind = PageKind::kGrey;
  } else {
    st->kind = PageKind::kRgb;
  }
  return true;
}

bool PngAllocate(PngState* st) {
  try {
    const size_t rows = st->interlace != PNG_INTERLACE_NONE ? st->height : 1;
    st->rows.resize(st->rowbytes * rows);
  } catch (const std::bad_alloc&) {
    st->refusal = OutOfMemory(st->ctx.ref, st->width, st->height);
    return false;
  }
  st->pix = NewPix(st->plan, st->kind);
  if (!st->pix) {
    st->refusal = OutOfMemory(st->ctx.ref, st->width, st->height);
    return false;
  }
  return true;
}

void PngPutRow(PngState* st, int y, const uint8_t* row) {
  if (st->packed_bits) {
    PutBitsRow(st->pix.get(), y, row, st->zero_is_black);
  } else if (st->indexed) {
    PutIndexRow(st->pix.get(), y, row, st->palette);
  } else if (st->kind == PageKind::kGrey) {
    PutGreyRow(st->pix.get(), y, row, st->channels, /*invert=*/false);
  } else {
    PutRgbRow(st->pix.get(), y, row, st->channels);
  }
}

// See the note on setjmp at the top of the file.
bool DecodePngUnsafe(PngState* st) {
  st->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, st, PngError, PngWarning);
  if (st->png == nullptr) return false;
  st->info = png_create_info_struct(st->png);
  if (st->info == nullptr) return false;
  if (setjmp(png_jmpbuf(st->png))) return false;

  png_set_read_fn(st->png, st, PngRead);
  // libpng's own limit (a million pixels per side) would answer before PlanPage does, with
  // a less helpful message; PNG's format limit is 2^31 - 1.
  png_set_user_limits(st->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_read_info(st->png, st->info);
  png_get_IHDR(st->png, st->info, &st->width, &st->height, &st->bit_depth, &st->color_type,
               &st->interlace, nullptr, nullptr);
  if (!PngPlan(st)) return false;

  if (st->indexed) {
    png_set_packing(st->png);  // one byte per index
  } else if (!st->packed_bits) {
    if (st->color_type == PNG_COLOR_TYPE_GRAY && st->bit_depth < 8) {
      png_set_expand_gray_1_2_4_to_8(st->png);
    }
    if (st->bit_depth == 16) png_set_scale_16(st->png);
    if (st->has_trns) png_set_tRNS_to_alpha(st->png);
  }
  const int passes = png_set_interlace_handling(st->png);
  png_read_update_info(st->png, st->info);
  st->channels = png_get_channels(st->png, st->info);
  st->rowbytes = png_get_rowbytes(st->png, st->info);
  if (!PngAllocate(st)) return false;

  const int height = static_cast<int>(st->height);
  if (st->interlace == PNG_INTERLACE_NONE) {
    for (int y = 0; y < height; ++y) {
      png_read_row(st->png, st->rows.data(), nullptr);
      PngPutRow(st, y, st->rows.data());
    }
  } else {
    for (int pass = 0; pass < passes; ++pass) {
      for (int y = 0; y < height; ++y) {
        png_read_row(st->png, st->rows.data() + static_cast<size_t>(y) * st->rowbytes, nullptr);
      }
    }
    for (int y = 0; y < height; ++y) {
      PngPutRow(st, y, st->rows.data() + static_cast<size_t>(y) * st->rowbytes);
    }
  }
  // Reads up to IEND, checking the remaining chunks: a file cut after its last IDAT
  // counts as truncated.
  png_read_end(st->png, nullptr);
  return true;
}

Result<PageImage> ReadPng(const DecodeContext& ctx) {
  PngState st(ctx);
  if (!DecodePngUnsafe(&st)) {
    if (st.refusal) return *st.refusal;
    if (st.png == nullptr || st.info == nullptr) return OutOfMemory(ctx.ref);
    return PageError(ctx.ref, st.hit_end ? Damage::kTruncated : Damage::kCorrupt,
                     std::string("libpng: ") + st.error);
  }
  return FinishPage(ctx.ref, std::move(st.pix), st.plan);
}

// ---------------------------------------------------------------------------------------
// JPEG (libjpeg)

struct JpegState;

struct JpegErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg sees only this
  std::jmp_buf jump;
  JpegState* state;
};

struct JpegState {
  explicit JpegState(const DecodeContext& c) : ctx(c) {}
  ~JpegState() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
  JpegState(const JpegState&) = delete;
  JpegState& operator=(const JpegState&) = delete;

  const DecodeContext& ctx;
  jpeg_decompress_struct cinfo{};
  JpegErrorManager err{};
  bool created = false;
  bool decoding = false;   // pixels are being decoded: warnings now mean damage
  bool truncated = false;  // libjpeg met the end of the data early
  int error_code = 0;      // libjpeg's message code of the error that ended decoding
  int damage = 0;
  char problem[JMSG_LENGTH_MAX] = "";

  std::optional<Error> refusal;
  PagePlan plan;
  PageKind kind = PageKind::kGrey;
  bool cmyk = false;
  bool adobe_inverted = false;
  std::vector<uint8_t> row;
  std::vector<uint8_t> rgb;  // CMYK rows converted
  PixPtr pix;
};

void JpegErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  JpegState* st = err->state;
  if (st->problem[0] == '\0') (*cinfo->err->format_message)(cinfo, st->problem);
  st->error_code = cinfo->err->msg_code;
  if (cinfo->err->msg_code == JWRN_JPEG_EOF || cinfo->err->msg_code == JERR_INPUT_EMPTY) {
    st->truncated = true;
  }
  std::longjmp(err->jump, 1);
}

void JpegEmitMessage(j_common_ptr cinfo, int msg_level) {
  if (msg_level >= 0) return;  // trace messages
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  JpegState* st = err->state;
  ++cinfo->err->num_warnings;
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  const int code = cinfo->err->msg_code;
  if (code == JWRN_JPEG_EOF) st->truncated = true;
  // Bytes skipped between the scan data and the next marker do not touch the pixels;
  // scanners and cameras often leave some.
  if (st->decoding && code != JWRN_EXTRANEOUS_DATA) {
    if (st->damage++ == 0) std::snprintf(st->problem, sizeof st->problem, "%s", text);
    return;
  }
  try {
    log::Debug(st->ctx.ref.Label() + ": libjpeg: " + text);
  } catch (...) {
  }
}

void JpegOutputMessage(j_common_ptr) {}  // everything goes through JpegEmitMessage

uint32_t ReadU32(const uint8_t* p, bool little) {
  return little ? (p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24)
                : (static_cast<uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]);
}
uint16_t ReadU16(const uint8_t* p, bool little) {
  return static_cast<uint16_t>(little ? (p[0] | p[1] << 8) : (p[0] << 8 | p[1]));
}

// Reads XResolution, YResolution and ResolutionUnit from IFD0 of an Exif APP1 payload
// ("Exif\0\0" followed by a TIFF structure). Leaves *xdpi, *ydpi unchanged when absent.
void ParseExifResolution(const uint8_t* data, size_t size, double* xdpi, double* ydpi) {
  if (size < 14 || std::memcmp(data, "Exif\0\0", 6) != 0) return;
  const uint8_t* tiff = data + 6;
  const size_t n = size - 6;
  bool little;
  if (tiff[0] == 'I' && tiff[1] == 'I') {
    little = true;
  } else if (tiff[0] == 'M' && tiff[1] == 'M') {
    little = false;
  } else {
    return;
  }
  if (ReadU16(tiff + 2, little) != 42) return;
  const uint32_t ifd = ReadU32(tiff + 4, little);
  if (ifd > n || n - ifd < 2) return;
  const unsigned entries = ReadU16(tiff + ifd, little);
  double x = 0, y = 0;
  int unit = 2;  // Exif's default: inches
  for (unsigned i = 0; i < entries; ++i) {
    const size_t at = ifd + 2 + static_cast<size_t>(i) * 12;
    if (at + 12 > n) break;
    const uint8_t* e = tiff + at;
    const uint16_t tag = ReadU16(e, little);
    const uint16_t type = ReadU16(e + 2, little);
    if (tag == 0x0128 && type == 3) unit = ReadU16(e + 8, little);
    if ((tag == 0x011a || tag == 0x011b) && type == 5) {
      const uint32_t off = ReadU32(e + 8, little);
      if (off > n || n - off < 8) continue;
      const uint32_t num = ReadU32(tiff + off, little);
      const uint32_t den = ReadU32(tiff + off + 4, little);
      if (den == 0) continue;
      (tag == 0x011a ? x : y) = static_cast<double>(num) / den;
    }
  }
  if (unit != 2 && unit != 3) return;  // 1 = no absolute unit
  const double factor = unit == 3 ? 2.54 : 1.0;
  if (x > 0) *xdpi = x * factor;
  if (y > 0) *ydpi = y * factor;
}

// Called after jpeg_read_header: decides the output and refuses oversized pages. Sets
// libjpeg parameters but calls no libjpeg function.
bool JpegPlan(JpegState* st) {
  jpeg_decompress_struct& c = st->cinfo;
  double xdpi = 0, ydpi = 0;
  if (c.saw_JFIF_marker && (c.density_unit == 1 || c.density_unit == 2)) {
    const double factor = c.density_unit == 2 ? 2.54 : 1.0;
    xdpi = c.X_density * factor;
    ydpi = c.Y_density * factor;
  } else {
    for (jpeg_saved_marker_ptr m = c.marker_list; m != nullptr; m = m->next) {
      if (m->marker == JPEG_APP0 + 1) ParseExifResolution(m->data, m->data_length, &xdpi, &ydpi);
    }
  }
  auto plan = PlanPage(st->ctx.ref, c.image_width, c.image_height, xdpi, ydpi, *st->ctx.options);
  if (!plan) {
    st->refusal = plan.error();
    return false;
  }
  st->plan = *plan;
  switch (c.jpeg_color_space) {
    case JCS_GRAYSCALE:
      st->kind = PageKind::kGrey;
      c.out_color_space = JCS_GRAYSCALE;
      break;
    case JCS_YCbCr:
    case JCS_RGB:
      st->kind = PageKind::kRgb;
      c.out_color_space = JCS_RGB;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      st->kind = PageKind::kRgb;
      st->cmyk = true;
      // Photoshop and most writers that add an Adobe marker store CMYK inverted
      // (0 = full ink); without the marker the values are taken as plain CMYK.
      st->adobe_inverted = c.saw_Adobe_marker != 0;
      c.out_color_space = JCS_CMYK;
      break;
    default:
      st->refusal = PageError(st->ctx.ref, Damage::kUnsupported,
                              "JPEG med " + std::to_string(c.num_components) + " farvekanaler");
      return false;
  }
  return true;
}

bool JpegAllocate(JpegState* st) {
  try {
    const size_t width = st->cinfo.output_width;
    st->row.resize(width * static_cast<size_t>(st->cinfo.output_components));
    if (st->cmyk) st->rgb.resize(width * 3);
  } catch (const std::bad_alloc&) {
    st->refusal = OutOfMemory(st->ctx.ref, st->plan.width, st->plan.height);
    return false;
  }
  if (static_cast<int>(st->cinfo.output_width) != st->plan.width ||
      static_cast<int>(st->cinfo.output_height) != st->plan.height) {
    st->refusal = PageError(st->ctx.ref, Damage::kCorrupt, "uventet billedstørrelse");
    return false;
  }
  st->pix = NewPix(st->plan, st->kind);
  if (!st->pix) {
    st->refusal = OutOfMemory(st->ctx.ref, st->plan.width, st->plan.height);
    return false;
  }
  return true;
}

void JpegPutRow(JpegState* st, int y) {
  if (!st->cmyk) {
    if (st->kind == PageKind::kGrey) {
      PutGreyRow(st->pix.get(), y, st->row.data(), 1, false);
    } else {
      PutRgbRow(st->pix.get(), y, st->row.data(), 3);
    }
    return;
  }
  // Naive CMYK to RGB (no colour profile): R = (1 - C)(1 - K) and so on.
  const int w = st->plan.width;
  for (int x = 0; x < w; ++x) {
    const uint8_t* p = st->row.data() + static_cast<size_t>(x) * 4;
    unsigned c = p[0], m = p[1], yy = p[2], k = p[3];
    if (!st->adobe_inverted) {
      c = 255 - c;
      m = 255 - m;
      yy = 255 - yy;
      k = 255 - k;
    }
    // Now every value is 255 - ink.
    uint8_t* out = st->rgb.data() + static_cast<size_t>(x) * 3;
    out[0] = static_cast<uint8_t>((c * k + 127) / 255);
    out[1] = static_cast<uint8_t>((m * k + 127) / 255);
    out[2] = static_cast<uint8_t>((yy * k + 127) / 255);
  }
  PutRgbRow(st->pix.get(), y, st->rgb.data(), 3);
}

// See the note on setjmp at the top of the file.
bool DecodeJpegUnsafe(JpegState* st) {
  st->cinfo.err = jpeg_std_error(&st->err.pub);
  st->err.pub.error_exit = JpegErrorExit;
  st->err.pub.emit_message = JpegEmitMessage;
  st->err.pub.output_message = JpegOutputMessage;
  st->err.state = st;
  if (setjmp(st->err.jump)) return false;

  jpeg_create_decompress(&st->cinfo);
  st->created = true;
  jpeg_mem_src(&st->cinfo, reinterpret_cast<const unsigned char*>(st->ctx.data.data()),
               static_cast<unsigned long>(st->ctx.data.size()));
  jpeg_save_markers(&st->cinfo, JPEG_APP0 + 1, 0xffff);
  if (jpeg_read_header(&st->cinfo, TRUE) != JPEG_HEADER_OK) {
    std::snprintf(st->problem, sizeof st->problem, "JPEG-filen indeholder intet billede");
    return false;
  }
  if (!JpegPlan(st)) return false;

  st->decoding = true;
  jpeg_start_decompress(&st->cinfo);
  if (!JpegAllocate(st)) return false;
  while (st->cinfo.output_scanline < st->cinfo.output_height) {
    const int y = static_cast<int>(st->cinfo.output_scanline);
    JSAMPROW rows[1] = {st->row.data()};
    if (jpeg_read_scanlines(&st->cinfo, rows, 1) != 1) {
      std::snprintf(st->problem, sizeof st->problem, "libjpeg returned no row %d", y);
      return false;
    }
    JpegPutRow(st, y);
  }
  jpeg_finish_decompress(&st->cinfo);
  return st->damage == 0;
}

Result<PageImage> ReadJpeg(const DecodeContext& ctx) {
  JpegState st(ctx);
  if (!DecodeJpegUnsafe(&st)) {
    if (st.refusal) return *st.refusal;
    if (st.error_code == JERR_IMAGE_TOO_BIG) {  // over libjpeg's 65500 pixels per side
      auto plan =
          PlanPage(ctx.ref, st.cinfo.image_width, st.cinfo.image_height, 0, 0, *ctx.options);
      if (!plan) return plan.error();
    }
    return PageError(ctx.ref, st.truncated ? Damage::kTruncated : Damage::kCorrupt,
                     std::string("libjpeg: ") + st.problem);
  }
  return FinishPage(ctx.ref, std::move(st.pix), st.plan);
}

// ---------------------------------------------------------------------------------------
// TIFF (libtiff)

// One TIFF handle over the reader's bytes, with its own message handlers (libtiff 4.5
// TIFFOpenOptions), so decoders in different threads never share state.
class TiffSession {
 public:
  TiffSession(std::string_view data, const std::string& name) : data_(data), name_(name) {}
  ~TiffSession() {
    if (tif_ != nullptr) TIFFClose(tif_);
  }
  TiffSession(const TiffSession&) = delete;
  TiffSession& operator=(const TiffSession&) = delete;

  // Opens the file and reads its first directory; false on failure (see first_error()).
  bool Open(tmsize_t max_single_alloc) {
    TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
    if (opts == nullptr) return false;
    TIFFOpenOptionsSetErrorHandlerExtR(opts, &TiffSession::OnError, this);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, &TiffSession::OnWarning, this);
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, max_single_alloc);
    // "m": no memory mapping (the bytes are in memory already).
    tif_ = TIFFClientOpenExt(name_.c_str(), "rm", static_cast<thandle_t>(this), &Read, &Write,
                             &Seek, &Close, &Size, &Map, &Unmap, opts);
    TIFFOpenOptionsFree(opts);
    return tif_ != nullptr;
  }

  TIFF* tif() const { return tif_; }
  bool failed() const { return !first_error_.empty(); }
  const std::string& first_error() const { return first_error_; }
  bool read_past_end() const { return read_past_end_; }
  // Forgets the errors so far: libtiff may complain about a directory it then reads
  // anyway, which is logged but not held against the page.
  void ClearErrors() {
    first_error_.clear();
    read_past_end_ = false;
  }
  // From now on warnings mean damaged pixels (see the note at the top of the file).
  void BeginDecoding() {
    ClearErrors();
    decoding_ = true;
  }

 private:
  static tmsize_t Read(thandle_t h, void* buf, tmsize_t size) {
    auto* s = static_cast<TiffSession*>(h);
    if (size < 0) return -1;
    const uint64_t total = s->data_.size();
    const uint64_t avail = s->pos_ < total ? total - s->pos_ : 0;
    uint64_t n = static_cast<uint64_t>(size);
    if (n > avail) {
      s->read_past_end_ = true;
      n = avail;
    }
    if (n > 0) std::memcpy(buf, s->data_.data() + s->pos_, n);
    s->pos_ += n;
    return static_cast<tmsize_t>(n);
  }
  static tmsize_t Write(thandle_t, void*, tmsize_t) { return -1; }
  static toff_t Seek(thandle_t h, toff_t off, int whence) {
    auto* s = static_cast<TiffSession*>(h);
    uint64_t base = 0;
    switch (whence) {
      case SEEK_SET:
        base = 0;
        break;
      case SEEK_CUR:
        base = s->pos_;
        break;
      case SEEK_END:
        base = s->data_.size();
        break;
      default:
        return static_cast<toff_t>(-1);
    }
    s->pos_ = base + off;
    return s->pos_;
  }
  static int Close(thandle_t) { return 0; }
  static toff_t Size(thandle_t h) { return static_cast<TiffSession*>(h)->data_.size(); }
  static int Map(thandle_t, void**, toff_t*) { return 0; }
  static void Unmap(thandle_t, void*, toff_t) {}

  static int OnError(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
    auto* s = static_cast<TiffSession*>(user);
    try {
      std::string text = FormatV(fmt, ap);
      if (module != nullptr && *module != '\0') text = std::string(module) + ": " + text;
      if (s->first_error_.empty()) s->first_error_ = text;
      log::Debug(s->name_ + ": libtiff: " + text);
    } catch (...) {
      if (s->first_error_.empty()) s->first_error_ = "?";
    }
    return 1;  // handled: the global handlers stay silent
  }
  static int OnWarning(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
    auto* s = static_cast<TiffSession*>(user);
    try {
      std::string text = FormatV(fmt, ap);
      if (module != nullptr && *module != '\0') text = std::string(module) + ": " + text;
      if (s->decoding_ && !BenignDecodeWarning(text)) {
        if (s->first_error_.empty()) s->first_error_ = text;
      }
      log::Debug(s->name_ + ": libtiff: " + text);
    } catch (...) {
    }
    return 1;
  }
  // Warnings libtiff gives while decoding that say nothing about damaged pixels.
  static bool BenignDecodeWarning(const std::string& text) {
    return text.find("old-style JPEG compression") != std::string::npos ||
           text.find("extraneous bytes before marker") != std::string::npos;
  }

  std::string_view data_;
  const std::string& name_;
  TIFF* tif_ = nullptr;
  uint64_t pos_ = 0;
  bool read_past_end_ = false;
  bool decoding_ = false;
  std::string first_error_;
};

tmsize_t TiffAllocLimit(const ImageLoadOptions& options) {
  // The largest buffer a legitimate page needs: a whole 16-bit RGBA page in one strip.
  const int64_t limit = std::max<int64_t>(int64_t{256} << 20, options.max_pixels * 8);
  return static_cast<tmsize_t>(limit);
}

Error TiffFailure(const PageRef& ref, const TiffSession& s, const std::string& fallback) {
  const std::string detail = s.first_error().empty() ? fallback : s.first_error();
  return PageError(ref, s.read_past_end() ? Damage::kTruncated : Damage::kCorrupt,
                   "libtiff: " + detail);
}

struct TiffFields {
  uint32_t width = 0, height = 0;
  uint16_t bps = 1, spp = 1, photometric = 0, planar = PLANARCONFIG_CONTIG;
  uint16_t sample_format = SAMPLEFORMAT_UINT, orientation = ORIENTATION_TOPLEFT;
  uint16_t extra_samples = 0;
  bool has_photometric = false;
  double xdpi = 0, ydpi = 0;
};

TiffFields ReadTiffFields(TIFF* tif) {
  TiffFields f;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &f.width);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &f.height);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &f.bps);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &f.spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &f.planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &f.sample_format);
  TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &f.orientation);
  uint16_t* extra_types = nullptr;
  TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &f.extra_samples, &extra_types);
  f.has_photometric = TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &f.photometric) != 0;
  float xres = 0, yres = 0;
  uint16_t unit = RESUNIT_INCH;
  const bool has_x = TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xres) != 0;
  const bool has_y = TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yres) != 0;
  TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
  if (unit == RESUNIT_INCH || unit == RESUNIT_CENTIMETER) {  // RESUNIT_NONE: only an aspect
    const double factor = unit == RESUNIT_CENTIMETER ? 2.54 : 1.0;
    if (has_x) f.xdpi = xres * factor;
    if (has_y) f.ydpi = yres * factor;
  }
  return f;
}

bool IsGreyPhotometric(uint16_t p) {
  return p == PHOTOMETRIC_MINISWHITE || p == PHOTOMETRIC_MINISBLACK;
}

// Strip-by-strip decoding of 1-sample pages (bilevel, grey, palette): the common scanner
// output, kept at 1 or 8 bpp without an RGBA detour.
Result<PixPtr> ReadTiffRows(const DecodeContext& ctx, TiffSession& s, const TiffFields& f,
                            const PagePlan& plan) {
  TIFF* tif = s.tif();
  PageKind kind = PageKind::kGrey;
  PaletteMap palette;
  const bool is_palette = f.photometric == PHOTOMETRIC_PALETTE;
  if (is_palette) {
    uint16_t *r = nullptr, *g = nullptr, *b = nullptr;
    if (TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b) == 0) {
      return TiffFailure(ctx.ref, s, "palettebillede uden farvetabel");
    }
    const size_t n = size_t{1} << f.bps;
    // Some writers put 8-bit values in the 16-bit colour map; libtiff's RGBA reader
    // makes the same guess.
    bool eight_bit = true;
    for (size_t i = 0; i < n; ++i) eight_bit = eight_bit && r[i] < 256 && g[i] < 256 && b[i] < 256;
    std::vector<PaletteEntry> entries;
    for (size_t i = 0; i < n; ++i) {
      auto c = [&](uint16_t v) { return static_cast<uint8_t>(eight_bit ? v : v >> 8); };
      entries.push_back({c(r[i]), c(g[i]), c(b[i]), 255});
    }
    palette = MakePaletteMap(entries, f.bps);
    kind = palette.kind;
  } else if (f.bps == 1) {
    kind = PageKind::kBilevel;
  }
  // Fax and most bilevel TIFFs say MINISWHITE (1 = black), as Leptonica wants.
  bool zero_is_black = f.photometric == PHOTOMETRIC_MINISBLACK;
  bool copy_bits = kind == PageKind::kBilevel && !is_palette;
  if (auto palette_zero_is_black = PackedBitsZeroIsBlack(palette, f.bps);
      is_palette && palette_zero_is_black) {
    copy_bits = true;
    zero_is_black = *palette_zero_is_black;
  }
  PixPtr pix = NewPix(plan, kind);
  if (!pix) return OutOfMemory(ctx.ref, plan.width, plan.height);

  const tmsize_t scanline = TIFFScanlineSize(tif);
  if (scanline <= 0) return TiffFailure(ctx.ref, s, "ugyldig linjelængde");
  std::vector<uint8_t> buf(static_cast<size_t>(scanline));
  std::vector<uint8_t> samples(static_cast<size_t>(plan.width));
  s.BeginDecoding();
  for (int y = 0; y < plan.height; ++y) {
    if (TIFFReadScanline(tif, buf.data(), static_cast<uint32_t>(y), 0) < 0 || s.failed()) {
      return TiffFailure(ctx.ref, s, "linje " + std::to_string(y + 1) + " kan ikke læses");
    }
    if (copy_bits) {
      PutBitsRow(pix.get(), y, buf.data(), zero_is_black);
      continue;
    }
    UnpackSamples(buf.data(), plan.width, f.bps, samples.data());
    if (is_palette) {
      PutIndexRow(pix.get(), y, samples.data(), palette);
      continue;
    }
    if (f.bps == 2 || f.bps == 4) {
      const unsigned max = (1u << f.bps) - 1;
      for (uint8_t& v : samples) v = static_cast<uint8_t>((v * 255u + max / 2) / max);
    }
    PutGreyRow(pix.get(), y, samples.data(), 1, /*invert=*/!zero_is_black);
  }
  return pix;
}

// Everything else (RGB, YCbCr and JPEG-in-TIFF, CMYK, Lab, alpha, tiles, planes) through
// libtiff's RGBA reader, straight into the 32 bpp PIX, then reduced to the page's kind.
Result<PixPtr> ReadTiffRgba(const DecodeContext& ctx, TiffSession& s, const TiffFields& f,
                            const PagePlan& plan) {
  TIFF* tif = s.tif();
  char emsg[1024] = "";
  if (TIFFRGBAImageOK(tif, emsg) == 0) {
    return PageError(ctx.ref, Damage::kUnsupported, std::string("libtiff: ") + emsg);
  }
  TIFFRGBAImage img{};
  if (TIFFRGBAImageBegin(&img, tif, 1, emsg) == 0) {
    return PageError(ctx.ref, Damage::kUnsupported, std::string("libtiff: ") + emsg);
  }
  struct End {
    TIFFRGBAImage* img;
    ~End() { TIFFRGBAImageEnd(img); }
  } end{&img};
  // Rows in stored order; FinishPage applies the orientation for every path alike.
  img.req_orientation = img.orientation;

  PixPtr pix = NewPix(plan, PageKind::kRgb);
  if (!pix) return OutOfMemory(ctx.ref, plan.width, plan.height);
  assert(pixGetWpl(pix.get()) == plan.width);
  uint32_t* raster = reinterpret_cast<uint32_t*>(pixGetData(pix.get()));
  s.BeginDecoding();
  if (TIFFRGBAImageGet(&img, raster, static_cast<uint32_t>(plan.width),
                       static_cast<uint32_t>(plan.height)) == 0 ||
      s.failed()) {
    return TiffFailure(ctx.ref, s, "billedet kan ikke afkodes");
  }
  // libtiff's ABGR words, colour already multiplied by alpha: over white is c + 255 - a.
  const size_t n = static_cast<size_t>(plan.width) * plan.height;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t v = raster[i];
    const unsigned a = TIFFGetA(v);
    auto over = [a](unsigned c) { return std::min(255u, c + 255u - a); };
    raster[i] = RgbWord(over(TIFFGetR(v)), over(TIFFGetG(v)), over(TIFFGetB(v)));
  }
  if (f.has_photometric && IsGreyPhotometric(f.photometric)) {
    PixPtr grey(pixGetRGBComponent(pix.get(), COLOR_RED));
    if (!grey) return OutOfMemory(ctx.ref, plan.width, plan.height);
    if (f.bps == 1 && f.extra_samples == 0) {
      PixPtr bilevel(pixThresholdToBinary(grey.get(), 128));
      if (!bilevel) return OutOfMemory(ctx.ref, plan.width, plan.height);
      return bilevel;
    }
    return grey;
  }
  return pix;
}

Result<PageImage> ReadTiffPage(const DecodeContext& ctx, int index) {
  TiffSession s(ctx.data, *ctx.ref.name);
  if (!s.Open(TiffAllocLimit(*ctx.options))) {
    return TiffFailure(ctx.ref, s, "TIFF-filen kan ikke åbnes");
  }
  if (index > 0 && TIFFSetDirectory(s.tif(), static_cast<tdir_t>(index)) == 0) {
    return TiffFailure(ctx.ref, s, "siden kan ikke findes i filen");
  }
  const TiffFields f = ReadTiffFields(s.tif());
  INTAKE_ASSIGN_OR_RETURN(const PagePlan plan,
                          PlanPage(ctx.ref, f.width, f.height, f.xdpi, f.ydpi, *ctx.options));
  if (f.sample_format != SAMPLEFORMAT_UINT && f.sample_format != SAMPLEFORMAT_VOID) {
    return PageError(ctx.ref, Damage::kUnsupported,
                     "prøveformat " + std::to_string(f.sample_format) + " (kun heltal)");
  }
  const bool one_sample = f.spp == 1 && !TIFFIsTiled(s.tif()) && f.has_photometric;
  const bool grey_rows = IsGreyPhotometric(f.photometric) &&
                         (f.bps == 1 || f.bps == 2 || f.bps == 4 || f.bps == 8 || f.bps == 16);
  const bool palette_rows = f.photometric == PHOTOMETRIC_PALETTE &&
                            (f.bps == 1 || f.bps == 2 || f.bps == 4 || f.bps == 8);
  Result<PixPtr> pix = (one_sample && (grey_rows || palette_rows)) ? ReadTiffRows(ctx, s, f, plan)
                                                                   : ReadTiffRgba(ctx, s, f, plan);
  if (!pix) return pix.error();
  if (s.failed()) return TiffFailure(ctx.ref, s, "");
  return FinishPage(ctx.ref, std::move(*pix), plan, f.orientation);
}

struct TiffStructure {
  int directories = 0;
  bool chain_broken = false;
  std::string detail;
};

Result<TiffStructure> ReadTiffStructure(std::string_view data, const std::string& name,
                                        const ImageLoadOptions& options) {
  TiffSession s(data, name);
  const PageRef ref{&name, 1, 1};
  if (!s.Open(TiffAllocLimit(options))) {
    return TiffFailure(ref, s, "TIFF-filen kan ikke åbnes");
  }
  s.ClearErrors();
  TiffStructure t;
  t.directories = static_cast<int>(TIFFNumberOfDirectories(s.tif()));
  if (s.failed()) {
    t.chain_broken = true;
    t.detail = s.first_error();
  }
  if (t.directories < 1) return TiffFailure(ref, s, "TIFF-filen har ingen sider");
  return t;
}

// ---------------------------------------------------------------------------------------
// Files

Result<std::string> ReadWholeFile(const std::string& path, const std::string& name,
                                  int64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) {
      return Error(ErrorCode::kNotFound, "billedfilen " + name + " findes ikke");
    }
    return FromErrno("billedfilen " + name + " kan ikke åbnes", e);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return FromErrno("billedfilen " + name + " kan ikke læses", errno);
  if (S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument,
                 name + " er en mappe, ikke en billedfil; vælg en PNG-, TIFF- eller JPEG-fil");
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument,
                 name + " er ikke en almindelig fil; vælg en PNG-, TIFF- eller JPEG-fil");
  }
  auto too_large = [&](int64_t size) {
    return Error(ErrorCode::kInvalidArgument,
                 name + " kan ikke indlæses: filen er for stor (" + Megabytes(size) +
                     " MB; grænsen er " + Megabytes(max_bytes) +
                     " MB); del dokumentet op i flere filer eller scan med kompression");
  };
  if (st.st_size > max_bytes) return too_large(st.st_size);
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FromErrno("billedfilen " + name + " kan ikke læses", errno);
    if (n == 0) break;  // shrank while being read; the decoders judge what is left
    got += static_cast<size_t>(n);
  }
  bytes.resize(got);
  // It may also have grown (a scanner still writing): read to its end, within the limit.
  for (;;) {
    char more[65536];
    const ssize_t n = ::read(fd, more, sizeof more);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FromErrno("billedfilen " + name + " kan ikke læses", errno);
    if (n == 0) break;
    if (static_cast<int64_t>(bytes.size()) + n > max_bytes) return too_large(bytes.size() + n);
    bytes.append(more, static_cast<size_t>(n));
  }
  return bytes;
}

}  // namespace

std::string_view ImageFileReader::format_name() const {
  switch (format_) {
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kTiff:
      return "TIFF";
    case ImageFormat::kJpeg:
      return "JPEG";
  }
  return "?";
}

Result<ImageFileReader> ImageFileReader::Open(const std::string& path,
                                              const ImageLoadOptions& options) {
  RouteLibraryMessagesOnce();
  const std::string name = BaseName(path);
  INTAKE_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path, name, options.max_file_bytes));
  return FromMemory(std::move(bytes), name, options);
}

Result<ImageFileReader> ImageFileReader::FromMemory(std::string bytes, std::string display_name,
                                                    const ImageLoadOptions& options) {
  RouteLibraryMessagesOnce();
  // Masked here so that the name is safe in PageImage::source as well as in messages.
  const std::string name = MaskCpr(BaseName(display_name));
  if (options.assumed_dpi < kMinSaneDpi || options.assumed_dpi > kMaxSaneDpi ||
      options.max_dimension < 1 || options.max_pixels < 1 || options.max_file_bytes < 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "ugyldige indlæsningsindstillinger for " + name + ": den antagne opløsning " +
                     std::to_string(options.assumed_dpi) +
                     " dpi skal ligge mellem 50 og 2400, og grænserne skal være positive");
  }
  if (static_cast<int64_t>(bytes.size()) > options.max_file_bytes) {
    return Error(ErrorCode::kInvalidArgument, name + " kan ikke indlæses: filen er for stor (" +
                                                  Megabytes(bytes.size()) + " MB; grænsen er " +
                                                  Megabytes(options.max_file_bytes) + " MB)");
  }
  if (bytes.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 name + " er tom (0 byte); " + std::string(kFixAdvice));
  }
  const Detected detected = DetectFormat(bytes);
  if (!detected.format) {
    if (detected.truncated_signature) {
      return PageError(PageRef{&name, 1, 1}, Damage::kTruncated, "");
    }
    const std::string what =
        detected.other.empty() ? "ikke et billede i et understøttet format"
                               : "en " + detected.other + "-fil, ikke et understøttet billedformat";
    return Error(ErrorCode::kInvalidArgument,
                 name + " er " + what +
                     "; accepterede formater er PNG, TIFF og JPEG (formatet afgøres af "
                     "indholdet, ikke af filnavnet); gem eller scan siden i et af dem");
  }
  ImageFileReader reader;
  reader.name_ = name;
  reader.format_ = *detected.format;
  reader.options_ = options;
  reader.page_count_ = 1;
  if (reader.format_ == ImageFormat::kTiff) {
    INTAKE_ASSIGN_OR_RETURN(const TiffStructure t, ReadTiffStructure(bytes, name, options));
    reader.page_count_ = t.directories;
    if (t.chain_broken) {
      reader.broken_chain_page_ = t.directories;
      reader.page_count_ = t.directories + 1;
      reader.broken_chain_detail_ = t.detail;
      log::Debug(name + ": TIFF-filens sidefortegnelse er beskadiget efter side " +
                 std::to_string(t.directories) + ": " + t.detail);
    }
  }
  reader.bytes_ = std::move(bytes);
  return reader;
}

Result<PageImage> ImageFileReader::ReadPage(int index) const {
  assert(index >= 0 && index < page_count_);
  DecodeContext ctx;
  ctx.data = bytes_;
  ctx.ref = PageRef{&name_, index + 1, page_count_};
  ctx.options = &options_;
  if (index == broken_chain_page_) {
    return Error(ErrorCode::kInvalidArgument,
                 ctx.ref.Label() +
                     " kan ikke læses: TIFF-filens fortegnelse over siderne er beskadiget efter "
                     "side " +
                     std::to_string(index) +
                     ", så siderne herfra (hvis der er flere) kan ikke findes; " +
                     std::string(kFixAdvice) + " (teknisk: libtiff: " + broken_chain_detail_ + ")");
  }
  try {
    switch (format_) {
      case ImageFormat::kPng:
        return ReadPng(ctx);
      case ImageFormat::kJpeg:
        return ReadJpeg(ctx);
      case ImageFormat::kTiff:
        return ReadTiffPage(ctx, index);
    }
  } catch (const std::bad_alloc&) {
    return OutOfMemory(ctx.ref);
  }
  return Error(ErrorCode::kInternal, "ukendt billedformat");
}

}  // namespace intake::ocr
