// CSV → JSON → Avro → CSV keeps every value; Avro files are checked with avro-c, an independent reader;
// schema evolution through the Avro reader.
#include <avro.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "record_test_support.hpp"

namespace sluice::records::test {
namespace {

constexpr const char* kMeterSchema = R"({"type":"record","name":"meter","fields":[
  {"name":"meter_id","type":"string"},
  {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
  {"name":"day","type":{"type":"int","logicalType":"date"}},
  {"name":"kwh","type":["null","double"]},
  {"name":"cost","type":{"type":"bytes","logicalType":"decimal","precision":40,"scale":3}},
  {"name":"count","type":"long"},
  {"name":"ok","type":"boolean"},
  {"name":"notes","type":["null","string"]}]})";

constexpr const char* kCsv =
    "meter_id,ts,day,kwh,cost,count,ok,notes\n"
    "M1,2024-03-01T00:00:00Z,2024-03-01,1.5,12345678901234567890123456789012345.678,9007199254740993,true,"
    "\"a, b\"\n"
    "M2,2024-03-01T00:15:00.123456Z,2024-02-29,,-0.001,-1,false,\n"
    "M3,1969-12-31T23:59:59Z,1969-12-31,0.1,0.000,0,true,\"say \"\"hi\"\"\n\"\n";

TEST(RecordRoundTrip, CsvJsonAvroCsvKeepsEveryValue) {
  Options csv_in{{"schema", kMeterSchema}};
  auto json = convert(kCsv, "csv", csv_in, "json", {{"format", "lines"}});
  ASSERT_TRUE(json.errors.empty()) << json.errors.front();
  ASSERT_EQ(json.records, 3U);
  auto avro = convert(json.output, "json", {{"schema", kMeterSchema}}, "avro", {{"codec", "deflate"}});
  ASSERT_TRUE(avro.errors.empty()) << avro.errors.front();
  auto back = convert(avro.output, "avro", {}, "csv", {});
  ASSERT_TRUE(back.errors.empty()) << back.errors.front();
  EXPECT_EQ(back.output, kCsv);
}

