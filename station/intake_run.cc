#include "station/intake_run.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/log.h"
#include "base/sha256.h"
#include "station/interrupt.h"
#include "station/page_json.h"
#include "station/pipeline_setup.h"

namespace intake::station {
namespace {

using Clock = std::chrono::steady_clock;

struct Handover {
  storage::SpooledPage page;
  std::optional<ocr::PageImage> image;  // absent: spilled, read back from the spool
};

std::string ExtensionOf(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "tiff") ext = "tif";
  if (ext == "jpeg") ext = "jpg";
  if (ext.empty() || ext.size() > 4) ext = "bin";
  return ext;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(ErrorCode::kInvalidArgument,
                 FromErrno("kan ikke læse " + std::filesystem::path(path).filename().string(),
                           errno)
                     .message());
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string FaultCode(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kDeviceBusy: return "busy";
    case ErrorCode::kIOError: return "spool_error";
    default: break;
  }
  const std::string& m = e.message();
  if (m.find("Papirstop") != std::string::npos) return "jammed";
  if (m.find("åben") != std::string::npos) return "cover_open";
  if (m.find("tom") != std::string::npos) return "no_docs";
  return "device_error";
}

}  // namespace

IntakeOptions IntakeOptionsFor(const config::Config& cfg, bool no_ocr) {
  IntakeOptions options;
  options.pipeline.workers = cfg.ocr.workers;
  options.pipeline.max_pages_in_memory = cfg.ocr.max_pages_in_memory;
  options.pipeline.page_timeout = std::chrono::seconds(cfg.ocr.page_timeout_s);
  options.pipeline.keep_images = false;
  options.pipeline.worker_nice = 10;  // the scanner thread first: scanning never waits for OCR
  options.max_waiting_in_memory = cfg.ocr.max_pages_in_memory;
  options.engine_factory = MakeEngineFactory(cfg.ocr.languages, no_ocr);
  return options;
}

Result<ocr::PageImage> FrameToPageImage(const hardware::RawFrame& frame, int dpi,
                                        const std::string& source, int page_number) {
  if (frame.width <= 0 || frame.height <= 0 || frame.bytes_per_line <= 0 ||
      frame.pixels.size() < static_cast<size_t>(frame.bytes_per_line) * frame.height) {
    return Error(ErrorCode::kDeviceError,
                 "side " + std::to_string(page_number) + " fra " + source +
                     " er ufuldstændig (" + std::to_string(frame.pixels.size()) + " byte)");
  }
  const bool rgb = frame.channels == 3;
  const int depth = frame.depth == 1 ? 1 : rgb ? 32 : 8;
  if ((frame.depth != 1 && frame.depth != 8 && frame.depth != 16) ||
      (frame.channels != 1 && frame.channels != 3) || (frame.depth == 1 && rgb)) {
    return Error(ErrorCode::kDeviceError, "scanneren leverede et ukendt billedformat (" +
                                              std::to_string(frame.depth) + " bit, " +
                                              std::to_string(frame.channels) + " kanaler)");
  }
  ocr::PixPtr pix(pixCreate(frame.width, frame.height, depth));
  if (!pix) return Error(ErrorCode::kInternal, "ikke hukommelse nok til siden");
  const int wpl = pixGetWpl(pix.get());
  l_uint32* data = pixGetData(pix.get());
  const int sample_bytes = frame.depth == 16 ? 2 : 1;
  for (int y = 0; y < frame.height; ++y) {
    const uint8_t* in = frame.pixels.data() + static_cast<size_t>(y) * frame.bytes_per_line;
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    if (frame.depth == 1) {
      for (int i = 0; i < (frame.width + 7) / 8; ++i) SET_DATA_BYTE(line, i, in[i]);
      continue;
    }
    for (int x = 0; x < frame.width; ++x) {
      auto sample = [&](int c) -> int {
        const uint8_t* s = in + (static_cast<size_t>(x) * frame.channels + c) * sample_bytes;
        if (sample_bytes == 1) return s[0];
        uint16_t v;
        std::memcpy(&v, s, 2);  // host order
        return v >> 8;
      };
      if (rgb) {
        l_uint32 value = 0;
        composeRGBPixel(sample(0), sample(1), sample(2), &value);
        line[x] = value;
      } else {
        SET_DATA_BYTE(line, x, sample(0));
      }
    }
  }
  pixSetResolution(pix.get(), dpi, dpi);
  ocr::PageImage page;
  page.pix = std::move(pix);
  page.dpi = dpi > 0 ? dpi : 300;
  page.dpi_assumed = dpi <= 0;
  page.source = source;
  page.source_page = page_number;
  return page;
}

