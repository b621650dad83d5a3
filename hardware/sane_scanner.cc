#include "hardware/sane_scanner.h"

#include <sane/saneopts.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include "base/log.h"
#include "hardware/sane_handles.h"
#include "hardware/sane_options.h"

namespace intake::hardware {
namespace {

// Blocking reads should never return GOOD with no data, but some backends do while the
// device warms up; after this many in a row the reader yields for a millisecond.
constexpr int kBusyReadsBeforeSleep = 100;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string JoinQuoted(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += "\"" + item + "\"";
  }
  return out.empty() ? "ingen" : out;
}

std::string SourceInDanish(config::ScanSource source) {
  switch (source) {
    case config::ScanSource::kFlatbed:
      return "planlejet (flatbed)";
    case config::ScanSource::kFeeder:
      return "fremfører (ADF)";
    case config::ScanSource::kDuplex:
      return "dobbeltsidet fremfører (duplex)";
  }
  return "ukendt";
}

std::string ModeInDanish(config::ScanMode mode) {
  switch (mode) {
    case config::ScanMode::kLineart:
      return "sort-hvid stregtegning (lineart)";
    case config::ScanMode::kGray:
      return "gråtoner (gray)";
    case config::ScanMode::kColor:
      return "farve (color)";
  }
  return "ukendt";
}

const char* FormatName(SANE_Frame format) {
  switch (format) {
    case SANE_FRAME_GRAY:
      return "GRAY";
    case SANE_FRAME_RGB:
      return "RGB";
    case SANE_FRAME_RED:
      return "RED";
    case SANE_FRAME_GREEN:
      return "GREEN";
    case SANE_FRAME_BLUE:
      return "BLUE";
  }
  return "ukendt";
}

// One frame of a page as read: rows of `stride` bytes, `channels` samples per pixel.
struct Frame {
  int width = 0;
  int rows = 0;
  int depth = 8;
  int channels = 1;
  int stride = 0;
  std::vector<uint8_t> data;
};

int PackedRowBytes(int width, int channels, int depth) {
  return static_cast<int>((static_cast<int64_t>(width) * channels * depth + 7) / 8);
}

// The frame's rows without padding.
RawFrame Pack(const Frame& f) {
  RawFrame out;
  out.width = f.width;
  out.height = f.rows;
  out.depth = f.depth;
  out.channels = f.channels;
  out.bytes_per_line = PackedRowBytes(f.width, f.channels, f.depth);
  out.pixels.resize(static_cast<size_t>(out.bytes_per_line) * f.rows);
  for (int y = 0; y < f.rows; ++y) {
    std::memcpy(out.pixels.data() + static_cast<size_t>(y) * out.bytes_per_line,
                f.data.data() + static_cast<size_t>(y) * f.stride, out.bytes_per_line);
  }
  return out;
}

// Interleaves three single-channel planes (index 0 red, 1 green, 2 blue) into RGB.
RawFrame Interleave(const std::array<std::optional<Frame>, 3>& planes) {
  const int width = planes[0]->width;
  const int depth = planes[0]->depth;
  const int rows = std::min({planes[0]->rows, planes[1]->rows, planes[2]->rows});
  const int sample_bytes = depth / 8;
  RawFrame out;
  out.width = width;
  out.height = rows;
  out.depth = depth;
  out.channels = 3;
  out.bytes_per_line = width * 3 * sample_bytes;
  out.pixels.resize(static_cast<size_t>(out.bytes_per_line) * rows);
  for (int y = 0; y < rows; ++y) {
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * out.bytes_per_line;
    for (int c = 0; c < 3; ++c) {
      const uint8_t* src = planes[c]->data.data() + static_cast<size_t>(y) * planes[c]->stride;
      for (int x = 0; x < width; ++x) {
        std::memcpy(dst + (static_cast<size_t>(x) * 3 + c) * sample_bytes,
                    src + static_cast<size_t>(x) * sample_bytes, sample_bytes);
      }
    }
  }
  return out;
}

class SaneScanSession final : public ScanSession {
 public:
  SaneScanSession(std::unique_ptr<SaneDevice> device, const ScanSettings& settings, int dpi,
                  bool feeder, bool duplex, const SaneScannerOptions& options)
      : device_(std::move(device)),
        job_(std::make_unique<SaneJob>(*device_)),
        dpi_(dpi),
        feeder_(feeder),
        duplex_(duplex),
        first_sheet_(settings.first_sheet),
        max_page_bytes_(options.max_page_bytes),
        chunk_(std::max(options.read_chunk_bytes, 1)),
        last_complete_sheet_(settings.first_sheet - 1) {}

