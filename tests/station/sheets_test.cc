// Separator and cover sheets (station/sheets.h) in-process: the QR payload's encoding and
// every way a payload can be malformed, the page rule of FindSheet, and the refusals of the
// sheet makers. Rendering and recognition on rasterised pages: sheets_render_test.cc.
#include "station/sheets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace intake::station {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Kind = SheetPayload::Kind;

SheetPayload Cover(std::string system, std::string reference, std::string doc_type = "") {
  SheetPayload p;
  p.kind = Kind::kCover;
  p.system = std::move(system);
  p.reference = std::move(reference);
  p.doc_type = std::move(doc_type);
  return p;
}

ocr::Barcode Code(std::string format, std::string text) {
  ocr::Barcode b;
  b.format = std::move(format);
  b.text = std::move(text);
  return b;
}

// ParseSheetPayload must refuse `text` with kInvalidArgument mentioning `fragment`.
void ExpectMalformed(const std::string& text, const std::string& fragment) {
  auto r = ParseSheetPayload(text);
  ASSERT_FALSE(r) << "accepted: " << text;
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr(fragment)) << text;
  EXPECT_THAT(r.error().message(), HasSubstr("stationsarkets QR-kode")) << text;
}

// ---------------------------------------------------------------------------------------
// Encoding

TEST(SheetPayloadTest, SeparatorIsThePrefixVersionAndKind) {
  EXPECT_EQ(EncodeSheetPayload(SheetPayload{}), "INTAKE-SHEET/1 SEP");
}

TEST(SheetPayloadTest, CoverWritesSysRefAndTypeInThatOrder) {
  EXPECT_EQ(EncodeSheetPayload(Cover("SBSYS", "27.24.00-G01-5-19", "Ansøgning")),
            "INTAKE-SHEET/1 COVER sys=SBSYS ref=27.24.00-G01-5-19 type=Ans%C3%B8gning");
}

TEST(SheetPayloadTest, CoverWithoutTypeLeavesTheKeyOut) {
  EXPECT_EQ(EncodeSheetPayload(Cover("KK", "2024-0123456")),
            "INTAKE-SHEET/1 COVER sys=KK ref=2024-0123456");
}

TEST(SheetPayloadTest, EncodesEverythingButUnreservedCharactersAsUpperCaseHex) {
  const std::string encoded =
      EncodeSheetPayload(Cover("Sag Ø", "a/b=c %d~e_f.g-h", "Klage, 2. gang"));
  EXPECT_EQ(encoded,
            "INTAKE-SHEET/1 COVER sys=Sag%20%C3%98 ref=a%2Fb%3Dc%20%25d~e_f.g-h "
            "type=Klage%2C%202.%20gang");
  for (unsigned char c : encoded) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << encoded;
}

TEST(SheetPayloadTest, RoundTripsDanishLettersSpacesAndReservedCharacters) {
  const std::vector<SheetPayload> payloads = {
      SheetPayload{},
      Cover("SBSYS", "27.24.00-G01-5-19"),
      Cover("SBSYS", "27.24.00-G01-5-19", "Ansøgning om byggetilladelse"),
      Cover("Ærø Kommune ESDH", "Å 12/2024 – bilag", "Klage over støj & lugt (2. henv.)"),
      Cover("KK", "ÆØÅ æøå é ü ß €", "Høringssvar"),
  };
  for (const SheetPayload& p : payloads) {
    const std::string text = EncodeSheetPayload(p);
    auto parsed = ParseSheetPayload(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().ToString();
    ASSERT_TRUE(parsed->has_value()) << text;
    EXPECT_EQ(**parsed, p) << text;
  }
}

// ---------------------------------------------------------------------------------------
// Parsing: not ours, accepted variants, malformed

TEST(SheetPayloadTest, ForeignTextIsNotASheet) {
  for (const std::string text :
       {"", "https://example.dk/sag/123", "5701234567899", "INTAKE:SEP:1", "intake-sheet/1 SEP",
        " INTAKE-SHEET/1 SEP", "INTAKE-SHEET", "INTAKE-SHEET 1 SEP", "Sag æøå"}) {
    auto r = ParseSheetPayload(text);
    ASSERT_TRUE(r) << text << ": " << r.error().ToString();
    EXPECT_FALSE(r->has_value()) << text;
  }
}

TEST(SheetPayloadTest, AcceptsFieldsInAnyOrderAndLowerCaseHex) {
  auto r = ParseSheetPayload("INTAKE-SHEET/1 COVER type=Ans%c3%b8gning ref=R-1 sys=SBSYS");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, Cover("SBSYS", "R-1", "Ansøgning"));
}

