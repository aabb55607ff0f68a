// The test kit for plugin authors: run one processor inside the real engine (real sessions, connections and
// repositories; in memory unless a data directory is given) with an injected clock, feed it FlowFiles and
// check what came out on each relationship.
//
//   sluice::testkit::ProcessorRunner runner(my_processor_definition());
//   runner.set_property("pattern", "^M\\d+$");
//   runner.enqueue("M0000001,12.5", {{"filename", "a.csv"}});
//   runner.run();
//   auto out = runner.take("matched");
//   EXPECT_EQ(out.at(0).attribute("filename"), "a.csv");
//
// The processor's configuration is validated exactly as `sluice validate` would validate it in a flow;
// run() refuses an invalid one (std::invalid_argument listing the problems).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/processor.hpp"
#include "sluice/service.hpp"

namespace sluice::testkit {

// A FlowFile that came out of the processor, copied out of the engine.
struct OutputFlowFile {
  std::string uuid;
  std::string content;
  std::map<std::string, std::string, std::less<>> attributes;  // stored and core attributes
  std::int64_t penalty_until_ms = 0;                           // 0 when not penalized

  // The attribute's value, or "" when absent (use attributes.contains() to tell the two apart).
  [[nodiscard]] std::string attribute(std::string_view name) const;
};

// A message the processor logged through its context (it also goes to the engine's log).
struct LogEntry {
  LogLevel level = LogLevel::kInfo;
  std::string message;
};

// What one trigger did: whether the processor threw (its session was rolled back), and the message.
struct TriggerResult {
  bool rolled_back = false;
  std::string error;
};

class ProcessorRunner {
 public:
  // `definition` must outlive the runner (plugins return function-local statics).
  explicit ProcessorRunner(const ProcessorDefinition& definition);
  ~ProcessorRunner();
  ProcessorRunner(const ProcessorRunner&) = delete;
  ProcessorRunner& operator=(const ProcessorRunner&) = delete;

  // Configuration: before the first enqueue() or run().
  ProcessorRunner& set_property(std::string_view name, std::string_view value);
  // The schedule's `batch`: how many FlowFiles one trigger may take.
  ProcessorRunner& set_batch(std::size_t batch);
  // Durable repositories under `dir` instead of memory: a second runner on the same directory recovers
  // the queues and the processor's state, as the engine does after a restart.
  ProcessorRunner& use_data_dir(const std::filesystem::path& dir);
  // A controller service the processor's kService properties may name by `id` (definition must outlive the
  // runner). Its properties are validated like the processor's; the runner enables every service (services
  // a service names first) before on_schedule and disables them at stop(), as the engine does.
  ProcessorRunner& add_service(std::string_view id, const ServiceDefinition& definition,
                               const std::map<std::string, std::string>& properties = {});

  // Fault injection, to test that the processor loses nothing when the engine or the file system fails
  // under it (before the first enqueue() or run()). Each hook runs around a real session operation;
  // throwing from it makes that operation fail with the exception, exactly as a real failure would.
  // Before every commit that has something to make durable: the processor's own, and the one the engine
  // makes when on_trigger returns.
  ProcessorRunner& before_commit(std::function<void()> hook);
  // Before import_from reads `source` (delete the file to test a vanished source; throw "device not ready").
  ProcessorRunner& before_import(std::function<void(const std::filesystem::path& source)> hook);
  // After export_to wrote `destination` (throw "device full" to fail it half-way).
  ProcessorRunner& after_export(std::function<void(const std::filesystem::path& destination)> hook);

  // What `sluice validate` would say of this configuration, one message per problem; empty when valid.
  [[nodiscard]] std::vector<std::string> validate() const;

  // Queues a FlowFile for the processor (committed through a real session, like any upstream processor's).
  void enqueue(std::string_view content, const std::map<std::string, std::string>& attributes = {});
  // On first use enables the services and schedules the processor (std::runtime_error naming the service
  // that could not be enabled or the processor whose on_schedule threw), then triggers it `times` times.
  // Returns what the last trigger did.
  TriggerResult run(int times = 1);
  // Triggers while the processor has visible input, at most `max_triggers` times; returns the count.
  int run_until_empty(int max_triggers = 10'000);
  // Calls on_stop (also done by the destructor).
  void stop();

  // Removes and returns what is queued on `relationship`, oldest first (the engine's FIFO order); penalized
  // FlowFiles are included, with their penalty.
  std::vector<OutputFlowFile> take(std::string_view relationship);
  [[nodiscard]] std::size_t count(std::string_view relationship) const;
  // FlowFiles still waiting in the processor's input queue.
  [[nodiscard]] std::size_t queued() const;
  // The processor's committed durable state.
  [[nodiscard]] std::optional<std::string> state(std::string_view key) const;
  // True while the processor has yielded (ProcessContext::yield) and would not be triggered by the engine.
  [[nodiscard]] bool yielded() const;
  // Every message the processor logged so far, at any level, oldest first.
  [[nodiscard]] const std::vector<LogEntry>& logs() const;

  // The injected clock: starts at 2023-11-14T22:13:20Z and moves only when told to.
  [[nodiscard]] std::int64_t now_ms() const;
  void advance(std::chrono::milliseconds by);
  void set_now(std::int64_t epoch_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::testkit
