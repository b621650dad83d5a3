#include "ocr/barcode.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>
#include <ZXing/Result.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// ZX_USE_UTF8 (set for this library in ocr/CMakeLists.txt) makes ZXing::Result::text()
// return UTF-8 in a std::string instead of a std::wstring.
#ifndef ZX_USE_UTF8
#error "ocr/barcode.cc needs ZX_USE_UTF8"
#endif

namespace intake::ocr {
namespace {

using ZXing::BarcodeFormat;
using ZXing::BarcodeFormats;

// Smaller images cannot hold a readable symbol (the smallest has 10 modules a side).
constexpr int kMinSide = 8;
// Grey values below this are dark when the working copy is looked at as black and white.
constexpr int kDarkBelow = 128;
// At most this many linear codes are read from one working copy (a safety bound on the
// read-and-blank loop; real pages carry a handful).
constexpr int kMaxLinearPerLayer = 32;
// At most this many DataMatrix/Aztec candidate windows are decoded per page (on text pages
// some 20 blobs of words pass the shape tests; each costs a fraction of a millisecond).
constexpr int kMaxWindows = 24;
// Larger candidate windows are read reduced to this many pixels a side.
constexpr int kMaxWindowPixels = 1024;

constexpr double kMmPerInch = 25.4;
// Resolution of the mask in which DataMatrix/Aztec candidates are looked for.
constexpr double kMaskDpi = 100;

Error Internal(std::string what) { return Error(ErrorCode::kInternal, std::move(what)); }

Error LeptonicaFailed(const char* step) {
  return Internal(std::string("stregkodesøgning: Leptonica kunne ikke ") + step +
                  " (for lidt hukommelse?)");
}

// Symbologies zxing-cpp 1.4.0 detects only where the symbol covers the image centre.
BarcodeFormats CentreBound() { return BarcodeFormat::DataMatrix | BarcodeFormat::Aztec; }

BarcodeFormats Linear() { return BarcodeFormat::LinearCodes; }

BarcodeFormats DefaultFormats() {
  BarcodeFormats formats = BarcodeFormat::Any;
  formats.setFlag(BarcodeFormat::MicroQRCode, false).setFlag(BarcodeFormat::MaxiCode, false);
  return formats;
}

BarcodeFormats Without(BarcodeFormats a, BarcodeFormats b) {
  for (BarcodeFormat f : b) a.setFlag(f, false);
  return a;
}

Result<BarcodeFormats> ParseFormats(const std::vector<std::string>& names) {
  if (names.empty()) return DefaultFormats();
  BarcodeFormats formats;
  for (const std::string& name : names) {
    BarcodeFormat f = ZXing::BarcodeFormatFromString(name);
    if (f == BarcodeFormat::None) {
      std::string known;
      for (const std::string& k : DefaultBarcodeFormats()) known += (known.empty() ? "" : ", ") + k;
      return Error(ErrorCode::kInvalidArgument, "ukendt stregkodeformat '" + name +
                                                    "'; brug et af: " + known +
                                                    ", MicroQRCode, MaxiCode");
    }
    formats |= f;
  }
  return formats;
}

ZXing::DecodeHints Hints(BarcodeFormats formats, bool try_rotate, int max_symbols) {
  ZXing::DecodeHints hints;
  // tryHarder: without it zxing-cpp 1.4.0 scans only the middle of the image and finds
  // nothing near a page's edges. tryDownscale stays off: its duplicate check between
  // scales triggers the assert described in barcode.h; the scales are chosen here instead.
  hints.setFormats(formats)
      .setTryHarder(true)
      .setTryRotate(try_rotate)
      .setTryDownscale(false)
      .setBinarizer(ZXing::Binarizer::LocalAverage)
      .setMaxNumberOfSymbols(static_cast<uint8_t>(max_symbols));
  return hints;
}

// Reads grey values (0 = black, 255 = white) from rows of a 1, 8 or 32 bpp image without
// colormap (1 bpp: 1 = black).
class GreySampler {
 public:
  explicit GreySampler(PIX* pix)
      : data_(pixGetData(pix)), wpl_(pixGetWpl(pix)), depth_(pixGetDepth(pix)) {}
  const l_uint32* Row(int y) const { return data_ + static_cast<size_t>(y) * wpl_; }
  int depth() const { return depth_; }
  static uint8_t Bit(const l_uint32* row, int x) { return GET_DATA_BIT(row, x) ? 0 : 255; }
  static uint8_t Byte(const l_uint32* row, int x) {
    return static_cast<uint8_t>(GET_DATA_BYTE(row, x));
  }
  static uint8_t Rgb(const l_uint32* row, int x) {
    const l_uint32 p = row[x];
    return ZXing::RGBToLum((p >> L_RED_SHIFT) & 0xff, (p >> L_GREEN_SHIFT) & 0xff,
                           (p >> L_BLUE_SHIFT) & 0xff);
  }
  uint8_t At(int x, int y) const {
    const l_uint32* row = Row(y);
    return depth_ == 1 ? Bit(row, x) : depth_ == 8 ? Byte(row, x) : Rgb(row, x);
  }

