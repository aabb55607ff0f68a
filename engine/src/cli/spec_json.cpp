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

nlohmann::json properties_json(const std::vector<PropertySpec>& properties) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : properties) {
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
    if (p.kind == PropertyKind::kService) prop["service"] = p.service;
    out.push_back(std::move(prop));
  }
  return out;
}

template <typename Named>
nlohmann::json named_json(const std::vector<Named>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back({{"name", item.name}, {"description", item.description}});
  return out;
}

nlohmann::json examples_json(const std::vector<ExampleSpec>& examples) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : examples) out.push_back({{"title", e.title}, {"yaml", e.yaml}});
  return out;
}

nlohmann::json relationships_json(const std::vector<RelationshipSpec>& relationships) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : relationships) {
    out.push_back(
        {{"name", r.name}, {"description", r.description}, {"only_when", condition_to_json(r.only_when)}});
  }
  return out;
}

}  // namespace

nlohmann::json spec_to_json(const ProcessorSpec& spec) {
  return {{"type", spec.type},
          {"summary", spec.summary},
          {"description", spec.description},
          {"tags", spec.tags},
          {"properties", properties_json(spec.properties)},
          {"relationships", relationships_json(spec.relationships)},
          {"dynamic_properties", spec.dynamic_properties},
          {"dynamic_properties_description", spec.dynamic_properties_description},
          {"dynamic_relationships", spec.dynamic_relationships},
          {"dynamic_relationships_when", condition_to_json(spec.dynamic_relationships_when)},
          {"trigger_when_empty", spec.trigger_when_empty},
          {"trigger_serially", spec.trigger_serially},
          {"input", input_name(spec.input)},
          {"status", status_name(spec.status)},
          {"reads_attributes", named_json(spec.reads_attributes)},
          {"writes_attributes", named_json(spec.writes_attributes)},
          {"examples", examples_json(spec.examples)}};
}

nlohmann::json spec_to_json(const ServiceSpec& spec) {
  return {{"type", spec.type},
          {"summary", spec.summary},
          {"description", spec.description},
          {"tags", spec.tags},
          {"provides", spec.provides},
          {"properties", properties_json(spec.properties)},
          {"dynamic_properties", spec.dynamic_properties},
          {"dynamic_properties_description", spec.dynamic_properties_description},
          {"status", status_name(spec.status)},
          {"examples", examples_json(spec.examples)}};
}

}  // namespace sluice::cli
