#include "station/sheets.h"

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <exception>
#include <memory>
#include <utility>

#include "base/cpr_mask.h"
#include "pdf/pdfa_writer.h"
#include "pdf/utf8.h"

namespace intake::station {
namespace {

// ---------------------------------------------------------------------------------------
// Payload

constexpr char kSeparatorKind[] = "SEP";
constexpr char kCoverKind[] = "COVER";
constexpr char kKeySystem[] = "sys";
constexpr char kKeyReference[] = "ref";
constexpr char kKeyType[] = "type";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

// Why a UTF-8 value is not fit for a sheet: "" when it is, else the Danish reason.
std::string Utf8Problem(std::string_view value) {
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

size_t CountCodePoints(std::string_view text) {
  size_t n = 0;
  for (size_t pos = 0; pos < text.size(); ++n) pdf::DecodeUtf8(text, &pos);
  return n;
}

Error Malformed(const std::string& what) {
  return Error(ErrorCode::kInvalidArgument,
               "stationsarkets QR-kode (" + std::string(kSheetPayloadPrefix) +
                   "...) kan ikke bruges: " + what +
                   "; udskriv arket igen med 'station sheets' (eller opdatér stationen, hvis "
                   "arket kommer fra en nyere version)");
}

// A percent-decoded value of field `key`, or the error.
Result<std::string> PercentDecode(std::string_view raw, const std::string& key) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '%') {
      const int hi = i + 1 < raw.size() ? HexValue(raw[i + 1]) : -1;
      const int lo = i + 2 < raw.size() ? HexValue(raw[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Malformed("feltet '" + key +
                         "' har en ugyldig %-kode ('%' skal følges af to hexcifre)");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (IsUnreserved(static_cast<unsigned char>(c))) {
      out += c;
    } else {
      return Malformed("tegnet '" + std::string(1, c) + "' i feltet '" + key +
                       "' skulle have været %-kodet");
    }
  }
  const std::string problem = Utf8Problem(out);
  if (!problem.empty()) return Malformed("feltet '" + key + "' " + problem);
  if (ContainsCprLike(out)) {
    return Malformed("feltet '" + key +
                     "' indeholder et CPR-lignende nummer, og stationens ark bærer aldrig "
                     "CPR-numre");
  }
  return out;
}

Result<SheetPayload> ParseCoverFields(std::string_view fields) {
  SheetPayload p;
  p.kind = SheetPayload::Kind::kCover;
  bool have_system = false, have_reference = false, have_type = false;
  size_t pos = 0;
  while (true) {
    const size_t space = fields.find(' ', pos);
    const std::string_view token =
        fields.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos);
    if (token.empty()) {
      return Malformed(
          "et felt er tomt (to mellemrum efter hinanden eller et mellemrum til "
          "sidst)");
    }
    const size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      return Malformed("feltet '" + std::string(token.substr(0, 16)) +
                       "' mangler '=' mellem navn og værdi");
    }
    const std::string key(token.substr(0, eq));
    const std::string_view raw = token.substr(eq + 1);
    bool* seen = nullptr;
    std::string* target = nullptr;
    if (key == kKeySystem) {
      seen = &have_system;
      target = &p.system;
    } else if (key == kKeyReference) {
      seen = &have_reference;
      target = &p.reference;
    } else if (key == kKeyType) {
      seen = &have_type;
      target = &p.doc_type;
    } else {
      return Malformed("feltet '" + key.substr(0, 16) +
                       "' er ukendt; en forside har felterne sys, ref og type");
    }
    if (*seen) return Malformed("feltet '" + key + "' står mere end én gang");
    *seen = true;
    if (raw.empty()) return Malformed("feltet '" + key + "' er tomt");
    INTAKE_ASSIGN_OR_RETURN(*target, PercentDecode(raw, key));
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  if (!have_system) return Malformed("forsiden mangler feltet 'sys' (ESDH-systemet)");
  if (!have_reference) return Malformed("forsiden mangler feltet 'ref' (sagsnummeret)");
  return p;
}

std::string KindDanish(const SheetPayload& p) {
  if (p.kind == SheetPayload::Kind::kSeparator) return "et skilleark";
  return "en forside til " + p.system + " " + p.reference;
}

// ---------------------------------------------------------------------------------------
// Rendering

constexpr int kDpi = 300;
constexpr double kMmPerInch = 25.4;
constexpr double kPtPerInch = 72.0;
constexpr int kA4WidthPx = 2480;   // 210 mm at 300 dpi
constexpr int kA4HeightPx = 3508;  // 297 mm at 300 dpi
constexpr double kPageWidthPt = kA4WidthPx * kPtPerInch / kDpi;
constexpr double kPageHeightPt = kA4HeightPx * kPtPerInch / kDpi;
constexpr double kQrTopMm = 15;
constexpr double kQrTargetSideMm = 50;
constexpr double kMinModuleMm = 0.5;
// zxing-cpp's MultiFormatWriter maps ECC levels 0-8 to QR levels by (level - 1) / 2:
// 5 is Q (25 % of the symbol may be lost), robust against a crease or a stain.
constexpr int kQrEccLevel = 5;
constexpr double kMarginPt = 25 * kPtPerInch / kMmPerInch;
constexpr double kTextWidthPt = kPageWidthPt - 2 * kMarginPt;
// A conservative mean advance of DejaVu Sans, in em, to wrap and size text (the pdf
// module measures nothing for the caller).
constexpr double kMeanAdvanceEm = 0.62;

constexpr char kInstruction[] = "Læg arket foran brevet. Arket journaliseres ikke.";

int MmToPx(double mm) { return static_cast<int>(std::lround(mm * kDpi / kMmPerInch)); }
double PxToPt(int px) { return px * kPtPerInch / kDpi; }

// A white A4 bilevel page with `payload` as a QR code at the top centre; `qr_bottom_pt`
// is where the symbol ends (points from the top).
Result<pdf::PageRaster> QrPage(const std::string& payload, double* qr_bottom_pt) {
  ZXing::BitMatrix matrix;
  try {
    matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                 .setMargin(0)
                 .setEccLevel(kQrEccLevel)
                 .encode(payload, 0, 0);
  } catch (const std::exception& e) {  // invalid_argument for an impossible payload
    return Error(ErrorCode::kInternal,
                 std::string("arkets QR-kode kan ikke dannes (zxing-cpp: ") + e.what() + ")");
  }
  const int modules = matrix.width();
  if (modules <= 0 || matrix.height() != modules) {
    return Error(ErrorCode::kInternal, "zxing-cpp dannede en QR-kode uden moduler");
  }
  const int module_px = std::max(static_cast<int>(std::ceil(kMinModuleMm * kDpi / kMmPerInch)),
                                 MmToPx(kQrTargetSideMm) / modules);
  const int side = modules * module_px;
  const int left = (kA4WidthPx - side) / 2;
  const int top = MmToPx(kQrTopMm);
  // The quiet zone (4 modules) must stay on the page, and the symbol on its upper half.
  if (left < 4 * module_px || top < 4 * module_px || top + side > kA4HeightPx / 2) {
    return Error(ErrorCode::kInternal, "arkets QR-kode bliver for stor til siden (" +
                                           std::to_string(modules) + " moduler)");
  }
  pdf::PageRaster r;
  r.kind = pdf::PageRaster::Kind::kBilevel;
  r.width = kA4WidthPx;
  r.height = kA4HeightPx;
  r.dpi = kDpi;
  r.stride = (kA4WidthPx + 7) / 8;
  r.pixels.assign(static_cast<size_t>(r.stride) * r.height, 0);
  for (int my = 0; my < modules; ++my) {
    for (int mx = 0; mx < modules; ++mx) {
      if (!matrix.get(mx, my)) continue;
      for (int y = top + my * module_px; y < top + (my + 1) * module_px; ++y) {
        uint8_t* row = r.pixels.data() + static_cast<size_t>(y) * r.stride;
        for (int x = left + mx * module_px; x < left + (mx + 1) * module_px; ++x) {
          row[x >> 3] |= static_cast<uint8_t>(0x80u >> (x & 7));
        }
      }
    }
  }
  *qr_bottom_pt = PxToPt(top + side);
  return r;
}

// Lays visible text out top-down from a baseline position.
class TextColumn {
 public:
  explicit TextColumn(double first_top_pt) : y_(first_top_pt) {}

