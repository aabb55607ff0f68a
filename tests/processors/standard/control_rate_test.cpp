#include "control_rate.hpp"

#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using namespace std::chrono_literals;
using testkit::ProcessorRunner;

std::vector<std::string> contents(const std::vector<testkit::OutputFlowFile>& out) {
  std::vector<std::string> c;
  c.reserve(out.size());
  for (const auto& ff : out) c.push_back(ff.content);
  return c;
}

TEST(ControlRateTest, CountPerWindowHoldsTheRestInOrderUntilTheNextWindow) {
  ProcessorRunner runner(control_rate_definition());
  runner.set_property("rate_control_criteria", "flowfile_count")
      .set_property("max_rate", "2")
      .set_property("time_duration", "1 s");
  for (const char* c : {"1", "2", "3", "4", "5"}) runner.enqueue(c);
  runner.run();
  EXPECT_EQ(contents(runner.take("success")), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(runner.queued(), 0U);  // the other three wait in the processor's held session
  runner.run();                    // same window: nothing more
  EXPECT_EQ(runner.count("success"), 0U);
  EXPECT_TRUE(runner.yielded());
  runner.advance(1s);
  runner.run();
  EXPECT_EQ(contents(runner.take("success")), (std::vector<std::string>{"3", "4"}));
  runner.advance(1s);
  runner.run();
  EXPECT_EQ(contents(runner.take("success")), (std::vector<std::string>{"5"}));
}

TEST(ControlRateTest, DataRateLetsTheFirstOfAWindowThroughEvenIfLarge) {
  ProcessorRunner runner(control_rate_definition());
  runner.set_property("max_rate", "10 B").set_property("time_duration", "1 min");
  runner.enqueue(std::string(25, 'x'));
  runner.enqueue("small");
  runner.run();
  EXPECT_EQ(runner.count("success"), 1U);  // the large one, alone in its window
  runner.advance(60s);
  runner.run();
  EXPECT_EQ(runner.count("success"), 2U);
}

TEST(ControlRateTest, GroupsHaveTheirOwnBudgetAndBadAmountsFail) {
  ProcessorRunner runner(control_rate_definition());
  runner.set_property("rate_control_criteria", "attribute_value")
      .set_property("rate_controlled_attribute", "kwh")
      .set_property("max_rate", "10")
      .set_property("grouping_attribute", "meter")
      .set_property("time_duration", "1 s");
  runner.enqueue("a1", {{"meter", "A"}, {"kwh", "6"}});
  runner.enqueue("a2", {{"meter", "A"}, {"kwh", "6"}});  // over A's budget: waits
  runner.enqueue("b1", {{"meter", "B"}, {"kwh", "9.5"}});
  runner.enqueue("bad", {{"meter", "B"}, {"kwh", "lots"}});
  runner.run();
  EXPECT_EQ(contents(runner.take("success")), (std::vector<std::string>{"a1", "b1"}));
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("controlrate.failure.reason"),
              ::testing::HasSubstr("not a non-negative number"));
  runner.advance(1s);
  runner.run();
  EXPECT_EQ(contents(runner.take("success")), (std::vector<std::string>{"a2"}));
}

TEST(ControlRateTest, WaitingFlowFilesGoBackToTheQueueOnStop) {
  ProcessorRunner runner(control_rate_definition());
  runner.set_property("rate_control_criteria", "flowfile_count").set_property("max_rate", "1");
  for (const char* c : {"1", "2", "3"}) runner.enqueue(c);
  runner.run();
  EXPECT_EQ(runner.count("success"), 1U);
  EXPECT_EQ(runner.queued(), 0U);
  runner.stop();
  EXPECT_EQ(runner.queued(), 2U);
}

TEST(ControlRateTest, BadConfigurations) {
  ProcessorRunner missing(control_rate_definition());
  EXPECT_EQ(missing.validate().size(), 1U);  // max_rate is required

  ProcessorRunner not_a_size(control_rate_definition());
  not_a_size.set_property("max_rate", "fast");
  not_a_size.enqueue("x");
  EXPECT_THROW(not_a_size.run(), std::exception);

  ProcessorRunner no_attribute(control_rate_definition());
  no_attribute.set_property("rate_control_criteria", "attribute_value").set_property("max_rate", "5");
  no_attribute.enqueue("x");
  EXPECT_THROW(no_attribute.run(), std::exception);
}

}  // namespace
}  // namespace sluice::standard
