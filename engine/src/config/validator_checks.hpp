// The parts of validate_flow, one file each. Each appends its diagnostics unsorted.
#pragma once

#include <vector>

#include "config/flow_model.hpp"
#include "plugin/registry.hpp"

namespace sluice::internal {

// The spec of `p`'s type; nullptr when the type is missing or unknown (already reported).
inline const ProcessorSpec* spec_of(const ProcessorModel& p, const ProcessorRegistry& registry) {
  if (p.type.value.empty()) return nullptr;
  const ProcessorDefinition* definition = registry.find(p.type.value);
  return definition == nullptr ? nullptr : &definition->spec;
}

// Type, terminate and schedule of each processor (processor_check.cpp).
void check_processors(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out);
// Properties of one processor against its spec (property_check.cpp).
void check_properties(const ProcessorModel& p, const ProcessorSpec& spec, std::vector<Diagnostic>& out);
// Endpoints, relationships, duplicates and input requirements (connection_check.cpp).
void check_connections(const FlowModel& flow, const ProcessorRegistry& registry,
                       std::vector<Diagnostic>& out);
// Reachability and cycles without a way out (topology_check.cpp).
void check_topology(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out);

}  // namespace sluice::internal
