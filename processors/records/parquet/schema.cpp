#include "schema.hpp"

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <string_view>

namespace sluice::parquet {

namespace {

// parquet.thrift ConvertedType values.
enum ConvertedType : std::int32_t {
  kUtf8 = 0,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kInt8 = 15,
  kJson = 19,
};

[[noreturn]] void fail(const Column& column, std::string_view what) {
  throw ParquetError("parquet schema: column '" + column.name + "': " + std::string(what));
}

void require_type(const Column& column, PhysicalType wanted, std::string_view logical) {
  if (column.type != wanted) {
    fail(column, std::string(logical) + " must annotate " + std::string(physical_type_name(wanted)) +
                     ", not " + std::string(physical_type_name(column.type)));
  }
}

std::int64_t pow10(std::int32_t exponent) {
  std::int64_t result = 1;
  for (std::int32_t i = 0; i < exponent; ++i) result *= 10;
  return result;
}

void describe_logical(const Column& column, ColumnDescriptor& d) {
  const LogicalType& logical = column.logical;
  switch (logical.kind) {
    case LogicalKind::kNone: break;
    case LogicalKind::kString:
      require_type(column, PhysicalType::kByteArray, "STRING");
      d.converted_type = kUtf8;
      d.utf8 = true;
      break;
    case LogicalKind::kJson:
      require_type(column, PhysicalType::kByteArray, "JSON");
      d.converted_type = kJson;
      d.utf8 = true;
      break;
    case LogicalKind::kEnum:
      require_type(column, PhysicalType::kByteArray, "ENUM");
      d.converted_type = kEnum;
      d.utf8 = true;
      break;
    case LogicalKind::kUuid:
      require_type(column, PhysicalType::kFixedLenByteArray, "UUID");
      if (column.type_length != 16) fail(column, "UUID needs a FIXED_LEN_BYTE_ARRAY of length 16");
      break;
    case LogicalKind::kDate:
      require_type(column, PhysicalType::kInt32, "DATE");
      d.converted_type = kDate;
      break;
    case LogicalKind::kTime:
      if (logical.unit == TimeUnit::kMillis) {
        require_type(column, PhysicalType::kInt32, "TIME(MILLIS)");
        d.converted_type = kTimeMillis;
      } else {
        require_type(column, PhysicalType::kInt64, "TIME(MICROS|NANOS)");
        if (logical.unit == TimeUnit::kMicros) d.converted_type = kTimeMicros;
      }
      d.min_integer = 0;
      d.max_integer = units_per_day(logical.unit);
      break;
    case LogicalKind::kTimestamp:
      require_type(column, PhysicalType::kInt64, "TIMESTAMP");
      // The spec asks for the legacy annotation on local (not UTC-adjusted) timestamps too.
      if (logical.unit == TimeUnit::kMillis) d.converted_type = kTimestampMillis;
      if (logical.unit == TimeUnit::kMicros) d.converted_type = kTimestampMicros;
      break;
    case LogicalKind::kDecimal: {
      if (logical.precision < 1) fail(column, "DECIMAL precision must be at least 1");
      if (logical.scale < 0 || logical.scale > logical.precision) {
        fail(column, "DECIMAL scale must be between 0 and the precision");
      }
      std::int32_t limit = 0;
      if (column.type == PhysicalType::kInt32) {
        limit = 9;
      } else if (column.type == PhysicalType::kInt64) {
        limit = 18;
      } else if (column.type == PhysicalType::kFixedLenByteArray) {
        limit = max_decimal_precision(column.type_length);
      } else {
        fail(column, "DECIMAL is written as INT32, INT64 or FIXED_LEN_BYTE_ARRAY, not " +
                         std::string(physical_type_name(column.type)));
      }
      if (logical.precision > limit) {
        fail(column, "DECIMAL precision " + std::to_string(logical.precision) + " does not fit " +
                         std::string(physical_type_name(column.type)) + " (at most " + std::to_string(limit) +
                         ")");
      }
      d.converted_type = kDecimal;
      if (column.type != PhysicalType::kFixedLenByteArray) {
        d.max_integer = pow10(logical.precision) - 1;
        d.min_integer = -d.max_integer;
      } else {
        d.sort_order = SortOrder::kDecimalBytes;
      }
      break;
    }
    case LogicalKind::kInteger: {
      const unsigned bits = logical.bit_width;
      if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
        fail(column, "INT bit width must be 8, 16, 32 or 64");
      require_type(column, bits == 64 ? PhysicalType::kInt64 : PhysicalType::kInt32,
                   "INT(" + std::to_string(bits) + ")");
      const int step = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
      d.converted_type = (logical.is_signed ? kInt8 : kUint8) + step;
      if (logical.is_signed) {
        if (bits < 64) {
          d.max_integer = (std::int64_t{1} << (bits - 1)) - 1;
          d.min_integer = -d.max_integer - 1;
        }
      } else {
        d.sort_order = SortOrder::kUnsigned;
        d.min_integer = 0;
        // Unsigned 64-bit values above INT64_MAX are not accepted through the int64 API.
        d.max_integer = bits == 64 ? std::numeric_limits<std::int64_t>::max() : (std::int64_t{1} << bits) - 1;
      }
      break;
    }
  }
}

}  // namespace

std::int32_t max_decimal_precision(std::int32_t length) {
  if (length <= 0) return 0;
  const long double bits = 8.0L * static_cast<long double>(length) - 1.0L;
  return static_cast<std::int32_t>(std::floor(bits * std::log10(2.0L)));
}

std::string_view physical_type_name(PhysicalType type) {
  switch (type) {
    case PhysicalType::kBoolean: return "BOOLEAN";
    case PhysicalType::kInt32: return "INT32";
    case PhysicalType::kInt64: return "INT64";
    case PhysicalType::kFloat: return "FLOAT";
    case PhysicalType::kDouble: return "DOUBLE";
    case PhysicalType::kByteArray: return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "an unknown physical type";
}

std::int64_t units_per_day(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis: return 86'400'000;
    case TimeUnit::kMicros: return 86'400'000'000;
    case TimeUnit::kNanos: return 86'400'000'000'000;
  }
  return 0;
}

std::int32_t ColumnDescriptor::value_width() const {
  switch (column.type) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kFixedLenByteArray: return column.type_length;
    case PhysicalType::kBoolean:
    case PhysicalType::kByteArray: return 0;
  }
  return 0;
}

