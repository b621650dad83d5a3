#!/usr/bin/python3
"""Self-test of scripts/batchgen.py (ctest: batchgen_selftest, unit).

Renders a three-letter batch at 150 dpi (a two-page letter with blank backs, an upside-down
letter, a letter after a provided sheet image) and checks the TIFF against its ground
truth: frame count and resolution, page roles against the pixels (blank backs near-white,
the upside-down page's text mass in the lower half, the sheet image scaled to the batch
resolution), the truth's internal consistency; a bilevel G4 variant; that --make-spec is
deterministic for a seed and its cases file has the columns `station case import` needs,
with CPR numbers and names that match the letters; and that bad specs are refused with a
message naming the field. About half a minute on a busy machine.

    /usr/bin/python3 scripts/batchgen_selftest.py [-v]
"""

import contextlib
import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image, ImageDraw

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import batchgen  # noqa: E402

BATCHGEN = os.path.join(HERE, "batchgen.py")
DPI = 150
SHEET_DPI = 200  # the provided sheet image is at another resolution, to be scaled
# The dark square of the sheet image, in sheet pixels.
SQUARE = (600, 200, 1054, 654)


def run(*args):
    return subprocess.run([sys.executable, BATCHGEN, *args], capture_output=True, text=True)


def run_here(*args):
    """batchgen.main in this process (no interpreter start-up): (exit code, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = batchgen.main(list(args))
    return code, err.getvalue()


def small_spec(sheet_path):
    return {
        "seed": 5, "dpi": DPI,
        "cases": [
            {"system": "SBSYS", "reference": "27.24.00-G01-5-19", "title": "Boligstøtte",
             "status": "open", "kle_subject": "27.24.00", "kle_facet": "G01",
             "party": {"kind": "person", "name": "Mette Jensen", "cpr": "0503891237",
                       "role": "part"}},
            {"system": "KK", "reference": "2024-0123456", "title": "Hjemmehjælp",
             "status": "open",
             "party": {"kind": "person", "name": "Søren Østergaard", "cpr": "1203452346",
                       "role": "part"}}],
        "letters": [
            {"sender": "Mette Jensen", "sender_address": ["Østergade 12", "8000 Aarhus C"],
             "place": "Aarhus", "date_text": "den 11. januar 2026", "doc_kind": "klage",
             "subject": "afslag på boligstøtte", "topic": "boligstøtte",
             "reference_line": "Jeres sagsnr.: 27.24.00-G01-5-19", "pages": 2,
             "blank_backs": True, "case": 0},
            {"sender": "Søren Østergaard", "sender_address": ["Møllevej 3", "8200 Aarhus N"],
             "date_text": "Kbh. d. 11/1-2026", "doc_kind": "anmodning",
             "subject_marker": "Angående:", "subject": "revurdering af hjemmehjælp",
             "cpr_line": "CPR-nr.: 120345-2346", "upside_down": True, "case": 1,
             "body_paragraphs": ["Min mor har brug for mere hjælp til bad og påklædning.",
                                 "På forhånd tak for hjælpen."]},
            {"sender": "Mette Jensen", "sender_address": ["Østergade 12", "8000 Aarhus C"],
             "date": "2026-01-20", "doc_kind": "brev", "subject_marker": "Emne:",
             "subject": "nye lønsedler", "topic": "boligstøtte",
             "before": {"image": os.path.basename(sheet_path)}, "case": 0}],
    }


def cpr_birth_date(cpr):
    """The birth date by DOMAIN.md section 5's century rule (raises on an invalid date)."""
    yy, digit7 = int(cpr[4:6]), int(cpr[6])
    if digit7 <= 3 or (digit7 in (4, 9) and yy >= 37):
        century = 1900
    elif digit7 in (4, 9) or yy <= 57:
        century = 2000
    else:
        century = 1800
    return datetime.date(century + yy, int(cpr[2:4]), int(cpr[0:2]))


def frames(path):
    out = []
    with Image.open(path) as im:
        for k in range(im.n_frames):
            im.seek(k)
            out.append((im.copy(), dict(im.tag_v2)))
    return out


def dark_fraction(img):
    return float((np.asarray(img.convert("L")) < 128).mean())


class RenderedBatchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        sheet = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
        ImageDraw.Draw(sheet).rectangle(SQUARE, fill=0)
        cls.sheet_path = os.path.join(d, "sheet.png")
        sheet.save(cls.sheet_path, dpi=(SHEET_DPI, SHEET_DPI))
        cls.spec_path = os.path.join(d, "spec.json")
        with open(cls.spec_path, "w", encoding="utf-8") as f:
            json.dump(small_spec(cls.sheet_path), f, ensure_ascii=False)
        cls.tif = os.path.join(d, "batch.tif")
        cls.truth_path = os.path.join(d, "truth.json")
        r = run("--spec", cls.spec_path, "--out", cls.tif, "--truth", cls.truth_path)
        assert r.returncode == 0, r.stderr
        with open(cls.truth_path, encoding="utf-8") as f:
            cls.truth = json.load(f)
        cls.frames = frames(cls.tif)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_frame_count_roles_and_resolution_follow_the_spec(self):
        # Letter 0: 2 pages each with a back; letter 1: 1 page; letter 2: sheet + 1 page.
        roles = [p["role"] for p in self.truth["pages"]]
        self.assertEqual(roles, ["letter", "blank_back", "letter", "blank_back", "letter",
                                 "sheet", "letter"])
        self.assertEqual(len(self.frames), len(roles))
        self.assertEqual(self.truth["frames"], len(roles))
        for img, tags in self.frames:
            self.assertEqual(img.mode, "L")
            self.assertEqual(tags.get(259), 5)  # LZW
            self.assertAlmostEqual(float(tags[282]), DPI)
            self.assertAlmostEqual(float(tags[283]), DPI)
            self.assertEqual(tags.get(296), 2)  # inches

    def test_blank_backs_are_near_white_and_letters_are_not(self):
        for page, (img, _) in zip(self.truth["pages"], self.frames):
            a = np.asarray(img, np.float32)
            if page["role"] == "blank_back":
                self.assertEqual(page["text"], "")
                self.assertLess(dark_fraction(img), 0.0002, page)
                self.assertGreater(a.mean(), 225, page)
                self.assertLess(a.std(), 6, page)
            elif page["role"] == "letter":
                self.assertGreater(dark_fraction(img), 0.004, page)
                self.assertTrue(page["text"])

    def test_upside_down_page_has_its_text_mass_in_the_lower_half(self):
        for page, (img, _) in zip(self.truth["pages"], self.frames):
            if page["role"] != "letter":
                continue
            ys, _ = np.nonzero(np.asarray(img) < 128)
            centre = ys.mean() / img.height
            if page["rotated_180"]:
                self.assertGreater(centre, 0.55, page["index"])
            else:
                self.assertLess(centre, 0.5, page["index"])
        self.assertEqual([p["rotated_180"] for p in self.truth["pages"]],
                         [False, False, False, False, True, False, False])

    def test_provided_sheet_is_scaled_to_the_batch_resolution(self):
        index = next(p["index"] for p in self.truth["pages"] if p["role"] == "sheet")
        img = self.frames[index][0]
        scale = DPI / SHEET_DPI
        self.assertLessEqual(abs(img.width - round(1654 * scale)), 1)
        self.assertLessEqual(abs(img.height - round(2339 * scale)), 1)
        x0, y0, x1, y1 = (round(v * scale) for v in SQUARE)
        inner = np.asarray(img)[y0 + 10:y1 - 10, x0 + 10:x1 - 10]
        self.assertLess(inner.mean(), 80)
        self.assertTrue(0.04 < dark_fraction(img) < 0.07)  # the square, little else
        sheet = self.truth["pages"][index]["sheet"]
        self.assertEqual(sheet["kind"], "image")
        self.assertEqual(sheet["before_letter"], 2)

    def test_truth_is_consistent(self):
        pages = self.truth["pages"]
        self.assertEqual([p["index"] for p in pages], list(range(len(pages))))
        for p in pages:
            if p["role"] == "blank_back":
                self.assertEqual(p["back_of"], p["index"] - 1)
                self.assertNotEqual(pages[p["back_of"]]["role"], "blank_back")
            self.assertLessEqual(abs(p["skew_degrees"]), 1.0)
        letters = self.truth["letters"]
        self.assertEqual(len(letters), 3)
        for t in letters:
            own = [p for p in pages if p["letter"] == t["index"] and p["role"] == "letter"]
            self.assertEqual([p["letter_page"] for p in own], list(range(1, t["pages"] + 1)))
            self.assertEqual(t["first_frame"], own[0]["index"])
            self.assertEqual(sorted(t["frames"]), t["frames"])
            for p in own:
                footer = f"Side {p['letter_page']} af {t['pages']}"
                self.assertEqual(footer in p["text"], t["pages"] > 1)
            first_text = own[0]["text"]
            self.assertIn(t["sender"], first_text)
            self.assertIn(batchgen.date_line(t), first_text)
        self.assertIn("Jeres sagsnr.: 27.24.00-G01-5-19", pages[0]["text"])
        self.assertIn("Med venlig hilsen", pages[2]["text"])
        self.assertNotIn("Med venlig hilsen", pages[0]["text"])
        self.assertIn("klage over afslag på boligstøtte", pages[0]["text"].replace("\n", " "))
        first, second, third = letters
        self.assertEqual(first["letter_date"], "2026-01-11")
        self.assertEqual(second["letter_date"], "2026-01-11")  # from "Kbh. d. 11/1-2026"
        self.assertEqual(first["expected_title"],
                         "Klage fra Mette Jensen af 11. januar 2026 om afslag på boligstøtte")
        self.assertEqual((first["cue"], first["expected_case"]["reference"]),
                         ("reference", "27.24.00-G01-5-19"))
        self.assertEqual((second["cue"], second["candidates"], second["expect_blocked"]),
                         ("cpr", ["2024-0123456"], False))
        self.assertEqual(second["identity_number"], "1203452346")
        self.assertEqual(third["expected_case"]["reference"], "27.24.00-G01-5-19")


