#include "split_text.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "line_reader.hpp"
#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

TEST(SplitTextTest, SplitsOfNLinesEachWithTheHeaderAndFragmentAttributes) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "2").set_property("header_line_count", "1");
  runner.enqueue("id,kwh\nM1,1\nM2,2\nM3,3\nM4,4\nM5,5\n", {{"filename", "readings.csv"}});
  runner.run();
  const auto original = runner.take("original");
  ASSERT_EQ(original.size(), 1U);
  const auto splits = runner.take("splits");
  ASSERT_EQ(splits.size(), 3U);
  EXPECT_EQ(splits[0].content, "id,kwh\nM1,1\nM2,2");  // trailing newline removed by default
  EXPECT_EQ(splits[1].content, "id,kwh\nM3,3\nM4,4");
  EXPECT_EQ(splits[2].content, "id,kwh\nM5,5");
  for (std::size_t i = 0; i < splits.size(); ++i) {
    EXPECT_EQ(splits[i].attribute("fragment.index"), std::to_string(i + 1));
    EXPECT_EQ(splits[i].attribute("fragment.count"), "3");
    EXPECT_EQ(splits[i].attribute("fragment.identifier"), original[0].uuid);
    EXPECT_EQ(splits[i].attribute("segment.original.filename"), "readings.csv");
  }
  EXPECT_EQ(splits[2].attribute("text.line.count"), "1");
  EXPECT_EQ(splits[0].attribute("fragment.size"), std::to_string(splits[0].content.size()));
}

TEST(SplitTextTest, KeepingNewlinesSplitsConcatenateBackToTheBody) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "3").set_property("remove_trailing_newlines", "false");
  const std::string text = "a\r\nb\nc\nd\n\ne";
  runner.enqueue(text);
  runner.run();
  std::string joined;
  for (const auto& s : runner.take("splits")) joined += s.content;
  EXPECT_EQ(joined, text);
}

TEST(SplitTextTest, MaxFragmentSizeCutsEarlier) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "0").set_property("max_fragment_size", "10 B");
  runner.enqueue("aaaa\nbbbb\ncccccccccccccc\n\n\n\ndd\n");
  runner.run();
  std::vector<std::string> contents;
  for (const auto& s : runner.take("splits")) contents.push_back(s.content);
  // "aaaa\nbbbb\n" is 10 bytes; the long line goes alone; only trailing line breaks are removed.
  EXPECT_EQ(contents, (std::vector<std::string>{"aaaa\nbbbb", "cccccccccccccc", "\n\n\ndd"}));
}

TEST(SplitTextTest, ASplitOfOnlyLineBreaksIsNotEmitted) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "2");
  runner.enqueue("a\nb\n\n\nc\n");
  runner.run();
  const auto splits = runner.take("splits");
  ASSERT_EQ(splits.size(), 2U);
  EXPECT_EQ(splits[0].content, "a\nb");
  EXPECT_EQ(splits[1].content, "c");
  EXPECT_EQ(splits[1].attribute("fragment.index"), "2");
  EXPECT_EQ(splits[1].attribute("fragment.count"), "2");
}

TEST(SplitTextTest, FewerLinesThanTheHeaderGoesToFailure) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "10").set_property("header_line_count", "3");
  runner.enqueue("only\ntwo\n");
  runner.run();
  EXPECT_EQ(runner.count("splits"), 0U);
  EXPECT_EQ(runner.count("original"), 0U);
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("splittext.failure.reason"), HasSubstr("content has 2 lines, fewer than"));
}

// The content is read in blocks (LineReader::kBlock): lines that straddle blocks, and a line longer than a
// block, come out whole and in order.
TEST(SplitTextTest, ContentLargerThanTheReadBlockSplitsTheSameWay) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "1000").set_property("header_line_count", "1");
  std::string body;
  std::vector<std::string> lines;
  for (int i = 0; i < 5000; ++i) {
    std::string line =
        "M" + std::to_string(i) + "," + std::string(static_cast<std::size_t>(300 + i % 700), 'x');
    if (i == 2500) line += std::string(LineReader::kBlock + 12345, 'y');  // longer than a block
    lines.push_back(line);
    body += line + "\n";
  }
  ASSERT_GT(body.size(), 3 * LineReader::kBlock);
  runner.enqueue("meter,notes\n" + body);
  runner.run();
  const auto splits = runner.take("splits");
  ASSERT_EQ(splits.size(), 5U);
  for (std::size_t s = 0; s < splits.size(); ++s) {
    std::string expected = "meter,notes\n";
    for (std::size_t i = s * 1000; i < (s + 1) * 1000; ++i)
      expected += lines[i] + (i % 1000 == 999 ? "" : "\n");
    EXPECT_EQ(splits[s].content, expected) << "split " << s;
    EXPECT_EQ(splits[s].attribute("text.line.count"), "1000");
    EXPECT_EQ(splits[s].attribute("fragment.size"), std::to_string(expected.size()));
  }
}

TEST(SplitTextTest, HeaderOnlySplitsOfLineBreaksKeepTheHeader) {
  ProcessorRunner runner(split_text_definition());
  runner.set_property("line_split_count", "2").set_property("header_line_count", "1");
  runner.enqueue("h\r\na\n\n\n\n");
  runner.run();
  std::vector<std::string> contents;
  for (const auto& s : runner.take("splits")) contents.push_back(s.content);
  // The second split holds only line breaks: it carries the header alone, without its line break.
  EXPECT_EQ(contents, (std::vector<std::string>{"h\r\na", "h"}));
}

TEST(SplitTextTest, BadConfigurations) {
  ProcessorRunner missing(split_text_definition());
  ASSERT_EQ(missing.validate().size(), 1U);
  EXPECT_THAT(missing.validate()[0], HasSubstr("missing required property 'line_split_count'"));

  ProcessorRunner nothing(split_text_definition());
  nothing.set_property("line_split_count", "0");
  nothing.enqueue("x");
  EXPECT_THROW(nothing.run(), std::exception);  // neither a line count nor a size: refused at start
}

}  // namespace
}  // namespace sluice::standard
