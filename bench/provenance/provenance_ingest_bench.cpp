// Provenance ingest: events into the store with indexes on (uuid in every role, transit URI, the indexed
// attribute `filename`), as the indexer thread does it; and the session's cost of encoding a commit's events.
//   build/bench/provenance_ingest_bench --benchmark_min_time=5
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "flow/clock.hpp"
#include "provenance/event_codec.hpp"
#include "provenance/indexer.hpp"
#include "provenance/store_writer.hpp"

namespace sluice::internal::provenance {
namespace {

namespace fs = std::filesystem;

struct BenchDir {
  BenchDir() {
    std::string pattern = (fs::temp_directory_path() / "sluice-prov-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path = pattern;
  }
  ~BenchDir() { fs::remove_all(path); }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  fs::path path;
};

constexpr int kPerSection = 100;  // FlowFiles per commit

// Sections of a GetFile -> UpdateAttribute -> PutFile flow: RECEIVE (with URI), ATTRIBUTES_MODIFIED, then
// SEND (with URI) and DROP, for 100 FlowFiles with five attributes each.
std::vector<std::string> flow_sections(int rounds) {
  std::vector<std::string> out;
  SectionEncoder enc;
  for (int round = 0; round < rounds; ++round) {
    std::vector<Uuid> uuids(kPerSection);
    std::vector<Attributes> before(kPerSection);
    std::vector<Attributes> after(kPerSection);
    std::vector<ContentClaim> claims(kPerSection);
    std::vector<std::string> uris(kPerSection);
    for (int i = 0; i < kPerSection; ++i) {
      uuids[i] = random_uuid();
      const std::string name = "meter-" + std::to_string(round * kPerSection + i) + ".csv";
      before[i] = Attributes(make_ref<AttributeSet>(
          std::vector<AttributeSet::Entry>{{"absolute.path", "/data/in/"},
                                           {"file.lastModifiedTime", "2024-05-01T12:00:00Z"},
                                           {"filename", name},
                                           {"path", "./"}}));
      after[i] = before[i];
      after[i].put("meter.region", "north");
      claims[i].offset = static_cast<std::uint64_t>(i) * 4096;
      claims[i].length = 4096;
      uris[i] = "file:///data/in/" + name;
    }
    auto section = [&](const char* component, auto&& fill) {
      enc.begin(component, "T", 1'700'000'000'000 + round);
      for (int i = 0; i < kPerSection; ++i) fill(i);
      out.emplace_back(enc.body());
    };
    auto base = [&](int i, EventType type) {
      EventInput e;
      e.type = type;
      e.time_ms = 1'700'000'000'000 + round;
      e.uuid = &uuids[i];
      e.relationship = "success";
      e.entry_ms = e.time_ms;
      e.lineage_start_ms = e.time_ms;
      e.content_out = &claims[i];
      e.attributes = &after[i];
      return e;
    };
    section("get", [&](int i) {
      EventInput e = base(i, EventType::kReceive);
      e.attributes = &before[i];
      e.transit_uri = uris[i];
      enc.add(e);
    });
    section("update", [&](int i) {
      EventInput e = base(i, EventType::kAttributesModified);
      e.source_queue = "get:success:update";
      e.content_in = &claims[i];
      e.before = &before[i];
      enc.add(e);
    });
    section("put", [&](int i) {
      EventInput send = base(i, EventType::kSend);
      send.source_queue = "update:success:put";
      send.content_in = &claims[i];
      send.transit_uri = uris[i];
      enc.add(send);
      EventInput drop = base(i, EventType::kDrop);
      drop.source_queue = send.source_queue;
      drop.content_in = &claims[i];
      drop.details = "Auto-terminated by success relationship";
      enc.add(drop);
    });
  }
  return out;
}

std::uint32_t events_in(const std::string& body) {
  return read_section_header(body).count;
}

// The store alone, on the calling thread: append, flush about once a second's worth, fsync on flush.
void store_ingest(benchmark::State& state) {
  const auto sections = flow_sections(200);
  BenchDir dir;
  StoreSettings s;
  s.directory = dir.path / "provenance";
  s.indexed_attributes = {"filename"};
  s.sync = state.range(0) != 0;
  StoreWriter w(s, 1'700'000'000'000);
  std::uint64_t id = 1;
  std::uint64_t since_flush = 0;
  std::size_t next = 0;
  for (auto _ : state) {
    const std::string& body = sections[next++ % sections.size()];
    const std::uint32_t n = events_in(body);
    w.append(id, n, body, 1'700'000'000'000);
    id += n;
    since_flush += n;
    if (since_flush >= 300'000) {
      w.flush();
      since_flush = 0;
    }
  }
  w.flush();
  state.SetItemsProcessed(static_cast<std::int64_t>(id - 1));
  state.counters["bytes_per_event"] = static_cast<double>(w.stats().bytes) / static_cast<double>(id - 1);
}
BENCHMARK(store_ingest)->Arg(1)->ArgName("fsync")->UseRealTime()->Unit(benchmark::kMillisecond);

// The whole path the engine uses: sections handed to the indexer (its own thread), measured until they are
// all durable in the store.
void indexer_ingest(benchmark::State& state) {
  const auto sections = flow_sections(200);
  BenchDir dir;
  ManualClock clock(1'700'000'000'000);  // the events' time: nothing ages out during the run
  IndexerSettings s;
  s.store.directory = dir.path / "provenance";
  s.store.indexed_attributes = {"filename"};
  Indexer indexer(s, clock);
  std::uint64_t id = 1;
  std::size_t next = 0;
  for (auto _ : state) {
    const std::string& body = sections[next++ % sections.size()];
    const std::uint32_t n = events_in(body);
    indexer.index(id, n, body);
    id += n;
  }
  indexer.flush();
  state.SetItemsProcessed(static_cast<std::int64_t>(id - 1));
}
BENCHMARK(indexer_ingest)->UseRealTime()->Unit(benchmark::kMillisecond);

// The session side: encoding 100 FlowFiles' events (what a commit adds to its log record).
void encode_section(benchmark::State& state) {
  std::vector<Uuid> uuids(kPerSection);
  std::vector<Attributes> attrs(kPerSection);
  std::vector<ContentClaim> claims(kPerSection);
  for (int i = 0; i < kPerSection; ++i) {
    uuids[i] = random_uuid();
    attrs[i] = Attributes(make_ref<AttributeSet>(std::vector<AttributeSet::Entry>{
        {"filename", "meter-" + std::to_string(i) + ".csv"}, {"path", "./"}}));
    claims[i].length = 100;
  }
  SectionEncoder enc;
  std::size_t bytes = 0;
  for (auto _ : state) {
    enc.begin("pass", "LogAttribute", 1'700'000'000'000);
    for (int i = 0; i < kPerSection; ++i) {
      EventInput e;
      e.type = EventType::kRoute;
      e.time_ms = 1'700'000'000'000;
      e.uuid = &uuids[i];
      e.relationship = "success";
      e.source_queue = "gen:success:pass";
      e.entry_ms = e.time_ms;
      e.lineage_start_ms = e.time_ms;
      e.content_in = &claims[i];
      e.content_out = &claims[i];
      e.attributes = &attrs[i];
      e.before = &attrs[i];
      enc.add(e);
    }
    bytes = enc.body().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * kPerSection);
  state.counters["bytes_per_event"] = static_cast<double>(bytes) / kPerSection;
}
BENCHMARK(encode_section);

}  // namespace
}  // namespace sluice::internal::provenance

BENCHMARK_MAIN();
