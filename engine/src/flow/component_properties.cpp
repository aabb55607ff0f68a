#include "flow/component_properties.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "config/secrets.hpp"
#include "flow/service_node.hpp"

namespace sluice::internal {

ComponentProperties::ComponentProperties(const ComponentModel& model, std::string_view noun,
                                         const std::vector<PropertySpec>& specs)
    : specs_(specs) {
  for (const auto& [key, value] : model.properties) {
    ResolvedValue resolved = resolve_secrets(value.value);
    if (resolved.error) {
      throw std::runtime_error(std::string(noun) + " '" + model.id.value + "' property '" + key +
                               "': " + resolved.error->message);
    }
    values_.emplace(key, std::move(resolved.text));
  }
  // Validation compiled these already; here the compiled forms are kept for the run.
  for (const auto& [key, value] : values_) {
    const PropertySpec* p = find_spec(key);
    if (p == nullptr || p->kind == PropertyKind::kExpression)
      expressions_.emplace(key, Expression::compile(value));
  }
  for (const auto& p : specs_) {
    if (p.kind == PropertyKind::kExpression && !expressions_.contains(p.name) && p.default_value) {
      expressions_.emplace(p.name, Expression::compile(*p.default_value));
    }
  }
}

const PropertySpec* ComponentProperties::find_spec(std::string_view name) const {
  for (const auto& p : specs_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::optional<std::string> ComponentProperties::get(std::string_view name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  if (const PropertySpec* spec = find_spec(name)) return spec->default_value;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> ComponentProperties::dynamic() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : values_) {
    if (find_spec(key) == nullptr) out.emplace_back(key, value);
  }
  return out;
}

const Expression& ComponentProperties::expression(std::string_view name) const {
  static const Expression kEmpty;
  auto it = expressions_.find(name);
  return it == expressions_.end() ? kEmpty : it->second;
}

void ComponentProperties::bind_services(const ServiceSet& services) {
  for (const auto& p : specs_) {
    if (p.kind != PropertyKind::kService) continue;
    auto id = get(p.name);
    if (!id) continue;
    if (const ServiceNode* node = services.find(*id)) services_.emplace(p.name, node);
  }
}

ControllerService& ComponentProperties::service(std::string_view component_id, std::string_view name) const {
  auto it = services_.find(name);
  if (it == services_.end()) {
    const PropertySpec* spec = find_spec(name);
    const char* why = spec == nullptr                        ? "is not a declared property"
                      : spec->kind != PropertyKind::kService ? "is not a service property"
                                                             : "is not set";
    throw ProcessorError("'" + std::string(component_id) + "' asked for the service of property '" +
                         std::string(name) + "', which " + why);
  }
  if (!it->second->enabled()) {
    throw ProcessorError("service '" + it->second->id() + "' (named by property '" + std::string(name) +
                         "' of '" + std::string(component_id) + "') is not enabled");
  }
  return it->second->instance();
}

namespace {
spdlog::level::level_enum to_spdlog(LogLevel level) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::trace, spdlog::level::debug,
                                                          spdlog::level::info, spdlog::level::warn,
                                                          spdlog::level::err};
  return kLevels[static_cast<std::size_t>(level)];
}
}  // namespace

bool component_log_enabled(LogLevel level) {
  return spdlog::should_log(to_spdlog(level));
}

void component_log(std::string_view id, LogLevel level, std::string_view message) {
  spdlog::log(to_spdlog(level), "[{}] {}", id, message);
}

}  // namespace sluice::internal
