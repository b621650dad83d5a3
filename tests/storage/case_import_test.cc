#include "storage/case_import.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "base/cpr_mask.h"
#include "config/config.h"

namespace intake::storage {
namespace {

using Severity = RowError::Severity;

// CPR numbers used below (weighted sums with 4,3,2,7,6,5,4,3,2,1 worked out by hand):
//   0101901238  1 Jan 1990, sum 88: valid
//   1506901239  15 Jun 1990, sum 140: fails modulus 11, date not listed -> doubtful
//   0101601235  1 Jan 1960, sum 78: fails modulus 11, date on cpr.dk's list
//   3102901238  31 Feb: no such date
//   0101304001  1 Jan 2030 (digit 7 = 4): in the future
// CVR 13748136 is erhvervsstyrelsen.dk's example (sum 132); 13748137 fails.

CaseListOptions Options() {
  CaseListOptions options;
  options.no_check_digit_dates = config::Defaults().cpr.no_check_digit_dates;
  options.today = std::chrono::year_month_day{std::chrono::year{2025}, std::chrono::month{6},
                                              std::chrono::day{15}};
  return options;
}

// Parses and checks the one rule every parse must keep: no CPR number in any message.
CaseListParse Parse(std::string_view bytes, std::string_view name = "sager.csv",
                    const CaseListOptions& options = Options()) {
  CaseListParse parse = ParseCaseList(bytes, name, options);
  for (const RowError& e : parse.errors) {
    EXPECT_FALSE(ContainsCprLike(e.message)) << e.message;
    EXPECT_FALSE(ContainsCprLike(e.column)) << e.column;
    EXPECT_FALSE(e.message.empty());
  }
  return parse;
}

std::vector<RowError> On(const CaseListParse& parse, int row) {
  std::vector<RowError> found;
  for (const RowError& e : parse.errors) {
    if (e.row == row) found.push_back(e);
  }
  return found;
}

const ParsedCase* Find(const CaseListParse& parse, std::string_view reference) {
  for (const ParsedCase& c : parse.rows) {
    if (c.reference == reference) return &c;
  }
  return nullptr;
}

std::vector<std::string> References(const CaseListParse& parse) {
  std::vector<std::string> refs;
  for (const ParsedCase& c : parse.rows) refs.push_back(c.reference);
  return refs;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// ---- CSV: the good path ----

TEST(CaseImportCsvTest, ReadsSemicolonFileWithDanishHeaders) {
  const std::string file =
      "ESDH;Sagsnr.;Sagstitel;Status;KLE;Handlingsfacet;Sagsbehandler;Enhed;Beskyttet;"
      "Adgangsgruppe;CPR-nr.;Partsnavn;Rolle\n"
      "SBSYS;27.24.00-G01-5-19;Hegnssyn Østergade 4;Hvilende;27.24.00;G01;abc;Byggeri;ja;"
      "Byg-fortrolig;010190-1238;Åse Ørsted;Ansøger\n"
      "KK;2024-0123456;Tilskud til Ærø-færgen;;;;;;nej;;;;\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(parse.detected_format, "csv;");
  EXPECT_EQ(parse.detected_encoding, "UTF-8");
  EXPECT_TRUE(parse.errors.empty()) << parse.errors[0].message;
  ASSERT_EQ(parse.rows.size(), 2u);

  const ParsedCase& a = parse.rows[0];
  EXPECT_EQ(a.row, 2);
  EXPECT_EQ(a.system, "SBSYS");
  EXPECT_EQ(a.reference, "27.24.00-G01-5-19");
  EXPECT_EQ(a.title, "Hegnssyn Østergade 4");
  EXPECT_EQ(a.status, "dormant");
  EXPECT_EQ(a.kle_subject, "27.24.00");
  EXPECT_EQ(a.kle_facet, "G01");
  EXPECT_EQ(a.caseworker, "abc");
  EXPECT_EQ(a.unit, "Byggeri");
  EXPECT_TRUE(a.restricted);
  EXPECT_EQ(a.access_group, "Byg-fortrolig");
  ASSERT_EQ(a.parties.size(), 1u);
  EXPECT_EQ(a.parties[0].kind, "person");
  EXPECT_EQ(a.parties[0].number, "0101901238");
  EXPECT_EQ(a.parties[0].name, "Åse Ørsted");
  EXPECT_EQ(a.parties[0].role, "Ansøger");
  EXPECT_FALSE(a.parties[0].needs_confirmation);

  const ParsedCase& b = parse.rows[1];
  EXPECT_EQ(b.row, 3);
  EXPECT_EQ(b.status, "open");
  EXPECT_FALSE(b.restricted);
  EXPECT_TRUE(b.parties.empty());
}

TEST(CaseImportCsvTest, DetectsCommaAndTabFromTheHeader) {
  const CaseListParse comma =
      Parse("system,reference,title\nSBSYS,\"15/34881\",\"Klage over afgørelse, del 2\"\n");
  EXPECT_EQ(comma.detected_format, "csv,");
  ASSERT_EQ(comma.rows.size(), 1u);
  EXPECT_EQ(comma.rows[0].title, "Klage over afgørelse, del 2");

  const CaseListParse tab =
      Parse("system\treference\ttitle\nSBSYS\t15/34881\tTitel; med semikolon\n");
  EXPECT_EQ(tab.detected_format, "csv\t");
  ASSERT_EQ(tab.rows.size(), 1u);
  EXPECT_EQ(tab.rows[0].title, "Titel; med semikolon");
}

TEST(CaseImportCsvTest, ThreeArgumentFormUsesTheGivenExceptionDates) {
  const std::string file = "system;reference;title;cpr\nSBSYS;1;Sag om tilskud;010160-1235\n";
  const CaseListParse listed = ParseCaseList(file, "a.csv", {"1960-01-01"});
  EXPECT_TRUE(listed.errors.empty());
  ASSERT_EQ(listed.rows.size(), 1u);
  EXPECT_FALSE(listed.rows[0].parties[0].needs_confirmation);

  const CaseListParse unlisted = ParseCaseList(file, "a.csv", std::vector<std::string>{});
  ASSERT_EQ(unlisted.rows.size(), 1u);
  EXPECT_TRUE(unlisted.rows[0].parties[0].needs_confirmation);
  ASSERT_EQ(unlisted.errors.size(), 1u);
  EXPECT_EQ(unlisted.errors[0].severity, Severity::kWarning);
}

// ---- CSV: quoting ----

TEST(CaseImportCsvTest, HandlesRfc4180Quoting) {
  const std::string file =
      "system;reference;title;caseworker\r\n"
      "SBSYS;A-1;\"Semikolon; inde i titlen\";abc\r\n"
      "SBSYS;A-2;\"Han sagde \"\"nej\"\" til byggeriet\";abc\r\n"
      "SBSYS;A-3;\"Titel over\r\nto linjer\";abc\r\n"
      "SBSYS;A-4;  \"Mellemrum før anførselstegn\"  ;abc\r\n"
      "SBSYS;A-5;Et \"citat\" uden for anførselstegn;abc\r\n"
      "SBSYS;A-6;\"\";abc\r\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"A-1", "A-2", "A-3", "A-4", "A-5"}));
  EXPECT_EQ(Find(parse, "A-1")->title, "Semikolon; inde i titlen");
  EXPECT_EQ(Find(parse, "A-2")->title, "Han sagde \"nej\" til byggeriet");
  EXPECT_EQ(Find(parse, "A-3")->title, "Titel over to linjer");
  EXPECT_EQ(Find(parse, "A-4")->title, "Mellemrum før anførselstegn");
  EXPECT_EQ(Find(parse, "A-5")->title, "Et \"citat\" uden for anførselstegn");
  // A-3 spans lines 4 and 5, so A-4 starts on line 6 and the empty title is on line 8.
  EXPECT_EQ(Find(parse, "A-3")->row, 4);
  EXPECT_EQ(Find(parse, "A-4")->row, 6);
  ASSERT_EQ(On(parse, 8).size(), 1u);
  EXPECT_EQ(On(parse, 8)[0].column, "title");
}

TEST(CaseImportCsvTest, UnterminatedQuoteCostsOnlyItsRow) {
  const std::string file =
      "system;reference;title\n"
      "SBSYS;B-1;God titel nummer et\n"
      "SBSYS;B-2;\"Titel uden slut\n"
      "SBSYS;B-3;God titel nummer tre\n";
  const CaseListParse parse = Parse(file);
  // The quote is never closed; the reader resumes on the line after it and keeps B-3.
  EXPECT_EQ(References(parse), (std::vector<std::string>{"B-1", "B-3"}));
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 3)[0].message, "anførselstegn")) << On(parse, 3)[0].message;
  EXPECT_EQ(Find(parse, "B-3")->row, 4);
}

