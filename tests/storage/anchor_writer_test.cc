// The audit anchor written off the commit path: a burst of commits becomes one write of
// the newest entry, nothing pending is lost at close or Flush, the anchor never moves
// backwards, and a failed write is reported and retried.
#include "storage/anchor_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

using std::chrono::milliseconds;

AuditAnchor Entry(int64_t id) { return AuditAnchor{id, std::string(64, 'a' + (id % 6))}; }

std::string Line(int64_t id) { return std::to_string(id) + " " + Entry(id).hash + "\n"; }

class AnchorWriterTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.Sub("audit.anchor"); }
  std::string Anchor() const { return testing::ReadFile(Path()); }

  testing::ScopedTempDir dir_;
};

TEST_F(AnchorWriterTest, WithoutDelayEachPublishWritesAtOnce) {
  AnchorWriter writer(Path(), milliseconds(0));
  writer.Publish(Entry(1));
  EXPECT_EQ(Anchor(), Line(1));
  writer.Publish(Entry(2));
  EXPECT_EQ(Anchor(), Line(2));
  EXPECT_EQ(writer.writes(), 2);
}

TEST_F(AnchorWriterTest, BurstOfCommitsBecomesOneWriteOfTheNewest) {
  AnchorWriter writer(Path(), milliseconds(1000));
  for (int64_t id = 1; id <= 50; ++id) writer.Publish(Entry(id));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (writer.writes() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(writer.writes(), 1);
  EXPECT_EQ(Anchor(), Line(50));
}

TEST_F(AnchorWriterTest, DestructionWritesWhatIsPending) {
  {
    AnchorWriter writer(Path(), milliseconds(60000));
    writer.Publish(Entry(7));
  }
  EXPECT_EQ(Anchor(), Line(7));
}

TEST_F(AnchorWriterTest, FlushWritesWhatIsPendingNow) {
  AnchorWriter writer(Path(), milliseconds(60000));
  writer.Publish(Entry(3));
  ASSERT_TRUE(writer.Flush());
  EXPECT_EQ(Anchor(), Line(3));
  ASSERT_TRUE(writer.Flush());  // nothing pending: no second write
  EXPECT_EQ(writer.writes(), 1);
}

TEST_F(AnchorWriterTest, NeverMovesBackwards) {
  AnchorWriter writer(Path(), milliseconds(0));
  writer.Publish(Entry(9));
  // Another process's writer (or a late thread) holding an older entry changes nothing.
  AnchorWriter other(Path(), milliseconds(0));
  other.Publish(Entry(4));
  EXPECT_EQ(Anchor(), Line(9));
}

TEST_F(AnchorWriterTest, FailedWriteIsReportedAndRetried) {
  const std::string dir = dir_.Sub("missing");
  const std::string path = dir + "/audit.anchor";
  AnchorWriter writer(path, milliseconds(60000));
  writer.Publish(Entry(5));
  const Status failed = writer.Flush();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message().find(path), std::string::npos) << failed.error().message();
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(writer.Flush());  // the entry was kept for the retry
  EXPECT_EQ(testing::ReadFile(path), Line(5));
}

}  // namespace
}  // namespace intake::storage
