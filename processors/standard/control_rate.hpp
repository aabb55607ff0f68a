// ControlRate: limits how many FlowFiles, bytes or attribute units pass per time period.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& control_rate_definition();

}  // namespace sluice::standard
