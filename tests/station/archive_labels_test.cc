// Archive labels and contents lists (station/archive_labels.h): the refusals of bad input,
// each naming the label or entry, and the layout limits (the longest barcode fits both
// label formats; 200 originals with long titles make a list). In-process only; the printed
// pages are read back in archive_labels_render_test.cc.
#include "station/archive_labels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pdf/font_metrics.h"

namespace intake::station {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

LabelSpec Shelf(const std::string& barcode) {
  return LabelSpec{barcode, "hylde", "Hylde 3", "Rådhuset › Kælderarkiv › Reol 12"};
}

std::vector<LabelSpec> ThreeWithSecond(const std::string& barcode) {
  return {Shelf("L-000001"), Shelf(barcode), Shelf("L-000003")};
}

// The error of labels whose second one has `barcode`, in both formats (they must agree).
Error SecondLabelError(const std::string& barcode) {
  auto shelf = MakeLocationLabels(ThreeWithSecond(barcode), LabelFormat::kShelf);
  auto box = MakeLocationLabels(ThreeWithSecond(barcode), LabelFormat::kBox);
  EXPECT_FALSE(shelf);
  EXPECT_FALSE(box);
  if (shelf || box) return Error(ErrorCode::kInternal, "accepted");
  EXPECT_EQ(shelf.error().message(), box.error().message());
  return shelf.error();
}

TEST(ArchiveLabelsTest, AnEmptyListIsRefused) {
  for (const LabelFormat format : {LabelFormat::kBox, LabelFormat::kShelf}) {
    auto pdf = MakeLocationLabels({}, format);
    ASSERT_FALSE(pdf);
    EXPECT_EQ(pdf.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(pdf.error().message(), HasSubstr("ingen etiketter"));
  }
}

TEST(ArchiveLabelsTest, AnEmptyBarcodeIsRefusedNamingTheLabel) {
  const Error e = SecondLabelError("");
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(e.message(), StartsWith("etiket nr. 2 kan ikke udskrives"));
  EXPECT_THAT(e.message(), HasSubstr("stregkoden er tom"));
}

TEST(ArchiveLabelsTest, ABarcodeOverThirtyTwoCharactersIsRefusedNamingTheLabel) {
  const Error e = SecondLabelError(std::string(33, 'K'));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(e.message(), StartsWith("etiket nr. 2 kan ikke udskrives"));
  EXPECT_THAT(e.message(), HasSubstr("33 tegn lang; højst 32"));
}

TEST(ArchiveLabelsTest, NonAsciiOrControlCharactersInTheBarcodeAreRefusedNamingTheLabel) {
  for (const std::string bad : {"KASSE-Æ1", "K-2026\t0345", "K-2026\x7f", "K\xC3"}) {
    const Error e = SecondLabelError(bad);
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.message(), StartsWith("etiket nr. 2 kan ikke udskrives")) << bad;
    EXPECT_THAT(e.message(), HasSubstr("uden for ASCII")) << bad;
  }
}

TEST(ArchiveLabelsTest, ASpaceAtEitherEndOfTheBarcodeIsRefused) {
  for (const std::string bad : {" K-1", "K-1 "}) {
    EXPECT_THAT(SecondLabelError(bad).message(), HasSubstr("mellemrum")) << bad;
  }
}

TEST(ArchiveLabelsTest, ACprLikeBarcodeIsRefusedWithoutQuotingIt) {
  const Error e = SecondLabelError("X0101901234");
  EXPECT_THAT(e.message(), HasSubstr("ligner et CPR-nummer"));
  EXPECT_THAT(e.message(), Not(HasSubstr("0101901234")));
}

TEST(ArchiveLabelsTest, AMissingKindOrNameOrBrokenTextIsRefusedNamingTheField) {
  std::vector<LabelSpec> labels = {Shelf("L-1"), Shelf("L-2")};
  labels[1].kind = "";
  auto pdf = MakeLocationLabels(labels, LabelFormat::kShelf);
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("etiket nr. 2 kan ikke udskrives: typen mangler"));
  labels[1] = Shelf("L-2");
  labels[1].name = "";
  pdf = MakeLocationLabels(labels, LabelFormat::kBox);
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("etiket nr. 2 kan ikke udskrives: navnet mangler"));
  labels[1] = Shelf("L-2");
  labels[1].path_text = "Rådhuset \xFF";
  pdf = MakeLocationLabels(labels, LabelFormat::kBox);
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("placeringen er ikke gyldig UTF-8"));
  labels[1] = Shelf("L-2");
  labels[1].name = "Hylde\n3";
  pdf = MakeLocationLabels(labels, LabelFormat::kBox);
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("navnet indeholder et styretegn"));
}

