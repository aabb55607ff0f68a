// The session, connections and scheduler working together, driven on the test thread (no worker threads,
// a manual clock), so every step is deterministic.
#include "flow/flow_controller.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "flow/process_session.hpp"
#include "flow_builder.hpp"
#include "test_processors.hpp"

namespace sluice::internal {
namespace {

using sluice::testing::FlowBuilder;

class FlowControllerTest : public ::testing::Test {
 protected:
  FlowControllerTest() {
    for (auto* d : {&emit_, &pass_, &split_, &throw_, &forget_, &count_}) registry_.add(d, "test");
  }
  void run_until_quiet(FlowController& fc, int max_steps = 10'000) {
    for (int i = 0; i < max_steps && fc.scheduler().run_once(); ++i) {
    }
  }
  ProcessorDefinition emit_ = sluice::testing::emit_definition();
  ProcessorDefinition pass_ = sluice::testing::pass_definition();
  ProcessorDefinition split_ = sluice::testing::split_parity_definition();
  ProcessorDefinition throw_ = sluice::testing::throw_definition();
  ProcessorDefinition forget_ = sluice::testing::forget_definition();
  ProcessorDefinition count_ = sluice::testing::count_state_definition();
  ProcessorRegistry registry_;
  ManualClock clock_;
};

TEST_F(FlowControllerTest, FlowFilesTravelAndAreCounted) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "10"}}).timer(1000);
  b.processor("pass", "Pass");
  b.processor("split", "SplitParity", {}, {"odd"});
  b.processor("even_sink", "Pass", {}, {"success"});
  b.connect("gen", "success", "pass")
      .connect("pass", "success", "split")
      .connect("split", "even", "even_sink");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  run_until_quiet(fc);
  auto summary = fc.summary();
  auto find = [&](const std::string& id) {
    for (auto& s : summary) {
      if (s.id == id) return s;
    }
    return ProcessorSummary{};
  };
  EXPECT_EQ(find("gen").out, 10u);  // the timer fired once: the clock did not move
  EXPECT_EQ(find("pass").in, 10u);
  EXPECT_EQ(find("split").out, 5u);
  EXPECT_EQ(find("split").removed, 5u);  // odd ones, auto-terminated
  EXPECT_EQ(find("even_sink").in, 5u);
  EXPECT_EQ(fc.queued(), 0u);

  clock_.advance(std::chrono::milliseconds(1000));  // the next period: the timer fires again
  run_until_quiet(fc);
  EXPECT_EQ(fc.node("gen")->stats().out.load(), 20u);
  EXPECT_EQ(fc.node("even_sink")->stats().in.load(), 10u);
}

TEST_F(FlowControllerTest, BackPressureStopsTheSourceUntilRoomIsMade) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "5"}}).timer(0);
  b.processor("sink", "Pass", {}, {"success"});
  b.connect("gen", "success", "sink", /*max_objects=*/5);
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  auto* queue = fc.connection("gen:success:sink");
  ASSERT_NE(queue, nullptr);
  // The source runs once (5 FlowFiles fill the queue); it is not due again while the queue is full.
  ASSERT_TRUE(fc.scheduler().run_once());
  EXPECT_EQ(queue->count(), 5u);
  EXPECT_TRUE(queue->full());
  ASSERT_TRUE(fc.scheduler().run_once());  // only the sink was due
  EXPECT_EQ(fc.node("gen")->stats().out.load(), 5u);
  EXPECT_EQ(queue->count(), 0u);
}

TEST_F(FlowControllerTest, AProcessorSeesThroughItsContextWhenItsOutputIsFull) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "3"}}).timer(0);
  b.processor("sink", "Pass", {}, {"success"});
  b.connect("gen", "success", "sink", /*max_objects=*/3);
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  // What a listener asks from its own thread before accepting a request: the SDK view, not the node.
  const ProcessContext& gen = *fc.node("gen");
  const ProcessContext& sink = *fc.node("sink");
  EXPECT_FALSE(gen.output_full());
  ASSERT_TRUE(fc.scheduler().run_once());  // gen fills its queue
  EXPECT_TRUE(gen.output_full());
  EXPECT_FALSE(sink.output_full());        // terminated relationships are never full
  ASSERT_TRUE(fc.scheduler().run_once());  // the sink drains it
  EXPECT_FALSE(gen.output_full());
}

