// Sessions a processor holds across triggers (new_session + migrate, as MergeContent's bins do): what they
// hold is released only by their commit, returns to its queue on rollback, and survives a checkpoint and a
// crash. Also the scheduler's trigger_when_empty and the controller's idle rule for held FlowFiles.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "flow/flow_controller.hpp"
#include "flow_builder.hpp"
#include "sluice/testkit.hpp"
#include "test_processors.hpp"

namespace sluice::internal {
namespace {

using sluice::testing::FlowBuilder;

// Holds every FlowFile it takes in one held session until it holds `release_at` of them, then sends them
// all to success by committing that session. Rolls the held session back on stop.
class HoldProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::lock_guard lock(mutex_);
    if (!held_) held_ = session.new_session();
    for (const FlowFile& ff : session.get(context.batch_size()))
      held_flowfiles_.push_back(session.migrate(ff, *held_));
    if (held_flowfiles_.size() < static_cast<std::size_t>(context.int_property("release_at"))) {
      if (context.spec().trigger_when_empty) context.yield();
      return;
    }
    if (context.bool_property("migrate_back")) {
      // Released through the trigger's session: the held session stays open, holding nothing.
      for (const FlowFile& ff : held_flowfiles_) session.transfer(held_->migrate(ff, session), "success");
    } else {
      for (const FlowFile& ff : held_flowfiles_) held_->transfer(ff, "success");
      held_->commit();
    }
    held_flowfiles_.clear();
  }
  void on_stop(ProcessContext& /*context*/) override {
    std::lock_guard lock(mutex_);
    if (held_) held_->rollback();
    held_.reset();
    held_flowfiles_.clear();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<ProcessSession> held_;
  std::vector<FlowFile> held_flowfiles_;
};

ProcessorDefinition hold_definition(bool when_empty = false) {
  ProcessorSpec s;
  s.type = when_empty ? "HoldWhenEmpty" : "Hold";
  s.input = InputRequirement::kRequired;
  s.trigger_when_empty = when_empty;
  s.properties = {
      {.name = "release_at", .description = "", .kind = PropertyKind::kInt, .default_value = "3"},
      {.name = "migrate_back", .description = "", .kind = PropertyKind::kBool, .default_value = "false"}};
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new HoldProcessor()); }};
}

// Misuses of migrate: to a session of another kind of thing, and a handle used after it moved.
class MisuseProcessor final : public Processor {
 public:
  void on_trigger(ProcessContext& /*context*/, ProcessSession& session) override {
    FlowFile ff = session.get();
    if (!ff) return;
    auto other = session.new_session();
    FlowFile moved = session.migrate(ff, *other);
    session.transfer(ff, "success");  // the old handle: refused
    other->transfer(moved, "success");
  }
};

TEST(HeldSessionTest, HeldFlowFilesLeaveOnlyWhenTheHeldSessionCommits) {
  static const ProcessorDefinition kHold = hold_definition();
  testkit::ProcessorRunner runner(kHold);
  runner.enqueue("a");
  runner.enqueue("b");
  runner.run();
  EXPECT_EQ(runner.queued(), 0U);          // taken out of the queue…
  EXPECT_EQ(runner.count("success"), 0U);  // …and held
  runner.enqueue("c");
  runner.run();
  const auto out = runner.take("success");
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0].content, "a");
  EXPECT_EQ(out[2].content, "c");
}

TEST(HeldSessionTest, HeldFlowFilesReturnToTheirQueueWhenRolledBack) {
  static const ProcessorDefinition kHold = hold_definition();
  testkit::ProcessorRunner runner(kHold);
  runner.enqueue("a");
  runner.enqueue("b");
  runner.run();
  EXPECT_EQ(runner.queued(), 0U);
  runner.stop();  // on_stop rolls the held session back
  EXPECT_EQ(runner.queued(), 2U);
  EXPECT_EQ(runner.count("success"), 0U);
}

TEST(HeldSessionTest, AHandleIsInvalidAfterItsFlowFileMigrated) {
  static const ProcessorDefinition kMisuse = [] {
    ProcessorSpec s;
    s.type = "Misuse";
    s.input = InputRequirement::kRequired;
    s.relationships = {{"success", ""}};
    return ProcessorDefinition{s, [] { return std::unique_ptr<Processor>(new MisuseProcessor()); }};
  }();
  testkit::ProcessorRunner runner(kMisuse);
  runner.enqueue("a");
  const auto result = runner.run();
  EXPECT_TRUE(result.rolled_back);
  EXPECT_NE(result.error.find("after migrating it"), std::string::npos) << result.error;
  // The other session was destroyed with the trigger: rolled back, so the FlowFile is queued again.
  EXPECT_EQ(runner.queued(), 1U);
}

