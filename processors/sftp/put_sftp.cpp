#include "put_sftp.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "path_safety.hpp"
#include "sftp_pool.hpp"
#include "sftp_properties.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::sftp {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kRetry = "retry";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kReasonAttribute = "sftp.failure.reason";
// Conflict `rename` tries "1.name" … "99.name", as NiFi does, then gives up.
constexpr int kMaxRenameAttempts = 99;

enum class Conflict : std::uint8_t { kReplace, kIgnore, kFail, kRename };

// Where one FlowFile went: delivered (to `path`), or not, with the reason and whether to retry.
struct Outcome {
  bool delivered = false;
  bool retry = false;
  std::string reason;
  std::string path;
  std::string renamed_to;  // the new file name under conflict `rename`
};

Outcome refused(std::string reason) {
  return Outcome{false, false, std::move(reason), {}, {}};
}

class PutSftp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    pool_ = make_pool(context, settings_);
    const std::string conflict = context.string_property("conflict");
    conflict_ = conflict == "replace"  ? Conflict::kReplace
                : conflict == "ignore" ? Conflict::kIgnore
                : conflict == "rename" ? Conflict::kRename
                                       : Conflict::kFail;
    create_directory_ = context.bool_property("create_directory");
    dot_rename_ = context.bool_property("dot_rename");
    sync_ = context.bool_property("sync");
    filename_from_attribute_ = !context.property("filename").has_value();
    permissions_.reset();
    if (auto text = context.property("permissions"); text && !text->empty()) {
      const auto parsed = standard::parse_permissions(*text);
      if (!parsed)
        throw ProcessorError("permissions must be an octal mode such as 0644, got '" + *text + "'");
      permissions_ = static_cast<std::uint32_t>(*parsed);
    }
  }

  void on_stop(ProcessContext& /*context*/) override {
    if (pool_) pool_->close_all();
    const std::lock_guard lock(mutex_);
    known_directories_.clear();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<FlowFile> batch = session.get(context.batch_size());
    if (batch.empty()) return;
    std::optional<SftpPool::Lease> lease;
    try {
      lease.emplace(pool_->acquire(context.now_ms()));
    } catch (const SftpError& e) {
      // One reason for the whole batch: the server is down (retry) or refuses us (failure).
      context.log(LogLevel::kWarn, std::string(e.what()) + (transient(e.kind()) ? "; will retry" : ""));
      for (FlowFile& ff : batch) route(session, ff, Outcome{false, transient(e.kind()), e.what(), {}, {}});
      return;
    }
    bool broken = false;
    std::string broken_reason;
    for (FlowFile& ff : batch) {
      if (broken) {
        route(session, ff, Outcome{false, true, broken_reason, {}, {}});
        continue;
      }
      const Outcome outcome = put(context, session, **lease, ff);
      if (outcome.retry) {
        broken = true;  // the session is gone: the rest of the batch waits for the next connection
        broken_reason = outcome.reason;
        lease->discard();
        context.log(LogLevel::kWarn, outcome.reason + "; will retry");
      } else if (!outcome.delivered) {
        context.log(LogLevel::kWarn, "FlowFile " + ff.uuid() + " to failure: " + outcome.reason);
      }
      route(session, ff, outcome);
    }
    if (!broken) lease->release_at(context.now_ms());
  }

 private:
  void route(ProcessSession& session, FlowFile& ff, const Outcome& outcome) const {
    if (outcome.delivered) {
      if (!outcome.renamed_to.empty()) session.put_attribute(ff, "filename", outcome.renamed_to);
      session.put_attribute(ff, "sftp.remote.path", outcome.path);
      session.report_send(ff, transit_uri(settings_, outcome.path));
      session.transfer(ff, kSuccess);
      return;
    }
    session.put_attribute(ff, kReasonAttribute, outcome.reason);
    if (outcome.retry) {
      session.transfer(ff, kRetry);
    } else {
      session.penalize(ff);
      session.transfer(ff, kFailure);
    }
  }

  Outcome put(const ProcessContext& context, ProcessSession& session, SftpConnection& connection,
              const FlowFile& ff) {
    const EvaluationEnvironment env = context.environment();
    std::string directory;
    std::string name;
    try {
      directory = context.expression("remote_directory").evaluate(ff, env);
      if (filename_from_attribute_) {
        const auto attribute = ff.attribute("filename");
        name = attribute ? attribute->str() : std::string();
      } else {
        name = context.expression("filename").evaluate(ff, env);
      }
    } catch (const ExpressionError& e) {
      return refused(std::string("cannot evaluate the remote path: ") + e.what());
    }
    if (auto reason = unsafe_directory_reason(directory); !reason.empty()) return refused(reason);
    if (auto reason = standard::unsafe_filename_reason(name)) return refused(*reason);

    try {
      return upload(connection, session, ff, directory, name);
    } catch (const SftpError& e) {
      return Outcome{false, transient(e.kind()), e.what(), {}, {}};
    }
  }

  Outcome upload(SftpConnection& connection, ProcessSession& session, const FlowFile& ff,
                 const std::string& directory, std::string name) {
    if (create_directory_) ensure_directory(connection, directory);
    std::string target = join_path(directory, name);
    Outcome outcome;
    const std::optional<RemoteEntry> existing = connection.stat(target);
    if (existing) {
      switch (conflict_) {
        case Conflict::kIgnore: return Outcome{true, false, {}, target, {}};
        case Conflict::kFail: return refused("remote file " + target + " already exists");
        case Conflict::kRename: {
          auto free_name = unused_name(connection, directory, name);
          if (!free_name) return refused("remote file " + target + " and its renamed variants already exist");
          name = *free_name;
          outcome.renamed_to = name;
          target = join_path(directory, name);
          break;
        }
        case Conflict::kReplace: break;
      }
    }
    const std::string written =
        dot_rename_ ? join_path(directory, standard::temp_filename(name, ff.uuid())) : target;
    try {
      session.read(ff, [&](InputStream& in) { connection.upload(written, in, permissions_, sync_); });
    } catch (const SftpError& e) {
      if (e.kind() == SftpErrorKind::kNotFound && create_directory_) forget_directory(directory);
      abandon(connection, written, e);
      throw;
    }
    if (dot_rename_) {
      try {
        // SFTP v3 rename refuses an existing target; `replace` removes it first (not atomic on such servers).
        if (existing && conflict_ == Conflict::kReplace) remove_if_present(connection, target);
        connection.rename(written, target);
      } catch (const SftpError& e) {
        abandon(connection, written, e);
        throw;
      }
    }
    outcome.delivered = true;
    outcome.path = target;
    return outcome;
  }

  static std::optional<std::string> unused_name(SftpConnection& connection, const std::string& directory,
                                                const std::string& name) {
    for (int i = 1; i <= kMaxRenameAttempts; ++i) {
      std::string candidate = std::to_string(i) + "." + name;
      if (standard::unsafe_filename_reason(candidate)) return std::nullopt;
      if (!connection.stat(join_path(directory, candidate))) return candidate;
    }
    return std::nullopt;
  }

  static void remove_if_present(SftpConnection& connection, const std::string& path) {
    try {
      connection.remove(path);
    } catch (const SftpError& e) {
      if (e.kind() != SftpErrorKind::kNotFound) throw;
    }
  }

  // Best effort: a temporary file left after a failed upload is hidden (dot-prefixed) and overwritten by
  // the retry, which uses the same name.
  static void abandon(SftpConnection& connection, const std::string& path, const SftpError& cause) {
    if (transient(cause.kind())) return;
    try {
      connection.remove(path);
    } catch (const SftpError&) {  // NOLINT(bugprone-empty-catch): the original error is what gets reported
    }
  }

  void ensure_directory(SftpConnection& connection, const std::string& directory) {
    {
      const std::lock_guard lock(mutex_);
      if (known_directories_.contains(directory)) return;
    }
    connection.create_directories(directory);
    const std::lock_guard lock(mutex_);
    known_directories_.insert(directory);
  }

  void forget_directory(const std::string& directory) {
    const std::lock_guard lock(mutex_);
    known_directories_.erase(directory);
  }

  SftpSettings settings_;
  std::unique_ptr<SftpPool> pool_;
  Conflict conflict_ = Conflict::kFail;
  bool create_directory_ = true;
  bool dot_rename_ = true;
  bool sync_ = true;
  bool filename_from_attribute_ = true;
  std::optional<std::uint32_t> permissions_;
  std::mutex mutex_;
  std::set<std::string> known_directories_;  // created or seen on the server during this run
};

