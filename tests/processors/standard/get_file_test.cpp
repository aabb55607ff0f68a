#include "get_file.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

namespace fs = std::filesystem;
using ::sluice::testing::TempDir;
using ::sluice::testing::write_file;
using ::sluice::testkit::ProcessorRunner;
using ::testing::HasSubstr;

class GetFileTest : public ::testing::Test {
 protected:
  GetFileTest() : runner_(get_file_definition()) { runner_.set_property("directory", dir_.path().string()); }

  // Triggers once. The clock reads after the test wrote its files, so a file stamped "now" is never in the
  // future.
  testkit::TriggerResult run() {
    runner_.set_now(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count() +
                    1000);
    return runner_.run();
  }

  TempDir dir_;
  ProcessorRunner runner_;
};

TEST_F(GetFileTest, ImportsFilesWithAttributesAndDeletesThemAfterCommit) {
  write_file(dir_ / "a.txt", "alpha");
  write_file(dir_ / "sub/b.txt", "beta");
  runner_.set_property("recurse", "true");
  // At-least-once: at commit time the sources must still exist.
  int commits = 0;
  runner_.before_commit([&] {
    ++commits;
    EXPECT_TRUE(fs::exists(dir_ / "a.txt"));
    EXPECT_TRUE(fs::exists(dir_ / "sub/b.txt"));
  });
  EXPECT_FALSE(run().rolled_back);

  EXPECT_EQ(commits, 1);
  const auto out = runner_.take("success");
  ASSERT_EQ(out.size(), 2U);
  std::map<std::string, const testkit::OutputFlowFile*> by_name;
  for (const auto& ff : out) by_name[ff.attribute("filename")] = &ff;
  ASSERT_TRUE(by_name.contains("a.txt") && by_name.contains("b.txt"));
  EXPECT_EQ(by_name["a.txt"]->content, "alpha");
  EXPECT_EQ(by_name["a.txt"]->attribute("path"), "./");
  EXPECT_EQ(by_name["b.txt"]->attribute("path"), "sub/");
  EXPECT_EQ(by_name["b.txt"]->attribute("absolute.path"), (dir_ / "sub").string() + "/");
  EXPECT_TRUE(by_name["a.txt"]->attributes.contains("file.lastModifiedTime"));
  EXPECT_FALSE(fs::exists(dir_ / "a.txt"));
  EXPECT_FALSE(fs::exists(dir_ / "sub/b.txt"));
}

TEST_F(GetFileTest, AFailedCommitKeepsTheSources) {
  write_file(dir_ / "a.txt", "alpha");
  runner_.before_commit([] { throw std::runtime_error("disk full"); });
  const auto result = run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_EQ(result.error, "disk full");
  EXPECT_TRUE(fs::exists(dir_ / "a.txt"));
  EXPECT_EQ(runner_.count("success"), 0U);
}

TEST_F(GetFileTest, KeepSourceLeavesFiles) {
  write_file(dir_ / "a.txt", "alpha");
  runner_.set_property("keep_source", "true");
  run();
  EXPECT_EQ(runner_.count("success"), 1U);
  EXPECT_TRUE(fs::exists(dir_ / "a.txt"));
}

TEST_F(GetFileTest, YieldsWhenNothingMatches) {
  write_file(dir_ / ".hidden", "x");
  write_file(dir_ / "sub/not-recursed", "x");
  run();
  EXPECT_TRUE(runner_.yielded());
  EXPECT_EQ(runner_.count("success"), 0U);
  EXPECT_TRUE(fs::exists(dir_ / ".hidden"));
}

TEST_F(GetFileTest, TakesAtMostBatchSize) {
  for (int i = 0; i < 5; ++i) write_file(dir_ / ("f" + std::to_string(i)), "x");
  runner_.set_property("batch_size", "3");
  run();
  EXPECT_EQ(runner_.count("success"), 3U);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator()), 2);
}

TEST_F(GetFileTest, LeavesFilesYoungerThanMinAge) {
  write_file(dir_ / "fresh", "x");
  runner_.set_property("min_age", "1 h");
  run();
  EXPECT_TRUE(runner_.yielded());
  EXPECT_TRUE(fs::exists(dir_ / "fresh"));
  runner_.advance(std::chrono::hours(2));  // old enough now
  runner_.run();
  EXPECT_EQ(runner_.count("success"), 1U);
}

TEST_F(GetFileTest, SkipsAFileThatVanishesBeforeImport) {
  write_file(dir_ / "a", "x");
  write_file(dir_ / "b", "y");
  runner_.before_import([&](const fs::path& p) {
    if (p.filename() == "a") fs::remove(p);
  });
  EXPECT_FALSE(run().rolled_back);
  const auto out = runner_.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("filename"), "b");
}

TEST_F(GetFileTest, AnImportFailureOfAnExistingFileRollsBack) {
  write_file(dir_ / "a", "x");
  runner_.before_import([](const fs::path&) { throw std::runtime_error("content repository full"); });
  const auto result = run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_THAT(result.error, HasSubstr("content repository full"));
  EXPECT_TRUE(fs::exists(dir_ / "a"));
}

TEST_F(GetFileTest, AMissingDirectoryLogsAndYields) {
  runner_.set_property("directory", (dir_ / "missing").string());
  run();
  EXPECT_TRUE(runner_.yielded());
  ASSERT_FALSE(runner_.logs().empty());
  EXPECT_EQ(runner_.logs()[0].level, LogLevel::kWarn);
  EXPECT_THAT(runner_.logs()[0].message, HasSubstr("cannot list " + (dir_ / "missing").string()));
}

TEST_F(GetFileTest, RejectsABadFilter) {
  runner_.set_property("file_filter", "([");
  ASSERT_EQ(runner_.validate().size(), 1U);
  EXPECT_THAT(runner_.validate()[0], HasSubstr("is not a valid regex"));
  EXPECT_THROW(run(), std::invalid_argument);
}

}  // namespace
}  // namespace sluice::standard
