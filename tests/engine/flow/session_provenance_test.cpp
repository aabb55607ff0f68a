// Which provenance event each session operation produces (NiFi's rules plus ROUTE), read back from the real
// store after running a real flow on a data directory.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "../repository/repository_test_support.hpp"
#include "flow/flow_controller.hpp"
#include "flow_builder.hpp"
#include "provenance/queries.hpp"
#include "provenance/render.hpp"
#include "scripted_processor.hpp"
#include "test_processors.hpp"

namespace sluice::internal {
namespace {

using provenance::EventType;
using provenance::ProvenanceEvent;
using sluice::testing::FlowBuilder;

using sluice::testing::script;
using sluice::testing::scripted_definition;

class SessionProvenanceTest : public ::testing::Test {
 protected:
  SessionProvenanceTest() {
    for (auto* d : {&emit_, &pass_, &scripted_}) registry_.add(d, "test");
  }
  ~SessionProvenanceTest() override { script() = nullptr; }

  FlowController& start(const FlowBuilder& b) {
    fc_ = std::make_unique<FlowController>(b.model(), registry_, dir_.path(), clock_);
    fc_->recover();
    fc_->start(false);
    return *fc_;
  }
  void run() {
    for (int i = 0; i < 10'000 && fc_->scheduler().run_once(); ++i) {
    }
  }
  std::vector<ProvenanceEvent> events() {
    fc_->provenance()->flush();
    provenance::EventQuery q;
    q.limit = 100'000;
    q.oldest_first = true;
    return provenance::Queries(dir_.path()).query(q);
  }
  static std::vector<ProvenanceEvent> of(const std::vector<ProvenanceEvent>& all, std::string_view component,
                                         std::optional<EventType> type = std::nullopt) {
    std::vector<ProvenanceEvent> out;
    for (const auto& e : all) {
      if (e.component_id == component && (!type || e.type == *type)) out.push_back(e);
    }
    return out;
  }
  static std::vector<std::string> types(const std::vector<ProvenanceEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.emplace_back(provenance::event_type_name(e.type));
    return out;
  }
  // gen (3 FlowFiles "ff-0".."ff-2", attribute n) -> act (the script) -> sinks on every relationship.
  FlowBuilder scripted_flow(int count = 3) {
    FlowBuilder b;
    b.processor("gen", "Emit", {{"count", std::to_string(count)}}).timer(1'000'000);
    b.processor("act", "Scripted", {{"secret", "s3cr3t-value"}});
    b.processor("ok", "Pass", {}, {"success"});
    b.processor("orig", "Pass", {}, {"success"});
    b.connect("gen", "success", "act").connect("act", "success", "ok").connect("act", "original", "orig");
    return b;
  }

  sluice::internal::testing_support::TempDir dir_;
  ProcessorDefinition emit_ = sluice::testing::emit_definition();
  ProcessorDefinition pass_ = sluice::testing::pass_definition();
  ProcessorDefinition scripted_ = scripted_definition();
  ProcessorRegistry registry_;
  ManualClock clock_;
  std::unique_ptr<FlowController> fc_;
};

TEST_F(SessionProvenanceTest, CreateRouteAndAutoTerminatedDrop) {
  FlowBuilder b;
  b.processor("gen", "Emit", {{"count", "2"}}).timer(1'000'000);
  b.processor("pass", "Pass");
  b.processor("sink", "Pass", {}, {"success"});
  b.connect("gen", "success", "pass").connect("pass", "success", "sink");
  start(b);
  run();
  const auto all = events();
  ASSERT_EQ(all.size(), 6u) << ::testing::PrintToString(types(all));
  const auto created = of(all, "gen", EventType::kCreate);
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].relationship, "success");
  EXPECT_EQ(created[0].component_type, "Emit");
  EXPECT_FALSE(created[0].content_in);  // created there: nothing before
  ASSERT_TRUE(created[0].content_out);
  EXPECT_EQ(created[0].size(), 4u);  // "ff-0"
  const auto routed = of(all, "pass", EventType::kRoute);
  ASSERT_EQ(routed.size(), 2u);
  EXPECT_EQ(routed[0].relationship, "success");
  EXPECT_EQ(routed[0].source_queue, "gen:success:pass");
  EXPECT_EQ(routed[0].flowfile_uuid, created[0].flowfile_uuid);
  const auto dropped = of(all, "sink", EventType::kDrop);
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].details, "Auto-terminated by success relationship");
  // Ids are monotonic in commit order; every event carries the FlowFile's attributes.
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_EQ(all[i].id, all[i - 1].id + 1);
  for (const auto& e : all) {
    ASSERT_FALSE(e.attributes.empty());
    EXPECT_EQ(e.attributes[0].name, "n");
  }
}

