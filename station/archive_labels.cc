#include "station/archive_labels.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <exception>
#include <iterator>
#include <memory>
#include <utility>

#include "base/cpr_mask.h"
#include "pdf/font_metrics.h"
#include "pdf/pdfa_writer.h"
#include "pdf/utf8.h"

namespace intake::station {
namespace {

// ---------------------------------------------------------------------------------------
// Page geometry: A4 at 300 dpi; positions of text in points from the top-left corner.

constexpr int kDpi = 300;
constexpr double kMmPerInch = 25.4;
constexpr double kPtPerInch = 72.0;
constexpr int kPageWidthPx = 2480;   // 210 mm
constexpr int kPageHeightPx = 3508;  // 297 mm
constexpr int kCode128ModulePx = 4;  // kCode128ModuleMm at kDpi
static_assert(kCode128ModuleMm * kDpi / kMmPerInch > kCode128ModulePx - 0.01 &&
              kCode128ModuleMm * kDpi / kMmPerInch < kCode128ModulePx + 0.01);
// zxing-cpp's MultiFormatWriter maps ECC levels 0-8 to QR levels by (level - 1) / 2:
// 5 is Q (25 % of the symbol may be lost: a torn or stained label still reads).
constexpr int kQrEccLevel = 5;
constexpr int kQrQuietModules = 4;
constexpr double kMinQrModuleMm = 0.5;
constexpr char kEllipsis[] = "…";

constexpr int MmToPx(double mm) { return static_cast<int>(mm * kDpi / kMmPerInch + 0.5); }
constexpr double PxToPt(double px) { return px * kPtPerInch / kDpi; }
constexpr double PtToPx(double pt) { return pt * kDpi / kPtPerInch; }
constexpr double MmToPt(double mm) { return mm * kPtPerInch / kMmPerInch; }

const int kMinQrModulePx = static_cast<int>(std::ceil(kMinQrModuleMm * kDpi / kMmPerInch));  // 6 px

// ---------------------------------------------------------------------------------------
// Input checks

size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (size_t pos = 0; pos < text.size(); ++n) pdf::DecodeUtf8(text, &pos);
  return n;
}

// Why a UTF-8 text cannot be printed: "" when it can, else the Danish reason.
std::string TextProblem(std::string_view value) {
  size_t pos = 0;
  while (pos < value.size()) {
    const size_t start = pos;
    const char32_t cp = pdf::DecodeUtf8(value, &pos);
    if (cp == pdf::kReplacementCharacter && value.substr(start, 3) != "\xEF\xBF\xBD") {
      return "er ikke gyldig UTF-8";
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return "indeholder et styretegn";
  }
  return "";
}

// `text` with control characters (tabs, line breaks) turned into spaces, and cut after
// kMaxEntryTextChars characters (more never fits in a cell; this bounds the layout work);
// for entry texts, which come from the journal and are shown on one or two lines.
constexpr size_t kMaxEntryTextChars = 600;
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), 4 * kMaxEntryTextChars));
  size_t pos = 0;
  for (size_t n = 0; pos < text.size() && n < kMaxEntryTextChars; ++n) {
    const size_t start = pos;
    const char32_t cp = pdf::DecodeUtf8(text, &pos);
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      out += ' ';
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  return out;
}

// `who` names the label in Danish: "etiket nr. 3" or "kassen".
Status CheckLabel(const LabelSpec& label, const std::string& who) {
  const std::string refused = who + " kan ikke udskrives: ";
  const std::string& code = label.barcode;
  if (code.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 refused + "stregkoden er tom; angiv placeringens eller kassens stregkode");
  }
  if (code.size() > kMaxLabelBarcodeLength) {
    return Error(ErrorCode::kInvalidArgument,
                 refused + "stregkoden er " + std::to_string(code.size()) + " tegn lang; højst " +
                     std::to_string(kMaxLabelBarcodeLength) + " tegn passer på en etiket");
  }
  for (unsigned char c : code) {
    if (c < 0x20 || c > 0x7E) {
      return Error(ErrorCode::kInvalidArgument,
                   refused +
                       "stregkoden indeholder et tegn uden for ASCII (fx æ, ø, å) eller et "
                       "styretegn, som en håndscanner ikke kan skrive; brug A-Z, 0-9 og -._/");
    }
  }
  if (code.front() == ' ' || code.back() == ' ') {
    return Error(ErrorCode::kInvalidArgument,
                 refused + "stregkoden begynder eller slutter med et mellemrum; fjern det");
  }
  if (ContainsCprLike(code)) {
    return Error(ErrorCode::kInvalidArgument,
                 refused +
                     "stregkoden ligner et CPR-nummer, og et CPR-nummer må aldrig stå på en "
                     "etiket; giv placeringen en anden stregkode");
  }
  const std::pair<const std::string*, const char*> fields[] = {
      {&label.kind, "typen"}, {&label.name, "navnet"}, {&label.path_text, "placeringen"}};
  for (const auto& [value, what] : fields) {
    const std::string problem = TextProblem(*value);
    if (!problem.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   refused + std::string(what) + " " + problem + "; ret det");
    }
  }
  if (label.kind.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 refused + "typen mangler (fx \"kasse\" eller \"hylde\"); angiv den");
  }
  if (label.name.empty()) {
    return Error(ErrorCode::kInvalidArgument, refused + "navnet mangler; angiv det");
  }
  return OkStatus();
}

