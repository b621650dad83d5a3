// sane_driver: a small SANE frontend for the tests of the project's backend
// (tests/hardware/sane_backend_test.cc). It goes through Debian's libsane and its dll
// loader exactly as the station does, and prints one JSON object on stdout. The tests run
// it as a child process with SANE_CONFIG_DIR and LD_LIBRARY_PATH set and a hard timeout.
//
//   sane_driver [--setenv NAME=VALUE]... COMMAND ...
//     --setenv          set a variable inside the process before sane_init
//   list                            devices: {"init", "devices": [{name, vendor, model, type}]}
//   options DEVICE                  {"open", "options": [descriptor...], "values": {name: value}}
//   scan DEVICE [--set NAME=VALUE]... [--max-pages N] [--dump DIR] [--chunk N]
//               [--cancel-after-bytes N] [--start-after-cancel]
//                                   {"open", "set": [...], "pages": [...], "end", "end_at",
//                                    "elapsed_ms", "after_cancel": [...]}
//   calls DEVICE                    odd call orders: {"steps": {name: status}}
//
// Statuses are SANE's names without the prefix ("GOOD", "JAMMED" ...).
#include <sane/sane.h>
#include <sane/saneopts.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* StatusName(SANE_Status s) {
  switch (s) {
    case SANE_STATUS_GOOD:
      return "GOOD";
    case SANE_STATUS_UNSUPPORTED:
      return "UNSUPPORTED";
    case SANE_STATUS_CANCELLED:
      return "CANCELLED";
    case SANE_STATUS_DEVICE_BUSY:
      return "DEVICE_BUSY";
    case SANE_STATUS_INVAL:
      return "INVAL";
    case SANE_STATUS_EOF:
      return "EOF";
    case SANE_STATUS_JAMMED:
      return "JAMMED";
    case SANE_STATUS_NO_DOCS:
      return "NO_DOCS";
    case SANE_STATUS_COVER_OPEN:
      return "COVER_OPEN";
    case SANE_STATUS_IO_ERROR:
      return "IO_ERROR";
    case SANE_STATUS_NO_MEM:
      return "NO_MEM";
    case SANE_STATUS_ACCESS_DENIED:
      return "ACCESS_DENIED";
    default:
      return "OTHER";
  }
}

const char* TypeName(SANE_Value_Type t) {
  switch (t) {
    case SANE_TYPE_BOOL:
      return "bool";
    case SANE_TYPE_INT:
      return "int";
    case SANE_TYPE_FIXED:
      return "fixed";
    case SANE_TYPE_STRING:
      return "string";
    case SANE_TYPE_BUTTON:
      return "button";
    case SANE_TYPE_GROUP:
      return "group";
  }
  return "?";
}

const char* UnitName(SANE_Unit u) {
  switch (u) {
    case SANE_UNIT_NONE:
      return "none";
    case SANE_UNIT_PIXEL:
      return "pixel";
    case SANE_UNIT_BIT:
      return "bit";
    case SANE_UNIT_MM:
      return "mm";
    case SANE_UNIT_DPI:
      return "dpi";
    case SANE_UNIT_PERCENT:
      return "percent";
    case SANE_UNIT_MICROSECOND:
      return "microsecond";
  }
  return "?";
}

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

int FindOption(SANE_Handle h, const std::string& name) {
  SANE_Int count = 0;
  if (sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr) != SANE_STATUS_GOOD) {
    return -1;
  }
  for (SANE_Int i = 1; i < count; ++i) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
    if (d != nullptr && d->name != nullptr && name == d->name) return i;
  }
  return -1;
}

// Sets option `name` from text by its type; returns {name, value, status, info}.
Json SetOption(SANE_Handle h, const std::string& name, const std::string& text) {
  Json out = {{"name", name}, {"value", text}};
  const int index = FindOption(h, name);
  if (index < 0) {
    out["status"] = "NO_SUCH_OPTION";
    return out;
  }
  const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, index);
  SANE_Int info = 0;
  SANE_Status status;
  if (d->type == SANE_TYPE_STRING) {
    std::vector<char> buf(std::max<size_t>(static_cast<size_t>(d->size), text.size() + 1), 0);
    std::memcpy(buf.data(), text.c_str(), text.size());
    status = sane_control_option(h, index, SANE_ACTION_SET_VALUE, buf.data(), &info);
  } else {
    SANE_Word word = d->type == SANE_TYPE_FIXED ? SANE_FIX(std::atof(text.c_str()))
                                                : static_cast<SANE_Word>(std::atoi(text.c_str()));
    status = sane_control_option(h, index, SANE_ACTION_SET_VALUE, &word, &info);
  }
  out["status"] = StatusName(status);
  out["info"] = info;
  return out;
}

