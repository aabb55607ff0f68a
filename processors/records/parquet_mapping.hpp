// How a record schema becomes Parquet columns, and a record's values a Parquet row. One column per
// top-level field: primitives and logical types map one to one (see the table in parquet_mapping.cpp and
// the ParquetWriter spec); a nullable field (a union with null) is an OPTIONAL column, any other REQUIRED.
// Nested records, arrays, maps and unions of several types are refused until the encoder writes
// repetition levels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "parquet/types.hpp"
#include "parquet/writer.hpp"
#include "sluice/record.hpp"

namespace sluice::records {

// What to call on the Parquet writer for a field's (converted) value.
enum class ParquetAppend : std::uint8_t {
  kNull,  // a field of type null: every value is null
  kBool,
  kInt,  // int → INT32, long → INT64
  kFloat,
  kDouble,
  kBytes,         // string, enum, bytes, fixed: the value's bytes
  kDecimal,       // unscaled value in INT32/INT64
  kDecimalFixed,  // unscaled value in FIXED_LEN_BYTE_ARRAY, big-endian two's complement
  kDate,          // days
  kTime,          // micros in the record model, written in the column's unit
  kTimestamp,     // micros since the epoch, written in the column's unit
};

struct ParquetField {
  const DataType* type = nullptr;        // the field's type as declared (a union with null for OPTIONAL)
  const DataType* value_type = nullptr;  // its non-null type
  ParquetAppend append = ParquetAppend::kNull;
  parquet::TimeUnit unit = parquet::TimeUnit::kMicros;  // kTime, kTimestamp
  int scale = 0;                                        // decimals
  std::size_t fixed_length = 0;                         // kDecimalFixed
};

struct ParquetLayout {
  std::vector<parquet::Column> columns;  // one per field of the record schema, in order
  std::vector<ParquetField> fields;
};

struct ParquetMappingOptions {
  parquet::TimeUnit timestamp_unit = parquet::TimeUnit::kMicros;  // of every timestamp column
};

// Maps every top-level field of `schema` (a record). Throws RecordWriteError naming every field that has
// no Parquet column yet.
ParquetLayout map_schema(const DataType& schema, const ParquetMappingOptions& options);

// Appends `value`, already converted to the field's type (convert_value), to `column` of the current row.
// False with `reason` for a value the column's unit cannot hold without loss (a timestamp with microseconds
// in a millisecond column); the encoder's own checks throw parquet::ParquetError.
bool append_value(parquet::Writer& writer, std::size_t column, const ParquetField& field, const Value& value,
                  std::string& scratch, std::string& reason);

}  // namespace sluice::records
