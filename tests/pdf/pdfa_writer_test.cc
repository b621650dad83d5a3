// PdfAWriter in-process: its contract (errors for every bad input, the Finish rules) and
// what can be seen in the bytes without external tools. The external checks (qpdf,
// poppler, Ghostscript) are in pdfa_writer_tools_test.cc.
#include "pdf/pdfa_writer.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/pdf/pdf_test_pages.h"
#include "tests/support/temp_dir.h"

namespace intake::pdf {
namespace {

using testing::ScopedTempDir;

std::unique_ptr<PdfAWriter> NewWriter() {
  auto w = PdfAWriter::Create();
  EXPECT_TRUE(w) << w.error().ToString();
  return w ? std::move(*w) : nullptr;
}

PageContent SmallBilevelPage() {
  testpages::TextStyle style;
  style.left = 40;
  style.top = 100;
  auto page = testpages::MakeTextPage({{"Kære", "Søren"}}, style, 600, 400, 150);
  PageContent c;
  c.image = page.raster;
  c.lines = page.lines;
  c.encoding = ImageEncoding::kCcittG4;
  return c;
}

void ExpectInvalid(PdfAWriter* w, const PageContent& page, const std::string& fragment) {
  const Status s = w->AddPage(page);
  ASSERT_FALSE(s) << "expected an error containing: " << fragment;
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument) << s.error().ToString();
  EXPECT_NE(s.error().message().find(fragment), std::string::npos) << s.error().message();
  EXPECT_EQ(s.error().message().rfind("side 1: ", 0), 0u) << s.error().message();
  EXPECT_EQ(w->page_count(), 0);
}

// ---------------------------------------------------------------------------------------
// Create

TEST(PdfAWriterCreateTest, FailsWithUnavailableWhenTheIccProfileIsMissing) {
  WriterOptions o;
  o.icc_profile = "/nonexistent/sRGB.icc";
  auto w = PdfAWriter::Create(o);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(w.error().message().find("/nonexistent/sRGB.icc"), std::string::npos);
  EXPECT_NE(w.error().message().find("findes ikke"), std::string::npos);
  EXPECT_NE(w.error().message().find("icc-profiles-free"), std::string::npos);
}

TEST(PdfAWriterCreateTest, FailsWhenTheIccProfileIsADirectory) {
  WriterOptions o;
  o.icc_profile = "/usr/share/color/icc";
  auto w = PdfAWriter::Create(o);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(w.error().message().find("mappe"), std::string::npos) << w.error().message();
}

TEST(PdfAWriterCreateTest, FailsWhenTheIccProfileIsNotAnRgbDisplayProfile) {
  ScopedTempDir dir;
  testing::WriteFile(dir.Sub("junk.icc"), std::string(500, 'x'));
  WriterOptions o;
  o.icc_profile = dir.Sub("junk.icc");
  auto w = PdfAWriter::Create(o);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(w.error().message().find("ikke en gyldig ICC-profil"), std::string::npos);

  // A real profile of the wrong colour space (icc-profiles-free's grey profile).
  o.icc_profile = "/usr/share/color/icc/Gray.icc";
  w = PdfAWriter::Create(o);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(w.error().message().find("GRAY"), std::string::npos) << w.error().message();
}

TEST(PdfAWriterCreateTest, FailsWithUnavailableWhenTheFontIsMissing) {
  WriterOptions o;
  o.font = "/nonexistent/DejaVuSans.ttf";
  auto w = PdfAWriter::Create(o);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(w.error().message().find("/nonexistent/DejaVuSans.ttf"), std::string::npos);
  EXPECT_NE(w.error().message().find("fonts-dejavu-core"), std::string::npos);
}

TEST(PdfAWriterCreateTest, FailsWithUnavailableWhenTheFontIsNotTrueType) {
  WriterOptions o;
  o.font = "/usr/share/color/icc/sRGB.icc";
  auto w = PdfAWriter::Create(o);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(w.error().message().find("skrifttypen /usr/share/color/icc/sRGB.icc"),
            std::string::npos)
      << w.error().message();
}

// ---------------------------------------------------------------------------------------
// AddPage: bad input

TEST(PdfAWriterAddPageTest, RejectsAZeroSizeRaster) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.image.width = 0;
  ExpectInvalid(w.get(), p, "sidebilledet er tomt (0 x 400 px)");
  p = SmallBilevelPage();
  p.image.height = -3;
  ExpectInvalid(w.get(), p, "sidebilledet er tomt");
}

TEST(PdfAWriterAddPageTest, RejectsAStrideShorterThanARow) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.image.stride = 74;  // 600 px need 75 bytes
  ExpectInvalid(w.get(), p, "rækkelængden (stride) er 74 byte, men en række af 600 px");
  PageContent g = SmallBilevelPage();
  g.image = testpages::ToGray(g.image);
  g.encoding = ImageEncoding::kFlate;
  g.image.stride = 599;
  ExpectInvalid(w.get(), g, "fylder 600 byte");
}

