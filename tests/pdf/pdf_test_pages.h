// Page rasters for the PDF writer tests, drawn in memory: text-like bilevel pages whose
// "words" are glyph-like marks inside known boxes (with the TextLines describing them),
// grey and colour versions, and grey PNGs read with libpng and thresholded.
#ifndef INTAKE_TESTS_PDF_PDF_TEST_PAGES_H_
#define INTAKE_TESTS_PDF_PDF_TEST_PAGES_H_

#include <png.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "pdf/pdfa_writer.h"

namespace intake::pdf::testpages {

// Layout of the drawn text, in pixels at 300 dpi (about an 11 pt face).
struct TextStyle {
  int cap_height = 33;  // capitals, digits and ascenders above the baseline
  int x_height = 23;    // the other letters
  int descender = 9;    // g j p q y below the baseline
  int advance = 25;     // per character
  int space = 14;       // between words
  int line_pitch = 58;  // between baselines
  int left = 250;       // left margin
  int top = 330;        // first baseline
  double slope = 0;     // baseline rise per pixel (y downwards), e.g. 0.01 for 0.57 degrees
};

struct SyntheticPage {
  PageRaster raster;            // bilevel, MSB first, 1 = black
  std::vector<TextLine> lines;  // boxes and baselines of what was drawn
  std::string text;             // words joined by ' ', lines by '\n'
};

inline int CountCodePoints(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

inline bool HasDescender(char32_t c) {
  return c == 'g' || c == 'j' || c == 'p' || c == 'q' || c == 'y' || c == ',';
}
inline bool IsTall(unsigned char c) {
  // ASCII capitals, digits, ascenders; every non-ASCII byte (æ ø å Æ Ø Å ...) counts tall.
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == 'b' || c == 'd' || c == 'f' ||
         c == 'h' || c == 'k' || c == 'l' || c == 't' || c >= 0x80;
}

inline PageRaster BlankBilevel(int width, int height, int dpi) {
  PageRaster r;
  r.kind = PageRaster::Kind::kBilevel;
  r.width = width;
  r.height = height;
  r.dpi = dpi;
  r.stride = (width + 7) / 8;
  r.pixels.assign(static_cast<size_t>(r.stride) * height, 0);
  return r;
}

inline void SetBlack(PageRaster* r, int x, int y) {
  if (x < 0 || y < 0 || x >= r->width || y >= r->height) return;
  r->pixels[static_cast<size_t>(y) * r->stride + x / 8] |= static_cast<uint8_t>(0x80 >> (x % 8));
}

inline bool IsBlack(const PageRaster& r, int x, int y) {
  return (r.pixels[static_cast<size_t>(y) * r.stride + x / 8] >> (7 - x % 8)) & 1;
}

inline void FillRect(PageRaster* r, int x0, int y0, int x1, int y1) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) SetBlack(r, x, y);
}

