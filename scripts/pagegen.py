#!/usr/bin/python3
"""Deterministic generator of realistic scanned test pages with ground truth.

Writes 8-bit grey PNG pages (A4 at 300 dpi, 2480 x 3508 px, landscape when turned 90 or
270 degrees; pHYs says 300 dpi) and a manifest.json with the ground truth of every page.
The same seed and preset give byte-identical files on the same installation.

    /usr/bin/python3 scripts/pagegen.py --preset bench --out DIR [--seed N] [--count N]
    /usr/bin/python3 scripts/pagegen.py --preset tests --out DIR [--tiff DIR/all.tif]

Presets:
  bench  Danish municipal letters (a quarter in thin typewriter fonts), skew uniform in
         +-5 degrees, about 1 in 8 pages upside down and a few turned 90/270, noise,
         speckles, blur, scanner-bed borders and punch holes on some, duplex blank backs
         with bleed-through after about a third of the letters, and hard non-blank pages
         (signature only, stamp only, one short line, one short line upside down).
         --count sets the number of pages (default 51).
  tests  A small fixed set for the C++ tests (page list above tests_plan()): letters at known
         skews (-10, -4.5, 0, +0.3, +7, +10 degrees) covering every orientation, short
         lines at 0 and 180, a blank back, a pure white page, signature, stamp, two QR
         sheets and a Code 128 sheet. --count keeps the first N pages.

Options: --pages 3,7 renders only those pages (pixel-identical to a full run), --tiff PATH
also writes every page into one multi-page grey TIFF (deflate, 300 dpi), --jobs N worker
processes (default 2).

Conventions (the C++ side relies on them; pagegen_selftest.py checks them):
  orientation   the CLOCKWISE rotation in degrees (0, 90, 180, 270) that makes the page
                upright. The page is rendered upright and then turned COUNTER-clockwise by
                that many degrees.
  skew_degrees  after the orientation is corrected, the content is rotated
                COUNTER-clockwise by this angle relative to horizontal. It is applied to
                the upright page before the orientation step, keeping the A4 size.
  text          the ground-truth text in reading order, one rendered line per "\\n"
                (no empty lines); "" for pages without text.
  blank         true only for pages without content a person would keep (a blank back
                with bleed-through and specks, an empty white page).
  kind          letter, blank_back, blank_white, signature, stamp, short_line, barcode.
  Also, where they apply: font, font_size_pt, typewriter, line_count, letter_date (ISO),
  case_refs, signature (a letter carries one), barcodes [{format, text}] with format
  "QRCode" or "Code128" (zxing-cpp's names), bleed_through, scanner_border, punch_holes,
  blur (Gaussian radius in px). A blank back's orientation and skew are those of its
  front seen through the paper (mirrored: both negated).

Rendering: every page is built as an ink layer (0 = no ink, 255 = full ink) that is
skewed and turned, then composed onto a paper field, after which scanner artefacts
(border strips, punch holes, blur, Gaussian noise, salt-and-pepper, dust) are added in the
scan frame. Every page draws its randomness from generators seeded by (seed, page number),
so a page does not depend on which other pages are generated or in which process.
"""

import argparse
import datetime
import hashlib
import json
import math
import multiprocessing
import os
import random
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont


def generator_id():
    """Names this generator and its exact source (the first 12 hex digits of the SHA-256 of
    this file), so a manifest tells which code made its pages."""
    with open(os.path.abspath(__file__), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    return f"intake-station scripts/pagegen.py {digest}"


DPI = 300
A4_W, A4_H = 2480, 3508  # 210 x 297 mm at 300 dpi
PX_PER_PT = DPI / 72.0
PX_PER_MM = DPI / 25.4

# ---------------------------------------------------------------------------------------
# Fonts (all Debian packages: fonts-dejavu-core, fonts-liberation, fonts-urw-base35,
# fonts-freefont-ttf).

FONTS = {
    "DejaVu Serif": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                     "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
    "DejaVu Sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    "Liberation Serif": ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
                         "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
    "Liberation Sans": ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    # Thin typewriter faces: no bold is used with them (typewriters had none).
    "Nimbus Mono PS": ("/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf",
                       "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf"),
    "FreeMono": ("/usr/share/fonts/truetype/freefont/FreeMono.ttf",
                 "/usr/share/fonts/truetype/freefont/FreeMono.ttf"),
}
PROPORTIONAL_FONTS = ["DejaVu Serif", "DejaVu Sans", "Liberation Serif", "Liberation Sans"]
TYPEWRITER_FONTS = ["Nimbus Mono PS", "FreeMono"]
STAMP_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

_font_cache = {}


def load_font(name, size_pt, bold=False):
    key = (name, size_pt, bold)
    if key not in _font_cache:
        path = FONTS[name][1 if bold else 0]
        _font_cache[key] = ImageFont.truetype(path, round(size_pt * PX_PER_PT),
                                              layout_engine=ImageFont.Layout.BASIC)
    return _font_cache[key]


def load_font_file(path, size_px):
    key = (path, size_px)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(path, size_px,
                                              layout_engine=ImageFont.Layout.BASIC)
    return _font_cache[key]


# ---------------------------------------------------------------------------------------
# Content pools: fictional Danish municipal post. No CPR numbers anywhere.

FIRST_NAMES = ["Mette", "Søren", "Hanne", "Jørgen", "Birgitte", "Lars", "Anne-Marie", "Kasper",
               "Signe", "Ole", "Åse", "Mads", "Line", "Poul Erik", "Karen", "Bjørn", "Ida",
               "Rasmus", "Lærke", "Frederik", "Sofie", "Niels", "Gitte", "Thøger", "Malene",
               "Henrik", "Bodil", "Jens Peter", "Asta", "Mikkel", "Tove", "Søs", "Ejnar"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
              "Sørensen", "Rasmussen", "Jørgensen", "Østergaard", "Mølgaard", "Kjær", "Bæk",
              "Højgaard", "Damgård", "Lindholm", "Krøyer", "Skovbæk", "Fogh", "Ravn",
              "Thygesen", "Bjerre", "Nørgaard", "Holm", "Søgaard", "Lund"]
STREETS = ["Søndergade", "Nørregade", "Østerbrogade", "Vesterbrogade", "Åboulevarden",
           "Æblehaven", "Skovløkken", "Strandvejen", "Møllevej", "Kærvej", "Bøgevej",
           "Hørsholmvej", "Fælledvej", "Ryesgade", "Gammel Kongevej", "Præstøvej",
           "Ålekistevej", "Kløvermarken", "Engtoften", "Ørstedsvej", "Grønnegade",
           "Frederiksborgvej", "Bredgade", "Tårnvej", "Kirkestræde"]
FLOORS = ["", "", "", ", st. tv.", ", 1. th.", ", 2. tv.", ", 3. mf.", ", 1. sal", ", 4. th."]
TOWNS = [("1620", "København V"), ("2100", "København Ø"), ("2200", "København N"),
         ("2300", "København S"), ("2650", "Hvidovre"), ("2800", "Kongens Lyngby"),
         ("3400", "Hillerød"), ("4000", "Roskilde"), ("4600", "Køge"),
         ("4700", "Næstved"), ("5000", "Odense C"), ("5970", "Ærøskøbing"),
         ("6000", "Kolding"), ("6400", "Sønderborg"), ("6700", "Esbjerg"),
         ("7100", "Vejle"), ("7400", "Herning"), ("8000", "Aarhus C"),
         ("8600", "Silkeborg"), ("8800", "Viborg"), ("9000", "Aalborg"),
         ("2000", "Frederiksberg"), ("2605", "Brøndby")]
DATE_PLACES = ["København", "Aarhus", "Odense", "Aalborg", "Køge", "Næstved", "Hillerød",
               "Sønderborg", "Vejle", "Frederiksberg", "Ærøskøbing", "Roskilde"]
MUNICIPALITIES = [("Københavns Kommune", "Rådhuspladsen 1", "1599", "København V"),
                  ("Aarhus Kommune", "Rådhuspladsen 2", "8000", "Aarhus C"),
                  ("Odense Kommune", "Flakhaven 2", "5000", "Odense C"),
                  ("Aalborg Kommune", "Boulevarden 13", "9000", "Aalborg"),
                  ("Frederiksberg Kommune", "Smallegade 1", "2000", "Frederiksberg"),
                  ("Køge Kommune", "Torvet 1", "4600", "Køge"),
                  ("Næstved Kommune", "Rådmandshaven 20", "4700", "Næstved"),
                  ("Hillerød Kommune", "Trollesmindealle 27", "3400", "Hillerød"),
                  ("Sønderborg Kommune", "Rådhustorvet 10", "6400", "Sønderborg"),
                  ("Ærø Kommune", "Statene 2", "5970", "Ærøskøbing"),
                  ("Høje-Taastrup Kommune", "Bygaden 2", "2630", "Taastrup"),
                  ("Brøndby Kommune", "Park Allé 160", "2605", "Brøndby")]
DEPARTMENTS = ["Borgerservice", "Teknik- og Miljøforvaltningen", "Socialforvaltningen",
               "Børne- og Ungdomsforvaltningen", "Center for Byggeri", "Ydelsesservice",
               "Jobcenter", "Pladsanvisningen", "Ældre- og Sundhedsforvaltningen",
               "Center for Miljø og Affald", "Vej og Park"]
TITLES = ["Sagsbehandler", "Specialkonsulent", "Fuldmægtig", "Byggesagsbehandler",
          "Teamleder", "Rådgiver", "Administrativ medarbejder"]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"]
MONTHS_SHORT = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.",
                "okt.", "nov.", "dec."]
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]

