// The query API over events a real flow recorded: lineage across a split, a clone and a merge; filters.
#include "provenance/queries.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "../flow/flow_builder.hpp"
#include "../flow/scripted_processor.hpp"
#include "../flow/test_processors.hpp"
#include "../repository/repository_test_support.hpp"
#include "flow/flow_controller.hpp"
#include "provenance/render.hpp"

namespace sluice::internal::provenance {
namespace {

using sluice::testing::FlowBuilder;

class QueriesTest : public ::testing::Test {
 protected:
  QueriesTest() {
    for (auto* d : {&emit_, &pass_, &scripted_}) registry_.add(d, "test");
    // split: two children per parent; clone: a copy of each; merge: everything into one.
    sluice::testing::script() = [](ProcessContext& c, ProcessSession& s) {
      if (c.id() == "split") {
        for (FlowFile& parent : s.get(10)) {
          for (int i = 0; i < 2; ++i) {
            FlowFile child = s.create(parent);
            s.put_attribute(child, "part", std::to_string(i));
            s.write(child, [&](OutputStream& out) { out.write("part " + std::to_string(i)); });
            s.transfer(child, "success");
          }
          s.transfer(parent, "original");
        }
      } else if (c.id() == "clone") {
        for (FlowFile& ff : s.get(10)) {
          FlowFile copy = s.clone(ff);
          s.transfer(copy, "success");
          s.transfer(ff, "success");
        }
      } else if (c.id() == "merge") {
        auto parts = s.get(100);
        if (parts.empty()) return;
        FlowFile merged = s.create_merged(parts);
        s.write(merged, [](OutputStream& out) { out.write("merged"); });
        s.transfer(merged, "success");
        for (FlowFile& p : parts) s.remove(p);
      }
    };
  }
  ~QueriesTest() override { sluice::testing::script() = nullptr; }

  void run_flow() {
    FlowBuilder b;
    b.processor("gen", "Emit", {{"count", "1"}}).timer(1'000'000);
    b.processor("split", "Scripted", {}, {"original"});
    b.processor("clone", "Scripted");
    b.processor("merge", "Scripted");
    b.processor("sink", "Pass", {}, {"success"});
    b.connect("gen", "success", "split")
        .connect("split", "success", "clone")
        .connect("clone", "success", "merge")
        .connect("merge", "success", "sink");
    auto model = b.model();
    model.processors[3].schedule.strategy = ScheduleStrategy::kCron;  // merge runs when the test says
    model.processors[3].schedule.cron = "0 0 0 1 1 ?";
    model.settings.provenance.indexed_attributes = {"part"};
    FlowController fc(model, registry_, dir_.path(), clock_);
    fc.recover();
    fc.start(false);
    auto drain = [&] {
      for (int i = 0; i < 1000 && fc.scheduler().run_once(); ++i) {
      }
    };
    drain();
    ASSERT_EQ(fc.connection("clone:success:merge")->count(), 4u);
    fc.scheduler().trigger_now(*fc.node("merge"));
    drain();
    fc.stop();
  }

  [[nodiscard]] std::string uuid_of(const Queries& q, const std::string& component, EventType type) const {
    EventQuery eq;
    eq.component_id = component;
    eq.type = type;
    const auto found = q.query(eq);
    return found.empty() ? std::string() : found.front().flowfile_uuid;
  }