Json GetValue(SANE_Handle h, int index) {
  const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, index);
  if (d == nullptr || d->type == SANE_TYPE_GROUP) return nullptr;
  std::vector<char> buf(static_cast<size_t>(std::max<SANE_Int>(d->size, sizeof(SANE_Word))), 0);
  if (sane_control_option(h, index, SANE_ACTION_GET_VALUE, buf.data(), nullptr) !=
      SANE_STATUS_GOOD) {
    return "error";
  }
  SANE_Word word;
  std::memcpy(&word, buf.data(), sizeof word);
  switch (d->type) {
    case SANE_TYPE_STRING:
      return std::string(buf.data());
    case SANE_TYPE_FIXED:
      return SANE_UNFIX(word);
    default:
      return word;
  }
}

Json Descriptor(const SANE_Option_Descriptor* d, int index) {
  Json o = {{"index", index},
            {"name", d->name ? d->name : ""},
            {"title", d->title ? d->title : ""},
            {"type", TypeName(d->type)},
            {"unit", UnitName(d->unit)},
            {"size", d->size},
            {"cap", d->cap}};
  switch (d->constraint_type) {
    case SANE_CONSTRAINT_RANGE: {
      const bool fixed = d->type == SANE_TYPE_FIXED;
      auto v = [&](SANE_Word w) { return fixed ? Json(SANE_UNFIX(w)) : Json(w); };
      o["constraint"] = {{"type", "range"},
                         {"min", v(d->constraint.range->min)},
                         {"max", v(d->constraint.range->max)},
                         {"quant", v(d->constraint.range->quant)}};
      break;
    }
    case SANE_CONSTRAINT_STRING_LIST: {
      Json list = Json::array();
      for (auto s = d->constraint.string_list; *s != nullptr; ++s) list.push_back(*s);
      o["constraint"] = {{"type", "string_list"}, {"values", list}};
      break;
    }
    case SANE_CONSTRAINT_WORD_LIST: {
      Json list = Json::array();
      for (SANE_Int i = 1; i <= d->constraint.word_list[0]; ++i) {
        list.push_back(d->constraint.word_list[i]);
      }
      o["constraint"] = {{"type", "word_list"}, {"values", list}};
      break;
    }
    default:
      o["constraint"] = {{"type", "none"}};
  }
  return o;
}

int List() {
  Json out;
  SANE_Int version = 0;
  out["init"] = StatusName(sane_init(&version, nullptr));
  const SANE_Device** devices = nullptr;
  out["get_devices"] = StatusName(sane_get_devices(&devices, SANE_TRUE));
  out["devices"] = Json::array();
  for (int i = 0; devices != nullptr && devices[i] != nullptr; ++i) {
    out["devices"].push_back({{"name", devices[i]->name},
                              {"vendor", devices[i]->vendor},
                              {"model", devices[i]->model},
                              {"type", devices[i]->type}});
  }
  sane_exit();
  std::cout << out.dump() << "\n";
  return 0;
}

