// The CSV reader's hot loop on smart-meter rows (~900 bytes): bytes and rows per second for strings only and
// for typed fields (timestamps and doubles parsed).
#include <string>

#include <benchmark/benchmark.h>

#include "csv_reader.hpp"
#include "meter_rows.hpp"

namespace {

void read_all(benchmark::State& state, sluice::records::SchemaMode mode) {
  const std::string csv = sluice::records::bench::meter_csv(10'000);
  sluice::records::CsvReaderOptions options;
  options.schema_mode = mode;
  sluice::Record record;
  std::size_t rows = 0;
  for (auto _ : state) {
    sluice::records::CsvReader reader(csv, options);
    while (reader.next(record) == sluice::ReadStatus::kRecord) ++rows;
    benchmark::DoNotOptimize(record);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.size()));
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

void csv_read_strings(benchmark::State& state) {
  read_all(state, sluice::records::SchemaMode::kStrings);
}
void csv_read_inferred(benchmark::State& state) {
  read_all(state, sluice::records::SchemaMode::kInfer);
}
BENCHMARK(csv_read_strings)->Unit(benchmark::kMillisecond);
BENCHMARK(csv_read_inferred)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
