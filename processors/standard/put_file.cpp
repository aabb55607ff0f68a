#include "put_file.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "durable_file.hpp"
#include "failure.hpp"
#include "path_safety.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "putfile.failure.reason";

enum class Conflict : std::uint8_t { kReplace, kIgnore, kFail };

class PutFile final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    directory_expression_ = &context.expression("directory");
    literal_directory_ = directory_expression_->is_literal();
    if (literal_directory_) {
      directory_ = directory_expression_->evaluate(FlowFileVariables(FlowFile()), {});
      if (directory_.empty()) throw ProcessorError("directory must not be empty");
    } else {
      root_ = static_root(directory_expression_->text());
    }
    const std::string conflict = context.string_property("conflict");
    if (conflict == "replace") {
      conflict_ = Conflict::kReplace;
    } else if (conflict == "ignore") {
      conflict_ = Conflict::kIgnore;
    } else if (conflict == "fail") {
      conflict_ = Conflict::kFail;
    } else {
      throw ProcessorError("conflict must be replace, ignore or fail, got '" + conflict + "'");
    }
    create_dirs_ = context.bool_property("create_dirs");
    permissions_.reset();
    if (auto text = context.property("permissions"); text && !text->empty()) {
      permissions_ = parse_permissions(*text);
      if (!permissions_) {
        throw ProcessorError("permissions must be an octal mode such as 0644, got '" + *text + "'");
      }
    }
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const EvaluationEnvironment env = context.environment();
    for (FlowFile& ff : session.get(context.batch_size())) {
      if (auto reason = put(session, ff, env)) {
        route_to_failure(context, session, ff, kReasonAttribute, *reason, true);
      } else {
        session.transfer(ff, kSuccess);
      }
    }
  }

 private:
  // Writes one FlowFile; the failure reason, or nullopt when it belongs in `success`.
  std::optional<std::string> put(ProcessSession& session, FlowFile& ff,
                                 const EvaluationEnvironment& env) const {
    const auto name_attribute = ff.attribute("filename");
    const std::string filename = name_attribute ? name_attribute->str() : std::string();
    if (auto reason = unsafe_filename_reason(filename)) return reason;

    fs::path dir(directory_);
    if (!literal_directory_) {
      // Computed from attributes: it must stay inside the fixed part of the property, checked before
      // anything is created, and again with links resolved once the directory exists.
      try {
        dir = directory_expression_->evaluate(FlowFileVariables(ff), env);
      } catch (const ExpressionError& e) {
        return std::string("cannot evaluate directory: ") + e.what();
      }
      if (dir.empty()) return std::string("directory evaluated to an empty path");
      if (auto reason = directory_escape_reason(root_, dir, false)) return reason;
    }
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      if (!create_dirs_) return "directory " + dir.string() + " does not exist";
      if (auto create_ec = create_directories_durably(dir)) {
        return "cannot create directory " + dir.string() + ": " + create_ec.message();
      }
    }
    if (!literal_directory_) {
      if (auto reason = directory_escape_reason(root_, dir, true)) return reason;
    }

    const fs::path target = dir / filename;
    const bool exists = fs::symlink_status(target, ec).type() != fs::file_type::not_found;
    if (exists && conflict_ == Conflict::kFail) return "file " + target.string() + " already exists";
    if (exists && conflict_ == Conflict::kIgnore) return std::nullopt;

    const fs::path temp = dir / temp_filename(filename, ff.uuid());
    auto abandon = [&](std::string reason) {
      std::error_code remove_ec;
      fs::remove(temp, remove_ec);
      return std::optional<std::string>(std::move(reason));
    };
    try {
      // A whole file nobody else shares becomes the target by a hard link (GetFile → PutFile copies no
      // byte); not when its mode is to change, which would change the repository's file too.
      fs::remove(temp, ec);  // a leftover of an interrupted attempt: a link needs the name free
      if (permissions_) {
        session.export_to(ff, temp);
      } else {
        session.hand_over_to(ff, temp);
      }
    } catch (const std::exception& e) {
      return abandon("cannot write " + temp.string() + ": " + e.what());
    }
    if (auto sync_ec = sync_file(temp)) {
      return abandon("cannot sync " + temp.string() + ": " + sync_ec.message());
    }
    if (permissions_) {
      fs::permissions(temp, *permissions_, fs::perm_options::replace, ec);
      if (ec) return abandon("cannot set permissions on " + temp.string() + ": " + ec.message());
    }
    if (auto rename_ec = rename_file(temp, target, conflict_ == Conflict::kReplace)) {
      // Another writer created the target since the check above: apply the conflict rule to it.
      if (rename_ec == std::errc::file_exists) {
        if (conflict_ == Conflict::kIgnore) {
          abandon("");
          return std::nullopt;
        }
        return abandon("file " + target.string() + " already exists");
      }
      return abandon("cannot rename " + temp.string() + " to " + target.string() + ": " +
                     rename_ec.message());
    }
    // A retry after a crash between the rename and the commit links the same inode again, and rename(2)
    // between two names of one file does nothing: the temporary name would stay behind.
    fs::remove(temp, ec);
    if (auto sync_ec = sync_directory(dir)) {
      // The file is complete under its final name; only its survival of a power loss is in doubt.
      return "wrote " + target.string() + " but cannot sync its directory: " + sync_ec.message();
    }
    session.report_send(ff, "file://" + fs::absolute(target).string());
    return std::nullopt;
  }

  const Expression* directory_expression_ = nullptr;
  bool literal_directory_ = true;
  std::string directory_;  // when literal
  std::string root_;       // when computed: what it must stay inside
  Conflict conflict_ = Conflict::kFail;
  bool create_dirs_ = true;
  std::optional<fs::perms> permissions_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "PutFile";
  s.summary = "Writes each FlowFile's content to a file in a local directory.";
  s.description =
      "Writes the content of each FlowFile to `directory`/`filename` (the `filename` attribute). A file is "
      "never seen half-written: the content goes to a hidden temporary file in the same directory, is synced "
      "to disk, then renamed into place, and the directory is synced, before the FlowFile goes to "
      "`success`. Content that is a whole file of the content repository no other FlowFile shares (a file "
      "GetFile took over, a large output of a record processor) is handed over by a hard link on the same "
      "file system: no byte is copied. The content repository first seals the bytes (SHA-256, one read): "
      "provenance's content view and replay, and any processor after PutFile, get exactly the delivered "
      "bytes, or an error saying the delivered file was changed since. With `permissions` set the content "
      "is copied (a chmod would change the repository's file too). A `filename` that is empty, absolute, "
      "`.`/`..` or contains `/` is refused, so no FlowFile can write outside `directory`. `directory` may be "
      "an expression "
      "(`out/${region}/${now():format('yyyy')}`): "
      "the directory it evaluates to must stay inside its fixed start up to the last `/` before the first "
      "`${` (`out/` here; the working directory when it starts with `${`), checked lexically and again "
      "with symbolic links resolved, so an attribute holding `../..` or an absolute path cannot write "
      "elsewhere: such FlowFiles go to `failure`. Refused FlowFiles, conflicts under `conflict: fail` and "
      "I/O errors go "
      "to `failure`, penalized, with the reason in the `putfile.failure.reason` attribute. Delivery is "
      "at-least-once: after a crash a FlowFile may be written again, which `conflict: fail` reports as a "
      "conflict.";
  s.tags = {"local", "files", "filesystem", "egress", "sink", "output"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      required_property("directory", PropertyKind::kExpression,
                        "Directory to write files to, relative to the engine's working directory unless "
                        "absolute; an expression evaluated per FlowFile, confined to its fixed start."),
      enum_property("conflict", "fail",
                    {{"replace", "Atomically replace the existing file."},
                     {"ignore", "Leave the existing file and send the FlowFile to success unwritten."},
                     {"fail", "Leave the existing file and send the FlowFile to failure."}},
                    "What to do when the target file already exists."),
      optional_property(
          "create_dirs", PropertyKind::kBool, "true",
          "Create `directory` (and missing parents) when it does not exist; when false a missing "
          "directory sends FlowFiles to failure."),
      optional_property("permissions", PropertyKind::kString, std::nullopt,
                        "Octal permissions for written files, e.g. `0644`. Unset: as the engine's umask "
                        "allows."),
  };
  s.relationships = {
      {"success", "FlowFiles written (or, with `conflict: ignore`, whose file already existed)."},
      {"failure", "FlowFiles that could not be written; see the `putfile.failure.reason` attribute."},
  };
  s.writes_attributes = {{"putfile.failure.reason", "Why a FlowFile went to failure."}};
  s.reads_attributes = {{"filename", "The name of the file to write."}};
  s.examples = {
      {"One directory per region, never outside out/",
       "write:\n  type: PutFile\n  properties: { directory: \"out/${region}\", conflict: replace }\n"
       "  terminate: [success, failure]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<PutFile>();
}

}  // namespace

const ProcessorDefinition& put_file_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
