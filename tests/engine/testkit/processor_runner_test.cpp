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

TEST(ProcessorRunnerTest, EnablesServicesForTheProcessorLikeTheEngine) {
  static const ProcessorDefinition kGreet = sluice::testing::greet_definition();
  static const ServiceDefinition kGreeter = sluice::testing::greeter_service_definition();
  sluice::testing::LifecycleLog::take();
  {
    ProcessorRunner runner(kGreet);
    runner.add_service("plain", kGreeter, {{"greeting", "hello"}});
    runner.add_service("polite", kGreeter, {{"greeting", "good day"}, {"inner", "plain"}});
    runner.set_property("greeter", "polite");
    EXPECT_TRUE(runner.validate().empty()) << ::testing::PrintToString(runner.validate());
    runner.enqueue("", {{"name", "Ada"}});
    runner.run();
    const auto out = runner.take("success");
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].attribute("greeting"), "(hello, good day, Ada)");
    EXPECT_THROW(runner.add_service("late", kGreeter), std::logic_error);
  }
  EXPECT_EQ(
      sluice::testing::LifecycleLog::take(),
      (std::vector<std::string>{"enable:plain", "enable:polite using hello, inner", "schedule:under_test",
                                "stop:under_test", "disable:polite", "disable:plain"}));
}

TEST(ProcessorRunnerTest, ValidatesServicesAndTheReferencesToThem) {
  static const ProcessorDefinition kGreet = sluice::testing::greet_definition();
  static const ServiceDefinition kGreeter = sluice::testing::greeter_service_definition();
  ProcessorRunner runner(kGreet);
  runner.add_service("polite", kGreeter, {{"volume", "loud"}});
  runner.set_property("greeter", "rude");
  const auto problems = runner.validate();
  ASSERT_EQ(problems.size(), 2U) << ::testing::PrintToString(problems);
  EXPECT_EQ(
      problems[0],
      "property 'greeter' of 'under_test': 'rude' is not a declared service (expected the id of a service "
      "under services: that provides Greeter; declared services that do: polite)");
  EXPECT_EQ(
      problems[1],
      "unknown property 'volume' of 'polite' (GreeterService) (expected one of: greeting, inner, fail)");
  EXPECT_THROW(runner.add_service("polite", kGreeter), std::invalid_argument);  // the id is taken
  EXPECT_THROW(runner.run(), std::invalid_argument);
}

TEST(ProcessorRunnerTest, AServiceThatFailsToEnableFailsTheRun) {
  static const ProcessorDefinition kGreet = sluice::testing::greet_definition();
  static const ServiceDefinition kGreeter = sluice::testing::greeter_service_definition();
  ProcessorRunner runner(kGreet);
  runner.add_service("g", kGreeter, {{"fail", "true"}});
  runner.set_property("greeter", "g");
  EXPECT_THROW(
      {
        try {
          runner.run();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(),
                       "service 'g' (GreeterService) could not be enabled: cannot reach the greeting server");
          throw;
        }
      },
      std::runtime_error);
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
