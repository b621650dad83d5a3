// Error: what went wrong in an operation, as a code plus a human-readable message.
//
// Errors cross module boundaries inside Result<T> (base/result.h). The message is for
// people (operators, IT staff) and is written in Danish where it reaches a user; it
// must name the file, page or field and say what to do. CPR-like numbers are masked
// when the Error is constructed, so an Error can never carry one to a log or a screen.
//
// Thread-safety: an Error is a value; distinct objects may be used from any thread.
#ifndef INTAKE_BASE_ERROR_H_
#define INTAKE_BASE_ERROR_H_

#include <string>
#include <string_view>

namespace intake {

enum class ErrorCode {
  kInvalidArgument,     // bad input: a file, a field, a value the caller can fix
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // a unique thing exists already
  kFailedPrecondition,  // the operation is refused in the current state (closed case ...)
  kIOError,             // the operating system refused a read or write
  kCorruption,          // stored data is damaged or inconsistent
  kDeviceBusy,          // a scanner is held by another program
  kDeviceError,         // a scanner fault: jam, cover open, gone
  kCancelled,           // the operator or a signal stopped the operation
  kUnavailable,         // a service or library resource is missing (language pack ...)
  kInternal,            // a bug or an unexpected library failure
};

// Returns a stable lower-case name for `code` ("invalid_argument", ...), used in JSON.
std::string_view ErrorCodeName(ErrorCode code);

class Error {
 public:
  // REQUIRES: `message` is non-empty. CPR-like numbers in it are masked.
  Error(ErrorCode code, std::string message);

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Error WithContext(std::string_view context) const;

  // "<code name>: <message>", for logs.
  std::string ToString() const;

 private:
  ErrorCode code_;
  std::string message_;
};

// Translates an errno value into an Error whose message starts with `context`
// (typically the path and the operation: "kan ikke åbne /x/y.toml").
Error FromErrno(std::string_view context, int errno_value);

}  // namespace intake

#endif  // INTAKE_BASE_ERROR_H_
