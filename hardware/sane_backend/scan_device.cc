#include "hardware/sane_backend/scan_device.h"

#include <strings.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <thread>

#include "hardware/sane_backend/debug_log.h"

namespace intake::hardware::sane_backend {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSourceFlatbed = "Flatbed";
constexpr const char* kSourceAdfFront = "ADF Front";
constexpr const char* kSourceAdfDuplex = "ADF Duplex";

constexpr SANE_String_Const kModeList[] = {SANE_VALUE_SCAN_MODE_LINEART, SANE_VALUE_SCAN_MODE_GRAY,
                                           SANE_VALUE_SCAN_MODE_COLOR, nullptr};
constexpr SANE_String_Const kSourceList[] = {kSourceFlatbed, kSourceAdfFront, kSourceAdfDuplex,
                                             nullptr};
constexpr SANE_Range kResolutionRange = {75, 600, 1};
constexpr SANE_Range kXRange = {0, SANE_FIX(210.0), 0};  // A4 width, mm
constexpr SANE_Range kYRange = {0, SANE_FIX(297.0), 0};  // A4 height, mm

constexpr SANE_Int kSoft = SANE_CAP_SOFT_SELECT | SANE_CAP_SOFT_DETECT;

// Size of a string option: its longest value and the terminating NUL.
constexpr SANE_Int StringListSize(const SANE_String_Const* list) {
  SANE_Int size = 0;
  for (; *list != nullptr; ++list) {
    size = std::max(size, static_cast<SANE_Int>(std::char_traits<char>::length(*list) + 1));
  }
  return size;
}

SANE_Option_Descriptor Group(SANE_String_Const title, SANE_String_Const desc) {
  SANE_Option_Descriptor d{};
  d.name = "";
  d.title = title;
  d.desc = desc;
  d.type = SANE_TYPE_GROUP;
  d.unit = SANE_UNIT_NONE;
  d.size = 0;
  d.cap = 0;
  d.constraint_type = SANE_CONSTRAINT_NONE;
  return d;
}

SANE_Option_Descriptor StringList(SANE_String_Const name, SANE_String_Const title,
                                  SANE_String_Const desc, const SANE_String_Const* list) {
  SANE_Option_Descriptor d{};
  d.name = name;
  d.title = title;
  d.desc = desc;
  d.type = SANE_TYPE_STRING;
  d.unit = SANE_UNIT_NONE;
  d.size = StringListSize(list);
  d.cap = kSoft;
  d.constraint_type = SANE_CONSTRAINT_STRING_LIST;
  d.constraint.string_list = list;
  return d;
}

SANE_Option_Descriptor Ranged(SANE_String_Const name, SANE_String_Const title,
                              SANE_String_Const desc, SANE_Value_Type type, SANE_Unit unit,
                              const SANE_Range* range) {
  SANE_Option_Descriptor d{};
  d.name = name;
  d.title = title;
  d.desc = desc;
  d.type = type;
  d.unit = unit;
  d.size = sizeof(SANE_Word);
  d.cap = kSoft;
  d.constraint_type = SANE_CONSTRAINT_RANGE;
  d.constraint.range = range;
  return d;
}

const std::array<SANE_Option_Descriptor, kNumOptions>& Descriptors() {
  static const std::array<SANE_Option_Descriptor, kNumOptions> table = [] {
    std::array<SANE_Option_Descriptor, kNumOptions> t{};
    SANE_Option_Descriptor& count = t[kOptCount];
    count.name = SANE_NAME_NUM_OPTIONS;
    count.title = SANE_TITLE_NUM_OPTIONS;
    count.desc = SANE_DESC_NUM_OPTIONS;
    count.type = SANE_TYPE_INT;
    count.unit = SANE_UNIT_NONE;
    count.size = sizeof(SANE_Word);
    count.cap = SANE_CAP_SOFT_DETECT;
    count.constraint_type = SANE_CONSTRAINT_NONE;
    t[kOptModeGroup] = Group(SANE_TITLE_STANDARD, SANE_DESC_STANDARD);
    t[kOptMode] =
        StringList(SANE_NAME_SCAN_MODE, SANE_TITLE_SCAN_MODE, SANE_DESC_SCAN_MODE, kModeList);
    t[kOptSource] = StringList(SANE_NAME_SCAN_SOURCE, SANE_TITLE_SCAN_SOURCE, SANE_DESC_SCAN_SOURCE,
                               kSourceList);
    t[kOptResolution] =
        Ranged(SANE_NAME_SCAN_RESOLUTION, SANE_TITLE_SCAN_RESOLUTION, SANE_DESC_SCAN_RESOLUTION,
               SANE_TYPE_INT, SANE_UNIT_DPI, &kResolutionRange);
    t[kOptGeometryGroup] = Group(SANE_TITLE_GEOMETRY, SANE_DESC_GEOMETRY);
    t[kOptTlX] = Ranged(SANE_NAME_SCAN_TL_X, SANE_TITLE_SCAN_TL_X, SANE_DESC_SCAN_TL_X,
                        SANE_TYPE_FIXED, SANE_UNIT_MM, &kXRange);
    t[kOptTlY] = Ranged(SANE_NAME_SCAN_TL_Y, SANE_TITLE_SCAN_TL_Y, SANE_DESC_SCAN_TL_Y,
                        SANE_TYPE_FIXED, SANE_UNIT_MM, &kYRange);
    t[kOptBrX] = Ranged(SANE_NAME_SCAN_BR_X, SANE_TITLE_SCAN_BR_X, SANE_DESC_SCAN_BR_X,
                        SANE_TYPE_FIXED, SANE_UNIT_MM, &kXRange);
    t[kOptBrY] = Ranged(SANE_NAME_SCAN_BR_Y, SANE_TITLE_SCAN_BR_Y, SANE_DESC_SCAN_BR_Y,
                        SANE_TYPE_FIXED, SANE_UNIT_MM, &kYRange);
    return t;
  }();
  return table;
}

// The list entry equal to `value` ignoring case, or nullptr.
SANE_String_Const FindInList(const SANE_String_Const* list, const char* value) {
  for (; *list != nullptr; ++list) {
    if (strcasecmp(*list, value) == 0) return *list;
  }
  return nullptr;
}

ColorMode ModeOf(const std::string& mode) {
  if (mode == SANE_VALUE_SCAN_MODE_LINEART) return ColorMode::kLineart;
  if (mode == SANE_VALUE_SCAN_MODE_COLOR) return ColorMode::kColor;
  return ColorMode::kGray;
}

const char* StatusName(SANE_Status status) {
  switch (status) {
    case SANE_STATUS_JAMMED:
      return "jammed";
    case SANE_STATUS_COVER_OPEN:
      return "cover open";
    case SANE_STATUS_IO_ERROR:
      return "I/O error";
    default:
      return "fault";
  }
}

}  // namespace

