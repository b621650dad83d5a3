#include "pdf/truetype.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace intake::pdf {
namespace {

uint32_t Get32(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}
uint16_t Get16(std::string_view s, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(s[at]) << 8) |
                               static_cast<unsigned char>(s[at + 1]));
}
void Put32(std::string* s, size_t at, uint32_t v) {
  (*s)[at] = static_cast<char>(v >> 24);
  (*s)[at + 1] = static_cast<char>(v >> 16);
  (*s)[at + 2] = static_cast<char>(v >> 8);
  (*s)[at + 3] = static_cast<char>(v);
}

struct Table {
  std::string tag;
  uint32_t offset = 0;
  uint32_t length = 0;
  std::string data;  // the (possibly rewritten) contents
};

}  // namespace

uint32_t TableChecksum(std::string_view table) {
  uint32_t sum = 0;
  for (size_t i = 0; i < table.size(); i += 4) {
    uint32_t word = 0;
    for (size_t j = 0; j < 4; ++j) {
      word = (word << 8) | (i + j < table.size() ? static_cast<unsigned char>(table[i + j]) : 0u);
    }
    sum += word;
  }
  return sum;
}

std::optional<std::string> WithoutGlyphNames(std::string_view font) {
  if (font.size() < 12) return std::nullopt;
  const uint32_t version = Get32(font, 0);
  if (version != 0x00010000 && version != 0x74727565 /* 'true' */) return std::nullopt;
  const uint16_t count = Get16(font, 4);
  const size_t directory_end = 12 + static_cast<size_t>(count) * 16;
  if (count == 0 || directory_end > font.size()) return std::nullopt;

  std::vector<Table> tables(count);
  bool has_post = false, has_head = false;
  for (uint16_t i = 0; i < count; ++i) {
    const size_t e = 12 + static_cast<size_t>(i) * 16;
    Table& t = tables[i];
    t.tag = std::string(font.substr(e, 4));
    t.offset = Get32(font, e + 8);
    t.length = Get32(font, e + 12);
    if (t.offset < directory_end || t.offset > font.size() || t.length > font.size() - t.offset) {
      return std::nullopt;
    }
    t.data = std::string(font.substr(t.offset, t.length));
    if (t.tag == "post") {
      if (t.length < 32) return std::nullopt;
      t.data.resize(32);
      Put32(&t.data, 0, 0x00030000);  // format 3.0: no glyph names
      has_post = true;
    } else if (t.tag == "head") {
      if (t.length < 12) return std::nullopt;
      Put32(&t.data, 8, 0);  // checkSumAdjustment is computed over the whole file below
      has_head = true;
    }
  }
  if (!has_post || !has_head) return std::nullopt;

  // The tables in their original file order, each 4-byte aligned; the directory keeps its
  // order (sorted by tag in a well-formed font).
  std::vector<size_t> by_offset(count);
  for (size_t i = 0; i < count; ++i) by_offset[i] = i;
  std::stable_sort(by_offset.begin(), by_offset.end(),
                   [&](size_t a, size_t b) { return tables[a].offset < tables[b].offset; });
  std::string out(font.substr(0, directory_end));
  size_t head_at = 0;
  for (size_t i : by_offset) {
    Table& t = tables[i];
    t.offset = static_cast<uint32_t>(out.size());
    t.length = static_cast<uint32_t>(t.data.size());
    if (t.tag == "head") head_at = out.size();
    out += t.data;
    out.append((4 - out.size() % 4) % 4, '\0');
  }
  for (uint16_t i = 0; i < count; ++i) {
    const size_t e = 12 + static_cast<size_t>(i) * 16;
    Put32(&out, e + 4, TableChecksum(tables[i].data));
    Put32(&out, e + 8, tables[i].offset);
    Put32(&out, e + 12, tables[i].length);
  }
  Put32(&out, head_at + 8, 0xB1B0AFBA - TableChecksum(out));
  return out;
}

}  // namespace intake::pdf
