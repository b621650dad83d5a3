// Archive labels and contents lists as printed and scanned again (issue #8's barcode round
// trip): the PDFs rasterised with pdftoppm at 300 and 200 dpi and read with the station's
// own ocr::DetectBarcodes, which must find, for every label, a Code 128 and a QR code whose
// text is exactly the barcode; the PDFs checked with qpdf, scripts/pdfa_check.py, pdffonts,
// pdfinfo and pdftotext (Danish text, masked CPR numbers, titles inside their column).
// Writes PNG previews of a box-label, a shelf-label and a contents-list page to
// INTAKE_TEST_ARTIFACTS_DIR for a person to look at. Integration tests: external programs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "ocr/barcode.h"
#include "ocr/leptonica_handles.h"
#include "station/archive_labels.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunCommand;
using testing::ScopedTempDir;

testing::CommandResult RunTool(const std::vector<std::string>& argv) {
  return RunCommand(argv, {}, 180);
}

// Every page of `pdf` rendered by pdftoppm at `dpi` in grey (as a scanner in grey mode
// delivers it), in page order; empty on failure (reported).
std::vector<ocr::PixPtr> RenderPages(const std::string& pdf, int dpi) {
  ScopedTempDir dir;
  const std::string path = dir.Sub("in.pdf");
  testing::WriteFile(path, pdf);
  auto r = RunTool({"/usr/bin/pdftoppm", "-r", std::to_string(dpi), "-gray", path, dir.Sub("p")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".pgm") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // p-1.pgm ... (zero-padded to equal width)
  std::vector<ocr::PixPtr> pages;
  for (const std::string& f : files) {
    ocr::PixPtr pix(pixRead(f.c_str()));
    EXPECT_TRUE(pix) << f;
    if (!pix) return {};
    pixSetResolution(pix.get(), dpi, dpi);
    pages.push_back(std::move(pix));
  }
  return pages;
}

// The (format, text) pairs ocr::DetectBarcodes reads on `page`.
std::multiset<std::pair<std::string, std::string>> SymbolsOn(const PIX* page, int dpi) {
  ocr::BarcodeOptions options;
  options.dpi = dpi;
  auto codes = ocr::DetectBarcodes(page, options);
  EXPECT_TRUE(codes) << codes.error().ToString();
  std::multiset<std::pair<std::string, std::string>> out;
  if (!codes) return out;
  for (const auto& c : *codes) out.emplace(c.format, c.text);
  return out;
}

// `text` with every run of whitespace (line breaks of wrapped lines included) as one space.
std::string Flat(const std::string& text) {
  return std::regex_replace(text, std::regex("\\s+"), " ");
}

LabelOptions FixedDate() {
  LabelOptions options;
  using namespace std::chrono;
  options.created = sys_days{year{2026} / 11 / 27} + hours{12};
  return options;
}

// Labels of every kind of barcode the archive gives out or an archivist may type: the
// generated forms, digits-only runs (Code 128 code set C), lower case and punctuation, and
// the longest one allowed.
std::vector<LabelSpec> SampleLabels(size_t count) {
  const std::vector<std::string> codes = {"K-2026-0345",
                                          "L-000012",
                                          "K-2026-0346",
                                          "HYLDE/3.B_2",
                                          "L-123456",
                                          "kasse-17",
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ-01234",
                                          "R12",
                                          "K-2025-9999"};
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"kasse", "Kasse med ældre byggesager"},
      {"hylde", "Hylde 3"},
      {"reol", "Reol 12"},
      {"mappe", "Mappe Ærøskøbing"}};
  std::vector<LabelSpec> labels;
  for (size_t i = 0; i < count; ++i) {
    const auto& [kind, name] = kinds[i % kinds.size()];
    labels.push_back(LabelSpec{codes[i % codes.size()], kind, name + " " + std::to_string(i + 1),
                               "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3"});
  }
  return labels;
}

