// The suggested journal title of a letter, built from its OCR text (issue #7, DOMAIN.md
// sections 6-8).
//
// Two steps, so the operator (and a test) can see what was read before it is joined:
//
//  1. ReadLetterFacts reads four facts from the OCR text, each with a Danish reason saying
//     where it came from:
//       doc_type     the kind of document as titles name it ("Klage", "Ansøgning",
//                    "Lægeerklæring" ...), from the words of the subject line first, then
//                    from the letter's text ("klager over" -> Klage, "ansøger om" ->
//                    Ansøgning); "Brev" when no word says more. Words naming a document
//                    (Lægeerklæring, Faktura, Kvittering ...) count in the text only in the
//                    top third of the letter, as a heading, so "vedlagt lægeerklæring" in a
//                    cover letter does not make the letter a Lægeerklæring.
//       sender       the first line(s) after the closing ("Med venlig hilsen", "Mvh", ...)
//                    that look like a person's or a company's name (a company line such as
//                    "Jensens VVS ApS" is preferred to the person signing for it), else a
//                    "Fra:"/"Afsender:" line, else the first line of the letterhead when it
//                    is a name and not the receiving authority ("... Kommune", a "Til:"
//                    block); "" when unknown. Names in capitals are written "Mette Jensen".
//       letter_date  the letter's own date (ISO): a line holding only a place and a date
//                    ("Aarhus, den 11. januar 2026", "Kbh. d. 11/1-2026", "Dato: 11.01.2026")
//                    wins, the top third of the letter before the rest; never a received
//                    stamp ("MODTAGET 13 JAN. 2026", "Modt. 13.01.26"), a birth date, a
//                    deadline or a date on a subject or reference line; a date further down
//                    in the body only when it stands alone on a place-and-date line.
//       subject      the text after Vedr./Vedrørende/Ang./Angående/Emne/Om: (markers in any
//                    letter case, the colon optional except for "Om:"), continued on the next
//                    lines until an empty line or another marker, words broken at a line end
//                    joined ("bolig-\nstøtte" -> "boligstøtte"; "CPR-\nnummer" keeps its
//                    hyphen). Cleaned: CPR-like numbers and case or reference numbers removed
//                    with their cues ("CPR-nr.:", "Sagsnr.", "J.nr.", "Deres ref."), e-mail
//                    prefixes and trailing punctuation dropped, the first letter lower-cased
//                    unless the word is an acronym or a name (capitalised elsewhere in the
//                    letter, or followed by another capitalised word). Without a marker, a
//                    short heading line right above the salutation ("Kære ...") is taken.
//                    "" when there is none.
//
//  2. SuggestTitle joins them by the template of DOMAIN.md section 8,
//       "<type> fra <sender> af <d. måned åååå> om <subject>",
//     leaving out what is unknown ("Brev fra Mette Jensen af 11. januar 2026"). A subject
//     that starts with the type word ("klage over afslag ...") loses it ("Klage fra ... om
//     afslag ..."). The subject is shortened at a word boundary (or left out) so the title
//     fits rules.max_length. The title is then checked with CheckTitle; a suggestion that
//     fails keeps the problems in `check`, so the operator sees why.
//
// PERSONAL DATA: no CPR-like number (base/cpr_mask.h) ever reaches a title, a fact or a
// reason: the subject is cleaned, the sender refused if it holds one, and SuggestTitle
// drops any part that still does.
//
// Error-free by design: any bytes are accepted (OCR text, invalid UTF-8); what cannot be
// read is "" with a reason saying so.
//
// Thread-safety: pure functions.
#ifndef INTAKE_STATION_TITLE_SUGGEST_H_
#define INTAKE_STATION_TITLE_SUGGEST_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/danish_date.h"
#include "config/config.h"
#include "station/title_check.h"

namespace intake::station {

struct LetterFacts {
  std::string doc_type;                    // "Brev", "Klage", "Ansøgning", ...
  std::string sender;                      // "Mette Jensen", "Jensens VVS ApS", or ""
  std::optional<std::string> letter_date;  // "YYYY-MM-DD"
  std::string subject;                     // "afslag på boligstøtte", or ""
  // Danish, one per fact (type, sender, date, subject), saying where it came from or that it
  // was not found; never a CPR number.
  std::vector<std::string> reasons;
};

// The facts of the letter whose OCR text is `text`. `dates` gives the two-digit-year window
// and the reference day for the date warnings (normally the post-opening date).
LetterFacts ReadLetterFacts(std::string_view text, const DateOptions& dates);

struct TitleSuggestion {
  std::string title;  // as suggested (check.title is the same after CheckTitle's cleaning)
  TitleCheck check;   // CheckTitle(title, rules): accepted, or the problems to show
  LetterFacts facts;  // what the title was built from
  // Danish: what SuggestTitle changed or left out (a shortened subject, a dropped part).
  std::vector<std::string> notes;
};

// The title for `facts` under `rules`. An empty doc_type is "Brev".
TitleSuggestion SuggestTitle(const LetterFacts& facts, const config::TitleRules& rules);

}  // namespace intake::station

#endif  // INTAKE_STATION_TITLE_SUGGEST_H_
