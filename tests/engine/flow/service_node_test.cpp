// Controller services in a running flow: enabled in dependency order before any processor is scheduled,
// disabled after the last processor stopped, and a failure on either side refuses to start cleanly.
#include "flow/service_node.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/flow_validator.hpp"
#include "flow/flow_controller.hpp"
#include "flow_builder.hpp"
#include "test_processors.hpp"

namespace sluice::internal {
namespace {

using sluice::testing::FlowBuilder;
using sluice::testing::LifecycleLog;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ServiceLifecycleTest : public ::testing::Test {
 protected:
  ServiceLifecycleTest() {
    registry_.add(&emit_, "test");
    registry_.add(&greet_, "test");
    registry_.add_service(&greeter_, "test");
    LifecycleLog::take();
  }
  // gen -> greet (named `greet_id`, using service `greeter_id`), success terminated.
  static FlowBuilder greeting_flow(const std::string& greeter_id, bool fail_schedule = false) {
    FlowBuilder b;
    b.processor("gen", "Emit").timer(1000);
    b.processor("greet", "Greet",
                {{"greeter", greeter_id}, {"fail_schedule", fail_schedule ? "true" : "false"}}, {"success"});
    b.connect("gen", "success", "greet");
    return b.memory();
  }
  void expect_valid(const FlowModel& flow) {
    const auto problems = validate_flow(flow, registry_);
    EXPECT_TRUE(problems.empty()) << problems.front().str();
  }

  ProcessorDefinition emit_ = sluice::testing::emit_definition();
  ProcessorDefinition greet_ = sluice::testing::greet_definition();
  ServiceDefinition greeter_ = sluice::testing::greeter_service_definition();
  ProcessorRegistry registry_;
  ManualClock clock_;
};

TEST_F(ServiceLifecycleTest, EnablesInDependencyOrderBeforeSchedulingAndDisablesAfterTheLastStop) {
  // `outer` is declared first but uses `inner`: inner must be enabled first and disabled last.
  auto b = greeting_flow("outer");
  b.service("outer", "GreeterService", {{"greeting", "hi"}, {"inner", "inner"}});
  b.service("inner", "GreeterService", {{"greeting", "hello"}});
  expect_valid(b.model());
  {
    FlowController fc(b.model(), registry_, "", clock_);
    fc.recover();
    EXPECT_TRUE(LifecycleLog::take().empty());  // building the flow enables nothing
    fc.start(false);
    EXPECT_THAT(LifecycleLog::take(),
                ElementsAre("enable:inner", "enable:outer using hello, inner", "schedule:greet"));

    for (int i = 0; i < 10 && fc.scheduler().run_once(); ++i) {
    }
    EXPECT_EQ(fc.summary()[1].removed, 1U);  // greeted and terminated
    fc.stop();
    EXPECT_THAT(LifecycleLog::take(), ElementsAre("stop:greet", "disable:outer", "disable:inner"));
  }
  EXPECT_TRUE(LifecycleLog::take().empty());  // stopped once, not again by the destructor
}

TEST_F(ServiceLifecycleTest, TheProcessorGetsTheEnabledInstance) {
  auto b = greeting_flow("g");
  b.service("g", "GreeterService", {{"greeting", "hey"}});
  FlowController fc(b.model(), registry_, "", clock_);
  fc.recover();
  ProcessorNode* greet = fc.node("greet");
  // Before start the service exists but is not enabled: nobody may use it yet.
  try {
    (void)greet->service_base("greeter");
    ADD_FAILURE() << "service_base before enable must throw";
  } catch (const ProcessorError& e) {
    EXPECT_THAT(e.what(), HasSubstr("service 'g' (named by property 'greeter' of 'greet') is not enabled"));
  }
  fc.start(false);
  auto& greeter = greet->service<sluice::testing::Greeter>("greeter");
  EXPECT_EQ(greeter.greet("you"), "hey, you");
  EXPECT_EQ(&greeter, &fc.services().find("g")->instance());
  EXPECT_THROW((void)greet->service_base("fail_schedule"), ProcessorError);  // not a service property
  EXPECT_THROW((void)greet->service_base("colour"), ProcessorError);         // not a property at all
}

TEST_F(ServiceLifecycleTest, AServiceThatFailsToEnableRefusesToStartAndDisablesTheEnabledOnes) {
  auto b = greeting_flow("first");
  b.service("first", "GreeterService");
  b.service("broken", "GreeterService", {{"fail", "true"}});
  b.service("last", "GreeterService");
  FlowController fc(b.model(), registry_, "", clock_);
  fc.recover();
  try {
    fc.start(false);
    ADD_FAILURE() << "start must refuse";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "service 'broken' (GreeterService) could not be enabled: cannot reach the greeting server");
  }
  // No processor was scheduled; what was enabled was disabled again; `last` was never enabled.
  EXPECT_THAT(LifecycleLog::take(), ElementsAre("enable:first", "disable:first"));
  fc.stop();
  EXPECT_TRUE(LifecycleLog::take().empty());
}

TEST_F(ServiceLifecycleTest, AProcessorThatFailsToScheduleStopsTheOthersAndDisablesTheServices) {
  auto b = greeting_flow("g", /*fail_schedule=*/true);
  b.processor("greet2", "Greet", {{"greeter", "g"}}, {"success"});
  b.connect("gen", "success", "greet2");
  b.service("g", "GreeterService");
  // greet2 comes after greet in the flow, so only `g` was enabled when greet failed.
  FlowController fc(b.model(), registry_, "", clock_);
  fc.recover();
  EXPECT_THROW(
      {
        try {
          fc.start(false);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "processor 'greet' (Greet) could not be scheduled: not today");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_THAT(LifecycleLog::take(), ElementsAre("enable:g", "disable:g"));
}

TEST_F(ServiceLifecycleTest, AProcessorScheduledBeforeTheFailingOneIsStopped) {
  FlowBuilder b;
  b.processor("gen", "Emit").timer(1000);
  b.processor("ok", "Greet", {{"greeter", "g"}}, {"success"});
  b.processor("bad", "Greet", {{"greeter", "g"}, {"fail_schedule", "true"}}, {"success"});
  b.connect("gen", "success", "ok").connect("gen", "success", "bad");
  b.service("g", "GreeterService");
  FlowController fc(b.memory().model(), registry_, "", clock_);
  fc.recover();
  EXPECT_THROW(fc.start(false), std::runtime_error);
  EXPECT_THAT(LifecycleLog::take(), ElementsAre("enable:g", "schedule:ok", "stop:ok", "disable:g"));
}

TEST_F(ServiceLifecycleTest, TheServiceContextResolvesPropertiesAndTheEngineClock) {
  ServiceModel model;
  model.id.value = "g";
  model.type.value = "GreeterService";
  model.properties["fail"].value = "true";
  ServiceNode node(model, greeter_, clock_);
  EXPECT_EQ(node.id(), "g");
  EXPECT_EQ(node.spec().type, "GreeterService");
  EXPECT_EQ(node.property("fail"), "true");
  EXPECT_EQ(node.property("greeting"), "hello");  // the spec default
  EXPECT_EQ(node.property("inner"), std::nullopt);
  EXPECT_TRUE(node.dynamic_properties().empty());
  clock_.set(1234);
  EXPECT_EQ(node.now_ms(), 1234);
  EXPECT_FALSE(node.enabled());
  EXPECT_THROW(node.enable(), ProcessorError);  // fail=true: on_enable throws and it stays disabled
  EXPECT_FALSE(node.enabled());
}

}  // namespace
}  // namespace sluice::internal
