#!/usr/bin/env bash
# Checks the module layering by the #include lines: a module may include only its own
# headers and those of the modules below it (CMakeLists.txt, top comment). The link graph
# enforces the same rule for symbols; this catches header-only leaks.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root"

allowed_base="base"
allowed_leaf="base config"   # ocr, pdf, storage, hardware: never each other
status=0
check() {
  local module=$1; shift
  local allowed="$module $*"
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^/"]+)\/.*/\1/' <<<"$line")
    ok=0
    for a in $allowed; do [ "$inc" = "$a" ] && ok=1; done
    if [ "$ok" -eq 0 ] && [ -d "$inc" ]; then
      echo "layering: $file includes from $inc/, which $module/ must not depend on" >&2
      status=1
    fi
  done < <(grep -rHn --include='*.h' --include='*.cc' --include='*.c' -E '#include "[^/"]+/' "$module" || true)
}
check base
check config $allowed_base
for m in ocr pdf storage hardware; do check "$m" $allowed_leaf; done
# station/ is below web/; only the program's main() (station/main.cc) joins the two.
while IFS= read -r line; do
  echo "layering: ${line%%:*} includes from web/, which station/ must not depend on" >&2
  status=1
done < <(grep -rHn --include='*.h' --include='*.cc' '#include "web/' station | grep -v '^station/main.cc:' || true)
[ "$status" -eq 0 ] && echo "layering: ok"
exit "$status"
