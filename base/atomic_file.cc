#include "base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

namespace intake {
namespace {

// The errno of a failed step as a data error (exit 5), naming the path.
Error IoError(const std::string& context, int err) {
  return Error(ErrorCode::kIOError, FromErrno(context, err).message());
}

// Closes the descriptor and removes the temporary file unless disarmed.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes the descriptor; returns the errno of close() or 0.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }
  void Disarm() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

}  // namespace

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("kan ikke åbne mappen " + dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("kan ikke gemme mappen " + dir + " på disken", err);
  return OkStatus();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes, int mode) {
  const std::filesystem::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string tmpl = dir + "/." + target.filename().string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return IoError("kan ikke oprette en midlertidig fil ved " + path, errno);
  TempFile tmp(fd, tmpl);
  ::fchmod(fd, static_cast<mode_t>(mode) & ~static_cast<mode_t>(022));

  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("kan ikke skrive " + path, errno);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return IoError("kan ikke gemme " + path + " på disken", errno);
  if (const int err = tmp.Close(); err != 0) return IoError("kan ikke lukke " + path, err);
  if (::rename(tmp.path().c_str(), path.c_str()) != 0) {
    return IoError("kan ikke flytte den færdige fil på plads som " + path, errno);
  }
  tmp.Disarm();
  return SyncDirectory(dir);
}

}  // namespace intake
