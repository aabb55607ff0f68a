#include "get_file.hpp"

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
using ::sluice::testing::TempDir;
using ::sluice::testing::write_file;

class GetFileTest : public ::testing::Test {
 protected:
  GetFileTest() : context_(get_file_definition()) { context_.properties["directory"] = dir_.path().string(); }

  void run() {
    // The clock reads after the test wrote its files: a file stamped "now" is never in the future.
    context_.now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count() +
                   1000;
    auto processor = get_file_definition().create();
    processor->on_schedule(context_);
    processor->on_trigger(context_, session_);
  }

  TempDir dir_;
  FakeContext context_;
  FakeSession session_;
};

TEST_F(GetFileTest, ImportsFilesWithAttributesAndDeletesThemAfterCommit) {
  write_file(dir_ / "a.txt", "alpha");
  write_file(dir_ / "sub/b.txt", "beta");
  context_.properties["recurse"] = "true";
  // At-least-once: at commit time the sources must still exist.
  session_.on_commit = [&] {
    EXPECT_TRUE(fs::exists(dir_ / "a.txt"));
    EXPECT_TRUE(fs::exists(dir_ / "sub/b.txt"));
  };
  run();

  EXPECT_EQ(session_.commits, 1);
  const auto out = session_.transferred_to("success");
  ASSERT_EQ(out.size(), 2U);
  std::map<std::string, const FakeSession::Entry*> by_name;
  for (const auto* e : out) by_name[FakeSession::attribute(*e, "filename")] = e;
  ASSERT_TRUE(by_name.contains("a.txt") && by_name.contains("b.txt"));
  EXPECT_EQ(by_name["a.txt"]->content, "alpha");
  EXPECT_EQ(FakeSession::attribute(*by_name["a.txt"], "path"), "./");
  EXPECT_EQ(FakeSession::attribute(*by_name["b.txt"], "path"), "sub/");
  EXPECT_EQ(FakeSession::attribute(*by_name["b.txt"], "absolute.path"), (dir_ / "sub").string() + "/");
  EXPECT_NE(FakeSession::attribute(*by_name["a.txt"], "file.lastModifiedTime"), "<unset>");
  EXPECT_FALSE(fs::exists(dir_ / "a.txt"));
  EXPECT_FALSE(fs::exists(dir_ / "sub/b.txt"));
}

TEST_F(GetFileTest, AFailedCommitKeepsTheSources) {
  write_file(dir_ / "a.txt", "alpha");
  session_.on_commit = [] { throw std::runtime_error("disk full"); };
  EXPECT_THROW(run(), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir_ / "a.txt"));
}

TEST_F(GetFileTest, KeepSourceLeavesFiles) {
  write_file(dir_ / "a.txt", "alpha");
  context_.properties["keep_source"] = "true";
  run();
  EXPECT_EQ(session_.transferred_to("success").size(), 1U);
  EXPECT_TRUE(fs::exists(dir_ / "a.txt"));
}

TEST_F(GetFileTest, YieldsWhenNothingMatches) {
  write_file(dir_ / ".hidden", "x");
  write_file(dir_ / "sub/not-recursed", "x");
  run();
  EXPECT_EQ(context_.yields, 1);
  EXPECT_TRUE(session_.entries.empty());
  EXPECT_EQ(session_.commits, 0);
}

TEST_F(GetFileTest, TakesAtMostBatchSize) {
  for (int i = 0; i < 5; ++i) write_file(dir_ / ("f" + std::to_string(i)), "x");
  context_.properties["batch_size"] = "3";
  run();
  EXPECT_EQ(session_.transferred_to("success").size(), 3U);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator()), 2);
}

TEST_F(GetFileTest, LeavesFilesYoungerThanMinAge) {
  write_file(dir_ / "fresh", "x");
  context_.properties["min_age"] = "1 h";
  run();
  EXPECT_EQ(context_.yields, 1);
  EXPECT_TRUE(fs::exists(dir_ / "fresh"));
}

TEST_F(GetFileTest, SkipsAFileThatVanishesBeforeImport) {
  write_file(dir_ / "a", "x");
  write_file(dir_ / "b", "y");
  session_.before_import = [&](const fs::path& p) {
    if (p.filename() == "a") fs::remove(p);
  };
  run();
  const auto out = session_.transferred_to("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(FakeSession::attribute(*out[0], "filename"), "b");
  EXPECT_EQ(session_.commits, 1);
}

TEST_F(GetFileTest, AnImportFailureOfAnExistingFileRollsBack) {
  write_file(dir_ / "a", "x");
  session_.before_import = [](const fs::path&) { throw std::runtime_error("content repository full"); };
  EXPECT_THROW(run(), std::runtime_error);
  EXPECT_TRUE(fs::exists(dir_ / "a"));
}

TEST_F(GetFileTest, AMissingDirectoryLogsAndYields) {
  context_.properties["directory"] = (dir_ / "missing").string();
  run();
  EXPECT_EQ(context_.yields, 1);
  ASSERT_FALSE(context_.logs.empty());
  EXPECT_EQ(context_.logs[0].first, LogLevel::kWarn);
}

TEST_F(GetFileTest, RejectsABadFilterAtSchedule) {
  context_.properties["file_filter"] = "([";
  auto processor = get_file_definition().create();
  EXPECT_THROW(processor->on_schedule(context_), ProcessorError);
}

}  // namespace
}  // namespace sluice::standard
