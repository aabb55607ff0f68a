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

enum class State : std::uint8_t { kUnsent, kSent, kDelivered, kToRetry, kRefused };

struct Entry {
  FlowFile ff;
  State state = State::kUnsent;
  std::string reason;
};

class PublishJms final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    destination_ = context.string_property("destination");
    check_destination(destination_);
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
    batch_.resize(flow_files.size());
    for (std::size_t i = 0; i < flow_files.size(); ++i) batch_[i] = Entry{flow_files[i], State::kUnsent, {}};
    try {
      if (!transport_) transport_ = make_transport(settings_);
      send_all(session);
      transport_->await(settings_.timeout, [&](std::uint64_t token, std::string_view error) {
        Entry& entry = batch_[token];
        entry.state = error.empty() ? State::kDelivered : State::kRefused;
        entry.reason = std::string(error);
      });
    } catch (const JmsError& e) {
      // Whatever has no receipt is unaccounted for: retried (or failed when refused), never reported sent.
      transport_.reset();
      const bool retry = e.kind() == JmsErrorKind::kTransient;
      context.log(LogLevel::kWarn, std::string(e.what()) + (retry ? "; will retry" : ""));
      for (Entry& entry : batch_) {
        if (entry.state != State::kUnsent && entry.state != State::kSent) continue;
        entry.state = retry ? State::kToRetry : State::kRefused;
        entry.reason = e.what();
      }
    }
    for (Entry& entry : batch_) route(context, session, entry);
  }

 private:
  void send_all(ProcessSession& session) {
    std::optional<standard::Matcher> matcher;
    if (properties_) matcher.emplace(*properties_);
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      Entry& entry = batch_[i];
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
        entry.state = State::kSent;
      } catch (const JmsError& e) {
        if (e.kind() != JmsErrorKind::kRefused) throw;
        entry.state = State::kRefused;  // this message only (a text message with a NUL byte)
        entry.reason = e.what();
      }
    }
  }

  void route(const ProcessContext& context, ProcessSession& session, Entry& entry) const {
    const standard::DeliveryOutcome outcome =
        entry.state == State::kDelivered ? standard::DeliveryOutcome::kDelivered
        : entry.state == State::kRefused ? standard::DeliveryOutcome::kFailure
                                         : standard::DeliveryOutcome::kRetry;
    const std::string uri = outcome == standard::DeliveryOutcome::kDelivered ? uri_ : std::string();
    standard::route_delivery(context, session, entry.ff, outcome, uri, entry.reason, kReasonAttribute);
  }

  JmsSettings settings_;
  std::string destination_;
  std::string uri_;
  bool bytes_ = false;
  bool persistent_ = true;
  std::optional<standard::Regex> properties_;

  std::mutex mutex_;
  std::unique_ptr<JmsTransport> transport_;
  std::vector<Entry> batch_;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "PublishJMS";
  s.summary =
      "Sends each FlowFile as a JMS message to a queue or topic (ActiveMQ over STOMP), awaiting receipts.";
  s.description =
      "Sends the content of each FlowFile as a TextMessage or BytesMessage to `destination` (`/queue/NAME` "
      "or "
      "`/topic/NAME`), persistent unless `persistent` is off, each with a receipt request. A trigger sends "
      "its "
      "batch, then waits for the receipts: a FlowFile goes to `success` (SEND provenance event "
      "`stomp://host:port/queue/NAME`) only once the broker's receipt for its message arrived, which for a "
      "persistent message means the broker stored it. Attributes whose names match `properties` become "
      "string "
      "message properties; `jms.correlation.id`, `jms.type` and `jms.reply.to` set JMSCorrelationID, JMSType "
      "and JMSReplyTo. An unreachable broker, a broken connection or missing receipts send FlowFiles to "
      "`retry` (a message stored just as the connection broke is sent again: at-least-once); a refused "
      "login, "
      "a message the broker refused or a text message containing a NUL byte send them to `failure`. Both "
      "carry "
      "the reason in `jms.failure.reason`.";
  s.tags = {"jms", "activemq", "stomp", "publish", "send", "message", "queue", "topic", "egress"};
  s.input = InputRequirement::kRequired;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      required_property("destination", PropertyKind::kString, "`/queue/NAME` or `/topic/NAME`."),
      standard::enum_property("message_type", "bytes",
                              {{"bytes", "A BytesMessage (the content as it is)."},
                               {"text", "A TextMessage (the content must be text without NUL bytes)."}},
                              "The JMS message type to send."),
      optional_property("properties", PropertyKind::kRegex, std::nullopt,
                        "Attributes whose whole names match this regex become string message properties."),
      optional_property("persistent", PropertyKind::kBool, "true", "Send with JMS delivery mode PERSISTENT."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {
      {"success", "FlowFiles whose message the broker acknowledged with a receipt."},
      {"retry",
       "FlowFiles without a receipt (broker unreachable, connection broken, timeout); list it in the "
       "processor's `retry:` block."},
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