ScanDevice::ScanDevice(DeviceConfig config, std::vector<Sheet> sheets, OptionValues* options)
    : config_(std::move(config)), sheets_(std::move(sheets)), options_(options) {
  // The operator loaded the stack from start_sheet on; an empty feeder holds nothing.
  next_sheet_ = config_.empty
                    ? sheets_.size()
                    : std::min(sheets_.size(), static_cast<size_t>(config_.start_sheet - 1));
}

const SANE_Option_Descriptor* ScanDevice::Descriptor(SANE_Int index) {
  if (index < 0 || index >= kNumOptions) return nullptr;
  return &Descriptors()[static_cast<size_t>(index)];
}

bool ScanDevice::Scanning() const {
  return state_ == State::kScanning && !cancel_requested_.load(std::memory_order_relaxed);
}

FrameLayout ScanDevice::CurrentLayout() const {
  ScanArea area;
  area.left_mm = SANE_UNFIX(options_->tl_x);
  area.top_mm = SANE_UNFIX(options_->tl_y);
  area.right_mm = SANE_UNFIX(options_->br_x);
  area.bottom_mm = SANE_UNFIX(options_->br_y);
  return MakeFrameLayout(ModeOf(options_->mode), options_->resolution, area);
}

SANE_Status ScanDevice::Control(SANE_Int index, SANE_Action action, void* value, SANE_Int* info) {
  if (info != nullptr) *info = 0;
  if (index < 0 || index >= kNumOptions || value == nullptr) return SANE_STATUS_INVAL;
  const SANE_Option_Descriptor& d = Descriptors()[static_cast<size_t>(index)];
  if (d.type == SANE_TYPE_GROUP) return SANE_STATUS_INVAL;

  if (action == SANE_ACTION_GET_VALUE) {
    switch (index) {
      case kOptCount:
        *static_cast<SANE_Int*>(value) = kNumOptions;
        break;
      case kOptMode:
        std::strcpy(static_cast<char*>(value), options_->mode.c_str());
        break;
      case kOptSource:
        std::strcpy(static_cast<char*>(value), options_->source.c_str());
        break;
      case kOptResolution:
        *static_cast<SANE_Int*>(value) = options_->resolution;
        break;
      case kOptTlX:
        *static_cast<SANE_Fixed*>(value) = options_->tl_x;
        break;
      case kOptTlY:
        *static_cast<SANE_Fixed*>(value) = options_->tl_y;
        break;
      case kOptBrX:
        *static_cast<SANE_Fixed*>(value) = options_->br_x;
        break;
      case kOptBrY:
        *static_cast<SANE_Fixed*>(value) = options_->br_y;
        break;
      default:
        return SANE_STATUS_INVAL;
    }
    return SANE_STATUS_GOOD;
  }
  if (action != SANE_ACTION_SET_VALUE) return SANE_STATUS_INVAL;  // no SANE_CAP_AUTOMATIC
  if ((d.cap & SANE_CAP_SOFT_SELECT) == 0) return SANE_STATUS_INVAL;
  if (Scanning()) {
    Dbg(1, "control_option: option '%s' cannot change while a page is read", d.name);
    return SANE_STATUS_INVAL;
  }

  SANE_Int flags = 0;
  if (d.type == SANE_TYPE_STRING) {
    const char* wanted = static_cast<const char*>(value);
    const SANE_String_Const match = FindInList(d.constraint.string_list, wanted);
    if (match == nullptr) {
      Dbg(1, "control_option: '%s' is not a value of option '%s'", wanted, d.name);
      return SANE_STATUS_INVAL;
    }
    if (std::strcmp(match, wanted) != 0) flags |= SANE_INFO_INEXACT;
    (index == kOptMode ? options_->mode : options_->source) = match;
    if (index == kOptMode) flags |= SANE_INFO_RELOAD_PARAMS;
  } else {
    const SANE_Range& range = *d.constraint.range;
    SANE_Word v = *static_cast<const SANE_Word*>(value);
    const SANE_Word clamped = std::clamp(v, range.min, range.max);
    if (clamped != v) flags |= SANE_INFO_INEXACT;
    v = clamped;
    switch (index) {
      case kOptResolution:
        options_->resolution = v;
        break;
      case kOptTlX:
        options_->tl_x = v;
        break;
      case kOptTlY:
        options_->tl_y = v;
        break;
      case kOptBrX:
        options_->br_x = v;
        break;
      case kOptBrY:
        options_->br_y = v;
        break;
      default:
        return SANE_STATUS_INVAL;
    }
    flags |= SANE_INFO_RELOAD_PARAMS;
  }
  if (info != nullptr) *info = flags;
  return SANE_STATUS_GOOD;
}

