// TesseractEngine: the OcrEngine on the Tesseract 5 C++ API (libtesseract), with LSTM
// models from Debian's tesseract-ocr-LANG packages.
//
// Thread-safety: one engine per worker thread. An engine is used by one thread at a time;
// distinct engines run in parallel threads without sharing anything but Tesseract's
// process-wide parameters, which are all set once, by the first Create(). Create() and
// the free functions may be called from any thread.
//
// OpenMP: libtesseract is built with OpenMP and would start up to 4 extra threads per
// text line, which on a 2-core station slows every page down many times over when several
// engines run at once. Setting OMP_THREAD_LIMIT in the process's own environment does not
// help: libgomp reads it once, when the program is loaded. Instead each engine turns
// OpenMP parallel regions off on the thread that calls Create() and Recognize()
// (LimitOpenMpOnThisThread()), which is what OMP_THREAD_LIMIT=1 does for the tesseract
// command.
#ifndef INTAKE_OCR_TESSERACT_ENGINE_H_
#define INTAKE_OCR_TESSERACT_ENGINE_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "ocr/ocr_engine.h"

namespace tesseract {
class TessBaseAPI;
}

namespace intake::ocr {

struct TesseractOptions {
  // Tesseract languages joined by '+', e.g. "dan" or "dan+eng" ([ocr] languages); each
  // needs <language>.traineddata in the tessdata directory. Default: "dan".
  std::string languages = "dan";
  // The directory holding the *.traineddata files. "" means Tesseract's default:
  // $TESSDATA_PREFIX if that directory exists, else /usr/share/tesseract-ocr/5/tessdata
  // (Debian 12 and 13). Default: "".
  std::string tessdata_dir;
  // Also read text lines as white on dark when they read badly as dark on white
  // (Tesseract's tessedit_do_invert). On clean letters the difference in time was below
  // the noise of our measurements, on a noisy page at most about 10% (bench/README.md);
  // without it, white-on-dark letterheads and footers come out as garbage. Default: true.
  bool read_inverted_text = true;
  // Drop what is not text: words of only punctuation read from specks, and lines of very
  // low confidence (signatures, scribbles, drawings); see NoiseFilter in
  // ocr/ocr_result_assembly.h. Default: true.
  bool drop_noise = true;
};

// The directory Create() searches for `tessdata_dir` (a TesseractOptions::tessdata_dir):
// itself when non-empty, else the default described there. Always ends with '/'.
std::string ResolveTessdataDir(const std::string& tessdata_dir);

// The languages installed in `tessdata_dir` (resolved as above): the names of its
// *.traineddata files, sorted ("dan", "eng", "osd"). kUnavailable if the directory does not
// exist or cannot be read, with the directory and the package to install in the message.
Result<std::vector<std::string>> AvailableLanguages(const std::string& tessdata_dir);

// Checks a '+'-joined language list without loading anything: kInvalidArgument if it is
// empty or malformed (a language is letters, digits and '_'; "script/Latin" style names
// are allowed); kUnavailable if a language pack is missing, naming the language, the
// directory searched and the Debian package to install (tesseract-ocr-xxx).
Status CheckLanguages(const std::string& languages, const std::string& tessdata_dir);

// Makes OpenMP parallel regions started on the calling thread run on that thread alone
// (the thread's max-active-levels becomes 0). Cheap and idempotent; the engine calls it on
// every Create() and Recognize(), so nobody else needs to.
void LimitOpenMpOnThisThread();

class TesseractEngine final : public OcrEngine {
 public:
  // Loads the languages of `options` (0.13-0.28 s per engine in bench/README.md). Returns the
  // engine, or the error of CheckLanguages(), or kUnavailable when Tesseract cannot load an
  // installed pack (damaged file), or kInternal when it rejects a parameter.
  static Result<std::unique_ptr<TesseractEngine>> Create(const TesseractOptions& options);

  ~TesseractEngine() override;  // End()s the Tesseract instance
  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;

  // See OcrEngine. Page segmentation is automatic (columns are read one after the other);
  // `dpi` (70..2400) is passed to Tesseract as the source resolution. An image without
  // contrast (1 bpp without black pixels, or 8 bpp with at most 8 grey levels between its
  // darkest and lightest pixel) gives an empty result without running Tesseract.
  // kInvalidArgument for a dpi out of range, an image of 2, 4, 16 or 24 bpp, or one wider or
  // higher than 32767 pixels; kCancelled when `deadline` passes (Tesseract checks it between
  // text lines, about every 20 ms, but not during layout analysis, which took 0.3 s on an
  // A4 letter and 0.8 s on linn.png, so a page may overrun its deadline by that much);
  // kInternal when Tesseract fails or runs out of memory. Does not take ownership of
  // `image` and does not modify it, so threads may share one image.
  Result<OcrResult> Recognize(const PIX* image, int dpi,
                              std::chrono::steady_clock::time_point deadline) override;

  // "Tesseract 5.3.0 (dan+eng)".
  std::string Describe() const override;

 private:
  struct ApiDeleter {
    void operator()(tesseract::TessBaseAPI* api) const;
  };
  using ApiPtr = std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter>;

  TesseractEngine(ApiPtr api, std::string description, bool drop_noise);

  ApiPtr api_;
  std::string description_;
  bool drop_noise_;
};

}  // namespace intake::ocr

#endif  // INTAKE_OCR_TESSERACT_ENGINE_H_
