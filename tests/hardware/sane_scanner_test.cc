// The SANE frontend's batch logic and option setting against FakeSaneApi: statuses at
// start and at read for every fault, the empty feeder, cancel, three-pass, unknown
// length, padding, 1-bit and 16-bit frames, duplex, and sane_cancel once per job.
#include "hardware/sane_scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <future>
#include <thread>

#include "tests/hardware/fake_sane_api.h"

namespace intake::hardware {
namespace {

using ::testing::ElementsAre;
using testing::FakeFrame;
using testing::FakeOption;
using testing::FakeSaneApi;
using testing::GrayFrame;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Params;

ScanSettings Feeder(int dpi = 300) {
  ScanSettings s;
  s.device = "fake:dev";
  s.source = config::ScanSource::kFeeder;
  s.mode = config::ScanMode::kGray;
  s.dpi = dpi;
  return s;
}

const RawFrame& Frame(const ScannedPage& page) { return std::get<RawFrame>(page.content); }

struct Batch {
  std::vector<ScannedPage> pages;
  std::optional<Error> error;
};

// NextPage until the end of the batch or the first error.
Batch ReadAll(ScanSession& session) {
  Batch batch;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = session.NextPage();
    if (!page) {
      batch.error = page.error();
      return batch;
    }
    if (!*page) return batch;
    batch.pages.push_back(std::move(**page));
  }
  ADD_FAILURE() << "the batch did not end";
  return batch;
}

class SaneScannerTest : public ::testing::Test {
 protected:
  SaneScannerTest() {
    api_.AddDevice("fake:dev", "Vendor", "Model", "flatbed scanner");
    api_.AddDevice("fake:other", "Vendor", "Other", "sheetfed scanner");
    testing::AddDocumentScannerOptions(api_);
  }

  std::unique_ptr<ScanSession> Start(const ScanSettings& settings) {
    auto session = scanner_.StartBatch(settings);
    EXPECT_TRUE(session) << session.error().ToString();
    return session ? std::move(*session) : nullptr;
  }

  FakeSaneApi api_;
  SaneScanner scanner_{api_};
};

TEST_F(SaneScannerTest, ReadsFeederUntilEmptyAndNumbersSheets) {
  for (int i = 0; i < 3; ++i) api_.AddPage(GrayFrame(7, 5, i));
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_FALSE(batch.error) << batch.error->ToString();
  ASSERT_EQ(batch.pages.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const ScannedPage& p = batch.pages[i];
    EXPECT_EQ(p.sheet, i + 1);
    EXPECT_EQ(p.side, Side::kFront);
    EXPECT_EQ(p.dpi, 300);
    EXPECT_EQ(p.source, "fake:dev");
    EXPECT_EQ(Frame(p).width, 7);
    EXPECT_EQ(Frame(p).height, 5);
    EXPECT_EQ(Frame(p).pixels, GrayFrame(7, 5, i).data);
  }
  EXPECT_THAT(api_.sets, ::testing::Contains("source=ADF"));
  EXPECT_THAT(api_.sets, ::testing::Contains("mode=Gray"));
  // The batch stays ended.
  auto again = session->NextPage();
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(api_.start_calls, 4);
}

TEST_F(SaneScannerTest, CancelsEvenAfterCompleteRead) {
  api_.AddPage(GrayFrame(4, 4));
  api_.AddPage(GrayFrame(4, 4));
  {
    auto session = Start(Feeder());
    ASSERT_TRUE(session);
    Batch batch = ReadAll(*session);
    EXPECT_EQ(batch.pages.size(), 2u);
    EXPECT_EQ(api_.cancel_calls, 1);  // at the end of the batch, though every read was whole
  }
  EXPECT_EQ(api_.cancel_calls, 1);  // exactly once per job: not again in the destructor
  EXPECT_EQ(api_.close_calls, 1);
}

TEST_F(SaneScannerTest, DestroyingSessionMidBatchCancelsOnceThenCloses) {
  for (int i = 0; i < 3; ++i) api_.AddPage(GrayFrame(4, 4));
  {
    auto session = Start(Feeder());
    ASSERT_TRUE(session);
    ASSERT_TRUE(session->NextPage());
    EXPECT_EQ(api_.cancel_calls, 0);
  }
  EXPECT_EQ(api_.cancel_calls, 1);
  EXPECT_EQ(api_.close_calls, 1);
  const auto cancel = std::find(api_.calls.begin(), api_.calls.end(), "cancel");
  const auto close = std::find(api_.calls.begin(), api_.calls.end(), "close");
  EXPECT_LT(cancel, close);
}

TEST_F(SaneScannerTest, EmptyFeederBeforeFirstPageIsAnError) {
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  auto page = session->NextPage();
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kDeviceError);
  EXPECT_THAT(page.error().message(), HasSubstr("Fremføreren er tom"));
  EXPECT_EQ(session->fault_info().last_complete_sheet, 0);
  EXPECT_EQ(session->fault_info().reload_from_sheet, 1);
  // The operator fills the feeder and goes on in the same session.
  api_.AddPage(GrayFrame(4, 4));
  Batch batch = ReadAll(*session);
  EXPECT_FALSE(batch.error);
  ASSERT_EQ(batch.pages.size(), 1u);
  EXPECT_EQ(batch.pages[0].sheet, 1);
  EXPECT_EQ(api_.cancel_calls, 2);  // one per job
}

