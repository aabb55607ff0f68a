// The JSON writer's hot loop: meter records (typed, with a ~800-byte notes string) written as a JSON array.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "csv_reader.hpp"
#include "json_writer.hpp"
#include "meter_rows.hpp"

namespace {

class NullOutput final : public sluice::OutputStream {
 public:
  void write(std::string_view bytes) override { written_ += bytes.size(); }
  [[nodiscard]] std::uint64_t written() const override { return written_; }

 private:
  std::uint64_t written_ = 0;
};

void json_write_meter_records(benchmark::State& state) {
  // Records parsed once, kept in their own Record each (their views point into `csv`).
  const std::string csv = sluice::records::bench::meter_csv(2'000);
  sluice::records::CsvReaderOptions options;
  sluice::records::CsvReader reader(csv, options);
  std::vector<sluice::Record> records;
  sluice::Record r;
  while (reader.next(r) == sluice::ReadStatus::kRecord) {
    records.emplace_back(r.schema_ptr());
    std::copy(r.fields().begin(), r.fields().end(), records.back().fields().begin());
    // Strings view `csv` unless unescaped into r's arena: copy those into the record's own arena.
    for (auto& v : records.back().fields()) {
      if (v.kind() == sluice::ValueKind::kString)
        v = sluice::Value::string(records.back().arena().copy(v.as_text()));
    }
  }
  NullOutput out;
  for (auto _ : state) {
    sluice::records::JsonWriter writer(out, {});
    for (const auto& rec : records) writer.write(rec);
    writer.finish();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(out.written()));
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(state.iterations() * records.size()),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(json_write_meter_records)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
