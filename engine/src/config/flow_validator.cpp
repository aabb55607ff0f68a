#include "config/flow_validator.hpp"

#include "config/diagnostic_sort.hpp"
#include "config/validator_checks.hpp"

namespace sluice::internal {

std::vector<Diagnostic> validate_flow(const FlowModel& flow, const ProcessorRegistry& registry) {
  std::vector<Diagnostic> out;
  check_processors(flow, registry, out);
  check_services(flow, registry, out);
  check_connections(flow, registry, out);
  check_topology(flow, registry, out);
  sort_diagnostics(out);
  return out;
}

void resolve_schedule_defaults(FlowModel& flow, const ProcessorRegistry& registry) {
  for (auto& p : flow.processors) {
    if (p.schedule.strategy_given) continue;
    const ProcessorSpec* spec = spec_of(p, registry);
    if (spec != nullptr && spec->input == InputRequirement::kForbidden) {
      p.schedule.strategy = ScheduleStrategy::kTimer;
      p.schedule.period = std::chrono::nanoseconds(0);
    } else {
      p.schedule.strategy = ScheduleStrategy::kEvent;
    }
  }
}

}  // namespace sluice::internal
