// Small processors for engine tests: a counting source, a pass-through, a router, a failing one, a sink.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/processor.hpp"
#include "sluice/service.hpp"

namespace sluice::testing {

// Emits `count` FlowFiles per trigger (property, default 1) with attribute n=<sequence> and content "ff-<n>".
class EmitProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto per_trigger = context.int_property("count");
    for (std::int64_t i = 0; i < per_trigger; ++i) {
      FlowFile ff = session.create();
      const std::string n = std::to_string(next_++);
      session.put_attribute(ff, "n", n);
      session.write(ff, [&](OutputStream& out) { out.write("ff-" + n); });
      session.transfer(ff, "success");
    }
  }
  std::int64_t next_ = 0;
};

class PassProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& /*context*/, ProcessSession& session) override {
    for (FlowFile& ff : session.get(100)) session.transfer(ff, "success");
  }
};

// Sends FlowFiles whose `n` is even to `even`, the rest to `odd`.
class SplitParityProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& /*context*/, ProcessSession& session) override {
    for (FlowFile& ff : session.get(100)) {
      const auto n = std::stoll(ff.attribute("n")->str());
      session.transfer(ff, n % 2 == 0 ? "even" : "odd");
    }
  }
};

// Takes input, then throws: its session must roll back.
class ThrowProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& /*context*/, ProcessSession& session) override {
    FlowFile ff = session.get();
    if (!ff) return;
    session.put_attribute(ff, "touched", "yes");
    throw ProcessorError("boom");
  }
};

// Takes one FlowFile and leaves it without a destination: commit must refuse.
class ForgetProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& /*context*/, ProcessSession& session) override { session.get(); }
};

// Counts the FlowFiles it took in its durable state ("count"); with property fail=true it sets the state,
// then throws, so that its session (and the state change) must roll back.
class CountStateProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    auto batch = session.get(100);
    if (batch.empty()) return;
    const auto before = session.get_state("count");
    const std::int64_t count = before ? std::stoll(*before) : 0;
    session.set_state("count", std::to_string(count + static_cast<std::int64_t>(batch.size())));
    session.set_state("temporary", "x");
    session.remove_state("temporary");
    if (context.bool_property("fail")) throw ProcessorError("boom");
    for (FlowFile& ff : batch) session.transfer(ff, "success");
  }
};

// What the Greeter services and the Greet processor did, in order ("enable:<id>", "schedule:<id>", …).
class LifecycleLog {
 public:
  static void add(std::string event) {
    const std::lock_guard lock(mutex());
    events().push_back(std::move(event));
  }
  static std::vector<std::string> take() {
    const std::lock_guard lock(mutex());
    return std::exchange(events(), {});
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::vector<std::string>& events() {
    static std::vector<std::string> e;
    return e;
  }
};

// The interface the Greeter service provides ("Greeter").
class Greeter : public ControllerService {
 public:
  [[nodiscard]] virtual std::string greet(std::string_view name) const = 0;
};

// Greets with its `greeting` property; with `inner` (another Greeter) it wraps that one's greeting. With
// fail=true its on_enable throws.
class GreeterService final : public Greeter {
 public:
  void on_enable(ServiceContext& context) override {
    if (context.bool_property("fail")) throw ProcessorError("cannot reach the greeting server");
    greeting_ = context.string_property("greeting");
    if (context.property("inner")) inner_ = &context.service<Greeter>("inner");
    LifecycleLog::add("enable:" + context.id() +
                      (inner_ != nullptr ? " using " + inner_->greet("inner") : ""));
    id_ = context.id();
  }
  void on_disable() override { LifecycleLog::add("disable:" + id_); }
  [[nodiscard]] std::string greet(std::string_view name) const override {
    const std::string own = greeting_ + ", " + std::string(name);
    return inner_ != nullptr ? "(" + inner_->greet(own) + ")" : own;
  }

 private:
  std::string id_;
  std::string greeting_;
  const Greeter* inner_ = nullptr;
};

// Sets attribute `greeting` of each FlowFile to the greeting of its `greeter` service for its `name`
// attribute. With fail_schedule=true its on_schedule throws.
class GreetProcessor final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    if (context.bool_property("fail_schedule")) throw ProcessorError("not today");
    greeter_ = &context.service<Greeter>("greeter");
    LifecycleLog::add("schedule:" + context.id());
  }
  void on_trigger(ProcessContext& /*context*/, ProcessSession& session) override {
    for (FlowFile& ff : session.get(100)) {
      const auto name = ff.attribute("name");
      session.put_attribute(ff, "greeting", greeter_->greet(name ? name->view() : "nobody"));
      session.transfer(ff, "success");
    }
  }
  void on_stop(ProcessContext& context) override { LifecycleLog::add("stop:" + context.id()); }

 private:
  const Greeter* greeter_ = nullptr;
};

ServiceDefinition greeter_service_definition();
ProcessorDefinition greet_definition();

// Routes every FlowFile to the relationship named by property `to` (success, retry or failure), after
// marking it with attribute touched=yes (a retried FlowFile must come back without it).
class RouteToProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const std::string to = context.string_property("to");
    for (FlowFile& ff : session.get(100)) {
      session.put_attribute(ff, "touched", "yes");
      session.transfer(ff, to);
    }
  }
};

ProcessorDefinition emit_definition();
ProcessorDefinition route_to_definition();
ProcessorDefinition count_state_definition();
ProcessorDefinition pass_definition();
ProcessorDefinition split_parity_definition();
ProcessorDefinition throw_definition();
ProcessorDefinition forget_definition();

}  // namespace sluice::testing
