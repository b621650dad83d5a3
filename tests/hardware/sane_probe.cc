// sane_probe: drives SaneScanner against the real libsane in a process of its own and
// prints a JSON summary, for tests/hardware/sane_test_backend_test.cc. SANE's test
// backend sometimes deadlocks after a cancel or an injected fault (SANE.md section 6.2),
// so every scenario runs in a child process with a hard timeout and one retry.
//
//   sane_probe list
//   sane_probe scan --device D [--source S] [--mode M] [--dpi N] [--set NAME=VALUE]...
//                   [--fault-at-page K=SANE_STATUS_X] [--cancel-mid-page K]
//                   [--max-pages N] [--resume]
//
// --fault-at-page sets the test backend's read-return-value just before page K (1-based
// in the run) is started, so the first read of that page returns the status; the next
// start sets it back to Default (the operator cleared the fault). --cancel-mid-page
// calls ScanSession::Cancel from a second thread when half of page K has been read.
// --resume starts a new batch at fault_info().reload_from_sheet after a fault.
//
// Output: {"devices": [...]} or {"batches": [{"pages": [...], "error": {code, message}
// | null, "fault_info": {...}, "start_error": ... }], "elapsed_ms": N}. Exit 0 unless the
// command line is wrong (2).
#include <sane/saneopts.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "hardware/sane_api.h"
#include "hardware/sane_scanner.h"

namespace intake::hardware {
namespace {

using nlohmann::json;

// Forwards to libsane and injects the probe's faults and cancels.
class ProbeApi final : public SaneApi {
 public:
  explicit ProbeApi(SaneApi& real) : real_(real) {}

  std::string fault_status;  // armed for page `fault_page`
  int fault_page = 0;
  int cancel_page = 0;
  ScanSession* session = nullptr;  // set while a batch runs
  int page = 0;                    // the page the probe is asking for (1-based)

  SANE_Status Init(SANE_Int* v) override { return real_.Init(v); }
  void Exit() override { real_.Exit(); }
  SANE_Status GetDevices(const SANE_Device*** l, bool local) override {
    return real_.GetDevices(l, local);
  }
  SANE_Status Open(const char* n, SANE_Handle* h) override { return real_.Open(n, h); }
  void Close(SANE_Handle h) override { real_.Close(h); }
  const SANE_Option_Descriptor* GetOptionDescriptor(SANE_Handle h, SANE_Int o) override {
    return real_.GetOptionDescriptor(h, o);
  }
  SANE_Status ControlOption(SANE_Handle h, SANE_Int o, SANE_Action a, void* v,
                            SANE_Int* i) override {
    return real_.ControlOption(h, o, a, v, i);
  }
  SANE_Status Start(SANE_Handle h) override {
    if (fault_page > 0 && page == fault_page && !fault_set_) {
      SetReadReturnValue(h, fault_status);
      fault_set_ = true;
    } else if (fault_set_ && !fault_cleared_) {
      SetReadReturnValue(h, "Default");  // options survive close/open: clear it once
      fault_cleared_ = true;
    }
    frame_bytes_ = 0;
    frame_size_ = 0;
    return real_.Start(h);
  }
  SANE_Status GetParameters(SANE_Handle h, SANE_Parameters* p) override {
    const SANE_Status s = real_.GetParameters(h, p);
    if (s == SANE_STATUS_GOOD && p->lines > 0) {
      frame_size_ = static_cast<size_t>(p->lines) * static_cast<size_t>(p->bytes_per_line);
    }
    return s;
  }
  SANE_Status Read(SANE_Handle h, SANE_Byte* d, SANE_Int max, SANE_Int* len) override {
    const SANE_Status s = real_.Read(h, d, max, len);
    if (s == SANE_STATUS_GOOD) frame_bytes_ += static_cast<size_t>(*len);
    if (cancel_page > 0 && page == cancel_page && !cancel_sent_ && frame_size_ > 0 &&
        frame_bytes_ * 2 >= frame_size_) {
      cancel_sent_ = true;
      CancelFromAnotherThread();
    }
    return s;
  }
  void Cancel(SANE_Handle h) override { real_.Cancel(h); }
  SANE_Status SetIoMode(SANE_Handle h, bool nb) override { return real_.SetIoMode(h, nb); }
  const char* StrStatus(SANE_Status s) override { return real_.StrStatus(s); }

 private:
  void SetReadReturnValue(SANE_Handle h, const std::string& value) {
    SANE_Int count = 0;
    if (real_.ControlOption(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) {
      return;
    }
    for (SANE_Int i = 1; i < count; ++i) {
      const SANE_Option_Descriptor* d = real_.GetOptionDescriptor(h, i);
      if (d == nullptr || d->name == nullptr || std::strcmp(d->name, "read-return-value") != 0) {
        continue;
      }
      std::vector<char> buffer(static_cast<size_t>(d->size) + 1, '\0');
      std::memcpy(buffer.data(), value.data(), std::min(value.size(), buffer.size() - 1));
      const SANE_Status s =
          real_.ControlOption(h, i, SANE_ACTION_SET_VALUE, buffer.data(), nullptr);
      std::fprintf(stderr, "probe: read-return-value=%s: %s\n", value.c_str(), real_.StrStatus(s));
      return;
    }
    std::fprintf(stderr, "probe: the device has no read-return-value option\n");
  }

  // Another thread calls Cancel; this (the reading) thread waits until it has.
  void CancelFromAnotherThread() {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread canceller([&] {
      session->Cancel();
      std::lock_guard<std::mutex> lock(m);
      done = true;
      cv.notify_all();
    });
    {
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return done; });
    }
    canceller.join();
  }

