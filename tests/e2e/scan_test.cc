// `station scan` and `station import` as an operator runs them, through the real SANE
// stack: libsane's dll loader with a private SANE_CONFIG_DIR made here, the project's own
// backend (libsane-intake.so.1) serving the generated test letters, and SANE's own `test`
// backend for a slow device. The batch on disk (storage/page_spool.h) is the evidence: every
// sheet side exactly once, in order, with the scanned pixels.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "storage/page_spool.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace intake {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

const std::string kPages = INTAKE_TEST_PAGES_DIR;

// The letters used as sheets: sheet k's front is kFronts[k-1]; sheet 2 has an explicit back
// (a blank page with bleed-through), the others get the backend's blank back.
const std::vector<std::string> kFronts = {"p001.png", "p005.png", "p006.png", "p009.png",
                                          "p012.png"};

bool SamePixels(const std::string& a, const std::string& b) {
  PIX* pa = pixRead(a.c_str());
  PIX* pb = pixRead(b.c_str());
  l_int32 same = 0;
  if (pa != nullptr && pb != nullptr) pixEqual(pa, pb, &same);
  pixDestroy(&pa);
  pixDestroy(&pb);
  return same == 1;
}

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(sane_dir());
    fs::create_directories(letters_dir());
    for (size_t i = 0; i < kFronts.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "%03zu.png", i + 1);
      fs::create_symlink(kPages + "/" + kFronts[i], letters_dir() + "/" + name);
    }
    fs::create_symlink(kPages + "/p008.png", letters_dir() + "/002-back.png");
    testing::WriteFile(sane_dir() + "/dll.conf", "intake\ntest\n");
    WriteDevice("");
  }

  std::string sane_dir() const { return home_.Sub("sane"); }
  std::string letters_dir() const { return home_.Sub("letters"); }
  std::string spool_dir() const { return home_.Sub("data/intake-station/spool"); }

  // intake.conf with device "e2e" on the letters, plus `extra` lines (faults, start_sheet).
  void WriteDevice(const std::string& extra) {
    testing::WriteFile(sane_dir() + "/intake.conf",
                       "device e2e\n  pages " + letters_dir() + "\n  pace 0\n" + extra);
  }

  testing::CommandResult Station(std::vector<std::string> args, int timeout_s = 300) {
    args.insert(args.begin(), STATION_BINARY);
    return testing::RunCommand(args, Env(), timeout_s);
  }

  std::map<std::string, std::string> Env() const {
    return {{"HOME", home_.path()},
            {"XDG_CONFIG_HOME", ""},
            {"XDG_DATA_HOME", home_.Sub("data")},
            {"STATION_CONFIG", ""},
            {"SANE_CONFIG_DIR", sane_dir()},
            {"LD_LIBRARY_PATH", SANE_BACKEND_DIR}};
  }

  // The one batch in the spool.
  storage::BatchRecord OnlyBatch() {
    auto spool = storage::PageSpool::Open(spool_dir());
    EXPECT_TRUE(spool.has_value());
    auto ids = spool->ListBatches();
    EXPECT_TRUE(ids.has_value());
    EXPECT_EQ(ids->size(), 1u);
    auto record = spool->Load(ids->empty() ? std::string("?") : ids->front());
    EXPECT_TRUE(record.has_value()) << record.error().message();
    return record.has_value() ? *record : storage::BatchRecord{};
  }

  std::string BatchPath(const storage::BatchRecord& r, const storage::SpooledPage& p) {
    return spool_dir() + "/" + r.id + "/" + p.file;
  }

  // Every sheet 1..kFronts.size(), front then back, each exactly once, with the letters'
  // pixels on the fronts and the explicit back on sheet 2.
  void ExpectCompleteDuplexBatch(const storage::BatchRecord& r) {
    ASSERT_EQ(r.pages.size(), 2 * kFronts.size());
    for (size_t i = 0; i < r.pages.size(); ++i) {
      const storage::SpooledPage& p = r.pages[i];
      EXPECT_EQ(p.sheet, static_cast<int>(i / 2 + 1)) << "page " << i + 1;
      EXPECT_EQ(p.side, i % 2 == 0 ? "front" : "back") << "page " << i + 1;
      if (i % 2 == 0) {
        EXPECT_TRUE(SamePixels(BatchPath(r, p), kPages + "/" + kFronts[i / 2]))
            << "sheet " << p.sheet << " front is not " << kFronts[i / 2];
      } else if (p.sheet == 2) {
        EXPECT_TRUE(SamePixels(BatchPath(r, p), kPages + "/p008.png"));
      }
      // The page's analysis is saved beside it.
      const std::string analysis = BatchPath(r, p).substr(0, BatchPath(r, p).size() - 4) + ".json";
      EXPECT_TRUE(fs::exists(analysis)) << analysis;
    }
  }

  testing::ScopedTempDir home_;
};

