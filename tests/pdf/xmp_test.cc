#include "pdf/xmp.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace intake::pdf {
namespace {

using std::chrono::system_clock;

system_clock::time_point Utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(PdfDateTest, ConvertsToUtcCalendarTime) {
  auto d = ToPdfDate(Utc(2026, 11, 26, 10, 15, 30) + std::chrono::milliseconds(999));
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->month, 11);
  EXPECT_EQ(d->day, 26);
  EXPECT_EQ(d->hour, 10);
  EXPECT_EQ(d->minute, 15);
  EXPECT_EQ(d->second, 30);  // truncated, not rounded
}

TEST(PdfDateTest, FloorsTimesBefore1970) {
  auto d = ToPdfDate(Utc(1969, 12, 31, 23, 59, 59) + std::chrono::milliseconds(500));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->year, 1969);
  EXPECT_EQ(d->second, 59);
}

TEST(PdfDateTest, InfoAndXmpFormsNameTheSameInstantWithPlusZeroOffset) {
  const PdfDate d{2026, 1, 2, 3, 4, 5};
  EXPECT_EQ(FormatInfoDate(d), "D:20260102030405+00'00'");
  EXPECT_EQ(FormatXmpDate(d), "2026-01-02T03:04:05+00:00");
  EXPECT_EQ(FormatInfoDate(d).find('Z'), std::string::npos);  // libharu defect 2
}

TEST(SanitizeMetadataTextTest, KeepsDanishTextUnchanged) {
  EXPECT_EQ(SanitizeMetadataText("Blåbærsyltetøj ÆØÅ æøå — 5 €"), "Blåbærsyltetøj ÆØÅ æøå — 5 €");
}

TEST(SanitizeMetadataTextTest, ReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(SanitizeMetadataText("a\xC3("), "a\xEF\xBF\xBD(");              // truncated sequence
  EXPECT_EQ(SanitizeMetadataText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(SanitizeMetadataText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(SanitizeMetadataText(std::string("a\0b\x01"
                                             "c\td\ne",
                                             9)),
            "a b c\td\ne");
  EXPECT_EQ(SanitizeMetadataText("\xEF\xBF\xBF"), "\xEF\xBF\xBD");  // U+FFFF
}

TEST(Utf8ToPdfTextStringTest, WritesUtf16BigEndianWithByteOrderMark) {
  EXPECT_EQ(Utf8ToPdfTextString(""), std::string("\xFE\xFF"));
  EXPECT_EQ(Utf8ToPdfTextString("Aø"), std::string("\xFE\xFF\x00\x41\x00\xF8", 6));
  EXPECT_EQ(Utf8ToPdfTextString("€"), std::string("\xFE\xFF\x20\xAC", 4));
  // U+1F600 as the surrogate pair D83D DE00
  EXPECT_EQ(Utf8ToPdfTextString("\xF0\x9F\x98\x80"), std::string("\xFE\xFF\xD8\x3D\xDE\x00", 6));
}

TEST(XmlEscapeTest, EscapesTheFiveXmlSpecialCharacters) {
  EXPECT_EQ(XmlEscape(R"(a & b < c > d " e ' f)"), "a &amp; b &lt; c &gt; d &quot; e &apos; f");
  EXPECT_EQ(XmlEscape("æøå"), "æøå");
  EXPECT_EQ(XmlEscape("&amp;"), "&amp;amp;");  // no double-unescaping
}

XmpFields Fields() {
  XmpFields f;
  f.title = "Klage over <støj> & \"lugt\"";
  f.author = "Søren O'Brien";
  f.subject = "Naboklage";
  f.keywords = "støj, lugt";
  f.creator_tool = "intake-station";
  f.producer = "intake-station (libharu 2.3.0)";
  f.date = PdfDate{2026, 11, 26, 10, 15, 30};
  return f;
}

TEST(BuildXmpPacketTest, DeclaresPdfA2bWithoutBytesOrEncodingAttributes) {
  const std::string x = BuildXmpPacket(Fields());
  EXPECT_EQ(x.rfind("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>", 0), 0u);
  EXPECT_NE(x.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos);
  EXPECT_NE(x.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);
  EXPECT_NE(x.find("xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""), std::string::npos);
  EXPECT_EQ(x.find("bytes="), std::string::npos);
  EXPECT_EQ(x.find("encoding="), std::string::npos);
  const std::string end = "\n<?xpacket end=\"w\"?>";
  EXPECT_EQ(x.substr(x.size() - end.size()), end);
}

TEST(BuildXmpPacketTest, WritesEveryFieldEscapedInItsSchema) {
  const std::string x = BuildXmpPacket(Fields());
  EXPECT_NE(x.find("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Klage over &lt;støj&gt; "
                   "&amp; &quot;lugt&quot;</rdf:li></rdf:Alt></dc:title>"),
            std::string::npos);
  EXPECT_NE(x.find("<dc:creator><rdf:Seq><rdf:li>Søren O&apos;Brien</rdf:li></rdf:Seq>"
                   "</dc:creator>"),
            std::string::npos);
  EXPECT_NE(x.find("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">Naboklage"),
            std::string::npos);
  EXPECT_NE(x.find("<pdf:Keywords>støj, lugt</pdf:Keywords>"), std::string::npos);
  EXPECT_NE(x.find("<pdf:Producer>intake-station (libharu 2.3.0)</pdf:Producer>"),
            std::string::npos);
  EXPECT_NE(x.find("<xmp:CreatorTool>intake-station</xmp:CreatorTool>"), std::string::npos);
  for (const char* tag : {"xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"}) {
    EXPECT_NE(x.find(std::string("<") + tag + ">2026-11-26T10:15:30+00:00</" + tag + ">"),
              std::string::npos)
        << tag;
  }
  // No raw special character survives inside element content.
  EXPECT_EQ(x.find("<støj>"), std::string::npos);
  EXPECT_EQ(x.find("& \""), std::string::npos);
}

TEST(BuildXmpPacketTest, LeavesOutEmptyFields) {
  XmpFields f;
  f.producer = "p";
  f.date = PdfDate{2026, 1, 1, 0, 0, 0};
  const std::string x = BuildXmpPacket(f);
  EXPECT_EQ(x.find("dc:title"), std::string::npos);
  EXPECT_EQ(x.find("dc:creator"), std::string::npos);
  EXPECT_EQ(x.find("dc:description"), std::string::npos);
  EXPECT_EQ(x.find("pdf:Keywords"), std::string::npos);
  EXPECT_EQ(x.find("xmp:CreatorTool"), std::string::npos);
  EXPECT_NE(x.find("<pdf:Producer>p</pdf:Producer>"), std::string::npos);
  EXPECT_NE(x.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos);
}

TEST(BuildXmpPacketTest, ElementsAreBalanced) {
  const std::string x = BuildXmpPacket(Fields());
  for (const char* tag :
       {"x:xmpmeta", "rdf:RDF", "rdf:Description", "dc:title", "rdf:Alt", "rdf:Seq", "rdf:li"}) {
    size_t open = 0, close = 0;
    for (size_t p = 0; (p = x.find(std::string("<") + tag, p)) != std::string::npos; ++p) {
      const char next = x[p + 1 + std::string(tag).size()];
      if (next == '>' || next == ' ' || next == '\n') ++open;
    }
    for (size_t p = 0; (p = x.find(std::string("</") + tag + ">", p)) != std::string::npos; ++p)
      ++close;
    EXPECT_EQ(open, close) << tag;
    EXPECT_GT(open, 0u) << tag;
  }
}

}  // namespace
}  // namespace intake::pdf
