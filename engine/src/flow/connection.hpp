// A connection: the bounded queue between two processors. It orders FlowFiles by its prioritizer, hides
// penalized ones until their penalty ends, reports back pressure, and keeps FlowFiles beyond its swap
// threshold on disk so that a queue of millions costs little memory.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/flow_model.hpp"
#include "core/flowfile_record.hpp"
#include "flow/swap_file.hpp"

namespace sluice::internal {

struct ConnectionSettings {
  std::string key;  // stable name "from:relationship:to", the queue key in the FlowFile repository
  std::uint64_t max_objects = 10'000;
  std::uint64_t max_bytes = 1ULL << 30;
  std::chrono::milliseconds expiration{0};  // 0 = never
  Prioritizer prioritizer = Prioritizer::kFifo;
  std::string priority_attribute = "priority";
  std::uint64_t swap_threshold = 20'000;
  std::filesystem::path swap_directory;  // empty: never swap
};

// What a checkpoint needs of a queue, in queue order: head records, then swapped files, then the tail.
struct ConnectionSnapshot {
  std::vector<FlowFileRecord> head;
  std::vector<std::shared_ptr<SwapFile>> swapped;
  std::vector<FlowFileRecord> tail;
};

class Connection {
 public:
  explicit Connection(ConnectionSettings settings);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] const std::string& key() const { return settings_.key; }
  [[nodiscard]] const ConnectionSettings& settings() const { return settings_; }

  void enqueue(FlowFileRecord&& record);
  // Takes up to max visible FlowFiles in priority order; FlowFiles past their expiration go to `expired`
  // instead (the session records their removal). Returns how many were appended to `out`.
  std::size_t poll(std::size_t max, std::int64_t now_ms, std::vector<FlowFileRecord>& out,
                   std::vector<FlowFileRecord>& expired);
  // Rollback: puts FlowFiles back at the head, in their original order.
  void requeue(std::vector<FlowFileRecord>&& records);

  // Back pressure: the upstream processor is not triggered while this is true.
  [[nodiscard]] bool full() const {
    return count_.load(std::memory_order_relaxed) >= settings_.max_objects ||
           bytes_.load(std::memory_order_relaxed) >= settings_.max_bytes;
  }
  [[nodiscard]] bool has_visible(std::int64_t now_ms) const;
  // The earliest time a penalized FlowFile becomes visible (INT64_MAX if none).
  [[nodiscard]] std::int64_t next_penalty_expiry() const;
  [[nodiscard]] std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t swapped_count() const;

  [[nodiscard]] ConnectionSnapshot snapshot() const;

 private:
  bool before(const FlowFileRecord& a, const FlowFileRecord& b) const;  // a is served first
  void push_active(FlowFileRecord&& record);
  FlowFileRecord pop_active();
  void swap_out_if_needed();
  void swap_in_if_needed();
  void release_penalized(std::int64_t now_ms);
  void account(std::int64_t objects, std::int64_t bytes);

  ConnectionSettings settings_;
  mutable std::mutex mutex_;
  std::deque<FlowFileRecord> active_;              // FIFO order, or a heap for the other prioritizers
  std::vector<FlowFileRecord> penalized_;          // min-heap by penalty_until_ms
  std::deque<std::shared_ptr<SwapFile>> swapped_;  // oldest first
  std::vector<FlowFileRecord> swap_buffer_;        // newest FlowFiles waiting to fill a swap file
  std::uint64_t swap_sequence_ = 0;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::int64_t> next_penalty_expiry_{INT64_MAX};
  std::atomic<std::uint64_t> visible_{0};  // active_ + swapped + buffer: what a poll can take now
};

}  // namespace sluice::internal
