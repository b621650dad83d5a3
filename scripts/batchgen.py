#!/usr/bin/python3
"""Scanned post batches for the journalising tests: a multi-page TIFF of generated Danish
letters to a municipality, with ground truth, and the test journal's case list.

    /usr/bin/python3 scripts/batchgen.py --spec spec.json --out batch.tif --truth truth.json
        [--mode grey|bilevel] [--compression lzw|deflate|g4|none] [--dpi N] [--jobs N]
        [--placeholder-sheets]
    /usr/bin/python3 scripts/batchgen.py --make-spec N --seed S --spec-out spec.json
        --cases-out cases.csv|cases.json [--received YYYY-MM-DD]

Output: --mode grey (default; 8-bit, LZW unless --compression deflate|none; the light
noise makes about 4.4 MB per frame at 300 dpi, so a 100-frame benchmark batch is about
450 MB) or --mode bilevel (1-bit, CCITT G4, about 10 KB per frame; threshold 150). Both are
read by the station's importer (libtiff). Every frame carries XResolution/YResolution in
inches.

The same spec (and options) gives pixel-identical frames with identical tags and an
identical truth file on the same installation, with any --jobs: every page draws its
randomness from generators seeded by (spec seed, letter, page). (The TIFF bytes may still
differ in a padding byte that Pillow's libtiff writer leaves uninitialised.)

SPEC (JSON; every key but "letters" is optional)
  {
    "seed": 1,                   body wording, fonts and scan degradations
    "dpi": 300,                  of every frame (--dpi overrides); 150 is fine for quick tests
    "received_date": "2026-11-02",   informative: the post-opening date to import with
    "cases": [ CASE, ... ],      the test journal (as written by --cases-out); letters refer to
                                 them by index
    "letters": [ {
      "sender": "Mette Jensen",                      required
      "sender_address": ["Østergade 12", "8000 Aarhus C"],
      "sender_phone": "Tlf. 21 43 65 87" | null,
      "place": "Aarhus" | null,  written before the date: "Aarhus, den 11. januar 2026"
      "date_text": "den 11. januar 2026",  written as given (any form of DOMAIN.md section 6:
                                 "11.01.2026", "Kbh. d. 11/1-2026", "onsdag den 11. januar
                                 2026" ...); from "date" in a seeded form when absent
      "date": "2026-01-11",      ISO; parsed from date_text when absent (one of the two is
                                 required)
      "doc_kind": "klage" | "ansøgning" | "brev" | "anmodning" | "indsigelse" |
                  "lægeerklæring" | ...   drives the wording ("Jeg vil hermed klage over ...")
                                 and the expected title's document type
      "subject_marker": "Vedr.:" | "Angående:" | "Emne:" | ... | null (subject alone, bold)
      "subject": "afslag på boligstøtte",          required; printed with a capital letter
      "patient": "Mette Jensen" | null,           lægeerklæring: the patient line
      "reference_line": "Jeres sagsnr.: 27.24.00-G01-5-19" | null,
      "cpr_line": "CPR-nr.: 010190-1234" | null,
      "cvr_line": "CVR-nr.: 13748136" | null,
      "recipient": ["Aarhus Kommune", "Borgerservice", "Rådhuspladsen 2", "8000 Aarhus C"],
      "salutation": "Kære Borgerservice" | "" (none); seeded choice when absent,
      "pages": 1..3,             a letter of several pages prints "Side k af n" in the footer
      "blank_backs": false,      after every page a near-blank back (paper tone, light noise,
                                 faint show-through of the front, no text)
      "upside_down": false,      every page of the letter (not its backs) turned 180 degrees
      "before": null | {"image": "sheet.png"} | {"cover_for": CASE_INDEX} |
                {"separator": true},   a sheet page before the letter. "image" (relative to
                                 the spec's folder) is a rendered page, scaled to the batch dpi
                                 by its own dpi, or to A4 width when it has none. A cover or
                                 separator without "image" is an error unless
                                 --placeholder-sheets, which draws a stand-in (QR payload
                                 INTAKE:COVER:<reference> or INTAKE:SEP:<n>, not the
                                 station's format). "blank_back": true|false gives the sheet
                                 a back (default: the letter's blank_backs).
      "case": CASE_INDEX | null, the case the letter belongs to (for the truth)
      "body_paragraphs": [...],  optional; otherwise 2-4 paragraphs a page, from doc_kind,
                                 subject and "topic" (see TOPICS), deterministic from the seed
      "topic": "boligstøtte",    optional, picks the topic sentences of the body
      "font": "Liberation Serif", "font_size_pt": 11   optional
    }, ... ]
  }
  CASE = {"system": "SBSYS" | "KK", "reference": "27.24.00-G01-5-19", "title": "...",
          "status": "open" | "closed", "kle_subject": "27.24.00", "kle_facet": "G01",
          "caseworker": "...", "unit": "...",
          "party": {"kind": "person" | "company", "name": "...", "cpr" | "cvr": "digits",
                    "role": "part"}}

TRUTH (JSON written by --truth)
  {"generator", "dpi", "mode", "compression", "frames": N, "received_date",
   "pages": [ {"index": 0-based frame, "role": "sheet" | "letter" | "blank_back",
               "unit": the letter whose sheet, pages and backs the frame belongs to,
               "letter": 0-based letter index or null (sheets and their backs),
               "letter_page": 1-based page within the letter or null,
               "rotated_180": bool (the frame shows the page upside down),
               "skew_degrees": counter-clockwise skew of the content,
               "back_of": frame index of the front (blank backs only),
               "sheet": {"kind": "cover" | "separator" | "image", "case": i,
                         "case_reference": ..., "placeholder": bool, "before_letter": i}
                        (sheets only),
               "text": the letter page's text, one printed line per "\\n" ("" otherwise;
                       the handwritten signature above the sender's name on a letter's
                       last page is not text)} ],
   "letters": [ {"index", every spec field with defaults filled in, "letter_date" (ISO),
                 "frames": [frame indices], "first_frame",
                 "title_parts": {"doc_type", "sender", "letter_date", "date_words",
                                 "subject"},
                 "expected_title": "<Type> fra <sender> af <d. måned åååå> om <subject>",
                 "cue": "cover" | "reference" | "cpr" | "cvr" | "none",
                 "identity_number": digits of the CPR/CVR line or null,
                 "expected_case": {"index", "system", "reference"} or null,
                 "candidates": [references of the party's open cases] (cpr/cvr cue),
                 "ambiguous": true when the party has several open cases (the operator
                              chooses; the station must list them, not guess),
                 "expect_blocked": true when the letter names a CPR/CVR number that is not
                                   a party of its target case} ],
   "cases": the spec's cases}

CASES FILE (--cases-out; what `station case import` reads, storage/case_import.h): by its
extension either CSV (';', UTF-8, header system;reference;title;status;kle_subject;
kle_facet;caseworker;unit;party_kind;party_name;party_cpr;party_cvr;party_role) or JSON
({"cases": [{..., "parties": [{"kind", "name", "cpr" | "cvr", "role"}]}]}).

--make-spec N: a benchmark batch of N letters, each from its own citizen (or, now and then,
a company or a doctor), about a third with a reference line (half of those also with a CPR
line), a third with a CPR line only, a third with neither (those get "before":
{"cover_for": i}); some separators, multi-page letters, duplex blank backs, about one in
eight upside down; with N >= 4 one letter quotes another citizen's case reference with its
own CPR (expect_blocked); about half the CPR-only citizens have a second open case
(ambiguous) and some citizens a closed case as a distractor. CPR numbers are synthetic
(valid birth dates and century digit, modulus 11 valid), CVR numbers modulus 11 valid.
Letter dates lie 2-25 days before --received (default 2026-11-02).
"""

