// `station archive ...`: the registry of kept paper originals (storage/archive.h) at the
// command line. Locations and boxes (add, list, show, create, contents), originals (place,
// dispose, destroy), boxes and originals (move, lend, return, transfer, history), the
// questions (where, loans, overdue, unplaced) and barcode look-up, typed by a hand scanner
// or read from a scanned page.
//
// Two kinds of argument name what a command acts on: DOC, a document's id in the journal
// (only digits, as `station refile` and `station doc show` take it), and CODE, a barcode
// from a label (always with a letter; lower case and a trailing Enter are accepted). Where
// both are allowed, an all-digit argument is a document.
//
// Everything written to standard output goes through MaskedOstream: names, notes and
// borrowers are free text and must never show a CPR number.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "base/atomic_file.h"
#include "base/cpr_mask.h"
#include "base/danish_date.h"
#include "base/danish_ids.h"
#include "base/masked_ostream.h"
#include "ocr/barcode.h"
#include "ocr/image_io.h"
#include "station/archive_labels.h"
#include "station/archive_views.h"
#include "station/command_context.h"
#include "station/journal_access.h"
#include "station/masked_command.h"
#include "storage/archive.h"

namespace intake::station {
namespace {

using nlohmann::json;
using storage::Archive;
using storage::ArchiveItem;
using storage::LocationKind;
using storage::LocationRecord;

struct ArchiveOptions {
  // location add, box create
  std::string kind;
  std::string name;
  std::string barcode;
  std::string in;
  std::string note;
  int count = 1;
  // the subject: DOC, CODE or DOC|CODE
  std::string item;
  std::vector<std::string> codes;
  // place, move, lend, transfer, dispose
  std::string box;
  std::string to;
  std::string due;
  std::string on;
  std::string disposition;
  std::string approval;
  std::string approval_date;
  std::string method;
  std::string reference;
  // output
  std::string out;
  std::string pdf;
  std::string image;
  bool json = false;
};

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  return s;
}

std::string Trimmed(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// ---- dates ----

// A date typed on the command line ("2026-12-01", "1.12.2026", "1. december 2026") as
// YYYY-MM-DD; the error names the option.
Result<std::string> DateArgument(const std::string& text, std::string_view option) {
  DateOptions options;
  options.reference = LocalToday();
  Result<FoundDate> date = ParseDate(text, options);
  if (!date) return date.error().WithContext(option);
  return date->Iso();
}

// ---- arguments naming items ----

// DOC: a document's id in the journal.
Result<int64_t> DocumentArgument(const std::string& text) {
  const std::string t = Trimmed(text);
  if (AllDigits(t) && t.size() <= 15) {
    const int64_t id = std::stoll(t);
    if (id > 0) return id;
  }
  const std::string code = storage::NormaliseBarcode(t);
  if (!code.empty() && storage::CheckBarcode(code)) {
    return Error(ErrorCode::kInvalidArgument,
                 "'" + code +
                     "' er en stregkode, ikke et dokument-id: skriv dokumentets id i "
                     "journalen (kun cifre, som i 'station case show SAGSNR'), eller slå "
                     "stregkoden op med 'station archive lookup " +
                     code + "'");
  }
  return Error(ErrorCode::kInvalidArgument,
               "'" + t +
                   "' er ikke et dokument-id: skriv dokumentets id i journalen (kun "
                   "cifre, fx 17; se 'station case show SAGSNR')");
}

// CODE: a barcode as a hand scanner types it; the error names the option.
Result<std::string> BarcodeArgument(const std::string& text, std::string_view option) {
  const std::string code = storage::NormaliseBarcode(text);
  Status valid = storage::CheckBarcode(code);
  if (!valid) {
    return valid.error().WithContext(std::string(option) + " '" + Trimmed(text) + "'");
  }
  return code;
}

// DOC|CODE: all digits is a document id, anything else must be a barcode.
Result<ArchiveItem> ItemArgument(const std::string& text) {
  const std::string t = Trimmed(text);
  if (AllDigits(t)) {
    Result<int64_t> id = DocumentArgument(t);
    if (!id) return id.error();
    return ArchiveItem::Document(*id);
  }
  const std::string code = storage::NormaliseBarcode(t);
  Status valid = storage::CheckBarcode(code);
  if (!valid) {
    return Error(ErrorCode::kInvalidArgument,
                 "'" + t + "' er hverken et dokument-id (kun cifre) eller en stregkode (" +
                     valid.error().message() +
                     "); skriv dokumentets id i journalen eller stregkoden fra kassens eller "
                     "stedets etiket");
  }
  return ArchiveItem::Location(code);
}

std::string KindChoices() {
  std::string danish, english;
  for (LocationKind k :
       {LocationKind::kSite, LocationKind::kBuilding, LocationKind::kRoom, LocationKind::kUnit,
        LocationKind::kShelf, LocationKind::kBox, LocationKind::kFolder, LocationKind::kOffsite,
        LocationKind::kCityArchive}) {
    danish += (danish.empty() ? "" : ", ") + std::string(storage::LocationKindDanish(k));
    english += (english.empty() ? "" : ", ") + std::string(storage::LocationKindName(k));
  }
  return danish + " (eller " + english + ")";
}

// ---- text ----

std::string KindText(const LocationRecord& r) {
  return std::string(storage::LocationKindDanish(r.kind));
}

// "Reol 12 (reol, L-000003)".
std::string LocationLabel(const LocationRecord& r) {
  return r.name + " (" + KindText(r) + ", " + r.barcode + ")";
}

// "2026-11-27 10:02" for an ISO 8601 time, as the archive's event summaries write it.
std::string MinuteText(std::string_view iso) {
  std::string text(iso.substr(0, 16));
  if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
  return text;
}

// Where a location stands, from its path (the location itself last).
std::string PlaceText(const LocationRecord& r, const std::vector<LocationRecord>& path) {
  if (path.size() > 1) return ArchivePathNames({path.begin(), path.end() - 1});
  if (r.kind == LocationKind::kBox || r.kind == LocationKind::kFolder) return "ikke placeret";
  return "øverste niveau";
}

std::string StateSuffix(const LocationRecord& r) {
  std::string s;
  if (r.loan) s += ", " + ArchiveLoanText(*r.loan);
  if (r.transferred) s += ", afleveret til stadsarkivet";
  return s;
}

std::string OriginalLine(const storage::StoredOriginal& s) {
  std::string line = s.case_system + " " + s.case_reference + " nr. " +
                     std::to_string(s.doc_number) + "  " + s.title + "  (dokument-id " +
                     std::to_string(s.document_id);
  if (s.received_date) line += ", modtaget " + *s.received_date;
  line += ")";
  if (s.loan) line += ", " + ArchiveLoanText(*s.loan);
  return line;
}

// ---- shared look-ups ----

std::string CountSuffix(const std::optional<size_t>& count) {
  if (!count) return "";
  return ": " + Plural(*count, "original", "originaler");
}

// ---- location add, list, show ----

// The location `location add` and `box create` register: --name, --note, --barcode, --in.
Result<storage::NewLocation> NewLocationFrom(LocationKind kind, const ArchiveOptions& o) {
  storage::NewLocation location;
  location.kind = kind;
  location.name = Trimmed(o.name);
  location.note = NonEmpty(o.note);
  if (!o.barcode.empty()) {
    INTAKE_ASSIGN_OR_RETURN(location.barcode, BarcodeArgument(o.barcode, "--barcode"));
  }
  if (!o.in.empty()) {
    INTAKE_ASSIGN_OR_RETURN(location.parent_barcode, BarcodeArgument(o.in, "--in"));
  }
  return location;
}

ExitCode LocationAdd(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  const std::optional<LocationKind> kind = storage::ParseLocationKind(Trimmed(o.kind));
  if (!kind) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "--kind '" + o.kind + "' er ukendt; brug " + KindChoices()));
  }
  auto location = NewLocationFrom(*kind, o);
  if (!location) return ctx.Fail(location.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  auto added = archive.AddLocation(*location, session->actor);
  if (!added) return ctx.Fail(added.error());
  auto path = archive.PathOf(added->id);
  if (!path) return ctx.Fail(path.error());
  if (o.json) {
    json j = LocationToJson(*added);
    j["path"] = LocationPathToJson(*path);
    out << Dump(j) << "\n";
    return kExitOk;
  }
  out << "Oprettet: " << LocationLabel(*added);
  if (path->size() > 1) {
    out << " i " << ArchivePathNames({path->begin(), path->end() - 1}) << ".\n";
  } else if (added->kind == LocationKind::kBox || added->kind == LocationKind::kFolder) {
    out << ", ikke placeret (sæt den på plads med 'station archive move " << added->barcode
        << " --to CODE').\n";
  } else {
    out << " på øverste niveau.\n";
  }
  return kExitOk;
}

