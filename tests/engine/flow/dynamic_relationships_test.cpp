// Dynamic relationships at run time: a processor transfers to a relationship named by one of its dynamic
// properties, the controller routes it like a static one, and a relationship whose condition does not hold
// does not exist.
#include <gtest/gtest.h>

#include "config/relationships.hpp"
#include "sluice/testkit.hpp"

namespace sluice::internal {
namespace {

// Sends each FlowFile to the relationship its `route` attribute names.
class RouteByAttribute final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    for (const FlowFile& ff : session.get(context.batch_size())) {
      session.transfer(ff, ff.attribute("route")->view());
    }
  }
};

const ProcessorDefinition& router_definition() {
  static const ProcessorDefinition kDefinition = [] {
    ProcessorSpec s;
    s.type = "RouteByAttribute";
    s.input = InputRequirement::kRequired;
    s.dynamic_properties = true;
    s.dynamic_relationships = true;
    s.dynamic_relationships_when = PropertyCondition{"strategy", {"by_name"}};
    PropertySpec strategy;
    strategy.name = "strategy";
    strategy.kind = PropertyKind::kEnum;
    strategy.default_value = "by_name";
    strategy.allowed_values = {{"by_name", ""}, {"all", ""}};
    s.properties = {strategy};
    s.relationships = {{"matched", "", PropertyCondition{"strategy", {"all"}}}, {"unmatched", ""}};
    return ProcessorDefinition{s, [] { return std::unique_ptr<Processor>(new RouteByAttribute()); }};
  }();
  return kDefinition;
}

TEST(DynamicRelationshipsTest, ADynamicPropertyIsARelationshipTheEngineRoutesTo) {
  testkit::ProcessorRunner runner(router_definition());
  runner.set_property("big", "x").set_property("small", "y");
  runner.enqueue("1", {{"route", "big"}});
  runner.enqueue("2", {{"route", "small"}});
  runner.enqueue("3", {{"route", "unmatched"}});
  runner.run();
  ASSERT_EQ(runner.count("big"), 1U);
  EXPECT_EQ(runner.take("big")[0].content, "1");
  EXPECT_EQ(runner.take("small")[0].content, "2");
  EXPECT_EQ(runner.take("unmatched")[0].content, "3");
  EXPECT_THROW(runner.take("matched"), std::invalid_argument);  // not under strategy by_name
}

TEST(DynamicRelationshipsTest, TransferToARelationshipThatDoesNotExistInThisConfigurationIsRefused) {
  testkit::ProcessorRunner runner(router_definition());
  runner.set_property("big", "x");
  runner.enqueue("1", {{"route", "matched"}});
  const auto result = runner.run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_NE(result.error.find("unknown relationship 'matched'"), std::string::npos) << result.error;
  EXPECT_EQ(runner.queued(), 1U);
}

TEST(DynamicRelationshipsTest, UnderAnotherStrategyDynamicPropertiesAreNotRelationships) {
  testkit::ProcessorRunner runner(router_definition());
  runner.set_property("strategy", "all").set_property("big", "x");
  runner.enqueue("1", {{"route", "matched"}});
  EXPECT_FALSE(runner.run().rolled_back);
  EXPECT_EQ(runner.count("matched"), 1U);
  runner.enqueue("2", {{"route", "big"}});
  const auto result = runner.run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_NE(result.error.find("unknown relationship 'big'"), std::string::npos) << result.error;
}

TEST(DynamicRelationshipsTest, RelationshipNamesFollowTheConfiguration) {
  const ProcessorSpec& spec = router_definition().spec;
  ProcessorModel p;
  p.properties["zeta"].value = "x";
  p.properties["alpha"].value = "y";
  EXPECT_EQ(relationship_names(p, spec), (std::vector<std::string>{"unmatched", "alpha", "zeta"}));
  p.properties["strategy"].value = "all";
  EXPECT_EQ(relationship_names(p, spec), (std::vector<std::string>{"matched", "unmatched"}));
}

}  // namespace
}  // namespace sluice::internal