ProcessorSpec make_spec() {
  using standard::enum_property;
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "PutSFTP";
  s.summary = "Uploads each FlowFile's content to a file on an SFTP server.";
  s.description =
      "Writes the content of each FlowFile to `remote_directory`/`filename` on an SFTP server. The file is "
      "written under a hidden temporary name (`.NAME.UUID.partial`), synced on the server "
      "(fsync@openssh.com, "
      "when `sync` and the server supports it), then renamed into place, so a reader never sees a partial "
      "file. A FlowFile goes to `success` only after the server confirmed the rename, with a SEND provenance "
      "event (`sftp://host:port/path`). Each trigger uploads a batch of FlowFiles (the schedule's `batch`) "
      "over one connection from a pool of reused connections. An unreachable server or a broken connection "
      "sends the FlowFiles to `retry`; a host key that does not match `known_hosts_file`, refused "
      "credentials, an unsafe path or a conflict send them to `failure` (penalized). Both carry the reason "
      "in `sftp.failure.reason`. `filename` must be a single file name and `remote_directory` may not "
      "contain "
      "`..`, so an attribute cannot place a file outside the configured tree. Delivery is at-least-once: "
      "after a crash between the upload and the commit, the file is uploaded again.";
  s.tags = {"sftp", "ssh", "remote", "egress", "put", "files", "copy", "archive"};
  s.input = InputRequirement::kRequired;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      required_property("remote_directory", PropertyKind::kExpression,
                        "Directory on the server to upload to (absolute, or relative to the login "
                        "directory). Evaluated per FlowFile; a `..` component is refused."),
      optional_property("filename", PropertyKind::kExpression, std::nullopt,
                        "Remote file name, evaluated per FlowFile. Unset: the `filename` attribute. Must be "
                        "a single name (no `/`)."),
      optional_property("create_directory", PropertyKind::kBool, "true",
                        "Create `remote_directory` and its missing parents when they do not exist."),
      enum_property("conflict", "fail",
                    {{"replace", "Replace the existing file (removed, then the upload renamed into place)."},
                     {"ignore", "Leave the existing file; the FlowFile goes to success without an upload."},
                     {"fail", "Leave the existing file; the FlowFile goes to failure."},
                     {"rename", "Upload as `1.NAME`, `2.NAME`, … (the first free one) and set `filename`."}},
                    "What to do when the remote file already exists."),
      optional_property("permissions", PropertyKind::kString, std::nullopt,
                        "Octal permissions for uploaded files, e.g. `0640`. Unset: `0644` as the server's "
                        "umask allows."),
      optional_property("dot_rename", PropertyKind::kBool, "true",
                        "Upload under a hidden temporary name and rename into place once complete. Turn off "
                        "only for servers that refuse renames."),
      optional_property("sync", PropertyKind::kBool, "true",
                        "Ask the server to fsync each file before it is renamed into place (when the server "
                        "offers fsync@openssh.com), so a confirmed upload survives the server's crash."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {
      {"success", "FlowFiles uploaded (or, under `conflict: ignore`, whose remote file already existed)."},
      {"retry",
       "FlowFiles not uploaded because the server could not be reached or the connection broke; list it in "
       "the processor's `retry:` block."},
      {"failure",
       "FlowFiles refused: host key verification or authentication failed, unsafe path, conflict, or the "
       "server refused the operation (see `sftp.failure.reason`)."},
  };
  s.reads_attributes = {{"filename", "The remote file name, unless the `filename` property is set."}};
  s.writes_attributes = {
      {"sftp.remote.path", "Where the file was uploaded."},
      {"filename", "The new name under `conflict: rename`."},
      {"sftp.failure.reason", "Why a FlowFile went to `retry` or `failure`."},
  };
  s.examples = {{"Deliver merged meter files to a vendor",
                 "put:\n  type: PutSFTP\n  properties:\n    host: sftp.vendor.example\n    username: meters\n"
                 "    private_key_file: ${env:VENDOR_KEY}\n    known_hosts_file: /etc/sluice/known_hosts\n"
                 "    remote_directory: /incoming\n  retry: { relationships: [retry], policy: yield }\n"
                 "  terminate: [success]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<PutSftp>();
}

}  // namespace

const ProcessorDefinition& put_sftp_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::sftp
