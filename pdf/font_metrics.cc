#include "pdf/font_metrics.h"

#include <hpdf.h>

#include <cmath>
#include <filesystem>
#include <system_error>

#include "pdf/hpdf_handles.h"
#include "pdf/text_layer.h"

namespace intake::pdf {

Result<FontMetrics> FontMetrics::Load(const std::string& path) {
  const std::string ctx = "skrifttypen " + path + " kan ikke måles";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error(ErrorCode::kUnavailable,
                 ctx +
                     ": filen findes ikke; installér pakken fonts-dejavu-core eller angiv en "
                     "anden TrueType-fil");
  }
  INTAKE_ASSIGN_OR_RETURN(HpdfDocument doc, HpdfDocument::New());
  // Not embedded: the document only serves to read the font's tables and is never saved.
  const char* name = HPDF_LoadTTFontFromFile(doc.get(), path.c_str(), HPDF_FALSE);
  if (name == nullptr) {
    const Error e = doc.LastError(ctx);
    return Error(ErrorCode::kUnavailable, e.message());
  }
  HPDF_Font font = HPDF_GetFont(doc.get(), name, "WinAnsiEncoding");
  HPDF_Encoder encoder = HPDF_GetEncoder(doc.get(), "WinAnsiEncoding");
  if (font == nullptr || encoder == nullptr) {
    const Error e = doc.LastError(ctx);
    return Error(ErrorCode::kUnavailable, e.message());
  }
  FontMetrics m;
  for (unsigned code = 0; code < 256; ++code) {
    const HPDF_UNICODE u = HPDF_Encoder_GetUnicode(encoder, static_cast<HPDF_UINT16>(code));
    m.advance_em_[code] = HPDF_Font_GetUnicodeWidth(font, u) / 1000.0;
  }
  const HPDF_INT ascent = HPDF_Font_GetAscent(font);
  const HPDF_INT descent = HPDF_Font_GetDescent(font);
  if (ascent > 0) m.ascent_em_ = ascent / 1000.0;
  if (descent != 0) m.descent_em_ = std::abs(descent) / 1000.0;
  return m;
}

double FontMetrics::WidthPt(std::string_view utf8, double size_pt) const {
  double em = 0;
  for (unsigned char c : Utf8ToCp1252(utf8)) em += advance_em_[c];
  return em * size_pt;
}

}  // namespace intake::pdf
