// FileStore: the content-addressed store of journalised PDF/A files.
//
// A file is named by the SHA-256 of its bytes: <dir>/ab/cd/<sha256>.pdf, where ab and cd
// are the first two pairs of hex digits. A file is written into <dir>/tmp/ first, flushed
// (fsync), made read-only (write-once masters), renamed into place, and the directories
// involved are flushed, so after Put returns the file is durable under its final name and
// a crash at any earlier moment leaves at most a temporary file in tmp/ (never a
// half-written file under a content name). Storing bytes that are already present keeps
// the existing file. Layout and the crash argument: storage/SCHEMA.md.
//
// The store holds a lock file (<dir>/.lock): writers hold it shared for as long as the
// store is open, and the sweep of unreferenced files (SweepOrphans in the journal) runs
// only when it can take it exclusively, i.e. when no other process is writing.
//
// Thread-safety: a FileStore is used by one thread at a time; several processes may use
// the same directory at once.
#ifndef INTAKE_STORAGE_FILE_STORE_H_
#define INTAKE_STORAGE_FILE_STORE_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake::storage {

// True for 64 lower-case hex digits.
bool IsSha256Hex(std::string_view text);

class FileStore {
 public:
  // Opens (creating if needed, mode 0750) the store at `dir` with its tmp/ and orphans/
  // folders, and takes the shared lock. kIOError naming the folder when it cannot.
  static Result<FileStore> Open(std::string dir);

  FileStore(FileStore&& other) noexcept;
  FileStore& operator=(FileStore&& other) noexcept;
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;
  ~FileStore();

  // Stores `bytes` durably; returns their SHA-256. An intact file with the same content is
  // kept as it is (nothing written); a damaged one is replaced. kIOError on a failed write
  // (full disk ...), leaving no file under the content name.
  Result<std::string> Put(std::string_view bytes);
  // Like Put, streaming the file at `path` (hashed while it is copied). kNotFound when
  // `path` does not exist, kIOError when it cannot be read.
  Result<std::string> PutFile(const std::string& path);

  // True if the store has a file named `sha256` (its content is not checked).
  bool Has(const std::string& sha256) const;
  // Where the file named `sha256` lives (whether or not it exists).
  std::string Path(const std::string& sha256) const;
  // Re-hashes the stored file: OK when its content matches its name; kNotFound when it is
  // missing; kCorruption when its content differs.
  Status Verify(const std::string& sha256) const;

  struct Listing {
    std::vector<std::string> files;  // SHA-256 names of the stored files
    // Paths relative to dir() of everything else: temporary files left in tmp/ by an
    // interrupted write, and unknown files among the content folders.
    std::vector<std::string> stray;
  };
  // Everything in the store except orphans/ and the lock file.
  Result<Listing> List() const;

  // Moves the file at `relative` (a Listing path, or a content name's relative path) into
  // orphans/, keeping its name (with a suffix if taken); returns the new relative path.
  Result<std::string> MoveToOrphans(const std::string& relative);
  // The relative path of a content file (ab/cd/<sha>.pdf).
  static std::string RelativePath(const std::string& sha256);

  // Tries to turn the shared lock into an exclusive one without waiting. True when held
  // exclusively (no other process has the store open); false when others hold it.
  Result<bool> TryLockExclusive();
  // Back to the shared lock after TryLockExclusive.
  Status LockShared();

  const std::string& dir() const { return dir_; }

 private:
  FileStore(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  // Creates ab/ and ab/cd/ for `sha256` as needed, flushing each parent it changes.
  Status EnsureContentDir(const std::string& sha256);
  // Moves the finished, flushed temporary file `tmp` to the content name of `sha256`.
  Result<std::string> Install(const std::string& tmp, const std::string& sha256);

  std::string dir_;
  int lock_fd_ = -1;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_FILE_STORE_H_
