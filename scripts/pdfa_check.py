#!/usr/bin/python3
"""Structural PDF/A-2b checker: the numbered rules 1-17 of PDFA.md section 6.

veraPDF is not packaged in Debian 12. This script checks a structural subset of what veraPDF
checks for PDF/A-2b, one function per rule of the checklist in ../shared/docs/PDFA.md, with the
veraPDF clause ids. It reads the file bytes for the byte-level rules (header, end of file,
stream keywords and /Length) and uses python3-pikepdf (qpdf) for the object model, content
streams, fonts and metadata. Limits versus veraPDF are listed in scripts/README.md.

    /usr/bin/python3 scripts/pdfa_check.py FILE.pdf [--json]

Prints one line per violation, `FILE: rule N [clause]: what is wrong (where)`, or with --json a
report {file, ok, violations: [{rule, clause, message, where}], checked_rules, notes}.
Exit status: 0 conforms, 1 at least one rule violated, 2 the file cannot be parsed at all.
"""

import argparse
import datetime
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True

import pikepdf  # noqa: E402
from pikepdf import ObjectType  # noqa: E402

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNPARSEABLE = 0, 1, 2
ALL_RULES = list(range(1, 18))

# ------------------------------------------------------------------------------------------
# Report


class Report:
    """Violations and notes collected for one file."""

    def __init__(self, path):
        self.path = path
        self.violations = []
        self.notes = []
        self.checked_rules = []
        self.error = None
        self._seen = set()

    def add(self, rule, clause, message, where=""):
        key = (rule, clause, message, where)
        if key not in self._seen:
            self._seen.add(key)
            self.violations.append({"rule": rule, "clause": clause, "message": message,
                                    "where": where})

    def note(self, message):
        if message not in self.notes:
            self.notes.append(message)

    @property
    def ok(self):
        return self.error is None and not self.violations

    def rules_violated(self):
        return sorted({v["rule"] for v in self.violations})

    def as_dict(self):
        out = {"file": self.path, "ok": self.ok, "violations": self.violations,
               "checked_rules": self.checked_rules, "notes": self.notes}
        if self.error is not None:
            out["error"] = self.error
        return out

    def lines(self):
        if self.error is not None:
            return [f"{self.path}: cannot be parsed as PDF: {self.error}"]
        out = []
        for v in self.violations:
            where = f" ({v['where']})" if v["where"] else ""
            out.append(f"{self.path}: rule {v['rule']} [{v['clause']}]: {v['message']}{where}")
        return out


# ------------------------------------------------------------------------------------------
# Small helpers for pikepdf objects


def type_code(obj):
    """ObjectType of a pikepdf object, or None for Python scalars (int, bool, Decimal)."""
    if isinstance(obj, pikepdf.Object):
        return obj._type_code
    return None


def is_dict(obj):
    return type_code(obj) in (ObjectType.dictionary, ObjectType.stream)


def is_stream(obj):
    return type_code(obj) == ObjectType.stream


def is_array(obj):
    return type_code(obj) == ObjectType.array


def is_name(obj, value=None):
    if type_code(obj) != ObjectType.name_:
        return False
    return value is None or str(obj) == value


def is_string(obj):
    return type_code(obj) == ObjectType.string


def name_str(obj):
    return str(obj) if is_name(obj) else None


def as_int(obj, default=None):
    if isinstance(obj, bool):
        return default
    if isinstance(obj, int):
        return obj
    try:
        return int(obj)
    except (TypeError, ValueError):
        return default


def where_of(obj, fallback=""):
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        num, gen = obj.objgen
        return f"obj {num} {gen}"
    return fallback


def names_in(obj):
    """A name or an array of names as a list of strings ('/FlateDecode', ...)."""
    if is_name(obj):
        return [str(obj)]
    if is_array(obj):
        return [str(x) for x in obj if is_name(x)]
    return []


def inherited(page_obj, key):
    """A page attribute, looked up through the /Parent chain (Resources, MediaBox, CropBox)."""
    node, seen = page_obj, set()
    while is_dict(node):
        if key in node:
            return node[key]
        ident = node.objgen if node.is_indirect else None
        if ident in seen:
            break
        seen.add(ident)
        node = node.get("/Parent")
    return None


