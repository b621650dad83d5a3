#include "ocr/null_ocr_engine.h"

#include <gtest/gtest.h>

#include <chrono>

namespace intake::ocr {
namespace {

TEST(NullOcrEngineTest, ReturnsNoTextAndDescribesItselfAsNoOcr) {
  NullOcrEngine engine;
  PixPtr page(pixCreate(100, 50, 8));
  ASSERT_NE(page, nullptr);
  // Even a deadline in the past does not matter: there is nothing to do.
  const auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  Result<OcrResult> r = engine.Recognize(page.get(), 300, past);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->words.empty());
  EXPECT_TRUE(r->lines.empty());
  EXPECT_EQ(r->text, "");
  EXPECT_EQ(r->mean_confidence, 0);
  EXPECT_EQ(engine.Describe(), "ingen OCR");
}

}  // namespace
}  // namespace intake::ocr
