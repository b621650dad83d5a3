// An intake batch from a scripted scanner through the spool into the page pipeline.
#include "station/intake_run.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <thread>

#include "ocr/null_ocr_engine.h"
#include "tests/support/temp_dir.h"

namespace intake::station {
namespace {

using namespace std::chrono_literals;

// A text-like page: a few black bars, so it is not blank.
hardware::RawFrame Frame(int marker) {
  hardware::RawFrame f;
  f.width = 620;
  f.height = 400;
  f.depth = 8;
  f.channels = 1;
  f.bytes_per_line = 624;  // padded rows
  f.pixels.assign(static_cast<size_t>(f.bytes_per_line) * f.height, 255);
  for (int line = 0; line < 4; ++line) {
    for (int y = 60 + line * 70; y < 80 + line * 70; ++y) {
      for (int x = 40; x < 120 + marker * 10; ++x) f.pixels[static_cast<size_t>(y) * 624 + x] = 0;
    }
  }
  return f;
}

// Replays a script: pages, then either the end of the feeder or an error.
class ScriptedSession : public hardware::ScanSession {
 public:
  std::vector<hardware::ScannedPage> pages;
  std::optional<Error> final_error;
  hardware::ScanFaultInfo info;
  std::vector<std::pair<size_t, Error>> errors_before;  // error returned before page i
  std::chrono::milliseconds pace{0};

  Result<std::optional<hardware::ScannedPage>> NextPage() override {
    if (cancelled_) return Error(ErrorCode::kCancelled, "afbrudt");
    for (auto it = errors_before.begin(); it != errors_before.end(); ++it) {
      if (it->first == next_) {
        Error e = it->second;
        errors_before.erase(it);
        return e;
      }
    }
    if (next_ < pages.size()) {
      std::this_thread::sleep_for(pace);
      return std::optional<hardware::ScannedPage>(pages[next_++]);
    }
    if (final_error) return *final_error;
    return std::optional<hardware::ScannedPage>();
  }
  hardware::ScanFaultInfo fault_info() const override { return info; }
  void Cancel() override { cancelled_ = true; }

 private:
  size_t next_ = 0;
  std::atomic<bool> cancelled_{false};
};

hardware::ScannedPage Scanned(int sheet, hardware::Side side, int marker) {
  hardware::ScannedPage p;
  p.content = Frame(marker);
  p.dpi = 300;
  p.sheet = sheet;
  p.side = side;
  p.source = "intake:demo";
  return p;
}

// An engine that is slow, so the scanner gets ahead of the pipeline.
class SlowEngine : public ocr::OcrEngine {
 public:
  explicit SlowEngine(std::chrono::milliseconds d) : delay_(d) {}
  Result<ocr::OcrResult> Recognize(const PIX*, int,
                                   std::chrono::steady_clock::time_point) override {
    std::this_thread::sleep_for(delay_);
    ocr::OcrResult r;
    r.text = "tekst";
    r.mean_confidence = 90;
    return r;
  }
  std::string Describe() const override { return "slow fake"; }

 private:
  std::chrono::milliseconds delay_;
};

class IntakeRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spool = storage::PageSpool::Open(dir_.Sub("spool"));
    ASSERT_TRUE(spool);
    spool_.emplace(std::move(*spool));
    auto id = spool_->CreateBatch({"test", "scanner", "intake:demo", "anna", "2026-11-26"});
    ASSERT_TRUE(id);
    batch_ = *id;
    options_.pipeline.workers = 2;
    options_.pipeline.max_pages_in_memory = 4;
    options_.pipeline.detect_barcodes = false;
    options_.pipeline.keep_images = false;
    options_.engine_factory = []() -> Result<std::unique_ptr<ocr::OcrEngine>> {
      return std::unique_ptr<ocr::OcrEngine>(std::make_unique<ocr::NullOcrEngine>());
    };
  }
  testing::ScopedTempDir dir_;
  std::optional<storage::PageSpool> spool_;
  std::string batch_;
  IntakeOptions options_;
};

TEST_F(IntakeRunTest, ADuplexBatchIsStoredInOrderAndEveryPageAnalysed) {
  ScriptedSession s;
  for (int sheet = 1; sheet <= 3; ++sheet) {
    s.pages.push_back(Scanned(sheet, hardware::Side::kFront, sheet * 2));
    s.pages.push_back(Scanned(sheet, hardware::Side::kBack, sheet * 2 + 1));
  }
  int callbacks = 0;
  auto summary = RunIntake(s, *spool_, batch_, options_,
                           [&](const ocr::PageAnalysis&, const IntakeSummary&) { ++callbacks; });
  ASSERT_TRUE(summary) << summary.error().ToString();
  EXPECT_EQ(summary->pages_scanned, 6);
  EXPECT_EQ(summary->pages_processed, 6);
  EXPECT_EQ(summary->sheets, 3);
  EXPECT_FALSE(summary->fault);
  EXPECT_EQ(callbacks, 6);
  auto record = spool_->Load(batch_);
  ASSERT_TRUE(record);
  ASSERT_EQ(record->pages.size(), 6u);
  EXPECT_TRUE(record->closed);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(record->pages[i].sheet, i / 2 + 1);
    EXPECT_EQ(record->pages[i].side, i % 2 ? "back" : "front");
    auto analysis = spool_->LoadAnalysis(batch_, record->pages[i].seq);
    ASSERT_TRUE(analysis) << "page " << i + 1;
    EXPECT_NE(analysis->find("\"seq\": " + std::to_string(i + 1)), std::string::npos);
  }
}

