// Unit tests of the OcrResult assembly rules (no OCR library involved).
#include "ocr/ocr_result_assembly.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace intake::ocr {
namespace {

RecognizedWord Word(std::string text, float confidence = 90, PixelBox box = {}) {
  return RecognizedWord{std::move(text), box, confidence};
}

RecognizedLine Line(int paragraph, std::vector<RecognizedWord> words, PixelBox box = {}) {
  RecognizedLine line;
  line.paragraph = paragraph;
  line.box = box;
  line.words = std::move(words);
  return line;
}

TEST(OcrResultAssemblyTest, EmptyInputGivesEmptyResultWithZeroConfidence) {
  const OcrResult r = AssembleOcrResult({}, 93);
  EXPECT_TRUE(r.words.empty());
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(r.mean_confidence, 0);
}

TEST(OcrResultAssemblyTest, JoinsWordsBySpaceLinesByNewlineParagraphsByEmptyLine) {
  const OcrResult r =
      AssembleOcrResult({Line(1, {Word("Kære"), Word("Jens")}), Line(2, {Word("Tak"), Word("for")}),
                         Line(2, {Word("din"), Word("henvendelse.")}), Line(3, {Word("Hilsen")})},
                        88);
  EXPECT_EQ(r.text, "Kære Jens\n\nTak for\ndin henvendelse.\n\nHilsen");
  EXPECT_EQ(r.mean_confidence, 88);
}

TEST(OcrResultAssemblyTest, NumbersLinesAndWordsConsistently) {
  const OcrResult r = AssembleOcrResult(
      {Line(0, {Word("a"), Word("b")}), Line(0, {Word("c")}), Line(4, {Word("d"), Word("e")})}, 50);
  ASSERT_EQ(r.lines.size(), 3u);
  ASSERT_EQ(r.words.size(), 5u);
  int expected_first = 0;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    EXPECT_EQ(r.lines[i].first_word, expected_first) << "line " << i;
    for (int w = 0; w < r.lines[i].word_count; ++w) {
      EXPECT_EQ(r.words[r.lines[i].first_word + w].line, static_cast<int>(i));
    }
    expected_first += r.lines[i].word_count;
  }
  EXPECT_EQ(expected_first, 5);
  EXPECT_EQ(r.lines[0].word_count, 2);
  EXPECT_EQ(r.lines[1].word_count, 1);
  EXPECT_EQ(r.lines[2].word_count, 2);
}

TEST(OcrResultAssemblyTest, RenumbersParagraphsDenselyInReadingOrder) {
  const OcrResult r = AssembleOcrResult(
      {Line(7, {Word("a")}), Line(7, {Word("b")}), Line(3, {Word("c")}), Line(12, {Word("d")})},
      70);
  ASSERT_EQ(r.lines.size(), 4u);
  EXPECT_EQ(r.lines[0].paragraph, 0);
  EXPECT_EQ(r.lines[1].paragraph, 0);
  EXPECT_EQ(r.lines[2].paragraph, 1);
  EXPECT_EQ(r.lines[3].paragraph, 2);
}

TEST(OcrResultAssemblyTest, DropsEmptyAndWhitespaceOnlyWords) {
  const OcrResult r =
      AssembleOcrResult({Line(0, {Word(""), Word("Blåbærsyltetøj"), Word(" \t"), Word("\xC2\xA0"),
                                  Word("\xE3\x80\x80"), Word("\xE2\x80\x8B"), Word("ÆØÅ")})},
                        80);
  ASSERT_EQ(r.words.size(), 2u);
  EXPECT_EQ(r.words[0].text, "Blåbærsyltetøj");
  EXPECT_EQ(r.words[1].text, "ÆØÅ");
  EXPECT_EQ(r.lines[0].word_count, 2);
  EXPECT_EQ(r.text, "Blåbærsyltetøj ÆØÅ");
}

TEST(OcrResultAssemblyTest, DropsLinesLeftWithoutWordsWithoutAddingBlankLines) {
  const OcrResult r = AssembleOcrResult({Line(0, {Word("første")}), Line(1, {Word(" ")}),
                                         Line(0, {Word("")}), Line(2, {Word("anden")})},
                                        60);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.text, "første\n\nanden");
  EXPECT_EQ(r.words[1].line, 1);
  EXPECT_EQ(r.lines[1].first_word, 1);
}

TEST(OcrResultAssemblyTest, KeepsParagraphAcrossADroppedLineWithTheSameNumber) {
  const OcrResult r =
      AssembleOcrResult({Line(5, {Word("a")}), Line(5, {Word("")}), Line(5, {Word("b")})}, 60);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].paragraph, r.lines[1].paragraph);
  EXPECT_EQ(r.text, "a\nb");
}

TEST(OcrResultAssemblyTest, MeanConfidenceIsZeroWhenEveryWordIsDropped) {
  const OcrResult r = AssembleOcrResult({Line(0, {Word(" "), Word("")})}, 91);
  EXPECT_TRUE(r.words.empty());
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.mean_confidence, 0);
  EXPECT_EQ(r.text, "");
}

