// SplitRecord: splits a FlowFile's records into FlowFiles of at most N records each.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& split_record_definition();

}  // namespace sluice::records
