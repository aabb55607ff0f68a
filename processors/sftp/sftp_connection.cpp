#include "sftp_connection.hpp"

#include <array>
#include <fcntl.h>
#include <span>
#include <utility>

#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <sys/stat.h>

namespace sluice::sftp {

namespace {

// One SFTP request carries at most this much; OpenSSH accepts up to 256 KiB, libssh sends what it can.
constexpr std::size_t kChunk = std::size_t{64} * 1024;

struct AttributesDeleter {
  void operator()(sftp_attributes_struct* a) const { sftp_attributes_free(a); }
};
using Attributes = std::unique_ptr<sftp_attributes_struct, AttributesDeleter>;

struct KeyDeleter {
  void operator()(ssh_key_struct* k) const { ssh_key_free(k); }
};
using Key = std::unique_ptr<ssh_key_struct, KeyDeleter>;

std::string endpoint(const SftpSettings& s) {
  return s.host + ":" + std::to_string(s.port);
}

RemoteEntry to_entry(const sftp_attributes_struct& a) {
  RemoteEntry e;
  if (a.name != nullptr) e.name = a.name;
  e.directory = a.type == SSH_FILEXFER_TYPE_DIRECTORY;
  e.regular = a.type == SSH_FILEXFER_TYPE_REGULAR;
  e.size = a.size;
  e.modified_ms = static_cast<std::int64_t>(a.mtime) * 1000;
  e.permissions = a.permissions;
  e.uid = a.uid;
  e.gid = a.gid;
  return e;
}

std::string server_fingerprint(ssh_session session) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(session, &key) != SSH_OK) return "unknown";
  const Key owned(key);
  unsigned char* hash = nullptr;
  std::size_t length = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) return "unknown";
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
  ssh_clean_pubkey_hash(&hash);
  std::string out = text != nullptr ? text : "unknown";
  ssh_string_free_char(text);
  return std::string(ssh_key_type_to_char(ssh_key_type(owned.get()))) + " " + out;
}

}  // namespace

struct SftpConnection::Impl {
  SftpSettings settings;
  ssh_session ssh = nullptr;
  sftp_session sftp = nullptr;

  ~Impl() {
    if (sftp != nullptr) sftp_free(sftp);
    if (ssh != nullptr) {
      if (ssh_is_connected(ssh) != 0) ssh_disconnect(ssh);
      ssh_free(ssh);
    }
  }

  [[nodiscard]] std::string where() const { return endpoint(settings); }

  // The error of the last SFTP request on `path`, classified.
  [[noreturn]] void fail(std::string_view operation, const std::string& path) const {
    const int code = sftp_get_error(sftp);
    std::string message = std::string(operation) + " " + path + " on " + where() + ": ";
    if (ssh_is_connected(ssh) == 0 || code == SSH_FX_NO_CONNECTION || code == SSH_FX_CONNECTION_LOST) {
      throw SftpError(SftpErrorKind::kConnection, message + "connection lost (" + ssh_get_error(ssh) + ")");
    }
    switch (code) {
      case SSH_FX_NO_SUCH_FILE:
      case SSH_FX_NO_SUCH_PATH:
        throw SftpError(SftpErrorKind::kNotFound, message + "no such file or directory");
      case SSH_FX_PERMISSION_DENIED:
      case SSH_FX_WRITE_PROTECT:
        throw SftpError(SftpErrorKind::kPermissionDenied, message + "permission denied");
      case SSH_FX_FILE_ALREADY_EXISTS:
        throw SftpError(SftpErrorKind::kAlreadyExists, message + "already exists");
      default:
        throw SftpError(SftpErrorKind::kFailure, message + "refused (SFTP status " + std::to_string(code) +
                                                     ": " + ssh_get_error(ssh) + ")");
    }
  }

  void set_option(ssh_options_e option, const void* value, std::string_view what) const {
    if (ssh_options_set(ssh, option, value) != SSH_OK) {
      throw SftpError(SftpErrorKind::kFailure,
                      "cannot set SSH option " + std::string(what) + ": " + ssh_get_error(ssh));
    }
  }

