// A registry of hand-written specs resembling the standard processors, so config tests do not depend on
// the processors/ plugins being built.
#pragma once

#include <vector>

#include "plugin/registry.hpp"
#include "sluice/processor.hpp"

namespace sluice::internal::config_test {

inline PropertySpec property(std::string name, PropertyKind kind, bool required = false,
                             std::optional<std::string> default_value = std::nullopt,
                             std::vector<std::string> allowed = {}) {
  PropertySpec spec;
  spec.name = std::move(name);
  spec.kind = kind;
  spec.required = required;
  spec.default_value = std::move(default_value);
  for (auto& value : allowed) spec.allowed_values.push_back({std::move(value), ""});
  return spec;
}

inline ProcessorDefinition definition(std::string type, InputRequirement input,
                                      std::vector<PropertySpec> properties,
                                      std::vector<std::string> relationships, bool dynamic = false) {
  ProcessorDefinition d;
  d.spec.type = std::move(type);
  d.spec.input = input;
  d.spec.properties = std::move(properties);
  for (auto& r : relationships) d.spec.relationships.push_back({std::move(r), ""});
  d.spec.dynamic_properties = dynamic;
  return d;
}

inline const ProcessorRegistry& test_registry() {
  using K = PropertyKind;
  using I = InputRequirement;
  static const std::vector<ProcessorDefinition> kDefinitions{
      definition("GenerateFlowFile", I::kForbidden,
                 {property("count", K::kInt, false, "1"), property("size", K::kSize, false, "0 B"),
                  property("text", K::kExpression), property("unique", K::kBool, false, "false")},
                 {"success"}),
      definition("GetFile", I::kForbidden,
                 {property("directory", K::kString, true), property("recurse", K::kBool),
                  property("file_filter", K::kRegex), property("keep_source", K::kBool),
                  property("min_age", K::kDuration)},
                 {"success"}),
      definition("PutFile", I::kRequired,
                 {property("directory", K::kExpression, true),
                  property("conflict", K::kEnum, false, "fail", {"replace", "ignore", "fail"}),
                  property("create_dirs", K::kBool, false, "true")},
                 {"success", "failure"}),
      definition(
          "LogAttribute", I::kRequired,
          {property("log_level", K::kEnum, false, "info", {"trace", "debug", "info", "warn", "error"})},
          {"success"}),
      definition("RouteOnAttribute", I::kRequired, {}, {"matched", "unmatched"}, true),
  };
  static const ProcessorRegistry kRegistry = [] {
    ProcessorRegistry registry;
    for (const auto& d : kDefinitions) registry.add(&d, "test");
    return registry;
  }();
  return kRegistry;
}

}  // namespace sluice::internal::config_test
