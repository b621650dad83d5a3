#!/usr/bin/python3
"""Scanner throughput benchmark (issue #5): does the station keep up with a 60 pages/minute
production scanner?

The scanner is the project's own SANE backend (libsane-intake.so.1) serving the bench
preset's letters from a private SANE_CONFIG_DIR, through Debian's libsane. In the same run:

  peer      `scanimage --batch` on the same device and pace: the scanner alone, nothing
            processed. Its pages per minute are what the station has to match.
  station   `station scan --json` (OCR on, the default worker count): pages scanned and
            processed per minute, the queue between scanner and pipeline over time, pages
            spilled to disk, and the lag from the last page scanned to the last processed.
  stress    the same with the backend at full speed (pace 0), so that scanning outruns
            processing and the spill-to-disk path engages; every page must still arrive.

Prints a table and writes OUT/scan_bench.json and OUT/scan_queue.svg (queue length and
pages over time for both station runs). Never run by the tests.

    /usr/bin/python3 bench/scan_bench.py [--station build/bin/station] [--pages-count 90]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import ocr_bench as ob  # noqa: E402


def make_device(sane_dir, pages_dir, count, pace):
    """A private SANE configuration with device intake:bench: `count` sheets (the bench
    pages, repeated if needed), simplex, at `pace` pages a minute."""
    sheets = os.path.join(sane_dir, "sheets")
    if os.path.isdir(sane_dir):
        shutil.rmtree(sane_dir)
    os.makedirs(sheets)
    letters = sorted(f for f in os.listdir(pages_dir) if f.endswith(".png"))
    for i in range(count):
        os.symlink(os.path.join(pages_dir, letters[i % len(letters)]),
                   os.path.join(sheets, f"{i + 1:04d}.png"))
    with open(os.path.join(sane_dir, "dll.conf"), "w", encoding="utf-8") as f:
        f.write("intake\n")
    with open(os.path.join(sane_dir, "intake.conf"), "w", encoding="utf-8") as f:
        f.write(f"device bench\n  pages {sheets}\n  pace {pace}\n")


def sane_env(build, sane_dir, home):
    env = dict(os.environ)
    env.update({"SANE_CONFIG_DIR": sane_dir,
                "LD_LIBRARY_PATH": os.path.join(build, "lib", "sane"),
                "HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"),
                "XDG_CONFIG_HOME": os.path.join(home, "config")})
    env.pop("STATION_CONFIG", None)
    return env


def run_scanimage(env, work, count):
    out = os.path.join(work, "scanimage")
    os.makedirs(out, exist_ok=True)
    start = time.monotonic()
    r = subprocess.run(["scanimage", "-d", "intake:bench", "--source", "ADF Front",
                        "--mode", "Gray", "--resolution", "300", "--format=pnm",
                        f"--batch={out}/p%04d.pnm"], env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    got = len([f for f in os.listdir(out) if f.endswith(".pnm")])
    shutil.rmtree(out)  # 8.7 MB a page
    if got != count:
        sys.exit(f"scan_bench: scanimage gave {got} of {count} pages: {r.stderr[-400:]}")
    return {"pages": got, "seconds": seconds, "pages_per_minute": 60 * got / seconds}


def run_station(station, env, work, label, count):
    report = os.path.join(work, f"{label}.json")
    start = time.monotonic()
    r = subprocess.run([station, "scan", "--device", "intake:bench", "--source", "feeder",
                        "--mode", "gray", "--dpi", "300", "--batch", f"bench-{label}",
                        "--json", report], env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    if r.returncode != 0:
        sys.exit(f"scan_bench: station scan ({label}) ended with {r.returncode}: "
                 f"{r.stderr[-600:]}")
    with open(report, encoding="utf-8") as f:
        s = json.load(f)
    samples = s["samples"]
    last_scan = next(q["seconds"] for q in samples if q["scanned"] == s["pages_scanned"])
    result = {
        "wall_seconds": wall,
        "pages_scanned": s["pages_scanned"],
        "pages_processed": s["pages_processed"],
        "pages_failed": s["pages_failed"],
        "pages_spilled": s["pages_spilled"],
        "seconds": s["seconds"],
        "scan_seconds": last_scan,
        "scanned_per_minute": 60 * s["pages_scanned"] / last_scan if last_scan > 0 else None,
        "processed_per_minute": 60 * s["pages_processed"] / s["seconds"],
        "lag_seconds": s["seconds"] - last_scan,
        "max_waiting": max(q["waiting"] for q in samples),
        "samples": samples,
    }
    if result["pages_scanned"] != count or result["pages_processed"] != count:
        sys.exit(f"scan_bench: {label}: {result['pages_scanned']} scanned, "
                 f"{result['pages_processed']} processed of {count}")
    return result


def svg_plot(path, runs):
    """Queue length (waiting pages) and pages scanned/processed over time, one panel per
    run, as a self-contained SVG."""
    w, h, pad = 760, 260, 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h * len(runs)}" '
             'font-family="sans-serif" font-size="12">',
             f'<rect width="{w}" height="{h * len(runs)}" fill="white"/>']
    colours = {"scanned": "#1f77b4", "processed": "#2ca02c", "waiting": "#d62728"}
    for i, (title, run) in enumerate(runs):
        y0 = i * h
        samples = run["samples"]
        tmax = max(q["seconds"] for q in samples) or 1
        vmax = max(run["pages_scanned"], 1)
        def xy(t, v):
            return (pad + (w - 2 * pad) * t / tmax, y0 + h - pad + 10 - (h - 2 * pad) * v / vmax)
        parts.append(f'<text x="{pad}" y="{y0 + 20}" font-weight="bold">{title}</text>')
        x_a, y_a = xy(0, 0)
        x_b, _ = xy(tmax, 0)
        _, y_top = xy(0, vmax)
        parts.append(f'<line x1="{x_a}" y1="{y_a}" x2="{x_b}" y2="{y_a}" stroke="black"/>')
        parts.append(f'<line x1="{x_a}" y1="{y_a}" x2="{x_a}" y2="{y_top}" stroke="black"/>')
        parts.append(f'<text x="{x_b - 60}" y="{y_a + 16}">{tmax:.0f} s</text>')
        parts.append(f'<text x="{x_a - 40}" y="{y_top + 4}">{vmax}</text>')
        parts.append(f'<text x="{x_a - 14}" y="{y_a + 4}">0</text>')
        for k, colour in colours.items():
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in
                           (xy(q["seconds"], q[k]) for q in samples))
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                         'stroke-width="1.5"/>')
        for j, (k, colour) in enumerate(colours.items()):
            label = {"scanned": "sider scannet", "processed": "sider behandlet",
                     "waiting": "kø (venter på behandling)"}[k]
            parts.append(f'<text x="{pad + 20 + j * 200}" y="{y0 + 40}" fill="{colour}">'
                         f'{label}</text>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--station", default=os.path.join(ROOT, "build", "bin", "station"))
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(HERE, "out"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages-count", type=int, default=90,
                        help="sheets in the feeder (default 90: 1.5 minutes at 60 a minute)")
    parser.add_argument("--pace", type=int, default=60, help="pages a minute (default 60)")
    parser.add_argument("--skip-stress", action="store_true")
    args = parser.parse_args(argv)

    work = os.path.join(args.out, "scan")
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    pages = os.path.join(args.out, "pages")
    ob.ensure_pages(pages, args.seed, 51, 2)
    sane_dir = os.path.join(work, "sane")
    home = os.path.join(work, "home")
    env = sane_env(args.build, sane_dir, home)
    n = args.pages_count

    make_device(sane_dir, pages, n, args.pace)
    print(f"peer: scanimage --batch, {n} pages at pace {args.pace} ...", flush=True)
    peer = run_scanimage(env, work, n)
    print(f"station: station scan, {n} pages at pace {args.pace} ...", flush=True)
    station = run_station(args.station, env, work, "paced", n)
    runs = [(f"station scan, scanner at {args.pace} sider/min", station)]
    stress = None
    if not args.skip_stress:
        make_device(sane_dir, pages, n, 0)
        print(f"stress: station scan, {n} pages at full speed ...", flush=True)
        stress = run_station(args.station, env, work, "stress", n)
        runs.append(("station scan, scanner at fuld hast (pace 0)", stress))

    report = {"pages": n, "pace": args.pace, "peer_scanimage": peer, "station": station,
              "stress": stress, "nproc": os.cpu_count()}
    with open(os.path.join(args.out, "scan_bench.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    svg_plot(os.path.join(args.out, "scan_queue.svg"), runs)

    print()
    print(f"{'':34}{'scanimage':>12}{'station':>12}{'stress':>12}")
    def row(label, a, b, c):
        print(f"{label:34}{a:>12}{b:>12}{c:>12}")
    f1 = lambda x: "-" if x is None else f"{x:.1f}"
    row("pages", str(n), str(station["pages_processed"]),
        "-" if not stress else str(stress["pages_processed"]))
    row("pages scanned per minute", f1(peer["pages_per_minute"]),
        f1(station["scanned_per_minute"]), f1(stress and stress["scanned_per_minute"]))
    row("pages processed per minute", "-", f1(station["processed_per_minute"]),
        f1(stress and stress["processed_per_minute"]))
    row("max queue (pages waiting)", "-", str(station["max_waiting"]),
        "-" if not stress else str(stress["max_waiting"]))
    row("pages spilled to disk", "-", str(station["pages_spilled"]),
        "-" if not stress else str(stress["pages_spilled"]))
    row("lag after the last page (s)", "-", f1(station["lag_seconds"]),
        f1(stress and stress["lag_seconds"]))
    ratio = station["processed_per_minute"] / peer["pages_per_minute"]
    print(f"\nprocessed per minute / scanner's pages per minute (same run): {ratio:.2f}")
    print(f"report: {os.path.join(args.out, 'scan_bench.json')}, "
          f"plot: {os.path.join(args.out, 'scan_queue.svg')}")


if __name__ == "__main__":
    main()