size_t TreeSize(const LocationTreeNode& node) {
  size_t n = 1;
  for (const LocationTreeNode& child : node.children) n += TreeSize(child);
  return n;
}

void PrintTree(std::ostream& out, const LocationTreeNode& node, const std::string& prefix,
               bool last, bool root) {
  out << prefix << (root ? "" : (last ? "└─ " : "├─ ")) << LocationLabel(node.record)
      << CountSuffix(node.originals) << StateSuffix(node.record) << "\n";
  const std::string inner = root ? prefix : prefix + (last ? "   " : "│  ");
  for (size_t i = 0; i < node.children.size(); ++i) {
    PrintTree(out, node.children[i], inner, i + 1 == node.children.size(), false);
  }
}

ExitCode LocationList(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  std::optional<std::string> in;
  if (!o.in.empty()) {
    auto code = BarcodeArgument(o.in, "--in");
    if (!code) return ctx.Fail(code.error());
    in = *code;
  }
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  std::optional<LocationRecord> root;
  std::vector<LocationRecord> root_path;
  if (in) {
    auto found = archive.FindLocation(*in);
    if (!found) return ctx.Fail(found.error());
    auto path = archive.PathOf(found->id);
    if (!path) return ctx.Fail(path.error());
    root = std::move(*found);
    root_path = std::move(*path);
  }
  auto top = archive.Children(root ? std::optional<int64_t>(root->id) : std::nullopt);
  if (!top) return ctx.Fail(top.error());
  std::vector<LocationTreeNode> trees;
  for (LocationRecord& r : *top) {
    auto tree = BuildLocationTree(archive, session->viewer, std::move(r));
    if (!tree) return ctx.Fail(tree.error());
    trees.push_back(std::move(*tree));
  }
  if (o.json) {
    const json j = LocationListToJson(root ? &*root : nullptr, root_path, trees);
    out << Dump(j) << "\n";
    return kExitOk;
  }
  size_t total = 0;
  if (root) {
    auto count = CountOriginals(archive, session->viewer, *root);
    if (!count) return ctx.Fail(count.error());
    out << ArchivePathNames(root_path) << " (" << KindText(*root) << ", " << root->barcode << ")"
        << CountSuffix(*count) << StateSuffix(*root) << "\n";
    for (size_t i = 0; i < trees.size(); ++i) {
      PrintTree(out, trees[i], "", i + 1 == trees.size(), false);
      total += TreeSize(trees[i]);
    }
    if (trees.empty()) out << "  (intet her)\n";
    out << Plural(total, "sted eller kasse", "steder og kasser") << " i " << root->name << ".\n";
    return kExitOk;
  }
  if (trees.empty()) {
    out << "Ingen steder eller kasser i arkivet endnu. Opret det første med 'station archive "
           "location add --kind sted --name NAVN'.\n";
    return kExitOk;
  }
  // Unplaced boxes and folders come after the sites, under a heading of their own.
  bool unplaced_heading = false;
  for (const LocationTreeNode& t : trees) {
    const bool unplaced =
        t.record.kind == LocationKind::kBox || t.record.kind == LocationKind::kFolder;
    if (unplaced && !unplaced_heading) {
      out << "Ikke placeret:\n";
      unplaced_heading = true;
    }
    PrintTree(out, t, unplaced ? "  " : "", true, true);
    total += TreeSize(t);
  }
  out << Plural(total, "sted eller kasse", "steder og kasser") << " i alt.\n";
  return kExitOk;
}

