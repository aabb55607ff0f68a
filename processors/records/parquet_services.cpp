#include "parquet_services.hpp"

#include <memory>

#include "parquet_record_writer.hpp"
#include "service_config.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::enum_property;
using standard::optional_property;

// The encoder sizes pages in signed 32-bit integers; half a GiB leaves room for one oversized value.
constexpr std::uint64_t kMaxPageSize = std::uint64_t{512} << 20;

parquet::Codec codec_named(const std::string& name) {
  if (name == "zstd") return parquet::Codec::kZstd;
  if (name == "gzip") return parquet::Codec::kGzip;
  if (name == "none") return parquet::Codec::kUncompressed;
  return parquet::Codec::kSnappy;
}

class ParquetWriterService final : public RecordWriterFactory {
 public:
  void on_enable(ServiceContext& context) override {
    parquet::WriterOptions& o = config_.encoder;
    o.codec = codec_named(context.string_property("compression"));
    o.row_group_size = context.size_property("row_group_size");
    o.data_page_size = context.size_property("page_size");
    o.dictionary = context.bool_property("dictionary");
    if (o.row_group_size == 0) throw ProcessorError("row_group_size must be at least 1 byte");
    if (o.data_page_size == 0 || o.data_page_size > kMaxPageSize) {
      throw ProcessorError("page_size must be 1 byte to 512 MiB");
    }
    config_.mapping.timestamp_unit = context.string_property("timestamp_unit") == "millis"
                                         ? parquet::TimeUnit::kMillis
                                         : parquet::TimeUnit::kMicros;
    schema_ = schema_setting(context).schema;
  }
  [[nodiscard]] std::unique_ptr<RecordWriter> open(OutputStream& out,
                                                   const DataTypePtr& schema) const override {
    return std::make_unique<ParquetRecordWriter>(out, schema_ ? schema_ : schema, config_);
  }
  [[nodiscard]] std::string_view mime_type() const override { return "application/vnd.apache.parquet"; }

 private:
  ParquetWriterConfig config_;
  DataTypePtr schema_;
};

ServiceSpec writer_spec() {
  ServiceSpec s;
  s.type = "ParquetWriter";
  s.summary = "Writes records as one Parquet file (readable by DuckDB, Apache Arrow, Spark).";
  s.description =
      "Writes one Parquet file per output FlowFile, one column per top-level field, row by row: memory "
      "stays within about one row group. Column chunks are dictionary-encoded while that pays, PLAIN "
      "otherwise, compressed with `compression`, with min/max statistics.\n\n"
      "Types: boolean → BOOLEAN; int → INT32; long → INT64; float → FLOAT; double → DOUBLE; string → "
      "BYTE_ARRAY STRING; enum → BYTE_ARRAY ENUM; bytes → BYTE_ARRAY; fixed → FIXED_LEN_BYTE_ARRAY; "
      "decimal(p, s) → DECIMAL(p, s) in INT32 (p ≤ 9), INT64 (p ≤ 18) or the smallest FIXED_LEN_BYTE_ARRAY; "
      "date → INT32 DATE; time-millis → INT32 TIME(MILLIS), time-micros → INT64 TIME(MICROS), both local "
      "(not UTC-adjusted: a time of day); timestamp-millis and timestamp-micros → INT64 TIMESTAMP in "
      "`timestamp_unit`, UTC-adjusted (the instant; the UTC offset a timestamp was written with is not "
      "kept); a field of type null → an all-null BYTE_ARRAY STRING column. A nullable field (a union with "
      "null) is an OPTIONAL column, any other REQUIRED.\n\n"
      "Not supported yet: nested records, arrays, maps and unions of several non-null types (they need "
      "repetition levels). A FlowFile whose schema has one goes to `failure` whole, with `record.error` "
      "naming every such field. A value its column cannot hold (text in a numeric field, a null in a "
      "required one, a timestamp with microseconds when `timestamp_unit` is `millis`) sends that record to "
      "`failure` with the field, the reason and the record's position; the others are written.";
  s.tags = {"parquet", "record", "writer", "columnar"};
  s.provides = {"RecordWriter"};
  s.properties = schema_properties("inherit", "`inherit`: the records' own schema.");
  s.properties.push_back(enum_property("compression", "snappy",
                                       {{"snappy", "Snappy: fast, moderate ratio (Parquet's usual default)."},
                                        {"zstd", "Zstandard level 1: better ratio, still fast."},
                                        {"gzip", "gzip (zlib level 6): widest reader support, slowest."},
                                        {"none", "Uncompressed."}},
                                       "Page compression codec."));
  s.properties.push_back(optional_property(
      "row_group_size", PropertyKind::kSize, "64 MiB",
      "A row group closes at the first row where the buffered, compressed column data passes this size. "
      "Each conversion in progress holds about one row group in memory, so the default is half of "
      "parquet-mr's 128 MiB: several concurrent tasks stay well within memory, and files of a few hundred "
      "MB still get row groups large enough for fast scans."));
  s.properties.push_back(optional_property(
      "page_size", PropertyKind::kSize, "1 MiB",
      "A data page closes at the first row where its encoded values pass this size (or at 20,000 rows); "
      "at most 512 MiB."));
  s.properties.push_back(optional_property(
      "dictionary", PropertyKind::kBool, "true",
      "Dictionary-encode columns (all but BOOLEAN); a column whose dictionary passes 1 MiB, or does not "
      "make it smaller, falls back to PLAIN for the rest of the file."));
  s.properties.push_back(enum_property(
      "timestamp_unit", "micros",
      {{"micros", "Microseconds: every timestamp of the record model, exactly."},
       {"millis",
        "Milliseconds, for readers that want them; a timestamp with sub-millisecond digits is refused (the "
        "record goes to failure) rather than rounded."}},
      "The unit of TIMESTAMP columns."));
  s.examples = {{"Meter readings from CSV to Parquet",
                 "services:\n  meter_csv: { type: CSVReader, properties: { header: true, schema: infer } }\n"
                 "  meter_parquet: { type: ParquetWriter, properties: { compression: zstd } }\n"
                 "processors:\n  convert:\n    type: ConvertRecord\n"
                 "    properties: { reader: meter_csv, writer: meter_parquet }\n"},
                {"Decimals and millisecond timestamps from an explicit schema",
                 "services:\n  readings:\n    type: CSVReader\n    properties:\n      header: true\n"
                 "      schema: >-\n        {\"type\": \"record\", \"name\": \"reading\", \"fields\": [\n"
                 "          {\"name\": \"meter_id\", \"type\": \"string\"},\n"
                 "          {\"name\": \"at\", \"type\": {\"type\": \"long\", \"logicalType\": "
                 "\"timestamp-micros\"}},\n"
                 "          {\"name\": \"kwh\", \"type\": [\"null\", {\"type\": \"bytes\", \"logicalType\": "
                 "\"decimal\", \"precision\": 12, \"scale\": 3}]}]}\n"
                 "  parquet: { type: ParquetWriter, properties: { timestamp_unit: millis, row_group_size: 16 "
                 "MiB } }\n"}};
  return s;
}

std::unique_ptr<ControllerService> create_writer() {
  return std::make_unique<ParquetWriterService>();
}

}  // namespace

const ServiceDefinition& parquet_writer_definition() {
  static const ServiceDefinition kDefinition{writer_spec(), &create_writer};
  return kDefinition;
}

}  // namespace sluice::records
