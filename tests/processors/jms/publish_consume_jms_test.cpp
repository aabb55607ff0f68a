// PublishJMS and ConsumeJMS over STOMP against a real ActiveMQ, checked with ActiveMQ's own JMS client
// (tests/integration/JmsClient.java over OpenWire): queue and durable-topic round trips in both directions,
// text and bytes messages, properties and JMS header fields, receipts before success, acks after commit.
#include <set>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "activemq_fixture.hpp"
#include "consume_jms.hpp"
#include "jms_readings.hpp"
#include "publish_jms.hpp"
#include "sluice/testkit.hpp"
#include "stomp_connection.hpp"

namespace sluice::jms {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class JmsTest : public sluice::testing::ActiveMqTest {};

TEST(StompHeaders, EscapingRoundTrips) {
  std::string escaped;
  escape_header("a:b\\c\nd\re", escaped);
  EXPECT_EQ(escaped, "a\\cb\\\\c\\nd\\re");
  EXPECT_EQ(unescape_header(escaped), "a:b\\c\nd\re");
}

TEST_F(JmsTest, PublishToAQueueIsReceivedByAJavaJmsClientWithItsProperties) {
  ProcessorRunner runner(publish_jms_definition());
  connect(runner);
  sluice::testing::enqueue_readings(runner, "/queue/" + name(), 10);
  runner.run();
  ASSERT_EQ(runner.take("success").size(), 10U);

  const auto messages = receive("queue:" + name());
  ASSERT_EQ(messages.size(), 10U);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    EXPECT_EQ(m.at("type"), "text");
    EXPECT_EQ(m.at("body"), "reading " + std::to_string(i));
    EXPECT_EQ(m.at("correlation_id"), "c" + std::to_string(i));
    EXPECT_EQ(m.at("jms_type"), "reading");
    EXPECT_THAT(m.at("reply_to").get<std::string>(), HasSubstr("replies"));
    EXPECT_EQ(m.at("persistent"), true);
    EXPECT_EQ(m.at("properties").at("meter.id"), "M" + std::to_string(i));
    EXPECT_FALSE(m.at("properties").contains("filename"));
  }
}

TEST_F(JmsTest, BytesMessagesKeepBinaryContent) {
  ProcessorRunner runner(publish_jms_definition());
  connect(runner);
  runner.set_property("destination", "/queue/" + name());
  runner.enqueue(std::string("bin\0ary", 7));
  runner.run();
  ASSERT_EQ(runner.take("success").size(), 1U);

  ProcessorRunner consume(consume_jms_definition());
  connect(consume);
  consume.set_property("destination", "/queue/" + name()).set_property("receive_timeout", "2 s");
  consume.run();
  const auto out = consume.take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, std::string("bin\0ary", 7));
  EXPECT_EQ(out[0].attribute("jms.message.type"), "bytes");
}

TEST(JmsTransports, ABrokerThatIsDownSendsTheBatchToRetry) {
  for (const char* transport : {"stomp", "amqp10"}) {
    SCOPED_TRACE(transport);
    ProcessorRunner runner(publish_jms_definition());
    runner.set_property("transport", transport)
        .set_property("host", "127.0.0.1")
        .set_property("port", std::to_string(sluice::testing::unused_port()))
        .set_property("destination", "/queue/down");
    runner.enqueue("x");
    runner.run();
    const auto retried = runner.take("retry");
    ASSERT_EQ(retried.size(), 1U);
    EXPECT_THAT(retried[0].attribute("jms.failure.reason"), HasSubstr("cannot connect"));
  }
}

TEST_F(JmsTest, ConsumeFromAQueueWhatAJavaClientSentAndAckAfterCommit) {
  java("send", "queue:" + name() + " 15 q");
  {
    ProcessorRunner failing(consume_jms_definition());
    connect(failing);
    failing.set_property("destination", "/queue/" + name()).set_property("receive_timeout", "2 s");
    failing.before_commit([] { throw std::runtime_error("disk full"); });
    EXPECT_TRUE(failing.run().rolled_back);
  }  // not acknowledged: the broker redelivers them

  ProcessorRunner runner(consume_jms_definition());
  connect(runner);
  runner.set_property("destination", "/queue/" + name())
      .set_property("receive_timeout", "2 s")
      .set_batch(100);
  std::vector<testkit::OutputFlowFile> out;
  for (int i = 0; i < 10 && out.size() < 15; ++i) {
    runner.run();
    for (auto& ff : runner.take("success")) out.push_back(std::move(ff));
  }
  ASSERT_EQ(out.size(), 15U);
  std::set<std::string> bodies;
  for (const auto& ff : out) {
    bodies.insert(ff.content);
    EXPECT_EQ(ff.attribute("site"), "north");
    EXPECT_EQ(ff.attribute("jms.type"), "reading");
    EXPECT_EQ(ff.attribute("jms.correlation.id"), "corr-" + ff.attribute("seq"));
    EXPECT_EQ(ff.attribute("jms.message.type"), "text");
  }
  EXPECT_EQ(bodies.size(), 15U);
  runner.stop();
  EXPECT_TRUE(receive("queue:" + name()).empty());  // all acknowledged
}

TEST_F(JmsTest, DurableTopicSubscriptionsInBothDirections) {
  // sluice → Java: the Java client's durable subscription holds what sluice published while it was away.
  java("subscribe", "topic:" + name() + " java-client sub");
  ProcessorRunner publish(publish_jms_definition());
  connect(publish);
  publish.set_property("destination", "/topic/" + name()).set_property("properties", "k");
  publish.enqueue("to java", {{"k", "v"}});
  publish.run();
  ASSERT_EQ(publish.take("success").size(), 1U);
  const auto received = receive("topic:" + name(), "java-client sub");
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].at("body"), "to java");
  EXPECT_EQ(received[0].at("properties").at("k"), "v");

  // Java → sluice: ConsumeJMS's durable subscription holds what was published while it was stopped.
  const std::string topic = "/topic/" + name() + "-in";
  {
    ProcessorRunner first(consume_jms_definition());
    connect(first);
    first.set_property("destination", topic)
        .set_property("client_id", "sluice-test")
        .set_property("subscription_name", "meters");
    first.run();  // subscribes durably; nothing yet
    EXPECT_EQ(first.count("success"), 0U);
  }
  java("send", "topic:" + name() + "-in 3 t");
  ProcessorRunner second(consume_jms_definition());
  connect(second);
  second.set_property("destination", topic)
      .set_property("client_id", "sluice-test")
      .set_property("subscription_name", "meters")
      .set_property("receive_timeout", "2 s");
  second.run();
  const auto out = second.take("success");
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0].content, "t0");
  EXPECT_EQ(out[2].attribute("seq"), "2");
}

}  // namespace
}  // namespace sluice::jms
