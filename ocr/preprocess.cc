#include "ocr/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <new>
#include <vector>

#include "ocr/ocr_engine.h"

namespace intake::ocr {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Leptonica's skew confidence below which a page has no usable text lines: text pages
// score 8–25, a single short line about 5, a signature or a stamp 3.
constexpr float kMinSkewConfidence = 4.0f;
// Fewer letter-like marks than this are not text lines (a signature, a stamp, a logo).
constexpr int kMinLettersForSkew = 8;
// Leptonica up/down confidence needed to trust the layout statistics alone.
constexpr float kMinUpDownConfidence = 8.0f;
// OCR tie-break: the best rotation must reach this mean confidence and beat the next by
// this margin.
constexpr float kMinOcrOrientationConfidence = 55.0f;
constexpr float kMinOcrOrientationMargin = 12.0f;

PIX* Mutable(const PIX* p) { return const_cast<PIX*>(p); }  // Leptonica lacks const

double MillimetresToPixels(double mm, int dpi) { return mm * dpi / 25.4; }

void DebugWrite(const PreprocessOptions& options, const char* stage, const PIX* pix) {
  if (options.debug_dir.empty() || pix == nullptr) return;
  std::error_code ec;
  std::filesystem::create_directories(options.debug_dir, ec);
  char name[64];
  std::snprintf(name, sizeof name, "/%06d_%s.png", options.page_index + 1, stage);
  pixWrite((options.debug_dir + name).c_str(), Mutable(pix), IFF_PNG);
}

// Number of black pixels of a 1 bpp image.
int64_t CountBlack(const PIX* binary) {
  l_int32 count = 0;
  pixCountPixels(Mutable(binary), &count, nullptr);
  return count;
}

// The threshold after background normalisation to 200. Print is far below; light stamp
// ink and thin typewriter strokes need it this high (at 150 they broke up: CER 0.80 % on
// the benchmark against 0.52 % at 170); show-through from the back stays above it (at
// 185 one blank back of the benchmark was read as printed).
constexpr int kBinaryThreshold = 170;
// Whether a page is blank is judged at a darker threshold, so heavy show-through of a
// printed back (15 % of full contrast in tests/ocr/preprocess_test.cc) stays white.
constexpr int kBlankThreshold = 150;

// Only the components that can be letters: at least 1 mm in some direction (dust and
// punctuation go) and at most 7 mm tall (barcode bars, rules, logos, signature loops and
// punch holes go). Skew, line direction and the OCR crop look at these only.
PixPtr LetterLikeComponents(const PIX* binary, int dpi) {
  const int one_mm = std::max(2, static_cast<int>(MillimetresToPixels(1, dpi)));
  const int seven_mm = static_cast<int>(MillimetresToPixels(7, dpi));
  PixPtr big_enough(pixSelectBySize(Mutable(binary), one_mm, one_mm, 8, L_SELECT_IF_EITHER,
                                    L_SELECT_IF_GTE, nullptr));
  if (!big_enough) return nullptr;
  return PixPtr(pixSelectBySize(big_enough.get(), 0, seven_mm, 8, L_SELECT_HEIGHT,
                                L_SELECT_IF_LTE, nullptr));
}

// The box of the largest run of letters (words merged by a 3 mm closing), padded; null
// when the page holds no letter-like marks.
BoxPtr LargestTextRun(const PIX* binary, int dpi) {
  PixPtr letters = LetterLikeComponents(binary, dpi);
  if (!letters) return nullptr;
  const int close = static_cast<int>(MillimetresToPixels(3, dpi)) | 1;
  PixPtr merged(pixCloseSafeBrick(nullptr, letters.get(), close, close));
  if (!merged) return nullptr;
  BoxaPtr runs(pixConnCompBB(merged.get(), 8));
  const int n = runs ? boxaGetCount(runs.get()) : 0;
  int best = -1;
  int64_t best_area = 0;
  for (int i = 0; i < n; ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(runs.get(), i, &x, &y, &w, &h);
    if (static_cast<int64_t>(w) * h > best_area) {
      best_area = static_cast<int64_t>(w) * h;
      best = i;
    }
  }
  if (best < 0) return nullptr;
  l_int32 x, y, w, h;
  boxaGetBoxGeometry(runs.get(), best, &x, &y, &w, &h);
  const int pad = static_cast<int>(MillimetresToPixels(2, dpi));
  const int max_side = dpi * 4;  // enough text to judge, small enough to be quick
  const int width = pixGetWidth(Mutable(binary));
  const int height = pixGetHeight(Mutable(binary));
  const int x0 = std::max(0, x - pad);
  const int y0 = std::max(0, y - pad);
  return BoxPtr(boxCreate(x0, y0, std::min({w + 2 * pad, max_side, width - x0}),
                          std::min({h + 2 * pad, max_side, height - y0})));
}

// OCR score of one candidate rotation: mean confidence, and whether it holds at least one
// real word (three or more letters).
struct OcrScore {
  float confidence = 0;
  int words = 0;
};

OcrScore ScoreRotation(OcrEngine& engine, const PIX* crop, int quads, int dpi,
                       std::chrono::steady_clock::time_point deadline) {
  PixPtr rotated(pixRotateOrth(Mutable(crop), quads));
  if (!rotated) return {};
  Result<OcrResult> r = engine.Recognize(rotated.get(), dpi, deadline);
  if (!r) return {};
  OcrScore score;
  score.confidence = r->mean_confidence;
  for (const OcrWord& w : r->words) {
    int letters = 0;
    for (unsigned char c : w.text) {
      // Count ASCII letters and UTF-8 lead bytes (Danish letters) as letters.
      if (std::isalpha(c) || c >= 0xC0) ++letters;
    }
    if (letters >= 3 && w.confidence >= 50) ++score.words;
  }
  return score;
}

}  // namespace

