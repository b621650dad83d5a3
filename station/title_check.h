// The title-quality check of DOMAIN.md section 8, with the rules of config::TitleRules.
//
// A journal title must tell a new caseworker what the document is: what, when (and who),
// e.g. "Brev fra Mette Jensen af 11. januar 2026 om klage over afslag på boligstøtte".
// CheckTitle first cleans the title (e-mail prefixes such as "SV:" and "Fwd:" and a file
// extension are stripped, whitespace collapsed, each change noted), then refuses, each
// with a Danish explanation of what to write instead:
//
//   too short / too long      (rules.min_length, rules.max_length, in characters)
//   vague                     a title from rules.vague ("Brev", "Diverse", "Klage" alone)
//                             once dates, punctuation and linking words are trimmed, also
//                             "<vague title> fra borger(en)" and "... af <date>"
//   no words                  only digits, a date or a case number
//   file name                 "IMG_1234", "Scan_20240111_0001", "scan0001"
//   home-made abbreviation    a word of at most 5 letters ending in '.' that is not in
//                             rules.accepted_abbreviations ("henv.", "sagsb.", "afg.")
//   missing dot               an accepted abbreviation written without its dots ("vedr",
//                             "bla", "evt"); "fx" is accepted as it is written
//   chat shorthand            rules.chat_shorthand ("mvh", "asap", "ok")
//   CPR number                any CPR-like number (base/cpr_mask.h), never quoted back
//   description required      an image-only document (photograph, drawing) without a
//                             description of what it shows
//
// Words inside a date ("d. 11. jan. 2026") are not abbreviations. A full stop ending the
// title is punctuation, not an abbreviation. Comparisons ignore letter case.
//
// Thread-safety: pure function.
#ifndef INTAKE_STATION_TITLE_CHECK_H_
#define INTAKE_STATION_TITLE_CHECK_H_

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace intake::station {

enum class TitleRule {
  kTooShort,
  kTooLong,
  kVague,
  kNoWords,
  kFileName,
  kHomeMadeAbbreviation,
  kMissingDot,
  kChatShorthand,
  kCprNumber,
  kDescriptionRequired,
};

// "for_kort", "vag", ... (stable names for JSON and the UI).
std::string_view TitleRuleName(TitleRule rule);

struct TitleProblem {
  TitleRule rule;
  std::string message;  // Danish: what is wrong and what to write instead
};

struct TitleCheck {
  std::string title;                 // cleaned
  std::vector<std::string> changes;  // Danish, one per cleaning step ("«SV:» fjernet")
  std::vector<TitleProblem> problems;
  bool accepted() const { return problems.empty(); }
};

struct TitleContext {
  bool image_only = false;  // no text on the pages: a photograph or drawing
  std::string description;
};

TitleCheck CheckTitle(std::string_view title, const config::TitleRules& rules,
                      const TitleContext& context = {});

}  // namespace intake::station

#endif  // INTAKE_STATION_TITLE_CHECK_H_
