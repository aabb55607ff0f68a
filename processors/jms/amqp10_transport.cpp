// The AMQP 1.0 JmsTransport (qpid-proton C++), with the JMS mapping the Qpid JMS client uses: the destination
// is the link address (and the `to` field), a TextMessage is an AmqpValue string and a BytesMessage a Data
// section (annotated `x-opt-jms-msg-type` 5 or 3, `x-opt-jms-dest` 0 queue or 1 topic), properties are
// application properties, JMSCorrelationID/JMSType/JMSReplyTo are correlation-id/subject/reply-to, and
// persistent means the header's `durable`. A send succeeds only on the broker's `accepted` outcome. A
// receiver gets `prefetch` credits, each replenished as a message is handed over, and settles (accepts) a
// message only when acknowledge() is called, after the session commit.
//
// The connection is driven on the calling thread (proton::io::connection_driver over our own non-blocking
// socket): no threads, and every wait is bounded by the caller's timeout. Proton's headers stay in this file.
#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <unordered_map>

#include <proton/codec/map.hpp>
#include <proton/connection.hpp>
#include <proton/connection_options.hpp>
#include <proton/delivery.hpp>
#include <proton/error_condition.hpp>
#include <proton/io/connection_driver.hpp>
#include <proton/message.hpp>
#include <proton/message_id.hpp>
#include <proton/messaging_handler.hpp>
#include <proton/receiver.hpp>
#include <proton/receiver_options.hpp>
#include <proton/sasl.hpp>
#include <proton/scalar.hpp>
#include <proton/sender.hpp>
#include <proton/sender_options.hpp>
#include <proton/source.hpp>
#include <proton/source_options.hpp>
#include <proton/ssl.hpp>
#include <proton/target.hpp>
#include <proton/target_options.hpp>
#include <proton/tracker.hpp>
#include <proton/transport.hpp>
#include <proton/types.hpp>
#include <sys/socket.h>

#include "jms_transport.hpp"
#include "tcp_socket.hpp"

namespace sluice::jms {

namespace {

// Qpid JMS's message annotations (the AMQP JMS mapping).
const proton::symbol kMsgType("x-opt-jms-msg-type");
const proton::symbol kDestType("x-opt-jms-dest");
constexpr std::int8_t kBytesMessage = 3;
constexpr std::int8_t kTextMessage = 5;
constexpr std::int8_t kQueue = 0;
constexpr std::int8_t kTopic = 1;

// Errors whose retry cannot succeed without someone changing the flow or the broker.
bool refusal(const proton::error_condition& e) {
  const std::string name = e.name();
  return name == "amqp:unauthorized-access" || name == "amqp:not-found" || name == "amqp:not-allowed" ||
         name == "amqp:invalid-field" || name == "amqp:not-implemented" || name == "amqp:precondition-failed";
}

std::string id_text(const proton::message_id& id) {
  if (id.empty()) return {};
  if (id.type() == proton::STRING) return proton::get<std::string>(id);
  return proton::to_string(id);
}

class Amqp10Transport final : public JmsTransport, public proton::messaging_handler {
 public:
  explicit Amqp10Transport(const JmsSettings& settings)
      : peer_(settings.host + ":" + std::to_string(settings.port)),
        timeout_(settings.timeout),
        driver_(settings.client_id.empty() ? std::string("sluice") : settings.client_id) {
    std::string error;
    fd_ = connect_socket(settings.host, settings.port, settings.timeout, error);
    if (fd_ < 0) throw JmsError(JmsErrorKind::kTransient, "cannot connect to " + peer_ + ": " + error);
    proton::connection_options options(*this);
    options.virtual_host(settings.host);  // also the name TLS verifies the certificate against
    if (!settings.username.empty()) {
      login_ = true;
      options.user(settings.username).password(settings.password);
      options.sasl_allowed_mechs("PLAIN").sasl_allow_insecure_mechs(true);
    }
    if (settings.tls) {
      const auto mode = settings.verify_hostname ? proton::ssl::VERIFY_PEER_NAME : proton::ssl::VERIFY_PEER;
      options.ssl_client_options(settings.ca_file.empty()
                                     ? proton::ssl_client_options(mode)
                                     : proton::ssl_client_options(settings.ca_file, mode));
    }
    driver_.connect(options);
    if (!pump(deadline(), [&] { return open_; }))
      fail(JmsErrorKind::kTransient, "no AMQP 1.0 open from " + peer_ + " in time");
  }

