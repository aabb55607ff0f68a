#include "list_sftp.hpp"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "file_listing.hpp"
#include "listing_state.hpp"
#include "sftp_pool.hpp"
#include "sftp_properties.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::sftp {

namespace {

constexpr std::string_view kSuccess = "success";
// Deep enough for any real vendor tree; bounds a listing of a pathological (or looping) one.
constexpr int kMaxDepth = 32;

struct RemoteFile {
  std::string directory;
  RemoteEntry entry;
};

// "rwxr-x---" from mode bits.
std::string permission_text(std::uint32_t mode) {
  std::string out(9, '-');
  static constexpr char kLetters[] = {'r', 'w', 'x'};
  for (int i = 0; i < 9; ++i) {
    if ((mode & (1U << (8 - i))) != 0) out[static_cast<std::size_t>(i)] = kLetters[i % 3];
  }
  return out;
}

bool hidden(const std::string& name) {
  return !name.empty() && name.front() == '.';
}

class ListSftp final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    settings_ = read_connection_settings(context);
    pool_ = make_pool(context, settings_);
    directory_ = context.string_property("remote_directory");
    if (auto reason = unsafe_directory_reason(directory_); !reason.empty()) throw ProcessorError(reason);
    recurse_ = context.bool_property("recurse");
    ignore_hidden_ = context.bool_property("ignore_hidden");
    min_age_ms_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("min_age")).count();
    const std::string filter = context.string_property("file_filter");
    try {
      filter_ = std::regex(filter, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      throw ProcessorError("file_filter '" + filter + "' is not a valid regular expression: " + e.what());
    }
  }

  void on_stop(ProcessContext& /*context*/) override {
    if (pool_) pool_->close_all();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<RemoteFile> files;
    try {
      auto lease = pool_->acquire(context.now_ms());
      try {
        collect(*lease, directory_, 0, files);
      } catch (const SftpError& e) {
        if (transient(e.kind())) lease.discard();
        throw;
      }
      lease.release_at(context.now_ms());
    } catch (const SftpError& e) {
      // Nothing was emitted: the next trigger lists again from the same position.
      context.log(LogLevel::kWarn, std::string("cannot list: ") + e.what());
      context.yield();
      return;
    }

    std::vector<ListingCandidate> candidates;
    candidates.reserve(files.size());
    for (const auto& f : files)
      candidates.push_back({join_path(f.directory, f.entry.name), f.entry.modified_ms});
    const ListingPosition position =
        decode_position(session.get_state(kTimestampKey), session.get_state(kPathsKey));
    const std::vector<std::size_t> chosen =
        select_new(candidates, position, context.now_ms(), min_age_ms_, context.batch_size());
    if (chosen.empty()) {
      context.yield();
      return;
    }
    std::vector<const ListingCandidate*> emitted;
    emitted.reserve(chosen.size());
    for (const std::size_t i : chosen) {
      emit(session, files[i]);
      emitted.push_back(&candidates[i]);
    }
    const ListingPosition next = advance(position, emitted);
    session.set_state(kTimestampKey, std::to_string(next.timestamp_ms));
    session.set_state(kPathsKey, encode_paths(next.paths));
  }

 private:
  void collect(SftpConnection& connection, const std::string& directory, int depth,
               std::vector<RemoteFile>& out) const {
    for (RemoteEntry& e : connection.list(directory)) {
      if (e.name.find('\n') != std::string::npos) continue;  // cannot be recorded in the listing state
      if (ignore_hidden_ && hidden(e.name)) continue;
      if (e.directory) {
        if (recurse_ && depth < kMaxDepth) collect(connection, join_path(directory, e.name), depth + 1, out);
        continue;
      }
      if (!e.regular || !std::regex_match(e.name, filter_)) continue;  // symlinks are not followed
      out.push_back({directory, std::move(e)});
    }
  }

  void emit(ProcessSession& session, const RemoteFile& f) const {
    FlowFile ff = session.create();
    session.put_attribute(ff, "filename", f.entry.name);
    session.put_attribute(ff, "path", f.directory);
    session.put_attribute(ff, "sftp.remote.host", settings_.host);
    session.put_attribute(ff, "sftp.remote.port", std::to_string(settings_.port));
    session.put_attribute(ff, "sftp.listing.user", settings_.username);
    session.put_attribute(ff, "file.size", std::to_string(f.entry.size));
    session.put_attribute(ff, "file.lastModifiedTime", standard::iso8601_utc(f.entry.modified_ms));
    session.put_attribute(ff, "file.permissions", permission_text(f.entry.permissions));
    session.put_attribute(ff, "file.owner", std::to_string(f.entry.uid));
    session.put_attribute(ff, "file.group", std::to_string(f.entry.gid));
    session.transfer(ff, kSuccess);
  }

  SftpSettings settings_;
  std::unique_ptr<SftpPool> pool_;
  std::string directory_;
  bool recurse_ = false;
  bool ignore_hidden_ = true;
  std::int64_t min_age_ms_ = 0;
  std::regex filter_;
};

