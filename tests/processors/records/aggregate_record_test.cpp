// AggregateRecord in the real engine (the test kit, with its injected clock) with the real CSV reader and
// JSON Lines writer: windows, watermark, firings, late records, idle timeout, and a crash in the middle of a
// stream giving the output of an uninterrupted run.
#include "aggregate_record.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include "../standard/temp_dir.hpp"
#include "csv_services.hpp"
#include "json_services.hpp"
#include "sluice/testkit.hpp"

namespace sluice::records {
namespace {

using testkit::ProcessorRunner;
using Properties = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kHeader = "meter_id,event_time,kwh\n";

void configure(ProcessorRunner& runner, const Properties& properties) {
  runner.add_service("csv", csv_reader_definition());
  runner.add_service("json", json_writer_definition(), {{"format", "lines"}});
  runner.set_property("reader", "csv");
  runner.set_property("writer", "json");
  runner.set_property("event_time", "/event_time");
  for (const auto& [name, value] : properties) runner.set_property(name, value);
}

std::unique_ptr<ProcessorRunner> make_runner(const Properties& properties) {
  auto runner = std::make_unique<ProcessorRunner>(aggregate_record_definition());
  configure(*runner, properties);
  return runner;
}

std::string window(std::string_view group, std::string_view start, std::string_view end,
                   std::string_view firing, int count, std::string_view aggregates) {
  std::string line = "{";
  if (!group.empty()) line += std::string(group) + ",";
  line += "\"window_start\":\"" + std::string(start) + "\",\"window_end\":\"" + std::string(end) +
          "\",\"firing\":\"" + std::string(firing) + "\",\"record_count\":" + std::to_string(count);
  if (!aggregates.empty()) line += "," + std::string(aggregates);
  return line + "}\n";
}

TEST(AggregateRecordTest, TumblingWindowsPerMeterFireWhenTheWatermarkPassesTheirEnd) {
  auto runner = make_runner({{"group_by", "/meter_id"},
                             {"window_size", "1 h"},
                             {"watermark_delay", "10 min"},
                             {"a_total", "sum(/kwh)"},
                             {"b_n", "count()"},
                             {"c_low", "min(/kwh)"},
                             {"d_high", "max(/kwh)"},
                             {"e_mean", "avg(/kwh)"},
                             {"f_first", "first(/kwh)"},
                             {"g_last", "last(/kwh)"}});
  runner->enqueue(std::string(kHeader) +
                  "M1,2024-03-01T10:05:00Z,1.5\n"
                  "M2,2024-03-01T10:20:00Z,2\n"
                  "M1,2024-03-01T10:50:00Z,0.5\n"
                  "M1,2024-03-01T10:15:00Z,1\n");  // out of order, within the watermark delay
  runner->run();
  EXPECT_EQ(runner->count("success"), 0U);  // watermark 10:40: nothing is due
  EXPECT_EQ(runner->take("original").size(), 1U);

  runner->enqueue(std::string(kHeader) +
                  "M2,2024-03-01T11:05:00Z,4\n"    // watermark 10:55
                  "M1,2024-03-01T10:58:00Z,3\n"    // still in time for 10:00-11:00
                  "M1,2024-03-01T11:12:00Z,1\n");  // watermark 11:02: 10:00-11:00 fires
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].attribute("record.count"), "2");
  EXPECT_EQ(out[0].attribute("mime.type"), "application/x-ndjson");
  EXPECT_EQ(out[0].content,
            window("\"meter_id\":\"M1\"", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 4,
                   "\"a_total\":6,\"b_n\":4,\"c_low\":0.5,\"d_high\":3,\"e_mean\":1.5,\"f_first\":1.5,"
                   "\"g_last\":3") +
                window("\"meter_id\":\"M2\"", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 1,
                       "\"a_total\":2,\"b_n\":1,\"c_low\":2,\"d_high\":2,\"e_mean\":2,\"f_first\":2,"
                       "\"g_last\":2"));
  EXPECT_EQ(runner->count("late"), 0U);
  EXPECT_EQ(runner->count("failure"), 0U);
}

