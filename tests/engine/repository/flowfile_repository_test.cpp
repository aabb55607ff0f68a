#include "repository/flowfile_repository.hpp"

#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "repository/content_repository.hpp"
#include "repository_test_support.hpp"

namespace sluice::internal {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace): test helpers
namespace fs = std::filesystem;

class FlowFileRepositoryTest : public ::testing::Test {
 protected:
  [[nodiscard]] FlowFileRepositorySettings settings(Durability d = Durability::kFsync) const {
    FlowFileRepositorySettings s;
    s.directory = dir_.path() / "flowfile";
    s.durability = d;
    s.batch_interval = std::chrono::milliseconds(5);
    return s;
  }
  std::unique_ptr<ContentRepository> content() {
    ContentRepositorySettings s;
    s.directory = dir_.path() / "content";
    return make_file_content_repository(s);
  }
  RecoveryStats recover_into(Recovered& out, ContentRepository& c, Durability d = Durability::kFsync) {
    auto repo = make_flowfile_repository(settings(d));
    RecoveryStats stats = repo->recover(c, out.sink());
    repo->close();
    return stats;
  }
  [[nodiscard]] fs::path last_segment() const {
    fs::path last;
    for (const auto& e : fs::directory_iterator(dir_.path() / "flowfile")) {
      const auto name = e.path().filename().string();
      if (name.starts_with("log.") && (last.empty() || name > last.filename().string())) last = e.path();
    }
    return last;
  }

  TempDir dir_;
};

TEST_F(FlowFileRepositoryTest, CommitRecoverRoundTripKeepsEverything) {
  auto content = this->content();
  std::vector<FlowFileRecord> records;
  {
    auto repo = make_flowfile_repository(settings());
    Recovered none;
    repo->recover(*content, none.sink());
    for (std::uint64_t id = 1; id <= 6; ++id) {
      auto w = content->create_writer();
      w->write("content of ");
      w->write(std::to_string(id));
      std::string name = "f";
      name += std::to_string(id);
      records.push_back(make_record(id, {{"filename", name}, {"k", "v"}}, w->finish()));
    }
    records[2].penalty_until_ms = 1234;
    repo->commit({upsert(records[0], "a"), upsert(records[1], "b"), upsert(records[2], "a")},
                 {records[0].content.resource.get()});
    repo->commit({upsert(records[3], "b"), upsert(records[4], "a"), upsert(records[5], "a")},
                 {records[3].content.resource.get()});
    repo->close();
  }
  content.reset();
  auto recovered_content = this->content();
  Recovered out;
  const RecoveryStats stats = recover_into(out, *recovered_content);
  EXPECT_EQ(stats.flowfiles, 6U);
  EXPECT_EQ(stats.log_records, 2U);
  EXPECT_EQ(stats.max_id, 6U);
  EXPECT_EQ(stats.truncated_bytes, 0U);
  EXPECT_EQ(out.ids("a"), (std::vector<std::uint64_t>{1, 3, 5, 6}));
  EXPECT_EQ(out.ids("b"), (std::vector<std::uint64_t>{2, 4}));
  for (const auto& [queue, r] : out.flowfiles) {
    const FlowFileRecord& original = records[r.id - 1];
    EXPECT_EQ(r.uuid, original.uuid);
    EXPECT_EQ(r.entry_ms, original.entry_ms);
    EXPECT_EQ(r.lineage_start_ms, original.lineage_start_ms);
    EXPECT_EQ(r.penalty_until_ms, original.penalty_until_ms);
    EXPECT_EQ(r.attributes.entries(), original.attributes.entries());
    ASSERT_TRUE(r.content.resource);
    EXPECT_EQ(r.content.offset, original.content.offset);
    EXPECT_EQ(recovered_content->open(r.content)->view(), "content of " + std::to_string(r.id));
  }
  // Reference counts rebuilt: all six contents share one resource.
  EXPECT_EQ(out.flowfiles[0].second.content.resource->flowfile_refs.load(), 6);
}

