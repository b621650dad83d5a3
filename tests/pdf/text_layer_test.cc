#include "pdf/text_layer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "pdf/utf8.h"

namespace intake::pdf {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

// ---------------------------------------------------------------------------------------
// Windows-1252

TEST(Cp1252Test, DanishLettersMapToTheirLatin1Codes) {
  EXPECT_EQ(Utf8ToCp1252("æøåÆØÅ"), Bytes({0xE6, 0xF8, 0xE5, 0xC6, 0xD8, 0xC5}));
  EXPECT_EQ(Utf8ToCp1252("Blåbærsyltetøj"),
            "Bl\xE5"
            "b\xE6"
            "rsyltet\xF8j");
  EXPECT_EQ(Utf8ToCp1252("København"),
            "K\xF8"
            "benhavn");
}

TEST(Cp1252Test, WindowsExtrasMapToTheirCodes) {
  EXPECT_EQ(
      Utf8ToCp1252("€„“”‘’–—…•™ŠšŽžŒœŸƒ‰‹›†‡ˆ˜‚"),
      Bytes({0x80, 0x84, 0x93, 0x94, 0x91, 0x92, 0x96, 0x97, 0x85, 0x95, 0x99, 0x8A, 0x9A, 0x8E,
             0x9E, 0x8C, 0x9C, 0x9F, 0x83, 0x89, 0x8B, 0x9B, 0x86, 0x87, 0x88, 0x98, 0x82}));
}

TEST(Cp1252Test, ComposesDecomposedDanishLetters) {
  // a + COMBINING RING ABOVE, o + COMBINING DIAERESIS, E + COMBINING ACUTE (NFD input)
  EXPECT_EQ(Utf8ToCp1252("a\xCC\x8A"
                         "o\xCC\x88"
                         "E\xCC\x81"),
            Bytes({0xE5, 0xF6, 0xC9}));
  // a combining mark with no Windows-1252 composition is dropped, the letter stays
  EXPECT_EQ(Utf8ToCp1252("s\xCC\x81"), "s");  // s + acute (ś)
  EXPECT_EQ(Utf8ToCp1252("\xCC\x81"
                         "a"),
            "a");  // stray mark at the start
}

TEST(Cp1252Test, TransliteratesWhatHasAPlainForm) {
  EXPECT_EQ(Utf8ToCp1252("ﬁnd ﬂag ﬀ ﬃ ﬄ"), "find flag ff ffi ffl");
  EXPECT_EQ(Utf8ToCp1252("Łódź Świętokrzyskie"),
            "L\xF3"
            "dz Swietokrzyskie");
  EXPECT_EQ(Utf8ToCp1252("Đuro Ħal ıi"), "Duro Hal ii");
  EXPECT_EQ(Utf8ToCp1252("Ĳssel"), "IJssel");
  EXPECT_EQ(Utf8ToCp1252("a‐b‑c−d"), "a-b-c-d");
  EXPECT_EQ(Utf8ToCp1252("1\xE2\x80\xAF"
                         "000"),
            "1 000");  // narrow no-break space
  EXPECT_EQ(Utf8ToCp1252("ab\xE2\x80\x8B"
                         "cd"),
            "abcd");                                    // zero-width space dropped
  EXPECT_EQ(Utf8ToCp1252("ＡＢＣ１"), "ABC1");          // fullwidth
  EXPECT_EQ(Utf8ToCp1252("don\xCA\xBCt"), "don\x92t");  // modifier apostrophe → ’
  EXPECT_EQ(Utf8ToCp1252("5 μm"), "5 \xB5m");
}

TEST(Cp1252Test, UnmappableCharactersBecomeQuestionMarks) {
  EXPECT_EQ(Utf8ToCp1252("Ωμέγα"), "?\xB5??\?");  // Greek: only mu has a Latin-1 look-alike
  EXPECT_EQ(Utf8ToCp1252("日本"), "??");
  EXPECT_EQ(Utf8ToCp1252("\xF0\x9F\x98\x80"), "?");  // emoji
}

TEST(Cp1252Test, InvalidUtf8AndControlsBecomeQuestionMarks) {
  EXPECT_EQ(Utf8ToCp1252("a\xFF"
                         "b"),
            "a?b");
  EXPECT_EQ(Utf8ToCp1252("a\xC3"), "a?");
  EXPECT_EQ(Utf8ToCp1252(std::string("a\0b", 3)), "a?b");
  EXPECT_EQ(Utf8ToCp1252("a\x7F"
                         "b"),
            "a?b");
  EXPECT_EQ(Utf8ToCp1252("a\xC2\x81"
                         "b"),
            "a?b");  // C1 control U+0081
  EXPECT_EQ(Utf8ToCp1252("a\tb\nc"), "a b c");
}

// PDF/A-2 6.2.11.8: the text layer must never show a code without a glyph.
TEST(Cp1252Test, NeverEmitsUndefinedOrControlCodesForAnyCodePoint) {
  std::string all;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    all.clear();
    AppendUtf8(&all, cp);
    for (unsigned char b : Utf8ToCp1252(all)) {
      ASSERT_TRUE(IsShowableCp1252(b))
          << "U+" << std::hex << static_cast<unsigned>(cp) << " gave byte " << static_cast<int>(b);
    }
  }
}