TEST(AggregateRecordTest, ShareIfGivesTheSlaRatioOverall) {
  auto runner = make_runner({{"window_size", "1 h"},
                             {"a_share", "share_if(${delay_s:le(900)})"},
                             {"b_slow", "count_if(${delay_s:gt(900)})"},
                             {"c_meters", "distinct(/meter_id)"}});
  runner->enqueue(
      "meter_id,event_time,delay_s\n"
      "M1,2024-03-01T10:00:00Z,60\n"
      "M2,2024-03-01T10:15:00Z,1200\n"
      "M1,2024-03-01T10:30:00Z,900\n"
      "M3,2024-03-01T10:45:00Z,30\n"
      "M1,2024-03-01T11:00:00Z,10\n");  // closes 10:00-11:00
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 4,
                                   "\"a_share\":0.75,\"b_slow\":1,\"c_meters\":3"));
}

TEST(AggregateRecordTest, PercentilesAreInterpolatedAndDistinctCountsEstimateBeyondTheirLimit) {
  auto runner = make_runner({{"window_size", "1 h"},
                             {"distinct_exact_limit", "2"},
                             {"a_median", "median(/kwh)"},
                             {"b_p90", "percentile(/kwh, 0.9)"},
                             {"c_p0", "percentile(/kwh, 0)"},
                             {"d_meters", "distinct(/meter_id)"}});
  runner->enqueue(std::string(kHeader) +
                  "M1,2024-03-01T10:00:00Z,4\n"
                  "M2,2024-03-01T10:10:00Z,1\n"
                  "M3,2024-03-01T10:20:00Z,3\n"
                  "M4,2024-03-01T10:30:00Z,2\n"
                  "M5,2024-03-01T10:40:00Z,\n"  // no value: counted, not in the percentiles
                  "M1,2024-03-01T11:00:00Z,1\n");
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  // Values 1 2 3 4 at positions 0.5 1.5 2.5 3.5: the median (position 2) is 2.5, p90 (3.6) is 4 (the
  // max), p0 the min. Five meters, past the exact limit of 2: HyperLogLog, exact at this size.
  EXPECT_EQ(out[0].content, window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 5,
                                   "\"a_median\":2.5,\"b_p90\":4,\"c_p0\":1,\"d_meters\":5"));
  for (const char* wrong : {"percentile(/kwh, 95)", "percentile(/kwh)", "percentile(kwh, 0.5)"}) {
    auto bad = make_runner({{"p", wrong}});
    bad->enqueue(std::string(kHeader) + "M1,2024-03-01T10:10:00Z,1\n");
    EXPECT_THROW(bad->run(), std::runtime_error) << wrong;
  }
}

