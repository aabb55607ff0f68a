// ConsumeAMQP against a real rabbitmq-server: messages published by independent clients (amqp-publish,
// pika) become FlowFiles with their headers and properties; they are acknowledged only after the commit (a
// failed commit leaves them to be redelivered); a PublishAMQP → ConsumeAMQP round trip keeps attributes.
#include "consume_amqp.hpp"

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "publish_amqp.hpp"
#include "rabbitmq_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::amqp {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class ConsumeAmqpTest : public sluice::testing::RabbitMqTest {
 protected:
  void configure(ProcessorRunner& runner) const {
    connect(runner);
    runner.set_property("queue", queue()).set_property("receive_timeout", "2 s").set_batch(100);
  }
  [[nodiscard]] int ready() const { return std::stoi(client("count " + queue())); }
};

TEST_F(ConsumeAmqpTest, MessagesFromAmqpPublishBecomeFlowFilesAndAreAckedAfterCommit) {
  for (int i = 0; i < 5; ++i) {
    shell("amqp-publish --server 127.0.0.1 --port " + std::to_string(broker().integer("port")) + " -r " +
          queue() + " -p -C text/csv -H 'meter.id: M" + std::to_string(i) + "' -b 'row " + std::to_string(i) +
          "' 2>/dev/null");
  }
  ProcessorRunner runner(consume_amqp_definition());
  configure(runner);
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 5U);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(out[static_cast<std::size_t>(i)].content, "row " + std::to_string(i));
    EXPECT_EQ(out[static_cast<std::size_t>(i)].attribute("meter.id"), "M" + std::to_string(i));
    EXPECT_EQ(out[static_cast<std::size_t>(i)].attribute("amqp.content.type"), "text/csv");
    EXPECT_EQ(out[static_cast<std::size_t>(i)].attribute("amqp.routing.key"), queue());
    EXPECT_EQ(out[static_cast<std::size_t>(i)].attribute("amqp.redelivered"), "false");
  }
  runner.stop();  // closes the connection: anything unacknowledged would be back in the queue
  EXPECT_EQ(ready(), 0);
}

TEST_F(ConsumeAmqpTest, AFailedCommitLeavesTheMessagesToBeRedelivered) {
  client("publish " + queue() + " 20 --prefix r --header site=north");
  {
    ProcessorRunner failing(consume_amqp_definition());
    configure(failing);
    failing.before_commit([] { throw std::runtime_error("disk full"); });
    const auto result = failing.run();
    EXPECT_TRUE(result.rolled_back);
    EXPECT_EQ(failing.count("success"), 0U);
  }
  EXPECT_EQ(ready(), 20);  // not acknowledged: back in the queue

  ProcessorRunner runner(consume_amqp_definition());
  configure(runner);
  // A trigger ends its batch at the first pause in deliveries, so the requeued messages may take several.
  std::vector<testkit::OutputFlowFile> out;
  for (int i = 0; i < 20 && out.size() < 20; ++i) {
    runner.run();
    for (auto& ff : runner.take("success")) out.push_back(std::move(ff));
  }
  ASSERT_EQ(out.size(), 20U);
  std::set<std::string> ids;
  for (const auto& ff : out) {
    ids.insert(ff.attribute("amqp.message.id"));
    EXPECT_EQ(ff.content, ff.attribute("amqp.message.id"));
    EXPECT_EQ(ff.attribute("amqp.redelivered"), "true");
    EXPECT_EQ(ff.attribute("site"), "north");
    EXPECT_THAT(ff.attribute("amqp.correlation.id"), HasSubstr("corr-"));
  }
  EXPECT_EQ(ids.size(), 20U);
  runner.stop();
  EXPECT_EQ(ready(), 0);
}

TEST_F(ConsumeAmqpTest, TakesAtMostABatchPerTrigger) {
  client("publish " + queue() + " 250");
  ProcessorRunner runner(consume_amqp_definition());
  configure(runner);
  std::size_t total = 0;
  for (int trigger = 0; trigger < 50 && total < 250; ++trigger) {
    runner.run();
    const std::size_t n = runner.take("success").size();
    EXPECT_LE(n, 100U);
    total += n;
  }
  EXPECT_EQ(total, 250U);
  runner.run();  // nothing left: waits receive_timeout, then yields
  EXPECT_EQ(runner.count("success"), 0U);
  EXPECT_TRUE(runner.yielded());
}

TEST_F(ConsumeAmqpTest, AnUnknownQueueIsLoggedAndTheProcessorYields) {
  ProcessorRunner runner(consume_amqp_definition());
  connect(runner);
  runner.set_property("queue", "no-such-queue");
  runner.run();
  EXPECT_TRUE(runner.yielded());
  bool logged = false;
  for (const auto& entry : runner.logs())
    logged = logged || entry.message.find("no queue 'no-such-queue'") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(ConsumeAmqpTest, PublishThenConsumeKeepsContentHeadersAndProperties) {
  ProcessorRunner publish(publish_amqp_definition());
  connect(publish);
  publish.set_property("routing_key", queue()).set_property("headers", "meter\\..*");
  publish.enqueue("12.5", {{"meter.id", "M7"}, {"meter.unit", "kWh"}, {"amqp.type", "reading"}});
  publish.run();
  const auto sent = publish.take("success");
  ASSERT_EQ(sent.size(), 1U);

  ProcessorRunner consume(consume_amqp_definition());
  configure(consume);
  consume.run();
  const auto out = consume.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, "12.5");
  EXPECT_EQ(out[0].attribute("meter.id"), "M7");
  EXPECT_EQ(out[0].attribute("meter.unit"), "kWh");
  EXPECT_EQ(out[0].attribute("amqp.type"), "reading");
  EXPECT_EQ(out[0].attribute("amqp.message.id"), sent[0].uuid);
}

}  // namespace
}  // namespace sluice::amqp