TEST(CaseImportCsvTest, TextAfterClosingQuoteIsARowError) {
  const CaseListParse parse =
      Parse("system;reference;title\nSBSYS;C-1;\"Titel\"hale\nSBSYS;C-2;God titel\n");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"C-2"}));
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "efter et afsluttende")) << On(parse, 2)[0].message;
}

TEST(CaseImportCsvTest, SkipsBlankLinesAndLinesOfEmptyFields) {
  const CaseListParse parse =
      Parse("\n\nsystem;reference;title\n\nSBSYS;D-1;Titel\n;;\n  \nSBSYS;D-2;Titel to\n");
  EXPECT_TRUE(parse.errors.empty());
  EXPECT_EQ(References(parse), (std::vector<std::string>{"D-1", "D-2"}));
  EXPECT_EQ(Find(parse, "D-1")->row, 5);
  EXPECT_EQ(Find(parse, "D-2")->row, 8);
}

TEST(CaseImportCsvTest, AcceptsOldMacLineBreaks) {
  const CaseListParse parse = Parse("system;reference;title\rSBSYS;E-1;Titel\rSBSYS;E-2;To\r");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"E-1", "E-2"}));
  EXPECT_EQ(Find(parse, "E-2")->row, 3);
}

// ---- CSV: structure errors ----

TEST(CaseImportCsvTest, MissingRequiredColumnIsOneFileErrorNamingFoundColumns) {
  const CaseListParse parse = Parse("system;titel;status\nSBSYS;Titel;open\n");
  EXPECT_TRUE(parse.rows.empty());
  ASSERT_EQ(parse.errors.size(), 1u);
  const RowError& e = parse.errors[0];
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.column, "reference");
  EXPECT_EQ(e.severity, Severity::kError);
  EXPECT_TRUE(Contains(e.message, "reference")) << e.message;
  EXPECT_TRUE(Contains(e.message, "'titel'")) << e.message;
  EXPECT_TRUE(Contains(e.message, "'status'")) << e.message;
}

TEST(CaseImportCsvTest, AllMissingColumnsAreNamed) {
  const CaseListParse parse = Parse("navn;adresse\nA;B\n");
  ASSERT_EQ(parse.errors.size(), 1u);
  for (const char* column : {"system", "reference", "title"}) {
    EXPECT_TRUE(Contains(parse.errors[0].message, column)) << parse.errors[0].message;
  }
}

TEST(CaseImportCsvTest, HeaderReadAsOneColumnSuggestsTheDelimiter) {
  // A pipe file: none of ; , tab in the header, so it is one column.
  const CaseListParse pipe = Parse("system|reference|title\nSBSYS|1|Titel\n");
  ASSERT_EQ(pipe.errors.size(), 1u);
  EXPECT_TRUE(pipe.rows.empty());
  EXPECT_TRUE(Contains(pipe.errors[0].message, "én kolonne")) << pipe.errors[0].message;
  EXPECT_TRUE(Contains(pipe.errors[0].message, "lodret streg (|)")) << pipe.errors[0].message;

  // A comma file whose lines are each wrapped in quotes: the header is one quoted field.
  const CaseListParse quoted = Parse("\"system,reference,title\"\n\"SBSYS,1,Titel\"\n");
  ASSERT_EQ(quoted.errors.size(), 1u);
  EXPECT_TRUE(Contains(quoted.errors[0].message, "komma (,)")) << quoted.errors[0].message;
  EXPECT_TRUE(Contains(quoted.errors[0].message, "anførselstegn")) << quoted.errors[0].message;
}

