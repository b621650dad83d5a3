#include "pdf/xmp.h"

#include <cstdio>
#include <ctime>

#include "pdf/utf8.h"

namespace intake::pdf {

Result<PdfDate> ToPdfDate(std::chrono::system_clock::time_point t) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999) {
    return Error(ErrorCode::kInvalidArgument,
                 "dokumentets oprettelsestidspunkt ligger uden for årene 1-9999; "
                 "kontrollér maskinens ur");
  }
  return PdfDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

std::string FormatInfoDate(const PdfDate& d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d+00'00'", d.year, d.month, d.day,
                d.hour, d.minute, d.second);
  return buf;
}

std::string FormatXmpDate(const PdfDate& d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", d.year, d.month, d.day,
                d.hour, d.minute, d.second);
  return buf;
}

std::string SanitizeMetadataText(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = DecodeUtf8(utf8, &pos);
    if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') cp = ' ';
    if (cp == 0xFFFE || cp == 0xFFFF) cp = kReplacementCharacter;
    AppendUtf8(&out, cp);
  }
  return out;
}

std::string Utf8ToPdfTextString(std::string_view utf8) {
  std::string out = "\xFE\xFF";
  const auto put16 = [&](unsigned unit) {
    out.push_back(static_cast<char>(unit >> 8));
    out.push_back(static_cast<char>(unit & 0xFF));
  };
  size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t cp = DecodeUtf8(utf8, &pos);
    if (cp < 0x10000) {
      put16(static_cast<unsigned>(cp));
    } else {
      const unsigned v = static_cast<unsigned>(cp) - 0x10000;
      put16(0xD800 + (v >> 10));
      put16(0xDC00 + (v & 0x3FF));
    }
  }
  return out;
}

std::string XmlEscape(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char c : utf8) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
        break;
    }
  }
  return out;
}

std::string BuildXmpPacket(const XmpFields& f) {
  const std::string date = FormatXmpDate(f.date);
  std::string x;
  // The begin attribute holds U+FEFF in UTF-8; no bytes= or encoding= (PDF/A-2 6.6.2.1).
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
  x += "  <rdf:Description rdf:about=\"\"\n";
  x += "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n";
  x += "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n";
  x += "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n";
  x += "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
  x += "   <pdfaid:part>2</pdfaid:part>\n";
  x += "   <pdfaid:conformance>B</pdfaid:conformance>\n";
  x += "   <dc:format>application/pdf</dc:format>\n";
  const auto alt = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    x += std::string("   <") + name + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
         XmlEscape(value) + "</rdf:li></rdf:Alt></" + name + ">\n";
  };
  const auto simple = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    x += std::string("   <") + name + ">" + XmlEscape(value) + "</" + name + ">\n";
  };
  alt("dc:title", f.title);
  if (!f.author.empty()) {
    x += "   <dc:creator><rdf:Seq><rdf:li>" + XmlEscape(f.author) +
         "</rdf:li></rdf:Seq></dc:creator>\n";
  }
  alt("dc:description", f.subject);
  simple("pdf:Keywords", f.keywords);
  simple("pdf:Producer", f.producer);
  simple("xmp:CreatorTool", f.creator_tool);
  simple("xmp:CreateDate", date);
  simple("xmp:ModifyDate", date);
  simple("xmp:MetadataDate", date);
  x += "  </rdf:Description>\n";
  x += " </rdf:RDF>\n";
  x += "</x:xmpmeta>\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

}  // namespace intake::pdf
