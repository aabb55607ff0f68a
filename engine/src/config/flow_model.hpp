// A parsed flow, as written in YAML, with the source position of every part so that any later check can
// report FILE:LINE:COL. Parsing fills it; validation checks it against the registry; the engine builds
// from a valid one.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::internal {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based
};

struct Located {
  std::string value;
  SourcePos pos;
};

enum class ScheduleStrategy : std::uint8_t { kEvent, kTimer, kCron };

struct ScheduleModel {
  ScheduleStrategy strategy = ScheduleStrategy::kEvent;  // default: timer for processors without input
  bool strategy_given = false;
  std::chrono::nanoseconds period{0};  // timer
  std::string cron;                    // cron: "sec min hour dom mon dow" (Quartz-like, 6 fields)
  std::uint32_t concurrency = 1;
  SourcePos concurrency_pos;   // where `concurrency` was written, when it was
  std::uint32_t batch = 1000;  // FlowFiles one trigger may take
  std::chrono::nanoseconds penalty = std::chrono::seconds(30);
  std::chrono::nanoseconds yield = std::chrono::seconds(1);
  SourcePos pos;
};

// The engine's retry policy for a processor (Fluent Bit style: the processor reports an outcome by routing
// to a relationship; the engine owns what happens next). A FlowFile the processor routes to a retried
// relationship goes back, unchanged, to the queue it came from with exponential backoff, until it succeeds
// or `max_attempts` is reached (then it really goes to that relationship).
enum class RetryPolicy : std::uint8_t {
  kPenalize,  // the FlowFile is invisible for the backoff; others keep flowing (a bad record, a busy key)
  kYield,     // the processor is not triggered for the backoff (the endpoint is down: stop knocking)
};

struct RetryModel {
  std::vector<Located> relationships;
  std::uint32_t max_attempts = 0;  // 0: until it succeeds (nothing is dropped)
  std::chrono::nanoseconds backoff = std::chrono::seconds(1);
  std::chrono::nanoseconds max_backoff = std::chrono::minutes(10);
  RetryPolicy policy = RetryPolicy::kPenalize;
  SourcePos pos;
};

// What processors and controller services have in common: an id, a type and properties.
struct ComponentModel {
  Located id;
  Located type;
  std::map<std::string, Located> properties;  // key -> value (value.pos is the value's position)
  std::map<std::string, SourcePos> property_key_pos;
  // A property's scalar as written, when its characters do not sit where the value's do (quoted, block or
  // multi-line scalars), so that a position inside the value can be found (scalar_position.hpp).
  std::map<std::string, std::string> property_source;
  SourcePos pos;
};

struct ProcessorModel : ComponentModel {
  ScheduleModel schedule;
  std::vector<Located> terminate;  // auto-terminated relationships
  RetryModel retry;
};

// A controller service declared under `services:`.
struct ServiceModel : ComponentModel {};

enum class Prioritizer : std::uint8_t { kFifo, kOldestFirst, kNewestFirst, kPriorityAttribute };

struct ConnectionModel {
  Located from;
  std::vector<Located> relationships;
  Located to;
  std::uint64_t back_pressure_objects = 10'000;
  std::uint64_t back_pressure_bytes = 1ULL << 30;
  std::chrono::nanoseconds expiration{0};  // 0 = never
  Prioritizer prioritizer = Prioritizer::kFifo;
  std::string priority_attribute = "priority";
  std::uint64_t swap_threshold = 20'000;
  SourcePos pos;
};

enum class DurabilityMode : std::uint8_t { kFsync, kBatch, kNone };

// settings.provenance: what the provenance repository keeps (docs/provenance.md).
struct ProvenanceSettingsModel {
  std::optional<bool> enabled;  // default: on with disk repositories, off with memory ones
  std::chrono::seconds max_age{24 * 3600};
  std::uint64_t max_size = 4ULL << 30;
  std::vector<std::string> indexed_attributes{"filename"};
};

struct SettingsModel {
  DurabilityMode durability = DurabilityMode::kFsync;
  std::chrono::milliseconds batch_interval{100};
  std::uint32_t threads = 0;         // 0 = one per core
  bool memory_repositories = false;  // `repositories: memory` for throw-away runs
  std::uint64_t content_archive_bytes = 1ULL << 30;
  std::chrono::seconds content_archive_age{12 * 3600};
  std::uint64_t checkpoint_log_bytes = 256ULL << 20;
  ProvenanceSettingsModel provenance;
  SourcePos pos;
};

struct FlowModel {
  Located name;
  std::string file;
  SettingsModel settings;
  std::vector<ProcessorModel> processors;  // in file order
  std::vector<ServiceModel> services;      // in file order
  std::vector<ConnectionModel> connections;

  [[nodiscard]] const ProcessorModel* find_processor(std::string_view id) const {
    for (const auto& p : processors) {
      if (p.id.value == id) return &p;
    }
    return nullptr;
  }
  [[nodiscard]] const ServiceModel* find_service(std::string_view id) const {
    for (const auto& s : services) {
      if (s.id.value == id) return &s;
    }
    return nullptr;
  }
};

// A problem found while parsing or validating, reported as FILE:LINE:COL: message.
struct Diagnostic {
  SourcePos pos;
  std::string message;
  [[nodiscard]] std::string str() const;
};

}  // namespace sluice::internal
