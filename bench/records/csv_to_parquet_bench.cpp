// CSV → Parquet through the records plugin without the engine: CsvReader (schema inferred) into the
// ParquetWriter service's RecordWriter, per codec, over smart-meter rows (~900 bytes each). Bytes/s count
// the CSV read; rows/s the records written.
#include <string>

#include <benchmark/benchmark.h>

#include "csv_reader.hpp"
#include "meter_rows.hpp"
#include "parquet_record_writer.hpp"

namespace {

class NullOutput final : public sluice::OutputStream {
 public:
  void write(std::string_view bytes) override { written_ += bytes.size(); }
  [[nodiscard]] std::uint64_t written() const override { return written_; }

 private:
  std::uint64_t written_ = 0;
};

void csv_to_parquet(benchmark::State& state) {
  const std::string csv = sluice::records::bench::meter_csv(20'000);
  sluice::records::ParquetWriterConfig config;
  config.encoder.codec = static_cast<sluice::parquet::Codec>(state.range(0));
  sluice::Record record;
  std::uint64_t rows = 0;
  NullOutput out;
  for (auto _ : state) {
    sluice::records::CsvReader reader(csv, {});
    sluice::records::ParquetRecordWriter writer(out, reader.schema(), config);
    while (reader.next(record) == sluice::ReadStatus::kRecord) writer.write(record);
    writer.finish();
    rows += writer.count();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(csv.size()));
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["out_bytes/row"] =
      static_cast<double>(out.written()) / static_cast<double>(rows == 0 ? 1 : rows);
}
BENCHMARK(csv_to_parquet)
    ->Arg(static_cast<int>(sluice::parquet::Codec::kUncompressed))
    ->Arg(static_cast<int>(sluice::parquet::Codec::kSnappy))
    ->Arg(static_cast<int>(sluice::parquet::Codec::kZstd))
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
