// `station convert INPUT... -o OUT.pdf [--lang L] [--jobs N] [--json REPORT]`: scanned
// images through the page pipeline into one searchable PDF/A-2b. The output appears
// whole or not at all: any page that cannot be loaded or processed stops the document,
// no file is left, and the command exits with the input-error code naming the page.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <ostream>
#include <thread>

#include "base/atomic_file.h"
#include "base/log.h"
#include "ocr/image_io.h"
#include "ocr/pipeline.h"
#include "pdf/pdfa_writer.h"
#include "station/command_context.h"
#include "station/interrupt.h"
#include "station/page_json.h"
#include "station/page_raster.h"
#include "station/pipeline_setup.h"
#include "station/progress.h"

namespace intake::station {
namespace {

struct ConvertOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string languages;
  int jobs = -1;
  int assumed_dpi = 300;
  std::string report;
  std::string title;
  bool no_ocr = false;
};

std::string_view EncodingName(pdf::ImageEncoding e) {
  switch (e) {
    case pdf::ImageEncoding::kCcittG4: return "ccitt_g4";
    case pdf::ImageEncoding::kFlate: return "flate";
    case pdf::ImageEncoding::kJpeg: return "jpeg";
  }
  return "?";
}

ExitCode Convert(CommandContext& ctx, const ConvertOptions& opts) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());
  const std::filesystem::path out_path(opts.output);
  if (out_path.extension() != ".pdf") {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "uddatafilen " + opts.output + " skal have endelsen .pdf"));
  }
  std::error_code ec;
  const auto out_dir = out_path.has_parent_path() ? out_path.parent_path() : ".";
  if (!std::filesystem::is_directory(out_dir, ec)) {
    return ctx.Fail(Error(ErrorCode::kInvalidArgument,
                          "mappen " + out_dir.string() + " til uddatafilen findes ikke"));
  }

  auto writer = pdf::PdfAWriter::Create({});
  if (!writer) return ctx.Fail(writer.error());

  ocr::ImageLoadOptions load;
  load.assumed_dpi = opts.assumed_dpi;
  int total_pages = 0;
  for (const auto& path : opts.inputs) {
    auto reader = ocr::ImageFileReader::Open(path, load);
    total_pages += reader ? reader->page_count() : 1;
  }

  ocr::PipelineOptions popts;
  popts.workers = opts.jobs >= 0 ? opts.jobs : cfg->ocr.workers;
  popts.max_pages_in_memory = cfg->ocr.max_pages_in_memory;
  popts.page_timeout = std::chrono::seconds(cfg->ocr.page_timeout_s);
  popts.keep_images = true;
  const ocr::OcrEngineFactory factory = MakeEngineFactory(
      opts.languages.empty() ? cfg->ocr.languages : opts.languages, opts.no_ocr);
  auto pipeline = ocr::PagePipeline::Start(popts, factory);
  if (!pipeline) return ctx.Fail(pipeline.error());
  ocr::PagePipeline& pipe = **pipeline;

  const auto started = std::chrono::steady_clock::now();
  std::thread feeder([&] { FeedFiles(pipe, opts.inputs, load); });

  Progress progress(ctx.err, ctx.interactive, "Konverterer sider", total_pages);
  nlohmann::json pages = nlohmann::json::array();
  std::optional<Error> failure;
  int done = 0;
  while (std::optional<ocr::ProcessedPage> page = pipe.Next()) {
    ++done;
    nlohmann::json entry = PageAnalysisToJson(page->analysis);
    if (page->analysis.error) {
      failure = *page->analysis.error;
    } else {
      Result<pdf::PageContent> content = BuildPdfPage(*page, cfg->pdf);
      Status added = content ? (*writer)->AddPage(*content) : Status(content.error());
      if (!added) {
        failure = added.error().WithContext("side " + std::to_string(page->analysis.source_page) +
                                            " i " + page->analysis.source);
      } else {
        entry["pdf_encoding"] = EncodingName(content->encoding);
        entry["pdf_image_dpi"] = content->image.dpi;
      }
    }
    pages.push_back(std::move(entry));
    progress.Update(done);
    if (failure || InterruptRequested()) {
      pipe.Cancel();
      break;
    }
  }
  feeder.join();
  progress.Finish();

  auto write_report = [&](bool ok, uint64_t bytes) -> Status {
    if (opts.report.empty()) return OkStatus();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json report{{"output", ok ? nlohmann::json(opts.output) : nlohmann::json(nullptr)},
                          {"ok", ok},
                          {"bytes", bytes},
                          {"error", failure ? nlohmann::json(failure->message())
                                            : nlohmann::json(nullptr)},
                          {"pages", pages},
                          {"summary", {{"pages", done}, {"seconds", seconds}}}};
    return WriteFileAtomically(opts.report, report.dump(2) + "\n");
  };

  if (InterruptRequested() && !failure) {
    ctx.err << "afbrudt: ingen PDF skrevet.\n";
    return kExitInterrupted;
  }
  if (failure) {
    (void)write_report(false, 0);
    ctx.err << "fejl: " << failure->message() << "\n"
            << "Ingen PDF skrevet; ret eller fjern siden og kør igen.\n";
    return ExitCodeFor(*failure) == kExitInternal ? kExitInternal : kExitInput;
  }

  pdf::DocumentInfo info;
  info.title = opts.title.empty() ? out_path.stem().string() : opts.title;
  info.creator = "intake-station";
  Result<std::string> bytes = (*writer)->Finish(info);
  if (!bytes) return ctx.Fail(bytes.error());
  Status written = WriteFileAtomically(opts.output, *bytes);
  if (!written) return ctx.Fail(written.error());
  Status reported = write_report(true, bytes->size());
  if (!reported) return ctx.Fail(reported.error());
  ctx.out << opts.output << ": " << done << (done == 1 ? " side, " : " sider, ")
          << bytes->size() / 1024 << " KB, PDF/A-2b.\n";
  return kExitOk;
}

}  // namespace

void AddConvertCommand(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Lav scannede billeder om til én søgbar PDF/A-2b (med OCR-tekstlag)");
  cmd->add_option("INPUT", opts->inputs,
                  "Billedfiler (PNG, TIFF, JPEG; TIFF kan have flere sider), i sideorden")
      ->required();
  cmd->add_option("-o,--output", opts->output, "Den PDF der skal skrives (.pdf)")
      ->required()
      ->type_name("FIL");
  cmd->add_option("--lang", opts->languages, "OCR-sprog, fx dan eller dan+eng")
      ->type_name("SPROG");
  cmd->add_option("--jobs", opts->jobs, "Antal arbejdstråde (standard: ocr.workers)")
      ->check(CLI::Range(0, 64))
      ->type_name("N");
  cmd->add_option("--dpi", opts->assumed_dpi,
                  "Opløsning der antages når filen ikke angiver den (standard: 300)")
      ->check(CLI::Range(50, 2400))
      ->type_name("N");
  cmd->add_option("--json", opts->report, "Skriv en rapport med analysen af hver side som JSON")
      ->type_name("RAPPORT");
  cmd->add_option("--title", opts->title, "Dokumentets titel (standard: filnavnet)")
      ->type_name("TITEL");
  cmd->add_flag("--no-ocr", opts->no_ocr, "Uden OCR-tekstlag");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Convert(ctx, *opts); }; });
}

}  // namespace intake::station
