#include <fmt/format.h>

#include "config/names.hpp"
#include "config/secrets.hpp"
#include "config/validator_checks.hpp"
#include "config/value_check.hpp"

namespace sluice::internal {

void check_properties(const ProcessorModel& p, const ProcessorSpec& spec, std::vector<Diagnostic>& out) {
  for (const auto& [name, value] : p.properties) {
    const PropertySpec* property = spec.find_property(name);
    if (property == nullptr) {
      if (spec.dynamic_properties) continue;
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
    const std::string subject = fmt::format("property '{}' of '{}'", name, p.id.value);
    // Secrets are resolved first: the value that must be an integer is the environment variable's.
    const ResolvedValue resolved = resolve_secrets(value.value);
    if (resolved.error) {
      out.push_back({value.pos, fmt::format("{}: {}", subject, resolved.error->message)});
      continue;
    }
    if (auto problem = property_value_problem(*property, resolved.text)) {
      out.push_back(
          {value.pos, value_message(subject, shown_value(value.value, property->sensitive), *problem)});
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
