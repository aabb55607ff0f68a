#include "cli/spec_json.hpp"

namespace sluice::cli {

const char* kind_name(PropertyKind kind) {
  switch (kind) {
    case PropertyKind::kString: return "string";
    case PropertyKind::kInt: return "int";
    case PropertyKind::kBool: return "bool";
    case PropertyKind::kSize: return "size";
    case PropertyKind::kDuration: return "duration";
    case PropertyKind::kRegex: return "regex";
    case PropertyKind::kEnum: return "enum";
    case PropertyKind::kExpression: return "expression";
    case PropertyKind::kService: return "service";
  }
  return "string";
}

const char* input_name(InputRequirement input) {
  switch (input) {
    case InputRequirement::kRequired: return "required";
    case InputRequirement::kAllowed: return "allowed";
    case InputRequirement::kForbidden: return "forbidden";
  }
  return "allowed";
}

const char* status_name(Status status) {
  switch (status) {
    case Status::kStable: return "stable";
    case Status::kBeta: return "beta";
    case Status::kExperimental: return "experimental";
  }
  return "stable";
}

namespace {
nlohmann::json condition_to_json(const std::optional<PropertyCondition>& condition) {
  if (!condition) return nullptr;
  return {{"property", condition->property}, {"values", condition->values}};
}
}  // namespace

nlohmann::json spec_to_json(const ProcessorSpec& spec) {
  nlohmann::json properties = nlohmann::json::array();
  for (const auto& p : spec.properties) {
    nlohmann::json prop = {{"name", p.name},
                           {"description", p.description},
                           {"kind", kind_name(p.kind)},
                           {"required", p.required},
                           {"sensitive", p.sensitive}};
    prop["default"] = p.default_value ? nlohmann::json(*p.default_value) : nlohmann::json(nullptr);
    if (!p.allowed_values.empty()) {
      prop["allowed_values"] = nlohmann::json::array();
      for (const auto& a : p.allowed_values) {
        prop["allowed_values"].push_back({{"value", a.value}, {"description", a.description}});
      }
    }
    properties.push_back(std::move(prop));
  }
  nlohmann::json relationships = nlohmann::json::array();
  for (const auto& r : spec.relationships) {
    relationships.push_back(
        {{"name", r.name}, {"description", r.description}, {"only_when", condition_to_json(r.only_when)}});
  }
  return {{"type", spec.type},
          {"summary", spec.summary},
          {"description", spec.description},
          {"tags", spec.tags},
          {"properties", std::move(properties)},
          {"relationships", std::move(relationships)},
          {"dynamic_properties", spec.dynamic_properties},
          {"dynamic_properties_description", spec.dynamic_properties_description},
          {"dynamic_relationships", spec.dynamic_relationships},
          {"dynamic_relationships_when", condition_to_json(spec.dynamic_relationships_when)},
          {"trigger_when_empty", spec.trigger_when_empty},
          {"input", input_name(spec.input)},
          {"status", status_name(spec.status)}};
}

}  // namespace sluice::cli
