#include "route_on_attribute.hpp"

#include <memory>
#include <string>
#include <vector>

#include "failure.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kMatched = "matched";
constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kRouteAttribute = "RouteOnAttribute.Route";
constexpr std::string_view kReasonAttribute = "routeonattribute.failure.reason";

enum class Strategy : std::uint8_t { kPropertyName, kAllMatch, kAnyMatch };

struct Rule {
  std::string name;  // the dynamic property, and under route_to_property_name its relationship
  const Expression* condition = nullptr;
};

class RouteOnAttribute final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string strategy = context.string_property("strategy");
    if (strategy == "route_to_property_name") {
      strategy_ = Strategy::kPropertyName;
    } else if (strategy == "route_to_matched") {
      strategy_ = Strategy::kAllMatch;
    } else if (strategy == "route_to_any_matched") {
      strategy_ = Strategy::kAnyMatch;
    } else {
      throw ProcessorError("strategy '" + strategy + "' is not supported");
    }
    rules_.clear();
    for (const auto& [name, text] : context.dynamic_properties()) {
      rules_.push_back({name, &context.expression(name)});
    }
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const EvaluationEnvironment env = context.environment();
    std::vector<const Rule*> matched;
    for (FlowFile& ff : session.get(context.batch_size())) {
      matched.clear();
      try {
        const FlowFileVariables variables(ff);
        for (const Rule& rule : rules_) {
          if (rule.condition->evaluate_bool(variables, env)) matched.push_back(&rule);
        }
      } catch (const ExpressionError& e) {
        const std::string reason = std::string("cannot evaluate a routing expression: ") + e.what();
        route_to_failure(context, session, ff, kReasonAttribute, reason);
        continue;
      }
      route(session, ff, matched);
    }
  }

 private:
  void route(ProcessSession& session, FlowFile& ff, const std::vector<const Rule*>& matched) const {
    if (strategy_ != Strategy::kPropertyName) {
      const bool ok = strategy_ == Strategy::kAllMatch ? !rules_.empty() && matched.size() == rules_.size()
                                                       : !matched.empty();
      const std::string_view to = ok ? kMatched : kUnmatched;
      session.put_attribute(ff, kRouteAttribute, to);
      session.transfer(ff, to);
      return;
    }
    if (matched.empty()) {
      session.put_attribute(ff, kRouteAttribute, kUnmatched);
      session.transfer(ff, kUnmatched);
      return;
    }
    // One FlowFile per matching rule, as NiFi does: clones share the content.
    for (std::size_t i = 1; i < matched.size(); ++i) {
      FlowFile copy = session.clone(ff);
      session.put_attribute(copy, kRouteAttribute, matched[i]->name);
      session.transfer(copy, matched[i]->name);
    }
    session.put_attribute(ff, kRouteAttribute, matched[0]->name);
    session.transfer(ff, matched[0]->name);
  }

  Strategy strategy_ = Strategy::kPropertyName;
  std::vector<Rule> rules_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "RouteOnAttribute";
  s.summary = "Routes FlowFiles by boolean expressions over their attributes.";
  s.description =
      "Each dynamic property is a boolean expression evaluated against the FlowFile's attributes, e.g. "
      "`alarm: ${status:equals('ALARM')}`. With `strategy: route_to_property_name` each property is also a "
      "relationship: the FlowFile goes to every relationship whose expression is true (one clone each, "
      "sharing the content), or to `unmatched` when none is. With `route_to_matched` it goes to `matched` "
      "when all expressions are true; with `route_to_any_matched` when at least one is; else to "
      "`unmatched`. The relationship taken is written to `RouteOnAttribute.Route`. An expression that "
      "cannot be evaluated for a FlowFile (e.g. `toNumber` of a non-number) sends it to `failure` with the "
      "reason, where NiFi would roll back and retry it forever.";
  s.tags = {"routing", "attributes", "expression language", "regex", "filter", "find"};
  s.input = InputRequirement::kRequired;
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "Name: a routing rule (and, under route_to_property_name, a relationship). Value: a boolean "
      "expression; the rule matches when it evaluates to `true`.";
  s.dynamic_relationships = true;
  s.dynamic_relationships_when = PropertyCondition{"strategy", {"route_to_property_name"}};
  s.properties = {
      enum_property("strategy", "route_to_property_name",
                    {{"route_to_property_name",
                      "Each dynamic property is a relationship; route to every one that matches."},
                     {"route_to_matched", "Route to `matched` when every rule matches."},
                     {"route_to_any_matched", "Route to `matched` when at least one rule matches."}},
                    "How rules decide the relationship."),
  };
  const PropertyCondition matched_strategies{"strategy", {"route_to_matched", "route_to_any_matched"}};
  s.relationships = {
      {"matched", "FlowFiles that satisfied the rules (route_to_matched, route_to_any_matched).",
       matched_strategies},
      {"unmatched", "FlowFiles no rule (or, for route_to_matched, not every rule) matched."},
      {"failure", "FlowFiles a rule could not be evaluated for; see `routeonattribute.failure.reason`."},
  };
  s.writes_attributes = {{"RouteOnAttribute.Route", "The relationship the FlowFile was routed to."},
                         {"routeonattribute.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {
      {"A relationship per kind of reading",
       "route:\n  type: RouteOnAttribute\n  properties:\n    alarm: \"${status:equals('ALARM')}\"\n"
       "    high: \"${kwh:toNumber():gt(100)}\"\n  terminate: [unmatched, failure]\n"
       "# connections: { from: route, relationship: alarm, to: … }, { from: route, relationship: high, to: … "
       "}\n"},
      {"Keep only large files",
       "filter:\n  type: RouteOnAttribute\n  properties:\n    strategy: route_to_any_matched\n"
       "    large: \"${fileSize:gt(1048576)}\"\n  terminate: [unmatched, failure]\n"},
  };
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<RouteOnAttribute>();
}

}  // namespace

const ProcessorDefinition& route_on_attribute_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
