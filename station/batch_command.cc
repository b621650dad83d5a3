// `station batch list|show|split|merge|move|rotate|remove|restore|journal`,
// `station journal BATCH:N` and `station refile DOC --to REF --reason R`: from intake
// batches to journalised documents (station/batch_journal.h, station/batch_plan.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "base/working_days.h"
#include "station/batch_journal.h"
#include "station/batch_json.h"
#include "station/command_context.h"
#include "station/journal_access.h"
#include "station/progress.h"
#include "station/thumbnails.h"

namespace intake::station {
namespace {

using nlohmann::json;

struct BatchOptions {
  std::string batch;
  int document = 0;
  int page = 0;
  int to_document = 0;
  int position = 0;
  int degrees = 0;
  std::string reason;
  bool json = false;
  bool repropose = false;
  bool all = false;
  // journal
  std::string doc_ref;  // BATCH:N
  std::string case_ref;
  std::string system;
  std::string title;
  std::string description;
  std::string direction = "in";
  std::string doc_type;
  std::string override_party;
  // the paper original (storage/archive.h)
  std::string original;
  std::string box;
  std::string approval;
  std::string approval_date;
  // refile
  int64_t document_id = 0;
  std::string to_case;
};

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

struct Session {
  JournalSession journal;
  std::optional<storage::PageSpool> spool;
  std::optional<BatchContext> ctx;
};

Result<std::unique_ptr<Session>> OpenSession(CommandContext& cmd) {
  auto s = std::make_unique<Session>();
  Result<JournalSession> journal = OpenJournalSession(cmd);
  if (!journal) return journal.error();
  s->journal = std::move(*journal);
  Result<storage::PageSpool> spool =
      storage::PageSpool::Open(s->journal.config.station.data_dir + "/spool");
  if (!spool) return spool.error();
  s->spool.emplace(std::move(*spool));
  s->ctx.emplace(BatchContext{s->journal.config, *s->spool, *s->journal.journal,
                              s->journal.viewer, s->journal.actor});
  return s;
}

void PrintDocument(std::ostream& out, const PreparedBatch& b, const PlanDocument& d) {
  out << "\nDokument " << d.number << " (" << b.record.id << ":" << d.number << "): sider";
  for (int seq : d.pages) {
    const PlanPage* p = b.plan.FindPage(seq);
    out << " " << seq << (p != nullptr && p->blank ? "(blank)" : "")
        << (p != nullptr && p->rotation != 0 ? "(drejet " + std::to_string(p->rotation) + "°)"
                                             : "");
  }
  out << "\n  Start: " << d.start_reason << "\n";
  if (d.journal_document_id) {
    out << "  JOURNALISERET som dokument " << *d.journal_document_id << ": " << d.journal_title
        << "\n";
    return;
  }
  if (d.candidates.empty()) out << "  Sag: ingen forslag\n";
  for (const CaseChoice& c : d.candidates) {
    const bool chosen = d.proposed_case_id && *d.proposed_case_id == c.case_id;
    out << "  " << (chosen ? "Foreslået sag: " : "Kandidat: ") << c.system << " " << c.reference
        << " »" << c.title << "« (" << static_cast<int>(c.confidence * 100 + 0.5) << " %)\n";
    for (const std::string& r : c.reasons) out << "      " << r << "\n";
  }
  out << "  Titelforslag: " << (d.suggested_title.empty() ? "(intet)" : d.suggested_title) << "\n";
  for (const std::string& p : d.title_problems) out << "      titel: " << p << "\n";
  for (const std::string& m : d.party_messages) out << "  Part: " << m << "\n";
  if (d.party_blocked) out << "  BLOKERET af partskontrollen\n";
  for (const std::string& w : d.warnings) out << "  Advarsel: " << w << "\n";
  for (const std::string& w : d.case_warnings) out << "  Advarsel: " << w << "\n";
}

ExitCode Show(CommandContext& cmd, const BatchOptions& o) {
  auto s = OpenSession(cmd);
  if (!s) return cmd.Fail(s.error());
  auto b = PrepareBatch(*(*s)->ctx, o.batch, o.repropose);
  if (!b) return cmd.Fail(b.error());
  if (o.json) {
    cmd.out << Dump(BatchJson(*(*s)->spool, *b)) << "\n";
    return kExitOk;
  }
  cmd.out << "Batch " << b->record.id << (b->record.info.name.empty() ? "" : " »" + b->record.info.name + "«")
          << ": modtaget " << b->record.info.received_date << ", " << b->record.pages.size()
          << " sider, " << b->plan.documents.size() << " dokumenter ("
          << b->documents_open << " ikke journaliseret), "
          << WaitingText(b->waiting_working_days) << ".\n";
  if (b->documents_open > 0 && b->waiting_working_days > kMaxWaitingWorkingDays) {
    cmd.out << "ADVARSEL: batchen har ventet mere end én arbejdsdag på journalisering.\n";
  }
  for (const PlanDocument& d : b->plan.documents) PrintDocument(cmd.out, *b, d);
  for (const PlanPage& p : b->plan.pages) {
    if (p.role == PageRole::kRemoved) {
      cmd.out << "\nSide " << p.seq << " er fjernet: " << p.removed_reason << "\n";
    }
  }
  return kExitOk;
}

ExitCode List(CommandContext& cmd, const BatchOptions& o) {
  auto s = OpenSession(cmd);
  if (!s) return cmd.Fail(s.error());
  auto ids = (*s)->spool->ListBatches();
  if (!ids) return cmd.Fail(ids.error());
  json list = json::array();
  for (const std::string& id : *ids) {
    std::optional<json> entry = BatchListEntry(*(*s)->spool, id, o.all);
    if (entry) list.push_back(std::move(*entry));
  }
  if (o.json) {
    cmd.out << Dump(list) << "\n";
    return kExitOk;
  }
  if (list.empty()) {
    cmd.out << "Ingen batches venter på journalisering.\n";
    return kExitOk;
  }
  int late = 0;
  for (const json& b : list) {
    if (b.contains("error")) {
      cmd.out << b["batch"].get<std::string>() << "  FEJL: " << b["error"].get<std::string>()
              << "\n";
      continue;
    }
    const int open = b["documents_open"].get<int>();
    cmd.out << b["batch"].get<std::string>() << "  modtaget " << b["received_date"].get<std::string>()
            << "  " << b["pages"].get<size_t>() << " sider  "
            << (open < 0 ? std::string("ikke foreslået endnu")
                         : std::to_string(open) + " af " + std::to_string(b["documents"].get<int>()) +
                               " dokumenter venter")
            << "  " << WaitingText(b["waiting_working_days"].get<int>())
            << (b["late"].get<bool>() ? "  FOR SENT" : "") << "\n";
    late += b["late"].get<bool>() ? 1 : 0;
  }
  if (late > 0) {
    cmd.out << late << (late == 1 ? " batch har" : " batches har")
            << " ventet mere end én arbejdsdag; journalisér dem i dag.\n";
  }
  return kExitOk;
}

// Applies one edit to the plan and proposes again for what changed.
ExitCode Edit(CommandContext& cmd, const BatchOptions& o,
              const std::function<Status(BatchPlan&, const std::string&)>& edit) {
  auto s = OpenSession(cmd);
  if (!s) return cmd.Fail(s.error());
  auto b = PrepareBatch(*(*s)->ctx, o.batch);
  if (!b) return cmd.Fail(b.error());
  Status changed = edit(b->plan, (*s)->journal.actor.name);
  if (!changed) return cmd.Fail(changed.error());
  Status saved = SavePlan((*s)->spool->BatchDir(o.batch), b->plan);
  if (!saved) return cmd.Fail(saved.error());
  auto again = PrepareBatch(*(*s)->ctx, o.batch);
  if (!again) return cmd.Fail(again.error());
  cmd.out << again->plan.history.back().detail << ".\n";
  for (const PlanDocument& d : again->plan.documents) PrintDocument(cmd.out, *again, d);
  return kExitOk;
}

Result<std::pair<std::string, int>> ParseDocRef(const std::string& ref) {
  const size_t colon = ref.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= ref.size() ||
      ref.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
      ref.size() - colon > 6) {
    return Error(ErrorCode::kInvalidArgument,
                 "dokumentet \"" + ref + "\" skal skrives BATCH:NR, fx 20261126-153012-4f2a:3 "
                 "(se 'station batch show BATCH')");
  }
  return std::make_pair(ref.substr(0, colon), std::stoi(ref.substr(colon + 1)));
}

// The original's disposition from --original, --box, --approval and --approval-date;
// nullopt when none was given (the configured default applies).
Result<std::optional<storage::OriginalDisposition>> OriginalFrom(const BatchOptions& o) {
  if (o.original.empty() && o.box.empty() && o.approval.empty() && o.approval_date.empty()) {
    return std::optional<storage::OriginalDisposition>();
  }
  storage::OriginalDisposition d;
  if (!o.original.empty()) {
    const std::optional<storage::Disposition> parsed = storage::ParseDisposition(o.original);
    if (!parsed) {
      return Error(ErrorCode::kInvalidArgument,
                   "--original skal være keep (opbevar), return (returnér til afsender), "
                   "destroy (destruktion godkendt) eller pending (afvent), ikke \"" +
                       o.original + "\"");
    }
    d.disposition = *parsed;
  } else if (!o.approval.empty() || !o.approval_date.empty()) {
    d.disposition = storage::Disposition::kDestructionApproved;
  }
  d.location_barcode = NonEmpty(o.box);
  d.approval_ref = NonEmpty(o.approval);
  d.approval_date = NonEmpty(o.approval_date);
  return std::optional<storage::OriginalDisposition>(std::move(d));
}

void PrintOutcome(std::ostream& out, const std::string& id, const JournalOutcome& r) {
  out << id << (r.existing ? ": var allerede journaliseret" : ": journaliseret") << " som dokument "
      << r.document.id << " (nr. " << r.document.doc_number << ") på sag "
      << r.case_record.system << " " << r.case_record.reference << ": " << r.document.title
      << "\n";
  if (!r.original.empty()) out << "  " << r.original << "\n";
  for (const std::string& w : r.warnings) out << "  advarsel: " << w << "\n";
}

ExitCode JournalOne(CommandContext& cmd, const BatchOptions& o) {
  auto ref = ParseDocRef(o.doc_ref);
  if (!ref) return cmd.Fail(ref.error());
  auto direction = storage::ParseDirection(o.direction);
  if (!direction) {
    return cmd.Fail(Error(ErrorCode::kInvalidArgument,
                          "--direction skal være in, out eller internal (ind-, udgående, "
                          "internt), ikke \"" + o.direction + "\""));
  }
  auto original = OriginalFrom(o);
  if (!original) return cmd.Fail(original.error());
  auto s = OpenSession(cmd);
  if (!s) return cmd.Fail(s.error());
  auto b = PrepareBatch(*(*s)->ctx, ref->first);
  if (!b) return cmd.Fail(b.error());
  JournalRequest request;
  request.batch_id = ref->first;
  request.document = ref->second;
  request.case_reference = NonEmpty(o.case_ref);
  request.system = NonEmpty(o.system);
  request.title = NonEmpty(o.title);
  request.description = NonEmpty(o.description);
  request.doc_type = NonEmpty(o.doc_type);
  request.direction = *direction;
  request.party_override_reason = NonEmpty(o.override_party);
  request.original = *original;
  const PlanDocument* planned = b->plan.FindDocument(ref->second);
  Progress progress(cmd.err, cmd.interactive, "Skriver PDF/A, sider",
                    planned != nullptr ? static_cast<int>(planned->pages.size()) : 0);
  auto outcome = JournaliseBatchDocument(*(*s)->ctx, *b, request,
                                         [&](int done, int) { progress.Update(done); });
  progress.Finish();
  if (!outcome) return cmd.Fail(outcome.error());
  PrintOutcome(cmd.out, o.doc_ref, *outcome);
  return kExitOk;
}

ExitCode JournalBatch(CommandContext& cmd, const BatchOptions& o) {
  auto original = OriginalFrom(o);
  if (!original) return cmd.Fail(original.error());
  if (*original && (*original)->disposition == storage::Disposition::kDestructionApproved) {
    return cmd.Fail(Error(ErrorCode::kInvalidArgument,
                          "destruktion godkendes for ét dokument ad gangen: brug 'station journal "
                          "BATCH:NR --original destroy --approval REF --approval-date DATO'"));
  }
  auto s = OpenSession(cmd);
  if (!s) return cmd.Fail(s.error());
  auto b = PrepareBatch(*(*s)->ctx, o.batch);
  if (!b) return cmd.Fail(b.error());
  int done = 0, refused = 0;
  const int total = static_cast<int>(b->plan.documents.size());
  for (int n = 1; n <= total; ++n) {
    JournalRequest request;
    request.batch_id = o.batch;
    request.document = n;
    request.original = *original;
    auto outcome = JournaliseBatchDocument(*(*s)->ctx, *b, request);
    const std::string id = o.batch + ":" + std::to_string(n);
    if (!outcome) {
      ++refused;
      cmd.err << "ikke journaliseret: " << outcome.error().message() << "\n";
      if (ExitCodeFor(outcome.error()) == kExitData || ExitCodeFor(outcome.error()) == kExitInternal) {
        return ExitCodeFor(outcome.error());
      }
      continue;
    }
    ++done;
    PrintOutcome(cmd.out, id, *outcome);
    cmd.err << "Journaliseret " << done << " af " << total << " dokumenter\n";
  }
  cmd.out << "Batch " << o.batch << ": " << done << " dokumenter journaliseret, " << refused
          << " kræver en afgørelse (station batch show " << o.batch << ").\n";
  return refused > 0 ? kExitDegraded : kExitOk;
}

ExitCode Refile(CommandContext& cmd, const BatchOptions& o) {
  auto s = OpenSession(cmd);
  if (!s) return cmd.Fail(s.error());
  storage::Journal& journal = *(*s)->journal.journal;
  auto target = journal.FindCaseByReference(o.system, o.to_case, (*s)->journal.viewer);
  if (!target) return cmd.Fail(target.error());
  auto before = journal.GetDocument(o.document_id, (*s)->journal.viewer);
  if (!before) return cmd.Fail(before.error());
  auto old_case = journal.GetCase(before->case_id, (*s)->journal.viewer);
  if (!old_case) return cmd.Fail(old_case.error());
  auto moved = journal.Refile(o.document_id, target->id, o.reason, (*s)->journal.actor);
  if (!moved) return cmd.Fail(moved.error());
  cmd.out << "Dokument " << moved->id << " »" << moved->title << "« er flyttet fra sag "
          << old_case->reference << " (nr. " << before->doc_number << ") til sag "
          << target->reference << " (nr. " << moved->doc_number
          << "). Sag " << old_case->reference << " har fået en note om flytningen.\n";
  return kExitOk;
}

}  // namespace