 private:
  const l_uint32* data_;
  int wpl_;
  int depth_;
};

// Weights of an area-averaging reduction of `in` samples to `out` samples (out < in):
// output i is the mean of the input over [i * in / out, (i + 1) * in / out), input j
// weighing by its overlap. Each output reads `taps` inputs from first[i]; weights are fixed
// point and sum to 1 << kBits.
struct AreaWeights {
  static constexpr int kBits = 12;
  int taps = 0;
  std::vector<int> first;
  std::vector<uint32_t> weight;  // out * taps

  AreaWeights(int in, int out) {
    const double ratio = static_cast<double>(in) / out;
    taps = std::min(static_cast<int>(std::ceil(ratio)) + 1, in);
    first.resize(out);
    weight.assign(static_cast<size_t>(out) * taps, 0);
    for (int i = 0; i < out; ++i) {
      const double lo = i * ratio, hi = std::min((i + 1) * ratio, static_cast<double>(in));
      first[i] = std::min(static_cast<int>(lo), in - taps);
      uint32_t* w = &weight[static_cast<size_t>(i) * taps];
      uint32_t sum = 0;
      int biggest = 0;
      for (int t = 0; t < taps && first[i] + t < in; ++t) {
        const double a = std::max(lo, static_cast<double>(first[i] + t));
        const double b = std::min(hi, static_cast<double>(first[i] + t + 1));
        if (b <= a) continue;
        w[t] = static_cast<uint32_t>(std::lround((b - a) / (hi - lo) * (1 << kBits)));
        sum += w[t];
        if (w[t] > w[biggest]) biggest = t;
      }
      w[biggest] += (1u << kBits) - sum;  // rounding remainder: the sum is exact
    }
  }
};

// The grey bytes (0 = black) of 1-bpp pixels, eight at a time: kBitsToGrey[b] holds the
// eight pixels of byte b, most significant bit first as Leptonica stores them.
constexpr auto kBitsToGrey = [] {
  std::array<std::array<uint8_t, 8>, 256> table{};
  for (int b = 0; b < 256; ++b) {
    for (int i = 0; i < 8; ++i) table[b][i] = (b >> (7 - i)) & 1 ? 0 : 255;
  }
  return table;
}();

// Writes the page (1, 8 or 32 bpp without colormap) as dense grey bytes, row after row,
// to `out` (width x height bytes). Leptonica keeps 8-bpp pixels in 32-bit words, most
// significant byte first, so on little-endian machines each word is byte-swapped.
void GreyRows(PIX* page, uint8_t* out) {
  const GreySampler in(page);
  const int w = pixGetWidth(page), h = pixGetHeight(page);
  for (int y = 0; y < h; ++y, out += w) {
    const l_uint32* row = in.Row(y);
    int x = 0;
    if (in.depth() == 8) {
      for (; x + 4 <= w; x += 4) {
        const uint32_t v =
            std::endian::native == std::endian::little ? __builtin_bswap32(row[x / 4]) : row[x / 4];
        std::memcpy(out + x, &v, 4);
      }
      for (; x < w; ++x) out[x] = GreySampler::Byte(row, x);
    } else if (in.depth() == 1) {
      for (; x + 32 <= w; x += 32) {
        const uint32_t v = row[x / 32];
        for (int k = 0; k < 4; ++k) {
          std::memcpy(out + x + 8 * k, kBitsToGrey[(v >> (24 - 8 * k)) & 0xff].data(), 8);
        }
      }
      for (; x < w; ++x) out[x] = GreySampler::Bit(row, x);
    } else {
      for (; x < w; ++x) out[x] = GreySampler::Rgb(row, x);
    }
  }
}

// A grey copy of the page, whole or reduced, in the byte order zxing reads, with the
// factors that map page coordinates to its own. Working on a copy leaves the caller's
// image untouched and lets linear codes be blanked out once read.
class LumLayer {
 public:
  // The page at its own size.
  static LumLayer Native(PIX* page) {
    LumLayer layer(pixGetWidth(page), pixGetHeight(page), pixGetWidth(page), pixGetHeight(page));
    GreyRows(page, layer.bytes_.get());
    return layer;
  }

