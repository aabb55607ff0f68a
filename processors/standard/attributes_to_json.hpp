// AttributesToJSON: writes a FlowFile's attributes as a JSON object, to its content or to an attribute.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& attributes_to_json_definition();

}  // namespace sluice::standard
