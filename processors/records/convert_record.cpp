#include "convert_record.hpp"

#include <memory>
#include <string>

#include "record_pass.hpp"
#include "record_specs.hpp"
#include "record_write_error.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"

namespace sluice::records {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kFailure = "failure";

class ConvertRecord final : public Processor {
 public:
  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writers = context.service<RecordWriterFactory>("writer");
    for (FlowFile& ff : session.get(context.batch_size())) convert(readers, writers, session, ff);
  }

 private:
  void convert(const RecordReaderFactory& readers, const RecordWriterFactory& writers,
               ProcessSession& session, FlowFile& ff) {
    RecordPass pass;
    Record record;  // per call: triggers may run concurrently
    std::uint64_t good = 0;
    std::string refused;  // why the writer cannot take the records' schema at all
    // The output replaces the content while the input is still mapped: one pass, nothing materialized.
    pass.run(session, ff, readers, [&](RecordReader& reader) {
      try {
        session.write(ff, [&](OutputStream& os) {
          auto writer = writers.open(os, reader.schema());
          while (pass.next(reader, record)) {
            try {
              writer->write(record);
              ++good;
            } catch (const RecordWriteError& e) {
              pass.invalid().add(reader, e.what(), reader.position());  // the writer left no trace of it
            }
          }
          writer->finish();
        });
      } catch (const RecordWriteError& e) {
        refused = e.what();  // thrown by open(): the content was not replaced
      }
    });
    if (!refused.empty()) {
      fail_whole(session, ff, kFailure, refused);
      return;
    }
    pass.route_rewritten(session, ff, good, kSuccess, kFailure, kFailure, writers_mime_);
  }

 public:
  void on_schedule(ProcessContext& context) override {
    writers_mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
  }

 private:
  std::string writers_mime_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "ConvertRecord";
  s.summary = "Converts records from one format to another (CSV, JSON, Avro, Parquet) in one streaming pass.";
  s.description =
      "Reads each FlowFile's records with the `reader` service and writes them with the `writer` service, "
      "replacing the content. Records the reader reports invalid (a malformed CSV row, a JSON syntax error, "
      "a "
      "value that does not convert to its type) go, in their original form, to `failure` in one FlowFile per "
      "input with `record.error` (the first reason and position) and `record.errors` (one line per record); "
      "the other records carry on to `success`. A record the writer cannot hold (a value out of its Parquet "
      "column's range) goes to `failure` the same way. Content that cannot be read at all, or whose schema "
      "the writer cannot write (nested fields for Parquet), goes to `failure` whole with `record.error`.";
  s.tags = {"record", "convert", "csv", "json", "avro", "parquet", "format"};
  s.input = InputRequirement::kRequired;
  s.properties = {reader_property(), writer_property()};
  s.relationships = {{"success", "The converted records, with `record.count`."},
                     {"failure", "Records that could not be read or converted, with the reasons."}};
  s.writes_attributes = {
      {"record.count", "Records in the FlowFile."},
      {"mime.type", "The writer's MIME type."},
      {"record.error", "On failure: the first reason, with its line/column or record number."},
      {"record.errors", "On failure: one reason per record (the first 100)."}};
  s.examples = {
      {"CSV to JSON",
       "services:\n  csv: { type: CSVReader }\n  json: { type: JSONWriter }\nprocessors:\n  convert:\n"
       "    type: ConvertRecord\n    properties: { reader: csv, writer: json }\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ConvertRecord>();
}

}  // namespace

const ProcessorDefinition& convert_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
