#include <algorithm>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/relationships.hpp"
#include "config/validator_checks.hpp"

namespace sluice::internal {

namespace {

std::string unknown_type_hint(std::string_view type, const ProcessorRegistry& registry) {
  if (auto best = registry.nearest(type); !best.empty()) return fmt::format(" (did you mean '{}'?)", best);
  constexpr std::size_t kMaxListed = 12;
  const auto all = registry.all();
  if (all.empty()) return " (no processor types are registered: are the plugins installed?)";
  if (all.size() > kMaxListed) return " (`sluice processors` lists the available types)";
  std::vector<std::string> types;
  types.reserve(all.size());
  for (const auto* definition : all) types.push_back(definition->spec.type);
  return fmt::format(" (expected one of: {})", join(types));
}

}  // namespace

void check_processors(const FlowModel& flow, const ProcessorRegistry& registry,
                      std::vector<Diagnostic>& out) {
  for (const auto& p : flow.processors) {
    if (p.type.value.empty()) continue;  // missing or not a string: the parser reported it
    const ProcessorSpec* spec = spec_of(p, registry);
    if (spec == nullptr) {
      out.push_back({p.type.pos, fmt::format("unknown processor type '{}'{}", p.type.value,
                                             unknown_type_hint(p.type.value, registry))});
      continue;
    }
    check_properties(p, *spec, out);
    const auto relationships = relationship_names(p, *spec);
    for (const auto& name : p.terminate) {
      if (std::find(relationships.begin(), relationships.end(), name.value) != relationships.end()) continue;
      out.push_back(
          {name.pos, fmt::format("unknown relationship '{}' in terminate of '{}' ({}){}", name.value,
                                 p.id.value, spec->type, name_hint(name.value, relationships))});
    }
    if (spec->input == InputRequirement::kForbidden && p.schedule.strategy_given &&
        p.schedule.strategy == ScheduleStrategy::kEvent) {
      out.push_back(
          {p.schedule.pos, fmt::format("processor '{}' ({}) takes no input, so strategy event would "
                                       "never trigger it (expected strategy timer or cron)",
                                       p.id.value, spec->type)});
    }
  }
}

}  // namespace sluice::internal
