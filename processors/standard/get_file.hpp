// GetFile: picks up files from a local directory, deleting them once they are safely in the flow.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& get_file_definition();

}  // namespace sluice::standard
