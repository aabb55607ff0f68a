#include "listener_config.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <utility>

#include "spec_helpers.hpp"

namespace sluice::http {

std::vector<PropertySpec> listener_properties() {
  using standard::optional_property;
  using standard::required_property;
  using standard::sensitive_property;
  std::vector<PropertySpec> p;
  p.push_back(optional_property("address", PropertyKind::kString, "127.0.0.1",
                                "Local address to listen on (`0.0.0.0` for every interface)."));
  p.push_back(required_property("port", PropertyKind::kInt, "TCP port to listen on."));
  p.push_back(optional_property("max_body_size", PropertyKind::kSize, "10 MiB",
                                "Largest request body accepted; larger ones are answered 413."));
  p.push_back(optional_property("retry_after", PropertyKind::kDuration, "1 s",
                                "Retry-After sent with a 503 (rounded up to whole seconds)."));
  p.push_back(optional_property("read_timeout", PropertyKind::kDuration, "30 s",
                                "Time a client has to send a request (and to read its answer)."));
  p.push_back(optional_property("tls_certificate_file", PropertyKind::kString, std::nullopt,
                                "PEM certificate chain: serve HTTPS."));
  p.push_back(optional_property("tls_private_key_file", PropertyKind::kString, std::nullopt,
                                "PEM private key of the certificate."));
  p.push_back(optional_property("username", PropertyKind::kString, std::nullopt,
                                "Require HTTP basic authentication with this user (and `password`)."));
  p.push_back(
      sensitive_property("password", "Password for basic authentication (`${env:NAME}` or `${file:PATH}`)."));
  p.push_back(sensitive_property("bearer_token", "Accept `Authorization: Bearer <token>` with this token."));
  return p;
}

HttpServerSettings listener_settings(const ComponentContext& context) {
  HttpServerSettings settings;
  settings.address = context.string_property("address");
  const std::int64_t port = context.int_property("port");
  if (port < 0 || port > 65535) throw ProcessorError("port must be 0..65535, got " + std::to_string(port));
  settings.port = static_cast<std::uint16_t>(port);
  settings.tls_certificate_file = context.string_property("tls_certificate_file");
  settings.tls_private_key_file = context.string_property("tls_private_key_file");
  if (settings.tls_certificate_file.empty() != settings.tls_private_key_file.empty()) {
    throw ProcessorError("set both tls_certificate_file and tls_private_key_file for TLS, or neither");
  }
  settings.max_body_bytes = context.size_property("max_body_size");
  settings.read_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("read_timeout"));
  settings.retry_after =
      std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("retry_after"));
  settings.basic_username = context.string_property("username");
  settings.basic_password = context.string_property("password");
  settings.bearer_token = context.string_property("bearer_token");
  if (settings.basic_username.empty() != settings.basic_password.empty()) {
    throw ProcessorError("set both username and password for basic authentication, or neither");
  }
  return settings;
}

std::string listener_scheme(const HttpServerSettings& settings) {
  return settings.tls_certificate_file.empty() ? "http" : "https";
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

HttpResponse text_response(unsigned status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

}  // namespace sluice::http