def safe_read(stream):
    """Decoded stream data, or None when qpdf cannot decode it."""
    try:
        return stream.read_bytes()
    except (pikepdf.PdfError, pikepdf.DataDecodingError, RuntimeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------
# A minimal TrueType reader: enough for cmap lookups, glyph counts and advance widths.


def _u16(data, off):
    return struct.unpack_from(">H", data, off)[0]


def _i16(data, off):
    return struct.unpack_from(">h", data, off)[0]


def _u32(data, off):
    return struct.unpack_from(">I", data, off)[0]


class TrueTypeFont:
    """Reads the tables of a TrueType font program (an embedded FontFile2 or a .ttf file).

    Raises ValueError for data that is not a readable TrueType font.
    """

    def __init__(self, data):
        self.data = data
        try:
            self._parse()
        except struct.error as e:
            raise ValueError(f"truncated font program ({e})") from e

    def _parse(self):
        data = self.data
        if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
            raise ValueError("not a TrueType font program (wrong sfnt version)")
        self.tables = {}
        for i in range(_u16(data, 4)):
            rec = 12 + 16 * i
            tag, off, length = data[rec:rec + 4], _u32(data, rec + 8), _u32(data, rec + 12)
            if off + length > len(data):
                raise ValueError(f"table {tag.decode('latin-1')!r} lies outside the font program")
            self.tables[tag] = (off, length)
        for required in (b"head", b"maxp"):
            if required not in self.tables:
                raise ValueError(f"no {required.decode()} table")
        self.units_per_em = _u16(data, self.tables[b"head"][0] + 18) or 1000
        self.loca_long = _i16(data, self.tables[b"head"][0] + 50) == 1
        self.num_glyphs = _u16(data, self.tables[b"maxp"][0] + 4)
        self.cmaps = {}  # (platform, encoding) -> absolute offset of the subtable
        if b"cmap" in self.tables:
            base = self.tables[b"cmap"][0]
            for i in range(_u16(data, base + 2)):
                rec = base + 4 + 8 * i
                key = (_u16(data, rec), _u16(data, rec + 2))
                self.cmaps.setdefault(key, base + _u32(data, rec + 4))

    def cmap_lookup(self, key, code):
        """Glyph id for code in the cmap subtable key=(platform, encoding); 0 when unmapped."""
        off = self.cmaps.get(key)
        if off is None:
            return 0
        data = self.data
        fmt = _u16(data, off)
        if fmt == 0:
            return data[off + 6 + code] if 0 <= code < 256 else 0
        if fmt == 4:
            segs = _u16(data, off + 6) // 2
            ends, starts = off + 14, off + 16 + 2 * segs
            deltas, ranges = starts + 2 * segs, starts + 4 * segs
            for i in range(segs):
                if _u16(data, ends + 2 * i) >= code:
                    start = _u16(data, starts + 2 * i)
                    if start > code:
                        return 0
                    delta, rng = _u16(data, deltas + 2 * i), _u16(data, ranges + 2 * i)
                    if rng == 0:
                        return (code + delta) & 0xFFFF
                    glyph = _u16(data, ranges + 2 * i + rng + 2 * (code - start))
                    return (glyph + delta) & 0xFFFF if glyph else 0
            return 0
        if fmt == 6:
            first, count = _u16(data, off + 6), _u16(data, off + 8)
            return _u16(data, off + 10 + 2 * (code - first)) if first <= code < first + count else 0
        if fmt == 12:
            for i in range(_u32(data, off + 12)):
                g = off + 16 + 12 * i
                start, end = _u32(data, g), _u32(data, g + 4)
                if start <= code <= end:
                    return _u32(data, g + 8) + code - start
            return 0
        return 0

    def advance_width(self, gid):
        """Advance width of glyph gid in 1/1000 em (PDF glyph space)."""
        if b"hhea" not in self.tables or b"hmtx" not in self.tables:
            return 0
        count = _u16(self.data, self.tables[b"hhea"][0] + 34)
        index = min(gid, count - 1)
        advance = _u16(self.data, self.tables[b"hmtx"][0] + 4 * index)
        return round(advance * 1000 / self.units_per_em)

    def glyph_has_outline(self, gid):
        """True when glyph gid has outline data in glyf (False for empty glyphs like space)."""
        if b"loca" not in self.tables or gid >= self.num_glyphs:
            return False
        base = self.tables[b"loca"][0]
        if self.loca_long:
            return _u32(self.data, base + 4 * gid + 4) > _u32(self.data, base + 4 * gid)
        return _u16(self.data, base + 2 * gid + 2) > _u16(self.data, base + 2 * gid)


# ------------------------------------------------------------------------------------------
# Byte-level scan of the file: where every stream lies and what surrounds its data.

_WS = rb"[\x00\t\n\f\r ]"
OBJ_HEADER = re.compile(rb"(?<![0-9])(\d{1,10})" + _WS + rb"+(\d{1,5})" + _WS +
                        rb"+obj(?![A-Za-z])")
LENGTH_KEY = re.compile(rb"/Length(?![A-Za-z0-9#])" + _WS + rb"*(\d+)(?:" + _WS + rb"+(\d+)" +
                        _WS + rb"+R)?")
ENDSTREAM_AT = re.compile(rb"(\r\n|\r|\n)?endstream")


def _skip_ws(data, pos):
    while pos < len(data):
        c = data[pos:pos + 1]
        if c in (b"\x00", b"\t", b"\n", b"\f", b"\r", b" "):
            pos += 1
        elif c == b"%":
            while pos < len(data) and data[pos:pos + 1] not in (b"\r", b"\n"):
                pos += 1
        else:
            break
    return pos


def _end_of_dict(data, pos):
    """Position just after the dictionary starting at pos ('<<'), or None if unbalanced."""
    depth, n = 0, len(data)
    while pos < n:
        c = data[pos]
        if data.startswith(b"<<", pos):
            depth += 1
            pos += 2
        elif data.startswith(b">>", pos):
            depth -= 1
            pos += 2
            if depth == 0:
                return pos
        elif c == 0x28:  # '(' literal string, balanced parentheses, backslash escapes
            level, pos = 1, pos + 1
            while pos < n and level:
                if data[pos] == 0x5C:
                    pos += 2
                    continue
                if data[pos] == 0x28:
                    level += 1
                elif data[pos] == 0x29:
                    level -= 1
                pos += 1
        elif c == 0x3C:  # '<' hex string
            end = data.find(b">", pos)
            if end < 0:
                return None
            pos = end + 1
        elif c == 0x25:  # '%' comment
            while pos < n and data[pos] not in (0x0A, 0x0D):
                pos += 1
        else:
            pos += 1
    return None


class RawStream:
    """One stream as found in the file bytes."""

    def __init__(self, objgen, offset):
        self.objgen = objgen
        self.offset = offset  # of the 'N G obj' header
        self.keyword_eol_ok = True
        self.length_value = None  # /Length as written (resolved when indirect)
        self.length_problem = None  # text, when /Length does not match the data
        self.endstream_eol_ok = True


def scan_streams(data, resolve_length):
    """Finds every 'N G obj << ... >> stream ... endstream' in the bytes.

    resolve_length(num, gen) returns the integer value of an indirect /Length, or None.
    """
    found, pos = [], 0
    while True:
        m = OBJ_HEADER.search(data, pos)
        if m is None:
            return found
        pos = m.end()
        start = _skip_ws(data, pos)
        if not data.startswith(b"<<", start):
            continue
        end = _end_of_dict(data, start)
        if end is None:
            continue
        after = _skip_ws(data, end)
        if not data.startswith(b"stream", after) or data.startswith(b"streams", after):
            pos = end
            continue
        raw = RawStream((int(m.group(1)), int(m.group(2))), m.start())
        kw_end = after + len(b"stream")
        if data.startswith(b"\r\n", kw_end):
            data_start = kw_end + 2
        elif data.startswith(b"\n", kw_end):
            data_start = kw_end + 1
        else:
            raw.keyword_eol_ok = False
            data_start = kw_end + (1 if data.startswith(b"\r", kw_end) else 0)
        lm = LENGTH_KEY.search(data, start, end)
        length = None
        if lm is not None:
            if lm.group(2) is not None:
                length = resolve_length(int(lm.group(1)), int(lm.group(2)))
            else:
                length = int(lm.group(1))
        raw.length_value = length
        if length is not None and data_start + length <= len(data):
            at = data_start + length
            m_end = ENDSTREAM_AT.match(data, at)
            if m_end is not None:
                if m_end.group(1) is None:
                    if data[at - 1:at] in (b"\n", b"\r") and length > 0:
                        raw.length_problem = (f"/Length {length} includes the EOL before "
                                              "endstream")
                    else:
                        raw.endstream_eol_ok = False
                found.append(raw)
                pos = m_end.end()
                continue
        real_end = data.find(b"endstream", data_start)
        if real_end < 0:
            raw.length_problem = "no endstream keyword after the stream data"
            found.append(raw)
            return found
        real_length = real_end
        if data[real_end - 2:real_end] == b"\r\n" and real_end - 2 >= data_start:
            real_length -= 2
        elif data[real_end - 1:real_end] in (b"\n", b"\r") and real_end - 1 >= data_start:
            real_length -= 1
        else:
            raw.endstream_eol_ok = False
        real_length -= data_start
        if length is None:
            raw.length_problem = "no integer /Length in the stream dictionary"
        else:
            raw.length_problem = f"/Length is {length} but the data has {real_length} bytes"
        found.append(raw)
        pos = real_end + len(b"endstream")


# ------------------------------------------------------------------------------------------
# Document model shared by the rules


class Document:
    """The file bytes, the pikepdf view and lazily computed scans that several rules share."""

    def __init__(self, path, data, pdf, report):
        self.path = path
        self.data = data
        self.pdf = pdf
        self._all_objects = None
        self._content = None
        self._intent = None
        self._dicts = None
        self.report = report

    def all_objects(self):
        """Every indirect object plus the trailer, as (object, where) pairs."""
        if self._all_objects is None:
            items = [(self.pdf.trailer, "trailer")]
            for obj in self.pdf.objects:
                if isinstance(obj, pikepdf.Object) and type_code(obj) not in (
                        ObjectType.null, None):
                    items.append((obj, where_of(obj)))
            self._all_objects = items
        return self._all_objects

    def walk_direct(self):
        """Yields (object, where) for every object, direct ones nested in indirect ones too.

        Indirect children are not followed: they are visited as objects of their own.
        """
        for root, where in self.all_objects():
            stack = [root]
            first = True
            while stack:
                obj = stack.pop()
                if not first and isinstance(obj, pikepdf.Object) and obj.is_indirect:
                    continue
                first = False
                yield obj, where
                tc = type_code(obj)
                if tc in (ObjectType.dictionary, ObjectType.stream):
                    for key in obj.keys():
                        try:
                            stack.append(obj[key])
                        except (pikepdf.PdfError, KeyError):
                            continue
                elif tc == ObjectType.array:
                    stack.extend(list(obj))

    def dicts(self):
        """Every dictionary and stream of the file (direct ones included), as (obj, where)."""
        if self._dicts is None:
            self._dicts = [(o, w) for o, w in self.walk_direct() if is_dict(o)]
        return self._dicts

    def output_intent(self):
        """(colour space of the first GTS_PDFA1 profile, e.g. 'RGB ', or None, where)."""
        if self._intent is None:
            space, where = None, ""
            intents = self.pdf.Root.get("/OutputIntents")
            if is_array(intents):
                for intent in intents:
                    if is_dict(intent) and is_name(intent.get("/S"), "/GTS_PDFA1"):
                        profile = intent.get("/DestOutputProfile")
                        if is_stream(profile):
                            data = safe_read(profile) or b""
                            if len(data) >= 20:
                                space = data[16:20].decode("latin-1")
                            where = where_of(profile)
                        break
            self._intent = (space, where)
        return self._intent

    def content(self):
        if self._content is None:
            self._content = ContentScan(self)
            self._content.run()
        return self._content


def resource_dicts(res, category):
    """The /Font, /XObject ... sub-dictionary of a resource dictionary, or None."""
    if not is_dict(res):
        return None
    sub = res.get(category)
    return sub if is_dict(sub) else None


def has_default_space(res, device):
    sub = resource_dicts(res, "/ColorSpace")
    key = {"RGB": "/DefaultRGB", "CMYK": "/DefaultCMYK", "Gray": "/DefaultGray"}[device]
    return sub is not None and key in sub


DEVICE_NAMES = {"/DeviceRGB": "RGB", "/RGB": "RGB", "/DeviceCMYK": "CMYK", "/CMYK": "CMYK",
                "/DeviceGray": "Gray", "/G": "Gray"}


def device_families(cs, res, depth=0):
    """Device colour families ('RGB', 'CMYK', 'Gray') a colour space uses, directly or as the
    base of Indexed/Pattern or the alternate of Separation/DeviceN. ICCBased, Cal* and Lab are
    device independent and give none."""
    if depth > 8 or cs is None:
        return set()
    if is_name(cs):
        n = str(cs)
        if n in DEVICE_NAMES:
            return {DEVICE_NAMES[n]}
        sub = resource_dicts(res, "/ColorSpace")
        if sub is not None and n in sub:
            return device_families(sub[n], res, depth + 1)
        return set()
    if is_array(cs) and len(cs) > 0 and is_name(cs[0]):
        family = str(cs[0])
        if family in ("/Indexed", "/I") and len(cs) > 1:
            return device_families(cs[1], res, depth + 1)
        if family == "/Pattern" and len(cs) > 1:
            return device_families(cs[1], res, depth + 1)
        if family == "/Separation" and len(cs) > 2:
            return device_families(cs[2], res, depth + 1)
        if family == "/DeviceN" and len(cs) > 2:
            return device_families(cs[2], res, depth + 1)
        if family in DEVICE_NAMES:
            return {DEVICE_NAMES[family]}
    return set()


INLINE_KEYS = {"/W": "/Width", "/H": "/Height", "/BPC": "/BitsPerComponent", "/IM": "/ImageMask",
               "/CS": "/ColorSpace", "/F": "/Filter", "/DP": "/DecodeParms", "/I": "/Interpolate",
               "/D": "/Decode"}
INLINE_FILTERS = {"/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode", "/LZW": "/LZWDecode",
                  "/Fl": "/FlateDecode", "/RL": "/RunLengthDecode", "/CCF": "/CCITTFaxDecode",
                  "/DCT": "/DCTDecode"}
INLINE_ID = re.compile(rb"[\x00\t\n\f\r ]ID[\x00\t\n\f\r ]")


def inline_image_dict(instruction):
    """The dictionary of an inline image with abbreviated keys expanded, or None."""
    raw = pikepdf.unparse_content_stream([instruction])
    m = INLINE_ID.search(raw)
    if not raw.startswith(b"BI") or m is None:
        return None
    try:
        parsed = pikepdf.Object.parse(b"<<" + raw[2:m.start()] + b">>")
    except (pikepdf.PdfError, RuntimeError, ValueError):
        return None
    out = {}
    for key in parsed.keys():
        out[INLINE_KEYS.get(str(key), str(key))] = parsed[key]
    return out


class FontUse:
    """Character codes shown with one font, and where the font was first used."""

    def __init__(self, font, where):
        self.font = font
        self.where = where
        self.codes = set()
        self.composite = is_name(font.get("/Subtype"), "/Type0")


class ContentScan:
    """Walks every page content stream, the form XObjects, tiling patterns and annotation
    appearances they reach, and records what the content rules need."""

    MAX_FORM_DEPTH = 20

    def __init__(self, doc):
        self.doc = doc
        self.q_depth = []  # (max depth, where)
        self.colour_uses = []  # (family, where, default space set)
        self.inline_images = []  # (dict, where)
        self.images_drawn = []  # (image stream, resources, where)
        self.font_uses = {}  # key -> FontUse
        self.limit_problems = []  # (clause, message, where) of content stream operands
        self.shadings = []  # (shading dict, resources, where)
        self._done_forms = set()

    def run(self):
        for index, page in enumerate(self.doc.pdf.pages, start=1):
            obj = page.obj
            res = inherited(obj, "/Resources")
            where = f"page {index}"
            self._walk(obj, res, 0, where, ())
            group = obj.get("/Group")
            if is_dict(group) and "/CS" in group:
                for fam in device_families(group["/CS"], res):
                    self.colour_uses.append((fam, f"{where} transparency group",
                                             has_default_space(res, fam)))
            annots = obj.get("/Annots")
            if is_array(annots):
                for annot in annots:
                    if not is_dict(annot):
                        continue
                    ap = annot.get("/AP")
                    if not is_dict(ap):
                        continue
                    for kind in ("/N", "/R", "/D"):
                        app = ap.get(kind)
                        streams = [app] if is_stream(app) else (
                            [app[k] for k in app.keys()] if is_dict(app) else [])
                        for s in streams:
                            if is_stream(s):
                                self._walk(s, s.get("/Resources"), 0,
                                           f"{where} annotation {where_of(annot)} appearance", ())

    def _font_key(self, font, where):
        if font.is_indirect:
            return font.objgen
        return ("direct", where)

    def _walk(self, stream_or_page, res, depth0, where, stack):
        try:
            instructions = pikepdf.parse_content_stream(stream_or_page)
        except (pikepdf.PdfError, TypeError, RuntimeError, ValueError) as e:
            self.doc.report.note(f"content stream of {where} cannot be parsed ({e}); "
                                 "content rules unchecked there")
            return
        depth, max_depth = depth0, depth0
        font = None
        for ins in instructions:
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                d = inline_image_dict(ins)
                if d is None:
                    self.doc.report.note(f"inline image in {where} cannot be read")
                    continue
                self.inline_images.append((d, where))
                cs = d.get("/ColorSpace")
                for fam in device_families(cs, res):
                    self.colour_uses.append((fam, f"{where} inline image",
                                             has_default_space(res, fam)))
                continue
            op = str(ins.operator)
            operands = list(ins.operands)
            for operand in operands:
                items = list(operand) if is_array(operand) else [operand]
                for item in items:
                    for clause, message in limit_problems(item):
                        self.limit_problems.append((clause, message, where))
            if op == "q":
                depth += 1
                max_depth = max(max_depth, depth)
            elif op == "Q":
                depth = max(depth - 1, 0)
            elif op in ("rg", "RG"):
                self.colour_uses.append(("RGB", f"{where} operator {op}",
                                         has_default_space(res, "RGB")))
            elif op in ("k", "K"):
                self.colour_uses.append(("CMYK", f"{where} operator {op}",
                                         has_default_space(res, "CMYK")))
            elif op in ("g", "G"):
                self.colour_uses.append(("Gray", f"{where} operator {op}",
                                         has_default_space(res, "Gray")))
            elif op in ("cs", "CS") and operands:
                for fam in device_families(operands[0], res):
                    self.colour_uses.append((fam, f"{where} operator {op} {operands[0]}",
                                             has_default_space(res, fam)))
            elif op == "sh" and operands:
                sub = resource_dicts(res, "/Shading")
                n = name_str(operands[0])
                if sub is not None and n in sub:
                    self.shadings.append((sub[n], res, f"{where} shading {n}"))
            elif op in ("scn", "SCN") and operands and is_name(operands[-1]):
                sub = resource_dicts(res, "/Pattern")
                n = str(operands[-1])
                if sub is not None and n in sub and is_dict(sub[n]):
                    pattern = sub[n]
                    if as_int(pattern.get("/PatternType")) == 2 and is_dict(
                            pattern.get("/Shading")):
                        self.shadings.append((pattern["/Shading"], res, f"{where} pattern {n}"))
                    elif is_stream(pattern):
                        self._walk_form(pattern, res, depth, f"{where} pattern {n}", stack)
            elif op == "Tf" and operands:
                sub = resource_dicts(res, "/Font")
                n = name_str(operands[0])
                font = sub[n] if sub is not None and n in sub and is_dict(sub[n]) else None
                if font is None:
                    self.doc.report.note(f"{where}: Tf selects font {operands[0]} that is not "
                                         "in the resources")
            elif op in ("Tj", "'", '"', "TJ"):
                if font is None:
                    continue
                strings = []
                if op == "TJ" and operands and is_array(operands[0]):
                    strings = [bytes(x) for x in operands[0] if is_string(x)]
                elif operands and is_string(operands[-1]):
                    strings = [bytes(operands[-1])]
                key = self._font_key(font, where)
                use = self.font_uses.get(key)
                if use is None:
                    use = self.font_uses[key] = FontUse(font, where)
                for s in strings:
                    use.codes.update(font_codes(use.composite, s))
            elif op == "Do" and operands:
                sub = resource_dicts(res, "/XObject")
                n = name_str(operands[0])
                if sub is None or n not in sub or not is_stream(sub[n]):
                    continue
                xobj = sub[n]
                subtype = name_str(xobj.get("/Subtype"))
                if subtype == "/Image":
                    self.images_drawn.append((xobj, res, f"{where} image {n} ({where_of(xobj)})"))
                elif subtype == "/Form":
                    self._walk_form(xobj, res, depth, f"{where} form {n} ({where_of(xobj)})",
                                    stack)
        self.q_depth.append((max_depth, where))

    def _walk_form(self, form, parent_res, depth, where, stack):
        ident = form.objgen if form.is_indirect else id(form)
        if ident in stack or len(stack) > self.MAX_FORM_DEPTH:
            return
        res = form.get("/Resources")
        if not is_dict(res):
            res = parent_res
        key = (ident, depth, id(res) if res is parent_res else None)
        if key in self._done_forms:
            return
        self._done_forms.add(key)
        self._walk(form, res, depth, where, stack + (ident,))


def font_codes(composite, data):
    """Character codes of a shown string: bytes for simple fonts, two-byte codes for Type0
    fonts with an Identity or 2-byte CMap (the station's only composite case)."""
    if composite:
        return [(data[i] << 8) | data[i + 1] for i in range(0, len(data) - 1, 2)]
    return list(data)


# ------------------------------------------------------------------------------------------
# Rules. Each function checks one numbered rule of PDFA.md section 6 and reports to
# doc.report; the docstring names the rule and its veraPDF clauses.

HEADER = re.compile(rb"%PDF-1\.([0-9])(\r\n|\r|\n)")


def check_rule_01_header_and_eof(doc, report):
    """Rule 1: header %PDF-1.n (n <= 7) at byte 0 followed by one EOL, then '%' and at least
    four bytes > 127 [6.1.2-1, 6.1.2-2]; nothing after the last %%EOF but one EOL [6.1.3-3]."""
    data = doc.data
    m = HEADER.match(data)
    if m is None:
        found = data.find(b"%PDF-")
        if found < 0:
            problem = "the file has no %PDF-1.n header"
        elif found > 0:
            problem = f"the %PDF- header is at byte {found}, not at byte 0"
        else:
            eol = data.find(b"\n", 0, 64)
            line = data[:eol] if eol > 0 else data[:16]
            problem = f"the header line {line!r} is not '%PDF-1.n' followed by one EOL"
        report.add(1, "6.1.2-1", problem, "byte 0")
    else:
        if int(m.group(1)) > 7:
            report.add(1, "6.1.2-1", f"header version 1.{m.group(1).decode()} is above 1.7",
                       "byte 0")
        comment = data[m.end():m.end() + 5]
        if len(comment) < 5 or comment[0:1] != b"%" or any(b <= 127 for b in comment[1:5]):
            report.add(1, "6.1.2-2", "the header line is not followed by a comment '%' with at "
                       "least four bytes > 127 (binary comment)", f"byte {m.end()}")
    last = data.rfind(b"%%EOF")
    if last < 0:
        report.add(1, "6.1.3-3", "no %%EOF marker in the file", "end of file")
    else:
        tail = data[last + 5:]
        if tail not in (b"", b"\n", b"\r", b"\r\n"):
            report.add(1, "6.1.3-3", f"{len(tail)} bytes follow the last %%EOF (only one "
                       "optional EOL is allowed)", f"byte {last + 5}")


def check_rule_02_trailer(doc, report):
    """Rule 2: the trailer has /ID, an array of two byte strings [6.1.3-1]; no /Encrypt
    [6.1.3-2]."""
    trailer = doc.pdf.trailer
    ident = trailer.get("/ID")
    if ident is None:
        report.add(2, "6.1.3-1", "the trailer has no /ID", "trailer")
    elif not (is_array(ident) and len(ident) == 2 and all(is_string(x) for x in ident)):
        report.add(2, "6.1.3-1", "the trailer /ID is not an array of two strings", "trailer")
    if "/Encrypt" in trailer or doc.pdf.is_encrypted:
        report.add(2, "6.1.3-2", "the file is encrypted (/Encrypt in the trailer)", "trailer")


def check_rule_03_streams(doc, report):
    """Rule 3: 'stream' followed by CRLF or LF, an EOL before 'endstream', /Length equal to
    the data length [6.1.7.1-1, 6.1.7.1-2]; no /F, /FFilter, /FDecodeParms [6.1.7.1-3]."""
    pdf = doc.pdf

    def resolve(num, gen):
        try:
            value = pdf.get_object((num, gen))
        except (pikepdf.PdfError, ValueError, RuntimeError):
            return None
        return as_int(value)

    raw_streams = scan_streams(doc.data, resolve)
    for raw in raw_streams:
        where = f"obj {raw.objgen[0]} {raw.objgen[1]} at byte {raw.offset}"
        if not raw.keyword_eol_ok:
            report.add(3, "6.1.7.1-2", "the stream keyword is not followed by CRLF or LF", where)
        if not raw.endstream_eol_ok:
            report.add(3, "6.1.7.1-2", "no EOL before the endstream keyword", where)
        if raw.length_problem:
            report.add(3, "6.1.7.1-1", raw.length_problem, where)
    seen = {raw.objgen for raw in raw_streams}
    for obj, where in doc.all_objects():
        if not is_stream(obj):
            continue
        bad = [k for k in ("/F", "/FFilter", "/FDecodeParms") if k in obj.stream_dict]
        if bad:
            report.add(3, "6.1.7.1-3", f"stream dictionary has {', '.join(bad)} (external "
                       "stream data)", where)
        if obj.is_indirect and obj.objgen not in seen:
            report.note(f"stream {where} was not found in the file bytes; its keywords and "
                        "/Length are unchecked")


def check_rule_04_filters(doc, report):
    """Rule 4: only the standard filters of ISO 32000-1 Table 6 without LZWDecode; Crypt only
    with /Name /Identity [6.1.7.2-1]; inline images: no LZW, LZWDecode, Crypt or unknown
    filter [6.1.10-1]. JPX is allowed in PDF/A-2."""
    allowed = {"/ASCIIHexDecode", "/ASCII85Decode", "/FlateDecode", "/RunLengthDecode",
               "/CCITTFaxDecode", "/JBIG2Decode", "/DCTDecode", "/JPXDecode"}
    for obj, where in doc.all_objects():
        if not is_stream(obj):
            continue
        filters = names_in(obj.stream_dict.get("/Filter"))
        parms = obj.stream_dict.get("/DecodeParms")
        for i, f in enumerate(filters):
            if f in allowed:
                continue
            if f == "/Crypt":
                p = parms[i] if is_array(parms) and i < len(parms) else parms
                if is_dict(p) and is_name(p.get("/Name"), "/Identity"):
                    continue
            report.add(4, "6.1.7.2-1", f"stream uses the filter {f}", where)
    inline_allowed = {"/ASCIIHexDecode", "/ASCII85Decode", "/FlateDecode", "/RunLengthDecode",
                      "/CCITTFaxDecode", "/DCTDecode"}
    for d, where in doc.content().inline_images:
        for f in names_in(d.get("/Filter")):
            if INLINE_FILTERS.get(f, f) not in inline_allowed:
                report.add(4, "6.1.10-1", f"inline image uses the filter {f}", where)


def limit_problems(obj):
    """(clause, message) pairs for one object against the limits of 6.1.13; dictionary keys
    are checked as names, nested values are not (the callers walk them)."""
    tc = type_code(obj)
    out = []
    if tc is None:
        if isinstance(obj, bool):
            return out
        if isinstance(obj, int):
            if not -2147483648 <= obj <= 2147483647:
                out.append(("6.1.13-1", f"integer {obj} is outside 32 bits"))
            return out
        try:
            value = float(obj)
        except (TypeError, ValueError):
            return out
        if abs(value) > 3.403e38:
            out.append(("6.1.13-2", f"real number {value} exceeds 3.403e38"))
        elif value != 0.0 and abs(value) < 1.175e-38:
            out.append(("6.1.13-5", f"real number {value} is closer to 0 than 1.175e-38"))
    elif tc == ObjectType.string:
        n = len(bytes(obj))
        if n > 32767:
            out.append(("6.1.13-3", f"string of {n} bytes (limit 32767)"))
    elif tc == ObjectType.name_:
        out.extend(_name_problem(str(obj)))
    elif tc in (ObjectType.dictionary, ObjectType.stream):
        for key in obj.keys():
            out.extend(_name_problem(str(key)))
    return out


def _name_problem(name):
    n = len(name[1:].encode("utf-8", "surrogateescape"))
    if n > 127:
        return [("6.1.13-4", f"name of {n} bytes (limit 127): {name[:32]}...")]
    return []


def check_rule_05_limits(doc, report):
    """Rule 5: implementation limits [6.1.13]: integers within 32 bits (-1), reals (-2, -5),
    strings <= 32767 bytes (-3), names <= 127 bytes (-4), <= 8,388,607 indirect objects (-7),
    q/Q nesting <= 28 (-8), DeviceN <= 32 colourants (-9), page boxes 3..14400 units (-11)."""
    for obj, where in doc.walk_direct():
        for clause, message in limit_problems(obj):
            report.add(5, clause, message, where)
        if is_array(obj) and len(obj) > 1 and is_name(obj[0], "/DeviceN") and is_array(obj[1]):
            if len(obj[1]) > 32:
                report.add(5, "6.1.13-9", f"DeviceN colour space with {len(obj[1])} colourants",
                           where)
    count = len(doc.pdf.objects)
    size = as_int(doc.pdf.trailer.get("/Size"), 0)
    if max(count, size - 1) > 8388607:
        report.add(5, "6.1.13-7", f"{max(count, size - 1)} indirect objects (limit 8388607)",
                   "trailer")
    scan = doc.content()
    for clause, message, where in scan.limit_problems:
        report.add(5, clause, message, f"{where} content stream")
    for depth, where in scan.q_depth:
        if depth > 28:
            report.add(5, "6.1.13-8", f"q/Q nesting reaches depth {depth} (limit 28)", where)
    for index, page in enumerate(doc.pdf.pages, start=1):
        for key in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            box = inherited(page.obj, key) if key in ("/MediaBox", "/CropBox") else \
                page.obj.get(key)
            if box is None:
                continue
            try:
                x0, y0, x1, y1 = (float(v) for v in box)
            except (TypeError, ValueError):
                report.add(5, "6.1.13-11", f"{key} is not an array of four numbers",
                           f"page {index}")
                continue
            w, h = abs(x1 - x0), abs(y1 - y0)
            if not (3 <= w <= 14400 and 3 <= h <= 14400):
                report.add(5, "6.1.13-11", f"{key} is {w:g} x {h:g} units (allowed 3..14400)",
                           f"page {index}")


ICC_COMPONENTS = {"RGB ": 3, "GRAY": 1, "CMYK": 4}


def check_rule_06_output_intent(doc, report):
    """Rule 6: every GTS_PDFA1 output intent has a DestOutputProfile that is an ICC profile of
    class 'mntr' or 'prtr', colour space RGB, GRAY or CMYK, version < 5, with a matching /N
    [6.2.3-1]; all intents with a DestOutputProfile share one indirect object [6.2.3-2]."""
    intents = doc.pdf.Root.get("/OutputIntents")
    if intents is None:
        return
    if not is_array(intents):
        report.add(6, "6.2.3-1", "/OutputIntents is not an array", "catalog")
        return
    profiles = []
    for i, intent in enumerate(intents):
        where = where_of(intent, f"catalog /OutputIntents[{i}]")
        if not is_dict(intent):
            report.add(6, "6.2.3-1", "output intent is not a dictionary", where)
            continue
        profile = intent.get("/DestOutputProfile")
        if profile is not None:
            profiles.append(profile)
        if not is_name(intent.get("/S"), "/GTS_PDFA1"):
            continue
        if not is_stream(profile):
            report.add(6, "6.2.3-1", "the GTS_PDFA1 output intent has no DestOutputProfile "
                       "stream", where)
            continue
        pwhere = where_of(profile, where)
        data = safe_read(profile)
        if data is None or len(data) < 128:
            report.add(6, "6.2.3-1", "the output profile cannot be read or is shorter than an "
                       "ICC header", pwhere)
            continue
        device_class = data[12:16].decode("latin-1")
        space = data[16:20].decode("latin-1")
        major = data[8]
        if device_class not in ("mntr", "prtr"):
            report.add(6, "6.2.3-1", f"ICC device class is {device_class!r}, not 'mntr' or "
                       "'prtr'", pwhere)
        if space not in ICC_COMPONENTS:
            report.add(6, "6.2.3-1", f"ICC colour space is {space!r}, not RGB, GRAY or CMYK",
                       pwhere)
        if major >= 5:
            report.add(6, "6.2.3-1", f"ICC profile version {major} is 5 or later", pwhere)
        n = as_int(profile.stream_dict.get("/N"))
        if space in ICC_COMPONENTS and n != ICC_COMPONENTS[space]:
            report.add(6, "6.2.3-1", f"/N is {n} but the ICC colour space {space.strip()} has "
                       f"{ICC_COMPONENTS[space]} components", pwhere)
    idents = {p.objgen if p.is_indirect else None for p in profiles}
    if len(idents) > 1 or None in idents and len(profiles) > 1:
        report.add(6, "6.2.3-2", "output intents use different DestOutputProfile objects",
                   "catalog /OutputIntents")


def check_rule_07_device_colour(doc, report):
    """Rule 7: device colour only with a matching output intent [6.2.4.3]: DeviceRGB needs an
    RGB profile (-2), DeviceCMYK a CMYK profile (-3), DeviceGray any PDF/A intent (-4), unless a
    DefaultRGB/CMYK/Gray colour space is set. Checks image XObjects drawn, inline images, the
    operators rg RG k K g G, cs/CS, shadings and page transparency groups."""
    space, _ = doc.output_intent()
    scan = doc.content()
    uses = list(scan.colour_uses)
    for image, res, where in scan.images_drawn:
        if as_int(image.get("/ImageMask")) or image.get("/ImageMask") is True:
            continue
        for fam in device_families(image.get("/ColorSpace"), res):
            uses.append((fam, where, has_default_space(res, fam)))
    for shading, res, where in scan.shadings:
        if is_dict(shading):
            for fam in device_families(shading.get("/ColorSpace"), res):
                uses.append((fam, where, has_default_space(res, fam)))
    clause = {"RGB": "6.2.4.3-2", "CMYK": "6.2.4.3-3", "Gray": "6.2.4.3-4"}
    need = {"RGB": "RGB ", "CMYK": "CMYK"}
    for fam, where, has_default in uses:
        if has_default:
            continue
        if fam == "Gray":
            if space is None:
                report.add(7, clause[fam], "DeviceGray used without a PDF/A output intent", where)
        elif space != need[fam]:
            have = f"the output intent is {space.strip()}" if space else "there is no PDF/A " \
                "output intent"
            report.add(7, clause[fam], f"Device{fam} used but {have}", where)


def _image_dict_problems(d):
    """(clause, message) pairs for an image dictionary (XObject or expanded inline image)."""
    out = []
    if d.get("/Interpolate") is True:
        out.append(("6.2.8-3", "/Interpolate is true"))
    if "/Alternates" in d:
        out.append(("6.2.8-1", "image has /Alternates"))
    if "/OPI" in d:
        out.append(("6.2.8-2", "image has /OPI"))
    bpc = d.get("/BitsPerComponent")
    is_mask = d.get("/ImageMask") is True
    filters = names_in(d.get("/Filter"))
    if bpc is not None and "/JPXDecode" not in filters:
        value = as_int(bpc)
        if is_mask and value != 1:
            out.append(("6.2.8-5", f"image mask with /BitsPerComponent {bpc}"))
        elif value not in (1, 2, 4, 8, 16):
            out.append(("6.2.8-4", f"/BitsPerComponent {bpc} is not 1, 2, 4, 8 or 16"))
    return out


def check_rule_08_images_xobjects(doc, report):
    """Rule 8: images without /Interpolate true [6.2.8-3], /Alternates [6.2.8-1] or /OPI
    [6.2.8-2], bits per component 1, 2, 4, 8 or 16 [6.2.8-4, -5]; no /OPI, /PS or Subtype2 PS
    in forms [6.2.9-1], no reference XObjects [6.2.9-2], no PostScript XObjects [6.2.9-3]."""
    for obj, where in doc.all_objects():
        if not is_stream(obj):
            continue
        subtype = name_str(obj.stream_dict.get("/Subtype"))
        if subtype == "/Image":
            for clause, message in _image_dict_problems(obj.stream_dict):
                report.add(8, clause, message, where)
        elif subtype == "/Form":
            if "/OPI" in obj.stream_dict or "/PS" in obj.stream_dict or is_name(
                    obj.stream_dict.get("/Subtype2"), "/PS"):
                report.add(8, "6.2.9-1", "form XObject has /OPI, /PS or /Subtype2 /PS", where)
            if "/Ref" in obj.stream_dict:
                report.add(8, "6.2.9-2", "reference XObject (/Ref in a form)", where)
        elif subtype == "/PS":
            report.add(8, "6.2.9-3", "PostScript XObject", where)
    for d, where in doc.content().inline_images:
        for clause, message in _image_dict_problems(d):
            report.add(8, clause, f"inline image: {message}", where)


BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
               "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
               "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}


def _ext_gstates(doc):
    """Every ExtGState dictionary: entries of /ExtGState resource dictionaries and dictionaries
    with /Type /ExtGState, as (dict, where)."""
    seen = set()
    for d, where in doc.dicts():
        candidates = []
        sub = d.get("/ExtGState")
        if is_dict(sub) and not is_stream(sub):
            candidates.extend((sub[k], f"{where} /ExtGState {k}") for k in sub.keys())
        if is_name(d.get("/Type"), "/ExtGState"):
            candidates.append((d, where))
        for gs, gwhere in candidates:
            if not is_dict(gs):
                continue
            key = gs.objgen if gs.is_indirect else (where, bytes(gs.unparse()))
            if key in seen:
                continue
            seen.add(key)
            yield gs, where_of(gs, gwhere)


def check_rule_09_graphics_state(doc, report):
    """Rule 9: ExtGState without /TR [6.2.5-1], /TR2 only /Default [6.2.5-2], no /HTP
    [6.2.5-3], halftones of type 1 or 5 [6.2.5-4] without /HalftoneName [6.2.5-5]; blend modes
    only those of ISO 32000-1 [6.2.10-1]. PDF/A-2 allows transparency."""
    for gs, where in _ext_gstates(doc):
        if "/TR" in gs:
            report.add(9, "6.2.5-1", "ExtGState has /TR (transfer function)", where)
        if "/TR2" in gs and not is_name(gs["/TR2"], "/Default"):
            report.add(9, "6.2.5-2", "ExtGState /TR2 is not /Default", where)
        if "/HTP" in gs:
            report.add(9, "6.2.5-3", "ExtGState has /HTP", where)
        ht = gs.get("/HT")
        if is_dict(ht):
            ht_type = as_int(ht.get("/HalftoneType"))
            if ht_type not in (1, 5):
                report.add(9, "6.2.5-4", f"halftone of type {ht_type} (only 1 or 5)", where)
            if "/HalftoneName" in ht:
                report.add(9, "6.2.5-5", "halftone has /HalftoneName", where)
        bm = gs.get("/BM")
        if bm is not None:
            modes = names_in(bm)
            if not modes or any(m not in BLEND_MODES for m in modes):
                report.add(9, "6.2.10-1", f"blend mode {bm} is not one of ISO 32000-1", where)


STANDARD_14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica",
               "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier",
               "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Symbol",
               "ZapfDingbats"}