TEST_F(SaneScannerTest, FeederEmptyAtFirstReadEndsBatchLikeAtStart) {
  api_.AddPage(GrayFrame(4, 4));
  FakeFrame empty = GrayFrame(4, 4);
  empty.fault = SANE_STATUS_NO_DOCS;
  api_.AddPage(empty);
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  EXPECT_FALSE(batch.error);
  EXPECT_EQ(batch.pages.size(), 1u);
}

struct FaultCase {
  SANE_Status status;
  ErrorCode code;
  const char* text;
};

std::string PrintFault(const ::testing::TestParamInfo<FaultCase>& info) {
  std::string name = SaneStatusName(info.param.status).substr(strlen("SANE_STATUS_"));
  name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
  return name;
}

const FaultCase kFaults[] = {
    {SANE_STATUS_JAMMED, ErrorCode::kDeviceError,
     "Papirstop ved ark 3. Fjern papiret, læg arkene fra ark 3 i fremføreren igen og fortsæt."},
    {SANE_STATUS_COVER_OPEN, ErrorCode::kDeviceError, "Låget eller fremføreren er åben"},
    {SANE_STATUS_DEVICE_BUSY, ErrorCode::kDeviceBusy,
     "Scanneren bruges af et andet program (fx scanbd"},
    {SANE_STATUS_IO_ERROR, ErrorCode::kDeviceError, "Kontrollér kabel, USB eller netværk"},
    {SANE_STATUS_INVAL, ErrorCode::kDeviceError, "Scanneren svarer ikke / er fjernet"},
    {SANE_STATUS_CANCELLED, ErrorCode::kCancelled, "Scanningen blev afbrudt ved ark 3"},
    {SANE_STATUS_NO_MEM, ErrorCode::kDeviceError, "løb tør for hukommelse ved ark 3"},
    {SANE_STATUS_ACCESS_DENIED, ErrorCode::kDeviceError, "Adgang til scanneren blev nægtet"},
};

class SaneFaultTest : public SaneScannerTest, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(SaneFaultTest, FaultAtStartKeepsEarlierPagesAndNamesTheSheet) {
  api_.AddPage(GrayFrame(4, 4, 1));
  api_.AddPage(GrayFrame(4, 4, 2));
  api_.AddStartStatus(GetParam().status);
  api_.AddPage(GrayFrame(4, 4, 3));
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 2u);
  ASSERT_TRUE(batch.error);
  EXPECT_EQ(batch.error->code(), GetParam().code);
  EXPECT_THAT(batch.error->message(), HasSubstr(GetParam().text));
  EXPECT_THAT(batch.error->message(), Not(HasSubstr("scannes igen")));  // no page was lost
  EXPECT_EQ(session->fault_info().last_complete_sheet, 2);
  EXPECT_EQ(session->fault_info().reload_from_sheet, 3);
  EXPECT_EQ(api_.cancel_calls, 1);
}

TEST_P(SaneFaultTest, FaultMidPageDiscardsThatPageAndSaysItWillBeScannedAgain) {
  api_.AddPage(GrayFrame(10, 10, 1));
  api_.AddPage(GrayFrame(10, 10, 2));
  FakeFrame broken = GrayFrame(10, 10, 3);
  broken.fault = GetParam().status;
  broken.fault_after = 50;
  api_.AddPage(broken);
  api_.max_read_bytes = 20;
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 2u);
  ASSERT_TRUE(batch.error);
  EXPECT_EQ(batch.error->code(), GetParam().code);
  EXPECT_THAT(batch.error->message(), HasSubstr(GetParam().text));
  EXPECT_THAT(batch.error->message(), HasSubstr("Ark 3"));
  EXPECT_THAT(batch.error->message(), HasSubstr("scannes igen"));
  EXPECT_EQ(session->fault_info().last_complete_sheet, 2);
  EXPECT_EQ(session->fault_info().reload_from_sheet, 3);
  EXPECT_EQ(api_.cancel_calls, 1);
}