// For every label, page (i / per_page) carries a Code 128 and a QR code with exactly its
// barcode, and nothing else is read there.
void ExpectEveryLabelReadsBack(const std::vector<LabelSpec>& labels, LabelFormat format,
                               int per_page, int dpi) {
  auto pdf = MakeLocationLabels(labels, format, FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  const std::vector<ocr::PixPtr> pages = RenderPages(*pdf, dpi);
  const size_t expected_pages = (labels.size() + per_page - 1) / per_page;
  ASSERT_EQ(pages.size(), expected_pages);
  for (size_t p = 0; p < pages.size(); ++p) {
    std::multiset<std::pair<std::string, std::string>> expected;
    for (size_t i = p * per_page; i < std::min(labels.size(), (p + 1) * per_page); ++i) {
      expected.emplace("Code128", labels[i].barcode);
      expected.emplace("QRCode", labels[i].barcode);
    }
    EXPECT_EQ(SymbolsOn(pages[p].get(), dpi), expected)
        << "page " << p + 1 << " at " << dpi << " dpi";
  }
}

class LabelRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(LabelRoundTrip, EveryBoxLabelReadsBackAsCode128AndQrWithExactlyItsBarcode) {
  ExpectEveryLabelReadsBack(SampleLabels(5), LabelFormat::kBox, kBoxLabelsPerPage, GetParam());
}

TEST_P(LabelRoundTrip, EveryShelfLabelReadsBackAsCode128AndQrWithExactlyItsBarcode) {
  ExpectEveryLabelReadsBack(SampleLabels(9), LabelFormat::kShelf, kShelfLabelsPerPage, GetParam());
}

INSTANTIATE_TEST_SUITE_P(ScanResolutions, LabelRoundTrip, ::testing::Values(300, 200));

// ---------------------------------------------------------------------------------------
// The PDFs with independent tools

class ArchivePdfTest : public ::testing::Test {
 protected:
  std::string Save(const std::string& name, const std::string& pdf) {
    const std::string path = dir_.Sub(name);
    testing::WriteFile(path, pdf);
    return path;
  }
  void ExpectPdfA(const std::string& path) {
    EXPECT_EQ(RunTool({"/usr/bin/qpdf", "--check", path}).exit_code, 0) << path;
    auto check = RunTool(
        {"/usr/bin/python3", std::string(INTAKE_SOURCE_DIR) + "/scripts/pdfa_check.py", path});
    EXPECT_EQ(check.exit_code, 0) << path << ": " << check.out << check.err;
    auto fonts = RunTool({"/usr/bin/pdffonts", path});
    EXPECT_TRUE(std::regex_search(
        fonts.out, std::regex("[A-Z]{6}\\+DejaVuSans\\S*\\s+TrueType\\s+WinAnsi\\s+yes yes yes ")))
        << path << ": " << fonts.out;
    auto meta = RunTool({"/usr/bin/pdfinfo", "-meta", path});
    EXPECT_THAT(meta.out, HasSubstr("<pdfaid:part>2</pdfaid:part>")) << path;
  }
  static int PageCount(const std::string& path) {
    auto info = RunTool({"/usr/bin/pdfinfo", path});
    std::smatch m;
    if (!std::regex_search(info.out, m, std::regex("Pages:\\s+(\\d+)"))) return -1;
    return std::stoi(m[1]);
  }
  static std::string Text(const std::string& path, int page = 0) {
    std::vector<std::string> argv = {"/usr/bin/pdftotext", "-enc", "UTF-8"};
    if (page > 0) {
      for (const char* flag : {"-f", "-l"}) {
        argv.push_back(flag);
        argv.push_back(std::to_string(page));
      }
    }
    argv.push_back(path);
    argv.push_back("-");
    auto r = RunTool(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  ScopedTempDir dir_;
};

TEST_F(ArchivePdfTest, LabelPdfsArePdfAWithTheFontEmbeddedAndTheirDanishTextExtractable) {
  const std::vector<LabelSpec> labels = SampleLabels(5);
  for (const auto& [format, per_page, kind_text] :
       {std::make_tuple(LabelFormat::kBox, kBoxLabelsPerPage, "KASSE"),
        std::make_tuple(LabelFormat::kShelf, kShelfLabelsPerPage, "HYLDE")}) {
    auto pdf = MakeLocationLabels(labels, format, FixedDate());
    ASSERT_TRUE(pdf) << pdf.error().ToString();
    const std::string path = Save(format == LabelFormat::kBox ? "kasser.pdf" : "hylder.pdf", *pdf);
    ExpectPdfA(path);
    EXPECT_EQ(PageCount(path), static_cast<int>((labels.size() + per_page - 1) / per_page));
    auto info = RunTool({"/usr/bin/pdfinfo", path});
    EXPECT_TRUE(
        std::regex_search(info.out, std::regex("Page size:\\s+595\\.2\\d* x 841\\.9\\d* pts")))
        << info.out;
    const std::string text = Flat(Text(path));
    EXPECT_THAT(text, HasSubstr(kind_text));
    EXPECT_THAT(text, HasSubstr("Mappe Ærøskøbing 4"));
    EXPECT_THAT(text, HasSubstr("Kasse med ældre byggesager 1"));
    EXPECT_THAT(text, HasSubstr("Rådhuset › Kælderarkiv › Reol 12 › Hylde 3"));
    for (const LabelSpec& label : labels) EXPECT_THAT(text, HasSubstr(label.barcode));
  }
}

std::vector<ContentsEntry> TwoHundredOriginals() {
  std::vector<ContentsEntry> entries;
  for (int i = 1; i <= 200; ++i) {
    ContentsEntry e{
        "27.24.00-G01-" + std::to_string(i) + "-19",
        i,
        50000 + i,
        "Ansøgning om tilskud til ældreboliger på Ærøskøbingvej nr. " + std::to_string(i),
        "2026-11-" + std::string(i % 30 < 9 ? "0" : "") + std::to_string(i % 30 + 1),
        ""};
    if (i % 7 == 0) {
      e.title =
          "Klage over afgørelse om byggetilladelse til carport, udhus og overdækket "
          "terrasse på matriklen, med bilag fra naboerne og kommunens svar af 3. maj "
          "samt referat fra besigtigelsen";
    }
    if (i % 11 == 0) e.note = "Originalen har et vedhæftet fotografi";
    if (i == 13) e.title = "Brev fra borger med CPR 010190-1234 om ældrecheck";
    entries.push_back(e);
  }
  return entries;
}

const LabelSpec kBox{"K-2026-0345", "kasse", "Kasse K-2026-0345",
                     "Rådhuset › Kælderarkiv › Reol 12 › Hylde 3"};

TEST_F(ArchivePdfTest, ContentsListOfTwoHundredOriginalsPaginatesWithTheBoxBarcodeOnEveryPage) {
  const std::vector<ContentsEntry> entries = TwoHundredOriginals();
  auto pdf = MakeContentsList(kBox, entries, "27. november 2026", FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  const std::string path = Save("indhold.pdf", *pdf);
  ExpectPdfA(path);
  const int pages = (200 + kContentsRowsPerPage - 1) / kContentsRowsPerPage;
  ASSERT_EQ(PageCount(path), pages);
  std::vector<std::string> page_texts;
  for (int p = 1; p <= pages; ++p) {
    const std::string text = Flat(Text(path, p));
    page_texts.push_back(text);
    EXPECT_THAT(text, HasSubstr("INDHOLDSLISTE")) << "page " << p;
    EXPECT_THAT(text, HasSubstr("Kasse K-2026-0345")) << "page " << p;
    EXPECT_THAT(text, HasSubstr("Side " + std::to_string(p) + " af " + std::to_string(pages)));
    EXPECT_THAT(text, HasSubstr("Printet 27. november 2026")) << "page " << p;
    EXPECT_THAT(text, HasSubstr("200 originaler")) << "page " << p;
  }
  // Every original listed once, on the page its position in the list says.
  std::string all;
  for (const std::string& t : page_texts) all += t;
  for (int i = 1; i <= 200; ++i) {
    const std::string id = std::to_string(entries[i - 1].document_id);
    EXPECT_NE(all.find(id), std::string::npos) << id;
    EXPECT_EQ(all.find(id), all.rfind(id)) << id;
    EXPECT_THAT(page_texts[(i - 1) / kContentsRowsPerPage], HasSubstr(id));
  }
  EXPECT_THAT(all, HasSubstr("Ansøgning om tilskud til ældreboliger på Ærøskøbingvej nr. 1"));
  EXPECT_THAT(all, HasSubstr("…"));  // the long complaint titles are shortened
  EXPECT_THAT(all, HasSubstr("Note: Originalen har et vedhæftet fotografi"));
  // No CPR number in a printed list.
  EXPECT_THAT(all, Not(HasSubstr("010190-1234")));
  EXPECT_THAT(all, HasSubstr("XXXXXX-XXXX"));

  const std::vector<ocr::PixPtr> rendered = RenderPages(*pdf, 200);
  ASSERT_EQ(rendered.size(), static_cast<size_t>(pages));
  for (size_t p = 0; p < rendered.size(); ++p) {
    const std::multiset<std::pair<std::string, std::string>> expected = {{"Code128", kBox.barcode},
                                                                         {"QRCode", kBox.barcode}};
    EXPECT_EQ(SymbolsOn(rendered[p].get(), 200), expected) << "page " << p + 1;
  }
}

TEST_F(ArchivePdfTest, ContentsListTextNeverCrossesIntoTheNextColumnOrOffThePage) {
  auto pdf = MakeContentsList(kBox, TwoHundredOriginals(), "27. november 2026", FixedDate());
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  const std::string path = Save("indhold.pdf", *pdf);
  auto r = RunTool({"/usr/bin/pdftotext", "-bbox", "-f", "1", "-l", "2", path, "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The columns as the header documents them: Sag 38 mm, Nr. 11, Dok.-id 19, Titel 93,
  // Modtaget 24, from the 12 mm margin.
  const double mm = 72 / 25.4;
  const double title_left = (12 + 38 + 11 + 19) * mm;
  const double received_left = title_left + 93 * mm;
  const double page_right = 210 * mm - 12 * mm;
  const std::regex word(
      "<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" xMax=\"([0-9.]+)\" yMax=\"[0-9.]+\">([^<]*)<");
  int title_words = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), word);
       it != std::sregex_iterator(); ++it) {
    const double x_min = std::stod((*it)[1]);
    const double x_max = std::stod((*it)[2]);
    EXPECT_LE(x_max, page_right + 0.5) << (*it)[3];
    if (x_min >= title_left - 0.5 && x_min < received_left - 0.5) {
      ++title_words;
      EXPECT_LE(x_max, received_left) << "title word '" << (*it)[3] << "' reaches Modtaget";
    }
  }
  EXPECT_GT(title_words, 100);
}

TEST_F(ArchivePdfTest, WritesPngPreviewsOfALabelPageAndAContentsPageForAPerson) {
  const std::string out = std::string(INTAKE_TEST_ARTIFACTS_DIR);
  std::filesystem::create_directories(out);
  auto box = MakeLocationLabels(SampleLabels(2), LabelFormat::kBox, FixedDate());
  auto shelf = MakeLocationLabels(SampleLabels(7), LabelFormat::kShelf, FixedDate());
  auto list = MakeContentsList(kBox, TwoHundredOriginals(), "27. november 2026", FixedDate());
  ASSERT_TRUE(box && shelf && list);
  for (const auto& [name, bytes] :
       {std::make_pair("archive_box_labels", *box), std::make_pair("archive_shelf_labels", *shelf),
        std::make_pair("archive_contents_list", *list)}) {
    const std::string pdf_path = out + "/" + name + ".pdf";
    testing::WriteFile(pdf_path, bytes);
    auto r = RunTool({"/usr/bin/pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                      pdf_path, out + "/" + name});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string png = out + "/" + name + ".png";
    ASSERT_TRUE(std::filesystem::exists(png)) << png;
    EXPECT_GT(std::filesystem::file_size(png), 1000u) << png;
    std::printf("preview: %s\n", png.c_str());
  }
}

}  // namespace
}  // namespace intake::station
