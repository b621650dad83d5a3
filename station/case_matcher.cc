#include "station/case_matcher.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>
#include <utility>

#include "base/cpr_mask.h"
#include "base/danish_ids.h"

namespace intake::station {
namespace {

using storage::CaseRecord;
using storage::CaseStatus;
using storage::PartyKind;
using storage::PartyRecord;

// A case reference as it may appear in a Danish line: "SBSYS 27.24.00-G01-5-19". An ESDH
// mask may embed a CPR number (DOMAIN.md section 3), so the reference is masked.
std::string CaseName(const CaseRecord& c) { return MaskCpr(c.system + " " + c.reference); }

std::string CaseNames(const std::vector<const CaseRecord*>& cases) {
  std::string out;
  for (const CaseRecord* c : cases) out += (out.empty() ? "" : ", ") + CaseName(*c);
  return out;
}

PartyKind KindOf(const IdFinding& f) {
  return f.kind == IdKind::kCpr ? PartyKind::kPerson : PartyKind::kCompany;
}

// "DDMMYY-XXXX" for a CPR finding, the CVR number for a CVR finding.
std::string MaskedNumber(const IdFinding& f) {
  return f.kind == IdKind::kCpr ? CprBirthDateMasked(f.digits) : f.digits;
}

// "CPR-nr. 010190-XXXX" / "CVR-nr. 13748136".
std::string NumberName(const IdFinding& f) {
  return std::string(f.kind == IdKind::kCpr ? "CPR-nr. " : "CVR-nr. ") + MaskedNumber(f);
}

// "CPR-nr. i brevet (010190-XXXX)".
std::string NumberInLetter(const IdFinding& f) {
  return std::string(f.kind == IdKind::kCpr ? "CPR-nr." : "CVR-nr.") + " i brevet (" +
         MaskedNumber(f) + ")";
}

// Why a case of this status accepts no documents (DOMAIN.md section 10.2).
std::string ClosedMessage(const CaseRecord& c) {
  if (c.status == CaseStatus::kDormant) {
    return "Sag " + CaseName(c) +
           ": sagen er hvilende; hvilende sager modtager ingen dokumenter. Genoptag sagen "
           "eller vælg en anden sag.";
  }
  return "Sag " + CaseName(c) +
         ": sagen er lukket; lukkede sager modtager ingen dokumenter. Genåbn sagen eller "
         "vælg en anden sag.";
}

// The visible cases a reference names (one, or one per system when it is in several),
// or none with a Danish line saying why.
struct Resolution {
  std::vector<CaseRecord> cases;
  std::string problem;
};

Result<Resolution> Resolve(storage::Journal& journal, std::string_view system,
                           std::string_view reference, const std::vector<std::string>& systems,
                           const storage::Viewer& viewer) {
  Resolution out;
  auto found = journal.FindCaseByReference(system, reference, viewer);
  if (!found && found.error().code() == ErrorCode::kNotFound && !system.empty()) {
    // The configured pattern named one system; the case may live in another.
    found = journal.FindCaseByReference("", reference, viewer);
  }
  if (found) {
    out.cases.push_back(std::move(*found));
    return out;
  }
  if (found.error().code() == ErrorCode::kNotFound) {
    out.problem = "findes ikke i journalen";
    return out;
  }
  if (found.error().code() != ErrorCode::kFailedPrecondition) {
    return found.error().WithContext("sagsopslag");
  }
  // In several systems: list every one the configuration knows.
  for (const std::string& s : systems) {
    auto in_system = journal.FindCaseByReference(s, reference, viewer);
    if (in_system) {
      out.cases.push_back(std::move(*in_system));
    } else if (in_system.error().code() != ErrorCode::kNotFound) {
      return in_system.error().WithContext("sagsopslag");
    }
  }
  if (out.cases.empty()) out.problem = "findes i flere systemer: " + found.error().message();
  return out;
}

// What is known about one case while the evidence is collected.
struct Evidence {
  CaseRecord record;
  std::vector<double> confidences;
  std::vector<std::string> reasons;
  bool named = false;  // by the cover sheet or a reference in the text
  // The best reference to the case in the text: one letter naming its case twice is one
  // piece of evidence.
  double reference = 0.0;
  std::string reference_reason;
  bool conflict = false;
  double combined = 0.0;
};

class Board {
 public:
  Evidence& For(const CaseRecord& c) {
    for (Evidence& e : cases_) {
      if (e.record.id == c.id) return e;
    }
    cases_.push_back(Evidence{c, {}, {}, false, 0.0, "", false, 0.0});
    return cases_.back();
  }
  Evidence* Find(int64_t case_id) {
    for (Evidence& e : cases_) {
      if (e.record.id == case_id) return &e;
    }
    return nullptr;
  }
  std::deque<Evidence>& cases() { return cases_; }

