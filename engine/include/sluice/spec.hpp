// The declarative description of a processor. Everything else (validation, `sluice processors --json`,
// generated docs, UI forms) is derived from a ProcessorSpec: nothing about a processor is written twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

enum class PropertyKind : std::uint8_t {
  kString,
  kInt,
  kBool,
  kSize,        // "10 KiB", "1 GiB", plain bytes
  kDuration,    // "10ms", "5 s", "2 min", "1 h"
  kRegex,
  kEnum,        // one of allowed_values
  kExpression,  // evaluated per FlowFile (expression language)
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
};

struct RelationshipSpec {
  std::string name;
  std::string description;
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
  InputRequirement input = InputRequirement::kAllowed;
  Status status = Status::kStable;

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

}  // namespace sluice
