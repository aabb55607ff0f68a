// HandleHttpRequest: an HTTP endpoint whose requests become FlowFiles (method, path, query, headers as
// attributes; body as content) that wait in an HttpContextMap until HandleHttpResponse answers them.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::http {

const ProcessorDefinition& handle_http_request_definition();

}  // namespace sluice::http