TEST(CaseImportCsvTest, RowWithAnotherDelimiterThanTheHeaderSaysSo) {
  const CaseListParse parse =
      Parse("system;reference;title\nSBSYS,F-1,Titel\nSBSYS;F-2;God titel\n");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"F-2"}));
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "komma (,)")) << On(parse, 2)[0].message;
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "semikolon (;)")) << On(parse, 2)[0].message;
}

TEST(CaseImportCsvTest, TooFewAndTooManyFieldsAreRowErrors) {
  const std::string file =
      "system;reference;title\n"
      "SBSYS;G-1\n"
      "SBSYS;G-2;Titel;overskud\n"
      "SBSYS;G-3;Titel med tomme felter til sidst;;\n"
      "SBSYS;G-4;God titel\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"G-3", "G-4"}));
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "2 felter")) << On(parse, 2)[0].message;
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 3)[0].message, "4 felter")) << On(parse, 3)[0].message;
}

TEST(CaseImportCsvTest, TwoColumnsForOneFieldIsAFileError) {
  const CaseListParse parse = Parse("system;reference;titel;sagstitel\nSBSYS;1;A;B\n");
  EXPECT_TRUE(parse.rows.empty());
  ASSERT_EQ(parse.errors.size(), 1u);
  EXPECT_EQ(parse.errors[0].row, 1);
  EXPECT_TRUE(Contains(parse.errors[0].message, "'titel'")) << parse.errors[0].message;
  EXPECT_TRUE(Contains(parse.errors[0].message, "'sagstitel'")) << parse.errors[0].message;
}

TEST(CaseImportCsvTest, UnknownColumnsAreIgnoredWithOneWarning) {
  const CaseListParse parse = Parse(
      "system;reference;title;Oprettet;Journalplan\nSBSYS;1;Titel;2024-01-01;x\n"
      "SBSYS;2;Titel;2024-01-02;y\n");
  EXPECT_EQ(parse.rows.size(), 2u);
  ASSERT_EQ(parse.errors.size(), 1u);
  EXPECT_EQ(parse.errors[0].severity, Severity::kWarning);
  EXPECT_EQ(parse.errors[0].row, 1);
  EXPECT_TRUE(Contains(parse.errors[0].message, "'Oprettet', 'Journalplan'"))
      << parse.errors[0].message;
}

TEST(CaseImportCsvTest, HeaderOnlyIsAWarningWithoutRows) {
  const CaseListParse parse = Parse("system;reference;title\n");
  EXPECT_TRUE(parse.rows.empty());
  ASSERT_EQ(parse.errors.size(), 1u);
  EXPECT_EQ(parse.errors[0].severity, Severity::kWarning);
}

TEST(CaseImportCsvTest, EmptyAndBinaryFilesAreRefusedWithTheFileName) {
  const CaseListParse empty = Parse("", "tom.csv");
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0].row, 0);
  EXPECT_TRUE(Contains(empty.errors[0].message, "'tom.csv'"));

  const CaseListParse blank = Parse("\n \r\n", "blank.csv");
  ASSERT_EQ(blank.errors.size(), 1u);
  EXPECT_TRUE(Contains(blank.errors[0].message, "tom")) << blank.errors[0].message;

  const CaseListParse xlsx = Parse(std::string("PK\x03\x04\x14\x00\x06\x00", 8), "sager.xlsx");
  ASSERT_EQ(xlsx.errors.size(), 1u);
  EXPECT_TRUE(Contains(xlsx.errors[0].message, "Excel")) << xlsx.errors[0].message;
  EXPECT_TRUE(xlsx.rows.empty());

  const CaseListParse binary = Parse(std::string("system\0;x", 9), "x.csv");
  ASSERT_EQ(binary.errors.size(), 1u);
  EXPECT_TRUE(Contains(binary.errors[0].message, "binære")) << binary.errors[0].message;
}

// ---- CSV: field rules ----

TEST(CaseImportCsvTest, EmptyRequiredFieldsAreRowErrorsAndOtherRowsStay) {
  const std::string file =
      "system;reference;title\n"
      ";H-1;Titel\n"
      "SBSYS;;Titel\n"
      "SBSYS;H-3;   \n"
      "SBSYS;H-4;God titel\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"H-4"}));
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_EQ(On(parse, 2)[0].column, "system");
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 3)[0].column, "reference");
  ASSERT_EQ(On(parse, 4).size(), 1u);
  EXPECT_EQ(On(parse, 4)[0].column, "title");
  EXPECT_TRUE(Contains(On(parse, 4)[0].message, "'title'")) << On(parse, 4)[0].message;
}

TEST(CaseImportCsvTest, StatusAcceptsEnglishAndDanishAndRefusesOthers) {
  const std::string file =
      "system;reference;title;status\n"
      "S;1;Titel;open\nS;2;Titel;Åben\nS;3;Titel;HVILENDE\nS;4;Titel;lukket\n"
      "S;5;Titel;Afsluttet\nS;6;Titel;closed\nS;7;Titel;\nS;8;Titel;arkiveret\n";
  const CaseListParse parse = Parse(file);
  ASSERT_EQ(parse.rows.size(), 7u);
  const std::vector<std::string> expected = {"open",   "open",   "dormant", "closed",
                                             "closed", "closed", "open"};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(parse.rows[i].status, expected[i]);
  ASSERT_EQ(On(parse, 9).size(), 1u);
  EXPECT_EQ(On(parse, 9)[0].column, "status");
  EXPECT_TRUE(Contains(On(parse, 9)[0].message, "'arkiveret'")) << On(parse, 9)[0].message;
}

