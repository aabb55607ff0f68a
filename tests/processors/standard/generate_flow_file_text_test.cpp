// GenerateFlowFile's `text` as an expression, through the test kit.
#include <gtest/gtest.h>

#include "generate_flow_file.hpp"
#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

TEST(GenerateFlowFileTextTest, TextIsAnExpressionEvaluatedPerFlowFile) {
  testkit::ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("text", "id=${uuid} at=${now():toNumber()}").set_property("batch_size", "2");
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].content, "id=" + out[0].uuid + " at=" + std::to_string(runner.now_ms()));
  EXPECT_NE(out[0].content, out[1].content);
}

TEST(GenerateFlowFileTextTest, LiteralTextIsWrittenAsItIsWithEscapesUnescaped) {
  testkit::ProcessorRunner runner(generate_flow_file_definition());
  runner.set_property("text", "price: $${amount}");
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, "price: ${amount}");
}

}  // namespace
}  // namespace sluice::standard
