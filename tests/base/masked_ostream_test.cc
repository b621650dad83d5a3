#include "base/masked_ostream.h"

#include <gtest/gtest.h>

#include <sstream>

namespace intake {
namespace {

TEST(MaskedOstream, MasksCprSplitAcrossInsertions) {
  std::ostringstream target;
  {
    MaskedOstream out(target);
    out << "borger " << "010190" << "-" << 1234 << " mangler\n";
    out << "sidste linje uden linjeskift 0202024321";
  }
  EXPECT_EQ(target.str(), "borger XXXXXX-XXXX mangler\nsidste linje uden linjeskift XXXXXX-XXXX");
}

TEST(MaskedOstream, FlushInTheMiddleOfALineCannotSplitACpr) {
  std::ostringstream target;
  {
    MaskedOstream out(target);
    out << "fejl i række 7\nborger 010190" << std::flush;
    EXPECT_EQ(target.str(), "fejl i række 7\n");
    out << "-1234\n" << std::flush;
    EXPECT_EQ(target.str(), "fejl i række 7\nborger XXXXXX-XXXX\n");
  }
}

}  // namespace
}  // namespace intake
