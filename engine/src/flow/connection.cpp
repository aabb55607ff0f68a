#include "flow/connection.hpp"

#include <algorithm>
#include <charconv>
#include <ranges>

#include <fmt/format.h>

namespace sluice::internal {

namespace {
// A swap file holds this many FlowFiles; swapping in happens once the active queue is below half the
// threshold, so a busy queue does not thrash between memory and disk.
constexpr std::size_t kSwapBatch = 10'000;

bool parse_number(std::string_view s, double& out) {
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool penalty_later(const FlowFileRecord& a, const FlowFileRecord& b) {
  return a.penalty_until_ms > b.penalty_until_ms;
}
}  // namespace

Connection::Connection(ConnectionSettings settings) : settings_(std::move(settings)) {
  if (settings_.swap_threshold < 2 * kSwapBatch && !settings_.swap_directory.empty()) {
    // Small thresholds are for tests; keep at least one batch in memory.
    settings_.swap_threshold = std::max<std::uint64_t>(settings_.swap_threshold, 2);
  }
}

bool Connection::before(const FlowFileRecord& a, const FlowFileRecord& b) const {
  switch (settings_.prioritizer) {
    case Prioritizer::kFifo: return false;  // not used: FIFO keeps arrival order
    case Prioritizer::kOldestFirst: return a.entry_ms != b.entry_ms ? a.entry_ms < b.entry_ms : a.id < b.id;
    case Prioritizer::kNewestFirst: return a.entry_ms != b.entry_ms ? a.entry_ms > b.entry_ms : a.id > b.id;
    case Prioritizer::kPriorityAttribute: {
      // NiFi's rule: lower value first; numbers compare as numbers; a FlowFile without it goes last.
      auto pa = a.attributes.find(settings_.priority_attribute);
      auto pb = b.attributes.find(settings_.priority_attribute);
      if (!pa || !pb) return pa.has_value() && !pb.has_value() ? true : (!pa && !pb ? a.id < b.id : false);
      double na = 0;
      double nb = 0;
      if (parse_number(*pa, na) && parse_number(*pb, nb)) return na != nb ? na < nb : a.id < b.id;
      return *pa != *pb ? *pa < *pb : a.id < b.id;
    }
  }
  return false;
}

void Connection::push_active(FlowFileRecord&& record) {
  active_.push_back(std::move(record));
  if (settings_.prioritizer != Prioritizer::kFifo) {
    // std heaps put the "largest" first: invert so the record served first is on top.
    std::push_heap(active_.begin(), active_.end(),
                   [this](const FlowFileRecord& a, const FlowFileRecord& b) { return before(b, a); });
  }
}

FlowFileRecord Connection::pop_active() {
  if (settings_.prioritizer != Prioritizer::kFifo) {
    std::pop_heap(active_.begin(), active_.end(),
                  [this](const FlowFileRecord& a, const FlowFileRecord& b) { return before(b, a); });
    FlowFileRecord r = std::move(active_.back());
    active_.pop_back();
    return r;
  }
  FlowFileRecord r = std::move(active_.front());
  active_.pop_front();
  return r;
}

void Connection::account(std::int64_t objects, std::int64_t bytes) {
  count_.fetch_add(static_cast<std::uint64_t>(objects), std::memory_order_relaxed);
  bytes_.fetch_add(static_cast<std::uint64_t>(bytes), std::memory_order_relaxed);
}

void Connection::enqueue(FlowFileRecord&& record) {
  const auto size = static_cast<std::int64_t>(record.size());
  std::lock_guard lock(mutex_);
  if (record.penalty_until_ms > 0) {
    penalized_.push_back(std::move(record));
    std::push_heap(penalized_.begin(), penalized_.end(), penalty_later);
    next_penalty_expiry_.store(penalized_.front().penalty_until_ms, std::memory_order_relaxed);
  } else if (!settings_.swap_directory.empty() &&
             (active_.size() >= settings_.swap_threshold || !swapped_.empty() || !swap_buffer_.empty())) {
    // Once anything waits on disk, newer FlowFiles queue behind it to keep the order.
    swap_buffer_.push_back(std::move(record));
    visible_.fetch_add(1, std::memory_order_relaxed);
    swap_out_if_needed();
  } else {
    push_active(std::move(record));
    visible_.fetch_add(1, std::memory_order_relaxed);
  }
  account(1, size);
}

void Connection::swap_out_if_needed() {
  if (swap_buffer_.size() < kSwapBatch) return;
  const auto path = settings_.swap_directory /
                    fmt::format("{}.{}.swap", std::hash<std::string>{}(settings_.key), ++swap_sequence_);
  swapped_.push_back(SwapFile::write(path, std::move(swap_buffer_)));
  swap_buffer_.clear();
}

void Connection::swap_in_if_needed() {
  if (active_.size() >= std::max<std::uint64_t>(settings_.swap_threshold / 2, 1)) return;
  if (!swapped_.empty()) {
    std::vector<FlowFileRecord> records = swapped_.front()->read();
    swapped_.pop_front();
    for (auto& r : records) push_active(std::move(r));
  } else if (!swap_buffer_.empty()) {
    for (auto& r : swap_buffer_) push_active(std::move(r));
    swap_buffer_.clear();
  }
}

void Connection::release_penalized(std::int64_t now_ms) {
  bool released = false;
  while (!penalized_.empty() && penalized_.front().penalty_until_ms <= now_ms) {
    std::pop_heap(penalized_.begin(), penalized_.end(), penalty_later);
    FlowFileRecord r = std::move(penalized_.back());
    penalized_.pop_back();
    r.penalty_until_ms = 0;
    // A released FlowFile rejoins the head: it was first in line before it was penalized.
    if (settings_.prioritizer == Prioritizer::kFifo) {
      active_.push_front(std::move(r));
    } else {
      push_active(std::move(r));
    }
    visible_.fetch_add(1, std::memory_order_relaxed);
    released = true;
  }
  if (released || penalized_.empty()) {
    next_penalty_expiry_.store(penalized_.empty() ? INT64_MAX : penalized_.front().penalty_until_ms,
                               std::memory_order_relaxed);
  }
}

std::size_t Connection::poll(std::size_t max, std::int64_t now_ms, std::vector<FlowFileRecord>& out,
                             std::vector<FlowFileRecord>& expired) {
  std::lock_guard lock(mutex_);
  if (!penalized_.empty() && penalized_.front().penalty_until_ms <= now_ms) release_penalized(now_ms);
  std::size_t taken = 0;
  std::int64_t removed_bytes = 0;
  std::int64_t removed = 0;
  const auto expiration = settings_.expiration.count();
  while (taken < max) {
    if (active_.empty()) swap_in_if_needed();
    if (active_.empty()) break;
    FlowFileRecord r = pop_active();
    removed_bytes += static_cast<std::int64_t>(r.size());
    ++removed;
    if (expiration > 0 && now_ms - r.entry_ms > expiration) {
      expired.push_back(std::move(r));
      continue;
    }
    out.push_back(std::move(r));
    ++taken;
  }
  swap_in_if_needed();
  visible_.fetch_sub(static_cast<std::uint64_t>(removed), std::memory_order_relaxed);
  account(-removed, -removed_bytes);
  return taken;
}

void Connection::requeue(std::vector<FlowFileRecord>&& records) {
  std::lock_guard lock(mutex_);
  std::int64_t bytes = 0;
  for (FlowFileRecord& r : std::views::reverse(records)) {
    bytes += static_cast<std::int64_t>(r.size());
    if (settings_.prioritizer == Prioritizer::kFifo) {
      active_.push_front(std::move(r));
    } else {
      push_active(std::move(r));
    }
  }
  visible_.fetch_add(records.size(), std::memory_order_relaxed);
  account(static_cast<std::int64_t>(records.size()), bytes);
}

bool Connection::has_visible(std::int64_t now_ms) const {
  return visible_.load(std::memory_order_relaxed) > 0 ||
         next_penalty_expiry_.load(std::memory_order_relaxed) <= now_ms;
}

std::int64_t Connection::next_penalty_expiry() const {
  return next_penalty_expiry_.load(std::memory_order_relaxed);
}

std::uint64_t Connection::swapped_count() const {
  std::lock_guard lock(mutex_);
  std::uint64_t n = swap_buffer_.size();
  for (const auto& f : swapped_) n += f->count();
  return n;
}

ConnectionSnapshot Connection::snapshot() const {
  std::lock_guard lock(mutex_);
  ConnectionSnapshot s;
  s.head.reserve(active_.size() + penalized_.size());
  s.head.assign(active_.begin(), active_.end());
  s.head.insert(s.head.end(), penalized_.begin(), penalized_.end());
  s.swapped.assign(swapped_.begin(), swapped_.end());
  s.tail = swap_buffer_;
  return s;
}

}  // namespace sluice::internal
