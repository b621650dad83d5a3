// The backend-neutral parts of storage/archive.h: names, barcodes and the Danish texts.
#include "storage/archive.h"

#include <array>
#include <cctype>
#include <utility>

#include "base/cpr_mask.h"

namespace intake::storage {
namespace {

struct KindNames {
  LocationKind kind;
  std::string_view name;
  std::string_view danish;
  int rank;  // what sits in what: a kind sits in any kind of a lower rank
};

constexpr std::array<KindNames, 9> kKinds = {{
    {LocationKind::kSite, "site", "sted", 0},
    {LocationKind::kBuilding, "building", "bygning", 1},
    {LocationKind::kRoom, "room", "rum", 2},
    {LocationKind::kUnit, "unit", "reol", 3},
    {LocationKind::kShelf, "shelf", "hylde", 4},
    {LocationKind::kBox, "box", "kasse", 5},
    {LocationKind::kFolder, "folder", "mappe", 6},
    {LocationKind::kOffsite, "offsite", "fjernarkiv", 0},
    {LocationKind::kCityArchive, "city_archive", "stadsarkiv", 0},
}};

const KindNames& Names(LocationKind kind) {
  for (const KindNames& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];
}

// ASCII lower case; UTF-8 bytes above 0x7f are left alone (the Danish words compared here
// are written in lower case).
std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view LocationKindName(LocationKind kind) { return Names(kind).name; }
std::string_view LocationKindDanish(LocationKind kind) { return Names(kind).danish; }

std::optional<LocationKind> ParseLocationKind(std::string_view text) {
  const std::string lower = AsciiLower(Trim(text));
  for (const KindNames& k : kKinds) {
    if (lower == k.name || lower == k.danish) return k.kind;
  }
  if (lower == "city-archive" || lower == "cityarchive") return LocationKind::kCityArchive;
  return std::nullopt;
}

bool MayContain(LocationKind parent, LocationKind child) {
  const int child_rank = Names(child).rank;
  return child_rank > 0 && Names(parent).rank < child_rank;
}

bool MayBeUnplaced(LocationKind kind) {
  return Names(kind).rank == 0 || kind == LocationKind::kBox || kind == LocationKind::kFolder;
}

std::string NormaliseBarcode(std::string_view barcode) {
  std::string out(Trim(barcode));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Status CheckBarcode(std::string_view code) {
  if (code.empty()) {
    return Error(ErrorCode::kInvalidArgument, "stregkoden er tom; skriv eller scan stregkoden");
  }
  if (code.size() > 32) {
    return Error(
        ErrorCode::kInvalidArgument,
        "stregkoden er for lang (" + std::to_string(code.size()) + " tegn); højst 32 tegn");
  }
  bool letter = false;
  for (const char c : code) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (!upper && !digit && c != '-' && c != '.' && c != '_' && c != '/') {
      return Error(ErrorCode::kInvalidArgument,
                   "stregkoden må kun indeholde bogstaverne A-Z, tallene 0-9 og tegnene - . _ /");
    }
    letter = letter || upper;
  }
  if (!letter) {
    return Error(ErrorCode::kInvalidArgument,
                 "en stregkode skal indeholde mindst ét bogstav (kun tal forveksles med et "
                 "dokument-id eller et CPR-nummer), fx K-2026-0345");
  }
  if (ContainsCprLike(code)) {
    return Error(ErrorCode::kInvalidArgument,
                 "stregkoden ligner et CPR-nummer; vælg en anden stregkode");
  }
  return OkStatus();
}

std::string_view DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kKeep:
      return "keep";
    case Disposition::kReturnToSender:
      return "return";
    case Disposition::kDestructionApproved:
      return "destroy";
    case Disposition::kPending:
      return "pending";
  }
  return "keep";
}

std::string_view DispositionDanish(Disposition d) {
  switch (d) {
    case Disposition::kKeep:
      return "opbevares";
    case Disposition::kReturnToSender:
      return "returneret til afsender";
    case Disposition::kDestructionApproved:
      return "destruktion godkendt";
    case Disposition::kPending:
      return "afventer beslutning";
  }
  return "opbevares";
}