  ~SaneScanSession() override {
    job_.reset();     // sane_cancel, if the batch is still running
    device_.reset();  // sane_close
  }

  Result<std::optional<ScannedPage>> NextPage() override;
  // Kept current, so after the normal end it also names the last sheet received.
  ScanFaultInfo fault_info() const override {
    return {last_complete_sheet_, last_complete_sheet_ + 1};
  }
  void Cancel() override { cancel_requested_.store(true, std::memory_order_relaxed); }

 private:
  // One page: its frames started, read and assembled. nullopt: the feeder reported
  // empty before any data of this page. `front_held`: the front of this sheet has been
  // read and is lost if this page fails.
  Result<std::optional<RawFrame>> ReadPage(int sheet, bool front_held);
  // Reads one frame's bytes until EOF into `frame` (parameters already checked).
  Status ReadFrameData(const SANE_Parameters& p, Frame& frame, size_t page_bytes_before, int sheet,
                       bool& any_data, bool front_held, bool& no_docs);
  Status CheckParameters(const SANE_Parameters& p, int sheet) const;

  // The operator's message for `status` while sheet `sheet` was scanned.
  Error SheetFault(SANE_Status status, int sheet, bool page_lost) const;
  Error DeviceFault(int sheet, const std::string& what) const;
  // Ends the job (sane_cancel) and drops any page held back.
  Error Fail(Error error);
  void EndJob() { job_.reset(); }
  bool CancelRequested() const { return cancel_requested_.load(std::memory_order_relaxed); }
  std::string Reload(int sheet) const;
  ScannedPage MakePage(RawFrame frame, int sheet, Side side) const;

  std::unique_ptr<SaneDevice> device_;
  std::unique_ptr<SaneJob> job_;  // non-null while the device may be scanning
  const int dpi_;
  const bool feeder_;
  const bool duplex_;
  const int first_sheet_;
  const size_t max_page_bytes_;
  const int chunk_;

