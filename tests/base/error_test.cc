#include "base/error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace intake {
namespace {

TEST(Error, MasksCprInMessageAtConstruction) {
  Error e(ErrorCode::kInvalidArgument, "ukendt borger 010190-1234 i række 3");
  EXPECT_EQ(e.message(), "ukendt borger XXXXXX-XXXX i række 3");
  EXPECT_EQ(e.ToString(), "invalid_argument: ukendt borger XXXXXX-XXXX i række 3");
}

TEST(Error, WithContextPrefixesAndKeepsCode) {
  Error e = Error(ErrorCode::kNotFound, "findes ikke").WithContext("sag 2024-0123456");
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(e.message(), "sag 2024-0123456: findes ikke");
}

TEST(Error, WithContextMasksCprInContext) {
  Error e = Error(ErrorCode::kNotFound, "findes ikke").WithContext("/data/0101901234.pdf");
  EXPECT_EQ(e.message(), "/data/XXXXXX-XXXX.pdf: findes ikke");
}

TEST(Error, FromErrnoMapsCommonCodesAndSpeaksDanish) {
  Error missing = FromErrno("kan ikke åbne /x", ENOENT);
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.message(), "kan ikke åbne /x: findes ikke");
  EXPECT_EQ(FromErrno("skriv", ENOSPC).message(), "skriv: der er ikke mere plads på disken");
  EXPECT_EQ(FromErrno("skriv", ENOSPC).code(), ErrorCode::kIOError);
  EXPECT_EQ(FromErrno("åbn", EBUSY).code(), ErrorCode::kDeviceBusy);
}

TEST(Error, EveryCodeHasADistinctName) {
  const ErrorCode all[] = {ErrorCode::kInvalidArgument, ErrorCode::kNotFound,
                           ErrorCode::kAlreadyExists,   ErrorCode::kFailedPrecondition,
                           ErrorCode::kIOError,         ErrorCode::kCorruption,
                           ErrorCode::kDeviceBusy,      ErrorCode::kDeviceError,
                           ErrorCode::kCancelled,       ErrorCode::kUnavailable,
                           ErrorCode::kInternal};
  std::set<std::string_view> names;
  for (ErrorCode c : all) names.insert(ErrorCodeName(c));
  EXPECT_EQ(names.size(), std::size(all));
}

}  // namespace
}  // namespace intake
