// Writing 1M meter-like rows to Parquet, per codec: a string meter id (5,000 meters), a timestamp, three
// doubles, a status of 5 values and a ~800-byte text that differs on every row. The sink only counts bytes,
// so this measures the encoder (dictionaries, pages, statistics, compression, footer), not a disk.
// bytes_per_second counts the values handed to the writer; items_per_second counts rows.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "parquet/writer.hpp"

namespace sluice::parquet {
namespace {

constexpr std::int64_t kRows = 1'000'000;
constexpr std::size_t kTextBytes = 800;

class CountingSink final : public ByteSink {
 public:
  void write(std::string_view bytes) override { written += bytes.size(); }
  std::uint64_t written = 0;
};

// Text-like content: words from a small vocabulary. Each row's note is an 800-byte window of it at a
// different offset, so notes are distinct (the dictionary gives up on them) yet compress like prose.
const std::string& corpus() {
  static const std::string kText = [] {
    const std::vector<std::string> words{
        "meter",  "reading", "voltage", "phase",    "grid",     "load",  "peak",   "valve",
        "sensor", "north",   "south",   "pressure", "nominal",  "check", "feeder", "substation",
        "alarm",  "cleared", "manual",  "estimate", "the",      "of",    "and",    "at",
        "was",    "within",  "limits",  "outage",   "restored", "crew"};
    std::mt19937_64 rng(1);
    std::string out;
    while (out.size() < (std::size_t{8} << 20)) {
      out += words[rng() % words.size()];
      out += rng() % 9 == 0 ? ". " : " ";
      if (rng() % 5 == 0) out += std::to_string(rng() % 100000);
    }
    return out;
  }();
  return kText;
}

std::vector<Column> meter_schema() {
  return {{.name = "meter_id",
           .type = PhysicalType::kByteArray,
           .logical = LogicalType::string(),
           .repetition = Repetition::kRequired},
          {.name = "ts",
           .type = PhysicalType::kInt64,
           .logical = LogicalType::timestamp(TimeUnit::kMicros, true),
           .repetition = Repetition::kRequired},
          {.name = "voltage", .type = PhysicalType::kDouble},
          {.name = "current", .type = PhysicalType::kDouble},
          {.name = "power", .type = PhysicalType::kDouble},
          {.name = "status", .type = PhysicalType::kByteArray, .logical = LogicalType::string()},
          {.name = "note", .type = PhysicalType::kByteArray, .logical = LogicalType::string()}};
}

void write_meter_rows(benchmark::State& state, Codec codec) {
  const std::string& text = corpus();
  std::vector<std::string> meters;
  meters.reserve(5000);
  for (int m = 0; m < 5000; ++m) meters.push_back("MTR-" + std::to_string(1'000'000 + m));
  const std::vector<std::string> statuses{"OK", "WARN", "ALARM", "OFFLINE", "MAINTENANCE"};
  std::uint64_t input_bytes = 0;
  std::uint64_t file_bytes = 0;
  for (auto _ : state) {
    CountingSink sink;
    Writer writer(sink, meter_schema(), {.codec = codec});
    input_bytes = 0;
    for (std::int64_t i = 0; i < kRows; ++i) {
      const std::string& meter = meters[static_cast<std::size_t>(i % 5000)];
      const double volts = 230.0 + static_cast<double>(i % 97) * 0.1;
      const double amps = static_cast<double>(i % 1013) * 0.01;
      const std::string& status = statuses[static_cast<std::size_t>((i / 7) % 5)];
      const std::string_view note(
          text.data() + static_cast<std::size_t>(i * 131) % (text.size() - kTextBytes), kTextBytes);
      writer.append_bytes(0, meter);
      writer.append_int64(1, 1'700'000'000'000'000 + i * 1'000'000);
      writer.append_double(2, volts);
      writer.append_double(3, amps);
      writer.append_double(4, volts * amps);
      writer.append_bytes(5, status);
      writer.append_bytes(6, note);
      writer.end_row();
      input_bytes += meter.size() + sizeof(std::int64_t) + 3 * sizeof(double) + status.size() + note.size();
    }
    writer.close();
    file_bytes = sink.written;
    benchmark::DoNotOptimize(file_bytes);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(input_bytes));
  state.counters["file_MB"] = static_cast<double>(file_bytes) / 1e6;
  state.counters["ratio"] = static_cast<double>(input_bytes) / static_cast<double>(file_bytes);
}

BENCHMARK_CAPTURE(write_meter_rows, uncompressed, Codec::kUncompressed)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(write_meter_rows, snappy, Codec::kSnappy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(write_meter_rows, zstd, Codec::kZstd)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(write_meter_rows, gzip, Codec::kGzip)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace sluice::parquet

BENCHMARK_MAIN();