int Options(const std::string& device) {
  Json out;
  SANE_Int version = 0;
  sane_init(&version, nullptr);
  SANE_Handle h = nullptr;
  const SANE_Status open = sane_open(device.c_str(), &h);
  out["open"] = StatusName(open);
  if (open == SANE_STATUS_GOOD) {
    SANE_Int count = 0;
    out["count_status"] =
        StatusName(sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr));
    out["count"] = count;
    out["options"] = Json::array();
    out["values"] = Json::object();
    for (SANE_Int i = 0; i < count; ++i) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
      if (d == nullptr) {
        out["options"].push_back(nullptr);
        continue;
      }
      out["options"].push_back(Descriptor(d, i));
      if (i > 0 && d->type != SANE_TYPE_GROUP) out["values"][d->name] = GetValue(h, i);
    }
    out["descriptor_past_end_is_null"] = sane_get_option_descriptor(h, count) == nullptr;
    SANE_Parameters p{};
    out["parameters_status"] = StatusName(sane_get_parameters(h, &p));
    out["parameters"] = {{"format", p.format},
                         {"depth", p.depth},
                         {"pixels_per_line", p.pixels_per_line},
                         {"bytes_per_line", p.bytes_per_line},
                         {"lines", p.lines}};
    sane_close(h);
  }
  sane_exit();
  std::cout << out.dump() << "\n";
  return 0;
}

const char* FormatName(SANE_Frame f) {
  switch (f) {
    case SANE_FRAME_GRAY:
      return "GRAY";
    case SANE_FRAME_RGB:
      return "RGB";
    default:
      return "OTHER";
  }
}

struct ScanArgs {
  std::string device;
  std::vector<std::pair<std::string, std::string>> set;
  int max_pages = 1000;
  std::string dump_dir;
  int chunk = 65536;
  long cancel_after_bytes = -1;
  bool start_after_cancel = false;
};

int Scan(const ScanArgs& args) {
  Json out;
  const Clock::time_point t0 = Clock::now();
  SANE_Int version = 0;
  out["init"] = StatusName(sane_init(&version, nullptr));
  SANE_Handle h = nullptr;
  const SANE_Status open = sane_open(args.device.c_str(), &h);
  out["open"] = StatusName(open);
  out["pages"] = Json::array();
  if (open != SANE_STATUS_GOOD) {
    sane_exit();
    std::cout << out.dump() << "\n";
    return 0;
  }
  out["set"] = Json::array();
  for (const auto& [name, value] : args.set) out["set"].push_back(SetOption(h, name, value));

  std::vector<SANE_Byte> buf(static_cast<size_t>(args.chunk));
  SANE_Status end = SANE_STATUS_GOOD;
  std::string end_at = "max_pages";
  bool cancelled = false;
  for (int page = 1; page <= args.max_pages && !cancelled; ++page) {
    const double start_ms = MsSince(t0);
    const SANE_Status start = sane_start(h);
    if (start != SANE_STATUS_GOOD) {
      end = start;
      end_at = "start";
      break;
    }
    SANE_Parameters p{};
    const SANE_Status params = sane_get_parameters(h, &p);
    Json info = {{"index", page},
                 {"params_status", StatusName(params)},
                 {"format", FormatName(p.format)},
                 {"last_frame", p.last_frame != 0},
                 {"depth", p.depth},
                 {"pixels_per_line", p.pixels_per_line},
                 {"bytes_per_line", p.bytes_per_line},
                 {"lines", p.lines},
                 {"start_ms", start_ms}};
    std::vector<SANE_Byte> data;
    int reads = 0;
    SANE_Int max_len_seen = 0;
    SANE_Status status = SANE_STATUS_GOOD;
    for (;;) {
      SANE_Int len = 0;
      status = sane_read(h, buf.data(), static_cast<SANE_Int>(buf.size()), &len);
      if (status != SANE_STATUS_GOOD) break;
      ++reads;
      max_len_seen = std::max(max_len_seen, len);
      data.insert(data.end(), buf.begin(), buf.begin() + len);
      if (args.cancel_after_bytes >= 0 &&
          static_cast<long>(data.size()) >= args.cancel_after_bytes) {
        sane_cancel(h);
        cancelled = true;
        SANE_Int l2 = 0;
        Json after = Json::array();
        after.push_back(StatusName(sane_read(h, buf.data(), 16, &l2)));
        after.push_back(StatusName(sane_read(h, buf.data(), 16, &l2)));
        out["after_cancel"] = after;
        status = SANE_STATUS_CANCELLED;
        break;
      }
    }
    info["status"] = StatusName(status);
    info["bytes"] = data.size();
    info["reads"] = reads;
    info["max_read"] = max_len_seen;
    info["end_ms"] = MsSince(t0);
    if (!args.dump_dir.empty()) {
      char name[64];
      std::snprintf(name, sizeof name, "/page-%03d.raw", page);
      const std::string path = args.dump_dir + name;
      std::ofstream f(path, std::ios::binary);
      f.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
      info["file"] = path;
    }
    out["pages"].push_back(info);
    if (status != SANE_STATUS_EOF) {
      end = status;
      end_at = "read";
      break;
    }
  }
  if (cancelled && args.start_after_cancel) {
    // After a cancel the next start continues with the next page.
    out["start_after_cancel"] = StatusName(sane_start(h));
  }
  if (!cancelled) {
    // What a further start says: NO_DOCS after the last page, the fault after a fault.
    out["start_after_end"] = StatusName(sane_start(h));
  }
  sane_cancel(h);  // always, also after a clean end (SANE.md section 2)
  sane_close(h);
  sane_exit();
  out["end"] = StatusName(end);
  out["end_at"] = end_at;
  out["elapsed_ms"] = MsSince(t0);
  std::cout << out.dump() << "\n";
  return 0;
}

