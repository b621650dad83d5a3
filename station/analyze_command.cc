// `station analyze FILE... [--json]`: runs the page pipeline on image files and reports,
// per page, orientation, skew, blank flag, barcodes, OCR confidence and text.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <ostream>
#include <thread>

#include "base/log.h"
#include "ocr/image_io.h"
#include "ocr/pipeline.h"
#include "station/command_context.h"
#include "station/interrupt.h"
#include "station/page_json.h"
#include "station/pipeline_setup.h"
#include "station/progress.h"

namespace intake::station {
namespace {

struct AnalyzeOptions {
  std::vector<std::string> files;
  bool json = false;
  std::string languages;  // empty: ocr.languages
  int jobs = -1;          // -1: ocr.workers
  int assumed_dpi = 300;
  bool no_ocr = false;
  std::string debug_dir;
};

// "1,23" — Danish decimal comma.
std::string DanishNumber(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  return s;
}

std::string OrientationText(const ocr::OrientationResult& o) {
  if (!o.decided) {
    return o.method == "none" ? "uændret (for lidt tekst til at afgøre)"
                              : "uændret (usikker, ikke vendt)";
  }
  if (o.degrees == 0) return "opret";
  return "vendt " + std::to_string(o.degrees) + "° med uret (" +
         (o.method == "ocr" ? std::string("afgjort ved OCR") : std::string("layout")) + ")";
}

void PrintPage(std::ostream& out, const ocr::PageAnalysis& a, int total) {
  out << "Side " << a.index + 1 << " af " << total << " — " << a.source << ", side "
      << a.source_page;
  if (a.dpi > 0) out << " (" << a.dpi << " dpi" << (a.dpi_assumed ? ", antaget" : "") << ")";
  out << "\n";
  if (a.error && a.orientation.method.empty()) {
    out << "  FEJL: " << a.error->message() << "\n\n";
    return;
  }
  out << "  Orientering: " << OrientationText(a.orientation) << "\n";
  out << "  Skævhed:     ";
  if (a.blank.blank) {
    out << "ikke målt (blank side)\n";
  } else if (a.skew.found) {
    out << DanishNumber(a.skew.degrees, 2) << "°" << (a.skew_corrected ? " (rettet)" : "")
        << "\n";
  } else {
    out << "ukendt (ingen tekstlinjer)\n";
  }
  out << "  Blank:       " << (a.blank.blank ? "ja" : "nej") << "\n";
  out << "  Stregkoder:  ";
  if (a.barcodes.empty()) out << "ingen";
  for (size_t i = 0; i < a.barcodes.size(); ++i) {
    const auto& b = a.barcodes[i];
    out << (i ? "; " : "") << b.format << " \"" << b.text << "\" ved (" << b.bounds.x << ", "
        << b.bounds.y << ")";
  }
  out << "\n";
  if (a.error) out << "  FEJL: " << a.error->message() << "\n";
  if (a.ocr) {
    out << "  OCR:         sikkerhed " << DanishNumber(a.ocr->mean_confidence, 0) << " %, "
        << a.ocr->words.size() << " ord\n";
    out << "  Tekst:\n";
    size_t start = 0;
    const std::string& text = a.ocr->text;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      out << "    " << text.substr(start, end - start) << "\n";
      start = end + 1;
    }
  } else if (a.blank.blank) {
    out << "  OCR:         sprunget over (blank side)\n";
  }
  out << "\n";
}

ExitCode Analyze(CommandContext& ctx, const AnalyzeOptions& opts) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());

  ocr::ImageLoadOptions load;
  load.assumed_dpi = opts.assumed_dpi;

  // Count the pages first (the progress display needs the total); the feeder opens each
  // file again when its turn comes, so only one file's bytes are held at a time.
  int total_pages = 0;
  for (const auto& path : opts.files) {
    auto reader = ocr::ImageFileReader::Open(path, load);
    total_pages += reader ? reader->page_count() : 1;
  }

  ocr::PipelineOptions popts;
  popts.workers = opts.jobs >= 0 ? opts.jobs : cfg->ocr.workers;
  popts.max_pages_in_memory = cfg->ocr.max_pages_in_memory;
  popts.page_timeout = std::chrono::seconds(cfg->ocr.page_timeout_s);
  popts.preprocess.debug_dir = opts.debug_dir;
  popts.keep_images = false;
  const ocr::OcrEngineFactory factory = MakeEngineFactory(
      opts.languages.empty() ? cfg->ocr.languages : opts.languages, opts.no_ocr);
  auto pipeline = ocr::PagePipeline::Start(popts, factory);
  if (!pipeline) return ctx.Fail(pipeline.error());
  ocr::PagePipeline& pipe = **pipeline;

  const auto started = std::chrono::steady_clock::now();
  // The feeder decodes pages while the workers process earlier ones.
  std::thread feeder([&] { FeedFiles(pipe, opts.files, load); });

  Progress progress(ctx.err, ctx.interactive, "Analyserer sider", total_pages);
  nlohmann::json pages = nlohmann::json::array();
  int failed = 0, blank = 0, turned = 0, with_codes = 0, done = 0;
  while (std::optional<ocr::ProcessedPage> page = pipe.Next()) {
    const ocr::PageAnalysis& a = page->analysis;
    ++done;
    if (a.error) {
      ++failed;
      LOG(kWarning) << a.error->message();
    }
    if (a.blank.blank) ++blank;
    if (a.orientation.decided && a.orientation.degrees != 0) ++turned;
    if (!a.barcodes.empty()) ++with_codes;
    if (opts.json) {
      pages.push_back(PageAnalysisToJson(a));
    } else {
      PrintPage(ctx.out, a, total_pages);
    }
    progress.Update(done);
    if (InterruptRequested()) {
      pipe.Cancel();
      break;
    }
  }
  feeder.join();
  progress.Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (opts.json) {
    ctx.out << nlohmann::json{{"pages", pages},
                              {"summary",
                               {{"pages", done},
                                {"seconds", seconds},
                                {"failed", failed},
                                {"blank", blank},
                                {"turned", turned},
                                {"with_barcodes", with_codes},
                                {"workers", pipe.workers()}}}}
                   .dump(2)
            << "\n";
  } else {
    ctx.out << done << " sider analyseret på " << DanishNumber(seconds, 1) << " s ("
            << DanishNumber(done ? seconds / done : 0, 2) << " s/side, " << pipe.workers()
            << " arbejdstråde): " << blank << " blanke, " << turned << " vendt, " << with_codes
            << " med stregkode, " << failed << " med fejl.\n";
  }
  if (InterruptRequested()) return kExitInterrupted;
  if (failed > 0) {
    ctx.err << "fejl: " << failed << (failed == 1 ? " side" : " sider")
            << " kunne ikke behandles; se meddelelserne ovenfor.\n";
    return kExitInput;
  }
  return kExitOk;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Analysér scannede sider: orientering, skævhed, blank side, stregkoder og OCR-tekst");
  cmd->add_option("FILE", opts->files, "Billedfiler (PNG, TIFF, JPEG; TIFF kan have flere sider)")
      ->required();
  cmd->add_flag("--json", opts->json, "Skriv resultatet som JSON");
  cmd->add_option("--lang", opts->languages, "OCR-sprog, fx dan eller dan+eng (standard: ocr.languages)")
      ->type_name("SPROG");
  cmd->add_option("--jobs", opts->jobs, "Antal arbejdstråde (standard: ocr.workers)")
      ->check(CLI::Range(0, 64))
      ->type_name("N");
  cmd->add_option("--dpi", opts->assumed_dpi,
                  "Opløsning der antages når filen ikke angiver den (standard: 300)")
      ->check(CLI::Range(50, 2400))
      ->type_name("N");
  cmd->add_flag("--no-ocr", opts->no_ocr, "Spring OCR over (kun billedbehandling)");
  cmd->add_option("--debug-dir", opts->debug_dir,
                  "Gem mellemresultaterne af hver side som PNG i denne mappe")
      ->type_name("MAPPE");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Analyze(ctx, *opts); }; });
}

}  // namespace intake::station