  ~Amqp10Transport() override {
    try {
      if (!failed_ && open_) {
        // A durable subscription is detached, not closed: the broker keeps it for the next attach.
        if (durable_ && receiver_) receiver_.detach();
        driver_.connection().close();
        pump(std::chrono::steady_clock::now() + std::chrono::seconds(1), [] { return false; });
      }
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): closing a broken connection
    }
    ::close(fd_);
  }
  Amqp10Transport(const Amqp10Transport&) = delete;
  Amqp10Transport& operator=(const Amqp10Transport&) = delete;

  void send(const JmsMessage& message, std::uint64_t token) override {
    proton::sender& sender = sender_for(message.destination);
    if (sender.credit() <= 0 && !pump(deadline(), [&] { return sender.credit() > 0; }))
      fail(JmsErrorKind::kTransient,
           "no credit from " + peer_ + " to send to " + std::string(message.destination));
    out_.clear();
    out_.to(std::string(message.destination));
    out_.durable(message.persistent);
    if (!message.correlation_id.empty()) out_.correlation_id(std::string(message.correlation_id));
    if (!message.type.empty()) out_.subject(std::string(message.type));
    if (!message.reply_to.empty()) out_.reply_to(std::string(message.reply_to));
    for (const auto& [name, value] : message.properties)
      out_.properties().put(std::string(name), proton::scalar(std::string(value)));
    out_.message_annotations().put(kMsgType, message.bytes ? kBytesMessage : kTextMessage);
    out_.message_annotations().put(kDestType, message.destination.starts_with("/topic/") ? kTopic : kQueue);
    if (message.bytes) {
      out_.content_type("application/octet-stream");
      out_.body(proton::binary(message.body.begin(), message.body.end()));
      out_.inferred(true);  // a Data section, not an AmqpValue holding binary
    } else {
      out_.body(std::string(message.body));
    }
    proton::binary tag(sizeof token);
    std::memcpy(tag.data(), &token, sizeof token);
    sender.send(out_, tag);
    ++pending_;
    flush();
  }

  void await(std::chrono::milliseconds timeout,
             const std::function<void(std::uint64_t, std::string_view)>& on_result) override {
    on_result_ = &on_result;
    const bool all = pump(std::chrono::steady_clock::now() + timeout, [&] { return pending_ == 0; });
    on_result_ = nullptr;
    if (!all)
      fail(JmsErrorKind::kTransient,
           "no outcome from " + peer_ + " for " + std::to_string(pending_) + " message(s) in time");
    if (released_ > 0) {
      const std::size_t released = released_;
      released_ = 0;
      throw JmsError(JmsErrorKind::kTransient,
                     "the broker released " + std::to_string(released) + " message(s) without taking them");
    }
  }

  void subscribe(std::string_view destination, std::string_view durable_name, int prefetch) override {
    proton::source_options source;
    source.address(std::string(destination));
    proton::receiver_options options;
    options.auto_accept(false).credit_window(0);
    if (!durable_name
             .empty()) {  // as Qpid JMS: the link name is the subscription, the container id the client
      source.durability_mode(proton::source::UNSETTLED_STATE).expiry_policy(proton::source::NEVER);
      options.name(std::string(durable_name));
      durable_ = true;
    } else if (!destination.starts_with("/topic/")) {
      // A JMS queue is durable; RabbitMQ declares the queue of a /queue/ address with the terminus's
      // durability and refuses a link whose durability differs from the existing queue's.
      source.durability_mode(proton::source::CONFIGURATION);
    }
    options.source(source);
    receiver_ = driver_.connection().open_receiver(std::string(destination), options);
    subscription_ = destination;
    if (!pump(deadline(), [&] { return receiver_.active(); }))
      fail(JmsErrorKind::kTransient, "no answer from " + peer_ + " to the subscription to " + subscription_);
    receiver_.add_credit(static_cast<std::uint32_t>(prefetch));
    flush();
  }

  bool receive(std::chrono::milliseconds timeout,
               const std::function<void(const JmsMessage&, std::string_view)>& on_message) override {
    if (arrived_.empty() &&
        !pump(std::chrono::steady_clock::now() + timeout, [&] { return !arrived_.empty(); }))
      return false;
    Arrival arrival = std::move(arrived_.front());
    arrived_.pop_front();
    receiver_.add_credit(1);  // the prefetch window moves as messages are handed over
    const std::uint64_t id = ++last_delivery_;
    unacknowledged_.emplace(id, arrival.delivery);
    deliver(arrival.message, std::to_string(id), on_message);
    return true;
  }

  void acknowledge(std::string_view ack_id) override {
    std::uint64_t id = 0;
    std::from_chars(ack_id.data(), ack_id.data() + ack_id.size(), id);
    const auto it = unacknowledged_.find(id);
    if (it == unacknowledged_.end()) return;
    it->second.accept();
    unacknowledged_.erase(it);
    flush();
  }

