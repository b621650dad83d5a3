#include "hardware/sane_backend/debug_log.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace intake::hardware::sane_backend {
namespace {

std::atomic<int> debug_level{0};

}  // namespace

void InitDebugLevel() {
  const char* env = std::getenv("SANE_DEBUG_INTAKE");
  debug_level.store(env != nullptr ? std::atoi(env) : 0, std::memory_order_relaxed);
}

void Dbg(int level, const char* format, ...) {
  if (level > debug_level.load(std::memory_order_relaxed)) return;
  char message[2048];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  std::fprintf(stderr, "[sane-intake] %s\n", message);
}

}  // namespace intake::hardware::sane_backend
