// AggregateRecord: event-time windowed aggregation of records (tumbling, hopping and session windows,
// watermark, early / on-time / late firings), with its open windows in durable processor state.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& aggregate_record_definition();

}  // namespace sluice::records
