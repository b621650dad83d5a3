// Minimal strict UTF-8 decoding and encoding for the metadata and text-layer conversions.
//
// Thread-safety: pure functions.
#ifndef INTAKE_PDF_UTF8_H_
#define INTAKE_PDF_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace intake::pdf {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point starting at `*pos` and advances `*pos` past it. An invalid or
// truncated sequence, an overlong form, a surrogate or a value above U+10FFFF yields
// U+FFFD and advances by one byte. REQUIRES: *pos < text.size().
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends `cp` in UTF-8. REQUIRES: cp is a Unicode scalar value.
void AppendUtf8(std::string* out, char32_t cp);

}  // namespace intake::pdf

#endif  // INTAKE_PDF_UTF8_H_
