#include "compress_content.hpp"

#include <memory>
#include <optional>
#include <string>

#include "compression_codecs.hpp"
#include "failure.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "compresscontent.failure.reason";
constexpr std::string_view kUseMimeType = "use_mime_type";

class CompressContent final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    compress_ = context.string_property("mode") == "compress";
    const std::string format = context.string_property("format");
    codec_ = codec_named(format);
    if (!codec_ && format != kUseMimeType) throw ProcessorError("format '" + format + "' is not supported");
    if (!codec_ && compress_) {
      throw ProcessorError(
          "format use_mime_type only applies to mode decompress: name the format to compress to");
    }
    level_ = static_cast<int>(context.int_property("level"));
    if (codec_ && compress_) {
      const CodecInfo& info = codec_info(*codec_);
      if (info.max_level > 0 && (level_ < info.min_level || level_ > info.max_level)) {
        throw ProcessorError("level " + std::to_string(level_) + " is out of range for " +
                             std::string(info.name) + " (expected " + std::to_string(info.min_level) +
                             " to " + std::to_string(info.max_level) + ")");
      }
    }
    update_filename_ = context.bool_property("update_filename");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    for (FlowFile& ff : session.get(context.batch_size())) {
      std::optional<Codec> codec = codec_;
      if (!codec) {
        const auto mime = ff.attribute("mime.type");
        codec = mime ? codec_for_mime_type(mime->view()) : std::nullopt;
        if (!codec) {
          route_to_failure(
              context, session, ff, kReasonAttribute,
              mime ? "mime.type '" + mime->str() + "' names no supported compression format"
                   : std::string("no mime.type attribute to choose the format by (use IdentifyMimeType)"));
          continue;
        }
      }
      const CodecInfo& info = codec_info(*codec);
      try {
        session.write(ff, [&](OutputStream& out) {
          session.read(ff, [&](InputStream& in) {
            if (compress_) {
              compress(*codec, std::clamp(level_, info.min_level, info.max_level), in, out);
            } else {
              decompress(*codec, in, out);
            }
          });
        });
      } catch (const CodecError& e) {
        route_to_failure(context, session, ff, kReasonAttribute, e.what());
        continue;
      }
      if (compress_) {
        session.put_attribute(ff, "mime.type", info.mime_type);
      } else {
        session.remove_attribute(ff, "mime.type");
      }
      if (update_filename_) rename(session, ff, info.extension);
      session.transfer(ff, kSuccess);
    }
  }

 private:
  void rename(ProcessSession& session, FlowFile& ff, std::string_view extension) const {
    const auto name = ff.attribute("filename");
    if (!name) return;
    std::string filename = name->str();
    if (compress_) {
      filename += extension;
    } else if (filename.size() > extension.size() && filename.ends_with(extension)) {
      filename.resize(filename.size() - extension.size());
    } else {
      return;
    }
    session.put_attribute(ff, "filename", filename);
  }

  bool compress_ = true;
  std::optional<Codec> codec_;
  int level_ = 1;
  bool update_filename_ = false;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "CompressContent";
  s.summary = "Compresses or decompresses content: gzip, zstd, lz4 (frame) or snappy (framed).";
  s.description =
      "Streams the content through the codec in 64 KiB pieces, so memory stays constant whatever the size. "
      "Compressing sets `mime.type` to the format's type (`application/gzip`, `application/zstd`, "
      "`application/x-lz4`, `application/x-snappy-framed`); decompressing removes it. With `mode: "
      "decompress` and `format: use_mime_type` the format is chosen per FlowFile from `mime.type` (as "
      "IdentifyMimeType sets it). Corrupt or truncated input, or a `mime.type` naming no supported "
      "format, sends the FlowFile to `failure` unchanged with the reason in "
      "`compresscontent.failure.reason`. gzip input may hold several members (`cat a.gz b.gz`); lz4 and "
      "zstd output carry a content checksum; snappy uses google/snappy's framing format (`.sz`), not raw "
      "blocks. `level` is each library's own scale: gzip 0-9, zstd 1-22, lz4 0-12 (0 = fast mode); snappy "
      "has none.";
  s.tags = {"compress", "decompress", "gzip", "zstd", "lz4", "snappy", "content"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      enum_property("mode", "compress",
                    {{"compress", "Compress the content."}, {"decompress", "Decompress the content."}},
                    "Which direction."),
      enum_property("format", "gzip",
                    {{"gzip", "gzip (zlib deflate)."},
                     {"zstd", "Zstandard."},
                     {"lz4", "LZ4 frame format."},
                     {"snappy", "Snappy framing format."},
                     {"use_mime_type", "Decompress only: by each FlowFile's `mime.type`."}},
                    "The compression format."),
      optional_property("level", PropertyKind::kInt, "1",
                        "Compression level on the format's own scale (gzip 0-9, zstd 1-22, lz4 0-12)."),
      optional_property("update_filename", PropertyKind::kBool, "false",
                        "Add the format's extension (.gz, .zst, .lz4, .sz) to `filename` when compressing, "
                        "remove it when decompressing."),
  };
  s.relationships = {
      {"success", "FlowFiles compressed or decompressed."},
      {"failure", "FlowFiles that could not be, unchanged; see `compresscontent.failure.reason`."}};
  s.reads_attributes = {{"mime.type", "With `format: use_mime_type`, which format to decompress."},
                        {"filename", "Changed with `update_filename`."}};
  s.writes_attributes = {{"mime.type", "Set when compressing, removed when decompressing."},
                         {"filename", "With `update_filename`."},
                         {"compresscontent.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {
      {"zstd before shipping",
       "pack:\n  type: CompressContent\n  properties: { format: zstd, level: 3, update_filename: true }\n"
       "  terminate: [failure]\n"},
      {"Decompress whatever format arrives",
       "unpack:\n  type: CompressContent\n  properties: { mode: decompress, format: use_mime_type }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<CompressContent>();
}

}  // namespace

const ProcessorDefinition& compress_content_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
