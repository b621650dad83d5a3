#include "pdf/jpeg_encoder.h"

#include <cassert>
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

// jpeglib.h needs FILE and size_t declared first (<cstdio>, <cstddef> above).
#include <jpeglib.h>

// libjpeg reports errors by longjmp. EncodeJpegUnsafe, which calls setjmp, holds no C++
// object with a destructor; its state lives in a JpegEncodeState owned by the caller,
// whose destructor frees the libjpeg handle and the output buffer.

namespace intake::pdf {
namespace {

struct JpegEncodeErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg sees only this
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

struct JpegEncodeState {
  JpegEncodeState() = default;
  ~JpegEncodeState() {
    if (created) jpeg_destroy_compress(&cinfo);
    std::free(buffer);  // allocated by jpeg_mem_dest with malloc
  }
  JpegEncodeState(const JpegEncodeState&) = delete;
  JpegEncodeState& operator=(const JpegEncodeState&) = delete;

  jpeg_compress_struct cinfo{};
  JpegEncodeErrorManager err{};
  bool created = false;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;  // NOLINT(runtime/int): libjpeg's type
};

void JpegEncodeErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegEncodeErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void JpegEncodeOutputMessage(j_common_ptr) {}  // warnings while encoding are harmless

// See the note at the top of the file.
bool EncodeJpegUnsafe(const PageRaster& raster, int quality, JpegEncodeState* st) {
  st->cinfo.err = jpeg_std_error(&st->err.pub);
  st->err.pub.error_exit = JpegEncodeErrorExit;
  st->err.pub.output_message = JpegEncodeOutputMessage;
  if (setjmp(st->err.jump)) return false;

  jpeg_create_compress(&st->cinfo);
  st->created = true;
  jpeg_mem_dest(&st->cinfo, &st->buffer, &st->size);
  st->cinfo.image_width = static_cast<JDIMENSION>(raster.width);
  st->cinfo.image_height = static_cast<JDIMENSION>(raster.height);
  const bool rgb = raster.kind == PageRaster::Kind::kRgb;
  st->cinfo.input_components = rgb ? 3 : 1;
  st->cinfo.in_color_space = rgb ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&st->cinfo);
  jpeg_set_quality(&st->cinfo, quality, TRUE);  // baseline quantisation tables
  st->cinfo.optimize_coding = TRUE;             // smaller, still baseline
  st->cinfo.density_unit = 1;                   // dots per inch
  st->cinfo.X_density = static_cast<UINT16>(raster.dpi);
  st->cinfo.Y_density = static_cast<UINT16>(raster.dpi);
  jpeg_start_compress(&st->cinfo, TRUE);
  while (st->cinfo.next_scanline < st->cinfo.image_height) {
    // libjpeg does not write through the row pointer.
    JSAMPROW row = const_cast<JSAMPLE*>(raster.pixels.data()) +
                   static_cast<size_t>(st->cinfo.next_scanline) * raster.stride;
    if (jpeg_write_scanlines(&st->cinfo, &row, 1) != 1) {
      std::snprintf(st->err.message, sizeof st->err.message, "libjpeg accepted no row %u",
                    st->cinfo.next_scanline);
      return false;
    }
  }
  jpeg_finish_compress(&st->cinfo);
  return true;
}

}  // namespace

Result<std::string> EncodeJpeg(const PageRaster& raster, int quality) {
  assert(raster.kind != PageRaster::Kind::kBilevel);
  assert(quality >= 1 && quality <= 100);
  assert(raster.width > 0 && raster.height > 0 && raster.width <= 65500 && raster.height <= 65500);
  JpegEncodeState st;
  if (!EncodeJpegUnsafe(raster, quality, &st) || st.buffer == nullptr || st.size == 0) {
    return Error(ErrorCode::kInternal,
                 std::string("JPEG-komprimeringen af sidebilledet mislykkedes (libjpeg: ") +
                     st.err.message + "); rapportér fejlen");
  }
  return std::string(reinterpret_cast<const char*>(st.buffer), st.size);
}

}  // namespace intake::pdf