TEST_F(FlowControllerTest, AThrowingProcessorRollsBackAndIsPenalized) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "3"}}).timer(1'000'000);
  b.processor("bad", "Throw", {}, {"success"});
  b.connect("gen", "success", "bad");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  run_until_quiet(fc);
  auto* queue = fc.connection("gen:success:bad");
  EXPECT_EQ(queue->count(), 3u);  // nothing lost
  EXPECT_EQ(fc.node("bad")->stats().errors.load(), 1u);
  EXPECT_FALSE(fc.scheduler().run_once());  // penalized for its yield duration
  clock_.advance(std::chrono::seconds(1));
  EXPECT_TRUE(fc.scheduler().run_once());
  EXPECT_EQ(fc.node("bad")->stats().errors.load(), 2u);
  // The rolled-back FlowFile is untouched: the attribute set before the throw is gone.
  std::vector<FlowFileRecord> out;
  std::vector<FlowFileRecord> expired;
  queue->poll(10, clock_.now_ms(), out, expired);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].attributes.find("n").value_or(""), "0");
  EXPECT_FALSE(out[0].attributes.find("touched"));
}

TEST_F(FlowControllerTest, ACommitWithAnUnroutedFlowFileIsRefused) {
  FlowBuilder b;
  b.processor("gen", "Emit").timer(1'000'000);
  b.processor("forget", "Forget", {}, {"success"});
  b.connect("gen", "success", "forget");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  run_until_quiet(fc);
  EXPECT_EQ(fc.node("forget")->stats().errors.load(), 1u);
  EXPECT_EQ(fc.connection("gen:success:forget")->count(), 1u);
}

TEST_F(FlowControllerTest, ARelationshipFeedingTwoConnectionsClones) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "4"}}).timer(1'000'000);
  b.processor("a", "Pass", {}, {"success"});
  b.processor("b", "Pass", {}, {"success"});
  b.connect("gen", "success", "a").connect("gen", "success", "b");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  ASSERT_TRUE(fc.scheduler().run_once());
  std::vector<FlowFileRecord> to_a;
  std::vector<FlowFileRecord> to_b;
  std::vector<FlowFileRecord> expired;
  fc.connection("gen:success:a")->poll(10, 0, to_a, expired);
  fc.connection("gen:success:b")->poll(10, 0, to_b, expired);
  ASSERT_EQ(to_a.size(), 4u);
  ASSERT_EQ(to_b.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NE(to_a[i].uuid, to_b[i].uuid);                          // distinct FlowFiles
    EXPECT_EQ(to_a[i].content.resource, to_b[i].content.resource);  // sharing one content
    EXPECT_EQ(to_a[i].attributes.find("n"), to_b[i].attributes.find("n"));
  }
}

TEST_F(FlowControllerTest, QueuedFlowFilesSurviveARestartWithContent) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "sluice-controller-restart";
  std::filesystem::remove_all(dir);
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "50"}}).timer(1'000'000);
  b.processor("sink", "Pass", {}, {"success"});
  b.connect("gen", "success", "sink");
  {
    FlowController fc(b.model(), registry_, dir, clock_);
    fc.recover();
    fc.start(false);
    ASSERT_TRUE(fc.scheduler().run_once());  // the source only: 50 queued
    EXPECT_EQ(fc.queued(), 50u);
  }
  FlowController again(b.model(), registry_, dir, clock_);
  const RecoveryReport report = again.recover();
  EXPECT_EQ(report.flowfiles, 50u);
  EXPECT_EQ(again.queued(), 50u);
  std::vector<FlowFileRecord> out;
  std::vector<FlowFileRecord> expired;
  again.connection("gen:success:sink")->poll(100, 0, out, expired);
  ASSERT_EQ(out.size(), 50u);
  for (std::size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i].attributes.find("n").value_or(""), std::to_string(i));  // order kept
  }
  std::filesystem::remove_all(dir);
}