INSTANTIATE_TEST_SUITE_P(EveryStatus, SaneFaultTest, ::testing::ValuesIn(kFaults), PrintFault);

TEST_F(SaneScannerTest, RetryAfterClearedJamContinuesWithTheSheetThatFailed) {
  api_.AddPage(GrayFrame(4, 4, 1));
  api_.AddStartStatus(SANE_STATUS_JAMMED);
  api_.AddPage(GrayFrame(4, 4, 2));
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch first = ReadAll(*session);
  ASSERT_EQ(first.pages.size(), 1u);
  ASSERT_TRUE(first.error);
  EXPECT_THAT(first.error->message(), HasSubstr("Papirstop ved ark 2"));
  Batch rest = ReadAll(*session);
  EXPECT_FALSE(rest.error);
  ASSERT_EQ(rest.pages.size(), 1u);
  EXPECT_EQ(rest.pages[0].sheet, 2);
  EXPECT_EQ(Frame(rest.pages[0]).pixels, GrayFrame(4, 4, 2).data);
  EXPECT_EQ(api_.cancel_calls, 2);  // the broken job and the resumed one
}

TEST_F(SaneScannerTest, ResumedBatchNumbersSheetsFromFirstSheet) {
  api_.AddPage(GrayFrame(4, 4));
  api_.AddPage(GrayFrame(4, 4));
  api_.AddStartStatus(SANE_STATUS_JAMMED);
  ScanSettings settings = Feeder();
  settings.first_sheet = 4;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 2u);
  EXPECT_EQ(batch.pages[0].sheet, 4);
  EXPECT_EQ(batch.pages[1].sheet, 5);
  ASSERT_TRUE(batch.error);
  EXPECT_THAT(batch.error->message(), HasSubstr("Papirstop ved ark 6"));
  EXPECT_EQ(session->fault_info().last_complete_sheet, 5);
  EXPECT_EQ(session->fault_info().reload_from_sheet, 6);
}

TEST_F(SaneScannerTest, ResumedBatchWithEmptyFeederNamesTheSheetToLoad) {
  ScanSettings settings = Feeder();
  settings.first_sheet = 7;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  auto page = session->NextPage();
  ASSERT_FALSE(page);
  EXPECT_THAT(page.error().message(), HasSubstr("Læg arkene fra ark 7 i fremføreren"));
  EXPECT_EQ(session->fault_info().reload_from_sheet, 7);
}

TEST_F(SaneScannerTest, CancelFromAnotherThreadMidPageStopsAtNextChunk) {
  api_.AddPage(GrayFrame(10, 10, 1));
  api_.AddPage(GrayFrame(10, 10, 2));
  api_.max_read_bytes = 10;
  std::promise<void> half_read;
  std::promise<void> cancelled;
  std::shared_future<void> cancelled_future = cancelled.get_future().share();
  bool signalled = false;
  int reads_before_start = -1;
  api_.on_read = [&](size_t offset) {
    // Halfway through the second page: let the other thread cancel, then go on reading.
    if (api_.start_calls == 2 && offset >= 50 && !signalled) {
      signalled = true;
      reads_before_start = api_.read_calls;
      half_read.set_value();
      cancelled_future.wait();
    }
  };
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  std::thread canceller([&] {
    half_read.get_future().wait();
    session->Cancel();
    cancelled.set_value();
  });
  Batch batch = ReadAll(*session);
  canceller.join();
  ASSERT_EQ(batch.pages.size(), 1u);
  ASSERT_TRUE(batch.error);
  EXPECT_EQ(batch.error->code(), ErrorCode::kCancelled);
  EXPECT_THAT(batch.error->message(), HasSubstr("afbrudt ved ark 2"));
  EXPECT_EQ(api_.read_calls, reads_before_start);  // no read after the cancel was seen
  EXPECT_EQ(api_.cancel_calls, 1);
  EXPECT_EQ(session->fault_info().last_complete_sheet, 1);
  // Cancelled stays cancelled, without touching the device again.
  auto again = session->NextPage();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kCancelled);
  EXPECT_EQ(api_.cancel_calls, 1);
  EXPECT_EQ(api_.start_calls, 2);
}

