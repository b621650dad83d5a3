// The built-in text-layer font: a well-formed TrueType file with a glyph for every
// character Windows-1252 can show.
#include "pdf/glyphless_font.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "pdf/text_layer.h"
#include "pdf/truetype.h"

namespace intake::pdf {
namespace {

uint32_t U32At(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<unsigned char>(s[at + 3]);
}
uint16_t U16At(const std::string& s, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(s[at]) << 8) |
                               static_cast<unsigned char>(s[at + 1]));
}

std::map<std::string, std::string> Tables(const std::string& font) {
  std::map<std::string, std::string> tables;
  const int n = U16At(font, 4);
  for (int i = 0; i < n; ++i) {
    const size_t e = 12 + static_cast<size_t>(i) * 16;
    const std::string tag = font.substr(e, 4);
    const uint32_t offset = U32At(font, e + 8), length = U32At(font, e + 12);
    EXPECT_LE(offset + length, font.size()) << tag;
    std::string data = font.substr(offset, length);
    EXPECT_EQ(U32At(font, e + 4), TableChecksum(tag == "head" ? [&] {
                std::string h = data;
                h.replace(8, 4, std::string(4, '\0'));
                return h;
              }()
                                                                : data))
        << tag;
    tables[tag] = std::move(data);
  }
  return tables;
}

// The glyph id the (3,1) format-4 cmap gives `code`, or 0.
uint16_t GlyphFor(const std::string& cmap, uint16_t code) {
  const uint32_t sub = U32At(cmap, 8);
  const int seg_x2 = U16At(cmap, sub + 6);
  const size_t ends = sub + 14, starts = ends + seg_x2 + 2, deltas = starts + seg_x2;
  for (int i = 0; i < seg_x2 / 2; ++i) {
    const uint16_t end = U16At(cmap, ends + 2 * i), start = U16At(cmap, starts + 2 * i);
    if (code >= start && code <= end) {
      return static_cast<uint16_t>(code + U16At(cmap, deltas + 2 * i));
    }
  }
  return 0;
}

TEST(GlyphlessFont, IsAWellFormedTrueTypeFileWithEveryTableLibharuNeeds) {
  const std::string font = BuildGlyphlessFont();
  EXPECT_EQ(U32At(font, 0), 0x00010000u);
  EXPECT_EQ(TableChecksum(font), 0xB1B0AFBAu);  // head.checkSumAdjustment is right
  const auto tables = Tables(font);
  for (const char* tag : {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca",
                          "maxp", "name", "post", "prep"}) {
    EXPECT_EQ(tables.count(tag), 1u) << tag;
  }
  EXPECT_EQ(tables.at("OS/2").size(), 96u);  // version 4
  EXPECT_LT(font.size(), 12000u);
}

TEST(GlyphlessFont, MapsEveryShowableWindows1252CharacterToItsOwnGlyph) {
  const auto tables = Tables(BuildGlyphlessFont());
  const std::string& cmap = tables.at("cmap");
  const int glyphs = U16At(tables.at("maxp"), 4);
  std::map<uint16_t, int> seen;
  for (int b = 0x20; b <= 0xFF; ++b) {
    if (!IsShowableCp1252(static_cast<unsigned char>(b))) continue;
    const auto u = static_cast<uint16_t>(Cp1252ToUnicode(static_cast<unsigned char>(b)));
    const uint16_t gid = GlyphFor(cmap, u);
    EXPECT_GT(gid, 0) << "code 0x" << std::hex << b;  // never .notdef
    EXPECT_LT(gid, glyphs);
    EXPECT_EQ(seen[gid]++, 0) << "glyph shared, code 0x" << std::hex << b;
  }
  for (uint16_t danish : {0x00E6, 0x00F8, 0x00E5, 0x00C6, 0x00D8, 0x00C5, 0x20AC}) {
    EXPECT_GT(GlyphFor(cmap, danish), 0) << std::hex << danish;
  }
  EXPECT_EQ(GlyphFor(cmap, 0x0100), 0);  // outside Windows-1252
}

TEST(GlyphlessFont, GlyphsHaveAnOutlineAndOneAdvanceWidth) {
  const auto tables = Tables(BuildGlyphlessFont());
  const std::string& loca = tables.at("loca");
  const std::string& hmtx = tables.at("hmtx");
  const int glyphs = U16At(tables.at("maxp"), 4);
  EXPECT_EQ(U16At(loca, 0), U16At(loca, 2));  // .notdef is empty
  for (int gid = 1; gid < glyphs; ++gid) {
    EXPECT_GT(U16At(loca, 2 * (gid + 1)), U16At(loca, 2 * gid)) << gid;
    EXPECT_EQ(U16At(hmtx, 4 * gid), 500) << gid;
  }
  EXPECT_EQ(U16At(tables.at("glyf"), 0), 1);  // one contour
}

}  // namespace
}  // namespace intake::pdf
