#include "pdf/glyphless_font.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "pdf/text_layer.h"
#include "pdf/truetype.h"

namespace intake::pdf {
namespace {

constexpr int kUnitsPerEm = 1000;
constexpr int kAdvance = 500;     // every glyph; the writer stretches words to their boxes
constexpr int kAscender = 800;
constexpr int kDescender = -200;
constexpr int kCapHeight = 700;
constexpr int kXHeight = 500;

// Big-endian writers.
void U16(std::string& s, uint32_t v) {
  s += static_cast<char>((v >> 8) & 0xFF);
  s += static_cast<char>(v & 0xFF);
}
void U32(std::string& s, uint32_t v) {
  U16(s, v >> 16);
  U16(s, v & 0xFFFF);
}
void I16(std::string& s, int v) { U16(s, static_cast<uint32_t>(static_cast<uint16_t>(v))); }

struct Table {
  std::string tag;
  std::string data;
};

std::string Head() {
  std::string t;
  U32(t, 0x00010000);     // version
  U32(t, 0x00010000);     // fontRevision
  U32(t, 0);              // checkSumAdjustment, set when the file is complete
  U32(t, 0x5F0F3CF5);     // magicNumber
  U16(t, 0x000B);         // flags: baseline at y=0, lsb at x=0, integer ppem
  U16(t, kUnitsPerEm);
  U32(t, 0);              // created (64-bit, seconds since 1904): left 0, reproducible
  U32(t, 0);
  U32(t, 0);              // modified
  U32(t, 0);
  I16(t, 0);              // xMin
  I16(t, kDescender);     // yMin
  I16(t, kAdvance);       // xMax
  I16(t, kAscender);      // yMax
  U16(t, 0);              // macStyle
  U16(t, 8);              // lowestRecPPEM
  I16(t, 2);              // fontDirectionHint
  I16(t, 0);              // indexToLocFormat: short offsets
  I16(t, 0);              // glyphDataFormat
  return t;
}

std::string Hhea(int glyphs) {
  std::string t;
  U32(t, 0x00010000);
  I16(t, kAscender);
  I16(t, kDescender);
  I16(t, 0);          // lineGap
  U16(t, kAdvance);   // advanceWidthMax
  I16(t, 0);          // minLeftSideBearing
  I16(t, 0);          // minRightSideBearing
  I16(t, kAdvance);   // xMaxExtent
  I16(t, 1);          // caretSlopeRise
  I16(t, 0);          // caretSlopeRun
  I16(t, 0);          // caretOffset
  for (int i = 0; i < 4; ++i) I16(t, 0);
  I16(t, 0);          // metricDataFormat
  U16(t, static_cast<uint32_t>(glyphs));  // numberOfHMetrics
  return t;
}

std::string Maxp(int glyphs) {
  std::string t;
  U32(t, 0x00010000);
  U16(t, static_cast<uint32_t>(glyphs));
  U16(t, 4);  // maxPoints
  U16(t, 1);  // maxContours
  U16(t, 0);  // maxCompositePoints
  U16(t, 0);  // maxCompositeContours
  U16(t, 2);  // maxZones
  for (int i = 0; i < 8; ++i) U16(t, 0);  // twilight points .. component depth
  return t;
}

std::string Os2(uint32_t first_char, uint32_t last_char) {
  std::string t;
  U16(t, 4);            // version
  I16(t, kAdvance);     // xAvgCharWidth
  U16(t, 400);          // usWeightClass
  U16(t, 5);            // usWidthClass
  U16(t, 0);            // fsType: installable embedding
  for (int i = 0; i < 8; ++i) I16(t, 0);  // sub- and superscript sizes and offsets
  I16(t, 50);           // yStrikeoutSize
  I16(t, 250);          // yStrikeoutPosition
  I16(t, 0);            // sFamilyClass
  t.append(10, '\0');   // panose
  U32(t, 0x00000003);   // ulUnicodeRange1: Basic Latin, Latin-1 Supplement
  U32(t, 0);
  U32(t, 0);
  U32(t, 0);
  t += "NONE";          // achVendID
  U16(t, 0x0040);       // fsSelection: REGULAR
  U16(t, first_char);
  U16(t, std::min<uint32_t>(last_char, 0xFFFF));
  I16(t, kAscender);    // sTypoAscender
  I16(t, kDescender);   // sTypoDescender
  I16(t, 0);            // sTypoLineGap
  U16(t, kAscender);    // usWinAscent
  U16(t, -kDescender);  // usWinDescent
  U32(t, 0x00000001);   // ulCodePageRange1: Latin 1 (1252)
  U32(t, 0);
  I16(t, kXHeight);
  I16(t, kCapHeight);
  U16(t, 0);            // usDefaultChar
  U16(t, 0x20);         // usBreakChar
  U16(t, 1);            // usMaxContext
  return t;
}

// A cmap with one (3,1) format 4 subtable mapping `codes` (sorted Unicode values) to
// glyphs 1, 2, 3 ... in that order.
std::string Cmap(const std::vector<uint16_t>& codes) {
  struct Segment {
    uint16_t start, end;
    int16_t delta;
  };
  std::vector<Segment> segments;
  for (size_t i = 0; i < codes.size(); ++i) {
    const int gid = static_cast<int>(i) + 1;
    const auto delta = static_cast<int16_t>(static_cast<uint16_t>(gid - codes[i]));
    if (!segments.empty() && segments.back().end + 1 == codes[i] &&
        segments.back().delta == delta) {
      segments.back().end = codes[i];
    } else {
      segments.push_back({codes[i], codes[i], delta});
    }
  }
  segments.push_back({0xFFFF, 0xFFFF, 1});
  const auto seg_count = static_cast<uint16_t>(segments.size());
  uint16_t search_range = 2, entry_selector = 0;
  while (search_range * 2 <= seg_count * 2) {
    search_range *= 2;
    ++entry_selector;
  }
  std::string sub;
  U16(sub, 4);   // format
  U16(sub, 0);   // length, set below
  U16(sub, 0);   // language
  U16(sub, seg_count * 2);
  U16(sub, search_range);
  U16(sub, entry_selector);
  U16(sub, seg_count * 2 - search_range);
  for (const auto& s : segments) U16(sub, s.end);
  U16(sub, 0);  // reservedPad
  for (const auto& s : segments) U16(sub, s.start);
  for (const auto& s : segments) I16(sub, s.delta);
  for (size_t i = 0; i < segments.size(); ++i) U16(sub, 0);  // idRangeOffset
  sub[2] = static_cast<char>((sub.size() >> 8) & 0xFF);
  sub[3] = static_cast<char>(sub.size() & 0xFF);

  std::string t;
  U16(t, 0);  // version
  U16(t, 1);  // numTables
  U16(t, 3);  // platform: Windows
  U16(t, 1);  // encoding: Unicode BMP
  U32(t, 12);
  return t + sub;
}

// One box outline: (50, 0) – (450, 700), four on-curve points.
std::string BoxGlyph() {
  std::string g;
  I16(g, 1);           // numberOfContours
  I16(g, 50);          // xMin
  I16(g, 0);           // yMin
  I16(g, 450);         // xMax
  I16(g, kCapHeight);  // yMax
  U16(g, 3);           // endPtsOfContours[0]
  U16(g, 0);           // instructionLength
  g.append(4, '\x01');  // flags: on curve, 16-bit x and y deltas
  for (int dx : {50, 400, 0, -400}) I16(g, dx);
  for (int dy : {0, 0, kCapHeight, 0}) I16(g, dy);
  return g;
}

std::string NameRecordString(std::string_view ascii, bool utf16) {
  std::string s;
  for (char c : ascii) {
    if (utf16) s += '\0';
    s += c;
  }
  return s;
}

std::string Name() {
  const std::vector<std::pair<int, std::string>> names = {
      {0, "Made for the intake station's invisible OCR text layer."},
      {1, kGlyphlessFontName},
      {2, "Regular"},
      {3, std::string(kGlyphlessFontName) + " 1.0"},
      {4, kGlyphlessFontName},
      {5, "Version 1.0"},
      {6, kGlyphlessFontName},
  };
  std::string records, strings;
  int count = 0;
  // Macintosh Roman (1, 0, 0) and Windows Unicode (3, 1, 0x409), sorted by platform.
  for (int platform : {1, 3}) {
    for (const auto& [id, text] : names) {
      const std::string s = NameRecordString(text, platform == 3);
      U16(records, static_cast<uint32_t>(platform));
      U16(records, platform == 3 ? 1 : 0);
      U16(records, platform == 3 ? 0x409 : 0);
      U16(records, static_cast<uint32_t>(id));
      U16(records, static_cast<uint32_t>(s.size()));
      U16(records, static_cast<uint32_t>(strings.size()));
      strings += s;
      ++count;
    }
  }
  std::string t;
  U16(t, 0);
  U16(t, static_cast<uint32_t>(count));
  U16(t, static_cast<uint32_t>(6 + records.size()));
  return t + records + strings;
}

std::string Post() {
  std::string t;
  U32(t, 0x00030000);  // format 3: no glyph names
  U32(t, 0);           // italicAngle
  I16(t, -100);        // underlinePosition
  I16(t, 50);          // underlineThickness
  U32(t, 1);           // isFixedPitch
  for (int i = 0; i < 4; ++i) U32(t, 0);
  return t;
}

}  // namespace

std::string BuildGlyphlessFont() {
  std::vector<uint16_t> codes;
  for (int b = 0x20; b <= 0xFF; ++b) {
    if (IsShowableCp1252(static_cast<unsigned char>(b))) {
      codes.push_back(static_cast<uint16_t>(Cp1252ToUnicode(static_cast<unsigned char>(b))));
    }
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  const int glyphs = static_cast<int>(codes.size()) + 1;  // with .notdef

  std::string glyf, loca, hmtx;
  const std::string box = BoxGlyph();
  for (int gid = 0; gid < glyphs; ++gid) {
    U16(loca, static_cast<uint32_t>(glyf.size() / 2));
    if (gid > 0) glyf += box;  // .notdef stays empty
    U16(hmtx, kAdvance);
    I16(hmtx, gid > 0 ? 50 : 0);
  }
  U16(loca, static_cast<uint32_t>(glyf.size() / 2));

  // Sorted by tag, as the table directory must be. The hinting tables are required by
  // libharu; they hold a harmless instruction and one control value.
  std::vector<Table> tables = {
      {"OS/2", Os2(codes.front(), codes.back())},
      {"cmap", Cmap(codes)},
      {"cvt ", std::string(2, '\0')},
      {"fpgm", std::string(1, '\0')},
      {"glyf", glyf},
      {"head", Head()},
      {"hhea", Hhea(glyphs)},
      {"hmtx", hmtx},
      {"loca", loca},
      {"maxp", Maxp(glyphs)},
      {"name", Name()},
      {"post", Post()},
      {"prep", std::string(1, '\0')},
  };
  const auto n = static_cast<uint16_t>(tables.size());
  uint16_t search_range = 16, entry_selector = 0;
  while (search_range * 2 <= n * 16) {
    search_range *= 2;
    ++entry_selector;
  }
  std::string font;
  U32(font, 0x00010000);
  U16(font, n);
  U16(font, search_range);
  U16(font, entry_selector);
  U16(font, n * 16 - search_range);
  size_t offset = 12 + n * 16;
  std::string body;
  size_t head_offset = 0;
  for (const Table& t : tables) {
    font += t.tag;
    U32(font, TableChecksum(t.data));
    U32(font, static_cast<uint32_t>(offset + body.size()));
    U32(font, static_cast<uint32_t>(t.data.size()));
    if (t.tag == "head") head_offset = offset + body.size();
    body += t.data;
    body.append((4 - body.size() % 4) % 4, '\0');
  }
  font += body;
  const uint32_t adjustment = 0xB1B0AFBA - TableChecksum(font);
  for (int i = 0; i < 4; ++i) {
    font[head_offset + 8 + i] = static_cast<char>((adjustment >> (24 - 8 * i)) & 0xFF);
  }
  return font;
}

}  // namespace intake::pdf
