// FontMetrics: the advance widths of a TrueType font as the PDF writer draws visible text
// (PageContent::texts) with it, so that callers can size, wrap and shorten text to fit a
// box before handing it to the writer (the writer itself never measures for its callers).
//
// Text is measured as the writer shows it: converted with Utf8ToCp1252 (pdf/text_layer.h)
// and drawn with the font's WinAnsiEncoding widths, without kerning.
//
// Thread-safety: an immutable value after Load; may be shared between threads.
#ifndef INTAKE_PDF_FONT_METRICS_H_
#define INTAKE_PDF_FONT_METRICS_H_

#include <array>
#include <string>
#include <string_view>

#include "base/result.h"

namespace intake::pdf {

class FontMetrics {
 public:
  // The widths of the TrueType font at `path` (the file given to WriterOptions::font).
  // kUnavailable when the file is missing or is not a TrueType font libharu can read.
  static Result<FontMetrics> Load(const std::string& path);

  // The advance width in points of `utf8` at `size_pt`, as the writer draws it.
  double WidthPt(std::string_view utf8, double size_pt) const;

  // The font's ascent and descent (positive, below the baseline) in em, from its
  // descriptor: how far glyphs reach above and below the baseline.
  double ascent_em() const { return ascent_em_; }
  double descent_em() const { return descent_em_; }

 private:
  FontMetrics() = default;
  std::array<double, 256> advance_em_{};  // by Windows-1252 code
  double ascent_em_ = 0.8;
  double descent_em_ = 0.25;
};

}  // namespace intake::pdf

#endif  // INTAKE_PDF_FONT_METRICS_H_
