// Detection of CPR and CVR numbers in OCR text of letters (DOMAIN.md section 5, "Detection
// in OCR text"; issue #7).
//
// FindIdentityNumbers reads text as Tesseract writes it and returns every number that has
// the shape of a CPR number (DDMMYY, optional single spaces between the pairs, an optional
// separator "-", "/", ".", " " or " - ", then SSSS) with a real past birth date under the
// century rule, and every eight-digit number (optionally in spaced pairs, "13 74 81 36")
// that passes the mandatory CVR check. Validation is base/danish_ids.h (CheckCpr,
// CheckCvr); this file only finds, normalises and scores.
//
// Before matching, the text is normalised, keeping byte offsets into the original:
//  - Unicode dashes (U+2010..U+2015, U+2212) read as '-'; no-break and thin spaces
//    (U+00A0, U+2009, U+202F) and tabs as ' '; CR LF, CR, VT and FF as a line break;
//  - a number broken across a line end is joined only between the date and the serial
//    ("010190-\n1234", "010190\n1234"); a break inside the date ("0101\n901234") is not;
//  - the OCR confusions O/o/D -> 0, I/l/| -> 1, S -> 5, B -> 8 are read as digits only
//    inside digit-dominated numbers: at least 8 of the 10 characters of a CPR (7 of the 8
//    of a CVR) real digits, the first and the last character real digits, and none in
//    pairs written with spaces ("1B 01 90 1234" is no CPR number). This is the rule of
//    base/cpr_mask.h, so every CPR finding on one line is also masked by MaskCpr.
// A number must not be part of a longer run of digits (a lone lookalike letter touching
// it, as in "l0101901234", counts as a digit).
//
// Scoring (`score`, 0..1; `reasons` say why, in Danish, without the number):
//  - CPR starts at 0.6 when modulus 11 holds or the birth date is on the configured
//    no-check-digit list (kValidWithoutCheckDigit is not lowered), and at 0.3 when modulus
//    11 fails (kDoubtful: possibly a new number without check digit, never a rejection).
//    Written DDMMYY-SSSS: +0.05; ten digits with no separator: -0.05.
//  - CVR starts at 0.25 (0.15 in spaced pairs): an eight-digit number that passes the
//    check may as well be a phone number.
//  - A positive cue shortly before the number (CPR: "CPR", "CPR-nr.", "Cpr.nr.",
//    "Personnummer", "Pers.nr.", "født" ...; CVR: "CVR", "CVR-nr.", "SE-nr.", "DK" ...)
//    adds 0.35 to a CPR and sets a CVR to 0.9.
//  - Each OCR-corrected character -0.1; a number joined across a line break -0.05; letters
//    touching the number (other than its cue) -0.2.
//  - 0 when a negative cue stands before it ("Tlf.", "Telefon", "Mobil", "Reg.nr.",
//    "Kontonr.", "Konto", "Fakturanr.", "Kundenr.", "EAN", "Sagsnr.", "J.nr.", "Jnr.",
//    "P-nr.", and "CVR" before a CPR-shaped number, "CPR" before a CVR-shaped one), when
//    another number stands right before or after it separated only by spaces ("1234
//    0001234567") or joined by '.', ',', '/' or ':', when one of + - ! # % touches it, or
//    when a bracket or quote touching it is not closed (opened) within 80 characters.
// Cues are case-insensitive whole words; the nearest one wins. It applies when it ends at
// most 25 characters before the number, or at most 60 on the same line, with no digit in
// between; the gap may hold one line break ("CPR-nr.:\n010190-1234").
//
// Findings with a low score are still returned (a caller may want to show them); a caller
// deciding whether "the document names this number" compares `score` with
// kIdFindingLikely. A number that drives a case or party choice is shown for confirmation,
// never auto-corrected (DOMAIN.md section 5).
//
// PERSONAL DATA: IdFinding::digits of a CPR finding is a personal identity number. Callers
// must never log it, put it in an error message, a file name, a title or debug output
// (base/cpr_mask.h). `reasons` and `cue` never contain the number.
//
// Error-free by design: any bytes are accepted, including invalid UTF-8; nothing is read
// outside `text`.
//
// Thread-safety: pure functions.
#ifndef INTAKE_BASE_ID_FINDER_H_
#define INTAKE_BASE_ID_FINDER_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/danish_ids.h"

namespace intake {

// A finding with at least this score is one the document names ("likely"); below it the
// number is ambiguous (a phone number, an account, a CPR-shaped reference) or needs a
// person's confirmation before it is used.
inline constexpr double kIdFindingLikely = 0.5;

enum class IdKind { kCpr, kCvr };

// What the cue before a number does to its score.
enum class CueEffect { kNone, kRaises, kLowers };

struct IdFinderOptions {
  // Birth dates ("YYYY-MM-DD") of CPR numbers issued without a check digit, normally
  // config::CprSection::no_check_digit_dates. Default: none.
  std::vector<std::string> no_check_digit_dates;
  // The day against which a birth date must not be in the future. Default: today, local
  // time (set it in tests).
  std::chrono::year_month_day today = LocalToday();
};

struct IdFinding {
  IdKind kind = IdKind::kCpr;
  // The normalised digits: ten for a CPR (no separator), eight for a CVR. PERSONAL DATA for
  // a CPR: never log it.
  std::string digits;
  size_t begin = 0;  // byte offsets of the number as written in the original text
  size_t end = 0;
  double score = 0.0;  // 0..1; see the header comment and kIdFindingLikely
  std::string cue;     // the cue as written ("CPR-nr.", "Tlf."), "" if none
  CueEffect cue_effect = CueEffect::kNone;
  // For a CPR: kValid, kValidWithoutCheckDigit or kDoubtful (never kInvalid). For a CVR:
  // kValid (the check is mandatory).
  CprCheck::Verdict verdict = CprCheck::Verdict::kValid;
  int ocr_corrections = 0;           // characters read as digits (O -> 0, l -> 1, ...)
  bool broken_across_lines = false;  // joined across a line break
  std::vector<std::string> reasons;  // Danish, what raised or lowered the score
};

// Every CPR and CVR number in `text`, in the order they occur, with their scores. Findings
// never overlap. Returns an empty vector for empty text or text without numbers.
std::vector<IdFinding> FindIdentityNumbers(std::string_view text, const IdFinderOptions& options);

}  // namespace intake

#endif  // INTAKE_BASE_ID_FINDER_H_
