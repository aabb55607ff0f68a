// The ParquetWriter service under ConvertRecord in the real engine (the test kit): what reaches success and
// failure. The files' values are read back by independent readers in parquet/js/convert_test.mjs.
#include "parquet_services.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "convert_record.hpp"
#include "csv_services.hpp"
#include "json_services.hpp"
#include "sluice/testkit.hpp"

namespace sluice::records {
namespace {

using testkit::ProcessorRunner;

std::unique_ptr<ProcessorRunner> csv_to_parquet(const std::map<std::string, std::string>& csv,
                                                const std::map<std::string, std::string>& parquet) {
  auto runner = std::make_unique<ProcessorRunner>(convert_record_definition());
  runner->add_service("csv", csv_reader_definition(), csv);
  runner->add_service("parquet", parquet_writer_definition(), parquet);
  runner->set_property("reader", "csv");
  runner->set_property("writer", "parquet");
  return runner;
}

// A Parquet file starts and ends with PAR1, the footer's length just before the last magic.
bool looks_like_parquet(const std::string& file) {
  if (file.size() < 12 || file.substr(0, 4) != "PAR1" || file.substr(file.size() - 4) != "PAR1") return false;
  std::uint32_t footer = 0;
  std::memcpy(&footer, file.data() + file.size() - 8, 4);
  return footer > 0 && footer <= file.size() - 12;
}

constexpr const char* kTyped =
    R"({"type":"record","name":"m","fields":[{"name":"meter_id","type":"string"},
        {"name":"at","type":{"type":"long","logicalType":"timestamp-micros"}},
        {"name":"kwh","type":["null","double"]}]})";

TEST(ParquetWriterServiceTest, ConvertsCsvToOneParquetFile) {
  auto runner = csv_to_parquet({}, {{"compression", "zstd"}});
  runner->enqueue("meter_id,at,kwh\nM1,2026-11-25T10:00:00Z,1.5\nM2,2026-11-25T10:15:00Z,\n",
                  {{"filename", "m.csv"}});
  runner->run();
  auto ok = runner->take("success");
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_TRUE(looks_like_parquet(ok[0].content));
  EXPECT_EQ(ok[0].attribute("record.count"), "2");
  EXPECT_EQ(ok[0].attribute("mime.type"), "application/vnd.apache.parquet");
  EXPECT_EQ(ok[0].attribute("filename"), "m.csv");
  EXPECT_TRUE(runner->take("failure").empty());
}

TEST(ParquetWriterServiceTest, AValueItsColumnCannotHoldSendsThatRecordToFailure) {
  // The reader takes every cell as text; the writer's own schema says what each column holds.
  auto runner = csv_to_parquet({{"schema", "strings"}}, {{"schema", kTyped}});
  runner->enqueue(
      "meter_id,at,kwh\n"
      "M1,2026-11-25T10:00:00Z,1.5\n"
      "M2,2026-11-25T10:15:00Z,lots\n"
      "M3,yesterday,2\n"
      "M4,2026-11-25T10:45:00Z,\n");
  runner->run();
  auto ok = runner->take("success");
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_TRUE(looks_like_parquet(ok[0].content));
  EXPECT_EQ(ok[0].attribute("record.count"), "2");
  auto bad = runner->take("failure");
  ASSERT_EQ(bad.size(), 1U);
  EXPECT_EQ(bad[0].attribute("record.count"), "2");  // counts in = counts out: 2 + 2
  EXPECT_EQ(bad[0].content, "meter_id,at,kwh\nM2,2026-11-25T10:15:00Z,lots\nM3,yesterday,2\n");
  EXPECT_EQ(bad[0].attribute("record.errors"),
            "line 3, column 1 (record 2): record does not fit the Parquet schema: field 'kwh': 'lots' is "
            "not a double\n"
            "line 4, column 1 (record 3): record does not fit the Parquet schema: field 'at': 'yesterday' "
            "is not a timestamp-micros\n");
}

TEST(ParquetWriterServiceTest, MillisecondColumnsRefuseMicrosecondsInsteadOfRounding) {
  auto runner = csv_to_parquet({}, {{"timestamp_unit", "millis"}});
  runner->enqueue("meter_id,at\nM1,2026-11-25T10:00:00.123Z\nM2,2026-11-25T10:00:00.123456Z\n");
  runner->run();
  auto ok = runner->take("success");
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_EQ(ok[0].attribute("record.count"), "1");
  auto bad = runner->take("failure");
  ASSERT_EQ(bad.size(), 1U);
  EXPECT_EQ(bad[0].attribute("record.error"),
            "line 3, column 1 (record 2): record does not fit the Parquet schema: field 'at': "
            "2026-11-25T10:00:00.123456Z has sub-millisecond digits; the column is in milliseconds");
}

TEST(ParquetWriterServiceTest, ANestedSchemaSendsTheFlowFileToFailureWhole) {
  ProcessorRunner runner(convert_record_definition());
  runner.add_service("json", json_reader_definition(), {{"format", "lines"}});
  runner.add_service("parquet", parquet_writer_definition(), {});
  runner.set_property("reader", "json");
  runner.set_property("writer", "parquet");
  const std::string input = "{\"meter\":\"M1\",\"reading\":{\"kwh\":1.5},\"tags\":[\"a\"]}\n";
  runner.enqueue(input);
  runner.run();
  EXPECT_TRUE(runner.take("success").empty());
  auto bad = runner.take("failure");
  ASSERT_EQ(bad.size(), 1U);
  EXPECT_EQ(bad[0].content, input);  // untouched
  EXPECT_EQ(bad[0].attribute("record.error"),
            "the Parquet writer cannot write this schema: field 'reading': nested records are not "
            "supported yet; field 'tags': arrays are not supported yet");
}

TEST(ParquetWriterServiceTest, AnEmptyInputMakesAnEmptyButValidFile) {
  auto runner = csv_to_parquet({{"schema", kTyped}}, {});
  runner->enqueue("meter_id,at,kwh\n");
  runner->run();
  auto ok = runner->take("success");
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_TRUE(looks_like_parquet(ok[0].content));
  EXPECT_EQ(ok[0].attribute("record.count"), "0");
}

}  // namespace
}  // namespace sluice::records