  // The page reduced to out_w x out_h (each smaller than the page's) by area averaging:
  // columns first (whole rows at a time, which vectorises), then rows. On a 300-dpi A4
  // page going to 200 dpi this takes about half the time of Leptonica's pixScaleAreaMap,
  // which is slow for factors that are not powers of two.
  static LumLayer Reduced(const LumLayer& full, int out_w, int out_h) {
    const int w = full.width(), h = full.height();
    LumLayer layer(out_w, out_h, static_cast<int>(std::lround(w / full.scale_x())),
                   static_cast<int>(std::lround(h / full.scale_y())));
    const AreaWeights down(h, out_h), across(w, out_w);
    // The page reduced in height only, grey << 8; written in full before it is read.
    auto tall = std::make_unique_for_overwrite<uint16_t[]>(static_cast<size_t>(out_h) * w);
    std::vector<uint32_t> sum(w);
    for (int j = 0; j < out_h; ++j) {
      std::fill(sum.begin(), sum.end(), 0u);
      for (int t = 0; t < down.taps; ++t) {
        const uint32_t wt = down.weight[static_cast<size_t>(j) * down.taps + t];
        if (wt == 0) continue;
        const uint8_t* src = full.Row(down.first[j] + t);
        for (int x = 0; x < w; ++x) sum[x] += wt * src[x];
      }
      uint16_t* out = &tall[static_cast<size_t>(j) * w];
      constexpr int kShift = AreaWeights::kBits - 8;
      for (int x = 0; x < w; ++x) {
        out[x] = static_cast<uint16_t>((sum[x] + (1u << (kShift - 1))) >> kShift);
      }
    }
    switch (across.taps) {  // a fixed tap count lets the compiler unroll the inner loop
      case 2:
        layer.ReduceRows<2>(tall.get(), w, across);
        break;
      case 3:
        layer.ReduceRows<3>(tall.get(), w, across);
        break;
      case 4:
        layer.ReduceRows<4>(tall.get(), w, across);
        break;
      case 5:
        layer.ReduceRows<5>(tall.get(), w, across);
        break;
      default:
        layer.ReduceRows<0>(tall.get(), w, across);
        break;
    }
    return layer;
  }

  int width() const { return width_; }
  int height() const { return height_; }
  double scale_x() const { return scale_x_; }
  double scale_y() const { return scale_y_; }

  ZXing::ImageView View() const {
    return {bytes_.get(), width_, height_, ZXing::ImageFormat::Lum, width_};
  }
  const uint8_t* Row(int y) const { return bytes_.get() + static_cast<size_t>(y) * width_; }
  uint8_t At(int x, int y) const { return Row(y)[x]; }
  bool Dark(int x, int y) const { return At(x, y) < kDarkBelow; }
  // Paints the rectangle [x0, x1] x [y0, y1] (inclusive, clipped) white.
  void Blank(int x0, int y0, int x1, int y1) {
    x0 = std::max(x0, 0), y0 = std::max(y0, 0);
    x1 = std::min(x1, width_ - 1), y1 = std::min(y1, height_ - 1);
    for (int y = y0; y <= y1; ++y) std::fill(RowPtr(y) + x0, RowPtr(y) + x1 + 1, uint8_t{255});
  }

 private:
  // The bytes are left uninitialised: both factories write every one before it is read.
  LumLayer(int width, int height, int page_width, int page_height)
      : bytes_(std::make_unique_for_overwrite<uint8_t[]>(static_cast<size_t>(width) * height)),
        width_(width),
        height_(height),
        scale_x_(static_cast<double>(width) / page_width),
        scale_y_(static_cast<double>(height) / page_height) {}
  uint8_t* RowPtr(int y) { return bytes_.get() + static_cast<size_t>(y) * width_; }

  // Fills this layer from `tall` (rows `w` wide, grey << 8) by reducing each row with
  // `across`; kTaps is across.taps, or 0 for "not fixed".
  template <int kTaps>
  void ReduceRows(const uint16_t* tall, int w, const AreaWeights& across) {
    const int taps = kTaps ? kTaps : across.taps;
    constexpr int kShift = AreaWeights::kBits + 8;  // the weights sum to 1: no overflow
    for (int j = 0; j < height_; ++j) {
      const uint16_t* src = tall + static_cast<size_t>(j) * w;
      uint8_t* out = RowPtr(j);
      for (int i = 0; i < width_; ++i) {
        const uint16_t* in = src + across.first[i];
        const uint32_t* wt = &across.weight[static_cast<size_t>(i) * taps];
        uint32_t acc = 1u << (kShift - 1);
        for (int t = 0; t < taps; ++t) acc += wt[t] * in[t];
        out[i] = static_cast<uint8_t>(acc >> kShift);
      }
    }
  }

