// What a processor knows of the world: its resolved properties, a logger, a clock, and a way to yield.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/spec.hpp"

namespace sluice {

enum class LogLevel : std::uint8_t { kTrace, kDebug, kInfo, kWarn, kError };

class ProcessContext {
 public:
  virtual ~ProcessContext() = default;

  [[nodiscard]] virtual const std::string& processor_id() const = 0;
  [[nodiscard]] virtual const ProcessorSpec& spec() const = 0;

  // The configured value, else the spec default; values were validated against the spec before scheduling.
  [[nodiscard]] virtual std::optional<std::string> property(std::string_view name) const = 0;
  // Properties not declared in the spec (for processors that accept dynamic properties).
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> dynamic_properties() const = 0;

  [[nodiscard]] std::string string_property(std::string_view name) const;
  [[nodiscard]] std::int64_t int_property(std::string_view name) const;
  [[nodiscard]] bool bool_property(std::string_view name) const;
  [[nodiscard]] std::uint64_t size_property(std::string_view name) const;
  [[nodiscard]] std::chrono::nanoseconds duration_property(std::string_view name) const;

  // Relationships this processor has that are connected downstream (not auto-terminated).
  [[nodiscard]] virtual bool is_connected(std::string_view relationship) const = 0;

  // Milliseconds since the epoch from the engine's clock (injectable in tests).
  [[nodiscard]] virtual std::int64_t now_ms() const = 0;

  // How many FlowFiles one trigger may take (the schedule's `batch`); session.get(n) never returns more.
  [[nodiscard]] virtual std::size_t batch_size() const = 0;

  // Do not trigger this processor again until its yield duration has passed (nothing to do for now).
  virtual void yield() = 0;

  // Whether a message at this level would be written: skip formatting one that would not.
  [[nodiscard]] virtual bool log_enabled(LogLevel level) const = 0;
  virtual void log(LogLevel level, std::string_view message) const = 0;
};

}  // namespace sluice