TEST(AggregateRecordTest, SeveralGroupingsFireIntoTheirOwnFlowFilesAndKeepTheirOwnState) {
  sluice::testing::TempDir dir;
  const Properties properties = {
      {"groupings", "per_meter=/meter_id; overall="}, {"window_size", "1 h"}, {"total", "sum(/kwh)"}};
  const std::string first = std::string(kHeader) +
                            "M1,2024-03-01T10:05:00Z,1\n"
                            "M2,2024-03-01T10:20:00Z,2\n"
                            "M1,2024-03-01T10:50:00Z,3\n";
  {
    auto runner = make_runner(properties);
    runner->use_data_dir(dir.path());
    runner->enqueue(first);
    runner->run();
    EXPECT_EQ(runner->count("success"), 0U);
  }
  auto runner = std::make_unique<ProcessorRunner>(aggregate_record_definition());
  runner->use_data_dir(dir.path());  // the windows of both groupings come back from state
  configure(*runner, properties);
  runner->enqueue(std::string(kHeader) + "M2,2024-03-01T11:00:00Z,5\n");
  runner->run();
  auto out = runner->take("success");
  ASSERT_EQ(out.size(), 2U);
  std::map<std::string, std::string> by_grouping;
  for (const auto& ff : out) by_grouping[ff.attribute("aggregate.grouping")] = ff.content;
  EXPECT_EQ(by_grouping["per_meter"], window("\"meter_id\":\"M1\"", "2024-03-01T10:00:00Z",
                                             "2024-03-01T11:00:00Z", "on_time", 2, "\"total\":4") +
                                          window("\"meter_id\":\"M2\"", "2024-03-01T10:00:00Z",
                                                 "2024-03-01T11:00:00Z", "on_time", 1, "\"total\":2"));
  EXPECT_EQ(by_grouping["overall"],
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 3, "\"total\":6"));

  for (const char* wrong : {"per_meter", "a=/x; a=/y", "=/meter_id"}) {
    auto bad = make_runner({{"groupings", wrong}});
    bad->enqueue(first);
    EXPECT_THROW(bad->run(), std::runtime_error) << wrong;
  }
  auto both = make_runner({{"groupings", "a=/meter_id"}, {"group_by", "/meter_id"}});
  both->enqueue(first);
  EXPECT_THROW(both->run(), std::runtime_error);
}

TEST(AggregateRecordTest, HoppingWindowsCountARecordInEveryWindowItFalls) {
  auto runner = make_runner({{"window", "hopping"},
                             {"window_size", "1 h"},
                             {"window_slide", "30 min"},
                             {"watermark_delay", "1 h"},
                             {"n", "count()"}});
  runner->enqueue(std::string(kHeader) +
                  "M1,2024-03-01T10:40:00Z,1\n"
                  "M1,2024-03-01T10:10:00Z,1\n"
                  "M1,2024-03-01T12:31:00Z,1\n");  // watermark 11:31
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content,
            window("", "2024-03-01T09:30:00Z", "2024-03-01T10:30:00Z", "on_time", 1, "\"n\":1") +
                window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 2, "\"n\":2") +
                window("", "2024-03-01T10:30:00Z", "2024-03-01T11:30:00Z", "on_time", 1, "\"n\":1"));
}

TEST(AggregateRecordTest, SessionWindowsMergeWhenARecordBridgesTheGap) {
  auto runner = make_runner({{"group_by", "/meter_id"},
                             {"window", "session"},
                             {"session_gap", "10 min"},
                             {"watermark_delay", "30 min"},
                             {"total", "sum(/kwh)"}});
  runner->enqueue(std::string(kHeader) +
                  "M1,2024-03-01T10:00:00Z,1\n"
                  "M1,2024-03-01T10:15:00Z,2\n"  // a second session: 10:00-10:10 and 10:15-10:25
                  "M2,2024-03-01T10:05:00Z,5\n"
                  "M1,2024-03-01T10:08:00Z,4\n");  // 10:08-10:18 overlaps both: one session 10:00-10:25
  runner->run();
  EXPECT_EQ(runner->count("success"), 0U);
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T11:00:00Z,1\n");  // watermark 10:30
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, window("\"meter_id\":\"M2\"", "2024-03-01T10:05:00Z", "2024-03-01T10:15:00Z",
                                   "on_time", 1, "\"total\":5") +
                                window("\"meter_id\":\"M1\"", "2024-03-01T10:00:00Z", "2024-03-01T10:25:00Z",
                                       "on_time", 3, "\"total\":7"));
}