# Topics: (subject, sentences written by a citizen, sentences written by the municipality).
# Placeholders: {n} small number, {m2} area, {amount} kroner, {date} a date in words,
# {weeks} weeks, {street} a street name, {house} a house number.
TOPICS = [
    ("Ansøgning om byggetilladelse til carport",
     ["Jeg ansøger hermed om tilladelse til at opføre en carport på {m2} m² ved min bolig.",
      "Carporten placeres 2,5 meter fra skel mod naboen og får et let hældende tag.",
      "Tegninger og situationsplan er vedlagt som bilag 1 og 2.",
      "Naboen på nr. {house} har set tegningerne og har ingen indvendinger.",
      "Taget bliver beklædt med grå tagpap, og stolperne er af trykimprægneret fyr.",
      "Jeg forventer at gå i gang med arbejdet omkring {date}, hvis tilladelsen foreligger."],
     ["Vi har modtaget din ansøgning om byggetilladelse til en carport på {m2} m².",
      "Inden vi kan behandle sagen, mangler vi en tegning, der viser afstanden til skel.",
      "Byggeriet må ikke påbegyndes, før der er givet tilladelse.",
      "Sagsbehandlingstiden er for tiden cirka {weeks} uger.",
      "Du kan følge sagen på Byg og Miljø, hvor du også kan uploade de manglende bilag."]),
    ("Klage over manglende tømning af affaldsbeholder",
     ["Vores beholder til madaffald er ikke blevet tømt de sidste {n} gange.",
      "Beholderen står som altid ved fortovet ud for {street} {house}.",
      "Der er nu en kraftig lugt, og vi har set rotter i gården bag ejendommen.",
      "Jeg har ringet til renovationsselskabet to gange uden at få en forklaring.",
      "Vi betaler fuldt gebyr på {amount} om året og forventer en ordentlig service.",
      "Jeg beder om, at beholderen tømmes snarest, og at I undersøger, hvad der er gået galt."],
     ["Tak for din henvendelse om tømning af affaldsbeholderen ved {street} {house}.",
      "Vi har talt med vognmanden, som oplyser, at adgangsvejen var spærret af en bil.",
      "Beholderen bliver tømt ved en ekstra kørsel i denne uge uden beregning.",
      "Vi beklager ulejligheden og har bedt chaufførerne være særligt opmærksomme."]),
    ("Ændring af indkomst – boligstøtte",
     ["Min indkomst er faldet fra {date}, fordi jeg er gået ned i tid på arbejdet.",
      "Jeg arbejder nu {n} timer om ugen i stedet for 37 timer.",
      "Lønsedler for de seneste tre måneder er vedlagt.",
      "Huslejen er uændret {amount} om måneden inklusive aconto varme.",
      "Jeg vil gerne have genberegnet min boligstøtte ud fra de nye oplysninger."],
     ["Vi har genberegnet din boligstøtte ud fra de oplysninger, du har sendt.",
      "Fra {date} udgør din boligstøtte {amount} om måneden.",
      "Beregningen bygger på en forventet årsindkomst, som du selv skal holde opdateret.",
      "Hvis din indkomst ændrer sig igen, skal du give besked hurtigst muligt."]),
    ("Anmodning om revurdering af hjemmehjælp",
     ["Min mor, som er {n} år, har i dag hjælp til rengøring hver anden uge.",
      "Efter et fald i december har hun svært ved at klare bad og påklædning selv.",
      "Hun bor alene på første sal uden elevator og kommer sjældent uden for døren.",
      "Vi beder derfor om, at kommunen vurderer hendes behov for hjælp på ny.",
      "Hendes egen læge kan bekræfte, at hendes gangfunktion er blevet væsentligt dårligere."],
     ["Visitationen har vurderet dit behov for hjælp efter servicelovens § 83.",
      "Du er bevilget hjælp til personlig pleje hver morgen fra {date}.",
      "Hjælpen til rengøring fortsætter uændret hver 14. dag.",
      "Afgørelsen er truffet på baggrund af et hjemmebesøg og oplysninger fra din læge."]),
    ("Beboerlicens til parkering",
     ["Jeg er flyttet til {street} {house} og vil gerne have en beboerlicens til min bil.",
      "Bilen er registreret på min adresse, og kopi af registreringsattesten er vedlagt.",
      "Jeg har forsøgt at søge via hjemmesiden, men løsningen afviser mit nummer.",
      "Jeg håber, at licensen kan udstedes, inden den midlertidige tilladelse udløber."],
     ["Din beboerlicens til zone {n} er nu oprettet og gælder fra {date}.",
      "Licensen er digital og knyttet til bilens registreringsnummer.",
      "Prisen for et år er {amount}, som opkræves via det vedlagte indbetalingskort.",
      "Husk at opsige licensen, hvis du flytter eller sælger bilen."]),
    ("Udmeldelse af SFO",
     ["Vi ønsker at udmelde vores søn af SFO med virkning fra {date}.",
      "Han går i {n}. klasse og vil fremover gå hjem sammen med sin storesøster.",
      "Vi har været meget glade for personalet og den måde, de har taget imod ham på.",
      "Betalingen bedes stoppet fra samme dato, og vi vil gerne have en bekræftelse."],
     ["Vi bekræfter, at din søn er udmeldt af SFO med virkning fra {date}.",
      "Der er én måneds opsigelse, og sidste betaling på {amount} trækkes i næste måned.",
      "Eventuelle fritidsaktiviteter efter skoletid skal aftales direkte med klubben."]),
    ("Anmodning om aktindsigt",
     ["Jeg anmoder hermed om aktindsigt i alle dokumenter i sagen om vejudvidelsen på {street}.",
      "Anmodningen omfatter også interne notater og korrespondance med rådgivere.",
      "Jeg henviser til offentlighedslovens § 7 og beder om svar inden for syv arbejdsdage.",
      "Dokumenterne må gerne sendes digitalt til min e-Boks."],
     ["Vi har modtaget din anmodning om aktindsigt i sagen om {street}.",
      "Du får hermed aktindsigt i {n} dokumenter, som er vedlagt dette brev.",
      "Enkelte oplysninger om private forhold er undtaget efter offentlighedslovens § 30.",
      "Du kan klage over afgørelsen til Ankestyrelsen inden fire uger."]),
    ("Klage over støj fra byggeplads",
     ["Byggepladsen på hjørnet af {street} starter arbejdet hver morgen klokken 6.15.",
      "Ifølge skiltet på hegnet må der først arbejdes med støjende maskiner fra klokken 7.",
      "Vi har små børn, som vågner af larmen, og det har stået på i {weeks} uger.",
      "Jeg beder kommunen undersøge, om entreprenøren overholder reglerne."],
     ["Tak for din klage over støj fra byggepladsen på {street}.",
      "Miljøtilsynet har været på stedet og har talt med entreprenøren.",
      "Entreprenøren har fået et påbud om at overholde arbejdstiden fra klokken 7 til 18.",
      "Hvis generne fortsætter, er du velkommen til at kontakte os igen."]),
    ("Tilladelse til fældning af træ",
     ["I vores have står en gammel bøg, som er gået ud og taber store grene.",
      "Træet står kun {n} meter fra huset, og vi frygter, at det vælter i næste storm.",
      "Vi er klar over, at området er omfattet af en bevarende lokalplan.",
      "En anerkendt arborist har vurderet træet, og hans rapport er vedlagt."],
     ["Du får hermed tilladelse til at fælde bøgetræet i haven ved {street} {house}.",
      "Tilladelsen er givet på vilkår af, at der plantes et nyt træ inden {date}.",
      "Det nye træ skal være et hjemmehørende løvtræ med en stammeomkreds på mindst 12 cm."]),
    ("Ansøgning om tilskud til hjælpemidler",
     ["Jeg søger om tilskud til en elektrisk kørestol, da jeg ikke længere kan gå ret langt.",
      "Min ergoterapeut har anbefalet en model med vippefunktion.",
      "Prisen er ifølge tilbuddet {amount} inklusive tilpasning.",
      "Jeg har brug for stolen for at kunne handle og komme til behandling selv."],
     ["Du har søgt om en elektrisk kørestol som hjælpemiddel.",
      "Vi har vurderet, at du opfylder betingelserne i servicelovens § 112.",
      "Kommunen betaler {amount}, og stolen leveres af kommunens leverandør inden {weeks} uger.",
      "Du kan klage over afgørelsen inden fire uger efter, at du har modtaget den."]),
    ("Istandsættelse af fortov",
     ["Fortovet ud for ejendommen {street} {house} er i meget dårlig stand.",
      "Flere fliser er knækket og ligger skævt, og i sidste uge faldt en ældre dame.",
      "Jeg har vedlagt {n} fotos, der viser skaderne.",
      "Jeg håber, at kommunen vil udbedre fortovet, før der sker en alvorlig ulykke."],
     ["Vej og Park har besigtiget fortovet ud for {street} {house}.",
      "De knækkede fliser bliver udskiftet i uge {n}.",
      "Indtil da er området afmærket med skilte, så fodgængerne kan se faren."]),
    ("Ønske om plads i børnehave",
     ["Vi ønsker plads i børnehave til vores datter fra {date}.",
      "Vi har skrevet Solsikken som første prioritet og Mælkebøtten som anden prioritet.",
      "Vi flytter til kommunen den 1. i næste måned og har allerede underskrevet lejekontrakt.",
      "Vores datter har en lille søster i vuggestue, så søskendefordelen bør gælde."],
     ["Din datter er tilbudt plads i børnehaven Solsikken fra {date}.",
      "Tilbuddet skal accepteres senest {n} dage efter, at du har modtaget dette brev.",
      "Forældrebetalingen er {amount} om måneden i elleve måneder om året."]),
]
# Middle paragraphs that fit any topic, so letters differ in length and content.
CITIZEN_MIDDLE = [
    "Jeg har tidligere skrevet til jer om sagen den {date}, men har endnu ikke fået svar.",
    "Min nabo kan bekræfte oplysningerne, hvis der bliver brug for det.",
    "Det er vigtigt for os, at sagen bliver afklaret, før vinteren for alvor sætter ind.",
    "Jeg har vedlagt kopi af kvitteringer og korrespondance, i alt {n} sider.",
    "Vi har boet på adressen i {n} år og har aldrig tidligere haft problemer af denne art.",
    "Jeg forstår godt, at der er travlt, men ventetiden har nu varet over {weeks} uger.",
    "Hvis det er nødvendigt, kan jeg møde op på rådhuset en formiddag.",
    "Oplysningerne er efter min bedste overbevisning korrekte og fuldstændige.",
]
MUNI_MIDDLE = [
    "Afgørelsen er truffet efter en samlet vurdering af oplysningerne i sagen.",
    "Vi har lagt vægt på de oplysninger, du gav os ved samtalen den {date}.",
    "Hvis du er uenig i afgørelsen, kan du bede os om at se på sagen igen.",
    "Vi skal gøre opmærksom på, at du har pligt til at oplyse os om ændringer.",
    "Sagen bliver genoptaget, hvis der kommer nye oplysninger af betydning.",
    "Du kan se alle dokumenter i sagen ved at logge ind på kommunens selvbetjening.",
    "Behandlingen af sagen sker efter forvaltningslovens regler om partshøring.",
]
CITIZEN_OPENINGS = ["Kære {dept}", "Til rette vedkommende", "Kære sagsbehandler",
                    "Til {muni}", "Hej"]
