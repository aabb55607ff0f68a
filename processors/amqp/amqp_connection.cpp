#include "amqp_connection.hpp"

#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>

#include <sys/time.h>

namespace sluice::amqp {

namespace {

constexpr amqp_channel_t kChannel = 1;
constexpr int kFrameMax = 131'072;

timeval to_timeval(std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  return tv;
}

// Reply codes that mean "this will not work however often we retry" (AMQP 0-9-1 constants).
AmqpErrorKind kind_for_code(int code) {
  switch (code) {
    case 402:  // INVALID_PATH
    case 403:  // ACCESS_REFUSED
    case 404:  // NOT_FOUND
    case 405:  // RESOURCE_LOCKED
    case 406:  // PRECONDITION_FAILED
    case 530:  // NOT_ALLOWED (an unknown virtual host)
      return AmqpErrorKind::kRefused;
    default: return AmqpErrorKind::kTransient;
  }
}

// The reply code and text of a channel.close or connection.close method, or nullopt for other methods.
struct CloseReason {
  int code = 0;
  std::string text;
};

bool close_reason(const amqp_method_t& method, CloseReason& out) {
  if (method.id == AMQP_CHANNEL_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_channel_close_t*>(method.decoded);
    out = CloseReason{close->reply_code, std::string(to_view(close->reply_text))};
    return true;
  }
  if (method.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_connection_close_t*>(method.decoded);
    out = CloseReason{close->reply_code, std::string(to_view(close->reply_text))};
    return true;
  }
  return false;
}

}  // namespace

amqp_bytes_t to_bytes(std::string_view text) {
  amqp_bytes_t bytes;
  bytes.len = text.size();
  bytes.bytes = const_cast<char*>(text.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): read only
  return bytes;
}

std::string_view to_view(const amqp_bytes_t& bytes) {
  return bytes.len == 0 ? std::string_view()
                        : std::string_view(static_cast<const char*>(bytes.bytes), bytes.len);
}

AmqpConnection::AmqpConnection(const AmqpSettings& settings)
    : peer_(settings.host + ":" + std::to_string(settings.port)) {
  state_ = amqp_new_connection();
  if (state_ == nullptr) throw AmqpError(AmqpErrorKind::kTransient, "cannot allocate an AMQP connection");
  try {
    open(settings);
  } catch (...) {
    amqp_destroy_connection(state_);
    throw;
  }
}

void AmqpConnection::open(const AmqpSettings& settings) {
  amqp_socket_t* socket = settings.tls ? amqp_ssl_socket_new(state_) : amqp_tcp_socket_new(state_);
  if (socket == nullptr) fail(AmqpErrorKind::kTransient, "cannot create a socket for " + peer_);
  if (settings.tls) {
    if (!settings.ca_file.empty() && amqp_ssl_socket_set_cacert(socket, settings.ca_file.c_str()) != 0)
      fail(AmqpErrorKind::kRefused, "cannot read the CA file " + settings.ca_file);
    if (!settings.client_certificate_file.empty() &&
        amqp_ssl_socket_set_key(socket, settings.client_certificate_file.c_str(),
                                settings.client_key_file.c_str()) != 0)
      fail(AmqpErrorKind::kRefused, "cannot read the client certificate " + settings.client_certificate_file +
                                        " or its key " + settings.client_key_file);
    amqp_ssl_socket_set_verify_peer(socket, 1);
    amqp_ssl_socket_set_verify_hostname(socket, settings.verify_hostname ? 1 : 0);
  }
  timeval timeout = to_timeval(settings.connect_timeout);
  const int opened = amqp_socket_open_noblock(socket, settings.host.c_str(), settings.port, &timeout);
  if (opened != AMQP_STATUS_OK) {
    const bool tls_refused =
        opened == AMQP_STATUS_SSL_ERROR || opened == AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED ||
        opened == AMQP_STATUS_SSL_PEER_VERIFY_FAILED || opened == AMQP_STATUS_SSL_CONNECTION_FAILED;
    fail(tls_refused ? AmqpErrorKind::kRefused : AmqpErrorKind::kTransient,
         std::string(tls_refused ? "TLS handshake with " : "cannot connect to ") + peer_ + ": " +
             amqp_error_string2(opened));
  }
  amqp_set_rpc_timeout(state_, &timeout);
  const amqp_rpc_reply_t login =
      amqp_login(state_, settings.virtual_host.c_str(), 0, kFrameMax, settings.heartbeat_seconds,
                 AMQP_SASL_METHOD_PLAIN, settings.username.c_str(), settings.password.c_str());
  if (login.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION) {
    CloseReason reason;
    close_reason(login.reply, reason);
    fail(AmqpErrorKind::kRefused, "the broker at " + peer_ + " refused the login of '" + settings.username +
                                      "' to virtual host '" + settings.virtual_host + "': " + reason.text);
  }
  if (login.reply_type != AMQP_RESPONSE_NORMAL) {
    // RabbitMQ closes the socket on bad credentials when the client does not ask for a close reason.
    fail(AmqpErrorKind::kTransient,
         "login to " + peer_ + " failed: " + amqp_error_string2(login.library_error));
  }
  amqp_channel_open(state_, kChannel);
  check_rpc("opening a channel");
}

AmqpConnection::~AmqpConnection() {
  if (has_envelope_) amqp_destroy_envelope(&envelope_);
  if (!broken_) {
    // A clean close; the broker requeues what was delivered and not acknowledged either way.
    amqp_channel_close(state_, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
}

void AmqpConnection::fail(AmqpErrorKind kind, const std::string& message) {
  broken_ = true;
  throw AmqpError(kind, message);
}

void AmqpConnection::check_rpc(std::string_view what) {
  const amqp_rpc_reply_t reply = amqp_get_rpc_reply(state_);
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL: return;
    case AMQP_RESPONSE_SERVER_EXCEPTION: {
      CloseReason reason;
      close_reason(reply.reply, reason);
      fail(kind_for_code(reason.code), std::string(what) + " on " + peer_ + " failed: " + reason.text);
    }
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      fail(AmqpErrorKind::kTransient,
           std::string(what) + " on " + peer_ + " failed: " + amqp_error_string2(reply.library_error));
    case AMQP_RESPONSE_NONE: break;
  }
  fail(AmqpErrorKind::kTransient, std::string(what) + " on " + peer_ + " failed: no reply");
}

void AmqpConnection::fail_closed(const amqp_frame_t& frame) {
  CloseReason reason;
  close_reason(frame.payload.method, reason);
  fail(kind_for_code(reason.code),
       "the broker at " + peer_ + " closed the " +
           (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ? "channel" : "connection") + ": " +
           reason.text);
}

void AmqpConnection::confirm_select() {
  amqp_confirm_select(state_, kChannel);
  check_rpc("selecting publisher confirms");
  next_sequence_ = 1;
}

std::uint64_t AmqpConnection::publish(std::string_view exchange, std::string_view routing_key, bool mandatory,
                                      const amqp_basic_properties_t& properties, std::string_view body) {
  const int rc = amqp_basic_publish(state_, kChannel, to_bytes(exchange), to_bytes(routing_key),
                                    mandatory ? 1 : 0, 0, &properties, to_bytes(body));
  if (rc != AMQP_STATUS_OK)
    fail(AmqpErrorKind::kTransient, "publishing to " + peer_ + " failed: " + amqp_error_string2(rc));
  return next_sequence_++;
}

bool AmqpConnection::next_publisher_events(std::chrono::milliseconds timeout,
                                           const std::function<void(const PublisherEvent&)>& on_event) {
  amqp_maybe_release_buffers(state_);
  amqp_frame_t frame{};
  timeval tv = to_timeval(timeout);
  const int rc = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
  if (rc == AMQP_STATUS_TIMEOUT) return false;
  if (rc != AMQP_STATUS_OK)
    fail(AmqpErrorKind::kTransient,
         "waiting for confirms from " + peer_ + " failed: " + amqp_error_string2(rc));
  if (frame.frame_type != AMQP_FRAME_METHOD) return true;
  const amqp_method_t& method = frame.payload.method;
  switch (method.id) {
    case AMQP_BASIC_ACK_METHOD: {
      const auto* ack = static_cast<const amqp_basic_ack_t*>(method.decoded);
      on_event(PublisherEvent{PublisherEvent::Type::kAck, ack->delivery_tag, ack->multiple != 0, {}, {}});
      break;
    }
    case AMQP_BASIC_NACK_METHOD: {
      const auto* nack = static_cast<const amqp_basic_nack_t*>(method.decoded);
      on_event(PublisherEvent{PublisherEvent::Type::kNack, nack->delivery_tag, nack->multiple != 0, {}, {}});
      break;
    }
    case AMQP_BASIC_RETURN_METHOD: {
      const auto* ret = static_cast<const amqp_basic_return_t*>(method.decoded);
      std::string reason = std::to_string(ret->reply_code) + " " + std::string(to_view(ret->reply_text));
      amqp_message_t message{};
      const amqp_rpc_reply_t read = amqp_read_message(state_, frame.channel, &message, 0);
      if (read.reply_type != AMQP_RESPONSE_NORMAL)
        fail(AmqpErrorKind::kTransient, "reading a returned message from " + peer_ + " failed");
      const bool has_id = (message.properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG) != 0;
      on_event(PublisherEvent{PublisherEvent::Type::kReturn, 0, false,
                              has_id ? to_view(message.properties.message_id) : std::string_view(), reason});
      amqp_destroy_message(&message);
      break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD:
    case AMQP_CONNECTION_CLOSE_METHOD: fail_closed(frame);
    default: break;
  }
  return true;
}

void AmqpConnection::consume(std::string_view queue, std::uint16_t prefetch) {
  amqp_basic_qos(state_, kChannel, 0, prefetch, 0);
  check_rpc("setting the prefetch");
  amqp_basic_consume(state_, kChannel, to_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  check_rpc("consuming queue '" + std::string(queue) + "'");
}

bool AmqpConnection::receive(std::chrono::milliseconds timeout,
                             const std::function<void(const amqp_envelope_t&)>& on_message) {
  if (has_envelope_) {
    amqp_destroy_envelope(&envelope_);
    has_envelope_ = false;
  }
  amqp_maybe_release_buffers(state_);
  timeval tv = to_timeval(timeout);
  const amqp_rpc_reply_t reply = amqp_consume_message(state_, &envelope_, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    has_envelope_ = true;
    on_message(envelope_);
    return true;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT)
    return false;
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // Something other than a delivery: a close, or the broker cancelling the consumer (queue deleted).
    amqp_frame_t frame{};
    if (amqp_simple_wait_frame_noblock(state_, &frame, &tv) == AMQP_STATUS_OK &&
        frame.frame_type == AMQP_FRAME_METHOD) {
      if (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
          frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)
        fail_closed(frame);
      if (frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD)
        fail(AmqpErrorKind::kTransient,
             "the broker at " + peer_ + " cancelled the consumer (queue deleted?)");
    }
    return false;
  }
  fail(AmqpErrorKind::kTransient, "receiving from " + peer_ + " failed: " +
                                      (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
                                           ? std::string(amqp_error_string2(reply.library_error))
                                           : std::string("the broker closed the channel")));
}

void AmqpConnection::ack(std::uint64_t delivery_tag, bool multiple) {
  const int rc = amqp_basic_ack(state_, kChannel, delivery_tag, multiple ? 1 : 0);
  if (rc != AMQP_STATUS_OK)
    fail(AmqpErrorKind::kTransient,
         "acknowledging deliveries to " + peer_ + " failed: " + amqp_error_string2(rc));
}

}  // namespace sluice::amqp