std::optional<Disposition> ParseDisposition(std::string_view text) {
  const std::string t = AsciiLower(Trim(text));
  if (t == "keep" || t == "opbevar" || t == "opbevares") return Disposition::kKeep;
  if (t == "return" || t == "returner" || t == "returnér" || t == "returneret") {
    return Disposition::kReturnToSender;
  }
  if (t == "destroy" || t == "destruer" || t == "destruér" || t == "destruktion") {
    return Disposition::kDestructionApproved;
  }
  if (t == "pending" || t == "afvent" || t == "afventer") return Disposition::kPending;
  return std::nullopt;
}

std::string_view ArchiveActionName(ArchiveAction action) {
  switch (action) {
    case ArchiveAction::kCreate:
      return "create";
    case ArchiveAction::kDisposition:
      return "disposition";
    case ArchiveAction::kPlace:
      return "place";
    case ArchiveAction::kMove:
      return "move";
    case ArchiveAction::kLend:
      return "lend";
    case ArchiveAction::kReturn:
      return "return";
    case ArchiveAction::kTransfer:
      return "transfer";
    case ArchiveAction::kDestroy:
      return "destroy";
  }
  return "create";
}

std::string_view ArchiveActionDanish(ArchiveAction action) {
  switch (action) {
    case ArchiveAction::kCreate:
      return "oprettet";
    case ArchiveAction::kDisposition:
      return "disposition";
    case ArchiveAction::kPlace:
      return "placeret";
    case ArchiveAction::kMove:
      return "flyttet";
    case ArchiveAction::kLend:
      return "udlånt";
    case ArchiveAction::kReturn:
      return "returneret";
    case ArchiveAction::kTransfer:
      return "afleveret";
    case ArchiveAction::kDestroy:
      return "destrueret";
  }
  return "oprettet";
}

std::string Whereabouts::PathText() const {
  std::string out;
  for (const LocationRecord& l : path) {
    if (!out.empty()) out += " › ";
    out += l.name;
  }
  return out;
}

std::string Whereabouts::Describe() const {
  const std::string date = since ? since->substr(0, 10) : std::string();
  const std::string where = PathText();
  switch (state) {
    case State::kNoOriginal:
      return "ingen papiroriginal registreret";
    case State::kAwaitingPlacement:
      if (disposition == Disposition::kDestructionApproved) {
        return "destruktion godkendt" + (approval_ref ? " (" + *approval_ref + ")" : "") +
               ", afventer destruktion";
      }
      return disposition == Disposition::kPending
                 ? "afventer beslutning om originalen; endnu ikke placeret"
                 : "skal opbevares, afventer placering";
    case State::kStored: {
      std::string out = where;
      if (disposition == Disposition::kDestructionApproved) {
        out += " (destruktion godkendt";
        if (approval_ref) out += ", " + *approval_ref;
        out += ")";
      } else if (disposition == Disposition::kPending) {
        out += " (afventer beslutning)";
      }
      return out;
    }
    case State::kOnLoan: {
      std::string out = "udlånt";
      if (loan) {
        out += " til " + loan->borrower + " til " + loan->due_date;
        if (loan->location_id) out += " (med " + loan->subject + ")";
      }
      if (!where.empty()) out += "; hører til i " + where;
      return out;
    }
    case State::kReturnedToSender:
      return "returneret til afsender" + (date.empty() ? "" : " " + date);
    case State::kTransferred:
      return "afleveret til " + (where.empty() ? std::string("stadsarkivet") : where) +
             (date.empty() ? "" : " " + date);
    case State::kDestroyed: {
      std::string out = "destrueret" + (date.empty() ? "" : " " + date);
      if (approval_ref) out += " (godkendelse " + *approval_ref + ")";
      return out;
    }
  }
  return "";
}

std::string Whereabouts::Line() const {
  const bool held =
      state == State::kStored || state == State::kOnLoan || state == State::kAwaitingPlacement;
  return (held ? "Original opbevares: " : "Original: ") + Describe();
}

std::string_view WhereaboutsStateName(Whereabouts::State state) {
  switch (state) {
    case Whereabouts::State::kNoOriginal:
      return "no_original";
    case Whereabouts::State::kAwaitingPlacement:
      return "awaiting_placement";
    case Whereabouts::State::kStored:
      return "stored";
    case Whereabouts::State::kOnLoan:
      return "on_loan";
    case Whereabouts::State::kReturnedToSender:
      return "returned_to_sender";
    case Whereabouts::State::kTransferred:
      return "transferred";
    case Whereabouts::State::kDestroyed:
      return "destroyed";
  }
  return "no_original";
}

}  // namespace intake::storage
