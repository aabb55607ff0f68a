// The test kit drives one processor through the real engine: these tests pin down what plugin authors
// rely on (validation, output capture, rollback, state across a restart, the injected clock).
#include <filesystem>

#include <gtest/gtest.h>

#include "../flow/test_processors.hpp"
#include "../repository/repository_test_support.hpp"
#include "sluice/testkit.hpp"

namespace sluice::testkit {
namespace {

TEST(ProcessorRunnerTest, CapturesWhatEachRelationshipReceivedWithAttributesAndContent) {
  static const ProcessorDefinition kSplit = sluice::testing::split_parity_definition();
  ProcessorRunner runner(kSplit);
  for (int n = 0; n < 5; ++n) runner.enqueue("content-" + std::to_string(n), {{"n", std::to_string(n)}});
  EXPECT_EQ(runner.queued(), 5U);
  runner.run();
  EXPECT_EQ(runner.queued(), 0U);
  EXPECT_EQ(runner.count("even"), 3U);
  const auto odd = runner.take("odd");
  ASSERT_EQ(odd.size(), 2U);
  EXPECT_EQ(odd[0].content, "content-1");
  EXPECT_EQ(odd[0].attribute("n"), "1");
  EXPECT_EQ(odd[1].attribute("n"), "3");
  EXPECT_FALSE(odd[0].attribute("uuid").empty());  // core attributes are there too
  EXPECT_EQ(runner.count("odd"), 0U);              // taken
  EXPECT_THROW(runner.take("nonexistent"), std::invalid_argument);
}

TEST(ProcessorRunnerTest, RefusesAnInvalidConfigurationLikeValidateWould) {
  static const ProcessorDefinition kEmit = sluice::testing::emit_definition();
  ProcessorRunner runner(kEmit);
  runner.set_property("count", "many");
  runner.set_property("colour", "blue");
  const auto problems = runner.validate();
  ASSERT_EQ(problems.size(), 2U) << ::testing::PrintToString(problems);
  const std::string all = problems[0] + "\n" + problems[1];
  EXPECT_NE(all.find("'many' is not an integer"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown property 'colour'"), std::string::npos) << all;
  EXPECT_THROW(runner.run(), std::invalid_argument);
  EXPECT_THROW(runner.enqueue("x"), std::logic_error);  // a source takes no input
}

TEST(ProcessorRunnerTest, AThrowingTriggerRollsBackAndReportsTheError) {
  static const ProcessorDefinition kThrow = sluice::testing::throw_definition();
  ProcessorRunner runner(kThrow);
  runner.enqueue("x");
  const TriggerResult result = runner.run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_EQ(result.error, "boom");
  EXPECT_EQ(runner.queued(), 1U);  // back in its queue, untouched
}

TEST(ProcessorRunnerTest, StateAndQueuesSurviveARestartOnADataDirectory) {
  static const ProcessorDefinition kCount = sluice::testing::count_state_definition();
  internal::testing_support::TempDir dir;
  {
    ProcessorRunner runner(kCount);
    runner.use_data_dir(dir.path());
    runner.set_batch(3);
    for (int i = 0; i < 5; ++i) runner.enqueue("x");
    runner.run();  // takes 3 of 5
    EXPECT_EQ(runner.state("count"), "3");
    EXPECT_EQ(runner.take("success").size(), 3U);
  }
  ProcessorRunner again(kCount);
  again.use_data_dir(dir.path());
  EXPECT_EQ(again.run_until_empty(), 1);  // the 2 left were recovered
  EXPECT_EQ(again.state("count"), "5");
  EXPECT_EQ(again.take("success").size(), 2U);
}

TEST(ProcessorRunnerTest, TheClockMovesOnlyWhenTold) {
  static const ProcessorDefinition kPass = sluice::testing::pass_definition();
  ProcessorRunner runner(kPass);
  const std::int64_t start = runner.now_ms();
  runner.advance(std::chrono::minutes(2));
  EXPECT_EQ(runner.now_ms(), start + 120'000);
  runner.set_now(42);
  EXPECT_EQ(runner.now_ms(), 42);
}

}  // namespace
}  // namespace sluice::testkit