  std::unique_ptr<uint8_t[]> bytes_;
  int width_;
  int height_;
  double scale_x_;
  double scale_y_;
};

// A 1-bpp mask of `layer` reduced by `factor`: a pixel is set where the mean of its
// factor x factor block is dark. Input to the DataMatrix/Aztec blob search.
Result<PixPtr> DarkMask(const LumLayer& layer, int factor) {
  const int w = layer.width() / factor, h = layer.height() / factor;
  PixPtr mask(pixCreate(std::max(w, 1), std::max(h, 1), 1));
  if (!mask) return LeptonicaFailed("lave en sort-hvid maske");
  const int wpl = pixGetWpl(mask.get());
  l_uint32* data = pixGetData(mask.get());
  const int dark_below = kDarkBelow * factor * factor;
  std::vector<int> sum(w);
  for (int y = 0; y < h; ++y) {
    std::fill(sum.begin(), sum.end(), 0);
    for (int dy = 0; dy < factor; ++dy) {
      const uint8_t* in = layer.Row(y * factor + dy);
      if (factor == 2) {  // the usual case (a 200-dpi layer): worth a loop the compiler unrolls
        for (int x = 0; x < w; ++x) sum[x] += in[2 * x] + in[2 * x + 1];
      } else {
        for (int x = 0; x < w; ++x) {
          for (int dx = 0; dx < factor; ++dx) sum[x] += in[x * factor + dx];
        }
      }
    }
    l_uint32* row = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      if (sum[x] < dark_below) SET_DATA_BIT(row, x);
    }
  }
  return mask;
}

// A symbol found, with corners in page coordinates (before rounding).
struct Hit {
  std::string format;
  std::string text;
  std::array<double, 8> xy{};  // x0, y0, ..., x3, y3: top-left, top-right, ...
};

PixelBox BoundsOf(const std::array<PixelPoint, 4>& corners, int page_width, int page_height) {
  int x0 = corners[0].x, y0 = corners[0].y, x1 = x0, y1 = y0;
  for (const PixelPoint& p : corners) {
    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  }
  x0 = std::clamp(x0, 0, page_width), x1 = std::clamp(x1, 0, page_width);
  y0 = std::clamp(y0, 0, page_height), y1 = std::clamp(y1, 0, page_height);
  return PixelBox{x0, y0, x1 - x0, y1 - y0};
}

Barcode ToBarcode(const Hit& hit, int page_width, int page_height) {
  Barcode b;
  b.format = hit.format;
  b.text = hit.text;
  for (int i = 0; i < 4; ++i) {
    b.corners[i] = PixelPoint{static_cast<int>(std::lround(hit.xy[2 * i])),
                              static_cast<int>(std::lround(hit.xy[2 * i + 1]))};
  }
  b.bounds = BoundsOf(b.corners, page_width, page_height);
  return b;
}

bool Overlap(const PixelBox& a, const PixelBox& b, int slack) {
  return a.x - slack < b.x + b.width && b.x - slack < a.x + a.width &&
         a.y - slack < b.y + b.height && b.y - slack < a.y + a.height;
}

// The symbols found so far on one page; a symbol found again (same format and payload at
// an overlapping place, e.g. at another scale) is kept once, as first found.
class Hits {
 public:
  Hits(int page_width, int page_height) : width_(page_width), height_(page_height) {}

  // Returns false if `hit` repeats a symbol already held.
  bool Add(const Hit& hit) {
    Barcode b = ToBarcode(hit, width_, height_);
    for (const Barcode& have : found_) {
      if (have.format == b.format && have.text == b.text && Overlap(have.bounds, b.bounds, 2)) {
        return false;
      }
    }
    found_.push_back(std::move(b));
    return true;
  }

  const std::vector<Barcode>& found() const { return found_; }
  int width() const { return width_; }
  int height() const { return height_; }

  std::vector<Barcode> Sorted() && {
    std::stable_sort(found_.begin(), found_.end(), [](const Barcode& a, const Barcode& b) {
      return std::pair(a.bounds.y, a.bounds.x) < std::pair(b.bounds.y, b.bounds.x);
    });
    return std::move(found_);
  }

