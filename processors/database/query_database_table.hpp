#pragma once

#include "sluice/processor.hpp"

namespace sluice::database {

const ProcessorDefinition& query_database_table_definition();

}  // namespace sluice::database
