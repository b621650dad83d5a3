// The CER helper that the OCR tests rely on (tests/support/text_metrics.h).
#include "tests/support/text_metrics.h"

#include <gtest/gtest.h>

namespace intake::testing {
namespace {

TEST(TextMetricsTest, NormalizeWhitespaceCollapsesRunsAndTrims) {
  EXPECT_EQ(NormalizeWhitespace("  Kære\n\nJens \t Hansen\n"), "Kære Jens Hansen");
  EXPECT_EQ(NormalizeWhitespace(" \n\t "), "");
}

TEST(TextMetricsTest, CharacterErrorRateCountsCodePointsNotBytes) {
  EXPECT_DOUBLE_EQ(CharacterErrorRate("København", "København"), 0.0);
  // One substituted letter of nine; 'ø' is two bytes but one character.
  EXPECT_DOUBLE_EQ(CharacterErrorRate("København", "Kobenhavn"), 1.0 / 9);
  EXPECT_DOUBLE_EQ(CharacterErrorRate("ÆØÅ æøå", "ÆØÅ æø"), 1.0 / 7);
  EXPECT_DOUBLE_EQ(CharacterErrorRate("abc", ""), 1.0);
  EXPECT_DOUBLE_EQ(CharacterErrorRate("", ""), 0.0);
  EXPECT_DOUBLE_EQ(CharacterErrorRate("", "x"), 1.0);
}

TEST(TextMetricsTest, CharacterErrorRateIgnoresLayoutWhitespace) {
  EXPECT_DOUBLE_EQ(CharacterErrorRate("Tak for\ndin brev", "Tak  for din\n\nbrev"), 0.0);
}

TEST(TextMetricsTest, CharacterErrorRateCountsInvalidBytesAsCharacters) {
  EXPECT_DOUBLE_EQ(CharacterErrorRate("ab", "a\xFF"), 0.5);
}

}  // namespace
}  // namespace intake::testing
