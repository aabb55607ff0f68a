// Builds FlowModels in code for engine tests (the YAML parser has its own tests).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/flow_model.hpp"

namespace sluice::testing {

class FlowBuilder {
 public:
  explicit FlowBuilder(std::string name = "test") { flow_.name.value = std::move(name); }

  FlowBuilder& processor(const std::string& id, const std::string& type,
                         const std::vector<std::pair<std::string, std::string>>& properties = {},
                         const std::vector<std::string>& terminate = {}) {
    internal::ProcessorModel p;
    p.id.value = id;
    p.type.value = type;
    for (const auto& [k, v] : properties) p.properties[k].value = v;
    for (const auto& t : terminate) p.terminate.push_back({t, {}});
    flow_.processors.push_back(std::move(p));
    return *this;
  }
  FlowBuilder& timer(std::int64_t period_ms = 0) {
    flow_.processors.back().schedule.strategy = internal::ScheduleStrategy::kTimer;
    flow_.processors.back().schedule.period = std::chrono::milliseconds(period_ms);
    return *this;
  }
  FlowBuilder& connect(const std::string& from, const std::string& relationship, const std::string& to,
                       std::uint64_t max_objects = 10'000) {
    internal::ConnectionModel c;
    c.from.value = from;
    c.relationships.push_back({relationship, {}});
    c.to.value = to;
    c.back_pressure_objects = max_objects;
    flow_.connections.push_back(std::move(c));
    return *this;
  }
  FlowBuilder& memory() {
    flow_.settings.memory_repositories = true;
    return *this;
  }
  FlowBuilder& durability(internal::DurabilityMode mode) {
    flow_.settings.durability = mode;
    return *this;
  }
  [[nodiscard]] const internal::FlowModel& model() const { return flow_; }

 private:
  internal::FlowModel flow_;
};

}  // namespace sluice::testing