// Odd call orders; every step's status, none may crash or hang.
int Calls(const std::string& device) {
  Json steps;
  auto rec = [&](const std::string& name, SANE_Status s) { steps[name] = StatusName(s); };
  SANE_Int version = 0;
  rec("init", sane_init(&version, nullptr));
  SANE_Handle h = nullptr;
  SANE_Handle h2 = nullptr;
  rec("open", sane_open(device.c_str(), &h));
  if (h == nullptr) {
    std::cout << Json{{"steps", steps}}.dump() << "\n";
    return 0;
  }
  rec("open_twice", sane_open(device.c_str(), &h2));
  SANE_Byte buf[4096];
  SANE_Int len = -1;
  rec("read_before_start", sane_read(h, buf, sizeof buf, &len));
  steps["read_before_start_len"] = len;
  steps["descriptor_minus_one_is_null"] = sane_get_option_descriptor(h, -1) == nullptr;
  SANE_Int count = 0;
  sane_control_option(h, 0, SANE_ACTION_GET_VALUE, &count, nullptr);
  steps["descriptor_count_is_null"] = sane_get_option_descriptor(h, count) == nullptr;
  SANE_Int word = 0;
  rec("get_option_past_end", sane_control_option(h, count, SANE_ACTION_GET_VALUE, &word, nullptr));
  rec("get_group", sane_control_option(h, 1, SANE_ACTION_GET_VALUE, &word, nullptr));
  rec("set_count", sane_control_option(h, 0, SANE_ACTION_SET_VALUE, &word, nullptr));
  rec("get_null_value",
      sane_control_option(h, FindOption(h, "resolution"), SANE_ACTION_GET_VALUE, nullptr, nullptr));
  rec("set_auto_resolution",
      sane_control_option(h, FindOption(h, "resolution"), SANE_ACTION_SET_AUTO, nullptr, nullptr));
  Json bogus = SetOption(h, "mode", "Sepia");
  steps["set_mode_bogus"] = bogus["status"];
  Json lower = SetOption(h, "mode", "gray");
  steps["set_mode_lowercase"] = lower["status"];
  steps["set_mode_lowercase_inexact"] = (lower["info"].get<int>() & SANE_INFO_INEXACT) != 0;
  steps["mode_after_lowercase"] = GetValue(h, FindOption(h, "mode"));
  Json huge = SetOption(h, "resolution", "100000");
  steps["set_resolution_huge"] = huge["status"];
  steps["set_resolution_huge_inexact"] = (huge["info"].get<int>() & SANE_INFO_INEXACT) != 0;
  steps["resolution_after_huge"] = GetValue(h, FindOption(h, "resolution"));
  Json res = SetOption(h, "resolution", "100");
  steps["set_resolution_reload_params"] = (res["info"].get<int>() & SANE_INFO_RELOAD_PARAMS) != 0;
  SetOption(h, "source", "ADF Duplex");

  rec("start", sane_start(h));
  steps["set_mode_during_scan"] = SetOption(h, "mode", "Color")["status"];
  steps["set_tl_x_during_scan"] = SetOption(h, "tl-x", "5")["status"];
  rec("read_chunk", sane_read(h, buf, sizeof buf, &len));
  rec("set_io_mode_blocking", sane_set_io_mode(h, SANE_FALSE));
  rec("set_io_mode_non_blocking", sane_set_io_mode(h, SANE_TRUE));
  SANE_Int fd = -1;
  rec("get_select_fd", sane_get_select_fd(h, &fd));
  sane_cancel(h);
  rec("read_after_cancel", sane_read(h, buf, sizeof buf, &len));
  rec("read_after_cancel_again", sane_read(h, buf, sizeof buf, &len));
  sane_cancel(h);
  steps["set_mode_after_cancel"] = SetOption(h, "mode", "Gray")["status"];
  rec("start_after_cancel", sane_start(h));
  SANE_Status s;
  long bytes = 0;
  while ((s = sane_read(h, buf, sizeof buf, &len)) == SANE_STATUS_GOOD) bytes += len;
  rec("read_to_end", s);
  steps["bytes_second_page"] = bytes;
  rec("read_after_eof", sane_read(h, buf, sizeof buf, &len));
  steps["set_mode_between_pages"] = SetOption(h, "mode", "Gray")["status"];
  rec("start_abandoning_nothing", sane_start(h));
  rec("start_abandoning_unread_page", sane_start(h));
  rec("read_zero_length", sane_read(h, buf, 0, &len));
  sane_cancel(h);
  SetOption(h, "tl-x", "100");
  SetOption(h, "br-x", "100");
  rec("start_with_empty_area", sane_start(h));
  SetOption(h, "br-x", "210");
  SetOption(h, "tl-x", "0");
  rec("start_mid_page_then_close", sane_start(h));
  sane_read(h, buf, sizeof buf, &len);
  sane_close(h);  // without cancel, mid-page

  h = nullptr;
  rec("reopen", sane_open(device.c_str(), &h));
  steps["resolution_after_reopen"] =
      h != nullptr ? GetValue(h, FindOption(h, "resolution")) : Json();
#ifdef __SANITIZE_ADDRESS__
  // libsane's dll backend leaks its 16-byte handle wrapper when sane_exit comes with a
  // device open (its sane_open callocs it, only its sane_close frees it); LeakSanitizer
  // would fail the run for that, so the sanitizer build closes first.
  if (h != nullptr) sane_close(h);
#endif
  sane_exit();  // normally with the device still open: the backend must free it
  rec("init_again", sane_init(&version, nullptr));
  h = nullptr;
  rec("open_after_exit", sane_open(device.c_str(), &h));
  steps["resolution_after_exit"] = h != nullptr ? GetValue(h, FindOption(h, "resolution")) : Json();
  rec("open_unknown_device", sane_open("intake:no-such-device", &h2));
  if (h != nullptr) sane_close(h);
  sane_exit();
  std::cout << Json{{"steps", steps}}.dump() << "\n";
  return 0;
}

