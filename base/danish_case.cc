#include "base/danish_case.h"

namespace intake {

std::string LowerDanish(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < out.size()) {
      // Æ (C3 86), Ø (C3 98), Å (C3 85) -> æ (C3 A6), ø (C3 B8), å (C3 A5).
      const unsigned char next = static_cast<unsigned char>(out[i + 1]);
      if (next == 0x86 || next == 0x98 || next == 0x85) out[i + 1] = static_cast<char>(next + 0x20);
    }
  }
  return out;
}

}  // namespace intake
