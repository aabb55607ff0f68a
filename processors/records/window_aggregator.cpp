#include "window_aggregator.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "aggregate_output.hpp"

namespace sluice::records {

namespace {

std::string_view group_of(const std::string& key) {
  const auto parsed = parse_window_key(key);
  return parsed ? parsed->second : std::string_view();
}

}  // namespace

std::string_view firing_name(Firing firing) {
  switch (firing) {
    case Firing::kEarly: return "early";
    case Firing::kOnTime: return "on_time";
    case Firing::kLate: return "late";
    case Firing::kRetract: return "retract";
  }
  return "";
}

WindowAggregator::WindowAggregator(AggregatorConfig config)
    : config_(std::move(config)),
      assigner_(config_.window, config_.size_ms, config_.slide_ms, config_.gap_ms, config_.zone) {
  has_sketches_ = !make_sketches(config_.aggregates).empty();
  bounds_.resize(assigner_.max_windows());
}

AggregateInputs WindowAggregator::make_inputs() const {
  AggregateInputs inputs;
  inputs.numeric.resize(config_.aggregates.size());
  inputs.matched.resize(config_.aggregates.size());
  inputs.hash.resize(config_.aggregates.size());
  return inputs;
}

std::int64_t WindowAggregator::watermark() const {
  if (watermark_.max_event == WatermarkState::kNone) return WatermarkState::kNone;
  return watermark_.max_event - config_.watermark_delay_ms;
}

bool WindowAggregator::is_too_late(std::int64_t t) {
  const std::int64_t w = watermark();
  if (w == WatermarkState::kNone) return false;
  const std::size_t n = assigner_.assign(t, bounds_.data());
  for (std::size_t i = 0; i < n; ++i) {
    if (bounds_[i].end + config_.allowed_lateness_ms > w) return false;
  }
  return true;
}

void WindowAggregator::init_window(WindowState& w, const WindowBounds& bounds) const {
  w.start = bounds.start;
  w.end = bounds.end;
  w.start_offset = bounds.start_offset;
  w.end_offset = bounds.end_offset;
  w.count = 0;
  w.since_early = 0;
  w.fired = false;
  w.pending_late = false;
  w.purged = false;
  w.extras.reset();
  w.slots.assign(config_.aggregates.size(), AggregateSlot{});
  if (has_sketches_) w.more().sketches = make_sketches(config_.aggregates);
}

void WindowAggregator::mark_dirty(const std::string& key, WindowState& w) {
  if (w.dirty) return;
  w.dirty = true;
  dirty_.emplace_back(&key, &w);
}

WindowAggregator::Windows::value_type& WindowAggregator::window_for(const WindowBounds& bounds,
                                                                    std::string_view group) {
  window_key(bounds.start, group, key_);
  auto it = windows_.find(key_);
  if (it == windows_.end()) {
    it = windows_.try_emplace(key_).first;
    init_window(it->second, bounds);
    next_due_ = std::min(next_due_, bounds.end);
  } else if (it->second.purged) {
    // Removed earlier in this trigger (still listed as dirty): starts afresh under the same key.
    init_window(it->second, bounds);
    next_due_ = std::min(next_due_, bounds.end);
  }
  return *it;
}

void WindowAggregator::purge(const std::string& key, WindowState& w) {
  w.purged = true;
  mark_dirty(key, w);
  if (config_.window != WindowType::kSession) return;
  auto group = sessions_.find(group_of(key));
  if (group == sessions_.end()) return;
  auto& starts = group->second;
  starts.erase(std::remove(starts.begin(), starts.end(), w.start), starts.end());
  if (starts.empty()) sessions_.erase(group);
}

// A session [t, t + gap) joins every open session of its group it overlaps: they merge into one window
// starting at the earliest start (a new state key when that is t).
WindowState& WindowAggregator::session_window_for(const WindowBounds& bounds, std::string_view group) {
  auto group_it = sessions_.find(group);
  if (group_it == sessions_.end()) group_it = sessions_.try_emplace(std::string(group)).first;
  std::vector<std::int64_t>& starts = group_it->second;
  std::int64_t start = bounds.start;
  std::int64_t end = bounds.end;
  std::vector<std::int64_t> overlapping;
  for (const std::int64_t s : starts) {
    window_key(s, group, key_);
    auto it = windows_.find(key_);
    if (it == windows_.end() || it->second.purged) continue;
    const WindowState& w = it->second;
    if (w.start < bounds.end && bounds.start < w.end) {
      overlapping.push_back(s);
      start = std::min(start, w.start);
      end = std::max(end, w.end);
    }
  }
  const bool existed = std::find(overlapping.begin(), overlapping.end(), start) != overlapping.end();
  auto& [target_key, target] =
      window_for({start, end, assigner_.offset_at(start), assigner_.offset_at(end)}, group);
  if (!existed) starts.push_back(start);
  for (const std::int64_t s : overlapping) {
    if (s == start) continue;
    window_key(s, group, key_);
    auto it = windows_.find(key_);
    WindowState& other = it->second;
    target.count += other.count;
    target.since_early += other.since_early;
    target.fired = target.fired || other.fired;
    std::size_t d = 0;
    for (std::size_t i = 0; i < config_.aggregates.size(); ++i) {
      if (uses_sketch(config_.aggregates[i].kind)) {
        merge_sketch(target.extras->sketches[d], other.extras->sketches[d]);
        ++d;
      } else {
        merge_slot(config_.aggregates[i].kind, target.slots[i], other.slots[i]);
      }
    }
    purge(it->first, other);
  }
  if (end > target.end) {
    target.end = end;
    target.end_offset = assigner_.offset_at(end);
    next_due_ = std::min(next_due_, end);
  }
  mark_dirty(target_key, target);
  return target;
}

void WindowAggregator::merge_sketch(Sketch& target, const Sketch& other) const {
  if (auto* distinct = std::get_if<DistinctCounter>(&target)) {
    distinct->merge(std::get<DistinctCounter>(other), config_.distinct_exact_limit);
  } else {
    std::get<TDigest>(target).merge(std::get<TDigest>(other));
  }
}

void WindowAggregator::emit(const std::string& key, WindowState& w, Firing firing, FiringSink& sink) {
  if (config_.retract && w.retraction() != nullptr) sink.fire(key, w, Firing::kRetract);
  sink.fire(key, w, firing);
  if (w.extras) w.extras->early_since = 0;  // this firing includes every change so far
  if (config_.retract) {
    FiredResult& fired = w.more().retraction ? *w.extras->retraction : w.extras->retraction.emplace();
    fired.count = w.count;
    window_results(config_.aggregates, w, fired.values);
  }
  mark_dirty(key, w);
}

bool WindowAggregator::fire_early(std::int64_t now, FiringSink& sink) {
  bool fired = false;
  while (!early_queue_.empty() && now - early_queue_.front().second >= config_.early_interval_ms) {
    const auto [key, since] = std::move(early_queue_.front());
    early_queue_.pop_front();
    auto it = windows_.find(key);
    if (it == windows_.end() || it->second.purged || it->second.fired || it->second.early_since() != since) {
      continue;
    }
    it->second.since_early = 0;
    emit(it->first, it->second, Firing::kEarly, sink);
    fired = true;
  }
  return fired;
}

void WindowAggregator::update(WindowState& w, const std::string& key, std::int64_t t,
                              const AggregateInputs& inputs, std::int64_t now, FiringSink& sink) {
  ++w.count;
  std::size_t d = 0;
  for (std::size_t i = 0; i < config_.aggregates.size(); ++i) {
    const AggregateKind kind = config_.aggregates[i].kind;
    if (kind == AggregateKind::kDistinct) {
      if (inputs.hash[i] != 0)
        std::get<DistinctCounter>(w.extras->sketches[d]).add(inputs.hash[i], config_.distinct_exact_limit);
      ++d;
    } else if (kind == AggregateKind::kPercentile) {
      if (inputs.numeric[i]) std::get<TDigest>(w.extras->sketches[d]).add(*inputs.numeric[i]);
      ++d;
    } else {
      update_slot(kind, w.slots[i], inputs.numeric[i], inputs.matched[i] != 0, t);
    }
  }
  mark_dirty(key, w);
  if (w.fired) {
    if (!w.pending_late) {
      w.pending_late = true;
      late_.emplace_back(&key, &w);
    }
  } else {
    if (config_.early_interval_ms > 0 && w.early_since() == 0) {
      w.more().early_since = std::max<std::int64_t>(now, 1);  // 0 means none
      early_queue_.emplace_back(key, w.extras->early_since);
    }
    if (config_.early_every > 0 && ++w.since_early >= config_.early_every) {
      w.since_early = 0;
      emit(key, w, Firing::kEarly, sink);
    }
  }
}

void WindowAggregator::add(std::int64_t t, std::string_view group, const AggregateInputs& inputs,
                           std::int64_t now, FiringSink& sink) {
  const std::int64_t before = watermark();
  const std::size_t n = assigner_.assign(t, bounds_.data());
  if (watermark_.max_event == WatermarkState::kNone || t > watermark_.max_event) watermark_.max_event = t;
  watermark_.last_input = now;
  watermark_dirty_ = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (before != WatermarkState::kNone && bounds_[i].end + config_.allowed_lateness_ms <= before) continue;
    if (config_.window == WindowType::kSession) {
      WindowState& w = session_window_for(bounds_[i], group);
      window_key(w.start, group, key_);
      update(w, windows_.find(key_)->first, t, inputs, now, sink);
    } else {
      auto& [key, w] = window_for(bounds_[i], group);
      update(w, key, t, inputs, now, sink);
    }
  }
  if (watermark() >= next_due_) scan(sink);
}

