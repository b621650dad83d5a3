#!/usr/bin/python3
"""Draws a Danish municipal letter as a 300-dpi grey page for the OCR tests.

Writes three files into the output directory (default tests/data/ocr):
  letter_da.png    A4 at 300 dpi, 8-bit grey, DejaVu Serif 11 pt body text
  letter_da.txt    the text as drawn: words split by spaces, lines by '\\n',
                   paragraphs by an empty line (the OcrResult::text convention)
  letter_da.tsv    one row per drawn word: text, x, y, width, height of its ink box
                   in pixels ((0,0) is top left; pixels darker than mid-grey before the
                   blur), for checking OCR word boxes

Deterministic for a given Pillow and DejaVu version: no randomness. Run with Debian's
python (python3-pil, fonts-dejavu-core):  /usr/bin/python3 scripts/make_ocr_fixture.py
"""
import os
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 300
A4_PX = (2480, 3508)  # 210 x 297 mm at 300 dpi
MARGIN_X = 300  # 25 mm
FONT_DIR = "/usr/share/fonts/truetype/dejavu"

# Paragraphs of the letter; each inner list is one paragraph, each string one line.
LETTER = [
    ["Københavns Kommune", "Borgerservice", "Dahlerupsgade 6", "1640 København V"],
    ["Dato: 14. marts 2024", "Sagsnummer: 27.12.00-G01-4711-24"],
    ["Kære Jens Ærø Hansen"],
    ["Tak for din henvendelse om ændring af din adresse og dit",
     "ønske om hjælp til flytning. Vi har modtaget dine bilag og",
     "behandler sagen inden for fire uger fra i dag."],
    ["Skriv venligst sagsnummeret på alle breve, så vi kan finde",
     "sagen hurtigt. Du kan også ringe til os på hverdage mellem",
     "klokken 9 og 15, hvis du har spørgsmål til afgørelsen."],
    ["Ordliste til prøve: Blåbærsyltetøj, rødgrød med fløde,",
     "ÆØÅ æøå, sønderjysk kaffebord, Frederiksværk og Århus."],
    ["Med venlig hilsen", "Søren Kierkegaard Østergård", "Sagsbehandler"],
]

BODY_PT = 11
LINE_SPACING = 1.45  # line pitch as a multiple of the font size
PARAGRAPH_GAP = 0.9  # extra space between paragraphs, in line pitches


def ink_box(word, origin, font):
    """The box (x, y, width, height) of the pixels `word` inks when drawn at `origin`.

    ImageDraw.textbbox() is not tight (it may include side bearings, e.g. after a comma),
    so the word is drawn alone on a scratch canvas and its inked pixels are measured.
    """
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(
        origin, word, font=font)
    pad = 8
    scratch = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
    ImageDraw.Draw(scratch).text((origin[0] - left + pad, origin[1] - top + pad), word,
                                 font=font, fill=255)
    x0, y0, x1, y1 = scratch.point(lambda v: 255 if v >= 128 else 0).getbbox()
    return (x0 + left - pad, y0 + top - pad, x1 - x0, y1 - y0)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "ocr")
    os.makedirs(out_dir, exist_ok=True)

    size_px = round(BODY_PT * DPI / 72)
    font = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerif.ttf"), size_px)
    pitch = round(size_px * LINE_SPACING)
    space = font.getlength(" ")

    page = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(page)
    rows = []
    y = 330
    for paragraph in LETTER:
        for line in paragraph:
            x = MARGIN_X
            for word in line.split(" "):
                origin = (round(x), y)
                draw.text(origin, word, font=font, fill=0)
                rows.append((word,) + ink_box(word, origin, font))
                x += font.getlength(word) + space
            y += pitch
        y += round(pitch * PARAGRAPH_GAP)

    # A slight blur, as from a scanner's optics; the ink boxes change by about a pixel.
    page = page.filter(ImageFilter.GaussianBlur(0.7))

    base = os.path.join(out_dir, "letter_da")
    page.save(base + ".png", dpi=(DPI, DPI), optimize=True)
    with open(base + ".txt", "w", encoding="utf-8") as f:
        f.write("\n\n".join("\n".join(p) for p in LETTER) + "\n")
    with open(base + ".tsv", "w", encoding="utf-8") as f:
        f.write("text\tx\ty\twidth\theight\n")
        for word, x, y0, w, h in rows:
            f.write(f"{word}\t{x}\t{y0}\t{w}\t{h}\n")


if __name__ == "__main__":
    main()