TEST(CaseImportCsvTest, KleSubjectAndFacetFormats) {
  const std::string file =
      "system;reference;title;kle;facet\n"
      "S;1;Titel;27.24.00;G01\n"   // 2
      "S;2;Titel;15.20.00;p35\n"   // 3: lower case raised
      "S;3;Titel;00.01.00;ø30\n"   // 4: Ø, lower case
      "S;4;Titel;27.24;G01\n"      // 5: two levels
      "S;5;Titel;27-24-00;G01\n"   // 6: dashes
      "S;6;Titel;27.24.00;GG1\n"   // 7
      "S;7;Titel;27.24.00;G001\n"  // 8
      "S;8;Titel;;\n";             // 9: both optional
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"1", "2", "3", "8"}));
  EXPECT_EQ(Find(parse, "2")->kle_facet, "P35");
  EXPECT_EQ(Find(parse, "3")->kle_facet, "Ø30");
  EXPECT_EQ(Find(parse, "8")->kle_subject, "");
  for (int row : {5, 6}) {
    ASSERT_EQ(On(parse, row).size(), 1u) << row;
    EXPECT_EQ(On(parse, row)[0].column, "kle_subject");
  }
  for (int row : {7, 8}) {
    ASSERT_EQ(On(parse, row).size(), 1u) << row;
    EXPECT_EQ(On(parse, row)[0].column, "kle_facet");
  }
}

TEST(CaseImportCsvTest, RestrictedAcceptsYesNoForms) {
  const std::string file =
      "system;reference;title;beskyttet\n"
      "S;1;Titel;ja\nS;2;Titel;Nej\nS;3;Titel;x\nS;4;Titel;TRUE\nS;5;Titel;0\nS;6;Titel;måske\n";
  const CaseListParse parse = Parse(file);
  ASSERT_EQ(parse.rows.size(), 5u);
  EXPECT_TRUE(parse.rows[0].restricted);
  EXPECT_FALSE(parse.rows[1].restricted);
  EXPECT_TRUE(parse.rows[2].restricted);
  EXPECT_TRUE(parse.rows[3].restricted);
  EXPECT_FALSE(parse.rows[4].restricted);
  ASSERT_EQ(On(parse, 7).size(), 1u);
  EXPECT_EQ(On(parse, 7)[0].column, "restricted");
}

TEST(CaseImportCsvTest, CprRulesFollowDomainSection5) {
  const std::string file =
      "system;reference;title;party_cpr;party_name\n"
      "S;valid;Titel;010190-1238;A\n"     // 2
      "S;doubtful;Titel;1506901239;B\n"   // 3: warning, kept
      "S;listed;Titel;010160 1235;C\n"    // 4: exception date, kept silently
      "S;badform;Titel;01019012;D\n"      // 5
      "S;baddate;Titel;310290-1238;E\n"   // 6
      "S;future;Titel;010130-4001;F\n"    // 7
      "S;letters;Titel;O1O19O-l238;G\n";  // 8
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"valid", "doubtful", "listed"}));

  EXPECT_EQ(Find(parse, "valid")->parties[0].number, "0101901238");
  EXPECT_FALSE(Find(parse, "valid")->parties[0].needs_confirmation);
  EXPECT_TRUE(Find(parse, "doubtful")->parties[0].needs_confirmation);
  EXPECT_EQ(Find(parse, "listed")->parties[0].number, "0101601235");
  EXPECT_FALSE(Find(parse, "listed")->parties[0].needs_confirmation);

  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 3)[0].severity, Severity::kWarning);
  EXPECT_EQ(On(parse, 3)[0].column, "party_cpr");
  EXPECT_TRUE(Contains(On(parse, 3)[0].message, "modulus 11")) << On(parse, 3)[0].message;
  EXPECT_TRUE(On(parse, 4).empty());
  for (int row : {5, 6, 7, 8}) {
    ASSERT_EQ(On(parse, row).size(), 1u) << row;
    EXPECT_EQ(On(parse, row)[0].severity, Severity::kError) << row;
    EXPECT_EQ(On(parse, row)[0].column, "party_cpr") << row;
    EXPECT_TRUE(Contains(On(parse, row)[0].message, "CPR-nummeret i kolonnen 'party_cpr'"))
        << On(parse, row)[0].message;
  }
  EXPECT_TRUE(Contains(On(parse, 6)[0].message, "fødselsdato")) << On(parse, 6)[0].message;
  EXPECT_TRUE(Contains(On(parse, 7)[0].message, "efter i dag")) << On(parse, 7)[0].message;
}

TEST(CaseImportCsvTest, CvrIsCheckedStrictly) {
  const std::string file =
      "system;reference;title;cvr;partsnavn\n"
      "S;1;Titel;13748136;Firma A/S\n"
      "S;2;Titel;13 74 81 36;Firma A/S\n"
      "S;3;Titel;13748137;Firma A/S\n"
      "S;4;Titel;1374813;Firma A/S\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(Find(parse, "1")->parties[0].kind, "company");
  EXPECT_EQ(Find(parse, "2")->parties[0].number, "13748136");
  for (int row : {4, 5}) {
    ASSERT_EQ(On(parse, row).size(), 1u) << row;
    EXPECT_EQ(On(parse, row)[0].column, "party_cvr");
    EXPECT_TRUE(Contains(On(parse, row)[0].message, "modulus 11")) << On(parse, row)[0].message;
  }
}

TEST(CaseImportCsvTest, PartyNeedsOneNumberOrAKind) {
  const std::string file =
      "system;reference;title;cpr;cvr;navn;rolle;partstype\n"
      "S;1;Titel;010190-1238;13748136;X;;\n"     // 2: both numbers
      "S;2;Titel;;;Hans Hansen;Klager;\n"        // 3: name only
      "S;3;Titel;;;Hans Hansen;Klager;person\n"  // 4: kind given
      "S;4;Titel;;13748136;Firma;;person\n"      // 5: kind contradicts
      "S;5;Titel;;;;Klager;\n"                   // 6: role only
      "S;6;Titel;;;Firma ApS;;virksomhed\n"      // 7
      "S;7;Titel;;;Firma ApS;;ukendt\n"          // 8
      "S;8;Titel;;;;;\n";                        // 9: no party at all
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"3", "6", "8"}));
  EXPECT_EQ(Find(parse, "3")->parties[0].kind, "person");
  EXPECT_EQ(Find(parse, "3")->parties[0].number, "");
  EXPECT_EQ(Find(parse, "6")->parties[0].kind, "company");
  EXPECT_TRUE(Find(parse, "8")->parties.empty());
  for (int row : {2, 3, 5, 6, 8}) EXPECT_EQ(On(parse, row).size(), 1u) << row;
}

