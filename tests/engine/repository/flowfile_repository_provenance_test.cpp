// Provenance events ride in the commit record: ids in log order, handed to the store once durable, indexed
// again after a restart when the store had not kept them, and never for a record a crash tore.
#include <fstream>

#include <gtest/gtest.h>

#include "provenance/event_codec.hpp"
#include "repository/content_repository.hpp"
#include "repository/flowfile_repository.hpp"
#include "repository_test_support.hpp"

namespace sluice::internal {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace): test helpers
namespace fs = std::filesystem;

// Stands in for the provenance store: records what it is handed and claims what the test says it holds.
class CapturingSink final : public ProvenanceSink {
 public:
  struct Batch {
    std::uint64_t first;
    std::uint32_t count;
    std::vector<std::string> uuids;
  };
  void index(std::uint64_t first, std::uint32_t count, std::string_view body) override {
    Batch b{first, count, {}};
    provenance::SectionReader reader(body);
    provenance::EventView e;
    while (reader.next(e, first)) b.uuids.push_back(provenance::uuid_text(e.uuid));
    batches.push_back(std::move(b));
  }
  [[nodiscard]] std::uint64_t indexed_through() const override { return held; }
  [[nodiscard]] std::uint64_t durable_through() const override { return durable; }

  std::vector<Batch> batches;
  std::uint64_t held = 0;
  std::uint64_t durable = 0;
};

// A section of `n` CREATE events for fresh uuids (returned in `uuids`).
struct Events {
  explicit Events(int n, const std::string& component = "p") {
    encoder.begin(component, "T", 1'700'000'000'000);
    for (int i = 0; i < n; ++i) {
      uuids.push_back(random_uuid());
      texts.push_back(uuid_to_string(uuids.back()));
    }
    for (const Uuid& u : uuids) {
      provenance::EventInput e;
      e.type = provenance::EventType::kCreate;
      e.time_ms = 1'700'000'000'001;
      e.uuid = &u;
      encoder.add(e);
    }
    events = ProvenanceEvents{encoder.body(), encoder.count()};
  }
  provenance::SectionEncoder encoder;
  std::vector<Uuid> uuids;
  std::vector<std::string> texts;
  ProvenanceEvents events;
};

class FlowFileRepositoryProvenanceTest : public ::testing::Test {
 protected:
  [[nodiscard]] FlowFileRepositorySettings settings() const {
    FlowFileRepositorySettings s;
    s.directory = dir_.path() / "flowfile";
    return s;
  }
  std::unique_ptr<ContentRepository> content() {
    ContentRepositorySettings s;
    s.directory = dir_.path() / "content";
    return make_file_content_repository(s);
  }
  std::unique_ptr<FlowFileRepository> open(CapturingSink& sink, ContentRepository& c,
                                           RecoveryStats* stats = nullptr) {
    auto repo = make_flowfile_repository(settings());
    repo->set_provenance_sink(&sink);
    Recovered none;
    const RecoveryStats s = repo->recover(c, none.sink());
    if (stats != nullptr) *stats = s;
    return repo;
  }
  void commit(FlowFileRepository& repo, const Events& events, std::uint64_t id) {
    FlowFileRecord r = make_record(id);
    repo.commit({upsert(r, "q")}, {}, {}, &events.events);
  }
  [[nodiscard]] std::vector<fs::path> segments() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_.path() / "flowfile")) {
      if (e.path().filename().string().starts_with("log.")) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir_;
};

TEST_F(FlowFileRepositoryProvenanceTest, IdsFollowLogOrderAndEventsReachTheStoreOnceDurable) {
  auto c = content();
  CapturingSink sink;
  auto repo = open(sink, *c);
  const Events a(2);
  const Events b(1);
  const Events d(3);
  commit(*repo, a, 1);
  commit(*repo, b, 2);
  repo->commit({}, {}, {}, &d.events);  // events alone are a commit too
  ASSERT_EQ(sink.batches.size(), 3u);   // commit() returned: durable, so handed over
  EXPECT_EQ(sink.batches[0].first, 1u);
  EXPECT_EQ(sink.batches[0].uuids, a.texts);
  EXPECT_EQ(sink.batches[1].first, 3u);
  EXPECT_EQ(sink.batches[2].first, 4u);
  EXPECT_EQ(sink.batches[2].count, 3u);
  EXPECT_EQ(sink.batches[2].uuids, d.texts);
  repo->close();
}