void WindowAggregator::sort_entries(std::vector<Entry>& entries) const {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.second->end != b.second->end) return a.second->end < b.second->end;
    if (a.second->start != b.second->start) return a.second->start < b.second->start;
    return group_of(*a.first) < group_of(*b.first);
  });
}

void WindowAggregator::scan(FiringSink& sink) {
  const std::int64_t w = watermark();
  if (w == WatermarkState::kNone) return;
  due_.clear();
  expired_.clear();
  std::int64_t next = INT64_MAX;
  for (auto& [key, window] : windows_) {
    if (window.purged) continue;
    if (!window.fired) {
      if (window.end > w) {
        next = std::min(next, window.end);
        continue;
      }
      due_.emplace_back(&key, &window);
    }
    const std::int64_t expiry = window.end + config_.allowed_lateness_ms;
    if (expiry <= w) {
      expired_.emplace_back(&key, &window);
    } else {
      next = std::min(next, expiry);
    }
  }
  sort_entries(due_);
  for (auto& [key, window] : due_) {
    window->fired = true;
    window->pending_late = false;  // the on-time result includes everything so far
    window->since_early = 0;
    emit(*key, *window, Firing::kOnTime, sink);
  }
  sort_entries(expired_);
  for (auto& [key, window] : expired_) {
    if (window->pending_late) {
      window->pending_late = false;
      emit(*key, *window, Firing::kLate, sink);
    }
    purge(*key, *window);
  }
  next_due_ = next;
}

