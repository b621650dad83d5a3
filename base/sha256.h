// SHA-256 (libsodium): content addresses of stored files and page images.
//
// Thread-safety: pure functions; Sha256Hasher is used by one thread.
#ifndef INTAKE_BASE_SHA256_H_
#define INTAKE_BASE_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace intake {

// Lower-case hexadecimal SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// SHA-256 of a whole file, streamed; kIOError naming the path when it cannot be read.
Result<std::string> Sha256OfFile(const std::string& path);

}  // namespace intake

#endif  // INTAKE_BASE_SHA256_H_