  // proton::messaging_handler: called from dispatch() inside pump(), on this thread.
  void on_connection_open(proton::connection& /*connection*/) override { open_ = true; }
  void on_tracker_accept(proton::tracker& tracker) override { settle(tracker, {}); }
  void on_tracker_reject(proton::tracker& tracker) override {
    settle(tracker, "the broker rejected the message");
  }
  void on_tracker_release(proton::tracker& tracker) override {
    // released or modified: the broker did not take it this time. Left unanswered, its FlowFile goes to
    // retry when await() reports the release.
    if (pending_ > 0) --pending_;
    (void)tracker;
    ++released_;
  }
  void on_message(proton::delivery& delivery, proton::message& message) override {
    Arrival& arrival = arrived_.emplace_back();
    swap(arrival.message, message);
    arrival.delivery = delivery;
  }
  void on_transport_error(proton::transport& transport) override { record(transport.error()); }
  void on_connection_error(proton::connection& connection) override { record(connection.error()); }
  void on_sender_error(proton::sender& sender) override { record(sender.error()); }
  void on_receiver_error(proton::receiver& receiver) override { record(receiver.error()); }
  void on_error(const proton::error_condition& error) override { record(error); }

 private:
  struct Arrival {
    proton::message message;
    proton::delivery delivery;
  };

  [[nodiscard]] std::chrono::steady_clock::time_point deadline() const {
    return std::chrono::steady_clock::now() + timeout_;
  }

  proton::sender& sender_for(std::string_view destination) {
    const auto it = senders_.find(destination);
    if (it != senders_.end()) return it->second;
    proton::target_options target;
    target.address(std::string(destination));
    if (!destination.starts_with("/topic/")) target.durability_mode(proton::target::CONFIGURATION);
    proton::sender_options options;
    options.target(target);
    proton::sender& sender = senders_
                                 .emplace(std::string(destination),
                                          driver_.connection().open_sender(std::string(destination), options))
                                 .first->second;
    if (!pump(deadline(), [&] { return sender.active(); }))
      fail(JmsErrorKind::kTransient,
           "no answer from " + peer_ + " to a sender for " + std::string(destination));
    return sender;
  }

  void settle(proton::tracker& tracker, std::string_view error) {
    if (pending_ > 0) --pending_;
    const proton::binary tag = tracker.tag();
    std::uint64_t token = 0;
    if (tag.size() == sizeof token) std::memcpy(&token, tag.data(), sizeof token);
    if (on_result_ != nullptr) (*on_result_)(token, error);
  }

  void deliver(const proton::message& m, const std::string& ack_id,
               const std::function<void(const JmsMessage&, std::string_view)>& on_message) {
    JmsMessage out;
    in_destination_ = m.to().empty() ? subscription_ : m.to();
    in_correlation_ = id_text(m.correlation_id());
    in_type_ = m.subject();
    in_reply_to_ = m.reply_to();
    in_message_id_ = id_text(m.id());
    const proton::value& body = m.body();
    out.bytes = body.type() == proton::BINARY;
    if (out.bytes) {
      const auto data = proton::get<proton::binary>(body);
      in_body_.assign(data.begin(), data.end());
    } else if (body.type() == proton::STRING) {
      in_body_ = proton::get<std::string>(body);
    } else if (body.empty()) {
      in_body_.clear();
    } else {
      in_body_ = proton::to_string(body);  // another AMQP value (a map, a list): its text form
    }
    in_properties_.clear();
    if (!m.properties().empty()) {
      std::map<std::string, proton::scalar> properties;
      proton::get(m.properties().value(), properties);
      for (const auto& [name, value] : properties)
        in_properties_.emplace_back(name, value.type() == proton::STRING ? proton::get<std::string>(value)
                                                                         : proton::to_string(value));
    }
    out.destination = in_destination_;
    out.correlation_id = in_correlation_;
    out.type = in_type_;
    out.reply_to = in_reply_to_;
    out.message_id = in_message_id_;
    // Qpid JMS reads a delivery count above 0; RabbitMQ marks a redelivery only by first-acquirer false (an
    // absent header reads the same: such a message is flagged as a possible duplicate, the safe side).
    out.redelivered = m.delivery_count() > 0 || !m.first_acquirer();
    out.persistent = m.durable();
    for (const auto& [name, value] : in_properties_) out.properties.emplace_back(name, value);
    out.body = in_body_;
    on_message(out, ack_id);
  }

  void record(const proton::error_condition& error) {
    if (error_.empty() && error) {
      error_ = error.what();
      error_kind_ = refusal(error) ? JmsErrorKind::kRefused : JmsErrorKind::kTransient;
    }
  }