TEST(CaseImportCsvTest, DuplicateReferenceNamesTheFirstRow) {
  const std::string file =
      "system;reference;title\n"
      "SBSYS;27.24.00-G01-5-19;Første\n"
      "KK;2024-0123456;Anden\n"
      "SBSYS;27.24.00-G01-5-19;Tredje\n"
      "KK;27.24.00-G01-5-19;Samme nummer i et andet system\n";
  const CaseListParse parse = Parse(file);
  ASSERT_EQ(parse.rows.size(), 3u);
  EXPECT_EQ(parse.rows[0].title, "Første");
  EXPECT_EQ(parse.rows[2].system, "KK");
  ASSERT_EQ(On(parse, 4).size(), 1u);
  EXPECT_EQ(On(parse, 4)[0].column, "reference");
  EXPECT_TRUE(Contains(On(parse, 4)[0].message, "række 2")) << On(parse, 4)[0].message;
}

TEST(CaseImportCsvTest, UnterminatedQuoteInTheHeaderIsAFileError) {
  const CaseListParse parse = Parse("system;\"reference;title\nSBSYS;1;Titel\n");
  EXPECT_TRUE(parse.rows.empty());
  ASSERT_EQ(parse.errors.size(), 1u);
  EXPECT_EQ(parse.errors[0].row, 1);
  EXPECT_TRUE(Contains(parse.errors[0].message, "Overskriftsrækken")) << parse.errors[0].message;
}

TEST(CaseImportCsvTest, PartyKindMustAgreeWithTheNumber) {
  const std::string file =
      "system;reference;title;cpr;cvr;navn;partstype\n"
      "S;1;Titel;010190-1238;;Åse;virksomhed\n"  // 2: company with a CPR number
      "S;2;Titel;;13748136;Firma;person\n"       // 3: person with a CVR number
      "S;3;Titel;010190-1238;;Åse;person\n"      // 4
      "S;4;Titel;;13748136;Firma;virksomhed\n";  // 5
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(References(parse), (std::vector<std::string>{"3", "4"}));
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_EQ(On(parse, 2)[0].column, "party_kind");
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "CPR-nummer")) << On(parse, 2)[0].message;
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 3)[0].column, "party_kind");
  EXPECT_TRUE(Contains(On(parse, 3)[0].message, "CVR-nummer")) << On(parse, 3)[0].message;
}

TEST(CaseImportCsvTest, DuplicateIgnoresTheCaseOfTheSystemName) {
  const CaseListParse parse = Parse("system;reference;title\nSBSYS;A-1;Første\nsbsys;A-1;Anden\n");
  ASSERT_EQ(parse.rows.size(), 1u);
  EXPECT_EQ(parse.rows[0].title, "Første");
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 3)[0].column, "reference");
}

// Two rows claiming one case are ambiguous even when the first has another error: the
// later row is reported as a duplicate (naming the first), not imported in its place.
TEST(CaseImportCsvTest, DuplicateOfARowWithErrorsIsStillReported) {
  const CaseListParse parse = Parse(
      "system;reference;title;status\nSBSYS;A-1;Første;arkiveret\nSBSYS;A-1;Anden;open\n"
      "SBSYS;A-2;Tredje;open\n");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"A-2"}));
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_EQ(On(parse, 2)[0].column, "status");
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 3)[0].message, "række 2")) << On(parse, 3)[0].message;
}

TEST(CaseImportCsvTest, CprInFreeTextIsRefusedWithoutEchoingIt) {
  const std::string file =
      "system;reference;title;sagsbehandler\n"
      "S;1;Sag vedr. 010190-1238 om tilskud;abc\n"
      "S;2;God titel;0101901238\n";
  const CaseListParse parse = Parse(file);
  EXPECT_TRUE(parse.rows.empty());
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_EQ(On(parse, 2)[0].column, "title");
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 3)[0].column, "caseworker");
}

TEST(CaseImportCsvTest, NoMessageEverContainsACprNumber) {
  // CPR numbers everywhere they do not belong: header names, status, KLE, facet, a
  // duplicated reference, the file name, a broken quote, wrong field counts.
  const std::string file =
      "system;reference;title;status;kle;facet;0101901238\n"
      "S;010190-1238;Titel;010190-1238;0101901238;010190 1238;x\n"
      "S;010190-1238;Titel;open;;;x\n"
      "S;1;Titel 0101901238;open;;;x\n"
      "S;2;\"0101901238\"0101901238;open;;;x\n"
      "S;3;Titel;0101901238\n"
      "S;4;\"0101901238\n";
  const CaseListParse parse = Parse(file, "udtræk 010190-1238.csv");
  EXPECT_GE(CountErrors(parse), 6);
  // Parse() checks every message; also the file-level messages that name the file.
  const CaseListParse missing = Parse("0101901238;x\n1;2\n", "010190-1238.csv");
  ASSERT_EQ(missing.errors.size(), 1u);
  const CaseListParse json = Parse("[{\"system\": 0101901238}]", "010190-1238.json");
  ASSERT_EQ(json.errors.size(), 1u);
}

// ---- encodings ----

TEST(CaseImportEncodingTest, Utf8BomIsSkipped) {
  const CaseListParse parse = Parse("\xEF\xBB\xBFsystem;reference;title\nSBSYS;1;Ærø\n");
  EXPECT_EQ(parse.detected_encoding, "UTF-8");
  EXPECT_TRUE(parse.errors.empty());
  ASSERT_EQ(parse.rows.size(), 1u);
  EXPECT_EQ(parse.rows[0].title, "Ærø");
}

