#!/usr/bin/python3
"""Self-test of scripts/pagegen.py and bench/metrics.py (ctest: pagegen_selftest, unit).

Checks that the generator is deterministic, that its pages follow the manifest conventions
the C++ side relies on (orientation clockwise-to-upright, skew counter-clockwise, text ""
on blank pages, 300 dpi grey PNGs), that the presets have the promised composition, and
that the CER and other metrics give known values. Renders only three cheap pages, well
under ten seconds.

    /usr/bin/python3 scripts/pagegen_selftest.py [-v]
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image, ImageDraw

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "bench"))
import metrics  # noqa: E402
import pagegen  # noqa: E402

PAGEGEN = os.path.join(HERE, "pagegen.py")
# Tests preset: page 3 is a letter turned 90 degrees, page 8 the pure white page, page 9 a
# short upright line (cheap to render).
LANDSCAPE_PAGE, WHITE_PAGE, SHORT_LINE_PAGE = 3, 8, 9


def generate(out, seed=1, pages=(LANDSCAPE_PAGE, WHITE_PAGE, SHORT_LINE_PAGE)):
    subprocess.run([sys.executable, PAGEGEN, "--preset", "tests", "--out", out,
                    "--seed", str(seed), "--pages", ",".join(map(str, pages)), "--jobs", "1"],
                   check=True)
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def ink_centroid(layer, box):
    a = np.asarray(layer.crop(box), dtype=np.float64)
    ys, xs = np.nonzero(a > 64)
    return box[0] + xs.mean(), box[1] + ys.mean()


class GeneratedPagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.first = os.path.join(cls.tmp.name, "first")
        cls.second = os.path.join(cls.tmp.name, "second")
        cls.manifest = generate(cls.first)
        generate(cls.second)
        cls.pages = {p["file"]: p for p in cls.manifest["pages"]}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def page(self, number):
        return self.pages[f"p{number:03d}.png"]

    def test_same_seed_gives_identical_files(self):
        for name in sorted(os.listdir(self.first)):
            with open(os.path.join(self.first, name), "rb") as a, \
                    open(os.path.join(self.second, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    def test_other_seed_gives_other_pixels(self):
        other = os.path.join(self.tmp.name, "other")
        generate(other, seed=2, pages=(SHORT_LINE_PAGE,))
        name = f"p{SHORT_LINE_PAGE:03d}.png"
        with open(os.path.join(self.first, name), "rb") as a, \
                open(os.path.join(other, name), "rb") as b:
            self.assertNotEqual(a.read(), b.read())

    def test_pages_are_300_dpi_grey_a4(self):
        for entry in self.manifest["pages"]:
            with Image.open(os.path.join(self.first, entry["file"])) as im:
                self.assertEqual(im.mode, "L", entry["file"])
                self.assertEqual(tuple(round(d) for d in im.info["dpi"]), (300, 300))
                expected = ((3508, 2480) if entry["orientation"] in (90, 270)
                            else (2480, 3508))
                self.assertEqual(im.size, expected, entry["file"])

    def test_page_turned_90_is_landscape(self):
        entry = self.page(LANDSCAPE_PAGE)
        self.assertEqual(entry["orientation"], 90)
        with Image.open(os.path.join(self.first, entry["file"])) as im:
            self.assertGreater(im.width, im.height)

    def test_blank_page_has_empty_text_and_is_flagged(self):
        entry = self.page(WHITE_PAGE)
        self.assertTrue(entry["blank"])
        self.assertEqual(entry["text"], "")

    def test_text_has_one_line_per_rendered_line_and_no_empty_lines(self):
        for entry in self.manifest["pages"]:
            if entry["text"]:
                lines = entry["text"].split("\n")
                self.assertEqual(len(lines), entry["line_count"], entry["file"])
                self.assertTrue(all(line.strip() for line in lines), entry["file"])

    def test_manifest_has_the_documented_fields(self):
        self.assertEqual(self.manifest["dpi"], 300)
        self.assertEqual(self.manifest["seed"], 1)
        for entry in self.manifest["pages"]:
            for key in ("file", "kind", "font", "text", "orientation", "skew_degrees",
                        "blank", "barcodes"):
                self.assertIn(key, entry, entry["file"])
            self.assertIn(entry["orientation"], (0, 90, 180, 270))

    def test_subset_refuses_unknown_page_numbers(self):
        result = subprocess.run([sys.executable, PAGEGEN, "--preset", "tests", "--out",
                                 os.path.join(self.tmp.name, "bad"), "--pages", "99"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("99", result.stderr)


class ConventionsTest(unittest.TestCase):
    """The geometry the manifest promises, checked on synthetic ink layers."""

    def test_positive_skew_turns_content_counter_clockwise(self):
        layer = Image.new("L", (pagegen.A4_W, pagegen.A4_H), 0)
        ImageDraw.Draw(layer).rectangle((440, 1750, 2040, 1758), fill=255)
        turned = pagegen.geometry(layer, 5.0, 0)
        left = ink_centroid(turned, (300, 1400, 900, 2100))
        right = ink_centroid(turned, (1580, 1400, 2180, 2100))
        # Counter-clockwise on screen: the right end rises (smaller y).
        self.assertLess(right[1], left[1] - 50)

    def test_orientation_90_turns_page_counter_clockwise(self):
        layer = Image.new("L", (pagegen.A4_W, pagegen.A4_H), 0)
        ImageDraw.Draw(layer).rectangle((100, 100, 300, 300), fill=255)  # top left
        turned = pagegen.geometry(layer, 0.0, 90)
        self.assertEqual(turned.size, (pagegen.A4_H, pagegen.A4_W))
        x, y = ink_centroid(turned, (0, 0, turned.width, turned.height))
        # Turned counter-clockwise the top-left corner lands bottom left; turning the
        # result clockwise by 90 (the recorded orientation) restores the page.
        self.assertLess(x, turned.width / 4)
        self.assertGreater(y, turned.height * 3 / 4)
        restored = turned.rotate(-90, expand=True)
        self.assertEqual(np.asarray(restored).tobytes(), np.asarray(layer).tobytes())

    def test_transform_point_agrees_with_geometry(self):
        for skew, orientation in ((3.0, 0), (-4.0, 90), (2.0, 180), (7.0, 270)):
            layer = Image.new("L", (pagegen.A4_W, pagegen.A4_H), 0)
            ImageDraw.Draw(layer).ellipse((390, 590, 410, 610), fill=255)
            turned = pagegen.geometry(layer, skew, orientation)
            x, y = ink_centroid(turned, (0, 0, turned.width, turned.height))
            px, py = pagegen.transform_point(400.5, 600.5, skew, orientation)
            self.assertAlmostEqual(x, px, delta=1.5, msg=(skew, orientation))
            self.assertAlmostEqual(y, py, delta=1.5, msg=(skew, orientation))

    def test_cropped_rotation_matches_full_page_rotation(self):
        layer = Image.new("L", (pagegen.A4_W, pagegen.A4_H), 0)
        draw = ImageDraw.Draw(layer)
        for k in range(10):
            draw.rectangle((400 + 90 * k, 800 + 150 * k, 700 + 90 * k, 830 + 150 * k), fill=255)
        full = layer.rotate(4.2, resample=Image.BICUBIC, fillcolor=0)
        cropped = pagegen.rotate_ink(layer, 4.2)
        box = (0, 0, pagegen.A4_W, pagegen.A4_H)
        fx, fy = ink_centroid(full, box)
        cx, cy = ink_centroid(cropped, box)
        self.assertAlmostEqual(fx, cx, delta=0.75)
        self.assertAlmostEqual(fy, cy, delta=0.75)


class PresetPlanTest(unittest.TestCase):
    """Composition of the presets, from their plans (nothing rendered)."""

    def test_tests_preset_covers_the_listed_skews_orientations_and_kinds(self):
        specs = pagegen.tests_plan(1)
        letters = [s for s in specs if s["kind"] == "letter"]
        self.assertEqual({s["skew"] for s in letters}, {-10.0, -4.5, 0.0, 0.3, 7.0, 10.0})
        self.assertEqual({s["orientation"] for s in letters}, {0, 90, 180, 270})
        self.assertEqual({s["kind"] for s in specs},
                         {"letter", "blank_back", "white", "short_line", "signature",
                          "stamp", "barcode"})
        short = [s["orientation"] for s in specs if s["kind"] == "short_line"]
        self.assertEqual(sorted(short), [0, 180])
        formats = sorted(s["format"] for s in specs if s["kind"] == "barcode")
        self.assertEqual(formats, ["Code128", "QRCode", "QRCode"])

    def test_bench_preset_has_letters_typewriters_upside_down_and_backs(self):
        specs = pagegen.bench_plan(1, 51)
        letters = [s for s in specs if s["kind"] == "letter"]
        self.assertEqual(len(specs), 51)
        self.assertGreaterEqual(len(letters), 32)
        typewriter = [s for s in letters if s["font"] in pagegen.TYPEWRITER_FONTS]
        self.assertGreaterEqual(len(typewriter) * 5, len(letters))
        upside_down = [s for s in specs if s.get("orientation") == 180 and
                       s["kind"] != "blank_back"]
        self.assertAlmostEqual(len(upside_down) / len(specs), 1 / 8, delta=0.03)
        self.assertTrue(all(abs(s["skew"]) <= 5 for s in letters))
        for i, spec in enumerate(specs):
            if spec["kind"] == "blank_back":  # a duplex back follows its front
                self.assertIs(spec["front"], specs[i - 1])

    def test_bench_preset_honours_count(self):
        self.assertEqual(len(pagegen.bench_plan(3, 200)), 200)
        self.assertEqual(len(pagegen.bench_plan(3, 5)), 5)


class Code128Test(unittest.TestCase):
    def test_every_symbol_is_eleven_modules_and_unique(self):
        patterns = pagegen.CODE128_PATTERNS
        self.assertEqual(len(patterns), 107)
        self.assertEqual(len(set(patterns)), 107)
        self.assertTrue(all(sum(map(int, p)) == 11 for p in patterns[:106]))
        self.assertEqual(sum(map(int, patterns[106])), 13)  # stop with its final bar

    def test_single_letter_has_start_data_checksum_stop(self):
        modules = pagegen.code128b_modules("A")
        # quiet 10 + start 11 + "A" 11 + checksum 11 + stop 13 + quiet 10
        self.assertEqual(len(modules), 66)
        # "A" is value 33, so the checksum is (104 + 1 * 33) mod 103 = 34, whose bar and
        # space widths in the Code 128 table are 1 3 1 1 2 3.
        checksum = modules[10 + 22:10 + 33]
        runs, current, count = [], checksum[0], 0
        for m in checksum:
            if m == current:
                count += 1
            else:
                runs.append(count)
                current, count = m, 1
        runs.append(count)
        self.assertEqual("".join(map(str, runs)), "131123")


class MetricsTest(unittest.TestCase):
    def test_levenshtein_known_distances(self):
        self.assertEqual(metrics.levenshtein("kitten", "sitting"), 3)
        self.assertEqual(metrics.levenshtein("", "abc"), 3)
        self.assertEqual(metrics.levenshtein("æøå", "aeoa"), 4)
        self.assertEqual(metrics.levenshtein("Søren", "Søren"), 0)

    def test_cer_of_identical_text_is_zero(self):
        self.assertEqual(metrics.cer("Med venlig hilsen", "Med venlig hilsen"), 0.0)

    def test_cer_counts_one_substitution_in_three(self):
        self.assertAlmostEqual(metrics.cer("abd", "abc"), 1 / 3)

    def test_cer_of_nothing_recognised_is_one(self):
        self.assertEqual(metrics.cer("", "Kære Søren"), 1.0)

    def test_cer_ignores_whitespace_runs_and_line_breaks(self):
        self.assertEqual(metrics.cer("  Kære\n\nSøren \f", "Kære Søren"), 0.0)

    def test_cer_compares_in_nfc(self):
        self.assertEqual(metrics.cer("a\u030a", "\u00e5"), 0.0)  # a + ring = å

    def test_cer_keeps_case_and_punctuation(self):
        self.assertAlmostEqual(metrics.cer("vedr.", "Vedr.:"), 2 / 6)

    def test_cer_is_undefined_without_truth(self):
        self.assertIsNone(metrics.cer("x", ""))
        self.assertIsNone(metrics.cer("x", " \n "))

    def test_orientation_compares_modulo_360(self):
        self.assertFalse(metrics.orientation_error(450, 90))
        self.assertTrue(metrics.orientation_error(90, 270))

    def test_skew_error_is_absolute(self):
        self.assertAlmostEqual(metrics.skew_error(-1.2, 0.3), 1.5)

    def test_precision_and_recall_of_blank_detection(self):
        predicted = [True, True, False, False]
        actual = [True, False, True, False]
        self.assertEqual(metrics.precision_recall(predicted, actual), (0.5, 0.5))
        self.assertEqual(metrics.precision_recall([False], [False]), (None, None))


if __name__ == "__main__":
    unittest.main()