import argparse
import copy
import csv
import datetime
import hashlib
import io
import json
import multiprocessing
import os
import random
import re
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, TiffImagePlugin

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagegen  # noqa: E402  (name pools, fonts, signature scribble, noise)


def generator_id():
    with open(os.path.abspath(__file__), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    return f"intake-station scripts/batchgen.py {digest}"


class SpecError(Exception):
    """A problem with the spec or the options, reported to the user (Danish)."""


A4_MM = (210.0, 297.0)
LETTER_FONTS = ["Liberation Serif", "Liberation Sans", "DejaVu Serif", "DejaVu Sans"]
DEFAULT_RECIPIENT = ["Aarhus Kommune", "Borgerservice", "Rådhuspladsen 2", "8000 Aarhus C"]
MONTHS = pagegen.MONTHS
MONTH_NUMBERS = {name: i + 1 for i, name in enumerate(MONTHS)}
MONTH_NUMBERS.update({name.rstrip("."): i + 1 for i, name in enumerate(pagegen.MONTHS_SHORT)})
DOC_TYPES = {"klage": "Klage", "ansøgning": "Ansøgning", "brev": "Brev",
             "anmodning": "Anmodning", "indsigelse": "Indsigelse",
             "lægeerklæring": "Lægeerklæring", "partshøringssvar": "Partshøringssvar"}

# ---------------------------------------------------------------------------------------
# Dates (DOMAIN.md section 6).


def parse_date_text(text):
    """The date in a Danish date line, or None. Day first; two-digit years are 20yy."""
    t = text.lower()
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.search(r"\b(\d{1,2})\.\s*([a-zæøå]+)\.?\s+(\d{4})\b", t)
        if m and m[2] in MONTH_NUMBERS:
            d, mo, y = int(m[1]), MONTH_NUMBERS[m[2]], int(m[3])
        else:
            m = (re.search(r"\b(\d{1,2})/(\d{1,2})[- ](\d{4})\b", t) or
                 re.search(r"\b(\d{1,2})[.-](\d{1,2})[.-](\d{4}|\d{2})\b", t))
            if not m:
                return None
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if y < 100:
                y += 2000
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def date_words(when):
    return f"{when.day}. {MONTHS[when.month - 1]} {when.year}"


def date_forms(when, town):
    """(place, date_text) pairs: the forms of DOMAIN.md section 6."""
    d, m, y = when.day, when.month, when.year
    copenhagen = town.startswith("København") or town == "Frederiksberg"
    forms = [
        (town, f"den {d}. {MONTHS[m - 1]} {y}"),
        (town, f"d. {d}. {pagegen.MONTHS_SHORT[m - 1]} {y}"),
        (None, f"{pagegen.WEEKDAYS[when.weekday()]} den {d}. {MONTHS[m - 1]} {y}"),
        (town, f"{d:02d}.{m:02d}.{y}"),
        (None, f"{d}.{m}.{y % 100:02d}"),
        (town, f"{d:02d}-{m:02d}-{y}"),
        (town, f"{d}/{m} {y}"),
        (None, f"{y}-{m:02d}-{d:02d}"),
        (town, f"{d}. {MONTHS[m - 1]} {y}"),
    ]
    if copenhagen:
        forms.append((None, f"Kbh. d. {d}/{m}-{y}"))
    return forms


# ---------------------------------------------------------------------------------------
# Identity numbers (DOMAIN.md section 5).

CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def synthetic_cpr(rng, used):
    """A CPR number (10 digits) with a valid birth date, a century digit that fits it and
    a modulus-11 check digit."""
    while True:
        born = datetime.date(1938, 1, 1) + datetime.timedelta(days=rng.randrange(68 * 365))
        if born.month == 1 and born.day == 1:
            continue  # the dates that may lack a check digit: keep clear of them
        yy = born.year % 100
        if born.year < 2000:
            digit7 = rng.randint(0, 3)
        else:
            digit7 = rng.choice([4, 9] if yy > 36 else [4, 5, 6, 7, 8, 9])
        head = f"{born.day:02d}{born.month:02d}{yy:02d}{digit7}{rng.randint(0, 99):02d}"
        rest = sum(int(c) * w for c, w in zip(head, CPR_WEIGHTS)) % 11
        check = (11 - rest) % 11
        if check == 10:
            continue
        cpr = head + str(check)
        if cpr not in used:
            used.add(cpr)
            return cpr


def cpr_is_mod11(cpr):
    return sum(int(c) * w for c, w in zip(cpr, CPR_WEIGHTS)) % 11 == 0


def synthetic_cvr(rng, used):
    while True:
        head = f"{rng.randint(1, 9)}{rng.randint(0, 999999):06d}"
        rest = sum(int(c) * w for c, w in zip(head, CVR_WEIGHTS)) % 11
        check = (11 - rest) % 11
        if check == 10:
            continue
        cvr = head + str(check)
        if cvr not in used:
            used.add(cvr)
            return cvr


def digits_of(line):
    if not line:
        return None
    digits = re.sub(r"\D", "", line.split(":", 1)[-1])
    return digits or None


# ---------------------------------------------------------------------------------------
# Content: topics of municipal post. Each topic: a KLE number for SBSYS references, the
# case title, a subject per document kind, and sentences for the body.

TOPICS = {
    "boligstøtte": {
        "kle": "27.24.00", "case_title": "Boligstøtte",
        "subjects": {"klage": "afslag på boligstøtte", "ansøgning": "boligstøtte",
                     "anmodning": "genberegning af boligstøtte",
                     "indsigelse": "krav om tilbagebetaling af boligstøtte",
                     "brev": "ændret indkomst og boligstøtte"},
        "sentences": [
            "Min indkomst er faldet, fordi jeg er gået ned i tid på arbejdet.",
            "Huslejen er uændret {amount} om måneden inklusive aconto varme.",
            "Lønsedler for de seneste tre måneder er vedlagt som bilag.",
            "Jeg bor alene i lejligheden og har ingen andre indtægter end lønnen.",
            "Beregningen i jeres brev bygger på en indkomst, som ikke længere passer.",
        ]},
    "hjemmehjælp": {
        "kle": "27.12.00", "case_title": "Hjemmehjælp",
        "subjects": {"klage": "nedsat hjemmehjælp", "ansøgning": "hjemmehjælp til rengøring",
                     "anmodning": "revurdering af hjemmehjælp",
                     "brev": "ændrede tider for hjemmehjælpen",
                     "lægeerklæring": "behov for personlig pleje"},
        "sentences": [
            "Efter et fald i sommer har jeg svært ved at klare bad og påklædning selv.",
            "Jeg bor på første sal uden elevator og kommer sjældent uden for døren.",
            "Hjælperne kommer ofte senere end aftalt og har meget travlt.",
            "Min datter hjælper mig, når hun kan, men hun bor i en anden by.",
            "Min egen læge kan bekræfte, at min gangfunktion er blevet dårligere.",
        ]},
    "parkeringstilladelse": {
        "kle": "05.13.08", "case_title": "Parkeringstilladelse",
        "subjects": {"klage": "afslag på parkeringstilladelse",
                     "ansøgning": "parkeringstilladelse til beboere",
                     "anmodning": "forlængelse af parkeringstilladelse",
                     "brev": "ny bil og parkeringstilladelse"},
        "sentences": [
            "Jeg er flyttet til {street} {house} og har brug for at kunne parkere tæt ved.",
            "Bilen er registreret på min adresse, og kopi af registreringsattesten er vedlagt.",
            "Den midlertidige tilladelse udløber om {weeks} uger.",
            "Jeg har forsøgt at søge på hjemmesiden, men løsningen afviser mit nummer.",
        ]},
    "byggetilladelse": {
        "kle": "02.34.02", "case_title": "Byggetilladelse",
        "subjects": {"klage": "afslag på byggetilladelse til tilbygning",
                     "ansøgning": "byggetilladelse til carport",
                     "indsigelse": "naboens byggeri på {street} {house}",
                     "brev": "supplerende tegninger til byggesagen",
                     "anmodning": "dispensation fra lokalplanen"},
        "sentences": [
            "Carporten bliver på {m2} m² og placeres 2,5 meter fra skel.",
            "Tegninger og situationsplan er vedlagt som bilag 1 og 2.",
            "Naboen på nr. {house} har set tegningerne og har ingen indvendinger.",
            "Taget bliver beklædt med grå tagpap, og stolperne er af træ.",
            "Vi forventer at gå i gang med arbejdet, så snart tilladelsen foreligger.",
        ]},
    "skoleskift": {
        "kle": "17.02.05", "case_title": "Skoleskift",
        "subjects": {"klage": "afslag på skoleskift", "ansøgning": "skoleskift for vores søn",
                     "anmodning": "optagelse på en anden skole",
                     "brev": "skolevej og skoleskift"},
        "sentences": [
            "Vores søn går i {n}. klasse og har haft det svært i sin nuværende klasse.",
            "Skolen har holdt flere møder med os, men situationen er ikke blevet bedre.",
            "Den ønskede skole ligger tættere på vores bopæl, og han kan cykle selv.",
            "Skolelederen på den nye skole har oplyst, at der er ledige pladser.",
        ]},
    "sygedagpenge": {
        "kle": "15.06.00", "case_title": "Sygedagpenge",
        "subjects": {"klage": "stop for sygedagpenge",
                     "ansøgning": "forlængelse af sygedagpenge",
                     "anmodning": "aktindsigt i sagen om sygedagpenge",
                     "brev": "opfølgningssamtale om sygedagpenge",
                     "lægeerklæring": "arbejdsevne og sygdomsforløb"},
        "sentences": [
            "Jeg har været sygemeldt siden foråret på grund af en rygskade.",
            "Min behandling hos fysioterapeuten er endnu ikke afsluttet.",
            "Lægen vurderer, at jeg kan begynde på nedsat tid om {weeks} uger.",
            "Jeg har deltaget i alle samtaler i jobcentret og sendt de ønskede papirer.",
        ]},
    "hjælpemidler": {
        "kle": "27.36.00", "case_title": "Hjælpemidler",
        "subjects": {"klage": "afslag på elektrisk kørestol",
                     "ansøgning": "tilskud til elektrisk kørestol",
                     "anmodning": "reparation af min rollator",
                     "lægeerklæring": "behov for elektrisk kørestol"},
        "sentences": [
            "Jeg kan ikke længere gå mere end få hundrede meter ad gangen.",
            "Min ergoterapeut har anbefalet en model med vippefunktion.",
            "Prisen er ifølge tilbuddet {amount} inklusive tilpasning.",
            "Jeg har brug for hjælpemidlet for at kunne handle og komme til behandling.",
        ]},
    "daginstitution": {
        "kle": "28.03.04", "case_title": "Friplads i daginstitution",
        "subjects": {"klage": "afslag på økonomisk friplads",
                     "ansøgning": "økonomisk friplads i børnehave",
                     "brev": "ændret husstandsindkomst og friplads"},
        "sentences": [
            "Vores datter går i børnehaven Solsikken, og vi er meget glade for stedet.",
            "Husstandens indkomst er faldet, efter at jeg har mistet mit arbejde.",
            "Årsopgørelse og dokumentation for dagpenge er vedlagt.",
            "Forældrebetalingen på {amount} om måneden er blevet svær at betale.",
        ]},
}

OPENINGS = {
    "klage": ["Jeg vil hermed klage over {subject}.",
              "Hermed min klage over {subject}, som jeg ikke kan acceptere."],
    "ansøgning": ["Jeg ansøger hermed om {subject}.",
                  "Hermed min ansøgning om {subject}."],
    "anmodning": ["Jeg anmoder hermed om {subject}.",
                  "Jeg skriver for at anmode om {subject}."],
    "indsigelse": ["Jeg gør hermed indsigelse vedrørende {subject}.",
                   "Hermed min indsigelse vedrørende {subject}."],
    "brev": ["Jeg skriver til jer angående {subject}.",
             "Jeg vil gerne orientere jer om {subject}."],
    "lægeerklæring": ["Undertegnede læge erklærer hermed følgende om {subject}.",
                      "Efter anmodning afgives hermed lægeerklæring om {subject}."],
}
GENERIC = [
    "Jeg har tidligere skrevet til jer om sagen {date}, men har endnu ikke fået svar.",
    "Min nabo kan bekræfte oplysningerne, hvis der bliver brug for det.",
    "Det er vigtigt for mig, at sagen bliver afklaret hurtigst muligt.",
    "Jeg har vedlagt kopi af kvitteringer og korrespondance, i alt {n} sider.",
    "Jeg forstår godt, at der er travlt, men ventetiden har nu varet over {weeks} uger.",
    "Hvis det er nødvendigt, kan jeg møde op på rådhuset en formiddag.",
    "Oplysningerne er efter min bedste overbevisning korrekte og fuldstændige.",
    "Jeg ringede til Borgerservice {date} og fik at vide, at jeg skulle skrive.",
    "Sagsbehandleren lovede at vende tilbage inden for {n} dage.",
    "Jeg har boet på adressen i {n} år og kender forholdene godt.",
    "Jeg har ikke tidligere haft brug for hjælp fra kommunen.",
    "Jeg beder om, at I ser på sagen igen med de nye oplysninger.",
]
TIMELINE = [
    "{Date} modtog jeg jeres brev om sagen.",
    "{Date} sendte jeg de oplysninger, I bad om.",
    "{Date} havde jeg en samtale med en sagsbehandler.",
    "{Date} fik jeg en ny vurdering fra min læge.",
    "{Date} ringede jeg og spurgte til sagen uden at få svar.",
    "{Date} skrev jeg en mail, som jeg ikke har fået kvittering for.",
    "{Date} var der hjemmebesøg, hvor forholdene blev gennemgået.",
]
MEDICAL = [
    "Patienten har været i behandling i klinikken siden foråret.",
    "Der er tale om en kronisk lidelse med nedsat gangfunktion og smerter.",
    "Tilstanden er forværret trods behandling med fysioterapi og smertestillende.",
    "Patienten er efter min vurdering ikke i stand til at klare sig uden hjælp.",
    "Prognosen er usikker, og en ny vurdering bør foretages om {weeks} uger.",
]
CLOSINGS = [
    "Jeg håber, at sagen kan behandles hurtigst muligt.",
    "På forhånd tak for hjælpen.",
    "Jeg ser frem til at høre fra jer.",
    "Jeg beder om, at svaret sendes til min digitale postkasse.",
    "Hvis der mangler oplysninger, er I velkomne til at kontakte mig.",
]
SALUTATIONS = ["Kære Borgerservice", "Til rette vedkommende", "Kære sagsbehandler", ""]


def fill(template, rng, when):
    amount = rng.randint(120, 990) * 10
    day = date_words(when - datetime.timedelta(days=rng.randint(10, 120)))
    return template.format(
        n=rng.randint(2, 9), m2=rng.choice([18, 24, 28, 32, 36]),
        amount=f"{amount:,}".replace(",", ".") + ",00 kr.", weeks=rng.randint(3, 12),
        street=rng.choice(pagegen.STREETS), house=rng.randint(1, 180),
        date="den " + day, Date="Den " + day)


def generate_body(letter, seed, index, when):
    """Paragraphs per page (a list of lists), deterministic from (seed, index)."""
    rng = random.Random(f"batchgen-body/{seed}/{index}")
    kind = letter["doc_kind"]
    topic = TOPICS.get(letter.get("topic") or "", None)
    own = list(topic["sentences"]) if topic else []
    pool_generic = list(GENERIC)
    rng.shuffle(own)
    rng.shuffle(pool_generic)
    if kind == "lægeerklæring":
        own = list(MEDICAL)
        rng.shuffle(own)
    subject = letter["subject"]
    opening = rng.choice(OPENINGS.get(kind, OPENINGS["brev"])).format(subject=subject)
    pages = letter["pages"]
    sentences = own + pool_generic

    def take(count):
        out = []
        for _ in range(count):
            if not sentences:
                out.append(fill(rng.choice(TIMELINE), rng, when))
            else:
                out.append(fill(sentences.pop(0), rng, when))
        return " ".join(out)

    result = []
    for page in range(pages):
        paras = []
        if page == 0:
            paras.append(opening + " " + take(rng.randint(1, 2)))
            count = rng.randint(1, 2) if pages == 1 else 2
        else:
            count = rng.randint(3, 4) if page < pages - 1 else rng.randint(2, 3)
        for _ in range(count):
            if page > 0 and rng.random() < 0.4:
                paras.append(" ".join(fill(t, rng, when)
                                      for t in rng.sample(TIMELINE, rng.randint(2, 3))))
            else:
                paras.append(take(rng.randint(2, 3)))
        if page == pages - 1:
            paras.append(rng.choice(CLOSINGS))
        result.append(paras)
    return result


def split_paragraphs(paragraphs, pages):
    """Given paragraphs over `pages` pages: consecutive, nearly equal chunks."""
    per, extra = divmod(len(paragraphs), pages)
    out, at = [], 0
    for k in range(pages):
        n = per + (1 if k < extra else 0)
        out.append(paragraphs[at:at + n])
        at += n
    return out


# ---------------------------------------------------------------------------------------
# Normalising a spec letter.


def normalise_letter(raw, index, seed, cases):
    """A spec letter with defaults filled in and checked. Raises SpecError."""
    where = f"letters[{index}]"
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: skal være et objekt med mindst sender og subject")
    letter = copy.deepcopy(raw)
    rng = random.Random(f"batchgen-letter/{seed}/{index}")
    for key in ("sender", "subject"):
        if not isinstance(letter.get(key), str) or not letter[key].strip():
            raise SpecError(f"{where}.{key}: mangler (en ikke-tom tekst)")
    letter.setdefault("sender_address", [])
    letter.setdefault("sender_phone", None)
    letter.setdefault("place", None)
    letter.setdefault("doc_kind", "brev")
    letter.setdefault("subject_marker", "Vedr.:")
    letter.setdefault("patient", None)
    for key in ("reference_line", "cpr_line", "cvr_line"):
        letter.setdefault(key, None)
    letter.setdefault("recipient", list(DEFAULT_RECIPIENT))
    letter.setdefault("pages", 1)
    letter.setdefault("blank_backs", False)
    letter.setdefault("upside_down", False)
    letter.setdefault("before", None)
    letter.setdefault("case", None)
    if not isinstance(letter["pages"], int) or not 1 <= letter["pages"] <= 3:
        raise SpecError(f"{where}.pages: {letter['pages']!r}; skal være 1, 2 eller 3")
    when = None
    if letter.get("date"):
        try:
            when = datetime.date.fromisoformat(letter["date"])
        except (TypeError, ValueError):
            raise SpecError(f"{where}.date: '{letter['date']}' er ikke en dato som 2026-01-11")
    if letter.get("date_text"):
        parsed = parse_date_text(letter["date_text"])
        if when is None:
            if parsed is None:
                raise SpecError(f"{where}.date_text: '{letter['date_text']}' kan ikke læses "
                                "som dato; angiv også \"date\": \"ÅÅÅÅ-MM-DD\"")
            when = parsed
    elif when is not None:
        place, text = rng.choice(date_forms(when, letter["place"] or "Aarhus"))
        letter["date_text"] = text
        if place is None:
            letter["place"] = None
    else:
        raise SpecError(f"{where}: mangler date eller date_text")
    letter["date"] = when.isoformat()
    if "salutation" not in letter:
        letter["salutation"] = rng.choice(SALUTATIONS)
    letter.setdefault("font", rng.choice(LETTER_FONTS))
    if letter["font"] not in pagegen.FONTS:
        raise SpecError(f"{where}.font: '{letter['font']}' findes ikke; vælg en af "
                        + ", ".join(LETTER_FONTS))
    letter.setdefault("font_size_pt", rng.choice([11, 11, 12]))
    case = letter["case"]
    if case is not None and not (isinstance(case, int) and 0 <= case < len(cases)):
        raise SpecError(f"{where}.case: {case!r} er ikke et sagsindeks (0..{len(cases) - 1})")
    before = letter["before"]
    if before is not None:
        if not isinstance(before, dict) or not ({"image", "cover_for", "separator"} & set(before)):
            raise SpecError(f"{where}.before: skal være null eller et objekt med image, "
                            "cover_for eller separator")
        cover = before.get("cover_for")
        if cover is not None and not (isinstance(cover, int) and 0 <= cover < len(cases)):
            raise SpecError(f"{where}.before.cover_for: {cover!r} er ikke et sagsindeks")
    paragraphs = letter.get("body_paragraphs")
    if paragraphs is not None:
        if (not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs)
                or len(paragraphs) < letter["pages"]):
            raise SpecError(f"{where}.body_paragraphs: skal være en liste af mindst "
                            f"{letter['pages']} tekster (én pr. side)")
        letter["body_pages"] = split_paragraphs(paragraphs, letter["pages"])
    else:
        letter["body_pages"] = generate_body(letter, seed, index, when)
    return letter


