// Small processors for engine tests: a counting source, a pass-through, a router, a failing one, a sink.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "sluice/processor.hpp"

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
