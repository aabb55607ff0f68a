// A processor whose trigger is a lambda the test sets: for tests of session behaviour that need a specific
// sequence of session calls. Relationships: success, original, failure; input allowed, not required.
#pragma once

#include <functional>
#include <memory>

#include "sluice/processor.hpp"

namespace sluice::testing {

using Script = std::function<void(ProcessContext&, ProcessSession&)>;

// The script every Scripted processor runs (tests run one at a time; reset it in TearDown).
inline Script& script() {
  static Script s;
  return s;
}

class ScriptedProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override { script()(context, session); }
};

// Type "Scripted", with a sensitive property `secret`.
inline ProcessorDefinition scripted_definition() {
  ProcessorSpec s;
  s.type = "Scripted";
  s.input = InputRequirement::kAllowed;
  s.properties = {
      {.name = "secret", .description = "a password", .kind = PropertyKind::kString, .sensitive = true}};
  s.relationships = {{"success", ""}, {"original", ""}, {"failure", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new ScriptedProcessor()); }};
}

}  // namespace sluice::testing
