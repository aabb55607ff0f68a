// The parts of validate_flow, one file each. Each appends its diagnostics unsorted.
#pragma once

#include <string>
#include <string_view>
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
inline const ServiceSpec* spec_of(const ServiceModel& s, const ProcessorRegistry& registry) {
  if (s.type.value.empty()) return nullptr;
  const ServiceDefinition* definition = registry.find_service(s.type.value);
  return definition == nullptr ? nullptr : &definition->spec;
}

// The end of "unknown <noun> type 'X'": a "did you mean" hint, the list of known types when short, or
// where to look. `other_kind` names the type when it is registered as the other kind of component.
std::string unknown_type_hint(std::string_view noun, std::string_view nearest,
                              const std::vector<std::string>& known, std::string_view other_kind);

// Type, terminate and schedule of each processor (processor_check.cpp).
void check_processors(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out);
// Properties of one processor or service against its spec, including the services that kService
// properties name (property_check.cpp).
void check_properties(const ProcessorModel& p, const ProcessorSpec& spec, const FlowModel& flow,
                      const ProcessorRegistry& registry, std::vector<Diagnostic>& out);
void check_properties(const ServiceModel& s, const ServiceSpec& spec, const FlowModel& flow,
                      const ProcessorRegistry& registry, std::vector<Diagnostic>& out);
// Types and properties of each service, ids shared with processors, dependency cycles (service_check.cpp).
void check_services(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out);
// Endpoints, relationships, duplicates and input requirements (connection_check.cpp).
void check_connections(const FlowModel& flow, const ProcessorRegistry& registry,
                       std::vector<Diagnostic>& out);
// Reachability and cycles without a way out (topology_check.cpp).
void check_topology(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out);

}  // namespace sluice::internal