TEST(CaseImportEncodingTest, Windows1252IsConvertedToUtf8) {
  // "Ærø Åbenrå æøå" and "Kr. 100 €" in Windows-1252 bytes.
  const std::string file =
      "system;reference;title;sagsbehandler\n"
      "SBSYS;1;\xC6r\xF8 \xC5\x62\x65nr\xE5 \xE6\xF8\xE5;S\xF8ren\n"
      "SBSYS;2;Kr. 100 \x80 \x96 tilskud;abc\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(parse.detected_encoding, "Windows-1252");
  EXPECT_TRUE(parse.errors.empty());
  ASSERT_EQ(parse.rows.size(), 2u);
  EXPECT_EQ(parse.rows[0].title, "Ærø Åbenrå æøå");
  EXPECT_EQ(parse.rows[0].caseworker, "Søren");
  EXPECT_EQ(parse.rows[1].title, "Kr. 100 € – tilskud");
}

TEST(CaseImportEncodingTest, SameTextInUtf8AndLatin1GivesTheSameRows) {
  const std::string utf8 = "system;reference;title\nSBSYS;1;Æble, øl og ål på Ærø\n";
  const std::string latin1 =
      "system;reference;title\nSBSYS;1;\xC6\x62le, \xF8l og \xE5l p\xE5 \xC6r\xF8\n";
  const CaseListParse a = Parse(utf8);
  const CaseListParse b = Parse(latin1);
  EXPECT_EQ(a.detected_encoding, "UTF-8");
  EXPECT_EQ(b.detected_encoding, "Windows-1252");
  ASSERT_EQ(a.rows.size(), 1u);
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(a.rows[0].title, b.rows[0].title);
}

TEST(CaseImportEncodingTest, InvalidBytesInAUtf8FileAreReportedPerField) {
  const std::string file =
      "system;reference;title;enhed\n"
      "SBSYS;1;Første sag på Ærø;Børn og unge\n"
      "SBSYS;2;Anden sag \xE6 med en Latin-1-byte;Børn\n"
      "SBSYS;3;Tredje sag i Århus;Kultur\n"
      "SBSYS;4;Fjerde sag;Sk\xFF\xFEole\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(parse.detected_encoding, "UTF-8");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(Find(parse, "1")->title, "Første sag på Ærø");
  ASSERT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 3)[0].column, "title");
  EXPECT_TRUE(Contains(On(parse, 3)[0].message, "UTF-8")) << On(parse, 3)[0].message;
  ASSERT_EQ(On(parse, 5).size(), 1u);
  EXPECT_EQ(On(parse, 5)[0].column, "unit");
}

TEST(CaseImportEncodingTest, OverlongAndSurrogateSequencesAreNotUtf8) {
  // "\xC0\xAF" (overlong '/') and "\xED\xA0\x80" (a surrogate) amid valid UTF-8.
  const std::string file =
      "system;reference;title\nS;1;Ærø æble på "
      "Åløkke\nS;2;a\xC0\xAF\x62\nS;3;x\xED\xA0\x80y\nS;4;Ål\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(parse.detected_encoding, "UTF-8");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"1", "4"}));
  EXPECT_EQ(On(parse, 3).size(), 1u);
  EXPECT_EQ(On(parse, 4).size(), 1u);
}

TEST(CaseImportEncodingTest, Utf16WithBomIsConverted) {
  const std::string text = "system\treference\ttitle\nSBSYS\t1\tÆrø 😀\n";
  // Encode as UTF-16LE with a BOM (Excel's "Unicode text"), by hand from the code points.
  std::u32string cps;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    char32_t cp;
    int len;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if (c < 0xE0) {
      cp = c & 0x1F, len = 2;
    } else if (c < 0xF0) {
      cp = c & 0x0F, len = 3;
    } else {
      cp = c & 0x07, len = 4;
    }
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    cps += cp;
    i += static_cast<size_t>(len);
  }
  std::string le = "\xFF\xFE";
  std::string be = "\xFE\xFF";
  auto put = [&](char16_t u) {
    le += static_cast<char>(u & 0xFF);
    le += static_cast<char>(u >> 8);
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xFF);
  };
  for (char32_t cp : cps) {
    if (cp >= 0x10000) {
      put(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      put(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    } else {
      put(static_cast<char16_t>(cp));
    }
  }
  for (const auto& [bytes, name] : {std::pair{le, "UTF-16LE"}, std::pair{be, "UTF-16BE"}}) {
    const CaseListParse parse = Parse(bytes);
    EXPECT_EQ(parse.detected_encoding, name);
    EXPECT_EQ(parse.detected_format, "csv\t");
    ASSERT_EQ(parse.rows.size(), 1u) << name;
    EXPECT_EQ(parse.rows[0].title, "Ærø 😀");
  }
}

TEST(CaseImportEncodingTest, MixedFileMostlyLatin1ReportsItsUtf8RowsInsteadOfMojibake) {
  // Rows 2-4 in Windows-1252, row 5 appended in UTF-8, row 6 ASCII only.
  const std::string file =
      "system;reference;title;enhed\n"
      "SBSYS;1;\xC6r\xF8 f\xE6rge;B\xF8rn\n"
      "SBSYS;2;\xC5\x62ningstider p\xE5 r\xE5\x64huset;Kultur\n"
      "SBSYS;3;S\xF8ren \xC5gesen;\xC6ldre\n"
      "SBSYS;4;Tilskud til Ærø;Kultur\n"
      "SBSYS;5;Hegnssyn;Teknik\n";
  const CaseListParse parse = Parse(file);
  EXPECT_EQ(parse.detected_encoding, "Windows-1252");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"1", "2", "3", "5"}));
  EXPECT_EQ(Find(parse, "1")->title, "Ærø færge");
  EXPECT_EQ(Find(parse, "3")->unit, "Ældre");
  ASSERT_EQ(On(parse, 5).size(), 1u);
  EXPECT_EQ(On(parse, 5)[0].column, "title");
  EXPECT_TRUE(Contains(On(parse, 5)[0].message, "blanding")) << On(parse, 5)[0].message;
  // No row carries the mojibake "Ã".
  for (const ParsedCase& c : parse.rows) EXPECT_FALSE(Contains(c.title, "Ã")) << c.title;
}

