#!/usr/bin/env bash
# What `make run` shows: the station on its embedded defaults (no configuration file), with
# its data in the normal XDG data directory, then its web UI (`station serve`) with demo data
# until Ctrl-C:
#   - demo data is created once, and only in an empty journal (no users and no cases; real
#     data is never touched): the demo cases of scripts/demo-post.json (one restricted to the
#     access group "boernesager"), an administrator `demo` (in that group), and a batch of
#     scanned demo letters in the scan folder (scripts/batchgen.py). A marker file
#     (<data dir>/demo-data) records that the demo made this data;
#   - while the marker is there, each run gives `demo` a new generated password (printed
#     below) and puts fresh demo letters in the scan folder when the last ones were taken;
#   - the server runs under scripts/with-demo-scanner.sh, so the demo scanner (intake:demo)
#     scans from the browser too.
# INTAKE_LISTEN overrides the address (default 127.0.0.1:8080).
set -euo pipefail
station=${1:-build/bin/station}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "$(dirname "$station")/.." && pwd)
listen=${INTAKE_LISTEN:-127.0.0.1:8080}

"$station" --version
"$station" status | sed -n '4,6p'
echo

# The data and scan folders as the station resolves them.
mapfile -t dirs < <("$station" status --json | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)["config"]["station"]
print(s["data_dir"])
print(s.get("scan_folder") or s["data_dir"] + "/scan-to-folder")')
data_dir=${dirs[0]}
scan_folder=${dirs[1]}
marker=$data_dir/demo-data

count() {  # count users|cases: how many the journal holds
  "$station" "${1%s}" list --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["users"] if isinstance(d, dict) and "users" in d else d))'
}

# Renders the demo letters into the scan folder's "Demopost" (seed: a new one after the first
# time, so a second batch is not the same paper again).
demo_letters() {
  local folder=$scan_folder/Demopost seed=${1:-}
  mkdir -p "$folder"
  local spec=$here/demo-post.json tmp
  tmp=$(mktemp -d)
  if [ -n "$seed" ]; then
    /usr/bin/python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); s["seed"] = int(sys.argv[2]); json.dump(s, open(sys.argv[3], "w"), ensure_ascii=False)' \
      "$spec" "$seed" "$tmp/spec.json"
    spec=$tmp/spec.json
  fi
  echo "Skriver demobreve i $folder (scripts/batchgen.py, ca. 20 s) ..."
  /usr/bin/python3 "$here/batchgen.py" --spec "$spec" --out "$tmp/post.tif" \
    --truth "$tmp/truth.json"
  mv "$tmp/post.tif" "$folder/demobreve-$(date +%H%M%S).tif"
  rm -rf "$tmp"
}

password=$(/usr/bin/python3 -c 'import secrets; print("demo-" + secrets.token_urlsafe(9))')
if [ ! -f "$marker" ] && [ "$(count users)" -eq 0 ] && [ "$(count cases)" -eq 0 ]; then
  echo "Tom journal: opretter demodata (sager, brugeren demo og demobreve i scan-mappen)."
  "$station" case import "$here/demo-post.json" >/dev/null
  printf '%s\n' "$password" | "$station" user add demo --role administrator \
    --name "Demo Bruger" --group boernesager --password-stdin >/dev/null
  echo "Lavet af scripts/run-demo.sh (make run): demodata; slet filen for at stoppe demoen." \
    >"$marker"
  demo_letters
elif [ -f "$marker" ]; then
  printf '%s\n' "$password" | "$station" user passwd demo --password-stdin >/dev/null ||
    password=""
  if [ -z "$(find "$scan_folder/Demopost" -type f 2>/dev/null | head -n 1)" ]; then
    demo_letters "$(date +%s)"
  fi
else
  password=""
  echo "Journalen har allerede brugere eller sager: ingen demodata (log ind med en af dem)."
fi

echo
echo "Web-brugerfladen: http://$listen/"
if [ -n "$password" ]; then
  echo "Log ind som:      demo / $password"
  echo "Prøv:             Postrum → Hent fra scan-mappe → Demopost → Hent batch, ret titlen,"
  echo "                  Journalisér; eller Scan med scanneren intake:demo."
fi
echo "Stop med Ctrl-C."
echo
if INTAKE_BUILD_DIR=$build "$here/with-demo-scanner.sh" true 2>/dev/null; then
  exec env INTAKE_BUILD_DIR="$build" "$here/with-demo-scanner.sh" "$station" serve --listen "$listen"
fi
echo "(demo-scanneren er ikke bygget; byg testene for at få den: make build)"
exec "$station" serve --listen "$listen"
