#include "fetch_sftp.hpp"

#include <cstdint>
#include <memory>
#include <optional>
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
constexpr std::string_view kNotFound = "not_found";
constexpr std::string_view kPermissionDenied = "permission_denied";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kReasonAttribute = "sftp.failure.reason";

enum class Completion : std::uint8_t { kNone, kDelete, kMove };

std::string_view relationship_for(SftpErrorKind kind) {
  switch (kind) {
    case SftpErrorKind::kConnection: return kRetry;
    case SftpErrorKind::kNotFound: return kNotFound;
    case SftpErrorKind::kPermissionDenied: return kPermissionDenied;
    default: return kFailure;
  }
}

struct Fetched {
  std::string path;
  std::string directory;
  std::string name;
  std::string move_to;  // the evaluated move destination directory (completion: move)
};

class FetchSftp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    pool_ = make_pool(context, settings_);
    const std::string completion = context.string_property("completion");
    completion_ = completion == "delete" ? Completion::kDelete
                  : completion == "move" ? Completion::kMove
                                         : Completion::kNone;
    if (completion_ == Completion::kMove && !context.property("move_destination")) {
      throw ProcessorError("completion: move needs move_destination");
    }
    create_directory_ = context.bool_property("create_directory");
    path_from_attributes_ = !context.property("remote_file").has_value();
  }

  void on_stop(ProcessContext& /*context*/) override {
    if (pool_) pool_->close_all();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<FlowFile> batch = session.get(context.batch_size());
    if (batch.empty()) return;
    std::optional<SftpPool::Lease> lease;
    try {
      lease.emplace(pool_->acquire(context.now_ms()));
    } catch (const SftpError& e) {
      context.log(LogLevel::kWarn, std::string(e.what()) + (transient(e.kind()) ? "; will retry" : ""));
      for (FlowFile& ff : batch) refuse(session, ff, relationship_for(e.kind()), e.what());
      return;
    }
    std::vector<Fetched> fetched;
    std::optional<std::string> broken;
    for (FlowFile& ff : batch) {
      if (broken) {
        refuse(session, ff, kRetry, *broken);
        continue;
      }
      Fetched f;
      if (auto reason = locate(context, ff, f)) {
        refuse(session, ff, kFailure, *reason);
        continue;
      }
      try {
        session.write(ff, [&](OutputStream& out) { (*lease)->download(f.path, out); });
      } catch (const SftpError& e) {
        if (transient(e.kind())) {
          broken = e.what();
          lease->discard();
        }
        context.log(LogLevel::kWarn, "FlowFile " + ff.uuid() + ": " + e.what());
        refuse(session, ff, relationship_for(e.kind()), e.what());
        continue;
      }
      session.remove_attribute(ff, kReasonAttribute);
      session.report_fetch(ff, transit_uri(settings_, f.path));
      session.transfer(ff, kSuccess);
      if (completion_ != Completion::kNone) fetched.push_back(std::move(f));
    }
    if (fetched.empty()) return;
    // At-least-once: the remote file goes only once its content is durable here. A crash in between leaves
    // it on the server (fetched again only if something lists it again), never lost.
    session.commit();
    if (broken) {
      // The connection broke after these were fetched: their listing will not offer them again, so complete
      // them over a fresh one rather than leave them on the server.
      try {
        lease.emplace(pool_->acquire(context.now_ms()));
      } catch (const SftpError& e) {
        context.log(LogLevel::kWarn, std::string("fetched, but cannot complete on the server: ") + e.what());
        return;
      }
    }
    if (complete(context, **lease, fetched)) {
      lease->release_at(context.now_ms());
    } else {
      lease->discard();
    }
  }

 private:
  static void refuse(ProcessSession& session, FlowFile& ff, std::string_view relationship,
                     const std::string& reason) {
    session.put_attribute(ff, kReasonAttribute, reason);
    if (relationship != kRetry) session.penalize(ff);
    session.transfer(ff, relationship);
  }

  // The remote path of `ff`, or why it has none.
  std::optional<std::string> locate(const ProcessContext& context, const FlowFile& ff, Fetched& f) const {
    const EvaluationEnvironment env = context.environment();
    try {
      if (path_from_attributes_) {
        const auto dir = ff.attribute("path");
        const auto name = ff.attribute("filename");
        f.directory = dir ? dir->str() : std::string(".");
        f.name = name ? name->str() : std::string();
        if (auto reason = standard::unsafe_filename_reason(f.name)) return reason;
        f.path = join_path(f.directory, f.name);
      } else {
        f.path = context.expression("remote_file").evaluate(ff, env);
        const auto slash = f.path.find_last_of('/');
        f.directory = slash == std::string::npos ? std::string(".") : f.path.substr(0, slash);
        f.name = slash == std::string::npos ? f.path : f.path.substr(slash + 1);
      }
      if (completion_ == Completion::kMove)
        f.move_to = context.expression("move_destination").evaluate(ff, env);
    } catch (const ExpressionError& e) {
      return std::string("cannot evaluate the remote path: ") + e.what();
    }
    if (auto reason = unsafe_directory_reason(f.path); !reason.empty()) return reason;
    if (completion_ == Completion::kMove) {
      if (auto reason = unsafe_directory_reason(f.move_to); !reason.empty())
        return "move_destination: " + reason;
    }
    return std::nullopt;
  }

  // False when the connection broke on the way (the rest stay on the server).
  bool complete(const ProcessContext& context, SftpConnection& connection,
                const std::vector<Fetched>& fetched) const {
    for (const Fetched& f : fetched) {
      try {
        if (completion_ == Completion::kDelete) {
          connection.remove(f.path);
        } else {
          if (create_directory_) connection.create_directories(f.move_to);
          connection.rename(f.path, join_path(f.move_to, f.name));
        }
      } catch (const SftpError& e) {
        // Already committed: the content is safe; only the clean-up on the server is missing.
        context.log(LogLevel::kWarn, std::string("fetched, but cannot complete on the server: ") + e.what());
        if (transient(e.kind())) return false;
      }
    }
    return true;
  }

  SftpSettings settings_;
  std::unique_ptr<SftpPool> pool_;
  Completion completion_ = Completion::kNone;
  bool create_directory_ = true;
  bool path_from_attributes_ = true;
};

