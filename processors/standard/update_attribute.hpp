// UpdateAttribute: sets attributes from expressions and deletes attributes by regex.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& update_attribute_definition();

}  // namespace sluice::standard