TEST(AggregateRecordTest, CalendarDaysInBerlinAre23And25HoursLongAcrossDstChanges) {
  auto runner = make_runner({{"window_size", "1 d"}, {"time_zone", "Europe/Berlin"}, {"total", "sum(/kwh)"}});
  runner->enqueue(std::string(kHeader) +
                  "M1,2024-03-30T22:30:00Z,100\n"   // 23:30 on the 30th in Berlin: the day before
                  "M1,2024-03-30T23:30:00Z,1\n"     // 00:30 CET on the 31st
                  "M1,2024-03-31T21:30:00Z,2\n"     // 23:30 CEST on the 31st
                  "M1,2024-03-31T22:30:00Z,10\n");  // 00:30 on April 1st: the 31st closes
  runner->run();
  auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  // The first record's day fired when the second record arrived; the 31st is 23 hours long.
  EXPECT_EQ(
      out[0].content,
      window("", "2024-03-30T00:00:00+01:00", "2024-03-31T00:00:00+01:00", "on_time", 1, "\"total\":100") +
          window("", "2024-03-31T00:00:00+01:00", "2024-04-01T00:00:00+02:00", "on_time", 2, "\"total\":3"));

  runner->enqueue(std::string(kHeader) +
                  "M1,2024-10-26T22:30:00Z,1\n"     // 00:30 CEST on October 27th
                  "M1,2024-10-27T22:30:00Z,2\n"     // 23:30 CET on the 27th
                  "M1,2024-10-27T23:30:00Z,10\n");  // 00:30 on the 28th: the 25-hour 27th closes
  runner->run();
  out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(
      out[0].content,
      window("", "2024-04-01T00:00:00+02:00", "2024-04-02T00:00:00+02:00", "on_time", 1, "\"total\":10") +
          window("", "2024-10-27T00:00:00+02:00", "2024-10-28T00:00:00+01:00", "on_time", 2, "\"total\":3"));
}

TEST(AggregateRecordTest, EarlyOnTimeAndLateFiringsThenTooLateRecordsGoToLate) {
  auto runner = make_runner(
      {{"window_size", "1 h"}, {"allowed_lateness", "30 min"}, {"early_every", "2"}, {"total", "sum(/kwh)"}});
  const std::vector<std::string> inputs = {
      "M1,2024-03-01T10:01:00Z,1\nM1,2024-03-01T10:02:00Z,1\nM1,2024-03-01T10:03:00Z,1\n",
      "M1,2024-03-01T11:10:00Z,1\n",                             // on time for 10:00-11:00
      "M1,2024-03-01T10:40:00Z,1\nM1,2024-03-01T10:50:00Z,1\n",  // late, within the lateness
      "M1,2024-03-01T11:35:00Z,1\n",                             // 10:00-11:00 closes for good
      "M1,2024-03-01T10:55:00Z,7\n"};                            // too late
  std::vector<std::string> firings;
  for (const auto& input : inputs) {
    runner->enqueue(kHeader + input);
    runner->run();
    std::string batch;
    for (const auto& ff : runner->take("success")) batch += ff.content;
    firings.push_back(batch);
  }
  EXPECT_EQ(firings[0],
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "early", 2, "\"total\":2"));
  EXPECT_EQ(firings[1],
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 3, "\"total\":3"));
  EXPECT_EQ(firings[2], window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "late", 5, "\"total\":5"));
  EXPECT_EQ(firings[3],
            window("", "2024-03-01T11:00:00Z", "2024-03-01T12:00:00Z", "early", 2, "\"total\":2"));
  EXPECT_EQ(firings[4], "");
  const auto late = runner->take("late");
  ASSERT_EQ(late.size(), 1U);
  EXPECT_EQ(late[0].content, std::string(kHeader) + "M1,2024-03-01T10:55:00Z,7\n");
  EXPECT_THAT(late[0].attribute("record.error"),
              ::testing::AllOf(::testing::HasSubstr("line 2"), ::testing::HasSubstr("allowed_lateness")));
  EXPECT_EQ(runner->take("original").size(), inputs.size());
}

