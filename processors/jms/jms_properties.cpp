#include "jms_properties.hpp"

#include "spec_helpers.hpp"

namespace sluice::jms {

std::vector<PropertySpec> connection_properties() {
  using standard::optional_property;
  using standard::required_property;
  std::vector<PropertySpec> p;
  p.push_back(standard::enum_property(
      "transport", "stomp",
      {{"stomp", "STOMP 1.2 (ActiveMQ, Artemis, RabbitMQ's STOMP plugin)."},
       {"amqp10", "AMQP 1.0 with the Qpid JMS mapping (RabbitMQ's AMQP 1.0 plugin, Artemis, Qpid)."}},
      "The wire protocol that reaches the JMS broker."));
  p.push_back(required_property("host", PropertyKind::kString, "The broker's host name or address."));
  p.push_back(
      optional_property("port", PropertyKind::kInt, std::nullopt,
                        "The broker's port (default 61613 for STOMP, 5672 for AMQP 1.0, 5671 with TLS)."));
  p.push_back(optional_property("username", PropertyKind::kString, std::nullopt, "The user to log in as."));
  p.push_back(standard::sensitive_property(
      "password", "The user's password; write ${env:NAME} or ${file:PATH} to keep it out of the flow."));
  p.push_back(optional_property(
      "tls", PropertyKind::kBool, "false",
      "AMQP 1.0 only: connect with TLS (amqps). The broker's certificate is always verified."));
  p.push_back(optional_property(
      "ca_file", PropertyKind::kString, std::nullopt,
      "PEM file of the certificate authorities to trust with TLS (default: the system's)."));
  p.push_back(optional_property(
      "verify_hostname", PropertyKind::kBool, "true",
      "With TLS, check that the certificate names `host` (the chain is checked either way)."));
  p.push_back(optional_property("timeout", PropertyKind::kDuration, "10 s",
                                "How long to wait for the broker to connect, answer, or send receipts."));
  return p;
}

JmsSettings read_connection_settings(const ComponentContext& context) {
  JmsSettings s;
  s.transport = context.string_property("transport");
  s.host = context.string_property("host");
  s.tls = context.bool_property("tls");
  s.ca_file = context.property("ca_file").value_or("");
  s.verify_hostname = context.bool_property("verify_hostname");
  if (s.tls && s.transport != "amqp10")
    throw ProcessorError("tls needs transport amqp10 (the STOMP transport speaks plain TCP)");
  const std::int64_t default_port = s.transport == "amqp10" ? (s.tls ? 5671 : 5672) : 61613;
  const std::int64_t port = context.property("port") ? context.int_property("port") : default_port;
  if (port <= 0 || port > 65'535)
    throw ProcessorError("port must be between 1 and 65535, got " + std::to_string(port));
  s.port = static_cast<int>(port);
  s.username = context.property("username").value_or("");
  s.password = context.property("password").value_or("");
  s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("timeout"));
  return s;
}

std::string transit_uri(const JmsSettings& settings, std::string_view destination) {
  std::string scheme =
      settings.transport == "amqp10" ? (settings.tls ? "amqps" : "amqp") : settings.transport;
  return scheme + "://" + settings.host + ":" + std::to_string(settings.port) + std::string(destination);
}

void check_destination(const JmsSettings& settings, std::string_view destination) {
  // AMQP 1.0 addresses are the broker's own (RabbitMQ also has /exchange/X/KEY and /amq/queue/X).
  if (settings.transport == "amqp10") {
    if (destination.empty()) throw ProcessorError("destination must not be empty");
    return;
  }
  if (!destination.starts_with("/queue/") && !destination.starts_with("/topic/"))
    throw ProcessorError("destination must be /queue/NAME or /topic/NAME, got '" + std::string(destination) +
                         "'");
}

}  // namespace sluice::jms
