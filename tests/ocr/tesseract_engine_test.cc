// Integration tests of TesseractEngine with the real Tesseract and Debian's dan/eng models.
//
// Pages: tests/data/ocr/letter_da.png (a Danish letter drawn by scripts/make_ocr_fixture.py,
// with its text and word boxes beside it) and the shared scan linn.png (two columns).
#include "ocr/tesseract_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/text_metrics.h"

namespace intake::ocr {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

const std::string kLetterBase = std::string(INTAKE_SOURCE_DIR) + "/tests/data/ocr/letter_da";
const std::string kScans = std::string(INTAKE_SHARED_DIR) + "/testdata/scans";
constexpr int kDpi = 300;

Clock::time_point FarDeadline() { return Clock::now() + std::chrono::minutes(5); }

// Reads an image as the page loaders hand it over: never colour-mapped.
PixPtr LoadPage(const std::string& path) {
  PixPtr pix(pixRead(path.c_str()));
  if (pix != nullptr && pixGetColormap(pix.get()) != nullptr) {
    pix.reset(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
  }
  return pix;
}

std::unique_ptr<TesseractEngine> MakeEngine(const std::string& languages = "dan") {
  TesseractOptions options;
  options.languages = languages;
  Result<std::unique_ptr<TesseractEngine>> engine = TesseractEngine::Create(options);
  EXPECT_TRUE(engine.has_value()) << engine.error().ToString();
  return engine.has_value() ? std::move(*engine) : nullptr;
}

// One word drawn by the fixture generator and its ink box.
struct DrawnWord {
  std::string text;
  PixelBox box;
};

std::vector<DrawnWord> ReadDrawnWords(const std::string& tsv_path) {
  std::vector<DrawnWord> words;
  std::ifstream in(tsv_path);
  std::string row;
  std::getline(in, row);  // header
  while (std::getline(in, row)) {
    std::istringstream fields(row);
    DrawnWord w;
    std::getline(fields, w.text, '\t');
    fields >> w.box.x >> w.box.y >> w.box.width >> w.box.height;
    if (fields) words.push_back(w);
  }
  return words;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

class TesseractEngineLetterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    page_ = LoadPage(kLetterBase + ".png");
    ASSERT_NE(page_, nullptr) << kLetterBase << ".png";
    ASSERT_EQ(pixGetDepth(page_.get()), 8);
    reference_ = testing::ReadFile(kLetterBase + ".txt");
    ASSERT_FALSE(reference_.empty());
    engine_ = MakeEngine("dan");
    ASSERT_NE(engine_, nullptr);
  }

  OcrResult Read(const PIX* page) {
    Result<OcrResult> r = engine_->Recognize(page, kDpi, FarDeadline());
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.has_value() ? *r : OcrResult{};
  }

  PixPtr page_;
  std::string reference_;
  std::unique_ptr<TesseractEngine> engine_;
};

TEST_F(TesseractEngineLetterTest, ReadsDanishLettersExactly) {
  const OcrResult r = Read(page_.get());
  std::vector<std::string> words;
  for (const OcrWord& w : r.words) words.push_back(w.text);
  EXPECT_THAT(words, ::testing::Contains("Kære"));
  EXPECT_THAT(words, ::testing::Contains("København"));
  EXPECT_THAT(r.text, HasSubstr("Blåbærsyltetøj,"));
  EXPECT_THAT(r.text, HasSubstr("ÆØÅ æøå,"));
  const double cer = testing::CharacterErrorRate(reference_, r.text);
  EXPECT_LE(cer, 0.01) << r.text;  // the target for clean 300-dpi letters
  EXPECT_GT(r.mean_confidence, 80) << "a clean page reads with high confidence";
  EXPECT_LE(r.mean_confidence, 100);
  for (const OcrWord& w : r.words) {
    EXPECT_GE(w.confidence, 0) << w.text;
    EXPECT_LE(w.confidence, 100) << w.text;
  }
}

TEST_F(TesseractEngineLetterTest, PlacesWordBoxesWhereTheWordsWereDrawn) {
  const OcrResult r = Read(page_.get());
  // Compare the words that occur once on the page, both as drawn and as read.
  std::map<std::string, int> drawn_count, read_count;
  const std::vector<DrawnWord> drawn = ReadDrawnWords(kLetterBase + ".tsv");
  ASSERT_GT(drawn.size(), 50u);
  for (const DrawnWord& d : drawn) ++drawn_count[d.text];
  for (const OcrWord& w : r.words) ++read_count[w.text];
  constexpr int kTolerance = 4;  // pixels; the fixture is blurred by about 1 px
  int compared = 0;
  for (const DrawnWord& d : drawn) {
    if (drawn_count[d.text] != 1 || read_count[d.text] != 1) continue;
    const auto it = std::find_if(r.words.begin(), r.words.end(),
                                 [&](const OcrWord& w) { return w.text == d.text; });
    ASSERT_NE(it, r.words.end());
    EXPECT_NEAR(it->box.x, d.box.x, kTolerance) << d.text;
    EXPECT_NEAR(it->box.y, d.box.y, kTolerance) << d.text;
    EXPECT_NEAR(it->box.x + it->box.width, d.box.x + d.box.width, kTolerance) << d.text;
    EXPECT_NEAR(it->box.y + it->box.height, d.box.y + d.box.height, kTolerance) << d.text;
    ++compared;
  }
  EXPECT_GE(compared, static_cast<int>(drawn.size()) * 3 / 4) << "most words compared";
}

TEST_F(TesseractEngineLetterTest, GroupsWordsIntoTheDrawnLinesAndParagraphs) {
  const OcrResult r = Read(page_.get());
  // Reference lines; an empty line separates paragraphs.
  std::vector<std::string> ref_lines;
  std::vector<bool> starts_paragraph;
  bool next_starts = true;
  for (const std::string& line : SplitLines(reference_)) {
    if (line.empty()) {
      next_starts = true;
      continue;
    }
    ref_lines.push_back(line);
    starts_paragraph.push_back(next_starts);
    next_starts = false;
  }
  ASSERT_EQ(r.lines.size(), ref_lines.size());
  int expected_first_word = 0;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const OcrLine& line = r.lines[i];
    std::string text;
    for (int w = 0; w < line.word_count; ++w) {
      const OcrWord& word = r.words[line.first_word + w];
      EXPECT_EQ(word.line, static_cast<int>(i));
      // Every word lies within its line's box.
      EXPECT_GE(word.box.x, line.box.x);
      EXPECT_GE(word.box.y, line.box.y);
      EXPECT_LE(word.box.x + word.box.width, line.box.x + line.box.width);
      EXPECT_LE(word.box.y + word.box.height, line.box.y + line.box.height);
      text += (w > 0 ? " " : "") + word.text;
    }
    EXPECT_EQ(text, ref_lines[i]);
    EXPECT_EQ(line.first_word, expected_first_word);
    expected_first_word += line.word_count;
    // The baseline runs along the line, in its lower half, nearly level.
    EXPECT_GT(line.baseline_x2, line.baseline_x1);
    EXPECT_GT(line.baseline_y1, line.box.y + line.box.height / 2) << ref_lines[i];
    EXPECT_LE(line.baseline_y1, line.box.y + line.box.height) << ref_lines[i];
    EXPECT_NEAR(line.baseline_y2, line.baseline_y1, 3) << ref_lines[i];
    // Tesseract may split a drawn paragraph, but never joins two.
    if (i > 0) {
      const int step = line.paragraph - r.lines[i - 1].paragraph;
      EXPECT_TRUE(step == 0 || step == 1) << "paragraphs are numbered in order";
      if (starts_paragraph[i]) {
        EXPECT_EQ(step, 1) << ref_lines[i];
      }
    } else {
      EXPECT_EQ(line.paragraph, 0);
    }
  }
  EXPECT_EQ(expected_first_word, static_cast<int>(r.words.size()));
}

