#include "web/router.h"

#include <algorithm>
#include <cassert>
#include <charconv>

#include "base/cpr_mask.h"

namespace intake::web {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return false;
  const std::vector<std::string> want = Segments(pattern);
  const std::vector<std::string> have = Segments(path);
  if (want.size() != have.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (have[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = have[i];
    } else if (w != have[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
  }
  return "?";
}

std::string ApiRequest::Query(const std::string& key, const std::string& fallback) const {
  const auto it = query.find(key);
  return it == query.end() ? fallback : it->second;
}

const std::string& ApiRequest::Param(const std::string& key) const {
  const auto it = params.find(key);
  assert(it != params.end());
  return it->second;
}

Result<nlohmann::json> ApiRequest::JsonBody() const {
  const std::string type = content_type.substr(0, content_type.find(';'));
  if (type != "application/json") {
    return Error(ErrorCode::kInvalidArgument,
                 "forespørgslens indhold skal være JSON (Content-Type: application/json)");
  }
  nlohmann::json value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // The parser's own message would quote the body; give the position only.
    return Error(ErrorCode::kInvalidArgument,
                 "forespørgslens indhold er ikke gyldig JSON; ret klientens data og prøv igen");
  }
  if (!value.is_object()) {
    return Error(ErrorCode::kInvalidArgument,
                 "forespørgslens indhold skal være et JSON-objekt ({…})");
  }
  return value;
}

ApiReply ApiReply::Json(const nlohmann::json& value, int status) {
  ApiReply reply;
  reply.status = status;
  reply.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return reply;
}

ApiReply ApiReply::Bytes(std::string body, std::string content_type,
                         const std::string& inline_name) {
  ApiReply reply;
  reply.body = std::move(body);
  reply.content_type = std::move(content_type);
  if (!inline_name.empty()) {
    std::string safe;
    for (char c : inline_name) {
      const bool ok =
          std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
      safe += ok ? c : '_';
    }
    reply.headers.emplace_back("Content-Disposition", "inline; filename=\"" + safe + "\"");
  }
  return reply;
}

void Router::Add(Route route) {
  assert(route.handler);
  assert(!route.pattern.empty() && route.pattern[0] == '/');
  for ([[maybe_unused]] const Route& r : routes_) {
    assert(!(r.method == route.method && r.pattern == route.pattern));
  }
  routes_.push_back(std::move(route));
}

const Route* Router::Match(Method method, const std::string& path,
                           std::map<std::string, std::string>* params) const {
  // Literal segments win over {name} segments: "/api/batches/latest" before
  // "/api/batches/{id}". Routes are few (dozens); a linear scan is enough.
  const Route* best = nullptr;
  int best_literals = -1;
  std::map<std::string, std::string> best_params;
  for (const Route& r : routes_) {
    if (r.method != method) continue;
    std::map<std::string, std::string> p;
    if (!MatchPattern(r.pattern, path, &p)) continue;
    const int literals = static_cast<int>(Segments(r.pattern).size()) - static_cast<int>(p.size());
    if (literals > best_literals) {
      best = &r;
      best_literals = literals;
      best_params = std::move(p);
    }
  }
  if (best != nullptr && params != nullptr) *params = std::move(best_params);
  return best;
}

bool Router::PathExists(const std::string& path) const {
  return std::any_of(routes_.begin(), routes_.end(),
                     [&](const Route& r) { return MatchPattern(r.pattern, path, nullptr); });
}

int HttpStatusFor(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kCancelled:
    case ErrorCode::kDeviceBusy:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeviceError:
      return 502;
    case ErrorCode::kIOError:
    case ErrorCode::kCorruption:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

nlohmann::json ErrorJson(const Error& error) {
  return nlohmann::json{{"error",
                         {{"code", std::string(ErrorCodeName(error.code()))},
                          {"message", MaskCpr(error.message())}}}};
}

bool HasRole(const Principal& principal, const std::vector<storage::Role>& roles) {
  if (principal.user.role == storage::Role::kAdministrator || roles.empty()) return true;
  return std::find(roles.begin(), roles.end(), principal.user.role) != roles.end();
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& body,
                                                  const std::string& field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Error(ErrorCode::kInvalidArgument, "feltet \"" + field + "\" skal være en tekst");
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> RequiredString(const nlohmann::json& body, const std::string& field) {
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field));
  if (!value) {
    return Error(ErrorCode::kInvalidArgument, "feltet \"" + field + "\" mangler");
  }
  return *value;
}

Result<int64_t> RequiredInt(const nlohmann::json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    return Error(ErrorCode::kInvalidArgument, "feltet \"" + field + "\" mangler");
  }
  if (!it->is_number_integer()) {
    return Error(ErrorCode::kInvalidArgument, "feltet \"" + field + "\" skal være et heltal");
  }
  return it->get<int64_t>();
}

std::optional<std::string> NonBlank(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const size_t begin = text->find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return std::nullopt;
  const size_t end = text->find_last_not_of(" \t\r\n");
  return text->substr(begin, end - begin + 1);
}

Result<std::optional<storage::OriginalDisposition>> OptionalOriginal(const nlohmann::json& body) {
  if (!body.contains("original") || body["original"].is_null()) {
    return std::optional<storage::OriginalDisposition>();
  }
  const nlohmann::json& o = body["original"];
  if (!o.is_object()) {
    return Error(ErrorCode::kInvalidArgument,
                 "feltet \"original\" skal være et objekt, fx {\"disposition\": \"keep\", "
                 "\"box\": \"KASSE-1\"}");
  }
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> disposition, OptionalString(o, "disposition"));
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> box, OptionalString(o, "box"));
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> approval, OptionalString(o, "approval"));
  INTAKE_ASSIGN_OR_RETURN(std::optional<std::string> approval_date,
                          OptionalString(o, "approval_date"));
  storage::OriginalDisposition d;
  if (NonBlank(disposition)) {
    const std::optional<storage::Disposition> parsed = storage::ParseDisposition(*disposition);
    if (!parsed) {
      return Error(ErrorCode::kInvalidArgument,
                   "original.disposition skal være keep (opbevares), return (returneres til "
                   "afsender), pending (afventer beslutning) eller destroy (destruktion "
                   "godkendt), ikke \"" +
                       *disposition + "\"");
    }
    d.disposition = *parsed;
  } else if (NonBlank(approval) || NonBlank(approval_date)) {
    d.disposition = storage::Disposition::kDestructionApproved;
  } else if (!NonBlank(box)) {
    return std::optional<storage::OriginalDisposition>();
  }
  d.location_barcode = NonBlank(box);
  d.approval_ref = NonBlank(approval);
  d.approval_date = NonBlank(approval_date);
  return std::optional<storage::OriginalDisposition>(std::move(d));
}

Result<int64_t> ParseId(const std::string& text, const std::string& what) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return Error(ErrorCode::kInvalidArgument, what + " skal være et positivt heltal");
  }
  return value;
}

}  // namespace intake::web
