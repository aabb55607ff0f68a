#include "flow/processor_node.hpp"

#include <spdlog/spdlog.h>

#include "config/relationships.hpp"

namespace sluice::internal {

ProcessorNode::ProcessorNode(const ProcessorModel& model, const ProcessorDefinition& definition,
                             const Clock& clock)
    : id_(model.id.value),
      definition_(definition),
      clock_(clock),
      processor_(definition.create()),
      schedule_(model.schedule),
      relationships_(relationship_names(model, definition.spec)) {
  for (const auto& [key, value] : model.properties) properties_.emplace(key, value.value);
  // Validation compiled these already; here the compiled forms are kept for the run.
  for (const auto& [key, value] : properties_) {
    const PropertySpec* p = definition_.spec.find_property(key);
    if (p == nullptr || p->kind == PropertyKind::kExpression)
      expressions_.emplace(key, Expression::compile(value));
  }
  for (const auto& p : definition_.spec.properties) {
    if (p.kind == PropertyKind::kExpression && !expressions_.contains(p.name) && p.default_value) {
      expressions_.emplace(p.name, Expression::compile(*p.default_value));
    }
  }
}

const Expression& ProcessorNode::expression(std::string_view name) const {
  static const Expression kEmpty;
  auto it = expressions_.find(name);
  return it == expressions_.end() ? kEmpty : it->second;
}

ControllerService& ProcessorNode::service_base(std::string_view property_name) const {
  throw ProcessorError("processor '" + id_ + "': property '" + std::string(property_name) +
                       "' names a controller service, and this engine has none enabled");
}

std::optional<std::string> ProcessorNode::property(std::string_view name) const {
  if (auto it = properties_.find(name); it != properties_.end()) return it->second;
  if (const auto* spec_property = spec().find_property(name)) return spec_property->default_value;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> ProcessorNode::dynamic_properties() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : properties_) {
    if (spec().find_property(key) == nullptr) out.emplace_back(key, value);
  }
  return out;
}

bool ProcessorNode::is_connected(std::string_view relationship) const {
  auto it = outputs_.find(relationship);
  return it != outputs_.end() && !it->second.empty();
}

void ProcessorNode::yield() {
  const auto yield_ms = std::chrono::duration_cast<std::chrono::milliseconds>(schedule_.yield).count();
  yielded_until_ms.store(clock_.now_ms() + yield_ms, std::memory_order_relaxed);
}

namespace {
spdlog::level::level_enum to_spdlog(LogLevel level) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::trace, spdlog::level::debug,
                                                          spdlog::level::info, spdlog::level::warn,
                                                          spdlog::level::err};
  return kLevels[static_cast<std::size_t>(level)];
}
}  // namespace

bool ProcessorNode::log_enabled(LogLevel level) const {
  return spdlog::should_log(to_spdlog(level));
}

void ProcessorNode::log(LogLevel level, std::string_view message) const {
  spdlog::log(to_spdlog(level), "[{}] {}", id_, message);
}

const std::string* ProcessorNode::relationship(std::string_view name) const {
  for (const auto& r : relationships_) {
    if (r == name) return &r;
  }
  return nullptr;
}

const std::vector<Connection*>* ProcessorNode::outputs(std::string_view relationship) const {
  auto it = outputs_.find(relationship);
  return it == outputs_.end() ? nullptr : &it->second;
}

bool ProcessorNode::terminated(std::string_view relationship) const {
  return terminated_.find(relationship) != terminated_.end();
}

bool ProcessorNode::any_output_full() const {
  for (const auto& [relationship, connections] : outputs_) {
    for (const Connection* c : connections) {
      if (c->full()) return true;
    }
  }
  return false;
}

bool ProcessorNode::has_input_ready(std::int64_t now_ms) const {
  for (const Connection* c : inputs_) {
    if (c->has_visible(now_ms)) return true;
  }
  return false;
}

}  // namespace sluice::internal