int Usage() {
  std::cerr << "usage: sane_driver [--setenv NAME=VALUE]... list|options|scan|calls ...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t i = 0;
  while (i + 1 < args.size() && args[i] == "--setenv") {
    const std::string& kv = args[i + 1];
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) return Usage();
    setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
    i += 2;
  }
  if (i >= args.size()) return Usage();
  const std::string command = args[i++];
  if (command == "list") return List();
  if (i >= args.size()) return Usage();
  const std::string device = args[i++];
  if (command == "options") return Options(device);
  if (command == "calls") return Calls(device);
  if (command != "scan") return Usage();
  ScanArgs scan;
  scan.device = device;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--set" && has_value) {
      const std::string& kv = args[++i];
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) return Usage();
      scan.set.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (a == "--max-pages" && has_value) {
      scan.max_pages = std::atoi(args[++i].c_str());
    } else if (a == "--dump" && has_value) {
      scan.dump_dir = args[++i];
    } else if (a == "--chunk" && has_value) {
      scan.chunk = std::max(1, std::atoi(args[++i].c_str()));
    } else if (a == "--cancel-after-bytes" && has_value) {
      scan.cancel_after_bytes = std::atol(args[++i].c_str());
    } else if (a == "--start-after-cancel") {
      scan.start_after_cancel = true;
    } else {
      return Usage();
    }
  }
  return Scan(scan);
}
