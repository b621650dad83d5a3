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
echo "== station --help"
"$station" --help
