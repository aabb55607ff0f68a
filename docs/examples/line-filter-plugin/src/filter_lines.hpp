// FilterLines: keeps the lines of a text FlowFile that contain a given text.
#pragma once

#include "sluice/sdk.hpp"

namespace line_filter {

// The definition the plugin's manifest exports (and the unit tests run).
const sluice::ProcessorDefinition& filter_lines_definition();

}  // namespace line_filter
