#include "put_file.hpp"

#include <filesystem>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_session.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

namespace fs = std::filesystem;
using ::sluice::testing::FakeContext;
using ::sluice::testing::FakeSession;
using ::sluice::testing::read_file;
using ::sluice::testing::TempDir;
using ::sluice::testing::write_file;
using ::testing::HasSubstr;

class PutFileTest : public ::testing::Test {
 protected:
  PutFileTest() : context_(put_file_definition()) {
    context_.properties["directory"] = (dir_ / "out").string();
  }

  void run() {
    auto processor = put_file_definition().create();
    processor->on_schedule(context_);
    processor->on_trigger(context_, session_);
  }

  // Only the written files: no temp file is left behind.
  std::vector<std::string> files_in(const fs::path& d) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir_;
  FakeContext context_;
  FakeSession session_;
};

TEST_F(PutFileTest, WritesEachFlowFileUnderItsFilename) {
  session_.enqueue("hello", {{"filename", "a.txt"}});
  session_.enqueue("world", {{"filename", "b.txt"}});
  run();
  EXPECT_EQ(session_.transferred_to("success").size(), 2U);
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "hello");
  EXPECT_EQ(read_file(dir_ / "out/b.txt"), "world");
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"a.txt", "b.txt"}));
}

TEST_F(PutFileTest, RefusesFilenamesThatLeaveTheDirectory) {
  for (const char* name : {"../escape", "/tmp/absolute", "..", "a/b", ""}) {
    session_.enqueue("x", {{"filename", name}});
  }
  run();
  const auto failed = session_.transferred_to("failure");
  ASSERT_EQ(failed.size(), 5U);
  for (const auto* e : failed) {
    EXPECT_TRUE(e->penalized);
    EXPECT_NE(FakeSession::attribute(*e, "putfile.failure.reason"), "<unset>");
  }
  EXPECT_THAT(FakeSession::attribute(*failed[0], "putfile.failure.reason"), HasSubstr("path separator"));
  EXPECT_THAT(FakeSession::attribute(*failed[1], "putfile.failure.reason"), HasSubstr("absolute"));
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
  EXPECT_FALSE(fs::exists(dir_ / "out" / "a"));
}

TEST_F(PutFileTest, ConflictFailLeavesTheExistingFile) {
  write_file(dir_ / "out/a.txt", "old");
  session_.enqueue("new", {{"filename", "a.txt"}});
  run();
  const auto failed = session_.transferred_to("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(FakeSession::attribute(*failed[0], "putfile.failure.reason"), HasSubstr("already exists"));
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "old");
}

TEST_F(PutFileTest, ConflictIgnoreSucceedsWithoutWriting) {
  context_.properties["conflict"] = "ignore";
  write_file(dir_ / "out/a.txt", "old");
  session_.enqueue("new", {{"filename", "a.txt"}});
  run();
  EXPECT_EQ(session_.transferred_to("success").size(), 1U);
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "old");
}

TEST_F(PutFileTest, ConflictReplaceOverwrites) {
  context_.properties["conflict"] = "replace";
  write_file(dir_ / "out/a.txt", "old");
  session_.enqueue("new", {{"filename", "a.txt"}});
  run();
  EXPECT_EQ(session_.transferred_to("success").size(), 1U);
  EXPECT_EQ(read_file(dir_ / "out/a.txt"), "new");
  EXPECT_EQ(files_in(dir_ / "out"), (std::vector<std::string>{"a.txt"}));
}

TEST_F(PutFileTest, MissingDirectoryWithoutCreateDirsFails) {
  context_.properties["create_dirs"] = "false";
  session_.enqueue("x", {{"filename", "a.txt"}});
  run();
  const auto failed = session_.transferred_to("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(FakeSession::attribute(*failed[0], "putfile.failure.reason"), HasSubstr("does not exist"));
}

TEST_F(PutFileTest, CreatesNestedDirectoriesAndSetsPermissions) {
  context_.properties["directory"] = (dir_ / "out/deep/er").string();
  context_.properties["permissions"] = "0600";
  session_.enqueue("x", {{"filename", "a.txt"}});
  run();
  ASSERT_EQ(session_.transferred_to("success").size(), 1U);
  EXPECT_EQ(fs::status(dir_ / "out/deep/er/a.txt").permissions(), fs::perms(0600));
}

TEST_F(PutFileTest, AnExportFailureGoesToFailureAndLeavesNoTempFile) {
  session_.after_export = [](const fs::path&) { throw std::runtime_error("device full"); };
  session_.enqueue("x", {{"filename", "a.txt"}});
  run();
  const auto failed = session_.transferred_to("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(FakeSession::attribute(*failed[0], "putfile.failure.reason"), HasSubstr("device full"));
  EXPECT_TRUE(failed[0]->penalized);
  EXPECT_TRUE(files_in(dir_ / "out").empty());
}

TEST_F(PutFileTest, RejectsBadPermissionsAtSchedule) {
  context_.properties["permissions"] = "rw-r--r--";
  auto processor = put_file_definition().create();
  EXPECT_THROW(processor->on_schedule(context_), ProcessorError);
}

}  // namespace
}  // namespace sluice::standard