class DeterminismTest(unittest.TestCase):
    def test_same_spec_gives_the_same_pixels_and_truth_with_any_job_count(self):
        spec = {"seed": 9, "dpi": 100, "letters": [
            {"sender": "Ida Holm", "date": "2026-02-03", "subject": "skoleskift",
             "doc_kind": "ansøgning", "topic": "skoleskift", "blank_backs": True},
            {"sender": "Ole Lund", "date_text": "3.2.26", "subject": "hjemmehjælp",
             "doc_kind": "klage", "topic": "hjemmehjælp", "upside_down": True}]}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(spec, f)
            outputs = []
            for jobs in ("1", "2"):
                tif, truth = os.path.join(d, f"{jobs}.tif"), os.path.join(d, f"{jobs}.json")
                r = run("--spec", path, "--out", tif, "--truth", truth, "--jobs", jobs)
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(truth, encoding="utf-8") as f:
                    outputs.append((frames(tif), json.load(f)))
        (first, truth1), (second, truth2) = outputs
        self.assertEqual(truth1, truth2)
        self.assertEqual(len(first), 3)
        self.assertEqual(len(first), len(second))
        for k, ((a, ta), (b, tb)) in enumerate(zip(first, second)):
            self.assertTrue(np.array_equal(np.asarray(a), np.asarray(b)), f"frame {k}")
            self.assertEqual(ta, tb, f"frame {k}")