  // A line of `size` points whose top is `gap_pt` below the previous line.
  void Line(const std::string& text, double size, double gap_pt = 0) {
    y_ += gap_pt + size;
    texts_.push_back(pdf::VisibleText{text, kMarginPt, y_, size});
    y_ += size * 0.3;  // descenders
  }

  // `text` wrapped at spaces to the text width, at most `max_lines` lines (the last one
  // shortened with an ellipsis when the text does not fit).
  void Wrapped(const std::string& text, double size, size_t max_lines, double gap_pt = 0) {
    const size_t per_line =
        std::max<size_t>(8, static_cast<size_t>(kTextWidthPt / (kMeanAdvanceEm * size)));
    std::vector<std::string> lines;
    std::string current;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t space = text.find(' ', pos);
      if (space == std::string::npos) space = text.size();
      std::string word = text.substr(pos, space - pos);
      pos = space + 1;
      if (word.empty()) continue;
      while (CountCodePoints(word) > per_line) {  // a word longer than a line: cut it
        size_t cut = 0;
        for (size_t n = 0; n < per_line; ++n) pdf::DecodeUtf8(word, &cut);
        if (!current.empty()) lines.push_back(std::move(current));
        lines.push_back(word.substr(0, cut));
        current.clear();
        word = word.substr(cut);
      }
      if (current.empty()) {
        current = word;
      } else if (CountCodePoints(current) + 1 + CountCodePoints(word) <= per_line) {
        current += " " + word;
      } else {
        lines.push_back(std::move(current));
        current = word;
      }
    }
    if (!current.empty()) lines.push_back(std::move(current));
    if (lines.size() > max_lines) {
      lines.resize(max_lines);
      std::string& last = lines.back();
      while (!last.empty() && CountCodePoints(last) + 2 > per_line) {
        size_t pos2 = 0, prev = 0;
        while (pos2 < last.size()) {
          prev = pos2;
          pdf::DecodeUtf8(last, &pos2);
        }
        last.erase(prev);
      }
      last += " …";
    }
    for (size_t i = 0; i < lines.size(); ++i) Line(lines[i], size, i == 0 ? gap_pt : 0);
  }

