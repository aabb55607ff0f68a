#include "merge_bins.hpp"

namespace sluice::standard {

bool bin_fits(const BinStats& bin, std::uint64_t size, const BinLimits& limits) {
  if (bin.entries == 0) return true;
  if (bin.entries >= limits.max_entries) return false;
  return !limits.max_bytes || bin.bytes + size <= *limits.max_bytes;
}

CloseReason bin_close_reason(const BinStats& bin, std::int64_t now_ms, bool input_dry,
                             const BinLimits& limits) {
  if (bin.entries == 0) return CloseReason::kOpen;
  if (bin.entries >= limits.max_entries || (limits.max_bytes && bin.bytes >= *limits.max_bytes)) {
    return CloseReason::kFull;
  }
  if (limits.max_age_ms && now_ms - bin.created_ms >= *limits.max_age_ms) return CloseReason::kExpired;
  if (input_dry && bin.entries >= limits.min_entries && bin.bytes >= limits.min_bytes) {
    return CloseReason::kFullEnough;
  }
  return CloseReason::kOpen;
}

}  // namespace sluice::standard
