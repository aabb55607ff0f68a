// Controller services in a flow: known types with valid properties, ids not shared with a processor, and
// no service that needs itself through the services its properties name (the engine enables a service
// only after the services it uses, so a cycle could never be enabled).
#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/validator_checks.hpp"

namespace sluice::internal {

namespace {

std::string at(const SourcePos& pos) {
  return fmt::format("{}:{}", pos.line, pos.column);
}

std::vector<std::string> service_types(const ProcessorRegistry& registry) {
  std::vector<std::string> types;
  for (const auto* definition : registry.all_services()) types.push_back(definition->spec.type);
  return types;
}

// Ids of processors and services are one namespace: logs, state and provenance name components by id.
void check_ids(const FlowModel& flow, std::vector<Diagnostic>& out) {
  for (const auto& s : flow.services) {
    const ProcessorModel* p = flow.find_processor(s.id.value);
    if (p == nullptr) continue;
    const bool service_first =
        std::tie(s.id.pos.line, s.id.pos.column) < std::tie(p->id.pos.line, p->id.pos.column);
    const Located& later = service_first ? p->id : s.id;
    const Located& earlier = service_first ? s.id : p->id;
    out.push_back(
        {later.pos, fmt::format("duplicate id '{}': already the id of a {} (at {}); processors and "
                                "services share one set of ids",
                                later.value, service_first ? "service" : "processor", at(earlier.pos))});
  }
}

// service index -> indices of the declared services its kService properties name.
std::vector<std::vector<std::size_t>> dependencies(const FlowModel& flow, const ProcessorRegistry& registry) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < flow.services.size(); ++i) index.emplace(flow.services[i].id.value, i);
  std::vector<std::vector<std::size_t>> edges(flow.services.size());
  for (std::size_t i = 0; i < flow.services.size(); ++i) {
    const ServiceSpec* spec = spec_of(flow.services[i], registry);
    if (spec == nullptr) continue;
    for (const auto& [name, value] : flow.services[i].properties) {
      const PropertySpec* property = spec->find_property(name);
      if (property == nullptr || property->kind != PropertyKind::kService) continue;
      if (auto it = index.find(value.value); it != index.end()) edges[i].push_back(it->second);
    }
  }
  return edges;
}

// Reports each service, in file order, that its own dependencies lead back to, with the shortest such
// cycle; services on a reported cycle are not reported again.
void check_cycles(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out) {
  const auto edges = dependencies(flow, registry);
  std::set<std::size_t> reported;
  for (std::size_t start = 0; start < edges.size(); ++start) {
    if (reported.contains(start)) continue;
    std::vector<std::optional<std::size_t>> parent(edges.size());
    std::deque<std::size_t> queue{start};
    std::optional<std::size_t> last;  // the service whose dependency closes the cycle back to `start`
    while (!queue.empty() && !last) {
      const std::size_t v = queue.front();
      queue.pop_front();
      for (std::size_t w : edges[v]) {
        if (w == start) {
          last = v;
          break;
        }
        if (parent[w]) continue;
        parent[w] = v;
        queue.push_back(w);
      }
    }
    if (!last) continue;
    std::vector<std::string> path{flow.services[start].id.value};
    for (std::optional<std::size_t> v = last; v && *v != start; v = parent[*v]) {
      path.insert(path.begin() + 1, flow.services[*v].id.value);
      reported.insert(*v);
    }
    path.push_back(flow.services[start].id.value);
    reported.insert(start);
    out.push_back({flow.services[start].id.pos,
                   fmt::format("service '{}' depends on itself: {} (services are enabled after the services "
                               "they use, so a cycle can never start)",
                               flow.services[start].id.value, join(path, " -> "))});
  }
}

}  // namespace

void check_services(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out) {
  for (const auto& s : flow.services) {
    if (s.type.value.empty()) continue;  // missing or not a string: the parser reported it
    const ServiceSpec* spec = spec_of(s, registry);
    if (spec == nullptr) {
      const bool is_processor = registry.find(s.type.value) != nullptr;
      out.push_back({s.type.pos, fmt::format("unknown service type '{}'{}", s.type.value,
                                             unknown_type_hint(
                                                 "service", registry.nearest_service(s.type.value),
                                                 service_types(registry), is_processor ? "processor" : ""))});
      continue;
    }
    check_properties(s, *spec, flow, registry, out);
  }
  check_ids(flow, out);
  check_cycles(flow, registry, out);
}

}  // namespace sluice::internal
