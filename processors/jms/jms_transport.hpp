// How the JMS processors reach a broker, whatever the wire protocol: send messages and learn which the broker
// took, subscribe (durably to a topic, or to a queue) and acknowledge what was received. Two transports:
// STOMP 1.2 (ActiveMQ maps its frames to JMS messages) and AMQP 1.0 (qpid-proton, with the Qpid JMS
// mapping: RabbitMQ's AMQP 1.0 plugin, Artemis, Qpid brokers).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stomp_connection.hpp"

namespace sluice::jms {

struct JmsSettings {
  std::string transport = "stomp";
  std::string host = "127.0.0.1";
  int port = 61613;
  std::string username;
  std::string password;   // sensitive: never in messages
  std::string client_id;  // durable subscriptions need one
  bool tls = false;       // AMQP 1.0 only: amqps, the broker's certificate verified
  std::string ca_file;    // trusted CAs for TLS (empty: the system's)
  bool verify_hostname = true;
  std::chrono::milliseconds timeout{10'000};
};

// A JMS message on its way out or in. Views are valid during the call that passes the message.
struct JmsMessage {
  std::string_view destination;  // /queue/NAME or /topic/NAME
  bool bytes = false;            // BytesMessage (else TextMessage)
  bool persistent = true;
  std::string_view correlation_id;                                        // JMSCorrelationID
  std::string_view type;                                                  // JMSType
  std::string_view reply_to;                                              // JMSReplyTo
  std::string_view message_id;                                            // received: JMSMessageID
  bool redelivered = false;                                               // received: JMSRedelivered
  std::vector<std::pair<std::string_view, std::string_view>> properties;  // string properties
  std::string_view body;
};

class JmsTransport {
 public:
  virtual ~JmsTransport() = default;
  // Sends `message`; its outcome comes later from await() under `token`.
  virtual void send(const JmsMessage& message, std::uint64_t token) = 0;
  // Waits until the broker answered every send (or `timeout`): on_result(token, "") when it took the
  // message, on_result(token, reason) when it refused it. Throws JmsError when the connection broke.
  virtual void await(std::chrono::milliseconds timeout,
                     const std::function<void(std::uint64_t token, std::string_view error)>& on_result) = 0;

  // Subscribes to `destination` with client acknowledgement; a non-empty `durable_name` makes a durable
  // topic subscription. At most `prefetch` unacknowledged messages are sent ahead.
  virtual void subscribe(std::string_view destination, std::string_view durable_name, int prefetch) = 0;
  // The next message within `timeout`, passed to `on_message` with the id to acknowledge it by.
  virtual bool receive(std::chrono::milliseconds timeout,
                       const std::function<void(const JmsMessage&, std::string_view ack_id)>& on_message) = 0;
  virtual void acknowledge(std::string_view ack_id) = 0;
};

// The transport `settings.transport` names ("stomp" or "amqp10"), connected.
std::unique_ptr<JmsTransport> make_transport(const JmsSettings& settings);
std::unique_ptr<JmsTransport> make_stomp_transport(const JmsSettings& settings);
std::unique_ptr<JmsTransport> make_amqp10_transport(const JmsSettings& settings);

}  // namespace sluice::jms