SANE_Status ScanDevice::GetParameters(SANE_Parameters* params) const {
  if (params == nullptr) return SANE_STATUS_INVAL;
  // While a page is under way its own layout counts; otherwise the options' (exact, since
  // the frame size follows from the scan area alone).
  const bool in_page = (state_ == State::kScanning || state_ == State::kEof) &&
                       !cancel_requested_.load(std::memory_order_relaxed);
  const FrameLayout layout = in_page ? page_layout_ : CurrentLayout();
  params->format = layout.channels == 3 ? SANE_FRAME_RGB : SANE_FRAME_GRAY;
  params->last_frame = SANE_TRUE;
  params->bytes_per_line = layout.bytes_per_line;
  params->pixels_per_line = layout.pixels_per_line;
  params->lines = layout.lines;
  params->depth = layout.depth;
  return SANE_STATUS_GOOD;
}

SANE_Status ScanDevice::FaultForSheet(int sheet) const {
  if (sheet == config_.cover_open_at_sheet) return SANE_STATUS_COVER_OPEN;
  if (sheet == config_.jam_at_sheet) return SANE_STATUS_JAMMED;
  if (sheet == config_.io_error_at_sheet) return SANE_STATUS_IO_ERROR;
  return SANE_STATUS_GOOD;
}

void ScanDevice::DropPage() {
  page_.clear();
  page_.shrink_to_fit();
  delivered_ = 0;
}

