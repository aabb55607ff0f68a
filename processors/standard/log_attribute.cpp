#include "log_attribute.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::size_t kPayloadBytes = 1024;

std::optional<LogLevel> parse_level(std::string_view s) {
  if (s == "trace") return LogLevel::kTrace;
  if (s == "debug") return LogLevel::kDebug;
  if (s == "info") return LogLevel::kInfo;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return std::nullopt;
}

// Content is arbitrary bytes; a log line must stay one readable line per FlowFile field.
void append_escaped(std::string& out, std::string_view bytes) {
  constexpr std::string_view kHex = "0123456789abcdef";
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4U];
      out += kHex[u & 0xfU];
    } else {
      out += c;  // printable ASCII and UTF-8 bytes pass through
    }
  }
}

class LogAttribute final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string level = context.string_property("log_level");
    auto parsed = parse_level(level);
    if (!parsed) {
      throw ProcessorError("log_level must be trace, debug, info, warn or error, got '" + level + "'");
    }
    level_ = *parsed;
    log_payload_ = context.bool_property("log_payload");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    Buffers buffers;
    const bool enabled = context.log_enabled(level_);
    for (const FlowFile& ff : session.get(context.batch_size())) {
      if (enabled) {
        format(session, ff, buffers);
        context.log(level_, buffers.message);
      }
      session.transfer(ff, kSuccess);
    }
  }

 private:
  // Reused across the FlowFiles of a trigger: this processor is the pass-through of the benchmarks.
  struct Buffers {
    // Copies: for_each_attribute's views of computed attributes end with each callback.
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string message;
  };

  void format(ProcessSession& session, const FlowFile& ff, Buffers& buffers) const {
    auto& attributes = buffers.attributes;
    std::size_t count = 0;
    ff.for_each_attribute([&](std::string_view key, std::string_view value) {
      if (count == attributes.size()) attributes.emplace_back();
      attributes[count].first.assign(key);
      attributes[count].second.assign(value);
      ++count;
    });
    const auto used_end = attributes.begin() + static_cast<std::ptrdiff_t>(count);
    std::sort(attributes.begin(), used_end);

    std::string& message = buffers.message;
    message.assign("FlowFile attributes:");
    for (auto it = attributes.begin(); it != used_end; ++it) {
      message += "\n  ";
      message += it->first;
      message += " = ";
      append_escaped(message, it->second);
    }
    if (!log_payload_) return;

    message += "\n  payload";
    if (ff.size() > kPayloadBytes) message += " (first " + std::to_string(kPayloadBytes) + " bytes)";
    message += ": ";
    session.read(ff, [&](InputStream& in) {
      std::array<char, kPayloadBytes> buf{};
      std::size_t filled = 0;
      while (filled < buf.size()) {
        const std::size_t n = in.read(std::span<char>(buf.data() + filled, buf.size() - filled));
        if (n == 0) break;
        filled += n;
      }
      append_escaped(message, std::string_view(buf.data(), filled));
    });
  }

  LogLevel level_ = LogLevel::kInfo;
  bool log_payload_ = false;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "LogAttribute";
  s.summary = "Logs every FlowFile's attributes, and optionally the start of its content, and passes it on.";
  s.description =
      "Writes one log entry per FlowFile at `log_level`, listing its attributes sorted by name and, with "
      "`log_payload`, its first 1 KiB of content (control bytes escaped). FlowFiles go to `success` "
      "unchanged. Useful for inspecting a flow while building it, and as a cheap pass-through.";
  s.tags = {"logging", "debug", "attributes", "inspect"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      enum_property("log_level", "info",
                    {{"trace", "Finest detail."},
                     {"debug", "Diagnostic detail."},
                     {"info", "Normal operation."},
                     {"warn", "Something to look at."},
                     {"error", "Something failed."}},
                    "Level of the log entries."),
      optional_property("log_payload", PropertyKind::kBool, "false",
                        "Also log the first 1 KiB of each FlowFile's content."),
  };
  s.relationships = {{"success", "Every FlowFile, unchanged."}};
  s.examples = {{"Inspect what passes, with the start of the content",
                 "log:\n  type: LogAttribute\n  properties: { log_level: info, log_payload: true }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<LogAttribute>();
}

}  // namespace

const ProcessorDefinition& log_attribute_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
