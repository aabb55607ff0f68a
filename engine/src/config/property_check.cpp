#include <fmt/format.h>

#include "config/names.hpp"
#include "config/relationships.hpp"
#include "config/validator_checks.hpp"
#include "config/value_check.hpp"

namespace sluice::internal {

namespace {
// A dynamic property that is also a relationship must not reuse a static relationship's name: the two
// would be indistinguishable in connections.
void check_dynamic_relationship(const ProcessorModel& p, const ProcessorSpec& spec, const std::string& name,
                                std::vector<Diagnostic>& out) {
  if (!spec.dynamic_relationships) return;
  if (spec.dynamic_relationships_when && !condition_holds(*spec.dynamic_relationships_when, p, spec)) return;
  const RelationshipSpec* clash = spec.find_relationship(name);
  if (clash == nullptr || (clash->only_when && !condition_holds(*clash->only_when, p, spec))) return;
  auto key_pos = p.property_key_pos.find(name);
  out.push_back({key_pos == p.property_key_pos.end() ? p.pos : key_pos->second,
                 fmt::format("dynamic property '{}' of '{}' ({}) would be a relationship, but '{}' already "
                             "has a relationship '{}' (rename the property)",
                             name, p.id.value, spec.type, spec.type, name)});
}
}  // namespace

void check_properties(const ProcessorModel& p, const ProcessorSpec& spec, std::vector<Diagnostic>& out) {
  for (const auto& [name, value] : p.properties) {
    const PropertySpec* property = spec.find_property(name);
    if (property == nullptr) {
      if (spec.dynamic_properties) {
        check_dynamic_relationship(p, spec, name, out);
        continue;
      }
      std::vector<std::string> names;
      names.reserve(spec.properties.size());
      for (const auto& known : spec.properties) names.push_back(known.name);
      auto key_pos = p.property_key_pos.find(name);
      std::string hint = name_hint(name, names);
      if (names.empty()) hint = fmt::format(" ({} has no properties)", spec.type);
      out.push_back({key_pos == p.property_key_pos.end() ? value.pos : key_pos->second,
                     fmt::format("unknown property '{}' of '{}' ({}){}", name, p.id.value, spec.type, hint)});
      continue;
    }
    if (auto problem = property_value_problem(*property, value.value)) {
      out.push_back({value.pos, value_message(fmt::format("property '{}' of '{}'", name, p.id.value),
                                              value.value, *problem)});
    }
  }
  for (const auto& property : spec.properties) {
    if (!property.required || property.default_value) continue;
    // A key without a usable value was reported by the parser; "missing" would repeat it.
    if (p.properties.contains(property.name) || p.property_key_pos.contains(property.name)) continue;
    out.push_back({p.pos, fmt::format("processor '{}' ({}) is missing required property '{}' (expected {})",
                                      p.id.value, spec.type, property.name, expected_value(property))});
  }
}

}  // namespace sluice::internal