TEST_F(SaneScannerTest, CancelBetweenPagesDoesNotStartAnotherPage) {
  api_.AddPage(GrayFrame(4, 4));
  api_.AddPage(GrayFrame(4, 4));
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  ASSERT_TRUE(session->NextPage());
  session->Cancel();
  auto page = session->NextPage();
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kCancelled);
  EXPECT_EQ(api_.start_calls, 1);
  EXPECT_EQ(api_.cancel_calls, 1);
}

// Three single-colour frames in GBR order: red = 10 + x, green = 100 + x, blue = 200 + x.
void AddThreePass(FakeSaneApi& api, const std::vector<SANE_Frame>& order, int width, int lines) {
  for (size_t i = 0; i < order.size(); ++i) {
    FakeFrame f;
    f.params = Params(order[i], width, lines, 8, width, i + 1 == order.size());
    const int base = order[i] == SANE_FRAME_RED ? 10 : order[i] == SANE_FRAME_GREEN ? 100 : 200;
    for (int y = 0; y < lines; ++y) {
      for (int x = 0; x < width; ++x) f.data.push_back(static_cast<uint8_t>(base + x + y));
    }
    api.AddPage(std::move(f));
  }
}

TEST_F(SaneScannerTest, ThreePassInGbrOrderIsAssembledByFormat) {
  AddThreePass(api_, {SANE_FRAME_GREEN, SANE_FRAME_BLUE, SANE_FRAME_RED}, 4, 3);
  ScanSettings settings = Feeder();
  settings.mode = config::ScanMode::kColor;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_FALSE(batch.error) << batch.error->ToString();
  ASSERT_EQ(batch.pages.size(), 1u);
  const RawFrame& f = Frame(batch.pages[0]);
  EXPECT_EQ(f.channels, 3);
  EXPECT_EQ(f.width, 4);
  EXPECT_EQ(f.height, 3);
  EXPECT_EQ(f.bytes_per_line, 12);
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 4; ++x) {
      const uint8_t* px = &f.pixels[static_cast<size_t>(y) * 12 + x * 3];
      EXPECT_EQ(px[0], 10 + x + y);
      EXPECT_EQ(px[1], 100 + x + y);
      EXPECT_EQ(px[2], 200 + x + y);
    }
  }
  EXPECT_EQ(api_.start_calls, 4);  // three frames, then the empty feeder
}

TEST_F(SaneScannerTest, ThreePassWithMissingColourIsADeviceError) {
  AddThreePass(api_, {SANE_FRAME_GREEN, SANE_FRAME_BLUE}, 4, 3);
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  auto page = session->NextPage();
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kDeviceError);
  EXPECT_THAT(page.error().message(), HasSubstr("en farve mangler"));
  EXPECT_EQ(api_.cancel_calls, 1);
}

TEST_F(SaneScannerTest, UnknownLengthReadsUntilEofAndDropsPartialRow) {
  FakeFrame f = GrayFrame(6, 5, 0, 8);
  f.params.lines = -1;
  f.data.insert(f.data.end(), {1, 2, 3});  // a partial sixth row
  api_.AddPage(f);
  api_.max_read_bytes = 7;
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 1u);
  EXPECT_EQ(Frame(batch.pages[0]).height, 5);
  EXPECT_EQ(Frame(batch.pages[0]).width, 6);
}

TEST_F(SaneScannerTest, PaddedRowsArePackedUsingBytesPerLineAsStride) {
  api_.AddPage(GrayFrame(10, 4, 5, 16));
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 1u);
  const RawFrame& f = Frame(batch.pages[0]);
  EXPECT_EQ(f.bytes_per_line, 10);
  EXPECT_EQ(f.pixels, GrayFrame(10, 4, 5).data);
}

TEST_F(SaneScannerTest, OneBitFrameKeepsMsbFirstPackingAndPolarity) {
  FakeFrame f;
  f.params = Params(SANE_FRAME_GRAY, 10, 2, 1, 4);  // 2 bytes of pixels + 2 of padding
  f.data = {0b10110000, 0b11000000, 0xEE, 0xEE,     // black, white, black, black ...
            0b00000000, 0b01000000, 0xEE, 0xEE};
  api_.AddPage(f);
  ScanSettings settings = Feeder();
  settings.mode = config::ScanMode::kLineart;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 1u);
  const RawFrame& r = Frame(batch.pages[0]);
  EXPECT_EQ(r.depth, 1);
  EXPECT_EQ(r.bytes_per_line, 2);
  EXPECT_THAT(r.pixels, ElementsAre(0b10110000, 0b11000000, 0b00000000, 0b01000000));
  EXPECT_THAT(api_.sets, ::testing::Contains("mode=Lineart"));
}

