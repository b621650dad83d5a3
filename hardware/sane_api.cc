#include "hardware/sane_api.h"

#include <cassert>
#include <string>

namespace intake::hardware {
namespace {

// Forwards to libsane. Stateless, so one instance serves the whole process.
class RealApi final : public SaneApi {
 public:
  SANE_Status Init(SANE_Int* version_code) override { return sane_init(version_code, nullptr); }
  void Exit() override { sane_exit(); }
  SANE_Status GetDevices(const SANE_Device*** device_list, bool local_only) override {
    return sane_get_devices(device_list, local_only ? SANE_TRUE : SANE_FALSE);
  }
  SANE_Status Open(const char* name, SANE_Handle* handle) override {
    return sane_open(name, handle);
  }
  void Close(SANE_Handle handle) override { sane_close(handle); }
  const SANE_Option_Descriptor* GetOptionDescriptor(SANE_Handle handle, SANE_Int option) override {
    return sane_get_option_descriptor(handle, option);
  }
  SANE_Status ControlOption(SANE_Handle handle, SANE_Int option, SANE_Action action, void* value,
                            SANE_Int* info) override {
    return sane_control_option(handle, option, action, value, info);
  }
  SANE_Status Start(SANE_Handle handle) override { return sane_start(handle); }
  SANE_Status GetParameters(SANE_Handle handle, SANE_Parameters* params) override {
    return sane_get_parameters(handle, params);
  }
  SANE_Status Read(SANE_Handle handle, SANE_Byte* data, SANE_Int max_length,
                   SANE_Int* length) override {
    return sane_read(handle, data, max_length, length);
  }
  void Cancel(SANE_Handle handle) override { sane_cancel(handle); }
  SANE_Status SetIoMode(SANE_Handle handle, bool non_blocking) override {
    return sane_set_io_mode(handle, non_blocking ? SANE_TRUE : SANE_FALSE);
  }
  const char* StrStatus(SANE_Status status) override { return sane_strstatus(status); }
};

}  // namespace

SaneApi& RealSaneApi() {
  static RealApi* const api = new RealApi();  // never destroyed: used until exit
  return *api;
}

ErrorCode SaneStatusCode(SANE_Status status) {
  switch (status) {
    case SANE_STATUS_DEVICE_BUSY:
      return ErrorCode::kDeviceBusy;
    case SANE_STATUS_CANCELLED:
      return ErrorCode::kCancelled;
    case SANE_STATUS_INVAL:
      return ErrorCode::kInvalidArgument;
    case SANE_STATUS_GOOD:
      return ErrorCode::kInternal;
    default:
      return ErrorCode::kDeviceError;
  }
}

std::string SaneStatusName(SANE_Status status) {
  switch (status) {
    case SANE_STATUS_GOOD:
      return "SANE_STATUS_GOOD";
    case SANE_STATUS_UNSUPPORTED:
      return "SANE_STATUS_UNSUPPORTED";
    case SANE_STATUS_CANCELLED:
      return "SANE_STATUS_CANCELLED";
    case SANE_STATUS_DEVICE_BUSY:
      return "SANE_STATUS_DEVICE_BUSY";
    case SANE_STATUS_INVAL:
      return "SANE_STATUS_INVAL";
    case SANE_STATUS_EOF:
      return "SANE_STATUS_EOF";
    case SANE_STATUS_JAMMED:
      return "SANE_STATUS_JAMMED";
    case SANE_STATUS_NO_DOCS:
      return "SANE_STATUS_NO_DOCS";
    case SANE_STATUS_COVER_OPEN:
      return "SANE_STATUS_COVER_OPEN";
    case SANE_STATUS_IO_ERROR:
      return "SANE_STATUS_IO_ERROR";
    case SANE_STATUS_NO_MEM:
      return "SANE_STATUS_NO_MEM";
    case SANE_STATUS_ACCESS_DENIED:
      return "SANE_STATUS_ACCESS_DENIED";
  }
  return "SANE_STATUS_" + std::to_string(static_cast<int>(status));
}

Error FromSaneStatus(std::string_view context, SANE_Status status) {
  assert(status != SANE_STATUS_GOOD);
  const char* text = nullptr;
  switch (status) {
    case SANE_STATUS_GOOD:
      text = "uventet svar fra scannerdriveren";
      break;
    case SANE_STATUS_UNSUPPORTED:
      text = "scanneren understøtter ikke denne handling";
      break;
    case SANE_STATUS_CANCELLED:
      text = "scanningen blev afbrudt";
      break;
    case SANE_STATUS_DEVICE_BUSY:
      text =
          "scanneren bruges af et andet program (fx scanbd eller en anden scanning); "
          "luk det andet program eller vent, og prøv igen";
      break;
    case SANE_STATUS_INVAL:
      text = "scanneren afviste værdien eller forespørgslen (eller svarer ikke længere)";
      break;
    case SANE_STATUS_EOF:
      text = "scanneren sendte ikke flere data";
      break;
    case SANE_STATUS_JAMMED:
      text = "papirstop; fjern papiret og læg arkene i fremføreren igen";
      break;
    case SANE_STATUS_NO_DOCS:
      text = "fremføreren er tom; læg papir i fremføreren";
      break;
    case SANE_STATUS_COVER_OPEN:
      text = "låget eller fremføreren er åben; luk den";
      break;
    case SANE_STATUS_IO_ERROR:
      text =
          "forbindelsen til scanneren svigtede (I/O-fejl); kontrollér kabel, USB eller "
          "netværk og at scanneren er tændt";
      break;
    case SANE_STATUS_NO_MEM:
      text = "scannerdriveren løb tør for hukommelse; luk andre programmer og prøv igen";
      break;
    case SANE_STATUS_ACCESS_DENIED:
      text =
          "adgang til scanneren nægtet; brugeren skal have adgang til enheden (gruppen "
          "scanner)";
      break;
  }
  std::string message(context);
  message += ": ";
  if (text != nullptr) {
    message += text;
  } else {
    message += "ukendt fejl fra scannerdriveren (" + SaneStatusName(status) + ")";
  }
  return Error(SaneStatusCode(status), std::move(message));
}

}  // namespace intake::hardware