TEST(CaseImportEncodingTest, JsonInWindows1252IsConverted) {
  const std::string file =
      "[{\"system\": \"SBSYS\", \"reference\": \"1\", \"title\": \"\xC6r\xF8 f\xE6rge\"}]";
  const CaseListParse parse = Parse(file, "sager.json");
  EXPECT_EQ(parse.detected_encoding, "Windows-1252");
  EXPECT_TRUE(parse.errors.empty());
  ASSERT_EQ(parse.rows.size(), 1u);
  EXPECT_EQ(parse.rows[0].title, "Ærø færge");
}

// ---- JSON ----

TEST(CaseImportJsonTest, ReadsCasesWithParties) {
  const std::string file = R"([
    {"system": "SBSYS", "reference": "27.24.00-G01-5-19", "title": "Hegnssyn Østergade 4",
     "status": "closed", "kle": "27.24.00", "facet": "G01", "caseworker": "abc",
     "unit": "Byggeri", "restricted": true, "access_group": "Byg",
     "parties": [
       {"kind": "person", "name": "Åse Ørsted", "cpr": "010190-1238", "role": "Ansøger"},
       {"kind": "company", "name": "Firma A/S", "cvr": "13748136", "role": "Rådgiver"}
     ]},
    {"esdh": "KK", "sagsnr": "2024-0123456", "titel": "Tilskud", "beskyttet": "nej",
     "parter": [{"partstype": "virksomhed", "navn": "Firma A/S", "cvr": "13748136"}]},
    {"system": "KK", "reference": "2024-0000001", "title": "Uden parter", "status": null}
  ])";
  const CaseListParse parse = Parse(file, "sager.json");
  EXPECT_EQ(parse.detected_format, "json");
  EXPECT_EQ(parse.detected_encoding, "UTF-8");
  EXPECT_TRUE(parse.errors.empty()) << parse.errors[0].message;
  ASSERT_EQ(parse.rows.size(), 3u);
  const ParsedCase& a = parse.rows[0];
  EXPECT_EQ(a.row, 1);
  EXPECT_EQ(a.status, "closed");
  EXPECT_TRUE(a.restricted);
  ASSERT_EQ(a.parties.size(), 2u);
  EXPECT_EQ(a.parties[0].number, "0101901238");
  EXPECT_EQ(a.parties[0].role, "Ansøger");
  EXPECT_EQ(a.parties[1].kind, "company");
  EXPECT_EQ(a.parties[1].number, "13748136");
  const ParsedCase& b = parse.rows[1];
  EXPECT_EQ(b.row, 2);
  EXPECT_EQ(b.system, "KK");
  EXPECT_EQ(b.reference, "2024-0123456");
  ASSERT_EQ(b.parties.size(), 1u);
  EXPECT_EQ(b.parties[0].kind, "company");
  EXPECT_EQ(parse.rows[2].status, "open");
}

TEST(CaseImportJsonTest, AcceptsAnObjectWithTheListUnderSager) {
  const CaseListParse parse =
      Parse(R"({"sager": [{"system": "S", "reference": "1", "title": "Titel"}]})", "x.json");
  ASSERT_EQ(parse.rows.size(), 1u);
  // Recognised by content even without the .json name.
  const CaseListParse sniffed =
      Parse(R"(  [{"system": "S", "reference": "1", "title": "Titel"}])", "eksport.txt");
  EXPECT_EQ(sniffed.detected_format, "json");
  EXPECT_EQ(sniffed.rows.size(), 1u);
}

TEST(CaseImportJsonTest, MalformedJsonIsOneErrorWithLineAndColumn) {
  const std::string file =
      "[\n"
      "  {\"system\": \"S\", \"reference\": \"1\", \"title\": \"Titel\"},\n"
      "  {\"system\": \"S\" \"reference\": \"2\"}\n"
      "]\n";
  const CaseListParse parse = Parse(file, "sager.json");
  EXPECT_TRUE(parse.rows.empty());
  ASSERT_EQ(parse.errors.size(), 1u);
  EXPECT_EQ(parse.errors[0].row, 0);
  EXPECT_TRUE(Contains(parse.errors[0].message, "linje 3")) << parse.errors[0].message;
  // nlohmann reports where it stopped reading: the end of the unexpected token
  // "reference", which spans columns 18-28 of line 3.
  EXPECT_TRUE(Contains(parse.errors[0].message, "kolonne 28")) << parse.errors[0].message;
}

TEST(CaseImportJsonTest, MalformedJsonNeverEchoesACprNumber) {
  // nlohmann's message quotes the text it read last; the importer must not pass it on.
  const CaseListParse parse = Parse("[{\"system\": \"S\", \"cpr\": 010190-1238}]", "sager.json");
  ASSERT_EQ(parse.errors.size(), 1u);
  EXPECT_FALSE(Contains(parse.errors[0].message, "010190"));
}

TEST(CaseImportJsonTest, WrongShapesAreReported) {
  const CaseListParse scalar = Parse("{\"cases\": 5}", "a.json");
  ASSERT_EQ(scalar.errors.size(), 1u);
  EXPECT_EQ(scalar.errors[0].row, 0);

  const CaseListParse no_list = Parse("{\"sagsliste\": []}", "a.json");
  ASSERT_EQ(no_list.errors.size(), 1u);
  EXPECT_EQ(no_list.errors[0].row, 0);
  EXPECT_TRUE(Contains(no_list.errors[0].message, "\"cases\"")) << no_list.errors[0].message;

  const CaseListParse empty = Parse("[]", "a.json");
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0].severity, Severity::kWarning);

  const std::string file = R"([
    "not an object",
    {"system": "S", "reference": "2", "title": "Titel", "cpr": 101901238},
    {"system": "S", "reference": "3", "title": 42},
    {"system": "S", "reference": "4"},
    {"system": "S", "reference": "5", "title": "Titel", "parties": {"name": "x"}},
    {"system": "S", "reference": "6", "title": "Titel", "parties": ["x"]},
    {"system": "S", "reference": "7", "title": "Titel", "oprettet": "2024", "x": 1},
    {"system": "S", "reference": "8", "title": "Titel", "oprettet": "2025",
     "parties": [{"name": "Hans", "kind": "person", "adresse": "Vej 1"}]}
  ])";
  const CaseListParse parse = Parse(file, "a.json");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"7", "8"}));
  for (int row : {1, 2, 3, 4, 5, 6}) {
    ASSERT_FALSE(On(parse, row).empty()) << row;
    EXPECT_EQ(On(parse, row)[0].severity, Severity::kError) << row;
  }
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "foranstillede nuller")) << On(parse, 2)[0].message;
  EXPECT_EQ(On(parse, 4)[0].column, "title");
  EXPECT_TRUE(Contains(On(parse, 4)[0].message, "mangler")) << On(parse, 4)[0].message;
  // Unknown members: one warning per member name, on the first element having it.
  ASSERT_EQ(On(parse, 7).size(), 2u);
  EXPECT_EQ(On(parse, 7)[0].severity, Severity::kWarning);
  ASSERT_EQ(On(parse, 8).size(), 1u);
  EXPECT_EQ(On(parse, 8)[0].column, "parties[1]");
}