TEST_F(SaneScannerTest, SixteenBitFrameKeepsHostOrder) {
  const uint16_t samples[] = {0x0102, 0xA0B0, 0xFFFF, 0x0000, 0x1234, 0x8000};
  FakeFrame f;
  f.params = Params(SANE_FRAME_GRAY, 3, 2, 16, 6);
  f.data.resize(sizeof samples);
  std::memcpy(f.data.data(), samples, sizeof samples);
  api_.AddPage(f);
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 1u);
  const RawFrame& r = Frame(batch.pages[0]);
  EXPECT_EQ(r.depth, 16);
  EXPECT_EQ(r.bytes_per_line, 6);
  uint16_t out[6];
  ASSERT_EQ(r.pixels.size(), sizeof out);
  std::memcpy(out, r.pixels.data(), sizeof out);
  EXPECT_THAT(out, ElementsAre(0x0102, 0xA0B0, 0xFFFF, 0x0000, 0x1234, 0x8000));
}

TEST_F(SaneScannerTest, RgbFrameIsOneInterleavedFrame) {
  FakeFrame f;
  f.params = Params(SANE_FRAME_RGB, 2, 2, 8, 8);  // 6 bytes of pixels, 2 of padding
  f.data = {1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0};
  api_.AddPage(f);
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 1u);
  const RawFrame& r = Frame(batch.pages[0]);
  EXPECT_EQ(r.channels, 3);
  EXPECT_EQ(r.bytes_per_line, 6);
  EXPECT_THAT(r.pixels, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
}

TEST_F(SaneScannerTest, InvalidFrameParametersAreRefusedAsDeviceFaults) {
  FakeFrame four_bit = GrayFrame(4, 4);
  four_bit.params.depth = 4;
  FakeFrame narrow = GrayFrame(8, 4);
  narrow.params.bytes_per_line = 7;
  for (const FakeFrame& bad : {four_bit, narrow}) {
    FakeSaneApi api;
    api.AddDevice("fake:dev", "V", "M", "flatbed scanner");
    testing::AddDocumentScannerOptions(api);
    api.AddPage(GrayFrame(4, 4));
    api.AddPage(bad);
    SaneScanner scanner(api);
    auto session = scanner.StartBatch(Feeder());
    ASSERT_TRUE(session);
    Batch batch = ReadAll(**session);
    EXPECT_EQ(batch.pages.size(), 1u);
    ASSERT_TRUE(batch.error);
    EXPECT_EQ(batch.error->code(), ErrorCode::kDeviceError);
    EXPECT_THAT(batch.error->message(), HasSubstr("ugyldige data ved ark 2"));
  }
}

TEST_F(SaneScannerTest, RunawayUnknownLengthPageIsRefused) {
  FakeSaneApi api;
  api.AddDevice("fake:dev", "V", "M", "flatbed scanner");
  testing::AddDocumentScannerOptions(api);
  FakeFrame endless = GrayFrame(100, 50);
  endless.params.lines = -1;
  api.AddPage(endless);
  SaneScannerOptions options;
  options.max_page_bytes = 2000;
  options.read_chunk_bytes = 256;
  SaneScanner scanner(api, options);
  auto session = scanner.StartBatch(Feeder());
  ASSERT_TRUE(session);
  auto page = (*session)->NextPage();
  ASSERT_FALSE(page);
  EXPECT_THAT(page.error().message(), HasSubstr("større end grænsen"));
  EXPECT_LE(api.read_calls, 10);
}

TEST_F(SaneScannerTest, FlatbedBatchIsOnePage) {
  for (int i = 0; i < 3; ++i) api_.AddPage(GrayFrame(4, 4));
  ScanSettings settings = Feeder();
  settings.source = config::ScanSource::kFlatbed;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  EXPECT_EQ(batch.pages.size(), 1u);
  EXPECT_EQ(api_.start_calls, 1);
  EXPECT_EQ(api_.cancel_calls, 1);
  EXPECT_THAT(api_.sets, ::testing::Contains("source=Flatbed"));
}

