#include "tests/hardware/fake_sane_api.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace intake::hardware::testing {
namespace {

std::string WordText(const FakeOption& o, SANE_Word w) {
  if (o.type == SANE_TYPE_FIXED) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", SANE_UNFIX(w));
    return buf;
  }
  if (o.type == SANE_TYPE_BOOL) return w ? "yes" : "no";
  return std::to_string(w);
}

}  // namespace

FakeSaneApi::FakeSaneApi() {
  count_descriptor_.name = "";
  count_descriptor_.title = "Number of options";
  count_descriptor_.desc = "";
  count_descriptor_.type = SANE_TYPE_INT;
  count_descriptor_.size = sizeof(SANE_Word);
  count_descriptor_.cap = SANE_CAP_SOFT_DETECT;
}

void FakeSaneApi::AddDevice(const std::string& name, const std::string& vendor,
                            const std::string& model, const std::string& type) {
  devices_.push_back(Device{name, vendor, model, type, {}});
  Device& d = devices_.back();
  d.sane = SANE_Device{d.name.c_str(), d.vendor.c_str(), d.model.c_str(), d.type.c_str()};
}

FakeOption& FakeSaneApi::AddOption(FakeOption option) {
  options_.push_back(std::make_unique<FakeOption>(std::move(option)));
  return *options_.back();
}

FakeOption* FakeSaneApi::FindOption(const std::string& name) {
  for (auto& o : options_) {
    if (o->name == name) return o.get();
  }
  return nullptr;
}

SANE_Status FakeSaneApi::Init(SANE_Int* version_code) {
  ++init_calls;
  calls.push_back("init");
  if (version_code != nullptr) *version_code = SANE_VERSION_CODE(1, 0, 0);
  return init_status;
}

void FakeSaneApi::Exit() {
  ++exit_calls;
  calls.push_back("exit");
}

SANE_Status FakeSaneApi::GetDevices(const SANE_Device*** device_list, bool /*local_only*/) {
  calls.push_back("get_devices");
  device_ptrs_.clear();
  for (const auto& d : devices_) device_ptrs_.push_back(&d.sane);
  device_ptrs_.push_back(nullptr);
  *device_list = device_ptrs_.data();
  return SANE_STATUS_GOOD;
}

SANE_Status FakeSaneApi::Open(const char* name, SANE_Handle* handle) {
  ++open_calls;
  calls.push_back("open");
  opened_name = name;
  if (open_status != SANE_STATUS_GOOD) return open_status;
  *handle = &handle_token_;
  return SANE_STATUS_GOOD;
}

void FakeSaneApi::Close(SANE_Handle /*handle*/) {
  ++close_calls;
  calls.push_back("close");
}

const SANE_Option_Descriptor* FakeSaneApi::GetOptionDescriptor(SANE_Handle /*handle*/,
                                                               SANE_Int option) {
  if (option == 0) return &count_descriptor_;
  if (option < 0 || option > static_cast<SANE_Int>(options_.size())) return nullptr;
  FakeOption& o = *options_[static_cast<size_t>(option - 1)];
  SANE_Option_Descriptor& d = o.descriptor;
  d = SANE_Option_Descriptor{};
  d.name = o.name.c_str();
  d.title = o.name.c_str();
  d.desc = o.name.c_str();
  d.type = o.type;
  d.unit = o.unit;
  d.size = o.size;
  d.cap = o.cap;
  d.constraint_type = SANE_CONSTRAINT_NONE;
  if (!o.strings.empty()) {
    o.string_ptrs.clear();
    for (const auto& s : o.strings) o.string_ptrs.push_back(s.c_str());
    o.string_ptrs.push_back(nullptr);
    d.constraint_type = SANE_CONSTRAINT_STRING_LIST;
    d.constraint.string_list = o.string_ptrs.data();
  } else if (!o.words.empty()) {
    o.word_list.assign(1, static_cast<SANE_Word>(o.words.size()));
    o.word_list.insert(o.word_list.end(), o.words.begin(), o.words.end());
    d.constraint_type = SANE_CONSTRAINT_WORD_LIST;
    d.constraint.word_list = o.word_list.data();
  } else if (o.range) {
    d.constraint_type = SANE_CONSTRAINT_RANGE;
    d.constraint.range = &*o.range;
  }
  return &d;
}