TEST(CaseImportJsonTest, PartyErrorsNameTheParty) {
  const std::string file = R"([
    {"system": "S", "reference": "1", "title": "Titel",
     "parties": [{"name": "A", "cpr": "010190-1238"}, {"name": "B", "cvr": "13748137"}]},
    {"system": "S", "reference": "2", "title": "Titel",
     "parties": [{"name": "C", "cpr": "150690-1239"}]}
  ])";
  const CaseListParse parse = Parse(file, "a.json");
  EXPECT_EQ(References(parse), (std::vector<std::string>{"2"}));
  ASSERT_EQ(On(parse, 1).size(), 1u);
  EXPECT_EQ(On(parse, 1)[0].column, "parties[2].cvr");
  EXPECT_TRUE(Contains(On(parse, 1)[0].message, "'parties[2].cvr'")) << On(parse, 1)[0].message;
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_EQ(On(parse, 2)[0].severity, Severity::kWarning);
  EXPECT_TRUE(Find(parse, "2")->parties[0].needs_confirmation);
}

TEST(CaseImportJsonTest, DuplicateReferenceAcrossElements) {
  const CaseListParse parse = Parse(
      R"([{"system": "S", "reference": "1", "title": "A"},
          {"system": "S", "reference": "1", "title": "B"}])",
      "a.json");
  ASSERT_EQ(parse.rows.size(), 1u);
  ASSERT_EQ(On(parse, 2).size(), 1u);
  EXPECT_TRUE(Contains(On(parse, 2)[0].message, "række 1")) << On(parse, 2)[0].message;
}

// ---- case-number patterns ----

TEST(CaseImportPatternTest, ReferencesAreCheckedAgainstTheirSystemsPattern) {
  CaseListOptions options = Options();
  options.case_numbers = config::Defaults().case_numbers;  // SBSYS and KK
  const std::string file =
      "system;reference;title\n"
      "SBSYS;27.24.00-G01-5-19;Titel\n"   // 2
      "sbsys;15.20.00-P35-12-24;Titel\n"  // 3: system spelled differently
      "SBSYS;2024-0123456;Titel\n"        // 4: a KK number under SBSYS
      "KK;2024-0123456;Titel\n"           // 5
      "WorkZone;2009-00001;Titel\n"       // 6: no pattern: warning
      "WorkZone;2009-00002;Titel\n";      // 7: warned once only
  const CaseListParse parse = Parse(file, "sager.csv", options);
  EXPECT_EQ(References(parse),
            (std::vector<std::string>{"27.24.00-G01-5-19", "15.20.00-P35-12-24", "2024-0123456",
                                      "2009-00001", "2009-00002"}));
  EXPECT_EQ(parse.rows[1].system, "SBSYS");
  ASSERT_EQ(On(parse, 4).size(), 1u);
  EXPECT_EQ(On(parse, 4)[0].column, "reference");
  EXPECT_TRUE(Contains(On(parse, 4)[0].message, "27.24.00-G01-5-19")) << On(parse, 4)[0].message;
  ASSERT_EQ(On(parse, 6).size(), 1u);
  EXPECT_EQ(On(parse, 6)[0].severity, Severity::kWarning);
  EXPECT_TRUE(On(parse, 7).empty());
}

TEST(CaseImportPatternTest, ABrokenPatternIsAWarningNotACrash) {
  CaseListOptions options = Options();
  options.case_numbers = {{"X", "([", ""}};
  const CaseListParse parse = Parse("system;reference;title\nX;1;Titel\n", "a.csv", options);
  EXPECT_EQ(parse.rows.size(), 1u);
  ASSERT_EQ(On(parse, 0).size(), 1u);
  EXPECT_EQ(On(parse, 0)[0].severity, Severity::kWarning);
}

// ---- size ----

TEST(CaseImportScaleTest, TenThousandRowsParseAndAreMeasured) {
  std::string file = "system;reference;title;status;kle;facet;cpr;partsnavn\n";
  for (int i = 0; i < 10000; ++i) {
    file += "SBSYS;27.24.00-G01-" + std::to_string(i + 1) + "-19;\"Hegnssyn, Østergade " +
            std::to_string(i) + "\";open;27.24.00;G01;010190-1238;Åse Ørsted\n";
  }
  const CaseListOptions options = Options();
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  const CaseListParse parse = ParseCaseList(file, "stor.csv", options);
  const auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  // Wall time depends on the machine's load; CPU time is the parser's own cost.
  std::cout << "10000 rows (" << file.size() / 1024 << " KiB): " << ms << " ms wall, " << cpu_ms
            << " ms CPU\n";
  RecordProperty("parse_wall_ms", static_cast<int>(ms));
  RecordProperty("parse_cpu_ms", static_cast<int>(cpu_ms));
  EXPECT_TRUE(parse.errors.empty());
  EXPECT_EQ(parse.rows.size(), 10000u);
  EXPECT_EQ(parse.rows.back().row, 10001);
}

}  // namespace
}  // namespace intake::storage
