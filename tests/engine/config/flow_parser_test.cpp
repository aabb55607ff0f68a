#include "config/flow_parser.hpp"

#include <gtest/gtest.h>

#include "config/flow_loader.hpp"
#include "config/flow_validator.hpp"
#include "test_registry.hpp"

namespace sluice::internal {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kDemo = R"(flow: demo
settings: { durability: batch, threads: 2, batch_interval: 50ms, repositories: memory, content_archive: 2 GiB,
            content_archive_age: 1 h, checkpoint_log: 64 MiB }
processors:
  gen:
    type: GenerateFlowFile
    properties: { count: 1000, size: 1 KiB, unique: yes }
    schedule: { strategy: timer, period: 10ms, concurrency: 2, batch: 100, penalty: 5s, yield: 2s }
  route:
    type: DynamicRouter
    properties: { big: '${size:gt(10)}' }
  out:
    type: PutFile
    properties: { directory: out }
    terminate: [success, failure]
connections:
  - { from: gen, relationship: success, to: route, back_pressure: { objects: 5, size: 1 MiB },
      expiration: 1 min, prioritizer: priority_attribute, priority_attribute: urgency, swap_threshold: 7 }
  - from: route
    relationship: [matched, unmatched]
    to: out
)";

TEST(FlowParser, FillsTheModel) {
  const auto result = parse_flow_text(kDemo, "demo.yaml");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics.front().str();
  const FlowModel& flow = result.flow;
  EXPECT_EQ(flow.file, "demo.yaml");
  EXPECT_EQ(flow.name.value, "demo");

  EXPECT_EQ(flow.settings.durability, DurabilityMode::kBatch);
  EXPECT_EQ(flow.settings.threads, 2u);
  EXPECT_EQ(flow.settings.batch_interval, 50ms);
  EXPECT_TRUE(flow.settings.memory_repositories);
  EXPECT_EQ(flow.settings.content_archive_bytes, 2ULL << 30);
  EXPECT_EQ(flow.settings.content_archive_age, 1h);
  EXPECT_EQ(flow.settings.checkpoint_log_bytes, 64ULL << 20);

  ASSERT_EQ(flow.processors.size(), 3u);
  const ProcessorModel& gen = flow.processors[0];
  EXPECT_EQ(gen.id.value, "gen");
  EXPECT_EQ(gen.type.value, "GenerateFlowFile");
  EXPECT_EQ(gen.properties.at("count").value, "1000");
  EXPECT_EQ(gen.properties.at("size").value, "1 KiB");
  EXPECT_EQ(gen.properties.at("unique").value, "yes");
  EXPECT_TRUE(gen.schedule.strategy_given);
  EXPECT_EQ(gen.schedule.strategy, ScheduleStrategy::kTimer);
  EXPECT_EQ(gen.schedule.period, 10ms);
  EXPECT_EQ(gen.schedule.concurrency, 2u);
  EXPECT_EQ(gen.schedule.batch, 100u);
  EXPECT_EQ(gen.schedule.penalty, 5s);
  EXPECT_EQ(gen.schedule.yield, 2s);
  EXPECT_EQ(flow.processors[1].id.value, "route");  // file order, not map order
  EXPECT_EQ(flow.processors[2].terminate.size(), 2u);
  EXPECT_EQ(flow.processors[2].terminate[1].value, "failure");

  ASSERT_EQ(flow.connections.size(), 2u);
  const ConnectionModel& first = flow.connections[0];
  EXPECT_EQ(first.from.value, "gen");
  EXPECT_EQ(first.to.value, "route");
  ASSERT_EQ(first.relationships.size(), 1u);
  EXPECT_EQ(first.relationships[0].value, "success");
  EXPECT_EQ(first.back_pressure_objects, 5u);
  EXPECT_EQ(first.back_pressure_bytes, 1ULL << 20);
  EXPECT_EQ(first.expiration, 1min);
  EXPECT_EQ(first.prioritizer, Prioritizer::kPriorityAttribute);
  EXPECT_EQ(first.priority_attribute, "urgency");
  EXPECT_EQ(first.swap_threshold, 7u);
  const ConnectionModel& second = flow.connections[1];
  ASSERT_EQ(second.relationships.size(), 2u);
  EXPECT_EQ(second.relationships[1].value, "unmatched");
  EXPECT_EQ(second.back_pressure_objects, 10'000u);  // defaults
  EXPECT_EQ(second.prioritizer, Prioritizer::kFifo);
}

TEST(FlowParser, RecordsOneBasedPositions) {
  const auto result = parse_flow_text(kDemo, "demo.yaml");
  const FlowModel& flow = result.flow;
  EXPECT_EQ(flow.name.pos.line, 1);
  EXPECT_EQ(flow.name.pos.column, 7);
  EXPECT_EQ(flow.name.pos.file, "demo.yaml");
  const ProcessorModel& gen = flow.processors[0];
  EXPECT_EQ(gen.id.pos.line, 5);
  EXPECT_EQ(gen.id.pos.column, 3);
  EXPECT_EQ(gen.pos.line, 6);  // the definition mapping: its first key
  EXPECT_EQ(gen.pos.column, 5);
  EXPECT_EQ(gen.type.pos.column, 11);
  EXPECT_EQ(gen.property_key_pos.at("size").line, 7);
  EXPECT_EQ(gen.property_key_pos.at("size").column, 32);
  EXPECT_EQ(gen.properties.at("size").pos.column, 38);
  EXPECT_EQ(flow.connections[1].pos.line, 19);
  EXPECT_EQ(flow.connections[1].relationships[0].pos.line, 20);
  EXPECT_EQ(flow.connections[1].relationships[0].pos.column, 20);
}

TEST(FlowParser, PeriodOrCronAloneImplyTheStrategy) {
  const auto result = parse_flow_text(R"(flow: f
processors:
  a: { type: T, schedule: { period: 1 s } }
  b: { type: T, schedule: { cron: "0 0 * * * *" } }
  c: { type: T, schedule: { concurrency: 3 } }
)",
                                      "f.yaml");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics.front().str();
  EXPECT_EQ(result.flow.processors[0].schedule.strategy, ScheduleStrategy::kTimer);
  EXPECT_EQ(result.flow.processors[0].schedule.period, 1s);
  EXPECT_EQ(result.flow.processors[1].schedule.strategy, ScheduleStrategy::kCron);
  EXPECT_EQ(result.flow.processors[1].schedule.cron, "0 0 * * * *");
  EXPECT_FALSE(result.flow.processors[2].schedule.strategy_given);
}

