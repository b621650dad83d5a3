#!/usr/bin/python3
"""OCR benchmark: the station against OCRmyPDF and plain tesseract on the same pages.

    /usr/bin/python3 bench/ocr_bench.py [--station build/bin/station] [--pages DIR]
        [--out bench/out] [--skip-ocrmypdf] [--skip-tesseract] [--jobs 2]
        [--seed 1] [--count 51]

Without --pages it generates the bench preset of scripts/pagegen.py into OUT/pages (reused
when it is already there with the same seed and count). In one run it measures, on the same
pages:
  a) the station: `station analyze --json --jobs N PAGE...`, all pages in one call;
  b) OCRmyPDF: img2pdf (lossless, 300 dpi) then
     `ocrmypdf -l dan --rotate-pages --deskew --jobs N in.pdf out.pdf`, text per page with
     `pdftotext -raw -f N -l N -enc UTF-8`, orientation decision from the output page (see
     ocrmypdf_orientations);
  c) plain single-threaded tesseract, page by page: `OMP_THREAD_LIMIT=1 tesseract PAGE - -l dan`.
For each: wall seconds per page and peak memory (the summed VmRSS of the process and all
its descendants, sampled every 50 ms, and the kernel's ru_maxrss of the largest single
process). Then CER, orientation accuracy, skew error and blank precision/recall against
the manifest's ground truth, a table with the targets of issue #3, and the real scans of
../shared/testdata/scans in a separate section. Everything, per page too, goes to
OUT/ocr_bench.json. The bench reports; it asserts nothing and is not part of `make test`.
"""

import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402  (bench/metrics.py, next to this file)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGEGEN = os.path.join(REPO, "scripts", "pagegen.py")
sys.path.insert(0, os.path.dirname(PAGEGEN))
import pagegen  # noqa: E402  (for generator_id: reuse pages only from the same generator)

# Targets of issue #3.
TARGET_THROUGHPUT_VS_OCRMYPDF = 5.0   # station pages/s at least 5x OCRmyPDF's
TARGET_TIME_VS_TESSERACT = 1.5        # station s/page at most 1.5x plain tesseract's
TARGET_CER = 0.01                     # mean over all text pages
TARGET_SKEW_MAE = 0.15                # degrees
TARGET_PEAK_MB = 500                  # for a 200-page batch
TARGET_PEAK_PAGES = 200

# The real scans (../shared/testdata/scans/README.md). cardinal.pdf holds linn.png turned;
# the clockwise rotation that makes each page upright was read off the rendered pages
# (page 2 reads top to bottom, page 4 bottom to top) and agrees with the placement
# matrices in its content streams (cm 0 -612 792 0 ... on page 2: turned clockwise).
CARDINAL_ORIENTATION = [0, 270, 180, 90]
# skew.pdf places linn.png with `cm 611.673 -19.919 25.777 791.577 ...`: the image's x axis
# points atan2(-19.919, 611.673) = -1.865 degrees from horizontal, i.e. turned 1.865 degrees
# clockwise. Its true skew is therefore linn.png's own (unknown, small) skew - 1.865; the
# bench compares the station's skew.pdf result with its linn.png result plus this angle.
SKEW_PDF_PLACEMENT_DEGREES = math.degrees(math.atan2(-19.9187622, 611.6731567))


# ---------------------------------------------------------------------------------------
# Running a command with its wall time and memory.

_HAS_CHILDREN_FILE = os.path.exists(f"/proc/self/task/{os.getpid()}/children")


