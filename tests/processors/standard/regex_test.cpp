#include "regex.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/context.hpp"

namespace sluice::standard {
namespace {

TEST(RegexTest, GroupsOffsetsAndFullMatches) {
  const Regex r = Regex::compile("(\\w+)@(\\w+)?", "test");
  EXPECT_EQ(r.capture_count(), 2U);
  Matcher m(r);
  ASSERT_TRUE(m.find("mail: ada@ and bob@host", 0));
  EXPECT_EQ(m.group(0), "ada@");
  EXPECT_EQ(m.group(1), "ada");
  EXPECT_FALSE(m.group(2).has_value());  // did not participate
  EXPECT_EQ(m.start(), 6U);
  ASSERT_TRUE(m.find("mail: ada@ and bob@host", m.end()));
  EXPECT_EQ(m.group(2), "host");
  EXPECT_TRUE(r.full_match("x@y"));
  EXPECT_FALSE(r.full_match("x@y!"));
}

TEST(RegexTest, JavaStyleInlineFlagsAndOptions) {
  EXPECT_TRUE(Regex::compile("(?i)hello", "t").full_match("HeLLo"));
  EXPECT_TRUE(Regex::compile("a.b", "t", RegexOptions{false, false, true}).full_match("a\nb"));
  EXPECT_FALSE(Regex::compile("a.b", "t").full_match("a\nb"));
}

TEST(RegexTest, AnInvalidPatternNamesWhatAndWhere) {
  try {
    (void)Regex::compile("ab(c", "property 'x'");
    FAIL() << "compiled";
  } catch (const ProcessorError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("property 'x': 'ab(c' is not a valid regex"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("at offset 4"));
  }
}

}  // namespace
}  // namespace sluice::standard
