#include "base/cpr_mask.h"

#include <gtest/gtest.h>

#include <string>

namespace intake {
namespace {

struct MaskCase {
  const char* name;
  std::string input;
  std::string expected;
};

// Keeps ctest's listing readable: the case name instead of a byte dump.
void PrintTo(const MaskCase& c, std::ostream* os) { *os << c.name; }

class CprMaskTest : public ::testing::TestWithParam<MaskCase> {};

TEST_P(CprMaskTest, MasksExactlyTheCprLikeNumbers) {
  const MaskCase& c = GetParam();
  EXPECT_EQ(MaskCpr(c.input), c.expected) << c.name;
  EXPECT_EQ(ContainsCprLike(c.input), c.input != c.expected) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CprMaskTest,
    ::testing::Values(
        MaskCase{"dash", "CPR-nr.: 010190-1234.", "CPR-nr.: XXXXXX-XXXX."},
        MaskCase{"plain ten digits", "0101901234", "XXXXXX-XXXX"},
        MaskCase{"space separator", "født 010190 1234 i Aarhus", "født XXXXXX-XXXX i Aarhus"},
        MaskCase{"spaced pairs", "01 01 90 1234", "XXXXXX-XXXX"},
        MaskCase{"spaced pairs and dash", "01 01 90-1234", "XXXXXX-XXXX"},
        MaskCase{"space dash space", "010190 - 1234", "XXXXXX-XXXX"},
        MaskCase{"slash", "010190/1234", "XXXXXX-XXXX"},
        MaskCase{"dot", "010190.1234", "XXXXXX-XXXX"},
        MaskCase{"en dash", "010190\u20131234", "XXXXXX-XXXX"},
        MaskCase{"minus sign", "010190\u22121234", "XXXXXX-XXXX"},
        MaskCase{"no-break space", "010190\u00a01234", "XXXXXX-XXXX"},
        MaskCase{"letters touching", "CPR0101901234x", "CPRXXXXXX-XXXXx"},
        MaskCase{"invalid date still masked", "991399-1234", "XXXXXX-XXXX"},
        MaskCase{"failing modulus 11 still masked", "010190-1235", "XXXXXX-XXXX"},
        MaskCase{"OCR letter O inside", "01O190-1234", "XXXXXX-XXXX"},
        MaskCase{"OCR letter l inside", "0l0190-l234", "XXXXXX-XXXX"},
        MaskCase{"two numbers", "a 010190-1234 b 311299 4321 c", "a XXXXXX-XXXX b XXXXXX-XXXX c"},
        MaskCase{"Danish letters around", "Æble ø 010190-1234 å", "Æble ø XXXXXX-XXXX å"},
        MaskCase{"inside JSON", "{\"cpr\":\"0101901234\"}", "{\"cpr\":\"XXXXXX-XXXX\"}"},
        MaskCase{"eleven digits kept", "12345678901", "12345678901"},
        MaskCase{"longer run kept", "x 123456789012345 y", "x 123456789012345 y"},
        MaskCase{"phone eight digits kept", "Tlf. 12 34 56 78", "Tlf. 12 34 56 78"},
        MaskCase{"date kept", "den 11.01.2012", "den 11.01.2012"},
        MaskCase{"case number kept", "Sagsnr. 2024-0123456", "Sagsnr. 2024-0123456"},
        MaskCase{"SBSYS number kept", "27.24.00-G01-5-19", "27.24.00-G01-5-19"},
        MaskCase{"CVR kept", "CVR 13748136", "CVR 13748136"},
        MaskCase{"amount kept", "kr. 1.234.567,00", "kr. 1.234.567,00"},
        MaskCase{"too many lookalikes kept", "OlOl9O-l234", "OlOl9O-l234"},
        MaskCase{"broken after the dash", "CPR-nr.: 010190-\n1234", "CPR-nr.: XXXXXX-XXXX"},
        MaskCase{"broken without a dash", "010190\n1234 og", "XXXXXX-XXXX og"},
        MaskCase{"broken with CR LF and indentation", "010190 -\r\n   1234", "XXXXXX-XXXX"},
        MaskCase{"snippet with the break collapsed", "010190- 1234", "XXXXXX-XXXX"},
        MaskCase{"two line breaks kept", "010190\n\n1234", "010190\n\n1234"},
        MaskCase{"empty", "", ""}),
    [](const ::testing::TestParamInfo<MaskCase>& p) {
      std::string name = p.param.name;
      for (char& c : name) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(CprMask, MaskingIsIdempotent) {
  const std::string once = MaskCpr("CPR 010190-1234 og 0202024321");
  EXPECT_EQ(MaskCpr(once), once);
  EXPECT_FALSE(ContainsCprLike(once));
}

TEST(CprMask, LeavesTextWithoutNumbersUntouched) {
  const std::string text = "Brev fra borger af 11. januar 2012 om forværrede helbredsforhold";
  EXPECT_EQ(MaskCpr(text), text);
}

}  // namespace
}  // namespace intake
