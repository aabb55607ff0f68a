// A STOMP 1.2 connection over a plain TCP socket: frames written with header escaping and read with
// content-length or up to the NUL, within a timeout. What a JMS broker (ActiveMQ) speaks besides OpenWire.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::jms {

enum class JmsErrorKind : std::uint8_t {
  kTransient,  // unreachable broker, broken connection, no receipt in time: retrying may succeed
  kRefused,    // the broker refused the login, the destination or the message
};

class JmsError : public std::runtime_error {
 public:
  JmsError(JmsErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] JmsErrorKind kind() const { return kind_; }

 private:
  JmsErrorKind kind_;
};

struct StompFrame {
  std::string command;
  std::vector<std::pair<std::string, std::string>> headers;  // in order; the first of a repeated name wins
  std::string body;

  [[nodiscard]] const std::string* header(std::string_view name) const;
  void add(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
  void clear();
};

class StompConnection {
 public:
  // Connects and sends CONNECT (with `client_id` when not empty: ActiveMQ's durable-subscriber id); throws
  // JmsError when the broker is unreachable or answers ERROR.
  StompConnection(const std::string& host, int port, const std::string& login, const std::string& passcode,
                  const std::string& client_id, std::chrono::milliseconds timeout);
  ~StompConnection();
  StompConnection(const StompConnection&) = delete;
  StompConnection& operator=(const StompConnection&) = delete;

  void send(const StompFrame& frame);
  // The next frame (heart-beat newlines skipped) into `frame`; false when `timeout` passed first.
  bool read(StompFrame& frame, std::chrono::milliseconds timeout);
  [[nodiscard]] const std::string& peer() const { return peer_; }

 private:
  bool fill(std::chrono::milliseconds timeout);
  [[noreturn]] void fail(JmsErrorKind kind, const std::string& message);

  std::string peer_;
  int fd_ = -1;
  std::string in_;   // bytes received and not yet parsed
  std::string out_;  // the frame being written (reused)
};

// STOMP 1.2 header escaping (\\, \n, \r and : as \\, \n, \r, \c) and its inverse.
void escape_header(std::string_view text, std::string& out);
std::string unescape_header(std::string_view text);

}  // namespace sluice::jms
