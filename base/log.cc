#include "base/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <vector>

#include "base/cpr_mask.h"
#include "base/json_escape.h"

namespace intake::log {
namespace {

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class StderrSink : public Sink {
 public:
  void Write(const Record& r) override {
    std::string line = FormatUtc(r.time);
    line += ' ';
    std::string level(LevelName(r.level));
    for (auto& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    level.resize(8, ' ');
    line += level;
    line += r.text;
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
};

class FileSink : public Sink {
 public:
  explicit FileSink(int fd) : fd_(fd) {}
  ~FileSink() override { ::close(fd_); }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void Write(const Record& r) override {
    std::string line = "{\"time\":\"" + FormatUtc(r.time) + "\",\"level\":\"" +
                       std::string(LevelName(r.level)) + "\",\"msg\":\"" +
                       JsonEscape(r.text) + "\"}\n";
    // O_APPEND makes each write land whole at the end; a short write on a full disk
    // cannot be reported through the logger itself, so it is dropped.
    [[maybe_unused]] ssize_t n = ::write(fd_, line.data(), line.size());
  }

 private:
  int fd_;
};

struct State {
  std::mutex mu;
  std::vector<std::shared_ptr<Sink>> sinks{MakeStderrSink()};  // GUARDED_BY(mu)
};

State& GetState() {
  static State* state = new State();  // never destroyed: logging works during exit
  return *state;
}

std::atomic<Level> g_min_level{Level::kInfo};

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (LevelName(l) == name) return l;
  }
  return std::nullopt;
}

std::shared_ptr<Sink> MakeStderrSink() { return std::make_shared<StderrSink>(); }

Result<std::shared_ptr<Sink>> MakeFileSink(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return FromErrno("kan ikke åbne logfilen " + path, errno);
  return std::shared_ptr<Sink>(std::make_shared<FileSink>(fd));
}

void SetSinks(std::vector<std::shared_ptr<Sink>> sinks) {
  State& s = GetState();
  std::lock_guard lock(s.mu);
  s.sinks = std::move(sinks);
}

void AddSink(std::shared_ptr<Sink> sink) {
  State& s = GetState();
  std::lock_guard lock(s.mu);
  s.sinks.push_back(std::move(sink));
}

void SetMinLevel(Level level) { g_min_level.store(level); }
Level MinLevel() { return g_min_level.load(); }

void Write(Level level, std::string_view text) {
  if (level < MinLevel()) return;
  Record record{std::chrono::system_clock::now(), level, MaskCpr(text)};
  State& s = GetState();
  std::lock_guard lock(s.mu);
  for (const auto& sink : s.sinks) sink->Write(record);
}

}  // namespace intake::log
