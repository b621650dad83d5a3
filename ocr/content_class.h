// What a page holds, for choosing how its image is archived: text and line art (stored
// bilevel, CCITT G4), continuous-tone grey (photographs, pencil drawings: grey JPEG or
// lossless), or colour (colour photographs, coloured forms and stamps: colour JPEG or
// lossless). Coloured signatures and stamps count as colour: the colour is evidence.
//
// Thread-safety: pure functions.
#ifndef INTAKE_OCR_CONTENT_CLASS_H_
#define INTAKE_OCR_CONTENT_CLASS_H_

#include <string_view>

#include "ocr/leptonica_handles.h"

namespace intake::ocr {

enum class PageContent { kText, kGrayImage, kColorImage };

// "text", "gray_image", "color_image".
std::string_view PageContentName(PageContent content);

struct ContentClassification {
  PageContent content = PageContent::kText;
  // Share of the page in clearly coloured pixels, 0..1 (0 for grey input).
  double color_fraction = 0;
  // Share of ~5 mm tiles that are mostly continuous tone (neither paper nor ink), 0..1.
  double tone_fraction = 0;
};

// Classifies an upright page from its cleaned 8 bpp grey image and, for colour input, its
// 32 bpp colour image (null for grey or bilevel input). `bilevel_input` is true when the
// scan itself was 1 bpp (always text then).
ContentClassification ClassifyContent(const PIX* gray, const PIX* color, int dpi,
                                      bool bilevel_input);

}  // namespace intake::ocr

#endif  // INTAKE_OCR_CONTENT_CLASS_H_
