#include "extract_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using testkit::ProcessorRunner;

TEST(ExtractTextTest, GroupsBecomeIndexedAttributesAndTheFirstGroupTheNamedOne) {
  ProcessorRunner runner(extract_text_definition());
  runner.set_property("meter", "meter=(M\\d+) kwh=([0-9.]+)").set_property("regex", "abc(def)?(g)");
  runner.enqueue("header\nmeter=M42 kwh=12.5\nabcg\n");
  runner.run();
  const auto out = runner.take("matched");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("meter"), "M42");
  EXPECT_EQ(out[0].attribute("meter.0"), "meter=M42 kwh=12.5");
  EXPECT_EQ(out[0].attribute("meter.1"), "M42");
  EXPECT_EQ(out[0].attribute("meter.2"), "12.5");
  // NiFi's documented example: an optional group that did not participate leaves a gap.
  EXPECT_FALSE(out[0].attributes.contains("regex.1"));
  EXPECT_EQ(out[0].attribute("regex.2"), "g");
}

TEST(ExtractTextTest, RepeatingMatchesContinueTheNumberingAndValuesAreClipped) {
  ProcessorRunner runner(extract_text_definition());
  runner.set_property("id", "id=(\\w+)")
      .set_property("repeating", "true")
      .set_property("include_capture_group_0", "false")
      .set_property("max_capture_group_length", "4 B");
  runner.enqueue("id=a id=bb id=cccccc");
  runner.run();
  const auto out = runner.take("matched");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("id"), "a");
  EXPECT_EQ(out[0].attribute("id.1"), "a");
  EXPECT_EQ(out[0].attribute("id.2"), "bb");
  EXPECT_EQ(out[0].attribute("id.3"), "cccc");
  EXPECT_FALSE(out[0].attributes.contains("id.0"));
}

TEST(ExtractTextTest, OptionsAndTheBufferLimit) {
  ProcessorRunner runner(extract_text_definition());
  runner.set_property("word", "^(hello)$")
      .set_property("case_insensitive", "true")
      .set_property("multiline", "true")
      .set_property("max_buffer_size", "12 B");
  runner.enqueue("first\nHELLO\n");       // within the first 12 bytes
  runner.enqueue("first line\nhello\n");  // beyond them
  runner.run();
  const auto matched = runner.take("matched");
  ASSERT_EQ(matched.size(), 1U);
  EXPECT_EQ(matched[0].attribute("word"), "HELLO");
  const auto unmatched = runner.take("unmatched");
  ASSERT_EQ(unmatched.size(), 1U);
  EXPECT_FALSE(unmatched[0].attributes.contains("word"));
}

TEST(ExtractTextTest, ARegexWithoutGroupsAndWithoutGroupZeroIsRefused) {
  ProcessorRunner runner(extract_text_definition());
  runner.set_property("x", "abc").set_property("include_capture_group_0", "false");
  runner.enqueue("abc");
  EXPECT_THROW(runner.run(), std::exception);

  ProcessorRunner invalid(extract_text_definition());
  invalid.set_property("x", "(unclosed");
  invalid.enqueue("abc");
  EXPECT_THROW(invalid.run(), std::exception);

  ProcessorRunner bad_size(extract_text_definition());
  bad_size.set_property("max_buffer_size", "huge");
  EXPECT_EQ(bad_size.validate().size(), 1U);
}

}  // namespace
}  // namespace sluice::standard
