#include "base/masked_ostream.h"

#include "base/cpr_mask.h"

namespace intake {

MaskingStreamBuf::int_type MaskingStreamBuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  line_ += traits_type::to_char_type(ch);
  if (ch == '\n' || ch == '\r') FlushLine();
  return ch;
}

std::streamsize MaskingStreamBuf::xsputn(const char* s, std::streamsize n) {
  for (std::streamsize i = 0; i < n; ++i) {
    line_ += s[i];
    if (s[i] == '\n' || s[i] == '\r') FlushLine();
  }
  return n;
}

int MaskingStreamBuf::sync() {
  // Only whole lines leave on a flush: a CPR split by a flush in the middle of a line
  // would otherwise pass unmasked. The unfinished line follows at the next newline or at
  // destruction.
  const size_t last_newline = line_.rfind('\n');
  if (last_newline != std::string::npos) {
    target_ << MaskCpr(std::string_view(line_).substr(0, last_newline + 1));
    line_.erase(0, last_newline + 1);
  }
  target_.flush();
  return target_ ? 0 : -1;
}

void MaskingStreamBuf::FlushLine() {
  if (line_.empty()) return;
  target_ << MaskCpr(line_);
  line_.clear();
}

}  // namespace intake
