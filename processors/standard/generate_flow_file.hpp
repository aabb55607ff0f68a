// GenerateFlowFile: creates FlowFiles from nothing, for testing flows and load.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& generate_flow_file_definition();

}  // namespace sluice::standard
