#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/deps.txt that are not yet installed.
# Idempotent and silent when everything is present. Needs root (or sudo) only when
# something is missing.
#
# A line is "PACKAGE [cmd:NAME]  # reason". With cmd:NAME the package also counts as present
# when a command NAME is on PATH: nodesource's nodejs bundles npm and conflicts with
# Debian's npm package, so such a machine keeps its npm while a fresh Debian gets Debian's.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list=${1:-$here/deps.txt}

missing=()
while read -r pkg alt _; do
  [ -n "$pkg" ] || continue
  if [[ "$alt" == cmd:?* ]] && command -v "${alt#cmd:}" >/dev/null 2>&1; then
    continue
  fi
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done < <(sed -e 's/#.*//' "$list")
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${#missing[@]} Debian package(s): ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: not root and no sudo; install these packages as root:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
