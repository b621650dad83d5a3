#include "station/exit_code.h"

namespace intake::station {

ExitCode ExitCodeFor(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return kExitInput;
    case ErrorCode::kDeviceBusy:
    case ErrorCode::kDeviceError:
    case ErrorCode::kUnavailable:
      return kExitDevice;
    case ErrorCode::kIOError:
    case ErrorCode::kCorruption:
      return kExitData;
    case ErrorCode::kCancelled:
      return kExitInterrupted;
    case ErrorCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

std::string_view ExitCodeName(ExitCode code) {
  switch (code) {
    case kExitOk: return "ok";
    case kExitInternal: return "internal";
    case kExitUsage: return "usage";
    case kExitInput: return "input";
    case kExitDevice: return "device";
    case kExitData: return "data";
    case kExitDegraded: return "degraded";
    case kExitInterrupted: return "interrupted";
  }
  return "internal";
}

}  // namespace intake::station