PixPtr ToGray(const PIX* image) { return PixPtr(pixConvertTo8(Mutable(image), 0)); }

PixPtr RemoveScannerBorder(const PIX* gray, int dpi, int* cleared) {
  *cleared = 0;
  const int width = pixGetWidth(Mutable(gray));
  const int height = pixGetHeight(Mutable(gray));
  // Scanner beds and lids show as dark grey to black; paper and print shadows do not form
  // large dark areas connected to the edge.
  PixPtr dark(pixThresholdToBinary(Mutable(gray), 100));
  PixPtr border(dark ? pixExtractBorderConnComps(dark.get(), 8) : nullptr);
  if (!border) return PixPtr(pixCopy(nullptr, Mutable(gray)));

  // Keep only long pieces (at least a tenth of the side they lie along): text or a stamp
  // touching the edge stays.
  PIXA* pixa_raw = nullptr;
  BoxaPtr boxes(pixConnComp(border.get(), &pixa_raw, 8));
  PixaPtr pixa(pixa_raw);
  PixPtr mask(pixCreate(width, height, 1));
  const int n = boxes ? boxaGetCount(boxes.get()) : 0;
  for (int i = 0; i < n; ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h);
    if (w < width / 10 && h < height / 10) continue;
    PixPtr piece(pixaGetPix(pixa.get(), i, L_CLONE));
    pixRasterop(mask.get(), x, y, w, h, PIX_SRC | PIX_DST, piece.get(), 0, 0);
  }
  PixPtr out(pixCopy(nullptr, Mutable(gray)));
  l_int32 count = 0;
  pixCountPixels(mask.get(), &count, nullptr);
  if (count == 0) return out;
  // Also take the soft transition between bed and paper (about 0.5 mm).
  const int grow = std::max(3, static_cast<int>(MillimetresToPixels(0.5, dpi)) | 1);
  PixPtr grown(pixDilateBrick(nullptr, mask.get(), grow, grow));
  pixSetMasked(out.get(), grown.get(), 255);
  pixCountPixels(grown.get(), &count, nullptr);
  *cleared = count;
  return out;
}

