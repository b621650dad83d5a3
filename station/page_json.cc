#include "station/page_json.h"

#include <nlohmann/json.hpp>

namespace intake::station {

nlohmann::json PageAnalysisToJson(const ocr::PageAnalysis& a) {
  using nlohmann::json;
  json barcodes = json::array();
  for (const auto& b : a.barcodes) {
    json corners = json::array();
    for (const auto& p : b.corners) corners.push_back({p.x, p.y});
    barcodes.push_back({{"format", b.format}, {"text", b.text}, {"corners", corners}});
  }
  json page = {
      {"index", a.index},
      {"source", a.source},
      {"source_page", a.source_page},
      {"dpi", a.dpi},
      {"dpi_assumed", a.dpi_assumed},
      {"orientation",
       {{"degrees", a.orientation.degrees},
        {"confidence", a.orientation.confidence},
        {"decided", a.orientation.decided},
        {"method", a.orientation.method}}},
      {"skew_degrees", a.skew.degrees},
      {"skew_confidence", a.skew.confidence},
      {"skew_corrected", a.skew_corrected},
      {"blank", a.blank.blank},
      {"blank_measures",
       {{"ink_fraction", a.blank.ink_fraction},
        {"marks", a.blank.marks},
        {"largest_mark_px", a.blank.largest_mark_px}}},
      {"content", ocr::PageContentName(a.content.content)},
      {"content_measures",
       {{"color_fraction", a.content.color_fraction}, {"tone_fraction", a.content.tone_fraction}}},
      {"barcodes", barcodes},
      {"mean_confidence", a.ocr ? a.ocr->mean_confidence : 0.0f},
      {"words", a.ocr ? a.ocr->words.size() : 0},
      {"text", a.ocr ? a.ocr->text : std::string()},
      {"ocr_engine", a.ocr_engine},
      {"error", a.error ? json(a.error->message()) : json(nullptr)},
      {"timings_ms",
       {{"preprocess", a.timings.preprocess_ms},
        {"barcodes", a.timings.barcodes_ms},
        {"ocr", a.timings.ocr_ms}}},
  };
  return page;
}

}  // namespace intake::station
