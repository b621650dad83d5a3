// intake.conf: the configuration of the project's SANE backend (libsane-intake.so.1), the
// demo scanner and the scanner of the end-to-end tests. The format and every key with its
// default are described in hardware/sane_backend/README.md and in intake.conf.in.
//
// Plain functions and value types; thread-safe (no shared state).
#ifndef INTAKE_HARDWARE_SANE_BACKEND_BACKEND_CONFIG_H_
#define INTAKE_HARDWARE_SANE_BACKEND_BACKEND_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

namespace intake::hardware::sane_backend {

// Where an injected fault is reported: at sane_start (as network scanners through
// sane-airscan do) or during sane_read, half-way through the page (as local backends do).
enum class FaultPlace { kStart, kRead };

// One `device NAME` block.
struct DeviceConfig {
  // The device name after the backend prefix: "demo" is opened as "intake:demo".
  // Letters, digits, '.', '_' and '-'.
  std::string name;
  // Folder of page images (README: naming of sheets and backs). Required. A relative path
  // is taken relative to the folder of intake.conf.
  std::string pages_dir;
  // Pages (images, front or back) per minute; 0 = as fast as possible. Default 0.
  int pace_ppm = 0;
  // Sheet number (1-based, counted over the whole folder) at which the fault happens when
  // the sheet is fed; 0 = never. Default 0 each.
  int jam_at_sheet = 0;
  int cover_open_at_sheet = 0;
  int io_error_at_sheet = 0;
  // Default: read.
  FaultPlace fault_at = FaultPlace::kRead;
  // sane_open returns SANE_STATUS_DEVICE_BUSY. Default false.
  bool busy = false;
  // The feeder is empty: sane_start returns SANE_STATUS_NO_DOCS. Default false.
  bool empty = false;
  // The operator loaded the stack from this sheet on (a resumed batch). Default 1.
  int start_sheet = 1;
  // Line of the `device` line, for messages.
  int line = 0;
};

struct BackendConfig {
  // The file read; empty when no intake.conf was found.
  std::string path;
  std::vector<DeviceConfig> devices;
  // One message per problem, "FILE:LINE: what is wrong; what to do" (Danish). A
  // configuration with errors opens no device.
  std::vector<std::string> errors;
};

// Parses the text of an intake.conf; `path` names the file in messages and anchors
// relative page folders. Never fails: problems are listed in `errors`.
BackendConfig ParseBackendConfig(std::string_view text, const std::string& path);

// The folders libsane reads configuration from, in order: SANE_CONFIG_DIR split at ':'
// (a trailing ':' appends the defaults), else the defaults "." and "/etc/sane.d".
std::vector<std::string> ConfigDirs();

// Reads the first intake.conf found in ConfigDirs(). When there is none, `path` is empty
// and `errors` holds one message naming the folders searched.
BackendConfig LoadBackendConfig();

}  // namespace intake::hardware::sane_backend

#endif  // INTAKE_HARDWARE_SANE_BACKEND_BACKEND_CONFIG_H_
