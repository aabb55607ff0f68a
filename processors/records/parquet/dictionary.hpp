// A column chunk's dictionary: distinct values in first-seen order, kept PLAIN-encoded back to back (that
// buffer is the dictionary page body), found again through an open-addressing hash table of indices.
// Values compare by their bytes, so -0.0 and 0.0 (and NaN payloads) stay distinct and round-trip exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "byte_buffer.hpp"

namespace sluice::parquet {

class Dictionary {
 public:
  static constexpr std::int64_t kFull = -1;

  // BYTE_ARRAY entries carry a 4-byte length prefix in the page; fixed-width ones do not.
  explicit Dictionary(bool length_prefixed) : length_prefixed_(length_prefixed) {}

  // The index of `value`, added if new, or kFull when adding it would take the PLAIN size past `limit`.
  std::int64_t find_or_insert(std::string_view value, std::size_t limit);

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] std::string_view plain() const { return plain_.view(); }
  // The PLAIN bytes of entry `index` (with its length prefix for BYTE_ARRAY).
  [[nodiscard]] std::string_view plain_entry(std::size_t index) const;
  // Memory held: the PLAIN bytes plus the table.
  [[nodiscard]] std::size_t memory() const;
  void clear();

 private:
  struct Entry {
    std::uint32_t offset;  // of the value bytes in plain_ (after any length prefix)
    std::uint32_t length;
    std::uint64_t hash;
  };
  void grow();

  bool length_prefixed_;
  ByteBuffer plain_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;  // entry index + 1; 0 is empty
};

}  // namespace sluice::parquet
