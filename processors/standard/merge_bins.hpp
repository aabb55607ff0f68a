// MergeContent's bin rules as pure functions of a bin's counts and the clock, so that which rule closes a
// bin first is testable on its own: max entries or max size (full), min entries and min size once the input
// has run dry (full enough), max bin age (expired), and max_bins (the oldest is evicted).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace sluice::standard {

struct BinLimits {
  std::size_t min_entries = 1;
  std::size_t max_entries = 1000;
  std::uint64_t min_bytes = 0;
  std::optional<std::uint64_t> max_bytes;
  std::optional<std::int64_t> max_age_ms;
  std::size_t max_bins = 5;
};

struct BinStats {
  std::size_t entries = 0;
  std::uint64_t bytes = 0;
  std::int64_t created_ms = 0;
};

enum class CloseReason : std::uint8_t {
  kOpen,        // keeps waiting
  kFull,        // max_entries or max_size reached
  kFullEnough,  // min_entries and min_size reached, and the input ran dry
  kExpired,     // older than max_bin_age (merged even below the minimums)
};

// Whether a FlowFile of `size` bytes may join without passing a maximum; an empty bin takes anything (a
// FlowFile larger than max_size is merged on its own rather than stuck).
bool bin_fits(const BinStats& bin, std::uint64_t size, const BinLimits& limits);

CloseReason bin_close_reason(const BinStats& bin, std::int64_t now_ms, bool input_dry,
                             const BinLimits& limits);

}  // namespace sluice::standard