  sluice::internal::testing_support::TempDir dir_;
  ProcessorDefinition emit_ = sluice::testing::emit_definition();
  ProcessorDefinition pass_ = sluice::testing::pass_definition();
  ProcessorDefinition scripted_ = sluice::testing::scripted_definition();
  ProcessorRegistry registry_;
  ManualClock clock_;
};

std::set<std::string> types_of(const Lineage& l) {
  std::set<std::string> out;
  for (const auto& e : l.events) out.emplace(event_type_name(e.type));
  return out;
}

TEST_F(QueriesTest, LineageFollowsASplitACloneAndAMergeBothWays) {
  run_flow();
  const Queries q(dir_.path());
  const std::string origin = uuid_of(q, "gen", EventType::kCreate);
  const std::string merged = uuid_of(q, "merge", EventType::kJoin);
  ASSERT_FALSE(origin.empty());
  ASSERT_FALSE(merged.empty());

  // From the merged FlowFile up: its four parents (two split children, two clones) and the origin.
  const Lineage up = q.lineage(merged);
  EXPECT_EQ(up.flowfiles.size(), 6u);
  EXPECT_EQ(up.flowfiles.front(), merged);
  EXPECT_NE(std::find(up.flowfiles.begin(), up.flowfiles.end(), origin), up.flowfiles.end());
  EXPECT_EQ(types_of(up), (std::set<std::string>{"CREATE", "FORK", "CLONE", "JOIN", "DROP"}));
  EXPECT_FALSE(up.truncated);

  // From the origin down: the same family.
  const Lineage down = q.lineage(origin);
  EXPECT_EQ(std::set<std::string>(down.flowfiles.begin(), down.flowfiles.end()),
            std::set<std::string>(up.flowfiles.begin(), up.flowfiles.end()));
  EXPECT_EQ(down.events.size(), up.events.size());
  for (std::size_t i = 1; i < down.events.size(); ++i) EXPECT_LT(down.events[i - 1].id, down.events[i].id);

  // From one clone: its ancestors and descendants, not its siblings.
  std::string clone;
  for (const auto& e : up.events) {
    if (e.type == EventType::kClone) clone = e.child_uuids.at(0);
  }
  const Lineage one = q.lineage(clone);
  EXPECT_EQ(one.flowfiles.size(), 4u);  // the clone, the child it copies, the origin, the merged one

  // JSON and DOT name every FlowFile.
  const auto json = lineage_json(up);
  EXPECT_EQ(json["flowfiles"].size(), 6u);
  EXPECT_EQ(json["edges"].size(), 2u + 2u + 4u);  // FORK x2 children, CLONE x2, JOIN x4 parents
  const std::string dot = lineage_dot(up);
  EXPECT_NE(dot.find("digraph lineage"), std::string::npos);
  EXPECT_NE(dot.find("JOIN"), std::string::npos);

  EXPECT_THROW((void)q.lineage("not-a-uuid"), std::invalid_argument);
}

TEST_F(QueriesTest, QueriesFilterAndOrder) {
  run_flow();
  const Queries q(dir_.path());
  EventQuery all;
  all.limit = 1000;
  const auto newest_first = q.query(all);
  ASSERT_EQ(newest_first.size(), 11u);
  EXPECT_GT(newest_first.front().id, newest_first.back().id);
  all.oldest_first = true;
  all.limit = 3;
  const auto oldest = q.query(all);
  ASSERT_EQ(oldest.size(), 3u);
  EXPECT_EQ(oldest[0].id, 1u);
  EXPECT_EQ(oldest[0].type, EventType::kCreate);

  EventQuery by_type;
  by_type.type = EventType::kDrop;
  by_type.component_id = "merge";
  EXPECT_EQ(q.query(by_type).size(), 4u);

  EventQuery by_flowfile;
  by_flowfile.flowfile_uuid = uuid_of(q, "gen", EventType::kCreate);
  const auto of_origin = q.query(by_flowfile);
  ASSERT_EQ(of_origin.size(), 3u);  // CREATE, FORK (as parent), DROP (auto-terminated original)

  EventQuery by_indexed;  // "part" is indexed in this flow
  by_indexed.attributes = {{"part", "1"}};
  by_indexed.component_id = "clone";
  const auto part1 = q.query(by_indexed);
  ASSERT_EQ(part1.size(), 1u);
  EXPECT_EQ(part1[0].type, EventType::kClone);
  EventQuery by_plain;  // "n" is not: found by scanning
  by_plain.attributes = {{"n", "0"}};
  by_plain.component_id = "gen";
  EXPECT_EQ(q.query(by_plain).size(), 1u);

  EventQuery window;
  window.since_ms = clock_.now_ms() + 1;
  EXPECT_TRUE(q.query(window).empty());
  window.since_ms = clock_.now_ms();
  window.until_ms = clock_.now_ms();
  EXPECT_EQ(q.query(window).size(), newest_first.size());

  EventQuery bad;
  bad.flowfile_uuid = "nope";
  EXPECT_THROW((void)q.query(bad), std::invalid_argument);
}

}  // namespace
}  // namespace sluice::internal::provenance
