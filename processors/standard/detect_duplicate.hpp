// DetectDuplicate: routes FlowFiles whose cache key was seen before (within an age-off) to duplicate.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& detect_duplicate_definition();

}  // namespace sluice::standard
