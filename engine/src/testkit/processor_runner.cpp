// The test kit's runner: a three-part flow around the processor under test, built from the same model,
// validator and controller as a real flow. `_input` (never triggered) feeds it through a committed session;
// each of its relationships goes to a `_out_<name>` capture queue that take() drains.
#include <algorithm>
#include <limits>
#include <stdexcept>

#include "config/flow_model.hpp"
#include "config/flow_validator.hpp"
#include "config/relationships.hpp"
#include "flow/clock.hpp"
#include "flow/flow_controller.hpp"
#include "flow/process_session.hpp"
#include "plugin/registry.hpp"
#include "sluice/testkit.hpp"
#include "testkit/fault_injection.hpp"

namespace sluice::testkit {

namespace {

constexpr const char* kUnderTest = "under_test";
constexpr const char* kInput = "_input";

class InertProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& /*context*/, ProcessSession& /*session*/) override {}
};

const ProcessorDefinition& input_definition() {
  static const ProcessorDefinition kDefinition{
      [] {
        ProcessorSpec s;
        s.type = "TestKitInput";
        s.input = InputRequirement::kForbidden;
        s.relationships = {{"success", "FlowFiles enqueued by the test"}};
        return s;
      }(),
      [] { return std::unique_ptr<Processor>(new InertProcessor()); }};
  return kDefinition;
}

const ProcessorDefinition& capture_definition() {
  static const ProcessorDefinition kDefinition{
      [] {
        ProcessorSpec s;
        s.type = "TestKitCapture";
        s.input = InputRequirement::kRequired;
        return s;
      }(),
      [] { return std::unique_ptr<Processor>(new InertProcessor()); }};
  return kDefinition;
}

std::string capture_id(std::string_view relationship) {
  return "_out_" + std::string(relationship);
}

}  // namespace

std::string OutputFlowFile::attribute(std::string_view name) const {
  auto it = attributes.find(name);
  return it == attributes.end() ? std::string() : it->second;
}

struct ProcessorRunner::Impl {
  explicit Impl(const ProcessorDefinition& d) : definition(d) {}

  const ProcessorDefinition& definition;
  internal::FlowModel model;
  internal::ProcessorRegistry registry;
  internal::ManualClock clock;
  std::filesystem::path data_dir;
  std::unique_ptr<internal::FlowController> controller;
  SessionFaults faults;
  std::vector<LogEntry> logs;
  bool started = false;
  bool stopped = false;

  void build_model(std::size_t batch) {
    model.name.value = "testkit";
    model.file = "testkit";
    model.settings.memory_repositories = data_dir.empty();
    internal::ProcessorModel input;
    input.id.value = kInput;
    input.type.value = input_definition().spec.type;
    internal::ProcessorModel under_test;
    under_test.id.value = kUnderTest;
    under_test.type.value = definition.spec.type;
    under_test.schedule.batch = static_cast<std::uint32_t>(batch);
    model.processors = {under_test};
    // A source (input forbidden) gets no input queue: a flow could not give it one either.
    const bool takes_input = definition.spec.input != InputRequirement::kForbidden;
    if (takes_input) {
      model.processors.push_back(input);
      connect(model, kInput, "success", kUnderTest);
    }
  }

  static void connect(internal::FlowModel& flow, const std::string& from, const std::string& relationship,
                      const std::string& to) {
    internal::ConnectionModel c;
    c.from.value = from;
    c.relationships.push_back({relationship, {}});
    c.to.value = to;
    c.back_pressure_objects = std::numeric_limits<std::uint64_t>::max();
    c.back_pressure_bytes = std::numeric_limits<std::uint64_t>::max();
    flow.connections.push_back(std::move(c));
  }

  // The relationships the processor has as configured (dynamic ones follow its properties).
  [[nodiscard]] std::vector<std::string> relationships() const {
    return internal::relationship_names(model.processors[0], definition.spec);
  }

  // The model with a capture queue on each relationship: built when the configuration is complete.
  [[nodiscard]] internal::FlowModel with_captures() const {
    internal::FlowModel flow = model;
    for (const auto& r : relationships()) {
      internal::ProcessorModel capture;
      capture.id.value = capture_id(r);
      capture.type.value = capture_definition().spec.type;
      flow.processors.push_back(std::move(capture));
      connect(flow, kUnderTest, r, capture_id(r));
    }
    return flow;
  }

  internal::ProcessorModel& under_test() { return model.processors[0]; }

  void ensure_registry() {
    if (registry.find(definition.spec.type) != nullptr) return;
    registry.add(&definition, "test");
    registry.add(&input_definition(), "testkit");
    registry.add(&capture_definition(), "testkit");
  }

  [[nodiscard]] std::vector<std::string> problems() {
    ensure_registry();
    std::vector<std::string> out;
    for (const auto& d : internal::validate_flow(with_captures(), registry)) out.push_back(d.message);
    return out;
  }

