// Lower-casing for matching Danish words in text (dates, cues, title rules).
//
// Only ASCII letters and Æ Ø Å are lowered, byte for byte, so the result has the same
// length as the input and byte offsets found in it are offsets into the input. Other
// letters (É, Ü ...) are left as they are; invalid UTF-8 passes through unchanged.
//
// Thread-safety: pure function.
#ifndef INTAKE_BASE_DANISH_CASE_H_
#define INTAKE_BASE_DANISH_CASE_H_

#include <string>
#include <string_view>

namespace intake {

std::string LowerDanish(std::string_view text);

}  // namespace intake

#endif  // INTAKE_BASE_DANISH_CASE_H_
