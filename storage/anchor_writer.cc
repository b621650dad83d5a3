#include "storage/anchor_writer.h"

#include <utility>

#include "base/log.h"

namespace intake::storage {

AnchorWriter::AnchorWriter(std::string anchor_path, std::chrono::milliseconds delay)
    : anchor_path_(std::move(anchor_path)), delay_(delay) {
  if (delay_.count() > 0) thread_ = std::thread([this] { Run(); });
}

AnchorWriter::~AnchorWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  Status written = WritePending();
  if (!written) log::Warning(written.error().message());
}

void AnchorWriter::Publish(const AuditAnchor& newest) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pending_ || pending_->id < newest.id) pending_ = newest;
  }
  if (delay_.count() == 0) {
    Status written = WritePending();
    if (!written) log::Warning(written.error().message());
    return;
  }
  cv_.notify_all();
}

Status AnchorWriter::Flush() { return WritePending(); }

int AnchorWriter::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

Status AnchorWriter::WritePending() {
  std::lock_guard<std::mutex> writing(write_mu_);
  std::optional<AuditAnchor> newest;
  {
    std::lock_guard<std::mutex> lock(mu_);
    newest = std::exchange(pending_, std::nullopt);
  }
  if (!newest) return OkStatus();
  Status written = WriteAnchorFile(anchor_path_, *newest);
  std::lock_guard<std::mutex> lock(mu_);
  if (!written) {
    if (!pending_ || pending_->id < newest->id) pending_ = std::move(newest);
    return written;
  }
  ++writes_;
  return OkStatus();
}

void AnchorWriter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || pending_.has_value(); });
    if (stopping_) return;  // the destructor writes what is pending
    // Gather the commits of the next `delay` into one write.
    cv_.wait_for(lock, delay_, [this] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    Status written = WritePending();
    if (!written) log::Warning(written.error().message());
    lock.lock();
    if (!written) {
      // Retry after another delay rather than spinning on a failing disk.
      cv_.wait_for(lock, delay_, [this] { return stopping_; });
      if (stopping_) return;
    }
  }
}

}  // namespace intake::storage
