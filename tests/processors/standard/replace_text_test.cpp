#include "replace_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

std::string replaced(const std::map<std::string, std::string>& properties, const std::string& content,
                     const std::map<std::string, std::string>& attributes = {}) {
  ProcessorRunner runner(replace_text_definition());
  for (const auto& [k, v] : properties) runner.set_property(k, v);
  runner.enqueue(content, attributes);
  runner.run();
  const auto out = runner.take("success");
  return out.size() == 1 ? out[0].content : "<not in success>";
}

TEST(ReplaceTextTest, RegexReplaceWithGroupsLineByLineKeepsLineBreaks) {
  EXPECT_EQ(
      replaced({{"search_value", "(\\w+)=(\\d+)"}, {"replacement_value", "$2:$1"}}, "a=1 b=22\r\nc=3\nno\n"),
      "1:a 22:b\r\n3:c\nno\n");
  // The defaults replace each line by itself: the content is unchanged.
  EXPECT_EQ(replaced({}, "x\ny\n\nz"), "x\ny\n\nz");
  // `\$` is a literal dollar; `$9` of a regex with one group stays as written; `$1` then a digit.
  EXPECT_EQ(replaced({{"search_value", "(\\d)"}, {"replacement_value", "\\$$1$9$10"}}, "7"),
            "$7$97"
            "0");
}

TEST(ReplaceTextTest, EntireModeSeesLineBreaksAndEmptyMatchesProgress) {
  EXPECT_EQ(
      replaced({{"search_value", "\\n+"}, {"replacement_value", " "}, {"evaluation", "entire"}}, "a\n\nb\nc"),
      "a b c");
  EXPECT_EQ(replaced({{"search_value", "x*"}, {"replacement_value", "-"}, {"evaluation", "entire"}}, "abc"),
            "-a-b-c-");
}

TEST(ReplaceTextTest, LiteralPrependAppendAlways) {
  EXPECT_EQ(
      replaced(
          {{"replacement_strategy", "literal_replace"}, {"search_value", "a.b"}, {"replacement_value", "$1"}},
          "a.b axb a.b"),
      "$1 axb $1");
  EXPECT_EQ(replaced({{"replacement_strategy", "prepend"}, {"replacement_value", "> "}}, "one\ntwo\n"),
            "> one\n> two\n");
  EXPECT_EQ(
      replaced({{"replacement_strategy", "append"}, {"replacement_value", ";"}, {"evaluation", "entire"}},
               "one\ntwo\n"),
      "one\ntwo\n;");
  EXPECT_EQ(replaced({{"replacement_strategy", "always_replace"}, {"replacement_value", "X"}}, "one\r\ntwo"),
            "X\r\nX");
}

TEST(ReplaceTextTest, TheReplacementIsAnExpressionThatCanTransformGroups) {
  EXPECT_EQ(replaced({{"replacement_strategy", "prepend"}, {"replacement_value", "${filename},"}}, "r1\nr2\n",
                     {{"filename", "m.csv"}}),
            "m.csv,r1\nm.csv,r2\n");
  EXPECT_EQ(
      replaced({{"search_value", "id=(\\w+)"}, {"replacement_value", "ID=${'$1':toUpper()}"}}, "id=abc id=x"),
      "ID=ABC ID=X");
}

TEST(ReplaceTextTest, ALineOrContentOverTheBufferGoesToFailureUnchanged) {
  const std::string long_line = "short\n" + std::string(100, 'x') + "\nshort\n";
  ProcessorRunner runner(replace_text_definition());
  runner.set_property("max_buffer_size", "64 B")
      .set_property("search_value", "x")
      .set_property("replacement_value", "y");
  runner.enqueue(long_line);
  runner.enqueue("fits\n");
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].content, long_line);
  EXPECT_THAT(failed[0].attribute("replacetext.failure.reason"), HasSubstr("line 2 has 100 bytes"));
  EXPECT_EQ(runner.take("success").at(0).content, "fits\n");

  ProcessorRunner entire(replace_text_definition());
  entire.set_property("max_buffer_size", "8 B").set_property("evaluation", "entire");
  entire.enqueue("more than eight bytes");
  entire.run();
  ASSERT_EQ(entire.count("failure"), 1U);
}

TEST(ReplaceTextTest, AHugeLineWithoutBreaksCannotCrashTheRegex) {
  // std::regex recurses per character on such input; PCRE2 with its JIT does not.
  const std::string huge(1'000'000, 'a');
  ProcessorRunner runner(replace_text_definition());
  runner.set_property("search_value", "^(a|b)*$")
      .set_property("replacement_value", "$1")
      .set_property("max_buffer_size", "8 MiB");
  runner.enqueue(huge);
  const auto result = runner.run();
  // Either it matched (the last group: "a") or PCRE2 reported a limit (rolled back): never a crash.
  EXPECT_TRUE(result.rolled_back || runner.take("success").at(0).content == "a") << result.error;
}

TEST(ReplaceTextTest, BadConfigurations) {
  ProcessorRunner runner(replace_text_definition());
  runner.set_property("replacement_strategy", "regex").set_property("max_buffer_size", "-1");
  EXPECT_EQ(runner.validate().size(), 2U);

  ProcessorRunner bad_regex(replace_text_definition());
  bad_regex.set_property("search_value", "(unclosed");
  bad_regex.enqueue("x");
  EXPECT_THROW(bad_regex.run(), std::exception);

  ProcessorRunner empty_literal(replace_text_definition());
  empty_literal.set_property("replacement_strategy", "literal_replace").set_property("search_value", "");
  empty_literal.enqueue("x");
  EXPECT_THROW(empty_literal.run(), std::exception);
}

}  // namespace
}  // namespace sluice::standard
