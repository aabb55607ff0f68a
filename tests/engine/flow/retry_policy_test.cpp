// The engine's retry policy: FlowFiles routed to a retried relationship go back to their queue unchanged,
// with exponential backoff, until they succeed or run out of attempts; a failing trigger backs off too.
#include <gtest/gtest.h>

#include "flow/flow_controller.hpp"
#include "flow_builder.hpp"
#include "test_processors.hpp"

namespace sluice::internal {
namespace {

using sluice::testing::FlowBuilder;

class RetryPolicyTest : public ::testing::Test {
 protected:
  RetryPolicyTest() {
    for (auto* d : {&emit_, &route_, &throw_}) registry_.add(d, "test");
  }
  // gen -> deliver (routes everything to `to`), deliver's success and failure to a sink queue.
  FlowModel flow(const std::string& to, RetryModel retry) {
    FlowBuilder b;
    b.processor("gen", "Emit", {{"count", "3"}}).timer(1'000'000);
    b.processor("deliver", "RouteTo", {{"to", to}});
    b.processor("sink", "RouteTo", {{"to", "success"}}, {"success", "retry", "failure"});
    b.connect("gen", "success", "deliver")
        .connect("deliver", "success", "sink")
        .connect("deliver", "failure", "sink");
    FlowModel model = b.memory().model();
    model.processors[1].retry = std::move(retry);
    return model;
  }
  static RetryModel retry_on(std::vector<std::string> relationships, std::uint32_t max_attempts,
                             RetryPolicy policy = RetryPolicy::kPenalize) {
    RetryModel r;
    for (auto& name : relationships) r.relationships.push_back({name, {}});
    r.max_attempts = max_attempts;
    r.backoff = std::chrono::seconds(1);
    r.max_backoff = std::chrono::seconds(5);
    r.policy = policy;
    return r;
  }
  std::vector<FlowFileRecord> poll_all(Connection& c) {
    std::vector<FlowFileRecord> out;
    std::vector<FlowFileRecord> expired;
    c.poll(1000, INT64_MAX, out, expired);
    return out;
  }