TEST_F(TesseractEngineLetterTest, ReadsABinarisedPageAlikeAndLeavesTheCallersImageUnchanged) {
  PixPtr binary(pixThresholdToBinary(page_.get(), 128));
  ASSERT_NE(binary, nullptr);
  PixPtr before(pixCopy(nullptr, binary.get()));
  const OcrResult r = Read(binary.get());
  EXPECT_THAT(r.text, HasSubstr("Blåbærsyltetøj,"));
  EXPECT_THAT(r.text, HasSubstr("ÆØÅ æøå,"));
  EXPECT_LE(testing::CharacterErrorRate(reference_, r.text), 0.01) << r.text;
  l_int32 same = 0;
  ASSERT_EQ(pixEqual(before.get(), binary.get(), &same), 0);
  EXPECT_TRUE(same);
}

TEST_F(TesseractEngineLetterTest, ReadsTheNextPageAfterACancelledOne) {
  const OcrResult first = Read(page_.get());
  Result<OcrResult> cancelled =
      engine_->Recognize(page_.get(), kDpi, Clock::now() + std::chrono::milliseconds(30));
  ASSERT_FALSE(cancelled.has_value());
  EXPECT_EQ(cancelled.error().code(), ErrorCode::kCancelled);
  const OcrResult again = Read(page_.get());
  EXPECT_EQ(again.text, first.text);
}

