#include "flow/scheduler.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "flow/process_session.hpp"

namespace sluice::internal {

namespace {
std::int64_t to_ms(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
// Upper bound on a worker's idle wait: deadlines are computed, but a missed wake-up costs at most this.
constexpr std::int64_t kMaxIdleWaitMs = 50;
}  // namespace

Scheduler::Scheduler(std::vector<ProcessorNode*> nodes, FlowRuntime& runtime, std::size_t threads)
    : nodes_(std::move(nodes)), runtime_(runtime), thread_count_(std::max<std::size_t>(threads, 1)) {
  for (ProcessorNode* n : nodes_) {
    cron_.push_back(n->schedule().strategy == ScheduleStrategy::kCron
                        ? CronSchedule::parse(n->schedule().cron)
                        : std::nullopt);
  }
  const std::int64_t now = runtime_.clock->now_ms();
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (cron_[i]) nodes_[i]->next_timer_ms = cron_[i]->next_after(now).value_or(INT64_MAX);
  }
}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::start() {
  running_ = true;
  for (std::size_t i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { worker(); });
}

void Scheduler::stop() {
  if (!running_.exchange(false)) return;
  wake();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Scheduler::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

bool Scheduler::due(ProcessorNode& node, std::int64_t now, std::int64_t& next_due) {
  const auto& schedule = node.schedule();
  const bool source = node.inputs().empty();
  if (source && sources_stopped_) return false;
  if (node.running.load(std::memory_order_relaxed) >= schedule.concurrency) return false;
  const std::int64_t blocked_until = std::max(node.yielded_until_ms.load(std::memory_order_relaxed),
                                              node.penalized_until_ms.load(std::memory_order_relaxed));
  if (blocked_until > now) {
    next_due = std::min(next_due, blocked_until);
    return false;
  }
  if (node.any_output_full()) return false;  // woken again when a downstream commit frees room
  // It holds FlowFiles that time releases (MergeContent's bins): due without input, and yields when idle.
  const bool when_empty = node.spec().trigger_when_empty;
  if (schedule.strategy == ScheduleStrategy::kEvent) {
    if (when_empty || node.has_input_ready(now)) return true;
    for (const Connection* c : node.inputs()) next_due = std::min(next_due, c->next_penalty_expiry());
    return false;
  }
  const std::int64_t at = node.next_timer_ms.load(std::memory_order_relaxed);
  if (at > now) {
    next_due = std::min(next_due, at);
    return false;
  }
  // A timer processor with inputs runs only when there is something to take, as in NiFi.
  return source || when_empty || node.has_input_ready(now);
}

ProcessorNode* Scheduler::pick(std::int64_t now, std::int64_t& next_due) {
  const std::size_t n = nodes_.size();
  const std::size_t start = cursor_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < n; ++i) {
    ProcessorNode* node = nodes_[(start + i) % n];
    if (!due(*node, now, next_due)) continue;
    // Claim a concurrency slot; another worker may have taken the last one meanwhile.
    if (node->running.fetch_add(1, std::memory_order_acq_rel) >= node->schedule().concurrency) {
      node->running.fetch_sub(1, std::memory_order_acq_rel);
      continue;
    }
    return node;
  }
  return nullptr;
}

std::optional<std::string> Scheduler::trigger(ProcessorNode& node) {
  active_.fetch_add(1);
  const std::int64_t now = runtime_.clock->now_ms();
  const auto& schedule = node.schedule();
  if (schedule.strategy == ScheduleStrategy::kTimer) {
    node.next_timer_ms.store(now + to_ms(schedule.period), std::memory_order_relaxed);
  } else if (schedule.strategy == ScheduleStrategy::kCron) {
    const auto index =
        static_cast<std::size_t>(std::find(nodes_.begin(), nodes_.end(), &node) - nodes_.begin());
    node.next_timer_ms.store(cron_[index] ? cron_[index]->next_after(now).value_or(INT64_MAX) : INT64_MAX);
  }
  node.stats().triggers.fetch_add(1, std::memory_order_relaxed);
  ProcessSessionImpl session(node, runtime_);
  std::optional<std::string> error;
  try {
    node.processor().on_trigger(node, session);
    session.commit();
    node.consecutive_failures.store(0, std::memory_order_relaxed);
  } catch (const std::exception& e) {
    error = e.what();
    // The engine owns the retry policy: roll back (inputs return to their queues untouched) and keep the
    // processor away so a persistent failure does not spin: the yield duration, doubled for each failure
    // in a row, up to the retry policy's cap.
    const std::uint32_t streak = node.consecutive_failures.fetch_add(1, std::memory_order_relaxed);
    const auto wait = backoff_delay(schedule.yield, node.retry().max_backoff, streak);
    spdlog::error("[{}] {}: {} (rolled back; retry after {} ms)", node.processor_id(), node.spec().type,
                  e.what(), wait.count());
    node.stats().errors.fetch_add(1, std::memory_order_relaxed);
    try {
      session.rollback();
    } catch (const std::exception& rollback_error) {
      spdlog::critical("[{}] rollback failed: {}", node.processor_id(), rollback_error.what());
    }
    node.penalized_until_ms.store(runtime_.clock->now_ms() + wait.count(), std::memory_order_relaxed);
  }
  node.running.fetch_sub(1, std::memory_order_acq_rel);
  active_.fetch_sub(1);
  return error;
}

std::optional<std::string> Scheduler::trigger_now(ProcessorNode& node) {
  node.running.fetch_add(1, std::memory_order_acq_rel);
  return trigger(node);
}

bool Scheduler::run_once() {
  std::int64_t next_due = INT64_MAX;
  ProcessorNode* node = pick(runtime_.clock->now_ms(), next_due);
  if (node == nullptr) return false;
  trigger(*node);
  return true;
}

void Scheduler::worker() {
  while (running_.load(std::memory_order_relaxed)) {
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mutex_);
      generation = wake_generation_;
    }
    const std::int64_t now = runtime_.clock->now_ms();
    std::int64_t next_due = INT64_MAX;
    if (ProcessorNode* node = pick(now, next_due)) {
      trigger(*node);
      continue;
    }
    const std::int64_t wait_ms = std::clamp<std::int64_t>(next_due - now, 1, kMaxIdleWaitMs);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] {
      return wake_generation_ != generation || !running_.load(std::memory_order_relaxed);
    });
  }
}

}  // namespace sluice::internal