 private:
  int width_;
  int height_;
  std::vector<Barcode> found_;
};

Hit HitFrom(const ZXing::Result& r, double scale_x, double scale_y, double offset_x,
            double offset_y) {
  Hit hit;
  hit.format = ZXing::ToString(r.format());
  hit.text = r.text();
  const ZXing::Position& pos = r.position();
  for (int i = 0; i < 4; ++i) {
    hit.xy[2 * i] = (pos[i].x + offset_x) / scale_x;
    hit.xy[2 * i + 1] = (pos[i].y + offset_y) / scale_y;
  }
  return hit;
}

// QR Code, PDF417 (and MicroQR, MaxiCode if asked for) over the whole layer. zxing's own
// duplicate check is safe for matrix codes (it compares positions, not line counts).
void SearchMatrix(const LumLayer& layer, BarcodeFormats formats, bool try_rotate, Hits& hits) {
  if (formats.empty()) return;
  for (const ZXing::Result& r :
       ZXing::ReadBarcodes(layer.View(), Hints(formats, try_rotate, 255))) {
    if (r.isValid()) hits.Add(HitFrom(r, layer.scale_x(), layer.scale_y(), 0, 0));
  }
}

// Number of dark/light changes along row (or column) `line` from `lo` to `hi` inclusive.
int Transitions(const LumLayer& layer, bool row, int line, int lo, int hi) {
  int changes = 0;
  bool previous = row ? layer.Dark(lo, line) : layer.Dark(line, lo);
  for (int i = lo + 1; i <= hi; ++i) {
    bool dark = row ? layer.Dark(i, line) : layer.Dark(line, i);
    changes += dark != previous;
    previous = dark;
  }
  return changes;
}

// Widens a linear code's position (layer coordinates, corners 0 and 1 on the first scan
// line that read it, 2 and 3 on the last) across its bars to every neighbouring line that
// still crosses about as many bars, i.e. to the bars' full height. zxing's position
// covers only the lines it scanned and is sometimes one line high.
// Returns {lo, hi} along the scan lines and {first, last} line, all inclusive.
struct Extent {
  bool rows = true;
  int lo = 0, hi = 0, first = 0, last = 0;
};
Extent MeasureLinear(const LumLayer& layer, const ZXing::Position& pos) {
  Extent e;
  e.rows = std::abs(pos[1].x - pos[0].x) >= std::abs(pos[1].y - pos[0].y);
  const int along_max = (e.rows ? layer.width() : layer.height()) - 1;
  const int across_max = (e.rows ? layer.height() : layer.width()) - 1;
  e.lo = along_max, e.hi = 0, e.first = across_max, e.last = 0;
  for (const auto& p : pos) {
    int along = e.rows ? p.x : p.y, across = e.rows ? p.y : p.x;
    e.lo = std::min(e.lo, along), e.hi = std::max(e.hi, along);
    e.first = std::min(e.first, across), e.last = std::max(e.last, across);
  }
  e.lo = std::clamp(e.lo, 0, along_max), e.hi = std::clamp(e.hi, 0, along_max);
  e.first = std::clamp(e.first, 0, across_max), e.last = std::clamp(e.last, 0, across_max);
  if (e.hi <= e.lo) return e;
  const int reference = Transitions(layer, e.rows, (e.first + e.last) / 2, e.lo, e.hi);
  const int needed = std::max(6, reference / 2);
  const int reach = std::max(20, 2 * (e.hi - e.lo));
  const int first = e.first, last = e.last;
  while (e.first > 0 && first - e.first < reach &&
         Transitions(layer, e.rows, e.first - 1, e.lo, e.hi) >= needed) {
    --e.first;
  }
  while (e.last < across_max && e.last - last < reach &&
         Transitions(layer, e.rows, e.last + 1, e.lo, e.hi) >= needed) {
    ++e.last;
  }
  return e;
}

// Linear codes, read one at a time: each read asks for a single symbol, and the symbol is
// blanked out of the layer before the next read. With one symbol per read zxing never
// compares two linear results, which is where Debian's 1.4.0 build aborts (see barcode.h).
void SearchLinear(LumLayer& layer, BarcodeFormats formats, bool try_rotate, Hits& hits) {
  if (formats.empty()) return;
  const ZXing::DecodeHints hints = Hints(formats, try_rotate, 1);
  Hits here(hits.width(), hits.height());  // read from this layer
  for (int n = 0; n < kMaxLinearPerLayer; ++n) {
    ZXing::Results rs = ZXing::ReadBarcodes(layer.View(), hints);
    if (rs.empty() || !rs.front().isValid()) return;
    const ZXing::Result& r = rs.front();
    const ZXing::Position& pos = r.position();
    Extent e = MeasureLinear(layer, pos);
    // Blank a little beyond the ends too, so that a slightly skewed code leaves no
    // readable remainder.
    const int margin = std::max(2, (e.hi - e.lo) / 16);
    if (e.rows) {
      layer.Blank(e.lo - margin, e.first, e.hi + margin, e.last);
    } else {
      layer.Blank(e.first, e.lo - margin, e.last, e.hi + margin);
    }
    // Report the bars' full height: corners 0 and 1 go to the side of the extent where
    // zxing put them, corners 2 and 3 to the other side (edge coordinates: last + 1).
    ZXing::Position widened = pos;
    const int across01 = e.rows ? pos[0].y : pos[0].x;
    const int across32 = e.rows ? pos[3].y : pos[3].x;
    const int side01 = across01 <= across32 ? e.first : e.last + 1;
    const int side23 = across01 <= across32 ? e.last + 1 : e.first;
    for (int i = 0; i < 4; ++i) (e.rows ? widened[i].y : widened[i].x) = i < 2 ? side01 : side23;
    Hit hit = HitFrom(r, layer.scale_x(), layer.scale_y(), 0, 0);
    for (int i = 0; i < 4; ++i) {
      hit.xy[2 * i] = widened[i].x / layer.scale_x();
      hit.xy[2 * i + 1] = widened[i].y / layer.scale_y();
    }
    // A symbol read twice from one layer means blanking failed; stop rather than loop.
    if (!here.Add(hit)) return;
    hits.Add(hit);
  }
}

// A square part of the page, `side` page pixels wide and centred on (cx, cy), padded with
// white where it leaves the page so that the symbol stays at the window's centre. Each
// window pixel is the mean of step x step page pixels.
struct Window {
  std::vector<uint8_t> lum;
  int x0 = 0, y0 = 0, pixels = 0, step = 1;  // page position of the top-left; size; step
};
Window CutWindow(const GreySampler& page, int page_width, int page_height, int cx, int cy, int side,
                 int step) {
  Window w;
  w.step = step;
  w.pixels = side / step;
  w.x0 = cx - w.pixels * step / 2;
  w.y0 = cy - w.pixels * step / 2;
  w.lum.resize(static_cast<size_t>(w.pixels) * w.pixels);
  for (int wy = 0; wy < w.pixels; ++wy) {
    for (int wx = 0; wx < w.pixels; ++wx) {
      int sum = 0;
      for (int dy = 0; dy < step; ++dy) {
        const int y = w.y0 + wy * step + dy;
        for (int dx = 0; dx < step; ++dx) {
          const int x = w.x0 + wx * step + dx;
          const bool inside = x >= 0 && x < page_width && y >= 0 && y < page_height;
          sum += inside ? page.At(x, y) : 255;
        }
      }
      w.lum[static_cast<size_t>(wy) * w.pixels + wx] = static_cast<uint8_t>(sum / (step * step));
    }
  }
  return w;
}

// True if two adjacent sides of the box (x, y, w, h) in the 1-bpp `mask` are solidly dark,
// as DataMatrix's L-shaped finder makes them in an upright or quarter-turned symbol. Each
// side is judged by the darker of its two outermost lines.
bool HasFinderL(PIX* mask, int x, int y, int w, int h) {
  auto dark_fraction = [&](bool row, int line, int from, int length) {
    const l_uint32* data = pixGetData(mask);
    const int wpl = pixGetWpl(mask);
    int n = 0;
    for (int i = from; i < from + length; ++i) {
      const int px = row ? i : line, py = row ? line : i;
      n += GET_DATA_BIT(data + static_cast<size_t>(py) * wpl, px);
    }
    return static_cast<double>(n) / length;
  };
  auto side = [&](bool row, int outer, int inner, int from, int length) {
    return std::max(dark_fraction(row, outer, from, length),
                    dark_fraction(row, inner, from, length)) >= 0.85;
  };
  const bool top = side(true, y, y + 1, x, w), bottom = side(true, y + h - 1, y + h - 2, x, w);
  const bool left = side(false, x, x + 1, y, h), right = side(false, x + w - 1, x + w - 2, y, h);
  return (top || bottom) && (left || right);
}

// DataMatrix and Aztec: zxing-cpp 1.4.0 finds them only at the centre of the image it is
// given (zxing-cpp issue #189). Candidates are dense, square-ish blobs of `dark` (a 1-bpp
// mask of the page at `mask_dpi`); each is decoded in a window of the full-resolution page
// centred on it. Blobs where a symbol was already found are skipped.
Status SearchCentreBound(PIX* dark, double mask_dpi, const GreySampler& page, int page_width,
                         int page_height, BarcodeFormats formats, Hits& hits) {
  if (formats.empty()) return OkStatus();
  // Closing with ~0.6 mm joins a symbol's modules into one blob; words stay words.
  const int close = std::max(3, static_cast<int>(std::lround(0.6 * mask_dpi / kMmPerInch)) | 1);
  PixPtr closed(pixCloseSafeBrick(nullptr, dark, close, close));
  if (!closed) return LeptonicaFailed("lukke billedet morfologisk");
  BoxaPtr blobs(pixConnCompBB(closed.get(), 8));
  if (!blobs) return LeptonicaFailed("finde sammenhængende områder");

  const double to_page_x = static_cast<double>(page_width) / pixGetWidth(dark);
  const double to_page_y = static_cast<double>(page_height) / pixGetHeight(dark);
  struct Candidate {
    PixelBox blob;  // page coordinates
    bool l_shaped;
    int area;
  };
  std::vector<Candidate> candidates;
  const double px_per_mm = mask_dpi / kMmPerInch;
  const double min_side = 2.5 * px_per_mm, max_side = 120.0 * px_per_mm;
  for (int i = 0; i < boxaGetCount(blobs.get()); ++i) {
    l_int32 x, y, w, h;
    if (boxaGetBoxGeometry(blobs.get(), i, &x, &y, &w, &h) != 0) continue;
    const int shorter = std::min(w, h), longer = std::max(w, h);
    // Square DataMatrix and Aztec symbols make square blobs at any angle; rectangular
    // DataMatrix symbols are up to 4.5 times as long as high (8 x 32 ... 16 x 48 modules).
    if (shorter < min_side || longer > max_side || longer > 4.5 * shorter) continue;
    BoxPtr box(boxCreate(x, y, w, h));
    l_int32 count = 0;
    if (!box || pixCountPixelsInRect(dark, box.get(), &count, nullptr) != 0) continue;
    // Symbols are about half dark; text and line art much less, photos and logos more.
    const double density = static_cast<double>(count) / (static_cast<double>(w) * h);
    if (density < 0.3 || density > 0.85) continue;
    const bool l_shaped = HasFinderL(dark, x, y, w, h);
    // Elongated blobs are mostly words; keep only those with DataMatrix's L.
    if (longer > 1.6 * shorter && !l_shaped) continue;
    PixelBox blob{static_cast<int>(x * to_page_x), static_cast<int>(y * to_page_y),
                  static_cast<int>(std::ceil(w * to_page_x)),
                  static_cast<int>(std::ceil(h * to_page_y))};
    bool known = false;  // where a symbol was found already (a QR code, say)
    for (const Barcode& b : hits.found()) known = known || Overlap(b.bounds, blob, 0);
    if (!known) candidates.push_back({blob, l_shaped, w * h});
  }
  // L-shaped blobs first, then the larger ones.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return std::pair(a.l_shaped, a.area) > std::pair(b.l_shaped, b.area);
                   });
  if (candidates.size() > kMaxWindows) candidates.resize(kMaxWindows);

  const ZXing::DecodeHints hints = Hints(formats, false, 255);
  for (const Candidate& c : candidates) {
    const PixelBox& blob = c.blob;
    // The window holds the blob (turned any way) plus a quiet zone of at least 2 mm. A
    // large blob (a photo, or a big symbol) is read from a window reduced to at most
    // kMaxWindowPixels a side, which still leaves big symbols several pixels per module.
    const double quiet = 2.0 * px_per_mm * to_page_x;
    const int side = static_cast<int>(1.5 * std::max(blob.width, blob.height) + 2 * quiet);
    const int step = (side + kMaxWindowPixels - 1) / kMaxWindowPixels;
    Window w = CutWindow(page, page_width, page_height, blob.x + blob.width / 2,
                         blob.y + blob.height / 2, side, step);
    ZXing::ImageView view(w.lum.data(), w.pixels, w.pixels, ZXing::ImageFormat::Lum);
    for (const ZXing::Result& r : ZXing::ReadBarcodes(view, hints)) {
      if (!r.isValid()) continue;
      Hit hit = HitFrom(r, 1.0, 1.0, 0, 0);
      for (int i = 0; i < 4; ++i) {
        hit.xy[2 * i] = w.x0 + hit.xy[2 * i] * w.step;
        hit.xy[2 * i + 1] = w.y0 + hit.xy[2 * i + 1] * w.step;
      }
      hits.Add(hit);
    }
  }
  return OkStatus();
}

