#include "hardware/sane_handles.h"

#include <map>
#include <mutex>

namespace intake::hardware {
namespace {

// Leases per SaneApi: sane_init when the count leaves 0, sane_exit when it returns to 0.
// Both calls happen under the mutex, so an Acquire racing with the last release cannot
// see an initialised library that is about to be exited.
std::mutex& LeaseMutex() {
  static std::mutex* const mutex = new std::mutex();
  return *mutex;
}
struct Leases {
  int count = 0;
  SANE_Int version_code = 0;
};
std::map<SaneApi*, Leases>& LeaseCounts() {
  static auto* const counts = new std::map<SaneApi*, Leases>();
  return *counts;
}

}  // namespace

Result<std::shared_ptr<SaneLibrary>> SaneLibrary::Acquire(SaneApi& api) {
  std::lock_guard<std::mutex> lock(LeaseMutex());
  Leases& leases = LeaseCounts()[&api];
  if (leases.count == 0) {
    const SANE_Status status = api.Init(&leases.version_code);
    if (status != SANE_STATUS_GOOD) {
      LeaseCounts().erase(&api);
      return FromSaneStatus("kan ikke starte scannerbiblioteket (sane_init)", status);
    }
  }
  ++leases.count;
  return std::shared_ptr<SaneLibrary>(new SaneLibrary(api, leases.version_code));
}

SaneLibrary::~SaneLibrary() {
  std::lock_guard<std::mutex> lock(LeaseMutex());
  auto it = LeaseCounts().find(&api_);
  if (it == LeaseCounts().end()) return;
  if (--it->second.count == 0) {
    LeaseCounts().erase(it);
    api_.Exit();
  }
}

Result<std::unique_ptr<SaneDevice>> SaneDevice::Open(std::shared_ptr<SaneLibrary> library,
                                                     const std::string& name) {
  SANE_Handle handle = nullptr;
  const SANE_Status status = library->api().Open(name.c_str(), &handle);
  if (status == SANE_STATUS_INVAL) {
    // What the dll loader and most backends answer for an unknown device name.
    return Error(ErrorCode::kNotFound,
                 "scanneren \"" + name +
                     "\" findes ikke eller er ikke tilsluttet; se listen med `station devices` "
                     "og ret scannerprofilens device");
  }
  if (status != SANE_STATUS_GOOD) {
    return FromSaneStatus("kan ikke åbne scanneren \"" + name + "\"", status);
  }
  if (handle == nullptr) {
    return Error(ErrorCode::kInternal,
                 "scannerdriveren for \"" + name + "\" returnerede intet håndtag");
  }
  return std::unique_ptr<SaneDevice>(new SaneDevice(std::move(library), name, handle));
}

SaneDevice::~SaneDevice() { api().Close(handle_); }

}  // namespace intake::hardware