  void connect() {
    ssh = ssh_new();
    if (ssh == nullptr) throw SftpError(SftpErrorKind::kFailure, "cannot create an SSH session");
    const unsigned int port = settings.port;
    const long timeout_s =
        std::max<long>(1, static_cast<long>((settings.connect_timeout.count() + 999) / 1000));
    const int no = 0;
    set_option(SSH_OPTIONS_HOST, settings.host.c_str(), "host");
    set_option(SSH_OPTIONS_PORT, &port, "port");
    set_option(SSH_OPTIONS_USER, settings.username.c_str(), "username");
    set_option(SSH_OPTIONS_TIMEOUT, &timeout_s, "timeout");
    // Only what the flow says: no ~/.ssh/config, no agent, no default identities.
    set_option(SSH_OPTIONS_PROCESS_CONFIG, &no, "process_config");
    // SFTP is request/response: without TCP_NODELAY each small request waits for the peer's delayed ACK.
    const int yes = 1;
    set_option(SSH_OPTIONS_NODELAY, &yes, "nodelay");
    if (!settings.known_hosts_file.empty()) {
      set_option(SSH_OPTIONS_KNOWNHOSTS, settings.known_hosts_file.c_str(), "known_hosts");
      // Exactly the configured file: the system-wide one must not vouch for a host the flow did not list.
      set_option(SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null", "global_known_hosts");
    }
    if (ssh_connect(ssh) != SSH_OK) {
      throw SftpError(SftpErrorKind::kConnection, "cannot connect to " + where() + ": " + ssh_get_error(ssh));
    }
    verify_host_key();
    authenticate();
    sftp = sftp_new(ssh);
    if (sftp == nullptr || sftp_init(sftp) != SSH_OK) {
      throw SftpError(SftpErrorKind::kConnection,
                      "cannot start the SFTP subsystem on " + where() + ": " + ssh_get_error(ssh));
    }
  }

  void verify_host_key() const {
    const ssh_known_hosts_e state = ssh_session_is_known_server(ssh);
    if (state == SSH_KNOWN_HOSTS_OK) return;
    const std::string file =
        settings.known_hosts_file.empty() ? std::string("~/.ssh/known_hosts") : settings.known_hosts_file;
    std::string reason;
    switch (state) {
      case SSH_KNOWN_HOSTS_CHANGED:
        reason = "the host key of " + where() + " (" + server_fingerprint(ssh) +
                 ") does not match the one in " + file +
                 ": the server was replaced or someone is intercepting the connection";
        break;
      case SSH_KNOWN_HOSTS_OTHER:
        reason = "the host key type offered by " + where() + " (" + server_fingerprint(ssh) +
                 ") differs from the one in " + file + ": possible interception";
        break;
      case SSH_KNOWN_HOSTS_UNKNOWN:
        reason = where() + " is not in " + file + " (its key is " + server_fingerprint(ssh) + ")";
        break;
      case SSH_KNOWN_HOSTS_NOT_FOUND:
        reason = "known_hosts file " + file + " does not exist, so " + where() + " (" +
                 server_fingerprint(ssh) + ") cannot be verified";
        break;
      default:
        reason = "cannot check the host key of " + where() + " against " + file + ": " + ssh_get_error(ssh);
        break;
    }
    // Changed or other keys are refused even without strict checking: they are an attack, not a new host.
    const bool unknown = state == SSH_KNOWN_HOSTS_UNKNOWN || state == SSH_KNOWN_HOSTS_NOT_FOUND;
    if (!settings.strict_host_key_checking && unknown) return;
    throw SftpError(SftpErrorKind::kHostKey, "host key verification failed: " + reason);
  }

  void authenticate() const {
    std::string tried;
    if (!settings.private_key_file.empty()) {
      ssh_key key = nullptr;
      const char* passphrase =
          settings.private_key_passphrase.empty() ? nullptr : settings.private_key_passphrase.c_str();
      if (ssh_pki_import_privkey_file(settings.private_key_file.c_str(), passphrase, nullptr, nullptr,
                                      &key) != SSH_OK) {
        throw SftpError(SftpErrorKind::kAuthentication,
                        "cannot read the private key (private_key_file): missing, unreadable, not a key, or "
                        "wrong private_key_passphrase");
      }
      const Key owned(key);
      const int rc = ssh_userauth_publickey(ssh, nullptr, key);
      if (rc == SSH_AUTH_SUCCESS) return;
      if (rc == SSH_AUTH_ERROR) {
        throw SftpError(SftpErrorKind::kConnection,
                        "authentication with " + where() + " broke off: " + ssh_get_error(ssh));
      }
      tried = "its private key";
    }
    if (!settings.password.empty()) {
      const int rc = ssh_userauth_password(ssh, nullptr, settings.password.c_str());
      if (rc == SSH_AUTH_SUCCESS) return;
      if (rc == SSH_AUTH_ERROR) {
        throw SftpError(SftpErrorKind::kConnection,
                        "authentication with " + where() + " broke off: " + ssh_get_error(ssh));
      }
      tried += tried.empty() ? "password" : " and password";
    }
    if (tried.empty()) tried = "no credentials (set private_key_file or password)";
    throw SftpError(SftpErrorKind::kAuthentication, "authentication failed: " + where() + " refused user '" +
                                                        settings.username + "' with " + tried);
  }
};

SftpConnection::SftpConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SftpConnection::~SftpConnection() = default;

std::unique_ptr<SftpConnection> SftpConnection::open(const SftpSettings& settings) {
  auto impl = std::make_unique<Impl>();
  impl->settings = settings;
  impl->connect();
  return std::unique_ptr<SftpConnection>(new SftpConnection(std::move(impl)));
}

std::optional<RemoteEntry> SftpConnection::stat(const std::string& path) {
  const Attributes a(sftp_stat(impl_->sftp, path.c_str()));
  if (!a) {
    const int code = sftp_get_error(impl_->sftp);
    if ((code == SSH_FX_NO_SUCH_FILE || code == SSH_FX_NO_SUCH_PATH) && ssh_is_connected(impl_->ssh) != 0) {
      return std::nullopt;
    }
    impl_->fail("stat", path);
  }
  RemoteEntry e = to_entry(*a);
  const auto slash = path.find_last_of('/');
  e.name = slash == std::string::npos ? path : path.substr(slash + 1);
  return e;
}

std::vector<RemoteEntry> SftpConnection::list(const std::string& directory) {
  sftp_dir dir = sftp_opendir(impl_->sftp, directory.c_str());
  if (dir == nullptr) impl_->fail("list", directory);
  std::vector<RemoteEntry> out;
  while (true) {
    const Attributes a(sftp_readdir(impl_->sftp, dir));
    if (!a) break;
    const std::string_view name = a->name != nullptr ? a->name : "";
    if (name == "." || name == ".." || name.empty()) continue;
    out.push_back(to_entry(*a));
  }
  const bool complete = sftp_dir_eof(dir) != 0;
  sftp_closedir(dir);
  if (!complete) impl_->fail("list", directory);
  return out;
}

void SftpConnection::create_directories(const std::string& directory) {
  if (directory.empty() || directory == "/" || directory == ".") return;
  if (auto e = stat(directory)) {
    if (e->directory) return;
    throw SftpError(SftpErrorKind::kFailure,
                    directory + " on " + impl_->where() + " exists and is not a directory");
  }
  const auto slash = directory.find_last_of('/');
  if (slash != std::string::npos && slash > 0) create_directories(directory.substr(0, slash));
  if (sftp_mkdir(impl_->sftp, directory.c_str(), 0755) != SSH_OK) {
    // A concurrent writer may have created it meanwhile.
    if (auto e = stat(directory); e && e->directory) return;
    impl_->fail("create directory", directory);
  }
}

void SftpConnection::upload(const std::string& path, InputStream& content,
                            std::optional<std::uint32_t> permissions, bool sync) {
  const mode_t mode = permissions ? static_cast<mode_t>(*permissions) : static_cast<mode_t>(0644);
  sftp_file file = sftp_open(impl_->sftp, path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (file == nullptr) impl_->fail("open", path);
  auto write_all = [&](std::string_view bytes) {
    while (!bytes.empty()) {
      const std::size_t n = std::min(bytes.size(), kChunk);
      const ssize_t written = sftp_write(file, bytes.data(), n);
      if (written <= 0) {
        sftp_close(file);
        impl_->fail("write", path);
      }
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
  };
  const std::string_view whole = content.view();
  if (whole.size() == content.size()) {
    write_all(whole);
  } else {
    std::array<char, kChunk> buffer{};
    while (const std::size_t n = content.read(std::span<char>(buffer))) write_all({buffer.data(), n});
  }
  if (sync && sftp_extension_supported(impl_->sftp, "fsync@openssh.com", "1") != 0 && sftp_fsync(file) != 0) {
    sftp_close(file);
    impl_->fail("fsync", path);
  }
  if (sftp_close(file) != SSH_NO_ERROR) impl_->fail("close", path);
  if (permissions && sftp_chmod(impl_->sftp, path.c_str(), static_cast<mode_t>(*permissions)) != SSH_OK) {
    impl_->fail("chmod", path);
  }
}

std::uint64_t SftpConnection::download(const std::string& path, OutputStream& out) {
  sftp_file file = sftp_open(impl_->sftp, path.c_str(), O_RDONLY, 0);
  if (file == nullptr) impl_->fail("open", path);
  std::array<char, kChunk> buffer{};
  std::uint64_t total = 0;
  while (true) {
    const ssize_t n = sftp_read(file, buffer.data(), buffer.size());
    if (n < 0) {
      sftp_close(file);
      impl_->fail("read", path);
    }
    if (n == 0) break;
    out.write({buffer.data(), static_cast<std::size_t>(n)});
    total += static_cast<std::uint64_t>(n);
  }
  sftp_close(file);
  return total;
}

void SftpConnection::rename(const std::string& from, const std::string& to) {
  if (sftp_rename(impl_->sftp, from.c_str(), to.c_str()) != SSH_OK) impl_->fail("rename " + from + " to", to);
}

void SftpConnection::remove(const std::string& path) {
  if (sftp_unlink(impl_->sftp, path.c_str()) != SSH_OK) impl_->fail("remove", path);
}

bool SftpConnection::alive() {
  if (ssh_is_connected(impl_->ssh) == 0) return false;
  const Attributes a(sftp_stat(impl_->sftp, "."));
  return a != nullptr;
}

}  // namespace sluice::sftp