  // A line at the foot of the page.
  void Footer(const std::string& text, double size) {
    texts_.push_back(pdf::VisibleText{text, kMarginPt, kPageHeightPt - kMarginPt, size});
  }

  std::vector<pdf::VisibleText> Take() { return std::move(texts_); }

 private:
  double y_;
  std::vector<pdf::VisibleText> texts_;
};

std::string DanishDate(std::chrono::system_clock::time_point t) {
  static constexpr const char* kMonths[] = {"januar",    "februar", "marts",    "april",
                                            "maj",       "juni",    "juli",     "august",
                                            "september", "oktober", "november", "december"};
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  if (localtime_r(&tt, &tm) == nullptr) return "ukendt dato";
  return std::to_string(tm.tm_mday) + ". " + kMonths[tm.tm_mon] + " " +
         std::to_string(tm.tm_year + 1900);
}

Result<std::unique_ptr<pdf::PdfAWriter>> NewWriter(const SheetOptions& options) {
  pdf::WriterOptions w;
  w.font = options.font;
  w.icc_profile = options.icc_profile;
  return pdf::PdfAWriter::Create(w);
}

// The checks of one cover-sheet field: `what` names it in Danish ("sagsnummeret").
Status CheckField(const std::string& value, const std::string& what, size_t max_chars,
                  bool required) {
  if (value.empty()) {
    if (!required) return OkStatus();
    return Error(ErrorCode::kInvalidArgument,
                 "forsiden kan ikke udskrives: " + what + " mangler; angiv det");
  }
  const std::string problem = Utf8Problem(value);
  if (!problem.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "forsiden kan ikke udskrives: " + what + " " + problem + "; ret det");
  }
  if (ContainsCprLike(value)) {
    return Error(ErrorCode::kInvalidArgument,
                 "forsiden kan ikke udskrives: " + what +
                     " indeholder et CPR-lignende nummer, og et CPR-nummer må aldrig stå på "
                     "en forside eller i dens QR-kode; ret det");
  }
  const size_t n = CountCodePoints(value);
  if (max_chars > 0 && n > max_chars) {
    return Error(ErrorCode::kInvalidArgument, "forsiden kan ikke udskrives: " + what + " er " +
                                                  std::to_string(n) + " tegn langt; højst " +
                                                  std::to_string(max_chars) + " tegn passer");
  }
  return OkStatus();
}

}  // namespace

