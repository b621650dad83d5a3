#!/usr/bin/env bash
# What `make run` shows: the station on its embedded defaults (no configuration file),
# with its data in the normal XDG data directory. It grows as capabilities land.
set -euo pipefail
station=${1:-build/bin/station}

echo "== station --version"
"$station" --version
echo
echo "== station status"
"$station" status
echo
echo "== station analyze: an upside-down short letter and a separator sheet (generated test pages)"
pages=$(dirname "$station")/../testpages
if [ -f "$pages/p010.png" ]; then
  "$station" analyze "$pages/p010.png" "$pages/p013.png"
else
  echo "(no generated test pages in $pages; build the tests to get them)"
fi
echo
echo "== station devices (the demo scanner: the project's SANE backend, scripts/with-demo-scanner.sh)"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
demo="$here/with-demo-scanner.sh"
if INTAKE_BUILD_DIR=$(dirname "$station")/.. "$demo" true 2>/dev/null; then
  INTAKE_BUILD_DIR=$(dirname "$station")/.. "$demo" "$station" devices
  echo
  echo "== station scan: a duplex stack of 13 sheets from the demo scanner at 60 pages a minute"
  INTAKE_BUILD_DIR=$(dirname "$station")/.. "$demo" "$station" scan --device intake:demo \
    --source duplex --batch "Demo" || echo "(scan ended with exit code $?)"
else
  echo "(the demo scanner is not built; build the tests to get it: make build)"
fi
echo
echo "== station --help"
"$station" --help
