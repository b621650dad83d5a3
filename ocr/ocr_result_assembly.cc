#include "ocr/ocr_result_assembly.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <utility>

namespace intake::ocr {
namespace {

// Decodes the UTF-8 sequence at text[*pos] and advances *pos past it. Returns false (and
// leaves *pos) for an invalid or truncated sequence.
bool DecodeUtf8(std::string_view text, size_t* pos, char32_t* out) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(*pos);
  int extra = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    cp = lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    return false;
  }
  if (text.size() - *pos <= static_cast<size_t>(extra)) return false;  // truncated
  for (int i = 1; i <= extra; ++i) {
    const uint8_t b = byte(*pos + i);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms (e.g. 0xC0 0xA0 for a space) and values past U+10FFFF are invalid.
  static constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[extra] || cp > 0x10FFFF) return false;
  *pos += 1 + extra;
  *out = cp;
  return true;
}

bool IsWhitespaceCodePoint(char32_t cp) {
  switch (cp) {
    case U' ':
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case 0x00A0:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200B;
  }
}

float ClampConfidence(float c) {
  if (std::isnan(c)) return 0;
  return std::clamp(c, 0.0f, 100.0f);
}

}  // namespace

bool IsBlankText(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    if (!DecodeUtf8(text, &pos, &cp)) return false;
    if (!IsWhitespaceCodePoint(cp)) return false;
  }
  return true;
}

// Whether the code point is a letter or a digit as far as noise is concerned: ASCII
// letters and digits, the Latin letters of U+00C0..U+024F (æ ø å é ü ...), and anything of
// other scripts outside the punctuation and symbol blocks.
bool IsLetterOrDigit(char32_t cp) {
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) != 0;
  if (cp < 0xC0) return false;  // Latin-1 punctuation and symbols (§ « » ° ...)
  if (cp <= 0x24F) return cp != 0xD7 && cp != 0xF7;  // not × and ÷
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, arrows, symbols ...
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE6F) return false;  // compatibility punctuation
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width punctuation
  return true;
}

bool HasLetterOrDigit(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + length > text.size()) length = 1;
    char32_t cp = length == 1 ? c : c & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (IsLetterOrDigit(cp)) return true;
    i += length;
  }
  return false;
}

void DropNoise(std::vector<RecognizedLine>& lines, const NoiseFilter& filter) {
  for (RecognizedLine& line : lines) {
    std::vector<RecognizedWord> kept;
    for (RecognizedWord& w : line.words) {
      if (IsBlankText(w.text)) continue;
      if (!HasLetterOrDigit(w.text) && w.confidence < filter.min_symbol_word_confidence) {
        continue;  // a speck read as punctuation
      }
      kept.push_back(std::move(w));
    }
    if (!kept.empty()) {
      float sum = 0;
      for (const auto& w : kept) sum += w.confidence;
      if (sum / static_cast<float>(kept.size()) < filter.min_line_confidence) kept.clear();
    }
    line.words = std::move(kept);
  }
}

OcrResult AssembleOcrResult(std::vector<RecognizedLine> lines, float mean_confidence,
                            const NoiseFilter* noise) {
  if (noise != nullptr) DropNoise(lines, *noise);
  OcrResult result;
  int paragraph = -1;
  bool have_previous = false;
  int previous_source_paragraph = 0;
  for (RecognizedLine& in : lines) {
    const int first_word = static_cast<int>(result.words.size());
    const int line_index = static_cast<int>(result.lines.size());
    for (RecognizedWord& w : in.words) {
      if (IsBlankText(w.text)) continue;
      OcrWord word;
      word.text = std::move(w.text);
      word.box = w.box;
      word.confidence = ClampConfidence(w.confidence);
      word.line = line_index;
      result.words.push_back(std::move(word));
    }
    const int word_count = static_cast<int>(result.words.size()) - first_word;
    if (word_count == 0) continue;

    if (!have_previous || in.paragraph != previous_source_paragraph) ++paragraph;
    have_previous = true;
    previous_source_paragraph = in.paragraph;

    OcrLine line;
    line.box = in.box;
    line.baseline_x1 = in.baseline_x1;
    line.baseline_y1 = in.baseline_y1;
    line.baseline_x2 = in.baseline_x2;
    line.baseline_y2 = in.baseline_y2;
    line.first_word = first_word;
    line.word_count = word_count;
    line.paragraph = paragraph;

    if (!result.lines.empty()) {
      result.text += result.lines.back().paragraph == paragraph ? "\n" : "\n\n";
    }
    for (int i = 0; i < word_count; ++i) {
      if (i > 0) result.text += ' ';
      result.text += result.words[first_word + i].text;
    }
    result.lines.push_back(line);
  }
  result.mean_confidence = result.words.empty() ? 0 : ClampConfidence(mean_confidence);
  return result;
}

}  // namespace intake::ocr
