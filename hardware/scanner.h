// Scanner: where pages come from. Three implementations share this interface:
//   - SaneScanner (hardware/sane_scanner.h): document scanners through libsane;
//   - FolderSource (hardware/folder_source.h): scan-to-folder from network scanners and
//     file import; its pages are files (or rasterised PDF pages);
//   - FakeScanner (hardware/fake_scanner.h): scripted pages and faults for unit tests.
//
// A batch is read sheet by sheet with NextPage() until the feeder is empty (nullopt). A
// fault (paper jam, cover open ...) is an Error whose code and message tell the operator
// what happened; the pages returned before it are complete and belong to the batch, and
// ScanFaultInfo (below) says which sheet to reload.
//
// Thread-safety: a ScanSession is used by one thread (a SANE handle must stay on one
// thread), except Cancel(), which any thread may call.
#ifndef INTAKE_HARDWARE_SCANNER_H_
#define INTAKE_HARDWARE_SCANNER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/result.h"
#include "config/config.h"

namespace intake::hardware {

enum class Side { kFront, kBack };

// Pixels as a device delivers them, assembled into one frame.
struct RawFrame {
  int width = 0;           // pixels
  int height = 0;          // lines
  int depth = 8;           // bits per sample: 1 (lineart, 1 = black, MSB first), 8 or 16
  int channels = 1;        // 1 (grey/lineart) or 3 (RGB, interleaved)
  int bytes_per_line = 0;  // row stride in `pixels`
  // 16-bit samples in host byte order; 8-bit grey 0 = black.
  std::vector<uint8_t> pixels;
};

// A page that is a file (or one page of a multi-page file) to be decoded by the image
// loader: what a folder source delivers for PNG, TIFF and JPEG.
struct FilePage {
  std::string path;
  int page_index = 0;  // 0-based, for multi-page files
};

struct ScannedPage {
  std::variant<RawFrame, FilePage> content;
  int dpi = 0;        // 0: unknown (the loader reads it from the file, or assumes)
  int sheet = 1;      // 1-based sheet number within the batch
  Side side = Side::kFront;
  std::string source;  // device name or file name, for messages (never a CPR)
};

// What the operator asked for. Empty device: the first device found.
struct ScanSettings {
  std::string device;
  config::ScanSource source = config::ScanSource::kFeeder;
  config::ScanMode mode = config::ScanMode::kGray;
  int dpi = 300;
  // The sheet number the batch starts at (a resumed batch continues after the last sheet
  // that was received whole).
  int first_sheet = 1;
};

// Where a batch broke off, filled in by the session when NextPage returns a fault.
struct ScanFaultInfo {
  int last_complete_sheet = 0;  // every page of sheets up to this one was delivered
  int reload_from_sheet = 1;    // the operator reloads the stack from this sheet
};

class ScanSession {
 public:
  virtual ~ScanSession() = default;

  // The next page, nullopt when the feeder is empty (the normal end of a batch; an empty
  // feeder before the first page is an error). Errors: kDeviceError (jam, cover open, I/O
  // error, device gone), kDeviceBusy, kCancelled, kUnavailable; the message is for the
  // operator, in Danish, and says what to do.
  virtual Result<std::optional<ScannedPage>> NextPage() = 0;

  // Where the batch broke off after a fault (valid once NextPage returned an error).
  virtual ScanFaultInfo fault_info() const = 0;

  // Asks the session to stop; NextPage then returns kCancelled. Any thread.
  virtual void Cancel() = 0;
};

struct DeviceInfo {
  std::string name;    // what ScanSettings::device takes, e.g. "intake:demo"
  std::string vendor;
  std::string model;
  std::string type;    // "sheetfed scanner", "flatbed scanner", "folder" ...
};

class Scanner {
 public:
  virtual ~Scanner() = default;
  virtual Result<std::vector<DeviceInfo>> ListDevices() = 0;
  virtual Result<std::unique_ptr<ScanSession>> StartBatch(const ScanSettings& settings) = 0;
};

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_SCANNER_H_