def date_line(letter):
    if letter["place"]:
        return f"{letter['place']}, {letter['date_text']}"
    return letter["date_text"]


def capitalise(text):
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------
# Layout and drawing.


class Page:
    """Geometry of an A4 page at a resolution."""

    def __init__(self, dpi):
        self.dpi = dpi
        self.w = round(A4_MM[0] / 25.4 * dpi)
        self.h = round(A4_MM[1] / 25.4 * dpi)

    def mm(self, v):
        return round(v * self.dpi / 25.4)

    def pt(self, v):
        return v * self.dpi / 72.0


_fonts = {}


def font(name, size_px, bold=False):
    key = (name, size_px, bold)
    if key not in _fonts:
        _fonts[key] = ImageFont.truetype(pagegen.FONTS[name][1 if bold else 0], size_px,
                                         layout_engine=ImageFont.Layout.BASIC)
    return _fonts[key]


def letter_blocks(letter, page_no):
    """The blocks of one page (0-based page_no): ("lines", [(text, style, align)]),
    ("para", text), ("signature", None), ("footer", text)."""
    pages = letter["pages"]
    blocks = []
    if page_no == 0:
        sender = [(letter["sender"], "regular", "left")]
        sender += [(s, "regular", "left") for s in letter["sender_address"]]
        if letter["sender_phone"]:
            sender.append((letter["sender_phone"], "regular", "left"))
        blocks.append(("lines", sender))
        blocks.append(("lines", [(s, "regular", "left") for s in letter["recipient"]]))
        blocks.append(("lines", [(date_line(letter), "regular", "right")]))
        subject = capitalise(letter["subject"])
        if letter["subject_marker"]:
            subject = f"{letter['subject_marker']} {subject}"
        head = [(subject, "bold", "left")]
        if letter["patient"]:
            head.append((f"Patient: {letter['patient']}", "regular", "left"))
        for key in ("reference_line", "cpr_line", "cvr_line"):
            if letter[key]:
                head.append((letter[key], "regular", "left"))
        blocks.append(("lines", head))
        if letter["salutation"]:
            blocks.append(("lines", [(letter["salutation"], "regular", "left")]))
    for paragraph in letter["body_pages"][page_no]:
        blocks.append(("para", paragraph))
    if page_no == pages - 1:
        blocks.append(("lines", [("Med venlig hilsen", "regular", "left")]))
        blocks.append(("signature", None))
        blocks.append(("lines", [(letter["sender"], "regular", "left")]))
    if pages > 1:
        blocks.append(("footer", f"Side {page_no + 1} af {pages}"))
    return blocks


