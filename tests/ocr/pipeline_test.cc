// The page pipeline with fake OCR engines: order, bounded memory, soft errors, cancel.
#include "ocr/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>

namespace intake::ocr {
namespace {

using namespace std::chrono_literals;

// A small page with a line of "text" (a black bar) so it is not blank; its width encodes
// its number, which the fake engine reads back.
PageImage NumberedPage(int number) {
  PixPtr pix(pixCreate(600, 400, 8));
  pixSetAllArbitrary(pix.get(), 255);
  for (int line = 0; line < 3; ++line) {
    BoxPtr bar(boxCreate(50, 80 + line * 60, 100 + number * 3, 20));
    pixSetInRectArbitrary(pix.get(), bar.get(), 0);
  }
  PageImage page;
  page.pix = std::move(pix);
  page.dpi = 300;
  page.source = "fake.tif";
  page.source_page = number + 1;
  return page;
}

// Records what it sees; sleeps a random while to shuffle completion order; can be told to
// hang until the deadline on one page.
class FakeEngine : public OcrEngine {
 public:
  struct Shared {
    std::atomic<int> recognised{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> max_in_flight{0};
    int hang_on_page = -1;  // page number whose OCR waits for the deadline
    std::chrono::milliseconds max_delay{20};
  };
  explicit FakeEngine(Shared* shared, unsigned seed) : shared_(shared), rng_(seed) {}

  Result<OcrResult> Recognize(const PIX* image, int,
                              std::chrono::steady_clock::time_point deadline) override {
    const int now = ++shared_->in_flight;
    int seen = shared_->max_in_flight.load();
    while (now > seen && !shared_->max_in_flight.compare_exchange_weak(seen, now)) {
    }
    // Read the page number back from the bar width.
    PIX* p = const_cast<PIX*>(image);
    BOX* box = nullptr;
    pixClipToForeground(p, nullptr, &box);
    BoxPtr owned(box);
    const int number = box ? (box->w - 100) / 3 : -1;
    if (number == shared_->hang_on_page) {
      std::this_thread::sleep_until(deadline + 10ms);
      --shared_->in_flight;
      return Error(ErrorCode::kCancelled, "OCR overskred tidsgrænsen");
    }
    std::uniform_int_distribution<int> delay(0, static_cast<int>(shared_->max_delay.count()));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng_)));
    ++shared_->recognised;
    --shared_->in_flight;
    OcrResult r;
    r.text = "side " + std::to_string(number);
    r.mean_confidence = 90;
    return r;
  }
  std::string Describe() const override { return "fake"; }

 private:
  Shared* shared_;
  std::mt19937 rng_;
};

OcrEngineFactory FakeFactory(FakeEngine::Shared* shared) {
  auto seed = std::make_shared<std::atomic<unsigned>>(1);
  return [shared, seed]() -> Result<std::unique_ptr<OcrEngine>> {
    return std::unique_ptr<OcrEngine>(std::make_unique<FakeEngine>(shared, (*seed)++));
  };
}

PipelineOptions Options(int workers, int max_pages) {
  PipelineOptions o;
  o.workers = workers;
  o.max_pages_in_memory = max_pages;
  o.detect_barcodes = false;
  o.keep_images = false;
  return o;
}

TEST(PagePipeline, DeliversPagesInSubmissionOrderWhateverOrderTheyFinish) {
  FakeEngine::Shared shared;
  auto pipeline = PagePipeline::Start(Options(3, 6), FakeFactory(&shared));
  ASSERT_TRUE(pipeline) << pipeline.error().ToString();
  PagePipeline& p = **pipeline;
  constexpr int kPages = 30;
  std::thread producer([&] {
    for (int i = 0; i < kPages; ++i) ASSERT_TRUE(p.Submit(NumberedPage(i)));
    p.Close();
  });
  int expected = 0;
  while (auto page = p.Next()) {
    EXPECT_EQ(page->analysis.index, expected);
    EXPECT_EQ(page->analysis.source_page, expected + 1);
    ASSERT_TRUE(page->analysis.ocr) << page->analysis.error->message();
    EXPECT_EQ(page->analysis.ocr->text, "side " + std::to_string(expected));
    ++expected;
  }
  producer.join();
  EXPECT_EQ(expected, kPages);
  EXPECT_EQ(p.progress().delivered, kPages);
  EXPECT_EQ(p.progress().failed, 0);
}

