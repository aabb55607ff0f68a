#include "flow/service_node.hpp"

#include <ranges>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace sluice::internal {

ServiceNode::ServiceNode(const ServiceModel& model, const ServiceDefinition& definition, const Clock& clock)
    : id_(model.id.value),
      definition_(definition),
      clock_(clock),
      instance_(definition.create()),
      properties_(model, "service", definition.spec.properties) {
  if (!instance_) throw std::runtime_error(fmt::format("service type {} created no instance", spec().type));
}

void ServiceNode::enable() {
  if (enabled()) return;
  instance_->on_enable(*this);
  enabled_.store(true, std::memory_order_release);
}

void ServiceNode::disable() {
  if (!enabled_.exchange(false, std::memory_order_acq_rel)) return;
  try {
    instance_->on_disable();
  } catch (const std::exception& e) {
    spdlog::error("[{}] on_disable: {}", id_, e.what());
  }
}

namespace {

// The services' indices in an order where each comes after those its kService properties name; file order
// among independent ones.
std::vector<std::size_t> dependency_order(const FlowModel& flow, const ProcessorRegistry& registry) {
  const std::size_t n = flow.services.size();
  std::vector<std::vector<std::size_t>> used_by(n);
  std::vector<std::size_t> waiting_for(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const ServiceDefinition* definition = registry.find_service(flow.services[i].type.value);
    for (const auto& [name, value] : flow.services[i].properties) {
      const PropertySpec* property = definition->spec.find_property(name);
      if (property == nullptr || property->kind != PropertyKind::kService) continue;
      for (std::size_t j = 0; j < n; ++j) {
        if (flow.services[j].id.value != value.value) continue;
        used_by[j].push_back(i);
        ++waiting_for[i];
      }
    }
  }
  std::vector<std::size_t> order;
  std::vector<bool> placed(n, false);
  while (order.size() < n) {
    std::size_t next = n;
    for (std::size_t i = 0; i < n && next == n; ++i) {
      if (!placed[i] && waiting_for[i] == 0) next = i;
    }
    if (next == n) throw std::runtime_error("controller services depend on each other in a cycle");
    placed[next] = true;
    order.push_back(next);
    for (std::size_t user : used_by[next]) --waiting_for[user];
  }
  return order;
}

}  // namespace

ServiceSet::ServiceSet(const FlowModel& flow, const ProcessorRegistry& registry, const Clock& clock) {
  for (const auto& s : flow.services) {
    if (registry.find_service(s.type.value) == nullptr)
      throw std::runtime_error("unknown service type " + s.type.value);
  }
  for (std::size_t i : dependency_order(flow, registry)) {
    const ServiceModel& model = flow.services[i];
    nodes_.push_back(std::make_unique<ServiceNode>(model, *registry.find_service(model.type.value), clock));
  }
  for (auto& node : nodes_) node->properties().bind_services(*this);
}

void ServiceSet::enable_all() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    ServiceNode& node = *nodes_[i];
    try {
      node.enable();
    } catch (const std::exception& e) {
      for (std::size_t j = i; j-- > 0;) nodes_[j]->disable();
      throw std::runtime_error(
          fmt::format("service '{}' ({}) could not be enabled: {}", node.id(), node.spec().type, e.what()));
    } catch (...) {
      for (std::size_t j = i; j-- > 0;) nodes_[j]->disable();
      throw std::runtime_error(fmt::format("service '{}' ({}) could not be enabled: a non-standard exception",
                                           node.id(), node.spec().type));
    }
  }
}

void ServiceSet::disable_all() {
  for (auto& node : std::ranges::reverse_view(nodes_)) node->disable();
}

const ServiceNode* ServiceSet::find(std::string_view id) const {
  for (const auto& node : nodes_) {
    if (node->id() == id) return node.get();
  }
  return nullptr;
}

}  // namespace sluice::internal
