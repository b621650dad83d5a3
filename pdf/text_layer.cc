#include "pdf/text_layer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "pdf/utf8.h"

namespace intake::pdf {
namespace {

// Windows-1252 0x80-0x9F; 0 marks the undefined codes.
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88-8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98-9F
};

// Base letters of U+0100-U+017F (Latin Extended-A), from the Unicode decompositions, with
// the letters that have none (Đ Ħ ı ĸ Ŀ Ł Ŋ Ŧ ſ) given their plain look-alike. Ĳ ĳ ŉ are
// handled separately; Œ œ Š š Ÿ Ž ž are in Windows-1252 and never reach this table.
constexpr char kLatinExtendedABase[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGg"
    "GgGgHhHhIiIiIiIiIi??JjKkkLlLlLlL"
    "lLlNnNnNn?NnOoOoOoOoRrRrRrSsSsSs"
    "SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(sizeof kLatinExtendedABase == 129);

// Canonical compositions whose result is in Windows-1252: base letter, combining mark,
// composed character (the 58 pairs of the Unicode data for Latin-1 and Š š Ÿ Ž ž).
struct Composition {
  char base;
  char16_t mark;
  char16_t composed;
};
constexpr Composition kCompositions[] = {
    {'A', 0x300, 0xC0},  {'A', 0x301, 0xC1},  {'A', 0x302, 0xC2},  {'A', 0x303, 0xC3},
    {'A', 0x308, 0xC4},  {'A', 0x30A, 0xC5},  {'C', 0x327, 0xC7},  {'E', 0x300, 0xC8},
    {'E', 0x301, 0xC9},  {'E', 0x302, 0xCA},  {'E', 0x308, 0xCB},  {'I', 0x300, 0xCC},
    {'I', 0x301, 0xCD},  {'I', 0x302, 0xCE},  {'I', 0x308, 0xCF},  {'N', 0x303, 0xD1},
    {'O', 0x300, 0xD2},  {'O', 0x301, 0xD3},  {'O', 0x302, 0xD4},  {'O', 0x303, 0xD5},
    {'O', 0x308, 0xD6},  {'U', 0x300, 0xD9},  {'U', 0x301, 0xDA},  {'U', 0x302, 0xDB},
    {'U', 0x308, 0xDC},  {'Y', 0x301, 0xDD},  {'a', 0x300, 0xE0},  {'a', 0x301, 0xE1},
    {'a', 0x302, 0xE2},  {'a', 0x303, 0xE3},  {'a', 0x308, 0xE4},  {'a', 0x30A, 0xE5},
    {'c', 0x327, 0xE7},  {'e', 0x300, 0xE8},  {'e', 0x301, 0xE9},  {'e', 0x302, 0xEA},
    {'e', 0x308, 0xEB},  {'i', 0x300, 0xEC},  {'i', 0x301, 0xED},  {'i', 0x302, 0xEE},
    {'i', 0x308, 0xEF},  {'n', 0x303, 0xF1},  {'o', 0x300, 0xF2},  {'o', 0x301, 0xF3},
    {'o', 0x302, 0xF4},  {'o', 0x303, 0xF5},  {'o', 0x308, 0xF6},  {'u', 0x300, 0xF9},
    {'u', 0x301, 0xFA},  {'u', 0x302, 0xFB},  {'u', 0x308, 0xFC},  {'y', 0x301, 0xFD},
    {'y', 0x308, 0xFF},  {'S', 0x30C, 0x160}, {'s', 0x30C, 0x161}, {'Y', 0x308, 0x178},
    {'Z', 0x30C, 0x17D}, {'z', 0x30C, 0x17E},
};

bool IsCombiningMark(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

// The Windows-1252 byte of `cp`, or -1.
int UnicodeToCp1252(char32_t cp) {
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<int>(cp);
  for (int i = 0; i < 32; ++i) {
    if (kCp1252High[i] != 0 && kCp1252High[i] == cp) return 0x80 + i;
  }
  return -1;
}

// A plain spelling of `cp` in characters Windows-1252 has (UTF-8), "" to drop it, or
// nullopt when there is none.
std::optional<std::string_view> Transliterate(char32_t cp) {
  if (cp >= 0x100 && cp <= 0x17F) {
    switch (cp) {
      case 0x132:
        return "IJ";
      case 0x133:
        return "ij";
      case 0x149:
        return "'n";
      default:
        return std::string_view(&kLatinExtendedABase[cp - 0x100], 1);
    }
  }
  switch (cp) {
    // Latin Extended-B and IPA letters Tesseract may read
    case 0x0180:
      return "b";
    case 0x0197:
      return "I";
    case 0x01B5:
      return "Z";
    case 0x01B6:
      return "z";
    case 0x0218:
      return "S";
    case 0x0219:
      return "s";
    case 0x021A:
      return "T";
    case 0x021B:
      return "t";
    case 0x0251:
      return "a";
    case 0x0261:
      return "g";
    // modifier letters used as apostrophes and quotes
    case 0x02B9:
    case 0x02BB:
    case 0x02BC:
    case 0x02BD:
      return "\xE2\x80\x99";  // ’
    case 0x02BA:
      return "\"";
    case 0x02C7:
      return "";  // caron alone
    case 0x02D0:
      return ":";
    case 0x03BC:
      return "\xC2\xB5";  // Greek mu → micro sign
    // spaces and invisible characters
    case 0x2000:
    case 0x2001:
    case 0x2002:
    case 0x2003:
    case 0x2004:
    case 0x2005:
    case 0x2006:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200A:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return " ";
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
      return "";
    // dashes, quotes, dots
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2043:
    case 0x2212:
    case 0xFE63:
      return "-";
    case 0x2015:
      return "\xE2\x80\x94";  // — (horizontal bar)
    case 0x201B:
      return "\xE2\x80\x98";  // ‘
    case 0x201F:
      return "\xE2\x80\x9C";  // “
    case 0x2024:
      return ".";
    case 0x2025:
      return "..";
    case 0x2027:
    case 0x2219:
    case 0x22C5:
      return "\xC2\xB7";  // ·
    case 0x2032:
      return "'";
    case 0x2033:
      return "\"";
    case 0x2044:
    case 0x2215:
      return "/";
    case 0x2116:
      return "No";
    case 0x2190:
      return "<-";
    case 0x2192:
      return "->";
    case 0x2264:
      return "<=";
    case 0x2265:
      return ">=";
    case 0x2260:
      return "!=";
    case 0x2248:
      return "~";
    case 0x221E:
      return "oo";
    // ligatures
    case 0xFB00:
      return "ff";
    case 0xFB01:
      return "fi";
    case 0xFB02:
      return "fl";
    case 0xFB03:
      return "ffi";
    case 0xFB04:
      return "ffl";
    case 0xFB05:
    case 0xFB06:
      return "st";
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

char32_t Cp1252ToUnicode(unsigned char byte) {
  if (byte < 0x80 || byte >= 0xA0) return byte;
  return kCp1252High[byte - 0x80];
}

bool IsShowableCp1252(unsigned char byte) {
  if (byte < 0x20 || byte == 0x7F) return false;
  return Cp1252ToUnicode(byte) != 0;
}

std::string Utf8ToCp1252(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  const auto append_utf8_literal = [&](std::string_view s) {
    size_t p = 0;
    while (p < s.size()) {
      const int b = UnicodeToCp1252(DecodeUtf8(s, &p));
      out.push_back(b >= 0x20 ? static_cast<char>(b) : '?');
    }
  };
  size_t pos = 0;
  while (pos < utf8.size()) {
    const size_t at = pos;
    const char32_t cp = DecodeUtf8(utf8, &pos);
    if (cp == kReplacementCharacter && (pos - at) == 1 &&
        static_cast<unsigned char>(utf8[at]) >= 0x80) {
      out.push_back('?');  // invalid UTF-8
      continue;
    }
    if (IsCombiningMark(cp)) {
      // Compose with the preceding ASCII letter when the result is in Windows-1252;
      // otherwise drop the accent (the letter stays, as a transliteration would).
      if (!out.empty()) {
        const char base = out.back();
        for (const Composition& c : kCompositions) {
          if (c.base == base && c.mark == cp) {
            out.back() = static_cast<char>(UnicodeToCp1252(c.composed));
            break;
          }
        }
      }
      continue;
    }
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f') {
      out.push_back(' ');
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      out.push_back('?');  // controls have no glyph
      continue;
    }
    const int b = UnicodeToCp1252(cp);
    if (b >= 0) {
      out.push_back(static_cast<char>(b));
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {  // fullwidth ASCII
      out.push_back(static_cast<char>(cp - 0xFEE0));
      continue;
    }
    if (const std::optional<std::string_view> t = Transliterate(cp)) {
      append_utf8_literal(*t);
      continue;
    }
    out.push_back('?');
  }
  return out;
}

std::string BuildToUnicodeCMap() {
  std::vector<unsigned> codes;
  for (unsigned b = 0x20; b <= 0xFF; ++b) {
    if (IsShowableCp1252(static_cast<unsigned char>(b))) codes.push_back(b);
  }
  std::string s =
      "/CIDInit /ProcSet findresource begin\n"
      "12 dict begin\n"
      "begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Intake-WinAnsi-UCS def\n"
      "/CMapType 2 def\n"
      "1 begincodespacerange\n"
      "<00> <FF>\n"
      "endcodespacerange\n";
  char line[32];
  for (size_t i = 0; i < codes.size(); i += 100) {  // at most 100 entries per block
    const size_t n = std::min<size_t>(100, codes.size() - i);
    s += std::to_string(n) + " beginbfchar\n";
    for (size_t j = i; j < i + n; ++j) {
      std::snprintf(line, sizeof line, "<%02X> <%04X>\n", codes[j],
                    static_cast<unsigned>(Cp1252ToUnicode(static_cast<unsigned char>(codes[j]))));
      s += line;
    }
    s += "endbfchar\n";
  }
  s += "endcmap\n"
       "CMapName currentdict /CMap defineresource pop\n"
       "end\n"
       "end\n";
  return s;
}

Result<std::vector<PlacedWord>> PlaceWords(const std::vector<TextLine>& lines, int width_px,
                                           int height_px, int dpi, const TextWidthFn& width) {
  const double pt_per_px = 72.0 / dpi;
  std::vector<PlacedWord> placed;
  for (size_t li = 0; li < lines.size(); ++li) {
    const TextLine& line = lines[li];
    struct Kept {
      size_t index;
      std::string text;
    };
    std::vector<Kept> kept;
    for (size_t wi = 0; wi < line.words.size(); ++wi) {
      const TextWord& w = line.words[wi];
      if (w.width <= 0 || w.height <= 0 || w.x < 0 || w.y < 0 || w.x > width_px - w.width ||
          w.y > height_px - w.height) {
        char box[160];
        std::snprintf(box, sizeof box,
                      "(x=%d, y=%d, bredde=%d, højde=%d) er tom eller ligger uden for siden "
                      "(%d x %d px)",
                      w.x, w.y, w.width, w.height, width_px, height_px);
        return Error(ErrorCode::kInvalidArgument,
                     "tekstlag: linje " + std::to_string(li + 1) + ", ord " +
                         std::to_string(wi + 1) + ": ordets boks " + box +
                         "; ordkasser skal angives i sidebilledets pixels");
      }
      std::string text = Utf8ToCp1252(w.text);
      if (text.empty()) continue;
      kept.push_back({wi, std::move(text)});
    }
    if (kept.empty()) continue;

    // The baseline in pixels, y downwards: y = base(x).
    double x1 = line.baseline_x1, y1 = line.baseline_y1;
    double x2 = line.baseline_x2, y2 = line.baseline_y2;
    if (x2 < x1) {
      std::swap(x1, x2);
      std::swap(y1, y2);
    }
    bool flat = true;
    double flat_y = 0;
    double slope = 0;
    if (x2 - x1 <= 0) {  // no direction: the bottom of the lowest word
      for (const Kept& k : kept) {
        const TextWord& w = line.words[k.index];
        flat_y = std::max(flat_y, static_cast<double>(w.y + w.height));
      }
    } else {
      slope = (y2 - y1) / (x2 - x1);
      if (std::fabs(slope) < kFlattenSlope) {
        flat_y = (y1 + y2) / 2;
      } else {
        flat = false;
      }
    }
    const auto base = [&](double x) { return flat ? flat_y : y1 + (x - x1) * slope; };
    const double angle = flat ? 0.0 : std::atan(-slope);  // PDF y runs upwards
    const double cos_a = std::cos(angle), sin_a = std::sin(angle);

    double size_px = 0;
    for (const Kept& k : kept) {
      const TextWord& w = line.words[k.index];
      size_px = std::max(size_px, base(w.x + w.width / 2.0) - w.y);
    }
    if (size_px < 1) {  // baseline above the words: fall back on the box heights
      size_px = 1;
      for (const Kept& k : kept) size_px = std::max<double>(size_px, line.words[k.index].height);
    }
    const double font_size = std::min(size_px * pt_per_px, kMaxFontSize);

    for (size_t i = 0; i < kept.size(); ++i) {
      const TextWord& w = line.words[kept[i].index];
      PlacedWord p;
      p.line_index = static_cast<int>(li);
      p.word_index = static_cast<int>(kept[i].index);
      p.font_size = font_size;
      const double natural = width(kept[i].text) * font_size / 1000.0;
      const double box = w.width * pt_per_px / cos_a;
      double stretch = natural > 0 ? box / natural : 1.0;
      stretch = std::clamp(stretch, 0.001, 1000.0);
      p.a = stretch * cos_a;
      p.b = stretch * sin_a;
      p.c = -sin_a;
      p.d = cos_a;
      p.e = w.x * pt_per_px;
      p.f = (height_px - base(w.x)) * pt_per_px;
      p.text = std::move(kept[i].text);
      if (i + 1 < kept.size()) p.text.push_back(' ');
      placed.push_back(std::move(p));
    }
  }
  return placed;
}

}  // namespace intake::pdf
