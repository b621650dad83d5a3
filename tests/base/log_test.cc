#include "base/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "base/cpr_mask.h"
#include "tests/support/temp_dir.h"

namespace intake {
namespace {

class MemorySink : public log::Sink {
 public:
  void Write(const log::Record& r) override { lines.push_back(r.text); }
  std::vector<std::string> lines;
};

// Captures everything written to file descriptor 2 while alive.
class StderrCapture {
 public:
  explicit StderrCapture(const std::string& path) {
    fflush(stderr);
    saved_ = dup(2);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
  }
  ~StderrCapture() {
    fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
  }

 private:
  int saved_;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    memory_ = std::make_shared<MemorySink>();
    log::SetSinks({memory_});
    log::SetMinLevel(log::Level::kDebug);
  }
  void TearDown() override {
    log::SetSinks({log::MakeStderrSink()});
    log::SetMinLevel(log::Level::kInfo);
  }
  std::shared_ptr<MemorySink> memory_;
};

// The CPR numbers written below, in the forms people and OCR produce them.
const std::vector<std::string> kCprForms = {"010190-1234", "0101901234", "01 01 90 1234",
                                            "010190 - 1234", "010190\u20131234", "01O190-1234"};

TEST_F(LogTest, CprWrittenThroughAnyLoggingPathNeverReachesOutput) {
  testing::ScopedTempDir dir;
  const std::string file_path = dir.Sub("logs/station.log");
  const std::string stderr_path = dir.Sub("stderr.txt");
  auto file_sink = log::MakeFileSink(file_path);
  ASSERT_TRUE(file_sink) << file_sink.error().ToString();

  // Every way the code base can produce a log line.
  const std::vector<std::function<void(const std::string&)>> paths = {
      [](const std::string& cpr) { LOG(kInfo) << "borger " << cpr << " scannet"; },
      [](const std::string& cpr) { LOG(kError) << Error(ErrorCode::kNotFound, "ukendt " + cpr); },
      [](const std::string& cpr) { log::Info("parti " + cpr); },
      [](const std::string& cpr) { log::Warning("advarsel " + cpr); },
      [](const std::string& cpr) { log::Error("fejl " + cpr); },
      [](const std::string& cpr) { log::Debug("debug " + cpr); },
      [](const std::string& cpr) { log::Write(log::Level::kInfo, "direkte " + cpr); },
      // A number split over several << operands is joined before masking.
      [](const std::string& cpr) {
        LOG(kInfo) << cpr.substr(0, 3) << cpr.substr(3, 4) << cpr.substr(7);
      },
  };

  {
    StderrCapture capture(stderr_path);
    log::SetSinks({memory_, log::MakeStderrSink(), *file_sink});
    for (const auto& cpr : kCprForms) {
      for (const auto& path : paths) path(cpr);
    }
    log::SetSinks({memory_});
  }

  const std::string file_text = testing::ReadFile(file_path);
  const std::string stderr_text = testing::ReadFile(stderr_path);
  ASSERT_EQ(memory_->lines.size(), kCprForms.size() * paths.size());
  for (const std::string& cpr : kCprForms) {
    for (const auto& line : memory_->lines) EXPECT_EQ(line.find(cpr), std::string::npos) << line;
    EXPECT_EQ(file_text.find(cpr), std::string::npos);
    EXPECT_EQ(stderr_text.find(cpr), std::string::npos);
  }
  // Neither the serial number nor the birth date survives anywhere.
  for (const std::string* text : {&file_text, &stderr_text}) {
    EXPECT_EQ(text->find("1234"), std::string::npos);
    EXPECT_EQ(text->find("010190"), std::string::npos);
    EXPECT_NE(text->find("XXXXXX-XXXX"), std::string::npos);
  }
  for (const auto& line : memory_->lines) {
    EXPECT_NE(line.find(kCprMask), std::string::npos) << line;
  }
}

TEST_F(LogTest, LinesBelowTheMinimumLevelAreDropped) {
  log::SetMinLevel(log::Level::kWarning);
  LOG(kInfo) << "skjult";
  log::Debug("skjult");
  log::Warning("vist");
  ASSERT_EQ(memory_->lines.size(), 1u);
  EXPECT_EQ(memory_->lines[0], "vist");
}

TEST_F(LogTest, FileSinkWritesOneJsonObjectPerLine) {
  testing::ScopedTempDir dir;
  auto sink = log::MakeFileSink(dir.Sub("a.log"));
  ASSERT_TRUE(sink);
  log::SetSinks({*sink});
  log::Info("første \"citat\"");
  log::Error("anden\nlinje");
  log::SetSinks({memory_});
  const std::string text = testing::ReadFile(dir.Sub("a.log"));
  EXPECT_NE(text.find("\"level\":\"info\",\"msg\":\"første \\\"citat\\\"\"}\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"msg\":\"anden\\nlinje\"}\n"), std::string::npos) << text;
}

TEST_F(LogTest, FileSinkReportsAnUnwritablePath) {
  auto sink = log::MakeFileSink("/proc/no-such-dir/station.log");
  ASSERT_FALSE(sink);
  EXPECT_NE(sink.error().message().find("/proc/no-such-dir/station.log"), std::string::npos);
}

TEST(LogLevel, ParsesTheNamesUsedInStationToml) {
  EXPECT_EQ(log::ParseLevel("debug"), log::Level::kDebug);
  EXPECT_EQ(log::ParseLevel("warning"), log::Level::kWarning);
  EXPECT_EQ(log::ParseLevel("WARN"), std::nullopt);
}

}  // namespace
}  // namespace intake
