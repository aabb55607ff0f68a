#include "json_services.hpp"

#include <memory>

#include "json_reader.hpp"
#include "json_writer.hpp"
#include "service_config.hpp"
#include "spec_helpers.hpp"

namespace sluice::records {

namespace {

using standard::enum_property;
using standard::optional_property;

class JsonReaderService final : public RecordReaderFactory {
 public:
  void on_enable(ServiceContext& context) override {
    const std::string format = context.string_property("format");
    options_.format = format == "lines"   ? JsonInput::kLines
                      : format == "array" ? JsonInput::kArray
                                          : JsonInput::kAuto;
    const SchemaSetting s = schema_setting(context);
    options_.schema_mode = s.mode;
    options_.schema = s.schema;
    options_.infer_records = static_cast<std::size_t>(context.int_property("infer_records"));
    options_.ignore_unknown_fields = context.string_property("unknown_fields") == "ignore";
  }
  [[nodiscard]] std::unique_ptr<RecordReader> open(std::string_view content) const override {
    return std::make_unique<JsonReader>(content, options_);
  }

 private:
  JsonReaderOptions options_;
};

class JsonWriterService final : public RecordWriterFactory {
 public:
  void on_enable(ServiceContext& context) override {
    const std::string format = context.string_property("format");
    options_.format = format == "lines"    ? JsonFormat::kLines
                      : format == "object" ? JsonFormat::kObject
                                           : JsonFormat::kArray;
    options_.pretty = context.bool_property("pretty");
    options_.omit_nulls = context.bool_property("omit_nulls");
  }
  [[nodiscard]] std::unique_ptr<RecordWriter> open(OutputStream& out,
                                                   const DataTypePtr& /*schema*/) const override {
    return std::make_unique<JsonWriter>(out, options_);
  }
  [[nodiscard]] std::string_view mime_type() const override {
    return options_.format == JsonFormat::kLines ? "application/x-ndjson" : "application/json";
  }

 private:
  JsonWriterOptions options_;
};

ServiceSpec reader_spec() {
  ServiceSpec s;
  s.type = "JSONReader";
  s.summary = "Reads records from JSON Lines or a JSON array of objects.";
  s.description =
      "Each object is one record; nested objects become nested records (or maps, when the schema says map) "
      "and "
      "arrays become arrays. Numbers keep their exact text until converted to the field's type, so big "
      "integers "
      "and decimals are read without loss. Each record is parsed on its own: a syntax error, a value that "
      "does "
      "not fit its field or (unless `unknown_fields: ignore`) a field the schema lacks makes that record "
      "invalid, "
      "with its line, column and record number, and reading goes on.";
  s.tags = {"json", "record", "reader", "parse"};
  s.provides = {"RecordReader"};
  s.properties = schema_properties(
      "infer",
      "`infer`: the schema is inferred from the first `infer_records` records (fields in order of first "
      "appearance, all nullable; numbers long, double, or decimal when a double would lose digits).");
  s.properties.push_back(
      enum_property("format", "auto",
                    {{"auto", "An array when the content starts with '[', else JSON Lines."},
                     {"lines", "One object per line (JSON Lines)."},
                     {"array", "One array of objects."}},
                    "How records are laid out."));
  s.properties.push_back(optional_property("infer_records", PropertyKind::kInt, "1000",
                                           "Records sampled when `schema: infer`."));
  s.properties.push_back(enum_property("unknown_fields", "fail",
                                       {{"fail", "A record with a field the schema lacks is invalid."},
                                        {"ignore", "Such fields are skipped."}},
                                       "What to do with fields the schema does not have."));
  return s;
}

ServiceSpec writer_spec() {
  ServiceSpec s;
  s.type = "JSONWriter";
  s.summary = "Writes records as a JSON array or as JSON Lines.";
  s.description =
      "Writes each record as an object (field order of the schema). Timestamps, dates and times are ISO 8601 "
      "strings; decimals are JSON numbers with every digit; bytes are strings; NaN and infinities are null.";
  s.tags = {"json", "record", "writer"};
  s.provides = {"RecordWriter"};
  s.properties = {
      enum_property("format", "array",
                    {{"array", "One JSON array holding every record."},
                     {"lines", "One object per line."},
                     {"object",
                      "The single record as one JSON object (an API answer): no record gives empty "
                      "content, a second record is an error."}},
                    "How records are laid out."),
      optional_property("pretty", PropertyKind::kBool, "false",
                        "Indent with two spaces, one field per line."),
      optional_property("omit_nulls", PropertyKind::kBool, "false", "Leave out fields whose value is null."),
  };
  return s;
}

std::unique_ptr<ControllerService> create_reader() {
  return std::make_unique<JsonReaderService>();
}
std::unique_ptr<ControllerService> create_writer() {
  return std::make_unique<JsonWriterService>();
}

}  // namespace

const ServiceDefinition& json_reader_definition() {
  static const ServiceDefinition kDefinition{reader_spec(), &create_reader};
  return kDefinition;
}

const ServiceDefinition& json_writer_definition() {
  static const ServiceDefinition kDefinition{writer_spec(), &create_writer};
  return kDefinition;
}

}  // namespace sluice::records
