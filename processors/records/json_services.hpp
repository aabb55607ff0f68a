// The JSONReader and JSONWriter controller services (interfaces RecordReader and RecordWriter).
#pragma once

#include "sluice/service.hpp"

namespace sluice::records {

const ServiceDefinition& json_reader_definition();
const ServiceDefinition& json_writer_definition();

}  // namespace sluice::records
