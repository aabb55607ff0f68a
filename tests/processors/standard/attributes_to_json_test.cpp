#include "attributes_to_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

TEST(AttributesToJsonTest, ListedAttributesInListOrderWithAbsentOnesEmptyOrNull) {
  ProcessorRunner runner(attributes_to_json_definition());
  runner.set_property("attributes", "b, a ,missing");
  runner.enqueue("body", {{"a", "1"}, {"b", "two"}, {"c", "not listed"}});
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("JSONAttributes"), R"({"b":"two","a":"1","missing":""})");
  EXPECT_EQ(out[0].content, "body");  // destination attribute: content untouched

  ProcessorRunner nulls(attributes_to_json_definition());
  nulls.set_property("attributes", "a,missing").set_property("null_value", "true");
  nulls.enqueue("", {{"a", "1"}});
  nulls.run();
  EXPECT_EQ(nulls.take("success")[0].attribute("JSONAttributes"), R"({"a":"1","missing":null})");
}

TEST(AttributesToJsonTest, AllAttributesSortedWithoutCoreOnesToContentAndEscaped) {
  ProcessorRunner runner(attributes_to_json_definition());
  runner.set_property("destination", "content").set_property("include_core_attributes", "false");
  runner.enqueue("old",
                 {{"z", "quote \" and \\ and \n"}, {"a", "bad \xff byte"}, {"mime.type", "text/plain"}});
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, R"({"a":"bad \ufffd byte","z":"quote \" and \\ and \n"})");
  EXPECT_EQ(out[0].attribute("mime.type"), "application/json");
}

TEST(AttributesToJsonTest, RegexSelectsByWholeNameAlongsideTheList) {
  ProcessorRunner runner(attributes_to_json_definition());
  runner.set_property("attributes", "id").set_property("attributes_regex", "meter\\..*");
  runner.enqueue("", {{"id", "7"}, {"meter.kwh", "1.5"}, {"meter.id", "M1"}, {"xmeter.no", "x"}});
  runner.run();
  EXPECT_EQ(runner.take("success")[0].attribute("JSONAttributes"),
            R"({"id":"7","meter.id":"M1","meter.kwh":"1.5"})");
}

TEST(AttributesToJsonTest, BadPropertyValuesAreReportedByValidation) {
  ProcessorRunner runner(attributes_to_json_definition());
  runner.set_property("destination", "flowfile-content").set_property("attributes_regex", "(unclosed");
  const auto problems = runner.validate();
  ASSERT_EQ(problems.size(), 2U) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0] + problems[1], HasSubstr("is not a valid regex"));
  EXPECT_THAT(problems[0] + problems[1], HasSubstr("'flowfile-content' is not one of attribute, content"));
}

}  // namespace
}  // namespace sluice::standard
