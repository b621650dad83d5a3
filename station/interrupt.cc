#include "station/interrupt.h"

#include <csignal>

namespace intake::station {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnSignal(int signal_number) {
  if (g_interrupted != 0) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  g_interrupted = 1;
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: blocking reads return EINTR and see the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool InterruptRequested() { return g_interrupted != 0; }

void SetInterruptRequestedForTesting(bool value) { g_interrupted = value ? 1 : 0; }

}  // namespace intake::station
