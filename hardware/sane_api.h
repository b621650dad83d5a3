// SaneApi: the SANE C functions the station calls, behind a small C++ interface.
//
// It is the test seam of the SANE frontend (SANE.md section 6.1): SaneScanner takes a
// SaneApi&, RealSaneApi() forwards every call to libsane unchanged, and the unit tests
// pass an in-process fake that scripts devices, options, frames and statuses. The
// methods mirror the C functions one to one (same arguments, same statuses, same
// ownership: pointers returned by GetDevices and GetOptionDescriptor belong to the
// backend and stay valid until the next GetDevices / option reload / Exit), so the
// frontend code reads like the SANE standard.
//
// SANE statuses stay inside hardware/: FromSaneStatus turns them into Errors.
//
// Thread-safety: RealSaneApi() may be called from any thread; the functions follow
// SANE's rules: Init/Exit and GetDevices from one thread at a time, and each handle from
// one thread only (SANE.md section 2).
#ifndef INTAKE_HARDWARE_SANE_API_H_
#define INTAKE_HARDWARE_SANE_API_H_

#include <sane/sane.h>

#include <string>
#include <string_view>

#include "base/error.h"

namespace intake::hardware {

class SaneApi {
 public:
  virtual ~SaneApi() = default;

  // sane_init without an authorisation callback (the station never uses password-
  // protected backends). `version_code` may be null.
  virtual SANE_Status Init(SANE_Int* version_code) = 0;
  virtual void Exit() = 0;
  virtual SANE_Status GetDevices(const SANE_Device*** device_list, bool local_only) = 0;
  virtual SANE_Status Open(const char* name, SANE_Handle* handle) = 0;
  virtual void Close(SANE_Handle handle) = 0;
  // Null when `option` is out of range.
  virtual const SANE_Option_Descriptor* GetOptionDescriptor(SANE_Handle handle,
                                                            SANE_Int option) = 0;
  // `info` may be null.
  virtual SANE_Status ControlOption(SANE_Handle handle, SANE_Int option, SANE_Action action,
                                    void* value, SANE_Int* info) = 0;
  virtual SANE_Status Start(SANE_Handle handle) = 0;
  virtual SANE_Status GetParameters(SANE_Handle handle, SANE_Parameters* params) = 0;
  virtual SANE_Status Read(SANE_Handle handle, SANE_Byte* data, SANE_Int max_length,
                           SANE_Int* length) = 0;
  virtual void Cancel(SANE_Handle handle) = 0;
  virtual SANE_Status SetIoMode(SANE_Handle handle, bool non_blocking) = 0;
  // English text of a status, for logs ("Document feeder jammed").
  virtual const char* StrStatus(SANE_Status status) = 0;
};

// The process's libsane. Never null; lives until the process ends.
SaneApi& RealSaneApi();

// The Error for a SANE status (STYLE.md section 4: one translation function per C
// library). The message is "<context>: <Danish explanation and what to do>"; `context`
// names the operation and the device ("kan ikke åbne scanneren test:0"). Codes:
// DEVICE_BUSY → kDeviceBusy; CANCELLED → kCancelled; INVAL → kInvalidArgument; JAMMED,
// NO_DOCS, COVER_OPEN, IO_ERROR, EOF, UNSUPPORTED, NO_MEM, ACCESS_DENIED → kDeviceError.
// REQUIRES: status != SANE_STATUS_GOOD.
Error FromSaneStatus(std::string_view context, SANE_Status status);

// The ErrorCode FromSaneStatus uses for `status`.
ErrorCode SaneStatusCode(SANE_Status status);

// "SANE_STATUS_JAMMED" ..., for logs and test output; "SANE_STATUS_<n>" for unknown ones.
std::string SaneStatusName(SANE_Status status);

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_SANE_API_H_