def layout(blocks, geo, font_name, size_pt):
    """Lines (text, font, x, y) of a page, the signature box, and whether it fits."""
    regular = font(font_name, round(geo.pt(size_pt)))
    bold = font(font_name, round(geo.pt(size_pt)), bold=True)
    line_h = round(geo.pt(size_pt) * 1.32)
    gap = round(line_h * 0.9)
    left, right, top, bottom = geo.mm(25), geo.mm(22), geo.mm(22), geo.mm(25)
    width = geo.w - left - right
    lines, sig, y = [], None, top
    footer = None
    for kind, payload in blocks:
        if kind == "footer":
            footer = payload
            continue
        if kind == "signature":
            sig = (left, y, left + geo.mm(50), y + round(2.0 * line_h))
            y += round(2.3 * line_h)
            continue
        if kind == "para":
            items = [(t, regular, "left") for t in pagegen.wrap(payload, regular, width)]
        else:
            items = [(t, bold if style == "bold" else regular, align)
                     for t, style, align in payload]
        for text, f, align in items:
            x = left if align == "left" else geo.w - right - round(f.getlength(text))
            lines.append((text, f, x, y))
            y += line_h
        y += gap
    footer_y = geo.h - bottom
    fits = y <= footer_y - line_h
    if footer:
        x = (geo.w - round(regular.getlength(footer))) // 2
        lines.append((footer, regular, x, footer_y))
    return lines, sig, fits