PixPtr Binarize(const PIX* gray, int threshold) {
  PixPtr normalized(pixBackgroundNormSimple(Mutable(gray), nullptr, nullptr));
  if (!normalized) return nullptr;
  return PixPtr(pixThresholdToBinary(normalized.get(), threshold));
}

PixPtr Binarize(const PIX* gray) { return Binarize(gray, kBinaryThreshold); }

PixPtr RemoveSpeckles(const PIX* binary, int dpi, int* removed) {
  *removed = 0;
  // 1. Specks of at most ~0.2 mm (2 px at 300 dpi) in both directions go everywhere.
  const int max_speck = std::max(1, static_cast<int>(std::lround(MillimetresToPixels(0.17, dpi))));
  PixPtr out(pixSelectBySize(Mutable(binary), max_speck + 1, max_speck + 1, 8,
                             L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
  if (!out) return PixPtr(pixCopy(nullptr, Mutable(binary)));

  // 2. Dots of up to ~0.6 mm go only when no other mark is within 1 mm: the dot of an i,
  //    a full stop or a comma sits close to its letters; dust in the margins does not.
  const int max_dot = static_cast<int>(MillimetresToPixels(0.6, dpi));
  PixPtr dots(pixSelectBySize(out.get(), max_dot, max_dot, 8, L_SELECT_IF_BOTH,
                              L_SELECT_IF_LTE, nullptr));
  if (dots) {
    PixPtr marks(pixSubtract(nullptr, out.get(), dots.get()));
    const int reach = 2 * static_cast<int>(MillimetresToPixels(1.0, dpi)) + 1;
    PixPtr halo(marks ? pixDilateBrick(nullptr, marks.get(), reach, reach) : nullptr);
    if (halo) {
      // Dots touching the halo, grown back to whole dots, are kept.
      PixPtr seed(pixAnd(nullptr, dots.get(), halo.get()));
      PixPtr kept_dots(seed ? pixSeedfillBinary(nullptr, seed.get(), dots.get(), 8) : nullptr);
      if (kept_dots) out.reset(pixOr(nullptr, marks.get(), kept_dots.get()));
    }
  }
  *removed = static_cast<int>(CountBlack(binary) - CountBlack(out.get()));
  return out;
}

BlankResult DetectBlank(const PIX* binary, int dpi) {
  BlankResult result;
  const int width = pixGetWidth(Mutable(binary));
  const int height = pixGetHeight(Mutable(binary));
  // Ignore a 5 mm band at the edges: paper edges, scanner shadows, staples.
  const int margin = static_cast<int>(MillimetresToPixels(5, dpi));
  if (width <= 2 * margin || height <= 2 * margin) {
    result.blank = CountBlack(binary) == 0;
    return result;
  }
  BoxPtr inner_box(boxCreate(margin, margin, width - 2 * margin, height - 2 * margin));
  PixPtr inner(pixClipRectangle(Mutable(binary), inner_box.get(), nullptr));
  const int64_t ink = CountBlack(inner.get());
  const double area = static_cast<double>(pixGetWidth(inner.get())) * pixGetHeight(inner.get());
  result.ink_fraction = ink / area;
  if (result.ink_fraction > 0.01) return result;  // plainly printed on

  const int one_mm = static_cast<int>(MillimetresToPixels(1, dpi));
  const int three_mm = static_cast<int>(MillimetresToPixels(3, dpi));
  const int edge_zone = static_cast<int>(MillimetresToPixels(25, dpi)) - margin;
  BoxaPtr boxes(pixConnCompBB(inner.get(), 8));
  const int n = boxes ? boxaGetCount(boxes.get()) : 0;
  const int iw = pixGetWidth(inner.get());
  const int ih = pixGetHeight(inner.get());
  for (int i = 0; i < n; ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h);
    const int extent = std::max(w, h);
    if (extent < one_mm) continue;
    // Punch holes: round, solid, 4–8 mm, within 25 mm of an edge.
    const bool near_edge = x < edge_zone || y < edge_zone || iw - (x + w) < edge_zone ||
                           ih - (y + h) < edge_zone;
    const bool hole_sized = w >= MillimetresToPixels(4, dpi) && w <= MillimetresToPixels(8, dpi) &&
                            std::abs(w - h) <= MillimetresToPixels(1.5, dpi);
    if (near_edge && hole_sized) {
      BoxPtr b(boxCreate(x, y, w, h));
      l_int32 filled = 0;
      pixCountPixelsInRect(inner.get(), b.get(), &filled, nullptr);
      if (filled > 0.6 * w * h) continue;
    }
    ++result.marks;
    result.largest_mark_px = std::max(result.largest_mark_px, extent);
  }
  result.blank = result.largest_mark_px < three_mm && result.marks < 3;
  return result;
}

SkewResult DetectSkew(const PIX* binary, int dpi, double max_degrees) {
  SkewResult result;
  PixPtr letters = LetterLikeComponents(binary, dpi);
  if (!letters) return result;
  // A signature or a stamp can score like one line of text; real text has many letters.
  l_int32 marks = 0;
  pixCountConnComp(letters.get(), 8, &marks);
  if (marks < kMinLettersForSkew) return result;
  l_float32 angle = 0, conf = 0;
  // Sweep at 1/4 resolution, refine at 1/2: about 0.02° on text pages.
  if (pixFindSkewSweepAndSearch(letters.get(), &angle, &conf, 4, 2,
                                static_cast<l_float32>(max_degrees), 1.0f, 0.01f) != 0) {
    return result;
  }
  result.degrees = angle;  // Leptonica's deskew angle is our counter-clockwise skew
  result.confidence = conf;
  result.found = conf >= kMinSkewConfidence && std::abs(angle) <= max_degrees;
  return result;
}

LineDirection DetectLineDirection(const PIX* binary, int dpi) {
  LineDirection result;
  PixPtr letters = LetterLikeComponents(binary, dpi);
  if (!letters) return result;
  // Leptonica's text statistics work at 150–300 dpi; 150 is four times cheaper.
  PixPtr reduced;
  const PIX* work = letters.get();
  if (dpi > 200) {
    reduced.reset(pixReduceRankBinary2(letters.get(), 1, nullptr));
    if (reduced) work = reduced.get();
  }
  // Compare skew scores within ±12° of 0° and of 90°.
  l_float32 angle = 0, conf = 0;
  pixFindSkewOrthogonalRange(Mutable(work), &angle, &conf, 2, 1, 12.0f, 1.0f, 0.1f, 0.0f);
  result.confidence = conf;
  result.known = conf >= kMinSkewConfidence;
  result.vertical = result.known && std::abs(angle) > 45.0f;
  return result;
}

OrientationResult DetectUpDown(const PIX* binary, int dpi, OcrEngine* engine,
                               std::chrono::steady_clock::time_point deadline) {
  OrientationResult result;
  result.method = "layout";
  // Ascender and descender statistics at the full resolution: at 150 dpi they are only a
  // few pixels and the confidence drops.
  l_float32 upconf = 0;
  pixUpDownDetect(Mutable(binary), &upconf, 0, 0, 0);
  result.confidence = std::abs(upconf);
  if (std::abs(upconf) >= kMinUpDownConfidence) {
    result.decided = true;
    result.degrees = upconf > 0 ? 0 : 180;
    return result;
  }
  if (engine != nullptr) {
    OrientationResult by_ocr = DetectOrientationByOcr(binary, dpi, *engine, deadline, {0, 2});
    if (by_ocr.decided) return by_ocr;
  }
  return result;  // undecided: the page stays as it is
}

OrientationResult DetectOrientationByOcr(const PIX* binary, int dpi, OcrEngine& engine,
                                         std::chrono::steady_clock::time_point deadline,
                                         const std::vector<int>& quarter_turns) {
  OrientationResult result;
  result.method = "ocr";
  BoxPtr crop_box = LargestTextRun(binary, dpi);
  if (!crop_box) return result;
  PixPtr crop(pixClipRectangle(Mutable(binary), crop_box.get(), nullptr));
  if (!crop) return result;

  // A run of letters much wider than tall lies across the page; much taller than wide,
  // along it. Then only the two turns that keep its lines level are worth reading
  // (Tesseract reads vertical lines too, and would score a quarter turn as well).
  std::vector<int> candidates = quarter_turns;
  const int cw = pixGetWidth(crop.get()), ch = pixGetHeight(crop.get());
  auto keep = [&](int parity) {
    std::vector<int> narrowed;
    for (int q : candidates) {
      if (q % 2 == parity) narrowed.push_back(q);
    }
    if (!narrowed.empty()) candidates = narrowed;
  };
  if (cw >= 2 * ch) keep(0);
  if (ch >= 2 * cw) keep(1);

  std::vector<std::pair<OcrScore, int>> scores;
  for (int quads : candidates) {
    scores.emplace_back(ScoreRotation(engine, crop.get(), quads, dpi, deadline), quads);
  }
  std::sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) {
    return a.first.confidence > b.first.confidence;
  });
  const OcrScore& best = scores[0].first;
  const float runner_up = scores.size() > 1 ? scores[1].first.confidence : 0.0f;
  result.confidence = best.confidence - runner_up;
  if (best.words >= 1 && best.confidence >= kMinOcrOrientationConfidence &&
      best.confidence - runner_up >= kMinOcrOrientationMargin) {
    result.decided = true;
    result.degrees = scores[0].second * 90;
  }
  return result;
}

