#include "storage/party_crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "base/atomic_file.h"

namespace intake::storage {

struct PartyCrypto::Keys {
  std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> hmac{};
  std::array<unsigned char, crypto_secretbox_KEYBYTES> seal{};
  ~Keys() {
    sodium_memzero(hmac.data(), hmac.size());
    sodium_memzero(seal.data(), seal.size());
  }
};

namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "intkpart";
constexpr uint64_t kHmacSubkey = 1;
constexpr uint64_t kSealSubkey = 2;
constexpr size_t kMasterKeyBytes = crypto_kdf_KEYBYTES;

static_assert(crypto_kdf_KEYBYTES == 32);
static_assert(crypto_auth_hmacsha256_KEYBYTES >= crypto_kdf_BYTES_MIN &&
              crypto_auth_hmacsha256_KEYBYTES <= crypto_kdf_BYTES_MAX);
static_assert(crypto_secretbox_KEYBYTES >= crypto_kdf_BYTES_MIN &&
              crypto_secretbox_KEYBYTES <= crypto_kdf_BYTES_MAX);

Error IoError(const std::string& context, int err) {
  return Error(ErrorCode::kIOError, FromErrno(context, err).message());
}

std::string_view KindName(PartyNumberKind kind) {
  return kind == PartyNumberKind::kCpr ? "CPR-nummeret" : "CVR-nummeret";
}

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Creates the key file: 32 random bytes written to a temporary file (0600), flushed, then
// hard-linked to `path`. link() fails with EEXIST if another process got there first, in
// which case its key is the key.
Status CreateKeyFile(const std::string& path) {
  const std::filesystem::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return IoError("kan ikke oprette nøglemappen " + dir, ec.value());
    ::chmod(dir.c_str(), 0700);
    const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
    INTAKE_RETURN_IF_ERROR(SyncDirectory(parent.empty() ? "." : parent.string()));
  }
  std::string tmpl = dir + "/.party-key-XXXXXX";
  const int raw = ::mkstemp(tmpl.data());  // mode 0600
  if (raw < 0) return IoError("kan ikke oprette nøglefilen i " + dir, errno);
  Fd fd(raw);
  std::array<unsigned char, kMasterKeyBytes> key;
  randombytes_buf(key.data(), key.size());
  const ssize_t n = ::write(fd.get(), key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  Status status = OkStatus();
  if (n != static_cast<ssize_t>(key.size())) {
    status = IoError("kan ikke skrive nøglefilen " + path, n < 0 ? errno : EIO);
  } else if (::fsync(fd.get()) != 0) {
    status = IoError("kan ikke gemme nøglefilen " + path + " på disken", errno);
  } else if (::link(tmpl.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    status = IoError("kan ikke lægge nøglefilen på plads som " + path, errno);
  }
  ::unlink(tmpl.c_str());
  INTAKE_RETURN_IF_ERROR(status);
  return SyncDirectory(dir);
}

}  // namespace

Result<std::string> NormalisePartyNumber(std::string_view number, PartyNumberKind kind) {
  std::string digits;
  digits.reserve(number.size());
  for (char c : number) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != '-' && c != '/' && c != '.') {
      return Error(ErrorCode::kInvalidArgument,
                   std::string(KindName(kind)) + " må kun indeholde cifre (og evt. bindestreg)");
    }
  }
  const size_t want = kind == PartyNumberKind::kCpr ? 10 : 8;
  if (digits.size() != want) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string(KindName(kind)) + " skal have " + std::to_string(want) +
                     " cifre, men har " + std::to_string(digits.size()));
  }
  return digits;
}

std::string MaskPartyNumber(std::string_view digits, PartyNumberKind kind) {
  if (kind == PartyNumberKind::kCvr) return std::string(digits);
  assert(digits.size() == 10);
  return std::string(digits.substr(0, 6)) + "-XXXX";
}

Result<PartyCrypto> PartyCrypto::Load(const std::string& key_file, bool create) {
  if (sodium_init() < 0) {
    return Error(ErrorCode::kInternal, "libsodium kunne ikke initialiseres");
  }
  struct stat st;
  if (::stat(key_file.c_str(), &st) != 0) {
    if (errno != ENOENT) return IoError("kan ikke læse nøglefilen " + key_file, errno);
    if (!create) {
      return Error(ErrorCode::kNotFound,
                   "nøglefilen " + key_file + " til CPR/CVR-numrene findes ikke");
    }
    INTAKE_RETURN_IF_ERROR(CreateKeyFile(key_file));
    if (::stat(key_file.c_str(), &st) != 0) {
      return IoError("kan ikke læse nøglefilen " + key_file, errno);
    }
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error(ErrorCode::kFailedPrecondition,
                 "nøglefilen " + key_file + " kan læses af andre (rettigheder " + mode +
                     "); kør 'chmod 600 " + key_file + "'");
  }
  if (st.st_size != static_cast<off_t>(kMasterKeyBytes)) {
    return Error(ErrorCode::kCorruption,
                 "nøglefilen " + key_file + " har forkert størrelse (" +
                     std::to_string(st.st_size) + " byte, ventede " +
                     std::to_string(kMasterKeyBytes) + "); gendan den fra sikkerhedskopien");
  }
  Fd fd(::open(key_file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("kan ikke læse nøglefilen " + key_file, errno);
  std::array<unsigned char, kMasterKeyBytes> master;
  const ssize_t n = ::read(fd.get(), master.data(), master.size());
  if (n != static_cast<ssize_t>(master.size())) {
    sodium_memzero(master.data(), master.size());
    return IoError("kan ikke læse nøglefilen " + key_file, n < 0 ? errno : EIO);
  }
  auto keys = std::make_shared<Keys>();
  crypto_kdf_derive_from_key(keys->hmac.data(), keys->hmac.size(), kHmacSubkey, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(keys->seal.data(), keys->seal.size(), kSealSubkey, kKdfContext,
                             master.data());
  sodium_memzero(master.data(), master.size());
  return PartyCrypto(std::move(keys));
}

std::string PartyCrypto::Hmac(std::string_view digits) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(digits.data()),
                         digits.size(), keys_->hmac.data());
  return Hex(mac, sizeof mac);
}

std::string PartyCrypto::Seal(std::string_view digits) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + digits.size(),
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(digits.data()), digits.size(),
                        nonce, keys_->seal.data());
  return out;
}

Result<std::string> PartyCrypto::Open(std::string_view sealed) const {
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < kOverhead) {
    return Error(ErrorCode::kCorruption, "et krypteret CPR/CVR-nummer i journalen er beskadiget");
  }
  std::string out(sealed.size() - kOverhead, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                 keys_->seal.data()) != 0) {
    return Error(ErrorCode::kCorruption,
                 "et krypteret CPR/CVR-nummer i journalen kan ikke åbnes: det er ændret, "
                 "eller nøglefilen passer ikke til journalen");
  }
  return out;
}

std::string PartyCrypto::KeyCheck() const {
  return Hmac("intake-station party key check").substr(0, 16);
}

}  // namespace intake::storage