def render_letter_ink(letter, page_no, geo, rng):
    """The upright ink layer (0 none, 255 full) of one letter page and its text."""
    blocks = letter_blocks(letter, page_no)
    size = letter["font_size_pt"]
    for attempt in (size, size - 0.5, size - 1, size - 1.5, size - 2):
        lines, sig, fits = layout(blocks, geo, letter["font"], attempt)
        if fits:
            break
    else:
        raise SpecError(f"letters[{letter['_index']}]: side {page_no + 1} har for meget tekst "
                        "til en A4-side; fordel body_paragraphs på flere sider")
    ink = Image.new("L", (geo.w, geo.h), 0)
    draw = ImageDraw.Draw(ink)
    for text, f, x, y in lines:
        draw.text((x, y), text, font=f, fill=255)
    if sig:
        w, h = sig[2] - sig[0], sig[3] - sig[1]
        patch = pagegen.scribble(rng, w, h)
        patch = Image.fromarray((np.asarray(patch, np.float32) * rng.uniform(0.6, 0.85)
                                 ).astype(np.uint8))
        region = ink.crop((sig[0], sig[1], sig[0] + w, sig[1] + h))
        ink.paste(Image.fromarray(np.maximum(np.asarray(region), np.asarray(patch))), sig[:2])
    return ink, "\n".join(t for t, _, _, _ in lines)


def scan(ink, geo, rng, nprng, paper=None, ink_level=None, noise=None, dust=None):
    """An ink layer (final frame) to a grey scan: paper tone with a gentle illumination
    gradient, ink, light Gaussian noise and a little dust."""
    h, w = ink.height, ink.width
    paper = rng.randint(236, 248) if paper is None else paper
    ink_level = rng.randint(18, 45) if ink_level is None else ink_level
    gx = np.linspace(0, nprng.uniform(-2, 2), w, dtype=np.float32)
    gy = np.linspace(0, nprng.uniform(-2, 2), h, dtype=np.float32)
    field = (paper + gy)[:, None] + gx[None, :]
    page = np.asarray(ink, np.float32) * (1.0 / 255)
    page *= ink_level - field
    page += field
    sigma = rng.uniform(1.5, 3.5) if noise is None else noise
    page += pagegen.gaussian_noise(nprng, (h, w), sigma)
    count = round((rng.randint(5, 40) if dust is None else dust) * (geo.dpi / 300) ** 2)
    for _ in range(count):
        y, x = int(nprng.integers(0, h)), int(nprng.integers(0, w))
        r = max(1, round(int(nprng.integers(1, 3)) * geo.dpi / 300))
        page[y:y + r, x:x + r] = nprng.uniform(90, 180)
    np.clip(page, 0, 255, out=page)
    return np.rint(page).astype(np.uint8)


def skewed(ink, skew):
    return ink.rotate(skew, resample=Image.BICUBIC, fillcolor=0) if skew else ink