ExitCode ProposeAfterIntake(CommandContext& cmd, const std::string& batch_id) {
  auto s = OpenSession(cmd);
  if (!s) {
    cmd.err << "advarsel: intet forslag til dokumenter: " << s.error().message() << "\n";
    return kExitDegraded;
  }
  auto b = PrepareBatch(*(*s)->ctx, batch_id);
  if (!b) {
    cmd.err << "advarsel: intet forslag til dokumenter: " << b.error().message() << "\n";
    return kExitDegraded;
  }
  cmd.out << "Forslag: " << b->plan.documents.size()
          << (b->plan.documents.size() == 1 ? " dokument" : " dokumenter") << ".\n";
  for (const PlanDocument& d : b->plan.documents) {
    cmd.out << "  " << d.number << ": " << d.pages.size()
            << (d.pages.size() == 1 ? " side" : " sider") << ", ";
    const CaseChoice* chosen = nullptr;
    for (const CaseChoice& c : d.candidates) {
      if (d.proposed_case_id && c.case_id == *d.proposed_case_id) chosen = &c;
    }
    if (d.journal_document_id) {
      cmd.out << "journaliseret";
    } else if (d.party_blocked) {
      cmd.out << "BLOKERET af partskontrollen";
    } else if (chosen != nullptr) {
      cmd.out << "sag " << chosen->reference << " ("
              << static_cast<int>(chosen->confidence * 100 + 0.5) << " %)";
    } else {
      cmd.out << (d.candidates.empty() ? "ingen sag fundet"
                                       : std::to_string(d.candidates.size()) +
                                             " mulige sager; vælg selv");
    }
    cmd.out << ": " << (d.suggested_title.empty() ? "(ingen titel)" : d.suggested_title)
            << (d.title_problems.empty() ? "" : " [titlen skal rettes]") << "\n";
  }
  cmd.out << "Se forslaget: station batch show " << batch_id
          << "   Journalisér: station batch journal " << batch_id << "\n";
  return kExitOk;
}

