// What the contexts of processors and controller services resolve the same way: configured values with
// spec defaults, dynamic properties, compiled expressions, the services kService properties name, and
// logging under the component's id.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/flow_model.hpp"
#include "sluice/context.hpp"
#include "sluice/expression.hpp"
#include "sluice/spec.hpp"

namespace sluice::internal {

class ServiceNode;
class ServiceSet;

class ComponentProperties {
 public:
  // `specs` (the component spec's properties) must outlive this object. Secrets (`${env:…}`, `${file:…}`)
  // are resolved here; one that cannot be throws std::runtime_error naming the `noun` ("processor",
  // "service"), the component and the property.
  ComponentProperties(const ComponentModel& model, std::string_view noun,
                      const std::vector<PropertySpec>& specs);

  // The configured value, else the spec default.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  // Properties the spec does not declare, in key order.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> dynamic() const;
  // The compiled form of a kExpression or dynamic property; the empty literal for any other name.
  [[nodiscard]] const Expression& expression(std::string_view name) const;

  // Resolves every kService property to the service it names. Done once while the flow is built.
  void bind_services(const ServiceSet& services);
  // The enabled service the kService property `name` names. Throws ProcessorError when the property names
  // no service or the service is not enabled; `component_id` is for the message.
  [[nodiscard]] ControllerService& service(std::string_view component_id, std::string_view name) const;

 private:
  [[nodiscard]] const PropertySpec* find_spec(std::string_view name) const;

  const std::vector<PropertySpec>& specs_;
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, Expression, std::less<>> expressions_;  // compiled once
  std::map<std::string, const ServiceNode*, std::less<>> services_;
};

// Logging as a component: "[id] message" through the engine's logger.
bool component_log_enabled(LogLevel level);
void component_log(std::string_view id, LogLevel level, std::string_view message);

}  // namespace sluice::internal
