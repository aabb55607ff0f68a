// A processor placed in a flow: its instance, resolved properties, connections, schedule and counters.
// It is also the processor's ProcessContext.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/flow_model.hpp"
#include "flow/clock.hpp"
#include "flow/component_properties.hpp"
#include "flow/connection.hpp"
#include "sluice/processor.hpp"

namespace sluice::internal {

struct ProcessorStats {
  std::atomic<std::uint64_t> in{0};   // FlowFiles taken from input queues and committed
  std::atomic<std::uint64_t> out{0};  // FlowFiles committed to outgoing connections
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> removed{0};  // dropped on purpose (auto-terminated or session.remove)
  std::atomic<std::uint64_t> triggers{0};
  std::atomic<std::uint64_t> errors{0};   // triggers that threw
  std::atomic<std::uint64_t> retried{0};  // FlowFiles sent back to their queue by the retry policy
};

// Exponential backoff: `base` × 2^attempt (attempt 0 waits `base`), never more than `cap`.
std::chrono::milliseconds backoff_delay(std::chrono::nanoseconds base, std::chrono::nanoseconds cap,
                                        std::uint32_t attempt);

class ProcessorNode final : public ProcessContext {
 public:
  ProcessorNode(const ProcessorModel& model, const ProcessorDefinition& definition, const Clock& clock);

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const ProcessorSpec& spec() const override { return definition_.spec; }
  [[nodiscard]] std::optional<std::string> property(std::string_view name) const override;
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> dynamic_properties() const override;
  [[nodiscard]] const Expression& expression(std::string_view name) const override;
  [[nodiscard]] ControllerService& service_base(std::string_view property_name) const override;
  [[nodiscard]] bool is_connected(std::string_view relationship) const override;
  [[nodiscard]] std::int64_t now_ms() const override { return clock_.now_ms(); }
  [[nodiscard]] std::size_t batch_size() const override { return schedule_.batch; }
  void yield() override;
  [[nodiscard]] bool output_full() const override { return any_output_full(); }
  [[nodiscard]] bool log_enabled(LogLevel level) const override;
  void log(LogLevel level, std::string_view message) const override;

  [[nodiscard]] Processor& processor() { return *processor_; }
  [[nodiscard]] const ScheduleModel& schedule() const { return schedule_; }
  [[nodiscard]] const RetryModel& retry() const { return retry_; }
  // Whether a FlowFile routed to `relationship` is retried by the engine instead of delivered.
  [[nodiscard]] bool retried(std::string_view relationship) const;
  // The attribute counting a FlowFile's retries at this processor.
  [[nodiscard]] const std::string& retry_attribute() const { return retry_attribute_; }
  [[nodiscard]] ProcessorStats& stats() { return stats_; }

  // For the test kit, before the flow starts: replaces the processor with a wrapper around it, and sees
  // every message the processor logs (all levels are then enabled).
  void wrap_processor(const std::function<std::unique_ptr<Processor>(std::unique_ptr<Processor>)>& wrap) {
    processor_ = wrap(std::move(processor_));
  }
  void observe_logs(std::function<void(LogLevel, std::string_view)> observer) {
    log_observer_ = std::move(observer);
  }

  // Wiring, done once while the flow is built.
  void bind_services(const ServiceSet& services) { properties_.bind_services(services); }
  void add_input(Connection* c) { inputs_.push_back(c); }
  void add_output(const std::string& relationship, Connection* c) { outputs_[relationship].push_back(c); }
  void add_terminated(const std::string& relationship) { terminated_.insert(relationship); }

  // The relationship of that name this processor has as configured (static or dynamic), or nullptr. The
  // string lives as long as the node: sessions keep the pointer.
  [[nodiscard]] const std::string* relationship(std::string_view name) const;

  [[nodiscard]] const std::vector<Connection*>& inputs() const { return inputs_; }
  // Connections a relationship feeds; empty and terminated() false means the relationship is unknown.
  [[nodiscard]] const std::vector<Connection*>* outputs(std::string_view relationship) const;
  [[nodiscard]] bool terminated(std::string_view relationship) const;
  [[nodiscard]] bool any_output_full() const;
  [[nodiscard]] bool has_input_ready(std::int64_t now_ms) const;

  // Scheduling state (owned by the scheduler).
  std::atomic<std::uint32_t> running{0};
  std::atomic<std::int64_t> yielded_until_ms{0};
  std::atomic<std::int64_t> next_timer_ms{0};
  std::atomic<std::int64_t> penalized_until_ms{0};     // after a trigger threw
  std::atomic<std::uint32_t> consecutive_failures{0};  // triggers that threw in a row: the backoff grows
  std::atomic<std::uint32_t> consecutive_retries{0};   // commits that only retried (policy yield)
  std::size_t input_cursor = 0;  // round-robin over inputs (touched under no lock: a hint)

 private:
  std::string id_;
  const ProcessorDefinition& definition_;
  const Clock& clock_;
  std::unique_ptr<Processor> processor_;
  ComponentProperties properties_;
  std::function<void(LogLevel, std::string_view)> log_observer_;
  ScheduleModel schedule_;
  RetryModel retry_;
  std::string retry_attribute_;
  std::vector<std::string> relationships_;  // never changed after construction
  std::vector<Connection*> inputs_;
  std::map<std::string, std::vector<Connection*>, std::less<>> outputs_;
  std::set<std::string, std::less<>> terminated_;
  ProcessorStats stats_;
};

}  // namespace sluice::internal