TEST(PdfAWriterAddPageTest, RejectsAPixelBufferShorterThanHeightTimesStride) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.image.pixels.resize(p.image.pixels.size() - 1);
  ExpectInvalid(w.get(), p, "billeddata er for korte");
}

TEST(PdfAWriterAddPageTest, RejectsCcittG4ForGreyAndColourRasters) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.image = testpages::ToGray(p.image);
  p.encoding = ImageEncoding::kCcittG4;
  ExpectInvalid(w.get(), p, "CCITT G4 kan kun gemme sort-hvide sider");
  p.image = testpages::ToRgb(SmallBilevelPage().image);
  ExpectInvalid(w.get(), p, "CCITT G4 kan kun gemme sort-hvide sider");
}

TEST(PdfAWriterAddPageTest, RejectsJpegForBilevelRastersAndBadQualities) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.encoding = ImageEncoding::kJpeg;
  ExpectInvalid(w.get(), p, "JPEG kan ikke gemme sort-hvide sider");
  p.image = testpages::ToGray(p.image);
  for (int q : {0, 101, -5}) {
    p.jpeg_quality = q;
    ExpectInvalid(w.get(), p, "JPEG-kvaliteten " + std::to_string(q) + " ligger uden for 1-100");
  }
}

TEST(PdfAWriterAddPageTest, RejectsUnknownEnumValues) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.encoding = static_cast<ImageEncoding>(42);
  ExpectInvalid(w.get(), p, "billedkomprimeringen er ukendt");
  p = SmallBilevelPage();
  p.image.kind = static_cast<PageRaster::Kind>(9);
  ExpectInvalid(w.get(), p, "sidebilledets type er ukendt");
}

TEST(PdfAWriterAddPageTest, RejectsResolutionsAndPageSizesPdfCannotHold) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.image.dpi = 0;
  ExpectInvalid(w.get(), p, "opløsningen 0 dpi");
  p.image.dpi = 4801;
  ExpectInvalid(w.get(), p, "opløsningen 4801 dpi");
  // 600 px at 10 dpi = 4320 pt fits; 5 px wide at 300 dpi = 1.2 pt does not.
  PageContent tiny;
  tiny.image = testpages::BlankBilevel(5, 400, 300);
  ExpectInvalid(w.get(), tiny, "PDF tillader 3-14400 punkter");
  PageContent huge;
  huge.image = testpages::BlankBilevel(60000, 8, 200);  // 21600 pt wide
  ExpectInvalid(w.get(), huge, "PDF tillader 3-14400 punkter");
}

TEST(PdfAWriterAddPageTest, RejectsAWordBoxOutsideThePageNamingPageLineAndWord) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.lines[0].words[1].x = 590;  // 590 + width > 600
  ExpectInvalid(w.get(), p, "tekstlag: linje 1, ord 2: ordets boks");
}

