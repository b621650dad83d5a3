#include "base/sha256.h"

#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <memory>

namespace intake {
namespace {

std::string Hex(const unsigned char* digest, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[digest[i] >> 4];
    out[2 * i + 1] = kDigits[digest[i] & 0xF];
  }
  return out;
}

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return Hex(digest, sizeof digest);
}

Result<std::string> Sha256OfFile(const std::string& path) {
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return Error(ErrorCode::kIOError, FromErrno("kan ikke læse " + path, errno).message());
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  unsigned char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    crypto_hash_sha256_update(&state, buf, n);
  }
  if (std::ferror(f.get())) {
    return Error(ErrorCode::kIOError, "læsefejl i " + path);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return Hex(digest, sizeof digest);
}

}  // namespace intake
