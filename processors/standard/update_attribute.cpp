#include "update_attribute.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "failure.hpp"
#include "regex.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "updateattribute.failure.reason";

struct Assignment {
  std::string attribute;
  const Expression* value = nullptr;
  std::optional<std::string> constant;  // the value when it depends on no attribute and no clock
};

class UpdateAttribute final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    assignments_.clear();
    for (const auto& [name, text] : context.dynamic_properties()) {
      const Expression& e = context.expression(name);
      Assignment a{name, &e, std::nullopt};
      if (e.is_literal()) a.constant = e.evaluate(FlowFileVariables(FlowFile()), EvaluationEnvironment{});
      assignments_.push_back(std::move(a));
    }
    delete_.reset();
    if (auto pattern = context.property("delete_attributes"); pattern && !pattern->empty()) {
      delete_ = Regex::compile(*pattern, "property 'delete_attributes'");
    }
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const EvaluationEnvironment env = context.environment();
    std::vector<std::string> values(assignments_.size());
    std::vector<std::string> doomed;
    std::optional<Matcher> matcher;
    if (delete_) matcher.emplace(*delete_);
    for (FlowFile& ff : session.get(context.batch_size())) {
      // Every value is computed from the incoming attributes before any is set (NiFi's rule): `a: ${b}`
      // and `b: x` give `a` the old `b`, whatever the order.
      try {
        const FlowFileVariables variables(ff);
        for (std::size_t i = 0; i < assignments_.size(); ++i) {
          const Assignment& a = assignments_[i];
          if (a.constant) continue;
          values[i] = a.value->evaluate(variables, env);
        }
      } catch (const ExpressionError& e) {
        const std::string reason = std::string("cannot evaluate an attribute expression: ") + e.what();
        route_to_failure(context, session, ff, kReasonAttribute, reason);
        continue;
      }
      doomed.clear();
      if (matcher) {
        ff.for_each_attribute([&](std::string_view name, std::string_view /*value*/) {
          if (matcher->find(name, 0, true)) doomed.emplace_back(name);
        });
      }
      for (std::size_t i = 0; i < assignments_.size(); ++i) {
        const Assignment& a = assignments_[i];
        session.put_attribute(ff, a.attribute, a.constant ? *a.constant : values[i]);
      }
      // Existing attributes that match are deleted even when a property just set them (NiFi's rule).
      for (const auto& name : doomed) session.remove_attribute(ff, name);
      session.transfer(ff, kSuccess);
    }
  }

 private:
  std::vector<Assignment> assignments_;
  std::optional<Regex> delete_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "UpdateAttribute";
  s.summary = "Sets attributes from expressions, and deletes attributes whose names match a regex.";
  s.description =
      "Each dynamic property sets the attribute of its name to its value, an expression evaluated against "
      "the incoming FlowFile: all values are computed from the attributes as they arrived, before any is "
      "set, so properties do not see each other's results (as in NiFi). `delete_attributes` removes every "
      "attribute present on arrival whose whole name matches, even one a property set. Core attributes "
      "(uuid, fileSize, entryDate, lineageStartDate) cannot be changed. An expression that cannot be "
      "evaluated for a FlowFile sends it to `failure`, unchanged, with the reason (NiFi would roll back and "
      "retry it forever). NiFi's advanced rules and stateful mode are not implemented.";
  s.tags = {"attributes", "modification", "update", "delete", "expression language"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "Name: the attribute to set. Value: an expression evaluated against the incoming FlowFile.";
  s.properties = {
      optional_property("delete_attributes", PropertyKind::kRegex, std::nullopt,
                        "Delete every attribute whose whole name matches this regex, e.g. `tmp\\..*`."),
  };
  s.relationships = {
      {"success", "Every FlowFile, updated."},
      {"failure",
       "FlowFiles an expression could not be evaluated for; see `updateattribute.failure.reason`."},
  };
  s.writes_attributes = {{"(dynamic)", "One attribute per dynamic property."},
                         {"updateattribute.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {{"Derive a target file name and drop scratch attributes",
                 "rename:\n  type: UpdateAttribute\n  properties:\n"
                 "    filename: \"${meter_id}-${now():format('yyyyMMdd')}.csv\"\n"
                 "    region: \"${meter_id:substringBefore('-')}\"\n    delete_attributes: 'tmp\\..*'\n"
                 "  terminate: [failure]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<UpdateAttribute>();
}

}  // namespace

const ProcessorDefinition& update_attribute_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