TEST(ArchiveLabelsTest, TheLongestBarcodeAndLongNamesFitBothFormats) {
  // 32 lower-case letters need Code 128's code set B throughout: the widest symbol.
  LabelSpec label{std::string(32, 'w'), "kasse",
                  "Kasse med byggesager fra Ærøskøbing Kommune, ældre end 1970, del 2 af 3",
                  "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3 › en meget lang beskrivelse af "
                  "stedet, som ikke kan stå på én linje på en etiket og derfor ombrydes"};
  for (const LabelFormat format : {LabelFormat::kBox, LabelFormat::kShelf}) {
    auto pdf = MakeLocationLabels({label}, format);
    ASSERT_TRUE(pdf) << pdf.error().ToString();
    EXPECT_THAT(*pdf, StartsWith("%PDF-"));
  }
}

TEST(ArchiveLabelsTest, AMissingFontIsUnavailable) {
  LabelOptions options;
  options.font = "/nonexistent/DejaVuSans.ttf";
  auto pdf = MakeLocationLabels({Shelf("L-1")}, LabelFormat::kShelf, options);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(pdf.error().message(), HasSubstr("/nonexistent/DejaVuSans.ttf"));
}

ContentsEntry Entry(int i) {
  return ContentsEntry{"27.24.00-G01-" + std::to_string(i) + "-19",
                       i,
                       10000 + i,
                       "Ansøgning om tilskud til ældreboliger nr. " + std::to_string(i),
                       "2026-11-27",
                       ""};
}

TEST(ContentsListTest, ABadBoxBarcodeIsRefusedNamingTheBox) {
  LabelSpec box = Shelf("");
  box.kind = "kasse";
  auto pdf = MakeContentsList(box, {Entry(1)}, "2026-11-27");
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(pdf.error().message(), StartsWith("kassens indholdsliste kan ikke udskrives"));
  box.barcode = std::string(40, 'K');
  pdf = MakeContentsList(box, {Entry(1)}, "2026-11-27");
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("40 tegn lang"));
}

TEST(ContentsListTest, AMissingPrintedDateIsRefused) {
  auto pdf = MakeContentsList(Shelf("K-2026-0345"), {Entry(1)}, "");
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("udskriftsdatoen mangler"));
}

TEST(ContentsListTest, AnEntryWithBrokenUtf8IsRefusedNamingTheEntry) {
  std::vector<ContentsEntry> entries = {Entry(1), Entry(2), Entry(3)};
  entries[2].title = "Brev \xC3";
  auto pdf = MakeContentsList(Shelf("K-2026-0345"), entries, "2026-11-27");
  ASSERT_FALSE(pdf);
  EXPECT_THAT(pdf.error().message(), HasSubstr("original nr. 3 (dokument 10003)"));
}

TEST(ContentsListTest, TwoHundredOriginalsWithLongTitlesAndAnEmptyBoxBothMakeAList) {
  std::vector<ContentsEntry> entries;
  for (int i = 1; i <= 200; ++i) {
    ContentsEntry e = Entry(i);
    if (i % 3 == 0) e.title = std::string(2000, 'x');  // one word, far too long
    if (i % 5 == 0) e.note = "Lånt ud og returneret\tto gange";
    entries.push_back(e);
  }
  auto pdf = MakeContentsList(Shelf("K-2026-0345"), entries, "27. november 2026");
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  EXPECT_THAT(*pdf, StartsWith("%PDF-"));
  auto empty = MakeContentsList(Shelf("K-2026-0346"), {}, "27. november 2026");
  ASSERT_TRUE(empty) << empty.error().ToString();
}

// The measure the layout relies on (pdf/font_metrics.h).
TEST(FontMetricsTest, MeasuresAsTheWriterDrawsAndRefusesWhatIsNoFont) {
  auto m = pdf::FontMetrics::Load("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_GT(m->WidthPt("WWW", 10), m->WidthPt("iii", 10));
  EXPECT_DOUBLE_EQ(m->WidthPt("Ærø", 20), 2 * m->WidthPt("Ærø", 10));
  EXPECT_DOUBLE_EQ(m->WidthPt("", 10), 0);
  EXPECT_GT(m->ascent_em(), 0.5);
  EXPECT_GT(m->descent_em(), 0.1);
  auto missing = pdf::FontMetrics::Load("/nonexistent.ttf");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kUnavailable);
  auto not_a_font = pdf::FontMetrics::Load(std::string(INTAKE_SOURCE_DIR) + "/README.md");
  ASSERT_FALSE(not_a_font);
  EXPECT_EQ(not_a_font.error().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace intake::station
