// The document metadata of a PDF/A-2b file in its two forms, the Info dictionary and the
// XMP packet, built from the same values so that they agree (PDFA.md sections 2 and 3):
// one sanitised UTF-8 text per field, one instant for every date.
//
// Pure functions, no libharu: unit-testable. Thread-safety: none needed (no state).
#ifndef INTAKE_PDF_XMP_H_
#define INTAKE_PDF_XMP_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace intake::pdf {

// A calendar instant in UTC, as written to Info (D:YYYYMMDDHHmmSS+00'00') and XMP
// (YYYY-MM-DDTHH:MM:SS+00:00). UTC is written with '+' and offset 0:0, never 'Z'
// (libharu 2.3.0 defect 2).
struct PdfDate {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// The UTC calendar time of `t`, truncated to whole seconds. kInvalidArgument outside the
// years 1..9999 (a PDF date has four year digits).
Result<PdfDate> ToPdfDate(std::chrono::system_clock::time_point t);

// "D:20261126101530+00'00'"
std::string FormatInfoDate(const PdfDate& d);
// "2026-11-26T10:15:30+00:00"
std::string FormatXmpDate(const PdfDate& d);

// The text of a metadata field as it is written to both Info and XMP: valid UTF-8
// (invalid bytes become U+FFFD), control characters other than tab, line feed and
// carriage return become spaces (XML 1.0 forbids them), U+FFFE/U+FFFF become U+FFFD.
std::string SanitizeMetadataText(std::string_view utf8);

// A PDF text string for the Info dictionary: the UTF-16BE byte order mark FE FF and
// `utf8` in UTF-16BE (with surrogate pairs above U+FFFF). REQUIRES: `utf8` is valid
// UTF-8, e.g. from SanitizeMetadataText.
std::string Utf8ToPdfTextString(std::string_view utf8);

// XML character data with & < > " ' escaped.
std::string XmlEscape(std::string_view utf8);

// The values written to the XMP packet. Empty strings are left out (as in Info).
struct XmpFields {
  std::string title;         // dc:title (rdf:Alt, x-default)     = Info Title
  std::string author;        // dc:creator (rdf:Seq, one entry)   = Info Author
  std::string subject;       // dc:description (rdf:Alt)          = Info Subject
  std::string keywords;      // pdf:Keywords                      = Info Keywords
  std::string creator_tool;  // xmp:CreatorTool                   = Info Creator
  std::string producer;      // pdf:Producer                      = Info Producer
  PdfDate date;              // xmp:CreateDate, ModifyDate, MetadataDate = Info dates
};

// The XMP packet (UTF-8) declaring PDF/A-2b: pdfaid:part 2, pdfaid:conformance B, only
// predefined schemas (pdfaid, dc, xmp, pdf), an xpacket header without bytes= or
// encoding=. REQUIRES: the strings are valid UTF-8 (SanitizeMetadataText).
std::string BuildXmpPacket(const XmpFields& fields);

}  // namespace intake::pdf

#endif  // INTAKE_PDF_XMP_H_