// Upper case for the kind line: ASCII and the Latin-1 letters (æ ø å → Æ Ø Å).
std::string UpperDanish(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = pdf::DecodeUtf8(text, &pos);
    if ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)) cp -= 0x20;
    pdf::AppendUtf8(&out, cp);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Symbols

Result<ZXing::BitMatrix> EncodeQr(const std::string& text) {
  ZXing::BitMatrix matrix;
  try {
    matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                 .setMargin(0)
                 .setEccLevel(kQrEccLevel)
                 .encode(text, 0, 0);
  } catch (const std::exception& e) {  // invalid_argument for an impossible payload
    return Error(ErrorCode::kInternal,
                 std::string("etikettens QR-kode kan ikke dannes (zxing-cpp: ") + e.what() + ")");
  }
  if (matrix.width() <= 0 || matrix.height() != matrix.width()) {
    return Error(ErrorCode::kInternal, "zxing-cpp dannede en QR-kode uden moduler");
  }
  return matrix;
}

// The modules of the Code 128 symbol of `text`, left to right, true = bar.
Result<std::vector<bool>> EncodeCode128(const std::string& text) {
  ZXing::BitMatrix matrix;
  try {
    matrix =
        ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128).setMargin(0).encode(text, 0, 1);
  } catch (const std::exception& e) {
    return Error(
        ErrorCode::kInternal,
        std::string("etikettens Code 128-stregkode kan ikke dannes (zxing-cpp: ") + e.what() + ")");
  }
  if (matrix.width() <= 0 || matrix.height() <= 0) {
    return Error(ErrorCode::kInternal, "zxing-cpp dannede en Code 128-stregkode uden moduler");
  }
  std::vector<bool> modules(static_cast<size_t>(matrix.width()));
  for (int x = 0; x < matrix.width(); ++x) modules[static_cast<size_t>(x)] = matrix.get(x, 0);
  if (!modules.front() || !modules.back()) {
    return Error(ErrorCode::kInternal, "zxing-cpp dannede en Code 128-stregkode med margen");
  }
  return modules;
}

// Both symbols of one barcode.
struct Symbols {
  ZXing::BitMatrix qr;
  std::vector<bool> code128;
  int qr_modules() const { return qr.width(); }
  int code128_width_px() const { return static_cast<int>(code128.size()) * kCode128ModulePx; }
};

Result<Symbols> EncodeSymbols(const std::string& barcode) {
  Symbols s;
  INTAKE_ASSIGN_OR_RETURN(s.qr, EncodeQr(barcode));
  INTAKE_ASSIGN_OR_RETURN(s.code128, EncodeCode128(barcode));
  return s;
}

// A white A4 bilevel page raster to draw symbols and rules on.
class Canvas {
 public:
  Canvas() {
    raster_.kind = pdf::PageRaster::Kind::kBilevel;
    raster_.width = kPageWidthPx;
    raster_.height = kPageHeightPx;
    raster_.dpi = kDpi;
    raster_.stride = (kPageWidthPx + 7) / 8;
    raster_.pixels.assign(static_cast<size_t>(raster_.stride) * raster_.height, 0);
  }

  // Blackens the rectangle (clipped to the page).
  void Fill(int x, int y, int w, int h) {
    const int x0 = std::max(0, x), y0 = std::max(0, y);
    const int x1 = std::min(kPageWidthPx, x + w), y1 = std::min(kPageHeightPx, y + h);
    for (int yy = y0; yy < y1; ++yy) {
      uint8_t* row = raster_.pixels.data() + static_cast<size_t>(yy) * raster_.stride;
      for (int xx = x0; xx < x1; ++xx) row[xx >> 3] |= static_cast<uint8_t>(0x80u >> (xx & 7));
    }
  }

