#!/usr/bin/python3
"""Journalising proposal benchmark (issue #7): on a generated batch of Danish letters, how
often does the station propose the right split, the right case and a title that passes its
own title check, and how often does it propose a wrong case?

In one run, on one private journal:
  1. scripts/batchgen.py --make-spec N: the letters and the test journal's cases (a third
     with a case reference, a third with only a CPR number, a third with neither, which get
     a cover sheet; some separators, multi-page letters, duplex blank backs, letters upside
     down, one letter quoting another citizen's case with its own CPR, citizens with two
     open cases);
  2. `station case import`, `station sheets cover|separator` (the station's own sheets,
     rasterised with pdftoppm at the batch resolution), batchgen --spec: one multi-page TIFF;
  3. `station import` (OCR, split, case and title proposal) and `station batch show --json`;
  4. the proposal compared with the generator's ground truth.

The peer, measured on the same OCR text (the saved page analyses): one document per
non-blank page and the first text match of any configured case-number pattern as the case
(no cue, no journal lookup, no party check), the way a plain "barcode or regex" splitter
would file. Ratios are station / peer.

Prints a table and writes OUT/journalise_bench.json. Never run by the tests.

    /usr/bin/python3 bench/journalise_bench.py [--station build/bin/station] [--letters 40]
        [--seed 11] [--dpi 300] [--out bench/out]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BATCHGEN = os.path.join(ROOT, "scripts", "batchgen.py")

# The default case-number patterns (config/config.cc: SBSYS and KK), for the peer.
PEER_PATTERNS = [r"\b\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,6}-\d{2}\b", r"\b\d{4}-\d{7}\b"]


def run(cmd, env, check=True, timeout=3600):
    started = time.monotonic()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode not in (0, 6):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r, time.monotonic() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--station", default=os.path.join(ROOT, "build", "bin", "station"))
    ap.add_argument("--letters", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--received", default="2026-11-02")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="journalise-bench-")
    env = dict(os.environ)
    env.update({"HOME": work, "XDG_DATA_HOME": os.path.join(work, "data"),
                "XDG_CONFIG_HOME": os.path.join(work, "config")})
    env.pop("STATION_CONFIG", None)
    station = os.path.abspath(args.station)

    spec_file = os.path.join(work, "spec.json")
    cases_file = os.path.join(work, "cases.json")
    run(["/usr/bin/python3", BATCHGEN, "--make-spec", str(args.letters), "--seed",
         str(args.seed), "--spec-out", spec_file, "--cases-out", cases_file,
         "--received", args.received], env)
    run([station, "case", "import", cases_file], env)

    spec = json.load(open(spec_file, encoding="utf-8"))
    spec["dpi"] = args.dpi
    sheets = {}

    def sheet_image(kind, ref=None):
        key = (kind, ref)
        if key in sheets:
            return sheets[key]
        pdf = os.path.join(work, f"sheet-{len(sheets)}.pdf")
        cmd = [station, "sheets", "separator", "--out", pdf] if kind == "separator" else \
            [station, "sheets", "cover", "--case", ref, "--out", pdf]
        run(cmd, env)
        prefix = pdf[:-4]
        run(["/usr/bin/pdftoppm", "-r", str(args.dpi), "-gray", "-png", "-singlefile", pdf,
             prefix], env)
        sheets[key] = prefix + ".png"
        return sheets[key]

    for letter in spec["letters"]:
        before = letter.get("before")
        if not before:
            continue
        if "cover_for" in before:
            ref = spec["cases"][before["cover_for"]]["reference"]
            before["image"] = sheet_image("cover", ref)
        elif before.get("separator"):
            before["image"] = sheet_image("separator")
    json.dump(spec, open(spec_file, "w", encoding="utf-8"), ensure_ascii=False, indent=1)

    tiff = os.path.join(work, "post.tif")
    truth_file = os.path.join(work, "truth.json")
    run(["/usr/bin/python3", BATCHGEN, "--spec", spec_file, "--out", tiff, "--truth",
         truth_file, "--jobs", "2"], env)
    truth = json.load(open(truth_file, encoding="utf-8"))

    r, import_s = run([station, "import", tiff, "--received", args.received], env)
    m = re.search(r"Batch (\d{8}-\d{6}-[0-9a-f]{4})", r.stdout)
    if not m:
        sys.exit("no batch id in the import output:\n" + r.stdout + r.stderr)
    batch = m.group(1)
    r, _ = run([station, "batch", "show", batch, "--json"], env)
    shown = json.loads(r.stdout)

    # Ground truth: each letter's non-sheet frames (1-based seqs).
    letters = truth["letters"]
    docs = shown["documents"]
    doc_by_first = {d["pages"][0]: d for d in docs if d["pages"]}

    def frames_with_backs(i):
        # The letter's pages and their blank backs; a sheet's blank back stays with the sheet.
        pages = truth["pages"]
        return [p["index"] + 1 for p in pages
                if p["role"] != "sheet" and p.get("unit") == i
                and not (p.get("back_of") is not None and pages[p["back_of"]]["role"] == "sheet")]

    split_right = 0
    case_stats = {"cue": 0, "right": 0, "wrong": 0, "none": 0}
    wrong_any = 0
    ambiguous = {"total": 0, "listed_not_guessed": 0}
    blocked = {"total": 0, "blocked": 0}
    titles = {"total": 0, "accepted": 0, "equal_expected": 0}
    per_letter = []
    for i, letter in enumerate(letters):
        expected_pages = frames_with_backs(i)
        doc = next((d for d in docs if d["pages"] == expected_pages), None)
        if doc is None:
            doc = doc_by_first.get(expected_pages[0]) if expected_pages else None
        else:
            split_right += 1
        expected = (letter.get("expected_case") or {}).get("reference")
        proposed = (doc or {}).get("proposed_case") or {}
        proposed_ref = proposed.get("reference")
        row = {"letter": i, "cue": letter["cue"], "expected": expected, "proposed": proposed_ref,
               "split_ok": doc is not None and doc["pages"] == expected_pages}
        if letter.get("expect_blocked"):
            blocked["total"] += 1
            # Blocked: the party check refuses the proposed case, or the conflict leaves
            # nothing proposed (journalising then needs the operator's --case, which the
            # party check refuses for the referenced case).
            blocked["blocked"] += int(bool(doc and (doc["party_blocked"] or
                                                    doc["proposed_case"] is None)))
        elif letter["cue"] in ("cover", "reference"):
            case_stats["cue"] += 1
            if proposed_ref is None:
                case_stats["none"] += 1
            elif proposed_ref == expected:
                case_stats["right"] += 1
            else:
                case_stats["wrong"] += 1
        if letter.get("ambiguous"):
            ambiguous["total"] += 1
            listed = {c["reference"] for c in (doc or {}).get("candidates", [])}
            if proposed_ref is None and set(letter.get("candidates", [])) <= listed:
                ambiguous["listed_not_guessed"] += 1
        if proposed_ref is not None and expected is not None and proposed_ref != expected:
            wrong_any += 1
        if doc is not None:
            titles["total"] += 1
            titles["accepted"] += int(not doc["title_problems"])
            titles["equal_expected"] += int(doc["suggested_title"] == letter["expected_title"])
            row.update({"title": doc["suggested_title"], "expected_title": letter["expected_title"],
                        "title_problems": doc["title_problems"]})
        per_letter.append(row)

    # The peer: one document per non-blank page, the first pattern match as its case.
    spool = os.path.join(work, "data", "intake-station", "spool", batch)
    peer_right = peer_wrong = peer_split = 0
    letter_of_frame = {p["index"] + 1: p for p in truth["pages"]}
    for seq in sorted(letter_of_frame):
        page = letter_of_frame[seq]
        analysis_file = os.path.join(spool, f"{seq:06d}.json")
        if page["role"] != "letter" or not os.path.exists(analysis_file):
            continue
        text = json.load(open(analysis_file, encoding="utf-8")).get("text", "")
        letter = letters[page["letter"]]
        if page["letter_page"] == 1 and letter["pages"] == 1:
            peer_split += 1
        if page["letter_page"] != 1 or letter.get("expect_blocked") or \
                letter["cue"] not in ("cover", "reference"):
            continue
        found = None
        for pattern in PEER_PATTERNS:
            hit = re.search(pattern, text)
            if hit:
                found = hit.group(0)
                break
        expected = (letter.get("expected_case") or {}).get("reference")
        if found == expected:
            peer_right += 1
        elif found is not None:
            peer_wrong += 1

    n = len(letters)
    pct = lambda a, b: 100.0 * a / b if b else float("nan")  # noqa: E731
    result = {
        "letters": n, "pages": truth["frames"], "dpi": args.dpi, "seed": args.seed,
        "import_seconds": round(import_s, 1),
        "split_right_pct": pct(split_right, n),
        "case_with_cue": case_stats,
        "case_right_pct": pct(case_stats["right"], case_stats["cue"]),
        "wrong_case_proposals": wrong_any,
        "ambiguous": ambiguous, "blocked": blocked,
        "titles_accepted_pct": pct(titles["accepted"], titles["total"]),
        "titles_equal_expected_pct": pct(titles["equal_expected"], titles["total"]),
        "peer": {"split_right_pct": pct(peer_split, n),
                 "case_right_pct": pct(peer_right, case_stats["cue"]),
                 "wrong_case_proposals": peer_wrong},
        "per_letter": per_letter,
    }
    result["ratio_case_right"] = (result["case_right_pct"] / result["peer"]["case_right_pct"]
                                  if result["peer"]["case_right_pct"] else None)
    os.makedirs(args.out, exist_ok=True)
    out_file = os.path.join(args.out, "journalise_bench.json")
    json.dump(result, open(out_file, "w", encoding="utf-8"), ensure_ascii=False, indent=1)

    print(f"{n} letters, {truth['frames']} pages at {args.dpi} dpi; import {import_s:.0f} s")
    print(f"{'measure':44s} {'station':>10s} {'peer':>10s}")
    print(f"{'split: letters proposed as exactly their pages':44s} "
          f"{result['split_right_pct']:9.1f}% {result['peer']['split_right_pct']:9.1f}%")
    print(f"{'right case, cover sheet or reference':44s} "
          f"{result['case_right_pct']:9.1f}% {result['peer']['case_right_pct']:9.1f}%")
    print(f"{'wrong-case proposals (all letters)':44s} {wrong_any:10d} {peer_wrong:10d}")
    print(f"{'ambiguous citizens listed, not guessed':44s} "
          f"{ambiguous['listed_not_guessed']:4d} of {ambiguous['total']:<3d}")
    print(f"{'party mismatch blocked':44s} {blocked['blocked']:4d} of {blocked['total']:<3d}")
    print(f"{'suggested titles accepted by the title check':44s} "
          f"{result['titles_accepted_pct']:9.1f}%")
    print(f"{'suggested titles equal to the expected title':44s} "
          f"{result['titles_equal_expected_pct']:9.1f}%")
    print(f"written: {out_file}")
    if args.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
