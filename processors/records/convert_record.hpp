// ConvertRecord: reads a FlowFile's records with one service and writes them with another, in one pass.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& convert_record_definition();

}  // namespace sluice::records