TEST(AggregateRecordTest, InRetractModeEachLaterFiringFirstRetractsThePreviousOne) {
  auto runner = make_runner({{"window_size", "1 h"},
                             {"allowed_lateness", "30 min"},
                             {"early_every", "2"},
                             {"accumulation", "retract"},
                             {"total", "sum(/kwh)"}});
  const std::vector<std::string> inputs = {
      "M1,2024-03-01T10:01:00Z,1\nM1,2024-03-01T10:02:00Z,1\nM1,2024-03-01T10:03:00Z,1\n",
      "M1,2024-03-01T11:10:00Z,1\n",                              // on time for 10:00-11:00
      "M1,2024-03-01T10:40:00Z,1\nM1,2024-03-01T10:50:00Z,1\n"};  // late, within the lateness
  std::vector<std::string> firings;
  for (const auto& input : inputs) {
    runner->enqueue(kHeader + input);
    runner->run();
    std::string batch;
    for (const auto& ff : runner->take("success")) batch += ff.content;
    firings.push_back(batch);
  }
  const auto ten = [](std::string_view firing, int count, std::string_view total) {
    return window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", firing, count,
                  "\"total\":" + std::string(total));
  };
  EXPECT_EQ(firings[0], ten("early", 2, "2"));
  EXPECT_EQ(firings[1], ten("retract", 2, "2") + ten("on_time", 3, "3"));
  EXPECT_EQ(firings[2], ten("retract", 3, "3") + ten("late", 5, "5"));

  auto sessions = make_runner({{"window", "session"}, {"accumulation", "retract"}, {"n", "count()"}});
  sessions->enqueue(std::string(kHeader) + "M1,2024-03-01T10:01:00Z,1\n");
  EXPECT_THROW(sessions->run(), std::runtime_error);
}

TEST(AggregateRecordTest, EarlyIntervalFiresOnProcessingTimeAfterTheFirstChange) {
  auto runner = make_runner({{"window_size", "1 h"}, {"early_interval", "1 min"}, {"total", "sum(/kwh)"}});
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T10:01:00Z,1\n");
  runner->run();
  EXPECT_EQ(runner->count("success"), 0U);
  runner->advance(std::chrono::seconds(30));
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T10:02:00Z,2\n");
  runner->run();
  EXPECT_EQ(runner->count("success"), 0U);  // 30 s after the first change
  runner->advance(std::chrono::seconds(30));
  runner->run();  // no input: the trigger that fires what became due
  auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content,
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "early", 2, "\"total\":3"));
  runner->advance(std::chrono::minutes(5));
  runner->run();
  EXPECT_EQ(runner->count("success"), 0U);  // nothing changed since
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T10:03:00Z,4\n");
  runner->run();
  runner->advance(std::chrono::minutes(1));
  runner->run();
  out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content,
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "early", 3, "\"total\":7"));
}

TEST(AggregateRecordTest, AnEventTimeExpressionReadsTextInAnotherFormat) {
  auto runner =
      make_runner({{"event_time", "${read_at:toDate('dd.MM.yyyy HH:mm', 'Europe/Berlin'):toNumber()}"},
                   {"window_size", "1 d"},
                   {"time_zone", "Europe/Berlin"},
                   {"total", "sum(/kwh)"}});
  runner->enqueue(
      "meter_id,read_at,kwh\n"
      "M1,31.03.2024 01:30,1\n"
      "M1,31.03.2024 23:45,2\n"
      "M1,31.3.2024 x,5\n"  // unreadable: to failure with the reason
      "M1,01.04.2024 00:15,4\n");
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content, window("", "2024-03-31T00:00:00+01:00", "2024-04-01T00:00:00+02:00", "on_time", 2,
                                   "\"total\":3"));
  const auto failure = runner->take("failure");
  ASSERT_EQ(failure.size(), 1U);
  EXPECT_THAT(
      failure[0].attribute("record.error"),
      ::testing::AllOf(::testing::HasSubstr("event time expression"), ::testing::HasSubstr("line 4")));
}

