#include "extract_text.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kMatched = "matched";
constexpr std::string_view kUnmatched = "unmatched";

class ExtractText final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    RegexOptions options;
    options.case_insensitive = context.bool_property("case_insensitive");
    options.multiline = context.bool_property("multiline");
    options.dotall = context.bool_property("dotall");
    buffer_ = static_cast<std::size_t>(context.size_property("max_buffer_size"));
    max_group_ = static_cast<std::size_t>(context.size_property("max_capture_group_length"));
    include_zero_ = context.bool_property("include_capture_group_0");
    repeating_ = context.bool_property("repeating");
    rules_ = dynamic_regexes(context, options);  // each named by its attribute
    for (const auto& rule : rules_) {
      if (!include_zero_ && rule.regex.capture_count() == 0) {
        throw ProcessorError("dynamic property '" + rule.name + "': '" + rule.regex.pattern() +
                             "' has no capture group, and include_capture_group_0 is false: it could "
                             "extract nothing");
      }
    }
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<Matcher> matchers = matchers_for(rules_);
    std::vector<std::pair<std::string, std::string>> results;
    for (FlowFile& ff : session.get(context.batch_size())) {
      results.clear();
      session.read(ff, [&](InputStream& in) {
        const std::string_view content = in.view();
        const std::string_view text = content.substr(0, std::min(content.size(), buffer_));
        for (std::size_t i = 0; i < rules_.size(); ++i) extract(rules_[i], matchers[i], text, results);
      });
      if (results.empty()) {
        session.transfer(ff, kUnmatched);
        continue;
      }
      for (const auto& [name, value] : results) session.put_attribute(ff, name, value);
      session.transfer(ff, kMatched);
    }
  }

 private:
  // NiFi's naming: `name.K` for every participating group, K counting on across repeated matches (so a
  // group that did not participate leaves a gap), and `name` itself = group 1, or group 0 without groups.
  void extract(const NamedRegex& rule, Matcher& m, std::string_view text,
               std::vector<std::pair<std::string, std::string>>& results) const {
    const std::size_t groups = rule.regex.capture_count();
    std::size_t index = include_zero_ ? 0 : 1;
    bool any = false;
    for (std::size_t offset = 0; offset <= text.size() && m.find(text, offset);) {
      if (!any) {
        const auto main = m.group(groups > 0 ? 1 : 0);
        results.emplace_back(rule.name, std::string(clip(main.value_or(""))));
        any = true;
      }
      for (std::size_t g = include_zero_ ? 0 : 1; g <= groups; ++g, ++index) {
        if (auto value = m.group(g))
          results.emplace_back(rule.name + "." + std::to_string(index), clip(*value));
      }
      if (!repeating_) break;
      offset = m.end() > m.start() ? m.end() : m.end() + 1;  // an empty match must not repeat forever
    }
  }

  [[nodiscard]] std::string clip(std::string_view value) const {
    return std::string(value.substr(0, std::min(value.size(), max_group_)));
  }

  std::vector<NamedRegex> rules_;
  std::size_t buffer_ = 0;
  std::size_t max_group_ = 0;
  bool include_zero_ = true;
  bool repeating_ = false;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "ExtractText";
  s.summary = "Copies regex capture groups from the content into attributes.";
  s.description =
      "Each dynamic property is a regular expression (PCRE2: Perl/Java syntax) matched against the first "
      "`max_buffer_size` bytes of the content. For a property `name` that matches, `name` gets capture "
      "group 1 (the whole match when the regex has no group), and `name.0`, `name.1`, … get the whole match "
      "(with `include_capture_group_0`) and each group that participated (a group that did not leaves a "
      "gap, as in NiFi). With `repeating`, later matches continue the numbering. Values are cut to "
      "`max_capture_group_length` bytes. The FlowFile goes to `matched` when any regex matched (with all "
      "extracted attributes), else to `unmatched` unchanged. NiFi's named-group mode is not implemented.";
  s.tags = {"evaluate", "extract", "text", "regex", "regular expression", "attributes"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "Name: the attribute to fill. Value: a regex, normally with a capture group.";
  s.properties = {
      optional_property("max_buffer_size", PropertyKind::kSize, "1 MiB",
                        "How much of the start of the content is matched."),
      optional_property("max_capture_group_length", PropertyKind::kSize, "1024 B",
                        "Longest value an attribute gets; longer captures are cut."),
      optional_property("include_capture_group_0", PropertyKind::kBool, "true",
                        "Also write the whole match as `name.0`."),
      optional_property("repeating", PropertyKind::kBool, "false",
                        "Extract every match, not only the first."),
      optional_property("case_insensitive", PropertyKind::kBool, "false", "Match letters ignoring case."),
      optional_property("multiline", PropertyKind::kBool, "false", "`^` and `$` match at every line."),
      optional_property("dotall", PropertyKind::kBool, "false", "`.` matches line breaks too."),
  };
  s.relationships = {{"matched", "FlowFiles at least one regex matched, with the extracted attributes."},
                     {"unmatched", "FlowFiles no regex matched, unchanged."}};
  s.writes_attributes = {{"(dynamic)", "`name`, `name.0`, `name.1`, … per dynamic property that matched."}};
  s.examples = {{"Meter id and reading from a text report",
                 "extract:\n  type: ExtractText\n  properties:\n    meter_id: 'meter=(M\\d+)'\n"
                 "    kwh: 'kwh=([0-9.]+)'\n  terminate: [unmatched]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ExtractText>();
}

}  // namespace

const ProcessorDefinition& extract_text_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
