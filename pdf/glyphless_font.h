// The text layer's own font: a small TrueType font whose glyphs are plain boxes.
//
// The OCR text layer is never painted (text rendering mode 3), so its glyph shapes are
// never seen; only the character codes, the widths and the ToUnicode map matter (search,
// selection, copy and paste). Embedding DejaVu Sans costs about 25–28 KB per document
// even as a subset, more than the CCITT image of a text page; this font costs about 1 KB.
// It has one glyph for every character Windows-1252 can show (Danish æ ø å Æ Ø Å and the
// rest of Latin-1, € and the typographic quotes), so no shown code maps to .notdef
// (PDF/A-2 6.2.11.8), and each glyph is a real (box) outline of a fixed advance width.
// All tables a TrueType font needs, and all libharu 2.3.0 requires, are present.
//
// Thread-safety: pure function.
#ifndef INTAKE_PDF_GLYPHLESS_FONT_H_
#define INTAKE_PDF_GLYPHLESS_FONT_H_

#include <string>

namespace intake::pdf {

// The font's PostScript name (it is embedded as a subset, "ABCDEF+IntakeTextLayer").
inline constexpr const char kGlyphlessFontName[] = "IntakeTextLayer";

// The complete font file.
std::string BuildGlyphlessFont();

}  // namespace intake::pdf

#endif  // INTAKE_PDF_GLYPHLESS_FONT_H_
