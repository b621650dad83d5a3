// Finding case references in the OCR text of a letter (issue #7, DOMAIN.md sections 3 and 7).
//
// A letter often names its case: "Sagsnr.: 27.24.00-G01-5-19", "Deres j.nr. 2024-0123456".
// CaseRefFinder looks at every whitespace-separated word of the text that could be a case
// reference (digits with '.', '-', '/' or a dash between them) and matches it, whole, against
// the configured pattern of each ESDH system (config::CaseNumberPattern). Before matching it
// repairs what OCR does to such numbers:
//  - typographic dashes (U+2010..U+2015, U+2212) read as '-';
//  - in each part between separators that is mostly digits, the lookalikes O/o/D -> 0,
//    I/l/| -> 1, S -> 5, B -> 8, Z -> 2; a part that starts with a letter followed by
//    digits (a KLE facet such as "G01") keeps that letter, upper-cased;
//  - trailing punctuation (".", ",", ";", ":", ")") is not part of the reference.
// A finding says whether it needed repairs; a repaired reference is a proposal for the
// operator to confirm, never filed on its own (DOMAIN.md section 5's rule for numbers that
// drive a choice). The number cue before it ("Sagsnr.", "J.nr.", "Deres ref." ...) is
// reported when there is one.
//
// Resolving a finding against the journal (NormaliseCaseReference, FindCase) is the
// caller's step.
//
// Thread-safety: a CaseRefFinder is immutable after Create; Find may run on any thread.
#ifndef INTAKE_STATION_CASE_REF_FINDER_H_
#define INTAKE_STATION_CASE_REF_FINDER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "config/pattern.h"

namespace intake::station {

struct CaseRefFinding {
  std::string system;      // the ESDH system whose pattern matched
  std::string reference;   // as the pattern matched it, after the repairs
  std::string as_written;  // the word as OCR wrote it
  size_t begin = 0;        // byte offsets of as_written in the text
  size_t end = 0;
  int repairs = 0;  // characters changed (lookalikes, dashes, letter case)
  std::string cue;  // "Sagsnr.", "J.nr.", ... just before it, or ""
};

class CaseRefFinder {
 public:
  // Compiles the patterns; kInvalidArgument naming the system for a bad one.
  static Result<CaseRefFinder> Create(const std::vector<config::CaseNumberPattern>& patterns);

  // Every case reference in `text`, in order. A word that matches several systems gives one
  // finding per system (the caller lists them, never guesses).
  std::vector<CaseRefFinding> Find(std::string_view text) const;

 private:
  struct System {
    std::string name;
    config::Pattern pattern;
  };
  explicit CaseRefFinder(std::vector<System> systems) : systems_(std::move(systems)) {}
  std::vector<System> systems_;
};

}  // namespace intake::station

#endif  // INTAKE_STATION_CASE_REF_FINDER_H_
