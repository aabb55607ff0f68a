// ExtractText: copies regex capture groups from content into attributes.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& extract_text_definition();

}  // namespace sluice::standard
