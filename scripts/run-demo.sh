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
echo "== station --help"
"$station" --help
