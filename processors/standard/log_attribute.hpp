// LogAttribute: logs each FlowFile's attributes (and optionally the start of its content), passing it on.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& log_attribute_definition();

}  // namespace sluice::standard
