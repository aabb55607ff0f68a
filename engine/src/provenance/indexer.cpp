#include "provenance/indexer.hpp"

#include <spdlog/spdlog.h>

namespace sluice::internal::provenance {

namespace {
constexpr auto kMaintainEvery = std::chrono::seconds(1);
}

Indexer::Indexer(IndexerSettings settings, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock), store_(settings_.store, clock.now_ms()) {
  accepted_ = store_.last_id();
  durable_ = store_.durable_through();
  store_stats_ = store_.stats();
  thread_ = std::thread([this] { run(); });
}

Indexer::~Indexer() {
  try {
    stop();
  } catch (const std::exception& e) {
    spdlog::error("provenance indexer: {}", e.what());
  }
}

void Indexer::index(std::uint64_t first_event_id, std::uint32_t count, std::string_view body) {
  std::unique_lock lock(mu_);
  if (queued_bytes_ + body.size() > settings_.max_queued_bytes && !queue_.empty()) {
    ++waits_;
    room_cv_.wait(lock, [&] {
      return queued_bytes_ + body.size() <= settings_.max_queued_bytes || queue_.empty() || stopping_;
    });
  }
  const bool was_empty = queue_.empty();
  queue_.push_back({first_event_id, count, std::string(body)});
  queued_bytes_ += body.size();
  queued_events_ += count;
  accepted_.store(first_event_id + count - 1);
  lock.unlock();
  if (was_empty) work_cv_.notify_one();  // the thread takes the whole queue each time it wakes
}

void Indexer::run() {
  auto last_flush = std::chrono::steady_clock::now();
  auto last_maintain = last_flush;
  std::deque<Batch> work;
  for (;;) {
    std::uint64_t flush_goal = 0;
    bool stop = false;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait_for(lock, settings_.flush_interval,
                        [&] { return !queue_.empty() || stopping_ || flush_requests_ > flushes_done_; });
      work.swap(queue_);
      queued_bytes_ = 0;
      queued_events_ = 0;
      flush_goal = flush_requests_;
      stop = stopping_;
    }
    room_cv_.notify_all();
    std::uint64_t appended = 0;
    const auto now = std::chrono::steady_clock::now();
    const bool requested = flush_goal > flushes_done_ || stop;
    try {
      for (const Batch& b : work) {
        store_.append(b.first_id, b.count, b.body, clock_.now_ms());
        appended += b.count;
      }
      if (requested || now - last_flush >= settings_.flush_interval) {
        store_.flush();
        durable_.store(store_.durable_through());
        last_flush = now;
      }
      if (requested || now - last_maintain >= kMaintainEvery) {
        store_.maintain(clock_.now_ms());
        last_maintain = now;
      }
    } catch (const std::exception& e) {
      // The events stay in the FlowFile log (its segments are kept until the store has them): the next
      // start indexes them again. Meanwhile the flow keeps running.
      std::lock_guard lock(mu_);
      if (failure_ != e.what()) spdlog::error("provenance store: {} (events are kept in the log)", e.what());
      failure_ = e.what();
    }
    work.clear();
    {
      std::lock_guard lock(mu_);
      indexed_ += appended;
      store_stats_ = store_.stats();
      if (requested) flushes_done_ = std::max(flushes_done_, flush_goal);
      if (stop && queue_.empty()) {
        finished_ = true;
        break;
      }
    }
    room_cv_.notify_all();
  }
  room_cv_.notify_all();
}

void Indexer::flush() {
  std::unique_lock lock(mu_);
  if (finished_) return;
  const std::uint64_t ticket = ++flush_requests_;
  work_cv_.notify_one();
  room_cv_.wait(lock, [&] { return flushes_done_ >= ticket || finished_; });
}

void Indexer::stop() {
  {
    std::lock_guard lock(mu_);
    if (finished_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  work_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  store_.close();
  durable_.store(store_.durable_through());
}

IndexerStats Indexer::stats() const {
  std::lock_guard lock(mu_);
  return IndexerStats{indexed_, queued_events_, waits_};
}

StoreStats Indexer::store_stats() const {
  std::lock_guard lock(mu_);
  return store_stats_;
}

}  // namespace sluice::internal::provenance
