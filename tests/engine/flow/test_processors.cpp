#include "test_processors.hpp"

namespace sluice::testing {

ProcessorDefinition emit_definition() {
  ProcessorSpec s;
  s.type = "Emit";
  s.summary = "test source";
  s.input = InputRequirement::kForbidden;
  s.properties = {
      {.name = "count", .description = "per trigger", .kind = PropertyKind::kInt, .default_value = "1"}};
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new EmitProcessor()); }};
}

ProcessorDefinition pass_definition() {
  ProcessorSpec s;
  s.type = "Pass";
  s.input = InputRequirement::kRequired;
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new PassProcessor()); }};
}

ProcessorDefinition split_parity_definition() {
  ProcessorSpec s;
  s.type = "SplitParity";
  s.input = InputRequirement::kRequired;
  s.relationships = {{"even", ""}, {"odd", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new SplitParityProcessor()); }};
}

ProcessorDefinition throw_definition() {
  ProcessorSpec s;
  s.type = "Throw";
  s.input = InputRequirement::kRequired;
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new ThrowProcessor()); }};
}

ProcessorDefinition forget_definition() {
  ProcessorSpec s;
  s.type = "Forget";
  s.input = InputRequirement::kRequired;
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new ForgetProcessor()); }};
}

ProcessorDefinition route_to_definition() {
  ProcessorSpec s;
  s.type = "RouteTo";
  s.input = InputRequirement::kRequired;
  s.properties = {{"to", "relationship", PropertyKind::kString, false, "success"}};
  s.relationships = {{"success", ""}, {"retry", ""}, {"failure", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new RouteToProcessor()); }};
}

ProcessorDefinition count_state_definition() {
  ProcessorSpec s;
  s.type = "CountState";
  s.input = InputRequirement::kRequired;
  s.properties = {{"fail", "throw after setting state", PropertyKind::kBool, false, "false"}};
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new CountStateProcessor()); }};
}

ServiceDefinition greeter_service_definition() {
  ServiceSpec s;
  s.type = "GreeterService";
  s.provides = {"Greeter"};
  s.properties = {{.name = "greeting", .description = "", .default_value = "hello"},
                  {.name = "inner", .description = "", .kind = PropertyKind::kService, .service = "Greeter"},
                  {.name = "fail", .description = "", .kind = PropertyKind::kBool, .default_value = "false"}};
  return {s, [] { return std::unique_ptr<ControllerService>(new GreeterService()); }};
}

ProcessorDefinition greet_definition() {
  ProcessorSpec s;
  s.type = "Greet";
  s.input = InputRequirement::kRequired;
  s.properties = {
      {.name = "greeter",
       .description = "",
       .kind = PropertyKind::kService,
       .required = true,
       .service = "Greeter"},
      {.name = "fail_schedule", .description = "", .kind = PropertyKind::kBool, .default_value = "false"}};
  s.relationships = {{"success", ""}};
  return {s, [] { return std::unique_ptr<Processor>(new GreetProcessor()); }};
}

}  // namespace sluice::testing
