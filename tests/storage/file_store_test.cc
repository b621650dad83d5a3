// The content-addressed file store: names, durability steps visible from outside, listing.
#include "storage/file_store.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "base/sha256.h"
#include "tests/support/temp_dir.h"

namespace intake::storage {
namespace {

namespace fs = std::filesystem;

class FileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = FileStore::Open(dir_.Sub("files"));
    ASSERT_TRUE(store) << store.error().ToString();
    store_.emplace(std::move(*store));
  }
  testing::ScopedTempDir dir_;
  std::optional<FileStore> store_;
};

TEST_F(FileStoreTest, PutNamesTheFileByItsHashUnderTwoLevelsOfFolders) {
  const std::string bytes = "%PDF-1.7 en lille test\n";
  auto sha = store_->Put(bytes);
  ASSERT_TRUE(sha) << sha.error().ToString();
  EXPECT_EQ(*sha, Sha256Hex(bytes));
  EXPECT_EQ(store_->Path(*sha),
            dir_.Sub("files/" + sha->substr(0, 2) + "/" + sha->substr(2, 2) + "/" + *sha + ".pdf"));
  EXPECT_EQ(testing::ReadFile(store_->Path(*sha)), bytes);
  EXPECT_TRUE(store_->Has(*sha));
  EXPECT_TRUE(store_->Verify(*sha));
  // Write-once: the stored file is read-only.
  struct stat st;
  ASSERT_EQ(::stat(store_->Path(*sha).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0222, 0u);
  // Nothing is left in tmp/.
  EXPECT_TRUE(fs::is_empty(dir_.Sub("files/tmp")));
}

TEST_F(FileStoreTest, StoringTheSameBytesTwiceKeepsTheExistingFile) {
  auto first = store_->Put("abc");
  ASSERT_TRUE(first);
  struct stat before;
  ASSERT_EQ(::stat(store_->Path(*first).c_str(), &before), 0);
  auto second = store_->Put("abc");
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
  struct stat after;
  ASSERT_EQ(::stat(store_->Path(*first).c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
}

TEST_F(FileStoreTest, ADamagedFileIsReportedAndReplacedByTheNextPut) {
  auto sha = store_->Put("original content");
  ASSERT_TRUE(sha);
  const std::string path = store_->Path(*sha);
  ::chmod(path.c_str(), 0644);
  testing::WriteFile(path, "tampered");
  Status verify = store_->Verify(*sha);
  ASSERT_FALSE(verify);
  EXPECT_EQ(verify.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(verify.error().message().find(path), std::string::npos);
  ASSERT_TRUE(store_->Put("original content"));
  EXPECT_TRUE(store_->Verify(*sha));
}

TEST_F(FileStoreTest, VerifyOfAMissingFileIsNotFound) {
  const std::string sha(64, 'a');
  EXPECT_FALSE(store_->Has(sha));
  Status verify = store_->Verify(sha);
  ASSERT_FALSE(verify);
  EXPECT_EQ(verify.error().code(), ErrorCode::kNotFound);
}

TEST_F(FileStoreTest, PutFileStreamsAFileAndRefusesAMissingOne) {
  const std::string source = dir_.Sub("doc.pdf");
  std::string bytes(300000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7919 % 251);
  testing::WriteFile(source, bytes);
  auto sha = store_->PutFile(source);
  ASSERT_TRUE(sha) << sha.error().ToString();
  EXPECT_EQ(*sha, Sha256Hex(bytes));
  EXPECT_TRUE(store_->Verify(*sha));
  auto missing = store_->PutFile(dir_.Sub("missing.pdf"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find("missing.pdf"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_.Sub("files/tmp")));
}

TEST_F(FileStoreTest, ListSeparatesStoredFilesFromTemporaryAndUnknownOnes) {
  auto a = store_->Put("a");
  auto b = store_->Put("b");
  ASSERT_TRUE(a && b);
  testing::WriteFile(dir_.Sub("files/tmp/put-abc123"), "half");
  testing::WriteFile(dir_.Sub("files/" + a->substr(0, 2) + "/" + a->substr(2, 2) + "/notes.txt"),
                     "?");
  auto listing = store_->List();
  ASSERT_TRUE(listing) << listing.error().ToString();
  std::vector<std::string> files = listing->files;
  std::sort(files.begin(), files.end());
  std::vector<std::string> want = {*a, *b};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(files, want);
  std::vector<std::string> stray = listing->stray;
  std::sort(stray.begin(), stray.end());
  ASSERT_EQ(stray.size(), 2u);
  EXPECT_EQ(stray[0], a->substr(0, 2) + "/" + a->substr(2, 2) + "/notes.txt");
  EXPECT_EQ(stray[1], "tmp/put-abc123");
}

TEST_F(FileStoreTest, MoveToOrphansKeepsTheNameAndNeverOverwrites) {
  testing::WriteFile(dir_.Sub("files/tmp/put-1"), "one");
  auto moved = store_->MoveToOrphans("tmp/put-1");
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(*moved, "orphans/put-1");
  testing::WriteFile(dir_.Sub("files/tmp/put-1"), "two");
  auto again = store_->MoveToOrphans("tmp/put-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "orphans/put-1.1");
  EXPECT_EQ(testing::ReadFile(dir_.Sub("files/orphans/put-1")), "one");
  EXPECT_EQ(testing::ReadFile(dir_.Sub("files/orphans/put-1.1")), "two");
}

TEST_F(FileStoreTest, TheExclusiveLockIsRefusedWhileAnotherStoreIsOpen) {
  auto exclusive = store_->TryLockExclusive();
  ASSERT_TRUE(exclusive);
  EXPECT_TRUE(*exclusive);
  ASSERT_TRUE(store_->LockShared());
  {
    auto other = FileStore::Open(dir_.Sub("files"));
    ASSERT_TRUE(other);
    auto refused = store_->TryLockExclusive();
    ASSERT_TRUE(refused);
    EXPECT_FALSE(*refused);
  }
  auto again = store_->TryLockExclusive();
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again);
}

TEST(FileStore, AStoreInAnUnwritablePlaceIsAnIoError) {
  testing::ScopedTempDir dir;
  // Below a regular file no folder can be made, not even by root (ENOTDIR).
  testing::WriteFile(dir.Sub("plain-file"), "not a folder");
  const std::string below_file = dir.Sub("plain-file/files");
  auto store = FileStore::Open(below_file);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kIOError);
  EXPECT_NE(store.error().message().find(below_file), std::string::npos)
      << store.error().message();
  if (::geteuid() != 0) {
    // A read-only parent folder (root would write there anyway).
    ASSERT_EQ(::chmod(dir.path().c_str(), 0500), 0);
    auto refused = FileStore::Open(dir.Sub("files"));
    ::chmod(dir.path().c_str(), 0700);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), ErrorCode::kIOError);
    EXPECT_NE(refused.error().message().find(dir.Sub("files")), std::string::npos);
  }
}

}  // namespace
}  // namespace intake::storage
