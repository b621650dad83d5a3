#!/usr/bin/python3
"""Searchable PDF/A benchmark: `station convert` against OCRmyPDF's PDF/A-2 output on the
same generated pages in the same run (issue #4).

For each tool: seconds per page, peak memory, bytes per page (the whole batch as one
document, and a single text page as its own document), the character error rate of the
text layer (pdftotext against the ground truth), and whether the file passes
`qpdf --check` and scripts/pdfa_check.py. Prints a table with the targets; writes
everything to OUT/pdf_bench.json. Never run by the tests.

    /usr/bin/python3 bench/pdf_bench.py [--station build/bin/station] [--out bench/out]
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import metrics  # noqa: E402
import ocr_bench as ob  # noqa: E402

CHECKER = os.path.join(ROOT, "scripts", "pdfa_check.py")


def page_texts(pdf):
    """The text layer of every page, in the content stream's order (pdftotext -raw)."""
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True)
    pages = int([l for l in out.stdout.splitlines() if l.startswith("Pages:")][0].split()[1])
    texts = []
    for n in range(1, pages + 1):
        r = subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), "-enc", "UTF-8",
                            pdf, "-"], capture_output=True, check=True)
        texts.append(r.stdout.decode("utf-8", errors="replace"))
    return texts


def validity(pdf):
    """qpdf --check and the PDF/A checker: {"qpdf": bool, "pdfa": bool, "violations": [...]}"""
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    result = {"qpdf": q.returncode == 0}
    if os.path.exists(CHECKER):
        c = subprocess.run(["/usr/bin/python3", CHECKER, "--json", pdf], capture_output=True,
                           text=True)
        try:
            report = json.loads(c.stdout)
            result["pdfa"] = bool(report.get("ok"))
            result["violations"] = sorted({v["rule"] for v in report.get("violations", [])})
        except ValueError:
            result["pdfa"] = False
            result["violations"] = ["checker failed: " + c.stderr.strip()[-200:]]
    return result


def cer_scores(manifest, texts):
    """Mean and worst CER over the pages with ground-truth text."""
    scores = []
    for page, text in zip(manifest["pages"], texts):
        truth = page.get("text", "")
        if truth:
            scores.append((metrics.cer(truth, text), page["file"]))
    if not scores:
        return None, None
    mean = sum(s for s, _ in scores) / len(scores)
    return mean, max(scores)


def run_station(station, images, jobs, out_dir, label):
    pdf = os.path.join(out_dir, f"{label}.pdf")
    report = os.path.join(out_dir, f"{label}-report.json")
    cmd = [station, "convert", "--jobs", str(jobs), "-o", pdf, "--json", report] + images
    print(f"station: convert {len(images)} page(s) -> {pdf}")
    m = ob.run_measured(cmd, os.path.join(out_dir, f"{label}.stdout"),
                        os.path.join(out_dir, f"{label}.stderr"))
    m["command"] = f"{station} convert --jobs {jobs} -o OUT.pdf --json REPORT PAGES..."
    if m["returncode"] != 0:
        m["error"] = ob.tail(os.path.join(out_dir, f"{label}.stderr"))
        return m, None
    m["bytes"] = os.path.getsize(pdf)
    return m, pdf


