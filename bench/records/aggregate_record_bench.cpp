// AggregateRecord's hot path: a per-meter daily sum (calendar days in Europe/Berlin), 15-minute readings.
//
//  - aggregate_daily_sum/N: the event-time core (window assignment, group lookup, sum, watermark,
//    firings, and the state encoding of every changed window once per batch of 10,000 records, as a
//    trigger commits), record updates per second with N meters.
//  - aggregate_state_memory_1M: 1,000,000 meters × one open daily window, flushed into the engine's real
//    state store: resident memory of the windows plus their durable state.
//  - aggregate_record_csv: the whole processor in the engine (test kit), CSV in, JSON out: rows per second.
#include <cstdio>
#include <malloc.h>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "aggregate_record.hpp"
#include "csv_services.hpp"
#include "flow/state_store.hpp"
#include "json_services.hpp"
#include "sluice/testkit.hpp"
#include "window_aggregator.hpp"

namespace {

using sluice::records::AggregateInputs;
using sluice::records::AggregatorConfig;
using sluice::records::Firing;
using sluice::records::FiringSink;
using sluice::records::WindowAggregator;
using sluice::records::WindowState;

constexpr std::int64_t kQuarterHourMs = 15 * 60 * 1000;
constexpr std::int64_t kStartMs = 1'709'247'600'000;  // 2024-03-01T00:00:00+01:00

class CountingSink final : public FiringSink {
 public:
  void fire(std::string_view /*key*/, const WindowState& window, Firing /*firing*/) override {
    ++fired;
    benchmark::DoNotOptimize(window.slots[0].value);
  }
  std::uint64_t fired = 0;
};

AggregatorConfig daily_sum() {
  AggregatorConfig config;
  config.aggregates.push_back(sluice::records::parse_aggregate("kwh", "sum(/kwh)"));
  config.size_ms = 86'400'000;
  config.zone = "Europe/Berlin";
  config.watermark_delay_ms = kQuarterHourMs;
  return config;
}

std::vector<std::string> meter_groups(std::size_t meters) {
  std::vector<std::string> groups(meters);
  char id[16];
  for (std::size_t m = 0; m < meters; ++m) {
    std::snprintf(id, sizeof id, "M%07zu", m);
    sluice::records::append_group_part(std::string_view(id), groups[m]);
  }
  return groups;
}

long resident_kib() {
  long pages = 0;
  long resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4;
}

void aggregate_daily_sum(benchmark::State& state) {
  const auto meters = static_cast<std::size_t>(state.range(0));
  const auto groups = meter_groups(meters);
  WindowAggregator aggregator(daily_sum());
  AggregateInputs inputs = aggregator.make_inputs();
  CountingSink sink;
  std::size_t state_bytes = 0;
  auto write = [&](std::string_view key, std::optional<std::string_view> value) {
    state_bytes += key.size() + (value ? value->size() : 0);
  };
  std::uint64_t reading = 0;
  std::uint64_t updates = 0;
  for (auto _ : state) {
    for (int i = 0; i < 10'000; ++i, ++reading) {
      const std::size_t meter = reading % meters;
      const std::int64_t t = kStartMs + static_cast<std::int64_t>(reading / meters) * kQuarterHourMs;
      inputs.numeric[0] = static_cast<double>(reading % 7) * 0.25;
      aggregator.add(t, groups[meter], inputs, 0, sink);
    }
    aggregator.end_batch(sink);
    aggregator.flush(write);
    updates += 10'000;
  }
  state.counters["updates/s"] = benchmark::Counter(static_cast<double>(updates), benchmark::Counter::kIsRate);
  state.counters["firings"] = static_cast<double>(sink.fired);
  state.counters["open_windows"] = static_cast<double>(aggregator.open_windows());
}
BENCHMARK(aggregate_daily_sum)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void aggregate_state_memory_1M(benchmark::State& state) {
  for (auto _ : state) {
    ::malloc_trim(0);  // memory other benchmarks freed must not count as already resident
    const long before = resident_kib();
    constexpr std::size_t kMeters = 1'000'000;
    auto groups = meter_groups(kMeters);
    const long groups_kib = resident_kib() - before;
    WindowAggregator aggregator(daily_sum());
    sluice::internal::StateStore store;
    AggregateInputs inputs = aggregator.make_inputs();
    CountingSink sink;
    std::size_t state_bytes = 0;
    std::vector<sluice::internal::StateChange> changes;
    std::vector<std::string> keep;  // the flush's views live until applied
    for (std::size_t batch = 0; batch < kMeters; batch += 10'000) {
      for (std::size_t m = batch; m < batch + 10'000; ++m) {
        inputs.numeric[0] = 1.5;
        aggregator.add(kStartMs + 3'600'000, groups[m], inputs, 0, sink);
      }
      changes.clear();
      keep.clear();
      aggregator.flush([&](std::string_view key, std::optional<std::string_view> value) {
        keep.emplace_back(key);
        keep.emplace_back(value.value_or(""));
        state_bytes += key.size() + keep.back().size();
      });
      for (std::size_t k = 0; k + 1 < keep.size(); k += 2) {
        changes.push_back({"daily", keep[k], keep[k + 1], false});
      }
      store.apply(changes);
    }
    const long total_kib = resident_kib() - before - groups_kib;
    state.counters["resident_MB"] = static_cast<double>(total_kib) / 1024.0;
    state.counters["state_bytes_per_window"] =
        static_cast<double>(state_bytes) / static_cast<double>(kMeters);
    state.counters["open_windows"] = static_cast<double>(aggregator.open_windows());
    state.counters["stored_entries"] = static_cast<double>(store.size());
  }
}
BENCHMARK(aggregate_state_memory_1M)->Iterations(1)->Unit(benchmark::kMillisecond);

void aggregate_record_csv(benchmark::State& state) {
  constexpr std::size_t kMeters = 10'000;
  constexpr std::size_t kRows = 100'000;
  std::string csv = "meter_id,event_time,kwh\n";
  char line[96];
  for (std::size_t r = 0; r < kRows; ++r) {
    const std::int64_t minutes = static_cast<std::int64_t>(r / kMeters) * 15;
    std::snprintf(line, sizeof line, "M%07zu,2024-03-01T%02lld:%02lld:00Z,%zu.25\n", r % kMeters,
                  static_cast<long long>(minutes / 60 % 24), static_cast<long long>(minutes % 60), r % 9);
    csv += line;
  }
  sluice::testkit::ProcessorRunner runner(sluice::records::aggregate_record_definition());
  runner.add_service("csv", sluice::records::csv_reader_definition());
  runner.add_service("json", sluice::records::json_writer_definition(), {{"format", "lines"}});
  runner.set_property("reader", "csv").set_property("writer", "json");
  runner.set_property("event_time", "/event_time").set_property("group_by", "/meter_id");
  runner.set_property("window_size", "1 d").set_property("time_zone", "Europe/Berlin");
  runner.set_property("kwh", "sum(/kwh)");
  std::uint64_t rows = 0;
  for (auto _ : state) {
    runner.enqueue(csv);
    runner.run();
    rows += kRows;
    state.PauseTiming();
    runner.take("original");
    runner.take("success");
    state.ResumeTiming();
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(csv.size()));
}
BENCHMARK(aggregate_record_csv)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
