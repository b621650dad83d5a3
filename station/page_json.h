// The page analysis as JSON (`station analyze --json`, batch reports). The schema is
// documented in the README ("Page analysis JSON") and used by bench/ocr_bench.py.
#ifndef INTAKE_STATION_PAGE_JSON_H_
#define INTAKE_STATION_PAGE_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "ocr/pipeline.h"

namespace intake::station {

nlohmann::json PageAnalysisToJson(const ocr::PageAnalysis& page);

}  // namespace intake::station

#endif  // INTAKE_STATION_PAGE_JSON_H_
