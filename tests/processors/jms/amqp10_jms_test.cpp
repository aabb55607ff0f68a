// PublishJMS and ConsumeJMS with `transport: amqp10` against a real RabbitMQ with its AMQP 1.0 plugin,
// checked with an independent AMQP 1.0 client (python3-qpid-proton, tests/integration/amqp10_client.py) and
// pika over AMQP 0-9-1: the Qpid JMS mapping both ways, `accepted` before success, a rejected message to
// failure with the reason, acknowledgement only after the commit, TLS verification and SASL PLAIN.
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "amqp/rabbitmq_fixture.hpp"
#include "consume_jms.hpp"
#include "jms_readings.hpp"
#include "publish_jms.hpp"
#include "sluice/testkit.hpp"

namespace sluice::jms {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class Amqp10JmsTest : public sluice::testing::RabbitMqTest {
 public:
  static void SetUpTestSuite() { use_broker({"rabbitmq", "--tls", "--plugin", "rabbitmq_amqp1_0"}); }

 protected:
  static void connect_amqp10(ProcessorRunner& runner) {
    connect(runner);
    runner.set_property("transport", "amqp10");
  }

  // The python3-qpid-proton client (an independent AMQP 1.0 implementation).
  static std::string proton_client(const std::string& arguments) {
    const std::string script =
        std::filesystem::path(SLUICE_TEST_SERVERS_SCRIPT).parent_path() / "amqp10_client.py";
    return shell("python3 " + script + " --port " + std::to_string(broker().integer("port")) + " " +
                 arguments);
  }

  static std::vector<nlohmann::json> proton_receive(const std::string& address) {
    std::vector<nlohmann::json> messages;
    std::istringstream lines(proton_client("receive " + address + " --idle-ms 1000"));
    for (std::string line; std::getline(lines, line);) messages.push_back(nlohmann::json::parse(line));
    return messages;
  }

  // Runs `runner` until it produced `count` FlowFiles on success or ran 20 times.
  static std::vector<testkit::OutputFlowFile> consume(ProcessorRunner& runner, std::size_t count) {
    std::vector<testkit::OutputFlowFile> out;
    for (int i = 0; i < 20 && out.size() < count; ++i) {
      runner.run();
      for (auto& ff : runner.take("success")) out.push_back(std::move(ff));
    }
    return out;
  }
};

TEST_F(Amqp10JmsTest, TextMessagesArriveWithTheQpidJmsMappingAndProperties) {
  ProcessorRunner runner(publish_jms_definition());
  connect_amqp10(runner);
  sluice::testing::enqueue_readings(runner, "/queue/" + queue(), 25);
  runner.run();
  const auto sent = runner.take("success");
  ASSERT_EQ(sent.size(), 25U);

  const auto messages = proton_receive("/queue/" + queue());
  ASSERT_EQ(messages.size(), 25U);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    EXPECT_EQ(m.at("kind"), "text");  // an AmqpValue string
    EXPECT_EQ(m.at("body"), "reading " + std::to_string(i));
    EXPECT_EQ(m.at("correlation_id"), "c" + std::to_string(i));
    EXPECT_EQ(m.at("subject"), "reading");
    EXPECT_EQ(m.at("reply_to"), "/queue/replies");
    EXPECT_EQ(m.at("durable"), true);
    EXPECT_EQ(m.at("annotations").at("x-opt-jms-msg-type"), 5);
    EXPECT_EQ(m.at("annotations").at("x-opt-jms-dest"), 0);
    EXPECT_EQ(m.at("properties").at("meter.id"), "M" + std::to_string(i));
    EXPECT_FALSE(m.at("properties").contains("filename"));
  }
}

