// RouteOnContent: routes FlowFiles to the relationships whose regex matches their content.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& route_on_content_definition();

}  // namespace sluice::standard
