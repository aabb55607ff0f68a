#include "consume_amqp.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "amqp_connection.hpp"
#include "amqp_message.hpp"
#include "amqp_properties.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::amqp {

namespace {

constexpr std::string_view kSuccess = "success";
// Once a batch has begun, it ends at the first gap this long between deliveries (or when it is full): long
// enough for prefetched messages still on the wire, short enough not to hold received ones back.
constexpr std::chrono::milliseconds kBatchGap{5};

class ConsumeAmqp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    queue_ = context.string_property("queue");
    const std::int64_t prefetch = context.int_property("prefetch");
    if (prefetch < 1 || prefetch > 65'535)
      throw ProcessorError("prefetch must be between 1 and 65535, got " + std::to_string(prefetch));
    prefetch_ = static_cast<std::uint16_t>(prefetch);
    wait_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("receive_timeout"));
    headers_.reset();
    if (auto pattern = context.property("headers"); pattern && !pattern->empty())
      headers_ = standard::Regex::compile(*pattern, "property 'headers'");
    uri_ = transit_uri(settings_, queue_);
  }

  void on_stop(ProcessContext& /*context*/) override {
    const std::lock_guard lock(mutex_);
    connection_.reset();  // unacknowledged deliveries go back to the queue
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;  // another trigger is receiving on the one connection
    if (!connection_ && !connect(context)) return;
    std::optional<standard::Matcher> matcher;
    if (headers_) matcher.emplace(*headers_);
    std::uint64_t last_tag = 0;
    std::size_t received = 0;
    try {
      // Wait for the first message, then take what follows without a gap, up to the batch.
      while (received < context.batch_size() &&
             connection_->receive(received == 0 ? wait_ : kBatchGap, [&](const amqp_envelope_t& envelope) {
               FlowFile ff = session.create();
               const std::string_view body = to_view(envelope.message.body);
               session.write(ff, [&](OutputStream& out) { out.write(body); });
               put_message_attributes(session, ff, envelope, matcher ? &*matcher : nullptr);
               session.report_receive(ff, uri_);
               session.transfer(ff, kSuccess);
               last_tag = envelope.delivery_tag;
             })) {
        ++received;
      }
    } catch (const AmqpError& e) {
      // The deliveries of a broken channel cannot be acknowledged: the broker redelivers them, so the
      // FlowFiles made from them must not be committed (the engine rolls this session back).
      connection_.reset();
      throw ProcessorError(std::string(e.what()) + "; the broker redelivers what was not acknowledged");
    }
    if (received == 0) {
      context.yield();
      return;
    }
    session.commit();  // durable: only now may the broker forget the messages
    try {
      connection_->ack(last_tag, true);
    } catch (const AmqpError& e) {
      // Committed but not acknowledged: the broker redelivers these (amqp.redelivered = true), a duplicate
      // that at-least-once delivery allows.
      connection_.reset();
      context.log(LogLevel::kWarn, std::string(e.what()) + "; " + std::to_string(received) +
                                       " committed message(s) will be redelivered");
    }
  }

 private:
  bool connect(ProcessContext& context) {
    try {
      connection_ = std::make_unique<AmqpConnection>(settings_);
      connection_->consume(queue_, prefetch_);
      return true;
    } catch (const AmqpError& e) {
      connection_.reset();
      context.log(LogLevel::kWarn, std::string(e.what()) + "; will reconnect after the yield duration");
      context.yield();
      return false;
    }
  }

  AmqpSettings settings_;
  std::string queue_;
  std::string uri_;
  std::uint16_t prefetch_ = 500;
  std::chrono::milliseconds wait_{100};
  std::optional<standard::Regex> headers_;

  std::mutex mutex_;
  std::unique_ptr<AmqpConnection> connection_;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "ConsumeAMQP";
  s.summary = "Consumes messages from an AMQP 0-9-1 queue (RabbitMQ), acknowledging them after the commit.";
  s.description =
      "Consumes `queue` with manual acknowledgement and a prefetch of `prefetch` unacknowledged messages. "
      "Each trigger waits up to `receive_timeout` for a message, takes what else has arrived up to the "
      "schedule's `batch`, makes one FlowFile per message (RECEIVE provenance event "
      "`amqp://host:port/vhost/queue`), commits the session, and only then acknowledges the whole batch with "
      "one multiple-ack. A crash or a broken connection before the ack makes the broker redeliver the "
      "messages (`amqp.redelivered` = true): nothing is lost, and duplicates are possible (PublishAMQP sets "
      "message_id to recognize them). An unreachable broker, refused credentials or an unknown queue are "
      "logged and the processor yields, reconnecting after its yield duration. Headers whose names match "
      "`headers` become attributes of the same names; the exchange, routing key and message properties "
      "become `amqp.*` attributes.";
  s.tags = {"amqp", "rabbitmq", "consume", "receive", "message", "queue", "ingress"};
  s.input = InputRequirement::kForbidden;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      required_property("queue", PropertyKind::kString, "The queue to consume (it must exist)."),
      optional_property(
          "prefetch", PropertyKind::kInt, "500",
          "How many unacknowledged messages the broker may send ahead (basic.qos); at least the "
          "schedule's `batch` for full batches."),
      optional_property("receive_timeout", PropertyKind::kDuration, "100 ms",
                        "How long a trigger waits for the first message before yielding."),
      optional_property("headers", PropertyKind::kRegex, ".*",
                        "Headers whose whole names match this regex become attributes (empty: none)."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {{"success", "One FlowFile per message received."}};
  s.writes_attributes = {
      {"amqp.exchange", "The exchange the message was published to."},
      {"amqp.routing.key", "Its routing key."},
      {"amqp.redelivered", "true when the broker delivered it before (a possible duplicate)."},
      {"amqp.message.id",
       "Its message_id property (likewise amqp.content.type, amqp.content.encoding, "
       "amqp.correlation.id, amqp.reply.to, amqp.type, amqp.app.id, amqp.timestamp)."},
      {"(header name)", "Each header matching `headers`, as text."},
  };
  s.examples = {
      {"Consume device readings",
       "consume:\n  type: ConsumeAMQP\n  properties:\n    host: rabbit.example\n    username: meters\n"
       "    password: ${env:AMQP_PASSWORD}\n    queue: readings\n  schedule: { batch: 500 }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ConsumeAmqp>();
}

}  // namespace

const ProcessorDefinition& consume_amqp_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::amqp
