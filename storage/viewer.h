// Viewer: who reads the journal. Restricted cases are visible to viewers in the case's
// access group, or with all_access. Shared by the journal (storage/journal.h) and search
// (storage/search.h).
//
// Thread-safety: a plain value.
#ifndef INTAKE_STORAGE_VIEWER_H_
#define INTAKE_STORAGE_VIEWER_H_

#include <string>
#include <utility>
#include <vector>

namespace intake::storage {

struct Viewer {
  std::string user;
  std::vector<std::string> groups;
  bool all_access = false;

  // A viewer that sees every case (for the station's own processes and tests).
  static Viewer Everyone(std::string user) { return Viewer{std::move(user), {}, true}; }
};

}  // namespace intake::storage

#endif  // INTAKE_STORAGE_VIEWER_H_
