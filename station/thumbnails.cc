#include "station/thumbnails.h"

#include <leptonica/allheaders.h>

#include <cstdio>
#include <filesystem>

#include "base/atomic_file.h"
#include "ocr/image_io.h"
#include "ocr/leptonica_handles.h"
#include "ocr/preprocess.h"
#include "station/intake_run.h"

namespace intake::station {

Result<std::string> EnsureThumbnail(const storage::PageSpool& spool, const std::string& batch,
                                    const storage::SpooledPage& page, int turn, int width) {
  char name[32];
  std::snprintf(name, sizeof name, "%06d-%d.png", page.seq, ((turn % 360) + 360) % 360);
  const std::string dir = spool.BatchDir(batch) + "/thumbs";
  const std::string path = dir + "/" + name;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Error(ErrorCode::kIOError, "mappen " + dir + " kan ikke oprettes: " + ec.message());
  }
  auto reader = ocr::ImageFileReader::Open(spool.PathOf(batch, page.file));
  if (!reader) return reader.error().WithContext("side " + std::to_string(page.seq));
  Result<ocr::PageImage> image = reader->ReadPage(page.file_page);
  if (!image) return image.error().WithContext("side " + std::to_string(page.seq));
  PIX* source = image->pix.get();
  const int source_width = static_cast<int>(pixGetWidth(source));
  if (source_width <= 0) {
    return Error(ErrorCode::kInvalidArgument, "side " + std::to_string(page.seq) + " er tom");
  }
  const float factor = static_cast<float>(width) / static_cast<float>(source_width);
  ocr::PixPtr small(pixGetDepth(source) == 1 ? pixScaleToGray(source, factor)
                                             : pixScale(source, factor, factor));
  if (!small) {
    return Error(ErrorCode::kInternal,
                 "miniaturen af side " + std::to_string(page.seq) + " kunne ikke laves");
  }
  if (turn % 360 != 0) {
    ocr::PixPtr turned = ocr::RotateClockwise(small.get(), turn % 360);
    if (turned) small = std::move(turned);
  }
  Result<std::string> png = EncodePng(small.get());
  if (!png) return png.error();
  Status written = WriteFileAtomically(path, *png);
  if (!written) return written.error();
  return path;
}

}  // namespace intake::station
