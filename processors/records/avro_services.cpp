#include "avro_services.hpp"

#include <memory>

#include "avro_container.hpp"
#include "service_config.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::enum_property;
using standard::optional_property;

class AvroReaderService final : public RecordReaderFactory {
 public:
  void on_enable(ServiceContext& context) override { reader_schema_ = schema_setting(context).schema; }
  [[nodiscard]] std::unique_ptr<RecordReader> open(std::string_view content) const override {
    auto reader = std::make_unique<AvroReader>(content);
    if (!reader_schema_) return reader;
    try {
      return resolve_reader(std::move(reader), reader_schema_);
    } catch (const SchemaError& e) {
      throw RecordFormatError(e.what());
    }
  }

 private:
  DataTypePtr reader_schema_;
};

class AvroWriterService final : public RecordWriterFactory {
 public:
  void on_enable(ServiceContext& context) override {
    const std::string codec = context.string_property("codec");
    options_.codec = codec == "deflate"  ? AvroCodec::kDeflate
                     : codec == "snappy" ? AvroCodec::kSnappy
                                         : AvroCodec::kNull;
    options_.block_records = static_cast<std::size_t>(context.int_property("block_records"));
    if (options_.block_records == 0) throw ProcessorError("block_records must be positive");
    schema_ = schema_setting(context).schema;
  }
  [[nodiscard]] std::unique_ptr<RecordWriter> open(OutputStream& out,
                                                   const DataTypePtr& schema) const override {
    return std::make_unique<AvroWriter>(out, schema_ ? schema_ : schema, options_);
  }
  [[nodiscard]] std::string_view mime_type() const override { return "application/avro-binary"; }

 private:
  AvroWriterOptions options_;
  DataTypePtr schema_;
};

ServiceSpec reader_spec() {
  ServiceSpec s;
  s.type = "AvroReader";
  s.summary = "Reads records from Avro object container files.";
  s.description =
      "Reads the schema embedded in the file (codecs null, deflate, snappy). With a `schema`, records are "
      "resolved from the file's schema to that one under Avro's schema-evolution rules (added fields take "
      "their "
      "default, removed fields are skipped, int→long→float→double, aliases); an incompatible file goes to "
      "failure with every incompatibility listed. A corrupt block makes the rest of the file one invalid "
      "record.";
  s.tags = {"avro", "record", "reader"};
  s.provides = {"RecordReader"};
  s.properties = schema_properties("inherit", "`inherit`: the schema embedded in each file.");
  return s;
}

ServiceSpec writer_spec() {
  ServiceSpec s;
  s.type = "AvroWriter";
  s.summary = "Writes records as one Avro object container file with the schema embedded.";
  s.description =
      "Writes an Avro object container file: the schema in the header, records in blocks, compressed "
      "with the chosen codec.";
  s.tags = {"avro", "record", "writer"};
  s.provides = {"RecordWriter"};
  s.properties = schema_properties("inherit", "`inherit`: the records' own schema.");
  s.properties.push_back(enum_property("codec", "null",
                                       {{"null", "No compression."},
                                        {"deflate", "zlib deflate (RFC 1951)."},
                                        {"snappy", "Snappy, with the CRC-32 Avro requires."}},
                                       "Block compression."));
  s.properties.push_back(
      optional_property("block_records", PropertyKind::kInt, "4096", "Records per block at most."));
  return s;
}

std::unique_ptr<ControllerService> create_reader() {
  return std::make_unique<AvroReaderService>();
}
std::unique_ptr<ControllerService> create_writer() {
  return std::make_unique<AvroWriterService>();
}

}  // namespace

const ServiceDefinition& avro_reader_definition() {
  static const ServiceDefinition kDefinition{reader_spec(), &create_reader};
  return kDefinition;
}

const ServiceDefinition& avro_writer_definition() {
  static const ServiceDefinition kDefinition{writer_spec(), &create_writer};
  return kDefinition;
}

}  // namespace sluice::records
