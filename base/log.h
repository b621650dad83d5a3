// Logging for operators and IT staff.
//
// Every line goes through one function, log::Write, which masks CPR numbers
// (base/cpr_mask.h) before any sink sees the text. Sinks therefore never receive an
// unmasked line, whichever API produced it (the LOG stream, log::Write, log::Error ...).
//
// Sinks: stderr (human-readable, default) and an optional JSON-lines file; tests add a
// memory sink. Thread-safety: all functions may be called from any thread; sinks are
// called under one mutex, one line at a time.
#ifndef INTAKE_BASE_LOG_H_
#define INTAKE_BASE_LOG_H_

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace intake::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning", "error".
std::string_view LevelName(Level level);
// Parses a level name as written in station.toml; nullopt if unknown.
std::optional<Level> ParseLevel(std::string_view name);

struct Record {
  std::chrono::system_clock::time_point time;
  Level level;
  std::string text;  // already masked
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Called with the global log mutex held; must not log.
  virtual void Write(const Record& record) = 0;
};

// Writes "2026-11-26T15:58:29Z INFO  text" lines to stderr.
std::shared_ptr<Sink> MakeStderrSink();

// Appends one JSON object per line ({"time":..., "level":..., "msg":...}) to `path`,
// creating the file (mode 0640) and its parent directory if needed.
Result<std::shared_ptr<Sink>> MakeFileSink(const std::string& path);

// Replaces all sinks (default: one stderr sink) and the minimum level (default kInfo).
void SetSinks(std::vector<std::shared_ptr<Sink>> sinks);
void AddSink(std::shared_ptr<Sink> sink);
void SetMinLevel(Level level);
Level MinLevel();

// Masks `text` and hands it to every sink if `level` is at least the minimum level.
void Write(Level level, std::string_view text);

inline void Debug(std::string_view text) { Write(Level::kDebug, text); }
inline void Info(std::string_view text) { Write(Level::kInfo, text); }
inline void Warning(std::string_view text) { Write(Level::kWarning, text); }
inline void Error(std::string_view text) { Write(Level::kError, text); }

// Collects one line with operator<< and writes it when destroyed. Use through LOG().
class LineBuilder {
 public:
  explicit LineBuilder(Level level) : level_(level) {}
  LineBuilder(const LineBuilder&) = delete;
  LineBuilder& operator=(const LineBuilder&) = delete;
  ~LineBuilder() { Write(level_, stream_.str()); }

  template <typename T>
  LineBuilder& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }
  LineBuilder& operator<<(const intake::Error& error) {
    stream_ << error.ToString();
    return *this;
  }

 private:
  Level level_;
  std::ostringstream stream_;
};

}  // namespace intake::log

// LOG(kInfo) << "scanned " << n << " pages";  (the line is skipped cheaply below the
// minimum level)
#define LOG(severity)                                                        \
  if (::intake::log::Level::severity < ::intake::log::MinLevel()) {         \
  } else                                                                     \
    ::intake::log::LineBuilder(::intake::log::Level::severity)

#endif  // INTAKE_BASE_LOG_H_
