#include "dictionary.hpp"

#include <cstring>
#include <functional>

namespace sluice::parquet {

namespace {

constexpr std::uint64_t mix(
    std::uint64_t x) {  // a 64-bit finalizer: every input bit reaches every output bit
  x ^= x >> 33U;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33U;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33U;
  return x;
}

std::uint64_t hash_bytes(std::string_view value) {
  if (value.size() <= 8) {  // INT32, INT64, FLOAT, DOUBLE and short strings: one word
    std::uint64_t word = 0;
    if (!value.empty()) std::memcpy(&word, value.data(), value.size());
    return mix(word ^ (static_cast<std::uint64_t>(value.size()) << 59U));
  }
  return mix(std::hash<std::string_view>{}(value));
}

constexpr std::size_t kInitialSlots = 16;  // grows with the entries: small row groups stay small

}  // namespace

std::int64_t Dictionary::find_or_insert(std::string_view value, std::size_t limit) {
  if (slots_.empty()) slots_.assign(kInitialSlots, 0);
  const std::uint64_t hash = hash_bytes(value);
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash & mask;
  while (const std::uint32_t occupant = slots_[slot]) {
    const Entry& e = entries_[occupant - 1];
    if (e.hash == hash && e.length == value.size() &&
        (value.empty() || std::memcmp(plain_.data() + e.offset, value.data(), value.size()) == 0)) {
      return occupant - 1;
    }
    slot = (slot + 1) & mask;
  }
  const std::size_t prefix = length_prefixed_ ? 4 : 0;
  if (plain_.size() + prefix + value.size() > limit) return kFull;
  if (length_prefixed_) plain_.append_le(static_cast<std::uint32_t>(value.size()));
  entries_.push_back(
      {static_cast<std::uint32_t>(plain_.size()), static_cast<std::uint32_t>(value.size()), hash});
  plain_.append(value);
  slots_[slot] = static_cast<std::uint32_t>(entries_.size());
  if (entries_.size() * 2 > slots_.size()) grow();
  return static_cast<std::int64_t>(entries_.size() - 1);
}

void Dictionary::grow() {
  std::vector<std::uint32_t> bigger(slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t slot = entries_[i].hash & mask;
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = static_cast<std::uint32_t>(i + 1);
  }
  slots_ = std::move(bigger);
}

std::string_view Dictionary::plain_entry(std::size_t index) const {
  const std::size_t prefix = length_prefixed_ ? 4 : 0;
  const Entry& e = entries_[index];
  return plain_.view().substr(e.offset - prefix, prefix + e.length);
}

std::size_t Dictionary::memory() const {
  return plain_.size() + entries_.size() * sizeof(Entry) + slots_.size() * sizeof(std::uint32_t);
}

void Dictionary::clear() {
  plain_.clear();
  entries_.clear();
  slots_.clear();
}

}  // namespace sluice::parquet
