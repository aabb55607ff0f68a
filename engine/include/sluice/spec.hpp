// The declarative description of a processor or controller service. Everything else (validation,
// `sluice processors --json`, generated docs, UI forms) is derived from a spec: nothing is written twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

enum class PropertyKind : std::uint8_t {
  kString,
  kInt,
  kBool,
  kSize,      // "10 KiB", "1 GiB", plain bytes
  kDuration,  // "10ms", "5 s", "2 min", "1 h"
  kRegex,
  kEnum,        // one of allowed_values
  kExpression,  // evaluated per FlowFile (expression language); compiled when the flow is loaded
  kService,     // the id of a controller service declared in the flow that provides `service`
};

enum class InputRequirement : std::uint8_t { kRequired, kAllowed, kForbidden };
enum class Status : std::uint8_t { kStable, kBeta, kExperimental };

struct AllowedValue {
  std::string value;
  std::string description;
};

struct PropertySpec {
  std::string name;  // snake_case, as written in the flow YAML
  std::string description;
  PropertyKind kind = PropertyKind::kString;
  bool required = false;
  std::optional<std::string> default_value;
  std::vector<AllowedValue> allowed_values;  // for kEnum
  bool sensitive = false;                    // never logged, never recorded in provenance
  std::string service;                       // for kService: the interface required, e.g. "RecordReader"
};

// An attribute a component reads or writes, for its documentation.
struct AttributeSpec {
  std::string name;
  std::string description;
};

// A worked example for the documentation: a title and a YAML snippet of a flow.
struct ExampleSpec {
  std::string title;
  std::string yaml;
};

// True while an enum property (its spec default when unset) has one of `values`: makes a relationship exist
// only in some configurations, as RouteOnAttribute's `matched` exists only for some routing strategies.
struct PropertyCondition {
  std::string property;
  std::vector<std::string> values;
};

struct RelationshipSpec {
  RelationshipSpec() = default;
  // Not an aggregate, so that `{"success", "…"}` needs no `only_when` (g++ warns about missing members).
  RelationshipSpec(std::string relationship_name, std::string relationship_description,
                   std::optional<PropertyCondition> condition = std::nullopt)
      : name(std::move(relationship_name)),
        description(std::move(relationship_description)),
        only_when(std::move(condition)) {}

  std::string name;
  std::string description;
  std::optional<PropertyCondition> only_when;  // unset: the relationship always exists
};

struct ProcessorSpec {
  std::string type;     // CamelCase, NiFi's name where one exists
  std::string summary;  // one line
  std::string description;
  std::vector<std::string> tags;
  std::vector<PropertySpec> properties;
  std::vector<RelationshipSpec> relationships;
  bool dynamic_properties = false;  // accepts properties not listed above
  std::string dynamic_properties_description;
  // Each dynamic property is also a relationship of the same name (RouteOnAttribute, RouteOnContent), while
  // `dynamic_relationships_when` holds (always when unset). Validation, the controller and
  // session.transfer treat them exactly like the relationships listed above.
  bool dynamic_relationships = false;
  std::optional<PropertyCondition> dynamic_relationships_when;
  // Triggered on its schedule even when its inputs are empty (NiFi's @TriggerWhenEmpty), for processors that
  // hold FlowFiles across triggers (MergeContent's bins, ControlRate's held FlowFiles) and must release them
  // as time passes. Such a processor calls context.yield() when it has nothing to do.
  bool trigger_when_empty = false;
  // One trigger at a time (NiFi's @TriggerSerially): the processor keeps what it has seen across triggers
  // in its members (AggregateRecord's windows). A flow giving it `concurrency` above 1 does not load.
  bool trigger_serially = false;
  InputRequirement input = InputRequirement::kAllowed;
  Status status = Status::kStable;
  std::vector<AttributeSpec> reads_attributes;
  std::vector<AttributeSpec> writes_attributes;
  std::vector<ExampleSpec> examples;

  [[nodiscard]] const PropertySpec* find_property(std::string_view name) const {
    for (const auto& p : properties) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
  [[nodiscard]] const RelationshipSpec* find_relationship(std::string_view name) const {
    for (const auto& r : relationships) {
      if (r.name == name) return &r;
    }
    return nullptr;
  }
};

struct ServiceSpec {
  std::string type;  // CamelCase, e.g. CSVReader
  std::string summary;
  std::string description;
  std::vector<std::string> tags;
  std::vector<PropertySpec> properties;
  std::vector<std::string> provides;  // interfaces processors may ask for, e.g. "RecordReader"
  bool dynamic_properties = false;
  std::string dynamic_properties_description;
  Status status = Status::kStable;
  std::vector<ExampleSpec> examples;

  [[nodiscard]] const PropertySpec* find_property(std::string_view name) const {
    for (const auto& p : properties) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
};

}  // namespace sluice
