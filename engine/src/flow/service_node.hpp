// A controller service placed in a flow: its instance, resolved properties and the services it uses. It is
// also the service's ServiceContext. ServiceSet builds them in dependency order and enables them.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "config/flow_model.hpp"
#include "flow/clock.hpp"
#include "flow/component_properties.hpp"
#include "plugin/registry.hpp"
#include "sluice/service.hpp"

namespace sluice::internal {

class ServiceNode final : public ServiceContext {
 public:
  ServiceNode(const ServiceModel& model, const ServiceDefinition& definition, const Clock& clock);

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const ServiceSpec& spec() const override { return definition_.spec; }
  [[nodiscard]] std::optional<std::string> property(std::string_view name) const override {
    return properties_.get(name);
  }
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> dynamic_properties() const override {
    return properties_.dynamic();
  }
  [[nodiscard]] const Expression& expression(std::string_view name) const override {
    return properties_.expression(name);
  }
  [[nodiscard]] ControllerService& service_base(std::string_view property_name) const override {
    return properties_.service(id_, property_name);
  }
  [[nodiscard]] std::int64_t now_ms() const override { return clock_.now_ms(); }
  [[nodiscard]] bool log_enabled(LogLevel level) const override { return component_log_enabled(level); }
  void log(LogLevel level, std::string_view message) const override { component_log(id_, level, message); }

  [[nodiscard]] ControllerService& instance() const { return *instance_; }
  [[nodiscard]] bool enabled() const { return enabled_.load(std::memory_order_acquire); }
  [[nodiscard]] ComponentProperties& properties() { return properties_; }

  // on_enable; its exception propagates and the service stays disabled.
  void enable();
  // on_disable when enabled; an exception is logged (disabling goes on with the other services).
  void disable();

 private:
  std::string id_;
  const ServiceDefinition& definition_;
  const Clock& clock_;
  std::unique_ptr<ControllerService> instance_;
  ComponentProperties properties_;
  std::atomic<bool> enabled_{false};
};

// Every service of a flow, in an order where each service comes after the services it uses.
class ServiceSet {
 public:
  // Throws std::runtime_error for an unknown type or a dependency cycle (validation rejects both first).
  ServiceSet(const FlowModel& flow, const ProcessorRegistry& registry, const Clock& clock);

  // Enables every service in dependency order. When one fails, disables those already enabled (in reverse
  // order) and throws std::runtime_error naming the service and the reason.
  void enable_all();
  // Disables the enabled services in reverse dependency order.
  void disable_all();

  [[nodiscard]] const ServiceNode* find(std::string_view id) const;
  // In dependency order.
  [[nodiscard]] const std::vector<std::unique_ptr<ServiceNode>>& nodes() const { return nodes_; }

 private:
  std::vector<std::unique_ptr<ServiceNode>> nodes_;
};

}  // namespace sluice::internal
