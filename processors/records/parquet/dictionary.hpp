// A column chunk's dictionary: distinct values in first-seen order, kept PLAIN-encoded back to back (that
// buffer is the dictionary page body), found again through an open-addressing hash table. Values compare
// by their bytes, so -0.0 and 0.0 (and NaN payloads) stay distinct and round-trip exactly.
//
// A slot holds a 64-bit key next to the entry index: values of up to 8 bytes (INT32, INT64, FLOAT,
// DOUBLE) are their own key, so a lookup touches one slot and nothing else; longer values keep their hash
// there and are compared byte for byte only when the hashes match.
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

  // value_width: the byte width of every value (4 for INT32, 16 for a FIXED_LEN_BYTE_ARRAY(16), ...), or
  // 0 for BYTE_ARRAY values, which carry a 4-byte length prefix in the page.
  explicit Dictionary(std::size_t value_width)
      : length_prefixed_(value_width == 0), inline_keys_(value_width > 0 && value_width <= 8) {}

  // The index of `value`, added if new, or kFull when adding it would take the PLAIN size past `limit`.
  std::int64_t find_or_insert(std::string_view value, std::size_t limit);

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] std::string_view plain() const { return plain_.view(); }
  // The PLAIN bytes of entry `index` (with its length prefix for BYTE_ARRAY).
  [[nodiscard]] std::string_view plain_entry(std::size_t index) const;
  // Memory held: the PLAIN bytes plus the table.
  [[nodiscard]] std::size_t memory() const;
  // Empties the dictionary. keep_table keeps the hash table's size (zeroed) for a next chunk that will
  // likely need as many slots; otherwise its memory is released.
  void clear(bool keep_table = false);

 private:
  struct Entry {
    std::uint32_t offset;  // of the value bytes in plain_ (after any length prefix)
    std::uint32_t length;
  };
  struct Slot {
    std::uint64_t key;    // the value itself (inline keys) or its hash
    std::uint32_t entry;  // entry index + 1; 0 is empty
  };
  [[nodiscard]] std::uint64_t key_of(std::string_view value) const;
  [[nodiscard]] std::uint64_t position_of(std::uint64_t key) const;
  void grow();

  bool length_prefixed_;
  bool inline_keys_;
  ByteBuffer plain_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;
};

}  // namespace sluice::parquet
