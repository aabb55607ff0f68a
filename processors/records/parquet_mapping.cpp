#include "parquet_mapping.hpp"

#include "parquet/schema.hpp"
#include "record_write_error.hpp"

namespace sluice::records {

namespace {

using parquet::Column;
using parquet::LogicalType;
using parquet::PhysicalType;
using parquet::TimeUnit;

// The smallest FIXED_LEN_BYTE_ARRAY that holds every unscaled value of `precision` digits.
std::int32_t decimal_length(int precision) {
  std::int32_t length = 1;
  while (parquet::max_decimal_precision(length) < precision) ++length;
  return length;
}

// The column and the append call for a non-null type; an empty reason when it has a column.
ParquetField map_type(const DataType& t, const ParquetMappingOptions& options, Column& column,
                      std::string& reason) {
  ParquetField f;
  switch (t.kind) {
    // A field that is always null still needs a physical type: an all-null UTF-8 column reads as text.
    case TypeKind::kNull:
      column.type = PhysicalType::kByteArray;
      column.logical = LogicalType::string();
      f.append = ParquetAppend::kNull;
      break;
    case TypeKind::kBoolean:
      column.type = PhysicalType::kBoolean;
      f.append = ParquetAppend::kBool;
      break;
    case TypeKind::kInt:
      column.type = PhysicalType::kInt32;
      f.append = ParquetAppend::kInt;
      break;
    case TypeKind::kLong:
      column.type = PhysicalType::kInt64;
      f.append = ParquetAppend::kInt;
      break;
    case TypeKind::kFloat:
      column.type = PhysicalType::kFloat;
      f.append = ParquetAppend::kFloat;
      break;
    case TypeKind::kDouble:
      column.type = PhysicalType::kDouble;
      f.append = ParquetAppend::kDouble;
      break;
    case TypeKind::kBytes:
      column.type = PhysicalType::kByteArray;
      f.append = ParquetAppend::kBytes;
      break;
    case TypeKind::kFixed:
      column.type = PhysicalType::kFixedLenByteArray;
      column.type_length = static_cast<std::int32_t>(t.fixed_size);
      f.append = ParquetAppend::kBytes;
      break;
    case TypeKind::kString:
      column.type = PhysicalType::kByteArray;
      column.logical = LogicalType::string();
      f.append = ParquetAppend::kBytes;
      break;
    case TypeKind::kEnum:
      column.type = PhysicalType::kByteArray;
      column.logical = LogicalType::enumeration();
      f.append = ParquetAppend::kBytes;
      break;
    case TypeKind::kDecimal:
      if (t.precision <= 0) {
        reason = "a decimal needs a precision";
        break;
      }
      column.logical = LogicalType::decimal(t.precision, t.scale);
      f.scale = t.scale;
      if (t.precision <= 9) {
        column.type = PhysicalType::kInt32;
        f.append = ParquetAppend::kDecimal;
      } else if (t.precision <= 18) {
        column.type = PhysicalType::kInt64;
        f.append = ParquetAppend::kDecimal;
      } else {
        column.type = PhysicalType::kFixedLenByteArray;
        column.type_length = decimal_length(t.precision);
        f.fixed_length = static_cast<std::size_t>(column.type_length);
        f.append = ParquetAppend::kDecimalFixed;
      }
      break;
    case TypeKind::kDate:
      column.type = PhysicalType::kInt32;
      column.logical = LogicalType::date();
      f.append = ParquetAppend::kDate;
      break;
    // A time of day is wall-clock time, not an instant: readers (DuckDB) take a UTC-adjusted TIME as a
    // time with time zone.
    case TypeKind::kTimeMillis:
      column.type = PhysicalType::kInt32;
      column.logical = LogicalType::time(TimeUnit::kMillis, false);
      f.append = ParquetAppend::kTime;
      f.unit = TimeUnit::kMillis;
      break;
    case TypeKind::kTimeMicros:
      column.type = PhysicalType::kInt64;
      column.logical = LogicalType::time(TimeUnit::kMicros, false);
      f.append = ParquetAppend::kTime;
      f.unit = TimeUnit::kMicros;
      break;
    case TypeKind::kTimestampMillis:
    case TypeKind::kTimestampMicros:
      column.type = PhysicalType::kInt64;
      column.logical = LogicalType::timestamp(options.timestamp_unit, true);
      f.append = ParquetAppend::kTimestamp;
      f.unit = options.timestamp_unit;
      break;
    case TypeKind::kRecord: reason = "nested records are not supported yet"; break;
    case TypeKind::kArray: reason = "arrays are not supported yet"; break;
    case TypeKind::kMap: reason = "maps are not supported yet"; break;
    case TypeKind::kUnion: reason = "unions of several types are not supported (only [\"null\", T])"; break;
  }
  return f;
}

// `micros` in `unit`; false when that would drop digits.
bool in_unit(std::int64_t micros, TimeUnit unit, std::int64_t& out) {
  if (unit == TimeUnit::kMicros) {
    out = micros;
    return true;
  }
  if (micros % 1000 != 0) return false;
  out = micros / 1000;
  return true;
}

}  // namespace

ParquetLayout map_schema(const DataType& schema, const ParquetMappingOptions& options) {
  if (schema.kind != TypeKind::kRecord) throw RecordWriteError("a Parquet file needs a record schema");
  ParquetLayout layout;
  std::string problems;
  for (const Field& field : schema.fields) {
    const DataType& declared = *field.type;
    const bool optional = declared.is_nullable() || declared.kind == TypeKind::kNull;
    const DataType& value_type = declared.non_null();  // still a union when it has several types
    Column column;
    column.name = field.name;
    column.repetition = optional ? parquet::Repetition::kOptional : parquet::Repetition::kRequired;
    std::string reason;
    ParquetField f = map_type(value_type, options, column, reason);
    if (!reason.empty()) {
      problems += problems.empty() ? "" : "; ";
      problems += "field '" + field.name + "': " + reason;
      continue;
    }
    f.type = &declared;
    f.value_type = &value_type;
    layout.columns.push_back(std::move(column));
    layout.fields.push_back(f);
  }
  if (!problems.empty()) throw RecordWriteError("the Parquet writer cannot write this schema: " + problems);
  return layout;
}

bool append_value(parquet::Writer& writer, std::size_t column, const ParquetField& field, const Value& value,
                  std::string& scratch, std::string& reason) {
  if (value.is_null()) {
    writer.append_null(column);
    return true;
  }
  switch (field.append) {
    case ParquetAppend::kNull: writer.append_null(column); return true;
    case ParquetAppend::kBool: writer.append_bool(column, value.as_bool()); return true;
    case ParquetAppend::kInt:
    case ParquetAppend::kDate: writer.append_int64(column, value.as_int()); return true;
    case ParquetAppend::kFloat:
      writer.append_float(column, static_cast<float>(value.as_double()));
      return true;
    case ParquetAppend::kDouble: writer.append_double(column, value.as_double()); return true;
    case ParquetAppend::kBytes: writer.append_bytes(column, value.as_text()); return true;
    case ParquetAppend::kDecimal:
    case ParquetAppend::kDecimalFixed: {
      scratch.clear();
      decimal_to_unscaled(value.as_text(), field.scale, scratch);
      if (field.append == ParquetAppend::kDecimalFixed) {
        if (scratch.size() > field.fixed_length) {
          reason = "'" + std::string(value.as_text()) + "' does not fit the column's " +
                   std::to_string(field.fixed_length) + " bytes";
          return false;
        }
        const char pad = (!scratch.empty() && (scratch[0] & 0x80) != 0) ? '\xff' : '\0';
        scratch.insert(0, field.fixed_length - scratch.size(), pad);
        writer.append_bytes(column, scratch);
        return true;
      }
      if (scratch.size() > 8) {
        reason = "'" + std::string(value.as_text()) + "' is out of the column's range";
        return false;
      }
      // Big-endian two's complement, sign-extended to 64 bits.
      std::uint64_t bits = (!scratch.empty() && (scratch[0] & 0x80) != 0) ? ~std::uint64_t{0} : 0;
      for (const char c : scratch) bits = (bits << 8U) | static_cast<unsigned char>(c);
      writer.append_decimal(column, static_cast<std::int64_t>(bits));
      return true;
    }
    case ParquetAppend::kTime:
    case ParquetAppend::kTimestamp: {
      std::int64_t stored = 0;
      if (!in_unit(value.as_int(), field.unit, stored)) {
        scratch.clear();
        if (field.append == ParquetAppend::kTime) {
          append_time(value.as_int(), scratch);
        } else {
          append_timestamp(value.as_int(), value.offset_minutes(), scratch);
        }
        reason = scratch + " has sub-millisecond digits; the column is in milliseconds";
        return false;
      }
      writer.append_int64(column, stored);
      return true;
    }
  }
  return false;
}

}  // namespace sluice::records
