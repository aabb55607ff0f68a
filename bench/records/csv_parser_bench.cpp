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

void BM_CsvReadStrings(benchmark::State& state) {
  read_all(state, sluice::records::SchemaMode::kStrings);
}
void BM_CsvReadInferred(benchmark::State& state) {
  read_all(state, sluice::records::SchemaMode::kInfer);
}
BENCHMARK(BM_CsvReadStrings)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CsvReadInferred)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
