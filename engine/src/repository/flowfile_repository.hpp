// The FlowFile repository: a write-ahead log of session commits plus periodic checkpoints.
//
// One commit = one checksummed log record holding every change of the session (upserts with their
// queue, removals). Commits from many threads are grouped: one write and (under `fsync` durability) one
// fsync cover all commits waiting at that moment. Recovery loads the last checkpoint, replays the log in
// order and stops at the first torn or corrupt record, truncating the log there with a warning.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/flowfile_record.hpp"

namespace sluice::internal {

class ContentRepository;

enum class Durability : std::uint8_t {
  kFsync,  // every commit is on disk before commit() returns (grouped across threads)
  kBatch,  // written at once, fsync'd at most every batch_interval
  kNone,   // written, never fsync'd (the OS decides)
};

struct FlowFileRepositorySettings {
  std::filesystem::path directory;  // <data-dir>/flowfile
  Durability durability = Durability::kFsync;
  std::chrono::milliseconds batch_interval{100};
  std::uint64_t checkpoint_log_bytes = 256ULL << 20;  // the engine checkpoints once the log grows past this
};

// One change in a commit. `queue` names the connection the FlowFile now waits in (a stable key such as
// "gen:success:out"); removals carry only the id.
struct RepositoryChange {
  enum class Kind : std::uint8_t { kUpsert, kRemove };
  Kind kind = Kind::kUpsert;
  const FlowFileRecord* record = nullptr;  // kUpsert
  std::uint64_t id = 0;                    // kRemove
  std::string_view queue;                  // kUpsert
};

// A change to a component's durable state (ProcessSession::set_state / remove_state), written in the same
// record as the session's FlowFile changes.
struct StateChange {
  std::string_view component;  // processor id
  std::string_view key;
  std::string_view value;  // ignored for a removal
  bool remove = false;
};
using StateSink = std::function<void(const StateChange&)>;

// Produces the live state for a checkpoint: every FlowFile, one at a time, in queue order; then every
// component's state entries.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual void for_each(const std::function<void(std::string_view queue, const FlowFileRecord&)>& fn) = 0;
  virtual void for_each_state(const StateSink& /*fn*/) {}
};

struct RecoveryStats {
  std::uint64_t flowfiles = 0;
  std::uint64_t log_records = 0;
  std::uint64_t truncated_bytes = 0;  // torn/corrupt tail cut off
  std::uint64_t max_id = 0;           // new ids start above this
  std::chrono::milliseconds elapsed{0};
};

class FlowFileRepository {
 public:
  virtual ~FlowFileRepository() = default;

  // Rebuilds the live FlowFiles, calling sink once per FlowFile in queue order. Content claims are
  // resolved through `content` (which also has its reference counts rebuilt). Component state is replayed
  // into `state` in commit order (the checkpoint's entries first): applying each change in turn gives the
  // committed state.
  virtual RecoveryStats recover(ContentRepository& content,
                                const std::function<void(std::string_view queue, FlowFileRecord&&)>& sink,
                                const StateSink& state = {}) = 0;

  // Appends one commit. `content_resources` are synced first (content before the record that references
  // it). Returns once the record is durable under the configured policy. Thread-safe; may be called
  // concurrently from many threads (group commit). Very large commits are streamed, not buffered whole.
  // `state` rides in the same record: all of it or none of it survives a crash.
  virtual void commit(const std::vector<RepositoryChange>& changes,
                      const std::vector<ResourceClaim*>& content_resources,
                      std::span<const StateChange> state = {}) = 0;

  // Bytes appended to the log since the last checkpoint (the engine checkpoints past a threshold).
  [[nodiscard]] virtual std::uint64_t log_bytes_since_checkpoint() const = 0;

  // Two phases so the engine can pause commits only briefly: begin_checkpoint() (called while no commit
  // is in progress) starts a new log segment; write_checkpoint() then writes the snapshot, syncs it,
  // installs it atomically and deletes the log segments it replaces.
  virtual void begin_checkpoint() = 0;
  virtual void write_checkpoint(SnapshotSource& source) = 0;

  // Flush and sync everything; stop background work.
  virtual void close() = 0;
};

std::unique_ptr<FlowFileRepository> make_flowfile_repository(const FlowFileRepositorySettings& settings);

}  // namespace sluice::internal
