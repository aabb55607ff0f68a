#include "merge_content.hpp"

#include <chrono>
#include <cstdlib>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include "sluice/testkit.hpp"
#include "temp_dir.hpp"

namespace sluice::standard {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testkit::ProcessorRunner;

TEST(MergeContentTest, FullBinsMergeAtOnceAndTheRestWhenTheInputRunsDry) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("max_entries", "3")
      .set_property("delimiter_strategy", "text")
      .set_property("header", "[")
      .set_property("demarcator", ",")
      .set_property("footer", "]");
  for (int i = 1; i <= 7; ++i) runner.enqueue(std::to_string(i), {{"source", "s"}, {"n", std::to_string(i)}});
  runner.run();
  auto merged = runner.take("merged");
  ASSERT_EQ(merged.size(), 2U);  // two full bins; the seventh waits while input keeps coming
  EXPECT_EQ(merged[0].content, "[1,2,3]");
  EXPECT_EQ(merged[1].content, "[4,5,6]");
  EXPECT_EQ(merged[0].attribute("merge.count"), "3");
  EXPECT_EQ(merged[0].attribute("source"), "s");     // common to all
  EXPECT_FALSE(merged[0].attributes.contains("n"));  // differs
  EXPECT_EQ(runner.count("original"), 6U);
  runner.run();  // no input: a bin that has min_entries merges
  merged = runner.take("merged");
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_EQ(merged[0].content, "[7]");
  EXPECT_EQ(runner.count("original"), 7U);
}

TEST(MergeContentTest, MaxBinAgeMergesBelowTheMinimumsByTheInjectedClock) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("min_entries", "10")
      .set_property("max_entries", "10")
      .set_property("max_bin_age", "5 s");
  runner.enqueue("a");
  runner.enqueue("b");
  runner.run();
  runner.advance(4s);
  runner.run();
  EXPECT_EQ(runner.count("merged"), 0U);
  EXPECT_TRUE(runner.yielded());
  runner.advance(1s);
  runner.run();
  const auto merged = runner.take("merged");
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_EQ(merged[0].content, "ab");
  EXPECT_EQ(merged[0].attribute("merge.bin_age"), "5000");
}

TEST(MergeContentTest, SizeRulesCloseABinBeforeItWouldPassMaxSize) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("max_size", "10 B").set_property("min_size", "6 B");
  auto merged_contents = [&] {
    std::vector<std::string> contents;
    for (const auto& ff : runner.take("merged")) contents.push_back(ff.content);
    return contents;
  };
  runner.enqueue("aaaa");
  runner.enqueue("bbbb");
  runner.enqueue("cccc");  // would make 12 bytes: closes the first bin, starts the next
  runner.run();
  EXPECT_EQ(merged_contents(), (std::vector<std::string>{"aaaabbbb"}));
  runner.run();  // input dry, but "cccc" is below min_size: it waits
  EXPECT_TRUE(merged_contents().empty());
  runner.enqueue(std::string(16, 'd'));  // cannot join "cccc"; alone larger than max_size: not stuck either
  runner.run();
  EXPECT_EQ(merged_contents(), (std::vector<std::string>{"cccc", std::string(16, 'd')}));
  EXPECT_EQ(runner.count("original"), 4U);
}

TEST(MergeContentTest, CorrelationGivesABinPerKeyAndMaxBinsEvictsTheOldest) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("correlation_attribute", "meter")
      .set_property("max_bins", "2")
      .set_property("min_entries", "5");
  runner.enqueue("a1", {{"meter", "A"}});
  runner.enqueue("b1", {{"meter", "B"}});
  runner.enqueue("a2", {{"meter", "A"}});
  runner.enqueue("c1", {{"meter", "C"}});  // a third bin: A's, the oldest, is merged first
  runner.run();
  const auto merged = runner.take("merged");
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_EQ(merged[0].content, "a1a2");
  EXPECT_EQ(merged[0].attribute("meter"), "A");
}

TEST(MergeContentTest, TarIsReadByTheTarTool) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("merge_format", "tar");
  const std::string long_name = std::string(120, 'n') + ".txt";  // needs a pax header
  runner.enqueue("first\n", {{"filename", "a.txt"}});
  runner.enqueue(std::string(1000, 'x'), {{"filename", "dir/b.bin"}});
  runner.enqueue("third", {{"filename", long_name}});
  runner.enqueue("escape", {{"filename", "../../etc/evil"}});
  runner.run();
  runner.run();
  const auto merged = runner.take("merged");
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_EQ(merged[0].attribute("mime.type"), "application/x-tar");
  EXPECT_TRUE(merged[0].attribute("filename").ends_with(".tar"));
  EXPECT_EQ(merged[0].content.size() % 512, 0U);

  sluice::testing::TempDir dir;
  sluice::testing::write_file(dir / "m.tar", merged[0].content);
  std::filesystem::create_directories(dir / "x");
  const std::string command = "tar -xf " + (dir / "m.tar").string() + " -C " + (dir / "x").string();
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(sluice::testing::read_file(dir / "x/a.txt"), "first\n");
  EXPECT_EQ(sluice::testing::read_file(dir / "x/dir/b.bin"), std::string(1000, 'x'));
  EXPECT_EQ(sluice::testing::read_file(dir / "x" / long_name), "third");
  EXPECT_EQ(sluice::testing::read_file(dir / "x/etc/evil"), "escape");  // '..' components dropped
}

TEST(MergeContentTest, BinnedFlowFilesStayInTheInputQueueThroughACrash) {
  sluice::testing::TempDir dir;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ProcessorRunner runner(merge_content_definition());
    runner.use_data_dir(dir.path()).set_property("min_entries", "10");
    runner.enqueue("a");
    runner.enqueue("b");
    runner.enqueue("c");
    runner.run();
    // Binned: out of the queue, not merged. Die here, without stopping (no rollback, no checkpoint).
    ::_exit(runner.queued() == 0 && runner.count("merged") == 0 ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  ProcessorRunner again(merge_content_definition());
  again.use_data_dir(dir.path()).set_property("min_entries", "3");
  again.run();  // recovers the three into the input queue, bins them
  EXPECT_EQ(again.queued(), 0U);
  again.run();  // input dry: the bin has min_entries
  const auto merged = again.take("merged");
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_EQ(merged[0].content, "abc");
}

TEST(MergeContentTest, StoppingReturnsBinnedFlowFilesToTheQueue) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("min_entries", "10");
  runner.enqueue("a");
  runner.enqueue("b");
  runner.run();
  EXPECT_EQ(runner.queued(), 0U);
  runner.stop();
  EXPECT_EQ(runner.queued(), 2U);
}

TEST(MergeContentTest, BadConfigurations) {
  ProcessorRunner runner(merge_content_definition());
  runner.set_property("merge_format", "zip")
      .set_property("max_bin_age", "soon")
      .set_property("min_entries", "x");
  EXPECT_EQ(runner.validate().size(), 3U);

  ProcessorRunner inverted(merge_content_definition());
  inverted.set_property("min_entries", "10").set_property("max_entries", "5");
  inverted.enqueue("x");
  EXPECT_THROW(inverted.run(), std::exception);

  ProcessorRunner tar_with_header(merge_content_definition());
  tar_with_header.set_property("merge_format", "tar")
      .set_property("delimiter_strategy", "text")
      .set_property("header", "h");
  tar_with_header.enqueue("x");
  EXPECT_THROW(tar_with_header.run(), std::exception);
}

}  // namespace
}  // namespace sluice::standard
