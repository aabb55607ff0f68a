#include "record_specs.hpp"

#include "sluice/record_io.hpp"

namespace sluice::records {

PropertySpec reader_property() {
  PropertySpec p;
  p.name = "reader";
  p.kind = PropertyKind::kService;
  p.required = true;
  p.service = std::string(kRecordReaderInterface);
  p.description =
      "The record reader service (CSVReader, JSONReader, AvroReader) that parses incoming content.";
  return p;
}

PropertySpec writer_property() {
  PropertySpec p;
  p.name = "writer";
  p.kind = PropertyKind::kService;
  p.required = true;
  p.service = std::string(kRecordWriterInterface);
  p.description =
      "The record writer service (CSVWriter, JSONWriter, AvroWriter) that writes outgoing content.";
  return p;
}

}  // namespace sluice::records