  // A dashed cut line, horizontal (from x0 to x1 at y) or vertical (from y0 to y1 at x).
  void DashedHorizontal(int y, int x0, int x1) {
    for (int x = x0; x < x1; x += kDash + kGap) Fill(x, y, std::min(kDash, x1 - x), 2);
  }
  void DashedVertical(int x, int y0, int y1) {
    for (int y = y0; y < y1; y += kDash + kGap) Fill(x, y, 2, std::min(kDash, y1 - y));
  }

  // The QR code with its top-left module at (x, y).
  void Qr(const ZXing::BitMatrix& m, int x, int y, int module_px) {
    for (int my = 0; my < m.height(); ++my) {
      for (int mx = 0; mx < m.width(); ++mx) {
        if (m.get(mx, my)) Fill(x + mx * module_px, y + my * module_px, module_px, module_px);
      }
    }
  }

  // The Code 128 bars with the first bar's left edge at x.
  void Code128(const std::vector<bool>& modules, int x, int y, int height) {
    for (size_t i = 0; i < modules.size(); ++i) {
      if (modules[i]) Fill(x + static_cast<int>(i) * kCode128ModulePx, y, kCode128ModulePx, height);
    }
  }

  pdf::PageRaster Take() { return std::move(raster_); }

 private:
  static constexpr int kDash = MmToPx(3);
  static constexpr int kGap = MmToPx(2);
  pdf::PageRaster raster_;
};

// ---------------------------------------------------------------------------------------
// Text

// Measures, fits and places visible text. Positions in points from the page's top left.
class Typesetter {
 public:
  explicit Typesetter(const pdf::FontMetrics& metrics) : metrics_(metrics) {}

  double Width(std::string_view text, double size) const { return metrics_.WidthPt(text, size); }
  double Ascent(double size) const { return metrics_.ascent_em() * size; }
  double Descent(double size) const { return metrics_.descent_em() * size; }
  double LineHeight(double size) const { return Ascent(size) + Descent(size); }

  // `text` if it fits in `width` points at `size`, else WithEllipsis.
  std::string Shorten(std::string_view text, double size, double width) const {
    if (Width(text, size) <= width) return std::string(text);
    return WithEllipsis(text, size, width);
  }

  // The longest start of `text` (at a character boundary, trailing spaces dropped)
  // followed by "…" that fits in `width` points at `size`.
  std::string WithEllipsis(std::string_view text, double size, double width) const {
    std::vector<size_t> ends;  // byte offsets after each code point
    for (size_t pos = 0; pos < text.size();) {
      pdf::DecodeUtf8(text, &pos);
      ends.push_back(pos);
    }
    for (size_t n = ends.size(); n-- > 0;) {
      std::string head(text.substr(0, ends[n]));
      while (!head.empty() && head.back() == ' ') head.pop_back();
      if (Width(head + kEllipsis, size) <= width) return head + kEllipsis;
    }
    return kEllipsis;
  }

  // `text` broken at spaces into lines of at most `width` points at `size`, at most
  // `max_lines` of them: a word wider than a line is broken inside, and when the text
  // needs more lines the last one ends in "…". REQUIRES: max_lines >= 1.
  std::vector<std::string> Wrap(std::string_view text, double size, double width,
                                size_t max_lines) const {
    std::vector<std::string> lines;
    std::string current;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t space = text.find(' ', pos);
      if (space == std::string_view::npos) space = text.size();
      std::string word(text.substr(pos, space - pos));
      pos = space + 1;
      if (word.empty()) continue;
      std::string joined = current.empty() ? word : current + " " + word;
      if (Width(joined, size) <= width) {
        current = std::move(joined);
        continue;
      }
      if (!current.empty()) lines.push_back(std::move(current));
      current.clear();
      // The word starts a line; break it while it is wider than one.
      while (Width(word, size) > width) {
        size_t cut = 0;
        while (cut < word.size()) {
          size_t probe = cut;
          pdf::DecodeUtf8(word, &probe);
          if (Width(std::string_view(word).substr(0, probe), size) > width) break;
          cut = probe;
        }
        if (cut == 0) pdf::DecodeUtf8(word, &cut);  // at least one character a line
        lines.push_back(word.substr(0, cut));
        word.erase(0, cut);
      }
      current = std::move(word);
    }
    if (!current.empty()) lines.push_back(std::move(current));
    if (lines.size() > max_lines) {
      lines.resize(max_lines);
      lines.back() = WithEllipsis(lines.back() + " ", size, width);
    }
    return lines;
  }

  // The largest size from `max_size` down to `min_size` (in steps of 1 pt) at which
  // `text` fits in `width` on one line; `min_size` when none does.
  double FitSize(std::string_view text, double max_size, double min_size, double width) const {
    for (double size = max_size; size > min_size; size -= 1) {
      if (Width(text, size) <= width) return size;
    }
    return min_size;
  }

  void Text(std::string text, double x_pt, double baseline_pt, double size) {
    if (text.empty()) return;
    texts_.push_back(pdf::VisibleText{std::move(text), x_pt, baseline_pt, size});
  }
  void Centred(std::string text, double centre_pt, double baseline_pt, double size) {
    const double x = centre_pt - Width(text, size) / 2;
    Text(std::move(text), x, baseline_pt, size);
  }
  void RightAligned(std::string text, double right_pt, double baseline_pt, double size) {
    const double x = right_pt - Width(text, size);
    Text(std::move(text), x, baseline_pt, size);
  }

  std::vector<pdf::VisibleText> Take() { return std::move(texts_); }

 private:
  const pdf::FontMetrics& metrics_;
  std::vector<pdf::VisibleText> texts_;
};