TEST(Cp1252Test, ShowableCodesAreExactlyThePrintableDefinedOnes) {
  int showable = 0;
  for (int b = 0; b < 256; ++b) showable += IsShowableCp1252(static_cast<unsigned char>(b));
  EXPECT_EQ(showable, 95 + 128 - 5);  // 0x20-0x7E, 0x80-0xFF without the five holes
  for (int b : {0x00, 0x1F, 0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D}) {
    EXPECT_FALSE(IsShowableCp1252(static_cast<unsigned char>(b))) << b;
  }
}

TEST(Cp1252Test, RoundTripsEveryShowableCode) {
  for (int b = 0x20; b <= 0xFF; ++b) {
    if (!IsShowableCp1252(static_cast<unsigned char>(b))) continue;
    std::string utf8;
    AppendUtf8(&utf8, Cp1252ToUnicode(static_cast<unsigned char>(b)));
    EXPECT_EQ(Utf8ToCp1252(utf8), std::string(1, static_cast<char>(b))) << b;
  }
}

// ---------------------------------------------------------------------------------------
// ToUnicode CMap

TEST(ToUnicodeCMapTest, MapsEveryShowableCodeInBlocksOfAtMostHundred) {
  const std::string cmap = BuildToUnicodeCMap();
  EXPECT_NE(cmap.find("1 begincodespacerange\n<00> <FF>\nendcodespacerange"), std::string::npos);
  EXPECT_NE(cmap.find("/Ordering (UCS)"), std::string::npos);
  std::map<int, unsigned> mapped;
  size_t pos = 0;
  int blocks = 0;
  while ((pos = cmap.find(" beginbfchar\n", pos)) != std::string::npos) {
    const size_t line_start = cmap.rfind('\n', pos) + 1;
    const int n = std::stoi(cmap.substr(line_start, pos - line_start));
    EXPECT_LE(n, 100);
    ++blocks;
    pos += 13;
    for (int i = 0; i < n; ++i) {
      unsigned code = 0, uni = 0;
      ASSERT_EQ(std::sscanf(cmap.c_str() + pos, "<%2X> <%4X>\n", &code, &uni), 2);
      mapped[static_cast<int>(code)] = uni;
      pos = cmap.find('\n', pos) + 1;
    }
    EXPECT_EQ(cmap.compare(pos, 10, "endbfchar\n"), 0);
  }
  EXPECT_EQ(blocks, 3);
  EXPECT_EQ(mapped.size(), 218u);
  EXPECT_EQ(mapped[0xE6], 0xE6u);    // æ
  EXPECT_EQ(mapped[0xD8], 0xD8u);    // Ø
  EXPECT_EQ(mapped[0x80], 0x20ACu);  // €
  EXPECT_EQ(mapped[0x96], 0x2013u);  // –
  EXPECT_EQ(mapped.count(0x81), 0u);
  EXPECT_EQ(mapped.count(0x7F), 0u);
}

// ---------------------------------------------------------------------------------------
// Word placement

// Every character is 500 units wide (half the font size), the space 250.
double FakeWidth(const std::string& cp1252) {
  double w = 0;
  for (char c : cp1252) w += c == ' ' ? 250 : 500;
  return w;
}

TextWord Word(std::string text, int x, int y, int w, int h) {
  TextWord t;
  t.text = std::move(text);
  t.x = x;
  t.y = y;
  t.width = w;
  t.height = h;
  return t;
}

TextLine Line(std::vector<TextWord> words, int x1, int y1, int x2, int y2) {
  TextLine l;
  l.words = std::move(words);
  l.baseline_x1 = x1;
  l.baseline_y1 = y1;
  l.baseline_x2 = x2;
  l.baseline_y2 = y2;
  return l;
}

