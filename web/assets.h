// The UI's static files (web/ui/), embedded in the program at build time by
// web/embed_assets.cmake, so `station serve` needs no files beside the program and
// downloads nothing at run time.
#ifndef INTAKE_WEB_ASSETS_H_
#define INTAKE_WEB_ASSETS_H_

#include <cstddef>
#include <string_view>

namespace intake::web {

struct Asset {
  std::string_view path;          // "/index.html", "/app.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view body;
};

// The asset at `path` ("/" is "/index.html"); nullptr when there is none.
const Asset* FindAsset(std::string_view path);

}  // namespace intake::web

#endif  // INTAKE_WEB_ASSETS_H_
