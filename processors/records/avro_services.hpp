// The AvroReader and AvroWriter controller services (interfaces RecordReader and RecordWriter).
#pragma once

#include "sluice/service.hpp"

namespace sluice::records {

const ServiceDefinition& avro_reader_definition();
const ServiceDefinition& avro_writer_definition();

}  // namespace sluice::records
