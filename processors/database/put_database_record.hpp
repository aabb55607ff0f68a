#pragma once

#include "sluice/processor.hpp"

namespace sluice::database {

const ProcessorDefinition& put_database_record_definition();

}  // namespace sluice::database