def _children(pid):
    if _HAS_CHILDREN_FILE:
        kids = []
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    kids += [int(k) for k in f.read().split()]
        except OSError:
            pass
        return kids
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    kids.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def tree_rss_kb(root):
    """Summed VmRSS (kB) of root and all its descendants, as now."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        stack += _children(pid)
    return total


def run_measured(cmd, stdout_path, stderr_path, env=None):
    """Runs cmd with stdout and stderr to files. Returns {returncode, seconds, peak_tree_mb,
    ru_maxrss_mb}; returncode is None with an "error" when cmd cannot be started."""
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.monotonic()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        except OSError as e:
            return {"returncode": None, "error": f"{cmd[0]}: {e.strerror}", "seconds": 0,
                    "peak_tree_mb": 0, "ru_maxrss_mb": 0}
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss_kb(proc.pid))
                stop.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 rather than Popen.wait: its rusage gives ru_maxrss of the child and its
        # waited-for descendants (the largest single process).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"returncode": proc.returncode, "seconds": seconds,
            "peak_tree_mb": peak[0] / 1024, "ru_maxrss_mb": usage.ru_maxrss / 1024}


def read_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def tail(path, lines=8):
    try:
        return "\n".join(read_text(path).strip().splitlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------
# The pages.


def ensure_pages(out_dir, seed, count, jobs):
    """Generates the bench preset into out_dir unless the same is already there."""
    manifest_path = os.path.join(out_dir, "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            old = json.load(f)
        if (old.get("preset") == "bench" and old.get("seed") == seed and
                old.get("generator") == pagegen.generator_id() and
                len(old.get("pages", [])) == count and
                all(os.path.exists(os.path.join(out_dir, p["file"])) for p in old["pages"])):
            print(f"pages: reusing {count} pages in {out_dir}")
            return
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    print(f"pages: generating the bench preset (seed {seed}, {count} pages) into {out_dir}")
    start = time.monotonic()
    subprocess.run([sys.executable, PAGEGEN, "--preset", "bench", "--out", out_dir,
                    "--seed", str(seed), "--count", str(count), "--jobs", str(jobs)],
                   check=True)
    print(f"pages: generated in {time.monotonic() - start:.1f} s")


def load_manifest(pages_dir):
    path = os.path.join(pages_dir, "manifest.json")
    if not os.path.exists(path):
        sys.exit(f"ocr_bench: {path} mangler; --pages skal pege på en mappe fra "
                 "scripts/pagegen.py")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------------------
# The tools.


def run_station(station, pages, jobs, work_dir, label):
    """Runs `station analyze --json` on all pages. Returns (measure, {basename: page})."""
    os.makedirs(work_dir, exist_ok=True)
    stdout = os.path.join(work_dir, f"{label}.json")
    stderr = os.path.join(work_dir, f"{label}.stderr")
    cmd = [station, "analyze", "--json", "--jobs", str(jobs)] + pages
    print(f"station: {' '.join(cmd[:5])} <{len(pages)} pages>")
    measure = run_measured(cmd, stdout, stderr)
    measure["command"] = " ".join(cmd[:5]) + " PAGE..."
    results = {}
    if measure["returncode"] is None:
        return measure, results
    try:
        doc = json.loads(read_text(stdout))
        for page in doc["pages"]:
            key = (os.path.basename(page["source"]), int(page.get("source_page", 1)))
            results[key] = page
        measure["summary"] = doc.get("summary")
    except (ValueError, KeyError, TypeError) as e:
        measure["error"] = f"output is not the expected JSON ({e})"
    if measure["returncode"] != 0:
        measure["error"] = (measure.get("error", "") +
                            f" exit code {measure['returncode']}: {tail(stderr, 4)}").strip()
    print(f"station: {measure['seconds']:.1f} s, exit {measure['returncode']}")
    return measure, results


def run_tesseract(pages, work_dir):
    """Plain single-threaded tesseract, page by page. Returns (measure, {basename: text})."""
    os.makedirs(work_dir, exist_ok=True)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    total = {"seconds": 0.0, "peak_tree_mb": 0.0, "ru_maxrss_mb": 0.0, "returncode": 0,
             "per_page_seconds": {}, "command": "OMP_THREAD_LIMIT=1 tesseract PAGE - -l dan"}
    texts = {}
    print(f"tesseract: {len(pages)} pages, one at a time")
    for page in pages:
        name = os.path.basename(page)
        out = os.path.join(work_dir, name + ".txt")
        m = run_measured(["tesseract", page, "-", "-l", "dan"], out,
                         os.path.join(work_dir, name + ".stderr"), env=env)
        if m["returncode"] != 0:
            total["returncode"] = m["returncode"]
            total["error"] = m.get("error") or tail(os.path.join(work_dir, name + ".stderr"))
            texts[name] = ""
        else:
            texts[name] = read_text(out)
        total["seconds"] += m["seconds"]
        total["per_page_seconds"][name] = m["seconds"]
        total["peak_tree_mb"] = max(total["peak_tree_mb"], m["peak_tree_mb"])
        total["ru_maxrss_mb"] = max(total["ru_maxrss_mb"], m["ru_maxrss_mb"])
    print(f"tesseract: {total['seconds']:.1f} s")
    return total, texts


def _grey_array(path_or_image, size=None):
    import numpy as np
    from PIL import Image
    im = path_or_image if isinstance(path_or_image, Image.Image) else Image.open(path_or_image)
    im = im.convert("L")
    if size is not None and im.size != size:
        im = im.resize(size, Image.BOX)
    a = np.asarray(im, dtype=np.float32)
    return a - a.mean()


def orientation_by_comparison(input_image, rendered_path):
    """The clockwise rotation r in {0, 90, 180, 270} for which the input page turned
    clockwise by r looks most like the rendered output page (normalised correlation).
    OCRmyPDF with --deskew rasterises the page and bakes its rotation into the image
    instead of setting /Rotate, so the displayed output is compared with the input."""
    from PIL import Image
    rendered = Image.open(rendered_path).convert("L")
    target = _grey_array(rendered)
    best, best_score = None, -2.0
    with Image.open(input_image) as im:
        small = im.convert("L")
        small.thumbnail((max(rendered.size) * 2, max(rendered.size) * 2), Image.BOX)
        for r in (0, 90, 180, 270):
            turned = small.rotate(-r, expand=True)  # negative = clockwise
            if (turned.width > turned.height) != (rendered.width > rendered.height):
                continue
            a = _grey_array(turned, rendered.size)
            denom = float((a * a).sum() * (target * target).sum()) ** 0.5
            score = float((a * target).sum()) / denom if denom else -1.0
            if score > best_score:
                best, best_score = r, score
    return best


def ocrmypdf_orientations(out_pdf, input_images, work_dir):
    """Per output page: (/Rotate, effective clockwise rotation applied to the input)."""
    import pikepdf
    render_prefix = os.path.join(work_dir, "render")
    for old in glob.glob(render_prefix + "-*.pgm"):
        os.remove(old)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", out_pdf, render_prefix], check=True)
    renders = sorted(glob.glob(render_prefix + "-*.pgm"))
    rotates = []
    with pikepdf.open(out_pdf) as pdf:
        for page in pdf.pages:
            rotates.append(int(page.obj.get("/Rotate", 0)) % 360)
    decisions = []
    for i, image in enumerate(input_images):
        decided = orientation_by_comparison(image, renders[i]) if i < len(renders) else None
        decisions.append((rotates[i] if i < len(rotates) else None, decided))
    return decisions


def run_ocrmypdf(images, jobs, work_dir, label):
    """img2pdf + ocrmypdf on images (or a given PDF). Returns (measure, texts, orientations)
    with texts and orientations as lists in page order."""
    os.makedirs(work_dir, exist_ok=True)
    in_pdf = os.path.join(work_dir, f"{label}-in.pdf")
    out_pdf = os.path.join(work_dir, f"{label}-out.pdf")
    if len(images) == 1 and images[0].endswith(".pdf"):
        shutil.copyfile(images[0], in_pdf)
        img2pdf_seconds = 0.0
    else:
        start = time.monotonic()
        subprocess.run(["img2pdf", "-o", in_pdf] + images, check=True)
        img2pdf_seconds = time.monotonic() - start
    cmd = ["ocrmypdf", "-l", "dan", "--rotate-pages", "--deskew", "--jobs", str(jobs),
           in_pdf, out_pdf]
    print(f"ocrmypdf: {' '.join(cmd[:8])} ({label}, {len(images)} input(s))")
    measure = run_measured(cmd, os.path.join(work_dir, f"{label}.stdout"),
                           os.path.join(work_dir, f"{label}.stderr"))
    measure["command"] = " ".join(cmd[:7]) + " in.pdf out.pdf"
    measure["img2pdf_seconds"] = img2pdf_seconds
    print(f"ocrmypdf: {measure['seconds']:.1f} s, exit {measure['returncode']}")
    if measure["returncode"] != 0:
        measure["error"] = measure.get("error") or tail(os.path.join(work_dir,
                                                                     f"{label}.stderr"))
        return measure, None, None
    out = subprocess.run(["pdfinfo", out_pdf], capture_output=True, text=True, check=True)
    n_pages = int([l for l in out.stdout.splitlines() if l.startswith("Pages:")][0].split()[1])
    texts = []
    for n in range(1, n_pages + 1):
        # -raw keeps the text layer's order, which is Tesseract's reading order. Without it
        # pdftotext re-flows the invisible words by position and splits a letter's lines
        # into columns, which tripled OCRmyPDF's CER on some pages (an upside-down
        # typewriter letter: 53 % against 5.6 %) without any recognition error.
        r = subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), "-enc", "UTF-8",
                            out_pdf, "-"], capture_output=True, check=True)
        texts.append(r.stdout.decode("utf-8", errors="replace"))
    return measure, texts, out_pdf


# ---------------------------------------------------------------------------------------
# Scoring.


def score(manifest, tool_pages):
    """Scores one tool. tool_pages maps a page file name to a dict with any of text,
    orientation, skew, blank (missing keys: the tool does not report that)."""
    per_page, cers, orient, skews, blank_pred, blank_true = [], [], [], [], [], []
    spurious = []
    for entry in manifest["pages"]:
        got = tool_pages.get(entry["file"])
        row = {"file": entry["file"], "kind": entry["kind"], "font": entry.get("font")}
        if got is None:
            row["missing"] = True
        for key in ("pdf_rotate", "error"):
            if got and got.get(key) is not None:
                row[key] = got[key]
        text = (got or {}).get("text", "")
        row["text"] = text
        if entry["text"]:
            row["cer"] = metrics.cer(text, entry["text"])
            cers.append(row)
            if got is None or "orientation" in got:
                detected = (got or {}).get("orientation")
                row["orientation"] = detected
                row["orientation_ok"] = (detected is not None and
                                         not metrics.orientation_error(detected,
                                                                       entry["orientation"]))
                orient.append(row)
        else:
            row["spurious_chars"] = len(metrics.normalise(text))
            spurious.append(row["spurious_chars"])
        if entry["kind"] == "letter" and (got is None or "skew" in got):
            detected = (got or {}).get("skew")
            row["skew"] = detected
            row["skew_error"] = (metrics.skew_error(detected, entry["skew_degrees"])
                                 if detected is not None else None)
            skews.append(row)
        if got is None or "blank" in got:
            row["blank"] = (got or {}).get("blank")
            blank_pred.append(bool(row["blank"]))
            blank_true.append(bool(entry["blank"]))
            row["blank_ok"] = bool(row["blank"]) == bool(entry["blank"])
        per_page.append(row)
    result = {"pages": per_page, "text_pages": len(cers)}
    if cers:
        values = [r["cer"] for r in cers]
        worst = max(cers, key=lambda r: r["cer"])
        result.update(cer_mean=sum(values) / len(values), cer_worst=worst["cer"],
                      cer_worst_page=worst["file"])
        by_font = {}
        for r in cers:
            by_font.setdefault(r["font"] or r["kind"], []).append(r["cer"])
        result["cer_by_font"] = {k: sum(v) / len(v) for k, v in sorted(by_font.items())}
    if orient:
        result["orientation_correct"] = sum(1 for r in orient if r["orientation_ok"])
        result["orientation_pages"] = len(orient)
        truth = {e["file"]: e["orientation"] for e in manifest["pages"]}
        result["orientation_wrong"] = [f"{r['file']} (expected {truth[r['file']]}, got "
                                       f"{r['orientation']})"
                                       for r in orient if not r["orientation_ok"]]
    if skews:
        errors = [r["skew_error"] for r in skews]
        known = [e for e in errors if e is not None]
        result["skew_pages"] = len(skews)
        result["skew_missing"] = len(errors) - len(known)
        result["skew_mae"] = sum(known) / len(known) if known else None
        result["skew_max_error"] = max(known) if known else None
    if blank_pred:
        precision, recall = metrics.precision_recall(blank_pred, blank_true)
        result.update(blank_precision=precision, blank_recall=recall,
                      blank_wrong=[r["file"] for r in per_page if r.get("blank_ok") is False])
    if spurious:
        result["spurious_chars_on_textless_pages"] = sum(spurious)
    return result


def station_view(results):
    """The station's JSON pages as score() input, keyed by file name."""
    view = {}
    for (name, _), page in results.items():
        item = {"text": page.get("text") or ""}
        if page.get("error"):
            item["error"] = page["error"]
        o = page.get("orientation")
        item["orientation"] = o.get("degrees") if isinstance(o, dict) else None
        item["skew"] = page.get("skew_degrees")
        item["blank"] = page.get("blank")
        view[name] = item
    return view