ColumnDescriptor describe_column(const Column& column) {
  if (column.name.empty()) throw ParquetError("parquet schema: a column has an empty name");
  ColumnDescriptor d;
  d.column = column;
  switch (column.repetition) {
    case Repetition::kRequired: d.max_definition_level = 0; break;
    case Repetition::kOptional: d.max_definition_level = 1; break;
    default:
      fail(column, "repetition must be required or optional (nested and repeated fields are not supported)");
  }
  switch (column.type) {
    case PhysicalType::kBoolean: d.sort_order = SortOrder::kBoolean; break;
    case PhysicalType::kInt32:
      d.min_integer = std::numeric_limits<std::int32_t>::min();
      d.max_integer = std::numeric_limits<std::int32_t>::max();
      break;
    case PhysicalType::kInt64:
      d.min_integer = std::numeric_limits<std::int64_t>::min();
      d.max_integer = std::numeric_limits<std::int64_t>::max();
      break;
    case PhysicalType::kFloat:
    case PhysicalType::kDouble: d.sort_order = SortOrder::kFloat; break;
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: d.sort_order = SortOrder::kBytes; break;
    default: fail(column, "unknown physical type " + std::to_string(static_cast<int>(column.type)));
  }
  if (column.type == PhysicalType::kFixedLenByteArray) {
    if (column.type_length <= 0) fail(column, "FIXED_LEN_BYTE_ARRAY needs a type_length of at least 1");
  } else if (column.type_length != 0) {
    fail(column, "type_length is only for FIXED_LEN_BYTE_ARRAY");
  }
  describe_logical(column, d);
  return d;
}

std::vector<ColumnDescriptor> describe_schema(const std::vector<Column>& columns) {
  if (columns.empty()) throw ParquetError("parquet schema: no columns");
  std::vector<ColumnDescriptor> described;
  described.reserve(columns.size());
  std::set<std::string_view> names;
  for (const Column& column : columns) {
    if (!names.insert(column.name).second) fail(column, "the name is used by another column");
    described.push_back(describe_column(column));
  }
  return described;
}

}  // namespace sluice::parquet
