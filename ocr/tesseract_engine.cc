#include "ocr/tesseract_engine.h"

#include <leptonica/allheaders.h>
#include <omp.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <new>
#include <string_view>
#include <system_error>
#include <utility>

#include "ocr/leptonica_handles.h"
#include "ocr/ocr_result_assembly.h"

namespace intake::ocr {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Where Debian 12 and 13 install tesseract-ocr-LANG (the path compiled into their
// libtesseract as TESSDATA_PREFIX + "tessdata").
constexpr char kDebianTessdataDir[] = "/usr/share/tesseract-ocr/5/tessdata/";
constexpr char kTraineddataSuffix[] = ".traineddata";

// Tesseract's own limits: kMinCredibleResolution, kMaxCredibleResolution and the largest
// image its thresholder accepts (INT16_MAX).
constexpr int kMinDpi = 70;
constexpr int kMaxDpi = 2400;
constexpr int kMaxSide = 32767;

// Grey levels between the darkest and the lightest pixel up to which a page has no
// contrast at all (a uniform page, not a scanned blank page with specks).
constexpr int kNoContrastLevels = 8;

// ASCII only: the station may run under a Latin-1 locale, where <cctype> says otherwise.
bool IsLanguageNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// "dan" -> "tesseract-ocr-dan", "chi_sim" -> "tesseract-ocr-chi-sim" (Debian's names).
std::string DebianPackageFor(const std::string& language) {
  std::string package = "tesseract-ocr-";
  for (char c : language) {
    if (c == '_') {
      package += '-';
    } else if (c >= 'A' && c <= 'Z') {
      package += static_cast<char>(c - 'A' + 'a');
    } else {
      package += c;
    }
  }
  return package;
}

std::vector<std::string> DebianPackagesFor(const std::vector<std::string>& languages) {
  std::vector<std::string> packages;
  for (const std::string& language : languages) packages.push_back(DebianPackageFor(language));
  return packages;
}

std::string JoinWith(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

// "dan", "dan og eng", "dan, eng og deu".
std::string JoinDanish(const std::vector<std::string>& items) {
  if (items.size() <= 1) return JoinWith(items, "");
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return JoinWith(head, ", ") + " og " + items.back();
}

// Splits "dan+eng" into its languages; kInvalidArgument for an empty list or name, or a
// name with characters other than ASCII letters, digits and '_' (this also keeps names
// from reaching outside the tessdata directory).
Result<std::vector<std::string>> SplitLanguages(const std::string& languages) {
  if (languages.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "ingen OCR-sprog angivet: [ocr] languages er tom; skriv fx \"dan\" eller "
                 "\"dan+eng\"");
  }
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t plus = languages.find('+', start);
    std::string name = languages.substr(start, plus == std::string::npos ? plus : plus - start);
    const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), IsLanguageNameChar);
    if (!valid) {
      return Error(ErrorCode::kInvalidArgument,
                   "ugyldig sprogliste \"" + languages +
                       "\" i [ocr] languages: sprogene er Tesseract-navne af bogstaverne a-z, "
                       "cifre og '_', adskilt af '+', fx \"dan\" eller \"dan+eng\"");
    }
    out.push_back(std::move(name));
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return out;
}

// "1,5 s" or "180 s".
std::string FormatSeconds(double seconds) {
  char buf[32];
  if (seconds < 10) {
    std::snprintf(buf, sizeof buf, "%.1f s", std::max(0.0, seconds));
    for (char* p = buf; *p != '\0'; ++p) {
      if (*p == '.') *p = ',';
    }
  } else {
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  }
  return buf;
}

// kCancelled for a page whose deadline passed, `limit_seconds` after Recognize() began.
Error CancelledError(double limit_seconds) {
  return Error(ErrorCode::kCancelled,
               "OCR af siden blev afbrudt: tidsgrænsen på " + FormatSeconds(limit_seconds) +
                   " blev overskredet; siden registreres som fejlet. Hæv [ocr] "
                   "page_timeout_s, hvis det sker for almindelige sider");
}

// kCancelled for a page whose deadline had passed before Recognize() was called.
Error CancelledBeforeStartError() {
  return Error(ErrorCode::kCancelled,
               "OCR af siden blev ikke startet: tidsgrænsen for siden var allerede overskredet; "
               "siden registreres som fejlet");
}