TEST_F(SessionProvenanceTest, AttributesModifiedRecordsTheChange) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) {
      s.put_attribute(ff, "mime.type", "text/plain");
      s.put_attribute(ff, "n", "changed");
      s.transfer(ff, "success");
    }
  };
  start(scripted_flow());
  run();
  const auto modified = of(events(), "act");
  ASSERT_EQ(types(modified), (std::vector<std::string>(3, "ATTRIBUTES_MODIFIED")));
  const auto& e = modified[0];
  ASSERT_EQ(e.attributes.size(), 2u);
  EXPECT_EQ(e.attributes[0].name, "mime.type");
  EXPECT_FALSE(e.attributes[0].before);
  EXPECT_EQ(e.attributes[0].after, "text/plain");
  EXPECT_EQ(e.attributes[1].name, "n");
  EXPECT_EQ(e.attributes[1].before, "0");
  EXPECT_EQ(e.attributes[1].after, "changed");
}

TEST_F(SessionProvenanceTest, ContentModifiedKeepsBothClaims) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) {
      s.write(ff, [](OutputStream& out) { out.write("rewritten!"); });
      s.transfer(ff, "success");
    }
  };
  start(scripted_flow(1));
  run();
  const auto e = of(events(), "act");
  ASSERT_EQ(types(e), std::vector<std::string>{"CONTENT_MODIFIED"});
  ASSERT_TRUE(e[0].content_in && e[0].content_out);
  EXPECT_EQ(e[0].content_in->length, 4u);
  EXPECT_EQ(e[0].content_out->length, 10u);
  const provenance::Queries q(dir_.path());
  std::string in;
  std::string out;
  q.read_content(e[0], provenance::ContentSide::kInput, in);
  q.read_content(e[0], provenance::ContentSide::kOutput, out);
  EXPECT_EQ(in, "ff-0");
  EXPECT_EQ(out, "rewritten!");
}

TEST_F(SessionProvenanceTest, ChildrenOfOneParentAreOneFork) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& parent : s.get(10)) {
      for (int i = 0; i < 3; ++i) {
        FlowFile child = s.create(parent);
        s.write(child, [&](OutputStream& out) { out.write("part" + std::to_string(i)); });
        s.transfer(child, "success");
      }
      FlowFile dropped_child = s.create(parent);  // created and removed: leaves no trace
      s.remove(dropped_child);
      s.transfer(parent, "original");
    }
  };
  start(scripted_flow(2));
  run();
  const auto all = events();
  const auto forks = of(all, "act");
  ASSERT_EQ(types(forks), (std::vector<std::string>{"FORK", "FORK"}));
  const auto created = of(all, "gen", EventType::kCreate);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(forks[i].flowfile_uuid, created[i].flowfile_uuid);
    EXPECT_EQ(forks[i].parent_uuids, std::vector<std::string>{created[i].flowfile_uuid});
    EXPECT_EQ(forks[i].child_uuids.size(), 3u);
    EXPECT_EQ(forks[i].relationship, "original");
  }
  // The children continue on their own: ROUTE at "ok", then DROP.
  const auto at_ok = of(all, "ok", EventType::kRoute);
  EXPECT_EQ(at_ok.size(), 0u);
  const auto dropped = of(all, "ok", EventType::kDrop);
  ASSERT_EQ(dropped.size(), 6u);
  EXPECT_NE(std::find(forks[0].child_uuids.begin(), forks[0].child_uuids.end(), dropped[0].flowfile_uuid),
            forks[0].child_uuids.end());
}