TEST_F(ScanTest, DevicesListsTheProjectsBackendThroughLibsane) {
  auto r = Station({"devices", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json list = json::parse(r.out);
  bool found = false;
  for (const auto& d : list) found = found || d["name"] == "intake:e2e";
  EXPECT_TRUE(found) << r.out;
}

TEST_F(ScanTest, DuplexFeederBatchOfLettersArrivesCompleteAndInOrder) {
  auto r = Station({"scan", "--device", "intake:e2e", "--source", "duplex", "--mode", "gray",
                    "--dpi", "300", "--batch", "Morgenpost", "--json", home_.Sub("s.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("5 ark, 10 sider gemt, 10 behandlet"));
  storage::BatchRecord record = OnlyBatch();
  EXPECT_TRUE(record.closed);
  EXPECT_TRUE(record.faults.empty());
  ExpectCompleteDuplexBatch(record);

  json summary = json::parse(testing::ReadFile(home_.Sub("s.json")));
  EXPECT_EQ(summary["pages_scanned"], 10);
  EXPECT_EQ(summary["pages_processed"], 10);
  // The backs without a file of their own are blank; the letters are not.
  EXPECT_EQ(summary["pages_blank"], 5);
}

TEST_F(ScanTest, JamAtSheetThreeKeepsTwoSheetsAndTheResumedBatchHasEveryPageOnce) {
  WriteDevice("  jam_at_sheet 3\n");
  auto jam = Station({"scan", "--device", "intake:e2e", "--source", "duplex", "--no-ocr"});
  EXPECT_EQ(jam.exit_code, 4) << jam.err;
  EXPECT_THAT(jam.err, HasSubstr("SCANNERFEJL"));
  EXPECT_THAT(jam.err, HasSubstr("Siderne til og med ark 2 er gemt"));
  EXPECT_THAT(jam.err, HasSubstr("Læg arkene fra ark 3 i fremføreren"));
  EXPECT_THAT(jam.err, HasSubstr("station scan --resume"));
  storage::BatchRecord broken = OnlyBatch();
  ASSERT_EQ(broken.pages.size(), 4u);  // sheets 1 and 2, both sides
  EXPECT_EQ(broken.pages.back().sheet, 2);
  ASSERT_EQ(broken.faults.size(), 1u);
  EXPECT_EQ(broken.faults[0].code, "jammed");
  EXPECT_EQ(broken.faults[0].reload_from_sheet, 3);
  ASSERT_TRUE(broken.reload_from_sheet.has_value());
  EXPECT_EQ(*broken.reload_from_sheet, 3);

  // The operator clears the jam and puts sheets 3.. back in the feeder.
  WriteDevice("  start_sheet 3\n");
  auto resumed = Station({"scan", "--resume", broken.id, "--device", "intake:e2e",
                          "--source", "duplex", "--no-ocr"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.err, HasSubstr("fra ark 3"));
  storage::BatchRecord whole = OnlyBatch();
  EXPECT_TRUE(whole.closed);
  EXPECT_EQ(whole.resumed_at, std::vector<int>{3});
  ExpectCompleteDuplexBatch(whole);
}

TEST_F(ScanTest, BusyScannerIsADeviceErrorAndStoresNoPages) {
  WriteDevice("  busy true\n");
  auto r = Station({"scan", "--device", "intake:e2e", "--source", "feeder", "--no-ocr"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_THAT(r.err, HasSubstr("fejl:"));
  EXPECT_TRUE(OnlyBatch().pages.empty());
}

TEST_F(ScanTest, EmptyFeederAtStartTellsTheOperatorToLoadPaper) {
  WriteDevice("  empty true\n");
  auto r = Station({"scan", "--device", "intake:e2e", "--source", "feeder", "--no-ocr"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Læg arkene i fremføreren"));
  EXPECT_THAT(r.err, HasSubstr("Ingen sider blev scannet"));
}

TEST_F(ScanTest, ResumeOfAnUnknownBatchIsAClearError) {
  auto r = Station({"scan", "--resume", "20990101-000000-beef", "--device", "intake:e2e"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("20990101-000000-beef"));
}

// SANE's test backend with a read delay: a slow scanner whose pages are processed while the
// scan goes on (the summary's queue samples show pages processed before the last is scanned).
TEST_F(ScanTest, SlowDeviceIsProcessedWhileItStillScans) {
  testing::WriteFile(sane_dir() + "/dll.conf", "test\n");
  testing::WriteFile(sane_dir() + "/test.conf",
                     "number_of_devices 1\nmode Gray\ndepth 8\nresolution 75\n"
                     "scan-source \"Automatic Document Feeder\"\ntest-picture \"Grid\"\n"
                     "read-delay true\nread-delay-duration 150000\n");
  // The backend sometimes hangs after its last page (SANE.md): one retry after a timeout.
  testing::CommandResult r;
  for (int attempt = 0; attempt < 2; ++attempt) {
    fs::remove_all(spool_dir());
    r = Station({"scan", "--device", "test:0", "--source", "feeder", "--dpi", "75", "--no-ocr",
                 "--json", home_.Sub("slow.json")},
                120);
    if (!r.timed_out) break;
  }
  ASSERT_FALSE(r.timed_out) << "the test backend hung twice";
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json summary = json::parse(testing::ReadFile(home_.Sub("slow.json")));
  const int total = summary["pages_scanned"];
  EXPECT_EQ(total, 10);
  EXPECT_EQ(summary["pages_processed"], total);
  bool overlapped = false;
  for (const auto& s : summary["samples"]) {
    overlapped = overlapped || (s["processed"].get<int>() > 0 && s["scanned"].get<int>() < total);
  }
  EXPECT_TRUE(overlapped) << summary["samples"].dump();
}

// --- station import -----------------------------------------------------------------------

TEST_F(ScanTest, ImportOfAFolderKeepsGoodFilesAndNamesTheBadOne) {
  const std::string in = home_.Sub("in");
  fs::create_directories(in);
  fs::copy_file(kPages + "/p001.png", in + "/01.png");
  fs::copy_file(kPages + "/all.tif", in + "/02.tif");  // 15 pages
  testing::WriteFile(in + "/03.png", "dette er ikke et billede");
  auto pdf = testing::RunCommand({"/usr/bin/img2pdf", "--output", in + "/04.pdf",
                                  kPages + "/p009.png"});
  ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
  auto r = Station({"import", in, "--no-ocr", "--json", home_.Sub("i.json")});
  EXPECT_EQ(r.exit_code, 3) << r.err;  // done, with a file that could not be read
  EXPECT_THAT(r.err, HasSubstr("03.png"));
  storage::BatchRecord record = OnlyBatch();
  ASSERT_EQ(record.pages.size(), 17u);
  EXPECT_TRUE(record.closed);
  EXPECT_TRUE(SamePixels(BatchPath(record, record.pages[0]), kPages + "/p001.png"));
  EXPECT_EQ(record.pages[1].file_page, 0);
  EXPECT_EQ(record.pages[15].file_page, 14);
  EXPECT_EQ(record.pages[16].source, "04.pdf");
  // Import never moves or deletes the operator's files.
  EXPECT_TRUE(fs::exists(in + "/01.png"));
  EXPECT_TRUE(fs::exists(in + "/03.png"));
}

TEST_F(ScanTest, ABadReceivedDateIsRefusedBeforeAnythingIsImported) {
  for (const char* date : {"26-11-2026", "2026-02-30", "2999-01-01"}) {
    auto r = Station({"import", kPages + "/p001.png", "--no-ocr", "--received", date});
    EXPECT_EQ(r.exit_code, 3) << date << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("modtagelsesdatoen")) << date;
  }
  EXPECT_FALSE(fs::exists(spool_dir()) && !fs::is_empty(spool_dir()));
}

TEST_F(ScanTest, ImportWithoutFilesIsAUsageError) {
  auto r = Station({"import"});
  EXPECT_EQ(r.exit_code, 2);
}

// Scan-to-folder: files dropped by a network scanner become batches; a good file moves to
// done/ once its pages are stored, a corrupt one to failed/ with a reason, and Ctrl-C stops.
TEST_F(ScanTest, WatchedInboxTakesCompleteFilesAndRejectsACorruptOne) {
  const std::string inbox = home_.Sub("inbox");
  fs::create_directories(inbox);
  std::vector<std::string> argv = {STATION_BINARY, "import", "--watch", inbox, "--no-ocr"};
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    for (const auto& [k, v] : Env()) {
      if (v.empty()) unsetenv(k.c_str());
      else setenv(k.c_str(), v.c_str(), 1);
    }
    std::freopen("/dev/null", "w", stdout);
    std::freopen((home_.Sub("watch.err")).c_str(), "w", stderr);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  // A file written slowly in two halves, and a corrupt one.
  const std::string bytes = testing::ReadFile(kPages + "/p001.png");
  {
    std::ofstream f(inbox + "/scan0001.png", std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    f.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    f.write(bytes.data() + bytes.size() / 2,
            static_cast<std::streamsize>(bytes.size() - bytes.size() / 2));
  }
  testing::WriteFile(inbox + "/scan0002.png", "\x89PNG\r\n\x1a\n afbrudt");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         !(fs::exists(inbox + "/done/scan0001.png") &&
           fs::exists(inbox + "/failed/scan0002.png.reason.txt"))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string err = testing::ReadFile(home_.Sub("watch.err"));
  EXPECT_TRUE(WIFEXITED(status)) << err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_TRUE(fs::exists(inbox + "/done/scan0001.png")) << err;
  EXPECT_TRUE(fs::exists(inbox + "/failed/scan0002.png")) << err;
  EXPECT_THAT(testing::ReadFile(inbox + "/failed/scan0002.png.reason.txt"),
              HasSubstr("scan0002.png"));
  EXPECT_FALSE(fs::exists(inbox + "/scan0001.png"));
  // The good file's page is in the spool, pixel for pixel.
  auto spool = storage::PageSpool::Open(spool_dir());
  ASSERT_TRUE(spool.has_value());
  auto ids = spool->ListBatches();
  ASSERT_TRUE(ids.has_value());
  int pages = 0;
  for (const auto& id : *ids) {
    auto record = spool->Load(id);
    ASSERT_TRUE(record.has_value());
    for (const auto& p : record->pages) {
      ++pages;
      EXPECT_TRUE(SamePixels(BatchPath(*record, p), kPages + "/p001.png"));
    }
  }
  EXPECT_EQ(pages, 1);
}

}  // namespace
}  // namespace intake
