// Process-level crash consistency: a child commits numbered FlowFiles and acknowledges each after
// commit() returns; the parent SIGKILLs it and checks that recovery holds every acknowledged commit and
// nothing after a gap.
#include <random>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "repository/content_repository.hpp"
#include "repository/flowfile_repository.hpp"
#include "repository_test_support.hpp"

namespace sluice::internal {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace): test helpers
namespace fs = std::filesystem;

FlowFileRepositorySettings crash_settings(const fs::path& dir) {
  FlowFileRepositorySettings s;
  s.directory = dir / "flowfile";
  s.durability = Durability::kFsync;
  return s;
}

[[noreturn]] void run_child(const fs::path& dir, int ack_fd) {
  try {
    auto content = make_memory_content_repository();
    auto repo = make_flowfile_repository(crash_settings(dir));
    Recovered ignored;
    std::uint64_t id = repo->recover(*content, ignored.sink()).max_id;
    ignored.flowfiles.clear();
    for (;;) {
      ++id;
      const FlowFileRecord r = make_record(id, {{"n", std::to_string(id)}});
      // Every 7th commit also removes and re-adds an older one: a multi-change record.
      if (id % 7 == 0) {
        const FlowFileRecord again = make_record(id - 1, {{"n", std::to_string(id - 1)}});
        repo->commit({removal(id - 1), upsert(again, "q"), upsert(r, "q")}, {});
      } else {
        repo->commit({upsert(r, "q")}, {});
      }
      if (::write(ack_fd, &id, sizeof id) != static_cast<ssize_t>(sizeof id)) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

TEST(FlowFileRepositoryCrash, KilledWriterLosesNoAcknowledgedCommit) {
  TempDir dir;
  std::mt19937 gen(std::random_device{}());
  std::uint64_t acknowledged_max = 0;
  for (int round = 0; round < 5; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      run_child(dir.path(), fds[1]);
    }
    ::close(fds[1]);
    const int kill_after = 1 + static_cast<int>(gen() % 300);
    std::uint64_t last_ack = acknowledged_max;
    for (int i = 0; i < kill_after; ++i) {
      std::uint64_t id = 0;
      ASSERT_EQ(::read(fds[0], &id, sizeof id), static_cast<ssize_t>(sizeof id)) << "child died early";
      ASSERT_EQ(id, last_ack + 1);
      last_ack = id;
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    // Acks written before the kill count as well.
    for (std::uint64_t id = 0; ::read(fds[0], &id, sizeof id) == static_cast<ssize_t>(sizeof id);)
      last_ack = id;
    ::close(fds[0]);

    auto content = make_memory_content_repository();
    auto repo = make_flowfile_repository(crash_settings(dir.path()));
    Recovered out;
    const RecoveryStats stats = repo->recover(*content, out.sink());
    repo->close();
    auto ids = out.all_ids();
    std::sort(ids.begin(), ids.end());
    ASSERT_GE(ids.size(), last_ack) << "round " << round;
    for (std::size_t i = 0; i < ids.size(); ++i) ASSERT_EQ(ids[i], i + 1) << "gap in round " << round;
    EXPECT_LE(ids.size(), last_ack + 1);  // at most the one commit in flight at the kill
    EXPECT_EQ(stats.max_id, ids.size());
    for (const auto& [q, r] : out.flowfiles) ASSERT_EQ(r.attributes.find("n"), std::to_string(r.id));
    acknowledged_max = ids.size();
  }
}

}  // namespace
}  // namespace sluice::internal
