// Moves committed provenance events into the store on a thread of its own, so that sessions never wait for
// indexing: the FlowFile repository hands each durable record's events over (ProvenanceSink) and the
// indexer appends them, flushing every flush_interval. What it has not made durable when the process dies
// is still in the FlowFile log, which keeps those segments and indexes them again at the next start.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "flow/clock.hpp"
#include "provenance/store_writer.hpp"
#include "repository/flowfile_repository.hpp"

namespace sluice::internal::provenance {

struct IndexerSettings {
  StoreSettings store;
  std::chrono::milliseconds flush_interval{1000};
  std::uint64_t max_queued_bytes = std::uint64_t{64} << 20;  // committers wait beyond this (back pressure)
};

struct IndexerStats {
  std::uint64_t indexed = 0;  // events appended to the store by this indexer
  std::uint64_t queued = 0;   // events waiting
  std::uint64_t waits = 0;    // times a committer waited for room
};

class Indexer final : public ProvenanceSink {
 public:
  Indexer(IndexerSettings settings, const Clock& clock);
  ~Indexer() override;
  Indexer(const Indexer&) = delete;
  Indexer& operator=(const Indexer&) = delete;

  void index(std::uint64_t first_event_id, std::uint32_t count, std::string_view body) override;
  [[nodiscard]] std::uint64_t indexed_through() const override { return accepted_.load(); }
  [[nodiscard]] std::uint64_t durable_through() const override { return durable_.load(); }

  // Waits until every event handed over so far is in the store and durable.
  void flush();
  // Flushes and stops the thread; the open partition stays open on disk for the next start.
  void stop();
  [[nodiscard]] IndexerStats stats() const;
  [[nodiscard]] StoreStats store_stats() const;

 private:
  struct Batch {
    std::uint64_t first_id;
    std::uint32_t count;
    std::string body;
  };
  void run();

  IndexerSettings settings_;
  const Clock& clock_;
  StoreWriter store_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // the thread waits for work
  std::condition_variable room_cv_;  // committers wait for room; flush() waits for progress
  std::deque<Batch> queue_;
  std::uint64_t queued_bytes_ = 0;
  std::uint64_t queued_events_ = 0;
  std::uint64_t flush_requests_ = 0;
  std::uint64_t flushes_done_ = 0;
  bool stopping_ = false;
  bool finished_ = false;  // the thread has drained everything and exited
  std::uint64_t waits_ = 0;
  std::uint64_t indexed_ = 0;
  StoreStats store_stats_;
  std::string failure_;

  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> durable_{0};
  std::thread thread_;
};

}  // namespace sluice::internal::provenance
