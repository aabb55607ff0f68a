// One authenticated SFTP session to a server (libssh), with the few file operations the SFTP processors need.
// libssh stays inside sftp_connection.cpp. A connection is used by one thread at a time (the pool hands it
// out); every failure is an SftpError whose kind tells the processor where the FlowFile goes.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/stream.hpp"

namespace sluice::sftp {

struct SftpSettings {
  std::string host;
  std::uint16_t port = 22;
  std::string username;
  std::string password;                // sensitive; empty: no password authentication
  std::string private_key_file;        // empty: no public-key authentication
  std::string private_key_passphrase;  // sensitive
  bool strict_host_key_checking = true;
  std::string known_hosts_file;  // empty: ~/.ssh/known_hosts and the system-wide file
  std::chrono::milliseconds connect_timeout{30'000};
};

enum class SftpErrorKind : std::uint8_t {
  kConnection,        // cannot reach the server, or the session broke: worth retrying later
  kHostKey,           // the server is not who known_hosts says it is (or is unknown): never retried
  kAuthentication,    // the server refused our credentials: never retried
  kNotFound,          // no such file or directory
  kPermissionDenied,  // the server refused the operation on this path
  kAlreadyExists,
  kFailure,  // any other refusal by the server
};

class SftpError : public std::runtime_error {
 public:
  SftpError(SftpErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] SftpErrorKind kind() const { return kind_; }

 private:
  SftpErrorKind kind_;
};

struct RemoteEntry {
  std::string name;  // the last path component
  bool directory = false;
  bool regular = false;
  std::uint64_t size = 0;
  std::int64_t modified_ms = 0;   // SFTP v3 gives seconds
  std::uint32_t permissions = 0;  // mode bits, file type included
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

class SftpConnection {
 public:
  // Connects, verifies the host key, authenticates and starts the SFTP subsystem; throws SftpError.
  static std::unique_ptr<SftpConnection> open(const SftpSettings& settings);
  ~SftpConnection();
  SftpConnection(const SftpConnection&) = delete;
  SftpConnection& operator=(const SftpConnection&) = delete;

  // nullopt when `path` does not exist.
  std::optional<RemoteEntry> stat(const std::string& path);
  // Entries of a directory, without "." and "..".
  std::vector<RemoteEntry> list(const std::string& directory);
  // Creates `directory` and its missing parents (mode 0755 before the server's umask).
  void create_directories(const std::string& directory);
  // Writes `content` to `path` (created or truncated), optionally fsync'd on the server
  // (fsync@openssh.com; ignored when the server lacks it), then sets `permissions` when given.
  void upload(const std::string& path, InputStream& content, std::optional<std::uint32_t> permissions,
              bool sync);
  // Streams the file's bytes to `out`; returns how many.
  std::uint64_t download(const std::string& path, OutputStream& out);
  // Fails with kAlreadyExists (or kFailure on servers that do not say why) when `to` exists.
  void rename(const std::string& from, const std::string& to);
  void remove(const std::string& path);
  // A cheap round trip: false when the session is gone.
  bool alive();

 private:
  struct Impl;
  explicit SftpConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::sftp
