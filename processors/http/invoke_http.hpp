// InvokeHTTP: sends an HTTP request per FlowFile (body from its content) and routes it by the response.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::http {

const ProcessorDefinition& invoke_http_definition();

}  // namespace sluice::http
