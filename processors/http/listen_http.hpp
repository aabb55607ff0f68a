// ListenHTTP: an HTTP endpoint whose POST/PUT bodies become FlowFiles; each request is answered 200 only
// once its FlowFile is durably committed, and 503 while the processor's output is full.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::http {

const ProcessorDefinition& listen_http_definition();

}  // namespace sluice::http
