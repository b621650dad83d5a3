#include "config/pattern.h"

#include <gtest/gtest.h>

namespace intake::config {
namespace {

TEST(Pattern, CharacterClassesMatchDanishLettersAsCharacters) {
  auto p = Pattern::Compile(R"(\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2})");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_TRUE(p->FullMatch("27.24.00-G01-5-19"));
  EXPECT_TRUE(p->FullMatch("27.24.00-Ø30-5-19"));
  EXPECT_FALSE(p->FullMatch("27.24.00-g01-5-19"));
  EXPECT_FALSE(p->FullMatch("x27.24.00-G01-5-19"));  // full match only
}

TEST(Pattern, FindAllReturnsByteOffsetsLeftToRight) {
  auto p = Pattern::Compile(R"(20\d{2}-\d{7})");
  ASSERT_TRUE(p);
  const std::string text = "Vedr. sag 2024-0123456 og æøå 2025-7654321.";
  auto matches = p->FindAll(text);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(text.substr(matches[0].begin, matches[0].end - matches[0].begin), "2024-0123456");
  EXPECT_EQ(text.substr(matches[1].begin, matches[1].end - matches[1].begin), "2025-7654321");
}

TEST(Pattern, EmptyMatchesDoNotLoopForever) {
  auto p = Pattern::Compile("x*");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->FindAll("aæb").size(), 4u);  // before a, æ, b and at the end
}

TEST(Pattern, RejectsBadSyntaxWithOffset) {
  auto p = Pattern::Compile("(ab");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message().find("ved tegn"), std::string::npos);
  EXPECT_FALSE(Pattern::Compile(""));
}

TEST(Pattern, InvalidUtf8TextIsNoMatchNotACrash) {
  auto p = Pattern::Compile(R"(\d+)");
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->FullMatch("12\xff"));
  EXPECT_TRUE(p->FindAll("\xff\xfe 12").empty());
}

}  // namespace
}  // namespace intake::config
