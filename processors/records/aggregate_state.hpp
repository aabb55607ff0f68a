// The durable form of AggregateRecord's open windows: one state entry per (window, group), so a trigger
// writes only the windows it changed. Keys and values are compact binary (varints, raw doubles): a
// per-meter daily sum takes a 15-byte key and a 15-byte value (both fit std::string's inline buffer).
//
//   key   = varint(zigzag(window start ms)) group_key
//   group = per group-by field: varint(length + 1) bytes, or varint(0) for null
//   value = flags, varint(end - start), varint(count), [varint(since_early)], [varint(early_since)], then
//           per aggregate its slot (see aggregate_state.cpp), then [the last fired result, retract mode]. The
//           UTC offsets of start and end are not stored: the zone gives them.
// The empty key holds the watermark (highest event time seen, last input time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregate_functions.hpp"
#include "aggregate_sketches.hpp"

namespace sluice::records {

// What a window last fired, kept in `retract` mode to retract it before the next firing.
struct FiredResult {
  std::uint64_t count = 0;
  std::vector<Value> values;  // per aggregate: an integer, a double or null
};

// What only some windows need, apart so that a plain sum's window stays small (1,000,000 meters × one
// daily window must fit in 300 MB).
struct WindowExtras {
  std::vector<Sketch> sketches;           // one per distinct() and percentile()
  std::optional<FiredResult> retraction;  // `retract` mode, once the window fired
  std::int64_t early_since = 0;  // early_interval: processing time (ms) of the first unfired change, or 0
};

struct WindowState {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::uint64_t count = 0;
  std::uint32_t since_early = 0;  // records since the last early firing
  std::int16_t start_offset = 0;
  std::int16_t end_offset = 0;
  bool fired = false;         // the on-time firing happened
  bool pending_late = false;  // changed since the on-time firing: fires again as late
  bool dirty = false;         // changed in this trigger: to be written to state
  bool purged = false;        // past its lateness (or merged away): to be removed
  std::vector<AggregateSlot> slots;
  std::unique_ptr<WindowExtras> extras;  // when sketches, retractions or early_interval need it

  [[nodiscard]] std::int64_t early_since() const { return extras ? extras->early_since : 0; }
  [[nodiscard]] const FiredResult* retraction() const {
    return extras && extras->retraction ? &*extras->retraction : nullptr;
  }
  WindowExtras& more() {
    if (!extras) extras = std::make_unique<WindowExtras>();
    return *extras;
  }
};

struct WatermarkState {
  static constexpr std::int64_t kNone = INT64_MIN;
  std::int64_t max_event = kNone;  // highest event time seen (ms)
  std::int64_t last_input = 0;     // processing time (ms) of the last record, for idle_timeout
};

void append_varint(std::uint64_t v, std::string& out);
std::optional<std::uint64_t> read_varint(std::string_view& in);
void append_double(double d, std::string& out);  // the 8 bytes of the double, host order
bool read_double(std::string_view& in, double& d);
void append_u64(std::uint64_t v, std::string& out);  // 8 bytes, host order
inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1U) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1U) ^ -static_cast<std::int64_t>(v & 1U);
}

// Appends one group-by value (null when `text` is nullopt) to a group key.
void append_group_part(std::optional<std::string_view> text, std::string& key);
// Splits a group key into its parts (nullopt for null). False when malformed.
bool split_group(std::string_view group, std::vector<std::optional<std::string_view>>& parts);

void window_key(std::int64_t start, std::string_view group, std::string& key);
// The window start and the group part of a key; nullopt when malformed.
std::optional<std::pair<std::int64_t, std::string_view>> parse_window_key(std::string_view key);

// The sketches a window of these aggregates needs (none for most), in the order of the aggregates.
std::vector<Sketch> make_sketches(const std::vector<AggregateSpec>& aggregates);

void encode_window(const WindowState& w, const std::vector<AggregateSpec>& aggregates, std::string& out);
// Decodes into `w` (start comes from the key; the offsets are left to the caller; `w.extras->sketches`
// must be make_sketches(aggregates) when that is not empty). False when the value does not match the
// aggregates (the configuration changed): the caller drops it with a warning.
bool decode_window(std::string_view in, const std::vector<AggregateSpec>& aggregates, WindowState& w);

std::string encode_watermark(const WatermarkState& w);
std::optional<WatermarkState> decode_watermark(std::string_view in);

}  // namespace sluice::records