  // A refused login closes proton's side of the transport, but its error surfaces only once the broker has
  // closed the socket too (seconds later with RabbitMQ): read the SASL outcome as soon as it arrives.
  void check_login() {
    const enum proton::sasl::outcome result = driver_.transport().sasl().outcome();
    if (result == proton::sasl::NONE) return;
    login_ = false;
    if (result == proton::sasl::OK) return;
    error_ = "the broker refused the login (SASL outcome " + std::to_string(static_cast<int>(result)) +
             (result == proton::sasl::AUTH ? ": bad credentials)" : ")");
    error_kind_ = result == proton::sasl::TEMP ? JmsErrorKind::kTransient : JmsErrorKind::kRefused;
  }

  [[noreturn]] void fail(JmsErrorKind kind, const std::string& message) {
    failed_ = true;
    throw JmsError(kind, message);
  }

  // Writes what proton has to send, as far as the socket takes it without blocking.
  void flush() {
    for (;;) {
      const proton::io::const_buffer out = driver_.write_buffer();
      if (out.size == 0) return;
      const ssize_t n = ::send(fd_, out.data, out.size, MSG_NOSIGNAL);
      if (n > 0) {
        driver_.write_done(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
      driver_.disconnected(proton::error_condition("sluice:io", std::strerror(errno)));
      return;
    }
  }

  void read() {
    const proton::io::mutable_buffer in = driver_.read_buffer();
    if (in.size == 0) return;
    const ssize_t n = ::recv(fd_, in.data, in.size, 0);
    if (n > 0) {
      driver_.read_done(static_cast<std::size_t>(n));
    } else if (n == 0) {
      driver_.read_close();
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      driver_.disconnected(proton::error_condition("sluice:io", std::strerror(errno)));
    }
  }

  // Runs the connection (events, writes, reads, heartbeats) until `done()` holds or `until` passes (false).
  // Throws JmsError when the connection failed or the broker closed it.
  template <class Done>
  bool pump(std::chrono::steady_clock::time_point until, Done done) {
    for (;;) {
      const bool alive = driver_.dispatch();
      // Proton reports a transport error (TLS verification, refused login) only once both directions have
      // closed, which would wait for the peer: take it as soon as the transport has it.
      if (error_.empty()) record(driver_.transport().error());
      if (error_.empty() && login_) check_login();
      if (!error_.empty()) fail(error_kind_, "AMQP 1.0 peer " + peer_ + ": " + error_);
      if (done()) return true;
      if (!alive) fail(JmsErrorKind::kTransient, "the connection to " + peer_ + " closed");
      flush();
      int wait = remaining_ms(until);
      const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      const proton::timestamp next = driver_.tick(proton::timestamp(now_ms));
      if (next.milliseconds() != 0)
        wait = std::min(wait, static_cast<int>(std::max<std::int64_t>(0, next.milliseconds() - now_ms)));
      pollfd p{fd_, POLLIN, 0};
      if (driver_.write_buffer().size > 0) p.events |= POLLOUT;
      const int ready = ::poll(&p, 1, wait);
      if (ready > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) read();
      if (remaining_ms(until) == 0) {  // also when data keeps arriving: the wait is bounded either way
        driver_.dispatch();
        return done();
      }
    }
  }

  std::string peer_;
  std::chrono::milliseconds timeout_;
  proton::io::connection_driver driver_;
  int fd_ = -1;
  bool open_ = false;
  bool login_ = false;  // a SASL outcome is still to come
  bool failed_ = false;
  std::string error_;
  JmsErrorKind error_kind_ = JmsErrorKind::kTransient;

  // Sending.
  std::map<std::string, proton::sender, std::less<>> senders_;
  proton::message out_;
  std::size_t pending_ = 0;
  std::size_t released_ = 0;
  const std::function<void(std::uint64_t, std::string_view)>* on_result_ = nullptr;

  // Receiving.
  proton::receiver receiver_;
  std::string subscription_;
  bool durable_ = false;
  std::deque<Arrival> arrived_;
  std::uint64_t last_delivery_ = 0;
  std::unordered_map<std::uint64_t, proton::delivery> unacknowledged_;
  std::string in_destination_, in_correlation_, in_type_, in_reply_to_, in_message_id_, in_body_;
  std::vector<std::pair<std::string, std::string>> in_properties_;
};

}  // namespace

std::unique_ptr<JmsTransport> make_amqp10_transport(const JmsSettings& settings) {
  return std::make_unique<Amqp10Transport>(settings);
}

}  // namespace sluice::jms
