// Case-list import: parses a list of cases exported from an ESDH (SBSYS, WorkZone, F2 ...)
// as CSV or JSON into rows for the journal's case mirror. Pure parsing: no database, no
// files, no logging.
//
// Every problem is reported per row (RowError) without losing the valid rows: a row with
// an error is left out of `rows`, every other row is kept. Warnings (a CPR number that
// fails modulus 11 without an exception date, columns that are ignored ...) do not keep a
// row out. Messages are Danish, name the column and say what to do, and never contain a
// CPR number (they pass base/cpr_mask.h's MaskCpr before they are returned).
//
// CSV (the usual export): a header row is required; the delimiter is detected from the
// header among ';' (usual in Danish exports), ',' and tab; RFC 4180 quoting (doubled
// quotes, delimiters and line breaks inside quotes); blank lines and lines of empty fields
// are skipped. Header names are matched case-insensitively, with spaces, '-' and '.' read
// as '_', in English or Danish:
//   system         system, esdh, esdh_system, fagsystem                      (required)
//   reference      reference, ref, sagsnummer, sagsnr, sag_nr, case_number,
//                  journalnummer, j_nr, jnr                                  (required)
//   title          title, titel, sagstitel                                   (required)
//   status         status, sagsstatus: open|dormant|closed or åben|hvilende|lukket|
//                  afsluttet; default open
//   kle_subject    kle, kle_subject, emne, kle_emne, emnenummer: NN.NN.NN
//   kle_facet      facet, kle_facet, handlingsfacet: a capital letter (A-Z, Æ, Ø, Å) and
//                  two digits, e.g. G01; lower case is accepted and raised
//   caseworker     caseworker, sagsbehandler, ansvarlig
//   unit           unit, enhed, afdeling
//   restricted     restricted, beskyttet, er_beskyttet, fortrolig: ja/nej, true/false,
//                  yes/no, 1/0, x/empty; default false
//   access_group   access_group, adgangsgruppe, sikkerhedsgruppe
//   party_cpr      party_cpr, cpr, cpr_nr, cprnr, personnummer, part_cpr
//   party_cvr      party_cvr, cvr, cvr_nr, cvrnr, part_cvr
//   party_name     party_name, partsnavn, part_navn, navn
//   party_role     party_role, rolle, partsrolle, part_rolle
//   party_kind     party_kind, partstype, part_type: person|company (person|virksomhed)
// A CSV row carries at most one party. Other columns are ignored with one warning.
//
// JSON: an array of objects with the same keys (or an object whose "cases" or "sager"
// member is that array); parties as an array under "parties" (or "parter") of objects
// {kind, name, cpr | cvr, role} (Danish: partstype, navn, rolle). Values are strings;
// `restricted` may also be a boolean. Identity numbers must be strings (a number would
// lose leading zeros).
//
// Encoding: a UTF-8 BOM is skipped; UTF-16 with a BOM (Excel's "Unicode text") is
// converted; otherwise the bytes are UTF-8 if they are valid UTF-8, or if their valid
// multi-byte sequences are at least as many as their invalid bytes (a UTF-8 file with a
// few damaged bytes: each field holding one is reported), else Windows-1252 (a superset
// of Latin-1 for text) converted to UTF-8. In a Windows-1252 file, a line that is valid
// UTF-8 with multi-byte characters was written as UTF-8 (a mixed file): its fields holding
// such characters are reported instead of being turned into mojibake.
//
// Row numbers: for CSV the 1-based physical line on which the record starts (the header is
// normally line 1); for JSON the element's index + 1. Row 0 means the whole file (empty,
// binary, malformed JSON). A CSV header problem is reported on the header's line.
//
// Thread-safety: pure functions.
#ifndef INTAKE_STORAGE_CASE_IMPORT_H_
#define INTAKE_STORAGE_CASE_IMPORT_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/danish_ids.h"
#include "config/config.h"

namespace intake::storage {

// One party of an imported case, as plain values the journal can store (it must protect
// `number`, e.g. by the keyed HMAC index of the parties table).
struct ParsedParty {
  std::string kind;    // "person" or "company"
  std::string name;    // may be ""
  std::string number;  // digits only: a CPR (10) or CVR (8) number, or ""; never log it
  std::string role;    // may be ""
  // A CPR number whose check digit fails and whose birth date is not on the exception
  // list (CprCheck::Verdict::kDoubtful): accepted, but to be confirmed before use.
  bool needs_confirmation = false;
};

// One imported case: a row without errors, normalised (status in English, KLE facet in
// capitals, identity numbers as digits), ready for the journal's case mirror.
struct ParsedCase {
  int row = 0;  // 1-based line (CSV) or element (JSON); see the file comment
  std::string system;
  std::string reference;
  std::string title;
  std::string status = "open";  // "open", "dormant" or "closed"
  std::string kle_subject;      // "NN.NN.NN" or ""
  std::string kle_facet;        // e.g. "G01", "Ø30", or ""
  std::string caseworker;
  std::string unit;
  bool restricted = false;
  std::string access_group;
  std::vector<ParsedParty> parties;
};

// One problem found while parsing: an error keeps its row (or the file) out, a warning
// does not.
struct RowError {
  enum class Severity {
    kError,    // the row (or, for row 0 / a header problem, the file) is not imported
    kWarning,  // imported; the message says what to check
  };
  int row = 0;          // as ParsedCase::row; 0 = the whole file
  std::string column;   // the canonical column ("party_cpr", "parties[2].cpr") or ""
  std::string message;  // Danish, with the fix; never contains a CPR number
  Severity severity = Severity::kError;
};

// The outcome of parsing one file: the rows to import and the report to show.
struct CaseListParse {
  std::vector<ParsedCase> rows;   // the rows without errors, in file order
  std::vector<RowError> errors;   // errors and warnings, in file order
  std::string detected_format;    // "csv;", "csv,", "csv\t", "json", or "" if unreadable
  std::string detected_encoding;  // "UTF-8", "Windows-1252", "UTF-16LE", "UTF-16BE" or ""
};

// What the parser needs from the configuration; see config::Config.
struct CaseListOptions {
  // cpr.no_check_digit_dates: birth dates ("YYYY-MM-DD") of CPR numbers without a valid
  // check digit.
  std::vector<std::string> no_check_digit_dates;
  // case_numbers: when not empty, a row whose system is configured (compared without
  // regard to case; the configured spelling is kept) must have a reference matching the
  // system's pattern (error otherwise); a system that is not configured gets a warning.
  std::vector<config::CaseNumberPattern> case_numbers;
  // The date CPR birth dates must not be after.
  std::chrono::year_month_day today = LocalToday();
};

// Parses `bytes`, the content of the file `file_name` (the name decides the format when it
// ends in ".json"; otherwise content starting with '[' or '{' is JSON and anything else
// CSV; the name also appears in whole-file messages). Never fails as a whole: whole-file
// problems are errors on row 0 or on the header's line, with no rows.
CaseListParse ParseCaseList(std::string_view bytes, std::string_view file_name,
                            const std::vector<std::string>& no_check_digit_dates);
CaseListParse ParseCaseList(std::string_view bytes, std::string_view file_name,
                            const CaseListOptions& options);

// How many entries of `parse.errors` are errors (not warnings).
int CountErrors(const CaseListParse& parse);

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_CASE_IMPORT_H_