TEST_F(FlowFileRepositoryProvenanceTest, RecoveryIndexesWhatTheStoreDidNotKeep) {
  auto c = content();
  const Events a(2);
  const Events b(1);
  const Events d(3);
  {
    CapturingSink sink;
    auto repo = open(sink, *c);
    commit(*repo, a, 1);
    commit(*repo, b, 2);
    commit(*repo, d, 3);
    repo->close();
  }
  CapturingSink restarted;
  restarted.held = 2;  // the store kept the first record's events only
  RecoveryStats stats;
  auto repo = open(restarted, *c, &stats);
  ASSERT_EQ(restarted.batches.size(), 2u);
  EXPECT_EQ(restarted.batches[0].first, 3u);
  EXPECT_EQ(restarted.batches[0].uuids, b.texts);
  EXPECT_EQ(restarted.batches[1].first, 4u);
  EXPECT_EQ(restarted.batches[1].uuids, d.texts);
  EXPECT_EQ(stats.reindexed_events, 4u);
  // New events continue after the highest logged id.
  const Events e(1);
  commit(*repo, e, 4);
  EXPECT_EQ(restarted.batches.back().first, 7u);
  repo->close();
}

TEST_F(FlowFileRepositoryProvenanceTest, ATornRecordLeavesNoEvents) {
  auto c = content();
  const Events a(2);
  const Events b(5);
  {
    CapturingSink sink;
    auto repo = open(sink, *c);
    commit(*repo, a, 1);
    commit(*repo, b, 2);
    repo->close();
  }
  // A crash in the middle of writing the second record: its tail never reached the disk.
  const fs::path log = segments().back();
  fs::resize_file(log, fs::file_size(log) - 20);
  CapturingSink restarted;
  auto repo = open(restarted, *c);
  ASSERT_EQ(restarted.batches.size(), 1u);
  EXPECT_EQ(restarted.batches[0].uuids, a.texts);
  // The torn record's ids are free again: nothing was ever indexed under them.
  const Events e(1);
  commit(*repo, e, 3);
  EXPECT_EQ(restarted.batches.back().first, 3u);
  repo->close();
}

TEST_F(FlowFileRepositoryProvenanceTest, CheckpointsKeepSegmentsUntilTheirEventsAreDurable) {
  auto c = content();
  const Events a(2);
  CapturingSink sink;  // durable_through stays 0: the store has made nothing durable
  {
    auto repo = open(sink, *c);
    commit(*repo, a, 1);
    std::vector<std::pair<std::string, FlowFileRecord>> live;
    ListSnapshot snapshot(live);
    repo->begin_checkpoint();
    repo->write_checkpoint(snapshot);
    const auto kept = segments();
    ASSERT_EQ(kept.size(), 2u);  // the old segment stays for its events
    repo->close();
  }
  // Restart: the store lost what it had not made durable; the kept segment gives the events back.
  CapturingSink restarted;
  auto repo = open(restarted, *c);
  ASSERT_EQ(restarted.batches.size(), 1u);
  EXPECT_EQ(restarted.batches[0].uuids, a.texts);
  EXPECT_EQ(segments().size(), 3u);
  restarted.durable = 2;
  repo->release_indexed_segments();
  EXPECT_EQ(segments().size(), 2u);  // the covered one went; the newest ones hold the live log
  repo->close();
}

TEST_F(FlowFileRepositoryProvenanceTest, LargeCommitsStreamWithTheirEvents) {
  auto c = content();
  const Events before(1);
  const Events big_events(4);
  CapturingSink sink;
  {
    auto repo = open(sink, *c);
    commit(*repo, before, 1);
    // Enough changes to pass the streaming threshold (1 MiB).
    std::vector<FlowFileRecord> records;
    records.reserve(4000);
    for (std::uint64_t id = 10; id < 4010; ++id) {
      records.push_back(make_record(id, {{"payload", std::string(300, 'x')}}));
    }
    std::vector<RepositoryChange> changes;
    for (const auto& r : records) changes.push_back(upsert(r, "q"));
    repo->commit(changes, {}, {}, &big_events.events);
    ASSERT_EQ(sink.batches.size(), 2u);
    EXPECT_EQ(sink.batches[1].first, 2u);
    EXPECT_EQ(sink.batches[1].uuids, big_events.texts);
    repo->close();
  }
  CapturingSink restarted;
  RecoveryStats stats;
  auto repo = open(restarted, *c, &stats);
  EXPECT_EQ(stats.flowfiles, 4001u);
  ASSERT_EQ(restarted.batches.size(), 2u);
  EXPECT_EQ(restarted.batches[1].uuids, big_events.texts);
  repo->close();
}

}  // namespace
}  // namespace sluice::internal
