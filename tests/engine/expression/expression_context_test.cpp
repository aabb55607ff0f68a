// ProcessContext::expression() end to end: a processor defined here reads a kExpression property and its
// dynamic properties through the real engine (the test kit), evaluates them per FlowFile with the
// engine's clock, and the validation that `sluice validate` runs catches a bad expression first.
#include <gtest/gtest.h>

#include "sluice/sdk.hpp"
#include "sluice/testkit.hpp"

namespace sluice {
namespace {

// Writes `label` and every dynamic property, evaluated, as attributes; routes on `route`.
class LabelProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const Expression& label = context.expression("label");
    const Expression& route = context.expression("route");
    const auto dynamic = context.dynamic_properties();
    for (FlowFile& ff : session.get(context.batch_size())) {
      const EvaluationEnvironment env = context.environment();
      session.put_attribute(ff, "label", label.evaluate(ff, env));
      for (const auto& [name, text] : dynamic) {
        session.put_attribute(ff, name, context.expression(name).evaluate(ff, env));
      }
      session.transfer(ff, route.evaluate_bool(FlowFileVariables(ff), env) ? "matched" : "unmatched");
    }
  }
};

const ProcessorDefinition& label_definition() {
  static const ProcessorDefinition kDefinition = [] {
    ProcessorSpec s;
    s.type = "Label";
    s.input = InputRequirement::kRequired;
    s.dynamic_properties = true;
    s.properties = {
        {.name = "label",
         .description = "the label",
         .kind = PropertyKind::kExpression,
         .default_value = "${filename}"},
        {.name = "route",
         .description = "true: matched",
         .kind = PropertyKind::kExpression,
         .default_value = "false"},
    };
    s.relationships = {{"matched", ""}, {"unmatched", ""}};
    return ProcessorDefinition{s, [] { return std::unique_ptr<Processor>(new LabelProcessor()); }};
  }();
  return kDefinition;
}

TEST(ExpressionContextTest, PropertiesAreCompiledOnceAndEvaluatedPerFlowFile) {
  testkit::ProcessorRunner runner(label_definition());
  runner.set_property("label", "${filename:substringBefore('.'):toUpper()}-${now():format('yyyy')}");
  runner.set_property("route", "${status:equals('ALARM'):or(${kwh:toNumber():gt(100)})}");
  runner.set_property("size_class", "${fileSize:gt(3):ifElse('big', 'small')}");
  runner.enqueue("abcd", {{"filename", "meter.csv"}, {"status", "ALARM"}, {"kwh", "5"}});
  runner.enqueue("ab", {{"filename", "grid.csv"}, {"status", "OK"}, {"kwh", "250"}});
  runner.enqueue("", {{"filename", "idle.csv"}, {"status", "OK"}, {"kwh", "1"}});
  runner.run();

  const auto matched = runner.take("matched");
  ASSERT_EQ(matched.size(), 2U);
  EXPECT_EQ(matched[0].attribute("label"), "METER-2023");  // the test kit's clock starts in 2023
  EXPECT_EQ(matched[0].attribute("size_class"), "big");    // fileSize is a core attribute
  EXPECT_EQ(matched[1].attribute("label"), "GRID-2023");
  EXPECT_EQ(matched[1].attribute("size_class"), "small");
  const auto unmatched = runner.take("unmatched");
  ASSERT_EQ(unmatched.size(), 1U);
  EXPECT_EQ(unmatched[0].attribute("label"), "IDLE-2023");
}

TEST(ExpressionContextTest, TheEnvironmentCarriesTheEnginesClock) {
  testkit::ProcessorRunner runner(label_definition());
  runner.set_property("label", "${now():toNumber()}");
  runner.set_now(1'234'567'890'123);
  runner.enqueue("x");
  runner.run();
  EXPECT_EQ(runner.take("unmatched").at(0).attribute("label"), "1234567890123");
}

TEST(ExpressionContextTest, DefaultsAreCompiledToo) {
  testkit::ProcessorRunner runner(label_definition());
  runner.enqueue("x", {{"filename", "a.txt"}});
  runner.run();
  EXPECT_EQ(runner.take("unmatched").at(0).attribute("label"), "a.txt");
}

TEST(ExpressionContextTest, ValidationReportsABadExpressionWithItsColumn) {
  testkit::ProcessorRunner runner(label_definition());
  runner.set_property("label", "${filename:toUpperCase()}");
  runner.set_property("extra", "${a:equals(}");
  const auto problems = runner.validate();
  ASSERT_EQ(problems.size(), 2U) << ::testing::PrintToString(problems);
  const std::string all = problems[0] + "\n" + problems[1];
  EXPECT_NE(all.find("unknown function 'toUpperCase' (did you mean 'toUpper'?)"), std::string::npos) << all;
  EXPECT_NE(all.find("property 'extra'"), std::string::npos) << all;
  EXPECT_THROW(runner.run(), std::invalid_argument);
}

TEST(ExpressionContextTest, AnEvaluationErrorRollsTheSessionBack) {
  testkit::ProcessorRunner runner(label_definition());
  runner.set_property("label", "${kwh:toNumber()}");
  runner.enqueue("x", {{"kwh", "lots"}});
  const auto result = runner.run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_NE(result.error.find("'lots' is not a number"), std::string::npos) << result.error;
  EXPECT_EQ(runner.queued(), 1U);
}

}  // namespace
}  // namespace sluice
