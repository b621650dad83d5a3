#include "pdf/truetype.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "tests/support/temp_dir.h"

namespace intake::pdf {
namespace {

const char kDejaVuSans[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

uint32_t Get32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

struct Entry {
  uint32_t checksum, offset, length;
};

std::map<std::string, Entry> Directory(const std::string& font) {
  std::map<std::string, Entry> d;
  const int n = (static_cast<unsigned char>(font[4]) << 8) | static_cast<unsigned char>(font[5]);
  for (int i = 0; i < n; ++i) {
    const size_t e = 12 + 16 * static_cast<size_t>(i);
    d[font.substr(e, 4)] = {Get32(font, e + 4), Get32(font, e + 8), Get32(font, e + 12)};
  }
  return d;
}

TEST(WithoutGlyphNamesTest, TurnsPostIntoFormat3AndKeepsEveryOtherTable) {
  const std::string original = testing::ReadFile(kDejaVuSans);
  ASSERT_GT(original.size(), 100000u) << "fonts-dejavu-core is not installed";
  const auto trimmed = WithoutGlyphNames(original);
  ASSERT_TRUE(trimmed);
  EXPECT_LT(trimmed->size() + 50000, original.size());
  const auto before = Directory(original);
  const auto after = Directory(*trimmed);
  ASSERT_EQ(before.size(), after.size());
  for (const auto& [tag, e] : after) {
    ASSERT_LE(e.offset + e.length, trimmed->size()) << tag;
    EXPECT_EQ(e.offset % 4, 0u) << tag;
    const std::string table = trimmed->substr(e.offset, e.length);
    if (tag == "post") {
      EXPECT_EQ(e.length, 32u);
      EXPECT_EQ(Get32(table, 0), 0x00030000u);
      // italicAngle, underline position and thickness, isFixedPitch ... unchanged
      EXPECT_EQ(table.substr(4), original.substr(before.at(tag).offset + 4, 28));
    } else if (tag == "head") {
      EXPECT_EQ(table.substr(12), original.substr(before.at(tag).offset + 12, e.length - 12));
    } else {
      EXPECT_EQ(table, original.substr(before.at(tag).offset, before.at(tag).length)) << tag;
    }
    std::string for_sum = table;
    if (tag == "head") for_sum.replace(8, 4, std::string(4, '\0'));
    EXPECT_EQ(e.checksum, TableChecksum(for_sum)) << tag;
  }
  // The whole-file checksum with checkSumAdjustment in place is the magic 0xB1B0AFBA.
  EXPECT_EQ(TableChecksum(*trimmed), 0xB1B0AFBAu);
}

TEST(WithoutGlyphNamesTest, LeavesWhatIsNotASimpleTrueTypeFontAlone) {
  EXPECT_FALSE(WithoutGlyphNames(""));
  EXPECT_FALSE(WithoutGlyphNames("OTTO0000000000000000"));  // CFF OpenType
  EXPECT_FALSE(WithoutGlyphNames(std::string("ttcf\0\1\0\0", 8) + std::string(20, '\0')));
  const std::string font = testing::ReadFile(kDejaVuSans);
  ASSERT_FALSE(font.empty());
  EXPECT_FALSE(WithoutGlyphNames(font.substr(0, 200)));  // tables past the end of the data
  std::string no_post = font;
  const auto dir = Directory(font);
  // rename the 'post' tag in the directory: a font without one
  for (size_t e = 12; e < 12 + 16 * dir.size(); e += 16) {
    if (no_post.compare(e, 4, "post") == 0) no_post.replace(e, 4, "xxxx");
  }
  EXPECT_FALSE(WithoutGlyphNames(no_post));
}

TEST(TableChecksumTest, SumsBigEndianWordsWithZeroPadding) {
  EXPECT_EQ(TableChecksum(""), 0u);
  EXPECT_EQ(TableChecksum(std::string("\0\0\0\1\0\0\0\2", 8)), 3u);
  EXPECT_EQ(TableChecksum("\x01"), 0x01000000u);
  EXPECT_EQ(TableChecksum(std::string("\xFF\xFF\xFF\xFF\0\0\0\2", 8)), 1u);  // wraps
}

}  // namespace
}  // namespace intake::pdf