SIMPLE_FONTS = {"/Type1", "/MMType1", "/TrueType", "/Type3"}


def all_fonts(doc):
    """Every font dictionary: entries of /Font resource dictionaries and dictionaries with
    /Type /Font, and the descendants of Type0 fonts, as (font, where)."""
    found, seen = [], set()

    def add(font, where):
        if not is_dict(font):
            return
        key = font.objgen if font.is_indirect else (where,)
        if key in seen:
            return
        seen.add(key)
        found.append((font, where_of(font, where)))
        desc = font.get("/DescendantFonts")
        if is_array(desc):
            for i, d in enumerate(desc):
                add(d, f"{where} /DescendantFonts[{i}]")

    for d, where in doc.dicts():
        sub = d.get("/Font")
        if is_dict(sub) and not is_name(d.get("/Type"), "/FontDescriptor"):
            for k in sub.keys():
                add(sub[k], f"{where} /Font {k}")
        if is_name(d.get("/Type"), "/Font"):
            add(d, where)
    return found


def font_label(font, where):
    base = font.get("/BaseFont")
    return f"{where} {base}" if base is not None else where


def check_rule_10_font_dicts(doc, report):
    """Rule 10: font dictionaries valid [6.2.11.2]: /Type /Font (-1), /Subtype (-2), /BaseFont
    except Type3 (-3), and for simple fonts other than the standard 14 /FirstChar (-4),
    /LastChar (-5) and /Widths of LastChar - FirstChar + 1 entries (-6); Type0 fonts have one
    descendant and an /Encoding, CIDFonts a /CIDSystemInfo [6.2.11.3.1]."""
    for font, where in all_fonts(doc):
        label = font_label(font, where)
        if not is_name(font.get("/Type"), "/Font"):
            report.add(10, "6.2.11.2-1", "font dictionary without /Type /Font", label)
        subtype = name_str(font.get("/Subtype"))
        if subtype not in SIMPLE_FONTS | {"/Type0", "/CIDFontType0", "/CIDFontType2"}:
            report.add(10, "6.2.11.2-2", f"font /Subtype is {font.get('/Subtype')}", label)
            continue
        if subtype != "/Type3" and not is_name(font.get("/BaseFont")):
            report.add(10, "6.2.11.2-3", "font has no /BaseFont name", label)
        if subtype in SIMPLE_FONTS:
            base = str(font.get("/BaseFont", ""))[1:]
            if base in STANDARD_14 and "/FontDescriptor" not in font and subtype == "/Type1":
                continue  # not embedded: rule 11 reports it
            first, last = as_int(font.get("/FirstChar")), as_int(font.get("/LastChar"))
            widths = font.get("/Widths")
            if first is None:
                report.add(10, "6.2.11.2-4", "simple font without integer /FirstChar", label)
            if last is None:
                report.add(10, "6.2.11.2-5", "simple font without integer /LastChar", label)
            if not is_array(widths):
                report.add(10, "6.2.11.2-6", "simple font without a /Widths array", label)
            elif first is not None and last is not None and len(widths) != last - first + 1:
                report.add(10, "6.2.11.2-6", f"/Widths has {len(widths)} entries, LastChar - "
                           f"FirstChar + 1 = {last - first + 1}", label)
            if subtype != "/Type3" and not is_dict(font.get("/FontDescriptor")):
                report.add(10, "6.2.11.2-6", "simple font without /FontDescriptor", label)
        elif subtype == "/Type0":
            desc = font.get("/DescendantFonts")
            if not (is_array(desc) and len(desc) == 1 and is_dict(desc[0])):
                report.add(10, "6.2.11.3.1-1", "Type0 font without exactly one descendant font",
                           label)
            if "/Encoding" not in font:
                report.add(10, "6.2.11.3.1-1", "Type0 font without /Encoding", label)
        else:
            if not is_dict(font.get("/CIDSystemInfo")):
                report.add(10, "6.2.11.3.1-1", "CIDFont without /CIDSystemInfo", label)
            if not is_dict(font.get("/FontDescriptor")):
                report.add(10, "6.2.11.2-6", "CIDFont without /FontDescriptor", label)