// Two engines on one data directory would interleave their logs: the second refuses to start, naming the
// first's pid, and the directory is free again once the first is gone.
TEST_F(FlowControllerTest, ASecondEngineOnTheSameDataDirectoryRefusesToStart) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "sluice-controller-lock";
  std::filesystem::remove_all(dir);
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "1"}}).timer(1'000'000);
  b.processor("sink", "Pass", {}, {"success"});
  b.connect("gen", "success", "sink");
  {
    FlowController first(b.model(), registry_, dir, clock_);
    first.recover();
    FlowController second(b.model(), registry_, dir, clock_);
    try {
      second.recover();
      ADD_FAILURE() << "a second engine opened a data directory in use";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("is in use by another sluice process (pid " +
                                           std::to_string(::getpid()) + ")"),
                std::string::npos)
          << e.what();
    }
  }
  FlowController after(b.model(), registry_, dir, clock_);
  EXPECT_NO_THROW(after.recover());
  std::filesystem::remove_all(dir);
}

TEST_F(FlowControllerTest, FlowFilesOfARemovedConnectionAreHeldNotDropped) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "sluice-controller-holding";
  std::filesystem::remove_all(dir);
  FlowBuilder before;
  before.processor("gen", "Emit", {{"count", "7"}}).timer(1'000'000);
  before.processor("old", "Pass", {}, {"success"});
  before.connect("gen", "success", "old");
  {
    FlowController fc(before.model(), registry_, dir, clock_);
    fc.recover();
    fc.start(false);
    ASSERT_TRUE(fc.scheduler().run_once());
  }
  FlowBuilder after;
  after.processor("gen", "Emit", {{"count", "7"}}).timer(1'000'000);
  after.processor("new", "Pass", {}, {"success"});
  after.connect("gen", "success", "new");
  {
    FlowController fc(after.model(), registry_, dir, clock_);
    const RecoveryReport report = fc.recover();
    EXPECT_EQ(report.held, 7u);
    EXPECT_EQ(report.held_by_queue.at("gen:success:old"), 7u);
  }
  // Still there on the next start: holding FlowFiles are checkpointed like any other.
  FlowController fc(before.model(), registry_, dir, clock_);
  EXPECT_EQ(fc.recover().flowfiles, 7u);
  EXPECT_EQ(fc.queued(), 7u);
  std::filesystem::remove_all(dir);
}

TEST_F(FlowControllerTest, ProcessorStateCommitsWithTheSessionAndSurvivesARestart) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "sluice-controller-state";
  std::filesystem::remove_all(dir);
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "30"}}).timer(1'000'000);
  b.processor("count", "CountState", {}, {"success"});
  b.connect("gen", "success", "count");
  {
    FlowController fc(b.model(), registry_, dir, clock_);
    fc.recover();
    fc.start(false);
    run_until_quiet(fc);
    EXPECT_EQ(fc.state().get("count", "count"), "30");
    EXPECT_EQ(fc.state().get("count", "temporary"), std::nullopt);
  }
  FlowController again(b.model(), registry_, dir, clock_);
  again.recover();
  EXPECT_EQ(again.state().get("count", "count"), "30");
  std::filesystem::remove_all(dir);
}

TEST_F(FlowControllerTest, ARolledBackSessionLeavesStateUntouched) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "4"}}).timer(1'000'000);
  b.processor("count", "CountState", {{"fail", "true"}}, {"success"});
  b.connect("gen", "success", "count");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  run_until_quiet(fc, 20);
  EXPECT_EQ(fc.state().get("count", "count"), std::nullopt);
  EXPECT_EQ(fc.queued(), 4u);  // back in their queue
}

}  // namespace
}  // namespace sluice::internal
