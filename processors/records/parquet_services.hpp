// The ParquetWriter controller service (interface RecordWriter): records as one Parquet file per output,
// through the plugin's own encoder (parquet/writer.hpp).
#pragma once

#include "sluice/service.hpp"

namespace sluice::records {

const ServiceDefinition& parquet_writer_definition();

}  // namespace sluice::records
