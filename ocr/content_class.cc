#include "ocr/content_class.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace intake::ocr {
namespace {

PIX* Mutable(const PIX* p) { return const_cast<PIX*>(p); }

// A pixel is clearly coloured when its channels differ by more than this (scanner colour
// fringes at black text edges stay below it).
constexpr int kColorSpread = 60;
// Coloured pixels above this share of the page make it a colour page (a blue signature of
// a few strokes is 0.05–0.3 %; a grey scan delivered as RGB has none).
constexpr double kMinColorFraction = 0.0002;
// A tile is continuous tone when more than this share of its pixels is mid-tone.
constexpr double kToneTileShare = 0.5;
// Continuous-tone tiles above this share of the page make it a grey image page (a 4 × 3 cm
// photograph on A4 is about 2 %).
constexpr double kMinToneFraction = 0.01;

// The paper's grey level: the 95th percentile of a subsample.
int PaperLevel(const PIX* gray) {
  std::array<int64_t, 256> histogram{};
  const int w = pixGetWidth(Mutable(gray)), h = pixGetHeight(Mutable(gray));
  const int wpl = pixGetWpl(Mutable(gray));
  const l_uint32* data = pixGetData(Mutable(gray));
  int64_t n = 0;
  for (int y = 0; y < h; y += 4) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; x += 4) {
      ++histogram[GET_DATA_BYTE(line, x)];
      ++n;
    }
  }
  int64_t seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += histogram[v];
    if (seen >= n * 95 / 100) return v;
  }
  return 255;
}

double ToneFraction(const PIX* gray, int dpi) {
  const int w = pixGetWidth(Mutable(gray)), h = pixGetHeight(Mutable(gray));
  const int wpl = pixGetWpl(Mutable(gray));
  const l_uint32* data = pixGetData(Mutable(gray));
  const int paper = PaperLevel(gray);
  // Mid-tone: clearly darker than the paper, clearly lighter than ink.
  const int low = 60, high = paper - 40;
  if (high <= low) return 0;
  const int tile = std::max(16, dpi * 5 / 25);  // about 5 mm
  int tiles = 0, tonal = 0;
  for (int ty = 0; ty + tile <= h; ty += tile) {
    for (int tx = 0; tx + tile <= w; tx += tile) {
      int mid = 0, count = 0;
      for (int y = ty; y < ty + tile; y += 2) {
        const l_uint32* line = data + static_cast<size_t>(y) * wpl;
        for (int x = tx; x < tx + tile; x += 2) {
          const int v = GET_DATA_BYTE(line, x);
          mid += (v >= low && v <= high) ? 1 : 0;
          ++count;
        }
      }
      ++tiles;
      if (mid > kToneTileShare * count) ++tonal;
    }
  }
  return tiles == 0 ? 0 : static_cast<double>(tonal) / tiles;
}

double ColorFraction(const PIX* color) {
  const int w = pixGetWidth(Mutable(color)), h = pixGetHeight(Mutable(color));
  const int wpl = pixGetWpl(Mutable(color));
  const l_uint32* data = pixGetData(Mutable(color));
  int64_t colored = 0, n = 0;
  for (int y = 0; y < h; y += 2) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; x += 2) {
      l_int32 r, g, b;
      extractRGBValues(line[x], &r, &g, &b);
      const int spread = std::max({r, g, b}) - std::min({r, g, b});
      colored += spread > kColorSpread ? 1 : 0;
      ++n;
    }
  }
  return n == 0 ? 0 : static_cast<double>(colored) / n;
}

}  // namespace

std::string_view PageContentName(PageContent content) {
  switch (content) {
    case PageContent::kText: return "text";
    case PageContent::kGrayImage: return "gray_image";
    case PageContent::kColorImage: return "color_image";
  }
  return "text";
}

ContentClassification ClassifyContent(const PIX* gray, const PIX* color, int dpi,
                                      bool bilevel_input) {
  ContentClassification c;
  if (bilevel_input || gray == nullptr) return c;
  if (color != nullptr) {
    c.color_fraction = ColorFraction(color);
    if (c.color_fraction >= kMinColorFraction) {
      c.content = PageContent::kColorImage;
      return c;
    }
  }
  c.tone_fraction = ToneFraction(gray, dpi);
  if (c.tone_fraction >= kMinToneFraction) c.content = PageContent::kGrayImage;
  return c;
}

}  // namespace intake::ocr