TEST_F(TesseractEngineLetterTest, TwoEnginesInTwoThreadsReadLikeOneEngine) {
  const std::string expected = Read(page_.get()).text;
  ASSERT_FALSE(expected.empty());
  std::string texts[2];
  std::string errors[2];
  auto work = [&](int i) {
    // One engine per worker thread, created on it; both share the read-only page.
    TesseractOptions options;
    Result<std::unique_ptr<TesseractEngine>> engine = TesseractEngine::Create(options);
    if (!engine.has_value()) {
      errors[i] = engine.error().ToString();
      return;
    }
    for (int round = 0; round < 2; ++round) {
      Result<OcrResult> r = (*engine)->Recognize(page_.get(), kDpi, FarDeadline());
      if (!r.has_value()) {
        errors[i] = r.error().ToString();
        return;
      }
      if (round == 1) texts[i] = r->text;
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(errors[i], "") << "thread " << i;
    EXPECT_EQ(texts[i], expected) << "thread " << i;
  }
}

TEST(TesseractEngineTest, ReadsTwoColumnScanInReadingOrderWithDanishAndEnglish) {
  PixPtr page = LoadPage(kScans + "/linn.png");
  ASSERT_NE(page, nullptr);
  const std::string reference = testing::ReadFile(kScans + "/linn.txt");
  ASSERT_FALSE(reference.empty());
  std::unique_ptr<TesseractEngine> engine = MakeEngine("dan+eng");
  ASSERT_NE(engine, nullptr);
  Result<OcrResult> r = engine->Recognize(page.get(), kDpi, FarDeadline());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  // Measured 1.0% with Tesseract 5.3.0 (dan+eng); running the two columns together line by
  // line (single-block segmentation) gives about 38%.
  const double cer = testing::CharacterErrorRate(reference, r->text);
  EXPECT_LE(cer, 0.03) << r->text;
  EXPECT_THAT(r->text, HasSubstr("The LinnSequencer"));
  EXPECT_GT(r->lines.size(), 50u);
  EXPECT_GT(r->mean_confidence, 80);
}

TEST(TesseractEngineTest, DeadlineInThePastIsCancelledBeforeStarting) {
  std::unique_ptr<TesseractEngine> engine = MakeEngine();
  ASSERT_NE(engine, nullptr);
  PixPtr page = LoadPage(kLetterBase + ".png");
  ASSERT_NE(page, nullptr);
  Result<OcrResult> r = engine->Recognize(page.get(), kDpi, Clock::now() - std::chrono::seconds(1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
  EXPECT_THAT(r.error().message(), HasSubstr("tidsgrænsen"));
}

TEST(TesseractEngineTest, DeadlinePassingDuringRecognitionCancelsNamingTheLimit) {
  std::unique_ptr<TesseractEngine> engine = MakeEngine();
  ASSERT_NE(engine, nullptr);
  PixPtr page = LoadPage(kScans + "/linn.png");  // about 5 s of work
  ASSERT_NE(page, nullptr);
  Result<OcrResult> r = engine->Recognize(page.get(), kDpi, Clock::now() + std::chrono::seconds(1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
  // "0,9 s" or "1,0 s": the limit as measured from the start of Recognize().
  EXPECT_THAT(r.error().message(), ::testing::ContainsRegex("tidsgrænsen på [01],[0-9] s"));
}

TEST(TesseractEngineTest, BlankWhitePagesGiveNoWordsAndZeroConfidence) {
  std::unique_ptr<TesseractEngine> engine = MakeEngine();
  ASSERT_NE(engine, nullptr);
  PixPtr grey(pixCreate(2480, 3508, 8));
  ASSERT_NE(grey, nullptr);
  pixSetAll(grey.get());                     // white
  PixPtr bilevel(pixCreate(2480, 3508, 1));  // all 0 = white
  ASSERT_NE(bilevel, nullptr);
  // A near-white page with faint texture still goes through Tesseract.
  PixPtr faint(pixCreate(2480, 3508, 8));
  ASSERT_NE(faint, nullptr);
  pixSetAllArbitrary(faint.get(), 250);
  for (int y = 0; y < 3508; y += 37) pixSetPixel(faint.get(), (y * 7) % 2480, y, 225);
  for (PIX* page : {grey.get(), bilevel.get(), faint.get()}) {
    Result<OcrResult> r = engine->Recognize(page, kDpi, FarDeadline());
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_TRUE(r->words.empty()) << r->text;
    EXPECT_TRUE(r->lines.empty());
    EXPECT_EQ(r->text, "");
    EXPECT_EQ(r->mean_confidence, 0);
  }
}

TEST(TesseractEngineTest, MissingLanguageIsUnavailableNamingFileDirectoryAndPackage) {
  TesseractOptions options;
  options.languages = "dan+xxx";
  Result<std::unique_ptr<TesseractEngine>> engine = TesseractEngine::Create(options);
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code(), ErrorCode::kUnavailable);
  const std::string& message = engine.error().message();
  EXPECT_THAT(message, HasSubstr("Tesseract-sproget xxx er ikke installeret"));
  EXPECT_THAT(message, HasSubstr("xxx.traineddata"));
  EXPECT_THAT(message, HasSubstr(ResolveTessdataDir("")));
  EXPECT_THAT(message, HasSubstr("tesseract-ocr-xxx"));
  EXPECT_THAT(message, HasSubstr("dan"));  // among the installed languages
}

TEST(TesseractEngineTest, SeveralMissingLanguagesAreNamedTogether) {
  const Status s = CheckLanguages("xxx+dan+yyy_zz", "");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(s.error().message(), HasSubstr("Tesseract-sprogene xxx og yyy_zz"));
  EXPECT_THAT(s.error().message(), HasSubstr("tesseract-ocr-xxx tesseract-ocr-yyy-zz"));
}

TEST(TesseractEngineTest, MalformedLanguageListsAreInvalidArguments) {
  for (const char* languages : {"", "+", "dan+", "+dan", "dan++eng", "dan eng", "../dan",
                                "dan/../../etc", "dan.traineddata", "æøå"}) {
    const Status s = CheckLanguages(languages, "");
    ASSERT_FALSE(s.has_value()) << languages;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument) << languages;
    EXPECT_THAT(s.error().message(), HasSubstr("[ocr] languages")) << languages;
  }
  EXPECT_TRUE(CheckLanguages("dan+eng", "").has_value());
}

TEST(TesseractEngineTest, MissingTessdataDirectoryIsUnavailableNamingIt) {
  testing::ScopedTempDir tmp;
  TesseractOptions options;
  options.tessdata_dir = tmp.Sub("no-such-dir");
  Result<std::unique_ptr<TesseractEngine>> engine = TesseractEngine::Create(options);
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(engine.error().message(), HasSubstr(tmp.Sub("no-such-dir/")));
  EXPECT_THAT(engine.error().message(), HasSubstr("findes ikke"));
}

TEST(TesseractEngineTest, DamagedLanguageFileIsUnavailable) {
  testing::ScopedTempDir tmp;
  testing::WriteFile(tmp.Sub("dan.traineddata"), "not a Tesseract model");
  TesseractOptions options;
  options.tessdata_dir = tmp.path();
  Result<std::unique_ptr<TesseractEngine>> engine = TesseractEngine::Create(options);
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(engine.error().message(), HasSubstr("tesseract-ocr-dan"));
  EXPECT_THAT(engine.error().message(), HasSubstr(tmp.path()));
}

TEST(TesseractEngineTest, AvailableLanguagesListsTraineddataFilesSorted) {
  Result<std::vector<std::string>> installed = AvailableLanguages("");
  ASSERT_TRUE(installed.has_value()) << installed.error().ToString();
  EXPECT_THAT(*installed, ::testing::IsSupersetOf({"dan", "eng"}));

  testing::ScopedTempDir tmp;
  testing::WriteFile(tmp.Sub("swe.traineddata"), "x");
  testing::WriteFile(tmp.Sub("dan.traineddata"), "x");
  testing::WriteFile(tmp.Sub("notes.txt"), "x");
  testing::WriteFile(tmp.Sub(".traineddata"), "x");
  testing::WriteFile(tmp.Sub("sub.traineddata/inner"), "x");  // a directory
  Result<std::vector<std::string>> listed = AvailableLanguages(tmp.path());
  ASSERT_TRUE(listed.has_value()) << listed.error().ToString();
  EXPECT_EQ(*listed, (std::vector<std::string>{"dan", "swe"}));
}

TEST(TesseractEngineTest, TessdataDirectoryDefaultsToTessdataPrefixThenDebiansPath) {
  testing::ScopedTempDir tmp;
  EXPECT_EQ(ResolveTessdataDir(tmp.path()), tmp.path() + "/");
  const char* saved = std::getenv("TESSDATA_PREFIX");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("TESSDATA_PREFIX", tmp.path().c_str(), 1);
  EXPECT_EQ(ResolveTessdataDir(""), tmp.path() + "/");
  ::setenv("TESSDATA_PREFIX", tmp.Sub("missing").c_str(), 1);  // ignored, as Tesseract does
  EXPECT_EQ(ResolveTessdataDir(""), "/usr/share/tesseract-ocr/5/tessdata/");
  if (saved != nullptr) {
    ::setenv("TESSDATA_PREFIX", saved_value.c_str(), 1);
  } else {
    ::unsetenv("TESSDATA_PREFIX");
  }
}

TEST(TesseractEngineTest, DescribeNamesTesseractVersionAndLanguages) {
  std::unique_ptr<TesseractEngine> engine = MakeEngine("dan+eng");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(engine->Describe(), StartsWith("Tesseract 5."));
  EXPECT_THAT(engine->Describe(), ::testing::EndsWith(" (dan+eng)"));
}

TEST(TesseractEngineTest, RefusesResolutionDepthAndSizeOutsideTesseractsLimits) {
  std::unique_ptr<TesseractEngine> engine = MakeEngine();
  ASSERT_NE(engine, nullptr);
  PixPtr page(pixCreate(200, 100, 8));
  ASSERT_NE(page, nullptr);
  for (int dpi : {0, -300, 69, 2401}) {
    Result<OcrResult> r = engine->Recognize(page.get(), dpi, FarDeadline());
    ASSERT_FALSE(r.has_value()) << dpi;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << dpi;
    EXPECT_THAT(r.error().message(), HasSubstr(std::to_string(dpi) + " dpi"));
  }
  PixPtr four_bit(pixCreate(200, 100, 4));
  ASSERT_NE(four_bit, nullptr);
  Result<OcrResult> r = engine->Recognize(four_bit.get(), kDpi, FarDeadline());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("4 bit pr. pixel"));

  PixPtr too_wide(pixCreate(40000, 8, 1));
  ASSERT_NE(too_wide, nullptr);
  r = engine->Recognize(too_wide.get(), kDpi, FarDeadline());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("40000 × 8 px"));
}

TEST(TesseractEngineTest, ReadsATinyImageWithoutFailing) {
  std::unique_ptr<TesseractEngine> engine = MakeEngine();
  ASSERT_NE(engine, nullptr);
  PixPtr dot(pixCreate(1, 1, 1));
  ASSERT_NE(dot, nullptr);
  pixSetPixel(dot.get(), 0, 0, 1);  // black
  Result<OcrResult> r = engine->Recognize(dot.get(), kDpi, FarDeadline());
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(r->words.empty()) << r->text;
}

}  // namespace
}  // namespace intake::ocr