ExitCode LocationShow(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto code = BarcodeArgument(o.item, "CODE");
  if (!code) return ctx.Fail(code.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  auto r = archive.FindLocation(*code);
  if (!r) return ctx.Fail(r.error());
  auto path = archive.PathOf(r->id);
  if (!path) return ctx.Fail(path.error());
  auto children = archive.Children(r->id);
  if (!children) return ctx.Fail(children.error());
  auto contents = archive.Contents(r->barcode, session->viewer);
  if (!contents) return ctx.Fail(contents.error());
  auto events = archive.History(ArchiveItem::Location(r->barcode), session->viewer);
  if (!events) return ctx.Fail(events.error());
  const size_t first_recent = events->size() > kRecentEvents ? events->size() - kRecentEvents : 0;
  if (o.json) {
    const json j =
        LocationShowToJson(*r, *path, *children, contents->size(), *events, kRecentEvents);
    out << Dump(j) << "\n";
    return kExitOk;
  }
  std::string kind = KindText(*r);
  kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
  out << kind << " " << r->barcode << ": " << r->name << "\n";
  out << "  Sti:            " << ArchivePathNames(*path) << "\n";
  out << "  Står:           " << PlaceText(*r, *path) << "\n";
  if (r->note) out << "  Note:           " << *r->note << "\n";
  out << "  Oprettet:       " << r->created.substr(0, 10) << "\n";
  if (r->loan) out << "  Udlån:          " << ArchiveLoanText(*r->loan) << "\n";
  if (r->transferred) out << "  Afleveret:      til stadsarkivet; ændres ikke mere\n";
  if (r->kind == LocationKind::kBox || r->kind == LocationKind::kFolder || !contents->empty()) {
    out << "  Originaler:     " << contents->size();
    if (!contents->empty()) out << " (se 'station archive box contents " << r->barcode << "')";
    out << "\n";
  }
  out << "  Indeholder:";
  if (children->empty()) out << "     ingen steder eller kasser";
  out << "\n";
  for (const LocationRecord& c : *children) {
    out << "    " << LocationLabel(c) << StateSuffix(c) << "\n";
  }
  out << "  Seneste hændelser";
  if (first_recent > 0) {
    out << " (" << kRecentEvents << " af " << events->size() << "; alle: 'station archive "
        << "history " << r->barcode << "')";
  }
  out << ":\n";
  for (size_t i = first_recent; i < events->size(); ++i) {
    out << "    " << (*events)[i].summary << "\n";
  }
  return kExitOk;
}

// ---- boxes ----

ExitCode BoxCreate(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  if (o.count < 1 || o.count > kMaxBoxesAtOnce) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "--count " + std::to_string(o.count) + " er uden for 1-" +
                              std::to_string(kMaxBoxesAtOnce) + "; opret højst " +
                              std::to_string(kMaxBoxesAtOnce) + " kasser ad gangen"));
  }
  if (o.count > 1 && (!o.barcode.empty() || !o.name.empty())) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "--barcode og --name gælder én kasse; udelad dem med --count " +
                              std::to_string(o.count) +
                              " (kasserne får hver sin stregkode K-ÅÅÅÅ-NNNN)"));
  }
  auto box = NewLocationFrom(LocationKind::kBox, o);
  if (!box) return ctx.Fail(box.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  std::vector<LocationRecord> created;
  std::optional<Error> failed;
  for (int i = 0; i < o.count; ++i) {
    auto added = archive.AddLocation(*box, session->actor);
    if (!added) {
      failed = added.error();
      break;
    }
    created.push_back(std::move(*added));
  }
  std::vector<LocationRecord> path;
  if (!created.empty()) {
    auto p = archive.PathOf(created.front().id);
    if (!p) return ctx.Fail(p.error());
    path = std::move(*p);
  }
  if (o.json) {
    json list = json::array();
    for (const LocationRecord& r : created) list.push_back(LocationToJson(r));
    out << Dump(list) << "\n";
  } else if (!created.empty()) {
    const std::string where =
        path.size() > 1 ? " i " + ArchivePathNames({path.begin(), path.end() - 1})
                        : ", ikke placeret (sæt dem på en hylde med 'station archive move "
                          "KASSE --to HYLDE')";
    std::string codes;
    if (created.size() == 1) {
      out << "Kasse oprettet: " << created.front().barcode << " »" << created.front().name << "«"
          << where << ".\n";
      codes = created.front().barcode;
    } else {
      for (const LocationRecord& r : created) out << "  " << r.barcode << "\n";
      out << created.size() << " kasser oprettet" << where << ".\n";
      for (const LocationRecord& r : created) codes += (codes.empty() ? "" : " ") + r.barcode;
    }
    out << "Udskriv etiketterne med 'station archive box label " << codes
        << " --out etiketter.pdf'.\n";
  }
  if (failed) {
    if (!created.empty()) {
      ctx.err << "fejl efter " << Plural(created.size(), "kasse", "kasser")
              << " (de er oprettet):\n";
    }
    return ctx.Fail(*failed);
  }
  return kExitOk;
}