ProcessorSpec make_spec() {
  using standard::optional_property;
  using standard::required_property;
  ProcessorSpec s;
  s.type = "ListSFTP";
  s.summary = "Lists new files on an SFTP server, one FlowFile (without content) per file, for FetchSFTP.";
  s.description =
      "Lists `remote_directory` (and, with `recurse`, its subdirectories) on an SFTP server and emits one "
      "FlowFile without content per new file, oldest first, at most the schedule's `batch` per trigger, with "
      "the file's attributes; connect it to FetchSFTP to bring the content in. What was listed is kept in "
      "the "
      "processor's durable state, committed with the FlowFiles: the newest modification time listed and the "
      "paths listed with that time, so files sharing a timestamp (SFTP gives whole seconds) are neither "
      "missed nor listed twice, and a restart does not list anything again. A file that appears later with a "
      "modification time older than the newest listed one is not listed. Files younger than `min_age` wait "
      "(a writer may still be writing them). Symbolic links are not followed. When the server cannot be "
      "reached, or nothing is new, the processor yields; give it a timer schedule such as `period: 1 min`.";
  s.tags = {"sftp", "ssh", "remote", "ingest", "list", "source", "files"};
  s.input = InputRequirement::kForbidden;
  s.properties = connection_properties();
  const std::vector<PropertySpec> own = {
      optional_property("remote_directory", PropertyKind::kString, ".",
                        "Directory to list (absolute, or relative to the login directory)."),
      optional_property("recurse", PropertyKind::kBool, "false", "Also list subdirectories."),
      optional_property("file_filter", PropertyKind::kRegex, ".*",
                        "Regular expression (ECMAScript) the whole file name must match."),
      optional_property("ignore_hidden", PropertyKind::kBool, "true",
                        "Skip names starting with a dot: hidden files, files still being uploaded under a "
                        "temporary name (as PutSFTP does), and hidden directories."),
      optional_property("min_age", PropertyKind::kDuration, "0 s",
                        "List a file only once it was last modified at least this long ago."),
  };
  s.properties.insert(s.properties.end(), own.begin(), own.end());
  s.relationships = {{"success", "One FlowFile per new remote file, without content."}};
  s.writes_attributes = {
      {"filename", "The file's name."},
      {"path", "The directory on the server the file is in."},
      {"sftp.remote.host", "The server."},
      {"sftp.remote.port", "The server's port."},
      {"sftp.listing.user", "The user that listed it."},
      {"file.size", "Size in bytes when listed."},
      {"file.lastModifiedTime", "Modification time, e.g. `2024-05-01T12:00:00Z`."},
      {"file.permissions", "Permissions, e.g. `rw-r-----`."},
      {"file.owner", "Numeric owner id."},
      {"file.group", "Numeric group id."},
  };
  s.examples = {
      {"List a vendor's meter files every minute and fetch each once, deleting it afterwards",
       "list:\n  type: ListSFTP\n  properties: { host: sftp.vendor.example, username: meters,\n"
       "                private_key_file: /etc/sluice/vendor_key, known_hosts_file: "
       "/etc/sluice/known_hosts,\n                remote_directory: /outgoing, file_filter: '.*\\.csv' }\n"
       "  schedule: { strategy: timer, period: 1 min }\nfetch:\n  type: FetchSFTP\n"
       "  properties: { host: sftp.vendor.example, username: meters,\n"
       "                private_key_file: /etc/sluice/vendor_key, known_hosts_file: "
       "/etc/sluice/known_hosts,\n                completion: delete }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ListSftp>();
}

}  // namespace

const ProcessorDefinition& list_sftp_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::sftp
