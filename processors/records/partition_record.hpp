// PartitionRecord: groups a FlowFile's records by the values of record paths; one FlowFile per key.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& partition_record_definition();

}  // namespace sluice::records