TEST_F(Amqp10JmsTest, BytesMessagesAreDataSectionsAndRoundTrip) {
  const std::string binary("bin\0ary\xff", 8);
  ProcessorRunner publish(publish_jms_definition());
  connect_amqp10(publish);
  publish.set_property("destination", "/queue/" + queue()).set_property("persistent", "false");
  publish.enqueue(binary);
  publish.run();
  ASSERT_EQ(publish.take("success").size(), 1U);
  const auto seen = proton_receive("/queue/" + queue());  // the independent client's view
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].at("kind"), "bytes");
  EXPECT_EQ(seen[0].at("inferred"), true);  // a Data section
  EXPECT_EQ(seen[0].at("body"), "YmluAGFyef8=");
  EXPECT_EQ(seen[0].at("durable"), false);
  EXPECT_EQ(seen[0].at("annotations").at("x-opt-jms-msg-type"), 3);

  publish.enqueue(binary);
  publish.run();
  ASSERT_EQ(publish.take("success").size(), 1U);
  ProcessorRunner consume_runner(consume_jms_definition());
  connect_amqp10(consume_runner);
  consume_runner.set_property("destination", "/queue/" + queue()).set_property("receive_timeout", "2 s");
  const auto out = consume(consume_runner, 1);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, binary);
  EXPECT_EQ(out[0].attribute("jms.message.type"), "bytes");
  EXPECT_EQ(out[0].attribute("jms.redelivered"), "false");
}

TEST_F(Amqp10JmsTest, ConsumeWhatAnIndependentClientSentAndAcceptOnlyAfterCommit) {
  proton_client("send /queue/" + queue() + " 15 --prefix q --property site=north");
  {
    ProcessorRunner failing(consume_jms_definition());
    connect_amqp10(failing);
    failing.set_property("destination", "/queue/" + queue()).set_property("receive_timeout", "2 s");
    failing.before_commit([] { throw std::runtime_error("disk full"); });
    EXPECT_TRUE(failing.run().rolled_back);
  }  // never accepted: the broker redelivers them once the connection closes

  ProcessorRunner runner(consume_jms_definition());
  connect_amqp10(runner);
  runner.set_property("destination", "/queue/" + queue())
      .set_property("receive_timeout", "2 s")
      .set_property("properties", "site|seq")
      .set_batch(100);
  const auto out = consume(runner, 15);
  ASSERT_EQ(out.size(), 15U);
  std::set<std::string> bodies;
  std::size_t redelivered = 0;
  for (const auto& ff : out) {
    bodies.insert(ff.content);
    if (ff.attribute("jms.redelivered") == "true") ++redelivered;
    EXPECT_EQ(ff.attribute("site"), "north");
    EXPECT_EQ(ff.attribute("jms.type"), "reading");
    EXPECT_EQ(ff.attribute("jms.correlation.id"), "corr-" + ff.attribute("seq"));
    EXPECT_EQ(ff.attribute("jms.message.type"), "text");
    EXPECT_EQ(ff.attribute("jms.destination"), "/queue/" + queue());
  }
  EXPECT_EQ(bodies.size(), 15U);
  EXPECT_GT(redelivered, 0U);  // those the rolled-back trigger had taken
  runner.stop();
  EXPECT_TRUE(proton_receive("/queue/" + queue()).empty());  // all accepted
}

// RabbitMQ 3.10 hands a 0-9-1 message to an AMQP 1.0 receiver as a Data section with its properties
// (correlation-id; the routing key as subject) but without its headers (no application properties).
TEST_F(Amqp10JmsTest, MessagesPublishedOverAmqp091ArriveAsBytesMessages) {
  client("publish " + queue() + " 5 --prefix p --header site=south");  // pika, AMQP 0-9-1
  ProcessorRunner runner(consume_jms_definition());
  connect_amqp10(runner);
  runner.set_property("destination", "/queue/" + queue()).set_property("receive_timeout", "2 s");
  const auto out = consume(runner, 5);
  ASSERT_EQ(out.size(), 5U);
  std::set<std::string> bodies;
  for (const auto& ff : out) {
    bodies.insert(ff.content);
    EXPECT_EQ(ff.attribute("jms.message.type"), "bytes");  // RabbitMQ gives a 0-9-1 body as a Data section
    EXPECT_THAT(ff.attribute("jms.correlation.id"), HasSubstr("corr-"));
    EXPECT_EQ(ff.attribute("jms.type"), queue());
  }
  EXPECT_EQ(bodies, (std::set<std::string>{"p0", "p1", "p2", "p3", "p4"}));
}

