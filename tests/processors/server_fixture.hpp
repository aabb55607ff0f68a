// A real server for a C++ test, started by tests/integration/servers.py (the same fixtures the integration
// tests use): the script prints one JSON line describing the server and serves until its standard input
// closes, so the server is stopped and its files removed when the test ends, even when it crashes.
// CTest sets SLUICE_TEST_SERVERS to the script; SLUICE_TEST_SERVERS_SCRIPT is the compiled-in fallback for
// running the binary directly.
#pragma once

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <memory>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/wait.h>

namespace sluice::testing {

class ServerFixture {
 public:
  explicit ServerFixture(const std::vector<std::string>& args) {
    const char* from_env = std::getenv("SLUICE_TEST_SERVERS");
    const std::string script = from_env != nullptr ? from_env : SLUICE_TEST_SERVERS_SCRIPT;
    int to_child[2];
    int from_child[2];
    // Close-on-exec: a server started later must not inherit this one's stdin, or closing it would not stop
    // it.
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], STDIN_FILENO);
      ::dup2(from_child[1], STDOUT_FILENO);
      ::close(to_child[1]);
      ::close(from_child[0]);
      std::vector<std::string> argv_storage = {"python3", script};
      argv_storage.insert(argv_storage.end(), args.begin(), args.end());
      std::vector<char*> argv;
      argv.reserve(argv_storage.size() + 1);
      for (auto& a : argv_storage) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_ = to_child[1];
    const std::string line = read_line(from_child[0], std::chrono::seconds(60));
    ::close(from_child[0]);
    if (line.empty()) {
      stop();
      throw std::runtime_error("servers.py " + (args.empty() ? std::string() : args[0]) +
                               " did not start (is the server installed? see scripts/install-deps.sh)");
    }
    info_ = nlohmann::json::parse(line);
  }
  ~ServerFixture() { stop(); }
  ServerFixture(const ServerFixture&) = delete;
  ServerFixture& operator=(const ServerFixture&) = delete;

  [[nodiscard]] const nlohmann::json& info() const { return info_; }
  [[nodiscard]] std::string str(const char* key) const { return info_.at(key).get<std::string>(); }
  [[nodiscard]] int integer(const char* key) const { return info_.at(key).get<int>(); }

 private:
  static std::string read_line(int fd, std::chrono::seconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) continue;
      char c = 0;
      if (::read(fd, &c, 1) != 1) return {};
      if (c == '\n') return line;
      line += c;
    }
    return {};
  }

  void stop() {
    if (stdin_ >= 0) ::close(stdin_);  // the script stops its server when its input closes
    stdin_ = -1;
    if (pid_ > 0) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  nlohmann::json info_;
};

// One server per test binary for each set of arguments: started by the first test that asks for it, stopped
// when the binary exits (static destruction; if the binary crashes, the closed pipe stops it just the same).
// CTest runs each server-backed binary as one test, so a broker starts once per binary, not once per test.
inline const ServerFixture& shared_server(const std::vector<std::string>& args) {
  static std::map<std::vector<std::string>, std::unique_ptr<ServerFixture>> servers;
  std::unique_ptr<ServerFixture>& server = servers[args];
  if (!server) server = std::make_unique<ServerFixture>(args);
  return *server;
}

// A fresh directory for one test (a data directory, certificates), removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A TCP port nobody listens on (bound, then released): "the server is down".
inline int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0) throw std::runtime_error("cannot create a socket");
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) !=
      0) {  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback socket");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr),
                &len);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace sluice::testing
