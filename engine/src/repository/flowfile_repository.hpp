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

// A commit's provenance events, encoded as one section (provenance/event_codec.hpp). They ride in the
// commit's log record: after a crash a committed session has all its events and an uncommitted one none.
struct ProvenanceEvents {
  std::string_view body;
  std::uint32_t count = 0;
};

// Where committed events go to be indexed (the provenance store). The repository assigns event ids in log
// order and calls index() in that order, once the record holding the events is durable; recovery calls it
// again for every logged event above indexed_through().
class ProvenanceSink {
 public:
  virtual ~ProvenanceSink() = default;
  virtual void index(std::uint64_t first_event_id, std::uint32_t count, std::string_view body) = 0;
  // The highest event id the store holds (events at or below it are not indexed again).
  [[nodiscard]] virtual std::uint64_t indexed_through() const = 0;
  // The highest event id the store has made durable: a log segment whose events are all at or below it may
  // be deleted by a checkpoint; any other is kept until they are.
  [[nodiscard]] virtual std::uint64_t durable_through() const = 0;
};

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
  std::uint64_t truncated_bytes = 0;   // torn/corrupt tail cut off
  std::uint64_t max_id = 0;            // new ids start above this
  std::uint64_t reindexed_events = 0;  // provenance events handed to the store again (it had not kept them)
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
  // `events` (if any) ride in the same record; their ids are assigned in log order.
  virtual void commit(const std::vector<RepositoryChange>& changes,
                      const std::vector<ResourceClaim*>& content_resources,
                      std::span<const StateChange> state = {}, const ProvenanceEvents* events = nullptr) = 0;

  // Before recover(): where committed provenance events go. Without a sink, events are logged but never
  // indexed, and checkpoints delete segments as if there were none.
  virtual void set_provenance_sink(ProvenanceSink* sink) = 0;
  // After recover(): segments kept only because their events were not yet durable in the store are
  // deleted once they are (called periodically by the engine).
  virtual void release_indexed_segments() {}

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