  std::atomic<bool> cancel_requested_{false};
  bool cancelled_ = false;  // sticky: a cancelled batch stays cancelled
  bool finished_ = false;   // the feeder reported empty (or a flatbed page was read)
  int last_complete_sheet_;
  int pages_delivered_ = 0;
  std::optional<ScannedPage> held_back_;  // duplex: the back after its front went out
};

std::string SaneScanSession::Reload(int sheet) const {
  if (!feeder_) return "læg arket på glaspladen igen og scan det igen";
  return "læg arkene fra ark " + std::to_string(sheet) + " i fremføreren igen og fortsæt";
}

Error SaneScanSession::SheetFault(SANE_Status status, int sheet, bool page_lost) const {
  const std::string k = std::to_string(sheet);
  ErrorCode code = ErrorCode::kDeviceError;
  std::string message;
  switch (status) {
    case SANE_STATUS_JAMMED:
      message = "Papirstop ved ark " + k + ". Fjern papiret, " + Reload(sheet) + ".";
      break;
    case SANE_STATUS_COVER_OPEN:
      message =
          "Låget eller fremføreren er åben (ved ark " + k + "). Luk den, " + Reload(sheet) + ".";
      break;
    case SANE_STATUS_DEVICE_BUSY:
      code = ErrorCode::kDeviceBusy;
      message =
          "Scanneren bruges af et andet program (fx scanbd eller en anden scanning) ved "
          "ark " +
          k + ". Luk det andet program eller vent, og " + Reload(sheet) + ".";
      break;
    case SANE_STATUS_IO_ERROR:
      message = "Forbindelsen til scanneren svigtede ved ark " + k +
                " (I/O-fejl). Kontrollér kabel, USB eller netværk og at scanneren er tændt, "
                "og " +
                Reload(sheet) + ".";
      break;
    case SANE_STATUS_CANCELLED:
      code = ErrorCode::kCancelled;
      message =
          "Scanningen blev afbrudt ved ark " + k + ". Fortsæt fra ark " + k + ", når du er klar.";
      break;
    case SANE_STATUS_NO_DOCS:
      message = "Fremføreren meldte tom midt i ark " + k + ". Kontrollér papiret, og " +
                Reload(sheet) + ".";
      break;
    case SANE_STATUS_NO_MEM:
      message = "Scannerdriveren løb tør for hukommelse ved ark " + k +
                ". Luk andre programmer, og " + Reload(sheet) + ".";
      break;
    case SANE_STATUS_ACCESS_DENIED:
      message = "Adgang til scanneren blev nægtet ved ark " + k +
                ". Kontrollér at brugeren har adgang til scanneren (gruppen scanner), og " +
                Reload(sheet) + ".";
      break;
    case SANE_STATUS_INVAL:
    case SANE_STATUS_EOF:
    case SANE_STATUS_UNSUPPORTED:
      // sane_start refusing a configured device means it went away (or off-line).
      message = "Scanneren svarer ikke / er fjernet (ved ark " + k +
                "). Kontrollér at den er tændt og tilsluttet, og " + Reload(sheet) + ".";
      break;
    default:
      message = "Scanneren meldte en fejl ved ark " + k + " (" + device_->api().StrStatus(status) +
                "). Kontrollér scanneren, og " + Reload(sheet) + ".";
      break;
  }
  if (page_lost && status != SANE_STATUS_CANCELLED) {
    message +=
        " Ark " + k + " nåede ikke at blive scannet helt og scannes igen, når du fortsætter.";
  } else if (page_lost) {
    message += " Ark " + k + " blev ikke scannet helt og scannes igen.";
  }
  LOG(kDebug) << "scanner " << device_->name() << ": " << SaneStatusName(status) << " ved ark "
              << sheet;
  return Error(code, std::move(message));
}

Error SaneScanSession::DeviceFault(int sheet, const std::string& what) const {
  return Error(ErrorCode::kDeviceError,
               "Scanneren " + device_->name() + " leverede ugyldige data ved ark " +
                   std::to_string(sheet) + " (" + what +
                   "). Kontrollér scanneren og dens driver, og " + Reload(sheet) + ".");
}

Error SaneScanSession::Fail(Error error) {
  EndJob();
  held_back_.reset();
  if (error.code() == ErrorCode::kCancelled) cancelled_ = true;
  LOG(kWarning) << "scanner " << device_->name() << ": " << error;
  return error;
}

ScannedPage SaneScanSession::MakePage(RawFrame frame, int sheet, Side side) const {
  ScannedPage page;
  page.content = std::move(frame);
  page.dpi = dpi_;
  page.sheet = sheet;
  page.side = side;
  page.source = device_->name();
  return page;
}

Result<std::optional<ScannedPage>> SaneScanSession::NextPage() {
  if (held_back_) {
    // The back of a sheet whose front went out; its sheet is now complete.
    ScannedPage back = std::move(*held_back_);
    held_back_.reset();
    last_complete_sheet_ = back.sheet;
    ++pages_delivered_;
    return std::optional<ScannedPage>(std::move(back));
  }
  const int sheet = last_complete_sheet_ + 1;
  if (cancelled_ || CancelRequested()) {
    return Fail(SheetFault(SANE_STATUS_CANCELLED, sheet, false));
  }
  if (finished_) return std::optional<ScannedPage>();
  if (!job_) job_ = std::make_unique<SaneJob>(*device_);  // a retry after a fault

  Result<std::optional<RawFrame>> front = ReadPage(sheet, false);
  if (!front) return Fail(front.error());
  if (!*front) {
    EndJob();
    if (pages_delivered_ == 0) {
      const std::string message =
          sheet == 1 ? "Fremføreren er tom. Læg arkene i fremføreren og start scanningen igen."
                     : "Fremføreren er tom. Læg arkene fra ark " + std::to_string(sheet) +
                           " i fremføreren og fortsæt.";
      LOG(kWarning) << "scanner " << device_->name() << ": " << message;
      return Error(ErrorCode::kDeviceError, message);
    }
    finished_ = true;
    LOG(kInfo) << "scanner " << device_->name() << ": fremføreren er tom efter ark "
               << last_complete_sheet_ << " (" << pages_delivered_ << " sider)";
    return std::optional<ScannedPage>();
  }
  ScannedPage front_page = MakePage(std::move(**front), sheet, Side::kFront);

  if (duplex_) {
    Result<std::optional<RawFrame>> back = ReadPage(sheet, true);
    if (!back) return Fail(back.error());
    if (!*back) {
      // A duplex device without a back for this sheet: keep the front, end the batch.
      LOG(kWarning) << "scanner " << device_->name() << ": ark " << sheet
                    << " kom uden bagside; batchen slutter her";
      EndJob();
      finished_ = true;
      last_complete_sheet_ = sheet;
      ++pages_delivered_;
      return std::optional<ScannedPage>(std::move(front_page));
    }
    held_back_ = MakePage(std::move(**back), sheet, Side::kBack);
    ++pages_delivered_;
    return std::optional<ScannedPage>(std::move(front_page));
  }

  last_complete_sheet_ = sheet;
  ++pages_delivered_;
  if (!feeder_) {  // a flatbed batch is one page
    EndJob();
    finished_ = true;
  }
  return std::optional<ScannedPage>(std::move(front_page));
}

Status SaneScanSession::CheckParameters(const SANE_Parameters& p, int sheet) const {
  int channels = 1;
  switch (p.format) {
    case SANE_FRAME_GRAY:
    case SANE_FRAME_RED:
    case SANE_FRAME_GREEN:
    case SANE_FRAME_BLUE:
      break;
    case SANE_FRAME_RGB:
      channels = 3;
      break;
    default:
      return DeviceFault(sheet, "billedformat " + std::to_string(static_cast<int>(p.format)) +
                                    " understøttes ikke");
  }
  if (p.depth != 1 && p.depth != 8 && p.depth != 16) {
    return DeviceFault(sheet, std::to_string(p.depth) + " bit pr. farve understøttes ikke");
  }
  if (p.depth == 1 && p.format != SANE_FRAME_GRAY) {
    return DeviceFault(
        sheet, std::string("1 bit i formatet ") + FormatName(p.format) + " understøttes ikke");
  }
  if (p.pixels_per_line <= 0 || p.bytes_per_line <= 0) {
    return DeviceFault(sheet, "sidebredde " + std::to_string(p.pixels_per_line) + " punkter, " +
                                  std::to_string(p.bytes_per_line) + " byte pr. linje");
  }
  if (p.bytes_per_line < PackedRowBytes(p.pixels_per_line, channels, p.depth)) {
    return DeviceFault(sheet, std::to_string(p.bytes_per_line) +
                                  " byte pr. linje er for lidt til " +
                                  std::to_string(p.pixels_per_line) + " punkter");
  }
  if (p.lines > 0 &&
      static_cast<uint64_t>(p.lines) * static_cast<uint64_t>(p.bytes_per_line) > max_page_bytes_) {
    return DeviceFault(
        sheet, "siden er større end grænsen på " + std::to_string(max_page_bytes_ >> 20) + " MiB");
  }
  return OkStatus();
}

Status SaneScanSession::ReadFrameData(const SANE_Parameters& p, Frame& frame,
                                      size_t page_bytes_before, int sheet, bool& any_data,
                                      bool front_held, bool& no_docs) {
  SaneApi& api = device_->api();
  std::vector<uint8_t>& data = frame.data;
  if (p.lines > 0) data.reserve(static_cast<size_t>(p.lines) * p.bytes_per_line);
  int empty_reads = 0;
  while (true) {
    if (CancelRequested()) {
      return SheetFault(SANE_STATUS_CANCELLED, sheet, any_data || front_held);
    }
    const size_t old_size = data.size();
    data.resize(old_size + static_cast<size_t>(chunk_));
    SANE_Int length = 0;
    const SANE_Status status = api.Read(device_->handle(), data.data() + old_size, chunk_, &length);
    if (status != SANE_STATUS_GOOD) length = 0;
    if (length < 0 || length > chunk_) {
      data.resize(old_size);
      return DeviceFault(sheet, "sane_read meldte " + std::to_string(length) + " byte");
    }
    data.resize(old_size + static_cast<size_t>(length));
    if (status == SANE_STATUS_EOF) return OkStatus();
    if (status == SANE_STATUS_NO_DOCS && !any_data) {
      no_docs = true;  // reported at the first read instead of at sane_start
      return OkStatus();
    }
    if (status != SANE_STATUS_GOOD) return SheetFault(status, sheet, any_data || front_held);
    if (length > 0) {
      any_data = true;
      empty_reads = 0;
    } else if (++empty_reads >= kBusyReadsBeforeSleep) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (page_bytes_before + data.size() > max_page_bytes_) {
      return DeviceFault(sheet, "siden er større end grænsen på " +
                                    std::to_string(max_page_bytes_ >> 20) +
                                    " MiB (ingen slutning på siden)");
    }
  }
}

Result<std::optional<RawFrame>> SaneScanSession::ReadPage(int sheet, bool front_held) {
  SaneApi& api = device_->api();
  const SANE_Handle h = device_->handle();
  std::array<std::optional<Frame>, 3> planes;  // three-pass: red, green, blue
  bool any_data = false;
  int frames = 0;
  size_t page_bytes = 0;
  while (true) {
    const bool lost = any_data || frames > 0 || front_held;
    if (CancelRequested()) return SheetFault(SANE_STATUS_CANCELLED, sheet, lost);
    SANE_Status status = api.Start(h);
    if (status == SANE_STATUS_NO_DOCS && frames == 0) return std::optional<RawFrame>();
    if (status != SANE_STATUS_GOOD) return SheetFault(status, sheet, lost);
    // Blocking reads (the default; some backends answer UNSUPPORTED, which is fine).
    (void)api.SetIoMode(h, false);
    SANE_Parameters p{};
    status = api.GetParameters(h, &p);
    if (status != SANE_STATUS_GOOD) return SheetFault(status, sheet, lost);
    INTAKE_RETURN_IF_ERROR(CheckParameters(p, sheet));

    Frame frame;
    frame.width = p.pixels_per_line;
    frame.depth = p.depth;
    frame.channels = p.format == SANE_FRAME_RGB ? 3 : 1;
    frame.stride = p.bytes_per_line;
    bool no_docs = false;
    INTAKE_RETURN_IF_ERROR(
        ReadFrameData(p, frame, page_bytes, sheet, any_data, front_held, no_docs));
    if (no_docs && frames == 0) return std::optional<RawFrame>();
    if (no_docs) return SheetFault(SANE_STATUS_NO_DOCS, sheet, true);
    page_bytes += frame.data.size();
    frame.rows = static_cast<int>(frame.data.size() / static_cast<size_t>(frame.stride));
    if (frame.data.size() % static_cast<size_t>(frame.stride) != 0) {
      LOG(kDebug) << "scanner " << device_->name() << ": ark " << sheet
                  << ": ufuldstændig sidste linje kasseret";
    }
    if (p.lines > 0 && frame.rows != p.lines) {
      LOG(kWarning) << "scanner " << device_->name() << ": ark " << sheet << ": " << p.lines
                    << " linjer varslet, " << frame.rows << " modtaget";
    }
    if (frame.rows == 0) return DeviceFault(sheet, "siden er tom (0 linjer)");
    ++frames;

    if (p.format == SANE_FRAME_GRAY || p.format == SANE_FRAME_RGB) {
      if (frames > 1 || !p.last_frame) {
        return DeviceFault(
            sheet, std::string("uventet ") + FormatName(p.format) + "-billede i en flerdelt side");
      }
      return std::optional<RawFrame>(Pack(frame));
    }
    const int index = p.format == SANE_FRAME_RED ? 0 : p.format == SANE_FRAME_GREEN ? 1 : 2;
    if (planes[index]) {
      return DeviceFault(sheet, std::string("farven ") + FormatName(p.format) + " kom to gange");
    }
    for (const auto& other : planes) {
      if (other && (other->width != frame.width || other->depth != frame.depth)) {
        return DeviceFault(sheet, "farvebillederne har forskellig bredde eller dybde");
      }
    }
    planes[index] = std::move(frame);
    if (p.last_frame) {
      if (!planes[0] || !planes[1] || !planes[2]) {
        return DeviceFault(sheet, "en farve mangler i trepas-scanningen");
      }
      return std::optional<RawFrame>(Interleave(planes));
    }
    // Three-pass: sane_start again for the next colour.
  }
}

// ---- configuration ----

struct Configured {
  int dpi = 0;
  bool feeder = false;
  bool duplex = false;
};

// Selects the source; sets `out.feeder` / `out.duplex`.
Status ConfigureSource(SaneDevice& device, const ScanSettings& settings,
                       const std::string& device_type, Configured& out) {
  const config::ScanSource wanted = settings.source;
  const std::optional<OptionRef> source = FindOption(device, SANE_NAME_SCAN_SOURCE);
  const std::vector<std::string> offered =
      IsSettable(source) ? StringList(*source->descriptor) : std::vector<std::string>();
  if (offered.empty()) {
    // No choice of source: a flatbed, unless the device calls itself sheet-fed.
    const bool sheetfed = Lower(device_type).find("sheetfed") != std::string::npos;
    if (wanted == config::ScanSource::kFlatbed ||
        (wanted == config::ScanSource::kFeeder && sheetfed)) {
      out.feeder = sheetfed;
      return OkStatus();
    }
    return Error(ErrorCode::kInvalidArgument,
                 "Scanneren " + device.name() + " kan ikke vælge " + SourceInDanish(wanted) +
                     " (den har ingen valgbar papirkilde" +
                     (sheetfed ? ", kun en enkeltsidet fremfører" : "; den er planlejet") +
                     "). Ret scannerprofilens source.");
  }

  std::optional<std::string> match = MatchSource(offered, wanted);
  std::optional<std::string> adf_mode;  // Epson: source "ADF" plus adf-mode Duplex/Simplex
  const std::optional<OptionRef> adf_option = FindOption(device, "adf-mode");
  const std::vector<std::string> adf_modes =
      IsSettable(adf_option) ? StringList(*adf_option->descriptor) : std::vector<std::string>();
  auto adf_entry = [&](std::string_view word) -> std::optional<std::string> {
    for (const auto& m : adf_modes) {
      if (Lower(m) == word) return m;
    }
    return std::nullopt;
  };
  if (!match && wanted == config::ScanSource::kDuplex && adf_entry("duplex")) {
    match = MatchSource(offered, config::ScanSource::kFeeder);
    if (match) adf_mode = adf_entry("duplex");
  } else if (match && wanted == config::ScanSource::kFeeder && adf_entry("simplex")) {
    adf_mode = adf_entry("simplex");  // options survive close/open: undo an earlier duplex
  }
  if (!match) {
    return Error(ErrorCode::kInvalidArgument,
                 "Scanneren " + device.name() + " har ingen kilde til " + SourceInDanish(wanted) +
                     "; den tilbyder " + JoinQuoted(offered) +
                     ". Ret scannerprofilens source, eller vælg en anden scanner.");
  }
  INTAKE_ASSIGN_OR_RETURN(const std::string set_source,
                          SetStringOption(device, SANE_NAME_SCAN_SOURCE, *match));
  if (adf_mode) {
    INTAKE_ASSIGN_OR_RETURN(const std::string set_mode,
                            SetStringOption(device, "adf-mode", *adf_mode));
    (void)set_mode;
  }
  out.feeder = wanted != config::ScanSource::kFlatbed;
  out.duplex = wanted == config::ScanSource::kDuplex;
  LOG(kInfo) << "scanner " << device.name() << ": kilde \"" << set_source << "\""
             << (adf_mode ? " (adf-mode " + *adf_mode + ")" : "");
  return OkStatus();
}

Status ConfigureMode(SaneDevice& device, config::ScanMode wanted) {
  const std::optional<OptionRef> mode = FindOption(device, SANE_NAME_SCAN_MODE);
  const std::vector<std::string> offered =
      IsSettable(mode) ? StringList(*mode->descriptor) : std::vector<std::string>();
  bool depth_one = false;  // lineart as grey at 1 bit (SANE's test backend)
  if (!offered.empty()) {
    std::optional<std::string> match = MatchMode(offered, wanted);
    if (!match && wanted == config::ScanMode::kLineart) {
      const std::optional<OptionRef> depth = FindOption(device, SANE_NAME_BIT_DEPTH);
      const std::optional<std::string> gray = MatchMode(offered, config::ScanMode::kGray);
      if (gray && depth && (depth->descriptor->type == SANE_TYPE_INT) &&
          NearestAllowed(*depth->descriptor, 1) == 1) {
        match = gray;
        depth_one = true;
      }
    }
    if (!match) {
      return Error(ErrorCode::kInvalidArgument,
                   "Scanneren " + device.name() + " kan ikke scanne i " + ModeInDanish(wanted) +
                       "; den tilbyder " + JoinQuoted(offered) + ". Ret scannerprofilens mode.");
    }
    INTAKE_ASSIGN_OR_RETURN(const std::string set_mode,
                            SetStringOption(device, SANE_NAME_SCAN_MODE, *match));
    LOG(kInfo) << "scanner " << device.name() << ": tilstand \"" << set_mode << "\""
               << (depth_one ? " med 1 bit" : "");
  } else {
    LOG(kWarning) << "scanner " << device.name()
                  << ": ingen valgbar tilstand (mode); scanner som enheden er indstillet";
  }

  // Depth after the mode, which may have changed its activity (SANE_INFO_RELOAD_OPTIONS).
  const std::optional<OptionRef> depth = FindOption(device, SANE_NAME_BIT_DEPTH);
  if (!IsSettable(depth) || depth->descriptor->type != SANE_TYPE_INT) return OkStatus();
  if (depth_one) {
    INTAKE_ASSIGN_OR_RETURN(const double bits, SetNumberOption(device, SANE_NAME_BIT_DEPTH, 1));
    if (bits != 1) {
      return Error(ErrorCode::kInvalidArgument,
                   "Scanneren " + device.name() + " kan ikke scanne med 1 bit (lineart).");
    }
  } else if (wanted != config::ScanMode::kLineart && NearestAllowed(*depth->descriptor, 8) == 8) {
    INTAKE_ASSIGN_OR_RETURN(const double bits, SetNumberOption(device, SANE_NAME_BIT_DEPTH, 8));
    (void)bits;
  }
  return OkStatus();
}

// Sets a numeric option to the lowest or highest value it allows, if it can be set.
Status SetToBound(SaneDevice& device, const char* name, bool highest) {
  const std::optional<OptionRef> option = FindOption(device, name);
  if (!IsSettable(option)) return OkStatus();
  const std::optional<std::pair<double, double>> bounds = NumericBounds(*option->descriptor);
  if (!bounds) return OkStatus();
  INTAKE_ASSIGN_OR_RETURN(const double value,
                          SetNumberOption(device, name, highest ? bounds->second : bounds->first));
  (void)value;
  return OkStatus();
}

Result<Configured> Configure(SaneDevice& device, const ScanSettings& settings,
                             const std::string& device_type, const SaneScannerOptions& options) {
  Configured out;
  // Source first: it changes the other options' constraints (feeder widths, duplex).
  INTAKE_RETURN_IF_ERROR(ConfigureSource(device, settings, device_type, out));
  INTAKE_RETURN_IF_ERROR(ConfigureMode(device, settings.mode));

  const std::optional<OptionRef> resolution = FindOption(device, SANE_NAME_SCAN_RESOLUTION);
  if (IsSettable(resolution)) {
    INTAKE_ASSIGN_OR_RETURN(const double dpi,
                            SetNumberOption(device, SANE_NAME_SCAN_RESOLUTION, settings.dpi));
    out.dpi = static_cast<int>(std::lround(dpi));
  } else if (resolution && SANE_OPTION_IS_ACTIVE(resolution->descriptor->cap)) {
    Result<double> dpi = GetNumberOption(device, SANE_NAME_SCAN_RESOLUTION);
    if (dpi) out.dpi = static_cast<int>(std::lround(*dpi));
  }
  if (out.dpi <= 0) {
    LOG(kWarning) << "scanner " << device.name()
                  << ": opløsningen kan ikke vælges eller læses; siderne får ukendt opløsning";
    out.dpi = 0;
  } else if (out.dpi != settings.dpi) {
    LOG(kInfo) << "scanner " << device.name() << ": " << settings.dpi
               << " dpi tilbydes ikke; scanner med " << out.dpi << " dpi";
  }

  // The whole scan area. Sheet-fed backends bound br-x/br-y by the page size, so that
  // goes first.
  INTAKE_RETURN_IF_ERROR(SetToBound(device, SANE_NAME_PAGE_WIDTH, true));
  INTAKE_RETURN_IF_ERROR(SetToBound(device, SANE_NAME_PAGE_HEIGHT, true));
  INTAKE_RETURN_IF_ERROR(SetToBound(device, SANE_NAME_SCAN_TL_X, false));
  INTAKE_RETURN_IF_ERROR(SetToBound(device, SANE_NAME_SCAN_TL_Y, false));
  INTAKE_RETURN_IF_ERROR(SetToBound(device, SANE_NAME_SCAN_BR_X, true));
  INTAKE_RETURN_IF_ERROR(SetToBound(device, SANE_NAME_SCAN_BR_Y, true));

  for (const auto& [name, value] : options.extra_options) {
    INTAKE_RETURN_IF_ERROR(SetOptionFromText(device, name, value));
  }
  return out;
}

DeviceInfo ToDeviceInfo(const SANE_Device& d) {
  auto text = [](const char* s) { return s == nullptr ? std::string() : std::string(s); };
  return DeviceInfo{text(d.name), text(d.vendor), text(d.model), text(d.type)};
}

}  // namespace

