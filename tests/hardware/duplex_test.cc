// Two-pass duplex: fronts, then the turned stack's backs, interleaved per sheet.
#include "hardware/duplex.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace intake::hardware {
namespace {

using ::testing::HasSubstr;

// Pages named by their source text, so the order is visible in failures.
std::vector<ScannedPage> Pages(const std::vector<std::string>& names, int first_sheet = 1) {
  std::vector<ScannedPage> pages;
  for (size_t i = 0; i < names.size(); ++i) {
    ScannedPage p;
    p.source = names[i];
    p.sheet = first_sheet + static_cast<int>(i);
    pages.push_back(p);
  }
  return pages;
}

std::vector<std::string> Order(const std::vector<ScannedPage>& pages) {
  std::vector<std::string> out;
  for (const auto& p : pages) {
    out.push_back(p.source + "@" + std::to_string(p.sheet) + (p.side == Side::kFront ? "F" : "B"));
  }
  return out;
}

TEST(DuplexInterleaveTest, TurnedStackBacksAreReversedAndPaired) {
  auto pages = InterleaveDuplexPasses(Pages({"f1", "f2", "f3"}), Pages({"b3", "b2", "b1"}));
  ASSERT_TRUE(pages);
  EXPECT_THAT(Order(*pages),
              ::testing::ElementsAre("f1@1F", "b1@1B", "f2@2F", "b2@2B", "f3@3F", "b3@3B"));
}

TEST(DuplexInterleaveTest, BacksInSheetOrderArePairedAsTheyCome) {
  auto pages =
      InterleaveDuplexPasses(Pages({"f1", "f2"}), Pages({"b1", "b2"}), BackOrder::kSameOrder);
  ASSERT_TRUE(pages);
  EXPECT_THAT(Order(*pages), ::testing::ElementsAre("f1@1F", "b1@1B", "f2@2F", "b2@2B"));
}

TEST(DuplexInterleaveTest, SheetsAreNumberedFromTheFirstFront) {
  auto pages = InterleaveDuplexPasses(Pages({"f5", "f6"}, 5), Pages({"b6", "b5"}, 1));
  ASSERT_TRUE(pages);
  EXPECT_THAT(Order(*pages), ::testing::ElementsAre("f5@5F", "b5@5B", "f6@6F", "b6@6B"));
}

TEST(DuplexInterleaveTest, UnequalPassesAreRefusedNamingBothCounts) {
  auto pages = InterleaveDuplexPasses(Pages({"f1", "f2", "f3"}), Pages({"b2", "b1"}));
  ASSERT_FALSE(pages);
  EXPECT_EQ(pages.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(pages.error().message(), HasSubstr("3 forsider"));
  EXPECT_THAT(pages.error().message(), HasSubstr("2 bagsider"));
}

TEST(DuplexInterleaveTest, TwoEmptyPassesGiveNoPages) {
  auto pages = InterleaveDuplexPasses({}, {});
  ASSERT_TRUE(pages);
  EXPECT_TRUE(pages->empty());
}

}  // namespace
}  // namespace intake::hardware
