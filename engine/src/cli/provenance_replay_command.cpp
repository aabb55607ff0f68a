#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "control/control_socket.hpp"
#include "provenance/queries.hpp"
#include "provenance/replay.hpp"

namespace sluice::cli {

int provenance_replay_command(const ProvenanceReplayOptions& options) {
  namespace prov = internal::provenance;
  // A running engine replays at once and says what it did.
  const auto answer =
      internal::control::send_control_request(options.data_dir, fmt::format("replay {}", options.event_id));
  if (answer) {
    if (answer->starts_with("ok ")) {
      std::cout << answer->substr(3) << '\n';
      return kExitOk;
    }
    std::cerr << (answer->starts_with("error ") ? answer->substr(6) : *answer) << '\n';
    return kExitError;
  }
  // No engine: check now what can be checked, and leave the request for the next run.
  const prov::Queries queries(options.data_dir);
  const auto event = queries.event(options.event_id);
  if (!event) {
    std::cerr << fmt::format("there is no provenance event {}\n", options.event_id);
    return kExitError;
  }
  const prov::ContentStatus status = queries.content_status(*event, prov::ContentSide::kInput);
  if (!status.exists) {
    std::cerr << fmt::format("event {} ({} at '{}') has no input to replay: its FlowFile was created there\n",
                             event->id, prov::event_type_name(event->type), event->component_id);
    return kExitError;
  }
  if (!status.available) {
    std::cerr << status.reason << '\n';
    return kExitError;
  }
  const auto file = prov::queue_replay_request(options.data_dir, options.event_id);
  std::cout << fmt::format(
      "no engine is running on {}: replay of event {} queued ({}); the next `sluice run` on this data "
      "directory applies it\n",
      options.data_dir.string(), options.event_id, file.filename().string());
  return kExitOk;
}

}  // namespace sluice::cli
