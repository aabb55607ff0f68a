#include "dictionary.hpp"

#include <algorithm>
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

constexpr std::size_t kInitialSlots = 16;  // grows with the entries: small row groups stay small

}  // namespace

std::uint64_t Dictionary::key_of(std::string_view value) const {
  if (inline_keys_) {
    std::uint64_t word = 0;
    std::memcpy(&word, value.data(), value.size());
    return word;
  }
  return std::hash<std::string_view>{}(value);
}

std::uint64_t Dictionary::position_of(std::uint64_t key) const {
  return inline_keys_ ? mix(key) : mix(key ^ 0x9e3779b97f4a7c15ULL);
}

std::int64_t Dictionary::find_or_insert(std::string_view value, std::size_t limit) {
  if (slots_.empty()) slots_.assign(kInitialSlots, Slot{0, 0});
  const std::uint64_t key = key_of(value);
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = position_of(key) & mask;
  for (;;) {
    const Slot& s = slots_[slot];
    if (s.entry == 0) break;
    if (s.key == key) {
      if (inline_keys_) return s.entry - 1;
      const Entry& e = entries_[s.entry - 1];
      if (e.length == value.size() &&
          (value.empty() || std::memcmp(plain_.data() + e.offset, value.data(), value.size()) == 0)) {
        return s.entry - 1;
      }
    }
    slot = (slot + 1) & mask;
  }
  const std::size_t prefix = length_prefixed_ ? 4 : 0;
  if (plain_.size() + prefix + value.size() > limit) return kFull;
  if (length_prefixed_) plain_.append_le(static_cast<std::uint32_t>(value.size()));
  entries_.push_back({static_cast<std::uint32_t>(plain_.size()), static_cast<std::uint32_t>(value.size())});
  plain_.append(value);
  slots_[slot] = {key, static_cast<std::uint32_t>(entries_.size())};
  if (entries_.size() * 2 > slots_.size()) grow();
  return static_cast<std::int64_t>(entries_.size() - 1);
}

void Dictionary::grow() {
  std::vector<Slot> bigger(slots_.size() * 2, Slot{0, 0});
  const std::size_t mask = bigger.size() - 1;
  for (const Slot& s : slots_) {
    if (s.entry == 0) continue;
    std::size_t slot = position_of(s.key) & mask;
    while (bigger[slot].entry != 0) slot = (slot + 1) & mask;
    bigger[slot] = s;
  }
  slots_ = std::move(bigger);
}

std::string_view Dictionary::plain_entry(std::size_t index) const {
  const std::size_t prefix = length_prefixed_ ? 4 : 0;
  const Entry& e = entries_[index];
  return plain_.view().substr(e.offset - prefix, prefix + e.length);
}

std::size_t Dictionary::memory() const {
  return plain_.size() + entries_.size() * sizeof(Entry) + slots_.size() * sizeof(Slot);
}

void Dictionary::clear(bool keep_table) {
  plain_.clear();
  entries_.clear();
  if (keep_table) {
    std::fill(slots_.begin(), slots_.end(), Slot{0, 0});
  } else {
    std::vector<Slot>().swap(slots_);
  }
}

}  // namespace sluice::parquet
