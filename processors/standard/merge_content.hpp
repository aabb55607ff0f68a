// MergeContent: merges FlowFiles into bins, by count, size and age, as concatenation or tar.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& merge_content_definition();

}  // namespace sluice::standard