TEST(RecordRoundTrip, EveryCodecAndManyBlocks) {
  std::string csv = "id,v\n";
  for (int i = 0; i < 10'000; ++i)
    csv += std::to_string(i) + "," + std::to_string(i / 2) + (i % 2 != 0 ? ".5" : "") + "\n";
  for (const char* codec : {"null", "deflate", "snappy"}) {
    auto avro = convert(csv, "csv", {}, "avro", {{"codec", codec}, {"block_records", "777"}});
    auto back = convert(avro.output, "avro", {}, "csv", {});
    EXPECT_EQ(back.records, 10'000U) << codec;
    EXPECT_EQ(back.output, csv) << codec;
  }
}

// Reads an Avro file with avro-c: the record count and the string form of one field of the first record.
struct AvroCheck {
  int records = 0;
  std::string first_meter;
  std::string schema_json;
};

AvroCheck read_with_avro_c(const std::string& bytes) {
  AvroCheck check;
  FILE* fp = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
  EXPECT_NE(fp, nullptr);
  avro_file_reader_t reader = nullptr;
  EXPECT_EQ(avro_file_reader_fp(fp, "memory", 1, &reader), 0) << avro_strerror();
  if (reader == nullptr) return check;
  avro_schema_t schema = avro_file_reader_get_writer_schema(reader);
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema);
  avro_value_t value;
  avro_generic_value_new(iface, &value);
  while (avro_file_reader_read_value(reader, &value) == 0) {
    if (check.records == 0) {
      avro_value_t field;
      avro_value_get_by_name(&value, "meter_id", &field, nullptr);
      const char* s = nullptr;
      size_t size = 0;
      avro_value_get_string(&field, &s, &size);
      check.first_meter.assign(s, size - 1);
    }
    ++check.records;
  }
  avro_value_decref(&value);
  avro_value_iface_decref(iface);
  avro_schema_decref(schema);
  avro_file_reader_close(reader);
  return check;
}

TEST(RecordRoundTrip, AvroCReadsOurFiles) {
  for (const char* codec : {"null", "deflate", "snappy"}) {
    auto avro =
        convert(kCsv, "csv", {{"schema", kMeterSchema}}, "avro", {{"codec", codec}, {"block_records", "2"}});
    const AvroCheck check = read_with_avro_c(avro.output);
    EXPECT_EQ(check.records, 3) << codec;
    EXPECT_EQ(check.first_meter, "M1") << codec;
  }
}

TEST(RecordRoundTrip, WeReadAvroCFiles) {
  const char* schema_json =
      R"({"type":"record","name":"r","fields":[{"name":"meter_id","type":"string"},{"name":"n","type":"long"}]})";
  avro_schema_t schema = nullptr;
  ASSERT_EQ(avro_schema_from_json_length(schema_json, std::strlen(schema_json), &schema), 0);
  char path[] = "/tmp/sluice_avro_c_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::remove(path);
  avro_file_writer_t writer = nullptr;
  ASSERT_EQ(avro_file_writer_create_with_codec(path, schema, &writer, "deflate", 0), 0) << avro_strerror();
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema);
  avro_value_t value;
  avro_generic_value_new(iface, &value);
  for (int i = 0; i < 5; ++i) {
    avro_value_t field;
    avro_value_get_by_index(&value, 0, &field, nullptr);
    const std::string id = "M" + std::to_string(i);
    avro_value_set_string(&field, id.c_str());
    avro_value_get_by_index(&value, 1, &field, nullptr);
    avro_value_set_long(&field, i * 10);
    ASSERT_EQ(avro_file_writer_append_value(writer, &value), 0);
  }
  avro_file_writer_close(writer);
  avro_value_decref(&value);
  avro_value_iface_decref(iface);
  avro_schema_decref(schema);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path);
  auto csv = convert(bytes, "avro", {}, "csv", {});
  EXPECT_EQ(csv.output, "meter_id,n\nM0,0\nM1,10\nM2,20\nM3,30\nM4,40\n");
}

TEST(RecordSchemaEvolution, AvroReaderResolvesToTheReaderSchema) {
  const char* v1 = R"({"type":"record","name":"meter","fields":[
      {"name":"id","type":"string"},{"name":"kwh","type":"int"},{"name":"legacy","type":"string"}]})";
  const char* v2 = R"({"type":"record","name":"meter","fields":[
      {"name":"meter_id","aliases":["id"],"type":"string"},
      {"name":"kwh","type":"double"},
      {"name":"site","type":"string","default":"unknown"},
      {"name":"tags","type":{"type":"map","values":"string"},"default":{"src":"v1"}}]})";
  auto avro = convert("id,kwh,legacy\nM1,3,x\nM2,4,y\n", "csv", {{"schema", v1}}, "avro", {});
  auto evolved = convert(avro.output, "avro", {{"schema", v2}}, "json", {{"format", "lines"}});
  ASSERT_TRUE(evolved.errors.empty());
  EXPECT_EQ(evolved.output,
            "{\"meter_id\":\"M1\",\"kwh\":3,\"site\":\"unknown\",\"tags\":{\"src\":\"v1\"}}\n"
            "{\"meter_id\":\"M2\",\"kwh\":4,\"site\":\"unknown\",\"tags\":{\"src\":\"v1\"}}\n");
  const char* incompatible = R"({"type":"record","name":"meter","fields":[
      {"name":"id","type":"int"},{"name":"zone","type":"string"}]})";
  try {
    convert(avro.output, "avro", {{"schema", incompatible}}, "json", {});
    FAIL() << "an incompatible reader schema must be refused";
  } catch (const SchemaError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "the reader schema cannot read this data: 'id': string cannot be read as int; field 'zone' is not in "
        "the writer's schema and has no default");
  }
}

}  // namespace
}  // namespace sluice::records::test
