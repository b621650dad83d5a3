#include "base/error.h"

#include <cassert>
#include <cerrno>
#include <cstring>

#include "base/cpr_mask.h"

namespace intake {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kIOError: return "io_error";
    case ErrorCode::kCorruption: return "corruption";
    case ErrorCode::kDeviceBusy: return "device_busy";
    case ErrorCode::kDeviceError: return "device_error";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

Error::Error(ErrorCode code, std::string message) : code_(code), message_(MaskCpr(message)) {
  assert(!message_.empty());
}

Error Error::WithContext(std::string_view context) const {
  return Error(code_, std::string(context) + ": " + message_);
}

std::string Error::ToString() const {
  return std::string(ErrorCodeName(code_)) + ": " + message_;
}

Error FromErrno(std::string_view context, int errno_value) {
  ErrorCode code = ErrorCode::kIOError;
  switch (errno_value) {
    case ENOENT: code = ErrorCode::kNotFound; break;
    case EEXIST: code = ErrorCode::kAlreadyExists; break;
    case EINVAL: code = ErrorCode::kInvalidArgument; break;
    case EBUSY: code = ErrorCode::kDeviceBusy; break;
    case EINTR: code = ErrorCode::kCancelled; break;
    default: break;
  }
  const char* text = nullptr;
  switch (errno_value) {  // Danish for the errors operators meet; the rest from libc.
    case ENOENT: text = "findes ikke"; break;
    case EACCES: case EPERM: text = "adgang nægtet"; break;
    case ENOSPC: text = "der er ikke mere plads på disken"; break;
    case EDQUOT: text = "diskkvoten er opbrugt"; break;
    case EROFS: text = "filsystemet er skrivebeskyttet"; break;
    case EISDIR: text = "er en mappe, ikke en fil"; break;
    case ENOTDIR: text = "en del af stien er ikke en mappe"; break;
    case EEXIST: text = "findes allerede"; break;
    case EIO: text = "I/O-fejl på enheden"; break;
    default: break;
  }
  char buf[256];
  // GNU strerror_r returns the message (possibly not in buf).
  if (text == nullptr) text = strerror_r(errno_value, buf, sizeof buf);
  return Error(code, std::string(context) + ": " + text);
}

}  // namespace intake
