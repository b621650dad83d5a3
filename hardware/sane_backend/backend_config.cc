#include "hardware/sane_backend/backend_config.h"

#include <strings.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace intake::hardware::sane_backend {
namespace {

constexpr int kMaxPace = 6000;        // pages per minute
constexpr int kMaxSheet = 1'000'000;  // sheet numbers
constexpr const char* kKnownKeys =
    "device, pages, pace, jam_at_sheet, cover_open_at_sheet, io_error_at_sheet, fault_at, "
    "busy, empty, start_sheet";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// A comment starts with '#' at the start of the line or after a blank, so that a '#'
// inside a path ("pages /data/scan#2") is kept.
std::string_view StripComment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

bool ParseInt(std::string_view v, int lo, int hi, int* out) {
  int value = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (ec != std::errc() || end != v.data() + v.size() || value < lo || value > hi) {
    return false;
  }
  *out = value;
  return true;
}

bool ParseBool(std::string_view v, bool* out) {
  auto is = [&](const char* word) {
    return v.size() == std::strlen(word) && strncasecmp(v.data(), word, v.size()) == 0;
  };
  if (is("true") || is("yes") || is("on") || is("1")) {
    *out = true;
    return true;
  }
  if (is("false") || is("no") || is("off") || is("0")) {
    *out = false;
    return true;
  }
  return false;
}

bool ValidDeviceName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

BackendConfig ParseBackendConfig(std::string_view text, const std::string& path) {
  BackendConfig config;
  config.path = path;
  const std::string base_dir = DirName(path);
  auto error = [&](int line_no, const std::string& message) {
    config.errors.push_back(path + ":" + std::to_string(line_no) + ": " + message);
  };

  std::vector<bool> has_pages_line;  // per device: a `pages` line was seen (even a bad one)
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;

    const std::string_view line = Trim(StripComment(raw));
    if (line.empty()) continue;
    const size_t blank = line.find_first_of(" \t");
    const std::string key(line.substr(0, blank));
    std::string_view value =
        blank == std::string_view::npos ? std::string_view() : Trim(line.substr(blank));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }

    if (key == "device") {
      if (!ValidDeviceName(value)) {
        error(line_no, "ugyldigt enhedsnavn '" + std::string(value) +
                           "'; brug bogstaver, cifre, '.', '_' og '-' (fx 'device demo')");
        continue;
      }
      bool duplicate = false;
      for (const auto& d : config.devices) duplicate = duplicate || d.name == value;
      if (duplicate) {
        error(line_no,
              "enheden '" + std::string(value) + "' er nævnt to gange; giv den et andet navn");
        continue;
      }
      DeviceConfig device;
      device.name = std::string(value);
      device.line = line_no;
      config.devices.push_back(std::move(device));
      has_pages_line.push_back(false);
      continue;
    }
    if (config.devices.empty()) {
      error(line_no, "nøglen '" + key + "' står før den første 'device NAVN'-linje; " +
                         "skriv 'device NAVN' over den");
      continue;
    }
    DeviceConfig& device = config.devices.back();
    const std::string shown(value);
    auto need_int = [&](int lo, int hi, int* out) {
      if (!ParseInt(value, lo, hi, out)) {
        error(line_no, "'" + key + "' skal være et helt tal fra " + std::to_string(lo) + " til " +
                           std::to_string(hi) + ", ikke '" + shown + "'");
      }
    };
    auto need_bool = [&](bool* out) {
      if (!ParseBool(value, out)) {
        error(line_no, "'" + key + "' skal være true eller false, ikke '" + shown + "'");
      }
    };
    if (key == "pages") {
      has_pages_line.back() = true;
      if (value.empty()) {
        error(line_no, "'pages' mangler en mappe med sidebilleder");
      } else {
        device.pages_dir = value.front() == '/' ? shown : base_dir + "/" + shown;
      }
    } else if (key == "pace") {
      need_int(0, kMaxPace, &device.pace_ppm);
    } else if (key == "jam_at_sheet") {
      need_int(0, kMaxSheet, &device.jam_at_sheet);
    } else if (key == "cover_open_at_sheet") {
      need_int(0, kMaxSheet, &device.cover_open_at_sheet);
    } else if (key == "io_error_at_sheet") {
      need_int(0, kMaxSheet, &device.io_error_at_sheet);
    } else if (key == "start_sheet") {
      need_int(1, kMaxSheet, &device.start_sheet);
    } else if (key == "fault_at") {
      if (value == "start") {
        device.fault_at = FaultPlace::kStart;
      } else if (value == "read") {
        device.fault_at = FaultPlace::kRead;
      } else {
        error(line_no, "'fault_at' skal være start eller read, ikke '" + shown + "'");
      }
    } else if (key == "busy") {
      need_bool(&device.busy);
    } else if (key == "empty") {
      need_bool(&device.empty);
    } else {
      error(line_no, "ukendt nøgle '" + key + "'; kendte nøgler: " + kKnownKeys);
    }
  }

  for (size_t i = 0; i < config.devices.size(); ++i) {
    const DeviceConfig& device = config.devices[i];
    if (!has_pages_line[i]) {
      error(device.line,
            "enheden '" + device.name + "' mangler 'pages MAPPE' (mappen med sidebilleder)");
    }
  }
  return config;
}

std::vector<std::string> ConfigDirs() {
  const std::vector<std::string> defaults = {".", "/etc/sane.d"};
  const char* env = std::getenv("SANE_CONFIG_DIR");
  if (env == nullptr || *env == '\0') return defaults;
  std::vector<std::string> dirs;
  std::string_view rest(env);
  const bool append_defaults = rest.back() == ':';
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    if (!dir.empty()) dirs.emplace_back(dir);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (append_defaults) dirs.insert(dirs.end(), defaults.begin(), defaults.end());
  return dirs;
}

BackendConfig LoadBackendConfig() {
  const std::vector<std::string> dirs = ConfigDirs();
  std::string searched;
  for (const auto& dir : dirs) {
    const std::string path = dir + "/intake.conf";
    if (access(path.c_str(), F_OK) != 0) {
      searched += (searched.empty() ? "" : ", ") + dir;
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      BackendConfig config;
      config.path = path;
      config.errors.push_back(path + ": kan ikke læses; ret filens rettigheder");
      return config;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ParseBackendConfig(text.str(), path);
  }
  BackendConfig config;
  config.errors.push_back("ingen intake.conf i " + searched +
                          "; sæt SANE_CONFIG_DIR til mappen med intake.conf");
  return config;
}

}  // namespace intake::hardware::sane_backend
