#include "config/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace intake::config {

struct Pattern::Code {
  explicit Code(pcre2_code* c) : code(c) {}
  ~Code() { pcre2_code_free(code); }
  Code(const Code&) = delete;
  Code& operator=(const Code&) = delete;
  pcre2_code* code;
};

namespace {

struct MatchDataDeleter {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};
using MatchData = std::unique_ptr<pcre2_match_data, MatchDataDeleter>;

Result<pcre2_code*> CompileRaw(std::string_view expression, uint32_t extra_options) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()),
                                   expression.size(), PCRE2_UTF | PCRE2_UCP | extra_options,
                                   &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof buffer);
    return Error(ErrorCode::kInvalidArgument,
                 "ugyldigt regulært udtryk ved tegn " + std::to_string(error_offset + 1) +
                     ": " + reinterpret_cast<const char*>(buffer));
  }
  return code;
}

}  // namespace

Pattern::Pattern(std::string expression, std::shared_ptr<const Code> code,
                 std::shared_ptr<const Code> anchored)
    : expression_(std::move(expression)), code_(std::move(code)), anchored_(std::move(anchored)) {}

Result<Pattern> Pattern::Compile(std::string_view expression) {
  if (expression.empty()) {
    return Error(ErrorCode::kInvalidArgument, "mønsteret er tomt");
  }
  INTAKE_ASSIGN_OR_RETURN(pcre2_code * raw, CompileRaw(expression, 0));
  auto code = std::make_shared<const Code>(raw);
  INTAKE_ASSIGN_OR_RETURN(pcre2_code * raw_anchored,
                          CompileRaw(expression, PCRE2_ANCHORED | PCRE2_ENDANCHORED));
  auto anchored = std::make_shared<const Code>(raw_anchored);
  return Pattern(std::string(expression), std::move(code), std::move(anchored));
}

bool Pattern::FullMatch(std::string_view text) const {
  MatchData md(pcre2_match_data_create_from_pattern(anchored_->code, nullptr));
  const int rc = pcre2_match(anchored_->code, reinterpret_cast<PCRE2_SPTR>(text.data()),
                             text.size(), 0, 0, md.get(), nullptr);
  return rc >= 0;
}

std::vector<Pattern::Match> Pattern::FindAll(std::string_view text) const {
  std::vector<Match> out;
  MatchData md(pcre2_match_data_create_from_pattern(code_->code, nullptr));
  PCRE2_SIZE start = 0;
  while (start <= text.size()) {
    const int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(text.data()),
                               text.size(), start, 0, md.get(), nullptr);
    if (rc < 0) break;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
    out.push_back({ov[0], ov[1]});
    if (ov[1] == ov[0]) {
      // Empty match: step over one UTF-8 character to avoid looping.
      start = ov[1] + 1;
      while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
        ++start;
      }
    } else {
      start = ov[1];
    }
  }
  return out;
}

}  // namespace intake::config
