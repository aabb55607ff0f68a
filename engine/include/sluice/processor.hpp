// The base class of every processor, and the definition a plugin exports for each one.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "sluice/context.hpp"
#include "sluice/session.hpp"
#include "sluice/spec.hpp"

namespace sluice {

class Processor {
 public:
  virtual ~Processor() = default;
  // Properties are resolved and validated; open resources here. Throw ProcessorError to refuse to start.
  virtual void on_schedule(ProcessContext& /*context*/) {}
  // Do a unit of work within the session. Throwing rolls the session back and penalizes the processor.
  virtual void on_trigger(ProcessContext& context, ProcessSession& session) = 0;
  virtual void on_stop(ProcessContext& /*context*/) {}
};

struct ProcessorDefinition {
  ProcessorSpec spec;
  std::unique_ptr<Processor> (*create)() = nullptr;
};

}  // namespace sluice
