// Hot standard processors through the test kit (the real engine, in-memory repositories): RouteOnAttribute
// per FlowFile, MergeContent binning and merging, CompressContent per codec. Each iteration moves one batch
// of FlowFiles through one trigger; feeding and draining the queues is not timed.
#include <map>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "compress_content.hpp"
#include "merge_content.hpp"
#include "route_on_attribute.hpp"
#include "sluice/testkit.hpp"
#include "update_attribute.hpp"

namespace sluice::standard {
namespace {

constexpr int kBatch = 1000;

std::map<std::string, std::string> reading(int i) {
  return {{"status", i % 10 == 0 ? "ALARM" : "OK"},
          {"kwh", std::to_string(i % 200)},
          {"meter_id", "M" + std::to_string(i % 50)},
          {"filename", "reading-" + std::to_string(i) + ".csv"}};
}

// Per iteration: queue `count` FlowFiles of `content` (untimed), trigger `triggers` times (timed), then take
// what came out (untimed) so that queues do not grow.
void time_triggers(benchmark::State& state, testkit::ProcessorRunner& runner, int count,
                   const std::string& content, std::initializer_list<const char*> outputs, int triggers = 1,
                   bool with_attributes = true) {
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < count; ++i)
      runner.enqueue(content, with_attributes ? reading(i) : std::map<std::string, std::string>{});
    state.ResumeTiming();
    runner.run(triggers);
    state.PauseTiming();
    for (const char* r : outputs) runner.take(r);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * count);
}

void bm_route_on_attribute(benchmark::State& state) {
  testkit::ProcessorRunner runner(route_on_attribute_definition());
  runner.set_property("alarm", "${status:equals('ALARM')}")
      .set_property("high", "${kwh:toNumber():gt(100)}")
      .set_property("north", "${meter_id:startsWith('M1')}")
      .set_batch(kBatch);
  time_triggers(state, runner, kBatch, "x", {"alarm", "high", "north", "unmatched", "failure"});
}
BENCHMARK(bm_route_on_attribute)->Unit(benchmark::kMillisecond);

void bm_update_attribute(benchmark::State& state) {
  testkit::ProcessorRunner runner(update_attribute_definition());
  runner.set_property("region", "${meter_id:substring(0,2)}")
      .set_property("target", "${filename:substringBefore('.')}.out")
      .set_property("source", "bench")
      .set_batch(kBatch);
  time_triggers(state, runner, kBatch, "x", {"success", "failure"});
}
BENCHMARK(bm_update_attribute)->Unit(benchmark::kMillisecond);

// Binning 1000 FlowFiles of 1 KiB into bins of 100 (range 0: no correlation; 1: 50 correlated bins) and
// merging the full ones.
void bm_merge_content(benchmark::State& state) {
  const bool correlated = state.range(0) != 0;
  testkit::ProcessorRunner runner(merge_content_definition());
  runner.set_property("max_entries", correlated ? "20" : "100").set_batch(kBatch);
  if (correlated) runner.set_property("correlation_attribute", "meter_id").set_property("max_bins", "100");
  const std::string content(1024, 'r');
  // Two triggers: the first bins (and merges full bins), the second finds the input dry and merges the rest.
  time_triggers(state, runner, kBatch, content, {"merged", "original", "failure"}, 2);
  state.SetBytesProcessed(state.iterations() * kBatch * static_cast<std::int64_t>(content.size()));
}
BENCHMARK(bm_merge_content)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

std::string text_sample(std::size_t size) {
  std::mt19937 random(7);
  std::string out;
  while (out.size() < size) {
    out += "M" + std::to_string(random() % 100000) + ",2024-01-0" + std::to_string(random() % 9 + 1) + "," +
           std::to_string(random() % 10000) + ".5,OK\n";
  }
  out.resize(size);
  return out;
}

// 8 FlowFiles of 1 MiB of CSV-like text per iteration; range 0 picks the format, range 1 decompresses.
void bm_compress_content(benchmark::State& state) {
  static const char* const kFormats[] = {"gzip", "zstd", "lz4", "snappy"};
  const char* format = kFormats[state.range(0)];
  const bool decompress = state.range(1) != 0;
  state.SetLabel(std::string(format) + (decompress ? " decompress" : " compress"));
  std::string content = text_sample(std::size_t{1} << 20);
  if (decompress) {
    testkit::ProcessorRunner packer(compress_content_definition());
    packer.set_property("format", format);
    packer.enqueue(content);
    packer.run();
    content = packer.take("success").at(0).content;
  }
  testkit::ProcessorRunner runner(compress_content_definition());
  runner.set_property("format", format).set_property("mode", decompress ? "decompress" : "compress");
  constexpr int kFiles = 8;
  time_triggers(state, runner, kFiles, content, {"success", "failure"}, 1, false);
  // Uncompressed bytes either way, so that the two directions compare.
  state.SetBytesProcessed(state.iterations() * kFiles * static_cast<std::int64_t>(std::size_t{1} << 20));
}
BENCHMARK(bm_compress_content)->ArgsProduct({{0, 1, 2, 3}, {0, 1}})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::standard

BENCHMARK_MAIN();
