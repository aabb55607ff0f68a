#include "log_attribute.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_session.hpp"

namespace sluice::standard {
namespace {

using ::sluice::testing::FakeContext;
using ::sluice::testing::FakeSession;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(LogAttribute, LogsSortedAttributesAndPassesEverythingOn) {
  FakeContext context(log_attribute_definition());
  context.properties["log_level"] = "debug";
  FakeSession session;
  session.enqueue("payload", {{"zeta", "last"}, {"alpha", "line\nbreak"}});
  session.enqueue("other");
  auto processor = log_attribute_definition().create();
  processor->on_schedule(context);
  processor->on_trigger(context, session);

  EXPECT_EQ(session.transferred_to("success").size(), 2U);
  ASSERT_EQ(context.logs.size(), 2U);
  EXPECT_EQ(context.logs[0].first, LogLevel::kDebug);
  const std::string& message = context.logs[0].second;
  EXPECT_THAT(message, HasSubstr("alpha = line\\nbreak"));
  EXPECT_LT(message.find("alpha ="), message.find("zeta ="));
  EXPECT_THAT(message, HasSubstr("uuid = "));
  EXPECT_THAT(message, Not(HasSubstr("payload")));
}

TEST(LogAttribute, LogsTheFirstKibOfPayload) {
  FakeContext context(log_attribute_definition());
  context.properties["log_payload"] = "true";
  FakeSession session;
  session.enqueue(std::string(2000, 'a') + "TAIL");
  auto processor = log_attribute_definition().create();
  processor->on_schedule(context);
  processor->on_trigger(context, session);
  ASSERT_EQ(context.logs.size(), 1U);
  EXPECT_EQ(context.logs[0].first, LogLevel::kInfo);
  EXPECT_THAT(context.logs[0].second, HasSubstr("payload (first 1024 bytes): " + std::string(1024, 'a')));
  EXPECT_THAT(context.logs[0].second, Not(HasSubstr("TAIL")));
}

}  // namespace
}  // namespace sluice::standard
