#include "consume_jms.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "jms_properties.hpp"
#include "jms_transport.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::jms {

namespace {

constexpr std::string_view kSuccess = "success";
// Once a batch has begun, it ends at the first gap this long between messages (or when it is full).
constexpr std::chrono::milliseconds kBatchGap{5};

class ConsumeJms final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    destination_ = context.string_property("destination");
    check_destination(settings_, destination_);
    subscription_ = context.property("subscription_name").value_or("");
    settings_.client_id = context.property("client_id").value_or("");
    if (!subscription_.empty() && (settings_.client_id.empty() || !destination_.starts_with("/topic/")))
      throw ProcessorError(
          "a durable subscription (subscription_name) needs a /topic/ destination and a client_id");
    const std::int64_t prefetch = context.int_property("prefetch");
    if (prefetch < 1 || prefetch > 65'535)
      throw ProcessorError("prefetch must be between 1 and 65535, got " + std::to_string(prefetch));
    prefetch_ = static_cast<int>(prefetch);
    wait_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("receive_timeout"));
    properties_.reset();
    if (auto pattern = context.property("properties"); pattern && !pattern->empty())
      properties_ = standard::Regex::compile(*pattern, "property 'properties'");
    uri_ = transit_uri(settings_, destination_);
  }

  void on_stop(ProcessContext& /*context*/) override {
    const std::lock_guard lock(mutex_);
    transport_.reset();  // unacknowledged messages go back to the broker
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    if (!transport_ && !connect(context)) return;
    std::optional<standard::Matcher> matcher;
    if (properties_) matcher.emplace(*properties_);
    ack_ids_.clear();
    try {
      while (ack_ids_.size() < context.batch_size() &&
             transport_->receive(ack_ids_.empty() ? wait_ : kBatchGap,
                                 [&](const JmsMessage& m, std::string_view ack_id) {
                                   FlowFile ff = session.create();
                                   session.write(ff, [&](OutputStream& out) { out.write(m.body); });
                                   put_attributes(session, ff, m, matcher ? &*matcher : nullptr);
                                   session.report_receive(ff, uri_);
                                   session.transfer(ff, kSuccess);
                                   ack_ids_.emplace_back(ack_id);
                                 })) {
      }
    } catch (const JmsError& e) {
      transport_.reset();
      throw ProcessorError(std::string(e.what()) + "; the broker redelivers what was not acknowledged");
    }
    if (ack_ids_.empty()) {
      context.yield();
      return;
    }
    session.commit();  // durable: only now may the broker forget the messages
    try {
      for (const std::string& id : ack_ids_) transport_->acknowledge(id);
    } catch (const JmsError& e) {
      transport_.reset();
      context.log(LogLevel::kWarn, std::string(e.what()) + "; committed messages will be redelivered");
    }
  }

 private:
  static void put_attributes(ProcessSession& session, FlowFile& ff, const JmsMessage& m,
                             standard::Matcher* matcher) {
    session.put_attribute(ff, "jms.destination", m.destination);
    session.put_attribute(ff, "jms.message.id", m.message_id);
    session.put_attribute(ff, "jms.message.type", m.bytes ? "bytes" : "text");
    session.put_attribute(ff, "jms.redelivered", m.redelivered ? "true" : "false");
    if (!m.correlation_id.empty()) session.put_attribute(ff, "jms.correlation.id", m.correlation_id);
    if (!m.type.empty()) session.put_attribute(ff, "jms.type", m.type);
    if (!m.reply_to.empty()) session.put_attribute(ff, "jms.reply.to", m.reply_to);
    if (matcher == nullptr) return;
    for (const auto& [name, value] : m.properties) {
      if (name == "uuid" || name.starts_with("jms.") || !matcher->find(name, 0, true)) continue;
      session.put_attribute(ff, name, value);
    }
  }

  bool connect(ProcessContext& context) {
    try {
      transport_ = make_transport(settings_);
      transport_->subscribe(destination_, subscription_, prefetch_);
      return true;
    } catch (const JmsError& e) {
      transport_.reset();
      context.log(LogLevel::kWarn, std::string(e.what()) + "; will reconnect after the yield duration");
      context.yield();
      return false;
    }
  }

  JmsSettings settings_;
  std::string destination_;
  std::string subscription_;
  std::string uri_;
  int prefetch_ = 500;
  std::chrono::milliseconds wait_{100};
  std::optional<standard::Regex> properties_;

  std::mutex mutex_;
  std::unique_ptr<JmsTransport> transport_;
  std::vector<std::string> ack_ids_;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "ConsumeJMS";
  s.summary = "Receives JMS messages from a queue or a durable topic subscription (STOMP or AMQP 1.0).";
  s.description =
      "Subscribes to `destination` with client acknowledgement, over `transport` `stomp` (STOMP 1.2: "
      "ActiveMQ, Artemis; `/queue/NAME` or `/topic/NAME`) or `amqp10` (AMQP 1.0 with the Qpid JMS mapping: "
      "RabbitMQ's AMQP 1.0 plugin, Artemis, Qpid; a receiver with `prefetch` credits and manual "
      "settlement). With `client_id` and `subscription_name` a topic subscription is durable (messages "
      "published while the processor is stopped wait for it; over AMQP 1.0 the link is named after the "
      "subscription and detached, not closed, on stop — RabbitMQ 3.10's AMQP 1.0 plugin does not keep such "
      "subscriptions: consume a durable queue bound to the topic instead). Each trigger waits up to "
      "`receive_timeout` for a message, takes what follows up to the schedule's `batch`, makes one FlowFile "
      "per message (RECEIVE provenance event), commits the session and only then acknowledges (AMQP: "
      "accepts) each message. A crash or broken connection before the acknowledgement makes the broker "
      "redeliver (`jms.redelivered` = true where the broker says so): nothing is lost, duplicates are "
      "possible. String properties whose names match `properties` become attributes of the same names; "
      "JMSCorrelationID, JMSType and JMSReplyTo become `jms.correlation.id`, `jms.type`, `jms.reply.to`.";
  s.tags = {"jms",     "activemq", "stomp", "amqp",  "rabbitmq", "consume",
            "receive", "message",  "queue", "topic", "ingress"};
  s.input = InputRequirement::kForbidden;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      required_property("destination", PropertyKind::kString,
                        "`/queue/NAME` or `/topic/NAME` (with AMQP 1.0, any address the broker knows)."),
      optional_property("client_id", PropertyKind::kString, std::nullopt,
                        "The JMS client id (required for a durable subscription; unique per connection)."),
      optional_property("subscription_name", PropertyKind::kString, std::nullopt,
                        "Makes the topic subscription durable under this name."),
      optional_property("prefetch", PropertyKind::kInt, "500",
                        "How many unacknowledged messages the broker "
                        "may send ahead."),
      optional_property("receive_timeout", PropertyKind::kDuration, "100 ms",
                        "How long a trigger waits for the first message before yielding."),
      optional_property(
          "properties", PropertyKind::kRegex, ".*",
          "Message properties whose whole names match this regex become attributes (empty: none)."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {{"success", "One FlowFile per message received."}};
  s.writes_attributes = {
      {"jms.destination", "Where the message was sent."},
      {"jms.message.id", "JMSMessageID."},
      {"jms.message.type", "`text` or `bytes`."},
      {"jms.redelivered", "true when the broker delivered it before (a possible duplicate)."},
      {"jms.correlation.id", "JMSCorrelationID (likewise jms.type, jms.reply.to)."},
      {"(property name)", "Each string property matching `properties`."},
  };
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ConsumeJms>();
}

}  // namespace

const ProcessorDefinition& consume_jms_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::jms
