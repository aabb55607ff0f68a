// PublishAMQP against a real rabbitmq-server, checked with an independent client (pika): confirmed delivery
// with headers and properties, unroutable and unknown-exchange failures, a broker that is down, refused
// credentials, and TLS with verification.
#include "publish_amqp.hpp"

#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rabbitmq_fixture.hpp"
#include "sluice/testkit.hpp"

namespace sluice::amqp {
namespace {

using ::testing::HasSubstr;
using testkit::ProcessorRunner;

class PublishAmqpTest : public sluice::testing::RabbitMqTest {};

TEST_F(PublishAmqpTest, DeliversAConfirmedBatchWithHeadersAndProperties) {
  ProcessorRunner runner(publish_amqp_definition());
  connect(runner);
  runner.set_property("routing_key", queue()).set_property("headers", "meter\\..*").set_batch(50);
  for (int i = 0; i < 40; ++i) {
    runner.enqueue("reading " + std::to_string(i), {{"meter.id", "M" + std::to_string(i)},
                                                    {"filename", "f" + std::to_string(i)},
                                                    {"amqp.correlation.id", "c" + std::to_string(i)}});
  }
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 40U);
  EXPECT_EQ(runner.count("retry") + runner.count("failure"), 0U);

  const auto messages = read_all(queue());
  ASSERT_EQ(messages.size(), 40U);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    EXPECT_EQ(body(m), "reading " + std::to_string(i));
    EXPECT_EQ(m.at("delivery_mode"), 2);
    EXPECT_EQ(m.at("message_id"), out[i].uuid);
    EXPECT_EQ(m.at("correlation_id"), "c" + std::to_string(i));
    EXPECT_EQ(m.at("headers").at("meter.id"), "M" + std::to_string(i));
    EXPECT_FALSE(m.at("headers").contains("filename"));  // not matched by the regex
  }
}

TEST_F(PublishAmqpTest, AnUnroutableMessageIsReturnedAndGoesToFailure) {
  ProcessorRunner runner(publish_amqp_definition());
  connect(runner);
  runner.set_property("routing_key", "${route}");
  runner.enqueue("lost?", {{"route", "no-such-queue"}});
  runner.enqueue("kept", {{"route", queue()}});
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].content, "lost?");
  EXPECT_THAT(failed[0].attribute("amqp.failure.reason"), HasSubstr("NO_ROUTE"));
  ASSERT_EQ(runner.take("success").size(), 1U);
  const auto messages = read_all(queue());
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(body(messages[0]), "kept");
}

TEST_F(PublishAmqpTest, AnUnknownExchangeIsAFailureWithTheBrokersReason) {
  ProcessorRunner runner(publish_amqp_definition());
  connect(runner);
  runner.set_property("exchange", "no-such-exchange").set_property("routing_key", queue());
  runner.enqueue("a");
  runner.enqueue("b");
  runner.run();
  const auto failed = runner.take("failure");
  ASSERT_EQ(failed.size(), 2U);
  EXPECT_THAT(failed[0].attribute("amqp.failure.reason"), HasSubstr("no exchange 'no-such-exchange'"));

  // The processor reconnects for the next batch.
  ProcessorRunner again(publish_amqp_definition());
  connect(again);
  again.set_property("routing_key", queue());
  again.enqueue("c");
  again.run();
  EXPECT_EQ(again.take("success").size(), 1U);
}

TEST_F(PublishAmqpTest, ABrokerThatIsDownSendsTheBatchToRetry) {
  ProcessorRunner runner(publish_amqp_definition());
  runner.set_property("host", "127.0.0.1")
      .set_property("port", std::to_string(sluice::testing::unused_port()))
      .set_property("routing_key", queue());
  runner.enqueue("x");
  runner.enqueue("y");
  runner.run();
  const auto retried = runner.take("retry");
  ASSERT_EQ(retried.size(), 2U);
  EXPECT_THAT(retried[0].attribute("amqp.failure.reason"), HasSubstr("cannot connect to 127.0.0.1:"));
  EXPECT_EQ(runner.count("success"), 0U);
}

TEST_F(PublishAmqpTest, RefusedCredentialsAreNeverLogged) {
  ProcessorRunner runner(publish_amqp_definition());
  connect(runner);
  runner.set_property("password", "wrong-secret-123").set_property("routing_key", queue());
  runner.enqueue("x");
  runner.run();
  EXPECT_EQ(runner.count("success"), 0U);
  const auto out = runner.count("failure") == 1 ? runner.take("failure") : runner.take("retry");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_THAT(out[0].attribute("amqp.failure.reason"), HasSubstr("login"));
  EXPECT_THAT(out[0].attribute("amqp.failure.reason"), Not(HasSubstr("wrong-secret-123")));
  for (const auto& entry : runner.logs()) EXPECT_THAT(entry.message, Not(HasSubstr("wrong-secret-123")));
}

TEST_F(PublishAmqpTest, TlsVerifiesTheBrokersCertificate) {
  // The test certificate names localhost (librabbitmq checks DNS names, not IP addresses).
  ProcessorRunner trusted(publish_amqp_definition());
  connect(trusted);
  trusted.set_property("host", "localhost")
      .set_property("port", std::to_string(broker().integer("tls_port")))
      .set_property("tls", "true")
      .set_property("ca_file", broker().str("ca_file"))
      .set_property("routing_key", queue());
  trusted.enqueue("over tls");
  trusted.run();
  ASSERT_EQ(trusted.take("success").size(), 1U);

  // Without the test CA the self-signed certificate is not trusted: refused, never sent.
  ProcessorRunner untrusted(publish_amqp_definition());
  connect(untrusted);
  untrusted.set_property("host", "localhost")
      .set_property("port", std::to_string(broker().integer("tls_port")))
      .set_property("tls", "true")
      .set_property("routing_key", queue());
  untrusted.enqueue("must not arrive");
  untrusted.run();
  const auto failed = untrusted.take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_THAT(failed[0].attribute("amqp.failure.reason"), HasSubstr("TLS"));

  const auto messages = read_all(queue());
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(body(messages[0]), "over tls");
}

}  // namespace
}  // namespace sluice::amqp
