// FakeScanner: a Scanner with scripted pages and faults, for the station's unit tests. It
// records what it was asked (ninja's FakeCommandRunner style) and keeps the contract of
// SaneScanner, so code written against it behaves the same with a real scanner:
//
//   - The script is the stack in the feeder, pages in delivery order (duplex: front and
//     back of sheet 1, then sheet 2 ...). A batch whose ScanSettings::first_sheet is K
//     starts at the pages of sheet K, like an operator who reloads the stack from sheet K.
//   - The stack running out ends the batch (nullopt); running out before the first page
//     is the "feeder empty" error. A flatbed batch is one page.
//   - A fault scripted at a page index is returned instead of that page (a duplex front
//     whose back faults is discarded, as SaneScanner does), fault_info() says where the
//     batch broke off, and the fault is then cleared (the operator cleared the jam)
//     unless it repeats. NextPage may be called again after a fault other than a cancel.
//   - A pace makes every page take that long; Cancel() interrupts the wait.
//
// Thread-safety: every method may be called from any thread (one mutex guards the script
// and the records). A session follows ScanSession's rule (one thread, Cancel from any).
// The FakeScanner must outlive its sessions.
#ifndef INTAKE_HARDWARE_FAKE_SCANNER_H_
#define INTAKE_HARDWARE_FAKE_SCANNER_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "hardware/scanner.h"

namespace intake::hardware {

class FakeScanner final : public Scanner {
 public:
  // One device, {"fake:0", "Intake", "Fake scanner", "sheetfed scanner"}, no pages.
  FakeScanner();

  // ---- the script ----
  void SetDevices(std::vector<DeviceInfo> devices);
  void AddPage(RawFrame frame);
  void AddPages(int count, const RawFrame& frame);
  // NextPage returns `error` instead of the page at `page_index` (0-based in the stack).
  void AddFault(int page_index, Error error, bool repeats = false);
  // The next StartBatch (or ListDevices) fails with `error`, once.
  void FailNextStartBatch(Error error);
  void FailNextListDevices(Error error);
  // Every page takes `per_page` to arrive. Default: no delay.
  void SetPace(std::chrono::milliseconds per_page);

  // ---- what was asked ----
  std::vector<ScanSettings> batches_started() const;  // every StartBatch call, in order
  int list_calls() const;
  int pages_delivered() const;  // over all sessions
  int cancel_calls() const;     // ScanSession::Cancel calls over all sessions
  int open_sessions() const;    // sessions not yet destroyed

  Result<std::vector<DeviceInfo>> ListDevices() override;
  Result<std::unique_ptr<ScanSession>> StartBatch(const ScanSettings& settings) override;

 private:
  friend class FakeScanSession;
  struct ScriptedFault {
    int page_index;
    Error error;
    bool repeats;
  };

  mutable std::mutex mutex_;
  std::condition_variable cancelled_cv_;  // wakes a paced NextPage on Cancel
  std::vector<DeviceInfo> devices_;
  std::vector<RawFrame> pages_;
  std::vector<ScriptedFault> faults_;
  std::optional<Error> start_error_;
  std::optional<Error> list_error_;
  std::chrono::milliseconds pace_{0};
  std::vector<ScanSettings> batches_;
  int list_calls_ = 0;
  int pages_delivered_ = 0;
  int cancel_calls_ = 0;
  int open_sessions_ = 0;
};

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_FAKE_SCANNER_H_
