// DuplicateFlowFile: sends a FlowFile and N copies of it (sharing its content) to success.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& duplicate_flow_file_definition();

}  // namespace sluice::standard
