// What ListenHTTP and HandleHttpRequest share: the properties of an HTTP endpoint (address, port, TLS,
// authentication, limits), read into HttpServerSettings, and small helpers for answering a request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http_server.hpp"
#include "sluice/context.hpp"
#include "sluice/spec.hpp"

namespace sluice::http {

// The endpoint's properties, in the order the docs list them (each processor adds its own).
std::vector<PropertySpec> listener_properties();

// Reads listener_properties() (everything but max_in_flight, which each processor bounds its own way);
// throws ProcessorError for an inconsistent configuration (a certificate without a key, a user without a
// password, a port out of range).
HttpServerSettings listener_settings(const ComponentContext& context);

// "http" or "https", for transit URIs.
std::string listener_scheme(const HttpServerSettings& settings);

std::string lower_ascii(std::string_view s);

// A short plain-text answer (status, one line of reason).
HttpResponse text_response(unsigned status, std::string body);

}  // namespace sluice::http