// RabbitMQ 3.10's plugin answers a publish the queue refuses (overflow reject-publish) by dropping the
// connection rather than with a `rejected` outcome: what it had not accepted goes to retry, nothing is lost.
TEST_F(Amqp10JmsTest, AQueueThatRefusesMessagesLeavesThemForRetry) {
  const std::string limited = queue() + "-limited";
  client("declare " + limited + " --max-length 1");
  ProcessorRunner runner(publish_jms_definition());
  connect_amqp10(runner);
  runner.set_property("destination", "/amq/queue/" + limited).set_batch(10);
  for (int i = 0; i < 3; ++i) runner.enqueue("m" + std::to_string(i));
  runner.run();
  const std::size_t ok = runner.take("success").size();
  const auto retried = runner.take("retry");
  EXPECT_LE(ok, 1U);
  EXPECT_EQ(ok + retried.size(), 3U);
  ASSERT_FALSE(retried.empty());
  EXPECT_FALSE(retried[0].attribute("jms.failure.reason").empty());
  EXPECT_EQ(proton_receive("/amq/queue/" + limited).size(), 1U);
}

TEST_F(Amqp10JmsTest, AnUnknownExchangeIsRefusedWithTheBrokersReason) {
  ProcessorRunner runner(publish_jms_definition());
  connect_amqp10(runner);
  runner.set_property("destination", "/exchange/no-such-exchange/key");
  runner.enqueue("x");
  runner.run();
  const auto refused = runner.take("failure");
  ASSERT_EQ(refused.size(), 1U);
  EXPECT_THAT(refused[0].attribute("jms.failure.reason"), HasSubstr("not-found"));
}

TEST_F(Amqp10JmsTest, AWrongPasswordIsRefusedAndNeverShown) {
  ProcessorRunner runner(publish_jms_definition());
  connect_amqp10(runner);
  runner.set_property("password", "wrong-secret-password").set_property("destination", "/queue/" + queue());
  runner.enqueue("x");
  runner.run();
  const auto refused = runner.take("failure");
  ASSERT_EQ(refused.size(), 1U);
  const std::string reason = refused[0].attribute("jms.failure.reason");
  EXPECT_THAT(reason, HasSubstr("refused the login"));
  EXPECT_THAT(reason, ::testing::Not(HasSubstr("wrong-secret-password")));
  for (const auto& line : runner.logs()) EXPECT_THAT(line.message, ::testing::Not(HasSubstr("wrong-secret")));
}

TEST_F(Amqp10JmsTest, TlsVerifiesTheBrokersCertificate) {
  // The test certificate names localhost (OpenSSL's host name check does not match an IP to a DNS name).
  ProcessorRunner trusted(publish_jms_definition());
  connect_amqp10(trusted);
  trusted.set_property("host", "localhost")
      .set_property("port", std::to_string(broker().integer("tls_port")))
      .set_property("tls", "true")
      .set_property("ca_file", broker().str("ca_file"))
      .set_property("message_type", "text")
      .set_property("destination", "/queue/" + queue());
  trusted.enqueue("over tls");
  trusted.run();
  ASSERT_EQ(trusted.take("success").size(), 1U);

  ProcessorRunner untrusted(publish_jms_definition());  // the system's CAs do not know the test CA
  connect_amqp10(untrusted);
  untrusted.set_property("port", std::to_string(broker().integer("tls_port")))
      .set_property("tls", "true")
      .set_property("destination", "/queue/" + queue());
  untrusted.enqueue("refused");
  untrusted.run();
  EXPECT_EQ(untrusted.count("success"), 0U);
  const auto messages = proton_receive("/queue/" + queue());
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].at("body"), "over tls");
}

}  // namespace
}  // namespace sluice::jms