// ---------------------------------------------------------------------------------------
// Labels

// The QR module size for a symbol of `modules` modules meant to be about `side_px` wide.
int QrModulePx(int modules, int side_px) { return std::max(kMinQrModulePx, side_px / modules); }

// Box label: the upper or lower half of an A4 page (210 x 148.5 mm), origin at `top_px`.
Status DrawBoxLabel(const LabelSpec& label, const Symbols& symbols, int top_px, Canvas* canvas,
                    Typesetter* ts) {
  const int pad = MmToPx(12);
  const int height = kPageHeightPx / kBoxLabelsPerPage;
  // QR code at the top right, about 48 mm wide.
  const int qr_module = QrModulePx(symbols.qr_modules(), MmToPx(48));
  const int qr_side = symbols.qr_modules() * qr_module;
  const int qr_x = kPageWidthPx - pad - qr_side;
  const int qr_y = top_px + pad;
  canvas->Qr(symbols.qr, qr_x, qr_y, qr_module);

  // Kind, name and path at the top left, beside the QR code's quiet zone.
  const double left = PxToPt(pad);
  const double text_width = PxToPt(qr_x - kQrQuietModules * qr_module - MmToPx(4)) - left;
  double y = PxToPt(top_px + pad);
  const double kind_size = 16;
  y += ts->Ascent(kind_size);
  ts->Text(ts->Shorten(UpperDanish(label.kind), kind_size, text_width), left, y, kind_size);
  y += ts->Descent(kind_size) + MmToPt(2);
  const std::string name = MaskCpr(label.name);
  const double name_size = ts->FitSize(name, 40, 24, text_width);
  for (const std::string& line : ts->Wrap(name, name_size, text_width, 2)) {
    y += ts->Ascent(name_size);
    ts->Text(line, left, y, name_size);
    y += ts->Descent(name_size);
  }
  if (!label.path_text.empty()) {
    const double path_size = 13;
    y += MmToPt(3);
    for (const std::string& line : ts->Wrap(MaskCpr(label.path_text), path_size, text_width, 3)) {
      y += ts->Ascent(path_size);
      ts->Text(line, left, y, path_size);
      y += ts->Descent(path_size);
    }
  }

  // Code 128 centred at the bottom, the barcode in text under it.
  const double code_size = 20;
  const double code_baseline = PxToPt(top_px + height - pad) - ts->Descent(code_size);
  const int bars_bottom =
      static_cast<int>(PtToPx(code_baseline - ts->Ascent(code_size))) - MmToPx(1.5);
  const int bars_height = MmToPx(22);
  const int bars_top = bars_bottom - bars_height;
  const int bars_x = (kPageWidthPx - symbols.code128_width_px()) / 2;
  const int quiet = kCode128QuietModules * kCode128ModulePx;
  if (bars_x - quiet < pad / 2 || PtToPx(y) + MmToPx(4) > bars_top ||
      qr_y + qr_side + kQrQuietModules * qr_module > bars_top) {
    return Error(ErrorCode::kInternal, "kasseetikettens felter overlapper (layoutfejl)");
  }
  canvas->Code128(symbols.code128, bars_x, bars_top, bars_height);
  ts->Centred(label.barcode, PxToPt(kPageWidthPx / 2.0), code_baseline, code_size);
  return OkStatus();
}

constexpr int kShelfMarginPx = MmToPx(10);
constexpr int kShelfLeftPx = kShelfMarginPx;
constexpr int kShelfRightPx = kPageWidthPx - kShelfMarginPx;
constexpr int kShelfHeightPx = (kPageHeightPx - 2 * kShelfMarginPx) / kShelfLabelsPerPage;
constexpr int kShelfTopPx = (kPageHeightPx - kShelfLabelsPerPage * kShelfHeightPx) / 2;