  ProcessorDefinition emit_ = sluice::testing::emit_definition();
  ProcessorDefinition route_ = sluice::testing::route_to_definition();
  ProcessorDefinition throw_ = sluice::testing::throw_definition();
  ProcessorRegistry registry_;
  ManualClock clock_;
};

TEST_F(RetryPolicyTest, RetriedFlowFilesReturnUnchangedWithGrowingPenalties) {
  FlowController fc(flow("retry", retry_on({"retry"}, 0)), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  ProcessorNode& deliver = *fc.node("deliver");
  Connection& input = *fc.connection("gen:success:deliver");
  ASSERT_TRUE(fc.scheduler().run_once());             // gen: 3 queued
  ASSERT_FALSE(fc.scheduler().trigger_now(deliver));  // attempt 1: back, invisible for 1 s
  EXPECT_EQ(input.count(), 3U);
  EXPECT_FALSE(input.has_visible(clock_.now_ms()));
  EXPECT_EQ(deliver.stats().retried.load(), 3U);
  EXPECT_EQ(deliver.stats().out.load(), 0U);
  clock_.advance(std::chrono::milliseconds(999));
  EXPECT_FALSE(input.has_visible(clock_.now_ms()));
  clock_.advance(std::chrono::milliseconds(1));
  ASSERT_TRUE(input.has_visible(clock_.now_ms()));
  ASSERT_FALSE(fc.scheduler().trigger_now(deliver));  // attempt 2: 2 s
  clock_.advance(std::chrono::milliseconds(1999));
  EXPECT_FALSE(input.has_visible(clock_.now_ms()));
  clock_.advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(input.has_visible(clock_.now_ms()));
  for (int attempt = 3; attempt <= 6; ++attempt) {
    ASSERT_FALSE(fc.scheduler().trigger_now(deliver));
    clock_.advance(std::chrono::seconds(5));  // capped at max_backoff
    ASSERT_TRUE(input.has_visible(clock_.now_ms())) << "attempt " << attempt;
  }
  const auto waiting = poll_all(input);
  ASSERT_EQ(waiting.size(), 3U);  // never dropped
  for (const auto& r : waiting) {
    EXPECT_EQ(r.attributes.find("sluice.retries.deliver"), "6");
    EXPECT_FALSE(r.attributes.find("touched"));  // the processor's changes were discarded
  }
}

TEST_F(RetryPolicyTest, AfterMaxAttemptsTheFlowFileGoesToTheRelationshipForReal) {
  FlowController fc(flow("failure", retry_on({"failure"}, 3)), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  ProcessorNode& deliver = *fc.node("deliver");
  Connection& failed = *fc.connection("deliver:failure:sink");
  ASSERT_TRUE(fc.scheduler().run_once());
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_FALSE(fc.scheduler().trigger_now(deliver));
    EXPECT_EQ(failed.count(), 0U) << "attempt " << attempt;
    clock_.advance(std::chrono::seconds(10));
  }
  ASSERT_FALSE(fc.scheduler().trigger_now(deliver));  // the third attempt is the last
  const auto out = poll_all(failed);
  ASSERT_EQ(out.size(), 3U);
  for (const auto& r : out) {
    EXPECT_EQ(r.attributes.find("touched"), "yes");
    EXPECT_FALSE(r.attributes.find("sluice.retries.deliver"));  // the count is done with
  }
}

TEST_F(RetryPolicyTest, YieldPolicyKeepsTheProcessorAwayLongerEachTime) {
  FlowController fc(flow("retry", retry_on({"retry"}, 0, RetryPolicy::kYield)), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  ProcessorNode& deliver = *fc.node("deliver");
  ASSERT_TRUE(fc.scheduler().run_once());
  const std::int64_t start = clock_.now_ms();
  ASSERT_FALSE(fc.scheduler().trigger_now(deliver));
  EXPECT_EQ(deliver.yielded_until_ms.load(), start + 1000);
  EXPECT_TRUE(fc.connection("gen:success:deliver")->has_visible(clock_.now_ms()));  // no penalty: yield
  ASSERT_FALSE(fc.scheduler().trigger_now(deliver));
  EXPECT_EQ(deliver.yielded_until_ms.load(), start + 2000);
  ASSERT_FALSE(fc.scheduler().trigger_now(deliver));
  EXPECT_EQ(deliver.yielded_until_ms.load(), start + 4000);
  EXPECT_FALSE(fc.scheduler().run_once());  // yielded: the scheduler leaves it alone
}

TEST_F(RetryPolicyTest, SuccessClearsTheRetryCount) {
  FlowController fc(flow("success", retry_on({"retry"}, 0)), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  ASSERT_TRUE(fc.scheduler().run_once());
  // A FlowFile that was retried before carries the count; passing through clears it.
  Connection& input = *fc.connection("gen:success:deliver");
  auto records = poll_all(input);
  for (auto& r : records) r.attributes.put("sluice.retries.deliver", "4");
  input.requeue(std::move(records));
  ASSERT_FALSE(fc.scheduler().trigger_now(*fc.node("deliver")));
  for (const auto& r : poll_all(*fc.connection("deliver:success:sink"))) {
    EXPECT_FALSE(r.attributes.find("sluice.retries.deliver"));
  }
}

TEST_F(RetryPolicyTest, AFailingTriggerBacksOffExponentially) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "1"}}).timer(1'000'000);
  b.processor("bad", "Throw", {}, {"success"});
  b.connect("gen", "success", "bad");
  FlowModel model = b.memory().model();
  model.processors[1].schedule.yield = std::chrono::seconds(1);
  model.processors[1].retry.max_backoff = std::chrono::seconds(3);
  FlowController fc(model, registry_, "", clock_);
  fc.recover();
  fc.start(false);
  ProcessorNode& bad = *fc.node("bad");
  ASSERT_TRUE(fc.scheduler().run_once());
  const std::int64_t t0 = clock_.now_ms();
  EXPECT_TRUE(fc.scheduler().trigger_now(bad));
  EXPECT_EQ(bad.penalized_until_ms.load(), t0 + 1000);
  EXPECT_TRUE(fc.scheduler().trigger_now(bad));
  EXPECT_EQ(bad.penalized_until_ms.load(), t0 + 2000);
  EXPECT_TRUE(fc.scheduler().trigger_now(bad));
  EXPECT_EQ(bad.penalized_until_ms.load(), t0 + 3000);  // capped
}

}  // namespace
}  // namespace sluice::internal