SANE_Status ScanDevice::Start() {
  // Rendering the page is part of the page's time, so the pace counts from here.
  const Clock::time_point now = Clock::now();
  cancel_requested_.store(false, std::memory_order_relaxed);
  if (state_ == State::kScanning) {
    Dbg(2, "start: the previous page was not read to its end; it is discarded");
  }
  DropPage();
  state_ = State::kIdle;
  if (latched_fault_ != SANE_STATUS_GOOD) return latched_fault_;

  const FrameLayout layout = CurrentLayout();
  if (layout.pixels_per_line <= 0 || layout.lines <= 0) {
    Dbg(1, "start: the scan area is empty (br-x <= tl-x or br-y <= tl-y)");
    return SANE_STATUS_INVAL;
  }
  const bool duplex = options_->source == kSourceAdfDuplex;
  if (next_side_ == Side::kBack && !duplex) {  // the source changed to simplex mid-sheet
    ++next_sheet_;
    next_side_ = Side::kFront;
  }
  if (next_sheet_ >= sheets_.size()) {
    Dbg(2, "start: the feeder is empty");
    return SANE_STATUS_NO_DOCS;
  }
  const Sheet& sheet = sheets_[next_sheet_];
  const Side side = next_side_;
  const SANE_Status fault = side == Side::kFront ? FaultForSheet(sheet.number) : SANE_STATUS_GOOD;
  if (fault != SANE_STATUS_GOOD && config_.fault_at == FaultPlace::kStart) {
    Dbg(1, "start: sheet %d: %s", sheet.number, StatusName(fault));
    latched_fault_ = fault;
    return fault;
  }

  try {
    const std::string& path = side == Side::kFront ? sheet.front : sheet.back;
    if (std::string error = RenderPage(path, layout, &page_); !error.empty()) {
      Dbg(0, "%s", error.c_str());
      DropPage();
      return SANE_STATUS_IO_ERROR;
    }
  } catch (const std::bad_alloc&) {
    DropPage();
    return SANE_STATUS_NO_MEM;
  }
  Dbg(2, "start: sheet %d %s, %dx%d", sheet.number, side == Side::kFront ? "front" : "back",
      layout.pixels_per_line, layout.lines);

  // The paper has moved: the feeder's next page.
  if (duplex && side == Side::kFront) {
    next_side_ = Side::kBack;
  } else {
    ++next_sheet_;
    next_side_ = Side::kFront;
  }
  page_layout_ = layout;
  delivered_ = 0;
  page_fault_ = fault;
  fault_at_byte_ = fault == SANE_STATUS_GOOD
                       ? page_.size() + 1
                       : static_cast<size_t>(layout.lines / 2) * layout.bytes_per_line;
  page_fed_ = std::max(now, page_deadline_);
  page_deadline_ = page_fed_;
  if (config_.pace_ppm > 0) {
    page_deadline_ += std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(60.0 / config_.pace_ppm));
  }
  state_ = State::kScanning;
  return SANE_STATUS_GOOD;
}

bool ScanDevice::SleepUntil(Clock::time_point deadline) const {
  constexpr auto kSlice = std::chrono::milliseconds(20);
  for (;;) {
    if (cancel_requested_.load(std::memory_order_relaxed)) return false;
    const Clock::time_point now = Clock::now();
    if (now >= deadline) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(deadline - now, kSlice));
  }
}

SANE_Status ScanDevice::Read(SANE_Byte* data, SANE_Int max_length, SANE_Int* length) {
  if (length != nullptr) *length = 0;
  if (data == nullptr || length == nullptr || max_length <= 0) return SANE_STATUS_INVAL;
  if (cancel_requested_.load(std::memory_order_relaxed)) {
    if (state_ != State::kCancelled) Dbg(2, "read: cancelled");
    DropPage();
    state_ = State::kCancelled;
    return SANE_STATUS_CANCELLED;
  }
  switch (state_) {
    case State::kCancelled:
      return SANE_STATUS_CANCELLED;
    case State::kEof:
      return SANE_STATUS_EOF;
    case State::kIdle:
      return latched_fault_ != SANE_STATUS_GOOD ? latched_fault_ : SANE_STATUS_INVAL;
    case State::kScanning:
      break;
  }
  if (delivered_ >= fault_at_byte_) {
    Dbg(1, "read: %s after %zu of %zu bytes", StatusName(page_fault_), delivered_, page_.size());
    latched_fault_ = page_fault_;
    DropPage();
    state_ = State::kIdle;
    return latched_fault_;
  }
  if (delivered_ >= page_.size()) {
    state_ = State::kEof;
    return SANE_STATUS_EOF;
  }
  const size_t n = std::min(
      {static_cast<size_t>(max_length), page_.size() - delivered_, fault_at_byte_ - delivered_});
  if (page_deadline_ > page_fed_) {
    const double done = static_cast<double>(delivered_ + n) / static_cast<double>(page_.size());
    const auto due = page_fed_ + std::chrono::duration_cast<Clock::duration>(
                                     (page_deadline_ - page_fed_) * done);
    if (!SleepUntil(due)) {
      Dbg(2, "read: cancelled");
      DropPage();
      state_ = State::kCancelled;
      return SANE_STATUS_CANCELLED;
    }
  }
  std::memcpy(data, page_.data() + delivered_, n);
  delivered_ += n;
  *length = static_cast<SANE_Int>(n);
  return SANE_STATUS_GOOD;
}

SANE_Status ScanDevice::SetIoMode(SANE_Bool non_blocking) const {
  return non_blocking ? SANE_STATUS_UNSUPPORTED : SANE_STATUS_GOOD;
}

}  // namespace intake::hardware::sane_backend
