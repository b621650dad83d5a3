#include "station/config_json.h"

#include <nlohmann/json.hpp>

namespace intake::station {

nlohmann::json ConfigToJson(const config::Config& c) {
  using nlohmann::json;
  json profiles = json::array();
  for (const auto& p : c.scanner.profiles) {
    profiles.push_back({{"name", p.name},
                        {"device", p.device},
                        {"source", config::ScanSourceName(p.source)},
                        {"mode", config::ScanModeName(p.mode)},
                        {"dpi", p.dpi}});
  }
  json case_numbers = json::array();
  for (const auto& cn : c.case_numbers) {
    case_numbers.push_back(
        {{"system", cn.system}, {"pattern", cn.pattern}, {"example", cn.example}});
  }
  return {
      {"source", c.source},
      {"station",
       {{"id", c.station.id},
        {"data_dir", c.station.data_dir},
        {"log_level", c.station.log_level},
        {"log_file", c.station.log_file}}},
      {"journal",
       {{"backend", c.journal.backend},
        {"database", c.journal.database},
        {"file_store", c.journal.file_store},
        {"busy_timeout_ms", c.journal.busy_timeout_ms}}},
      {"ocr",
       {{"languages", c.ocr.languages},
        {"workers", c.ocr.workers},
        {"max_pages_in_memory", c.ocr.max_pages_in_memory},
        {"page_timeout_s", c.ocr.page_timeout_s}}},
      {"pdf",
       {{"image_mode", config::ImageModeName(c.pdf.image_mode)},
        {"photo_encoding", config::PhotoEncodingName(c.pdf.photo_encoding)},
        {"jpeg_quality", c.pdf.jpeg_quality},
        {"photo_dpi", c.pdf.photo_dpi}}},
      {"scanner", {{"default_profile", c.scanner.default_profile}, {"profiles", profiles}}},
      {"case_numbers", case_numbers},
      {"titles",
       {{"min_length", c.titles.min_length},
        {"max_length", c.titles.max_length},
        {"vague", c.titles.vague},
        {"accepted_abbreviations", c.titles.accepted_abbreviations},
        {"chat_shorthand", c.titles.chat_shorthand},
        {"strip_prefixes", c.titles.strip_prefixes}}},
      {"cpr", {{"no_check_digit_dates", c.cpr.no_check_digit_dates}}},
      {"archive",
       {{"destruction_types", c.archive.destruction_types},
        {"default_disposition", c.archive.default_disposition}}},
  };
}

nlohmann::json IssueToJson(const config::ConfigIssue& issue) {
  return {{"file", issue.file},       {"line", issue.line}, {"column", issue.column},
          {"key", issue.key},         {"message", issue.message},
          {"fix", issue.fix}};
}

}  // namespace intake::station