# ---------------------------------------------------------------------------------------
# Reporting.


def fmt_pct(x):
    return "n/a" if x is None else f"{100 * x:.2f} %"


def fmt(x, spec=".2f", unit=""):
    return "n/a" if x is None else f"{x:{spec}}{unit}"


def verdict(ok):
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def print_table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(str(h).ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--station", default=os.path.join(REPO, "build", "bin", "station"))
    parser.add_argument("--pages", default=None, help="a pagegen output directory")
    parser.add_argument("--out", default=os.path.join(REPO, "bench", "out"))
    parser.add_argument("--scans", default=os.path.join(REPO, "..", "shared", "testdata",
                                                        "scans"))
    parser.add_argument("--skip-ocrmypdf", action="store_true")
    parser.add_argument("--skip-tesseract", action="store_true")
    parser.add_argument("--skip-real-scans", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="for generated pages")
    parser.add_argument("--count", type=int, default=51, help="for generated pages")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.count < 1:
        parser.error("--jobs og --count skal være mindst 1")

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    pages_dir = os.path.abspath(args.pages) if args.pages else os.path.join(out, "pages")
    if not args.pages:
        ensure_pages(pages_dir, args.seed, args.count, args.jobs)
    manifest = load_manifest(pages_dir)
    files = [os.path.join(pages_dir, p["file"]) for p in manifest["pages"]]
    n = len(files)
    report = {"pages_dir": pages_dir, "generator": manifest.get("generator"),
              "seed": manifest.get("seed"), "page_count": n, "jobs": args.jobs,
              "host_cpus": os.cpu_count(), "tools": {}}

    # a) station
    station_measure, station_results = run_station(args.station, files, args.jobs,
                                                   os.path.join(out, "station"), "bench")
    station = {"measure": station_measure}
    if station_results:
        station["score"] = score(manifest, station_view(station_results))
        station["raw_pages"] = {k[0]: v for k, v in station_results.items()}
    report["tools"]["station"] = station

    # b) OCRmyPDF
    if not args.skip_ocrmypdf:
        measure, texts, out_pdf = run_ocrmypdf(files, args.jobs, os.path.join(out, "ocrmypdf"),
                                               "bench")
        tool = {"measure": measure}
        if texts is not None:
            decisions = ocrmypdf_orientations(out_pdf, files, os.path.join(out, "ocrmypdf"))
            view = {}
            for i, entry in enumerate(manifest["pages"]):
                if i < len(texts):
                    view[entry["file"]] = {"text": texts[i], "orientation": decisions[i][1],
                                           "pdf_rotate": decisions[i][0]}
            tool["score"] = score(manifest, view)
        report["tools"]["ocrmypdf"] = tool

    # c) plain tesseract
    if not args.skip_tesseract:
        measure, texts = run_tesseract(files, os.path.join(out, "tesseract"))
        view = {name: {"text": text} for name, text in texts.items()}
        report["tools"]["tesseract"] = {"measure": measure, "score": score(manifest, view)}

    # Real scans, a separate section.
    if not args.skip_real_scans:
        report["real_scans"] = real_scans(args, out)

    summarise(report, manifest)
    path = os.path.join(out, "ocr_bench.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    print(f"\nEverything, per page too: {path}")
    return 0


def per_page_seconds(tool, n):
    m = tool.get("measure", {})
    if m.get("returncode") != 0 or n == 0:
        return None
    return m["seconds"] / n


def summarise(report, manifest):
    n = report["page_count"]
    tools = report["tools"]
    names = [t for t in ("station", "ocrmypdf", "tesseract") if t in tools]
    titles = {"station": "station", "ocrmypdf": "OCRmyPDF", "tesseract": "tesseract 1 thread"}
    sp = {t: per_page_seconds(tools[t], n) for t in names}
    sc = {t: tools[t].get("score", {}) for t in names}

    print(f"\n=== OCR benchmark: {n} generated pages ({manifest.get('generator')}, seed "
          f"{manifest.get('seed')}), --jobs {report['jobs']}, {report['host_cpus']} CPUs ===")
    for t in names:
        m = tools[t]["measure"]
        if m.get("returncode") != 0 or m.get("error"):
            print(f"{titles[t]}: FAILED: {m.get('error') or 'exit ' + str(m.get('returncode'))}")
    header = ["measure"] + [titles[t] for t in names] + ["target", "station"]
    rows = []

    def row(label, values, target="", ok=None):
        rows.append([label] + values + [target, verdict(ok) if target else ""])

    def memory(t, key):
        m = tools[t]["measure"]
        return fmt(m.get(key) if m.get("returncode") == 0 else None, ".0f", " MB")

    row("seconds per page", [fmt(sp[t], ".2f", " s") for t in names])
    row("peak memory, tree RSS", [memory(t, "peak_tree_mb") for t in names],
        f"< {TARGET_PEAK_MB} MB ({TARGET_PEAK_PAGES} p.)",
        None if sp.get("station") is None else
        tools["station"]["measure"]["peak_tree_mb"] < TARGET_PEAK_MB)
    row("peak memory, ru_maxrss", [memory(t, "ru_maxrss_mb") for t in names])
    text_pages = sum(1 for e in manifest["pages"] if e["text"])
    letters = sum(1 for e in manifest["pages"] if e["kind"] == "letter")
    cer_station = sc.get("station", {}).get("cer_mean")
    row(f"CER mean ({text_pages} text pages)", [fmt_pct(sc[t].get("cer_mean")) for t in names],
        f"<= {100 * TARGET_CER:.0f} %", None if cer_station is None else cer_station <= TARGET_CER)
    row("CER worst page", [f"{fmt_pct(sc[t].get('cer_worst'))} {sc[t].get('cer_worst_page', '')}"
                           .strip() for t in names])

    def orient_cell(s):
        if "orientation_pages" not in s:
            return "n/a"
        return f"{s['orientation_correct']}/{s['orientation_pages']}"
    so = sc.get("station", {})
    row("orientation correct", [orient_cell(sc[t]) for t in names], "100 %",
        None if "orientation_pages" not in so else
        so["orientation_correct"] == so["orientation_pages"])
    row(f"skew mean abs error ({letters} letters)",
        [fmt(sc[t].get("skew_mae"), ".3f", "°") for t in names], f"<= {TARGET_SKEW_MAE}°",
        None if so.get("skew_mae") is None else
        so["skew_mae"] <= TARGET_SKEW_MAE and not so.get("skew_missing"))
    row("skew max error", [fmt(sc[t].get("skew_max_error"), ".3f", "°") for t in names])
    row("blank precision / recall",
        [f"{fmt(sc[t].get('blank_precision'))} / {fmt(sc[t].get('blank_recall'))}"
         if "blank_recall" in sc[t] else "n/a" for t in names], "1.00 / 1.00",
        None if "blank_recall" not in so else
        so.get("blank_precision") == 1.0 and so.get("blank_recall") == 1.0)
    row("chars on pages without text",
        [str(sc[t].get("spurious_chars_on_textless_pages", "n/a")) for t in names])
    blank = [""] * len(names)
    if sp.get("station") and sp.get("ocrmypdf"):
        ratio = sp["ocrmypdf"] / sp["station"]
        report["throughput_vs_ocrmypdf"] = ratio
        row("throughput station / OCRmyPDF", [f"{ratio:.2f} x"] + blank[1:],
            f">= {TARGET_THROUGHPUT_VS_OCRMYPDF:.0f} x", ratio >= TARGET_THROUGHPUT_VS_OCRMYPDF)
    if sp.get("station") and sp.get("tesseract"):
        ratio = sp["station"] / sp["tesseract"]
        report["time_vs_tesseract"] = ratio
        row("s/page station / tesseract", [f"{ratio:.2f}"] + blank[1:],
            f"<= {TARGET_TIME_VS_TESSERACT}", ratio <= TARGET_TIME_VS_TESSERACT)
    print()
    print_table(rows, header)
    if n < TARGET_PEAK_PAGES:
        print(f"\nThe memory target is for a {TARGET_PEAK_PAGES}-page batch; this run had {n}. "
              f"For it: --count {TARGET_PEAK_PAGES} --skip-ocrmypdf --skip-tesseract.")
    report["table"] = [dict(zip(header, r)) for r in rows]

    for t in names:
        s = sc[t]
        if not s:
            continue
        details = []
        if s.get("orientation_wrong"):
            details.append("orientation wrong: " + ", ".join(s["orientation_wrong"]))
        if s.get("blank_wrong"):
            details.append("blank wrong: " + ", ".join(s["blank_wrong"]))
        if s.get("cer_by_font"):
            details.append("CER by font: " + ", ".join(f"{k} {fmt_pct(v)}"
                                                       for k, v in s["cer_by_font"].items()))
        worst = sorted((r for r in s["pages"] if r.get("cer") is not None),
                       key=lambda r: -r["cer"])[:5]
        details.append("worst CER: " + ", ".join(f"{r['file']} {fmt_pct(r['cer'])}"
                                                 for r in worst))
        print(f"\n{titles[t]}:")
        for d in details:
            print("  " + d)

    real = report.get("real_scans")
    if real:
        print("\n=== Real scans (../shared/testdata/scans) ===")
        for line in real.get("lines", []):
            print(line)


def real_scans(args, out):
    """The station (and OCRmyPDF, tesseract) on linn.png, cardinal.pdf and skew.pdf."""
    scans = os.path.abspath(args.scans)
    work = os.path.join(out, "realscans")
    os.makedirs(work, exist_ok=True)
    needed = ["linn.png", "linn.txt", "cardinal.pdf", "skew.pdf"]
    missing = [f for f in needed if not os.path.exists(os.path.join(scans, f))]
    if missing:
        return {"lines": [f"skipped: {', '.join(missing)} not in {scans}"]}
    truth = read_text(os.path.join(scans, "linn.txt"))
    for old in glob.glob(os.path.join(work, "*.png")):
        os.remove(old)
    for pdf, prefix in (("cardinal.pdf", "cardinal"), ("skew.pdf", "skew")):
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", os.path.join(scans, pdf),
                        os.path.join(work, prefix)], check=True)
    cardinal = sorted(glob.glob(os.path.join(work, "cardinal-*.png")))
    skew_page = sorted(glob.glob(os.path.join(work, "skew-*.png")))[0]
    linn = os.path.join(scans, "linn.png")
    result = {"cardinal_expected_orientation": CARDINAL_ORIENTATION,
              "skew_pdf_placement_degrees": SKEW_PDF_PLACEMENT_DEGREES}
    lines = []
    measure, pages = run_station(args.station, [linn] + cardinal + [skew_page], args.jobs,
                                 work, "station")
    result["station_measure"] = measure
    failure = f": {measure['error']}" if measure.get("error") else ""
    lines.append(f"station ({measure['seconds']:.1f} s for {2 + len(cardinal)} pages, exit "
                 f"{measure['returncode']}{failure})")

    def get(path):
        return pages.get((os.path.basename(path), 1))
    p = get(linn)
    if p:
        c = metrics.cer(p.get("text") or "", truth)
        result["station_linn_cer"] = c
        lines.append(f"  linn.png CER {fmt_pct(c)} (English two-column text; read with the "
                     f"station's languages)")
    correct = 0
    for i, path in enumerate(cardinal):
        p = get(path)
        if not p:
            lines.append(f"  {os.path.basename(path)}: missing in the station's output")
            continue
        o = (p.get("orientation") or {}).get("degrees")
        ok = o is not None and not metrics.orientation_error(o, CARDINAL_ORIENTATION[i])
        correct += ok
        c = metrics.cer(p.get("text") or "", truth)
        result.setdefault("station_cardinal", []).append(
            {"page": i + 1, "expected": CARDINAL_ORIENTATION[i], "orientation": o,
             "cer": c})
        lines.append(f"  cardinal p{i + 1}: expected {CARDINAL_ORIENTATION[i]:3d}, got {o} "
                     f"{'ok' if ok else 'WRONG'}; CER {fmt_pct(c)}")
    lines.append(f"  cardinal orientation: {correct}/{len(cardinal)}")
    p_skew, p_linn = get(skew_page), get(linn)
    if p_skew and p_linn and p_skew.get("skew_degrees") is not None \
            and p_linn.get("skew_degrees") is not None:
        rel = p_skew["skew_degrees"] - p_linn["skew_degrees"]
        result.update(station_skew_pdf=p_skew["skew_degrees"],
                      station_skew_linn=p_linn["skew_degrees"], station_skew_relative=rel,
                      station_skew_relative_error=abs(rel - SKEW_PDF_PLACEMENT_DEGREES))
        lines.append(f"  skew.pdf: detected {p_skew['skew_degrees']:.3f}°, linn.png "
                     f"{p_linn['skew_degrees']:.3f}°; difference {rel:.3f}° against the "
                     f"placement's {SKEW_PDF_PLACEMENT_DEGREES:.3f}° (error "
                     f"{abs(rel - SKEW_PDF_PLACEMENT_DEGREES):.3f}°). The true skew of "
                     f"skew.pdf is linn.png's own (unknown) skew "
                     f"{SKEW_PDF_PLACEMENT_DEGREES:.3f}°.")
    if not args.skip_tesseract:
        m, texts = run_tesseract([linn], os.path.join(work, "tesseract"))
        c = metrics.cer(texts.get("linn.png", ""), truth)
        result.update(tesseract_linn_cer=c, tesseract_linn_seconds=m["seconds"])
        lines.append(f"tesseract: linn.png CER {fmt_pct(c)} in {m['seconds']:.1f} s")
    if not args.skip_ocrmypdf:
        m, texts, out_pdf = run_ocrmypdf([os.path.join(scans, "cardinal.pdf")], args.jobs,
                                         work, "cardinal")
        result["ocrmypdf_measure"] = m
        if texts is not None:
            decisions = ocrmypdf_orientations(out_pdf, cardinal, work)
            ok = 0
            for i, (rot, decided) in enumerate(decisions):
                good = decided is not None and not metrics.orientation_error(
                    decided, CARDINAL_ORIENTATION[i])
                ok += good
                c = metrics.cer(texts[i], truth) if i < len(texts) else None
                result.setdefault("ocrmypdf_cardinal", []).append(
                    {"page": i + 1, "expected": CARDINAL_ORIENTATION[i], "orientation": decided,
                     "pdf_rotate": rot, "cer": c})
                lines.append(f"OCRmyPDF cardinal p{i + 1}: expected "
                             f"{CARDINAL_ORIENTATION[i]:3d}, got {decided} "
                             f"{'ok' if good else 'WRONG'}; CER {fmt_pct(c)}")
            lines.append(f"OCRmyPDF cardinal: {m['seconds']:.1f} s for 4 pages, orientation "
                         f"{ok}/{len(decisions)}")
    result["lines"] = lines
    return result


if __name__ == "__main__":
    sys.exit(main())
