// FakeScanner keeps SaneScanner's contract: sheets, faults with fault_info, resume from a
// sheet, the empty feeder, flatbed, duplex, pace and cancel; and it records what it did.
#include "hardware/fake_scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace intake::hardware {
namespace {

using ::testing::HasSubstr;

RawFrame Page(uint8_t value) {
  RawFrame f;
  f.width = 2;
  f.height = 1;
  f.bytes_per_line = 2;
  f.pixels = {value, value};
  return f;
}

std::vector<ScannedPage> ReadUntilEnd(ScanSession& s, std::optional<Error>* error) {
  std::vector<ScannedPage> pages;
  while (true) {
    auto p = s.NextPage();
    if (!p) {
      *error = p.error();
      return pages;
    }
    if (!*p) return pages;
    pages.push_back(std::move(**p));
  }
}

uint8_t Value(const ScannedPage& p) { return std::get<RawFrame>(p.content).pixels[0]; }

TEST(FakeScannerTest, DeliversScriptedPagesAndRecordsTheBatch) {
  FakeScanner scanner;
  for (uint8_t v = 1; v <= 3; ++v) scanner.AddPage(Page(v));
  ScanSettings settings;
  settings.dpi = 200;
  auto session = scanner.StartBatch(settings);
  ASSERT_TRUE(session);
  std::optional<Error> error;
  auto pages = ReadUntilEnd(**session, &error);
  EXPECT_FALSE(error);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(Value(pages[2]), 3);
  EXPECT_EQ(pages[2].sheet, 3);
  EXPECT_EQ(pages[2].dpi, 200);
  EXPECT_EQ(scanner.pages_delivered(), 3);
  ASSERT_EQ(scanner.batches_started().size(), 1u);
  EXPECT_EQ(scanner.batches_started()[0].dpi, 200);
  EXPECT_EQ(scanner.open_sessions(), 1);
  session->reset();
  EXPECT_EQ(scanner.open_sessions(), 0);
}

TEST(FakeScannerTest, FaultKeepsEarlierPagesAndResumeStartsAtTheReloadedSheet) {
  FakeScanner scanner;
  for (uint8_t v = 1; v <= 5; ++v) scanner.AddPage(Page(v));
  scanner.AddFault(2, Error(ErrorCode::kDeviceError, "Papirstop ved ark 3."));
  auto session = scanner.StartBatch(ScanSettings{});
  ASSERT_TRUE(session);
  std::optional<Error> error;
  auto pages = ReadUntilEnd(**session, &error);
  ASSERT_EQ(pages.size(), 2u);
  ASSERT_TRUE(error);
  EXPECT_THAT(error->message(), HasSubstr("Papirstop"));
  const ScanFaultInfo fault = (*session)->fault_info();
  EXPECT_EQ(fault.last_complete_sheet, 2);
  EXPECT_EQ(fault.reload_from_sheet, 3);

  ScanSettings resume;
  resume.first_sheet = fault.reload_from_sheet;
  auto resumed = scanner.StartBatch(resume);
  ASSERT_TRUE(resumed);
  error.reset();
  auto rest = ReadUntilEnd(**resumed, &error);
  EXPECT_FALSE(error);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].sheet, 3);
  EXPECT_EQ(Value(rest[0]), 3);
}

TEST(FakeScannerTest, EmptyFeederIsAnErrorOnlyBeforeTheFirstPage) {
  FakeScanner scanner;
  auto empty = scanner.StartBatch(ScanSettings{});
  ASSERT_TRUE(empty);
  auto page = (*empty)->NextPage();
  ASSERT_FALSE(page);
  EXPECT_THAT(page.error().message(), HasSubstr("Fremføreren er tom"));
}

TEST(FakeScannerTest, DuplexFaultOnBackDropsItsFront) {
  FakeScanner scanner;
  for (uint8_t v = 1; v <= 4; ++v) scanner.AddPage(Page(v));
  scanner.AddFault(3, Error(ErrorCode::kDeviceError, "Papirstop ved ark 2."));
  ScanSettings settings;
  settings.source = config::ScanSource::kDuplex;
  auto session = scanner.StartBatch(settings);
  ASSERT_TRUE(session);
  std::optional<Error> error;
  auto pages = ReadUntilEnd(**session, &error);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[1].side, Side::kBack);
  EXPECT_EQ(pages[1].sheet, 1);
  EXPECT_EQ((*session)->fault_info().reload_from_sheet, 2);
  // Cleared: NextPage again reads sheet 2 whole.
  error.reset();
  auto rest = ReadUntilEnd(**session, &error);
  EXPECT_FALSE(error);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(Value(rest[0]), 3);
  EXPECT_EQ(rest[1].side, Side::kBack);
}

TEST(FakeScannerTest, FlatbedBatchIsOnePage) {
  FakeScanner scanner;
  scanner.AddPages(3, Page(9));
  ScanSettings settings;
  settings.source = config::ScanSource::kFlatbed;
  auto session = scanner.StartBatch(settings);
  ASSERT_TRUE(session);
  std::optional<Error> error;
  EXPECT_EQ(ReadUntilEnd(**session, &error).size(), 1u);
}

TEST(FakeScannerTest, CancelInterruptsAPacedPage) {
  FakeScanner scanner;
  scanner.AddPages(2, Page(1));
  scanner.SetPace(std::chrono::milliseconds(10000));
  auto session = scanner.StartBatch(ScanSettings{});
  ASSERT_TRUE(session);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (*session)->Cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto page = (*session)->NextPage();
  canceller.join();
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code(), ErrorCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(scanner.cancel_calls(), 1);
}

TEST(FakeScannerTest, ScriptedStartAndListErrorsHappenOnce) {
  FakeScanner scanner;
  scanner.FailNextStartBatch(Error(ErrorCode::kDeviceBusy, "Scanneren bruges af scanbd."));
  scanner.FailNextListDevices(Error(ErrorCode::kUnavailable, "ingen SANE"));
  auto busy = scanner.StartBatch(ScanSettings{});
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code(), ErrorCode::kDeviceBusy);
  EXPECT_TRUE(scanner.StartBatch(ScanSettings{}));
  EXPECT_FALSE(scanner.ListDevices());
  auto devices = scanner.ListDevices();
  ASSERT_TRUE(devices);
  EXPECT_EQ((*devices)[0].name, "fake:0");
  EXPECT_EQ(scanner.list_calls(), 2);
  ScanSettings unknown;
  unknown.device = "fake:9";
  auto missing = scanner.StartBatch(unknown);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace intake::hardware