CITIZEN_CLOSINGS = [
    "Jeg håber, at sagen kan behandles hurtigst muligt.",
    "Hvis der mangler oplysninger, er I velkomne til at ringe på tlf. {phone}.",
    "På forhånd tak for hjælpen.",
    "Jeg ser frem til at høre fra jer.",
    "Jeg beder om, at svaret sendes til min e-Boks.",
    "I kan også skrive til mig på {email}.",
    "Jeg er hjemme de fleste dage efter klokken 15, hvis I ønsker at se forholdene.",
    "Jeg vedlægger kopi af jeres brev af {date}.",
]
MUNI_CLOSINGS = [
    "Hvis du har spørgsmål, er du velkommen til at kontakte mig på tlf. {phone}.",
    "Husk at oplyse sagsnummeret, når du skriver til os.",
    "Du kan læse mere om reglerne på kommunens hjemmeside.",
    "Vi gør opmærksom på, at brevet også er sendt til din digitale postkasse.",
    "Du er velkommen til at skrive til os på {email}.",
]
SHORT_LINES = ["Se venligst vedlagte.", "Kopi til orientering.", "Bilag 2 eftersendes.",
               "Til underskrift og retur.", "Tak for hjælpen!", "Vedlagt kvittering."]


def fill(template, rng, when):
    """Fills the placeholders of one sentence template."""
    amount_kr = rng.choice([rng.randint(120, 990) * 10, rng.randint(1, 48) * 250])
    return template.format(
        n=rng.randint(2, 9),
        m2=rng.choice([18, 24, 28, 32, 36, 42]),
        amount=f"{amount_kr:,}".replace(",", ".") + ",00 kr.",
        date=f"den {rng.randint(1, 28)}. {MONTHS[rng.randrange(12)]} {when.year}",
        weeks=rng.randint(3, 12),
        street=rng.choice(STREETS),
        house=rng.randint(1, 180),
        phone=" ".join(f"{rng.randint(10, 99)}" for _ in range(4)),
        email=rng.choice(["post", "kontakt", "familien", "mail"]) + "@" +
        rng.choice(["example.dk", "postkasse.dk", "mitnet.dk"]),
        dept=rng.choice(DEPARTMENTS),
        muni=rng.choice(MUNICIPALITIES)[0])


def format_date(rng, when):
    """One of the Danish date forms of DOMAIN.md section 6, with its place if any."""
    d, m, y = when.day, when.month, when.year
    forms = [
        f"{rng.choice(DATE_PLACES)}, den {d}. {MONTHS[m - 1]} {y}",
        f"{rng.choice(DATE_PLACES)} d. {d}. {MONTHS_SHORT[m - 1]} {y}",
        f"{WEEKDAYS[when.weekday()]} den {d}. {MONTHS[m - 1]} {y}",
        f"Kbh. d. {d}/{m}-{y}",
        f"Dato: {d:02d}.{m:02d}.{y}",
        f"{d}.{m}.{y % 100:02d}",
        f"{d:02d}-{m:02d}-{y}",
        f"{d}/{m} {y}",
        f"{y}-{m:02d}-{d:02d}",
        f"den {d}. {MONTHS[m - 1]} {y}",
    ]
    return rng.choice(forms)


def case_reference(rng):
    """A fictional case reference in a format of DOMAIN.md section 3."""
    kind = rng.randrange(3)
    if kind == 0:
        return f"{rng.randint(2019, 2025)}-{rng.randint(0, 9999999):07d}"
    if kind == 1:
        return (f"{rng.randint(0, 99):02d}.{rng.randint(0, 99):02d}.{rng.randint(0, 40):02d}-"
                f"{rng.choice('ABGKP')}{rng.randint(1, 99):02d}-{rng.randint(1, 40)}-"
                f"{rng.randint(15, 25)}")
    return f"{rng.randint(15, 25)}/{rng.randint(1000, 99999)}"


def person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def address(rng):
    street = f"{rng.choice(STREETS)} {rng.randint(1, 180)}{rng.choice(['', '', '', 'A', 'B'])}"
    street += rng.choice(FLOORS)
    postcode, town = rng.choice(TOWNS)
    return [street, f"{postcode} {town}"]


# ---------------------------------------------------------------------------------------
# Letter layout. A block is a list of lines; a line is (text, font, alignment).


