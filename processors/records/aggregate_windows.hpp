// Window assignment for AggregateRecord: which event-time windows a record at `t` belongs to. Tumbling
// and hopping windows are aligned on the epoch; tumbling windows of whole days are calendar days in the
// configured time zone (local midnight to local midnight, so 23 or 25 hours across a DST change). Session
// windows start as [t, t + gap) and grow by merging (see AggregateRecord).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace sluice::records {

enum class WindowType : std::uint8_t { kTumbling, kHopping, kSession };

struct WindowBounds {
  std::int64_t start = 0;         // epoch ms, inclusive
  std::int64_t end = 0;           // epoch ms, exclusive
  std::int16_t start_offset = 0;  // UTC offset in minutes at start/end, for output in local time
  std::int16_t end_offset = 0;
};

class WindowAssigner {
 public:
  // Throws std::invalid_argument for an unknown zone or sizes that do not fit together.
  WindowAssigner(WindowType type, std::int64_t size_ms, std::int64_t slide_ms, std::int64_t gap_ms,
                 std::string_view zone);

  [[nodiscard]] WindowType type() const { return type_; }
  // How many windows a record can belong to (hopping: size / slide rounded up; else 1).
  [[nodiscard]] std::size_t max_windows() const { return max_windows_; }
  // The windows of a record at `t`, written to `out` (room for max_windows()); returns how many.
  std::size_t assign(std::int64_t t, WindowBounds* out);
  // The offset of the zone at `t` (minutes), for session window bounds.
  [[nodiscard]] std::int16_t offset_at(std::int64_t t) const;

 private:
  WindowBounds calendar_window(std::int64_t t);

  WindowType type_;
  std::int64_t size_;
  std::int64_t slide_;
  std::int64_t gap_;
  std::size_t max_windows_ = 1;
  const date::time_zone* zone_ = nullptr;  // null: UTC
  bool calendar_ = false;                  // tumbling windows of whole days in the zone
  WindowBounds cached_{0, 0, 0, 0};        // the last calendar window computed
};

// floor(a / b) for b > 0.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

inline constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace sluice::records