TEST_F(SaneScannerTest, DuplexAlternatesFrontAndBackPerSheet) {
  for (int i = 0; i < 4; ++i) api_.AddPage(GrayFrame(4, 4, i));
  ScanSettings settings = Feeder();
  settings.source = config::ScanSource::kDuplex;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_FALSE(batch.error);
  ASSERT_EQ(batch.pages.size(), 4u);
  const std::pair<int, Side> expected[] = {
      {1, Side::kFront}, {1, Side::kBack}, {2, Side::kFront}, {2, Side::kBack}};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(batch.pages[i].sheet, expected[i].first);
    EXPECT_EQ(batch.pages[i].side, expected[i].second);
    EXPECT_EQ(Frame(batch.pages[i]).pixels, GrayFrame(4, 4, i).data);
  }
  EXPECT_THAT(api_.sets, ::testing::Contains("source=ADF Duplex"));
}

TEST_F(SaneScannerTest, DuplexJamOnBackDiscardsItsFrontAndReloadsTheSheet) {
  api_.AddPage(GrayFrame(4, 4, 0));
  api_.AddPage(GrayFrame(4, 4, 1));
  api_.AddPage(GrayFrame(4, 4, 2));  // front of sheet 2: read, then lost with its back
  FakeFrame back = GrayFrame(4, 4, 3);
  back.fault = SANE_STATUS_JAMMED;
  back.fault_after = 8;
  api_.AddPage(back);
  ScanSettings settings = Feeder();
  settings.source = config::ScanSource::kDuplex;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  Batch batch = ReadAll(*session);
  ASSERT_EQ(batch.pages.size(), 2u);
  EXPECT_EQ(batch.pages[1].side, Side::kBack);
  ASSERT_TRUE(batch.error);
  EXPECT_THAT(batch.error->message(), HasSubstr("Papirstop ved ark 2"));
  EXPECT_THAT(batch.error->message(), HasSubstr("scannes igen"));
  EXPECT_EQ(session->fault_info().last_complete_sheet, 1);
  EXPECT_EQ(session->fault_info().reload_from_sheet, 2);
}

// ---- options ----

TEST_F(SaneScannerTest, WholeScanAreaIsSetByDefault) {
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  EXPECT_THAT(api_.sets, ::testing::IsSupersetOf({"tl-x=0", "tl-y=0", "br-x=215.9", "br-y=297"}));
}

TEST_F(SaneScannerTest, FixedPointResolutionIsWrittenAsFixedPoint) {
  FakeOption* resolution = api_.FindOption("resolution");
  resolution->type = SANE_TYPE_FIXED;
  resolution->words.clear();
  resolution->range = SANE_Range{SANE_FIX(1), SANE_FIX(1200), 0};
  api_.AddPage(GrayFrame(4, 4));
  auto session = Start(Feeder(300));
  ASSERT_TRUE(session);
  EXPECT_EQ(resolution->word, SANE_FIX(300));  // not 300 / 65536, which clamps to 1 dpi
  auto page = session->NextPage();
  ASSERT_TRUE(page && *page);
  EXPECT_EQ((*page)->dpi, 300);
}

TEST_F(SaneScannerTest, ResolutionFromWordListIsTheNearestAndPagesSayWhich) {
  api_.AddPage(GrayFrame(4, 4));
  auto session = Start(Feeder(250));
  ASSERT_TRUE(session);
  EXPECT_THAT(api_.sets, ::testing::Contains("resolution=300"));
  auto page = session->NextPage();
  ASSERT_TRUE(page && *page);
  EXPECT_EQ((*page)->dpi, 300);
}

TEST_F(SaneScannerTest, ResolutionRangeSnapsToItsQuantum) {
  FakeOption* resolution = api_.FindOption("resolution");
  resolution->words.clear();
  resolution->range = SANE_Range{50, 600, 25};
  auto session = Start(Feeder(310));
  ASSERT_TRUE(session);
  EXPECT_EQ(resolution->word, 300);
}

TEST_F(SaneScannerTest, InexactResolutionReportsTheDevicesValue) {
  FakeOption* resolution = api_.FindOption("resolution");
  resolution->inexact = [](SANE_Word w) { return w - 10; };
  api_.AddPage(GrayFrame(4, 4));
  auto session = Start(Feeder(300));
  ASSERT_TRUE(session);
  auto page = session->NextPage();
  ASSERT_TRUE(page && *page);
  EXPECT_EQ((*page)->dpi, 290);
}

