// Runs processors on a pool of threads. A processor is triggered when it is due (event: input is visible;
// timer: its period has passed; cron: its next firing time has come), is not yielded or penalized, has a
// free concurrency slot, and none of its outgoing connections is full (back pressure).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "flow/cron.hpp"
#include "flow/flow_runtime.hpp"
#include "flow/processor_node.hpp"

namespace sluice::internal {

class Scheduler {
 public:
  Scheduler(std::vector<ProcessorNode*> nodes, FlowRuntime& runtime, std::size_t threads);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();
  // Sources (processors without inputs) are not triggered any more; the rest keep draining.
  void stop_sources() { sources_stopped_ = true; }
  // Stops triggering and waits for running triggers to finish.
  void stop();
  void wake();

  [[nodiscard]] std::size_t running_triggers() const { return active_.load(); }
  // Runs one due processor on the calling thread; false if none was due. For deterministic tests.
  bool run_once();
  // Triggers `node` once on the calling thread whether or not it is due (the test kit drives one
  // processor this way). Returns the error when the trigger threw and its session was rolled back.
  std::optional<std::string> trigger_now(ProcessorNode& node);

 private:
  void worker();
  ProcessorNode* pick(std::int64_t now_ms, std::int64_t& next_due_ms);
  // Returns the error message when the trigger threw (its session rolled back).
  std::optional<std::string> trigger(ProcessorNode& node);
  bool due(ProcessorNode& node, std::int64_t now_ms, std::int64_t& next_due_ms);

  std::vector<ProcessorNode*> nodes_;
  std::vector<std::optional<CronSchedule>> cron_;
  FlowRuntime& runtime_;
  std::size_t thread_count_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t wake_generation_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<bool> sources_stopped_{false};
  std::atomic<std::size_t> active_{0};
  std::atomic<std::size_t> cursor_{0};
};

}  // namespace sluice::internal
