// SplitText: splits text content into FlowFiles of N lines, each with the header lines.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& split_text_definition();

}  // namespace sluice::standard
