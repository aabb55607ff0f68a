#include "publish_jms.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "delivery_outcome.hpp"
#include "jms_properties.hpp"
#include "jms_transport.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::jms {

namespace {

// Attributes that set JMS header fields rather than properties.
constexpr std::string_view kCorrelationId = "jms.correlation.id";
constexpr std::string_view kType = "jms.type";
constexpr std::string_view kReplyTo = "jms.reply.to";

using standard::DeliveryOutcome;

class PublishJms final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    destination_ = context.string_property("destination");
    check_destination(settings_, destination_);
    bytes_ = context.string_property("message_type") == "bytes";
    persistent_ = context.bool_property("persistent");
    properties_.reset();
    if (auto pattern = context.property("properties"); pattern && !pattern->empty())
      properties_ = standard::Regex::compile(*pattern, "property 'properties'");
    uri_ = transit_uri(settings_, destination_);
  }

  void on_stop(ProcessContext& /*context*/) override {
    const std::lock_guard lock(mutex_);
    transport_.reset();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<FlowFile> flow_files = session.get(context.batch_size());
    if (flow_files.empty()) return;
    const std::lock_guard lock(mutex_);
    batch_.reset(flow_files);
    try {
      if (!transport_) transport_ = make_transport(settings_);
      send_all(session);
      transport_->await(settings_.timeout, [&](std::uint64_t token, std::string_view error) {
        batch_[token].settle(error.empty() ? DeliveryOutcome::kDelivered : DeliveryOutcome::kFailure, error);
      });
    } catch (const JmsError& e) {
      transport_.reset();
      batch_.settle_unanswered(context, e.kind() == JmsErrorKind::kTransient, e.what());
    }
    batch_.route_all(context, session, kReasonAttribute, [&](std::size_t /*index*/) { return uri_; });
  }

 private:
  void send_all(ProcessSession& session) {
    std::optional<standard::Matcher> matcher;
    if (properties_) matcher.emplace(*properties_);
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      standard::Delivery& entry = batch_[i];
      JmsMessage message;
      message.destination = destination_;
      message.bytes = bytes_;
      message.persistent = persistent_;
      const auto correlation = entry.ff.attribute(kCorrelationId);
      const auto type = entry.ff.attribute(kType);
      const auto reply_to = entry.ff.attribute(kReplyTo);
      if (correlation) message.correlation_id = correlation->view();
      if (type) message.type = type->view();
      if (reply_to) message.reply_to = reply_to->view();
      std::vector<std::string> storage;  // attribute texts the callback only lends
      if (matcher) {
        entry.ff.for_each_attribute([&](std::string_view name, std::string_view value) {
          if (name.starts_with("jms.") || name == "uuid" || !matcher->find(name, 0, true)) return;
          storage.emplace_back(name);
          storage.emplace_back(value);
        });
        for (std::size_t k = 0; k + 1 < storage.size(); k += 2)
          message.properties.emplace_back(storage[k], storage[k + 1]);
      }
      try {
        session.read(entry.ff, [&](InputStream& in) {
          message.body = in.view();
          transport_->send(message, i);
        });
        entry.settle(DeliveryOutcome::kSent);
      } catch (const JmsError& e) {
        if (e.kind() != JmsErrorKind::kRefused) throw;
        entry.settle(DeliveryOutcome::kFailure, e.what());  // this message only (a text message with a NUL)
      }
    }
  }

  JmsSettings settings_;
  std::string destination_;
  std::string uri_;
  bool bytes_ = false;
  bool persistent_ = true;
  std::optional<standard::Regex> properties_;

  std::mutex mutex_;
  std::unique_ptr<JmsTransport> transport_;
  standard::DeliveryBatch batch_;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "PublishJMS";
  s.summary =
      "Sends each FlowFile as a JMS message to a queue or topic (STOMP or AMQP 1.0), awaiting the broker's "
      "confirmation.";
  s.description =
      "Sends the content of each FlowFile as a TextMessage or BytesMessage to `destination`, persistent "
      "unless `persistent` is off. `transport` picks the wire protocol: `stomp` (STOMP 1.2, the default: "
      "ActiveMQ, Artemis; destinations `/queue/NAME` or `/topic/NAME`; each message asks for a receipt) or "
      "`amqp10` (AMQP 1.0 with the Qpid JMS client's mapping: RabbitMQ's AMQP 1.0 plugin, Artemis, Qpid; the "
      "destination is the link address, with RabbitMQ `/queue/NAME`, `/topic/KEY`, `/exchange/NAME/KEY` or "
      "`/amq/queue/NAME`; a TextMessage is an AmqpValue string, a BytesMessage a Data section; `tls` with "
      "verification and SASL PLAIN). A trigger sends its batch, then waits for the broker: a FlowFile goes "
      "to `success` (SEND provenance event `stomp://`, `amqp://` or `amqps://host:port` + destination) only "
      "once the broker confirmed its message (a STOMP receipt, an AMQP `accepted` outcome), which for a "
      "persistent message means the broker stored it. Attributes whose names match `properties` become "
      "string message properties (AMQP application properties); `jms.correlation.id`, `jms.type` and "
      "`jms.reply.to` set JMSCorrelationID, JMSType (AMQP subject) and JMSReplyTo. An unreachable broker, "
      "a broken connection, missing confirmations or a message the broker released send FlowFiles to "
      "`retry` (a message stored just as the connection broke is sent again: at-least-once); a refused "
      "login, an unknown destination, a message the broker refused (AMQP `rejected`) or a STOMP text "
      "message containing a NUL byte send them to `failure`. Both carry the reason in `jms.failure.reason`.";
  s.tags = {"jms",  "activemq", "stomp", "amqp",  "rabbitmq", "publish",
            "send", "message",  "queue", "topic", "egress"};
  s.input = InputRequirement::kRequired;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      required_property("destination", PropertyKind::kString,
                        "`/queue/NAME` or `/topic/NAME` (with AMQP 1.0, any address the broker knows)."),
      standard::enum_property(
          "message_type", "bytes",
          {{"bytes", "A BytesMessage (the content as it is)."},
           {"text", "A TextMessage (text: over STOMP without NUL bytes, over AMQP 1.0 UTF-8)."}},
          "The JMS message type to send."),
      optional_property("properties", PropertyKind::kRegex, std::nullopt,
                        "Attributes whose whole names match this regex become string message properties."),
      optional_property("persistent", PropertyKind::kBool, "true", "Send with JMS delivery mode PERSISTENT."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {
      {"success", "FlowFiles whose message the broker confirmed (a receipt, an `accepted` outcome)."},
      {"retry",
       "FlowFiles without a confirmation (broker unreachable, connection broken, timeout, released); list "
       "it in the processor's `retry:` block."},
      {"failure", "FlowFiles refused by the broker or not sendable (see `jms.failure.reason`)."},
  };
  s.reads_attributes = {{"jms.correlation.id", "JMSCorrelationID."},
                        {"jms.type", "JMSType."},
                        {"jms.reply.to", "JMSReplyTo (a destination)."}};
  s.writes_attributes = {{"jms.failure.reason", "Why a FlowFile went to `retry` or `failure`."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<PublishJms>();
}

}  // namespace

const ProcessorDefinition& publish_jms_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::jms
