// Checks a schema against the format's rules (which logical type may annotate which physical type, decimal
// precision limits, fixed lengths) and derives what the writer needs per column: definition level, the
// statistics order, the legacy ConvertedType, and the range of integers a column accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "types.hpp"

namespace sluice::parquet {

// How min/max statistics compare values, per the ColumnOrder rules of parquet.thrift.
enum class SortOrder : std::uint8_t {
  kSigned,        // INT32/INT64 as signed integers
  kUnsigned,      // INT32/INT64 annotated INT(bits, false)
  kFloat,         // FLOAT/DOUBLE, NaN left out
  kBoolean,       // false < true
  kBytes,         // unsigned byte-wise
  kDecimalBytes,  // FIXED_LEN_BYTE_ARRAY decimals: big-endian two's complement, signed
};

struct ColumnDescriptor {
  Column column;
  std::int16_t max_definition_level = 0;
  SortOrder sort_order = SortOrder::kSigned;
  std::optional<std::int32_t> converted_type;  // the deprecated annotation still written for old readers
  // Integer columns: the values append_int64 accepts (an unsigned 32-bit column takes 0..2^32-1 and stores
  // the bit pattern in INT32).
  std::int64_t min_integer = 0;
  std::int64_t max_integer = 0;
  bool utf8 = false;  // STRING, JSON, ENUM

  [[nodiscard]] bool optional() const { return max_definition_level > 0; }
  [[nodiscard]] std::int32_t value_width() const;  // bytes per PLAIN value; 0 for BYTE_ARRAY and BOOLEAN
};

// Throws ParquetError naming the column and what is wrong.
ColumnDescriptor describe_column(const Column& column);
std::vector<ColumnDescriptor> describe_schema(const std::vector<Column>& columns);

// The largest decimal precision a FIXED_LEN_BYTE_ARRAY of `length` bytes holds: floor(log10(2^(8n-1) - 1)).
std::int32_t max_decimal_precision(std::int32_t length);

// "INT32", "FIXED_LEN_BYTE_ARRAY", ...: the names of parquet.thrift, for messages.
std::string_view physical_type_name(PhysicalType type);

// One day in `unit`: the largest TIME value.
std::int64_t units_per_day(TimeUnit unit);

}  // namespace sluice::parquet
