// UpdateRecord: sets, renames and removes fields by record path; values are expressions over the record.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::records {

const ProcessorDefinition& update_record_definition();

}  // namespace sluice::records
