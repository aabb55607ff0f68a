#include "stomp_connection.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "tcp_socket.hpp"

namespace sluice::jms {

const std::string* StompFrame::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

void StompFrame::clear() {
  command.clear();
  headers.clear();
  body.clear();
}

void escape_header(std::string_view text, std::string& out) {
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case ':': out += "\\c"; break;
      default: out += c;
    }
  }
}

std::string unescape_header(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    out += next == 'n' ? '\n' : next == 'r' ? '\r' : next == 'c' ? ':' : next;
  }
  return out;
}

StompConnection::StompConnection(const std::string& host, int port, const std::string& login,
                                 const std::string& passcode, const std::string& client_id,
                                 std::chrono::milliseconds timeout)
    : peer_(host + ":" + std::to_string(port)) {
  std::string error;
  errno = 0;
  fd_ = connect_socket(host, port, timeout, error);
  if (fd_ < 0) throw JmsError(JmsErrorKind::kTransient, "cannot connect to " + peer_ + ": " + error);
  StompFrame connect;
  connect.command = "CONNECT";
  connect.add("accept-version", "1.2");
  connect.add("host", host);
  connect.add("heart-beat", "0,0");
  if (!login.empty()) {
    connect.add("login", login);
    connect.add("passcode", passcode);
  }
  if (!client_id.empty()) connect.add("client-id", client_id);
  try {
    send(connect);
    StompFrame reply;
    if (!read(reply, timeout)) fail(JmsErrorKind::kTransient, "no answer to CONNECT from " + peer_);
    if (reply.command == "ERROR") {
      const std::string* message = reply.header("message");
      fail(JmsErrorKind::kRefused, "the broker at " + peer_ + " refused the connection: " +
                                       (message != nullptr ? *message : reply.body));
    }
    if (reply.command != "CONNECTED")
      fail(JmsErrorKind::kTransient, "unexpected " + reply.command + " from " + peer_);
  } catch (...) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw;
  }
}

StompConnection::~StompConnection() {
  if (fd_ < 0) return;
  // Best effort: DISCONNECT lets the broker forget us at once; closing the socket does the same later.
  static constexpr std::string_view kDisconnect("DISCONNECT\n\n\0", 13);
  (void)::send(fd_, kDisconnect.data(), kDisconnect.size(), MSG_NOSIGNAL);
  ::close(fd_);
}

void StompConnection::fail(JmsErrorKind kind, const std::string& message) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  throw JmsError(kind, message);
}

void StompConnection::send(const StompFrame& frame) {
  if (fd_ < 0) throw JmsError(JmsErrorKind::kTransient, "the connection to " + peer_ + " is closed");
  out_.clear();
  out_ += frame.command;
  out_ += '\n';
  const bool escape = frame.command != "CONNECT";  // STOMP 1.2: CONNECT headers are not escaped
  for (const auto& [name, value] : frame.headers) {
    if (escape) {
      escape_header(name, out_);
      out_ += ':';
      escape_header(value, out_);
    } else {
      out_ += name;
      out_ += ':';
      out_ += value;
    }
    out_ += '\n';
  }
  out_ += '\n';
  out_ += frame.body;
  out_ += '\0';
  std::size_t sent = 0;
  while (sent < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, 30'000) != 1) fail(JmsErrorKind::kTransient, "writing to " + peer_ + " timed out");
    } else if (n < 0 && errno != EINTR) {
      fail(JmsErrorKind::kTransient, "writing to " + peer_ + " failed: " + std::strerror(errno));
    }
  }
}

bool StompConnection::fill(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready == 0) return false;
  char buffer[65'536];
  const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n == 0) fail(JmsErrorKind::kTransient, "the broker at " + peer_ + " closed the connection");
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return true;
    fail(JmsErrorKind::kTransient, "reading from " + peer_ + " failed: " + std::strerror(errno));
  }
  in_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

bool StompConnection::read(StompFrame& frame, std::chrono::milliseconds timeout) {
  if (fd_ < 0) throw JmsError(JmsErrorKind::kTransient, "the connection to " + peer_ + " is closed");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Heart-beats and the newlines after a frame's NUL.
    std::size_t start = 0;
    while (start < in_.size() && (in_[start] == '\n' || in_[start] == '\r')) ++start;
    if (start > 0) in_.erase(0, start);
    const std::size_t head_end = in_.find("\n\n");
    if (head_end != std::string::npos) {
      frame.clear();
      std::string_view head(in_.data(), head_end);
      const std::size_t command_end = head.find('\n');
      frame.command = std::string(head.substr(0, command_end));
      if (!frame.command.empty() && frame.command.back() == '\r') frame.command.pop_back();
      std::optional<std::size_t> length;
      if (command_end != std::string_view::npos) {
        std::string_view rest = head.substr(command_end + 1);
        while (!rest.empty()) {
          const std::size_t eol = rest.find('\n');
          std::string_view line = rest.substr(0, eol);
          rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          const std::size_t colon = line.find(':');
          if (colon == std::string_view::npos) continue;
          std::string name = unescape_header(line.substr(0, colon));
          std::string value = unescape_header(line.substr(colon + 1));
          if (name == "content-length" && !length) length = std::stoull(value);
          frame.add(std::move(name), std::move(value));
        }
      }
      const std::size_t body_start = head_end + 2;
      std::size_t body_end = std::string::npos;
      if (length) {
        if (in_.size() > body_start + *length) body_end = body_start + *length;
      } else {
        body_end = in_.find('\0', body_start);
      }
      if (body_end != std::string::npos) {
        frame.body.assign(in_, body_start, body_end - body_start);
        in_.erase(0, body_end + 1);
        return true;
      }
    }
    if (!fill(std::chrono::milliseconds(remaining_ms(deadline)))) return false;
  }
}

}  // namespace sluice::jms
