#include "control/control_socket.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

namespace sluice::internal::control {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxRequest = 4096;
constexpr int kClientTimeoutMs = 60'000;  // a replay copies content: allow it time

sockaddr_un address_of(const fs::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof addr.sun_path) {
    throw std::runtime_error("control socket path " + p + " is longer than a Unix socket address allows (" +
                             std::to_string(sizeof addr.sun_path - 1) + " bytes)");
  }
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  return addr;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

bool write_line(int fd, std::string_view line) {
  std::string out(line);
  out.push_back('\n');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads up to a newline (not included); nullopt on timeout, error or an over-long line.
std::optional<std::string> read_line(int fd, int timeout_ms) {
  std::string line;
  char buf[512];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line);
    line.append(buf, static_cast<std::size_t>(n));
    if (const auto nl = line.find('\n'); nl != std::string::npos) {
      line.resize(nl);
      return line;
    }
    if (line.size() > kMaxRequest) return std::nullopt;
  }
}

}  // namespace

fs::path socket_path(const fs::path& data_dir) {
  return data_dir / "control.sock";
}

ControlServer::ControlServer(const fs::path& data_dir, Handler handler)
    : path_(socket_path(data_dir)), handler_(std::move(handler)) {
  const sockaddr_un addr = address_of(path_);
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(std::string("control socket: ") + std::strerror(errno));
  ::unlink(path_.c_str());  // a socket file left by an engine that was killed
  // Owner only: whoever can connect can replay data into the flow.
  const mode_t old_mask = ::umask(0077);
  const int bound = ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int bind_errno = errno;
  ::umask(old_mask);
  if (bound != 0 || ::listen(listen_fd_, 8) != 0) {
    const int e = bound != 0 ? bind_errno : errno;
    ::close(listen_fd_);
    throw std::runtime_error("control socket " + path_.string() + ": " + std::strerror(e));
  }
  // Stopping wakes the accept loop at once: an engine that runs until idle exits as soon as it is idle
  // (a timed poll here made every `sluice run --until-idle` wait out up to its period at exit).
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    const int e = errno;
    ::close(listen_fd_);
    ::unlink(path_.c_str());
    throw std::runtime_error(std::string("control socket: eventfd: ") + std::strerror(e));
  }
  thread_ = std::thread([this] { serve(); });
}

ControlServer::~ControlServer() {
  stopping_ = true;
  const std::uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof one) != sizeof one) spdlog::debug("control socket: wake-up failed");
  if (thread_.joinable()) thread_.join();
  ::close(wake_fd_);
  ::close(listen_fd_);
  ::unlink(path_.c_str());
}

void ControlServer::serve() {
  while (!stopping_) {
    std::array<pollfd, 2> p{{{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}}};
    const int ready = ::poll(p.data(), p.size(), -1);
    if (ready <= 0 || (p[0].revents & POLLIN) == 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const Fd fd(client);
    const auto request = read_line(fd.get(), kClientTimeoutMs);
    if (!request) continue;
    std::string answer;
    try {
      answer = handler_(*request);
    } catch (const std::exception& e) {
      answer = std::string("error ") + e.what();
    }
    for (char& c : answer) {
      if (c == '\n') c = ' ';
    }
    if (!write_line(fd.get(), answer)) spdlog::debug("control socket: the client left before the answer");
  }
}

std::optional<std::string> send_control_request(const fs::path& data_dir, std::string_view request) {
  const fs::path path = socket_path(data_dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const sockaddr_un addr = address_of(path);
  const Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw std::runtime_error(std::string("control socket: ") + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ECONNREFUSED || errno == ENOENT) return std::nullopt;  // nobody listens: a stale file
    throw std::runtime_error("control socket " + path.string() + ": " + std::strerror(errno));
  }
  if (!write_line(fd.get(), request))
    throw std::runtime_error("control socket: the engine closed the connection");
  auto answer = read_line(fd.get(), kClientTimeoutMs);
  if (!answer) throw std::runtime_error("control socket: no answer from the engine");
  return answer;
}

}  // namespace sluice::internal::control
