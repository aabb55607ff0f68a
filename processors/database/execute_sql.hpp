#pragma once

#include "sluice/processor.hpp"

namespace sluice::database {

const ProcessorDefinition& execute_sql_definition();

}  // namespace sluice::database