def blank_back(front_ink_final, geo, rng, nprng):
    """A near-blank back: paper tone, light noise, a faint blurred mirror image of the front
    (show-through) and now and then one small speck."""
    mirrored = front_ink_final.transpose(Image.FLIP_LEFT_RIGHT)
    small = mirrored.reduce(4).filter(ImageFilter.GaussianBlur(0.8))
    bleed = rng.randint(5, 12)  # grey levels of show-through at full ink
    through = np.asarray(small.resize(mirrored.size, Image.BILINEAR), np.float32)
    paper = rng.randint(238, 248)
    shadow = Image.fromarray(np.clip(through * bleed / max(1, paper - 20), 0, 255)
                             .astype(np.uint8))
    page = scan(shadow, geo, rng, nprng, paper=paper, ink_level=20,
                noise=rng.uniform(1.5, 3.0), dust=rng.randint(0, 12))
    if rng.random() < 0.3:
        y, x = int(nprng.integers(geo.h // 5, geo.h * 4 // 5)), int(
            nprng.integers(geo.w // 5, geo.w * 4 // 5))
        r = max(1, round(2 * geo.dpi / 300))
        page[y - r:y + r + 1, x - r:x + r + 1] = np.minimum(page[y - r:y + r + 1,
                                                                 x - r:x + r + 1], 140)
    return page


# ---------------------------------------------------------------------------------------
# Sheets before letters.


def load_sheet_image(path, geo):
    """A rendered page, as a grey ink layer at the batch resolution (A4 width when the
    image carries no resolution)."""
    try:
        with Image.open(path) as im:
            im.load()
            dpi = im.info.get("dpi")
            grey = im.convert("L")
    except (OSError, ValueError) as e:
        raise SpecError(f"arket {path} kan ikke læses som billede: {e}")
    if dpi and dpi[0] and float(dpi[0]) > 1:
        factor = geo.dpi / float(dpi[0])
    else:
        factor = geo.w / grey.width
    if abs(factor - 1) > 1e-3:
        grey = grey.resize((max(1, round(grey.width * factor)),
                            max(1, round(grey.height * factor))), Image.LANCZOS)
    return Image.fromarray(255 - np.asarray(grey))  # as ink


def placeholder_sheet(geo, payload, lines):
    ink = Image.new("L", (geo.w, geo.h), 0)
    patch = pagegen.qr_patch(payload, max(4, round(10 * geo.dpi / 300)))
    top = geo.mm(35)
    ink.paste(patch, ((geo.w - patch.width) // 2, top))
    draw = ImageDraw.Draw(ink)
    y = top + patch.height + geo.mm(10)
    for k, text in enumerate(lines):
        f = font("Liberation Sans", round(geo.pt(14)), bold=k == 0)
        draw.text(((geo.w - f.getlength(text)) / 2, y), text, font=f, fill=255)
        y += round(geo.pt(14) * 1.6)
    return ink


# ---------------------------------------------------------------------------------------
# Rendering the batch.


def to_frame(page, mode):
    im = Image.fromarray(page)
    if mode == "bilevel":
        return im.point(lambda v: 255 if v >= 150 else 0).convert("1", dither=Image.NONE)
    return im


def render_unit(args):
    """Renders one letter with its sheet and backs. Returns [(truth page, numpy page)]."""
    letter, index, seed, dpi, cases, spec_dir, placeholder, sep_no = args
    geo = Page(dpi)
    out = []
    before = letter["before"]
    if before is not None:
        rng = random.Random(f"batchgen-sheet/{seed}/{index}")
        nprng = np.random.default_rng([seed, index, 1000])
        info = {"before_letter": index, "placeholder": False}
        if "cover_for" in before:
            case = cases[before["cover_for"]]
            info.update(kind="cover", case=before["cover_for"],
                        case_reference=case["reference"])
        elif before.get("separator"):
            info.update(kind="separator", number=sep_no)
        else:
            info.update(kind="image")
        if before.get("image"):
            path = before["image"]
            if not os.path.isabs(path):
                path = os.path.join(spec_dir, path)
            ink = load_sheet_image(path, geo)
            info["image"] = before["image"]
        elif info["kind"] in ("cover", "separator") and placeholder:
            info["placeholder"] = True
            if info["kind"] == "cover":
                ref = info["case_reference"]
                ink = placeholder_sheet(geo, f"INTAKE:COVER:{ref}",
                                        ["FORSIDE TIL SAG", f"Sagsnr. {ref}",
                                         "Dokumenterne efter dette ark",
                                         "journaliseres på sagen."])
            else:
                ink = placeholder_sheet(geo, f"INTAKE:SEP:{sep_no}",
                                        ["SEPARATORARK", "Læg arket foran hvert nyt dokument."])
        else:
            what = "cover_for" if info["kind"] == "cover" else "separator"
            raise SpecError(f"letters[{index}].before: {what} uden \"image\"; render arket med "
                            "stationen og angiv \"image\", eller brug --placeholder-sheets")
        skew = round(rng.uniform(-0.5, 0.5), 3)
        ink = skewed(ink, skew)
        page = scan(ink, geo, rng, nprng)
        out.append(({"role": "sheet", "letter": None, "letter_page": None,
                     "rotated_180": False, "skew_degrees": skew, "sheet": info, "text": ""},
                    page))
        if before.get("blank_back", letter["blank_backs"]):
            out.append(({"role": "blank_back", "letter": None, "letter_page": None,
                         "rotated_180": False, "skew_degrees": -skew, "back_of": -1,
                         "text": ""}, blank_back(ink, geo, rng, nprng)))
    for page_no in range(letter["pages"]):
        rng = random.Random(f"batchgen-page/{seed}/{index}/{page_no}")
        nprng = np.random.default_rng([seed, index, page_no])
        ink, text = render_letter_ink(letter, page_no, geo, rng)
        skew = round(rng.uniform(-1.0, 1.0), 3)
        ink = skewed(ink, skew)
        if letter["upside_down"]:
            ink = ink.transpose(Image.ROTATE_180)
        page = scan(ink, geo, rng, nprng)
        out.append(({"role": "letter", "letter": index, "letter_page": page_no + 1,
                     "rotated_180": bool(letter["upside_down"]), "skew_degrees": skew,
                     "text": text}, page))
        if letter["blank_backs"]:
            # The back of a turned sheet is turned too; its show-through is what matters.
            out.append(({"role": "blank_back", "letter": index, "letter_page": page_no + 1,
                         "rotated_180": bool(letter["upside_down"]), "skew_degrees": -skew,
                         "back_of": -1, "text": ""}, blank_back(ink, geo, rng, nprng)))
    return out


def letter_truth(letter, index, cases):
    """The expected outcome of one letter: cue, target case, candidates, block."""
    truth = {k: v for k, v in letter.items() if not k.startswith("_") and k != "body_pages"}
    truth["index"] = index
    when = datetime.date.fromisoformat(letter["date"])
    truth["letter_date"] = letter["date"]
    doc_type = DOC_TYPES.get(letter["doc_kind"], capitalise(letter["doc_kind"]))
    subject = letter["subject"]
    truth["title_parts"] = {"doc_type": doc_type, "sender": letter["sender"],
                            "letter_date": letter["date"], "date_words": date_words(when),
                            "subject": subject}
    truth["expected_title"] = (f"{doc_type} fra {letter['sender']} af {date_words(when)} "
                               f"om {subject}")
    number = digits_of(letter["cpr_line"]) or digits_of(letter["cvr_line"])
    truth["identity_number"] = number
    before = letter["before"] or {}
    referenced = None
    if letter["reference_line"]:
        for i, case in enumerate(cases):
            if case["reference"] in letter["reference_line"]:
                referenced = i
    candidates = []
    if number:
        candidates = [i for i, c in enumerate(cases) if c.get("status", "open") == "open"
                      and number in (c["party"].get("cpr"), c["party"].get("cvr"))]
    target, ambiguous = None, False
    if before.get("cover_for") is not None:
        cue, target = "cover", before["cover_for"]
    elif letter["reference_line"]:
        cue, target = "reference", referenced
    elif number:
        cue = "cpr" if letter["cpr_line"] else "cvr"
        ambiguous = len(candidates) > 1
        target = candidates[0] if len(candidates) == 1 else letter["case"]
    else:
        cue, target = "none", letter["case"]
    if letter["case"] is not None and target is not None and target != letter["case"]:
        raise SpecError(f"letters[{index}].case: {letter['case']}, men brevet peger på sag "
                        f"{target} ({cue}); ret case eller brevets linjer")
    if target is None:
        target = letter["case"]
    truth["cue"] = cue
    truth["candidates"] = [cases[i]["reference"] for i in candidates]
    truth["ambiguous"] = ambiguous
    truth["expected_case"] = None if target is None else {
        "index": target, "system": cases[target]["system"],
        "reference": cases[target]["reference"]}
    blocked = False
    if number and target is not None:
        party = cases[target]["party"]
        blocked = number not in (party.get("cpr"), party.get("cvr"))
    truth["expect_blocked"] = blocked
    return truth


def write_tiff(path, frames, dpi, mode, compression):
    """Streams frames into a multi-page TIFF (one IFD per page, resolution tags in inches)."""
    names = {"lzw": "tiff_lzw", "deflate": "tiff_adobe_deflate", "g4": "group4",
             "none": "raw"}
    tmp = path + ".tmp"
    count = 0
    try:
        with TiffImagePlugin.AppendingTiffWriter(tmp, new=True) as tf:
            for page in frames:
                to_frame(page, mode).save(tf, format="TIFF", compression=names[compression],
                                          dpi=(dpi, dpi))
                tf.newFrame()
                count += 1
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    os.replace(tmp, path)
    return count


def build_batch(spec, spec_dir, out, truth_path, mode, compression, dpi_override, jobs,
                placeholder):
    if not isinstance(spec, dict) or not isinstance(spec.get("letters"), list) \
            or not spec["letters"]:
        raise SpecError("specifikationen skal være et objekt med en ikke-tom liste \"letters\"")
    seed = spec.get("seed", 1)
    dpi = dpi_override or spec.get("dpi", 300)
    if not isinstance(dpi, int) or not 75 <= dpi <= 600:
        raise SpecError(f"dpi: {dpi!r}; skal være et heltal fra 75 til 600")
    cases = spec.get("cases", [])
    letters = []
    for i, raw in enumerate(spec["letters"]):
        letter = normalise_letter(raw, i, seed, cases)
        letter["_index"] = i
        letters.append(letter)
    work, sep_no = [], 0
    for i, letter in enumerate(letters):
        if letter["before"] and letter["before"].get("separator"):
            sep_no += 1
        work.append((letter, i, seed, dpi, cases, spec_dir, placeholder, sep_no))
    truths = [letter_truth(letter, i, cases) for i, letter in enumerate(letters)]
    pages = []

    def frames():
        pool = multiprocessing.Pool(jobs) if jobs > 1 and len(work) > 1 else None
        try:
            results = pool.imap(render_unit, work) if pool else map(render_unit, work)
            for unit, result in enumerate(results):
                for entry, page in result:
                    entry = dict(index=len(pages), unit=unit, **entry)
                    if entry["role"] == "blank_back":
                        entry["back_of"] = entry["index"] - 1
                    pages.append(entry)
                    yield page
        finally:
            if pool:
                pool.close()
                pool.join()

    count = write_tiff(out, frames(), dpi, mode, compression)
    for t in truths:
        t["frames"] = [p["index"] for p in pages if p["unit"] == t["index"]]
        t["first_frame"] = next(p["index"] for p in pages
                                if p["letter"] == t["index"] and p["role"] == "letter")
    truth = {"generator": generator_id(), "dpi": dpi, "mode": mode,
             "compression": compression, "frames": count,
             "received_date": spec.get("received_date"), "seed": seed,
             "conventions": {"rotated_180": "the frame shows the page turned 180 degrees",
                             "skew_degrees": "counter-clockwise rotation of the content"},
             "pages": pages, "letters": truths, "cases": cases}
    tmp = truth_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, truth_path)
    return truth


# ---------------------------------------------------------------------------------------
# --make-spec: a deterministic benchmark batch and its test journal.

COMPANY_NAMES = ["Tømrerfirmaet Bjerre ApS", "Nørgaard Byg A/S", "Malerfirmaet Holm ApS",
                 "Søgaard & Lund Entreprise ApS", "Kjær Tagdækning ApS"]
CASEWORKERS = ["Hanne Skov", "Peter Lykke", "Lene Dahl", "Morten Friis", "Anja Bech"]
REFERENCE_PREFIXES = ["Jeres sagsnr.:", "Sagsnr.:", "J.nr.:", "Deres ref.:",
                      "Kommunens sagsnr.:"]
CPR_PREFIXES = ["CPR-nr.:", "CPR-nr.:", "Cpr.nr.:", "Personnummer:"]
MARKERS = ["Vedr.:", "Vedr.:", "Angående:", "Emne:", "Ang.:", "Vedrørende:", None]
KINDS = ["klage", "ansøgning", "brev", "anmodning", "indsigelse"]


def make_reference(rng, system, topic, used):
    while True:
        if system == "SBSYS":
            facet = rng.choice(["G01", "G01", "K02", "G01"])
            ref = (f"{TOPICS[topic]['kle']}-{facet}-{rng.randint(1, 9999)}-"
                   f"{rng.randint(19, 25)}")
        else:
            ref = f"{rng.randint(2019, 2026)}-{rng.randint(0, 9999999):07d}"
        if ref not in used:
            used.add(ref)
            return ref


def make_case(rng, topic, party, used_refs, status="open", title_extra=""):
    system = rng.choice(["SBSYS", "KK"])
    ref = make_reference(rng, system, topic, used_refs)
    case = {"system": system, "reference": ref,
            "title": TOPICS[topic]["case_title"] + title_extra, "status": status,
            "kle_subject": TOPICS[topic]["kle"] if system == "SBSYS" else "",
            "kle_facet": ref.split("-")[1] if system == "SBSYS" else "",
            "caseworker": rng.choice(CASEWORKERS), "unit": "Borgerservice",
            "party": party}
    return case


def make_spec(n, seed, received):
    rng = random.Random(f"batchgen-make-spec/{seed}")
    used_names, used_cpr, used_cvr, used_refs = set(), set(), set(), set()
    cases, letters = [], []
    # Cues: a third each, shuffled; the blocked letter is one of the reference letters.
    cues = [("reference", "cpr", "cover")[i % 3] for i in range(n)]
    rng.shuffle(cues)
    upside = set(rng.sample(range(n), max(1 if n >= 4 else 0, round(n / 8))))
    blocked = None
    if n >= 4:
        refs = [i for i, c in enumerate(cues) if c == "reference"]
        blocked = rng.choice(refs) if refs else None
    topics = list(TOPICS)

    def new_person():
        for attempt in range(100000):
            name = f"{rng.choice(pagegen.FIRST_NAMES)} {rng.choice(pagegen.LAST_NAMES)}"
            if attempt >= 20:  # the plain names are running out: a middle name
                first, last = name.rsplit(" ", 1)
                name = f"{first} {rng.choice(pagegen.LAST_NAMES)} {last}"
            if name not in used_names:
                used_names.add(name)
                return name
        raise SpecError("for mange breve: navnene slipper op")

    for i in range(n):
        cue = cues[i]
        topic = rng.choice(topics)
        kinds = [k for k in KINDS if k in TOPICS[topic]["subjects"]]
        kind = rng.choice(kinds)
        sender_kind = "person"
        r = rng.random()
        if cue != "cover" and topic == "byggetilladelse" and r < 0.5 and i != blocked:
            sender_kind = "company"
        elif cue != "cover" and i != blocked and r < 0.12 and any(
                "lægeerklæring" in TOPICS[t]["subjects"] for t in topics):
            sender_kind = "doctor"
            topic = rng.choice([t for t in topics if "lægeerklæring" in TOPICS[t]["subjects"]])
            kind = "lægeerklæring"
        street, town_line = pagegen.address(rng)
        town = town_line.split(" ", 1)[1]
        # A letter writes the town, not its postal district ("København S" -> "København").
        town = re.sub(r" (?:[A-ZÆØÅ]{1,2})$", "", town)
        citizen = new_person()
        if sender_kind == "company":
            name, number = rng.choice(COMPANY_NAMES), 1
            while name in used_names:
                number += 1
                name = f"{rng.choice(COMPANY_NAMES)} {rng.choice(pagegen.TOWNS)[1]}"
                if number > 20:
                    name += f" {number}"
            used_names.add(name)
            party = {"kind": "company", "name": name, "cvr": synthetic_cvr(rng, used_cvr),
                     "role": "ansøger"}
        else:
            party = {"kind": "person", "name": citizen, "cpr": synthetic_cpr(rng, used_cpr),
                     "role": "part"}
        case_index = len(cases)
        cases.append(make_case(rng, topic, party, used_refs))
        # A second open case for some parties (the CPR cue becomes ambiguous), a closed
        # one for others (a distractor that must not be proposed).
        extra = rng.random()
        if (cue == "cpr" and extra < 0.5) or (cue != "cpr" and extra < 0.15):
            other = rng.choice([t for t in topics if t != topic])
            cases.append(make_case(rng, other, copy.deepcopy(party), used_refs))
        elif extra < 0.7 and cue == "cpr":
            cases.append(make_case(rng, rng.choice(topics), copy.deepcopy(party), used_refs,
                                   status="closed"))
        subject = TOPICS[topic]["subjects"][kind]
        subject = fill(subject, rng, datetime.date.fromisoformat(received))
        when = datetime.date.fromisoformat(received) - datetime.timedelta(
            days=rng.randint(2, 25))
        place, date_text = rng.choice(date_forms(when, town))
        if sender_kind == "doctor":
            sender = f"Læge {new_person()}"
            address = [f"Lægehuset {rng.choice(pagegen.STREETS)}",
                       f"{rng.choice(pagegen.STREETS)} {rng.randint(1, 90)}", town_line]
        else:
            sender = party["name"]
            address = [street, town_line]
        letter = {
            "sender": sender, "sender_address": address,
            "sender_phone": (f"Tlf. {rng.randint(20, 99)} {rng.randint(10, 99)} "
                             f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
                             if rng.random() < 0.4 else None),
            "place": place, "date_text": date_text, "date": when.isoformat(),
            "doc_kind": kind, "subject_marker": rng.choice(MARKERS), "subject": subject,
            "topic": topic, "patient": citizen if sender_kind == "doctor" else None,
            "reference_line": None, "cpr_line": None, "cvr_line": None,
            "pages": rng.choice([1, 1, 1, 2, 2, 3]),
            "blank_backs": rng.random() < 0.35, "upside_down": i in upside,
            "before": None, "case": case_index,
        }
        number_line = None
        if party["kind"] == "company":
            number_line = ("cvr_line", f"CVR-nr.: {party['cvr']}")
        else:
            cpr = party["cpr"]
            number_line = ("cpr_line", f"{rng.choice(CPR_PREFIXES)} {cpr[:6]}-{cpr[6:]}")
        if cue == "reference":
            letter["reference_line"] = (f"{rng.choice(REFERENCE_PREFIXES)} "
                                        f"{cases[case_index]['reference']}")
            if i == blocked:
                # Another citizen's case quoted by this letter, whose CPR is its own: the
                # party check must block it.
                other = new_person()
                other_party = {"kind": "person", "name": other,
                               "cpr": synthetic_cpr(rng, used_cpr), "role": "part"}
                cases.append(make_case(rng, topic, other_party, used_refs))
                letter["case"] = len(cases) - 1
                letter["reference_line"] = (f"{rng.choice(REFERENCE_PREFIXES)} "
                                            f"{cases[-1]['reference']}")
                letter[number_line[0]] = number_line[1]
            elif rng.random() < 0.5:
                letter[number_line[0]] = number_line[1]
        elif cue == "cpr":
            letter[number_line[0]] = number_line[1]
        else:
            letter["before"] = {"cover_for": case_index}
        if cue != "cover" and rng.random() < 0.3:
            letter["before"] = {"separator": True}
        letters.append(letter)
    return {"seed": seed, "dpi": 300, "received_date": received, "cases": cases,
            "letters": letters}


def write_cases(path, cases):
    if path.lower().endswith(".json"):
        out = []
        for c in cases:
            row = {k: v for k, v in c.items() if k != "party" and v != ""}
            party = {k: v for k, v in c["party"].items()}
            row["parties"] = [party]
            out.append(row)
        text = json.dumps({"cases": out}, ensure_ascii=False, indent=1) + "\n"
    else:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\n")
        w.writerow(["system", "reference", "title", "status", "kle_subject", "kle_facet",
                    "caseworker", "unit", "party_kind", "party_name", "party_cpr",
                    "party_cvr", "party_role"])
        for c in cases:
            p = c["party"]
            w.writerow([c["system"], c["reference"], c["title"], c["status"],
                        c.get("kle_subject", ""), c.get("kle_facet", ""),
                        c.get("caseworker", ""), c.get("unit", ""), p["kind"], p["name"],
                        p.get("cpr", ""), p.get("cvr", ""), p.get("role", "")])
        text = buf.getvalue()
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", help="batch specification (JSON) to render")
    parser.add_argument("--out", help="the multi-page TIFF to write")
    parser.add_argument("--truth", help="the ground-truth JSON to write")
    parser.add_argument("--mode", choices=["grey", "bilevel"], default="grey")
    parser.add_argument("--compression", choices=["lzw", "deflate", "g4", "none"])
    parser.add_argument("--dpi", type=int, default=None, help="overrides the spec's dpi")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--placeholder-sheets", action="store_true",
                        help="draw stand-in cover/separator sheets where a spec gives no image")
    parser.add_argument("--make-spec", type=int, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--received", default="2026-11-02",
                        help="make-spec: the post-opening date the letters precede")
    parser.add_argument("--spec-out")
    parser.add_argument("--cases-out")
    args = parser.parse_args(argv)
    try:
        if args.make_spec is not None:
            if not 1 <= args.make_spec <= 2000 or not args.spec_out or not args.cases_out:
                parser.error("--make-spec N kræver 1 <= N <= 2000, --spec-out og --cases-out")
            try:
                datetime.date.fromisoformat(args.received)
            except ValueError:
                parser.error(f"--received: '{args.received}' er ikke en dato som 2026-11-02")
            spec = make_spec(args.make_spec, args.seed, args.received)
            tmp = args.spec_out + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(spec, f, ensure_ascii=False, indent=1)
                f.write("\n")
            os.replace(tmp, args.spec_out)
            write_cases(args.cases_out, spec["cases"])
            return 0
        if not (args.spec and args.out and args.truth):
            parser.error("angiv --spec, --out og --truth (eller --make-spec N)")
        compression = args.compression or ("g4" if args.mode == "bilevel" else "lzw")
        if compression == "g4" and args.mode != "bilevel":
            parser.error("--compression g4 kræver --mode bilevel")
        try:
            with open(args.spec, encoding="utf-8") as f:
                spec = json.load(f)
        except (OSError, ValueError) as e:
            raise SpecError(f"{args.spec} kan ikke læses som JSON: {e}")
        build_batch(spec, os.path.dirname(os.path.abspath(args.spec)), args.out, args.truth,
                    args.mode, compression, args.dpi, max(1, args.jobs),
                    args.placeholder_sheets)
        return 0
    except SpecError as e:
        print(f"batchgen: {e}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
