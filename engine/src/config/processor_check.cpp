#include <algorithm>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/relationships.hpp"
#include "config/validator_checks.hpp"

namespace sluice::internal {

namespace {

std::vector<std::string> processor_types(const ProcessorRegistry& registry) {
  std::vector<std::string> types;
  for (const auto* definition : registry.all()) types.push_back(definition->spec.type);
  return types;
}

}  // namespace

std::string unknown_type_hint(std::string_view noun, std::string_view nearest,
                              const std::vector<std::string>& known, std::string_view other_kind) {
  if (!other_kind.empty()) {
    return fmt::format(" (it is a {} type: declare it under {}:)", other_kind,
                       other_kind == "service" ? "services" : "processors");
  }
  if (!nearest.empty()) return fmt::format(" (did you mean '{}'?)", nearest);
  constexpr std::size_t kMaxListed = 12;
  if (known.empty()) return fmt::format(" (no {} types are registered: are the plugins installed?)", noun);
  if (known.size() > kMaxListed) return " (`sluice processors` lists the available types)";
  return fmt::format(" (expected one of: {})", join(known));
}

void check_processors(const FlowModel& flow, const ProcessorRegistry& registry,
                      std::vector<Diagnostic>& out) {
  for (const auto& p : flow.processors) {
    if (p.type.value.empty()) continue;  // missing or not a string: the parser reported it
    const ProcessorSpec* spec = spec_of(p, registry);
    if (spec == nullptr) {
      const bool is_service = registry.find_service(p.type.value) != nullptr;
      out.push_back({p.type.pos,
                     fmt::format("unknown processor type '{}'{}", p.type.value,
                                 unknown_type_hint("processor", registry.nearest(p.type.value),
                                                   processor_types(registry), is_service ? "service" : ""))});
      continue;
    }
    check_properties(p, *spec, flow, registry, out);
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
    if (spec->trigger_serially && p.schedule.concurrency > 1) {
      out.push_back({p.schedule.concurrency_pos,
                     fmt::format("processor '{}' ({}) runs one trigger at a time (it keeps state across "
                                 "triggers), so its concurrency must be 1 (got {})",
                                 p.id.value, spec->type, p.schedule.concurrency)});
    }
  }
}

}  // namespace sluice::internal
