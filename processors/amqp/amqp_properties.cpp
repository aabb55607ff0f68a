#include "amqp_properties.hpp"

#include "spec_helpers.hpp"

namespace sluice::amqp {

std::vector<PropertySpec> connection_properties() {
  using standard::optional_property;
  using standard::required_property;
  std::vector<PropertySpec> p;
  p.push_back(required_property("host", PropertyKind::kString, "The broker's host name or address."));
  p.push_back(optional_property("port", PropertyKind::kInt, "5672",
                                "The broker's AMQP port (5671 is usual for TLS)."));
  p.push_back(optional_property("virtual_host", PropertyKind::kString, "/", "The virtual host."));
  p.push_back(
      optional_property("username", PropertyKind::kString, "guest", "The user to log in as (SASL PLAIN)."));
  p.push_back(standard::sensitive_property(
      "password", "The user's password; write ${env:NAME} or ${file:PATH} to keep it out of the flow."));
  p.push_back(optional_property(
      "tls", PropertyKind::kBool, "false",
      "Connect with TLS. The broker's certificate is always verified (chain and host name)."));
  p.push_back(optional_property(
      "ca_file", PropertyKind::kString, std::nullopt,
      "PEM file of the certificate authorities to trust with TLS (default: the system's)."));
  p.push_back(
      optional_property("client_certificate_file", PropertyKind::kString, std::nullopt,
                        "PEM client certificate, for brokers that authenticate clients by certificate."));
  p.push_back(optional_property("client_key_file", PropertyKind::kString, std::nullopt,
                                "PEM private key of the client certificate."));
  p.push_back(
      optional_property("verify_hostname", PropertyKind::kBool, "true",
                        "With TLS, check that the certificate names `host`. Turn off only for a broker "
                        "reached by an address its certificate does not name; the chain is still checked."));
  p.push_back(
      optional_property("connect_timeout", PropertyKind::kDuration, "10 s",
                        "How long to wait for the broker to accept a connection and answer a request."));
  p.push_back(optional_property("heartbeat", PropertyKind::kDuration, "60 s",
                                "The AMQP heartbeat interval asked of the broker (0 s: none)."));
  return p;
}

AmqpSettings read_connection_settings(const ComponentContext& context) {
  AmqpSettings s;
  s.host = context.string_property("host");
  const std::int64_t port = context.int_property("port");
  if (port <= 0 || port > 65'535)
    throw ProcessorError("port must be between 1 and 65535, got " + std::to_string(port));
  s.port = static_cast<int>(port);
  s.virtual_host = context.string_property("virtual_host");
  s.username = context.string_property("username");
  s.password = context.property("password").value_or("");
  s.tls = context.bool_property("tls");
  s.ca_file = context.property("ca_file").value_or("");
  s.client_certificate_file = context.property("client_certificate_file").value_or("");
  s.client_key_file = context.property("client_key_file").value_or("");
  if (s.client_certificate_file.empty() != s.client_key_file.empty())
    throw ProcessorError("client_certificate_file and client_key_file go together: set both or neither");
  s.verify_hostname = context.bool_property("verify_hostname");
  s.connect_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("connect_timeout"));
  s.heartbeat_seconds = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(context.duration_property("heartbeat")).count());
  return s;
}

std::string transit_uri(const AmqpSettings& settings, std::string_view name) {
  std::string uri = settings.tls ? "amqps://" : "amqp://";
  uri += settings.host + ":" + std::to_string(settings.port) + "/";
  // The default virtual host "/" is written %2F, as in RabbitMQ's URI scheme.
  uri += settings.virtual_host == "/" ? std::string("%2F") : settings.virtual_host;
  uri += "/";
  uri += name;
  return uri;
}

}  // namespace sluice::amqp