TEST(PlaceWordsTest, SizesStretchesAndPlacesAHorizontalLine) {
  // 300 dpi: 25 px = 6 pt. Baseline at y = 1000 px; tallest word 50 px above it.
  const auto line = Line({Word("Blåbær", 300, 950, 300, 62), Word("og", 650, 965, 100, 47)}, 300,
                         1000, 800, 1000);
  auto placed = PlaceWords({line}, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed) << placed.error().ToString();
  ASSERT_EQ(placed->size(), 2u);
  const PlacedWord& a = (*placed)[0];
  const PlacedWord& b = (*placed)[1];
  EXPECT_NEAR(a.font_size, 50 * 72.0 / 300, 1e-9);  // 12 pt, the same for the whole line
  EXPECT_NEAR(b.font_size, a.font_size, 1e-9);
  EXPECT_EQ(a.text,
            "Bl\xE5"
            "b\xE6"
            "r ");  // a space after all but the last word
  EXPECT_EQ(b.text, "og");
  // natural width of "Blåbær" = 6 * 0.5 * 12 pt = 36 pt; the box is 300 px = 72 pt
  EXPECT_NEAR(a.a, 2.0, 1e-9);
  EXPECT_NEAR(a.b, 0.0, 1e-9);
  EXPECT_NEAR(a.c, 0.0, 1e-9);
  EXPECT_NEAR(a.d, 1.0, 1e-9);
  EXPECT_NEAR(a.e, 72.0, 1e-9);                        // x = 300 px
  EXPECT_NEAR(a.f, (3508 - 1000) * 72.0 / 300, 1e-9);  // on the baseline, y upwards
  EXPECT_NEAR(b.a, (100 * 0.24) / (2 * 0.5 * 12), 1e-9);
  EXPECT_NEAR(b.f, a.f, 1e-9);
}

TEST(PlaceWordsTest, FlattensSlopesBelowHalfAPercentToTheMeanBaseline) {
  // rise 4 px over 1000 px = 0.004
  const auto line =
      Line({Word("a", 100, 960, 40, 40), Word("b", 1000, 964, 40, 40)}, 100, 1000, 1100, 1004);
  auto placed = PlaceWords({line}, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed);
  for (const PlacedWord& p : *placed) {
    EXPECT_NEAR(p.b, 0.0, 1e-9);
    EXPECT_NEAR(p.c, 0.0, 1e-9);
    EXPECT_NEAR(p.f, (3508 - 1002) * 72.0 / 300, 1e-9);
  }
}

TEST(PlaceWordsTest, RotatesWordsOnASlopedBaseline) {
  // y grows 20 px over 1000 px (text running down to the right): -1.1458 degrees in PDF.
  const auto line =
      Line({Word("ab", 100, 950, 100, 52), Word("cd", 600, 955, 100, 57)}, 100, 1000, 1100, 1020);
  auto placed = PlaceWords({line}, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed);
  const double angle = std::atan(-0.02);
  for (const PlacedWord& p : *placed) {
    const double sx = std::hypot(p.a, p.b);
    EXPECT_NEAR(std::atan2(p.b, p.a), angle, 1e-12);
    EXPECT_NEAR(p.c, -std::sin(angle), 1e-12);
    EXPECT_NEAR(p.d, std::cos(angle), 1e-12);
    EXPECT_GT(sx, 0);
  }
  // each word starts on the baseline at its left edge
  EXPECT_NEAR((*placed)[0].f, (3508 - 1000) * 0.24, 1e-9);
  EXPECT_NEAR((*placed)[1].f, (3508 - 1010) * 0.24, 1e-9);
  // the size is measured at each word's centre: word 2 top 955, baseline there 1011
  EXPECT_NEAR((*placed)[0].font_size, 56 * 0.24, 1e-9);
}

TEST(PlaceWordsTest, DegenerateBaselineFallsBackToTheLowestWordBottom) {
  const auto line = Line({Word("x", 100, 900, 50, 40), Word("y", 200, 910, 50, 45)}, 0, 0, 0, 0);
  auto placed = PlaceWords({line}, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed);
  EXPECT_NEAR((*placed)[0].f, (3508 - 955) * 0.24, 1e-9);
  EXPECT_NEAR((*placed)[0].font_size, 55 * 0.24, 1e-9);
}

