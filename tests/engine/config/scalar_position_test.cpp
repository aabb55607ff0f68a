// A position inside a property's value maps back to where that character was written in the YAML file,
// whatever the scalar's style.
#include "config/scalar_position.hpp"

#include <gtest/gtest.h>

namespace sluice::internal {
namespace {

// A value the parser saw at line 3, column `column`, with what scalar_source gave for it.
struct Written {
  Located located;
  std::string source;
};

// `yaml` holds the scalar at `offset`.
Written located(std::string_view yaml, std::size_t offset, std::string value, int column) {
  Written w{Located{std::move(value), SourcePos{"f.yaml", 3, column}}, {}};
  w.source = scalar_source(yaml, offset, w.located.value);
  return w;
}

SourcePos value_char_pos(const Written& w, std::size_t index) {
  return internal::value_char_pos(w.located, w.source, index);
}

TEST(ScalarPositionTest, PlainOneLineScalarsNeedNoSource) {
  const std::string_view yaml = "  key: ${a:x()}\n";
  const Written v = located(yaml, 7, "${a:x()}", 8);
  EXPECT_TRUE(v.source.empty());
  EXPECT_EQ(value_char_pos(v, 4).column, 12);
  EXPECT_EQ(value_char_pos(v, 4).line, 3);
}

TEST(ScalarPositionTest, SingleQuotesAndTheirDoubledQuote) {
  const std::string_view yaml = "  key: 'it''s ${a:x()}'\n";
  const Written v = located(yaml, 7, "it's ${a:x()}", 8);
  EXPECT_EQ(v.source, "'it''s ${a:x()}'");
  // value index 5 is '$': after the opening quote and the doubled quote, it sits two columns further on
  EXPECT_EQ(value_char_pos(v, 5).column, 8 + 1 + 6);
  EXPECT_EQ(value_char_pos(v, 0).column, 9);
}

TEST(ScalarPositionTest, DoubleQuotesWithEscapes) {
  const std::string_view yaml = "  key: \"a\\tb\\u00e9${x}\"\n";
  const Written v = located(yaml, 7, "a\tb\xC3\xA9${x}", 8);
  EXPECT_EQ(value_char_pos(v, 0).column, 9);   // a
  EXPECT_EQ(value_char_pos(v, 1).column, 10);  // \t written as two characters
  EXPECT_EQ(value_char_pos(v, 2).column, 12);  // b
}

TEST(ScalarPositionTest, LiteralBlockScalarsMoveToTheirLine) {
  const std::string_view yaml = "  key: |\n    line one\n    ${b:x()}\n";
  const Written v = located(yaml, 7, "line one\n${b:x()}\n", 8);
  const SourcePos at = value_char_pos(v, 9);  // the '$' on the second content line
  EXPECT_EQ(at.line, 5);
  EXPECT_EQ(at.column, 5);
  const SourcePos first = value_char_pos(v, 0);
  EXPECT_EQ(first.line, 4);
  EXPECT_EQ(first.column, 5);
}

TEST(ScalarPositionTest, FoldedPlainScalarsAcrossLines) {
  const std::string_view yaml = "  key: one\n    two ${c}\n";
  const Written v = located(yaml, 7, "one two ${c}", 8);
  EXPECT_FALSE(v.source.empty());
  const SourcePos at = value_char_pos(v, 8);  // '$'
  EXPECT_EQ(at.line, 4);
  EXPECT_EQ(at.column, 9);
}

}  // namespace
}  // namespace sluice::internal