TEST(OcrResultAssemblyTest, ClampsConfidencesToZeroToHundred) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const OcrResult r = AssembleOcrResult(
      {Line(0, {Word("a", -1), Word("b", 150), Word("c", 42.5f), Word("d", nan)})}, 120);
  ASSERT_EQ(r.words.size(), 4u);
  EXPECT_EQ(r.words[0].confidence, 0);
  EXPECT_EQ(r.words[1].confidence, 100);
  EXPECT_EQ(r.words[2].confidence, 42.5f);
  EXPECT_EQ(r.words[3].confidence, 0);
  EXPECT_EQ(r.mean_confidence, 100);
  EXPECT_EQ(AssembleOcrResult({Line(0, {Word("a")})}, -3).mean_confidence, 0);
  EXPECT_EQ(AssembleOcrResult({Line(0, {Word("a")})}, nan).mean_confidence, 0);
}

TEST(OcrResultAssemblyTest, KeepsWordBoxesLineBoxesAndBaselines) {
  RecognizedLine line =
      Line(0, {Word("Kære", 95, {300, 1200, 120, 40}), Word("Jens", 93)}, {300, 1195, 600, 50});
  line.baseline_x1 = 300;
  line.baseline_y1 = 1236;
  line.baseline_x2 = 900;
  line.baseline_y2 = 1238;
  const OcrResult r = AssembleOcrResult({line}, 94);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.words[0].box, (PixelBox{300, 1200, 120, 40}));
  EXPECT_EQ(r.words[0].confidence, 95);
  EXPECT_EQ(r.lines[0].box, (PixelBox{300, 1195, 600, 50}));
  EXPECT_EQ(r.lines[0].baseline_x1, 300);
  EXPECT_EQ(r.lines[0].baseline_y1, 1236);
  EXPECT_EQ(r.lines[0].baseline_x2, 900);
  EXPECT_EQ(r.lines[0].baseline_y2, 1238);
}

struct BlankCase {
  const char* name;
  std::string text;
  bool blank;
};

TEST(NoiseFilterTest, DropsLowConfidencePunctuationReadFromSpecks) {
  const NoiseFilter filter;
  const OcrResult r = AssembleOcrResult(
      {Line(0, {Word("”", 0), Word("Vi", 92), Word("ønsker", 95), Word(".", 21), Word("-", 80),
                Word("plads.", 93)})},
      90, &filter);
  EXPECT_EQ(r.text, "Vi ønsker - plads.");  // a confident dash stays
}

TEST(NoiseFilterTest, DropsWholeLinesOfVeryLowConfidenceSuchAsSignatures) {
  const NoiseFilter filter;
  const OcrResult r = AssembleOcrResult(
      {Line(0, {Word("Med", 95), Word("venlig", 96), Word("hilsen", 94)}),
       Line(1, {Word("YST", 0), Word("J7", 0), Word("T", 24)}),  // the signature
       Line(2, {Word("Henrik", 93), Word("Rasmussen", 90)}),
       Line(3, {Word("kontakt(Ømitnet.dk.", 25), Word("hverdage", 88)})},  // mean 56.5: kept
      90, &filter);
  EXPECT_EQ(r.text, "Med venlig hilsen\n\nHenrik Rasmussen\n\nkontakt(Ømitnet.dk. hverdage");
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.words.size(), 7u);
}

TEST(NoiseFilterTest, KeepsEverythingWithoutAFilter) {
  const OcrResult r = AssembleOcrResult({Line(0, {Word("”", 0), Word("YST", 0)})}, 10);
  EXPECT_EQ(r.text, "” YST");
}

TEST(NoiseFilterTest, CountsDanishLettersAsLetters) {
  const NoiseFilter filter;
  const OcrResult r = AssembleOcrResult({Line(0, {Word("Ø", 45), Word("å", 45), Word("ok", 60)})},
                                        50, &filter);
  EXPECT_EQ(r.text, "Ø å ok");  // low-confidence letters are not specks; the line mean is 50
}

TEST(IsBlankTextTest, ClassifiesWhitespaceAndRejectsInvalidUtf8AsText) {
  const BlankCase cases[] = {
      {"empty", "", true},
      {"ascii spaces", " \t\r\n\v\f", true},
      {"no-break space", "\xC2\xA0", true},
      {"em space", "\xE2\x80\x83", true},
      {"zero width space", "\xE2\x80\x8B", true},
      {"narrow no-break space", "\xE2\x80\xAF", true},
      {"ideographic space", "\xE3\x80\x80", true},
      {"byte order mark", "\xEF\xBB\xBF", true},
      {"letter", "a", false},
      {"letter between spaces", " ø ", false},
      {"danish word", "Blåbærsyltetøj", false},
      {"punctuation", ".", false},
      {"invalid byte", "\xFF", false},
      {"truncated sequence", "\xC3", false},
      {"overlong space", "\xC0\xA0", false},
      {"bad continuation", "\xE2\x20\x20", false},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80", false},
  };
  for (const BlankCase& c : cases) {
    EXPECT_EQ(IsBlankText(c.text), c.blank) << c.name;
  }
}

}  // namespace
}  // namespace intake::ocr
