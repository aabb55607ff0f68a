#include "sftp_properties.hpp"

#include <chrono>

#include "spec_helpers.hpp"

namespace sluice::sftp {

namespace {
using standard::optional_property;
using standard::required_property;
using standard::sensitive_property;

std::chrono::milliseconds millis(const ProcessContext& context, std::string_view name) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property(name));
}
}  // namespace

std::vector<PropertySpec> connection_properties() {
  return {
      required_property("host", PropertyKind::kString, "Host name or address of the SFTP server."),
      optional_property("port", PropertyKind::kInt, "22", "TCP port of the SFTP server."),
      required_property("username", PropertyKind::kString, "User to log in as."),
      sensitive_property("password",
                         "Password, tried after the private key when both are set. Write it as "
                         "`${env:NAME}` or `${file:PATH}`; it is never logged."),
      sensitive_property("private_key_file",
                         "Path of the private key (OpenSSH or PEM format) for public-key "
                         "authentication."),
      sensitive_property("private_key_passphrase", "Passphrase of `private_key_file`, when it is encrypted."),
      optional_property("strict_host_key_checking", PropertyKind::kBool, "true",
                        "Refuse a server whose host key is not in `known_hosts_file`. When false, an unknown "
                        "host is accepted, but a key that differs from a known one is still refused."),
      optional_property("known_hosts_file", PropertyKind::kString, std::nullopt,
                        "The known_hosts file the server's key is checked against (OpenSSH format; "
                        "`[host]:port` entries for ports other than 22). Unset: `~/.ssh/known_hosts` and "
                        "`/etc/ssh/ssh_known_hosts`."),
      optional_property("connection_timeout", PropertyKind::kDuration, "30 s",
                        "How long to wait for the server to connect or to answer a request."),
      optional_property("keep_alive_interval", PropertyKind::kDuration, "10 s",
                        "A pooled connection idle for this long is probed with a round trip before reuse "
                        "and replaced when it is gone."),
      optional_property("idle_timeout", PropertyKind::kDuration, "1 min",
                        "A pooled connection idle for this long is closed instead of reused."),
  };
}

SftpSettings read_connection_settings(const ProcessContext& context) {
  SftpSettings s;
  s.host = context.string_property("host");
  if (s.host.empty()) throw ProcessorError("host must not be empty");
  const std::int64_t port = context.int_property("port");
  if (port < 1 || port > 65535) throw ProcessorError("port must be 1..65535, got " + std::to_string(port));
  s.port = static_cast<std::uint16_t>(port);
  s.username = context.string_property("username");
  if (s.username.empty()) throw ProcessorError("username must not be empty");
  s.password = context.string_property("password");
  s.private_key_file = context.string_property("private_key_file");
  s.private_key_passphrase = context.string_property("private_key_passphrase");
  if (s.password.empty() && s.private_key_file.empty()) {
    throw ProcessorError("set private_key_file or password (or both) to authenticate");
  }
  s.strict_host_key_checking = context.bool_property("strict_host_key_checking");
  s.known_hosts_file = context.string_property("known_hosts_file");
  s.connect_timeout = millis(context, "connection_timeout");
  return s;
}

PoolSettings read_pool_settings(const ProcessContext& context) {
  PoolSettings p;
  p.keep_alive_interval = millis(context, "keep_alive_interval");
  p.idle_timeout = millis(context, "idle_timeout");
  return p;
}

std::string transit_uri(const SftpSettings& settings, std::string_view path) {
  std::string uri = "sftp://" + settings.host + ":" + std::to_string(settings.port);
  if (path.empty() || path.front() != '/') uri += '/';
  uri += path;
  return uri;
}

std::string join_path(std::string_view directory, std::string_view name) {
  std::string out(directory);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string unsafe_directory_reason(std::string_view directory) {
  if (directory.empty()) return "remote directory is empty";
  if (directory.find('\0') != std::string_view::npos) return "remote directory contains a NUL byte";
  std::size_t start = 0;
  while (start <= directory.size()) {
    const std::size_t end = std::min(directory.find('/', start), directory.size());
    if (directory.substr(start, end - start) == "..") {
      return "remote directory '" + std::string(directory.substr(0, 200)) +
             "' contains a '..' component, which could leave the configured tree";
    }
    start = end + 1;
  }
  return {};
}

bool transient(SftpErrorKind kind) {
  return kind == SftpErrorKind::kConnection;
}

std::unique_ptr<SftpPool> make_pool(const ProcessContext& context, const SftpSettings& settings) {
  return std::make_unique<SftpPool>([settings] { return SftpConnection::open(settings); },
                                    read_pool_settings(context));
}

}  // namespace sluice::sftp