void WindowAggregator::end_batch(FiringSink& sink) {
  sort_entries(late_);
  for (auto& [key, window] : late_) {
    if (window->purged || !window->pending_late) continue;
    window->pending_late = false;
    emit(*key, *window, Firing::kLate, sink);
  }
  late_.clear();
}

bool WindowAggregator::advance_idle(std::int64_t now, FiringSink& sink) {
  if (config_.idle_timeout_ms <= 0 || watermark_.max_event == WatermarkState::kNone || windows_.empty()) {
    return false;
  }
  const std::int64_t idle = now - watermark_.last_input;
  if (idle < config_.idle_timeout_ms) return false;
  // Event time moves on as processing time does while the source is quiet.
  watermark_.max_event += idle;
  watermark_.last_input = now;
  watermark_dirty_ = true;
  scan(sink);
  return true;
}

void WindowAggregator::flush(
    const std::function<void(std::string_view key, std::optional<std::string_view> value)>& write) {
  for (auto& [key, window] : dirty_) {
    window->dirty = false;
    if (window->purged) {
      write(*key, std::nullopt);
    } else {
      encode_window(*window, config_.aggregates, value_);
      write(*key, value_);
    }
  }
  if (watermark_dirty_) {
    write("", encode_watermark(watermark_));
    watermark_dirty_ = false;
  }
  for (auto& [key, window] : dirty_) {
    if (window->purged) windows_.erase(windows_.find(*key));
  }
  dirty_.clear();
}

void WindowAggregator::load(
    const std::function<void(const std::function<void(std::string_view, std::string_view)>&)>& for_each,
    const std::function<void(std::string_view key)>& bad) {
  windows_.clear();
  sessions_.clear();
  watermark_ = WatermarkState{};
  watermark_dirty_ = false;
  dirty_.clear();
  late_.clear();
  early_queue_.clear();
  next_due_ = INT64_MIN;  // the first record scans, finding only what is really due
  for_each([&](std::string_view key, std::string_view value) {
    if (key.empty()) {
      if (auto w = decode_watermark(value)) {
        watermark_ = *w;
      } else {
        bad(key);
      }
      return;
    }
    const auto parsed = parse_window_key(key);
    WindowState w;
    if (parsed) {
      w.start = parsed->first;
      if (has_sketches_) w.more().sketches = make_sketches(config_.aggregates);
    }
    if (!parsed || !decode_window(value, config_.aggregates, w)) {
      bad(key);
      return;
    }
    w.start_offset = assigner_.offset_at(w.start);
    w.end_offset = assigner_.offset_at(w.end);
    auto it = windows_.try_emplace(std::string(key), std::move(w)).first;
    if (config_.window == WindowType::kSession) {
      auto group = sessions_.find(parsed->second);
      if (group == sessions_.end()) group = sessions_.try_emplace(std::string(parsed->second)).first;
      group->second.push_back(parsed->first);
    }
    if (it->second.pending_late) late_.emplace_back(&it->first, &it->second);
    if (it->second.early_since() != 0) early_queue_.emplace_back(it->first, it->second.early_since());
  });
  // In the order the changes happened (ties: by key, whatever order the store listed them in).
  std::sort(early_queue_.begin(), early_queue_.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
}

}  // namespace sluice::records
