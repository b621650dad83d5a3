// FakeSaneApi: an in-process SaneApi for unit tests of the SANE frontend (SANE.md section
// 6.1). It scripts devices, options (with constraints, info flags and reloads) and what
// each sane_start yields (a status, or a frame with its parameters, bytes and an optional
// fault after N bytes), and records every call, so tests can check the batch logic and
// that sane_cancel is called exactly once per job.
//
// Like a real backend it refuses option changes during a scan, answers CANCELLED to a
// read after sane_cancel and NO_DOCS when the script is exhausted.
//
// Thread-safety: none; the on_read hook may hand control to another thread, which is how
// the cancel tests call ScanSession::Cancel from a second thread.
#ifndef INTAKE_TESTS_HARDWARE_FAKE_SANE_API_H_
#define INTAKE_TESTS_HARDWARE_FAKE_SANE_API_H_

#include <sane/sane.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hardware/sane_api.h"

namespace intake::hardware::testing {

struct FakeOption {
  std::string name;
  SANE_Value_Type type = SANE_TYPE_INT;
  SANE_Unit unit = SANE_UNIT_NONE;
  SANE_Int cap = SANE_CAP_SOFT_SELECT | SANE_CAP_SOFT_DETECT;
  SANE_Int size = sizeof(SANE_Word);  // strings: the buffer size
  // Constraint: at most one of these.
  std::vector<std::string> strings;
  std::vector<SANE_Word> words;
  std::optional<SANE_Range> range;
  // Value.
  SANE_Word word = 0;
  std::string text;
  // Extra info flags a successful set returns (e.g. SANE_INFO_RELOAD_OPTIONS).
  SANE_Int set_info = 0;
  // Called after a successful set (e.g. to change another option's constraint).
  std::function<void(FakeOption&)> on_set;
  // Changes a number written to it and reports SANE_INFO_INEXACT (like a backend that
  // rounds).
  std::function<SANE_Word(SANE_Word)> inexact;

  // Built on demand; points into the fields above.
  SANE_Option_Descriptor descriptor{};
  std::vector<const char*> string_ptrs;
  std::vector<SANE_Word> word_list;
};

struct FakeFrame {
  SANE_Parameters params{};
  std::vector<uint8_t> data;
  SANE_Status fault = SANE_STATUS_GOOD;  // returned by sane_read once `fault_after` bytes
  size_t fault_after = 0;                // of this frame have been read
};

// What one sane_start yields: a status other than GOOD, or a frame.
struct FakeStart {
  SANE_Status status = SANE_STATUS_GOOD;
  FakeFrame frame;
};

class FakeSaneApi final : public SaneApi {
 public:
  FakeSaneApi();

  // ---- script ----
  void AddDevice(const std::string& name, const std::string& vendor, const std::string& model,
                 const std::string& type);
  FakeOption& AddOption(FakeOption option);
  FakeOption* FindOption(const std::string& name);
  void AddPage(FakeFrame frame) {
    starts_.push_back(FakeStart{SANE_STATUS_GOOD, std::move(frame)});
  }
  void AddStartStatus(SANE_Status status) { starts_.push_back(FakeStart{status, {}}); }
  SANE_Status open_status = SANE_STATUS_GOOD;
  SANE_Status init_status = SANE_STATUS_GOOD;
  int max_read_bytes = 0;  // > 0: at most this many bytes per sane_read
  // Called after each successful sane_read with the bytes read so far in the frame.
  std::function<void(size_t)> on_read;

  // ---- records ----
  int init_calls = 0, exit_calls = 0, open_calls = 0, close_calls = 0;
  int start_calls = 0, read_calls = 0, cancel_calls = 0, io_mode_calls = 0;
  std::string opened_name;
  std::vector<std::string> sets;   // "name=value" for every successful set, in order
  std::vector<std::string> calls;  // "start", "cancel", "close" ... in order
  size_t starts_left() const { return starts_.size(); }

  // ---- SaneApi ----
  SANE_Status Init(SANE_Int* version_code) override;
  void Exit() override;
  SANE_Status GetDevices(const SANE_Device*** device_list, bool local_only) override;
  SANE_Status Open(const char* name, SANE_Handle* handle) override;
  void Close(SANE_Handle handle) override;
  const SANE_Option_Descriptor* GetOptionDescriptor(SANE_Handle handle, SANE_Int option) override;
  SANE_Status ControlOption(SANE_Handle handle, SANE_Int option, SANE_Action action, void* value,
                            SANE_Int* info) override;
  SANE_Status Start(SANE_Handle handle) override;
  SANE_Status GetParameters(SANE_Handle handle, SANE_Parameters* params) override;
  SANE_Status Read(SANE_Handle handle, SANE_Byte* data, SANE_Int max_length,
                   SANE_Int* length) override;
  void Cancel(SANE_Handle handle) override;
  SANE_Status SetIoMode(SANE_Handle handle, bool non_blocking) override;
  const char* StrStatus(SANE_Status status) override;

 private:
  struct Device {
    std::string name, vendor, model, type;
    SANE_Device sane{};
  };
  std::deque<Device> devices_;
  std::vector<const SANE_Device*> device_ptrs_;
  std::vector<std::unique_ptr<FakeOption>> options_;
  SANE_Option_Descriptor count_descriptor_{};
  std::deque<FakeStart> starts_;
  std::optional<FakeFrame> current_;
  size_t offset_ = 0;
  bool scanning_ = false;
  bool cancelled_ = false;
  int handle_token_ = 0;
};

// Frame helpers. Data rows are `bytes_per_line` long; padding bytes are 0xEE.
SANE_Parameters Params(SANE_Frame format, int width, int lines, int depth, int bytes_per_line,
                       bool last_frame = true);

// A grey frame (depth 8) whose pixel (x, y) is (x + 3 * y + seed) % 256, rows padded to
// `bytes_per_line` (0: no padding).
FakeFrame GrayFrame(int width, int height, int seed = 0, int bytes_per_line = 0);

// Standard options of a document scanner: source (Flatbed / ADF / ADF Duplex), mode
// (Lineart / Gray / Color), resolution (INT word list 75 150 300 600), geometry (FIXED mm,
// 0..215.9 x 0..297, quant 0).
void AddDocumentScannerOptions(FakeSaneApi& api);

}  // namespace intake::hardware::testing

#endif  // INTAKE_TESTS_HARDWARE_FAKE_SANE_API_H_