// Shelf strip: 190 x 39.5 mm, origin at (kShelfLeftPx, top_px).
Status DrawShelfLabel(const LabelSpec& label, const Symbols& symbols, int top_px, Canvas* canvas,
                      Typesetter* ts) {
  const int pad = MmToPx(3);
  // QR code at the left, as high as the strip allows with its quiet zone.
  const int avail = kShelfHeightPx - 2 * pad;
  const int modules = symbols.qr_modules();
  const int qr_module = std::max(kMinQrModulePx, avail / (modules + 2 * kQrQuietModules));
  const int qr_side = modules * qr_module;
  const int qr_quiet = kQrQuietModules * qr_module;
  if (qr_side + 2 * qr_quiet > avail) {
    return Error(ErrorCode::kInternal, "hyldeetikettens QR-kode er for stor til strimlen");
  }
  const int qr_x = kShelfLeftPx + pad + qr_quiet;
  const int qr_y = top_px + (kShelfHeightPx - qr_side) / 2;
  canvas->Qr(symbols.qr, qr_x, qr_y, qr_module);

  // The column right of it: text aligned with the bars, which keep their quiet zone.
  const int quiet = kCode128QuietModules * kCode128ModulePx;
  const int column_px = qr_x + qr_side + qr_quiet + quiet;
  const double left = PxToPt(column_px);
  const double text_width = PxToPt(kShelfRightPx - pad) - left;
  double y = PxToPt(top_px + pad);
  const double kind_size = 8, name_size = 16, path_size = 8, code_size = 11;
  y += ts->Ascent(kind_size);
  ts->Text(ts->Shorten(UpperDanish(label.kind), kind_size, text_width), left, y, kind_size);
  y += ts->Descent(kind_size) + 1;
  y += ts->Ascent(name_size);
  ts->Text(ts->Shorten(MaskCpr(label.name), name_size, text_width), left, y, name_size);
  y += ts->Descent(name_size);
  if (!label.path_text.empty()) {
    y += 1 + ts->Ascent(path_size);
    ts->Text(ts->Shorten(MaskCpr(label.path_text), path_size, text_width), left, y, path_size);
    y += ts->Descent(path_size);
  }
  const double code_baseline = PxToPt(top_px + kShelfHeightPx - pad) - ts->Descent(code_size);
  const int bars_bottom =
      static_cast<int>(PtToPx(code_baseline - ts->Ascent(code_size))) - MmToPx(0.8);
  const int bars_top = static_cast<int>(PtToPx(y)) + MmToPx(1.5);
  if (bars_bottom - bars_top < MmToPx(9) ||
      column_px + symbols.code128_width_px() + quiet > kShelfRightPx) {
    return Error(ErrorCode::kInternal, "hyldeetikettens stregkode passer ikke på strimlen");
  }
  canvas->Code128(symbols.code128, column_px, bars_top, bars_bottom - bars_top);
  ts->Text(label.barcode, left, code_baseline, code_size);
  return OkStatus();
}

Result<std::unique_ptr<pdf::PdfAWriter>> NewWriter(const LabelOptions& options) {
  pdf::WriterOptions w;
  w.font = options.font;
  w.icc_profile = options.icc_profile;
  return pdf::PdfAWriter::Create(w);
}

Status AddPage(pdf::PdfAWriter* writer, Canvas* canvas, Typesetter* ts) {
  pdf::PageContent page;
  page.image = canvas->Take();
  page.encoding = pdf::ImageEncoding::kCcittG4;
  page.texts = ts->Take();
  return writer->AddPage(page);
}

// ---------------------------------------------------------------------------------------
// Contents list

struct Column {
  const char* heading;
  double width_mm;
  bool right_aligned;
};
// Case, running number, document id, title (with the note under it), received date.
constexpr Column kColumns[] = {{"Sag", 38, false},
                               {"Nr.", 11, true},
                               {"Dok.-id", 19, true},
                               {"Titel", 93, false},
                               {"Modtaget", 24, false}};
constexpr double kCellGapMm = 2;
constexpr int kListMarginPx = MmToPx(12);