def wrap(text, font, width):
    words = text.split(" ")
    lines, current = [], ""
    for word in words:
        trial = word if not current else current + " " + word
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def compose_letter(rng, when):
    """The content of one letter as logical blocks, plus facts for the manifest.

    Returns (blocks, facts) where blocks is a list of (kind, payload): ("lines",
    [(text, style, align)]) for fixed lines, ("para", text) for a paragraph to wrap,
    ("signature", None) for a signature gap.
    """
    topic = rng.randrange(len(TOPICS))
    subject, citizen_pool, muni_pool = TOPICS[topic]
    from_citizen = rng.random() < 0.6
    muni = rng.choice(MUNICIPALITIES)
    dept = rng.choice(DEPARTMENTS)
    writer = person(rng)
    blocks = []
    facts = {"letter_date": when.isoformat(), "case_refs": [], "topic": subject}
    ref = case_reference(rng) if rng.random() < 0.5 else None
    if ref:
        facts["case_refs"].append(ref)
    date_line = format_date(rng, when)
    date_align = rng.choice(["left", "right", "right"])
    if from_citizen:
        blocks.append(("lines", [(writer, "regular", "left")] +
                       [(s, "regular", "left") for s in address(rng)] +
                       ([(f"Tlf. {fill('{phone}', rng, when)}", "regular", "left")]
                        if rng.random() < 0.5 else [])))
        blocks.append(("lines", [(muni[0], "regular", "left"), (dept, "regular", "left"),
                                 (muni[1], "regular", "left"),
                                 (f"{muni[2]} {muni[3]}", "regular", "left")]))
        blocks.append(("lines", [(date_line, "regular", date_align)]))
        head = [(f"Vedr.: {subject}", "bold", "left")]
        if ref:
            head.append((rng.choice(["Jeres sagsnr. ", "Sagsnr. ", "J.nr. "]) + ref,
                         "regular", "left"))
        blocks.append(("lines", head))
        opening = fill(rng.choice(CITIZEN_OPENINGS), rng, when)
        pool, closings, middle = citizen_pool, CITIZEN_CLOSINGS, CITIZEN_MIDDLE
        signer, signer_title = writer, None
    else:
        recipient = person(rng)
        blocks.append(("lines", [(muni[0], "bold", "right"), (dept, "regular", "right")]))
        blocks.append(("lines", [(recipient, "regular", "left")] +
                       [(s, "regular", "left") for s in address(rng)]))
        blocks.append(("lines", [(date_line, "regular", date_align)] +
                       ([(f"Sagsnr. {ref}", "regular", date_align)] if ref else [])))
        blocks.append(("lines", [(subject, "bold", "left")]))
        opening = f"Kære {recipient.split(' ')[0]}"
        pool, closings, middle = muni_pool, MUNI_CLOSINGS, MUNI_MIDDLE
        signer, signer_title = writer, rng.choice(TITLES)
    blocks.append(("lines", [(opening, "regular", "left")]))
    # The first sentence of a topic opens the letter; the others follow in any order.
    sentences = [fill(s, rng, when) for s in [pool[0]] + rng.sample(pool[1:], len(pool) - 1)]
    cut = rng.randint(2, max(2, len(sentences) - 1))
    paragraphs = [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    if rng.random() < 0.6:
        paragraphs.append(" ".join(fill(s, rng, when)
                                   for s in rng.sample(middle, rng.randint(2, 4))))
    closing = [fill(s, rng, when) for s in rng.sample(closings, rng.randint(1, 3))]
    paragraphs.append(" ".join(closing))
    for paragraph in paragraphs:
        if paragraph:
            blocks.append(("para", paragraph))
    blocks.append(("lines", [("Med venlig hilsen", "regular", "left")]))
    blocks.append(("signature", None))
    sign = [(signer, "regular", "left")]
    if signer_title:
        sign += [(signer_title, "regular", "left"), (dept, "regular", "left")]
    blocks.append(("lines", sign))
    return blocks, facts


def layout_letter(blocks, font_name, size_pt, margin_left, margin_right, top,
                  drop_paragraphs):
    """Places the blocks on an A4 page. Returns (lines, signature_box, bottom) where lines
    are (text, font, x, y) with y the top of the line box."""
    typewriter = font_name in TYPEWRITER_FONTS
    regular = load_font(font_name, size_pt)
    bold = load_font(font_name, size_pt, bold=not typewriter)
    line_height = round(size_pt * PX_PER_PT * 1.3)
    block_gap = round(line_height * 0.9)
    width = A4_W - margin_left - margin_right
    paragraphs = [i for i, (kind, _) in enumerate(blocks) if kind == "para"]
    dropped = set(paragraphs[len(paragraphs) - drop_paragraphs:]) if drop_paragraphs else set()
    y = top
    lines, signature_box = [], None
    for i, (kind, payload) in enumerate(blocks):
        if i in dropped:
            continue
        if kind == "signature":
            signature_box = (margin_left, y, margin_left + round(55 * PX_PER_MM),
                             y + round(2.2 * line_height))
            y += round(2.4 * line_height)
            continue
        if kind == "para":
            items = [(text, regular, "left") for text in wrap(payload, regular, width)]
        else:
            items = [(text, bold if style == "bold" else regular, align)
                     for text, style, align in payload]
        for text, font, align in items:
            x = margin_left
            if align == "right":
                x = A4_W - margin_right - round(font.getlength(text))
            lines.append((text, font, x, y))
            y += line_height
        y += block_gap
    return lines, signature_box, y


def rotated_fits(boxes, skew, margin):
    """True if all boxes (x0, y0, x1, y1) stay inside the page minus margin after a
    rotation by skew degrees about the page centre."""
    cx, cy = A4_W / 2, A4_H / 2
    c, s = math.cos(math.radians(skew)), math.sin(math.radians(skew))
    for x0, y0, x1, y1 in boxes:
        for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            dx, dy = x - cx, y - cy
            # Counter-clockwise on screen (y grows downwards).
            rx, ry = cx + dx * c + dy * s, cy - dx * s + dy * c
            if not (margin <= rx <= A4_W - margin and margin <= ry <= A4_H - margin):
                return False
    return True


# ---------------------------------------------------------------------------------------
# Drawing into the ink layer (mode "L": 0 = no ink, 255 = full ink).


def draw_text_lines(ink, lines, rng, typewriter):
    draw = ImageDraw.Draw(ink)
    for text, font, x, y in lines:
        if not typewriter:
            draw.text((x, y), text, font=font, fill=255)
            continue
        # A typewriter strikes every character separately: fixed advance, slight vertical
        # jitter and uneven ribbon ink.
        advance = font.getlength("M")
        for k, ch in enumerate(text):
            if ch == " ":
                continue
            draw.text((round(x + k * advance), y + rng.choice((-1, 0, 0, 0, 1))), ch,
                      font=font, fill=rng.randint(200, 255))


def scribble(rng, width, height):
    """A handwritten-looking signature: an antialiased smooth loopy curve."""
    scale = 2
    canvas = Image.new("L", (width * scale, height * scale), 0)
    draw = ImageDraw.Draw(canvas)
    loops = rng.uniform(3.5, 7.5)
    amp_x = rng.uniform(0.04, 0.09) * width
    amp_y = rng.uniform(0.18, 0.3) * height
    phase = rng.uniform(0, 2 * math.pi)
    drift = rng.uniform(-0.15, 0.15) * height
    # A random smooth envelope makes the letters uneven; a few slower waves make the
    # word rise and fall.
    envelope = [(rng.uniform(0.5, 1.3), rng.uniform(1, 4), rng.uniform(0, 6.3))
                for _ in range(3)]
    waves = [(rng.uniform(0.03, 0.1) * height, rng.uniform(0.5, 2.5), rng.uniform(0, 6.3))
             for _ in range(3)]
    points = []
    steps = 500
    for k in range(steps + 1):
        t = k / steps
        env = sum(a * (0.6 + 0.4 * math.sin(f * 2 * math.pi * t + p))
                  for a, f, p in envelope) / 3
        x = 0.05 * width + t * 0.85 * width + amp_x * math.sin(2 * math.pi * loops * t + phase)
        y = (height / 2 + drift * (t - 0.5) +
             amp_y * env * math.cos(2 * math.pi * loops * t) +
             sum(a * math.sin(2 * math.pi * f * t + p) for a, f, p in waves))
        if k < steps * 0.12:  # a capital's taller first stroke
            y -= (0.12 - t) / 0.12 * 0.3 * height * math.sin(math.pi * t / 0.12)
        points.append((x * scale, y * scale))
    # Pen pressure: the stroke thins and thickens along the way.
    base = rng.uniform(2.5, 4.5) * scale
    for k in range(0, steps, 25):
        width_k = max(2, round(base * (0.7 + 0.5 * math.sin(k / steps * 7 + phase) ** 2)))
        draw.line(points[k:k + 26], fill=255, width=width_k, joint="curve")
    stroke = round(base)
    if rng.random() < 0.6:  # an underline flourish
        y0 = height * rng.uniform(0.75, 0.9)
        draw.line([(0.1 * width * scale, y0 * scale),
                   (0.5 * width * scale, (y0 + 0.05 * height) * scale),
                   (0.95 * width * scale, (y0 - 0.08 * height) * scale)],
                  fill=255, width=stroke, joint="curve")
    return canvas.resize((width, height), Image.LANCZOS)


def paste_max(ink, patch, x, y):
    """Adds a patch to the ink layer (ink is the maximum of both)."""
    region = ink.crop((x, y, x + patch.width, y + patch.height))
    ink.paste(Image.fromarray(np.maximum(np.asarray(region), np.asarray(patch))), (x, y))


def stamp_patch(rng, nprng, lines, round_shape):
    """A rubber stamp: border and bold caps, mottled ink. Returns an "L" patch."""
    if round_shape:
        size = round(46 * PX_PER_MM)
        w, h = size, size
    else:
        w, h = round(62 * PX_PER_MM), round(28 * PX_PER_MM)
    patch = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(patch)
    thick = rng.randint(5, 8)
    if round_shape:
        draw.ellipse((2, 2, w - 3, h - 3), outline=255, width=thick)
        draw.ellipse((22, 22, w - 23, h - 23), outline=255, width=max(2, thick // 2))
        text_w = 0.7 * w
    else:
        draw.rectangle((2, 2, w - 3, h - 3), outline=255, width=thick)
        text_w = 0.86 * w
    fonts = []
    for text in lines:
        px = round(12 * PX_PER_PT)
        while load_font_file(STAMP_FONT, px).getlength(text) > text_w and px > 38:
            px -= 2  # not below 9 pt
        fonts.append(load_font_file(STAMP_FONT, px))
    boxes = [font.getbbox(text) for text, font in zip(lines, fonts)]
    gap = 16
    total = sum(b[3] - b[1] for b in boxes) + gap * (len(lines) - 1)
    y = (h - total) / 2
    for text, font, box in zip(lines, fonts, boxes):
        draw.text(((w - font.getlength(text)) / 2, y - box[1]), text, font=font, fill=255)
        y += box[3] - box[1] + gap
    # Mottling: the rubber does not ink evenly.
    field = nprng.uniform(0.55, 1.0, size=(h // 24 + 2, w // 24 + 2)).astype(np.float32)
    field_img = Image.fromarray((field * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    mottled = np.asarray(patch, dtype=np.float32) * np.asarray(field_img, np.float32) / 255
    return Image.fromarray(mottled.astype(np.uint8))


# ---------------------------------------------------------------------------------------
# Code 128 (set B) encoder. Each symbol value 0..106 is six alternating bar/space widths in
# modules (stop: seven). Checked against zxing-cpp when written.

CODE128_PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112"
).split()
CODE128_START_B, CODE128_STOP = 104, 106


def code128b_modules(payload):
    """The bar/space module sequence (True = bar) of payload in Code 128 set B, with a
    10-module quiet zone each side. REQUIRES: payload is printable ASCII."""
    values = [CODE128_START_B]
    for ch in payload:
        code = ord(ch)
        assert 32 <= code <= 127, "Code 128-B takes printable ASCII only"
        values.append(code - 32)
    checksum = (CODE128_START_B + sum(i * v for i, v in enumerate(values[1:], 1))) % 103
    values += [checksum, CODE128_STOP]
    modules = [False] * 10
    for value in values:
        bar = True
        for width in CODE128_PATTERNS[value]:
            modules += [bar] * int(width)
            bar = not bar
    return modules + [False] * 10


def code128_patch(payload, module_px, height_px):
    modules = code128b_modules(payload)
    row = np.repeat(np.array(modules, dtype=np.uint8) * 255, module_px)
    return Image.fromarray(np.tile(row, (height_px, 1)))


def qr_patch(payload, module_px):
    import qrcode  # python3-qrcode; only the barcode sheets need it
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=module_px,
                       border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white").convert("L")
    return Image.fromarray(255 - np.asarray(img))


# ---------------------------------------------------------------------------------------
# Page specifications. A spec is a dict with everything needed to render a page; the
# presets build lists of specs, and render_page() turns one spec into pixels + truth.


def default_degradation(rng, allow_blur=True):
    return {
        "paper": rng.randint(225, 250),
        "noise_sigma": round(rng.uniform(2.0, 6.0), 2),
        "salt_pepper": round(rng.uniform(0.0001, 0.0008), 5),
        "dust": rng.randint(20, 400),
        "blur": round(rng.uniform(0.5, 1.0), 2) if allow_blur and rng.random() < 0.25 else 0,
        "border": rng.random() < 0.25,
        "holes": rng.random() < 0.12,
        "hole_x_mm": round(rng.uniform(10, 13), 2),
        "ink": rng.randint(15, 55),
    }


def make_letter_spec(page_no, rng, font, orientation, skew, signature=None, degr=None,
                     size_pt=None):
    typewriter = font in TYPEWRITER_FONTS
    return {
        "page_no": page_no, "kind": "letter", "font": font,
        "size_pt": size_pt or rng.choice([10, 10.5, 11, 11.5, 12]),
        "orientation": orientation, "skew": skew,
        "signature": rng.random() < 0.4 if signature is None else signature,
        "date": (datetime.date(2025, 1, 1) +
                 datetime.timedelta(days=rng.randrange(400))).isoformat(),
        "content_seed": rng.getrandbits(32),
        "degr": degr or default_degradation(rng, allow_blur=not typewriter),
    }


def bench_plan(seed, count):
    """The bench preset: count pages (default 51: 34 letters, 11 blank backs, 6 hard
    non-blank pages)."""
    rng = random.Random(f"pagegen-bench-plan/{seed}")
    n_hard = max(1, round(count * 6 / 51)) if count >= 8 else 0
    rest = count - n_hard
    n_letters = math.ceil(rest * 0.75)
    n_backs = rest - n_letters
    # Orientation of the letters: about 1 in 8 pages upside down overall (the short-line
    # page adds one), one at 90 and one at 270 per 34 letters.
    n_180 = max(1, round(count / 8) - (1 if n_hard >= 5 else 0))
    n_90 = max(1, round(n_letters / 34)) if n_letters >= 8 else 0
    orients = [180] * n_180 + [90] * n_90 + [270] * n_90
    orients += [0] * max(0, n_letters - len(orients))
    orients = orients[:n_letters]
    rng.shuffle(orients)
    n_typewriter = math.ceil(n_letters / 4)
    fonts = [TYPEWRITER_FONTS[i % 2] for i in range(n_typewriter)]
    fonts += [rng.choice(PROPORTIONAL_FONTS) for _ in range(n_letters - n_typewriter)]
    rng.shuffle(fonts)
    with_back = set(rng.sample(range(n_letters), n_backs))
    hard_kinds = ["signature", "stamp_round", "short_line", "stamp_rect", "short_line_180",
                  "signature"]
    hard = [hard_kinds[i % len(hard_kinds)] for i in range(n_hard)]
    # Units: a letter (with its back) or a hard page, hard pages spread at random.
    units = [("letter", i) for i in range(n_letters)]
    for kind in hard:
        units.insert(rng.randrange(len(units) + 1), (kind, None))
    specs = []
    for kind, letter_index in units:
        page_no = len(specs) + 1
        prng = random.Random(f"pagegen-spec/{seed}/{page_no}")
        if kind == "letter":
            spec = make_letter_spec(page_no, prng, fonts[letter_index], orients[letter_index],
                                    round(prng.uniform(-5.0, 5.0), 3))
            specs.append(spec)
            if letter_index in with_back:
                back = {"page_no": page_no + 1, "kind": "blank_back", "front": spec,
                        "degr": dict(default_degradation(prng), blur=0, holes=False,
                                     dust=prng.randint(0, 30), specks=prng.choice([0, 0, 1, 2]),
                                     bleed=prng.randint(12, 30))}
                specs.append(back)
        else:
            specs.append(make_hard_spec(page_no, prng, kind))
    return specs


def make_hard_spec(page_no, rng, kind, skew=None, orientation=None):
    degr = default_degradation(rng)
    degr["border"] = False
    if kind == "signature":
        return {"page_no": page_no, "kind": "signature", "orientation": 0,
                "skew": round(rng.uniform(-3, 3), 3) if skew is None else skew, "degr": degr}
    if kind in ("stamp_round", "stamp_rect"):
        return {"page_no": page_no, "kind": "stamp", "round": kind == "stamp_round",
                "orientation": 0, "skew": round(rng.uniform(-3, 3), 3) if skew is None else skew,
                "date": (datetime.date(2025, 1, 2) +
                         datetime.timedelta(days=rng.randrange(400))).isoformat(),
                "degr": degr}
    upside = kind == "short_line_180"
    return {"page_no": page_no, "kind": "short_line",
            "orientation": (180 if upside else 0) if orientation is None else orientation,
            "skew": round(rng.uniform(-2, 2), 3) if skew is None else skew,
            "font": rng.choice(PROPORTIONAL_FONTS), "size_pt": rng.choice([11, 12]),
            "degr": degr}


# The tests preset: fixed order, so the C++ tests can refer to pages by number.
#  1 letter, skew 0, upright                 9 short line, upright
#  2 letter, skew -4.5, upside down         10 short line, upside down
#  3 letter, skew +0.3, turned 90           11 signature only
#  4 letter, skew +7, turned 270            12 stamp only
#  5 letter, skew -10, typewriter           13 QR sheet INTAKE:SEP:1
#  6 letter, skew +10, typewriter           14 QR cover sheet INTAKE:COVER:2024-0123456
#  7 blank back of 6 (bleed-through)        15 Code 128 sheet INTAKE:SEP:2
#  8 pure white page
TESTS_LETTERS = [(0.0, 0, "DejaVu Serif"), (-4.5, 180, "Liberation Sans"),
                 (0.3, 90, "Liberation Serif"), (7.0, 270, "DejaVu Sans"),
                 (-10.0, 0, "Nimbus Mono PS"), (10.0, 0, "FreeMono")]


def tests_degradation(rng, **overrides):
    degr = {"paper": rng.randint(232, 246), "noise_sigma": 3.0, "salt_pepper": 0.0002,
            "dust": 40, "blur": 0, "border": False, "holes": False, "hole_x_mm": 12,
            "ink": 30}
    degr.update(overrides)
    return degr


def tests_plan(seed):
    specs = []
    for skew, orientation, font in TESTS_LETTERS:
        page_no = len(specs) + 1
        rng = random.Random(f"pagegen-spec/{seed}/{page_no}")
        degr = tests_degradation(rng, border=page_no == 2, holes=page_no == 4)
        specs.append(make_letter_spec(page_no, rng, font, orientation, skew,
                                      signature=page_no in (1, 4), degr=degr, size_pt=11))
    rng = random.Random(f"pagegen-spec/{seed}/7")
    specs.append({"page_no": 7, "kind": "blank_back", "front": specs[5],
                  "degr": dict(tests_degradation(rng), specks=2, bleed=20)})
    specs.append({"page_no": 8, "kind": "white"})
    for page_no, orientation in ((9, 0), (10, 180)):
        rng = random.Random(f"pagegen-spec/{seed}/{page_no}")
        spec = make_hard_spec(page_no, rng, "short_line", skew=0.0, orientation=orientation)
        spec["degr"] = tests_degradation(rng)
        specs.append(spec)
    rng = random.Random(f"pagegen-spec/{seed}/11")
    specs.append(dict(make_hard_spec(11, rng, "signature", skew=0.0),
                      degr=tests_degradation(rng)))
    rng = random.Random(f"pagegen-spec/{seed}/12")
    specs.append(dict(make_hard_spec(12, rng, "stamp_rect", skew=0.0),
                      degr=tests_degradation(rng)))
    barcodes = [(13, "QRCode", "INTAKE:SEP:1",
                 ["SEPARATORARK", "INTAKE:SEP:1", "Læg arket foran hvert nyt dokument."]),
                (14, "QRCode", "INTAKE:COVER:2024-0123456",
                 ["FORSIDE TIL SAG", "Sagsnr. 2024-0123456", "Dokumenterne efter dette ark",
                  "journaliseres på sagen."]),
                (15, "Code128", "INTAKE:SEP:2",
                 ["SEPARATORARK", "INTAKE:SEP:2", "Stregkode til ældre scannere."])]
    for page_no, fmt, payload, lines in barcodes:
        rng = random.Random(f"pagegen-spec/{seed}/{page_no}")
        specs.append({"page_no": page_no, "kind": "barcode", "format": fmt,
                      "payload": payload, "lines": lines, "orientation": 0, "skew": 0.0,
                      "degr": tests_degradation(rng, dust=10)})
    return specs


# ---------------------------------------------------------------------------------------
# Rendering.


def render_letter_ink(spec):
    """The upright, unskewed ink layer of a letter, its hole mask and its truth."""
    rng = random.Random(f"pagegen-letter/{spec['content_seed']}")
    when = datetime.date.fromisoformat(spec["date"])
    blocks, facts = compose_letter(rng, when)
    font, size = spec["font"], spec["size_pt"]
    typewriter = font in TYPEWRITER_FONTS
    base_margin = round(rng.uniform(22, 28) * PX_PER_MM)
    top = round(rng.uniform(18, 30) * PX_PER_MM)
    n_paras = sum(1 for kind, _ in blocks if kind == "para")
    chosen = None
    for extra in (0, 120, 240, 360):
        for drop in range(n_paras):
            lines, sig_box, bottom = layout_letter(blocks, font, size, base_margin + extra,
                                                   base_margin + extra, top, drop)
            boxes = [(x, y, x + font_px.getlength(t), y + size * PX_PER_PT * 1.25)
                     for t, font_px, x, y in lines]
            if bottom < A4_H - 2 * base_margin // 3 and rotated_fits(boxes, spec["skew"], 90):
                chosen = (lines, sig_box)
                break
        if chosen:
            break
    assert chosen, f"letter on page {spec['page_no']} does not fit at skew {spec['skew']}"
    lines, sig_box = chosen
    ink = Image.new("L", (A4_W, A4_H), 0)
    draw_text_lines(ink, lines, rng, typewriter)
    if spec.get("signature") and sig_box:
        w, h = sig_box[2] - sig_box[0], sig_box[3] - sig_box[1]
        sig = scribble(rng, w, h)
        sig = Image.fromarray((np.asarray(sig, np.float32) * rng.uniform(0.6, 0.9)).astype(
            np.uint8))
        paste_max(ink, sig, sig_box[0], sig_box[1])
    facts["text"] = "\n".join(t for t, _, _, _ in lines)
    facts["line_count"] = len(lines)
    return ink, facts


def geometry(layer, skew, orientation, fill=0):
    """Applies the manifest conventions to an upright layer: rotate counter-clockwise by
    skew (A4 size kept), then turn counter-clockwise by orientation (size swaps at 90/270)."""
    if skew:
        layer = rotate_ink(layer, skew) if fill == 0 else layer.rotate(
            skew, resample=Image.BICUBIC, fillcolor=fill)
    turns = {0: None, 90: Image.ROTATE_90, 180: Image.ROTATE_180, 270: Image.ROTATE_270}
    if turns[orientation] is not None:
        layer = layer.transpose(turns[orientation])
    return layer


def rotate_ink(layer, skew):
    """layer.rotate(skew, BICUBIC, fillcolor=0) about the page centre, computed only over
    the inked part: the crop is rotated about its own centre (expand=True keeps that centre
    in the middle of the result) and pasted where the page rotation takes that centre. The
    placement is rounded to whole pixels; the angle is exact."""
    box = layer.getbbox()
    if box is None:
        return layer
    pad = 4
    x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
    x1, y1 = min(layer.width, box[2] + pad), min(layer.height, box[3] + pad)
    turned = layer.crop((x0, y0, x1, y1)).rotate(skew, resample=Image.BICUBIC, expand=True,
                                                 fillcolor=0)
    nx, ny = transform_point((x0 + x1) / 2, (y0 + y1) / 2, skew, 0)
    out = Image.new("L", layer.size, 0)
    out.paste(turned, (round(nx - turned.width / 2), round(ny - turned.height / 2)))
    return out


def transform_point(x, y, skew, orientation):
    """Where the upright A4 point (x, y) lands in the final frame after geometry()."""
    cx, cy = A4_W / 2, A4_H / 2
    c, s = math.cos(math.radians(skew)), math.sin(math.radians(skew))
    dx, dy = x - cx, y - cy
    x, y = cx + dx * c + dy * s, cy - dx * s + dy * c
    if orientation == 90:  # turned counter-clockwise: the left edge becomes the bottom
        return y, A4_W - x
    if orientation == 180:
        return A4_W - x, A4_H - y
    if orientation == 270:
        return A4_H - y, x
    return x, y


def final_size(orientation):
    return (A4_H, A4_W) if orientation in (90, 270) else (A4_W, A4_H)


def hole_mask(hole_x_mm, skew, orientation):
    """255 inside two punch holes near the left margin of the upright page, drawn in the
    final frame."""
    mask = Image.new("L", final_size(orientation), 0)
    draw = ImageDraw.Draw(mask)
    r = 2.75 * PX_PER_MM
    cx = hole_x_mm * PX_PER_MM
    for dy in (-40, 40):  # the Danish two-hole punch: 80 mm apart, centred
        x, y = transform_point(cx, A4_H / 2 + dy * PX_PER_MM, skew, orientation)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return mask


def bed_mask(skew, orientation):
    """255 where the skewed sheet does not cover the scan area (the scanner bed shows)."""
    mask = Image.new("L", final_size(orientation), 255)
    corners = [transform_point(x, y, skew, orientation)
               for x, y in ((0, 0), (A4_W, 0), (A4_W, A4_H), (0, A4_H))]
    ImageDraw.Draw(mask).polygon(corners, fill=0)
    return mask


def compose(ink, degr, nprng, rng, bed_mask=None, holes=None):
    """Ink layer (final frame) to a scanned grey page with scanner artefacts."""
    h, w = ink.height, ink.width
    # Paper field: the tone with a gentle illumination gradient (a few grey levels).
    gx = np.linspace(0, nprng.uniform(-2.5, 2.5), w, dtype=np.float32)
    gy = np.linspace(0, nprng.uniform(-2.5, 2.5), h, dtype=np.float32)
    field = (degr["paper"] + gy)[:, None] + gx[None, :]
    # page = field * (1 - alpha) + ink * alpha, alpha = ink layer / 255.
    page = np.asarray(ink, np.float32)
    page *= 1.0 / 255
    page *= degr["ink"] - field
    page += field
    del field
    bed = rng.randint(10, 50)
    if bed_mask is not None:  # outside the paper (skew wedges) the dark scanner bed shows
        outside = np.asarray(bed_mask, np.float32) / 255
        page = page * (1 - outside) + bed * outside
    if holes is not None:
        inside = np.asarray(holes, np.float32) / 255
        page = page * (1 - inside) + bed * inside
    if degr.get("border"):
        edges = rng.sample(["left", "right", "top", "bottom"], rng.choice([1, 1, 2]))
        for edge in edges:
            width = rng.randint(10, 60)
            length = h if edge in ("left", "right") else w
            wobble = np.cumsum(nprng.integers(-1, 2, size=length)).clip(-6, 6)
            extent = (width + wobble).clip(2, None)
            if edge == "left":
                page[np.arange(w)[None, :] < extent[:, None]] = bed
            elif edge == "right":
                page[np.arange(w)[None, :] >= (w - extent)[:, None]] = bed
            elif edge == "top":
                page[np.arange(h)[:, None] < extent[None, :]] = bed
            else:
                page[np.arange(h)[:, None] >= (h - extent)[None, :]] = bed
    if degr.get("blur"):  # the optics blur what lies on the glass, before sensor noise
        page = np.rint(np.clip(page, 0, 255)).astype(np.uint8)
        page = np.asarray(Image.fromarray(page).filter(ImageFilter.GaussianBlur(degr["blur"])),
                          dtype=np.float32)
    out = page
    if degr.get("noise_sigma"):
        out += gaussian_noise(nprng, (h, w), degr["noise_sigma"])
    # Dust: small dark specks of 1-3 px radius.
    for _ in range(degr.get("dust", 0)):
        y, x = nprng.integers(0, h), nprng.integers(0, w)
        r = int(nprng.integers(1, 4))
        out[max(0, y - r // 2):y + r, max(0, x - r // 2):x + r] = nprng.uniform(20, 120)
    np.clip(out, 0, 255, out=out)
    out = np.rint(out, out=out).astype(np.uint8)
    sp = degr.get("salt_pepper", 0)
    if sp:
        n = int(h * w * sp)
        ys, xs = nprng.integers(0, h, size=n), nprng.integers(0, w, size=n)
        out[ys, xs] = np.where(nprng.random(n) < 0.5, 0, 255).astype(np.uint8)
    return out


_NORMAL_QUANTILES = None


def gaussian_noise(nprng, shape, sigma):
    """Gaussian noise with standard deviation sigma, drawn as one of 256 equiprobable
    quantiles of the normal distribution (four times faster than standard_normal on a
    full page, and indistinguishable after rounding to grey levels)."""
    global _NORMAL_QUANTILES
    if _NORMAL_QUANTILES is None:
        from statistics import NormalDist
        unit = NormalDist()
        _NORMAL_QUANTILES = np.array([unit.inv_cdf((k + 0.5) / 256) for k in range(256)],
                                     dtype=np.float32)
    return (_NORMAL_QUANTILES * np.float32(sigma))[nprng.integers(0, 256, size=shape,
                                                                 dtype=np.uint8)]


def add_specks(page, nprng, count):
    """A blank back's one or two visible specks (a crumb, a staple's shadow)."""
    h, w = page.shape
    for _ in range(count):
        y, x = int(nprng.integers(200, h - 200)), int(nprng.integers(200, w - 200))
        r = int(nprng.integers(3, 7))
        yy, xx = np.ogrid[-r:r + 1, -r:r + 1]
        disc = (yy * yy + xx * xx) <= r * r
        region = page[y - r:y + r + 1, x - r:x + r + 1]
        region[disc] = np.minimum(region[disc], int(nprng.integers(40, 110)))


def render_page(spec, seed, cache=None):
    """Renders one page. Returns (numpy uint8 image, manifest entry). A letter leaves its
    final ink layer in `cache` (a dict, if given) for the blank back that follows it."""
    page_no = spec["page_no"]
    rng = random.Random(f"pagegen-render/{seed}/{page_no}")
    nprng = np.random.default_rng([seed, page_no, 7])
    kind = spec["kind"]
    entry = {"file": f"p{page_no:03d}.png", "kind": kind, "font": None, "text": "",
             "orientation": spec.get("orientation", 0),
             "skew_degrees": float(spec.get("skew", 0.0)), "blank": False, "barcodes": []}
    if kind == "white":
        entry.update(blank=True, kind="blank_white")
        return np.full((A4_H, A4_W), 255, np.uint8), entry

    degr = spec["degr"]
    if kind == "blank_back":
        front = spec["front"]
        front_final = (cache or {}).get(front["page_no"])
        if front_final is None:
            front_ink, _ = render_letter_ink(front)
            front_final = geometry(front_ink, front["skew"], front["orientation"])
        # Seen from the back the front is mirrored left-right, which negates the skew and
        # the orientation (mirror * rot(a) = rot(-a) * mirror).
        # Blurred at a quarter of the size: the same soft shadow, a tenth of the work.
        mirrored = front_final.transpose(Image.FLIP_LEFT_RIGHT)
        small = mirrored.reduce(4).filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.65)))
        bleed = small.resize(mirrored.size, Image.BILINEAR)
        ink = Image.fromarray((np.asarray(bleed, np.float32) * degr["bleed"] / 255 *
                               255 / max(1, degr["paper"] - degr["ink"])).astype(np.uint8))
        entry.update(blank=True, orientation=(-front["orientation"]) % 360,
                     skew_degrees=-float(front["skew"]), bleed_through=True)
        holes = None
        if front["degr"].get("holes"):  # the holes go through the sheet
            holes = hole_mask(front["degr"]["hole_x_mm"], front["skew"],
                              front["orientation"]).transpose(Image.FLIP_LEFT_RIGHT)
            entry["punch_holes"] = True
        page = compose(ink, degr, nprng, rng, holes=holes)
        add_specks(page, nprng, degr.get("specks", 0))
        return page, entry

    if kind == "letter":
        ink, facts = render_letter_ink(spec)
        entry.update(font=spec["font"], font_size_pt=spec["size_pt"],
                     typewriter=spec["font"] in TYPEWRITER_FONTS, text=facts["text"],
                     line_count=facts["line_count"], letter_date=facts["letter_date"],
                     case_refs=facts["case_refs"], signature=bool(spec.get("signature")))
    else:
        ink = Image.new("L", (A4_W, A4_H), 0)
        lines = []
        if kind == "signature":
            w, h = round(rng.uniform(50, 80) * PX_PER_MM), round(rng.uniform(18, 28) * PX_PER_MM)
            sig = scribble(rng, w, h)
            sig = Image.fromarray((np.asarray(sig, np.float32) * rng.uniform(0.55, 0.9)).astype(
                np.uint8))
            paste_max(ink, sig, rng.randint(300, A4_W - w - 300),
                      rng.randint(A4_H // 2, A4_H - h - 500))
        elif kind == "stamp":
            when = datetime.date.fromisoformat(spec["date"])
            date = f"{when.day} {MONTHS_SHORT[when.month - 1].rstrip('.').upper()}. {when.year}"
            date = date.replace("MAJ.", "MAJ")
            if spec["round"]:
                unit = rng.choice(["BORGERSERVICE", "JOBCENTER", "POSTRUMMET", "BYGGERI"])
                lines = ["MODTAGET", date, unit]
            else:
                lines = [rng.choice(MUNICIPALITIES)[0].upper(), "MODTAGET", date]
            patch = stamp_patch(rng, nprng, lines, spec["round"])
            patch = Image.fromarray((np.asarray(patch, np.float32) * rng.uniform(0.55, 0.8)
                                     ).astype(np.uint8))
            paste_max(ink, patch, rng.randint(1100, A4_W - patch.width - 250),
                      rng.randint(250, 900))
            entry["font"] = "DejaVu Sans Bold"
        elif kind == "short_line":
            text = rng.choice(SHORT_LINES)
            font = load_font(spec["font"], spec["size_pt"])
            lines = [text]
            draw = ImageDraw.Draw(ink)
            draw.text((rng.randint(280, 700), rng.randint(400, 1400)), text, font=font, fill=255)
            entry.update(font=spec["font"], font_size_pt=spec["size_pt"])
        elif kind == "barcode":
            if spec["format"] == "QRCode":
                patch = qr_patch(spec["payload"], 10)
            else:
                patch = code128_patch(spec["payload"], 5, round(18 * PX_PER_MM))
            paste_max(ink, patch, (A4_W - patch.width) // 2, 420)
            draw = ImageDraw.Draw(ink)
            y = 420 + patch.height + 120
            for k, text in enumerate(spec["lines"]):
                font = load_font("Liberation Sans", 12, bold=k == 0)
                draw.text(((A4_W - font.getlength(text)) / 2, y), text, font=font, fill=255)
                y += round(12 * PX_PER_PT * 1.5)
            lines = spec["lines"]
            entry.update(font="Liberation Sans", barcodes=[{"format": spec["format"],
                                                            "text": spec["payload"]}])
        entry["text"] = "\n".join(lines)
        entry["line_count"] = len(lines)

    skew, orientation = spec["skew"], spec["orientation"]
    ink_final = geometry(ink, skew, orientation)
    if cache is not None and kind == "letter":
        cache.clear()
        cache[page_no] = ink_final
    bed = holes = None
    if degr.get("border") and skew:
        bed = bed_mask(skew, orientation)
    if degr.get("holes"):
        holes = hole_mask(degr["hole_x_mm"], skew, orientation)
        entry["punch_holes"] = True
    page = compose(ink_final, degr, nprng, rng, bed_mask=bed, holes=holes)
    if degr.get("border"):
        entry["scanner_border"] = True
    if degr.get("blur"):
        entry["blur"] = degr["blur"]
    return page, entry


def save_png(page, path):
    Image.fromarray(page).save(path, format="PNG", dpi=(DPI, DPI), compress_level=1)


def tiff_strips(page, rows_per_strip):
    """A page's TIFF strips: horizontal differencing (predictor 2), then zlib level 1."""
    diff = page.copy()
    diff[:, 1:] -= page[:, :-1]  # modulo 256, as the predictor defines
    return [zlib.compress(diff[y:y + rows_per_strip].tobytes(), 1)
            for y in range(0, page.shape[0], rows_per_strip)]


class GreyTiffWriter:
    """A minimal multi-page baseline TIFF writer: 8-bit grey (0 = black), Adobe Deflate
    with horizontal predictor, 300 dpi, PageNumber set. Pillow cannot choose the deflate
    level and its LZW is slow on noisy pages; this takes strips compressed in the worker
    processes, so the TIFF costs little more than the PNGs."""

    SHORT, LONG, RATIONAL = 3, 4, 5

    def __init__(self, path, pages_total):
        self.file = open(path, "wb")
        self.file.write(b"II*\0\0\0\0\0")
        self.next_pointer = 4  # where the offset of the next IFD goes
        self.index = 0
        self.total = pages_total

    def _align(self):
        if self.file.tell() % 2:
            self.file.write(b"\0")

    def _entry(self, tag, kind, count, value):
        if kind == self.SHORT:
            values = list(value) if isinstance(value, tuple) else [value]
            return struct.pack("<HHI", tag, kind, count) + struct.pack(
                f"<{len(values)}H", *values).ljust(4, b"\0")
        return struct.pack("<HHII", tag, kind, count, value)

    def add(self, width, height, rows_per_strip, strips):
        f = self.file
        offsets, counts = [], []
        for strip in strips:
            self._align()
            offsets.append(f.tell())
            counts.append(len(strip))
            f.write(strip)
        self._align()
        offsets_at = f.tell()
        f.write(struct.pack(f"<{len(offsets)}I", *offsets))
        counts_at = f.tell()
        f.write(struct.pack(f"<{len(counts)}I", *counts))
        resolution_at = f.tell()
        f.write(struct.pack("<II", DPI, 1))
        many = len(strips) > 1
        entries = [  # in tag order, as TIFF requires
            self._entry(256, self.LONG, 1, width),
            self._entry(257, self.LONG, 1, height),
            self._entry(258, self.SHORT, 1, 8),
            self._entry(259, self.SHORT, 1, 8),  # Adobe Deflate
            self._entry(262, self.SHORT, 1, 1),  # BlackIsZero
            self._entry(273, self.LONG, len(offsets), offsets_at if many else offsets[0]),
            self._entry(277, self.SHORT, 1, 1),
            self._entry(278, self.LONG, 1, rows_per_strip),
            self._entry(279, self.LONG, len(counts), counts_at if many else counts[0]),
            self._entry(282, self.RATIONAL, 1, resolution_at),
            self._entry(283, self.RATIONAL, 1, resolution_at),
            self._entry(296, self.SHORT, 1, 2),  # inches
            self._entry(297, self.SHORT, 2, (self.index, self.total)),
            self._entry(317, self.SHORT, 1, 2),  # horizontal differencing
        ]
        ifd_at = f.tell()
        f.write(struct.pack("<H", len(entries)) + b"".join(entries))
        pointer = f.tell()
        f.write(b"\0\0\0\0")
        f.seek(self.next_pointer)
        f.write(struct.pack("<I", ifd_at))
        f.seek(0, 2)
        self.next_pointer = pointer
        self.index += 1

    def close(self):
        self.file.close()


TIFF_ROWS_PER_STRIP = 256


def _work(args):
    """Renders one unit (a page, or a letter and its back) and writes the wanted pages.
    Returns [(manifest entry, (width, height, TIFF strips or None))]."""
    unit, wanted, seed, out_dir, want_tiff = args
    cache, results = {}, []
    for spec in unit:
        if spec["page_no"] not in wanted and not any(
                s["page_no"] in wanted and s.get("front") is spec for s in unit):
            continue
        page, entry = render_page(spec, seed, cache)
        if spec["page_no"] in wanted:
            save_png(page, os.path.join(out_dir, entry["file"]))
            strips = tiff_strips(page, TIFF_ROWS_PER_STRIP) if want_tiff else None
            results.append((entry, (page.shape[1], page.shape[0], strips)))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=["bench", "tests"], required=True)
    parser.add_argument("--out", required=True, help="output directory (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=None,
                        help="bench: number of pages (default 51); tests: keep the first N")
    parser.add_argument("--pages", default=None,
                        help="only these page numbers, e.g. 3,7 (same pixels as in a full run)")
    parser.add_argument("--tiff", default=None, help="also write all pages as one TIFF")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)

    if args.count is not None and args.count < 1:
        parser.error("--count skal være mindst 1")
    if args.preset == "bench":
        specs = bench_plan(args.seed, args.count or 51)
    else:
        specs = tests_plan(args.seed)
        if args.count:
            specs = specs[:args.count]
    if args.pages:
        try:
            wanted = {int(p) for p in args.pages.split(",") if p.strip()}
        except ValueError:
            parser.error(f"--pages: '{args.pages}' er ikke en liste af sidenumre som 3,7")
        unknown = wanted - {s["page_no"] for s in specs}
        if unknown:
            parser.error(f"--pages: siderne {sorted(unknown)} findes ikke i {args.preset}")
    else:
        wanted = {s["page_no"] for s in specs}
    # A blank back is rendered in the same unit as its front, which it needs.
    units = []
    for spec in specs:
        if spec["kind"] == "blank_back" and units and units[-1][0] is spec["front"]:
            units[-1].append(spec)
        else:
            units.append([spec])
    work = [(unit, wanted, args.seed, args.out, bool(args.tiff)) for unit in units
            if any(s["page_no"] in wanted for s in unit)]
    os.makedirs(args.out, exist_ok=True)
    tiff = None
    if args.tiff:
        tiff_tmp = args.tiff + ".tmp"
        tiff = GreyTiffWriter(tiff_tmp, len(wanted))
    entries = []
    pool = multiprocessing.Pool(args.jobs) if args.jobs > 1 and len(work) > 1 else None
    try:
        results = pool.imap(_work, work) if pool else map(_work, work)
        for result in results:  # in page order
            for entry, (width, height, strips) in result:
                entries.append(entry)
                if tiff:
                    tiff.add(width, height, TIFF_ROWS_PER_STRIP, strips)
    finally:
        if pool:
            pool.close()
            pool.join()
        if tiff:
            tiff.close()
    if tiff:
        os.replace(tiff_tmp, args.tiff)
    manifest = {"generator": generator_id(), "preset": args.preset, "seed": args.seed, "dpi": DPI,
                "conventions": {
                    "orientation": "clockwise degrees that make the page upright",
                    "skew_degrees": "counter-clockwise rotation of the content after the "
                                    "orientation is corrected"},
                "pages": entries}
    tmp = os.path.join(args.out, "manifest.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    # The manifest comes last: its presence means every page (and the TIFF) is complete.
    os.replace(tmp, os.path.join(args.out, "manifest.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
