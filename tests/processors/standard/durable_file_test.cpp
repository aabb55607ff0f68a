#include "durable_file.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

namespace sluice::standard {
namespace {

namespace fs = std::filesystem;

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("sluice-durable-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  static std::string read(const fs::path& p) {
    std::ostringstream s;
    s << std::ifstream(p).rdbuf();
    return s.str();
  }

  fs::path root_;
};

TEST_F(DurableFileTest, RenameWithoutReplaceRefusesAnExistingTarget) {
  write(root_ / "tmp", "new");
  write(root_ / "target", "old");
  EXPECT_EQ(rename_file(root_ / "tmp", root_ / "target", false), std::errc::file_exists);
  EXPECT_EQ(read(root_ / "target"), "old");
  EXPECT_TRUE(fs::exists(root_ / "tmp"));
}

TEST_F(DurableFileTest, RenameWithoutReplaceMovesToAFreeName) {
  write(root_ / "tmp", "new");
  EXPECT_FALSE(rename_file(root_ / "tmp", root_ / "target", false));
  EXPECT_EQ(read(root_ / "target"), "new");
  EXPECT_FALSE(fs::exists(root_ / "tmp"));
}

TEST_F(DurableFileTest, RenameWithReplaceOverwrites) {
  write(root_ / "tmp", "new");
  write(root_ / "target", "old");
  EXPECT_FALSE(rename_file(root_ / "tmp", root_ / "target", true));
  EXPECT_EQ(read(root_ / "target"), "new");
}

TEST_F(DurableFileTest, SyncsFilesAndDirectories) {
  write(root_ / "f", "x");
  EXPECT_FALSE(sync_file(root_ / "f"));
  EXPECT_FALSE(sync_directory(root_));
  EXPECT_TRUE(sync_file(root_ / "missing"));
}

TEST_F(DurableFileTest, CreatesNestedDirectories) {
  EXPECT_FALSE(create_directories_durably(root_ / "a" / "b" / "c"));
  EXPECT_TRUE(fs::is_directory(root_ / "a" / "b" / "c"));
  EXPECT_FALSE(create_directories_durably(root_ / "a"));  // existing: fine
  write(root_ / "file", "x");
  EXPECT_TRUE(create_directories_durably(root_ / "file" / "sub"));
}

}  // namespace
}  // namespace sluice::standard
