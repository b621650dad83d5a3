#include "hardware/fake_scanner.h"

#include <string>
#include <utility>

namespace intake::hardware {

class FakeScanSession final : public ScanSession {
 public:
  FakeScanSession(FakeScanner& scanner, const ScanSettings& settings)
      : scanner_(scanner),
        settings_(settings),
        duplex_(settings.source == config::ScanSource::kDuplex),
        flatbed_(settings.source == config::ScanSource::kFlatbed),
        last_complete_sheet_(settings.first_sheet - 1) {}
  ~FakeScanSession() override {
    std::lock_guard<std::mutex> lock(scanner_.mutex_);
    --scanner_.open_sessions_;
  }

  Result<std::optional<ScannedPage>> NextPage() override;
  ScanFaultInfo fault_info() const override {
    return {last_complete_sheet_, last_complete_sheet_ + 1};
  }
  void Cancel() override {
    {
      std::lock_guard<std::mutex> lock(scanner_.mutex_);
      ++scanner_.cancel_calls_;
      cancel_requested_ = true;
    }
    scanner_.cancelled_cv_.notify_all();
  }

 private:
  int PagesPerSheet() const { return duplex_ ? 2 : 1; }
  // The page at `index` of the stack, or its scripted fault; nullopt past the end.
  // REQUIRES: scanner_.mutex_ held.
  Result<std::optional<RawFrame>> Take(int index);
  Error Fail(Error error) {
    if (error.code() == ErrorCode::kCancelled) cancelled_ = true;
    return error;
  }
  ScannedPage MakePage(RawFrame frame, int sheet, Side side) const {
    ScannedPage page;
    page.content = std::move(frame);
    page.dpi = settings_.dpi;
    page.sheet = sheet;
    page.side = side;
    page.source = settings_.device.empty() ? "fake:0" : settings_.device;
    return page;
  }

  FakeScanner& scanner_;
  const ScanSettings settings_;
  const bool duplex_;
  const bool flatbed_;
  bool cancel_requested_ = false;  // guarded by scanner_.mutex_
  bool cancelled_ = false;
  bool finished_ = false;
  int last_complete_sheet_;
  int delivered_ = 0;
  std::optional<ScannedPage> held_back_;
};

Result<std::optional<RawFrame>> FakeScanSession::Take(int index) {
  for (auto it = scanner_.faults_.begin(); it != scanner_.faults_.end(); ++it) {
    if (it->page_index != index) continue;
    Error error = it->error;
    if (!it->repeats) scanner_.faults_.erase(it);
    return error;
  }
  if (index < 0 || index >= static_cast<int>(scanner_.pages_.size())) {
    return std::optional<RawFrame>();
  }
  return std::optional<RawFrame>(scanner_.pages_[static_cast<size_t>(index)]);
}

Result<std::optional<ScannedPage>> FakeScanSession::NextPage() {
  if (held_back_) {
    ScannedPage back = std::move(*held_back_);
    held_back_.reset();
    last_complete_sheet_ = back.sheet;
    ++delivered_;
    std::lock_guard<std::mutex> lock(scanner_.mutex_);
    ++scanner_.pages_delivered_;
    return std::optional<ScannedPage>(std::move(back));
  }
  const int sheet = last_complete_sheet_ + 1;
  const Error cancelled(ErrorCode::kCancelled,
                        "Scanningen blev afbrudt ved ark " + std::to_string(sheet) + ".");
  std::unique_lock<std::mutex> lock(scanner_.mutex_);
  if (cancelled_ || cancel_requested_) return Fail(cancelled);
  if (finished_) return std::optional<ScannedPage>();
  if (scanner_.pace_.count() > 0 &&
      scanner_.cancelled_cv_.wait_for(lock, scanner_.pace_ * PagesPerSheet(),
                                      [this] { return cancel_requested_; })) {
    return Fail(cancelled);
  }
  const int index = (sheet - 1) * PagesPerSheet();
  Result<std::optional<RawFrame>> front = Take(index);
  if (!front) return Fail(front.error());
  if (!*front) {
    if (delivered_ == 0) {
      return Fail(Error(ErrorCode::kDeviceError, "Fremføreren er tom. Læg arkene fra ark " +
                                                     std::to_string(sheet) +
                                                     " i fremføreren og start scanningen igen."));
    }
    finished_ = true;
    return std::optional<ScannedPage>();
  }
  ScannedPage front_page = MakePage(std::move(**front), sheet, Side::kFront);
  if (duplex_) {
    Result<std::optional<RawFrame>> back = Take(index + 1);
    if (!back) return Fail(back.error());  // the front is discarded with its sheet
    if (*back) {
      held_back_ = MakePage(std::move(**back), sheet, Side::kBack);
    } else {
      finished_ = true;  // a last sheet without a back: keep the front
      last_complete_sheet_ = sheet;
    }
  } else {
    last_complete_sheet_ = sheet;
    if (flatbed_) finished_ = true;
  }
  ++delivered_;
  ++scanner_.pages_delivered_;
  return std::optional<ScannedPage>(std::move(front_page));
}

FakeScanner::FakeScanner()
    : devices_{DeviceInfo{"fake:0", "Intake", "Fake scanner", "sheetfed scanner"}} {}

void FakeScanner::SetDevices(std::vector<DeviceInfo> devices) {
  std::lock_guard<std::mutex> lock(mutex_);
  devices_ = std::move(devices);
}

void FakeScanner::AddPage(RawFrame frame) {
  std::lock_guard<std::mutex> lock(mutex_);
  pages_.push_back(std::move(frame));
}

void FakeScanner::AddPages(int count, const RawFrame& frame) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int i = 0; i < count; ++i) pages_.push_back(frame);
}

