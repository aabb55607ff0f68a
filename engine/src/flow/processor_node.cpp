#include "flow/processor_node.hpp"

#include <algorithm>

#include "config/relationships.hpp"

namespace sluice::internal {

ProcessorNode::ProcessorNode(const ProcessorModel& model, const ProcessorDefinition& definition,
                             const Clock& clock)
    : id_(model.id.value),
      definition_(definition),
      clock_(clock),
      processor_(definition.create()),
      properties_(model, "processor", definition.spec.properties),
      schedule_(model.schedule),
      retry_(model.retry),
      retry_attribute_("sluice.retries." + model.id.value),
      relationships_(relationship_names(model, definition.spec)) {}

bool ProcessorNode::retried(std::string_view relationship) const {
  for (const auto& r : retry_.relationships) {
    if (r.value == relationship) return true;
  }
  return false;
}

std::chrono::milliseconds backoff_delay(std::chrono::nanoseconds base, std::chrono::nanoseconds cap,
                                        std::uint32_t attempt) {
  auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(base);
  const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(cap);
  for (std::uint32_t i = 0; i < attempt && delay < limit; ++i) delay *= 2;
  return std::min(delay, limit);
}

const Expression& ProcessorNode::expression(std::string_view name) const {
  return properties_.expression(name);
}

ControllerService& ProcessorNode::service_base(std::string_view property_name) const {
  return properties_.service(id_, property_name);
}

std::optional<std::string> ProcessorNode::property(std::string_view name) const {
  return properties_.get(name);
}

std::vector<std::pair<std::string, std::string>> ProcessorNode::dynamic_properties() const {
  return properties_.dynamic();
}

bool ProcessorNode::log_enabled(LogLevel level) const {
  return log_observer_ ? true : component_log_enabled(level);
}

void ProcessorNode::log(LogLevel level, std::string_view message) const {
  if (log_observer_) log_observer_(level, message);
  component_log(id_, level, message);
}

bool ProcessorNode::is_connected(std::string_view relationship) const {
  auto it = outputs_.find(relationship);
  return it != outputs_.end() && !it->second.empty();
}

void ProcessorNode::yield() {
  const auto yield_ms = std::chrono::duration_cast<std::chrono::milliseconds>(schedule_.yield).count();
  yielded_until_ms.store(clock_.now_ms() + yield_ms, std::memory_order_relaxed);
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