 private:
  // A deque: references to its elements stay valid while cases are added.
  std::deque<Evidence> cases_;
};

double Round2(double x) { return std::round(x * 100.0) / 100.0; }

// The confidence of one reference in the text (see the header).
double ReferenceConfidence(const CaseRefFinding& f) {
  const bool cue = !f.cue.empty();
  if (f.repairs > 0) {
    return cue ? CaseMatcher::kRepairedReferenceWithCue : CaseMatcher::kRepairedReference;
  }
  return cue ? CaseMatcher::kReferenceWithCue : CaseMatcher::kReference;
}

std::string ReferenceReason(const CaseRefFinding& f, const CaseRecord& c) {
  std::string reason = "sagsnummer i brevet";
  if (!f.cue.empty()) {
    reason += " efter »" + MaskCpr(f.cue) + "«";
  } else {
    reason += " (uden angivelse som »Sagsnr.« foran)";
  }
  reason += ": " + CaseName(c);
  if (f.repairs > 0) {
    reason += "; læst som »" + MaskCpr(f.as_written) + "« og rettet for OCR-fejl (" +
              std::to_string(f.repairs) + " tegn), bekræft nummeret";
  }
  return reason;
}

const storage::CaseParty* PartyIn(const std::vector<storage::CaseParty>& parties,
                                  int64_t party_id) {
  for (const storage::CaseParty& p : parties) {
    if (p.party.id == party_id) return &p;
  }
  return nullptr;
}

}  // namespace

IdFinderOptions IdFinderOptionsFrom(const config::Config& cfg) {
  IdFinderOptions options;
  options.no_check_digit_dates = cfg.cpr.no_check_digit_dates;
  options.today = LocalToday();
  return options;
}

Result<CaseMatcher> CaseMatcher::Create(const config::Config& cfg) {
  INTAKE_ASSIGN_OR_RETURN(CaseRefFinder finder, CaseRefFinder::Create(cfg.case_numbers));
  std::vector<std::string> systems;
  for (const config::CaseNumberPattern& p : cfg.case_numbers) {
    if (std::find(systems.begin(), systems.end(), p.system) == systems.end()) {
      systems.push_back(p.system);
    }
  }
  return CaseMatcher(std::move(finder), std::move(systems), cfg.cpr.no_check_digit_dates);
}

std::vector<IdFinding> CaseMatcher::LikelyNumbers(std::string_view text) const {
  IdFinderOptions options;
  options.no_check_digit_dates = no_check_digit_dates_;
  options.today = LocalToday();
  std::vector<IdFinding> out;
  for (IdFinding& f : FindIdentityNumbers(text, options)) {
    if (f.score < kIdFindingLikely) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const IdFinding& o) {
      return o.kind == f.kind && o.digits == f.digits;
    });
    if (same == out.end()) {
      out.push_back(std::move(f));
    } else if (f.score > same->score) {
      *same = std::move(f);
    }
  }
  return out;
}

