#include "update_attribute.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using testkit::ProcessorRunner;

TEST(UpdateAttributeTest, EveryValueIsComputedFromTheIncomingAttributes) {
  ProcessorRunner runner(update_attribute_definition());
  runner.set_property("a", "${b}")
      .set_property("b", "new-b")
      .set_property("greeting", "hello ${name:toUpper()}");
  runner.set_property("plain", "literal text");
  runner.enqueue("", {{"b", "old-b"}, {"name", "ada"}});
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("a"), "old-b");  // not the b set in the same pass
  EXPECT_EQ(out[0].attribute("b"), "new-b");
  EXPECT_EQ(out[0].attribute("greeting"), "hello ADA");
  EXPECT_EQ(out[0].attribute("plain"), "literal text");
}

TEST(UpdateAttributeTest, DeleteAttributesRemovesMatchingIncomingOnesEvenIfSet) {
  ProcessorRunner runner(update_attribute_definition());
  runner.set_property("delete_attributes", "tmp\\..*")
      .set_property("tmp.keep", "set")
      .set_property("tmpx", "1");
  runner.enqueue("", {{"tmp.a", "1"}, {"tmp.keep", "old"}, {"other", "2"}});
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_FALSE(out[0].attributes.contains("tmp.a"));
  EXPECT_FALSE(out[0].attributes.contains("tmp.keep"));  // present on arrival: deleted although set
  EXPECT_EQ(out[0].attribute("tmpx"), "1");              // the regex must match the whole name
  EXPECT_EQ(out[0].attribute("other"), "2");
}

TEST(UpdateAttributeTest, CoreAttributesCannotBeChanged) {
  ProcessorRunner runner(update_attribute_definition());
  runner.set_property("uuid", "mine").set_property("filename", "renamed.txt");
  runner.enqueue("x");
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_NE(out[0].attribute("uuid"), "mine");
  EXPECT_EQ(out[0].attribute("filename"), "renamed.txt");  // filename is an ordinary attribute
}

TEST(UpdateAttributeTest, AnExpressionThatCannotBeEvaluatedGoesToFailureUnchanged) {
  ProcessorRunner runner(update_attribute_definition());
  runner.set_property("n", "${v:toNumber():plus(1)}");
  runner.enqueue("", {{"v", "41"}});
  runner.enqueue("", {{"v", "forty-one"}});
  runner.run();
  ASSERT_EQ(runner.count("success"), 1U);
  EXPECT_EQ(runner.take("success")[0].attribute("n"), "42");
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_FALSE(failed[0].attributes.contains("n"));
  EXPECT_THAT(failed[0].attribute("updateattribute.failure.reason"), ::testing::HasSubstr("cannot evaluate"));
}

TEST(UpdateAttributeTest, ABadDeleteRegexIsReportedByValidation) {
  ProcessorRunner runner(update_attribute_definition());
  runner.set_property("delete_attributes", "[unclosed");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_THAT(runner.validate()[0], ::testing::HasSubstr("is not a valid regex"));
}

}  // namespace
}  // namespace sluice::standard