TEST(SheetPayloadTest, RefusesAnUnknownVersion) {
  ExpectMalformed("INTAKE-SHEET/2 SEP", "version '2' kendes ikke");
  ExpectMalformed("INTAKE-SHEET/01 SEP", "version '01' kendes ikke");
  ExpectMalformed("INTAKE-SHEET/ SEP", "versionsnummeret mangler");
  ExpectMalformed("INTAKE-SHEET/", "versionsnummeret mangler");
  ExpectMalformed("INTAKE-SHEET/x SEP", "version 'x' kendes ikke");
}

TEST(SheetPayloadTest, RefusesAMissingOrUnknownKind) {
  ExpectMalformed("INTAKE-SHEET/1", "arktypen mangler");
  ExpectMalformed("INTAKE-SHEET/1 ", "arktypen mangler");
  ExpectMalformed("INTAKE-SHEET/1 LABEL", "arktypen 'LABEL' er ukendt");
  ExpectMalformed("INTAKE-SHEET/1 sep", "arktypen 'sep' er ukendt");
}

TEST(SheetPayloadTest, RefusesFieldsOnASeparator) {
  ExpectMalformed("INTAKE-SHEET/1 SEP sys=SBSYS", "skilleark (SEP) har ingen felter");
  ExpectMalformed("INTAKE-SHEET/1 SEP ", "skilleark (SEP) har ingen felter");
}

TEST(SheetPayloadTest, RefusesACoverWithoutSystemOrReference) {
  ExpectMalformed("INTAKE-SHEET/1 COVER", "mangler felterne sys og ref");
  ExpectMalformed("INTAKE-SHEET/1 COVER ref=R-1", "mangler feltet 'sys'");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=SBSYS type=Brev", "mangler feltet 'ref'");
}

TEST(SheetPayloadTest, RefusesUnknownRepeatedEmptyAndUnnamedFields) {
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R cpr=1", "feltet 'cpr' er ukendt");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R SYS=T", "feltet 'SYS' er ukendt");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R ref=Q", "feltet 'ref' står mere end én gang");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=", "feltet 'ref' er tomt");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R type=", "feltet 'type' er tomt");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R extra", "feltet 'extra' mangler '='");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S  ref=R", "et felt er tomt");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R ", "et felt er tomt");
}

TEST(SheetPayloadTest, RefusesBadPercentEscapes) {
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R%2", "ugyldig %-kode");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R%", "ugyldig %-kode");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R%G1", "ugyldig %-kode");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S%2x ref=R", "feltet 'sys' har en ugyldig %-kode");
}

TEST(SheetPayloadTest, RefusesCharactersThatShouldHaveBeenEscaped) {
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=12/2024", "tegnet '/' i feltet 'ref'");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=a=b", "tegnet '=' i feltet 'ref'");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S+T ref=R", "tegnet '+' i feltet 'sys'");
}

TEST(SheetPayloadTest, RefusesNonAsciiAndControlCharacters) {
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=Ø-1", "uden for ASCII");
  ExpectMalformed("INTAKE-SHEET/1 SEP\n", "uden for ASCII eller styretegn");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S\tref=R", "styretegn");
}

TEST(SheetPayloadTest, RefusesDecodedValuesThatAreNotUtf8OrHoldControls) {
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=%C3", "feltet 'ref' er ikke gyldig UTF-8");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=%FF%FE", "er ikke gyldig UTF-8");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=a%0Ab", "feltet 'ref' indeholder et styretegn");
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R type=%00", "'type' indeholder et styretegn");
}