Result<std::vector<Barcode>> Detect(PIX* page, int dpi, BarcodeFormats formats,
                                    const BarcodeOptions& options) {
  const int width = pixGetWidth(page), height = pixGetHeight(page);
  // Colormapped pages (rare: the loaders normalise) are converted once, up front.
  PixPtr decoloured;
  if (pixGetColormap(page) != nullptr) {
    decoloured.reset(pixRemoveColormap(page, REMOVE_CMAP_TO_GRAYSCALE));
    if (!decoloured) return LeptonicaFailed("fjerne farvetabellen");
    if (pixGetDepth(decoloured.get()) != 8) {
      decoloured.reset(pixConvertTo8(decoloured.get(), 0));
      if (!decoloured) return LeptonicaFailed("fjerne farvetabellen");
    }
    page = decoloured.get();
  }

  const BarcodeFormats page_wide = Without(Without(formats, Linear()), CentreBound());
  const BarcodeFormats linear = formats & Linear();
  const BarcodeFormats centre_bound = formats & CentreBound();
  const bool reduce = options.coarse_dpi > 0 && dpi > 1.1 * options.coarse_dpi;
  const double scale = reduce ? static_cast<double>(options.coarse_dpi) / dpi : 1.0;

  Hits hits(width, height);
  // The full-resolution copy first: the reduced one is made from it, before any linear
  // code is blanked out of it. Symbols found in both keep the full-resolution position.
  LumLayer native = LumLayer::Native(page);
  std::optional<LumLayer> coarse;
  if (reduce) {
    coarse = LumLayer::Reduced(native, std::max(1, static_cast<int>(std::lround(width * scale))),
                               std::max(1, static_cast<int>(std::lround(height * scale))));
  }
  if (!reduce || options.native_pass) {
    SearchMatrix(native, page_wide, options.try_rotate, hits);
    SearchLinear(native, linear, options.try_rotate, hits);
  } else if (options.native_linear_rows) {
    SearchLinear(native, linear, /*try_rotate=*/false, hits);
  }
  if (reduce) {
    SearchMatrix(*coarse, page_wide, options.try_rotate, hits);
    SearchLinear(*coarse, linear, options.try_rotate, hits);
  }
  if (!centre_bound.empty()) {
    // Blobs are looked for at about 100 dpi: enough for 3-mm symbols, and cheap.
    const LumLayer& layer = reduce ? *coarse : native;
    const double layer_dpi = dpi * layer.scale_x();
    const int factor = std::max(1, static_cast<int>(std::lround(layer_dpi / kMaskDpi)));
    INTAKE_ASSIGN_OR_RETURN(PixPtr mask, DarkMask(layer, factor));
    INTAKE_RETURN_IF_ERROR(SearchCentreBound(mask.get(), layer_dpi / factor, GreySampler(page),
                                             width, height, centre_bound, hits));
  }
  return std::move(hits).Sorted();
}

}  // namespace

