// The record processors in the real engine (the test kit), with the real reader and writer services.
// Controller services reach the test kit with the engine's service support; until then these tests skip.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "avro_services.hpp"
#include "convert_record.hpp"
#include "csv_services.hpp"
#include "filter_record.hpp"
#include "json_services.hpp"
#include "merge_record.hpp"
#include "partition_record.hpp"
#include "sluice/testkit.hpp"
#include "split_record.hpp"
#include "update_record.hpp"
#include "validate_record.hpp"

namespace sluice::records {
namespace {

using testkit::ProcessorRunner;

// A runner with a CSV reader `csv` and a JSON Lines writer `json` configured.
std::unique_ptr<ProcessorRunner> runner_for(const ProcessorDefinition& definition,
                                            const std::map<std::string, std::string>& csv = {}) {
  auto runner = std::make_unique<ProcessorRunner>(definition);
  runner->add_service("csv", csv_reader_definition(), csv);
  runner->add_service("json", json_writer_definition(), {{"format", "lines"}});
  runner->set_property("reader", "csv");
  runner->set_property("writer", "json");
  return runner;
}

constexpr const char* kMeters =
    "meter_id,kwh,status\n"
    "M0000001,1.5,OK\n"
    "M0000002,250,FAULT\n"
    "M0000001,\"2.5\n"
    "M0000003,x,OK\n"
    "M0000002,3,OK\n";

TEST(ConvertRecordTest, GoodRecordsToSuccessBadOnesToFailureWithPositions) {
  auto runner =
      runner_for(convert_record_definition(),
                 {{"schema", R"({"type":"record","name":"m","fields":[{"name":"meter_id","type":"string"},
                    {"name":"kwh","type":"double"},{"name":"status","type":"string"}]})"}});
  runner->enqueue(kMeters, {{"filename", "m.csv"}});
  runner->run();
  auto ok = runner->take("success");
  ASSERT_EQ(ok.size(), 1U);
  EXPECT_EQ(ok[0].content,
            "{\"meter_id\":\"M0000001\",\"kwh\":1.5,\"status\":\"OK\"}\n"
            "{\"meter_id\":\"M0000002\",\"kwh\":250,\"status\":\"FAULT\"}\n"
            "{\"meter_id\":\"M0000002\",\"kwh\":3,\"status\":\"OK\"}\n");
  EXPECT_EQ(ok[0].attribute("record.count"), "3");
  EXPECT_EQ(ok[0].attribute("mime.type"), "application/x-ndjson");
  auto bad = runner->take("failure");
  ASSERT_EQ(bad.size(), 1U);
  // Counts in = counts out: 5 rows, 3 converted, 2 failed (the unterminated quote swallows one line).
  EXPECT_EQ(bad[0].attribute("record.count"), "2");
  EXPECT_EQ(bad[0].content, "meter_id,kwh,status\nM0000001,\"2.5\nM0000003,x,OK\n");
  EXPECT_EQ(bad[0].attribute("record.errors"),
            "line 4, column 10 (record 3): unterminated quoted field\n"
            "line 5, column 10 (record 4): field 'kwh': 'x' is not a double\n");
}

TEST(ConvertRecordTest, UnreadableContentFailsWhole) {
  auto runner = std::make_unique<ProcessorRunner>(convert_record_definition());
  runner->add_service("avro", avro_reader_definition(), {});
  runner->add_service("json", json_writer_definition(), {});
  runner->set_property("reader", "avro");
  runner->set_property("writer", "json");
  runner->enqueue("not avro at all");
  runner->run();
  auto bad = runner->take("failure");
  ASSERT_EQ(bad.size(), 1U);
  EXPECT_EQ(bad[0].content, "not avro at all");
  EXPECT_EQ(bad[0].attribute("record.error"), "not an Avro object container file (bad magic)");
}

TEST(ValidateRecordTest, RulesSendInvalidRecordsApartWithReasons) {
  auto runner = runner_for(validate_record_definition(), {{"schema", "strings"}});
  runner->set_property("/kwh", "min=0; max=100");
  runner->set_property("/status", "allowed=OK,WARN");
  runner->set_property("/meter_id", "not_null; regex=^M[0-9]{7}$");
  runner->enqueue(
      "meter_id,kwh,status\nM0000001,1.5,OK\nM0000002,250,OK\nX1,3,OK\nM0000004,4,FAULT\n,5,OK\n");
  runner->run();
  auto valid = runner->take("valid");
  ASSERT_EQ(valid.size(), 1U);
  EXPECT_EQ(valid[0].attribute("record.count"), "1");
  auto invalid = runner->take("invalid");
  ASSERT_EQ(invalid.size(), 1U);
  EXPECT_EQ(invalid[0].attribute("record.count"), "4");
  EXPECT_EQ(invalid[0].attribute("record.errors"),
            "line 3, column 1 (record 2): /kwh: max=100: value 250\n"
            "line 4, column 1 (record 3): /meter_id: regex=^M[0-9]{7}$: value 'X1'\n"
            "line 5, column 1 (record 4): /status: allowed=OK,WARN: value 'FAULT'\n"
            "line 6, column 1 (record 5): /meter_id: not_null: value is null\n");
}

TEST(ValidateRecordTest, FailFlowFileKeepsTheInputWhole) {
  auto runner = runner_for(validate_record_definition(), {{"schema", "strings"}});
  runner->set_property("/kwh", "max=100");
  runner->set_property("invalid_action", "fail_flowfile");
  const std::string input = "meter_id,kwh\nM1,1\nM2,101\n";
  runner->enqueue(input);
  runner->run();
  EXPECT_EQ(runner->count("valid"), 0U);
  auto invalid = runner->take("invalid");
  ASSERT_EQ(invalid.size(), 1U);
  EXPECT_EQ(invalid[0].content, input);
}

TEST(PartitionRecordTest, OneFlowFilePerMeterWithTheKeyAsAttribute) {
  auto runner = runner_for(partition_record_definition(), {{"schema", "strings"}});
  runner->set_property("meter", "/meter_id");
  runner->enqueue("meter_id,kwh\nA,1\nB,2\nA,3\n,4\n");
  runner->run();
  auto parts = runner->take("success");
  ASSERT_EQ(parts.size(), 3U);
  EXPECT_EQ(parts[0].attribute("meter"), "A");
  EXPECT_EQ(parts[0].content, "{\"meter_id\":\"A\",\"kwh\":\"1\"}\n{\"meter_id\":\"A\",\"kwh\":\"3\"}\n");
  EXPECT_EQ(parts[0].attribute("record.count"), "2");
  EXPECT_EQ(parts[1].attribute("meter"), "B");
  EXPECT_FALSE(parts[2].attributes.contains("meter"));  // the null key
  EXPECT_EQ(runner->count("original"), 1U);
}

// The bucket of a meter by the first hex digit of MD5(meter_id), mod 4; expected buckets from Python's
// hashlib: M0000001 1021… -> 1, M0000004 b2df… -> 3, M0000006 c9ec… -> 0.
TEST(PartitionRecordTest, ByAnExpressionOverTheRecordsFields) {
  auto runner = runner_for(partition_record_definition(), {{"schema", "strings"}});
  runner->set_property("bucket", "${meter_id:hash('MD5'):substring(0, 1):fromRadix(16):mod(4)}");
  runner->set_property("site", "/site");
  runner->enqueue("meter_id,site\nM0000001,n\nM0000004,n\nM0000006,n\nM0000004,n\nM0000001,s\n");
  runner->run();
  auto parts = runner->take("success");
  ASSERT_EQ(parts.size(), 4U);  // (1, n), (3, n), (0, n), (1, s) in order of first appearance
  EXPECT_EQ(parts[0].attribute("bucket"), "1");
  EXPECT_EQ(parts[0].attribute("site"), "n");
  EXPECT_EQ(parts[0].content, "{\"meter_id\":\"M0000001\",\"site\":\"n\"}\n");
  EXPECT_EQ(parts[1].attribute("bucket"), "3");
  EXPECT_EQ(parts[1].attribute("record.count"), "2");
  EXPECT_EQ(parts[2].attribute("bucket"), "0");
  EXPECT_EQ(parts[3].attribute("bucket"), "1");
  EXPECT_EQ(parts[3].attribute("site"), "s");
  EXPECT_EQ(runner->count("failure"), 0U);
}

// Partitions of several writer buffers (256 KiB each, handed to the in-memory output whole rather than
// copied) keep every record, in order, with no byte lost or repeated at a buffer's edge.
TEST(PartitionRecordTest, PartitionsLargerThanTheWriteBufferKeepEveryRecordInOrder) {
  auto runner = runner_for(partition_record_definition(), {{"schema", "strings"}});
  runner->set_property("meter", "/meter_id");
  std::string input = "meter_id,n,notes\n";
  std::string expected_a;
  std::string expected_b;
  const std::string notes(200, 'x');
  constexpr int kRows = 6000;  // ~700 KB per partition: two full buffers and a part
  for (int i = 0; i < kRows; ++i) {
    const std::string meter = i % 2 == 0 ? "A" : "B";
    const std::string n = std::to_string(i);
    input.append(meter).append(",").append(n).append(",").append(notes).append("\n");
    std::string& expected = i % 2 == 0 ? expected_a : expected_b;
    expected.append(R"({"meter_id":")").append(meter).append(R"(","n":")").append(n);
    expected.append(R"(","notes":")").append(notes).append("\"}\n");
  }
  runner->enqueue(input);
  runner->run();
  auto parts = runner->take("success");
  ASSERT_EQ(parts.size(), 2U);
  ASSERT_GT(expected_a.size(), 2U * 256U * 1024U);
  EXPECT_EQ(parts[0].attribute("meter"), "A");
  EXPECT_EQ(parts[0].attribute("record.count"), std::to_string(kRows / 2));
  EXPECT_TRUE(parts[0].content == expected_a) << "partition A differs (" << parts[0].content.size()
                                              << " bytes, expected " << expected_a.size() << ")";
  EXPECT_EQ(parts[1].attribute("meter"), "B");
  EXPECT_TRUE(parts[1].content == expected_b) << "partition B differs (" << parts[1].content.size()
                                              << " bytes, expected " << expected_b.size() << ")";
}

TEST(PartitionRecordTest, ARecordTheExpressionFailsOnGoesToFailureWithTheReason) {
  auto runner = runner_for(partition_record_definition(), {{"schema", "strings"}});
  runner->set_property("parity", "${kwh:toNumber():mod(2)}");
  runner->enqueue("meter_id,kwh\nA,1\nB,x\nC,4\n");
  runner->run();
  auto parts = runner->take("success");
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[0].attribute("parity"), "1");
  EXPECT_EQ(parts[1].attribute("parity"), "0");
  auto failed = runner->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].content, "meter_id,kwh\nB,x\n");
  EXPECT_NE(failed[0].attribute("record.error").find("property 'parity'"), std::string::npos)
      << failed[0].attribute("record.error");
  EXPECT_NE(failed[0].attribute("record.error").find("line 3"), std::string::npos)
      << failed[0].attribute("record.error");
}

