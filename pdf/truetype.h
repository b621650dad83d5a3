// TrueType font files: the one rewrite the writer makes before handing the text font to
// libharu. libharu 2.3.0 embeds every table of the font except the unused glyph outlines,
// so DejaVu Sans's 'post' table with the names of all its 6,253 glyphs (62 KB, 28 KB
// compressed) would be half of every document's font. A PDF viewer finds the glyphs of a
// WinAnsi TrueType font through the (3,1) cmap, so the names are not needed: the rewrite
// turns 'post' into format 3.0 (no names, the same metrics header). All other tables,
// including 'name' with the font's copyright and licence, are kept unchanged.
//
// Thread-safety: pure functions.
#ifndef INTAKE_PDF_TRUETYPE_H_
#define INTAKE_PDF_TRUETYPE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace intake::pdf {

// `font` with its 'post' table reduced to format 3.0 and the table checksums and the
// head checkSumAdjustment recomputed. nullopt when `font` is not a single TrueType font
// with a well-formed table directory and a 'post' table of at least 32 bytes (the
// caller then uses the file unchanged).
std::optional<std::string> WithoutGlyphNames(std::string_view font);

// The OpenType checksum of `table` (sum of big-endian 32-bit words, zero padded).
uint32_t TableChecksum(std::string_view table);

}  // namespace intake::pdf

#endif  // INTAKE_PDF_TRUETYPE_H_
