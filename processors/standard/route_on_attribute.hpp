// RouteOnAttribute: routes FlowFiles by boolean expressions over their attributes.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& route_on_attribute_definition();

}  // namespace sluice::standard