TEST(PagePipeline, NeverHoldsMorePagesThanAllowedWhenTheConsumerIsSlow) {
  FakeEngine::Shared shared;
  shared.max_delay = 0ms;
  auto pipeline = PagePipeline::Start(Options(2, 4), FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  PagePipeline& p = **pipeline;
  std::atomic<int> submitted{0};
  std::thread producer([&] {
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(p.Submit(NumberedPage(i)));
      ++submitted;
    }
    p.Close();
  });
  int taken = 0;
  std::this_thread::sleep_for(100ms);  // nobody consumes yet: the producer must stall
  EXPECT_EQ(submitted.load(), 4);
  while (auto page = p.Next()) {
    ++taken;
    const PipelineProgress pr = p.progress();
    EXPECT_LE(pr.submitted - pr.delivered, 4);
    std::this_thread::sleep_for(2ms);
  }
  producer.join();
  EXPECT_EQ(taken, 20);
}

TEST(PagePipeline, CanBeFedPageByPageWhileEarlierPagesAreProcessed) {
  FakeEngine::Shared shared;
  auto pipeline = PagePipeline::Start(Options(2, 8), FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  PagePipeline& p = **pipeline;
  // A slow "scanner": the first page's result arrives before the last page is scanned.
  std::atomic<bool> first_result_seen{false};
  std::atomic<int> scanned_before_first_result{-1};
  std::thread scanner([&] {
    for (int i = 0; i < 6; ++i) {
      ASSERT_TRUE(p.Submit(NumberedPage(i)));
      std::this_thread::sleep_for(60ms);
      if (first_result_seen && scanned_before_first_result < 0) scanned_before_first_result = i;
    }
    p.Close();
  });
  int n = 0;
  while (auto page = p.Next()) {
    if (n++ == 0) first_result_seen = true;
  }
  scanner.join();
  EXPECT_EQ(n, 6);
  EXPECT_GE(scanned_before_first_result.load(), 0);
  EXPECT_LT(scanned_before_first_result.load(), 5);
}

TEST(PagePipeline, RecordsAnOcrTimeoutOnItsPageAndContinues) {
  FakeEngine::Shared shared;
  shared.hang_on_page = 2;
  PipelineOptions o = Options(2, 4);
  o.page_timeout = 300ms;
  auto pipeline = PagePipeline::Start(o, FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  PagePipeline& p = **pipeline;
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(p.Submit(NumberedPage(i)));
    p.Close();
  });
  std::vector<ProcessedPage> pages;
  while (auto page = p.Next()) pages.push_back(std::move(*page));
  producer.join();
  ASSERT_EQ(pages.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    if (i == 2) {
      ASSERT_TRUE(pages[i].analysis.error);
      EXPECT_NE(pages[i].analysis.error->message().find("side 3 i fake.tif"), std::string::npos)
          << pages[i].analysis.error->message();
      EXPECT_FALSE(pages[i].analysis.ocr);
    } else {
      EXPECT_FALSE(pages[i].analysis.error);
      EXPECT_TRUE(pages[i].analysis.ocr);
    }
  }
  EXPECT_EQ(p.progress().failed, 1);
}

