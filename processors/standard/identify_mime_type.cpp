#include "identify_mime_type.hpp"

#include <algorithm>
#include <magic.h>
#include <memory>
#include <mutex>
#include <string>

#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kDefaultType = "application/octet-stream";

// One libmagic cookie (its database loaded once); libmagic is not thread-safe, so calls are serialized.
class Magic {
 public:
  Magic(int flags, const std::string& database) : cookie_(magic_open(flags)) {
    if (cookie_ == nullptr) throw ProcessorError("libmagic: magic_open failed");
    if (magic_load(cookie_, database.empty() ? nullptr : database.c_str()) != 0) {
      const std::string error = magic_error(cookie_) != nullptr ? magic_error(cookie_) : "unknown error";
      magic_close(cookie_);
      throw ProcessorError("libmagic cannot load its database" +
                           (database.empty() ? std::string() : " '" + database + "'") + ": " + error);
    }
  }
  ~Magic() { magic_close(cookie_); }
  Magic(const Magic&) = delete;
  Magic& operator=(const Magic&) = delete;

  // The answer for `bytes`, or empty when libmagic has none.
  std::string identify(std::string_view bytes) {
    const char* answer = magic_buffer(cookie_, bytes.data(), bytes.size());
    return answer == nullptr ? std::string() : std::string(answer);
  }

 private:
  magic_t cookie_;
};

class IdentifyMimeType final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string database = context.string_property("magic_database");
    std::lock_guard lock(mutex_);
    types_ = std::make_unique<Magic>(MAGIC_MIME_TYPE, database);
    extensions_ = std::make_unique<Magic>(MAGIC_EXTENSION, database);
    prefix_ = static_cast<std::size_t>(context.size_property("inspect_bytes"));
  }

  void on_stop(ProcessContext& /*context*/) override {
    std::lock_guard lock(mutex_);
    types_.reset();
    extensions_.reset();
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    for (FlowFile& ff : session.get(context.batch_size())) {
      std::string type;
      std::string extension;
      session.read(ff, [&](InputStream& in) {
        const std::string_view content = in.view();
        const std::string_view head = content.substr(0, std::min(content.size(), prefix_));
        std::lock_guard lock(mutex_);
        type = types_->identify(head);
        extension = extensions_->identify(head);
      });
      if (type.empty()) type = kDefaultType;
      session.put_attribute(ff, "mime.type", type);
      // libmagic answers "???" when it knows no extension, and may list several ("jpeg/jpg/jpe/jfif").
      extension = extension.substr(0, extension.find('/'));
      if (!extension.empty() && extension != "???") {
        session.put_attribute(ff, "mime.extension", "." + extension);
      } else {
        session.remove_attribute(ff, "mime.extension");
      }
      session.transfer(ff, kSuccess);
    }
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<Magic> types_;
  std::unique_ptr<Magic> extensions_;
  std::size_t prefix_ = 0;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "IdentifyMimeType";
  s.summary = "Sets `mime.type` (and `mime.extension`) from the content's magic bytes.";
  s.description =
      "Identifies the content type with libmagic (the `file` command's database) from the first "
      "`inspect_bytes` of the content, and sets `mime.type` (e.g. `application/gzip`, `text/plain`, "
      "`application/pdf`; `application/octet-stream` when nothing is recognized) and, when the database "
      "knows one, `mime.extension` (e.g. `.pdf`). Unlike NiFi (Apache Tika) the file name is not used as a "
      "hint: the content decides. CompressContent with `format: use_mime_type` reads `mime.type`.";
  s.tags = {"mime", "mime.type", "content type", "magic", "identify", "file"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      optional_property("inspect_bytes", PropertyKind::kSize, "1 MiB",
                        "How much of the start of the content libmagic looks at."),
      optional_property("magic_database", PropertyKind::kString, std::nullopt,
                        "A compiled magic database (.mgc) to use instead of the system's."),
  };
  s.relationships = {{"success", "Every FlowFile, with `mime.type` set."}};
  s.writes_attributes = {{"mime.type", "The identified MIME type."},
                         {"mime.extension", "The usual file extension for it, with its dot, when known."}};
  s.examples = {{"Decompress whatever arrives compressed",
                 "identify:\n  type: IdentifyMimeType\n"
                 "decompress:\n  type: CompressContent\n"
                 "  properties: { mode: decompress, format: use_mime_type }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<IdentifyMimeType>();
}

}  // namespace

const ProcessorDefinition& identify_mime_type_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
