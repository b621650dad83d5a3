// Progress display for long work (pages scanned, processed, journalised).
//
// On a terminal: one line that updates in place ("Analyserer sider: 12 af 50 (24 %)").
// Otherwise (logs, CI, pipes): a line at every tenth of the work, so logs stay short.
// Thread-safety: one thread.
#ifndef INTAKE_STATION_PROGRESS_H_
#define INTAKE_STATION_PROGRESS_H_

#include <chrono>
#include <ostream>
#include <string>

namespace intake::station {

class Progress {
 public:
  // `total` may be 0 when unknown.
  Progress(std::ostream& out, bool interactive, std::string label, int total);
  // `done` items are finished.
  void Update(int done);
  // Ends the display with a final line.
  void Finish();

 private:
  std::string Line(int done) const;

  std::ostream& out_;
  bool interactive_;
  std::string label_;
  int total_;
  int done_ = 0;
  int last_reported_ = 0;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace intake::station

#endif  // INTAKE_STATION_PROGRESS_H_