  internal::FlowController& built() {
    if (controller) return *controller;
    const auto issues = problems();
    if (!issues.empty()) {
      std::string message = "invalid processor configuration:";
      for (const auto& issue : issues) message += "\n  " + issue;
      throw std::invalid_argument(message);
    }
    internal::FlowModel flow = with_captures();
    internal::resolve_schedule_defaults(flow, registry);
    controller = std::make_unique<internal::FlowController>(std::move(flow), registry, data_dir, clock);
    internal::ProcessorNode& node = *controller->node(kUnderTest);
    node.observe_logs([this](LogLevel level, std::string_view message) {
      logs.push_back(LogEntry{level, std::string(message)});
    });
    if (faults.any()) {
      node.wrap_processor(
          [this](std::unique_ptr<Processor> inner) { return with_faults(std::move(inner), faults); });
    }
    controller->recover();
    return *controller;
  }

  internal::FlowController& running() {
    internal::FlowController& fc = built();
    if (!started) {
      started = true;
      fc.start(/*worker_threads=*/false);
    }
    return fc;
  }

  [[nodiscard]] internal::Connection* output(std::string_view relationship) const {
    if (!controller) return nullptr;
    return controller->connection(
        internal::connection_key(kUnderTest, std::string(relationship), capture_id(relationship)));
  }
};

ProcessorRunner::ProcessorRunner(const ProcessorDefinition& definition)
    : impl_(std::make_unique<Impl>(definition)) {
  impl_->build_model(1000);
}

ProcessorRunner::~ProcessorRunner() {
  try {
    stop();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; stop() already reported
  }
}

ProcessorRunner& ProcessorRunner::set_property(std::string_view name, std::string_view value) {
  if (impl_->controller) throw std::logic_error("set_property after the runner started");
  auto& p = impl_->under_test();
  p.properties[std::string(name)].value = std::string(value);
  return *this;
}

ProcessorRunner& ProcessorRunner::set_batch(std::size_t batch) {
  if (impl_->controller) throw std::logic_error("set_batch after the runner started");
  impl_->under_test().schedule.batch = static_cast<std::uint32_t>(batch);
  return *this;
}

ProcessorRunner& ProcessorRunner::use_data_dir(const std::filesystem::path& dir) {
  if (impl_->controller) throw std::logic_error("use_data_dir after the runner started");
  impl_->data_dir = dir;
  impl_->model.settings.memory_repositories = false;
  return *this;
}

ProcessorRunner& ProcessorRunner::add_service(std::string_view id, const ServiceDefinition& definition,
                                              const std::map<std::string, std::string>& properties) {
  if (impl_->controller) throw std::logic_error("add_service after the runner started");
  if (impl_->model.find_service(id) != nullptr) {
    throw std::invalid_argument("add_service: a service with id '" + std::string(id) + "' was added before");
  }
  const ServiceDefinition* registered = impl_->registry.find_service(definition.spec.type);
  if (registered == nullptr) {
    impl_->registry.add_service(&definition, "test");
  } else if (registered != &definition) {
    throw std::invalid_argument("add_service: another definition of service type '" + definition.spec.type +
                                "' was added before");
  }
  internal::ServiceModel service;
  service.id.value = std::string(id);
  service.type.value = definition.spec.type;
  for (const auto& [name, value] : properties) service.properties[name].value = value;
  impl_->model.services.push_back(std::move(service));
  return *this;
}

ProcessorRunner& ProcessorRunner::before_commit(std::function<void()> hook) {
  if (impl_->controller) throw std::logic_error("before_commit after the runner started");
  impl_->faults.before_commit = std::move(hook);
  return *this;
}

ProcessorRunner& ProcessorRunner::before_import(std::function<void(const std::filesystem::path&)> hook) {
  if (impl_->controller) throw std::logic_error("before_import after the runner started");
  impl_->faults.before_import = std::move(hook);
  return *this;
}

ProcessorRunner& ProcessorRunner::after_export(std::function<void(const std::filesystem::path&)> hook) {
  if (impl_->controller) throw std::logic_error("after_export after the runner started");
  impl_->faults.after_export = std::move(hook);
  return *this;
}

std::vector<std::string> ProcessorRunner::validate() const {
  return impl_->problems();
}

void ProcessorRunner::enqueue(std::string_view content,
                              const std::map<std::string, std::string>& attributes) {
  if (impl_->definition.spec.input == InputRequirement::kForbidden) {
    throw std::logic_error("enqueue: '" + impl_->definition.spec.type + "' is a source and takes no input");
  }
  internal::FlowController& fc = impl_->built();
  internal::ProcessSessionImpl session(*fc.node(kInput), fc.runtime());
  FlowFile ff = session.create();
  if (!content.empty()) session.write(ff, [&](OutputStream& out) { out.write(content); });
  for (const auto& [name, value] : attributes) session.put_attribute(ff, name, value);
  session.transfer(ff, "success");
  session.commit();
}