  SaneApi& real_;
  bool fault_set_ = false;
  bool fault_cleared_ = false;
  bool cancel_sent_ = false;
  size_t frame_bytes_ = 0;
  size_t frame_size_ = 0;
};

std::string Fnv1a(const std::vector<uint8_t>& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : bytes) {
    h ^= b;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

json PageJson(const ScannedPage& page) {
  const RawFrame& f = std::get<RawFrame>(page.content);
  json j = {{"sheet", page.sheet},
            {"side", page.side == Side::kFront ? "front" : "back"},
            {"dpi", page.dpi},
            {"source", page.source},
            {"width", f.width},
            {"height", f.height},
            {"depth", f.depth},
            {"channels", f.channels},
            {"bytes_per_line", f.bytes_per_line},
            {"bytes", f.pixels.size()},
            {"fnv", Fnv1a(f.pixels)}};
  if (f.depth == 1) {
    size_t black = 0;
    for (int y = 0; y < f.height; ++y) {
      for (int x = 0; x < f.width; ++x) {
        black += (f.pixels[static_cast<size_t>(y) * f.bytes_per_line + x / 8] >> (7 - x % 8)) & 1;
      }
    }
    j["black_fraction"] = static_cast<double>(black) / (static_cast<double>(f.width) * f.height);
  } else if (f.depth == 8) {
    double sum = 0;
    for (uint8_t b : f.pixels) sum += b;
    j["mean"] = f.pixels.empty() ? 0.0 : sum / static_cast<double>(f.pixels.size());
  } else {
    double sum = 0;
    const size_t n = f.pixels.size() / 2;
    for (size_t i = 0; i < n; ++i) {
      uint16_t v;
      std::memcpy(&v, &f.pixels[2 * i], 2);
      sum += v;
    }
    j["mean"] = n == 0 ? 0.0 : sum / static_cast<double>(n);
  }
  return j;
}

json ErrorJson(const Error& e) {
  return {{"code", std::string(ErrorCodeName(e.code()))}, {"message", e.message()}};
}

int Usage(const std::string& why) {
  std::cerr << "sane_probe: " << why << "\n";
  return 2;
}

int Main(int argc, char** argv) {
  if (argc < 2) return Usage("list or scan?");
  const std::string command = argv[1];
  ProbeApi api(RealSaneApi());
  SaneScannerOptions options;
  options.local_only = true;
  ScanSettings settings;
  settings.dpi = 50;
  int max_pages = 1000;
  bool resume = false;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--device") {
      settings.device = next();
    } else if (arg == "--source") {
      const std::string s = next();
      settings.source = s == "flatbed"  ? config::ScanSource::kFlatbed
                        : s == "duplex" ? config::ScanSource::kDuplex
                                        : config::ScanSource::kFeeder;
    } else if (arg == "--mode") {
      const std::string m = next();
      settings.mode = m == "lineart" ? config::ScanMode::kLineart
                      : m == "color" ? config::ScanMode::kColor
                                     : config::ScanMode::kGray;
    } else if (arg == "--dpi") {
      settings.dpi = std::stoi(next());
    } else if (arg == "--set") {
      const std::string kv = next();
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) return Usage("--set NAME=VALUE");
      options.extra_options.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (arg == "--fault-at-page") {
      const std::string kv = next();
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) return Usage("--fault-at-page K=STATUS");
      api.fault_page = std::stoi(kv.substr(0, eq));
      api.fault_status = kv.substr(eq + 1);
    } else if (arg == "--cancel-mid-page") {
      api.cancel_page = std::stoi(next());
    } else if (arg == "--max-pages") {
      max_pages = std::stoi(next());
    } else if (arg == "--resume") {
      resume = true;
    } else {
      return Usage("unknown argument " + arg);
    }
  }

  SaneScanner scanner(api, options);
  if (command == "list") {
    auto devices = scanner.ListDevices();
    json out;
    if (!devices) {
      out["error"] = ErrorJson(devices.error());
    } else {
      out["devices"] = json::array();
      for (const auto& d : *devices) {
        out["devices"].push_back(
            {{"name", d.name}, {"vendor", d.vendor}, {"model", d.model}, {"type", d.type}});
      }
    }
    std::cout << out.dump() << "\n";
    return 0;
  }
  if (command != "scan") return Usage("unknown command " + command);

  json out;
  out["batches"] = json::array();
  const auto t0 = std::chrono::steady_clock::now();
  int pages_asked = 0;
  for (int run = 0; run < 2; ++run) {
    json batch;
    auto session = scanner.StartBatch(settings);
    if (!session) {
      batch["start_error"] = ErrorJson(session.error());
      out["batches"].push_back(batch);
      break;
    }
    api.session = session->get();
    batch["pages"] = json::array();
    batch["error"] = nullptr;
    int in_batch = 0;
    while (in_batch < max_pages) {
      api.page = ++pages_asked;
      auto page = (*session)->NextPage();
      if (!page) {
        batch["error"] = ErrorJson(page.error());
        break;
      }
      if (!*page) break;
      batch["pages"].push_back(PageJson(**page));
      ++in_batch;
    }
    const ScanFaultInfo fault = (*session)->fault_info();
    batch["fault_info"] = {{"last_complete_sheet", fault.last_complete_sheet},
                           {"reload_from_sheet", fault.reload_from_sheet}};
    api.session = nullptr;
    session->reset();  // sane_cancel (if running) and sane_close
    out["batches"].push_back(batch);
    if (!resume || batch["error"].is_null()) break;
    settings.first_sheet = fault.reload_from_sheet;
  }
  out["elapsed_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace
}  // namespace intake::hardware

int main(int argc, char** argv) { return intake::hardware::Main(argc, argv); }
