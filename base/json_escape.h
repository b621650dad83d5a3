// Minimal JSON string escaping for the log file sink, which must not depend on a JSON
// library (base/ depends on nothing).
#ifndef INTAKE_BASE_JSON_ESCAPE_H_
#define INTAKE_BASE_JSON_ESCAPE_H_

#include <string>
#include <string_view>

namespace intake {

// Escapes quotes, backslashes and control characters; UTF-8 passes through unchanged.
std::string JsonEscape(std::string_view text);

}  // namespace intake

#endif  // INTAKE_BASE_JSON_ESCAPE_H_
