// ScopedTempDir: a fresh directory under $TMPDIR, removed with its contents at scope end.
#ifndef INTAKE_TESTS_SUPPORT_TEMP_DIR_H_
#define INTAKE_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace intake::testing {

class ScopedTempDir {
 public:
  ScopedTempDir();
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `content` to `path`, replacing it; aborts the test binary on failure.
void WriteFile(const std::string& path, const std::string& content);
// The whole file, or "" if it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace intake::testing

#endif  // INTAKE_TESTS_SUPPORT_TEMP_DIR_H_
