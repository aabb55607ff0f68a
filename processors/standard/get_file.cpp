#include "get_file.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "file_listing.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuccess = "success";

std::string directory_with_slash(const fs::path& dir) {
  std::string s = dir.string();
  if (s.empty() || s.back() != '/') s += '/';
  return s;
}

class GetFile final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string directory = context.string_property("directory");
    if (directory.empty()) throw ProcessorError("directory must not be empty");
    directory_ = fs::absolute(directory).lexically_normal();
    recurse_ = context.bool_property("recurse");
    keep_source_ = context.bool_property("keep_source");
    ignore_hidden_ = context.bool_property("ignore_hidden");
    min_age_ = std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("min_age"));
    const std::int64_t batch = context.int_property("batch_size");
    if (batch < 1) throw ProcessorError("batch_size must be at least 1, got " + std::to_string(batch));
    batch_ = static_cast<std::size_t>(batch);
    const std::string filter = context.string_property("file_filter");
    try {
      filter_ = std::regex(filter, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      throw ProcessorError("file_filter '" + filter + "' is not a valid regular expression: " + e.what());
    }
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::error_code ec;
    ListingOptions options;
    options.recurse = recurse_;
    options.ignore_hidden = ignore_hidden_;
    options.file_filter = &filter_;
    options.min_age = min_age_;
    options.now_ms = context.now_ms();
    options.max_files = batch_;
    options.skip = [this](const fs::path& p) { return in_flight(p); };
    const std::vector<ListedFile> files = list_files(directory_, options, ec);
    if (ec) {
      context.log(LogLevel::kWarn, "cannot list " + directory_.string() + ": " + ec.message());
      context.yield();
      return;
    }
    Claim claim(*this, files);
    if (claim.files.empty()) {
      context.yield();
      return;
    }

    std::vector<const ListedFile*> imported;
    for (const ListedFile* file : claim.files) {
      FlowFile ff = session.create();
      try {
        // A source deleted after the commit is taken over (a hard link), not copied.
        if (keep_source_) {
          session.import_from(file->absolute, ff);
        } else {
          session.adopt_from(file->absolute, ff);
        }
      } catch (const std::exception& e) {
        std::error_code exists_ec;
        if (fs::exists(file->absolute, exists_ec)) throw;  // a real failure: roll back, penalize, retry
        // Renamed or deleted by someone else between listing and import: not ours any more.
        context.log(LogLevel::kDebug,
                    "skipping " + file->absolute.string() + ", gone before import: " + e.what());
        session.remove(ff);
        continue;
      }
      session.put_attribute(ff, "filename", file->filename);
      session.put_attribute(ff, "path", file->relative_dir);
      session.put_attribute(ff, "absolute.path", directory_with_slash(file->absolute.parent_path()));
      session.put_attribute(ff, "file.lastModifiedTime", iso8601_utc(file->modified_ms));
      session.report_receive(ff, "file://" + file->absolute.string());
      session.transfer(ff, kSuccess);
      imported.push_back(file);
    }
    if (imported.empty()) return;

    // At-least-once: the source goes only after its content and FlowFile are durable. A crash in between
    // picks the file up again on restart (a duplicate, never a loss).
    session.commit();
    if (keep_source_) return;
    for (const ListedFile* file : imported) {
      std::error_code remove_ec;
      fs::remove(file->absolute, remove_ec);
      if (remove_ec) {
        context.log(LogLevel::kWarn, "cannot delete " + file->absolute.string() + " after import (" +
                                         remove_ec.message() + "); it will be picked up again");
      }
    }
  }

 private:
  // Files one trigger is importing, invisible to concurrent triggers so that no file is imported twice.
  struct Claim {
    Claim(GetFile& owner, const std::vector<ListedFile>& listed) : owner_(owner) {
      const std::lock_guard lock(owner_.mutex_);
      for (const auto& f : listed) {
        if (owner_.in_flight_.insert(f.absolute).second) files.push_back(&f);
      }
    }
    ~Claim() {
      const std::lock_guard lock(owner_.mutex_);
      for (const ListedFile* f : files) owner_.in_flight_.erase(f->absolute);
    }
    Claim(const Claim&) = delete;
    Claim& operator=(const Claim&) = delete;

    std::vector<const ListedFile*> files;

   private:
    GetFile& owner_;
  };

  bool in_flight(const fs::path& p) {
    const std::lock_guard lock(mutex_);
    return in_flight_.contains(p);
  }

  fs::path directory_;
  bool recurse_ = false;
  bool keep_source_ = false;
  bool ignore_hidden_ = true;
  std::chrono::milliseconds min_age_{0};
  std::size_t batch_ = 10;
  std::regex filter_;
  std::mutex mutex_;
  std::set<fs::path> in_flight_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "GetFile";
  s.summary = "Picks up files from a local directory and deletes them once they are in the flow.";
  s.description =
      "Lists `directory` (and, with `recurse`, its subdirectories) for files whose name matches "
      "`file_filter` and that were last modified at least `min_age` ago, oldest first, and imports up to "
      "`batch_size` of them per trigger, each as a FlowFile to `success` with attributes `filename`, `path` "
      "(directory relative to `directory`, `./` for the top), `absolute.path` (the file's directory) and "
      "`file.lastModifiedTime`. A source file is deleted only after the session that imported it has "
      "committed, so a crash can duplicate a file but never lose one. Files that disappear before they are "
      "imported are skipped. With `keep_source` the files stay and are picked up again on every trigger. "
      "Without it, a file on the content repository's file system with no other name is taken over by a "
      "hard link instead of being copied (its bytes are synced, not rewritten); other files are copied. "
      "Yields when there is nothing to pick up.";
  s.tags = {"local", "files", "filesystem", "ingest", "source", "input"};
  s.input = InputRequirement::kForbidden;
  s.properties = {
      required_property(
          "directory", PropertyKind::kString,
          "Directory to pick files up from; relative paths are relative to the engine's working "
          "directory."),
      optional_property("recurse", PropertyKind::kBool, "false",
                        "Also pick up files in subdirectories (symbolic links to directories are not "
                        "followed)."),
      optional_property("file_filter", PropertyKind::kRegex, R"([^\.].*)",
                        "Regular expression (ECMAScript) the whole file name must match. The default skips "
                        "names starting with a dot, as writers commonly use those for files in progress."),
      optional_property(
          "keep_source", PropertyKind::kBool, "false",
          "Leave the source files in place instead of deleting them after import. They are then "
          "imported again on every trigger."),
      optional_property("min_age", PropertyKind::kDuration, "0 s",
                        "Only pick up files last modified at least this long ago, e.g. `30 s`, so that files "
                        "still being written by another process are left alone."),
      optional_property("batch_size", PropertyKind::kInt, "10",
                        "Maximum number of files imported, and committed together, per trigger."),
      optional_property("ignore_hidden", PropertyKind::kBool, "true",
                        "Skip hidden files (names starting with a dot) and, with `recurse`, hidden "
                        "directories."),
  };
  s.relationships = {{"success", "Every imported file."}};
  s.examples = {{"Pick up CSV files older than 5 s from a drop directory",
                 "get:\n  type: GetFile\n  properties: { directory: /data/in, file_filter: '.*\\.csv', "
                 "min_age: 5 s, batch_size: 100 }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<GetFile>();
}

}  // namespace

const ProcessorDefinition& get_file_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
