// AggregateRecord's state codec and window assignment, without the engine.
#include "aggregate_state.hpp"

#include <gtest/gtest.h>

#include "aggregate_windows.hpp"

namespace sluice::records {
namespace {

std::vector<AggregateSpec> specs(const std::vector<std::pair<std::string, std::string>>& declared) {
  std::vector<AggregateSpec> v;
  for (const auto& [name, text] : declared) v.push_back(parse_aggregate(name, text));
  return v;
}

TEST(AggregateStateTest, AWindowRoundTripsThroughItsKeyAndValue) {
  const auto aggregates = specs({{"n", "count()"},
                                 {"total", "sum(/kwh)"},
                                 {"low", "min(/kwh)"},
                                 {"first", "first(/kwh)"},
                                 {"ok", "share_if(${a:equals('x')})"},
                                 {"meters", "distinct(/meter_id)"},
                                 {"p95", "percentile(/kwh, 0.95)"}});
  WindowState w;
  w.start = 1'709'247'600'000;
  w.end = w.start + 86'400'000;
  w.count = 5;
  w.since_early = 3;
  w.fired = true;
  w.more().early_since = 1'700'000'000'123;
  FiredResult& fired = w.more().retraction.emplace();
  fired.count = 4;
  fired.values = {Value::integer(4), Value::real(11.5), Value(),       Value::real(7),
                  Value::real(0.5),  Value::integer(3), Value::real(3)};
  w.slots.assign(aggregates.size(), AggregateSlot{});
  w.slots[1] = {12.5, 4, 0};  // one record without a value: counts are written
  w.slots[2] = {-0.25, 4, 0};
  w.slots[3] = {7, 4, w.start + 60'000};
  w.slots[4] = {0, 2, 0};
  w.more().sketches = make_sketches(aggregates);
  ASSERT_EQ(w.extras->sketches.size(), 2U);
  for (const std::uint64_t h : {11U, 22U, 33U}) std::get<DistinctCounter>(w.extras->sketches[0]).add(h, 100);
  for (const double v : {12.5, -0.25, 3.0}) std::get<TDigest>(w.extras->sketches[1]).add(v);

  std::string group;
  append_group_part(std::string_view("M0000001"), group);
  append_group_part(std::nullopt, group);
  std::string key;
  window_key(w.start, group, key);
  std::string value;
  encode_window(w, aggregates, value);

  const auto parsed = parse_window_key(key);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->first, w.start);
  std::vector<std::optional<std::string_view>> parts;
  ASSERT_TRUE(split_group(parsed->second, parts));
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[0], std::optional<std::string_view>("M0000001"));
  EXPECT_FALSE(parts[1].has_value());

  WindowState back;
  back.start = parsed->first;
  back.more().sketches = make_sketches(aggregates);
  ASSERT_TRUE(decode_window(value, aggregates, back));
  EXPECT_EQ(back.end, w.end);
  EXPECT_EQ(back.count, 5U);
  EXPECT_EQ(back.since_early, 3U);
  EXPECT_TRUE(back.fired);
  EXPECT_FALSE(back.pending_late);
  EXPECT_EQ(back.slots[1].value, 12.5);
  EXPECT_EQ(back.slots[1].n, 4);
  EXPECT_EQ(back.slots[2].value, -0.25);
  EXPECT_EQ(back.slots[3].time, w.start + 60'000);
  EXPECT_EQ(back.slots[4].n, 2);
  EXPECT_EQ(back.early_since(), w.early_since());
  ASSERT_NE(back.retraction(), nullptr);
  EXPECT_EQ(back.retraction()->count, 4U);
  ASSERT_EQ(back.retraction()->values.size(), aggregates.size());
  EXPECT_EQ(back.retraction()->values[0].as_int(), 4);
  EXPECT_EQ(back.retraction()->values[1].as_double(), 11.5);
  EXPECT_TRUE(back.retraction()->values[2].is_null());
  EXPECT_EQ(std::get<DistinctCounter>(back.extras->sketches[0]).count(), 3U);
  EXPECT_EQ(std::get<TDigest>(back.extras->sketches[1]).quantile(0.5), 3.0);

  // A value of another configuration does not decode (the processor drops it with a warning).
  WindowState other;
  other.start = w.start;
  EXPECT_FALSE(decode_window(value, specs({{"total", "sum(/kwh)"}}), other));
  EXPECT_FALSE(decode_window(value.substr(0, value.size() - 1), aggregates, back));
}

TEST(AggregateStateTest, ADailySumPerMeterFitsTheInlineStringBuffer) {
  const auto aggregates = specs({{"kwh", "sum(/kwh)"}});
  WindowState w;
  w.start = 1'709'247'600'000;
  w.end = w.start + 82'800'000;
  w.count = 96;
  w.slots = {{1234.5, 96, 0}};
  std::string group;
  append_group_part(std::string_view("M0000001"), group);
  std::string key;
  window_key(w.start, group, key);
  std::string value;
  encode_window(w, aggregates, value);
  EXPECT_LE(key.size(), 15U);
  EXPECT_LE(value.size(), 15U);
  const auto watermark = decode_watermark(encode_watermark({w.start, 42}));
  ASSERT_TRUE(watermark.has_value());
  EXPECT_EQ(watermark->max_event, w.start);
  EXPECT_EQ(watermark->last_input, 42);
}

TEST(AggregateWindowsTest, CalendarDaysFollowTheZoneAndHoppingWindowsOverlap) {
  WindowAssigner days(WindowType::kTumbling, kDayMs, 0, 0, "Europe/Berlin");
  WindowBounds b[1];
  ASSERT_EQ(days.assign(1'711'841'400'000, b), 1U);  // 2024-03-30T23:30:00Z, 00:30 CET on the 31st
  EXPECT_EQ(b[0].start, 1'711'839'600'000);          // 2024-03-30T23:00:00Z
  EXPECT_EQ(b[0].end - b[0].start, 23 * 3'600'000);
  EXPECT_EQ(b[0].start_offset, 60);
  EXPECT_EQ(b[0].end_offset, 120);

  WindowAssigner hops(WindowType::kHopping, 3'600'000, 1'200'000, 0, "UTC");
  ASSERT_EQ(hops.max_windows(), 3U);
  WindowBounds h[3];
  ASSERT_EQ(hops.assign(3'700'000, h), 3U);  // 01:01:40
  EXPECT_EQ(h[0].start, 1'200'000);
  EXPECT_EQ(h[1].start, 2'400'000);
  EXPECT_EQ(h[2].start, 3'600'000);
  EXPECT_THROW(WindowAssigner(WindowType::kTumbling, kDayMs, 0, 0, "Mars/Olympus"), std::invalid_argument);
  EXPECT_THROW(WindowAssigner(WindowType::kHopping, 60'000, 120'000, 0, "UTC"), std::invalid_argument);
}

}  // namespace
}  // namespace sluice::records