Result<CaseProposal> CaseMatcher::Propose(std::string_view text,
                                          const std::optional<CoverCase>& cover,
                                          storage::Journal& journal,
                                          const storage::Viewer& viewer) const {
  CaseProposal proposal;
  Board board;
  bool cover_unresolved = false;

  // ---- the cover sheet ----
  std::optional<int64_t> cover_case;
  if (cover) {
    INTAKE_ASSIGN_OR_RETURN(Resolution r,
                            Resolve(journal, cover->system, cover->reference, systems_, viewer));
    const std::string named =
        MaskCpr((cover->system.empty() ? "" : cover->system + " ") + cover->reference);
    if (r.cases.size() == 1) {
      Evidence& e = board.For(r.cases.front());
      e.confidences.push_back(kCover);
      e.reasons.push_back("forside: sag " + CaseName(e.record));
      e.named = true;
      cover_case = e.record.id;
    } else if (r.cases.empty()) {
      cover_unresolved = true;
      proposal.warnings.push_back("Forsidens sag " + named + " " + r.problem +
                                  " (eller du har ikke adgang til den); kontrollér forsiden "
                                  "og vælg sagen.");
    } else {
      cover_unresolved = true;
      std::vector<const CaseRecord*> listed;
      for (const CaseRecord& c : r.cases) {
        Evidence& e = board.For(c);
        e.confidences.push_back(kCoverAmbiguous);
        e.reasons.push_back("forside: sagsnummer " + MaskCpr(cover->reference) +
                            ", som findes i flere systemer");
        e.named = true;
        listed.push_back(&e.record);
      }
      proposal.warnings.push_back("Forsidens sagsnummer " + named + " findes i flere systemer (" +
                                  CaseNames(listed) + "); vælg den rigtige sag.");
    }
  }

  // ---- case references in the text ----
  // Findings of one word (one per matching system) are resolved together: the word is
  // unknown only when none of them resolves.
  std::vector<CaseRefFinding> findings = finder_.Find(text);
  std::set<int64_t> referenced;  // cases named by the text
  std::set<std::string> unknown_reported;
  for (size_t i = 0; i < findings.size();) {
    size_t j = i;
    while (j < findings.size() && findings[j].begin == findings[i].begin) ++j;
    bool resolved = false;
    std::string problem;
    for (size_t k = i; k < j; ++k) {
      const CaseRefFinding& f = findings[k];
      INTAKE_ASSIGN_OR_RETURN(Resolution r,
                              Resolve(journal, f.system, f.reference, systems_, viewer));
      if (r.cases.empty()) {
        if (problem.empty()) problem = r.problem;
        continue;
      }
      resolved = true;
      for (const CaseRecord& c : r.cases) {
        Evidence& e = board.For(c);
        if (const double confidence = ReferenceConfidence(f); confidence > e.reference) {
          e.reference = confidence;
          e.reference_reason = ReferenceReason(f, e.record);
        }
        e.named = true;
        referenced.insert(c.id);
      }
    }
    if (!resolved) {
      const CaseRefFinding& f = findings[i];
      const std::string named = MaskCpr(f.reference);
      if (unknown_reported.insert(named).second) {
        std::string warning = "Sagsnummeret " + named + " i brevet";
        if (f.repairs > 0) warning += " (læst som »" + MaskCpr(f.as_written) + "«)";
        warning += " " + problem + "; kontrollér nummeret.";
        proposal.warnings.push_back(std::move(warning));
      }
    }
    i = j;
  }
  for (Evidence& e : board.cases()) {
    if (e.reference > 0) {
      e.confidences.push_back(e.reference);
      e.reasons.push_back(e.reference_reason);
    }
  }
  if (cover_case) {
    std::vector<const CaseRecord*> others;
    for (int64_t id : referenced) {
      if (id != *cover_case) others.push_back(&board.Find(id)->record);
    }
    if (!others.empty()) {
      Evidence& c = *board.Find(*cover_case);
      c.conflict = true;
      for (const CaseRecord* o : others) board.Find(o->id)->conflict = true;
      proposal.warnings.push_back("Forsiden peger på sag " + CaseName(c.record) +
                                  ", men brevet nævner sag " + CaseNames(others) +
                                  "; kontrollér, hvilken sag brevet hører til.");
    }
  } else if (referenced.size() > 1) {
    std::vector<const CaseRecord*> named;
    for (int64_t id : referenced) named.push_back(&board.Find(id)->record);
    proposal.warnings.push_back("Brevet nævner flere sager (" + CaseNames(named) +
                                "); vælg den rigtige.");
  }

  // ---- CPR and CVR numbers ----
  // The cases named so far (cover, references), checked against each number's party.
  std::vector<int64_t> named_cases;
  for (const Evidence& e : board.cases()) {
    if (e.named) named_cases.push_back(e.record.id);
  }
  for (const IdFinding& f : LikelyNumbers(text)) {
    auto party = journal.FindPartyByNumber(f.digits);
    if (!party) {
      if (party.error().code() != ErrorCode::kNotFound) {
        return party.error().WithContext("partsopslag");
      }
      proposal.warnings.push_back(NumberInLetter(f) +
                                  " findes ikke som part i journalen; parten kan ikke "
                                  "bekræftes.");
      continue;
    }
    INTAKE_ASSIGN_OR_RETURN(const std::vector<CaseRecord> open,
                            journal.OpenCasesOfParty(party->id, viewer));
    const std::string who = party->name.empty() ? "" : " (" + party->name + ")";
    for (const CaseRecord& c : open) {
      Evidence& e = board.For(c);
      e.confidences.push_back(open.size() == 1 ? kPartyOnlyCase : kPartyOneOfSeveral);
      e.reasons.push_back(NumberInLetter(f) + " tilhører en part i sagen" + who +
                          (open.size() == 1
                               ? "; partens eneste åbne sag"
                               : "; én af partens " + std::to_string(open.size()) + " åbne sager"));
    }
    if (open.empty()) {
      proposal.warnings.push_back(NumberInLetter(f) + " tilhører en part uden åbne sager.");
    } else if (open.size() > 1 && named_cases.empty()) {
      proposal.warnings.push_back(NumberInLetter(f) + " tilhører en part med " +
                                  std::to_string(open.size()) + " åbne sager; vælg den rigtige.");
    }
    // A case the cover or a reference names must have this party.
    for (int64_t id : named_cases) {
      INTAKE_ASSIGN_OR_RETURN(const std::vector<storage::CaseParty> parties,
                              journal.PartiesOf(id, viewer));
      Evidence& named = *board.Find(id);
      if (const storage::CaseParty* p = PartyIn(parties, party->id); p != nullptr) {
        const bool counted =
            std::any_of(open.begin(), open.end(), [&](const CaseRecord& c) { return c.id == id; });
        if (!counted) {
          named.reasons.push_back(NumberInLetter(f) + " tilhører en part i sagen" + who);
        }
        continue;
      }
      named.conflict = true;
      std::vector<const CaseRecord*> elsewhere;
      for (const CaseRecord& c : open) {
        Evidence* e = board.Find(c.id);
        e->conflict = true;
        elsewhere.push_back(&e->record);
      }
      proposal.warnings.push_back(
          NumberInLetter(f) + " tilhører ikke en part i sag " + CaseName(named.record) +
          (elsewhere.empty() ? std::string(", men en part i andre sager")
                             : ", men en part i sag " + CaseNames(elsewhere)) +
          "; kontrollér, hvilken sag brevet hører til.");
    }
  }

  // ---- combine ----
  for (Evidence& e : board.cases()) {
    double miss = 1.0;
    for (double c : e.confidences) miss *= 1.0 - std::clamp(c, 0.0, 1.0);
    e.combined = 1.0 - miss;
    if (e.conflict) e.combined *= kConflictFactor;
    e.combined = Round2(e.combined);
  }
  std::deque<Evidence>& all = board.cases();
  std::stable_sort(all.begin(), all.end(), [](const Evidence& a, const Evidence& b) {
    if (a.combined != b.combined) return a.combined > b.combined;
    const bool a_open = a.record.status == CaseStatus::kOpen;
    const bool b_open = b.record.status == CaseStatus::kOpen;
    if (a_open != b_open) return a_open;
    return a.record.id < b.record.id;
  });
  for (const Evidence& e : all) {
    if (e.record.status != CaseStatus::kOpen) proposal.warnings.push_back(ClosedMessage(e.record));
    CaseCandidate c;
    c.case_id = e.record.id;
    c.system = e.record.system;
    c.reference = e.record.reference;
    c.title = e.record.title;
    c.status = e.record.status;
    c.confidence = e.combined;
    c.reasons = e.reasons;
    proposal.candidates.push_back(std::move(c));
  }
  if (!all.empty() && !cover_unresolved) {
    const Evidence& best = all.front();
    const double second = all.size() > 1 ? all[1].combined : 0.0;
    // Numbers alone never propose: they are a search key, not a filing decision
    // (DOMAIN.md section 3); a cover sheet or a case reference must name the case.
    if (best.record.status == CaseStatus::kOpen && best.named && !best.conflict &&
        best.combined >= kProposeAtLeast && best.combined - second >= kClearMargin - 1e-9) {
      proposal.proposed_case_id = best.record.id;
    }
  }
  return proposal;
}

