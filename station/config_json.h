// The configuration as JSON, for `station config show --json` and `status --json`.
#ifndef INTAKE_STATION_CONFIG_JSON_H_
#define INTAKE_STATION_CONFIG_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "config/config.h"
#include "config/loader.h"

namespace intake::station {

nlohmann::json ConfigToJson(const config::Config& config);
nlohmann::json IssueToJson(const config::ConfigIssue& issue);

}  // namespace intake::station

#endif  // INTAKE_STATION_CONFIG_JSON_H_