std::string EncodeSheetPayload(const SheetPayload& payload) {
  std::string out(kSheetPayloadPrefix);
  out += std::to_string(kSheetPayloadVersion);
  if (payload.kind == SheetPayload::Kind::kSeparator) return out + " " + kSeparatorKind;
  out += std::string(" ") + kCoverKind + " " + kKeySystem + "=" + PercentEncode(payload.system) +
         " " + kKeyReference + "=" + PercentEncode(payload.reference);
  if (!payload.doc_type.empty())
    out += std::string(" ") + kKeyType + "=" + PercentEncode(payload.doc_type);
  return out;
}

Result<std::optional<SheetPayload>> ParseSheetPayload(std::string_view text) {
  if (text.substr(0, kSheetPayloadPrefix.size()) != kSheetPayloadPrefix)
    return std::optional<SheetPayload>();
  if (text.size() > kMaxSheetPayloadLength) {
    return Malformed("koden er " + std::to_string(text.size()) + " tegn lang; højst " +
                     std::to_string(kMaxSheetPayloadLength) + " er tilladt");
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7E) {
      return Malformed("koden indeholder tegn uden for ASCII eller styretegn");
    }
  }
  std::string_view rest = text.substr(kSheetPayloadPrefix.size());
  const size_t version_end = std::min(rest.find(' '), rest.size());
  const std::string_view version = rest.substr(0, version_end);
  if (version.empty())
    return Malformed("versionsnummeret mangler efter " + std::string(kSheetPayloadPrefix));
  if (version != std::to_string(kSheetPayloadVersion)) {
    return Malformed("version '" + std::string(version.substr(0, 12)) +
                     "' kendes ikke; denne station læser version " +
                     std::to_string(kSheetPayloadVersion));
  }
  if (version_end == rest.size()) return Malformed("arktypen mangler (SEP eller COVER)");
  rest = rest.substr(version_end + 1);
  const size_t kind_end = std::min(rest.find(' '), rest.size());
  const std::string_view kind = rest.substr(0, kind_end);
  if (kind == kSeparatorKind) {
    if (kind_end != rest.size()) return Malformed("et skilleark (SEP) har ingen felter");
    return std::optional<SheetPayload>(SheetPayload{});
  }
  if (kind == kCoverKind) {
    if (kind_end == rest.size()) return Malformed("forsiden mangler felterne sys og ref");
    INTAKE_ASSIGN_OR_RETURN(SheetPayload cover, ParseCoverFields(rest.substr(kind_end + 1)));
    return std::optional<SheetPayload>(std::move(cover));
  }
  if (kind.empty()) return Malformed("arktypen mangler (SEP eller COVER)");
  return Malformed("arktypen '" + std::string(kind.substr(0, 16)) +
                   "' er ukendt; kendte typer er SEP og COVER");
}

Result<std::optional<SheetPayload>> FindSheet(const std::vector<ocr::Barcode>& barcodes) {
  std::optional<SheetPayload> found;
  for (size_t i = 0; i < barcodes.size(); ++i) {
    if (barcodes[i].format != "QRCode") continue;
    auto parsed = ParseSheetPayload(barcodes[i].text);
    if (!parsed)
      return parsed.error().WithContext("QR-kode nr. " + std::to_string(i + 1) + " på siden");
    if (!parsed->has_value()) continue;
    if (!found) {
      found = std::move(**parsed);
    } else if (!(*found == **parsed)) {
      return Error(ErrorCode::kInvalidArgument,
                   "siden har to forskellige stationsark-koder (" + KindDanish(*found) + " og " +
                       KindDanish(**parsed) +
                       "); fjern det ene ark eller del siden op, og scan igen");
    }
  }
  return found;
}

