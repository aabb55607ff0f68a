#include "jms_properties.hpp"

#include "spec_helpers.hpp"

namespace sluice::jms {

std::vector<PropertySpec> connection_properties() {
  using standard::optional_property;
  using standard::required_property;
  std::vector<PropertySpec> p;
  p.push_back(standard::enum_property("transport", "stomp",
                                      {{"stomp", "STOMP 1.2 (ActiveMQ, Artemis, RabbitMQ's STOMP plugin)."}},
                                      "The wire protocol that reaches the JMS broker."));
  p.push_back(required_property("host", PropertyKind::kString, "The broker's host name or address."));
  p.push_back(optional_property("port", PropertyKind::kInt, "61613", "The broker's STOMP port."));
  p.push_back(optional_property("username", PropertyKind::kString, std::nullopt, "The user to log in as."));
  p.push_back(standard::sensitive_property(
      "password", "The user's password; write ${env:NAME} or ${file:PATH} to keep it out of the flow."));
  p.push_back(optional_property("timeout", PropertyKind::kDuration, "10 s",
                                "How long to wait for the broker to connect, answer, or send receipts."));
  return p;
}

JmsSettings read_connection_settings(const ComponentContext& context) {
  JmsSettings s;
  s.transport = context.string_property("transport");
  s.host = context.string_property("host");
  const std::int64_t port = context.int_property("port");
  if (port <= 0 || port > 65'535)
    throw ProcessorError("port must be between 1 and 65535, got " + std::to_string(port));
  s.port = static_cast<int>(port);
  s.username = context.property("username").value_or("");
  s.password = context.property("password").value_or("");
  s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("timeout"));
  return s;
}

std::string transit_uri(const JmsSettings& settings, std::string_view destination) {
  return settings.transport + "://" + settings.host + ":" + std::to_string(settings.port) +
         std::string(destination);
}

void check_destination(std::string_view destination) {
  if (!destination.starts_with("/queue/") && !destination.starts_with("/topic/"))
    throw ProcessorError("destination must be /queue/NAME or /topic/NAME, got '" + std::string(destination) +
                         "'");
}

}  // namespace sluice::jms
