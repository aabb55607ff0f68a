// Checks a parsed flow against the registry: processor and service types, properties (and the services
// they name), relationships, connections and topology. Independent of YAML: works on the FlowModel and its
// positions.
#pragma once

#include <vector>

#include "config/flow_model.hpp"
#include "plugin/registry.hpp"

namespace sluice::internal {

// Sorted by position. Parts the parser already rejected (empty type, missing from/to) are skipped so that
// one mistake gives one message.
std::vector<Diagnostic> validate_flow(const FlowModel& flow, const ProcessorRegistry& registry);

// Gives each processor without an explicit schedule strategy its default: timer with period 0 (run
// continuously; the engine yields when idle) for sources (input kForbidden), event for the others.
void resolve_schedule_defaults(FlowModel& flow, const ProcessorRegistry& registry);

}  // namespace sluice::internal
