// The test kit's fault injection: the processor under test is wrapped so that the session it is given runs
// the test's hooks around the real operations (ProcessorRunner::before_commit and friends).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "sluice/processor.hpp"

namespace sluice::testkit {

struct SessionFaults {
  std::function<void()> before_commit;
  std::function<void(const std::filesystem::path&)> before_import;
  std::function<void(const std::filesystem::path&)> after_export;

  [[nodiscard]] bool any() const { return before_commit || before_import || after_export; }
};

// Wraps `inner`: each trigger gets a session that runs `faults`' hooks and forwards to the engine's session,
// and commits it (with the before_commit hook) when on_trigger returns. `faults` must outlive the wrapper.
std::unique_ptr<Processor> with_faults(std::unique_ptr<Processor> inner, const SessionFaults& faults);

}  // namespace sluice::testkit
