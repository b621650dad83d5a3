// Masking of CPR numbers (Danish personal identity numbers) in free text.
//
// Every log line, error message and other text that may leave the process passes
// through MaskCpr. It recognises the detection pattern of DOMAIN.md section 5
// (DDMMYY, optional spaces between the pairs, an optional separator, SSSS) WITHOUT any
// validity filtering, so garbled or invalid candidates are masked as well. Over-masking
// (a ten-digit phone number written like a CPR) is accepted: leaking is not.
//
// Recognised on top of the plain pattern, because text comes from OCR and from people:
// Unicode dashes (U+2010..U+2015, U+2212), no-break and thin spaces, " - " separators,
// letters touching the number ("CPR0101901234"), and the OCR confusions O/o/D -> 0,
// I/l/| -> 1, S -> 5, B -> 8 when at least eight of the ten characters are real digits.
//
// Thread-safety: pure functions.
#ifndef INTAKE_BASE_CPR_MASK_H_
#define INTAKE_BASE_CPR_MASK_H_

#include <string>
#include <string_view>

namespace intake {

// What a masked CPR number is replaced with.
inline constexpr std::string_view kCprMask = "XXXXXX-XXXX";

// Returns `text` with every CPR-like number replaced by kCprMask.
std::string MaskCpr(std::string_view text);

// True if `text` holds at least one CPR-like number (the same rule as MaskCpr).
bool ContainsCprLike(std::string_view text);

}  // namespace intake

#endif  // INTAKE_BASE_CPR_MASK_H_