// The header of every contents-list page; returns where it ends (pixels from the top).
Result<int> DrawListHeader(const LabelSpec& box, const Symbols& symbols, size_t count,
                           Canvas* canvas, Typesetter* ts) {
  const int pad = kListMarginPx;
  const int qr_module = QrModulePx(symbols.qr_modules(), MmToPx(30));
  const int qr_side = symbols.qr_modules() * qr_module;
  const int qr_x = kPageWidthPx - pad - qr_side;
  const int qr_y = pad;
  canvas->Qr(symbols.qr, qr_x, qr_y, qr_module);

  const double left = PxToPt(pad);
  const double text_width = PxToPt(qr_x - kQrQuietModules * qr_module - MmToPx(4)) - left;
  double y = PxToPt(pad);
  const double title_size = 18, name_size = 14, small = 9;
  y += ts->Ascent(title_size);
  ts->Text("INDHOLDSLISTE", left, y, title_size);
  y += ts->Descent(title_size) + 2 + ts->Ascent(small);
  ts->Text(ts->Shorten(UpperDanish(box.kind), small, text_width), left, y, small);
  y += ts->Descent(small) + ts->Ascent(name_size);
  ts->Text(ts->Shorten(MaskCpr(box.name), name_size, text_width), left, y, name_size);
  y += ts->Descent(name_size);
  if (!box.path_text.empty()) {
    y += 1 + ts->Ascent(small);
    ts->Text(ts->Shorten(MaskCpr(box.path_text), small, text_width), left, y, small);
    y += ts->Descent(small);
  }
  y += 1 + ts->Ascent(small);
  ts->Text(count == 1 ? "1 original" : std::to_string(count) + " originaler", left, y, small);
  y += ts->Descent(small);

  // Code 128 under the text, its quiet zone inside the margin's white.
  const int bars_top = static_cast<int>(PtToPx(y)) + MmToPx(3);
  const int bars_height = MmToPx(11);
  const int quiet = kCode128QuietModules * kCode128ModulePx;
  const int bars_x = pad + quiet;
  if (bars_x + symbols.code128_width_px() + quiet > qr_x - kQrQuietModules * qr_module &&
      bars_top < qr_y + qr_side + kQrQuietModules * qr_module) {
    return Error(ErrorCode::kInternal, "indholdslistens stregkoder overlapper (layoutfejl)");
  }
  canvas->Code128(symbols.code128, bars_x, bars_top, bars_height);
  const double code_size = 10;
  const double code_baseline = PxToPt(bars_top + bars_height + MmToPx(1)) + ts->Ascent(code_size);
  ts->Text(box.barcode, PxToPt(bars_x), code_baseline, code_size);
  const int text_bottom = static_cast<int>(PtToPx(code_baseline + ts->Descent(code_size)));
  return std::max(text_bottom, qr_y + qr_side + kQrQuietModules * qr_module) + MmToPx(3);
}

// The cells of one original: a first and a second line per column.
struct Row {
  std::string cells[5];
  std::string second_line;  // under the title: its continuation or the note
};

Row MakeRow(const ContentsEntry& e, const Typesetter& ts, double size, double note_size) {
  Row row;
  const auto width = [](int column) { return MmToPt(kColumns[column].width_mm - kCellGapMm); };
  row.cells[0] = ts.Shorten(MaskCpr(OneLine(e.case_ref)), size, width(0));
  row.cells[1] = ts.Shorten(std::to_string(e.doc_number), size, width(1));
  row.cells[2] = ts.Shorten(std::to_string(e.document_id), size, width(2));
  row.cells[4] = ts.Shorten(OneLine(e.received_date), size, width(4));
  const std::string title = MaskCpr(OneLine(e.title));
  const std::string note = MaskCpr(OneLine(e.note));
  const bool has_note = note.find_first_not_of(' ') != std::string::npos;
  const std::vector<std::string> lines = ts.Wrap(title, size, width(3), has_note ? 1 : 2);
  row.cells[3] = lines.empty() ? std::string("(uden titel)") : lines[0];
  if (has_note) {
    row.second_line = ts.Shorten("Note: " + note, note_size, width(3));
  } else if (lines.size() > 1) {
    row.second_line = lines[1];
  }
  return row;
}

}  // namespace

