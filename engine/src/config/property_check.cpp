#include <optional>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/scalar_position.hpp"
#include "config/secrets.hpp"
#include "config/validator_checks.hpp"
#include "config/value_check.hpp"
#include "sluice/expression.hpp"

namespace sluice::internal {

namespace {

// Resolves the value's secret references (`${env:…}`, `${file:…}`); an unresolvable one is reported at the
// character where it starts.
std::optional<std::string> resolved_value(const std::string& name, const ProcessorModel& p,
                                          const Located& value, std::vector<Diagnostic>& out) {
  ResolvedValue resolved = resolve_secrets(value.value);
  if (!resolved.error) return std::move(resolved.text);
  auto source = p.property_source.find(name);
  const std::string_view written = source == p.property_source.end() ? std::string_view() : source->second;
  out.push_back({value_char_pos(value, written, resolved.error->offset),
                 fmt::format("property '{}' of '{}': {}", name, p.id.value, resolved.error->message)});
  return std::nullopt;
}

// Compiles the value as an expression; a mistake is reported at the character it points at.
void check_expression(const std::string& name, const ProcessorModel& p, const Located& value,
                      std::vector<Diagnostic>& out) {
  try {
    (void)Expression::compile(value.value);
  } catch (const ExpressionError& e) {
    auto source = p.property_source.find(name);
    const std::string_view written = source == p.property_source.end() ? std::string_view() : source->second;
    const SourcePos at = e.column() > 0 ? value_char_pos(value, written, e.column() - 1) : value.pos;
    out.push_back({at, fmt::format("property '{}' of '{}': {}", name, p.id.value, e.what())});
  }
}

}  // namespace

void check_properties(const ProcessorModel& p, const ProcessorSpec& spec, std::vector<Diagnostic>& out) {
  for (const auto& [name, value] : p.properties) {
    const PropertySpec* property = spec.find_property(name);
    if (property == nullptr) {
      if (spec.dynamic_properties) {
        if (resolved_value(name, p, value, out)) check_expression(name, p, value, out);
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
    // Secrets are resolved first: the value that must be an integer is the environment variable's.
    const auto resolved = resolved_value(name, p, value, out);
    if (!resolved) continue;
    if (property->kind == PropertyKind::kExpression) {
      check_expression(name, p, value, out);
    } else if (auto problem = property_value_problem(*property, *resolved)) {
      out.push_back({value.pos, value_message(fmt::format("property '{}' of '{}'", name, p.id.value),
                                              shown_value(value.value, property->sensitive), *problem)});
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