// True for a 1 bpp image without black pixels, or an 8 bpp image whose pixels all lie
// within kNoContrastLevels grey levels. Other images are never judged empty. Reads only.
bool HasNoContrast(const PIX* image) {
  // Leptonica's accessors take PIX* but do not modify it.
  PIX* pix = const_cast<PIX*>(image);
  if (pixGetColormap(pix) != nullptr) return false;
  const int depth = pixGetDepth(pix);
  if (depth == 1) {
    l_int32 empty = 0;
    return pixZero(pix, &empty) == 0 && empty != 0;
  }
  if (depth != 8) return false;
  const int width = pixGetWidth(pix);
  const int height = pixGetHeight(pix);
  const int wpl = pixGetWpl(pix);
  const l_uint32* row = pixGetData(pix);
  int lo = 255, hi = 0;
  for (int y = 0; y < height; ++y, row += wpl) {
    for (int x = 0; x < width; ++x) {
      const int v = GET_DATA_BYTE(row, x);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (hi - lo > kNoContrastLevels) return false;  // stops at the first row with ink
  }
  return true;
}

// Tesseract's cancel callback: state shared with one Recognize() call.
struct DeadlineState {
  Clock::time_point deadline;
  bool expired = false;
};

bool CancelIfPastDeadline(void* state_ptr, int /*words*/) {
  auto* state = static_cast<DeadlineState*>(state_ptr);
  if (Clock::now() >= state->deadline) state->expired = true;
  return state->expired;
}

// Frees the page's results and Tesseract's copy of the image when a Recognize() ends, so
// an idle engine holds no page.
class ClearPageOnExit {
 public:
  explicit ClearPageOnExit(tesseract::TessBaseAPI* api) : api_(api) {}
  ~ClearPageOnExit() { api_->Clear(); }
  ClearPageOnExit(const ClearPageOnExit&) = delete;
  ClearPageOnExit& operator=(const ClearPageOnExit&) = delete;

 private:
  tesseract::TessBaseAPI* api_;
};

PixelBox BoxFromCorners(int left, int top, int right, int bottom) {
  return PixelBox{left, top, right - left, bottom - top};
}

// Walks Tesseract's result in reading order and copies lines, words, boxes and
// confidences out of it. REQUIRES: Recognize() succeeded on `api`.
std::vector<RecognizedLine> CollectLines(tesseract::TessBaseAPI& api) {
  using tesseract::RIL_PARA;
  using tesseract::RIL_TEXTLINE;
  using tesseract::RIL_WORD;
  std::vector<RecognizedLine> lines;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (it == nullptr) return lines;
  int paragraph = 0;
  do {
    if (it->Empty(RIL_WORD)) continue;
    if (it->IsAtBeginningOf(RIL_PARA)) ++paragraph;
    if (lines.empty() || it->IsAtBeginningOf(RIL_TEXTLINE)) {
      RecognizedLine& line = lines.emplace_back();
      line.paragraph = paragraph;
      int left = 0, top = 0, right = 0, bottom = 0;
      if (it->BoundingBox(RIL_TEXTLINE, &left, &top, &right, &bottom)) {
        line.box = BoxFromCorners(left, top, right, bottom);
      }
      it->Baseline(RIL_TEXTLINE, &line.baseline_x1, &line.baseline_y1, &line.baseline_x2,
                   &line.baseline_y2);
    }
    RecognizedWord word;
    // The text is allocated with new[] by Tesseract.
    std::unique_ptr<char[]> text(it->GetUTF8Text(RIL_WORD));
    if (text != nullptr) word.text = text.get();
    int left = 0, top = 0, right = 0, bottom = 0;
    if (it->BoundingBox(RIL_WORD, &left, &top, &right, &bottom)) {
      word.box = BoxFromCorners(left, top, right, bottom);
    }
    word.confidence = it->Confidence(RIL_WORD);
    lines.back().words.push_back(std::move(word));
  } while (it->Next(RIL_WORD));
  return lines;
}

// Process-wide Tesseract parameters (globals shared by all instances, baseapi.h), set
// once by the first Create() before any engine recognises anything.
void SetProcessWideParameters() {
  tesseract::TessBaseAPI api;
  // Tesseract writes notes ("Estimating resolution as 331", "Detected 87 diacritics") to
  // stderr; the station reports through its own errors instead.
  const bool ok = api.SetVariable("debug_file", "/dev/null");
  assert(ok && "debug_file is a Tesseract 5 parameter");
  (void)ok;
  // tprintf() opens debug_file lazily into a static FILE* on its first message. Trigger
  // that message here, on one thread, so that engines starting in parallel do not race to
  // open it: a tiny page at an invalid resolution makes Tesseract print a warning.
  PixPtr tiny(pixCreate(16, 16, 1));
  if (tiny != nullptr) {
    api.InitForAnalysePage();
    api.SetImage(tiny.get());
    api.SetSourceResolution(1);
    delete api.AnalyseLayout();
    api.Clear();
  }
}

std::once_flag g_process_setup;

// Serialises Init(): it loads model files and registers parameters, and is done once per
// worker at start-up, so serialising costs nothing and avoids relying on its thread-safety.
std::mutex g_init_mutex;

}  // namespace