def font_program(font):
    """(kind, stream) of the embedded program: 'FontFile', 'FontFile2' or 'FontFile3'."""
    fd = font.get("/FontDescriptor")
    if not is_dict(fd):
        return None, None
    for kind in ("/FontFile", "/FontFile2", "/FontFile3"):
        if is_stream(fd.get(kind)):
            return kind[1:], fd[kind]
    return None, None


def check_rule_11_embedding(doc, report):
    """Rule 11: every font embedded, the invisible OCR font included: a FontFile, FontFile2 or
    FontFile3 in the font descriptor, for Type0 in the descendant's [6.2.11.4.1-1]. (veraPDF
    exempts fonts used only in rendering mode 3; the station's checklist does not.)"""
    for font, where in all_fonts(doc):
        subtype = name_str(font.get("/Subtype"))
        if subtype in (None, "/Type3", "/Type0"):
            continue
        kind, stream = font_program(font)
        label = font_label(font, where)
        if stream is None:
            report.add(11, "6.2.11.4.1-1", "font program not embedded (no FontFile, FontFile2 "
                       "or FontFile3)", label)
        elif kind == "FontFile2":
            data = safe_read(stream)
            try:
                TrueTypeFont(data or b"")
            except ValueError as e:
                report.add(11, "6.2.11.4.1-1", f"embedded TrueType program is unreadable: {e}",
                           label)


