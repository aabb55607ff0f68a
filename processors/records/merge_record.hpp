// MergeRecord: merges the records of many FlowFiles into one well-formed output, binned like MergeContent.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& merge_record_definition();

}  // namespace sluice::records