constexpr char kDejaVuSans[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

std::unique_ptr<PdfAWriter> DejaVuWriter() {
  WriterOptions o;
  o.font = kDejaVuSans;
  auto w = PdfAWriter::Create(o);
  EXPECT_TRUE(w) << w.error().ToString();
  return w ? std::move(*w) : nullptr;
}

// SmallBilevelPage is 600 x 400 px at 150 dpi: 288 x 192 points.
PageContent PageWithVisibleText(const std::string& text, double x, double y, double size) {
  PageContent p = SmallBilevelPage();
  p.texts.push_back(VisibleText{text, x, y, size});
  return p;
}

TEST(PdfAWriterVisibleTextTest, RefusesVisibleTextWithTheBuiltInBoxGlyphFont) {
  auto w = NewWriter();
  ExpectInvalid(w.get(), PageWithVisibleText("SKILLEARK", 20, 40, 24),
                "synlig tekst kræver en skrifttypefil");
}

TEST(PdfAWriterVisibleTextTest, RefusesEmptyTextNamingItsNumber) {
  auto w = DejaVuWriter();
  PageContent p = PageWithVisibleText("FORSIDE", 20, 40, 24);
  p.texts.push_back(VisibleText{"", 20, 80, 12});
  ExpectInvalid(w.get(), p, "synlig tekst nr. 2 er tom");
  // Only zero-width characters convert to nothing as well.
  ExpectInvalid(w.get(), PageWithVisibleText("\u200B", 20, 40, 12), "synlig tekst nr. 1 er tom");
}

TEST(PdfAWriterVisibleTextTest, RefusesSizesOutsideZeroToSixHundredPoints) {
  auto w = DejaVuWriter();
  ExpectInvalid(w.get(), PageWithVisibleText("Sag", 20, 40, 0), "skriftstørrelsen 0.00");
  ExpectInvalid(w.get(), PageWithVisibleText("Sag", 20, 40, -3), "skriftstørrelsen -3.00");
  ExpectInvalid(w.get(), PageWithVisibleText("Sag", 20, 40, 601), "skriftstørrelsen 601.00");
}

TEST(PdfAWriterVisibleTextTest, RefusesAStartOutsideThePage) {
  auto w = DejaVuWriter();
  ExpectInvalid(w.get(), PageWithVisibleText("Sag", 289, 40, 12),
                "uden for siden på 288.00 x 192.00");
  ExpectInvalid(w.get(), PageWithVisibleText("Sag", 20, 193, 12), "uden for siden");
  ExpectInvalid(w.get(), PageWithVisibleText("Sag", -1, 40, 12), "uden for siden");
}

TEST(PdfAWriterVisibleTextTest, EmbedsTheConfiguredFontForVisibleText) {
  auto w = DejaVuWriter();
  ASSERT_TRUE(w->AddPage(PageWithVisibleText("Skilleark æøå", 20, 40, 24)));
  auto pdf = w->Finish({});
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  EXPECT_TRUE(std::regex_search(*pdf, std::regex("/FontName /[A-Z]{6}\\+DejaVuSans")));
}

TEST(PdfAWriterAddPageTest, StaysUsableAfterARejectedPage) {
  auto w = NewWriter();
  PageContent bad = SmallBilevelPage();
  bad.image.stride = 1;
  ASSERT_FALSE(w->AddPage(bad));
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  EXPECT_EQ(w->page_count(), 1);
  auto pdf = w->Finish({});
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  // the rejected page left nothing behind: one page object, one image
  EXPECT_EQ(std::regex_search(*pdf, std::regex("/Count 1\\b")), true);
}

TEST(PdfAWriterAddPageTest, AcceptsEveryValidKindAndEncodingPair) {
  auto w = NewWriter();
  const PageContent base = SmallBilevelPage();
  struct Pair {
    PageRaster::Kind kind;
    ImageEncoding encoding;
  } pairs[] = {
      {PageRaster::Kind::kBilevel, ImageEncoding::kCcittG4},
      {PageRaster::Kind::kBilevel, ImageEncoding::kFlate},
      {PageRaster::Kind::kGray, ImageEncoding::kFlate},
      {PageRaster::Kind::kGray, ImageEncoding::kJpeg},
      {PageRaster::Kind::kRgb, ImageEncoding::kFlate},
      {PageRaster::Kind::kRgb, ImageEncoding::kJpeg},
  };
  for (const Pair& pair : pairs) {
    PageContent p = base;
    if (pair.kind == PageRaster::Kind::kGray) p.image = testpages::ToGray(base.image);
    if (pair.kind == PageRaster::Kind::kRgb) p.image = testpages::ToRgb(base.image);
    p.encoding = pair.encoding;
    const Status s = w->AddPage(p);
    EXPECT_TRUE(s) << s.error().ToString();
  }
  EXPECT_EQ(w->page_count(), 6);
  EXPECT_TRUE(w->Finish({}));
}

TEST(PdfAWriterAddPageTest, AcceptsBilevelRowsWithPaddingAndOddWidths) {
  auto w = NewWriter();
  PageContent p;
  p.image = testpages::BlankBilevel(301, 211, 100);  // width not a multiple of 8
  p.image.stride = 48;                               // 38 bytes needed
  p.image.pixels.assign(48 * 211, 0xFF);             // all black, padding included
  for (ImageEncoding e : {ImageEncoding::kCcittG4, ImageEncoding::kFlate}) {
    p.encoding = e;
    const Status s = w->AddPage(p);
    EXPECT_TRUE(s) << s.error().ToString();
  }
  EXPECT_TRUE(w->Finish({}));
}

// ---------------------------------------------------------------------------------------
// Finish

TEST(PdfAWriterFinishTest, RefusesADocumentWithoutPages) {
  auto w = NewWriter();
  auto pdf = w->Finish({});
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(pdf.error().message().find("ingen sider"), std::string::npos);
  // still usable: a page and a second Finish work
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  EXPECT_TRUE(w->Finish({}));
}

TEST(PdfAWriterFinishTest, MayBeCalledOnlyOnce) {
  auto w = NewWriter();
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  ASSERT_TRUE(w->Finish({}));
  auto again = w->Finish({});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(again.error().message().find("allerede afsluttet"), std::string::npos);
  const Status add = w->AddPage(SmallBilevelPage());
  ASSERT_FALSE(add);
  EXPECT_EQ(add.error().code(), ErrorCode::kFailedPrecondition);
}

TEST(PdfAWriterFinishTest, RefusesAnOverlongTitleAndCanThenFinishWithAShorterOne) {
  auto w = NewWriter();
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  DocumentInfo info;
  info.title = std::string(16400, 'x');  // 2 + 32800 bytes in UTF-16
  auto pdf = w->Finish(info);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(pdf.error().message().find("titlen er for lang"), std::string::npos);
  info.title = "Kort titel";
  EXPECT_TRUE(w->Finish(info));
}

TEST(PdfAWriterFinishTest, WritesAPdf17HeaderWithBinaryCommentAndEndsWithEof) {
  auto w = NewWriter();
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  auto pdf = w->Finish({});
  ASSERT_TRUE(pdf);
  ASSERT_GT(pdf->size(), 100u);
  EXPECT_EQ(pdf->substr(0, 9), "%PDF-1.7\n");
  EXPECT_EQ((*pdf)[9], '%');
  for (int i = 10; i < 14; ++i) EXPECT_GT(static_cast<unsigned char>((*pdf)[i]), 127) << i;
  EXPECT_EQ(pdf->substr(pdf->size() - 6), "%%EOF\n");
}

std::string TrailerId(const std::string& pdf) {
  std::smatch m;
  const std::regex id("/ID \\[ ?<([0-9A-Fa-f]{32})> ?<([0-9A-Fa-f]{32})> ?\\]");
  if (!std::regex_search(pdf, m, id)) return "";
  return m[1].str() + m[2].str();
}

TEST(PdfAWriterFinishTest, TwoDocumentsMadeInTheSameSecondHaveDifferentIds) {
  DocumentInfo info;
  info.created = std::chrono::system_clock::now();
  std::string ids[2];
  for (std::string& id : ids) {
    auto w = NewWriter();
    ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
    auto pdf = w->Finish(info);
    ASSERT_TRUE(pdf);
    id = TrailerId(*pdf);
    ASSERT_EQ(id.size(), 64u) << "no trailer /ID of two 16-byte strings";
  }
  EXPECT_NE(ids[0], ids[1]);
}

TEST(PdfAWriterFinishTest, MetadataStreamIsTypedAndUnfilteredWithoutLibharusTypo) {
  auto w = NewWriter();
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  DocumentInfo info;
  info.title = "Ansøgning om <byggetilladelse> & dispensation";
  auto pdf = w->Finish(info);
  ASSERT_TRUE(pdf);
  EXPECT_NE(pdf->find("/Type /Metadata"), std::string::npos);
  EXPECT_NE(pdf->find("/Subtype /XML"), std::string::npos);
  EXPECT_EQ(pdf->find("/SubType"), std::string::npos);  // libharu 2.3.0 defect 1
  // The packet is stored as plain UTF-8, escaped.
  EXPECT_NE(pdf->find("Ansøgning om &lt;byggetilladelse&gt; &amp; dispensation"),
            std::string::npos);
  EXPECT_NE(pdf->find("<pdfaid:part>2</pdfaid:part>"), std::string::npos);
  EXPECT_NE(pdf->find("/S /GTS_PDFA1"), std::string::npos);
  EXPECT_EQ(pdf->find("/Encrypt"), std::string::npos);
  // libharu defect 7 would give the key a trailing space ("/DestOutputProfile  4 0 R").
  EXPECT_TRUE(std::regex_search(*pdf, std::regex("/DestOutputProfile [0-9]+ 0 R")));
}

TEST(PdfAWriterFinishTest, InfoDatesUsePlusZeroOffsetNotZ) {
  auto w = NewWriter();
  ASSERT_TRUE(w->AddPage(SmallBilevelPage()));
  using namespace std::chrono;
  DocumentInfo info;
  info.created = sys_days{year{2026} / 11 / 26} + hours{9} + minutes{8} + seconds{7};
  auto pdf = w->Finish(info);
  ASSERT_TRUE(pdf);
  EXPECT_NE(pdf->find("/CreationDate (D:20261126090807+00'00')"), std::string::npos);
  EXPECT_NE(pdf->find("/ModDate (D:20261126090807+00'00')"), std::string::npos);
  EXPECT_NE(pdf->find("<xmp:CreateDate>2026-11-26T09:08:07+00:00</xmp:CreateDate>"),
            std::string::npos);
}

TEST(PdfAWriterFinishTest, DocumentWithoutTextCarriesNoFont) {
  auto w = NewWriter();
  PageContent p = SmallBilevelPage();
  p.lines.clear();
  ASSERT_TRUE(w->AddPage(p));
  auto pdf = w->Finish({});
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->find("/Type /Font"), std::string::npos);
  EXPECT_EQ(pdf->find("/FontFile2"), std::string::npos);
}

}  // namespace
}  // namespace intake::pdf