TEST(AggregateRecordTest, IdleTimeoutClosesTheWindowsOfAQuietSource) {
  auto runner = make_runner({{"window_size", "1 h"}, {"idle_timeout", "5 min"}, {"n", "count()"}});
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T10:10:00Z,1\nM1,2024-03-01T10:20:00Z,1\n");
  runner->run();
  runner->advance(std::chrono::minutes(3));
  runner->run();  // no input, not idle long enough
  EXPECT_EQ(runner->count("success"), 0U);
  EXPECT_TRUE(runner->yielded());
  runner->advance(std::chrono::minutes(42));  // 45 min of quiet: event time moves on to 11:05
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content,
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 2, "\"n\":2"));
  // Event time moved on: a record of the closed hour is now too late.
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T10:59:00Z,1\n");
  runner->run();
  EXPECT_EQ(runner->count("late"), 1U);
}

TEST(AggregateRecordTest, BadEventTimesAndConditionsGoToFailureWithTheirPosition) {
  auto runner =
      make_runner({{"window_size", "1 h"}, {"n", "count()"}, {"big", "count_if(${kwh:toNumber():gt(5)})"}});
  runner->enqueue(std::string(kHeader) +
                  "M1,yesterday,1\n"
                  "M1,2024-03-01T10:10:00Z,x\n"
                  "M1,2024-03-01T10:20:00Z,9\n"
                  "M1,,1\n");
  runner->run();
  const auto failed = runner->take("failure");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].attribute("record.count"), "3");
  EXPECT_EQ(failed[0].content, std::string(kHeader) + "M1,yesterday,1\nM1,2024-03-01T10:10:00Z,x\nM1,,1\n");
  EXPECT_THAT(
      failed[0].attribute("record.errors"),
      ::testing::AllOf(::testing::HasSubstr("line 2"), ::testing::HasSubstr("'yesterday' is not a timestamp"),
                       ::testing::HasSubstr("line 3"), ::testing::HasSubstr("aggregate 'big'"),
                       ::testing::HasSubstr("line 5"), ::testing::HasSubstr("is missing")));
  EXPECT_EQ(runner->take("original").size(), 1U);
}

TEST(AggregateRecordTest, AnUnknownAggregateIsAConfigurationError) {
  auto runner = make_runner({{"n", "mode(/kwh)"}});
  runner->enqueue(std::string(kHeader) + "M1,2024-03-01T10:10:00Z,1\n");
  EXPECT_THROW(
      {
        try {
          runner->run();
        } catch (const std::runtime_error& e) {
          EXPECT_THAT(e.what(), ::testing::HasSubstr("unknown function 'mode'"));
          throw;
        }
      },
      std::runtime_error);
}

TEST(AggregateRecordTest, TheSlaConditionOfTheMeterFlowComparesArrivalWithEventTime) {
  // The condition flows/meter-sla.yaml uses: arrived within 15 minutes of the event time.
  const std::string within =
      "${arrival_time:toDate(\"yyyy-MM-dd'T'HH:mm:ssX\"):toNumber():minus(${event_time:toDate(\"yyyy-MM-dd'T'"
      "HH:mm:ssX\"):toNumber()}):le(900000)}";
  auto runner = make_runner({{"window_size", "1 h"}, {"sla", "share_if(" + within + ")"}});
  runner->enqueue(
      "meter_id,event_time,arrival_time\n"
      "M1,2024-03-01T10:00:00Z,2024-03-01T10:15:00Z\n"  // exactly 15 minutes: within
      "M2,2024-03-01T10:10:00Z,2024-03-01T10:25:01Z\n"  // one second over
      "M1,2024-03-01T10:20:00Z,2024-03-01T10:21:00Z\n"
      "M2,2024-03-01T10:30:00Z,2024-03-01T12:00:00Z\n"
      "M1,2024-03-01T11:00:00Z,2024-03-01T11:00:00Z\n");
  runner->run();
  const auto out = runner->take("success");
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].content,
            window("", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "on_time", 4, "\"sla\":0.5"));
}

