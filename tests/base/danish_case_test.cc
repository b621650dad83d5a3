#include "base/danish_case.h"

#include <gtest/gtest.h>

#include <string>

namespace intake {
namespace {

TEST(LowerDanish, LowersAsciiAndDanishCapitalsKeepingTheLength) {
  const std::string text = "ÆBLE, ØRESUND og ÅEN – MODTAGET 13 JAN.";
  const std::string lowered = LowerDanish(text);
  EXPECT_EQ(lowered, "æble, øresund og åen – modtaget 13 jan.");
  EXPECT_EQ(lowered.size(), text.size());
}

TEST(LowerDanish, LeavesOtherLettersAndBrokenUtf8Alone) {
  EXPECT_EQ(LowerDanish("École MÜLLER"), "École mÜller");
  const std::string broken = "A\xC3";  // a lead byte at the end
  EXPECT_EQ(LowerDanish(broken), "a\xC3");
  EXPECT_EQ(LowerDanish(""), "");
}

}  // namespace
}  // namespace intake
