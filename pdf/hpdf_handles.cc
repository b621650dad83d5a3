#include "pdf/hpdf_handles.h"

#include <cstdio>
#include <string>

namespace intake::pdf {
namespace {

// The handler only records: libharu continues, returns the status to the caller, and the
// caller translates it (STYLE.md section 5). It must not throw or jump.
void HPDF_STDCALL RecordHpdfError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* sink = static_cast<HpdfErrorSink*>(user_data);
  if (sink == nullptr) return;
  if (sink->count == 0) {
    sink->first_error = error_no;
    sink->first_detail = detail_no;
  }
  sink->last_error = error_no;
  sink->last_detail = detail_no;
  ++sink->count;
}

}  // namespace

std::string_view HpdfStatusName(HPDF_STATUS status) {
  switch (status) {
    case HPDF_OK:
      return "HPDF_OK";
    case HPDF_FAILD_TO_ALLOC_MEM:
      return "HPDF_FAILD_TO_ALLOC_MEM";
    case HPDF_FILE_IO_ERROR:
      return "HPDF_FILE_IO_ERROR";
    case HPDF_FILE_OPEN_ERROR:
      return "HPDF_FILE_OPEN_ERROR";
    case HPDF_INVALID_DOCUMENT:
      return "HPDF_INVALID_DOCUMENT";
    case HPDF_INVALID_DOCUMENT_STATE:
      return "HPDF_INVALID_DOCUMENT_STATE";
    case HPDF_INVALID_IMAGE:
      return "HPDF_INVALID_IMAGE";
    case HPDF_INVALID_JPEG_DATA:
      return "HPDF_INVALID_JPEG_DATA";
    case HPDF_UNSUPPORTED_JPEG_FORMAT:
      return "HPDF_UNSUPPORTED_JPEG_FORMAT";
    case HPDF_INVALID_OBJECT:
      return "HPDF_INVALID_OBJECT";
    case HPDF_INVALID_PARAMETER:
      return "HPDF_INVALID_PARAMETER";
    case HPDF_INVALID_DATE_TIME:
      return "HPDF_INVALID_DATE_TIME";
    case HPDF_INVALID_FONT_NAME:
      return "HPDF_INVALID_FONT_NAME";
    case HPDF_INVALID_ENCODING_NAME:
      return "HPDF_INVALID_ENCODING_NAME";
    case HPDF_PAGE_INVALID_FONT_SIZE:
      return "HPDF_PAGE_INVALID_FONT_SIZE";
    case HPDF_PAGE_INVALID_SIZE:
      return "HPDF_PAGE_INVALID_SIZE";
    case HPDF_PAGE_INVALID_GMODE:
      return "HPDF_PAGE_INVALID_GMODE";
    case HPDF_PAGE_FONT_NOT_FOUND:
      return "HPDF_PAGE_FONT_NOT_FOUND";
    case HPDF_REAL_OUT_OF_RANGE:
      return "HPDF_REAL_OUT_OF_RANGE";
    case HPDF_STREAM_EOF:
      return "HPDF_STREAM_EOF";
    case HPDF_STRING_OUT_OF_RANGE:
      return "HPDF_STRING_OUT_OF_RANGE";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
      return "HPDF_TTF_CANNOT_EMBEDDING_FONT";
    case HPDF_TTF_INVALID_CMAP:
      return "HPDF_TTF_INVALID_CMAP";
    case HPDF_TTF_INVALID_FOMAT:
      return "HPDF_TTF_INVALID_FOMAT";
    case HPDF_TTF_MISSING_TABLE:
      return "HPDF_TTF_MISSING_TABLE";
    case HPDF_INVALID_TTC_FILE:
      return "HPDF_INVALID_TTC_FILE";
    case HPDF_ZLIB_ERROR:
      return "HPDF_ZLIB_ERROR";
    default:
      return "";
  }
}

Error FromHpdf(std::string_view context, HPDF_STATUS status, HPDF_STATUS detail) {
  ErrorCode code = ErrorCode::kInternal;
  const char* what = "uventet fejl i PDF-biblioteket libharu; rapportér fejlen";
  switch (status) {
    case HPDF_FILE_OPEN_ERROR:
    case HPDF_FILE_IO_ERROR:
      code = ErrorCode::kUnavailable;
      what = "filen kan ikke læses; kontrollér stien og rettighederne";
      break;
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
      code = ErrorCode::kUnavailable;
      what = "skrifttypens licens tillader ikke indlejring; vælg en anden skrifttype";
      break;
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE:
    case HPDF_INVALID_TTC_FILE:
    case HPDF_INVALID_FONTDEF_DATA:
      code = ErrorCode::kUnavailable;
      what = "filen er ikke en brugbar TrueType-skrifttype; vælg en .ttf-fil";
      break;
    case HPDF_FAILD_TO_ALLOC_MEM:
      what = "der er ikke hukommelse nok; luk andre programmer eller del dokumentet op";
      break;
    default:
      break;
  }
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, " (libharu 0x%04X%s%.*s, detalje %u)",
                static_cast<unsigned>(status), HpdfStatusName(status).empty() ? "" : " ",
                static_cast<int>(HpdfStatusName(status).size()), HpdfStatusName(status).data(),
                static_cast<unsigned>(detail));
  return Error(code, std::string(context) + ": " + what + numbers);
}

Result<HpdfDocument> HpdfDocument::New() {
  auto sink = std::make_unique<HpdfErrorSink>();
  HPDF_Doc doc = HPDF_New(RecordHpdfError, sink.get());
  if (doc == nullptr) {
    return Error(ErrorCode::kInternal,
                 "PDF-dokumentet kan ikke oprettes: libharu kunne ikke reservere hukommelse");
  }
  return HpdfDocument(std::move(sink), doc);
}

Error HpdfDocument::LastError(std::string_view context, HPDF_STATUS status) const {
  if (status == HPDF_OK) {
    if (sink_->count > 0) return FromHpdf(context, sink_->last_error, sink_->last_detail);
    status = HPDF_GetError(doc_.get());
    if (status == HPDF_OK) status = HPDF_INVALID_OBJECT;  // a NULL handle without a report
    return FromHpdf(context, status, HPDF_GetErrorDetail(doc_.get()));
  }
  const HPDF_STATUS detail = sink_->count > 0 && sink_->last_error == status
                                 ? sink_->last_detail
                                 : HPDF_GetErrorDetail(doc_.get());
  return FromHpdf(context, status, detail);
}

}  // namespace intake::pdf
