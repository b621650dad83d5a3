// The PDF/A writer's output checked with the external tools of PDFA.md section 7:
// qpdf, poppler-utils (pdfinfo, pdffonts, pdftotext, pdfimages, pdftoppm), Ghostscript and
// pikepdf. Integration tests: they run programs.
//
// With INTAKE_PDF_SAMPLES_DIR set, the documents of the tests named below are also written
// there (for the PDF/A checker and for reading by eye).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "pdf/pdfa_writer.h"
#include "pdf/xmp.h"
#include "tests/pdf/pdf_test_pages.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text_metrics.h"

namespace intake::pdf {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::ScopedTempDir;

const std::vector<std::vector<std::string>> kDanishLines = {
    {"Blåbærsyltetøj", "ÆØÅ", "æøå", "København"},
    {"Kære", "Søren", "Ærøskøbing,", "tak", "for", "dit", "brev", "af", "3.", "maj."},
    {"Vi", "har", "modtaget", "din", "klage", "over", "støj", "fra", "naboens", "grund."},
    {"Beløbet", "er", "1.250,50", "kr.", "(inkl.", "moms)", "–", "se", "bilag", "2."},
    {"Med", "venlig", "hilsen"},
    {"Åse", "Øster-Jørgensen"},
};

// Ordinary Danish letter words, for full pages.
const std::vector<std::string> kFiller = {
    "kommunen", "har",  "modtaget", "din",        "henvendelse", "om",  "byggesagen", "på",
    "adressen", "og",   "vil",      "svare",      "inden",       "for", "fire",       "uger.",
    "Sagen",    "er",   "oprettet", "under",      "nummer",      "og",  "behandles",  "af",
    "teknik-",  "og",   "miljø",    "samt",       "afdelingen",  "for", "grønne",     "områder.",
    "Hvis",     "du",   "har",      "spørgsmål,", "kan",         "du",  "ringe",      "til",
    "os",       "alle", "hverdage", "mellem",     "kl.",         "9",   "og",         "15."};

std::vector<std::vector<std::string>> FullPageLines(int count) {
  std::vector<std::vector<std::string>> lines;
  size_t k = 0;
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> words;
    int chars = 0;
    while (true) {
      const std::string& w = kFiller[k % kFiller.size()];
      const int n = testpages::CountCodePoints(w);
      if (chars + n + 1 > 74) break;  // 250 px margin + 74 * ~26 px fits in 2480 px
      words.push_back(w);
      chars += n + 1;
      ++k;
    }
    lines.push_back(words);
  }
  return lines;
}

std::unique_ptr<PdfAWriter> NewWriter() {
  auto w = PdfAWriter::Create();
  EXPECT_TRUE(w) << w.error().ToString();
  return w ? std::move(*w) : nullptr;
}

PageContent Content(const testpages::SyntheticPage& page, ImageEncoding e) {
  PageContent c;
  c.image = page.raster;
  c.lines = page.lines;
  c.encoding = e;
  return c;
}

DocumentInfo DanishInfo() {
  DocumentInfo info;
  info.title = "Klage over støj & <lugt> fra Ærø";
  info.author = "Åse Øster-Jørgensen";
  info.subject = "Naboklage, 2. henvendelse";
  info.keywords = "støj; lugt; æøå";
  info.creator = "intake-station test";
  // A fixed instant, so that a test comparing two DanishInfo() never straddles a second.
  using namespace std::chrono;
  info.created = sys_days{year{2026} / 11 / 26} + hours{9} + minutes{8} + seconds{7};
  return info;
}

std::string SizeBreakdown(const std::string& path);

void MaybeKeepSample(const std::string& name, const std::string& pdf) {
  const char* dir = std::getenv("INTAKE_PDF_SAMPLES_DIR");
  if (dir == nullptr || *dir == '\0') return;
  testing::WriteFile(std::string(dir) + "/" + name, pdf);
}