SANE_Status FakeSaneApi::ControlOption(SANE_Handle /*handle*/, SANE_Int option, SANE_Action action,
                                       void* value, SANE_Int* info) {
  if (info != nullptr) *info = 0;
  if (option == 0) {
    if (action != SANE_ACTION_GET_VALUE) return SANE_STATUS_INVAL;
    *static_cast<SANE_Word*>(value) = static_cast<SANE_Word>(options_.size() + 1);
    return SANE_STATUS_GOOD;
  }
  if (option < 0 || option > static_cast<SANE_Int>(options_.size())) return SANE_STATUS_INVAL;
  FakeOption& o = *options_[static_cast<size_t>(option - 1)];
  if (action == SANE_ACTION_GET_VALUE) {
    if (o.type == SANE_TYPE_STRING) {
      std::memset(value, 0, static_cast<size_t>(o.size));
      std::memcpy(value, o.text.data(), std::min<size_t>(o.text.size(), o.size - 1));
    } else if (o.type != SANE_TYPE_BUTTON && o.type != SANE_TYPE_GROUP) {
      *static_cast<SANE_Word*>(value) = o.word;
    }
    return SANE_STATUS_GOOD;
  }
  if (action != SANE_ACTION_SET_VALUE) return SANE_STATUS_UNSUPPORTED;
  if (scanning_) return SANE_STATUS_INVAL;  // SANE.md section 2: no changes mid-page
  if (!SANE_OPTION_IS_ACTIVE(o.cap) || !SANE_OPTION_IS_SETTABLE(o.cap)) return SANE_STATUS_INVAL;
  SANE_Int out_info = o.set_info;
  std::string shown;
  switch (o.type) {
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED: {
      SANE_Word w = *static_cast<SANE_Word*>(value);
      if (!o.words.empty() && std::find(o.words.begin(), o.words.end(), w) == o.words.end()) {
        return SANE_STATUS_INVAL;
      }
      if (o.range) {
        const SANE_Word clamped = std::clamp(w, o.range->min, o.range->max);
        if (clamped != w) out_info |= SANE_INFO_INEXACT;
        w = clamped;
      }
      if (o.inexact) {
        const SANE_Word changed = o.inexact(w);
        if (changed != w) out_info |= SANE_INFO_INEXACT;
        w = changed;
      }
      o.word = w;
      shown = WordText(o, w);
      break;
    }
    case SANE_TYPE_BOOL:
      o.word = *static_cast<SANE_Word*>(value) ? SANE_TRUE : SANE_FALSE;
      shown = WordText(o, o.word);
      break;
    case SANE_TYPE_STRING: {
      const char* s = static_cast<const char*>(value);
      const std::string text(s, strnlen(s, static_cast<size_t>(o.size)));
      if (!o.strings.empty() &&
          std::find(o.strings.begin(), o.strings.end(), text) == o.strings.end()) {
        return SANE_STATUS_INVAL;
      }
      o.text = text;
      shown = text;
      break;
    }
    case SANE_TYPE_BUTTON:
      shown = "press";
      break;
    case SANE_TYPE_GROUP:
      return SANE_STATUS_INVAL;
  }
  sets.push_back(o.name + "=" + shown);
  if (o.on_set) o.on_set(o);
  if (info != nullptr) *info = out_info;
  return SANE_STATUS_GOOD;
}

SANE_Status FakeSaneApi::Start(SANE_Handle /*handle*/) {
  ++start_calls;
  calls.push_back("start");
  cancelled_ = false;
  if (starts_.empty()) return SANE_STATUS_NO_DOCS;
  FakeStart next = std::move(starts_.front());
  starts_.pop_front();
  if (next.status != SANE_STATUS_GOOD) return next.status;
  current_ = std::move(next.frame);
  offset_ = 0;
  scanning_ = true;
  return SANE_STATUS_GOOD;
}

SANE_Status FakeSaneApi::GetParameters(SANE_Handle /*handle*/, SANE_Parameters* params) {
  if (!current_) return SANE_STATUS_INVAL;
  *params = current_->params;
  return SANE_STATUS_GOOD;
}

