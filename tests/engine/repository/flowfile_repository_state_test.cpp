// Component state rides in the FlowFile repository's commit records and checkpoints.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "repository/content_repository.hpp"
#include "repository/flowfile_repository.hpp"
#include "repository_test_support.hpp"

namespace sluice::internal {
namespace {

using namespace testing_support;  // NOLINT(google-build-using-namespace): test helpers
namespace fs = std::filesystem;

using StateMap = std::map<std::string, std::string>;  // "component/key" -> value

class FlowFileRepositoryStateTest : public ::testing::Test {
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
  // Recovers and applies every state change in order, as the engine's StateStore does.
  StateMap recover_state(ContentRepository& content, Recovered& flowfiles) {
    StateMap state;
    auto repo = make_flowfile_repository(settings());
    repo->recover(content, flowfiles.sink(), [&](const StateChange& c) {
      const std::string key = std::string(c.component) + "/" + std::string(c.key);
      if (c.remove) {
        state.erase(key);
      } else {
        state[key] = std::string(c.value);
      }
    });
    repo->close();
    return state;
  }
  TempDir dir_;
};

TEST_F(FlowFileRepositoryStateTest, StateChangesReplayInCommitOrderWithTheirFlowFiles) {
  auto content = this->content();
  {
    auto repo = make_flowfile_repository(settings());
    Recovered none;
    repo->recover(*content, none.sink());
    const FlowFileRecord r1 = make_record(1);
    const StateChange first[] = {{"list", "position", "10", false}, {"list", "host", "a", false}};
    repo->commit({upsert(r1, "q")}, {}, first);
    // A commit may carry state alone (a processor that only advanced its position).
    const StateChange second[] = {{"list", "position", "20", false}, {"agg", "w1", "sum=3", false}};
    repo->commit({}, {}, second);
    const StateChange third[] = {{"list", "host", "", true}};
    repo->commit({removal(1)}, {}, third);
  }
  Recovered flowfiles;
  const StateMap state = recover_state(*content, flowfiles);
  EXPECT_EQ(state, (StateMap{{"agg/w1", "sum=3"}, {"list/position", "20"}}));
  EXPECT_TRUE(flowfiles.all_ids().empty());
}

TEST_F(FlowFileRepositoryStateTest, CheckpointHoldsStateAndLaterCommitsApplyOnTop) {
  auto content = this->content();
  class StateSnapshot : public SnapshotSource {
   public:
    void for_each(const std::function<void(std::string_view, const FlowFileRecord&)>& /*fn*/) override {}
    void for_each_state(const StateSink& fn) override {
      fn({"list", "position", "5", false});
      fn({"list", "stale", "x", false});
      for (int i = 0; i < 50'000; ++i) fn({"agg", "meter-" + std::to_string(i), std::string(40, 'v'), false});
    }
  };
  {
    auto repo = make_flowfile_repository(settings());
    Recovered none;
    repo->recover(*content, none.sink());
    const StateChange before[] = {{"list", "position", "1", false}};
    repo->commit({}, {}, before);
    repo->begin_checkpoint();
    const StateChange during[] = {{"list", "position", "6", false}, {"list", "stale", "", true}};
    repo->commit({}, {}, during);
    StateSnapshot snapshot;
    repo->write_checkpoint(snapshot);
  }
  Recovered flowfiles;
  StateMap state = recover_state(*content, flowfiles);
  EXPECT_EQ(state.size(), 50'001U);  // the chunked state survived whole
  EXPECT_EQ(state["list/position"], "6");
  EXPECT_FALSE(state.contains("list/stale"));
  EXPECT_EQ(state["agg/meter-49999"], std::string(40, 'v'));
}

TEST_F(FlowFileRepositoryStateTest, AStreamedCommitCarriesItsStateAfterTheLastChange) {
  auto content = this->content();
  std::vector<FlowFileRecord> records;
  records.reserve(60'000);
  for (std::uint64_t id = 1; id <= 60'000; ++id)
    records.push_back(make_record(id, {{"pad", std::string(30, 'p')}}));
  {
    auto repo = make_flowfile_repository(settings());
    Recovered none;
    repo->recover(*content, none.sink());
    std::vector<RepositoryChange> changes;
    for (const auto& r : records) changes.push_back(upsert(r, "q"));
    const StateChange state[] = {{"split", "done", "60000", false}};
    repo->commit(changes, {}, state);  // over the streaming threshold: written in chunks
  }
  Recovered flowfiles;
  const StateMap state = recover_state(*content, flowfiles);
  EXPECT_EQ(flowfiles.all_ids().size(), 60'000U);
  EXPECT_EQ(state, (StateMap{{"split/done", "60000"}}));
}

}  // namespace
}  // namespace sluice::internal
