#include "generate_flow_file.hpp"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using ::sluice::testkit::ProcessorRunner;
using ::testing::HasSubstr;

TEST(GenerateFlowFile, StopsAtCountAndYields) {
  ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("count", "3").set_property("batch_size", "2").set_property("size", "10 B");
  runner.run();
  EXPECT_EQ(runner.count("success"), 2U);
  runner.run();
  EXPECT_EQ(runner.count("success"), 3U);
  EXPECT_FALSE(runner.yielded());
  runner.run();  // count reached
  EXPECT_EQ(runner.count("success"), 3U);
  EXPECT_TRUE(runner.yielded());
  for (const auto& ff : runner.take("success")) EXPECT_EQ(ff.content.size(), 10U);
}

TEST(GenerateFlowFile, SharedOrUniqueContentOfTheGivenSize) {
  for (const bool unique : {false, true}) {
    ProcessorRunner runner(generate_flow_file_definition());
    runner.set_property("batch_size", "2").set_property("size", "100 KiB");  // more than one chunk
    runner.set_property("unique", unique ? "true" : "false");
    runner.run();
    const auto out = runner.take("success");
    ASSERT_EQ(out.size(), 2U);
    EXPECT_EQ(out[0].content.size(), 100U * 1024U);
    EXPECT_EQ(out[0].content == out[1].content, !unique);
    EXPECT_FALSE(runner.yielded());
  }
}

TEST(GenerateFlowFile, TextOverridesSize) {
  ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("text", "hello").set_property("size", "1 KiB");
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, "hello");
}

TEST(GenerateFlowFile, AFailedCommitIsNotCounted) {
  ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("count", "1");
  int failures = 1;
  runner.before_commit([&] {
    if (failures-- > 0) throw std::runtime_error("disk full");
  });
  const auto failed = runner.run();
  EXPECT_TRUE(failed.rolled_back);
  EXPECT_EQ(failed.error, "disk full");
  EXPECT_EQ(runner.count("success"), 0U);
  runner.run();  // the one FlowFile of `count` is still to be made
  EXPECT_EQ(runner.count("success"), 1U);
}

TEST(GenerateFlowFile, RejectsANegativeCount) {
  ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("count", "-1");
  try {
    runner.run();
    ADD_FAILURE() << "on_schedule must refuse a negative count";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("could not be scheduled: count must be 0 (endless) or more, got -1"));
  }
}

TEST(GenerateFlowFile, RejectsAnInvalidSizeLikeValidate) {
  ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("size", "big");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_THAT(runner.validate()[0], HasSubstr("'big' is not a size"));
}

}  // namespace
}  // namespace sluice::standard
