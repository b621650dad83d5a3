// The SANE entry points of libsane-intake.so.1.
//
// libsane's dll backend (sane-backends backend/dll.c) finds the library as
// DIR/libsane-intake.so.1 for each DIR of LD_LIBRARY_PATH (read with getenv when the
// backend is first loaded) and then its built-in folder, dlopen()s that path and looks up
// `sane_intake_<op>` (then `_sane_intake_<op>`) for each of the 13 operations; plain
// `sane_init` and friends are not looked up. So the library exports exactly those 13
// symbols (exports.map) and nothing else. Device names reach sane_intake_open without the
// "intake:" prefix; an empty name opens the first device.
//
// Exceptions never leave these functions (they are called from C). Global state (the
// device list, the option values per device, the open devices) is guarded by one mutex,
// taken by init, exit, get_devices, open and close. Calls with a handle look it up in a
// lock-free table of open handles (a handle that is not open gives SANE_STATUS_INVAL, not
// a crash) and take no lock: a handle is used by one thread, except sane_intake_cancel,
// which may come from any thread or a signal handler (scanimage calls it from its SIGINT
// handler) and only sets an atomic flag.
#include <sane/sane.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hardware/sane_backend/backend_config.h"
#include "hardware/sane_backend/debug_log.h"
#include "hardware/sane_backend/page_source.h"
#include "hardware/sane_backend/scan_device.h"

#define INTAKE_SANE_EXPORT extern "C" __attribute__((visibility("default")))

namespace intake::hardware::sane_backend {
namespace {

constexpr int kBuild = 1;
constexpr size_t kMaxHandles = 64;

struct Registry {
  std::mutex mu;
  bool initialized = false;
  // sane_get_devices' answer; valid until the next call or sane_exit.
  std::vector<std::string> device_names;
  std::vector<SANE_Device> devices;
  std::vector<const SANE_Device*> device_list;
  // Option values per device name: they survive close and open, not sane_exit.
  std::map<std::string, OptionValues> options;
  // Open devices. `handles` is the lock-free view sane_intake_cancel uses.
  std::map<ScanDevice*, std::unique_ptr<ScanDevice>> open;
  std::array<std::atomic<ScanDevice*>, kMaxHandles> handles{};
};

Registry& Reg() {
  static Registry registry;
  return registry;
}

// The open device behind `handle`, or nullptr. Lock-free: a linear search of the slots.
ScanDevice* Lookup(SANE_Handle handle) {
  if (handle == nullptr) return nullptr;
  for (auto& slot : Reg().handles) {
    if (slot.load(std::memory_order_acquire) == handle) return static_cast<ScanDevice*>(handle);
  }
  return nullptr;
}

void PrintErrors(const std::vector<std::string>& errors) {
  for (const auto& e : errors) Dbg(0, "%s", e.c_str());
}

// REQUIRES: reg.mu held.
void CloseAll(Registry& reg) {
  for (auto& slot : reg.handles) slot.store(nullptr, std::memory_order_release);
  reg.open.clear();
}

}  // namespace
}  // namespace intake::hardware::sane_backend

using intake::hardware::sane_backend::BackendConfig;
using intake::hardware::sane_backend::Dbg;
using intake::hardware::sane_backend::LoadBackendConfig;
using intake::hardware::sane_backend::Lookup;
using intake::hardware::sane_backend::Reg;
using intake::hardware::sane_backend::ScanDevice;

INTAKE_SANE_EXPORT SANE_Status sane_intake_init(SANE_Int* version_code,
                                                SANE_Auth_Callback /*authorize*/) {
  try {
    intake::hardware::sane_backend::InitDebugLevel();
    if (version_code != nullptr) {
      *version_code = SANE_VERSION_CODE(SANE_CURRENT_MAJOR, SANE_CURRENT_MINOR,
                                        intake::hardware::sane_backend::kBuild);
    }
    auto& reg = Reg();
    std::lock_guard lock(reg.mu);
    reg.initialized = true;
    const BackendConfig config = LoadBackendConfig();
    // Errors are printed (level 0) when a device is opened; here only with debugging on.
    for (const auto& e : config.errors) Dbg(1, "init: %s", e.c_str());
    Dbg(2, "init: %zu device(s) in %s", config.devices.size(), config.path.c_str());
    return SANE_STATUS_GOOD;
  } catch (...) {
    return SANE_STATUS_NO_MEM;
  }
}

