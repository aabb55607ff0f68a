#include "aggregate_windows.hpp"

#include <chrono>
#include <stdexcept>

#include <date/date.h>
#include <date/tz.h>

namespace sluice::records {

namespace {

using Ms = std::chrono::milliseconds;

std::int16_t minutes_of(std::chrono::seconds offset) {
  return static_cast<std::int16_t>(offset.count() / 60);
}

}  // namespace

WindowAssigner::WindowAssigner(WindowType type, std::int64_t size_ms, std::int64_t slide_ms,
                               std::int64_t gap_ms, std::string_view zone)
    : type_(type), size_(size_ms), slide_(slide_ms), gap_(gap_ms) {
  if (type_ == WindowType::kSession) {
    if (gap_ <= 0) throw std::invalid_argument("session_gap must be positive");
  } else if (size_ <= 0) {
    throw std::invalid_argument("window_size must be positive");
  }
  if (type_ == WindowType::kHopping) {
    if (slide_ <= 0 || slide_ > size_) {
      throw std::invalid_argument("window_slide must be positive and at most window_size");
    }
    max_windows_ = static_cast<std::size_t>((size_ + slide_ - 1) / slide_);
  }
  if (!zone.empty() && zone != "UTC") {
    try {
      zone_ = date::locate_zone(zone);
    } catch (const std::exception& e) {
      throw std::invalid_argument("time_zone '" + std::string(zone) + "': " + e.what());
    }
  }
  calendar_ = type_ == WindowType::kTumbling && zone_ != nullptr && size_ % kDayMs == 0;
}

std::int16_t WindowAssigner::offset_at(std::int64_t t) const {
  if (zone_ == nullptr) return 0;
  return minutes_of(zone_->get_info(date::sys_time<Ms>(Ms(t))).offset);
}

WindowBounds WindowAssigner::calendar_window(std::int64_t t) {
  if (t >= cached_.start && t < cached_.end) return cached_;
  const auto local = zone_->to_local(date::sys_time<Ms>(Ms(t)));
  const std::int64_t day = date::floor<date::days>(local).time_since_epoch().count();
  const std::int64_t days = size_ / kDayMs;
  const std::int64_t first = floor_div(day, days) * days;
  auto at_midnight = [&](std::int64_t d) {
    const date::local_days midnight{date::days(d)};
    // A midnight that does not exist (a DST jump at 00:00) starts at the transition.
    return std::chrono::duration_cast<Ms>(zone_->to_sys(midnight, date::choose::earliest).time_since_epoch())
        .count();
  };
  WindowBounds w;
  w.start = at_midnight(first);
  w.end = at_midnight(first + days);
  w.start_offset = offset_at(w.start);
  w.end_offset = offset_at(w.end);
  cached_ = w;
  return w;
}

std::size_t WindowAssigner::assign(std::int64_t t, WindowBounds* out) {
  switch (type_) {
    case WindowType::kSession: {
      const std::int16_t offset = offset_at(t);
      out[0] = {t, t + gap_, offset, offset};
      return 1;
    }
    case WindowType::kTumbling: {
      if (calendar_) {
        out[0] = calendar_window(t);
        return 1;
      }
      if (t < cached_.start || t >= cached_.end) {
        const std::int64_t start = floor_div(t, size_) * size_;
        cached_ = {start, start + size_, offset_at(start), offset_at(start + size_)};
      }
      out[0] = cached_;
      return 1;
    }
    case WindowType::kHopping: {
      // Oldest first: the windows [s, s + size) with s a multiple of slide and s <= t < s + size.
      const std::int64_t last = floor_div(t, slide_) * slide_;
      std::size_t n = 0;
      for (std::int64_t s = last - static_cast<std::int64_t>(max_windows_ - 1) * slide_; s <= last;
           s += slide_) {
        if (t < s + size_) out[n++] = {s, s + size_, offset_at(s), offset_at(s + size_)};
      }
      return n;
    }
  }
  return 0;
}

}  // namespace sluice::records