std::vector<std::string> DefaultBarcodeFormats() {
  std::vector<std::string> names;
  const BarcodeFormats defaults = DefaultFormats();
  for (BarcodeFormat f : defaults) names.emplace_back(ZXing::ToString(f));
  return names;
}

Result<std::vector<Barcode>> DetectBarcodes(const PIX* image, const BarcodeOptions& options) {
  assert(image != nullptr);
  // Leptonica's API takes PIX* even for reading; nothing below writes to or clones `image`.
  PIX* page = const_cast<PIX*>(image);
  const int depth = pixGetDepth(page);
  const bool mapped = pixGetColormap(page) != nullptr;
  if (mapped ? depth > 8 : depth != 1 && depth != 8 && depth != 32) {
    return Error(ErrorCode::kInvalidArgument,
                 "stregkodesøgning: billedet har " + std::to_string(depth) +
                     " bit pr. pixel; kun 1, 8 og 32 kan bruges (indlæs siden igen)");
  }
  if (options.dpi != 0 && (options.dpi < 50 || options.dpi > 4800)) {
    return Error(ErrorCode::kInvalidArgument,
                 "stregkodesøgning: opløsningen " + std::to_string(options.dpi) +
                     " dpi er ugyldig; brug 50-4800, eller 0 for billedets egen");
  }
  if (options.coarse_dpi != 0 && (options.coarse_dpi < 50 || options.coarse_dpi > 1200)) {
    return Error(ErrorCode::kInvalidArgument,
                 "stregkodesøgning: den formindskede opløsning " +
                     std::to_string(options.coarse_dpi) +
                     " dpi er ugyldig; brug 50-1200, eller 0 for ingen formindskelse");
  }
  INTAKE_ASSIGN_OR_RETURN(BarcodeFormats formats, ParseFormats(options.formats));
  if (pixGetWidth(page) < kMinSide || pixGetHeight(page) < kMinSide) {
    return std::vector<Barcode>{};
  }
  int dpi = options.dpi;
  if (dpi == 0) {
    const int own = pixGetXRes(page);
    dpi = own >= 50 && own <= 4800 ? own : 300;
  }
  try {
    return Detect(page, dpi, formats, options);
  } catch (const std::bad_alloc&) {
    return Internal("stregkodesøgning: for lidt hukommelse");
  } catch (const std::exception& e) {
    return Internal(std::string("stregkodesøgning: zxing-cpp fejlede: ") + e.what());
  } catch (...) {
    return Internal("stregkodesøgning: zxing-cpp fejlede med en ukendt undtagelse");
  }
}

}  // namespace intake::ocr