std::string ResolveTessdataDir(const std::string& tessdata_dir) {
  std::string dir = tessdata_dir;
  if (dir.empty()) {
    // Tesseract 5 reads TESSDATA_PREFIX as the tessdata directory itself and ignores it
    // when it does not exist (ccutil.cpp).
    const char* env = std::getenv("TESSDATA_PREFIX");
    std::error_code ec;
    if (env != nullptr && *env != '\0' && fs::exists(env, ec)) dir = env;
  }
  if (dir.empty()) dir = kDebianTessdataDir;
  if (dir.back() != '/') dir += '/';
  return dir;
}

Result<std::vector<std::string>> AvailableLanguages(const std::string& tessdata_dir) {
  const std::string dir = ResolveTessdataDir(tessdata_dir);
  std::vector<std::string> languages;
  const std::string_view suffix = kTraineddataSuffix;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;  // follows symlinks
    languages.push_back(name.substr(0, name.size() - suffix.size()));
  }
  if (ec) {
    const std::string reason = ec == std::errc::no_such_file_or_directory
                                   ? "findes ikke"
                                   : "kan ikke læses (" + ec.message() + ")";
    return Error(ErrorCode::kUnavailable,
                 "Tesseracts sprogmappe " + dir + " " + reason +
                     ": installér Debian-pakken tesseract-ocr-dan (apt-get install "
                     "tesseract-ocr-dan), eller ret stien til sprogfilerne (TESSDATA_PREFIX)");
  }
  std::sort(languages.begin(), languages.end());
  return languages;
}

Status CheckLanguages(const std::string& languages, const std::string& tessdata_dir) {
  INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> wanted, SplitLanguages(languages));
  const std::string dir = ResolveTessdataDir(tessdata_dir);
  INTAKE_ASSIGN_OR_RETURN(std::vector<std::string> installed, AvailableLanguages(dir));
  std::vector<std::string> missing, files, packages;
  for (const std::string& language : wanted) {
    if (std::binary_search(installed.begin(), installed.end(), language)) continue;
    if (std::find(missing.begin(), missing.end(), language) != missing.end()) continue;
    missing.push_back(language);
    files.push_back(language + kTraineddataSuffix);
    packages.push_back(DebianPackageFor(language));
  }
  if (missing.empty()) return OkStatus();
  const bool one = missing.size() == 1;
  const std::string installed_text = installed.empty() ? "ingen" : JoinWith(installed, ", ");
  return Error(ErrorCode::kUnavailable,
               std::string(one ? "Tesseract-sproget " : "Tesseract-sprogene ") +
                   JoinDanish(missing) + " er ikke installeret: " + JoinDanish(files) +
                   " findes ikke i " + dir + ". Installér Debian-" +
                   (one ? "pakken " : "pakkerne ") + JoinWith(packages, " ") +
                   " (apt-get install " + JoinWith(packages, " ") +
                   "), eller ret [ocr] "
                   "languages. Installerede sprog: " +
                   installed_text);
}

void LimitOpenMpOnThisThread() {
  // max-active-levels 0 makes every parallel region inactive, i.e. run by the encountering
  // thread alone, even Tesseract's `num_threads(4)` regions. The value is an ICV of the
  // calling thread in libgomp (GCC 11 and later), hence one call per thread.
  omp_set_max_active_levels(0);
}

void TesseractEngine::ApiDeleter::operator()(tesseract::TessBaseAPI* api) const {
  api->End();
  delete api;
}

TesseractEngine::TesseractEngine(ApiPtr api, std::string description, bool drop_noise)
    : api_(std::move(api)), description_(std::move(description)), drop_noise_(drop_noise) {}

TesseractEngine::~TesseractEngine() = default;