SANE_Status FakeSaneApi::Read(SANE_Handle /*handle*/, SANE_Byte* data, SANE_Int max_length,
                              SANE_Int* length) {
  ++read_calls;
  *length = 0;
  if (cancelled_) return SANE_STATUS_CANCELLED;
  if (!current_) return SANE_STATUS_INVAL;
  if (current_->fault != SANE_STATUS_GOOD && offset_ >= current_->fault_after) {
    scanning_ = false;
    return current_->fault;
  }
  if (offset_ >= current_->data.size()) {
    scanning_ = false;
    return SANE_STATUS_EOF;
  }
  size_t n = std::min<size_t>(static_cast<size_t>(max_length), current_->data.size() - offset_);
  if (max_read_bytes > 0) n = std::min<size_t>(n, static_cast<size_t>(max_read_bytes));
  if (current_->fault != SANE_STATUS_GOOD) n = std::min(n, current_->fault_after - offset_);
  std::memcpy(data, current_->data.data() + offset_, n);
  offset_ += n;
  *length = static_cast<SANE_Int>(n);
  if (on_read) on_read(offset_);
  return SANE_STATUS_GOOD;
}

void FakeSaneApi::Cancel(SANE_Handle /*handle*/) {
  ++cancel_calls;
  calls.push_back("cancel");
  cancelled_ = true;
  scanning_ = false;
}

SANE_Status FakeSaneApi::SetIoMode(SANE_Handle /*handle*/, bool non_blocking) {
  ++io_mode_calls;
  return non_blocking ? SANE_STATUS_UNSUPPORTED : SANE_STATUS_GOOD;
}

const char* FakeSaneApi::StrStatus(SANE_Status /*status*/) { return "fake status"; }

SANE_Parameters Params(SANE_Frame format, int width, int lines, int depth, int bytes_per_line,
                       bool last_frame) {
  SANE_Parameters p{};
  p.format = format;
  p.last_frame = last_frame ? SANE_TRUE : SANE_FALSE;
  p.pixels_per_line = width;
  p.lines = lines;
  p.depth = depth;
  p.bytes_per_line = bytes_per_line;
  return p;
}

FakeFrame GrayFrame(int width, int height, int seed, int bytes_per_line) {
  const int bpl = bytes_per_line > 0 ? bytes_per_line : width;
  FakeFrame f;
  f.params = Params(SANE_FRAME_GRAY, width, height, 8, bpl);
  f.data.assign(static_cast<size_t>(bpl) * height, 0xEE);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      f.data[static_cast<size_t>(y) * bpl + x] = static_cast<uint8_t>((x + 3 * y + seed) % 256);
    }
  }
  return f;
}

void AddDocumentScannerOptions(FakeSaneApi& api) {
  FakeOption source;
  source.name = "source";
  source.type = SANE_TYPE_STRING;
  source.size = 32;
  source.strings = {"Flatbed", "ADF", "ADF Duplex"};
  source.text = "Flatbed";
  api.AddOption(source);

  FakeOption mode;
  mode.name = "mode";
  mode.type = SANE_TYPE_STRING;
  mode.size = 32;
  mode.strings = {"Lineart", "Gray", "Color"};
  mode.text = "Color";
  api.AddOption(mode);

  FakeOption resolution;
  resolution.name = "resolution";
  resolution.type = SANE_TYPE_INT;
  resolution.unit = SANE_UNIT_DPI;
  resolution.words = {75, 150, 300, 600};
  resolution.word = 150;
  api.AddOption(resolution);

  const std::pair<const char*, double> geometry[] = {
      {"tl-x", 215.9}, {"tl-y", 297.0}, {"br-x", 215.9}, {"br-y", 297.0}};
  for (const auto& [name, max] : geometry) {
    FakeOption g;
    g.name = name;
    g.type = SANE_TYPE_FIXED;
    g.unit = SANE_UNIT_MM;
    g.range = SANE_Range{0, SANE_FIX(max), 0};
    g.word = name[0] == 't' ? 0 : SANE_FIX(100.0);
    api.AddOption(g);
  }
}

}  // namespace intake::hardware::testing