void AddBatchCommands(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<BatchOptions>();
  CLI::App* batch = app.add_subcommand(
      "batch", "Indscannede batches: forslag til dokumenter, sager og titler, ret og journalisér");
  batch->require_subcommand(1);

  CLI::App* list = batch->add_subcommand("list", "Vis batches der venter, og hvor længe");
  list->add_flag("--json", o->json, "Skriv listen som JSON");
  list->add_flag("--all", o->all, "Også færdigt journaliserede batches");
  list->callback([&ctx, o] { ctx.action = [&ctx, o] { return List(ctx, *o); }; });

  CLI::App* show = batch->add_subcommand(
      "show", "Vis en batch: sider, foreslåede dokumenter, sager med begrundelse, titler, "
              "advarsler");
  show->add_option("BATCH", o->batch, "Batchens id")->required();
  show->add_flag("--json", o->json, "Skriv som JSON (med stier til miniaturer)");
  show->add_flag("--repropose", o->repropose,
                 "Foreslå sager og titler igen (fx efter nye sager i journalen)");
  show->callback([&ctx, o] { ctx.action = [&ctx, o] { return Show(ctx, *o); }; });

  CLI::App* split = batch->add_subcommand("split", "Del et dokument før en side");
  split->add_option("BATCH", o->batch, "Batchens id")->required();
  split->add_option("DOC", o->document, "Dokumentets nummer")->required();
  split->add_option("PAGE", o->page, "Den side det nye dokument starter med")->required();
  split->callback([&ctx, o] {
    ctx.action = [&ctx, o] {
      return Edit(ctx, *o, [o](BatchPlan& p, const std::string& who) {
        return SplitBefore(p, o->document, o->page, who);
      });
    };
  });

  CLI::App* merge = batch->add_subcommand("merge", "Læg et dokument sammen med det næste");
  merge->add_option("BATCH", o->batch, "Batchens id")->required();
  merge->add_option("DOC", o->document, "Dokumentets nummer")->required();
  merge->callback([&ctx, o] {
    ctx.action = [&ctx, o] {
      return Edit(ctx, *o, [o](BatchPlan& p, const std::string& who) {
        return MergeWithNext(p, o->document, who);
      });
    };
  });

  CLI::App* move = batch->add_subcommand("move", "Flyt en side til et andet dokument eller sted");
  move->add_option("BATCH", o->batch, "Batchens id")->required();
  move->add_option("PAGE", o->page, "Siden")->required();
  move->add_option("--to", o->to_document, "Dokumentet siden flyttes til")->required();
  move->add_option("--position", o->position, "Placering i dokumentet (1 = først; 0 = sidst)");
  move->callback([&ctx, o] {
    ctx.action = [&ctx, o] {
      return Edit(ctx, *o, [o](BatchPlan& p, const std::string& who) {
        return MovePage(p, o->page, o->to_document, o->position, who);
      });
    };
  });

  CLI::App* rotate = batch->add_subcommand("rotate", "Drej en side 90, 180 eller 270 grader");
  rotate->add_option("BATCH", o->batch, "Batchens id")->required();
  rotate->add_option("PAGE", o->page, "Siden")->required();
  rotate->add_option("DEGREES", o->degrees, "Grader med uret: 90, 180 eller 270")->required();
  rotate->callback([&ctx, o] {
    ctx.action = [&ctx, o] {
      return Edit(ctx, *o, [o](BatchPlan& p, const std::string& who) {
        return RotatePage(p, o->page, o->degrees, who);
      });
    };
  });

  CLI::App* remove = batch->add_subcommand(
      "remove", "Tag en side ud af sit dokument (siden bevares i batchen med begrundelsen)");
  remove->add_option("BATCH", o->batch, "Batchens id")->required();
  remove->add_option("PAGE", o->page, "Siden")->required();
  remove->add_option("--reason", o->reason, "Hvorfor, fx \"dobbeltscannet\"")->required();
  remove->callback([&ctx, o] {
    ctx.action = [&ctx, o] {
      return Edit(ctx, *o, [o](BatchPlan& p, const std::string& who) {
        return RemovePage(p, o->page, o->reason, who);
      });
    };
  });

  CLI::App* restore = batch->add_subcommand("restore", "Læg en fjernet side tilbage");
  restore->add_option("BATCH", o->batch, "Batchens id")->required();
  restore->add_option("PAGE", o->page, "Siden")->required();
  restore->add_option("--to", o->to_document, "Dokumentet siden lægges i")->required();
  restore->callback([&ctx, o] {
    ctx.action = [&ctx, o] {
      return Edit(ctx, *o, [o](BatchPlan& p, const std::string& who) {
        return RestorePage(p, o->page, o->to_document, who);
      });
    };
  });

  CLI::App* journal_all = batch->add_subcommand(
      "journal", "Journalisér alle dokumenter med et sikkert forslag (de øvrige vises)");
  journal_all->add_option("BATCH", o->batch, "Batchens id")->required();
  journal_all
      ->add_option("--original", o->original,
                   "Papiroriginalerne: keep, return eller pending (standard: "
                   "archive.default_disposition)")
      ->type_name("DISPOSITION");
  journal_all->add_option("--box", o->box, "Læg de opbevarede originaler i denne kasse")
      ->type_name("STREGKODE");
  journal_all->callback([&ctx, o] { ctx.action = [&ctx, o] { return JournalBatch(ctx, *o); }; });

  CLI::App* journal = app.add_subcommand(
      "journal", "Journalisér et dokument fra en batch på en sag (gentagelse opretter intet nyt)");
  journal->add_option("DOC", o->doc_ref, "Dokumentet som BATCH:NR")->required();
  journal->add_option("--case", o->case_ref,
                      "Sagsnummeret (standard: stationens forslag, når det er sikkert)")
      ->type_name("SAGSNR");
  journal->add_option("--system", o->system, "ESDH-systemet, hvis sagsnummeret findes i flere");
  journal->add_option("--title", o->title, "Titel (standard: stationens forslag)")
      ->type_name("TEKST");
  journal->add_option("--description", o->description,
                      "Beskrivelse (påkrævet for billeder og tegninger)")
      ->type_name("TEKST");
  journal->add_option("--direction", o->direction, "in, out eller internal (standard: in)")
      ->type_name("RETNING");
  journal->add_option("--type", o->doc_type, "Dokumenttype, fx brev, klage, ansøgning")
      ->type_name("TYPE");
  journal->add_option("--override-party", o->override_party,
                      "Tilsidesæt partskontrollen med denne skriftlige begrundelse (logges)")
      ->type_name("BEGRUNDELSE");
  journal
      ->add_option("--original", o->original,
                   "Papiroriginalen: keep (opbevar), return (returnér til afsender), destroy "
                   "(destruktion godkendt) eller pending (standard: "
                   "archive.default_disposition)")
      ->type_name("DISPOSITION");
  journal->add_option("--box", o->box, "Kassen eller placeringen originalen lægges i")
      ->type_name("STREGKODE");
  journal->add_option("--approval", o->approval, "Destruktionsgodkendelsens reference")
      ->type_name("REF");
  journal
      ->add_option("--approval-date", o->approval_date,
                   "Destruktionsgodkendelsens dato (ÅÅÅÅ-MM-DD)")
      ->type_name("DATO");
  journal->callback([&ctx, o] { ctx.action = [&ctx, o] { return JournalOne(ctx, *o); }; });

  CLI::App* refile = app.add_subcommand(
      "refile", "Omjournalisér et dokument til en anden sag (historikken bevares)");
  refile->add_option("DOC", o->document_id, "Dokumentets id i journalen")->required();
  refile->add_option("--to", o->to_case, "Den rigtige sags nummer")->required()->type_name("SAGSNR");
  refile->add_option("--system", o->system, "ESDH-systemet, hvis sagsnummeret findes i flere");
  refile->add_option("--reason", o->reason, "Begrundelse (påkrævet; noteres på den gamle sag)")
      ->required()
      ->type_name("TEKST");
  refile->callback([&ctx, o] { ctx.action = [&ctx, o] { return Refile(ctx, *o); }; });
}

}  // namespace intake::station