ExitCode BoxContents(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto code = BarcodeArgument(o.item, "CODE");
  if (!code) return ctx.Fail(code.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  auto r = archive.FindLocation(*code);
  if (!r) return ctx.Fail(r.error());
  auto path = archive.PathOf(r->id);
  if (!path) return ctx.Fail(path.error());
  auto contents = archive.Contents(r->barcode, session->viewer);
  if (!contents) return ctx.Fail(contents.error());
  std::map<int64_t, std::string> folders;
  auto folder_name = [&](int64_t id) -> const std::string& {
    auto it = folders.find(id);
    if (it == folders.end()) it = folders.emplace(id, FolderLabel(archive, id)).first;
    return it->second;
  };
  if (!o.pdf.empty()) {
    const std::vector<ContentsEntry> entries = ContentsEntriesFor(archive, *contents);
    auto pdf = MakeContentsList(LocationLabelSpec(*r, *path), entries,
                                LongDanishDate(IsoDay(LocalToday())));
    if (!pdf) return ctx.Fail(pdf.error().WithContext("indholdslisten er ikke skrevet"));
    Status written = WriteFileAtomically(o.pdf, *pdf);
    if (!written) return ctx.Fail(written.error());
    ctx.err << "Indholdsliste (" << Plural(contents->size(), "original", "originaler")
            << ") skrevet til " << o.pdf << "\n";
  }
  if (o.json) {
    const json j = BoxContentsToJson(*r, *path, *contents);
    out << Dump(j) << "\n";
    return kExitOk;
  }
  out << "Indhold af " << LocationLabel(*r) << StateSuffix(*r) << "\n";
  out << "Sti: " << ArchivePathNames(*path) << "\n";
  for (const storage::StoredOriginal& s : *contents) {
    out << "  " << OriginalLine(s);
    if (s.folder_id) out << ", i mappen " << folder_name(*s.folder_id);
    out << "\n";
  }
  out << (contents->empty() ? std::string("Ingen originaler.")
                            : Plural(contents->size(), "original.", "originaler."))
      << "\n";
  return kExitOk;
}

ExitCode Labels(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o,
                LabelFormat format) {
  std::vector<std::string> codes;
  for (const std::string& text : o.codes) {
    auto code = BarcodeArgument(text, "CODE");
    if (!code) return ctx.Fail(code.error());
    codes.push_back(*code);
  }
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  std::vector<LabelSpec> labels;
  for (const std::string& code : codes) {
    auto r = archive.FindLocation(code);
    if (!r) return ctx.Fail(r.error().WithContext("ingen etiketter skrevet"));
    auto path = archive.PathOf(r->id);
    if (!path) return ctx.Fail(path.error());
    labels.push_back(LocationLabelSpec(*r, *path));
  }
  auto pdf = MakeLocationLabels(labels, format);
  if (!pdf) return ctx.Fail(pdf.error().WithContext("ingen etiketter skrevet"));
  Status written = WriteFileAtomically(o.out, *pdf);
  if (!written) return ctx.Fail(written.error());
  const bool boxes = format == LabelFormat::kBox;
  const int per_page = boxes ? kBoxLabelsPerPage : kShelfLabelsPerPage;
  const size_t pages =
      (labels.size() + static_cast<size_t>(per_page) - 1) / static_cast<size_t>(per_page);
  out << Plural(labels.size(), boxes ? "kasseetiket" : "hyldeetiket",
                boxes ? "kasseetiketter" : "hyldeetiketter")
      << " (" << Plural(pages, "A4-side", "A4-sider") << ", " << per_page
      << " pr. side) skrevet til " << o.out << "\n";
  return kExitOk;
}

ExitCode ShelfLabels(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  return Labels(ctx, out, o, LabelFormat::kShelf);
}

ExitCode BoxLabels(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  return Labels(ctx, out, o, LabelFormat::kBox);
}

// ---- originals ----

ExitCode Place(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto id = DocumentArgument(o.item);
  if (!id) return ctx.Fail(id.error());
  auto box = BarcodeArgument(o.box, "--box");
  if (!box) return ctx.Fail(box.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto label = DocumentLabel(*session->journal, session->viewer, *id);
  if (!label) return ctx.Fail(label.error());
  auto w = session->journal->archive().Place(*id, *box, NonEmpty(o.note), session->actor);
  if (!w) return ctx.Fail(w.error().WithContext("originalen er ikke placeret"));
  out << *label << ": originalen er placeret i " << w->PathText() << ".\n";
  return kExitOk;
}

ExitCode Where(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto id = DocumentArgument(o.item);
  if (!id) return ctx.Fail(id.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto label = DocumentLabel(*session->journal, session->viewer, *id);
  if (!label) return ctx.Fail(label.error());
  auto w = session->journal->archive().Where(*id, session->viewer);
  if (!w) return ctx.Fail(w.error());
  if (o.json) {
    out << Dump(WhereaboutsToJson(*w)) << "\n";
    return kExitOk;
  }
  out << "Original opbevares: " << w->Describe() << "\n";
  out << "  " << *label << "\n";
  if (w->disposition) {
    out << "  Disposition:    " << storage::DispositionDanish(*w->disposition) << "\n";
  }
  if (!w->path.empty()) {
    out << "  Placering:      ";
    for (size_t i = 0; i < w->path.size(); ++i) {
      out << (i == 0 ? "" : " › ") << w->path[i].name << " (" << w->path[i].barcode << ")";
    }
    out << "\n";
  }
  if (w->loan) {
    out << "  Udlån:          " << w->loan->subject << " " << ArchiveLoanText(*w->loan) << "\n";
  }
  if (w->approval_ref) {
    out << "  Godkendelse:    " << *w->approval_ref
        << (w->approval_date ? " af " + *w->approval_date : std::string()) << "\n";
  }
  if (w->since) out << "  Siden:          " << MinuteText(*w->since) << "\n";
  return kExitOk;
}

ExitCode Dispose(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto id = DocumentArgument(o.item);
  if (!id) return ctx.Fail(id.error());
  const std::optional<storage::Disposition> d = storage::ParseDisposition(Trimmed(o.disposition));
  if (!d) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "--disposition '" + o.disposition +
                              "' er ukendt; brug keep, return, destroy eller pending (opbevar, "
                              "returnér, destruér, afvent)"));
  }
  storage::OriginalDisposition disposition;
  disposition.disposition = *d;
  disposition.note = NonEmpty(o.note);
  const bool keeps = *d == storage::Disposition::kKeep || *d == storage::Disposition::kPending;
  if (!o.box.empty()) {
    if (!keeps) {
      return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                            "--box gælder kun --disposition keep eller pending: en original "
                            "der returneres eller destrueres lægges ikke i en kasse"));
    }
    auto box = BarcodeArgument(o.box, "--box");
    if (!box) return ctx.Fail(box.error());
    disposition.location_barcode = *box;
  }
  if (*d != storage::Disposition::kDestructionApproved &&
      (!o.approval.empty() || !o.approval_date.empty())) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "--approval og --approval-date gælder kun --disposition destroy"));
  }
  disposition.approval_ref = NonEmpty(o.approval);
  if (!o.approval_date.empty()) {
    auto date = DateArgument(o.approval_date, "--approval-date");
    if (!date) return ctx.Fail(date.error());
    disposition.approval_date = *date;
  }
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto label = DocumentLabel(*session->journal, session->viewer, *id);
  if (!label) return ctx.Fail(label.error());
  auto w = session->journal->archive().SetDisposition(*id, disposition, session->actor);
  if (!w) return ctx.Fail(w.error().WithContext("dispositionen er ikke ændret"));
  out << *label << ": " << storage::DispositionDanish(*d);
  if (w->approval_ref) {
    out << " (godkendelse " << *w->approval_ref
        << (w->approval_date ? " af " + *w->approval_date : std::string()) << ")";
  }
  out << ".\nOriginal opbevares: " << w->Describe() << "\n";
  return kExitOk;
}