TEST(FlowParser, ParsesServicesWithPositionsInFileOrder) {
  const auto result = parse_flow_text(R"(flow: f
services:
  csv_in:
    type: CSVReader
    properties: { header: true, delimiter: ';' }
  json_out: { type: JSONWriter }
processors:
  a: { type: T }
)",
                                      "f.yaml");
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics.front().str();
  const auto& services = result.flow.services;
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(services[0].id.value, "csv_in");
  EXPECT_EQ(services[0].id.pos.line, 3);
  EXPECT_EQ(services[0].id.pos.column, 3);
  EXPECT_EQ(services[0].pos.line, 4);  // the definition mapping: its first key
  EXPECT_EQ(services[0].type.value, "CSVReader");
  EXPECT_EQ(services[0].type.pos.column, 11);
  EXPECT_EQ(services[0].properties.at("header").value, "true");
  EXPECT_EQ(services[0].properties.at("delimiter").value, ";");
  EXPECT_EQ(services[0].properties.at("delimiter").pos.column, 44);
  EXPECT_EQ(services[0].property_key_pos.at("delimiter").column, 33);
  EXPECT_EQ(services[1].id.value, "json_out");
  EXPECT_TRUE(services[1].properties.empty());
  EXPECT_EQ(result.flow.find_service("json_out"), &services[1]);
  EXPECT_EQ(result.flow.find_service("a"), nullptr);  // a processor, not a service
}

TEST(FlowParser, EmptyServicesAreAllowed) {
  for (const char* services : {"services:", "services: {}"}) {
    const auto result =
        parse_flow_text(std::string("flow: f\n") + services + "\nprocessors:\n  a: { type: T }\n", "f.yaml");
    EXPECT_TRUE(result.diagnostics.empty()) << services << ": " << result.diagnostics.front().str();
    EXPECT_TRUE(result.flow.services.empty());
  }
}

TEST(FlowParser, MissingFileIsOneDiagnosticWithoutPosition) {
  const auto result = parse_flow_file("/nonexistent/flow.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].str(),
            "/nonexistent/flow.yaml: cannot read flow file: No such file or directory");
}

TEST(FlowParser, DiagnosticsCarryTheFileName) {
  const auto result = parse_flow_text("flow: x\nprocessors: []\n", "dir/x.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].str(),
            "dir/x.yaml:2:13: 'processors' must be a mapping of processor id to definition (got a list)");
}

TEST(FlowLoader, ResolvesDefaultSchedules) {
  const auto result = load_flow_text(R"(flow: f
processors:
  gen: { type: GenerateFlowFile }
  cron: { type: GenerateFlowFile, schedule: { cron: "0 0 * * * *" } }
  log: { type: LogAttribute, terminate: [success] }
connections:
  - { from: gen, relationship: success, to: log }
  - { from: cron, relationship: success, to: log }
)",
                                     "f.yaml", config_test::test_registry());
  ASSERT_TRUE(result.diagnostics.empty()) << result.diagnostics.front().str();
  const auto& processors = result.flow.processors;
  EXPECT_EQ(processors[0].schedule.strategy, ScheduleStrategy::kTimer);  // a source runs continuously
  EXPECT_EQ(processors[0].schedule.period, 0ns);
  EXPECT_EQ(processors[1].schedule.strategy, ScheduleStrategy::kCron);  // explicit wins
  EXPECT_EQ(processors[2].schedule.strategy, ScheduleStrategy::kEvent);
}

TEST(FlowValidator, ReportsInPositionOrder) {
  const auto parsed = parse_flow_text(R"(flow: f
processors:
  out: { type: PutFile, terminate: [success, failure] }
  gen: { type: GenerateFlowFile, properties: { count: x } }
connections:
  - { from: gen, relationship: success, to: out }
)",
                                      "f.yaml");
  ASSERT_TRUE(parsed.diagnostics.empty());
  const auto diagnostics = validate_flow(parsed.flow, config_test::test_registry());
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(
      diagnostics[0].str(),
      "f.yaml:3:8: processor 'out' (PutFile) is missing required property 'directory' (expected a string or "
      "expression)");
  EXPECT_EQ(diagnostics[1].str(),
            "f.yaml:4:55: property 'count' of 'gen': 'x' is not an integer (expected e.g. 100)");
}

}  // namespace
}  // namespace sluice::internal