class BilevelTest(unittest.TestCase):
    def test_bilevel_mode_writes_g4_frames_that_keep_the_text(self):
        with tempfile.TemporaryDirectory() as d:
            spec = {"dpi": DPI, "letters": [{"sender": "Ida Holm", "date": "2026-02-03",
                                             "subject": "skoleskift", "doc_kind": "ansøgning",
                                             "topic": "skoleskift", "blank_backs": True}]}
            path = os.path.join(d, "s.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(spec, f)
            tif = os.path.join(d, "b.tif")
            r = run("--spec", path, "--out", tif, "--truth", os.path.join(d, "t.json"),
                    "--mode", "bilevel")
            self.assertEqual(r.returncode, 0, r.stderr)
            got = frames(tif)
            self.assertEqual(len(got), 2)
            for img, tags in got:
                self.assertEqual(img.mode, "1")
                self.assertEqual(tags.get(259), 4)  # CCITT G4
            self.assertGreater(dark_fraction(got[0][0]), 0.01)
            self.assertLess(dark_fraction(got[1][0]), 0.0002)


class MakeSpecTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        for name, seed, ext in (("a", 11, "csv"), ("b", 11, "csv"), ("c", 12, "csv"),
                                ("j", 11, "json")):
            code, err = run_here("--make-spec", "24", "--seed", str(seed), "--spec-out",
                                 os.path.join(d, f"{name}.json"), "--cases-out",
                                 os.path.join(d, f"{name}-cases.{ext}"))
            assert code == 0, err
        with open(os.path.join(d, "a.json"), encoding="utf-8") as f:
            cls.spec = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, name):
        with open(os.path.join(self.tmp.name, name), "rb") as f:
            return f.read()

    def test_is_deterministic_for_a_seed_and_differs_between_seeds(self):
        self.assertEqual(self.read("a.json"), self.read("b.json"))
        self.assertEqual(self.read("a-cases.csv"), self.read("b-cases.csv"))
        self.assertNotEqual(self.read("a.json"), self.read("c.json"))

    def test_cases_csv_has_the_columns_case_import_needs_and_matches_the_letters(self):
        text = self.read("a-cases.csv").decode("utf-8")
        rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
        for column in ("system", "reference", "title", "status", "party_name", "party_cpr"):
            self.assertIn(column, rows[0])
        self.assertEqual(len(rows), len(self.spec["cases"]))
        refs = [r["reference"] for r in rows]
        self.assertEqual(len(set(refs)), len(refs))
        for row in rows:
            self.assertIn(row["system"], ("SBSYS", "KK"))
            self.assertIn(row["status"], ("open", "closed"))
            pattern = (r"\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,7}-\d{2}"
                       if row["system"] == "SBSYS" else r"20\d{2}-\d{7}")
            self.assertRegex(row["reference"], "^" + pattern + "$")
            if row["party_cpr"]:
                cpr = row["party_cpr"]
                self.assertRegex(cpr, r"^\d{10}$")
                self.assertTrue(batchgen.cpr_is_mod11(cpr), "modulus 11")
                born = cpr_birth_date(cpr)
                self.assertLess(born, datetime.date(2026, 1, 1))
            else:
                self.assertRegex(row["party_cvr"], r"^\d{8}$")
        by_cpr = {}
        for row in rows:
            if row["party_cpr"]:
                by_cpr.setdefault(row["party_cpr"], set()).add(row["party_name"])
        for letter in self.spec["letters"]:
            if letter["cpr_line"]:
                number = batchgen.digits_of(letter["cpr_line"])
                self.assertEqual(by_cpr[number], {letter["patient"] or letter["sender"]})

    def test_cases_json_has_parties(self):
        data = json.loads(self.read("j-cases.json"))
        self.assertEqual(len(data["cases"]), len(self.spec["cases"]))
        for case in data["cases"]:
            self.assertEqual(len(case["parties"]), 1)
            self.assertTrue({"system", "reference", "title", "status"} <= set(case))

    def test_batch_has_every_cue_a_blocked_and_an_ambiguous_letter(self):
        spec = self.spec
        cases = spec["cases"]
        truths = [batchgen.letter_truth(batchgen.normalise_letter(l, i, spec["seed"], cases),
                                        i, cases) for i, l in enumerate(spec["letters"])]
        cues = [t["cue"] for t in truths]
        for cue in ("cover", "reference"):
            self.assertGreaterEqual(cues.count(cue), 24 // 3 - 2, cue)
        self.assertGreaterEqual(cues.count("cpr") + cues.count("cvr"), 24 // 3 - 2)
        self.assertEqual(sum(t["expect_blocked"] for t in truths), 1)
        self.assertGreaterEqual(sum(t["ambiguous"] for t in truths), 1)
        for t, letter in zip(truths, spec["letters"]):
            self.assertIsNotNone(t["expected_case"])
            self.assertEqual(t["expected_case"]["index"], letter["case"])
            if t["cue"] == "cover":
                self.assertEqual(letter["before"], {"cover_for": letter["case"]})
                self.assertIsNone(letter["cpr_line"])
                self.assertIsNone(letter["reference_line"])
            self.assertEqual(batchgen.parse_date_text(letter["date_text"]).isoformat(),
                             letter["date"])
        self.assertTrue(any(l["upside_down"] for l in spec["letters"]))
        self.assertTrue(any(l["pages"] > 1 for l in spec["letters"]))
        self.assertTrue(any(l["blank_backs"] for l in spec["letters"]))


class BadInputTest(unittest.TestCase):
    def refuse(self, spec, *needles, extra=()):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(spec if isinstance(spec, str) else json.dumps(spec))
            out = os.path.join(d, "b.tif")
            code, err = run_here("--spec", path, "--out", out, "--truth",
                                 os.path.join(d, "t.json"), *extra)
            self.assertEqual(code, 3, err)
            for needle in needles:
                self.assertIn(needle, err)
            self.assertFalse(os.path.exists(out))

    def letter(self, **kw):
        base = {"sender": "Ida Holm", "date": "2026-02-03", "subject": "skoleskift"}
        base.update(kw)
        return {"dpi": 100, "letters": [base]}

    def test_refuses_four_pages(self):
        self.refuse(self.letter(pages=4), "letters[0].pages")

    def test_refuses_an_unreadable_date_without_iso_date(self):
        spec = self.letter(date_text="engang i foråret")
        del spec["letters"][0]["date"]
        self.refuse(spec, "letters[0].date_text")

    def test_refuses_a_cover_without_image_unless_placeholders_are_asked_for(self):
        spec = self.letter(before={"cover_for": 0})
        spec["cases"] = [{"system": "KK", "reference": "2024-0123456", "title": "Skoleskift",
                          "party": {"kind": "person", "name": "Ida Holm",
                                    "cpr": "0503891237"}}]
        self.refuse(spec, "letters[0].before", "--placeholder-sheets")

    def test_refuses_a_case_index_out_of_range(self):
        self.refuse(self.letter(case=3), "letters[0].case")

    def test_refuses_a_missing_sender_and_malformed_json(self):
        spec = self.letter()
        del spec["letters"][0]["sender"]
        self.refuse(spec, "letters[0].sender")
        self.refuse("{not json", "kan ikke læses som JSON")

    def test_refuses_a_missing_sheet_image_naming_the_file(self):
        self.refuse(self.letter(before={"image": "nowhere.png"}), "nowhere.png")


if __name__ == "__main__":
    unittest.main()