ExitCode Destroy(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto id = DocumentArgument(o.item);
  if (!id) return ctx.Fail(id.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto label = DocumentLabel(*session->journal, session->viewer, *id);
  if (!label) return ctx.Fail(label.error());
  auto w =
      session->journal->archive().Destroy(*id, Trimmed(o.method), NonEmpty(o.note), session->actor);
  if (!w) return ctx.Fail(w.error().WithContext("destruktionen er ikke registreret"));
  out << *label << ": originalen er destrueret (" << Trimmed(o.method) << ").\n"
      << "Original opbevares: " << w->Describe() << "\n";
  return kExitOk;
}

// ---- boxes and originals ----

ExitCode Move(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto code = BarcodeArgument(o.item, "CODE");
  if (!code) return ctx.Fail(code.error());
  auto to = BarcodeArgument(o.to, "--to");
  if (!to) return ctx.Fail(to.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  auto before = archive.FindLocation(*code);
  if (!before) return ctx.Fail(before.error());
  auto target = archive.FindLocation(*to);
  if (!target) return ctx.Fail(target.error());
  if (before->parent_id && *before->parent_id == target->id) {
    out << LocationLabel(*before) << " står allerede i " << LocationLabel(*target)
        << "; intet ændret.\n";
    return kExitOk;
  }
  auto moved = archive.Move(*code, *to, NonEmpty(o.note), session->actor);
  if (!moved) return ctx.Fail(moved.error().WithContext(before->barcode + " er ikke flyttet"));
  auto path = archive.PathOf(moved->id);
  if (!path) return ctx.Fail(path.error());
  auto contents = archive.Contents(moved->barcode, session->viewer);
  if (!contents) return ctx.Fail(contents.error());
  out << LocationLabel(*moved) << " er flyttet til " << PlaceText(*moved, *path);
  if (!contents->empty()) {
    out << "; " << Plural(contents->size(), "original", "originaler") << " fulgte med";
  }
  out << ".\n";
  return kExitOk;
}

ExitCode Lend(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto item = ItemArgument(o.item);
  if (!item) return ctx.Fail(item.error());
  auto due = DateArgument(o.due, "--due");
  if (!due) return ctx.Fail(due.error());
  storage::LendRequest request;
  request.borrower = Trimmed(o.to);
  request.due_date = *due;
  request.note = NonEmpty(o.note);
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto loan = session->journal->archive().Lend(*item, request, session->actor);
  if (!loan) return ctx.Fail(loan.error().WithContext("intet er udlånt"));
  out << "Udlånt: " << loan->subject << " til " << loan->borrower << "; afleveres senest "
      << LongDanishDate(loan->due_date) << " (" << loan->due_date << ").\n";
  return kExitOk;
}

ExitCode Return(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto item = ItemArgument(o.item);
  if (!item) return ctx.Fail(item.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto loan = session->journal->archive().Return(*item, NonEmpty(o.note), session->actor);
  if (!loan) return ctx.Fail(loan.error());
  out << "Returneret: " << loan->subject << " (udlånt til " << loan->borrower << " siden "
      << loan->since.substr(0, 10) << ")";
  const int late = DaysBetween(loan->due_date, IsoDay(LocalToday()));
  if (late > 0) out << ", " << Plural(static_cast<size_t>(late), "dag", "dage") << " for sent";
  out << ".\n";
  return kExitOk;
}

ExitCode Transfer(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto item = ItemArgument(o.item);
  if (!item) return ctx.Fail(item.error());
  auto to = BarcodeArgument(o.to, "--to");
  if (!to) return ctx.Fail(to.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  std::string subject;
  if (item->document_id) {
    auto label = DocumentLabel(*session->journal, session->viewer, *item->document_id);
    if (!label) return ctx.Fail(label.error());
    subject = *label;
  }
  auto target = archive.FindLocation(*to);
  if (!target) return ctx.Fail(target.error());
  // The handed-over location's path (top first, itself last), or the city archive's for
  // a single original.
  auto handed = archive.Transfer(*item, *to, Trimmed(o.reference), session->actor);
  if (!handed) return ctx.Fail(handed.error().WithContext("intet er afleveret"));
  if (subject.empty() && !handed->empty()) subject = LocationLabel(handed->back());
  out << subject << " er afleveret til " << LocationLabel(*target) << " med reference "
      << Trimmed(o.reference) << "; det afleverede ændres ikke mere.\n";
  return kExitOk;
}

ExitCode History(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto item = ItemArgument(o.item);
  if (!item) return ctx.Fail(item.error());
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  Archive& archive = session->journal->archive();
  std::string subject;
  if (item->document_id) {
    auto label = DocumentLabel(*session->journal, session->viewer, *item->document_id);
    if (!label) return ctx.Fail(label.error());
    subject = *label;
  } else {
    auto r = archive.FindLocation(*item->barcode);
    if (!r) return ctx.Fail(r.error());
    subject = LocationLabel(*r);
  }
  auto events = archive.History(*item, session->viewer);
  if (!events) return ctx.Fail(events.error());
  if (o.json) {
    json list = json::array();
    for (const storage::ArchiveEvent& e : *events) list.push_back(ArchiveEventToJson(e));
    out << Dump(list) << "\n";
    return kExitOk;
  }
  out << "Historik for " << subject << ":\n";
  for (const storage::ArchiveEvent& e : *events) out << "  " << e.summary << "\n";
  if (events->empty()) out << "  (ingen hændelser)\n";
  return kExitOk;
}

// ---- questions ----

void PrintLoans(std::ostream& out, const std::vector<storage::Loan>& loans, const std::string& on) {
  for (const storage::Loan& l : loans) {
    out << "  " << l.subject << ": " << ArchiveLoanText(l);
    const int over = DaysBetween(l.due_date, on);
    if (over > 0) out << ", " << Plural(static_cast<size_t>(over), "dag", "dage") << " over tid";
    out << "\n";
  }
}

ExitCode Overdue(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  std::string on = IsoDay(LocalToday());
  if (!o.on.empty()) {
    auto date = DateArgument(o.on, "--on");
    if (!date) return ctx.Fail(date.error());
    on = *date;
  }
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto loans = session->journal->archive().Loans(on);
  if (!loans) return ctx.Fail(loans.error());
  if (o.json) {
    out << Dump(json{{"on", on}, {"loans", LoansToJson(*loans, on)}}) << "\n";
    return kExitOk;
  }
  if (loans->empty()) {
    out << "Ingen udlån er over tid pr. " << on << ".\n";
    return kExitOk;
  }
  out << "Udlån over tid pr. " << on << ":\n";
  PrintLoans(out, *loans, on);
  out << Plural(loans->size(), "udlån", "udlån") << " over tid.\n";
  return kExitOk;
}

ExitCode Loans(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto loans = session->journal->archive().Loans(std::nullopt);
  if (!loans) return ctx.Fail(loans.error());
  const std::string today = IsoDay(LocalToday());
  if (o.json) {
    out << Dump(LoansToJson(*loans, today)) << "\n";
    return kExitOk;
  }
  if (loans->empty()) {
    out << "Intet er udlånt.\n";
    return kExitOk;
  }
  PrintLoans(out, *loans, today);
  out << Plural(loans->size(), "udlån", "udlån") << ".\n";
  return kExitOk;
}

ExitCode Unplaced(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  auto originals = session->journal->archive().Unplaced(session->viewer);
  if (!originals) return ctx.Fail(originals.error());
  if (o.json) {
    json list = json::array();
    for (const storage::StoredOriginal& s : *originals) list.push_back(StoredOriginalToJson(s));
    out << Dump(list) << "\n";
    return kExitOk;
  }
  if (originals->empty()) {
    out << "Ingen originaler venter på placering.\n";
    return kExitOk;
  }
  for (const storage::StoredOriginal& s : *originals) out << "  " << OriginalLine(s) << "\n";
  out << Plural(originals->size(), "original venter", "originaler venter")
      << " på placering; placér med 'station archive place DOC --box KASSE'.\n";
  return kExitOk;
}

// ---- look-up ----

// One barcode: what it is, where, and what is in it. kNotFound for an unknown barcode.
Status LookupOne(Archive& archive, const storage::Viewer& viewer, const std::string& text,
                 std::ostream& out) {
  const std::string code = storage::NormaliseBarcode(text);
  Status valid = storage::CheckBarcode(code);
  if (!valid) {
    return valid.error().WithContext("'" + Trimmed(text) + "' er ingen stregkode fra arkivet");
  }
  INTAKE_ASSIGN_OR_RETURN(LocationRecord r, archive.FindLocation(code));
  INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> path, archive.PathOf(r.id));
  INTAKE_ASSIGN_OR_RETURN(std::vector<LocationRecord> children, archive.Children(r.id));
  INTAKE_ASSIGN_OR_RETURN(std::vector<storage::StoredOriginal> contents,
                          archive.Contents(code, viewer));
  out << r.barcode << ": " << storage::LocationKindDanish(r.kind) << " »" << r.name << "«, "
      << PlaceText(r, path);
  std::string inside;
  if (r.kind == LocationKind::kBox || r.kind == LocationKind::kFolder || !contents.empty()) {
    inside = Plural(contents.size(), "original", "originaler");
  }
  if (!children.empty()) {
    inside += (inside.empty() ? "" : ", ") +
              Plural(children.size(), "sted eller kasse", "steder og kasser");
  }
  if (!inside.empty()) out << "; " << inside;
  out << StateSuffix(r) << "\n";
  return OkStatus();
}

ExitCode LookupImage(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o,
                     JournalSession& session) {
  auto reader = ocr::ImageFileReader::Open(o.image);
  if (!reader) return ctx.Fail(reader.error());
  Archive& archive = session.journal->archive();
  int symbols = 0, found = 0;
  for (int index = 0; index < reader->page_count(); ++index) {
    auto page = reader->ReadPage(index);
    if (!page) return ctx.Fail(page.error());
    const std::string page_name =
        reader->page_count() > 1 ? "side " + std::to_string(index + 1) + ", " : "";
    auto codes = ocr::DetectBarcodes(page->pix.get());
    if (!codes) {
      return ctx.Fail(
          codes.error().WithContext(reader->display_name() + " side " + std::to_string(index + 1)));
    }
    // A label carries its code twice (Code 128 and QR): one line per code and page.
    std::vector<std::pair<std::string, std::string>> archive_codes;  // code, formats
    for (const ocr::Barcode& b : *codes) {
      ++symbols;
      const std::string code = storage::NormaliseBarcode(b.text);
      if (!storage::CheckBarcode(code)) {
        out << "  (" << page_name << b.format << ") »" << b.text
            << "« er ingen stregkode fra arkivet\n";
        continue;
      }
      auto same = std::find_if(archive_codes.begin(), archive_codes.end(),
                               [&](const auto& entry) { return entry.first == code; });
      if (same == archive_codes.end()) {
        archive_codes.emplace_back(code, b.format);
      } else {
        same->second += ", " + b.format;
      }
    }
    for (const auto& [code, formats] : archive_codes) {
      out << "  (" << page_name << formats << ") ";
      Status one = LookupOne(archive, session.viewer, code, out);
      if (!one) {
        out << code << ": " << one.error().message() << "\n";
        continue;
      }
      ++found;
    }
  }
  if (found > 0) return kExitOk;
  return ctx.Fail(Error(
      ErrorCode::kNotFound,
      symbols == 0
          ? reader->display_name() + ": ingen stregkoder fundet; scan etiketten igen (mindst 200 "
                                     "dpi, etiketten plant og hel) eller skriv koden"
          : reader->display_name() + ": ingen af stregkoderne hører til et sted eller en kasse i "
                                     "arkivet"));
}

ExitCode Lookup(CommandContext& ctx, std::ostream& out, const ArchiveOptions& o) {
  auto session = OpenJournalSession(ctx);
  if (!session) return ctx.Fail(session.error());
  if (!o.image.empty()) return LookupImage(ctx, out, o, *session);
  Archive& archive = session->journal->archive();
  if (!o.item.empty()) {
    Status one = LookupOne(archive, session->viewer, o.item, out);
    return one ? kExitOk : ctx.Fail(one.error());
  }
  // No argument: a hand scanner types one code per line until end of input (Ctrl-D).
  ctx.err << "Scan en stregkode (eller skriv den og tryk Enter); Ctrl-D afslutter.\n";
  int unknown = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (Trimmed(line).empty()) continue;
    Status one = LookupOne(archive, session->viewer, line, out);
    if (!one) {
      ++unknown;
      ctx.err << "fejl: " << one.error().message() << "\n";
    }
    out.flush();
  }
  return unknown > 0 ? kExitInput : kExitOk;
}

}  // namespace

void AddArchiveCommands(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<ArchiveOptions>();
  CLI::App* cmd = app.add_subcommand(
      "archive", "Papiroriginaler: steder, kasser, placering, udlån, destruktion og aflevering");
  cmd->require_subcommand(1);
  cmd->footer(
      "DOC er dokumentets id i journalen (kun cifre). CODE er stregkoden på et steds eller en "
      "kasses etiket (mindst ét bogstav; små bogstaver og en håndscanners Enter går an).");

  // location add|list|show
  CLI::App* location = cmd->add_subcommand(
      "location", "Steder: bygninger, rum, reoler, hylder (opret, træet, vis, etiketter)");
  location->require_subcommand(1);
  CLI::App* add = location->add_subcommand("add", "Registrér et sted (eller en kasse eller mappe)");
  add->add_option("--kind", o->kind, "Slags: " + KindChoices())->required()->type_name("SLAGS");
  add->add_option("--name", o->name, "Navnet, fx \"Reol 12\" (kan udelades for en kasse)")
      ->type_name("NAVN");
  add->add_option("--barcode", o->barcode,
                  "Stregkoden (standard: en ny L-NNNNNN; for kasser K-ÅÅÅÅ-NNNN)")
      ->type_name("CODE");
  add->add_option("--in", o->in, "Stedet det står i (påkrævet undtagen øverste niveau)")
      ->type_name("CODE");
  add->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  add->add_flag("--json", o->json, "Skriv stedet som JSON");
  BindMasked(add, ctx, o, LocationAdd);

  CLI::App* list =
      location->add_subcommand("list", "Vis stederne som et træ (kasser med antal originaler)");
  list->add_option("--in", o->in, "Kun det der står i dette sted")->type_name("CODE");
  list->add_flag("--json", o->json, "Skriv træet som JSON");
  BindMasked(list, ctx, o, LocationList);

  CLI::App* show = location->add_subcommand(
      "show", "Vis et sted eller en kasse: sti, indhold, udlån og seneste hændelser");
  show->add_option("CODE", o->item, "Stedets eller kassens stregkode")->required();
  show->add_flag("--json", o->json, "Skriv stedet som JSON");
  BindMasked(show, ctx, o, LocationShow);

  CLI::App* shelf_label = location->add_subcommand(
      "label", "Hyldeetiketter med stregkode (Code 128 og QR), 7 pr. A4-side");
  shelf_label->add_option("CODE", o->codes, "Stedernes stregkoder")->required();
  shelf_label->add_option("--out", o->out, "PDF-filen der skrives")->required()->type_name("FIL");
  BindMasked(shelf_label, ctx, o, ShelfLabels);

  // box create|contents
  CLI::App* box = cmd->add_subcommand("box", "Arkivkasser: opret, etiketter, indholdsliste");
  box->require_subcommand(1);
  CLI::App* create = box->add_subcommand("create", "Opret en eller flere kasser");
  create->add_option("--barcode", o->barcode, "Stregkoden (standard: en ny K-ÅÅÅÅ-NNNN)")
      ->type_name("CODE");
  create->add_option("--name", o->name, "Navnet (standard: \"Kasse <stregkode>\")")
      ->type_name("NAVN");
  create->add_option("--in", o->in, "Hylden eller stedet kassen står på (kan vente)")
      ->type_name("CODE");
  create
      ->add_option("--count", o->count,
                   "Antal kasser (1-" + std::to_string(kMaxBoxesAtOnce) + ", standard: 1)")
      ->type_name("N");
  create->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  create->add_flag("--json", o->json, "Skriv kasserne som JSON");
  BindMasked(create, ctx, o, BoxCreate);

  CLI::App* box_label =
      box->add_subcommand("label", "Kasseetiketter med stregkode (Code 128 og QR), 2 pr. A4-side");
  box_label->add_option("CODE", o->codes, "Kassernes stregkoder")->required();
  box_label->add_option("--out", o->out, "PDF-filen der skrives")->required()->type_name("FIL");
  BindMasked(box_label, ctx, o, BoxLabels);

  CLI::App* contents = box->add_subcommand("contents", "Originalerne i en kasse");
  contents->add_option("CODE", o->item, "Kassens stregkode")->required();
  contents->add_flag("--json", o->json, "Skriv indholdet som JSON");
  contents->add_option("--pdf", o->pdf, "Skriv også indholdslisten som PDF til at lægge i kassen")
      ->type_name("FIL");
  BindMasked(contents, ctx, o, BoxContents);

  // originals
  CLI::App* place = cmd->add_subcommand("place", "Læg et dokuments original i en kasse");
  place->add_option("DOC", o->item, "Dokumentets id i journalen")->required();
  place->add_option("--box", o->box, "Kassen (eller mappen eller stedet)")
      ->required()
      ->type_name("CODE");
  place->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  BindMasked(place, ctx, o, Place);

  CLI::App* move = cmd->add_subcommand("move", "Flyt en kasse (eller et sted) med alt indhold");
  move->add_option("CODE", o->item, "Kassen eller stedet der flyttes")->required();
  move->add_option("--to", o->to, "Hvorhen")->required()->type_name("CODE");
  move->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  BindMasked(move, ctx, o, Move);

  CLI::App* lend = cmd->add_subcommand("lend", "Lån en original eller en kasse ud");
  lend->add_option("DOC|CODE", o->item, "Dokumentets id eller kassens stregkode")->required();
  lend->add_option("--to", o->to, "Låneren, fx \"Jens Hansen, Borgerservice\"")
      ->required()
      ->type_name("NAVN");
  lend->add_option("--due", o->due, "Afleveres senest, ÅÅÅÅ-MM-DD")->required()->type_name("DATO");
  lend->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  BindMasked(lend, ctx, o, Lend);

  CLI::App* ret = cmd->add_subcommand("return", "Registrér at et udlån er kommet tilbage");
  ret->add_option("DOC|CODE", o->item, "Dokumentets id eller kassens stregkode")->required();
  ret->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  BindMasked(ret, ctx, o, Return);

  CLI::App* where = cmd->add_subcommand("where", "Hvor er originalen til et dokument?");
  where->add_option("DOC", o->item, "Dokumentets id i journalen")->required();
  where->add_flag("--json", o->json, "Skriv svaret som JSON");
  BindMasked(where, ctx, o, Where);

  CLI::App* overdue = cmd->add_subcommand("overdue", "Udlån der skulle være afleveret");
  overdue->add_option("--on", o->on, "Pr. denne dato, ÅÅÅÅ-MM-DD (standard: i dag)")
      ->type_name("DATO");
  overdue->add_flag("--json", o->json, "Skriv udlånene som JSON");
  BindMasked(overdue, ctx, o, Overdue);

  CLI::App* loans = cmd->add_subcommand("loans", "Alle udlån der ikke er afleveret");
  loans->add_flag("--json", o->json, "Skriv udlånene som JSON");
  BindMasked(loans, ctx, o, Loans);

  CLI::App* unplaced = cmd->add_subcommand(
      "unplaced", "Originaler der skal opbevares, men endnu ikke ligger i en kasse");
  unplaced->add_flag("--json", o->json, "Skriv listen som JSON");
  BindMasked(unplaced, ctx, o, Unplaced);

  CLI::App* history = cmd->add_subcommand("history", "Alt der er sket med en original eller kasse");
  history->add_option("DOC|CODE", o->item, "Dokumentets id eller stregkoden")->required();
  history->add_flag("--json", o->json, "Skriv hændelserne som JSON");
  BindMasked(history, ctx, o, History);

  CLI::App* dispose = cmd->add_subcommand(
      "dispose", "Bestem hvad der sker med originalen: opbevares, returneres, destrueres, afvent");
  dispose->add_option("DOC", o->item, "Dokumentets id i journalen")->required();
  dispose->add_option("--disposition", o->disposition, "keep, return, destroy eller pending")
      ->required()
      ->type_name("VALG");
  dispose->add_option("--box", o->box, "Kassen originalen lægges i (keep, pending)")
      ->type_name("CODE");
  dispose
      ->add_option("--approval", o->approval,
                   "Destruktionsgodkendelsens reference, fx AR-2026-17 (destroy)")
      ->type_name("REF");
  dispose
      ->add_option("--approval-date", o->approval_date, "Godkendelsens dato, ÅÅÅÅ-MM-DD (destroy)")
      ->type_name("DATO");
  dispose->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  BindMasked(dispose, ctx, o, Dispose);

  CLI::App* destroy = cmd->add_subcommand(
      "destroy", "Registrér at en original er destrueret (kræver godkendt destruktion)");
  destroy->add_option("DOC", o->item, "Dokumentets id i journalen")->required();
  destroy->add_option("--method", o->method, "Hvordan, fx makulering")
      ->required()
      ->type_name("METODE");
  destroy->add_option("--note", o->note, "En bemærkning")->type_name("TEKST");
  BindMasked(destroy, ctx, o, Destroy);

  CLI::App* transfer = cmd->add_subcommand(
      "transfer", "Aflever en original eller kasse til stadsarkivet (endeligt)");
  transfer->add_option("DOC|CODE", o->item, "Dokumentets id eller stregkoden")->required();
  transfer->add_option("--to", o->to, "Stadsarkivets stregkode")->required()->type_name("CODE");
  transfer->add_option("--reference", o->reference, "Afleveringens reference")
      ->required()
      ->type_name("REF");
  BindMasked(transfer, ctx, o, Transfer);

  CLI::App* lookup = cmd->add_subcommand(
      "lookup", "Slå en stregkode op (håndscanner, skrevet eller fra et scannet billede)");
  auto* code = lookup->add_option("CODE", o->item,
                                  "Stregkoden (uden: læs en kode pr. linje fra standardinput)");
  lookup
      ->add_option("--image", o->image, "Læs stregkoderne fra et scannet billede (PNG, TIFF, JPEG)")
      ->type_name("FIL")
      ->excludes(code);
  BindMasked(lookup, ctx, o, Lookup);
}

}  // namespace intake::station