TEST_F(FlowFileRepositoryTest, RemovalsAndQueueMovesReplayInOrder) {
  auto content = this->content();
  std::vector<FlowFileRecord> records;
  for (std::uint64_t id = 1; id <= 5; ++id) records.push_back(make_record(id));
  {
    auto repo = make_flowfile_repository(settings());
    std::vector<RepositoryChange> changes;
    for (const auto& r : records) changes.push_back(upsert(r, "in"));
    repo->commit(changes, {});
    repo->commit({removal(2), removal(4), upsert(records[0], "out")}, {});
    repo->commit({removal(5)}, {});
  }
  Recovered out;
  const RecoveryStats stats = recover_into(out, *content);
  EXPECT_EQ(out.ids("in"), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(out.ids("out"), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(stats.max_id, 5U);
}

TEST_F(FlowFileRepositoryTest, CheckpointThenMoreCommitsRecover) {
  auto content = this->content();
  std::vector<std::pair<std::string, FlowFileRecord>> state;
  for (std::uint64_t id = 1; id <= 10; ++id)
    state.emplace_back("q", make_record(id, {{"n", std::to_string(id)}}));
  const FlowFileRecord extra11 = make_record(11);
  const FlowFileRecord extra12 = make_record(12);
  {
    auto repo = make_flowfile_repository(settings());
    Recovered none;
    repo->recover(*content, none.sink());
    std::vector<RepositoryChange> changes;
    for (const auto& [q, r] : state) changes.push_back(upsert(r, q));
    repo->commit(changes, {});
    EXPECT_GT(repo->log_bytes_since_checkpoint(), 0U);
    repo->begin_checkpoint();
    EXPECT_EQ(repo->log_bytes_since_checkpoint(), 0U);
    // Commits may run while the checkpoint is written: they land in the new segment.
    repo->commit({removal(1), removal(2), removal(3), upsert(extra11, "q")}, {});
    ListSnapshot snapshot(state);
    repo->write_checkpoint(snapshot);
    repo->commit({upsert(extra12, "q"), upsert(state[4].second, "z")}, {});
  }
  std::size_t segments = 0;
  for (const auto& e : fs::directory_iterator(dir_.path() / "flowfile")) {
    if (e.path().filename().string().starts_with("log.")) ++segments;
  }
  EXPECT_EQ(segments, 1U);  // the segment before the checkpoint is gone
  Recovered out;
  const RecoveryStats stats = recover_into(out, *content);
  EXPECT_EQ(out.ids("q"), (std::vector<std::uint64_t>{4, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(out.ids("z"), (std::vector<std::uint64_t>{5}));
  EXPECT_EQ(stats.max_id, 12U);
  EXPECT_EQ(out.flowfiles[0].second.attributes.find("n"), "4");

  // A second recovery of the same files (plus its fresh segment) gives the same state.
  Recovered again;
  recover_into(again, *content);
  EXPECT_EQ(again.all_ids(), out.all_ids());
}

TEST_F(FlowFileRepositoryTest, ConcurrentCommitsAreAllRecovered) {
  auto content = this->content();
  constexpr int kThreads = 4;
  constexpr int kCommits = 100;
  {
    auto repo = make_flowfile_repository(settings());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::string own_queue = "t";
        own_queue += std::to_string(t);
        for (int i = 0; i < kCommits; ++i) {
          const auto base = static_cast<std::uint64_t>((t * kCommits + i) * 3 + 1);
          FlowFileRecord a = make_record(base), b = make_record(base + 1), c = make_record(base + 2);
          repo->commit({upsert(a, own_queue), upsert(b, "shared"), upsert(c, "shared")}, {});
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  Recovered out;
  const RecoveryStats stats = recover_into(out, *content);
  EXPECT_EQ(stats.flowfiles, static_cast<std::uint64_t>(kThreads * kCommits * 3));
  EXPECT_EQ(stats.log_records, static_cast<std::uint64_t>(kThreads * kCommits));
  auto ids = out.all_ids();
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); ++i) ASSERT_EQ(ids[i], i + 1);
  // Within a queue, each thread's commits keep their order.
  const auto t0 = out.ids("t0");
  EXPECT_TRUE(std::is_sorted(t0.begin(), t0.end()));
}

TEST_F(FlowFileRepositoryTest, BatchAndNoneDurabilityRecoverAfterClose) {
  for (Durability d : {Durability::kBatch, Durability::kNone}) {
    TempDir local;
    FlowFileRepositorySettings s = settings(d);
    s.directory = local.path();
    auto content = this->content();
    {
      auto repo = make_flowfile_repository(s);
      for (std::uint64_t id = 1; id <= 50; ++id) {
        const FlowFileRecord r = make_record(id);
        repo->commit({upsert(r, "q")}, {});
      }
      repo->close();
    }
    auto repo = make_flowfile_repository(s);
    Recovered out;
    EXPECT_EQ(repo->recover(*content, out.sink()).flowfiles, 50U);
    EXPECT_EQ(out.ids("q").back(), 50U);
  }
}

// Commits three records, damages the last one, and checks recovery cuts exactly that record.
void corrupt_test(
    const std::function<void(const fs::path&, std::uint64_t before, std::uint64_t after)>& damage,
    const FlowFileRepositorySettings& s, ContentRepository& content) {
  std::uint64_t size_before_last = 0;
  std::uint64_t size_after_last = 0;
  fs::path segment;
  {
    auto repo = make_flowfile_repository(s);
    Recovered none;
    repo->recover(content, none.sink());
    for (std::uint64_t id = 1; id <= 3; ++id) {
      for (const auto& e : fs::directory_iterator(s.directory)) {
        if (e.path().filename().string().starts_with("log.")) segment = e.path();
      }
      size_before_last = fs::file_size(segment);
      const FlowFileRecord r = make_record(id, {{"payload", std::string(100, 'x')}});
      repo->commit({upsert(r, "q")}, {});
    }
    size_after_last = fs::file_size(segment);
  }
  damage(segment, size_before_last, size_after_last);
  {
    Recovered out;
    auto repo = make_flowfile_repository(s);
    const RecoveryStats stats = repo->recover(content, out.sink());
    EXPECT_EQ(out.ids("q"), (std::vector<std::uint64_t>{1, 2}));
    EXPECT_GT(stats.truncated_bytes, 0U);
    EXPECT_EQ(fs::file_size(segment), size_before_last);
    const FlowFileRecord r = make_record(4);
    repo->commit({upsert(r, "q")}, {});
  }
  Recovered out;
  auto repo = make_flowfile_repository(s);
  const RecoveryStats stats = repo->recover(content, out.sink());
  EXPECT_EQ(out.ids("q"), (std::vector<std::uint64_t>{1, 2, 4}));
  EXPECT_EQ(stats.truncated_bytes, 0U);
}

TEST_F(FlowFileRepositoryTest, TornRecordIsCutAndLogContinues) {
  auto content = this->content();
  corrupt_test([](const fs::path& segment, std::uint64_t,
                  std::uint64_t after) { fs::resize_file(segment, after - 5); },
               settings(), *content);
}

TEST_F(FlowFileRepositoryTest, FlippedByteInLastRecordIsCut) {
  auto content = this->content();
  corrupt_test(
      [](const fs::path& segment, std::uint64_t before, std::uint64_t after) {
        std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
        const auto at = static_cast<std::streamoff>(before + (after - before) / 2);
        f.seekg(at);
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ 0x10);
        f.seekp(at);
        f.write(&c, 1);
      },
      settings(), *content);
}

std::string_view id_queue(std::uint64_t id) {
  return id % 2 == 0 ? "even" : "odd";
}

TEST_F(FlowFileRepositoryTest, MillionFlowFilesInOneCommitRecover) {
  auto content = this->content();
  constexpr std::uint64_t kCount = 1'000'000;
  {
    std::vector<FlowFileRecord> records;
    records.reserve(kCount);
    const Attributes shared(make_ref<AttributeSet>(std::vector<AttributeSet::Entry>{{"path", "/in"}}));
    for (std::uint64_t id = 1; id <= kCount; ++id) {
      FlowFileRecord r;
      r.id = id;
      r.entry_ms = static_cast<std::int64_t>(id);
      r.lineage_start_ms = r.entry_ms;
      r.attributes = shared;
      if (id % 1000 == 0) r.attributes.put("filename", "file-" + std::to_string(id));
      records.push_back(std::move(r));
    }
    std::vector<RepositoryChange> changes;
    changes.reserve(kCount);
    for (const auto& r : records) changes.push_back(upsert(r, id_queue(r.id)));
    auto repo = make_flowfile_repository(settings());
    repo->commit(changes, {});
    EXPECT_GT(repo->log_bytes_since_checkpoint(), 1U << 20);  // streamed past the chunk size
  }
  Recovered out;
  out.flowfiles.reserve(kCount);
  const RecoveryStats stats = recover_into(out, *content);
  EXPECT_EQ(stats.flowfiles, kCount);
  EXPECT_EQ(stats.log_records, 1U);
  EXPECT_EQ(stats.max_id, kCount);
  // Recovery time is a benchmark figure (bench/engine/run.sh), not a unit-test assertion.
  EXPECT_EQ(out.flowfiles[999].second.attributes.find("filename"), "file-1000");
  EXPECT_EQ(out.ids("even").size(), kCount / 2);
}

}  // namespace
}  // namespace sluice::internal
