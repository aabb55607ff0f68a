// Record schemas, in the terms of Avro's schema language: a schema is a DataType tree whose root is a
// record. Schemas are immutable once built and shared (DataTypePtr); readers, writers and processors hold
// them for as long as they need and compare them by pointer to cache per-schema work.
//
//   auto schema = sluice::parse_avro_schema(R"({"type":"record","name":"meter","fields":[
//                                              {"name":"meter_id","type":"string"},
//                                              {"name":"kwh","type":["null","double"],"default":null}]})");
//   std::string json = sluice::to_avro_json(*schema);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// The Avro types (primitive, complex and the logical types sluice understands).
enum class TypeKind : std::uint8_t {
  kNull,
  kBoolean,
  kInt,   // 32-bit
  kLong,  // 64-bit
  kFloat,
  kDouble,
  kBytes,
  kString,
  kDecimal,          // logical on bytes (or fixed when fixed_size > 0): precision, scale
  kDate,             // logical on int: days since 1970-01-01
  kTimeMillis,       // logical on int
  kTimeMicros,       // logical on long
  kTimestampMillis,  // logical on long: an instant (UTC)
  kTimestampMicros,  // logical on long
  kEnum,
  kFixed,
  kArray,
  kMap,
  kRecord,
  kUnion,
};

class DataType;
using DataTypePtr = std::shared_ptr<const DataType>;

struct Field {
  std::string name;
  DataTypePtr type;
  // The Avro default as JSON text ("null", "0", "\"x\""), used when a reader schema adds this field.
  std::optional<std::string> default_json;
  std::vector<std::string> aliases;
  std::string doc;
};

class DataType {
 public:
  TypeKind kind = TypeKind::kNull;
  // Named types (record, enum, fixed): the full name is name_space + "." + name.
  std::string name;
  std::string name_space;
  std::vector<std::string> aliases;
  std::string doc;
  std::vector<Field> fields;          // kRecord
  std::vector<std::string> symbols;   // kEnum
  std::vector<DataTypePtr> branches;  // kUnion, in declaration order
  DataTypePtr items;                  // kArray items, kMap values
  int precision = 0;                  // kDecimal
  int scale = 0;                      // kDecimal
  std::size_t fixed_size = 0;         // kFixed, or kDecimal stored as fixed

  // Index of the field named `field_name` (or with that alias when `with_aliases`), or -1.
  [[nodiscard]] int field_index(std::string_view field_name, bool with_aliases = false) const;
  // A union with a "null" branch.
  [[nodiscard]] bool is_nullable() const;
  // For a union of null and one other type, that type; otherwise this type.
  [[nodiscard]] const DataType& non_null() const;
  [[nodiscard]] std::string full_name() const;

  static DataTypePtr primitive(TypeKind kind);
  static DataTypePtr nullable(DataTypePtr type);  // ["null", type]
  static DataTypePtr array_of(DataTypePtr items);
  static DataTypePtr map_of(DataTypePtr values);
  static DataTypePtr decimal(int precision, int scale);
  static DataTypePtr record(std::string name, std::vector<Field> fields);
};

// The Avro name of a kind ("long", "timestamp-micros", "record", …).
std::string_view type_name(TypeKind kind);

// A schema that cannot be parsed or resolved: the message says what and where (a JSON path such as
// `fields[2].type`, or the byte offset of a JSON syntax error).
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses Avro schema JSON (a record at the root). Throws SchemaError.
DataTypePtr parse_avro_schema(std::string_view json);
// Canonical Avro schema JSON for `type` (compact, with logical types and defaults).
std::string to_avro_json(const DataType& type);

// Schema evolution: whether data written with `writer` can be read as `reader` under Avro's resolution
// rules (fields matched by name or reader alias, reader-only fields need a default, writer-only fields are
// skipped, int→long→float→double and string↔bytes promotions, unions resolved branch by branch, named types
// matched by name or alias). Returns one message per incompatibility; empty when compatible.
std::vector<std::string> resolution_problems(const DataType& writer, const DataType& reader);

// Whether two schemas describe the same records (same fields, names and types, in order).
bool same_schema(const DataType& a, const DataType& b);

// Type inference from text values (CSV cells, JSON scalars written as strings). Each column keeps the
// narrowest type that every value seen so far fits: boolean, long, double, timestamp, date, string.
enum class InferredKind : std::uint8_t { kNone, kBoolean, kLong, kDouble, kDate, kTimestamp, kString };

struct InferenceOptions {
  bool numbers = true;     // long, double
  bool booleans = true;    // true/false
  bool timestamps = true;  // ISO 8601 date and date-time
};

// Widens `current` so that it also covers `text`.
InferredKind widen(InferredKind current, std::string_view text, const InferenceOptions& options);
// The Avro type for an inferred column; always nullable so that a missing value stays representable.
DataTypePtr inferred_type(InferredKind kind);

}  // namespace sluice
