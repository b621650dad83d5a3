// Proposing the case of a scanned document, and the party cross-check before it is
// journalised (issue #7; DOMAIN.md sections 3, 5 and 10).
//
// CaseMatcher::Propose collects three kinds of evidence and turns them into candidates,
// each with a confidence (0..1) and its reasons in Danish:
//  - a cover sheet printed by the station (its QR code names system and reference):
//    1.0 when it resolves to exactly one case the viewer can see; a reference the journal
//    does not know is a warning, never a guess;
//  - case references in the text (station/case_ref_finder.h), each resolved in the journal:
//    0.9 after a number cue ("Jeres sagsnr."), 0.75 without one, 0.6 / 0.5 when OCR
//    repairs were needed (a proposal to confirm); an unknown reference is a warning; a
//    reference found in several systems lists every one;
//  - CPR and CVR numbers the document names (base/id_finder.h, score >= kIdFindingLikely)
//    that belong to a known party: the party's open cases, 0.6 when it has exactly one,
//    0.4 each when several (listed, never guessed between). A number unknown to the
//    journal is a warning.
// Evidence for the same case combines as 1 - (1 - a)(1 - b) ..., so agreeing evidence
// raises the confidence and the reasons are listed together. Disagreement lowers it and is
// a warning: a cover sheet naming case A while the text names case B, or a reference
// naming case A while a number's party is a party of other open cases only. Closed and
// dormant cases are listed with a warning and never proposed (section 10.2).
//
// proposed_case_id is set only when the best candidate is open, named by the cover sheet
// or a case reference (numbers alone only list candidates: an OCR-read number is a search
// key, never a filing decision), has at least kProposeAtLeast, leads the second by at
// least kClearMargin and is in no conflict, and no cover sheet went unresolved.
// Even then it is a proposal: journalising still runs CheckParties.
//
// CheckParties(text, case): every CPR or CVR the document names (score >=
// kIdFindingLikely) must be a party of the case; a number that is not (unknown to the
// journal, or a party of other cases only) blocks journalising, as does a closed or
// dormant case. A document naming no number is not blocked, but the party cannot be
// confirmed from the text, and the operator must confirm it (section 10.1). An override
// with a written reason is the caller's step (it is audited there).
//
// PERSONAL DATA: no string this file produces (reasons, warnings, messages) holds a
// CPR number; a person's number is shown at most as "DDMMYY-XXXX" (its birth date part),
// a company's CVR number in full (CVR numbers are public). Case references taken from the
// text pass through MaskCpr, since an ESDH mask may embed a CPR number (section 3).
//
// Thread-safety: a CaseMatcher is immutable after Create; Propose and CheckParties may run
// on any thread, but the Journal they are given is used by one thread at a time
// (storage/journal.h).
#ifndef INTAKE_STATION_CASE_MATCHER_H_
#define INTAKE_STATION_CASE_MATCHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/id_finder.h"
#include "base/result.h"
#include "config/config.h"
#include "station/case_ref_finder.h"
#include "storage/journal.h"
#include "storage/viewer.h"

namespace intake::station {

// The ID finder's options from the configuration: the no-check-digit dates of [cpr] and
// today's local date.
IdFinderOptions IdFinderOptionsFrom(const config::Config& cfg);

// The case a cover sheet's QR code names.
struct CoverCase {
  std::string system;  // "" when the sheet does not name one: every system is searched
  std::string reference;
};

struct CaseCandidate {
  int64_t case_id = 0;
  std::string system;
  std::string reference;
  std::string title;
  storage::CaseStatus status = storage::CaseStatus::kOpen;
  double confidence = 0.0;  // 0..1
  // Danish, one line per piece of evidence; CPR numbers at most as "DDMMYY-XXXX".
  std::vector<std::string> reasons;
};

struct CaseProposal {
  std::vector<CaseCandidate> candidates;  // best first
  // Only when one open candidate clearly leads (see the header comment).
  std::optional<int64_t> proposed_case_id;
  std::vector<std::string> warnings;  // Danish
};

struct PartyMismatch {
  storage::PartyKind kind = storage::PartyKind::kPerson;
  std::string masked;  // "DDMMYY-XXXX" for a CPR number, the CVR number in full
  // The keyed reference of the number (Journal::NumberRef), known party or not.
  std::optional<std::string> number_ref;
  double score = 0.0;  // the finding's score (base/id_finder.h)
  std::string reason;  // Danish
};

struct PartyCheck {
  bool blocked = false;
  // Danish lines: which party of the case the document names.
  std::vector<std::string> matched;
  std::vector<PartyMismatch> mismatches;
  // Danish: why journalising is blocked, or that the party could not be confirmed.
  std::vector<std::string> messages;
};

class CaseMatcher {
 public:
  // A candidate is proposed only with at least this confidence ...
  static constexpr double kProposeAtLeast = 0.75;
  // ... and this far ahead of the second candidate.
  static constexpr double kClearMargin = 0.2;

  // Confidences of single pieces of evidence (see the header comment).
  static constexpr double kCover = 1.0;
  static constexpr double kReferenceWithCue = 0.9;
  static constexpr double kReference = 0.75;
  static constexpr double kRepairedReferenceWithCue = 0.6;
  static constexpr double kRepairedReference = 0.5;
  static constexpr double kCoverAmbiguous = 0.5;
  static constexpr double kPartyOnlyCase = 0.6;
  static constexpr double kPartyOneOfSeveral = 0.4;
  // A candidate in conflict with other evidence keeps this share of its confidence.
  static constexpr double kConflictFactor = 0.6;

  // The case-number patterns of `cfg` compiled and its [cpr] section read.
  // kInvalidArgument naming the system for a bad pattern.
  static Result<CaseMatcher> Create(const config::Config& cfg);

  // The case candidates for a document with OCR text `text` (and the cover sheet that
  // came before it, if any), looked up in `journal` as `viewer` sees it. An Error only
  // when the journal fails (not for unknown references or numbers: those are warnings).
  Result<CaseProposal> Propose(std::string_view text, const std::optional<CoverCase>& cover,
                               storage::Journal& journal, const storage::Viewer& viewer) const;

  // The party cross-check of a document with OCR text `text` against case `case_id`.
  // kNotFound when the case does not exist or `viewer` may not see it; other Errors only
  // when the journal fails.
  Result<PartyCheck> CheckParties(std::string_view text, int64_t case_id, storage::Journal& journal,
                                  const storage::Viewer& viewer) const;

 private:
  CaseMatcher(CaseRefFinder finder, std::vector<std::string> systems,
              std::vector<std::string> no_check_digit_dates)
      : finder_(std::move(finder)),
        systems_(std::move(systems)),
        no_check_digit_dates_(std::move(no_check_digit_dates)) {}

  // The likely CPR/CVR findings of `text`, one per number, in order.
  std::vector<IdFinding> LikelyNumbers(std::string_view text) const;

  CaseRefFinder finder_;
  std::vector<std::string> systems_;  // the configured ESDH systems, in order
  std::vector<std::string> no_check_digit_dates_;
};

}  // namespace intake::station

#endif  // INTAKE_STATION_CASE_MATCHER_H_
