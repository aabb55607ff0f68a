// What every session of a running flow shares: the repositories, the clock, FlowFile ids, the commit gate
// a checkpoint closes, and the list of open sessions whose inputs a checkpoint must still count as queued.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "flow/clock.hpp"
#include "flow/state_store.hpp"
#include "repository/content_repository.hpp"
#include "repository/flowfile_repository.hpp"

namespace sluice::internal {

class ProcessSessionImpl;
class ProcessorNode;

struct FlowRuntime {
  ContentRepository* content = nullptr;
  FlowFileRepository* flowfiles = nullptr;
  const Clock* clock = nullptr;
  StateStore state;
  bool provenance = false;        // sessions record provenance events (settings.provenance.enabled)
  std::mutex state_commit_mutex;  // see ProcessSessionImpl::commit
  std::atomic<std::uint64_t> next_id{1};

  // Polls, commits and rollbacks hold it shared; a checkpoint takes it exclusively for a moment so that
  // it sees every FlowFile either in a queue or in exactly one open session.
  std::shared_mutex commit_gate;
  mutable std::mutex sessions_mutex;
  std::set<ProcessSessionImpl*> open_sessions;

  // Called after a commit put FlowFiles into connections (wakes the scheduler).
  std::function<void()> on_input;
  std::atomic<std::int64_t> last_work_ms{0};
  std::atomic<std::uint64_t> commits{0};
};

}  // namespace sluice::internal
