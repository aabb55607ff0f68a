// What a component knows of the world: its resolved properties (plain, typed, or compiled expressions), the
// controller services it references, a logger and the engine's clock. ProcessContext adds what only a
// processor has: its relationships, its batch size, and a way to yield.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/expression.hpp"
#include "sluice/spec.hpp"

namespace sluice {

enum class LogLevel : std::uint8_t { kTrace, kDebug, kInfo, kWarn, kError };

class ControllerService;

// Thrown by a component for an error it can explain (bad configuration, unreachable resource).
class ProcessorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ComponentContext {
 public:
  virtual ~ComponentContext() = default;

  // The id the flow gives this processor or service.
  [[nodiscard]] virtual const std::string& id() const = 0;

  // The configured value, else the spec default; values were validated against the spec before scheduling.
  // Secrets written as `${env:NAME}` or `${file:PATH}` are resolved here and never logged.
  [[nodiscard]] virtual std::optional<std::string> property(std::string_view name) const = 0;
  // Properties not declared in the spec (for components that accept dynamic properties), in flow order.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> dynamic_properties() const = 0;

  [[nodiscard]] std::string string_property(std::string_view name) const;
  [[nodiscard]] std::int64_t int_property(std::string_view name) const;
  [[nodiscard]] bool bool_property(std::string_view name) const;
  [[nodiscard]] std::uint64_t size_property(std::string_view name) const;
  [[nodiscard]] std::chrono::nanoseconds duration_property(std::string_view name) const;

  // A property of kind kExpression, or a dynamic property, compiled when the component was loaded; evaluate
  // it per FlowFile. Any other name (or an unset property without a default) gives the empty literal.
  [[nodiscard]] virtual const Expression& expression(std::string_view name) const = 0;
  // The environment for evaluating expressions now (the engine's clock).
  [[nodiscard]] EvaluationEnvironment environment() const { return EvaluationEnvironment{now_ms()}; }

  // The enabled controller service a kService property names, as the interface T. Throws ProcessorError
  // when the property is unset or the service does not implement T.
  template <typename T>
  [[nodiscard]] T& service(std::string_view property_name) const {
    ControllerService& s = service_base(property_name);
    auto* typed = dynamic_cast<T*>(&s);
    if (typed == nullptr) throw ProcessorError(service_type_error(property_name));
    return *typed;
  }
  [[nodiscard]] virtual ControllerService& service_base(std::string_view property_name) const = 0;

  // Milliseconds since the epoch from the engine's clock (injectable in tests).
  [[nodiscard]] virtual std::int64_t now_ms() const = 0;

  // Whether a message at this level would be written: skip formatting one that would not.
  [[nodiscard]] virtual bool log_enabled(LogLevel level) const = 0;
  virtual void log(LogLevel level, std::string_view message) const = 0;

 private:
  [[nodiscard]] std::string service_type_error(std::string_view property_name) const;
};

class ProcessContext : public ComponentContext {
 public:
  [[nodiscard]] const std::string& processor_id() const { return id(); }
  [[nodiscard]] virtual const ProcessorSpec& spec() const = 0;

  // Relationships this processor has that are connected downstream (not auto-terminated).
  [[nodiscard]] virtual bool is_connected(std::string_view relationship) const = 0;

  // How many FlowFiles one trigger may take (the schedule's `batch`); session.get(n) never returns more.
  [[nodiscard]] virtual std::size_t batch_size() const = 0;

  // Do not trigger this processor again until its yield duration has passed (nothing to do for now).
  virtual void yield() = 0;

  // True while a connection this processor feeds is at its back-pressure threshold. The engine does not
  // trigger the processor then; a processor that accepts work on its own threads (a listener) asks this to
  // refuse new work ("busy", HTTP 503) instead of buffering it without bound. Safe from any thread while
  // the processor is scheduled.
  [[nodiscard]] virtual bool output_full() const = 0;
};

}  // namespace sluice