TEST(SheetPayloadTest, RefusesACprNumberWithoutQuotingIt) {
  auto r = ParseSheetPayload("INTAKE-SHEET/1 COVER sys=S ref=010190-1234");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message(), HasSubstr("CPR-lignende nummer"));
  EXPECT_THAT(r.error().message(), Not(HasSubstr("1234")));
  ExpectMalformed("INTAKE-SHEET/1 COVER sys=S ref=R type=CPR%200101901234", "feltet 'type'");
}

TEST(SheetPayloadTest, RefusesAnOverlongPayload) {
  const std::string longest =
      "INTAKE-SHEET/1 COVER sys=S ref=" + std::string(kMaxSheetPayloadLength - 31, 'A');
  ASSERT_EQ(longest.size(), kMaxSheetPayloadLength);
  auto ok = ParseSheetPayload(longest);
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_TRUE(ok->has_value());
  ExpectMalformed(longest + "A", "tegn lang; højst 256");
}

// ---------------------------------------------------------------------------------------
// FindSheet: the rule for a page's barcodes

TEST(FindSheetTest, NoBarcodesOrOnlyForeignOnesMeanNoSheet) {
  auto none = FindSheet({});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto foreign = FindSheet({Code("QRCode", "https://borger.dk"), Code("EAN-13", "5701234567899"),
                            Code("Code128", "INTAKE:SEP:1")});
  ASSERT_TRUE(foreign) << foreign.error().ToString();
  EXPECT_FALSE(foreign->has_value());
}

TEST(FindSheetTest, PicksOurQrCodeAmongForeignBarcodes) {
  const SheetPayload cover = Cover("SBSYS", "27.24.00-G01-5-19", "Klage");
  auto r = FindSheet({Code("Code128", "PORTO 12345"), Code("QRCode", "https://borger.dk"),
                      Code("QRCode", EncodeSheetPayload(cover))});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, cover);
}

TEST(FindSheetTest, IgnoresOurPayloadInAnotherSymbology) {
  auto r =
      FindSheet({Code("DataMatrix", "INTAKE-SHEET/1 SEP"), Code("Code128", "INTAKE-SHEET/1 SEP")});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->has_value());
}

TEST(FindSheetTest, TheSameSheetCodeTwiceCountsOnce) {
  auto r = FindSheet({Code("QRCode", "INTAKE-SHEET/1 SEP"), Code("QRCode", "INTAKE-SHEET/1 SEP")});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->kind, Kind::kSeparator);
}

TEST(FindSheetTest, TwoDifferentSheetCodesOnOnePageAreAnError) {
  auto r = FindSheet({Code("QRCode", "INTAKE-SHEET/1 SEP"),
                      Code("QRCode", EncodeSheetPayload(Cover("SBSYS", "27.24.00-G01-5-19")))});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("to forskellige stationsark-koder"));
  EXPECT_THAT(r.error().message(),
              HasSubstr("et skilleark og en forside til SBSYS 27.24.00-G01-5-19"));

  auto covers = FindSheet({Code("QRCode", EncodeSheetPayload(Cover("SBSYS", "A-1"))),
                           Code("QRCode", EncodeSheetPayload(Cover("SBSYS", "A-2")))});
  ASSERT_FALSE(covers);
  EXPECT_THAT(covers.error().message(), HasSubstr("A-1 og en forside til SBSYS A-2"));
}

TEST(FindSheetTest, AMalformedSheetCodeIsAnErrorNamingTheCode) {
  auto r = FindSheet({Code("QRCode", "https://borger.dk"), Code("QRCode", "INTAKE-SHEET/9 SEP")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("QR-kode nr. 2 på siden"));
  EXPECT_THAT(r.error().message(), HasSubstr("version '9' kendes ikke"));
}

// ---------------------------------------------------------------------------------------
// The sheet makers' refusals (before any PDF is made)

CoverSheetInfo GoodCover() {
  return CoverSheetInfo{"SBSYS", "27.24.00-G01-5-19", "Byggesag om carport på Hegnsvej 4",
                        "Ansøgning"};
}

void ExpectCoverRefused(const CoverSheetInfo& info, const std::string& fragment) {
  auto r = MakeCoverSheet(info);
  ASSERT_FALSE(r) << "made a sheet; expected: " << fragment;
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(), HasSubstr("forsiden kan ikke udskrives"));
  EXPECT_THAT(r.error().message(), HasSubstr(fragment));
}

