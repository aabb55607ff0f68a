// The HTTP processors and the HttpContextMap service, exported as the plugin "http" (libcurl client,
// Boost.Beast server).
#include "sluice/plugin.hpp"

#include "handle_http_request.hpp"
#include "handle_http_response.hpp"
#include "http_context_map.hpp"
#include "invoke_http.hpp"
#include "listen_http.hpp"

namespace {

const sluice::ProcessorDefinition* const kProcessors[] = {
    &sluice::http::invoke_http_definition(), &sluice::http::listen_http_definition(),
    &sluice::http::handle_http_request_definition(), &sluice::http::handle_http_response_definition()};
const sluice::ServiceDefinition* const kServices[] = {&sluice::http::http_context_map_definition()};

}  // namespace

SLUICE_PLUGIN_WITH_SERVICES("http", kProcessors, kServices)
