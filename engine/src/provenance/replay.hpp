// Replay: put an event's input content and attributes back into the queue its FlowFile came from, as a new
// FlowFile recorded by a REPLAY event (parent: the original). On a running engine it is applied at once
// (through the control socket); otherwise a request file under <data-dir>/provenance/replay/ waits for the
// next run, which applies it exactly once (the request's name rides in the commit as engine state).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sluice::internal {

class FlowController;

namespace provenance {

struct ReplayRequest {
  std::filesystem::path file;
  std::uint64_t event_id = 0;
};

// Queues a request durably; returns its file.
std::filesystem::path queue_replay_request(const std::filesystem::path& data_dir, std::uint64_t event_id);
// Requests waiting in `data_dir`, oldest first (unreadable files are reported and skipped).
std::vector<ReplayRequest> pending_replay_requests(const std::filesystem::path& data_dir);

struct ReplayResult {
  std::uint64_t event_id = 0;
  std::string flowfile_uuid;  // the new FlowFile
  std::string queue;          // the connection it went into
};

// Applies replays on a started FlowController (thread-safe with respect to the running flow).
class ReplayService {
 public:
  explicit ReplayService(FlowController& controller) : controller_(controller) {}

  // Replays event `event_id` now. Throws std::runtime_error with a reason an operator can act on.
  ReplayResult replay(std::uint64_t event_id);
  // Applies every queued request file, removing each once applied (or once it proved impossible: the reason
  // is logged). Returns how many were applied.
  std::size_t apply_pending();

 private:
  ReplayResult apply(std::uint64_t event_id, const std::string& request);

  FlowController& controller_;
};

}  // namespace provenance
}  // namespace sluice::internal
