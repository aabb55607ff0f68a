// ValidateRecord: checks every record against a schema and per-field rules; valid records to `valid`,
// invalid ones to `invalid` with a reason per record.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& validate_record_definition();

}  // namespace sluice::records