PixPtr RotateClockwise(const PIX* image, int degrees) {
  const int quads = ((degrees % 360) + 360) % 360 / 90;
  if (quads == 0) return PixPtr(pixCopy(nullptr, Mutable(image)));
  return PixPtr(pixRotateOrth(Mutable(image), quads));
}

PixPtr RotateSmall(const PIX* image, double degrees) {
  const float radians = static_cast<float>(degrees * kPi / 180.0);
  const int depth = pixGetDepth(Mutable(image));
  const int type = depth == 1 ? L_ROTATE_SAMPLING : L_ROTATE_AREA_MAP;
  return PixPtr(pixRotate(Mutable(image), radians, type, L_BRING_IN_WHITE, 0, 0));
}

Result<PreparedPage> PreparePage(const PageImage& page, const PreprocessOptions& options,
                                 OcrEngine* engine,
                                 std::chrono::steady_clock::time_point deadline) {
  if (page.pix == nullptr) return Error(ErrorCode::kInvalidArgument, "siden har intet billede");
  const int depth = pixGetDepth(page.pix.get());
  if (depth != 1 && depth != 8 && depth != 32) {
    return Error(ErrorCode::kInvalidArgument,
                 "side " + std::to_string(page.source_page) + " i " + page.source +
                     " har en ikke-understøttet farvedybde (" + std::to_string(depth) + " bit)");
  }
  try {
    PreparedPage out;
    out.dpi = page.dpi > 0 ? page.dpi : 300;
    PixPtr gray = ToGray(page.pix.get());
    if (!gray) return Error(ErrorCode::kInternal, "kunne ikke lave et gråtonebillede af siden");
    DebugWrite(options, "1_gray", gray.get());
    gray = RemoveScannerBorder(gray.get(), out.dpi, &out.border_pixels_cleared);
    DebugWrite(options, "2_border", gray.get());

    // One background normalisation, two thresholds: text, and the darker blank test.
    PixPtr normalized(pixBackgroundNormSimple(gray.get(), nullptr, nullptr));
    if (!normalized) return Error(ErrorCode::kInternal, "kunne ikke binarisere siden");
    PixPtr raw_binary(pixThresholdToBinary(normalized.get(), kBinaryThreshold));
    PixPtr dark(pixThresholdToBinary(normalized.get(), kBlankThreshold));
    normalized.reset();
    if (!raw_binary || !dark) return Error(ErrorCode::kInternal, "kunne ikke binarisere siden");
    PixPtr binary = RemoveSpeckles(raw_binary.get(), out.dpi, &out.speckles_removed);
    DebugWrite(options, "3_binary", binary.get());

    PixPtr color;
    if (depth == 32) color.reset(pixCopy(nullptr, page.pix.get()));

    {
      int removed = 0;
      PixPtr clean_dark = RemoveSpeckles(dark.get(), out.dpi, &removed);
      dark.reset();
      out.blank = DetectBlank(clean_dark.get(), out.dpi);
    }
    if (out.blank.blank) {
      out.orientation.method = "none";
      out.content = ClassifyContent(gray.get(), color.get(), out.dpi, depth == 1);
      if (out.content.content != PageContent::kColorImage) color.reset();
      out.gray = std::move(gray);
      out.binary = std::move(binary);
      out.color = std::move(color);
      return out;
    }

    // 1. Turn vertical text lines horizontal (90° either way; up or down comes later).
    const LineDirection lines = options.detect_orientation
                                    ? DetectLineDirection(binary.get(), out.dpi)
                                    : LineDirection{};
    int quarter_turns = 0;
    if (lines.vertical) {
      quarter_turns = 1;
      gray = RotateClockwise(gray.get(), 90);
      binary = RotateClockwise(binary.get(), 90);
      if (color) color = RotateClockwise(color.get(), 90);
    }

    // 2. Straighten, so the up/down statistics see level lines.
    out.skew = DetectSkew(binary.get(), out.dpi, options.max_skew_degrees);
    if (out.skew.found && std::abs(out.skew.degrees) >= options.min_skew_to_correct) {
      // Rotate the grey image (smooth) and binarise again, rather than rotating the
      // 1 bpp image, which would leave jagged strokes.
      gray = RotateSmall(gray.get(), out.skew.degrees);
      PixPtr again = Binarize(gray.get());
      if (!again) return Error(ErrorCode::kInternal, "kunne ikke binarisere siden");
      int removed = 0;
      binary = RemoveSpeckles(again.get(), out.dpi, &removed);
      if (color) color = RotateSmall(color.get(), out.skew.degrees);
      out.skew_corrected = true;
    }

    // 3. Up or down. Without known line direction only OCR can tell (all four turns).
    if (!options.detect_orientation) {
      out.orientation.method = "given";
    } else if (lines.known) {
      out.orientation = DetectUpDown(binary.get(), out.dpi, engine, deadline);
    } else if (engine != nullptr) {
      out.orientation = DetectOrientationByOcr(binary.get(), out.dpi, *engine, deadline,
                                               {0, 1, 2, 3});
    } else {
      out.orientation.method = "none";
    }
    if (!out.orientation.decided) {
      // Never rotate on a guess: undo the quarter turn of step 1 as well.
      if (quarter_turns != 0) {
        gray = RotateClockwise(gray.get(), 270);
        binary = RotateClockwise(binary.get(), 270);
        if (color) color = RotateClockwise(color.get(), 270);
      }
      out.orientation.degrees = 0;
    } else {
      const int extra = out.orientation.degrees;
      if (extra != 0) {
        gray = RotateClockwise(gray.get(), extra);
        binary = RotateClockwise(binary.get(), extra);
        if (color) color = RotateClockwise(color.get(), extra);
      }
      out.orientation.degrees = (quarter_turns * 90 + extra) % 360;
    }
    DebugWrite(options, "4_upright", binary.get());
    out.content = ClassifyContent(gray.get(), color.get(), out.dpi, depth == 1);
    if (out.content.content != PageContent::kColorImage) color.reset();  // not needed
    out.gray = std::move(gray);
    out.binary = std::move(binary);
    out.color = std::move(color);
    return out;
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::kInternal, "ikke nok hukommelse til at behandle siden");
  }
}

}  // namespace intake::ocr
