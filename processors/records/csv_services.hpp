// The CSVReader and CSVWriter controller services (interfaces RecordReader and RecordWriter).
#pragma once

#include "sluice/service.hpp"

namespace sluice::records {

const ServiceDefinition& csv_reader_definition();
const ServiceDefinition& csv_writer_definition();

}  // namespace sluice::records