Result<std::string> EncodePng(const PIX* pix) {
  // Fast zlib level: the spool is a waiting room, not the archive.
  ocr::PixPtr copy(pixCopy(nullptr, const_cast<PIX*>(pix)));
  if (!copy) return Error(ErrorCode::kInternal, "ikke hukommelse nok til at gemme siden");
  pixSetSpecial(copy.get(), 10 + 1);
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemPng(&data, &size, copy.get(), 0.0f) != 0 || data == nullptr) {
    return Error(ErrorCode::kInternal, "siden kunne ikke kodes som PNG");
  }
  ocr::LeptBytes owned(data);
  return std::string(reinterpret_cast<const char*>(data), size);
}

Result<IntakeSummary> RunIntake(hardware::ScanSession& session, storage::PageSpool& spool,
                                const std::string& batch_id, const IntakeOptions& options,
                                const PageCallback& on_page) {
  auto pipeline = ocr::PagePipeline::Start(options.pipeline, options.engine_factory);
  if (!pipeline) return pipeline.error();
  ocr::PagePipeline& pipe = **pipeline;

  IntakeSummary summary;
  summary.batch_id = batch_id;
  const Clock::time_point start = Clock::now();

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Handover> waiting;     // GUARDED_BY(mu)
  int in_memory = 0;                // GUARDED_BY(mu): handovers in `waiting` with pixels
  bool scan_done = false;           // GUARDED_BY(mu)
  std::vector<storage::SpooledPage> submitted;  // GUARDED_BY(mu): by pipeline index
  std::optional<Error> spool_error;  // GUARDED_BY(mu)

  auto sample = [&] {  // REQUIRES: mu held
    summary.samples.push_back(
        {std::chrono::duration<double>(Clock::now() - start).count(), summary.pages_scanned,
         summary.pages_processed, static_cast<int>(waiting.size()), summary.pages_spilled});
  };

  // The reader thread takes pages from the device as fast as it delivers them; the scanner
  // thread below stores each durably. Between the two wait at most kReadAhead pages, in
  // memory only (like the page the device is still delivering), so the device never waits
  // for the disk while the disk keeps up, and memory stays bounded when it does not.
  constexpr size_t kReadAhead = 3;
  struct ReadItem {
    Result<std::optional<hardware::ScannedPage>> next;
    hardware::ScanFaultInfo fault_info;
  };
  std::condition_variable read_cv;
  std::deque<ReadItem> read_queue;  // GUARDED_BY(mu)
  bool stop_reading = false;        // GUARDED_BY(mu)
  bool reader_finished = false;     // GUARDED_BY(mu)
  auto ends_batch = [&](const Result<std::optional<hardware::ScannedPage>>& next) {
    if (next) return !next->has_value();
    const ErrorCode code = next.error().code();
    return !(code == ErrorCode::kInvalidArgument ||
             (options.file_errors_continue && code != ErrorCode::kCancelled));
  };
  std::thread device_reader([&] {
    for (;;) {
      if (InterruptRequested()) session.Cancel();
      Result<std::optional<hardware::ScannedPage>> next = session.NextPage();
      const bool last = ends_batch(next);
      ReadItem item{std::move(next), last ? session.fault_info() : hardware::ScanFaultInfo{}};
      std::unique_lock lock(mu);
      read_cv.wait(lock, [&] { return read_queue.size() < kReadAhead || stop_reading; });
      if (stop_reading) break;  // the scanner thread stopped (the spool cannot be written)
      read_queue.push_back(std::move(item));
      read_cv.notify_all();
      if (last) break;
    }
    std::lock_guard lock(mu);
    reader_finished = true;
  });

  std::thread scanner([&] {
    struct StoredFile {
      std::string name;
      std::string sha256;
    };
    std::map<std::string, StoredFile> stored_files;  // source path → its copy in the spool
    std::string current_source_file;
    auto source_done = [&](const std::string& path) {
      if (path.empty()) return;
      Status s = spool.RecordSourceDone(batch_id, path);
      if (!s) log::Warning(s.error().message());
    };
    for (;;) {
      ReadItem item = [&] {
        std::unique_lock lock(mu);
        read_cv.wait(lock, [&] { return !read_queue.empty(); });
        ReadItem front = std::move(read_queue.front());
        read_queue.pop_front();
        read_cv.notify_all();
        return front;
      }();
      Result<std::optional<hardware::ScannedPage>>& next = item.next;
      if (!next) {
        if (!ends_batch(next)) {
          // A file of an import that cannot be read: reported, the others go on.
          std::lock_guard lock(mu);
          summary.bad_files.push_back(next.error().message());
          continue;
        }
        const hardware::ScanFaultInfo fi = item.fault_info;
        // Recorded at once: where the batch broke off must survive a crash too.
        Status recorded = spool.RecordFault(
            batch_id, {FaultCode(next.error()), next.error().message(), fi.last_complete_sheet,
                       fi.reload_from_sheet});
        std::lock_guard lock(mu);
        summary.fault = next.error();
        summary.fault_info = fi;
        if (!recorded) spool_error = recorded.error();
        break;
      }
      if (!next->has_value()) {
        source_done(current_source_file);
        Status closed = spool.Close(batch_id);  // the feeder is empty: the normal end
        if (!closed) {
          std::lock_guard lock(mu);
          spool_error = closed.error();
        }
        break;
      }
      hardware::ScannedPage& sp = **next;
      storage::SpooledPage rec;
      rec.sheet = sp.sheet;
      rec.side = sp.side == hardware::Side::kFront ? "front" : "back";
      rec.source = sp.source;
      rec.dpi = sp.dpi;
      std::optional<ocr::PageImage> image;
      Result<storage::SpooledPage> stored = Error(ErrorCode::kInternal, "ingen side");
      if (auto* frame = std::get_if<hardware::RawFrame>(&sp.content)) {
        Result<ocr::PageImage> page = FrameToPageImage(*frame, sp.dpi, sp.source, sp.sheet);
        if (!page) {
          Status recorded = spool.RecordFault(batch_id, {"bad_frame", page.error().message(),
                                                         sp.sheet - 1, sp.sheet});
          std::lock_guard lock(mu);
          summary.fault = page.error();
          summary.fault_info = {sp.sheet - 1, sp.sheet};
          if (!recorded) spool_error = recorded.error();
          break;
        }
        Result<std::string> png = EncodePng(page->pix.get());
        stored = png ? spool.AddPage(batch_id, rec, *png, "png") : Result<storage::SpooledPage>(png.error());
        image.emplace(std::move(*page));
      } else {
        const auto& file = std::get<hardware::FilePage>(sp.content);
        if (file.path != current_source_file) {
          source_done(current_source_file);
          current_source_file = file.path;
        }
        auto known = stored_files.find(file.path);
        if (known == stored_files.end()) {
          Result<std::string> bytes = ReadWholeFile(file.path);
          Result<std::string> name =
              bytes ? spool.AddFile(batch_id, *bytes, ExtensionOf(file.path))
                    : Result<std::string>(bytes.error());
          if (!name) {
            std::lock_guard lock(mu);
            if (name.error().code() == ErrorCode::kInvalidArgument) {
              summary.bad_files.push_back(name.error().message());
              continue;
            }
            spool_error = name.error();
            break;
          }
          known = stored_files.emplace(file.path, StoredFile{*name, Sha256Hex(*bytes)}).first;
        }
        rec.file = known->second.name;
        rec.sha256 = known->second.sha256;
        rec.file_page = file.page_index;
        stored = spool.AddPageOfFile(batch_id, rec);
      }
      if (!stored) {
        // The spool cannot be written (full disk ...): stop scanning at once; what is
        // stored stays stored.
        std::lock_guard lock(mu);
        spool_error = stored.error();
        session.Cancel();
        break;
      }
      std::lock_guard lock(mu);
      ++summary.pages_scanned;
      summary.sheets = std::max(summary.sheets, sp.sheet);
      Handover h{*stored, std::nullopt};
      if (image && in_memory < options.max_waiting_in_memory) {
        h.image = std::move(image);
        ++in_memory;
      } else {
        ++summary.pages_spilled;  // only on disk until the pipeline has room
      }
      waiting.push_back(std::move(h));
      sample();
      cv.notify_all();
    }
    bool cancel_reader = false;
    {
      std::lock_guard lock(mu);
      stop_reading = true;
      cancel_reader = !reader_finished;
      scan_done = true;
    }
    if (cancel_reader) session.Cancel();  // stopped early: the device stops too
    read_cv.notify_all();
    cv.notify_all();
  });

  std::thread feeder([&] {
    for (;;) {
      Handover h;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return !waiting.empty() || scan_done; });
        if (waiting.empty()) break;
        h = std::move(waiting.front());
        waiting.pop_front();
        if (h.image) --in_memory;
        submitted.push_back(h.page);
      }
      const std::string name = h.page.source.empty() ? h.page.file : h.page.source;
      if (!h.image) {
        auto reader = ocr::ImageFileReader::Open(spool.PathOf(batch_id, h.page.file),
                                                 ocr::ImageLoadOptions{options.assumed_dpi});
        Result<ocr::PageImage> page =
            reader ? reader->ReadPage(h.page.file_page) : Result<ocr::PageImage>(reader.error());
        if (!page) {
          pipe.SubmitFailed(name, h.page.file_page + 1, page.error());
          continue;
        }
        if (h.page.dpi > 0 && page->dpi_assumed) page->dpi = h.page.dpi;
        page->source = std::filesystem::path(name).filename().string();
        page->source_page = h.page.sheet > 0 ? h.page.sheet : h.page.file_page + 1;
        h.image.emplace(std::move(*page));
      }
      if (!pipe.Submit(std::move(*h.image))) break;  // cancelled
    }
    pipe.Close();
  });

  while (std::optional<ocr::ProcessedPage> page = pipe.Next()) {
    storage::SpooledPage rec;
    {
      std::lock_guard lock(mu);
      rec = submitted[static_cast<size_t>(page->analysis.index)];
      ++summary.pages_processed;
      if (page->analysis.error) ++summary.pages_failed;
      if (page->analysis.blank.blank) ++summary.pages_blank;
      sample();
    }
    nlohmann::json analysis = PageAnalysisToJson(page->analysis);
    analysis["seq"] = rec.seq;
    analysis["sheet"] = rec.sheet;
    analysis["side"] = rec.side;
    Status saved = spool.SaveAnalysis(batch_id, rec.seq, analysis.dump(2) + "\n");
    if (!saved) log::Warning(saved.error().message());
    if (on_page) on_page(page->analysis, summary);
  }
  scanner.join();
  device_reader.join();
  feeder.join();

  if (spool_error) return *spool_error;
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace intake::station