TEST(PagePipeline, PagesThatCouldNotBeLoadedKeepTheirPlace) {
  FakeEngine::Shared shared;
  auto pipeline = PagePipeline::Start(Options(2, 4), FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  PagePipeline& p = **pipeline;
  ASSERT_TRUE(p.Submit(NumberedPage(0)));
  p.SubmitFailed("scan.tif", 2, Error(ErrorCode::kInvalidArgument, "side 2 er beskadiget"));
  ASSERT_TRUE(p.Submit(NumberedPage(2)));
  p.Close();
  auto a = p.Next(), b = p.Next(), c = p.Next();
  ASSERT_TRUE(a && b && c);
  EXPECT_FALSE(a->analysis.error);
  ASSERT_TRUE(b->analysis.error);
  EXPECT_EQ(b->analysis.index, 1);
  EXPECT_EQ(b->analysis.source_page, 2);
  EXPECT_FALSE(c->analysis.error);
  EXPECT_FALSE(p.Next());
}

TEST(PagePipeline, BlankPagesAreFlaggedAndNotSentToOcr) {
  FakeEngine::Shared shared;
  auto pipeline = PagePipeline::Start(Options(1, 4), FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  PagePipeline& p = **pipeline;
  PageImage blank;
  blank.pix.reset(pixCreate(600, 400, 8));
  pixSetAllArbitrary(blank.pix.get(), 250);
  blank.dpi = 300;
  blank.source = "fake.tif";
  ASSERT_TRUE(p.Submit(std::move(blank)));
  p.Close();
  auto page = p.Next();
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->analysis.blank.blank);
  EXPECT_FALSE(page->analysis.ocr);
  EXPECT_FALSE(page->analysis.error);
  EXPECT_EQ(shared.recognised.load(), 0);
}

TEST(PagePipeline, KeepsThePreparedImagesWhenAsked) {
  FakeEngine::Shared shared;
  PipelineOptions o = Options(1, 2);
  o.keep_images = true;
  auto pipeline = PagePipeline::Start(o, FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  ASSERT_TRUE((*pipeline)->Submit(NumberedPage(1)));
  (*pipeline)->Close();
  auto page = (*pipeline)->Next();
  ASSERT_TRUE(page);
  ASSERT_NE(page->images.gray, nullptr);
  ASSERT_NE(page->images.binary, nullptr);
  EXPECT_EQ(pixGetWidth(page->images.gray.get()), 600);
}

TEST(PagePipeline, CancelStopsTheProducerAndTheConsumer) {
  FakeEngine::Shared shared;
  shared.max_delay = 50ms;
  auto pipeline = PagePipeline::Start(Options(1, 2), FakeFactory(&shared));
  ASSERT_TRUE(pipeline);
  PagePipeline& p = **pipeline;
  std::atomic<bool> producer_stopped{false};
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) {
      if (!p.Submit(NumberedPage(i))) break;
    }
    producer_stopped = true;
  });
  auto first = p.Next();
  ASSERT_TRUE(first);
  p.Cancel();
  producer.join();
  EXPECT_TRUE(producer_stopped);
  EXPECT_FALSE(p.Next());
  EXPECT_LT(shared.recognised.load(), 100);
}

TEST(PagePipeline, StartFailsWhenAnEngineCannotBeCreated) {
  auto pipeline = PagePipeline::Start(Options(2, 4), []() -> Result<std::unique_ptr<OcrEngine>> {
    return Error(ErrorCode::kUnavailable, "sproget xxx er ikke installeret");
  });
  ASSERT_FALSE(pipeline);
  EXPECT_EQ(pipeline.error().code(), ErrorCode::kUnavailable);
}

TEST(PagePipeline, UsesOneEnginePerWorker) {
  FakeEngine::Shared shared;
  int created = 0;
  auto pipeline = PagePipeline::Start(
      Options(3, 6), [&]() -> Result<std::unique_ptr<OcrEngine>> {
        ++created;
        return std::unique_ptr<OcrEngine>(std::make_unique<FakeEngine>(&shared, 7));
      });
  ASSERT_TRUE(pipeline);
  EXPECT_EQ(created, 3);
  EXPECT_EQ((*pipeline)->workers(), 3);
}

}  // namespace
}  // namespace intake::ocr