def _truetype(font, cache):
    """The parsed FontFile2 of a font (or its descendant), or None."""
    kind, stream = font_program(font)
    if kind != "FontFile2":
        return None
    key = stream.objgen if stream.is_indirect else id(stream)
    if key not in cache:
        try:
            cache[key] = TrueTypeFont(safe_read(stream) or b"")
        except ValueError:
            cache[key] = None
    return cache[key]


def is_symbolic(font):
    fd = font.get("/FontDescriptor")
    flags = as_int(fd.get("/Flags"), 0) if is_dict(fd) else 0
    return bool(flags & 4)


def truetype_encoding_ok(font):
    """True when a TrueType font's /Encoding agrees with its symbolic flag (rule 12)."""
    enc = font.get("/Encoding")
    if is_symbolic(font):
        return enc is None
    if is_name(enc):
        return str(enc) in ("/WinAnsiEncoding", "/MacRomanEncoding")
    if is_dict(enc):
        return name_str(enc.get("/BaseEncoding")) in ("/WinAnsiEncoding", "/MacRomanEncoding")
    return False


def check_rule_12_truetype_encoding(doc, report):
    """Rule 12: a non-symbolic TrueType font has /Encoding WinAnsiEncoding or MacRomanEncoding
    (a dictionary with one of them as /BaseEncoding and /Differences is allowed in PDF/A-2)
    [6.2.11.6-2] and a (3,1) or (1,0) cmap [6.2.11.6-1]; a symbolic one (FontDescriptor /Flags
    bit 3) has no /Encoding [6.2.11.6-3] and a cmap with one subtable or a (3,0) one
    [6.2.11.6-4]."""
    cache = {}
    for font, where in all_fonts(doc):
        if not is_name(font.get("/Subtype"), "/TrueType"):
            continue
        label = font_label(font, where)
        enc = font.get("/Encoding")
        symbolic = is_symbolic(font)
        if symbolic and enc is not None:
            report.add(12, "6.2.11.6-3", "symbolic TrueType font (Flags bit 3) has an /Encoding",
                       label)
        if not symbolic and not truetype_encoding_ok(font):
            shown = "none" if enc is None else (str(enc) if is_name(enc) else "a dictionary "
                                                "without WinAnsi/MacRoman base")
            report.add(12, "6.2.11.6-2", "non-symbolic TrueType font needs /Encoding "
                       f"WinAnsiEncoding or MacRomanEncoding (has {shown})", label)
        tt = _truetype(font, cache)
        if tt is None:
            continue
        if symbolic:
            if len(tt.cmaps) != 1 and (3, 0) not in tt.cmaps:
                report.add(12, "6.2.11.6-4", "symbolic TrueType program has "
                           f"{len(tt.cmaps)} cmap subtables and no (3,0) one", label)
        elif (3, 1) not in tt.cmaps and (1, 0) not in tt.cmaps:
            report.add(12, "6.2.11.6-1", "non-symbolic TrueType program has no (3,1) or (1,0) "
                       "cmap", label)