Result<std::string> MakeLocationLabels(const std::vector<LabelSpec>& labels, LabelFormat format,
                                       const LabelOptions& options) {
  if (labels.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "der er ingen etiketter at udskrive; angiv mindst én placering eller kasse");
  }
  if (labels.size() > kMaxLabels) {
    return Error(ErrorCode::kInvalidArgument, std::to_string(labels.size()) +
                                                  " etiketter er for mange i én fil; højst " +
                                                  std::to_string(kMaxLabels) + " ad gangen");
  }
  std::vector<Symbols> symbols;
  symbols.reserve(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string who = "etiket nr. " + std::to_string(i + 1);
    INTAKE_RETURN_IF_ERROR(CheckLabel(labels[i], who));
    auto s = EncodeSymbols(labels[i].barcode);
    if (!s) return s.error().WithContext(who);
    symbols.push_back(std::move(*s));
  }
  INTAKE_ASSIGN_OR_RETURN(const pdf::FontMetrics metrics, pdf::FontMetrics::Load(options.font));
  INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<pdf::PdfAWriter> writer, NewWriter(options));
  const bool box = format == LabelFormat::kBox;
  const size_t per_page = box ? kBoxLabelsPerPage : kShelfLabelsPerPage;
  for (size_t first = 0; first < labels.size(); first += per_page) {
    Canvas canvas;
    Typesetter ts(metrics);
    const size_t end = std::min(labels.size(), first + per_page);
    for (size_t i = first; i < end; ++i) {
      const int slot = static_cast<int>(i - first);
      Status drawn = box ? DrawBoxLabel(labels[i], symbols[i],
                                        slot * (kPageHeightPx / kBoxLabelsPerPage), &canvas, &ts)
                         : DrawShelfLabel(labels[i], symbols[i],
                                          kShelfTopPx + slot * kShelfHeightPx, &canvas, &ts);
      if (!drawn) return drawn.error().WithContext("etiket nr. " + std::to_string(i + 1));
    }
    // Cut lines between the labels (and round the shelf strips).
    const int slots = static_cast<int>(end - first);
    if (box) {
      if (slots > 1) canvas.DashedHorizontal(kPageHeightPx / 2 - 1, 0, kPageWidthPx);
    } else {
      const int bottom = kShelfTopPx + slots * kShelfHeightPx;
      for (int k = 0; k <= slots; ++k) {
        canvas.DashedHorizontal(kShelfTopPx + k * kShelfHeightPx - 1, kShelfLeftPx, kShelfRightPx);
      }
      canvas.DashedVertical(kShelfLeftPx - 1, kShelfTopPx, bottom);
      canvas.DashedVertical(kShelfRightPx - 1, kShelfTopPx, bottom);
    }
    INTAKE_RETURN_IF_ERROR(AddPage(writer.get(), &canvas, &ts));
  }
  pdf::DocumentInfo info;
  const std::string what = box ? "kasseetiket" : "hyldeetiket";
  info.title = labels.size() == 1 ? (box ? "Kasseetiket" : "Hyldeetiket")
                                  : std::to_string(labels.size()) + " " + what + "ter";
  info.subject = "Arkivetiketter med stregkode (Code 128) og QR-kode";
  info.created = options.created;
  return writer->Finish(info);
}

