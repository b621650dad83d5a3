// Page thumbnails for batch views: <batch dir>/thumbs/NNNNNN.png, about 200 pixels wide,
// grey, made once from the spooled page and reused.
//
// Thread-safety: one call per page at a time (the file is written atomically, so two
// processes making the same thumbnail leave one whole file).
#ifndef INTAKE_STATION_THUMBNAILS_H_
#define INTAKE_STATION_THUMBNAILS_H_

#include <string>

#include "base/result.h"
#include "storage/page_spool.h"

namespace intake::station {

// The thumbnail's path, making it when missing. `turn` (0, 90, 180, 270) is applied
// clockwise, so the thumbnail shows the page the way the document will. Errors name the
// page: the page cannot be read (kInvalidArgument) or the file cannot be written.
Result<std::string> EnsureThumbnail(const storage::PageSpool& spool, const std::string& batch,
                                    const storage::SpooledPage& page, int turn, int width = 200);

}  // namespace intake::station

#endif  // INTAKE_STATION_THUMBNAILS_H_
