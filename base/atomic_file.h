// Writing a file so that it either appears whole or not at all.
//
// The bytes go to a temporary file beside the target (same directory, so the rename is
// atomic), are flushed to disk (fsync), and the file is renamed over the target; then the
// directory itself is flushed so the rename survives a power cut. On any failure the
// temporary file is removed and the target is untouched.
//
// Thread-safety: safe to call concurrently for different targets.
#ifndef INTAKE_BASE_ATOMIC_FILE_H_
#define INTAKE_BASE_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "base/result.h"

namespace intake {

// Writes `bytes` to `path` atomically (see above) with permissions `mode` (before umask).
// kIOError naming the path when a step fails (full disk, missing directory, ...).
Status WriteFileAtomically(const std::string& path, std::string_view bytes, int mode = 0644);

// Flushes the directory entry of `dir` to disk (after a rename or unlink in it).
Status SyncDirectory(const std::string& dir);

}  // namespace intake

#endif  // INTAKE_BASE_ATOMIC_FILE_H_
