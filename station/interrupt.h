// Ctrl-C and SIGTERM: long operations poll InterruptRequested() between steps, finish or
// roll back what they hold, and the command exits with kExitInterrupted (130).
//
// Thread-safety: InterruptRequested may be called from any thread.
#ifndef INTAKE_STATION_INTERRUPT_H_
#define INTAKE_STATION_INTERRUPT_H_

namespace intake::station {

// Installs handlers for SIGINT and SIGTERM that set the flag. A second signal while the
// flag is set restores the default action, so a stuck process can still be stopped.
void InstallInterruptHandlers();

bool InterruptRequested();

// For tests.
void SetInterruptRequestedForTesting(bool value);

}  // namespace intake::station

#endif  // INTAKE_STATION_INTERRUPT_H_
