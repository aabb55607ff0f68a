// One property check for processors and services: unknown names, values against their kind, required
// properties, and the services kService properties name.
#include <optional>
#include <type_traits>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/relationships.hpp"
#include "config/scalar_position.hpp"
#include "config/secrets.hpp"
#include "config/validator_checks.hpp"
#include "config/value_check.hpp"
#include "sluice/expression.hpp"

namespace sluice::internal {

namespace {

// The property's scalar as written in the file, when it differs from its value (see flow_model.hpp).
std::string_view written_as(const ComponentModel& c, const std::string& name) {
  auto source = c.property_source.find(name);
  return source == c.property_source.end() ? std::string_view() : std::string_view(source->second);
}

// Resolves the value's secret references (`${env:…}`, `${file:…}`); an unresolvable one is reported at the
// character where it starts.
std::optional<std::string> resolved_value(const std::string& name, const ComponentModel& p,
                                          const Located& value, std::vector<Diagnostic>& out) {
  ResolvedValue resolved = resolve_secrets(value.value);
  if (!resolved.error) return std::move(resolved.text);
  out.push_back({value_char_pos(value, written_as(p, name), resolved.error->offset),
                 fmt::format("property '{}' of '{}': {}", name, p.id.value, resolved.error->message)});
  return std::nullopt;
}

// Compiles the value as an expression; a mistake is reported at the character it points at.
void check_expression(const std::string& name, const ComponentModel& p, const Located& value,
                      std::vector<Diagnostic>& out) {
  try {
    (void)Expression::compile(value.value);
  } catch (const ExpressionError& e) {
    const SourcePos at =
        e.column() > 0 ? value_char_pos(value, written_as(p, name), e.column() - 1) : value.pos;
    out.push_back({at, fmt::format("property '{}' of '{}': {}", name, p.id.value, e.what())});
  }
}

bool provides(const ServiceSpec& spec, std::string_view interface) {
  if (interface.empty()) return true;  // the property accepts any service
  for (const auto& p : spec.provides) {
    if (p == interface) return true;
  }
  return false;
}

// " (services that do: a, b)", else the registered types that would, else that none is loaded.
std::string fitting_services(std::string_view interface, const FlowModel& flow,
                             const ProcessorRegistry& registry) {
  std::vector<std::string> declared;
  for (const auto& s : flow.services) {
    const ServiceSpec* spec = spec_of(s, registry);
    if (spec != nullptr && provides(*spec, interface)) declared.push_back(s.id.value);
  }
  if (!declared.empty()) return fmt::format("declared services that do: {}", join(declared));
  std::vector<std::string> types;
  for (const auto* definition : registry.all_services()) {
    if (provides(definition->spec, interface)) types.push_back(definition->spec.type);
  }
  if (!types.empty()) {
    return fmt::format("no declared service does; declare one of type {} under services:",
                       join(types, " or "));
  }
  return fmt::format("no loaded service type provides {}: is its plugin installed?", interface);
}

// The problem with `id` as the value of a kService property, or nullopt when it names a declared service
// that provides the interface the property needs (or whose type is unknown, which is reported there).
std::optional<std::string> service_reference_problem(const PropertySpec& property, std::string_view id,
                                                     const FlowModel& flow,
                                                     const ProcessorRegistry& registry) {
  const std::string interface = property.service.empty() ? "a service" : property.service;
  const ServiceModel* service = flow.find_service(id);
  if (service == nullptr) {
    std::vector<std::string> ids;
    ids.reserve(flow.services.size());
    for (const auto& s : flow.services) ids.push_back(s.id.value);
    if (auto best = nearest_name(id, ids); !best.empty()) {
      return fmt::format("is not a declared service (did you mean '{}'?)", best);
    }
    if (flow.find_processor(id) != nullptr) {
      return fmt::format("is a processor, not a service ({})",
                         fitting_services(property.service, flow, registry));
    }
    return fmt::format(
        "is not a declared service (expected the id of a service under services: that "
        "provides {}; {})",
        interface, fitting_services(property.service, flow, registry));
  }
  const ServiceSpec* spec = spec_of(*service, registry);
  if (spec == nullptr || provides(*spec, property.service)) return std::nullopt;
  return fmt::format("is a {} service, which does not provide {} ({})", spec->type, property.service,
                     fitting_services(property.service, flow, registry));
}

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

template <typename Model, typename Spec>
void check_component_properties(const Model& c, const Spec& spec, std::string_view noun,
                                const FlowModel& flow, const ProcessorRegistry& registry,
                                std::vector<Diagnostic>& out) {
  for (const auto& [name, value] : c.properties) {
    const PropertySpec* property = spec.find_property(name);
    if (property == nullptr) {
      if (spec.dynamic_properties) {
        if constexpr (std::is_same_v<Spec, ProcessorSpec>) check_dynamic_relationship(c, spec, name, out);
        if (resolved_value(name, c, value, out)) check_expression(name, c, value, out);
        continue;
      }
      std::vector<std::string> names;
      names.reserve(spec.properties.size());
      for (const auto& known : spec.properties) names.push_back(known.name);
      auto key_pos = c.property_key_pos.find(name);
      std::string hint = name_hint(name, names);
      if (names.empty()) hint = fmt::format(" ({} has no properties)", spec.type);
      out.push_back({key_pos == c.property_key_pos.end() ? value.pos : key_pos->second,
                     fmt::format("unknown property '{}' of '{}' ({}){}", name, c.id.value, spec.type, hint)});
      continue;
    }
    const std::string subject = fmt::format("property '{}' of '{}'", name, c.id.value);
    // Secrets are resolved first: the value that must be an integer is the environment variable's.
    const auto resolved = resolved_value(name, c, value, out);
    if (!resolved) continue;
    if (property->kind == PropertyKind::kExpression) {
      check_expression(name, c, value, out);
      continue;
    }
    auto problem = property->kind == PropertyKind::kService
                       ? service_reference_problem(*property, *resolved, flow, registry)
                       : property_value_problem(*property, *resolved);
    if (problem) {
      out.push_back(
          {value.pos, value_message(subject, shown_value(value.value, property->sensitive), *problem)});
    }
  }
  for (const auto& property : spec.properties) {
    if (!property.required || property.default_value) continue;
    // A key without a usable value was reported by the parser; "missing" would repeat it.
    if (c.properties.contains(property.name) || c.property_key_pos.contains(property.name)) continue;
    out.push_back({c.pos, fmt::format("{} '{}' ({}) is missing required property '{}' (expected {})", noun,
                                      c.id.value, spec.type, property.name, expected_value(property))});
  }
}

}  // namespace

void check_properties(const ProcessorModel& p, const ProcessorSpec& spec, const FlowModel& flow,
                      const ProcessorRegistry& registry, std::vector<Diagnostic>& out) {
  check_component_properties(p, spec, "processor", flow, registry, out);
}

void check_properties(const ServiceModel& s, const ServiceSpec& spec, const FlowModel& flow,
                      const ProcessorRegistry& registry, std::vector<Diagnostic>& out) {
  check_component_properties(s, spec, "service", flow, registry, out);
}

}  // namespace sluice::internal