// Draws `lines` of words as glyph-like marks (a stem, a bar or bowl per character,
// varying with the character) on a blank bilevel page and records their boxes.
inline SyntheticPage MakeTextPage(const std::vector<std::vector<std::string>>& lines,
                                  const TextStyle& st = {}, int width = 2480, int height = 3508,
                                  int dpi = 300) {
  SyntheticPage page;
  page.raster = BlankBilevel(width, height, dpi);
  PageRaster* r = &page.raster;
  for (size_t li = 0; li < lines.size(); ++li) {
    const int base0 = st.top + static_cast<int>(li) * st.line_pitch;
    const auto base_at = [&](int x) {
      return base0 + static_cast<int>(std::lround(st.slope * (x - st.left)));
    };
    TextLine line;
    int x = st.left;
    for (size_t wi = 0; wi < lines[li].size(); ++wi) {
      const std::string& word = lines[li][wi];
      TextWord tw;
      tw.text = word;
      int top = height, bottom = 0;
      const int x_start = x;
      for (size_t i = 0; i < word.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(word[i]);
        if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation
        const int b = base_at(x);
        const int h = IsTall(c) ? st.cap_height : st.x_height;
        const int d = HasDescender(c) ? st.descender : 0;
        const int stem = 4;
        FillRect(r, x + 3, b - h, x + 3 + stem, b + d);  // stem
        if (c % 3 == 0) {                                // bowl
          FillRect(r, x + 3, b - st.x_height, x + st.advance - 6, b - st.x_height + 3);
          FillRect(r, x + 3, b - 3, x + st.advance - 6, b);
          FillRect(r, x + st.advance - 9, b - st.x_height, x + st.advance - 6, b);
        } else if (c % 3 == 1) {  // bar
          FillRect(r, x + 3, b - st.x_height / 2 - 1, x + st.advance - 6, b - st.x_height / 2 + 2);
        } else {  // second stem
          FillRect(r, x + st.advance - 10, b - st.x_height, x + st.advance - 6, b);
        }
        top = std::min(top, b - h);
        bottom = std::max(bottom, b + d);
        x += st.advance;
      }
      tw.x = x_start + 3;
      tw.y = top;
      tw.width = x - 6 - tw.x;
      tw.height = bottom - top;
      line.words.push_back(tw);
      x += st.space;
    }
    line.baseline_x1 = st.left;
    line.baseline_y1 = base_at(st.left);
    line.baseline_x2 = x;
    line.baseline_y2 = base_at(x);
    page.lines.push_back(line);
    for (size_t wi = 0; wi < lines[li].size(); ++wi) {
      page.text += lines[li][wi];
      page.text += wi + 1 < lines[li].size() ? " " : "";
    }
    page.text += li + 1 < lines.size() ? "\n" : "";
  }
  return page;
}

// 0 = black, 255 = white, plus a light left-to-right gradient in the background so that
// the image is not purely bilevel.
inline PageRaster ToGray(const PageRaster& bilevel, bool gradient = true) {
  PageRaster g;
  g.kind = PageRaster::Kind::kGray;
  g.width = bilevel.width;
  g.height = bilevel.height;
  g.dpi = bilevel.dpi;
  g.stride = g.width;
  g.pixels.resize(static_cast<size_t>(g.stride) * g.height);
  for (int y = 0; y < g.height; ++y)
    for (int x = 0; x < g.width; ++x) {
      const int bg = gradient ? 255 - 40 * x / g.width : 255;
      g.pixels[static_cast<size_t>(y) * g.stride + x] =
          IsBlack(bilevel, x, y) ? 0 : static_cast<uint8_t>(bg);
    }
  return g;
}

inline PageRaster ToRgb(const PageRaster& bilevel) {
  PageRaster c;
  c.kind = PageRaster::Kind::kRgb;
  c.width = bilevel.width;
  c.height = bilevel.height;
  c.dpi = bilevel.dpi;
  c.stride = c.width * 3 + 5;  // padded rows: the writer must honour the stride
  c.pixels.assign(static_cast<size_t>(c.stride) * c.height, 0x5A);
  for (int y = 0; y < c.height; ++y)
    for (int x = 0; x < c.width; ++x) {
      uint8_t* p = &c.pixels[static_cast<size_t>(y) * c.stride + 3 * x];
      if (IsBlack(bilevel, x, y)) {
        p[0] = p[1] = p[2] = 0;
      } else {
        p[0] = 255;
        p[1] = static_cast<uint8_t>(255 - 60 * y / c.height);
        p[2] = static_cast<uint8_t>(255 - 60 * x / c.width);
      }
    }
  return c;
}

// A grey PNG (any PNG libpng reads) as a bilevel raster: pixels darker than `threshold`
// are black. nullopt when the file cannot be read.
inline std::optional<PageRaster> LoadPngAsBilevel(const std::string& path, int dpi,
                                                  int threshold = 170) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) return std::nullopt;
  image.format = PNG_FORMAT_GRAY;
  std::vector<uint8_t> grey(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, grey.data(), 0, nullptr)) {
    png_image_free(&image);
    return std::nullopt;
  }
  PageRaster r = BlankBilevel(static_cast<int>(image.width), static_cast<int>(image.height), dpi);
  for (int y = 0; y < r.height; ++y)
    for (int x = 0; x < r.width; ++x)
      if (grey[static_cast<size_t>(y) * r.width + x] < threshold) SetBlack(&r, x, y);
  return r;
}

}  // namespace intake::pdf::testpages

#endif  // INTAKE_TESTS_PDF_PDF_TEST_PAGES_H_
