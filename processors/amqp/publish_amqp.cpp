#include "publish_amqp.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "amqp_connection.hpp"
#include "amqp_message.hpp"
#include "amqp_properties.hpp"
#include "delivery_outcome.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::amqp {

namespace {

// How long one wait for confirms may block before checking the overall deadline again.
constexpr std::chrono::milliseconds kConfirmPoll{1000};

using standard::DeliveryOutcome;

class PublishAmqp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    exchange_ = context.string_property("exchange");
    persistent_ = context.bool_property("persistent");
    mandatory_ = context.bool_property("mandatory");
    confirm_timeout_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("confirm_timeout"));
    headers_.reset();
    if (auto pattern = context.property("headers"); pattern && !pattern->empty())
      headers_ = standard::Regex::compile(*pattern, "property 'headers'");
  }

  void on_stop(ProcessContext& /*context*/) override {
    const std::lock_guard lock(mutex_);
    connection_.reset();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<FlowFile> flow_files = session.get(context.batch_size());
    if (flow_files.empty()) return;
    const std::lock_guard lock(mutex_);
    batch_.reset(flow_files);
    routing_keys_.resize(flow_files.size());
    try {
      if (!connection_) {
        connection_ = std::make_unique<AmqpConnection>(settings_);
        connection_->confirm_select();
      }
      publish_all(context, session);
      await_confirms();
    } catch (const AmqpError& e) {
      connection_.reset();
      batch_.settle_unanswered(context, e.kind() == AmqpErrorKind::kTransient, e.what());
    }
    batch_.route_all(context, session, kReasonAttribute, [&](std::size_t i) {
      return transit_uri(settings_, exchange_ + "/" + routing_keys_[i]);
    });
  }

 private:
  void publish_all(const ProcessContext& context, ProcessSession& session) {
    const EvaluationEnvironment env = context.environment();
    std::optional<standard::Matcher> matcher;
    if (headers_) matcher.emplace(*headers_);
    first_sequence_ = 0;
    sequence_index_.clear();
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      standard::Delivery& entry = batch_[i];
      std::string& routing_key = routing_keys_[i];
      try {
        routing_key = context.expression("routing_key").evaluate(entry.ff, env);
      } catch (const ExpressionError& e) {
        entry.settle(DeliveryOutcome::kFailure, std::string("cannot evaluate the routing key: ") + e.what());
        continue;
      }
      if (routing_key.size() > 255) {
        entry.settle(DeliveryOutcome::kFailure, "the routing key is longer than 255 bytes");
        continue;
      }
      const amqp_basic_properties_t& properties =
          message_.build(entry.ff, persistent_, matcher ? &*matcher : nullptr);
      session.read(entry.ff, [&](InputStream& in) {
        const std::uint64_t sequence =
            connection_->publish(exchange_, routing_key, mandatory_, properties, in.view());
        if (first_sequence_ == 0) first_sequence_ = sequence;
      });
      entry.settle(DeliveryOutcome::kSent);
      sequence_index_.push_back(i);
    }
  }

  // Reads confirms until every published message is acked or nacked; returns come before their ack.
  void await_confirms() {
    std::size_t unconfirmed = sequence_index_.size();
    std::uint64_t cursor = first_sequence_;  // every sequence below it is confirmed
    std::vector<bool> confirmed(sequence_index_.size(), false);
    const auto deadline = std::chrono::steady_clock::now() + confirm_timeout_;
    const auto confirm = [&](std::uint64_t sequence, bool ack) {
      if (sequence < first_sequence_ || sequence - first_sequence_ >= confirmed.size()) return;
      const std::size_t n = sequence - first_sequence_;
      if (confirmed[n]) return;
      confirmed[n] = true;
      --unconfirmed;
      standard::Delivery& entry = batch_[sequence_index_[n]];
      if (entry.outcome != DeliveryOutcome::kSent) return;  // returned before its ack: stays a failure
      if (ack) {
        entry.settle(DeliveryOutcome::kDelivered);
      } else {
        entry.settle(DeliveryOutcome::kRetry, "the broker could not take the message (basic.nack)");
      }
    };
    const auto on_event = [&](const PublisherEvent& event) {
      if (event.type == PublisherEvent::Type::kReturn) {
        for (standard::Delivery& entry : batch_.entries()) {
          if (entry.outcome == DeliveryOutcome::kSent && entry.ff.uuid() == event.message_id) {
            entry.settle(DeliveryOutcome::kFailure,
                         "the broker returned the message as unroutable: " + event.reason);
            break;
          }
        }
        return;
      }
      const bool ack = event.type == PublisherEvent::Type::kAck;
      if (event.multiple) {
        for (std::uint64_t s = cursor; s <= event.delivery_tag; ++s) confirm(s, ack);
      } else {
        confirm(event.delivery_tag, ack);
      }
      while (cursor - first_sequence_ < confirmed.size() && confirmed[cursor - first_sequence_]) ++cursor;
    };
    while (unconfirmed > 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
        throw AmqpError(AmqpErrorKind::kTransient, "the broker did not confirm " +
                                                       std::to_string(unconfirmed) +
                                                       " message(s) within the confirm timeout");
      connection_->next_publisher_events(std::min(left, kConfirmPoll), on_event);
    }
  }

  AmqpSettings settings_;
  std::string exchange_;
  bool persistent_ = true;
  bool mandatory_ = true;
  std::chrono::milliseconds confirm_timeout_{30'000};
  std::optional<standard::Regex> headers_;

  std::mutex mutex_;  // one trigger at a time uses the connection and the buffers below
  std::unique_ptr<AmqpConnection> connection_;
  OutgoingMessage message_;
  standard::DeliveryBatch batch_;
  std::vector<std::string> routing_keys_;    // of each FlowFile of the batch
  std::vector<std::size_t> sequence_index_;  // batch index of each published sequence number, in order
  std::uint64_t first_sequence_ = 0;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "PublishAMQP";
  s.summary =
      "Publishes each FlowFile as a message to an AMQP 0-9-1 broker (RabbitMQ), with publisher confirms.";
  s.description =
      "Publishes the content of each FlowFile as one message to `exchange` with the routing key "
      "`routing_key` "
      "(evaluated per FlowFile), persistent (delivery mode 2) unless `persistent` is off. The channel is in "
      "publisher-confirm mode: a trigger publishes its batch (the schedule's `batch`), then waits for the "
      "broker's confirms, and a FlowFile goes to `success` (with a SEND provenance event "
      "`amqp://host:port/vhost/exchange/routing_key`) only once the broker acked its message, which for a "
      "persistent message on a durable queue means it is on the broker's disk. A message the broker nacks, "
      "an unreachable broker, a broken connection or a confirm timeout send the FlowFile to `retry`; a "
      "message returned as unroutable (`mandatory`), an exchange that does not exist, refused credentials or "
      "TLS verification, or a routing key that cannot be evaluated send it to `failure` (penalized). Both "
      "carry the reason in `amqp.failure.reason`. Attributes whose names match `headers` are sent as text "
      "headers; `amqp.content.type`, `amqp.content.encoding`, `amqp.correlation.id`, `amqp.reply.to`, "
      "`amqp.type` and `amqp.app.id` become the message properties of the same names, and message_id is the "
      "FlowFile's uuid, so consumers can recognize the duplicates that at-least-once delivery allows (a "
      "message confirmed just as the connection broke is published again).";
  s.tags = {"amqp", "rabbitmq", "publish", "send", "message", "queue", "egress"};
  s.input = InputRequirement::kRequired;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      optional_property(
          "exchange", PropertyKind::kString, "",
          "The exchange to publish to; empty is the default exchange, which routes to the queue "
          "named by the routing key."),
      required_property("routing_key", PropertyKind::kExpression,
                        "The routing key, evaluated per FlowFile (at most 255 bytes)."),
      optional_property("headers", PropertyKind::kRegex, std::nullopt,
                        "Attributes whose whole names match this regex are sent as message headers (text). "
                        "Unset: no headers."),
      optional_property(
          "persistent", PropertyKind::kBool, "true",
          "Publish with delivery mode 2, so the broker writes the message to disk (on a durable "
          "queue) before it confirms."),
      optional_property("mandatory", PropertyKind::kBool, "true",
                        "Ask the broker to return a message no queue takes; such a FlowFile goes to failure. "
                        "Off: the broker drops unroutable messages and they go to success."),
      optional_property("confirm_timeout", PropertyKind::kDuration, "30 s",
                        "How long to wait for the broker to confirm a batch before sending its unconfirmed "
                        "FlowFiles to retry."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {
      {"success", "FlowFiles whose message the broker confirmed."},
      {"retry",
       "FlowFiles not confirmed because the broker could not be reached, the connection broke, the broker "
       "nacked the message or did not confirm in time; list it in the processor's `retry:` block."},
      {"failure",
       "FlowFiles refused: returned as unroutable, unknown exchange, refused login or TLS verification, or "
       "a routing key that cannot be evaluated (see `amqp.failure.reason`)."},
  };
  s.reads_attributes = {
      {"amqp.content.type", "The message's content_type property."},
      {"amqp.correlation.id",
       "The message's correlation_id property (likewise amqp.content.encoding, "
       "amqp.reply.to, amqp.type, amqp.app.id)."},
  };
  s.writes_attributes = {{"amqp.failure.reason", "Why a FlowFile went to `retry` or `failure`."}};
  s.examples = {
      {"Publish meter readings to a topic exchange",
       "publish:\n  type: PublishAMQP\n  properties:\n    host: rabbit.example\n    username: meters\n"
       "    password: ${env:AMQP_PASSWORD}\n    exchange: readings\n"
       "    routing_key: meter.${meter.region}\n    headers: 'meter\\..*'\n"
       "  schedule: { batch: 500 }\n  retry: { relationships: [retry], policy: yield }\n"
       "  terminate: [success]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<PublishAmqp>();
}

}  // namespace

const ProcessorDefinition& publish_amqp_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::amqp