TEST_F(IntakeRunTest, AJamKeepsThePagesBeforeItAndRecordsWhereToReload) {
  ScriptedSession s;
  s.pages.push_back(Scanned(1, hardware::Side::kFront, 1));
  s.pages.push_back(Scanned(1, hardware::Side::kBack, 2));
  s.final_error = Error(ErrorCode::kDeviceError,
                        "Papirstop ved ark 2. Læg arkene fra ark 2 i fremføreren igen.");
  s.info = {1, 2};
  auto summary = RunIntake(s, *spool_, batch_, options_, nullptr);
  ASSERT_TRUE(summary) << summary.error().ToString();
  ASSERT_TRUE(summary->fault);
  EXPECT_EQ(summary->fault_info.reload_from_sheet, 2);
  EXPECT_EQ(summary->pages_processed, 2);
  auto record = spool_->Load(batch_);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->pages.size(), 2u);
  ASSERT_EQ(record->faults.size(), 1u);
  EXPECT_EQ(record->faults[0].code, "jammed");
  EXPECT_FALSE(record->closed);
  EXPECT_EQ(record->next_sheet(), 2);
}

TEST_F(IntakeRunTest, ScanningNeverWaitsForSlowOcrPagesWaitOnDisk) {
  ScriptedSession s;
  for (int i = 0; i < 16; ++i) s.pages.push_back(Scanned(i + 1, hardware::Side::kFront, i));
  options_.max_waiting_in_memory = 2;
  options_.engine_factory = []() -> Result<std::unique_ptr<ocr::OcrEngine>> {
    return std::unique_ptr<ocr::OcrEngine>(std::make_unique<SlowEngine>(80ms));
  };
  auto summary = RunIntake(s, *spool_, batch_, options_, nullptr);
  ASSERT_TRUE(summary) << summary.error().ToString();
  EXPECT_EQ(summary->pages_processed, 16);
  EXPECT_EQ(summary->pages_failed, 0);
  EXPECT_GT(summary->pages_spilled, 0);  // read back from the spool
  // The scanner finished long before the pipeline: at some point many pages waited.
  int max_waiting = 0;
  for (const auto& q : summary->samples) max_waiting = std::max(max_waiting, q.waiting);
  EXPECT_GE(max_waiting, 6);
}

TEST_F(IntakeRunTest, AnImportedMultiPageFileIsStoredOnceAndReadBackPageByPage) {
  ScriptedSession s;
  const std::string tiff = std::string(INTAKE_TEST_PAGES_DIR) + "/all.tif";
  for (int i = 0; i < 3; ++i) {
    hardware::ScannedPage p;
    p.content = hardware::FilePage{tiff, i};
    p.sheet = i + 1;
    p.source = "all.tif";
    s.pages.push_back(p);
  }
  auto summary = RunIntake(s, *spool_, batch_, options_, nullptr);
  ASSERT_TRUE(summary) << summary.error().ToString();
  EXPECT_EQ(summary->pages_processed, 3);
  EXPECT_EQ(summary->pages_failed, 0);
  auto record = spool_->Load(batch_);
  ASSERT_TRUE(record);
  ASSERT_EQ(record->pages.size(), 3u);
  EXPECT_EQ(record->pages[0].file, record->pages[2].file);
  EXPECT_EQ(record->pages[2].file_page, 2);
  EXPECT_EQ(record->sources_done, std::vector<std::string>{tiff});
}

TEST_F(IntakeRunTest, AnUnreadableImportFileIsReportedAndTheOthersGoOn) {
  ScriptedSession s;
  s.pages.push_back(Scanned(1, hardware::Side::kFront, 1));
  s.errors_before.push_back({1, Error(ErrorCode::kInvalidArgument, "tom.pdf er ikke en PDF")});
  s.pages.push_back(Scanned(2, hardware::Side::kFront, 2));
  auto summary = RunIntake(s, *spool_, batch_, options_, nullptr);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->pages_processed, 2);
  ASSERT_EQ(summary->bad_files.size(), 1u);
  EXPECT_NE(summary->bad_files[0].find("tom.pdf"), std::string::npos);
}

TEST(FrameToPageImage, ConvertsEveryFrameKindAndRefusesShortFrames) {
  hardware::RawFrame lineart;
  lineart.width = 10;
  lineart.height = 2;
  lineart.depth = 1;
  lineart.bytes_per_line = 2;
  lineart.pixels = {0x80, 0x00, 0x00, 0x40};
  auto l = FrameToPageImage(lineart, 200, "s", 1);
  ASSERT_TRUE(l);
  EXPECT_EQ(pixGetDepth(l->pix.get()), 1);
  l_uint32 v = 0;
  pixGetPixel(l->pix.get(), 0, 0, &v);
  EXPECT_EQ(v, 1u);  // 1 = black in both
  pixGetPixel(l->pix.get(), 9, 1, &v);
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(l->dpi, 200);

  hardware::RawFrame rgb16;
  rgb16.width = 1;
  rgb16.height = 1;
  rgb16.depth = 16;
  rgb16.channels = 3;
  rgb16.bytes_per_line = 6;
  const uint16_t samples[3] = {0xFF00, 0x8000, 0x0100};
  rgb16.pixels.resize(6);
  std::memcpy(rgb16.pixels.data(), samples, 6);
  auto c = FrameToPageImage(rgb16, 300, "s", 1);
  ASSERT_TRUE(c);
  l_int32 r, g, b;
  pixGetRGBPixel(c->pix.get(), 0, 0, &r, &g, &b);
  EXPECT_EQ(r, 0xFF);
  EXPECT_EQ(g, 0x80);
  EXPECT_EQ(b, 0x01);

  hardware::RawFrame shortframe = lineart;
  shortframe.pixels.resize(3);
  auto bad = FrameToPageImage(shortframe, 300, "intake:demo", 4);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("side 4"), std::string::npos);
}

}  // namespace
}  // namespace intake::station
