#include "station/exit_code.h"

#include <gtest/gtest.h>

#include <set>

namespace intake::station {
namespace {

TEST(ExitCode, NumbersAreTheDocumentedOnes) {
  // The README lists these; scripts depend on them. Changing one is a breaking change.
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitInternal, 1);
  EXPECT_EQ(kExitUsage, 2);
  EXPECT_EQ(kExitInput, 3);
  EXPECT_EQ(kExitDevice, 4);
  EXPECT_EQ(kExitData, 5);
  EXPECT_EQ(kExitDegraded, 6);
  EXPECT_EQ(kExitInterrupted, 130);
}

struct MapCase {
  ErrorCode error;
  ExitCode exit;
};

TEST(ExitCode, EachErrorCodeMapsToItsExitCode) {
  const MapCase cases[] = {
      {ErrorCode::kInvalidArgument, kExitInput}, {ErrorCode::kNotFound, kExitInput},
      {ErrorCode::kAlreadyExists, kExitInput},   {ErrorCode::kFailedPrecondition, kExitInput},
      {ErrorCode::kIOError, kExitData},          {ErrorCode::kCorruption, kExitData},
      {ErrorCode::kDeviceBusy, kExitDevice},     {ErrorCode::kDeviceError, kExitDevice},
      {ErrorCode::kUnavailable, kExitDevice},    {ErrorCode::kCancelled, kExitInterrupted},
      {ErrorCode::kInternal, kExitInternal},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ExitCodeFor(Error(c.error, "x")), c.exit) << ErrorCodeName(c.error);
  }
}

TEST(ExitCode, NamesAreDistinct) {
  std::set<std::string_view> names;
  for (ExitCode c : {kExitOk, kExitInternal, kExitUsage, kExitInput, kExitDevice, kExitData,
                     kExitDegraded, kExitInterrupted}) {
    names.insert(ExitCodeName(c));
  }
  EXPECT_EQ(names.size(), 8u);
}

}  // namespace
}  // namespace intake::station