TEST(MakeCoverSheetTest, RefusesAnEmptySystemOrReferenceNamingTheField) {
  CoverSheetInfo info = GoodCover();
  info.system = "";
  ExpectCoverRefused(info, "ESDH-systemet mangler");
  info = GoodCover();
  info.reference = "";
  ExpectCoverRefused(info, "sagsnummeret mangler");
}

TEST(MakeCoverSheetTest, RefusesACprLikeNumberInAnyFieldWithoutQuotingIt) {
  struct Case {
    void (*set)(CoverSheetInfo&);
    const char* field;
  };
  const Case cases[] = {
      {[](CoverSheetInfo& i) { i.reference = "010190-1234"; }, "sagsnummeret"},
      {[](CoverSheetInfo& i) { i.reference = "SAG 0101901234"; }, "sagsnummeret"},
      {[](CoverSheetInfo& i) { i.system = "SB 010190-1234"; }, "ESDH-systemet"},
      {[](CoverSheetInfo& i) { i.doc_type = "Brev fra 010190-1234"; }, "dokumenttypen"},
      {[](CoverSheetInfo& i) { i.case_title = "Klage fra 010190-1234"; }, "sagens titel"},
  };
  for (const Case& c : cases) {
    CoverSheetInfo info = GoodCover();
    c.set(info);
    auto r = MakeCoverSheet(info);
    ASSERT_FALSE(r) << c.field;
    EXPECT_THAT(r.error().message(),
                HasSubstr(std::string(c.field) + " indeholder et CPR-lignende"));
    EXPECT_THAT(r.error().message(), Not(HasSubstr("1234"))) << r.error().message();
    EXPECT_THAT(r.error().message(), Not(HasSubstr("010190"))) << r.error().message();
  }
}

TEST(MakeCoverSheetTest, RefusesOverlongFieldsAndControlCharacters) {
  CoverSheetInfo info = GoodCover();
  info.reference = std::string(kMaxSheetReferenceLength + 1, 'R');
  ExpectCoverRefused(info, "sagsnummeret er 65 tegn langt; højst 64");
  info = GoodCover();
  info.system = std::string(kMaxSheetSystemLength + 1, 'S');
  ExpectCoverRefused(info, "ESDH-systemet er 33 tegn langt");
  info = GoodCover();
  info.doc_type = std::string(kMaxSheetDocTypeLength + 1, 'T');
  ExpectCoverRefused(info, "dokumenttypen er 81 tegn langt");
  info = GoodCover();
  info.reference = "A\nB";
  ExpectCoverRefused(info, "sagsnummeret indeholder et styretegn");
  info = GoodCover();
  info.doc_type = "Brev \xFF";
  ExpectCoverRefused(info, "dokumenttypen er ikke gyldig UTF-8");
}

TEST(MakeCoverSheetTest, RefusesAPayloadThatWouldNotFitTheQrLimit) {
  CoverSheetInfo info = GoodCover();
  info.reference = std::string(60, '/');  // 60 characters, 180 in the payload
  info.doc_type = std::string(40, ' ');   // 120 more
  ExpectCoverRefused(info, "fylder");
}

TEST(MakeSeparatorSheetsTest, RefusesACountOutsideOneToTheMaximum) {
  for (int count : {0, -1, kMaxSeparatorSheets + 1}) {
    auto r = MakeSeparatorSheets(count);
    ASSERT_FALSE(r) << count;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message(),
                HasSubstr("antallet af skilleark er " + std::to_string(count)));
  }
}

TEST(MakeSeparatorSheetsTest, ReportsAMissingFontAsUnavailable) {
  SheetOptions options;
  options.font = "/nonexistent/DejaVuSans.ttf";
  auto r = MakeSeparatorSheets(1, options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(r.error().message(), HasSubstr("/nonexistent/DejaVuSans.ttf"));
}

TEST(MakeSeparatorSheetsTest, MakesOnePdfPagePerSheet) {
  auto r = MakeSeparatorSheets(3);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->rfind("%PDF-1.7", 0), 0u);
  EXPECT_NE(r->find("/Count 3"), std::string::npos);
}

}  // namespace
}  // namespace intake::station