INTAKE_SANE_EXPORT void sane_intake_exit(void) {
  try {
    auto& reg = Reg();
    std::lock_guard lock(reg.mu);
    intake::hardware::sane_backend::CloseAll(reg);
    reg.options.clear();
    reg.device_list.clear();
    reg.devices.clear();
    reg.device_names.clear();
    reg.initialized = false;
  } catch (...) {
  }
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_get_devices(const SANE_Device*** device_list,
                                                       SANE_Bool /*local_only*/) {
  if (device_list == nullptr) return SANE_STATUS_INVAL;
  try {
    auto& reg = Reg();
    std::lock_guard lock(reg.mu);
    if (!reg.initialized) return SANE_STATUS_INVAL;
    const BackendConfig config = LoadBackendConfig();
    reg.device_names.clear();
    reg.devices.clear();
    reg.device_list.clear();
    for (const auto& d : config.devices) reg.device_names.push_back(d.name);
    for (const auto& name : reg.device_names) {
      reg.devices.push_back(
          SANE_Device{name.c_str(), "Intake", "Demo-scanner", "sheetfed scanner"});
    }
    for (const auto& d : reg.devices) reg.device_list.push_back(&d);
    reg.device_list.push_back(nullptr);
    *device_list = reg.device_list.data();
    return SANE_STATUS_GOOD;
  } catch (...) {
    return SANE_STATUS_NO_MEM;
  }
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_open(SANE_String_Const name, SANE_Handle* handle) {
  if (handle == nullptr) return SANE_STATUS_INVAL;
  *handle = nullptr;
  try {
    using intake::hardware::sane_backend::ListSheets;
    using intake::hardware::sane_backend::PrintErrors;
    auto& reg = Reg();
    std::lock_guard lock(reg.mu);
    if (!reg.initialized) return SANE_STATUS_INVAL;
    // Read at every open, so a test (or the demo) can change the pace, the faults and the
    // start sheet between batches.
    BackendConfig config = LoadBackendConfig();
    if (!config.errors.empty()) {
      PrintErrors(config.errors);
      return SANE_STATUS_INVAL;
    }
    const std::string wanted = name != nullptr ? name : "";
    const intake::hardware::sane_backend::DeviceConfig* device = nullptr;
    for (const auto& d : config.devices) {
      if (wanted.empty() || d.name == wanted) {
        device = &d;
        break;
      }
    }
    if (device == nullptr) {
      Dbg(0, "%s: ingen enhed '%s'; tilføj 'device %s' eller brug en af de %zu enheder i filen",
          config.path.c_str(), wanted.c_str(), wanted.c_str(), config.devices.size());
      return SANE_STATUS_INVAL;
    }
    if (device->busy) {
      Dbg(1, "open: '%s' is busy (busy true in %s)", device->name.c_str(), config.path.c_str());
      return SANE_STATUS_DEVICE_BUSY;
    }
    for (const auto& [ptr, open] : reg.open) {
      if (open->config().name == device->name) {
        Dbg(1, "open: '%s' is already open", device->name.c_str());
        return SANE_STATUS_DEVICE_BUSY;
      }
    }
    auto listing = ListSheets(device->pages_dir);
    if (!listing.errors.empty()) {
      PrintErrors(listing.errors);
      return SANE_STATUS_INVAL;
    }
    auto slot = std::find_if(reg.handles.begin(), reg.handles.end(), [](const auto& s) {
      return s.load(std::memory_order_relaxed) == nullptr;
    });
    if (slot == reg.handles.end()) return SANE_STATUS_NO_MEM;
    Dbg(2, "open: '%s', %zu sheet(s) from %s, start sheet %d", device->name.c_str(),
        listing.sheets.size(), device->pages_dir.c_str(), device->start_sheet);
    auto scan_device = std::make_unique<ScanDevice>(*device, std::move(listing.sheets),
                                                    &reg.options[device->name]);
    ScanDevice* ptr = scan_device.get();
    reg.open.emplace(ptr, std::move(scan_device));
    slot->store(ptr, std::memory_order_release);
    *handle = ptr;
    return SANE_STATUS_GOOD;
  } catch (...) {
    return SANE_STATUS_NO_MEM;
  }
}

INTAKE_SANE_EXPORT void sane_intake_close(SANE_Handle handle) {
  try {
    auto& reg = Reg();
    std::lock_guard lock(reg.mu);
    auto it = reg.open.find(static_cast<ScanDevice*>(handle));
    if (it == reg.open.end()) {
      Dbg(1, "close: unknown handle");
      return;
    }
    for (auto& slot : reg.handles) {
      if (slot.load(std::memory_order_relaxed) == handle) {
        slot.store(nullptr, std::memory_order_release);
      }
    }
    reg.open.erase(it);
  } catch (...) {
  }
}

INTAKE_SANE_EXPORT const SANE_Option_Descriptor* sane_intake_get_option_descriptor(
    SANE_Handle handle, SANE_Int option) {
  if (Lookup(handle) == nullptr) return nullptr;
  return ScanDevice::Descriptor(option);
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_control_option(SANE_Handle handle, SANE_Int option,
                                                          SANE_Action action, void* value,
                                                          SANE_Int* info) {
  ScanDevice* device = Lookup(handle);
  if (device == nullptr) return SANE_STATUS_INVAL;
  try {
    return device->Control(option, action, value, info);
  } catch (...) {
    return SANE_STATUS_NO_MEM;
  }
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_get_parameters(SANE_Handle handle,
                                                          SANE_Parameters* params) {
  ScanDevice* device = Lookup(handle);
  if (device == nullptr) return SANE_STATUS_INVAL;
  return device->GetParameters(params);
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_start(SANE_Handle handle) {
  ScanDevice* device = Lookup(handle);
  if (device == nullptr) return SANE_STATUS_INVAL;
  try {
    return device->Start();
  } catch (...) {
    return SANE_STATUS_NO_MEM;
  }
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_read(SANE_Handle handle, SANE_Byte* data,
                                                SANE_Int max_length, SANE_Int* length) {
  if (length != nullptr) *length = 0;
  ScanDevice* device = Lookup(handle);
  if (device == nullptr) return SANE_STATUS_INVAL;
  try {
    return device->Read(data, max_length, length);
  } catch (...) {
    return SANE_STATUS_IO_ERROR;
  }
}

INTAKE_SANE_EXPORT void sane_intake_cancel(SANE_Handle handle) {
  if (ScanDevice* device = Lookup(handle); device != nullptr) device->Cancel();
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_set_io_mode(SANE_Handle handle, SANE_Bool non_blocking) {
  ScanDevice* device = Lookup(handle);
  if (device == nullptr) return SANE_STATUS_INVAL;
  return device->SetIoMode(non_blocking);
}

INTAKE_SANE_EXPORT SANE_Status sane_intake_get_select_fd(SANE_Handle handle, SANE_Int* fd) {
  if (Lookup(handle) == nullptr || fd == nullptr) return SANE_STATUS_INVAL;
  return SANE_STATUS_UNSUPPORTED;
}
