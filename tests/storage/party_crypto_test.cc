// CPR/CVR protection: normalisation, keyed HMAC, sealing, the key file.
#include "storage/party_crypto.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

struct NormaliseCase {
  const char* input;
  PartyNumberKind kind;
  const char* digits;  // nullptr: refused
};

class NormaliseTest : public ::testing::TestWithParam<NormaliseCase> {};

TEST_P(NormaliseTest, KeepsDigitsOnlyAndChecksTheLength) {
  const NormaliseCase& c = GetParam();
  auto r = NormalisePartyNumber(c.input, c.kind);
  if (c.digits == nullptr) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    // The message never repeats the number.
    EXPECT_EQ(r.error().message().find("0101"), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find("1374"), std::string::npos) << r.error().message();
  } else {
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(*r, c.digits);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Numbers, NormaliseTest,
    ::testing::Values(NormaliseCase{"0101901234", PartyNumberKind::kCpr, "0101901234"},
                      NormaliseCase{"010190-1234", PartyNumberKind::kCpr, "0101901234"},
                      NormaliseCase{" 01 01 90 - 1234 ", PartyNumberKind::kCpr, "0101901234"},
                      NormaliseCase{"010190/1234", PartyNumberKind::kCpr, "0101901234"},
                      NormaliseCase{"13748136", PartyNumberKind::kCvr, "13748136"},
                      NormaliseCase{"13 74 81 36", PartyNumberKind::kCvr, "13748136"},
                      NormaliseCase{"010190-123", PartyNumberKind::kCpr, nullptr},
                      NormaliseCase{"010190-12345", PartyNumberKind::kCpr, nullptr},
                      NormaliseCase{"O10190-1234", PartyNumberKind::kCpr, nullptr},
                      NormaliseCase{"", PartyNumberKind::kCpr, nullptr},
                      NormaliseCase{"13748136", PartyNumberKind::kCpr, nullptr},
                      NormaliseCase{"0101901234", PartyNumberKind::kCvr, nullptr},
                      NormaliseCase{"1374813a", PartyNumberKind::kCvr, nullptr}));

TEST(MaskPartyNumber, HidesTheCprSerialAndShowsACvr) {
  EXPECT_EQ(MaskPartyNumber("0101901234", PartyNumberKind::kCpr), "010190-XXXX");
  EXPECT_EQ(MaskPartyNumber("13748136", PartyNumberKind::kCvr), "13748136");
}

class PartyCryptoTest : public ::testing::Test {
 protected:
  std::string KeyFile() const { return dir_.Sub("keys/party.key"); }
  testing::ScopedTempDir dir_;
};

TEST_F(PartyCryptoTest, CreatesAPrivateKeyFileOnFirstUse) {
  auto crypto = PartyCrypto::Load(KeyFile(), /*create=*/true);
  ASSERT_TRUE(crypto) << crypto.error().ToString();
  struct stat st;
  ASSERT_EQ(::stat(KeyFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  ASSERT_EQ(::stat(dir_.Sub("keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
  // The same key is read back: the HMAC is stable across loads.
  auto again = PartyCrypto::Load(KeyFile(), /*create=*/false);
  ASSERT_TRUE(again);
  EXPECT_EQ(crypto->Hmac("0101901234"), again->Hmac("0101901234"));
  EXPECT_EQ(crypto->KeyCheck(), again->KeyCheck());
}

TEST_F(PartyCryptoTest, HmacIsKeyedAndDistinguishesNumbers) {
  auto a = PartyCrypto::Load(KeyFile(), true);
  testing::ScopedTempDir other;
  auto b = PartyCrypto::Load(other.Sub("keys/party.key"), true);
  ASSERT_TRUE(a && b);
  const std::string h = a->Hmac("0101901234");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_NE(h, a->Hmac("0101901235"));
  EXPECT_NE(h, b->Hmac("0101901234"));  // another key, another index value
  EXPECT_NE(a->KeyCheck(), b->KeyCheck());
}

TEST_F(PartyCryptoTest, SealedNumbersOpenOnlyWithTheKeyAndUnaltered) {
  auto a = PartyCrypto::Load(KeyFile(), true);
  testing::ScopedTempDir other;
  auto b = PartyCrypto::Load(other.Sub("keys/party.key"), true);
  ASSERT_TRUE(a && b);
  const std::string sealed = a->Seal("0101901234");
  EXPECT_EQ(sealed.find("0101901234"), std::string::npos);
  EXPECT_NE(sealed, a->Seal("0101901234"));  // a fresh nonce every time
  auto opened = a->Open(sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "0101901234");
  EXPECT_FALSE(b->Open(sealed));
  std::string altered = sealed;
  altered[altered.size() - 1] ^= 1;
  auto refused = a->Open(altered);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kCorruption);
  EXPECT_FALSE(a->Open("short"));
}

TEST_F(PartyCryptoTest, AMissingKeyIsNotFoundWhenItMustNotBeCreated) {
  auto r = PartyCrypto::Load(KeyFile(), /*create=*/false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

TEST_F(PartyCryptoTest, AKeyFileOthersCanReadIsRefusedWithTheFix) {
  ASSERT_TRUE(PartyCrypto::Load(KeyFile(), true));
  ASSERT_EQ(::chmod(KeyFile().c_str(), 0644), 0);
  auto r = PartyCrypto::Load(KeyFile(), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("chmod 600"), std::string::npos);
}

TEST_F(PartyCryptoTest, AKeyFileOfTheWrongSizeIsCorruption) {
  testing::WriteFile(KeyFile(), "too short");
  ASSERT_EQ(::chmod(KeyFile().c_str(), 0600), 0);
  auto r = PartyCrypto::Load(KeyFile(), true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find("forkert størrelse"), std::string::npos);
}

}  // namespace
}  // namespace intake::storage
