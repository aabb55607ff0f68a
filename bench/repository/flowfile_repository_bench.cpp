// Commit throughput (100 small FlowFiles per commit) per durability mode, and recovery of 1M FlowFiles.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>

#include "repository/content_repository.hpp"
#include "repository/flowfile_repository.hpp"

namespace sluice::internal {
namespace {

namespace fs = std::filesystem;

struct BenchDir {
  BenchDir() {
    std::string pattern = (fs::temp_directory_path() / "sluice-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path = pattern;
  }
  ~BenchDir() { fs::remove_all(path); }
  fs::path path;
};

FlowFileRecord small_record(std::uint64_t id, const Attributes& attributes) {
  FlowFileRecord r;
  r.id = id;
  r.uuid = random_uuid();
  r.entry_ms = 1'700'000'000'000 + static_cast<std::int64_t>(id);
  r.lineage_start_ms = r.entry_ms;
  r.attributes = attributes;
  r.attributes.put("filename", "file-" + std::to_string(id));
  return r;
}

void BM_Commit100(benchmark::State& state) {
  BenchDir dir;
  FlowFileRepositorySettings s;
  s.directory = dir.path;
  s.durability = static_cast<Durability>(state.range(0));
  auto repo = make_flowfile_repository(s);
  const Attributes base(make_ref<AttributeSet>(
      std::vector<AttributeSet::Entry>{{"path", "/data/in"}, {"mime.type", "text/plain"}}));
  thread_local std::uint64_t next_id = 0;
  const std::uint64_t base_id = static_cast<std::uint64_t>(state.thread_index()) << 40;
  std::vector<FlowFileRecord> records(100);
  std::vector<RepositoryChange> changes(100);
  for (auto _ : state) {
    for (std::size_t i = 0; i < 100; ++i) {
      records[i] = small_record(base_id + ++next_id, base);
      changes[i] = RepositoryChange{RepositoryChange::Kind::kUpsert, &records[i], 0, "gen:success:out"};
    }
    repo->commit(changes, {});
  }
  state.SetItemsProcessed(state.iterations() * 100);
  repo->close();
}
BENCHMARK(BM_Commit100)->Arg(0)->Arg(1)->Arg(2)->ArgName("durability(0=fsync,1=batch,2=none)")->UseRealTime();
BENCHMARK(BM_Commit100)->Arg(0)->ArgName("durability(0=fsync)")->Threads(4)->UseRealTime();

void BM_Recover1M(benchmark::State& state) {
  BenchDir dir;
  FlowFileRepositorySettings s;
  s.directory = dir.path / "flowfile";
  s.durability = Durability::kNone;
  ContentRepositorySettings cs;
  cs.directory = dir.path / "content";
  constexpr std::uint64_t kCount = 1'000'000;
  {
    auto content = make_file_content_repository(cs);
    auto repo = make_flowfile_repository(s);
    const Attributes base(make_ref<AttributeSet>(std::vector<AttributeSet::Entry>{{"path", "/data/in"}}));
    std::vector<FlowFileRecord> records;
    std::vector<RepositoryChange> changes;
    // A claim per FlowFile into shared resources, as small files would have.
    auto w = content->create_writer();
    w->write("x");
    const ContentClaim claim = w->finish();
    content->increment(claim);
    for (std::uint64_t id = 1; id <= kCount; id += 100) {
      records.clear();
      changes.clear();
      for (std::uint64_t k = 0; k < 100; ++k) {
        records.push_back(small_record(id + k, base));
        records.back().content = claim;
      }
      for (const auto& r : records)
        changes.push_back({RepositoryChange::Kind::kUpsert, &r, 0, "gen:success:out"});
      repo->commit(changes, {});
    }
    repo->close();
  }
  for (auto _ : state) {
    auto content = make_file_content_repository(cs);
    auto repo = make_flowfile_repository(s);
    std::uint64_t count = 0;
    const RecoveryStats stats = repo->recover(*content, [&](std::string_view, FlowFileRecord&&) { ++count; });
    if (count != kCount) state.SkipWithError("wrong count");
    state.counters["recovery_ms"] = static_cast<double>(stats.elapsed.count());
    repo->close();
  }
}
BENCHMARK(BM_Recover1M)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace
}  // namespace sluice::internal

BENCHMARK_MAIN();
