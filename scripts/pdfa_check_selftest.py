#!/usr/bin/python3
"""Self-test of scripts/pdfa_check.py (ctest: pdfa_check_selftest, unit).

Builds a small conforming PDF/A-2b file with pikepdf: a page with a DeviceGray and a
DeviceRGB image; a page with invisible WinAnsi text in an embedded DejaVu Sans TrueType font
and a few CIDs in a Type 0 / CIDFontType2 font with a complete CIDSet; a printable link
annotation; the sRGB output intent of icc-profiles-free; XMP with pdfaid 2/B that agrees
with Info; a trailer /ID. It asserts that the checker passes it. Then, for every rule 1-17
of PDFA.md section 6, it breaks exactly that rule in one or more ways (MUTATIONS) and
asserts that the checker reports exactly that rule and nothing else. About five seconds.

    /usr/bin/python3 scripts/pdfa_check_selftest.py [-v]
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import zlib

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pdfa_check  # noqa: E402
import pikepdf  # noqa: E402
from pikepdf import Array, Dictionary, Name, String  # noqa: E402

CHECKER = os.path.join(HERE, "pdfa_check.py")
FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core
ICC_PATH = "/usr/share/color/icc/sRGB.icc"  # icc-profiles-free
# The station's Danish test words, shown in the invisible text layer (CP1252 = WinAnsi).
TEXT = "Blåbærsyltetøj ÆØÅ æøå"
FIRST_CHAR, LAST_CHAR = 32, 255
IMAGE_CONTENT = b"q 400 0 0 300 100 400 cm /ImGray Do Q q 100 0 0 100 100 200 cm /ImRgb Do Q\n"
INFO_DATE, XMP_DATE = "D:20240315101500+01'00'", "2024-03-15T10:15:00+01:00"
# An empty LZW stream: clear code 256 then end-of-data 257, 9 bits each.
EMPTY_LZW = b"\x80\x40\x40"

with open(FONT_PATH, "rb") as _f:
    FONT_BYTES = _f.read()
FONT = pdfa_check.TrueTypeFont(FONT_BYTES)
FONT_FLATE = zlib.compress(FONT_BYTES, 6)
with open(ICC_PATH, "rb") as _f:
    ICC_BYTES = _f.read()

XMP_TEMPLATE = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"{xpacket_extra}?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"{extra_ns}>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>Postrummet, Testkommune</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">Indscannet brev</rdf:li>
   </rdf:Alt></dc:description>
   <pdf:Keywords>brev, sag</pdf:Keywords>
   <pdf:Producer>intake station selftest</pdf:Producer>
   <xmp:CreatorTool>pdfa_check_selftest</xmp:CreatorTool>
   <xmp:CreateDate>{create}</xmp:CreateDate>
   <xmp:ModifyDate>{modify}</xmp:ModifyDate>
   <xmp:MetadataDate>{modify}</xmp:MetadataDate>
   <pdfaid:part>{part}</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>{extra_props}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def xmp_packet(**overrides):
    values = dict(xpacket_extra="", extra_ns="", extra_props="", title="Brev om sag 24/1234",
                  create=XMP_DATE, modify=XMP_DATE, part="2")
    values.update(overrides)
    return XMP_TEMPLATE.format(**values).encode("utf-8")


def winansi_widths(first=FIRST_CHAR, last=LAST_CHAR):
    """Advance widths of DejaVu Sans for WinAnsi codes first..last (0 where undefined)."""
    out = []
    for code in range(first, last + 1):
        try:
            uni = ord(bytes([code]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(0)
            continue
        out.append(FONT.advance_width(FONT.cmap_lookup((3, 1), uni)))
    return out


def pdf_string(raw):
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_content(raw_text):
    return (b"BT /F1 24 Tf 3 Tr 1 0 0 1 72 700 Tm " + pdf_string(raw_text) + b" Tj "
            b"0 -30 Td [" + pdf_string(b"sag") + b" -250 " + pdf_string(b"1234") + b"] TJ ET\n")


def cid_text_content(text, extra_cids=()):
    cids = [FONT.cmap_lookup((3, 1), ord(ch)) for ch in text] + list(extra_cids)
    hexcodes = "".join(f"{c:04X}" for c in cids).encode()
    return b"BT /F2 12 Tf 3 Tr 72 600 Td <" + hexcodes + b"> Tj ET\n"


class Baseline:
    """The pikepdf objects of the baseline document, for mutations to reach."""

    def __init__(self):
        pdf = self.pdf = pikepdf.new()
        gray = bytes((x * 4 + y) & 0xFF for y in range(48) for x in range(64))
        self.im_gray = self.image(64, 48, Name.DeviceGray, gray)
        rgb = bytes(v for i in range(16 * 16) for v in (i & 0xFF, 255 - (i & 0xFF), 128))
        self.im_rgb = self.image(16, 16, Name.DeviceRGB, rgb)
        page1 = pdf.add_blank_page(page_size=(595, 842)).obj
        page1.Resources = Dictionary(XObject=Dictionary(ImGray=self.im_gray, ImRgb=self.im_rgb))
        page1.Contents = pdf.make_stream(IMAGE_CONTENT)
        self.page1 = page1

        fontfile = pdf.make_stream(b"")
        fontfile.write(FONT_FLATE, filter=Name.FlateDecode)
        fontfile.Length1 = len(FONT_BYTES)
        self.descriptor = pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/DejaVuSans"), Flags=32,
            FontBBox=Array([-1021, -463, 1793, 1232]), ItalicAngle=0, Ascent=928,
            Descent=-236, CapHeight=729, StemV=80, FontFile2=fontfile))
        self.font = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.TrueType, BaseFont=Name("/DejaVuSans"),
            FirstChar=FIRST_CHAR, LastChar=LAST_CHAR, Widths=Array(winansi_widths()),
            Encoding=Name.WinAnsiEncoding, FontDescriptor=self.descriptor))
        # A composite font as OCRmyPDF and Ghostscript write: Type0, Identity-H, a
        # CIDFontType2 descendant with /CIDToGIDMap /Identity and a complete /CIDSet.
        cidset = bytearray((FONT.num_glyphs + 7) // 8)
        for gid in range(FONT.num_glyphs):
            cidset[gid // 8] |= 0x80 >> (gid % 8)
        self.cid_descriptor = pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/DejaVuSans"), Flags=32,
            FontBBox=Array([-1021, -463, 1793, 1232]), ItalicAngle=0, Ascent=928,
            Descent=-236, CapHeight=729, StemV=80, FontFile2=fontfile,
            CIDSet=pdf.make_stream(bytes(cidset))))
        self.cid_font = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/DejaVuSans"),
            CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"),
                                     Supplement=0),
            FontDescriptor=self.cid_descriptor, CIDToGIDMap=Name.Identity, DW=600))
        self.type0 = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/DejaVuSans"),
            Encoding=Name("/Identity-H"), DescendantFonts=Array([self.cid_font])))
        page2 = pdf.add_blank_page(page_size=(595, 842)).obj
        page2.Resources = Dictionary(Font=Dictionary(F1=self.font, F2=self.type0))
        self.text_stream = pdf.make_stream(text_content(TEXT.encode("cp1252")))
        page2.Contents = Array([self.text_stream, pdf.make_stream(cid_text_content("Sag"))])
        self.link = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 690, 300, 720]), F=4,
            Border=Array([0, 0, 0]),
            A=Dictionary(S=Name.URI, URI=String("https://example.invalid/sag"))))
        page2.Annots = Array([self.link])
        self.page2 = page2

        self.icc = pdf.make_stream(b"")
        self.icc.write(zlib.compress(ICC_BYTES), filter=Name.FlateDecode)
        self.icc.N = 3
        self.intent = pdf.make_indirect(Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1,
            OutputConditionIdentifier=String("sRGB IEC61966-2.1"), DestOutputProfile=self.icc))
        pdf.Root.OutputIntents = Array([self.intent])
        self.set_xmp(xmp_packet())
        pdf.trailer.Info = pdf.make_indirect(Dictionary(
            Title=String("Brev om sag 24/1234"), Author=String("Postrummet, Testkommune"),
            Subject=String("Indscannet brev"), Keywords=String("brev, sag"),
            Creator=String("pdfa_check_selftest"), Producer=String("intake station selftest"),
            CreationDate=String(INFO_DATE), ModDate=String(INFO_DATE)))
        self.save_kwargs = {}

    def image(self, width, height, space, pixels, bpc=8):
        stream = self.pdf.make_stream(b"")
        stream.write(zlib.compress(pixels), filter=Name.FlateDecode)
        stream.Type, stream.Subtype = Name.XObject, Name.Image
        stream.Width, stream.Height = width, height
        stream.ColorSpace, stream.BitsPerComponent = space, bpc
        return stream

    def set_xmp(self, packet):
        self.pdf.Root.Metadata = self.pdf.make_stream(packet, Type=Name.Metadata,
                                                      Subtype=Name.XML)

    def append_content(self, page, data):
        contents = page.Contents
        if isinstance(contents, pikepdf.Array):
            contents.append(self.pdf.make_stream(data))
        else:
            page.Contents = Array([contents, self.pdf.make_stream(data)])

    def save(self, path):
        kwargs = dict(min_version="1.7", compress_streams=False,
                      stream_decode_level=pikepdf.StreamDecodeLevel.none,
                      fix_metadata_version=False)
        kwargs.update(self.save_kwargs)
        if "encryption" in kwargs:
            del kwargs["stream_decode_level"]  # qpdf must decode to encrypt
        self.pdf.save(path, **kwargs)


def replace_same_length(data, old, new, count=1):
    assert len(old) == len(new), (old, new)
    assert data.count(old) == count, (old, data.count(old))
    return data.replace(old, new)


def stream_dict_span(data, marker):
    """(start, end) of the dictionary of the stream whose data starts with marker."""
    at = data.index(marker)
    start = data.rindex(b" obj", 0, at)
    return start, at


def change_length(data, marker, delta):
    start, end = stream_dict_span(data, marker)
    m = re.compile(rb"/Length (\d+)").search(data, start, end)
    old = int(m.group(1))
    new = str(old + delta).encode()
    assert len(new) == len(m.group(1))
    return data[:m.start(1)] + new + data[m.end(1):]


# --- Mutations: each breaks exactly one rule. (rule, pdf mutation, byte mutation) ----------

def without_binary_comment(data):
    assert data[9:10] == b"%" and all(b > 127 for b in data[10:14]), data[:16]
    return data[:9] + b"%abcd" + data[14:]


def add_javascript_outline(base):
    pdf = base.pdf
    item = pdf.make_indirect(Dictionary(Title=String("Brev"), A=Dictionary(
        S=Name.JavaScript, JS=String("app.alert(1)"))))
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1, First=item, Last=item))
    item.Parent = outlines
    pdf.Root.Outlines = outlines


MUTATIONS = {
    # Rule 1: header, binary comment, end of file.
    "binary_comment_without_high_bytes": (1, None, without_binary_comment),
    "header_version_above_1_7": (1, None, lambda d: b"%PDF-1.8" + d[8:]),
    "junk_before_the_header": (1, None, lambda d: b"junk\n" + d),
    "space_after_the_header": (1, None, lambda d: d[:8] + b" " + d[9:]),
    "junk_after_eof": (1, None, lambda d: d + b"junk after the end\n"),
    # Rule 2: trailer /ID, no /Encrypt.
    "trailer_without_id": (2, None, lambda d: re.sub(
        rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", lambda m: b" " * len(m.group(0)), d)),
    "encrypted_with_owner_password": (2, lambda b: b.save_kwargs.update(
        encryption=pikepdf.Encryption(owner="hemmelig", user="", R=4)), None),
    # Rule 3: stream keywords and /Length, no external stream keys.
    "wrong_stream_length": (3, None, lambda d: change_length(d, IMAGE_CONTENT, +1)),
    "stream_keyword_followed_by_cr_only": (3, None, lambda d: d.replace(
        b"stream\n" + IMAGE_CONTENT, b"stream\r" + IMAGE_CONTENT)),
    "no_eol_before_endstream": (3, None, lambda d: d.replace(
        IMAGE_CONTENT + b"\nendstream", IMAGE_CONTENT + b" endstream")),
    "stream_length_too_short": (3, None, lambda d: change_length(d, IMAGE_CONTENT, -1)),
    "stream_with_fdecodeparms": (3, lambda b: b.page1.Contents.__setitem__(
        "/FDecodeParms", Dictionary()), None),
    # Rule 4: filters.
    "lzw_filtered_content_stream": (4, lambda b: b.page1.__setattr__("Contents", Array([
        b.page1.Contents, b.pdf.make_stream(EMPTY_LZW, Filter=Name.LZWDecode)])), None),
    "lzw_inline_image": (4, lambda b: b.append_content(
        b.page1, b"q 10 0 0 10 50 50 cm BI /W 1 /H 1 /BPC 8 /CS /G /F /LZW ID " + EMPTY_LZW +
        b" EI Q\n"), None),
    # Rule 5: implementation limits.
    "string_longer_than_32767_bytes": (5, lambda b: b.pdf.Root.__setitem__(
        "/XLongString", String("x" * 32768)), None),
    "name_longer_than_127_bytes": (5, lambda b: b.page1.__setitem__("/" + "N" * 128, 1), None),
    "q_nested_30_deep": (5, lambda b: b.append_content(b.page1, b"q " * 30 + b"Q " * 30), None),
    "integer_beyond_32_bits": (5, lambda b: b.pdf.Root.__setitem__("/XBig", 2 ** 31), None),
    "media_box_of_two_units": (5, lambda b: b.page1.__setitem__(
        "/MediaBox", Array([0, 0, 2, 2])), None),
    # Rule 6: output intent profile.
    "icc_profile_of_class_scnr": (6, lambda b: b.icc.write(zlib.compress(
        ICC_BYTES[:12] + b"scnr" + ICC_BYTES[16:]), filter=Name.FlateDecode), None),
    "icc_n_does_not_match_profile": (6, lambda b: b.icc.__setattr__("N", 1), None),
    "two_intents_with_different_profiles": (6, lambda b: b.pdf.Root.OutputIntents.append(
        b.pdf.make_indirect(Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX,
                                       OutputConditionIdentifier=String("other"),
                                       DestOutputProfile=b.pdf.make_stream(ICC_BYTES, N=3)))),
        None),
    # Rule 7: device colour versus the output intent.
    "rg_without_output_intent": (7, lambda b: (b.pdf.Root.__delitem__("/OutputIntents"),
                                               b.append_content(b.page2, b"0 0 1 rg\n")), None),
    "cmyk_image_under_srgb_intent": (7, lambda b: (
        b.page1.Resources.XObject.__setitem__("/ImCmyk", b.image(
            2, 2, Name.DeviceCMYK, bytes(16))),
        b.append_content(b.page1, b"q 50 0 0 50 300 100 cm /ImCmyk Do Q\n")), None),
    "k_operator_under_srgb_intent": (7, lambda b: b.append_content(
        b.page2, b"0 0 0 1 k 10 10 50 50 re f\n"), None),
    # Rule 8: images and XObjects.
    "image_with_interpolate_true": (8, lambda b: b.im_gray.__setattr__("Interpolate", True),
                                    None),
    "image_with_alternates": (8, lambda b: b.im_rgb.__setattr__("Alternates", Array()), None),
    "image_with_3_bits_per_component": (8, lambda b: b.im_gray.__setattr__(
        "BitsPerComponent", 3), None),
    "postscript_xobject": (8, lambda b: b.page1.Resources.XObject.__setitem__(
        "/PS0", b.pdf.make_stream(b"% nothing", Type=Name.XObject, Subtype=Name.PS)), None),
    # Rule 9: graphics state.
    "extgstate_with_tr": (9, lambda b: (b.page2.Resources.__setitem__("/ExtGState", Dictionary(
        GS1=Dictionary(Type=Name.ExtGState, TR=Name.Identity))),
        b.append_content(b.page2, b"/GS1 gs\n")), None),
    "non_standard_blend_mode": (9, lambda b: b.page2.Resources.__setitem__(
        "/ExtGState", Dictionary(GS1=Dictionary(Type=Name.ExtGState, BM=Name.Glow))), None),
    "extgstate_tr2_not_default": (9, lambda b: b.page2.Resources.__setitem__(
        "/ExtGState", Dictionary(GS1=Dictionary(TR2=Name.Identity))), None),
    # Rule 10: font dictionaries.
    "widths_of_wrong_length": (10, lambda b: b.font.__setattr__(
        "Widths", Array(winansi_widths()[:-1])), None),
    "font_without_basefont": (10, lambda b: b.font.__delitem__("/BaseFont"), None),
    # Rule 11: embedding.
    "truetype_font_without_fontfile2": (11, lambda b: b.descriptor.__delitem__("/FontFile2"),
                                        None),
    "truetype_fontfile2_not_a_font": (11, lambda b: b.descriptor.FontFile2.write(
        b"this is not a font program"), None),
    # Rule 12: TrueType encodings.
    "non_symbolic_truetype_without_encoding": (12, lambda b: b.font.__delitem__("/Encoding"),
                                               None),
    "symbolic_truetype_with_encoding": (12, lambda b: b.descriptor.__setattr__("Flags", 4),
                                        None),
    "non_symbolic_truetype_with_standard_encoding": (12, lambda b: b.font.__setattr__(
        "Encoding", Name.StandardEncoding), None),
    # Rule 13: .notdef.
    "shown_code_0x81": (13, lambda b: b.text_stream.write(text_content(
        TEXT.encode("cp1252") + b"\x81")), None),
    "shown_code_0x9d_in_tj_array": (13, lambda b: b.append_content(
        b.page2, b"BT /F1 12 Tf 3 Tr [(a) 10 (\x9d)] TJ ET\n"), None),
    "shown_code_below_first_char": (13, lambda b: (
        b.font.__setattr__("FirstChar", 33),
        b.font.__setattr__("Widths", Array(winansi_widths(33, LAST_CHAR)))), None),
    "differences_map_code_to_notdef": (13, lambda b: b.font.__setattr__(
        "Encoding", Dictionary(Type=Name.Encoding, BaseEncoding=Name.WinAnsiEncoding,
                               Differences=Array([66, Name("/.notdef")]))), None),
    "shown_cid_0_in_composite_font": (13, lambda b: b.page2.Contents.append(
        b.pdf.make_stream(cid_text_content("Sag", extra_cids=[0]))), None),
    "shown_cid_beyond_the_glyphs": (13, lambda b: b.page2.Contents.append(
        b.pdf.make_stream(cid_text_content("Sag", extra_cids=[FONT.num_glyphs + 5]))), None),
    "cid_font_without_cidtogidmap": (13, lambda b: b.cid_font.__delitem__("/CIDToGIDMap"),
                                     None),
    "cidset_missing_glyphs": (13, lambda b: b.cid_descriptor.CIDSet.write(
        b"\xff" * (FONT.num_glyphs // 16)), None),
    # Rule 14: metadata stream dictionary.
    "metadata_subtype_xmlx": (14, lambda b: b.pdf.Root.Metadata.__setattr__(
        "Subtype", Name.XMLX), None),
    "metadata_subtype_key_misspelt_as_in_libharu": (14, lambda b: (
        b.pdf.Root.Metadata.__delitem__("/Subtype"),
        b.pdf.Root.Metadata.__setitem__("/SubType", Name.XML)), None),
    "no_metadata_in_catalog": (14, lambda b: b.pdf.Root.__delitem__("/Metadata"), None),
    # Rule 15: XMP packet.
    "pdfaid_part_1": (15, lambda b: b.set_xmp(xmp_packet(part="1")), None),
    "xpacket_with_encoding": (15, lambda b: b.set_xmp(xmp_packet(
        xpacket_extra=' encoding="UTF-8"')), None),
    "xpacket_with_bytes": (15, lambda b: b.set_xmp(xmp_packet(xpacket_extra=' bytes="4096"')),
                           None),
    "undeclared_xmp_namespace": (15, lambda b: b.set_xmp(xmp_packet(
        extra_ns='\n    xmlns:sag="http://example.invalid/sag/1.0/"',
        extra_props="\n   <sag:Nummer>24/1234</sag:Nummer>")), None),
    "undefined_property_in_pdf_schema": (15, lambda b: b.set_xmp(xmp_packet(
        extra_props="\n   <pdf:Sagsnummer>24/1234</pdf:Sagsnummer>")), None),
    "xmp_not_well_formed": (15, lambda b: b.set_xmp(xmp_packet(title="Brev <om> & sag")),
                            None),
    "xmp_in_latin1": (15, lambda b: b.set_xmp(xmp_packet().replace(
        "Postrummet".encode(), "P\xf8strummet".encode("latin-1"))), None),
    # Rule 16: Info and XMP agree.
    "xmp_title_differs_from_info": (16, lambda b: b.set_xmp(xmp_packet(title="Andet brev")),
                                    None),
    "xmp_create_date_differs_by_an_hour": (16, lambda b: b.set_xmp(xmp_packet(
        create="2024-03-15T10:15:00Z")), None),
    "info_producer_without_xmp_producer": (16, lambda b: b.set_xmp(xmp_packet().replace(
        b"   <pdf:Producer>intake station selftest</pdf:Producer>\n", b"")), None),
    # Rule 17: interactive hazards.
    "open_action_javascript": (17, lambda b: b.pdf.Root.__setitem__("/OpenAction", Dictionary(
        Type=Name.Action, S=Name.JavaScript, JS=String("app.alert('hej')"))), None),
    "hidden_annotation": (17, lambda b: b.link.__setattr__("F", 4 | 2), None),
    "annotation_not_printable": (17, lambda b: b.link.__setattr__("F", 0), None),
    "launch_action_in_annotation": (17, lambda b: b.link.__setattr__("A", Dictionary(
        S=Name.Launch, F=String("calc.exe"))), None),
    "named_action_other_than_page_navigation": (17, lambda b: b.link.__setattr__(
        "A", Dictionary(S=Name.Named, N=Name.Print)), None),
    "javascript_in_outline_item": (17, add_javascript_outline, None),
    "javascript_in_next_chain": (17, lambda b: b.link.A.__setitem__("/Next", Dictionary(
        S=Name.JavaScript, JS=String("1"))), None),
    "catalog_additional_actions": (17, lambda b: b.pdf.Root.__setitem__("/AA", Dictionary()),
                                   None),
    "page_additional_actions": (17, lambda b: b.page2.__setitem__("/AA", Dictionary(
        O=Dictionary(S=Name.URI, URI=String("https://example.invalid")))), None),
    "embedded_files": (17, lambda b: b.pdf.Root.__setitem__("/Names", Dictionary(
        EmbeddedFiles=Dictionary(Names=Array([String("a.txt"), Dictionary(
            Type=Name.Filespec, F=String("a.txt"),
            EF=Dictionary(F=b.pdf.make_stream(b"hej", Type=Name.EmbeddedFile)))])))), None),
}


def build(path, pdf_mutation=None, byte_mutation=None):
    base = Baseline()
    if pdf_mutation is not None:
        pdf_mutation(base)
    base.save(path)
    if byte_mutation is not None:
        with open(path, "rb") as f:
            data = f.read()
        mutated = byte_mutation(data)
        assert mutated != data, "the byte mutation changed nothing"
        with open(path, "wb") as f:
            f.write(mutated)
    return path


class CheckerTestBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name + ".pdf")


class BaselineTest(CheckerTestBase):
    def test_baseline_passes_every_rule(self):
        report = pdfa_check.check_file(build(self.path("baseline")))
        self.assertEqual(report.violations, [], report.lines())
        self.assertEqual(report.checked_rules, list(range(1, 18)))
        self.assertIsNone(report.error)

    def test_baseline_text_layer_is_really_checked(self):
        # The checker must see the font use and the images; otherwise rules 7 and 13 pass
        # vacuously.
        path = build(self.path("baseline_scan"))
        with pikepdf.open(path) as pdf:
            with open(path, "rb") as f:
                doc = pdfa_check.Document(path, f.read(), pdf, pdfa_check.Report(path))
            scan = doc.content()
            simple = [u for u in scan.font_uses.values() if u.font.Subtype == "/TrueType"]
            composite = [u for u in scan.font_uses.values() if u.font.Subtype == "/Type0"]
            self.assertEqual(simple[0].codes, set(TEXT.encode("cp1252")) | set(b"sag1234"))
            self.assertEqual(composite[0].codes,
                             {FONT.cmap_lookup((3, 1), ord(c)) for c in "Sag"})
            self.assertEqual(len(scan.images_drawn), 2)
            self.assertEqual(doc.output_intent()[0], "RGB ")
            self.assertGreaterEqual(len(pdfa_check.scan_streams(doc.data, lambda n, g: None)), 6)

    def test_utc_and_offset_notations_of_one_instant_agree(self):
        for info, xmp in (("D:20240315091500Z", "2024-03-15T09:15:00+00:00"),
                          ("D:20240315091500+00'00'", "2024-03-15T09:15:00Z"),
                          ("D:20240315101500+01'00'", "2024-03-15T09:15:00Z")):
            with self.subTest(info=info, xmp=xmp):
                def mutate(b, info=info, xmp=xmp):
                    b.pdf.trailer.Info.CreationDate = String(info)
                    b.set_xmp(xmp_packet(create=xmp))
                report = pdfa_check.check_file(build(self.path("dates"), mutate))
                self.assertEqual(report.violations, [], report.lines())

    def test_mutation_table_covers_every_rule(self):
        self.assertEqual(sorted({rule for rule, _, _ in MUTATIONS.values()}),
                         list(range(1, 18)))


class DateComparisonTest(unittest.TestCase):
    def test_same_and_different_instants(self):
        cases = [
            ("D:20240315091500Z", "2024-03-15T09:15:00+00:00", True),
            ("D:20240315091500+00'00'", "2024-03-15T09:15:00Z", True),
            ("D:20240315101500+01'00'", "2024-03-15T09:15:00Z", True),
            ("D:20240315101500-02'30'", "2024-03-15T12:45:00Z", True),
            ("D:20240315101500", "2024-03-15T10:15:00", True),
            ("D:202403151015", "2024-03-15T10:15", True),
            ("D:20240315101500+01'00'", "2024-03-15T10:15:00Z", False),
            ("D:20240315101501Z", "2024-03-15T10:15:00Z", False),
            ("20240315", "2024-03-15", False),  # not a PDF date
            ("D:20241315101500Z", "2024-13-15T10:15:00Z", False),  # month 13
        ]
        for info, xmp, expected in cases:
            with self.subTest(info=info, xmp=xmp):
                self.assertEqual(pdfa_check.same_date(info, xmp), expected)


class TrueTypeReaderTest(unittest.TestCase):
    def test_reads_dejavu_metrics(self):
        gid_a = FONT.cmap_lookup((3, 1), ord("a"))
        self.assertGreater(gid_a, 0)
        self.assertGreater(FONT.advance_width(FONT.cmap_lookup((3, 1), ord("W"))),
                           FONT.advance_width(FONT.cmap_lookup((3, 1), ord("i"))))
        self.assertEqual(FONT.cmap_lookup((3, 1), 0xE000), 0)  # private use: not in DejaVu
        self.assertTrue(FONT.glyph_has_outline(gid_a))
        self.assertFalse(FONT.glyph_has_outline(FONT.cmap_lookup((3, 1), ord(" "))))

    def test_rejects_bad_font_programs(self):
        for data in (b"", b"not a font at all", b"\x00\x01\x00\x00\x00\x05" + b"\x00" * 6,
                     FONT_BYTES[:200]):
            with self.subTest(data=data[:16]):
                with self.assertRaises(ValueError):
                    pdfa_check.TrueTypeFont(data)


def _make_mutation_test(name, rule, pdf_mutation, byte_mutation):
    def test(self):
        report = pdfa_check.check_file(build(self.path(name), pdf_mutation, byte_mutation))
        self.assertIsNone(report.error)
        self.assertEqual(report.rules_violated(), [rule], "\n".join(report.lines()))
    test.__doc__ = f"Rule {rule}: the checker rejects a file with {name.replace('_', ' ')}."
    return test


class MutationTest(CheckerTestBase):
    """One test per mutation: test_rule_NN_rejects_<what was broken>."""


for _name, (_rule, _pdf_mut, _byte_mut) in MUTATIONS.items():
    setattr(MutationTest, f"test_rule_{_rule:02d}_rejects_{_name}",
            _make_mutation_test(_name, _rule, _pdf_mut, _byte_mut))


class CommandLineTest(CheckerTestBase):
    def run_checker(self, *args):
        return subprocess.run([sys.executable, CHECKER, *args], capture_output=True, text=True,
                              check=False)

    def test_conforming_file_exits_0(self):
        path = build(self.path("cli_ok"))
        done = self.run_checker(path)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("conforms", done.stdout)

    def test_violation_exits_1_with_one_line_per_violation(self):
        path = build(self.path("cli_bad"), MUTATIONS["hidden_annotation"][1])
        done = self.run_checker(path)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        lines = done.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1, done.stdout)
        self.assertRegex(lines[0], r"^.*cli_bad\.pdf: rule 17 \[6\.3\.2-2\]: annotation flags "
                         r"Hidden set \(page 2 annotation obj \d+ 0\)$")

    def test_json_report_lists_rule_clause_and_place(self):
        path = build(self.path("cli_json"), None, MUTATIONS["junk_after_eof"][2])
        done = self.run_checker(path, "--json")
        self.assertEqual(done.returncode, 1, done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual(report["file"], path)
        self.assertFalse(report["ok"])
        self.assertEqual(report["checked_rules"], list(range(1, 18)))
        self.assertEqual([(v["rule"], v["clause"]) for v in report["violations"]],
                         [(1, "6.1.3-3")])
        self.assertIn("follow the last %%EOF", report["violations"][0]["message"])
        self.assertRegex(report["violations"][0]["where"], r"^byte \d+$")

    def test_not_a_pdf_exits_2_and_says_so(self):
        path = self.path("not_a_pdf")
        with open(path, "wb") as f:
            f.write(b"Dette er ikke en PDF, bare tekst.\n" * 20)
        done = self.run_checker(path)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertIn("cannot be parsed as PDF", done.stdout)
        done = self.run_checker(path, "--json")
        self.assertEqual(done.returncode, 2)
        self.assertIn("error", json.loads(done.stdout))

    def test_missing_file_exits_2(self):
        done = self.run_checker(self.path("does_not_exist"))
        self.assertEqual(done.returncode, 2)
        self.assertIn("cannot read the file", done.stdout)

    def test_password_protected_file_reports_rule_2(self):
        base = Baseline()
        base.save_kwargs["encryption"] = pikepdf.Encryption(owner="ejer", user="bruger", R=4)
        path = self.path("password")
        base.save(path)
        done = self.run_checker(path, "--json")
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual({v["rule"] for v in report["violations"]}, {2})
        self.assertEqual(report["checked_rules"], [1, 2])


if __name__ == "__main__":
    unittest.main()
