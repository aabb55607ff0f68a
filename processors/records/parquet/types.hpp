// The vocabulary of a Parquet schema and the writer's options, as the writer's callers see it. The enum
// values that also appear in the file carry the numbers of parquet.thrift.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::parquet {

// A bad schema, a value the column cannot hold, a call out of order, or a sink that failed. The message
// names the column and, for values, the row (0-based, counted over the whole file).
class ParquetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class PhysicalType : std::uint8_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

// Only flat schemas for now: nested groups and repeated fields (LIST, MAP) would add repetition levels.
enum class Repetition : std::uint8_t { kRequired = 0, kOptional = 1 };

enum class TimeUnit : std::uint8_t { kMillis, kMicros, kNanos };

enum class Codec : std::uint8_t { kUncompressed = 0, kSnappy = 1, kGzip = 2, kZstd = 6 };

enum class LogicalKind : std::uint8_t {
  kNone,       // the physical type alone
  kString,     // BYTE_ARRAY, UTF-8
  kJson,       // BYTE_ARRAY, UTF-8 JSON text
  kEnum,       // BYTE_ARRAY, UTF-8
  kUuid,       // FIXED_LEN_BYTE_ARRAY(16), big-endian
  kDate,       // INT32 days since 1970-01-01
  kTime,       // INT32 millis, INT64 micros or nanos since midnight
  kTimestamp,  // INT64 millis, micros or nanos since the epoch
  kDecimal,    // INT32 (precision <= 9), INT64 (<= 18), FIXED_LEN_BYTE_ARRAY (big-endian two's complement)
  kInteger,    // INT32 for 8/16/32 bits, INT64 for 64 bits; signed or unsigned
};

struct LogicalType {
  LogicalKind kind = LogicalKind::kNone;
  TimeUnit unit = TimeUnit::kMicros;  // kTime, kTimestamp
  bool utc_adjusted = true;           // kTime, kTimestamp: instants (true) or local wall-clock values
  std::int32_t precision = 0;         // kDecimal
  std::int32_t scale = 0;             // kDecimal
  std::uint8_t bit_width = 32;        // kInteger: 8, 16, 32 or 64
  bool is_signed = true;              // kInteger

  static LogicalType none() { return {}; }
  static LogicalType string() { return {.kind = LogicalKind::kString}; }
  static LogicalType json() { return {.kind = LogicalKind::kJson}; }
  static LogicalType enumeration() { return {.kind = LogicalKind::kEnum}; }
  static LogicalType uuid() { return {.kind = LogicalKind::kUuid}; }
  static LogicalType date() { return {.kind = LogicalKind::kDate}; }
  static LogicalType time(TimeUnit unit, bool utc_adjusted) {
    return {.kind = LogicalKind::kTime, .unit = unit, .utc_adjusted = utc_adjusted};
  }
  static LogicalType timestamp(TimeUnit unit, bool utc_adjusted) {
    return {.kind = LogicalKind::kTimestamp, .unit = unit, .utc_adjusted = utc_adjusted};
  }
  static LogicalType decimal(std::int32_t precision, std::int32_t scale) {
    return {.kind = LogicalKind::kDecimal, .precision = precision, .scale = scale};
  }
  static LogicalType integer(std::uint8_t bit_width, bool is_signed) {
    return {.kind = LogicalKind::kInteger, .bit_width = bit_width, .is_signed = is_signed};
  }
};

struct Column {
  std::string name{};
  PhysicalType type = PhysicalType::kByteArray;
  LogicalType logical{};
  Repetition repetition = Repetition::kOptional;
  std::int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY only: the length of every value in bytes
};

struct KeyValue {
  std::string key{};
  std::string value{};
};

struct WriterOptions {
  Codec codec = Codec::kSnappy;
  // 0 takes the codec's default: ZSTD level 1 (fast, as Arrow), GZIP level 6 (zlib's default).
  int compression_level = 0;
  // Dictionary-encode every column but BOOLEAN until its dictionary passes dictionary_page_size_limit
  // bytes (PLAIN-encoded size) in a row group; from then on that column is PLAIN for the rest of the file.
  bool dictionary = true;
  std::size_t dictionary_page_size_limit = std::size_t{1} << 20;
  // A data page closes at the first row boundary where its encoded values pass this size, or at
  // max_rows_per_page rows.
  std::size_t data_page_size = std::size_t{1} << 20;
  std::size_t max_rows_per_page = 20'000;
  // A row group closes at the first row boundary where the buffered (encoded, compressed) data of all
  // columns passes this size. Memory stays within about this much plus one open page per column.
  std::size_t row_group_size = std::size_t{64} << 20;
  // min/max statistics are left out for a column chunk whose min or max value is longer than this.
  std::size_t max_statistics_size = 4096;
  // STRING, JSON and ENUM values must be valid UTF-8 (DuckDB refuses files that break this).
  bool validate_utf8 = true;
  std::vector<KeyValue> key_value_metadata{};
};

}  // namespace sluice::parquet
