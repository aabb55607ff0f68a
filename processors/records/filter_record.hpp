// FilterRecord: routes the records matching named boolean expressions, one FlowFile per query.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& filter_record_definition();

}  // namespace sluice::records
