// Diagnostics of the project's SANE backend, on stderr (never stdout, which frontends such
// as scanimage use for image data), like SANE's DBG: a message of level L is printed when
// L <= the level from the environment variable SANE_DEBUG_INTAKE (default 0). Level 0:
// configuration and page-folder errors (always printed); 1: faults and refused calls;
// 2: one line per page and state changes.
//
// Thread-safe (one fprintf per message).
#ifndef INTAKE_HARDWARE_SANE_BACKEND_DEBUG_LOG_H_
#define INTAKE_HARDWARE_SANE_BACKEND_DEBUG_LOG_H_

namespace intake::hardware::sane_backend {

// Reads SANE_DEBUG_INTAKE; called by sane_init.
void InitDebugLevel();

// printf-style; a newline is added.
void Dbg(int level, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace intake::hardware::sane_backend

#endif  // INTAKE_HARDWARE_SANE_BACKEND_DEBUG_LOG_H_