WINANSI_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _differences(enc):
    out = {}
    if not is_dict(enc) or not is_array(enc.get("/Differences")):
        return out
    code = None
    for item in enc["/Differences"]:
        if isinstance(item, int) and not isinstance(item, bool):
            code = item
        elif is_name(item) and code is not None:
            out[code] = str(item)[1:]
            code += 1
    return out


def _simple_truetype_gid(font, tt, code):
    """Glyph id a simple TrueType font draws for code, or None when the code cannot be
    resolved by this checker (a Differences name other than .notdef or uniXXXX)."""
    enc = font.get("/Encoding")
    if is_symbolic(font):
        for key, base in (((3, 0), 0xF000), ((3, 0), 0xF100), ((3, 0), 0xF200), ((3, 0), 0),
                          ((1, 0), 0)):
            if key in tt.cmaps:
                gid = tt.cmap_lookup(key, base + code)
                if gid:
                    return gid
        return 0
    diffs = _differences(enc)
    base = name_str(enc.get("/BaseEncoding")) if is_dict(enc) else name_str(enc)
    if code in diffs:
        glyph = diffs[code]
        if glyph == ".notdef":
            return 0
        m = re.fullmatch(r"uni([0-9A-F]{4})", glyph)
        if m is None:
            return None
        uni = int(m.group(1), 16)
    else:
        codec = "mac_roman" if base == "/MacRomanEncoding" else "cp1252"
        if codec == "cp1252" and code in WINANSI_UNDEFINED:
            return 0
        try:
            uni = ord(bytes([code]).decode(codec))
        except UnicodeDecodeError:
            return 0
    if (3, 1) in tt.cmaps:
        return tt.cmap_lookup((3, 1), uni)
    if (1, 0) in tt.cmaps:
        try:
            return tt.cmap_lookup((1, 0), chr(uni).encode("mac_roman")[0])
        except UnicodeEncodeError:
            return 0
    return 0


def check_rule_13_notdef(doc, report):
    """Rule 13: no shown character code maps to .notdef, in any rendering mode [6.2.11.8-1]:
    for simple TrueType fonts the codes 0x81 0x8D 0x8F 0x90 0x9D under WinAnsi, codes outside
    FirstChar..LastChar and codes whose glyph is 0 in the embedded cmap; for Type0 fonts with a
    CIDFontType2 descendant and Identity encoding, CIDs mapped to glyph 0 or beyond the font.
    CIDFontType2 fonts have a /CIDToGIDMap [6.2.11.3.2-1]; a /CIDSet lists exactly the CIDs
    present in the program [6.2.11.4.2-2]."""
    cache = {}
    for use in doc.content().font_uses.values():
        font, label = use.font, font_label(use.font, use.where)
        subtype = name_str(font.get("/Subtype"))
        if subtype == "/TrueType":
            first, last = as_int(font.get("/FirstChar")), as_int(font.get("/LastChar"))
            if first is not None and last is not None:
                outside = sorted(c for c in use.codes if c < first or c > last)
                if outside:
                    report.add(13, "6.2.11.8-1", "shown codes outside FirstChar..LastChar "
                               f"({first}..{last}): {_hex_list(outside)}", label)
            tt = _truetype(font, cache)
            if tt is None or not truetype_encoding_ok(font):
                continue  # not embedded (rule 11) or wrong encoding (rule 12)
            notdef = []
            for code in sorted(use.codes):
                gid = _simple_truetype_gid(font, tt, code)
                if gid is not None and (gid == 0 or gid >= tt.num_glyphs):
                    notdef.append(code)
            if notdef:
                report.add(13, "6.2.11.8-1", f"shown codes map to .notdef: {_hex_list(notdef)}",
                           label)
        elif subtype == "/Type0":
            desc = font.get("/DescendantFonts")
            cid_font = desc[0] if is_array(desc) and len(desc) == 1 and is_dict(desc[0]) \
                else None
            if cid_font is None or not is_name(cid_font.get("/Subtype"), "/CIDFontType2"):
                continue
            if not (is_name(font.get("/Encoding"), "/Identity-H") or
                    is_name(font.get("/Encoding"), "/Identity-V")):
                continue
            tt = _truetype(cid_font, cache)
            if tt is None:
                continue
            gids = _cid_to_gid(cid_font)
            notdef = [c for c in sorted(use.codes)
                      if _lookup_gid(gids, c) == 0 or _lookup_gid(gids, c) >= tt.num_glyphs]
            if notdef:
                report.add(13, "6.2.11.8-1", f"shown CIDs map to .notdef: {_hex_list(notdef)}",
                           label)
    for font, where in all_fonts(doc):
        if not is_name(font.get("/Subtype"), "/CIDFontType2"):
            continue
        label = font_label(font, where)
        if "/CIDToGIDMap" not in font:
            report.add(13, "6.2.11.3.2-1", "CIDFontType2 font without /CIDToGIDMap", label)
        elif not (is_name(font["/CIDToGIDMap"], "/Identity") or is_stream(font["/CIDToGIDMap"])):
            report.add(13, "6.2.11.3.2-1", "/CIDToGIDMap is neither /Identity nor a stream", label)
        fd = font.get("/FontDescriptor")
        cidset = fd.get("/CIDSet") if is_dict(fd) else None
        tt = _truetype(font, cache)
        if not is_stream(cidset) or tt is None:
            continue
        bits = safe_read(cidset) or b""
        listed = {i * 8 + b for i, byte in enumerate(bits) for b in range(8)
                  if byte & (0x80 >> b)}
        gids = _cid_to_gid(font)
        if gids is None:
            present = {c for c in range(tt.num_glyphs) if c == 0 or tt.glyph_has_outline(c)}
            possible = set(range(tt.num_glyphs))
        else:
            present = {c for c, g in enumerate(gids) if c == 0 or (g and tt.glyph_has_outline(g))}
            possible = {c for c, g in enumerate(gids) if c == 0 or (g and g < tt.num_glyphs)}
        missing = sorted(present - listed)
        extra = sorted(listed - possible)
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"CIDs in the program but not in /CIDSet: {_hex_list(missing)}")
            if extra:
                parts.append(f"CIDs in /CIDSet without a glyph: {_hex_list(extra)}")
            report.add(13, "6.2.11.4.2-2", "; ".join(parts), label)


def _cid_to_gid(cid_font):
    """A list CID -> GID from a /CIDToGIDMap stream, or None for Identity (or absent)."""
    m = cid_font.get("/CIDToGIDMap")
    if not is_stream(m):
        return None
    data = safe_read(m) or b""
    return [(data[i] << 8) | data[i + 1] for i in range(0, len(data) - 1, 2)]


def _lookup_gid(gids, cid):
    if gids is None:
        return cid
    return gids[cid] if cid < len(gids) else 0


def _hex_list(codes, limit=12):
    text = " ".join(f"0x{c:02X}" for c in codes[:limit])
    return text + (f" ... ({len(codes)} in all)" if len(codes) > limit else "")


def check_rule_14_metadata_stream(doc, report):
    """Rule 14: the catalog has /Metadata, a stream with /Type /Metadata and /Subtype /XML
    [6.6.2.1-1]. (Unfiltered is a PDF/A-1 requirement; PDF/A-2 allows filters.)"""
    meta = doc.pdf.Root.get("/Metadata")
    if meta is None:
        report.add(14, "6.6.2.1-1", "the catalog has no /Metadata", "catalog")
        return
    if not is_stream(meta):
        report.add(14, "6.6.2.1-1", "catalog /Metadata is not a stream", "catalog")
        return
    where = where_of(meta, "catalog /Metadata")
    for key, wanted in (("/Type", "/Metadata"), ("/Subtype", "/XML")):
        value = meta.stream_dict.get(key)
        if value is None:
            extra = " (it has /SubType: the libharu 2.3.0 typo)" if key == "/Subtype" and \
                "/SubType" in meta.stream_dict else ""
            report.add(14, "6.6.2.1-1", f"metadata stream has no {key} (must be {wanted})"
                       f"{extra}", where)
        elif not is_name(value, wanted):
            report.add(14, "6.6.2.1-1", f"metadata stream {key} is {value}, not {wanted}",
                       where)


