// One AMQP 0-9-1 connection with one channel (librabbitmq): opened over TCP or TLS (peer and host name
// verified), used by one thread at a time. The publisher side publishes in confirm mode and reads the
// broker's confirms and returns; the consumer side sets a prefetch, consumes a queue and acknowledges
// deliveries.
#pragma once

#include <amqp.h>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sluice::amqp {

enum class AmqpErrorKind : std::uint8_t {
  kTransient,  // the broker is unreachable or the connection broke: retrying later may succeed
  kRefused,    // the broker refused us (credentials, virtual host, TLS verification, unknown queue)
};

class AmqpError : public std::runtime_error {
 public:
  AmqpError(AmqpErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] AmqpErrorKind kind() const { return kind_; }

 private:
  AmqpErrorKind kind_;
};

struct AmqpSettings {
  std::string host = "127.0.0.1";
  int port = 5672;
  std::string virtual_host = "/";
  std::string username = "guest";
  std::string password;  // sensitive: never in messages
  bool tls = false;
  std::string ca_file;  // empty: the system's trusted certificates
  std::string client_certificate_file;
  std::string client_key_file;
  bool verify_hostname = true;
  std::chrono::milliseconds connect_timeout{10'000};
  int heartbeat_seconds = 60;
};

// What the broker said about published messages (confirm mode), in the order it said it.
struct PublisherEvent {
  enum class Type : std::uint8_t { kAck, kNack, kReturn } type = Type::kAck;
  std::uint64_t delivery_tag = 0;  // kAck/kNack: the publish sequence number (with `multiple`: up to it)
  bool multiple = false;
  std::string_view message_id;  // kReturn: the returned message's message_id (valid during the callback)
  std::string reason;           // kReturn: the broker's reply code and text
};

class AmqpConnection {
 public:
  explicit AmqpConnection(const AmqpSettings& settings);
  ~AmqpConnection();
  AmqpConnection(const AmqpConnection&) = delete;
  AmqpConnection& operator=(const AmqpConnection&) = delete;

  // Publisher: confirm mode; then each publish gets the next sequence number, starting at 1.
  void confirm_select();
  std::uint64_t publish(std::string_view exchange, std::string_view routing_key, bool mandatory,
                        const amqp_basic_properties_t& properties, std::string_view body);
  // Waits up to `timeout` for the next frame and passes each confirm or return to `on_event`; false when
  // the time passed with nothing to read. Throws AmqpError when the channel or connection closes.
  bool next_publisher_events(std::chrono::milliseconds timeout,
                             const std::function<void(const PublisherEvent&)>& on_event);

  // Consumer: at most `prefetch` unacknowledged deliveries, then consume `queue` with manual acks.
  void consume(std::string_view queue, std::uint16_t prefetch);
  // The next delivery, waiting at most `timeout`; false when none came. The envelope stays valid until the
  // next call of receive() or the connection is destroyed.
  bool receive(std::chrono::milliseconds timeout,
               const std::function<void(const amqp_envelope_t&)>& on_message);
  // Acknowledges `delivery_tag` and, with `multiple`, every earlier delivery of the channel.
  void ack(std::uint64_t delivery_tag, bool multiple);

 private:
  void open(const AmqpSettings& settings);
  void check_rpc(std::string_view what);
  [[noreturn]] void fail(AmqpErrorKind kind, const std::string& message);
  [[noreturn]] void fail_closed(const amqp_frame_t& frame);

  std::string peer_;  // host:port, for messages
  amqp_connection_state_t state_ = nullptr;
  bool broken_ = false;
  std::uint64_t next_sequence_ = 1;
  bool has_envelope_ = false;
  amqp_envelope_t envelope_{};
};

// librabbitmq's bytes for a view (librabbitmq never writes through them).
amqp_bytes_t to_bytes(std::string_view text);
std::string_view to_view(const amqp_bytes_t& bytes);

}  // namespace sluice::amqp
