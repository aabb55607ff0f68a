// Provenance queries over a large store: by FlowFile uuid (library and SQL) and a 6-step lineage.
//   build/bench/provenance_query_bench [--benchmark_min_time=2]
// The store (SLUICE_PROV_BENCH_EVENTS events, default 10,000,000) is built once into
// SLUICE_PROV_BENCH_DIR (default /tmp/sluice-prov-query-bench) and reused by later runs of the same size.
//
// Each group of 9 FlowFiles makes 21 events over 10 commits, 6 of them lineage links:
//   RECEIVE A; FORK A -> B1 B2, DROP A; ROUTE B1 B2; CLONE B1 -> C; JOIN B2 C -> D, DROP B2 C;
//   ATTRIBUTES_MODIFIED D, ROUTE B1; FORK D -> E1 E2, DROP D; CLONE E1 -> F; JOIN E2 F -> G, DROP E2 F;
//   SEND G, DROP G B1 E1
// Commits are pipelined (step s of wave w is written with step s+1 of wave w-1, ...), so one group's
// events lie far apart in the store, across blocks and partitions, as they do when a flow runs.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "provenance/event_codec.hpp"
#include "provenance/queries.hpp"
#include "provenance/sql.hpp"
#include "provenance/store_writer.hpp"

namespace sluice::internal::provenance {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kT0 = 1'700'000'000'000;
constexpr std::size_t kWave = 1000;  // groups per commit
constexpr std::size_t kSteps = 10;   // commits per group
constexpr std::uint64_t kEventsPerGroup = 21;
constexpr std::int64_t kTickMs = 15'000;   // time between pipelined commits: a 10M store spans ~2 days
constexpr std::size_t kSampleEvery = 977;  // groups remembered for the queries

struct Group {
  Uuid a, b1, b2, c, d, e1, e2, f, g;
};

struct Sample {
  std::string a;
  std::string b1;
};

std::uint64_t wanted_events() {
  const char* env = std::getenv("SLUICE_PROV_BENCH_EVENTS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

fs::path data_dir() {
  const char* env = std::getenv("SLUICE_PROV_BENCH_DIR");
  return env != nullptr ? fs::path(env) : fs::path("/tmp/sluice-prov-query-bench");
}

std::string text(const Uuid& u) {
  return uuid_to_string(u);
}

// Writes one commit: step `step` of every group of a wave.
class StepWriter {
 public:
  StepWriter() {
    attrs_ = Attributes(make_ref<AttributeSet>(std::vector<AttributeSet::Entry>{{"path", "./"}}));
    claim_.length = 1024;
  }

  std::string_view write(std::size_t step, std::vector<Group>& wave, std::size_t first_group,
                         std::int64_t t) {
    static constexpr const char* kComponents[kSteps] = {"get",    "split",  "route",   "fanout", "merge",
                                                        "update", "split2", "fanout2", "merge2", "put"};
    enc_.begin(kComponents[step], "Bench", t);
    for (std::size_t i = 0; i < wave.size(); ++i) add(step, wave[i], first_group + i, t);
    return enc_.body();
  }

  [[nodiscard]] std::uint32_t count() const { return enc_.count(); }

 private:
  void event(EventType type, const Uuid& u, std::int64_t t, std::span<const Uuid> parents = {},
             std::span<const Uuid> children = {}, std::string_view uri = {}) {
    EventInput e;
    e.type = type;
    e.time_ms = t;
    e.uuid = &u;
    e.parents = parents;
    e.children = children;
    e.relationship = "success";
    e.transit_uri = uri;
    e.entry_ms = t;
    e.lineage_start_ms = t;
    e.content_in = type == EventType::kReceive ? nullptr : &claim_;
    e.content_out = &claim_;
    e.attributes = &attrs_;
    enc_.add(e);
  }

  void add(std::size_t step, Group& g, std::size_t n, std::int64_t t) {
    switch (step) {
      case 0:
        for (Uuid* u : {&g.a, &g.b1, &g.b2, &g.c, &g.d, &g.e1, &g.e2, &g.f, &g.g}) *u = random_uuid();
        uri_ = "file:///data/in/meter-" + std::to_string(n) + ".csv";
        event(EventType::kReceive, g.a, t, {}, {}, uri_);
        break;
      case 1:
        two_ = {g.b1, g.b2};
        event(EventType::kFork, g.a, t, std::span(&g.a, 1), two_);
        event(EventType::kDrop, g.a, t);
        break;
      case 2:
        event(EventType::kRoute, g.b1, t);
        event(EventType::kRoute, g.b2, t);
        break;
      case 3: event(EventType::kClone, g.c, t, std::span(&g.b1, 1), std::span(&g.c, 1)); break;
      case 4:
        two_ = {g.b2, g.c};
        event(EventType::kJoin, g.d, t, two_, std::span(&g.d, 1));
        event(EventType::kDrop, g.b2, t);
        event(EventType::kDrop, g.c, t);
        break;
      case 5:
        event(EventType::kAttributesModified, g.d, t);
        event(EventType::kRoute, g.b1, t);
        break;
      case 6:
        two_ = {g.e1, g.e2};
        event(EventType::kFork, g.d, t, std::span(&g.d, 1), two_);
        event(EventType::kDrop, g.d, t);
        break;
      case 7: event(EventType::kClone, g.f, t, std::span(&g.e1, 1), std::span(&g.f, 1)); break;
      case 8:
        two_ = {g.e2, g.f};
        event(EventType::kJoin, g.g, t, two_, std::span(&g.g, 1));
        event(EventType::kDrop, g.e2, t);
        event(EventType::kDrop, g.f, t);
        break;
      default:
        uri_ = "sftp://archive.example/out/meter-" + std::to_string(n) + ".csv";
        event(EventType::kSend, g.g, t, {}, {}, uri_);
        event(EventType::kDrop, g.g, t);
        event(EventType::kDrop, g.b1, t);
        event(EventType::kDrop, g.e1, t);
        break;
    }
  }

  SectionEncoder enc_;
  Attributes attrs_;
  ContentClaim claim_;
  std::array<Uuid, 2> two_{};
  std::string uri_;
};

// Builds the store unless a complete one of this size is there; returns the sampled groups.
std::vector<Sample> prepare_store() {
  const fs::path dir = data_dir();
  const std::uint64_t events = wanted_events();
  const fs::path marker = dir / "bench-samples";
  std::vector<Sample> samples;
  {
    std::ifstream in(marker);
    std::uint64_t stored = 0;
    if (in >> stored && stored == events) {
      Sample s;
      while (in >> s.a >> s.b1) samples.push_back(s);
      if (!samples.empty()) return samples;
    }
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::fprintf(stderr, "building a store of %llu events in %s ...\n", static_cast<unsigned long long>(events),
               dir.c_str());
  StoreSettings settings;
  settings.directory = store_directory(dir);
  settings.max_age = std::chrono::hours(24 * 365);
  settings.partition_span = std::chrono::hours(6);
  settings.indexed_attributes = {"filename"};
  settings.sync = false;
  StoreWriter writer(settings, kT0);
  const auto waves = static_cast<std::size_t>(events / kEventsPerGroup / kWave);
  std::vector<std::vector<Group>> groups(waves, std::vector<Group>(kWave));
  StepWriter step_writer;
  std::uint64_t id = 1;
  std::uint64_t since_flush = 0;
  // Tick t writes step s of wave t - s, for every s that names a wave.
  for (std::size_t tick = 0; tick < waves + kSteps - 1; ++tick) {
    const std::int64_t t = kT0 + static_cast<std::int64_t>(tick) * kTickMs;
    for (std::size_t s = 0; s < kSteps; ++s) {
      if (tick < s || tick - s >= waves) continue;
      const std::size_t w = tick - s;
      const std::string_view body = step_writer.write(s, groups[w], w * kWave, t);
      writer.append(id, step_writer.count(), body, t);
      id += step_writer.count();
      since_flush += step_writer.count();
      if (s + 1 == kSteps) {  // the wave is complete: remember a few groups, let the rest go
        for (std::size_t i = w % kSampleEvery; i < kWave; i += kSampleEvery) {
          samples.push_back({text(groups[w][i].a), text(groups[w][i].b1)});
        }
        std::vector<Group>().swap(groups[w]);
      }
    }
    if (since_flush >= 500'000) {
      writer.flush();
      since_flush = 0;
    }
  }
  writer.flush();
  writer.close();
  std::ofstream out(marker);
  out << events << '\n';
  for (const Sample& sample : samples) out << sample.a << ' ' << sample.b1 << '\n';
  std::fprintf(stderr, "%llu events stored\n", static_cast<unsigned long long>(id - 1));
  return samples;
}

const std::vector<Sample>& samples() {
  static const std::vector<Sample> kSamples = prepare_store();
  return kSamples;
}

// Every event of one FlowFile (B1: its fork, routes, clone and drop), newest first, through the library.
void query_by_uuid(benchmark::State& state) {
  const auto& s = samples();
  const Queries queries(data_dir());
  std::size_t next = 0;
  for (auto _ : state) {
    EventQuery q;
    q.flowfile_uuid = s[next++ % s.size()].b1;
    const auto events = queries.query(q);
    if (events.size() != 5) state.SkipWithError("expected the 5 events of B1");
    benchmark::DoNotOptimize(events.data());
  }
}
BENCHMARK(query_by_uuid)->Unit(benchmark::kMillisecond);

// The same, opening the store each time (what one `sluice provenance query --flowfile` does).
void query_by_uuid_opening_the_store(benchmark::State& state) {
  const auto& s = samples();
  std::size_t next = 0;
  for (auto _ : state) {
    const Queries queries(data_dir());
    EventQuery q;
    q.flowfile_uuid = s[next++ % s.size()].b1;
    const auto events = queries.query(q);
    if (events.size() != 5) state.SkipWithError("expected the 5 events of B1");
    benchmark::DoNotOptimize(events.data());
  }
}
BENCHMARK(query_by_uuid_opening_the_store)->Unit(benchmark::kMillisecond);

// The 6-step lineage of A: 9 FlowFiles, 21 events.
void lineage_6_steps(benchmark::State& state) {
  const auto& s = samples();
  const Queries queries(data_dir());
  std::size_t next = 0;
  for (auto _ : state) {
    const Lineage lineage = queries.lineage(s[next++ % s.size()].a);
    if (lineage.flowfiles.size() != 9 || lineage.events.size() != kEventsPerGroup) {
      state.SkipWithError("expected 9 FlowFiles and 21 events");
    }
    benchmark::DoNotOptimize(lineage.events.data());
  }
}
BENCHMARK(lineage_6_steps)->Unit(benchmark::kMillisecond);

// By FlowFile uuid through SQL (the view `events`, the uuid constraint reaching the index).
void sql_by_uuid(benchmark::State& state) {
  const auto& s = samples();
  const StoreReader store(store_directory(data_dir()));
  SqlSession sql(store);
  std::size_t next = 0;
  for (auto _ : state) {
    std::size_t rows = 0;
    sql.execute(
        "SELECT event_id, type, component_id FROM events WHERE flowfile_uuid = '" + s[next++ % s.size()].b1 +
            "'",
        [](const std::vector<std::string>&) {}, [&](std::span<const SqlValue>) { ++rows; });
    if (rows != 3) state.SkipWithError("expected the 3 events whose FlowFile is B1");
  }
}
BENCHMARK(sql_by_uuid)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sluice::internal::provenance

BENCHMARK_MAIN();
