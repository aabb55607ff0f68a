#include "record_specs.hpp"

#include <string>

#include "sluice/record_io.hpp"

namespace sluice::records {

namespace {

PropertySpec service_property(std::string name, std::string_view interface, std::string description) {
  PropertySpec p;
  p.name = std::move(name);
  p.kind = PropertyKind::kService;
  p.required = true;
  p.service = std::string(interface);
  p.description = std::move(description);
  return p;
}

}  // namespace

PropertySpec reader_property() {
  return service_property(
      "reader", kRecordReaderInterface,
      "The record reader service (CSVReader, JSONReader, AvroReader) that parses incoming content.");
}

PropertySpec writer_property() {
  return service_property(
      "writer", kRecordWriterInterface,
      "The record writer service (CSVWriter, JSONWriter, AvroWriter) that writes outgoing content.");
}

}  // namespace sluice::records