TEST(PlaceWordsTest, BaselineAboveTheWordsFallsBackToBoxHeights) {
  const auto line = Line({Word("x", 100, 900, 50, 40)}, 100, 850, 200, 850);
  auto placed = PlaceWords({line}, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed);
  EXPECT_NEAR((*placed)[0].font_size, 40 * 0.24, 1e-9);
}

TEST(PlaceWordsTest, CapsTheFontSizeAtLibharusMaximum) {
  const auto line = Line({Word("X", 0, 0, 4000, 20000)}, 0, 20000, 4000, 20000);
  auto placed = PlaceWords({line}, 4000, 20000, 72, FakeWidth);
  ASSERT_TRUE(placed);
  EXPECT_NEAR((*placed)[0].font_size, kMaxFontSize, 1e-9);
}

TEST(PlaceWordsTest, LeavesOutWordsWithoutTextAndEndsTheLineWithoutSpace) {
  const auto line = Line({Word("en", 100, 960, 50, 40), Word("\xE2\x80\x8B", 200, 960, 10, 40),
                          Word("to", 300, 960, 50, 40), Word("", 400, 960, 10, 40)},
                         100, 1000, 500, 1000);
  auto placed = PlaceWords({line}, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed);
  ASSERT_EQ(placed->size(), 2u);
  EXPECT_EQ((*placed)[0].text, "en ");
  EXPECT_EQ((*placed)[1].text, "to");
  EXPECT_EQ((*placed)[1].word_index, 2);
}

TEST(PlaceWordsTest, KeepsTheOrderOfLinesAndWords) {
  std::vector<TextLine> lines = {
      Line({Word("første", 100, 960, 200, 40), Word("linje", 350, 960, 150, 40)}, 100, 1000, 500,
           1000),
      Line({}, 0, 0, 0, 0), Line({Word("anden", 100, 1060, 200, 40)}, 100, 1100, 300, 1100)};
  auto placed = PlaceWords(lines, 2480, 3508, 300, FakeWidth);
  ASSERT_TRUE(placed);
  ASSERT_EQ(placed->size(), 3u);
  EXPECT_EQ((*placed)[0].line_index, 0);
  EXPECT_EQ((*placed)[1].line_index, 0);
  EXPECT_EQ((*placed)[2].line_index, 2);
  EXPECT_EQ((*placed)[2].text, "anden");
}

TEST(PlaceWordsTest, ZeroNaturalWidthKeepsTheFontUnstretched) {
  const auto line = Line({Word("a", 100, 960, 50, 40)}, 100, 1000, 200, 1000);
  auto placed = PlaceWords({line}, 2480, 3508, 300, [](const std::string&) { return 0.0; });
  ASSERT_TRUE(placed);
  EXPECT_NEAR((*placed)[0].a, 1.0, 1e-9);
}

TEST(PlaceWordsTest, RejectsWordBoxesOutsideThePageNamingLineAndWord) {
  struct Case {
    TextWord word;
    const char* why;
  } cases[] = {
      {Word("a", -1, 10, 10, 10), "negative x"},
      {Word("a", 10, -1, 10, 10), "negative y"},
      {Word("a", 10, 10, 0, 10), "zero width"},
      {Word("a", 10, 10, 10, -5), "negative height"},
      {Word("a", 2475, 10, 10, 10), "past the right edge"},
      {Word("a", 10, 3500, 10, 10), "past the bottom"},
  };
  for (const Case& c : cases) {
    std::vector<TextLine> lines = {Line({Word("ok", 10, 10, 10, 10)}, 0, 20, 100, 20),
                                   Line({Word("ok", 10, 10, 10, 10), c.word}, 0, 20, 100, 20)};
    auto placed = PlaceWords(lines, 2480, 3508, 300, FakeWidth);
    ASSERT_FALSE(placed) << c.why;
    EXPECT_EQ(placed.error().code(), ErrorCode::kInvalidArgument) << c.why;
    EXPECT_NE(placed.error().message().find("linje 2, ord 2"), std::string::npos)
        << placed.error().message();
    EXPECT_NE(placed.error().message().find("uden for siden"), std::string::npos);
  }
}

TEST(PlaceWordsTest, AcceptsABoxTouchingThePageEdges) {
  const auto line = Line({Word("kant", 0, 0, 2480, 3508)}, 0, 3508, 2480, 3508);
  EXPECT_TRUE(PlaceWords({line}, 2480, 3508, 300, FakeWidth));
}

}  // namespace
}  // namespace intake::pdf
