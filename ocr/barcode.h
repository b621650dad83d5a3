// Barcode and QR code detection on page images, with zxing-cpp (Debian's libzxing 1.4.0).
//
// DetectBarcodes reports every symbol it can read on a page: its format, its payload and
// where it is. It does not judge what a payload means; cover sheets, separator sheets and
// foreign barcodes on letters are told apart later, by payload pattern.
//
// How a page is searched (the reasons are zxing-cpp 1.4.0's limits, measured on A4 pages):
//   * QR Code and PDF417 are found anywhere by one whole-page scan; linear codes (Code 128,
//     EAN-13 ...) by scanning rows and, for codes turned 90 or 270 degrees, columns.
//   * These scans run on a copy reduced to about `coarse_dpi`, which is fast. The rows of
//     the full-resolution image are also scanned for linear codes, which lose their narrow
//     bars first when reduced; with `native_pass` everything is also searched at full
//     resolution. Results are merged: one entry per symbol, at the finest position.
//   * zxing-cpp 1.4.0 finds a DataMatrix or Aztec symbol only where it covers the centre of
//     the image it is given (zxing-cpp issue #189). So dense blobs of symbol size (square,
//     or oblong with DataMatrix's L-shaped border) are picked out first, and each is
//     decoded in a window centred on it, at the image's own resolution.
//   * Linear codes are read one at a time and blanked out of the working copy before the
//     next read: Debian's build keeps zxing's assert()s, and its duplicate check aborts the
//     whole process when one read returns two linear codes with the same payload
//     (zxing-cpp issue #740). tryDownscale stays off for the same reason.
//
// Thread-safety: DetectBarcodes keeps no state between calls and may run on several threads
// at once, each with its own page. It only reads `image` and never clones it.
#ifndef INTAKE_OCR_BARCODE_H_
#define INTAKE_OCR_BARCODE_H_

#include <array>
#include <string>
#include <vector>

#include "base/result.h"
#include "ocr/leptonica_handles.h"
#include "ocr/ocr_engine.h"

namespace intake::ocr {

// A point in pixels of the image given to DetectBarcodes; (0,0) is the top-left corner
// of the top-left pixel, so a symbol drawn on pixels 100..199 spans x = 100 to 200.
struct PixelPoint {
  int x = 0;
  int y = 0;
  bool operator==(const PixelPoint&) const = default;
};

struct Barcode {
  // zxing-cpp's name of the symbology: "QRCode", "DataMatrix", "Aztec", "PDF417",
  // "Code128", "Code39", "Code93", "Codabar", "EAN-8", "EAN-13", "UPC-A", "UPC-E", "ITF",
  // "DataBar", "DataBarExpanded".
  std::string format;
  // The payload as UTF-8, decoded by zxing-cpp (from the symbol's ECI if it has one,
  // otherwise by zxing's guess of the character set). EAN/UPC include the check digit;
  // Codabar start and stop characters are removed.
  std::string text;
  // The symbol's own top-left, top-right, bottom-right and bottom-left corners (for a
  // symbol turned upside down the "top-left" corner is at the bottom right of the page).
  // For linear codes the corners enclose the bars found; positions are accurate to a
  // few pixels, or to about one pixel of the reduced copy when found only there.
  std::array<PixelPoint, 4> corners;
  // The axis-aligned box around `corners`, clipped to the image.
  PixelBox bounds;
};

struct BarcodeOptions {
  // Symbologies to look for, by zxing-cpp name ("QRCode", "Code128", "EAN-13", ...; case,
  // '-' and '_' do not matter). Empty (the default): DefaultBarcodeFormats().
  // An unknown name makes DetectBarcodes return kInvalidArgument.
  std::vector<std::string> formats;
  // Resolution of the image in dots per inch. 0 (the default): the PIX's own x resolution
  // if it is between 50 and 4800, else 300. Used only to choose the reduced copy's size
  // and the DataMatrix/Aztec blob sizes. Valid: 0 or 50..4800.
  int dpi = 0;
  // Resolution in dpi of the reduced copy searched on every page. Default 200: modules of
  // 0.25 mm (2 pixels at 200 dpi) and wider are read, and a 300-dpi A4 page costs about
  // half of a search at full resolution. An image at most 1.1 times this resolution is
  // searched as it is. 0: no reduced copy (search at full resolution). Valid: 0 or 50..1200.
  int coarse_dpi = 200;
  // Also scan the rows of the image at its own resolution for linear codes (upright or
  // upside down). Finds small or blurred linear codes that the reduced copy loses, for
  // about 5 ms more per 300-dpi A4 page. Default on.
  bool native_linear_rows = true;
  // Also search for everything at the image's own resolution when the reduced copy is
  // smaller. Finds QR codes and turned linear codes with modules narrower than about
  // 0.25 mm, at 1.5 to 2.5 times the time per page (300 to 600 dpi). Default off.
  bool native_pass = false;
  // Also scan columns, so that linear codes turned 90 or 270 degrees are found (matrix
  // codes are found at any angle regardless). Default on.
  bool try_rotate = true;
};

// The symbologies searched when BarcodeOptions::formats is empty: every format zxing-cpp
// 1.4.0 reads on a page except MaxiCode, which zxing-cpp reads only from an image holding
// nothing but the symbol, and MicroQRCode, which post is not expected to carry and which
// these tests cannot draw (1.4.0 has no Micro QR writer). Both can be asked for by name.
std::vector<std::string> DefaultBarcodeFormats();

// Finds every barcode on a page image: 1 bpp (1 = black), 8 bpp grey or 32 bpp RGB, or a
// colormapped image of 1 to 8 bpp (as Leptonica reads palette PNGs). Does not take
// ownership of `image`.
// Returns the symbols found, sorted top to bottom and then left to right, or an empty list
// when there are none or the image is smaller than 8 pixels on a side. Returns
// kInvalidArgument for another depth (2, 4 or 16 bpp without colormap) or an invalid
// option, and kInternal when Leptonica or zxing-cpp fails (out of memory, a library
// exception). Error messages do not name the page; the caller adds it with
// Error::WithContext.
// REQUIRES: image != nullptr.
Result<std::vector<Barcode>> DetectBarcodes(const PIX* image, const BarcodeOptions& options = {});

}  // namespace intake::ocr

#endif  // INTAKE_OCR_BARCODE_H_
