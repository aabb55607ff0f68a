// FilterLines in the real engine (sessions, repositories, validation), through the test kit.
#include "filter_lines.hpp"

#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace line_filter {
namespace {

using sluice::testkit::ProcessorRunner;

TEST(FilterLines, KeepsTheMatchingLinesWithTheOriginalsAttributes) {
  ProcessorRunner runner(filter_lines_definition());
  runner.set_property("contains", "ERROR");
  runner.enqueue("INFO start\nERROR disk full\nINFO retry\nERROR gave up", {{"filename", "app.log"}});
  runner.run();

  const auto matched = runner.take("matched");
  ASSERT_EQ(matched.size(), 1U);
  EXPECT_EQ(matched[0].content, "ERROR disk full\nERROR gave up");
  EXPECT_EQ(matched[0].attribute("filename"), "app.log");
  EXPECT_EQ(matched[0].attribute("filterlines.kept"), "2");
  EXPECT_EQ(matched[0].attribute("filterlines.total"), "4");
  EXPECT_EQ(runner.count("unmatched"), 0U);  // the original was replaced, not passed on
}

TEST(FilterLines, InvertKeepsTheOtherLines) {
  ProcessorRunner runner(filter_lines_definition());
  runner.set_property("contains", "DEBUG").set_property("invert", "true");
  runner.enqueue("DEBUG a\nINFO b\nDEBUG c\n");
  runner.run();
  const auto matched = runner.take("matched");
  ASSERT_EQ(matched.size(), 1U);
  EXPECT_EQ(matched[0].content, "INFO b\n");
}

TEST(FilterLines, AFlowFileWithoutMatchesGoesToUnmatchedUnchanged) {
  ProcessorRunner runner(filter_lines_definition());
  runner.set_property("contains", "ERROR");
  runner.enqueue("all good\n", {{"filename", "quiet.log"}});
  runner.enqueue("");  // empty content: no line at all
  runner.run();
  const auto unmatched = runner.take("unmatched");
  ASSERT_EQ(unmatched.size(), 2U);
  EXPECT_EQ(unmatched[0].content, "all good\n");
  EXPECT_EQ(unmatched[0].attribute("filename"), "quiet.log");
  EXPECT_EQ(unmatched[0].attribute("filterlines.total"), "1");
  EXPECT_EQ(unmatched[1].attribute("filterlines.total"), "0");
  EXPECT_EQ(runner.count("matched"), 0U);
}

TEST(FilterLines, ContainsIsEvaluatedPerFlowFile) {
  if (sluice::Expression::compile("${customer}").is_literal()) {
    GTEST_SKIP() << "this engine evaluates expressions as literal text (no expression language yet)";
  }
  ProcessorRunner runner(filter_lines_definition());
  runner.set_property("contains", "${customer}");
  runner.enqueue("acme 1\nglobex 2\nacme 3\n", {{"customer", "acme"}});
  runner.enqueue("acme 1\nglobex 2\nacme 3\n", {{"customer", "globex"}});
  runner.run();
  const auto matched = runner.take("matched");
  ASSERT_EQ(matched.size(), 2U);
  EXPECT_EQ(matched[0].content, "acme 1\nacme 3\n");
  EXPECT_EQ(matched[1].content, "globex 2\n");
}

TEST(FilterLines, RequiresContains) {
  ProcessorRunner runner(filter_lines_definition());
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_NE(runner.validate()[0].find("missing required property 'contains'"), std::string::npos)
      << runner.validate()[0];
  runner.set_property("invert", "perhaps").set_property("contains", "x");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_NE(runner.validate()[0].find("'perhaps' is not a boolean"), std::string::npos)
      << runner.validate()[0];
}

TEST(FilterLines, TakesABatchPerTrigger) {
  ProcessorRunner runner(filter_lines_definition());
  runner.set_property("contains", "x").set_batch(2);
  for (int i = 0; i < 5; ++i) runner.enqueue("x\n");
  runner.run();
  EXPECT_EQ(runner.count("matched"), 2U);
  EXPECT_EQ(runner.queued(), 3U);
  EXPECT_EQ(runner.run_until_empty(), 2);
  EXPECT_EQ(runner.count("matched"), 5U);
}

}  // namespace
}  // namespace line_filter
