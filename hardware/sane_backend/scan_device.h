// ScanDevice: one open device of the project's SANE backend (libsane-intake.so.1): its
// options, its feeder of sheets from a page folder, the pace and the injected faults.
// sane_entry.cc maps the SANE C entry points onto it; tests may drive it directly.
//
// The feeder (README.md gives the whole behaviour):
//   - At sane_open the feeder holds sheets start_sheet..N of the page folder (none when
//     `empty`). Each Start() feeds the next page: "ADF Front" and "Flatbed" the front of
//     the next sheet (flatbed: the operator lays the next sheet on the glass), "ADF
//     Duplex" front then back of each sheet. After the last page Start() returns
//     SANE_STATUS_NO_DOCS.
//   - A fault at sheet K (cover open, jam, I/O error; checked in that order) happens when
//     the front of sheet K is fed: at Start() or, with fault_at read, after half of the
//     page's lines were read. Sheets before K are complete, both sides when duplex. The
//     fault then stays (paper in the path, cover open) until the device is closed: every
//     Start() and Read() returns it. The operator's "reloaded from sheet K" is a new
//     sane_open after intake.conf says start_sheet K (and no longer the fault).
//   - pace P spreads each page's data over 60/P seconds, measured from when the page was
//     fed (the later of the Start() call and the end of the previous page's interval), so
//     a frontend that keeps up receives P pages a minute.
//
// Thread-safety: one thread uses a ScanDevice (SANE's rule for a handle), except Cancel(),
// which any thread or a signal handler may call: it only sets an atomic flag, which
// Read() (also while it sleeps for the pace, in slices of at most 20 ms) and Start() honour.
#ifndef INTAKE_HARDWARE_SANE_BACKEND_SCAN_DEVICE_H_
#define INTAKE_HARDWARE_SANE_BACKEND_SCAN_DEVICE_H_

#include <sane/sane.h>
#include <sane/saneopts.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/sane_backend/backend_config.h"
#include "hardware/sane_backend/page_source.h"

namespace intake::hardware::sane_backend {

// Option values of one device. The backend keeps them per device name across close and
// open within one sane_init, and resets them at sane_exit (as SANE.md section 2 observed
// for other backends).
struct OptionValues {
  std::string mode = SANE_VALUE_SCAN_MODE_GRAY;
  std::string source = "ADF Front";
  SANE_Int resolution = 300;
  SANE_Fixed tl_x = 0;
  SANE_Fixed tl_y = 0;
  SANE_Fixed br_x = SANE_FIX(210.0);
  SANE_Fixed br_y = SANE_FIX(297.0);
};

// Option numbers; option 0 is the count (SANE).
enum OptionIndex : SANE_Int {
  kOptCount = 0,
  kOptModeGroup,
  kOptMode,
  kOptSource,
  kOptResolution,
  kOptGeometryGroup,
  kOptTlX,
  kOptTlY,
  kOptBrX,
  kOptBrY,
  kNumOptions
};

class ScanDevice {
 public:
  // `sheets` is the listing of config.pages_dir. `options` must outlive the device.
  ScanDevice(DeviceConfig config, std::vector<Sheet> sheets, OptionValues* options);
  ScanDevice(const ScanDevice&) = delete;
  ScanDevice& operator=(const ScanDevice&) = delete;

  const DeviceConfig& config() const { return config_; }

  // The descriptor of option `index`, or nullptr when there is no such option. Static data:
  // valid until the library is unloaded.
  static const SANE_Option_Descriptor* Descriptor(SANE_Int index);

  // sane_control_option. Setting an option while a page is being read: SANE_STATUS_INVAL.
  SANE_Status Control(SANE_Int index, SANE_Action action, void* value, SANE_Int* info);
  SANE_Status GetParameters(SANE_Parameters* params) const;
  SANE_Status Start();
  SANE_Status Read(SANE_Byte* data, SANE_Int max_length, SANE_Int* length);
  void Cancel() { cancel_requested_.store(true, std::memory_order_relaxed); }
  SANE_Status SetIoMode(SANE_Bool non_blocking) const;

 private:
  enum class State { kIdle, kScanning, kEof, kCancelled };
  enum class Side { kFront, kBack };

  bool Scanning() const;
  FrameLayout CurrentLayout() const;
  SANE_Status FaultForSheet(int sheet) const;
  // Sleeps until `deadline` in short slices; false when a cancel arrived meanwhile.
  bool SleepUntil(std::chrono::steady_clock::time_point deadline) const;
  void DropPage();

  const DeviceConfig config_;
  const std::vector<Sheet> sheets_;
  OptionValues* const options_;

  State state_ = State::kIdle;
  std::atomic<bool> cancel_requested_{false};
  // A fault that happened; every later Start() and Read() returns it.
  SANE_Status latched_fault_ = SANE_STATUS_GOOD;

  // Feeder position: index into sheets_ of the next sheet, and which side comes next.
  size_t next_sheet_ = 0;
  Side next_side_ = Side::kFront;

  // The page being read.
  FrameLayout page_layout_;
  std::vector<uint8_t> page_;
  size_t delivered_ = 0;
  size_t fault_at_byte_ = 0;  // page_.size() + 1 when the page has no fault
  SANE_Status page_fault_ = SANE_STATUS_GOOD;
  std::chrono::steady_clock::time_point page_fed_{};
  std::chrono::steady_clock::time_point page_deadline_{};
};

}  // namespace intake::hardware::sane_backend

#endif  // INTAKE_HARDWARE_SANE_BACKEND_SCAN_DEVICE_H_
