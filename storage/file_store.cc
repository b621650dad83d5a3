#include "storage/file_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <filesystem>
#include <utility>

#include "base/atomic_file.h"
#include "base/sha256.h"

namespace intake::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char kTmpDir[] = "tmp";
constexpr const char kOrphansDir[] = "orphans";
constexpr const char kLockFile[] = ".lock";
constexpr const char kExtension[] = ".pdf";

// Every failure of the store is a data error (exit 5): the station cannot keep its files.
Error IoError(const std::string& context, int err) {
  return Error(ErrorCode::kIOError, FromErrno(context, err).message());
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsHexPair(std::string_view s) { return s.size() == 2 && IsLowerHex(s[0]) && IsLowerHex(s[1]); }

// Creates `dir` if it is missing and flushes `parent` so the new entry survives a crash.
Status MakeDirectory(const std::string& dir, const std::string& parent) {
  if (::mkdir(dir.c_str(), 0750) == 0) return SyncDirectory(parent);
  if (errno == EEXIST) return OkStatus();
  return IoError("kan ikke oprette mappen " + dir + " i dokumentlageret", errno);
}

// A file descriptor closed at scope end; Release() hands it over.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// A temporary file in tmp/ that is removed at scope end unless Keep() was called.
class TempPath {
 public:
  explicit TempPath(std::string path) : path_(std::move(path)) {}
  ~TempPath() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  void Keep() { path_.clear(); }

 private:
  std::string path_;
};

Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd, data + written, size - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("kan ikke skrive " + path, errno);
    }
    written += static_cast<size_t>(n);
  }
  return OkStatus();
}

// Flushes and closes a finished temporary file, read-only from now on (write-once).
Status Finish(Fd& fd, const std::string& path) {
  if (::fchmod(fd.get(), 0440) != 0) return IoError("kan ikke skrivebeskytte " + path, errno);
  if (::fsync(fd.get()) != 0) return IoError("kan ikke gemme " + path + " på disken", errno);
  if (const int err = fd.Close(); err != 0) return IoError("kan ikke lukke " + path, err);
  return OkStatus();
}

std::string Hex(const unsigned char* digest, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xF];
  }
  return out;
}

}  // namespace

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!IsLowerHex(c)) return false;
  }
  return true;
}

Result<FileStore> FileStore::Open(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::error_code ec;
  const fs::path path(dir);
  if (!fs::is_directory(path, ec)) {
    fs::create_directories(path, ec);
    if (ec) return IoError("kan ikke oprette dokumentlageret " + dir, ec.value());
    ::chmod(dir.c_str(), 0750);
    if (path.has_parent_path()) {
      INTAKE_RETURN_IF_ERROR(SyncDirectory(path.parent_path().string()));
    }
  }
  INTAKE_RETURN_IF_ERROR(MakeDirectory(dir + "/" + kTmpDir, dir));
  INTAKE_RETURN_IF_ERROR(MakeDirectory(dir + "/" + kOrphansDir, dir));
  const std::string lock_path = dir + "/" + kLockFile;
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return IoError("kan ikke åbne låsefilen " + lock_path, errno);
  FileStore store(dir, fd);
  INTAKE_RETURN_IF_ERROR(store.LockShared());
  return store;
}

FileStore::FileStore(FileStore&& other) noexcept
    : dir_(std::move(other.dir_)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

FileStore& FileStore::operator=(FileStore&& other) noexcept {
  if (this != &other) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    dir_ = std::move(other.dir_);
    lock_fd_ = std::exchange(other.lock_fd_, -1);
  }
  return *this;
}

FileStore::~FileStore() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

std::string FileStore::RelativePath(const std::string& sha256) {
  return sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256 + kExtension;
}

std::string FileStore::Path(const std::string& sha256) const {
  return dir_ + "/" + RelativePath(sha256);
}

