// The engine's local control channel: a Unix socket in the data directory (<data-dir>/control.sock, owner
// only) taking one request line and answering one line. Commands reach a running engine through it
// (`sluice provenance replay` today; the HTTP API later).
//
//   request:  "<command> <argument>\n"      e.g. "replay 42\n"
//   answer:   "ok <text>\n" or "error <message>\n"
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace sluice::internal::control {

std::filesystem::path socket_path(const std::filesystem::path& data_dir);

class ControlServer {
 public:
  // Answers a request line (without its newline): the answer line without its newline.
  using Handler = std::function<std::string(std::string_view request)>;

  // Listens on socket_path(data_dir), replacing a stale socket file. Throws std::runtime_error when it
  // cannot (e.g. the path is longer than a Unix socket address allows).
  ControlServer(const std::filesystem::path& data_dir, Handler handler);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  void serve();

  std::filesystem::path path_;
  Handler handler_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd the destructor signals to end serve()
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Sends one request to the engine running on `data_dir`. nullopt when no engine listens there (no socket,
// or a stale one); otherwise the answer line. Throws std::runtime_error on a broken exchange.
std::optional<std::string> send_control_request(const std::filesystem::path& data_dir,
                                                std::string_view request);

}  // namespace sluice::internal::control