Result<std::string> MakeContentsList(const LabelSpec& box,
                                     const std::vector<ContentsEntry>& entries,
                                     std::string_view printed_date, const LabelOptions& options) {
  INTAKE_RETURN_IF_ERROR(CheckLabel(box, "kassens indholdsliste"));
  if (entries.size() > kMaxContentsEntries) {
    return Error(ErrorCode::kInvalidArgument,
                 "indholdslisten kan ikke udskrives: " + std::to_string(entries.size()) +
                     " originaler er for mange til én liste; højst " +
                     std::to_string(kMaxContentsEntries));
  }
  const std::string date_problem = TextProblem(printed_date);
  if (printed_date.empty() || !date_problem.empty() || CountCodePoints(printed_date) > 40) {
    return Error(ErrorCode::kInvalidArgument,
                 "indholdslisten kan ikke udskrives: udskriftsdatoen " +
                     std::string(printed_date.empty()    ? "mangler"
                                 : !date_problem.empty() ? date_problem
                                                         : "er over 40 tegn lang") +
                     "; angiv fx 2026-11-27");
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const ContentsEntry& e = entries[i];
    for (const std::string* text : {&e.case_ref, &e.title, &e.received_date, &e.note}) {
      if (TextProblem(*text) == "er ikke gyldig UTF-8") {
        return Error(ErrorCode::kInvalidArgument,
                     "indholdslisten kan ikke udskrives: original nr. " + std::to_string(i + 1) +
                         " (dokument " + std::to_string(e.document_id) +
                         ") har tekst, der ikke er gyldig UTF-8; ret den i journalen");
      }
    }
  }
  INTAKE_ASSIGN_OR_RETURN(const Symbols symbols, EncodeSymbols(box.barcode));
  INTAKE_ASSIGN_OR_RETURN(const pdf::FontMetrics metrics, pdf::FontMetrics::Load(options.font));
  INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<pdf::PdfAWriter> writer, NewWriter(options));

  const size_t pages =
      std::max<size_t>(1, (entries.size() + kContentsRowsPerPage - 1) / kContentsRowsPerPage);
  const double size = 9, note_size = 8, head_size = 8.5, foot_size = 8.5;
  const double left = PxToPt(kListMarginPx);
  const double right = PxToPt(kPageWidthPx - kListMarginPx);
  double column_x[std::size(kColumns)];
  double x = left;
  for (size_t c = 0; c < std::size(kColumns); ++c) {
    column_x[c] = x;
    x += MmToPt(kColumns[c].width_mm);
  }
  assert(x <= right + 0.01);
  const double cell_gap = MmToPt(kCellGapMm);
  const std::string page_label = MaskCpr(box.name) + " · " + box.barcode;

  for (size_t page = 0; page < pages; ++page) {
    Canvas canvas;
    Typesetter ts(metrics);
    INTAKE_ASSIGN_OR_RETURN(const int header_bottom,
                            DrawListHeader(box, symbols, entries.size(), &canvas, &ts));
    // Column headings and the rule under them.
    const double head_baseline = PxToPt(header_bottom) + ts.Ascent(head_size);
    for (size_t c = 0; c < std::size(kColumns); ++c) {
      if (kColumns[c].right_aligned) {
        ts.RightAligned(kColumns[c].heading, column_x[c] + MmToPt(kColumns[c].width_mm) - cell_gap,
                        head_baseline, head_size);
      } else {
        ts.Text(kColumns[c].heading, column_x[c], head_baseline, head_size);
      }
    }
    const int head_rule =
        static_cast<int>(PtToPx(head_baseline + ts.Descent(head_size))) + MmToPx(1);
    canvas.Fill(kListMarginPx, head_rule, kPageWidthPx - 2 * kListMarginPx, 3);

    // The foot: a rule, the printed date, the box and the page number.
    const double foot_baseline = PxToPt(kPageHeightPx - MmToPx(10)) - ts.Descent(foot_size);
    const int foot_rule =
        static_cast<int>(PtToPx(foot_baseline - ts.Ascent(foot_size))) - MmToPx(2);
    canvas.Fill(kListMarginPx, foot_rule, kPageWidthPx - 2 * kListMarginPx, 2);
    const std::string side = "Side " + std::to_string(page + 1) + " af " + std::to_string(pages);
    const std::string printed = "Printet " + std::string(printed_date);
    ts.Text(printed, left, foot_baseline, foot_size);
    ts.RightAligned(side, right, foot_baseline, foot_size);
    const double middle_room =
        right - left - 2 * std::max(ts.Width(printed, foot_size), ts.Width(side, foot_size)) -
        MmToPt(8);
    ts.Centred(ts.Shorten(page_label, foot_size, middle_room), (left + right) / 2, foot_baseline,
               foot_size);

    // The rows: each two lines high, kContentsRowsPerPage of them between the rules.
    const int rows_top = head_rule + 3 + MmToPx(0.5);
    const double row_height =
        PxToPt(foot_rule - MmToPx(1) - rows_top) / static_cast<double>(kContentsRowsPerPage);
    if (row_height < 2 * ts.LineHeight(size) + MmToPt(1)) {
      return Error(ErrorCode::kInternal, "indholdslistens rækker er for lave (layoutfejl)");
    }
    const double rows_top_pt = PxToPt(rows_top);
    if (entries.empty()) {
      ts.Text("Kassen er tom: der er ingen originaler registreret i den.", left,
              rows_top_pt + MmToPt(1) + ts.Ascent(size), size);
    }
    const size_t first = page * kContentsRowsPerPage;
    const size_t end = std::min(entries.size(), first + kContentsRowsPerPage);
    for (size_t i = first; i < end; ++i) {
      const double top = rows_top_pt + static_cast<double>(i - first) * row_height;
      const Row row = MakeRow(entries[i], ts, size, note_size);
      const double line1 = top + MmToPt(0.8) + ts.Ascent(size);
      for (size_t c = 0; c < std::size(kColumns); ++c) {
        if (kColumns[c].right_aligned) {
          ts.RightAligned(row.cells[c], column_x[c] + MmToPt(kColumns[c].width_mm) - cell_gap,
                          line1, size);
        } else {
          ts.Text(row.cells[c], column_x[c], line1, size);
        }
      }
      if (!row.second_line.empty()) {
        const bool note =
            !entries[i].note.empty() && entries[i].note.find_first_not_of(' ') != std::string::npos;
        const double second_size = note ? note_size : size;
        ts.Text(row.second_line, column_x[3], line1 + ts.Descent(size) + ts.Ascent(second_size),
                second_size);
      }
      if (i + 1 < end) {
        canvas.Fill(kListMarginPx, static_cast<int>(PtToPx(top + row_height)),
                    kPageWidthPx - 2 * kListMarginPx, 1);
      }
    }
    INTAKE_RETURN_IF_ERROR(AddPage(writer.get(), &canvas, &ts));
  }
  pdf::DocumentInfo info;
  info.title = "Indholdsliste for " + MaskCpr(box.name) + " (" + box.barcode + ")";
  info.subject = "Originaler i kassen, printet " + std::string(printed_date);
  info.created = options.created;
  return writer->Finish(info);
}

}  // namespace intake::station
