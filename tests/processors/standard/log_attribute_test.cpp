#include "log_attribute.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/testkit.hpp"

namespace sluice::standard {
namespace {

using ::sluice::testkit::ProcessorRunner;
using ::testing::HasSubstr;
using ::testing::Not;

// LogAttribute's output is its log: the runner records what the processor logged through its context.
TEST(LogAttribute, LogsSortedAttributesAndPassesEverythingOn) {
  ProcessorRunner runner(log_attribute_definition());
  runner.set_property("log_level", "debug");
  runner.enqueue("payload", {{"zeta", "last"}, {"alpha", "line\nbreak"}});
  runner.enqueue("other");
  runner.run();

  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].content, "payload");  // passed on unchanged
  EXPECT_EQ(out[0].attribute("zeta"), "last");
  ASSERT_EQ(runner.logs().size(), 2U);
  EXPECT_EQ(runner.logs()[0].level, LogLevel::kDebug);
  const std::string& message = runner.logs()[0].message;
  EXPECT_THAT(message, HasSubstr("alpha = line\\nbreak"));
  EXPECT_LT(message.find("alpha ="), message.find("zeta ="));
  EXPECT_THAT(message, HasSubstr("uuid = " + out[0].uuid));
  EXPECT_THAT(message, Not(HasSubstr("payload")));
}

TEST(LogAttribute, LogsTheFirstKibOfPayload) {
  ProcessorRunner runner(log_attribute_definition());
  runner.set_property("log_payload", "true");
  runner.enqueue(std::string(2000, 'a') + "TAIL");
  runner.run();
  ASSERT_EQ(runner.logs().size(), 1U);
  EXPECT_EQ(runner.logs()[0].level, LogLevel::kInfo);
  EXPECT_THAT(runner.logs()[0].message, HasSubstr("payload (first 1024 bytes): " + std::string(1024, 'a')));
  EXPECT_THAT(runner.logs()[0].message, Not(HasSubstr("TAIL")));
  EXPECT_EQ(runner.count("success"), 1U);
}

}  // namespace
}  // namespace sluice::standard