TEST_F(SessionProvenanceTest, AFlowFileFromSeveralParentsIsAJoin) {
  script() = [](ProcessContext&, ProcessSession& s) {
    auto parents = s.get(10);
    if (parents.size() < 3) {
      for (FlowFile& ff : parents) s.transfer(ff, "failure");
      return;
    }
    FlowFile merged = s.create_merged(parents);
    s.write(merged, [](OutputStream& out) { out.write("merged"); });
    s.transfer(merged, "success");
    for (FlowFile& p : parents) s.remove(p);
  };
  FlowBuilder b = scripted_flow(3);
  b.processor("fail", "Pass", {}, {"success"});
  b.connect("act", "failure", "fail");
  start(b);
  run();
  const auto all = events();
  const auto at_act = of(all, "act");
  ASSERT_EQ(types(at_act), (std::vector<std::string>{"JOIN", "DROP", "DROP", "DROP"}));
  const auto& join = at_act[0];
  EXPECT_EQ(join.parent_uuids.size(), 3u);
  EXPECT_EQ(join.child_uuids, std::vector<std::string>{join.flowfile_uuid});
  const auto created = of(all, "gen", EventType::kCreate);
  for (const auto& c : created) {
    EXPECT_NE(std::find(join.parent_uuids.begin(), join.parent_uuids.end(), c.flowfile_uuid),
              join.parent_uuids.end());
  }
  EXPECT_EQ(join.lineage_start_ms, created[0].lineage_start_ms);
}

TEST_F(SessionProvenanceTest, CloneAndFanOutCopiesAreClones) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) {
      FlowFile copy = s.clone(ff);
      s.transfer(copy, "success");
      s.transfer(ff, "original");
    }
  };
  FlowBuilder b = scripted_flow(1);
  b.processor("ok2", "Pass", {}, {"success"});
  b.connect("act", "success", "ok2");  // "success" feeds two connections: one more copy at commit
  start(b);
  run();
  const auto at_act = of(events(), "act");
  ASSERT_EQ(types(at_act), (std::vector<std::string>{"CLONE", "CLONE"}));
  const auto& explicit_clone = at_act[0];
  EXPECT_EQ(explicit_clone.parent_uuids, std::vector<std::string>{explicit_clone.flowfile_uuid});
  ASSERT_EQ(explicit_clone.child_uuids.size(), 1u);
  const auto& fan_out = at_act[1];
  EXPECT_EQ(fan_out.flowfile_uuid, explicit_clone.child_uuids[0]);  // the clone went to two connections
  EXPECT_EQ(fan_out.relationship, "success");
  ASSERT_EQ(fan_out.child_uuids.size(), 1u);
  EXPECT_NE(fan_out.child_uuids[0], fan_out.flowfile_uuid);
}

TEST_F(SessionProvenanceTest, RemoveIsADropAndExpiredIsAnExpire) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) s.remove(ff);
  };
  start(scripted_flow(2));
  run();
  auto at_act = of(events(), "act");
  ASSERT_EQ(types(at_act), (std::vector<std::string>{"DROP", "DROP"}));
  EXPECT_TRUE(at_act[0].details.empty());
  EXPECT_TRUE(at_act[0].content_in);
}

TEST_F(SessionProvenanceTest, FlowFilesExpiringInAQueueAreExpired) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) s.transfer(ff, "success");
  };
  FlowBuilder b = scripted_flow(2);
  auto model = b.model();
  model.connections[0].expiration = std::chrono::seconds(5);
  fc_ = std::make_unique<FlowController>(model, registry_, dir_.path(), clock_);
  fc_->recover();
  fc_->start(false);
  ASSERT_TRUE(fc_->scheduler().run_once() || true);
  // Only the source runs before the FlowFiles age out.
  while (fc_->connection("gen:success:act")->count() == 0 && fc_->scheduler().run_once()) {
  }
  clock_.advance(std::chrono::seconds(6));
  run();
  const auto at_act = of(events(), "act");
  ASSERT_EQ(types(at_act), (std::vector<std::string>{"EXPIRE", "EXPIRE"}));
  EXPECT_EQ(at_act[0].details, "Expired in gen:success:act");
}

