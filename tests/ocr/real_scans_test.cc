// Preprocessing on the real scans of ../shared/testdata (OCRmyPDF's test suite): the
// four turned pages of cardinal.pdf and the skewed skew.pdf, rasterised with pdftoppm.
#include <gtest/gtest.h>

#include <chrono>

#include "ocr/image_io.h"
#include "ocr/preprocess.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake::ocr {
namespace {

const std::string kScans = std::string(INTAKE_SHARED_DIR) + "/testdata/scans/";

PageImage Rasterise(const testing::ScopedTempDir& dir, const std::string& pdf, int page) {
  const std::string prefix = dir.Sub("page");
  auto r = testing::RunCommand({"/usr/bin/pdftoppm", "-r", "300", "-gray", "-png", "-f",
                                std::to_string(page), "-l", std::to_string(page),
                                "-singlefile", kScans + pdf, prefix});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto reader = ImageFileReader::Open(prefix + ".png", {});
  EXPECT_TRUE(reader);
  auto img = reader->ReadPage(0);
  EXPECT_TRUE(img);
  return std::move(*img);
}

Result<PreparedPage> Prepare(const PageImage& page) {
  return PreparePage(page, {}, nullptr,
                     std::chrono::steady_clock::now() + std::chrono::seconds(60));
}

TEST(RealScans, CardinalPagesTurnUprightFromEachQuarterTurn) {
  testing::ScopedTempDir dir;
  // cardinal.pdf holds linn.png turned 0, 90, 180 and 270 degrees; expected values are the
  // clockwise turns that make each upright (read off the rendered pages and the PDF's
  // placement matrices).
  const int expected[] = {0, 270, 180, 90};
  for (int page = 1; page <= 4; ++page) {
    Result<PreparedPage> p = Prepare(Rasterise(dir, "cardinal.pdf", page));
    ASSERT_TRUE(p) << p.error().ToString();
    EXPECT_TRUE(p->orientation.decided) << "page " << page;
    EXPECT_EQ(p->orientation.degrees, expected[page - 1]) << "page " << page;
  }
}

TEST(RealScans, SkewPdfIsStraightenedByItsPlacementAngle) {
  testing::ScopedTempDir dir;
  // skew.pdf places linn.png rotated by -1.865° (its content stream); linn.png's own tilt
  // is measured and subtracted.
  auto linn = ImageFileReader::Open(kScans + "linn.png", {});
  ASSERT_TRUE(linn);
  auto linn_page = linn->ReadPage(0);
  ASSERT_TRUE(linn_page);
  Result<PreparedPage> base = Prepare(*linn_page);
  Result<PreparedPage> skewed = Prepare(Rasterise(dir, "skew.pdf", 1));
  ASSERT_TRUE(base && skewed);
  ASSERT_TRUE(skewed->skew.found);
  EXPECT_NEAR(skewed->skew.degrees - base->skew.degrees, -1.865, 0.1);
  EXPECT_TRUE(skewed->skew_corrected);
}

TEST(RealScans, CcittG4ScanIsReadAsOneBitAndKeptUpright) {
  testing::ScopedTempDir dir;
  auto r = testing::RunCommand({"/usr/bin/pdfimages", "-tiff", kScans + "ccitt.pdf",
                                dir.Sub("img")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto reader = ImageFileReader::Open(dir.Sub("img-000.tif"), {});
  ASSERT_TRUE(reader) << reader.error().ToString();
  auto page = reader->ReadPage(0);
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(pixGetDepth(page->pix.get()), 1);
  Result<PreparedPage> p = Prepare(*page);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->orientation.degrees, 0);
  EXPECT_FALSE(p->blank.blank);
}

TEST(RealScans, BlankPdfPageIsFlaggedBlank) {
  testing::ScopedTempDir dir;
  Result<PreparedPage> p = Prepare(Rasterise(dir, "blank.pdf", 1));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->blank.blank);
}

}  // namespace
}  // namespace intake::ocr
