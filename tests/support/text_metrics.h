// Text comparison for OCR tests and benchmarks: the character error rate (CER).
#ifndef INTAKE_TESTS_SUPPORT_TEXT_METRICS_H_
#define INTAKE_TESTS_SUPPORT_TEXT_METRICS_H_

#include <string>
#include <string_view>

namespace intake::testing {

// `text` with every run of whitespace (space, tab, newline ...) replaced by one space and
// without leading or trailing whitespace, so that layout differences do not count.
std::string NormalizeWhitespace(std::string_view text);

// Edit distance (insertions, deletions, substitutions of Unicode code points) between the
// whitespace-normalised texts, divided by the code-point length of the normalised
// `reference`: 0 for equal texts. An empty reference gives 0 for an empty hypothesis, else
// 1. Invalid UTF-8 bytes count as one character each.
double CharacterErrorRate(std::string_view reference, std::string_view hypothesis);

}  // namespace intake::testing

#endif  // INTAKE_TESTS_SUPPORT_TEXT_METRICS_H_
