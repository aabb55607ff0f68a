#include "route_on_content.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kRouteAttribute = "RouteOnContent.Route";

class RouteOnContent final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    full_ = context.string_property("match") == "full";
    buffer_ = static_cast<std::size_t>(context.size_property("buffer_size"));
    rules_ = dynamic_regexes(context);  // each named by its relationship
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::vector<Matcher> matchers = matchers_for(rules_);
    std::vector<std::size_t> matched;
    for (FlowFile& ff : session.get(context.batch_size())) {
      matched.clear();
      session.read(ff, [&](InputStream& in) {
        const std::string_view content = in.view();
        const std::string_view head = content.substr(0, std::min(content.size(), buffer_));
        for (std::size_t i = 0; i < rules_.size(); ++i) {
          if (matchers[i].find(head, 0, full_)) matched.push_back(i);
        }
      });
      if (matched.empty()) {
        session.put_attribute(ff, kRouteAttribute, kUnmatched);
        session.transfer(ff, kUnmatched);
        continue;
      }
      for (std::size_t k = 1; k < matched.size(); ++k) {
        FlowFile copy = session.clone(ff);
        const std::string& to = rules_[matched[k]].name;
        session.put_attribute(copy, kRouteAttribute, to);
        session.transfer(copy, to);
      }
      const std::string& to = rules_[matched[0]].name;
      session.put_attribute(ff, kRouteAttribute, to);
      session.transfer(ff, to);
    }
  }

 private:
  bool full_ = false;
  std::size_t buffer_ = 0;
  std::vector<NamedRegex> rules_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "RouteOnContent";
  s.summary = "Routes FlowFiles to the relationships whose regex matches their content.";
  s.description =
      "Each dynamic property is a relationship whose value is a regular expression (PCRE2: Perl/Java "
      "syntax, so `(?i)` and `(?s)` work). The first `buffer_size` bytes of the content are matched against "
      "each: with `match: contains` a match anywhere counts, with `match: full` it must span all of them. "
      "The "
      "FlowFile goes to every relationship that matched (one clone each, sharing the content), or to "
      "`unmatched`. Content beyond `buffer_size` is not looked at, which bounds the time and memory one "
      "FlowFile can take. Values are regexes, not expressions (NiFi evaluates them per FlowFile); an "
      "invalid one stops the processor from starting, with the property named.";
  s.tags = {"route", "content", "regex", "regular expression", "filter"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description = "Name: a relationship. Value: the regex that sends FlowFiles to it.";
  s.dynamic_relationships = true;
  s.properties = {
      enum_property("match", "contains",
                    {{"contains", "The regex matches somewhere in the content."},
                     {"full", "The regex matches the whole content (up to buffer_size)."}},
                    "What counts as a match (NiFi's Match Requirement)."),
      optional_property("buffer_size", PropertyKind::kSize, "1 MiB",
                        "How much of the start of the content is matched."),
  };
  s.relationships = {{"unmatched", "FlowFiles no regex matched."}};
  s.writes_attributes = {{"RouteOnContent.Route", "The relationship the FlowFile (or clone) was routed to."}};
  s.examples = {{"Errors one way, warnings another",
                 "triage:\n  type: RouteOnContent\n  properties:\n    errors: '(?m)^ERROR '\n"
                 "    warnings: '(?m)^WARN '\n  terminate: [unmatched]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<RouteOnContent>();
}

}  // namespace

const ProcessorDefinition& route_on_content_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