TEST_F(SaneScannerTest, ReloadedOptionsAfterSourceChangeGiveTheNewScanArea) {
  FakeOption* source = api_.FindOption("source");
  FakeOption* br_y = api_.FindOption("br-y");
  source->set_info = SANE_INFO_RELOAD_OPTIONS;
  source->on_set = [br_y](FakeOption& o) {
    br_y->range->max = o.text == "ADF" ? SANE_FIX(355.6) : SANE_FIX(297.0);  // legal paper
  };
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  EXPECT_THAT(api_.sets, ::testing::Contains("br-y=355.6"));
  EXPECT_EQ(br_y->word, SANE_FIX(355.6));
}

TEST_F(SaneScannerTest, MissingSourceIsRefusedNamingWhatTheDeviceOffers) {
  api_.FindOption("source")->strings = {"Flatbed", "ADF"};
  ScanSettings settings = Feeder();
  settings.source = config::ScanSource::kDuplex;
  auto session = scanner_.StartBatch(settings);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(session.error().message(), HasSubstr("duplex"));
  EXPECT_THAT(session.error().message(), HasSubstr("\"Flatbed\", \"ADF\""));
  EXPECT_EQ(api_.close_calls, 1);  // the device is closed again
}

TEST_F(SaneScannerTest, MissingModeIsRefusedNamingWhatTheDeviceOffers) {
  api_.FindOption("mode")->strings = {"Gray", "Color"};
  ScanSettings settings = Feeder();
  settings.mode = config::ScanMode::kLineart;
  auto session = scanner_.StartBatch(settings);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(session.error().message(), HasSubstr("lineart"));
  EXPECT_THAT(session.error().message(), HasSubstr("\"Gray\", \"Color\""));
}

FakeOption DepthOption(SANE_Word initial) {
  FakeOption depth;
  depth.name = "depth";
  depth.words = {1, 8, 16};
  depth.word = initial;
  return depth;
}

TEST_F(SaneScannerTest, LineartWithoutLineartModeScansGrayAtOneBit) {
  api_.FindOption("mode")->strings = {"Gray", "Color"};
  api_.AddOption(DepthOption(8));
  ScanSettings settings = Feeder();
  settings.mode = config::ScanMode::kLineart;
  auto session = Start(settings);
  ASSERT_TRUE(session);
  EXPECT_THAT(api_.sets, ::testing::IsSupersetOf({"mode=Gray", "depth=1"}));
}

TEST_F(SaneScannerTest, GrayAsksForEightBitsWhereDepthCanBeChosen) {
  api_.AddOption(DepthOption(16));
  auto session = Start(Feeder());
  ASSERT_TRUE(session);
  EXPECT_EQ(api_.FindOption("depth")->word, 8);
}

TEST_F(SaneScannerTest, EpsonAdfModeOptionSelectsDuplex) {
  api_.FindOption("source")->strings = {"Flatbed", "Automatic Document Feeder"};
  FakeOption adf_mode;
  adf_mode.name = "adf-mode";
  adf_mode.type = SANE_TYPE_STRING;
  adf_mode.size = 16;
  adf_mode.strings = {"Simplex", "Duplex"};
  adf_mode.text = "Simplex";
  api_.AddOption(adf_mode);
  ScanSettings settings = Feeder();
  settings.source = config::ScanSource::kDuplex;
  auto duplex = Start(settings);
  ASSERT_TRUE(duplex);
  EXPECT_THAT(api_.sets,
              ::testing::IsSupersetOf({"source=Automatic Document Feeder", "adf-mode=Duplex"}));
  duplex.reset();
  auto simplex = Start(Feeder());  // options survive close/open: Simplex is set again
  ASSERT_TRUE(simplex);
  EXPECT_EQ(api_.FindOption("adf-mode")->text, "Simplex");
}

TEST_F(SaneScannerTest, DeviceWithoutSourceOptionIsFlatbedUnlessSheetFed) {
  api_.FindOption("source")->cap |= SANE_CAP_INACTIVE;
  ScanSettings flatbed = Feeder();
  flatbed.source = config::ScanSource::kFlatbed;
  EXPECT_TRUE(scanner_.StartBatch(flatbed));
  auto feeder = scanner_.StartBatch(Feeder());
  ASSERT_FALSE(feeder);
  EXPECT_EQ(feeder.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(feeder.error().message(), HasSubstr("planlejet"));
  ScanSettings sheetfed = Feeder();
  sheetfed.device = "fake:other";  // its type is "sheetfed scanner"
  EXPECT_TRUE(scanner_.StartBatch(sheetfed));
}

TEST_F(SaneScannerTest, ExtraOptionsAreSetByNameAfterTheStationsOwn) {
  FakeOption picture;
  picture.name = "test-picture";
  picture.type = SANE_TYPE_STRING;
  picture.size = 16;
  picture.strings = {"Solid black", "Solid white"};
  api_.AddOption(picture);
  SaneScannerOptions options;
  options.extra_options = {{"test-picture", "solid white"}, {"resolution", "75"}};
  SaneScanner scanner(api_, options);
  auto session = scanner.StartBatch(Feeder(600));
  ASSERT_TRUE(session) << session.error().ToString();
  ASSERT_GE(api_.sets.size(), 2u);
  EXPECT_EQ(api_.sets[api_.sets.size() - 2], "test-picture=Solid white");
  EXPECT_EQ(api_.sets.back(), "resolution=75");

  SaneScannerOptions unknown;
  unknown.extra_options = {{"no-such-option", "1"}};
  SaneScanner bad(api_, unknown);
  auto refused = bad.StartBatch(Feeder());
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("\"no-such-option\""));
}