class HeldSessionControllerTest : public ::testing::Test {
 protected:
  HeldSessionControllerTest() {
    for (auto* d : {&emit_, &hold_, &hold_when_empty_}) registry_.add(d, "test");
    // Per test and process: ctest runs the tests of this fixture in parallel.
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("sluice-held-session-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  ~HeldSessionControllerTest() override { std::filesystem::remove_all(dir_); }

  ProcessorDefinition emit_ = sluice::testing::emit_definition();
  ProcessorDefinition hold_ = hold_definition();
  ProcessorDefinition hold_when_empty_ = hold_definition(true);
  ProcessorRegistry registry_;
  ManualClock clock_;
  std::filesystem::path dir_;
};

TEST_F(HeldSessionControllerTest, HeldFlowFilesSurviveACheckpointAndACrash) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "3"}}).timer(1'000'000);
  b.processor("hold", "Hold", {{"release_at", "100"}}, {"success"});
  b.connect("gen", "success", "hold");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child holds 3 FlowFiles across a checkpoint, holds 3 more, and dies without stopping.
    FlowController fc(b.model(), registry_, dir_, clock_);
    fc.recover();
    fc.start(false);
    fc.scheduler().trigger_now(*fc.node("gen"));
    fc.scheduler().trigger_now(*fc.node("hold"));
    const bool all_held = fc.queued() == 0;
    fc.checkpoint();
    clock_.advance(std::chrono::seconds(1000));
    fc.scheduler().trigger_now(*fc.node("gen"));
    fc.scheduler().trigger_now(*fc.node("hold"));
    ::_exit(all_held && fc.queued() == 0 ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the child did not hold its FlowFiles";

  FlowController again(b.model(), registry_, dir_, clock_);
  const RecoveryReport report = again.recover();
  EXPECT_EQ(report.flowfiles, 6U);  // 3 from the checkpoint (held in a session), 3 from the log after it
  EXPECT_EQ(again.queued(), 6U);
}

TEST_F(HeldSessionControllerTest, ATriggerWhenEmptyProcessorRunsWithoutInputAndHeldFlowFilesAreNotIdle) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "2"}}).timer(1'000'000);
  b.processor("hold", "HoldWhenEmpty", {{"release_at", "3"}}, {"success"});
  b.processor("plain", "Hold", {{"release_at", "3"}}, {"success"});
  b.connect("gen", "success", "hold").connect("gen", "success", "plain");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  for (int i = 0; i < 10 && fc.scheduler().run_once(); ++i) {
  }
  EXPECT_EQ(fc.queued(), 0U);
  const auto hold_triggers = fc.node("hold")->stats().triggers.load();
  const auto plain_triggers = fc.node("plain")->stats().triggers.load();
  clock_.advance(std::chrono::seconds(5));  // past the yield: due again with empty input
  EXPECT_TRUE(fc.scheduler().run_once());
  EXPECT_EQ(fc.node("hold")->stats().triggers.load(), hold_triggers + 1);
  EXPECT_EQ(fc.node("plain")->stats().triggers.load(), plain_triggers);  // event-driven: not without input
  // Nothing queued and nothing running, but FlowFiles are held: the flow is not idle.
  EXPECT_FALSE(fc.idle(std::chrono::milliseconds(0)));
  fc.stop();  // both roll back
  EXPECT_EQ(fc.queued(), 4U);
}

TEST_F(HeldSessionControllerTest, AHeldSessionThatGaveEverythingBackNoLongerKeepsTheFlowBusy) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "3"}}).timer(1'000'000);
  b.processor("hold", "Hold", {{"release_at", "3"}, {"migrate_back", "true"}}, {"success"});
  b.connect("gen", "success", "hold");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  fc.start(false);
  fc.scheduler().trigger_now(*fc.node("gen"));
  fc.scheduler().trigger_now(*fc.node("hold"));
  EXPECT_EQ(fc.node("hold")->stats().removed.load(), 3U);  // released (success is terminated)
  clock_.advance(std::chrono::seconds(5));
  EXPECT_TRUE(fc.idle(std::chrono::milliseconds(0)));  // the held session is still open, but empty
}

}  // namespace
}  // namespace sluice::internal
