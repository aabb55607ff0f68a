// Record paths and value conversion on real records.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "sluice/record.hpp"

namespace sluice {
namespace {

DataTypePtr nested_schema() {
  return parse_avro_schema(R"({"type":"record","name":"m","fields":[
      {"name":"id","type":"string"},
      {"name":"reading","type":["null",{"type":"record","name":"r","fields":[{"name":"kwh","type":"double"},
                                                                          {"name":"tags","type":{"type":"map","values":"string"}}]}]},
      {"name":"history","type":{"type":"array","items":"long"}}]})");
}

TEST(RecordPathTest, GetsAndSetsNestedValuesWithoutTouchingTheOriginal) {
  Record record(nested_schema());
  RecordArena& arena = record.arena();
  MapEntry* tags = arena.entries(1);
  tags[0] = MapEntry{"site", Value::string("north")};
  Value* reading = arena.values(2);
  reading[0] = Value::real(1.5);
  reading[1] = Value::map(tags, 1);
  Value* history = arena.values(2);
  history[0] = Value::integer(7);
  history[1] = Value::integer(9);
  record[0] = Value::string("M1");
  record[1] = Value::record(reading, 2);
  record[2] = Value::array(history, 2);

  EXPECT_EQ(RecordPath::compile("/id").get(record)->as_text(), "M1");
  EXPECT_EQ(RecordPath::compile("/reading/kwh").get(record)->as_double(), 1.5);
  EXPECT_EQ(RecordPath::compile("/reading/tags['site']").get(record)->as_text(), "north");
  EXPECT_EQ(RecordPath::compile("/history[1]").get(record)->as_int(), 9);
  EXPECT_EQ(RecordPath::compile("/history[2]").get(record), nullptr);
  EXPECT_EQ(RecordPath::compile("/nope").get(record), nullptr);

  const Value* before = record[1].items().data();
  ASSERT_TRUE(RecordPath::compile("/reading/kwh").set(record, Value::real(2.5)));
  EXPECT_EQ(RecordPath::compile("/reading/kwh").get(record)->as_double(), 2.5);
  EXPECT_EQ(before[0].as_double(), 1.5);  // the reader's values were copied, not changed
  ASSERT_TRUE(RecordPath::compile("/history[0]").set(record, Value::integer(8)));
  EXPECT_EQ(record[2].items()[0].as_int(), 8);
  EXPECT_FALSE(RecordPath::compile("/reading/missing").set(record, Value::integer(1)));

  EXPECT_EQ(RecordPath::compile("/reading/kwh").type_in(record.schema())->kind, TypeKind::kDouble);
  EXPECT_EQ(RecordPath::compile("/id").top_field(), "id");
}

TEST(RecordPathTest, SyntaxErrorsGiveTheColumn) {
  try {
    RecordPath::compile("/a[1");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "record path '/a[1': unterminated index at column 4");
  }
  EXPECT_THROW(RecordPath::compile("a"), std::invalid_argument);
  EXPECT_THROW(RecordPath::compile("/a//b"), std::invalid_argument);
}

TEST(RecordConvert, StringsBecomeTypedValuesOrSayWhyNot) {
  RecordArena arena;
  std::string reason;
  auto as = [&](std::string_view text, const char* type_json) {
    auto schema = parse_avro_schema(
        std::string(R"({"type":"record","name":"x","fields":[{"name":"f","type":)") + type_json + "}]}");
    return convert_value(Value::string(text), *schema->fields[0].type, arena, reason);
  };
  EXPECT_EQ(as("42", R"("long")")->as_int(), 42);
  EXPECT_EQ(as("4.25", R"("double")")->as_double(), 4.25);
  EXPECT_FALSE(as("4.25", R"("long")"));
  EXPECT_EQ(reason, "'4.25' is not a long");
  EXPECT_FALSE(as("3000000000", R"("int")"));
  EXPECT_EQ(reason, "3000000000 is out of range for int");
  EXPECT_EQ(as("12.5", R"({"type":"bytes","logicalType":"decimal","precision":5,"scale":2})")->as_text(),
            "12.50");
  EXPECT_FALSE(as("1234.5", R"({"type":"bytes","logicalType":"decimal","precision":5,"scale":2})"));
  EXPECT_EQ(reason, "'1234.5' has more than 5 digits");
  EXPECT_EQ(as("12", R"(["null","long","string"])")->kind(), ValueKind::kString);
  EXPECT_EQ(as("x", R"(["null","long"])"), std::nullopt);
  EXPECT_EQ(as("2024-03-01T00:00:00Z", R"({"type":"long","logicalType":"timestamp-millis"})")->kind(),
            ValueKind::kTimestamp);
  EXPECT_FALSE(convert_value(Value(), *DataType::primitive(TypeKind::kLong), arena, reason));
  EXPECT_EQ(reason, "null is not allowed for long");
  EXPECT_EQ(
      convert_value(Value::integer(3), *DataType::primitive(TypeKind::kString), arena, reason)->as_text(),
      "3");
}

}  // namespace
}  // namespace sluice
