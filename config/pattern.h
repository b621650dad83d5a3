// Pattern: a compiled, UTF-8 aware regular expression (PCRE2) for configurable
// patterns such as case numbers, whose character classes contain Æ Ø Å.
//
// std::regex works on bytes, so "[A-ZÆØÅ]" would match single bytes of the UTF-8
// encoding; PCRE2 in UTF mode matches characters.
//
// Thread-safety: a compiled Pattern is immutable and may be shared; each call creates its
// own match data.
#ifndef INTAKE_CONFIG_PATTERN_H_
#define INTAKE_CONFIG_PATTERN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake::config {

class Pattern {
 public:
  // Compiles `expression` (PCRE2 syntax, UTF mode). On a syntax error returns
  // kInvalidArgument naming the character offset and PCRE2's explanation.
  static Result<Pattern> Compile(std::string_view expression);

  // True if the whole of `text` matches.
  bool FullMatch(std::string_view text) const;

  struct Match {
    size_t begin;  // byte offsets into the searched text
    size_t end;
  };
  // Every non-overlapping match in `text`, left to right.
  std::vector<Match> FindAll(std::string_view text) const;

  const std::string& expression() const { return expression_; }

 private:
  struct Code;
  Pattern(std::string expression, std::shared_ptr<const Code> code, std::shared_ptr<const Code> anchored);

  std::string expression_;
  std::shared_ptr<const Code> code_;
  std::shared_ptr<const Code> anchored_;
};

}  // namespace intake::config

#endif  // INTAKE_CONFIG_PATTERN_H_
