// HandleHttpResponse: answers the request a FlowFile from HandleHttpRequest stands for (status, headers,
// the content as body) through their shared HttpContextMap.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::http {

const ProcessorDefinition& handle_http_response_definition();

}  // namespace sluice::http