bool FileStore::Has(const std::string& sha256) const {
  struct stat st;
  return IsSha256Hex(sha256) && ::stat(Path(sha256).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Status FileStore::Verify(const std::string& sha256) const {
  assert(IsSha256Hex(sha256));
  const std::string path = Path(sha256);
  if (!Has(sha256)) {
    return Error(ErrorCode::kNotFound, "filen " + path + " mangler i dokumentlageret");
  }
  INTAKE_ASSIGN_OR_RETURN(const std::string actual, Sha256OfFile(path));
  if (actual != sha256) {
    return Error(ErrorCode::kCorruption,
                 "filen " + path + " er beskadiget: dens indhold passer ikke med navnet "
                 "(SHA-256 " + actual + "); gendan den fra sikkerhedskopien");
  }
  return OkStatus();
}

Status FileStore::EnsureContentDir(const std::string& sha256) {
  const std::string first = dir_ + "/" + sha256.substr(0, 2);
  INTAKE_RETURN_IF_ERROR(MakeDirectory(first, dir_));
  return MakeDirectory(first + "/" + sha256.substr(2, 2), first);
}

Result<std::string> FileStore::Install(const std::string& tmp, const std::string& sha256) {
  TempPath guard(tmp);
  // An intact file with the same content stays; a damaged one is replaced below.
  if (Has(sha256) && Verify(sha256)) return sha256;
  INTAKE_RETURN_IF_ERROR(EnsureContentDir(sha256));
  const std::string target = Path(sha256);
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    return IoError("kan ikke flytte den gemte fil på plads som " + target, errno);
  }
  guard.Keep();
  INTAKE_RETURN_IF_ERROR(SyncDirectory(fs::path(target).parent_path().string()));
  INTAKE_RETURN_IF_ERROR(SyncDirectory(dir_ + "/" + kTmpDir));
  return sha256;
}

Result<std::string> FileStore::Put(std::string_view bytes) {
  const std::string sha256 = Sha256Hex(bytes);
  if (Has(sha256) && Verify(sha256)) return sha256;
  std::string tmpl = dir_ + "/" + kTmpDir + "/put-XXXXXX";
  const int raw = ::mkstemp(tmpl.data());
  if (raw < 0) return IoError("kan ikke oprette en midlertidig fil i " + dir_, errno);
  Fd fd(raw);
  TempPath tmp(tmpl);
  INTAKE_RETURN_IF_ERROR(WriteAll(fd.get(), bytes.data(), bytes.size(), tmpl));
  INTAKE_RETURN_IF_ERROR(Finish(fd, tmpl));
  tmp.Keep();
  return Install(tmpl, sha256);
}

Result<std::string> FileStore::PutFile(const std::string& path) {
  const int src_raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (src_raw < 0) {
    const int err = errno;
    if (err == ENOENT) return Error(ErrorCode::kNotFound, "PDF-filen " + path + " findes ikke");
    return IoError("kan ikke læse PDF-filen " + path, err);
  }
  Fd src(src_raw);
  std::string tmpl = dir_ + "/" + kTmpDir + "/put-XXXXXX";
  const int raw = ::mkstemp(tmpl.data());
  if (raw < 0) return IoError("kan ikke oprette en midlertidig fil i " + dir_, errno);
  Fd fd(raw);
  TempPath tmp(tmpl);

  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::string buffer(1 << 16, '\0');
  for (;;) {
    const ssize_t n = ::read(src.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("kan ikke læse PDF-filen " + path, errno);
    }
    if (n == 0) break;
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(n));
    INTAKE_RETURN_IF_ERROR(WriteAll(fd.get(), buffer.data(), static_cast<size_t>(n), tmpl));
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  INTAKE_RETURN_IF_ERROR(Finish(fd, tmpl));
  tmp.Keep();
  return Install(tmpl, Hex(digest, sizeof digest));
}

Result<FileStore::Listing> FileStore::List() const {
  Listing listing;
  std::error_code ec;
  auto fail = [&](const std::string& where) {
    return IoError("kan ikke gennemgå dokumentlageret " + where, ec.value());
  };
  for (fs::directory_iterator top(dir_, ec), end; !ec && top != end; top.increment(ec)) {
    const std::string name = top->path().filename().string();
    if (name == kTmpDir) {
      for (fs::directory_iterator t(top->path(), ec); !ec && t != end; t.increment(ec)) {
        listing.stray.push_back(std::string(kTmpDir) + "/" + t->path().filename().string());
      }
      if (ec) return fail(top->path().string());
      continue;
    }
    if (!IsHexPair(name) || !top->is_directory(ec)) continue;  // orphans/, .lock, others
    for (fs::directory_iterator mid(top->path(), ec); !ec && mid != end; mid.increment(ec)) {
      const std::string mid_name = mid->path().filename().string();
      if (!IsHexPair(mid_name) || !mid->is_directory(ec)) {
        listing.stray.push_back(name + "/" + mid_name);
        continue;
      }
      for (fs::directory_iterator f(mid->path(), ec); !ec && f != end; f.increment(ec)) {
        const std::string file = f->path().filename().string();
        const std::string sha = file.size() > 4 ? file.substr(0, file.size() - 4) : "";
        if (file.size() == 64 + 4 && file.ends_with(kExtension) && IsSha256Hex(sha) &&
            sha.compare(0, 2, name) == 0 && sha.compare(2, 2, mid_name) == 0 &&
            f->is_regular_file(ec)) {
          listing.files.push_back(sha);
        } else {
          listing.stray.push_back(name + "/" + mid_name + "/" + file);
        }
      }
      if (ec) return fail(mid->path().string());
    }
    if (ec) return fail(top->path().string());
  }
  if (ec) return fail(dir_);
  return listing;
}

Result<std::string> FileStore::MoveToOrphans(const std::string& relative) {
  const fs::path source = fs::path(dir_) / relative;
  const std::string base = source.filename().string();
  std::string name = base;
  std::error_code ec;
  for (int n = 1; fs::exists(fs::path(dir_) / kOrphansDir / name, ec); ++n) {
    name = base + "." + std::to_string(n);
  }
  const std::string target = (fs::path(dir_) / kOrphansDir / name).string();
  if (::rename(source.c_str(), target.c_str()) != 0) {
    return IoError("kan ikke flytte " + source.string() + " til " + target, errno);
  }
  INTAKE_RETURN_IF_ERROR(SyncDirectory(dir_ + "/" + kOrphansDir));
  INTAKE_RETURN_IF_ERROR(SyncDirectory(source.parent_path().string()));
  return std::string(kOrphansDir) + "/" + name;
}

Result<bool> FileStore::TryLockExclusive() {
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) == 0) return true;
  const int err = errno;
  // A failed conversion drops the shared lock (flock(2)): take it back.
  INTAKE_RETURN_IF_ERROR(LockShared());
  if (err == EWOULDBLOCK) return false;
  return IoError("kan ikke låse dokumentlageret " + dir_, err);
}

Status FileStore::LockShared() {
  while (::flock(lock_fd_, LOCK_SH) != 0) {
    if (errno == EINTR) continue;
    return IoError("kan ikke låse dokumentlageret " + dir_, errno);
  }
  return OkStatus();
}

}  // namespace intake::storage
