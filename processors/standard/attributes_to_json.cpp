#include "attributes_to_json.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_text.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kJsonAttribute = "JSONAttributes";

// NiFi's core attributes plus the ones sluice computes for every FlowFile.
constexpr std::array<std::string_view, 10> kCoreAttributes = {
    "uuid",           "filename",         "path",     "fileSize",
    "entryDate",      "lineageStartDate", "priority", "alternate.identifier",
    "discard.reason", "mime.type"};

bool is_core(std::string_view name) {
  return std::find(kCoreAttributes.begin(), kCoreAttributes.end(), name) != kCoreAttributes.end();
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

class AttributesToJson final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    listed_ = split_list(context.string_property("attributes"));
    regex_.reset();
    if (auto pattern = context.property("attributes_regex"); pattern && !pattern->empty()) {
      regex_ = Regex::compile(*pattern, "property 'attributes_regex'");
    }
    to_content_ = context.string_property("destination") == "content";
    include_core_ = context.bool_property("include_core_attributes");
    null_value_ = context.bool_property("null_value");
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::optional<Matcher> matcher;
    if (regex_) matcher.emplace(*regex_);
    std::string json;
    std::vector<std::pair<std::string, std::string>> selected;
    for (FlowFile& ff : session.get(context.batch_size())) {
      build(ff, matcher ? &*matcher : nullptr, selected, json);
      if (to_content_) {
        session.write(ff, [&](OutputStream& out) { out.write(json); });
        session.put_attribute(ff, "mime.type", "application/json");
      } else {
        session.put_attribute(ff, kJsonAttribute, json);
      }
      session.transfer(ff, kSuccess);
    }
  }

 private:
  // Listed attributes first (in list order, absent ones as null or ""), then those the regex selects, or,
  // with neither set, every attribute; the latter two in name order.
  void build(const FlowFile& ff, Matcher* matcher, std::vector<std::pair<std::string, std::string>>& selected,
             std::string& json) const {
    json.assign("{");
    bool first = true;
    auto member = [&](std::string_view name, std::optional<std::string_view> value) {
      if (!first) json += ',';
      first = false;
      append_json_string(json, name);
      json += ':';
      if (value && (!value->empty() || !null_value_)) {
        append_json_string(json, *value);
      } else if (null_value_) {
        json += "null";
      } else {
        json += "\"\"";
      }
    };
    for (const auto& name : listed_) {
      if (!include_core_ && is_core(name)) continue;
      const auto value = ff.attribute(name);
      member(name, value ? std::optional<std::string_view>(value->view()) : std::nullopt);
    }
    if (!listed_.empty() && matcher == nullptr) {
      json += '}';
      return;
    }
    selected.clear();
    ff.for_each_attribute([&](std::string_view name, std::string_view value) {
      if (!include_core_ && is_core(name)) return;
      if (std::find(listed_.begin(), listed_.end(), name) != listed_.end()) return;
      if (matcher != nullptr && !matcher->find(name, 0, true)) return;
      selected.emplace_back(name, value);
    });
    std::sort(selected.begin(), selected.end());
    for (const auto& [name, value] : selected) member(name, value);
    json += '}';
  }

  std::vector<std::string> listed_;
  std::optional<Regex> regex_;
  bool to_content_ = false;
  bool include_core_ = true;
  bool null_value_ = false;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "AttributesToJSON";
  s.summary = "Writes a FlowFile's attributes as a flat JSON object, to its content or to an attribute.";
  s.description =
      "Builds a JSON object whose members are attributes of the FlowFile, every value a JSON string. "
      "`attributes` lists names to include (in that order; a listed attribute the FlowFile lacks is written "
      "as `null` or `\"\"`, see `null_value`); `attributes_regex` adds every attribute whose whole name "
      "matches; with neither set, all attributes are included. Invalid UTF-8 in a value becomes U+FFFD, so "
      "the output is always valid JSON. With `destination: attribute` the object goes to the "
      "`JSONAttributes` attribute and the content is unchanged; with `destination: content` it replaces "
      "the content and `mime.type` becomes `application/json`. Unlike NiFi there is no `failure` "
      "relationship: nothing here can fail.";
  s.tags = {"json", "attributes", "flowfile", "convert"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      optional_property("attributes", PropertyKind::kString, std::nullopt,
                        "Comma-separated attribute names to include, case-sensitive, e.g. `meter_id, kwh`."),
      optional_property("attributes_regex", PropertyKind::kRegex, std::nullopt,
                        "Also include every attribute whose whole name matches this regex."),
      enum_property("destination", "attribute",
                    {{"attribute", "Write the JSON to the `JSONAttributes` attribute."},
                     {"content", "Replace the content with the JSON."}},
                    "Where the JSON goes."),
      optional_property("include_core_attributes", PropertyKind::kBool, "true",
                        "Include core attributes (uuid, filename, path, fileSize, entryDate, "
                        "lineageStartDate, mime.type, priority, discard.reason, alternate.identifier)."),
      optional_property("null_value", PropertyKind::kBool, "false",
                        "Write a listed attribute that is absent or empty as JSON `null` instead of `\"\"`."),
  };
  s.relationships = {{"success", "Every FlowFile, with its JSON."}};
  s.writes_attributes = {{"JSONAttributes", "The JSON object, with `destination: attribute`."},
                         {"mime.type", "`application/json`, with `destination: content`."}};
  s.examples = {{"Meter readings as JSON content",
                 "to_json:\n  type: AttributesToJSON\n  properties:\n    attributes: meter_id, kwh, read_at\n"
                 "    destination: content\n    null_value: true\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<AttributesToJson>();
}

}  // namespace

const ProcessorDefinition& attributes_to_json_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
