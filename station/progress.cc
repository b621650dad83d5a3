#include "station/progress.h"

#include <cstdio>

namespace intake::station {

Progress::Progress(std::ostream& out, bool interactive, std::string label, int total)
    : out_(out),
      interactive_(interactive),
      label_(std::move(label)),
      total_(total),
      start_(std::chrono::steady_clock::now()) {}

std::string Progress::Line(int done) const {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char rate[32] = "";
  if (done > 0) std::snprintf(rate, sizeof rate, ", %.2f s/stk.", seconds / done);
  for (char* c = rate; *c; ++c) {
    if (*c == '.' && c[1] >= '0' && c[1] <= '9') *c = ',';
  }
  std::string line = label_ + ": " + std::to_string(done);
  if (total_ > 0) {
    line += " af " + std::to_string(total_) + " (" + std::to_string(done * 100 / total_) + " %)";
  }
  return line + rate;
}

void Progress::Update(int done) {
  done_ = done;
  if (interactive_) {
    out_ << "\r" << Line(done) << "\x1b[K" << std::flush;
    return;
  }
  const int step = total_ >= 10 ? total_ / 10 : 1;
  if (done - last_reported_ >= step || (total_ > 0 && done == total_)) {
    last_reported_ = done;
    out_ << Line(done) << "\n";
  }
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  if (interactive_) {
    out_ << "\r" << Line(done_) << "\x1b[K\n" << std::flush;
  } else if (done_ != last_reported_) {
    out_ << Line(done_) << "\n";
  }
}

}  // namespace intake::station
