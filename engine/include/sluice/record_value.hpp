// Record values and records. A Value is 16 bytes and owns nothing: strings, bytes and decimals are views
// (into the reader's buffer or the record's arena), arrays, maps and nested records point at Values in the
// arena. A Record is reused from one record to the next: reading a record resets its arena without freeing,
// so the hot path allocates nothing per field or per record once the arena has grown to fit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/record_schema.hpp"

namespace sluice {

enum class ValueKind : std::uint8_t {
  kNull,
  kBoolean,
  kInt,        // 64-bit signed (Avro int and long)
  kDouble,     // Avro float and double
  kDecimal,    // decimal text ("-12.50"), any number of digits
  kString,     // UTF-8
  kBytes,      // raw bytes (Avro bytes and fixed)
  kDate,       // days since 1970-01-01
  kTime,       // microseconds since midnight
  kTimestamp,  // microseconds since 1970-01-01T00:00:00Z, plus the UTC offset it was written with
  kArray,
  kMap,
  kRecord,  // nested record: its fields in the order of its schema
};

struct MapEntry;

class Value {
 public:
  Value() = default;
  static Value boolean(bool b) { return Value(ValueKind::kBoolean).with_int(b ? 1 : 0); }
  static Value integer(std::int64_t i) { return Value(ValueKind::kInt).with_int(i); }
  static Value real(double d) {
    Value v(ValueKind::kDouble);
    v.u_.d = d;
    return v;
  }
  static Value decimal(std::string_view text) { return Value(ValueKind::kDecimal).with_text(text); }
  static Value string(std::string_view text) { return Value(ValueKind::kString).with_text(text); }
  static Value bytes(std::string_view raw) { return Value(ValueKind::kBytes).with_text(raw); }
  static Value date(std::int32_t days) { return Value(ValueKind::kDate).with_int(days); }
  static Value time(std::int64_t micros) { return Value(ValueKind::kTime).with_int(micros); }
  static Value timestamp(std::int64_t micros, std::int16_t offset_minutes = 0) {
    Value v = Value(ValueKind::kTimestamp).with_int(micros);
    v.aux_ = offset_minutes;
    return v;
  }
  static Value array(const Value* items, std::size_t n) {
    Value v(ValueKind::kArray);
    v.u_.items = items;
    v.size_ = static_cast<std::uint32_t>(n);
    return v;
  }
  static Value record(const Value* fields, std::size_t n) {
    Value v = array(fields, n);
    v.kind_ = ValueKind::kRecord;
    return v;
  }
  static Value map(const MapEntry* entries, std::size_t n) {
    Value v(ValueKind::kMap);
    v.u_.entries = entries;
    v.size_ = static_cast<std::uint32_t>(n);
    return v;
  }

  [[nodiscard]] ValueKind kind() const { return kind_; }
  [[nodiscard]] bool is_null() const { return kind_ == ValueKind::kNull; }
  [[nodiscard]] bool as_bool() const { return u_.i != 0; }
  // kInt, kDate, kTime, kTimestamp (micros).
  [[nodiscard]] std::int64_t as_int() const { return u_.i; }
  [[nodiscard]] double as_double() const { return u_.d; }
  // kString, kBytes, kDecimal.
  [[nodiscard]] std::string_view as_text() const { return {u_.p, size_}; }
  [[nodiscard]] std::int16_t offset_minutes() const { return aux_; }
  // kArray items and kRecord fields.
  [[nodiscard]] std::span<const Value> items() const { return {u_.items, size_}; }
  [[nodiscard]] std::span<const MapEntry> entries() const;

 private:
  explicit Value(ValueKind kind) : kind_(kind) {}
  Value with_int(std::int64_t i) {
    u_.i = i;
    return *this;
  }
  Value with_text(std::string_view t) {
    u_.p = t.data();
    size_ = static_cast<std::uint32_t>(t.size());
    return *this;
  }

  union {
    std::int64_t i;
    double d;
    const char* p;
    const Value* items;
    const MapEntry* entries;
  } u_{0};
  std::uint32_t size_ = 0;
  std::int16_t aux_ = 0;
  ValueKind kind_ = ValueKind::kNull;
};

struct MapEntry {
  std::string_view key;
  Value value;
};

inline std::span<const MapEntry> Value::entries() const {
  return {u_.entries, size_};
}

// A bump allocator for the values and text of one record. reset() keeps the memory for the next record.
class RecordArena {
 public:
  RecordArena() = default;
  RecordArena(const RecordArena&) = delete;
  RecordArena& operator=(const RecordArena&) = delete;
  RecordArena(RecordArena&&) noexcept = default;
  RecordArena& operator=(RecordArena&&) noexcept = default;

