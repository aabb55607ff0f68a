// Avro schema JSON, schema resolution (evolution) and type inference.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sluice/record.hpp"

namespace sluice {
namespace {

constexpr const char* kMeter = R"({"type":"record","name":"meter","namespace":"sluice.test","fields":[
  {"name":"meter_id","type":"string"},
  {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
  {"name":"kwh","type":["null","double"],"default":null},
  {"name":"cost","type":{"type":"bytes","logicalType":"decimal","precision":38,"scale":4}},
  {"name":"status","type":{"type":"enum","name":"status","symbols":["OK","FAULT"]}},
  {"name":"reading","type":{"type":"record","name":"reading","fields":[{"name":"volts","type":"float"}]}},
  {"name":"tags","type":{"type":"map","values":"string"}},
  {"name":"history","type":{"type":"array","items":"reading"}}]})";

TEST(RecordSchema, ParsesEveryKindAndWritesItBack) {
  auto schema = parse_avro_schema(kMeter);
  ASSERT_EQ(schema->fields.size(), 8U);
  EXPECT_EQ(schema->full_name(), "sluice.test.meter");
  EXPECT_EQ(schema->fields[1].type->kind, TypeKind::kTimestampMicros);
  EXPECT_TRUE(schema->fields[2].type->is_nullable());
  EXPECT_EQ(schema->fields[2].type->non_null().kind, TypeKind::kDouble);
  EXPECT_EQ(schema->fields[3].type->kind, TypeKind::kDecimal);
  EXPECT_EQ(schema->fields[3].type->scale, 4);
  EXPECT_EQ(schema->fields[7].type->items.get(), schema->fields[5].type.get());  // named reference
  auto again = parse_avro_schema(to_avro_json(*schema));
  EXPECT_TRUE(same_schema(*schema, *again));
  EXPECT_EQ(to_avro_json(*again), to_avro_json(*schema));
}

TEST(RecordSchema, ErrorsSayWhere) {
  auto message = [](const char* json) {
    try {
      parse_avro_schema(json);
    } catch (const SchemaError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(R"({"type":"record","name":"r","fields":[{"name":"a","type":"strin"}]})"),
            "schema fields[0].type: unknown type 'strin'");
  EXPECT_NE(message(R"({"type":"record","name":"r","fields":[)").find("not valid JSON at byte"),
            std::string::npos);
  EXPECT_EQ(
      message(
          R"({"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]})"),
      "schema fields[1]: field 'a' appears twice");
  EXPECT_EQ(message(R"("int")"), "schema root: must be a record, not int");
  EXPECT_EQ(message(R"({"type":"record","name":"n","fields":[{"name":"next","type":["null","n"]}]})"),
            "schema fields[0].type[1]: recursive type 'n' is not supported");
}

TEST(RecordSchemaResolution, AddedFieldNeedsADefault) {
  auto writer = parse_avro_schema(R"({"type":"record","name":"m","fields":[{"name":"id","type":"string"}]})");
  auto with_default = parse_avro_schema(R"({"type":"record","name":"m","fields":[
      {"name":"id","type":"string"},{"name":"site","type":"string","default":"north"}]})");
  auto without_default = parse_avro_schema(R"({"type":"record","name":"m","fields":[
      {"name":"id","type":"string"},{"name":"site","type":"string"}]})");
  EXPECT_TRUE(resolution_problems(*writer, *with_default).empty());
  auto problems = resolution_problems(*writer, *without_default);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0], "field 'site' is not in the writer's schema and has no default");
}

TEST(RecordSchemaResolution, PromotionsAliasesAndIncompatibleChanges) {
  auto writer = parse_avro_schema(R"({"type":"record","name":"m","fields":[
      {"name":"n","type":"int"},{"name":"old_name","type":"string"},{"name":"gone","type":"long"}]})");
  auto reader = parse_avro_schema(R"({"type":"record","name":"m","fields":[
      {"name":"n","type":"double"},{"name":"new_name","aliases":["old_name"],"type":"bytes"}]})");
  EXPECT_TRUE(resolution_problems(*writer, *reader).empty());
  auto narrowing =
      parse_avro_schema(R"({"type":"record","name":"m","fields":[{"name":"n","type":"string"}]})");
  auto problems = resolution_problems(*writer, *narrowing);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0], "'n': int cannot be read as string");
  auto demotion_w =
      parse_avro_schema(R"({"type":"record","name":"m","fields":[{"name":"n","type":"double"}]})");
  auto demotion_r =
      parse_avro_schema(R"({"type":"record","name":"m","fields":[{"name":"n","type":"long"}]})");
  EXPECT_EQ(resolution_problems(*demotion_w, *demotion_r).size(), 1U);
}

TEST(RecordSchemaResolution, UnionsResolveBranchByBranch) {
  auto writer =
      parse_avro_schema(R"({"type":"record","name":"m","fields":[{"name":"v","type":["null","int"]}]})");
  auto reader = parse_avro_schema(
      R"({"type":"record","name":"m","fields":[{"name":"v","type":["null","long","string"]}]})");
  EXPECT_TRUE(resolution_problems(*writer, *reader).empty());
  auto not_nullable =
      parse_avro_schema(R"({"type":"record","name":"m","fields":[{"name":"v","type":"long"}]})");
  EXPECT_EQ(resolution_problems(*writer, *not_nullable).size(), 1U);
}

TEST(RecordSchemaInference, WidensToTheNarrowestCommonType) {
  const InferenceOptions all;
  InferredKind k = InferredKind::kNone;
  k = widen(k, "12", all);
  EXPECT_EQ(k, InferredKind::kLong);
  k = widen(k, "12.5", all);
  EXPECT_EQ(k, InferredKind::kDouble);
  k = widen(k, "abc", all);
  EXPECT_EQ(k, InferredKind::kString);
  EXPECT_EQ(widen(widen(InferredKind::kNone, "2024-03-01", all), "2024-03-01T10:00:00Z", all),
            InferredKind::kTimestamp);
  EXPECT_EQ(widen(InferredKind::kNone, "true", all), InferredKind::kBoolean);
  EXPECT_EQ(widen(InferredKind::kNone, "nan", all), InferredKind::kString);
  InferenceOptions none;
  none.numbers = false;
  EXPECT_EQ(widen(InferredKind::kNone, "12", none), InferredKind::kString);
}

}  // namespace
}  // namespace sluice