SaneScanner::SaneScanner(SaneApi& api, SaneScannerOptions options)
    : api_(api), options_(std::move(options)) {}

SaneScanner::~SaneScanner() = default;

Result<std::shared_ptr<SaneLibrary>> SaneScanner::Library() {
  if (!library_) {
    Result<std::shared_ptr<SaneLibrary>> library = SaneLibrary::Acquire(api_);
    if (!library) {
      return Error(ErrorCode::kUnavailable, library.error().message());
    }
    library_ = std::move(*library);
  }
  return library_;
}

Result<std::vector<DeviceInfo>> SaneScanner::ListDevices() {
  INTAKE_ASSIGN_OR_RETURN(const std::shared_ptr<SaneLibrary> library, Library());
  const SANE_Device** list = nullptr;
  const SANE_Status status = library->api().GetDevices(&list, options_.local_only);
  if (status != SANE_STATUS_GOOD) {
    return FromSaneStatus("kan ikke søge efter scannere", status);
  }
  std::vector<DeviceInfo> devices;
  for (const SANE_Device** d = list; d != nullptr && *d != nullptr; ++d) {
    devices.push_back(ToDeviceInfo(**d));
  }
  return devices;
}

Result<std::unique_ptr<ScanSession>> SaneScanner::StartBatch(const ScanSettings& settings) {
  if (settings.dpi <= 0) {
    return Error(ErrorCode::kInvalidArgument, "opløsningen skal være et positivt antal dpi, ikke " +
                                                  std::to_string(settings.dpi));
  }
  if (settings.first_sheet < 1) {
    return Error(ErrorCode::kInvalidArgument,
                 "batchen skal starte ved ark 1 eller senere, ikke ark " +
                     std::to_string(settings.first_sheet));
  }
  INTAKE_ASSIGN_OR_RETURN(std::shared_ptr<SaneLibrary> library, Library());

  std::string name = settings.device;
  std::string type;
  // The device list gives the type, needed only when the device has no source option
  // (a sheet-fed scanner without one is a feeder). Listing may probe the network, so
  // only when no device is named.
  if (name.empty()) {
    INTAKE_ASSIGN_OR_RETURN(const std::vector<DeviceInfo> devices, ListDevices());
    if (devices.empty()) {
      return Error(ErrorCode::kUnavailable,
                   "Ingen scanner fundet. Kontrollér at scanneren er tændt og tilsluttet, og se "
                   "listen med `station devices`.");
    }
    name = devices.front().name;
    type = devices.front().type;
  }
  INTAKE_ASSIGN_OR_RETURN(std::unique_ptr<SaneDevice> device, SaneDevice::Open(library, name));
  if (type.empty() && settings.source != config::ScanSource::kFlatbed &&
      !IsSettable(FindOption(*device, SANE_NAME_SCAN_SOURCE))) {
    Result<std::vector<DeviceInfo>> devices = ListDevices();
    if (devices) {
      for (const auto& d : *devices) {
        if (d.name == name) type = d.type;
      }
    }
  }
  INTAKE_ASSIGN_OR_RETURN(const Configured configured,
                          Configure(*device, settings, type, options_));
  LOG(kInfo) << "scanner " << name << ": batch fra ark " << settings.first_sheet << ", "
             << configured.dpi << " dpi";
  return std::unique_ptr<ScanSession>(new SaneScanSession(
      std::move(device), settings, configured.dpi, configured.feeder, configured.duplex, options_));
}

}  // namespace intake::hardware
