#include "config/relationships.hpp"

#include <algorithm>

namespace sluice::internal {

bool condition_holds(const PropertyCondition& condition, const ProcessorModel& p, const ProcessorSpec& spec) {
  std::string value;
  if (auto it = p.properties.find(condition.property); it != p.properties.end()) {
    value = it->second.value;
  } else if (const PropertySpec* property = spec.find_property(condition.property);
             property != nullptr && property->default_value) {
    value = *property->default_value;
  }
  return std::find(condition.values.begin(), condition.values.end(), value) != condition.values.end();
}

std::vector<std::string> relationship_names(const ProcessorModel& p, const ProcessorSpec& spec) {
  std::vector<std::string> names;
  names.reserve(spec.relationships.size() + (spec.dynamic_relationships ? p.properties.size() : 0));
  for (const auto& r : spec.relationships) {
    if (!r.only_when || condition_holds(*r.only_when, p, spec)) names.push_back(r.name);
  }
  if (!spec.dynamic_relationships) return names;
  if (spec.dynamic_relationships_when && !condition_holds(*spec.dynamic_relationships_when, p, spec)) {
    return names;
  }
  for (const auto& [name, value] : p.properties) {
    if (spec.find_property(name) != nullptr) continue;
    // A clash with a static relationship is reported by validation; keep the name once.
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

}  // namespace sluice::internal