# XMP namespaces of the XMP Specification 2005 schemas, PDF/A identification and extension
# schemas, and the structure types their values use.
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "x": "adobe:ns:meta/",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "xmpBJ": "http://ns.adobe.com/xap/1.0/bj/",
    "xmpTPg": "http://ns.adobe.com/xap/1.0/t/pg/",
    "xmpDM": "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "crs": "http://ns.adobe.com/camera-raw-settings/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "pdfaType": "http://www.aiim.org/pdfa/ns/type#",
    "pdfaField": "http://www.aiim.org/pdfa/ns/field#",
}
PREDEFINED_NS = {v for k, v in NS.items() if k not in ("rdf", "x", "xml")}
# Property names of the schemas this checker knows completely (XMP Specification 2005, ISO
# 19005-2 6.6.4); other predefined schemas are checked by namespace only.
KNOWN_PROPERTIES = {
    NS["dc"]: {"contributor", "coverage", "creator", "date", "description", "format",
               "identifier", "language", "publisher", "relation", "rights", "source", "subject",
               "title", "type"},
    NS["xmp"]: {"Advisory", "BaseURL", "CreateDate", "CreatorTool", "Identifier", "Label",
                "MetadataDate", "ModifyDate", "Nickname", "Rating", "Thumbnails"},
    NS["pdf"]: {"Keywords", "PDFVersion", "Producer"},
    NS["pdfaid"]: {"part", "amd", "corr", "conformance"},
}
PREFIX = {v: k for k, v in NS.items()}
XPACKET = re.compile(rb"<\?xpacket\s+begin=(?P<q>[\"']).*?(?P=q)(?P<rest>.*?)\?>", re.S)


def _split(tag):
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return "", tag


def _qname(ns, local):
    return f"{PREFIX.get(ns, ns)}:{local}"


class Xmp:
    """Top-level XMP properties: (namespace, name) -> element or attribute string."""

    def __init__(self, root):
        self.root = root
        self.props = []  # (ns, local, value) value: Element or str
        for desc in root.iter(f"{{{NS['rdf']}}}Description"):
            if not self._is_top_level(desc):
                continue
            for key, value in desc.attrib.items():
                ns, local = _split(key)
                if ns in (NS["rdf"], NS["xml"]) or ns == "":
                    continue
                self.props.append((ns, local, value))
            for child in desc:
                ns, local = _split(child.tag)
                self.props.append((ns, local, child))

    def _is_top_level(self, desc):
        parent = self._parents().get(desc)
        return parent is not None and parent.tag == f"{{{NS['rdf']}}}RDF"

    def _parents(self):
        if not hasattr(self, "_parent_map"):
            self._parent_map = {c: p for p in self.root.iter() for c in p}
        return self._parent_map

    def get(self, ns, local):
        for pns, plocal, value in self.props:
            if pns == ns and plocal == local:
                return value
        return None

    def text(self, ns, local):
        """A simple or language-alternative property as text (x-default first)."""
        value = self.get(ns, local)
        if value is None or isinstance(value, str):
            return value
        alt = value.find(f"{{{NS['rdf']}}}Alt")
        if alt is not None:
            items = alt.findall(f"{{{NS['rdf']}}}li")
            for li in items:
                if li.get(f"{{{NS['xml']}}}lang") == "x-default":
                    return li.text or ""
            return (items[0].text or "") if items else ""
        if value.get(f"{{{NS['rdf']}}}resource") is not None:
            return value.get(f"{{{NS['rdf']}}}resource")
        return value.text or ""

    def seq(self, ns, local):
        value = self.get(ns, local)
        if value is None:
            return None
        if isinstance(value, str):
            return [value]
        for container in ("Seq", "Bag", "Alt"):
            c = value.find(f"{{{NS['rdf']}}}{container}")
            if c is not None:
                return [li.text or "" for li in c.findall(f"{{{NS['rdf']}}}li")]
        return [value.text or ""]

    def declared_namespaces(self):
        """Namespace URIs declared by pdfaExtension:schemas."""
        out = set()
        for el in self.root.iter():
            if _split(el.tag) == (NS["pdfaSchema"], "namespaceURI") and el.text:
                out.add(el.text.strip())
            uri = el.get(f"{{{NS['pdfaSchema']}}}namespaceURI")
            if uri:
                out.add(uri.strip())
        return out


def metadata_bytes(doc):
    meta = doc.pdf.Root.get("/Metadata")
    if not is_stream(meta):
        return None
    return safe_read(meta)


def parse_xmp(doc):
    """(Xmp or None, problem text or None) for the catalog metadata stream."""
    data = metadata_bytes(doc)
    if data is None:
        return None, None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return None, f"XMP is not well-formed XML: {e}"
    return Xmp(root), None


def check_rule_15_xmp(doc, report):
    """Rule 15: XMP is UTF-8 [6.6.2.1-5] and well formed [6.6.2.1-4]; its xpacket header has no
    bytes= [6.6.2.1-2] or encoding= [6.6.2.1-3]; pdfaid:part 2 and pdfaid:conformance B
    [6.6.4-1..-3]; only predefined schemas or those declared by a pdfaExtension schema
    [6.6.2.3.1-1]."""
    data = metadata_bytes(doc)
    if data is None:
        return  # rule 14 reports a missing or unreadable stream
    where = where_of(doc.pdf.Root["/Metadata"], "catalog /Metadata")
    if data.startswith((b"\xfe\xff", b"\xff\xfe")):
        report.add(15, "6.6.2.1-5", "XMP is UTF-16, not UTF-8", where)
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            report.add(15, "6.6.2.1-5", f"XMP is not valid UTF-8 ({e.reason} at byte {e.start})",
                       where)
    m = XPACKET.search(data)
    if m is None:
        report.note("XMP has no <?xpacket begin=...?> header")
    else:
        rest = m.group("rest")
        if re.search(rb"\bbytes\s*=", rest):
            report.add(15, "6.6.2.1-2", "xpacket header has a bytes= attribute", where)
        if re.search(rb"\bencoding\s*=", rest):
            report.add(15, "6.6.2.1-3", "xpacket header has an encoding= attribute", where)
    xmp, problem = parse_xmp(doc)
    if problem:
        report.add(15, "6.6.2.1-4", problem, where)
        return
    part = xmp.text(NS["pdfaid"], "part")
    conformance = xmp.text(NS["pdfaid"], "conformance")
    if part is None:
        report.add(15, "6.6.4-1", "XMP has no pdfaid:part", where)
    elif part.strip() != "2":
        report.add(15, "6.6.4-1", f"pdfaid:part is {part.strip()!r}, not 2", where)
    if conformance is None:
        report.add(15, "6.6.4-2", "XMP has no pdfaid:conformance", where)
    elif conformance.strip() != "B":
        report.add(15, "6.6.4-2", f"pdfaid:conformance is {conformance.strip()!r}, not B",
                   where)
    declared = xmp.declared_namespaces()
    for ns, local, _ in xmp.props:
        if ns not in PREDEFINED_NS and ns not in declared:
            report.add(15, "6.6.2.3.1-1", f"XMP property {_qname(ns, local)} uses the "
                       f"namespace {ns or '(none)'}, neither predefined nor declared in a "
                       "pdfaExtension schema", where)
        elif ns in KNOWN_PROPERTIES and local not in KNOWN_PROPERTIES[ns] and ns not in declared:
            report.add(15, "6.6.2.3.1-1", f"XMP property {_qname(ns, local)} is not defined in "
                       "its predefined schema", where)


PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
                      r"(?:([Zz+\-])(\d{2})?'?(\d{2})?'?)?")
XMP_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                      r"(Z|[+\-]\d{2}:\d{2})?)?)?)?$")


def _date_value(fields, tz):
    """(local datetime, offset in minutes or None)."""
    year, month, day, hour, minute, second = (int(f) if f else d for f, d in
                                              zip(fields, (0, 1, 1, 0, 0, 0)))
    return datetime.datetime(year, month, day, hour, minute, second), tz


def parse_pdf_date(text):
    """A PDF date string D:YYYYMMDDHHmmSSOHH'mm' as (local datetime, offset) or None."""
    m = PDF_DATE.match(text.strip())
    if m is None:
        return None
    tz = None
    if m.group(7) in ("Z", "z"):
        tz = 0
    elif m.group(7) in ("+", "-"):
        tz = int(m.group(8) or 0) * 60 + int(m.group(9) or 0)
        tz = -tz if m.group(7) == "-" else tz
    try:
        return _date_value(m.groups()[:6], tz)
    except ValueError:
        return None


def parse_xmp_date(text):
    """An XMP (ISO 8601) date as (local datetime, offset) or None."""
    m = XMP_DATE.match(text.strip())
    if m is None:
        return None
    zone = m.group(7)
    tz = None
    if zone == "Z":
        tz = 0
    elif zone:
        tz = int(zone[1:3]) * 60 + int(zone[4:6])
        tz = -tz if zone[0] == "-" else tz
    try:
        return _date_value(m.groups()[:6], tz)
    except ValueError:
        return None


def same_date(pdf_text, xmp_text):
    """True when the two dates denote the same instant: 'Z', '+00:00' and other notations of
    the same instant are equal. When either side has no zone, the local fields compare."""
    a, b = parse_pdf_date(pdf_text), parse_xmp_date(xmp_text)
    if a is None or b is None:
        return False
    if a[1] is not None and b[1] is not None:
        return a[0] - datetime.timedelta(minutes=a[1]) == b[0] - datetime.timedelta(minutes=b[1])
    return a[0] == b[0]