ProcessorSpec make_spec() {
  using standard::enum_property;
  using standard::optional_property;
  ProcessorSpec s;
  s.type = "FetchSFTP";
  s.summary = "Replaces each FlowFile's content with a file fetched from an SFTP server.";
  s.description =
      "For each incoming FlowFile (typically from ListSFTP), downloads the remote file `path`/`filename` "
      "(or `remote_file` when set) into the FlowFile's content, streaming, and reports a FETCH provenance "
      "event. Each trigger fetches a batch over one pooled connection. With `completion: delete` or `move`, "
      "the remote file is deleted or moved into `move_destination` only after the session holding its "
      "content has committed, so a crash never loses a file; a failure to clean up is logged and does not "
      "affect the FlowFile. An unreachable server or a broken connection sends the FlowFile to `retry`; a "
      "missing file to `not_found`; a refused read to `permission_denied`; host key or authentication "
      "failures and unsafe paths (a `..` component) to `failure`. The reason is in `sftp.failure.reason`.";
  s.tags = {"sftp", "ssh", "remote", "ingest", "fetch", "files"};
  s.input = InputRequirement::kRequired;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      optional_property("remote_file", PropertyKind::kExpression, std::nullopt,
                        "Path of the remote file, evaluated per FlowFile. Unset: the `path` and `filename` "
                        "attributes ListSFTP writes."),
      enum_property("completion", "none",
                    {{"none", "Leave the remote file."},
                     {"delete", "Delete the remote file once the fetch is committed."},
                     {"move", "Move the remote file into `move_destination` once the fetch is committed."}},
                    "What to do with the remote file after a successful fetch."),
      optional_property("move_destination", PropertyKind::kExpression, std::nullopt,
                        "Directory on the server to move fetched files into (`completion: move`)."),
      optional_property("create_directory", PropertyKind::kBool, "true",
                        "Create `move_destination` when it does not exist."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {
      {"success", "FlowFiles whose content is now the remote file's."},
      {"retry", "The server could not be reached or the connection broke; list it in `retry:`."},
      {"not_found", "The remote file does not exist (any more)."},
      {"permission_denied", "The server refused to read the remote file."},
      {"failure", "Host key or authentication failure, unsafe path, or another refusal."},
  };
  s.reads_attributes = {{"path", "Directory of the remote file, unless `remote_file` is set."},
                        {"filename", "Name of the remote file, unless `remote_file` is set."}};
  s.writes_attributes = {{"sftp.failure.reason", "Why a FlowFile did not go to `success`."}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<FetchSftp>();
}

}  // namespace

const ProcessorDefinition& fetch_sftp_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::sftp
