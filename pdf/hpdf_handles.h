// RAII owner of a libharu document (HPDF_Doc) and the translation of libharu status codes
// into Error (FromHpdf).
//
// libharu reports failures two ways: functions return an HPDF_STATUS (or NULL for a
// handle), and the document's error handler is called with the error and detail numbers.
// The handler here only records them in an HpdfErrorSink passed as user_data: no setjmp,
// nothing thrown. Callers check every returned status and translate it with FromHpdf.
// After a libharu error the document refuses further calls (HPDF_INVALID_DOCUMENT), so an
// HpdfDocument that saw an error is to be discarded.
//
// Thread-safety: an HpdfDocument is used by one thread at a time; distinct documents are
// independent (libharu 2.3.0 keeps no shared mutable state for what pdf/ uses).
#ifndef INTAKE_PDF_HPDF_HANDLES_H_
#define INTAKE_PDF_HPDF_HANDLES_H_

#include <hpdf.h>

#include <memory>
#include <string_view>

#include "base/error.h"
#include "base/result.h"

namespace intake::pdf {

// What libharu's error handler reported: the first error and the most recent one.
struct HpdfErrorSink {
  HPDF_STATUS first_error = HPDF_OK;
  HPDF_STATUS first_detail = 0;
  HPDF_STATUS last_error = HPDF_OK;
  HPDF_STATUS last_detail = 0;
  int count = 0;
};

// Translates a libharu status (and its detail number, often an errno or zlib code) into
// an Error whose Danish message starts with `context`. Missing or unreadable files become
// kUnavailable, memory exhaustion and everything else kInternal.
Error FromHpdf(std::string_view context, HPDF_STATUS status, HPDF_STATUS detail = 0);

// A short English name of a libharu status ("HPDF_INVALID_DOCUMENT"), for messages.
std::string_view HpdfStatusName(HPDF_STATUS status);

class HpdfDocument {
 public:
  // A new, empty document with the error sink installed. kInternal if libharu cannot
  // allocate it.
  static Result<HpdfDocument> New();

  HpdfDocument(HpdfDocument&&) = default;
  // No move assignment: it would free the old error sink before the old document.
  HpdfDocument& operator=(HpdfDocument&&) = delete;
  HpdfDocument(const HpdfDocument&) = delete;
  HpdfDocument& operator=(const HpdfDocument&) = delete;
  ~HpdfDocument() = default;

  HPDF_Doc get() const { return doc_.get(); }
  const HpdfErrorSink& errors() const { return *sink_; }

  // FromHpdf for `status`, or for the recorded error when `status` is HPDF_OK (a call
  // that returned a NULL handle), with the detail number the handler saw.
  Error LastError(std::string_view context, HPDF_STATUS status = HPDF_OK) const;

 private:
  struct DocDeleter {
    void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
  };
  HpdfDocument(std::unique_ptr<HpdfErrorSink> sink, HPDF_Doc doc)
      : sink_(std::move(sink)), doc_(doc) {}

  // Declared before doc_ so that it outlives the document, whose handler points at it.
  std::unique_ptr<HpdfErrorSink> sink_;
  std::unique_ptr<HPDF_Doc_Rec, DocDeleter> doc_;
};

}  // namespace intake::pdf

#endif  // INTAKE_PDF_HPDF_HANDLES_H_
