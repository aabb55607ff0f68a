// Record schema → Parquet columns: every type of the record model, nullability, decimal widths, the
// timestamp unit, and the schemas the encoder cannot write yet.
#include "parquet_mapping.hpp"

#include <string>

#include <gtest/gtest.h>

#include "record_write_error.hpp"
#include "sluice/record.hpp"

namespace sluice::records {
namespace {

using parquet::LogicalKind;
using parquet::PhysicalType;
using parquet::Repetition;
using parquet::TimeUnit;

ParquetLayout map(const std::string& fields_json, ParquetMappingOptions options = {}) {
  return map_schema(*parse_avro_schema(R"({"type":"record","name":"r","fields":[)" + fields_json + "]}"),
                    options);
}

std::string refusal(const std::string& fields_json) {
  try {
    map(fields_json);
  } catch (const RecordWriteError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ParquetMappingTest, EveryPrimitiveHasItsPhysicalType) {
  const ParquetLayout l = map(R"({"name":"b","type":"boolean"},{"name":"i","type":"int"},
      {"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},
      {"name":"s","type":"string"},{"name":"y","type":"bytes"},
      {"name":"x","type":{"type":"fixed","name":"x4","size":4}},
      {"name":"e","type":{"type":"enum","name":"st","symbols":["OK","FAULT"]}},
      {"name":"n","type":"null"})");
  ASSERT_EQ(l.columns.size(), 10U);
  const PhysicalType want[] = {PhysicalType::kBoolean,   PhysicalType::kInt32,
                               PhysicalType::kInt64,     PhysicalType::kFloat,
                               PhysicalType::kDouble,    PhysicalType::kByteArray,
                               PhysicalType::kByteArray, PhysicalType::kFixedLenByteArray,
                               PhysicalType::kByteArray, PhysicalType::kByteArray};
  for (std::size_t i = 0; i < l.columns.size(); ++i) EXPECT_EQ(l.columns[i].type, want[i]) << i;
  EXPECT_EQ(l.columns[0].name, "b");
  EXPECT_EQ(l.columns[4].logical.kind, LogicalKind::kNone);
  EXPECT_EQ(l.columns[5].logical.kind, LogicalKind::kString);
  EXPECT_EQ(l.columns[6].logical.kind, LogicalKind::kNone);  // bytes are not text
  EXPECT_EQ(l.columns[7].type_length, 4);
  EXPECT_EQ(l.columns[8].logical.kind, LogicalKind::kEnum);
  EXPECT_EQ(l.columns[9].logical.kind, LogicalKind::kString);
  EXPECT_EQ(l.columns[9].repetition, Repetition::kOptional);  // a null field holds only nulls
  EXPECT_EQ(l.fields[9].append, ParquetAppend::kNull);
}

TEST(ParquetMappingTest, NullableFieldsAreOptionalOthersRequired) {
  const ParquetLayout l = map(R"({"name":"a","type":"long"},{"name":"b","type":["null","long"]},
      {"name":"c","type":["double","null"]})");
  EXPECT_EQ(l.columns[0].repetition, Repetition::kRequired);
  EXPECT_EQ(l.columns[1].repetition, Repetition::kOptional);
  EXPECT_EQ(l.columns[1].type, PhysicalType::kInt64);
  EXPECT_EQ(l.columns[2].repetition, Repetition::kOptional);
  EXPECT_EQ(l.columns[2].type, PhysicalType::kDouble);
}

TEST(ParquetMappingTest, DecimalsTakeTheNarrowestPhysicalTypeForTheirPrecision) {
  const ParquetLayout l = map(R"(
      {"name":"p9","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
      {"name":"p10","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":0}},
      {"name":"p18","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":6}},
      {"name":"p19","type":{"type":"bytes","logicalType":"decimal","precision":19,"scale":4}},
      {"name":"p38","type":["null",{"type":"bytes","logicalType":"decimal","precision":38,"scale":10}]})");
  EXPECT_EQ(l.columns[0].type, PhysicalType::kInt32);
  EXPECT_EQ(l.columns[1].type, PhysicalType::kInt64);
  EXPECT_EQ(l.columns[2].type, PhysicalType::kInt64);
  EXPECT_EQ(l.columns[3].type, PhysicalType::kFixedLenByteArray);
  EXPECT_EQ(l.columns[3].type_length, 9);  // 9 bytes hold 21 digits, 8 only 18
  EXPECT_EQ(l.columns[4].type_length, 16);
  EXPECT_EQ(l.columns[4].repetition, Repetition::kOptional);
  for (const auto& c : l.columns) EXPECT_EQ(c.logical.kind, LogicalKind::kDecimal) << c.name;
  EXPECT_EQ(l.columns[0].logical.precision, 9);
  EXPECT_EQ(l.columns[0].logical.scale, 2);
  EXPECT_EQ(l.columns[4].logical.precision, 38);
  EXPECT_EQ(l.columns[4].logical.scale, 10);
  EXPECT_EQ(l.fields[3].append, ParquetAppend::kDecimalFixed);
  EXPECT_EQ(l.fields[3].scale, 4);
}

TEST(ParquetMappingTest, DatesTimesAndTimestamps) {
  const std::string fields = R"({"name":"d","type":{"type":"int","logicalType":"date"}},
      {"name":"tm","type":{"type":"int","logicalType":"time-millis"}},
      {"name":"tu","type":{"type":"long","logicalType":"time-micros"}},
      {"name":"sm","type":{"type":"long","logicalType":"timestamp-millis"}},
      {"name":"su","type":["null",{"type":"long","logicalType":"timestamp-micros"}]})";
  const ParquetLayout l = map(fields);
  EXPECT_EQ(l.columns[0].type, PhysicalType::kInt32);
  EXPECT_EQ(l.columns[0].logical.kind, LogicalKind::kDate);
  EXPECT_EQ(l.columns[1].type, PhysicalType::kInt32);
  EXPECT_EQ(l.columns[1].logical.kind, LogicalKind::kTime);
  EXPECT_EQ(l.columns[1].logical.unit, TimeUnit::kMillis);
  EXPECT_FALSE(l.columns[1].logical.utc_adjusted);  // a time of day, not an instant
  EXPECT_EQ(l.columns[2].type, PhysicalType::kInt64);
  EXPECT_EQ(l.columns[2].logical.unit, TimeUnit::kMicros);
  for (std::size_t i : {3U, 4U}) {
    EXPECT_EQ(l.columns[i].type, PhysicalType::kInt64);
    EXPECT_EQ(l.columns[i].logical.kind, LogicalKind::kTimestamp);
    EXPECT_TRUE(l.columns[i].logical.utc_adjusted);
    EXPECT_EQ(l.columns[i].logical.unit, TimeUnit::kMicros);  // timestamp_unit's default, for both
  }
  const ParquetLayout millis = map(fields, {.timestamp_unit = TimeUnit::kMillis});
  EXPECT_EQ(millis.columns[3].logical.unit, TimeUnit::kMillis);
  EXPECT_EQ(millis.columns[4].logical.unit, TimeUnit::kMillis);
  EXPECT_EQ(millis.fields[4].unit, TimeUnit::kMillis);
}

TEST(ParquetMappingTest, NestedFieldsAreRefusedEachByName) {
  const std::string why = refusal(R"({"name":"meter","type":"string"},
      {"name":"reading","type":{"type":"record","name":"rd","fields":[{"name":"kwh","type":"double"}]}},
      {"name":"tags","type":{"type":"array","items":"string"}},
      {"name":"labels","type":["null",{"type":"map","values":"string"}]},
      {"name":"either","type":["null","long","string"]})");
  EXPECT_EQ(why,
            "the Parquet writer cannot write this schema: field 'reading': nested records are not supported "
            "yet; field 'tags': arrays are not supported yet; field 'labels': maps are not supported yet; "
            "field 'either': unions of several types are not supported (only [\"null\", T])");
}

TEST(ParquetMappingTest, AFlatSchemaIsNotRefused) {
  EXPECT_EQ(refusal(R"({"name":"meter","type":"string"})"), "(accepted)");
}

}  // namespace
}  // namespace sluice::records