def check_rule_16_info_xmp(doc, report):
    """Rule 16: document Info and XMP agree [6.7.3, mandatory in PDF/A-1, good practice for
    PDF/A-2]: Title = dc:title, Author = dc:creator, Subject = dc:description, Keywords =
    pdf:Keywords, Creator = xmp:CreatorTool, Producer = pdf:Producer, CreationDate =
    xmp:CreateDate, ModDate = xmp:ModifyDate (dates as instants: Z equals +00:00)."""
    info = doc.pdf.trailer.get("/Info")
    if not is_dict(info):
        return
    xmp, problem = parse_xmp(doc)
    if xmp is None:
        return  # rules 14 and 15 report it
    where = where_of(info, "trailer /Info")
    text_pairs = [("/Title", NS["dc"], "title"), ("/Subject", NS["dc"], "description"),
                  ("/Keywords", NS["pdf"], "Keywords"), ("/Creator", NS["xmp"], "CreatorTool"),
                  ("/Producer", NS["pdf"], "Producer")]
    for key, ns, local in text_pairs:
        if key not in info or not is_string(info[key]):
            continue
        value = str(info[key])
        other = xmp.text(ns, local)
        if other is None:
            report.add(16, "6.7.3", f"Info {key} is set but XMP has no {_qname(ns, local)}", where)
        elif other != value:
            report.add(16, "6.7.3", f"Info {key} {value!r} differs from XMP "
                       f"{_qname(ns, local)} {other!r}", where)
    if "/Author" in info and is_string(info["/Author"]):
        value = str(info["/Author"])
        creators = xmp.seq(NS["dc"], "creator")
        if creators is None:
            report.add(16, "6.7.3", "Info /Author is set but XMP has no dc:creator", where)
        elif value not in (creators[0] if len(creators) == 1 else None, ", ".join(creators),
                           "; ".join(creators)):
            report.add(16, "6.7.3", f"Info /Author {value!r} differs from XMP dc:creator "
                       f"{creators!r}", where)
    for key, local in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        if key not in info or not is_string(info[key]):
            continue
        value = str(info[key])
        other = xmp.text(NS["xmp"], local)
        if other is None:
            report.add(16, "6.7.3", f"Info {key} is set but XMP has no xmp:{local}", where)
        elif not same_date(value, other):
            report.add(16, "6.7.3", f"Info {key} {value!r} and XMP xmp:{local} {other!r} are "
                       "not the same instant", where)


FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide",
                     "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
ALLOWED_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
FORBIDDEN_ANNOTS = {"/3D", "/Sound", "/Screen", "/Movie"}


def _action_dicts(doc):
    """Every action dictionary with the place it hangs from: values of /A, /OpenAction and
    /Next, the entries of /AA dictionaries, and dictionaries with /Type /Action."""
    seen = set()
    for d, where in doc.dicts():
        found = [d] if is_name(d.get("/Type"), "/Action") else []
        for key in ("/A", "/OpenAction", "/Next"):
            value = d.get(key)
            if is_dict(value):
                found.append(value)
            elif key == "/Next" and is_array(value):
                found.extend(v for v in value if is_dict(v))
        aa = d.get("/AA")
        if is_dict(aa):
            found.extend(aa[k] for k in aa.keys() if is_dict(aa[k]))
        for action in found:
            key = action.objgen if action.is_indirect else (where, bytes(action.unparse()))
            if key not in seen:
                seen.add(key)
                yield action, where_of(action, where)


def _place_labels(doc):
    """'obj N G' -> a readable place ('catalog', 'page 2', 'page 2 annotation obj 12 0')."""
    labels = {where_of(doc.pdf.Root): "catalog"}
    for index, page in enumerate(doc.pdf.pages, start=1):
        labels[where_of(page.obj)] = f"page {index}"
        annots = page.obj.get("/Annots")
        if is_array(annots):
            for annot in annots:
                if is_dict(annot) and annot.is_indirect:
                    labels[where_of(annot)] = f"page {index} annotation {where_of(annot)}"
    return labels


def check_rule_17_interactive(doc, report):
    """Rule 17: no JavaScript, Launch or other forbidden actions anywhere (/OpenAction,
    annotations, outlines, form fields, /Next chains), named actions only NextPage, PrevPage,
    FirstPage, LastPage [6.5.1]; no /AA in the catalog, pages, annotations or form fields
    [6.5.2]; annotations of permitted types [6.3.1-1] with /F present (except Popup)
    [6.3.2-1], Print set and Hidden, Invisible, NoView, ToggleNoView clear [6.3.2-2]; no
    JavaScript name tree; no embedded files (EmbeddedFiles name tree or /EF file
    specifications) [6.8]; no XFA or NeedAppearances true [6.4.1, 6.4.2]."""
    pdf, root = doc.pdf, doc.pdf.Root
    labels = _place_labels(doc)
    for action, where in _action_dicts(doc):
        s = name_str(action.get("/S"))
        place = labels.get(where, where)
        if s in FORBIDDEN_ACTIONS:
            report.add(17, "6.5.1-1", f"forbidden action {s}", place)
        elif s == "/Named" and name_str(action.get("/N")) not in ALLOWED_NAMED:
            report.add(17, "6.5.1-2", f"named action {action.get('/N')} is not NextPage, "
                       "PrevPage, FirstPage or LastPage", place)
    if "/AA" in root:
        report.add(17, "6.5.2-1", "the catalog has /AA (additional actions)", "catalog")
    names = root.get("/Names")
    if is_dict(names):
        if "/JavaScript" in names:
            report.add(17, "6.5.1-1", "the catalog /Names has a /JavaScript name tree",
                       "catalog /Names")
        if "/EmbeddedFiles" in names:
            report.add(17, "6.8-1", "the catalog /Names has /EmbeddedFiles (embedded files)",
                       "catalog /Names")
    form = root.get("/AcroForm")
    if is_dict(form):
        if "/XFA" in form:
            report.add(17, "6.4.2-1", "the interactive form has /XFA", "catalog /AcroForm")
        if form.get("/NeedAppearances") is True:
            report.add(17, "6.4.1-2", "the interactive form has /NeedAppearances true",
                       "catalog /AcroForm")
    for index, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        if "/AA" in obj:
            report.add(17, "6.5.2-2", "page has /AA (additional actions)", f"page {index}")
        annots = obj.get("/Annots")
        if not is_array(annots):
            continue
        for annot in annots:
            if not is_dict(annot):
                continue
            where = f"page {index} annotation {where_of(annot)}".rstrip()
            subtype = name_str(annot.get("/Subtype"))
            if subtype in FORBIDDEN_ANNOTS:
                report.add(17, "6.3.1-1", f"annotation type {subtype} is not permitted", where)
            if "/AA" in annot:
                report.add(17, "6.5.2-3", "annotation has /AA (additional actions)", where)
            if subtype == "/Popup":
                continue
            flags = as_int(annot.get("/F"))
            if flags is None:
                report.add(17, "6.3.2-1", "annotation without /F flags (must be printable)",
                           where)
                continue
            if not flags & 4:
                report.add(17, "6.3.2-2", "annotation is not printable (Print flag clear)",
                           where)
            hidden = [n for bit, n in ((1, "Invisible"), (2, "Hidden"), (32, "NoView"),
                                       (256, "ToggleNoView")) if flags & bit]
            if hidden:
                report.add(17, "6.3.2-2", f"annotation flags {', '.join(hidden)} set", where)
    for d, where in doc.dicts():
        if "/EF" in d and is_dict(d.get("/EF")):
            report.add(17, "6.8-1", "file specification with an embedded file (/EF)",
                       labels.get(where, where))
        if "/AA" in d and "/FT" in d and "/Subtype" not in d:
            report.add(17, "6.5.2-3", "form field has /AA (additional actions)",
                       labels.get(where, where))


RULES = [
    check_rule_01_header_and_eof, check_rule_02_trailer, check_rule_03_streams,
    check_rule_04_filters, check_rule_05_limits, check_rule_06_output_intent,
    check_rule_07_device_colour, check_rule_08_images_xobjects,
    check_rule_09_graphics_state, check_rule_10_font_dicts, check_rule_11_embedding,
    check_rule_12_truetype_encoding, check_rule_13_notdef, check_rule_14_metadata_stream,
    check_rule_15_xmp, check_rule_16_info_xmp, check_rule_17_interactive,
]

# ------------------------------------------------------------------------------------------
# Entry points


def check_file(path):
    """Checks one file; returns its Report (report.error set when it cannot be parsed)."""
    report = Report(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        report.error = f"cannot read the file: {e.strerror}"
        return report
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        # Encrypted with a user password: rule 2 is broken for sure; only the byte-level
        # header rule can be checked without the password.
        doc = Document(path, data, None, report)
        check_rule_01_header_and_eof(doc, report)
        report.add(2, "6.1.3-2", "the file is encrypted with a password (/Encrypt)", "trailer")
        report.checked_rules = [1, 2]
        report.note("password protected: rules 3-17 not checked")
        return report
    except (pikepdf.PdfError, RuntimeError, ValueError) as e:
        report.error = str(e).strip() or type(e).__name__
        return report
    with pdf:
        for warning in pdf.get_warnings():
            report.note(f"qpdf: {warning}")
        doc = Document(path, data, pdf, report)
        for rule in RULES:
            try:
                rule(doc, report)
            except (pikepdf.PdfError, RuntimeError, ValueError, KeyError, TypeError) as e:
                number = int(rule.__name__.split("_")[2])
                report.add(number, "-", f"the checker could not evaluate this rule "
                           f"({type(e).__name__}: {e})", "")
        report.checked_rules = list(ALL_RULES)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Structural PDF/A-2b check of the numbered rules in PDFA.md section 6 "
        "(a subset of veraPDF). Exit 0 conforms, 1 violations, 2 not parseable.")
    parser.add_argument("file", help="the PDF file to check")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    args = parser.parse_args(argv)
    report = check_file(args.file)
    if args.json:
        json.dump(report.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for line in report.lines():
            print(line)
        if report.error is None and report.ok:
            print(f"{args.file}: conforms to the checked PDF/A-2b rules 1-17")
    if report.error is not None:
        return EXIT_UNPARSEABLE
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


if __name__ == "__main__":
    sys.exit(main())
