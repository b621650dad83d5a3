// ImageFileReader: loads the pages of one image file (PNG, TIFF or JPEG) as PageImages.
//
// The format is recognised by the file's content, never by its name. Every page comes out
// normalised to what PageImage promises (1 bpp with 1 = black, 8 bpp grey or 32 bpp RGB;
// no colour map, no alpha, square resolution), or as an Error in Danish that names the
// file (by its base name only) and, in a multi-page TIFF, the page. A damaged file never
// crashes the process and never yields a partly decoded page: a decoder that reports
// damage while decoding pixels (a truncated stream, a bad code word, a premature end)
// makes the page fail, even where the library would hand back a filled-in image.
//
// Size limits are checked from the header (PNG IHDR, JPEG SOF, TIFF directory) before any
// pixel memory is allocated, so a header claiming 100000 x 100000 pixels costs nothing.
//
// Thread-safety: Open and FromMemory may be called from any thread. A reader holds the
// file's bytes immutably; ReadPage is const and decodes each call independently, so it
// may be called concurrently on one reader and on different readers. The first Open or
// FromMemory routes Leptonica's and libtiff's process-wide message output through
// base/log.h at debug level (once per process), so no unmasked library text reaches
// stderr; libpng and libjpeg messages are routed per decode.
#ifndef INTAKE_OCR_IMAGE_IO_H_
#define INTAKE_OCR_IMAGE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "ocr/page_image.h"

namespace intake::ocr {

struct ImageLoadOptions {
  // Resolution used when the file carries none, or one outside 50-2400 dpi. Dots per inch,
  // 50-2400; default 300.
  int assumed_dpi = 300;
  // Largest width or height of a page in pixels, after resampling to square resolution;
  // larger pages are refused from the header, before decoding. Default 30000.
  int max_dimension = 30000;
  // Largest page in pixels (width x height, after resampling). Default 150 million; an A4
  // page at 1200 dpi has about 139 million.
  int64_t max_pixels = 150'000'000;
  // Largest file in bytes; larger files are refused before they are read. Default 500 MB
  // (a 200-page uncompressed grey TIFF at 300 dpi has about 1.7 GB, a G4 one about 10 MB).
  int64_t max_file_bytes = 500'000'000;
};

enum class ImageFormat { kPng, kTiff, kJpeg };

class ImageFileReader {
 public:
  // Reads the file at `path` into memory (refusing it first if it is larger than
  // options.max_file_bytes), recognises its format and, for TIFF, counts its pages. No
  // page is decoded. Errors: kNotFound (no such file), kIOError (cannot be read),
  // kInvalidArgument (a directory, empty, too large, not PNG/TIFF/JPEG, unreadable TIFF
  // structure, bad options).
  static Result<ImageFileReader> Open(const std::string& path,
                                      const ImageLoadOptions& options = {});

  // As Open, for bytes already in memory; `display_name` names them in messages and in
  // PageImage::source (only its base name is used).
  static Result<ImageFileReader> FromMemory(std::string bytes, std::string display_name,
                                            const ImageLoadOptions& options = {});

  ImageFileReader(ImageFileReader&&) noexcept = default;
  ImageFileReader& operator=(ImageFileReader&&) noexcept = default;
  ImageFileReader(const ImageFileReader&) = delete;
  ImageFileReader& operator=(const ImageFileReader&) = delete;

  // Number of pages: 1 for PNG and JPEG, the number of directories for TIFF. When a TIFF's
  // chain of directories is broken, the count includes one more page, for which ReadPage
  // reports that the pages from there on cannot be found.
  int page_count() const { return page_count_; }
  ImageFormat format() const { return format_; }
  // "PNG", "TIFF" or "JPEG".
  std::string_view format_name() const;
  // The base name used in messages and in PageImage::source.
  const std::string& display_name() const { return name_; }

  // Decodes page `index` (0-based) and only that page. Returns the normalised page with
  // source = display_name() and source_page = index + 1, or kInvalidArgument naming the
  // file and (for TIFF) "side N af M" when the page is damaged, truncated, too large or of
  // an unsupported kind, or kUnavailable when memory runs out. A failed page does not
  // affect the other pages. REQUIRES: 0 <= index < page_count().
  Result<PageImage> ReadPage(int index) const;

 private:
  ImageFileReader() = default;

  std::string bytes_;
  std::string name_;
  ImageFormat format_ = ImageFormat::kPng;
  ImageLoadOptions options_;
  int page_count_ = 0;
  // TIFF only: the 0-based index of the extra page standing for a broken directory chain,
  // or -1, and what libtiff said about it.
  int broken_chain_page_ = -1;
  std::string broken_chain_detail_;
};

}  // namespace intake::ocr

#endif  // INTAKE_OCR_IMAGE_IO_H_
