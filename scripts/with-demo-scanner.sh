#!/usr/bin/env bash
# Runs a command with the project's demo scanner as the only SANE device:
#   scripts/with-demo-scanner.sh scanimage -L            -> device `intake:demo' ...
#   scripts/with-demo-scanner.sh build/bin/station ...
# It points libsane at the build's private configuration (build/sane: a dll.conf naming
# only the `intake` backend, and intake.conf with device "demo" on the generated test
# pages, 60 pages a minute) and at the folder of the backend library
# (build/lib/sane/libsane-intake.so.1). The system's /etc/sane.d is not read, so neither
# SANE's test backend nor network discovery (airscan) gets in the way.
# INTAKE_BUILD_DIR overrides the build folder (default: build/ beside this script's folder).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "brug: $0 KOMMANDO [ARGUMENT...]" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${INTAKE_BUILD_DIR:-$here/../build}" 2>/dev/null && pwd) || {
  echo "$0: byggemappen ${INTAKE_BUILD_DIR:-$here/../build} findes ikke; byg først (make build)" >&2
  exit 1
}
if [ ! -f "$build/lib/sane/libsane-intake.so.1" ] || [ ! -f "$build/sane/intake.conf" ]; then
  echo "$0: demo-scanneren er ikke bygget i $build (mangler lib/sane/libsane-intake.so.1" \
       "eller sane/intake.conf); byg først (make build)" >&2
  exit 1
fi

export SANE_CONFIG_DIR="$build/sane"
export LD_LIBRARY_PATH="$build/lib/sane${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$@"
