// Column-chunk statistics: null count, min/max in the column's sort order (parquet.thrift ColumnOrder),
// and for floating point the NaN count with NaN kept out of min/max and the signed-zero rules applied.
// Fed whole pages of PLAIN-encoded values (or the new entries of a dictionary), not value by value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "metadata.hpp"
#include "schema.hpp"

namespace sluice::parquet {

class StatisticsCollector {
 public:
  StatisticsCollector(const ColumnDescriptor& column, std::size_t max_value_size);

  // `count` values in PLAIN encoding, except that booleans come one byte (0 or 1) per value.
  void add_plain(std::string_view plain, std::size_t count);
  void add_nulls(std::int64_t count) { null_count_ += count; }

  [[nodiscard]] format::Statistics result() const;
  void reset();

 private:
  void add_key(std::uint64_t key);
  void add_floating(double value);
  void add_bytes(std::string_view value);
  [[nodiscard]] bool bytes_less(std::string_view a, std::string_view b) const;

  PhysicalType type_;
  SortOrder order_;
  std::size_t max_value_size_;
  std::int64_t null_count_ = 0;
  std::int64_t nan_count_ = 0;
  bool has_value_ = false;
  // Integers and booleans as order-preserving unsigned keys (signed values have their sign bit flipped).
  std::uint64_t min_key_ = 0;
  std::uint64_t max_key_ = 0;
  double min_double_ = 0;
  double max_double_ = 0;
  std::string min_bytes_;
  std::string max_bytes_;
};

}  // namespace sluice::parquet