  void* allocate(std::size_t bytes, std::size_t align);
  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    auto* p = static_cast<char*>(allocate(text.size(), 1));
    std::memcpy(p, text.data(), text.size());
    return {p, text.size()};
  }
  // `n` null Values.
  Value* values(std::size_t n);
  MapEntry* entries(std::size_t n);
  void reset();

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
  };
  std::vector<Block> blocks_;
  std::size_t block_ = 0;  // the block being filled
  std::size_t used_ = 0;   // bytes used in it
};

// One record of a schema: a Value per top-level field, in schema order, plus the arena its nested values
// and copied text live in. Readers fill it; processors read and change it; writers write it.
class Record {
 public:
  Record() = default;
  explicit Record(DataTypePtr schema) { reset(std::move(schema)); }

  // Switches to `schema` (when not already on it) and clears every field to null.
  void reset(DataTypePtr schema);
  // Clears every field to null and the arena, keeping the schema and the memory.
  void clear();

  [[nodiscard]] const DataType& schema() const { return *schema_; }
  [[nodiscard]] const DataTypePtr& schema_ptr() const { return schema_; }
  [[nodiscard]] std::span<Value> fields() { return fields_; }
  [[nodiscard]] std::span<const Value> fields() const { return fields_; }
  Value& operator[](std::size_t i) { return fields_[i]; }
  const Value& operator[](std::size_t i) const { return fields_[i]; }
  // The field named `name`, or nullptr.
  [[nodiscard]] const Value* find(std::string_view name) const;
  RecordArena& arena() { return arena_; }

 private:
  DataTypePtr schema_;
  std::vector<Value> fields_;
  RecordArena arena_;
};

// ---- Conversions between text and values, shared by every reader and writer -------------------------

// Converts `value` to `type` (a union tries its branches in order, preferring one of the value's own
// kind). Strings are parsed (numbers, booleans, ISO 8601 dates and times, decimals); numbers are promoted
// and narrowed only without loss. Text is copied into `arena` only when a new text is built. Returns the
// converted value, or nullopt with `reason` set ("'abc' is not a double").
std::optional<Value> convert_value(const Value& value, const DataType& type, RecordArena& arena,
                                   std::string& reason);

// Appends the value's plain text: numbers in shortest round-trip form, timestamps in ISO 8601, bytes raw,
// booleans true/false, null as nothing, arrays/maps/records as JSON.
void append_text(const Value& value, std::string& out);
// Appends the value as JSON (strings escaped and quoted; decimals as JSON numbers, without loss).
void append_json(const Value& value, const DataType* type, std::string& out);
// Appends a JSON string literal for `text` (quoted, escaped).
void append_json_string(std::string_view text, std::string& out);

// Dates and times in ISO 8601.
std::optional<std::int32_t> parse_date(std::string_view text);  // 2024-03-01
std::optional<std::int64_t> parse_time(std::string_view text);  // 13:45:00[.123456]
struct ParsedTimestamp {
  std::int64_t micros = 0;
  std::int16_t offset_minutes = 0;
};
// 2024-03-01T13:45:00[.fraction](Z|±hh:mm)?; a space may replace the T; no zone means UTC.
std::optional<ParsedTimestamp> parse_timestamp(std::string_view text);
void append_date(std::int32_t days, std::string& out);
void append_time(std::int64_t micros, std::string& out);
void append_timestamp(std::int64_t micros, std::int16_t offset_minutes, std::string& out);

// Decimals. A decimal's text is normalized to [-]digits[.digits] (no exponent, no leading '+').
// Returns false when `text` is not a decimal number.
bool normalize_decimal(std::string_view text, std::string& out);
// Rescales to `scale` fraction digits (padding with zeros); false when digits would be lost.
bool rescale_decimal(std::string_view normalized, int scale, std::string& out);
// Avro's decimal encoding: the unscaled integer as big-endian two's complement bytes (any length).
void decimal_to_unscaled(std::string_view normalized, int scale, std::string& out);
void unscaled_to_decimal(std::string_view bytes, int scale, std::string& out);
// The number of significant digits of a normalized decimal (its precision).
int decimal_precision(std::string_view normalized);

}  // namespace sluice
