// A parsed flow, as written in YAML, with the source position of every part so that any later check can
// report FILE:LINE:COL. Parsing fills it; validation checks it against the registry; the engine builds
// from a valid one.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
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
  std::uint32_t batch = 1000;  // FlowFiles one trigger may take
  std::chrono::nanoseconds penalty = std::chrono::seconds(30);
  std::chrono::nanoseconds yield = std::chrono::seconds(1);
  SourcePos pos;
};

struct ProcessorModel {
  Located id;
  Located type;
  std::map<std::string, Located> properties;  // key -> value (value.pos is the value's position)
  std::map<std::string, SourcePos> property_key_pos;
  ScheduleModel schedule;
  std::vector<Located> terminate;  // auto-terminated relationships
  SourcePos pos;
};

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
  std::vector<ConnectionModel> connections;

  [[nodiscard]] const ProcessorModel* find_processor(std::string_view id) const {
    for (const auto& p : processors) {
      if (p.id.value == id) return &p;
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
