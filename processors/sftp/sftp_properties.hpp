// What every SFTP processor is configured with: the server, the credentials, host-key checking and the
// connection pool, as property specs (one table shared by PutSFTP, ListSFTP and FetchSFTP) and as the
// settings read back from a context.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sftp_connection.hpp"
#include "sftp_pool.hpp"
#include "sluice/context.hpp"
#include "sluice/spec.hpp"

namespace sluice::sftp {

std::vector<PropertySpec> connection_properties();
SftpSettings read_connection_settings(const ProcessContext& context);
PoolSettings read_pool_settings(const ProcessContext& context);
// A processor's pool of connections to the server `settings` names, with the context's pool settings.
std::unique_ptr<SftpPool> make_pool(const ProcessContext& context, const SftpSettings& settings);

// "sftp://host:port/path": where content went or came from, for provenance (never with credentials).
std::string transit_uri(const SftpSettings& settings, std::string_view path);

// `directory` + "/" + `name`, without doubling the slash.
std::string join_path(std::string_view directory, std::string_view name);
// Why an evaluated remote directory cannot be used (a ".." component that could climb out of the configured
// tree, a NUL byte, empty), or empty when it can.
std::string unsafe_directory_reason(std::string_view directory);

// The kind of failure a connection problem is, for the processors' relationships: true when retrying later
// may succeed (the server was unreachable or the session broke).
bool transient(SftpErrorKind kind);

}  // namespace sluice::sftp