TEST(SplitRecordTest, SplitsAreWellFormedAndNumbered) {
  auto runner = runner_for(split_record_definition(), {{"schema", "strings"}});
  runner->set_property("records_per_split", "2");
  runner->enqueue("a\n1\n2\n3\n4\n5\n");
  runner->run();
  auto splits = runner->take("splits");
  ASSERT_EQ(splits.size(), 3U);
  EXPECT_EQ(splits[0].content, "{\"a\":\"1\"}\n{\"a\":\"2\"}\n");
  EXPECT_EQ(splits[2].content, "{\"a\":\"5\"}\n");
  EXPECT_EQ(splits[2].attribute("fragment.index"), "2");
  EXPECT_EQ(splits[2].attribute("fragment.count"), "3");
  EXPECT_EQ(splits[2].attribute("record.count"), "1");
}

TEST(MergeRecordTest, MergesIntoOneCsvWithOneHeader) {
  auto runner = std::make_unique<ProcessorRunner>(merge_record_definition());
  runner->add_service("csv", csv_reader_definition(), {{"schema", "strings"}});
  runner->add_service("csv_out", csv_writer_definition(), {});
  runner->set_property("reader", "csv");
  runner->set_property("writer", "csv_out");
  runner->set_property("min_records", "4");
  runner->set_property("correlation_attribute", "site");
  runner->enqueue("id\n1\n2\n", {{"site", "north"}, {"record.count", "2"}});
  runner->run();
  EXPECT_EQ(runner->count("merged"), 0U);  // 2 of 4 records: waits
  EXPECT_EQ(runner->queued(), 1U);
  runner->advance(std::chrono::seconds(2));
  runner->enqueue("id\n3\n4\n", {{"site", "north"}, {"record.count", "2"}});
  runner->run();
  auto merged = runner->take("merged");
  ASSERT_EQ(merged.size(), 1U);
  EXPECT_EQ(merged[0].content, "id\n1\n2\n3\n4\n");
  EXPECT_EQ(merged[0].attribute("record.count"), "4");
  EXPECT_EQ(merged[0].attribute("site"), "north");
  EXPECT_EQ(runner->count("original"), 2U);
}