class PdfToolsTest : public ::testing::Test {
 protected:
  std::string Save(const std::string& name, const std::string& pdf) {
    const std::string path = dir_.Sub(name);
    testing::WriteFile(path, pdf);
    return path;
  }
  static CommandResult Run(const std::vector<std::string>& argv) {
    return RunCommand(argv, {}, 120);
  }
  // A one-page A4 300-dpi bilevel document with the Danish lines, G4, Danish metadata.
  std::string DanishDocument(const testpages::TextStyle& style = {}) {
    auto w = NewWriter();
    page_ = testpages::MakeTextPage(kDanishLines, style);
    EXPECT_TRUE(w->AddPage(Content(page_, ImageEncoding::kCcittG4)));
    auto pdf = w->Finish(DanishInfo());
    EXPECT_TRUE(pdf) << pdf.error().ToString();
    return pdf ? *pdf : "";
  }

  ScopedTempDir dir_;
  testpages::SyntheticPage page_;
};

// ---------------------------------------------------------------------------------------
// Structure: qpdf

TEST_F(PdfToolsTest, QpdfCheckPassesWithoutWarnings) {
  const std::string path = Save("danish.pdf", DanishDocument());
  MaybeKeepSample("bilevel-danish-1page.pdf", testing::ReadFile(path));
  auto r = Run({"/usr/bin/qpdf", "--check", path});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("PDF Version: 1.7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("File is not encrypted"), std::string::npos) << r.out;
}

TEST_F(PdfToolsTest, TrailerHasAnIdAndDocumentsOfTheSameSecondDiffer) {
  std::string ids[2];
  const DocumentInfo info = DanishInfo();  // the same created time for both
  for (int i = 0; i < 2; ++i) {
    auto w = NewWriter();
    ASSERT_TRUE(
        w->AddPage(Content(testpages::MakeTextPage(kDanishLines), ImageEncoding::kCcittG4)));
    auto pdf = w->Finish(info);
    ASSERT_TRUE(pdf);
    auto r = Run(
        {"/usr/bin/qpdf", "--show-object=trailer", Save("id" + std::to_string(i) + ".pdf", *pdf)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(r.out, m, std::regex("/ID \\[ <([0-9a-f]{32})> <([0-9a-f]{32})> \\]")))
        << r.out;
    ids[i] = m[1].str();
    EXPECT_EQ(m[1].str(), m[2].str());  // a new document: both parts the same
  }
  EXPECT_NE(ids[0], ids[1]);
}

// ---------------------------------------------------------------------------------------
// Fonts and metadata: pdffonts, pdfinfo, pikepdf

TEST_F(PdfToolsTest, TextFontIsAnEmbeddedTrueTypeSubsetWithToUnicode) {
  const std::string path = Save("danish.pdf", DanishDocument());
  auto r = Run({"/usr/bin/pdffonts", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int fonts = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("---", 0) == 0) continue;
    ++fonts;
    EXPECT_TRUE(std::regex_search(
        line,
        std::regex("^[A-Z]{6}\\+IntakeTextLayer\\s+TrueType\\s+WinAnsi\\s+yes yes yes ")))
        << line;
  }
  EXPECT_EQ(fonts, 1) << r.out;
}

TEST_F(PdfToolsTest, AConfiguredFontFileIsEmbeddedInsteadOfTheBuiltInOne) {
  WriterOptions options;
  options.font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  auto w = PdfAWriter::Create(options);
  ASSERT_TRUE(w) << w.error().ToString();
  ASSERT_TRUE((*w)->AddPage(Content(testpages::MakeTextPage(kDanishLines), ImageEncoding::kCcittG4)));
  auto pdf = (*w)->Finish(DanishInfo());
  ASSERT_TRUE(pdf);
  const std::string path = Save("dejavu.pdf", *pdf);
  auto fonts = Run({"/usr/bin/pdffonts", path});
  EXPECT_TRUE(std::regex_search(fonts.out, std::regex("[A-Z]{6}\\+DejaVuSans\\S*\\s+TrueType")))
      << fonts.out;
  auto text = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  EXPECT_NE(text.out.find("Blåbærsyltetøj"), std::string::npos) << text.out;
}

TEST_F(PdfToolsTest, ImageOnlyDocumentHasNoFonts) {
  auto w = NewWriter();
  auto page = testpages::MakeTextPage(kDanishLines);
  page.lines.clear();
  ASSERT_TRUE(w->AddPage(Content(page, ImageEncoding::kCcittG4)));
  auto pdf = w->Finish({});
  ASSERT_TRUE(pdf);
  const std::string path = Save("nofont.pdf", *pdf);
  auto r = Run({"/usr/bin/pdffonts", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;  // the header only
  EXPECT_EQ(Run({"/usr/bin/qpdf", "--check", path}).exit_code, 0);
}

TEST_F(PdfToolsTest, MetadataDeclaresPdfA2bAndInfoHoldsWhatWasGiven) {
  const std::string path = Save("danish.pdf", DanishDocument());
  auto r = Run({"/usr/bin/pdfinfo", "-meta", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("Unknown Metadata type"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<pdfaid:conformance>B</pdfaid:conformance>"), std::string::npos);

  auto info = Run({"/usr/bin/pdfinfo", "-rawdates", path});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const DocumentInfo given = DanishInfo();
  const auto field = [&](const std::string& name) {
    std::smatch m;
    if (!std::regex_search(info.out, m, std::regex("(^|\n)" + name + ": *([^\n]*)")))
      return std::string("<missing>");
    return m[2].str();
  };
  EXPECT_EQ(field("Title"), given.title);
  EXPECT_EQ(field("Author"), given.author);
  EXPECT_EQ(field("Subject"), given.subject);
  EXPECT_EQ(field("Keywords"), given.keywords);
  EXPECT_EQ(field("Creator"), given.creator);
  EXPECT_EQ(field("Producer"), "intake-station (libharu 2.3.0)");
  EXPECT_EQ(field("Metadata Stream"), "yes");
  EXPECT_EQ(field("Encrypted"), "no");
  EXPECT_EQ(field("JavaScript"), "no");
  const auto created = ToPdfDate(given.created);
  ASSERT_TRUE(created);
  const std::string date = FormatInfoDate(*created);
  EXPECT_EQ(field("CreationDate"), date);
  EXPECT_EQ(field("ModDate"), date);
}

// pikepdf reads the XMP as XML (well-formedness) and compares it with Info: PDF/A status,
// every text field and the dates.
TEST_F(PdfToolsTest, XmpIsWellFormedAndAgreesWithInfo) {
  const std::string path = Save("danish.pdf", DanishDocument());
  const char* script = R"PY(
import sys, xml.dom.minidom, pikepdf
pdf = pikepdf.open(sys.argv[1])
raw = pdf.Root.Metadata.read_bytes()
xml.dom.minidom.parseString(raw)          # raises on malformed XML
assert '/Filter' not in pdf.Root.Metadata, 'metadata stream is filtered'
meta = pdf.open_metadata()
print('pdfa', meta.pdfa_status)
info = pdf.docinfo
def d(s): return s.replace("'", '').replace('D:', '')
pairs = [('dc:title', '/Title'), ('dc:creator', '/Author'), ('dc:description', '/Subject'),
         ('pdf:Keywords', '/Keywords'), ('xmp:CreatorTool', '/Creator'), ('pdf:Producer', '/Producer')]
for x, i in pairs:
    xv = meta.get(x)
    if isinstance(xv, list): xv = xv[0]
    print(x, 'equal' if str(xv) == str(info[i]) else 'DIFFERENT %r %r' % (xv, str(info[i])))
c = str(info['/CreationDate'])   # D:YYYYMMDDHHmmSS+00'00'
iso = '%s-%s-%sT%s:%s:%s+00:00' % (c[2:6], c[6:8], c[8:10], c[10:12], c[12:14], c[14:16])
for x in ('xmp:CreateDate', 'xmp:ModifyDate', 'xmp:MetadataDate'):
    print(x, 'equal' if meta.get(x) == iso else 'DIFFERENT %r %r' % (meta.get(x), iso))
)PY";
  auto r = Run({"/usr/bin/python3", "-c", script, path});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("pdfa 2B"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DIFFERENT"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 10) << r.out;
}

// ---------------------------------------------------------------------------------------
// The text layer: pdftotext

TEST_F(PdfToolsTest, PdftotextReturnsTheDanishWordsInOrderWithSpacesAndLineBreaks) {
  const std::string path = Save("danish.pdf", DanishDocument());
  auto r = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string expected;
  for (const auto& line : kDanishLines) {
    for (size_t i = 0; i < line.size(); ++i)
      expected += line[i] + (i + 1 < line.size() ? " " : "\n");
  }
  std::string got = r.out;
  while (!got.empty() && (got.back() == '\n' || got.back() == '\f')) got.pop_back();
  expected.pop_back();
  EXPECT_EQ(got, expected);
  EXPECT_EQ(testing::CharacterErrorRate(page_.text, r.out), 0.0);
}

TEST_F(PdfToolsTest, PdftotextKeepsWordsAndOrderOnASlopedPage) {
  testpages::TextStyle style;
  style.slope = 0.0105;  // 0.6 degrees, as after an imperfect deskew
  const std::string path = Save("sloped.pdf", DanishDocument(style));
  auto r = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const double cer = testing::CharacterErrorRate(page_.text, r.out);
  EXPECT_LE(cer, 0.01) << r.out;
  EXPECT_NE(r.out.find("Blåbærsyltetøj ÆØÅ æøå København"), std::string::npos) << r.out;
}

struct BoxWord {
  double x_min, y_min, x_max, y_max;
  std::string text;
};

std::vector<BoxWord> ParseBbox(const std::string& html) {
  std::vector<BoxWord> words;
  const std::regex word(
      "<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)"
      "</word>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), word); it != std::sregex_iterator();
       ++it) {
    words.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]),
                     std::stod((*it)[4]), (*it)[5].str()});
  }
  return words;
}

// pdftotext -bbox places a word from the font's ascent to its descent, so the box
// reaches 0.93 x size above the baseline and 0.24 x size below: within 2 pt vertically for
// an 11 pt face; horizontally the stretch makes it exact.
TEST_F(PdfToolsTest, PdftotextWordBoxesLieOnTheGivenBoxes) {
  const std::string path = Save("danish.pdf", DanishDocument());
  auto r = Run({"/usr/bin/pdftotext", "-bbox", "-enc", "UTF-8", path, "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<BoxWord> got = ParseBbox(r.out);
  std::vector<TextWord> given;
  for (const TextLine& l : page_.lines) given.insert(given.end(), l.words.begin(), l.words.end());
  ASSERT_EQ(got.size(), given.size()) << r.out;
  const double k = 72.0 / 300;
  double worst_x = 0, worst_y = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const TextWord& g = given[i];
    EXPECT_EQ(got[i].text, g.text);
    worst_x = std::max({worst_x, std::fabs(got[i].x_min - g.x * k),
                        std::fabs(got[i].x_max - (g.x + g.width) * k)});
    worst_y = std::max({worst_y, std::fabs(got[i].y_min - g.y * k),
                        std::fabs(got[i].y_max - (g.y + g.height) * k)});
  }
  EXPECT_LE(worst_x, 1.0);
  EXPECT_LE(worst_y, 2.0);
  RecordProperty("worst_x_pt", std::to_string(worst_x));
  RecordProperty("worst_y_pt", std::to_string(worst_y));
  std::printf("word boxes: worst horizontal deviation %.2f pt, vertical %.2f pt\n", worst_x,
              worst_y);
}

TEST_F(PdfToolsTest, EveryWindows1252CharacterSurvivesTheTextLayer) {
  // All showable codes except space and no-break space, as words of eight characters.
  std::string all;
  for (int b = 0x21; b <= 0xFF; ++b) {
    if (b == 0x7F || b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D || b == 0xA0 ||
        b == 0xAD)
      continue;
    all.push_back(static_cast<char>(b));
  }
  // Spelled in UTF-8 with a table of its own, independent of the writer's.
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> words;
  auto to_utf8 = [](unsigned char b) {
    static const char32_t high[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    const char32_t cp = (b >= 0x80 && b < 0xA0) ? high[b - 0x80] : b;
    std::string s;
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return s;
  };
  std::string word;
  for (size_t i = 0; i < all.size(); ++i) {
    word += to_utf8(static_cast<unsigned char>(all[i]));
    if (word.size() >= 12 || i + 1 == all.size()) {
      words.push_back(word);
      word.clear();
      if (words.size() == 6) {
        lines.push_back(words);
        words.clear();
      }
    }
  }
  if (!words.empty()) lines.push_back(words);
  auto w = NewWriter();
  const auto page = testpages::MakeTextPage(lines);
  ASSERT_TRUE(w->AddPage(Content(page, ImageEncoding::kCcittG4)));
  auto pdf = w->Finish({});
  ASSERT_TRUE(pdf);
  auto r = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", Save("cp1252.pdf", *pdf), "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::NormalizeWhitespace(r.out), testing::NormalizeWhitespace(page.text));
}

// ---------------------------------------------------------------------------------------
// Images: pdfimages, pdftoppm

// Parses a binary PGM (P5, maxval 255).
struct Pgm {
  int width = 0, height = 0;
  std::string pixels;
  int at(int x, int y) const { return static_cast<unsigned char>(pixels[y * width + x]); }
};
Pgm ReadPgm(const std::string& path) {
  Pgm p;
  std::ifstream in(path, std::ios::binary);
  std::string magic;
  int maxval = 0;
  in >> magic >> p.width >> p.height >> maxval;
  in.get();
  if (magic != "P5" || maxval != 255) return {};
  p.pixels.resize(static_cast<size_t>(p.width) * p.height);
  in.read(p.pixels.data(), static_cast<std::streamsize>(p.pixels.size()));
  return p;
}

// A blank A4 page at 300 dpi with visible Danish text and an invisible text layer, in
// DejaVu Sans (visible text needs a font file).
std::string VisibleTextDocument() {
  WriterOptions options;
  options.font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  auto w = PdfAWriter::Create(options);
  EXPECT_TRUE(w) << w.error().ToString();
  if (!w) return {};
  PageContent page;
  page.image = testpages::BlankBilevel(2480, 3508, 300);
  page.encoding = ImageEncoding::kCcittG4;
  page.texts = {{"FORSIDE", 72, 120, 48},
                {"Sag 27.24.00-G01-5-19", 72, 200, 28},
                {"Læg arket foran brevet. Ærø, Åse & Øster (100 %)", 72, 260, 14}};
  EXPECT_TRUE((*w)->AddPage(page));
  auto pdf = (*w)->Finish(DanishInfo());
  EXPECT_TRUE(pdf) << pdf.error().ToString();
  return pdf ? *pdf : std::string();
}

TEST_F(PdfToolsTest, PdftotextFindsTheVisibleTextInItsOrder) {
  const std::string path = Save("visible.pdf", VisibleTextDocument());
  auto r = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", "-layout", path, "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const size_t a = r.out.find("FORSIDE");
  const size_t b = r.out.find("Sag 27.24.00-G01-5-19");
  const size_t c = r.out.find("Læg arket foran brevet. Ærø, Åse & Øster (100 %)");
  ASSERT_NE(a, std::string::npos) << r.out;
  ASSERT_NE(b, std::string::npos) << r.out;
  ASSERT_NE(c, std::string::npos) << r.out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST_F(PdfToolsTest, VisibleTextIsPaintedBlackWhereItWasPlaced) {
  const std::string path = Save("visible.pdf", VisibleTextDocument());
  // 72 dpi: one pixel per point. "FORSIDE" at 48 pt has its baseline at y = 120 from the
  // top; its capitals fill roughly y = 85..120 from x = 72 on.
  auto r = Run({"/usr/bin/pdftoppm", "-r", "72", "-gray", "-singlefile", path, dir_.Sub("v")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Pgm pgm = ReadPgm(dir_.Sub("v.pgm"));
  ASSERT_GT(pgm.width, 0);
  int dark_in_title = 0, dark_above = 0;
  for (int y = 85; y < 120; ++y) {
    for (int x = 72; x < 300; ++x) dark_in_title += pgm.at(x, y) < 128;
  }
  for (int y = 10; y < 60; ++y) {
    for (int x = 72; x < 300; ++x) dark_above += pgm.at(x, y) < 128;
  }
  EXPECT_GT(dark_in_title, 500);
  EXPECT_EQ(dark_above, 0);
}

TEST_F(PdfToolsTest, VisibleTextFontIsEmbeddedAndTheDocumentPassesThePdfAChecks) {
  const std::string path = Save("visible.pdf", VisibleTextDocument());
  MaybeKeepSample("visible_text.pdf", testing::ReadFile(path));
  auto fonts = Run({"/usr/bin/pdffonts", path});
  ASSERT_EQ(fonts.exit_code, 0) << fonts.err;
  EXPECT_TRUE(std::regex_search(
      fonts.out, std::regex("[A-Z]{6}\\+DejaVuSans\\S*\\s+TrueType\\s+WinAnsi\\s+yes yes yes ")))
      << fonts.out;
  EXPECT_EQ(Run({"/usr/bin/qpdf", "--check", path}).exit_code, 0);
  auto check =
      Run({"/usr/bin/python3", std::string(INTAKE_SOURCE_DIR) + "/scripts/pdfa_check.py", path});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

// One page of each storage: G4, JPEG grey, Flate RGB, Flate bilevel, JPEG colour, Flate grey.
class MixedDocument : public PdfToolsTest {
 protected:
  void SetUp() override {
    base_ = testpages::MakeTextPage(kDanishLines);
    testpages::FillRect(&base_.raster, 1600, 2400, 2000, 2800);  // a solid black square
    auto w = NewWriter();
    const PageRaster grey = testpages::ToGray(base_.raster);
    const PageRaster rgb = testpages::ToRgb(base_.raster);
    struct Spec {
      const PageRaster* raster;
      ImageEncoding encoding;
    } specs[] = {{&base_.raster, ImageEncoding::kCcittG4},
                 {&grey, ImageEncoding::kJpeg},
                 {&rgb, ImageEncoding::kFlate},
                 {&base_.raster, ImageEncoding::kFlate},
                 {&rgb, ImageEncoding::kJpeg},
                 {&grey, ImageEncoding::kFlate}};
    for (const Spec& s : specs) {
      PageContent c;
      c.image = *s.raster;
      c.lines = base_.lines;
      c.encoding = s.encoding;
      c.jpeg_quality = 70;
      ASSERT_TRUE(w->AddPage(c));
    }
    auto pdf = w->Finish(DanishInfo());
    ASSERT_TRUE(pdf) << pdf.error().ToString();
    path_ = Save("mixed.pdf", *pdf);
    pdf_ = *pdf;
  }
  testpages::SyntheticPage base_;
  std::string path_, pdf_;
};

TEST_F(MixedDocument, ImagesAreStoredAsRequested) {
  MaybeKeepSample("mixed-6pages.pdf", pdf_);
  auto r = Run({"/usr/bin/pdfimages", "-list", path_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // page num type width height color comp bpc enc interp ...
  const std::regex row(
      "^ *([0-9]+) +[0-9]+ +(\\S+) +([0-9]+) +([0-9]+) +(\\S+) +([0-9]+) +([0-9]+) +(\\S+) "
      "+(\\S+)");
  std::vector<std::string> got;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    EXPECT_EQ(m[2].str(), "image") << line;  // no smask, no stencil
    EXPECT_EQ(m[3].str(), "2480");
    EXPECT_EQ(m[4].str(), "3508");
    EXPECT_EQ(m[9].str(), "no") << line;  // /Interpolate
    got.push_back(m[5].str() + " " + m[7].str() + " " + m[8].str());
  }
  const std::vector<std::string> expected = {"gray 1 ccitt", "gray 8 jpeg", "rgb 8 image",
                                             "gray 1 image", "rgb 8 jpeg",  "gray 8 image"};
  EXPECT_EQ(got, expected) << r.out;
}

TEST_F(MixedDocument, BlackStaysBlackAndWhiteStaysWhiteOnEveryPage) {
  ASSERT_TRUE(testpages::IsBlack(base_.raster, 1800, 2600));
  ASSERT_FALSE(testpages::IsBlack(base_.raster, 100, 100));
  auto r = Run({"/usr/bin/pdftoppm", "-r", "75", "-gray", path_, dir_.Sub("render")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int page = 1; page <= 6; ++page) {
    const Pgm img = ReadPgm(dir_.Sub("render-" + std::to_string(page) + ".pgm"));
    // 2480 x 3508 px at 300 dpi rendered at 75 dpi; pdftoppm may round up
    ASSERT_NEAR(img.width, 620, 1) << page;
    ASSERT_NEAR(img.height, 877, 1) << page;
    // the middle of the black square (1800, 2600 at 300 dpi) and white paper (100, 100)
    EXPECT_LT(img.at(450, 650), 40) << "page " << page;
    EXPECT_GT(img.at(25, 25), 200) << "page " << page;
  }
}

TEST_F(MixedDocument, EveryPageHasTheTextLayer) {
  auto r = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path_, "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t count = 0;
  for (size_t p = 0; (p = r.out.find("Blåbærsyltetøj ÆØÅ æøå København", p)) != std::string::npos;
       ++p)
    ++count;
  EXPECT_EQ(count, 6u) << r.out;
}

TEST_F(MixedDocument, GhostscriptRendersEveryPage) {
  auto r = Run({"/usr/bin/gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR",
                "-sDEVICE=nullpage", path_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("rror"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("rror"), std::string::npos) << r.err;
}

TEST_F(MixedDocument, QpdfCheckPasses) {
  auto r = Run({"/usr/bin/qpdf", "--check", path_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;
}

// The three storages side by side in one document: G4 text page, JPEG colour form, Flate
// grey drawing, each with the Danish text layer.
TEST_F(PdfToolsTest, ThreePageMixedDocumentPassesQpdfGhostscriptAndPdftotext) {
  auto page = testpages::MakeTextPage(kDanishLines);
  testpages::FillRect(&page.raster, 1600, 2400, 2000, 2800);
  auto w = NewWriter();
  PageContent g4 = Content(page, ImageEncoding::kCcittG4);
  PageContent jpeg = Content(page, ImageEncoding::kJpeg);
  jpeg.image = testpages::ToRgb(page.raster);
  jpeg.jpeg_quality = 75;
  PageContent flate = Content(page, ImageEncoding::kFlate);
  flate.image = testpages::ToGray(page.raster);
  for (const PageContent* c : {&g4, &jpeg, &flate}) ASSERT_TRUE(w->AddPage(*c));
  auto pdf = w->Finish(DanishInfo());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  MaybeKeepSample("mixed-g4-jpeg-flate-3pages.pdf", *pdf);
  const std::string path = Save("mixed3.pdf", *pdf);
  auto check = Run({"/usr/bin/qpdf", "--check", path});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  auto gs = Run({"/usr/bin/gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR",
                 "-sDEVICE=nullpage", path});
  EXPECT_EQ(gs.exit_code, 0) << gs.out << gs.err;
  auto text = Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::string three = page.text + "\n" + page.text + "\n" + page.text;
  EXPECT_EQ(testing::CharacterErrorRate(three, text.out), 0.0) << text.out;
  std::printf("3-page mixed document: %zu bytes; %s", pdf->size(), SizeBreakdown(path).c_str());
}

// ---------------------------------------------------------------------------------------
// Page size

TEST_F(PdfToolsTest, PageSizeFollowsTheScanResolution) {
  struct Case {
    int width, height, dpi;
    const char* expected;
  } cases[] = {
      {2480, 3508, 300, "595.2 x 841.92 pts (A4)"},
      {1654, 2339, 200, "595.44 x 842.04 pts (A4)"},
      {1275, 1650, 150, "612 x 792 pts (letter)"},
  };
  for (const Case& c : cases) {
    auto w = NewWriter();
    PageContent p;
    p.image = testpages::BlankBilevel(c.width, c.height, c.dpi);
    ASSERT_TRUE(w->AddPage(p));
    auto pdf = w->Finish({});
    ASSERT_TRUE(pdf);
    auto r = Run({"/usr/bin/pdfinfo", Save("size.pdf", *pdf)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("Page size:       ") + c.expected), std::string::npos)
        << c.dpi << " dpi:\n"
        << r.out;
  }
}

// ---------------------------------------------------------------------------------------
// Size (measured and reported; the multi-page target is asserted)

// Bytes of a PDF by kind: image streams, the font program, everything else (pikepdf).
std::string SizeBreakdown(const std::string& path) {
  const char* script = R"PY(
import os, sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
image = font = 0
for o in pdf.objects:
    if isinstance(o, pikepdf.Stream) and o.get('/Subtype') == '/Image':
        image += len(o.read_raw_bytes())
    if isinstance(o, pikepdf.Dictionary) and o.get('/Type') == '/FontDescriptor' and '/FontFile2' in o:
        font += len(o.FontFile2.read_raw_bytes())
total = os.path.getsize(sys.argv[1])
print('total %d image %d font %d rest %d pages %d' % (total, image, font, total - image - font, len(pdf.pages)))
)PY";
  auto r = RunCommand({"/usr/bin/python3", "-c", script, path}, {}, 120);
  return r.exit_code == 0 ? r.out : "pikepdf failed: " + r.err;
}

TEST_F(PdfToolsTest, SyntheticTextPagesStayWithinSixtyKilobytesPerPage) {
  const auto page = testpages::MakeTextPage(FullPageLines(40));
  size_t words = 0;
  for (const auto& l : page.lines) words += l.words.size();
  for (int pages : {1, 10}) {
    auto w = NewWriter();
    for (int i = 0; i < pages; ++i) ASSERT_TRUE(w->AddPage(Content(page, ImageEncoding::kCcittG4)));
    auto pdf = w->Finish(DanishInfo());
    ASSERT_TRUE(pdf);
    const std::string path = Save("synthetic" + std::to_string(pages) + ".pdf", *pdf);
    if (pages == 10) MaybeKeepSample("synthetic-text-10pages.pdf", *pdf);
    std::printf(
        "synthetic A4 300 dpi text page (%zu words), %d page(s): %zu bytes, %.1f KB/page; %s",
        words, pages, pdf->size(), pdf->size() / 1024.0 / pages, SizeBreakdown(path).c_str());
    RecordProperty("bytes_" + std::to_string(pages) + "_pages", std::to_string(pdf->size()));
    // The issue's target: at most 60 KB for an A4 300-dpi text page, also on its own.
    EXPECT_LE(pdf->size() / pages, 60u * 1024);
  }
}

// The generated letter p001.png (scripts/pagegen.py, DejaVu Serif, noise) thresholded as
// the OCR stage does, with its text as the text layer (boxes laid out synthetically).
TEST_F(PdfToolsTest, RealisticLetterPagesStayWithinSixtyKilobytesPerPage) {
  const std::string dir = INTAKE_TEST_PAGES_DIR;
  auto raster = testpages::LoadPngAsBilevel(dir + "/p001.png", 300);
  ASSERT_TRUE(raster) << "cannot read " << dir << "/p001.png";
  std::ifstream manifest_file(dir + "/manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file);
  std::vector<std::vector<std::string>> lines;
  for (const auto& p : manifest["pages"]) {
    if (p["file"] != "p001.png") continue;
    std::istringstream text(p["text"].get<std::string>());
    std::string line;
    while (std::getline(text, line)) {
      std::vector<std::string> words;
      std::istringstream ws(line);
      std::string word;
      int chars = 0;
      while (ws >> word) {
        if (chars + testpages::CountCodePoints(word) + 1 > 74) {
          lines.push_back(words);
          words.clear();
          chars = 0;
        }
        words.push_back(word);
        chars += testpages::CountCodePoints(word) + 1;
      }
      if (!words.empty()) lines.push_back(words);
    }
  }
  ASSERT_FALSE(lines.empty());
  const auto layout = testpages::MakeTextPage(lines);
  PageContent c;
  c.image = *raster;
  c.lines = layout.lines;
  for (int pages : {1, 10}) {
    auto w = NewWriter();
    for (int i = 0; i < pages; ++i) ASSERT_TRUE(w->AddPage(c));
    auto pdf = w->Finish(DanishInfo());
    ASSERT_TRUE(pdf);
    const std::string path = Save("letter" + std::to_string(pages) + ".pdf", *pdf);
    if (pages == 1) MaybeKeepSample("letter-p001-1page.pdf", *pdf);
    std::printf("p001.png letter thresholded at 170, %d page(s): %zu bytes, %.1f KB/page; %s",
                pages, pdf->size(), pdf->size() / 1024.0 / pages, SizeBreakdown(path).c_str());
    RecordProperty("bytes_" + std::to_string(pages) + "_pages", std::to_string(pdf->size()));
    EXPECT_LE(pdf->size() / pages, 60u * 1024);
  }
}

}  // namespace
}  // namespace intake::pdf
