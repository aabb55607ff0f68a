// PutFile: writes FlowFile content to files in a local directory, atomically and durably.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& put_file_definition();

}  // namespace sluice::standard