void FakeScanner::AddFault(int page_index, Error error, bool repeats) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(ScriptedFault{page_index, std::move(error), repeats});
}

void FakeScanner::FailNextStartBatch(Error error) {
  std::lock_guard<std::mutex> lock(mutex_);
  start_error_ = std::move(error);
}

void FakeScanner::FailNextListDevices(Error error) {
  std::lock_guard<std::mutex> lock(mutex_);
  list_error_ = std::move(error);
}

void FakeScanner::SetPace(std::chrono::milliseconds per_page) {
  std::lock_guard<std::mutex> lock(mutex_);
  pace_ = per_page;
}

std::vector<ScanSettings> FakeScanner::batches_started() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

int FakeScanner::list_calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return list_calls_;
}

int FakeScanner::pages_delivered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pages_delivered_;
}

int FakeScanner::cancel_calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancel_calls_;
}

int FakeScanner::open_sessions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return open_sessions_;
}

Result<std::vector<DeviceInfo>> FakeScanner::ListDevices() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++list_calls_;
  if (list_error_) {
    Error error = std::move(*list_error_);
    list_error_.reset();
    return error;
  }
  return devices_;
}

Result<std::unique_ptr<ScanSession>> FakeScanner::StartBatch(const ScanSettings& settings) {
  std::lock_guard<std::mutex> lock(mutex_);
  batches_.push_back(settings);
  if (start_error_) {
    Error error = std::move(*start_error_);
    start_error_.reset();
    return error;
  }
  if (settings.first_sheet < 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "batchen skal starte ved ark 1 eller senere, ikke ark " +
                     std::to_string(settings.first_sheet));
  }
  if (!settings.device.empty()) {
    bool known = false;
    for (const auto& d : devices_) known = known || d.name == settings.device;
    if (!known) {
      return Error(ErrorCode::kNotFound,
                   "scanneren \"" + settings.device + "\" findes ikke eller er ikke tilsluttet");
    }
  }
  ++open_sessions_;
  return std::unique_ptr<ScanSession>(new FakeScanSession(*this, settings));
}

}  // namespace intake::hardware