// A stream with out-of-order, late and too-late readings of three meters over several hours.
std::vector<std::string> meter_stream() {
  std::vector<std::string> inputs;
  std::uint64_t seed = 42;
  auto next = [&seed](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  std::int64_t base = 10 * 3600;  // seconds after 2024-03-01T00:00:00Z
  for (int f = 0; f < 20; ++f) {
    std::string content = "meter_id,event_time,kwh,delay_s\n";
    for (int r = 0; r < 30; ++r) {
      // Mostly moving forward, sometimes up to 50 minutes back.
      const std::int64_t t = base + static_cast<std::int64_t>(next(600)) -
                             static_cast<std::int64_t>(next(4) == 0 ? next(3000) : 0);
      const auto h = t / 3600;
      const auto m = (t / 60) % 60;
      const auto s = t % 60;
      char line[96];
      std::snprintf(line, sizeof line, "M%d,2024-03-01T%02lld:%02lld:%02lldZ,%llu.%llu,%llu\n",
                    static_cast<int>(next(3)), static_cast<long long>(h), static_cast<long long>(m),
                    static_cast<long long>(s), static_cast<unsigned long long>(next(10)),
                    static_cast<unsigned long long>(next(10)), static_cast<unsigned long long>(next(1800)));
      content += line;
      base += 20;
    }
    inputs.push_back(content);
  }
  return inputs;
}

const Properties kStreamProperties = {{"group_by", "/meter_id"},
                                      {"window_size", "1 h"},
                                      {"watermark_delay", "10 min"},
                                      {"allowed_lateness", "30 min"},
                                      {"early_every", "7"},
                                      {"total", "sum(/kwh)"},
                                      {"share", "share_if(${delay_s:le(900)})"},
                                      {"last_kwh", "last(/kwh)"},
                                      {"p90_kwh", "percentile(/kwh, 0.9)"},
                                      {"delays", "distinct(/delay_s)"},
                                      {"distinct_exact_limit", "20"},  // some windows estimate
                                      {"accumulation", "retract"}};    // fired results are state too

std::string all_content(ProcessorRunner& runner, std::string_view relationship) {
  std::string all;
  for (const auto& ff : runner.take(relationship)) all += ff.content + "--\n";
  return all;
}

TEST(AggregateRecordTest, AfterACrashTheOutputIsThatOfAnUninterruptedRun) {
  const auto inputs = meter_stream();
  std::string expected_success;
  std::string expected_late;
  {
    ProcessorRunner runner(aggregate_record_definition());
    configure(runner, kStreamProperties);
    runner.set_batch(1);
    for (const auto& input : inputs) runner.enqueue(input);
    EXPECT_EQ(runner.run_until_empty(), 20);
    expected_success = all_content(runner, "success");
    expected_late = all_content(runner, "late");
  }
  ASSERT_THAT(expected_success, ::testing::HasSubstr("\"firing\":\"early\""));
  ASSERT_THAT(expected_success, ::testing::HasSubstr("\"firing\":\"on_time\""));
  ASSERT_THAT(expected_success, ::testing::HasSubstr("\"firing\":\"late\""));
  ASSERT_THAT(expected_success, ::testing::HasSubstr("\"firing\":\"retract\""));
  ASSERT_FALSE(expected_late.empty());

  sluice::testing::TempDir dir;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ProcessorRunner runner(aggregate_record_definition());
    runner.use_data_dir(dir.path());
    configure(runner, kStreamProperties);
    runner.set_batch(1);
    for (const auto& input : inputs) runner.enqueue(input);
    runner.run(8);
    // Die here, without stopping: no rollback, no checkpoint.
    ::_exit(runner.queued() == 12 ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  ProcessorRunner again(aggregate_record_definition());
  again.use_data_dir(dir.path());
  configure(again, kStreamProperties);
  again.set_batch(1);
  EXPECT_EQ(again.run_until_empty(), 12);
  EXPECT_EQ(all_content(again, "success"), expected_success);
  EXPECT_EQ(all_content(again, "late"), expected_late);
}

}  // namespace
}  // namespace sluice::records
