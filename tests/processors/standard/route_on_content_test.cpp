#include "route_on_content.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using testkit::ProcessorRunner;

TEST(RouteOnContentTest, EachMatchingRegexIsARelationshipAndClonesShareTheContent) {
  ProcessorRunner runner(route_on_content_definition());
  runner.set_property("errors", "(?m)^ERROR ").set_property("disk", "(?i)disk");
  runner.enqueue("INFO ok\nERROR Disk full\n");
  runner.enqueue("ERROR network down\n");
  runner.enqueue("INFO all good\n");
  runner.run();
  const auto errors = runner.take("errors");
  const auto disk = runner.take("disk");
  const auto unmatched = runner.take("unmatched");
  ASSERT_EQ(errors.size(), 2U);
  ASSERT_EQ(disk.size(), 1U);
  ASSERT_EQ(unmatched.size(), 1U);
  EXPECT_EQ(disk[0].content, "INFO ok\nERROR Disk full\n");
  EXPECT_EQ(disk[0].attribute("RouteOnContent.Route"), "disk");
  EXPECT_EQ(unmatched[0].attribute("RouteOnContent.Route"), "unmatched");
}

TEST(RouteOnContentTest, FullMatchMustSpanTheBufferedContent) {
  ProcessorRunner runner(route_on_content_definition());
  runner.set_property("digits", "[0-9]+").set_property("match", "full").set_property("buffer_size", "4 B");
  runner.enqueue("1234");
  runner.enqueue("12a4");
  runner.enqueue("1234xyz");  // only the first 4 bytes are looked at
  runner.run();
  EXPECT_EQ(runner.count("digits"), 2U);
  EXPECT_EQ(runner.count("unmatched"), 1U);
}

TEST(RouteOnContentTest, RelationshipsMustBeHandledInAFlowAndBadValuesAreReported) {
  ProcessorRunner runner(route_on_content_definition());
  runner.set_property("match", "partial");
  ASSERT_EQ(runner.validate().size(), 1U);
  EXPECT_THAT(runner.validate()[0], ::testing::HasSubstr("'partial' is not one of contains, full"));

  ProcessorRunner clash(route_on_content_definition());
  clash.set_property("unmatched", "x");
  ASSERT_EQ(clash.validate().size(), 1U);
  EXPECT_THAT(clash.validate()[0], ::testing::HasSubstr("already has a relationship 'unmatched'"));

  ProcessorRunner invalid(route_on_content_definition());
  invalid.set_property("broken", "(unclosed");
  invalid.enqueue("x");
  EXPECT_THROW(invalid.run(), std::exception);
}

}  // namespace
}  // namespace sluice::standard