def run_ocrmypdf(images, jobs, out_dir, label):
    in_pdf = os.path.join(out_dir, f"{label}-in.pdf")
    pdf = os.path.join(out_dir, f"{label}.pdf")
    subprocess.run(["img2pdf", "-o", in_pdf] + images, check=True)
    cmd = ["ocrmypdf", "--output-type", "pdfa-2", "-l", "dan", "--rotate-pages", "--deskew",
           "--jobs", str(jobs), in_pdf, pdf]
    print(f"ocrmypdf: {' '.join(cmd[:10])} ({len(images)} page(s))")
    m = ob.run_measured(cmd, os.path.join(out_dir, f"{label}.stdout"),
                        os.path.join(out_dir, f"{label}.stderr"))
    m["command"] = " ".join(cmd[:10]) + " in.pdf out.pdf"
    if m["returncode"] != 0:
        m["error"] = ob.tail(os.path.join(out_dir, f"{label}.stderr"))
        return m, None
    m["bytes"] = os.path.getsize(pdf)
    return m, pdf


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--station", default=os.path.join(ROOT, "build", "bin", "station"))
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--pages", help="pages from scripts/pagegen.py (default: generate)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=51)
    ap.add_argument("--skip-ocrmypdf", action="store_true")
    args = ap.parse_args(argv)

    pages_dir = args.pages or os.path.join(args.out, "pages")
    if not args.pages:
        ob.ensure_pages(pages_dir, args.seed, args.count, args.jobs)
    manifest = ob.load_manifest(pages_dir)
    images = [os.path.join(pages_dir, p["file"]) for p in manifest["pages"]]
    n = len(images)
    work = os.path.join(args.out, "pdf")
    os.makedirs(work, exist_ok=True)
    # A typical single text page: the first upright letter.
    single = next(p for p in manifest["pages"]
                  if p["kind"] == "letter" and p["orientation"] == 0)
    single_image = [os.path.join(pages_dir, single["file"])]

    tools = {}
    m, pdf = run_station(args.station, images, args.jobs, work, "station")
    s1, s1_pdf = run_station(args.station, single_image, args.jobs, work, "station-single")
    tools["station"] = {"batch": m, "single": s1, "pdf": pdf, "single_pdf": s1_pdf}
    if not args.skip_ocrmypdf:
        m, pdf = run_ocrmypdf(images, args.jobs, work, "ocrmypdf")
        s1, s1_pdf = run_ocrmypdf(single_image, args.jobs, work, "ocrmypdf-single")
        tools["ocrmypdf"] = {"batch": m, "single": s1, "pdf": pdf, "single_pdf": s1_pdf}

    for name, t in tools.items():
        if t["pdf"]:
            t["texts"] = page_texts(t["pdf"])
            t["cer_mean"], t["cer_worst"] = cer_scores(manifest, t["texts"])
            t["valid"] = validity(t["pdf"])
        if t["single_pdf"]:
            t["single_valid"] = validity(t["single_pdf"])

    rows = []
    def cell(name, f):
        t = tools.get(name)
        if not t or not t.get("pdf"):
            return "failed" if t else "-"
        return f(t)
    names = [k for k in ("station", "ocrmypdf") if k in tools]
    header = ["measure"] + names + ["target"]
    rows.append(["seconds per page"] + [cell(k, lambda t: f"{t['batch']['seconds'] / n:.2f} s")
                                        for k in names] + [""])
    rows.append(["peak memory (process tree)"] +
                [cell(k, lambda t: f"{t['batch']['peak_tree_mb']:.0f} MB") for k in names] + [""])
    rows.append([f"bytes per page ({n}-page document)"] +
                [cell(k, lambda t: f"{t['batch']['bytes'] / n / 1024:.1f} KB") for k in names] +
                [""])
    rows.append([f"one text page as a document ({single['file']})"] +
                [cell(k, lambda t: f"{t['single']['bytes'] / 1024:.1f} KB"
                      if t.get("single_pdf") else "failed") for k in names] + ["<= 60 KB"])
    rows.append(["text layer CER, mean of text pages"] +
                [cell(k, lambda t: f"{100 * t['cer_mean']:.2f} %") for k in names] + ["<= 1 %"])
    rows.append(["text layer CER, worst page"] +
                [cell(k, lambda t: f"{100 * t['cer_worst'][0]:.2f} % {t['cer_worst'][1]}")
                 for k in names] + [""])
    rows.append(["qpdf --check"] + [cell(k, lambda t: "ok" if t["valid"]["qpdf"] else "FAIL")
                                    for k in names] + ["ok"])
    rows.append(["scripts/pdfa_check.py"] +
                [cell(k, lambda t: "ok" if t["valid"].get("pdfa") else
                      "FAIL rules " + ",".join(map(str, t["valid"].get("violations", []))))
                 for k in names] + ["ok"])
    if "ocrmypdf" in tools and tools["ocrmypdf"].get("pdf") and tools["station"].get("pdf"):
        ratio = tools["ocrmypdf"]["batch"]["seconds"] / tools["station"]["batch"]["seconds"]
        rows.append(["speed station / OCRmyPDF", f"{ratio:.2f} x", "", ">= 5 x"])

    print(f"\n=== PDF/A benchmark: {n} generated pages "
          f"({manifest.get('generator', '?')}, seed {manifest.get('seed')}), "
          f"--jobs {args.jobs} ===\n")
    ob.print_table(rows, header)
    for name, t in tools.items():
        if not t.get("pdf"):
            print(f"{name}: failed: {t['batch'].get('error', '')}")
    out_json = os.path.join(args.out, "pdf_bench.json")
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump({"pages": n, "jobs": args.jobs, "tools": tools, "table": rows}, f,
                  indent=2, ensure_ascii=False)
    print(f"\nEverything: {out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