Result<PartyCheck> CaseMatcher::CheckParties(std::string_view text, int64_t case_id,
                                             storage::Journal& journal,
                                             const storage::Viewer& viewer) const {
  INTAKE_ASSIGN_OR_RETURN(const CaseRecord target, journal.GetCase(case_id, viewer));
  INTAKE_ASSIGN_OR_RETURN(const std::vector<storage::CaseParty> parties,
                          journal.PartiesOf(case_id, viewer));
  PartyCheck check;
  if (target.status != CaseStatus::kOpen) {
    check.blocked = true;
    check.messages.push_back(ClosedMessage(target));
  }
  const std::string ref = MaskCpr(target.reference);
  const std::vector<IdFinding> numbers = LikelyNumbers(text);
  for (const IdFinding& f : numbers) {
    auto party = journal.FindPartyByNumber(f.digits);
    if (!party && party.error().code() != ErrorCode::kNotFound) {
      return party.error().WithContext("partsopslag");
    }
    if (party) {
      if (const storage::CaseParty* p = PartyIn(parties, party->id); p != nullptr) {
        check.matched.push_back(NumberName(f) + " er part i sagen: " +
                                (p->party.name.empty() ? "uden navn" : p->party.name) + " (" +
                                p->role + ")");
        continue;
      }
    }
    PartyMismatch m;
    m.kind = KindOf(f);
    m.masked = MaskedNumber(f);
    m.score = f.score;
    if (party) {
      m.number_ref = party->number_ref;
      m.reason = NumberName(f) + " er part i andre sager, men ikke i sag " + ref;
    } else {
      // Not a party anywhere: its keyed reference still ties an override to the number
      // without storing it.
      auto number_ref = journal.NumberRef(f.digits);
      if (number_ref) m.number_ref = *number_ref;
      m.reason = NumberName(f) + " findes ikke som part i journalen";
    }
    check.mismatches.push_back(std::move(m));
    check.blocked = true;
    check.messages.push_back("Brevet nævner " + NumberName(f) + ", som ikke er part i sag " + ref +
                             ". Journalisering er blokeret; vælg den rigtige sag eller "
                             "tilsidesæt med en skriftlig begrundelse.");
  }
  if (numbers.empty()) {
    check.messages.push_back(
        "Brevet nævner intet CPR- eller CVR-nummer, så parten kan ikke bekræftes ud fra "
        "teksten; bekræft sag og part, før dokumentet journaliseres.");
  }
  return check;
}

}  // namespace intake::station
