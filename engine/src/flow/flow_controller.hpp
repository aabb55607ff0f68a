// A running flow: builds processors and connections from a validated FlowModel, opens the repositories,
// recovers what was queued, schedules, checkpoints, and shuts down cleanly.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/flow_model.hpp"
#include "flow/clock.hpp"
#include "flow/connection.hpp"
#include "flow/flow_runtime.hpp"
#include "flow/processor_node.hpp"
#include "flow/scheduler.hpp"
#include "flow/service_node.hpp"
#include "plugin/registry.hpp"
#include "provenance/indexer.hpp"
#include "repository/data_dir_lock.hpp"

namespace sluice::internal {

struct RecoveryReport {
  std::uint64_t flowfiles = 0;
  std::uint64_t held = 0;  // recovered into the holding area: their connection is gone from the flow
  std::map<std::string, std::uint64_t> held_by_queue;
  std::uint64_t truncated_bytes = 0;
  std::uint64_t reindexed_events = 0;  // provenance events the store had not kept, indexed again from the log
  std::chrono::milliseconds elapsed{0};
};

struct ProcessorSummary {
  std::string id;
  std::string type;
  std::uint64_t in = 0, out = 0, bytes_in = 0, bytes_out = 0, removed = 0, errors = 0;
};

class FlowController {
 public:
  FlowController(FlowModel flow, const ProcessorRegistry& registry, std::filesystem::path data_dir,
                 const Clock& clock);
  ~FlowController();
  FlowController(const FlowController&) = delete;
  FlowController& operator=(const FlowController&) = delete;

  // Opens repositories and restores every queued FlowFile. Throws on an unusable data directory.
  RecoveryReport recover();
  // Enables every controller service (in dependency order), then calls on_schedule on every processor,
  // then starts the scheduler. A service that cannot be enabled or a processor that throws in on_schedule
  // refuses to start (std::runtime_error naming it): what was already scheduled is stopped and what was
  // enabled is disabled again. Without worker threads, the caller drives the flow with
  // scheduler().run_once() (deterministic tests).
  void start(bool worker_threads = true);
  // Periodic upkeep from the owner's loop: checkpoints when the log has grown.
  void maintain();
  // Orderly shutdown: sources first, let running sessions finish, stop, disable the services, checkpoint,
  // close.
  void stop();

  // Every queue is empty, no session is open and no processor did work for `quiet`.
  [[nodiscard]] bool idle(std::chrono::milliseconds quiet) const;
  // How long no processor has done work, with nothing queued or running; nullopt while there is work.
  [[nodiscard]] std::optional<std::chrono::milliseconds> quiet_for() const;
  [[nodiscard]] std::uint64_t queued() const;
  [[nodiscard]] std::vector<ProcessorSummary> summary() const;
  void checkpoint();

  // For tests: drive the flow on the calling thread without worker threads.
  [[nodiscard]] Scheduler& scheduler() { return *scheduler_; }
  [[nodiscard]] Connection* connection(const std::string& key);
  [[nodiscard]] ProcessorNode* node(const std::string& id);
  [[nodiscard]] const ServiceSet& services() const { return services_; }
  [[nodiscard]] const StateStore& state() const { return runtime_.state; }
  [[nodiscard]] FlowRuntime& runtime() { return runtime_; }
  // The provenance indexer, or null when provenance is off.
  [[nodiscard]] provenance::Indexer* provenance() { return indexer_.get(); }
  [[nodiscard]] const std::filesystem::path& data_dir() const { return data_dir_; }
  [[nodiscard]] const FlowModel& flow() const { return flow_; }

 private:
  Connection* holding_connection(std::string_view key);

  FlowModel flow_;
  std::filesystem::path data_dir_;
  const Clock& clock_;
  std::optional<DataDirLock> lock_;  // released last, after every repository closed
  std::unique_ptr<ContentRepository> content_;
  std::unique_ptr<provenance::Indexer> indexer_;  // outlives the FlowFile repository that feeds it
  std::unique_ptr<FlowFileRepository> flowfiles_;
  FlowRuntime runtime_;
  ServiceSet services_;  // before the processors: they refer to it
  std::vector<std::unique_ptr<ProcessorNode>> nodes_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::map<std::string, Connection*, std::less<>> by_key_;
  std::vector<std::unique_ptr<Connection>> holding_;  // queues of connections the flow no longer has
  std::unique_ptr<Scheduler> scheduler_;
  bool started_ = false;
  bool stopped_ = false;
};

// "from:relationship:to": how a connection's queue is named in the FlowFile repository.
std::string connection_key(const std::string& from, const std::string& relationship, const std::string& to);

}  // namespace sluice::internal
