#include "route_on_attribute.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

TEST(RouteOnAttributeTest, RouteToPropertyNameSendsToEveryMatchingRule) {
  ProcessorRunner runner(route_on_attribute_definition());
  runner.set_property("alarm", "${status:equals('ALARM')}").set_property("high", "${kwh:toNumber():gt(100)}");
  runner.enqueue("1", {{"status", "ALARM"}, {"kwh", "150"}});
  runner.enqueue("2", {{"status", "OK"}, {"kwh", "150"}});
  runner.enqueue("3", {{"status", "OK"}, {"kwh", "5"}});
  runner.run();
  const auto alarm = runner.take("alarm");
  const auto high = runner.take("high");
  const auto unmatched = runner.take("unmatched");
  ASSERT_EQ(alarm.size(), 1U);
  ASSERT_EQ(high.size(), 2U);
  ASSERT_EQ(unmatched.size(), 1U);
  EXPECT_EQ(alarm[0].content, "1");
  EXPECT_EQ(alarm[0].attribute("RouteOnAttribute.Route"), "alarm");
  EXPECT_EQ(high[0].attribute("RouteOnAttribute.Route"), "high");
  EXPECT_NE(alarm[0].uuid, high[0].uuid);  // a clone per extra match
  EXPECT_EQ(unmatched[0].content, "3");
  EXPECT_THROW(runner.take("matched"), std::invalid_argument);  // not a relationship under this strategy
}

TEST(RouteOnAttributeTest, MatchedWhenAllOrAnyRuleMatches) {
  for (const auto& [strategy, expected_matched] :
       {std::pair{"route_to_matched", 1U}, std::pair{"route_to_any_matched", 2U}}) {
    SCOPED_TRACE(strategy);
    ProcessorRunner runner(route_on_attribute_definition());
    runner.set_property("strategy", strategy)
        .set_property("a", "${x:equals('1')}")
        .set_property("b", "${y:equals('1')}");
    runner.enqueue("both", {{"x", "1"}, {"y", "1"}});
    runner.enqueue("one", {{"x", "1"}, {"y", "0"}});
    runner.enqueue("none", {{"x", "0"}, {"y", "0"}});
    runner.run();
    EXPECT_EQ(runner.count("matched"), expected_matched);
    EXPECT_EQ(runner.count("unmatched"), 3U - expected_matched);
    EXPECT_THROW(runner.take("a"), std::invalid_argument);  // dynamic properties are not relationships here
  }
}

TEST(RouteOnAttributeTest, AnExpressionThatCannotBeEvaluatedGoesToFailure) {
  ProcessorRunner runner(route_on_attribute_definition());
  runner.set_property("high", "${kwh:toNumber():gt(100)}");
  runner.enqueue("x", {{"kwh", "not a number"}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("routeonattribute.failure.reason"), HasSubstr("cannot evaluate"));
}

TEST(RouteOnAttributeTest, ValidationKnowsTheStrategiesAndTheRelationshipNames) {
  ProcessorRunner runner(route_on_attribute_definition());
  runner.set_property("strategy", "route_to_all");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_THAT(runner.validate()[0], HasSubstr("'route_to_all' is not one of"));

  ProcessorRunner clash(route_on_attribute_definition());
  clash.set_property("failure", "${x:isEmpty()}");
  ASSERT_EQ(clash.validate().size(), 1U);
  EXPECT_THAT(clash.validate()[0], HasSubstr("already has a relationship 'failure'"));

  // Under route_to_matched, `matched` is a relationship and a property may be called so.
  ProcessorRunner matched(route_on_attribute_definition());
  matched.set_property("strategy", "route_to_matched").set_property("unrelated", "true");
  EXPECT_TRUE(matched.validate().empty());
}

}  // namespace
}  // namespace sluice::standard
