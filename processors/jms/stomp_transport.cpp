// The STOMP 1.2 JmsTransport, with ActiveMQ's mapping of frames to JMS messages: `persistent:true`,
// `correlation-id`/`type`/`reply-to` for the JMS header fields, other headers as string properties, a
// `content-length` header for a BytesMessage (none for a TextMessage), `client-id` and
// `activemq.subscriptionName` for durable topic subscriptions, `receipt` for broker confirmation.
#include <set>
#include <string>
#include <unordered_map>

#include "jms_transport.hpp"

namespace sluice::jms {

namespace {

// Headers that are part of the protocol or of JMS, never message properties.
bool standard_header(std::string_view name) {
  static const std::set<std::string, std::less<>> kNames = {"destination",
                                                            "message-id",
                                                            "subscription",
                                                            "ack",
                                                            "content-length",
                                                            "content-type",
                                                            "correlation-id",
                                                            "type",
                                                            "reply-to",
                                                            "persistent",
                                                            "redelivered",
                                                            "expires",
                                                            "priority",
                                                            "timestamp",
                                                            "receipt",
                                                            "transformation",
                                                            "original-destination",
                                                            "JMSXUserID"};
  return kNames.contains(name);
}

class StompTransport final : public JmsTransport {
 public:
  explicit StompTransport(const JmsSettings& settings)
      : connection_(settings.host, settings.port, settings.username, settings.password, settings.client_id,
                    settings.timeout) {}

  void send(const JmsMessage& message, std::uint64_t token) override {
    frame_.clear();
    frame_.command = "SEND";
    frame_.add("destination", std::string(message.destination));
    frame_.add("persistent", message.persistent ? "true" : "false");
    if (!message.correlation_id.empty()) frame_.add("correlation-id", std::string(message.correlation_id));
    if (!message.type.empty()) frame_.add("type", std::string(message.type));
    if (!message.reply_to.empty()) frame_.add("reply-to", std::string(message.reply_to));
    for (const auto& [name, value] : message.properties) frame_.add(std::string(name), std::string(value));
    if (message.bytes) {
      frame_.add("content-length", std::to_string(message.body.size()));
    } else if (message.body.find('\0') != std::string_view::npos) {
      throw JmsError(JmsErrorKind::kRefused, "a text message cannot contain a NUL byte (use bytes)");
    }
    const std::string receipt = std::to_string(token);
    frame_.add("receipt", receipt);
    frame_.body.assign(message.body);
    connection_.send(frame_);
    pending_.insert(token);
  }

  void await(std::chrono::milliseconds timeout,
             const std::function<void(std::uint64_t, std::string_view)>& on_result) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pending_.empty()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !connection_.read(reply_, left))
        throw JmsError(JmsErrorKind::kTransient, "no receipt from " + connection_.peer() + " for " +
                                                     std::to_string(pending_.size()) + " message(s) in time");
      const std::string* receipt = reply_.header("receipt-id");
      if (reply_.command == "RECEIPT" && receipt != nullptr) {
        const std::uint64_t token = std::stoull(*receipt);
        if (pending_.erase(token) > 0) on_result(token, {});
      } else if (reply_.command == "ERROR") {
        // ActiveMQ names the refused frame's receipt; it closes the connection after an ERROR.
        const std::string* message = reply_.header("message");
        const std::string reason =
            "the broker refused the message: " + (message != nullptr ? *message : reply_.body);
        if (receipt != nullptr && pending_.erase(std::stoull(*receipt)) > 0)
          on_result(std::stoull(*receipt), reason);
        throw JmsError(JmsErrorKind::kTransient, reason);
      }
    }
  }

  void subscribe(std::string_view destination, std::string_view durable_name, int prefetch) override {
    frame_.clear();
    frame_.command = "SUBSCRIBE";
    frame_.add("id", "1");
    frame_.add("destination", std::string(destination));
    frame_.add("ack", "client-individual");
    frame_.add("activemq.prefetchSize", std::to_string(prefetch));
    if (!durable_name.empty()) frame_.add("activemq.subscriptionName", std::string(durable_name));
    frame_.add("receipt", "subscribe");
    connection_.send(frame_);
    if (!connection_.read(reply_, std::chrono::seconds(10)))
      throw JmsError(JmsErrorKind::kTransient, "no answer to SUBSCRIBE from " + connection_.peer());
    if (reply_.command == "ERROR") {
      const std::string* message = reply_.header("message");
      throw JmsError(JmsErrorKind::kRefused, "the broker refused the subscription to " +
                                                 std::string(destination) + ": " +
                                                 (message != nullptr ? *message : reply_.body));
    }
  }

  bool receive(std::chrono::milliseconds timeout,
               const std::function<void(const JmsMessage&, std::string_view)>& on_message) override {
    if (!connection_.read(reply_, timeout)) return false;
    if (reply_.command == "ERROR") {
      const std::string* message = reply_.header("message");
      throw JmsError(JmsErrorKind::kTransient,
                     "the broker sent an error: " + (message != nullptr ? *message : reply_.body));
    }
    if (reply_.command != "MESSAGE") return true;
    JmsMessage m;
    const auto get = [&](std::string_view name) {
      const std::string* v = reply_.header(name);
      return v != nullptr ? std::string_view(*v) : std::string_view();
    };
    m.destination = get("destination");
    m.correlation_id = get("correlation-id");
    m.type = get("type");
    m.reply_to = get("reply-to");
    m.message_id = get("message-id");
    m.redelivered = get("redelivered") == "true";
    m.persistent = get("persistent") == "true";
    m.bytes = reply_.header("content-length") != nullptr;
    for (const auto& [name, value] : reply_.headers) {
      if (!standard_header(name)) m.properties.emplace_back(name, value);
    }
    m.body = reply_.body;
    on_message(m, get("ack"));
    return true;
  }

  void acknowledge(std::string_view ack_id) override {
    frame_.clear();
    frame_.command = "ACK";
    frame_.add("id", std::string(ack_id));
    connection_.send(frame_);
  }

 private:
  StompConnection connection_;
  StompFrame frame_;
  StompFrame reply_;
  std::set<std::uint64_t> pending_;
};

}  // namespace

std::unique_ptr<JmsTransport> make_stomp_transport(const JmsSettings& settings) {
  return std::make_unique<StompTransport>(settings);
}

std::unique_ptr<JmsTransport> make_transport(const JmsSettings& settings) {
  if (settings.transport == "stomp") return make_stomp_transport(settings);
  if (settings.transport == "amqp10") return make_amqp10_transport(settings);
  throw JmsError(JmsErrorKind::kRefused, "unknown JMS transport '" + settings.transport + "'");
}

}  // namespace sluice::jms