Result<std::unique_ptr<TesseractEngine>> TesseractEngine::Create(const TesseractOptions& options) {
  INTAKE_RETURN_IF_ERROR(CheckLanguages(options.languages, options.tessdata_dir));
  const std::string dir = ResolveTessdataDir(options.tessdata_dir);
  LimitOpenMpOnThisThread();
  try {
    std::call_once(g_process_setup, SetProcessWideParameters);
    ApiPtr api(new tesseract::TessBaseAPI());
    int rc = 0;
    {
      std::lock_guard<std::mutex> lock(g_init_mutex);
      // LSTM only, stated rather than left to OEM_DEFAULT: Debian's models (the "fast"
      // integer networks) hold no legacy engine, and a pack that does need not load it.
      rc = api->Init(dir.c_str(), options.languages.c_str(), tesseract::OEM_LSTM_ONLY);
    }
    if (rc != 0) {
      const std::string packages =
          JoinWith(DebianPackagesFor(*SplitLanguages(options.languages)), " ");
      return Error(ErrorCode::kUnavailable,
                   "Tesseract kunne ikke indlæse sprogfilerne til \"" + options.languages +
                       "\" fra " + dir + ": de er beskadigede eller passer ikke til Tesseract " +
                       tesseract::TessBaseAPI::Version() +
                       ". Geninstallér dem (apt-get install --reinstall " + packages + ")");
    }
    // Every per-instance parameter is set here, once, never during recognition.
    // Automatic page segmentation (the tesseract command's default; the API's default is a
    // single block, which runs the columns of a two-column page together line by line).
    api->SetPageSegMode(tesseract::PSM_AUTO);
    if (!api->SetVariable("tessedit_do_invert", options.read_inverted_text ? "1" : "0")) {
      return Error(ErrorCode::kInternal, "Tesseract " +
                                             std::string(tesseract::TessBaseAPI::Version()) +
                                             " kender ikke parameteren tessedit_do_invert");
    }
    std::string description = "Tesseract " + std::string(tesseract::TessBaseAPI::Version()) + " (" +
                              api->GetInitLanguagesAsString() + ")";
    return std::unique_ptr<TesseractEngine>(
        new TesseractEngine(std::move(api), std::move(description), options.drop_noise));
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::kInternal,
                 "der var ikke hukommelse nok til at indlæse Tesseract-sprogene \"" +
                     options.languages + "\"");
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, std::string("Tesseract fejlede under indlæsning af \"") +
                                           options.languages + "\": " + e.what());
  }
}

Result<OcrResult> TesseractEngine::Recognize(const PIX* image, int dpi,
                                             Clock::time_point deadline) {
  assert(image != nullptr);
  const Clock::time_point start = Clock::now();
  PIX* pix = const_cast<PIX*>(image);  // Leptonica and Tesseract take PIX*; see below
  const int width = pixGetWidth(pix);
  const int height = pixGetHeight(pix);
  const int depth = pixGetDepth(pix);
  const std::string size_text = std::to_string(width) + " × " + std::to_string(height) + " px";
  if (dpi < kMinDpi || dpi > kMaxDpi) {
    return Error(ErrorCode::kInvalidArgument,
                 "siden (" + size_text + ") har opløsningen " + std::to_string(dpi) +
                     " dpi; OCR kræver " + std::to_string(kMinDpi) + " til " +
                     std::to_string(kMaxDpi) + " dpi. Scan med 300 dpi");
  }
  if (depth != 1 && depth != 8 && depth != 32) {
    return Error(ErrorCode::kInvalidArgument,
                 "siden (" + size_text + ") har " + std::to_string(depth) +
                     " bit pr. pixel; OCR tager 1, 8 eller 32 bit pr. pixel (en fejl i "
                     "indlæsningen af billedet; rapportér den)");
  }
  if (width > kMaxSide || height > kMaxSide) {
    return Error(ErrorCode::kInvalidArgument,
                 "siden er for stor til OCR (" + size_text + "); Tesseract tager højst " +
                     std::to_string(kMaxSide) + " px i hver retning. Scan med lavere opløsning");
  }
  if (start >= deadline) {
    return CancelledBeforeStartError();
  }
  if (HasNoContrast(image)) return OcrResult{};

  LimitOpenMpOnThisThread();
  try {
    // SetImage() copies the image (ImageThresholder::SetImage), so the caller's PIX is
    // only read, except that Tesseract flattens a PNG's alpha channel in place: give it a
    // flattened copy instead.
    PixPtr flattened;
    if (pixGetSpp(pix) == 4) {
      flattened.reset(pixRemoveAlpha(pix));
      if (flattened == nullptr) throw std::bad_alloc();
      pix = flattened.get();
    }
    ClearPageOnExit clear(api_.get());
    api_->SetImage(pix);
    api_->SetSourceResolution(dpi);

    DeadlineState state{deadline};
    tesseract::ETEXT_DESC monitor;
    monitor.cancel = &CancelIfPastDeadline;
    monitor.cancel_this = &state;
    const int rc = api_->Recognize(&monitor);
    if (state.expired) {
      return CancelledError(std::chrono::duration<double>(deadline - start).count());
    }
    if (rc != 0) {
      return Error(ErrorCode::kInternal, "Tesseract kunne ikke læse siden (" + size_text + ", " +
                                             std::to_string(depth) + " bit pr. pixel)");
    }
    std::vector<RecognizedLine> lines = CollectLines(*api_);
    const float mean_confidence = static_cast<float>(api_->MeanTextConf());
    const NoiseFilter noise;
    return AssembleOcrResult(std::move(lines), mean_confidence, drop_noise_ ? &noise : nullptr);
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::kInternal,
                 "der var ikke hukommelse nok til OCR af siden (" + size_text + ")");
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal,
                 "Tesseract fejlede under OCR af siden (" + size_text + "): " + e.what());
  }
}

std::string TesseractEngine::Describe() const { return description_; }

}  // namespace intake::ocr