TEST(UpdateRecordTest, SetsRenamesAndRemovesFields) {
  auto runner = runner_for(update_record_definition(),
                           {{"schema", R"({"type":"record","name":"m","fields":[{"name":"id","type":"string"},
                    {"name":"kwh","type":"double"},{"name":"notes","type":"string"}]})"}});
  runner->set_property("/kwh", "0.5");
  runner->set_property("/site", "north");
  runner->set_property("rename", "/id:meter_id");
  runner->set_property("remove", "/notes");
  runner->enqueue("id,kwh,notes\nM1,1.5,x\n");
  runner->run();
  auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, "{\"meter_id\":\"M1\",\"kwh\":0.5,\"site\":\"north\"}\n");
}

TEST(FilterRecordTest, LiteralQueriesRouteEveryRecord) {
  auto runner = runner_for(filter_record_definition(), {{"schema", "strings"}});
  runner->set_property("everything", "true");
  runner->enqueue("a\n1\n2\n");
  runner->run();
  auto matched = runner->take("matched");
  ASSERT_EQ(matched.size(), 1U);
  EXPECT_EQ(matched[0].attribute("record.query"), "everything");
  EXPECT_EQ(matched[0].attribute("record.count"), "2");
  EXPECT_EQ(runner->count("unmatched"), 0U);
}

}  // namespace
}  // namespace sluice::records