TriggerResult ProcessorRunner::run(int times) {
  internal::FlowController& fc = impl_->running();
  TriggerResult result;
  for (int i = 0; i < times; ++i) {
    result = TriggerResult{};
    if (auto error = fc.scheduler().trigger_now(*fc.node(kUnderTest))) {
      result.rolled_back = true;
      result.error = *error;
    }
  }
  return result;
}

int ProcessorRunner::run_until_empty(int max_triggers) {
  internal::FlowController& fc = impl_->running();
  internal::ProcessorNode& node = *fc.node(kUnderTest);
  int n = 0;
  while (n < max_triggers && node.has_input_ready(impl_->clock.now_ms())) {
    fc.scheduler().trigger_now(node);
    ++n;
  }
  return n;
}

void ProcessorRunner::stop() {
  if (impl_->stopped || !impl_->controller) return;
  impl_->stopped = true;
  impl_->controller->stop();
}

std::vector<OutputFlowFile> ProcessorRunner::take(std::string_view relationship) {
  internal::Connection* queue = impl_->output(relationship);
  if (queue == nullptr) {
    const auto names = impl_->relationships();
    if (std::find(names.begin(), names.end(), relationship) == names.end()) {
      throw std::invalid_argument("take: '" + impl_->definition.spec.type + "' has no relationship '" +
                                  std::string(relationship) + "'");
    }
    return {};
  }
  internal::FlowRuntime& runtime = impl_->controller->runtime();
  std::vector<internal::FlowFileRecord> records;
  std::vector<internal::FlowFileRecord> expired;
  std::map<std::uint64_t, std::int64_t> penalties;  // a poll releases penalized FlowFiles: keep their penalty
  {
    std::shared_lock gate(runtime.commit_gate);
    for (const auto& r : queue->snapshot().head) {
      if (r.penalty_until_ms > 0) penalties.emplace(r.id, r.penalty_until_ms);
    }
    queue->poll(std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::int64_t>::max(), records,
                expired);
  }
  // Oldest first: the id is the engine's FIFO order (released penalized FlowFiles would come first).
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (auto& r : records) {
    if (auto it = penalties.find(r.id); it != penalties.end()) r.penalty_until_ms = it->second;
  }
  std::vector<OutputFlowFile> out;
  out.reserve(records.size());
  std::vector<internal::RepositoryChange> removals;
  for (auto& r : records) {
    OutputFlowFile o;
    const FlowFile ff(&r);
    o.uuid = ff.uuid();
    o.penalty_until_ms = r.penalty_until_ms;
    ff.for_each_attribute([&](std::string_view k, std::string_view v) { o.attributes.emplace(k, v); });
    if (!r.content.empty()) o.content = std::string(runtime.content->open(r.content)->view());
    out.push_back(std::move(o));
    removals.push_back({internal::RepositoryChange::Kind::kRemove, nullptr, r.id, {}});
  }
  // They leave the flow: durably, as an auto-terminated relationship would drop them.
  if (!removals.empty()) {
    std::shared_lock gate(runtime.commit_gate);
    runtime.flowfiles->commit(removals, {});
    for (auto& r : records) runtime.content->decrement(r.content);
  }
  return out;
}

std::size_t ProcessorRunner::count(std::string_view relationship) const {
  const internal::Connection* queue = impl_->output(relationship);
  return queue == nullptr ? 0 : static_cast<std::size_t>(queue->count());
}

std::size_t ProcessorRunner::queued() const {
  if (!impl_->controller) return 0;
  const internal::Connection* queue =
      impl_->controller->connection(internal::connection_key(kInput, "success", kUnderTest));
  return queue == nullptr ? 0 : static_cast<std::size_t>(queue->count());
}

std::optional<std::string> ProcessorRunner::state(std::string_view key) const {
  if (!impl_->controller) return std::nullopt;
  return impl_->controller->state().get(kUnderTest, key);
}

bool ProcessorRunner::yielded() const {
  if (!impl_->controller) return false;
  return impl_->controller->node(kUnderTest)->yielded_until_ms.load() > impl_->clock.now_ms();
}

const std::vector<LogEntry>& ProcessorRunner::logs() const {
  return impl_->logs;
}

std::int64_t ProcessorRunner::now_ms() const {
  return impl_->clock.now_ms();
}

void ProcessorRunner::advance(std::chrono::milliseconds by) {
  impl_->clock.advance(by);
}

void ProcessorRunner::set_now(std::int64_t epoch_ms) {
  impl_->clock.set(epoch_ms);
}

}  // namespace sluice::testkit
