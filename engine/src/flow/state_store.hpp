// The committed durable state of every processor (ProcessSession::get_state/set_state). Sessions change it
// only at commit, after the record holding the change is durable; recovery rebuilds it from the checkpoint
// and the log; a checkpoint copies it while commits are paused.
#pragma once

#include <map>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "repository/flowfile_repository.hpp"

namespace sluice::internal {

class StateStore {
 public:
  using Entries = std::map<std::string, std::string, std::less<>>;

  [[nodiscard]] std::optional<std::string> get(std::string_view component, std::string_view key) const;
  void apply(const StateChange& change);
  void apply(std::span<const StateChange> changes);
  // A copy of one component's entries, in key order (a copy: the caller may commit while iterating).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> entries(std::string_view component) const;
  // A copy of everything, for a checkpoint.
  [[nodiscard]] std::map<std::string, Entries, std::less<>> copy() const;
  [[nodiscard]] std::size_t size() const;

 private:
  void apply_locked(const StateChange& change);

  mutable std::shared_mutex mutex_;
  std::map<std::string, Entries, std::less<>> components_;
};

}  // namespace sluice::internal