TEST_F(SessionProvenanceTest, ReportedEventsCarryUriAndDetails) {
  script() = [](ProcessContext&, ProcessSession& s) {
    if (auto inputs = s.get(10); !inputs.empty()) {
      for (FlowFile& ff : inputs) {
        s.report_send(ff, "sftp://host/out/" + ff.attribute("n")->str(), "acknowledged");
        s.report(ff, ReportedEvent::kDownload, "http://client", "");
        s.report(ff, ReportedEvent::kAddInfo, "", "checked");
        s.report_fetch(ff, "s3://bucket/key");
        s.write(ff, [](OutputStream& out) { out.write("fetched"); });
        s.transfer(ff, "success");
      }
      return;
    }
  };
  start(scripted_flow(1));
  run();
  const auto at_act = of(events(), "act");
  // FETCH replaces CONTENT_MODIFIED; reported events need no ROUTE.
  ASSERT_EQ(types(at_act), (std::vector<std::string>{"SEND", "DOWNLOAD", "ADDINFO", "FETCH"}));
  EXPECT_EQ(at_act[0].transit_uri, "sftp://host/out/0");
  EXPECT_EQ(at_act[0].details, "acknowledged");
  EXPECT_EQ(at_act[1].transit_uri, "http://client");
  EXPECT_EQ(at_act[2].details, "checked");
  EXPECT_EQ(at_act[3].transit_uri, "s3://bucket/key");
  EXPECT_EQ(at_act[3].content_out->length, 7u);
}

TEST_F(SessionProvenanceTest, ReceiveReplacesCreate) {
  script() = [](ProcessContext&, ProcessSession& s) {
    FlowFile ff = s.create();
    s.write(ff, [](OutputStream& out) { out.write("from outside"); });
    s.report_receive(ff, "amqp://broker/queue");
    s.transfer(ff, "success");
  };
  FlowBuilder b;
  b.processor("src", "Scripted").timer(1'000'000);
  b.processor("sink", "Pass", {}, {"success"});
  b.connect("src", "success", "sink");
  start(b);
  run();
  const auto at_src = of(events(), "src");
  ASSERT_EQ(types(at_src), std::vector<std::string>{"RECEIVE"});
  EXPECT_EQ(at_src[0].transit_uri, "amqp://broker/queue");
  EXPECT_EQ(at_src[0].size(), 12u);
}

TEST_F(SessionProvenanceTest, ARolledBackSessionLeavesNoEvents) {
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) {
      s.put_attribute(ff, "x", "y");
      s.report_send(ff, "sftp://never");
      s.transfer(ff, "success");
    }
    throw ProcessorError("failed after reporting");
  };
  start(scripted_flow(2));
  run();
  const auto all = events();
  EXPECT_EQ(of(all, "act").size(), 0u);
  EXPECT_EQ(of(all, "gen").size(), 2u);
}

TEST_F(SessionProvenanceTest, SensitivePropertyValuesNeverAppear) {
  script() = [](ProcessContext& c, ProcessSession& s) {
    (void)c.property("secret");
    for (FlowFile& ff : s.get(10)) s.transfer(ff, "success");
  };
  start(scripted_flow(2));
  run();
  const auto all = events();
  ASSERT_FALSE(all.empty());
  for (const auto& e : all) {
    const std::string text = provenance::event_json(e).dump();
    EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << text;
  }
}

TEST_F(SessionProvenanceTest, ProvenanceOffRecordsNothing) {
  FlowBuilder b = scripted_flow(2);
  auto model = b.model();
  model.settings.provenance.enabled = false;
  script() = [](ProcessContext&, ProcessSession& s) {
    for (FlowFile& ff : s.get(10)) s.transfer(ff, "success");
  };
  fc_ = std::make_unique<FlowController>(model, registry_, dir_.path(), clock_);
  fc_->recover();
  fc_->start(false);
  run();
  EXPECT_EQ(fc_->provenance(), nullptr);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "provenance"));
  EXPECT_EQ(fc_->node("ok")->stats().in.load(), 2u);
}

}  // namespace
}  // namespace sluice::internal
