// SaneScanner: the station's SANE frontend, on the C API (libsane) through SaneApi.
//
// ListDevices asks sane_get_devices. StartBatch opens the device, sets source, mode,
// resolution and the scan area BY NAME with type and constraint checks
// (hardware/sane_options.h), and returns a session that reads a feeder batch sheet by
// sheet until the feeder is empty:
//
//   source   flatbed / feeder / duplex, matched against the device's list (MatchSource);
//            a device without a source option is a flatbed (or a feeder when its type
//            says "sheetfed"). Epson-style devices that select duplex with a separate
//            "adf-mode" option are handled. A flatbed batch is one page.
//   mode     lineart / gray / color (MatchMode); a device without a lineart mode but with
//            a "depth" option offering 1 (SANE's test backend) scans grey at depth 1.
//            Grey and colour ask for depth 8 where a depth option exists.
//   dpi      the nearest value the device allows (logged); ScannedPage::dpi is the value
//            the device reports afterwards.
//   area     the whole scan area (tl-x/tl-y at their minimum, br-x/br-y at their
//            maximum; page-width/page-height at their maximum on sheet-fed backends).
//
// Frames of every format SANE defines are assembled into one RawFrame per page: GRAY and
// RGB; three-pass RED/GREEN/BLUE in any order (assembled by format, sane_start again
// while the frame is not the last); depth 1 (MSB first, 1 = black), 8 and 16 (host
// order); unknown length (lines == -1: read until EOF, a partial last row is dropped);
// padded rows (bytes_per_line is the stride). Delivered frames are packed: their
// bytes_per_line is the minimum, (width * channels * depth + 7) / 8.
//
// Faults become Errors whose Danish message says what happened and what to do, with the
// sheet number; ScanSession::fault_info says where the batch broke off (it is kept
// current, so after the normal end it names the last sheet received). A page is only
// returned when it was read whole: a fault in the middle of a page discards that page
// (the message says it will be scanned again), and in duplex a front is held back until
// its back has been read, so every returned page belongs to a complete sheet. After a
// fault other than a cancel, NextPage may be called again once the operator has cleared
// it: the session starts the device again and numbers from the sheet to reload.
//
// Thread-safety: a SaneScanner and each session are used by one thread (a SANE handle
// stays on one thread); ScanSession::Cancel may be called from any thread. Sessions hold
// their own lease on the library, so they may outlive the scanner.
#ifndef INTAKE_HARDWARE_SANE_SCANNER_H_
#define INTAKE_HARDWARE_SANE_SCANNER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "hardware/sane_api.h"
#include "hardware/scanner.h"

namespace intake::hardware {

class SaneLibrary;

struct SaneScannerOptions {
  // Backend-specific options set by name after the station's own, in this order, with
  // values as scanimage takes them ("yes", "Solid white", "16"). Default: none.
  std::vector<std::pair<std::string, std::string>> extra_options;
  // ListDevices and the default device: only devices on this machine (no network
  // discovery, which takes seconds). Default: false.
  bool local_only = false;
  // A page (all its frames) larger than this is refused as a device fault, so a device
  // that never ends an unknown-length page cannot exhaust memory. Default: 1 GiB (an A3
  // colour page at 1200 dpi is about 0.8 GiB).
  size_t max_page_bytes = size_t{1} << 30;
  // sane_read buffer size in bytes; Cancel() is noticed between reads. Default: 64 KiB.
  int read_chunk_bytes = 64 * 1024;
};

class SaneScanner final : public Scanner {
 public:
  // `api` must outlive the scanner and its sessions (RealSaneApi() lives forever).
  explicit SaneScanner(SaneApi& api = RealSaneApi(), SaneScannerOptions options = {});
  ~SaneScanner() override;

  // The devices SANE finds. Errors: kUnavailable when libsane cannot start, or a
  // translated status.
  Result<std::vector<DeviceInfo>> ListDevices() override;

  // Opens and configures the device (settings.device, or the first device found) and
  // returns the batch. Errors: kUnavailable (no scanner found), kNotFound (no such
  // device), kDeviceBusy, kInvalidArgument (a source or mode the device lacks: the
  // message names what it offers), kDeviceError.
  Result<std::unique_ptr<ScanSession>> StartBatch(const ScanSettings& settings) override;

 private:
  Result<std::shared_ptr<SaneLibrary>> Library();

  SaneApi& api_;
  SaneScannerOptions options_;
  std::shared_ptr<SaneLibrary> library_;  // acquired on first use
};

}  // namespace intake::hardware

#endif  // INTAKE_HARDWARE_SANE_SCANNER_H_
