#include "put_file.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

namespace fs = std::filesystem;
using ::sluice::testing::read_file;
using ::sluice::testing::TempDir;
using ::sluice::testing::write_file;
using ::sluice::testkit::ProcessorRunner;
using ::testing::HasSubstr;

constexpr const char* kReason = "putfile.failure.reason";

class PutFileTest : public ::testing::Test {
 protected:
  PutFileTest() : runner_(put_file_definition()) {
    runner_.set_property("directory", (dir_ / "out").string());
  }

  // Only the written files: no temp file is left behind.
  static std::vector<std::string> files_in(const fs::path& d) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir_;
  ProcessorRunner runner_;
};

TEST_F(PutFileTest, WritesEachFlowFileUnderItsFilename) {
  runner_.enqueue("hello", {{"filename", "a.txt"}});
  runner_.enqueue("world", {{"filename", "b.txt"}});
  runner_.run();
  EXPECT_EQ(runner_.count("success"), 2U);
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "hello");
  EXPECT_EQ(read_file(dir_ / "out/b.txt"), "world");
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"a.txt", "b.txt"}));
}

TEST_F(PutFileTest, RefusesFilenamesThatLeaveTheDirectory) {
  for (const char* name : {"../escape", "/tmp/absolute", "..", "a/b", ""}) {
    runner_.enqueue("x", {{"filename", name}});
  }
  runner_.run();
  const auto failed = runner_.take("failure");
  ASSERT_EQ(failed.size(), 5U);
  for (const auto& ff : failed) {
    EXPECT_GT(ff.penalty_until_ms, runner_.now_ms());
    EXPECT_TRUE(ff.attributes.contains(kReason));
  }
  EXPECT_THAT(failed[0].attribute(kReason), HasSubstr("path separator"));
  EXPECT_THAT(failed[1].attribute(kReason), HasSubstr("absolute"));
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "out" / "a"));
  EXPECT_EQ(runner_.count("success"), 0U);
}

TEST_F(PutFileTest, ConflictFailLeavesTheExistingFile) {
  write_file(dir_ / "out/a.txt", "old");
  runner_.enqueue("new", {{"filename", "a.txt"}});
  runner_.run();
  const auto failed = runner_.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute(kReason), HasSubstr("already exists"));
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "old");
}

TEST_F(PutFileTest, ConflictIgnoreSucceedsWithoutWriting) {
  runner_.set_property("conflict", "ignore");
  write_file(dir_ / "out/a.txt", "old");
  runner_.enqueue("new", {{"filename", "a.txt"}});
  runner_.run();
  EXPECT_EQ(runner_.count("success"), 1U);
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "old");
}

TEST_F(PutFileTest, ConflictReplaceOverwrites) {
  runner_.set_property("conflict", "replace");
  write_file(dir_ / "out/a.txt", "old");
  runner_.enqueue("new", {{"filename", "a.txt"}});
  runner_.run();
  EXPECT_EQ(runner_.count("success"), 1U);
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "new");
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"a.txt"}));
}

TEST_F(PutFileTest, MissingDirectoryWithoutCreateDirsFails) {
  runner_.set_property("create_dirs", "false");
  runner_.enqueue("x", {{"filename", "a.txt"}});
  runner_.run();
  const auto failed = runner_.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute(kReason), HasSubstr("does not exist"));
}

TEST_F(PutFileTest, CreatesNestedDirectoriesAndSetsPermissions) {
  runner_.set_property("directory", (dir_ / "out/deep/er").string());
  runner_.set_property("permissions", "0600");
  runner_.enqueue("x", {{"filename", "a.txt"}});
  runner_.run();
  ASSERT_EQ(runner_.count("success"), 1U);
  EXPECT_EQ(fs::status(dir_ / "out/deep/er/a.txt").permissions(), fs::perms(0600));
}

TEST_F(PutFileTest, AnExportFailureGoesToFailureAndLeavesNoTempFile) {
  runner_.after_export([](const fs::path&) { throw std::runtime_error("device full"); });
  runner_.enqueue("x", {{"filename", "a.txt"}});
  runner_.run();
  const auto failed = runner_.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute(kReason), HasSubstr("device full"));
  EXPECT_GT(failed[0].penalty_until_ms, 0);
  EXPECT_TRUE(files_in(dir_ / "out").empty());
}

// A retry after a crash between PutFile's rename and its commit: the target already is a name of the
// content's file (handed over by hard link), and rename(2) between two names of one inode does nothing, so
// the temporary name would stay behind unless PutFile removes it.
TEST_F(PutFileTest, ARetryWhoseTargetIsAlreadyTheContentsFileLeavesNoTempFile) {
  ProcessorRunner runner(put_file_definition());
  runner.use_data_dir(dir_ / "data")
      .set_property("directory", (dir_ / "out").string())
      .set_property("conflict", "replace");
  const std::string content((std::size_t{1} << 20) + 100, 'm');  // a whole resource: handed over
  runner.enqueue(content, {{"filename", "a.bin"}});
  fs::path resource;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "data" / "content")) {
    if (e.is_regular_file() && e.file_size() == content.size()) resource = e.path();
  }
  ASSERT_FALSE(resource.empty());
  fs::create_directories(dir_ / "out");
  fs::create_hard_link(resource, dir_ / "out" / "a.bin");  // what the interrupted attempt delivered
  runner.run();
  EXPECT_EQ(runner.count("success"), 1U);
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"a.bin"}));
  EXPECT_EQ(read_file(dir_ / "out/a.bin"), content);
}

TEST_F(PutFileTest, RejectsBadPermissionsWhenScheduled) {
  runner_.set_property("permissions", "rw-r--r--");
  try {
    runner_.run();
    ADD_FAILURE() << "on_schedule must refuse the permissions";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("permissions must be an octal mode such as 0644, got 'rw-r--r--'"));
  }
}

}  // namespace
}  // namespace sluice::standard
