// `station config check FILE` and `station config show`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "config/loader.h"
#include "ocr/tesseract_engine.h"
#include "station/command_context.h"
#include "station/config_json.h"

namespace intake::station {
namespace {

struct ConfigOptions {
  std::string file;
  bool json = false;
};

ExitCode Check(CommandContext& ctx, const ConfigOptions& opts) {
  config::ParseOutcome outcome = config::LoadConfigFile(opts.file);
  // A valid file can still name OCR languages this machine lacks.
  if (outcome.config) {
    Status languages = ocr::CheckLanguages(outcome.config->ocr.languages, "");
    if (!languages) {
      config::ConfigIssue issue;
      issue.file = opts.file;
      issue.key = "ocr.languages";
      issue.message = languages.error().message();
      issue.fix = "installér sprogpakken eller vælg et installeret sprog";
      outcome.issues.push_back(std::move(issue));
      outcome.config.reset();
    }
  }
  if (opts.json) {
    nlohmann::json issues = nlohmann::json::array();
    for (const auto& issue : outcome.issues) issues.push_back(IssueToJson(issue));
    ctx.out << nlohmann::json{{"file", opts.file},
                              {"ok", outcome.issues.empty()},
                              {"issues", issues}}
                   .dump(2)
            << "\n";
  } else if (outcome.issues.empty()) {
    ctx.out << opts.file << ": konfigurationen er gyldig.\n";
  } else {
    for (const auto& issue : outcome.issues) ctx.err << issue.ToString() << "\n";
    ctx.err << opts.file << ": " << outcome.issues.size()
            << (outcome.issues.size() == 1 ? " fejl.\n" : " fejl.\n");
  }
  return outcome.issues.empty() ? kExitOk : kExitInput;
}

ExitCode Show(CommandContext& ctx, const ConfigOptions& opts) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error());
  if (opts.json) {
    ctx.out << ConfigToJson(*cfg).dump(2) << "\n";
  } else {
    ctx.out << config::ToToml(*cfg);
  }
  return kExitOk;
}

}  // namespace

void AddConfigCommands(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<ConfigOptions>();
  CLI::App* cmd = app.add_subcommand("config", "Kontrollér eller vis konfigurationen");
  cmd->require_subcommand(1);

  CLI::App* check = cmd->add_subcommand(
      "check", "Kontrollér en station.toml og rapportér hver fejl med linje, nøgle og løsning");
  check->add_option("FILE", opts->file, "Filen der skal kontrolleres")->required();
  check->add_flag("--json", opts->json, "Skriv resultatet som JSON");
  check->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Check(ctx, *opts); }; });

  CLI::App* show = cmd->add_subcommand(
      "show", "Vis den effektive konfiguration med enheder og standardværdier");
  show->add_flag("--json", opts->json, "Skriv konfigurationen som JSON");
  show->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return Show(ctx, *opts); }; });
}

}  // namespace intake::station
