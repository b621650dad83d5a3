// PartyCrypto: how the journal holds CPR and CVR numbers without keeping them in plain text.
//
// One 32-byte master key lives in a key file outside the database and the logs
// (<data_dir>/keys/party.key, mode 0600, created on first use). Two subkeys are derived
// from it with libsodium's crypto_kdf (context "intkpart"): subkey 1 keys
// HMAC-SHA256 over the normalised number, whose hex form is the UNIQUE lookup index
// (parties.id_hmac); subkey 2 seals the number with crypto_secretbox (XSalsa20-Poly1305,
// a random 24-byte nonce prepended to the ciphertext) for parties.id_sealed. A plain hash
// would not do: a century has only about 3.65e8 CPR numbers (DOMAIN.md section 5).
//
// No function here puts a number into an error message or a log line.
//
// Thread-safety: a PartyCrypto is immutable after loading; share it freely.
#ifndef INTAKE_STORAGE_PARTY_CRYPTO_H_
#define INTAKE_STORAGE_PARTY_CRYPTO_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace intake::storage {

enum class PartyNumberKind {
  kCpr,  // a person: 10 digits, DDMMYYSSSS
  kCvr,  // a company: 8 digits
};

// The number as digits only: spaces, '-', '/' and '.' are removed. kInvalidArgument
// (naming the kind, never the number) for any other character or the wrong digit count.
Result<std::string> NormalisePartyNumber(std::string_view number, PartyNumberKind kind);

// For screens and lists: a CPR as "DDMMYY-XXXX" (the serial hidden); a CVR in full (CVR
// numbers are public). REQUIRES: `digits` is normalised for `kind`.
std::string MaskPartyNumber(std::string_view digits, PartyNumberKind kind);

class PartyCrypto {
 public:
  // Reads the key file at `key_file`; when it does not exist and `create` is true, creates
  // it (its folder with mode 0700, the file with 0600, written aside and linked into place
  // so two processes starting at once end up with the same key). kNotFound when missing
  // and not to be created; kFailedPrecondition when others may read it (with the chmod
  // to run); kCorruption when it has the wrong size; kIOError when it cannot be read.
  static Result<PartyCrypto> Load(const std::string& key_file, bool create);

  // Lower-case hex HMAC-SHA256 (64 characters) of a normalised number.
  std::string Hmac(std::string_view digits) const;
  // nonce || secretbox(digits): 24 + 16 + digits.size() bytes.
  std::string Seal(std::string_view digits) const;
  // The number sealed by Seal. kCorruption when the value was altered or sealed with
  // another key.
  Result<std::string> Open(std::string_view sealed) const;
  // A short value that identifies the key (HMAC of a fixed label, 16 hex digits). The
  // journal stores it to notice a replaced or lost key file instead of silently failing
  // every lookup.
  std::string KeyCheck() const;

 private:
  struct Keys;
  explicit PartyCrypto(std::shared_ptr<const Keys> keys) : keys_(std::move(keys)) {}
  std::shared_ptr<const Keys> keys_;
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_PARTY_CRYPTO_H_
