// RAII owners for SANE (STYLE.md section 5): the library, an open device and a scan job.
// No scanning logic here; that is in sane_scanner.cc.
//
//   SaneLibrary  sane_init on the first Acquire in the process, sane_exit when the last
//                holder lets go (a reference count per SaneApi). Options of a device
//                survive close/open only within one sane_init (SANE.md section 2), so a
//                SaneScanner holds its lease for its whole life.
//   SaneDevice   sane_open in Open, sane_close in the destructor. Holds a library lease,
//                so the library outlives every device.
//   SaneJob      one scan job on an open device: its destructor ALWAYS calls sane_cancel,
//                also after a complete read, because some backends (brother) only return
//                to idle after it (libinsane merge request 30). Exactly one sane_cancel
//                per job.
//
// Thread-safety: SaneLibrary::Acquire and lease release may run on any thread (the count
// is guarded by a mutex). A SaneDevice and its jobs belong to one thread: a SANE_Handle
// must be used from one thread only.
#ifndef INTAKE_HARDWARE_SANE_HANDLES_H_
#define INTAKE_HARDWARE_SANE_HANDLES_H_

#include <sane/sane.h>

#include <memory>
#include <string>

#include "base/result.h"
#include "hardware/sane_api.h"

namespace intake::hardware {

class SaneLibrary {
 public:
  // A lease on the initialised library behind `api` (sane_init if this is the first
  // lease). Error: the translated sane_init status. `api` must outlive every lease.
  static Result<std::shared_ptr<SaneLibrary>> Acquire(SaneApi& api);

  ~SaneLibrary();  // sane_exit when this was the last lease
  SaneLibrary(const SaneLibrary&) = delete;
  SaneLibrary& operator=(const SaneLibrary&) = delete;

  SaneApi& api() const { return api_; }
  // The version code sane_init reported (not reliable on Debian 12, SANE.md section 1).
  SANE_Int version_code() const { return version_code_; }

 private:
  SaneLibrary(SaneApi& api, SANE_Int version_code) : api_(api), version_code_(version_code) {}
  SaneApi& api_;
  SANE_Int version_code_;
};

class SaneDevice {
 public:
  // Opens device `name`. Errors: kNotFound (no such device), kDeviceBusy (another
  // program holds it), kDeviceError (access denied, I/O ...).
  static Result<std::unique_ptr<SaneDevice>> Open(std::shared_ptr<SaneLibrary> library,
                                                  const std::string& name);

  ~SaneDevice();  // sane_close
  SaneDevice(const SaneDevice&) = delete;
  SaneDevice& operator=(const SaneDevice&) = delete;

  SANE_Handle handle() const { return handle_; }
  SaneApi& api() const { return library_->api(); }
  const std::string& name() const { return name_; }

 private:
  SaneDevice(std::shared_ptr<SaneLibrary> library, std::string name, SANE_Handle handle)
      : library_(std::move(library)), name_(std::move(name)), handle_(handle) {}
  std::shared_ptr<SaneLibrary> library_;
  std::string name_;
  SANE_Handle handle_;
};

class SaneJob {
 public:
  // REQUIRES: `device` outlives the job.
  explicit SaneJob(SaneDevice& device) : device_(device) {}
  ~SaneJob() { device_.api().Cancel(device_.handle()); }  // always, see the top comment
  SaneJob(const SaneJob&) = delete;
  SaneJob& operator=(const SaneJob&) = delete;

 private:
  SaneDevice& device_;
};

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_SANE_HANDLES_H_