// ---- devices and the library ----

TEST_F(SaneScannerTest, ListsDevicesWithVendorModelAndType) {
  auto devices = scanner_.ListDevices();
  ASSERT_TRUE(devices);
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ((*devices)[1].name, "fake:other");
  EXPECT_EQ((*devices)[1].vendor, "Vendor");
  EXPECT_EQ((*devices)[1].model, "Other");
  EXPECT_EQ((*devices)[1].type, "sheetfed scanner");
}

TEST_F(SaneScannerTest, NoDeviceNamedTakesTheFirstFound) {
  ScanSettings settings = Feeder();
  settings.device.clear();
  ASSERT_TRUE(Start(settings));
  EXPECT_EQ(api_.opened_name, "fake:dev");
}

TEST(SaneScannerNoDeviceTest, NoScannerFoundIsUnavailable) {
  FakeSaneApi api;
  SaneScanner scanner(api);
  auto session = scanner.StartBatch(ScanSettings{});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(session.error().message(), HasSubstr("Ingen scanner fundet"));
}

TEST_F(SaneScannerTest, OpenErrorsAreTyped) {
  api_.open_status = SANE_STATUS_DEVICE_BUSY;
  auto busy = scanner_.StartBatch(Feeder());
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code(), ErrorCode::kDeviceBusy);
  EXPECT_THAT(busy.error().message(), HasSubstr("scanbd"));
  api_.open_status = SANE_STATUS_INVAL;
  auto missing = scanner_.StartBatch(Feeder());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("\"fake:dev\" findes ikke"));
  EXPECT_EQ(api_.close_calls, 0);  // nothing was opened
}

TEST(SaneLibraryTest, InitialisesOncePerProcessAndExitsWithTheLastLease) {
  FakeSaneApi api;
  api.AddDevice("fake:dev", "V", "M", "flatbed scanner");
  {
    SaneScanner a(api);
    SaneScanner b(api);
    EXPECT_TRUE(a.ListDevices());
    EXPECT_TRUE(b.ListDevices());
    EXPECT_EQ(api.init_calls, 1);
  }
  EXPECT_EQ(api.exit_calls, 1);
}

TEST(SaneLibraryTest, FailedInitIsUnavailable) {
  FakeSaneApi api;
  api.init_status = SANE_STATUS_IO_ERROR;
  SaneScanner scanner(api);
  auto devices = scanner.ListDevices();
  ASSERT_FALSE(devices);
  EXPECT_EQ(devices.error().code(), ErrorCode::kUnavailable);
  EXPECT_THAT(devices.error().message(), HasSubstr("sane_init"));
  EXPECT_EQ(api.exit_calls, 0);
}

TEST(FromSaneStatusTest, MapsStatusesToCodesWithContext) {
  const Error busy = FromSaneStatus("kan ikke åbne scanneren x", SANE_STATUS_DEVICE_BUSY);
  EXPECT_EQ(busy.code(), ErrorCode::kDeviceBusy);
  EXPECT_THAT(busy.message(), HasSubstr("kan ikke åbne scanneren x: "));
  EXPECT_EQ(FromSaneStatus("x", SANE_STATUS_CANCELLED).code(), ErrorCode::kCancelled);
  EXPECT_EQ(FromSaneStatus("x", SANE_STATUS_INVAL).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(FromSaneStatus("x", SANE_STATUS_JAMMED).code(), ErrorCode::kDeviceError);
  EXPECT_THAT(FromSaneStatus("x", static_cast<SANE_Status>(99)).message(),
              HasSubstr("SANE_STATUS_99"));
}

}  // namespace
}  // namespace intake::hardware