Result<std::string> MakeSeparatorSheets(int count, const SheetOptions& options) {
  if (count < 1 || count > kMaxSeparatorSheets) {
    return Error(ErrorCode::kInvalidArgument, "antallet af skilleark er " + std::to_string(count) +
                                                  "; vælg 1-" +
                                                  std::to_string(kMaxSeparatorSheets));
  }
  const std::string payload = EncodeSheetPayload(SheetPayload{});
  double qr_bottom = 0;
  INTAKE_ASSIGN_OR_RETURN(const pdf::PageRaster raster, QrPage(payload, &qr_bottom));
  INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<pdf::PdfAWriter> writer, NewWriter(options));
  const std::string date = DanishDate(options.printed);
  for (int i = 1; i <= count; ++i) {
    TextColumn column(qr_bottom + 40);
    column.Line("SKILLEARK", 54);
    column.Line(kInstruction, 14, 24);
    column.Line("Stationen begynder et nyt dokument efter dette ark.", 14, 6);
    column.Line("Printet " + date +
                    (count > 1 ? ", ark " + std::to_string(i) + " af " + std::to_string(count)
                               : std::string()),
                12, 24);
    column.Footer("intake-station · " + payload, 9);
    pdf::PageContent page;
    page.image = raster;
    page.encoding = pdf::ImageEncoding::kCcittG4;
    page.texts = column.Take();
    INTAKE_RETURN_IF_ERROR(writer->AddPage(page));
  }
  pdf::DocumentInfo info;
  info.title = count == 1 ? "Skilleark" : std::to_string(count) + " skilleark";
  info.subject = "Skilleark til scanning; journaliseres ikke";
  info.created = options.printed;
  return writer->Finish(info);
}

Result<std::string> MakeCoverSheet(const CoverSheetInfo& cover, const SheetOptions& options) {
  INTAKE_RETURN_IF_ERROR(CheckField(cover.system, "ESDH-systemet", kMaxSheetSystemLength, true));
  INTAKE_RETURN_IF_ERROR(
      CheckField(cover.reference, "sagsnummeret", kMaxSheetReferenceLength, true));
  INTAKE_RETURN_IF_ERROR(
      CheckField(cover.doc_type, "dokumenttypen", kMaxSheetDocTypeLength, false));
  INTAKE_RETURN_IF_ERROR(CheckField(cover.case_title, "sagens titel", 0, false));
  SheetPayload p;
  p.kind = SheetPayload::Kind::kCover;
  p.system = cover.system;
  p.reference = cover.reference;
  p.doc_type = cover.doc_type;
  const std::string payload = EncodeSheetPayload(p);
  if (payload.size() > kMaxSheetPayloadLength) {
    return Error(ErrorCode::kInvalidArgument,
                 "forsiden kan ikke udskrives: system, sagsnummer og dokumenttype fylder " +
                     std::to_string(payload.size()) + " tegn i QR-koden (højst " +
                     std::to_string(kMaxSheetPayloadLength) +
                     "; tegn uden for A-Z, a-z og 0-9 fylder tre); forkort dokumenttypen");
  }
  double qr_bottom = 0;
  INTAKE_ASSIGN_OR_RETURN(pdf::PageRaster raster, QrPage(payload, &qr_bottom));
  INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<pdf::PdfAWriter> writer, NewWriter(options));

  TextColumn column(qr_bottom + 40);
  column.Line("FORSIDE", 54);
  column.Line("Sag i " + cover.system, 14, 24);
  // The reference as large as fits on one line, 36 pt at most.
  const double ref_size = std::clamp(
      kTextWidthPt / (kMeanAdvanceEm * static_cast<double>(CountCodePoints(cover.reference))), 12.0,
      36.0);
  column.Line(cover.reference, ref_size, 4);
  if (!cover.case_title.empty()) {
    column.Line("Sagens titel:", 12, 20);
    column.Wrapped(cover.case_title, 14, 6, 2);
  }
  if (!cover.doc_type.empty()) {
    column.Line("Dokumenttype:", 12, 20);
    column.Wrapped(cover.doc_type, 14, 2, 2);
  }
  column.Line(kInstruction, 14, 28);
  column.Line("Printet " + DanishDate(options.printed), 12, 16);
  column.Footer("intake-station · forside · " + cover.system + " " + cover.reference, 9);
  pdf::PageContent page;
  page.image = std::move(raster);
  page.encoding = pdf::ImageEncoding::kCcittG4;
  page.texts = column.Take();
  INTAKE_RETURN_IF_ERROR(writer->AddPage(page));
  pdf::DocumentInfo info;
  info.title = "Forside til sag " + cover.system + " " + cover.reference;
  info.subject = "Forside til scanning; journaliseres ikke";
  info.created = options.printed;
  return writer->Finish(info);
}

}  // namespace intake::station
