#include "base/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace intake {
namespace {

int FilesIn(const std::string& dir) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    (void)entry;
    ++n;
  }
  return n;
}

TEST(WriteFileAtomically, WritesANewFile) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir.Sub("a.pdf"), "indhold"));
  EXPECT_EQ(testing::ReadFile(dir.Sub("a.pdf")), "indhold");
  EXPECT_EQ(FilesIn(dir.path()), 1);  // no temporary file left behind
}

TEST(WriteFileAtomically, ReplacesAnExistingFileWhole) {
  testing::ScopedTempDir dir;
  testing::WriteFile(dir.Sub("a.pdf"), std::string(100000, 'x'));
  ASSERT_TRUE(WriteFileAtomically(dir.Sub("a.pdf"), "kort"));
  EXPECT_EQ(testing::ReadFile(dir.Sub("a.pdf")), "kort");
  EXPECT_EQ(FilesIn(dir.path()), 1);
}

TEST(WriteFileAtomically, FailsInAMissingDirectoryNamingThePath) {
  testing::ScopedTempDir dir;
  Status s = WriteFileAtomically(dir.Sub("mangler/a.pdf"), "x");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kIOError);
  EXPECT_NE(s.error().message().find("mangler/a.pdf"), std::string::npos);
}

TEST(WriteFileAtomically, LeavesTheTargetAndNoTemporaryFileWhenTheRenameFails) {
  testing::ScopedTempDir dir;
  std::filesystem::create_directories(dir.Sub("er-en-mappe/indhold"));
  Status s = WriteFileAtomically(dir.Sub("er-en-mappe"), "x");
  ASSERT_FALSE(s);
  EXPECT_TRUE(std::filesystem::is_directory(dir.Sub("er-en-mappe/indhold")));
  EXPECT_EQ(FilesIn(dir.path()), 1);
}

TEST(WriteFileAtomically, WritesEmptyFiles) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir.Sub("tom"), ""));
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("tom")));
  EXPECT_EQ(std::filesystem::file_size(dir.Sub("tom")), 0u);
}

}  // namespace
}  // namespace intake
